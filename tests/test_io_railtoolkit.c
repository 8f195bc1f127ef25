/* test_io_railtoolkit.c: the railtoolkit reader against TrainRuns.jl's own test files
 * (shared/data/trainruns) and railtoolkit/schema's valid and invalid examples
 * (shared/data/railtoolkit-schema). Every test skips when the shared folder is absent.
 *
 * Reference values are TrainRuns.jl's docstrings (src/formulary.jl):
 *   calcTractionUnitResistance(15.0, freight) = 5461.127252 N,
 *   calcFreightWagonsResistance(15.0, freight) = 20900.732702639998 N,
 *   calcPassengerWagonsResistance(15.0, longdistance) = 14461.2708244928 N.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "formats/readers.h"
#include "physics/physics.h"
#include "model/model.h"
#include "model/scenario.h"
#include "support.h"
#include "tumen.h"

#define KMH (1.0 / 3.6)

static void assert_close(double got, double want, double rel)
{
    double tol = rel * fabs(want);
    if (tol < 1e-12)
        tol = 1e-12;
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.15g, want %.15g (rel tol %g)", got, want, rel);
}

/* Loads shared files (paths relative to shared/data); skips without the shared folder. */
static int load(tm_scenario **s, tumen_error *err, const char *a, const char *b)
{
    char pa[512], pb[512];
    if (!tm_test_shared_dir())
        tm_test_skip("../shared is missing");
    char ra[256], rb[256];
    snprintf(ra, sizeof ra, "data/%s", a);
    if (tm_test_shared_path(pa, sizeof pa, ra) != 0)
        tm_test_skip("a railtoolkit file of ../shared is missing");
    const char *paths[2] = {pa, pb};
    size_t n = 1;
    if (b) {
        snprintf(rb, sizeof rb, "data/%s", b);
        if (tm_test_shared_path(pb, sizeof pb, rb) != 0)
            tm_test_skip("a railtoolkit file of ../shared is missing");
        n = 2;
    }
    return tm_scenario_load(s, paths, n, err);
}

static void assert_loads(tm_scenario **s, const char *a, const char *b)
{
    tumen_error err;
    int rc = load(s, &err, a, b);
    if (rc != TUMEN_OK) {
        char msg[1024];
        tumen_error_format(&err, msg, sizeof msg);
        fail_msg("%s + %s: %s", a, b ? b : "-", msg);
    }
}

/* Resistance at v of the consist entries with (traction) or without (cars) traction. */
static double group_resistance(const tm_scenario *s, const tm_train *t, int traction,
                               double v)
{
    double f = 0.0;
    for (size_t i = 0; i < t->n_consist; i++) {
        const tm_vehicle *veh = &s->vehicles[t->consist[i].vehicle];
        if (veh->has_traction != traction)
            continue;
        /* The file's coefficients, as the reader keeps them, on the vehicle's mass. */
        tm_resistance r;
        tm_resistance_davis(&veh->resistance, veh->mass + veh->load, &r);
        f += t->consist[i].count * (r.a + r.b * v + r.c * v * v);
    }
    return f;
}

static void test_all_trains_on_all_paths(void **state)
{
    (void)state;
    static const char *const trains[] = {"freight", "local", "longdistance",
                                         "train_schema_2022"};
    static const char *const paths[] = {"const", "slope", "speed", "realworld",
                                        "path_schema_2022"};
    for (size_t i = 0; i < 4; i++) {
        for (size_t j = 0; j < 5; j++) {
            char a[128], b[128];
            snprintf(a, sizeof a, "trainruns/trains/%s.yaml", trains[i]);
            snprintf(b, sizeof b, "trainruns/paths/%s.yaml", paths[j]);
            tm_scenario *s = NULL;
            assert_loads(&s, a, b);
            assert_int_equal(s->n_trains, 1);
            assert_int_equal(s->n_lines, 1);
            assert_true(s->trains[0].has_traction);
            assert_true(s->lines[0].n_sections >= 1);
            assert_int_equal(s->lines[0].curve_law, TM_CURVE_NONE);
            assert_true(s->lines[0].points[0].stop);
            assert_true(s->lines[0].points[s->lines[0].n_points - 1].stop);
            tm_scenario_free(s);
        }
    }
}

static void test_freight_train(void **state)
{
    (void)state;
    tm_scenario *s = NULL;
    assert_loads(&s, "trainruns/trains/freight.yaml", NULL);
    const tm_train *t = &s->trains[0];
    assert_string_equal(t->id, "Fr100");
    /* DB V90 80 t + 10 Facs 124 of 25 t empty, 59 t load. */
    assert_close(t->mass, 920000.0, 1e-12);
    assert_close(t->tare_mass, 330000.0, 1e-12);
    double xi = (1.09 * 80.0 + 1.03 * 250.0) / 330.0;
    assert_close(t->rotating_mass_factor, xi, 1e-12);
    assert_close(t->effective_mass, 920000.0 * xi, 1e-12);
    assert_close(t->length, 14.32 + 10 * 19.04, 1e-12);
    assert_close(t->max_speed, 80.0 * KMH, 1e-12);
    assert_close(t->brake_deceleration, 0.225, 1e-12);
    assert_close(group_resistance(s, t, 1, 15.0), 5461.127252, 1e-9);
    assert_close(group_resistance(s, t, 0, 15.0), 20900.732702639998, 1e-12);
    /* Freight wagons: Strahl's form, no linear term. */
    assert_int_equal(s->vehicles[t->consist[1].vehicle].resistance.law, TM_RESIST_STRAHL);
    assert_true(s->vehicles[t->consist[1].vehicle].resistance.k1 == 0.0);
    assert_int_equal(t->consist[1].count, 10);
    /* Tractive effort: km/h -> m/s, first and last rows. */
    const tm_vehicle *loco = &s->vehicles[t->consist[0].vehicle];
    assert_int_equal(loco->resistance.law, TM_RESIST_WENDE_LOCO);
    assert_close(loco->effort[0].f, 186940.0, 1e-12);
    assert_close(loco->effort[loco->n_effort - 1].v, 80.0 * KMH, 1e-12);
    tm_scenario_free(s);
}

static void test_longdistance_train(void **state)
{
    (void)state;
    tm_scenario *s = NULL;
    assert_loads(&s, "trainruns/trains/longdistance.yaml", NULL);
    const tm_train *t = &s->trains[0];
    /* Traxx 85 t + 4 x (50 + 20) t + (58 + 20) t. */
    assert_close(t->mass, (85.0 + 4 * 70.0 + 78.0) * 1000.0, 1e-12);
    assert_close(t->tare_mass, (85.0 + 200.0 + 58.0) * 1000.0, 1e-12);
    double xi = (1.09 * 85.0 + 1.06 * 258.0) / 343.0;
    assert_close(t->rotating_mass_factor, xi, 1e-12);
    assert_close(t->max_speed, 160.0 * KMH, 1e-12);
    assert_close(t->brake_deceleration, 0.375, 1e-12);
    assert_close(group_resistance(s, t, 0, 15.0), 14461.2708244928, 1e-12);
    assert_int_equal(s->vehicles[t->consist[1].vehicle].resistance.law, TM_RESIST_SAUTHOFF);
    tm_scenario_free(s);
}

static void test_local_train(void **state)
{
    (void)state;
    tm_scenario *s = NULL;
    assert_loads(&s, "trainruns/trains/local.yaml", NULL);
    const tm_train *t = &s->trains[0];
    /* One Desiro (multiple unit) 68 t + 20 t load, a_braking -0.4253. */
    assert_int_equal(t->n_consist, 1);
    assert_close(t->mass, 88000.0, 1e-12);
    assert_close(t->tare_mass, 68000.0, 1e-12);
    assert_close(t->effective_mass, 88000.0 * 1.08, 1e-12);
    assert_close(t->brake_deceleration, 0.4253, 1e-12);
    assert_close(t->max_speed, 120.0 * KMH, 1e-12);
    /* Wende on the empty mass: m_td 45.333 t, m_tc 22.667 t. */
    double g = 9.80665, v = 15.0, v00 = 100.0 * KMH, dv = 15.0 * KMH;
    double want = 3.0e-3 * 45333.0 * g + 1.4e-3 * (68000.0 - 45333.0) * g +
                  3.9e-3 * 68000.0 * g * pow((v + dv) / v00, 2);
    assert_close(group_resistance(s, t, 1, v), want, 1e-12);
    tm_scenario_free(s);
}

static void test_path_sections_and_points(void **state)
{
    (void)state;
    tm_scenario *s = NULL;
    assert_loads(&s, "trainruns/paths/slope.yaml", NULL);
    const tm_line *l = &s->lines[0];
    assert_string_equal(l->id, "slope");
    assert_int_equal(l->n_sections, 11);
    assert_close(l->sections[0].start, 0.0, 0);
    assert_close(l->sections[10].end, 10000.0, 1e-12);
    assert_close(l->sections[1].gradient, 1e-3, 1e-12);
    assert_close(l->sections[6].gradient, -10e-3, 1e-12);
    assert_close(l->sections[0].speed_limit, 160.0 * KMH, 1e-12);
    /* 5 points of interest plus a stop at each end. */
    assert_int_equal(l->n_points, 7);
    assert_string_equal(l->points[0].name, "slope start");
    assert_true(l->points[0].stop);
    assert_string_equal(l->points[1].name, "view_point_1");
    assert_false(l->points[1].stop);
    assert_string_equal(l->points[5].name, "clearing_point_1");
    assert_true(l->points[5].rear);
    assert_string_equal(l->points[6].name, "slope end");
    assert_true(l->points[6].stop);
    tm_scenario_free(s);

    assert_loads(&s, "trainruns/paths/speed.yaml", NULL);
    assert_close(s->lines[0].sections[1].speed_limit, 60.0 * KMH, 1e-12);
    assert_close(s->lines[0].sections[8].end, 10000.0, 1e-12);
    tm_scenario_free(s);

    assert_loads(&s, "trainruns/paths/realworld.yaml", NULL);
    assert_close(s->lines[0].sections[s->lines[0].n_sections - 1].end, 101800.0, 1e-12);
    assert_int_equal(s->lines[0].n_points, 2);
    tm_scenario_free(s);
}

static void test_schema_valid_files(void **state)
{
    (void)state;
    tm_scenario *s = NULL;
    assert_loads(&s, "railtoolkit-schema/test/rolling-stock/valid/vehicles.yaml", NULL);
    assert_int_equal(s->n_vehicles, 1);
    assert_int_equal(s->n_trains, 0);
    assert_int_equal(s->vehicles[0].kind, TM_VEHICLE_WAGON);
    tm_scenario_free(s);

    /* 2024.07 object rows: a missing speed or resistance carries over. */
    assert_loads(&s, "railtoolkit-schema/test/running-path/valid/path.yaml", NULL);
    assert_int_equal(s->lines[0].n_sections, 3);
    assert_close(s->lines[0].sections[2].speed_limit, 1.0 * KMH, 1e-12);
    tm_scenario_free(s);

    assert_loads(&s, "railtoolkit-schema/test/running-path/valid/multiple_paths.yaml", NULL);
    assert_int_equal(s->n_lines, 1);
    assert_string_equal(s->lines[0].id, "1");
    tm_scenario_free(s);

    /* The documented example: two Desiros; TrainRuns.jl uses one for traction. */
    assert_loads(&s, "railtoolkit-schema/doc/rolling-stock.example.yaml", NULL);
    const tm_train *t = &s->trains[0];
    assert_int_equal(t->n_consist, 2);
    assert_close(t->mass, 2 * 88000.0, 1e-12);
    assert_int_equal(t->n_traction, 1);
    assert_false(s->vehicles[t->consist[1].vehicle].has_traction);
    tm_scenario_free(s);
}

static void assert_rejected(const char *file, const char *needle)
{
    tm_scenario *s = (tm_scenario *)&s;
    tumen_error err;
    int rc = load(&s, &err, file, NULL);
    if (rc == TUMEN_OK)
        fail_msg("%s was accepted", file);
    assert_null(s);
    assert_true(rc == TUMEN_EINPUT || rc == TUMEN_EPARSE);
    assert_int_equal(err.code, rc);
    assert_non_null(strstr(err.file, file));
    assert_true(err.message[0] != '\0');
    if (needle && !strstr(err.message, needle) && !strstr(err.field, needle))
        fail_msg("%s: '%s' not in \"%s: %s\"", file, needle, err.field, err.message);
}

static void test_schema_invalid_files(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"rolling-stock/invalid/formation_empty.yaml", "formation"},
        {"rolling-stock/invalid/formation_missing.yaml", "formation"},
        {"rolling-stock/invalid/length.yaml", "length"},
        {"rolling-stock/invalid/mass.yaml", "mass"},
        {"rolling-stock/invalid/minimal.yaml", "trains or vehicles"},
        {"rolling-stock/invalid/train_id.yaml", "id"},
        {"rolling-stock/invalid/train_name.yaml", "name"},
        {"rolling-stock/invalid/vehicle_id.yaml", "id"},
        {"rolling-stock/invalid/vehicle_name.yaml", "name"},
        {"rolling-stock/invalid/vehicle_type.yaml", "vehicle_type"},
        {"running-path/invalid/incomplete_section.yaml", "speed or a resistance"},
        {"running-path/invalid/missing_id.yaml", "id"},
        {"running-path/invalid/missing_sections.yaml", "characteristic_sections"},
        {"running-path/invalid/no_two_items_section.yaml", "two rows"},
        {"running-path/invalid/not_null_speed.yaml", "speed"},
        {"running-path/invalid/not_unique_CS.yaml", "two characteristic sections"},
        {"running-path/invalid/not_unique_path.yaml", "duplicate path id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char file[256];
        snprintf(file, sizeof file, "railtoolkit-schema/test/%s", cases[i][0]);
        assert_rejected(file, cases[i][1]);
    }
}

static void test_trainruns_broken_files(void **state)
{
    (void)state;
    assert_rejected("trainruns/paths/broken.yaml", "list");
    assert_rejected("trainruns/paths/missing_path.yml", "paths");
    assert_rejected("trainruns/paths/missing_schema.yml", "schema");
    assert_rejected("trainruns/paths/missing_schema_version.yml", "schema_version");
    /* Schema-valid but not loadable: its formation names a vehicle no file defines
     * (TrainRuns.jl refuses it too), and measure: middle has no tumen equivalent. */
    assert_rejected("railtoolkit-schema/test/rolling-stock/valid/trains.yaml", "not a vehicle");
    assert_rejected("railtoolkit-schema/doc/running-path.example.yaml", "middle");
}

static void test_error_position(void **state)
{
    (void)state;
    tm_scenario *s = NULL;
    tumen_error err;
    int rc = load(&s, &err, "railtoolkit-schema/test/rolling-stock/invalid/vehicle_type.yaml",
                  NULL);
    assert_int_equal(rc, TUMEN_EINPUT);
    assert_int_equal(err.line, 8);
    assert_string_equal(err.field, "vehicles[0].vehicle_type");
    assert_non_null(strstr(err.message, "cargo"));
}

/* A file with several trains: every train after the first is checked (its name read into a
 * scratch train) and then dropped. The scratch train once started uninitialised, so reading
 * a second train's name freed a stray pointer (found by fuzz_scenario) or leaked the name
 * (the ASan build's leak check fails this test on that code); an error in the second train
 * still names its own line and field. */
static void test_second_train(void **state)
{
    (void)state;
    static const char stock[] =
        "schema: https://railtoolkit.org/schema/rolling-stock.json\n"
        "schema_version: \"2022.05\"\n"
        "trains:\n"
        "  - name: first train\n"
        "    id: T1\n"
        "    formation: [L]\n"
        "  - name: second train\n"
        "    id: T2\n"
        "%s"
        "vehicles:\n"
        "  - name: l\n"
        "    id: L\n"
        "    vehicle_type: traction unit\n"
        "    power_type: electric\n"
        "    length: 18.9\n"
        "    mass: 85\n"
        "    mass_traction: 80\n"
        "    speed_limit: 160\n"
        "    a_braking: -0.5\n"
        "    base_resistance: 2.5\n"
        "    air_resistance: 6.0\n"
        "    tractive_effort: [[0.0, 300000], [66.0, 300000], [160.0, 124690]]\n";
    char text[2048];
    tumen_scenario *sc = NULL;
    tumen_error err = {0};
    snprintf(text, sizeof text, stock, "    formation: [L]\n");
    assert_int_equal(tumen_scenario_load_text(&sc, "stock.yaml", text, strlen(text), &err),
                     TUMEN_OK);
    tumen_scenario_destroy(sc);
    sc = NULL;
    snprintf(text, sizeof text, stock, "");
    assert_int_equal(tumen_scenario_load_text(&sc, "stock.yaml", text, strlen(text), &err),
                     TUMEN_EINPUT);
    assert_null(sc);
    assert_int_equal(err.line, 7);
    assert_string_equal(err.field, "trains[1].formation");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_trains_on_all_paths),
        cmocka_unit_test(test_freight_train),
        cmocka_unit_test(test_longdistance_train),
        cmocka_unit_test(test_local_train),
        cmocka_unit_test(test_path_sections_and_points),
        cmocka_unit_test(test_schema_valid_files),
        cmocka_unit_test(test_schema_invalid_files),
        cmocka_unit_test(test_trainruns_broken_files),
        cmocka_unit_test(test_error_position),
        cmocka_unit_test(test_second_train),
    };
    return tm_test_exit(cmocka_run_group_tests_name("io_railtoolkit", tests, NULL, NULL));
}
