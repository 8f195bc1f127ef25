/* sim_internal.h: the plan a replication reads (sim_plan.c builds it, sim_run.c and
 * sim_stats.c read it). */
#ifndef TM_SIM_INTERNAL_H
#define TM_SIM_INTERNAL_H

#include "block/resources.h"
#include "plan/timetable.h"
#include "sim/sim.h"

/* One planned blocking time of a service. */
typedef struct sim_occ {
    double start, end;      /* s after midnight, planned */
    uint32_t resource;
    int32_t direction;      /* as tm_occupation.direction */
    uint32_t order;         /* its position in plan->order (planned order on its resource) */
    uint32_t service;
} sim_occ;

/* A stretch of planned time over which a service's delay changes by max(0, D + x - a):
 * a run from point j to j + 1 or a dwell at point j. */
typedef struct sim_interval {
    double t0, t1;          /* planned, s after midnight; t1 > t0 */
    double allowance;       /* s that running at the minimum time (or the minimum dwell)
                             * recovers */
    uint32_t point;         /* run: from this point; dwell: at this point */
    uint8_t dwell;          /* 1: a dwell */
    uint8_t pass_next;      /* run: the point it ends at has no dwell interval */
} sim_interval;

typedef struct sim_service {
    size_t point0, n_points;/* its points in plan->pt_* */
    size_t iv0, n_iv;       /* its intervals in plan->iv */
    size_t occ0, n_occ;     /* its blocking times in plan->occ, by planned start */
    int category, priority;
    size_t group;           /* convoy group (a service index) */
    uint64_t key;           /* random-stream key of its id */
    const tm_dist *entry;
} sim_service;

struct tm_sim_plan {
    const tm_scenario *sc;
    tm_timetable_result runs; /* the planned day (timing points, routes), for diagrams */
    tm_resource_map map;
    tm_delay_spec delays;   /* owned copy: the distributions below point into it */
    sim_service *svc;
    size_t n_svc;
    /* Points, by service: planned arrival and departure, operational point, the track that
     * ends there (SIZE_MAX at the origin), the distributions of the dwell there and of the
     * run from there. */
    double *pt_arr, *pt_dep;
    size_t *pt_op, *pt_track;
    const tm_dist **pt_dwell, **pt_run;
    size_t n_pt;
    sim_interval *iv;
    size_t n_iv;
    sim_occ *occ;
    size_t n_occ;
    /* Planned order on each resource: order[order_start[r] .. order_start[r + 1]) are the
     * indexes into occ of its blocking times by planned start. */
    uint32_t *order;
    size_t *order_start;
    /* By order position: the direction of that blocking time, and the next position on
     * the same resource with another direction (runs of one direction on a single-track
     * section are skipped at once by a claim of that direction). */
    int8_t *order_dir;
    uint32_t *order_skip;
    int *capacity;          /* by resource */
    size_t n_res;
};

/* What the last replication in st left, for the statistics (sim_run.c): knock-on delay
 * service s caused to others, caused at resource r (s), claims granted by force. */
double tm_sim_caused_(const tm_sim_state *st, size_t s);
double tm_sim_res_caused_(const tm_sim_state *st, size_t r);
uint64_t tm_sim_deadlocks_(const tm_sim_state *st);

#endif
