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
#include "formats/output.h"

/* A JSON number, or null for NaN/infinity (which JSON cannot hold). */
static json_t *jreal(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* A JSON string from a fixed-size name field. Names are UTF-8 but may have been cut in
 * the middle of a character when copied into the field: drop such a tail, and as a last
 * resort replace every non-ASCII byte with '?', so a name never makes the output fail. */
static json_t *jstr(const char *s)
{
    size_t n = strlen(s);
    for (size_t cut = 0; cut <= 3 && cut <= n; cut++) {
        json_t *j = json_stringn(s, n - cut);
        if (j)
            return j;
    }
    char clean[256];
    size_t m = n < sizeof clean - 1 ? n : sizeof clean - 1;
    for (size_t i = 0; i < m; i++)
        clean[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
    return json_stringn(clean, m);
}

/* Adds key: value to obj, taking value's reference; records failure in *bad. */
static void put(json_t *obj, const char *key, json_t *value, int *bad)
{
    if (!value || json_object_set_new(obj, key, value) != 0)
        *bad = 1;
}

static void append(json_t *array, json_t *value, int *bad)
{
    if (!value || json_array_append_new(array, value) != 0)
        *bad = 1;
}

static json_t *timing_point_json(const tumen_timing_point *tp, int *bad)
{
    json_t *o = json_object();
    if (!o) {
        *bad = 1;
        return NULL;
    }
    put(o, "name", jstr(tp->name), bad);
    put(o, "position_m", jreal(tp->position), bad);
    put(o, "arrival_s", jreal(tp->arrival), bad);
    put(o, "departure_s", jreal(tp->departure), bad);
    put(o, "is_stop", json_boolean(tp->is_stop), bad);
    put(o, "leg", json_integer(tp->leg), bad);
    if (tp->change[0])
        put(o, "change", jstr(tp->change), bad);
    if (tp->target >= 0.0)
        put(o, "target_s", jreal(tp->target), bad);
    return o;
}

static json_t *leg_json(const tumen_leg_summary *leg, int *bad)
{
    json_t *o = json_object();
    if (!o) {
        *bad = 1;
        return NULL;
    }
    put(o, "train", jstr(leg->train), bad);
    put(o, "line", jstr(leg->line), bad);
    put(o, "start_m", jreal(leg->start_position), bad);
    put(o, "end_m", jreal(leg->end_position), bad);
    put(o, "departure_s", jreal(leg->departure), bad);
    put(o, "arrival_s", jreal(leg->arrival), bad);
    put(o, "running_time_s", jreal(leg->arrival - leg->departure), bad);
    put(o, "energy_j", jreal(leg->energy), bad);
    put(o, "max_speed_ms", jreal(leg->max_speed), bad);
    put(o, "train_mass_kg", jreal(leg->train_mass), bad);
    put(o, "train_length_m", jreal(leg->train_length), bad);
    put(o, "brake_percentage", jreal(leg->brake_percentage), bad);
    put(o, "energy_supply_j", jreal(leg->energy_supply), bad);
    put(o, "energy_regenerated_j", jreal(leg->energy_regenerated), bad);
    put(o, "min_running_time_s", jreal(leg->min_running_time), bad);
    put(o, "min_time_energy_j", jreal(leg->min_time_energy), bad);
    put(o, "energy_saving_j", jreal(leg->min_time_energy_supply - leg->energy_supply), bad);
    put(o, "driving", json_string(leg->driving == TUMEN_DRIVING_ECO      ? "eco"
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
    if (!root || !tps || !legs) {
        json_decref(root);
        json_decref(tps);
        json_decref(legs);
        return NULL;
    }
    put(root, "running_time_s", jreal(result->running_time), &bad);
    put(root, "distance_m", jreal(result->distance), &bad);
    put(root, "energy_j", jreal(result->energy), &bad);
    put(root, "energy_kwh", jreal(result->energy / 3.6e6), &bad);
    put(root, "max_speed_ms", jreal(result->max_speed), &bad);
    put(root, "max_speed_kmh", jreal(result->max_speed * 3.6), &bad);
    put(root, "energy_supply_j", jreal(result->energy_supply), &bad);
    put(root, "energy_regenerated_j", jreal(result->energy_regenerated), &bad);
    put(root, "min_running_time_s", jreal(result->min_running_time), &bad);
    put(root, "min_time_energy_j", jreal(result->min_time_energy), &bad);
    put(root, "min_time_energy_supply_j", jreal(result->min_time_energy_supply), &bad);
    put(root, "energy_saving_j",
        jreal(result->min_time_energy_supply - result->energy_supply), &bad);
    for (size_t i = 0; i < result->n_timing_points && result->timing_points; i++)
        append(tps, timing_point_json(&result->timing_points[i], &bad), &bad);
    for (size_t i = 0; i < result->n_legs && result->legs; i++)
        append(legs, leg_json(&result->legs[i], &bad), &bad);
    put(root, "timing_points", tps, &bad);
    put(root, "legs", legs, &bad);
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
