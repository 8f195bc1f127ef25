/* day_segments.c: a day's services run as shared stop-to-stop segments (plan/day_segments.h).
 *
 * Three passes, each deterministic whatever the thread count:
 *  1. every pattern's leader is routed (on the pool) and its route cut at its stops: the
 *     origin, each requested stop, each reversal, the destination;
 *  2. the segments are named (in pattern order, one thread): a segment is the consist, the
 *     curve law and the route's steps from enough behind its first stop to cover the train's
 *     length and the turnout there (its tail's limits and gradients after the start) to one
 *     step beyond its last stop (the turnout there), with where the stops lie among them;
 *     equal names are one segment;
 *  3. every distinct segment is run once (on the pool) over the line of those steps, from
 *     standing at its first stop to standing at its last, on the clock of 0
 *     (run/stretch.h: the same course and integration a whole run does for that segment).
 * A pattern's run is then its segments laid end to end, each shifted by where the previous
 * one ended plus the dwell: the time at every point, the trajectory for the blocking times.
 * Positions and times are then sums in another order than in a whole run, equal to a few
 * units in the last place (docs/speed.md).
 */
#include "plan/day_segments.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/pool.h"
#include "model/allowance.h"
#include "run/stretch.h"

/* Behind a segment's first stop its line reaches back this much beyond the train's length:
 * the turnout at the stop (30 m either side, plan/route_line.c) and a margin (assumed). */
#define BEHIND_MARGIN 100.0

typedef struct seg_point {
    double t, s, v;             /* s after the departure; m after the first stop; m/s */
} seg_point;

typedef struct segment {
    size_t train;
    int curve_law;
    const tm_route_step *steps; /* n_behind + n_steps + n_ahead, in the owner's route */
    size_t n_behind, n_steps, n_ahead;
    uint64_t hash;
    size_t owner, first;        /* the pattern whose route holds steps, and steps' index */
    seg_point *pts;             /* the run's samples, or with full: */
    tumen_sample *full;         /* the engine's samples, s after the first stop */
    size_t n_pts;
    double energy, max_speed;
    int status;
} segment;

typedef struct pattern_plan {
    int by_segments;            /* 1: runs from the shared segments */
    tm_route route;
    size_t *cut;                /* n_seg + 1 step indexes: where each segment begins */
    size_t *seg;                /* the segment of each */
    size_t n_seg;
} pattern_plan;

struct tm_day_segments {
    int full;                   /* keep whole samples (trajectories for the caller) */
    atomic_int out_of_memory;   /* pass 1 ran out of memory */
    const tm_scenario *sc;
    const tm_timetable *tt;
    tumen_run_options run;
    const size_t *leaders;
    size_t n_leaders;
    pattern_plan *plans;
    segment *segs;
    size_t n_segs, n_uses;
};

static double stop_dwell(const tm_service *svc, size_t op, int *is_stop)
{
    tm_route_request req = {svc->train, NULL, 0, NULL, 0, svc->stops, svc->n_stops};
    return tm_route_stop_dwell(&req, op, is_stop);
}

/* The operational point where step st ends. */
static size_t step_end_op(const tm_network *net, const tm_route_step *st)
{
    const tm_track *tr = &net->tracks[st->track];
    return st->forward ? tr->to : tr->from;
}

static size_t step_start_op(const tm_network *net, const tm_route_step *st)
{
    const tm_track *tr = &net->tracks[st->track];
    return st->forward ? tr->from : tr->to;
}

/* Whether the route stops where step i begins (0 < i < n_steps): a requested stop or a
 * reversal, as the line of a whole run has it (plan/route_line.c). */
static int stops_before(const tm_scenario *sc, const tm_service *svc, const tm_route *r,
                        size_t i)
{
    int is_stop = 0;
    stop_dwell(svc, step_end_op(&sc->network, &r->steps[i - 1]), &is_stop);
    return is_stop || (r->steps[i].track == r->steps[i - 1].track &&
                       r->steps[i].forward != r->steps[i - 1].forward);
}

/* Pass 1 for pattern k (core/pool.h job). */
static void plan_pattern(void *ctx, size_t k)
{
    tm_day_segments *d = ctx;
    const tm_service *svc = &d->tt->services[d->leaders[k]];
    pattern_plan *pl = &d->plans[k];
    const tm_scenario *sc = d->sc;
    if (svc->n_changes_to || tm_allowance_spec_any(svc->allowance) ||
        svc->train >= sc->n_trains || svc->n_waypoints < 2)
        return;
    for (size_t i = 0; i < svc->n_waypoints; i++)
        if (svc->waypoints[i] >= sc->network.n_ops)
            return;
    for (size_t i = 0; i < svc->n_stops; i++)
        if (svc->stops[i].op >= sc->network.n_ops)
            return;
    tm_route_request req = {svc->train, NULL, 0, svc->waypoints, svc->n_waypoints,
                            svc->stops, svc->n_stops};
    int rc = tm_route_find(sc, &req, &pl->route, NULL);
    if (rc != TUMEN_OK || pl->route.n_steps == 0) { /* the whole run reports why */
        if (rc == TUMEN_ENOMEM)
            atomic_store(&d->out_of_memory, 1);
        tm_route_free(&pl->route);
        return;
    }
    const tm_route *r = &pl->route;
    for (size_t i = 0; i < r->n_steps; i++)
        if (r->steps[i].train != svc->train || (r->change_time && r->change_time[i] > 0.0)) {
            tm_route_free(&pl->route);
            return;
        }
    size_t n = 1;
    for (size_t i = 1; i < r->n_steps; i++)
        n += stops_before(sc, svc, r, i);
    pl->cut = malloc((n + 1) * sizeof *pl->cut);
    pl->seg = malloc(n * sizeof *pl->seg);
    if (!pl->cut || !pl->seg) {
        free(pl->cut);
        free(pl->seg);
        pl->cut = pl->seg = NULL;
        tm_route_free(&pl->route);
        atomic_store(&d->out_of_memory, 1);
        return;
    }
    pl->cut[0] = 0;
    pl->n_seg = 0;
    for (size_t i = 1; i < r->n_steps; i++)
        if (stops_before(sc, svc, r, i))
            pl->cut[++pl->n_seg] = i;
    pl->cut[++pl->n_seg] = r->n_steps;
    pl->by_segments = 1;
}

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static uint64_t seg_hash(const segment *s)
{
    uint64_t h = mix(mix(0, s->train), (uint64_t)s->curve_law);
    h = mix(mix(mix(h, s->n_behind), s->n_steps), s->n_ahead);
    size_t n = s->n_behind + s->n_steps + s->n_ahead;
    for (size_t i = 0; i < n; i++)
        h = mix(h, s->steps[i].track * 2 + (s->steps[i].forward != 0));
    return h;
}

static int same_seg(const segment *a, const segment *b)
{
    if (a->hash != b->hash || a->train != b->train || a->curve_law != b->curve_law ||
        a->n_behind != b->n_behind || a->n_steps != b->n_steps || a->n_ahead != b->n_ahead)
        return 0;
    size_t n = a->n_behind + a->n_steps + a->n_ahead;
    for (size_t i = 0; i < n; i++)
        if (a->steps[i].track != b->steps[i].track ||
            (a->steps[i].forward != 0) != (b->steps[i].forward != 0))
            return 0;
    return 1;
}

/* The segment of pattern k from cut j to cut j + 1 (not yet stored). */
static segment seg_of(const tm_day_segments *d, size_t k, size_t j)
{
    const pattern_plan *pl = &d->plans[k];
    const tm_route *r = &pl->route;
    const tm_network *net = &d->sc->network;
    size_t a = pl->cut[j], b = pl->cut[j + 1], first = a;
    size_t train = r->steps[0].train;
    double need = d->sc->trains[train].length + BEHIND_MARGIN, behind = 0.0;
    while (first > 0 && behind < need)
        behind += net->tracks[r->steps[--first].track].length;
    segment s;
    memset(&s, 0, sizeof s);
    s.train = train;
    s.curve_law = (int)net->tracks[r->steps[0].track].curve_law;
    s.steps = r->steps + first;
    s.n_behind = a - first;
    s.n_steps = b - a;
    s.n_ahead = b < r->n_steps;
    s.owner = k;
    s.first = first;
    s.hash = seg_hash(&s);
    return s;
}

/* Pass 2: every pattern's segments named, equal ones joined (open addressing on the hash). */
static int name_segments(tm_day_segments *d)
{
    size_t total = 0;
    for (size_t k = 0; k < d->n_leaders; k++)
        total += d->plans[k].n_seg;
    size_t cap = 16;
    while (cap < 2 * total)
        cap *= 2;
    size_t *table = malloc(cap * sizeof *table);
    d->segs = malloc((total ? total : 1) * sizeof *d->segs);
    if (!table || !d->segs) {
        free(table);
        return TUMEN_ENOMEM;
    }
    memset(table, 0xff, cap * sizeof *table); /* SIZE_MAX: empty */
    for (size_t k = 0; k < d->n_leaders; k++)
        for (size_t j = 0; j < d->plans[k].n_seg; j++) {
            segment s = seg_of(d, k, j);
            size_t h = (size_t)s.hash & (cap - 1);
            while (table[h] != SIZE_MAX && !same_seg(&d->segs[table[h]], &s))
                h = (h + 1) & (cap - 1);
            if (table[h] == SIZE_MAX) {
                table[h] = d->n_segs;
                d->segs[d->n_segs++] = s;
            }
            d->plans[k].seg[j] = table[h];
            d->n_uses++;
        }
    free(table);
    return TUMEN_OK;
}

/* Pass 3 for segment i (core/pool.h job): its run over its own line on the clock of 0. */
static void run_segment(void *ctx, size_t i)
{
    tm_day_segments *d = ctx;
    segment *s = &d->segs[i];
    const tm_route *r = &d->plans[s->owner].route;
    size_t a = s->first, b = a + s->n_behind + s->n_steps + s->n_ahead;
    tm_line line;
    tm_samples smp = {0};
    s->status = tm_route_line_build(d->sc, r, NULL, a, b,
                                    step_start_op(&d->sc->network, &r->steps[a]), &line, NULL);
    if (s->status != TUMEN_OK)
        return;
    line.curve_law = (tm_curve_law)s->curve_law; /* the whole line's, from its first track */
    double from = line.points[s->n_behind].position;
    double to = line.points[s->n_behind + s->n_steps].position;
    s->status = tm_run_stretch(&d->sc->trains[s->train], &line, &d->run, from, to, &smp, NULL);
    tm_line_free(&line);
    if (s->status == TUMEN_OK && !d->full && !(s->pts = malloc(smp.n * sizeof *s->pts)))
        s->status = TUMEN_ENOMEM;
    if (s->status == TUMEN_OK) {
        for (size_t k = 0; k < smp.n; k++) {
            smp.items[k].s -= from;
            if (s->pts)
                s->pts[k] = (seg_point){smp.items[k].t, smp.items[k].s, smp.items[k].v};
            s->max_speed = fmax(s->max_speed, smp.items[k].v);
        }
        s->n_pts = smp.n;
        s->energy = smp.items[smp.n - 1].energy;
        if (d->full) { /* handed over, no copy */
            s->full = smp.items;
            smp.items = NULL;
        }
    }
    free(smp.items);
}

int tm_day_segments_build(const tm_scenario *sc, const tm_timetable *tt, const size_t *leaders,
                          size_t n_leaders, const tm_timetable_options *opt, int full,
                          tm_day_segments **out)
{
    tm_day_segments *d = calloc(1, sizeof *d);
    *out = NULL;
    if (!d)
        return TUMEN_ENOMEM;
    d->full = full;
    atomic_init(&d->out_of_memory, 0);
    d->sc = sc;
    d->tt = tt;
    d->run = opt->run;
    d->leaders = leaders;
    d->n_leaders = n_leaders;
    d->plans = calloc(n_leaders ? n_leaders : 1, sizeof *d->plans);
    if (!d->plans) {
        free(d);
        return TUMEN_ENOMEM;
    }
    /* An allowance for every service (the options') is planned per leg: whole runs. */
    if (opt->run.allowance.kind == TUMEN_ALLOWANCE_NONE)
        tm_pool_run(opt->threads, n_leaders, plan_pattern, d);
    if (atomic_load(&d->out_of_memory) || name_segments(d) != TUMEN_OK) {
        tm_day_segments_free(d);
        return TUMEN_ENOMEM;
    }
    tm_pool_run(opt->threads, d->n_segs, run_segment, d);
    *out = d;
    return TUMEN_OK;
}

void tm_day_segments_free(tm_day_segments *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_segs; i++)
    {
        free(d->segs[i].pts);
        free(d->segs[i].full);
    }
    for (size_t k = 0; k < d->n_leaders; k++) {
        tm_route_free(&d->plans[k].route);
        free(d->plans[k].cut);
        free(d->plans[k].seg);
    }
    free(d->segs);
    free(d->plans);
    free(d);
}

/* ---- A pattern's run from its segments ------------------------------------------------- */

typedef TM_VEC(tumen_sample) sample_vec;

static int push_sample(sample_vec *v, double t, double s, double speed, double energy,
                       int mode)
{
    tumen_sample x = {t, s, speed, 0, 0, 0, 0, 0, energy, mode, 0};
    return tm_vec_push(v, x);
}

/* The segments end to end (s after the departure, m along the route); arr[j], dep[j] the
 * times at cut j. */
static int lay_segments(const tm_day_segments *d, const pattern_plan *pl, const tm_service *svc,
                        const double *step_start, sample_vec *v, double *arr, double *dep)
{
    const tm_network *net = &d->sc->network;
    double t = 0.0, energy = 0.0;
    if (push_sample(v, 0.0, 0.0, 0.0, 0.0, TUMEN_MODE_STANDSTILL))
        return TUMEN_ENOMEM;
    arr[0] = dep[0] = 0.0;
    for (size_t j = 0; j < pl->n_seg; j++) {
        const segment *s = &d->segs[pl->seg[j]];
        double at = step_start[pl->cut[j]];
        for (size_t k = 1; k < s->n_pts; k++) {
            tumen_sample x;
            if (s->full) {
                x = s->full[k];
                x.energy += energy;
            } else
                x = (tumen_sample){s->pts[k].t, s->pts[k].s, s->pts[k].v, 0, 0, 0, 0, 0, 0,
                                   TUMEN_MODE_ACCELERATE, 0};
            x.t += t;
            x.s += at;
            if (tm_vec_push(v, x))
                return TUMEN_ENOMEM;
        }
        t = v->items[v->n - 1].t;
        energy += s->energy;
        arr[j + 1] = dep[j + 1] = t;
        if (j + 1 == pl->n_seg)
            break;
        int is_stop;
        double dwell = stop_dwell(svc, step_end_op(net, &pl->route.steps[pl->cut[j + 1] - 1]),
                                  &is_stop);
        if (dwell > 0.0) {
            const tumen_sample *last = &v->items[v->n - 1];
            if (push_sample(v, t + dwell, last->s, 0.0, last->energy, TUMEN_MODE_DWELL))
                return TUMEN_ENOMEM;
            t += dwell;
            dep[j + 1] = t;
        }
    }
    return TUMEN_OK;
}

/* Fills run's points, steps and totals from the laid segments, on the clock `clock`. */
static int fill_run(const tm_day_segments *d, const pattern_plan *pl, const sample_vec *v,
                    const double *arr, const double *dep, double clock, tm_service_run *run)
{
    const tm_network *net = &d->sc->network;
    const tm_route *r = &pl->route;
    size_t n = r->n_steps;
    run->points = calloc(n + 1, sizeof *run->points);
    run->steps = malloc(n * sizeof *run->steps);
    run->step_start = malloc(n * sizeof *run->step_start);
    if (!run->points || !run->steps || !run->step_start)
        return TUMEN_ENOMEM;
    run->n_points = n + 1;
    run->n_steps = n;
    double pos = 0.0;
    size_t op = r->origin, cut = 0, hint = 0;
    for (size_t k = 0; k <= n; k++) {
        if (k > 0) {
            op = step_end_op(net, &r->steps[k - 1]);
            pos += net->tracks[r->steps[k - 1].track].length;
        }
        if (k < n) {
            run->steps[k] = r->steps[k];
            run->step_start[k] = pos;
        }
        tm_service_point *p = &run->points[k];
        p->op = op;
        p->position = pos;
        if (cut <= pl->n_seg && pl->cut[cut] == k) {
            p->arrival = clock + arr[cut];
            p->departure = clock + dep[cut];
            p->is_stop = 1;
            cut++;
            continue;
        }
        /* passed without stopping: a breakpoint of the run, so a sample lies there */
        while (hint < v->n && v->items[hint].s < pos - 1e-6)
            hint++;
        double t = v->items[hint < v->n ? hint : v->n - 1].t;
        p->arrival = p->departure = clock + t;
    }
    double e = 0.0, vmax = 0.0;
    for (size_t j = 0; j < pl->n_seg; j++) {
        e += d->segs[pl->seg[j]].energy;
        vmax = fmax(vmax, d->segs[pl->seg[j]].max_speed);
    }
    run->clock_start = clock;
    run->distance = v->items[v->n - 1].s;
    run->energy = e;
    run->max_speed = vmax;
    run->departure = run->points[0].departure;
    run->arrival = run->points[n].arrival;
    run->running_time = run->arrival - run->departure;
    return TUMEN_OK;
}

/* Every requested stop is on the route (else the whole run names the one that is not). */
static int stops_on_route(const tm_service *svc, const tm_service_run *run)
{
    for (size_t i = 0; i < svc->n_stops; i++) {
        size_t k = 0;
        while (k < run->n_points && run->points[k].op != svc->stops[i].op)
            k++;
        if (k == run->n_points)
            return 0;
    }
    return 1;
}

/* The run from segments; TUMEN_OK, TUMEN_ENOMEM, or TM_DAY_WHOLE. */
static int compose(const tm_day_segments *d, size_t k, const tm_service *svc,
                   const tm_timetable_options *opt, tm_service_run *run)
{
    const pattern_plan *pl = &d->plans[k];
    for (size_t j = 0; j < pl->n_seg; j++)
        if (d->segs[pl->seg[j]].status == TUMEN_ENOMEM)
            return TUMEN_ENOMEM;
        else if (d->segs[pl->seg[j]].status != TUMEN_OK)
            return TM_DAY_WHOLE; /* the whole run reports why */
    sample_vec v = {0};
    v.cap = 1 + 2 * pl->n_seg; /* the start, the segments' samples after their first, dwells */
    for (size_t j = 0; j < pl->n_seg; j++)
        v.cap += d->segs[pl->seg[j]].n_pts;
    v.items = malloc(v.cap * sizeof *v.items);
    double *arr = malloc(2 * (pl->n_seg + 1) * sizeof *arr), *dep = arr + pl->n_seg + 1;
    double *start = malloc((pl->route.n_steps + 1) * sizeof *start);
    int rc = v.items && arr && start ? TUMEN_OK : TUMEN_ENOMEM;
    if (rc == TUMEN_OK) {
        double pos = 0.0;
        for (size_t i = 0; i < pl->route.n_steps; i++) {
            start[i] = pos;
            pos += d->sc->network.tracks[pl->route.steps[i].track].length;
        }
        rc = lay_segments(d, pl, svc, start, &v, arr, dep);
    }
    if (rc == TUMEN_OK)
        rc = fill_run(d, pl, &v, arr, dep, svc->departure, run);
    if (rc == TUMEN_OK && !stops_on_route(svc, run))
        rc = TM_DAY_WHOLE;
    if (rc == TUMEN_OK && opt->keep_samples) {
        run->samples = v.items;
        run->n_samples = v.n;
        v.items = NULL;
    }
    free(v.items);
    free(arr);
    free(start);
    if (rc != TUMEN_OK)
        tm_service_run_free(run);
    return rc;
}

int tm_day_segments_run(const tm_day_segments *d, size_t k, const tm_service *svc,
                        const tm_timetable_options *opt, tm_service_run *run)
{
    memset(run, 0, sizeof *run);
    if (!d || k >= d->n_leaders || !d->plans[k].by_segments)
        return TM_DAY_WHOLE;
    return compose(d, k, svc, opt, run);
}
