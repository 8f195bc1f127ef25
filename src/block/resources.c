/* resources.c: numbering what trains hold, and which of it each service passes. */
#include "block/resources.h"
#include "core/vec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Block boundaries of a track in one direction, in the track's own coordinates (from the
 * `from` end), ascending: its two ends and the signals that face that direction. */
static size_t boundaries(const tm_track *t, int forward, double *out)
{
    size_t n = 0;
    out[n++] = 0.0;
    out[n++] = t->length;
    for (size_t i = 0; i < t->n_signals; i++) {
        int d = t->signals[i].direction;
        if (d == 0 || (forward && d > 0) || (!forward && d < 0))
            if (t->signals[i].position > 1e-6 && t->signals[i].position < t->length - 1e-6)
                out[n++] = t->signals[i].position;
    }
    qsort(out, n, sizeof *out, tm_cmp_double);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (out[i] - out[k - 1] > 1e-6)
            out[k++] = out[i];
    return k;
}

static int push(tm_resource_map *m, tm_resource r, size_t *cap)
{
    if (m->n == *cap) {
        size_t c = *cap ? 2 * *cap : 64;
        tm_resource *p = realloc(m->items, c * sizeof *p);
        if (!p)
            return -1;
        m->items = p;
        *cap = c;
    }
    m->items[m->n++] = r;
    return 0;
}

int tm_resource_map_build(const tm_network *net, tm_resource_map *m)
{
    memset(m, 0, sizeof *m);
    size_t cap = 0, nt = net->n_tracks;
    m->track_base = calloc(nt + 1, sizeof *m->track_base);
    m->n_forward = calloc(nt + 1, sizeof *m->n_forward);
    m->n_backward = calloc(nt + 1, sizeof *m->n_backward);
    if (!m->track_base || !m->n_forward || !m->n_backward)
        goto oom;
    for (size_t t = 0; t < nt; t++) {
        const tm_track *tr = &net->tracks[t];
        double *b = malloc((tr->n_signals + 2) * sizeof *b);
        if (!b)
            goto oom;
        m->track_base[t] = m->n;
        for (int dir = 1; dir >= 0; dir--) {
            size_t nb = boundaries(tr, dir, b);
            for (size_t k = 0; k + 1 < nb; k++) {
                tm_resource r = {TM_RES_BLOCK, t, dir, k, b[k], b[k + 1], 0, 1};
                if (!dir) /* backward blocks are numbered from the `to` end */
                    r = (tm_resource){TM_RES_BLOCK, t, 0, nb - 2 - k, b[k], b[k + 1], 0, 1};
                if (push(m, r, &cap)) {
                    free(b);
                    goto oom;
                }
            }
            *(dir ? &m->n_forward[t] : &m->n_backward[t]) = nb - 1;
        }
        free(b);
        /* Backward blocks were pushed in ascending track position; store them in travel
         * order (from the `to` end). */
        tm_resource *bw = &m->items[m->track_base[t] + m->n_forward[t]];
        for (size_t i = 0, j = m->n_backward[t] - 1; i < j; i++, j--) {
            tm_resource x = bw[i];
            bw[i] = bw[j];
            bw[j] = x;
        }
        if (tr->main_tracks <= 1 &&
            push(m, (tm_resource){TM_RES_SINGLE_TRACK, t, 0, 0, 0.0, tr->length, 0, 1}, &cap))
            goto oom;
    }
    m->op_base = m->n;
    for (size_t o = 0; o < net->n_ops; o++) {
        const tm_op *op = &net->ops[o];
        /* Station tracks: the loops and (at least one) main track. */
        int capacity = (int)op->n_loops + 1;
        if (push(m, (tm_resource){TM_RES_STATION, 0, 0, 0, 0, 0, o, capacity}, &cap))
            goto oom;
    }
    m->capacity = malloc((m->n ? m->n : 1) * sizeof *m->capacity);
    if (!m->capacity)
        goto oom;
    for (size_t i = 0; i < m->n; i++)
        m->capacity[i] = m->items[i].capacity;
    return TUMEN_OK;
oom:
    tm_resource_map_free(m);
    return TUMEN_ENOMEM;
}

void tm_resource_map_free(tm_resource_map *m)
{
    free(m->items);
    free(m->track_base);
    free(m->n_forward);
    free(m->n_backward);
    free(m->capacity);
    memset(m, 0, sizeof *m);
}

void tm_resource_name(const tm_network *net, const tm_resource_map *m, size_t id, char *buf,
                      size_t size)
{
    if (id >= m->n) {
        snprintf(buf, size, "resource %zu", id);
        return;
    }
    const tm_resource *r = &m->items[id];
    switch (r->kind) {
    case TM_RES_BLOCK:
        snprintf(buf, size, "block %zu of %s (%s, km %.3f-%.3f)", r->block + 1,
                 net->tracks[r->track].id, r->forward ? "forward" : "backward",
                 r->start / 1000.0, r->end / 1000.0);
        break;
    case TM_RES_SINGLE_TRACK:
        snprintf(buf, size, "single track %s", net->tracks[r->track].id);
        break;
    case TM_RES_STATION:
        tm_snclip(buf, size, "station %s", tm_name_or(net->ops[r->op].name, ""));
        break;
    }
}

typedef TM_VEC(tm_block_section) block_vec;

/* The blocks of one route step, on the route axis from `at`. stops_at_end: the train
 * stops at the operational point where the step ends. */
static int step_blocks(const tm_network *net, const tm_resource_map *m, const tm_route_step *st,
                       double at, int stops_at_end, block_vec *out)
{
    const tm_track *tr = &net->tracks[st->track];
    size_t base = m->track_base[st->track];
    size_t nf = m->n_forward[st->track], nb = m->n_backward[st->track];
    size_t first = st->forward ? base : base + nf, count = st->forward ? nf : nb;
    for (size_t k = 0; k < count; k++) {
        const tm_resource *r = &m->items[first + k];
        /* Travel coordinates: forward as the track runs, backward from its `to` end. */
        double a = st->forward ? r->start : tr->length - r->end;
        double b = st->forward ? r->end : tr->length - r->start;
        int last = k + 1 == count;
        if (tm_vec_push(out, ((tm_block_section){at + a, at + b, first + k, 0.0, 0,
                                                 last && stops_at_end})))
            return TUMEN_ENOMEM;
    }
    if (tr->main_tracks <= 1 &&
        tm_vec_push(out, ((tm_block_section){at, at + tr->length, base + nf + nb, 0.0,
                                             st->forward ? 1 : -1, stops_at_end})))
        return TUMEN_ENOMEM;
    return TUMEN_OK;
}

static int by_start(const void *pa, const void *pb)
{
    const tm_block_section *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->resource > b->resource) - (a->resource < b->resource);
}

/* Sorts b[0 .. n) by_start. The tracks' blocks b[0 .. n_track) come in route order, and
 * along a route they nearly always ascend already: then the few station tracks after them
 * are sorted alone and merged in, in one pass (the special planner derives the blocks of
 * O(n^2) segments, where the sort of them all was a tenth of a request). by_start is a
 * total order on distinct blocks and the merge is stable, so the order is the sort's. */
static void sort_blocks(tm_block_section *b, size_t n_track, size_t n)
{
    int sorted = 1;
    for (size_t i = 1; i < n_track && sorted; i++)
        sorted = by_start(&b[i - 1], &b[i]) <= 0;
    if (!sorted || n - n_track > 64) {
        if (n > 1)
            qsort(b, n, sizeof *b, by_start);
        return;
    }
    size_t n_st = n - n_track;
    if (n_st > 1)
        qsort(b + n_track, n_st, sizeof *b, by_start);
    if (n_st == 0 || n_track == 0 || by_start(&b[n_track - 1], &b[n_track]) <= 0)
        return;
    tm_block_section st[64];
    memcpy(st, b + n_track, n_st * sizeof *st);
    /* merge from the back: the larger of the two runs' last goes last; on a tie the
     * station track (the later run) goes after, as a stable sort keeps it */
    size_t i = n_track, j = n_st, k = n;
    while (j > 0) {
        if (i > 0 && by_start(&b[i - 1], &st[j - 1]) > 0)
            b[--k] = b[--i];
        else
            b[--k] = st[--j];
    }
}

int tm_service_blocks(const tm_network *net, const tm_resource_map *m,
                      const tm_service_run *run, double train_length, tm_block_section **out,
                      size_t *n_out)
{
    block_vec v = {0};
    int rc = TUMEN_OK;
    /* The points ascend along the route, as the steps' ends do: one cursor finds the
     * points at each end (a route that runs a track both ways ascends all the same). */
    size_t j = 0;
    for (size_t i = 0; i < run->n_steps && rc == TUMEN_OK; i++) {
        double end = run->step_start[i] + net->tracks[run->steps[i].track].length;
        int stops = 0;
        while (j < run->n_points && run->points[j].position <= end - 1e-3)
            j++;
        for (size_t k = j; k < run->n_points && run->points[k].position < end + 1e-3; k++)
            if (run->points[k].is_stop)
                stops = 1;
        rc = step_blocks(net, m, &run->steps[i], run->step_start[i], stops, &v);
    }
    size_t n_track = v.n; /* the tracks' blocks, then the station tracks' */
    /* A station track where it stops: a train length either side of the stopping point. */
    for (size_t i = 0; i < run->n_points && rc == TUMEN_OK; i++) {
        const tm_service_point *pt = &run->points[i];
        if (!pt->is_stop)
            continue;
        double half = fmax(train_length, 1.0);
        if (tm_vec_push(&v, ((tm_block_section){pt->position - half, pt->position,
                                                m->op_base + pt->op, half, 0, 0})))
            rc = TUMEN_ENOMEM;
    }
    if (rc != TUMEN_OK) {
        free(v.items);
        return rc;
    }
    sort_blocks(v.items, n_track, v.n);
    *out = v.items;
    *n_out = v.n;
    return TUMEN_OK;
}
