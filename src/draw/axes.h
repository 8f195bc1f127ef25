/* axes.h: what the speed-distance plot (draw/plot.c) and the time-distance diagram
 * (draw/graph_plot.c) draw alike: colours as 0xRRGGBB, text in the one font, and the grid
 * line, tick mark and label of an axis. */
#ifndef TM_DRAW_AXES_H
#define TM_DRAW_AXES_H

#include <cairo.h>

#define TM_DRAW_FONT "DejaVu Sans"

/* The source colour from 0xRRGGBB. */
void tm_draw_rgb(cairo_t *cr, unsigned rgb);

/* Text with its baseline at y: left at x (align 0), centred (0.5) or right (1). */
void tm_draw_text(cairo_t *cr, double x, double y, double size, int bold, double align,
                  const char *s);

/* Colours and label size of an axis's ticks. */
typedef struct tm_axis_style {
    unsigned grid, axis, text;  /* 0xRRGGBB */
    double label_size;
} tm_axis_style;

/* A tick of a horizontal axis at x: the grid line from y0 down to y1, a tick mark of
 * `tick` below y1, and label (may be NULL) centred at label_y. */
void tm_draw_vtick(cairo_t *cr, const tm_axis_style *st, double x, double y0, double y1,
                   double tick, double label_y, const char *label);

/* A tick of a vertical axis at y: the grid line from x0 to x1, a tick mark of `tick` left of
 * x0 (0: none), and label (may be NULL) right-aligned 8 px left of x0. */
void tm_draw_htick(cairo_t *cr, const tm_axis_style *st, double y, double x0, double x1,
                   double tick, const char *label);

#endif
