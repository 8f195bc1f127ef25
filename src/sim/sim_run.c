/* sim_run.c: one replication, an event-driven propagation over the planned blocking times
 * (the model is described in sim/sim.h and docs/simulate.md).
 *
 * Events are claims: a service asks for its next blocking time at the actual time it
 * would begin (planned start + its delay there). Claims are served in order of that time
 * (ties: the higher category under the priority rule, then the lower service index) from
 * one event queue (a calendar, below), so a replication is a deterministic function of (plan, seed,
 * replication). A claim the resource cannot grant yet is asked again when it can be
 * (the end of the blocking time in the way), or, under the timetable and priority rules,
 * when the service planned before it there has claimed it.
 *
 * Why ends may be read before they are final: a blocking time's end is the planned end
 * shifted by the holder's delay there, projected without further waits. A holder can still
 * wait only at a claim it has not made yet, whose actual time is after the current event;
 * so an end projected at or before the current event time is final, and one projected later
 * can only grow - the claimant then asks again at the projected end and looks again.
 */
#include "sim/sim_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/random.h"

#define NONE UINT32_MAX
#define MAX_WAIT 86400.0   /* s: a claim that has waited a day is granted (a deadlock) */

typedef struct svc_state {
    long c;                 /* current interval (relative): -1 before the first, n_iv after */
    double t0, D0, t1, D1;  /* the current piece of D(t): planned times, delays */
    size_t next;            /* next blocking time to claim (relative) */
    size_t open_lo;         /* blocking times before this one have final ends */
    double pending;         /* s waited so far for the claim at `next` */
    double primary, knock, caused;
    uint32_t blocked_res;   /* resource whose planned order it waits for, or NONE */
    uint32_t blocker;       /* the service it waits for there */
    double blocked_since;
    int override;           /* its claim ignores the planned order (a deadlock broken) */
} svc_state;

typedef struct list {
    uint32_t *items;
    uint32_t n, cap;
} list;

/* What a replication changes on a resource, in one cache line (a claim reads all of it):
 * the blocking times holding it (two fit inline, more go to the heap), the services waiting
 * for its planned order, the first order position not yet claimed and where its positions
 * end, its capacity, the knock-on delay caused there (s). */
typedef struct res_state {
    uint32_t *items;        /* holders: inl, or malloc'd once more than two */
    uint32_t n, cap;
    uint32_t low, order_end;
    int capacity;
    uint32_t inl[2];
    list waiters;
    double caused;
} res_state;
_Static_assert(sizeof(res_state) == 64, "a resource's state is one cache line");

typedef struct event {
    double t;
    int pri;
    uint32_t svc;
} event;

struct tm_sim_state {
    const tm_sim_plan *plan;
    svc_state *svc;
    double *ext;            /* per interval: the extension drawn, s */
    double *arr_delay, *dep_delay; /* per point */
    double *end;            /* per blocking time: actual end (projected until final) */
    uint8_t *committed;     /* per planned-order position */
    res_state *res;         /* per resource */
    /* The event queue: per service its event and the next in its bucket; the buckets
     * (cal_last + 1 of them, the last one open-ended) from cal_base, cal_scale per s. */
    event *ev;
    uint32_t *ev_next;
    uint32_t *cal;
    size_t cal_last, cal_cursor, n_queued;
    double cal_base, cal_scale;
    uint64_t deadlocks;
    double clock;           /* time of the last event served */
    int dispatch;
};

static int list_push(list *l, uint32_t v)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? 2 * l->cap : 4;
        uint32_t *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return -1;
        l->items = p;
        l->cap = cap;
    }
    l->items[l->n++] = v;
    return 0;
}

/* The calendar spans the planned blocking times and two hours more, in about as many
 * buckets as there are blocking times (some thousands at least). */
static void calendar_size(const tm_sim_plan *plan, tm_sim_state *st)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < plan->n_occ; k++) {
        if (plan->occ[k].start < lo)
            lo = plan->occ[k].start;
        if (plan->occ[k].end > hi)
            hi = plan->occ[k].end;
    }
    st->cal_last = plan->n_occ > 4096 ? plan->n_occ : 4096;
    if (!(hi > lo)) {
        lo = 0.0;
        hi = 1.0;
    }
    st->cal_base = lo;
    st->cal_scale = (double)st->cal_last / (hi - lo + 7200.0);
}

/* Adds blocking time g to the holders of rs. */
static int hold(res_state *rs, uint32_t g)
{
    if (rs->n == rs->cap) {
        uint32_t cap = 2 * rs->cap;
        uint32_t *p = rs->items == rs->inl ? malloc(cap * sizeof *p)
                                           : realloc(rs->items, cap * sizeof *p);
        if (!p)
            return -1;
        if (rs->items == rs->inl)
            memcpy(p, rs->inl, sizeof rs->inl);
        rs->items = p;
        rs->cap = cap;
    }
    rs->items[rs->n++] = g;
    return 0;
}

tm_sim_state *tm_sim_state_new(const tm_sim_plan *plan)
{
    tm_sim_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->plan = plan;
    size_t nr = plan->n_res ? plan->n_res : 1;
    st->svc = calloc(plan->n_svc + 1, sizeof *st->svc);
    st->ext = calloc(plan->n_iv + 1, sizeof *st->ext);
    st->arr_delay = calloc(plan->n_pt + 1, sizeof *st->arr_delay);
    st->dep_delay = calloc(plan->n_pt + 1, sizeof *st->dep_delay);
    st->end = calloc(plan->n_occ + 1, sizeof *st->end);
    st->committed = calloc(plan->n_occ + 1, 1);
    st->res = aligned_alloc(64, nr * sizeof *st->res);
    if (st->res) {
        memset(st->res, 0, nr * sizeof *st->res);
        for (size_t r = 0; r < nr; r++) {
            st->res[r].items = st->res[r].inl;
            st->res[r].cap = 2;
            st->res[r].capacity = r < plan->n_res ? plan->capacity[r] : 1;
            st->res[r].order_end = r < plan->n_res ? (uint32_t)plan->order_start[r + 1] : 0;
        }
    }
    st->ev = malloc((plan->n_svc + 1) * sizeof *st->ev);
    st->ev_next = malloc((plan->n_svc + 1) * sizeof *st->ev_next);
    calendar_size(plan, st);
    st->cal = malloc((st->cal_last + 1) * sizeof *st->cal);
    if (!st->svc || !st->ext || !st->arr_delay || !st->dep_delay || !st->end ||
        !st->committed || !st->res ||
        !st->ev || !st->ev_next || !st->cal) {
        tm_sim_state_free(st);
        return NULL;
    }
    return st;
}

void tm_sim_state_free(tm_sim_state *st)
{
    if (!st)
        return;
    size_t nr = st->plan->n_res ? st->plan->n_res : 1;
    for (size_t r = 0; st->res && r < nr; r++) {
        if (st->res[r].items != st->res[r].inl)
            free(st->res[r].items);
        free(st->res[r].waiters.items);
    }
    free(st->svc);
    free(st->ext);
    free(st->arr_delay);
    free(st->dep_delay);
    free(st->end);
    free(st->committed);
    free(st->res);
    free(st->ev);
    free(st->ev_next);
    free(st->cal);
    free(st);
}

/* ---- The event queue ------------------------------------------------------------------
 * At most one event per service, served in the order `before` gives (time, then the higher
 * priority under the priority rule, then the lower service index). Event times never run
 * back (a service's actual time t + D(t) grows with t, since D falls more slowly than
 * planned time runs, and a wait ends after now), so a calendar serves them: buckets of
 * equal width over the planned day, each a list sorted by `before`, linked through the
 * services, and a cursor that only moves forward. An event dated before the cursor's
 * bucket (rounding) joins that bucket, where it sorts first; one after the day joins the
 * last bucket. The order served is exactly the order of a binary heap over the same keys,
 * at a fraction of its cost: almost every bucket holds one or two events. */

static int before(const event *a, const event *b)
{
    if (a->t != b->t)
        return a->t < b->t;
    if (a->pri != b->pri)
        return a->pri > b->pri;
    return a->svc < b->svc;
}

static void queue_push(tm_sim_state *st, double t, uint32_t s)
{
    event *e = &st->ev[s];
    e->t = t;
    e->pri = st->dispatch == TM_DISPATCH_PRIORITY ? st->plan->svc[s].priority : 0;
    e->svc = s;
    double x = (t - st->cal_base) * st->cal_scale;
    /* (a signed conversion: one instruction, where an unsigned one is a dozen) */
    size_t b = x < (double)st->cal_last ? (x > 0.0 ? (size_t)(int64_t)x : 0) : st->cal_last;
    if (b < st->cal_cursor)
        b = st->cal_cursor;
    uint32_t *link = &st->cal[b];
    while (*link != NONE && before(&st->ev[*link], e))
        link = &st->ev_next[*link];
    st->ev_next[s] = *link;
    *link = s;
    st->n_queued++;
}

static event queue_pop(tm_sim_state *st)
{
    while (st->cal[st->cal_cursor] == NONE)
        st->cal_cursor++;
    uint32_t s = st->cal[st->cal_cursor];
    st->cal[st->cal_cursor] = st->ev_next[s];
    st->n_queued--;
    return st->ev[s];
}

/* ---- A service's delay D(t) over planned time ------------------------------------ */

static double interval_out(const sim_interval *iv, double ext, double d_in)
{
    double d = d_in + ext - iv->allowance;
    return d > 0.0 ? d : 0.0;
}

static double in_piece(const svc_state *v, double t)
{
    if (v->D0 == v->D1)
        return v->D0; /* a constant piece (the usual case: on time), whatever t */
    if (!(v->t1 > v->t0) || !isfinite(v->t0) || !isfinite(v->t1))
        return t >= v->t1 ? v->D1 : v->D0;
    if (t <= v->t0)
        return v->D0;
    if (t >= v->t1)
        return v->D1;
    return v->D0 + (v->D1 - v->D0) * (t - v->t0) / (v->t1 - v->t0);
}

static void enter(const tm_sim_state *st, const sim_service *s, svc_state *v, long c, double d)
{
    v->c = c;
    if (c < 0) {
        v->t0 = -INFINITY;
        v->t1 = s->n_iv ? st->plan->iv[s->iv0].t0 : INFINITY;
        v->D0 = v->D1 = d;
    } else if ((size_t)c >= s->n_iv) {
        v->t0 = s->n_iv ? st->plan->iv[s->iv0 + s->n_iv - 1].t1 : -INFINITY;
        v->t1 = INFINITY;
        v->D0 = v->D1 = d;
    } else {
        const sim_interval *iv = &st->plan->iv[s->iv0 + (size_t)c];
        v->t0 = iv->t0;
        v->t1 = iv->t1;
        v->D0 = d;
        v->D1 = interval_out(iv, st->ext[s->iv0 + (size_t)c], d);
    }
}

/* Leaves the current piece at its end: the delays at the points it ends at. */
static void leave(tm_sim_state *st, const sim_service *s, svc_state *v)
{
    double d = v->D1;
    size_t p0 = s->point0;
    if (v->c < 0) {
        st->arr_delay[p0] = st->dep_delay[p0] = d;
    } else if ((size_t)v->c < s->n_iv) {
        const sim_interval *iv = &st->plan->iv[s->iv0 + (size_t)v->c];
        if (iv->dwell) {
            st->dep_delay[p0 + iv->point] = d;
        } else {
            st->arr_delay[p0 + iv->point + 1] = d;
            if (iv->pass_next)
                st->dep_delay[p0 + iv->point + 1] = d;
        }
    }
    enter(st, s, v, v->c + 1, d);
}

/* Moves the current piece forward until it holds planned time t. */
static void advance(tm_sim_state *st, const sim_service *s, svc_state *v, double t)
{
    while (v->c < (long)s->n_iv && t > v->t1)
        leave(st, s, v);
}

/* D at planned time t >= the current piece's start, without further waits. */
static double delay_ahead(const tm_sim_state *st, const sim_service *s, const svc_state *v,
                          double t)
{
    if (t <= v->t1 || v->c >= (long)s->n_iv)
        return in_piece(v, t);
    double d = v->D1;
    for (size_t c = (size_t)(v->c + 1); c < s->n_iv; c++) {
        const sim_interval *iv = &st->plan->iv[s->iv0 + c];
        double out = interval_out(iv, st->ext[s->iv0 + c], d);
        if (t <= iv->t1)
            return t <= iv->t0 ? d : d + (out - d) * (t - iv->t0) / (iv->t1 - iv->t0);
        d = out;
    }
    return d;
}

/* A wait of w s at planned time t (inside the current piece): D jumps by w there; over the
 * rest of the interval the train recovers the rest of its allowance. */
static void jump(const tm_sim_state *st, const sim_service *s, svc_state *v, double t, double w)
{
    if (v->c < 0 || v->c >= (long)s->n_iv) {
        v->D0 += w;
        v->D1 += w;
        return;
    }
    const sim_interval *iv = &st->plan->iv[s->iv0 + (size_t)v->c];
    double rate = (st->ext[s->iv0 + (size_t)v->c] - iv->allowance) / (iv->t1 - iv->t0);
    double d = in_piece(v, t) + w;
    v->t0 = t;
    v->D0 = d;
    v->D1 = d + rate * (iv->t1 - t);
    if (v->D1 < 0.0)
        v->D1 = 0.0;
}

/* ---- Claims ------------------------------------------------------------------------- */

/* Whether the holder of blocking time b stands in the way of service s claiming a. */
static int in_the_way(const tm_sim_plan *plan, uint32_t s, const sim_occ *a, const sim_occ *b)
{
    if (b->service == s || plan->svc[b->service].group == plan->svc[s].group)
        return 0;
    return !(a->direction != 0 && a->direction == b->direction);
}

/* The actual time of service s's next claim. */
static double claim_time(tm_sim_state *st, uint32_t s)
{
    const sim_service *sv = &st->plan->svc[s];
    svc_state *v = &st->svc[s];
    double t = st->plan->occ[sv->occ0 + v->next].start;
    advance(st, sv, v, t);
    return t + in_piece(v, t) + v->pending;
}

static void finish(tm_sim_state *st, uint32_t s)
{
    const sim_service *sv = &st->plan->svc[s];
    svc_state *v = &st->svc[s];
    advance(st, sv, v, INFINITY);
    for (size_t j = 0; j < sv->n_points; j++) {
        if (isnan(st->arr_delay[sv->point0 + j]))
            st->arr_delay[sv->point0 + j] = v->D1;
        if (isnan(st->dep_delay[sv->point0 + j]))
            st->dep_delay[sv->point0 + j] = v->D1;
    }
}

static void attribute(tm_sim_state *st, uint32_t causer, uint32_t r, double w)
{
    st->svc[causer].caused += w;
    st->res[r].caused += w;
}

/* Grants service s its claim at time now. */
static int grant(tm_sim_state *st, uint32_t s, double now)
{
    const tm_sim_plan *plan = st->plan;
    const sim_service *sv = &plan->svc[s];
    svc_state *v = &st->svc[s];
    size_t g = sv->occ0 + v->next;
    const sim_occ *o = &plan->occ[g];
    uint32_t r = o->resource;
    double w = v->pending;
    v->pending = 0.0;
    if (w > 0.0) {
        jump(st, sv, v, o->start, w);
        v->knock += w;
        for (size_t k = v->open_lo; k < v->next; k++) {
            const sim_occ *h = &plan->occ[sv->occ0 + k];
            if (h->end > o->start)
                st->end[sv->occ0 + k] = h->end + delay_ahead(st, sv, v, h->end);
        }
    }
    st->end[g] = o->end + delay_ahead(st, sv, v, o->end);
    res_state *rs = &st->res[r];
    if (hold(rs, (uint32_t)g))
        return TUMEN_ENOMEM;
    st->committed[o->order] = 1;
    while (rs->low < rs->order_end && st->committed[rs->low])
        rs->low++;
    /* Those waiting for the planned order here look again now. */
    list *wl = &rs->waiters;
    for (uint32_t i = 0; i < wl->n; i++) {
        uint32_t ws = wl->items[i];
        svc_state *wv = &st->svc[ws];
        if (wv->blocked_res != r)
            continue;
        wv->blocked_res = NONE;
        double inc = now - wv->blocked_since;
        wv->pending += inc;
        attribute(st, wv->blocker, r, inc);
        queue_push(st, now, ws);
    }
    wl->n = 0;
    v->next++;
    v->override = 0;
    if (v->next < sv->n_occ) {
        double next_start = plan->occ[sv->occ0 + v->next].start;
#if defined(__GNUC__)
        /* The blocking time after that one, which the service's next grant reads: by then
         * other trains' claims have pushed its line out of the nearer caches. */
        if (v->next + 1 < sv->n_occ)
            __builtin_prefetch(&plan->occ[sv->occ0 + v->next + 1]);
#endif
        while (v->open_lo < v->next && plan->occ[sv->occ0 + v->open_lo].end <= next_start)
            v->open_lo++;
        queue_push(st, claim_time(st, s), s);
    } else {
        finish(st, s);
    }
    return TUMEN_OK;
}

/* The planned predecessor on o's resource that s must let pass first, or NONE. */
static uint32_t order_blocker(const tm_sim_state *st, uint32_t s, const sim_occ *o)
{
    const tm_sim_plan *plan = st->plan;
    for (size_t q = st->res[o->resource].low; q < o->order;) {
        if (o->direction != 0 && plan->order_dir[q] == o->direction) {
            q = plan->order_skip[q]; /* its own direction shares the section */
            continue;
        }
        if (st->committed[q]) {
            q++;
            continue;
        }
        const sim_occ *p = &plan->occ[plan->order[q++]];
        if (!in_the_way(plan, s, o, p))
            continue;
        if (st->dispatch == TM_DISPATCH_PRIORITY &&
            plan->svc[p->service].priority < plan->svc[s].priority)
            continue;
        return p->service;
    }
    return NONE;
}

static int claim(tm_sim_state *st, uint32_t s, double now)
{
    const tm_sim_plan *plan = st->plan;
    svc_state *v = &st->svc[s];
    const sim_occ *o = &plan->occ[plan->svc[s].occ0 + v->next];
    uint32_t r = o->resource;
    res_state *rs = &st->res[r];
    int cap = rs->capacity;
    if (st->dispatch != TM_DISPATCH_FCFS && cap == 1 && !v->override) {
        uint32_t b = order_blocker(st, s, o);
        if (b != NONE) {
            v->blocked_res = r;
            v->blocker = b;
            v->blocked_since = now;
            return list_push(&rs->waiters, s) ? TUMEN_ENOMEM : TUMEN_OK;
        }
    }
    /* Holders in the way; those that have left are dropped for good. */
    res_state *hl = rs;
    enum { MAXE = 32 };
    double ends[MAXE];
    uint32_t who[MAXE];
    int count = 0;
    double latest = -INFINITY;
    uint32_t latest_svc = NONE;
    for (uint32_t i = 0; i < hl->n;) {
        uint32_t h = hl->items[i];
        if (st->end[h] <= now) {
            hl->items[i] = hl->items[--hl->n];
            continue;
        }
        i++;
        const sim_occ *ho = &plan->occ[h];
        if (!in_the_way(plan, s, o, ho))
            continue;
        if (count < MAXE) {
            ends[count] = st->end[h];
            who[count] = ho->service;
        }
        count++;
        if (st->end[h] > latest || (st->end[h] == latest && ho->service < latest_svc)) {
            latest = st->end[h];
            latest_svc = ho->service;
        }
    }
    if (count >= cap) {
        if (v->pending < MAX_WAIT) {
            /* Wait until enough have left: the (count - cap + 1)-th earliest end. */
            double wake = latest;
            uint32_t causer = latest_svc;
            if (cap > 1 && count <= MAXE) {
                for (int k = 0; k < count - cap + 1; k++) {
                    int m = k;
                    for (int j = k + 1; j < count; j++)
                        if (ends[j] < ends[m] || (ends[j] == ends[m] && who[j] < who[m]))
                            m = j;
                    double te = ends[k];
                    ends[k] = ends[m];
                    ends[m] = te;
                    uint32_t tw = who[k];
                    who[k] = who[m];
                    who[m] = tw;
                }
                wake = ends[count - cap];
                causer = who[count - cap];
            }
            double inc = wake - now;
            v->pending += inc;
            attribute(st, causer, r, inc);
            queue_push(st, wake, s);
            return TUMEN_OK;
        }
        st->deadlocks++;
    }
    return grant(st, s, now);
}

/* When every service left waits for another's planned order, the one that has waited
 * longest goes first (a dispatcher's way out of a deadlock). 0 if none waits. */
static int break_deadlock(tm_sim_state *st)
{
    uint32_t best = NONE;
    for (uint32_t s = 0; s < st->plan->n_svc; s++) {
        const svc_state *v = &st->svc[s];
        if (v->blocked_res == NONE)
            continue;
        if (best == NONE || v->blocked_since < st->svc[best].blocked_since)
            best = s;
    }
    if (best == NONE)
        return 0;
    svc_state *v = &st->svc[best];
    /* It goes now (time never runs back in the queue); the wait so far is knock-on delay
     * caused by the train it waited for. */
    double inc = st->clock > v->blocked_since ? st->clock - v->blocked_since : 0.0;
    v->pending += inc;
    attribute(st, v->blocker, v->blocked_res, inc);
    v->blocked_res = NONE;
    v->override = 1;
    st->deadlocks++;
    queue_push(st, v->blocked_since + inc, best);
    return 1;
}

/* ---- A replication ------------------------------------------------------------------- */

/* Draw numbers of a service's stream: 0-1 entry; at point j, 4j+2..4j+3 its dwell, 4j+4..
 * 4j+5 the run from it. By point, not interval, so a retimed service keeps its draws. The
 * first number of a pair decides whether there is a delay at all; the second, its size, is
 * only computed when there is (the numbers do not depend on each other). */
static double draw(const tm_sim_config *cfg, uint64_t stream, uint64_t n, const tm_dist *d)
{
    if (cfg->no_delays || d->kind == TM_DIST_NONE)
        return 0.0;
    double u_zero = tm_sim_draw(stream, n);
    if (u_zero < d->p_zero)
        return tm_dist_sample(d, u_zero, 0.5); /* no delay: the size is not read */
    return tm_dist_sample(d, u_zero, tm_sim_draw(stream, n + 1));
}

static void start_service(tm_sim_state *st, const tm_sim_config *cfg, uint64_t rep,
                          uint32_t s)
{
    const tm_sim_plan *plan = st->plan;
    const sim_service *sv = &plan->svc[s];
    svc_state *v = &st->svc[s];
    memset(v, 0, sizeof *v);
    v->blocked_res = NONE;
    uint64_t stream = tm_sim_stream(cfg->seed, rep, sv->key);
    double entry = draw(cfg, stream, 0, sv->entry);
    v->primary = entry;
    for (size_t c = 0; c < sv->n_iv; c++) {
        const sim_interval *iv = &plan->iv[sv->iv0 + c];
        size_t p = sv->point0 + iv->point;
        double x = iv->dwell ? draw(cfg, stream, 4 * (uint64_t)iv->point + 2, plan->pt_dwell[p])
                             : draw(cfg, stream, 4 * (uint64_t)iv->point + 4, plan->pt_run[p]);
        st->ext[sv->iv0 + c] = x;
        v->primary += x;
    }
    for (size_t j = 0; j < sv->n_points; j++)
        st->arr_delay[sv->point0 + j] = st->dep_delay[sv->point0 + j] = NAN;
    enter(st, sv, v, -1, entry);
    if (sv->n_occ == 0)
        finish(st, s);
    else
        queue_push(st, claim_time(st, s), s);
}

int tm_sim_replicate(const tm_sim_plan *plan, const tm_sim_config *cfg, uint64_t rep,
                     tm_sim_state *st)
{
    st->dispatch = (int)cfg->dispatch;
    st->n_queued = 0;
    st->cal_cursor = 0;
    for (size_t b = 0; b <= st->cal_last; b++)
        st->cal[b] = NONE;
    st->deadlocks = 0;
    st->clock = -INFINITY;
    for (size_t r = 0; r < plan->n_res; r++) {
        st->res[r].n = 0;
        st->res[r].waiters.n = 0;
        st->res[r].low = (uint32_t)plan->order_start[r];
        st->res[r].caused = 0.0;
    }
    memset(st->committed, 0, plan->n_occ + 1);
    for (uint32_t s = 0; s < plan->n_svc; s++)
        start_service(st, cfg, rep, s);
    do {
        while (st->n_queued) {
            event e = queue_pop(st);
            st->clock = e.t;
            if (claim(st, e.svc, e.t) != TUMEN_OK)
                return TUMEN_ENOMEM;
        }
    } while (break_deadlock(st));
    return TUMEN_OK;
}

double tm_sim_delay_at(const tm_sim_state *st, size_t s, size_t j)
{
    return st->arr_delay[st->plan->svc[s].point0 + j];
}

double tm_sim_departure_at(const tm_sim_state *st, size_t s, size_t j)
{
    size_t p = st->plan->svc[s].point0 + j;
    return st->plan->pt_dep[p] + st->dep_delay[p];
}

double tm_sim_arrival_at(const tm_sim_state *st, size_t s, size_t j)
{
    size_t p = st->plan->svc[s].point0 + j;
    return st->plan->pt_arr[p] + st->arr_delay[p];
}

double tm_sim_primary(const tm_sim_state *st, size_t s) { return st->svc[s].primary; }
double tm_sim_knock_on(const tm_sim_state *st, size_t s) { return st->svc[s].knock; }

double tm_sim_caused_(const tm_sim_state *st, size_t s) { return st->svc[s].caused; }
double tm_sim_res_caused_(const tm_sim_state *st, size_t r) { return st->res[r].caused; }
uint64_t tm_sim_deadlocks_(const tm_sim_state *st) { return st->deadlocks; }
