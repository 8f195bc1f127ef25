/* security.h: a special train's protection as data: security rule sets, and the route
 * security schedule derived from a plan (docs/special.md, "Security rule sets").
 *
 * A rule set says what the convoy's passage (pilot first, escort last) demands of everything
 * else. The planner (plan/special.c) turns each rule into more intervals on the same
 * blocking-time resources the four margins use (so fit and priority search them unchanged):
 *  - line clear: the convoy's resources are free from line_clear_before before the special
 *    to line_clear_after after it (at least margin_time before the pilot and after the
 *    escort, as before);
 *  - neighbours: the other track of a double line and the tracks declared parallel are held
 *    (no train), passenger-only (no other train) or free, from neighbour_before before the
 *    pilot to neighbour_after after the escort (or the special: neighbour_until_special);
 *    power_off holds the electrified ones whatever their mode (no current, no train);
 *  - junctions: the blocks of every other line at each point the route passes, from the
 *    line-clear start to its end there;
 *  - stations cleared: passenger trains off the platforms station_clear either side of the
 *    special (at least the request's station_margin).
 * Level crossings, guards and power-off windows hold no train: they are the schedule's
 * (tm_security_schedule_build) and the independent checker's.
 */
#ifndef TM_SECURITY_H
#define TM_SECURITY_H

#include <stddef.h>

#include "model/scenario.h"
#include "tumen.h"

typedef enum tm_neighbour_rule {
    TM_NEIGHBOUR_FREE = 0,
    TM_NEIGHBOUR_PASSENGER_ONLY = 1,
    TM_NEIGHBOUR_HELD = 2
} tm_neighbour_rule;

typedef struct tm_security_rules {
    char name[32];              /* "margins", "royal", "strict" (or a built-in's name an
                                 * inline request started from) */
    double pilot_lead;          /* s: the pilot runs at least this far ahead (if present) */
    double line_clear_before;   /* s before the special: the convoy's line clear */
    double line_clear_after;    /* s after the special: no train on or leaving onto it */
    tm_neighbour_rule other_track; /* the other track of a double line */
    tm_neighbour_rule parallel; /* tracks declared parallel */
    double neighbour_before;    /* s before the pilot */
    double neighbour_after;     /* s after the escort (or the special) */
    int neighbour_until_special;/* 1: the neighbour window ends at the special */
    int junctions;              /* 1: other lines held at the points the route passes */
    double station_clear;       /* s either side of the special's passing */
    int crossing_from_special;  /* 1: crossings close before the special, else the pilot */
    double crossing_close_before;/* s before that train, beyond the warning + closing time */
    double manned_lock_before;  /* s: manned gates locked at least this long before */
    double unmanned_lock_before;/* s: unprotected crossings closed (gated, locked) before */
    double guard_before;        /* s before the pilot: structures and stations guarded */
    double guard_after;         /* s after the escort */
    int power_off;              /* 1: current off on electrified neighbours */
} tm_security_rules;

/* The built-in set of this name into *out; -1 if there is none. */
int tm_security_rules_builtin(const char *name, tm_security_rules *out);
/* "margins, royal, strict" */
const char *tm_security_rules_names(void);
const char *tm_neighbour_rule_name(tm_neighbour_rule r);
int tm_neighbour_rule_parse(const char *text, tm_neighbour_rule *out);

#endif
