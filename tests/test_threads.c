/* test_threads.c: the thread-safety contract (docs/api.md, "Thread safety"): several threads
 * running different requests on ONE loaded, read-only scenario get the same results as
 * the same requests run one at a time.
 *
 * Each request reduces its result to a text: every number printed exactly (%a), so two
 * results agree only if they are bit for bit the same. The requests are first run one at
 * a time (the reference), then all together, each in its own thread, started at one
 * barrier and repeated, so that they overlap for most of their length. `make test-tsan`
 * builds this test with -fsanitize=thread (CMake option TUMEN_TSAN) and runs it: a data
 * race anywhere on these paths (a static buffer, a shared cache, non-reentrant libc) is
 * a failure there even when the results happen to agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/api.h"
#include "formats/import.h"
#include "formats/timetable_out.h"
#include "model/scenario.h"
#include "plan/special_plan.h"
#include "plan/timetable.h"
#include "tumen.h"

#define REPEAT 3 /* each thread runs its request this many times */

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

/* The timetable as `tumen timetable --json` prints it; workers of its own when threads>1. */
static char *timetable_text(const tumen_scenario *sc, int threads)
{
    tm_timetable_options o;
    tm_timetable_options_init(&o);
    o.threads = threads;
    tm_timetable_result r;
    tumen_error err = {0};
    if (tm_timetable_run(tm_api_model(sc), NULL, &o, &r, &err) != TUMEN_OK) {
        print_error("timetable: %s\n", err.message);
        return NULL;
    }
    json_t *doc = tm_timetable_to_json(tm_api_model(sc), &r);
    char *text = doc ? json_dumps(doc, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(doc);
    tm_timetable_result_free(&r);
    return text;
}

static char *timetable_one_thread(const tumen_scenario *sc)
{
    return timetable_text(sc, 1);
}

static char *timetable_two_threads(const tumen_scenario *sc)
{
    return timetable_text(sc, 2);
}

static char *special_text(const tumen_scenario *sc, int mode)
{
    tm_special_options o;
    memset(&o, 0, sizeof o);
    o.mode = mode;
    o.threads = 1;
    tm_special_result r;
    tumen_error err = {0};
    if (tm_special_plan(tm_api_model(sc), &o, &r, &err) != TUMEN_OK) {
        print_error("special: %s\n", err.message);
        return NULL;
    }
    char *text = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&text, &size);
    if (!fp) {
        tm_special_result_free(&r);
        return NULL;
    }
    fprintf(fp, "%d %d %s %a %a %a %a\n", r.infeasible, r.has_plan, r.why, r.departure,
            r.arrival, r.fastest_arrival, r.cost);
    for (size_t i = 0; i < r.n_changes; i++)
        fprintf(fp, "change %zu %d %zu %a\n", r.changes[i].service, r.changes[i].cancelled,
                r.changes[i].op, r.changes[i].delay);
    for (int w = 0; w < 3; w++)
        for (size_t i = 0; r.present[w] && i < r.runs[w].n_calls; i++)
            fprintf(fp, "%d %zu %a %a %d\n", w, r.runs[w].calls[i].op, r.runs[w].calls[i].arrival,
                    r.runs[w].calls[i].departure, r.runs[w].calls[i].stop);
    fclose(fp);
    tm_special_result_free(&r);
    return text;
}

static char *special_fit(const tumen_scenario *sc)
{
    return special_text(sc, TM_SPECIAL_FIT);
}

static char *special_priority(const tumen_scenario *sc)
{
    return special_text(sc, TM_SPECIAL_PRIORITY);
}

/* A railML 2.4 file and an OSM extract imported (no scenario shared: libxml2's and
 * readosm's own state is what is shared). */
static char *import_text(const char *relative)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", TUMEN_SOURCE_DIR, relative);
    tm_import imp;
    tumen_error err = {0};
    if (tm_import_file(path, NULL, &imp, &err) != TUMEN_OK) {
        print_error("import %s: %s\n", relative, err.message);
        return NULL;
    }
    char *text = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&text, &size);
    if (fp) {
        const tm_import_summary *m = &imp.summary;
        fprintf(fp, "%d %s %zu %a %zu %zu %zu\n", (int)imp.format, imp.version, m->tracks,
                m->length_m, m->switches, m->signals, m->operational_points);
        fclose(fp);
    }
    tm_import_free(&imp);
    return text;
}

static char *import_railml(const tumen_scenario *sc)
{
    (void)sc;
    return import_text("tests/data/import/line-2.4.xml");
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

/* The flagship day's timetable (alone and on two workers of its own) and the special
 * train in both modes, on one scenario. */
static void test_timetable_and_special_on_one_scenario(void **state)
{
    (void)state;
    static const char *files[] = {"network.yaml", "train.yaml", "timetable.yaml",
                                  "special.yaml"};
    tumen_scenario *sc = load(files, 4);
    const request_fn requests[] = {timetable_one_thread, timetable_two_threads, special_fit,
                                   special_priority};
    check_together(sc, requests, 4);
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
