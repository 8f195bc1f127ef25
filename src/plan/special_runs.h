/* special_runs.h: the engine runs of a special request's stop-to-stop segments, from one
 * course and one run per station the convoy leaves (plan/special_runs.c). */
#ifndef TM_SPECIAL_RUNS_H
#define TM_SPECIAL_RUNS_H

#include "block/blocking.h"
#include "block/resources.h"
#include "model/scenario.h"
#include "run/service_run.h"

typedef struct tm_sp_runs tm_sp_runs;

/* The runs of one request whose route passes operational points ops[0 .. n) (kept by the
 * caller); NULL when memory runs out. */
tm_sp_runs *tm_sp_runs_new(const tm_scenario *sc, const size_t *ops, size_t n);
void tm_sp_runs_free(tm_sp_runs *r);

/* The run of consist `train` from station i to k (i < k <= far), standing at both and
 * nowhere between: the same as tm_timetable_run_service of a service over waypoints
 * ops[i .. k] leaving at 0 with its samples kept (points and steps in out; the samples in
 * *samples, r's until the next call: out->samples stays NULL; the bytes such a run
 * gives). far is how far the runs from i may go (the next stop the convoy must make);
 * the runs from i share one route, line, course and one run to far, which the others start
 * from (tm_pass_resume). *done is 0 where this way does not give that run (a route that
 * reverses, a turnout speed at k, a route search that fails): the caller runs the service.
 * Returns TUMEN_OK, or TUMEN_ENOMEM (then *done is 0 and out empty). */
int tm_sp_runs_segment(tm_sp_runs *r, size_t train, size_t i, size_t far, size_t k,
                       tm_service_run *out, const tumen_sample **samples, size_t *n_samples,
                       int *done, tumen_error *err);

/* The blocking-time stairs of the last segment tm_sp_runs_segment gave (done) over its
 * blocks (tm_service_blocks of its run): tm_blocking_stairs of its samples, with the
 * stairs of the blocks whose every look falls within the samples it shares with the run to
 * far taken from that run's stairs (worked out once per station and parameters). 0, or -1
 * when memory runs out. */
int tm_sp_runs_stairs(tm_sp_runs *r, const tm_resource_map *map,
                      const tm_block_section *blocks, size_t nb, const tm_blocking_params *p,
                      double length, tm_occupation *out);

#endif
