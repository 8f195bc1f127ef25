/* timetable_gen.c: a day of services over the generated network, and timetable.yaml.
 *
 * Six kinds of service, each with the consist that fits where it runs:
 *   RE  regional electric multiple units on main lines, 25-90 km, stopping at every
 *       station (not at halts: see STOP_AT_HALTS);
 *   RB  diesel multiple units on a branch (terminus - junction, some short-turning at a
 *       loop, some continuing to the nearest city), stopping at every station;
 *   IC  long-distance trains between cities over the backbone, stopping at cities (and, for
 *       some, at junctions);
 *   FE  electric freight between cities and junctions of the main lines, 80-400 km;
 *   FD  heavy diesel freight, the same, too long for the branches' loops;
 *   FB  diesel freight from a branch station to a city or junction, 30-250 km.
 * Routes are shortest paths by line speed (the generator's own Dijkstra) written out as every
 * operational point passed, so consecutive waypoints are always adjacent. Passenger
 * departures follow a day with morning and evening peaks; freight runs round the clock,
 * more of it at night. Directions are drawn at random, so both are served.
 */
#include "gen/synthetic.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/vec.h"

/* Whether regional trains stop at halts (no loop: the train would stand on the main track).
 * The route search refuses a stop where no loop holds the train, so not yet. */
#define STOP_AT_HALTS 0

enum { C_RE, C_RB, C_IC, C_FE, C_FD, C_FB, C_COUNT };

static const char *const class_prefix[C_COUNT] = {"RE", "RB", "IC", "FE", "FD", "FB"};
static const char *const class_name[C_COUNT] = {
    "regional electric", "regional branch (diesel)", "long-distance",
    "electric freight",  "heavy diesel freight",     "branch freight"};
static const double class_share[C_COUNT] = {0.25, 0.25, 0.12, 0.15, 0.08, 0.15};

typedef struct stop {
    size_t op;
    int dwell; /* s */
} stop;

typedef struct service {
    int cls;
    gen_train train;
    long dep;            /* s after midnight */
    size_t route, n_route; /* into the route pool */
    size_t stops, n_stops; /* into the stop pool */
    size_t order;        /* generation order, the last sort key */
} service;

typedef struct ttgen {
    const gen_net *net;
    tm_rng *rng;
    TM_VEC(size_t) route_pool;
    TM_VEC(stop) stop_pool;
    TM_VEC(service) services;
    /* Pools of operational points and lines to draw from. */
    TM_VEC(size_t) cities, main_loops, freight_nodes, branch_loops, branches;
    long long branch_total;
    /* Dijkstra state. */
    long long *cost, *len;
    size_t *prev;
    struct heap_item {
        long long cost;
        size_t op;
    } *heap;
    size_t n_heap, cap_heap;
    size_t *path;
    size_t n_path;
} ttgen;

/* ---- Shortest paths --------------------------------------------------------------- */

static int heap_less(const struct heap_item *a, const struct heap_item *b)
{
    return a->cost < b->cost || (a->cost == b->cost && a->op < b->op);
}

static void heap_push(ttgen *g, long long cost, size_t op)
{
    size_t i = g->n_heap++;
    g->heap[i] = (struct heap_item){cost, op};
    while (i && heap_less(&g->heap[i], &g->heap[(i - 1) / 2])) {
        struct heap_item t = g->heap[i];
        g->heap[i] = g->heap[(i - 1) / 2];
        g->heap[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static struct heap_item heap_pop(ttgen *g)
{
    struct heap_item top = g->heap[0];
    g->heap[0] = g->heap[--g->n_heap];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < g->n_heap && heap_less(&g->heap[l], &g->heap[m]))
            m = l;
        if (r < g->n_heap && heap_less(&g->heap[r], &g->heap[m]))
            m = r;
        if (m == i)
            break;
        struct heap_item t = g->heap[i];
        g->heap[i] = g->heap[m];
        g->heap[m] = t;
        i = m;
    }
    return top;
}

/* Fastest paths from src by line speed (ms), over main lines only when main_only. */
static void dijkstra(ttgen *g, size_t src, int main_only)
{
    const gen_net *net = g->net;
    for (size_t i = 0; i < net->n_ops; i++) {
        g->cost[i] = -1;
        g->len[i] = 0;
        g->prev[i] = GEN_NONE;
    }
    g->n_heap = 0;
    g->cost[src] = 0;
    heap_push(g, 0, src);
    while (g->n_heap) {
        struct heap_item it = heap_pop(g);
        if (it.cost != g->cost[it.op])
            continue;
        for (size_t k = net->adj_start[it.op]; k < net->adj_start[it.op + 1]; k++) {
            const gen_track *t = &net->tracks[net->adj[k]];
            if (main_only && !t->main)
                continue;
            size_t v = t->from == it.op ? t->to : t->from;
            long long c = it.cost + (long long)t->length * 3600 / t->speed;
            if (g->cost[v] < 0 || c < g->cost[v]) {
                g->cost[v] = c;
                g->len[v] = g->len[it.op] + t->length;
                g->prev[v] = it.op;
                heap_push(g, c, v);
            }
        }
    }
}

/* The path from the last dijkstra's source to dst into g->path (source first). */
static void path_to(ttgen *g, size_t dst)
{
    g->n_path = 0;
    for (size_t v = dst; v != GEN_NONE; v = g->prev[v])
        g->path[g->n_path++] = v;
    for (size_t i = 0; i < g->n_path / 2; i++) {
        size_t t = g->path[i];
        g->path[i] = g->path[g->n_path - 1 - i];
        g->path[g->n_path - 1 - i] = t;
    }
}

/* A random reachable member of pool whose distance from the source is within [lo, hi] m;
 * failing that, the farthest reachable one; GEN_NONE if none is reachable but the source. */
static size_t pick_destination(ttgen *g, const size_t *pool, size_t n, size_t src, long long lo,
                               long long hi)
{
    size_t count = 0, far = GEN_NONE;
    for (size_t i = 0; i < n; i++) {
        size_t v = pool[i];
        if (v == src || g->cost[v] < 0)
            continue;
        if (g->len[v] >= lo && g->len[v] <= hi)
            count++;
        if (far == GEN_NONE || g->len[v] > g->len[far])
            far = v;
    }
    if (!count)
        return far;
    long k = tm_rng_range(g->rng, 0, (long)count - 1);
    for (size_t i = 0; i < n; i++) {
        size_t v = pool[i];
        if (v != src && g->cost[v] >= 0 && g->len[v] >= lo && g->len[v] <= hi && k-- == 0)
            return v;
    }
    return far;
}

static size_t pick(ttgen *g, const size_t *pool, size_t n)
{
    return pool[tm_rng_range(g->rng, 0, (long)n - 1)];
}

/* ---- Services --------------------------------------------------------------------- */

static long clock_s(double hours)
{
    long minutes = (long)(hours * 60.0);
    minutes %= 24 * 60;
    if (minutes < 0)
        minutes += 24 * 60;
    return minutes * 60;
}

static long passenger_departure(tm_rng *r)
{
    double u = tm_rng_unit(r), h;
    if (u < 0.30)
        h = 7.5 + 0.9 * tm_rng_normalish(r);
    else if (u < 0.55)
        h = 17.5 + 1.0 * tm_rng_normalish(r);
    else
        h = tm_rng_uniform(r, 5.0, 23.5);
    if (h < 4.75)
        h = 4.75;
    if (h > 23.75)
        h = 23.75;
    return clock_s(h);
}

static long freight_departure(tm_rng *r)
{
    if (tm_rng_chance(r, 0.4))
        return clock_s(tm_rng_uniform(r, 20.0, 29.0)); /* the night, 20:00 - 05:00 */
    return clock_s(tm_rng_uniform(r, 0.0, 24.0));
}

static int peak(long dep)
{
    return (dep >= 6 * 3600 + 1800 && dep < 8 * 3600 + 1800) ||
           (dep >= 16 * 3600 + 1800 && dep < 18 * 3600 + 1800);
}

static int regional_dwell(const gen_op *op)
{
    if (op->city)
        return 120;
    if (op->kind == TM_OP_JUNCTION)
        return 60;
    return op->kind == TM_OP_HALT ? 30 : 45;
}

static int push_stop(ttgen *g, size_t op, int dwell)
{
    return tm_vec_push(&g->stop_pool, ((stop){op, dwell}));
}

/* The route in g->path becomes service s's, in a random direction, with its stops. */
static int finish_service(ttgen *g, service *s)
{
    const gen_net *net = g->net;
    if (tm_rng_chance(g->rng, 0.5))
        for (size_t i = 0; i < g->n_path / 2; i++) {
            size_t t = g->path[i];
            g->path[i] = g->path[g->n_path - 1 - i];
            g->path[g->n_path - 1 - i] = t;
        }
    s->route = g->route_pool.n;
    s->n_route = g->n_path;
    for (size_t i = 0; i < g->n_path; i++)
        if (tm_vec_push(&g->route_pool, g->path[i]))
            return -1;
    s->stops = g->stop_pool.n;
    const gen_train_info *train = &tm_gen_trains[s->train];
    int express = tm_rng_chance(g->rng, 0.6);
    int long_distance_dwell = tm_rng_chance(g->rng, 0.6) ? 120 : 180;
    if (s->cls == C_RE || s->cls == C_RB) {
        /* Every station; not the halts: docs/formats.md lets a train stop only where a loop
         * or station track holds it, and a halt has none (STOP_AT_HALTS). */
        for (size_t i = 1; i + 1 < g->n_path; i++) {
            const gen_op *op = &net->ops[g->path[i]];
            if ((STOP_AT_HALTS || op->n_loops) && push_stop(g, g->path[i], regional_dwell(op)))
                return -1;
        }
    } else if (s->cls == C_IC) {
        for (size_t i = 1; i + 1 < g->n_path; i++) {
            const gen_op *op = &net->ops[g->path[i]];
            if (op->city && push_stop(g, g->path[i], long_distance_dwell))
                return -1;
            if (!op->city && !express && op->kind == TM_OP_JUNCTION && push_stop(g, g->path[i], 60))
                return -1;
        }
    } else {
        /* Freight: a crew change near the middle of a long run, where the train fits. */
        long long total = 0, *at = malloc(g->n_path * sizeof *at);
        if (!at)
            return -1;
        at[0] = 0;
        for (size_t i = 1; i < g->n_path; i++) {
            for (size_t k = net->adj_start[g->path[i]]; k < net->adj_start[g->path[i] + 1]; k++) {
                const gen_track *t = &net->tracks[net->adj[k]];
                if ((t->from == g->path[i - 1] && t->to == g->path[i]) ||
                    (t->to == g->path[i - 1] && t->from == g->path[i])) {
                    total += t->length;
                    break;
                }
            }
            at[i] = total;
        }
        size_t best = GEN_NONE;
        if (total > 200000)
            for (size_t i = 1; i + 1 < g->n_path; i++) {
                const gen_op *op = &net->ops[g->path[i]];
                int fits = 0;
                for (int k = 0; k < op->n_loops; k++)
                    fits |= op->loops[k] >= train->length;
                if (!fits || !(op->city || op->kind == TM_OP_JUNCTION))
                    continue;
                if (best == GEN_NONE || llabs(2 * at[i] - total) < llabs(2 * at[best] - total))
                    best = i;
            }
        free(at);
        if (best != GEN_NONE && push_stop(g, g->path[best], (int)tm_rng_range(g->rng, 10, 20) * 60))
            return -1;
    }
    s->n_stops = g->stop_pool.n - s->stops;
    return 0;
}

static int pick_class(ttgen *g)
{
    double u = tm_rng_unit(g->rng), acc = 0.0;
    int cls = C_COUNT - 1;
    for (int c = 0; c < C_COUNT; c++) {
        acc += class_share[c];
        if (u < acc) {
            cls = c;
            break;
        }
    }
    if (!g->branches.n && cls == C_RB)
        cls = C_RE;
    if (!g->branch_loops.n && cls == C_FB)
        cls = C_FE;
    return cls;
}

/* Routes one service of class cls into g->path; 0, or -1 if this draw found no route. */
static int route_service(ttgen *g, int cls)
{
    const gen_net *net = g->net;
    tm_rng *r = g->rng;
    size_t a, b;
    switch (cls) {
    case C_RE:
        a = tm_rng_chance(r, 0.5) ? pick(g, g->cities.items, g->cities.n)
                                  : pick(g, g->main_loops.items, g->main_loops.n);
        dijkstra(g, a, 1);
        b = pick_destination(g, g->main_loops.items, g->main_loops.n, a, 25000, 90000);
        break;
    case C_RB: {
        long long x = tm_rng_range(r, 0, (long)g->branch_total - 1);
        size_t l = 0;
        for (; l + 1 < g->branches.n; l++) {
            x -= net->lines[g->branches.items[l]].length;
            if (x < 0)
                break;
        }
        const gen_line *ln = &net->lines[g->branches.items[l]];
        size_t from = 0, to = ln->n_ops - 1;
        if (ln->length > 60000 && tm_rng_chance(r, 0.25)) {
            /* Short-turn at a loop near the middle. */
            size_t mid = GEN_NONE;
            for (size_t i = 1; i + 1 < ln->n_ops; i++)
                if (net->ops[ln->ops[i]].n_loops &&
                    (mid == GEN_NONE ||
                     labs(2 * ln->pos[i] - ln->length) < labs(2 * ln->pos[mid] - ln->length)))
                    mid = i;
            if (mid != GEN_NONE) {
                if (tm_rng_chance(r, 0.5))
                    to = mid;
                else
                    from = mid;
            }
        }
        g->n_path = 0;
        if (from == 0 && !net->ops[ln->ops[0]].city && tm_rng_chance(r, 0.35)) {
            /* On from the junction to the nearest city, if it is close. */
            dijkstra(g, ln->ops[0], 0);
            size_t city = GEN_NONE;
            for (size_t i = 0; i < g->cities.n; i++) {
                size_t c = g->cities.items[i];
                if (g->cost[c] >= 0 && g->len[c] <= 60000 &&
                    (city == GEN_NONE || g->cost[c] < g->cost[city]))
                    city = c;
            }
            if (city != GEN_NONE) {
                path_to(g, city); /* junction ... city; reversed below */
                for (size_t i = 0; i < g->n_path / 2; i++) {
                    size_t t = g->path[i];
                    g->path[i] = g->path[g->n_path - 1 - i];
                    g->path[g->n_path - 1 - i] = t;
                }
                g->n_path--; /* the junction comes again with the branch */
            }
        }
        /* A path that already passes the branch's ops would double back: keep it simple
         * and drop the extension then. */
        for (size_t i = 0; i < g->n_path; i++)
            for (size_t j = from; j <= to; j++)
                if (g->path[i] == ln->ops[j])
                    g->n_path = 0;
        for (size_t j = from; j <= to; j++)
            g->path[g->n_path++] = ln->ops[j];
        return g->n_path >= 2 ? 0 : -1;
    }
    case C_IC:
        a = pick(g, g->cities.items, g->cities.n);
        dijkstra(g, a, 1);
        b = pick_destination(g, g->cities.items, g->cities.n, a, 150000, (long long)1 << 50);
        break;
    case C_FE:
    case C_FD:
        a = pick(g, g->freight_nodes.items, g->freight_nodes.n);
        dijkstra(g, a, 1);
        b = pick_destination(g, g->freight_nodes.items, g->freight_nodes.n, a, 80000, 400000);
        break;
    default: /* C_FB */
        a = pick(g, g->branch_loops.items, g->branch_loops.n);
        dijkstra(g, a, 0);
        b = pick_destination(g, g->freight_nodes.items, g->freight_nodes.n, a, 30000, 250000);
        break;
    }
    if (b == GEN_NONE)
        return -1;
    path_to(g, b);
    return g->n_path >= 2 ? 0 : -1;
}

static int add_service(ttgen *g, size_t order)
{
    service s = {0};
    s.order = order;
    for (int attempt = 0;; attempt++) {
        s.cls = pick_class(g);
        if (route_service(g, s.cls) == 0)
            break;
        if (attempt == 100)
            return 1; /* a network with no route at all: cannot happen with two cities */
    }
    switch (s.cls) {
    case C_RE:
        s.dep = passenger_departure(g->rng);
        s.train = peak(s.dep) && tm_rng_chance(g->rng, 0.4) ? GT_EMU_DOUBLE : GT_EMU;
        break;
    case C_RB:
        s.dep = passenger_departure(g->rng);
        s.train = peak(s.dep) && tm_rng_chance(g->rng, 0.4) ? GT_DMU_DOUBLE : GT_DMU;
        break;
    case C_IC:
        s.dep = passenger_departure(g->rng);
        s.train = GT_INTERCITY;
        break;
    case C_FE:
        s.dep = freight_departure(g->rng);
        s.train = GT_FREIGHT_ELECTRIC;
        break;
    case C_FD:
        s.dep = freight_departure(g->rng);
        s.train = GT_FREIGHT_DIESEL_HEAVY;
        break;
    default:
        s.dep = freight_departure(g->rng);
        s.train = GT_FREIGHT_DIESEL_BRANCH;
        break;
    }
    if (finish_service(g, &s) || tm_vec_push(&g->services, s))
        return -1;
    return 0;
}

static int cmp_service(const void *pa, const void *pb)
{
    const service *x = pa, *y = pb;
    if (x->dep != y->dep)
        return (x->dep > y->dep) - (x->dep < y->dep);
    if (x->cls != y->cls)
        return (x->cls > y->cls) - (x->cls < y->cls);
    return (x->order > y->order) - (x->order < y->order);
}

static int build_pools(ttgen *g)
{
    const gen_net *net = g->net;
    for (size_t i = 0; i < net->n_ops; i++) {
        const gen_op *op = &net->ops[i];
        if (op->city && tm_vec_push(&g->cities, i))
            return -1;
        if (op->on_main && op->n_loops && tm_vec_push(&g->main_loops, i))
            return -1;
        if (op->on_main && (op->city || op->kind == TM_OP_JUNCTION) &&
            tm_vec_push(&g->freight_nodes, i))
            return -1;
        if (!op->on_main && op->n_loops && tm_vec_push(&g->branch_loops, i))
            return -1;
    }
    for (size_t l = 0; l < net->n_lines; l++)
        if (!net->lines[l].main) {
            if (tm_vec_push(&g->branches, l))
                return -1;
            g->branch_total += net->lines[l].length;
        }
    size_t n = net->n_ops;
    g->cost = malloc(n * sizeof *g->cost);
    g->len = malloc(n * sizeof *g->len);
    g->prev = malloc(n * sizeof *g->prev);
    g->path = malloc((n + 1) * sizeof *g->path);
    g->cap_heap = 2 * net->n_tracks + 2;
    g->heap = malloc(g->cap_heap * sizeof *g->heap);
    return g->cost && g->len && g->prev && g->path && g->heap ? 0 : -1;
}

static void free_gen(ttgen *g)
{
    free(g->route_pool.items);
    free(g->stop_pool.items);
    free(g->services.items);
    free(g->cities.items);
    free(g->main_loops.items);
    free(g->freight_nodes.items);
    free(g->branch_loops.items);
    free(g->branches.items);
    free(g->cost);
    free(g->len);
    free(g->prev);
    free(g->heap);
    free(g->path);
}

static void print_dwell(FILE *fp, int s)
{
    if (s % 60 == 0)
        fprintf(fp, "%d min", s / 60);
    else
        fprintf(fp, "%d s", s);
}

static void write_services(FILE *fp, const ttgen *g, const tm_gen_options *o, size_t *nodes)
{
    size_t count[C_COUNT] = {0};
    for (size_t i = 0; i < g->services.n; i++)
        count[g->services.items[i].cls]++;
    fprintf(fp,
            "# Synthetic timetable: tumen gen network --km %.0f --trains %zu --seed %llu\n"
            "# Every service is synthetic. Routes list every operational point passed; stops\n"
            "# give the minimum dwell (the origin and destination are stops anyway).\n",
            o->km, o->services, (unsigned long long)o->seed);
    for (int c = 0; c < C_COUNT; c++)
        fprintf(fp, "#   %s %s: %zu\n", class_prefix[c], class_name[c], count[c]);
    fprintf(fp,
            "timetable:\n"
            "  name: \"Synthetic day, seed %llu\"\n"
            "  date: 2026-03-02\n"
            "  services:\n",
            (unsigned long long)o->seed);
    size_t n_nodes = 9;
    for (size_t i = 0; i < g->services.n; i++) {
        const service *s = &g->services.items[i];
        fprintf(fp,
                "    - id: \"%s%05zu\"\n      train: %s\n      category: %s\n"
                "      departure: \"%02ld:%02ld\"\n      route: [",
                class_prefix[s->cls], i + 1, tm_gen_trains[s->train].id,
                tm_gen_trains[s->train].freight ? "freight" : "passenger", s->dep / 3600,
                (s->dep / 60) % 60);
        for (size_t k = 0; k < s->n_route; k++)
            fprintf(fp, "%s%s", k ? ", " : "", g->net->ops[g->route_pool.items[s->route + k]].id);
        fputs("]\n", fp);
        n_nodes += 1 + 2 * 4 + 2 + s->n_route; /* map, four pairs, route key and list */
        if (s->n_stops) {
            fputs("      stops: [", fp);
            for (size_t k = 0; k < s->n_stops; k++) {
                const stop *st = &g->stop_pool.items[s->stops + k];
                fprintf(fp, "%s{at: %s, dwell: ", k ? ", " : "", g->net->ops[st->op].id);
                print_dwell(fp, st->dwell);
                fputc('}', fp);
            }
            fputs("]\n", fp);
            n_nodes += 2 + 5 * s->n_stops; /* key, list, a map of two pairs each */
        }
    }
    *nodes = n_nodes;
}

int tm_gen_write_timetable(FILE *fp, const gen_net *net, const tm_gen_options *o,
                           tm_rng *rng, size_t *nodes, tumen_error *err)
{
    ttgen g = {0};
    g.net = net;
    g.rng = rng;
    int rc = TUMEN_ENOMEM;
    if (build_pools(&g))
        goto out;
    if (!g.cities.n || !g.main_loops.n || !g.freight_nodes.n) {
        rc = tm_error_set(err, TUMEN_EINPUT, NULL, 0, NULL,
                          "the generated network has no cities to run services between");
        goto out;
    }
    for (size_t i = 0; i < o->services; i++) {
        int r = add_service(&g, i);
        if (r < 0)
            goto out;
        if (r > 0) {
            rc = tm_error_set(err, TUMEN_EINPUT, NULL, 0, NULL,
                              "no route found for a service on the generated network");
            goto out;
        }
    }
    qsort(g.services.items, g.services.n, sizeof *g.services.items, cmp_service);
    write_services(fp, &g, o, nodes);
    rc = ferror(fp) ? tm_error_set(err, TUMEN_EIO, NULL, 0, NULL, "cannot write the timetable")
                    : TUMEN_OK;
out:
    if (rc == TUMEN_ENOMEM)
        tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL,
                     "out of memory while generating the timetable");
    free_gen(&g);
    return rc;
}
