/* cmd_export.c: `tumen export FILE... --railml OUT.xml --geojson OUT.json`: a network (tumen
 * YAML, or any file tumen imports) as railML 2.4 (infrastructure, rolling stock, timetable)
 * or GeoJSON, with the trains of the timetable at a clock time (--positions HH:MM). */
#include "model/scenario.h"
#include "formats/readers.h"
#include "cli/cli.h"
#include "core/atomic.h"
#include "formats/geojson.h"
#include "formats/import.h"
#include "formats/railml_write.h"
#include "plan/timetable.h"

#include <errno.h>
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

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "tumen export: %s%s%s%s\n%s", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "", export_usage);
    return TM_EXIT_INPUT;
}

/* The format of a file from its first MiB (UNKNOWN for tumen YAML or unreadable files). */
static tm_import_format detect(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return TM_IMPORT_UNKNOWN;
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    size_t n = buf ? fread(buf, 1, cap, f) : 0;
    fclose(f);
    tm_import_format fmt = buf ? tm_import_detect(buf, n) : TM_IMPORT_UNKNOWN;
    free(buf);
    return fmt;
}

static int parse_clock(const char *text, double *out)
{
    unsigned h = 0, m = 0;
    int n = 0;
    if (sscanf(text, "%u:%u%n", &h, &m, &n) != 2 || text[n] || h > 47 || m > 59)
        return -1;
    *out = h * 3600.0 + m * 60.0;
    return 0;
}

static int write_railml(const tm_scenario *s, const char *path)
{
    tumen_error err;
    tm_atomic_file af;
    FILE *f = tm_atomic_open(path, &af, &err);
    if (!f)
        return tm_cli_fail(&err);
    if (tm_railml_write(s, f)) {
        tm_atomic_abort(&af);
        tm_io_error(&err, "write", path, EIO);
        return tm_cli_fail(&err);
    }
    return tm_atomic_commit(&af, &err) == TUMEN_OK ? TM_EXIT_OK : tm_cli_fail(&err);
}

static int write_geojson(const tm_scenario *s, const tm_polyline *geometry,
                         const char *path, int positions, double clock)
{
    tumen_error err;
    tm_timetable_result run;
    memset(&run, 0, sizeof run);
    if (positions) {
        if (!s->timetable.n_services) {
            fprintf(stderr, "tumen export: --positions needs a timetable in the files\n");
            return TM_EXIT_INPUT;
        }
        tm_timetable_options opt;
        tm_timetable_options_init(&opt);
        opt.keep_samples = 1;
        opt.keep_going = 1;
        if (tm_timetable_run(s, NULL, &opt, &run, &err) != TUMEN_OK)
            return tm_cli_fail(&err);
    }
    json_t *fc = tm_geojson_build(s, geometry, positions ? &run : NULL, clock);
    tm_timetable_result_free(&run);
    if (!fc) {
        fputs("tumen export: out of memory\n", stderr);
        return TM_EXIT_FAILURE;
    }
    tm_atomic_file af;
    FILE *f = tm_atomic_open(path, &af, &err);
    if (!f) {
        json_decref(fc);
        return tm_cli_fail(&err);
    }
    int bad = json_dumpf(fc, f, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) != 0 ||
              fputc('\n', f) == EOF;
    json_decref(fc);
    if (bad) {
        tm_atomic_abort(&af);
        tm_io_error(&err, "write", path, EIO);
        return tm_cli_fail(&err);
    }
    return tm_atomic_commit(&af, &err) == TUMEN_OK ? TM_EXIT_OK : tm_cli_fail(&err);
}

int tm_cmd_export(int argc, char **argv)
{
    const char *railml = NULL, *geojson = NULL;
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t n_files = 0;
    int positions = 0;
    double clock = 0.0;
    if (!files)
        return TM_EXIT_FAILURE;
    int rc = -1;
    for (int i = 1; rc < 0 && i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(export_usage, stdout);
            rc = TM_EXIT_OK;
        } else if (!strcmp(a, "--railml") || !strcmp(a, "--geojson") ||
                   !strcmp(a, "--positions")) {
            if (i + 1 >= argc)
                rc = usage_error("missing value after", a);
            else if (!strcmp(a, "--railml"))
                railml = argv[++i];
            else if (!strcmp(a, "--geojson"))
                geojson = argv[++i];
            else if (parse_clock(argv[++i], &clock))
                rc = usage_error("--positions takes a clock time HH:MM, not", argv[i]);
            else
                positions = 1;
        } else if (a[0] == '-' && a[1]) {
            rc = usage_error("unknown option", a);
        } else {
            files[n_files++] = a;
        }
    }
    if (rc < 0 && !n_files)
        rc = usage_error("no file given", NULL);
    if (rc < 0 && !railml && !geojson)
        rc = usage_error("nothing to write: give --railml or --geojson", NULL);
    if (rc < 0 && positions && !geojson)
        rc = usage_error("--positions goes with --geojson", NULL);
    if (rc >= 0) {
        free(files);
        return rc;
    }
    tumen_error err;
    tm_import imp;
    memset(&imp, 0, sizeof imp);
    tm_scenario *s = NULL;
    if (n_files == 1 && detect(files[0]) != TM_IMPORT_UNKNOWN) {
        if (tm_import_file(files[0], NULL, &imp, &err) != TUMEN_OK)
            rc = tm_cli_fail(&err);
        s = imp.scenario;
    } else if (tm_scenario_load(&s, files, n_files, &err) != TUMEN_OK) {
        rc = tm_cli_fail(&err);
    }
    free(files);
    if (rc < 0 && railml)
        rc = write_railml(s, railml);
    if ((rc < 0 || rc == TM_EXIT_OK) && geojson)
        rc = write_geojson(s, imp.geometry, geojson, positions, clock);
    if (imp.scenario)
        tm_import_free(&imp);
    else
        tm_scenario_free(s);
    return rc < 0 ? TM_EXIT_OK : rc;
}
