/* occupancy.c: the blocking times of a whole timetable.
 *
 * Each service is run with its trajectory kept just long enough to compute its stairs, so
 * memory stays at one trajectory per worker thread whatever the number of services. Workers
 * take services by index and write only that service's slot; the slots are joined in index
 * order, so the result is the same for any number of threads.
 */
#include "plan/occupancy.h"
#include "core/error.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    tm_occupation *occ;
    size_t n;
    int status;
    tumen_error err;
} slot;

typedef struct work {
    const tm_scenario *sc;
    const tm_resource_map *map;
    const tm_blocking_params *p;
    tm_timetable_options opt;
    tm_service_run *runs;
    slot *slots;
    size_t n;
    atomic_size_t next;
    pthread_mutex_t progress_lock; /* one progress call at a time */
    size_t done;                   /* services finished (under progress_lock) */
    atomic_int cancelled;
} work;

/* Reports one more finished service; a nonzero answer cancels the rest. */
static void report(work *w)
{
    if (!w->opt.progress)
        return;
    pthread_mutex_lock(&w->progress_lock);
    w->done++;
    if (!atomic_load(&w->cancelled) && w->opt.progress(w->opt.progress_user, w->done, w->n))
        atomic_store(&w->cancelled, 1);
    pthread_mutex_unlock(&w->progress_lock);
}

static void one_service(work *w, size_t i)
{
    slot *sl = &w->slots[i];
    tm_service_run *run = &w->runs[i];
    const tm_service *svc = &w->sc->timetable.services[i];
    sl->status = tm_timetable_run_service(w->sc, svc, &w->opt, run, &sl->err);
    if (sl->status != TUMEN_OK)
        return;
    const tm_train *tr = &w->sc->trains[svc->train];
    tm_block_section *blocks = NULL;
    size_t nb = 0;
    sl->status = tm_service_blocks(&w->sc->network, w->map, run, tr->length, &blocks, &nb);
    if (sl->status == TUMEN_OK && nb > 0) {
        sl->occ = malloc(nb * sizeof *sl->occ);
        if (!sl->occ) {
            sl->status = TUMEN_ENOMEM;
        } else {
            /* Samples count from the scheduled departure; occupations are clock times. */
            for (size_t k = 0; k < run->n_samples; k++)
                run->samples[k].t += run->clock_start;
            tm_blocking_stairs(run->samples, run->n_samples, tr->length, blocks, nb, w->p, i,
                               sl->occ);
            sl->n = nb;
        }
    }
    if (sl->status != TUMEN_OK)
        tm_error_set(&sl->err, sl->status, NULL, 0, svc->id,
                     "out of memory computing the blocking times of service '%s'", svc->id);
    free(blocks);
    free(run->samples);
    run->samples = NULL;
    run->n_samples = 0;
}

static void *worker(void *arg)
{
    work *w = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&w->next, 1);
        if (i >= w->n || atomic_load(&w->cancelled))
            return NULL;
        one_service(w, i);
        report(w);
    }
}

static void run_all(work *w, int threads)
{
    if (threads > 64)
        threads = 64;
    pthread_t tid[64];
    int started = 0;
    for (int k = 1; k < threads; k++)
        if (pthread_create(&tid[started], NULL, worker, w) == 0)
            started++;
    worker(w); /* the calling thread works too; it alone suffices if none started */
    for (int k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
}

typedef struct convoy_key {
    const char *convoy;
    size_t index;
} convoy_key;

static int by_convoy(const void *pa, const void *pb)
{
    const convoy_key *a = pa, *b = pb;
    int c = strcmp(a->convoy, b->convoy);
    if (c)
        return c;
    return (a->index > b->index) - (a->index < b->index);
}

int tm_timetable_convoy_groups(const tm_timetable *tt, size_t **group)
{
    size_t n = tt->n_services, m = 0;
    *group = malloc((n ? n : 1) * sizeof **group);
    convoy_key *keys = malloc((n ? n : 1) * sizeof *keys);
    if (!*group || !keys) {
        free(*group);
        *group = NULL;
        free(keys);
        return TUMEN_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        (*group)[i] = i;
        if (tt->services[i].convoy[0])
            keys[m++] = (convoy_key){tt->services[i].convoy, i};
    }
    /* Sorted by (convoy, index): each run of one convoy starts with its lowest index. */
    if (m > 1)
        qsort(keys, m, sizeof *keys, by_convoy);
    for (size_t k = 1; k < m; k++)
        if (!strcmp(keys[k].convoy, keys[k - 1].convoy))
            (*group)[keys[k].index] = (*group)[keys[k - 1].index];
    free(keys);
    return TUMEN_OK;
}

int tm_timetable_occupations(const tm_scenario *sc, const tm_resource_map *map,
                             const tm_blocking_params *p, int threads, tm_occupation **occ,
                             size_t *n_occ, tm_timetable_result *runs, tumen_error *err)
{
    tm_timetable_options opt;
    tm_timetable_options_init(&opt);
    opt.threads = threads;
    return tm_timetable_occupations_with(sc, map, p, &opt, occ, n_occ, runs, err);
}

int tm_timetable_occupations_with(const tm_scenario *sc, const tm_resource_map *map,
                                  const tm_blocking_params *p, const tm_timetable_options *opt,
                                  tm_occupation **occ, size_t *n_occ, tm_timetable_result *runs,
                                  tumen_error *err)
{
    *occ = NULL;
    *n_occ = 0;
    size_t n = sc->timetable.n_services;
    work w;
    memset(&w, 0, sizeof w);
    w.sc = sc;
    w.map = map;
    w.p = p;
    w.opt = *opt;
    w.opt.keep_samples = 1;
    w.n = n;
    atomic_init(&w.next, 0);
    atomic_init(&w.cancelled, 0);
    pthread_mutex_init(&w.progress_lock, NULL);
    w.runs = calloc(n ? n : 1, sizeof *w.runs);
    w.slots = calloc(n ? n : 1, sizeof *w.slots);
    if (!w.runs || !w.slots) {
        free(w.runs);
        free(w.slots);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    run_all(&w, opt->threads);
    pthread_mutex_destroy(&w.progress_lock);
    int rc = atomic_load(&w.cancelled)
                 ? tm_error_set(err, TUMEN_ECANCELLED, NULL, 0, NULL,
                                "the blocking times were cancelled")
                 : TUMEN_OK;
    size_t total = 0;
    for (size_t i = 0; i < n && rc == TUMEN_OK; i++) {
        if (w.slots[i].status != TUMEN_OK) {
            rc = w.slots[i].status;
            if (err)
                *err = w.slots[i].err;
        }
        total += w.slots[i].n;
    }
    if (rc == TUMEN_OK && total && !(*occ = malloc(total * sizeof **occ)))
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (rc == TUMEN_OK && w.slots[i].n) {
            memcpy(*occ + *n_occ, w.slots[i].occ, w.slots[i].n * sizeof **occ);
            *n_occ += w.slots[i].n;
        }
        free(w.slots[i].occ);
    }
    free(w.slots);
    if (rc == TUMEN_OK && runs) {
        memset(runs, 0, sizeof *runs);
        runs->timetable = &sc->timetable;
        runs->runs = w.runs;
        runs->n_runs = n;
    } else {
        tm_timetable_result tmp = {&sc->timetable, w.runs, n, 0};
        tm_timetable_result_free(&tmp);
    }
    if (rc != TUMEN_OK) {
        free(*occ);
        *occ = NULL;
        *n_occ = 0;
    }
    return rc;
}
