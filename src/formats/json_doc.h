/* json_doc.h: the one way JSON texts are parsed (railjson, OSRD rolling stock, TTOBench):
 * a UTF-8 byte-order mark is skipped, duplicate keys are refused, and a syntax error names
 * the file and the line jansson found it at (a text cut short: its last line). */
#ifndef TM_JSON_DOC_H
#define TM_JSON_DOC_H

#include <jansson.h>
#include <stddef.h>

#include "tumen.h"

/* Parses text (length bytes) into *out (the caller json_decref's it). Errors: TUMEN_EPARSE
 * (file:line: message), TUMEN_ENOMEM. */
int tm_json_load(json_t **out, const char *file, const char *text, size_t length,
                 tumen_error *err);

/* The line where a value is written, for errors about values that jansson read (it keeps
 * no positions): path is a field path as errors show it ("switches[0].ports.A",
 * "timing points.values[3]"), each key found as the first quoted key after the one before,
 * each [i] as item i of the array that follows. 0 when not found. A locator, not a parser:
 * good for naming a line in a message. */
int tm_json_line(const char *text, size_t length, const char *path);

#endif
