/* cairo_out.c: PNG and SVG output of a Cairo drawing, through a temporary file renamed into
 * place, so a failed write leaves nothing behind. Cairo streams into our FILE *, so its
 * write errors come back with their errno. */
#include "draw/cairo_out.h"
#include "core/error.h"
#include "core/atomic.h"
#include "core/c_locale.h"

#include <cairo-svg.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct sink {
    FILE *fp;
    int errnum; /* errno of the first failed write, or 0 */
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    sink *k = closure;
    if (k->errnum)
        return CAIRO_STATUS_WRITE_ERROR;
    errno = 0;
    if (fwrite(data, 1, length, k->fp) != length) {
        k->errnum = errno ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* Maps a Cairo failure to a tumen error. */
static int failure(tumen_error *err, cairo_status_t st, const sink *k, const char *path,
                   const char *what)
{
    if (st == CAIRO_STATUS_NO_MEMORY)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory drawing the %s '%s'",
                            what, path);
    if (k->errnum)
        return tm_io_error(err, "write", path, k->errnum);
    return tm_error_set(err, TUMEN_EIO, NULL, 0, NULL, "cannot draw the %s '%s': %s", what, path,
                        cairo_status_to_string(st));
}

int tm_has_extension(const char *path, const char *ext)
{
    size_t n = strlen(path), m = strlen(ext);
    return n > m && strcasecmp(path + n - m, ext) == 0;
}

static int write_png(const char *path, double w, double h, tm_draw_fn draw, void *ctx,
                     const char *what, tumen_error *err)
{
#if CAIRO_HAS_PNG_FUNCTIONS
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
    cairo_t *cr = cairo_create(surface);
    draw(cr, ctx);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    sink k = {NULL, 0};
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return failure(err, st, &k, path, what);
    }
    tm_atomic_file af;
    k.fp = tm_atomic_open(path, &af, err);
    if (!k.fp) {
        cairo_surface_destroy(surface);
        return err ? err->code : TUMEN_EIO;
    }
    st = cairo_surface_write_to_png_stream(surface, sink_write, &k);
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        tm_atomic_abort(&af);
        return failure(err, st, &k, path, what);
    }
    return tm_atomic_commit(&af, err);
#else
    return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                        "this build of Cairo cannot write PNG files ('%s')", path);
#endif
}

static int write_svg(const char *path, double w, double h, tm_draw_fn draw, void *ctx,
                     const char *what, tumen_error *err)
{
#if CAIRO_HAS_SVG_SURFACE
    sink k = {NULL, 0};
    tm_atomic_file af;
    k.fp = tm_atomic_open(path, &af, err);
    if (!k.fp)
        return err ? err->code : TUMEN_EIO;
    cairo_surface_t *surface = cairo_svg_surface_create_for_stream(sink_write, &k, w, h);
    cairo_t *cr = cairo_create(surface);
    draw(cr, ctx);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface); /* writes the document */
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS || k.errnum) {
        tm_atomic_abort(&af);
        return failure(err, st != CAIRO_STATUS_SUCCESS ? st : CAIRO_STATUS_WRITE_ERROR, &k, path,
                       what);
    }
    return tm_atomic_commit(&af, err);
#else
    return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                        "this build of Cairo cannot write SVG files ('%s')", path);
#endif
}

int tm_cairo_write(const char *path, double w, double h, tm_draw_fn draw, void *ctx,
                   const char *what, tumen_error *err)
{
    locale_t old = tm_c_numeric_enter(); /* C-locale numbers, this thread only */
    int rc = tm_has_extension(path, ".png") ? write_png(path, w, h, draw, ctx, what, err)
                                            : write_svg(path, w, h, draw, ctx, what, err);
    tm_c_numeric_leave(old);
    return rc;
}
