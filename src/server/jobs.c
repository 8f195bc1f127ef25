/* jobs.c: long requests do not block. A computation runs on its own thread; the request
 * waits for it up to the time budget and answers its result, or 202 with a job the client
 * polls (GET /api/v1/jobs/{id}: state, progress, the result when done) or cancels
 * (DELETE). A job past --max-time is cancelled. A cancelled job is "cancelling" until its
 * computation has stopped (the library polls the cancel as it goes), then "cancelled".
 * Finished jobs are kept for their owner until JOB_SLOTS newer ones push them out. */
#include "jobs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "config.h"

#define JOB_SLOTS 256

enum { JOB_FREE = 0, JOB_RUNNING, JOB_DONE, JOB_CANCELLED, JOB_TIMEOUT, JOB_CANCELLING };
static const char *const state_names[] = {"free",    "running", "done",
                                          "cancelled", "timeout", "cancelling"};

typedef struct job {
    long long id;
    int state;
    int refs;                /* the worker thread and a waiting request */
    volatile int cancelled;
    volatile double progress;
    char owner[64];
    struct timespec started;
    reply result;
    job_fn fn;
    void *input;
    void (*free_input)(void *);
} job;

static job g_jobs[JOB_SLOTS];
static long long g_next_id = 1;
static int g_running;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_changed = PTHREAD_COND_INITIALIZER;

/* A slot for a new job (the lock held): a free one, else the oldest finished one. */
static job *slot_take(void)
{
    job *best = NULL;
    for (int i = 0; i < JOB_SLOTS; i++) {
        job *j = &g_jobs[i];
        if (j->state == JOB_FREE && !j->refs)
            return j;
        if (j->state != JOB_RUNNING && !j->refs && (!best || j->id < best->id))
            best = j;
    }
    if (best) {
        free(best->result.body);
        memset(best, 0, sizeof *best);
    }
    return best;
}

static void *worker(void *arg)
{
    job *j = arg;
    reply out;
    memset(&out, 0, sizeof out);
    job_ctx ctx = {&j->cancelled, &j->progress};
    j->fn(j->input, &ctx, &out);
    if (j->free_input)
        j->free_input(j->input);
    pthread_mutex_lock(&g_lock);
    if (j->state == JOB_RUNNING) {
        j->result = out;
        j->state = JOB_DONE;
        j->progress = 1.0;
    } else {
        free(out.body); /* cancelled: the answer is dropped */
        if (j->state == JOB_CANCELLING)
            j->state = JOB_CANCELLED;
    }
    j->refs--;
    g_running--;
    pthread_cond_broadcast(&g_changed);
    pthread_mutex_unlock(&g_lock);
    return NULL;
}

static void add_ms(struct timespec *t, long ms)
{
    t->tv_sec += ms / 1000;
    t->tv_nsec += (ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

/* The job's state as JSON (the lock held); the result inline when done. */
static char *job_json(const job *j)
{
    json_t *o = json_pack("{s:I, s:s, s:f}", "job_id", (json_int_t)j->id, "state",
                          state_names[j->state], "progress", j->progress);
    if (j->state == JOB_DONE) {
        json_object_set_new(o, "status", json_integer(j->result.status));
        json_t *res = j->result.body ? json_loads(j->result.body, 0, NULL) : NULL;
        json_object_set_new(o, "result", res ? res : json_null());
    }
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return text;
}

/* Marks jobs past --max-time (the lock held). */
static void expire(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    for (int i = 0; i < JOB_SLOTS; i++) {
        job *j = &g_jobs[i];
        if (j->state == JOB_RUNNING && now.tv_sec - j->started.tv_sec > server_options()->max_time) {
            j->state = JOB_TIMEOUT;
            j->cancelled = 1;
        }
    }
}

void job_run(const request *q, reply *r, job_fn fn, void *input, void (*free_input)(void *))
{
    pthread_mutex_lock(&g_lock);
    expire();
    job *j = g_running < JOB_SLOTS / 2 ? slot_take() : NULL;
    if (!j) {
        pthread_mutex_unlock(&g_lock);
        if (free_input)
            free_input(input);
        reply_error(r, 503, "too many requests are computing; try again later");
        return;
    }
    j->id = g_next_id++;
    j->state = JOB_RUNNING;
    j->refs = 2;
    j->fn = fn;
    j->input = input;
    j->free_input = free_input;
    snprintf(j->owner, sizeof j->owner, "%s", q->who);
    clock_gettime(CLOCK_MONOTONIC, &j->started);
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&th, &attr, worker, j) != 0) {
        pthread_attr_destroy(&attr);
        j->state = JOB_FREE;
        j->refs = 0;
        pthread_mutex_unlock(&g_lock);
        if (free_input)
            free_input(input);
        reply_error(r, 503, "cannot start a thread for the request");
        return;
    }
    pthread_attr_destroy(&attr);
    g_running++;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    add_ms(&until, q->async ? 0 : server_options()->budget_ms);
    while (j->state == JOB_RUNNING &&
           pthread_cond_timedwait(&g_changed, &g_lock, &until) == 0) {
    }
    j->refs--;
    if (j->state == JOB_DONE) {
        /* answered now: the result is the reply, the slot is free again */
        *r = j->result;
        memset(&j->result, 0, sizeof j->result);
        j->state = JOB_FREE;
        pthread_mutex_unlock(&g_lock);
        return;
    }
    char *text = job_json(j);
    long long id = j->id;
    pthread_mutex_unlock(&g_lock);
    reply_take(r, text ? 202 : 500, text);
    snprintf(r->location, sizeof r->location, "/api/v1/jobs/%lld", id);
}

/* The job q->id[0] of this token's owner (the lock held), or NULL with a 404 reply. */
static job *find(const request *q, reply *r)
{
    expire();
    for (int i = 0; i < JOB_SLOTS; i++)
        if (g_jobs[i].state != JOB_FREE && g_jobs[i].id == q->id[0] &&
            !strcmp(g_jobs[i].owner, q->who))
            return &g_jobs[i];
    reply_error(r, 404, "no job %lld of yours", q->id[0]);
    return NULL;
}

void jobs_get(const request *q, reply *r)
{
    pthread_mutex_lock(&g_lock);
    job *j = find(q, r);
    char *text = j ? job_json(j) : NULL;
    pthread_mutex_unlock(&g_lock);
    if (j)
        reply_take(r, text ? 200 : 500, text);
}

void jobs_cancel(const request *q, reply *r)
{
    pthread_mutex_lock(&g_lock);
    job *j = find(q, r);
    if (j && j->state == JOB_RUNNING) {
        j->state = JOB_CANCELLING;
        j->cancelled = 1;
    }
    char *text = j ? job_json(j) : NULL;
    pthread_mutex_unlock(&g_lock);
    if (j)
        reply_take(r, text ? 200 : 500, text);
}

void jobs_shutdown(void)
{
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < JOB_SLOTS; i++)
        if (g_jobs[i].state == JOB_RUNNING) {
            g_jobs[i].state = JOB_CANCELLED;
            g_jobs[i].cancelled = 1;
        }
    while (g_running > 0)
        pthread_cond_wait(&g_changed, &g_lock);
    for (int i = 0; i < JOB_SLOTS; i++) {
        free(g_jobs[i].result.body);
        memset(&g_jobs[i], 0, sizeof g_jobs[i]);
    }
    pthread_mutex_unlock(&g_lock);
}

/* A library call's progress as the job's; a cancelled job stops the call. */
static int on_progress(void *user, size_t done, size_t total)
{
    const job_ctx *ctx = user;
    double p = total ? 0.1 + 0.85 * (double)done / (double)total : 0.0;
    if (p > *ctx->progress) /* a plan's stages each count from 0: only ever forward */
        *ctx->progress = p;
    return *ctx->cancelled;
}

void job_options(tumen_options *o, const job_ctx *ctx)
{
    o->threads = server_options()->compute_threads;
    o->progress = ctx ? on_progress : NULL;
    o->user = (void *)ctx;
}
