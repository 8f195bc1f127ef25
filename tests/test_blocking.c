/* test_blocking.c: blocking-time stairs, conflicts, headways and UIC 406 compression, held
 * to hand-computed cases and closed forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "block/blocking.h"
#include "block/capacity.h"
#include "block/resources.h"
#include "plan/occupancy.h"
#include "model/scenario.h"
#include "run/run.h"

#define assert_near(a, b, tol)                                                          \
    do {                                                                              \
        double a_ = (a), b_ = (b);                                                    \
        if (!(fabs(a_ - b_) <= (tol)))                                                \
            fail_msg("%s = %.12g, expected %.12g (tolerance %g)", #a, a_, b_, (double)(tol)); \
    } while (0)

static tumen_sample sample(double t, double s, double v)
{
    tumen_sample x;
    memset(&x, 0, sizeof x);
    x.t = t;
    x.s = s;
    x.v = v;
    return x;
}

/* Constant acceleration from rest: the Hermite interpolation is exact. */
static void test_time_at_is_exact_for_constant_acceleration(void **state)
{
    (void)state;
    double a = 0.4;
    tumen_sample smp[2] = {sample(0, 0, 0), sample(50, 0.5 * a * 2500, a * 50)};
    for (double x = 1.0; x < 500.0; x += 37.0)
        assert_near(tm_trajectory_time_at(smp, 2, x), sqrt(2 * x / a), 1e-9);
}

/* Every component by hand, at constant speed v: start = t(entry - approach) - sight - setup,
 * end = t(exit + overlap + L) + release. */
static void test_stairs_components_by_hand(void **state)
{
    (void)state;
    double v = 20.0, L = 200.0;
    tumen_sample smp[2] = {sample(0, 0, v), sample(500, 500 * v, v)};
    tm_block_section blocks[2] = {{1000, 2000, 7, 0, 0, 0}, {2000, 3500, 8, 0, 0, 0}};
    tm_blocking_params p = {10.0, 5.0, 500.0, 50.0, 3.0, 0.0};
    tm_occupation occ[2];
    tm_blocking_stairs(smp, 2, L, blocks, 2, &p, 42, occ);
    assert_int_equal(occ[0].resource, 7);
    assert_int_equal(occ[0].train, 42);
    assert_near(occ[0].start, (1000 - 500) / v - 5 - 10, 1e-9);
    assert_near(occ[0].end, (2000 + 50 + 200) / v + 3, 1e-9);
    assert_near(occ[1].start, (2000 - 500) / v - 15, 1e-9);
    assert_near(occ[1].end, (3500 + 250) / v + 3, 1e-9);
    /* Without an approach distance the previous block's length is the signal spacing. */
    p.approach = 0.0;
    tm_blocking_stairs(smp, 2, L, blocks, 2, &p, 42, occ);
    assert_near(occ[1].start, (2000 - 1000) / v - 15, 1e-9);
}

/* A train standing between the sighting point and the entry signal needs the block only
 * when it departs. */
static void test_stairs_start_from_departure_after_a_stop(void **state)
{
    (void)state;
    tumen_sample smp[4] = {sample(0, 0, 10), sample(80, 800, 0), sample(200, 800, 0),
                           sample(300, 1800, 10)};
    tm_block_section blocks[1] = {{1000, 2000, 1, 0, 0, 0}};
    tm_blocking_params p = {10.0, 5.0, 500.0, 0.0, 0.0, 0.0};
    tm_occupation occ;
    tm_blocking_stairs(smp, 4, 0.0, blocks, 1, &p, 0, &occ);
    assert_near(occ.start, 200 - 15, 1e-9);
}

/* A train that stops at a station clears the section behind it when it stands there, not
 * when it leaves: that is what lets trains cross at a loop. */
static void test_stop_clears_the_section_behind(void **state)
{
    (void)state;
    tumen_sample smp[4] = {sample(0, 0, 10), sample(100, 1000, 0), sample(400, 1000, 0),
                           sample(500, 2000, 10)};
    tm_block_section blocks[1] = {{0, 1000, 1, 0, 0, 1}};
    tm_blocking_params p = {0.0, 0.0, 100.0, 50.0, 6.0, 0.0};
    tm_occupation occ;
    tm_blocking_stairs(smp, 4, 200.0, blocks, 1, &p, 0, &occ);
    assert_near(occ.end, 100 + 6, 1e-9);
    blocks[0].clear_at_end = 0; /* passing: head must reach 1000 + 50 + 200 */
    tm_blocking_stairs(smp, 4, 200.0, blocks, 1, &p, 0, &occ);
    assert_true(occ.end > 400);
}

/* A train waiting at a station stands at the exit signal, the entry signal of the next
 * block: it needs that block from its departure, not from its approach to the station. */
static void test_standing_at_the_entry_signal(void **state)
{
    (void)state;
    tumen_sample smp[4] = {sample(0, 0, 10), sample(100, 1000, 0), sample(700, 1000, 0),
                           sample(800, 2000, 10)};
    tm_block_section blocks[1] = {{1000, 2000, 1, 0, 0, 0}};
    tm_blocking_params p = {10.0, 5.0, 500.0, 0.0, 0.0, 0.0};
    tm_occupation occ;
    tm_blocking_stairs(smp, 4, 0.0, blocks, 1, &p, 0, &occ);
    assert_near(occ.start, 700 - 15, 1e-9);
}

/* Without an approach distance, the signal spacing in front of a section is the block that
 * ends at its entry: for a single-track section (sorted after the first block of its track,
 * which starts with it) and after a station track (its own approach), not the entry sorted
 * just before. */
static void test_approach_is_the_block_in_front(void **state)
{
    (void)state;
    double v = 20.0;
    tumen_sample smp[2] = {sample(0, 0, v), sample(1000, 1000 * v, v)};
    tm_block_section blocks[5] = {
        {0, 1500, 1, 0, 0, 0},       /* last block of the track before the station */
        {1300, 1500, 9, 200, 0, 0},  /* a station track (train length 200 m) */
        {1500, 2500, 2, 0, 0, 0},    /* first block of the next track */
        {1500, 9500, 3, 0, 1, 0},    /* that track's single-track section */
        {2500, 9500, 4, 0, 0, 0}};
    tm_blocking_params p = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    tm_occupation occ[5];
    tm_blocking_stairs(smp, 2, 0.0, blocks, 5, &p, 0, occ);
    assert_near(occ[0].start, 0.0, 1e-9);                 /* the journey's start */
    assert_near(occ[1].start, (1300 - 200) / v, 1e-9);    /* its own approach */
    assert_near(occ[2].start, (1500 - 1500) / v, 1e-9);   /* block 1 in front */
    assert_near(occ[3].start, (1500 - 1500) / v, 1e-9);   /* as its first block */
    assert_near(occ[4].start, (2500 - 1000) / v, 1e-9);   /* block 2 in front */
}

/* A train waiting in a station at the exit signal, which is the next block's entry signal
 * (a loop at a single-track line's end), needs that block only from its departure: the
 * same blocking time whether the run starts there or arrives there and waits. */
static void test_wait_at_the_entry_signal(void **state)
{
    (void)state;
    tumen_sample through[4] = {sample(0, 0, 10), sample(100, 1000, 0), sample(400, 1000, 0),
                               sample(500, 2000, 10)};
    tumen_sample from_stop[2] = {sample(400, 1000, 0), sample(500, 2000, 10)};
    tm_block_section blocks[2] = {{0, 1000, 1, 0, 0, 1}, {1000, 2000, 2, 0, 0, 0}};
    tm_blocking_params p = {12.0, 12.0, 0.0, 100.0, 6.0, 0.0};
    tm_occupation occ[2], alone;
    tm_blocking_stairs(through, 4, 200.0, blocks, 2, &p, 0, occ);
    assert_near(occ[1].start, 400 - 24, 1e-9);
    tm_blocking_stairs(from_stop, 2, 200.0, blocks + 1, 1, &p, 0, &alone);
    assert_near(alone.start, occ[1].start, 1e-9);
    assert_near(alone.end, occ[1].end, 1e-9);
    assert_near(tm_trajectory_last_stand(through, 4, 500.0, 1000.0), 400, 0);
    assert_true(isinf(tm_trajectory_last_stand(through, 4, 500.0, 999.0)));
}

/* A convoy (pilot, special, escort in one group) is not separated by the block rule among
 * itself; a train of another group conflicts with each of its trains it overlaps. */
static void test_convoy_group(void **state)
{
    (void)state;
    tm_occupation occ[] = {{4, 0, 0, 200, 0}, {4, 1, 60, 260, 0}, {4, 2, 120, 320, 0},
                           {4, 3, 300, 400, 0}, {6, 0, 0, 50, +1}, {6, 3, 40, 90, -1}};
    size_t group[4] = {0, 0, 0, 3};
    tm_conflict *c = NULL;
    size_t n = 0;
    assert_int_equal(tm_conflicts_find(occ, 6, NULL, NULL, &c, &n), TUMEN_OK);
    assert_int_equal(n, 5); /* 0-1, 0-2, 1-2, 2-3 on 4; 0-3 on 6 */
    free(c);
    assert_int_equal(tm_conflicts_find(occ, 6, NULL, group, &c, &n), TUMEN_OK);
    assert_int_equal(n, 2);
    assert_int_equal(c[0].resource, 4);
    assert_int_equal(c[0].train_a, 2);
    assert_int_equal(c[0].train_b, 3);
    assert_near(c[0].start, 300, 0);
    assert_near(c[0].end, 320, 0);
    assert_int_equal(c[1].resource, 6);
    assert_int_equal(c[1].train_a, 0);
    assert_int_equal(c[1].train_b, 3);
    free(c);
    /* A station of two tracks: the convoy's three do not fill it against each other, but a
     * fourth train finds it full. */
    tm_occupation st[] = {{0, 0, 0, 300, 0}, {0, 1, 10, 300, 0}, {0, 2, 20, 300, 0},
                          {0, 3, 100, 150, 0}};
    int capacity[1] = {2};
    assert_int_equal(tm_conflicts_find(st, 4, capacity, group, &c, &n), TUMEN_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].train_b, 3);
    free(c);
    /* Groups from a timetable's convoy ids: the lowest index of each convoy. */
    tm_service sv[5];
    memset(sv, 0, sizeof sv);
    strcpy(sv[1].convoy, "kim");
    strcpy(sv[2].convoy, "other");
    strcpy(sv[3].convoy, "kim");
    strcpy(sv[4].convoy, "kim");
    tm_timetable tt;
    memset(&tt, 0, sizeof tt);
    tt.services = sv;
    tt.n_services = 5;
    size_t *g = NULL;
    assert_int_equal(tm_timetable_convoy_groups(&tt, &g), TUMEN_OK);
    size_t want[5] = {0, 1, 2, 1, 1};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(g[i], want[i]);
    free(g);
}

static void test_planted_conflict_is_found_exactly(void **state)
{
    (void)state;
    tm_occupation occ[] = {
        {1, 0, 0, 100, 0},   {2, 0, 50, 200, 0},  /* train 0 */
        {1, 1, 120, 220, 0}, {2, 1, 190, 300, 0}, /* train 1: overlaps train 0 on 2 by 10 s */
        {1, 2, 300, 400, 0}, {3, 2, 0, 1000, 0},  /* train 2: alone on 3 */
    };
    tm_conflict *c = NULL;
    size_t n = 0;
    assert_int_equal(tm_conflicts_find(occ, 6, NULL, NULL, &c, &n), TUMEN_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].resource, 2);
    assert_int_equal(c[0].train_a, 0);
    assert_int_equal(c[0].train_b, 1);
    assert_near(c[0].start, 190, 0);
    assert_near(c[0].end, 200, 0);
    free(c);
}

static void test_conflict_free_reports_none(void **state)
{
    (void)state;
    tm_occupation occ[200];
    for (size_t i = 0; i < 200; i++) /* 100 trains, each 100 s apart, 90 s on each block */
        occ[i] = (tm_occupation){i % 2, i / 2, 100.0 * (double)(i / 2) + 20.0 * (i % 2),
                                 100.0 * (double)(i / 2) + 20.0 * (i % 2) + 90.0, 0};
    tm_conflict *c = NULL;
    size_t n = 0;
    assert_int_equal(tm_conflicts_find(occ, 200, NULL, NULL, &c, &n), TUMEN_OK);
    assert_int_equal(n, 0);
    free(c);
}

/* Every pair that overlaps is reported, not only neighbours. */
static void test_conflicts_report_every_pair(void **state)
{
    (void)state;
    tm_occupation occ[] = {{5, 0, 0, 100, 0}, {5, 1, 10, 20, 0}, {5, 2, 15, 30, 0}};
    tm_conflict *c = NULL;
    size_t n = 0;
    assert_int_equal(tm_conflicts_find(occ, 3, NULL, NULL, &c, &n), TUMEN_OK);
    assert_int_equal(n, 3);
    free(c);
}

/* A single-track section: trains of one direction may follow each other in it, opposing
 * trains may not meet in it. */
static void test_single_track_direction(void **state)
{
    (void)state;
    tm_occupation occ[] = {{9, 0, 0, 100, +1}, {9, 1, 50, 150, +1}, {9, 2, 120, 200, -1}};
    tm_conflict *c = NULL;
    size_t n = 0;
    assert_int_equal(tm_conflicts_find(occ, 3, NULL, NULL, &c, &n), TUMEN_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].train_a, 1);
    assert_int_equal(c[0].train_b, 2);
    assert_near(c[0].end - c[0].start, 30, 0);
    free(c);
}

/* A station with two tracks holds two trains; the third conflicts with the one leaving
 * first. */
static void test_station_capacity(void **state)
{
    (void)state;
    tm_occupation occ[] = {{0, 0, 0, 300, 0}, {0, 1, 100, 200, 0}, {0, 2, 150, 400, 0},
                           {0, 3, 250, 260, 0}};
    int capacity[1] = {2};
    tm_conflict *c = NULL;
    size_t n = 0;
    assert_int_equal(tm_conflicts_find(occ, 4, capacity, NULL, &c, &n), TUMEN_OK);
    assert_int_equal(n, 2);
    /* train 2 arrives at 150 with trains 0 and 1 there: conflicts with 1 (leaves at 200) */
    assert_int_equal(c[0].train_a, 1);
    assert_int_equal(c[0].train_b, 2);
    assert_near(c[0].start, 150, 0);
    assert_near(c[0].end, 200, 0);
    /* train 3 arrives at 250 with 0 and 2 there: conflicts with 3's neighbour leaving first (0) */
    assert_int_equal(c[1].train_a, 0);
    assert_int_equal(c[1].train_b, 3);
    free(c);
}

/* Two identical trains cruising at v through equal blocks of length B: each blocking time
 * lasts D = setup + sight + (approach + B + overlap + L) / v + release, and the minimum
 * headway is exactly D. */
static void test_headway_closed_form(void **state)
{
    (void)state;
    static tm_vehicle veh;
    static tm_consist_entry entry = {0, 1};
    static tm_train tr;
    static tm_section sec[1];
    static tm_point pts[2];
    static tm_line line;
    memset(&veh, 0, sizeof veh);
    veh.mass = 400e3;
    veh.length = 300.0;
    veh.rotating_mass_factor = 1.0;
    veh.has_traction = 1;
    veh.max_force = 300e3;
    veh.brake_deceleration = 0.5;
    memset(&tr, 0, sizeof tr);
    strcpy(tr.id, "t");
    tr.consist = &entry;
    tr.n_consist = 1;
    tumen_error err = {0};
    assert_int_equal(tm_train_derive(&tr, &veh, 1, "x", &err), TUMEN_OK);
    double v = 100 / 3.6, D_line = 30000.0, B = 1500.0;
    sec[0] = (tm_section){0, D_line, v, 0, 0, 0};
    pts[0] = (tm_point){"a", 0, 1, 0, 0};
    pts[1] = (tm_point){"b", D_line, 1, 0, 0};
    memset(&line, 0, sizeof line);
    line.sections = sec;
    line.n_sections = 1;
    line.points = pts;
    line.n_points = 2;
    line.curve_law = TM_CURVE_NONE;
    tm_run_leg leg = {&tr, &line, NULL, 0};
    tumen_result *r = NULL;
    assert_int_equal(tm_run_journey(&leg, 1, NULL, -1, &r, &err), TUMEN_OK);
    /* Blocks from 6 km to 24 km: the train cruises at v there (it reaches v by 0.6 km and
     * brakes from 29.4 km). */
    tm_block_section blocks[12];
    for (size_t k = 0; k < 12; k++)
        blocks[k] = (tm_block_section){6000 + B * (double)k, 6000 + B * (double)(k + 1), k, 0, 0, 0};
    tm_blocking_params p;
    tm_blocking_params_default(&p);
    p.approach = 1000.0;
    tm_occupation first[12], second[12];
    tm_blocking_stairs(r->samples, r->n_samples, tr.length, blocks, 12, &p, 0, first);
    tm_blocking_stairs(r->samples, r->n_samples, tr.length, blocks, 12, &p, 1, second);
    size_t deciding = 0;
    double h = tm_minimum_headway(first, 12, second, 12, &deciding);
    double D = p.setup + p.sight_reaction + (p.approach + B + p.overlap + tr.length) / v + p.release;
    assert_near(h, D, 1e-6);
    assert_true(deciding < 12);
    for (size_t k = 0; k < 12; k++)
        assert_near(first[k].end - first[k].start, D, 1e-6);
    tumen_result_destroy(r);
    tm_train_release_derived(&tr);
}

/* Three trains over two blocks, compressed by hand:
 *   A: block 0 [0, 100], block 1 [60, 160]
 *   B: block 0 [300, 350], block 1 [320, 420]  -> behind A: max(100-300, 160-320) = -160
 *      compressed: [140, 190], [160, 260]
 *   C: block 1 only [1000, 1100]              -> behind B: 260 - 1000 = -740
 *      compressed: [260, 360]
 * Occupation time: 0 .. 360 = 360 s. */
static void test_uic406_compression_by_hand(void **state)
{
    (void)state;
    tm_occupation a[] = {{0, 0, 0, 100, 0}, {1, 0, 60, 160, 0}};
    tm_occupation b[] = {{0, 1, 300, 350, 0}, {1, 1, 320, 420, 0}};
    tm_occupation c[] = {{1, 2, 1000, 1100, 0}};
    tm_stairs trains[] = {{a, 2}, {b, 2}, {c, 1}};
    double shifts[3];
    double t = tm_capacity_compress(trains, 3, shifts);
    assert_near(shifts[0], 0, 0);
    assert_near(shifts[1], -160, 1e-12);
    assert_near(shifts[2], -740, 1e-12);
    assert_near(t, 360, 1e-12);
    double peak, daily;
    tm_capacity_limits(TM_LINE_MIXED, &peak, &daily);
    assert_near(peak, 0.75, 0);
    assert_near(daily, 0.60, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_at_is_exact_for_constant_acceleration),
        cmocka_unit_test(test_stairs_components_by_hand),
        cmocka_unit_test(test_stairs_start_from_departure_after_a_stop),
        cmocka_unit_test(test_stop_clears_the_section_behind),
        cmocka_unit_test(test_wait_at_the_entry_signal),
        cmocka_unit_test(test_convoy_group),
        cmocka_unit_test(test_standing_at_the_entry_signal),
        cmocka_unit_test(test_approach_is_the_block_in_front),
        cmocka_unit_test(test_planted_conflict_is_found_exactly),
        cmocka_unit_test(test_conflict_free_reports_none),
        cmocka_unit_test(test_conflicts_report_every_pair),
        cmocka_unit_test(test_single_track_direction),
        cmocka_unit_test(test_station_capacity),
        cmocka_unit_test(test_headway_closed_form),
        cmocka_unit_test(test_uic406_compression_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
