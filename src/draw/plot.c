/* plot.c: the speed-distance diagram (Cairo), as PNG or SVG.
 *
 * Layout (1600 x 700, px for PNG, pt for SVG):
 *   title and summary line, legend on the right;
 *   a band of stop names (rotated, skipped where closer than LABEL_GAP px);
 *   the speed panel: speed limit (red step line) and the train's speed (blue), km/h;
 *   the gradient panel: gradient in permille as a grey filled step area;
 *   the distance axis in km along the journey, shared by both panels.
 * Long runs are decimated before drawing: within each half-pixel column only the first,
 * lowest, highest and last points are kept (in their order), which draws the same line
 * with a few thousand points instead of 100k, so files stay small and drawing is fast.
 * The file is written through core/atomic.h like every output. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo.h>

#include "core/error.h"
#include "draw/axes.h"
#include "draw/cairo_out.h"

#define PLOT_W 1600.0
#define PLOT_H 700.0
#define PLOT_L 90.0     /* left edge of the panels */
#define PLOT_R 1560.0   /* right edge of the panels */
#define TITLE_Y 32.0
#define SUBTITLE_Y 54.0
#define BAND_TOP 64.0   /* stop-name band */
#define SPEED_TOP 162.0
#define SPEED_BOTTOM 500.0
#define GRAD_TOP 520.0
#define GRAD_BOTTOM 628.0
#define XTICK_Y 646.0
#define XTITLE_Y 676.0
#define LABEL_GAP 12.0  /* px: stop labels closer than this to the previous one are skipped */
#define COLUMNS_PER_PX 2.0
#define FONT TM_DRAW_FONT
#define PLOT_PI 3.14159265358979323846

typedef struct frame {
    double s0, s1;        /* m, the distance range drawn */
    double v1, vstep;     /* km/h, top of the speed axis (bottom is 0) and its tick step */
    double g0, g1, gstep; /* permille, the gradient axis and its tick step */
} frame;

static double px_x(const frame *f, double s)
{
    return PLOT_L + (s - f->s0) / (f->s1 - f->s0) * (PLOT_R - PLOT_L);
}

static double px_v(const frame *f, double kmh)
{
    return SPEED_BOTTOM - kmh / f->v1 * (SPEED_BOTTOM - SPEED_TOP);
}

static double px_g(const frame *f, double permille)
{
    return GRAD_BOTTOM - (permille - f->g0) / (f->g1 - f->g0) * (GRAD_BOTTOM - GRAD_TOP);
}

/* A "nice" tick step (1, 2 or 5 times a power of ten) giving about target ticks. */
static double nice_step(double range, double target)
{
    double raw = range / target;
    if (!(raw > 0) || !isfinite(raw))
        return 1.0;
    double mag = pow(10.0, floor(log10(raw)));
    double norm = raw / mag;
    double k = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
    return k * mag;
}

static int decimals_for(double step)
{
    if (step >= 1)
        return 0;
    int d = (int)ceil(-log10(step) - 1e-9);
    return d > 6 ? 6 : d;
}

/* ---- Decimation: first/min/max/last per half-pixel column -------------------------- */

typedef struct pt {
    double x, y;
    size_t idx;
} pt;

typedef struct decimator {
    cairo_t *cr;
    int pen_down;         /* a sub-path is open */
    int have;             /* the current column holds points */
    long col;
    size_t n;             /* points seen, for ordering */
    pt first, last, lo, hi;
    size_t emitted;       /* index of the last point emitted, to skip duplicates */
    int any_emitted;
} decimator;

static void dec_emit(decimator *d, pt p)
{
    if (d->any_emitted && p.idx == d->emitted)
        return;
    if (d->pen_down)
        cairo_line_to(d->cr, p.x, p.y);
    else
        cairo_move_to(d->cr, p.x, p.y);
    d->pen_down = 1;
    d->emitted = p.idx;
    d->any_emitted = 1;
}

static void dec_flush(decimator *d)
{
    if (!d->have)
        return;
    pt a = d->lo.idx < d->hi.idx ? d->lo : d->hi;
    pt b = d->lo.idx < d->hi.idx ? d->hi : d->lo;
    dec_emit(d, d->first);
    dec_emit(d, a);
    dec_emit(d, b);
    dec_emit(d, d->last);
    d->have = 0;
}

static void dec_init(decimator *d, cairo_t *cr)
{
    memset(d, 0, sizeof *d);
    d->cr = cr;
}

static void dec_point(decimator *d, double x, double y)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    pt p = {x, y, d->n++};
    long col = (long)floor(x * COLUMNS_PER_PX);
    if (d->have && col != d->col)
        dec_flush(d);
    if (!d->have) {
        d->have = 1;
        d->col = col;
        d->first = d->lo = d->hi = p;
    }
    if (p.y < d->lo.y)
        d->lo = p;
    if (p.y > d->hi.y)
        d->hi = p;
    d->last = p;
}

/* Ends the current polyline; the next point starts a new one. */
static void dec_break(decimator *d)
{
    dec_flush(d);
    d->pen_down = 0;
}

/* ---- Text ---------------------------------------------------------------------------- */

/* Text rotated to read upwards, centred on y (align 0.5) or starting at y (align 0). */
static void text_up(cairo_t *cr, double x, double y, double size, double align,
                    const char *s)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, s, &ext);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -PLOT_PI / 2);
    cairo_move_to(cr, -align * ext.x_advance, 0);
    cairo_show_text(cr, s);
    cairo_restore(cr);
}

/* Copies name into out, shortened with an ellipsis to at most max_w wide. */
static void fit_text(cairo_t *cr, const char *name, double max_w, char *out, size_t size)
{
    snprintf(out, size, "%s", name);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, out, &ext);
    if (ext.x_advance <= max_w)
        return;
    size_t n = strlen(out);
    while (n > 0) {
        do  /* drop one UTF-8 character */
            n--;
        while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80);
        if (n + 4 > size)
            continue;
        memcpy(out + n, "\xe2\x80\xa6", 4);  /* U+2026 */
        cairo_text_extents(cr, out, &ext);
        if (ext.x_advance <= max_w)
            return;
    }
}

/* ---- Drawing ------------------------------------------------------------------------- */

#define C_SPEED 0x1f5fbfu
#define C_LIMIT 0xd62728u
#define C_GRADE 0x9a9a9au
#define C_GRID 0xe4e4e4u
#define C_AXIS 0x404040u
#define C_TEXT 0x202020u
#define C_STOP 0x303030u

static void compute_frame(const tumen_result *r, frame *f)
{
    f->s0 = 0;
    f->s1 = r->distance > 0 && isfinite(r->distance) ? r->distance : 0;
    double vmax = r->max_speed > 0 && isfinite(r->max_speed) ? r->max_speed : 0;
    for (size_t i = 0; i < r->n_samples; i++) {
        const tumen_sample *p = &r->samples[i];
        if (isfinite(p->s)) {
            f->s0 = fmin(f->s0, p->s);
            f->s1 = fmax(f->s1, p->s);
        }
        if (isfinite(p->v))
            vmax = fmax(vmax, p->v);
    }
    double gmin = 0, gmax = 0;
    for (size_t i = 0; i < r->n_profile; i++) {
        if (r->profile_s && isfinite(r->profile_s[i])) {
            f->s0 = fmin(f->s0, r->profile_s[i]);
            f->s1 = fmax(f->s1, r->profile_s[i]);
        }
        if (r->profile_limit && isfinite(r->profile_limit[i]) && r->profile_limit[i] > 0)
            vmax = fmax(vmax, r->profile_limit[i]);
        if (r->profile_gradient && isfinite(r->profile_gradient[i])) {
            gmin = fmin(gmin, r->profile_gradient[i] * 1000);
            gmax = fmax(gmax, r->profile_gradient[i] * 1000);
        }
    }
    if (!(f->s1 > f->s0))
        f->s1 = f->s0 + 1000;
    double vkmh = vmax * 3.6;
    if (!(vkmh > 0))
        vkmh = 100;
    f->vstep = nice_step(vkmh * 1.05, 7);
    f->v1 = ceil(vkmh * 1.05 / f->vstep - 1e-9) * f->vstep;
    if (gmax - gmin < 1e-9) {
        gmin = -1;
        gmax = 1;
    }
    /* the panel is short: about three ticks, always including 0 */
    f->gstep = nice_step(gmax - gmin, 3);
    f->g0 = floor(gmin / f->gstep - 1e-9) * f->gstep;
    f->g1 = ceil(gmax / f->gstep + 1e-9) * f->gstep;
}

static const tm_axis_style axis_style = {C_GRID, C_AXIS, C_TEXT, 12};

static void draw_axes(cairo_t *cr, const frame *f)
{
    char buf[64];
    cairo_set_line_width(cr, 1);
    /* distance grid and ticks */
    double span_km = (f->s1 - f->s0) / 1000;
    double step = nice_step(span_km, 14);
    int dec = decimals_for(step);
    double k0 = ceil(f->s0 / 1000 / step - 1e-9);
    for (int i = 0; (k0 + i) * step <= f->s1 / 1000 + step * 1e-9; i++) {
        double k = (k0 + i) * step;
        double x = round(px_x(f, k * 1000)) + 0.5;
        snprintf(buf, sizeof buf, "%.*f", dec, fabs(k) < step * 1e-6 ? 0.0 : k);
        tm_draw_vtick(cr, &axis_style, x, SPEED_TOP, SPEED_BOTTOM, 4, 0, NULL);
        tm_draw_vtick(cr, &axis_style, x, GRAD_TOP, GRAD_BOTTOM, 5, XTICK_Y, buf);
    }
    tm_draw_rgb(cr, C_TEXT);
    tm_draw_text(cr, (PLOT_L + PLOT_R) / 2, XTITLE_Y, 13, 0, 0.5, "distance [km]");

    /* speed axis */
    double vstep = f->vstep;
    for (int i = 0; i * vstep <= f->v1 + vstep * 1e-9; i++) {
        double v = i * vstep;
        snprintf(buf, sizeof buf, "%.*f", decimals_for(vstep), v);
        tm_draw_htick(cr, &axis_style, round(px_v(f, v)) + 0.5, PLOT_L, PLOT_R, 5, buf);
    }
    tm_draw_rgb(cr, C_TEXT);
    text_up(cr, 28, (SPEED_TOP + SPEED_BOTTOM) / 2, 13, 0.5, "speed [km/h]");

    /* gradient axis */
    double gstep = f->gstep;
    for (int i = 0; f->g0 + i * gstep <= f->g1 + gstep * 1e-9; i++) {
        double g = f->g0 + i * gstep;
        snprintf(buf, sizeof buf, "%.*f", decimals_for(gstep), fabs(g) < gstep * 1e-6 ? 0.0 : g);
        tm_draw_htick(cr, &axis_style, round(px_g(f, g)) + 0.5, PLOT_L, PLOT_R, 5, buf);
    }
    tm_draw_rgb(cr, C_TEXT);
    text_up(cr, 28, (GRAD_TOP + GRAD_BOTTOM) / 2, 13, 0.5, "gradient [\xe2\x80\xb0]");
}

static void draw_frames(cairo_t *cr, const frame *f)
{
    tm_draw_rgb(cr, C_AXIS);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, PLOT_L + 0.5, SPEED_TOP + 0.5, PLOT_R - PLOT_L - 1,
                    SPEED_BOTTOM - SPEED_TOP - 1);
    cairo_rectangle(cr, PLOT_L + 0.5, GRAD_TOP + 0.5, PLOT_R - PLOT_L - 1,
                    GRAD_BOTTOM - GRAD_TOP - 1);
    cairo_stroke(cr);
    /* the level line of the gradient panel */
    double y0 = round(px_g(f, 0)) + 0.5;
    cairo_move_to(cr, PLOT_L, y0);
    cairo_line_to(cr, PLOT_R, y0);
    cairo_stroke(cr);
}

static double step_end(const tumen_result *r, const frame *f, size_t i)
{
    return i + 1 < r->n_profile ? r->profile_s[i + 1] : fmax(r->distance, f->s1);
}

static void draw_gradient(cairo_t *cr, const tumen_result *r, const frame *f)
{
    if (!r->profile_s || !r->profile_gradient || !r->n_profile)
        return;
    cairo_save(cr);
    cairo_rectangle(cr, PLOT_L, GRAD_TOP, PLOT_R - PLOT_L, GRAD_BOTTOM - GRAD_TOP);
    cairo_clip(cr);
    double y0 = px_g(f, 0);
    decimator d;
    dec_init(&d, cr);
    cairo_new_path(cr);
    cairo_move_to(cr, px_x(f, r->profile_s[0]), y0);
    d.pen_down = 1;
    for (size_t i = 0; i < r->n_profile; i++) {
        double g = isfinite(r->profile_gradient[i]) ? r->profile_gradient[i] * 1000 : 0;
        dec_point(&d, px_x(f, r->profile_s[i]), px_g(f, g));
        dec_point(&d, px_x(f, step_end(r, f, i)), px_g(f, g));
    }
    dec_flush(&d);
    cairo_line_to(cr, px_x(f, step_end(r, f, r->n_profile - 1)), y0);
    cairo_close_path(cr);
    cairo_set_source_rgba(cr, 0.60, 0.60, 0.60, 0.75);
    cairo_fill_preserve(cr);
    tm_draw_rgb(cr, 0x6e6e6eu);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_limit(cairo_t *cr, const tumen_result *r, const frame *f)
{
    if (!r->profile_s || !r->profile_limit || !r->n_profile)
        return;
    cairo_save(cr);
    cairo_rectangle(cr, PLOT_L, SPEED_TOP - 2, PLOT_R - PLOT_L, SPEED_BOTTOM - SPEED_TOP + 2);
    cairo_clip(cr);
    decimator d;
    dec_init(&d, cr);
    cairo_new_path(cr);
    for (size_t i = 0; i < r->n_profile; i++) {
        double lim = r->profile_limit[i];
        if (!isfinite(lim) || lim <= 0) {  /* no limit known here: leave a gap */
            dec_break(&d);
            continue;
        }
        dec_point(&d, px_x(f, r->profile_s[i]), px_v(f, lim * 3.6));
        dec_point(&d, px_x(f, step_end(r, f, i)), px_v(f, lim * 3.6));
    }
    dec_flush(&d);
    tm_draw_rgb(cr, C_LIMIT);
    cairo_set_line_width(cr, 1.6);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_speed(cairo_t *cr, const tumen_result *r, const frame *f)
{
    if (!r->samples || !r->n_samples)
        return;
    cairo_save(cr);
    cairo_rectangle(cr, PLOT_L, SPEED_TOP, PLOT_R - PLOT_L, SPEED_BOTTOM - SPEED_TOP);
    cairo_clip(cr);
    decimator d;
    dec_init(&d, cr);
    cairo_new_path(cr);
    for (size_t i = 0; i < r->n_samples; i++)
        dec_point(&d, px_x(f, r->samples[i].s), px_v(f, r->samples[i].v * 3.6));
    dec_flush(&d);
    tm_draw_rgb(cr, C_SPEED);
    cairo_set_line_width(cr, 1.8);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_stops(cairo_t *cr, const tumen_result *r, const frame *f)
{
    if (!r->timing_points)
        return;
    double last_x = -1e9;
    char name[160];
    for (size_t i = 0; i < r->n_timing_points; i++) {
        const tumen_timing_point *tp = &r->timing_points[i];
        if (!tp->is_stop || !isfinite(tp->position))
            continue;
        double x = round(px_x(f, tp->position)) + 0.5;
        /* faint guide through the speed panel, and the mark itself */
        cairo_set_source_rgba(cr, 0.2, 0.2, 0.2, 0.35);
        cairo_set_line_width(cr, 1);
        const double dash[] = {3, 3};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, x, SPEED_TOP);
        cairo_line_to(cr, x, SPEED_BOTTOM);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        tm_draw_rgb(cr, C_STOP);
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, x, SPEED_TOP - 7);
        cairo_line_to(cr, x, SPEED_TOP + 5);
        cairo_stroke(cr);
        if (x - last_x < LABEL_GAP || !tp->name || !tp->name[0])
            continue;
        last_x = x;
        cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, 11);
        fit_text(cr, tp->name, SPEED_TOP - 10 - BAND_TOP, name, sizeof name);
        tm_draw_rgb(cr, C_TEXT);
        text_up(cr, x + 4, SPEED_TOP - 10, 11, 0, name);
    }
}

static void legend_item(cairo_t *cr, double *x, int kind, unsigned rgb, const char *label)
{
    double y = TITLE_Y - 5;
    if (kind == 0) {  /* line */
        tm_draw_rgb(cr, rgb);
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, *x, y);
        cairo_line_to(cr, *x + 26, y);
        cairo_stroke(cr);
    } else if (kind == 1) {  /* filled box */
        cairo_set_source_rgba(cr, 0.60, 0.60, 0.60, 0.75);
        cairo_rectangle(cr, *x, y - 6, 26, 12);
        cairo_fill(cr);
    } else {  /* stop mark */
        tm_draw_rgb(cr, rgb);
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, *x + 13, y - 7);
        cairo_line_to(cr, *x + 13, y + 7);
        cairo_stroke(cr);
    }
    tm_draw_rgb(cr, C_TEXT);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 13);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, label, &ext);
    cairo_move_to(cr, *x + 32, y + 5);
    cairo_show_text(cr, label);
    *x += 32 + ext.x_advance + 22;
}

static double legend_width(cairo_t *cr)
{
    static const char *const labels[] = {"speed", "speed limit", "gradient", "stop"};
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 13);
    double w = 0;
    for (size_t i = 0; i < 4; i++) {
        cairo_text_extents_t ext;
        cairo_text_extents(cr, labels[i], &ext);
        w += 32 + ext.x_advance + 22;
    }
    return w - 22;
}

static void draw_header(cairo_t *cr, const tumen_result *r, const char *title)
{
    tm_draw_rgb(cr, C_TEXT);
    tm_draw_text(cr, PLOT_L, TITLE_Y, 20, 1, 0,
            title && title[0] ? title : "Speed over distance");
    char sub[256];
    double t = isfinite(r->running_time) && r->running_time > 0 ? r->running_time : 0;
    long secs = lround(t);
    snprintf(sub, sizeof sub,
             "running time %ld:%02ld:%02ld  \xc2\xb7  distance %.1f km  \xc2\xb7  "
             "energy %.0f kWh  \xc2\xb7  top speed %.0f km/h",
             secs / 3600, secs / 60 % 60, secs % 60, r->distance / 1000, r->energy / 3.6e6,
             r->max_speed * 3.6);
    tm_draw_rgb(cr, 0x555555u);
    tm_draw_text(cr, PLOT_L, SUBTITLE_Y, 13, 0, 0, sub);
    double x = PLOT_R - legend_width(cr);
    legend_item(cr, &x, 0, C_SPEED, "speed");
    legend_item(cr, &x, 0, C_LIMIT, "speed limit");
    legend_item(cr, &x, 1, C_GRADE, "gradient");
    legend_item(cr, &x, 2, C_STOP, "stop");
}

static void draw_all(cairo_t *cr, const tumen_result *r, const char *title)
{
    frame f;
    compute_frame(r, &f);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    draw_header(cr, r, title);
    draw_axes(cr, &f);
    draw_gradient(cr, r, &f);
    draw_limit(cr, r, &f);
    draw_speed(cr, r, &f);
    draw_frames(cr, &f);
    draw_stops(cr, r, &f);
}

/* ---- Files ----------------------------------------------------------------------------- */

typedef struct plot_ctx {
    const tumen_result *r;
    const char *title;
} plot_ctx;

static void draw_plot(cairo_t *cr, void *ctx)
{
    const plot_ctx *c = ctx;
    draw_all(cr, c->r, c->title);
}

/* Draws the speed-distance diagram of result to path: PNG (1600 x 700 px) or SVG
 * (1600 x 700 pt), chosen by the extension .png / .svg (any case). title may be NULL
 * for a generic one. Returns TUMEN_OK; TUMEN_EUSAGE for a NULL result or path or another
 * extension; TUMEN_EIO (naming the path) or TUMEN_ENOMEM. Atomic: on failure no file is
 * left at path. */
int tumen_write_plot(const tumen_result *result, const char *title, const char *path,
                     tumen_error *err)
{
    if (!result)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "No result to plot.");
    if (!path || !path[0])
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "No plot file was given.");
    if (!tm_has_extension(path, ".png") && !tm_has_extension(path, ".svg"))
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "The plot file '%s' must end in .png or .svg.", path);
    if ((result->n_samples && !result->samples) ||
        (result->n_timing_points && !result->timing_points))
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "The result's arrays are missing.");
    plot_ctx ctx = {result, title};
    return tm_cairo_write(path, PLOT_W, PLOT_H, draw_plot, &ctx, "plot", err);
}
