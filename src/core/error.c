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
    char line[24] = "";
    if (err->file[0] && err->line > 0)
        snprintf(line, sizeof line, ":%d", err->line);
    /* a buffer too small is clipped at a character, with an ellipsis (core/text.h) */
    tm_snclip(buf, size, "%s%s%s%s%s%s", err->file, line, err->file[0] ? ": " : "", err->field,
              err->field[0] ? ": " : "", err->message[0] ? err->message : tumen_strerror(err->code));
}
