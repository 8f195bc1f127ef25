/* day_segments.h: a day's services run as stop-to-stop segments shared between patterns
 * (plan/day_segments.c).
 *
 * A service's run is, by definition, the sum of its stop-to-stop segments, each integrated on
 * its own clock from standing at one stop to standing at the next, with the dwell between
 * them (docs/speed.md, "Segments"). A segment's run depends on the consist and the line from
 * a train length behind its first stop to the turnout beyond its last, not on the clock nor
 * on what came before, so services of different patterns that share a segment share its run:
 * the engine runs each distinct segment once. */
#ifndef TM_DAY_SEGMENTS_H
#define TM_DAY_SEGMENTS_H

#include "plan/timetable.h"

typedef struct tm_day_segments tm_day_segments;

/* Routes the leader of every pattern (leaders[0 .. n_leaders), indexes into tt) and runs
 * every distinct segment of those that run by segments (no allowance, no consist change) on
 * opt->threads threads. Patterns whose route fails, or that cannot run by segments, are left
 * to tm_day_segments_run's whole run. TUMEN_OK or TUMEN_ENOMEM. */
int tm_day_segments_build(const tm_scenario *sc, const tm_timetable *tt, const size_t *leaders,
                          size_t n_leaders, const tm_timetable_options *opt,
                          tm_day_segments **out);

/* Pattern k's run of svc (its leader, or a service of the same pattern) on svc's clock, as
 * tm_timetable_run_service gives it: from the shared segments where the pattern runs by
 * segments, else by running the whole service. Thread-safe for distinct run slots. */
int tm_day_segments_run(const tm_day_segments *d, size_t k, const tm_service *svc,
                        const tm_timetable_options *opt, tm_service_run *run, tumen_error *err);

void tm_day_segments_free(tm_day_segments *d);

#endif
