/* test_sim.c: the Monte-Carlo simulation held to closed forms: the planned day without
 * primary delays, one late train recovering its allowance, a follower's knock-on delay from
 * the minimum headway, the distributions' moments and quantiles, and the same bytes on any
 * number of threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "formats/readers.h"
#include "formats/sim_write.h"
#include "block/blocking.h"
#include "model/scenario.h"
#include "plan/occupancy.h"
#include "plan/timetable.h"
#include "sim/delays.h"
#include "sim/random.h"
#include "sim/sim.h"

#define assert_near(a, b, tol)                                                          \
    do {                                                                              \
        double a_ = (a), b_ = (b);                                                    \
        if (!(fabs(a_ - b_) <= (tol)))                                                \
            fail_msg("%s = %.12g, expected %.12g (tolerance %g)", #a, a_, b_, (double)(tol)); \
    } while (0)

/* A double-track line A - M - B, 10 km each, a block signal every 2 km each way; stations
 * with two loops. The passenger train of the timetable fixture. */
#define LINE_YAML                                                                          \
    "vehicles:\n"                                                                          \
    "  - {id: dl, kind: locomotive, power: diesel, mass: 120 t, length: 20 m, axles: 6,\n"  \
    "     max_speed: 100 km/h, traction: {max_force: 300 kN, max_power: 2000 kW},\n"       \
    "     resistance: {law: davis, a: 2 kN, b: 20 N/(km/h), c: 0.4 N/(km/h)^2},\n"         \
    "     brake: {deceleration: 0.5 m/s2}}\n"                                              \
    "  - {id: coach, kind: coach, mass: 50 t, length: 25 m, axles: 4,\n"                   \
    "     resistance: {law: davis, a: 1 kN, b: 5 N/(km/h), c: 0.1 N/(km/h)^2},\n"          \
    "     brake: {deceleration: 0.5 m/s2}}\n"                                              \
    "trains:\n"                                                                            \
    "  - {id: pax, consist: \"dl + 5 x coach\"}\n"                                         \
    "network:\n"                                                                           \
    "  operational_points:\n"                                                              \
    "    - {id: A, loops: [900 m, 900 m]}\n"                                               \
    "    - {id: M, loops: [900 m, 900 m]}\n"                                               \
    "    - {id: B, loops: [900 m, 900 m]}\n"                                               \
    "  tracks:\n"                                                                          \
    "    - {id: A-M, from: A, to: M, length: 10 km, main_tracks: 2, speed_limit: 90 km/h,\n" \
    "       signals: [{at: 2 km}, {at: 4 km}, {at: 6 km}, {at: 8 km}]}\n"                 \
    "    - {id: M-B, from: M, to: B, length: 10 km, main_tracks: 2, speed_limit: 90 km/h,\n" \
    "       signals: [{at: 2 km}, {at: 4 km}, {at: 6 km}, {at: 8 km}]}\n"

static tm_scenario *load_text(const char *text)
{
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    if (tm_scenario_load_text(&sc, "test.yaml", text, strlen(text), &err) != TUMEN_OK)
        fail_msg("load: %s (line %d, %s)", err.message, err.line, err.field);
    return sc;
}

static tm_scenario *load_flagship(void)
{
    const char *files[3] = {TUMEN_SOURCE_DIR "/examples/flagship/network.yaml",
                            TUMEN_SOURCE_DIR "/examples/flagship/train.yaml",
                            TUMEN_SOURCE_DIR "/examples/flagship/timetable.yaml"};
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    if (tm_scenario_load(&sc, files, 3, &err) != TUMEN_OK)
        fail_msg("load: %s", err.message);
    return sc;
}

static tm_sim_plan *plan_of(const tm_scenario *sc, const tm_delay_spec *d)
{
    tm_sim_plan *plan = NULL;
    tumen_error err = {0};
    if (tm_sim_plan_build(sc, d, 1, &plan, &err) != TUMEN_OK)
        fail_msg("plan: %s", err.message);
    return plan;
}

/* Only an entry delay of exactly d s for every train (an empirical distribution of one
 * value), or for the service `only`. */
static void entry_only(tm_delay_spec *spec, double d, const char *only)
{
    memset(spec, 0, sizeof *spec);
    static double value[1];
    value[0] = d;
    for (int c = 0; c < TM_N_CATEGORIES; c++) {
        tm_delay_set *s = &spec->category[c];
        s->has_entry = s->has_dwell = s->has_running = 1;
        if (!only)
            s->entry = (tm_dist){TM_DIST_EMPIRICAL, 0.0, 0, 0, value, 1};
    }
    if (only) {
        static tm_delay_override o;
        memset(&o, 0, sizeof o);
        snprintf(o.id, sizeof o.id, "%s", only);
        o.set.has_entry = 1;
        o.set.entry = (tm_dist){TM_DIST_EMPIRICAL, 0.0, 0, 0, value, 1};
        spec->trains = &o;
        spec->n_trains = 1;
    }
}

/* Without primary delays every train runs exactly as planned. */
static void test_zero_delay_is_the_planned_day(void **state)
{
    (void)state;
    tm_scenario *sc = load_flagship();
    tm_sim_plan *plan = plan_of(sc, NULL);
    tm_sim_state *st = tm_sim_state_new(plan);
    tm_sim_config cfg = {1, TM_DISPATCH_FCFS, 1};
    for (int rule = 0; rule < 3; rule++) {
        cfg.dispatch = (tm_dispatch)rule;
        assert_int_equal(tm_sim_replicate(plan, &cfg, 3, st), TUMEN_OK);
        tm_timetable_result runs = {0};
        tumen_error err = {0};
        assert_int_equal(tm_timetable_run(sc, NULL, NULL, &runs, &err), TUMEN_OK);
        for (size_t i = 0; i < tm_sim_plan_services(plan); i++) {
            assert_int_equal(tm_sim_plan_points(plan, i), runs.runs[i].n_points);
            for (size_t j = 0; j < runs.runs[i].n_points; j++) {
                assert_true(tm_sim_delay_at(st, i, j) == 0.0);
                assert_true(tm_sim_departure_at(st, i, j) == runs.runs[i].points[j].departure);
            }
            assert_true(tm_sim_knock_on(st, i) == 0.0);
        }
        tm_timetable_result_free(&runs);
    }
    tm_sim_state_free(st);
    tm_sim_plan_free(plan);
    tm_scenario_free(sc);
}

/* One train alone, d s late at its origin, with a 10 % allowance: it arrives
 * max(0, d - (planned - fastest running time)) late. */
static void test_one_late_train_recovers_its_allowance(void **state)
{
    (void)state;
    const char *text = LINE_YAML "timetable:\n  services:\n"
                                 "    - {id: S1, train: pax, departure: \"06:00\", route: [A, M, B],\n"
                                 "       allowance: 10%}\n";
    tm_scenario *sc = load_text(text);
    tm_timetable_options opt;
    tm_timetable_options_init(&opt);
    opt.run.fastest = 1;
    tm_timetable_result planned = {0}, fast = {0};
    tumen_error err = {0};
    assert_int_equal(tm_timetable_run(sc, NULL, NULL, &planned, &err), TUMEN_OK);
    assert_int_equal(tm_timetable_run(sc, NULL, &opt, &fast, &err), TUMEN_OK);
    double allowance = planned.runs[0].running_time - fast.runs[0].running_time;
    assert_true(allowance > 30.0);
    double delays[3] = {0.5 * allowance, allowance + 1e-9, allowance + 240.0};
    for (int k = 0; k < 3; k++) {
        tm_delay_spec spec;
        entry_only(&spec, delays[k], NULL);
        tm_sim_plan *plan = plan_of(sc, &spec);
        tm_sim_state *st = tm_sim_state_new(plan);
        tm_sim_config cfg = {7, TM_DISPATCH_FCFS, 0};
        assert_int_equal(tm_sim_replicate(plan, &cfg, 0, st), TUMEN_OK);
        assert_near(tm_sim_delay_at(st, 0, 0), delays[k], 1e-9);
        assert_near(tm_sim_delay_at(st, 0, 2), fmax(0.0, delays[k] - allowance), 1e-6);
        assert_near(tm_sim_primary(st, 0), delays[k], 1e-9);
        assert_true(tm_sim_knock_on(st, 0) == 0.0);
        tm_sim_state_free(st);
        tm_sim_plan_free(plan);
    }
    tm_timetable_result_free(&planned);
    tm_timetable_result_free(&fast);
    tm_scenario_free(sc);
}

/* Two trains of one kind 6 min apart over the same blocks, no allowance; the first leaves
 * d s late: the second waits max(0, d - (6 min - minimum headway)), the minimum headway
 * from the blocking times (tm_minimum_headway), and that is knock-on delay caused by the
 * first train. */
static void test_follower_knock_on_from_the_headway(void **state)
{
    (void)state;
    const char *text = LINE_YAML "timetable:\n  services:\n"
                                 "    - {id: S1, train: pax, departure: \"06:00\", route: [A, M, B]}\n"
                                 "    - {id: S2, train: pax, departure: \"06:06\", route: [A, M, B]}\n";
    tm_scenario *sc = load_text(text);
    tm_resource_map map;
    assert_int_equal(tm_resource_map_build(&sc->network, &map), TUMEN_OK);
    tm_blocking_params bp;
    tm_blocking_params_default(&bp);
    tm_occupation *occ = NULL;
    size_t n = 0;
    tumen_error err = {0};
    assert_int_equal(tm_timetable_occupations(sc, &map, &bp, 1, &occ, &n, NULL, &err), TUMEN_OK);
    size_t n1 = 0;
    while (n1 < n && occ[n1].train == 0)
        n1++;
    for (size_t k = n1; k < n; k++) { /* the second as if it left with the first */
        occ[k].start -= 360.0;
        occ[k].end -= 360.0;
    }
    size_t deciding;
    double h_min = tm_minimum_headway(occ, n1, occ + n1, n - n1, &deciding);
    assert_true(h_min > 60.0 && h_min < 300.0);
    double buffer = 360.0 - h_min;
    double delays[2] = {0.5 * buffer, buffer + 90.0};
    for (int k = 0; k < 2; k++) {
        for (int rule = 0; rule < 3; rule++) {
            tm_delay_spec spec;
            entry_only(&spec, delays[k], "S1");
            tm_sim_plan *plan = plan_of(sc, &spec);
            tm_sim_state *st = tm_sim_state_new(plan);
            tm_sim_config cfg = {7, (tm_dispatch)rule, 0};
            assert_int_equal(tm_sim_replicate(plan, &cfg, 0, st), TUMEN_OK);
            double knock = fmax(0.0, delays[k] - buffer);
            assert_near(tm_sim_knock_on(st, 1), knock, 1e-6);
            assert_near(tm_sim_delay_at(st, 1, 2), knock, 1e-6);
            assert_near(tm_sim_delay_at(st, 0, 2), delays[k], 1e-6);
            tm_sim_state_free(st);
            tm_sim_plan_free(plan);
        }
    }
    free(occ);
    tm_resource_map_free(&map);
    tm_scenario_free(sc);
}

/* Each distribution, 200,000 draws from the counter-based stream: the sample mean within
 * 1.5 % of the analytical mean, the sample quantiles at 0.5, 0.9, 0.99 within 2 % (or 0.5 s)
 * of the analytical ones. */
static void test_distributions_match_their_moments(void **state)
{
    (void)state;
    static double observed[] = {0, 5, 12, 30, 31, 60, 90, 240, 600, 1200};
    tm_dist dists[] = {
        {TM_DIST_EXPONENTIAL, 0.3, 120.0, 0.0, NULL, 0},
        {TM_DIST_WEIBULL, 0.2, 0.8, 60.0, NULL, 0},
        {TM_DIST_WEIBULL, 0.0, 2.5, 60.0, NULL, 0},
        {TM_DIST_LOGNORMAL, 0.1, log(45.0), 0.9, NULL, 0},
        {TM_DIST_NORMAL, 0.4, 15.0, 30.0, NULL, 0},
        {TM_DIST_NORMAL, 0.0, 120.0, 20.0, NULL, 0},
        {TM_DIST_EMPIRICAL, 0.25, 0, 0, observed, 10},
    };
    enum { N = 200000 };
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    for (size_t k = 0; k < sizeof dists / sizeof *dists; k++) {
        double sum = 0.0;
        for (size_t i = 0; i < N; i++) {
            x[i] = tm_dist_sample(&dists[k], tm_sim_uniform(11, i, k, 0),
                                  tm_sim_uniform(11, i, k, 1));
            assert_true(x[i] >= 0.0);
            sum += x[i];
        }
        double mean = tm_dist_mean(&dists[k]);
        if (fabs(sum / N - mean) > 0.015 * mean)
            fail_msg("%s: sample mean %g, analytical %g", tm_dist_name(dists[k].kind), sum / N,
                     mean);
        qsort(x, N, sizeof *x, tm_cmp_double);
        const double qs[3] = {0.5, 0.9, 0.99};
        for (int j = 0; j < 3; j++) {
            double sample = x[(size_t)(qs[j] * N)], exact = tm_dist_quantile(&dists[k], qs[j]);
            if (fabs(sample - exact) > fmax(0.02 * exact, 0.5))
                fail_msg("%s: sample q%.2f %g, analytical %g", tm_dist_name(dists[k].kind),
                         qs[j], sample, exact);
        }
    }
    free(x);
    /* The normal quantile against known values. */
    assert_near(tm_normal_quantile(0.975), 1.959963984540054, 1e-12);
    assert_near(tm_normal_quantile(0.001), -3.090232306167813, 1e-11);
}

/* The statistics of 24 replications are the same bytes on 1, 2 and 4 threads, and so is
 * a split into two interleaved halves merged (as two MPI ranks do). */
static void test_same_bytes_on_any_number_of_threads(void **state)
{
    (void)state;
    tm_scenario *sc = load_flagship();
    tm_sim_plan *plan = plan_of(sc, NULL);
    tm_sim_config cfg = {42, TM_DISPATCH_TIMETABLE, 0};
    tm_sim_stats one, many, half_a, half_b;
    tumen_error err = {0};
    assert_int_equal(tm_sim_run(plan, &cfg, 0, 24, 1, 1, NULL, NULL, &one, &err), TUMEN_OK);
    assert_int_equal(one.v[0], 24);
    for (int threads = 2; threads <= 4; threads += 2) {
        assert_int_equal(tm_sim_run(plan, &cfg, 0, 24, 1, threads, NULL, NULL, &many, &err),
                         TUMEN_OK);
        assert_int_equal(many.n, one.n);
        assert_memory_equal(many.v, one.v, one.n * sizeof *one.v);
        tm_sim_stats_free(&many);
    }
    assert_int_equal(tm_sim_run(plan, &cfg, 0, 12, 2, 2, NULL, NULL, &half_a, &err), TUMEN_OK);
    assert_int_equal(tm_sim_run(plan, &cfg, 1, 12, 2, 1, NULL, NULL, &half_b, &err), TUMEN_OK);
    tm_sim_stats_merge(&half_a, &half_b);
    assert_memory_equal(half_a.v, one.v, one.n * sizeof *one.v);
    /* Delays happened, and spread: the test is not of an empty day. */
    int64_t knock = 0;
    for (int c = 0; c < TM_N_CATEGORIES; c++)
        knock += one.v[tm_sim_stats_cat(&one, c) + TM_SIM_CAT_KNOCK];
    assert_true(knock > 0);
    tm_sim_stats_free(&one);
    tm_sim_stats_free(&half_a);
    tm_sim_stats_free(&half_b);
    tm_sim_plan_free(plan);
    tm_scenario_free(sc);
}

/* The runs a replication's time-distance diagram draws (tm_sim_replication_runs) hold the
 * times the replication's JSON (and so its CSV) reports, point by point; without primary
 * delays they are the plan's. */
static void test_diagram_draws_the_reported_times(void **state)
{
    (void)state;
    tm_scenario *sc = load_flagship();
    tm_sim_plan *plan = plan_of(sc, NULL);
    tm_sim_state *st = tm_sim_state_new(plan);
    const tm_timetable_result *planned = tm_sim_plan_runs(plan);
    for (int no_delays = 0; no_delays <= 1; no_delays++) {
        tm_sim_config cfg = {7, TM_DISPATCH_TIMETABLE, no_delays};
        assert_int_equal(tm_sim_replicate(plan, &cfg, 4, st), TUMEN_OK);
        tm_timetable_result drawn;
        assert_int_equal(tm_sim_replication_runs(plan, st, &drawn), TUMEN_OK);
        json_t *rep = tm_sim_replication_json(plan, st, 4);
        assert_non_null(rep);
        json_t *services = json_object_get(rep, "services");
        assert_int_equal(json_array_size(services), drawn.n_runs);
        int late = 0;
        for (size_t i = 0; i < drawn.n_runs; i++) {
            const tm_service_run *run = &drawn.runs[i];
            json_t *pts = json_object_get(json_array_get(services, i), "points");
            assert_int_equal(json_array_size(pts), run->n_points);
            assert_int_equal(run->n_steps, planned->runs[i].n_steps);
            for (size_t j = 0; j < run->n_points; j++) {
                json_t *p = json_array_get(pts, j);
                assert_string_equal(json_string_value(json_object_get(p, "id")),
                                    sc->network.ops[run->points[j].op].id);
                /* the JSON is to the ms */
                assert_near(run->points[j].arrival,
                            json_number_value(json_object_get(p, "arrival_s")), 5e-4);
                assert_near(run->points[j].departure,
                            json_number_value(json_object_get(p, "departure_s")), 5e-4);
                assert_near(planned->runs[i].points[j].arrival,
                            json_number_value(json_object_get(p, "planned_arrival_s")), 5e-4);
                if (no_delays) {
                    assert_true(run->points[j].arrival == planned->runs[i].points[j].arrival);
                    assert_true(run->points[j].departure ==
                                planned->runs[i].points[j].departure);
                }
                late |= run->points[j].arrival > planned->runs[i].points[j].arrival + 1.0;
            }
        }
        assert_int_equal(late, !no_delays);
        json_decref(rep);
        tm_timetable_result_free(&drawn);
    }
    tm_sim_state_free(st);
    tm_sim_plan_free(plan);
    tm_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_delay_is_the_planned_day),
        cmocka_unit_test(test_one_late_train_recovers_its_allowance),
        cmocka_unit_test(test_follower_knock_on_from_the_headway),
        cmocka_unit_test(test_distributions_match_their_moments),
        cmocka_unit_test(test_same_bytes_on_any_number_of_threads),
        cmocka_unit_test(test_diagram_draws_the_reported_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
