/* cmd_route.c: `tumen route FILE... --train T --from A --to B`: the fastest route a train
 * may run over the network (tumen_route_find), and with --run the engine's timetable over
 * it. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char route_usage[] =
    "usage: tumen route FILE... --train T --from A --to B [--via C]... [--change-to T2]...\n"
    "                   [--stop OP[=DWELL]]... [--departure HH:MM] [--json] [--run]\n"
    "\n"
    "Finds the fastest route train T may run from A to B over the scenario's network: on\n"
    "its own gauge, under its own traction (diesel anywhere, electric under any of its\n"
    "systems; a dual-mode train pulls with the mode each track allows),\n"
    "within every track's axle load, stopping only where a loop is long enough. At a bogie\n"
    "exchange or a locomotive change it may become one of the --change-to trains. Prints\n"
    "the operational points passed, the tracks, the km, the consist changes with their\n"
    "times and the estimated time (section limits and top speeds, a lower bound). When no\n"
    "route exists, says which constraint blocks and where.\n"
    "\n"
    "  FILE...            network and rolling stock (tumen YAML, docs/formats.md)\n"
    "  --train T          the train (consist) at the origin\n"
    "  --from A, --to B   operational points (id or name)\n"
    "  --via C            pass C on the way (repeatable, in order)\n"
    "  --change-to T2     a train it may become at a facility (repeatable)\n"
    "  --stop OP[=DWELL]  stop at OP when passing it, for DWELL (e.g. HAM=10min; default 0)\n"
    "  --departure HH:MM  clock time at the origin, for --run (default: times from 0:00:00)\n"
    "  --json             print one JSON object: train, from, to, length_m,\n"
    "                     estimated_time_s, points[] (id, name, position_m), steps[] (track,\n"
    "                     forward, train, from, to, start_m, length_m, change, change_time_s)\n"
    "                     and with --run, run (as tumen run --json)\n"
    "  --run              also run the route through the engine and print its timetable\n";

typedef struct route_args {
    tm_cli_list files, via, changes, stops;
    const char *train, *from, *to, *departure;
    int json, run;
} route_args;

static int unknown(const char *what, const char *id)
{
    fprintf(stderr, "tumen route: unknown %s '%s'\n", what, id);
    return TM_EXIT_INPUT;
}

/* The request from the arguments, checked against the scenario in the order the search
 * needs them, with the command's own messages; stops (n_stops items) are the caller's.
 * Returns -1 on success, else the exit status. */
static int build_request(const tumen_scenario *sc, const route_args *a, tumen_route_request *q,
                         tumen_route_stop *stops)
{
    if (tumen_scenario_op_count(sc) == 0) {
        fprintf(stderr, "tumen route: the files give no network (a network: key, "
                        "docs/formats.md)\n");
        return TM_EXIT_INPUT;
    }
    if (tumen_scenario_find_train(sc, a->train) == TUMEN_NPOS)
        return unknown("train", a->train);
    for (size_t i = 0; i < a->changes.n; i++)
        if (tumen_scenario_find_train(sc, a->changes.items[i]) == TUMEN_NPOS)
            return unknown("train", a->changes.items[i]);
    if (tumen_scenario_find_op_named(sc, a->from) == TUMEN_NPOS)
        return unknown("operational point", a->from);
    for (size_t i = 0; i < a->via.n; i++)
        if (tumen_scenario_find_op_named(sc, a->via.items[i]) == TUMEN_NPOS)
            return unknown("operational point", a->via.items[i]);
    if (tumen_scenario_find_op_named(sc, a->to) == TUMEN_NPOS)
        return unknown("operational point", a->to);
    for (size_t i = 0; i < a->stops.n; i++) {
        char *id = malloc(strlen(a->stops.items[i]) + 1);
        if (!id) {
            fprintf(stderr, "tumen: out of memory\n");
            return TM_EXIT_FAILURE;
        }
        strcpy(id, a->stops.items[i]);
        char *eq = strchr(id, '=');
        tumen_error e = {0};
        stops[i].dwell = 0.0;
        if (eq) {
            *eq = '\0';
            if (tumen_parse_duration(eq + 1, &stops[i].dwell, &e) != TUMEN_OK ||
                stops[i].dwell < 0.0) {
                fprintf(stderr, "tumen route: --stop %s: %s\n", a->stops.items[i], e.message);
                free(id);
                return TM_EXIT_INPUT;
            }
        }
        size_t op = tumen_scenario_find_op_named(sc, id);
        if (op == TUMEN_NPOS) {
            int st = unknown("operational point", id);
            free(id);
            return st;
        }
        free(id);
        tumen_op_info info;
        tumen_scenario_op(sc, op, &info);
        stops[i].op = info.id;
    }
    tumen_route_request_init(q);
    q->train = a->train;
    q->from = a->from;
    q->to = a->to;
    q->via = a->via.items;
    q->n_via = a->via.n;
    q->change_to = a->changes.items;
    q->n_change_to = a->changes.n;
    q->stops = stops;
    q->n_stops = a->stops.n;
    q->run = a->run;
    return -1;
}

/* Checks what the arguments need without the scenario; -1 or the exit status. */
static int check_args(const tm_cli_command *c, const route_args *a, double *departure)
{
    tumen_error e;
    *departure = -1.0;
    if (a->departure && tumen_parse_clock(a->departure, departure, &e) != TUMEN_OK)
        return tm_cli_usage(c, "--departure takes HH:MM or HH:MM:SS, not", a->departure);
    if (a->files.n == 0)
        return tm_cli_usage(c, "no input file", NULL);
    if (!a->train)
        return tm_cli_usage(c, "--train is required", NULL);
    if (!a->from || !a->to)
        return tm_cli_usage(c, "--from and --to are required", NULL);
    return -1;
}

int tm_cmd_route(int argc, char **argv)
{
    route_args a;
    memset(&a, 0, sizeof a);
    const char *value = "this option needs a value:";
    const tm_cli_option options[] = {
        {"--json", NULL, TM_CLI_FLAG, &a.json, NULL},
        {"--run", NULL, TM_CLI_FLAG, &a.run, NULL},
        {"--train", NULL, TM_CLI_VALUE, &a.train, value},
        {"--from", NULL, TM_CLI_VALUE, &a.from, value},
        {"--to", NULL, TM_CLI_VALUE, &a.to, value},
        {"--via", NULL, TM_CLI_LIST, &a.via, value},
        {"--change-to", NULL, TM_CLI_LIST, &a.changes, value},
        {"--stop", NULL, TM_CLI_LIST, &a.stops, value},
        {"--departure", NULL, TM_CLI_VALUE, &a.departure, value},
    };
    const tm_cli_command c = {"route", route_usage, options, sizeof options / sizeof *options,
                              "unknown option", &a.files};
    tumen_route_request q;
    double departure;
    int status = tm_cli_parse(&c, argc, argv);
    if (status < 0)
        status = check_args(&c, &a, &departure);
    tumen_route_stop *stops = status < 0 ? calloc(a.stops.n + 1, sizeof *stops) : NULL;
    if (status < 0 && !stops) {
        fprintf(stderr, "tumen: out of memory\n");
        status = TM_EXIT_FAILURE;
    }
    tumen_error err = {0};
    tumen_scenario *sc = NULL;
    tumen_route *route = NULL;
    if (status < 0 && tumen_scenario_load(&sc, a.files.items, a.files.n, &err) != TUMEN_OK)
        status = tm_cli_fail(&err);
    if (status < 0)
        status = build_request(sc, &a, &q, stops);
    if (status < 0) {
        char *text = NULL;
        size_t length = 0;
        q.departure = departure;
        int rc = tumen_route_find(sc, &q, &route, &err);
        if (rc == TUMEN_OK)
            rc = a.json ? tumen_route_json(route, &text, &length, &err)
                        : tumen_route_text(route, &text, &length, &err);
        status = tm_cli_print(rc, text, length, &err);
    }
    tumen_route_destroy(route);
    tumen_scenario_destroy(sc);
    free(stops);
    tm_cli_free(&c);
    return status;
}
