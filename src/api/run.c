/* run.c: a run's result to memory: the JSON of `tumen run --json`, the table `tumen run`
 * prints, the trajectory CSV and the speed-distance plot. */
#include "api/api.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "formats/output.h"

int tumen_result_json(const tumen_result *r, char **text, size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!r)
        return tm_api_null(err, "result");
    return tm_api_json_text(tm_result_to_json(r), TM_JSON_DUMP_FLAGS, text, length, err);
}

/* A time of the run: a clock time "HH:MM:SS" after clock_start (s after midnight; "+N" for
 * later days), or a duration H:MM:SS when clock_start < 0. */
static void run_clock(double t, double clock_start, char *buf, size_t size)
{
    if (clock_start < 0.0) {
        tm_api_duration(t, buf, size);
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

static void print_legs(FILE *f, const tumen_result *r)
{
    for (size_t i = 0; i < r->n_legs; i++) {
        const tumen_leg_summary *l = &r->legs[i];
        fprintf(f, "leg %zu: %s over %s: %.1f km, %.0f t, %.0f m, brake %.0f%%, "
                   "max %.1f km/h, %.1f kWh\n",
                i + 1, l->train, l->line, (l->end_position - l->start_position) / 1000.0,
                l->train_mass / 1000.0, l->train_length, l->brake_percentage,
                l->max_speed * 3.6, l->energy / 3.6e6);
    }
}

static void print_points(FILE *f, const tumen_result *r)
{
    char arr[32], dep[32], dur[32];
    fprintf(f, "\n%-24s %9s %12s %12s %9s  %s\n", "timing point", "km", "arrival", "departure",
            "dwell", "change");
    for (size_t i = 0; i < r->n_timing_points; i++) {
        const tumen_timing_point *tp = &r->timing_points[i];
        int first = i == 0, last = i + 1 == r->n_timing_points;
        run_clock(tp->arrival, r->clock_start, arr, sizeof arr);
        run_clock(tp->departure, r->clock_start, dep, sizeof dep);
        double dwell = tp->departure - tp->arrival;
        if (dwell > 0.5)
            tm_api_duration(dwell, dur, sizeof dur);
        else
            dur[0] = '\0';
        fprintf(f, "%-24.24s %9.3f %12s %12s %9s  %s\n", tp->name ? tp->name : "",
                tp->position / 1000.0, first ? "" : arr,
                last ? "" : (tp->is_stop || first ? dep : "|"), dur,
                tp->change ? tp->change : "");
    }
}

static void print_totals(FILE *f, const tumen_result *r)
{
    char dur[32];
    tm_api_duration(r->running_time, dur, sizeof dur);
    fprintf(f, "\nrunning time %s (%.1f s), distance %.3f km, average %.1f km/h\n", dur,
            r->running_time, r->distance / 1000.0,
            r->running_time > 0 ? r->distance / r->running_time * 3.6 : 0.0);
    fprintf(f, "traction energy at the wheel %.1f kWh (%.4g J), highest speed %.1f km/h\n",
            r->energy / 3.6e6, r->energy, r->max_speed * 3.6);
    if (fabs(r->energy_supply - r->energy) > 1e-6 * (1.0 + r->energy))
        fprintf(f, "energy from the supply %.1f kWh (regenerated %.1f kWh)\n",
                r->energy_supply / 3.6e6, r->energy_regenerated / 3.6e6);
    if (r->running_time - r->min_running_time > 0.05) {
        tm_api_duration(r->min_running_time, dur, sizeof dur);
        fprintf(f,
                "fastest run %s (%.1f s), %.1f kWh at the wheel: allowance %.1f s (%.1f%%), "
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

/* The run's table into f (also the tail of a route's report). */
void tm_api_result_print(FILE *f, const tumen_result *r)
{
    print_legs(f, r);
    print_points(f, r);
    print_totals(f, r);
}

int tumen_result_text(const tumen_result *r, char **text, size_t *length, tumen_error *err)
{
    tm_api_text t;
    tm_error_clear(err);
    if (!r)
        return tm_api_null(err, "result");
    int rc = tm_api_text_begin(&t, err);
    if (rc != TUMEN_OK)
        return rc;
    tm_api_result_print(t.f, r);
    return tm_api_text_end(&t, text, length, err);
}

static int csv_writer(const void *ctx, const char *path, tumen_error *err)
{
    return tumen_write_trajectory_csv(ctx, path, err);
}

int tumen_result_csv(const tumen_result *r, char **text, size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!r || !text)
        return tm_api_null(err, "result and text");
    return tm_api_via_file(csv_writer, r, "csv", (void **)text, length, err);
}

typedef struct plot_ctx {
    const tumen_result *r;
    const char *title;
} plot_ctx;

static int plot_writer(const void *ctx, const char *path, tumen_error *err)
{
    const plot_ctx *p = ctx;
    return tumen_write_plot(p->r, p->title, path, err);
}

int tumen_result_plot(const tumen_result *r, const char *title, const char *format,
                      void **data, size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!r)
        return tm_api_null(err, "result");
    int rc = tm_api_image_format(format, err);
    plot_ctx p = {r, title ? title : ""};
    return rc != TUMEN_OK ? rc : tm_api_via_file(plot_writer, &p, format, data, length, err);
}
