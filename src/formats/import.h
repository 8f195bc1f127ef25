/* import.h: networks, rolling stock and timetables from other formats, and the counts that
 * say what a file held.
 *
 * Formats (docs/formats.md, "Imports and exports"): railML 2.2 to 2.5 (infrastructure,
 * rolling stock, timetable), railML 3.1/3.2 infrastructure, OSRD railjson infrastructure,
 * OSRD rolling stock JSON, OpenStreetMap XML and PBF. tm_import_file detects the format from
 * the content and hands the file to one reader; every reader fills a tm_import_graph (the
 * fine topology: track pieces between switches and ends, with linear properties as ranges)
 * that tm_import_graph_build turns into tumen's coarse network (operational points joined by
 * tracks). The result is an ordinary scenario: the router, the engine and the writers take it
 * as they take a network read from tumen YAML.
 *
 * Nothing here prints. Errors name the file, the line of the offending element (XML, OSM
 * XML) or the JSON path (railjson), and the element.
 */
#ifndef TM_IMPORT_H
#define TM_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "model/scenario.h"
#include "tumen.h"

typedef enum tm_import_format {
    TM_IMPORT_UNKNOWN = 0,
    TM_IMPORT_RAILML2,
    TM_IMPORT_RAILML3,
    TM_IMPORT_RAILJSON,
    TM_IMPORT_OSRD_STOCK,
    TM_IMPORT_OSM_XML,
    TM_IMPORT_OSM_PBF
} tm_import_format;

/* A name for messages and summaries ("railML 2", "OSRD railjson", ...). */
const char *tm_import_format_name(tm_import_format f);

/* Counts of the elements a file held, each as the file has them (not tumen's network):
 * docs/formats.md lists per format which element each count is. */
typedef struct tm_import_summary {
    size_t tracks;
    double length_m;          /* sum of the tracks' lengths, m */
    size_t switches;
    size_t switch_connections; /* legal moves through switches and crossings (unordered pairs
                                * of track ends), as the file defines them */
    size_t signals;
    size_t speed_changes;
    size_t gradient_changes;
    size_t curve_changes;
    size_t operational_points;
    size_t vehicles;
    size_t trains;
    size_t level_crossings;
    size_t bridges;
    size_t tunnels;
    size_t open_refs;         /* references that lead out of the file (treated as track ends) */
    size_t outside;           /* elements placed beyond their track, moved to its nearer end */
} tm_import_summary;

typedef struct tm_import_options {
    int drop_sidings;         /* OSM: leave out service=yard|siding|spur ways */
    int strict;               /* railML 2: a connection to nothing or an element beyond its
                               * track is an error, not a track end or a clamped position */
    int drop_temporary;       /* leave out temporary speed restrictions */
    double default_speed;     /* m/s where a file gives no limit; 0 = 100 km/h */
} tm_import_options;

/* A track's shape: n points (lat, lon in degrees) from its from end to its to end. */
typedef struct tm_polyline {
    double *lat, *lon;
    size_t n;
} tm_polyline;

typedef struct tm_import {
    tm_import_format format;
    char version[16];          /* the format's version as the file gives it */
    tm_import_summary summary;
    tm_scenario *scenario;  /* network, vehicles, trains, timetable (owned) */
    tm_polyline *geometry;     /* one per network track (n 0: none), or NULL */
    /* railML 2 timetable trains not read because the file has no infrastructure: they name
     * operational points by id, which only a network given beside the file resolves. */
    size_t trains_without_network;
} tm_import;

/* Defaults: keep sidings, lenient references, keep temporary restrictions, 100 km/h. */
void tm_import_options_init(tm_import_options *opt);

/* Detects the format of data (length bytes) from its content; TM_IMPORT_UNKNOWN if none. */
tm_import_format tm_import_detect(const void *data, size_t length);

/* Reads the file at path (any supported format, detected from the content) into *out
 * (zeroed first). opt may be NULL for defaults. On failure out holds nothing to free and err
 * names the file, the line or JSON path and the element: TUMEN_EPARSE for a file that is not
 * well-formed or of no known format, TUMEN_EINPUT for a wrong namespace, a reference to a
 * missing element, a value out of range; TUMEN_EIO, TUMEN_ENOMEM. */
int tm_import_file(const char *path, const tm_import_options *opt, tm_import *out,
                   tumen_error *err);

/* Same from memory; name is used in messages. OSM PBF goes through a temporary file (the
 * readosm library reads only files). */
int tm_import_memory(const char *name, const void *data, size_t length,
                     const tm_import_options *opt, tm_import *out, tumen_error *err);

/* Frees what an import owns and zeroes it; NULL is a no-op. */
void tm_import_free(tm_import *imp);

#endif
