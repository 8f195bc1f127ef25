/* import_graph.c: the fine topology of an imported file reduced to tumen's network
 * (import_graph.h has the rules). Union-find joins the nodes that are one place; each raw
 * track is cut at the nodes on it; each piece becomes a track whose sections come from the
 * ranges over it.
 */
#include "formats/import_graph.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/vec.h"
#include "core/error.h"
#include "formats/readers.h"

#define SAME_POS 1e-3 /* m: nodes on one track closer than this are one place */

/* Copies a, then suffix, into dst (TM_ID_LEN), truncating a so that the suffix fits. */
static void compose_id(char *dst, size_t size, const char *a, const char *suffix)
{
    size_t ls = strlen(suffix);
    if (ls >= size)
        ls = size - 1;
    /* Shortened (the piece suffix must fit; the caller makes a shortened id unique) only
     * at a UTF-8 character boundary, never inside a character. */
    size_t la = tm_utf8_prefix(a, size - 1 - ls);
    memcpy(dst, a, la);
    memcpy(dst + la, suffix, ls);
    dst[la + ls] = '\0';
}

void tm_ig_free(tm_import_graph *g)
{
    for (size_t i = 0; i < g->tracks.n; i++) {
        tm_ig_track *t = &g->tracks.items[i];
        free(t->cuts.items);
        free(t->ranges.items);
        free(t->signals.items);
        for (size_t k = 0; k < t->structures.n; k++)
            free(t->structures.items[k].name);
        free(t->structures.items);
        free(t->lat.items);
        free(t->lon.items);
    }
    free(g->tracks.items);
    for (size_t i = 0; i < g->nodes.n; i++)
        free(g->nodes.items[i].name);
    free(g->nodes.items);
    free(g->links.items);
    memset(g, 0, sizeof *g);
}

size_t tm_ig_node_add(tm_import_graph *g, const char *id, const char *name, tm_ig_rank rank,
                      tm_op_kind kind)
{
    tm_ig_node n;
    memset(&n, 0, sizeof n);
    compose_id(n.id, sizeof n.id, id, "");
    if (!(n.name = tm_strdup(name && *name ? name : id)))
        return (size_t)-1;
    n.rank = rank;
    n.kind = kind;
    n.lat = n.lon = NAN;
    n.parent = g->nodes.n;
    if (tm_vec_push(&g->nodes, n)) {
        free(n.name);
        return (size_t)-1;
    }
    return g->nodes.n - 1;
}

size_t tm_ig_find(tm_import_graph *g, size_t node)
{
    size_t root = node;
    while (g->nodes.items[root].parent != root)
        root = g->nodes.items[root].parent;
    while (g->nodes.items[node].parent != root) { /* path compression */
        size_t next = g->nodes.items[node].parent;
        g->nodes.items[node].parent = root;
        node = next;
    }
    return root;
}

void tm_ig_join(tm_import_graph *g, size_t a, size_t b)
{
    a = tm_ig_find(g, a);
    b = tm_ig_find(g, b);
    if (a == b)
        return;
    /* The lower index stays the root: the result does not depend on the order of joins. */
    if (a < b)
        g->nodes.items[b].parent = a;
    else
        g->nodes.items[a].parent = b;
}

size_t tm_ig_track_add(tm_import_graph *g, const char *id, double length)
{
    tm_ig_track t;
    char end_id[TM_ID_LEN];
    memset(&t, 0, sizeof t);
    compose_id(t.id, sizeof t.id, id, "");
    t.length = length;
    compose_id(end_id, sizeof end_id, id, ".begin");
    size_t b = tm_ig_node_add(g, end_id, NULL, TM_IG_END, TM_OP_JUNCTION);
    compose_id(end_id, sizeof end_id, id, ".end");
    size_t e = tm_ig_node_add(g, end_id, NULL, TM_IG_END, TM_OP_JUNCTION);
    if (b == (size_t)-1 || e == (size_t)-1 || tm_vec_push(&g->tracks, t))
        return (size_t)-1;
    size_t k = g->tracks.n - 1;
    if (tm_ig_cut_add(g, k, 0.0, b) || tm_ig_cut_add(g, k, length, e))
        return (size_t)-1;
    return k;
}

size_t tm_ig_track_end(const tm_import_graph *g, size_t track, int end)
{
    return g->tracks.items[track].cuts.items[end ? 1 : 0].node;
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

int tm_ig_cut_add(tm_import_graph *g, size_t track, double pos, size_t node)
{
    tm_ig_track *t = &g->tracks.items[track];
    tm_ig_cut c = {clamp(pos, 0.0, t->length), node};
    return tm_vec_push(&t->cuts, c);
}

int tm_ig_range_add(tm_import_graph *g, size_t track, tm_ig_prop prop, double from, double to,
                    int dir, double value)
{
    tm_ig_track *t = &g->tracks.items[track];
    if (from > to) {
        double x = from;
        from = to;
        to = x;
    }
    from = clamp(from, 0.0, t->length);
    to = clamp(to, 0.0, t->length);
    if (!(to - from > 1e-9))
        return 0;
    tm_ig_range r = {from, to, dir, prop, value};
    return tm_vec_push(&t->ranges, r);
}

int tm_ig_signal_add(tm_import_graph *g, size_t track, double pos, int dir, const char *id)
{
    tm_ig_track *t = &g->tracks.items[track];
    tm_signal s;
    memset(&s, 0, sizeof s);
    s.position = clamp(pos, 0.0, t->length);
    s.direction = dir;
    compose_id(s.id, sizeof s.id, id ? id : "", "");
    return tm_vec_push(&t->signals, s);
}

int tm_ig_structure_add(tm_import_graph *g, size_t track, const tm_structure *st,
                        const char *name)
{
    tm_ig_track *t = &g->tracks.items[track];
    tm_structure x = *st;
    x.position = clamp(x.position, 0.0, t->length);
    x.length = clamp(x.length, 0.0, t->length - x.position);
    x.name = x.road = NULL;
    if (tm_name_set(&x.name, name))
        return -1;
    if (tm_vec_push(&t->structures, x)) {
        free(x.name);
        return -1;
    }
    return 0;
}

/* The structures starting on [a, b) of raw track t (the last piece takes its end), moved
 * onto piece k and cut at its end. */
static int piece_structures(const tm_ig_track *t, double a, double b, tm_track *k)
{
    size_t n = 0;
    for (size_t i = 0; i < t->structures.n; i++) {
        double p = t->structures.items[i].position;
        n += p >= a - 1e-9 && (p < b || (b >= t->length - 1e-9 && p <= b + 1e-9));
    }
    if (!n)
        return 0;
    if (!(k->structures = malloc(n * sizeof *k->structures)))
        return -1;
    for (size_t i = 0; i < t->structures.n; i++) {
        tm_structure x = t->structures.items[i];
        if (!(x.position >= a - 1e-9 &&
              (x.position < b || (b >= t->length - 1e-9 && x.position <= b + 1e-9))))
            continue;
        x.position = clamp(x.position - a, 0.0, k->length);
        x.length = fmin(x.length, k->length - x.position);
        x.name = NULL; /* the piece owns a copy: tm_ig_free frees the raw track's */
        if (tm_name_set(&x.name, t->structures.items[i].name))
            return -1;
        k->structures[k->n_structures++] = x;
    }
    return 0;
}

int tm_ig_shape_add(tm_import_graph *g, size_t track, double lat, double lon)
{
    tm_ig_track *t = &g->tracks.items[track];
    if (tm_vec_push(&t->lat, lat) || tm_vec_push(&t->lon, lon))
        return -1;
    return 0;
}

double tm_geo_distance(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371008.8, d = 3.14159265358979323846 / 180.0; /* mean Earth radius, m */
    double p1 = lat1 * d, p2 = lat2 * d, dp = (lat2 - lat1) * d, dl = (lon2 - lon1) * d;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 2.0 * r * atan2(sqrt(a), sqrt(1.0 - a));
}

void tm_polylines_free(tm_polyline *p, size_t n)
{
    if (!p)
        return;
    for (size_t i = 0; i < n; i++) {
        free(p[i].lat);
        free(p[i].lon);
    }
    free(p);
}

/* ---- Building ------------------------------------------------------------------------ */

static int cmp_cut(const void *a, const void *b)
{
    const tm_ig_cut *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

/* A shape's cumulative distances scaled to the track's length (NULL when no shape). */
static double *shape_positions(const tm_ig_track *t)
{
    size_t n = t->lat.n;
    if (n < 2)
        return NULL;
    double *s = malloc(n * sizeof *s);
    if (!s)
        return NULL;
    s[0] = 0.0;
    for (size_t i = 1; i < n; i++)
        s[i] = s[i - 1] + tm_geo_distance(t->lat.items[i - 1], t->lon.items[i - 1],
                                          t->lat.items[i], t->lon.items[i]);
    double total = s[n - 1];
    for (size_t i = 0; i < n; i++)
        s[i] = total > 0.0 ? s[i] / total * t->length : t->length * (double)i / (double)(n - 1);
    return s;
}

/* The shape's point at pos. */
static void shape_at(const tm_ig_track *t, const double *s, double pos, double *lat, double *lon)
{
    size_t n = t->lat.n, i = 1;
    while (i < n - 1 && s[i] < pos)
        i++;
    double span = s[i] - s[i - 1], f = span > 0.0 ? (pos - s[i - 1]) / span : 0.0;
    f = clamp(f, 0.0, 1.0);
    *lat = t->lat.items[i - 1] + f * (t->lat.items[i] - t->lat.items[i - 1]);
    *lon = t->lon.items[i - 1] + f * (t->lon.items[i] - t->lon.items[i - 1]);
}

static int cut_shape(const tm_ig_track *t, const double *s, double a, double b, tm_polyline *out)
{
    size_t n = t->lat.n, k = 0;
    out->lat = malloc((n + 2) * sizeof *out->lat);
    out->lon = malloc((n + 2) * sizeof *out->lon);
    if (!out->lat || !out->lon)
        return -1;
    shape_at(t, s, a, &out->lat[k], &out->lon[k]);
    k++;
    for (size_t i = 0; i < n; i++)
        if (s[i] > a + SAME_POS && s[i] < b - SAME_POS) {
            out->lat[k] = t->lat.items[i];
            out->lon[k] = t->lon.items[i];
            k++;
        }
    shape_at(t, s, b, &out->lat[k], &out->lon[k]);
    out->n = k + 1;
    return 0;
}

typedef struct build_state {
    tm_import_graph *g;
    tm_network *net;
    size_t *op_of;              /* node -> op index, for roots */
    TM_VEC(tm_polyline) shapes;
    size_t *first_piece, *last_piece; /* raw track -> its first and last network track */
} build_state;

tm_ig_attach tm_ig_end_attach(const tm_import_graph *g, size_t track, int end)
{
    tm_ig_attach x = {track, end ? g->tracks.items[track].length : 0.0, end ? -1 : +1};
    return x;
}

int tm_ig_link_add_at(tm_import_graph *g, tm_ig_attach a, tm_ig_attach b, double speed_limit)
{
    tm_ig_link l = {a, b, speed_limit};
    g->has_topology = 1;
    return tm_vec_push(&g->links, l) ? -1 : 0;
}

int tm_ig_link_add(tm_import_graph *g, size_t track_a, int end_a, size_t track_b, int end_b,
                   double speed_limit)
{
    return tm_ig_link_add_at(g, tm_ig_end_attach(g, track_a, end_a),
                             tm_ig_end_attach(g, track_b, end_b), speed_limit);
}

/* The network track end an attachment stands for, or (size_t)-1 when no piece of the raw
 * track ends or starts there (a piece too short to keep). The pieces of raw track r are the
 * network tracks first_piece[r] .. last_piece[r], laid from its start in order. */
static size_t attach_end(const build_state *st, tm_ig_attach x)
{
    size_t first = st->first_piece[x.track], last = st->last_piece[x.track];
    if (first == (size_t)-1)
        return (size_t)-1;
    double at = 0.0; /* position of the current piece's start along the raw track */
    for (size_t t = first; t <= last; t++) {
        double len = st->net->tracks[t].length;
        if (x.side > 0 && fabs(at - x.pos) <= SAME_POS)
            return TM_TRACK_END(t, 0);
        if (x.side < 0 && fabs(at + len - x.pos) <= SAME_POS)
            return TM_TRACK_END(t, 1);
        at += len;
    }
    /* Positions are rounded where pieces were dropped: the ends of the track hold. */
    if (x.side > 0 && x.pos <= SAME_POS)
        return TM_TRACK_END(first, 0);
    if (x.side < 0 && x.pos >= at - SAME_POS)
        return TM_TRACK_END(last, 1);
    return (size_t)-1;
}

/* The network's connections from the file's links, once every raw track is cut into pieces. */
static int build_connections(build_state *st)
{
    const tm_import_graph *g = st->g;
    for (size_t i = 0; i < g->links.n; i++) {
        const tm_ig_link *l = &g->links.items[i];
        size_t a = attach_end(st, l->a), b = attach_end(st, l->b);
        if (a == (size_t)-1 || b == (size_t)-1 || a == b)
            continue;
        if (tm_track_end_op(st->net, a) != tm_track_end_op(st->net, b))
            continue; /* the file joins ends that are not one place: nothing to connect */
        if (tm_network_add_connection(st->net, a, b, l->speed_limit))
            return -1;
    }
    return 0;
}

/* Values of the properties at position x of track t. */
static void props_at(const tm_import_graph *g, const tm_ig_track *t, double x,
                     tm_track_section *sec)
{
    double fwd = INFINITY, back = INFINITY, grad = 0.0, radius = 0.0;
    int neutral = 0;
    for (size_t i = 0; i < t->ranges.n; i++) {
        const tm_ig_range *r = &t->ranges.items[i];
        if (x < r->from || x > r->to)
            continue;
        switch (r->prop) {
        case TM_IG_SPEED:
            if (r->dir >= 0 && r->value < fwd)
                fwd = r->value;
            if (r->dir <= 0 && r->value < back)
                back = r->value;
            break;
        case TM_IG_GRADIENT:
            grad = r->dir < 0 ? -r->value : r->value;
            break;
        case TM_IG_RADIUS:
            radius = r->value;
            break;
        case TM_IG_ELEC:
            break;
        case TM_IG_NEUTRAL:
            neutral |= (r->dir >= 0 ? 1 : 0) | (r->dir <= 0 ? 2 : 0);
            break;
        }
    }
    if (isinf(fwd))
        fwd = back;
    if (isinf(back))
        back = fwd;
    if (isinf(fwd))
        fwd = back = g->default_speed;
    sec->speed_limit = fwd;
    sec->speed_limit_back = back;
    sec->gradient = grad;
    sec->radius = radius;
    sec->neutral = neutral;
}

static int same_props(const tm_track_section *a, const tm_track_section *b)
{
    return a->speed_limit == b->speed_limit && a->speed_limit_back == b->speed_limit_back &&
           a->gradient == b->gradient && a->radius == b->radius && a->neutral == b->neutral;
}

static tm_electrification piece_electrification(const tm_ig_track *t, double a, double b)
{
    double cover[TM_ELEC_COUNT_] = {0};
    double covered = 0.0;
    for (size_t i = 0; i < t->ranges.n; i++) {
        const tm_ig_range *r = &t->ranges.items[i];
        int v = (int)r->value;
        if (r->prop != TM_IG_ELEC || v < 0 || v >= TM_ELEC_COUNT_)
            continue;
        double lo = r->from > a ? r->from : a, hi = r->to < b ? r->to : b;
        if (hi > lo) {
            cover[v] += hi - lo;
            covered += hi - lo;
        }
    }
    cover[TM_ELEC_NONE] += (b - a) - covered > 0.0 ? (b - a) - covered : 0.0;
    int best = TM_ELEC_NONE;
    for (int v = 0; v < TM_ELEC_COUNT_; v++)
        if (cover[v] > cover[best])
            best = v;
    return (tm_electrification)best;
}

/* Sections of the piece [a, b] of t, positions from a. */
static int piece_sections(const tm_import_graph *g, const tm_ig_track *t, double a, double b,
                          tm_track *out)
{
    size_t nb = 2;
    for (size_t i = 0; i < t->ranges.n; i++)
        nb += 2;
    double *x = malloc(nb * sizeof *x);
    if (!x)
        return -1;
    size_t n = 0;
    x[n++] = a;
    x[n++] = b;
    for (size_t i = 0; i < t->ranges.n; i++) {
        const tm_ig_range *r = &t->ranges.items[i];
        if (r->prop == TM_IG_ELEC)
            continue;
        if (r->from > a + SAME_POS && r->from < b - SAME_POS)
            x[n++] = r->from;
        if (r->to > a + SAME_POS && r->to < b - SAME_POS)
            x[n++] = r->to;
    }
    qsort(x, n, sizeof *x, tm_cmp_double);
    out->sections = malloc(n * sizeof *out->sections);
    if (!out->sections) {
        free(x);
        return -1;
    }
    out->n_sections = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (!(x[i + 1] - x[i] > SAME_POS / 2))
            continue;
        tm_track_section sec;
        props_at(g, t, 0.5 * (x[i] + x[i + 1]), &sec);
        sec.start = x[i] - a;
        sec.end = x[i + 1] - a;
        tm_track_section *last = out->n_sections ? &out->sections[out->n_sections - 1] : NULL;
        if (last && same_props(last, &sec))
            last->end = sec.end;
        else
            out->sections[out->n_sections++] = sec;
    }
    free(x);
    if (out->n_sections == 0) {
        props_at(g, t, 0.5 * (a + b), &out->sections[0]);
        out->n_sections = 1;
    }
    out->sections[0].start = 0.0;
    out->sections[out->n_sections - 1].end = out->length;
    for (size_t i = 1; i < out->n_sections; i++)
        out->sections[i].start = out->sections[i - 1].end;
    return 0;
}

static int add_op(build_state *st, const tm_ig_node *best, tm_op_kind kind, size_t *index)
{
    char *name = tm_strdup(best->name);
    tm_op *ops = name ? realloc(st->net->ops, (st->net->n_ops + 1) * sizeof *ops) : NULL;
    if (!ops) {
        free(name);
        return -1;
    }
    st->net->ops = ops;
    tm_op *op = &ops[st->net->n_ops];
    memset(op, 0, sizeof *op);
    memcpy(op->id, best->id, sizeof op->id);
    op->name = name;
    op->kind = kind;
    op->lat = best->lat;
    op->lon = best->lon;
    op->has_position = best->has_position;
    *index = st->net->n_ops++;
    return 0;
}

static int add_piece(build_state *st, const tm_ig_track *t, const double *shape_s, double a,
                     double b, size_t from, size_t to, const char *id)
{
    tm_network *net = st->net;
    tm_track *tracks = realloc(net->tracks, (net->n_tracks + 1) * sizeof *tracks);
    if (!tracks)
        return -1;
    net->tracks = tracks;
    tm_track *k = &tracks[net->n_tracks];
    memset(k, 0, sizeof *k);
    compose_id(k->id, sizeof k->id, id, "");
    k->from = from;
    k->to = to;
    k->length = b - a;
    k->main_tracks = t->main_tracks > 0 ? t->main_tracks : 1;
    k->gauges[0] = t->gauge > 0 ? t->gauge : 1435;
    k->n_gauges = 1;
    k->curve_law = TM_CURVE_ROECKL;
    k->electrification = piece_electrification(t, a, b);
    tm_polyline pl = {NULL, NULL, 0};
    if (piece_sections(st->g, t, a, b, k) || (shape_s && cut_shape(t, shape_s, a, b, &pl)) ||
        tm_vec_push(&st->shapes, pl)) {
        free(k->sections);
        free(pl.lat);
        free(pl.lon);
        return -1;
    }
    net->n_tracks++;
    size_t ns = 0;
    for (size_t i = 0; i < t->signals.n; i++) {
        double p = t->signals.items[i].position;
        if (p >= a - 1e-9 && (p < b || (b >= t->length - 1e-9 && p <= b + 1e-9)))
            ns++;
    }
    if (ns) {
        k->signals = malloc(ns * sizeof *k->signals);
        if (!k->signals)
            return -1;
        for (size_t i = 0; i < t->signals.n; i++) {
            double p = t->signals.items[i].position;
            if (p >= a - 1e-9 && (p < b || (b >= t->length - 1e-9 && p <= b + 1e-9))) {
                k->signals[k->n_signals] = t->signals.items[i];
                k->signals[k->n_signals].position = clamp(p - a, 0.0, k->length);
                k->n_signals++;
            }
        }
    }
    if (piece_structures(t, a, b, k))
        return -1;
    /* Positions of the ends from the shape where the file gave none. */
    if (shape_s) {
        tm_op *f = &net->ops[from], *e = &net->ops[to];
        if (!f->has_position) {
            f->lat = pl.lat[0];
            f->lon = pl.lon[0];
            f->has_position = 1;
        }
        if (!e->has_position) {
            e->lat = pl.lat[pl.n - 1];
            e->lon = pl.lon[pl.n - 1];
            e->has_position = 1;
        }
    }
    return 0;
}

static int build_track(build_state *st, size_t ti)
{
    tm_import_graph *g = st->g;
    tm_ig_track *t = &g->tracks.items[ti];
    double *s = shape_positions(t);
    if (t->lat.n >= 2 && !s)
        return -1;
    size_t pieces = 0, n = t->cuts.n;
    for (size_t i = 0; i + 1 < n; i++)
        if (t->cuts.items[i + 1].pos - t->cuts.items[i].pos > SAME_POS)
            pieces++;
    size_t k = 0;
    int rc = 0;
    st->first_piece[ti] = st->last_piece[ti] = (size_t)-1;
    for (size_t i = 0; rc == 0 && i + 1 < n; i++) {
        double a = t->cuts.items[i].pos, b = t->cuts.items[i + 1].pos;
        if (!(b - a > SAME_POS))
            continue;
        /* Where the file gives its topology, the way through a cut goes straight on. */
        size_t before = st->last_piece[ti], first_new = st->net->n_tracks;
        if (g->has_topology && before != (size_t)-1 &&
            tm_network_add_connection(st->net, TM_TRACK_END(before, 1),
                                      TM_TRACK_END(first_new, 0), 0.0))
            rc = -1;
        if (st->first_piece[ti] == (size_t)-1)
            st->first_piece[ti] = first_new;
        size_t from = st->op_of[tm_ig_find(g, t->cuts.items[i].node)];
        size_t to = st->op_of[tm_ig_find(g, t->cuts.items[i + 1].node)];
        char id[TM_ID_LEN], suffix[32];
        k++;
        snprintf(suffix, sizeof suffix, ":%zu", k);
        compose_id(id, sizeof id, t->id, pieces > 1 ? suffix : "");
        if (rc == 0 && from != to) {
            rc = add_piece(st, t, s, a, b, from, to, id);
            st->last_piece[ti] = st->net->n_tracks - 1;
            continue;
        }
        /* A piece from a point back to itself: split it at its middle. */
        tm_ig_node mid;
        memset(&mid, 0, sizeof mid);
        compose_id(mid.id, sizeof mid.id, id, ".mid");
        mid.name = mid.id; /* add_op copies it */
        mid.lat = mid.lon = NAN;
        size_t m = 0;
        char id2[TM_ID_LEN];
        compose_id(id2, sizeof id2, id, "b");
        if (rc || add_op(st, &mid, TM_OP_JUNCTION, &m) ||
            add_piece(st, t, s, a, 0.5 * (a + b), from, m, id) ||
            add_piece(st, t, s, 0.5 * (a + b), b, m, to, id2))
            rc = -1;
        st->last_piece[ti] = st->net->n_tracks - 1;
    }
    free(s);
    return rc;
}

typedef struct id_slot {
    const char *id;
    size_t index;
} id_slot;

static int cmp_slot(const void *a, const void *b)
{
    const id_slot *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Makes the ids (TM_ID_LEN chars at base + i * stride) unique by suffixing "~2", "~3"... to
 * later duplicates. Returns 0 or -1. */
static int unique_ids(char *base, size_t n, size_t stride)
{
    for (int round = 0; round < 4; round++) {
        id_slot *v = malloc((n ? n : 1) * sizeof *v);
        if (!v)
            return -1;
        for (size_t i = 0; i < n; i++)
            v[i] = (id_slot){base + i * stride, i};
        qsort(v, n, sizeof *v, cmp_slot);
        int changed = 0;
        size_t run = 1;
        for (size_t i = 1; i < n; i++) {
            if (strcmp(v[i].id, v[i - 1].id) != 0) {
                run = 1;
                continue;
            }
            char suffix[32], tmp[TM_ID_LEN];
            snprintf(suffix, sizeof suffix, "~%zu", ++run);
            compose_id(tmp, sizeof tmp, base + v[i].index * stride, suffix);
            memcpy(base + v[i].index * stride, tmp, sizeof tmp);
            changed = 1;
        }
        free(v);
        if (!changed)
            return 0;
    }
    return 0;
}

int tm_import_graph_build(tm_import_graph *g, tm_network *net, tm_polyline **geometry,
                          const char *file, tumen_error *err)
{
    build_state st;
    memset(&st, 0, sizeof st);
    st.g = g;
    st.net = net;
    if (g->default_speed <= 0.0)
        g->default_speed = 100.0 / 3.6;
    /* 1. Nodes on one track at one position are one place. */
    for (size_t i = 0; i < g->tracks.n; i++) {
        tm_ig_track *t = &g->tracks.items[i];
        qsort(t->cuts.items, t->cuts.n, sizeof *t->cuts.items, cmp_cut);
        for (size_t k = 1; k < t->cuts.n; k++)
            if (t->cuts.items[k].pos - t->cuts.items[k - 1].pos <= SAME_POS)
                tm_ig_join(g, t->cuts.items[k].node, t->cuts.items[k - 1].node);
        if (tm_stable_sort_by_double(t->signals.items, t->signals.n, sizeof *t->signals.items,
                                     offsetof(tm_signal, position)) ||
            tm_stable_sort_by_double(t->structures.items, t->structures.n,
                                     sizeof *t->structures.items,
                                     offsetof(tm_structure, position)))
            goto oom;
    }
    /* 2. One operational point per set: named after its highest-ranked node. */
    size_t nn = g->nodes.n;
    st.op_of = malloc((nn ? nn : 1) * sizeof *st.op_of);
    size_t *best = malloc((nn ? nn : 1) * sizeof *best);
    if (!st.op_of || !best) {
        free(best);
        goto oom;
    }
    for (size_t i = 0; i < nn; i++)
        best[i] = (size_t)-1;
    for (size_t i = 0; i < nn; i++) {
        size_t r = tm_ig_find(g, i);
        const tm_ig_node *n = &g->nodes.items[i];
        if (best[r] == (size_t)-1 || n->rank > g->nodes.items[best[r]].rank)
            best[r] = i;
    }
    /* Only sets that touch a track become points, in node order. */
    unsigned char *used = calloc(nn ? nn : 1, 1);
    if (!used) {
        free(best);
        goto oom;
    }
    for (size_t i = 0; i < g->tracks.n; i++)
        for (size_t k = 0; k < g->tracks.items[i].cuts.n; k++)
            used[tm_ig_find(g, g->tracks.items[i].cuts.items[k].node)] = 1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < nn; i++) {
        if (tm_ig_find(g, i) != i || !used[i])
            continue;
        tm_ig_node b = g->nodes.items[best[i]];
        for (size_t j = 0; !b.has_position && j < nn; j++) /* a position of any member */
            if (g->nodes.items[j].has_position && tm_ig_find(g, j) == i) {
                b.lat = g->nodes.items[j].lat;
                b.lon = g->nodes.items[j].lon;
                b.has_position = 1;
            }
        rc = add_op(&st, &b, b.rank == TM_IG_OP ? b.kind : TM_OP_JUNCTION, &st.op_of[i]);
    }
    free(used);
    free(best);
    if (rc)
        goto oom;
    /* 3. Tracks: the pieces between consecutive nodes; then the file's connections. */
    st.first_piece = malloc((g->tracks.n ? g->tracks.n : 1) * sizeof *st.first_piece);
    st.last_piece = malloc((g->tracks.n ? g->tracks.n : 1) * sizeof *st.last_piece);
    if (!st.first_piece || !st.last_piece)
        goto oom;
    for (size_t i = 0; i < g->tracks.n; i++)
        if (build_track(&st, i))
            goto oom;
    if (build_connections(&st))
        goto oom;
    /* Stations and halts: a file gives no usable lengths of their tracks, so each gets one
     * loop as long as the longest track touching it (a train may stop there). */
    for (size_t i = 0; i < net->n_ops; i++) {
        tm_op *op = &net->ops[i];
        if (op->kind != TM_OP_STATION && op->kind != TM_OP_HALT)
            continue;
        double longest = 0.0;
        for (size_t t = 0; t < net->n_tracks; t++)
            if ((net->tracks[t].from == i || net->tracks[t].to == i) &&
                net->tracks[t].length > longest)
                longest = net->tracks[t].length;
        if (longest > 0.0) {
            op->loops = malloc(sizeof *op->loops);
            if (!op->loops)
                goto oom;
            op->loops[0] = longest;
            op->n_loops = 1;
        }
    }
    if (unique_ids(net->ops ? net->ops->id : NULL, net->n_ops, sizeof *net->ops) ||
        unique_ids(net->tracks ? net->tracks->id : NULL, net->n_tracks, sizeof *net->tracks) ||
        tm_network_build_adjacency(net))
        goto oom;
    free(st.op_of);
    free(st.first_piece);
    free(st.last_piece);
    if (geometry) {
        int any = 0;
        for (size_t i = 0; i < st.shapes.n; i++)
            any |= st.shapes.items[i].n > 0;
        if (any) {
            *geometry = st.shapes.items;
            st.shapes.items = NULL;
        } else {
            *geometry = NULL;
        }
    }
    tm_polylines_free(st.shapes.items, st.shapes.n);
    return TUMEN_OK;
oom:
    free(st.op_of);
    free(st.first_piece);
    free(st.last_piece);
    tm_polylines_free(st.shapes.items, st.shapes.n);
    tm_network_free(net);
    return tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
}
