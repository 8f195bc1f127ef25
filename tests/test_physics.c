/* test_physics.c: resistance laws, curve resistance and the Mindener formula against
 * hand-computed values and the TrainRuns.jl docstring values (src/formulary.jl). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "physics/physics.h"
#include "tumen.h"

#define KMH (1.0 / 3.6)
#define PERMILLE 1e-3

/* Davis evaluation of what a law produced. */
static double davis(const tm_resistance *r, double v)
{
    return r->a + r->b * v + r->c * v * v;
}

static void assert_close(double got, double want, double rel)
{
    double tol = rel * fabs(want);
    if (tol < 1e-12)
        tol = 1e-12;
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.12g, want %.12g (rel tol %g)", got, want, rel);
}

/* TrainRuns.jl docstring: tractionUnitResistance(15.0, freight_train) = 5461.127252 N for
 * the DB V90: 80 t, all on driving axles, f_driving 2.2 permille, f_air 10 permille,
 * head wind 15 km/h. */
static void test_wende_loco_trainruns_v90(void **state)
{
    (void)state;
    tm_resistance r;
    memset(&r, 0, sizeof r);
    tm_resistance_wende_loco(80000.0, 0.0, 2.2 * PERMILLE, 1.5 * PERMILLE, 10 * PERMILLE,
                             15.0 * KMH, &r);
    assert_int_equal(r.law, TM_RESIST_WENDE_LOCO);
    assert_null(r.table);
    assert_close(davis(&r, 15.0), 5461.127252, 1e-9);
}

/* Hand-computed: 60 t driving + 24 t carrying, 2.5/1.5/6 permille, dv 15 km/h, v = 20 m/s:
 * 2.5e-3*60000 g + 1.5e-3*24000 g + 6e-3*84000 g ((20 + 4.1667)/27.7778)^2. */
static void test_wende_loco_carrying_axles(void **state)
{
    (void)state;
    tm_resistance r;
    memset(&r, 0, sizeof r);
    tm_resistance_wende_loco(60000.0, 24000.0, 2.5e-3, 1.5e-3, 6e-3, 15.0 * KMH, &r);
    const double g = TM_GRAVITY;
    const double x = (20.0 + 15.0 / 3.6) / (100.0 / 3.6);
    const double want = 2.5e-3 * 60000 * g + 1.5e-3 * 24000 * g + 6e-3 * 84000 * g * x * x;
    assert_close(davis(&r, 20.0), want, 1e-12);
}

/* TrainRuns.jl docstring: freightWagonsResistance(15.0, freight) = 20900.732702639998 N for
 * 10 wagons of 25 t + 59 t load, f0 1.4, f2 3.9 permille: m g (f0 + f2 (v/v00)^2), no dv.
 * Both Sauthoff with f1 = 0, dv = 0 and Strahl with k = f2 / 100, dv = 0 reproduce it. */
static void test_trainruns_freight_wagons(void **state)
{
    (void)state;
    const double m = 10 * (25000.0 + 59000.0);
    tm_resistance r;
    memset(&r, 0, sizeof r);
    tm_resistance_sauthoff(m, 1.4 * PERMILLE, 0.0, 3.9 * PERMILLE, 0.0, &r);
    assert_int_equal(r.law, TM_RESIST_SAUTHOFF);
    assert_close(davis(&r, 15.0), 20900.732702639998, 1e-9);

    memset(&r, 0, sizeof r);
    tm_resistance_strahl(m, 1.4 * PERMILLE, 3.9 * PERMILLE / 100.0, 0.0, &r);
    assert_int_equal(r.law, TM_RESIST_STRAHL);
    assert_close(davis(&r, 15.0), 20900.732702639998, 1e-9);
}

/* Strahl by hand: 1000 t, c0 2.5, k 0.025 permille, dv 12 km/h, v = 80 km/h:
 * w = 2.5 + 0.025 (92/10)^2 = 4.616 permille; F = 1e6 g 4.616e-3. */
static void test_strahl_hand(void **state)
{
    (void)state;
    tm_resistance r;
    memset(&r, 0, sizeof r);
    tm_resistance_strahl(1.0e6, 2.5e-3, 0.025e-3, 12.0 * KMH, &r);
    assert_close(davis(&r, 80.0 * KMH), 1.0e6 * TM_GRAVITY * 4.616e-3, 1e-12);
    /* At standstill only c0 and the head wind remain: 2.5 + 0.025 * 1.44 permille. */
    assert_close(davis(&r, 0.0), 1.0e6 * TM_GRAVITY * (2.5e-3 + 0.025e-3 * 1.44), 1e-12);
}

/* Sauthoff by hand: 500 t, f0 1.9, f1 0.4, f2 1.2 permille, dv 15 km/h, v = 100 km/h:
 * w = 1.9 + 0.4 * 1 + 1.2 * 1.15^2 = 3.887 permille. */
static void test_sauthoff_hand(void **state)
{
    (void)state;
    tm_resistance r;
    memset(&r, 0, sizeof r);
    tm_resistance_sauthoff(5.0e5, 1.9e-3, 0.4e-3, 1.2e-3, 15.0 * KMH, &r);
    assert_close(davis(&r, 100.0 * KMH), 5.0e5 * TM_GRAVITY * 3.887e-3, 1e-12);
    assert_true(r.a > 0 && r.b > 0 && r.c > 0);
}

/* The laws leave a table the reader already set alone. */
static void test_laws_keep_table(void **state)
{
    (void)state;
    tm_force_point pts[2] = {{0.0, 100.0}, {10.0, 200.0}};
    tm_resistance r;
    memset(&r, 0, sizeof r);
    r.table = pts;
    r.n_table = 2;
    tm_resistance_strahl(1000.0, 1e-3, 1e-5, 0.0, &r);
    tm_resistance_sauthoff(1000.0, 1e-3, 1e-3, 1e-3, 1.0, &r);
    tm_resistance_wende_loco(1000.0, 1000.0, 1e-3, 1e-3, 1e-3, 1.0, &r);
    assert_ptr_equal(r.table, pts);
    assert_int_equal(r.n_table, 2);
}

static void test_curve_roeckl(void **state)
{
    (void)state;
    /* R >= 300: 650 / (R - 55) permille. */
    assert_close(tm_curve_specific_resistance(TM_CURVE_ROECKL, 300.0), 650.0 / 245.0e3, 1e-12);
    assert_close(tm_curve_specific_resistance(TM_CURVE_ROECKL, 600.0), 650.0 / 545.0e3, 1e-12);
    assert_close(tm_curve_specific_resistance(TM_CURVE_ROECKL, 1055.0), 0.65e-3, 1e-12);
    /* R < 300: 500 / (R - 30) permille. */
    assert_close(tm_curve_specific_resistance(TM_CURVE_ROECKL, 250.0), 500.0 / 220.0e3, 1e-12);
    assert_close(tm_curve_specific_resistance(TM_CURVE_ROECKL, 130.0), 5.0e-3, 1e-12);
    /* Straight track and nonsense radii. */
    assert_true(tm_curve_specific_resistance(TM_CURVE_ROECKL, 0.0) == 0.0);
    assert_true(tm_curve_specific_resistance(TM_CURVE_ROECKL, -400.0) == 0.0);
    assert_true(tm_curve_specific_resistance(TM_CURVE_ROECKL, NAN) == 0.0);
    /* Tighter than 50 m is taken as 50 m: finite and positive. */
    double tight = tm_curve_specific_resistance(TM_CURVE_ROECKL, 20.0);
    assert_close(tight, 500.0 / 20.0e3, 1e-12);
}

static void test_curve_800r_and_none(void **state)
{
    (void)state;
    assert_close(tm_curve_specific_resistance(TM_CURVE_800R, 400.0), 2.0e-3, 1e-12);
    assert_close(tm_curve_specific_resistance(TM_CURVE_800R, 1000.0), 0.8e-3, 1e-12);
    assert_true(tm_curve_specific_resistance(TM_CURVE_800R, 0.0) == 0.0);
    assert_true(tm_curve_specific_resistance(TM_CURVE_NONE, 300.0) == 0.0);
}

/* Mindener by hand: lambda 80, 120 km/h, level:
 * s = 3.85 * 120^2 / (6.1 * (1 + 8)) = 55440 / 54.9 = 1009.836... m,
 * the published anchor "80 brake percent: 120 km/h to a stop in 1000 m" within 1 %. */
static void test_mindener_distance_hand(void **state)
{
    (void)state;
    double s = tm_braking_distance_mindener(120.0 * KMH, 80.0, 0.0);
    assert_close(s, 55440.0 / 54.9, 1e-12);
    assert_close(s, 1000.0, 0.01);
    /* Uphill 10 permille adds 10 to the denominator; downhill takes it away. */
    assert_close(tm_braking_distance_mindener(120.0 * KMH, 80.0, 0.010), 55440.0 / 64.9, 1e-12);
    assert_close(tm_braking_distance_mindener(120.0 * KMH, 80.0, -0.010), 55440.0 / 44.9,
                 1e-12);
    assert_true(tm_braking_distance_mindener(0.0, 80.0, 0.0) == 0.0);
    /* Too steep a downgrade for the brakes: no finite distance. */
    assert_true(isinf(tm_braking_distance_mindener(20.0, 10.0, -0.2)));
}

static void test_mindener_round_trip(void **state)
{
    (void)state;
    const double lambdas[] = {6.0, 30.0, 55.0, 80.0, 125.0, 180.0, 250.0};
    const double distances[] = {100.0, 400.0, 700.0, 1000.0, 2500.0};
    const double gradients[] = {-0.025, -0.006, 0.0, 0.004, 0.012};
    for (size_t i = 0; i < sizeof lambdas / sizeof *lambdas; i++)
        for (size_t j = 0; j < sizeof distances / sizeof *distances; j++)
            for (size_t k = 0; k < sizeof gradients / sizeof *gradients; k++) {
                double v = tm_max_speed_mindener(lambdas[i], distances[j], gradients[k]);
                if (6.1 * (1.0 + lambdas[i] / 10.0) + 1000.0 * gradients[k] <= 0.0) {
                    assert_true(v == 0.0); /* the brakes cannot hold this downgrade */
                    continue;
                }
                assert_true(v > 0.0);
                double s = tm_braking_distance_mindener(v, lambdas[i], gradients[k]);
                assert_close(s, distances[j], 1e-9);
            }
    /* And the other way round, from a speed. */
    double v0 = 60.0 * KMH;
    double s0 = tm_braking_distance_mindener(v0, 45.0, -0.008);
    assert_close(tm_max_speed_mindener(45.0, s0, -0.008), v0, 1e-9);
}

static void test_mindener_monotonic(void **state)
{
    (void)state;
    double prev = 0.0;
    for (double lambda = 5.0; lambda <= 250.0; lambda += 5.0) {
        double v = tm_max_speed_mindener(lambda, 1000.0, -0.005);
        assert_true(v > prev);
        prev = v;
    }
    prev = 0.0;
    for (double s = 50.0; s <= 3000.0; s += 50.0) {
        double v = tm_max_speed_mindener(60.0, s, 0.0);
        assert_true(v > prev);
        prev = v;
    }
    /* Uphill helps, downhill hurts. */
    assert_true(tm_max_speed_mindener(60.0, 700.0, 0.01) > tm_max_speed_mindener(60.0, 700.0, 0));
    assert_true(tm_max_speed_mindener(60.0, 700.0, -0.01) < tm_max_speed_mindener(60.0, 700.0, 0));
    assert_true(tm_max_speed_mindener(60.0, 0.0, 0.0) == 0.0);
    assert_true(tm_max_speed_mindener(10.0, 700.0, -0.2) == 0.0);
}

/* v^2 / (2 s): with the Mindener form it does not depend on v. lambda 80 on level track:
 * b = 54.9 / (2 * 3.85 * 3.6^2) = 0.550... m/s^2, the published "about 0.56 m/s^2". */
static void test_deceleration_from_brake_percentage(void **state)
{
    (void)state;
    const double want = 54.9 / (2.0 * 3.85 * 3.6 * 3.6);
    assert_close(tm_deceleration_from_brake_percentage(80.0, 120.0 * KMH), want, 1e-12);
    assert_close(tm_deceleration_from_brake_percentage(80.0, 30.0 * KMH), want, 1e-12);
    assert_close(tm_deceleration_from_brake_percentage(80.0, 0.0), want, 1e-12);
    /* The published anchor, checked on the code: 80 brake percent stop a train from
     * 120 km/h in about 1000 m (mean deceleration about 0.56 m/s^2); (1) gives 1010 m. */
    assert_close(tm_braking_distance_mindener(120.0 * KMH, 80.0, 0.0), 1000.0, 0.015);
    assert_close(tm_deceleration_from_brake_percentage(80.0, 120.0 * KMH), 0.56, 0.02);
    assert_true(tm_deceleration_from_brake_percentage(120.0, 20.0) >
                tm_deceleration_from_brake_percentage(60.0, 20.0));
}

static void test_public_max_speed(void **state)
{
    (void)state;
    tumen_error err;
    double v = -1.0;
    assert_int_equal(tumen_max_speed_for_braking_distance(80.0, 1000.0, 0.0, &v, &err), TUMEN_OK);
    assert_int_equal(err.code, TUMEN_OK);
    assert_close(v, tm_max_speed_mindener(80.0, 1000.0, 0.0), 1e-15);
    assert_close(v * 3.6, sqrt(1000.0 * 54.9 / 3.85), 1e-12); /* 119.4 km/h */

    const double bad[][3] = {
        {0.0, 1000.0, 0.0},  {-5.0, 1000.0, 0.0}, {250.5, 1000.0, 0.0},
        {NAN, 1000.0, 0.0},  {80.0, 0.0, 0.0},    {80.0, -1.0, 0.0},
        {80.0, INFINITY, 0.0}, {80.0, 1000.0, NAN}, {10.0, 1000.0, -0.2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        v = -1.0;
        memset(&err, 0, sizeof err);
        int rc = tumen_max_speed_for_braking_distance(bad[i][0], bad[i][1], bad[i][2], &v, &err);
        assert_int_equal(rc, TUMEN_EINPUT);
        assert_int_equal(err.code, TUMEN_EINPUT);
        assert_true(strlen(err.message) > 10);
        assert_true(err.field[0] != '\0');
        assert_true(v == -1.0);
    }
    /* The upper bound itself is allowed. */
    assert_int_equal(tumen_max_speed_for_braking_distance(250.0, 400.0, 0.0, &v, NULL), TUMEN_OK);
    /* No place for the result. */
    assert_int_equal(tumen_max_speed_for_braking_distance(80.0, 1000.0, 0.0, NULL, &err),
                     TUMEN_EUSAGE);
}

/* A law kept as its file gave it meets the mass in tm_resistance_davis only: Wende's with
 * no driving mass given puts the whole mass (with load) on driving axles; the same record on
 * a heavier vehicle gives a proportionally larger force (coefficients per weight); a
 * railtoolkit wagon's Strahl form against 100 km/h is TrainRuns' freight formula. */
static void test_law_as_given_meets_mass(void **state)
{
    (void)state;
    tm_resistance given, got, want;
    memset(&given, 0, sizeof given);
    given.law = TM_RESIST_WENDE_LOCO;
    given.k0 = 2.2 * PERMILLE;
    given.k0_carrying = 1.5 * PERMILLE;
    given.k2 = 10 * PERMILLE;
    given.v_ref = TM_V_REF_WENDE;
    given.dv = 15.0 * KMH;
    given.driving_mass = given.carrying_mass = -1.0;
    tm_resistance_davis(&given, 80000.0, &got);
    assert_close(davis(&got, 15.0), 5461.127252, 1e-9);
    tm_resistance_davis(&given, 160000.0, &got);
    assert_close(davis(&got, 15.0), 2.0 * 5461.127252, 1e-9);
    given.driving_mass = 60000.0; /* the rest, 24 t, on carrying axles */
    tm_resistance_davis(&given, 84000.0, &got);
    tm_resistance_wende_loco(60000.0, 24000.0, 2.2 * PERMILLE, 1.5 * PERMILLE, 10 * PERMILLE,
                             15.0 * KMH, &want);
    assert_close(davis(&got, 20.0), davis(&want, 20.0), 1e-12);

    memset(&given, 0, sizeof given);
    given.law = TM_RESIST_STRAHL;
    given.k0 = 1.4 * PERMILLE;
    given.k2 = 3.9 * PERMILLE;
    given.v_ref = TM_V_REF_WENDE;
    tm_resistance_davis(&given, 10 * 84000.0, &got);
    assert_close(davis(&got, 15.0), 20900.732702639998, 1e-12);
}

/* The rotating-mass factor a file gives, else its kind's (Hansen & Pachl 2014, p. 71). */
static void test_rotating_mass_default(void **state)
{
    (void)state;
    tm_vehicle v;
    memset(&v, 0, sizeof v);
    v.kind = TM_VEHICLE_WAGON;
    assert_close(tm_vehicle_rotating_mass_factor(&v), 1.06, 1e-15);
    v.kind = TM_VEHICLE_MULTIPLE_UNIT;
    assert_close(tm_vehicle_rotating_mass_factor(&v), 1.09, 1e-15);
    v.rotating_mass_factor = 1.2;
    assert_close(tm_vehicle_rotating_mass_factor(&v), 1.2, 1e-15);
}

/* TTOBench's limits on the vehicle, taken over its inertial mass m xi by tm_train_derive:
 * 100 t, xi 1.1, 300 kN capped by 1 m/s^2 to 110 kN; 55 kN of brakes give 0.5 m/s^2. */
static void test_inertial_limits(void **state)
{
    (void)state;
    tm_vehicle v;
    memset(&v, 0, sizeof v);
    v.kind = TM_VEHICLE_MULTIPLE_UNIT;
    v.mass = 100e3;
    v.length = 50.0;
    v.rotating_mass_factor = 1.1;
    v.has_traction = 1;
    v.max_force = 300e3;
    v.max_acceleration = 1.0;
    v.brake_force = 55e3;
    tm_consist_entry entry = {0, 1};
    tm_train t;
    memset(&t, 0, sizeof t);
    t.consist = &entry;
    t.n_consist = 1;
    tumen_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(tm_train_derive(&t, &v, 1, "test", &err), TUMEN_OK);
    assert_close(tm_train_effort(&t, 0.0), 110e3, 1e-12);
    assert_close(t.brake_deceleration, 0.5, 1e-12);
    assert_close(tm_train_inertial_force(&t, 2.0), 2.0 * 110e3, 1e-12);
    tm_train_release_derived(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wende_loco_trainruns_v90),
        cmocka_unit_test(test_wende_loco_carrying_axles),
        cmocka_unit_test(test_trainruns_freight_wagons),
        cmocka_unit_test(test_strahl_hand),
        cmocka_unit_test(test_sauthoff_hand),
        cmocka_unit_test(test_laws_keep_table),
        cmocka_unit_test(test_law_as_given_meets_mass),
        cmocka_unit_test(test_rotating_mass_default),
        cmocka_unit_test(test_inertial_limits),
        cmocka_unit_test(test_curve_roeckl),
        cmocka_unit_test(test_curve_800r_and_none),
        cmocka_unit_test(test_mindener_distance_hand),
        cmocka_unit_test(test_mindener_round_trip),
        cmocka_unit_test(test_mindener_monotonic),
        cmocka_unit_test(test_deceleration_from_brake_percentage),
        cmocka_unit_test(test_public_max_speed),
    };
    return cmocka_run_group_tests_name("physics", tests, NULL, NULL);
}
