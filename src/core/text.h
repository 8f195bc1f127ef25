/* text.h: names of any length, ids of a bounded one, and clipping for display.
 *
 * Free-text names (operational points, vehicles, trains, lines, timetables, roads, consist
 * changes, timing points) are owned heap strings (`char *name`): a struct that holds one
 * frees it in its model lifecycle function (tm_vehicle_free, tm_line_free, ...), and NULL
 * reads as "no name". Nothing cuts a name.
 *
 * Ids keep a fixed storage (TM_ID_LEN): every reader refuses a longer one through
 * tm_id_check, with "file:line: field: id longer than 63 bytes". Ids tumen composes from
 * two ids (a line from its two ends, a special's run "<special>-pilot") are stored in
 * TM_DERIVED_ID_LEN, which two valid ids and a joint fit in.
 *
 * Only display text in fixed buffers (error messages) is ever clipped, and only by
 * tm_utf8_clip / tm_snclip: at a UTF-8 character boundary, marked with an ellipsis.
 */
#ifndef TM_TEXT_H
#define TM_TEXT_H

#include <stdarg.h>
#include <stddef.h>

#include "tumen.h"

#define TM_ID_LEN 64 /* bytes of an id's storage: ids of at most 63 bytes */
#define TM_DERIVED_ID_LEN (2 * TM_ID_LEN + 16) /* two ids, a joint and a short suffix */

/* The ellipsis that marks a clipped text (U+2026, 3 bytes of UTF-8). */
#define TM_ELLIPSIS "\xe2\x80\xa6"

/* A copy of s on the heap (the caller frees it), or NULL for NULL s or when memory runs
 * out (tell the two apart by s). */
char *tm_strdup(const char *s);

/* Replaces *dst (freed) with a copy of src (NULL: none). Returns 0, or -1 when memory runs
 * out (then *dst is unchanged). */
int tm_name_set(char **dst, const char *src);

/* Replaces *dst (freed) with a new string formatted as printf does (a name composed of
 * others, whole). Returns 0, or -1 when memory runs out (then *dst is unchanged). */
int tm_name_format(char **dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* name when it is set and not empty, else fallback (a display default such as the id). */
const char *tm_name_or(const char *name, const char *fallback);

/* 1 if the name is NULL or empty. */
int tm_name_empty(const char *name);

/* The longest prefix of s of at most n bytes that ends at a UTF-8 character boundary
 * (never inside a multibyte sequence). */
size_t tm_utf8_prefix(const char *s, size_t n);

/* Copies src into buf (size > 0 bytes, NUL-terminated). When it does not fit, it is cut
 * at a character boundary and ends with TM_ELLIPSIS. Returns buf. Valid UTF-8 stays valid;
 * the clip never splits a character. */
char *tm_utf8_clip(char *buf, size_t size, const char *src);

/* snprintf into buf, with a too-long result clipped as tm_utf8_clip does. Returns buf. */
char *tm_snclip(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

char *tm_vsnclip(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* 1 if s is valid UTF-8 (no overlong forms, no surrogates, at most U+10FFFF). */
int tm_utf8_valid(const char *s);


#endif
