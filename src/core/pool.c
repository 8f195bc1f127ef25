/* pool.c: a fork-join pool (core/pool.h): threads that take job indexes from one atomic
 * counter. One mechanism for every parallel loop of the library (a timetable's runs, its
 * blocking times). */
#include "core/pool.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct pool {
    void (*job)(void *ctx, size_t i);
    void *ctx;
    size_t n;
    atomic_size_t next;
} pool;

static void *take(void *arg)
{
    pool *p = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            return NULL;
        p->job(p->ctx, i);
    }
}

void tm_pool_run(int threads, size_t n, void (*job)(void *ctx, size_t i), void *ctx)
{
    pool p = {job, ctx, n, 0};
    atomic_init(&p.next, 0);
    size_t want = threads > 1 ? (size_t)threads : 1;
    if (want > TM_POOL_MAX_THREADS)
        want = TM_POOL_MAX_THREADS;
    if (want > n)
        want = n ? n : 1;
    pthread_t ids[TM_POOL_MAX_THREADS];
    size_t started = 0;
    for (; started + 1 < want; started++)
        if (pthread_create(&ids[started], NULL, take, &p) != 0)
            break; /* fewer threads: the same result, later */
    take(&p);
    for (size_t t = 0; t < started; t++)
        pthread_join(ids[t], NULL);
}
