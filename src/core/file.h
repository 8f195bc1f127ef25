/* file.h: a whole input file read into memory, for every reader. */
#ifndef TM_FILE_H
#define TM_FILE_H

#include <stddef.h>

#include "tumen.h"

/* Reads the file at path into a new buffer, NUL-terminated after its length bytes (the
 * caller frees *text). A file larger than max bytes is TUMEN_EINPUT naming the limit;
 * TUMEN_EIO when it cannot be opened or read, TUMEN_ENOMEM; err names the path. */
int tm_read_whole_file(const char *path, size_t max, char **text, size_t *length,
                       tumen_error *err);

#endif
