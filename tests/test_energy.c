/* test_energy.c: the energy accounting of a run, as docs/physics.md ("Energy accounting")
 * states it once: wheel traction work E (positive traction only), braking work at the wheel,
 * and the energy from the supply E_supply = E / eta_t - rho W_regen with W_regen the braking
 * work the regenerative brake takes. Checked on a two-leg journey driven eco, against sums
 * taken independently from the trajectory (forces times distance), and in the JSON keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/readers.h"
#include "model/scenario.h"
#include "run/run.h"
#include "support.h"
#include "tumen.h"

#define ETA_T 0.85 /* traction.efficiency */
#define RHO 0.6    /* brake.regenerative */

static const char scenario[] =
    "vehicles:\n"
    "  - {id: emu, kind: multiple_unit, power: electric, mass: 200 t, length: 100 m,\n"
    "     max_speed: 140 km/h,\n"
    "     traction: {max_force: 200 kN, max_power: 3000 kW, efficiency: 0.85},\n"
    "     resistance: {law: davis, a: 2 kN, b: 30 N/(km/h), c: 0.6 N/(km/h)^2},\n"
    "     brake: {deceleration: 0.6 m/s2, regenerative: 0.6}}\n"
    "trains:\n"
    "  - {id: t, consist: \"emu\"}\n"
    "lines:\n"
    "  - id: a\n"
    "    sections:\n"
    "      - {from: 0 km, to: 6 km, speed_limit: 140 km/h, gradient: 0}\n"
    "      - {from: 6 km, to: 10 km, speed_limit: 100 km/h, gradient: -12 permille}\n"
    "      - {from: 10 km, to: 16 km, speed_limit: 140 km/h, gradient: 6 permille}\n"
    "    points:\n"
    "      - {name: M, at: 8 km, stop: true, dwell: 30 s}\n"
    "  - id: b\n"
    "    sections:\n"
    "      - {from: 0 km, to: 9 km, speed_limit: 120 km/h, gradient: 4 permille}\n"
    "journey:\n"
    "  legs:\n"
    "    - {train: t, line: a}\n"
    "    - {train: t, line: b, change: reverse, change_time: 2 min}\n";

/* Traction and braking work at the wheel of leg `leg`, from the trajectory (a sample's forces
 * are those at the end of the motion that ends there). */
static void works(const tumen_result *r, int leg, double *traction, double *braking)
{
    *traction = *braking = 0.0;
    for (size_t i = 1; i < r->n_samples; i++) {
        const tumen_sample *a = &r->samples[i - 1], *b = &r->samples[i];
        if (b->leg != leg || a->leg != leg)
            continue;
        /* Within one mode the trapezoid; where the mode changes, the forces of the motion
         * that ends at b. */
        double ds = b->s - a->s, w = a->mode == b->mode ? 0.5 : 0.0;
        *traction += (w * a->traction + (1.0 - w) * b->traction) * ds;
        *braking += (w * a->brake + (1.0 - w) * b->brake) * ds;
    }
}

static double key(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    if (!json_is_number(v))
        fail_msg("no number '%s' in the JSON", name);
    return json_number_value(v);
}

static void test_energy_accounting(void **state)
{
    (void)state;
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    if (tm_scenario_load_text(&sc, "energy.yaml", scenario, strlen(scenario), &err) != TUMEN_OK)
        fail_msg("energy.yaml:%d: %s: %s", err.line, err.field, err.message);
    tumen_run_options o;
    tumen_run_options_init(&o);
    assert_int_equal(tumen_allowance_parse("8%", &o.allowance, &err), TUMEN_OK);
    o.driving = TUMEN_DRIVING_ECO;
    tumen_result *r = NULL;
    if (tm_scenario_run(sc, &o, &r, &err) != TUMEN_OK)
        fail_msg("%s", err.message);
    char *text = NULL;
    size_t length = 0;
    assert_int_equal(tumen_result_json(r, &text, &length, &err), TUMEN_OK);
    json_error_t je;
    json_t *root = json_loadb(text, length, 0, &je);
    assert_non_null(root);
    json_t *legs = json_object_get(root, "legs");
    assert_int_equal(json_array_size(legs), 2);
    double sum[3] = {0, 0, 0};
    for (size_t k = 0; k < 2; k++) {
        json_t *l = json_array_get(legs, k);
        double e = key(l, "energy_j"), supply = key(l, "energy_supply_j");
        double regen = key(l, "energy_regenerated_j"), tr, br;
        works(r, (int)k, &tr, &br);
        print_message("leg %zu: wheel %.3f kWh (trajectory %.3f), braking %.3f kWh, "
                      "regenerated %.3f kWh, supply %.3f kWh\n",
                      k + 1, e / 3.6e6, tr / 3.6e6, br / 3.6e6, regen / 3.6e6, supply / 3.6e6);
        /* The wheel work is the traction force over distance. */
        assert_true(fabs(e - tr) < 0.01 * e);
        /* No regenerative limits: the regenerative brake takes all the braking work, and
         * rho of it returns (to 5 %: the trajectory has one sample at the end of each
         * braking curve, where the brake force is highest, so its sum is a little high). */
        assert_true(br > 0.0);
        assert_true(regen > 0.0 && fabs(regen - RHO * br) < 0.05 * RHO * br);
        /* The supply energy, as stated. */
        assert_true(fabs(supply - (e / ETA_T - regen)) < 1e-9 * e);
        /* The minimum-time run's, and the saving against it. */
        assert_true(fabs(key(l, "energy_saving_j") -
                         (key(l, "min_time_energy_j") > 0.0
                              ? r->legs[k].min_time_energy_supply - supply
                              : NAN)) < 1e-6 * e);
        sum[0] += e;
        sum[1] += supply;
        sum[2] += regen;
    }
    /* The journey's totals are the legs' sums. */
    assert_true(fabs(key(root, "energy_j") - sum[0]) < 1e-9 * sum[0]);
    assert_true(fabs(key(root, "energy_supply_j") - sum[1]) < 1e-9 * sum[0]);
    assert_true(fabs(key(root, "energy_regenerated_j") - sum[2]) < 1e-9 * sum[0]);
    assert_true(fabs(key(root, "energy_kwh") * 3.6e6 - sum[0]) < 1e-9 * sum[0]);
    assert_true(fabs(key(root, "energy_saving_j") - (key(root, "min_time_energy_supply_j") -
                                                     key(root, "energy_supply_j"))) <
                1e-9 * sum[0]);
    json_decref(root);
    tumen_free(text);
    tumen_result_destroy(r);
    tm_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_energy_accounting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
