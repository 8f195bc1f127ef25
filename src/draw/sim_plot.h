/* sim_plot.h: the delay distribution of a simulation, per train category (sim_plot.c). */
#ifndef TM_SIM_PLOT_H
#define TM_SIM_PLOT_H

#include "sim/sim.h"

/* Writes the share of trains within x of their planned arrival at the destination over
 * x = 0 .. 30 min, one curve per category, to path (.png or .svg; the caller has checked
 * the extension). Returns as tm_cairo_write. */
int tm_sim_plot(const tm_sim_stats *stats, const char *title, const char *path,
                tumen_error *err);

#endif
