/* support.c: helpers shared by the tests (see support.h). */
#include "support.h"

#include <stdarg.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <unistd.h>

#include "formats/readers.h"
#include "gen/gen.h"

char *tm_test_read_file(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf || failed) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (length)
        *length = n;
    return buf;
}

const char *tm_test_shared_dir(void)
{
#ifdef TUMEN_SHARED_DIR
    struct stat st;
    if (stat(TUMEN_SHARED_DIR, &st) == 0 && S_ISDIR(st.st_mode))
        return TUMEN_SHARED_DIR;
#endif
    return NULL;
}

int tm_test_shared_path(char *buf, size_t size, const char *relative)
{
    const char *dir = tm_test_shared_dir();
    if (!dir)
        return -1;
    int n = snprintf(buf, size, "%s/%s", dir, relative);
    if (n < 0 || (size_t)n >= size)
        return -1;
    struct stat st;
    return stat(buf, &st) == 0 ? 0 : -1;
}

unsigned tm_test_rnd(unsigned long long *state, unsigned n)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((*state >> 33) % n);
}

void tm_test_put(tm_test_text *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= sizeof b->s - b->n) {
        fprintf(stderr, "tm_test_put: the generated text does not fit\n");
        abort();
    }
    b->n += (size_t)k;
}

void tm_test_save(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "tm_test_save: cannot write %s\n", path);
        abort();
    }
}

/* The rolling stock of the generated special-train cases: a diesel, coaches, wagons; a
 * passenger train, a goods train and the special's consist. */
const char tm_test_stock_yaml[] =
    "vehicles:\n"
    "  - {id: dl, kind: locomotive, power: diesel, mass: 120 t, length: 20 m, axles: 6,\n"
    "     max_speed: 100 km/h, traction: {max_force: 300 kN, max_power: 2000 kW},\n"
    "     resistance: {law: davis, a: 2 kN, b: 20 N/(km/h), c: 0.4 N/(km/h)^2},\n"
    "     brake: {deceleration: 0.5 m/s2}}\n"
    "  - {id: coach, kind: coach, mass: 50 t, length: 25 m, axles: 4,\n"
    "     resistance: {law: davis, a: 1 kN, b: 5 N/(km/h), c: 0.1 N/(km/h)^2},\n"
    "     brake: {deceleration: 0.5 m/s2}}\n"
    "  - {id: wagon, kind: wagon, mass: 25 t, load: 50 t, length: 14 m, axles: 4,\n"
    "     max_speed: 80 km/h,\n"
    "     resistance: {law: davis, a: 1.5 kN, b: 3 N/(km/h), c: 0.05 N/(km/h)^2},\n"
    "     brake: {deceleration: 0.35 m/s2}}\n"
    "trains:\n"
    "  - {id: pax, consist: \"dl + 4 x coach\"}\n"
    "  - {id: goods, consist: \"dl + 16 x wagon\"}\n"
    "  - {id: spec, consist: \"dl + 3 x coach\"}\n";

static int skipped;

void tm_test_skip(const char *why)
{
    const char *ci = getenv("CI");
    if (ci && !strcmp(ci, "true"))
        fail_msg("cannot run under CI=true: %s (make test installs what the tests need)", why);
    printf("# SKIPPED: %s\n", why);
    skipped++;
    skip();
}

int tm_test_exit(int failures)
{
    if (failures)
        return failures;
    return skipped ? 77 : 0;
}

char *tm_test_tmp(char *buf, size_t size, const char *name)
{
    const char *dir = getenv("TMPDIR");
    int n = snprintf(buf, size, "%s/%s", dir && *dir ? dir : "/tmp", name);
    if (n < 0 || (size_t)n >= size)
        fail_msg("the temporary path under TMPDIR is too long for %zu bytes", size);
    return buf;
}

tm_scenario *tm_test_day(double km, size_t services, char *dir)
{
    assert_non_null(mkdtemp(dir));
    tm_gen_options o = {km, services, 1};
    tumen_error err = {0};
    assert_int_equal(tm_gen_network(&o, dir, NULL, &err), TUMEN_OK);
    static const char *const names[] = {"network.yaml", "trains.yaml", "timetable.yaml"};
    char paths[3][256];
    const char *files[3];
    for (int i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, names[i]);
        files[i] = paths[i];
    }
    tm_scenario *sc = NULL;
    assert_int_equal(tm_scenario_load(&sc, files, 3, &err), TUMEN_OK);
    for (int i = 0; i < 3; i++)
        unlink(paths[i]);
    rmdir(dir);
    return sc;
}
