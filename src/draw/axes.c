/* axes.c: colours, text and axis ticks shared by the two pictures (draw/axes.h). */
#include "draw/axes.h"

void tm_draw_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                         (rgb & 255) / 255.0);
}

void tm_draw_text(cairo_t *cr, double x, double y, double size, int bold, double align,
                  const char *s)
{
    cairo_select_font_face(cr, TM_DRAW_FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, s, &ext);
    cairo_move_to(cr, x - align * ext.x_advance, y);
    cairo_show_text(cr, s);
}

void tm_draw_vtick(cairo_t *cr, const tm_axis_style *st, double x, double y0, double y1,
                   double tick, double label_y, const char *label)
{
    tm_draw_rgb(cr, st->grid);
    cairo_move_to(cr, x, y0);
    cairo_line_to(cr, x, y1);
    cairo_stroke(cr);
    tm_draw_rgb(cr, st->axis);
    cairo_move_to(cr, x, y1);
    cairo_line_to(cr, x, y1 + tick);
    cairo_stroke(cr);
    if (label) {
        tm_draw_rgb(cr, st->text);
        tm_draw_text(cr, x, label_y, st->label_size, 0, 0.5, label);
    }
}

void tm_draw_htick(cairo_t *cr, const tm_axis_style *st, double y, double x0, double x1,
                   double tick, const char *label)
{
    tm_draw_rgb(cr, st->grid);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
    if (tick > 0.0) {
        tm_draw_rgb(cr, st->axis);
        cairo_move_to(cr, x0 - tick, y);
        cairo_line_to(cr, x0, y);
        cairo_stroke(cr);
    }
    if (label) {
        tm_draw_rgb(cr, st->text);
        tm_draw_text(cr, x0 - 8, y + 4, st->label_size, 0, 1, label);
    }
}
