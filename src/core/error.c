/* error.c: the one error type, its messages and formatting. */
#include "core/error.h"

#include "core/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *tumen_strerror(int code)
{
    switch (code) {
#define TUMEN_CASE(name, value, text) case value: return text;
        TUMEN_ERROR_LIST(TUMEN_CASE)
#undef TUMEN_CASE
    default:
        return "unknown error";
    }
}

static void copy_text(char *dst, size_t size, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    tm_utf8_clip(dst, size, src);
}

int tm_error_set(tumen_error *err, int code, const char *file, int line, const char *field,
                 const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    copy_text(err->file, sizeof err->file, file);
    copy_text(err->field, sizeof err->field, field);
    err->line = line;
    err->column = 0;
    va_list ap;
    va_start(ap, fmt);
    tm_vsnclip(err->message, sizeof err->message, fmt, ap); /* a long name: clipped whole */
    va_end(ap);
    return code;
}

void tm_error_clear(tumen_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void tumen_error_format(const tumen_error *err, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    size_t used = 0;
#define APPEND(...)                                                                   \
    do {                                                                              \
        int n_ = snprintf(buf + used, size - used, __VA_ARGS__);                      \
        if (n_ > 0)                                                                   \
            used += (size_t)n_ < size - used ? (size_t)n_ : size - used - 1;          \
    } while (0)
    if (err->file[0]) {
        APPEND("%s", err->file);
        if (err->line > 0)
            APPEND(":%d", err->line);
        APPEND(": ");
    }
    if (err->field[0])
        APPEND("%s: ", err->field);
    APPEND("%s", err->message[0] ? err->message : tumen_strerror(err->code));
#undef APPEND
}
