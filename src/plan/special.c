/* special.c: a special train request on a scenario (plan/special_plan.h).
 *
 * Route once (the special's consist and allowed changes; the pilot and escort are routed
 * over the same operational points), then every stop-to-stop segment the search asks for
 * is run by the engine for the three trains (tm_timetable_run_service, cached per (i, k)),
 * its blocking times computed on the network's resources, and joined into the corridor:
 * per resource, from the pilot's start (with its lead, the distance margin added to its
 * approach, less margin_time; opposing_margin on single track) to the escort's end (with
 * its lag, the distance margin added to its overlap, plus the margins). The background is
 * the timetable's blocking times. The plan found is re-simulated as three services.
 */
#include "model/allowance.h"
#include "plan/special_plan.h"
#include "plan/occupancy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/vec.h"
#include "plan/special_runs.h"
#include "plan/timetable.h"

typedef struct seg_data {
    tm_sp_segment seg;
    tm_sp_need *needs;
    double run[3];              /* arrival of each convoy train at k after its departure */
    double ready_rel[3];
} seg_data;

typedef struct plan_ctx {
    const tm_scenario *sc;
    const tm_special_spec *sp;
    const tm_resource_map *map;
    const tm_special_background *bg;
    tm_blocking_params params;
    size_t n;                   /* stations */
    size_t *ops;                /* op of each station */
    size_t *train[3];           /* consist of each convoy train on step i (station i->i+1) */
    double *dwell;              /* minimum dwell at each station (required stops, changes) */
    double *change[3];          /* consist change time of each convoy train at each station
                                 * (the engine adds it to a stop's dwell) */
    int present[3];
    double offset[3];           /* -lead, 0, +lag */
    size_t n_res;               /* map->n + n_ops + map->n: platforms, passenger-only */
    seg_data **cache;           /* n x n */
    double *h;
    size_t *step_track;         /* the track from station i to i+1 */
    tm_security_rules rules;    /* the request's rule set (plan/security.h) */
    size_t freight_base;        /* resource r passenger-only: freight_base + r */
    size_t *par_first, *par;    /* tracks parallel to track t: par[par_first[t] ..
                                 * par_first[t + 1]) (both ways round) */
    double *span[4];            /* a segment's corridor per resource (corridor: lo, hi, los,
                                 * his), +-inf between segments */
    tm_sp_runs *runs;           /* the segments' runs from a course per station left, or
                                 * NULL (each a service's run) */
} plan_ctx;

static int oom(tumen_error *err)
{
    return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
}

/* Runs train `which` from station i to k (standing at both) into run (samples kept). */
static int run_piece(plan_ctx *c, int which, size_t i, size_t k, tm_service_run *run,
                     tumen_error *err)
{
    tm_service svc;
    memset(&svc, 0, sizeof svc);
    snprintf(svc.id, sizeof svc.id, "%s/%zu-%zu", which == 0 ? "pilot" : which == 1 ? "special" : "escort", i, k);
    svc.train = c->train[which][i];
    svc.category = TM_CATEGORY_SPECIAL;
    svc.waypoints = c->ops + i;
    svc.n_waypoints = k - i + 1;
    tm_timetable_options o;
    tm_timetable_options_init(&o);
    o.keep_samples = 1;
    return tm_timetable_run_service(c->sc, &svc, &o, run, err);
}

/* The same run as run_piece, from the request's course of station i where it can be
 * (plan/special_runs.c): the runs from i go as far as the next stop with a dwell. */
static int segment_run(plan_ctx *c, int which, size_t i, size_t k, tm_service_run *run,
                       const tumen_sample **samples, size_t *n_samples, int *done,
                       tumen_error *err)
{
    size_t far = i + 1;
    while (far < c->n - 1 && c->dwell[far] <= 0.0)
        far++;
    int rc = tm_sp_runs_segment(c->runs, c->train[which][i], i, far, k, run, samples,
                                n_samples, done, err);
    if (rc != TUMEN_OK || *done)
        return rc;
    rc = run_piece(c, which, i, k, run, err);
    *samples = run->samples;
    *n_samples = run->n_samples;
    return rc;
}

/* ---- Security rules as more intervals on the same resources (plan/security.h) -------- */

/* Line clear: a convoy resource's need widened to line_clear_before / _after around the
 * special's own hold of it (los, his; relative times). */
static void line_clear(const plan_ctx *c, tm_sp_need *nd, double los, double his)
{
    if (los == INFINITY)
        return;
    if (c->rules.line_clear_before > 0.0)
        nd->start = fmin(nd->start, los - c->rules.line_clear_before);
    if (c->rules.line_clear_after > 0.0)
        nd->end = fmax(nd->end, his + c->rules.line_clear_after);
}

typedef TM_VEC(tm_sp_need) need_list;

/* The rule for a neighbour track: power off holds an electrified one whatever its rule. */
static tm_neighbour_rule neighbour_rule(const plan_ctx *c, size_t track, tm_neighbour_rule r)
{
    if (c->rules.power_off && c->sc->network.tracks[track].electrification != TM_ELEC_NONE)
        return TM_NEIGHBOUR_HELD;
    return r;
}

static int push_need(need_list *v, const plan_ctx *c, tm_neighbour_rule rule, size_t r,
                     double a, double b)
{
    if (rule == TM_NEIGHBOUR_FREE || !(a < b))
        return 0;
    tm_sp_need nd = {rule == TM_NEIGHBOUR_HELD ? r : c->freight_base + r, a, b};
    return tm_vec_push(v, nd);
}

/* Resources [*a, *b) of track t: its blocks both ways and, on single track, the section. */
static void track_resources(const plan_ctx *c, size_t t, size_t *a, size_t *b)
{
    *a = c->map->track_base[t];
    *b = *a + c->map->n_forward[t] + c->map->n_backward[t] +
         (c->sc->network.tracks[t].main_tracks <= 1);
}

/* The other track of a double line beside convoy block r: the opposite direction's blocks
 * over the same stretch, from the pilot (less neighbour_before) to the escort or the
 * special (plus neighbour_after). */
static int other_track_needs(const plan_ctx *c, size_t r, double lo, double hi, double his,
                             need_list *v)
{
    const tm_resource *rs = &c->map->items[r];
    if (rs->kind != TM_RES_BLOCK || c->sc->network.tracks[rs->track].main_tracks < 2)
        return 0;
    tm_neighbour_rule rule = neighbour_rule(c, rs->track, c->rules.other_track);
    double a = lo - c->rules.neighbour_before;
    double b = (c->rules.neighbour_until_special && his > -INFINITY ? his : hi) +
               c->rules.neighbour_after;
    size_t base = c->map->track_base[rs->track], nf = c->map->n_forward[rs->track];
    size_t from = rs->forward ? base + nf : base, to = rs->forward ? base + nf + c->map->n_backward[rs->track] : base + nf;
    for (size_t q = from; q < to; q++) {
        const tm_resource *o = &c->map->items[q];
        if (o->start < rs->end && rs->start < o->end && push_need(v, c, rule, q, a, b))
            return -1;
    }
    return 0;
}

/* Tracks parallel to route track t: all their resources while the convoy is on t. */
static int parallel_needs(const plan_ctx *c, size_t t, double lo, double hi, double his,
                          need_list *v)
{
    double a = lo - c->rules.neighbour_before;
    double b = (c->rules.neighbour_until_special && his > -INFINITY ? his : hi) +
               c->rules.neighbour_after;
    for (size_t q = c->par_first[t]; q < c->par_first[t + 1]; q++) {
        size_t p = c->par[q], ra, rb;
        tm_neighbour_rule rule = neighbour_rule(c, p, c->rules.parallel);
        track_resources(c, p, &ra, &rb);
        for (size_t r = ra; r < rb; r++)
            if (push_need(v, c, rule, r, a, b))
                return -1;
    }
    return 0;
}

/* Junctions: at each point of the segment but the route's origin, the other lines' blocks
 * touching it, from the line-clear start there to its end (the convoy's times at the point:
 * at the segment's first stop its departure, at its last its arrival; the wait between is
 * the station's, held by the stand). */
static int junction_needs(const plan_ctx *c, size_t i, size_t k, const double *arr,
                          const double *dep, need_list *v)
{
    const tm_network *net = &c->sc->network;
    size_t np = k - i + 1;
    double m = c->sp->margin_time;
    for (size_t z = i == 0 ? 1 : 0; z < np; z++) {
        size_t op = c->ops[i + z];
        double a = INFINITY, b = -INFINITY;
        for (int w = 0; w < 3; w++) {
            if (!c->present[w] || isnan(arr[w * np + z]))
                continue;
            double leave = i + z == k ? arr[w * np + z] : dep[w * np + z];
            a = fmin(a, arr[w * np + z] - m);
            b = fmax(b, leave + m);
            if (w == 1) {
                a = fmin(a, arr[w * np + z] - c->rules.line_clear_before);
                b = fmax(b, leave + c->rules.line_clear_after);
            }
        }
        size_t before = i + z > 0 ? c->step_track[i + z - 1] : (size_t)-1;
        size_t after = i + z + 1 < c->n ? c->step_track[i + z] : (size_t)-1;
        for (size_t e = net->adj_start[op]; e < net->adj_start[op + 1]; e++) {
            size_t t = net->adj[e];
            if (t == before || t == after)
                continue;
            const tm_track *tr = &net->tracks[t];
            size_t base = c->map->track_base[t], nf = c->map->n_forward[t],
                   nb = c->map->n_backward[t];
            size_t touch[3];
            size_t nt = 0;
            if (tr->from == op) { /* forward's first block, backward's last */
                touch[nt++] = base;
                touch[nt++] = base + nf + nb - 1;
            } else {              /* forward's last block, backward's first */
                touch[nt++] = base + nf - 1;
                touch[nt++] = base + nf;
            }
            if (tr->main_tracks <= 1)
                touch[nt++] = base + nf + nb;
            for (size_t q = 0; q < nt; q++)
                if (push_need(v, c, TM_NEIGHBOUR_HELD, touch[q], a, b))
                    return -1;
        }
    }
    return 0;
}

/* Every interval the rule set adds to a segment's corridor beyond the convoy's own. */
static int security_needs(const plan_ctx *c, size_t i, size_t k, const size_t *used,
                          size_t n_used, const double *lo, const double *hi, const double *los,
                          const double *his, const double *arr, const double *dep,
                          need_list *v)
{
    const tm_security_rules *R = &c->rules;
    double m = c->sp->margin_time;
    int neighbours = R->other_track || R->parallel || R->power_off;
    if (neighbours)
        for (size_t u = 0; u < n_used; u++) {
            size_t r = used[u];
            if (r >= c->map->op_base)
                continue;
            double a = lo[r] - m, b = hi[r] + m;
            if (other_track_needs(c, r, a, b, his[r], v))
                return -1;
        }
    if (neighbours && c->par_first[c->sc->network.n_tracks] > 0)
        for (size_t s = i; s < k; s++) {
            size_t t = c->step_track[s];
            double a = INFINITY, b = -INFINITY, bs = -INFINITY;
            size_t ra, rb;
            track_resources(c, t, &ra, &rb);
            for (size_t u = 0; u < n_used; u++)
                if (used[u] >= ra && used[u] < rb) {
                    a = fmin(a, lo[used[u]] - m);
                    b = fmax(b, hi[used[u]] + m);
                    bs = fmax(bs, his[used[u]]);
                }
            if (a < INFINITY && parallel_needs(c, t, a, b, bs, v))
                return -1;
        }
    if (R->junctions && junction_needs(c, i, k, arr, dep, v))
        return -1;
    return 0;
}

/* The key of convoy train `which`'s piece from station i to k (ops point into c). */
static tm_sp_piece_key piece_key(const plan_ctx *c, int which, size_t i, size_t k)
{
    tm_sp_piece_key key = {c->train[which][i], which == 0 ? c->sp->margin_distance : 0.0,
                           which == 2 ? c->sp->margin_distance : 0.0, c->ops + i, k - i + 1};
    return key;
}

/* Two keys of one request's segment (their ops are the same stations). */
static int same_piece_key(const tm_sp_piece_key *a, const tm_sp_piece_key *b)
{
    return a->train == b->train && a->approach_extra == b->approach_extra &&
           a->overlap_extra == b->overlap_extra && a->ops == b->ops && a->n_ops == b->n_ops;
}

/* The pieces of the convoy trains marked in want[] from station i to k, all of one consist:
 * their stairs (with the pilot's approach or the escort's overlap longer by the distance
 * margin) and passing times, from one engine run. The run depends on the consist and the
 * points only (the margins change the stairs, not the run), so the pilot, the special and
 * the escort of one consist share it; each piece gets its own stairs from the same samples,
 * which are the bytes three runs would give. */
static int compute_pieces(plan_ctx *c, const int *want, size_t i, size_t k,
                          tm_sp_piece **out, tumen_error *err)
{
    tm_service_run run;
    memset(&run, 0, sizeof run);
    tm_block_section *blocks = NULL;
    size_t nb = 0;
    int first = 0;
    while (!want[first])
        first++;
    const tumen_sample *smp = NULL;
    size_t n_smp = 0;
    int shared = 0;
    int rc = segment_run(c, first, i, k, &run, &smp, &n_smp, &shared, err);
    const tm_train *tr = &c->sc->trains[c->train[first][i]];
    if (rc == TUMEN_OK &&
        tm_service_blocks(&c->sc->network, c->map, &run, tr->length, &blocks, &nb) != TUMEN_OK)
        rc = oom(err);
    for (int w = 0; w < 3 && rc == TUMEN_OK; w++) {
        if (!want[w])
            continue;
        tm_sp_piece_key key = piece_key(c, w, i, k);
        tm_sp_piece *pc = out[w] = calloc(1, sizeof *pc);
        if (!pc || !(pc->key.ops = malloc(key.n_ops * sizeof *pc->key.ops)) ||
            (nb && !(pc->occ = malloc(nb * sizeof *pc->occ))) ||
            !(pc->arr = malloc((run.n_points + 1) * sizeof *pc->arr)) ||
            !(pc->dep = malloc((run.n_points + 1) * sizeof *pc->dep))) {
            rc = oom(err);
            break;
        }
        memcpy(pc->key.ops, key.ops, key.n_ops * sizeof *key.ops);
        key.ops = pc->key.ops; /* the piece owns its copy */
        pc->key = key;
        if (nb) {
            tm_blocking_params p = c->params;
            p.overlap += pc->key.overlap_extra;
            p.approach_extra += pc->key.approach_extra;
            if (shared) { /* the stairs it shares with the run from i to the next dwell */
                if (tm_sp_runs_stairs(c->runs, c->map, blocks, nb, &p, tr->length, pc->occ)) {
                    rc = oom(err);
                    break;
                }
            } else
                tm_blocking_stairs(smp, n_smp, tr->length, blocks, nb, &p, 0, pc->occ);
            pc->n_occ = nb;
        }
        pc->run = run.arrival - run.departure;
        /* the run's points are the segment's stations key.ops, one each */
        for (size_t z = 0; z < run.n_points && z < pc->key.n_ops; z++) {
            pc->arr[z] = run.points[z].arrival - run.departure;
            pc->dep[z] = run.points[z].departure - run.departure;
            pc->n_points = z + 1;
        }
    }
    free(blocks);
    tm_service_run_free(&run);
    if (rc != TUMEN_OK)
        for (int w = 0; w < 3; w++) {
            tm_sp_piece_free(out[w]);
            out[w] = NULL;
        }
    return rc;
}

/* The pieces of the present convoy trains from i to k: the background's where a request
 * ran them before, else run now (one run per consist) and kept there. own[w] is set where
 * the table could not keep a piece (the caller frees it). */
static int pieces_of(plan_ctx *c, size_t i, size_t k, const tm_sp_piece **out,
                     tm_sp_piece **own, tumen_error *err)
{
    tm_sp_piece_key out_key[3];
    int missing[3] = {0, 0, 0}, same_as[3] = {-1, -1, -1};
    for (int w = 0; w < 3; w++) {
        out[w] = NULL;
        own[w] = NULL;
        if (!c->present[w])
            continue;
        tm_sp_piece_key key = piece_key(c, w, i, k);
        /* Without a distance margin the convoy trains of one consist have one key, so one
         * piece: its stairs are worked out once, not three times. */
        for (int q = 0; q < w && same_as[w] < 0; q++)
            if (c->present[q] && same_as[q] < 0 && same_piece_key(&key, &out_key[q]))
                same_as[w] = q;
        out_key[w] = key;
        if (same_as[w] < 0 && !(out[w] = tm_sp_pieces_find(c->bg->pieces, &key)))
            missing[w] = 1;
    }
    for (int w = 0; w < 3; w++) {
        if (!missing[w])
            continue;
        int want[3] = {0, 0, 0};
        for (int q = w; q < 3; q++)
            if (missing[q] && c->train[q][i] == c->train[w][i]) {
                want[q] = 1;
                missing[q] = 0;
            }
        tm_sp_piece *made[3] = {NULL, NULL, NULL};
        int rc = compute_pieces(c, want, i, k, made, err);
        if (rc != TUMEN_OK) {
            for (int q = 0; q < 3; q++) {
                tm_sp_piece_free(own[q]);
                own[q] = NULL;
            }
            return rc;
        }
        for (int q = 0; q < 3; q++)
            if (want[q] && !(out[q] = tm_sp_pieces_keep(c->bg->pieces, made[q])))
                out[q] = own[q] = made[q];
    }
    for (int w = 0; w < 3; w++)
        if (same_as[w] >= 0)
            out[w] = out[same_as[w]];
    return TUMEN_OK;
}

/* The corridor of a segment while it is built: per resource (the map's and the platforms),
 * the span the convoy holds it and the special's own span (line clear); each convoy train's
 * times at each station of the segment (junctions). */
typedef struct corridor {
    double *lo, *hi, *los, *his;
    double *pt_arr, *pt_dep;    /* [w * np + z], NAN where train w is absent */
    size_t np;
    TM_VEC(size_t) used;
} corridor;

static int corridor_hold(corridor *co, size_t r, double start, double end)
{
    if (co->lo[r] == INFINITY && tm_vec_push(&co->used, r))
        return -1;
    /* fmin and fmax without their NaN rules (the times are numbers): a call each was a
     * share of every segment's corridor */
    if (start < co->lo[r])
        co->lo[r] = start;
    if (end > co->hi[r])
        co->hi[r] = end;
    return 0;
}

/* Adds convoy train w's piece to the corridor: its stairs shifted by its offset, and for the
 * special the platforms of the stations it passes (station_margin either side). */
static int corridor_add(const plan_ctx *c, int w, const tm_sp_piece *pc, corridor *co)
{
    for (size_t b = 0; b < pc->n_occ; b++) {
        size_t r = pc->occ[b].resource;
        if (corridor_hold(co, r, pc->occ[b].start + c->offset[w], pc->occ[b].end + c->offset[w]))
            return -1;
        if (w == 1) {
            if (pc->occ[b].start < co->los[r])
                co->los[r] = pc->occ[b].start;
            if (pc->occ[b].end > co->his[r])
                co->his[r] = pc->occ[b].end;
        }
    }
    for (size_t z = 0; z < pc->n_points && z < co->np; z++) {
        co->pt_arr[w * co->np + z] = pc->arr[z] + c->offset[w];
        co->pt_dep[w * co->np + z] = pc->dep[z] + c->offset[w];
    }
    /* the special passing a station: its platforms, the wider of the margin and the rule
     * set's station clearance either side */
    double sm = fmax(c->sp->station_margin, c->rules.station_clear);
    if (w == 1)
        for (size_t z = 1; z + 1 < pc->n_points; z++)
            if (corridor_hold(co, c->map->n + pc->key.ops[z], pc->arr[z] - sm, pc->arr[z] + sm))
                return -1;
    return 0;
}

/* The segment's needs from its corridor: each resource widened by margin_time (and on
 * single track by opposing_margin); the station track at k held until the convoy can leave
 * (ready, plus the escort's lag and the margins) unless k is the destination. */
static int segment_needs(const plan_ctx *c, size_t i, size_t k, const corridor *co,
                         double stand_start, seg_data *sd, tumen_error *err)
{
    size_t stand_res = c->map->op_base + c->ops[k];
    int dest = k == c->n - 1;
    need_list extra = {0};
    if (security_needs(c, i, k, co->used.items, co->used.n, co->lo, co->hi, co->los, co->his,
                       co->pt_arr, co->pt_dep, &extra) ||
        !(sd->needs = malloc((co->used.n + extra.n + 1) * sizeof *sd->needs))) {
        free(extra.items);
        return oom(err);
    }
    double ready = 0.0;
    for (int w = 0; w < 3; w++)
        if (c->present[w])
            ready = fmax(ready, sd->ready_rel[w]);
    double tail = c->offset[2] + c->params.setup + c->params.sight_reaction + 120.0 +
                  c->sp->margin_time;
    for (size_t u = 0; u < co->used.n; u++) {
        size_t r = co->used.items[u];
        double m = r < c->map->n ? c->sp->margin_time : 0.0;
        if (r < c->map->n && c->map->items[r].kind == TM_RES_SINGLE_TRACK)
            m = fmax(m, c->sp->opposing_margin);
        tm_sp_need nd = {r, co->lo[r] - m, co->hi[r] + m};
        line_clear(c, &nd, co->los[r], co->his[r]);
        if (r == stand_res && !dest)
            nd.end = fmax(nd.end, ready + tail);
        sd->needs[sd->seg.n_needs++] = nd;
    }
    for (size_t u = 0; u < extra.n; u++)
        sd->needs[sd->seg.n_needs++] = extra.items[u];
    free(extra.items);
    sd->seg.needs = sd->needs;
    sd->seg.arrive = sd->run[1];
    sd->seg.ready = ready;
    sd->seg.stand_resource = dest ? (size_t)-1 : stand_res;
    sd->seg.stand_start = (stand_start < INFINITY ? stand_start : sd->run[1]) - c->sp->margin_time;
    sd->seg.stand_tail = tail;
    return TUMEN_OK;
}

/* The segment from station i to k (cached per request): the three convoy trains' pieces
 * joined into one corridor. */
static int segment_cb(void *vctx, size_t i, size_t k, const tm_sp_segment **out,
                      tumen_error *err)
{
    plan_ctx *c = vctx;
    seg_data **slot = &c->cache[i * c->n + k];
    if (*slot) {
        *out = &(*slot)->seg;
        return TUMEN_OK;
    }
    seg_data *sd = calloc(1, sizeof *sd);
    size_t nr = c->freight_base, np = k - i + 1;
    /* The per-resource spans are the request's, kept between segments: a segment touches a
     * few dozen of the network's resources, and filling arrays of all of them for every
     * segment was a large share of a request's time on a large network (the 5,000 km day
     * has 7,741 resources; 33,000 km some 50,000). Only the entries a segment used are put
     * back. */
    if (!c->span[0])
        for (int a = 0; a < 4; a++) {
            if (!(c->span[a] = malloc(nr * sizeof *c->span[a])))
                break;
            for (size_t r = 0; r < nr; r++)
                c->span[a][r] = a % 2 ? -INFINITY : INFINITY;
        }
    corridor co = {c->span[0], c->span[1], c->span[2], c->span[3],
                   malloc(3 * np * sizeof *co.pt_arr), malloc(3 * np * sizeof *co.pt_dep), np,
                   {0}};
    int rc = TUMEN_OK;
    if (!sd || !c->span[0] || !c->span[1] || !c->span[2] || !c->span[3] || !co.pt_arr ||
        !co.pt_dep) {
        rc = oom(err);
        goto done;
    }
    for (size_t z = 0; z < 3 * np; z++)
        co.pt_arr[z] = co.pt_dep[z] = NAN;
    double stand_start = INFINITY;
    size_t stand_res = c->map->op_base + c->ops[k];
    const tm_sp_piece *pcs[3];
    tm_sp_piece *own[3];
    if ((rc = pieces_of(c, i, k, pcs, own, err)) != TUMEN_OK)
        goto done;
    for (int w = 0; w < 3 && rc == TUMEN_OK; w++) {
        if (!c->present[w])
            continue;
        const tm_sp_piece *pc = pcs[w];
        if (corridor_add(c, w, pc, &co))
            rc = oom(err);
        else {
            /* the station track at k: the earliest any convoy train reaches for it */
            if (co.lo[stand_res] < INFINITY)
                stand_start = fmin(stand_start, co.lo[stand_res]);
            sd->run[w] = pc->run;
            sd->ready_rel[w] = pc->run + c->dwell[k];
        }
    }
    for (int w = 0; w < 3; w++)
        tm_sp_piece_free(own[w]);
    if (rc == TUMEN_OK && (rc = segment_needs(c, i, k, &co, stand_start, sd, err)) == TUMEN_OK) {
        *slot = sd;
        *out = &sd->seg;
        sd = NULL;
    }
done:
    if (sd) {
        free(sd->needs);
        free(sd);
    }
    for (size_t u = 0; u < co.used.n; u++) {
        size_t r = co.used.items[u];
        co.lo[r] = co.los[r] = INFINITY;
        co.hi[r] = co.his[r] = -INFINITY;
    }
    free(co.pt_arr);
    free(co.pt_dep);
    free(co.used.items);
    return rc;
}

/* Lower bound from i: the segment to the next required stop, then on. */
static int bound_cb(void *vctx, size_t i, double *h, tumen_error *err)
{
    plan_ctx *c = vctx;
    if (!isnan(c->h[i])) {
        *h = c->h[i];
        return TUMEN_OK;
    }
    size_t k = i + 1;
    while (k < c->n - 1 && c->dwell[k] <= 0.0)
        k++;
    const tm_sp_segment *s;
    int rc = segment_cb(c, i, k, &s, err);
    if (rc != TUMEN_OK)
        return rc;
    if (k == c->n - 1) {
        *h = s->arrive;
    } else {
        double rest;
        if ((rc = bound_cb(c, k, &rest, err)) != TUMEN_OK)
            return rc;
        *h = s->ready + rest;
    }
    c->h[i] = *h;
    return TUMEN_OK;
}

static int sp_error(const tm_special_spec *sp, int line, const char *field, tumen_error *err,
                    const char *what, const char *id)
{
    return tm_error_set(err, TUMEN_EINPUT, sp->file, line, field, "%s '%s' is not defined",
                        what, id);
}

static int resolve_train(const tm_scenario *sc, const tm_special_spec *sp,
                         const tm_special_train *t, const char *key, size_t *train,
                         size_t *changes, tumen_error *err)
{
    char field[64];
    snprintf(field, sizeof field, "special.%s%s", key, *key ? ".train" : "train");
    *train = tm_scenario_find_train(sc, t->train);
    if (*train == (size_t)-1)
        return sp_error(sp, t->line, field, err, "train", t->train);
    for (size_t i = 0; i < t->n_changes; i++) {
        changes[i] = tm_scenario_find_train(sc, t->changes_to[i]);
        if (changes[i] == (size_t)-1)
            return sp_error(sp, t->line, "changes_to", err, "train", t->changes_to[i]);
    }
    return TUMEN_OK;
}

void tm_special_result_free(tm_special_result *r)
{
    if (!r)
        return;
    for (int w = 0; w < 3; w++)
        free(r->runs[w].calls);
    free(r->changes);
    free(r->bands);
    tm_timetable_free(&r->timetable);
    memset(r, 0, sizeof *r);
}

static void ctx_free(plan_ctx *c)
{
    if (c->cache)
        for (size_t i = 0; i < c->n * c->n; i++)
            if (c->cache[i]) {
                free(c->cache[i]->needs);
                free(c->cache[i]);
            }
    free(c->cache);
    free(c->ops);
    for (int w = 0; w < 3; w++) {
        free(c->train[w]);
        free(c->change[w]);
    }
    free(c->dwell);
    free(c->h);
    free(c->step_track);
    free(c->par_first);
    free(c->par);
    for (int a = 0; a < 4; a++)
        free(c->span[a]);
    tm_sp_runs_free(c->runs);
}

/* Tracks parallel to each track, both ways round (a track lists its parallels once). */
static int index_parallels(plan_ctx *c)
{
    const tm_network *net = &c->sc->network;
    size_t nt = net->n_tracks, total = 0;
    c->par_first = calloc(nt + 2, sizeof *c->par_first);
    if (!c->par_first)
        return -1;
    for (size_t t = 0; t < nt; t++)
        for (size_t q = 0; q < net->tracks[t].n_parallel; q++) {
            c->par_first[t + 2]++;
            c->par_first[net->tracks[t].parallel[q].track + 2]++;
            total += 2;
        }
    for (size_t t = 0; t < nt; t++)
        c->par_first[t + 2] += c->par_first[t + 1];
    c->par = malloc((total + 1) * sizeof *c->par);
    if (!c->par)
        return -1;
    for (size_t t = 0; t < nt; t++)
        for (size_t q = 0; q < net->tracks[t].n_parallel; q++) {
            size_t o = net->tracks[t].parallel[q].track;
            c->par[c->par_first[t + 1]++] = o;
            c->par[c->par_first[o + 1]++] = t;
        }
    return 0;
}

typedef struct iv {
    size_t r;
    double a, b;
} iv;

static int by_iv(const void *pa, const void *pb)
{
    const iv *x = pa, *y = pb;
    if (x->r != y->r)
        return x->r < y->r ? -1 : 1;
    return (x->a > y->a) - (x->a < y->a);
}

/* Builds merged busy lists from the background occupations (+ passenger stops as platform
 * resources). */
static int build_busy(const tm_resource_map *map, size_t n_res, const tm_occupation *occ,
                      size_t n_occ, const tm_timetable *tt, double (**items)[2],
                      size_t **first)
{
    iv *v = malloc((3 * n_occ + 1) * sizeof *v);
    *first = calloc(n_res + 1, sizeof **first);
    *items = malloc((3 * n_occ + 1) * sizeof **items);
    if (!v || !*first || !*items) {
        free(v);
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < n_occ; i++) {
        v[m++] = (iv){occ[i].resource, occ[i].start, occ[i].end};
        size_t r = occ[i].resource;
        if (r >= map->op_base && r < map->n &&
            tt->services[occ[i].train].category == TM_CATEGORY_PASSENGER)
            v[m++] = (iv){map->n + map->items[r].op, occ[i].start, occ[i].end};
        /* every train but a passenger train: what a passenger-only window excludes */
        if (tt->services[occ[i].train].category != TM_CATEGORY_PASSENGER)
            v[m++] = (iv){n_res - map->n + r, occ[i].start, occ[i].end};
    }
    if (m > 1)
        qsort(v, m, sizeof *v, by_iv);
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (k > 0 && i > 0 && v[i].r == v[i - 1].r && v[i].a <= (*items)[k - 1][1]) {
            (*items)[k - 1][1] = fmax((*items)[k - 1][1], v[i].b);
            continue;
        }
        (*first)[v[i].r + 1]++;
        (*items)[k][0] = v[i].a;
        (*items)[k][1] = v[i].b;
        k++;
    }
    for (size_t r = 0; r < n_res; r++)
        (*first)[r + 1] += (*first)[r];
    free(v);
    return 0;
}


/* A service of the new timetable for convoy train w, from the plan's calls. */
static int convoy_service(const plan_ctx *c, int w, const tm_special_run *run,
                          tm_service *svc)
{
    memset(svc, 0, sizeof *svc);
    tm_utf8_clip(svc->id, sizeof svc->id, run->id); /* at most 63 bytes: TM_SPECIAL_ID_MAX */
    svc->train = run->train;
    svc->category = TM_CATEGORY_SPECIAL;
    svc->departure = run->calls[0].departure;
    /* One convoy under the special operating order: the block rule between its trains is
     * waived (the lead, lag and margins separate them); every other train is separated. */
    snprintf(svc->convoy, sizeof svc->convoy, "%s", c->sp->id);
    svc->waypoints = malloc(run->n_calls * sizeof *svc->waypoints);
    svc->stops = malloc(run->n_calls * sizeof *svc->stops);
    svc->changes_to = malloc((run->n_changes_to + 1) * sizeof *svc->changes_to);
    if (!svc->waypoints || !svc->stops || !svc->changes_to)
        return -1;
    svc->n_waypoints = run->n_calls;
    for (size_t q = 0; q < run->n_calls; q++) {
        svc->waypoints[q] = run->calls[q].op;
        if (q > 0 && q + 1 < run->n_calls && run->calls[q].stop)
            svc->stops[svc->n_stops++] = (tm_service_stop){
                run->calls[q].op, fmax(0.0, run->calls[q].departure - run->calls[q].arrival -
                                                c->change[w][q])};
    }
    for (size_t q = 0; q < run->n_changes_to; q++)
        svc->changes_to[q] = run->changes_to[q];
    svc->n_changes_to = run->n_changes_to;
    return 0;
}

static int copy_service(const tm_service *in, tm_service *out)
{
    *out = *in;
    out->allowance = NULL; /* before any return: *in's pointer must never be freed twice */
    out->waypoints = malloc((in->n_waypoints + 1) * sizeof *out->waypoints);
    out->stops = malloc((in->n_stops + 2) * sizeof *out->stops);
    out->changes_to = malloc((in->n_changes_to + 1) * sizeof *out->changes_to);
    if (!out->waypoints || !out->stops || !out->changes_to)
        return -1;
    if (in->n_waypoints)
        memcpy(out->waypoints, in->waypoints, in->n_waypoints * sizeof *in->waypoints);
    if (in->n_stops)
        memcpy(out->stops, in->stops, in->n_stops * sizeof *in->stops);
    if (in->n_changes_to)
        memcpy(out->changes_to, in->changes_to, in->n_changes_to * sizeof *in->changes_to);
    if (in->allowance) {
        out->allowance = malloc(sizeof *out->allowance);
        if (!out->allowance)
            return -1;
        if (tm_allowance_spec_copy(out->allowance, in->allowance))
            return -1;
    }
    return 0;
}

/* The convoy's calls from a plan of stops (station indexes, the special's times). */
static int make_calls(plan_ctx *c, const tm_sp_plan *pl, tm_special_result *res,
                      tumen_error *err)
{
    static const char *names[3] = {"pilot", "special", "escort"};
    for (int w = 0; w < 3; w++) {
        if (!c->present[w])
            continue;
        tm_special_run *run = &res->runs[w];
        snprintf(run->id, sizeof run->id, "%s-%s", c->sp->id, names[w]); /* fits: special.h */
        run->train = c->train[w][0];
        run->calls = calloc(c->n, sizeof *run->calls);
        if (!run->calls)
            return oom(err);
        run->n_calls = c->n;
        for (size_t q = 0; q + 1 < pl->n; q++) {
            size_t i = pl->station[q], k = pl->station[q + 1];
            double d = pl->depart[q] + c->offset[w];
            tm_service_run sr;
            int rc = run_piece(c, w, i, k, &sr, err);
            if (rc != TUMEN_OK)
                return rc;
            for (size_t z = 0; z < sr.n_points && i + z <= k; z++) {
                tm_special_call *cl = &run->calls[i + z];
                cl->op = c->ops[i + z];
                if (z > 0)
                    cl->arrival = d + sr.points[z].arrival - sr.departure;
                if (z == 0) {
                    cl->departure = d;
                    cl->stop = 1;
                } else if (i + z != k)
                    cl->departure = cl->arrival;
            }
            tm_service_run_free(&sr);
            tm_special_call *end = &run->calls[k];
            end->stop = 1;
            end->departure = q + 2 < pl->n ? pl->depart[q + 1] + c->offset[w] : end->arrival;
        }
        run->calls[0].arrival = run->calls[0].departure;
    }
    return TUMEN_OK;
}

/* Routes convoy train w over the special's operational points: its consist per step. */
static int route_train(plan_ctx *c, int w, size_t train, const size_t *changes, size_t nch,
                       const tm_service_stop *stops, size_t n_stops, tumen_error *err)
{
    tm_route_request req = {train, changes, nch, c->ops, c->n, stops, n_stops};
    tm_route route;
    int rc = tm_route_find(c->sc, &req, &route, err);
    if (rc == TUMEN_OK && route.n_steps != c->n - 1)
        rc = tm_error_set(err, TUMEN_EINPUT, c->sp->file, c->sp->line, "special",
                          "the %s cannot follow the special's route",
                          w == 0 ? "pilot" : "escort");
    for (size_t i = 0; rc == TUMEN_OK && i + 1 < c->n; i++) {
        c->train[w][i] = route.steps[i].train;
        if (route.change_time)
            c->change[w][i] = route.change_time[i];
        if (route.change_time && route.change_time[i] > c->dwell[i])
            c->dwell[i] = route.change_time[i];
    }
    tm_route_free(&route);
    return rc;
}

static int category_of(const tm_service *s)
{
    return s->category == TM_CATEGORY_PASSENGER ? 0 : s->category == TM_CATEGORY_FREIGHT ? 1 : 2;
}

static int priority_plan(plan_ctx *c, const tm_sp_plan *pl, const tm_special_options *opt,
                         tm_special_result *res, tumen_error *err);

void tm_special_background_free(tm_special_background *bg)
{
    if (!bg)
        return;
    tm_resource_map_free(&bg->map);
    free(bg->occ);
    tm_timetable_result_free(&bg->runs);
    free(bg->items);
    free(bg->first);
    tm_sp_pieces_free(bg->pieces);
    tm_sp_prio_base_free(bg->prio);
    memset(bg, 0, sizeof *bg);
}

/* The background with the timetable options (threads, progress: a cancel stops the runs). */
static int background_build(const tm_scenario *sc, const tm_timetable_options *topt,
                            tm_special_background *bg, tumen_error *err)
{
    memset(bg, 0, sizeof *bg);
    tm_blocking_params_default(&bg->params);
    if (tm_resource_map_build(&sc->network, &bg->map) != TUMEN_OK)
        return oom(err);
    /* the map's resources, each point's platforms, then each resource again for the trains
     * a passenger-only rule excludes (plan/security.h) */
    bg->n_res = bg->map.n + sc->network.n_ops + bg->map.n;
    int rc = tm_timetable_occupations_with(sc, &bg->map, &bg->params, topt, &bg->occ,
                                           &bg->n_occ, &bg->runs, err);
    if (rc == TUMEN_OK && build_busy(&bg->map, bg->n_res, bg->occ, bg->n_occ, &sc->timetable,
                                     &bg->items, &bg->first))
        rc = oom(err);
    /* out of memory already here is reported as such (tests/test_alloc_fail.c), though a
     * table that later cannot grow only means requests run their segments themselves */
    if (rc == TUMEN_OK &&
        (!(bg->pieces = tm_sp_pieces_new()) || !(bg->prio = tm_sp_prio_base_new())))
        rc = oom(err);
    if (rc != TUMEN_OK)
        tm_special_background_free(bg);
    return rc;
}

int tm_special_background_build(const tm_scenario *sc, int threads,
                                tm_special_background *bg, tumen_error *err)
{
    tm_timetable_options topt;
    tm_timetable_options_init(&topt);
    topt.threads = threads;
    return background_build(sc, &topt, bg, err);
}

int tm_special_plan(const tm_scenario *sc, const tm_special_spec *sp,
                    const tm_special_options *opt, tm_special_result *out, tumen_error *err)
{
    memset(out, 0, sizeof *out);
    if (!sp)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "special",
                            "no special train request: give a file with a special: mapping");
    if (sc->network.n_ops == 0)
        return tm_error_set(err, TUMEN_EINPUT, sp->file, sp->line, "special",
                            "the special needs a network: give a file with a network: mapping");
    tm_special_background bg;
    tm_timetable_options topt;
    tm_timetable_options_init(&topt);
    topt.threads = opt ? opt->threads : 1;
    topt.progress = opt ? opt->progress : NULL;
    topt.progress_user = opt ? opt->progress_user : NULL;
    int rc = background_build(sc, &topt, &bg, err);
    if (rc != TUMEN_OK)
        return rc;
    rc = tm_special_plan_with(sc, sp, &bg, opt, out, err);
    tm_special_background_free(&bg);
    return rc;
}

/* The fastest plan: required stops only, each left as soon as allowed (no other train). */
static int fastest_plan(plan_ctx *c, const int *must, const double *notb, double earliest,
                        tm_sp_plan *pl, tumen_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        if (i == 0 || i == c->n - 1 || must[i])
            n++;
    memset(pl, 0, sizeof *pl);
    pl->station = malloc(n * sizeof *pl->station);
    pl->arrive = malloc(n * sizeof *pl->arrive);
    pl->depart = malloc(n * sizeof *pl->depart);
    if (!pl->station || !pl->arrive || !pl->depart)
        return oom(err);
    double d = fmax(earliest, notb[0]), a = d;
    for (size_t i = 0; i < c->n; i++) {
        if (!(i == 0 || i == c->n - 1 || must[i]))
            continue;
        if (pl->n > 0) {
            const tm_sp_segment *s;
            int rc = segment_cb(c, pl->station[pl->n - 1], i, &s, err);
            if (rc != TUMEN_OK)
                return rc;
            a = pl->depart[pl->n - 1] + s->arrive;
            d = fmax(pl->depart[pl->n - 1] + s->ready, notb[i]);
        }
        pl->station[pl->n] = i;
        pl->arrive[pl->n] = a;
        pl->depart[pl->n] = i == c->n - 1 ? a : d;
        pl->n++;
    }
    pl->arrival = a;
    return TUMEN_OK;
}

static void clock_of(double t, char *buf, size_t size)
{
    long s = lround(t);
    snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

/* The corridor of a plan on the tracks, for the diagram: every block and single-track
 * section it holds, from the pilot's start to the escort's end (margins included). */
static int make_bands(plan_ctx *c, const tm_sp_plan *pl, tm_special_result *res,
                      tumen_error *err)
{
    TM_VEC(tm_special_band) v = {0};
    for (size_t q = 0; q + 1 < pl->n; q++) {
        const tm_sp_segment *s;
        int rc = segment_cb(c, pl->station[q], pl->station[q + 1], &s, err);
        if (rc != TUMEN_OK) {
            free(v.items);
            return rc;
        }
        for (size_t z = 0; z < s->n_needs; z++) {
            size_t r = s->needs[z].resource;
            if (r >= c->map->n || c->map->items[r].kind == TM_RES_STATION)
                continue;
            const tm_resource *rs = &c->map->items[r];
            const tm_track *t = &c->sc->network.tracks[rs->track];
            tm_special_band b = {rs->track, 0.0, t->length, pl->depart[q] + s->needs[z].start,
                                 pl->depart[q] + s->needs[z].end};
            if (rs->kind == TM_RES_BLOCK) {
                b.pos0 = rs->start;
                b.pos1 = rs->end;
            }
            if (tm_vec_push(&v, b)) {
                free(v.items);
                return oom(err);
            }
        }
    }
    res->bands = v.items;
    res->n_bands = v.n;
    return TUMEN_OK;
}

/* What the request names, resolved on the scenario: the convoy's consists, the route's
 * waypoints (from, via, to) and the required stops. */
typedef struct resolved {
    size_t train[3];
    size_t wps[TM_SP_MAX_STOPS + 2], n_wps;
    tm_service_stop stops[TM_SP_MAX_STOPS];
} resolved;

static int resolve_request(const tm_scenario *sc, const tm_special_spec *sp,
                           tm_special_result *out, resolved *rq, tumen_error *err)
{
    const tm_special_train *ct[3] = {&sp->pilot, &sp->special, &sp->escort};
    static const char *keys[3] = {"pilot", "", "escort"};
    int rc;
    for (int w = 0; w < 3; w++) {
        if (ct[w]->present &&
            (rc = resolve_train(sc, sp, ct[w], keys[w], &rq->train[w], out->changes_buf[w], err)))
            return rc;
        out->runs[w].changes_to = out->changes_buf[w];
        out->runs[w].n_changes_to = ct[w]->n_changes;
        out->present[w] = ct[w]->present;
    }
    rq->n_wps = 0;
    if ((rq->wps[rq->n_wps++] = tm_network_find_op(&sc->network, sp->from)) == (size_t)-1)
        return sp_error(sp, sp->line, "special.from", err, "operational point", sp->from);
    for (size_t v = 0; v < sp->n_via; v++)
        if ((rq->wps[rq->n_wps++] = tm_network_find_op(&sc->network, sp->via[v])) == (size_t)-1)
            return sp_error(sp, sp->line, "special.via", err, "operational point", sp->via[v]);
    if ((rq->wps[rq->n_wps++] = tm_network_find_op(&sc->network, sp->to)) == (size_t)-1)
        return sp_error(sp, sp->line, "special.to", err, "operational point", sp->to);
    for (size_t q = 0; q < sp->n_stops; q++) {
        rq->stops[q].op = tm_network_find_op(&sc->network, sp->stops[q].at);
        rq->stops[q].dwell = sp->stops[q].dwell;
        if (rq->stops[q].op == (size_t)-1)
            return sp_error(sp, sp->stops[q].line, "special.stops.at", err,
                            "operational point", sp->stops[q].at);
    }
    return TUMEN_OK;
}

/* The station rules of the search: where the convoy must stop (required stops, consist
 * changes) and not before when, where it may stop (a loop long enough for its longest
 * train). Arrays of c->n. */
typedef struct station_rules {
    int *can, *must;
    double *not_before;
} station_rules;

static void station_rules_free(station_rules *st)
{
    free(st->can);
    free(st->must);
    free(st->not_before);
}

/* The special's route as stations of c (ops, consists, change dwells), and the rules. */
static int route_stations(plan_ctx *c, const resolved *rq, const size_t *changes,
                          station_rules *st, tumen_error *err)
{
    const tm_scenario *sc = c->sc;
    const tm_special_spec *sp = c->sp;
    tm_route_request req = {rq->train[1], changes, sp->special.n_changes, rq->wps, rq->n_wps,
                            rq->stops, sp->n_stops};
    tm_route route;
    int rc = tm_route_find(sc, &req, &route, err);
    if (rc != TUMEN_OK) {
        tm_route_free(&route);
        if (rc == TUMEN_EINPUT && !err->file[0]) {
            snprintf(err->file, sizeof err->file, "%s", sp->file);
            err->line = sp->line;
        }
        return rc;
    }
    c->n = route.n_steps + 1;
    c->ops = malloc(c->n * sizeof *c->ops);
    c->dwell = calloc(c->n, sizeof *c->dwell);
    c->h = malloc(c->n * sizeof *c->h);
    c->cache = calloc(c->n * c->n, sizeof *c->cache);
    st->can = calloc(c->n, sizeof *st->can);
    st->must = calloc(c->n, sizeof *st->must);
    st->not_before = malloc(c->n * sizeof *st->not_before);
    c->step_track = malloc(c->n * sizeof *c->step_track);
    int bad = !c->ops || !c->dwell || !c->h || !c->cache || !st->can || !st->must ||
              !st->not_before || !c->step_track || index_parallels(c);
    for (int w = 0; w < 3; w++) {
        c->train[w] = calloc(c->n, sizeof *c->train[w]);
        c->change[w] = calloc(c->n, sizeof *c->change[w]);
        bad = bad || !c->train[w] || !c->change[w];
    }
    if (bad) {
        tm_route_free(&route);
        return oom(err);
    }
    c->ops[0] = route.origin;
    for (size_t i = 0; i < route.n_steps; i++) {
        const tm_track *t = &sc->network.tracks[route.steps[i].track];
        c->ops[i + 1] = route.steps[i].forward ? t->to : t->from;
        c->step_track[i] = route.steps[i].track;
        c->train[1][i] = route.steps[i].train;
        if (route.change_time && route.change_time[i] > 0.0)
            c->dwell[i] = c->change[1][i] = route.change_time[i];
    }
    tm_route_free(&route);
    double need = 0.0; /* the longest convoy train must fit a loop to wait in */
    for (int w = 0; w < 3; w++)
        if (c->present[w])
            need = fmax(need, sc->trains[rq->train[w]].length);
    for (size_t i = 0; i < c->n; i++) {
        c->h[i] = NAN;
        st->not_before[i] = -INFINITY;
        for (size_t q = 0; q < sp->n_stops; q++)
            if (rq->stops[q].op == c->ops[i]) {
                c->dwell[i] = fmax(c->dwell[i], rq->stops[q].dwell);
                st->must[i] = 1;
                st->not_before[i] = sp->stops[q].not_before;
            }
        if (c->dwell[i] > 0.0)
            st->must[i] = 1;
        st->can[i] = tm_op_longest_loop(&sc->network.ops[c->ops[i]]) >= need &&
                     sc->network.ops[c->ops[i]].n_loops >= 1;
    }
    return TUMEN_OK;
}

/* Fit: the earliest clear plan by the latest arrival, else why not and the earliest clear
 * one after it. */
static int solve_fit(tm_sp_problem *p, const tm_special_options *opt,
                     tm_special_result *out, tm_sp_plan *pl, tumen_error *err)
{
    double alt;
    if (opt && opt->inspect)
        opt->inspect(opt->user, p, NULL);
    int rc = tm_sp_fit(p, pl, &alt, err);
    if (rc == TUMEN_EINPUT) {
        /* Not bad input: the request cannot be met. Say why; plan the alternative. */
        out->infeasible = 1;
        snprintf(out->why, sizeof out->why, "%s", err->message);
        tm_error_clear(err);
        if (alt < 0.0)
            return TUMEN_OK;
        p->latest = INFINITY;
        rc = tm_sp_fit(p, pl, &alt, err);
    }
    return rc;
}

/* Priority: the fastest run, the other trains held or cancelled at least cost. */
static int solve_priority(plan_ctx *c, const tm_special_options *opt, tm_special_result *out,
                          tm_sp_plan *pl, tm_sp_plan *fast, tumen_error *err)
{
    *pl = *fast;
    memset(fast, 0, sizeof *fast);
    if (pl->arrival > c->sp->latest + 1e-9) {
        char late[32], when[32];
        clock_of(pl->arrival, when, sizeof when);
        clock_of(pl->arrival - c->sp->latest, late, sizeof late);
        out->infeasible = 1;
        snprintf(out->why, sizeof out->why,
                 "latest_arrival: even the fastest run (leaving at the earliest, the "
                 "required stops kept, every other train out of the way) arrives at %s, "
                 "%s after the latest arrival; the plan below is that run",
                 when, late);
    }
    int rc = priority_plan(c, pl, opt, out, err);
    pl->expansions = out->expansions; /* the branch and bound's nodes */
    return rc;
}

/* The new timetable: the others as retimed (cancelled ones left out), then the convoy. */
static int new_timetable(const plan_ctx *c, tm_special_result *out, tumen_error *err)
{
    const tm_timetable *tt = &c->sc->timetable;
    if (tm_name_format(&out->timetable.name, "%s with %s", tm_name_or(tt->name, "timetable"),
                       c->sp->id))
        return oom(err);
    memcpy(out->timetable.date, tt->date, sizeof tt->date);
    out->timetable.services = calloc(tt->n_services + 3, sizeof *out->timetable.services);
    if (!out->timetable.services)
        return oom(err);
    for (size_t s = 0; s < tt->n_services; s++) {
        const tm_special_change *ch = NULL;
        for (size_t q = 0; q < out->n_changes; q++)
            if (out->changes[q].service == s)
                ch = &out->changes[q];
        if (ch && ch->cancelled)
            continue;
        tm_service *o = &out->timetable.services[out->timetable.n_services++];
        if (copy_service(&tt->services[s], o))
            return oom(err);
        if (!ch)
            continue;
        if (ch->at_origin)
            o->departure += ch->delay;
        else {
            size_t q = 0;
            while (q < o->n_stops && o->stops[q].op != ch->op)
                q++;
            if (q == o->n_stops)
                o->stops[o->n_stops++] = (tm_service_stop){ch->op, 0.0};
            o->stops[q].dwell += ch->delay;
        }
    }
    for (int w = 0; w < 3; w++)
        if (c->present[w]) {
            tm_service *o = &out->timetable.services[out->timetable.n_services++];
            if (convoy_service(c, w, &out->runs[w], o))
                return oom(err);
        }
    return TUMEN_OK;
}

int tm_special_plan_with(const tm_scenario *sc, const tm_special_spec *sp,
                         const tm_special_background *bg, const tm_special_options *opt,
                         tm_special_result *out, tumen_error *err)
{
    memset(out, 0, sizeof *out);
    if (!sp)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "special",
                            "no special train request: give a file with a special: mapping");
    if (sc->network.n_ops == 0)
        return tm_error_set(err, TUMEN_EINPUT, sp->file, sp->line, "special",
                            "the special needs a network: give a file with a network: mapping");
    plan_ctx c;
    memset(&c, 0, sizeof c);
    c.sc = sc;
    c.sp = sp;
    c.bg = bg;
    c.map = &bg->map;
    c.params = bg->params;
    c.n_res = bg->n_res;
    c.freight_base = bg->map.n + sc->network.n_ops;
    c.rules = sp->security;
    tm_sp_plan pl, fast;
    memset(&pl, 0, sizeof pl);
    memset(&fast, 0, sizeof fast);
    station_rules st = {NULL, NULL, NULL};
    resolved rq;
    memset(&rq, 0, sizeof rq);
    int mode = opt && opt->mode >= 0 ? opt->mode : (int)sp->mode;
    out->mode = (tm_special_mode)mode;
    int rc = resolve_request(sc, sp, out, &rq, err);
    if (rc != TUMEN_OK)
        return rc;
    const tm_special_train *ct[3] = {&sp->pilot, &sp->special, &sp->escort};
    for (int w = 0; w < 3; w++)
        c.present[w] = ct[w]->present;
    c.offset[0] = -fmax(sp->pilot.offset, c.rules.pilot_lead);
    c.offset[2] = sp->escort.offset;
    /* No convoy train leaves before the timetable's day begins (a timetable holds no
     * negative clock time): with a pilot, the special leaves at least its lead after
     * midnight. */
    double earliest = fmax(sp->earliest, c.present[0] ? -c.offset[0] : 0.0);
    if ((rc = route_stations(&c, &rq, out->changes_buf[1], &st, err)) != TUMEN_OK)
        goto done;
    if (!(c.runs = tm_sp_runs_new(sc, c.ops, c.n))) {
        rc = oom(err);
        goto done;
    }
    for (int w = 0; w < 3; w += 2)
        if (c.present[w] && (rc = route_train(&c, w, rq.train[w], out->changes_buf[w],
                                              ct[w]->n_changes, rq.stops, sp->n_stops, err)))
            goto done;
    if (!c.present[0])
        memcpy(c.train[0], c.train[1], c.n * sizeof *c.train[0]);
    if (!c.present[2])
        memcpy(c.train[2], c.train[1], c.n * sizeof *c.train[2]);
    tm_sp_busy busy = {(const double(*)[2])bg->items, bg->first, c.n_res};
    tm_sp_problem p = {c.n,  st.can, st.must, st.not_before, earliest, sp->latest, &busy, &c,
                       segment_cb, bound_cb, 0, {opt ? opt->progress : NULL,
                                                 opt ? opt->progress_user : NULL}};
    double h0;
    if ((rc = bound_cb(&c, 0, &h0, err)) != TUMEN_OK)
        goto done;
    out->fastest = h0;
    if ((rc = fastest_plan(&c, st.must, st.not_before, earliest, &fast, err)) != TUMEN_OK)
        goto done;
    out->fastest_arrival = fast.arrival;
    rc = mode == TM_SPECIAL_FIT ? solve_fit(&p, opt, out, &pl, err)
                                : solve_priority(&c, opt, out, &pl, &fast, err);
    if (rc != TUMEN_OK || (mode == TM_SPECIAL_FIT && out->infeasible && !pl.n))
        goto done;
    out->has_plan = 1;
    out->arrival = pl.arrival;
    out->departure = pl.depart[0];
    out->expansions = pl.expansions;
    out->segments = pl.segments;
    if ((rc = make_calls(&c, &pl, out, err)) == TUMEN_OK &&
        (rc = make_bands(&c, &pl, out, err)) == TUMEN_OK)
        rc = new_timetable(&c, out, err);
done:
    if (rc != TUMEN_OK)
        tm_special_result_free(out);
    tm_sp_plan_free(&pl);
    tm_sp_plan_free(&fast);
    station_rules_free(&st);
    ctx_free(&c);
    return rc;
}

/* The corridor of plan pl on the clock, split into the map's resources, the platform
 * windows and the freight windows (a passenger-only rule). */
static int corridor_needs(plan_ctx *c, const tm_sp_plan *pl, need_list *corr,
                          need_list *plat, need_list *freight, tumen_error *err)
{
    for (size_t q = 0; q + 1 < pl->n; q++) {
        const tm_sp_segment *s;
        int rc = segment_cb(c, pl->station[q], pl->station[q + 1], &s, err);
        if (rc != TUMEN_OK)
            return rc;
        for (size_t z = 0; z < s->n_needs; z++) {
            tm_sp_need nd = s->needs[z];
            nd.start += pl->depart[q];
            nd.end += pl->depart[q];
            if (nd.resource == s->stand_resource && q + 2 < pl->n)
                nd.end = fmax(nd.end, pl->depart[q + 1] + s->stand_tail);
            need_list *to = corr;
            if (nd.resource >= c->freight_base) {
                nd.resource -= c->freight_base;
                to = freight;
            } else if (nd.resource >= c->map->n) {
                nd.resource = c->map->op_base + (nd.resource - c->map->n);
                to = plat;
            }
            if (tm_vec_push(to, nd))
                return oom(err);
        }
    }
    return TUMEN_OK;
}

static int priority_plan(plan_ctx *c, const tm_sp_plan *pl, const tm_special_options *opt,
                         tm_special_result *res, tumen_error *err)
{
    const tm_scenario *sc = c->sc;
    const tm_timetable *tt = &sc->timetable;
    size_t ns = tt->n_services;
    need_list corr = {0}, plat = {0}, freight = {0};
    const tm_sp_cancel cancel = {opt ? opt->progress : NULL, opt ? opt->progress_user : NULL};
    const tm_sp_prio_base *base = tm_sp_prio_base_get(sc, c->bg);
    tm_sp_train *trains = malloc((ns ? ns : 1) * sizeof *trains);
    tm_sp_priority_plan pp;
    memset(&pp, 0, sizeof pp);
    if (!base || !trains) {
        free(trains);
        return oom(err);
    }
    int rc = corridor_needs(c, pl, &corr, &plat, &freight, err);
    if (rc != TUMEN_OK)
        goto done;
    /* the day's trains as the background derived them, with this request's costs */
    memcpy(trains, tm_sp_prio_base_trains(base), ns * sizeof *trains);
    for (size_t s = 0; s < ns; s++) {
        int cat = category_of(&tt->services[s]);
        trains[s].cost_per_s = c->sp->delay_cost[cat];
        trains[s].cancel_cost = c->sp->cancel_cost[cat];
    }
    tm_sp_priority_problem pr = {.trains = trains,
                                 .n_trains = ns,
                                 .corridor = corr.items,
                                 .n_corridor = corr.n,
                                 .platform_windows = plat.items,
                                 .n_platform_windows = plat.n,
                                 .capacity = c->map->capacity,
                                 .n_resources = c->map->n,
                                 .max_nodes = c->sp->max_nodes,
                                 .group = tm_sp_prio_base_group(base),
                                 .freight_windows = freight.items,
                                 .n_freight_windows = freight.n,
                                 .index = tm_sp_prio_base_index(base),
                                 .cancel = cancel};
    if (opt && opt->inspect)
        opt->inspect(opt->user, NULL, &pr);
    if ((rc = tm_sp_priority(&pr, &pp, err)) != TUMEN_OK)
        goto done;
    res->changes = calloc(pp.n + 1, sizeof *res->changes);
    if (!res->changes)
        goto oom_;
    for (size_t q = 0; q < pp.n; q++) {
        const tm_sp_decision *d = &pp.decisions[q];
        tm_special_change *ch = &res->changes[res->n_changes++];
        ch->service = d->train;
        ch->cancelled = d->cancelled;
        ch->delay = d->delay;
        ch->cost = d->cost;
        int cat = category_of(&tt->services[d->train]);
        if (d->cancelled)
            res->cancelled[cat]++;
        else {
            const tm_sp_hold_point *h = &trains[d->train].holds[d->hold];
            ch->op = h->op;
            ch->at_origin = h->origin;
            res->delay_s[cat] += d->delay;
        }
    }
    res->cost = pp.cost;
    res->lower_bound = pp.lower_bound;
    res->exact = pp.exact;
    res->expansions = pp.nodes;
    goto done;
oom_:
    rc = oom(err);
done:
    tm_sp_priority_plan_free(&pp);
    free(corr.items);
    free(plat.items);
    free(freight.items);
    free(trains);
    return rc;
}
