/* conflicts.c: overlapping blocking times, by a sweep per resource, and minimum headways.
 *
 * Sorting all occupations by (resource, start) puts every resource's occupations in a row;
 * walking a row with the set of occupations still active at the current start reports
 * exactly the overlapping pairs. The active set holds only what overlaps, so the sweep costs
 * O(n log n) for the sort plus the number of conflicts, never all pairs of trains.
 */
#include "block/blocking.h"
#include "core/pool.h"
#include "core/vec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int by_resource_start_conflict(const void *pa, const void *pb)
{
    const tm_conflict *a = pa, *b = pb;
    if (a->resource != b->resource)
        return a->resource < b->resource ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->train_a != b->train_a)
        return a->train_a < b->train_a ? -1 : 1;
    return (a->train_b > b->train_b) - (a->train_b < b->train_b);
}

/* Same train, or two trains of one convoy group? */
static int same_group(const tm_occupation *a, const tm_occupation *b, const size_t *group)
{
    return a->train == b->train || (group && group[a->train] == group[b->train]);
}

/* Do two occupations of one resource exclude each other? */
static int exclusive(const tm_occupation *a, const tm_occupation *b, const size_t *group)
{
    if (same_group(a, b, group))
        return 0;
    return !(a->direction != 0 && a->direction == b->direction);
}

static int by_start(const void *pa, const void *pb)
{
    const tm_occupation *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->train != b->train)
        return a->train < b->train ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return (a->direction > b->direction) - (a->direction < b->direction);
}

/* Sorts occ by (resource, start, train, end, direction), in less time than one qsort over
 * them all: a stable counting sort by resource puts each resource's occupations in a row,
 * and each row is then sorted on its own (a day has thousands of resources with a few
 * hundred occupations each, so the sorts are short and stay in cache). The counting sort
 * scatters into a second array: its stores are independent of each other, so the memory
 * system overlaps their cache misses, where a permutation in place follows one chain of
 * dependent loads (on the national day's 7 million blocking times that chain took four
 * times as long). The counting and the scattering are shared out in contiguous chunks of
 * occ, one per thread, each with its own counts: chunk c's occupations of a resource go
 * after those of the chunks before it, so the rows are what one thread would write. */
typedef struct scatter {
    const tm_occupation *occ;
    size_t n, chunks, resources;
    size_t *count;            /* chunk c's count of resource r at [c * resources + r] */
    size_t *highest;          /* per chunk: 1 + its highest resource */
    tm_occupation *sorted;
} scatter;

static void chunk_range(const scatter *sc, size_t c, size_t *i0, size_t *i1)
{
    *i0 = sc->n / sc->chunks * c;
    *i1 = c + 1 == sc->chunks ? sc->n : sc->n / sc->chunks * (c + 1);
}

/* Chunk c's highest resource (core/pool.h job). */
static void chunk_highest(void *ctx, size_t c)
{
    scatter *sc = ctx;
    size_t i0, i1, m = 0;
    chunk_range(sc, c, &i0, &i1);
    for (size_t i = i0; i < i1; i++)
        if (sc->occ[i].resource >= m)
            m = sc->occ[i].resource + 1;
    sc->highest[c] = m;
}

/* Chunk c's count of each resource (core/pool.h job). */
static void chunk_count(void *ctx, size_t c)
{
    scatter *sc = ctx;
    size_t i0, i1, *count = sc->count + c * sc->resources;
    chunk_range(sc, c, &i0, &i1);
    for (size_t i = i0; i < i1; i++)
        count[sc->occ[i].resource]++;
}

/* Chunk c's occupations to their places: its count of each resource has become the place
 * of its first occupation of that resource (core/pool.h job). */
static void chunk_scatter(void *ctx, size_t c)
{
    scatter *sc = ctx;
    size_t i0, i1, *next = sc->count + c * sc->resources;
    chunk_range(sc, c, &i0, &i1);
    for (size_t i = i0; i < i1; i++)
        sc->sorted[next[sc->occ[i].resource]++] = sc->occ[i];
}

/* Fills *sorted (malloc'd) and *first (row r is [first[r - 1], first[r]), first[-1] read as
 * 0) without sorting the rows, on `threads` threads; returns TUMEN_ENOMEM when the room to
 * sort in is missing. */
static int scatter_by_resource(const tm_occupation *occ, size_t n, int threads,
                               tm_occupation **sorted, size_t **first, size_t *resources)
{
    scatter sc = {occ, n, threads > 1 ? (size_t)threads : 1, 0, NULL, NULL, NULL};
    if (sc.chunks > TM_POOL_MAX_THREADS)
        sc.chunks = TM_POOL_MAX_THREADS;
    if (sc.chunks > n)
        sc.chunks = n ? n : 1;
    *first = NULL;
    if (!(sc.highest = malloc(sc.chunks * sizeof *sc.highest)))
        return TUMEN_ENOMEM;
    tm_pool_run((int)sc.chunks, sc.chunks, chunk_highest, &sc);
    for (size_t c = 0; c < sc.chunks; c++)
        if (sc.highest[c] > sc.resources)
            sc.resources = sc.highest[c];
    size_t m = sc.resources;
    free(sc.highest);
    sc.count = calloc(sc.chunks * m + 1, sizeof *sc.count);
    *first = malloc((m + 1) * sizeof **first);
    sc.sorted = tm_malloc_big(n * sizeof *sc.sorted);
    if (!sc.count || !*first || !sc.sorted) {
        free(sc.count);
        free(*first);
        free(sc.sorted);
        *first = NULL;
        return TUMEN_ENOMEM;
    }
    tm_pool_run((int)sc.chunks, sc.chunks, chunk_count, &sc);
    /* rows in resource order, chunks in order within a row */
    size_t *f = *first, at = 0;
    for (size_t r = 0; r < m; r++) {
        for (size_t c = 0; c < sc.chunks; c++) {
            size_t k = sc.count[c * m + r];
            sc.count[c * m + r] = at;
            at += k;
        }
        f[r] = at;
    }
    f[m] = at;
    tm_pool_run((int)sc.chunks, sc.chunks, chunk_scatter, &sc);
    free(sc.count);
    *sorted = sc.sorted;
    *resources = m;
    return TUMEN_OK;
}

/* The sweep finds the conflicts of a resource in the order of their start (the later
 * occupation's start); only conflicts of one resource and one start need ordering by
 * their trains, and such a run is as short as the number of trains holding the resource
 * at once. Sorting those runs gives what one qsort with by_resource_start_conflict would. */
static void sort_conflicts(tm_conflict *c, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t end = i + 1;
        while (end < n && c[end].resource == c[i].resource && c[end].start == c[i].start)
            end++;
        if (end - i > 1)
            qsort(c + i, end - i, sizeof *c, by_resource_start_conflict);
        i = end;
    }
}

typedef TM_VEC(tm_conflict) conflict_vec;

/* The sweep over occ[a, b), whole rows sorted by (resource, start, ...): appends the
 * conflicts to *found in the order of tm_conflicts_find. */
static int sweep(const tm_occupation *occ, size_t a, size_t b, const int *capacity,
                 const size_t *group, conflict_vec *found)
{
    TM_VEC(size_t) active = {0};
    int rc = TUMEN_OK;
    for (size_t i = a; i < b && rc == TUMEN_OK; i++) {
        if (i > a && occ[i].resource != occ[i - 1].resource)
            active.n = 0;
        /* Drop what ended before this one starts; what remains overlaps it. */
        size_t k = 0;
        for (size_t j = 0; j < active.n; j++)
            if (occ[active.items[j]].end > occ[i].start)
                active.items[k++] = active.items[j];
        active.n = k;
        int cap = capacity ? capacity[occ[i].resource] : 1;
        if (cap <= 1) {
            for (size_t j = 0; j < active.n && rc == TUMEN_OK; j++) {
                const tm_occupation *o = &occ[active.items[j]];
                if (!exclusive(o, &occ[i], group))
                    continue;
                tm_conflict c = {occ[i].resource, o->train, occ[i].train, occ[i].start,
                                 fmin(o->end, occ[i].end)};
                if (tm_vec_push(found, c))
                    rc = TUMEN_ENOMEM;
            }
        } else {
            /* A resource with several tracks: full when cap others hold it already. */
            size_t holders = 0, first_free = (size_t)-1;
            for (size_t j = 0; j < active.n; j++) {
                const tm_occupation *o = &occ[active.items[j]];
                if (same_group(o, &occ[i], group))
                    continue;
                holders++;
                if (first_free == (size_t)-1 || o->end < occ[first_free].end)
                    first_free = active.items[j];
            }
            if (holders >= (size_t)cap) {
                const tm_occupation *o = &occ[first_free];
                tm_conflict c = {occ[i].resource, o->train, occ[i].train, occ[i].start,
                                 fmin(o->end, occ[i].end)};
                if (tm_vec_push(found, c))
                    rc = TUMEN_ENOMEM;
            }
        }
        if (rc == TUMEN_OK && tm_vec_push(&active, i))
            rc = TUMEN_ENOMEM;
    }
    free(active.items);
    if (rc == TUMEN_OK)
        sort_conflicts(found->items, found->n);
    return rc;
}

/* One part of the work: resources [r0, r1), their rows sorted and swept. */
typedef struct part {
    size_t r0, r1;
    conflict_vec found;
    int rc;
} part;

typedef struct sweep_job {
    tm_occupation *sorted, *occ;
    const size_t *first;
    const int *capacity;
    const size_t *group;
    part *parts;
} sweep_job;

/* Part k (core/pool.h job): sorts its rows, copies them back into occ, sweeps them. */
static void sweep_part(void *ctx, size_t k)
{
    sweep_job *j = ctx;
    part *p = &j->parts[k];
    size_t a = p->r0 ? j->first[p->r0 - 1] : 0, b = p->r1 ? j->first[p->r1 - 1] : 0;
    for (size_t r = p->r0; r < p->r1; r++) {
        size_t begin = r ? j->first[r - 1] : 0;
        if (j->first[r] - begin > 1)
            qsort(j->sorted + begin, j->first[r] - begin, sizeof *j->sorted, by_start);
    }
    memcpy(j->occ + a, j->sorted + a, (b - a) * sizeof *j->occ);
    p->rc = sweep(j->occ, a, b, j->capacity, j->group, &p->found);
}

int tm_conflicts_find_threads(tm_occupation *occ, size_t n, const int *capacity,
                              const size_t *group, int threads, tm_conflict **out,
                              size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (n == 0)
        return TUMEN_OK;
    tm_occupation *sorted;
    size_t *first, resources;
    if (scatter_by_resource(occ, n, threads, &sorted, &first, &resources) != TUMEN_OK)
        return TUMEN_ENOMEM;
    /* Whole resources to each part, about n / parts occupations each. */
    size_t n_parts = threads > 1 ? (size_t)threads : 1;
    if (n_parts > TM_POOL_MAX_THREADS)
        n_parts = TM_POOL_MAX_THREADS;
    part *parts = calloc(n_parts, sizeof *parts);
    if (!parts) {
        free(sorted);
        free(first);
        return TUMEN_ENOMEM;
    }
    for (size_t k = 0, r = 0; k < n_parts; k++) {
        parts[k].r0 = r;
        size_t goal = n / n_parts * (k + 1);
        while (r < resources && (k + 1 == n_parts || first[r] <= goal))
            r++;
        parts[k].r1 = r;
    }
    sweep_job j = {sorted, occ, first, capacity, group, parts};
    tm_pool_run((int)n_parts, n_parts, sweep_part, &j);
    free(sorted);
    free(first);
    int rc = TUMEN_OK;
    size_t total = 0;
    for (size_t k = 0; k < n_parts; k++) {
        total += parts[k].found.n;
        if (parts[k].rc != TUMEN_OK)
            rc = parts[k].rc;
    }
    /* The first part's vector takes the others' conflicts after its own. */
    conflict_vec *all = &parts[0].found;
    if (rc == TUMEN_OK && n_parts > 1 && total > all->cap) {
        tm_conflict *grown = realloc(all->items, total * sizeof *grown);
        if (grown) {
            all->items = grown;
            all->cap = total;
        } else
            rc = TUMEN_ENOMEM;
    }
    for (size_t k = 1; k < n_parts && rc == TUMEN_OK; k++) {
        memcpy(all->items + all->n, parts[k].found.items, parts[k].found.n * sizeof *all->items);
        all->n += parts[k].found.n;
    }
    for (size_t k = 1; k < n_parts; k++)
        free(parts[k].found.items);
    if (rc == TUMEN_OK) {
        *out = all->items;
        *n_out = all->n;
    } else
        free(all->items);
    free(parts);
    return rc;
}

int tm_conflicts_find(tm_occupation *occ, size_t n, const int *capacity, const size_t *group,
                      tm_conflict **out, size_t *n_out)
{
    return tm_conflicts_find_threads(occ, n, capacity, group, 1, out, n_out);
}

double tm_minimum_headway(const tm_occupation *first, size_t n_first,
                          const tm_occupation *second, size_t n_second, size_t *deciding)
{
    double h = -INFINITY;
    size_t which = (size_t)-1;
    for (size_t i = 0; i < n_first; i++)
        for (size_t j = 0; j < n_second; j++)
            if (first[i].resource == second[j].resource && exclusive(&first[i], &second[j], NULL) &&
                first[i].end - second[j].start > h) {
                h = first[i].end - second[j].start;
                which = first[i].resource;
            }
    if (deciding)
        *deciding = which;
    return h;
}
