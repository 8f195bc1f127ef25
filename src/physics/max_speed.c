/* max_speed.c: the public entry to the Mindener formula (include/tumen.h). */
#include "core/error.h"
#include "physics/physics.h"
#include "tumen.h"

#include <math.h>

/* Highest brake percentage accepted: the braking tables stop well below it, and no train
 * reaches it (brake_percentage = braked weight / mass * 100, UIC 544-1). */
#define TM_MAX_BRAKE_PERCENTAGE 250.0

/* The highest speed (m/s) from which a train of brake_percentage (%) stops within
 * braking_distance (m) on gradient (m/m, uphill positive), by the Mindener formula
 * (physics/braking.c, docs/physics.md).
 * Returns TUMEN_OK and sets *speed; TUMEN_EUSAGE if speed is NULL; TUMEN_EINPUT, with a
 * message naming the value, for a brake percentage outside (0, 250], a distance that is not
 * positive, any non-finite value, or a downhill gradient on which the formula gives the
 * brakes no positive deceleration. *speed is left unchanged on failure. */
int tumen_max_speed_for_braking_distance(double brake_percentage, double braking_distance,
                                         double gradient, double *speed, tumen_error *err)
{
    if (!speed)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "tumen_max_speed_for_braking_distance needs somewhere to put "
                            "the speed (speed is NULL).");
    if (!isfinite(brake_percentage) || !(brake_percentage > 0.0) ||
        brake_percentage > TM_MAX_BRAKE_PERCENTAGE)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "brake_percentage",
                            "The brake percentage must be above 0 and at most %.0f %% "
                            "(braked weight / mass * 100); got %g.",
                            TM_MAX_BRAKE_PERCENTAGE, brake_percentage);
    if (!isfinite(braking_distance) || !(braking_distance > 0.0))
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "braking_distance",
                            "The braking distance must be a positive number of metres; "
                            "got %g.",
                            braking_distance);
    if (!isfinite(gradient))
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "gradient",
                            "The gradient must be a finite number (m/m, uphill positive).");
    const double v = tm_max_speed_mindener(brake_percentage, braking_distance, gradient);
    if (!(v > 0.0))
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "gradient",
                            "On a gradient of %g permille a train with %g %% brake "
                            "percentage cannot stop by the Mindener formula; give a higher "
                            "brake percentage or a gentler gradient.",
                            gradient * 1000.0, brake_percentage);
    *speed = v;
    tm_error_clear(err);
    return TUMEN_OK;
}
