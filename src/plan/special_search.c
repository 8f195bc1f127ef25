/* special_search.c: the earliest conflict-free path of the convoy (fit mode).
 *
 * A* over nodes (station k, free interval g of k's station track), as Safe Interval Path
 * Planning (Phillips & Likhachev 2011) and OSRD's STDCM: the convoy may wait in the loops
 * of a stop, so within one free interval of the stop an earlier readiness dominates a later
 * one. From a node at i the edges run to every later station k up to the next required
 * stop where the convoy may stop (passing those between); an edge is taken at the earliest
 * departure from i, no earlier than the node's readiness and no later than its free
 * interval allows, at which every resource the segment needs is free; a later departure
 * reaching a later free interval of k gives another successor. The key is readiness plus
 * the fastest remaining run (a lower bound), so the first destination popped is the
 * earliest arrival: exact, given exact segments (the engine) and that a stop never makes
 * the remaining run faster.
 */
#include "plan/special.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/vec.h"

#define MAX_SUCCESSORS 64 /* free intervals of one stop reached from one edge */

void tm_sp_plan_free(tm_sp_plan *p)
{
    if (!p)
        return;
    free(p->station);
    free(p->arrive);
    free(p->depart);
    memset(p, 0, sizeof *p);
}

/* The first index in [lo, hi] whose interval ends after t, given that those before lo end
 * at or before t and those from hi on after it (hi itself may be one past the last). */
static size_t first_ending_after(const tm_sp_busy *b, size_t lo, size_t hi, double t)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->items[mid][1] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* First busy interval of r whose end is after t, as an index (== first[r+1] if none). */
static size_t busy_after(const tm_sp_busy *b, size_t r, double t)
{
    return first_ending_after(b, b->first[r], b->first[r + 1], t);
}

/* busy_after searched from a guess: *hint (an index of r's intervals from an earlier
 * search, or anything else) is stepped from by doubling strides until t is bracketed, then
 * the bracket is halved; *hint receives the answer. The intervals' ends ascend, so the
 * answer is the same index as busy_after's. The search asks for the same few hundred
 * resources, at nearby times, for every segment from one station (a segment's needs): the
 * binary search over a resource's intervals in the background's tens of millions missed
 * the cache at every level, a look from the last answer touches a line or two. */
static size_t busy_after_near(const tm_sp_busy *b, size_t r, double t, size_t *hint)
{
    size_t first = b->first[r], last = b->first[r + 1], h = *hint;
    if (h < first || h > last)
        return *hint = busy_after(b, r, t);
    size_t lo, hi;
    if (h < last && b->items[h][1] <= t) { /* beyond h */
        size_t step = 1;
        lo = h + 1;
        hi = lo;
        while (hi < last && b->items[hi][1] <= t) {
            lo = hi + 1;
            hi = hi + step < last ? hi + step : last;
            step *= 2;
        }
    } else { /* h or before */
        size_t step = 1;
        hi = h;
        lo = h;
        while (lo > first && b->items[lo - 1][1] > t) {
            hi = lo - 1;
            lo = lo - first > step ? lo - step : first;
            step *= 2;
        }
    }
    /* the answer lies in [lo, hi]: items before lo end at or before t, items from hi on
     * after it (or hi == last) */
    return *hint = first_ending_after(b, lo, hi, t);
}

/* The least departure d >= lo at which every need is free: the least common fixed point
 * of the needs' "first free start" maps, which are monotone, so scanning them in any order
 * and moving d forward whenever one is busy reaches it. The scan goes round the needs and
 * stops after n of them in a row found d free (not a full pass from the first need after
 * each move: the needs after the one that moved d are checked once, not twice).
 * A need whose window d + start fell an ulp short of a busy interval's end must not move
 * d to that same end again: before, such a need "moved" d in every round, the search went
 * 100000 rounds and called a free departure impossible (the 10 s tail of the bench, and a
 * later plan than the earliest).
 * hint (NULL: none) holds an index per resource that the searches start from (see
 * busy_after_near); the answer does not depend on it. */
static double earliest_free(const tm_sp_busy *busy, const tm_sp_need *needs, size_t n,
                            double lo, double cap, size_t *hint)
{
    double d = lo;
    if (n == 0)
        return d > cap ? INFINITY : d;
    size_t free_in_row = 0, i = 0;
    for (size_t checks = 0; checks < 100000 * n; checks++) {
        if (d > cap)
            return INFINITY;
        size_t r = needs[i].resource;
        if (r < busy->n_resources) {
            /* Past every busy interval that overlaps the need: when d moves, the next
             * interval may overlap it in turn. An interval whose end, less the need's
             * start, does not move d is clear of it. */
            double t = d + needs[i].start;
            size_t j = hint ? busy_after_near(busy, r, t, &hint[r]) : busy_after(busy, r, t);
            size_t last = busy->first[r + 1];
            for (; j < last && busy->items[j][0] < d + needs[i].end; j++) {
                double moved = busy->items[j][1] - needs[i].start;
                if (moved > d) {
                    d = moved;
                    free_in_row = 0;
                }
            }
        }
        if (++free_in_row >= n)
            return d > cap ? INFINITY : d;
        i = i + 1 == n ? 0 : i + 1;
    }
    return INFINITY;
}

double tm_sp_earliest_free(const tm_sp_busy *busy, const tm_sp_need *needs, size_t n,
                           double lo, double cap)
{
    return earliest_free(busy, needs, n, lo, cap, NULL);
}

typedef struct node {
    size_t station, gap, parent;
    double depart_parent;   /* the special's departure from the parent */
    double arrive, ready, cap;
    double key;
} node;

typedef struct slot {
    size_t gap;
    double best;
} slot;

typedef TM_VEC(slot) slot_list;

typedef struct search {
    const tm_sp_problem *p;
    TM_VEC(node) nodes;
    TM_VEC(size_t) heap;
    slot_list *slots;       /* per station: best readiness per free interval */
    double *h;              /* bound per station, NAN until asked */
    size_t *hint;           /* per resource: where its last look at the busy intervals
                             * ended (earliest_free), or NULL */
    size_t segments;
} search;

static int heap_less(const search *s, size_t a, size_t b)
{
    const node *x = &s->nodes.items[a], *y = &s->nodes.items[b];
    if (x->key != y->key)
        return x->key < y->key;
    /* Ties: the destination first (its key is exact), then the farther station. */
    if (x->station != y->station)
        return x->station > y->station;
    return a < b;
}

static int heap_push(search *s, size_t id)
{
    if (tm_vec_push(&s->heap, id))
        return -1;
    size_t i = s->heap.n - 1;
    while (i > 0) {
        size_t up = (i - 1) / 2;
        if (!heap_less(s, s->heap.items[i], s->heap.items[up]))
            break;
        size_t t = s->heap.items[i];
        s->heap.items[i] = s->heap.items[up];
        s->heap.items[up] = t;
        i = up;
    }
    return 0;
}

static size_t heap_pop(search *s)
{
    size_t top = s->heap.items[0];
    s->heap.items[0] = s->heap.items[--s->heap.n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->heap.n && heap_less(s, s->heap.items[l], s->heap.items[m]))
            m = l;
        if (r < s->heap.n && heap_less(s, s->heap.items[r], s->heap.items[m]))
            m = r;
        if (m == i)
            break;
        size_t t = s->heap.items[i];
        s->heap.items[i] = s->heap.items[m];
        s->heap.items[m] = t;
        i = m;
    }
    return top;
}

/* The best readiness of (station, gap), created with +inf; NULL when memory runs out.
 * Valid until the next call. */
static double *slot_of(search *s, size_t station, size_t gap)
{
    slot_list *l = &s->slots[station];
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].gap == gap)
            return &l->items[i].best;
    if (tm_vec_push(l, ((slot){gap, INFINITY})))
        return NULL;
    return &l->items[l->n - 1].best;
}

static int bound_of(search *s, size_t i, double *h, tumen_error *err)
{
    if (isnan(s->h[i])) {
        int rc = s->p->bound(s->p->ctx, i, &s->h[i], err);
        if (rc != TUMEN_OK)
            return rc;
    }
    *h = s->h[i];
    return TUMEN_OK;
}

/* Adds the successors of node `from` over the segment to k. */
static int expand_edge(search *s, size_t from, size_t k, tumen_error *err)
{
    const tm_sp_problem *p = s->p;
    const tm_sp_segment *seg = NULL;
    int rc = p->segment(p->ctx, s->nodes.items[from].station, k, &seg, err);
    if (rc != TUMEN_OK)
        return rc;
    s->segments++;
    node f = s->nodes.items[from];
    double lo = f.ready;
    size_t fs = f.station;
    if (p->not_before && p->not_before[fs] > lo)
        lo = p->not_before[fs];
    int dest = k == p->n_stations - 1;
    double hk = 0.0;
    if (!dest && (rc = bound_of(s, k, &hk, err)) != TUMEN_OK)
        return rc;
    for (int count = 0; count < MAX_SUCCESSORS; count++) {
        double d = earliest_free(p->busy, seg->needs, seg->n_needs, lo, f.cap, s->hint);
        /* Departures are whole seconds (a timetable is written to the second): the next
         * whole second at which every need is still free. */
        while (isfinite(d)) {
            double whole = ceil(d - 1e-7);
            double again = earliest_free(p->busy, seg->needs, seg->n_needs, whole, f.cap, s->hint);
            if (again <= whole + 1e-9) {
                d = whole;
                break;
            }
            d = again;
        }
        if (!isfinite(d))
            break;
        node n = {k, 0, from, d, d + seg->arrive, d + seg->ready, INFINITY, 0.0};
        double stand = d + seg->stand_start;
        size_t r = seg->stand_resource;
        size_t next = (size_t)-1;
        if (r < p->busy->n_resources) {
            next = busy_after(p->busy, r, stand);
            n.gap = next - p->busy->first[r];
            if (next < p->busy->first[r + 1])
                n.cap = p->busy->items[next][0] - seg->stand_tail;
        }
        n.key = dest ? n.arrive : n.ready + hk;
        if (n.key <= p->latest + 1e-9) {
            double *sl = slot_of(s, k, n.gap);
            if (!sl || tm_vec_push(&s->nodes, n))
                return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
            if (n.ready < *sl - 1e-9) {
                *sl = n.ready;
                if (heap_push(s, s->nodes.n - 1))
                    return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
            }
        }
        if (dest || next == (size_t)-1 || next >= p->busy->first[r + 1])
            break;
        /* The next free interval of k: depart so late that the stand begins after this
         * busy interval. */
        lo = p->busy->items[next][1] - seg->stand_start;
    }
    return TUMEN_OK;
}

static void clock_text(double t, char *buf, size_t size)
{
    long v = lround(t);
    snprintf(buf, size, "%ld:%02ld:%02ld", v / 3600, v / 60 % 60, v % 60);
}

static int run_search(const tm_sp_problem *p, double latest, tm_sp_plan *out, int *found,
                      tumen_error *err)
{
    *found = 0;
    tm_sp_problem q = *p;
    q.latest = latest;
    search s;
    memset(&s, 0, sizeof s);
    s.p = &q;
    s.h = malloc(p->n_stations * sizeof *s.h);
    s.slots = calloc(p->n_stations, sizeof *s.slots);
    /* the hints start out of range (a full search the first time) */
    s.hint = p->busy->n_resources ? malloc(p->busy->n_resources * sizeof *s.hint) : NULL;
    if (s.hint)
        memset(s.hint, 0xff, p->busy->n_resources * sizeof *s.hint);
    int rc = TUMEN_OK;
    if (!s.h || !s.slots || (p->busy->n_resources && !s.hint)) {
        free(s.h);
        free(s.slots);
        free(s.hint);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < p->n_stations; i++)
        s.h[i] = NAN;
    double h0;
    if ((rc = bound_of(&s, 0, &h0, err)) != TUMEN_OK)
        goto done;
    node root = {0, 0, (size_t)-1, p->earliest, p->earliest, p->earliest, INFINITY,
                 p->earliest + h0};
    if (tm_vec_push(&s.nodes, root) || heap_push(&s, 0)) {
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
        goto done;
    }
    size_t limit = p->max_expansions ? p->max_expansions : 1000000;
    size_t expansions = 0, goal = (size_t)-1;
    while (s.heap.n && expansions < limit) {
        size_t id = heap_pop(&s);
        node cur = s.nodes.items[id];
        if (cur.station == p->n_stations - 1) {
            goal = id;
            break;
        }
        if (cur.key > latest + 1e-9)
            break;
        if (id != 0) {
            double *sl = slot_of(&s, cur.station, cur.gap);
            if (!sl) {
                rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
                goto done;
            }
            if (cur.ready > *sl + 1e-9)
                continue; /* a better label of this slot was found since */
        }
        if (++expansions % TM_SP_POLL_EXPANSIONS == 0 &&
            tm_sp_cancelled(&p->cancel, expansions, limit, err)) {
            rc = TUMEN_ECANCELLED;
            goto done;
        }
        for (size_t k = cur.station + 1; k < p->n_stations; k++) {
            int dest = k == p->n_stations - 1;
            if (dest || p->can_stop[k] || p->must_stop[k])
                if ((rc = expand_edge(&s, id, k, err)) != TUMEN_OK)
                    goto done;
            if (p->must_stop[k])
                break;
        }
    }
    out->expansions = expansions;
    out->segments = s.segments;
    if (goal != (size_t)-1) {
        size_t n = 0;
        for (size_t id = goal; id != (size_t)-1; id = s.nodes.items[id].parent)
            n++;
        out->station = malloc(n * sizeof *out->station);
        out->arrive = malloc(n * sizeof *out->arrive);
        out->depart = malloc(n * sizeof *out->depart);
        if (!out->station || !out->arrive || !out->depart) {
            rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
            goto done;
        }
        out->n = n;
        size_t i = n, id = goal;
        double dep_next = s.nodes.items[goal].arrive;
        while (id != (size_t)-1) {
            const node *nd = &s.nodes.items[id];
            i--;
            out->station[i] = nd->station;
            out->arrive[i] = nd->arrive;
            out->depart[i] = dep_next;
            dep_next = nd->depart_parent;
            id = nd->parent;
        }
        out->arrive[0] = out->depart[0];
        out->arrival = s.nodes.items[goal].arrive;
        *found = 1;
    }
done:
    free(s.nodes.items);
    free(s.heap.items);
    if (s.slots)
        for (size_t i = 0; i < p->n_stations; i++)
            free(s.slots[i].items);
    free(s.slots);
    free(s.h);
    free(s.hint);
    return rc;
}

int tm_sp_cancelled(const tm_sp_cancel *c, size_t done, size_t total, tumen_error *err)
{
    if (!c || !c->poll || c->poll(c->user, done, total) == 0)
        return 0;
    tm_error_set(err, TUMEN_ECANCELLED, NULL, 0, NULL, "the plan was cancelled");
    return 1;
}

int tm_sp_fit(const tm_sp_problem *p, tm_sp_plan *out, double *alternative, tumen_error *err)
{
    memset(out, 0, sizeof *out);
    if (alternative)
        *alternative = -1.0;
    int found = 0;
    int rc = run_search(p, p->latest, out, &found, err);
    if (rc != TUMEN_OK || found) {
        if (rc != TUMEN_OK)
            tm_sp_plan_free(out);
        return rc;
    }
    /* Why not: the earliest arrival on an empty line (the fastest runs, the required
     * stops with their dwells and not-before times), then through the timetable. */
    char when[32] = "", late[32] = "";
    tm_sp_busy none = {NULL, NULL, 0};
    tm_sp_problem q = *p;
    q.busy = &none;
    tm_sp_plan alt;
    memset(&alt, 0, sizeof alt);
    rc = run_search(&q, INFINITY, &alt, &found, err);
    if (rc != TUMEN_OK)
        return rc;
    double empty = found ? alt.arrival : INFINITY;
    tm_sp_plan_free(&alt);
    rc = run_search(p, INFINITY, &alt, &found, err);
    if (rc != TUMEN_OK)
        return rc;
    if (found && alternative)
        *alternative = alt.arrival;
    double a = found ? alt.arrival : -1.0;
    tm_sp_plan_free(&alt);
    if (found)
        clock_text(a, when, sizeof when);
    if (isfinite(empty) && empty > p->latest + 1e-9) {
        char e[32];
        clock_text(empty, e, sizeof e);
        clock_text(empty - p->latest, late, sizeof late);
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "latest_arrival",
                            "no path arrives by the latest arrival even on an empty line: the "
                            "fastest run with the required stops arrives at %s, %s late%s%s",
                            e, late, found ? "; the earliest clear arrival through the "
                                             "timetable is " : "", found ? when : "");
    }
    if (found) {
        clock_text(a - p->latest, late, sizeof late);
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "latest_arrival",
                            "the timetable and the security rules leave no clear path by the "
                            "latest arrival; the earliest clear arrival is %s, %s later (or "
                            "use --mode priority)",
                            when, late);
    }
    return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "mode",
                        "no clear path exists through this timetable at any time (a "
                        "required stop or the security rules cannot be met); use "
                        "--mode priority");
}
