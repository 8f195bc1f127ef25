/* test_special_runs.c: a special request's segment runs from one course and one run per
 * station left (plan/special_runs.c, run/pass.c tm_pass_resume) are the very runs a service
 * over the segment's points gives (tm_timetable_run_service): the same samples, points and
 * steps, compared bit for bit, for every segment of the routes of requests on a generated
 * day (gen/special_gen.h, the bench's seed), with the runs from each station going to the
 * destination and to a nearer stop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "block/blocking.h"
#include "block/resources.h"
#include "formats/readers.h"
#include "gen/gen.h"
#include "gen/rng.h"
#include "gen/special_gen.h"
#include "model/scenario.h"
#include "plan/route.h"
#include "plan/special_runs.h"
#include "plan/timetable.h"
#include "support.h"
#include "tumen.h"

/* The segment's run as the planner ran it before: a service of its own. */
static void service_run(const tm_scenario *sc, size_t train, size_t *ops, size_t i,
                        size_t k, tm_service_run *run)
{
    tm_service svc;
    memset(&svc, 0, sizeof svc);
    snprintf(svc.id, sizeof svc.id, "special/%zu-%zu", i, k);
    svc.train = train;
    svc.category = TM_CATEGORY_SPECIAL;
    svc.waypoints = ops + i;
    svc.n_waypoints = k - i + 1;
    tm_timetable_options o;
    tm_timetable_options_init(&o);
    o.keep_samples = 1;
    tumen_error err = {0};
    assert_int_equal(tm_timetable_run_service(sc, &svc, &o, run, &err), TUMEN_OK);
}

static void same_run(const tm_service_run *a, const tm_service_run *b)
{
    assert_int_equal(a->n_samples, b->n_samples);
    assert_memory_equal(a->samples, b->samples, a->n_samples * sizeof *a->samples);
    assert_int_equal(a->n_points, b->n_points);
    for (size_t z = 0; z < a->n_points; z++) {
        assert_int_equal(a->points[z].op, b->points[z].op);
        assert_true(a->points[z].position == b->points[z].position);
        assert_true(a->points[z].arrival == b->points[z].arrival);
        assert_true(a->points[z].departure == b->points[z].departure);
        assert_int_equal(a->points[z].is_stop, b->points[z].is_stop);
        assert_int_equal(a->points[z].leg, b->points[z].leg);
    }
    assert_int_equal(a->n_steps, b->n_steps);
    for (size_t z = 0; z < a->n_steps; z++) {
        assert_int_equal(a->steps[z].track, b->steps[z].track);
        assert_int_equal(a->steps[z].forward, b->steps[z].forward);
        assert_int_equal(a->steps[z].train, b->steps[z].train);
        assert_true(a->step_start[z] == b->step_start[z]);
    }
    assert_true(a->departure == b->departure);
    assert_true(a->arrival == b->arrival);
}

/* The stairs of the last segment from the shared runs (some taken from the run to far's)
 * are the stairs of the service's run, with the blocking parameters' defaults and with a
 * longer approach and overlap (a pilot's and an escort's distance margin). */
static void same_stairs(const tm_scenario *sc, const tm_resource_map *map, tm_sp_runs *runs,
                        const tm_service_run *b, size_t train)
{
    double L = sc->trains[train].length;
    tm_block_section *blocks = NULL;
    size_t nb = 0;
    assert_int_equal(tm_service_blocks(&sc->network, map, b, L, &blocks, &nb), TUMEN_OK);
    tm_occupation *x = calloc(nb + 1, sizeof *x), *y = calloc(nb + 1, sizeof *y);
    assert_true(x && y);
    for (int v = 0; v < 2; v++) {
        tm_blocking_params p;
        tm_blocking_params_default(&p);
        p.overlap += v ? 150.0 : 0.0;
        p.approach_extra += v ? 400.0 : 0.0;
        assert_int_equal(tm_sp_runs_stairs(runs, map, blocks, nb, &p, L, x), 0);
        tm_blocking_stairs(b->samples, b->n_samples, L, blocks, nb, &p, 0, y);
        for (size_t q = 0; q < nb; q++) {
            assert_int_equal(x[q].resource, y[q].resource);
            assert_true(x[q].start == y[q].start);
            assert_true(x[q].end == y[q].end);
            assert_int_equal(x[q].direction, y[q].direction);
        }
    }
    free(x);
    free(y);
    free(blocks);
}

/* Every segment i -> k (k <= far(i)) of one request's route; returns how many came from the
 * shared runs (the others the caller's way, as the planner falls back). */
static size_t check_route(const tm_scenario *sc, const tm_resource_map *map, size_t train,
                          size_t *ops, size_t n, size_t reach, size_t *total)
{
    tm_sp_runs *runs = tm_sp_runs_new(sc, ops, n);
    assert_non_null(runs);
    size_t shared = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        size_t far = reach && i + reach < n - 1 ? i + reach : n - 1;
        for (size_t k = i + 1; k <= far; k++) {
            tm_service_run a, b;
            const tumen_sample *smp = NULL;
            size_t n_smp = 0;
            int done = 0;
            tumen_error err = {0};
            assert_int_equal(
                tm_sp_runs_segment(runs, train, i, far, k, &a, &smp, &n_smp, &done, &err),
                TUMEN_OK);
            assert_null(a.samples);
            a.samples = (tumen_sample *)smp; /* compared, then handed back before the free */
            a.n_samples = n_smp;
            (*total)++;
            if (!done)
                continue;
            shared++;
            service_run(sc, train, ops, i, k, &b);
            same_run(&a, &b);
            same_stairs(sc, map, runs, &b, train);
            a.samples = NULL;
            tm_service_run_free(&a);
            tm_service_run_free(&b);
        }
    }
    tm_sp_runs_free(runs);
    return shared;
}

static void test_generated_routes(void **state)
{
    (void)state;
    char dir[] = "/tmp/tumen_test_runs_XXXXXX";
    tm_scenario *sc = tm_test_day(600.0, 100, dir);
    tm_resource_map map;
    assert_int_equal(tm_resource_map_build(&sc->network, &map), TUMEN_OK);
    tm_rng rng;
    tm_rng_seed(&rng, 5);
    size_t shared = 0, total = 0, routes = 0;
    for (int r = 0; r < 12; r++) {
        tm_special_spec sp;
        tm_gen_special_request(sc, &rng, &sp);
        size_t train = tm_scenario_find_train(sc, sp.special.train);
        size_t wps[2] = {tm_network_find_op(&sc->network, sp.from),
                         tm_network_find_op(&sc->network, sp.to)};
        assert_true(train != (size_t)-1 && wps[0] != (size_t)-1 && wps[1] != (size_t)-1);
        tm_route_request req = {train, NULL, 0, wps, 2, NULL, 0};
        tm_route route;
        tumen_error err = {0};
        if (tm_route_find(sc, &req, &route, &err) != TUMEN_OK) {
            tm_route_free(&route);
            continue;
        }
        size_t n = route.n_steps + 1;
        size_t *ops = malloc(n * sizeof *ops);
        assert_non_null(ops);
        ops[0] = route.origin;
        for (size_t z = 0; z < route.n_steps; z++) {
            const tm_track *t = &sc->network.tracks[route.steps[z].track];
            ops[z + 1] = route.steps[z].forward ? t->to : t->from;
        }
        tm_route_free(&route);
        /* to the destination, and to a stop 7 stations on (the runs kept for a few
         * stations at a time, as the search asks for them) */
        shared += check_route(sc, &map, train, ops, n, 0, &total);
        shared += check_route(sc, &map, train, ops, n, 7, &total);
        routes++;
        free(ops);
    }
    printf("%zu routes, %zu segments, %zu from the shared runs\n", routes, total, shared);
    assert_true(routes >= 8);
    assert_true(shared * 10 >= total * 9); /* the comparison is not vacuous */
    tm_resource_map_free(&map);
    tm_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
