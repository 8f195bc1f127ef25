/* test_alloc_fail.c: every allocation that fails is survived: TUMEN_ENOMEM, nothing leaked
 * (the ASan build's LeakSanitizer checks at exit), nothing freed twice.
 *
 * The hook: this test is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * --wrap=strdup (CMakeLists.txt), so every allocation of the library (a static archive) goes
 * through __wrap_malloc and friends here, which fail the Nth call on demand. jansson's
 * allocations come through the same hook (json_set_alloc_funcs); libyaml's and libxml2's
 * cannot be hooked (libyaml has no allocator hook; their failures are reported as the
 * parser's YAML_MEMORY_ERROR and mapped to TUMEN_ENOMEM by the loader, untested here).
 *
 * Each walk runs an operation once to count its allocations, then again failing allocation
 * N for every N up to 1000 and for about 200 N spread evenly beyond (a larger operation is
 * sampled, to keep the test to seconds): a run that hit its failure must return
 * TUMEN_ENOMEM; one that did not must succeed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "block/blocking.h"
#include "core/error.h"
#include "model/scenario.h"
#include "plan/occupancy.h"
#include "formats/readers.h"
#include "plan/special_plan.h"
#include "plan/timetable.h"
#include "support.h"
#include "tumen.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static long fail_at = -1; /* the allocation (1-based) that fails; -1: none */
static long calls;        /* allocations since the hook was armed */
static int failed;        /* the armed failure happened */

static int fail_now(void)
{
    if (fail_at < 0)
        return 0;
    if (++calls == fail_at) {
        failed = 1;
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    if (fail_now())
        return NULL;
    size_t n = strlen(s) + 1;
    char *copy = __real_malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

static void *json_alloc(size_t n)
{
    return __wrap_malloc(n);
}

/* An operation under test: returns its status and frees whatever it made. */
typedef int (*operation)(void *arg, tumen_error *err);

static void arm(long n)
{
    fail_at = n;
    calls = 0;
    failed = 0;
}

static void walk(const char *name, operation op, void *arg)
{
    tumen_error err;
    arm(1L << 60); /* count, never fail */
    int rc = op(arg, &err);
    long total = calls;
    fail_at = -1;
    if (rc != TUMEN_OK)
        fail_msg("%s: does not run without a failure: %s", name, err.message);
    long step = total > 1000 ? (total - 1000) / 200 + 1 : 1;
    long tried = 0;
    for (long n = 1; n <= total; n += n < 1000 ? 1 : step) {
        arm(n);
        memset(&err, 0, sizeof err);
        rc = op(arg, &err);
        int hit = failed;
        fail_at = -1;
        tried++;
        if (hit && rc != TUMEN_ENOMEM)
            fail_msg("%s: allocation %ld of %ld failed: status %d, not TUMEN_ENOMEM: %s:%d: %s",
                     name, n, total, rc, err.file, err.line, err.message);
        if (!hit && rc != TUMEN_OK)
            fail_msg("%s: allocation %ld not reached, yet status %d: %s", name, n, rc,
                     err.message);
    }
    printf("# %s: %ld allocations, %ld failures tried\n", name, total, tried);
}

/* ---- The operations ------------------------------------------------------------------- */

static const char *const corridor[] = {TUMEN_SOURCE_DIR "/tests/data/simple.yaml",
                                       TUMEN_SOURCE_DIR "/tests/data/corridor.yaml",
                                       TUMEN_SOURCE_DIR "/tests/data/corridor_conflicts.yaml"};

static int load_corridor(void *arg, tumen_error *err)
{
    (void)arg;
    tm_scenario *sc = NULL;
    int rc = tm_scenario_load(&sc, corridor, 3, err);
    tm_scenario_free(sc);
    return rc;
}

static int run_journey(void *arg, tumen_error *err)
{
    const char *path = TUMEN_SOURCE_DIR "/tests/data/simple.yaml";
    (void)arg;
    tm_scenario *sc = NULL;
    int rc = tm_scenario_load(&sc, &path, 1, err);
    tumen_result *res = NULL;
    if (rc == TUMEN_OK)
        rc = tm_scenario_run(sc, NULL, &res, err);
    tumen_result_destroy(res);
    tm_scenario_free(sc);
    return rc;
}

static int run_timetable(void *arg, tumen_error *err)
{
    const tm_scenario *sc = arg;
    tm_timetable_options opt;
    tm_timetable_options_init(&opt);
    opt.threads = 1;
    tm_timetable_result r;
    int rc = tm_timetable_run(sc, NULL, &opt, &r, err);
    if (rc == TUMEN_OK)
        tm_timetable_result_free(&r);
    return rc;
}

static int find_conflicts(void *arg, tumen_error *err)
{
    const tm_scenario *sc = arg;
    tm_blocking_params p;
    tm_blocking_params_default(&p);
    tm_resource_map map;
    memset(&map, 0, sizeof map);
    tm_occupation *occ = NULL;
    size_t n_occ = 0, *group = NULL, n_c = 0;
    tm_conflict *c = NULL;
    int rc = tm_resource_map_build(&sc->network, &map);
    if (rc != TUMEN_OK)
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (rc == TUMEN_OK)
        rc = tm_timetable_occupations(sc, &map, &p, 1, &occ, &n_occ, NULL, err);
    if (rc == TUMEN_OK && (tm_timetable_convoy_groups(&sc->timetable, &group) != TUMEN_OK ||
                           tm_conflicts_find(occ, n_occ, map.capacity, group, &c, &n_c) !=
                               TUMEN_OK))
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (rc == TUMEN_OK && n_c != 8)
        rc = tm_error_set(err, TUMEN_EINPUT, NULL, 0, NULL, "%zu conflicts, not 8", n_c);
    free(c);
    free(group);
    free(occ);
    tm_resource_map_free(&map);
    return rc;
}

/* A scenario with its special request (the loader hands the request over apart). */
typedef struct with_request {
    tm_scenario *sc;
    struct tm_special_spec *sp;
} with_request;

static int plan_special_mode(const with_request *w, int mode, tumen_error *err)
{
    tm_special_options opt;
    memset(&opt, 0, sizeof opt);
    opt.mode = mode;
    opt.threads = 1;
    tm_special_result r;
    int rc = tm_special_plan(w->sc, w->sp, &opt, &r, err);
    if (rc == TUMEN_OK)
        tm_special_result_free(&r);
    return rc;
}

static int plan_fit(void *arg, tumen_error *err)
{
    return plan_special_mode(arg, TM_SPECIAL_FIT, err);
}

static int plan_priority(void *arg, tumen_error *err)
{
    return plan_special_mode(arg, TM_SPECIAL_PRIORITY, err);
}

/* ---- Tests ---------------------------------------------------------------------------- */

static void test_scenario_load(void **state)
{
    (void)state;
    walk("scenario load", load_corridor, NULL);
    walk("journey run", run_journey, NULL);
}

static tm_scenario *load(const char *const *paths, size_t n)
{
    tm_scenario *sc = NULL;
    tumen_error err;
    if (tm_scenario_load(&sc, paths, n, &err) != TUMEN_OK)
        fail_msg("%s:%d: %s", err.file, err.line, err.message);
    return sc;
}

static void test_timetable_and_conflicts(void **state)
{
    (void)state;
    tm_scenario *sc = load(corridor, 3);
    walk("timetable run", run_timetable, sc);
    walk("conflicts", find_conflicts, sc);
    tm_scenario_free(sc);
}

static void test_special(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/tumen-alloc-special-%ld.yaml", tmp && *tmp ? tmp : "/tmp",
             (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("special:\n  id: vip\n  train: regional\n  from: AST\n  to: COL\n"
          "  earliest_departure: \"06:05\"\n"
          "  pilot: {train: regional, lead: 4 min}\n"
          "  costs: {passenger: {delay_per_min: 5, cancel: 600}, freight: {delay_per_min: 1, "
          "cancel: 120}}\n"
          "  security: {margin_time: 60 s, opposing_margin: 120 s, station_margin: 60 s, "
          "margin_distance: 0 m}\n",
          f);
    assert_int_equal(fclose(f), 0);
    const char *paths[4] = {TUMEN_SOURCE_DIR "/tests/data/simple.yaml",
                            TUMEN_SOURCE_DIR "/tests/data/corridor.yaml",
                            TUMEN_SOURCE_DIR "/tests/data/corridor_clear.yaml", path};
    with_request w = {NULL, NULL};
    tumen_error err;
    if (tm_scenario_load_with(&w.sc, &w.sp, paths, 4, &err) != TUMEN_OK)
        fail_msg("%s:%d: %s", err.file, err.line, err.message);
    remove(path);
    walk("special request (fit)", plan_fit, &w);
    walk("special request (priority)", plan_priority, &w);
    free(w.sp);
    tm_scenario_free(w.sc);
}

int main(void)
{
    json_set_alloc_funcs(json_alloc, free);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_load),
        cmocka_unit_test(test_timetable_and_conflicts),
        cmocka_unit_test(test_special),
    };
    return cmocka_run_group_tests_name("alloc_fail", tests, NULL, NULL);
}
