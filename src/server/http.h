/* http.h: a request and its reply as the service's handlers see them, and the route a
 * request is dispatched by (http.c). Below every handler and the job runner; server.c, the
 * listener that owns the daemon and dispatches by the route table, stands on top. */
#ifndef TM_SERVER_HTTP_H
#define TM_SERVER_HTTP_H

#include <stddef.h>

enum { ROLE_NONE = 0, ROLE_VIEWER = 1, ROLE_PLANNER = 2, ROLE_ADMIN = 3 };

/* A request as a handler sees it. */
typedef struct request {
    void *conn;              /* struct MHD_Connection */
    const char *method, *url;
    const char *body;        /* NUL-terminated */
    size_t size;
    char who[64];            /* token name, "" without a token */
    int role;
    long long id[2];         /* the path's {id} parameters in order */
    int async;               /* the client asked for a job at once (Prefer: respond-async) */
} request;

/* What a handler answers: status and a JSON (or other) body the reply owns. */
typedef struct reply {
    int status;
    char *body;
    size_t size;
    const char *type;        /* NULL: application/json */
    char location[96];
} reply;

/* Sets a reply: body is copied (printf-style for reply_error). */
void reply_json(reply *r, int status, const char *json);
void reply_take(reply *r, int status, char *json);
void reply_error(reply *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A request header or query argument, or NULL. */
const char *request_header(const request *q, const char *name);
const char *request_arg(const request *q, const char *name);

/* Parses a request body as a JSON object no deeper than 64 levels; 0 or a 400 reply. */
struct json_t;
int body_object(const request *q, reply *r, struct json_t **out);

typedef void (*handler_fn)(const request *q, reply *r);

/* The routes: method, path pattern ({name} matches a positive integer), the least role,
 * the handler, and its description for /openapi.json. */
typedef struct route {
    const char *method, *pattern;
    int role;
    handler_fn fn;
    const char *summary;
    const char *body;        /* JSON schema text of the request body, or NULL */
    const char *codes;       /* the status codes it answers, space-separated */
} route;

#endif
