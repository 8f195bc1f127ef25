/* route.c: the fastest route a train may run over the network (plan/route.h).
 *
 * The search. A state is (operational point, k): k indexes the candidate trains, the
 * requested train first, then the trains it may become (req->changes_to). Moves: a track in
 * either direction, if candidate k may run on it (gauge, traction, axle load), costing the
 * track's minimum running time for k (sum over its sections of length / min(section limit in
 * that direction, k's top speed)); and, at an operational point with a facility, a change
 * into another candidate (a bogie exchange between the two gauges, or a locomotive change
 * within one gauge), costing the facility's time. Where a train stops (a requested stop, a
 * consist change) it must fit a loop, except at the origin and the destination.
 *
 * Waypoints. The route passes the waypoints in order; the first time it reaches the next one
 * counts. Between two consecutive waypoints a Dijkstra search runs from the best time of
 * every candidate at the first (multi-source) until every candidate has reached the second
 * or nothing is left to explore (or, for a candidate still out, the search has passed the
 * time it would have by a change at the waypoint from one that is there); the waypoint's
 * states are not expanded further (reaching it ends the stretch). The next stretch starts
 * from those times. As a route can only pass from one stretch to the next at the waypoint,
 * this is the same as one search over (op, k, next waypoint) states, and exact; but each
 * stretch explores only around itself, which on a long timetable route of many short
 * stretches is far less work. The last stretch stops at the first candidate to reach the
 * destination.
 *
 * Costs. A binary heap with lazy deletion (a state is pushed again when its time improves,
 * stale entries are skipped); adjacency arrays of the network (tm_network_build_adjacency);
 * the per-request arrays (times, predecessors, edge costs) are allocated once per request and
 * reset only where a stretch touched them. No allocation per edge.
 *
 * Why no route. When the search fails, it runs again with each constraint relaxed in turn
 * (gauge, traction, axle load, length). Each relaxation that finds a route shows a constraint
 * that blocks; the first place where that route breaks the constraint is named, with what
 * would be needed there (a bogie exchange, a locomotive change, a longer loop). If no single
 * relaxation helps, all are relaxed and every kind of breach on that route is named; if even
 * that finds nothing, the network has no tracks joining two consecutive waypoints.
 */
#include "plan/route.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/vec.h"

enum {
    RELAX_GAUGE = 1,
    RELAX_TRACTION = 2,
    RELAX_AXLE = 4,
    RELAX_LENGTH = 8,
    RELAX_ALL = 15
};

#define NONE ((size_t)-1)
#define EDGE_CHANGE ((size_t)-2)  /* a predecessor edge that is a consist change */
#define LENGTH_TOL 1e-6           /* m: a train this much longer than a loop still fits */
#define AXLE_TOL 1e-9             /* relative: axle loads equal within this are equal */
#define DEFAULT_GAUGE 1435        /* mm, of a vehicle that gives none */

/* A train the route may use, with what routing needs of it. */
typedef struct cand {
    size_t train;    /* index into the scenario's trains */
    int gauge;       /* mm */
    unsigned elec;   /* bit e set: may run under system e; 0: runs anywhere */
    double length;   /* m */
    double axle;     /* kg, heaviest axle; 0 unknown */
    double vmax;     /* m/s; 0 = no limit of its own */
} cand;

typedef struct heap_item {
    double key;
    size_t state;
} heap_item;

/* The route between two consecutive waypoints for one candidate at the second. */
typedef struct stretch_path {
    int reached;
    double cost;         /* s from the route's start */
    size_t src_k;        /* candidate at the first waypoint */
    size_t arrival_end;  /* track end it arrived over at a switched waypoint, else NONE */
    tm_route_step *steps;
    double *change;      /* s before each step */
    size_t n;
} stretch_path;

typedef struct search {
    const tm_scenario *sc;
    const tm_network *net;
    const tm_route_request *req;
    cand *cands;
    size_t K;
    size_t *wp;           /* waypoints without consecutive repeats */
    size_t W;
    unsigned char *stop;  /* per op: a requested stop */
    unsigned char *end;   /* per op: origin or destination */
    double *cost;         /* per (k, track, direction): running time, NAN until computed */
    size_t S;             /* states per candidate (see state_op) */
    double *dist;         /* per state k * S + local state */
    size_t *pred, *pred_edge;
    TM_VEC(size_t) touched;
    TM_VEC(heap_item) heap;
    TM_VEC(size_t) chain; /* scratch for path reconstruction */
    double *bound;        /* per candidate, scratch of run_stretch */
    double *seed;         /* per candidate: its time at the stretch's first waypoint */
    size_t *seed_end;     /* per candidate: the track end it arrived there over, or NONE */
    stretch_path *paths;  /* (W - 1) * K */
    unsigned relax;
    size_t failed_stretch;/* the stretch no candidate finished, after a failed search */
} search;

/* ---- Candidates ------------------------------------------------------------------------ */

static int make_cand(const tm_scenario *sc, size_t ti, cand *c, tumen_error *err)
{
    const tm_train *t = &sc->trains[ti];
    memset(c, 0, sizeof *c);
    c->train = ti;
    c->length = t->length;
    c->axle = t->max_axle_load;
    c->vmax = t->max_speed;
    int any_traction = 0, non_electric = 0;
    const tm_vehicle *first = NULL;
    for (size_t i = 0; i < t->n_consist; i++) {
        const tm_vehicle *v = &sc->vehicles[t->consist[i].vehicle];
        int g = v->gauge ? v->gauge : DEFAULT_GAUGE;
        if (!first) {
            first = v;
            c->gauge = g;
        } else if (g != c->gauge) {
            return tm_error_set(err, TUMEN_EINPUT, NULL, 0, NULL,
                                "train '%s' mixes gauges: vehicle '%s' runs on %d mm, "
                                "'%s' on %d mm",
                                t->id, first->id, c->gauge, v->id, g);
        }
        if (!v->has_traction)
            continue;
        any_traction = 1;
        /* Its primary mode and every further one (a dual-mode or multi-system vehicle may
         * run under any of its systems, and anywhere on diesel). */
        for (size_t m = 0; m <= v->n_modes; m++) {
            tm_power_type power = m ? v->modes[m - 1].power : v->power;
            tm_electrification e = m ? v->modes[m - 1].electrification : v->electrification;
            if (power != TM_POWER_ELECTRIC)
                non_electric = 1;
            else if (e != TM_ELEC_NONE)
                c->elec |= 1u << e;
            else /* an electric vehicle without a system: any wire */
                c->elec |= ((1u << TM_ELEC_COUNT_) - 1u) & ~1u;
        }
    }
    if (!any_traction || non_electric)
        c->elec = 0;
    return TUMEN_OK;
}

static const cand *cand_of(const search *s, size_t train, size_t *k)
{
    for (size_t i = 0; i < s->K; i++)
        if (s->cands[i].train == train) {
            if (k)
                *k = i;
            return &s->cands[i];
        }
    return NULL;
}

/* ---- States ---------------------------------------------------------------------------- */

/* A state is (candidate k, local state). Local states below n_ops are "at op, free to leave
 * over any track": where the train sets off (the origin, after a reversal at a waypoint),
 * and every state of a network without connections. In a network with connections (its
 * topology given) local state n_ops + e is "arrived at an operational point over track end
 * e": at a switched point the train leaves only along the connections of e, at a free one
 * over any other track end; in neither may it turn back without a reversal. Networks
 * without connections have no such states (S = n_ops), so their search is what it always
 * was. */
static size_t state_op(const search *s, size_t local)
{
    return local < s->net->n_ops ? local : tm_track_end_op(s->net, local - s->net->n_ops);
}

static int is_switched(const tm_network *net, size_t op)
{
    return net->switched && net->switched[op];
}

/* The local state of arriving at the far end of track t run forwards (back = 0) or
 * backwards. */
static size_t arrival_state(const search *s, size_t t, int back)
{
    const tm_track *tr = &s->net->tracks[t];
    if (s->S > s->net->n_ops)
        return s->net->n_ops + TM_TRACK_END(t, !back);
    return back ? tr->from : tr->to;
}

/* ---- Constraints ----------------------------------------------------------------------- */

static int gauge_ok(const tm_track *t, const cand *c)
{
    for (int i = 0; i < t->n_gauges; i++)
        if (t->gauges[i] == c->gauge)
            return 1;
    return 0;
}

static int traction_ok(const tm_track *t, const cand *c)
{
    return c->elec == 0 || (c->elec >> t->electrification & 1u);
}

static int axle_ok(const tm_track *t, const cand *c)
{
    return !(t->max_axle_load > 0.0 && c->axle > t->max_axle_load * (1.0 + AXLE_TOL));
}

static int fits_op(const tm_op *op, const cand *c)
{
    return tm_op_longest_loop(op) + LENGTH_TOL >= c->length;
}

static int track_ok(const search *s, size_t t, size_t k)
{
    const tm_track *tr = &s->net->tracks[t];
    const cand *c = &s->cands[k];
    return ((s->relax & RELAX_GAUGE) || gauge_ok(tr, c)) &&
           ((s->relax & RELAX_TRACTION) || traction_ok(tr, c)) &&
           ((s->relax & RELAX_AXLE) || axle_ok(tr, c));
}

/* May candidate k stand at op (to stop or change)? */
static int may_stand(const search *s, size_t op, size_t k)
{
    return (s->relax & RELAX_LENGTH) || s->end[op] || fits_op(&s->net->ops[op], &s->cands[k]);
}

/* Seconds to change from candidate a into b at op, or -1 if op cannot. */
static double change_time(const tm_op *op, const cand *a, const cand *b)
{
    if (op->bogie_exchange && a->gauge != b->gauge &&
        ((a->gauge == op->exchange_gauges[0] && b->gauge == op->exchange_gauges[1]) ||
         (a->gauge == op->exchange_gauges[1] && b->gauge == op->exchange_gauges[0])))
        return op->exchange_time;
    if (op->locomotive_change && a->gauge == b->gauge)
        return op->locomotive_change_time;
    return -1.0;
}

/* Minimum running time (s) of candidate k over track t, forwards or backwards. */
static double edge_cost(search *s, size_t k, size_t t, int back)
{
    double *c = &s->cost[(k * s->net->n_tracks + t) * 2 + (size_t)back];
    if (!isnan(*c))
        return *c;
    const tm_track *tr = &s->net->tracks[t];
    const double vmax = s->cands[k].vmax;
    double sum = 0.0;
    for (size_t i = 0; i < tr->n_sections; i++) {
        const tm_track_section *sec = &tr->sections[i];
        double v = back ? sec->speed_limit_back : sec->speed_limit;
        if (vmax > 0.0 && vmax < v)
            v = vmax;
        sum += v > 0.0 ? (sec->end - sec->start) / v : INFINITY;
    }
    *c = sum;
    return sum;
}

/* ---- The heap --------------------------------------------------------------------------- */

static int heap_push(search *s, double key, size_t state)
{
    heap_item it = {key, state};
    if (tm_vec_push(&s->heap, it))
        return -1;
    heap_item *h = s->heap.items;
    size_t i = s->heap.n - 1;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h[p].key <= key)
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = it;
    return 0;
}

static heap_item heap_pop(search *s)
{
    heap_item *h = s->heap.items;
    heap_item top = h[0], last = h[--s->heap.n];
    size_t n = s->heap.n, i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1].key < h[c].key)
            c++;
        if (h[c].key >= last.key)
            break;
        h[i] = h[c];
        i = c;
    }
    if (n > 0)
        h[i] = last;
    return top;
}

/* ---- One stretch ------------------------------------------------------------------------- */

static int improve(search *s, size_t from, size_t to, double d, size_t edge)
{
    if (!(d < s->dist[to]))
        return 0;
    if (isinf(s->dist[to]) && tm_vec_push(&s->touched, to))
        return -1;
    s->dist[to] = d;
    s->pred[to] = from;
    s->pred_edge[to] = edge;
    return heap_push(s, d, to);
}

/* Records the path that ends in state `at` into p (steps in order with their change times). */
static int record_path(search *s, size_t at, stretch_path *p)
{
    const size_t S = s->S, n_ops = s->net->n_ops;
    s->chain.n = 0;
    for (size_t x = at; x != NONE; x = s->pred[x])
        if (tm_vec_push(&s->chain, x))
            return -1;
    size_t n_edges = 0;
    for (size_t i = 0; i + 1 < s->chain.n; i++)
        n_edges += s->pred_edge[s->chain.items[i]] != EDGE_CHANGE;
    p->steps = malloc((n_edges ? n_edges : 1) * sizeof *p->steps);
    p->change = malloc((n_edges ? n_edges : 1) * sizeof *p->change);
    if (!p->steps || !p->change)
        return -1;
    p->n = 0;
    const size_t first = s->chain.items[s->chain.n - 1];
    p->src_k = first / S;
    p->cost = s->dist[at];
    p->reached = 1;
    p->arrival_end = at % S >= n_ops ? at % S - n_ops : NONE;
    /* A seed later than the candidate's time at the waypoint is a reversal there. */
    double pending = s->dist[first] - s->seed[p->src_k];
    for (size_t i = s->chain.n - 1; i > 0; i--) {
        size_t from = s->chain.items[i], to = s->chain.items[i - 1];
        size_t e = s->pred_edge[to];
        if (e == EDGE_CHANGE) {
            pending += s->dist[to] - s->dist[from];
            continue;
        }
        p->steps[p->n] = (tm_route_step){e / 2, !(e & 1), s->cands[to / S].train};
        p->change[p->n++] = pending;
        pending = 0.0;
    }
    return 0;
}

static void reset_stretch(search *s)
{
    for (size_t i = 0; i < s->touched.n; i++)
        s->dist[s->touched.items[i]] = INFINITY;
    s->touched.n = 0;
    s->heap.n = 0;
}

/* Runs track t from the state st (candidate k) in direction back, if k may. */
static int take_track(search *s, size_t st, double key, size_t t, int back)
{
    const size_t k = st / s->S;
    const tm_track *tr = &s->net->tracks[t];
    const size_t to = back ? tr->from : tr->to;
    if (!track_ok(s, t, k) || (s->stop[to] && !may_stand(s, to, k)))
        return 0;
    return improve(s, st, k * s->S + arrival_state(s, t, back), key + edge_cost(s, k, t, back),
                   2 * t + (size_t)back);
}

/* The moves on from state st: every track at a free state's operational point; along the
 * connections of the arrival end at a switched one. Leaving over end e = 2 t + side runs t
 * forwards from its from end (side 0), backwards from its to end (side 1). */
static int expand_tracks(search *s, size_t st, double key)
{
    const tm_network *net = s->net;
    const size_t local = st % s->S;
    int rc = 0;
    if (local < net->n_ops) {
        const size_t op = local;
        for (size_t a = net->adj_start[op]; a < net->adj_start[op + 1] && rc == 0; a++) {
            const size_t t = net->adj[a];
            rc = take_track(s, st, key, t, net->tracks[t].from != op);
        }
        return rc;
    }
    const size_t e = local - net->n_ops, op = tm_track_end_op(net, e);
    if (!is_switched(net, op)) {
        for (size_t a = net->adj_start[op]; a < net->adj_start[op + 1] && rc == 0; a++) {
            const size_t t = net->adj[a];
            const int back = net->tracks[t].from != op;
            if (TM_TRACK_END(t, back) != e)
                rc = take_track(s, st, key, t, back);
        }
        return rc;
    }
    for (size_t i = net->conn_start[e]; i < net->conn_start[e + 1] && rc == 0; i++) {
        const size_t d = tm_connection_other(&net->connections[net->conn[i]], e);
        rc = take_track(s, st, key, d / 2, (int)(d % 2));
    }
    return rc;
}

/* Seeds candidate k at waypoint op at time t (INFINITY: not there). Where the train arrived
 * at a switched waypoint over a known track end it goes on along the connections, or
 * reverses there (a waypoint allows it) after the reversal time. */
static int seed_stretch(search *s, size_t k, size_t op, double t)
{
    s->seed[k] = t;
    if (isinf(t))
        return 0;
    const size_t e = s->seed_end[k];
    if (e == NONE)
        return improve(s, NONE, k * s->S + op, t, NONE);
    int rc = improve(s, NONE, k * s->S + s->net->n_ops + e, t, NONE);
    if (rc == 0)
        rc = improve(s, NONE, k * s->S + op, t + TM_REVERSAL_TIME_DEFAULT, NONE);
    return rc;
}

/* Searches stretch w (waypoint w to w + 1) from start[k] (s; INFINITY = not there) and
 * fills s->paths[w * K + k] for every candidate that reaches waypoint w + 1. Returns 0 or -1
 * (out of memory). */
static int run_stretch(search *s, size_t w, const double *start)
{
    const tm_network *net = s->net;
    const size_t S = s->S, K = s->K;
    const size_t src = s->wp[w], target = s->wp[w + 1];
    const int last = w + 2 == s->W;
    stretch_path *paths = &s->paths[w * K];
    size_t reached = 0;
    int rc = 0;
    /* bound[k]: the time candidate k has at the target anyway, by a change there from one
     * that has reached it (the next stretch makes that change at its start). Once the
     * search is past the bound of every candidate still out, it may stop. */
    double *bound = s->bound;
    for (size_t k = 0; k < K; k++)
        bound[k] = INFINITY;
    for (size_t k = 0; k < K && rc == 0; k++)
        rc = seed_stretch(s, k, src, start[k]);
    while (rc == 0 && s->heap.n > 0) {
        heap_item it = heap_pop(s);
        const size_t st = it.state;
        if (it.key > s->dist[st])
            continue;
        const size_t local = st % S, k = st / S, op = state_op(s, local);
        if (reached > 0) {
            int needed = 0;
            for (size_t k2 = 0; k2 < K && !needed; k2++)
                needed = !paths[k2].reached && it.key < bound[k2];
            if (!needed)
                break;
        }
        if (op == target) {
            if (!paths[k].reached) {
                if (record_path(s, st, &paths[k]))
                    rc = -1;
                reached++;
                const tm_op *o = &net->ops[op];
                for (size_t k2 = 0; k2 < K && may_stand(s, op, k); k2++) {
                    double dt = k2 == k ? -1.0 : change_time(o, &s->cands[k], &s->cands[k2]);
                    if (dt >= 0.0 && may_stand(s, op, k2) && it.key + dt < bound[k2])
                        bound[k2] = it.key + dt;
                }
            }
            if (last || reached == K)
                break;
            continue;
        }
        rc = expand_tracks(s, st, it.key);
        const tm_op *o = &net->ops[op];
        if (K > 1 && (o->bogie_exchange || o->locomotive_change) && may_stand(s, op, k)) {
            for (size_t k2 = 0; k2 < K && rc == 0; k2++) {
                double dt = k2 == k ? -1.0 : change_time(o, &s->cands[k], &s->cands[k2]);
                if (dt >= 0.0 && may_stand(s, op, k2))
                    rc = improve(s, st, k2 * S + local, it.key + dt, EDGE_CHANGE);
            }
        }
    }
    reset_stretch(s);
    return rc;
}

static void free_paths(search *s)
{
    if (!s->paths)
        return;
    for (size_t i = 0; i + 1 < s->W; i++)
        for (size_t k = 0; k < s->K; k++) {
            stretch_path *p = &s->paths[i * s->K + k];
            free(p->steps);
            free(p->change);
            memset(p, 0, sizeof *p);
        }
}

/* The whole search under s->relax. On success *found = 1 and out holds the route.
 * Returns TUMEN_OK or TUMEN_ENOMEM. */
static int run_search(search *s, tm_route *out, int *found, tumen_error *err)
{
    const size_t K = s->K;
    double *start = malloc(K * sizeof *start);
    if (!start)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    free_paths(s);
    *found = 0;
    for (size_t k = 0; k < K; k++) {
        start[k] = k == 0 ? 0.0 : INFINITY;
        s->seed_end[k] = NONE;
    }
    size_t w = 0;
    for (; w + 1 < s->W; w++) {
        if (run_stretch(s, w, start)) {
            free(start);
            return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
        }
        int any = 0;
        for (size_t k = 0; k < K; k++) {
            const stretch_path *p = &s->paths[w * K + k];
            start[k] = p->reached ? p->cost : INFINITY;
            s->seed_end[k] = p->reached ? p->arrival_end : NONE;
            any |= p->reached;
        }
        if (!any)
            break;
    }
    s->failed_stretch = w;
    if (w + 1 < s->W) {
        free(start);
        return TUMEN_OK;
    }
    /* The best candidate at the destination, then back stretch by stretch. */
    size_t k = NONE;
    for (size_t i = 0; i < K; i++)
        if (!isinf(start[i]) && (k == NONE || start[i] < start[k]))
            k = i;
    free(start);
    size_t n = 0, kk = k;
    for (size_t i = s->W - 1; i-- > 0;) {
        n += s->paths[i * K + kk].n;
        kk = s->paths[i * K + kk].src_k;
    }
    out->steps = malloc(n * sizeof *out->steps);
    out->change_time = malloc(n * sizeof *out->change_time);
    if (!out->steps || !out->change_time) {
        tm_route_free(out);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    out->n_steps = n;
    out->origin = s->wp[0];
    out->estimated_time = s->paths[(s->W - 2) * K + k].cost;
    out->length = 0.0;
    kk = k;
    for (size_t i = s->W - 1; i-- > 0;) {
        const stretch_path *p = &s->paths[i * K + kk];
        n -= p->n;
        memcpy(out->steps + n, p->steps, p->n * sizeof *p->steps);
        memcpy(out->change_time + n, p->change, p->n * sizeof *p->change);
        kk = p->src_k;
    }
    for (size_t i = 0; i < out->n_steps; i++)
        out->length += s->net->tracks[out->steps[i].track].length;
    *found = 1;
    return TUMEN_OK;
}

/* ---- Why no route ------------------------------------------------------------------------- */

/* Appends printf-style text to buf (size bytes), truncating. */
static void put(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

static void put_gauges(char *buf, size_t size, const tm_track *t)
{
    for (int i = 0; i < t->n_gauges; i++)
        put(buf, size, "%s%d", i == 0 ? "" : i + 1 == t->n_gauges ? " and " : ", ", t->gauges[i]);
    put(buf, size, " mm");
}

/* Is there an allowed candidate (other than k) that op could change k into and that could
 * run track t? 0: none; 1: one, but a train does not fit a loop there for the change;
 * 2: one that fits (so the way on from there is what fails). */
static int change_helps(const search *s, size_t op, size_t k, const tm_track *t,
                        unsigned kind)
{
    const tm_op *o = &s->net->ops[op];
    int best = 0;
    for (size_t k2 = 0; k2 < s->K; k2++) {
        if (k2 == k || change_time(o, &s->cands[k], &s->cands[k2]) < 0.0)
            continue;
        if ((kind == RELAX_GAUGE && gauge_ok(t, &s->cands[k2])) ||
            (kind == RELAX_TRACTION && traction_ok(t, &s->cands[k2]))) {
            int fits = s->end[op] || (fits_op(o, &s->cands[k]) && fits_op(o, &s->cands[k2]));
            best = fits ? 2 : best > 1 ? best : 1;
        }
    }
    return best;
}

/* Describes the first breach of constraint `kind` on route r into buf; returns 1 if found. */
/* Where the route breaks the rule being relaxed, said in words; one function per rule,
 * each 1 when it described the step, 0 when the step keeps the rule. The step runs track
 * t from op (o) with candidate c (number k; prev_k before it). */
typedef struct step_view {
    size_t op, k, prev_k, i;
    const tm_track *t;
    const tm_op *o;
    const cand *c;
    const char *tid;
} step_view;

static int describe_length(const search *s, const step_view *v, char *buf, size_t size)
{
    if (v->i == 0 || s->end[v->op])
        return 0;
    int changing = v->k != v->prev_k;
    const cand *worst = v->c;
    if (changing && s->cands[v->prev_k].length > v->c->length)
        worst = &s->cands[v->prev_k];
    if (!(changing || s->stop[v->op]) || fits_op(v->o, worst))
        return 0;
    double loop = tm_op_longest_loop(v->o);
    put(buf, size, "'%s' (%.0f m) cannot stop at %s (%s): ", s->sc->trains[worst->train].id,
        worst->length, v->o->id, changing ? "for the consist change" : "a requested stop");
    if (loop > 0.0)
        put(buf, size, "its longest loop is %.0f m", loop);
    else
        put(buf, size, "it has no loop to stand in");
    return 1;
}

static int describe_gauge(const search *s, const step_view *v, char *buf, size_t size)
{
    const tm_track *t = v->t;
    const tm_op *o = v->o;
    const cand *c = v->c;
    if (gauge_ok(t, c))
        return 0;
    put(buf, size, "track %s has no %d mm gauge (it has ", t->id, c->gauge);
    put_gauges(buf, size, t);
    put(buf, size, "; '%s' runs on %d mm); ", v->tid, c->gauge);
    if (o->bogie_exchange &&
        (o->exchange_gauges[0] == c->gauge || o->exchange_gauges[1] == c->gauge)) {
        int helps = change_helps(s, v->op, v->k, t, RELAX_GAUGE);
        if (helps == 1)
            put(buf, size, "%s has a bogie exchange, but no loop long enough for the "
                           "change (%.0f m)",
                o->id, tm_op_longest_loop(o));
        else if (helps == 2)
            put(buf, size,
                "%s has a bogie exchange, but the allowed train of the other gauge "
                "cannot go on from there",
                o->id);
        else
            put(buf, size,
                "%s has a bogie exchange (%d to %d mm), but no allowed train of the "
                "other gauge to change into (--change-to)",
                o->id, o->exchange_gauges[0], o->exchange_gauges[1]);
    } else if (o->bogie_exchange) {
        put(buf, size, "the bogie exchange at %s joins %d and %d mm, not %d mm", o->id,
            o->exchange_gauges[0], o->exchange_gauges[1], c->gauge);
    } else {
        put(buf, size, "a bogie exchange would be needed at %s, which has none", o->id);
    }
    return 1;
}

static int describe_traction(const search *s, const step_view *v, char *buf, size_t size)
{
    const tm_track *t = v->t;
    const tm_op *o = v->o;
    const cand *c = v->c;
    if (traction_ok(t, c))
        return 0;
    char systems[96] = "";
    for (int e = 1; e < TM_ELEC_COUNT_; e++)
        if (c->elec >> e & 1u)
            put(systems, sizeof systems, "%s%s", systems[0] ? " or " : "",
                tm_electrification_name((tm_electrification)e));
    if (c->elec == (((1u << TM_ELEC_COUNT_) - 1u) & ~1u))
        snprintf(systems, sizeof systems, "%s", "a wire");
    if (t->electrification == TM_ELEC_NONE)
        put(buf, size, "track %s has no %s electrification (it is not electrified; ", t->id,
            systems);
    else
        put(buf, size, "track %s has no %s electrification (it has %s; ", t->id, systems,
            tm_electrification_name(t->electrification));
    put(buf, size, "'%s' draws from %s); ", v->tid, systems);
    char want[64];
    if (t->electrification == TM_ELEC_NONE)
        snprintf(want, sizeof want, "%s", "a diesel");
    else
        snprintf(want, sizeof want, "a diesel or a %s electric",
                 tm_electrification_name(t->electrification));
    int helps = o->locomotive_change ? change_helps(s, v->op, v->k, t, RELAX_TRACTION) : 0;
    if (helps == 1)
        put(buf, size,
            "%s has a locomotive change, but no loop long enough for the change "
            "(%.0f m)",
            o->id, tm_op_longest_loop(o));
    else if (helps == 2)
        put(buf, size,
            "%s has a locomotive change, but the allowed train that could take over "
            "cannot go on from there",
            o->id);
    else if (o->locomotive_change)
        put(buf, size,
            "%s has a locomotive change, but no allowed train (--change-to) is %s of "
            "%d mm",
            o->id, want, c->gauge);
    else
        put(buf, size,
            "a locomotive change to %s would be needed at %s, which has no "
            "locomotive change facility",
            want, o->id);
    return 1;
}

static int describe(const search *s, unsigned kind, const tm_route *r, char *buf, size_t size)
{
    const tm_network *net = s->net;
    size_t op = r->origin, prev_k = 0;
    for (size_t i = 0; i < r->n_steps; i++) {
        const tm_route_step *st = &r->steps[i];
        const tm_track *t = &net->tracks[st->track];
        size_t k = 0;
        const cand *c = cand_of(s, st->train, &k);
        step_view v = {op, k, prev_k, i, t, &net->ops[op], c, s->sc->trains[st->train].id};
        if ((kind == RELAX_LENGTH && describe_length(s, &v, buf, size)) ||
            (kind == RELAX_GAUGE && describe_gauge(s, &v, buf, size)) ||
            (kind == RELAX_TRACTION && describe_traction(s, &v, buf, size)))
            return 1;
        if (kind == RELAX_AXLE && !axle_ok(t, c)) {
            put(buf, size, "track %s allows %.1f t per axle, '%s' has %.1f t", t->id,
                t->max_axle_load / 1000.0, v.tid, c->axle / 1000.0);
            return 1;
        }
        op = st->forward ? t->to : t->from;
        prev_k = k;
    }
    return 0;
}

static const char *kind_name(unsigned kind)
{
    switch (kind) {
    case RELAX_GAUGE: return "gauge";
    case RELAX_TRACTION: return "traction";
    case RELAX_AXLE: return "axle load";
    default: return "length";
    }
}

/* After a failed search: finds what blocks and fills err (TUMEN_EINPUT). */
static int explain(search *s, tumen_error *err)
{
    static const unsigned kinds[] = {RELAX_GAUGE, RELAX_TRACTION, RELAX_AXLE, RELAX_LENGTH};
    const tm_network *net = s->net;
    char head[256] = "", why[512] = "";
    put(head, sizeof head, "no route for '%s' from %s to %s", s->sc->trains[s->cands[0].train].id,
        net->ops[s->wp[0]].id, net->ops[s->wp[s->W - 1]].id);
    for (size_t i = 1; i + 1 < s->W; i++)
        put(head, sizeof head, "%s%s", i == 1 ? " via " : ", ", net->ops[s->wp[i]].id);
    int n_found = 0;
    for (size_t i = 0; i < 4; i++) {
        tm_route r = {0};
        int found = 0;
        s->relax = kinds[i];
        int rc = run_search(s, &r, &found, err);
        if (rc != TUMEN_OK)
            return rc;
        char part[400] = "";
        if (found && describe(s, kinds[i], &r, part, sizeof part)) {
            put(why, sizeof why, "%s%s", n_found ? "; otherwise " : "", part);
            n_found++;
        }
        tm_route_free(&r);
    }
    if (n_found == 0) {
        tm_route r = {0};
        int found = 0;
        s->relax = RELAX_ALL;
        int rc = run_search(s, &r, &found, err);
        if (rc != TUMEN_OK)
            return rc;
        if (found) {
            put(why, sizeof why, "%s", "several constraints block every way: ");
            int n = 0;
            for (size_t i = 0; i < 4; i++) {
                char part[400] = "";
                if (describe(s, kinds[i], &r, part, sizeof part))
                    put(why, sizeof why, "%s%s: %s", n++ ? "; " : "", kind_name(kinds[i]),
                        part);
            }
        } else {
            put(why, sizeof why, "no tracks join %s and %s",
                net->ops[s->wp[s->failed_stretch]].id,
                net->ops[s->wp[s->failed_stretch + 1]].id);
        }
        tm_route_free(&r);
    }
    return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "route", "%s: %s", head, why);
}

/* ---- The entry point -------------------------------------------------------------------- */

static void search_free(search *s)
{
    free_paths(s);
    free(s->paths);
    free(s->cands);
    free(s->wp);
    free(s->stop);
    free(s->end);
    free(s->cost);
    free(s->dist);
    free(s->pred);
    free(s->pred_edge);
    free(s->touched.items);
    free(s->heap.items);
    free(s->chain.items);
    free(s->bound);
    free(s->seed);
    free(s->seed_end);
}

static int check_request(const tm_scenario *sc, const tm_route_request *req, tumen_error *err)
{
    if (!sc || !req)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "scenario and request are needed");
    const tm_network *net = &sc->network;
    if (net->n_ops == 0 || !net->adj_start)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "network",
                            "the scenario has no network to route over (a network: key)");
    if (req->train >= sc->n_trains)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "train index %zu out of range",
                            req->train);
    for (size_t i = 0; i < req->n_changes_to; i++)
        if (req->changes_to[i] >= sc->n_trains)
            return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                                "changes_to[%zu]: train index out of range", i);
    if (req->n_waypoints < 2 || !req->waypoints)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "a route needs an origin and a destination");
    for (size_t i = 0; i < req->n_waypoints; i++)
        if (req->waypoints[i] >= net->n_ops)
            return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                                "waypoint %zu: operational point index out of range", i);
    for (size_t i = 0; i < req->n_stops; i++)
        if (req->stops[i].op >= net->n_ops)
            return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                                "stop %zu: operational point index out of range", i);
    return TUMEN_OK;
}

static int search_init(search *s, const tm_scenario *sc, const tm_route_request *req,
                       tumen_error *err)
{
    const tm_network *net = &sc->network;
    memset(s, 0, sizeof *s);
    s->sc = sc;
    s->net = net;
    s->req = req;
    s->cands = calloc(req->n_changes_to + 1, sizeof *s->cands);
    s->wp = malloc(req->n_waypoints * sizeof *s->wp);
    s->stop = calloc(net->n_ops, 1);
    s->end = calloc(net->n_ops, 1);
    if (!s->cands || !s->wp || !s->stop || !s->end)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    int rc = make_cand(sc, req->train, &s->cands[s->K++], err);
    for (size_t i = 0; i < req->n_changes_to && rc == TUMEN_OK; i++)
        if (!cand_of(s, req->changes_to[i], NULL))
            rc = make_cand(sc, req->changes_to[i], &s->cands[s->K++], err);
    if (rc != TUMEN_OK)
        return rc;
    for (size_t i = 0; i < req->n_waypoints; i++)
        if (s->W == 0 || s->wp[s->W - 1] != req->waypoints[i])
            s->wp[s->W++] = req->waypoints[i];
    if (s->W < 2)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "route",
                            "the route from %s to %s goes nowhere: the origin is the destination",
                            net->ops[req->waypoints[0]].id,
                            net->ops[req->waypoints[req->n_waypoints - 1]].id);
    for (size_t i = 0; i < req->n_stops; i++)
        s->stop[req->stops[i].op] = 1;
    s->end[s->wp[0]] = s->end[s->wp[s->W - 1]] = 1;
    s->S = net->n_ops + (net->n_connections && net->conn_start ? 2 * net->n_tracks : 0);
    const size_t states = s->K * s->S, costs = s->K * net->n_tracks * 2;
    s->cost = malloc((costs ? costs : 1) * sizeof *s->cost);
    s->dist = malloc(states * sizeof *s->dist);
    s->pred = malloc(states * sizeof *s->pred);
    s->pred_edge = malloc(states * sizeof *s->pred_edge);
    s->paths = calloc((s->W - 1) * s->K, sizeof *s->paths);
    s->bound = malloc(s->K * sizeof *s->bound);
    s->seed = malloc(s->K * sizeof *s->seed);
    s->seed_end = malloc(s->K * sizeof *s->seed_end);
    if (!s->cost || !s->dist || !s->pred || !s->pred_edge || !s->paths || !s->bound ||
        !s->seed || !s->seed_end)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < costs; i++)
        s->cost[i] = NAN;
    for (size_t i = 0; i < states; i++)
        s->dist[i] = INFINITY;
    return TUMEN_OK;
}

int tm_route_find(const tm_scenario *sc, const tm_route_request *req, tm_route *out,
                  tumen_error *err)
{
    tm_error_clear(err);
    if (!out)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "out must not be NULL");
    memset(out, 0, sizeof *out);
    int rc = check_request(sc, req, err);
    if (rc != TUMEN_OK)
        return rc;
    search s;
    rc = search_init(&s, sc, req, err);
    int found = 0;
    if (rc == TUMEN_OK)
        rc = run_search(&s, out, &found, err);
    if (rc == TUMEN_OK && !found) {
        /* Edge costs depend on the candidate only, so they stay valid when relaxing. */
        rc = explain(&s, err);
        tm_route_free(out);
    }
    search_free(&s);
    return rc;
}

void tm_route_free(tm_route *r)
{
    if (!r)
        return;
    free(r->steps);
    free(r->change_time);
    memset(r, 0, sizeof *r);
}
