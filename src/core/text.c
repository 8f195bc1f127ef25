/* text.c: owned names, bounded ids, and clipping at a UTF-8 character boundary (text.h). */
#include "core/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

char *tm_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int tm_name_set(char **dst, const char *src)
{
    char *copy = tm_strdup(src);
    if (src && !copy)
        return -1;
    free(*dst);
    *dst = copy;
    return 0;
}

int tm_name_format(char **dst, const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    if (!s)
        return -1;
    free(*dst);
    *dst = s;
    return 0;
}

const char *tm_name_or(const char *name, const char *fallback)
{
    return name && name[0] ? name : fallback;
}

int tm_name_empty(const char *name)
{
    return !name || !name[0];
}

/* Continuation bytes of UTF-8 are 10xxxxxx. */
static int continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

size_t tm_utf8_prefix(const char *s, size_t n)
{
    size_t len = strnlen(s, n + 1);
    if (len <= n)
        return len;
    /* s[n] is the first byte left out: back up while it continues a character, so the
     * character it belongs to is left out whole. */
    while (n > 0 && continuation((unsigned char)s[n]))
        n--;
    return n;
}

static void clip_in_place(char *buf, size_t size)
{
    const size_t mark = sizeof TM_ELLIPSIS - 1;
    if (size <= mark) { /* no room for the mark: the whole characters that fit */
        buf[tm_utf8_prefix(buf, size - 1)] = '\0';
        return;
    }
    size_t keep = tm_utf8_prefix(buf, size - 1 - mark);
    memcpy(buf + keep, TM_ELLIPSIS, mark + 1);
}

char *tm_utf8_clip(char *buf, size_t size, const char *src)
{
    if (!size)
        return buf;
    if (!src)
        src = "";
    size_t len = strlen(src);
    if (len < size) {
        memmove(buf, src, len + 1);
        return buf;
    }
    const size_t mark = sizeof TM_ELLIPSIS - 1;
    if (size <= mark) { /* no room for the mark: the whole characters that fit */
        size_t keep = tm_utf8_prefix(src, size - 1);
        memmove(buf, src, keep);
        buf[keep] = '\0';
        return buf;
    }
    size_t keep = tm_utf8_prefix(src, size - 1 - mark);
    memmove(buf, src, keep);
    memcpy(buf + keep, TM_ELLIPSIS, mark + 1);
    return buf;
}

char *tumen_text_clip(char *buf, size_t size, const char *src)
{
    return tm_utf8_clip(buf, size, src);
}

char *tm_snclip(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tm_vsnclip(buf, size, fmt, ap);
    va_end(ap);
    return buf;
}

char *tm_vsnclip(char *buf, size_t size, const char *fmt, va_list ap)
{
    if (!size)
        return buf;
    int n = vsnprintf(buf, size, fmt, ap);
    if (n < 0)
        buf[0] = '\0';
    else if ((size_t)n >= size)
        clip_in_place(buf, size);
    return buf;
}

int tm_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p, n;
        unsigned long cp;
        if (c < 0x80) {
            p++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, cp = c & 0x07;
        } else {
            return 0;
        }
        for (unsigned i = 1; i <= n; i++) {
            if (!continuation(p[i]))
                return 0;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        p += n + 1;
    }
    return 1;
}

int tm_id_check(const char *id, const char *file, int line, const char *field,
                tumen_error *err)
{
    if (!id || strlen(id) < TM_ID_LEN)
        return TUMEN_OK;
    char head[48];
    return tm_error_set(err, TUMEN_EINPUT, file, line, field,
                        "id longer than %d bytes ('%s' is %zu bytes)", TM_ID_LEN - 1,
                        tm_utf8_clip(head, sizeof head, id), strlen(id));
}
