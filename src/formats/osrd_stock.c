/* osrd_stock.c: an OSRD rolling stock (railjson 3.x JSON) as one tumen vehicle (a
 * multiple unit: OSRD describes the whole train) and one train of that vehicle, both with
 * the stock's name as id.
 *
 *   mass, length, max_speed        SI as given
 *   inertia_coefficient            rotating-mass factor
 *   rolling_resistance (davis)     A N, B N/(m/s), C N/(m/s)^2
 *   effort_curves                  every mode's default_curve: speeds m/s, max_efforts N
 *                                  (thermal: diesel; "25000V", "1500V": electric under it);
 *                                  default_mode: the vehicle's own traction, the others its
 *                                  further modes (model.h tm_traction_mode)
 *   gamma {type CONST, value}      the service brake deceleration (3.2); const_gamma (3.3)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "formats/import_reader.h"
#include "formats/readers.h"

static int serr(const tm_import_ctx *ctx, const char *path, const char *msg, double v,
                tumen_error *err)
{
    return tm_error_set(err, TUMEN_EINPUT, ctx->file, 0, path, "%s (got %g)", msg, v);
}

static int number(const tm_import_ctx *ctx, const json_t *obj, const char *key, double lo,
                  double hi, const char *unit, double *out, tumen_error *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_number(v))
        return tm_error_set(err, TUMEN_EINPUT, ctx->file, 0, key, "missing or not a number");
    double x = json_number_value(v);
    if (!(x >= lo && x <= hi)) {
        char msg[128];
        snprintf(msg, sizeof msg, "out of range (%g to %g %s)", lo, hi, unit);
        return serr(ctx, key, msg, x, err);
    }
    *out = x;
    return TUMEN_OK;
}

/* A mode's default_curve into (effort, n_effort, max_force); path names the mode. */
static int read_curve(const tm_import_ctx *ctx, const json_t *curve, const char *path,
                      tm_force_point **effort, size_t *n_effort, double *max_force,
                      tumen_error *err)
{
    const json_t *speeds = json_object_get(curve, "speeds");
    const json_t *efforts = json_object_get(curve, "max_efforts");
    size_t n = json_array_size(speeds);
    if (n < 2 || json_array_size(efforts) != n)
        return tm_error_set(err, TUMEN_EINPUT, ctx->file, 0, path,
                            "needs speeds and max_efforts of the same length (at least 2)");
    *effort = calloc(n, sizeof **effort);
    if (!*effort)
        return tm_error_set(err, TUMEN_ENOMEM, ctx->file, 0, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        double s = json_number_value(json_array_get(speeds, i));
        double f = json_number_value(json_array_get(efforts, i));
        if (!(s >= 0.0 && s < 300.0) || (i && !(s > (*effort)[i - 1].v)))
            return serr(ctx, path, "speeds must ascend strictly from 0 m/s (below 300 m/s)", s,
                        err);
        if (!(f >= 0.0 && f < 1e7))
            return serr(ctx, path, "max_efforts must lie within 0 to 1e7 N", f, err);
        (*effort)[i] = (tm_force_point){s, f};
        (*n_effort)++;
        if (f > *max_force)
            *max_force = f;
    }
    return TUMEN_OK;
}

/* One mode of effort_curves.modes: diesel ("thermal") or electric under the system its
 * name gives ("25000V", "1500V"; a name tumen cannot read: any wire). */
static int read_mode(const tm_import_ctx *ctx, const char *name, const json_t *m,
                     tm_traction_mode *out, tumen_error *err)
{
    char path[160];
    tm_snclip(path, sizeof path, "effort_curves.modes.%s.default_curve", name);
    memset(out, 0, sizeof *out);
    out->power = json_is_true(json_object_get(m, "is_electric")) ? TM_POWER_ELECTRIC
                                                                 : TM_POWER_DIESEL;
    if (out->power == TM_POWER_ELECTRIC &&
        tm_electrification_parse(name, &out->electrification))
        out->electrification = TM_ELEC_NONE;
    return read_curve(ctx, json_object_get(m, "default_curve"), path, &out->effort,
                      &out->n_effort, &out->max_force, err);
}

/* Every mode: the default one as the vehicle's own traction, the others as its further
 * modes (the engine picks one per stretch from the track's supply). */
static int read_modes(const tm_import_ctx *ctx, const json_t *ec, tm_vehicle *v,
                      tumen_error *err)
{
    const char *mode = json_string_value(json_object_get(ec, "default_mode"));
    const json_t *modes = json_object_get(ec, "modes");
    const json_t *m = mode ? json_object_get(modes, mode) : NULL;
    if (!m)
        return tm_error_set(err, TUMEN_EINPUT, ctx->file, 0, "effort_curves.default_mode",
                            "names no mode of effort_curves.modes");
    tm_traction_mode primary;
    int rc = read_mode(ctx, mode, m, &primary, err);
    v->effort = primary.effort;
    v->n_effort = primary.n_effort;
    v->max_force = primary.max_force;
    v->power = primary.power;
    v->electrification = primary.electrification;
    if (rc != TUMEN_OK)
        return rc;
    size_t n = json_object_size(modes) - 1;
    if (n == 0)
        return TUMEN_OK;
    v->modes = calloc(n, sizeof *v->modes);
    if (!v->modes)
        return tm_error_set(err, TUMEN_ENOMEM, ctx->file, 0, NULL, "out of memory");
    const char *key;
    const json_t *item;
    json_object_foreach((json_t *)modes, key, item) {
        if (!strcmp(key, mode))
            continue;
        rc = read_mode(ctx, key, item, &v->modes[v->n_modes], err);
        v->n_modes++; /* freed with the vehicle even when half read */
        if (rc != TUMEN_OK)
            return rc;
    }
    return TUMEN_OK;
}

int tm_osrd_stock_read(tm_import_ctx *ctx, json_t *root, tumen_error *err)
{
    tm_vehicle v;
    memset(&v, 0, sizeof v);
    const char *name = json_string_value(json_object_get(root, "name"));
    if (!name || !*name)
        return tm_error_set(err, TUMEN_EINPUT, ctx->file, 0, "name", "missing rolling stock name");
    const char *version = json_string_value(json_object_get(root, "railjson_version"));
    tm_utf8_clip(ctx->out->version, sizeof ctx->out->version, version ? version : "");
    int rc = tm_id_check(name, ctx->file, 0, "name", err); /* the vehicle's and train's id */
    if (rc != TUMEN_OK)
        return rc;
    snprintf(v.id, sizeof v.id, "%s", name);
    if (!(v.name = tm_strdup(name)))
        return tm_error_set(err, TUMEN_ENOMEM, ctx->file, 0, NULL, "out of memory");
    v.kind = TM_VEHICLE_MULTIPLE_UNIT;
    v.gauge = 1435;
    v.has_traction = 1;
    const json_t *rr = json_object_get(root, "rolling_resistance");
    rc = number(ctx, root, "mass", 1.0, 1e8, "kg", &v.mass, err);
    if (rc == TUMEN_OK)
        rc = number(ctx, root, "length", 0.5, 5000.0, "m", &v.length, err);
    if (rc == TUMEN_OK)
        rc = number(ctx, root, "max_speed", 0.1, 300.0, "m/s", &v.max_speed, err);
    if (rc == TUMEN_OK)
        rc = number(ctx, root, "inertia_coefficient", 1.0, 3.0, "", &v.rotating_mass_factor, err);
    const char *rtype = json_string_value(json_object_get(rr, "type"));
    if (rc == TUMEN_OK && (!rtype || strcmp(rtype, "davis")))
        rc = tm_error_set(err, TUMEN_EINPUT, ctx->file, 0, "rolling_resistance.type",
                          "only the davis type is known");
    v.resistance.law = TM_RESIST_DAVIS;
    if (rc == TUMEN_OK)
        rc = number(ctx, rr, "A", 0.0, 1e7, "N", &v.resistance.a, err);
    if (rc == TUMEN_OK)
        rc = number(ctx, rr, "B", -1e6, 1e6, "N/(m/s)", &v.resistance.b, err);
    if (rc == TUMEN_OK)
        rc = number(ctx, rr, "C", 0.0, 1e5, "N/(m/s)^2", &v.resistance.c, err);
    /* Braking: gamma {type: CONST, value} (3.2) or const_gamma (3.3). */
    const json_t *gamma = json_object_get(root, "gamma");
    const char *gamma_type = json_string_value(json_object_get(gamma, "type"));
    if (rc == TUMEN_OK && gamma && (!json_is_object(gamma) || !gamma_type ||
                                    strcmp(gamma_type, "CONST") != 0))
        rc = tm_error_set(err, TUMEN_EINPUT, ctx->file, 0, "gamma.type",
                          "gamma type '%s' is not read: tumen takes a CONST gamma "
                          "(a constant service deceleration)",
                          gamma_type ? gamma_type : "(none)");
    else if (rc == TUMEN_OK && gamma)
        rc = number(ctx, gamma, "value", 0.01, 5.0, "m/s2", &v.brake_deceleration, err);
    else if (rc == TUMEN_OK)
        rc = number(ctx, root, "const_gamma", 0.01, 5.0, "m/s2", &v.brake_deceleration, err);
    if (rc == TUMEN_OK)
        rc = read_modes(ctx, json_object_get(root, "effort_curves"), &v, err);
    tm_train t;
    memset(&t, 0, sizeof t);
    if (rc == TUMEN_OK) {
        memcpy(t.id, v.id, sizeof t.id);
        t.name = tm_strdup(v.name);
        t.consist = calloc(1, sizeof *t.consist);
        if (!t.consist || !t.name)
            rc = tm_error_set(err, TUMEN_ENOMEM, ctx->file, 0, NULL, "out of memory");
    }
    size_t index = 0;
    if (rc == TUMEN_OK)
        rc = tm_scenario_add_vehicle(ctx->out->scenario, &v, NULL, NULL, "name", &index, err);
    if (rc == TUMEN_OK) {
        t.consist[0] = (tm_consist_entry){index, 1};
        t.n_consist = 1;
        rc = tm_scenario_add_train(ctx->out->scenario, &t, NULL, NULL, "name", err);
    }
    tm_vehicle_free(&v);
    tm_train_free(&t);
    if (rc == TUMEN_OK)
        ctx->out->summary.vehicles = 1;
    return rc;
}
