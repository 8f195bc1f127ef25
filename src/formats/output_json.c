/* output_json.c: the run's summary (totals, timetable, legs) as one JSON object.
 * tumen_write_json with path NULL or "-" writes to standard output: the one place the
 * library writes to stdout, and only because the caller asked for it. */
#include <errno.h>
#include "core/c_locale.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/atomic.h"
#include "formats/json_put.h"
#include "formats/output.h"

static json_t *timing_point_json(const tumen_timing_point *tp, int *bad)
{
    json_t *o = json_object();
    if (!o) {
        *bad = 1;
        return NULL;
    }
    tm_json_put(o, "name", tm_json_str(tp->name ? tp->name : ""), bad);
    tm_json_put(o, "position_m", tm_json_real(tp->position), bad);
    tm_json_put(o, "arrival_s", tm_json_real(tp->arrival), bad);
    tm_json_put(o, "departure_s", tm_json_real(tp->departure), bad);
    tm_json_put(o, "is_stop", json_boolean(tp->is_stop), bad);
    tm_json_put(o, "leg", json_integer(tp->leg), bad);
    if (tp->change && tp->change[0])
        tm_json_put(o, "change", tm_json_str(tp->change), bad);
    if (tp->target >= 0.0)
        tm_json_put(o, "target_s", tm_json_real(tp->target), bad);
    return o;
}

static json_t *leg_json(const tumen_leg_summary *leg, int *bad)
{
    json_t *o = json_object();
    if (!o) {
        *bad = 1;
        return NULL;
    }
    tm_json_put(o, "train", tm_json_str(leg->train ? leg->train : ""), bad);
    tm_json_put(o, "line", tm_json_str(leg->line ? leg->line : ""), bad);
    tm_json_put(o, "start_m", tm_json_real(leg->start_position), bad);
    tm_json_put(o, "end_m", tm_json_real(leg->end_position), bad);
    tm_json_put(o, "departure_s", tm_json_real(leg->departure), bad);
    tm_json_put(o, "arrival_s", tm_json_real(leg->arrival), bad);
    tm_json_put(o, "running_time_s", tm_json_real(leg->arrival - leg->departure), bad);
    tm_json_put(o, "energy_j", tm_json_real(leg->energy), bad);
    tm_json_put(o, "max_speed_ms", tm_json_real(leg->max_speed), bad);
    tm_json_put(o, "train_mass_kg", tm_json_real(leg->train_mass), bad);
    tm_json_put(o, "train_length_m", tm_json_real(leg->train_length), bad);
    tm_json_put(o, "brake_percentage", tm_json_real(leg->brake_percentage), bad);
    tm_json_put(o, "energy_supply_j", tm_json_real(leg->energy_supply), bad);
    tm_json_put(o, "energy_regenerated_j", tm_json_real(leg->energy_regenerated), bad);
    tm_json_put(o, "min_running_time_s", tm_json_real(leg->min_running_time), bad);
    tm_json_put(o, "min_time_energy_j", tm_json_real(leg->min_time_energy), bad);
    tm_json_put(o, "energy_saving_j", tm_json_real(leg->min_time_energy_supply - leg->energy_supply), bad);
    tm_json_put(o, "driving", json_string(leg->driving == TUMEN_DRIVING_ECO      ? "eco"
                                  : leg->driving == TUMEN_DRIVING_LINEAR ? "linear"
                                                                         : "fastest"),
        bad);
    return o;
}

/* Builds the summary object described in output.h; NULL for a NULL result or when memory
 * runs out. The caller json_decref's it. */
json_t *tm_result_to_json(const tumen_result *result)
{
    if (!result)
        return NULL;
    int bad = 0;
    json_t *root = json_object();
    json_t *tps = json_array();
    json_t *legs = json_array();
    json_t *warnings = json_array();
    if (!root || !tps || !legs || !warnings) {
        json_decref(root);
        json_decref(tps);
        json_decref(legs);
        json_decref(warnings);
        return NULL;
    }
    tm_json_put(root, "running_time_s", tm_json_real(result->running_time), &bad);
    tm_json_put(root, "distance_m", tm_json_real(result->distance), &bad);
    tm_json_put(root, "energy_j", tm_json_real(result->energy), &bad);
    tm_json_put(root, "energy_kwh", tm_json_real(result->energy / 3.6e6), &bad);
    tm_json_put(root, "max_speed_ms", tm_json_real(result->max_speed), &bad);
    tm_json_put(root, "max_speed_kmh", tm_json_real(result->max_speed * 3.6), &bad);
    tm_json_put(root, "energy_supply_j", tm_json_real(result->energy_supply), &bad);
    tm_json_put(root, "energy_regenerated_j", tm_json_real(result->energy_regenerated), &bad);
    tm_json_put(root, "min_running_time_s", tm_json_real(result->min_running_time), &bad);
    tm_json_put(root, "min_time_energy_j", tm_json_real(result->min_time_energy), &bad);
    tm_json_put(root, "min_time_energy_supply_j", tm_json_real(result->min_time_energy_supply), &bad);
    tm_json_put(root, "energy_saving_j",
        tm_json_real(result->min_time_energy_supply - result->energy_supply), &bad);
    for (size_t i = 0; i < result->n_timing_points && result->timing_points; i++)
        tm_json_append(tps, timing_point_json(&result->timing_points[i], &bad), &bad);
    for (size_t i = 0; i < result->n_legs && result->legs; i++)
        tm_json_append(legs, leg_json(&result->legs[i], &bad), &bad);
    tm_json_put(root, "timing_points", tps, &bad);
    tm_json_put(root, "legs", legs, &bad);
    /* Bounds not enforced or not met, as stderr shows them: "file:line: field: message". */
    for (size_t i = 0; i < result->n_warnings && result->warnings; i++) {
        char text[1024];
        tumen_error_format(&result->warnings[i], text, sizeof text);
        tm_json_append(warnings, tm_json_str(text), &bad);
    }
    tm_json_put(root, "warnings", warnings, &bad);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* Writes tm_result_to_json(result) to path, indented, with a final newline.
 * path NULL or "-" means standard output (written and flushed, not closed); this is the
 * only function of the library that writes to stdout. A file is written atomically:
 * on failure (TUMEN_EIO naming the path, TUMEN_ENOMEM, TUMEN_EUSAGE for a NULL result)
 * nothing is left at path. */
static int tumen_write_json_c(const tumen_result *result, const char *path, tumen_error *err)
{
    if (!result)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "No result to write.");
    json_t *root = tm_result_to_json(result);
    if (!root)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL,
                            "Out of memory building the JSON output.");
    int to_stdout = !path || strcmp(path, "-") == 0;
    tm_atomic_file af;
    FILE *fp = stdout;
    if (!to_stdout) {
        fp = tm_atomic_open(path, &af, err);
        if (!fp) {
            json_decref(root);
            return err ? err->code : TUMEN_EIO;
        }
    }
    errno = 0;
    int failed = json_dumpf(root, fp, TM_JSON_DUMP_FLAGS) != 0 || fputc('\n', fp) == EOF;
    int e = errno ? errno : EIO;
    json_decref(root);
    if (to_stdout) {
        if (failed || fflush(stdout) != 0)
            return tm_io_error(err, "write", "standard output", failed ? e : errno);
        return TUMEN_OK;
    }
    if (failed) {
        tm_atomic_abort(&af);
        return tm_io_error(err, "write", path, e);
    }
    return tm_atomic_commit(&af, err);
}

/* The C numeric locale for this thread around the work (core/c_locale.h). */
int tumen_write_json(const tumen_result *result, const char *path, tumen_error *err)
{
    locale_t old = tm_c_numeric_enter();
    int rc = tumen_write_json_c(result, path, err);
    tm_c_numeric_leave(old);
    return rc;
}
