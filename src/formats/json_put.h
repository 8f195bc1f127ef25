/* json_put.h: building JSON documents with jansson, shared by the writers (a run's summary,
 * a timetable's result): numbers that JSON can hold, strings that are valid UTF-8, and
 * insertion that records failure instead of checking every call. */
#ifndef TM_JSON_PUT_H
#define TM_JSON_PUT_H

#include <jansson.h>

/* A JSON number, or null for NaN/infinity (which JSON cannot hold). */
json_t *tm_json_real(double x);

/* A JSON string of s. A name cut in the middle of a UTF-8 character (by an older fixed-size
 * field) loses that tail; as a last resort every non-ASCII byte becomes '?', so a name
 * never makes the output fail. */
json_t *tm_json_str(const char *s); /* NULL: "" */

/* Adds key: value to obj (or value to array), taking value's reference; a NULL value or a
 * failure sets *bad. */
void tm_json_put(json_t *obj, const char *key, json_t *value, int *bad);
void tm_json_append(json_t *array, json_t *value, int *bad);

#endif
