/* special_plan.h: a special train request planned on a scenario (plan/special.c). */
#ifndef TM_SPECIAL_PLAN_H
#define TM_SPECIAL_PLAN_H

#include "block/resources.h"
#include "plan/special.h"

/* One train of the convoy as planned: at each operational point of the route. */
typedef struct tm_special_call {
    size_t op;
    double arrival, departure;  /* s after midnight */
    int stop;                   /* 1: stops (origin, destination, a wait, a required stop) */
} tm_special_call;

typedef struct tm_special_run {
    char id[TM_ID_LEN];         /* service id in the new timetable */
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

typedef struct tm_special_result {
    tm_special_mode mode;
    tm_special_run runs[3];     /* pilot, special, escort (n_runs of them, special at 1) */
    int present[3];
    double arrival, departure;  /* the special's, s after midnight */
    double fastest;             /* its fastest run alone (origin to destination) */
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
    /* owned ids of changes_to */
    size_t changes_buf[3][TM_SP_MAX_CHANGES];
} tm_special_result;

typedef struct tm_special_options {
    int mode;                   /* -1: the request's; else tm_special_mode */
    int threads;
} tm_special_options;

/* Plans sc->special on sc's network and timetable. TUMEN_OK with *out (free with
 * tm_special_result_free); TUMEN_EINPUT with err saying why no plan exists (and the
 * earliest feasible arrival, where there is one); TUMEN_ENOMEM; TUMEN_EPHYSICS. */
int tm_special_plan(const tumen_scenario *sc, const tm_special_options *opt,
                    tm_special_result *out, tumen_error *err);
void tm_special_result_free(tm_special_result *r);

/* Writes a timetable as the timetable YAML tumen reads (docs/formats.md), atomically. */
int tm_special_write_timetable(const tumen_scenario *sc, const tm_timetable *tt,
                               const char *path, tumen_error *err);

#endif
