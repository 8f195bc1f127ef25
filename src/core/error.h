/* error.h: filling a tumen_error. Every fallible internal function takes a tumen_error *
 * as its last argument and returns a tumen_status. */
#ifndef TM_ERROR_H
#define TM_ERROR_H

#include "tumen.h"

/* Sets err (if not NULL) and returns code, so callers can `return tm_error_set(...)`.
 * file and field may be NULL; line 0 means unknown. */
int tm_error_set(tumen_error *err, int code, const char *file, int line, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Clears err to TUMEN_OK. */
void tm_error_clear(tumen_error *err);

#endif
