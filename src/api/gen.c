/* gen.c: a synthetic national network, its rolling stock and a day's timetable written as
 * tumen YAML (gen/gen.h). */
#include "api/api.h"

#include <string.h>

#include "core/error.h"
#include "formats/yaml_doc.h"
#include "gen/gen.h"

void tumen_gen_options_init(tumen_gen_options *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->km = 5000.0;
    o->services = 10000;
    o->seed = 1;
}

int tumen_gen_network(const tumen_gen_options *options, const char *dir, tumen_gen_stats *stats,
                      tumen_error *err)
{
    tm_error_clear(err);
    if (!dir)
        return tm_api_null(err, "dir");
    tumen_gen_options o;
    tumen_gen_options_init(&o);
    tm_api_options(&o, sizeof o, options);
    tm_gen_options g = {o.km, o.services, o.seed};
    tm_gen_stats st;
    int rc = tm_gen_network(&g, dir, &st, err);
    if (rc != TUMEN_OK || !stats)
        return rc;
    tumen_gen_stats s;
    s.ops = st.n_ops;
    s.tracks = st.n_tracks;
    s.sections = st.n_sections;
    s.signals = st.n_signals;
    s.lines = st.n_lines;
    s.track_km = st.track_km;
    s.main_km = st.main_km;
    s.branch_km = st.branch_km;
    s.vehicles = st.n_vehicles;
    s.trains = st.n_trains;
    s.services = st.n_services;
    s.network_nodes = st.network_nodes;
    s.timetable_nodes = st.timetable_nodes;
    tm_api_fill(stats, &s, sizeof s);
    return TUMEN_OK;
}
