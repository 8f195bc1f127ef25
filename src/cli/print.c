/* print.c: output shared by the commands: clock times and the timetable of a run (what
 * `tumen run` prints, and `tumen route --run`). */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>

void tm_cli_clock(double t, double clock_start, char *buf, size_t size)
{
    if (clock_start < 0.0) {
        tm_cli_duration(t, buf, size);
        return;
    }
    long s = lround(clock_start + t);
    long day = s / 86400;
    s %= 86400;
    if (day > 0)
        snprintf(buf, size, "%02ld:%02ld:%02ld+%ld", s / 3600, (s / 60) % 60, s % 60, day);
    else
        snprintf(buf, size, "%02ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
}

void tm_cli_print_table(const tumen_result *r)
{
    char arr[32], dep[32], dur[32];
    for (size_t i = 0; i < r->n_legs; i++) {
        const tumen_leg_summary *l = &r->legs[i];
        printf("leg %zu: %s over %s: %.1f km, %.0f t, %.0f m, brake %.0f%%, "
               "max %.1f km/h, %.1f kWh\n",
               i + 1, l->train, l->line, (l->end_position - l->start_position) / 1000.0,
               l->train_mass / 1000.0, l->train_length, l->brake_percentage,
               l->max_speed * 3.6, l->energy / 3.6e6);
    }
    printf("\n%-24s %9s %12s %12s %9s  %s\n", "timing point", "km", "arrival", "departure",
           "dwell", "change");
    for (size_t i = 0; i < r->n_timing_points; i++) {
        const tumen_timing_point *tp = &r->timing_points[i];
        int first = i == 0, last = i + 1 == r->n_timing_points;
        tm_cli_clock(tp->arrival, r->clock_start, arr, sizeof arr);
        tm_cli_clock(tp->departure, r->clock_start, dep, sizeof dep);
        double dwell = tp->departure - tp->arrival;
        if (dwell > 0.5)
            tm_cli_duration(dwell, dur, sizeof dur);
        else
            snprintf(dur, sizeof dur, "%s", "");
        printf("%-24.24s %9.3f %12s %12s %9s  %s\n", tp->name, tp->position / 1000.0,
               first ? "" : arr, last ? "" : (tp->is_stop || first ? dep : "|"), dur,
               tp->change);
    }
    tm_cli_duration(r->running_time, dur, sizeof dur);
    printf("\nrunning time %s (%.1f s), distance %.3f km, average %.1f km/h\n", dur,
           r->running_time, r->distance / 1000.0,
           r->running_time > 0 ? r->distance / r->running_time * 3.6 : 0.0);
    printf("traction energy at the wheel %.1f kWh (%.4g J), highest speed %.1f km/h\n",
           r->energy / 3.6e6, r->energy, r->max_speed * 3.6);
    if (fabs(r->energy_supply - r->energy) > 1e-6 * (1.0 + r->energy))
        printf("energy from the supply %.1f kWh (regenerated %.1f kWh)\n",
               r->energy_supply / 3.6e6, r->energy_regenerated / 3.6e6);
    if (r->running_time - r->min_running_time > 0.05) {
        tm_cli_duration(r->min_running_time, dur, sizeof dur);
        printf("fastest run %s (%.1f s), %.1f kWh at the wheel: allowance %.1f s (%.1f%%), "
               "%.1f kWh saved (%.1f%%)\n",
               dur, r->min_running_time, r->min_time_energy / 3.6e6,
               r->running_time - r->min_running_time,
               100.0 * (r->running_time - r->min_running_time) / r->min_running_time,
               (r->min_time_energy_supply - r->energy_supply) / 3.6e6,
               r->min_time_energy_supply > 0.0
                   ? 100.0 * (r->min_time_energy_supply - r->energy_supply) /
                         r->min_time_energy_supply
                   : 0.0);
    }
}
