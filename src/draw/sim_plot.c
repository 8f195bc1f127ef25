/* sim_plot.c: the delay distribution of a simulation per train category: the share of
 * trains arriving at their destination no more than x late, over x from 0 to 30 min (a
 * cumulative distribution read from the fixed histogram bins), with the punctuality
 * thresholds of 1, 3, 5 and 15 min marked. PNG or SVG (draw/cairo_out.h). */
#include "draw/sim_plot.h"

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>

#include "draw/cairo_out.h"

#define W 900.0
#define H 520.0
#define LEFT 70.0
#define RIGHT 30.0
#define TOP_M 50.0
#define BOTTOM 60.0
#define XMAX 1800.0 /* s */

static const char *const cat_names[TM_N_CATEGORIES] = {"passenger", "freight", "special"};
static const double colours[TM_N_CATEGORIES][3] = {{0.12, 0.40, 0.75},
                                                   {0.55, 0.35, 0.10},
                                                   {0.80, 0.10, 0.15}};

typedef struct ctx {
    const tm_sim_stats *stats;
    const char *title;
} ctx;

static double px(double x) { return LEFT + (W - LEFT - RIGHT) * x / XMAX; }
static double py(double share) { return H - BOTTOM - (H - TOP_M - BOTTOM) * share; }

static void label(cairo_t *cr, double x, double y, const char *text, double align)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, text, &e);
    cairo_move_to(cr, x - align * e.width, y);
    cairo_show_text(cr, text);
}

static void axes(cairo_t *cr)
{
    char t[32];
    cairo_set_line_width(cr, 1.0);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11.0);
    for (int m = 0; m <= 30; m += 5) {
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_move_to(cr, px(m * 60.0), py(0));
        cairo_line_to(cr, px(m * 60.0), py(1));
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        snprintf(t, sizeof t, "%d", m);
        label(cr, px(m * 60.0), py(0) + 16, t, 0.5);
    }
    for (int k = 0; k <= 10; k += 2) {
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_move_to(cr, px(0), py(k / 10.0));
        cairo_line_to(cr, px(XMAX), py(k / 10.0));
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        snprintf(t, sizeof t, "%d %%", 10 * k);
        label(cr, px(0) - 6, py(k / 10.0) + 4, t, 1.0);
    }
    /* The punctuality thresholds. */
    static const double dashes[] = {4.0, 3.0};
    cairo_set_dash(cr, dashes, 2, 0);
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
    for (int k = 0; k < TM_SIM_N_THRESHOLDS; k++) {
        cairo_move_to(cr, px(tm_sim_thresholds[k]), py(0));
        cairo_line_to(cr, px(tm_sim_thresholds[k]), py(1));
        cairo_stroke(cr);
    }
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_rectangle(cr, px(0), py(1), px(XMAX) - px(0), py(0) - py(1));
    cairo_stroke(cr);
    label(cr, (px(0) + px(XMAX)) / 2, H - 18, "delay at the destination (min)", 0.5);
    cairo_save(cr);
    cairo_translate(cr, 16, (py(0) + py(1)) / 2);
    cairo_rotate(cr, -M_PI / 2);
    label(cr, 0, 0, "share of trains no later than this", 0.5);
    cairo_restore(cr);
}

static void curve(cairo_t *cr, const int64_t *v, int c)
{
    const int64_t *hist = v + TM_SIM_CAT_HIST;
    cairo_set_source_rgb(cr, colours[c][0], colours[c][1], colours[c][2]);
    cairo_set_line_width(cr, 2.0);
    int64_t cum = 0;
    cairo_move_to(cr, px(0), py(0));
    for (size_t b = 0; b < TM_SIM_NBINS; b++) {
        double lo = tm_sim_bin_lower(b);
        if (lo >= XMAX)
            break;
        double hi = b + 1 < TM_SIM_NBINS ? tm_sim_bin_lower(b + 1) : XMAX;
        /* A step: delays in [lo, hi) are counted from lo on. */
        cairo_line_to(cr, px(lo), py((double)cum / (double)v[0]));
        cum += hist[b];
        cairo_line_to(cr, px(lo), py((double)cum / (double)v[0]));
        if (hi >= XMAX)
            cairo_line_to(cr, px(XMAX), py((double)cum / (double)v[0]));
    }
    cairo_stroke(cr);
}

static void draw(cairo_t *cr, void *arg)
{
    const ctx *x = arg;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    axes(cr);
    double lx = px(XMAX) - 10;
    cairo_set_font_size(cr, 12.0);
    for (int c = TM_N_CATEGORIES - 1; c >= 0; c--) {
        const int64_t *v = x->stats->v + tm_sim_stats_cat(x->stats, c);
        if (!v[0])
            continue;
        curve(cr, v, c);
        char t[96];
        snprintf(t, sizeof t, "%s (%.0f%% within 3 min)", cat_names[c],
                 100.0 * (double)v[2] / (double)v[0]);
        cairo_set_source_rgb(cr, colours[c][0], colours[c][1], colours[c][2]);
        label(cr, lx, py(0) - 12 - 16 * c, t, 1.0);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 14.0);
    label(cr, LEFT, 28, x->title, 0.0);
}

int tm_sim_plot(const tm_sim_stats *stats, const char *title, const char *path,
                tumen_error *err)
{
    ctx x = {stats, title};
    return tm_cairo_write(path, W, H, draw, &x, "plot", err);
}
