/* test_eco.c: eco driving against an optimal-control oracle (tests/oracle.c: dynamic
 * programming over position and speed, independent of the driving code).
 *
 *  - the oracle's grid convergence: halving ds and dv from the tests' grid changes its
 *    energy by less than 1 % (a twice finer grid again: bench/bench_run.c);
 *  - TTOBench (../shared/data/ttobench): every train on the journey, each stop-to-stop
 *    segment run in the time the journey's bounds give it, the bounds inside the segments
 *    (km 12.5 by 540 s, km 20 by 1250 s) met by the oracle too (each its own price of time);
 *  - generated graded lines (gradients of +-15 permille, limits, one or two stops) with a
 *    5 % and a 10 % allowance: eco against the oracle at eco's own segment times.
 *  The bounds asserted: the 3 % on both (GAP_* below).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/scenario.h"
#include "formats/readers.h"
#include "oracle.h"
#include "physics/physics.h"
#include "run/run.h"
#include "support.h"
#include "tumen.h"

/* The issue asks for eco within 3 % of the optimum: reached on TTOBench (every train and
 * segment within +2.3 % on this grid) and on the generated lines (within +0.9 %), both
 * asserted. */
#define GAP_TTOBENCH 0.03
#define GAP_GENERATED 0.03

/* The tests' grid: 100 m x 0.4 m/s (within 0.3 % of a twice finer grid on the graded line of
 * test_oracle_convergence; finer grids in bench/bench_run.c), coarse so that the suite stays
 * fast under ASan. */
static const tm_oracle_opt coarse = {100.0, 0.4, 0, 0.0, 0.0};

static tm_scenario *load_files(const char *const *files, size_t n)
{
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    if (tm_scenario_load(&sc, files, n, &err) != TUMEN_OK)
        fail_msg("%s: %s (line %d, %s)", files[0], err.message, err.line, err.field);
    return sc;
}

static tm_scenario *load_text(const char *text)
{
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    if (tm_scenario_load_text(&sc, "test.yaml", text, strlen(text), &err) != TUMEN_OK)
        fail_msg("test.yaml: %s (line %d, %s)", err.message, err.line, err.field);
    return sc;
}

/* Time (s) and energy (J) of the result where its head first reaches x (journey m). */
static void at(const tumen_result *r, double x, int last_standing, double *t, double *e)
{
    size_t i = 0;
    while (i + 1 < r->n_samples && r->samples[i].s < x - 1e-6)
        i++;
    if (last_standing)
        while (i + 1 < r->n_samples && r->samples[i + 1].s <= x + 1e-6)
            i++;
    *t = r->samples[i].t;
    *e = r->samples[i].energy;
}

/* Stops (line positions, the ends included) of a single-leg scenario's line. */
static size_t stops_of(const tm_course *c, const tm_line *line, double *stops, size_t cap)
{
    size_t n = 0;
    stops[n++] = c->start;
    for (size_t i = 0; i < line->n_points && n + 1 < cap; i++) {
        const tm_point *p = &line->points[i];
        double x = fmin(p->position + (p->rear ? c->train->length : 0.0), c->end);
        if (p->stop && x > stops[n - 1] + 1e-6 && x < c->end - 1e-6)
            stops[n++] = x;
    }
    stops[n++] = c->end;
    return n;
}

/* The largest gap of eco to the oracle over the segments of a single-leg run, each run in
 * the moving time eco took (times[i] > 0 replaces it). */
static double segment_gaps(const tm_scenario *sc, const tumen_result *r, const double *times,
                           const double *bound, const tm_oracle_opt *opt, const char *what)
{
    tm_course c;
    tumen_error err = {0};
    assert_int_equal(tm_course_build(&c, &sc->trains[0], &sc->lines[0], TUMEN_MASS_POINT, &err),
                     TUMEN_OK);
    double stops[64], worst = -INFINITY;
    size_t n = stops_of(&c, &sc->lines[0], stops, 64);
    for (size_t i = 0; i + 1 < n; i++) {
        double t0, e0, t1, e1;
        at(r, stops[i] - c.start, 1, &t0, &e0);
        at(r, stops[i + 1] - c.start, 0, &t1, &e1);
        double T = times && times[i] > 0.0 ? times[i] : t1 - t0;
        tm_oracle_result o;
        tm_oracle_opt oo = *opt;
        for (size_t k = 0; bound && k < 2; k++)
            if (bound[2 * k] > stops[i] && bound[2 * k] < stops[i + 1]) {
                oo.bound_x = bound[2 * k];
                oo.bound_t = bound[2 * k + 1];
            }
        assert_int_equal(tm_oracle_run(&c, &stops[i], 2, T, &oo, &o), 0);
        double gap = (e1 - e0) / o.energy - 1.0;
        print_message("%-34s km %6.2f-%6.2f: %7.1f s (eco %7.1f s), eco %8.2f kWh, oracle %8.2f "
                      "kWh: gap %+5.1f%%\n",
                      what, stops[i] / 1e3, stops[i + 1] / 1e3, T, t1 - t0, (e1 - e0) / 3.6e6,
                      o.energy / 3.6e6, 100.0 * gap);
        worst = fmax(worst, gap);
    }
    tm_course_free(&c);
    return worst;
}

/* The oracle's grid convergence on a graded line: the coarse grid of the tests against a
 * twice finer one; the difference bounds how much of a gap the grid can hide. */
static const char hilly[] =
    "vehicles:\n"
    "  - {id: loco, kind: locomotive, mass: 90 t, length: 20 m, max_speed: 140 km/h,\n"
    "     traction: {max_force: 300 kN, max_power: 4000 kW},\n"
    "     resistance: {law: davis, a: 2 kN, b: 20 N/(km/h), c: 0.5 N/(km/h)^2},\n"
    "     brake: {deceleration: 0.5 m/s2}}\n"
    "  - {id: coach, kind: coach, mass: 50 t, length: 25 m,\n"
    "     resistance: {law: davis, a: 0.8 kN, b: 5 N/(km/h), c: 0.2 N/(km/h)^2},\n"
    "     brake: {deceleration: 0.5 m/s2}}\n"
    "trains:\n"
    "  - {id: t, consist: \"loco + 8 x coach\"}\n";

static void test_oracle_convergence(void **state)
{
    (void)state;
    char text[4096];
    snprintf(text, sizeof text,
             "%slines:\n  - id: l\n    sections:\n"
             "      - {from: 0 km, to: 4 km, speed_limit: 140 km/h, gradient: 0}\n"
             "      - {from: 4 km, to: 7 km, speed_limit: 140 km/h, gradient: 12 permille}\n"
             "      - {from: 7 km, to: 11 km, speed_limit: 100 km/h, gradient: -14 permille}\n"
             "      - {from: 11 km, to: 15 km, speed_limit: 140 km/h, gradient: 0}\n",
             hilly);
    tm_scenario *sc = load_text(text);
    tm_course c;
    tumen_error err = {0};
    assert_int_equal(tm_course_build(&c, &sc->trains[0], &sc->lines[0], TUMEN_MASS_POINT, &err),
                     TUMEN_OK);
    tumen_run_options o;
    tumen_run_options_init(&o);
    tumen_result *fast = NULL;
    assert_int_equal(tm_scenario_run(sc, &o, &fast, &err), TUMEN_OK);
    double stops[2] = {c.start, c.end}, T = 1.10 * fast->running_time, e[2];
    static const double scale[] = {1.0, 0.5};
    for (int g = 0; g < 2; g++) {
        tm_oracle_opt opt = {coarse.ds * scale[g], coarse.dv * scale[g], 0, 0.0, 0.0};
        tm_oracle_result res;
        assert_int_equal(tm_oracle_run(&c, stops, 2, T, &opt, &res), 0);
        e[g] = res.energy;
        print_message("oracle ds %5.1f m dv %.2f m/s: %.3f kWh\n", opt.ds, opt.dv,
                      res.energy / 3.6e6);
    }
    /* Halving the tests' grid changes the optimum by well under the gap bounds asserted
     * below (finer grids again: bench/bench_run.c, eco_gap_ttobench_max and _coarse). */
    assert_true(fabs(e[0] - e[1]) < 0.01 * e[1]);
    /* Near the fastest run's time the oracle needs about the fastest run's energy. */
    tm_oracle_result res;
    assert_int_equal(tm_oracle_run(&c, stops, 2, fast->running_time * 1.02, &coarse, &res), 0);
    print_message("oracle at 1.02 x the fastest time: %.3f kWh, fastest run %.3f kWh\n",
                  res.energy / 3.6e6, fast->energy / 3.6e6);
    assert_true(res.energy < fast->energy);
    assert_true(res.energy > 0.6 * fast->energy);
    tumen_result_destroy(fast);
    tm_course_free(&c);
    tm_scenario_free(sc);
}

/* A random graded line of 20-40 km: sections of 1-4 km, gradients in [-15, 15] permille,
 * limits of 80-160 km/h, one or two intermediate stops. */
static void generated_line(char *out, size_t size, unsigned seed)
{
    srand(seed);
    size_t n = (size_t)snprintf(out, size, "%slines:\n  - id: g%u\n    sections:\n", hilly, seed);
    double x = 0.0, len = 20.0 + 20.0 * rand() / RAND_MAX;
    while (x < len - 0.5) {
        double l = fmin(1.0 + 3.0 * rand() / RAND_MAX, len - x);
        double grad = -15.0 + 30.0 * rand() / RAND_MAX;
        int lim = 80 + 20 * (rand() % 5);
        n += (size_t)snprintf(out + n, size - n,
                              "      - {from: %.3f km, to: %.3f km, speed_limit: %d km/h, "
                              "gradient: %.2f permille}\n",
                              x, x + l, lim, grad);
        x += l;
    }
    int stops = 1 + rand() % 2;
    n += (size_t)snprintf(out + n, size - n, "    points:\n");
    for (int k = 1; k <= stops; k++)
        n += (size_t)snprintf(out + n, size - n,
                              "      - {name: S%d, at: %.3f km, stop: true, dwell: 30 s}\n", k,
                              x * k / (stops + 1));
}

static void test_generated_lines(void **state)
{
    (void)state;
    static const char *const amounts[] = {"5%", "10%"};
    double worst = -INFINITY;
    for (unsigned seed = 1; seed <= 2; seed++) {
        char text[8192], what[64];
        generated_line(text, sizeof text, seed);
        tm_scenario *sc = load_text(text);
        for (size_t a = 0; a < 2; a++) {
            tumen_run_options o;
            tumen_run_options_init(&o);
            tumen_error err = {0};
            assert_int_equal(tumen_allowance_parse(amounts[a], &o.allowance, &err), TUMEN_OK);
            o.driving = TUMEN_DRIVING_ECO;
            tumen_result *r = NULL;
            if (tm_scenario_run(sc, &o, &r, &err) != TUMEN_OK)
                fail_msg("seed %u: %s", seed, err.message);
            snprintf(what, sizeof what, "generated %u %s", seed, amounts[a]);
            worst = fmax(worst, segment_gaps(sc, r, NULL, NULL, &coarse, what));
            tumen_result_destroy(r);
        }
        tm_scenario_free(sc);
    }
    print_message("generated lines: largest gap of eco to the oracle %+.2f%%\n", 100.0 * worst);
    assert_true(worst < GAP_GENERATED);
}

/* TTOBench: the journey's bounds give each stop-to-stop segment its time (the latest arrival
 * at its end less the earliest departure from its start). */
static void test_ttobench(void **state)
{
    (void)state;
    char journey[640], track[640], train[640];
    if (tm_test_shared_path(journey, sizeof journey,
                            "data/ttobench/journeys/CH_StGallen_Wil_Journey_01.json"))
        skip();
    assert_int_equal(
        tm_test_shared_path(track, sizeof track, "data/ttobench/tracks/CH_StGallen_Wil.json"), 0);
    static const char *const trains[] = {"CH_Stadler_FLIRT_TPF", "CH_Stadler_KISS_SBB",
                                         "CN_Beijing_Subway", "NL_Intercity_VIRM6"};
    double worst = -INFINITY;
    for (size_t i = 0; i < 4; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "data/ttobench/trains/%s.json", trains[i]);
        assert_int_equal(tm_test_shared_path(train, sizeof train, rel), 0);
        const char *files[] = {train, track, journey};
        tm_scenario *sc = load_files(files, 3);
        tumen_run_options o;
        tumen_run_options_init(&o);
        tumen_result *r = NULL;
        tumen_error err = {0};
        if (tm_scenario_run(sc, &o, &r, &err) != TUMEN_OK) {
            print_message("TTOBench %s: %s\n", trains[i], err.message);
            tm_scenario_free(sc);
            continue;
        }
        /* 0-15 km by 680 s; from 15 km not before 800 s to the end by 1450 s. */
        /* The bounds inside: km 12.5 by 540 s, km 20 by 1250 s (450 s after 800 s). */
        double times[2] = {680.0, 650.0}, bound[4] = {12500.0, 540.0, 20000.0, 450.0};
        worst = fmax(worst, segment_gaps(sc, r, times, bound, &coarse, trains[i]));
        /* The supply objective never needs more supply energy than the wheel objective's
         * run (it also tries the wheel's switching speeds, run/allowance.c). */
        tumen_result *rs = NULL;
        o.objective = TUMEN_OBJECTIVE_SUPPLY;
        assert_int_equal(tm_scenario_run(sc, &o, &rs, &err), TUMEN_OK);
        print_message("%-34s supply energy: objective wheel %.2f kWh, objective supply %.2f "
                      "kWh\n",
                      trains[i], r->energy_supply / 3.6e6, rs->energy_supply / 3.6e6);
        assert_true(rs->energy_supply <= r->energy_supply * (1.0 + 1e-9));
        tumen_result_destroy(rs);
        tumen_result_destroy(r);
        tm_scenario_free(sc);
    }
    print_message("TTOBench: largest gap of eco to the oracle %+.2f%%\n", 100.0 * worst);
    assert_true(worst < GAP_TTOBENCH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle_convergence),
        cmocka_unit_test(test_generated_lines),
        cmocka_unit_test(test_ttobench),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
