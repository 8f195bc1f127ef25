/* test_threads.c: the thread-safety contract (docs/api.md, "Thread safety"): several threads
 * running different requests on ONE loaded, read-only scenario get the same results as
 * the same requests run one at a time. Through tumen.h only.
 *
 * Each request reduces its result to a text: a run's trajectory with every number printed
 * exactly (%a), the other requests' JSON as the command line prints it. The requests are
 * first run all together, each in its own thread, started at one barrier and repeated so
 * that they overlap for most of their length, then each alone. `make test-tsan` builds
 * this test with -fsanitize=thread (CMake option TUMEN_TSAN) and runs it: a data race
 * anywhere on these paths (a static buffer, a shared cache, non-reentrant libc) is a
 * failure there even when the results happen to agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tumen.h"

#define REPEAT 2 /* each thread runs its request this many times */

typedef char *(*request_fn)(const tumen_scenario *sc);

/* ---- Requests: each returns its result as text (malloc'd), or NULL on failure -------- */

static char *run_text(const tumen_scenario *sc, const tumen_run_options *o)
{
    tumen_result *r = NULL;
    tumen_error err = {0};
    if (tumen_run(sc, o, &r, &err) != TUMEN_OK) {
        print_error("tumen_run: %s\n", err.message);
        return NULL;
    }
    char *text = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&text, &size);
    if (!fp) {
        tumen_result_destroy(r);
        return NULL;
    }
    fprintf(fp, "%a %a %a %a\n", r->running_time, r->distance, r->energy, r->max_speed);
    for (size_t i = 0; i < r->n_samples; i++) {
        const tumen_sample *p = &r->samples[i];
        fprintf(fp, "%a %a %a %a %a %d\n", p->t, p->s, p->v, p->traction, p->energy, p->mode);
    }
    for (size_t i = 0; i < r->n_timing_points; i++)
        fprintf(fp, "%s %a %a\n", r->timing_points[i].name, r->timing_points[i].arrival,
                r->timing_points[i].departure);
    fclose(fp);
    tumen_result_destroy(r);
    return text;
}

static char *run_fastest_point(const tumen_scenario *sc)
{
    tumen_run_options o;
    tumen_run_options_init(&o);
    o.fastest = 1;
    return run_text(sc, &o);
}

static char *run_strip_eco(const tumen_scenario *sc)
{
    tumen_run_options o;
    tumen_run_options_init(&o);
    o.mass_model = TUMEN_MASS_STRIP;
    o.driving = TUMEN_DRIVING_ECO;
    o.allowance.kind = TUMEN_ALLOWANCE_PERCENT;
    o.allowance.value = 7;
    return run_text(sc, &o);
}

static char *run_linear(const tumen_scenario *sc)
{
    tumen_run_options o;
    tumen_run_options_init(&o);
    o.driving = TUMEN_DRIVING_LINEAR;
    o.allowance.kind = TUMEN_ALLOWANCE_PER_100KM;
    o.allowance.value = 180;
    return run_text(sc, &o);
}

/* A request's text through the public API: its handle made, its JSON taken, the handle
 * destroyed; NULL (and the error printed) on failure. */
static char *json_or_null(int rc, char *text, const tumen_error *err, const char *what)
{
    if (rc == TUMEN_OK)
        return text;
    print_error("%s: %s\n", what, err->message);
    tumen_free(text);
    return NULL;
}

/* The timetable as `tumen timetable --json` prints it; workers of its own when threads>1. */
static char *timetable_text(const tumen_scenario *sc, int threads)
{
    tumen_timetable_options o;
    tumen_timetable_options_init(&o);
    o.common.threads = threads;
    tumen_timetable *tt = NULL;
    tumen_error err = {0};
    char *text = NULL;
    size_t length;
    int rc = tumen_timetable_run(sc, &o, &tt, &err);
    if (rc == TUMEN_OK)
        rc = tumen_timetable_json(tt, &text, &length, &err);
    tumen_timetable_destroy(tt);
    return json_or_null(rc, text, &err, "timetable");
}

static char *timetable_one_thread(const tumen_scenario *sc)
{
    return timetable_text(sc, 1);
}

static char *timetable_two_threads(const tumen_scenario *sc)
{
    return timetable_text(sc, 2);
}

/* The day's conflicts with a buffer of 10 min, as `tumen conflicts --json --buffer 600`,
 * on `threads` workers of the call's own (the runs, placing the stairs, the sweep). */
static char *conflicts_text(const tumen_scenario *sc, int threads)
{
    tumen_blocking_options o;
    tumen_blocking_options_init(&o);
    o.buffer = 600;
    o.common.threads = threads;
    tumen_blocking *b = NULL;
    tumen_conflicts *c = NULL;
    tumen_error err = {0};
    char *text = NULL;
    size_t length;
    int rc = tumen_blocking_compute(sc, &o, &b, &err);
    if (rc == TUMEN_OK)
        rc = tumen_conflicts_find(b, &c, &err);
    if (rc == TUMEN_OK)
        rc = tumen_conflicts_json(c, &text, &length, &err);
    tumen_conflicts_destroy(c);
    tumen_blocking_destroy(b);
    return json_or_null(rc, text, &err, "conflicts");
}

static char *conflicts_buffered(const tumen_scenario *sc)
{
    return conflicts_text(sc, 1);
}

static char *conflicts_two_threads(const tumen_scenario *sc)
{
    return conflicts_text(sc, 2);
}

/* The flagship's files loaded on two threads (its timetable's services streamed while a
 * second thread parses), reduced to the timetable's JSON; sc is not used. */
static char *load_two_threads(const tumen_scenario *sc)
{
    (void)sc;
    static const char *const names[] = {"network.yaml", "train.yaml", "timetable.yaml"};
    char paths[3][512];
    const char *files[3];
    for (size_t i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/examples/flagship/%s", TUMEN_SOURCE_DIR,
                 names[i]);
        files[i] = paths[i];
    }
    tumen_scenario *own = NULL;
    tumen_error err = {0};
    if (tumen_scenario_load_threads(&own, files, 3, 2, &err) != TUMEN_OK) {
        print_error("load: %s\n", err.message);
        return NULL;
    }
    char *text = timetable_text(own, 1);
    tumen_scenario_destroy(own);
    return text;
}

/* The special train planned, as `tumen special --json`, and its new timetable. */
static char *special_text(const tumen_scenario *sc, int mode)
{
    tumen_special_options o;
    tumen_special_options_init(&o);
    o.mode = mode;
    tumen_special *plan = NULL;
    tumen_error err = {0};
    char *json = NULL, *yaml = NULL;
    size_t length;
    int rc = tumen_special_plan(sc, &o, &plan, &err);
    if (rc == TUMEN_OK)
        rc = tumen_special_json(plan, &json, &length, &err);
    if (rc == TUMEN_OK)
        rc = tumen_special_timetable_yaml(plan, &yaml, &length, &err);
    tumen_special_destroy(plan);
    char *text = NULL;
    if (rc == TUMEN_OK) {
        size_t n = strlen(json) + strlen(yaml) + 1;
        text = malloc(n);
        if (text)
            snprintf(text, n, "%s%s", json, yaml);
    }
    tumen_free(json);
    tumen_free(yaml);
    return json_or_null(rc, text, &err, "special");
}

static char *special_fit(const tumen_scenario *sc)
{
    return special_text(sc, TUMEN_SPECIAL_FIT);
}

static char *special_priority(const tumen_scenario *sc)
{
    return special_text(sc, TUMEN_SPECIAL_PRIORITY);
}

/* The special's route Pyongyang - Vladivostok with its consist changes, run from 06:00,
 * as `tumen route --json --run`. */
static char *route_run(const tumen_scenario *sc)
{
    static const char *const changes[] = {"special_diesel", "special_ep1"};
    tumen_route_request rq;
    tumen_route_request_init(&rq);
    rq.train = "special_electric";
    rq.from = "PY";
    rq.to = "VLA";
    rq.change_to = changes;
    rq.n_change_to = 2;
    rq.run = 1;
    rq.departure = 6 * 3600;
    tumen_route *route = NULL;
    tumen_error err = {0};
    char *text = NULL;
    size_t length;
    int rc = tumen_route_find(sc, &rq, &route, &err);
    if (rc == TUMEN_OK)
        rc = tumen_route_json(route, &text, &length, &err);
    tumen_route_destroy(route);
    return json_or_null(rc, text, &err, "route");
}

/* A railML 2.4 file imported (no scenario shared: the XML parser's own state is). */
static char *import_railml(const tumen_scenario *sc)
{
    (void)sc;
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/import/line-2.4.xml", TUMEN_SOURCE_DIR);
    tumen_import *imp = NULL;
    tumen_error err = {0};
    char *text = NULL;
    size_t length;
    int rc = tumen_import_file(path, NULL, &imp, &err);
    if (rc == TUMEN_OK)
        rc = tumen_import_summary_json(imp, &text, &length, &err);
    tumen_import_destroy(imp);
    return json_or_null(rc, text, &err, "import");
}

/* ---- Running requests together ------------------------------------------------------ */

typedef struct worker {
    const tumen_scenario *sc;
    request_fn request;
    pthread_barrier_t *start;
    char *texts[REPEAT];
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    pthread_barrier_wait(w->start);
    for (int i = 0; i < REPEAT; i++)
        w->texts[i] = w->request(w->sc);
    return NULL;
}

/* Runs the requests all at once on sc, each in its own thread and REPEAT times, then each
 * alone: every result must equal its request's result alone. Together first, so that
 * whatever a library initialises on first use is first used by several threads at once. */
static void check_together(const tumen_scenario *sc, const request_fn *requests, size_t n)
{
    worker w[8];
    pthread_t ids[8];
    pthread_barrier_t start;
    assert_true(n <= 8);
    assert_int_equal(pthread_barrier_init(&start, NULL, (unsigned)n), 0);
    for (size_t i = 0; i < n; i++) {
        w[i] = (worker){sc, requests[i], &start, {NULL}};
        assert_int_equal(pthread_create(&ids[i], NULL, work, &w[i]), 0);
    }
    for (size_t i = 0; i < n; i++)
        pthread_join(ids[i], NULL);
    pthread_barrier_destroy(&start);
    for (size_t i = 0; i < n; i++) {
        char *alone = requests[i](sc);
        assert_non_null(alone);
        for (int k = 0; k < REPEAT; k++) {
            if (!w[i].texts[k])
                fail_msg("request %zu, run %d: failed in a thread, not alone", i, k);
            if (strcmp(w[i].texts[k], alone) != 0)
                fail_msg("request %zu, run %d: differs from the request run alone", i, k);
            free(w[i].texts[k]);
        }
        free(alone);
    }
}

static tumen_scenario *load(const char *const *names, size_t n)
{
    char paths[8][512];
    const char *files[8];
    for (size_t i = 0; i < n; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/examples/flagship/%s", TUMEN_SOURCE_DIR,
                 names[i]);
        files[i] = paths[i];
    }
    tumen_scenario *sc = NULL;
    tumen_error err = {0};
    if (tumen_scenario_load(&sc, files, n, &err) != TUMEN_OK)
        fail_msg("%s:%d: %s: %s", err.file, err.line, err.field, err.message);
    return sc;
}

/* Three different runs of the flagship journey (three legs, consist changes, allowances)
 * on one scenario. */
static void test_runs_on_one_scenario(void **state)
{
    (void)state;
    static const char *files[] = {"journey.yaml"};
    tumen_scenario *sc = load(files, 1);
    const request_fn requests[] = {run_fastest_point, run_strip_eco, run_linear};
    check_together(sc, requests, 3);
    tumen_scenario_destroy(sc);
}

/* On one scenario of the flagship network and day: the timetable (in the calling thread
 * and on two workers of its own), its conflicts (likewise), the special train in both
 * modes, a route with its run, and the day's files loaded again on two threads. The
 * conflicts on two workers are the conflicts on one. */
static void test_timetable_and_special_on_one_scenario(void **state)
{
    (void)state;
    static const char *files[] = {"network.yaml", "train.yaml", "timetable.yaml",
                                  "special.yaml"};
    tumen_scenario *sc = load(files, 4);
    const request_fn requests[] = {timetable_one_thread, timetable_two_threads,
                                   conflicts_buffered,   conflicts_two_threads,
                                   special_fit,          special_priority,
                                   route_run,            load_two_threads};
    check_together(sc, requests, 8);
    char *one = conflicts_buffered(sc), *two = conflicts_two_threads(sc);
    assert_true(one && two);
    assert_string_equal(one, two);
    free(one);
    free(two);
    tumen_scenario_destroy(sc);
}

/* Two imports of one railML file at once: the XML parser is first used here (this test
 * runs first), by both threads together. */
static void test_imports_at_once(void **state)
{
    (void)state;
    const request_fn requests[] = {import_railml, import_railml};
    check_together(NULL, requests, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_imports_at_once),
        cmocka_unit_test(test_runs_on_one_scenario),
        cmocka_unit_test(test_timetable_and_special_on_one_scenario),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
