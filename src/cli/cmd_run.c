/* cmd_run.c: `tumen run FILE...`: the running-time calculation and its timetable. */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char run_usage[] =
    "usage: tumen run FILE... [--mass-model point|strip] [--step SECONDS] [--json]\n"
    "                 [--trajectory OUT.csv] [--plot OUT.png|OUT.svg]\n"
    "                 [--allowance 5%|\"3 min/100km\"|\"90 s\"] [--driving eco|linear] [--fastest]\n"
    "                 [--objective wheel|supply]\n"
    "\n"
    "Runs the scenario's journey (or its only train over its only line) at maximum\n"
    "effort: accelerate, cruise at the most restrictive limit, brake for lower limits\n"
    "and stops, dwell, restart. Prints the timetable at every timing point, the total\n"
    "running time, distance, traction energy at the wheel and the highest speed.\n"
    "A time or speed bound of the journey that is not enforced or not met (a lower\n"
    "time bound a later upper bound makes unmeetable, a speed bound the run breaks) is\n"
    "a warning on stderr naming where it is written (docs/formats.md).\n"
    "\n"
    "  FILE...             a journey file, or a train file and a path file; tumen YAML\n"
    "                      or railtoolkit YAML (docs/formats.md)\n"
    "  --mass-model MODEL  point: all mass at the head (default); strip: the train as a\n"
    "                      homogeneous strip, gradient averaged over its length\n"
    "  --step SECONDS      largest integration step (default 2 s; error is O(step^4))\n"
    "  --json              print one JSON object instead of the table: running_time_s,\n"
    "                      distance_m, energy_j, max_speed_ms, timing_points[] (name,\n"
    "                      position_m, arrival_s, departure_s), legs[], warnings[]\n"
    "  --trajectory FILE   write every trajectory point as CSV (t, s, v, a, forces, mode)\n"
    "  --plot FILE         write the speed-distance plot (speed, limit, gradient); the\n"
    "                      format follows the extension, .png or .svg\n"
    "  --allowance A       running-time allowance for every leg, replacing the files':\n"
    "                      a percentage of the fastest running time (5%), a time per\n"
    "                      100 km (\"3 min/100km\") or a time (\"90 s\", shared among legs)\n"
    "  --driving MODE      how the allowance is spent: eco (default: cruise below the limit\n"
    "                      and coast, least energy) or linear (all limits scaled)\n"
    "  --fastest           ignore the files' allowances and targets: the minimum-time run\n"
    "  --objective OBJ     what eco driving minimises: wheel (default: traction work at the\n"
    "                      wheel) or supply (from the supply, regenerated braking counted)\n";

typedef struct run_args {
    tm_cli_list files;
    int json, fastest;
    const char *mass_model, *step, *allowance, *driving, *objective, *trajectory, *plot;
} run_args;

/* The engine's options from the arguments; -1, or the exit status of a usage error. */
static int options_of(const tm_cli_command *c, const run_args *a, tumen_run_options *o)
{
    tumen_run_options_init(o);
    o->fastest = a->fastest;
    if (a->mass_model) {
        const char *m = a->mass_model;
        if (!strcmp(m, "point") || !strcmp(m, "mass_point"))
            o->mass_model = TUMEN_MASS_POINT;
        else if (!strcmp(m, "strip") || !strcmp(m, "homogeneous_strip"))
            o->mass_model = TUMEN_MASS_STRIP;
        else
            return tm_cli_usage(c, "unknown mass model (point or strip):", m);
    }
    if (a->step && (tm_cli_number(a->step, &o->max_step) || !(o->max_step > 0.0) ||
                    o->max_step > 60.0))
        return tm_cli_usage(c, "--step takes seconds in (0, 60], not", a->step);
    tumen_error e = {0};
    if (a->allowance && tumen_allowance_parse(a->allowance, &o->allowance, &e) != TUMEN_OK)
        return tm_cli_usage(c, "--allowance takes 5%, \"3 min/100km\" or \"90 s\", not",
                            a->allowance);
    if (a->driving) {
        if (!strcmp(a->driving, "eco"))
            o->driving = TUMEN_DRIVING_ECO;
        else if (!strcmp(a->driving, "linear"))
            o->driving = TUMEN_DRIVING_LINEAR;
        else
            return tm_cli_usage(c, "unknown driving mode (eco or linear):", a->driving);
    }
    if (a->objective) {
        if (!strcmp(a->objective, "wheel"))
            o->objective = TUMEN_OBJECTIVE_WHEEL;
        else if (!strcmp(a->objective, "supply"))
            o->objective = TUMEN_OBJECTIVE_SUPPLY;
        else
            return tm_cli_usage(c, "unknown objective (wheel or supply):", a->objective);
    }
    if (a->files.n == 0)
        return tm_cli_usage(c, "no input file", NULL);
    /* An unknown plot format is a usage error: say so before computing anything. */
    if (a->plot && !tm_cli_has_ext(a->plot, ".png", 0) && !tm_cli_has_ext(a->plot, ".svg", 0))
        return tm_cli_usage(c, "--plot takes a .png or .svg file, not", a->plot);
    return -1;
}

static int write_outputs(const run_args *a, const tumen_result *r, tumen_error *err)
{
    if (a->trajectory && tumen_write_trajectory_csv(r, a->trajectory, err) != TUMEN_OK)
        return err->code;
    if (a->plot) {
        char title[256];
        snprintf(title, sizeof title, "%s", a->files.items[0]);
        if (tumen_write_plot(r, title, a->plot, err) != TUMEN_OK)
            return err->code;
    }
    return TUMEN_OK;
}

int tm_cmd_run(int argc, char **argv)
{
    run_args a = {0};
    const char *value = "this option needs a value:", *file = "this option needs a file name:";
    const tm_cli_option options[] = {
        {"--json", NULL, TM_CLI_FLAG, &a.json, NULL},
        {"--fastest", NULL, TM_CLI_FLAG, &a.fastest, NULL},
        {"--mass-model", NULL, TM_CLI_VALUE, &a.mass_model, value},
        {"--step", NULL, TM_CLI_VALUE, &a.step, value},
        {"--allowance", NULL, TM_CLI_VALUE, &a.allowance, value},
        {"--driving", NULL, TM_CLI_VALUE, &a.driving, value},
        {"--objective", NULL, TM_CLI_VALUE, &a.objective, value},
        {"--trajectory", NULL, TM_CLI_VALUE, &a.trajectory, file},
        {"--plot", NULL, TM_CLI_VALUE, &a.plot, file},
    };
    const tm_cli_command c = {"run", run_usage, options, sizeof options / sizeof *options,
                              "unknown option", &a.files};
    tumen_run_options o;
    int status = tm_cli_parse(&c, argc, argv);
    if (status < 0)
        status = options_of(&c, &a, &o);
    if (status >= 0) {
        tm_cli_free(&c);
        return status;
    }
    tumen_error err = {0};
    tumen_scenario *sc = NULL;
    tumen_result *r = NULL;
    char *text = NULL;
    size_t length = 0;
    int rc = tumen_scenario_load(&sc, a.files.items, a.files.n, &err);
    if (rc == TUMEN_OK)
        rc = tumen_run(sc, &o, &r, &err);
    for (size_t i = 0; rc == TUMEN_OK && i < r->n_warnings; i++)
        tm_cli_warn(&r->warnings[i]);
    if (rc == TUMEN_OK)
        rc = write_outputs(&a, r, &err);
    if (rc == TUMEN_OK)
        rc = a.json ? tumen_result_json(r, &text, &length, &err)
                    : tumen_result_text(r, &text, &length, &err);
    status = tm_cli_print(rc, text, length, &err);
    tumen_result_destroy(r);
    tumen_scenario_destroy(sc);
    tm_cli_free(&c);
    return status;
}
