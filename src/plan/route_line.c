/* route_line.c: a route as the engine runs it (tm_route_legs_build, plan/route.h).
 *
 * The route's steps are cut into legs where the consist changes; each leg becomes one
 * tm_line, its tracks laid end to end in the direction they are run. A track run backwards
 * (to -> from) is mirrored: a section at [a, b) from the track's from end lies at
 * [L - b, L - a) from where the train enters, its gradient is negated (docs/formats.md:
 * gradients are given from -> to) and its limit is speed_limit_back.
 *
 * Every operational point passed becomes a point of the line, named by the point's name:
 * a stop where the request asks for one (with its dwell), where the train reverses, and at
 * both ends of every leg (the origin, a consist change, the destination). A stop's dwell at
 * a leg's first point is the engine's wait before the leg (with the change time); the engine
 * ignores dwell at a line's end, so a stop where the consist changes waits once.
 *
 * Every section carries what its track supplies to traction (its wire, none, a neutral
 * section in the direction run), from which the engine picks the mode of each traction
 * vehicle (physics/traction_modes.c).
 */
#include "plan/route.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static int oom(tumen_error *err)
{
    return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
}

/* The consist change before step i as text ("bogie exchange 1435 mm to 1520 mm"). */
static void change_text(const tm_scenario *sc, size_t from_train, size_t to_train,
                        char *buf, size_t size)
{
    const tm_train *a = &sc->trains[from_train], *b = &sc->trains[to_train];
    int ga = 0, gb = 0;
    if (a->n_consist)
        ga = sc->vehicles[a->consist[0].vehicle].gauge;
    if (b->n_consist)
        gb = sc->vehicles[b->consist[0].vehicle].gauge;
    ga = ga ? ga : 1435;
    gb = gb ? gb : 1435;
    if (ga != gb)
        snprintf(buf, size, "bogie exchange %d mm to %d mm, now %s", ga, gb, b->id);
    else if (from_train != to_train)
        snprintf(buf, size, "locomotive change, now %s", b->id);
    else /* the same train standing before a step: the route reverses here */
        snprintf(buf, size, "%s", "reversal (the driver changes ends)");
}

double tm_route_stop_dwell(const tm_route_request *req, size_t op, int *is_stop)
{
    double dwell = 0.0;
    *is_stop = 0;
    for (size_t i = 0; req && i < req->n_stops; i++)
        if (req->stops[i].op == op) {
            *is_stop = 1;
            if (req->stops[i].dwell > dwell)
                dwell = req->stops[i].dwell;
        }
    return dwell;
}

/* A switch's diverging speed holds over its turnout, taken as this far either side of the
 * switch's point (assumed: a 1:9 turnout is about 30 m from its point to the frog; the
 * train-length rule then holds the whole train to it until its rear has left). */
#define TURNOUT_HALF_LENGTH 30.0

double tm_route_connection_speed(const tm_network *net, const tm_route_step *prev,
                                 const tm_route_step *next)
{
    if (!net->conn_start || !net->n_connections)
        return 0.0;
    const size_t in = TM_TRACK_END(prev->track, prev->forward ? 1 : 0);
    const size_t out = TM_TRACK_END(next->track, next->forward ? 0 : 1);
    double v = 0.0;
    for (size_t k = net->conn_start[in]; k < net->conn_start[in + 1]; k++) {
        const tm_connection *c = &net->connections[net->conn[k]];
        if (tm_connection_other(c, in) == out && c->speed_limit > 0.0)
            v = c->speed_limit;
    }
    return v;
}

/* Holds the line's limit to at most v over [x0, x1], splitting sections where it begins and
 * ends. line->sections has room for two more. */
static void cap_speed(tm_line *line, double x0, double x1, double v)
{
    for (size_t i = 0; i < line->n_sections; i++) {
        tm_section *sec = &line->sections[i];
        if (sec->end <= x0 || sec->start >= x1 || sec->speed_limit <= v)
            continue;
        double cut[2] = {x0 > sec->start ? x0 : -1.0, x1 < sec->end ? x1 : -1.0};
        for (int k = 0; k < 2; k++) {
            if (cut[k] < 0.0)
                continue;
            memmove(sec + 1, sec, (line->n_sections - i) * sizeof *sec);
            line->n_sections++;
            sec->end = sec[1].start = cut[k];
            if (k == 0) { /* the part before x0 keeps its limit: go on with the rest */
                i++;
                sec++;
            }
        }
        sec->speed_limit = v;
    }
}

/* What track t supplies to traction over section src run forwards or backwards: its wire
 * (or none), or a neutral section in that wire for trains in this direction. */
static int section_supply(const tm_track *t, const tm_track_section *src, int forward)
{
    if (src->neutral & (forward ? 1 : 2))
        return TM_SUPPLY_NEUTRAL(t->electrification);
    return TM_SUPPLY_WIRE(t->electrification);
}

/* Builds the line of steps [a, b) of the route, entering at op `start`. */
static int build_line(const tm_scenario *sc, const tm_route *route,
                      const tm_route_request *req, size_t a, size_t b, size_t start,
                      tm_line *line, tumen_error *err)
{
    const tm_network *net = &sc->network;
    size_t n_sections = 0;
    for (size_t i = a; i < b; i++) /* with room for two splits at every switch */
        n_sections += net->tracks[route->steps[i].track].n_sections + 2;
    line->sections = calloc(n_sections ? n_sections : 1, sizeof *line->sections);
    line->points = calloc(b - a + 1, sizeof *line->points);
    if (!line->sections || !line->points)
        return oom(err);
    double offset = 0.0;
    size_t op = start;
    for (size_t i = a; i <= b; i++) {
        const tm_op *o = &net->ops[op];
        tm_point *p = &line->points[line->n_points++];
        int is_stop = 0;
        if (!(p->name = tm_strdup(tm_name_or(o->name, ""))))
            return oom(err);
        p->position = offset;
        p->dwell = tm_route_stop_dwell(req, op, &is_stop);
        /* Reversing: the next step runs the track of this one backwards. */
        int reverses = i > a && i < b && route->steps[i].track == route->steps[i - 1].track &&
                       route->steps[i].forward != route->steps[i - 1].forward;
        p->stop = is_stop || reverses || i == a || i == b;
        if (i == b)
            break;
        const tm_route_step *st = &route->steps[i];
        const tm_track *t = &net->tracks[st->track];
        for (size_t j = 0; j < t->n_sections; j++) {
            const tm_track_section *src = &t->sections[st->forward ? j : t->n_sections - 1 - j];
            tm_section *dst = &line->sections[line->n_sections++];
            if (st->forward) {
                dst->start = offset + src->start;
                dst->end = offset + src->end;
                dst->speed_limit = src->speed_limit;
                dst->gradient = src->gradient;
            } else {
                dst->start = offset + (t->length - src->end);
                dst->end = offset + (t->length - src->start);
                dst->speed_limit = src->speed_limit_back;
                dst->gradient = -src->gradient;
            }
            dst->radius = src->radius;
            dst->supply = section_supply(t, src, st->forward);
        }
        offset += t->length;
        line->sections[line->n_sections - 1].end = offset; /* exactly contiguous */
        op = st->forward ? t->to : t->from;
    }
    /* Diverging speeds over the turnouts of the switches passed. */
    offset = 0.0;
    for (size_t i = a; i < b; i++) {
        double v = i > a ? tm_route_connection_speed(net, &route->steps[i - 1], &route->steps[i]) : 0.0;
        if (v > 0.0)
            cap_speed(line, offset - TURNOUT_HALF_LENGTH, offset + TURNOUT_HALF_LENGTH, v);
        offset += net->tracks[route->steps[i].track].length;
    }
    const tm_op *first = &net->ops[start], *last = &net->ops[op];
    snprintf(line->id, sizeof line->id, "%s-%s", first->id, last->id); /* two ids fit */
    if (tm_name_format(&line->name, "%s - %s", tm_name_or(first->name, ""),
                       tm_name_or(last->name, "")))
        return oom(err);
    line->curve_law = net->tracks[route->steps[a].track].curve_law;
    line->braking_distance = 0.0;
    return TUMEN_OK;
}

int tm_route_line_build(const tm_scenario *sc, const tm_route *route,
                        const tm_route_request *req, size_t a, size_t b, size_t start_op,
                        tm_line *line, tumen_error *err)
{
    memset(line, 0, sizeof *line);
    int rc = build_line(sc, route, req, a, b, start_op, line, err);
    if (rc != TUMEN_OK)
        tm_line_free(line);
    return rc;
}

int tm_route_legs_build(const tm_scenario *sc, const tm_route *route,
                        const tm_route_request *req, tm_route_legs *out, tumen_error *err)
{
    if (!out)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "out must not be NULL");
    memset(out, 0, sizeof *out);
    if (!sc || !route)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "scenario and route are needed");
    if (route->n_steps == 0)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "route",
                            "the route has no tracks: nothing to run");
    const tm_network *net = &sc->network;
    const size_t first_train = req ? req->train : route->steps[0].train;
    /* A leg starts at step 0 and wherever the train or a change time says so. */
    size_t n = 0;
    for (size_t i = 0; i < route->n_steps; i++)
        n += i == 0 || route->steps[i].train != route->steps[i - 1].train ||
             (route->change_time && route->change_time[i] > 0.0);
    out->lines = calloc(n, sizeof *out->lines);
    out->legs = calloc(n, sizeof *out->legs);
    out->changes = calloc(n, sizeof *out->changes);
    if (!out->lines || !out->legs || !out->changes) {
        tm_route_legs_free(out);
        return oom(err);
    }
    size_t op = route->origin, a = 0;
    for (size_t leg = 0; leg < n; leg++) {
        size_t b = a + 1;
        while (b < route->n_steps && route->steps[b].train == route->steps[a].train &&
               !(route->change_time && route->change_time[b] > 0.0))
            b++;
        int rc = build_line(sc, route, req, a, b, op, &out->lines[leg], err);
        out->n = leg + 1;
        if (rc != TUMEN_OK) {
            tm_route_legs_free(out);
            return rc;
        }
        const size_t prev_train = a == 0 ? first_train : route->steps[a - 1].train;
        const double dt = route->change_time ? route->change_time[a] : 0.0;
        tm_run_leg *l = &out->legs[leg];
        l->train = &sc->trains[route->steps[a].train];
        l->line = &out->lines[leg];
        l->change_time = dt;
        l->change = NULL;
        if (prev_train != route->steps[a].train || dt > 0.0) {
            change_text(sc, prev_train, route->steps[a].train, out->changes[leg],
                        sizeof out->changes[leg]);
            l->change = out->changes[leg];
        }
        for (size_t i = a; i < b; i++) {
            const tm_track *t = &net->tracks[route->steps[i].track];
            op = route->steps[i].forward ? t->to : t->from;
        }
        a = b;
    }
    return TUMEN_OK;
}

void tm_route_legs_free(tm_route_legs *legs)
{
    if (!legs)
        return;
    for (size_t i = 0; i < legs->n; i++)
        tm_line_free(&legs->lines[i]);
    free(legs->lines);
    free(legs->legs);
    free(legs->changes);
    memset(legs, 0, sizeof *legs);
}
