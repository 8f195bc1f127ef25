/* units.h: quantities with units, converted to SI at the edge.
 * An input value may carry its unit ("90 t", "60 km/h", "12 permille"); a bare number takes
 * the dimension's documented default unit (docs/formats.md); an unknown unit is an error. */
#ifndef TM_UNITS_H
#define TM_UNITS_H

#include <stddef.h>

typedef enum tm_dim {
    TM_DIM_LENGTH,       /* SI m;      default m */
    TM_DIM_MASS,         /* SI kg;     default t */
    TM_DIM_SPEED,        /* SI m/s;    default km/h */
    TM_DIM_FORCE,        /* SI N;      default kN */
    TM_DIM_POWER,        /* SI W;      default kW */
    TM_DIM_GRADIENT,     /* SI m/m;    default permille (uphill positive) */
    TM_DIM_DURATION,     /* SI s;      default s */
    TM_DIM_ACCEL,        /* SI m/s^2;  default m/s^2 */
    TM_DIM_DAVIS_B,      /* SI N/(m/s);     default N/(m/s) */
    TM_DIM_DAVIS_C,      /* SI N/(m/s)^2;   default N/(m/s)^2 */
    TM_DIM_SPECIFIC,     /* SI N/N;    default permille (N/kN), for specific resistance */
    TM_DIM_RATIO,        /* SI 1;      default 1 (bare number), "%" accepted */
    TM_DIM_PERCENT,      /* SI %;      default % (brake percentage) */
    TM_DIM_ENERGY,       /* SI J;      default kWh */
    TM_DIM_COUNT_
} tm_dim;

/* Parses text as a quantity of dimension dim into SI units.
 * Returns 0, or -1 with a message in why (a full sentence naming the accepted units). */
int tm_parse_quantity(const char *text, tm_dim dim, double *si, char *why, size_t why_size);

/* The default unit's name for a dimension, for messages and docs ("km/h"). */
const char *tm_dim_default_unit(tm_dim dim);

/* 1 km/h in m/s (speeds in files are km/h; SI inside). */
#define TM_KMH (1.0 / 3.6)

#endif
