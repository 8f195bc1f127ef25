/* security_schedule.c: the route security schedule of a planned special
 * (plan/security_schedule.h).
 *
 * The convoy's three services of the new timetable are re-run with their trajectories; an
 * object's passing time is when a train's head reaches it (a station: its arrival), its
 * leaving time when the head reaches its far end (a station: the departure).
 * Windows follow the rule set (plan/security.h):
 *  - guards from guard_before before the first convoy train to guard_after after the last
 *    has left the object;
 *  - a level crossing closed from its warning and closing time (plus crossing_close_before;
 *    manned gates at least manned_lock_before, unprotected ones unmanned_lock_before)
 *    before the pilot (or the special) until the escort has passed plus the barriers'
 *    opening (its closing time);
 *  - power off on the electrified neighbours (the other track of a double line, parallel
 *    tracks) from neighbour_before before the pilot to neighbour_after after the escort.
 */
#include "plan/security_schedule.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/vec.h"

static const char *const kind_names[] = {"level_crossing", "bridge", "tunnel", "station",
                                         "junction"};

const char *tm_security_object_kind_name(tm_security_object_kind k)
{
    return (unsigned)k < 5 ? kind_names[k] : "station";
}

void tm_security_schedule_free(tm_security_schedule *s)
{
    if (!s)
        return;
    free(s->objects);
    free(s->held);
    memset(s, 0, sizeof *s);
}

static int oom(tumen_error *err)
{
    return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
}

/* Clock time at which the head first reaches route position x (trajectory samples). */
static double time_at(const tm_service_run *run, double x)
{
    const tumen_sample *sm = run->samples;
    size_t lo = 0, hi = run->n_samples;
    if (!hi)
        return NAN;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sm[mid].s < x - 1e-6)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return run->clock_start + sm[0].t;
    if (lo == run->n_samples)
        return run->clock_start + sm[lo - 1].t;
    const tumen_sample *a = &sm[lo - 1], *b = &sm[lo];
    double f = b->s > a->s ? (x - a->s) / (b->s - a->s) : 1.0;
    return run->clock_start + a->t + f * (b->t - a->t);
}

/* Route position of a point on track t (m from its from end) for a run, or NAN if the run
 * does not take t. */
static double route_position(const tm_network *net, const tm_service_run *run, size_t t,
                             double pos, size_t *step)
{
    for (size_t q = 0; q < run->n_steps; q++)
        if (run->steps[q].track == t) {
            *step = q;
            return run->step_start[q] +
                   (run->steps[q].forward ? pos : net->tracks[t].length - pos);
        }
    return NAN;
}

/* Is op intermediate and joined by a track the special's route does not take? */
static int is_junction(const tm_network *net, const tm_service_run *run, size_t q)
{
    size_t op = run->points[q].op;
    if (net->ops[op].kind == TM_OP_JUNCTION)
        return 1;
    if (q == 0 || q + 1 >= run->n_points)
        return 0;
    for (size_t e = net->adj_start[op]; e < net->adj_start[op + 1]; e++)
        if (net->adj[e] != run->steps[q - 1].track && net->adj[e] != run->steps[q].track)
            return 1;
    return 0;
}

typedef TM_VEC(tm_security_object) object_list;

static int by_position(const void *a, const void *b)
{
    const tm_security_object *x = a, *y = b;
    if (x->position != y->position)
        return x->position < y->position ? -1 : 1;
    /* a point before a structure at the same place, then by name: a fixed order */
    if ((x->op == (size_t)-1) != (y->op == (size_t)-1))
        return x->op == (size_t)-1 ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* The structures and points of the special's route, unsorted, without times. */
static int collect(const tm_network *net, const tm_service_run *sr,
                   object_list *v)
{
    for (size_t q = 0; q < sr->n_points; q++) {
        const tm_op *op = &net->ops[sr->points[q].op];
        tm_security_object o;
        memset(&o, 0, sizeof o);
        o.kind = is_junction(net, sr, q) ? TM_SOBJ_JUNCTION : TM_SOBJ_STATION;
        o.name = tm_name_or(op->name, op->id);
        o.track = sr->n_steps ? sr->steps[q ? q - 1 : 0].track : (size_t)-1;
        o.op = sr->points[q].op;
        o.position = sr->points[q].position;
        if (tm_vec_push(v, o))
            return -1;
    }
    for (size_t q = 0; q < sr->n_steps; q++) {
        const tm_track *t = &net->tracks[sr->steps[q].track];
        for (size_t k = 0; k < t->n_structures; k++) {
            const tm_structure *st = &t->structures[k];
            tm_security_object o;
            memset(&o, 0, sizeof o);
            o.kind = st->kind == TM_STRUCT_LEVEL_CROSSING ? TM_SOBJ_LEVEL_CROSSING
                     : st->kind == TM_STRUCT_BRIDGE       ? TM_SOBJ_BRIDGE
                                                          : TM_SOBJ_TUNNEL;
            o.name = tm_name_or(st->name, tm_name_or(st->road, ""));
            o.track = sr->steps[q].track;
            o.op = (size_t)-1;
            o.structure = st;
            double a = st->position, b = st->position + st->length;
            o.position = sr->step_start[q] + (sr->steps[q].forward ? a : t->length - b);
            if (tm_vec_push(v, o))
                return -1;
        }
    }
    return 0;
}

/* Train w's passing (head reaches) and leaving times at object o. */
static void times_at(const tm_network *net, const tm_service_run *run,
                     const tm_security_object *o, double *pass, double *leave)
{
    *pass = *leave = NAN;
    if (o->op != (size_t)-1) {
        for (size_t q = 0; q < run->n_points; q++)
            if (run->points[q].op == o->op) {
                *pass = run->points[q].arrival;
                *leave = run->points[q].departure;
                return;
            }
        return;
    }
    const tm_structure *st = o->structure;
    size_t step = 0;
    double x0 = route_position(net, run, o->track, st->position, &step);
    double x1 = route_position(net, run, o->track, st->position + st->length, &step);
    if (isnan(x0))
        return;
    *pass = time_at(run, fmin(x0, x1));
    *leave = time_at(run, fmax(x0, x1));
}

/* Does the track beside route track t lose its current under the rules? */
static double powered_neighbours_km(const tm_network *net, const tm_security_rules *R,
                                    size_t t)
{
    if (!R->power_off)
        return 0.0;
    const tm_track *tr = &net->tracks[t];
    double km = 0.0;
    if (tr->main_tracks >= 2 && tr->electrification != TM_ELEC_NONE)
        km += tr->length / 1000.0;
    for (size_t u = 0; u < net->n_tracks; u++) {
        const tm_track *p = &net->tracks[u];
        if (p->electrification == TM_ELEC_NONE)
            continue;
        int beside = 0;
        for (size_t q = 0; q < tr->n_parallel && !beside; q++)
            beside = tr->parallel[q].track == u;
        for (size_t q = 0; q < p->n_parallel && !beside; q++)
            beside = p->parallel[q].track == t;
        if (beside)
            km += p->length / 1000.0;
    }
    return km;
}

static void windows(const tm_network *net, const tm_security_rules *R, tm_security_object *o,
                    double first, double last_leave)
{
    o->guard_from = first - R->guard_before;
    o->guard_until = last_leave + R->guard_after;
    o->closed_from = o->closed_until = NAN;
    o->power_off_from = o->power_off_until = NAN;
    if (o->kind == TM_SOBJ_LEVEL_CROSSING) {
        const tm_structure *st = o->structure;
        double ref = R->crossing_from_special || isnan(o->pilot) ? o->special : o->pilot;
        double before = st->warning_time + st->closing_time + R->crossing_close_before;
        if (st->crossing == TM_CROSSING_MANNED)
            before = fmax(before, R->manned_lock_before);
        if (st->crossing == TM_CROSSING_UNPROTECTED)
            before = fmax(before, R->unmanned_lock_before);
        o->closed_from = ref - before;
        o->closed_until = last_leave + st->closing_time;
    }
    if (o->track != (size_t)-1 && powered_neighbours_km(net, R, o->track) > 0.0) {
        o->power_off_from = first - R->neighbour_before;
        o->power_off_until = last_leave + R->neighbour_after;
    }
}

/* The held trains of a priority plan, each under the first object of the route its own
 * route passes (else the first object). */
static int held_trains(const tm_scenario *sc, const tm_special_result *res,
                       tm_security_schedule *s, tumen_error *err)
{
    const tm_timetable *tt = &sc->timetable;
    size_t n = 0;
    for (size_t q = 0; q < res->n_changes; q++)
        n += !res->changes[q].cancelled;
    s->held = calloc(n + 1, sizeof *s->held);
    size_t *owner = calloc(n + 1, sizeof *owner);
    if (!s->held || !owner) {
        free(owner);
        return oom(err);
    }
    for (size_t q = 0; q < res->n_changes; q++) {
        const tm_special_change *ch = &res->changes[q];
        if (ch->cancelled)
            continue;
        const tm_service *svc = &tt->services[ch->service];
        tm_timetable_options o;
        tm_timetable_options_init(&o);
        tm_service_run run;
        int rc = tm_timetable_run_service(sc, svc, &o, &run, err);
        if (rc != TUMEN_OK) {
            tm_service_run_free(&run);
            free(owner);
            return rc;
        }
        tm_security_held *h = &s->held[s->n_held];
        h->service = ch->service;
        h->op = ch->op;
        h->from = run.departure;
        for (size_t z = 1; !ch->at_origin && z < run.n_points; z++)
            if (run.points[z].op == ch->op) {
                h->from = run.points[z].departure;
                break;
            }
        h->until = h->from + ch->delay;
        size_t who = 0;
        int found = 0;
        for (size_t b = 0; b < s->n_objects && !found; b++)
            for (size_t z = 0; z < run.n_points && !found; z++)
                if (s->objects[b].op == run.points[z].op) {
                    who = b;
                    found = 1;
                }
        owner[s->n_held++] = who;
        tm_service_run_free(&run);
    }
    /* group by object (stable in change order) */
    tm_security_held *sorted = malloc((s->n_held + 1) * sizeof *sorted);
    if (!sorted) {
        free(owner);
        return oom(err);
    }
    size_t k = 0;
    for (size_t b = 0; b < s->n_objects; b++) {
        s->objects[b].first_held = k;
        for (size_t q = 0; q < s->n_held; q++)
            if (owner[q] == b)
                sorted[k++] = s->held[q];
        s->objects[b].n_held = k - s->objects[b].first_held;
    }
    free(s->held);
    free(owner);
    s->held = sorted;
    return TUMEN_OK;
}

static void summarise(const tm_scenario *sc, const tm_special_result *res,
                      const tm_service_run *runs, const int *have, tm_security_schedule *s)
{
    const tm_network *net = &sc->network;
    tm_security_summary *m = &s->summary;
    m->objects = s->n_objects;
    for (size_t b = 0; b < s->n_objects; b++)
        if (s->objects[b].kind == TM_SOBJ_LEVEL_CROSSING)
            m->crossing_closure_min +=
                (s->objects[b].closed_until - s->objects[b].closed_from) / 60.0;
    m->trains_held = s->n_held;
    for (int c = 0; c < 3; c++) {
        m->delay_min[c] = res->delay_s[c] / 60.0;
        m->cancelled += res->cancelled[c];
    }
    /* power off: each route track's electrified neighbours, from the first convoy train
     * entering it (less neighbour_before) to the last leaving it (plus neighbour_after) */
    const tm_service_run *sr = &runs[1];
    for (size_t q = 0; q < sr->n_steps; q++) {
        double km = powered_neighbours_km(net, &s->rules, sr->steps[q].track);
        if (km <= 0.0)
            continue;
        double a = INFINITY, b = -INFINITY;
        for (int w = 0; w < 3; w++)
            if (have[w] && q + 1 < runs[w].n_points) {
                a = fmin(a, runs[w].points[q].departure);
                b = fmax(b, runs[w].points[q + 1].arrival);
            }
        if (a < b)
            m->power_off_track_km_h +=
                km * (b - a + s->rules.neighbour_before + s->rules.neighbour_after) / 3600.0;
    }
}

int tm_security_schedule_build(const tm_scenario *sc, const tm_special_spec *sp,
                               const tm_special_result *res, tm_security_schedule *out,
                               tumen_error *err)
{
    memset(out, 0, sizeof *out);
    out->rules = sp->security;
    if (!out->rules.name[0])
        tm_security_rules_builtin("margins", &out->rules);
    if (!res->has_plan)
        return TUMEN_OK;
    const tm_network *net = &sc->network;
    tm_service_run runs[3];
    int have[3] = {0, 0, 0};
    memset(runs, 0, sizeof runs);
    object_list v = {0};
    int rc = TUMEN_OK;
    for (int w = 0; w < 3 && rc == TUMEN_OK; w++) {
        if (!res->present[w])
            continue;
        const tm_service *svc = NULL;
        for (size_t s = 0; s < res->timetable.n_services; s++)
            if (!strcmp(res->timetable.services[s].id, res->runs[w].id))
                svc = &res->timetable.services[s];
        if (!svc)
            continue;
        tm_timetable_options o;
        tm_timetable_options_init(&o);
        o.keep_samples = 1;
        rc = tm_timetable_run_service(sc, svc, &o, &runs[w], err);
        have[w] = rc == TUMEN_OK;
    }
    if (rc == TUMEN_OK && !have[1])
        rc = tm_error_set(err, TUMEN_EINPUT, sp->file, sp->line, "special",
                          "the plan has no special to protect");
    if (rc == TUMEN_OK && collect(net, &runs[1], &v))
        rc = oom(err);
    if (rc != TUMEN_OK)
        goto done;
    if (v.n > 1)
        qsort(v.items, v.n, sizeof *v.items, by_position);
    out->objects = v.items;
    out->n_objects = v.n;
    v.items = NULL;
    for (size_t b = 0; b < out->n_objects; b++) {
        tm_security_object *o = &out->objects[b];
        double pass[3], leave[3], first = INFINITY, last = -INFINITY;
        for (int w = 0; w < 3; w++) {
            pass[w] = leave[w] = NAN;
            if (have[w])
                times_at(net, &runs[w], o, &pass[w], &leave[w]);
            if (!isnan(pass[w])) {
                first = fmin(first, pass[w]);
                last = fmax(last, leave[w]);
            }
        }
        o->pilot = pass[0];
        o->special = pass[1];
        o->escort = pass[2];
        windows(net, &out->rules, o, first, last);
    }
    if ((rc = held_trains(sc, res, out, err)) != TUMEN_OK)
        goto done;
    summarise(sc, res, runs, have, out);
done:
    free(v.items);
    for (int w = 0; w < 3; w++)
        tm_service_run_free(&runs[w]);
    if (rc != TUMEN_OK)
        tm_security_schedule_free(out);
    return rc;
}

int tm_security_schedule_bands(const tm_scenario *sc, const tm_security_schedule *s,
                               tm_special_band **out, size_t *n, tumen_error *err)
{
    *n = 0;
    *out = malloc((s->n_objects + 1) * sizeof **out);
    if (!*out)
        return oom(err);
    for (size_t b = 0; b < s->n_objects; b++) {
        const tm_security_object *o = &s->objects[b];
        if (!o->structure || o->track >= sc->network.n_tracks)
            continue;
        int lc = o->kind == TM_SOBJ_LEVEL_CROSSING;
        (*out)[(*n)++] = (tm_special_band){o->track, o->structure->position,
                                           o->structure->position + o->structure->length,
                                           lc ? o->closed_from : o->guard_from,
                                           lc ? o->closed_until : o->guard_until};
    }
    return TUMEN_OK;
}
