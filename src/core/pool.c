/* pool.c: a fork-join pool (core/pool.h): threads that take job indexes from one atomic
 * counter, or that run one worker each. One mechanism for every parallel loop of the
 * library (a timetable's runs, its blocking times, the simulation's replications). */
#include "core/pool.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct pool {
    void (*job)(void *ctx, size_t i);
    void *ctx;
    size_t n;
    atomic_size_t next;
} pool;

/* Takes job indexes until none is left. */
static void take(pool *p)
{
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            return;
        p->job(p->ctx, i);
    }
}

/* A worker as a thread's start routine. */
typedef struct start {
    void (*worker)(void *ctx);
    void *ctx;
} start;

static void *run_worker(void *arg)
{
    const start *s = arg;
    s->worker(s->ctx);
    return NULL;
}

void tm_pool_workers(int threads, void (*worker)(void *ctx), void *ctx)
{
    start s = {worker, ctx};
    size_t want = threads > 1 ? (size_t)threads : 1;
    if (want > TM_POOL_MAX_THREADS)
        want = TM_POOL_MAX_THREADS;
    pthread_t ids[TM_POOL_MAX_THREADS];
    size_t started = 0;
    for (; started + 1 < want; started++)
        if (pthread_create(&ids[started], NULL, run_worker, &s) != 0)
            break; /* fewer threads: the same result, later */
    worker(ctx);
    for (size_t t = 0; t < started; t++)
        pthread_join(ids[t], NULL);
}

static void take_all(void *arg)
{
    take(arg);
}

void tm_pool_run(int threads, size_t n, void (*job)(void *ctx, size_t i), void *ctx)
{
    pool p = {job, ctx, n, 0};
    atomic_init(&p.next, 0);
    size_t want = threads > 1 ? (size_t)threads : 1;
    if (want > n) /* no thread without a job */
        want = n ? n : 1;
    tm_pool_workers(want > TM_POOL_MAX_THREADS ? TM_POOL_MAX_THREADS : (int)want, take_all, &p);
}
