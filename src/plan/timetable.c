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
 * Threads: workers take the next service index from an atomic counter and write only
 * runs[index], so the result does not depend on the thread count or the scheduling. When a
 * service fails (without keep_going), services with a higher index are no longer started,
 * and the failure with the lowest index is reported: that one is always run, so the same
 * input gives the same error on any number of threads.
 */
#include "plan/timetable.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define TM_TT_MATCH_TOL 0.5   /* m: a timing point this close to an op's position is it */
#define TM_TT_MAX_THREADS 256

void tm_timetable_options_init(tm_timetable_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->threads = 1;
    tumen_run_options_init(&opt->run);
}

void tm_service_run_free(tm_service_run *run)
{
    if (!run)
        return;
    free(run->error);
    free(run->points);
    free(run->steps);
    free(run->step_start);
    free(run->samples);
    memset(run, 0, sizeof *run);
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

/* Prefixes err's message with the service (id and input line), keeping the rest: the
 * reader of a timetable of 10,000 services needs to know which one failed. */
static int service_error(const tm_service *svc, int rc, tumen_error *err)
{
    if (!err)
        return rc;
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message[0] ? err->message : tumen_strerror(rc));
    if (svc->line > 0)
        snprintf(err->message, sizeof err->message, "service '%s' (line %d): %.400s", svc->id,
                 svc->line, msg);
    else
        snprintf(err->message, sizeof err->message, "service '%s': %.400s", svc->id, msg);
    if (err->line == 0 && !err->file[0])
        err->line = svc->line;
    err->code = rc;
    return rc;
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
static int collect_points(const tumen_scenario *sc, const tm_route *route,
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
static int keep_steps(const tumen_scenario *sc, const tm_route *route, tm_service_run *run)
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
static int check_service(const tumen_scenario *sc, const tm_service *svc, tumen_error *err)
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
static int check_stops(const tumen_scenario *sc, const tm_service *svc,
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

/* The work of one service, without the service prefix on errors. */
static int run_one(const tumen_scenario *sc, const tm_service *svc,
                   const tm_timetable_options *opt, tm_service_run *run, tumen_error *err)
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
    if (rc == TUMEN_OK)
        rc = tm_run_journey(legs.legs, legs.n, &opt->run, svc->departure, &res, err);
    if (rc == TUMEN_OK && (res->n_samples == 0 || !res->samples))
        rc = tm_error_set(err, TUMEN_EPHYSICS, NULL, 0, NULL, "the run produced no trajectory");
    if (rc == TUMEN_OK) {
        run->clock_start = svc->departure;
        run->distance = res->distance;
        run->energy = res->energy;
        run->max_speed = res->max_speed;
        if (collect_points(sc, &route, res, svc->departure, run) != TUMEN_OK ||
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

int tm_timetable_run_service(const tumen_scenario *sc, const tm_service *svc,
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
    int rc = run_one(sc, svc, opt, out, err);
    if (rc != TUMEN_OK) {
        tm_service_run_free(out);
        out->status = rc;
        return service_error(svc, rc, err);
    }
    return TUMEN_OK;
}

/* ---- Many services on many threads ------------------------------------------------------ */

typedef struct job {
    const tumen_scenario *sc;
    const tm_timetable *tt;
    const tm_timetable_options *opt;
    tm_service_run *runs;
    atomic_size_t next;        /* next service index to take */
    atomic_size_t first_fail;  /* lowest failed index so far, or SIZE_MAX */
} job;

/* Runs services until none is left; a failure is stored in its slot (malloc'd error). */
static void work(job *j)
{
    const size_t n = j->tt->n_services;
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= n)
            return;
        if (!j->opt->keep_going && i > atomic_load(&j->first_fail))
            continue; /* a lower service already failed: this one cannot be reported */
        tumen_error e;
        tm_service_run *run = &j->runs[i];
        if (tm_timetable_run_service(j->sc, &j->tt->services[i], j->opt, run, &e) == TUMEN_OK)
            continue;
        run->error = malloc(sizeof *run->error);
        if (run->error)
            *run->error = e;
        size_t seen = atomic_load(&j->first_fail);
        while (i < seen && !atomic_compare_exchange_weak(&j->first_fail, &seen, i))
            ;
    }
}

static void *worker(void *arg)
{
    work(arg);
    return NULL;
}

int tm_timetable_run(const tumen_scenario *sc, const tm_timetable *tt,
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
    if (tt->n_services == 0)
        return TUMEN_OK;
    job j;
    j.sc = sc;
    j.tt = tt;
    j.opt = opt;
    j.runs = calloc(tt->n_services, sizeof *j.runs);
    if (!j.runs)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    atomic_init(&j.next, 0);
    atomic_init(&j.first_fail, SIZE_MAX);
    size_t threads = opt->threads > 1 ? (size_t)opt->threads : 1;
    if (threads > TM_TT_MAX_THREADS)
        threads = TM_TT_MAX_THREADS;
    if (threads > tt->n_services)
        threads = tt->n_services;
    pthread_t ids[TM_TT_MAX_THREADS];
    size_t started = 0;
    for (; started + 1 < threads; started++)
        if (pthread_create(&ids[started], NULL, worker, &j) != 0)
            break; /* run with the threads we have: the result is the same */
    work(&j);
    for (size_t t = 0; t < started; t++)
        pthread_join(ids[t], NULL);

    out->runs = j.runs;
    out->n_runs = tt->n_services;
    for (size_t i = 0; i < out->n_runs; i++)
        out->n_failed += out->runs[i].status != TUMEN_OK;
    if (out->n_failed && !opt->keep_going) {
        size_t f = atomic_load(&j.first_fail);
        const tm_service_run *bad = &out->runs[f];
        int rc = bad->status;
        if (bad->error && err)
            *err = *bad->error;
        else
            tm_error_set(err, rc, NULL, tt->services[f].line, NULL,
                         "service '%s' failed (out of memory for its message)",
                         tt->services[f].id);
        tm_timetable_result_free(out);
        return rc;
    }
    return TUMEN_OK;
}
