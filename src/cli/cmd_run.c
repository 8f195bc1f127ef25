/* cmd_run.c: `tumen run FILE...`: the running-time calculation and its timetable. */
#include "model/scenario.h"
#include "run/run.h"
#include "formats/readers.h"
#include "cli/cli.h"
#include "formats/output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char run_usage[] =
    "usage: tumen run FILE... [--mass-model point|strip] [--step SECONDS] [--json]\n"
    "                 [--trajectory OUT.csv] [--plot OUT.png|OUT.svg]\n"
    "                 [--allowance 5%|\"3 min/100km\"|\"90 s\"] [--driving eco|linear] [--fastest]\n"
    "\n"
    "Runs the scenario's journey (or its only train over its only line) at maximum\n"
    "effort: accelerate, cruise at the most restrictive limit, brake for lower limits\n"
    "and stops, dwell, restart. Prints the timetable at every timing point, the total\n"
    "running time, distance, traction energy at the wheel and the highest speed.\n"
    "\n"
    "  FILE...             a journey file, or a train file and a path file; tumen YAML\n"
    "                      or railtoolkit YAML (docs/formats.md)\n"
    "  --mass-model MODEL  point: all mass at the head (default); strip: the train as a\n"
    "                      homogeneous strip, gradient averaged over its length\n"
    "  --step SECONDS      largest integration step (default 2 s; error is O(step^4))\n"
    "  --json              print one JSON object instead of the table: running_time_s,\n"
    "                      distance_m, energy_j, max_speed_ms, timing_points[] (name,\n"
    "                      position_m, arrival_s, departure_s), legs[]\n"
    "  --trajectory FILE   write every trajectory point as CSV (t, s, v, a, forces, mode)\n"
    "  --plot FILE         write the speed-distance plot (speed, limit, gradient); the\n"
    "                      format follows the extension, .png or .svg\n"
    "  --allowance A       running-time allowance for every leg, replacing the files':\n"
    "                      a percentage of the fastest running time (5%), a time per\n"
    "                      100 km (\"3 min/100km\") or a time (\"90 s\", shared among legs)\n"
    "  --driving MODE      how the allowance is spent: eco (default: cruise below the limit\n"
    "                      and coast, least energy) or linear (all limits scaled)\n"
    "  --fastest           ignore the files' allowances and targets: the minimum-time run\n";

typedef struct run_args {
    const char **files;
    size_t n_files;
    tumen_run_options options;
    int json;
    const char *trajectory, *plot;
} run_args;

/* Prints "tumen run: <what> '<arg>'" and the usage; returns the usage exit status. */
static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "tumen run: %s%s%s%s\n%s", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "", run_usage);
    return TM_EXIT_INPUT;
}

/* Returns -1 when parsing succeeded, else the exit status. */
static int parse_args(int argc, char **argv, run_args *a)
{
    tumen_run_options_init(&a->options);
    a->files = calloc((size_t)argc, sizeof *a->files);
    if (!a->files)
        return TM_EXIT_FAILURE;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int has_value = i + 1 < argc;
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            fputs(run_usage, stdout);
            return TM_EXIT_OK;
        } else if (!strcmp(arg, "--json")) {
            a->json = 1;
        } else if (!strcmp(arg, "--mass-model")) {
            if (!has_value)
                return usage_error("this option needs a value:", arg);
            const char *m = argv[++i];
            if (!strcmp(m, "point") || !strcmp(m, "mass_point"))
                a->options.mass_model = TUMEN_MASS_POINT;
            else if (!strcmp(m, "strip") || !strcmp(m, "homogeneous_strip"))
                a->options.mass_model = TUMEN_MASS_STRIP;
            else
                return usage_error("unknown mass model (point or strip):", m);
        } else if (!strcmp(arg, "--step")) {
            if (!has_value)
                return usage_error("this option needs a value:", arg);
            char *end = NULL;
            double h = strtod(argv[++i], &end);
            if (!end || *end || !(h > 0.0) || h > 60.0)
                return usage_error("--step takes seconds in (0, 60], not", argv[i]);
            a->options.max_step = h;
        } else if (!strcmp(arg, "--allowance")) {
            if (!has_value)
                return usage_error("this option needs a value:", arg);
            tumen_error e = {0};
            if (tumen_allowance_parse(argv[++i], &a->options.allowance, &e) != TUMEN_OK)
                return usage_error("--allowance takes 5%, \"3 min/100km\" or \"90 s\", not",
                                   argv[i]);
        } else if (!strcmp(arg, "--driving")) {
            if (!has_value)
                return usage_error("this option needs a value:", arg);
            const char *m = argv[++i];
            if (!strcmp(m, "eco"))
                a->options.driving = TUMEN_DRIVING_ECO;
            else if (!strcmp(m, "linear"))
                a->options.driving = TUMEN_DRIVING_LINEAR;
            else
                return usage_error("unknown driving mode (eco or linear):", m);
        } else if (!strcmp(arg, "--fastest")) {
            a->options.fastest = 1;
        } else if (!strcmp(arg, "--trajectory")) {
            if (!has_value)
                return usage_error("this option needs a file name:", arg);
            a->trajectory = argv[++i];
        } else if (!strcmp(arg, "--plot")) {
            if (!has_value)
                return usage_error("this option needs a file name:", arg);
            a->plot = argv[++i];
        } else if (arg[0] == '-' && arg[1]) {
            return usage_error("unknown option", arg);
        } else {
            a->files[a->n_files++] = arg;
        }
    }
    if (a->n_files == 0)
        return usage_error("no input file", NULL);
    return -1;
}

static int print_json(const tumen_result *r)
{
    json_t *doc = tm_result_to_json(r);
    if (!doc) {
        fprintf(stderr, "tumen: out of memory\n");
        return TM_EXIT_FAILURE;
    }
    int rc = json_dumpf(doc, stdout, TM_JSON_DUMP_FLAGS);
    json_decref(doc);
    putchar('\n');
    return rc == 0 ? TM_EXIT_OK : TM_EXIT_FAILURE;
}

static int write_outputs(const run_args *a, const tumen_result *r, tumen_error *err)
{
    if (a->trajectory && tumen_write_trajectory_csv(r, a->trajectory, err) != TUMEN_OK)
        return err->code;
    if (a->plot) {
        char title[256];
        snprintf(title, sizeof title, "%s", a->files[0]);
        if (tumen_write_plot(r, title, a->plot, err) != TUMEN_OK)
            return err->code;
    }
    return TUMEN_OK;
}

int tm_cmd_run(int argc, char **argv)
{
    run_args a = {0};
    int status = parse_args(argc, argv, &a);
    if (status >= 0) {
        free(a.files);
        return status;
    }
    /* An unknown plot format is a usage error: say so before computing anything. */
    if (a.plot) {
        const char *dot = strrchr(a.plot, '.');
        if (!dot || (strcmp(dot, ".png") && strcmp(dot, ".svg"))) {
            status = usage_error("--plot takes a .png or .svg file, not", a.plot);
            free(a.files);
            return status;
        }
    }
    tumen_error err = {0};
    tm_scenario *sc = NULL;
    tumen_result *r = NULL;
    if (tm_scenario_load(&sc, a.files, a.n_files, &err) != TUMEN_OK ||
        tm_scenario_run(sc, &a.options, &r, &err) != TUMEN_OK ||
        write_outputs(&a, r, &err) != TUMEN_OK) {
        status = tm_cli_fail(&err);
    } else {
        status = a.json ? print_json(r) : (tm_cli_print_table(r), TM_EXIT_OK);
    }
    tumen_result_destroy(r);
    tm_scenario_free(sc);
    free(a.files);
    return status;
}
