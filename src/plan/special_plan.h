/* special_plan.h: a special train request planned on a scenario (plan/special.c). */
#ifndef TM_SPECIAL_PLAN_H
#define TM_SPECIAL_PLAN_H

#include <stdint.h>

#include "block/resources.h"
#include "plan/timetable.h"
#include "plan/special.h"

/* One train of the convoy as planned: at each operational point of the route. */
typedef struct tm_special_call {
    size_t op;
    double arrival, departure;  /* s after midnight */
    int stop;                   /* 1: stops (origin, destination, a wait, a required stop) */
} tm_special_call;

typedef struct tm_special_run {
    char id[TM_DERIVED_ID_LEN]; /* service id in the new timetable: "<special>-pilot", at
                                 * most 63 bytes (TM_SPECIAL_ID_MAX) */
    size_t train;               /* the consist at the origin */
    const size_t *changes_to;
    size_t n_changes_to;
    tm_special_call *calls;
    size_t n_calls;
} tm_special_run;

/* What happens to another service. */
typedef struct tm_special_change {
    size_t service;
    int cancelled;
    size_t op;                  /* where it is held (its origin: a later departure) */
    int at_origin;
    double delay;               /* s */
    double cost;
} tm_special_change;

/* A shaded band of the corridor for the time-distance diagram: part of a track (m from
 * its `from` end) held from t0 to t1 (s after midnight). */
typedef struct tm_special_band {
    size_t track;
    double pos0, pos1;
    double t0, t1;
} tm_special_band;

#define TM_SPECIAL_WHY_LEN 640

typedef struct tm_special_result {
    tm_special_mode mode;
    /* 1: the request as given cannot be met (why says which rule and by how much); the
     * plan below, if has_plan, is the closest feasible alternative (fit: the earliest
     * clear arrival without the latest-arrival bound; priority: the fastest run, which
     * arrives after the latest arrival). */
    int infeasible;
    char why[TM_SPECIAL_WHY_LEN];
    int has_plan;
    tm_special_run runs[3];     /* pilot, special, escort (n_runs of them, special at 1) */
    int present[3];
    double arrival, departure;  /* the special's, s after midnight */
    double fastest;             /* s: a lower bound of its run time alone (origin to
                                 * destination, required stops, no waits) */
    double fastest_arrival;     /* s after midnight: its arrival alone on the line, leaving
                                 * at the earliest, required stops and not-before times kept */
    tm_special_change *changes;
    size_t n_changes;
    double delay_s[3];          /* delay by category */
    size_t cancelled[3];
    double cost, lower_bound;
    int exact;
    size_t expansions, segments;
    /* the new timetable: the input's services as retimed (cancelled ones left out) and the
     * convoy's three */
    tm_timetable timetable;
    /* the corridor as planned, on the tracks (for the diagram) */
    tm_special_band *bands;
    size_t n_bands;
    /* owned ids of changes_to */
    size_t changes_buf[3][TM_SP_MAX_CHANGES];
} tm_special_result;

struct tm_sp_priority_problem;

typedef struct tm_special_options {
    int mode;                   /* -1: the request's; else tm_special_mode */
    int threads;
    /* Optional (tests): called with the problem just before it is solved, fit (prio NULL)
     * or priority (fit NULL); the pointers are valid during the call only. */
    void (*inspect)(void *user, const tm_sp_problem *fit,
                    const struct tm_sp_priority_problem *prio);
    void *user;
    /* Optional: polled while planning (the timetable's runs, the fit search every few
     * expansions, the branch and bound every few hundred nodes; done of total of the
     * stage at hand); nonzero cancels: the plan stops within a few polls and returns
     * TUMEN_ECANCELLED, nothing else. */
    tumen_progress_fn progress;
    void *progress_user;
} tm_special_options;

/* One convoy train's run of a stop-to-stop segment, on the clock of 0 (plan/special_pieces.c):
 * the same for every request, so kept across requests in the background. */
typedef struct tm_sp_piece_key {
    size_t train;               /* consist */
    double approach_extra;      /* m added to the approach of every block (the pilot's
                                 * distance margin), 0 for the others */
    double overlap_extra;       /* m added to the overlap (the escort's), 0 for the others */
    size_t *ops;                /* operational points from the stop to the stop */
    size_t n_ops;
} tm_sp_piece_key;

typedef struct tm_sp_piece {
    tm_sp_piece_key key;        /* ops owned by the piece */
    uint64_t hash;
    double run;                 /* s from departure to arrival */
    tm_occupation *occ;         /* blocking-time stairs, s after departure */
    size_t n_occ;
    double *arr, *dep;          /* at each point key.ops[z]: arrival and departure, s after
                                 * the departure from the first */
    size_t n_points;            /* key.n_ops */
} tm_sp_piece;

typedef struct tm_sp_pieces tm_sp_pieces;

/* A table of pieces shared by threads; NULL when memory runs out. */
tm_sp_pieces *tm_sp_pieces_new(void);
void tm_sp_pieces_free(tm_sp_pieces *t);
void tm_sp_piece_free(tm_sp_piece *p);
/* The stored piece of key k, or NULL. */
const tm_sp_piece *tm_sp_pieces_find(tm_sp_pieces *t, const tm_sp_piece_key *k);
/* Stores p (malloc'd, with its arrays) and returns the stored piece of its key: p itself,
 * now owned by the table, or an equal one stored first by another thread (p is then freed).
 * NULL when the table is full or t is NULL: p is still the caller's. */
const tm_sp_piece *tm_sp_pieces_keep(tm_sp_pieces *t, tm_sp_piece *p);
uint64_t tm_sp_piece_hash(const tm_sp_piece_key *k);

/* What every priority request on one background shares (plan/special_base.c): the
 * background trains' occupations with their route positions, hold points, convoy groups
 * and the occupations by resource; derived by the first priority request. */
typedef struct tm_sp_prio_base tm_sp_prio_base;
tm_sp_prio_base *tm_sp_prio_base_new(void);
void tm_sp_prio_base_free(tm_sp_prio_base *b);

/* What every request on one scenario shares: the network's resources and the timetable's
 * blocking times (the background), computed once. */
typedef struct tm_special_background {
    tm_resource_map map;
    tm_blocking_params params;
    tm_occupation *occ;         /* by service, in service order */
    size_t n_occ;
    tm_timetable_result runs;   /* the services as run (no samples) */
    double (*items)[2];         /* merged busy intervals per resource, then per platform */
    size_t *first;
    size_t n_res;               /* map.n + network ops + map.n (passenger-only rules) */
    tm_sp_pieces *pieces;       /* segments run so far, by any request (NULL: none kept) */
    tm_sp_prio_base *prio;      /* priority mode's share, built by its first request */
} tm_special_background;

/* bg's priority share, derived on first use (thread-safe), or NULL when memory runs out.
 * Its trains carry no costs (the request's). */
const tm_sp_prio_base *tm_sp_prio_base_get(const tm_scenario *sc,
                                           const tm_special_background *bg);
const tm_sp_train *tm_sp_prio_base_trains(const tm_sp_prio_base *b);
const size_t *tm_sp_prio_base_group(const tm_sp_prio_base *b);
const tm_sp_occ_index *tm_sp_prio_base_index(const tm_sp_prio_base *b);

/* Runs sc's timetable on `threads` threads and builds the background. TUMEN_OK, or the
 * failing service's error, or TUMEN_ENOMEM. Free with tm_special_background_free. */
int tm_special_background_build(const tm_scenario *sc, int threads,
                                tm_special_background *bg, tumen_error *err);
void tm_special_background_free(tm_special_background *bg);

/* Plans request sp on sc against a background built from sc (so many requests share one).
 * As tm_special_plan. */
int tm_special_plan_with(const tm_scenario *sc, const tm_special_spec *sp,
                         const tm_special_background *bg, const tm_special_options *opt,
                         tm_special_result *out, tumen_error *err);

/* Plans request sp (NULL: TUMEN_EINPUT, no request) on sc's network and timetable. TUMEN_OK with *out (free with
 * tm_special_result_free): a plan, or out->infeasible with why and, where there is one, the
 * closest feasible alternative as the plan. TUMEN_EINPUT for bad input (an unknown train or
 * point, no route), naming the request's file, line and field; TUMEN_ENOMEM;
 * TUMEN_EPHYSICS (a convoy train cannot run a segment). */
int tm_special_plan(const tm_scenario *sc, const tm_special_spec *sp,
                    const tm_special_options *opt, tm_special_result *out, tumen_error *err);
void tm_special_result_free(tm_special_result *r);

/* The FNV-1a offset basis: the digest of nothing. */
#define TM_SPECIAL_DIGEST_INIT 0xcbf29ce484222325ull

/* h extended by r's plan (plan/special_digest.c): its calls, changes and cost, times to the
 * millisecond. Fold many results into one digest by passing the previous value. */
uint64_t tm_special_digest(const tm_special_result *r, uint64_t h);


#endif
