/* config.c: the options the service runs with and each worker thread's store (config.h).
 * serve_run sets them once, before the daemon starts; the handlers and jobs only read. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static serve_options g_opt;
static pthread_key_t g_store_key;

void serve_options_init(serve_options *o)
{
    memset(o, 0, sizeof *o);
    o->db = "tumen.db";
    o->listen = "127.0.0.1:8080";
    o->threads = 4;
    o->max_body = 16u << 20;
    o->timeout = 30;
    o->budget_ms = 2000;
    o->max_time = 600;
    o->compute_threads = 1;
}

const serve_options *server_options(void)
{
    return &g_opt;
}

static void store_release(void *p)
{
    store_close(p);
}

int server_config_start(const serve_options *o)
{
    g_opt = *o;
    return pthread_key_create(&g_store_key, store_release) != 0 ? -1 : 0;
}

store *server_store(void)
{
    store *st = pthread_getspecific(g_store_key);
    if (st)
        return st;
    char msg[256];
    if (store_open(&st, g_opt.db, msg, sizeof msg) != STORE_OK) {
        fprintf(stderr, "tumen serve: %s\n", msg);
        return NULL;
    }
    pthread_setspecific(g_store_key, st);
    return st;
}

void server_store_detach(void)
{
    pthread_setspecific(g_store_key, NULL);
}
