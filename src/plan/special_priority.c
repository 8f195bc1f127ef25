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
 * best plan found is returned with that lower bound.
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

typedef struct ref {
    size_t train, occ;
    double start;            /* the occupation's start as given */
} ref;

typedef struct ctx {
    const tm_sp_priority_problem *p;
    /* by resource: the corridor intervals, the platform windows, the trains' occupations */
    size_t *cfirst, *pfirst, *ofirst, *ffirst;
    tm_sp_need *corr, *plat, *fr;
    ref *occ;                /* by resource, each resource's by their start as given */
    double *maxlen;          /* by resource: the longest occupation there */
    int ignore_others;
} ctx;

static int cmp_need(const void *a, const void *b)
{
    const tm_sp_need *x = a, *y = b;
    if (x->resource != y->resource)
        return x->resource < y->resource ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

static void ctx_free(ctx *c)
{
    free(c->cfirst);
    free(c->pfirst);
    free(c->ofirst);
    free(c->corr);
    free(c->plat);
    free(c->ffirst);
    free(c->fr);
    free(c->occ);
    free(c->maxlen);
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

static int by_start(const void *pa, const void *pb)
{
    const ref *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->train != b->train)
        return a->train < b->train ? -1 : 1;
    return (a->occ > b->occ) - (a->occ < b->occ);
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
    size_t total = 0;
    for (size_t t = 0; t < p->n_trains; t++)
        total += p->trains[t].n_occ;
    c->occ = malloc((total ? total : 1) * sizeof *c->occ);
    c->ofirst = calloc(nr + 2, sizeof *c->ofirst);
    if (!c->occ || !c->ofirst)
        return -1;
    for (size_t t = 0; t < p->n_trains; t++)
        for (size_t k = 0; k < p->trains[t].n_occ; k++)
            if (p->trains[t].occ[k].resource < nr)
                c->ofirst[p->trains[t].occ[k].resource + 2]++;
    for (size_t r = 0; r < nr; r++)
        c->ofirst[r + 2] += c->ofirst[r + 1];
    for (size_t t = 0; t < p->n_trains; t++)
        for (size_t k = 0; k < p->trains[t].n_occ; k++) {
            size_t r = p->trains[t].occ[k].resource;
            if (r < nr)
                c->occ[c->ofirst[r + 1]++] = (ref){t, k, p->trains[t].occ[k].start};
        }
    /* Each resource's occupations by start, with the longest one's length: a check scans
     * only those that can reach the interval it tests (holds only delay, never advance). */
    c->maxlen = calloc(nr + 1, sizeof *c->maxlen);
    if (!c->maxlen)
        return -1;
    for (size_t r = 0; r < nr; r++) {
        size_t a = c->ofirst[r], z = c->ofirst[r + 1];
        if (z - a > 1)
            qsort(c->occ + a, z - a, sizeof *c->occ, by_start);
        for (size_t i = a; i < z; i++) {
            const tm_sp_occ *o = &p->trains[c->occ[i].train].occ[c->occ[i].occ];
            c->maxlen[r] = fmax(c->maxlen[r], o->end - o->start);
        }
    }
    return 0;
}

/* First index of resource r's occupations whose start is at or after t. */
static size_t first_from(const ctx *c, size_t r, double t)
{
    size_t lo = c->ofirst[r], hi = c->ofirst[r + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->occ[mid].start < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The largest delay any train has (holds only delay). */
static double max_delay(const ctx *c, const double *delays)
{
    double m = 0.0;
    if (delays)
        for (size_t j = 0; j < c->p->n_trains; j++)
            m = fmax(m, delays[j]);
    return m;
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

static void current(const ctx *c, size_t j, const size_t *holds, const double *delays,
                    const tm_sp_occ *o, double *s, double *e)
{
    int ss, se;
    if (delays && delays[j] > 0.0)
        shifted(&c->p->trains[j], holds[j], delays[j], o, s, e, &ss, &se);
    else {
        *s = o->start;
        *e = o->end;
    }
}

static int overlap(double a0, double a1, double b0, double b1)
{
    return a0 < b1 - 1e-9 && b0 < a1 - 1e-9;
}

/* 0 if the hold is valid; else the least larger delay that may cure the first violation
 * found (INFINITY if none can). */
static double violation(const ctx *c, size_t t, size_t h, double delta, const double *delays,
                        const size_t *holds, double maxdelay)
{
    const tm_sp_priority_problem *p = c->p;
    const tm_sp_train *tr = &p->trains[t];
    size_t nr = p->n_resources;
    for (size_t k = 0; k < tr->n_occ; k++) {
        const tm_sp_occ *o = &tr->occ[k];
        size_t r = o->resource;
        if (r >= nr)
            continue;
        double s, e;
        int ss, se;
        shifted(tr, h, delta, o, &s, &e, &ss, &se);
        double push = -1.0; /* required start of the shifted occupation */
        for (size_t i = c->cfirst[r]; i < c->cfirst[r + 1]; i++)
            if (overlap(s, e, c->corr[i].start, c->corr[i].end))
                push = fmax(push, c->corr[i].end);
        if (tr->passenger)
            for (size_t i = c->pfirst[r]; i < c->pfirst[r + 1]; i++)
                if (overlap(s, e, c->plat[i].start, c->plat[i].end))
                    push = fmax(push, c->plat[i].end);
        if (!tr->passenger)
            for (size_t i = c->ffirst[r]; i < c->ffirst[r + 1]; i++)
                if (overlap(s, e, c->fr[i].start, c->fr[i].end))
                    push = fmax(push, c->fr[i].end);
        if (push < 0.0 && !c->ignore_others && (ss || se) && delta > 0.0) {
            int cap = p->capacity ? p->capacity[r] : 1;
            int now = 0, before = 0;
            double first_end = INFINITY;
            /* Only those that can overlap [o->start, e] (as given or as held): a start
             * before o->start - maxlen - maxdelay ends before o->start even held, a start
             * from e on stays after e. (The least valid delay does not depend on the order
             * the others are checked in: a delay below the end of any overlap found is
             * never valid.) */
            for (size_t i = first_from(c, r, o->start - c->maxlen[r] - maxdelay - 1.0);
                 i < c->ofirst[r + 1] && c->occ[i].start < e + 1.0; i++) {
                size_t j = c->occ[i].train;
                if (j == t || (p->group && p->group[j] == p->group[t]) ||
                    (delays && delays[j] < 0.0))
                    continue;
                const tm_sp_occ *q = &p->trains[j].occ[c->occ[i].occ];
                if (cap <= 1 && q->direction != 0 && q->direction == o->direction)
                    continue;
                double qs, qe;
                current(c, j, holds, delays, q, &qs, &qe);
                if (overlap(s, e, qs, qe)) {
                    now++;
                    first_end = fmin(first_end, qe);
                    if (cap <= 1 && !overlap(o->start, o->end, qs, qe)) {
                        push = fmax(push, qe);
                        break;
                    }
                }
                if (overlap(o->start, o->end, qs, qe))
                    before++;
            }
            if (push < 0.0 && cap > 1 && now >= cap && now > before)
                push = first_end;
        }
        if (push >= 0.0) {
            if (!ss)
                return INFINITY;
            double need = push - o->start;
            return need > delta + 1e-9 ? need : INFINITY;
        }
    }
    return 0.0;
}

static double min_delay(const ctx *c, size_t t, size_t h, const double *delays,
                        const size_t *holds, double maxdelay)
{
    double delta = 0.0;
    for (int it = 0; it < 100000; it++) {
        double v = violation(c, t, h, delta, delays, holds, maxdelay);
        if (v == 0.0)
            return delta;
        if (!isfinite(v) || v > HORIZON)
            return INFINITY;
        delta = ceil(v - 1e-7); /* holds are whole seconds, as a timetable is written */
        if (delta < v)
            delta = v;
    }
    return INFINITY;
}

int tm_sp_hold_ok(const tm_sp_priority_problem *p, size_t t, size_t h, double delta,
                  const double *delays, const size_t *holds)
{
    ctx c;
    if (ctx_build(&c, p)) {
        ctx_free(&c);
        return -1;
    }
    int ok = violation(&c, t, h, delta, delays, holds, max_delay(&c, delays)) == 0.0;
    ctx_free(&c);
    return ok;
}

double tm_sp_min_delay(const tm_sp_priority_problem *p, size_t t, size_t h,
                       const double *delays, const size_t *holds)
{
    ctx c;
    if (ctx_build(&c, p)) {
        ctx_free(&c);
        return INFINITY;
    }
    double d = min_delay(&c, t, h, delays, holds, max_delay(&c, delays));
    ctx_free(&c);
    return d;
}

/* The first time train t meets the corridor or a platform window, or INFINITY. */
static double first_conflict(const ctx *c, size_t t)
{
    const tm_sp_priority_problem *p = c->p;
    const tm_sp_train *tr = &p->trains[t];
    double first = INFINITY;
    for (size_t k = 0; k < tr->n_occ; k++) {
        const tm_sp_occ *o = &tr->occ[k];
        size_t r = o->resource;
        if (r >= p->n_resources)
            continue;
        for (size_t i = c->cfirst[r]; i < c->cfirst[r + 1]; i++)
            if (overlap(o->start, o->end, c->corr[i].start, c->corr[i].end))
                first = fmin(first, o->start);
        if (tr->passenger)
            for (size_t i = c->pfirst[r]; i < c->pfirst[r + 1]; i++)
                if (overlap(o->start, o->end, c->plat[i].start, c->plat[i].end))
                    first = fmin(first, o->start);
        if (!tr->passenger)
            for (size_t i = c->ffirst[r]; i < c->ffirst[r + 1]; i++)
                if (overlap(o->start, o->end, c->fr[i].start, c->fr[i].end))
                    first = fmin(first, o->start);
    }
    return first;
}

typedef struct conflicting {
    size_t train;
    double first;
} conflicting;

static int by_first(const void *a, const void *b)
{
    const conflicting *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return (x->train > y->train) - (x->train < y->train);
}

static int conflicting_list(const ctx *c, conflicting **out, size_t *n)
{
    const tm_sp_priority_problem *p = c->p;
    *out = malloc((p->n_trains ? p->n_trains : 1) * sizeof **out);
    *n = 0;
    if (!*out)
        return -1;
    for (size_t t = 0; t < p->n_trains; t++) {
        double f = first_conflict(c, t);
        if (isfinite(f))
            (*out)[(*n)++] = (conflicting){t, f};
    }
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

typedef struct bnb {
    ctx *c;
    const conflicting *list;
    size_t n;
    double *lb_suffix;       /* lb_suffix[d]: sum of the bounds of list[d..] */
    double *delays;          /* by train; < 0 cancelled */
    size_t *holds;
    double best;
    double *best_delays;
    size_t *best_holds;
    size_t nodes, max_nodes;
    int aborted;
    int cancelled;           /* the caller's poll said stop */
    tumen_error *err;
} bnb;

typedef struct option {
    int cancel;
    size_t hold;
    double delay, cost;
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

static int dfs(bnb *b, size_t d, double cost)
{
    if (b->nodes++ >= b->max_nodes) {
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
            size_t nt = b->c->p->n_trains;
            memcpy(b->best_delays, b->delays, nt * sizeof *b->delays);
            memcpy(b->best_holds, b->holds, nt * sizeof *b->holds);
        }
        return 0;
    }
    size_t t = b->list[d].train;
    const tm_sp_train *tr = &b->c->p->trains[t];
    option *opts = malloc((tr->n_holds + 1) * sizeof *opts);
    if (!opts)
        return -1;
    size_t no = 0;
    opts[no++] = (option){1, 0, -1.0, tr->cancel_cost};
    double maxdelay = 0.0; /* only the trains decided above are held */
    for (size_t q = 0; q < d; q++)
        maxdelay = fmax(maxdelay, b->delays[b->list[q].train]);
    for (size_t h = 0; h < tr->n_holds; h++) {
        double dl = min_delay(b->c, t, h, b->delays, b->holds, maxdelay);
        if (isfinite(dl))
            opts[no++] = (option){0, h, dl, dl * tr->cost_per_s};
    }
    qsort(opts, no, sizeof *opts, by_cost);
    int rc = 0;
    for (size_t i = 0; i < no && !rc && !b->aborted; i++) {
        if (cost + opts[i].cost + b->lb_suffix[d + 1] >= b->best - 1e-9)
            break; /* sorted: the rest cost more */
        b->delays[t] = opts[i].cancel ? -1.0 : opts[i].delay;
        b->holds[t] = opts[i].hold;
        rc = dfs(b, d + 1, cost + opts[i].cost);
    }
    b->delays[t] = 0.0;
    b->holds[t] = 0;
    free(opts);
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
    int rc = TUMEN_OK;
    if (ctx_build(&c, p) || conflicting_list(&c, &list, &n))
        goto oom;
    b.c = &c;
    b.list = list;
    b.n = n;
    b.lb_suffix = calloc(n + 1, sizeof *b.lb_suffix);
    b.delays = calloc(nt ? nt : 1, sizeof *b.delays);
    b.holds = calloc(nt ? nt : 1, sizeof *b.holds);
    b.best_delays = calloc(nt ? nt : 1, sizeof *b.best_delays);
    b.best_holds = calloc(nt ? nt : 1, sizeof *b.best_holds);
    if (!b.lb_suffix || !b.delays || !b.holds || !b.best_delays || !b.best_holds)
        goto oom;
    /* Bounds against the corridor alone; the greedy plan (cheapest option in turn) gives
     * the first incumbent. */
    c.ignore_others = 1;
    for (size_t d = n; d-- > 0;) {
        const tm_sp_train *tr = &p->trains[list[d].train];
        if (tm_sp_cancelled(&p->cancel, n - d, n, err)) { /* each bound is a search */
            rc = TUMEN_ECANCELLED;
            goto done;
        }
        double lb = tr->cancel_cost;
        for (size_t h = 0; h < tr->n_holds; h++) {
            double dl = min_delay(&c, list[d].train, h, NULL, NULL, 0.0);
            if (isfinite(dl))
                lb = fmin(lb, dl * tr->cost_per_s);
        }
        b.lb_suffix[d] = b.lb_suffix[d + 1] + lb;
    }
    c.ignore_others = 0;
    b.best = INFINITY;
    b.max_nodes = p->max_nodes ? p->max_nodes : 200000;
    b.err = err;
    if (dfs(&b, 0, 0.0))
        goto oom;
    if (b.cancelled) {
        rc = TUMEN_ECANCELLED;
        goto done;
    }
    out->nodes = b.nodes;
    out->exact = !b.aborted;
    out->cost = b.best;
    out->lower_bound = out->exact ? b.best : b.lb_suffix[0];
    if (!isfinite(b.best)) { /* aborted before any leaf: cancel them all */
        out->cost = 0.0;
        for (size_t d = 0; d < n; d++) {
            b.best_delays[list[d].train] = -1.0;
            out->cost += p->trains[list[d].train].cancel_cost;
        }
    }
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
    free(b.delays);
    free(b.holds);
    free(b.best_delays);
    free(b.best_holds);
    return rc;
}
