/* scenario_yaml.c: the tumen YAML format (docs/formats.md): vehicles, trains, lines and a
 * journey, every quantity with its unit.
 *
 * A document is read in a fixed order whatever the order of its keys (vehicles, trains,
 * lines, journey), so a train may name a vehicle given in the same file. Every mapping's
 * keys are checked, so a misspelt key is an error rather than a silently ignored value.
 * Each item is built in a local struct and handed to the scenario only when complete; on an
 * error the local struct is freed and the error names file, line and field.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "core/error.h"
#include "formats/readers.h"
#include "model/network.h"
#include "plan/special.h"

#define TM_DEFAULT_DV (15.0 * TM_KMH)  /* m/s, head-wind allowance of the German laws */
#define TM_MAX_COUNT 10000          /* vehicles of one kind in one consist entry */

static const tm_ychoice vehicle_kinds[] = {{"locomotive", TM_VEHICLE_LOCOMOTIVE},
                                          {"multiple_unit", TM_VEHICLE_MULTIPLE_UNIT},
                                          {"coach", TM_VEHICLE_COACH},
                                          {"wagon", TM_VEHICLE_WAGON},
                                          {NULL, 0}};
static const tm_ychoice power_types[] = {{"diesel", TM_POWER_DIESEL},
                                        {"electric", TM_POWER_ELECTRIC},
                                        {"steam", TM_POWER_STEAM},
                                        {NULL, 0}};
static const tm_ychoice laws[] = {{"davis", TM_RESIST_DAVIS},
                                 {"strahl", TM_RESIST_STRAHL},
                                 {"sauthoff", TM_RESIST_SAUTHOFF},
                                 {"wende_locomotive", TM_RESIST_WENDE_LOCO},
                                 {"table", TM_RESIST_TABLE},
                                 {NULL, 0}};
static const tm_ychoice measures[] = {{"front", 0}, {"rear", 1}, {NULL, 0}};

/* ---- Vehicles --------------------------------------------------------------------- */

static int read_traction(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                         tm_vehicle *v, tumen_error *err)
{
    static const char *const keys[] = {"max_force", "max_power", "table", "efficiency",
                                       "modes", NULL};
    static const tm_yrange eff_range = {0.0, 1.0, 1};
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a mapping (max_force, max_power or table)",
                        err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "efficiency", TM_DIM_RATIO, eff_range, 0,
                              &v->traction_efficiency, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    const tm_ynode *table = tm_ymap_get(map, "table");
    char sub[128];
    if (table) {
        if (tm_ymap_get(map, "max_force") || tm_ymap_get(map, "max_power"))
            return tm_yerror(doc, table, tm_ypath_key(sub, sizeof sub, path, "table"), err,
                             "give either a table or max_force and max_power, not both");
        rc = tm_yread_force_table(doc, table, sub, 0, 1, &v->effort, &v->n_effort, err);
    } else {
        rc = tm_yget_quantity(doc, map, path, "max_force", TM_DIM_FORCE, TM_YR_POSITIVE, 1,
                              &v->max_force, NULL, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_quantity(doc, map, path, "max_power", TM_DIM_POWER, TM_YR_POSITIVE, 0,
                                  &v->max_power, NULL, err);
    }
    const tm_ynode *modes = tm_ymap_get(map, "modes"); /* formats/traction_yaml.c */
    if (rc == TUMEN_OK && modes)
        rc = tm_yread_traction_modes(doc, modes, tm_ypath_key(sub, sizeof sub, path, "modes"),
                                     v, err);
    v->has_traction = rc == TUMEN_OK;
    return rc;
}

/* Reads each listed specific coefficient (N/N) into out[i]; those not required default to 0. */
static int read_coefficients(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                             const char *const *names, const int *required, double *out,
                             tumen_error *err)
{
    for (size_t i = 0; names[i]; i++) {
        out[i] = 0.0;
        int rc = tm_yget_quantity(doc, map, path, names[i], TM_DIM_SPECIFIC, TM_YR_NONNEG,
                                  required[i], &out[i], NULL, err);
        if (rc != TUMEN_OK)
            return rc;
    }
    return TUMEN_OK;
}

static int read_davis(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                      tm_resistance *r, tumen_error *err)
{
    int fa = 0, fb = 0, fc = 0;
    int rc = tm_yget_quantity(doc, map, path, "a", TM_DIM_FORCE, TM_YR_NONNEG, 0, &r->a, &fa,
                              err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "b", TM_DIM_DAVIS_B, TM_YR_ANY, 0, &r->b, &fb, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "c", TM_DIM_DAVIS_C, TM_YR_NONNEG, 0, &r->c, &fc,
                              err);
    if (rc == TUMEN_OK && !fa && !fb && !fc)
        rc = tm_yerror(doc, map, path, err, "the davis law needs a, b or c");
    r->law = TM_RESIST_DAVIS;
    return rc;
}

/* The laws with specific coefficients (N/N), stored as given; tm_train_derive applies them to
 * the vehicle's mass with load. */
static int read_specific_law(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                             int law, tm_vehicle *v, tumen_error *err)
{
    static const char *const strahl[] = {"c0", "k", NULL};
    static const char *const sauthoff[] = {"f0", "f1", "f2", NULL};
    static const char *const wende[] = {"f_driving", "f_carrying", "f_air", NULL};
    static const int req_strahl[] = {1, 1}, req_sauthoff[] = {1, 0, 1}, req_wende[] = {1, 0, 1};
    tm_resistance *r = &v->resistance;
    double f[3];
    r->law = (tm_resistance_law)law;
    r->dv = TM_DEFAULT_DV;
    r->v_ref = law == TM_RESIST_STRAHL ? TM_V_REF_STRAHL : TM_V_REF_WENDE;
    r->driving_mass = r->carrying_mass = -1.0; /* not given */
    int rc = tm_yget_quantity(doc, map, path, "dv", TM_DIM_SPEED, TM_YR_NONNEG, 0, &r->dv, NULL,
                              err);
    if (rc != TUMEN_OK)
        return rc;
    if (law == TM_RESIST_STRAHL) {
        rc = read_coefficients(doc, map, path, strahl, req_strahl, f, err);
        r->k0 = f[0];
        r->k2 = f[1];
    } else if (law == TM_RESIST_SAUTHOFF) {
        rc = read_coefficients(doc, map, path, sauthoff, req_sauthoff, f, err);
        r->k0 = f[0];
        r->k1 = f[1];
        r->k2 = f[2];
    } else {
        rc = read_coefficients(doc, map, path, wende, req_wende, f, err);
        r->k0 = f[0];
        r->k0_carrying = f[1];
        r->k2 = f[2];
        if (rc == TUMEN_OK)
            rc = tm_yget_quantity(doc, map, path, "driving_mass", TM_DIM_MASS, TM_YR_POSITIVE, 0,
                                  &r->driving_mass, NULL, err);
        const double full = v->mass + v->load;
        if (rc == TUMEN_OK && r->driving_mass > full * (1.0 + 1e-12)) {
            char sub[128];
            return tm_yerror(doc, tm_ymap_get(map, "driving_mass"),
                             tm_ypath_key(sub, sizeof sub, path, "driving_mass"), err,
                             "is more than the vehicle's mass with load (%g t)", full / 1000.0);
        }
    }
    return rc;
}

static int read_resistance(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                           tm_vehicle *v, tumen_error *err)
{
    static const char *const keys[][8] = {
        [TM_RESIST_DAVIS] = {"law", "table", "a", "b", "c", NULL},
        [TM_RESIST_STRAHL] = {"law", "table", "c0", "k", "dv", NULL},
        [TM_RESIST_SAUTHOFF] = {"law", "table", "f0", "f1", "f2", "dv", NULL},
        [TM_RESIST_WENDE_LOCO] = {"law", "table", "f_driving", "f_carrying", "f_air",
                                  "driving_mass", "dv", NULL},
        [TM_RESIST_TABLE] = {"law", "table", NULL},
    };
    int law = TM_RESIST_DAVIS;
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a mapping with a law and its coefficients",
                        err);
    if (rc == TUMEN_OK)
        rc = tm_yget_choice(doc, map, path, "law", laws, 1, &law, err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys[law], err);
    if (rc != TUMEN_OK)
        return rc;
    if (law == TM_RESIST_DAVIS)
        rc = read_davis(doc, map, path, &v->resistance, err);
    else if (law == TM_RESIST_TABLE)
        v->resistance.law = TM_RESIST_TABLE;
    else
        rc = read_specific_law(doc, map, path, law, v, err);
    const tm_ynode *table = tm_ymap_get(map, "table");
    char sub[128];
    tm_ypath_key(sub, sizeof sub, path, "table");
    if (rc == TUMEN_OK && table)
        rc = tm_yread_force_table(doc, table, sub, 0, 1, &v->resistance.table,
                                  &v->resistance.n_table, err);
    else if (rc == TUMEN_OK && law == TM_RESIST_TABLE)
        rc = tm_yerror(doc, map, sub, err, "the table law needs a table");
    return rc;
}

static int read_brake(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                      tm_vehicle *v, tumen_error *err)
{
    static const char *const keys[] = {"weight", "deceleration", "regenerative",
                                       "regenerative_max_force", "regenerative_max_power", NULL};
    static const tm_yrange regen_range = {0.0, 0.999, 0};
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a mapping (weight, deceleration)", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "regenerative", TM_DIM_RATIO, regen_range, 0,
                              &v->regenerative, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "regenerative_max_force", TM_DIM_FORCE,
                              TM_YR_POSITIVE, 0, &v->regen_max_force, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "regenerative_max_power", TM_DIM_POWER,
                              TM_YR_POSITIVE, 0, &v->regen_max_power, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "weight", TM_DIM_MASS, TM_YR_POSITIVE, 0,
                              &v->brake_weight, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "deceleration", TM_DIM_ACCEL, TM_YR_POSITIVE, 0,
                              &v->brake_deceleration, NULL, err);
    return rc;
}

/* Identity, kind and masses of a vehicle. */
static int read_vehicle_basics(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                               tm_vehicle *v, tumen_error *err)
{
    static const tm_yrange xi_range = {1.0, 3.0, 0}, gauge_range = {0.3, 3.0, 0};
    int kind = 0, power = TM_POWER_NONE;
    long axles = 0;
    int rc = tm_yget_string(doc, map, path, "id", 1, v->id, sizeof v->id, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_name_or(doc, map, path, "name", &v->name, v->id, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_choice(doc, map, path, "kind", vehicle_kinds, 1, &kind, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_choice(doc, map, path, "power", power_types, 0, &power, err);
    v->kind = (tm_vehicle_kind)kind;
    v->power = (tm_power_type)power;
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "mass", TM_DIM_MASS, TM_YR_POSITIVE, 1, &v->mass,
                              NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "load", TM_DIM_MASS, TM_YR_NONNEG, 0, &v->load,
                              NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "length", TM_DIM_LENGTH, TM_YR_POSITIVE, 1,
                              &v->length, NULL, err);
    char sub[128];
    const tm_ynode *node = tm_ymap_get(map, "axles");
    if (rc == TUMEN_OK && node)
        rc = tm_yread_int(doc, node, tm_ypath_key(sub, sizeof sub, path, "axles"), 1, 1000,
                          &axles, err);
    v->axles = (int)axles;
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "max_speed", TM_DIM_SPEED, TM_YR_POSITIVE, 0,
                              &v->max_speed, NULL, err);
    /* Not given: 0, and physics takes the kind's (tm_vehicle_rotating_mass_factor). */
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "rotating_mass_factor", TM_DIM_RATIO, xi_range, 0,
                              &v->rotating_mass_factor, NULL, err);
    double gauge = 0.0;
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "gauge", TM_DIM_LENGTH, gauge_range, 0, &gauge,
                              NULL, err);
    v->gauge = (int)(gauge * 1000.0 + 0.5); /* mm; 0 = not given */
    return rc == TUMEN_OK ? tm_yread_electrification(doc, map, path, &v->electrification, err)
                          : rc;
}

static int read_vehicle(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                        tm_vehicle *v, tumen_error *err)
{
    static const char *const keys[] = {"id",         "name",       "kind",  "power",
                                       "mass",       "load",       "length", "axles",
                                       "max_speed",  "rotating_mass_factor", "traction",
                                       "resistance", "brake",      "gauge",
                                       "electrification", NULL};
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a vehicle (a mapping with id, kind, mass...)",
                        err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = read_vehicle_basics(doc, map, path, v, err);
    if (rc != TUMEN_OK)
        return rc;
    char sub[128];
    const tm_ynode *traction = tm_ymap_get(map, "traction");
    int powered = v->kind == TM_VEHICLE_LOCOMOTIVE || v->kind == TM_VEHICLE_MULTIPLE_UNIT;
    tm_ypath_key(sub, sizeof sub, path, "traction");
    if (powered && !traction)
        return tm_yerror(doc, map, sub, err, "missing required field 'traction' (a %s has it)",
                         v->kind == TM_VEHICLE_LOCOMOTIVE ? "locomotive" : "multiple unit");
    if (!powered && traction)
        return tm_yerror(doc, traction, sub, err,
                         "only locomotives and multiple units have traction");
    if (traction && (rc = read_traction(doc, traction, sub, v, err)) != TUMEN_OK)
        return rc;
    const tm_ynode *resistance = tm_ymap_get(map, "resistance");
    tm_ypath_key(sub, sizeof sub, path, "resistance");
    if (!resistance)
        return tm_yerror(doc, map, sub, err, "missing required field 'resistance'");
    if ((rc = read_resistance(doc, resistance, sub, v, err)) != TUMEN_OK)
        return rc;
    const tm_ynode *brake = tm_ymap_get(map, "brake");
    if (brake)
        rc = read_brake(doc, brake, tm_ypath_key(sub, sizeof sub, path, "brake"), v, err);
    return rc;
}

static int read_vehicles(tm_scenario *s, const tm_ydoc *doc, const tm_ynode *list,
                         tumen_error *err)
{
    if (!list)
        return TUMEN_OK;
    int rc = tm_yexpect(doc, list, TM_YSEQ, "vehicles", "a list of vehicles", err);
    for (size_t i = 0; rc == TUMEN_OK && i < list->n; i++) {
        char path[128];
        tm_vehicle v;
        memset(&v, 0, sizeof v);
        tm_ypath_index(path, sizeof path, "vehicles", i);
        rc = read_vehicle(doc, list->items[i], path, &v, err);
        if (rc == TUMEN_OK)
            rc = tm_scenario_add_vehicle(s, &v, doc, tm_ymap_get(list->items[i], "id"), path,
                                         NULL, err);
        tm_vehicle_free(&v);
    }
    return rc;
}

/* ---- Trains ----------------------------------------------------------------------- */

/* Resolves "id" or "N x id" (also "N*id", "N×id") to a consist entry. The whole term is
 * tried as an id first, so an id that looks like "2x4" still works. */
static int resolve_term(const tm_scenario *s, const tm_ydoc *doc, const tm_ynode *node,
                        const char *path, const char *term, tm_consist_entry *e,
                        tumen_error *err)
{
    size_t idx = tm_scenario_find_vehicle(s, term);
    e->count = 1;
    if (idx == (size_t)-1 && isdigit((unsigned char)term[0])) {
        const char *p = term;
        long count = 0;
        while (isdigit((unsigned char)*p) && count <= TM_MAX_COUNT)
            count = count * 10 + (*p++ - '0');
        while (*p == ' ' || *p == '\t')
            p++;
        size_t sep = (*p == 'x' || *p == 'X' || *p == '*') ? 1
                     : strncmp(p, "\xc3\x97", 2) == 0     ? 2
                                                          : 0;
        if (sep) {
            p += sep;
            while (*p == ' ' || *p == '\t')
                p++;
            if (count < 1 || count > TM_MAX_COUNT)
                return tm_yerror(doc, node, path, err, "a count must be 1 to %d (in '%s')",
                                 TM_MAX_COUNT, term);
            idx = tm_scenario_find_vehicle(s, p);
            e->count = (int)count;
            term = p;
        }
    }
    if (idx == (size_t)-1)
        return tm_yerror(doc, node, path, err,
                         "unknown vehicle '%s' (vehicles must be defined before the train)",
                         term);
    e->vehicle = idx;
    return TUMEN_OK;
}

/* Trims spaces in place and returns the start. */
static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* "2TE116 + 21 x armoured_coach" into entries (space for every '+' + 1 entries). */
static int parse_consist_text(const tm_scenario *s, const tm_ydoc *doc, const tm_ynode *node,
                              const char *path, tm_train *t, tumen_error *err)
{
    char *copy = malloc(node->len + 1);
    if (!copy)
        return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), node->line, path,
                            "out of memory");
    memcpy(copy, node->text, node->len + 1);
    int rc = TUMEN_OK;
    char *term = copy;
    for (;;) {
        char *plus = strchr(term, '+');
        if (plus)
            *plus = '\0';
        char *name = trim(term);
        if (!name[0])
            rc = tm_yerror(doc, node, path, err, "an empty entry in the consist '%s'",
                           node->text);
        else
            rc = resolve_term(s, doc, node, path, name, &t->consist[t->n_consist], err);
        if (rc != TUMEN_OK || !plus)
            break;
        t->n_consist++;
        term = plus + 1;
    }
    if (rc == TUMEN_OK)
        t->n_consist++;
    free(copy);
    return rc;
}

/* One item of the list form: "id", "N x id", or {vehicle: id, count: N}. */
static int read_consist_item(const tm_scenario *s, const tm_ydoc *doc, const tm_ynode *item,
                             const char *path, tm_consist_entry *e, tumen_error *err)
{
    static const char *const keys[] = {"vehicle", "count", NULL};
    if (item->kind == TM_YSCALAR)
        return resolve_term(s, doc, item, path, item->text, e, err);
    char id[TM_ID_LEN], sub[128];
    long count = 1;
    int rc = tm_yexpect(doc, item, TM_YMAP, path, "a vehicle id or {vehicle: id, count: N}", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, item, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, item, path, "vehicle", 1, id, sizeof id, NULL, err);
    const tm_ynode *n = tm_ymap_get(item, "count");
    if (rc == TUMEN_OK && n)
        rc = tm_yread_int(doc, n, tm_ypath_key(sub, sizeof sub, path, "count"), 1, TM_MAX_COUNT,
                          &count, err);
    if (rc != TUMEN_OK)
        return rc;
    e->vehicle = tm_scenario_find_vehicle(s, id);
    e->count = (int)count;
    if (e->vehicle == (size_t)-1)
        return tm_yerror(doc, tm_ymap_get(item, "vehicle"),
                         tm_ypath_key(sub, sizeof sub, path, "vehicle"), err,
                         "unknown vehicle '%s' (vehicles must be defined before the train)", id);
    return TUMEN_OK;
}

static int read_consist(const tm_scenario *s, const tm_ydoc *doc, const tm_ynode *node,
                        const char *path, tm_train *t, tumen_error *err)
{
    size_t cap = 0;
    if (node->kind == TM_YSCALAR) {
        cap = 1;
        for (const char *p = node->text; *p; p++)
            cap += *p == '+';
    } else if (node->kind == TM_YSEQ) {
        cap = node->n;
    } else {
        return tm_yerror(doc, node, path, err,
                         "must be a text like \"loco + 10 x coach\" or a list of vehicles");
    }
    if (cap == 0)
        return tm_yerror(doc, node, path, err, "the consist is empty");
    t->consist = calloc(cap, sizeof *t->consist);
    if (!t->consist)
        return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), node->line, path,
                            "out of memory");
    if (node->kind == TM_YSCALAR)
        return parse_consist_text(s, doc, node, path, t, err);
    for (size_t i = 0; i < node->n; i++) {
        char item[128];
        tm_ypath_index(item, sizeof item, path, i);
        int rc = read_consist_item(s, doc, node->items[i], item, &t->consist[i], err);
        if (rc != TUMEN_OK)
            return rc;
        t->n_consist++;
    }
    return TUMEN_OK;
}

static int read_train(const tm_scenario *s, const tm_ydoc *doc, const tm_ynode *map,
                      const char *path, tm_train *t, tumen_error *err)
{
    static const char *const keys[] = {"id", "name", "consist", "max_speed",
                                       "brake_deceleration", NULL};
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a train (a mapping with id and consist)", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, map, path, "id", 1, t->id, sizeof t->id, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_name_or(doc, map, path, "name", &t->name, t->id, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "max_speed", TM_DIM_SPEED, TM_YR_POSITIVE, 0,
                              &t->max_speed_given, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "brake_deceleration", TM_DIM_ACCEL,
                              TM_YR_POSITIVE, 0, &t->brake_deceleration_given, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    char sub[128];
    const tm_ynode *consist = tm_ymap_get(map, "consist");
    tm_ypath_key(sub, sizeof sub, path, "consist");
    if (!consist)
        return tm_yerror(doc, map, sub, err, "missing required field 'consist'");
    return read_consist(s, doc, consist, sub, t, err);
}

static int read_trains(tm_scenario *s, const tm_ydoc *doc, const tm_ynode *list,
                       tumen_error *err)
{
    if (!list)
        return TUMEN_OK;
    int rc = tm_yexpect(doc, list, TM_YSEQ, "trains", "a list of trains", err);
    for (size_t i = 0; rc == TUMEN_OK && i < list->n; i++) {
        char path[128];
        tm_train t;
        memset(&t, 0, sizeof t);
        tm_ypath_index(path, sizeof path, "trains", i);
        rc = read_train(s, doc, list->items[i], path, &t, err);
        if (rc == TUMEN_OK)
            rc = tm_scenario_add_train(s, &t, doc, tm_ymap_get(list->items[i], "id"), path, err);
        tm_train_free(&t);
    }
    return rc;
}

/* ---- Lines ------------------------------------------------------------------------ */

static int read_section(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                        const tm_section *prev, tm_section *sec, tumen_error *err)
{
    static const char *const keys[] = {"from",     "to",     "length", "speed_limit",
                                       "gradient", "radius", NULL};
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a section (from, to, speed_limit...)", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yread_extent(doc, map, path, prev ? &prev->end : NULL, &sec->start, &sec->end,
                             err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "speed_limit", TM_DIM_SPEED, TM_YR_POSITIVE, 1,
                              &sec->speed_limit, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yread_grade(doc, map, path, &sec->gradient, &sec->radius, err);
    return rc;
}

static int read_sections(const tm_ydoc *doc, const tm_ynode *list, const char *path,
                         tm_line *l, tumen_error *err)
{
    int rc = tm_yexpect(doc, list, TM_YSEQ, path, "a list of sections", err);
    if (rc != TUMEN_OK)
        return rc;
    if (list->n == 0)
        return tm_yerror(doc, list, path, err, "a line needs at least one section");
    l->sections = calloc(list->n, sizeof *l->sections);
    if (!l->sections)
        return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), list->line, path,
                            "out of memory");
    for (size_t i = 0; i < list->n; i++) {
        char item[128];
        tm_ypath_index(item, sizeof item, path, i);
        rc = read_section(doc, list->items[i], item, i ? &l->sections[i - 1] : NULL,
                          &l->sections[i], err);
        if (rc != TUMEN_OK)
            return rc;
        l->n_sections++;
    }
    return TUMEN_OK;
}

static int read_point(const tm_ydoc *doc, const tm_ynode *map, const char *path, tm_point *p,
                      tumen_error *err)
{
    static const char *const keys[] = {"name", "at", "stop", "dwell", "measure", NULL};
    int has_stop = 0, has_dwell = 0;
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a point (name, at, stop...)", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_name(doc, map, path, "name", 1, &p->name, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "at", TM_DIM_LENGTH, TM_YR_ANY, 1, &p->position,
                              NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_bool(doc, map, path, "stop", 0, &p->stop, &has_stop, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "dwell", TM_DIM_DURATION, TM_YR_NONNEG, 0,
                              &p->dwell, &has_dwell, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_choice(doc, map, path, "measure", measures, 0, &p->rear, err);
    if (rc != TUMEN_OK)
        return rc;
    if (has_dwell && !has_stop)
        p->stop = 1; /* a dwell implies a stop */
    if (has_dwell && !p->stop && p->dwell > 0.0)
        return tm_yerror(doc, tm_ymap_get(map, "dwell"), path, err,
                         "a dwell is given but stop is false");
    return TUMEN_OK;
}

static int read_line(const tm_ydoc *doc, const tm_ynode *map, const char *path, tm_line *l,
                     tumen_error *err)
{
    static const char *const keys[] = {"id",       "name",   "curve_resistance",
                                       "braking_distance", "sections", "points", NULL};
    int curve = TM_CURVE_ROECKL;
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a line (a mapping with id and sections)", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, map, path, "id", 1, l->id, sizeof l->id, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_name_or(doc, map, path, "name", &l->name, l->id, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_choice(doc, map, path, "curve_resistance", tm_curve_law_choices, 0,
                            &curve, err);
    l->curve_law = (tm_curve_law)curve;
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "braking_distance", TM_DIM_LENGTH, TM_YR_POSITIVE,
                              0, &l->braking_distance, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    char sub[128];
    const tm_ynode *sections = tm_ymap_get(map, "sections");
    tm_ypath_key(sub, sizeof sub, path, "sections");
    if (!sections)
        return tm_yerror(doc, map, sub, err, "missing required field 'sections'");
    if ((rc = read_sections(doc, sections, sub, l, err)) != TUMEN_OK)
        return rc;
    const tm_ynode *points = tm_ymap_get(map, "points");
    tm_ypath_key(sub, sizeof sub, path, "points");
    if (points && (rc = tm_yread_points(doc, points, sub, "a list of points", read_point, l, err)) != TUMEN_OK)
        return rc;
    return tm_line_finish_points(l, doc, points ? (const tm_ynode *const *)points->items : NULL,
                                 sub, err);
}

static int read_lines(tm_scenario *s, const tm_ydoc *doc, const tm_ynode *list,
                      tumen_error *err)
{
    if (!list)
        return TUMEN_OK;
    int rc = tm_yexpect(doc, list, TM_YSEQ, "lines", "a list of lines", err);
    for (size_t i = 0; rc == TUMEN_OK && i < list->n; i++) {
        char path[128];
        tm_line l;
        memset(&l, 0, sizeof l);
        tm_ypath_index(path, sizeof path, "lines", i);
        rc = read_line(doc, list->items[i], path, &l, err);
        if (rc == TUMEN_OK)
            rc = tm_scenario_add_line(s, &l, doc, tm_ymap_get(list->items[i], "id"), path, err);
        tm_line_free(&l);
    }
    return rc;
}

/* ---- Journey ---------------------------------------------------------------------- */

/* "HH:MM" or "HH:MM:SS" (00:00 to 23:59:59) into seconds after midnight. */

static int resolve_id(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                      const char *key, size_t (*find)(const tm_scenario *, const char *),
                      const tm_scenario *s, size_t *out, tumen_error *err)
{
    char id[TM_ID_LEN], sub[128];
    int rc = tm_yget_string(doc, map, path, key, 1, id, sizeof id, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    *out = find(s, id);
    if (*out == (size_t)-1)
        return tm_yerror(doc, tm_ymap_get(map, key), tm_ypath_key(sub, sizeof sub, path, key),
                         err, "unknown %s '%s' (it must be defined before the journey)", key, id);
    return TUMEN_OK;
}

static int read_leg(const tm_scenario *s, const tm_ydoc *doc, const tm_ynode *map,
                    const char *path, tm_leg *leg, tumen_error *err)
{
    static const char *const keys[] = {"train",      "line",    "change",  "change_time",
                                       "allowance",  "driving", "allowances", "targets",
                                       NULL};
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a leg (a mapping with train and line)", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = resolve_id(doc, map, path, "train", tm_scenario_find_train, s, &leg->train, err);
    if (rc == TUMEN_OK)
        rc = resolve_id(doc, map, path, "line", tm_scenario_find_line, s, &leg->line, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_name(doc, map, path, "change", 0, &leg->change, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "change_time", TM_DIM_DURATION, TM_YR_NONNEG, 0,
                              &leg->change_time, NULL, err);
    return rc;
}

static int read_journey_header(tm_scenario *s, const tm_ydoc *doc, const tm_ynode *map,
                               tumen_error *err)
{
    static const char *const keys[] = {"name",       "departure", "legs",    "allowance",
                                       "driving",    "allowances", "targets", NULL};
    int rc = tm_yexpect(doc, map, TM_YMAP, "journey", "a mapping (name, departure, legs)", err);
    if (rc == TUMEN_OK && s->has_journey)
        rc = tm_yerror(doc, map, "journey", err,
                       "a scenario has one journey, and an earlier file already gave it");
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, "journey", keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_name(doc, map, "journey", "name", 0, &s->journey.name, NULL, err);
    const tm_ynode *dep = tm_ymap_get(map, "departure");
    if (rc == TUMEN_OK && dep) {
        if (dep->kind != TM_YSCALAR ||
            tm_yparse_clock(dep->text, 23, &s->journey.departure) != 0)
            rc = tm_yerror(doc, dep, "journey.departure", err,
                           "must be a clock time \"HH:MM\" or \"HH:MM:SS\" (got '%s')",
                           dep->text);
    }
    return rc;
}

static int on_line(const tm_line *l, const char *name)
{
    for (size_t i = 0; i < l->n_points; i++)
        if (!strcmp(tm_name_or(l->points[i].name, ""), name))
            return 1;
    return 0;
}

/* The points a spec's targets and ranges name (read from map) are on one of the journey's
 * lines: legs[first, first + n). An unknown point is the file's error, at its line. */
static int check_spec_points(const tm_scenario *s, const tm_ydoc *doc, const tm_ynode *map,
                             const char *path, const tm_allowance_spec *spec, size_t first,
                             size_t n, tumen_error *err)
{
    static const char *const lists[2] = {"targets", "allowances"};
    for (int k = 0; k < 2; k++) {
        const tm_ynode *list = tm_ymap_get(map, lists[k]);
        char list_path[160];
        tm_ypath_key(list_path, sizeof list_path, path, lists[k]);
        size_t count = k ? spec->n_ranges : spec->n_targets;
        for (size_t i = 0; list && i < count && i < list->n; i++) {
            const char *names[2] = {k ? spec->ranges[i].from : spec->targets[i].at,
                                    k ? spec->ranges[i].to : ""};
            const char *keys[2] = {k ? "from" : "at", "to"};
            for (int j = 0; j < 2; j++) {
                int found = tm_name_empty(names[j]);
                for (size_t g = first; !found && g < first + n; g++)
                    found = on_line(&s->lines[s->journey.legs[g].line], names[j]);
                if (found)
                    continue;
                char item[176], field[192];
                tm_ypath_index(item, sizeof item, list_path, i);
                const tm_ynode *at = tm_ymap_get(list->items[i], keys[j]);
                return tm_yerror(doc, at ? at : list->items[i],
                                 tm_ypath_key(field, sizeof field, item, keys[j]), err,
                                 "no timing point '%s' on the line%s of %s", names[j],
                                 n > 1 ? "s" : "", n > 1 ? "the journey" : "this leg");
            }
        }
    }
    return TUMEN_OK;
}

static int read_journey(tm_scenario *s, const tm_ydoc *doc, const tm_ynode *map,
                        tumen_error *err)
{
    if (!map)
        return TUMEN_OK;
    int rc = read_journey_header(s, doc, map, err);
    if (rc != TUMEN_OK)
        return rc;
    const tm_ynode *legs;
    rc = tm_yget_node(doc, map, "journey", "legs", 1, &legs, err);
    if (rc == TUMEN_OK)
        rc = tm_yexpect(doc, legs, TM_YSEQ, "journey.legs", "a list of legs", err);
    if (rc == TUMEN_OK && legs->n == 0)
        rc = tm_yerror(doc, legs, "journey.legs", err, "a journey needs at least one leg");
    if (rc != TUMEN_OK)
        return rc;
    s->journey.legs = calloc(legs->n, sizeof *s->journey.legs);
    s->journey.leg_allowances = calloc(legs->n, sizeof *s->journey.leg_allowances);
    if (!s->journey.legs || !s->journey.leg_allowances)
        return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), legs->line, "journey.legs",
                            "out of memory");
    for (size_t i = 0; i < legs->n; i++) {
        char path[128];
        tm_ypath_index(path, sizeof path, "journey.legs", i);
        /* Counted before it is read (its slot is zeroed): a leg that fails half-way still
         * has its change's name and its spec's names freed with the journey. */
        s->journey.n_legs = i + 1;
        rc = read_leg(s, doc, legs->items[i], path, &s->journey.legs[i], err);
        if (rc == TUMEN_OK)
            rc = tm_read_allowance_spec(s->journey.departure, doc, legs->items[i], path,
                                     &s->journey.leg_allowances[i], err);
        if (rc == TUMEN_OK)
            rc = check_spec_points(s, doc, legs->items[i], path,
                                   &s->journey.leg_allowances[i], i, 1, err);
        if (rc != TUMEN_OK)
            return rc;
    }
    s->has_journey = 1;
    s->journey.allowance.shared = 1;
    rc = tm_read_allowance_spec(s->journey.departure, doc, map, "journey",
                                &s->journey.allowance, err);
    if (rc == TUMEN_OK)
        rc = check_spec_points(s, doc, map, "journey", &s->journey.allowance, 0,
                               s->journey.n_legs, err);
    return rc;
}


/* ---- The document ----------------------------------------------------------------- */

int tm_native_read(tm_load *ld, const tm_ydoc *doc, tumen_error *err)
{
    tm_scenario *s = ld->model;
    static const char *const keys[] = {"vehicles", "trains",  "lines",     "journey",
                                       "network",  "timetable", "special", "delays",
                                       NULL};
    const tm_ynode *root = tm_ydoc_root(doc);
    int rc = tm_ycheck_keys(doc, root, "", keys, err);
    if (rc != TUMEN_OK)
        return rc;
    if (root->n == 0)
        return tm_yerror(doc, root, NULL, err,
                         "the file holds no vehicles, trains, lines, journey, network, "
                         "timetable, special or delays");
    rc = read_vehicles(s, doc, tm_ymap_get(root, "vehicles"), err);
    if (rc == TUMEN_OK)
        rc = read_trains(s, doc, tm_ymap_get(root, "trains"), err);
    if (rc == TUMEN_OK)
        rc = read_lines(s, doc, tm_ymap_get(root, "lines"), err);
    if (rc == TUMEN_OK)
        rc = read_journey(s, doc, tm_ymap_get(root, "journey"), err);
    if (rc == TUMEN_OK && tm_ymap_get(root, "network"))
        rc = tm_network_read(s, doc, tm_ymap_get(root, "network"), err);
    if (rc == TUMEN_OK && tm_ymap_get(root, "timetable"))
        rc = tm_timetable_read(ld, doc, tm_ymap_get(root, "timetable"), err);
    if (rc == TUMEN_OK && tm_ymap_get(root, "special"))
        rc = tm_special_read(ld, doc, tm_ymap_get(root, "special"), err);
    if (rc == TUMEN_OK && tm_ymap_get(root, "delays"))
        rc = tm_delays_read(s, doc, tm_ymap_get(root, "delays"), err);
    return rc;
}
