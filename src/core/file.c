/* file.c: a whole input file read into memory (core/file.h). */
#include "core/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int tm_read_whole_file(const char *path, size_t max, char **text, size_t *length,
                       tumen_error *err)
{
    *text = NULL;
    *length = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return tm_error_set(err, TUMEN_EIO, path, 0, NULL, "cannot open the file: %s",
                            strerror(errno));
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = TUMEN_OK;
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                rc = tm_error_set(err, TUMEN_EINPUT, path, 0, NULL,
                                  "the file is larger than %zu MB", max >> 20);
                break;
            }
            cap = cap ? 2 * cap : 65536;
            char *p = realloc(buf, cap + 1); /* + 1: room for the terminating NUL */
            if (!p) {
                rc = tm_error_set(err, TUMEN_ENOMEM, path, 0, NULL, "out of memory");
                break;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = tm_error_set(err, TUMEN_EIO, path, 0, NULL, "cannot read the file: %s",
                                  strerror(errno));
            break;
        }
    }
    fclose(f);
    if (rc != TUMEN_OK) {
        free(buf);
        return rc;
    }
    if (!buf && !(buf = malloc(1)))
        return tm_error_set(err, TUMEN_ENOMEM, path, 0, NULL, "out of memory");
    buf[n] = '\0';
    *text = buf;
    *length = n;
    return TUMEN_OK;
}
