/* conflicts.c: overlapping blocking times, by a sweep per resource, and minimum headways.
 *
 * Sorting all occupations by (resource, start) puts every resource's occupations in a row;
 * walking a row with the set of occupations still active at the current start reports
 * exactly the overlapping pairs. The active set holds only what overlaps, so the sweep costs
 * O(n log n) for the sort plus the number of conflicts, never all pairs of trains.
 */
#include "block/blocking.h"
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
 * times as long). Returns TUMEN_ENOMEM (occ unchanged) when the room to sort in is
 * missing. */
static int sort_by_resource_start(tm_occupation *occ, size_t n)
{
    if (n < 2)
        return TUMEN_OK;
    size_t resources = 0;
    for (size_t i = 0; i < n; i++)
        if (occ[i].resource >= resources)
            resources = occ[i].resource + 1;
    size_t *first = calloc(resources + 1, sizeof *first);
    tm_occupation *sorted = malloc(n * sizeof *sorted);
    if (!first || !sorted) {
        free(first);
        free(sorted);
        return TUMEN_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        first[occ[i].resource + 1]++;
    for (size_t r = 0; r < resources; r++)
        first[r + 1] += first[r];
    /* first[r] walks through row r while it is filled and ends at row r + 1's start, so
     * row r is then [first[r - 1], first[r]), with first[-1] read as 0. */
    for (size_t i = 0; i < n; i++)
        sorted[first[occ[i].resource]++] = occ[i];
    for (size_t r = 0, begin = 0; r < resources; begin = first[r++])
        if (first[r] - begin > 1)
            qsort(sorted + begin, first[r] - begin, sizeof *sorted, by_start);
    memcpy(occ, sorted, n * sizeof *occ);
    free(sorted);
    free(first);
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

int tm_conflicts_find(tm_occupation *occ, size_t n, const int *capacity, const size_t *group,
                      tm_conflict **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (sort_by_resource_start(occ, n) != TUMEN_OK)
        return TUMEN_ENOMEM;
    TM_VEC(tm_conflict) found = {0};
    TM_VEC(size_t) active = {0};
    int rc = TUMEN_OK;
    for (size_t i = 0; i < n && rc == TUMEN_OK; i++) {
        if (i > 0 && occ[i].resource != occ[i - 1].resource)
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
                const tm_occupation *a = &occ[active.items[j]];
                if (!exclusive(a, &occ[i], group))
                    continue;
                tm_conflict c = {occ[i].resource, a->train, occ[i].train, occ[i].start,
                                 fmin(a->end, occ[i].end)};
                if (tm_vec_push(&found, c))
                    rc = TUMEN_ENOMEM;
            }
        } else {
            /* A resource with several tracks: full when cap others hold it already. */
            size_t holders = 0, first_free = (size_t)-1;
            for (size_t j = 0; j < active.n; j++) {
                const tm_occupation *a = &occ[active.items[j]];
                if (same_group(a, &occ[i], group))
                    continue;
                holders++;
                if (first_free == (size_t)-1 || a->end < occ[first_free].end)
                    first_free = active.items[j];
            }
            if (holders >= (size_t)cap) {
                const tm_occupation *a = &occ[first_free];
                tm_conflict c = {occ[i].resource, a->train, occ[i].train, occ[i].start,
                                 fmin(a->end, occ[i].end)};
                if (tm_vec_push(&found, c))
                    rc = TUMEN_ENOMEM;
            }
        }
        if (rc == TUMEN_OK && tm_vec_push(&active, i))
            rc = TUMEN_ENOMEM;
    }
    free(active.items);
    if (rc != TUMEN_OK) {
        free(found.items);
        return rc;
    }
    sort_conflicts(found.items, found.n);
    *out = found.items;
    *n_out = found.n;
    return TUMEN_OK;
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
