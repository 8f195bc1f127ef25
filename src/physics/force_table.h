/* force_table.h: a force given as a (speed, force) table, read by linear interpolation.
 * Effort and resistance tables both use it; physics.h's inline forces call it, so it sits
 * below them and needs nothing but the model's table type. */
#ifndef TM_FORCE_TABLE_H
#define TM_FORCE_TABLE_H

#include <stddef.h>

#include "model/model.h"

/* Linear interpolation in a (speed, force) table sorted by speed; the force is held
 * constant below the first and beyond the last point (as TrainRuns.jl does). */
double tm_table_force(const tm_force_point *table, size_t n, double v);

/* The same, with the formula (linear segment, or a constant beyond either end) of the piece
 * that holds v_ref. */
double tm_table_force_frozen(const tm_force_point *table, size_t n, double v, double v_ref);

#endif
