/* occupancy.c: the blocking times of a whole timetable.
 *
 * Services of one pattern (plan/timetable.h: the same train, route, stops and dwells) run
 * the same way whatever their departure, so each pattern is run once on the clock of 0, its
 * stairs computed from that trajectory, and every service of the pattern gets the stairs
 * shifted by its own departure (a regular-interval timetable has a few patterns for
 * thousands of services). A trajectory is kept just long enough to compute its stairs, so
 * memory stays at one trajectory per worker thread. Workers (core/pool.h) take patterns by
 * index and write only that pattern's slot; services are placed in index order afterwards,
 * so the result is the same for any number of threads.
 */
#include "plan/occupancy.h"
#include "plan/day_segments.h"
#include "core/error.h"
#include "core/pool.h"
#include "core/vec.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    tm_occupation *occ;         /* the pattern's stairs, s after its departure */
    size_t n;
    tm_service_run run;         /* on the clock of 0, no samples */
    int status;
    tumen_error err;
} slot;

typedef struct work {
    const tm_scenario *sc;
    const tm_resource_map *map;
    const tm_blocking_params *p;
    tm_timetable_options opt;
    const tm_day_segments *segments; /* the day's shared segment runs */
    const size_t *leaders;
    const size_t *services;        /* services of each pattern (progress weights) */
    slot *slots;
    size_t n;                      /* services in all */
    pthread_mutex_t progress_lock; /* one progress call at a time */
    size_t done;                   /* services finished (under progress_lock) */
    atomic_int cancelled;
} work;

/* Reports pattern k finished, as many services as it has; a nonzero answer cancels the
 * rest. */
static void report(work *w, size_t k)
{
    if (!w->opt.progress)
        return;
    pthread_mutex_lock(&w->progress_lock);
    w->done += w->services[k];
    if (!atomic_load(&w->cancelled) && w->opt.progress(w->opt.progress_user, w->done, w->n))
        atomic_store(&w->cancelled, 1);
    pthread_mutex_unlock(&w->progress_lock);
}

/* Pattern k: its leader run on the clock of 0, its stairs. */
static void pattern_stairs(work *w, size_t k)
{
    slot *sl = &w->slots[k];
    tm_service svc = w->sc->timetable.services[w->leaders[k]];
    svc.departure = 0.0;
    tm_service_run *run = &sl->run;
    sl->status = tm_day_segments_run(w->segments, k, &svc, &w->opt, run);
    if (sl->status == TM_DAY_WHOLE)
        sl->status = tm_timetable_run_service(w->sc, &svc, &w->opt, run, &sl->err);
    else if (sl->status != TUMEN_OK)
        tm_error_set(&sl->err, sl->status, NULL, 0, NULL, "service '%s': out of memory",
                     svc.id);
    if (sl->status != TUMEN_OK)
        return;
    const tm_train *tr = &w->sc->trains[svc.train];
    tm_block_section *blocks = NULL;
    size_t nb = 0;
    sl->status = tm_service_blocks(&w->sc->network, w->map, run, tr->length, &blocks, &nb);
    if (sl->status == TUMEN_OK && nb > 0) {
        sl->occ = malloc(nb * sizeof *sl->occ);
        if (!sl->occ) {
            sl->status = TUMEN_ENOMEM;
        } else {
            tm_blocking_stairs(run->samples, run->n_samples, tr->length, blocks, nb, w->p, 0,
                               sl->occ);
            sl->n = nb;
        }
    }
    if (sl->status != TUMEN_OK)
        tm_error_set(&sl->err, sl->status, NULL, 0, svc.id,
                     "out of memory computing the blocking times of service '%s'", svc.id);
    free(blocks);
    free(run->samples);
    run->samples = NULL;
    run->n_samples = 0;
}

/* Pattern k unless cancelled (core/pool.h job). */
static void one_pattern(void *ctx, size_t k)
{
    work *w = ctx;
    if (atomic_load(&w->cancelled))
        return;
    pattern_stairs(w, k);
    report(w, k);
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

static void free_slots(slot *slots, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(slots[k].occ);
        tm_service_run_free(&slots[k].run);
    }
    free(slots);
}

/* Placing: every service's stairs from its pattern's, in service order, at offsets known
 * beforehand (first[i]: service i's first occupation), so parts of the services are placed
 * on several threads at once into one array (a day's million blocking times are 46 MB of
 * fresh memory: copying them on one thread took a tenth of the day's wall time). Each run
 * (if runs) is a copy of its pattern's on its own clock. */
typedef struct placing {
    const tm_scenario *sc;
    const size_t *pattern, *first;
    const slot *slots;
    tm_occupation *occ;
    tm_service_run *runs;
    size_t per_part;   /* services of each part (the last may have fewer) */
    int *status;       /* per part */
} placing;

/* Places services [k * per_part, (k + 1) * per_part) (core/pool.h job). */
static void place_part(void *ctx, size_t k)
{
    placing *pl = ctx;
    size_t n = pl->sc->timetable.n_services, i0 = k * pl->per_part;
    size_t i1 = i0 >= n ? i0 : n - i0 < pl->per_part ? n : i0 + pl->per_part;
    pl->status[k] = TUMEN_OK;
    for (size_t i = i0; i < i1; i++) {
        const slot *sl = &pl->slots[pl->pattern[i]];
        double dep = pl->sc->timetable.services[i].departure;
        tm_occupation *o = pl->occ + pl->first[i];
        for (size_t b = 0; b < sl->n; b++) {
            o[b] = sl->occ[b];
            o[b].train = i;
            o[b].start += dep;
            o[b].end += dep;
        }
        if (pl->runs) {
            if (tm_service_run_copy_shifted(&pl->runs[i], &sl->run, dep) != TUMEN_OK) {
                pl->status[k] = TUMEN_ENOMEM;
                return;
            }
            tm_service_run_name_warnings(&pl->sc->timetable.services[i], &pl->runs[i]);
        }
    }
}

static int place(const tm_scenario *sc, const size_t *pattern, const size_t *first,
                 const slot *slots, int threads, tm_occupation *occ, tm_service_run *runs)
{
    size_t n = sc->timetable.n_services;
    /* a few parts per thread, so that a part of long services does not keep the rest
     * waiting; one part on one thread */
    size_t parts = threads > 1 ? 4 * (size_t)threads : 1;
    if (parts > n)
        parts = n ? n : 1;
    placing pl = {sc, pattern, first, slots, occ, runs, (n + parts - 1) / parts, NULL};
    if (!(pl.status = malloc(parts * sizeof *pl.status)))
        return TUMEN_ENOMEM;
    tm_pool_run(threads, parts, place_part, &pl);
    int rc = TUMEN_OK;
    for (size_t k = 0; k < parts; k++)
        if (pl.status[k] != TUMEN_OK)
            rc = pl.status[k];
    free(pl.status);
    return rc;
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

static int occupations(const tm_scenario *sc, const tm_resource_map *map,
                       const tm_blocking_params *p, const tm_timetable_options *opt,
                       tm_occupation **occ, size_t *n_occ, tm_timetable_result *runs,
                       tumen_error **warnings, size_t *n_warnings, tumen_error *err);

/* Every service's warnings from its pattern's run, named with the service. */
static int collect_warnings(const tm_scenario *sc, const size_t *pattern, const slot *slots,
                            tumen_error **warnings, size_t *n_warnings)
{
    size_t n = sc->timetable.n_services, total = 0;
    for (size_t i = 0; i < n; i++)
        total += slots[pattern[i]].run.n_warnings;
    if (!total)
        return TUMEN_OK;
    if (!(*warnings = malloc(total * sizeof **warnings)))
        return TUMEN_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const tm_service_run *r = &slots[pattern[i]].run;
        if (!r->n_warnings)
            continue; /* memcpy from a NULL r->warnings is undefined even for 0 bytes */
        tm_service_run named = {0};
        named.warnings = *warnings + *n_warnings;
        named.n_warnings = r->n_warnings;
        memcpy(named.warnings, r->warnings, r->n_warnings * sizeof *r->warnings);
        tm_service_run_name_warnings(&sc->timetable.services[i], &named);
        *n_warnings += r->n_warnings;
    }
    return TUMEN_OK;
}

int tm_timetable_occupations_with(const tm_scenario *sc, const tm_resource_map *map,
                                  const tm_blocking_params *p, const tm_timetable_options *opt,
                                  tm_occupation **occ, size_t *n_occ, tm_timetable_result *runs,
                                  tumen_error *err)
{
    return occupations(sc, map, p, opt, occ, n_occ, runs, NULL, NULL, err);
}

int tm_timetable_occupations_warned(const tm_scenario *sc, const tm_resource_map *map,
                                    const tm_blocking_params *p,
                                    const tm_timetable_options *opt, tm_occupation **occ,
                                    size_t *n_occ, tumen_error **warnings, size_t *n_warnings,
                                    tumen_error *err)
{
    return occupations(sc, map, p, opt, occ, n_occ, NULL, warnings, n_warnings, err);
}

static int occupations(const tm_scenario *sc, const tm_resource_map *map,
                       const tm_blocking_params *p, const tm_timetable_options *opt,
                       tm_occupation **occ, size_t *n_occ, tm_timetable_result *runs,
                       tumen_error **warnings, size_t *n_warnings, tumen_error *err)
{
    if (warnings) {
        *warnings = NULL;
        *n_warnings = 0;
    }
    *occ = NULL;
    *n_occ = 0;
    size_t n = sc->timetable.n_services, n_patterns = 0;
    work w;
    memset(&w, 0, sizeof w);
    w.sc = sc;
    w.map = map;
    w.p = p;
    w.opt = *opt;
    w.opt.keep_samples = 1;
    size_t *pattern = malloc((n ? n : 1) * sizeof *pattern), *leaders = NULL, *services = NULL;
    tm_service_run *all = runs ? calloc(n ? n : 1, sizeof *all) : NULL;
    if (!pattern || (runs && !all) ||
        tm_timetable_patterns(&sc->timetable, pattern, &leaders, &n_patterns) != TUMEN_OK ||
        !(services = calloc(n_patterns ? n_patterns : 1, sizeof *services)) ||
        !(w.slots = calloc(n_patterns ? n_patterns : 1, sizeof *w.slots))) {
        free(pattern);
        free(leaders);
        free(services);
        free(all);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        services[pattern[i]]++;
    w.leaders = leaders;
    w.services = services;
    w.n = n;
    atomic_init(&w.cancelled, 0);
    tm_day_segments *segments = NULL;
    if (!opt->whole_runs && tm_day_segments_build(sc, &sc->timetable, leaders, n_patterns,
                                                  &w.opt, 0, &segments) != TUMEN_OK) {
        free(pattern);
        free(leaders);
        free(services);
        free(all);
        free(w.slots);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    w.segments = segments;
    pthread_mutex_init(&w.progress_lock, NULL);
    tm_pool_run(opt->threads, n_patterns, one_pattern, &w);
    pthread_mutex_destroy(&w.progress_lock);
    tm_day_segments_free(segments);
    free(services);
    /* the lowest failing service is the leader of its pattern: report the first */
    int rc = atomic_load(&w.cancelled)
                 ? tm_error_set(err, TUMEN_ECANCELLED, NULL, 0, NULL,
                                "the blocking times were cancelled")
                 : TUMEN_OK;
    size_t total = 0;
    for (size_t k = 0; k < n_patterns && rc == TUMEN_OK; k++)
        if (w.slots[k].status != TUMEN_OK) {
            rc = w.slots[k].status;
            if (err)
                *err = w.slots[k].err;
        }
    size_t *first = rc == TUMEN_OK ? malloc((n ? n : 1) * sizeof *first) : NULL;
    if (rc == TUMEN_OK && !first)
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < n && rc == TUMEN_OK; i++) {
        first[i] = total;
        total += w.slots[pattern[i]].n;
    }
    if (rc == TUMEN_OK && total && !(*occ = tm_malloc_big(total * sizeof **occ)))
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (rc == TUMEN_OK && place(sc, pattern, first, w.slots, opt->threads, *occ, all) != TUMEN_OK)
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    free(first);
    if (rc == TUMEN_OK && warnings &&
        collect_warnings(sc, pattern, w.slots, warnings, n_warnings) != TUMEN_OK)
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    free_slots(w.slots, n_patterns);
    free(pattern);
    free(leaders);
    if (rc == TUMEN_OK && runs) {
        memset(runs, 0, sizeof *runs);
        runs->timetable = &sc->timetable;
        runs->runs = all;
        runs->n_runs = n;
        for (size_t i = 0; i < n; i++)
            runs->n_warnings += all[i].n_warnings;
    } else if (all) {
        tm_timetable_result tmp = {&sc->timetable, all, n, 0, 0};
        tm_timetable_result_free(&tmp);
    }
    if (rc != TUMEN_OK) {
        free(*occ);
        *occ = NULL;
        if (warnings) {
            free(*warnings);
            *warnings = NULL;
            *n_warnings = 0;
        }
    } else
        *n_occ = total;
    return rc;
}
