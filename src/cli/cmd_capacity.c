/* cmd_capacity.c: `tumen capacity FILE... --line A-B --window 06:00-09:00`: how full a line
 * is, by the compression method of UIC 406. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char capacity_usage[] =
    "usage: tumen capacity FILE... --line A-B --window HH:MM-HH:MM [--line-type TYPE]\n"
    "                      [--json]\n"
    "\n"
    "Takes the trains of the timetable whose blocking times on the line A-B (the shortest\n"
    "path between the two operational points, both directions) begin inside the window,\n"
    "compresses their blocking-time stairs as UIC 406 describes (order kept, each train as\n"
    "close behind the others as its stairs allow) and reports the occupancy: compressed\n"
    "time over the window, against UIC 406's recommended limits for the line type.\n"
    "\n"
    "  --line-type TYPE   mixed (default), suburban or high-speed\n"
    "  --json             print one JSON object: from, to, length_m, tracks,\n"
    "                     window_start_s, window_end_s, line_type, trains, compressed_s,\n"
    "                     occupancy, limit, period (peak or day), congested\n";

static int parse_clock(const char *s, double *t)
{
    int h, m;
    char tail;
    if (sscanf(s, "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 48 || m < 0 || m > 59)
        return -1;
    *t = h * 3600.0 + m * 60.0;
    return 0;
}

static int parse_window(const char *text, double *from, double *to)
{
    char a[16], b[16];
    const char *dash = strchr(text, '-');
    if (!dash || dash - text >= (long)sizeof a || strlen(dash + 1) >= sizeof b)
        return -1;
    memcpy(a, text, (size_t)(dash - text));
    a[dash - text] = '\0';
    snprintf(b, sizeof b, "%s", dash + 1);
    return parse_clock(a, from) || parse_clock(b, to) || !(*to > *from) ? -1 : 0;
}

int tm_cmd_capacity(int argc, char **argv)
{
    tm_cli_list files = {0};
    const char *line = NULL, *window = NULL, *line_type = NULL;
    int json = 0;
    const tm_cli_option options[] = {
        {"--json", NULL, TM_CLI_FLAG, &json, NULL},
        {"--line", NULL, TM_CLI_VALUE, &line, NULL},
        {"--window", NULL, TM_CLI_VALUE, &window, NULL},
        {"--line-type", NULL, TM_CLI_VALUE, &line_type, NULL},
    };
    const tm_cli_command c = {"capacity", capacity_usage, options,
                              sizeof options / sizeof *options, "unknown option", &files};
    tumen_line_type type = TUMEN_LINE_MIXED;
    int status = tm_cli_parse(&c, argc, argv);
    if (status < 0 && line_type) {
        if (!strcmp(line_type, "mixed"))
            type = TUMEN_LINE_MIXED;
        else if (!strcmp(line_type, "suburban"))
            type = TUMEN_LINE_SUBURBAN;
        else if (!strcmp(line_type, "high-speed"))
            type = TUMEN_LINE_HIGH_SPEED;
        else {
            fprintf(stderr, "tumen capacity: unknown line type '%s'\n", line_type);
            status = TM_EXIT_INPUT;
        }
    }
    double from = 0, to = 0;
    if (status < 0 && (!files.n || !line || !window || parse_window(window, &from, &to))) {
        fprintf(stderr, "tumen capacity: give FILE..., --line A-B and --window HH:MM-HH:MM\n%s",
                capacity_usage);
        status = TM_EXIT_INPUT;
    }
    tumen_error err = {0};
    tumen_scenario *sc = NULL;
    tumen_capacity *cap = NULL;
    size_t a, b;
    if (status < 0 && (tumen_scenario_load(&sc, files.items, files.n, &err) != TUMEN_OK ||
                       tumen_scenario_parse_line(sc, line, &a, &b, &err) != TUMEN_OK))
        status = tm_cli_fail(&err);
    if (status < 0) {
        char *text = NULL;
        size_t length = 0;
        int rc = tumen_capacity_compute(sc, a, b, from, to, type, NULL, &cap, &err);
        if (rc == TUMEN_OK)
            rc = json ? tumen_capacity_json(cap, &text, &length, &err)
                      : tumen_capacity_text(cap, &text, &length, &err);
        status = tm_cli_print(rc, text, length, &err);
    }
    tumen_capacity_destroy(cap);
    tumen_scenario_destroy(sc);
    tm_cli_free(&c);
    return status;
}
