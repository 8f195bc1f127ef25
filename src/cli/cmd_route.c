/* cmd_route.c: `tumen route FILE... --train T --from A --to B`: the fastest route a train
 * may run over the network (plan/route.h), and with --run the engine's timetable over it.
 *
 * Routing is not in the public API yet, so this command uses the planner's internal
 * interface (model/scenario.h, plan/route.h) like the timetable command does. */
#include "formats/readers.h"
#include "cli/cli.h"
#include "core/units.h"
#include "formats/output.h"
#include "model/scenario.h"
#include "plan/route.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char route_usage[] =
    "usage: tumen route FILE... --train T --from A --to B [--via C]... [--change-to T2]...\n"
    "                   [--stop OP[=DWELL]]... [--departure HH:MM] [--json] [--run]\n"
    "\n"
    "Finds the fastest route train T may run from A to B over the scenario's network: on\n"
    "its own gauge, under its own traction (diesel anywhere, electric under its own system),\n"
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
    const char **files;
    size_t n_files;
    const char *train, *from, *to;
    const char **via, **changes, **stops;
    size_t n_via, n_changes, n_stops;
    double departure; /* s after midnight, or -1 */
    int json, run;
} route_args;

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "tumen route: %s%s%s%s\n%s", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "", route_usage);
    return TM_EXIT_INPUT;
}

/* "HH:MM" or "HH:MM:SS" into s after midnight; -1 if malformed. */
static double parse_clock(const char *t)
{
    int h = 0, m = 0, s = 0, n = 0;
    if (sscanf(t, "%2d:%2d%n", &h, &m, &n) < 2)
        return -1.0;
    if (t[n] == ':' && sscanf(t + n + 1, "%2d", &s) == 1) {
        n += 3;
    }
    if (t[n] || h < 0 || h > 47 || m < 0 || m > 59 || s < 0 || s > 59)
        return -1.0;
    return h * 3600.0 + m * 60.0 + s;
}

static int parse_args(int argc, char **argv, route_args *a)
{
    a->departure = -1.0;
    a->files = calloc((size_t)argc, sizeof *a->files);
    a->via = calloc((size_t)argc, sizeof *a->via);
    a->changes = calloc((size_t)argc, sizeof *a->changes);
    a->stops = calloc((size_t)argc, sizeof *a->stops);
    if (!a->files || !a->via || !a->changes || !a->stops)
        return TM_EXIT_FAILURE;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            fputs(route_usage, stdout);
            return TM_EXIT_OK;
        } else if (!strcmp(arg, "--json")) {
            a->json = 1;
        } else if (!strcmp(arg, "--run")) {
            a->run = 1;
        } else if (!strcmp(arg, "--train") || !strcmp(arg, "--from") || !strcmp(arg, "--to") ||
                   !strcmp(arg, "--via") || !strcmp(arg, "--change-to") ||
                   !strcmp(arg, "--stop") || !strcmp(arg, "--departure")) {
            if (!value)
                return usage_error("this option needs a value:", arg);
            i++;
            if (!strcmp(arg, "--train"))
                a->train = value;
            else if (!strcmp(arg, "--from"))
                a->from = value;
            else if (!strcmp(arg, "--to"))
                a->to = value;
            else if (!strcmp(arg, "--via"))
                a->via[a->n_via++] = value;
            else if (!strcmp(arg, "--change-to"))
                a->changes[a->n_changes++] = value;
            else if (!strcmp(arg, "--stop"))
                a->stops[a->n_stops++] = value;
            else if ((a->departure = parse_clock(value)) < 0.0)
                return usage_error("--departure takes HH:MM or HH:MM:SS, not", value);
        } else if (arg[0] == '-' && arg[1]) {
            return usage_error("unknown option", arg);
        } else {
            a->files[a->n_files++] = arg;
        }
    }
    if (a->n_files == 0)
        return usage_error("no input file", NULL);
    if (!a->train)
        return usage_error("--train is required", NULL);
    if (!a->from || !a->to)
        return usage_error("--from and --to are required", NULL);
    return -1;
}

static void args_free(route_args *a)
{
    free(a->files);
    free(a->via);
    free(a->changes);
    free(a->stops);
}

/* An operational point by id, else by name. */
static size_t find_op(const tm_network *n, const char *text)
{
    size_t i = tm_network_find_op(n, text);
    for (size_t k = 0; i == (size_t)-1 && k < n->n_ops; k++)
        if (!strcmp(n->ops[k].name, text))
            i = k;
    return i;
}

static int unknown(const char *what, const char *id)
{
    fprintf(stderr, "tumen route: unknown %s '%s'\n", what, id);
    return TM_EXIT_INPUT;
}

/* The request from the arguments; waypoints, changes and stops point into req_mem arrays
 * the caller frees. Returns -1 on success, else the exit status. */
typedef struct request_mem {
    size_t *waypoints, *changes;
    tm_service_stop *stops;
} request_mem;

static int build_request(const tm_scenario *sc, const route_args *a, tm_route_request *req,
                         request_mem *mem)
{
    const tm_network *net = &sc->network;
    memset(req, 0, sizeof *req);
    mem->waypoints = calloc(a->n_via + 2, sizeof *mem->waypoints);
    mem->changes = calloc(a->n_changes + 1, sizeof *mem->changes);
    mem->stops = calloc(a->n_stops + 1, sizeof *mem->stops);
    if (!mem->waypoints || !mem->changes || !mem->stops)
        return TM_EXIT_FAILURE;
    if (net->n_ops == 0) {
        fprintf(stderr, "tumen route: the files give no network (a network: key, "
                        "docs/formats.md)\n");
        return TM_EXIT_INPUT;
    }
    req->train = tm_scenario_find_train(sc, a->train);
    if (req->train == (size_t)-1)
        return unknown("train", a->train);
    for (size_t i = 0; i < a->n_changes; i++)
        if ((mem->changes[i] = tm_scenario_find_train(sc, a->changes[i])) == (size_t)-1)
            return unknown("train", a->changes[i]);
    size_t n = 0;
    if ((mem->waypoints[n++] = find_op(net, a->from)) == (size_t)-1)
        return unknown("operational point", a->from);
    for (size_t i = 0; i < a->n_via; i++)
        if ((mem->waypoints[n++] = find_op(net, a->via[i])) == (size_t)-1)
            return unknown("operational point", a->via[i]);
    if ((mem->waypoints[n++] = find_op(net, a->to)) == (size_t)-1)
        return unknown("operational point", a->to);
    for (size_t i = 0; i < a->n_stops; i++) {
        char id[TM_ID_LEN + 64];
        snprintf(id, sizeof id, "%s", a->stops[i]);
        char *eq = strchr(id, '=');
        double dwell = 0.0;
        if (eq) {
            char why[256];
            *eq = '\0';
            if (tm_parse_quantity(eq + 1, TM_DIM_DURATION, &dwell, why, sizeof why) != 0 ||
                dwell < 0.0) {
                fprintf(stderr, "tumen route: --stop %s: %s\n", a->stops[i], why);
                return TM_EXIT_INPUT;
            }
        }
        if ((mem->stops[i].op = find_op(net, id)) == (size_t)-1)
            return unknown("operational point", id);
        mem->stops[i].dwell = dwell;
    }
    req->changes_to = mem->changes;
    req->n_changes_to = a->n_changes;
    req->waypoints = mem->waypoints;
    req->n_waypoints = n;
    req->stops = mem->stops;
    req->n_stops = a->n_stops;
    return -1;
}

/* The operational point where step i ends. */
static size_t step_end(const tm_network *net, const tm_route_step *st)
{
    const tm_track *t = &net->tracks[st->track];
    return st->forward ? t->to : t->from;
}

static void change_label(const tm_scenario *sc, const tm_route *r, size_t i, size_t prev,
                         char *buf, size_t size)
{
    buf[0] = '\0';
    const size_t now = r->steps[i].train;
    if (now == prev && r->change_time[i] <= 0.0)
        return;
    const tm_train *a = &sc->trains[prev], *b = &sc->trains[now];
    int ga = a->n_consist ? sc->vehicles[a->consist[0].vehicle].gauge : 0;
    int gb = b->n_consist ? sc->vehicles[b->consist[0].vehicle].gauge : 0;
    ga = ga ? ga : 1435;
    gb = gb ? gb : 1435;
    char dur[32];
    tm_cli_duration(r->change_time[i], dur, sizeof dur);
    if (ga != gb)
        snprintf(buf, size, "bogie exchange %d mm to %d mm, %.40s (%s)", ga, gb, b->id, dur);
    else
        snprintf(buf, size, "locomotive change to %.40s (%s)", b->id, dur);
}

static void print_route(const tm_scenario *sc, const tm_route_request *req,
                        const tm_route *r)
{
    const tm_network *net = &sc->network;
    const tm_op *from = &net->ops[r->origin];
    const tm_op *to = &net->ops[req->waypoints[req->n_waypoints - 1]];
    double changes = 0.0;
    for (size_t i = 0; i < r->n_steps; i++)
        changes += r->change_time[i];
    char est[32], ch[32];
    tm_cli_duration(r->estimated_time, est, sizeof est);
    tm_cli_duration(changes, ch, sizeof ch);
    printf("route for %s from %s (%s) to %s (%s): %.1f km, %zu tracks\n",
           sc->trains[req->train].id, from->name, from->id, to->name, to->id,
           r->length / 1000.0, r->n_steps);
    printf("estimated time %s (%.0f s): section limits and top speeds, a lower bound, with "
           "%s of consist changes\n\n",
           est, r->estimated_time, ch);
    printf("%10s  %-26s %-10s %-20s %s\n", "km", "operational point", "next track", "train",
           "change");
    size_t op = r->origin, prev = req->train;
    double pos = 0.0;
    for (size_t i = 0; i <= r->n_steps; i++) {
        char name[64], label[160] = "";
        snprintf(name, sizeof name, "%.40s (%.16s)", net->ops[op].name, net->ops[op].id);
        if (i == r->n_steps) {
            printf("%10.3f  %s\n", pos / 1000.0, name);
            break;
        }
        const tm_route_step *st = &r->steps[i];
        change_label(sc, r, i, prev, label, sizeof label);
        printf("%10.3f  %-26s %-10s %-20s %s\n", pos / 1000.0, name, net->tracks[st->track].id,
               sc->trains[st->train].id, label);
        pos += net->tracks[st->track].length;
        op = step_end(net, st);
        prev = st->train;
    }
}

static json_t *route_json(const tm_scenario *sc, const tm_route_request *req,
                          const tm_route *r)
{
    const tm_network *net = &sc->network;
    json_t *doc = json_object(), *points = json_array(), *steps = json_array();
    if (!doc || !points || !steps) {
        json_decref(doc);
        json_decref(points);
        json_decref(steps);
        return NULL;
    }
    json_object_set_new(doc, "train", json_string(sc->trains[req->train].id));
    json_object_set_new(doc, "from", json_string(net->ops[r->origin].id));
    json_object_set_new(doc, "to", json_string(net->ops[req->waypoints[req->n_waypoints - 1]].id));
    json_object_set_new(doc, "length_m", json_real(r->length));
    json_object_set_new(doc, "estimated_time_s", json_real(r->estimated_time));
    size_t op = r->origin, prev = req->train;
    double pos = 0.0;
    for (size_t i = 0; i <= r->n_steps; i++) {
        json_t *p = json_object();
        json_object_set_new(p, "id", json_string(net->ops[op].id));
        json_object_set_new(p, "name", json_string(net->ops[op].name));
        json_object_set_new(p, "position_m", json_real(pos));
        json_array_append_new(points, p);
        if (i == r->n_steps)
            break;
        const tm_route_step *st = &r->steps[i];
        const tm_track *t = &net->tracks[st->track];
        char label[160];
        change_label(sc, r, i, prev, label, sizeof label);
        json_t *s = json_object();
        json_object_set_new(s, "track", json_string(t->id));
        json_object_set_new(s, "forward", json_boolean(st->forward));
        json_object_set_new(s, "train", json_string(sc->trains[st->train].id));
        json_object_set_new(s, "from", json_string(net->ops[op].id));
        op = step_end(net, st);
        json_object_set_new(s, "to", json_string(net->ops[op].id));
        json_object_set_new(s, "start_m", json_real(pos));
        json_object_set_new(s, "length_m", json_real(t->length));
        json_object_set_new(s, "change", label[0] ? json_string(label) : json_null());
        json_object_set_new(s, "change_time_s", json_real(r->change_time[i]));
        json_array_append_new(steps, s);
        pos += t->length;
        prev = st->train;
    }
    json_object_set_new(doc, "points", points);
    json_object_set_new(doc, "steps", steps);
    return doc;
}

/* Runs the route through the engine into *out. */
static int run_route(const tm_scenario *sc, const tm_route_request *req, const tm_route *r,
                     double departure, tumen_result **out, tumen_error *err)
{
    tm_route_legs legs;
    int rc = tm_route_legs_build(sc, r, req, &legs, err);
    if (rc != TUMEN_OK)
        return rc;
    rc = tm_run_journey(legs.legs, legs.n, NULL, departure, out, err);
    tm_route_legs_free(&legs);
    return rc;
}

int tm_cmd_route(int argc, char **argv)
{
    route_args a = {0};
    int status = parse_args(argc, argv, &a);
    if (status >= 0) {
        args_free(&a);
        return status;
    }
    tumen_error err = {0};
    tm_scenario *sc = NULL;
    tm_route route = {0};
    tm_route_request req;
    request_mem mem = {0};
    tumen_result *res = NULL;
    if (tm_scenario_load(&sc, a.files, a.n_files, &err) != TUMEN_OK) {
        status = tm_cli_fail(&err);
    } else if ((status = build_request(sc, &a, &req, &mem)) >= 0) {
        /* status set */
    } else if (tm_route_find(sc, &req, &route, &err) != TUMEN_OK ||
               (a.run && run_route(sc, &req, &route, a.departure, &res, &err) != TUMEN_OK)) {
        status = tm_cli_fail(&err);
    } else if (a.json) {
        json_t *doc = route_json(sc, &req, &route);
        if (doc && res) {
            json_t *run = tm_result_to_json(res);
            if (!run || json_object_set_new(doc, "run", run) != 0) {
                json_decref(doc);
                doc = NULL;
            }
        }
        if (!doc) {
            fprintf(stderr, "tumen: out of memory\n");
            status = TM_EXIT_FAILURE;
        } else {
            status = json_dumpf(doc, stdout, TM_JSON_DUMP_FLAGS) == 0 ? TM_EXIT_OK
                                                                       : TM_EXIT_FAILURE;
            putchar('\n');
            json_decref(doc);
        }
    } else {
        print_route(sc, &req, &route);
        if (res) {
            putchar('\n');
            tm_cli_print_table(res);
        }
        status = TM_EXIT_OK;
    }
    tumen_result_destroy(res);
    tm_route_free(&route);
    free(mem.waypoints);
    free(mem.changes);
    free(mem.stops);
    tm_scenario_free(sc);
    args_free(&a);
    return status;
}
