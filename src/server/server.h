/* server.h: tumen serve, the planning service (HTTP on libmicrohttpd, the store of
 * store.h, the library through tumen.h only). server.c: the daemon, routing, tokens,
 * limits and the access log; handlers.c: the resources; jobs.c: long requests. */
#ifndef TM_SERVER_H
#define TM_SERVER_H

#include <stddef.h>

#include "store.h"

typedef struct serve_options {
    const char *db;          /* the SQLite file */
    const char *listen;      /* HOST:PORT, loopback by default */
    int threads;             /* HTTP worker threads */
    size_t max_body;         /* bytes; a larger request body is answered 413 */
    int timeout;             /* s a connection may stay idle (slow clients) */
    int budget_ms;           /* a request still computing after this answers 202 + a job */
    int max_time;            /* s a job may run before it is cancelled */
    int compute_threads;     /* threads for one computation (timetable runs) */
    const char *log;         /* access log file, NULL: standard error */
} serve_options;

void serve_options_init(serve_options *o);

/* Runs the service until SIGINT or SIGTERM; returns the exit status. */
int serve_run(const serve_options *o);

/* The entry points src/cli/cmd_serve.c calls (it declares them itself: a front end
 * includes only tumen.h and its own folder). tm_server_run: serve_run with the options
 * given (0 or NULL: the default). tm_server_token_add: adds a token, prints it once (its
 * last word on the last line), stores only its hash. Both return an exit status. */
int tm_server_run(const char *db, const char *listen, int threads, int timeout_s,
                  long max_body, int budget_ms, const char *log);
int tm_server_token_add(const char *db, const char *name, const char *role);
/* PRAGMA integrity_check of the store: prints its answer, 0 when "ok". */
int tm_server_check(const char *db);

/* ---- Shared by the server's files ------------------------------------------------------ */

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

/* The store of the calling thread (one per thread, opened on first use). */
store *server_store(void);
const serve_options *server_options(void);

/* A request header or query argument, or NULL. */
const char *request_header(const request *q, const char *name);
const char *request_arg(const request *q, const char *name);

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

extern const route server_routes[];
extern const size_t server_n_routes;

/* /openapi.json from the route table. */
char *openapi_document(void);

/* ---- Jobs (jobs.c) ----------------------------------------------------------------------- */

/* A computation: fills status and body (owned) from its input; progress in [0, 1] may be
 * raised as it goes; it reads *cancelled to stop early where it can. */
typedef struct job_ctx {
    volatile int *cancelled;
    volatile double *progress;
} job_ctx;
typedef void (*job_fn)(void *input, const job_ctx *ctx, reply *out);

/* Starts fn(input) on its own thread (free_input releases input when it is done) and waits
 * up to the budget (none when q->async): the reply is the result when it is done, else 202
 * with the job id. */
void job_run(const request *q, reply *r, job_fn fn, void *input, void (*free_input)(void *));
void jobs_get(const request *q, reply *r);
void jobs_cancel(const request *q, reply *r);
/* Waits for running jobs to finish (at shutdown). */
void jobs_shutdown(void);
/* Frees the scenarios kept for the next request (handlers.c; at shutdown). */
void scenarios_shutdown(void);

/* ---- The day as it is now (handlers.c) ----------------------------------------------------- */

struct tumen_scenario;
struct tumen_error;
struct tumen_blocking;
struct tumen_conflicts;
/* Loads scenario id as it is now: its files and the change of every active booking (in
 * booking order) but `skip` (0: none), and, if extra, one more text last. basis (may be
 * NULL) receives the ids of the bookings loaded, each followed by ',' (the caller frees).
 * 0, or -1 with r set (404, 400 naming the file, 500). Give *sc back with scenario_release. */
int scenario_now(long long id, long long skip, const char *extra_name, const char *extra,
                 struct tumen_scenario **sc, char **basis, reply *r);
void scenario_release(struct tumen_scenario *sc);
/* A library error as a reply: bad input 400 (file:line: field: message), 422, else 500. */
void reply_tumen(reply *r, const struct tumen_error *err);
/* The timetable's conflicts (*c, borrowing the blocking times *b); ctx NULL: no job. */
struct job_ctx;
int conflicts_find(const struct tumen_scenario *sc, const struct job_ctx *ctx,
                   struct tumen_blocking **b, struct tumen_conflicts **c,
                   struct tumen_error *err);

/* ---- Bookings (bookings.c) --------------------------------------------------------------- */

void h_booking_post(const request *q, reply *r);
void h_booking_delete(const request *q, reply *r);

/* ---- JSON helpers -------------------------------------------------------------------------- */

/* Parses a request body as a JSON object no deeper than 64 levels; 0 or a 400 reply. */
struct json_t;
int body_object(const request *q, reply *r, struct json_t **out);

#endif
