/* test_units.c: tm_parse_quantity (core/units.c): every dimension with each accepted unit,
 * the default unit of a bare number, and the errors for unknown units and non-numbers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/units.h"

#define G0 9.80665

typedef struct unit_case {
    tm_dim dim;
    const char *text;
    double si;
} unit_case;

static void assert_quantity(tm_dim dim, const char *text, double want)
{
    double got = NAN;
    char why[256] = "";
    if (tm_parse_quantity(text, dim, &got, why, sizeof why) != 0)
        fail_msg("'%s' (dim %d) refused: %s", text, (int)dim, why);
    double tol = 1e-12 * fabs(want);
    if (!(fabs(got - want) <= (tol > 1e-15 ? tol : 1e-15)))
        fail_msg("'%s' (dim %d): got %.15g, want %.15g", text, (int)dim, got, want);
}

static void test_every_unit(void **state)
{
    (void)state;
    static const unit_case cases[] = {
        {TM_DIM_LENGTH, "12 m", 12.0},
        {TM_DIM_LENGTH, "1.5 km", 1500.0},
        {TM_DIM_LENGTH, "1435 mm", 1.435},
        {TM_DIM_MASS, "90 t", 90000.0},
        {TM_DIM_MASS, "500 kg", 500.0},
        {TM_DIM_SPEED, "36 km/h", 10.0},
        {TM_DIM_SPEED, "10 m/s", 10.0},
        {TM_DIM_FORCE, "250 kN", 250e3},
        {TM_DIM_FORCE, "100 N", 100.0},
        {TM_DIM_FORCE, "1.2 MN", 1.2e6},
        {TM_DIM_FORCE, "52000 kgf", 52000.0 * G0},
        {TM_DIM_FORCE, "25.3 tf", 25300.0 * G0},
        {TM_DIM_POWER, "2200 kW", 2.2e6},
        {TM_DIM_POWER, "500 W", 500.0},
        {TM_DIM_POWER, "4.5 MW", 4.5e6},
        {TM_DIM_GRADIENT, "12 permille", 0.012},
        {TM_DIM_GRADIENT, "-6 \xe2\x80\xb0", -0.006},
        {TM_DIM_GRADIENT, "1.5 %", 0.015},
        {TM_DIM_DURATION, "30 s", 30.0},
        {TM_DIM_DURATION, "10 min", 600.0},
        {TM_DIM_DURATION, "2 h", 7200.0},
        {TM_DIM_ACCEL, "0.5 m/s2", 0.5},
        {TM_DIM_ACCEL, "0.4 m/s^2", 0.4},
        {TM_DIM_DAVIS_B, "30 N/(m/s)", 30.0},
        {TM_DIM_DAVIS_B, "0.03 kN/(m/s)", 30.0},
        {TM_DIM_DAVIS_B, "10 N/(km/h)", 36.0},
        {TM_DIM_DAVIS_B, "0.01 kN/(km/h)", 36.0},
        {TM_DIM_DAVIS_C, "5 N/(m/s)^2", 5.0},
        {TM_DIM_DAVIS_C, "0.005 kN/(m/s)^2", 5.0},
        {TM_DIM_DAVIS_C, "0.5 N/(km/h)^2", 0.5 * 12.96},
        {TM_DIM_DAVIS_C, "0.001 kN/(km/h)^2", 12.96},
        {TM_DIM_SPECIFIC, "2.5 permille", 0.0025},
        {TM_DIM_SPECIFIC, "2.5 \xe2\x80\xb0", 0.0025},
        {TM_DIM_SPECIFIC, "2.5 N/kN", 0.0025},
        {TM_DIM_RATIO, "1.06", 1.06},
        {TM_DIM_RATIO, "75 %", 0.75},
        {TM_DIM_PERCENT, "150 %", 150.0},
        {TM_DIM_ENERGY, "2 kWh", 7.2e6},
        {TM_DIM_ENERGY, "10 J", 10.0},
        {TM_DIM_ENERGY, "3 kJ", 3e3},
        {TM_DIM_ENERGY, "4 MJ", 4e6},
        {TM_DIM_ENERGY, "1 MWh", 3.6e9},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_quantity(cases[i].dim, cases[i].text, cases[i].si);
}

static void test_default_units(void **state)
{
    (void)state;
    static const unit_case cases[] = {
        {TM_DIM_LENGTH, "12", 12.0},        {TM_DIM_MASS, "90", 90000.0},
        {TM_DIM_SPEED, "36", 10.0},         {TM_DIM_FORCE, "250", 250e3},
        {TM_DIM_POWER, "2200", 2.2e6},      {TM_DIM_GRADIENT, "12", 0.012},
        {TM_DIM_DURATION, "30", 30.0},      {TM_DIM_ACCEL, "0.5", 0.5},
        {TM_DIM_DAVIS_B, "30", 30.0},       {TM_DIM_DAVIS_C, "5", 5.0},
        {TM_DIM_SPECIFIC, "2.5", 0.0025},   {TM_DIM_RATIO, "1.09", 1.09},
        {TM_DIM_PERCENT, "150", 150.0},     {TM_DIM_ENERGY, "2", 7.2e6},
    };
    static const char *const names[TM_DIM_COUNT_] = {
        "m", "t", "km/h", "kN", "kW", "permille", "s", "m/s2", "N/(m/s)", "N/(m/s)^2",
        "permille", "", "%", "kWh"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_quantity(cases[i].dim, cases[i].text, cases[i].si);
    for (int d = 0; d < TM_DIM_COUNT_; d++)
        assert_string_equal(tm_dim_default_unit((tm_dim)d), names[d]);
}

static void test_spacing_and_signs(void **state)
{
    (void)state;
    assert_quantity(TM_DIM_MASS, "  90t ", 90000.0);
    assert_quantity(TM_DIM_GRADIENT, "-4 permille", -0.004);
    assert_quantity(TM_DIM_GRADIENT, "+4permille", 0.004);
    assert_quantity(TM_DIM_LENGTH, "1e3 m", 1000.0);
    assert_quantity(TM_DIM_LENGTH, ".5 km", 500.0);
}

static void assert_refused(tm_dim dim, const char *text, const char *needle)
{
    double got = 42.0;
    char why[256] = "";
    if (tm_parse_quantity(text, dim, &got, why, sizeof why) == 0)
        fail_msg("'%s' accepted as %g", text, got);
    assert_true(got == 42.0);
    if (!strstr(why, needle))
        fail_msg("'%s': '%s' not in \"%s\"", text, needle, why);
}

static void test_errors(void **state)
{
    (void)state;
    assert_refused(TM_DIM_MASS, "90 lb", "unknown unit 'lb' (accepted: t, kg)");
    assert_refused(TM_DIM_SPEED, "60 mph", "accepted: km/h, m/s");
    assert_refused(TM_DIM_FORCE, "10 kW", "unknown unit 'kW'");
    assert_refused(TM_DIM_GRADIENT, "4 degrees", "permille");
    assert_refused(TM_DIM_RATIO, "1.06 t", "unknown unit 't'");
    assert_refused(TM_DIM_LENGTH, "km", "not a number");
    assert_refused(TM_DIM_LENGTH, "", "not a number");
    assert_refused(TM_DIM_LENGTH, "nan m", "not");
    assert_refused(TM_DIM_LENGTH, "inf", "not");
    assert_refused(TM_DIM_LENGTH, "0x10 m", "not a decimal number");
    assert_refused(TM_DIM_LENGTH, "1e999 m", "not a number");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_unit),
        cmocka_unit_test(test_default_units),
        cmocka_unit_test(test_spacing_and_signs),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
