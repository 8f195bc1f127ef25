/* special.h: a special train's clear, secure path through a full timetable.
 *
 * The convoy is three trains: a pilot running a set time ahead, the special, and an escort
 * behind. Its corridor on a resource (a block, a single-track section, a station track) is
 * one interval, from the pilot's blocking-time start (less the exclusivity margin) to the
 * escort's end (plus the margin): no other train may hold that resource inside it. At a
 * station where the convoy waits it stands in loops and holds the whole station from the
 * pilot's arrival to the escort's departure.
 *
 * Two layers:
 *  - the core (this header's tm_sp_*: special_search.c, special_priority.c) works on an
 *    abstract problem: stations 0..n-1 along the route, the corridor a stop-to-stop
 *    segment needs relative to its departure (a callback, evaluated lazily), and the busy
 *    intervals of every resource;
 *  - tm_special_plan (special.c) builds that problem from a scenario: one route, the engine
 *    for every segment it evaluates (cached), the timetable's blocking times, and
 *    re-simulates the path found.
 *
 * fit: the earliest arrival of the special that conflicts with no other train (A* over
 * (station, free interval of its station track), SIPP-style: an earlier arrival in the same
 * free interval dominates, since the convoy may wait in the loops). priority: the special
 * runs its fastest path; the trains in its way are held at their origin or a scheduled stop,
 * or cancelled, at the least total cost (branch and bound).
 */
#ifndef TM_SPECIAL_H
#define TM_SPECIAL_H

#include <stddef.h>
#include <stdint.h>

#include "model/scenario.h"
#include "plan/security.h"
#include "tumen.h"

/* ---- The core ------------------------------------------------------------------------ */

/* Cancelling a long search: poll is called every TM_SP_POLL_EXPANSIONS fit expansions or
 * TM_SP_POLL_NODES branch-and-bound nodes (a node of a busy day costs milliseconds, its
 * bounds a run over the conflicting trains: a poll, the caller's check of a flag, is
 * cheap beside a few of them) with the work done and its limit; nonzero stops the search,
 * which then returns TUMEN_ECANCELLED and nothing else. poll NULL: never. */
typedef struct tm_sp_cancel {
    tumen_progress_fn poll;
    void *user;
} tm_sp_cancel;

#define TM_SP_POLL_EXPANSIONS 16
#define TM_SP_POLL_NODES 1

/* 1 when c says stop (done of total), with err set to TUMEN_ECANCELLED; else 0. */
int tm_sp_cancelled(const tm_sp_cancel *c, size_t done, size_t total, tumen_error *err);

/* One interval a resource must be free for, relative to a departure time (s). */
typedef struct tm_sp_need {
    size_t resource;
    double start, end;
} tm_sp_need;

/* The convoy's run from a stop at station i to a stop at station k (k > i), all times
 * relative to the special's departure from i. */
typedef struct tm_sp_segment {
    double arrive;        /* the special's arrival at k */
    double ready;         /* earliest departure of the special from k: every convoy train
                           * there and its minimum dwell done */
    size_t stand_resource;/* the station track resource at k */
    double stand_start;   /* the convoy's hold of k begins (pilot's approach, less margin) */
    double stand_tail;    /* the hold ends this long after the special departs k */
    const tm_sp_need *needs; /* line resources, passed platforms, the minimal stand at k */
    size_t n_needs;
} tm_sp_segment;

/* Busy intervals of every resource: resource r's are items[first[r] .. first[r+1]),
 * sorted, disjoint (merged). */
typedef struct tm_sp_busy {
    const double (*items)[2];
    const size_t *first;  /* n_resources + 1 entries */
    size_t n_resources;
} tm_sp_busy;

typedef struct tm_sp_problem {
    size_t n_stations;          /* 0 = origin, n-1 = destination */
    const int *can_stop;        /* the convoy may stop and wait here (loops long enough) */
    const int *must_stop;       /* a required stop (it may not be passed) */
    const double *not_before;   /* earliest departure from a stop (s after midnight), or
                                 * -INFINITY */
    double earliest;            /* earliest departure from the origin */
    double latest;              /* latest arrival at the destination (INFINITY: none) */
    const tm_sp_busy *busy;
    void *ctx;
    /* The segment i -> k (owned by the callee, valid until the search ends). */
    int (*segment)(void *ctx, size_t i, size_t k, const tm_sp_segment **seg,
                   tumen_error *err);
    /* A lower bound of the time from the special's departure at i to its arrival at the
     * destination (the fastest run, no stop, no other train). */
    int (*bound)(void *ctx, size_t i, double *h, tumen_error *err);
    size_t max_expansions;      /* 0: 1,000,000 */
    tm_sp_cancel cancel;        /* polled as the search goes */
} tm_sp_problem;

/* A convoy plan: where the special stops, when it arrives and departs (s after midnight). */
typedef struct tm_sp_plan {
    size_t *station;            /* the stops, origin first, destination last */
    double *arrive, *depart;    /* arrive[0] = depart[0] at the origin; depart[last] = arrive */
    size_t n;
    double arrival;             /* at the destination */
    size_t expansions, segments;/* search effort */
} tm_sp_plan;

void tm_sp_plan_free(tm_sp_plan *p);

/* The earliest conflict-free arrival (fit mode). TUMEN_OK with *out filled; TUMEN_EINPUT
 * when no path arrives by p->latest (err says why and, if one exists, the earliest arrival
 * without the latest-arrival bound: *alternative, else -1); TUMEN_ENOMEM. */
int tm_sp_fit(const tm_sp_problem *p, tm_sp_plan *out, double *alternative,
              tumen_error *err);

/* Earliest departure d >= lo (and <= cap) at which every need is free on busy; INFINITY
 * if none. */
double tm_sp_earliest_free(const tm_sp_busy *busy, const tm_sp_need *needs, size_t n,
                           double lo, double cap);

/* ---- Priority: retime the others ------------------------------------------------------ */

/* An occupation of a background train, with what a hold shifts: holding the train at a
 * point at route position x by delta shifts start if pos_start >= x and end if
 * pos_end > x (a hold at the origin shifts everything). */
typedef struct tm_sp_occ {
    size_t resource;
    double start, end;
    int direction;              /* as tm_occupation */
    double pos_start, pos_end;
} tm_sp_occ;

/* Where a background train may be held: its origin (a later departure) or a scheduled stop
 * (a longer dwell). */
typedef struct tm_sp_hold_point {
    size_t op;
    double position;            /* m along its route */
    int origin;
} tm_sp_hold_point;

typedef struct tm_sp_train {
    const tm_sp_occ *occ;
    size_t n_occ;
    const tm_sp_hold_point *holds;
    size_t n_holds;
    double cost_per_s;          /* delay cost per second */
    double cancel_cost;
    int passenger;              /* its stops at passed stations count as platform use */
} tm_sp_train;

/* The trains' occupations by resource, each resource's by start as planned, with the
 * latest end up to each: what a check scans (tm_sp_occ_index_build; it does not depend on the
 * request, so a background keeps one for all). */
typedef struct tm_sp_occ_ref {
    double start, end;          /* the occupation's (a scan reads the index alone: 32 bytes, */
    double maxend;              /* two to a cache line); the latest end of its resource's refs
                                 * up to it */
    uint32_t train;
    int32_t direction;
} tm_sp_occ_ref;

typedef struct tm_sp_occ_index {
    size_t *first;              /* resource r: refs[first[r] .. first[r + 1]) */
    tm_sp_occ_ref *refs;
    size_t n_resources;
} tm_sp_occ_index;

/* 0, or -1 when memory runs out (or more than UINT32_MAX trains). Free with
 * tm_sp_occ_index_free. */
int tm_sp_occ_index_build(const tm_sp_train *trains, size_t n_trains,
                          size_t n_resources, tm_sp_occ_index *ix);
void tm_sp_occ_index_free(tm_sp_occ_index *ix);

/* The branch and bound's default limit (nodes, so that where it stops does not depend on
 * the machine): about 5 s of CPU at the slowest nodes of the generated 5,000 km day
 * (docs/special.md, "Priority mode"). */
#define TM_SP_MAX_NODES 500

typedef struct tm_sp_priority_problem {
    const tm_sp_train *trains;
    size_t n_trains;
    const tm_sp_need *corridor; /* absolute times */
    size_t n_corridor;
    const tm_sp_need *platform_windows; /* resource = station resource: passenger trains may
                                         * not stand there then */
    size_t n_platform_windows;
    const int *capacity;        /* by resource (NULL: all 1) */
    size_t n_resources;
    size_t max_nodes;           /* branch-and-bound nodes; 0: TM_SP_MAX_NODES */
    const size_t *group;        /* by train: its convoy group (tm_timetable_convoy_groups);
                                 * trains of one group are not separated from each other.
                                 * NULL: every train its own */
    const tm_sp_need *freight_windows; /* every train but a passenger train must keep off
                                        * the resource then (a passenger-only rule) */
    size_t n_freight_windows;
    tm_sp_cancel cancel;        /* polled as the search goes */
    const tm_sp_occ_index *index; /* trains' occupations by resource (NULL: built here) */
} tm_sp_priority_problem;

/* What happens to one background train. */
typedef struct tm_sp_decision {
    size_t train;
    int cancelled;
    size_t hold;                /* index into the train's holds (not cancelled) */
    double delay;               /* s */
    double cost;
} tm_sp_decision;

typedef struct tm_sp_priority_plan {
    tm_sp_decision *decisions;  /* only the trains that change, by train index */
    size_t n;
    double cost;
    double lower_bound;         /* = cost when exact */
    int exact;                  /* 1: the branch and bound finished */
    size_t nodes;
} tm_sp_priority_plan;

void tm_sp_priority_plan_free(tm_sp_priority_plan *p);

/* Does train t's occupation set, with a hold at hold h by delta, avoid the corridor, the
 * platform windows and (newly) the occupations of the other trains as currently decided
 * (delays[j] < 0: cancelled)? Used by the search and by tests. */
int tm_sp_hold_ok(const tm_sp_priority_problem *p, size_t t, size_t h, double delta,
                  const double *delays, const size_t *holds);

/* The least delay >= 0 making a hold of train t at h valid given the others, or INFINITY. */
double tm_sp_min_delay(const tm_sp_priority_problem *p, size_t t, size_t h,
                       const double *delays, const size_t *holds);

/* Least total cost: every train in conflict with the corridor is held or cancelled, trains
 * taken in order of their first conflict, each held by the least delay the others (as
 * decided) allow. TUMEN_OK or TUMEN_ENOMEM. */
int tm_sp_priority(const tm_sp_priority_problem *p, tm_sp_priority_plan *out,
                   tumen_error *err);

/* Trains (by index) whose occupations meet the corridor or a platform window. */
int tm_sp_conflicting(const tm_sp_priority_problem *p, size_t **out, size_t *n);

/* ---- The request (special: in tumen YAML; formats/special_yaml.c) ------------------------- */

/* A special's id names its convoy's services "<id>-pilot", "<id>-special", "<id>-escort",
 * which are ids of at most 63 bytes (TM_ID_LEN) as well: the reader refuses a longer one. */
#define TM_SPECIAL_ID_MAX (TM_ID_LEN - 1 - (int)(sizeof "-special" - 1))

#define TM_SP_MAX_CHANGES 8
#define TM_SP_MAX_STOPS 32

/* A train of the convoy, by id as written (resolved by tm_special_plan). */
typedef struct tm_special_train {
    char train[TM_ID_LEN];
    char changes_to[TM_SP_MAX_CHANGES][TM_ID_LEN];
    size_t n_changes;
    double offset;              /* s: the pilot's lead, the escort's lag (0 for the special) */
    int present;                /* pilot and escort are optional */
    int line;                   /* input line, for messages */
} tm_special_train;

typedef struct tm_special_stop {
    char at[TM_ID_LEN];
    double dwell;               /* s, minimum */
    double not_before;          /* s after midnight: earliest departure, or -INFINITY */
    char reason[96];
    int line;
} tm_special_stop;

typedef enum tm_special_mode { TM_SPECIAL_FIT = 0, TM_SPECIAL_PRIORITY = 1 } tm_special_mode;

typedef struct tm_special_spec {
    char id[TM_ID_LEN];
    char file[256];
    int line;
    tm_special_train special, pilot, escort;
    char from[TM_ID_LEN], to[TM_ID_LEN];
    char via[TM_SP_MAX_STOPS][TM_ID_LEN];
    size_t n_via;
    double earliest;            /* s after midnight */
    double latest;              /* s after midnight, INFINITY if not given */
    tm_special_stop stops[TM_SP_MAX_STOPS];
    size_t n_stops;
    double margin_time;         /* s: no other train this long ahead of the pilot / behind
                                 * the escort on any resource the convoy uses */
    double margin_distance;     /* m: nor this far ahead of the pilot / behind the escort */
    double opposing_margin;     /* s: opposing trains clear of single track before/after */
    double station_margin;      /* s: passenger trains off the platforms it passes */
    tm_security_rules security; /* the rule set (zero: margins, today's four margins) */
    tm_special_mode mode;
    double delay_cost[3];       /* per s of delay, by tm_category */
    double cancel_cost[3];
    size_t max_nodes;           /* priority: branch-and-bound nodes; 0: TM_SP_MAX_NODES */
} tm_special_spec;


#endif
