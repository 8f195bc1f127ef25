/* units.c: the unit table. One row per accepted spelling; the first row of each dimension
 * is its default unit, used for a bare number. */
#include "core/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit_row {
    tm_dim dim;
    const char *name;
    double factor; /* SI value of one unit */
} unit_row;

#define G0 9.80665 /* standard gravity, m/s^2 (CGPM 1901), for kgf */

static const unit_row units[] = {
    {TM_DIM_LENGTH, "m", 1.0},
    {TM_DIM_LENGTH, "km", 1000.0},
    {TM_DIM_LENGTH, "mm", 0.001},
    {TM_DIM_MASS, "t", 1000.0},
    {TM_DIM_MASS, "kg", 1.0},
    {TM_DIM_SPEED, "km/h", TM_KMH},
    {TM_DIM_SPEED, "m/s", 1.0},
    {TM_DIM_FORCE, "kN", 1000.0},
    {TM_DIM_FORCE, "N", 1.0},
    {TM_DIM_FORCE, "MN", 1e6},
    {TM_DIM_FORCE, "kgf", G0},
    {TM_DIM_FORCE, "tf", 1000.0 * G0},
    {TM_DIM_POWER, "kW", 1000.0},
    {TM_DIM_POWER, "W", 1.0},
    {TM_DIM_POWER, "MW", 1e6},
    {TM_DIM_GRADIENT, "permille", 0.001},
    {TM_DIM_GRADIENT, "‰", 0.001},
    {TM_DIM_GRADIENT, "%", 0.01},
    {TM_DIM_DURATION, "s", 1.0},
    {TM_DIM_DURATION, "min", 60.0},
    {TM_DIM_DURATION, "h", 3600.0},
    {TM_DIM_ACCEL, "m/s2", 1.0},
    {TM_DIM_ACCEL, "m/s^2", 1.0},
    {TM_DIM_DAVIS_B, "N/(m/s)", 1.0},
    {TM_DIM_DAVIS_B, "kN/(m/s)", 1000.0},
    {TM_DIM_DAVIS_B, "N/(km/h)", 3.6},
    {TM_DIM_DAVIS_B, "kN/(km/h)", 3600.0},
    {TM_DIM_DAVIS_C, "N/(m/s)^2", 1.0},
    {TM_DIM_DAVIS_C, "kN/(m/s)^2", 1000.0},
    {TM_DIM_DAVIS_C, "N/(km/h)^2", 3.6 * 3.6},
    {TM_DIM_DAVIS_C, "kN/(km/h)^2", 1000.0 * 3.6 * 3.6},
    {TM_DIM_SPECIFIC, "permille", 0.001},
    {TM_DIM_SPECIFIC, "‰", 0.001},
    {TM_DIM_SPECIFIC, "N/kN", 0.001},
    {TM_DIM_RATIO, "", 1.0},
    {TM_DIM_RATIO, "%", 0.01},
    {TM_DIM_PERCENT, "%", 1.0},
    {TM_DIM_ENERGY, "kWh", 3.6e6},
    {TM_DIM_ENERGY, "J", 1.0},
    {TM_DIM_ENERGY, "kJ", 1e3},
    {TM_DIM_ENERGY, "MJ", 1e6},
    {TM_DIM_ENERGY, "MWh", 3.6e9},
};

const char *tm_dim_default_unit(tm_dim dim)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (units[i].dim == dim)
            return units[i].name;
    return "";
}

static void list_units(tm_dim dim, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof units / sizeof units[0] && used + 1 < size; i++) {
        if (units[i].dim != dim || !units[i].name[0])
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", units[i].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

int tm_parse_quantity(const char *text, tm_dim dim, double *si, char *why, size_t why_size)
{
    char accepted[160];
    list_units(dim, accepted, sizeof accepted);
    while (isspace((unsigned char)*text))
        text++;
    errno = 0;
    char *end = NULL;
    double value = strtod(text, &end);
    if (end == text || errno == ERANGE || !isfinite(value)) {
        snprintf(why, why_size, "'%s' is not a number (expected a value in %s)", text,
                 accepted[0] ? accepted : "plain numbers");
        return -1;
    }
    /* strtod accepts "inf", "nan" and hex floats; a quantity is a plain decimal number. */
    for (const char *p = text; p < end; p++) {
        if (!(isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+' || *p == 'e' ||
              *p == 'E')) {
            snprintf(why, why_size, "'%s' is not a decimal number", text);
            return -1;
        }
    }
    while (isspace((unsigned char)*end))
        end++;
    size_t len = strlen(end);
    while (len && isspace((unsigned char)end[len - 1]))
        len--;
    if (len == 0) {
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (units[i].dim == dim) {
                *si = value * units[i].factor;
                return 0;
            }
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (units[i].dim == dim && strlen(units[i].name) == len &&
            strncmp(units[i].name, end, len) == 0) {
            *si = value * units[i].factor;
            return 0;
        }
    }
    snprintf(why, why_size, "unknown unit '%.*s' (accepted: %s)", (int)(len > 40 ? 40 : len),
             end, accepted[0] ? accepted : "a plain number");
    return -1;
}
