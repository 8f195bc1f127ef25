/* ttobench.c: the JSON files of TTOBench (nuorail/ttobench, BSD-2-Clause): trains, tracks
 * and journeys of the train trajectory optimisation benchmark.
 *
 * A file is recognised by its content: a JSON object whose metadata names the library
 * ("library version": "TTOBench ..."). Units are read from the files and checked:
 *  - train: mass (kg), rho (%: rotating mass factor 1 + rho/100), max traction force (kN),
 *    max traction power (kW), max speed (km/h), Davis r0 (kN), r1 (kN/(km/h)), r2
 *    (kN/(km/h)^2), max acceleration (m/s^2: caps the tractive force at m (1 + rho) a_max),
 *    max deceleration (m/s^2: the service deceleration; without it the regenerative and
 *    pneumatic brake forces over m (1 + rho)), efficiency traction and reg brake (%), max
 *    reg braking force (kN) and power (kW); one multiple unit, train id = metadata id;
 *  - track: stops (m), speed limits [[position m, km/h]], gradients [[position m, permil]]
 *    (uphill positive); the line runs from 0 to the last stop; curvatures, tunnels and ETCS
 *    data are not used (the benchmark's own model folds curves into nothing either);
 *  - journey: timing points [[position m, earliest s, latest s, lowest km/h, highest km/h]]
 *    on its "associated track", run by the only train loaded. Two rows at one position are
 *    the arrival and departure of a stop; a row with both speed bounds 0 is a stop. Each row
 *    after the first becomes a target "by the latest time" (docs/formats.md); the dwell of a
 *    stop is its earliest departure minus its latest arrival, and the train never leaves a
 *    stop (nor the first point) before the earliest departure time. The earliest time of
 *    any other row is a lower time bound there (run/allowance.c: kept, or reported as a
 *    warning where a later latest time makes it unmeetable); the highest speed of a row the
 *    train passes is a speed limit over the metre after it, and both speed bounds are
 *    checked on the run (run/journey.c: a warning where the run breaks one).
 */
#include "core/vec.h"
#include "core/id.h"
#include "core/error.h"
#include "formats/json_doc.h"
#include "formats/readers.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tm_ttobench_detect(const char *text, size_t length)
{
    size_t i = length >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0; /* byte-order mark */
    while (i < length && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        i++;
    if (i >= length || text[i] != '{')
        return 0;
    size_t n = length < 4096 ? length : 4096;
    for (size_t k = i; k + 8 <= n; k++)
        if (memcmp(text + k, "TTOBench", 8) == 0)
            return 1;
    return 0;
}

typedef struct ctx {
    const char *file;
    tumen_error *err;
    const char *text; /* for the line of a value (jansson keeps none) */
    size_t length;
} ctx;

/* An input error at the line where field (keys joined by '.') is written, or where item
 * index of its array is (index >= 0; the field is then shown as "field[index]"). */
static int bad_at(const ctx *c, const char *field, const char *array, long index,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int bad_at(const ctx *c, const char *field, const char *array, long index,
                  const char *fmt, ...)
{
    char msg[512], shown[160], where[160];
    va_list ap;
    va_start(ap, fmt);
    tm_vsnclip(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (field && index >= 0) {
        snprintf(shown, sizeof shown, "%s[%ld]", field, index);
        snprintf(where, sizeof where, "%s[%ld]", array, index);
    } else {
        snprintf(shown, sizeof shown, "%s", field ? field : "");
        snprintf(where, sizeof where, "%s", shown);
    }
    int line = field ? tm_json_line(c->text, c->length, where) : 0;
    return tm_error_set(c->err, TUMEN_EINPUT, c->file, line, field ? shown : NULL, "%s", msg);
}

#define bad(c, field, ...) bad_at(c, field, NULL, -1, __VA_ARGS__)

/* obj[key].value as a number in the expected unit (one of the accepted spellings). */
static int value_in(const ctx *c, json_t *root, const char *key, const char *unit,
                    const char *unit2, int required, double *out)
{
    json_t *o = json_object_get(root, key);
    if (!o) {
        if (required)
            return bad(c, key, "missing required field '%s'", key);
        return TUMEN_OK;
    }
    const char *u = json_string_value(json_object_get(o, "unit"));
    json_t *v = json_object_get(o, "value");
    if (!u || (strcmp(u, unit) && (!unit2 || strcmp(u, unit2))))
        return bad(c, key, "unexpected unit '%s' (tumen reads the units TTOBench v1.5 uses)",
                   u ? u : "(none)");
    if (!json_is_number(v))
        return bad(c, key, "'%s' needs a numeric value", key);
    *out = json_number_value(v);
    return TUMEN_OK;
}

static int read_train(tm_scenario *s, const ctx *c, json_t *root, const char *id)
{
    tm_vehicle v;
    memset(&v, 0, sizeof v);
    snprintf(v.id, sizeof v.id, "%s", id);
    v.kind = TM_VEHICLE_MULTIPLE_UNIT;
    v.power = TM_POWER_ELECTRIC;
    v.has_traction = 1;
    double rho = 0, fmax = 0, pmax = 0, vmax = 0, r0 = 0, r1 = 0, r2 = 0, amax = 0, dmax = 0;
    double eff = 0, eff_reg = 0, f_reg = 0, p_reg = 0, f_pn = 0;
    int rc = value_in(c, root, "mass", "kg", NULL, 1, &v.mass);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "length", "m", NULL, 0, &v.length);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "rho", "%", NULL, 1, &rho);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "max traction force", "kN", NULL, 1, &fmax);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "max traction power", "kW", NULL, 1, &pmax);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "max speed", "km/h", NULL, 1, &vmax);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "rolling resistance r0", "kN", NULL, 1, &r0);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "rolling resistance r1", "kN/(km/h)", NULL, 1, &r1);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "rolling resistance r2", "kN/(km/h)^2", NULL, 1, &r2);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "max acceleration", "m/s^2", NULL, 0, &amax);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "max deceleration", "m/s^2", NULL, 0, &dmax);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "efficiency traction", "%", NULL, 0, &eff);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "efficiency reg brake", "%", NULL, 0, &eff_reg);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "max reg braking force", "kN", NULL, 0, &f_reg);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "max reg braking power", "kW", NULL, 0, &p_reg);
    if (rc == TUMEN_OK)
        rc = value_in(c, root, "max pn braking force", "kN", NULL, 0, &f_pn);
    if (rc != TUMEN_OK)
        return rc;
    if (!(v.mass > 0.0) || !(fmax > 0.0) || !(vmax > 0.0) || rho < 0.0)
        return bad(c, "mass", "%s: mass, max traction force and max speed must be positive",
                   id);
    v.rotating_mass_factor = 1.0 + rho / 100.0;
    v.max_force = fmax * 1e3;
    v.max_acceleration = amax; /* physics caps the force at m (1 + rho) a_max */
    v.max_power = pmax * 1e3;
    v.max_speed = vmax / 3.6;
    v.resistance.law = TM_RESIST_DAVIS;
    v.resistance.a = r0 * 1e3;
    v.resistance.b = r1 * 1e3 * 3.6;
    v.resistance.c = r2 * 1e3 * 3.6 * 3.6;
    v.brake_deceleration = dmax; /* without it, physics takes the brake force over m (1 + rho) */
    v.brake_force = (f_reg + f_pn) * 1e3;
    if (!(v.brake_deceleration > 0.0) && !(v.brake_force > 0.0))
        return bad(c, "max deceleration", "%s: no braking data", id);
    v.traction_efficiency = eff > 0.0 ? fmin(eff / 100.0, 1.0) : 0.0;
    v.regenerative = eff_reg > 0.0 ? fmin(eff_reg / 100.0, 0.999) : 0.0;
    v.regen_max_force = f_reg * 1e3;
    v.regen_max_power = p_reg * 1e3;
    size_t vi = 0;
    if (tm_name_format(&v.name, "%s (TTOBench)", id)) /* names come from the id */
        return tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
    rc = tm_scenario_add_vehicle(s, &v, NULL, NULL, id, &vi, c->err);
    if (rc != TUMEN_OK) {
        tm_vehicle_free(&v);
        return rc;
    }
    tm_train t;
    memset(&t, 0, sizeof t);
    snprintf(t.id, sizeof t.id, "%s", id);
    t.name = tm_strdup(id);
    t.consist = malloc(sizeof *t.consist);
    if (!t.consist || !t.name) {
        tm_train_free(&t);
        return tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
    }
    t.consist[0] = (tm_consist_entry){vi, 1};
    t.n_consist = 1;
    rc = tm_scenario_add_train(s, &t, NULL, NULL, id, c->err);
    if (rc != TUMEN_OK)
        tm_train_free(&t);
    return rc;
}

/* The [[position, value], ...] rows of root[key].values, checked ascending from 0, with
 * values in [lo, hi] (above lo only, when lo_open). */
static int rows(const ctx *c, json_t *root, const char *key, const char *unit_key,
                const char *unit, double lo, int lo_open, double hi, json_t **out)
{
    json_t *o = json_object_get(root, key);
    json_t *units = json_object_get(o, "units");
    const char *u = json_string_value(json_object_get(units, unit_key));
    const char *pos = json_string_value(json_object_get(units, "position"));
    *out = json_object_get(o, "values");
    if (!o || !json_is_array(*out) || json_array_size(*out) == 0)
        return bad(c, key, "missing '%s' rows", key);
    if (!u || strcmp(u, unit) || !pos || strcmp(pos, "m"))
        return bad(c, key, "unexpected units in '%s' (position m and the TTOBench unit)", key);
    char values[96];
    snprintf(values, sizeof values, "%s.values", key);
    double last = -1.0;
    for (size_t i = 0; i < json_array_size(*out); i++) {
        json_t *r = json_array_get(*out, i);
        double x = json_number_value(json_array_get(r, 0));
        double v = json_number_value(json_array_get(r, 1));
        if (!json_is_array(r) || json_array_size(r) != 2 ||
            !json_is_number(json_array_get(r, 0)) || !json_is_number(json_array_get(r, 1)))
            return bad_at(c, key, values, (long)i, "a row must be [position, %s]", unit_key);
        if (x <= last || (i == 0 && x != 0.0))
            return bad_at(c, key, values, (long)i,
                          "positions must ascend from 0 (got %g m after %g m)", x, last);
        if ((lo_open ? !(v > lo) : !(v >= lo)) || !(v <= hi))
            return bad_at(c, key, values, (long)i, "%s %g %s is outside %s%g to %g %s",
                          unit_key, v, unit, lo_open ? "above " : "", lo, hi, unit);
        last = x;
    }
    return TUMEN_OK;
}

/* The stops of a track: positions in m, ascending from 0 or more; *end the last one. */
static int read_stops(const ctx *c, json_t *root, const char *id, json_t **stops, double *end)
{
    *stops = json_object_get(json_object_get(root, "stops"), "values");
    if (!json_is_array(*stops) || json_array_size(*stops) < 2)
        return bad(c, "stops", "%s: a track needs at least two stops (its two ends)", id);
    double last = -1.0;
    for (size_t i = 0; i < json_array_size(*stops); i++) {
        json_t *x = json_array_get(*stops, i);
        if (!json_is_number(x) || !(json_number_value(x) > last))
            return bad_at(c, "stops", "stops.values", (long)i,
                          "stops must be positions in m, ascending from 0 or more");
        last = json_number_value(x);
    }
    *end = last;
    if (!(*end > 0.0))
        return bad(c, "stops", "%s: the stops give no length", id);
    return TUMEN_OK;
}

/* Value of the step function rows at x. */
static double step_at(json_t *r, double x)
{
    double v = json_number_value(json_array_get(json_array_get(r, 0), 1));
    for (size_t i = 0; i < json_array_size(r); i++) {
        json_t *row = json_array_get(r, i);
        if (json_number_value(json_array_get(row, 0)) <= x + 1e-9)
            v = json_number_value(json_array_get(row, 1));
    }
    return v;
}

static int read_track(tm_scenario *s, const ctx *c, json_t *root, const char *id)
{
    json_t *limits, *grads;
    /* Speed limits above 0 and up to 1000 km/h; gradients within +-1000 permille, the
     * range tumen YAML accepts. */
    int rc = rows(c, root, "speed limits", "velocity", "km/h", 0.0, 1, 1000.0, &limits);
    if (rc == TUMEN_OK)
        rc = rows(c, root, "gradients", "slope", "permil", -1000.0, 0, 1000.0, &grads);
    json_t *stops;
    double end = 0.0;
    if (rc == TUMEN_OK)
        rc = read_stops(c, root, id, &stops, &end);
    if (rc != TUMEN_OK)
        return rc;
    size_t n_stops = json_array_size(stops);
    size_t n_lim = json_array_size(limits), n_gr = json_array_size(grads);
    double *bp = malloc((n_lim + n_gr + 1) * sizeof *bp);
    tm_line l;
    memset(&l, 0, sizeof l);
    l.sections = malloc((n_lim + n_gr + 1) * sizeof *l.sections);
    l.points = calloc(n_stops ? n_stops : 1, sizeof *l.points);
    if (!bp || !l.sections || !l.points) {
        free(bp);
        tm_line_free(&l);
        return tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
    }
    size_t n = 0;
    for (size_t i = 0; i < n_lim; i++)
        bp[n++] = json_number_value(json_array_get(json_array_get(limits, i), 0));
    for (size_t i = 0; i < n_gr; i++)
        bp[n++] = json_number_value(json_array_get(json_array_get(grads, i), 0));
    qsort(bp, n, sizeof *bp, tm_cmp_double);
    snprintf(l.id, sizeof l.id, "%s", id);
    if (!(l.name = tm_strdup(id))) {
        free(bp);
        tm_line_free(&l);
        return tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
    }
    l.curve_law = TM_CURVE_NONE;
    for (size_t i = 0; i < n; i++) {
        double a = bp[i], b = i + 1 < n ? bp[i + 1] : end;
        if (a >= end - 1e-6)
            break;
        b = fmin(b, end);
        if (b - a <= 1e-6)
            continue;
        double mid = 0.5 * (a + b);
        l.sections[l.n_sections++] = (tm_section){a, b, step_at(limits, mid) / 3.6,
                                                  step_at(grads, mid) / 1000.0, 0.0, 0};
    }
    free(bp);
    for (size_t i = 0; i < n_stops; i++) {
        tm_point *p = &l.points[l.n_points++];
        p->position = json_number_value(json_array_get(stops, i));
        p->stop = 1;
        if (tm_name_format(&p->name, "stop km %.3f", p->position / 1000.0)) {
            tm_line_free(&l);
            return tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
        }
    }
    rc = tm_scenario_add_line(s, &l, NULL, NULL, id, c->err);
    tm_line_free(&l);
    return rc;
}

/* Adds (or finds) the point at x on line l; returns its index or -1 on memory failure. */
static long point_at(tm_line *l, double x, const char *name)
{
    for (size_t i = 0; i < l->n_points; i++)
        if (fabs(l->points[i].position - x) < 1e-3)
            return (long)i;
    char *copy = tm_strdup(name);
    tm_point *p = copy ? realloc(l->points, (l->n_points + 1) * sizeof *p) : NULL;
    if (!p) {
        free(copy);
        return -1;
    }
    l->points = p;
    size_t k = l->n_points;
    while (k > 0 && l->points[k - 1].position > x) {
        l->points[k] = l->points[k - 1];
        k--;
    }
    memset(&l->points[k], 0, sizeof l->points[k]);
    l->points[k].position = x;
    l->points[k].name = copy;
    l->n_points++;
    return (long)k;
}

/* Every timing point is [position m, earliest s, latest s, lowest km/h, highest km/h] (the
 * speeds may be null), on the track (0 to its end), ascending, earliest <= latest, and its
 * latest time not before the earliest time of any point before it (a window no run can
 * meet is the file's error, at its row). */
static int check_timing_points(const ctx *c, json_t *vals, double end)
{
    double last = -1.0, earliest = -INFINITY;
    for (size_t i = 0; i < json_array_size(vals); i++) {
        json_t *r = json_array_get(vals, i);
        int ok = json_is_array(r) && json_array_size(r) == 5;
        for (size_t k = 0; ok && k < 5; k++)
            ok = json_is_number(json_array_get(r, k)) || (k >= 3 && json_is_null(json_array_get(r, k)));
        if (!ok)
            return bad_at(c, "timing points", "timing points.values", (long)i,
                          "a timing point is [position m, earliest s, latest s, lowest km/h, "
                          "highest km/h] (speeds may be null)");
        double x = json_number_value(json_array_get(r, 0));
        if (x < 0.0 || x > end + 1e-3)
            return bad_at(c, "timing points", "timing points.values", (long)i,
                          "position %g m is not on the track (0 to its last stop, %g m)", x,
                          end);
        if (x < last)
            return bad_at(c, "timing points", "timing points.values", (long)i,
                          "position %g m is behind the timing point before it", x);
        double lo = json_number_value(json_array_get(r, 1));
        double hi = json_number_value(json_array_get(r, 2));
        if (lo < 0.0)
            return bad_at(c, "timing points", "timing points.values", (long)i,
                          "the earliest time %g s is negative", lo);
        if (lo > hi)
            return bad_at(c, "timing points", "timing points.values", (long)i,
                          "the earliest time is after the latest");
        json_t *vlo = json_array_get(r, 3), *vhi = json_array_get(r, 4);
        double slow = json_is_number(vlo) ? json_number_value(vlo) : 0.0;
        double fast = json_is_number(vhi) ? json_number_value(vhi) : INFINITY;
        if (slow < 0.0 || fast < 0.0 || slow > fast)
            return bad_at(c, "timing points", "timing points.values", (long)i,
                          "the speed bounds %g to %g km/h are not a range of speeds", slow,
                          fast);
        if (fast == 0.0 && !(json_is_number(vlo) && slow == 0.0))
            return bad_at(c, "timing points", "timing points.values", (long)i, "%s",
                          "a highest speed of 0 km/h is a stop: give the lowest speed 0 too");
        /* No run passes a point before an earlier point's earliest time. */
        if (hi < earliest)
            return bad_at(c, "timing points", "timing points.values", (long)i,
                          "the latest time %g s is before the earliest time %g s of a timing "
                          "point before it: no run can meet both",
                          hi, earliest);
        earliest = fmax(earliest, lo);
        last = x;
    }
    return TUMEN_OK;
}

/* Where row i's bounds are written, for the warnings about them: the file, the row's line
 * and "timing points[i]" (as the errors name a row). 0, or -1 when memory runs out. */
static int bound_origin(const ctx *c, tm_target *t, size_t i)
{
    char where[64];
    snprintf(where, sizeof where, "timing points.values[%zu]", i);
    t->origin.line = tm_json_line(c->text, c->length, where);
    return tm_name_set(&t->origin.file, c->file) ||
           tm_name_format(&t->origin.field, "timing points[%zu]", i);
}

/* Splits the section of l holding x strictly inside in two at x. 0, or -1 (memory). */
static int split_at(tm_line *l, double x)
{
    for (size_t i = 0; i < l->n_sections; i++) {
        tm_section *sec = &l->sections[i];
        if (!(x > sec->start + 1e-6 && x < sec->end - 1e-6))
            continue;
        tm_section *grown = realloc(l->sections, (l->n_sections + 1) * sizeof *grown);
        if (!grown)
            return -1;
        l->sections = grown;
        memmove(&grown[i + 1], &grown[i], (l->n_sections - i) * sizeof *grown);
        l->n_sections++;
        grown[i].end = x;
        grown[i + 1].start = x;
        return 0;
    }
    return 0;
}

/* A speed limit of v (m/s) at x: over the metre after it (the engine keeps a limit until
 * the train's rear has passed it too), lowering the line's own. 0, or -1 (memory). */
static int limit_at(tm_line *l, double x, double v)
{
    double end = l->n_sections ? l->sections[l->n_sections - 1].end : 0.0, to = fmin(x + 1.0, end);
    if (!(to > x))
        return 0; /* the line's end */
    if (split_at(l, x) || split_at(l, to))
        return -1;
    for (size_t i = 0; i < l->n_sections; i++)
        if (l->sections[i].start >= x - 1e-6 && l->sections[i].end <= to + 1e-6)
            l->sections[i].speed_limit = fmin(l->sections[i].speed_limit, v);
    return 0;
}

static int read_journey(tm_scenario *s, const ctx *c, json_t *root, const char *id)
{
    const char *track = json_string_value(
        json_object_get(json_object_get(root, "metadata"), "associated track"));
    if (!track)
        return bad(c, "metadata.associated track", "journey %s names no track", id);
    size_t li = tm_scenario_find_line(s, track);
    if (li == (size_t)-1)
        return bad(c, "metadata.associated track",
                   "track '%s' is not loaded (give the track file before the journey)", track);
    if (s->n_trains != 1 || s->has_journey)
        return bad(c, "timing points", "%s",
                   "a TTOBench journey runs the only train loaded: give one train file, "
                   "then the track, then the journey");
    json_t *tp = json_object_get(root, "timing points");
    json_t *vals = json_object_get(tp, "values");
    json_t *units = json_object_get(tp, "units");
    const char *tu = json_string_value(json_object_get(units, "upper time constraint"));
    if (!json_is_array(vals) || json_array_size(vals) < 2 || !tu || strcmp(tu, "s"))
        return bad(c, "timing points", "%s", "timing points need rows and times in s");
    tm_line *l = &s->lines[li];
    double end = l->n_sections ? l->sections[l->n_sections - 1].end : 0.0;
    int rc = check_timing_points(c, vals, end);
    if (rc != TUMEN_OK)
        return rc;
    tm_allowance_spec *spec = calloc(1, sizeof *spec);
    tm_leg *leg = calloc(1, sizeof *leg);
    if (!spec || !leg) {
        free(spec);
        free(leg);
        return tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
    }
    size_t n = json_array_size(vals);
    /* The first row's earliest time: the journey leaves no earlier. */
    double first_lo = json_number_value(json_array_get(json_array_get(vals, 0), 1));
    if (first_lo > 0.0) {
        long k = point_at(l, json_number_value(json_array_get(json_array_get(vals, 0), 0)),
                          "timing point 0");
        if (k < 0) {
            free(spec);
            free(leg);
            return tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
        }
        tm_target *t = &spec->targets[spec->n_targets];
        if (!(t->at = tm_strdup(l->points[k].name))) {
            tm_allowance_spec_release(spec);
            free(spec);
            free(leg);
            return tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
        }
        spec->n_targets++;
        t->arrival = -1.0;
        t->not_before = first_lo;
    }
    for (size_t i = 1; i < n; i++) {
        json_t *r = json_array_get(vals, i), *next = json_array_get(vals, i + 1);
        double x = json_number_value(json_array_get(r, 0));
        double hi = json_number_value(json_array_get(r, 2));
        json_t *vlo = json_array_get(r, 3), *vhi = json_array_get(r, 4);
        int stop = json_is_number(vlo) && json_is_number(vhi) && json_number_value(vlo) == 0.0 &&
                   json_number_value(vhi) == 0.0;
        char name[96]; /* digits only: it fits */
        snprintf(name, sizeof name, "timing point %zu (km %.3f)", i, x / 1000.0);
        long k = point_at(l, x, name);
        int full = k >= 0 && spec->n_targets >= TM_MAX_TARGETS;
        tm_target *t = k < 0 || full ? NULL : &spec->targets[spec->n_targets];
        if (!t || !(t->at = tm_strdup(l->points[k].name))) {
            tm_allowance_spec_release(spec);
            free(spec);
            free(leg);
            return full ? bad(c, "timing points", "%s", "too many timing points")
                        : tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
        }
        tm_point *p = &l->points[k];
        p->stop = p->stop || stop;
        spec->n_targets++;
        t->arrival = hi;
        t->window = 1;
        t->earliest = json_number_value(json_array_get(r, 1));
        if (bound_origin(c, t, i) != TUMEN_OK) {
            tm_allowance_spec_release(spec);
            free(spec);
            free(leg);
            return tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
        }
        if (!p->stop) {
            t->v_min = json_is_number(vlo) ? json_number_value(vlo) / 3.6 : 0.0;
            t->v_max = json_is_number(vhi) ? json_number_value(vhi) / 3.6 : 0.0;
            if (t->v_max > 0.0 && limit_at(l, x, t->v_max) != 0) {
                tm_allowance_spec_release(spec);
                free(spec);
                free(leg);
                return tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
            }
        }
        if (next && fabs(json_number_value(json_array_get(next, 0)) - x) < 1e-3) {
            /* The same stop again: its departure window. The train leaves no earlier than
             * its earliest time (whenever it arrives), and by its latest: it arrives by then
             * at the latest too. */
            double dep_lo = json_number_value(json_array_get(next, 1));
            double dep_hi = json_number_value(json_array_get(next, 2));
            p->dwell = fmax(0.0, dep_lo - hi);
            t->not_before = dep_lo;
            t->arrival = fmin(hi, dep_hi);
            i++;
        }
    }
    leg->train = 0;
    leg->line = li;
    s->journey.legs = leg;
    s->journey.n_legs = 1;
    s->journey.leg_allowances = spec;
    if (!(s->journey.name = tm_strdup(id)))
        return tm_error_set(c->err, TUMEN_ENOMEM, c->file, 0, NULL, "out of memory");
    s->has_journey = 1;
    return TUMEN_OK;
}

int tm_ttobench_read(tm_scenario *s, const char *file, const char *text, size_t length,
                     tumen_error *err)
{
    json_t *root;
    int rc = tm_json_load(&root, file, text, length, err);
    if (rc != TUMEN_OK)
        return rc;
    ctx c = {file, err, text, length};
    const char *id = json_string_value(json_object_get(json_object_get(root, "metadata"), "id"));
    if (!id)
        rc = bad(&c, "metadata.id", "%s", "a TTOBench file needs metadata.id");
    else if (strlen(id) >= TM_ID_LEN) /* it names the vehicle, train or line: refused, not cut */
        rc = tm_id_check(id, file, tm_json_line(text, length, "metadata.id"), "metadata.id", err);
    else if (json_object_get(root, "timing points"))
        rc = read_journey(s, &c, root, id);
    else if (json_object_get(root, "speed limits"))
        rc = read_track(s, &c, root, id);
    else if (json_object_get(root, "max traction force"))
        rc = read_train(s, &c, root, id);
    else
        rc = bad(&c, NULL, "%s", "a TTOBench file that is neither a train, a track nor a journey");
    json_decref(root);
    return rc;
}
