/* security.c: the built-in security rule sets (plan/security.h; their sources in
 * docs/special.md, "Security rule sets"). */
#include "plan/security.h"

#include <stdio.h>
#include <string.h>

/* margins: today's four margins only (the request's margin_time, margin_distance,
 * opposing_margin, station_margin); nothing else is held. Guards and crossing closures are
 * reported from the pilot to the escort, crossings with their own warning and closing time. */
static const tm_security_rules margins = {.name = "margins"};

/* royal: George Findlay, "The Working and Management of an English Railway" (1889),
 * pp. 201-202, the Royal train regulations as issue 10 summarises them: a pilot engine
 * 15 min ahead; no train on or
 * crossing the main line for 30 min before the Royal train, shunting on adjoining lines
 * stopped; no train leaving a station on the same line for 15 min after it passes; on the
 * opposite line only passenger trains between the pilot and the Royal train, goods trains
 * held; every crossing and station guarded; unmanned crossing gates locked 1 h before.
 * assumed (not in Findlay): parallel lines as the opposite line; guards from 15 min before
 * the pilot (the line-clear start) to 15 min after the escort. */
static const tm_security_rules royal = {
    .name = "royal",
    .pilot_lead = 900.0,
    .line_clear_before = 1800.0,
    .line_clear_after = 900.0,
    .other_track = TM_NEIGHBOUR_PASSENGER_ONLY,
    .parallel = TM_NEIGHBOUR_PASSENGER_ONLY,
    .neighbour_until_special = 1,
    .junctions = 1,
    .unmanned_lock_before = 3600.0,
    .guard_before = 900.0,
    .guard_after = 900.0,
};

/* strict: every track within the corridor cleared and the current off (the seed journey:
 * "power on other tracks is switched off", stations cleared of passengers). The numbers are
 * assumed: an hour's line clear before the special and half an hour after, neighbours held
 * and de-energised 30 min either side, platforms cleared 30 min either side. */
static const tm_security_rules strict = {
    .name = "strict",
    .line_clear_before = 3600.0,
    .line_clear_after = 1800.0,
    .other_track = TM_NEIGHBOUR_HELD,
    .parallel = TM_NEIGHBOUR_HELD,
    .neighbour_before = 1800.0,
    .neighbour_after = 1800.0,
    .junctions = 1,
    .station_clear = 1800.0,
    .crossing_close_before = 600.0,
    .manned_lock_before = 1800.0,
    .unmanned_lock_before = 3600.0,
    .guard_before = 3600.0,
    .guard_after = 1800.0,
    .power_off = 1,
};

static const tm_security_rules *const builtins[] = {&margins, &royal, &strict};

int tm_security_rules_builtin(const char *name, tm_security_rules *out)
{
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        if (name && !strcmp(builtins[i]->name, name)) {
            *out = *builtins[i];
            return 0;
        }
    return -1;
}

const char *tm_security_rules_names(void)
{
    return "margins, royal, strict";
}

static const char *const neighbour_names[] = {"free", "passenger_only", "held"};

const char *tm_neighbour_rule_name(tm_neighbour_rule r)
{
    return (unsigned)r < 3 ? neighbour_names[r] : "free";
}

int tm_neighbour_rule_parse(const char *text, tm_neighbour_rule *out)
{
    for (int i = 0; i < 3; i++)
        if (text && !strcmp(text, neighbour_names[i])) {
            *out = (tm_neighbour_rule)i;
            return 0;
        }
    return -1;
}
