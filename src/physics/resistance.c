/* resistance.c: running-resistance laws reduced to Davis coefficients, and curve resistance.
 *
 * The one place where a vehicle's resistance, as its input gave it (tm_resistance: a law
 * and its coefficients), meets its mass. Every law here is a polynomial of degree two in
 * speed, so tm_train_derive expands each vehicle's once into F(v) = a + b v + c v^2 (N, v in
 * m/s) and sums them; the engine then evaluates one quadratic (docs/physics.md, "Running
 * resistance").
 *
 * Specific resistances are given as N per N of weight (permille / 1000). Speeds and the
 * head-wind allowance dv are in m/s. Weight is m * TM_GRAVITY, m the vehicle's mass with its
 * load (the train's mass, docs/physics.md "Mass").
 */
#include "physics/physics.h"

#define TM_V10 TM_V_REF_STRAHL
#define TM_V100 TM_V_REF_WENDE

/* Sets out->a/b/c from weight * (k0 + k1 v + k2 (v + dv)^2), expanding the square:
 *   a = W (k0 + k2 dv^2),  b = W (k1 + 2 k2 dv),  c = W k2. */
static void set_quadratic(tm_resistance *out, tm_resistance_law law, double weight, double k0,
                          double k1, double k2, double dv)
{
    out->law = law;
    out->a = weight * (k0 + k2 * dv * dv);
    out->b = weight * (k1 + 2.0 * k2 * dv);
    out->c = weight * k2;
}

/* The specific laws' common form on the weight of mass (kg):
 *   F = m g (k0 + k1 v / v_ref + k2 ((v + dv) / v_ref)^2). */
static void specific(tm_resistance *out, tm_resistance_law law, double mass, double k0,
                     double k1, double k2, double v_ref, double dv)
{
    const double weight = mass * TM_GRAVITY;
    set_quadratic(out, law, weight, k0, k1 / v_ref, k2 / (v_ref * v_ref), dv);
}

/* Strahl's formula for freight trains (wagons only), as quoted by Wende, Fahrdynamik des
 * Schienenverkehrs (2003), p. 153, and used in its Strahl-like form by TrainRuns.jl
 * (src/formulary.jl, calcFreightWagonsResistance):
 *
 *     w = c0 + k ((v + dv) / 10 km/h)^2          (N/N; Strahl wrote it in permille)
 *     F = m g w
 *
 * mass: kg (tare + load); c0, k: N/N; dv: m/s head-wind allowance (0 allowed).
 * The constants Strahl gave (commonly quoted as c0 = 2.5 permille, k = 0.025 to 0.05
 * permille by load, dv = 12 to 15 km/h) could not be checked against the book; tumen takes
 * all three from the input (docs/physics.md). TrainRuns' form m g (f0 + f2 (v/100 km/h)^2)
 * is this one with c0 = f0, k = f2 / 100, dv = 0.
 * Sets out->law, a, b, c; leaves out->table alone. */
void tm_resistance_strahl(double mass, double c0, double k, double dv, tm_resistance *out)
{
    specific(out, TM_RESIST_STRAHL, mass, c0, 0.0, k, TM_V10, dv);
}



/* Sauthoff's formula for passenger coaches in the form TrainRuns.jl uses (src/formulary.jl,
 * calcPassengerWagonsResistance, "based on the equations of Sauthoff [Wende:2003, page
 * 153]"):
 *
 *     F = m g (f0 + f1 v / v00 + f2 ((v + dv) / v00)^2),   v00 = 100 km/h
 *
 * mass: kg; f0, f1, f2: N/N; dv: m/s (TrainRuns uses 15 km/h). Sauthoff's original writes the
 * air term per coach count and frontal area; this per-weight form is TrainRuns' reduction.
 * Sets out->law, a, b, c; leaves out->table alone. */
void tm_resistance_sauthoff(double mass, double f0, double f1, double f2, double dv,
                            tm_resistance *out)
{
    specific(out, TM_RESIST_SAUTHOFF, mass, f0, f1, f2, TM_V100, dv);
}

/* Wende's locomotive (traction unit) formula, Wende (2003) p. 151, as TrainRuns.jl
 * implements it (src/formulary.jl, calcTractionUnitResistance; the air coefficient is given
 * per weight of the whole unit, as its rolling-stock files do):
 *
 *     F = f_d m_d g + f_c m_c g + f_air (m_d + m_c) g ((v + dv) / v00)^2,  v00 = 100 km/h
 *
 * driving_mass, carrying_mass: kg on driving and carrying axles; f_driving, f_carrying,
 * f_air: N/N; dv: m/s. Sets out->law, a, b, c; leaves out->table alone. */
static void wende(tm_resistance *out, double driving_mass, double carrying_mass,
                  double f_driving, double f_carrying, double f_air, double v_ref, double dv)
{
    /* The constant part is a weighted sum; fold it into k0 on the whole weight. */
    const double base = (f_driving * driving_mass + f_carrying * carrying_mass) * TM_GRAVITY;
    specific(out, TM_RESIST_WENDE_LOCO, driving_mass + carrying_mass, 0.0, 0.0, f_air, v_ref,
             dv);
    out->a += base;
}

void tm_resistance_wende_loco(double driving_mass, double carrying_mass, double f_driving,
                              double f_carrying, double f_air, double dv, tm_resistance *out)
{
    wende(out, driving_mass, carrying_mass, f_driving, f_carrying, f_air, TM_V100, dv);
}

/* The vehicle's resistance law on its mass (kg, with load) as Davis coefficients in
 * out->a/b/c (out->law the law; the table is not touched: tm_train_derive merges tables).
 * Every law's coefficients are as the input gave them (model.h, tm_resistance). */
void tm_resistance_davis(const tm_resistance *given, double mass, tm_resistance *out)
{
    const tm_resistance *r = given;
    switch (r->law) {
    case TM_RESIST_DAVIS:
        out->law = r->law;
        out->a = r->a;
        out->b = r->b;
        out->c = r->c;
        return;
    case TM_RESIST_STRAHL:
    case TM_RESIST_SAUTHOFF:
        specific(out, r->law, mass, r->k0, r->k1, r->k2, r->v_ref, r->dv);
        return;
    case TM_RESIST_WENDE_LOCO: {
        /* Not given: all of the mass on driving axles, the carrying axles the rest. */
        double driving = r->driving_mass >= 0.0 ? r->driving_mass : mass;
        double carrying = r->carrying_mass >= 0.0 ? r->carrying_mass
                          : mass > driving        ? mass - driving
                                                  : 0.0;
        wende(out, driving, carrying, r->k0, r->k0_carrying, r->k2, r->v_ref, r->dv);
        return;
    }
    case TM_RESIST_TABLE:
    case TM_RESIST_NONE:
    default:
        out->law = r->law;
        out->a = out->b = out->c = 0.0;
        return;
    }
}

/* Rotating-mass factor of a vehicle: its own, else 1.06 for coaches and wagons and 1.09 for
 * locomotives and multiple units (Brünger & Dahlhaus in Hansen & Pachl 2014, p. 71; the
 * values TrainRuns.jl's rolling-stock files take). */
double tm_vehicle_rotating_mass_factor(const tm_vehicle *v)
{
    if (v->rotating_mass_factor > 0.0)
        return v->rotating_mass_factor;
    return v->kind == TM_VEHICLE_COACH || v->kind == TM_VEHICLE_WAGON ? 1.06 : 1.09;
}

/* Radius below which the curve formulas are not evaluated as written: Roeckl's second form
 * is singular at R = 30 m. Tighter curves are taken as this radius (a tumen choice, not
 * from the source; no running line has such curves). */
#define TM_MIN_CURVE_RADIUS 50.0 /* m */

/* Specific curve resistance (N per N of weight) in a curve of radius (m).
 *  - TM_CURVE_ROECKL, Roeckl's formula for standard gauge, as commonly quoted in German
 *    textbooks (constants not verified against a primary source, see docs/physics.md):
 *        w = 650 / (R - 55) permille  for R >= 300 m
 *        w = 500 / (R - 30) permille  for R <  300 m
 *  - TM_CURVE_800R, the simple rule w = 800 / R permille.
 *  - TM_CURVE_NONE: 0.
 * Returns 0 for radius <= 0 (straight track) or a non-finite radius. */
double tm_curve_specific_resistance(tm_curve_law law, double radius)
{
    if (!(radius > 0.0) || radius > 1e300)
        return 0.0;
    double r = radius < TM_MIN_CURVE_RADIUS ? TM_MIN_CURVE_RADIUS : radius;
    switch (law) {
    case TM_CURVE_ROECKL:
        if (r >= 300.0)
            return 650.0 / (r - 55.0) / 1000.0;
        return 500.0 / (r - 30.0) / 1000.0;
    case TM_CURVE_800R:
        return 800.0 / r / 1000.0;
    case TM_CURVE_NONE:
    default:
        return 0.0;
    }
}
