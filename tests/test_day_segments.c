/* test_day_segments.c: the day's runs from shared stop-to-stop segments against whole runs
 * (issue 11).
 *
 * tm_timetable_occupations runs each pattern from the day's shared segments
 * (plan/day_segments.h); with whole_runs it runs each pattern whole, as before. A service's
 * times are by definition the sum of its segments, so the two differ in the last bits of
 * their sums only: on a generated day every blocking time must agree within a millisecond
 * (the same resources, trains and directions in the same order) and the conflicts must be
 * the same pairs on the same resources with times within a millisecond. The segments' result
 * must also be the same bytes on one thread and on two, and the sweep on three threads must
 * give the conflicts of the sweep on one, in the same order.
 */
#include <math.h>
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
#include "model/scenario.h"
#include "plan/occupancy.h"
#include "support.h"
#include "plan/timetable.h"
#include "tumen.h"

static void occupations(const tm_scenario *sc, const tm_resource_map *map, int whole,
                        int threads, tm_occupation **occ, size_t *n)
{
    tm_blocking_params p;
    tm_blocking_params_default(&p);
    tm_timetable_options opt;
    tm_timetable_options_init(&opt);
    opt.threads = threads;
    opt.whole_runs = whole;
    tumen_error err = {0};
    assert_int_equal(tm_timetable_occupations_with(sc, map, &p, &opt, occ, n, NULL, &err),
                     TUMEN_OK);
}

static int by_pair(const void *pa, const void *pb)
{
    const tm_conflict *a = pa, *b = pb;
    if (a->resource != b->resource)
        return a->resource < b->resource ? -1 : 1;
    size_t a1 = a->train_a < a->train_b ? a->train_a : a->train_b;
    size_t a2 = a->train_a < a->train_b ? a->train_b : a->train_a;
    size_t b1 = b->train_a < b->train_b ? b->train_a : b->train_b;
    size_t b2 = b->train_a < b->train_b ? b->train_b : b->train_a;
    if (a1 != b1)
        return a1 < b1 ? -1 : 1;
    if (a2 != b2)
        return a2 < b2 ? -1 : 1;
    return (a->start > b->start) - (a->start < b->start);
}

static void conflicts(const tm_resource_map *map, const tm_occupation *occ, size_t n,
                      tm_conflict **c, size_t *n_c)
{
    tm_occupation *copy = malloc((n ? n : 1) * sizeof *copy);
    assert_non_null(copy);
    memcpy(copy, occ, n * sizeof *copy);
    assert_int_equal(tm_conflicts_find(copy, n, map->capacity, NULL, c, n_c), TUMEN_OK);
    free(copy);
    if (*n_c > 1)
        qsort(*c, *n_c, sizeof **c, by_pair);
}

/* The sweep on several threads: the same conflicts in the same order, occ sorted alike. */
static void sweep_threads(const tm_resource_map *map, const tm_occupation *occ, size_t n)
{
    tm_occupation *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    assert_true(a && b);
    memcpy(a, occ, n * sizeof *a);
    memcpy(b, occ, n * sizeof *b);
    tm_conflict *ca = NULL, *cb = NULL;
    size_t n_a = 0, n_b = 0;
    assert_int_equal(tm_conflicts_find(a, n, map->capacity, NULL, &ca, &n_a), TUMEN_OK);
    assert_int_equal(tm_conflicts_find_threads(b, n, map->capacity, NULL, 3, &cb, &n_b),
                     TUMEN_OK);
    assert_int_equal(n_a, n_b);
    for (size_t i = 0; i < n_a; i++) {
        assert_int_equal(ca[i].resource, cb[i].resource);
        assert_int_equal(ca[i].train_a, cb[i].train_a);
        assert_int_equal(ca[i].train_b, cb[i].train_b);
        assert_true(ca[i].start == cb[i].start && ca[i].end == cb[i].end);
    }
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(a[i].resource, b[i].resource);
        assert_int_equal(a[i].train, b[i].train);
        assert_true(a[i].start == b[i].start && a[i].end == b[i].end);
    }
    free(ca);
    free(cb);
    free(a);
    free(b);
}

static void test_segments_match_whole_runs(void **state)
{
    (void)state;
    char dir[] = "/tmp/tumen_test_segments_XXXXXX";
    tm_scenario *sc = tm_test_day(600.0, 1200, dir);
    tm_resource_map map;
    assert_int_equal(tm_resource_map_build(&sc->network, &map), TUMEN_OK);
    tm_occupation *whole = NULL, *seg = NULL, *seg2 = NULL, *seg7 = NULL;
    size_t n_whole = 0, n_seg = 0, n_seg2 = 0, n_seg7 = 0;
    occupations(sc, &map, 1, 1, &whole, &n_whole);
    occupations(sc, &map, 0, 1, &seg, &n_seg);
    occupations(sc, &map, 0, 2, &seg2, &n_seg2);
    /* 7 threads place the 1,200 services in 28 parts of 43: the last part is shorter */
    occupations(sc, &map, 0, 7, &seg7, &n_seg7);
    assert_true(n_whole > 10000);
    assert_int_equal(n_seg, n_whole);
    assert_int_equal(n_seg2, n_seg);
    assert_int_equal(n_seg7, n_seg);
    for (size_t i = 0; i < n_seg; i++) { /* field by field: the structs have padding */
        assert_int_equal(seg[i].resource, seg2[i].resource);
        assert_int_equal(seg[i].train, seg2[i].train);
        assert_true(seg[i].start == seg2[i].start && seg[i].end == seg2[i].end);
        assert_int_equal(seg[i].resource, seg7[i].resource);
        assert_int_equal(seg[i].train, seg7[i].train);
        assert_int_equal(seg[i].direction, seg7[i].direction);
        assert_true(seg[i].start == seg7[i].start && seg[i].end == seg7[i].end);
    }
    free(seg7);
    double worst = 0.0;
    for (size_t i = 0; i < n_seg; i++) {
        assert_int_equal(seg[i].resource, whole[i].resource);
        assert_int_equal(seg[i].train, whole[i].train);
        assert_int_equal(seg[i].direction, whole[i].direction);
        worst = fmax(worst, fabs(seg[i].start - whole[i].start));
        worst = fmax(worst, fabs(seg[i].end - whole[i].end));
    }
    printf("blocking times: %zu, largest difference %.3g s\n", n_seg, worst);
    assert_true(worst < 1e-3);
    tm_conflict *cw = NULL, *cs = NULL;
    size_t n_cw = 0, n_cs = 0;
    conflicts(&map, whole, n_whole, &cw, &n_cw);
    conflicts(&map, seg, n_seg, &cs, &n_cs);
    printf("conflicts: %zu whole, %zu from segments\n", n_cw, n_cs);
    assert_true(n_cw > 0);
    assert_int_equal(n_cs, n_cw);
    worst = 0.0;
    for (size_t i = 0; i < n_cs; i++) {
        assert_int_equal(by_pair(&(tm_conflict){cs[i].resource, cs[i].train_a, cs[i].train_b,
                                                0.0, 0.0},
                                 &(tm_conflict){cw[i].resource, cw[i].train_a, cw[i].train_b,
                                                0.0, 0.0}),
                         0);
        worst = fmax(worst, fabs(cs[i].start - cw[i].start));
        worst = fmax(worst, fabs(cs[i].end - cw[i].end));
    }
    printf("conflict times: largest difference %.3g s\n", worst);
    assert_true(worst < 1e-3);
    sweep_threads(&map, seg, n_seg);
    free(cw);
    free(cs);
    free(whole);
    free(seg);
    free(seg2);
    tm_resource_map_free(&map);
    tm_scenario_free(sc);
}

/* tm_timetable_run: every service's times at every point, its energy and (kept) trajectory
 * from the segments against whole runs. */
static void test_timetable_run_matches_whole_runs(void **state)
{
    (void)state;
    char dir[] = "/tmp/tumen_test_segments_XXXXXX";
    tm_scenario *sc = tm_test_day(300.0, 400, dir);
    tm_timetable_result r[2];
    for (int whole = 0; whole < 2; whole++) {
        tm_timetable_options opt;
        tm_timetable_options_init(&opt);
        opt.whole_runs = whole;
        opt.keep_samples = 1;
        tumen_error err = {0};
        assert_int_equal(tm_timetable_run(sc, NULL, &opt, &r[whole], &err), TUMEN_OK);
    }
    assert_int_equal(r[0].n_runs, r[1].n_runs);
    double worst = 0.0, worst_energy = 0.0;
    for (size_t i = 0; i < r[0].n_runs; i++) {
        const tm_service_run *a = &r[0].runs[i], *b = &r[1].runs[i];
        assert_int_equal(a->n_points, b->n_points);
        for (size_t k = 0; k < a->n_points; k++) {
            assert_int_equal(a->points[k].op, b->points[k].op);
            assert_int_equal(a->points[k].is_stop, b->points[k].is_stop);
            worst = fmax(worst, fabs(a->points[k].arrival - b->points[k].arrival));
            worst = fmax(worst, fabs(a->points[k].departure - b->points[k].departure));
        }
        worst_energy = fmax(worst_energy, fabs(a->energy - b->energy) / fmax(1.0, b->energy));
        assert_true(a->max_speed == b->max_speed);
        assert_int_equal(a->n_samples, b->n_samples);
        for (size_t k = 0; k < a->n_samples; k++) {
            assert_true(fabs(a->samples[k].t - b->samples[k].t) < 1e-3);
            assert_true(fabs(a->samples[k].s - b->samples[k].s) < 1e-3);
            assert_int_equal(a->samples[k].mode, b->samples[k].mode);
        }
    }
    printf("timetable run: largest difference %.3g s, energy %.3g relative\n", worst,
           worst_energy);
    assert_true(worst < 1e-3);
    assert_true(worst_energy < 1e-9);
    tm_timetable_result_free(&r[0]);
    tm_timetable_result_free(&r[1]);
    tm_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segments_match_whole_runs),
        cmocka_unit_test(test_timetable_run_matches_whole_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
