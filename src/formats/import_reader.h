/* import_reader.h: what a format reader is. What an import yields (tm_import: the scenario,
 * the counts the file held, the tracks' shapes), the options it takes, the context each
 * reader fills on its way there and the building of the network from it (import_reader.c);
 * and the readers' entry points (railml2.c, railml2_tt.c, railml3.c, railjson.c,
 * osrd_stock.c, osm.c), which the dispatcher (import.c, import.h) calls. The readers and
 * the dispatcher stand above import_reader.c, which stands on the fine topology
 * (import_graph.h) alone. */
#ifndef TM_IMPORT_READER_H
#define TM_IMPORT_READER_H

#include <stddef.h>

#include <jansson.h>
#include <libxml/tree.h>

#include "formats/import_graph.h"
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

/* Frees what an import owns and zeroes it; NULL is a no-op. */
void tm_import_free(tm_import *imp);

/* One import in progress. */
typedef struct tm_import_ctx {
    const char *file;              /* for messages */
    const tm_import_options *opt;
    tm_import *out;                /* summary, version; scenario allocated by import.c */
    tm_import_graph graph;
} tm_import_ctx;

/* Builds ctx->graph into the scenario's network and the geometry. */
int tm_import_finish_network(tm_import_ctx *ctx, tumen_error *err);

/* Readers: each fills ctx->out->summary and ctx->out->version, adds to ctx->graph and calls
 * tm_import_finish_network; rolling stock and timetables go to ctx->out->scenario. */
int tm_railml2_read(tm_import_ctx *ctx, xmlDoc *doc, tumen_error *err);
int tm_railml3_read(tm_import_ctx *ctx, xmlDoc *doc, tumen_error *err);
int tm_railjson_read(tm_import_ctx *ctx, json_t *root, tumen_error *err);
int tm_osrd_stock_read(tm_import_ctx *ctx, json_t *root, tumen_error *err);
/* path: a file readosm can open (its name ends in .osm or .pbf); data/length: the same
 * content, for locating errors in XML. */
int tm_osm_read(tm_import_ctx *ctx, const char *path, int pbf, const void *data, size_t length,
                tumen_error *err);

/* railML 2 rolling stock (vehicles, formations) and timetable (trains, train parts) of the
 * document root into ctx->out->scenario, after its network is built (railml2_tt.c). */
int tm_railml2_stock_timetable(tm_import_ctx *ctx, const xmlNode *root, tumen_error *err);

/* railML 2 namespaces tumen accepts (NULL-terminated); the first is what it writes. */
extern const char *const tm_railml2_namespaces[];

/* Parses "HH:MM[:SS]" (hours may exceed 23) into seconds; -1 if malformed. */
double tm_import_parse_clock(const char *text);

#endif
