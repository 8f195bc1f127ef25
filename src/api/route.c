/* route.c: the fastest route of a train over the network (tumen_route), with its run on
 * request; the JSON and the report `tumen route` prints. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "formats/output.h"
#include "plan/route.h"
#include "run/run.h"

struct tumen_route {
    const tumen_scenario *sc;
    tm_route_request req;
    size_t *waypoints, *changes;
    tm_service_stop *stops;
    tm_route route;
    tumen_result *run;
};

void tumen_route_request_init(tumen_route_request *r)
{
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->departure = -1.0;
}

static int unknown(tumen_error *err, const char *field, const char *what, const char *id)
{
    return tm_error_set(err, TUMEN_EINPUT, NULL, 0, field, "unknown %s '%s'", what,
                        id ? id : "(null)");
}

/* The planner's request from the API's: names resolved into indexes (ops by id, else by
 * name), in the order the command line checks them. */
static int resolve(tumen_route *h, const tumen_route_request *q, tumen_error *err)
{
    const tumen_scenario *sc = h->sc;
    h->waypoints = calloc(q->n_via + 2, sizeof *h->waypoints);
    h->changes = calloc(q->n_change_to + 1, sizeof *h->changes);
    h->stops = calloc(q->n_stops + 1, sizeof *h->stops);
    if (!h->waypoints || !h->changes || !h->stops)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (sc->model->network.n_ops == 0)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "network",
                            "the files give no network (a network: key, docs/formats.md)");
    tm_route_request *req = &h->req;
    if ((req->train = tumen_scenario_find_train(sc, q->train)) == TUMEN_NPOS)
        return unknown(err, "train", "train", q->train);
    for (size_t i = 0; i < q->n_change_to; i++)
        if ((h->changes[i] = tumen_scenario_find_train(sc, q->change_to[i])) == TUMEN_NPOS)
            return unknown(err, "change_to", "train", q->change_to[i]);
    size_t n = 0;
    if ((h->waypoints[n++] = tumen_scenario_find_op_named(sc, q->from)) == TUMEN_NPOS)
        return unknown(err, "from", "operational point", q->from);
    for (size_t i = 0; i < q->n_via; i++)
        if ((h->waypoints[n++] = tumen_scenario_find_op_named(sc, q->via[i])) == TUMEN_NPOS)
            return unknown(err, "via", "operational point", q->via[i]);
    if ((h->waypoints[n++] = tumen_scenario_find_op_named(sc, q->to)) == TUMEN_NPOS)
        return unknown(err, "to", "operational point", q->to);
    for (size_t i = 0; i < q->n_stops; i++) {
        if ((h->stops[i].op = tumen_scenario_find_op_named(sc, q->stops[i].op)) == TUMEN_NPOS)
            return unknown(err, "stops", "operational point", q->stops[i].op);
        h->stops[i].dwell = q->stops[i].dwell;
    }
    req->changes_to = h->changes;
    req->n_changes_to = q->n_change_to;
    req->waypoints = h->waypoints;
    req->n_waypoints = n;
    req->stops = h->stops;
    req->n_stops = q->n_stops;
    return TUMEN_OK;
}

/* Runs the route through the engine. */
static int run_route(tumen_route *h, double departure, tumen_error *err)
{
    tm_route_legs legs;
    int rc = tm_route_legs_build(h->sc->model, &h->route, &h->req, &legs, err);
    if (rc != TUMEN_OK)
        return rc;
    rc = tm_run_journey(legs.legs, legs.n, NULL, departure, &h->run, err);
    tm_route_legs_free(&legs);
    return rc;
}

int tumen_route_find(const tumen_scenario *sc, const tumen_route_request *request,
                     tumen_route **out, tumen_error *err)
{
    tm_error_clear(err);
    if (!sc || !request || !out)
        return tm_api_null(err, "scenario, request and out");
    *out = NULL;
    tumen_route_request q;
    tumen_route_request_init(&q);
    tm_api_options(&q, sizeof q, request);
    tumen_route *h = calloc(1, sizeof *h);
    if (!h)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    h->sc = sc;
    int rc = resolve(h, &q, err);
    if (rc == TUMEN_OK)
        rc = tm_route_find(sc->model, &h->req, &h->route, err);
    if (rc == TUMEN_OK && q.run)
        rc = run_route(h, q.departure, err);
    if (rc != TUMEN_OK) {
        tumen_route_destroy(h);
        return rc;
    }
    *out = h;
    return TUMEN_OK;
}

void tumen_route_destroy(tumen_route *h)
{
    if (!h)
        return;
    tumen_result_destroy(h->run);
    tm_route_free(&h->route);
    free(h->waypoints);
    free(h->changes);
    free(h->stops);
    free(h);
}

double tumen_route_length(const tumen_route *h)
{
    return h ? h->route.length : 0.0;
}

double tumen_route_estimated_time(const tumen_route *h)
{
    return h ? h->route.estimated_time : 0.0;
}

size_t tumen_route_point_count(const tumen_route *h)
{
    return h ? h->route.n_steps + 1 : 0;
}

/* The operational point where step st ends. */
static size_t step_end(const tm_network *net, const tm_route_step *st)
{
    const tm_track *t = &net->tracks[st->track];
    return st->forward ? t->to : t->from;
}

size_t tumen_route_point(const tumen_route *h, size_t i)
{
    return i == 0 ? h->route.origin : step_end(&h->sc->model->network, &h->route.steps[i - 1]);
}

const tumen_result *tumen_route_result(const tumen_route *h)
{
    return h ? h->run : NULL;
}

static void change_label(const tumen_route *h, size_t i, size_t prev, char *buf, size_t size)
{
    const tm_scenario *sc = h->sc->model;
    const tm_route *r = &h->route;
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
    tm_api_duration(r->change_time[i], dur, sizeof dur);
    if (ga != gb)
        snprintf(buf, size, "bogie exchange %d mm to %d mm, %s (%s)", ga, gb, b->id, dur);
    else
        snprintf(buf, size, "locomotive change to %s (%s)", b->id, dur);
}

static void print_route(FILE *f, const tumen_route *h)
{
    const tm_scenario *sc = h->sc->model;
    const tm_network *net = &sc->network;
    const tm_route *r = &h->route;
    const tm_route_request *req = &h->req;
    const tm_op *from = &net->ops[r->origin];
    const tm_op *to = &net->ops[req->waypoints[req->n_waypoints - 1]];
    double changes = 0.0;
    for (size_t i = 0; i < r->n_steps; i++)
        changes += r->change_time[i];
    char est[32], ch[32];
    tm_api_duration(r->estimated_time, est, sizeof est);
    tm_api_duration(changes, ch, sizeof ch);
    fprintf(f, "route for %s from %s (%s) to %s (%s): %.1f km, %zu tracks\n",
            sc->trains[req->train].id, tm_name_or(from->name, ""), from->id,
            tm_name_or(to->name, ""), to->id,
            r->length / 1000.0, r->n_steps);
    fprintf(f, "estimated time %s (%.0f s): section limits and top speeds, a lower bound, "
               "with %s of consist changes\n\n",
            est, r->estimated_time, ch);
    fprintf(f, "%10s  %-26s %-10s %-20s %s\n", "km", "operational point", "next track", "train",
            "change");
    size_t op = r->origin, prev = req->train;
    double pos = 0.0;
    for (size_t i = 0; i <= r->n_steps; i++) {
        char label[160] = "";
        fprintf(f, "%10.3f  ", pos / 1000.0);
        /* the point's name whole, in a column of 26 bytes as far as it fits */
        int width = fprintf(f, "%s (%s)", tm_name_or(net->ops[op].name, ""), net->ops[op].id);
        if (i == r->n_steps) {
            fputc('\n', f);
            break;
        }
        const tm_route_step *st = &r->steps[i];
        change_label(h, i, prev, label, sizeof label);
        fprintf(f, "%*s %-10s %-20s %s\n", width < 26 ? 26 - width : 0, "",
                net->tracks[st->track].id, sc->trains[st->train].id, label);
        pos += net->tracks[st->track].length;
        op = step_end(net, st);
        prev = st->train;
    }
}

int tumen_route_text(const tumen_route *h, char **text, size_t *length, tumen_error *err)
{
    tm_api_text t;
    tm_error_clear(err);
    if (!h)
        return tm_api_null(err, "route");
    int rc = tm_api_text_begin(&t, err);
    if (rc != TUMEN_OK)
        return rc;
    print_route(t.f, h);
    if (h->run) {
        fputc('\n', t.f);
        tm_api_result_print(t.f, h->run);
    }
    return tm_api_text_end(&t, text, length, err);
}

static json_t *step_json(const tumen_route *h, size_t i, size_t *op, size_t prev, double pos)
{
    const tm_scenario *sc = h->sc->model;
    const tm_network *net = &sc->network;
    const tm_route_step *st = &h->route.steps[i];
    const tm_track *t = &net->tracks[st->track];
    char label[160];
    change_label(h, i, prev, label, sizeof label);
    json_t *s = json_object();
    json_object_set_new(s, "track", json_string(t->id));
    json_object_set_new(s, "forward", json_boolean(st->forward));
    json_object_set_new(s, "train", json_string(sc->trains[st->train].id));
    json_object_set_new(s, "from", json_string(net->ops[*op].id));
    *op = step_end(net, st);
    json_object_set_new(s, "to", json_string(net->ops[*op].id));
    json_object_set_new(s, "start_m", json_real(pos));
    json_object_set_new(s, "length_m", json_real(t->length));
    json_object_set_new(s, "change", label[0] ? json_string(label) : json_null());
    json_object_set_new(s, "change_time_s", json_real(h->route.change_time[i]));
    return s;
}

static json_t *route_json(const tumen_route *h)
{
    const tm_scenario *sc = h->sc->model;
    const tm_network *net = &sc->network;
    const tm_route *r = &h->route;
    const tm_route_request *req = &h->req;
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
        json_object_set_new(p, "name", json_string(tm_name_or(net->ops[op].name, "")));
        json_object_set_new(p, "position_m", json_real(pos));
        json_array_append_new(points, p);
        if (i == r->n_steps)
            break;
        json_array_append_new(steps, step_json(h, i, &op, prev, pos));
        pos += net->tracks[r->steps[i].track].length;
        prev = r->steps[i].train;
    }
    json_object_set_new(doc, "points", points);
    json_object_set_new(doc, "steps", steps);
    if (h->run) {
        json_t *run = tm_result_to_json(h->run);
        if (!run || json_object_set_new(doc, "run", run) != 0) {
            json_decref(doc);
            return NULL;
        }
    }
    return doc;
}

int tumen_route_json(const tumen_route *h, char **text, size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!h)
        return tm_api_null(err, "route");
    return tm_api_json_text(route_json(h), TM_JSON_DUMP_FLAGS, text, length, err);
}
