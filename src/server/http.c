/* http.c: requests and replies as the handlers see them (http.h): setting a reply, reading
 * a request's headers, arguments and JSON body. */
#include "http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <microhttpd.h>

void reply_take(reply *r, int status, char *json)
{
    free(r->body);
    r->status = status;
    r->body = json;
    r->size = json ? strlen(json) : 0;
    r->type = NULL;
}

void reply_json(reply *r, int status, const char *json)
{
    size_t n = strlen(json);
    char *copy = malloc(n + 1);
    if (copy)
        memcpy(copy, json, n + 1);
    reply_take(r, copy ? status : 500, copy);
}

void reply_error(reply *r, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *o = json_pack("{s:s}", "error", msg);
    reply_take(r, status, o ? json_dumps(o, JSON_COMPACT) : NULL);
    json_decref(o);
}

const char *request_header(const request *q, const char *name)
{
    return MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND, name);
}

const char *request_arg(const request *q, const char *name)
{
    return MHD_lookup_connection_value(q->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* The deepest nesting of arrays and objects in a JSON text (strings skipped). */
static int json_depth(const char *s, size_t n)
{
    int depth = 0, worst = 0, in_string = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > worst)
                worst = depth;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return worst;
}

#define MAX_JSON_DEPTH 64

int body_object(const request *q, reply *r, json_t **out)
{
    *out = NULL;
    if (json_depth(q->body, q->size) > MAX_JSON_DEPTH) {
        reply_error(r, 400, "request body: nested deeper than %d levels", MAX_JSON_DEPTH);
        return -1;
    }
    json_error_t e;
    json_t *o = json_loadb(q->body, q->size, JSON_REJECT_DUPLICATES, &e);
    if (!o) {
        reply_error(r, 400, "request body:%d: %s", e.line, e.text);
        return -1;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        reply_error(r, 400, "request body:1: a JSON object is expected");
        return -1;
    }
    *out = o;
    return 0;
}
