/* timetable.c: running every service of a timetable (plan/timetable.h).
 *
 * Per service: route (tm_route_find over its waypoints, stops and allowed consist changes),
 * engine legs (tm_route_legs_build), the run (tm_run_journey with the clock starting at the
 * scheduled departure), then the result is boiled down to what a timetable needs: the
 * arrival and departure at every operational point passed, the totals, and the trajectory
 * only when asked for. The engine's result is freed (or its samples kept) at once, so
 * memory stays at one trajectory per thread plus the small per-service summaries.
 *
 * Operational points and timing points: the lines tm_route_legs_build makes have a point at
 * every operational point passed, so the engine's timing points are those points in order.
 * They are matched to the route's operational points by position along the route (within
 * TM_TT_MATCH_TOL); a point the engine did not report (should the lines ever leave one out)
 * is timed from the trajectory by linear interpolation, so every point gets a time.
 *
 * Patterns: services with the same train, changes, waypoints, stops and dwells differ only
 * in their departure, and the engine is time-invariant, so each pattern is run once (on the
 * clock of 0) and copied to its services, shifted by each one's departure (see "Many
 * services" below): the same bytes as running each, at a fraction of the cost for a
 * regular-interval timetable.
 *
 * Threads: workers take the next pattern from an atomic counter and write only the slot of
 * its first service; the copies are made afterwards in one deterministic pass, so the
 * result does not depend on the thread count or the scheduling. When a service fails
 * (without keep_going), patterns whose first service has a higher index are no longer
 * started, and the failure with the lowest index is reported: that one is always run, so
 * the same input gives the same error on any number of threads.
 */
#include "model/allowance.h"
#include "plan/day_segments.h"
#include "plan/timetable.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/pool.h"

#define TM_TT_MATCH_TOL 0.5   /* m: a timing point this close to an op's position is it */

void tm_timetable_options_init(tm_timetable_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->threads = 1;
    tumen_run_options_init(&opt->run);
}

void tm_timetable_result_free(tm_timetable_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_runs; i++)
        tm_service_run_free(&r->runs[i]);
    free(r->runs);
    memset(r, 0, sizeof *r);
}

/* Prefixes e's message with the service (id and input line), keeping the rest: the
 * reader of a timetable of 10,000 services needs to know which one failed or warned. */
static void service_prefix(const tm_service *svc, tumen_error *e, int rc)
{
    char msg[sizeof e->message];
    snprintf(msg, sizeof msg, "%s", e->message[0] ? e->message : tumen_strerror(rc));
    if (svc->line > 0) /* a long message clipped at a character (core/text.h) */
        tm_snclip(e->message, sizeof e->message, "service '%s' (line %d): %s", svc->id,
                  svc->line, msg);
    else
        tm_snclip(e->message, sizeof e->message, "service '%s': %s", svc->id, msg);
}

/* err with the service's prefix; an error of the run, not of a file, gets the service's
 * definition as its place. */
static int service_error(const tm_service *svc, int rc, tumen_error *err)
{
    if (!err)
        return rc;
    service_prefix(svc, err, rc);
    if (!err->file[0]) {
        if (err->line == 0)
            err->line = svc->line;
        if (svc->file && err->line == svc->line)
            snprintf(err->file, sizeof err->file, "%s", svc->file);
    }
    err->code = rc;
    return rc;
}

void tm_service_run_name_warnings(const tm_service *svc, tm_service_run *run)
{
    for (size_t k = 0; k < run->n_warnings; k++)
        service_prefix(svc, &run->warnings[k], run->warnings[k].code);
}

/* Time (s since the run's start) when the head is at x, interpolated in the samples.
 * hint: the sample index to search from (updated), as points come in ascending order. */
static double time_at(const tumen_result *r, double x, size_t *hint)
{
    size_t i = *hint;
    while (i < r->n_samples && r->samples[i].s < x)
        i++;
    *hint = i > 0 ? i - 1 : 0;
    if (i == 0)
        return r->samples[0].t;
    if (i >= r->n_samples)
        return r->samples[r->n_samples - 1].t;
    const tumen_sample *a = &r->samples[i - 1], *b = &r->samples[i];
    if (!(b->s > a->s))
        return b->t;
    return a->t + (b->t - a->t) * (x - a->s) / (b->s - a->s);
}

/* Fills run->points from the route and the engine's timing points (see the file comment). */
static int collect_points(const tm_scenario *sc, const tm_route *route,
                          const tumen_result *res, double clock, tm_service_run *run)
{
    size_t n = route->n_steps + 1;
    run->points = calloc(n, sizeof *run->points);
    if (!run->points)
        return TUMEN_ENOMEM;
    run->n_points = n;
    const tm_network *net = &sc->network;
    size_t op = route->origin, tp = 0, hint = 0;
    double pos = 0.0;
    for (size_t k = 0; k < n; k++) {
        if (k > 0) {
            const tm_route_step *st = &route->steps[k - 1];
            const tm_track *tr = &net->tracks[st->track];
            op = st->forward ? tr->to : tr->from;
            pos += tr->length;
        }
        tm_service_point *p = &run->points[k];
        p->op = op;
        p->position = pos;
        while (tp < res->n_timing_points &&
               res->timing_points[tp].position < pos - TM_TT_MATCH_TOL)
            tp++;
        if (tp < res->n_timing_points &&
            fabs(res->timing_points[tp].position - pos) <= TM_TT_MATCH_TOL) {
            const tumen_timing_point *t = &res->timing_points[tp++];
            p->arrival = clock + t->arrival;
            p->departure = clock + t->departure;
            p->is_stop = t->is_stop;
            p->leg = t->leg;
        } else {
            p->arrival = p->departure = clock + time_at(res, pos, &hint);
            p->leg = k > 0 ? run->points[k - 1].leg : 0;
        }
        if (k == 0) {
            p->arrival = p->departure;
            p->is_stop = 1;
        }
        if (k + 1 == n) {
            p->departure = p->arrival;
            p->is_stop = 1;
        }
    }
    return TUMEN_OK;
}

/* Copies the route's steps and where each begins along the route. */
static int keep_steps(const tm_scenario *sc, const tm_route *route, tm_service_run *run)
{
    size_t n = route->n_steps;
    run->steps = malloc((n ? n : 1) * sizeof *run->steps);
    run->step_start = malloc((n ? n : 1) * sizeof *run->step_start);
    if (!run->steps || !run->step_start)
        return TUMEN_ENOMEM;
    double pos = 0.0;
    for (size_t i = 0; i < n; i++) {
        run->steps[i] = route->steps[i];
        run->step_start[i] = pos;
        pos += sc->network.tracks[route->steps[i].track].length;
    }
    run->n_steps = n;
    return TUMEN_OK;
}

/* Checks what the reader's resolve step guarantees for scenario services, since a service
 * may also come from a generator. */
static int check_service(const tm_scenario *sc, const tm_service *svc, tumen_error *err)
{
    if (svc->train >= sc->n_trains)
        return tm_error_set(err, TUMEN_EINPUT, NULL, svc->line, "train",
                            "the train is not in the scenario");
    if (svc->n_waypoints < 2)
        return tm_error_set(err, TUMEN_EINPUT, NULL, svc->line, "route",
                            "the route needs an origin and a destination");
    for (size_t i = 0; i < svc->n_waypoints; i++)
        if (svc->waypoints[i] >= sc->network.n_ops)
            return tm_error_set(err, TUMEN_EINPUT, NULL, svc->line, "route",
                                "waypoint %zu is not an operational point of the network", i);
    for (size_t i = 0; i < svc->n_stops; i++)
        if (svc->stops[i].op >= sc->network.n_ops)
            return tm_error_set(err, TUMEN_EINPUT, NULL, svc->line, "stops",
                                "stop %zu is not an operational point of the network", i);
    for (size_t i = 0; i < svc->n_changes_to; i++)
        if (svc->changes_to[i] >= sc->n_trains)
            return tm_error_set(err, TUMEN_EINPUT, NULL, svc->line, "changes_to",
                                "train %zu is not in the scenario", i);
    return TUMEN_OK;
}

/* Every requested stop must be on the route found: a stop the route does not pass would
 * otherwise be dropped without a word (give it as a waypoint to route through it). */
static int check_stops(const tm_scenario *sc, const tm_service *svc,
                       const tm_service_run *run, tumen_error *err)
{
    for (size_t i = 0; i < svc->n_stops; i++) {
        size_t k = 0;
        while (k < run->n_points && run->points[k].op != svc->stops[i].op)
            k++;
        if (k == run->n_points)
            return tm_error_set(err, TUMEN_EINPUT, NULL, svc->line, "stops",
                                "the stop at '%s' is not on the route found (%s to %s); add "
                                "it to the route's waypoints to run through it",
                                sc->network.ops[svc->stops[i].op].id,
                                sc->network.ops[run->points[0].op].id,
                                sc->network.ops[run->points[run->n_points - 1].op].id);
    }
    return TUMEN_OK;
}

/* The work of one service, its clock starting at `clock` (s after midnight), without the
 * service prefix on errors. */
static int run_one(const tm_scenario *sc, const tm_service *svc,
                   const tm_timetable_options *opt, double clock, tm_service_run *run,
                   tumen_error *err)
{
    int rc = check_service(sc, svc, err);
    if (rc != TUMEN_OK)
        return rc;
    tm_route_request req = {svc->train, svc->changes_to, svc->n_changes_to, svc->waypoints,
                            svc->n_waypoints, svc->stops, svc->n_stops};
    tm_route route;
    memset(&route, 0, sizeof route);
    rc = tm_route_find(sc, &req, &route, err);
    if (rc != TUMEN_OK) {
        tm_route_free(&route);
        return rc;
    }
    tm_route_legs legs;
    memset(&legs, 0, sizeof legs);
    rc = tm_route_legs_build(sc, &route, &req, &legs, err);
    tumen_result *res = NULL;
    const tm_allowance_spec **specs = NULL;
    if (rc == TUMEN_OK && svc->allowance) {
        /* One allowance for the whole service: every leg takes it (shared by their
         * running times where it is a fixed time). */
        specs = malloc((legs.n ? legs.n : 1) * sizeof *specs);
        if (!specs)
            rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
        for (size_t i = 0; specs && i < legs.n; i++)
            specs[i] = svc->allowance;
    }
    if (rc == TUMEN_OK)
        rc = tm_run_journey_spec(legs.legs, specs, legs.n, &opt->run, clock, &res, err);
    free(specs);
    if (rc == TUMEN_OK && (res->n_samples == 0 || !res->samples))
        rc = tm_error_set(err, TUMEN_EPHYSICS, NULL, 0, NULL, "the run produced no trajectory");
    if (rc == TUMEN_OK) {
        run->clock_start = clock;
        run->distance = res->distance;
        run->energy = res->energy;
        run->max_speed = res->max_speed;
        run->warnings = res->warnings; /* handed over: bounds not kept (run/journey.c) */
        run->n_warnings = res->n_warnings;
        res->warnings = NULL;
        res->n_warnings = 0;
        if (collect_points(sc, &route, res, clock, run) != TUMEN_OK ||
            keep_steps(sc, &route, run) != TUMEN_OK)
            rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    if (rc == TUMEN_OK)
        rc = check_stops(sc, svc, run, err);
    if (rc == TUMEN_OK) {
        run->departure = run->points[0].departure;
        run->arrival = run->points[run->n_points - 1].arrival;
        run->running_time = run->arrival - run->departure;
        if (opt->keep_samples) { /* hand the engine's trajectory over, no copy */
            run->samples = res->samples;
            run->n_samples = res->n_samples;
            res->samples = NULL;
            res->n_samples = 0;
        }
    }
    tumen_result_destroy(res);
    tm_route_legs_free(&legs);
    tm_route_free(&route);
    return rc;
}

int tm_timetable_run_service(const tm_scenario *sc, const tm_service *svc,
                             const tm_timetable_options *opt, tm_service_run *out,
                             tumen_error *err)
{
    tm_timetable_options defaults;
    if (!opt) {
        tm_timetable_options_init(&defaults);
        opt = &defaults;
    }
    if (!out)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "out must not be NULL");
    memset(out, 0, sizeof *out);
    if (!sc || !svc)
        return out->status = tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                                          "the scenario and the service must not be NULL");
    tm_error_clear(err);
    int rc = run_one(sc, svc, opt, svc->departure, out, err);
    if (rc != TUMEN_OK) {
        tm_service_run_free(out);
        out->status = rc;
        return service_error(svc, rc, err);
    }
    return TUMEN_OK;
}

/* ---- Many services on many threads ------------------------------------------------------ */

/* Services with the same pattern (train, changes, waypoints, stops and dwells) run the same
 * way whatever their departure: the engine is time-invariant (the clock only labels the
 * result). So each pattern runs once, on the clock of 0 (times relative to its departure),
 * and every service of the pattern gets a copy shifted by its own departure: departure +
 * t, the very sum a run on its own clock computes, so the result is the same bytes as
 * running each service. A regular-interval timetable has a few patterns for thousands of
 * services. */
typedef struct pattern_key {
    uint64_t hash;
    size_t index;
    const tm_service *svc;
} pattern_key;

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static uint64_t pattern_hash(const tm_service *s)
{
    uint64_t h = mix(0, s->train);
    h = mix(h, s->n_waypoints);
    for (size_t i = 0; i < s->n_waypoints; i++)
        h = mix(h, s->waypoints[i]);
    h = mix(h, s->n_stops);
    for (size_t i = 0; i < s->n_stops; i++) {
        uint64_t bits;
        memcpy(&bits, &s->stops[i].dwell, sizeof bits);
        h = mix(mix(h, s->stops[i].op), bits);
    }
    h = mix(h, s->n_changes_to);
    for (size_t i = 0; i < s->n_changes_to; i++)
        h = mix(h, s->changes_to[i]);
    return mix(h, s->allowance != NULL);
}

/* Services with allowances share a pattern only when their allowances are the same. */
static int cmp_allowance(const tm_allowance_spec *a, const tm_allowance_spec *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return memcmp(a, b, sizeof *a);
}

static int cmp_size(size_t a, size_t b)
{
    return (a > b) - (a < b);
}

/* Orders patterns (any total order will do), then services by index within a pattern. */
static int cmp_pattern(const void *pa, const void *pb)
{
    const pattern_key *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    const tm_service *x = a->svc, *y = b->svc;
    int c = cmp_size(x->train, y->train);
    if (!c)
        c = cmp_size(x->n_waypoints, y->n_waypoints);
    for (size_t i = 0; !c && i < x->n_waypoints; i++)
        c = cmp_size(x->waypoints[i], y->waypoints[i]);
    if (!c)
        c = cmp_size(x->n_stops, y->n_stops);
    for (size_t i = 0; !c && i < x->n_stops; i++) {
        c = cmp_size(x->stops[i].op, y->stops[i].op);
        if (!c && x->stops[i].dwell != y->stops[i].dwell)
            c = x->stops[i].dwell < y->stops[i].dwell ? -1 : 1;
    }
    if (!c)
        c = cmp_size(x->n_changes_to, y->n_changes_to);
    for (size_t i = 0; !c && i < x->n_changes_to; i++)
        c = cmp_size(x->changes_to[i], y->changes_to[i]);
    if (!c)
        c = cmp_allowance(x->allowance, y->allowance);
    return c ? c : cmp_size(a->index, b->index);
}

static int cmp_index(const void *a, const void *b)
{
    return cmp_size(*(const size_t *)a, *(const size_t *)b);
}

static int same_pattern(const pattern_key *a, const pattern_key *b)
{
    pattern_key x = *a, y = *b;
    x.index = y.index = 0;
    return cmp_pattern(&x, &y) == 0;
}

/* Moves run's clock from 0 to `clock`. */
static void shift_run(tm_service_run *run, double clock)
{
    for (size_t k = 0; k < run->n_points; k++) {
        run->points[k].arrival = clock + run->points[k].arrival;
        run->points[k].departure = clock + run->points[k].departure;
    }
    run->clock_start = clock;
    run->departure = run->points[0].departure;
    run->arrival = run->points[run->n_points - 1].arrival;
    run->running_time = run->arrival - run->departure;
}

static void *dup_array(const void *src, size_t n, size_t size, int *bad)
{
    if (!n)
        return NULL;
    void *p = malloc(n * size);
    if (p)
        memcpy(p, src, n * size);
    else
        *bad = 1;
    return p;
}

/* A deep copy of a successful run (its error stays NULL). Returns TUMEN_OK or ENOMEM. */
static int copy_run(tm_service_run *dst, const tm_service_run *src)
{
    int bad = 0;
    *dst = *src;
    dst->error = NULL;
    dst->points = dup_array(src->points, src->n_points, sizeof *src->points, &bad);
    dst->steps = dup_array(src->steps, src->n_steps, sizeof *src->steps, &bad);
    dst->step_start = dup_array(src->step_start, src->n_steps, sizeof *src->step_start, &bad);
    dst->samples = dup_array(src->samples, src->n_samples, sizeof *src->samples, &bad);
    dst->warnings = dup_array(src->warnings, src->n_warnings, sizeof *src->warnings, &bad);
    if (bad) {
        tm_service_run_free(dst);
        return TUMEN_ENOMEM;
    }
    return TUMEN_OK;
}

typedef struct job {
    const tm_scenario *sc;
    const tm_timetable *tt;
    const tm_timetable_options *opt;
    tm_service_run *runs;
    const size_t *leaders;     /* the first service of each pattern, ascending */
    size_t n_leaders;
    const tm_day_segments *segments; /* the day's shared segment runs, or NULL */
    atomic_size_t first_fail;  /* lowest failed service index so far, or SIZE_MAX */
    pthread_mutex_t progress_lock; /* one progress call at a time */
    size_t done;               /* runs finished (under progress_lock) */
    atomic_int cancelled;
} job;

/* Reports one more finished run; a nonzero answer cancels the rest. */
static void report(job *j)
{
    if (!j->opt->progress)
        return;
    pthread_mutex_lock(&j->progress_lock);
    j->done++;
    if (!atomic_load(&j->cancelled) &&
        j->opt->progress(j->opt->progress_user, j->done, j->n_leaders) != 0)
        atomic_store(&j->cancelled, 1);
    pthread_mutex_unlock(&j->progress_lock);
}

/* Runs pattern k on the clock of 0 (core/pool.h job); a failure is stored in its slot
 * (status and the error without the service prefix). */
static void run_pattern(void *ctx, size_t k)
{
    job *j = ctx;
    size_t i = j->leaders[k];
    if (atomic_load(&j->cancelled))
        return;
    if (!j->opt->keep_going && i > atomic_load(&j->first_fail))
        return; /* a lower service already failed: this one cannot be reported */
    tumen_error e;
    tm_error_clear(&e);
    tm_service_run *run = &j->runs[i];
    tm_service svc = j->tt->services[i];
    svc.departure = 0.0;
    int rc = tm_day_segments_run(j->segments, k, &svc, j->opt, run);
    if (rc == TM_DAY_WHOLE)
        rc = run_one(j->sc, &j->tt->services[i], j->opt, 0.0, run, &e);
    else if (rc != TUMEN_OK)
        tm_error_set(&e, rc, NULL, 0, NULL, "out of memory");
    report(j);
    if (rc == TUMEN_OK)
        return;
    tm_service_run_free(run);
    run->status = rc;
    run->error = malloc(sizeof *run->error);
    if (run->error)
        *run->error = e;
    size_t seen = atomic_load(&j->first_fail);
    while (i < seen && !atomic_compare_exchange_weak(&j->first_fail, &seen, i))
        ;
}

/* Groups services by pattern: keys sorted so that each pattern is a run of keys, its
 * lowest index first. Returns the keys (caller frees) and fills leaders, or NULL. */
static pattern_key *group(const tm_timetable *tt, size_t *leaders, size_t *n_leaders)
{
    size_t n = tt->n_services;
    pattern_key *keys = malloc(n * sizeof *keys);
    if (!keys)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        keys[i].hash = pattern_hash(&tt->services[i]);
        keys[i].index = i;
        keys[i].svc = &tt->services[i];
    }
    qsort(keys, n, sizeof *keys, cmp_pattern);
    *n_leaders = 0;
    for (size_t k = 0; k < n; k++)
        if (k == 0 || !same_pattern(&keys[k - 1], &keys[k]))
            leaders[(*n_leaders)++] = keys[k].index;
    /* ascending, so work starts with the lowest indexes (first failures found early) */
    qsort(leaders, *n_leaders, sizeof *leaders, cmp_index);
    return keys;
}

/* Gives every service of each pattern its copy of the pattern's run, on its own clock, and
 * every failure and warning its service's prefix. Sequential and in key order: deterministic. */
static void place(const tm_timetable *tt, const pattern_key *keys, tm_service_run *runs)
{
    size_t n = tt->n_services;
    for (size_t k = 0; k < n;) {
        size_t end = k + 1;
        while (end < n && same_pattern(&keys[k], &keys[end]))
            end++;
        size_t lead = keys[k].index;
        tm_service_run *l = &runs[lead];
        for (size_t m = k + 1; m < end; m++) {
            size_t f = keys[m].index;
            tm_service_run *r = &runs[f];
            if (l->status == TUMEN_OK && l->n_points) {
                if (copy_run(r, l) == TUMEN_OK) {
                    shift_run(r, tt->services[f].departure);
                    continue;
                }
                r->status = TUMEN_ENOMEM;
                r->error = malloc(sizeof *r->error);
                if (r->error)
                    tm_error_set(r->error, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
            } else if (l->status != TUMEN_OK) {
                r->status = l->status;
                r->error = malloc(sizeof *r->error);
                if (r->error && l->error)
                    *r->error = *l->error;
                else if (r->error)
                    tm_error_set(r->error, l->status, NULL, 0, NULL, "%s",
                                 tumen_strerror(l->status));
            }
        }
        if (l->status == TUMEN_OK && l->n_points)
            shift_run(l, tt->services[lead].departure);
        k = end;
    }
    for (size_t i = 0; i < n; i++) {
        if (runs[i].status != TUMEN_OK && runs[i].error)
            service_error(&tt->services[i], runs[i].status, runs[i].error);
        tm_service_run_name_warnings(&tt->services[i], &runs[i]);
    }
}

int tm_timetable_patterns(const tm_timetable *tt, size_t *pattern, size_t **leaders,
                          size_t *n_leaders)
{
    size_t n = tt->n_services;
    *leaders = malloc((n ? n : 1) * sizeof **leaders);
    *n_leaders = 0;
    pattern_key *keys = *leaders && n ? group(tt, *leaders, n_leaders) : NULL;
    if (n && !keys) {
        free(*leaders);
        *leaders = NULL;
        return TUMEN_ENOMEM;
    }
    for (size_t k = 0; k < n;) {
        /* the pattern's number: its leader's place among the ascending leaders */
        size_t lo = 0, hi = *n_leaders;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if ((*leaders)[mid] < keys[k].index)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t end = k + 1;
        while (end < n && same_pattern(&keys[k], &keys[end]))
            end++;
        for (; k < end; k++)
            pattern[keys[k].index] = lo;
    }
    free(keys);
    return TUMEN_OK;
}

int tm_service_run_copy_shifted(tm_service_run *dst, const tm_service_run *src, double clock)
{
    if (copy_run(dst, src) != TUMEN_OK)
        return TUMEN_ENOMEM;
    if (dst->n_points)
        shift_run(dst, clock);
    return TUMEN_OK;
}

int tm_timetable_run(const tm_scenario *sc, const tm_timetable *tt,
                     const tm_timetable_options *opt, tm_timetable_result *out,
                     tumen_error *err)
{
    tm_error_clear(err);
    if (!out || !sc)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "the scenario and the result must not be NULL");
    memset(out, 0, sizeof *out);
    tm_timetable_options defaults;
    if (!opt) {
        tm_timetable_options_init(&defaults);
        opt = &defaults;
    }
    if (!tt)
        tt = &sc->timetable;
    out->timetable = tt;
    size_t n = tt->n_services;
    if (n == 0)
        return TUMEN_OK;
    job j;
    j.sc = sc;
    j.tt = tt;
    j.opt = opt;
    j.runs = calloc(n, sizeof *j.runs);
    size_t *leaders = malloc(n * sizeof *leaders), n_leaders = 0;
    pattern_key *keys = j.runs && leaders ? group(tt, leaders, &n_leaders) : NULL;
    if (!keys) {
        free(j.runs);
        free(leaders);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    j.leaders = leaders;
    tm_day_segments *segments = NULL;
    if (!opt->whole_runs && tm_day_segments_build(sc, tt, leaders, n_leaders, opt,
                                                  opt->keep_samples, &segments) != TUMEN_OK) {
        free(keys);
        free(j.runs);
        free(leaders);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    j.segments = segments;
    atomic_init(&j.first_fail, SIZE_MAX);
    j.n_leaders = n_leaders;
    atomic_init(&j.cancelled, 0);
    j.done = 0;
    pthread_mutex_init(&j.progress_lock, NULL);
    tm_pool_run(opt->threads, n_leaders, run_pattern, &j);
    pthread_mutex_destroy(&j.progress_lock);
    tm_day_segments_free(segments);
    if (atomic_load(&j.cancelled)) {
        free(keys);
        free(leaders);
        out->runs = j.runs;
        out->n_runs = n;
        tm_timetable_result_free(out);
        out->timetable = tt;
        return tm_error_set(err, TUMEN_ECANCELLED, NULL, 0, NULL,
                            "the timetable run was cancelled");
    }
    place(tt, keys, j.runs);
    free(keys);
    free(leaders);

    out->runs = j.runs;
    out->n_runs = n;
    size_t first = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        out->n_warnings += out->runs[i].n_warnings;
        if (out->runs[i].status != TUMEN_OK) {
            out->n_failed++;
            if (first == SIZE_MAX)
                first = i;
        }
    }
    if (out->n_failed && !opt->keep_going) {
        const tm_service_run *bad = &out->runs[first];
        int rc = bad->status;
        if (bad->error && err)
            *err = *bad->error;
        else
            tm_error_set(err, rc, NULL, tt->services[first].line, NULL,
                         "service '%s' failed (out of memory for its message)",
                         tt->services[first].id);
        tm_timetable_result_free(out);
        return rc;
    }
    return TUMEN_OK;
}
