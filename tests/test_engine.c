/* test_engine.c: the running-time engine held to closed forms.
 *
 * Fixtures are built in memory: a flat line of one section, a constant-force or
 * constant-power train without resistance, so that the motion has a closed form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "run/run.h"
#include "model/model.h"
#include "model/scenario.h"
#include "physics/physics.h"
#include "tumen.h"

#define KMH (1.0 / 3.6)

/* cmocka 1.1 has no double comparison with a tolerance. */
#define assert_near(a, b, tol)                                                          \
    do {                                                                              \
        double a_ = (a), b_ = (b);                                                    \
        if (!(fabs(a_ - b_) <= (tol)))                                                \
            fail_msg("%s = %.12g, expected %.12g (tolerance %g)", #a, a_, b_, (double)(tol)); \
    } while (0)

typedef struct fixture {
    tm_vehicle vehicle;
    tm_consist_entry entry;
    tm_train train;
    tm_section sections[8];
    tm_point points[8];
    tm_line line;
    tm_scenario sc;
} fixture;

/* A locomotive of mass m (kg), constant force f (N) up to power p (W, 0 = none), no
 * resistance, rotating-mass factor 1, length 20 m, braking at b (m/s^2). */
static void make_train(fixture *fx, double m, double f, double p, double b)
{
    memset(&fx->vehicle, 0, sizeof fx->vehicle);
    strcpy(fx->vehicle.id, "loco");
    fx->vehicle.kind = TM_VEHICLE_LOCOMOTIVE;
    fx->vehicle.mass = m;
    fx->vehicle.length = 20.0;
    fx->vehicle.rotating_mass_factor = 1.0;
    fx->vehicle.has_traction = 1;
    fx->vehicle.max_force = f;
    fx->vehicle.max_power = p;
    fx->vehicle.brake_deceleration = b;
    fx->vehicle.resistance.law = TM_RESIST_DAVIS; /* a = b = c = 0 until a test sets them */
    fx->entry = (tm_consist_entry){0, 1};
    memset(&fx->train, 0, sizeof fx->train);
    strcpy(fx->train.id, "train");
    fx->train.consist = &fx->entry;
    fx->train.n_consist = 1;
}

static void derive(fixture *fx)
{
    tumen_error err = {0};
    assert_int_equal(tm_train_derive(&fx->train, &fx->vehicle, 1, "fixture", &err), TUMEN_OK);
}

/* A line of n sections of equal length, one limit and the given gradients, stops at both
 * ends and timing points at the given positions. */
static void make_line(fixture *fx, double length, double limit, const double *grades, size_t n,
                      const double *points, size_t n_points)
{
    memset(&fx->line, 0, sizeof fx->line);
    strcpy(fx->line.id, "line");
    for (size_t i = 0; i < n; i++)
        fx->sections[i] = (tm_section){length * i / n, length * (i + 1) / n, limit,
                                       grades ? grades[i] : 0.0, 0.0, 0};
    fx->line.sections = fx->sections;
    fx->line.n_sections = n;
    fx->line.curve_law = TM_CURVE_NONE;
    size_t k = 0;
    fx->points[k++] = (tm_point){"start", 0.0, 1, 0.0, 0};
    for (size_t i = 0; i < n_points; i++)
        fx->points[k++] = (tm_point){"tp", points[i], 0, 0.0, 0};
    fx->points[k++] = (tm_point){"end", length, 1, 0.0, 0};
    fx->line.points = fx->points;
    fx->line.n_points = k;
}

static tumen_result *run(fixture *fx, tumen_mass_model model, double step)
{
    memset(&fx->sc, 0, sizeof fx->sc);
    fx->sc.vehicles = &fx->vehicle;
    fx->sc.n_vehicles = 1;
    fx->sc.trains = &fx->train;
    fx->sc.n_trains = 1;
    fx->sc.lines = &fx->line;
    fx->sc.n_lines = 1;
    tumen_run_options o;
    tumen_run_options_init(&o);
    o.mass_model = model;
    o.max_step = step;
    tumen_result *r = NULL;
    tumen_error err = {0};
    int rc = tm_scenario_run(&fx->sc, &o, &r, &err);
    if (rc != TUMEN_OK)
        fail_msg("tumen_run: %s", err.message);
    return r;
}

static void done(fixture *fx, tumen_result *r)
{
    tumen_result_destroy(r);
    tm_train_release_derived(&fx->train);
}

static double arrival_at(const tumen_result *r, double position)
{
    for (size_t i = 0; i < r->n_timing_points; i++)
        if (fabs(r->timing_points[i].position - position) < 1e-6)
            return r->timing_points[i].arrival;
    fail_msg("no timing point at %g", position);
    return NAN;
}

/* Constant force, no resistance: s = a t^2 / 2 with a = F / m (uniform acceleration). */
static void test_uniform_acceleration(void **state)
{
    (void)state;
    fixture fx;
    make_train(&fx, 100e3, 50e3, 0.0, 0.5);
    derive(&fx);
    double points[] = {1000.0};
    make_line(&fx, 20000.0, 300 * KMH, NULL, 1, points, 1);
    tumen_result *r = run(&fx, TUMEN_MASS_POINT, 0.0);
    double a = 50e3 / 100e3;
    assert_near(arrival_at(r, 1000.0), sqrt(2.0 * 1000.0 / a), 1e-9);
    done(&fx, r);
}

/* Accelerate at a to V, cruise, brake at b: total time and the braking point
 * (braking distance V^2 / 2b, Wende 2003 p. 37). */
static void test_braking_distance_and_total_time(void **state)
{
    (void)state;
    fixture fx;
    double m = 400e3, F = 200e3, b = 0.4, V = 100 * KMH, D = 10000.0;
    make_train(&fx, m, F, 0.0, b);
    derive(&fx);
    make_line(&fx, D, V, NULL, 1, NULL, 0);
    tumen_result *r = run(&fx, TUMEN_MASS_POINT, 0.0);
    double a = F / m;
    double s_acc = V * V / (2 * a), s_brk = V * V / (2 * b);
    double expected = V / a + (D - s_acc - s_brk) / V + V / b;
    assert_near(r->running_time, expected, 1e-6);
    /* The first braking sample ends where braking began plus its own stretch; find the
     * last cruise sample instead: that is where braking begins. */
    double brake_start = -1.0;
    for (size_t i = 1; i < r->n_samples; i++)
        if (r->samples[i].mode == TUMEN_MODE_BRAKE && r->samples[i - 1].mode != TUMEN_MODE_BRAKE)
            brake_start = r->samples[i - 1].s;
    assert_near(brake_start, D - s_brk, 1e-6);
    assert_near(r->max_speed, V, 1e-9);
    /* Traction energy: F over the accelerating distance (no resistance). */
    assert_near(r->energy, F * s_acc, 1e-9 * F * s_acc);
    done(&fx, r);
}

/* Constant power P above v1 = P / Fmax, no resistance: kinetic energy grows by P t, so the
 * time at x follows from v^3 = v1^3 + 3 P (x - s1) / m. */
static void test_constant_power(void **state)
{
    (void)state;
    fixture fx;
    double m = 500e3, Fmax = 250e3, P = 2.5e6;
    make_train(&fx, m, Fmax, P, 0.5);
    derive(&fx);
    double x = 3000.0, points[] = {x};
    make_line(&fx, 30000.0, 400 * KMH, NULL, 1, points, 1);
    tumen_result *r = run(&fx, TUMEN_MASS_POINT, 0.0);
    double v1 = P / Fmax, t1 = m * v1 / Fmax, s1 = m * v1 * v1 / (2 * Fmax);
    double v = cbrt(v1 * v1 * v1 + 3 * P * (x - s1) / m);
    double expected = t1 + m * (v * v - v1 * v1) / (2 * P);
    assert_near(arrival_at(r, x), expected, 1e-5); /* default step: O(h^4) error */
    tumen_result_destroy(r);
    r = run(&fx, TUMEN_MASS_POINT, 0.25);
    assert_near(arrival_at(r, x), expected, 1e-8);
    done(&fx, r);
}

/* On a long grade the speed settles where effort equals resistance plus grade force:
 * P / v = A + m g i. */
static void test_balancing_speed(void **state)
{
    (void)state;
    fixture fx;
    double m = 1000e3, P = 3e6, A = 20e3, i = 0.010;
    make_train(&fx, m, 600e3, P, 0.5);
    fx.vehicle.resistance.a = A;
    derive(&fx);
    double grades[] = {i};
    double x = 60000.0, points[] = {x};
    make_line(&fx, 80000.0, 200 * KMH, grades, 1, points, 1);
    tumen_result *r = run(&fx, TUMEN_MASS_POINT, 0.0);
    double v_balance = P / (A + m * TM_GRAVITY * i);
    double v_at_x = -1;
    for (size_t k = 0; k < r->n_samples; k++)
        if (fabs(r->samples[k].s - x) < 1e-6)
            v_at_x = r->samples[k].v;
    assert_true(v_at_x <= v_balance + 1e-9);
    assert_near(v_at_x, v_balance, 1e-4 * v_balance);
    done(&fx, r);
}

/* A train with a realistic effort table and Davis resistance over a graded line. */
static void make_realistic(fixture *fx, tm_force_point *table)
{
    make_train(fx, 600e3, 0.0, 0.0, 0.45);
    static const double kmh[] = {0, 20, 40, 60, 80, 100, 120};
    static const double kn[] = {300, 290, 220, 150, 110, 88, 70};
    for (size_t k = 0; k < 7; k++)
        table[k] = (tm_force_point){kmh[k] * KMH, kn[k] * 1e3};
    fx->vehicle.effort = table;
    fx->vehicle.n_effort = 7;
    fx->vehicle.rotating_mass_factor = 1.08;
    fx->vehicle.resistance.a = 6000;
    fx->vehicle.resistance.b = 80;
    fx->vehicle.resistance.c = 8;
    fx->vehicle.length = 250;
    derive(fx);
    static const double grades[] = {0.0, 0.008, -0.004, 0.012, 0.0, -0.009};
    double points[] = {2345.0, 9876.0};
    make_line(fx, 18000.0, 120 * KMH, grades, 6, points, 2);
    fx->sections[3].speed_limit = 70 * KMH;
}

/* Step halving: the error of RK4 falls as h^4 (ratio 16 per halving). */
static void test_step_halving_convergence(void **state)
{
    (void)state;
    tm_force_point table[7];
    fixture fx;
    make_realistic(&fx, table);
    tumen_result *ref = run(&fx, TUMEN_MASS_STRIP, 0.02);
    double t_ref = ref->running_time, e_ref = ref->energy;
    tumen_result_destroy(ref);
    double steps[] = {8.0, 4.0, 2.0, 1.0};
    double err[4];
    for (size_t k = 0; k < 4; k++) {
        tumen_result *r = run(&fx, TUMEN_MASS_STRIP, steps[k]);
        err[k] = fabs(r->running_time - t_ref);
        assert_near(r->energy, e_ref, 1e-4 * e_ref);
        tumen_result_destroy(r);
    }
    print_message("step halving: time error %.3g %.3g %.3g %.3g s at h = 8 4 2 1 s\n", err[0],
                  err[1], err[2], err[3]);
    /* Fourth order: each halving divides the error by about 16; allow for rounding. */
    assert_true(err[0] > 0.0);
    assert_true(err[1] < err[0] / 12.0);
    assert_true(err[2] < err[1] / 12.0);
    assert_true(err[3] < err[2] / 12.0);
    /* The default step (2 s) is accurate to well under a millisecond. */
    assert_true(err[2] < 1e-3);
    tm_train_release_derived(&fx.train);
}

/* Rotating-mass factor xi != 1 and a resistance A + B v, constant force F: the motion has the
 * closed form v(t) = v_inf (1 - e^(-t/tau)), s(t) = v_inf (t - tau (1 - e^(-t/tau))) with
 * v_inf = (F - A) / B and tau = xi m / B (a linear first-order ODE). */
static void test_rotating_mass_with_resistance(void **state)
{
    (void)state;
    fixture fx;
    double m = 400e3, F = 200e3, A = 10e3, B = 2e3, xi = 1.12;
    make_train(&fx, m, F, 0.0, 0.5);
    fx.vehicle.rotating_mass_factor = xi;
    fx.vehicle.resistance.law = TM_RESIST_DAVIS;
    fx.vehicle.resistance.a = A;
    fx.vehicle.resistance.b = B;
    derive(&fx);
    assert_near(fx.train.effective_mass, xi * m, 1e-6);
    double x = 2500.0, points[] = {x};
    make_line(&fx, 20000.0, 400 * KMH, NULL, 1, points, 1);
    double v_inf = (F - A) / B, tau = xi * m / B, lo = 0.0, hi = 1e4;
    for (int i = 0; i < 200; i++) {
        double t = 0.5 * (lo + hi);
        if (v_inf * (t - tau * (1.0 - exp(-t / tau))) < x)
            lo = t;
        else
            hi = t;
    }
    tumen_result *r = run(&fx, TUMEN_MASS_POINT, 0.0);
    assert_near(arrival_at(r, x), lo, 1e-6); /* default step */
    tumen_result_destroy(r);
    r = run(&fx, TUMEN_MASS_POINT, 0.25);
    assert_near(arrival_at(r, x), lo, 1e-9);
    done(&fx, r);
}

/* A resistance table: its speeds are kinks like the effort table's, so step halving still
 * gains the fourth-order factor (issue 15: without them the error stalled). */
static void test_step_halving_with_resistance_table(void **state)
{
    (void)state;
    tm_force_point table[7];
    static tm_force_point res[4] = {{0.0, 4000.0}, {15.0, 9000.0}, {25.0, 20000.0},
                                    {40.0, 52000.0}};
    fixture fx;
    make_realistic(&fx, table);
    tm_train_release_derived(&fx.train);
    fx.vehicle.resistance.table = res;
    fx.vehicle.resistance.n_table = 4;
    derive(&fx);
    tumen_result *ref = run(&fx, TUMEN_MASS_POINT, 0.02);
    double t_ref = ref->running_time;
    tumen_result_destroy(ref);
    double steps[] = {8.0, 4.0, 2.0}, err[3];
    for (size_t k = 0; k < 3; k++) {
        tumen_result *r = run(&fx, TUMEN_MASS_POINT, steps[k]);
        err[k] = fabs(r->running_time - t_ref);
        tumen_result_destroy(r);
    }
    print_message("resistance table: time error %.3g %.3g %.3g s at h = 8 4 2 s\n", err[0],
                  err[1], err[2]);
    assert_true(err[0] > 0.0);
    assert_true(err[1] < err[0] / 12.0);
    assert_true(err[2] < err[1] / 12.0 || err[2] < 1e-7);
    assert_true(err[2] < 1e-6);
    tm_train_release_derived(&fx.train);
}

/* The error-controlled step (tumen_run_options.adaptive_step): on the graded fixture with
 * its effort table, the strip model and a limit, within a millisecond of a 0.02 s fixed step,
 * with far fewer samples than the default fixed 2 s step. */
static void test_adaptive_step(void **state)
{
    (void)state;
    tm_force_point table[7];
    fixture fx;
    make_realistic(&fx, table);
    tumen_result *ref = run(&fx, TUMEN_MASS_STRIP, 0.02);
    tumen_result *fixed = run(&fx, TUMEN_MASS_STRIP, 0.0);
    memset(&fx.sc, 0, sizeof fx.sc);
    fx.sc.vehicles = &fx.vehicle;
    fx.sc.n_vehicles = 1;
    fx.sc.trains = &fx.train;
    fx.sc.n_trains = 1;
    fx.sc.lines = &fx.line;
    fx.sc.n_lines = 1;
    tumen_run_options o;
    tumen_run_options_init(&o);
    o.mass_model = TUMEN_MASS_STRIP;
    o.adaptive_step = 1;
    tumen_result *r = NULL;
    tumen_error err = {0};
    assert_int_equal(tm_scenario_run(&fx.sc, &o, &r, &err), TUMEN_OK);
    print_message("adaptive step: time error %.3g s, %zu samples (fixed 2 s: %zu)\n",
                  fabs(r->running_time - ref->running_time), r->n_samples, fixed->n_samples);
    assert_near(r->running_time, ref->running_time, 1e-3);
    assert_near(r->energy, ref->energy, 1e-5 * ref->energy);
    for (size_t k = 0; k < r->n_timing_points; k++)
        assert_near(r->timing_points[k].arrival, ref->timing_points[k].arrival, 1e-3);
    assert_true(r->n_samples < fixed->n_samples);
    tumen_result_destroy(r);
    tumen_result_destroy(fixed);
    tumen_result_destroy(ref);
    tm_train_release_derived(&fx.train);
}

/* A limit is lifted only when the train's tail has cleared the lower stretch. */
static void test_train_length_rule(void **state)
{
    (void)state;
    fixture fx;
    make_train(&fx, 300e3, 200e3, 0.0, 0.5);
    fx.vehicle.length = 300.0;
    derive(&fx);
    make_line(&fx, 6000.0, 100 * KMH, NULL, 6, NULL, 0);
    fx.sections[1].speed_limit = 40 * KMH; /* 1000 .. 2000 m */
    tumen_result *r = run(&fx, TUMEN_MASS_POINT, 0.0);
    int faster_after = 0;
    for (size_t k = 0; k < r->n_samples; k++) {
        const tumen_sample *x = &r->samples[k];
        if (x->s > 1000.0 + 1e-6 && x->s < 2300.0 - 1e-6)
            assert_true(x->v <= 40 * KMH + 1e-9);
        if (x->s > 2300.0 && x->v > 40 * KMH + 0.1)
            faster_after = 1;
    }
    assert_true(faster_after);
    done(&fx, r);
}

/* On a uniform gradient the strip and the mass point are the same train. */
static void test_strip_equals_point_on_uniform_grade(void **state)
{
    (void)state;
    fixture fx;
    make_train(&fx, 500e3, 250e3, 2e6, 0.5);
    fx.vehicle.length = 400.0;
    derive(&fx);
    double grades[] = {0.005, 0.005, 0.005};
    make_line(&fx, 9000.0, 90 * KMH, grades, 3, NULL, 0);
    tumen_result *a = run(&fx, TUMEN_MASS_POINT, 0.0);
    tumen_result *b = run(&fx, TUMEN_MASS_STRIP, 0.0);
    assert_near(a->running_time, b->running_time, 1e-9);
    tumen_result_destroy(a);
    done(&fx, b);
}

/* The strip feels a grade change gradually: over a hump it is slower uphill later and
 * its running time differs from the mass point's, but not by much. */
static void test_strip_differs_on_grade_change(void **state)
{
    (void)state;
    tm_force_point table[7];
    fixture fx;
    make_realistic(&fx, table);
    tumen_result *a = run(&fx, TUMEN_MASS_POINT, 0.0);
    tumen_result *b = run(&fx, TUMEN_MASS_STRIP, 0.0);
    assert_true(fabs(a->running_time - b->running_time) > 1e-3);
    assert_true(fabs(a->running_time - b->running_time) < 0.05 * a->running_time);
    tumen_result_destroy(a);
    done(&fx, b);
}

/* A train too weak for its gradient stops: a clear error, not a hang. */
static void test_stall_is_reported(void **state)
{
    (void)state;
    fixture fx;
    make_train(&fx, 1000e3, 100e3, 0.0, 0.5);
    derive(&fx);
    double grades[] = {0.0, 0.025};
    make_line(&fx, 20000.0, 80 * KMH, grades, 2, NULL, 0);
    memset(&fx.sc, 0, sizeof fx.sc);
    fx.sc.vehicles = &fx.vehicle;
    fx.sc.n_vehicles = 1;
    fx.sc.trains = &fx.train;
    fx.sc.n_trains = 1;
    fx.sc.lines = &fx.line;
    fx.sc.n_lines = 1;
    tumen_result *r = NULL;
    tumen_error err = {0};
    assert_int_equal(tm_scenario_run(&fx.sc, NULL, &r, &err), TUMEN_EPHYSICS);
    assert_null(r);
    assert_non_null(strstr(err.message, "stalls"));
    tm_train_release_derived(&fx.train);
}

/* Two legs and a consist change: times add up, positions run on. */
static void test_journey_with_change(void **state)
{
    (void)state;
    fixture fx;
    make_train(&fx, 400e3, 200e3, 0.0, 0.4);
    derive(&fx);
    make_line(&fx, 10000.0, 100 * KMH, NULL, 1, NULL, 0);
    tumen_result *single = run(&fx, TUMEN_MASS_POINT, 0.0);
    double t1 = single->running_time;
    tumen_result_destroy(single);
    tm_leg legs[2] = {{0, 0, "", 0.0}, {0, 0, "bogie exchange", 7200.0}};
    fx.sc.journey.legs = legs;
    fx.sc.journey.n_legs = 2;
    fx.sc.has_journey = 1;
    tumen_result *r = NULL;
    tumen_error err = {0};
    assert_int_equal(tm_scenario_run(&fx.sc, NULL, &r, &err), TUMEN_OK);
    assert_near(r->running_time, 2 * t1 + 7200.0, 1e-6);
    assert_near(r->distance, 20000.0, 1e-6);
    assert_int_equal(r->n_legs, 2);
    assert_int_equal(r->n_timing_points, 3); /* start, joint (merged), end */
    assert_string_equal(r->timing_points[1].change, "bogie exchange");
    assert_near(r->timing_points[1].departure - r->timing_points[1].arrival, 7200.0, 1e-6);
    done(&fx, r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uniform_acceleration),
        cmocka_unit_test(test_braking_distance_and_total_time),
        cmocka_unit_test(test_constant_power),
        cmocka_unit_test(test_balancing_speed),
        cmocka_unit_test(test_step_halving_convergence),
        cmocka_unit_test(test_rotating_mass_with_resistance),
        cmocka_unit_test(test_adaptive_step),
        cmocka_unit_test(test_step_halving_with_resistance_table),
        cmocka_unit_test(test_train_length_rule),
        cmocka_unit_test(test_strip_equals_point_on_uniform_grade),
        cmocka_unit_test(test_strip_differs_on_grade_change),
        cmocka_unit_test(test_stall_is_reported),
        cmocka_unit_test(test_journey_with_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
