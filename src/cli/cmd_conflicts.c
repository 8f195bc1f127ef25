/* cmd_conflicts.c: `tumen conflicts FILE...`: where a timetable breaks the block rule. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char conflicts_usage[] =
    "usage: tumen conflicts FILE... [--json] [--threads N] [--buffer S]\n"
    "                        [--plot OUT.svg|OUT.png --line A-B]\n"
    "\n"
    "Runs every service of the timetable, computes the blocking time of each block section\n"
    "it passes (route setting, sight and reaction, approach, running, clearing with the\n"
    "overlap and the train's length, release; docs/physics.md) and lists every pair of\n"
    "trains whose blocking times overlap on one resource: a block section, a single-track\n"
    "section (held against opposing trains), a station (as many trains as it has tracks).\n"
    "Services of one convoy (the same `convoy:` id: a special train with its pilot and\n"
    "escort) are not separated from each other; every other train is.\n"
    "\n"
    "  --json        an array of objects: train_a, train_b, resource, start_s, end_s,\n"
    "                overlap_s (times in s after midnight)\n"
    "  --threads N   read the files, run the services and sweep for conflicts on N\n"
    "                threads (default: 1; the result is the same)\n"
    "  --buffer S    also report blocking times less than S seconds apart (a buffer time\n"
    "                the timetable should keep; the overlap reported includes it)\n"
    "  --plot FILE   write the time-distance diagram of --line (.png or .svg) with each\n"
    "                train's blocking-time stairs (its block sections as boxes) and the\n"
    "                conflicts in red\n"
    "  --line A-B    the line for --plot: the shortest path between operational points\n"
    "                A and B (also A,B when ids hold '-')\n";

/* The options from the arguments; -1, or the exit status of a usage error. */
static int options_of(const tm_cli_command *c, const tm_cli_list *files, const char *threads,
                      const char *buffer, const char *plot, const char *line,
                      tumen_blocking_options *o)
{
    tumen_blocking_options_init(o);
    o->common.threads = 1;
    if (threads) {
        o->common.threads = atoi(threads);
        if (o->common.threads < 1 || o->common.threads > 64)
            return tm_cli_usage(c, "--threads takes 1 to 64, not", threads);
    }
    if (buffer && (tm_cli_number(buffer, &o->buffer) || !(o->buffer >= 0.0) ||
                   o->buffer > 86400.0))
        return tm_cli_usage(c, "--buffer takes seconds from 0 to 86400, not", buffer);
    if (!files->n)
        return tm_cli_usage(c, "no input file", NULL);
    if (!plot != !line)
        return tm_cli_usage(c, plot ? "--plot needs --line A-B" : "--line is for --plot", NULL);
    if (plot && !tm_cli_has_ext(plot, ".png", 1) && !tm_cli_has_ext(plot, ".svg", 1))
        return tm_cli_usage(c, "--plot takes a .png or .svg file, not", plot);
    return -1;
}

int tm_cmd_conflicts(int argc, char **argv)
{
    tm_cli_list files = {0};
    const char *plot = NULL, *line = NULL, *threads = NULL, *buffer = NULL;
    int json = 0;
    const tm_cli_option options[] = {
        {"--json", NULL, TM_CLI_FLAG, &json, NULL},
        {"--threads", NULL, TM_CLI_VALUE, &threads, NULL},
        {"--buffer", NULL, TM_CLI_VALUE, &buffer, NULL},
        {"--plot", NULL, TM_CLI_VALUE, &plot, NULL},
        {"--line", NULL, TM_CLI_VALUE, &line, NULL},
    };
    const tm_cli_command c = {"conflicts", conflicts_usage, options,
                              sizeof options / sizeof *options,
                              "unknown option or missing value:", &files};
    tumen_blocking_options o;
    int status = tm_cli_parse(&c, argc, argv);
    if (status < 0)
        status = options_of(&c, &files, threads, buffer, plot, line, &o);
    tumen_error err = {0};
    tumen_scenario *sc = NULL;
    tumen_blocking *b = NULL;
    tumen_conflicts *cs = NULL;
    size_t from = 0, to = 0;
    if (status < 0 && tumen_scenario_load_threads(&sc, files.items, files.n, o.common.threads,
                                                  &err) != TUMEN_OK)
        status = tm_cli_fail(&err);
    if (status < 0 && tumen_scenario_service_count(sc) == 0) {
        fprintf(stderr, "tumen conflicts: the files hold no timetable services\n");
        status = TM_EXIT_INPUT;
    }
    if (status < 0 && line && tumen_scenario_parse_line(sc, line, &from, &to, &err) != TUMEN_OK)
        status = tm_cli_fail(&err);
    if (status < 0) {
        char *text = NULL;
        size_t length = 0;
        int rc = tumen_blocking_compute(sc, &o, &b, &err);
        for (size_t i = 0; rc == TUMEN_OK && i < tumen_blocking_warning_count(b); i++)
            tm_cli_warn(tumen_blocking_warning(b, i));
        if (rc == TUMEN_OK)
            rc = tumen_conflicts_find(b, &cs, &err);
        if (rc == TUMEN_OK && plot)
            rc = tumen_conflicts_write_plot(cs, from, to, &o.common, plot, &err);
        if (rc == TUMEN_OK)
            rc = json ? tumen_conflicts_json(cs, &text, &length, &err)
                      : tumen_conflicts_text(cs, &text, &length, &err);
        status = tm_cli_print(rc, text, length, &err);
    }
    tumen_conflicts_destroy(cs);
    tumen_blocking_destroy(b);
    tumen_scenario_destroy(sc);
    tm_cli_free(&c);
    return status;
}
