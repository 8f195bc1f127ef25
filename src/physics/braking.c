/* braking.c: braking distance and the highest safe speed from the brake percentage.
 *
 * The Mindener formula (DB, Bundesbahn-Versuchsamt Minden) relates the braking distance of a
 * train in an emergency brake application to its speed, its brake percentage lambda (braked
 * weight / mass * 100, UIC 544-1) and the gradient. tumen uses it in the form
 *
 *     s = 3.85 V^2 / (6.1 psi (1 + lambda / 10) + I)                          (1)
 *
 * with s in m, V in km/h, I the gradient in permille (uphill positive) and psi = 1.
 * This is the form commonly quoted for brake position P; its constants could not be checked
 * against a primary source (DB Ril 915 / the Minden test reports). It reproduces the one
 * published anchor we could find: 80 brake percent stop a train from 120 km/h in 1000 m
 * (mean deceleration about 0.56 m/s^2; German Wikipedia "Bremshundertstel", quoted on
 * de-academic.com); (1) gives 1010 m. See docs/physics.md.
 *
 * The denominator is a deceleration: 3.85 = 1 / (2 * 3.6^2 * 0.01002), so
 *     b = (6.1 (1 + lambda / 10) + I) * 0.01002 m/s^2,
 * and the gradient term is within 2 % of g * I / 1000, as physics wants.
 *
 * Validity: the braking tables derived from the formula (Bremstafeln) cover signal-guided
 * trains up to 160 km/h on braking distances of 400, 700 and 1000 m and brake percentages up
 * to about 250. tumen does not clamp speeds: results above 160 km/h are extrapolations and
 * docs/physics.md says so. The public wrapper (max_speed.c) rejects lambda outside (0, 250],
 * non-positive distances and gradients on which (1) has no positive deceleration.
 */
#include "physics/physics.h"
#include "core/units.h"

#include <math.h>

/* Mindener constants, equation (1) above. */
#define TM_MINDEN_SPEED 3.85 /* m per (km/h)^2 times the denominator */
#define TM_MINDEN_BRAKE 6.1
#define TM_MINDEN_PSI 1.0

/* The denominator of (1): 6.1 psi (1 + lambda / 10) + I, I in permille. */
static double minden_denominator(double lambda, double gradient)
{
    return TM_MINDEN_BRAKE * TM_MINDEN_PSI * (1.0 + lambda / 10.0) + gradient * 1000.0;
}

/* Braking distance (m) from speed v (m/s) to a stop, for brake percentage lambda (%) on a
 * gradient (m/m, uphill positive), by the Mindener formula (1) above.
 * Returns 0 for v <= 0 and HUGE_VAL when the formula gives no positive deceleration (a
 * downhill gradient steeper than the brakes can hold). */
double tm_braking_distance_mindener(double v, double lambda, double gradient)
{
    if (!(v > 0.0))
        return 0.0;
    const double den = minden_denominator(lambda, gradient);
    if (!(den > 0.0))
        return HUGE_VAL;
    const double v_kmh = v / TM_KMH;
    return TM_MINDEN_SPEED * v_kmh * v_kmh / den;
}

/* The highest speed (m/s) whose Mindener braking distance (1) fits in distance (m): the
 * exact inverse V = sqrt(s (6.1 psi (1 + lambda/10) + I) / 3.85) km/h.
 * Returns 0 for distance <= 0 or when (1) has no positive deceleration. */
double tm_max_speed_mindener(double lambda, double distance, double gradient)
{
    if (!(distance > 0.0))
        return 0.0;
    const double den = minden_denominator(lambda, gradient);
    if (!(den > 0.0))
        return 0.0;
    return sqrt(distance * den / TM_MINDEN_SPEED) * TM_KMH;
}

/* A constant service deceleration (m/s^2) equivalent to the Mindener braking distance from
 * speed v on level track: b = v^2 / (2 s(v)) (constant deceleration, Wende 2003 p. 37).
 * With (1) b does not depend on v; v <= 0 returns that same limit. Returns 0 when lambda
 * gives no positive deceleration. */
double tm_deceleration_from_brake_percentage(double lambda, double v)
{
    const double den = minden_denominator(lambda, 0.0);
    if (!(den > 0.0))
        return 0.0;
    if (!(v > 0.0))
        v = 1.0; /* any speed: b is independent of it */
    const double s = tm_braking_distance_mindener(v, lambda, 0.0);
    return v * v / (2.0 * s);
}
