/* forces.c: tractive effort and running resistance of a whole train.
 *
 * Both are summed over the consist once (tm_train_derive) so that one evaluation inside
 * the integrator costs a few multiplications. Effort and resistance tables are read in
 * physics/force_table.c. */
#include "physics/physics.h"

#include <math.h>

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
