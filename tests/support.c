/* support.c: helpers shared by the tests (see support.h). */
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

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
