/* cairo_out.h: a Cairo drawing written as PNG or SVG, atomically (core/atomic.h).
 * The speed-distance plot and the time-distance diagram draw; this writes. */
#ifndef TM_CAIRO_OUT_H
#define TM_CAIRO_OUT_H

#include <cairo.h>

#include "tumen.h"

/* Draws a picture of width w by height h (px for PNG, pt for SVG) onto cr. */
typedef void (*tm_draw_fn)(cairo_t *cr, void *ctx);

/* 1 if path ends in ext (".png"), in any letter case. */
int tm_has_extension(const char *path, const char *ext);

/* Writes what draw draws to path: PNG or SVG by the extension (the caller has checked it),
 * w x h. Numbers are printed in the C locale meanwhile (tick labels with '.').
 * `what` names the picture in messages ("plot", "diagram"). Returns TUMEN_OK, TUMEN_EIO
 * (naming the path and the reason), TUMEN_ENOMEM, or TUMEN_EUSAGE when this Cairo cannot
 * write the format. On failure no file is left at path. */
int tm_cairo_write(const char *path, double w, double h, tm_draw_fn draw, void *ctx,
                   const char *what, tumen_error *err);

#endif
