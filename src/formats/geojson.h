/* geojson.h: a network (and trains at a clock time) as GeoJSON. */
#ifndef TM_GEOJSON_H
#define TM_GEOJSON_H

#include <jansson.h>

#include "formats/import_graph.h"
#include "model/scenario.h"
#include "plan/timetable.h"

/* A new FeatureCollection: every operational point with a position as a Point (properties
 * feature "operational_point", id, name, kind); every track as a LineString along
 * geometry[i] when given (imported shapes, n >= 2) or straight between its ends' positions
 * (properties feature "track", id, from, to, length_m, max_speed_kmh, electrification,
 * gauge_mm, signals); and, when run is not NULL (a timetable run with samples), each
 * service running at clock (s after midnight) as a Point on its track (feature "train",
 * service, train, track, position_m, speed_kmh). geometry may be NULL. Returns NULL when
 * memory runs out. */
json_t *tm_geojson_build(const tm_scenario *s, const tm_polyline *geometry,
                         const tm_timetable_result *run, double clock);

#endif
