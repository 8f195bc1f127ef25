/* cmd_special.c: `tumen special FILE... [--mode fit|priority] [--json]
 * [--out-timetable OUT] [--plot OUT.svg|png]`: a clear, secure path for a special train
 * through a timetable (docs/special.md). */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: tumen special FILE... [--mode fit|priority] [--json] [--out-timetable OUT]\n"
    "                             [--plot OUT.svg|OUT.png] [--threads N]\n"
    "                             [--security-schedule OUT.json|OUT.csv]\n"
    "\n"
    "FILE...: the network, the trains, the timetable and the request (special:;\n"
    "docs/formats.md, \"Special train requests\"; the search: docs/special.md).\n"
    "  --mode fit        leave every other train as planned; the earliest clear path\n"
    "  --mode priority   the special runs as fast as it can; others are held or cancelled\n"
    "                    at the least cost (default: the request's mode, else fit)\n"
    "  --json            the plan as JSON\n"
    "  --out-timetable   write the whole new timetable (timetable YAML: the others as\n"
    "                    retimed, cancelled ones left out, and the convoy's trains). It\n"
    "                    replaces the services of the files before it, so the plan is\n"
    "                    re-checked with the same files and it last:\n"
    "                      tumen conflicts FILE... OUT\n"
    "  --plot            the time-distance diagram of the special's route, its corridor\n"
    "                    shaded\n"
    "  --threads N       read the files and run the timetable on N threads (default 1;\n"
    "                    same result)\n"
    "  --security-schedule  write the route security schedule (JSON or CSV by the\n"
    "                    extension): each protected object, its guard, closure and\n"
    "                    power-off windows and the trains held (docs/special.md)\n"
    "\n"
    "Exit status: 0 a plan; 2 bad input or usage (file:line: field: why; nothing written);\n"
    "3 the request cannot be met (\"infeasible:\" and why on stdout, and the closest feasible\n"
    "alternative where there is one; nothing written); 1 out of memory or a file that\n"
    "cannot be written. An impossible request is not bad input: the request is well\n"
    "formed, the timetable or the rules leave no path.\n";

/* The plan's options from the arguments; -1, or the exit status of a usage error. */
static int options_of(const char *mode, const char *threads, const char *plot,
                      tumen_special_options *o)
{
    tumen_special_options_init(o);
    if (mode && !strcmp(mode, "fit")) {
        o->mode = TUMEN_SPECIAL_FIT;
    } else if (mode && !strcmp(mode, "priority")) {
        o->mode = TUMEN_SPECIAL_PRIORITY;
    } else if (mode) {
        fprintf(stderr, "tumen special: --mode takes fit or priority\n");
        return TM_EXIT_INPUT;
    }
    if (threads) {
        char *end;
        long t = strtol(threads, &end, 10);
        if (*end || t < 1 || t > 256) {
            fprintf(stderr, "tumen special: --threads takes 1 to 256\n");
            return TM_EXIT_INPUT;
        }
        o->common.threads = (int)t;
    }
    if (plot && (strlen(plot) < 5 ||
                 (!tm_cli_has_ext(plot, ".svg", 0) && !tm_cli_has_ext(plot, ".png", 0)))) {
        fprintf(stderr, "tumen special: --plot takes a file ending in .svg or .png\n");
        return TM_EXIT_INPUT;
    }
    return -1;
}

/* Writes what was asked of a plan that meets the request, then prints it; an infeasible
 * request prints why (exit 3) and writes nothing. */
static int report(const tumen_special *sp, int json, const char *out_tt, const char *plot,
                  const char *sched, const tumen_special_options *o)
{
    tumen_error err = {0};
    int feasible = tumen_special_feasible(sp);
    if (feasible && ((out_tt && tumen_special_write_timetable(sp, out_tt, &err) != TUMEN_OK) ||
                     (sched &&
                      tumen_special_write_security_schedule(sp, sched, &err) != TUMEN_OK) ||
                     (plot && tumen_special_write_plot(sp, &o->common, plot, &err) != TUMEN_OK)))
        return tm_cli_fail(&err);
    char *text = NULL;
    size_t length = 0;
    int rc = json ? tumen_special_json(sp, &text, &length, &err)
                  : tumen_special_text(sp, &text, &length, &err);
    int st = tm_cli_print(rc, text, length, &err);
    return st == TM_EXIT_OK && !feasible ? TM_EXIT_PHYSICS : st;
}

int tm_cmd_special(int argc, char **argv)
{
    tm_cli_list files = {0};
    const char *out_tt = NULL, *plot = NULL, *mode = NULL, *threads = NULL, *sched = NULL;
    int json = 0;
    const tm_cli_option options[] = {
        {"--json", NULL, TM_CLI_FLAG, &json, NULL},
        {"--mode", NULL, TM_CLI_VALUE, &mode, NULL},
        {"--threads", NULL, TM_CLI_VALUE, &threads, NULL},
        {"--out-timetable", NULL, TM_CLI_VALUE, &out_tt, NULL},
        {"--plot", NULL, TM_CLI_VALUE, &plot, NULL},
        {"--security-schedule", NULL, TM_CLI_VALUE, &sched, NULL},
    };
    const tm_cli_command c = {"special", help, options, sizeof options / sizeof *options,
                              "unknown option", &files};
    tumen_special_options o;
    int status = tm_cli_parse(&c, argc, argv);
    if (status < 0)
        status = options_of(mode, threads, plot, &o);
    if (status < 0 && !files.n) {
        fputs(help, stderr);
        status = TM_EXIT_INPUT;
    }
    tumen_error err = {0};
    tumen_scenario *sc = NULL;
    tumen_special *sp = NULL;
    if (status < 0) {
        if (tumen_scenario_load_threads(&sc, files.items, files.n, o.common.threads, &err) !=
                TUMEN_OK ||
            tumen_special_plan(sc, &o, &sp, &err) != TUMEN_OK)
            status = tm_cli_fail(&err);
        else
            status = report(sp, json, out_tt, plot, sched, &o);
    }
    tumen_special_destroy(sp);
    tumen_scenario_destroy(sc);
    tm_cli_free(&c);
    return status;
}
