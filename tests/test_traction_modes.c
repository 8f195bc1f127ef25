/* test_traction_modes.c: vehicles with several traction modes and neutral sections.
 *
 *  - the mode each vehicle takes under each supply (physics/traction_modes.c, OSRD's rule);
 *  - the engine pulls with the mode of the stretch: constant-force modes without resistance
 *    on level track give closed forms (s = a t^2 / 2, a = F / m, then s = v t + a t^2 / 2);
 *  - in a neutral section an electric mode gives no traction: without resistance the train
 *    keeps its speed through it (t = L / v), a diesel one goes on pulling;
 *  - OSRD rolling stock with several modes keeps them all (../shared/data; skipped without).
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
#include <unistd.h>

#include "formats/import.h"
#include "model/model.h"
#include "model/network.h"
#include "model/scenario.h"
#include "physics/physics.h"
#include "run/run.h"
#include "tumen.h"

#define assert_near(a, b, tol)                                                          \
    do {                                                                              \
        double a_ = (a), b_ = (b);                                                    \
        if (!(fabs(a_ - b_) <= (tol)))                                                \
            fail_msg("%s = %.12g, expected %.12g (tolerance %g)", #a, a_, b_, (double)(tol)); \
    } while (0)

#define MASS 200e3      /* kg, assumed */
#define F_DIESEL 40e3   /* N, assumed */
#define F_25KV 100e3    /* N, assumed */
#define F_1500 70e3     /* N, assumed */

typedef struct fixture {
    tm_vehicle vehicle;
    tm_traction_mode modes[2];
    tm_consist_entry entry;
    tm_train train;
    tm_section sections[8];
    tm_point points[8];
    tm_line line;
    tm_scenario sc;
} fixture;

/* A vehicle with primary mode (power, e, force) and n further constant-force modes. */
static void make_vehicle(fixture *fx, tm_power_type power, tm_electrification e, double f,
                         const tm_traction_mode *modes, size_t n)
{
    memset(fx, 0, sizeof *fx);
    strcpy(fx->vehicle.id, "loco");
    fx->vehicle.kind = TM_VEHICLE_LOCOMOTIVE;
    fx->vehicle.power = power;
    fx->vehicle.electrification = e;
    fx->vehicle.mass = MASS;
    fx->vehicle.length = 20.0;
    fx->vehicle.rotating_mass_factor = 1.0;
    fx->vehicle.has_traction = 1;
    fx->vehicle.max_force = f;
    fx->vehicle.brake_deceleration = 5.0; /* strong: braking starts late (assumed) */
    fx->vehicle.resistance.law = TM_RESIST_NONE;
    if (n)
        memcpy(fx->modes, modes, n * sizeof *modes);
    fx->vehicle.modes = n ? fx->modes : NULL;
    fx->vehicle.n_modes = n;
    fx->entry = (tm_consist_entry){0, 1};
    strcpy(fx->train.id, "train");
    fx->train.consist = &fx->entry;
    fx->train.n_consist = 1;
    tumen_error err = {0};
    assert_int_equal(tm_train_derive(&fx->train, &fx->vehicle, 1, "fixture", &err), TUMEN_OK);
}

static const tm_traction_mode MODE_25KV = {TM_POWER_ELECTRIC, TM_ELEC_AC_25K_50, NULL, 0,
                                           F_25KV, 0.0};
static const tm_traction_mode MODE_1500 = {TM_POWER_ELECTRIC, TM_ELEC_DC_1500, NULL, 0,
                                           F_1500, 0.0};

/* A level line of sections [x[i], x[i+1]) with supplies, timing points at every x. */
static void make_line(fixture *fx, const double *x, const int *supply, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fx->sections[i] = (tm_section){x[i], x[i + 1], 100.0, 0.0, 0.0, supply[i]};
    strcpy(fx->line.id, "line");
    fx->line.sections = fx->sections;
    fx->line.n_sections = n;
    fx->line.curve_law = TM_CURVE_NONE;
    for (size_t i = 0; i <= n; i++)
        fx->points[i] = (tm_point){"p", x[i], i == 0 || i == n, 0.0, 0};
    fx->line.points = fx->points;
    fx->line.n_points = n + 1;
}

static tumen_result *run(fixture *fx)
{
    fx->sc.vehicles = &fx->vehicle;
    fx->sc.n_vehicles = 1;
    fx->sc.trains = &fx->train;
    fx->sc.n_trains = 1;
    fx->sc.lines = &fx->line;
    fx->sc.n_lines = 1;
    tumen_run_options o;
    tumen_run_options_init(&o);
    o.max_step = 0.25;
    tumen_result *r = NULL;
    tumen_error err = {0};
    if (tm_scenario_run(&fx->sc, &o, &r, &err) != TUMEN_OK)
        fail_msg("run: %s", err.message);
    return r;
}

static double arrival_at(const tumen_result *r, double position)
{
    for (size_t i = 0; i < r->n_timing_points; i++)
        if (fabs(r->timing_points[i].position - position) < 1e-6)
            return r->timing_points[i].arrival;
    fail_msg("no timing point at %g", position);
    return NAN;
}

static void done(fixture *fx, tumen_result *r)
{
    tumen_result_destroy(r);
    tm_train_release_derived(&fx->train);
}

/* The rule: the wire's electric mode, else diesel, else the primary; neutral cuts electric. */
static void test_mode_choice(void **state)
{
    (void)state;
    fixture fx;
    tm_traction_mode m[2] = {MODE_25KV, MODE_1500};
    make_vehicle(&fx, TM_POWER_DIESEL, TM_ELEC_NONE, F_DIESEL, m, 2);
    const tm_vehicle *v = &fx.vehicle;
    assert_int_equal(tm_vehicle_mode_under(v, TM_SUPPLY_DEFAULT), -1);
    assert_int_equal(tm_vehicle_mode_under(v, TM_SUPPLY_NONE), -1);
    assert_int_equal(tm_vehicle_mode_under(v, TM_SUPPLY_WIRE(TM_ELEC_AC_25K_50)), 0);
    assert_int_equal(tm_vehicle_mode_under(v, TM_SUPPLY_WIRE(TM_ELEC_DC_1500)), 1);
    assert_int_equal(tm_vehicle_mode_under(v, TM_SUPPLY_WIRE(TM_ELEC_DC_3000)), -1);
    assert_int_equal(tm_vehicle_mode_under(v, TM_SUPPLY_NEUTRAL(TM_ELEC_AC_25K_50)), -2);
    assert_int_equal(tm_vehicle_mode_under(v, TM_SUPPLY_NEUTRAL(TM_ELEC_DC_3000)), -1);
    tm_train_release_derived(&fx.train);
    /* An electric primary (25 kV) with a diesel mode: diesel off the wire. */
    tm_traction_mode d = {TM_POWER_DIESEL, TM_ELEC_NONE, NULL, 0, F_DIESEL, 0.0};
    make_vehicle(&fx, TM_POWER_ELECTRIC, TM_ELEC_AC_25K_50, F_25KV, &d, 1);
    assert_int_equal(tm_vehicle_mode_under(&fx.vehicle, TM_SUPPLY_NONE), 0);
    assert_int_equal(tm_vehicle_mode_under(&fx.vehicle, TM_SUPPLY_WIRE(TM_ELEC_AC_25K_50)), -1);
    assert_int_equal(tm_vehicle_mode_under(&fx.vehicle, TM_SUPPLY_WIRE(TM_ELEC_DC_1500)), 0);
    tm_train_release_derived(&fx.train);
    /* One electric mode: kept everywhere, cut only in a neutral section. */
    make_vehicle(&fx, TM_POWER_ELECTRIC, TM_ELEC_AC_25K_50, F_25KV, NULL, 0);
    assert_int_equal(tm_vehicle_mode_under(&fx.vehicle, TM_SUPPLY_NONE), -1);
    assert_int_equal(tm_vehicle_mode_under(&fx.vehicle, TM_SUPPLY_WIRE(TM_ELEC_DC_1500)), -1);
    assert_int_equal(tm_vehicle_mode_under(&fx.vehicle, TM_SUPPLY_NEUTRAL(TM_ELEC_AC_25K_50)),
                     -2);
    assert_near(tm_train_effort_supply(&fx.train, TM_SUPPLY_NEUTRAL(TM_ELEC_AC_25K_50), 10.0,
                                       10.0),
                0.0, 0.0);
    assert_near(tm_train_effort_supply(&fx.train, TM_SUPPLY_WIRE(TM_ELEC_AC_25K_50), 10.0, 10.0),
                F_25KV, 0.0);
    tm_train_release_derived(&fx.train);
}

/* A dual-mode train: 25 kV over [0, 1000), no wire over [1000, 3000), 1.5 kV beyond. */
static void test_dual_mode_run(void **state)
{
    (void)state;
    fixture fx;
    tm_traction_mode m[2] = {MODE_25KV, MODE_1500};
    make_vehicle(&fx, TM_POWER_DIESEL, TM_ELEC_NONE, F_DIESEL, m, 2);
    const double x[] = {0.0, 1000.0, 3000.0, 4000.0, 60000.0};
    const int supply[] = {TM_SUPPLY_WIRE(TM_ELEC_AC_25K_50), TM_SUPPLY_NONE,
                          TM_SUPPLY_WIRE(TM_ELEC_DC_1500), TM_SUPPLY_NONE};
    make_line(&fx, x, supply, 4);
    tumen_result *r = run(&fx);
    double a1 = F_25KV / MASS, a2 = F_DIESEL / MASS, a3 = F_1500 / MASS;
    double t1 = sqrt(2.0 * x[1] / a1), v1 = a1 * t1;
    double v2 = sqrt(v1 * v1 + 2.0 * a2 * (x[2] - x[1])), t2 = t1 + (v2 - v1) / a2;
    double v3 = sqrt(v2 * v2 + 2.0 * a3 * (x[3] - x[2])), t3 = t2 + (v3 - v2) / a3;
    assert_near(arrival_at(r, x[1]), t1, 1e-6);
    assert_near(arrival_at(r, x[2]), t2, 1e-6);
    assert_near(arrival_at(r, x[3]), t3, 1e-6);
    /* The traction applied in each stretch is that mode's force. */
    for (size_t i = 1; i < r->n_samples; i++) {
        const tumen_sample *s = &r->samples[i];
        if (s->mode != TUMEN_MODE_ACCELERATE)
            continue;
        double want = s->s <= x[1] ? F_25KV : s->s <= x[2] ? F_DIESEL : s->s <= x[3] ? F_1500
                                                                                   : F_DIESEL;
        if (fabs(s->s - x[1]) > 1e-6 && fabs(s->s - x[2]) > 1e-6 && fabs(s->s - x[3]) > 1e-6)
            assert_near(s->traction, want, 1e-6);
    }
    done(&fx, r);
}

/* Through a neutral section: an electric train keeps its speed (no resistance, level); a
 * diesel train goes on accelerating. */
static void test_neutral_section(void **state)
{
    (void)state;
    const double x[] = {0.0, 1000.0, 1300.0, 40000.0};
    const int supply[] = {TM_SUPPLY_WIRE(TM_ELEC_AC_25K_50),
                          TM_SUPPLY_NEUTRAL(TM_ELEC_AC_25K_50),
                          TM_SUPPLY_WIRE(TM_ELEC_AC_25K_50)};
    fixture fx;
    make_vehicle(&fx, TM_POWER_ELECTRIC, TM_ELEC_AC_25K_50, F_25KV, NULL, 0);
    make_line(&fx, x, supply, 3);
    tumen_result *r = run(&fx);
    double a = F_25KV / MASS, t1 = sqrt(2.0 * x[1] / a), v1 = a * t1;
    assert_near(arrival_at(r, x[1]), t1, 1e-6);
    assert_near(arrival_at(r, x[2]), t1 + (x[2] - x[1]) / v1, 1e-6);
    for (size_t i = 0; i < r->n_samples; i++)
        if (r->samples[i].s > x[1] + 1e-6 && r->samples[i].s < x[2] - 1e-6)
            assert_near(r->samples[i].traction, 0.0, 0.0);
    done(&fx, r);
    /* A dual-mode train whose diesel is primary still coasts: under 25 kV it runs electric. */
    tm_traction_mode m = MODE_25KV;
    make_vehicle(&fx, TM_POWER_DIESEL, TM_ELEC_NONE, F_DIESEL, &m, 1);
    make_line(&fx, x, supply, 3);
    r = run(&fx);
    assert_near(arrival_at(r, x[2]), t1 + (x[2] - x[1]) / v1, 1e-6);
    done(&fx, r);
    /* A diesel train is not cut. */
    make_vehicle(&fx, TM_POWER_DIESEL, TM_ELEC_NONE, F_DIESEL, NULL, 0);
    make_line(&fx, x, supply, 3);
    r = run(&fx);
    a = F_DIESEL / MASS;
    assert_near(arrival_at(r, x[2]), sqrt(2.0 * x[2] / a), 1e-6);
    done(&fx, r);
}

/* OSRD's realistic freight train (thermal default, 1500V and 25000V modes) keeps all
 * three; the high-speed train (1500V default, 25000V) keeps both, each with its curve. */
static void test_osrd_modes(void **state)
{
    (void)state;
    const char *dir = TUMEN_SHARED_DIR "/data/osrd/rolling_stocks/realistic";
    char path[512];
    snprintf(path, sizeof path, "%s/high-speed-train.json", dir);
    if (access(path, R_OK) != 0) {
        if (getenv("CI") && !strcmp(getenv("CI"), "true"))
            fail_msg("no shared data at %s", path);
        skip();
    }
    const char *names[] = {"freight-train.json", "high-speed-train.json"};
    const size_t want_modes[] = {2, 1};
    const tm_power_type want_power[] = {TM_POWER_DIESEL, TM_POWER_ELECTRIC};
    for (size_t k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        tm_import imp;
        tumen_error err = {0};
        if (tm_import_file(path, NULL, &imp, &err) != TUMEN_OK)
            fail_msg("import %s: %s", path, err.message);
        const tm_scenario *sc = imp.scenario;
        assert_int_equal(sc->n_vehicles, 1);
        const tm_vehicle *v = &sc->vehicles[0];
        assert_int_equal(v->power, want_power[k]);
        assert_int_equal(v->n_modes, want_modes[k]);
        for (size_t m = 0; m < v->n_modes; m++) {
            assert_int_equal(v->modes[m].power, TM_POWER_ELECTRIC);
            assert_true(v->modes[m].n_effort >= 2);
        }
        tm_import_free(&imp);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mode_choice),
        cmocka_unit_test(test_dual_mode_run),
        cmocka_unit_test(test_neutral_section),
        cmocka_unit_test(test_osrd_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
