/* graph_plot.c: the time-distance diagram (graphical timetable) of one line, as PNG or SVG.
 *
 * The line runs from operational point A to B along the shortest path by track length
 * (Dijkstra with a binary heap over the network, once per plot). Every track of the line
 * gets its kilometrage from A. A service is drawn where its route uses a track of the line:
 * its samples (or, without samples, its timing points joined by straight lines) are
 * projected onto the line's kilometrage, forward or backward by the direction it runs the
 * track in, so trains in both directions appear, and the polyline breaks where the service
 * leaves the line. Time runs across (clock time of the day, hours past 24 for the next
 * day), distance down from A; stations are labelled horizontal lines; services are coloured
 * by category and labelled with their id where they enter the line.
 *
 * Blocking-time boxes (tm_timetable_write_graph_boxes) are drawn as rectangles from a block's
 * start to its end position and from its blocking start to end time: each service's stairs
 * lightly in its category's colour under the lines, conflicts in red over them.
 *
 * Layout (1600 x 900, px for PNG, pt for SVG): title and legend at the top, station names
 * left of the panel, time axis below. Points closer than half a pixel to the last one drawn
 * are dropped, so a day of many trains stays a small file. Written through core/atomic.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "core/error.h"
#include "draw/axes.h"
#include "draw/cairo_out.h"
#include "plan/path.h"
#include "formats/timetable_out.h"

#define G_W 1600.0
#define G_H 900.0
#define G_L 190.0    /* left edge of the panel (station names to its left) */
#define G_R 1570.0
#define G_T 90.0
#define G_B 830.0
#define G_FONT TM_DRAW_FONT
#define G_MIN_PX 0.5 /* px: a point this close to the last drawn one is skipped */
#define G_LABEL_GAP 13.0

/* ---- The line ----------------------------------------------------------------------------- */

typedef struct line_geo {
    size_t *track_step; /* per network track: index of the line's step using it, or -1 */
    int *step_forward;  /* per line step: 1 if the line runs the track from -> to */
    double *step_km;    /* per line step: m from A where it begins */
    double *step_length; /* per line step: m */
    size_t *ops;        /* the line's operational points, A first (n_steps + 1) */
    double *op_km;      /* m from A */
    size_t n_steps;
    double length;      /* m */
} line_geo;

static void line_free(line_geo *g)
{
    free(g->track_step);
    free(g->step_forward);
    free(g->step_km);
    free(g->step_length);
    free(g->ops);
    free(g->op_km);
}

/* The line from a to b: the shortest path by track length (plan/path.c, the same line
 * tumen capacity and headway measure), into g. */
static int line_build(const tm_network *net, size_t a, size_t b, line_geo *g, tumen_error *err)
{
    memset(g, 0, sizeof *g);
    tm_route_step *path = NULL;
    size_t steps = 0;
    int rc = tm_network_shortest_path(net, a, b, &path, &steps, err);
    if (rc != TUMEN_OK)
        return rc;
    g->n_steps = steps;
    g->track_step = malloc((net->n_tracks ? net->n_tracks : 1) * sizeof *g->track_step);
    g->step_forward = malloc((steps ? steps : 1) * sizeof *g->step_forward);
    g->step_km = malloc((steps ? steps : 1) * sizeof *g->step_km);
    g->step_length = malloc((steps ? steps : 1) * sizeof *g->step_length);
    g->ops = malloc((steps + 1) * sizeof *g->ops);
    g->op_km = malloc((steps + 1) * sizeof *g->op_km);
    if (!g->track_step || !g->step_forward || !g->step_km || !g->step_length || !g->ops ||
        !g->op_km) {
        free(path);
        line_free(g);
        memset(g, 0, sizeof *g);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < net->n_tracks; i++)
        g->track_step[i] = (size_t)-1;
    double km = 0;
    g->ops[0] = a;
    for (size_t j = 0; j < steps; j++) {
        const tm_track *t = &net->tracks[path[j].track];
        g->track_step[path[j].track] = j;
        g->step_forward[j] = path[j].forward;
        g->step_length[j] = t->length;
        g->step_km[j] = g->op_km[j] = km;
        km += t->length;
        g->ops[j + 1] = path[j].forward ? t->to : t->from;
    }
    g->op_km[steps] = km;
    g->length = km;
    free(path);
    return TUMEN_OK;
}

/* ---- Frame and drawing --------------------------------------------------------------------- */

typedef struct frame {
    double t0, t1;  /* s after midnight, the time range drawn */
    double len;     /* m */
} frame;

static double px_t(const frame *f, double t)
{
    return G_L + (t - f->t0) / (f->t1 - f->t0) * (G_R - G_L);
}

static double px_d(const frame *f, double km)
{
    return G_T + km / f->len * (G_B - G_T);
}

static unsigned category_rgb(tm_category c)
{
    switch (c) {
    case TM_CATEGORY_PASSENGER: return 0x1f5fbfu;
    case TM_CATEGORY_FREIGHT: return 0x8c5a1eu;
    case TM_CATEGORY_SPECIAL: return 0xd62728u;
    }
    return 0x404040u;
}

/* A polyline that drops points within G_MIN_PX of the last one kept. */
typedef struct pen {
    cairo_t *cr;
    int down;
    double x, y;      /* last point kept */
    double px, py;    /* last point seen (kept at the end of a run) */
    int pending;
    int started;      /* the service has drawn something (for its label) */
    double lx, ly;    /* where its first run started */
} pen;

static void pen_point(pen *p, double x, double y)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    if (!p->down) {
        cairo_move_to(p->cr, x, y);
        p->down = 1;
        p->x = x;
        p->y = y;
        p->pending = 0;
        if (!p->started) {
            p->started = 1;
            p->lx = x;
            p->ly = y;
        }
        return;
    }
    if (fabs(x - p->x) < G_MIN_PX && fabs(y - p->y) < G_MIN_PX) {
        p->px = x;
        p->py = y;
        p->pending = 1;
        return;
    }
    cairo_line_to(p->cr, x, y);
    p->x = x;
    p->y = y;
    p->pending = 0;
}

static void pen_up(pen *p)
{
    if (p->down && p->pending)
        cairo_line_to(p->cr, p->px, p->py);
    p->down = 0;
    p->pending = 0;
}

/* Line kilometrage of route position s of run in step i, or NAN when off the line. */
static double project(const tm_scenario *sc, const line_geo *g, const tm_service_run *run,
                      size_t i, double s)
{
    const tm_route_step *st = &run->steps[i];
    size_t j = g->track_step[st->track];
    if (j == (size_t)-1)
        return NAN;
    double len = sc->network.tracks[st->track].length;
    double u = s - run->step_start[i];
    if (u < 0)
        u = 0;
    if (u > len)
        u = len;
    return g->step_km[j] + (st->forward == g->step_forward[j] ? u : len - u);
}

/* Index of the route step holding position s (hint: the last one found). */
static size_t step_at(const tm_service_run *run, double s, size_t hint)
{
    size_t i = hint < run->n_steps ? hint : 0;
    while (i + 1 < run->n_steps && s > run->step_start[i + 1])
        i++;
    while (i > 0 && s < run->step_start[i])
        i--;
    return i;
}

/* One service's line; alpha < 1 draws it faint and unlabelled (a simulated day's plan
 * under its actual times). */
static void draw_service(cairo_t *cr, const tm_scenario *sc, const line_geo *g,
                         const frame *f, const tm_service *svc, const tm_service_run *run,
                         double alpha)
{
    pen p;
    memset(&p, 0, sizeof p);
    p.cr = cr;
    cairo_new_path(cr);
    if (run->samples && run->n_samples) {
        size_t hint = 0;
        for (size_t k = 0; k < run->n_samples; k++) {
            const tumen_sample *smp = &run->samples[k];
            hint = step_at(run, smp->s, hint);
            double km = project(sc, g, run, hint, smp->s);
            /* at a step boundary the sample belongs to both steps: try the next one too */
            if (isnan(km) && hint + 1 < run->n_steps &&
                smp->s >= run->step_start[hint + 1] - 1e-6)
                km = project(sc, g, run, hint + 1, smp->s);
            if (isnan(km) && hint > 0 &&
                smp->s <= run->step_start[hint] + 1e-6)
                km = project(sc, g, run, hint - 1, smp->s);
            if (isnan(km)) {
                pen_up(&p);
                continue;
            }
            pen_point(&p, px_t(f, run->clock_start + smp->t), px_d(f, km));
        }
    } else {
        for (size_t k = 0; k + 1 < run->n_points && k < run->n_steps; k++) {
            double a = project(sc, g, run, k, run->step_start[k]);
            double b = project(sc, g, run, k, run->step_start[k] +
                               sc->network.tracks[run->steps[k].track].length);
            if (isnan(a)) {
                pen_up(&p);
                continue;
            }
            pen_point(&p, px_t(f, run->points[k].arrival), px_d(f, a));
            pen_point(&p, px_t(f, run->points[k].departure), px_d(f, a));
            pen_point(&p, px_t(f, run->points[k + 1].arrival), px_d(f, b));
            pen_point(&p, px_t(f, run->points[k + 1].departure), px_d(f, b));
        }
    }
    pen_up(&p);
    unsigned rgb = category_rgb(svc->category);
    cairo_set_source_rgba(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                          (rgb & 255) / 255.0, alpha);
    cairo_set_line_width(cr, alpha < 1.0 ? 1.0 : 1.4);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    if (p.started && alpha >= 1.0) {
        double y = p.ly < G_T + 12 ? p.ly + 12 : p.ly - 4;
        tm_draw_rgb(cr, category_rgb(svc->category));
        tm_draw_text(cr, p.lx + 3, y, 10, 0, 0, svc->id);
    }
}

/* A "nice" time step (s) for about target ticks. */
static double time_step(double span, double target)
{
    static const double steps[] = {60,   120,   300,   600,   900,   1800,
                                   3600, 7200, 10800, 14400, 21600, 43200, 86400};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (span / steps[i] <= target)
            return steps[i];
    return 86400;
}

static void draw_axes(cairo_t *cr, const tm_scenario *sc, const line_geo *g,
                      const frame *f)
{
    char buf[64];
    cairo_set_line_width(cr, 1);
    double step = time_step(f->t1 - f->t0, 24);
    static const tm_axis_style time_style = {0xe4e4e4u, 0x404040u, 0x202020u, 11};
    static const tm_axis_style station_style = {0xb0b0b0u, 0x404040u, 0x202020u, 11};
    for (double t = ceil(f->t0 / step) * step; t <= f->t1 + 1e-6; t += step) {
        long s = lround(t);
        snprintf(buf, sizeof buf, "%02ld:%02ld", (s / 3600) % 24, (s / 60) % 60);
        tm_draw_vtick(cr, &time_style, round(px_t(f, t)) + 0.5, G_T, G_B, 5, G_B + 20, buf);
    }
    tm_draw_rgb(cr, 0x202020u);
    tm_draw_text(cr, (G_L + G_R) / 2, G_B + 48, 13, 0, 0.5, "time of day");
    /* stations */
    double last_y = -1e9;
    for (size_t i = 0; i <= g->n_steps; i++) {
        double y = round(px_d(f, g->op_km[i])) + 0.5;
        const tm_op *op = &sc->network.ops[g->ops[i]];
        int labelled = !(y - last_y < G_LABEL_GAP && i != g->n_steps);
        char shown[51]; /* a label beside the axis: a long name clipped, whole characters */
        snprintf(buf, sizeof buf, "%s  %.1f",
                 tm_utf8_clip(shown, sizeof shown, tm_name_or(op->name, op->id)),
                 g->op_km[i] / 1000);
        tm_draw_htick(cr, &station_style, y, G_L, G_R, 0, labelled ? buf : NULL);
        if (labelled)
            last_y = y;
    }
    tm_draw_rgb(cr, 0x404040u);
    cairo_rectangle(cr, G_L + 0.5, G_T + 0.5, G_R - G_L - 1, G_B - G_T - 1);
    cairo_stroke(cr);
}

static void draw_header(cairo_t *cr, const tm_scenario *sc, const line_geo *g,
                        const tm_timetable *tt, size_t drawn, int boxes, const char *note)
{
    /* The title's names are clipped to a line's width, whole characters (core/text.h). */
    char title[512], na[101], nb[101], nt[121], nn[161];
    const tm_op *a = &sc->network.ops[g->ops[0]], *b = &sc->network.ops[g->ops[g->n_steps]];
    snprintf(title, sizeof title, "%s - %s: time-distance diagram",
             tm_utf8_clip(na, sizeof na, tm_name_or(a->name, a->id)),
             tm_utf8_clip(nb, sizeof nb, tm_name_or(b->name, b->id)));
    tm_draw_rgb(cr, 0x202020u);
    tm_draw_text(cr, G_L, 36, 20, 1, 0, title);
    snprintf(title, sizeof title, "%s%s%zu services on the line  \xc2\xb7  %.1f km%s%s",
             tm_utf8_clip(nt, sizeof nt, tm_name_or(tt->name, "")),
             tm_name_empty(tt->name) ? "" : "  \xc2\xb7  ", drawn, g->length / 1000,
             note ? "  \xc2\xb7  " : "", tm_utf8_clip(nn, sizeof nn, note ? note : ""));
    tm_draw_rgb(cr, 0x555555u);
    tm_draw_text(cr, G_L, 60, 13, 0, 0, title);
    static const struct {
        tm_category c;
        const char *label;
    } items[] = {{TM_CATEGORY_PASSENGER, "passenger"},
                 {TM_CATEGORY_FREIGHT, "freight"},
                 {TM_CATEGORY_SPECIAL, "special"}};
    cairo_select_font_face(cr, G_FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 13);
    double w[3], total = 0;
    for (size_t i = 0; i < 3; i++) {
        cairo_text_extents_t ext;
        cairo_text_extents(cr, items[i].label, &ext);
        w[i] = 32 + ext.x_advance + 22;
        total += w[i];
    }
    double x = G_R - total + 22;
    for (size_t i = 0; i < 3; i++) {
        tm_draw_rgb(cr, category_rgb(items[i].c));
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, x, 31);
        cairo_line_to(cr, x + 26, 31);
        cairo_stroke(cr);
        tm_draw_rgb(cr, 0x202020u);
        tm_draw_text(cr, x + 32, 36, 13, 0, 0, items[i].label);
        x += w[i];
    }
    if (!boxes)
        return;
    /* The boxes' legend, below: a train's blocking time, a conflict. */
    static const char *const box_labels[] = {"blocking time (block section held)",
                                             "conflict (blocking times overlap)"};
    double bw[2];
    total = 0;
    for (size_t i = 0; i < 2; i++) {
        cairo_text_extents_t ext;
        cairo_select_font_face(cr, G_FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, 13);
        cairo_text_extents(cr, box_labels[i], &ext);
        bw[i] = 32 + ext.x_advance + 22;
        total += bw[i];
    }
    x = G_R - total + 22;
    for (size_t i = 0; i < 2; i++) {
        cairo_rectangle(cr, x, 50, 26, 13);
        if (i == 0)
            cairo_set_source_rgba(cr, 0x1f / 255.0, 0x5f / 255.0, 0xbf / 255.0, 0.16);
        else
            cairo_set_source_rgba(cr, 0xe0 / 255.0, 0, 0, 0.55);
        cairo_fill_preserve(cr);
        if (i == 0)
            cairo_set_source_rgba(cr, 0x1f / 255.0, 0x5f / 255.0, 0xbf / 255.0, 0.45);
        else
            cairo_set_source_rgba(cr, 0xe0 / 255.0, 0, 0, 0.95);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
        tm_draw_rgb(cr, 0x202020u);
        tm_draw_text(cr, x + 32, 61, 13, 0, 0, box_labels[i]);
        x += bw[i];
    }
}

/* 1 if the run uses a track of the line. */
static int on_line(const line_geo *g, const tm_service_run *run)
{
    if (run->status != TUMEN_OK)
        return 0;
    for (size_t i = 0; i < run->n_steps; i++)
        if (g->track_step[run->steps[i].track] != (size_t)-1)
            return 1;
    return 0;
}

typedef struct shade {
    const tm_graph_band *bands;
    size_t n;
    const tm_graph_box *boxes;
    size_t n_boxes;
    const tm_timetable_result *faint; /* drawn faint under the runs (a plan), or NULL */
    const char *note;                 /* added to the subtitle, or NULL */
} shade;

/* The time range of the runs of r on the line into [*t0, *t1]; counts them in *drawn. */
static void runs_span(const tm_timetable_result *r, const line_geo *g, double *t0, double *t1,
                      size_t *drawn)
{
    for (size_t i = 0; i < r->n_runs; i++) {
        const tm_service_run *run = &r->runs[i];
        if (!on_line(g, run))
            continue;
        (*drawn)++;
        for (size_t k = 0; k < run->n_steps; k++) {
            if (g->track_step[run->steps[k].track] == (size_t)-1)
                continue;
            *t0 = fmin(*t0, run->points[k].departure);
            *t1 = fmax(*t1, run->points[k + 1].arrival);
        }
    }
}

static void compute_frame(const tm_timetable_result *r, const line_geo *g, const shade *sh,
                          size_t n_tracks, frame *f, size_t *drawn)
{
    double t0 = INFINITY, t1 = -INFINITY;
    *drawn = 0;
    runs_span(r, g, &t0, &t1, drawn);
    if (sh && sh->faint) {
        size_t planned = 0;
        runs_span(sh->faint, g, &t0, &t1, &planned);
    }
    if (!isfinite(t0)) {
        t0 = 0;
        t1 = 86400;
    }
    /* Blocking-time boxes on the line: a box begins before its train reaches the block. */
    for (size_t i = 0; sh && i < sh->n_boxes; i++) {
        const tm_graph_box *b = &sh->boxes[i];
        if (b->track < n_tracks && g->track_step[b->track] != (size_t)-1 && isfinite(b->t0) &&
            isfinite(b->t1)) {
            t0 = fmin(t0, b->t0);
            t1 = fmax(t1, b->t1);
        }
    }
    /* Whole hours; with boxes, a finer step for a short span, so a few trains fill the
     * panel. */
    double unit = 3600;
    if (sh && sh->n_boxes && t1 - t0 < 3 * 3600)
        unit = time_step(t1 - t0, 8);
    f->t0 = floor(t0 / unit) * unit;
    f->t1 = ceil(t1 / unit) * unit;
    if (f->t1 <= f->t0)
        f->t1 = f->t0 + 3600;
    f->len = g->length > 0 ? g->length : 1;
}

/* The rectangle (px) of a part of a track over a time span, or 0 when the track is off the
 * line. */
static int track_rect(const tm_scenario *sc, const line_geo *g, const frame *f, size_t track,
                      double pos0, double pos1, double t0, double t1, double *x, double *y,
                      double *w, double *h)
{
    if (track >= sc->network.n_tracks || g->track_step[track] == (size_t)-1)
        return 0;
    size_t j = g->track_step[track];
    double len = sc->network.tracks[track].length;
    double k0 = g->step_km[j] + (g->step_forward[j] ? pos0 : len - pos0);
    double k1 = g->step_km[j] + (g->step_forward[j] ? pos1 : len - pos1);
    double x0 = px_t(f, t0), x1 = px_t(f, t1);
    double y0 = px_d(f, fmin(k0, k1)), y1 = px_d(f, fmax(k0, k1));
    if (!isfinite(x0) || !isfinite(x1) || !isfinite(y0) || !isfinite(y1))
        return 0;
    *x = x0;
    *y = y0;
    *w = fmax(x1 - x0, 0.5);
    *h = fmax(y1 - y0, 0.5);
    return 1;
}

/* The blocking-time stairs (conflict 0) or the conflicts (1): filled boxes with an outline. */
static void draw_boxes(cairo_t *cr, const tm_scenario *sc, const line_geo *g, const frame *f,
                       const tm_timetable *tt, const shade *sh, int conflict)
{
    for (size_t i = 0; sh && i < sh->n_boxes; i++) {
        const tm_graph_box *b = &sh->boxes[i];
        double x, y, w, h;
        if (!b->conflict != !conflict ||
            !track_rect(sc, g, f, b->track, b->pos0, b->pos1, b->t0, b->t1, &x, &y, &w, &h))
            continue;
        unsigned rgb = conflict ? 0xe00000u
                       : b->service < tt->n_services ? category_rgb(tt->services[b->service].category)
                                                     : 0x808080u;
        double r = ((rgb >> 16) & 255) / 255.0, gr = ((rgb >> 8) & 255) / 255.0,
               bl = (rgb & 255) / 255.0;
        cairo_rectangle(cr, x, y, w, h);
        cairo_set_source_rgba(cr, r, gr, bl, conflict ? 0.55 : 0.16);
        cairo_fill_preserve(cr);
        cairo_set_source_rgba(cr, r, gr, bl, conflict ? 0.95 : 0.45);
        cairo_set_line_width(cr, conflict ? 1.0 : 0.5);
        cairo_stroke(cr);
    }
}

/* The bands of one kind on the line, as translucent rectangles: the corridor orange, the
 * protected structures' windows blue. */
static void draw_band_kind(cairo_t *cr, const tm_scenario *sc, const line_geo *g,
                           const frame *f, const shade *sh, int protect)
{
    if (protect)
        cairo_set_source_rgba(cr, 0.15, 0.35, 0.9, 0.45);
    else
        cairo_set_source_rgba(cr, 1.0, 0.6, 0.1, 0.35);
    for (size_t i = 0; sh && i < sh->n; i++) {
        const tm_graph_band *b = &sh->bands[i];
        if (b->protect != protect || b->track >= sc->network.n_tracks ||
            g->track_step[b->track] == (size_t)-1)
            continue;
        size_t j = g->track_step[b->track];
        double len = sc->network.tracks[b->track].length;
        double k0 = g->step_km[j] + (g->step_forward[j] ? b->pos0 : len - b->pos0);
        double k1 = g->step_km[j] + (g->step_forward[j] ? b->pos1 : len - b->pos1);
        double x0 = px_t(f, b->t0), x1 = px_t(f, b->t1);
        double y0 = px_d(f, fmin(k0, k1)), y1 = px_d(f, fmax(k0, k1));
        cairo_rectangle(cr, x0, y0, fmax(x1 - x0, 0.5), fmax(y1 - y0, 1.5));
    }
    cairo_fill(cr);
}

static void draw_bands(cairo_t *cr, const tm_scenario *sc, const line_geo *g,
                       const frame *f, const shade *sh)
{
    draw_band_kind(cr, sc, g, f, sh, 0);
    draw_band_kind(cr, sc, g, f, sh, 1);
}

static void draw_all(cairo_t *cr, const tm_scenario *sc, const tm_timetable_result *r,
                     const line_geo *g, const shade *sh)
{
    const tm_timetable *tt = r->timetable ? r->timetable : &sc->timetable;
    frame f;
    size_t drawn;
    compute_frame(r, g, sh, sc->network.n_tracks, &f, &drawn);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    draw_header(cr, sc, g, tt, drawn, sh && sh->n_boxes, sh ? sh->note : NULL);
    draw_axes(cr, sc, g, &f);
    cairo_save(cr);
    cairo_rectangle(cr, G_L, G_T - 14, G_R - G_L, G_B - G_T + 14);
    cairo_clip(cr);
    draw_bands(cr, sc, g, &f, sh);
    draw_boxes(cr, sc, g, &f, tt, sh, 0);
    for (size_t i = 0; sh && sh->faint && i < sh->faint->n_runs && i < tt->n_services; i++)
        if (on_line(g, &sh->faint->runs[i]))
            draw_service(cr, sc, g, &f, &tt->services[i], &sh->faint->runs[i], 0.25);
    for (size_t i = 0; i < r->n_runs; i++)
        if (on_line(g, &r->runs[i]))
            draw_service(cr, sc, g, &f, &tt->services[i], &r->runs[i], 1.0);
    draw_boxes(cr, sc, g, &f, tt, sh, 1);
    cairo_restore(cr);
}

/* ---- Files ------------------------------------------------------------------------------- */

typedef struct graph_ctx {
    const tm_scenario *sc;
    const tm_timetable_result *r;
    const line_geo *g;
    const shade *sh;
} graph_ctx;

static void draw_graph(cairo_t *cr, void *ctx)
{
    const graph_ctx *c = ctx;
    draw_all(cr, c->sc, c->r, c->g, c->sh);
}

static int write_shaded(const tm_scenario *sc, const tm_timetable_result *r, size_t from,
                        size_t to, const shade *sh, const char *path, tumen_error *err);

int tm_timetable_write_graph(const tm_scenario *sc, const tm_timetable_result *r,
                             size_t from, size_t to, const char *path, tumen_error *err)
{
    return tm_timetable_write_graph_bands(sc, r, from, to, NULL, 0, path, err);
}

int tm_timetable_write_graph_bands(const tm_scenario *sc, const tm_timetable_result *r,
                                   size_t from, size_t to, const tm_graph_band *bands,
                                   size_t n_bands, const char *path, tumen_error *err)
{
    return tm_timetable_write_graph_boxes(sc, r, from, to, bands, n_bands, NULL, 0, path, err);
}

int tm_timetable_write_graph_boxes(const tm_scenario *sc, const tm_timetable_result *r,
                                   size_t from, size_t to, const tm_graph_band *bands,
                                   size_t n_bands, const tm_graph_box *boxes, size_t n_boxes,
                                   const char *path, tumen_error *err)
{
    shade sh = {bands, n_bands, boxes, n_boxes, NULL, NULL};
    return write_shaded(sc, r, from, to, &sh, path, err);
}

int tm_timetable_write_graph_over(const tm_scenario *sc, const tm_timetable_result *planned,
                                  const tm_timetable_result *actual, size_t from, size_t to,
                                  const char *note, const char *path, tumen_error *err)
{
    shade sh = {NULL, 0, NULL, 0, planned, note};
    return write_shaded(sc, actual, from, to, &sh, path, err);
}

static int write_shaded(const tm_scenario *sc, const tm_timetable_result *r, size_t from,
                        size_t to, const shade *sh, const char *path, tumen_error *err)
{
    if (!sc || !r || !path || !path[0])
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "a scenario, a result and a file are needed for the diagram");
    if (!tm_has_extension(path, ".png") && !tm_has_extension(path, ".svg"))
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "the diagram file '%s' must end in .png or .svg", path);
    const tm_network *net = &sc->network;
    if (from >= net->n_ops || to >= net->n_ops || from == to)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, "--line",
                            "the line needs two different operational points of the network");
    line_geo g;
    int rc = line_build(net, from, to, &g, err);
    if (rc != TUMEN_OK)
        return rc;
    graph_ctx ctx = {sc, r, &g, sh};
    rc = tm_cairo_write(path, G_W, G_H, draw_graph, &ctx, "diagram", err);
    line_free(&g);
    return rc;
}
