/* sim.h: Monte-Carlo delay propagation over planned blocking times (docs/simulate.md).
 *
 * Plan once (tm_sim_plan_build): every service is run twice by the engine, as timetabled
 * (with its allowance) and at the minimum running time; per section between two
 * operational points this gives the planned and the minimum running time, and the planned
 * run gives the blocking-time stairs (plan/occupancy.h). Nothing physical is recomputed in
 * a replication.
 *
 * A replication (tm_sim_replicate) draws the primary delays and propagates them. A
 * service's state is its delay D(t) as a function of planned time t: its actual time at a
 * point it passes at planned time t is t + D(t), and its actual blocking times are the
 * planned ones mapped the same way (shifted, and stretched where D changes). Over a run
 * between two points (planned p, minimum m: allowance a = p - m) with a running-time
 * extension x, and over a dwell (allowance b = planned - minimum dwell) with a dwell
 * extension e, the delay at the end is max(0, D_start + x - a), resp. max(0, D_start + e -
 * b): the train runs at the minimum time while late and on time otherwise; D changes
 * linearly in between.
 * Blocking times are claimed in the order of their actual start over all trains (one
 * event queue): a train may take a resource when it is free (fewer holders than the
 * resource's capacity, excluding its own convoy and, on a single-track section, trains of
 * its own direction) and the dispatching rule allows it; otherwise it waits at that signal
 * and D jumps by the wait, which is knock-on delay attributed to the train it waited for
 * and to the resource. A wait lengthens the blocking times it still holds.
 *
 * Dispatching (tm_dispatch): FCFS, whoever asks first; TIMETABLE, on blocks and single-track
 * sections trains pass in their planned order; PRIORITY, as TIMETABLE, but a train never
 * waits for a train of a lower category (special > passenger > freight) planned before it.
 *
 * Thread safety: a plan is read-only once built; each thread uses its own tm_sim_state.
 */
#ifndef TM_SIM_H
#define TM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "model/scenario.h"
#include "sim/delays.h"
#include "tumen.h"

typedef enum tm_dispatch {
    TM_DISPATCH_FCFS = 0,
    TM_DISPATCH_TIMETABLE,
    TM_DISPATCH_PRIORITY
} tm_dispatch;

/* Punctuality thresholds (s): within 1, 3, 5 and 15 min. */
#define TM_SIM_N_THRESHOLDS 4
extern const double tm_sim_thresholds[TM_SIM_N_THRESHOLDS];

typedef struct tm_sim_plan tm_sim_plan;
struct tm_timetable_result; /* plan/timetable.h */
typedef struct tm_sim_state tm_sim_state;

/* Builds the plan of sc's timetable with delays (NULL: the defaults, tm_delay_spec_default;
 * sc->delays when the files gave one is the caller's choice to pass). threads runs the
 * services. Errors: TUMEN_EINPUT (no timetable, a service that cannot run, an unknown
 * station or service in delays: file:line: field), TUMEN_EPHYSICS, TUMEN_ENOMEM. sc must
 * outlive the plan. */
int tm_sim_plan_build(const tm_scenario *sc, const tm_delay_spec *delays, int threads,
                      tm_sim_plan **out, tumen_error *err);
void tm_sim_plan_free(tm_sim_plan *plan);

/* What the plan holds, for outputs. */
size_t tm_sim_plan_services(const tm_sim_plan *plan);
size_t tm_sim_plan_resources(const tm_sim_plan *plan);
size_t tm_sim_plan_points(const tm_sim_plan *plan, size_t service);
const tm_scenario *tm_sim_plan_scenario(const tm_sim_plan *plan);
/* Planned arrival (s after midnight) of a service at point j of its route; the point's
 * operational point index; its planned departure. */
double tm_sim_plan_arrival(const tm_sim_plan *plan, size_t service, size_t point);
size_t tm_sim_plan_op(const tm_sim_plan *plan, size_t service, size_t point);
double tm_sim_plan_departure(const tm_sim_plan *plan, size_t service, size_t point);
/* A service's route length (m); the planned day's runs (timing points, routes). */
double tm_sim_plan_distance(const tm_sim_plan *plan, size_t service);
const struct tm_timetable_result *tm_sim_plan_runs(const tm_sim_plan *plan);
/* Name of resource r ("block 3 of TUM-KHS ..."). */
void tm_sim_resource_name(const tm_sim_plan *plan, size_t r, char *buf, size_t size);

typedef struct tm_sim_config {
    uint64_t seed;
    tm_dispatch dispatch;
    int no_delays;          /* 1: no primary delays (the planned day) */
} tm_sim_config;

/* A workspace for replications of one plan (one per thread). NULL when memory runs out. */
tm_sim_state *tm_sim_state_new(const tm_sim_plan *plan);
void tm_sim_state_free(tm_sim_state *st);

/* Runs replication number `replication` into st. TUMEN_OK, or TUMEN_ENOMEM. */
int tm_sim_replicate(const tm_sim_plan *plan, const tm_sim_config *cfg, uint64_t replication,
                     tm_sim_state *st);

/* Results of the last replication in st: a service's delay (s) on arrival at point j
 * (j = 0: on departure from its origin), its actual departure from point j (s after
 * midnight), its primary delay drawn and its knock-on delay (waits), s. */
double tm_sim_delay_at(const tm_sim_state *st, size_t service, size_t point);
double tm_sim_departure_at(const tm_sim_state *st, size_t service, size_t point);
/* Its actual arrival at point j (s after midnight; j = 0: its actual departure). */
double tm_sim_arrival_at(const tm_sim_state *st, size_t service, size_t point);
double tm_sim_primary(const tm_sim_state *st, size_t service);
double tm_sim_knock_on(const tm_sim_state *st, size_t service);

/* The day of the last replication in st as a timetable result: the planned runs (routes,
 * operational points) with the replication's actual arrival and departure times at every
 * point (tm_sim_arrival_at, tm_sim_departure_at), no trajectories; for the time-distance
 * diagram. Free with tm_timetable_result_free. TUMEN_OK or TUMEN_ENOMEM. */
int tm_sim_replication_runs(const tm_sim_plan *plan, const tm_sim_state *st,
                            struct tm_timetable_result *out);

/* ---- Statistics: integer counts and sums only, so merging in any order gives the same
 * bytes (threads, MPI ranks). Delays are binned in fixed bins (s): 1 s wide below 2 min,
 * 10 s below 30 min, 1 min below 6 h, then one overflow bin. */
#define TM_SIM_NBINS 619
size_t tm_sim_bin(double delay);
double tm_sim_bin_lower(size_t bin);

/* Layout of the counters, all int64 (sums in ms). */
typedef struct tm_sim_stats {
    int64_t *v;
    size_t n;
    size_t n_services, n_resources, n_ops, n_tracks;
} tm_sim_stats;

/* Per category c: trains, within[4], hist[NBINS], primary_ms, knock_on_ms, delay_ms. */
#define TM_SIM_CAT_WITHIN 1
#define TM_SIM_CAT_HIST (1 + TM_SIM_N_THRESHOLDS)
#define TM_SIM_CAT_PRIMARY (TM_SIM_CAT_HIST + TM_SIM_NBINS)
#define TM_SIM_CAT_KNOCK (TM_SIM_CAT_PRIMARY + 1)
#define TM_SIM_CAT_DELAY (TM_SIM_CAT_KNOCK + 1)
#define TM_SIM_CAT_SIZE (TM_SIM_CAT_DELAY + 1)
/* Per operational point (arrivals there, every category): count, within[4], hist. */
#define TM_SIM_OP_SIZE (1 + TM_SIM_N_THRESHOLDS + TM_SIM_NBINS)
/* Per track (delay where a train leaves it): count, within[4]. */
#define TM_SIM_TRACK_SIZE (1 + TM_SIM_N_THRESHOLDS)
/* Per service: knock-on caused to others (ms), knock-on suffered (ms), destination
 * delay (ms). Per resource: knock-on caused there (ms). */
#define TM_SIM_SVC_SIZE 3

/* Offsets into v. */
size_t tm_sim_stats_replications(void);  /* v[0]: replications */
size_t tm_sim_stats_cat(const tm_sim_stats *s, int category);
size_t tm_sim_stats_op(const tm_sim_stats *s, size_t op);
size_t tm_sim_stats_track(const tm_sim_stats *s, size_t track);
size_t tm_sim_stats_service(const tm_sim_stats *s, size_t service);
size_t tm_sim_stats_resource(const tm_sim_stats *s, size_t resource);

int tm_sim_stats_init(tm_sim_stats *s, const tm_sim_plan *plan);
void tm_sim_stats_free(tm_sim_stats *s);
/* Adds the replication in st. */
void tm_sim_stats_add(tm_sim_stats *s, const tm_sim_plan *plan, const tm_sim_state *st);
void tm_sim_stats_merge(tm_sim_stats *into, const tm_sim_stats *from);
/* The q-quantile (q in [0, 1]) of a histogram of `count` values: the lower edge of the
 * bin where the cumulative count reaches q * count; 0 for an empty one. */
double tm_sim_hist_quantile(const int64_t *hist, int64_t count, double q);

/* Progress: called from the calling thread after each replication it finishes, with the
 * replications done so far (all threads); nonzero cancels. May be NULL. */
typedef int (*tm_sim_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/* Runs the replications first, first + stride, ... (count of them) on `threads` threads
 * into *stats (initialised here; free with tm_sim_stats_free). The result does not
 * depend on threads. TUMEN_OK, TUMEN_ENOMEM, TUMEN_ECANCELLED (progress asked). */
int tm_sim_run(const tm_sim_plan *plan, const tm_sim_config *cfg, uint64_t first,
               uint64_t count, uint64_t stride, int threads, tm_sim_progress_fn progress,
               void *ctx, tm_sim_stats *stats, tumen_error *err);

#endif
