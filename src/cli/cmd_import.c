/* cmd_import.c: `tumen import FILE`: railML, OSRD railjson and rolling stock, OpenStreetMap
 * into tumen: the counts of what the file held, and the network as tumen YAML. */
#include "cli/cli.h"

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

int tm_cmd_import(int argc, char **argv)
{
    tm_cli_list files = {0};
    const char *out = NULL, *speed = NULL;
    int summary = 0, json = 0;
    tumen_import_options opt;
    tumen_import_options_init(&opt);
    const tm_cli_option options[] = {
        {"--summary", NULL, TM_CLI_FLAG, &summary, NULL},
        {"--json", NULL, TM_CLI_FLAG, &json, NULL},
        {"--drop-sidings", NULL, TM_CLI_FLAG, &opt.drop_sidings, NULL},
        {"--strict", NULL, TM_CLI_FLAG, &opt.strict, NULL},
        {"--no-temporary", NULL, TM_CLI_FLAG, &opt.drop_temporary, NULL},
        {"--output", "-o", TM_CLI_VALUE, &out, "missing file after"},
        {"--default-speed", NULL, TM_CLI_VALUE, &speed, "missing speed after"},
    };
    const tm_cli_command c = {"import", import_usage, options, sizeof options / sizeof *options,
                              "unknown option", &files};
    int status = tm_cli_parse(&c, argc, argv);
    double v = 0.0;
    if (status < 0 && speed && (tm_cli_number(speed, &v) || !(v > 0.0 && v <= 1000.0)))
        status = tm_cli_usage(&c, "the default speed must be a number of km/h in (0, 1000]:",
                              speed);
    opt.default_speed = v / 3.6;
    if (status < 0 && files.n > 1)
        status = tm_cli_usage(&c, "one file at a time; a second file", files.items[1]);
    if (status < 0 && !files.n)
        status = tm_cli_usage(&c, "no file given", NULL);
    tumen_error err = {0};
    tumen_import *imp = NULL;
    if (status < 0 && tumen_import_file(files.items[0], &opt, &imp, &err) != TUMEN_OK)
        status = tm_cli_fail(&err);
    if (status < 0 && out && tumen_import_write_network(imp, out, &err) != TUMEN_OK)
        status = tm_cli_fail(&err);
    if (status < 0 && (summary || json || !out)) {
        char *text = NULL;
        size_t length = 0;
        int rc = json ? tumen_import_summary_json(imp, &text, &length, &err)
                      : tumen_import_summary_text(imp, &text, &length, &err);
        status = tm_cli_print(rc, text, length, &err);
    }
    tumen_import_summary s;
    s.size = sizeof s;
    if (imp && status <= 0) { /* read, and written or printed */
        tumen_import_get_summary(imp, &s);
        if (s.trains_without_network)
            fprintf(stderr,
                    "tumen import: %s: its timetable's %zu train(s) were counted, not read: "
                    "the file has no infrastructure and they name operational points by id; "
                    "to run them, import a railML file that holds them with the network they "
                    "run on\n",
                    files.items[0], s.trains_without_network);
    }
    tumen_import_destroy(imp);
    tm_cli_free(&c);
    return status < 0 ? TM_EXIT_OK : status;
}
