/* test_api_simulate.c: the public simulation API (tumen.h, "Simulation"): JSON in memory,
 * the planned day without delays, and two halves of the replications whose counters are
 * summed (as MPI ranks do) printing the same bytes as all of them in one process; one
 * simulated day in full and its time-distance diagram; options of an older, smaller size;
 * cancelling through progress. */
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
    assert_int_equal(tumen_simulate(sc, &o, &text, NULL, &err), TUMEN_OK);
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
    size_t whole_len = 0, merged_len = 0;
    assert_int_equal(tumen_simulate(sc, &o, &whole, &whole_len, &err), TUMEN_OK);
    assert_int_equal(whole_len, strlen(whole));
    assert_int_equal(whole[whole_len - 1], '\n'); /* as the command prints it */
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
    assert_int_equal(tumen_simulation_json(a, &merged, &merged_len, &err), TUMEN_OK);
    assert_int_equal(merged_len, whole_len);
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
    assert_int_equal(tumen_simulate(sc, &o, &text, NULL, &err), TUMEN_EUSAGE);
    assert_null(text);
    tumen_scenario_destroy(sc);
}

/* The day asked for in the options is the one tumen_simulation_replication_json gives (run
 * again from its number), and its diagram is a PNG or an SVG. */
static void test_one_day_in_full_and_its_diagram(void **state)
{
    (void)state;
    tumen_scenario *sc = load_flagship();
    tumen_simulate_options o;
    tumen_simulate_options_init(&o);
    o.replications = 8;
    o.seed = 3;
    o.replication = 5;
    o.common.threads = 2;
    tumen_error err = {0};
    tumen_simulation *sim = NULL;
    assert_int_equal(tumen_simulation_run(sc, &o, &sim, &err), TUMEN_OK);
    char *text = NULL, *day = NULL;
    size_t length = 0, day_len = 0;
    assert_int_equal(tumen_simulation_json(sim, &text, &length, &err), TUMEN_OK);
    assert_int_equal(tumen_simulation_replication_json(sim, 5, &day, &day_len, &err), TUMEN_OK);
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr), *alone = json_loads(day, 0, &jerr);
    assert_non_null(doc);
    assert_non_null(alone);
    json_t *in_doc = json_object_get(doc, "replication");
    assert_true(json_equal(in_doc, alone));
    assert_int_equal(json_integer_value(json_object_get(alone, "number")), 5);
    /* A late train's actual times are its planned ones plus its delay: never earlier. */
    json_t *services = json_object_get(alone, "services"), *t;
    size_t i;
    int late = 0;
    json_array_foreach(services, i, t) {
        json_t *pts = json_object_get(t, "points"), *p;
        size_t j;
        json_array_foreach(pts, j, p) {
            double pa = json_number_value(json_object_get(p, "planned_arrival_s"));
            double aa = json_number_value(json_object_get(p, "arrival_s"));
            assert_true(aa >= pa - 1e-3);
            late |= aa > pa + 1.0;
        }
    }
    assert_true(late); /* a day of the flagship with its delays has late trains */
    json_decref(doc);
    json_decref(alone);
    tumen_free(text);
    tumen_free(day);
    assert_int_equal(tumen_simulation_replication_json(sim, 8, &day, NULL, &err), TUMEN_EUSAGE);
    void *png = NULL, *svg = NULL;
    size_t png_len = 0, svg_len = 0;
    assert_int_equal(tumen_simulation_diagram(sim, 5, TUMEN_NPOS, TUMEN_NPOS, "png", &png,
                                              &png_len, &err), TUMEN_OK);
    assert_true(png_len > 1000);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    assert_int_equal(tumen_simulation_diagram(sim, 5, TUMEN_NPOS, TUMEN_NPOS, "svg", &svg,
                                              &svg_len, &err), TUMEN_OK);
    assert_non_null(strstr(svg, "<svg"));
    void *none = NULL;
    assert_int_equal(tumen_simulation_diagram(sim, 5, 0, 0, "svg", &none, NULL, &err),
                     TUMEN_EUSAGE); /* a line needs two points */
    assert_null(none);
    tumen_free(svg);
    tumen_free(png);
    tumen_simulation_destroy(sim);
    tumen_scenario_destroy(sc);
}

/* A caller built against an older header passes a smaller struct: the fields it does not
 * know keep their defaults (here everything after `common`: 100 replications, seed 1). */
static void test_options_of_an_older_size(void **state)
{
    (void)state;
    tumen_scenario *sc = load_flagship();
    tumen_simulate_options o;
    tumen_simulate_options_init(&o);
    o.replications = 3;
    o.seed = 9;
    o.size = offsetof(tumen_simulate_options, replications);
    char *text = NULL;
    tumen_error err = {0};
    assert_int_equal(tumen_simulate(sc, &o, &text, NULL, &err), TUMEN_OK);
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    assert_int_equal(json_integer_value(json_object_get(doc, "replications")), 100);
    assert_int_equal(json_integer_value(json_object_get(doc, "seed")), 1);
    json_decref(doc);
    tumen_free(text);
    tumen_scenario_destroy(sc);
}

static int stop_after_two(void *user, size_t done, size_t total)
{
    (void)total;
    *(size_t *)user = done;
    return done >= 2;
}

static void test_progress_cancels(void **state)
{
    (void)state;
    tumen_scenario *sc = load_flagship();
    tumen_simulate_options o;
    tumen_simulate_options_init(&o);
    o.replications = 50;
    size_t seen = 0;
    o.common.progress = stop_after_two;
    o.common.user = &seen;
    tumen_simulation *sim = NULL;
    tumen_error err = {0};
    assert_int_equal(tumen_simulation_run(sc, &o, &sim, &err), TUMEN_ECANCELLED);
    assert_null(sim);
    assert_int_equal(seen, 2);
    tumen_scenario_destroy(sc);
}

/* LeakSanitizer (sanitizer builds only read this): fontconfig, under cairo's text in the
 * diagram, keeps its caches for the life of the process; that is not a leak of ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planned_day_in_json),
        cmocka_unit_test(test_halves_merge_to_the_whole),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_one_day_in_full_and_its_diagram),
        cmocka_unit_test(test_options_of_an_older_size),
        cmocka_unit_test(test_progress_cancels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
