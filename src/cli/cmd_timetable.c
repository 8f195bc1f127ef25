/* cmd_timetable.c: `tumen timetable FILE...`: run every service of a timetable and print,
 * per service, the arrival and departure at every operational point it passes; JSON, CSV,
 * a GTFS feed and the time-distance diagram of one line on request. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char timetable_usage[] =
    "usage: tumen timetable FILE... [--json] [--csv OUT.csv] [--gtfs OUTDIR [--timezone TZ]]\n"
    "                       [--plot OUT.svg|OUT.png --line A-B] [--threads N] [--step S]\n"
    "\n"
    "Runs every service of the timetable: routes it over the network with its train,\n"
    "runs it at maximum effort with its stops and dwell times from its departure, and\n"
    "prints its arrival and departure at every operational point it passes.\n"
    "\n"
    "  FILE...          the network, the trains and the timetable (tumen YAML, any order;\n"
    "                   docs/formats.md, \"Networks\" and \"Timetables\")\n"
    "  --json           print one JSON object instead of the table: name, date,\n"
    "                   services[] (id, train, category, departure_s, arrival_s,\n"
    "                   running_time_s, distance_m, energy_j, max_speed_ms,\n"
    "                   timing_points[] (op, name, position_m, arrival_s, departure_s,\n"
    "                   is_stop)); times in s after midnight\n"
    "  --csv FILE       write one row per service and operational point passed\n"
    "  --gtfs DIR       write a static GTFS feed (agency, stops, routes, trips,\n"
    "                   stop_times, calendar) into DIR, replacing the feed there\n"
    "  --timezone TZ    the GTFS agency's time zone (default UTC), e.g. Asia/Vladivostok\n"
    "  --plot FILE      write the time-distance diagram of --line (.png or .svg)\n"
    "  --line A-B       the line for --plot: the shortest path between operational\n"
    "                   points A and B (also A,B when ids hold '-')\n"
    "  --threads N      read the files and run services on N threads (default 1; same\n"
    "                   result for any N)\n"
    "  --step SECONDS   largest integration step (default 2 s)\n";

typedef struct tt_args {
    tm_cli_list files;
    int json;
    const char *csv, *gtfs, *timezone, *plot, *line, *threads, *step;
} tt_args;

/* The run's options from the arguments; -1, or the exit status of a usage error. */
static int options_of(const tm_cli_command *c, const tt_args *a, tumen_timetable_options *o)
{
    tumen_timetable_options_init(o);
    if (a->threads) {
        char *end = NULL;
        long n = strtol(a->threads, &end, 10);
        if (!end || *end || n < 1 || n > 256)
            return tm_cli_usage(c, "--threads takes 1 to 256, not", a->threads);
        o->common.threads = (int)n;
    }
    if (a->step && (tm_cli_number(a->step, &o->max_step) || !(o->max_step > 0.0) ||
                    o->max_step > 60.0))
        return tm_cli_usage(c, "--step takes seconds in (0, 60], not", a->step);
    if (a->files.n == 0)
        return tm_cli_usage(c, "no input file", NULL);
    if (a->plot && !a->line)
        return tm_cli_usage(c, "--plot needs --line A-B", NULL);
    if (a->line && !a->plot)
        return tm_cli_usage(c, "--line is for --plot", NULL);
    if (a->plot && !tm_cli_has_ext(a->plot, ".png", 1) && !tm_cli_has_ext(a->plot, ".svg", 1))
        return tm_cli_usage(c, "--plot takes a .png or .svg file, not", a->plot);
    o->keep_trajectories = a->plot != NULL; /* the diagram draws the trajectories */
    return -1;
}

/* Finds the two operational points of "A-B" (or "A,B"): the split where both sides are ids
 * of the network. Returns 0, or -1 with a message on stderr. */
static int parse_line(const tumen_scenario *sc, const char *spec, size_t *from, size_t *to)
{
    char buf[2 * 64 + 2];
    size_t n = strlen(spec), found = 0;
    if (n >= sizeof buf) {
        fprintf(stderr, "tumen timetable: --line '%s' is too long\n", spec);
        return -1;
    }
    for (size_t k = 1; k + 1 < n; k++) {
        if (spec[k] != '-' && spec[k] != ',')
            continue;
        memcpy(buf, spec, n + 1);
        buf[k] = '\0';
        size_t a = tumen_scenario_find_op(sc, buf);
        size_t b = tumen_scenario_find_op(sc, buf + k + 1);
        if (a != TUMEN_NPOS && b != TUMEN_NPOS) {
            *from = a;
            *to = b;
            found++;
        }
    }
    if (found == 1)
        return 0;
    fprintf(stderr,
            found ? "tumen timetable: --line '%s' splits into operational points in more "
                    "than one way: write it as A,B\n"
                  : "tumen timetable: --line '%s' is not two operational points of the "
                    "network joined by '-' or ','\n",
            spec);
    return -1;
}

static int write_outputs(const tt_args *a, const tumen_timetable *t, size_t from, size_t to,
                         tumen_error *err)
{
    if (a->csv && tumen_timetable_write_csv(t, a->csv, err) != TUMEN_OK)
        return err->code;
    if (a->gtfs && tumen_timetable_write_gtfs(t, a->gtfs, a->timezone, err) != TUMEN_OK)
        return err->code;
    if (a->plot && tumen_timetable_write_plot(t, from, to, a->plot, err) != TUMEN_OK)
        return err->code;
    return TUMEN_OK;
}

/* `tumen timetable`: see timetable_usage. Returns the exit status. */
int tm_cmd_timetable(int argc, char **argv)
{
    tt_args a;
    memset(&a, 0, sizeof a);
    const char *value = "this option needs a value:";
    const tm_cli_option options[] = {
        {"--json", NULL, TM_CLI_FLAG, &a.json, NULL},
        {"--csv", NULL, TM_CLI_VALUE, &a.csv, value},
        {"--gtfs", NULL, TM_CLI_VALUE, &a.gtfs, value},
        {"--timezone", NULL, TM_CLI_VALUE, &a.timezone, value},
        {"--plot", NULL, TM_CLI_VALUE, &a.plot, value},
        {"--line", NULL, TM_CLI_VALUE, &a.line, value},
        {"--threads", NULL, TM_CLI_VALUE, &a.threads, value},
        {"--step", NULL, TM_CLI_VALUE, &a.step, value},
    };
    const tm_cli_command c = {"timetable", timetable_usage, options,
                              sizeof options / sizeof *options, "unknown option", &a.files};
    tumen_timetable_options o;
    int status = tm_cli_parse(&c, argc, argv);
    if (status < 0)
        status = options_of(&c, &a, &o);
    if (status >= 0) {
        tm_cli_free(&c);
        return status;
    }
    tumen_error err = {0};
    tumen_scenario *sc = NULL;
    tumen_timetable *t = NULL;
    size_t from = 0, to = 0;
    char *text = NULL;
    size_t length = 0;
    if (tumen_scenario_load_threads(&sc, a.files.items, a.files.n, o.common.threads, &err) !=
        TUMEN_OK) {
        status = tm_cli_fail(&err);
    } else if (tumen_scenario_service_count(sc) == 0) {
        fprintf(stderr, "tumen timetable: the files give no timetable (a `timetable:` with "
                        "services; docs/formats.md)\n");
        status = TM_EXIT_INPUT;
    } else if (a.line && parse_line(sc, a.line, &from, &to) != 0) {
        status = TM_EXIT_INPUT;
    } else {
        int rc = tumen_timetable_run(sc, &o, &t, &err);
        for (size_t i = 0; rc == TUMEN_OK && i < tumen_timetable_warning_count(t); i++)
            tm_cli_warn(tumen_timetable_warning(t, i));
        if (rc == TUMEN_OK)
            rc = write_outputs(&a, t, from, to, &err);
        if (rc == TUMEN_OK)
            rc = a.json ? tumen_timetable_json(t, &text, &length, &err)
                        : tumen_timetable_text(t, &text, &length, &err);
        status = tm_cli_print(rc, text, length, &err);
    }
    tumen_timetable_destroy(t);
    tumen_scenario_destroy(sc);
    tm_cli_free(&c);
    return status;
}
