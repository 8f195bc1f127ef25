/* cmd_headway.c: `tumen headway FILE... --line A-B --trains T1,T2`: the minimum headway of
 * two trains on a line, and the block that decides it. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char headway_usage[] =
    "usage: tumen headway FILE... --line A-B --trains T1,T2 [--json]\n"
    "\n"
    "Runs train T1 and train T2 (train ids) from operational point A to B, computes their\n"
    "blocking-time stairs and prints the minimum headway of T2 behind T1 and of T1 behind\n"
    "T2, and the block that decides each. Where the line has single track, also the\n"
    "crossing headway: how long after T1 leaves A an opposing T2 may leave B.\n"
    "\n"
    "  --json   print one JSON object: from, to, headways[] (leader, follower, crossing,\n"
    "           headway_s, deciding; null without a shared block)\n";

static int parse_trains(const tumen_scenario *sc, const char *text, size_t *t1, size_t *t2)
{
    char buf[2 * 64 + 2];
    const char *comma = strchr(text, ',');
    if (!comma || strlen(text) >= sizeof buf)
        return -1;
    memcpy(buf, text, strlen(text) + 1);
    buf[comma - text] = '\0';
    *t1 = tumen_scenario_find_train(sc, buf);
    *t2 = tumen_scenario_find_train(sc, buf + (comma - text) + 1);
    return *t1 == TUMEN_NPOS || *t2 == TUMEN_NPOS ? -1 : 0;
}

int tm_cmd_headway(int argc, char **argv)
{
    tm_cli_list files = {0};
    const char *line = NULL, *trains = NULL;
    int json = 0;
    const tm_cli_option options[] = {
        {"--json", NULL, TM_CLI_FLAG, &json, NULL},
        {"--line", NULL, TM_CLI_VALUE, &line, NULL},
        {"--trains", NULL, TM_CLI_VALUE, &trains, NULL},
    };
    const tm_cli_command c = {"headway", headway_usage, options,
                              sizeof options / sizeof *options, "unknown option", &files};
    int status = tm_cli_parse(&c, argc, argv);
    if (status < 0 && (!files.n || !line || !trains)) {
        fprintf(stderr, "tumen headway: give FILE..., --line A-B and --trains T1,T2\n%s",
                headway_usage);
        status = TM_EXIT_INPUT;
    }
    tumen_error err = {0};
    tumen_scenario *sc = NULL;
    tumen_headway *h = NULL;
    size_t a, b, t1, t2;
    if (status < 0 && (tumen_scenario_load(&sc, files.items, files.n, &err) != TUMEN_OK ||
                       tumen_scenario_parse_line(sc, line, &a, &b, &err) != TUMEN_OK))
        status = tm_cli_fail(&err);
    if (status < 0 && parse_trains(sc, trains, &t1, &t2) != 0) {
        fprintf(stderr, "tumen headway: --trains takes two known train ids, not '%s'\n", trains);
        status = TM_EXIT_INPUT;
    }
    if (status < 0) {
        char *text = NULL;
        size_t length = 0;
        int rc = tumen_headway_compute(sc, t1, t2, a, b, &h, &err);
        if (rc == TUMEN_OK)
            rc = json ? tumen_headway_json(h, &text, &length, &err)
                      : tumen_headway_text(h, &text, &length, &err);
        status = tm_cli_print(rc, text, length, &err);
    }
    tumen_headway_destroy(h);
    tumen_scenario_destroy(sc);
    tm_cli_free(&c);
    return status;
}
