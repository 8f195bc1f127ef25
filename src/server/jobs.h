/* jobs.h: long requests run as jobs (jobs.c): a request still computing after the budget
 * is answered 202 with a job the client polls. */
#ifndef TM_SERVER_JOBS_H
#define TM_SERVER_JOBS_H

#include "http.h"
#include "tumen.h"

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

/* Options for a library call run by a job: the service's compute threads, and the job's
 * progress and cancel flag as the call's progress callback (ctx NULL: none). */
void job_options(tumen_options *o, const job_ctx *ctx);

#endif
