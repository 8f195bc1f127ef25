/* cmd_export.c: `tumen export FILE... --railml OUT.xml --geojson OUT.json`: a network (tumen
 * YAML, or any file tumen imports) as railML 2.4 (infrastructure, rolling stock, timetable)
 * or GeoJSON, with the trains of the timetable at a clock time (--positions HH:MM). */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char export_usage[] =
    "usage: tumen export FILE... [--railml OUT.xml] [--geojson OUT.json] [--positions HH:MM]\n"
    "\n"
    "Writes the scenario's network (and rolling stock and timetable) in other formats.\n"
    "FILE... is tumen YAML, or one file of a format tumen imports (railML, OSRD railjson,\n"
    "OpenStreetMap; see tumen import).\n"
    "\n"
    "  --railml FILE      railML 2.4: infrastructure, rolling stock, timetable\n"
    "  --geojson FILE     GeoJSON: operational points as Points, tracks as LineStrings\n"
    "                     (their imported shape, else straight between their ends)\n"
    "  --positions HH:MM  with --geojson: run the timetable and add each train running at\n"
    "                     that time as a Point (service, train, track, speed)\n"
    "\n"
    "GTFS comes from the timetable: tumen timetable FILE... --gtfs DIR.\n";

static int parse_clock(const char *text, double *out)
{
    unsigned h = 0, m = 0;
    int n = 0;
    if (sscanf(text, "%u:%u%n", &h, &m, &n) != 2 || text[n] || h > 47 || m > 59)
        return -1;
    *out = h * 3600.0 + m * 60.0;
    return 0;
}

/* Writes what was asked; the exit status. */
static int write_outputs(const tumen_scenario *sc, const char *railml, const char *geojson,
                         const tumen_geojson_options *g)
{
    tumen_error err = {0};
    if (railml && tumen_export_write_railml(sc, railml, &err) != TUMEN_OK)
        return tm_cli_fail(&err);
    if (geojson && g->positions && !tumen_scenario_service_count(sc)) {
        fprintf(stderr, "tumen export: --positions needs a timetable in the files\n");
        return TM_EXIT_INPUT;
    }
    if (geojson && tumen_export_write_geojson(sc, g, geojson, &err) != TUMEN_OK)
        return tm_cli_fail(&err);
    return TM_EXIT_OK;
}

int tm_cmd_export(int argc, char **argv)
{
    tm_cli_list files = {0};
    const char *railml = NULL, *geojson = NULL, *positions = NULL;
    const char *missing = "missing value after";
    const tm_cli_option options[] = {
        {"--railml", NULL, TM_CLI_VALUE, &railml, missing},
        {"--geojson", NULL, TM_CLI_VALUE, &geojson, missing},
        {"--positions", NULL, TM_CLI_VALUE, &positions, missing},
    };
    const tm_cli_command c = {"export", export_usage, options, sizeof options / sizeof *options,
                              "unknown option", &files};
    tumen_geojson_options g;
    tumen_geojson_options_init(&g);
    int rc = tm_cli_parse(&c, argc, argv);
    if (rc < 0 && positions && parse_clock(positions, &g.clock))
        rc = tm_cli_usage(&c, "--positions takes a clock time HH:MM, not", positions);
    g.positions = positions != NULL;
    if (rc < 0 && !files.n)
        rc = tm_cli_usage(&c, "no file given", NULL);
    if (rc < 0 && !railml && !geojson)
        rc = tm_cli_usage(&c, "nothing to write: give --railml or --geojson", NULL);
    if (rc < 0 && positions && !geojson)
        rc = tm_cli_usage(&c, "--positions goes with --geojson", NULL);
    tumen_error err = {0};
    tumen_import *imp = NULL;
    tumen_scenario *own = NULL;
    const tumen_scenario *sc = NULL;
    if (rc < 0 && files.n == 1 && tumen_import_detect_file(files.items[0])) {
        if (tumen_import_file(files.items[0], NULL, &imp, &err) != TUMEN_OK)
            rc = tm_cli_fail(&err);
        sc = tumen_import_scenario(imp);
    } else if (rc < 0 && tumen_scenario_load(&own, files.items, files.n, &err) != TUMEN_OK) {
        rc = tm_cli_fail(&err);
    } else {
        sc = own;
    }
    if (rc < 0)
        rc = write_outputs(sc, railml, geojson, &g);
    tumen_import_destroy(imp);
    tumen_scenario_destroy(own);
    tm_cli_free(&c);
    return rc;
}
