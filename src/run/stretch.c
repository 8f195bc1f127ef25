/* stretch.c: one stop-to-stop segment of a line on its own clock (run/stretch.h). */
#include "run/stretch.h"

#include "core/error.h"

int tm_run_stretch(const tm_train *tr, const tm_line *line, const tumen_run_options *o,
                   double from, double to, tm_samples *out, tumen_error *err)
{
    tm_course c;
    int rc = tm_course_build(&c, tr, line, o->mass_model, err);
    if (rc != TUMEN_OK)
        return rc;
    out->n = 0;
    tumen_sample stand = {0.0, from, 0, 0, 0, 0, 0, 0, 0.0, TUMEN_MODE_STANDSTILL, 0};
    double regen = 0.0;
    tm_pass_options po = {o->max_step, NULL, 0, &regen, o->adaptive_step};
    if (tm_vec_push(out, stand))
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    else
        rc = tm_pass_segment(out, &c, from, to, &po, err);
    tm_course_free(&c);
    return rc;
}
