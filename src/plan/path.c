/* path.c: Dijkstra by track length, with a binary heap. */
#include "plan/path.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct heap_item {
    double d;
    size_t op;
} heap_item;

static void heap_push(heap_item *h, size_t *n, heap_item x)
{
    size_t i = (*n)++;
    while (i > 0 && h[(i - 1) / 2].d > x.d) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}

static heap_item heap_pop(heap_item *h, size_t *n)
{
    heap_item top = h[0], last = h[--*n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1].d < h[c].d)
            c++;
        if (h[c].d >= last.d)
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n)
        h[i] = last;
    return top;
}

int tm_network_shortest_path(const tm_network *net, size_t a, size_t b, tm_route_step **steps,
                             size_t *n_steps, tumen_error *err)
{
    *steps = NULL;
    *n_steps = 0;
    size_t n = net->n_ops;
    double *dist = malloc(n * sizeof *dist);
    size_t *via = malloc(n * sizeof *via);
    heap_item *heap = malloc((net->n_tracks * 2 + n + 1) * sizeof *heap);
    if (!dist || !via || !heap) {
        free(dist);
        free(via);
        free(heap);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        dist[i] = INFINITY;
        via[i] = (size_t)-1;
    }
    size_t hn = 0;
    dist[a] = 0.0;
    heap_push(heap, &hn, (heap_item){0.0, a});
    while (hn) {
        heap_item x = heap_pop(heap, &hn);
        if (x.d > dist[x.op] || x.op == b)
            continue;
        for (size_t k = net->adj_start[x.op]; k < net->adj_start[x.op + 1]; k++) {
            const tm_track *t = &net->tracks[net->adj[k]];
            size_t other = t->from == x.op ? t->to : t->from;
            double d = x.d + t->length;
            /* Equal lengths: the lower track index, so the line does not depend on the
             * order the heap pops ties in. */
            if (d < dist[other] ||
                (d == dist[other] && other != a && net->adj[k] < via[other])) {
                int improved = d < dist[other];
                dist[other] = d;
                via[other] = net->adj[k];
                if (improved)
                    heap_push(heap, &hn, (heap_item){d, other});
            }
        }
    }
    int rc = TUMEN_OK;
    if (!isfinite(dist[b])) {
        rc = tm_error_set(err, TUMEN_EINPUT, NULL, 0, NULL,
                          "no track connects '%s' and '%s'", net->ops[a].id, net->ops[b].id);
    } else {
        size_t count = 0;
        for (size_t o = b; o != a; count++) {
            const tm_track *t = &net->tracks[via[o]];
            o = t->to == o ? t->from : t->to;
        }
        *steps = calloc(count ? count : 1, sizeof **steps);
        if (!*steps) {
            rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
        } else {
            size_t i = count;
            for (size_t o = b; o != a;) {
                const tm_track *t = &net->tracks[via[o]];
                int forward = t->to == o;
                (*steps)[--i] = (tm_route_step){via[o], forward, 0};
                o = forward ? t->from : t->to;
            }
            *n_steps = count;
        }
    }
    free(dist);
    free(via);
    free(heap);
    return rc;
}

int tm_network_parse_line(const tm_network *net, const char *text, size_t *a, size_t *b,
                          tumen_error *err)
{
    char buf[2 * 64 + 2];
    size_t len = strlen(text);
    if (len >= sizeof buf)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "--line", "line '%s' is too long", text);
    for (size_t i = 1; i + 1 < len; i++) {
        if (text[i] != '-')
            continue;
        memcpy(buf, text, len + 1);
        buf[i] = '\0';
        size_t x = tm_network_find_op(net, buf), y = tm_network_find_op(net, buf + i + 1);
        if (x != (size_t)-1 && y != (size_t)-1) {
            *a = x;
            *b = y;
            return TUMEN_OK;
        }
    }
    return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "--line",
                        "'%s' is not two operational point ids joined by '-' (e.g. KHS-BAR)",
                        text);
}
