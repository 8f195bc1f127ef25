/* server.h: tumen serve, the planning service (HTTP on libmicrohttpd, the store of
 * store.h, the library through tumen.h only). server.c, on top: the daemon, routing by the
 * route table, tokens, limits and the access log. Below it: handlers.c (the resources and
 * the route table), bookings.c, openapi.c; day.c (a scenario as it is now); jobs.c (long
 * requests); http.c (requests and replies); config.c (options, each thread's store);
 * store.c over its drivers. */
#ifndef TM_SERVER_H
#define TM_SERVER_H

#include <stddef.h>

#include "config.h"

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

#endif
