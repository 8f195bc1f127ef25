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
static double table_force_frozen(const tm_force_point *table, size_t n, double v, double v_ref)
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
    return table_force_frozen(table, n, v, v);
}

/* Effort of one traction unit with the formula that holds at v_ref.
 * Power limit: F = min(Fmax, P / v) (Brünger & Dahlhaus in Hansen & Pachl 2014, p. 69:
 * the tractive-effort hyperbola of constant power at the wheel). */
static double unit_effort(const tm_traction_unit *u, double v, double v_ref)
{
    if (u->table)
        return table_force_frozen(u->table, u->n_table, v, v_ref);
    if (u->max_power > 0.0 && v_ref * u->max_force > u->max_power)
        return v > 0.0 ? u->max_power / v : u->max_force;
    return u->max_force;
}

double tm_train_effort_frozen(const tm_train *train, double v, double v_ref)
{
    double f = 0.0;
    for (size_t i = 0; i < train->n_traction; i++)
        f += train->traction[i].count * unit_effort(&train->traction[i], v, v_ref);
    return f > 0.0 ? f : 0.0;
}

double tm_train_effort_supply(const tm_train *train, int supply, double v, double v_ref)
{
    if (supply <= TM_SUPPLY_DEFAULT || supply >= TM_SUPPLY_COUNT || !train->supply_traction)
        return tm_train_effort_frozen(train, v, v_ref);
    const tm_traction_unit *units = train->supply_traction + (size_t)supply * train->n_traction;
    double f = 0.0;
    for (size_t i = 0; i < train->n_traction; i++)
        if (units[i].count)
            f += units[i].count * unit_effort(&units[i], v, v_ref);
    return f > 0.0 ? f : 0.0;
}

double tm_train_effort(const tm_train *train, double v)
{
    return tm_train_effort_frozen(train, v, v);
}

/* Davis: F = A + B v + C v^2 (Davis 1926; Brünger & Dahlhaus 2014, p. 70), plus the
 * consist's tabulated resistance. */
double tm_train_resistance_frozen(const tm_train *train, double v, double v_ref)
{
    double f = train->davis_a + v * (train->davis_b + v * train->davis_c);
    if (train->n_resistance_table)
        f += table_force_frozen(train->resistance_table, train->n_resistance_table, v, v_ref);
    return f;
}

double tm_train_resistance(const tm_train *train, double v)
{
    return tm_train_resistance_frozen(train, v, v);
}

/* Weight times the specific force w: the train's mass (tare and load) at standard gravity. */
double tm_train_grade_force(const tm_train *train, double w)
{
    return train->mass * TM_GRAVITY * w;
}

/* Equation of motion: m xi a = F_T - F_R - F_grade (Brünger & Dahlhaus in Hansen & Pachl
 * 2014, p. 72), with m xi the effective (inertial) mass from tm_train_derive. The one place
 * the engine and eco driving take it from. */
double tm_train_acceleration(const tm_train *train, double traction, double resistance,
                             double grade_force)
{
    return (traction - resistance - grade_force) / train->effective_mass;
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
