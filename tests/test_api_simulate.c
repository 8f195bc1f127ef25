/* test_api_simulate.c: the public simulation API (tumen.h, "Simulation"): JSON in memory,
 * the planned day without delays, and two halves of the replications whose counters are
 * summed (as MPI ranks do) printing the same bytes as all of them in one process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "tumen.h"

static tumen_scenario *load_flagship(void)
{
    const char *files[4] = {TUMEN_SOURCE_DIR "/examples/flagship/network.yaml",
                            TUMEN_SOURCE_DIR "/examples/flagship/train.yaml",
                            TUMEN_SOURCE_DIR "/examples/flagship/timetable.yaml",
                            TUMEN_SOURCE_DIR "/examples/flagship/delays.yaml"};
    tumen_scenario *sc = NULL;
    tumen_error err = {0};
    if (tumen_scenario_load(&sc, files, 4, &err) != TUMEN_OK)
        fail_msg("load: %s", err.message);
    return sc;
}

static void test_planned_day_in_json(void **state)
{
    (void)state;
    tumen_scenario *sc = load_flagship();
    tumen_simulate_options o;
    tumen_simulate_options_init(&o);
    o.replications = 6;
    o.no_delays = 1;
    char *text = NULL;
    tumen_error err = {0};
    assert_int_equal(tumen_simulate(sc, &o, &text, &err), TUMEN_OK);
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    assert_non_null(doc);
    assert_int_equal(json_integer_value(json_object_get(doc, "replications")), 6);
    json_t *p = json_object_get(json_object_get(doc, "punctuality"), "freight");
    assert_true(json_number_value(json_object_get(p, "1")) == 1.0);
    assert_true(json_number_value(json_object_get(doc, "knock_on_delay_min")) == 0.0);
    assert_string_equal(json_string_value(json_object_get(doc, "primary_delays")), "none");
    json_decref(doc);
    tumen_free(text);
    tumen_scenario_destroy(sc);
}

static void test_halves_merge_to_the_whole(void **state)
{
    (void)state;
    tumen_scenario *sc = load_flagship();
    tumen_simulate_options o;
    tumen_simulate_options_init(&o);
    o.replications = 21;
    o.seed = 3;
    o.dispatch = TUMEN_DISPATCH_PRIORITY;
    tumen_error err = {0};
    char *whole = NULL, *merged = NULL;
    assert_int_equal(tumen_simulate(sc, &o, &whole, &err), TUMEN_OK);
    tumen_simulation *a = NULL, *b = NULL;
    o.stride = 2;
    o.first = 0;
    assert_int_equal(tumen_simulation_run(sc, &o, &a, &err), TUMEN_OK);
    o.first = 1;
    assert_int_equal(tumen_simulation_run(sc, &o, &b, &err), TUMEN_OK);
    size_t na = 0, nb = 0;
    long long *ca = tumen_simulation_counters(a, &na), *cb = tumen_simulation_counters(b, &nb);
    assert_int_equal(na, nb);
    assert_int_equal(ca[0], 11);
    assert_int_equal(cb[0], 10);
    for (size_t k = 0; k < na; k++)
        ca[k] += cb[k];
    assert_int_equal(tumen_simulation_json(a, &merged, &err), TUMEN_OK);
    assert_string_equal(merged, whole);
    tumen_free(whole);
    tumen_free(merged);
    tumen_simulation_destroy(a);
    tumen_simulation_destroy(b);
    tumen_simulation_destroy(NULL);
    tumen_scenario_destroy(sc);
}

static void test_usage_errors(void **state)
{
    (void)state;
    tumen_dispatch d;
    tumen_error err = {0};
    assert_int_equal(tumen_dispatch_parse("fifo", &d, &err), TUMEN_EUSAGE);
    assert_int_equal(tumen_dispatch_parse("priority", &d, &err), TUMEN_OK);
    assert_int_equal(d, TUMEN_DISPATCH_PRIORITY);
    tumen_scenario *sc = load_flagship();
    tumen_simulate_options o;
    tumen_simulate_options_init(&o);
    o.replications = 0;
    char *text = NULL;
    assert_int_equal(tumen_simulate(sc, &o, &text, &err), TUMEN_EUSAGE);
    assert_null(text);
    tumen_scenario_destroy(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planned_day_in_json),
        cmocka_unit_test(test_halves_merge_to_the_whole),
        cmocka_unit_test(test_usage_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
