/* pool.h: a fork-join pool for independent jobs (core/pool.c): the one place the library
 * starts threads for its parallel loops. */
#ifndef TM_POOL_H
#define TM_POOL_H

#include <stddef.h>

/* The most threads tm_pool_run starts (more are not useful on one machine). */
#define TM_POOL_MAX_THREADS 256

/* Calls job(ctx, i) once for every i in [0, n), on up to `threads` threads (the calling
 * thread is one of them; threads <= 1, or no thread that could be started, runs them all
 * on the caller). Threads take indexes in ascending order, one at a time, so a job that
 * writes only its own slot gives the same result on any number of threads. Returns when
 * every job has returned. */
void tm_pool_run(int threads, size_t n, void (*job)(void *ctx, size_t i), void *ctx);

/* Runs worker(ctx) on up to `threads` threads at once (at most TM_POOL_MAX_THREADS; the
 * calling thread is one of them, and threads <= 1 runs it on the caller alone), for workers
 * that share out their work through ctx themselves and keep state of their own (the
 * simulation's replications). Returns when every one has returned. */
void tm_pool_workers(int threads, void (*worker)(void *ctx), void *ctx);

#endif
