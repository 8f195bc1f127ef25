/* physics.h: forces on a train and braking, each formula with its source in the .c file
 * and in docs/physics.md. SI in and out. */
#ifndef TM_PHYSICS_H
#define TM_PHYSICS_H

#include "model/model.h"
#include "physics/force_table.h"

#define TM_GRAVITY 9.80665 /* m/s^2, standard gravity (CGPM 1901; as TrainRuns.jl) */

/* Maximum tractive effort of the whole train at speed v (N). */
double tm_train_effort(const tm_train *train, double v);

/* The forces the integrator evaluates at every stage of every step are defined here,
 * inline, so that the engine's inner loop (run/pass.c) is not four calls into another file
 * per evaluation; the same arithmetic, so the same results. */

/* Effort of one traction unit with the formula that holds at v_ref.
 * Power limit: F = min(Fmax, P / v) (Brünger & Dahlhaus in Hansen & Pachl 2014, p. 69:
 * the tractive-effort hyperbola of constant power at the wheel). */
static inline double tm_unit_effort(const tm_traction_unit *u, double v, double v_ref)
{
    if (u->table)
        return tm_table_force_frozen(u->table, u->n_table, v, v_ref);
    if (u->max_power > 0.0 && v_ref * u->max_force > u->max_power)
        return v > 0.0 ? u->max_power / v : u->max_force;
    return u->max_force;
}

/* The train's effort, evaluated with the formula (table segment, or the force or power
 * branch) that holds at speed v_ref. Within one interval between effort kinks this is a
 * smooth function of v, which is what the integrator needs for its stage evaluations. */
static inline double tm_train_effort_frozen(const tm_train *train, double v, double v_ref)
{
    double f = 0.0;
    for (size_t i = 0; i < train->n_traction; i++)
        f += train->traction[i].count * tm_unit_effort(&train->traction[i], v, v_ref);
    return f > 0.0 ? f : 0.0;
}

/* The same under a supply (tm_section.supply: each vehicle in the mode it takes there,
 * physics/traction_modes.c); TM_SUPPLY_DEFAULT is tm_train_effort_frozen. */
double tm_train_effort_supply(const tm_train *train, int supply, double v, double v_ref);

/* The mode a vehicle pulls with under a supply: -1 its primary mode, k >= 0 its modes[k],
 * -2 none (an electric mode in a neutral section). */
int tm_vehicle_mode_under(const tm_vehicle *v, int supply);

/* Fills train->supply_traction and adds the further modes' kink speeds to effort_kinks
 * (unsorted: tm_train_derive sorts them). Returns TUMEN_OK or TUMEN_ENOMEM. */
int tm_train_derive_supply(tm_train *train, const tm_vehicle *vehicles);

/* Running resistance of the whole train at speed v >= 0 (N). */
double tm_train_resistance(const tm_train *train, double v);

/* The same with the resistance table's segment that holds v_ref (smooth in v between two
 * of the table's speeds, which are kinks the integrator stops on like the effort's).
 * Davis: F = A + B v + C v^2 (Davis 1926; Brünger & Dahlhaus 2014, p. 70), plus the
 * consist's tabulated resistance. */
static inline double tm_train_resistance_frozen(const tm_train *train, double v, double v_ref)
{
    double f = train->davis_a + v * (train->davis_b + v * train->davis_c);
    if (train->n_resistance_table)
        f += tm_table_force_frozen(train->resistance_table, train->n_resistance_table, v, v_ref);
    return f;
}

/* Force of gradient and curves (N) on the train for w N per N of its weight. */
static inline double tm_train_grade_force(const tm_train *train, double w)
{
    return train->mass * TM_GRAVITY * w;
}

/* The equation of motion: acceleration (m/s^2) under traction (N, minus any brake force),
 * resistance and grade force (docs/physics.md, "Equation of motion"): m xi a = F_T - F_R -
 * F_grade (Brünger & Dahlhaus in Hansen & Pachl 2014, p. 72), with m xi the effective
 * (inertial) mass from tm_train_derive. The one place the engine and eco driving take it
 * from. */
static inline double tm_train_acceleration(const tm_train *train, double traction,
                                           double resistance, double grade_force)
{
    return (traction - resistance - grade_force) / train->effective_mass;
}

/* The force (N) that gives the train acceleration a (m/s^2): effective mass times a. */
double tm_train_inertial_force(const tm_train *train, double a);

/* Specific curve resistance (N per N of weight) in a curve of radius (m); 0 for radius 0. */
double tm_curve_specific_resistance(tm_curve_law law, double radius);

/* Davis coefficients (N, N/(m/s), N/(m/s)^2) for the laws that take specific
 * coefficients. Each is documented with its source in physics/resistance.c. */
void tm_resistance_strahl(double mass, double c0, double k, double dv, tm_resistance *out);
void tm_resistance_sauthoff(double mass, double f0, double f1, double f2, double dv,
                            tm_resistance *out);
void tm_resistance_wende_loco(double driving_mass, double carrying_mass, double f_driving,
                              double f_carrying, double f_air, double dv, tm_resistance *out);

/* A vehicle's resistance law, as its input gave it, on its mass (kg, with load): the Davis
 * coefficients in out->a/b/c and the law in out->law; out->table is not touched. The one
 * place a reader's coefficients meet the mass (tm_train_derive calls it). */
void tm_resistance_davis(const tm_resistance *given, double mass, tm_resistance *out);

/* Inertial mass (kg) of one vehicle: its mass with load times its rotating-mass factor. */
double tm_vehicle_inertial_mass(const tm_vehicle *v);

/* A vehicle's starting force (N) in its primary mode: max_force, capped at its inertial mass
 * times max_acceleration when it gives one (physics/forces.c). */
double tm_vehicle_max_force(const tm_vehicle *v);

/* Rotating-mass factor xi of a vehicle: its own, else its kind's (physics/resistance.c). */
double tm_vehicle_rotating_mass_factor(const tm_vehicle *v);

/* Braking distance (m) from speed v (m/s) to a stop, for brake percentage lambda (%) on a
 * gradient (m/m, uphill positive), by the Mindener formula (physics/braking.c). */
double tm_braking_distance_mindener(double v, double lambda, double gradient);

/* The highest speed (m/s) whose Mindener braking distance fits in distance (m). */
double tm_max_speed_mindener(double lambda, double distance, double gradient);

/* A constant service deceleration (m/s^2) equivalent to the Mindener braking distance
 * from speed v on level track: v^2 / (2 s). */
double tm_deceleration_from_brake_percentage(double lambda, double v);

#endif
