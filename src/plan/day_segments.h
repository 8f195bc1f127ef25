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
 * opt->threads threads; full: keep the engine's whole samples (for trajectories handed to
 * the caller), else time, position and speed. TUMEN_OK or TUMEN_ENOMEM. */
int tm_day_segments_build(const tm_scenario *sc, const tm_timetable *tt, const size_t *leaders,
                          size_t n_leaders, const tm_timetable_options *opt, int full,
                          tm_day_segments **out);

/* tm_day_segments_run's answer when pattern k does not run by segments (an allowance, a
 * consist change, a route or a segment that failed: the whole run says why). */
#define TM_DAY_WHOLE 1 /* positive: every tumen status is 0 or negative */

/* Pattern k's run of svc (its leader, or a service of the same pattern) on svc's clock, as
 * a whole run would give it (with opt->keep_samples, the trajectory). TUMEN_OK,
 * TUMEN_ENOMEM or TM_DAY_WHOLE (run is then empty). Thread-safe for distinct run slots. */
int tm_day_segments_run(const tm_day_segments *d, size_t k, const tm_service *svc,
                        const tm_timetable_options *opt, tm_service_run *run);

void tm_day_segments_free(tm_day_segments *d);

#endif
