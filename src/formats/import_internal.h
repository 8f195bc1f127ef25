/* import_internal.h: the format readers (railml2.c, railml3.c, railjson.c, osrd_stock.c,
 * osm.c) that import.c dispatches to. What they share (the context they fill, the building
 * of the network) is in import_result.h, below them. */
#ifndef TM_IMPORT_INTERNAL_H
#define TM_IMPORT_INTERNAL_H

#include <jansson.h>
#include <libxml/tree.h>

#include "formats/import_result.h"

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
