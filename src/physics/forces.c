/* forces.c: tractive effort and running resistance of a whole train.
 *
 * Both are summed over the consist once (tm_train_derive) so that one evaluation inside
 * the integrator costs a few multiplications. Effort tables are linear between points and
 * constant beyond their ends (TrainRuns.jl src/behavior.jl, calculateTractiveEffort). */
#include "physics/physics.h"

#include <math.h>

/* Index i of the table segment [table[i].v, table[i+1].v) that holds v, clamped to
 * 0 .. n-2. Requires n >= 2. */
static size_t table_segment(const tm_force_point *table, size_t n, double v)
{
    size_t lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (table[mid].v <= v)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The table's force at v using the formula of the piece that holds v_ref: a linear
 * segment, or a constant beyond either end. */
double tm_table_force_frozen(const tm_force_point *table, size_t n, double v, double v_ref)
{
    if (n == 0)
        return 0.0;
    if (n == 1 || v_ref <= table[0].v)
        return table[0].f;
    if (v_ref >= table[n - 1].v)
        return table[n - 1].f;
    size_t i = table_segment(table, n, v_ref);
    double dv = table[i + 1].v - table[i].v;
    if (dv <= 0.0)
        return table[i + 1].f;
    return table[i].f + (table[i + 1].f - table[i].f) * (v - table[i].v) / dv;
}

double tm_table_force(const tm_force_point *table, size_t n, double v)
{
    return tm_table_force_frozen(table, n, v, v);
}

double tm_train_effort_supply(const tm_train *train, int supply, double v, double v_ref)
{
    if (supply <= TM_SUPPLY_DEFAULT || supply >= TM_SUPPLY_COUNT || !train->supply_traction)
        return tm_train_effort_frozen(train, v, v_ref);
    const tm_traction_unit *units = train->supply_traction + (size_t)supply * train->n_traction;
    double f = 0.0;
    for (size_t i = 0; i < train->n_traction; i++)
        if (units[i].count)
            f += units[i].count * tm_unit_effort(&units[i], v, v_ref);
    return f > 0.0 ? f : 0.0;
}

double tm_train_effort(const tm_train *train, double v)
{
    return tm_train_effort_frozen(train, v, v);
}

double tm_train_resistance(const tm_train *train, double v)
{
    return tm_train_resistance_frozen(train, v, v);
}

/* The force that gives the train acceleration a (m/s^2): m xi a, the left side of the
 * equation of motion above (a brake that holds a deceleration b needs m xi b). */
double tm_train_inertial_force(const tm_train *train, double a)
{
    return train->effective_mass * a;
}

/* Inertial mass of one vehicle (kg): its mass with load times its rotating-mass factor. */
double tm_vehicle_inertial_mass(const tm_vehicle *v)
{
    return (v->mass + v->load) * tm_vehicle_rotating_mass_factor(v);
}

/* The vehicle's starting force, capped by its maximum acceleration when it gives one
 * (TTOBench: F <= m (1 + rho) a_max). */
double tm_vehicle_max_force(const tm_vehicle *v)
{
    if (v->max_acceleration > 0.0)
        return fmin(v->max_force, tm_vehicle_inertial_mass(v) * v->max_acceleration);
    return v->max_force;
}
