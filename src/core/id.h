/* id.h: the one check of an id's length (core/id.c). Above text.c and error.c: it uses
 * both, and neither needs it. */
#ifndef TM_CORE_ID_H
#define TM_CORE_ID_H

#include "core/text.h"

/* Refuses an id of TM_ID_LEN bytes or more: TUMEN_EINPUT with
 * "file:line: field: id longer than 63 bytes (...)"; TUMEN_OK otherwise (NULL id too).
 * file may be NULL, line 0. The one check every reader and the API make. */
int tm_id_check(const char *id, const char *file, int line, const char *field,
                tumen_error *err);

#endif
