/* security_schedule.h: the route security schedule of a planned special (docs/special.md,
 * "The route security schedule"): one row per protected object along the route, in order,
 * with the convoy's passing times there, the guard, closure and power-off windows the rule
 * set gives, and the trains held because of it; and a summary.
 *
 * Derived from the plan's new timetable (the convoy re-run with its trajectory), the
 * network's structures and the rule set; it decides nothing the planner has not.
 */
#ifndef TM_SECURITY_SCHEDULE_H
#define TM_SECURITY_SCHEDULE_H

#include "plan/special_plan.h"

typedef enum tm_security_object_kind {
    TM_SOBJ_LEVEL_CROSSING,
    TM_SOBJ_BRIDGE,
    TM_SOBJ_TUNNEL,
    TM_SOBJ_STATION,
    TM_SOBJ_JUNCTION
} tm_security_object_kind;

/* "level_crossing", "bridge", "tunnel", "station", "junction" */
const char *tm_security_object_kind_name(tm_security_object_kind k);

typedef struct tm_security_held {
    size_t service;             /* index into the input timetable */
    size_t op;                  /* where it is held */
    double from, until;         /* s after midnight: its planned departure there, and the
                                 * held one */
} tm_security_held;

typedef struct tm_security_object {
    tm_security_object_kind kind;
    const char *name;           /* the network's (an op's or structure's name), never NULL:
                                 * the schedule lives no longer than the scenario */
    size_t track;               /* a structure's track; a point's arriving track (the first
                                 * one at the origin) */
    size_t op;                  /* stations and junctions, else (size_t)-1 */
    const tm_structure *structure; /* structures, else NULL */
    double position;            /* m along the special's route */
    double pilot, special, escort; /* s after midnight passing (arriving); NAN: no such train */
    double guard_from, guard_until;
    double closed_from, closed_until;       /* level crossings, else NAN */
    double power_off_from, power_off_until; /* electrified neighbours under power_off, else
                                             * NAN */
    size_t first_held, n_held;  /* into the schedule's held */
} tm_security_object;

typedef struct tm_security_summary {
    size_t objects;
    double crossing_closure_min;
    size_t trains_held;
    double delay_min[3];        /* by category: passenger, freight, special */
    size_t cancelled;
    double power_off_track_km_h;
} tm_security_summary;

typedef struct tm_security_schedule {
    tm_security_rules rules;
    tm_security_object *objects;
    size_t n_objects;
    tm_security_held *held;
    size_t n_held;
    tm_security_summary summary;
} tm_security_schedule;

/* The schedule of plan res (has_plan) of request sp on sc. TUMEN_OK, TUMEN_ENOMEM, or a
 * re-run's error. Free with tm_security_schedule_free. */
int tm_security_schedule_build(const tm_scenario *sc, const tm_special_spec *sp,
                               const tm_special_result *res, tm_security_schedule *out,
                               tumen_error *err);
void tm_security_schedule_free(tm_security_schedule *s);

/* The protected windows of the structures on their tracks, for the time-distance diagram:
 * a level crossing's closure, a bridge's or tunnel's guard. The caller frees *out. */
int tm_security_schedule_bands(const tm_scenario *sc, const tm_security_schedule *s,
                               tm_special_band **out, size_t *n, tumen_error *err);

#endif
