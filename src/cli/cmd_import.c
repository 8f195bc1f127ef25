/* cmd_import.c: `tumen import FILE`: railML, OSRD railjson and rolling stock, OpenStreetMap
 * into tumen: the counts of what the file held, and the network as tumen YAML. */
#include "cli/cli.h"
#include "core/atomic.h"
#include "formats/import.h"
#include "formats/network_write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char import_usage[] =
    "usage: tumen import FILE [--summary] [--json] [-o NETWORK.yaml] [--drop-sidings]\n"
    "                    [--strict] [--no-temporary] [--default-speed KMH]\n"
    "\n"
    "Reads railML 2.2-2.5 (infrastructure, rolling stock, timetable), railML 3.1/3.2\n"
    "infrastructure, OSRD railjson infrastructure, OSRD rolling stock JSON, or\n"
    "OpenStreetMap XML or PBF (the format is detected from the content), and turns it into\n"
    "a tumen network: operational points joined by tracks (docs/formats.md, \"Imports\").\n"
    "\n"
    "  --summary          print the counts of what the file held (the default without -o)\n"
    "  --json             print the counts as one JSON object: tracks, length_m, switches,\n"
    "                     switch_connections (the legal moves through them),\n"
    "                     signals, speed_changes, gradient_changes, curve_changes,\n"
    "                     operational_points, vehicles, trains (and open_refs)\n"
    "  -o FILE            write the network as tumen YAML (tumen route, timetable take it)\n"
    "  --drop-sidings     OSM: leave out service=yard, siding and spur tracks\n"
    "  --strict           railML 2: a connection to nothing in the file, or an element\n"
    "                     beyond its track, is an error (else the track ends there, or\n"
    "                     the element moves to the track's end, as extracts need)\n"
    "  --no-temporary     leave out temporary speed restrictions\n"
    "  --default-speed V  km/h where the file gives no speed limit (default 100)\n";

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "tumen import: %s%s%s%s\n%s", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "", import_usage);
    return TM_EXIT_INPUT;
}

static void print_summary(const tm_import *imp, int json)
{
    const tm_import_summary *s = &imp->summary;
    if (json) {
        printf("{\"format\": \"%s\", \"version\": \"%s\", \"tracks\": %zu, \"length_m\": %.3f, "
               "\"switches\": %zu, \"switch_connections\": %zu, \"signals\": %zu, "
               "\"speed_changes\": %zu, "
               "\"gradient_changes\": %zu, \"curve_changes\": %zu, \"operational_points\": %zu, "
               "\"vehicles\": %zu, \"trains\": %zu, \"open_refs\": %zu, \"outside\": %zu}\n",
               tm_import_format_name(imp->format), imp->version, s->tracks, s->length_m,
               s->switches, s->switch_connections, s->signals, s->speed_changes,
               s->gradient_changes, s->curve_changes, s->operational_points, s->vehicles,
               s->trains, s->open_refs, s->outside);
        return;
    }
    printf("%s %s\n"
           "tracks              %zu\n"
           "length              %.3f km\n"
           "switches            %zu\n"
           "switch connections  %zu\n"
           "signals             %zu\n"
           "speed changes       %zu\n"
           "gradient changes    %zu\n"
           "curve changes       %zu\n"
           "operational points  %zu\n"
           "vehicles            %zu\n"
           "trains              %zu\n",
           tm_import_format_name(imp->format), imp->version, s->tracks, s->length_m / 1000.0,
           s->switches, s->switch_connections, s->signals, s->speed_changes,
           s->gradient_changes, s->curve_changes, s->operational_points, s->vehicles, s->trains);
    if (s->open_refs)
        printf("open references     %zu (lead out of the file: the tracks end there)\n",
               s->open_refs);
    if (s->outside)
        printf("outside their track %zu (placed at its nearer end; --strict refuses them)\n",
               s->outside);
}

static int write_network(const tm_import *imp, const char *path)
{
    tumen_error err;
    tm_atomic_file af;
    FILE *f = tm_atomic_open(path, &af, &err);
    if (!f)
        return tm_cli_fail(&err);
    if (tm_scenario_write_yaml(imp->scenario, f)) {
        tm_atomic_abort(&af);
        tm_io_error(&err, "write", path, EIO);
        return tm_cli_fail(&err);
    }
    int rc = tm_atomic_commit(&af, &err);
    return rc == TUMEN_OK ? TM_EXIT_OK : tm_cli_fail(&err);
}

int tm_cmd_import(int argc, char **argv)
{
    const char *file = NULL, *out = NULL;
    int summary = 0, json = 0;
    tm_import_options opt;
    tm_import_options_init(&opt);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(import_usage, stdout);
            return TM_EXIT_OK;
        } else if (!strcmp(a, "--summary")) {
            summary = 1;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--drop-sidings")) {
            opt.drop_sidings = 1;
        } else if (!strcmp(a, "--strict")) {
            opt.strict = 1;
        } else if (!strcmp(a, "--no-temporary")) {
            opt.drop_temporary = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc)
                return usage_error("missing file after", a);
            out = argv[i];
        } else if (!strcmp(a, "--default-speed")) {
            char *end = NULL;
            if (++i >= argc)
                return usage_error("missing speed after", a);
            double v = strtod(argv[i], &end);
            if (end == argv[i] || *end || !(v > 0.0 && v <= 1000.0))
                return usage_error("the default speed must be a number of km/h in (0, 1000]:",
                                   argv[i]);
            opt.default_speed = v / 3.6;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option", a);
        } else if (file) {
            return usage_error("one file at a time; a second file", a);
        } else {
            file = a;
        }
    }
    if (!file)
        return usage_error("no file given", NULL);
    tm_import imp;
    tumen_error err;
    if (tm_import_file(file, &opt, &imp, &err) != TUMEN_OK)
        return tm_cli_fail(&err);
    int rc = TM_EXIT_OK;
    if (out)
        rc = write_network(&imp, out);
    if (rc == TM_EXIT_OK && (summary || json || !out))
        print_summary(&imp, json);
    if (rc == TM_EXIT_OK && imp.trains_without_network)
        fprintf(stderr,
                "tumen import: %s: its timetable's %zu train(s) were counted, not read: the "
                "file has no infrastructure and they name operational points by id; to run "
                "them, import a railML file that holds them with the network they run on\n",
                file, imp.trains_without_network);
    tm_import_free(&imp);
    return rc;
}
