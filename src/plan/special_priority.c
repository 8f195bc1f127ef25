/* special_priority.c: the special runs as fast as it can; the others give way.
 *
 * Every train whose blocking times meet the convoy's corridor (or, for a passenger train,
 * stands at a platform the special passes while it passes) must be held or cancelled. A
 * hold is a later departure from the train's origin or a longer dwell at one of its
 * scheduled stops: the train's trajectory after that point shifts by the delay, so its
 * blocking times there shift exactly (no new engine run is needed). Each train is held by
 * the least delay that clears the corridor and adds no conflict with the other trains as
 * decided so far; the trains are decided in the order of their first conflict, and a
 * branch and bound over (cancel | hold at each point) per train finds the least total cost.
 * Its bound for the trains still open is, per train, the cheaper of the cancellation and
 * its least hold against the corridor alone (more trains in the way never shorten a hold),
 * so the search is exact over that space when it finishes within max_nodes; otherwise the
 * best plan found is returned with that lower bound. The greedy plan (the search's first
 * leaf) limits how long a hold of a least plan can be, so trains in the way that cannot meet
 * within those holds are searched apart, in groups (group_trains).
 *
 * What a node costs is the least delay of its holds: rounds of checks of the held train's
 * occupations against the index of the others', each check skipped while nothing can have
 * changed for it (violation's gates), and a least delay kept while the trains near its train
 * are decided alike (memo). Neither changes a result, nor the nodes the search visits.
 */
#include "plan/special.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define HORIZON (7.0 * 86400.0) /* s: a longer hold is no hold */

void tm_sp_priority_plan_free(tm_sp_priority_plan *p)
{
    if (!p)
        return;
    free(p->decisions);
    memset(p, 0, sizeof *p);
}

typedef tm_sp_occ_ref ref;

/* What one occupation of a train met in the last full check of a least-delay search (only
 * the delay changes between its rounds, and grows): it meets nothing while its start is at
 * or past `behind` (the latest end of what it overlapped) and its end short of `ahead` (the
 * earliest start of what lies ahead of it). See violation. */
typedef struct gate {
    double behind, ahead;    /* behind = INFINITY: check it */
    size_t hint;             /* where its scan of the index began (SIZE_MAX: not yet) */
} gate;

/* An occupation of a held train, on its resource's stack (the trains held so far), where
 * the hold has moved it. */
typedef struct held_occ {
    size_t train;
    size_t next;             /* the one below on the same resource; SIZE_MAX: none */
    double start, end;
    int direction;
} held_occ;

typedef struct ctx {
    const tm_sp_priority_problem *p;
    /* by resource: the corridor intervals, the platform windows, the freight windows */
    size_t *cfirst, *pfirst, *ffirst;
    tm_sp_need *corr, *plat, *fr;
    const tm_sp_occ_index *ix; /* the trains' occupations by resource */
    tm_sp_occ_index own;     /* ix when the problem brings none */
    /* The held trains' occupations, by resource: the index holds them where they were
     * planned, so a held train is looked for here (a stack: the search holds and releases
     * in last-in first-out order). */
    size_t *held_top;        /* by resource */
    held_occ *held;
    size_t n_held, cap_held;
    int ignore_others;
    /* by occupation of the train whose hold is being worked out (min_delay) */
    struct gate *gate;
    /* by train: where its occupations' scan starts at delay 0 lie in base_hint (SIZE_MAX:
     * not kept; NULL: none kept, the entry points for tests), each SIZE_MAX until first
     * found: a start for the scans of every later delay; base: the current train's */
    size_t *base_at, *base_hint;
    size_t *base;
    /* by train: the largest delay a hold may take in a plan that can still be least (a
     * larger one is no option); NULL: none (up to HORIZON) */
    const double *reach;
} ctx;

static int cmp_need(const void *a, const void *b)
{
    const tm_sp_need *x = a, *y = b;
    if (x->resource != y->resource)
        return x->resource < y->resource ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

void tm_sp_occ_index_free(tm_sp_occ_index *ix)
{
    if (!ix)
        return;
    free(ix->first);
    free(ix->refs);
    memset(ix, 0, sizeof *ix);
}

static void ctx_free(ctx *c)
{
    free(c->cfirst);
    free(c->pfirst);
    free(c->corr);
    free(c->plat);
    free(c->ffirst);
    free(c->fr);
    tm_sp_occ_index_free(&c->own);
    free(c->held_top);
    free(c->held);
    free(c->gate);
    free(c->base_at);
    free(c->base_hint);
}

static int index_needs(const tm_sp_need *in, size_t n, size_t nr, tm_sp_need **out,
                       size_t **first)
{
    *out = malloc((n ? n : 1) * sizeof **out);
    *first = calloc(nr + 1, sizeof **first);
    if (!*out || !*first)
        return -1;
    if (n)
        memcpy(*out, in, n * sizeof *in);
    if (n > 1)
        qsort(*out, n, sizeof **out, cmp_need);
    for (size_t i = 0; i < n; i++)
        if ((*out)[i].resource < nr)
            (*first)[(*out)[i].resource + 1]++;
    for (size_t r = 0; r < nr; r++)
        (*first)[r + 1] += (*first)[r];
    return 0;
}

/* a before b: by start, then train, end, direction (refs equal in all of these are the
 * same to a scan, so every sort gives the same index). */
static int ref_before(const ref *a, const ref *b)
{
    if (a->start != b->start)
        return a->start < b->start;
    if (a->train != b->train)
        return a->train < b->train;
    if (a->end != b->end)
        return a->end < b->end;
    return a->direction < b->direction;
}

/* Sorts a[0..n) by ref_before (tmp: room for n): runs of 8 by insertion, then merged in
 * passes. The index has a million refs: qsort's call per comparison was most of building
 * it, which the first priority request of a background pays. */
static void sort_refs(ref *a, size_t n, ref *tmp)
{
    for (size_t i = 0; i < n; i += 8) {
        size_t z = i + 8 < n ? i + 8 : n;
        for (size_t j = i + 1; j < z; j++) {
            ref x = a[j];
            size_t k = j;
            for (; k > i && ref_before(&x, &a[k - 1]); k--)
                a[k] = a[k - 1];
            a[k] = x;
        }
    }
    ref *src = a, *dst = tmp;
    for (size_t w = 8; w < n; w *= 2) {
        for (size_t i = 0; i < n; i += 2 * w) {
            size_t m = i + w < n ? i + w : n, z = i + 2 * w < n ? i + 2 * w : n;
            size_t x = i, y = m, o = i;
            while (x < m && y < z)
                dst[o++] = ref_before(&src[y], &src[x]) ? src[y++] : src[x++];
            while (x < m)
                dst[o++] = src[x++];
            while (y < z)
                dst[o++] = src[y++];
        }
        ref *sw = src;
        src = dst;
        dst = sw;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

int tm_sp_occ_index_build(const tm_sp_train *trains, size_t n_trains, size_t nr,
                          tm_sp_occ_index *ix)
{
    memset(ix, 0, sizeof *ix);
    ix->n_resources = nr;
    size_t total = 0;
    for (size_t t = 0; t < n_trains; t++)
        total += trains[t].n_occ;
    if (n_trains > UINT32_MAX)
        return -1;
    ix->refs = malloc((total ? total : 1) * sizeof *ix->refs);
    ix->first = calloc(nr + 2, sizeof *ix->first);
    if (!ix->refs || !ix->first) {
        tm_sp_occ_index_free(ix);
        return -1;
    }
    size_t *first = ix->first;
    for (size_t t = 0; t < n_trains; t++)
        for (size_t k = 0; k < trains[t].n_occ; k++)
            if (trains[t].occ[k].resource < nr)
                first[trains[t].occ[k].resource + 2]++;
    for (size_t r = 0; r < nr; r++)
        first[r + 2] += first[r + 1];
    for (size_t t = 0; t < n_trains; t++)
        for (size_t k = 0; k < trains[t].n_occ; k++) {
            size_t r = trains[t].occ[k].resource;
            if (r < nr)
                ix->refs[first[r + 1]++] = (ref){trains[t].occ[k].start, trains[t].occ[k].end,
                                                 0.0, (uint32_t)t,
                                                 (int32_t)trains[t].occ[k].direction};
        }
    /* Each resource's occupations by start, with the latest end so far: a check scans
     * only from the first that may still be busy at the interval it tests. */
    size_t most = 0;
    for (size_t r = 0; r < nr; r++)
        if (first[r + 1] - first[r] > most)
            most = first[r + 1] - first[r];
    ref *tmp = malloc((most ? most : 1) * sizeof *tmp);
    if (!tmp) {
        tm_sp_occ_index_free(ix);
        return -1;
    }
    for (size_t r = 0; r < nr; r++) {
        size_t a = first[r], z = first[r + 1];
        if (z - a > 1)
            sort_refs(ix->refs + a, z - a, tmp);
        for (size_t i = a; i < z; i++)
            ix->refs[i].maxend = i > a ? fmax(ix->refs[i - 1].maxend, ix->refs[i].end)
                                       : ix->refs[i].end;
    }
    free(tmp);
    return 0;
}

static int ctx_build(ctx *c, const tm_sp_priority_problem *p)
{
    memset(c, 0, sizeof *c);
    c->p = p;
    size_t nr = p->n_resources;
    if (index_needs(p->corridor, p->n_corridor, nr, &c->corr, &c->cfirst) ||
        index_needs(p->platform_windows, p->n_platform_windows, nr, &c->plat, &c->pfirst) ||
        index_needs(p->freight_windows, p->n_freight_windows, nr, &c->fr, &c->ffirst))
        return -1;
    if (p->index && p->index->n_resources == nr)
        c->ix = p->index;
    else if (tm_sp_occ_index_build(p->trains, p->n_trains, nr, &c->own))
        return -1;
    else
        c->ix = &c->own;
    c->held_top = malloc((nr ? nr : 1) * sizeof *c->held_top);
    size_t most = 0;
    for (size_t t = 0; t < p->n_trains; t++)
        if (p->trains[t].n_occ > most)
            most = p->trains[t].n_occ;
    c->gate = malloc((most + 1) * sizeof *c->gate);
    if (!c->held_top || !c->gate)
        return -1;
    for (size_t r = 0; r < nr; r++)
        c->held_top[r] = SIZE_MAX;
    return 0;
}

static void shifted(const tm_sp_train *tr, size_t h, double delta, const tm_sp_occ *o,
                    double *s, double *e, int *ss, int *se);

/* Puts train t's occupations on the held stacks, held at holds[t] by delays[t] > 0. */
static int hold_push(ctx *c, size_t t, const double *delays, const size_t *holds)
{
    const tm_sp_train *tr = &c->p->trains[t];
    if (c->n_held + tr->n_occ > c->cap_held) {
        size_t cap = 2 * c->cap_held + tr->n_occ + 64;
        held_occ *h = realloc(c->held, cap * sizeof *h);
        if (!h)
            return -1;
        c->held = h;
        c->cap_held = cap;
    }
    for (size_t k = 0; k < tr->n_occ; k++) {
        size_t r = tr->occ[k].resource;
        if (r >= c->p->n_resources)
            continue;
        double s, e;
        int ss, se;
        shifted(tr, holds[t], delays[t], &tr->occ[k], &s, &e, &ss, &se);
        c->held[c->n_held] = (held_occ){t, c->held_top[r], s, e, tr->occ[k].direction};
        c->held_top[r] = c->n_held++;
    }
    return 0;
}

/* Takes train t's occupations off the held stacks (t the last pushed, in reverse; none if
 * its push ran out of memory). */
static void hold_pop(ctx *c, size_t t)
{
    const tm_sp_train *tr = &c->p->trains[t];
    for (size_t k = tr->n_occ; k-- > 0;) {
        size_t r = tr->occ[k].resource;
        if (r >= c->p->n_resources)
            continue;
        if (c->n_held == 0 || c->held[c->n_held - 1].train != t)
            break;
        c->held_top[r] = c->held[--c->n_held].next;
    }
}

/* Every train with a hold in delays on the stacks (the entry points that take a plan). */
static int hold_all(ctx *c, const double *delays, const size_t *holds)
{
    if (delays)
        for (size_t j = 0; j < c->p->n_trains; j++)
            if (delays[j] > 0.0 && hold_push(c, j, delays, holds))
                return -1;
    return 0;
}

/* First index of resource r's occupations that may end after t (every earlier one ends
 * at or before t). */
static size_t first_from(const tm_sp_occ_index *ix, size_t r, double t)
{
    size_t lo = ix->first[r], hi = ix->first[r + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->refs[mid].maxend <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* first_from, searched onward from lo, where every earlier occupation ends at or before t
 * (first_from of an earlier time): within a least-delay search the times only grow, and the
 * answer is usually a few places on. */
static size_t first_from_after(const tm_sp_occ_index *ix, size_t r, double t, size_t lo)
{
    size_t end = ix->first[r + 1];
    if (lo >= end || ix->refs[lo].maxend > t)
        return lo;
    size_t step = 1;
    lo++;
    while (lo + step - 1 < end && ix->refs[lo + step - 1].maxend <= t) {
        lo += step;
        step *= 2;
    }
    size_t hi = lo + step - 1 < end ? lo + step - 1 : end;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->refs[mid].maxend <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The shift of an occupation's start and end under a hold. */
static void shifted(const tm_sp_train *tr, size_t h, double delta, const tm_sp_occ *o,
                    double *s, double *e, int *ss, int *se)
{
    const tm_sp_hold_point *hp = &tr->holds[h];
    *ss = hp->origin || o->pos_start >= hp->position - 1e-6;
    *se = hp->origin || o->pos_end > hp->position + 1e-6;
    *s = o->start + (*ss ? delta : 0.0);
    *e = o->end + (*se ? delta : 0.0);
}

/* fmax and fmin for the checks' times, which are never NaN (the library's handle NaN and
 * are calls, in the innermost loop). */
static double larger(double a, double b)
{
    return a < b ? b : a;
}

static double smaller(double a, double b)
{
    return b < a ? b : a;
}

static int overlap(double a0, double a1, double b0, double b1)
{
    return a0 < b1 - 1e-9 && b0 < a1 - 1e-9;
}

/* What the others count against occupation o of train t when it is moved to [s, e]. */
typedef struct tally {
    size_t now, before;      /* others overlapping [s, e]; overlapping o where it was */
    double first_end;        /* the earliest end of those overlapping [s, e] */
    double push;             /* capacity 1: the latest end of those newly overlapping */
    gate g;                  /* what it overlaps now (counted or not) and what lies ahead */
} tally;

/* g widened by an interval [qs, qe] that [s, e] overlaps (ov) or not: behind it, ahead of
 * it (its start may meet it later), or past it for good. */
static void meet(gate *g, double s, double qs, double qe, int ov)
{
    if (ov)
        g->behind = larger(g->behind, qe);
    else if (s < qe - 1e-9)
        g->ahead = smaller(g->ahead, qs);
}

static void count_other(const ctx *c, size_t t, const tm_sp_occ *o, int cap, double s,
                        double e, size_t j, double qs, double qe, int direction, int now,
                        int before, tally *n)
{
    const tm_sp_priority_problem *p = c->p;
    if (j == t || (p->group && p->group[j] == p->group[t]))
        return;
    if (cap <= 1 && direction != 0 && direction == o->direction)
        return;
    int was = overlap(o->start, o->end, qs, qe);
    int ov = now && overlap(s, e, qs, qe);
    if (ov) {
        n->now++;
        n->first_end = smaller(n->first_end, qe);
        if (!was)
            n->push = larger(n->push, qe);
    }
    if (now)
        meet(&n->g, s, qs, qe, ov);
    if (before && was)
        n->before++;
}

/* The others' part of a violation of train t's occupation o moved to [s, e]: the start it
 * needs (capacity 1: after every occupation it newly overlaps; more: after the first to
 * end when more than the capacity overlap it and more than where it was), or -1. Any start
 * below that is no cure either (a later start only keeps those overlaps), so the least
 * valid delay does not depend on which violation is found first. The unheld trains are
 * found in the index (from the first that may still be busy at s), the held ones on their
 * stack. g is widened by each of them (gate; the first past the index's scan stands for the
 * rest, which start no earlier; those before it end before s), and its hint moved on. */
static double others_push(const ctx *c, size_t t, const tm_sp_occ *o, double s, double e,
                          const double *delays, gate *g)
{
    const tm_sp_priority_problem *p = c->p;
    const tm_sp_occ_index *ix = c->ix;
    size_t r = o->resource;
    int cap = p->capacity ? p->capacity[r] : 1;
    tally n = {0, 0, INFINITY, -1.0, *g};
    size_t past, *base = c->base ? &c->base[o - p->trains[t].occ] : NULL;
    if (g->hint != SIZE_MAX)
        past = first_from_after(ix, r, s - 1.0, g->hint);
    else if (base) { /* s is at or after o->start */
        if (*base == SIZE_MAX)
            *base = first_from(ix, r, o->start - 1.0);
        past = first_from_after(ix, r, s - 1.0, *base);
    } else
        past = first_from(ix, r, s - 1.0);
    n.g.hint = past;
    for (; past < ix->first[r + 1] && ix->refs[past].start < e + 1.0; past++) {
        const ref *q = &ix->refs[past];
        if (!delays || delays[q->train] == 0.0)
            count_other(c, t, o, cap, s, e, q->train, q->start, q->end, q->direction, 1, 0,
                        &n);
    }
    if (past < ix->first[r + 1])
        n.g.ahead = smaller(n.g.ahead, ix->refs[past].start);
    if (cap > 1) { /* where it was: from its scan's start at delay 0 */
        size_t i = base && *base != SIZE_MAX ? *base : first_from(ix, r, o->start - 1.0);
        for (; i < ix->first[r + 1] && ix->refs[i].start < o->end + 1.0; i++) {
            const ref *q = &ix->refs[i];
            if (!delays || delays[q->train] == 0.0)
                count_other(c, t, o, cap, s, e, q->train, q->start, q->end, q->direction, 0,
                            1, &n);
        }
    }
    for (size_t i = c->held_top[r]; i != SIZE_MAX; i = c->held[i].next) {
        const held_occ *q = &c->held[i];
        if (delays && delays[q->train] > 0.0)
            count_other(c, t, o, cap, s, e, q->train, q->start, q->end, q->direction, 1, 1,
                        &n);
    }
    *g = n.g;
    if (cap <= 1)
        return n.push;
    return n.now >= (size_t)cap && n.now > n.before ? n.first_end : -1.0;
}

/* The latest end of the windows w[a..z) that [s, e] overlaps (-1: none); g widened by
 * each. */
static double windows_push(const tm_sp_need *w, size_t a, size_t z, double s, double e,
                           gate *g)
{
    double push = -1.0;
    for (size_t i = a; i < z; i++) {
        int ov = overlap(s, e, w[i].start, w[i].end);
        if (ov)
            push = larger(push, w[i].end);
        meet(g, s, w[i].start, w[i].end, ov);
    }
    return push;
}

/* 0 if the hold is valid; else the least larger delay that may cure every violation found
 * (INFINITY if none can): each occupation's violation rules out every delay below its
 * cure, so the largest of them is still no larger than the least valid delay.
 *
 * gates (NULL: none) serve the rounds of one least-delay search, where only delta changes
 * and grows, and with it each occupation's start and end. A full check of occupation k at
 * a delay > 0 that looked at everything it may meet (the corridor's windows and the others
 * as decided) keeps in gates[k] the latest end of what it overlapped and the earliest start
 * of what lay ahead; what lay behind stays behind. While its start is at or past the one
 * and its end short of the other, it overlaps nothing and so is clean, as a full check
 * would find (the same floating-point comparisons): the result is the same, and an
 * occupation is looked at again only when it may meet something new. */
static double violation(const ctx *c, size_t t, size_t h, double delta, const double *delays,
                        size_t from, gate *gates)
{
    const tm_sp_priority_problem *p = c->p;
    const tm_sp_train *tr = &p->trains[t];
    size_t nr = p->n_resources;
    double worst = 0.0;
    for (size_t k = from; k < tr->n_occ; k++) {
        const tm_sp_occ *o = &tr->occ[k];
        size_t r = o->resource;
        if (r >= nr)
            continue;
        double s, e;
        int ss, se;
        shifted(tr, h, delta, o, &s, &e, &ss, &se);
        gate none = {INFINITY, INFINITY, SIZE_MAX};
        gate *g = gates ? &gates[k] : &none;
        if (s >= g->behind - 1e-9 && g->ahead >= e - 1e-9)
            continue; /* nothing it can meet yet */
        gate seen = {-INFINITY, INFINITY, g->hint};
        /* required start of the shifted occupation */
        double push = windows_push(c->corr, c->cfirst[r], c->cfirst[r + 1], s, e, &seen);
        if (tr->passenger)
            push = larger(push, windows_push(c->plat, c->pfirst[r], c->pfirst[r + 1], s, e,
                                           &seen));
        else
            push = larger(push, windows_push(c->fr, c->ffirst[r], c->ffirst[r + 1], s, e,
                                           &seen));
        int others = !c->ignore_others && (ss || se) && delta > 0.0;
        if (push < 0.0 && others)
            push = others_push(c, t, o, s, e, delays, &seen);
        /* a gate holds only if this check looked at all this search looks at: not at delay
         * 0 (no others there), nor when a window stopped it before the others */
        else if (others || delta == 0.0)
            seen.behind = INFINITY;
        *g = seen;
        if (push >= 0.0) {
            if (!ss)
                return INFINITY;
            double need = push - o->start;
            if (need <= delta + 1e-9)
                return INFINITY;
            worst = larger(worst, need);
        }
    }
    return worst;
}

/* The first of train t's occupations that a hold at h may shift: those before it stay where
 * they are for any delay, so once they pass at delay 0 they pass at every delay. */
static size_t first_shifted(const tm_sp_train *tr, size_t h)
{
    const tm_sp_hold_point *hp = &tr->holds[h];
    size_t k = 0;
    if (!hp->origin)
        while (k < tr->n_occ && tr->occ[k].pos_start < hp->position - 1e-6 &&
               tr->occ[k].pos_end <= hp->position + 1e-6)
            k++;
    return k;
}

/* The rounds of a least-delay search: each moves the hold to the cure of what the last
 * found, until nothing is found (gates: see violation). */
static double rounds(const ctx *c, size_t t, size_t h, const double *delays, gate *gates)
{
    double delta = 0.0;
    size_t from = first_shifted(&c->p->trains[t], h);
    for (int it = 0; it < 100000; it++) {
        double v = violation(c, t, h, delta, delays, it ? from : 0, gates);
        if (v == 0.0)
            return delta;
        if (!isfinite(v) || v > HORIZON)
            return INFINITY;
        delta = ceil(v - 1e-7); /* holds are whole seconds, as a timetable is written */
        if (delta < v)
            delta = v;
        if (c->reach && delta > c->reach[t])
            return INFINITY;
    }
    return INFINITY;
}

static double min_delay(ctx *c, size_t t, size_t h, const double *delays)
{
    const tm_sp_train *tr = &c->p->trains[t];
    for (size_t k = 0; k < tr->n_occ; k++)
        c->gate[k] = (gate){INFINITY, INFINITY, SIZE_MAX};
    c->base = !c->ignore_others && c->base_at && c->base_at[t] != SIZE_MAX
                  ? &c->base_hint[c->base_at[t]]
                  : NULL;
    double d = rounds(c, t, h, delays, c->gate);
    c->base = NULL;
    return d;
}

int tm_sp_hold_ok(const tm_sp_priority_problem *p, size_t t, size_t h, double delta,
                  const double *delays, const size_t *holds)
{
    ctx c;
    if (ctx_build(&c, p) || hold_all(&c, delays, holds)) {
        ctx_free(&c);
        return -1;
    }
    int ok = violation(&c, t, h, delta, delays, 0, NULL) == 0.0;
    ctx_free(&c);
    return ok;
}

double tm_sp_min_delay(const tm_sp_priority_problem *p, size_t t, size_t h,
                       const double *delays, const size_t *holds)
{
    ctx c;
    if (ctx_build(&c, p) || hold_all(&c, delays, holds)) {
        ctx_free(&c);
        return INFINITY;
    }
    double d = min_delay(&c, t, h, delays);
    ctx_free(&c);
    return d;
}

/* first[t] lowered to the start of each of train t's occupations that meets one of the
 * windows w (passenger: which trains they bind, -1 all), found through the index. */
static void meet_windows(const ctx *c, const tm_sp_need *w, size_t nw, int passenger,
                         double *first)
{
    const tm_sp_priority_problem *p = c->p;
    const tm_sp_occ_index *ix = c->ix;
    for (size_t q = 0; q < nw; q++) {
        size_t r = w[q].resource;
        if (r >= p->n_resources)
            continue;
        for (size_t i = first_from(ix, r, w[q].start - 1.0);
             i < ix->first[r + 1] && ix->refs[i].start < w[q].end + 1.0; i++) {
            const ref *o = &ix->refs[i];
            size_t t = o->train;
            if ((passenger < 0 || !p->trains[t].passenger == !passenger) &&
                overlap(o->start, o->end, w[q].start, w[q].end))
                first[t] = fmin(first[t], o->start);
        }
    }
}

typedef struct conflicting {
    size_t train;
    double first;
} conflicting;

/* Keeps the scan starts at delay 0 of the trains in list (see ctx). 0, or -1 when memory
 * runs out. */
static int keep_scan_starts(ctx *c, const conflicting *list, size_t n)
{
    const tm_sp_priority_problem *p = c->p;
    size_t total = 0;
    c->base_at = malloc((p->n_trains ? p->n_trains : 1) * sizeof *c->base_at);
    if (!c->base_at)
        return -1;
    for (size_t t = 0; t < p->n_trains; t++)
        c->base_at[t] = SIZE_MAX;
    for (size_t d = 0; d < n; d++) {
        c->base_at[list[d].train] = total;
        total += p->trains[list[d].train].n_occ;
    }
    c->base_hint = malloc((total + 1) * sizeof *c->base_hint);
    if (!c->base_hint)
        return -1;
    for (size_t i = 0; i < total; i++)
        c->base_hint[i] = SIZE_MAX;
    return 0;
}

static int by_first(const void *a, const void *b)
{
    const conflicting *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return (x->train > y->train) - (x->train < y->train);
}

/* The trains that meet the corridor or a window, by the time they first do. */
static int conflicting_list(const ctx *c, conflicting **out, size_t *n)
{
    const tm_sp_priority_problem *p = c->p;
    *out = malloc((p->n_trains ? p->n_trains : 1) * sizeof **out);
    double *first = malloc((p->n_trains ? p->n_trains : 1) * sizeof *first);
    *n = 0;
    if (!*out || !first) {
        free(first);
        return -1;
    }
    for (size_t t = 0; t < p->n_trains; t++)
        first[t] = INFINITY;
    meet_windows(c, p->corridor, p->n_corridor, -1, first);
    meet_windows(c, p->platform_windows, p->n_platform_windows, 1, first);
    meet_windows(c, p->freight_windows, p->n_freight_windows, 0, first);
    for (size_t t = 0; t < p->n_trains; t++)
        if (isfinite(first[t]))
            (*out)[(*n)++] = (conflicting){t, first[t]};
    free(first);
    if (*n > 1)
        qsort(*out, *n, sizeof **out, by_first);
    return 0;
}

int tm_sp_conflicting(const tm_sp_priority_problem *p, size_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    ctx c;
    conflicting *list = NULL;
    if (ctx_build(&c, p) || conflicting_list(&c, &list, n)) {
        ctx_free(&c);
        free(list);
        return TUMEN_ENOMEM;
    }
    ctx_free(&c);
    *out = malloc((*n ? *n : 1) * sizeof **out);
    if (!*out) {
        free(list);
        return TUMEN_ENOMEM;
    }
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = list[i].train;
    free(list);
    return TUMEN_OK;
}

/* A hold's least delay depends on the decisions of the trains that may come near the held
 * train within the reaches alone (group_trains): it is kept, by the decisions of those
 * trains above it in the list, and used again while they are decided alike. Within the
 * reaches nothing else changes what its check sees, so the kept value is the one a new
 * search would find; the branch and bound visits the same nodes in the same order. */
#define MEMO_WAYS 4          /* decisions kept per hold, the latest */
#define MEMO_MAX_TRAINS 1024 /* in the way; more: nothing kept (near is n by n) */
#define MEMO_MAX_KEYS (4u << 20) /* decisions in all keys (16 bytes each); more: none kept */

typedef struct decided {
    double delay;
    size_t hold;
} decided;

typedef struct memo_slot {
    decided *keys;           /* MEMO_WAYS keys of n_key decisions each, in memo's arena */
    double value[MEMO_WAYS];
    size_t n_key, used, next;
} memo_slot;

typedef struct memo {
    size_t n, n_slots;
    uint32_t *near;          /* near[q * n + z]: 1 + the last occupation of list[q] (in its
                              * order) that may come near one of list[z]'s; 0: none */
    memo_slot *slot;         /* by lb_first[q] + h */
    decided *key;            /* scratch: n */
    decided *arena;          /* the slots' keys */
} memo;

static void memo_free(memo *m)
{
    if (!m)
        return;
    free(m->arena);
    free(m->slot);
    free(m->near);
    free(m->key);
    free(m);
}

/* The branch and bound over one group of trains in the way (see group_trains). */
typedef struct bnb {
    ctx *c;
    const conflicting *whole; /* the trains in the way, in order of first conflict */
    const conflicting *list; /* the group's trains, in order of first conflict */
    const size_t *at;        /* by depth: the train's position in the whole list */
    size_t n;
    double *lb_suffix;       /* lb_suffix[d]: sum of the bounds of list[d..] */
    const double *lb_hold;   /* whole-list position q's hold h against the corridor alone:
                              * lb_hold[lb_first[q] + h] (INFINITY: none) */
    const size_t *lb_first;
    double *delays;          /* by train; < 0 cancelled */
    size_t *holds;
    double best;
    double *best_delays;
    size_t *best_holds;
    size_t nodes, limit, max_nodes; /* limit: this group's; max_nodes: the request's */
    int aborted;
    int cancelled;           /* the caller's poll said stop */
    tumen_error *err;
    memo *memo;              /* NULL: none (the greedy plan, or short of memory) */
    double *first_val;       /* by lb_first[q] + h: the greedy plan's least delays (NaN: not
                              * worked out), kept once the reaches are known */
} bnb;

typedef struct option {
    int cancel;
    size_t hold;
    double delay, cost;
    int exact;               /* 0: cost is only a bound (the hold against the corridor) */
} option;

static int by_cost(const void *a, const void *b)
{
    const option *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    if (x->cancel != y->cancel)
        return x->cancel - y->cancel;
    return (x->hold > y->hold) - (x->hold < y->hold);
}

/* The options of the train at depth d: cancel, and each hold at its bound against the
 * corridor alone (never more). */
static size_t options_of(const bnb *b, size_t d, option *opts)
{
    const tm_sp_train *tr = &b->c->p->trains[b->list[d].train];
    size_t no = 0, q = b->at ? b->at[d] : d;
    opts[no++] = (option){1, 0, -1.0, tr->cancel_cost, 1};
    for (size_t h = 0; h < tr->n_holds; h++) {
        double lb = b->lb_hold[b->lb_first[q] + h];
        if (isfinite(lb))
            opts[no++] = (option){0, h, lb, lb * tr->cost_per_s, 0};
    }
    return no;
}

/* The decisions (from delays and holds) of the trains above whole-list position q that may
 * come near it when held at a point from which its occupation `from` on moves: the key of
 * its least delay there. */
static size_t key_of(const bnb *b, size_t q, size_t from, const double *delays,
                     const size_t *holds, decided *key)
{
    const memo *m = b->memo;
    size_t k = 0;
    for (size_t z = 0; z < q; z++)
        if (m->near[q * m->n + z] > from) {
            size_t j = b->whole[z].train;
            key[k++] = (decided){delays[j], delays[j] > 0.0 ? holds[j] : 0};
        }
    return k;
}

static int memo_get(const memo_slot *sl, const decided *key, size_t nk, double *value)
{
    for (size_t w = 0; w < sl->used; w++) {
        const decided *kw = &sl->keys[w * nk];
        size_t i = 0;
        while (i < nk && kw[i].delay == key[i].delay && kw[i].hold == key[i].hold)
            i++;
        if (i == nk) {
            *value = sl->value[w];
            return 1;
        }
    }
    return 0;
}

/* Keeps value under key (nk = sl->n_key), in place of the oldest. */
static void memo_put(memo_slot *sl, const decided *key, size_t nk, double value)
{
    if (nk)
        memcpy(&sl->keys[sl->next * nk], key, nk * sizeof *key);
    sl->value[sl->next] = value;
    sl->next = (sl->next + 1) % MEMO_WAYS;
    if (sl->used < MEMO_WAYS)
        sl->used++;
}

/* The least delay of the train at depth d held at h, given the trains above as decided. */
static double hold_delay(bnb *b, size_t d, size_t h)
{
    size_t t = b->list[d].train, q = b->at ? b->at[d] : d;
    memo *m = b->memo;
    if (!m) {
        double dl = min_delay(b->c, t, h, b->delays);
        if (b->first_val)
            b->first_val[b->lb_first[q] + h] = dl;
        return dl;
    }
    size_t from = first_shifted(&b->c->p->trains[t], h);
    size_t nk = key_of(b, q, from, b->delays, b->holds, m->key);
    memo_slot *sl = &m->slot[b->lb_first[q] + h];
    double dl;
    if (memo_get(sl, m->key, nk, &dl))
        return dl;
    dl = min_delay(b->c, t, h, b->delays);
    memo_put(sl, m->key, nk, dl);
    return dl;
}

/* Takes the cheapest option left (1), or finds none that can beat the best (0). A hold's
 * least delay given the trains above is worked out only when its bound could come next:
 * the order is that of sorting them all, and the holds past the cut are never worked out. */
static int take_option(bnb *b, size_t d, double cost, option *opts, size_t *no, option *out)
{
    size_t t = b->list[d].train;
    const tm_sp_train *tr = &b->c->p->trains[t];
    while (*no > 0) {
        size_t m = 0;
        for (size_t i = 1; i < *no; i++)
            if (by_cost(&opts[i], &opts[m]) < 0)
                m = i;
        if (cost + opts[m].cost + b->lb_suffix[d + 1] >= b->best - 1e-9)
            return 0; /* the rest cost more */
        if (!opts[m].exact) {
            double dl = hold_delay(b, d, opts[m].hold);
            if (isfinite(dl))
                opts[m] = (option){0, opts[m].hold, dl, dl * tr->cost_per_s, 1};
            else
                opts[m] = opts[--*no];
            continue;
        }
        *out = opts[m];
        opts[m] = opts[--*no];
        return 1;
    }
    return 0;
}

/* Decides train t as o (delays, holds and the held stacks). */
static int decide(bnb *b, size_t t, const option *o)
{
    b->delays[t] = o->cancel ? -1.0 : o->delay;
    b->holds[t] = o->hold;
    return b->delays[t] > 0.0 ? hold_push(b->c, t, b->delays, b->holds) : 0;
}

static void undecide(bnb *b, size_t t)
{
    if (b->delays[t] > 0.0)
        hold_pop(b->c, t);
    b->delays[t] = 0.0;
    b->holds[t] = 0;
}

static int dfs(bnb *b, size_t d, double cost)
{
    if (b->nodes++ >= b->limit) {
        b->aborted = 1;
        return 0;
    }
    if (b->nodes % TM_SP_POLL_NODES == 0 &&
        tm_sp_cancelled(&b->c->p->cancel, b->nodes, b->max_nodes, b->err)) {
        b->aborted = b->cancelled = 1;
        return 0;
    }
    if (d == b->n) {
        if (cost < b->best - 1e-9) {
            b->best = cost;
            for (size_t i = 0; i < b->n; i++) {
                size_t t = b->list[i].train;
                b->best_delays[t] = b->delays[t];
                b->best_holds[t] = b->holds[t];
            }
        }
        return 0;
    }
    size_t t = b->list[d].train;
    option *opts = malloc((b->c->p->trains[t].n_holds + 1) * sizeof *opts);
    if (!opts)
        return -1;
    size_t no = options_of(b, d, opts);
    int rc = 0;
    option o;
    while (!rc && !b->aborted && take_option(b, d, cost, opts, &no, &o)) {
        rc = decide(b, t, &o);
        if (!rc)
            rc = dfs(b, d + 1, cost + o.cost);
        undecide(b, t);
    }
    free(opts);
    return rc;
}

/* The branch and bound's first leaf, each train its cheapest option given those above, into
 * best_delays and best_holds; its cost into *cost (summed as the search sums a leaf). */
static int greedy(bnb *b, double *cost)
{
    *cost = 0.0;
    size_t d = 0;
    int rc = 0;
    for (; d < b->n && !rc; d++) {
        size_t t = b->list[d].train;
        option *opts = malloc((b->c->p->trains[t].n_holds + 1) * sizeof *opts);
        if (!opts) {
            rc = -1;
            break;
        }
        size_t no = options_of(b, d, opts);
        option o = opts[0]; /* cancel, if nothing is cheaper than the best (INFINITY) */
        take_option(b, d, *cost, opts, &no, &o);
        free(opts);
        rc = decide(b, t, &o);
        b->best_delays[t] = b->delays[t];
        b->best_holds[t] = b->holds[t];
        *cost += o.cost;
    }
    while (d-- > 0)
        undecide(b, b->list[d].train);
    return rc;
}

static size_t uf_find(size_t *up, size_t a)
{
    while (up[a] != a)
        a = up[a] = up[up[a]];
    return a;
}

typedef struct reach_iv {
    size_t resource;
    double start, end;
    size_t at;               /* position in the list */
    size_t occ;              /* which of the train's occupations */
} reach_iv;

static int by_resource_start(const void *pa, const void *pb)
{
    const reach_iv *a = pa, *b = pb;
    if (a->resource != b->resource)
        return a->resource < b->resource ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return (a->occ > b->occ) - (a->occ < b->occ);
}

/* near (n by n, zeroed; NULL: not wanted) widened by two intervals that meet. */
static void near_pair(uint32_t *near, size_t n, const reach_iv *a, const reach_iv *z)
{
    if (!near || a->at == z->at)
        return;
    uint32_t *az = &near[a->at * n + z->at], *za = &near[z->at * n + a->at];
    if (*az < a->occ + 1)
        *az = (uint32_t)(a->occ + 1);
    if (*za < z->occ + 1)
        *za = (uint32_t)(z->occ + 1);
}

/* up[d]: a representative of list[d]'s group. Two trains in the way are in one group when
 * on some resource an occupation of one, held by up to its reach, may come within a second
 * of the other's, held by up to its reach (or a chain of such trains links them). A hold's
 * least delay up to its reach reads only occupations near its own, so the trains of one
 * group never change what the options of another's cost: the least plan is the least plan
 * of each group, and the search of each is separate.
 * near (NULL: not wanted) gets the same relation pair by pair (see memo). */
static int group_trains(const ctx *c, const conflicting *list, size_t n, size_t *up,
                        uint32_t *near)
{
    const tm_sp_priority_problem *p = c->p;
    size_t total = 0;
    for (size_t d = 0; d < n; d++) {
        up[d] = d;
        total += p->trains[list[d].train].n_occ;
    }
    reach_iv *iv = malloc((total ? total : 1) * sizeof *iv);
    if (!iv)
        return -1;
    size_t k = 0;
    for (size_t d = 0; d < n; d++) {
        size_t t = list[d].train;
        const tm_sp_train *tr = &p->trains[t];
        for (size_t q = 0; q < tr->n_occ; q++)
            iv[k++] = (reach_iv){tr->occ[q].resource, tr->occ[q].start - 2.0,
                                 tr->occ[q].end + c->reach[t] + 2.0, d, q};
    }
    if (k > 1)
        qsort(iv, k, sizeof *iv, by_resource_start);
    for (size_t i = 0; i < k;) {
        size_t j = i + 1;
        double end = iv[i].end;
        for (; j < k && iv[j].resource == iv[i].resource && iv[j].start < end; j++) {
            end = fmax(end, iv[j].end);
            size_t a = uf_find(up, iv[i].at), z = uf_find(up, iv[j].at);
            if (a != z)
                up[a > z ? a : z] = a < z ? a : z;
        }
        if (near) /* each pair of the cluster that meets */
            for (size_t x = i; x < j; x++)
                for (size_t y = x + 1; y < j && iv[y].start < iv[x].end; y++)
                    near_pair(near, n, &iv[x], &iv[y]);
        i = j;
    }
    free(iv);
    for (size_t d = 0; d < n; d++)
        up[d] = uf_find(up, d);
    return 0;
}

/* *out: the memo of b's whole list, its near relation to be filled by group_trains, or
 * NULL: too many trains in the way (the search then works every hold out). 0, or -1 when
 * memory runs out. */
static int memo_new(const bnb *b, memo **out)
{
    size_t n = b->n;
    *out = NULL;
    if (n > MEMO_MAX_TRAINS)
        return 0;
    for (size_t q = 0; q < n; q++)
        if (b->c->p->trains[b->whole[q].train].n_occ >= UINT32_MAX)
            return 0;
    memo *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    m->n = n;
    m->n_slots = b->lb_first[n];
    m->near = calloc(n * n + 1, sizeof *m->near);
    m->slot = calloc(m->n_slots + 1, sizeof *m->slot);
    m->key = malloc((n + 1) * sizeof *m->key);
    if (!m->near || !m->slot || !m->key) {
        memo_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

/* The room of b's memo's keys, once near is known: each hold's key is as long as its
 * train has trains near it above. A memo that would take more than MEMO_MAX_KEYS is
 * dropped (the search works every hold out). 0, or -1 when memory runs out. */
static int memo_keys(bnb *b)
{
    memo *m = b->memo;
    if (!m)
        return 0;
    size_t total = 0;
    for (size_t q = 0; q < m->n; q++) {
        const tm_sp_train *tr = &b->c->p->trains[b->whole[q].train];
        for (size_t h = 0; h < tr->n_holds; h++) {
            size_t from = first_shifted(tr, h), nk = 0;
            for (size_t z = 0; z < q; z++)
                nk += m->near[q * m->n + z] > from;
            m->slot[b->lb_first[q] + h].n_key = nk;
            total += MEMO_WAYS * nk;
        }
    }
    if (total > MEMO_MAX_KEYS) {
        memo_free(m);
        b->memo = NULL;
        return 0;
    }
    if (!(m->arena = malloc((total + 1) * sizeof *m->arena)))
        return -1;
    total = 0;
    for (size_t i = 0; i < m->n_slots; i++) {
        m->slot[i].keys = m->arena + total;
        total += MEMO_WAYS * m->slot[i].n_key;
    }
    return 0;
}

/* Keeps the greedy plan's least delays (worked out before the reaches were known, with
 * every train in the way decided) as the search will ask for them: a delay past the
 * train's reach is none (INFINITY), as the search's own cut makes it, and the trains not
 * near it, within their reaches, changed nothing it saw. That holds when every train's
 * greedy hold lies within its reach (it does, as the reach is the greedy cost less the
 * others' bounds; checked, else nothing is kept). */
static void memo_seed(bnb *b, const double *reach)
{
    size_t n = b->n;
    if (!b->memo || !b->first_val)
        return;
    for (size_t q = 0; q < n; q++)
        if (b->best_delays[b->whole[q].train] > reach[b->whole[q].train])
            return;
    for (size_t q = 0; q < n; q++) {
        size_t t = b->whole[q].train;
        const tm_sp_train *tr = &b->c->p->trains[t];
        for (size_t h = 0; h < tr->n_holds; h++) {
            double v = b->first_val[b->lb_first[q] + h];
            if (isnan(v))
                continue;
            if (v > reach[t])
                v = INFINITY;
            size_t nk = key_of(b, q, first_shifted(tr, h), b->best_delays, b->best_holds,
                               b->memo->key);
            memo_put(&b->memo->slot[b->lb_first[q] + h], b->memo->key, nk, v);
        }
    }
}

typedef struct group {
    size_t first, size;      /* position of its first train in the whole list; trains */
} group;

static int by_size(const void *pa, const void *pb)
{
    const group *a = pa, *b = pb;
    if (a->size != b->size)
        return a->size < b->size ? -1 : 1;
    return (a->first > b->first) - (a->first < b->first);
}

/* Solves each group of the whole list in b separately (smallest first, each within an even
 * share of the nodes left) from the greedy plan in b->best_*. *lower: the sum over the
 * groups of the least cost (finished) or the bound of what is left (stopped at the limit). */
static int solve_groups(bnb *b, const double *lb, const size_t *up, double *lower)
{
    size_t n = b->n;
    const conflicting *list = b->list;
    group *g = malloc((n ? n : 1) * sizeof *g);
    conflicting *gl = malloc((n ? n : 1) * sizeof *gl);
    size_t *at = malloc((n ? n : 1) * sizeof *at);
    double *suffix = malloc((n + 1) * sizeof *suffix);
    size_t ng = 0;
    int rc = 0;
    if (!g || !gl || !at || !suffix) {
        rc = -1;
        goto out;
    }
    for (size_t d = 0; d < n; d++)
        if (up[d] == d)
            g[ng++] = (group){d, 0};
    for (size_t d = 0; d < n; d++)
        for (size_t i = 0; i < ng; i++)
            if (g[i].first == up[d])
                g[i].size++;
    if (ng > 1)
        qsort(g, ng, sizeof *g, by_size);
    *lower = 0.0;
    b->list = gl;
    b->at = at;
    b->lb_suffix = suffix;
    for (size_t i = 0; i < ng && !rc && !b->cancelled; i++) {
        size_t m = 0;
        for (size_t d = g[i].first; d < n; d++)
            if (up[d] == g[i].first) {
                gl[m] = list[d];
                at[m++] = d;
            }
        b->n = m;
        suffix[m] = 0.0;
        for (size_t d = m; d-- > 0;)
            suffix[d] = suffix[d + 1] + lb[at[d]];
        /* the greedy plan's part is the incumbent, summed as the search sums a leaf */
        b->best = 0.0;
        for (size_t d = 0; d < m; d++) {
            const tm_sp_train *tr = &b->c->p->trains[gl[d].train];
            double dl = b->best_delays[gl[d].train];
            b->best += dl < 0.0 ? tr->cancel_cost : dl * tr->cost_per_s;
        }
        int stopped = b->aborted;
        b->aborted = 0;
        b->limit = b->nodes + (b->max_nodes - b->nodes) / (ng - i);
        rc = dfs(b, 0, 0.0);
        *lower += b->aborted ? suffix[0] : b->best;
        b->aborted |= stopped;
    }
out:
    b->list = list;
    b->at = NULL;
    b->n = n;
    b->lb_suffix = NULL;
    free(g);
    free(gl);
    free(at);
    free(suffix);
    return rc;
}

int tm_sp_priority(const tm_sp_priority_problem *p, tm_sp_priority_plan *out,
                   tumen_error *err)
{
    memset(out, 0, sizeof *out);
    ctx c;
    conflicting *list = NULL;
    size_t n = 0, nt = p->n_trains;
    bnb b;
    memset(&b, 0, sizeof b);
    double *lb = NULL, *reach = NULL, *lb_hold = NULL;
    size_t *lb_first = NULL, *up = NULL;
    int rc = TUMEN_OK;
    if (ctx_build(&c, p) || conflicting_list(&c, &list, &n) || keep_scan_starts(&c, list, n))
        goto oom;
    b.c = &c;
    b.list = list;
    b.n = n;
    b.lb_suffix = calloc(n + 1, sizeof *b.lb_suffix);
    b.delays = calloc(nt ? nt : 1, sizeof *b.delays);
    b.holds = calloc(nt ? nt : 1, sizeof *b.holds);
    b.best_delays = calloc(nt ? nt : 1, sizeof *b.best_delays);
    b.best_holds = calloc(nt ? nt : 1, sizeof *b.best_holds);
    lb = calloc(n + 1, sizeof *lb);
    reach = calloc(nt ? nt : 1, sizeof *reach);
    up = calloc(n + 1, sizeof *up);
    lb_first = calloc(n + 1, sizeof *lb_first);
    if (!b.lb_suffix || !b.delays || !b.holds || !b.best_delays || !b.best_holds || !lb ||
        !reach || !up || !lb_first)
        goto oom;
    /* Bounds against the corridor alone. */
    c.ignore_others = 1;
    for (size_t d = 0; d < n; d++)
        lb_first[d + 1] = lb_first[d] + p->trains[list[d].train].n_holds;
    lb_hold = malloc((lb_first[n] + 1) * sizeof *lb_hold);
    if (!lb_hold)
        goto oom;
    b.lb_first = lb_first;
    b.lb_hold = lb_hold;
    for (size_t d = n; d-- > 0;) {
        const tm_sp_train *tr = &p->trains[list[d].train];
        if (tm_sp_cancelled(&p->cancel, n - d, n, err)) { /* each bound is a search */
            rc = TUMEN_ECANCELLED;
            goto done;
        }
        lb[d] = tr->cancel_cost;
        for (size_t h = 0; h < tr->n_holds; h++) {
            double dl = min_delay(&c, list[d].train, h, NULL);
            lb_hold[lb_first[d] + h] = dl;
            if (isfinite(dl))
                lb[d] = fmin(lb[d], dl * tr->cost_per_s);
        }
        b.lb_suffix[d] = b.lb_suffix[d + 1] + lb[d];
    }
    c.ignore_others = 0;
    /* The greedy plan (the search's first leaf) bounds the least cost: no train of a least
     * plan takes an option dearer than that less the others' bounds, so no hold longer than
     * its reach, and the trains whose reaches never meet are decided apart. */
    b.best = INFINITY;
    b.whole = list;
    b.first_val = malloc((lb_first[n] + 1) * sizeof *b.first_val);
    if (!b.first_val)
        goto oom;
    for (size_t i = 0; i < lb_first[n]; i++)
        b.first_val[i] = NAN;
    double first_cost;
    if (greedy(&b, &first_cost))
        goto oom;
    for (size_t d = 0; d < n; d++) {
        const tm_sp_train *tr = &p->trains[list[d].train];
        double spare = first_cost - (b.lb_suffix[0] - lb[d]) + 1e-6 * (1.0 + first_cost);
        reach[list[d].train] = tr->cost_per_s > 0.0 ? fmin(HORIZON, spare / tr->cost_per_s + 1.0)
                                                    : HORIZON;
    }
    c.reach = reach;
    if (memo_new(&b, &b.memo) ||
        group_trains(&c, list, n, up, b.memo ? b.memo->near : NULL) || memo_keys(&b))
        goto oom;
    memo_seed(&b, reach);
    free(b.lb_suffix);
    b.lb_suffix = NULL;
    b.max_nodes = p->max_nodes ? p->max_nodes : TM_SP_MAX_NODES;
    b.err = err;
    double lower = 0.0;
    if (solve_groups(&b, lb, up, &lower))
        goto oom;
    if (b.cancelled) {
        rc = TUMEN_ECANCELLED;
        goto done;
    }
    out->nodes = b.nodes;
    out->exact = !b.aborted;
    out->cost = 0.0; /* summed in the order of the whole list, as one search would */
    for (size_t d = 0; d < n; d++) {
        const tm_sp_train *tr = &p->trains[list[d].train];
        double dl = b.best_delays[list[d].train];
        out->cost += dl < 0.0 ? tr->cancel_cost : dl * tr->cost_per_s;
    }
    out->lower_bound = out->exact ? out->cost : lower;
    out->decisions = malloc((n ? n : 1) * sizeof *out->decisions);
    if (!out->decisions)
        goto oom;
    for (size_t t = 0; t < nt; t++) {
        double dl = b.best_delays[t];
        if (dl == 0.0)
            continue;
        tm_sp_decision dec = {t, dl < 0.0, b.best_holds[t], dl < 0.0 ? 0.0 : dl, 0.0};
        dec.cost = dec.cancelled ? p->trains[t].cancel_cost : dl * p->trains[t].cost_per_s;
        out->decisions[out->n++] = dec;
    }
    goto done;
oom:
    rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    tm_sp_priority_plan_free(out);
done:
    ctx_free(&c);
    free(list);
    free(b.lb_suffix);
    free(lb_first);
    free(lb_hold);
    free(lb);
    free(reach);
    free(up);
    free(b.delays);
    free(b.holds);
    free(b.best_delays);
    free(b.best_holds);
    memo_free(b.memo);
    free(b.first_val);
    return rc;
}
