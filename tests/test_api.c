/* test_api.c: the public API (include/tumen.h) as a program that embeds tumen sees it.
 *
 * The JSON the API returns is the command line's, byte for byte (the CLI prints what the
 * API returns, and other tools read those keys); results to memory are the bytes the path
 * writers write; size-prefixed options of an older, smaller size keep the defaults of the
 * fields they lack; a progress callback cancels; the version macros match the library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support.h"
#include "tumen.h"

#define FLAGSHIP TUMEN_SOURCE_DIR "/examples/flagship/"
#define DATA TUMEN_SOURCE_DIR "/tests/data/"

static const char *const day[] = {FLAGSHIP "network.yaml", FLAGSHIP "train.yaml",
                                  FLAGSHIP "timetable.yaml"};

/* What `tumen ARGS` prints on stdout (the caller frees). */
static char *cli(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s %s 2>/dev/null", TUMEN_CLI, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (n + 1 == cap) {
            buf = realloc(buf, cap *= 2);
            assert_non_null(buf);
        }
    }
    pclose(p);
    buf[n] = '\0';
    return buf;
}

static tumen_scenario *load(const char *const *paths, size_t n)
{
    tumen_scenario *sc = NULL;
    tumen_error err = {0};
    int rc = tumen_scenario_load(&sc, paths, n, &err);
    if (rc != TUMEN_OK)
        fail_msg("load: %s", err.message);
    return sc;
}

static void test_version(void **state)
{
    (void)state;
    char v[32];
    snprintf(v, sizeof v, "%d.%d.%d", TUMEN_VERSION_MAJOR, TUMEN_VERSION_MINOR,
             TUMEN_VERSION_PATCH);
    assert_string_equal(tumen_version(), v);
    assert_string_equal(TUMEN_VERSION, v);
    assert_int_equal(tumen_version_number(), TUMEN_VERSION_NUMBER);
}

static void test_run_json_is_the_cli(void **state)
{
    (void)state;
    const char *path = FLAGSHIP "journey.yaml";
    tumen_scenario *sc = load(&path, 1);
    tumen_result *r = NULL;
    tumen_error err = {0};
    assert_int_equal(tumen_run(sc, NULL, &r, &err), TUMEN_OK);
    char *json = NULL, *text = NULL;
    size_t n = 0, m = 0;
    assert_int_equal(tumen_result_json(r, &json, &n, &err), TUMEN_OK);
    assert_int_equal(strlen(json), n);
    char *expect = cli("run " FLAGSHIP "journey.yaml --json");
    assert_string_equal(json, expect);
    free(expect);
    assert_int_equal(tumen_result_text(r, &text, &m, &err), TUMEN_OK);
    expect = cli("run " FLAGSHIP "journey.yaml");
    assert_string_equal(text, expect);
    free(expect);
    /* names are whole and owned by the result */
    assert_true(r->n_timing_points > 1);
    assert_non_null(r->timing_points[0].name);
    assert_non_null(r->timing_points[0].change);
    assert_non_null(r->legs[0].train);
    tumen_free(json);
    tumen_free(text);
    tumen_result_destroy(r);
    tumen_scenario_destroy(sc);
}

static void test_results_to_memory(void **state)
{
    (void)state;
    const char *path = FLAGSHIP "journey.yaml";
    tumen_scenario *sc = load(&path, 1);
    tumen_result *r = NULL;
    tumen_error err = {0};
    assert_int_equal(tumen_run(sc, NULL, &r, &err), TUMEN_OK);
    void *png = NULL, *svg = NULL;
    char *csv = NULL;
    size_t n_png = 0, n_svg = 0, n_csv = 0;
    assert_int_equal(tumen_result_plot(r, "flagship", "png", &png, &n_png, &err), TUMEN_OK);
    assert_true(n_png > 1000 && !memcmp(png, "\x89PNG", 4));
    assert_int_equal(tumen_result_plot(r, NULL, "svg", &svg, &n_svg, &err), TUMEN_OK);
    assert_non_null(strstr(svg, "<svg"));
    assert_int_equal(tumen_result_plot(r, NULL, "gif", &svg, &n_svg, &err), TUMEN_EUSAGE);
    assert_int_equal(tumen_result_csv(r, &csv, &n_csv, &err), TUMEN_OK);
    assert_int_equal(strncmp(csv, "t_s,s_m,", 8), 0);
    assert_int_equal(strlen(csv), n_csv);
    tumen_free(png);
    tumen_free(svg);
    tumen_free(csv);
    tumen_result_destroy(r);
    tumen_scenario_destroy(sc);
}

static void test_errors(void **state)
{
    (void)state;
    tumen_scenario *sc = (tumen_scenario *)1;
    tumen_error err = {0};
    const char *path = DATA "nonexistent.yaml";
    assert_int_equal(tumen_scenario_load(&sc, &path, 1, &err), TUMEN_EIO);
    assert_null(sc);
    assert_non_null(strstr(err.file, "nonexistent.yaml"));
    const char bad[] = "vehicles:\n  - id: a\n    mass: 90 parsecs\n";
    assert_int_not_equal(tumen_scenario_load_text(&sc, "bad.yaml", bad, sizeof bad - 1, &err),
                         TUMEN_OK);
    assert_null(sc);
    assert_string_equal(err.file, "bad.yaml");
    assert_true(err.line >= 2 && err.line <= 3);
    assert_int_equal(tumen_timetable_run(NULL, NULL, NULL, &err), TUMEN_EUSAGE);
    assert_string_equal(tumen_strerror(TUMEN_ECANCELLED), "the call was cancelled");
}

static void test_timetable_and_network(void **state)
{
    (void)state;
    tumen_scenario *sc = load(day, 3);
    assert_true(tumen_scenario_op_count(sc) > 2);
    assert_true(tumen_scenario_service_count(sc) == 12);
    size_t khs = tumen_scenario_find_op(sc, "KHS"), bar = tumen_scenario_find_op(sc, "BAR");
    assert_true(khs != TUMEN_NPOS && bar != TUMEN_NPOS);
    size_t a, b;
    tumen_error err = {0};
    assert_int_equal(tumen_scenario_parse_line(sc, "KHS-BAR", &a, &b, &err), TUMEN_OK);
    assert_true(a == khs && b == bar);
    tumen_op_info op;
    tumen_scenario_op(sc, khs, &op);
    assert_string_equal(op.id, "KHS");

    tumen_timetable_options o;
    tumen_timetable_options_init(&o);
    o.common.threads = 2;
    tumen_timetable *t = NULL;
    assert_int_equal(tumen_timetable_run(sc, &o, &t, &err), TUMEN_OK);
    assert_int_equal(tumen_timetable_service_count(t), 12);
    tumen_service_info info;
    tumen_timetable_service(t, 0, &info);
    assert_int_equal(info.status, TUMEN_OK);
    assert_true(info.n_points >= 2 && info.arrival > info.departure);
    tumen_service_point p;
    tumen_timetable_point(t, 0, info.n_points - 1, &p);
    assert_true(p.arrival == info.arrival);
    char *json = NULL, *csv = NULL;
    size_t n = 0;
    assert_int_equal(tumen_timetable_json(t, &json, &n, &err), TUMEN_OK);
    char *expect = cli("timetable " FLAGSHIP "network.yaml " FLAGSHIP "train.yaml " FLAGSHIP
                       "timetable.yaml --json");
    assert_string_equal(json, expect);
    assert_int_equal(tumen_timetable_csv(t, &csv, &n, &err), TUMEN_OK);
    assert_non_null(strstr(csv, "service_id,train,category"));
    free(expect);
    tumen_free(json);
    tumen_free(csv);
    tumen_timetable_destroy(t);
    tumen_scenario_destroy(sc);
}

static int stop_after(void *user, size_t done, size_t total)
{
    size_t *calls = user;
    (*calls)++;
    assert_true(done >= 1 && done <= total);
    return done >= 2; /* cancel after two runs */
}

static void test_progress_cancels(void **state)
{
    (void)state;
    tumen_scenario *sc = load(day, 3);
    size_t calls = 0;
    tumen_timetable_options o;
    tumen_timetable_options_init(&o);
    o.common.progress = stop_after;
    o.common.user = &calls;
    tumen_timetable *t = (tumen_timetable *)1;
    tumen_error err = {0};
    assert_int_equal(tumen_timetable_run(sc, &o, &t, &err), TUMEN_ECANCELLED);
    assert_null(t);
    assert_int_equal(calls, 2);
    tumen_blocking_options bo;
    tumen_blocking_options_init(&bo);
    bo.common.progress = stop_after;
    bo.common.user = &calls;
    tumen_blocking *b = NULL;
    assert_int_equal(tumen_blocking_compute(sc, &bo, &b, &err), TUMEN_ECANCELLED);
    assert_null(b);
    tumen_scenario_destroy(sc);
}

/* Polls of a special plan: counts them, notes the first of the branch and bound's (its
 * total: TM_SP_MAX_NODES, 500 nodes), and cancels at call number `stop` (0: never). */
typedef struct polls {
    size_t calls, stop, first_node;
} polls;

static int count_polls(void *user, size_t done, size_t total)
{
    polls *p = user;
    p->calls++;
    assert_true(done <= total);
    if (total == 500 && !p->first_node)
        p->first_node = p->calls;
    return p->stop && p->calls == p->stop;
}

/* Plans the flagship request in mode with a cancel at call `stop`: the status. */
static int plan_polled(tumen_scenario *sc, int mode, polls *p, size_t stop)
{
    memset(p, 0, sizeof *p);
    p->stop = stop;
    tumen_special_options o;
    tumen_special_options_init(&o);
    o.mode = mode;
    o.common.progress = count_polls;
    o.common.user = p;
    tumen_special *sp = (tumen_special *)1;
    tumen_error err = {0};
    int rc = tumen_special_plan(sc, &o, &sp, &err);
    if (rc == TUMEN_ECANCELLED) {
        assert_null(sp);
        assert_int_equal(err.code, TUMEN_ECANCELLED);
    }
    tumen_special_destroy(rc == TUMEN_OK ? sp : NULL);
    return rc;
}

/* A special plan polls its progress as it goes, and a cancel at any poll but the last (1
 * of 1, after the plan) stops it at once with TUMEN_ECANCELLED and nothing returned (ASan:
 * no leak on any of these ways out): before it, in the timetable's runs, in the trains'
 * blocks, in a bound, in the branch and bound's nodes (priority). */
static void test_special_cancels(void **state)
{
    (void)state;
    const char *files[] = {FLAGSHIP "network.yaml", FLAGSHIP "train.yaml",
                           FLAGSHIP "timetable.yaml", FLAGSHIP "special.yaml"};
    tumen_scenario *sc = load(files, 4);
    static const int modes[] = {TUMEN_SPECIAL_PRIORITY, TUMEN_SPECIAL_FIT};
    for (int m = 0; m < 2; m++) {
        polls all, p;
        assert_int_equal(plan_polled(sc, modes[m], &all, 0), TUMEN_OK);
        if (modes[m] == TUMEN_SPECIAL_PRIORITY)
            assert_true(all.first_node > 0); /* the branch and bound polled */
        for (size_t k = 1; k < all.calls; k++) {
            assert_int_equal(plan_polled(sc, modes[m], &p, k), TUMEN_ECANCELLED);
            assert_int_equal(p.calls, k); /* it stopped at once */
        }
        assert_int_equal(plan_polled(sc, modes[m], &p, all.calls), TUMEN_OK);
    }
    tumen_scenario_destroy(sc);
}

/* An options struct of an older, smaller version: the fields it lacks keep their defaults. */
static void test_options_of_an_older_size(void **state)
{
    (void)state;
    tumen_scenario *sc = load(day, 3);
    tumen_timetable_options o;
    tumen_timetable_options_init(&o);
    o.keep_going = 7; /* beyond the size below: must be ignored */
    o.size = offsetof(tumen_timetable_options, keep_trajectories);
    tumen_timetable *t = NULL;
    tumen_error err = {0};
    assert_int_equal(tumen_timetable_run(sc, &o, &t, &err), TUMEN_OK);
    tumen_timetable_destroy(t);
    tumen_scenario_destroy(sc);
}

static void test_conflicts_headway_capacity(void **state)
{
    (void)state;
    const char *files[] = {DATA "simple.yaml", DATA "corridor.yaml",
                           DATA "corridor_conflicts.yaml"};
    tumen_scenario *sc = load(files, 3);
    tumen_error err = {0};
    tumen_blocking *b = NULL;
    tumen_conflicts *c = NULL;
    assert_int_equal(tumen_blocking_compute(sc, NULL, &b, &err), TUMEN_OK);
    assert_true(tumen_blocking_count(b) > 0);
    tumen_blocking_time bt;
    tumen_blocking_get(b, 0, &bt);
    assert_true(bt.end > bt.start && bt.resource[0]);
    assert_int_equal(tumen_conflicts_find(b, &c, &err), TUMEN_OK);
    assert_true(tumen_conflicts_count(c) > 0);
    tumen_conflict k;
    tumen_conflicts_get(c, 0, &k);
    assert_true(k.end >= k.start);
    char *json = NULL;
    size_t n = 0;
    assert_int_equal(tumen_conflicts_json(c, &json, &n, &err), TUMEN_OK);
    char *expect = cli("conflicts " DATA "simple.yaml " DATA "corridor.yaml " DATA
                       "corridor_conflicts.yaml --json");
    assert_string_equal(json, expect);
    free(expect);
    tumen_free(json);
    /* the same call twice on one read-only handle gives the same answer */
    tumen_conflicts *c2 = NULL;
    assert_int_equal(tumen_conflicts_find(b, &c2, &err), TUMEN_OK);
    assert_int_equal(tumen_conflicts_count(c2), tumen_conflicts_count(c));
    tumen_conflicts_destroy(c2);
    tumen_conflicts_destroy(c);
    tumen_blocking_destroy(b);

    size_t from, to;
    assert_int_equal(tumen_scenario_parse_line(sc, "AST-COL", &from, &to, &err), TUMEN_OK);
    size_t t = tumen_scenario_find_train(sc, "regional");
    assert_true(t != TUMEN_NPOS);
    tumen_headway *h = NULL;
    assert_int_equal(tumen_headway_compute(sc, t, t, from, to, &h, &err), TUMEN_OK);
    assert_true(tumen_headway_count(h) >= 2);
    tumen_headway_info hi;
    tumen_headway_get(h, 0, &hi);
    assert_non_null(hi.deciding);
    assert_true(hi.headway > 0);
    char *text = NULL;
    assert_int_equal(tumen_headway_json(h, &json, &n, &err), TUMEN_OK);
    assert_non_null(strstr(json, "\"headway_s\""));
    tumen_free(json);
    assert_int_equal(tumen_headway_text(h, &text, &n, &err), TUMEN_OK);
    expect = cli("headway " DATA "simple.yaml " DATA "corridor.yaml --line AST-COL "
                 "--trains regional,regional");
    assert_string_equal(text, expect);
    free(expect);
    tumen_free(text);
    tumen_headway_destroy(h);

    tumen_capacity *cap = NULL;
    assert_int_equal(tumen_capacity_compute(sc, from, to, 5.5 * 3600, 8.5 * 3600,
                                            TUMEN_LINE_MIXED, NULL, &cap, &err),
                     TUMEN_OK);
    tumen_capacity_info ci;
    ci.size = sizeof ci;
    tumen_capacity_get(cap, &ci);
    assert_true(ci.trains > 0 && ci.occupancy > 0 && ci.length > 0);
    assert_int_equal(tumen_capacity_json(cap, &json, &n, &err), TUMEN_OK);
    expect = cli("capacity " DATA "simple.yaml " DATA "corridor.yaml " DATA
                 "corridor_conflicts.yaml --line AST-COL --window 05:30-08:30 --json");
    assert_string_equal(json, expect);
    free(expect);
    tumen_free(json);
    tumen_capacity_destroy(cap);
    tumen_scenario_destroy(sc);
}

static void test_special_route_import(void **state)
{
    (void)state;
    const char *files[] = {FLAGSHIP "network.yaml", FLAGSHIP "train.yaml",
                           FLAGSHIP "timetable.yaml", FLAGSHIP "special.yaml"};
    tumen_scenario *sc = load(files, 4);
    assert_true(tumen_scenario_has_special(sc));
    tumen_error err = {0};
    tumen_special *sp = NULL;
    assert_int_equal(tumen_special_plan(sc, NULL, &sp, &err), TUMEN_OK);
    assert_true(tumen_special_feasible(sp));
    assert_string_equal(tumen_special_why(sp), "");
    assert_true(tumen_special_arrival(sp) > tumen_special_departure(sp));
    char *json = NULL, *yaml = NULL;
    size_t n = 0;
    assert_int_equal(tumen_special_json(sp, &json, &n, &err), TUMEN_OK);
    char *expect = cli("special " FLAGSHIP "network.yaml " FLAGSHIP "train.yaml " FLAGSHIP
                       "timetable.yaml " FLAGSHIP "special.yaml --json");
    assert_string_equal(json, expect);
    free(expect);
    tumen_free(json);
    assert_int_equal(tumen_special_timetable_yaml(sp, &yaml, &n, &err), TUMEN_OK);
    assert_non_null(strstr(yaml, "timetable"));
    tumen_free(yaml);
    tumen_special_destroy(sp);

    tumen_route_request q;
    tumen_route_request_init(&q);
    const char *changes[] = {"special_diesel", "special_ep1"};
    q.train = "special_electric";
    q.from = "PY";
    q.to = "VLA";
    q.change_to = changes;
    q.n_change_to = 2;
    q.run = 1;
    q.departure = 6 * 3600.0;
    tumen_route *r = NULL;
    assert_int_equal(tumen_route_find(sc, &q, &r, &err), TUMEN_OK);
    assert_true(tumen_route_length(r) > 100000.0);
    assert_non_null(tumen_route_result(r));
    assert_int_equal(tumen_route_json(r, &json, &n, &err), TUMEN_OK);
    expect = cli("route " FLAGSHIP "network.yaml " FLAGSHIP "train.yaml --train "
                 "special_electric --change-to special_diesel --change-to special_ep1 "
                 "--from PY --to VLA --run --departure 06:00 --json");
    assert_string_equal(json, expect);
    free(expect);
    tumen_free(json);
    tumen_route_destroy(r);
    q.to = "Atlantis";
    assert_int_equal(tumen_route_find(sc, &q, &r, &err), TUMEN_EINPUT);
    assert_null(r);
    assert_string_equal(err.field, "to");
    tumen_scenario_destroy(sc);

    tumen_import *imp = NULL;
    assert_int_equal(tumen_import_file(DATA "import/line-2.4.xml", NULL, &imp, &err), TUMEN_OK);
    assert_int_equal(tumen_import_summary_json(imp, &json, &n, &err), TUMEN_OK);
    expect = cli("import " DATA "import/line-2.4.xml --summary --json");
    assert_string_equal(json, expect);
    free(expect);
    tumen_free(json);
    tumen_import_summary s;
    s.size = sizeof s;
    tumen_import_get_summary(imp, &s);
    assert_string_equal(s.format, "railML 2");
    const tumen_scenario *isc = tumen_import_scenario(imp);
    assert_true(tumen_scenario_track_count(isc) > 0 && s.tracks > 0);
    assert_int_equal(tumen_export_geojson(isc, NULL, &json, &n, &err), TUMEN_OK);
    assert_non_null(strstr(json, "FeatureCollection"));
    tumen_free(json);
    tumen_import_destroy(imp);
}

/* Threads on one loaded scenario: tests/test_threads.c (also under ThreadSanitizer). */

/* LeakSanitizer (sanitizer builds only read this): fontconfig, under cairo's text in the
 * plots, keeps its caches for the life of the process; that is not a leak of ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_run_json_is_the_cli),
        cmocka_unit_test(test_results_to_memory),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_timetable_and_network),
        cmocka_unit_test(test_progress_cancels),
        cmocka_unit_test(test_options_of_an_older_size),
        cmocka_unit_test(test_conflicts_headway_capacity),
        cmocka_unit_test(test_special_route_import),
        cmocka_unit_test(test_special_cancels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
