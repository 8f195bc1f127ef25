/* common.c: what the API's files share: results to memory (text reports, JSON, the bytes
 * of files), argument checks, options of any size. */
#include "api/api.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/atomic.h"
#include "core/c_locale.h"
#include "core/error.h"

int tm_api_null(tumen_error *err, const char *what)
{
    return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "%s must not be NULL", what);
}

int tm_api_text_begin(tm_api_text *t, tumen_error *err)
{
    t->buf = NULL;
    t->len = 0;
    t->f = open_memstream(&t->buf, &t->len);
    if (!t->f)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    t->old = tm_c_numeric_enter();
    return TUMEN_OK;
}

int tm_api_text_end(tm_api_text *t, char **text, size_t *length, tumen_error *err)
{
    int bad = ferror(t->f);
    tm_c_numeric_leave(t->old);
    if (fclose(t->f) != 0 || bad || !t->buf) {
        free(t->buf);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    if (text)
        *text = t->buf;
    else
        free(t->buf);
    if (length)
        *length = t->len;
    return TUMEN_OK;
}

int tm_api_json_text(json_t *doc, size_t flags, char **text, size_t *length,
                     tumen_error *err)
{
    char *s = doc ? json_dumps(doc, flags) : NULL;
    json_decref(doc);
    size_t n = s ? strlen(s) : 0;
    char *out = s ? realloc(s, n + 2) : NULL;
    if (!out) {
        free(s);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    out[n] = '\n';
    out[n + 1] = '\0';
    if (text)
        *text = out;
    else
        free(out);
    if (length)
        *length = n + 1;
    return TUMEN_OK;
}

/* Reads the whole file at path into a new buffer (a NUL after it, for text). */
static int slurp(const char *path, void **data, size_t *length, tumen_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return tm_io_error(err, "read", path, errno);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = TUMEN_OK;
    for (;;) {
        if (n + 1 >= cap) {
            char *p = realloc(buf, cap = cap ? 2 * cap : 65536);
            if (!p) {
                rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
                break;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = tm_io_error(err, "read", path, errno);
            break;
        }
    }
    fclose(f);
    if (rc != TUMEN_OK) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *data = buf;
    if (length)
        *length = n;
    return TUMEN_OK;
}

int tm_api_via_file(tm_api_writer write, const void *ctx, const char *ext, void **data,
                    size_t *length, tumen_error *err)
{
    if (!data)
        return tm_api_null(err, "data");
    *data = NULL;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/tumen-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return tm_io_error(err, "create a temporary folder", dir, errno);
    snprintf(path, sizeof path, "%s/out.%s", dir, ext);
    int rc = write(ctx, path, err);
    if (rc == TUMEN_OK)
        rc = slurp(path, data, length, err);
    remove(path);
    rmdir(dir);
    return rc;
}

int tm_api_image_format(const char *format, tumen_error *err)
{
    if (format && (!strcmp(format, "png") || !strcmp(format, "svg")))
        return TUMEN_OK;
    return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, "format",
                        "an image format is \"png\" or \"svg\", not '%s'",
                        format ? format : "(null)");
}

void tm_api_duration(double seconds, char *buf, size_t size)
{
    long s = lround(seconds);
    if (s < 0)
        s = 0;
    snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
}

void tm_api_options(void *dst, size_t dst_size, const void *src)
{
    if (!src)
        return;
    size_t n;
    memcpy(&n, src, sizeof n);
    if (n < sizeof n)
        return; /* an uninitialised size: keep every default */
    memcpy((char *)dst + sizeof n, (const char *)src + sizeof n,
           (n < dst_size ? n : dst_size) - sizeof n);
}

void tm_api_fill(void *dst, const void *src, size_t src_size)
{
    size_t n;
    memcpy(&n, dst, sizeof n);
    if (n > src_size)
        n = src_size;
    if (n > sizeof n)
        memcpy((char *)dst + sizeof n, (const char *)src + sizeof n, n - sizeof n);
}
