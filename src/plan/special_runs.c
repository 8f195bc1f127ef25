/* special_runs.c: the engine runs of a special request's segments (plan/special_runs.h).
 *
 * The fit search asks, from every station it leaves, for the runs to every later station up
 * to the next required stop: O(n^2) runs over a route of n stations. Each was a service of
 * its own (tm_timetable_run_service): a route search over the segment's points, a line and
 * a course built, the pass from standstill to standstill over the whole segment, the timing
 * points' names copied. On the national day those fixed costs and the passes were most of
 * a request's time (docs/special.md, "The national day").
 *
 * The runs from one station i differ only where the nearer stop's braking begins:
 *  - the route over ops[i .. k] is the first k - i steps of the route over ops[i .. far]
 *    (the route search goes from waypoint to waypoint, each stretch from where the last
 *    ended), so one route search serves them all;
 *  - the line and the course over ops[i .. k] are those over ops[i .. far] up to k (the
 *    same tracks laid end to end from 0, the same sums) except for a switch's turnout speed
 *    at k, which the longer line holds and the shorter one does not have: such a k is run
 *    the old way;
 *  - the pass to k is the pass to far up to where their ceilings part (tm_pass_resume).
 * So per station left, one route search, one line, one course and one run to far; per
 * segment, the tail of its pass from where the ceilings part. The samples, points and steps
 * are those the service's run gives, to the bit (tests/test_special_runs.c compares them).
 * The last few stations' courses are kept (the search alternates between the station it
 * expands and the lower bound's runs from the stations it reaches).
 */
#include "plan/special_runs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "block/blocking.h"
#include "plan/route.h"
#include "run/run.h"

#define KEPT 4 /* stations whose course and run are kept */

typedef struct origin {
    int used;                   /* 0: empty; else the stamp of its last use */
    int usable;                 /* 0: its runs go the old way */
    size_t station, train, far;
    tm_route route;
    tm_line line;
    tm_course course;
    tm_pass_memo memo;
    /* the run to far's blocks and stairs, for one set of blocking parameters (stairs_of) */
    int has_stairs;
    tm_blocking_params params;
    double length;
    tm_block_section *blocks;
    tm_occupation *occ;
    size_t n_blocks;
} origin;

struct tm_sp_runs {
    const tm_scenario *sc;
    const size_t *ops;
    size_t n;
    int clock;
    origin kept[KEPT];
    origin *last;               /* the last segment's origin and how many of its samples
                                 * are the origin's run's (tm_pass_resume) */
    size_t last_shared;
    tm_samples samples;         /* the last segment's samples: one buffer for them all (a
                                 * long segment's samples, allocated and freed each time,
                                 * went to the kernel and back every time) */
};

tm_sp_runs *tm_sp_runs_new(const tm_scenario *sc, const size_t *ops, size_t n)
{
    tm_sp_runs *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->sc = sc;
    r->ops = ops;
    r->n = n;
    return r;
}

static void origin_clear(origin *o)
{
    free(o->blocks);
    free(o->occ);
    tm_pass_memo_free(&o->memo);
    tm_course_free(&o->course);
    tm_line_free(&o->line);
    tm_route_free(&o->route);
    memset(o, 0, sizeof *o);
}

void tm_sp_runs_free(tm_sp_runs *r)
{
    if (!r)
        return;
    for (int q = 0; q < KEPT; q++)
        origin_clear(&r->kept[q]);
    free(r->samples.items);
    free(r);
}

/* Whether the route found runs ops[i .. far] one track each, without reversing (a
 * reversal is a stop of the line: two passes). */
static int plain_route(const tm_sp_runs *r, const origin *o)
{
    const tm_network *net = &r->sc->network;
    if (o->route.n_steps != o->far - o->station)
        return 0;
    for (size_t z = 0; z < o->route.n_steps; z++) {
        const tm_route_step *st = &o->route.steps[z];
        const tm_track *t = &net->tracks[st->track];
        if ((st->forward ? t->to : t->from) != r->ops[o->station + z + 1] ||
            st->train != o->train || (o->route.change_time && o->route.change_time[z] > 0.0))
            return 0;
        if (z > 0 && st->track == o->route.steps[z - 1].track &&
            st->forward != o->route.steps[z - 1].forward)
            return 0;
    }
    return 1;
}

/* Route, line, course and the run to far from station i, as the service's run builds them
 * (tm_route_find, tm_route_legs_build's one line, tm_course_build with the default mass
 * model). Anything but memory running out leaves the origin unusable. */
static int origin_build(tm_sp_runs *r, origin *o, size_t train, size_t i, size_t far,
                        tumen_error *err)
{
    o->station = i;
    o->train = train;
    o->far = far;
    tm_route_request req = {train, NULL, 0, r->ops + i, far - i + 1, NULL, 0};
    tumen_error quiet = {0};
    int found = tm_route_find(r->sc, &req, &o->route, &quiet);
    if (found == TUMEN_ENOMEM)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (found != TUMEN_OK || !plain_route(r, o))
        return TUMEN_OK;
    tumen_run_options ro;
    tumen_run_options_init(&ro);
    int rc = tm_route_line_build(r->sc, &o->route, &req, 0, o->route.n_steps, r->ops[i],
                                 &o->line, &quiet);
    if (rc == TUMEN_OK)
        rc = tm_course_build(&o->course, &r->sc->trains[train], &o->line, ro.mass_model, &quiet);
    if (rc == TUMEN_OK && o->line.n_points == far - i + 1) {
        double to = fmin(o->line.points[far - i].position, o->course.end);
        rc = tm_pass_memo_run(&o->memo, &o->course, o->course.start, to, &quiet);
        if (rc == TUMEN_OK) {
            o->usable = 1;
            return TUMEN_OK;
        }
    }
    if (rc == TUMEN_ENOMEM)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    return TUMEN_OK; /* a stall or the like: the service's run says so */
}

static origin *origin_of(tm_sp_runs *r, size_t train, size_t i, size_t far, tumen_error *err)
{
    origin *o = NULL;
    for (int q = 0; q < KEPT && !o; q++)
        if (r->kept[q].used && r->kept[q].station == i && r->kept[q].train == train &&
            r->kept[q].far == far)
            o = &r->kept[q];
    if (!o) {
        o = &r->kept[0];
        for (int q = 1; q < KEPT; q++)
            if (r->kept[q].used < o->used)
                o = &r->kept[q];
        origin_clear(o);
        r->last = NULL;
        if (origin_build(r, o, train, i, far, err) != TUMEN_OK) {
            origin_clear(o);
            return NULL;
        }
    }
    o->used = ++r->clock;
    return o;
}

/* The service run's points, steps and step starts over stations i .. k of o, from the
 * samples (line positions): the times the journey's timing points and the timetable's
 * points take from them. */
static int fill_run(const tm_sp_runs *r, const origin *o, size_t k, tm_samples *smp,
                    tm_service_run *out)
{
    size_t np = k - o->station + 1, ns = np - 1;
    out->points = calloc(np, sizeof *out->points);
    out->steps = malloc(ns * sizeof *out->steps);
    out->step_start = malloc(ns * sizeof *out->step_start);
    if (!out->points || !out->steps || !out->step_start)
        return TUMEN_ENOMEM;
    const tumen_sample *last = &smp->items[smp->n - 1];
    double end = o->line.points[np - 1].position, pos = 0.0;
    size_t at = 0;
    for (size_t z = 0; z < np; z++) {
        tm_service_point *p = &out->points[z];
        if (z > 0) {
            out->steps[z - 1] = o->route.steps[z - 1];
            out->step_start[z - 1] = pos;
            pos += r->sc->network.tracks[o->route.steps[z - 1].track].length;
        }
        double x = fmin(o->line.points[z].position, end);
        /* the first sample at or beyond x (journey.c's time_at); the points ascend */
        while (at < smp->n && !(smp->items[at].s >= x - 1e-6))
            at++;
        double t = at < smp->n ? smp->items[at].t : last->t;
        if (z == 0) { /* the last sample still standing at the origin */
            t = smp->items[0].t;
            for (size_t j = at; j < smp->n && smp->items[j].s <= x + 1e-6; j++)
                t = smp->items[j].t;
        }
        p->op = r->ops[o->station + z];
        p->position = pos;
        p->arrival = p->departure = 0.0 + t;
        p->is_stop = z == 0 || z + 1 == np;
    }
    out->n_points = np;
    out->n_steps = ns;
    if (o->course.start != 0.0) /* line positions to route positions, as the journey does */
        for (size_t j = 0; j < smp->n; j++)
            smp->items[j].s = smp->items[j].s - o->course.start + 0.0;
    out->departure = out->points[0].departure;
    out->arrival = out->points[np - 1].arrival;
    out->running_time = out->arrival - out->departure;
    out->distance = last->s;
    return TUMEN_OK;
}

int tm_sp_runs_segment(tm_sp_runs *r, size_t train, size_t i, size_t far, size_t k,
                       tm_service_run *out, const tumen_sample **samples, size_t *n_samples,
                       int *done, tumen_error *err)
{
    memset(out, 0, sizeof *out);
    *samples = NULL;
    *n_samples = 0;
    *done = 0;
    if (r)
        r->last = NULL;
    if (!r || k <= i || k > far || far >= r->n)
        return TUMEN_OK;
    origin *o = origin_of(r, train, i, far, err);
    if (!o)
        return TUMEN_ENOMEM;
    if (!o->usable)
        return TUMEN_OK;
    size_t z = k - i;
    /* the longer line holds a switch's turnout speed about k: not the shorter one's course */
    if (k < far &&
        tm_route_connection_speed(&r->sc->network, &o->route.steps[z - 1], &o->route.steps[z]) > 0.0)
        return TUMEN_OK;
    tm_samples *smp = &r->samples;
    tumen_sample first = {0.0, o->course.start, 0, 0, 0, 0, 0, 0, 0.0, TUMEN_MODE_STANDSTILL, 0};
    double to = fmin(o->line.points[z].position, o->course.end);
    smp->n = 0;
    size_t shared = 0;
    int rc = tm_vec_push(smp, first)
                 ? TUMEN_ENOMEM
                 : tm_pass_resume(smp, &o->course, &o->memo, to, &shared, err);
    if (rc == TUMEN_OK)
        rc = fill_run(r, o, k, smp, out);
    if (rc == TUMEN_ENOMEM) {
        tm_service_run_free(out);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    if (rc != TUMEN_OK) { /* a stall: the service's run reports it as it does */
        tm_service_run_free(out);
        tm_error_clear(err);
        return TUMEN_OK;
    }
    *samples = smp->items;
    *n_samples = smp->n;
    *done = 1;
    r->last = o;
    r->last_shared = shared;
    return TUMEN_OK;
}

/* The run to far's blocks and stairs under p (computed on first use): 1 there, 0 not
 * (line positions), -1 out of memory. */
static int far_stairs(tm_sp_runs *r, origin *o, const tm_resource_map *map,
                      const tm_blocking_params *p, double length)
{
    if (o->has_stairs && !memcmp(&o->params, p, sizeof *p) && o->length == length)
        return 1;
    free(o->blocks);
    free(o->occ);
    o->blocks = NULL;
    o->occ = NULL;
    o->has_stairs = 0;
    if (o->course.start != 0.0) /* its samples are line positions, not the route's */
        return 0;
    tm_service_run run;
    memset(&run, 0, sizeof run);
    int ok = fill_run(r, o, o->far, &o->memo.samples, &run) == TUMEN_OK &&
             tm_service_blocks(&r->sc->network, map, &run, length, &o->blocks, &o->n_blocks) ==
                 TUMEN_OK &&
             (o->occ = malloc((o->n_blocks + 1) * sizeof *o->occ));
    tm_service_run_free(&run);
    if (!ok)
        return -1;
    tm_blocking_stairs(o->memo.samples.items, o->memo.samples.n, length, o->blocks,
                       o->n_blocks, p, 0, o->occ);
    o->params = *p;
    o->length = length;
    o->has_stairs = 1;
    return 1;
}

static int same_block(const tm_block_section *a, const tm_block_section *b)
{
    return a->start == b->start && a->end == b->end && a->resource == b->resource &&
           a->approach == b->approach && a->direction == b->direction &&
           a->clear_at_end == b->clear_at_end;
}

int tm_sp_runs_stairs(tm_sp_runs *r, const tm_resource_map *map,
                      const tm_block_section *blocks, size_t nb, const tm_blocking_params *p,
                      double length, tm_occupation *out)
{
    const tumen_sample *smp = r->samples.items;
    size_t n = r->samples.n, first = 0;
    origin *o = r->last;
    int has = o ? far_stairs(r, o, map, p, length) : 0;
    if (has < 0)
        return -1;
    if (has) {
        /* A block's stairs read the samples up to where its clearing point is passed and
         * the blocks around it (the signal spacing: those before it, and those starting
         * with it): the same blocks read within the shared samples give the same stairs. */
        double shared_s = smp[r->last_shared].s;
        size_t same = 0;
        while (same < nb && same < o->n_blocks && same_block(&blocks[same], &o->blocks[same]))
            same++;
        while (first + 1 < same) {
            const tm_block_section *b = &blocks[first];
            double x_clear = b->clear_at_end ? b->end : b->end + p->overlap + length;
            if (!(x_clear <= shared_s))
                break;
            out[first] = o->occ[first];
            first++;
        }
    }
    tm_blocking_stairs_from(smp, n, length, blocks, nb, p, 0, out, first);
    return 0;
}
