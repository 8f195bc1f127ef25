/* config.h: the options the service runs with, and each worker thread's store opened on
 * them (config.c): what every request may reach, set once by serve_run before the first. */
#ifndef TM_SERVER_CONFIG_H
#define TM_SERVER_CONFIG_H

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

/* Takes the options for the life of the service and readies the per-thread stores.
 * 0, or -1 when the thread key cannot be made. */
int server_config_start(const serve_options *o);

/* The options given to server_config_start. */
const serve_options *server_options(void);

/* The store of the calling thread (one per thread, opened on first use). */
store *server_store(void);

/* Forgets the calling thread's store without closing it (the caller closes it). */
void server_store_detach(void);

#endif
