/* conflicts.c: a timetable's blocking times (tumen_blocking) and the conflicts among them
 * (tumen_conflicts): the JSON and the report `tumen conflicts` prints, and the diagram
 * with the blocking-time stairs. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "block/resources.h"
#include "core/error.h"
#include "formats/timetable_out.h"
#include "plan/occupancy.h"

#define TM_API_RESOURCE_NAME 160

struct tumen_blocking {
    const tumen_scenario *sc;
    tumen_options common;
    tm_resource_map map;
    tm_occupation *occ;
    size_t n_occ;
    char (*names)[TM_API_RESOURCE_NAME]; /* by resource */
    tumen_error *warnings;   /* the runs' warnings (tm_timetable_occupations_warned) */
    size_t n_warnings;
};

struct tumen_conflicts {
    const tumen_blocking *b;
    tm_occupation *occ;      /* b's blocking times as tm_conflicts_find ordered them */
    tm_conflict *c;
    size_t n;
};

void tumen_blocking_options_init(tumen_blocking_options *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    tumen_options_init(&o->common);
}

int tumen_blocking_compute(const tumen_scenario *sc, const tumen_blocking_options *options,
                           tumen_blocking **out, tumen_error *err)
{
    tm_error_clear(err);
    if (!sc || !out)
        return tm_api_null(err, "scenario and out");
    *out = NULL;
    tumen_blocking_options o;
    tumen_blocking_options_init(&o);
    tm_api_options(&o, sizeof o, options);
    if (sc->model->timetable.n_services == 0)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "timetable",
                            "the files hold no timetable services");
    tumen_blocking *b = calloc(1, sizeof *b);
    if (!b)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    b->sc = sc;
    b->common = o.common;
    tm_blocking_params p;
    tm_blocking_params_default(&p);
    p.release += o.buffer; /* a buffer: each blocking time counts as ending that much later */
    tm_timetable_options opt;
    tm_api_timetable_options(&o.common, &opt);
    const tm_network *net = &sc->model->network;
    int rc = tm_resource_map_build(net, &b->map) == TUMEN_OK
                 ? TUMEN_OK
                 : tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (rc == TUMEN_OK)
        rc = tm_timetable_occupations_warned(sc->model, &b->map, &p, &opt, &b->occ,
                                             &b->n_occ, &b->warnings, &b->n_warnings, err);
    if (rc == TUMEN_OK && !(b->names = calloc(b->map.n ? b->map.n : 1, sizeof *b->names)))
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; rc == TUMEN_OK && i < b->map.n; i++)
        tm_resource_name(net, &b->map, i, b->names[i], sizeof b->names[i]);
    if (rc != TUMEN_OK) {
        tumen_blocking_destroy(b);
        return rc;
    }
    *out = b;
    return TUMEN_OK;
}

void tumen_blocking_destroy(tumen_blocking *b)
{
    if (!b)
        return;
    free(b->names);
    free(b->warnings);
    free(b->occ);
    tm_resource_map_free(&b->map);
    free(b);
}

size_t tumen_blocking_count(const tumen_blocking *b)
{
    return b ? b->n_occ : 0;
}

void tumen_blocking_get(const tumen_blocking *b, size_t i, tumen_blocking_time *out)
{
    const tm_occupation *o = &b->occ[i];
    out->service = o->train;
    out->resource = b->names[o->resource];
    out->start = o->start;
    out->end = o->end;
}

size_t tumen_blocking_warning_count(const tumen_blocking *b)
{
    return b ? b->n_warnings : 0;
}

const tumen_error *tumen_blocking_warning(const tumen_blocking *b, size_t i)
{
    return b && i < b->n_warnings ? &b->warnings[i] : NULL;
}

int tumen_conflicts_find(const tumen_blocking *b, tumen_conflicts **out, tumen_error *err)
{
    tm_error_clear(err);
    if (!b || !out)
        return tm_api_null(err, "blocking and out");
    *out = NULL;
    tumen_conflicts *c = calloc(1, sizeof *c);
    size_t *group = NULL;
    /* tm_conflicts_find orders the blocking times it is given: a copy keeps b read-only. */
    tm_occupation *occ = malloc((b->n_occ ? b->n_occ : 1) * sizeof *occ);
    int rc = c && occ ? TUMEN_OK : TUMEN_ENOMEM;
    if (rc == TUMEN_OK) {
        memcpy(occ, b->occ, b->n_occ * sizeof *occ);
        c->b = b;
        rc = tm_timetable_convoy_groups(&b->sc->model->timetable, &group);
    }
    if (rc == TUMEN_OK)
        rc = tm_conflicts_find_threads(occ, b->n_occ, b->map.capacity, group,
                                       b->common.threads < 1 ? 1 : b->common.threads, &c->c,
                                       &c->n); /* the same list on any number of threads */
    free(group);
    if (c)
        c->occ = occ;
    else
        free(occ);
    if (rc != TUMEN_OK) {
        tumen_conflicts_destroy(c);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    *out = c;
    return TUMEN_OK;
}

void tumen_conflicts_destroy(tumen_conflicts *c)
{
    if (!c)
        return;
    free(c->c);
    free(c->occ);
    free(c);
}

size_t tumen_conflicts_count(const tumen_conflicts *c)
{
    return c ? c->n : 0;
}

void tumen_conflicts_get(const tumen_conflicts *c, size_t i, tumen_conflict *out)
{
    const tm_conflict *k = &c->c[i];
    const tm_timetable *tt = &c->b->sc->model->timetable;
    out->service_a = k->train_a;
    out->service_b = k->train_b;
    out->train_a = tt->services[k->train_a].id;
    out->train_b = tt->services[k->train_b].id;
    out->resource = c->b->names[k->resource];
    out->start = k->start;
    out->end = k->end;
}

int tumen_conflicts_json(const tumen_conflicts *c, char **text, size_t *length,
                         tumen_error *err)
{
    tm_error_clear(err);
    if (!c)
        return tm_api_null(err, "conflicts");
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < c->n; i++) {
        tumen_conflict k;
        tumen_conflicts_get(c, i, &k);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:f, s:f, s:f}", "train_a",
                                             k.train_a, "train_b", k.train_b, "resource",
                                             k.resource, "start_s", k.start, "end_s", k.end,
                                             "overlap_s", k.end - k.start));
    }
    return tm_api_json_text(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12),
                            text, length, err);
}

/* HH:MM:SS of a clock time, within 0 to 999999 s. */
static void clock_text(double t, char *buf, size_t size)
{
    long s = (long)(t + 0.5);
    if (s < 0 || s > 999999)
        s = 0;
    int h = (int)(s / 3600), m = (int)(s / 60 % 60), sec = (int)(s % 60);
    snprintf(buf, size, "%02d:%02d:%02d", h % 1000, m, sec);
}

int tumen_conflicts_text(const tumen_conflicts *c, char **text, size_t *length,
                         tumen_error *err)
{
    tm_api_text t;
    tm_error_clear(err);
    if (!c)
        return tm_api_null(err, "conflicts");
    int rc = tm_api_text_begin(&t, err);
    if (rc != TUMEN_OK)
        return rc;
    size_t n = c->n;
    char a[32], b[32];
    fprintf(t.f, "%zu conflict%s among %zu services (%zu blocking times)\n", n,
            n == 1 ? "" : "s", c->b->sc->model->timetable.n_services, c->b->n_occ);
    if (n)
        fprintf(t.f, "\n%-10s %-10s %-52s %9s %9s %9s\n", "train a", "train b", "resource",
                "from", "to", "overlap");
    for (size_t i = 0; i < n; i++) {
        tumen_conflict k;
        tumen_conflicts_get(c, i, &k);
        clock_text(k.start, a, sizeof a);
        clock_text(k.end, b, sizeof b);
        fprintf(t.f, "%-10s %-10s %-52.52s %9s %9s %7.0f s\n", k.train_a, k.train_b, k.resource,
                a, b, k.end - k.start);
    }
    return tm_api_text_end(&t, text, length, err);
}

/* Boxes for the diagram: every train's block sections (its stairs) and every conflict. A
 * conflict on a single-track section covers the track; at a station, the first km of each
 * track that joins it. The caller frees *out. */
static int plot_boxes(const tumen_conflicts *c, tm_graph_box **out, size_t *n_out)
{
    const tm_network *net = &c->b->sc->model->network;
    const tm_resource_map *map = &c->b->map;
    const tm_occupation *occ = c->occ;
    size_t cap = c->b->n_occ + c->n, n = 0;
    for (size_t i = 0; i < c->n; i++)
        if (map->items[c->c[i].resource].kind == TM_RES_STATION) {
            size_t o = map->items[c->c[i].resource].op;
            cap += net->adj_start[o + 1] - net->adj_start[o];
        }
    tm_graph_box *b = malloc((cap ? cap : 1) * sizeof *b);
    if (!b)
        return TUMEN_ENOMEM;
    for (size_t i = 0; i < c->b->n_occ; i++) {
        const tm_resource *r = &map->items[occ[i].resource];
        if (r->kind == TM_RES_BLOCK)
            b[n++] = (tm_graph_box){r->track, r->start, r->end, occ[i].start, occ[i].end,
                                    occ[i].train, 0};
    }
    for (size_t i = 0; i < c->n; i++) {
        const tm_conflict *k = &c->c[i];
        const tm_resource *r = &map->items[k->resource];
        if (r->kind != TM_RES_STATION) {
            b[n++] = (tm_graph_box){r->track, r->start, r->end, k->start, k->end, k->train_b, 1};
            continue;
        }
        for (size_t j = net->adj_start[r->op]; j < net->adj_start[r->op + 1]; j++) {
            const tm_track *t = &net->tracks[net->adj[j]];
            double span = t->length < 1000.0 ? t->length : 1000.0;
            double p0 = t->from == r->op ? 0.0 : t->length - span;
            b[n++] = (tm_graph_box){net->adj[j], p0, p0 + span, k->start, k->end, k->train_b, 1};
        }
    }
    *out = b;
    *n_out = n;
    return TUMEN_OK;
}

int tumen_conflicts_write_plot(const tumen_conflicts *c, size_t from, size_t to,
                               const tumen_options *options, const char *path,
                               tumen_error *err)
{
    tm_error_clear(err);
    if (!c || !path)
        return tm_api_null(err, "conflicts and path");
    const tm_scenario *sc = c->b->sc->model;
    if (from >= sc->network.n_ops || to >= sc->network.n_ops)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "operational points %zu and %zu: the network has %zu", from, to,
                            sc->network.n_ops);
    tumen_options common;
    tumen_options_init(&common);
    tm_api_options(&common, sizeof common, options ? options : &c->b->common);
    tm_timetable_options opt;
    tm_api_timetable_options(&common, &opt);
    opt.keep_samples = 1;
    tm_timetable_result r;
    memset(&r, 0, sizeof r);
    tm_graph_box *boxes = NULL;
    size_t n_boxes = 0;
    int rc = tm_timetable_run(sc, NULL, &opt, &r, err);
    if (rc == TUMEN_OK && plot_boxes(c, &boxes, &n_boxes) != TUMEN_OK)
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (rc == TUMEN_OK)
        rc = tm_timetable_write_graph_boxes(sc, &r, from, to, NULL, 0, boxes, n_boxes, path, err);
    free(boxes);
    tm_timetable_result_free(&r);
    return rc;
}

typedef struct plot_ctx {
    const tumen_conflicts *c;
    size_t from, to;
    const tumen_options *options;
} plot_ctx;

static int plot_writer(const void *ctx, const char *path, tumen_error *err)
{
    const plot_ctx *p = ctx;
    return tumen_conflicts_write_plot(p->c, p->from, p->to, p->options, path, err);
}

int tumen_conflicts_plot(const tumen_conflicts *c, size_t from, size_t to,
                         const tumen_options *options, const char *format, void **data,
                         size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!c)
        return tm_api_null(err, "conflicts");
    int rc = tm_api_image_format(format, err);
    plot_ctx p = {c, from, to, options};
    return rc != TUMEN_OK ? rc : tm_api_via_file(plot_writer, &p, format, data, length, err);
}
