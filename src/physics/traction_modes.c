/* traction_modes.c: which traction mode of each vehicle pulls under what the track supplies.
 *
 * A vehicle with several modes (model.h tm_traction_mode: a dual-mode locomotive, a
 * multi-system one) takes, per stretch of line (tm_section.supply):
 *  - under a wire of system e: its electric mode for e; without one, a diesel mode; without
 *    that, its primary mode;
 *  - without a wire: a diesel mode; without one, its primary mode;
 *  - in a neutral section in a wire of system e: the mode it takes under that wire, with no
 *    traction from it when the mode is electric (the driver opens the main circuit breaker
 *    and the train coasts through);
 *  - where the supply is not given: its primary mode.
 * This is OSRD's rule (OpenRailAssociation/osrd, core, train/RollingStock.kt,
 * findTractiveEffortCurve and shouldCoast: the mode named by the electrification when the
 * rolling stock has it, else the default mode; in a neutral section COASTING_CURVE when the
 * mode under the overlapped electrification is electric), except that a vehicle falls back
 * on a diesel mode before its primary one: OSRD's realistic dual-mode stock has thermal as
 * its default, so both rules agree on it. A vehicle with one mode keeps it everywhere (the
 * route search keeps it under its wires) except that an electric one is cut in a neutral
 * section. docs/physics.md, "Traction modes".
 */
#include "physics/physics.h"

#include <stdlib.h>
#include <string.h>

#define PRIMARY (-1) /* the vehicle's own effort */
#define CUT (-2)     /* no traction */

static tm_power_type mode_power(const tm_vehicle *v, int m)
{
    return m == PRIMARY ? v->power : v->modes[m].power;
}

/* The mode v takes under a wire of system e (TM_ELEC_NONE: no wire). */
static int pick(const tm_vehicle *v, tm_electrification e)
{
    if (e != TM_ELEC_NONE) {
        if (v->power == TM_POWER_ELECTRIC &&
            (v->electrification == e || v->electrification == TM_ELEC_NONE))
            return PRIMARY;
        for (size_t k = 0; k < v->n_modes; k++)
            if (v->modes[k].power == TM_POWER_ELECTRIC && v->modes[k].electrification == e)
                return (int)k;
    }
    if (v->power != TM_POWER_ELECTRIC)
        return PRIMARY;
    for (size_t k = 0; k < v->n_modes; k++)
        if (v->modes[k].power != TM_POWER_ELECTRIC)
            return (int)k;
    return PRIMARY;
}

int tm_vehicle_mode_under(const tm_vehicle *v, int supply)
{
    if (supply <= TM_SUPPLY_DEFAULT || supply >= TM_SUPPLY_COUNT)
        return PRIMARY;
    const int neutral = supply >= TM_SUPPLY_NEUTRAL(TM_ELEC_NONE);
    const int e = neutral ? supply - TM_SUPPLY_NEUTRAL(TM_ELEC_NONE) : supply - 1;
    int m = pick(v, (tm_electrification)e);
    if (neutral && mode_power(v, m) == TM_POWER_ELECTRIC)
        return CUT;
    return m;
}

static tm_traction_unit unit_of(const tm_vehicle *v, int m, int count)
{
    if (m == CUT)
        return (tm_traction_unit){0, NULL, 0, 0.0, 0.0};
    if (m == PRIMARY)
        return (tm_traction_unit){count, v->n_effort ? v->effort : NULL, v->n_effort,
                                  tm_vehicle_max_force(v), v->max_power};
    const tm_traction_mode *x = &v->modes[m];
    return (tm_traction_unit){count, x->n_effort ? x->effort : NULL, x->n_effort, x->max_force,
                              x->max_power};
}

/* The kink speeds of the further modes' efforts, appended to the train's (sorted again by
 * the caller). */
static int add_mode_kinks(tm_train *t, const tm_vehicle *vehicles)
{
    size_t extra = 0;
    for (size_t i = 0; i < t->n_consist; i++) {
        const tm_vehicle *v = &vehicles[t->consist[i].vehicle];
        for (size_t k = 0; v->has_traction && k < v->n_modes; k++)
            extra += v->modes[k].n_effort ? v->modes[k].n_effort : 1;
    }
    if (!extra)
        return TUMEN_OK;
    double *kinks = realloc(t->effort_kinks, (t->n_effort_kinks + extra) * sizeof *kinks);
    if (!kinks)
        return TUMEN_ENOMEM;
    t->effort_kinks = kinks;
    for (size_t i = 0; i < t->n_consist; i++) {
        const tm_vehicle *v = &vehicles[t->consist[i].vehicle];
        for (size_t k = 0; v->has_traction && k < v->n_modes; k++) {
            const tm_traction_mode *x = &v->modes[k];
            for (size_t j = 0; j < x->n_effort; j++)
                kinks[t->n_effort_kinks++] = x->effort[j].v;
            if (!x->n_effort)
                kinks[t->n_effort_kinks++] =
                    x->max_power > 0.0 && x->max_force > 0.0 ? x->max_power / x->max_force : 0.0;
        }
    }
    return TUMEN_OK;
}

int tm_train_derive_supply(tm_train *t, const tm_vehicle *vehicles)
{
    if (!t->n_traction)
        return TUMEN_OK;
    t->supply_traction = calloc((size_t)TM_SUPPLY_COUNT * t->n_traction,
                                sizeof *t->supply_traction);
    if (!t->supply_traction)
        return TUMEN_ENOMEM;
    for (int s = 0; s < TM_SUPPLY_COUNT; s++) {
        size_t u = 0;
        for (size_t i = 0; i < t->n_consist; i++) {
            const tm_vehicle *v = &vehicles[t->consist[i].vehicle];
            if (!v->has_traction)
                continue;
            t->supply_traction[(size_t)s * t->n_traction + u++] =
                unit_of(v, tm_vehicle_mode_under(v, s), t->consist[i].count);
        }
    }
    return add_mode_kinks(t, vehicles);
}
