/* consist.c: what a train is, derived from its consist.
 *
 * A consist is an ordered list of (vehicle, count). From it follow the train's mass,
 * length, maximum speed, axle load, brake percentage, rotating-mass factor, running
 * resistance (Davis coefficients summed, tables merged) and tractive effort (a list of
 * traction units and the speeds where the summed effort curve has a kink).
 *
 * Rotating mass: the train's factor is the mean of the vehicles' factors weighted by tare
 * mass, applied to the full mass (TrainRuns.jl src/constructors.jl; Brünger & Dahlhaus
 * in Hansen & Pachl 2014, p. 71), so a railtoolkit file gives the same inertia in both tools.
 *
 * Mass (docs/physics.md, "Mass"): a vehicle holds its tare and its load in kg as its input
 * gave them; here, and only here, they become the train's mass (weight for gradient and
 * resistance) and effective mass (inertia), and each vehicle's resistance law meets its
 * mass with load (tm_resistance_davis).
 */
#include "core/vec.h"
#include "core/error.h"
#include "physics/physics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sorts and removes duplicates (within 1e-9 m/s); returns the new count. */
static size_t sort_unique(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, tm_cmp_double);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] - v[k - 1] > 1e-9)
            v[k++] = v[i];
    return k;
}

/* Sum of all vehicles' resistance tables, at the union of their speeds. */
static int merge_resistance_tables(tm_train *t, const tm_vehicle *vehicles)
{
    size_t n_speeds = 0;
    for (size_t i = 0; i < t->n_consist; i++)
        n_speeds += vehicles[t->consist[i].vehicle].resistance.n_table;
    if (n_speeds == 0)
        return TUMEN_OK;
    double *speeds = malloc(n_speeds * sizeof *speeds);
    if (!speeds)
        return TUMEN_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < t->n_consist; i++) {
        const tm_resistance *r = &vehicles[t->consist[i].vehicle].resistance;
        for (size_t j = 0; j < r->n_table; j++)
            speeds[k++] = r->table[j].v;
    }
    n_speeds = sort_unique(speeds, k);
    t->resistance_table = malloc(n_speeds * sizeof *t->resistance_table);
    if (!t->resistance_table) {
        free(speeds);
        return TUMEN_ENOMEM;
    }
    for (size_t j = 0; j < n_speeds; j++) {
        double f = 0.0;
        for (size_t i = 0; i < t->n_consist; i++) {
            const tm_resistance *r = &vehicles[t->consist[i].vehicle].resistance;
            if (r->n_table)
                f += t->consist[i].count * tm_table_force(r->table, r->n_table, speeds[j]);
        }
        t->resistance_table[j] = (tm_force_point){speeds[j], f};
    }
    t->n_resistance_table = n_speeds;
    free(speeds);
    return TUMEN_OK;
}

/* Traction units and the kink speeds of the forces: the summed effort curve's and the
 * resistance table's (both piecewise linear in speed; the integrator ends a step on each). */
static int collect_traction(tm_train *t, const tm_vehicle *vehicles)
{
    size_t n_units = 0, n_kinks = t->n_resistance_table;
    for (size_t i = 0; i < t->n_consist; i++) {
        const tm_vehicle *v = &vehicles[t->consist[i].vehicle];
        if (v->has_traction) {
            n_units++;
            n_kinks += v->n_effort ? v->n_effort : 1;
        }
    }
    t->has_traction = n_units > 0;
    if (!n_units)
        return TUMEN_OK;
    t->traction = calloc(n_units, sizeof *t->traction);
    t->effort_kinks = malloc(n_kinks * sizeof *t->effort_kinks);
    if (!t->traction || !t->effort_kinks)
        return TUMEN_ENOMEM;
    size_t u = 0, k = 0;
    for (size_t j = 0; j < t->n_resistance_table; j++)
        t->effort_kinks[k++] = t->resistance_table[j].v;
    for (size_t i = 0; i < t->n_consist; i++) {
        const tm_vehicle *v = &vehicles[t->consist[i].vehicle];
        if (!v->has_traction)
            continue;
        double max_force = tm_vehicle_max_force(v);
        t->traction[u++] = (tm_traction_unit){t->consist[i].count,
                                              v->n_effort ? v->effort : NULL, v->n_effort,
                                              max_force, v->max_power};
        if (v->n_effort) {
            for (size_t j = 0; j < v->n_effort; j++)
                t->effort_kinks[k++] = v->effort[j].v;
        } else if (v->max_power > 0.0 && max_force > 0.0) {
            t->effort_kinks[k++] = v->max_power / max_force;
        }
    }
    t->n_traction = u;
    t->n_effort_kinks = k;
    int rc = tm_train_derive_supply(t, vehicles); /* further modes: traction_modes.c */
    t->n_effort_kinks = sort_unique(t->effort_kinks, t->n_effort_kinks);
    return rc;
}

/* Service deceleration: the train's own, else the lowest vehicle value (given, or its brake
 * force over its inertial mass), else from the brake percentage (Mindener formula at the
 * train's maximum speed). */
static int derive_deceleration(tm_train *t, const tm_vehicle *vehicles, const char *file,
                               tumen_error *err)
{
    if (t->brake_deceleration_given > 0.0) {
        t->brake_deceleration = t->brake_deceleration_given;
        return TUMEN_OK;
    }
    double lowest = 0.0;
    for (size_t i = 0; i < t->n_consist; i++) {
        const tm_vehicle *v = &vehicles[t->consist[i].vehicle];
        double d = v->brake_deceleration > 0.0 ? v->brake_deceleration
                   : v->brake_force > 0.0      ? v->brake_force / tm_vehicle_inertial_mass(v)
                                               : 0.0;
        if (d > 0.0 && (lowest == 0.0 || d < lowest))
            lowest = d;
    }
    if (lowest > 0.0) {
        t->brake_deceleration = lowest;
        return TUMEN_OK;
    }
    if (t->brake_percentage > 0.0) {
        /* Without a maximum speed of its own, the Mindener formula is taken at 100 km/h. */
        double v_ref = t->max_speed > 0.0 ? t->max_speed : 100.0 / 3.6;
        t->brake_deceleration = tm_deceleration_from_brake_percentage(t->brake_percentage, v_ref);
        if (t->brake_deceleration > 0.0 && isfinite(t->brake_deceleration))
            return TUMEN_OK;
    }
    return tm_error_set(err, TUMEN_EINPUT, file, 0, t->id,
                        "train '%s' has no braking data: give brake.weight or "
                        "brake.deceleration on its vehicles, or brake_deceleration on the train",
                        t->id);
}

/* Traction efficiency and regenerative braking of the train: means over the traction
 * vehicles that give them, weighted by count and power (or force); the regenerative force
 * and power limits add up. Without data: efficiency 1, no regeneration. */
static void derive_energy(tm_train *t, const tm_vehicle *vehicles)
{
    double w_eff = 0, eff = 0, w_reg = 0, reg = 0, f_reg = 0, p_reg = 0;
    for (size_t i = 0; i < t->n_consist; i++) {
        const tm_vehicle *v = &vehicles[t->consist[i].vehicle];
        if (!v->has_traction)
            continue;
        double w = t->consist[i].count * (v->max_power > 0.0 ? v->max_power : 1.0);
        if (v->traction_efficiency > 0.0) {
            w_eff += w;
            eff += w * v->traction_efficiency;
        }
        if (v->regenerative > 0.0) {
            w_reg += w;
            reg += w * v->regenerative;
            f_reg += t->consist[i].count * v->regen_max_force;
            p_reg += t->consist[i].count * v->regen_max_power;
        }
    }
    t->traction_efficiency = w_eff > 0.0 ? eff / w_eff : 1.0;
    t->regenerative = w_reg > 0.0 ? reg / w_reg : 0.0;
    t->regen_max_force = f_reg;
    t->regen_max_power = p_reg;
}

int tm_train_derive(tm_train *t, const tm_vehicle *vehicles, size_t n_vehicles,
                    const char *file, tumen_error *err)
{
    tm_train_release_derived(t);
    if (t->n_consist == 0)
        return tm_error_set(err, TUMEN_EINPUT, file, 0, t->id, "train '%s' has no vehicles",
                            t->id);
    double mass = 0, tare = 0, rotating = 0, length = 0, brake_weight = 0;
    double vmax = t->max_speed_given, axle_load = 0;
    int brake_weight_known = 1;
    t->davis_a = t->davis_b = t->davis_c = 0.0;
    for (size_t i = 0; i < t->n_consist; i++) {
        if (t->consist[i].vehicle >= n_vehicles || t->consist[i].count <= 0)
            return tm_error_set(err, TUMEN_EINPUT, file, 0, t->id,
                                "train '%s': consist entry %zu is invalid", t->id, i + 1);
        const tm_vehicle *v = &vehicles[t->consist[i].vehicle];
        double n = t->consist[i].count;
        mass += n * (v->mass + v->load);
        tare += n * v->mass;
        rotating += n * tm_vehicle_rotating_mass_factor(v) * v->mass;
        length += n * v->length;
        if (v->brake_weight > 0.0)
            brake_weight += n * v->brake_weight;
        else
            brake_weight_known = 0;
        if (v->max_speed > 0.0 && (vmax <= 0.0 || v->max_speed < vmax))
            vmax = v->max_speed;
        if (v->axles > 0 && (v->mass + v->load) / v->axles > axle_load)
            axle_load = (v->mass + v->load) / v->axles;
        tm_resistance davis;
        tm_resistance_davis(&v->resistance, v->mass + v->load, &davis);
        t->davis_a += n * davis.a;
        t->davis_b += n * davis.b;
        t->davis_c += n * davis.c;
    }
    t->mass = mass;
    t->tare_mass = tare;
    t->rotating_mass_factor = tare > 0.0 ? rotating / tare : 1.0;
    t->effective_mass = mass * t->rotating_mass_factor;
    t->length = length;
    t->max_speed = vmax;
    t->max_axle_load = axle_load;
    t->brake_weight = brake_weight_known ? brake_weight : 0.0;
    /* Brake percentage (Bremshundertstel) = braked weight / train mass x 100 (UIC 544-1). */
    t->brake_percentage = brake_weight_known && mass > 0.0 ? 100.0 * brake_weight / mass : 0.0;

    int rc = merge_resistance_tables(t, vehicles);
    if (rc == TUMEN_OK)
        rc = collect_traction(t, vehicles);
    if (rc != TUMEN_OK)
        return tm_error_set(err, rc, file, 0, t->id, "out of memory deriving train '%s'", t->id);
    if (!t->has_traction)
        return tm_error_set(err, TUMEN_EINPUT, file, 0, t->id,
                            "train '%s' has no locomotive or multiple unit (no traction)", t->id);
    derive_energy(t, vehicles);
    return derive_deceleration(t, vehicles, file, err);
}
