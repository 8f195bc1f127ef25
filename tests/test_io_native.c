/* test_io_native.c: the tumen YAML reader (docs/formats.md) on a complete small scenario
 * given inline, and on one broken variant per kind of mistake, each checked for its error
 * code, line and field. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/readers.h"
#include "model/model.h"
#include "model/scenario.h"
#include "physics/physics.h"
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

/* Line numbers below refer to this text: keep it in step with the tests. */
static const char scenario[] =
    "vehicles:\n"                                                        /*  1 */
    "  - id: 2TE116\n"                                                   /*  2 */
    "    name: \"2TE116 diesel, two sections\"\n"                        /*  3 */
    "    kind: locomotive\n"                                             /*  4 */
    "    power: diesel\n"                                                /*  5 */
    "    mass: 272 t\n"                                                  /*  6 */
    "    length: 36.3 m\n"                                               /*  7 */
    "    axles: 12\n"                                                    /*  8 */
    "    max_speed: 100 km/h\n"                                          /*  9 */
    "    traction: {max_force: 500 kN, max_power: 4500 kW}\n"            /* 10 */
    "    resistance: {law: wende_locomotive, f_driving: 2.5 permille,\n" /* 11 */
    "                 f_air: 6 permille, dv: 15 km/h}\n"                 /* 12 */
    "    brake: {weight: 180 t}\n"                                       /* 13 */
    "  - id: coach\n"                                                    /* 14 */
    "    kind: coach\n"                                                  /* 15 */
    "    mass: 55 t\n"                                                   /* 16 */
    "    load: 5 t\n"                                                    /* 17 */
    "    length: 24.5 m\n"                                               /* 18 */
    "    resistance: {law: davis, a: 1 kN, b: 10 N/(km/h), c: 0.2 N/(km/h)^2}\n" /* 19 */
    "    brake: {weight: 50 t, deceleration: 0.5 m/s2}\n"                /* 20 */
    "trains:\n"                                                          /* 21 */
    "  - id: special\n"                                                  /* 22 */
    "    consist: \"2TE116 + 3 x coach\"\n"                              /* 23 */
    "    max_speed: 60 km/h\n"                                           /* 24 */
    "  - id: listed\n"                                                   /* 25 */
    "    consist:\n"                                                     /* 26 */
    "      - vehicle: 2TE116\n"                                          /* 27 */
    "      - {vehicle: coach, count: 2}\n"                               /* 28 */
    "      - coach\n"                                                    /* 29 */
    "lines:\n"                                                           /* 30 */
    "  - id: khasan\n"                                                   /* 31 */
    "    name: Khasan - Baranovsky\n"                                    /* 32 */
    "    braking_distance: 1000 m\n"                                     /* 33 */
    "    sections:\n"                                                    /* 34 */
    "      - {from: 0 km, to: 12 km, speed_limit: 60 km/h, gradient: 4 permille}\n" /* 35 */
    "      - {to: 20 km, speed_limit: 80 km/h, gradient: -6 permille, radius: 600 m}\n" /* 36 */
    "      - {length: 5 km, speed_limit: 50 km/h}\n"                     /* 37 */
    "    points:\n"                                                      /* 38 */
    "      - {name: Olenevod, at: 12 km}\n"                              /* 39 */
    "      - {name: Khasan, at: 0 km, stop: true}\n"                     /* 40 */
    "      - {name: Signal, at: 20 km, measure: rear}\n"                 /* 41 */
    "      - {name: Halt, at: 22 km, dwell: 2 min}\n"                    /* 42 */
    "journey:\n"                                                         /* 43 */
    "  name: Special\n"                                                  /* 44 */
    "  departure: \"06:30\"\n"                                           /* 45 */
    "  legs:\n"                                                          /* 46 */
    "    - {train: special, line: khasan}\n"                             /* 47 */
    "    - {train: listed, line: khasan, change: bogie exchange, change_time: 2 h}\n"; /* 48 */

static tm_scenario *load_ok(const char *text)
{
    tm_scenario *s = NULL;
    tumen_error err;
    int rc = tm_scenario_load_text(&s, "inline.yaml", text, strlen(text), &err);
    if (rc != TUMEN_OK) {
        char msg[1024];
        tumen_error_format(&err, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    return s;
}

static void test_complete_scenario(void **state)
{
    (void)state;
    tm_scenario *s = load_ok(scenario);
    assert_int_equal(s->n_vehicles, 2);
    const tm_vehicle *loco = &s->vehicles[0], *coach = &s->vehicles[1];
    assert_string_equal(loco->name, "2TE116 diesel, two sections");
    assert_int_equal(loco->kind, TM_VEHICLE_LOCOMOTIVE);
    assert_int_equal(loco->power, TM_POWER_DIESEL);
    assert_close(loco->mass, 272000.0, 1e-12);
    assert_int_equal(loco->axles, 12);
    assert_int_equal(loco->gauge, 0);
    assert_close(loco->max_speed, 100.0 * KMH, 1e-12);
    assert_close(loco->max_force, 500e3, 1e-12);
    assert_close(loco->max_power, 4500e3, 1e-12);
    assert_close(tm_vehicle_rotating_mass_factor(loco), 1.09, 1e-12);
    assert_close(loco->brake_weight, 180000.0, 1e-12);
    /* Wende, all axles driven: F = g m (2.5e-3 + 6e-3 ((v + dv)/100 km/h)^2). */
    tm_resistance want, got;
    tm_resistance_wende_loco(272000.0, 0.0, 2.5e-3, 0.0, 6e-3, 15.0 * KMH, &want);
    assert_int_equal(loco->resistance.law, TM_RESIST_WENDE_LOCO);
    /* The reader keeps the file's coefficients; physics applies them to the mass. */
    assert_close(loco->resistance.k0, 2.5e-3, 1e-12);
    assert_close(loco->resistance.k2, 6e-3, 1e-12);
    assert_true(loco->resistance.driving_mass < 0.0); /* not given: all axles driven */
    tm_resistance_davis(&loco->resistance, loco->mass + loco->load, &got);
    assert_close(got.a, want.a, 1e-12);
    assert_close(got.c, want.c, 1e-12);
    assert_string_equal(coach->name, "coach");
    assert_close(coach->load, 5000.0, 1e-12);
    assert_close(tm_vehicle_rotating_mass_factor(coach), 1.06, 1e-12);
    assert_close(coach->resistance.a, 1000.0, 1e-12);
    assert_close(coach->resistance.b, 36.0, 1e-12);
    assert_close(coach->resistance.c, 0.2 * 3.6 * 3.6, 1e-12);
    assert_close(coach->brake_deceleration, 0.5, 1e-12);

    assert_int_equal(s->n_trains, 2);
    const tm_train *t = &s->trains[0];
    assert_int_equal(t->n_consist, 2);
    assert_int_equal(t->consist[1].count, 3);
    assert_close(t->max_speed_given, 60.0 * KMH, 1e-12);
    assert_close(t->mass, 272000.0 + 3 * 60000.0, 1e-12);
    assert_close(t->length, 36.3 + 3 * 24.5, 1e-12);
    assert_close(t->max_speed, 60.0 * KMH, 1e-12);
    assert_int_equal(s->trains[1].n_consist, 3);
    assert_int_equal(s->trains[1].consist[1].count, 2);
    assert_int_equal(s->trains[1].consist[2].vehicle, 1);

    const tm_line *l = &s->lines[0];
    assert_int_equal(l->n_sections, 3);
    assert_close(l->sections[1].start, 12000.0, 1e-12);
    assert_close(l->sections[1].gradient, -0.006, 1e-12);
    assert_close(l->sections[1].radius, 600.0, 1e-12);
    assert_close(l->sections[2].end, 25000.0, 1e-12);
    assert_int_equal(l->curve_law, TM_CURVE_ROECKL);
    assert_close(l->braking_distance, 1000.0, 1e-12);
    /* Sorted; Khasan is the start; an end stop is added at 25 km. */
    assert_int_equal(l->n_points, 5);
    assert_string_equal(l->points[0].name, "Khasan");
    assert_true(l->points[0].stop);
    assert_string_equal(l->points[1].name, "Olenevod");
    assert_false(l->points[1].stop);
    assert_true(l->points[2].rear);
    assert_true(l->points[3].stop);
    assert_close(l->points[3].dwell, 120.0, 1e-12);
    assert_string_equal(l->points[4].name, "khasan end");
    assert_true(l->points[4].stop);
    assert_close(l->points[4].position, 25000.0, 1e-12);

    assert_true(s->has_journey);
    assert_string_equal(s->journey.name, "Special");
    assert_close(s->journey.departure, 6.5 * 3600.0, 1e-12);
    assert_int_equal(s->journey.n_legs, 2);
    assert_int_equal(s->journey.legs[1].train, 1);
    assert_string_equal(s->journey.legs[1].change, "bogie exchange");
    assert_close(s->journey.legs[1].change_time, 7200.0, 1e-12);
    tm_scenario_free(s);
}

/* The scenario with the first occurrence of `from` replaced by `to`. */
static char *edited(const char *from, const char *to)
{
    const char *at = strstr(scenario, from);
    if (!at)
        fail_msg("'%s' is not in the scenario", from);
    size_t head = (size_t)(at - scenario), n = strlen(scenario) - strlen(from) + strlen(to);
    char *text = malloc(n + 1);
    assert_non_null(text);
    memcpy(text, scenario, head);
    strcpy(text + head, to);
    strcat(text, at + strlen(from));
    return text;
}

static void expect_error_text(const char *text, size_t length, int code, int line,
                              const char *field, const char *needle)
{
    tm_scenario *s = (tm_scenario *)&s;
    tumen_error err;
    int rc = tm_scenario_load_text(&s, "bad.yaml", text, length, &err);
    char msg[1024];
    tumen_error_format(&err, msg, sizeof msg);
    if (rc != code)
        fail_msg("code %d, want %d: %s", rc, code, msg);
    assert_null(s);
    assert_int_equal(err.code, code);
    assert_string_equal(err.file, "bad.yaml");
    if (err.line != line)
        fail_msg("line %d, want %d: %s", err.line, line, msg);
    if (field)
        assert_string_equal(err.field, field);
    if (needle && !strstr(err.message, needle))
        fail_msg("'%s' not in: %s", needle, msg);
}

static void expect_error(const char *from, const char *to, int code, int line,
                         const char *field, const char *needle)
{
    char *text = edited(from, to);
    expect_error_text(text, strlen(text), code, line, field, needle);
    free(text);
}

static void test_missing_field(void **state)
{
    (void)state;
    expect_error("    mass: 55 t\n", "", TUMEN_EINPUT, 14, "vehicles[1].mass",
                 "missing required field 'mass'");
    expect_error("    kind: coach\n", "", TUMEN_EINPUT, 14, "vehicles[1].kind", "missing");
    expect_error("{to: 20 km, speed_limit: 80 km/h,", "{to: 20 km,", TUMEN_EINPUT, 36,
                 "lines[0].sections[1].speed_limit", "missing");
    expect_error("    traction: {max_force: 500 kN, max_power: 4500 kW}\n", "", TUMEN_EINPUT, 2,
                 "vehicles[0].traction", "traction");
}

static void test_wrong_unit(void **state)
{
    (void)state;
    expect_error("mass: 272 t", "mass: 272 km", TUMEN_EINPUT, 6, "vehicles[0].mass",
                 "unknown unit 'km'");
    expect_error("max_speed: 60 km/h", "max_speed: 60 kN", TUMEN_EINPUT, 24,
                 "trains[0].max_speed", "accepted: km/h, m/s");
    expect_error("gradient: 4 permille", "gradient: 4 degrees", TUMEN_EINPUT, 35,
                 "lines[0].sections[0].gradient", "unknown unit");
}

static void test_bad_values(void **state)
{
    (void)state;
    expect_error("mass: 272 t", "mass: -272 t", TUMEN_EINPUT, 6, "vehicles[0].mass",
                 "greater than 0");
    expect_error("mass: 55 t", "mass: 0 t", TUMEN_EINPUT, 16, "vehicles[1].mass",
                 "greater than 0");
    expect_error("length: 24.5 m", "length: -1 m", TUMEN_EINPUT, 18, "vehicles[1].length",
                 "greater than 0");
    expect_error("speed_limit: 50 km/h", "speed_limit: 0 km/h", TUMEN_EINPUT, 37,
                 "lines[0].sections[2].speed_limit", "greater than 0");
    expect_error("kind: coach", "kind: carriage", TUMEN_EINPUT, 15, "vehicles[1].kind",
                 "unknown kind 'carriage'");
    expect_error("departure: \"06:30\"", "departure: \"25:00\"", TUMEN_EINPUT, 45,
                 "journey.departure", "HH:MM");
    expect_error("    length: 36.3 m\n", "    length: 36.3 m\n    colour: green\n",
                 TUMEN_EINPUT, 8, "vehicles[0].colour", "unknown key 'colour'");
    expect_error("vehicles:\n", "version: 2\nvehicles:\n", TUMEN_EINPUT, 1, "version",
                 "unknown key 'version'");
}

static void test_sections(void **state)
{
    (void)state;
    expect_error("{to: 20 km,", "{from: 11 km, to: 20 km,", TUMEN_EINPUT, 36,
                 "lines[0].sections[1]", "overlaps");
    expect_error("{to: 20 km,", "{from: 13 km, to: 20 km,", TUMEN_EINPUT, 36,
                 "lines[0].sections[1]", "gap");
    expect_error("{to: 20 km,", "{to: 10 km,", TUMEN_EINPUT, 36, "lines[0].sections[1]",
                 "not after its start");
    expect_error("at: 22 km", "at: 26 km", TUMEN_EINPUT, 42, "lines[0].points[3]",
                 "outside the line");
}

static void test_references(void **state)
{
    (void)state;
    expect_error("\"2TE116 + 3 x coach\"", "\"2TE116 + 3 x sleeper\"", TUMEN_EINPUT, 23,
                 "trains[0].consist", "unknown vehicle 'sleeper'");
    expect_error("{vehicle: coach, count: 2}", "{vehicle: caoch, count: 2}", TUMEN_EINPUT, 28,
                 "trains[1].consist[1].vehicle", "unknown vehicle 'caoch'");
    expect_error("\"2TE116 + 3 x coach\"", "\"2TE116 + + coach\"", TUMEN_EINPUT, 23,
                 "trains[0].consist", "empty entry");
    expect_error("{train: special, line: khasan}", "{train: special, line: tumen}",
                 TUMEN_EINPUT, 47, "journey.legs[0].line", "unknown line 'tumen'");
    expect_error("{train: listed,", "{train: lsted,", TUMEN_EINPUT, 48,
                 "journey.legs[1].train", "unknown train 'lsted'");
    expect_error("  - id: coach\n", "  - id: 2TE116\n", TUMEN_EINPUT, 14, "vehicles[1].id",
                 "duplicate vehicle id '2TE116'");
    expect_error("  - id: listed\n", "  - id: special\n", TUMEN_EINPUT, 25, "trains[1].id",
                 "duplicate train id");
}

static void test_malformed_files(void **state)
{
    (void)state;
    /* Truncated inside a flow mapping: libyaml's error and line. */
    const char *cut = strstr(scenario, "f_air: 6 permille");
    expect_error_text(scenario, (size_t)(cut - scenario), TUMEN_EPARSE, 12, NULL,
                      "YAML syntax error");
    expect_error_text("", 0, TUMEN_EPARSE, 0, NULL, "empty");
    expect_error_text("# only a comment\n", 17, TUMEN_EPARSE, 0, NULL, "empty");
    expect_error_text("\x7f" "ELF\x02\x01\x01\x00\x00", 9, TUMEN_EPARSE, 1, NULL, NULL);
    expect_error_text("just some words\n", 16, TUMEN_EPARSE, 1, NULL, "mapping");
    expect_error_text("- a\n- b\n", 8, TUMEN_EPARSE, 1, NULL, "mapping");
    expect_error_text("vehicles: [\n", 12, TUMEN_EPARSE, 1, NULL, "YAML syntax error");
    expect_error_text("a: 1\n---\nb: 2\n", 14, TUMEN_EPARSE, 2, NULL, "more than one");
    expect_error_text("vehicles: []\nvehicles: []\n", 26, TUMEN_EINPUT, 2, NULL, "duplicate");
    expect_error_text("{}\n", 3, TUMEN_EINPUT, 1, NULL, "holds no");
}

static void test_alias_bomb(void **state)
{
    (void)state;
    /* Nine levels of ten aliases each: 10^9 nodes once expanded. */
    char text[2048];
    size_t n = (size_t)snprintf(text, sizeof text, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "a%d: &a%d [", i, i);
        for (int j = 0; j < 10; j++)
            n += (size_t)snprintf(text + n, sizeof text - n, "*a%d%s", i - 1, j < 9 ? ", " : "");
        n += (size_t)snprintf(text + n, sizeof text - n, "]\n");
    }
    expect_error_text(text, n, TUMEN_EPARSE, 6, NULL, "aliases");
    const char *cycle = "vehicles: &v [*v]\n";
    expect_error_text(cycle, strlen(cycle), TUMEN_EPARSE, 1, NULL, "contains it");
    char deep[400];
    memset(deep, '[', 200);
    memset(deep + 200, ']', 200);
    char *nested = malloc(420);
    assert_non_null(nested);
    n = (size_t)snprintf(nested, 420, "a: %.*s\n", 400, deep);
    expect_error_text(nested, n, TUMEN_EPARSE, 1, NULL, "nested");
    free(nested);
}

static void test_aliases_allowed(void **state)
{
    (void)state;
    /* Small aliases are ordinary YAML and read as copies. */
    char *text = edited("    resistance: {law: davis, a: 1 kN, b: 10 N/(km/h), c: 0.2 N/(km/h)^2}\n",
                        "    resistance: &r {law: davis, a: 1 kN}\n");
    char *more = malloc(strlen(text) + 200);
    assert_non_null(more);
    const char *at = strstr(text, "trains:\n");
    size_t head = (size_t)(at - text);
    memcpy(more, text, head);
    strcpy(more + head, "  - {id: coach2, kind: coach, mass: 50 t, length: 24 m, resistance: *r}\n");
    strcat(more, at);
    tm_scenario *s = load_ok(more);
    assert_int_equal(s->n_vehicles, 3);
    assert_close(s->vehicles[2].resistance.a, 1000.0, 1e-12);
    tm_scenario_free(s);
    free(more);
    free(text);
}

static void test_laws(void **state)
{
    (void)state;
#define WAGON_HEAD                                                                       \
    "vehicles:\n  - id: w\n    kind: wagon\n    mass: 20 t\n    load: 60 t\n"             \
    "    length: 14 m\n    resistance: "
    static const char *const laws[] = {
        "{law: strahl, c0: 1.6 permille, k: 0.025 permille, dv: 0 km/h}",
        "{law: sauthoff, f0: 1.9 permille, f1: 0.4 permille, f2: 1.2 permille}",
        "{law: table, table: [[0 km/h, 2 kN], [100 km/h, 10 kN]]}",
        "{law: davis, c: 1 N/(m/s)^2, table: [[0, 1]]}",
    };
    tm_resistance want[2];
    tm_resistance_strahl(80000.0, 1.6e-3, 0.025e-3, 0.0, &want[0]);
    tm_resistance_sauthoff(80000.0, 1.9e-3, 0.4e-3, 1.2e-3, 15.0 * KMH, &want[1]);
    for (size_t i = 0; i < 4; i++) {
        char text[512];
        snprintf(text, sizeof text, "%s%s\n", WAGON_HEAD, laws[i]);
        tm_scenario *s = load_ok(text);
        const tm_resistance *r = &s->vehicles[0].resistance;
        if (i < 2) {
            tm_resistance got;
            tm_resistance_davis(r, s->vehicles[0].mass + s->vehicles[0].load, &got);
            assert_int_equal(r->law, want[i].law);
            assert_close(got.a, want[i].a, 1e-12);
            assert_close(got.b, want[i].b, 1e-12);
            assert_close(got.c, want[i].c, 1e-12);
        } else {
            assert_int_equal(r->n_table, 2 - (i == 3));
            assert_close(r->table[0].f, i == 2 ? 2000.0 : 1000.0, 1e-12);
        }
        tm_scenario_free(s);
    }
    const char *gauged = WAGON_HEAD "{law: davis, a: 1 kN}\n    gauge: 1520 mm\n"
                                    "    electrification: 25kV 50Hz\n";
    tm_scenario *s = load_ok(gauged);
    assert_int_equal(s->vehicles[0].gauge, 1520);
    assert_int_equal(s->vehicles[0].electrification, TM_ELEC_AC_25K_50);
    tm_scenario_free(s);
    const char *bad = WAGON_HEAD "{law: davis, a: 1 kN}\n    electrification: 42 Hz\n";
    expect_error_text(bad, strlen(bad), TUMEN_EINPUT, 8, "vehicles[0].electrification",
                      "unknown electrification '42 Hz'");
    const char *text = WAGON_HEAD "{law: strahl, c0: 1.6 permille, f2: 1}\n";
    expect_error_text(text, strlen(text), TUMEN_EINPUT, 7, "vehicles[0].resistance.f2",
                      "unknown key 'f2'");
}

static void test_files_and_usage(void **state)
{
    (void)state;
    tm_scenario *s = NULL;
    tumen_error err;
    const char *missing[] = {"/nonexistent/tumen.yaml"};
    assert_int_equal(tm_scenario_load(&s, missing, 1, &err), TUMEN_EIO);
    assert_string_equal(err.file, "/nonexistent/tumen.yaml");
    assert_null(s);
    assert_int_equal(tm_scenario_load(&s, missing, 0, &err), TUMEN_EUSAGE);
    assert_int_equal(tm_scenario_load(NULL, missing, 1, &err), TUMEN_EUSAGE);
    tm_scenario_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complete_scenario), cmocka_unit_test(test_missing_field),
        cmocka_unit_test(test_wrong_unit),        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_sections),          cmocka_unit_test(test_references),
        cmocka_unit_test(test_malformed_files),   cmocka_unit_test(test_alias_bomb),
        cmocka_unit_test(test_aliases_allowed),   cmocka_unit_test(test_laws),
        cmocka_unit_test(test_files_and_usage),
    };
    return cmocka_run_group_tests_name("io_native", tests, NULL, NULL);
}
