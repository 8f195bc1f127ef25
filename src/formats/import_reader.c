/* import_reader.c: what an import yields and the context a reader fills (import_reader.h):
 * the format names, the default options, the network built from the reader's graph, and
 * the freeing of it all. */
#include "formats/import_reader.h"

#include <string.h>

const char *tm_import_format_name(tm_import_format f)
{
    switch (f) {
    case TM_IMPORT_RAILML2: return "railML 2";
    case TM_IMPORT_RAILML3: return "railML 3";
    case TM_IMPORT_RAILJSON: return "OSRD railjson infrastructure";
    case TM_IMPORT_OSRD_STOCK: return "OSRD rolling stock";
    case TM_IMPORT_OSM_XML: return "OpenStreetMap XML";
    case TM_IMPORT_OSM_PBF: return "OpenStreetMap PBF";
    default: return "unknown";
    }
}

void tm_import_options_init(tm_import_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->default_speed = 100.0 / 3.6;
}

int tm_import_finish_network(tm_import_ctx *ctx, tumen_error *err)
{
    tm_import *out = ctx->out;
    ctx->graph.default_speed = ctx->opt->default_speed;
    int rc = tm_import_graph_build(&ctx->graph, &out->scenario->network, &out->geometry,
                                   ctx->file, err);
    tm_ig_free(&ctx->graph);
    return rc;
}

void tm_import_free(tm_import *imp)
{
    if (!imp)
        return;
    if (imp->scenario)
        tm_polylines_free(imp->geometry, imp->scenario->network.n_tracks);
    tm_scenario_free(imp->scenario);
    memset(imp, 0, sizeof *imp);
}
