/* stretch.h: one stop-to-stop segment of a line run on its own clock (run/stretch.c).
 *
 * A small entry point into the engine for the day's runs (plan/day_segments.c): the same
 * course and the same integration (tm_pass_segment) a journey uses for the segment, with the
 * train standing at `from` at time 0. */
#ifndef TM_STRETCH_H
#define TM_STRETCH_H

#include "run/run.h"

/* Runs train tr over [from, to] of line (head positions, standstill to standstill, no
 * allowance), the clock starting at 0 with the train standing at `from`. Replaces out's
 * samples (the first is the standstill at `from`; positions are the line's). The line may
 * begin before `from` and end after `to`: what lies behind the train (its tail's speed limits
 * and gradients) and the turnouts at both ends are then the same as in a run of the whole
 * line. Returns TUMEN_OK, TUMEN_ENOMEM or TUMEN_EPHYSICS (the train stalls). */
int tm_run_stretch(const tm_train *tr, const tm_line *line, const tumen_run_options *o,
                   double from, double to, tm_samples *out, tumen_error *err);

#endif
