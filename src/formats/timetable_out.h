/* timetable_out.h: the outputs of a timetable run (plan/timetable.h): JSON, CSV, a GTFS
 * feed and the time-distance diagram. Each file is written atomically (core/atomic.h); the
 * GTFS feed as a whole (a temporary directory renamed into place). Same input, same bytes:
 * numbers are printed in the C locale with fixed precision, services in timetable order. */
#ifndef TM_TIMETABLE_OUT_H
#define TM_TIMETABLE_OUT_H

#include <jansson.h>

#include "model/scenario.h"
#include "plan/timetable.h"
#include "tumen.h"

/* "HH:MM:SS" of t seconds after midnight, rounded to the second, hours past 23 kept
 * ("25:10:00", as GTFS writes the next day's times). buf needs 16 bytes. Returns buf. */
char *tm_clock_text(double t, char *buf, size_t size);

/* The category's name: "passenger", "freight" or "special". */
const char *tm_category_name(tm_category c);

/* The timetable's result as one new JSON object:
 *   {name, date, services: [{id, train, category, departure_s, arrival_s, running_time_s,
 *    distance_m, energy_j, max_speed_ms, timing_points: [{op, name, position_m, arrival_s,
 *    departure_s, is_stop}]}]}
 * Times are s after midnight (a failed service, with keep_going, has "error" instead of
 * its figures). Returns NULL when memory runs out; the caller json_decref's it. */
json_t *tm_timetable_to_json(const tm_scenario *sc, const tm_timetable_result *r);

/* One CSV row per service and operational point passed, after the header
 *   service_id,train,category,seq,op_id,op_name,position_m,arrival_s,departure_s,
 *   arrival,departure,stop
 * (times in s after midnight with ms, and as HH:MM:SS; stop 1/0). Failed services are
 * left out. Atomic; TUMEN_EIO naming path, TUMEN_ENOMEM, TUMEN_EUSAGE. */
int tm_timetable_write_csv(const tm_scenario *sc, const tm_timetable_result *r,
                           const char *path, tumen_error *err);

/* Writes a static GTFS feed into the directory dir (docs/formats.md, "GTFS output"):
 * agency.txt, stops.txt, routes.txt, trips.txt, stop_times.txt, calendar.txt; timezone is
 * the agency's IANA time zone (NULL: "UTC"), in which the times are read. The files
 * are written into a new temporary directory next to dir, which then replaces dir (an
 * existing dir must be a directory tumen wrote, holding only GTFS files; anything else is
 * refused). Errors: TUMEN_EINPUT when an operational point a service passes has no
 * position (GTFS needs stop_lat/stop_lon; the message names it), TUMEN_EIO naming the
 * path, TUMEN_ENOMEM. On failure dir is as it was. */
int tm_timetable_write_gtfs(const tm_scenario *sc, const tm_timetable_result *r,
                            const char *dir, const char *timezone, tumen_error *err);

/* Draws the time-distance diagram of the line from operational point `from` to `to` (the
 * shortest path by track length) to path, PNG or SVG by the extension: time across,
 * distance down, stations as labelled horizontal lines, one polyline per service that runs
 * along the line (from its trajectory samples, so r must have been run with keep_samples;
 * from the timing points otherwise), coloured by category and labelled with the service
 * id. Errors: TUMEN_EINPUT (no path between the points), TUMEN_EUSAGE (bad extension),
 * TUMEN_EIO, TUMEN_ENOMEM. Atomic. */
int tm_timetable_write_graph(const tm_scenario *sc, const tm_timetable_result *r,
                             size_t from, size_t to, const char *path, tumen_error *err);

/* A shaded band: part of a track (m from its `from` end) over a time span (s after
 * midnight), e.g. a special train's corridor. */
typedef struct tm_graph_band {
    size_t track;
    double pos0, pos1;
    double t0, t1;
    int protect;          /* 0: a corridor (orange); 1: a protected structure's window, e.g.
                           * a level crossing closed or a bridge guarded (blue) */
} tm_graph_band;

/* As tm_timetable_write_graph, with bands shaded (light orange) under the services; the
 * parts of bands off the line are not drawn. */
int tm_timetable_write_graph_bands(const tm_scenario *sc, const tm_timetable_result *r,
                                   size_t from, size_t to, const tm_graph_band *bands,
                                   size_t n_bands, const char *path, tumen_error *err);

/* A box of the blocking-time diagram: part of a track (m from its `from` end) held over a
 * time span (s after midnight), by service `service` of the timetable (its category
 * colours the box), or, with `conflict` set, the overlap of two services' boxes (red). */
typedef struct tm_graph_box {
    size_t track;
    double pos0, pos1;
    double t0, t1;
    size_t service;
    int conflict;
} tm_graph_box;

/* As tm_timetable_write_graph_bands, with blocking-time boxes: the services' boxes shaded
 * in their category's colour under the trains' lines (the stairs), the conflict boxes in red
 * over them. Boxes off the line are not drawn; bands and boxes may be NULL when their count
 * is 0. */
int tm_timetable_write_graph_boxes(const tm_scenario *sc, const tm_timetable_result *r,
                                   size_t from, size_t to, const tm_graph_band *bands,
                                   size_t n_bands, const tm_graph_box *boxes, size_t n_boxes,
                                   const char *path, tumen_error *err);

/* The time-distance diagram of one simulated day: the runs of `actual` (a replication's
 * times at the timing points, sim/sim.h tm_sim_replication_runs) over those of `planned`
 * drawn faint, so a delay shows as the gap between a train's faint and full line; note (or
 * NULL) is added to the subtitle. Errors as tm_timetable_write_graph. */
int tm_timetable_write_graph_over(const tm_scenario *sc, const tm_timetable_result *planned,
                                  const tm_timetable_result *actual, size_t from, size_t to,
                                  const char *note, const char *path, tumen_error *err);

#endif
