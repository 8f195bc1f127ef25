/* support.h: small helpers shared by the tests (linked into every tests/test_*.c). */
#ifndef TM_TEST_SUPPORT_H
#define TM_TEST_SUPPORT_H

#include <stddef.h>

#include "model/scenario.h"

/* Reads a whole file into a new NUL-terminated buffer (the NUL is not counted in *length;
 * length may be NULL). Returns NULL if the file cannot be read. The caller frees. */
char *tm_test_read_file(const char *path, size_t *length);

/* The shared data folder (TUMEN_SHARED_DIR, ../shared beside the project) if it exists,
 * else NULL: tests that use it call tm_test_skip() when this is NULL. */
const char *tm_test_shared_dir(void);

/* Writes "<shared dir>/<relative>" into buf. Returns 0, or -1 if there is no shared folder,
 * the path does not fit, or the file does not exist. */
int tm_test_shared_path(char *buf, size_t size, const char *relative);

/* A pseudo-random integer in [0, n) from a 64-bit LCG state (generated test cases: the
 * same seed gives the same case everywhere). */
unsigned tm_test_rnd(unsigned long long *state, unsigned n);

/* A text built up piece by piece (generated YAML). tm_test_put appends printf-style and
 * aborts when the text would not fit; tm_test_save writes a text to a file or aborts. */
typedef struct tm_test_text {
    char s[1 << 16];
    size_t n;
} tm_test_text;

void tm_test_put(tm_test_text *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tm_test_save(const char *path, const char *text);

/* Vehicles and trains (pax, goods, spec) as tumen YAML, for generated cases. */
extern const char tm_test_stock_yaml[];

/* "$TMPDIR/name" (TMPDIR, else /tmp) into buf, for mkdtemp/mkstemp templates; the test
 * fails if it does not fit. Returns buf. */
char *tm_test_tmp(char *buf, size_t size, const char *name);

/* A test that cannot run: says why on stdout and skips the cmocka test (it does not return).
 * Under CI=true (where `make test` has installed everything) it fails instead. */
void tm_test_skip(const char *why);

/* What main returns: the failures if any; else 77 (ctest's SKIP_RETURN_CODE) if a test was
 * skipped, so that ctest counts the program as skipped, not passed; else 0. */
int tm_test_exit(int failures);

/* Generates a synthetic day (tm_gen_network: km of network, services, seed 1) into the
 * temporary folder named by the mkdtemp template dir, loads it, removes the files and
 * returns the scenario (the caller frees it); any failure fails the test. */
tm_scenario *tm_test_day(double km, size_t services, char *dir);

#endif
