/* railtoolkit.c: the railtoolkit YAML files TrainRuns.jl reads (railtoolkit/schema 2022.05):
 * rolling stock (trains and vehicles) and running paths, with TrainRuns.jl's semantics
 * (src/constructors.jl, Train() and Path(); src/formulary.jl; docs/formats.md).
 *
 * Rolling stock. TrainRuns.jl builds one train from the first entry of `trains`:
 *  - masses are full (mass + load_limit); the rotating-mass factor is the mean of the
 *    vehicles' rotation_mass weighted by empty mass, applied to the full mass. Each vehicle
 *    here keeps mass = empty, load = load_limit and its own factor, so tm_train_derive gives
 *    exactly that;
 *  - the locomotive is the first traction or multiple unit of the file's vehicle list that
 *    the formation uses; its resistance (Wende, formulary.jl calcTractionUnitResistance) is
 *      F = g (f_Rtd0 m_td + f_Rtc0 m_tc) + f_Rt2 m_loco g ((v + dv_air) / v00)^2
 *    on its empty mass m_loco, m_td = mass_traction, m_tc = m_loco - m_td;
 *  - the cars' resistance uses the unweighted mean of their coefficients (one entry per car
 *    of the formation, a missing coefficient counting 0) on the cars' full mass m_w:
 *      freight:   F = m_w g (f0 + f2 (v / v00)^2)
 *      passenger: F = m_w g (f0 + f1 v / v00 + f2 ((v + dv_air) / v00)^2)
 *    passenger when any vehicle of the formation is "passenger" or "multiple unit". The sum
 *    over cars of the mean coefficient times each car's full weight is that force, so each car
 *    gets the mean coefficients, in Sauthoff's form (passenger) or Strahl's against 100 km/h
 *    (freight), and physics applies them to its mass (physics/resistance.c);
 *  - further traction units (a second type, or the locomotive again) add mass and length but
 *    neither traction nor resistance (TrainRuns.jl: "Using only the first/one"); they point at
 *    an idle copy "<id>/idle" of the vehicle;
 *  - braking: -a_braking of the locomotive, else 0.375 m/s^2 (passenger) or 0.225 m/s^2;
 *  - speed limit: the lowest speed_limit, 140 m/s when none is given.
 * Vehicles the first train does not use are read as trains of their own would use them.
 *
 * Running paths: the first path; rows [s m, v km/h, resistance permille] (or 2024.07's
 * {position, speed, resistance} where a missing value carries over from the row before)
 * each hold until the next row; the path resistance becomes the gradient, curves off.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "core/id.h"
#include "core/error.h"
#include "formats/readers.h"

#define RT_ROLLING_STOCK "https://railtoolkit.org/schema/rolling-stock.json"
#define RT_RUNNING_PATH "https://railtoolkit.org/schema/running-path.json"
#define RT_V00 (100.0 * TM_KMH)        /* m/s, reference speed of formulary.jl (v00) */
#define RT_DV_AIR (15.0 * TM_KMH)      /* m/s, head-wind allowance (Δv_air) */
#define RT_PERMILLE 1e-3
#define RT_DEFAULT_VMAX 140.0       /* m/s, TrainRuns.jl's v_limit when no vehicle has one */
#define RT_BRAKE_PASSENGER 0.375    /* m/s^2, TrainRuns.jl default (Brünger & Dahlhaus) */
#define RT_BRAKE_FREIGHT 0.225      /* m/s^2 */

typedef enum rt_type { RT_FREIGHT, RT_PASSENGER, RT_TRACTION_UNIT, RT_MULTIPLE_UNIT } rt_type;

/* A vehicle as the file gives it (SI; coefficients in N/N, 0 when absent). */
typedef struct rt_vehicle {
    const tm_ynode *node;
    char id[TM_ID_LEN];
    char *name;
    int type, power;
    double mass, load, length, speed_limit, xi;
    double f_base, f_roll, f_air;
    double mass_traction;       /* kg; = mass when not given */
    double a_braking;           /* m/s^2, < 0; 0 when not given */
    tm_force_point *effort;
    size_t n_effort;
    size_t used;                /* how often the first train's formation names it */
    size_t index;               /* its index in the scenario once added */
} rt_vehicle;

typedef struct rt_file {
    rt_vehicle *vehicles;
    size_t n_vehicles;
} rt_file;

static int no_memory(const tm_ydoc *doc, tumen_error *err)
{
    return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), 0, NULL, "out of memory");
}

static void rt_file_free(rt_file *f)
{
    for (size_t i = 0; i < f->n_vehicles; i++) {
        free(f->vehicles[i].effort);
        free(f->vehicles[i].name);
    }
    free(f->vehicles);
}

static int is_powered(int type)
{
    return type == RT_TRACTION_UNIT || type == RT_MULTIPLE_UNIT;
}

/* ---- Reading vehicles ------------------------------------------------------------- */

static int read_type(const tm_ydoc *doc, const tm_ynode *map, const char *path, rt_vehicle *r,
                     tumen_error *err)
{
    static const char *const types[] = {"freight", "passenger", "traction unit",
                                        "multiple unit", NULL};
    static const char *const powers[] = {"diesel", "electric", "steam", NULL};
    static const int power_values[] = {TM_POWER_DIESEL, TM_POWER_ELECTRIC, TM_POWER_STEAM};
    char text[32], sub[128];
    int found = 0;
    int rc = tm_yget_string(doc, map, path, "vehicle_type", 1, text, sizeof text, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    for (r->type = 0; types[r->type] && strcmp(types[r->type], text) != 0; r->type++)
        ;
    if (!types[r->type])
        return tm_yerror(doc, tm_ymap_get(map, "vehicle_type"),
                         tm_ypath_key(sub, sizeof sub, path, "vehicle_type"), err,
                         "unknown vehicle_type '%s' (expected freight, passenger, traction "
                         "unit or multiple unit)", text);
    r->power = TM_POWER_NONE;
    rc = tm_yget_string(doc, map, path, "power_type", 0, text, sizeof text, &found, err);
    if (rc != TUMEN_OK || !found)
        return rc;
    for (size_t i = 0; powers[i]; i++)
        if (strcmp(powers[i], text) == 0)
            r->power = power_values[i];
    if (r->power == TM_POWER_NONE)
        return tm_yerror(doc, tm_ymap_get(map, "power_type"),
                         tm_ypath_key(sub, sizeof sub, path, "power_type"), err,
                         "unknown power_type '%s' (expected diesel, electric or steam)", text);
    return TUMEN_OK;
}

/* The numbers of a vehicle: schema 2022.05 ranges, converted to SI. */
static int read_numbers(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                        rt_vehicle *r, tumen_error *err)
{
    static const tm_yrange xi_range = {1.0, 3.0, 0}, braking = {-1e15, 0.0, 0};
    int has_mt = 0;
    int rc = tm_yget_number(doc, map, path, "length", TM_YR_POSITIVE, 1, &r->length, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_number(doc, map, path, "mass", TM_YR_POSITIVE, 1, &r->mass, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_number(doc, map, path, "load_limit", TM_YR_POSITIVE, 0, &r->load, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_number(doc, map, path, "mass_traction", TM_YR_POSITIVE, 0,
                            &r->mass_traction, &has_mt, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_number(doc, map, path, "speed_limit", TM_YR_POSITIVE, 0, &r->speed_limit,
                            NULL, err);
    r->xi = 0.0; /* not given: physics takes the kind's, 1.09 or 1.06 as TrainRuns.jl */
    if (rc == TUMEN_OK)
        rc = tm_yget_number(doc, map, path, "rotation_mass", xi_range, 0, &r->xi, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_number(doc, map, path, "base_resistance", TM_YR_POSITIVE, 0, &r->f_base,
                            NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_number(doc, map, path, "rolling_resistance", TM_YR_POSITIVE, 0, &r->f_roll,
                            NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_number(doc, map, path, "air_resistance", TM_YR_POSITIVE, 0, &r->f_air,
                            NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_number(doc, map, path, "a_braking", braking, 0, &r->a_braking, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    if (has_mt && r->mass_traction > r->mass) {
        char sub[128];
        return tm_yerror(doc, tm_ymap_get(map, "mass_traction"),
                         tm_ypath_key(sub, sizeof sub, path, "mass_traction"), err,
                         "is more than the vehicle's mass (%g t)", r->mass);
    }
    if (!has_mt)
        r->mass_traction = r->mass; /* every axle driven */
    r->mass *= 1000.0;          /* t -> kg */
    r->load *= 1000.0;
    r->mass_traction *= 1000.0;
    r->speed_limit *= TM_KMH;      /* km/h -> m/s */
    r->f_base *= RT_PERMILLE;   /* permille -> N/N */
    r->f_roll *= RT_PERMILLE;
    r->f_air *= RT_PERMILLE;
    return TUMEN_OK;
}

static int read_vehicle(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                        rt_vehicle *r, tumen_error *err)
{
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a vehicle (a mapping)", err);
    r->node = map;
    if (rc == TUMEN_OK)
        rc = tm_yget_name(doc, map, path, "name", 1, &r->name, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, map, path, "id", 1, r->id, sizeof r->id, NULL, err);
    if (rc == TUMEN_OK)
        rc = read_type(doc, map, path, r, err);
    if (rc == TUMEN_OK)
        rc = read_numbers(doc, map, path, r, err);
    if (rc != TUMEN_OK)
        return rc;
    char sub[128];
    const tm_ynode *effort = tm_ymap_get(map, "tractive_effort");
    tm_ypath_key(sub, sizeof sub, path, "tractive_effort");
    if (effort)
        return tm_yread_force_table(doc, effort, sub, 1, 3, &r->effort, &r->n_effort, err);
    if (is_powered(r->type))
        return tm_yerror(doc, map, sub, err,
                         "a %s needs tractive_effort (tumen does not guess it from adhesion)",
                         r->type == RT_TRACTION_UNIT ? "traction unit" : "multiple unit");
    return TUMEN_OK;
}

static int read_vehicles(const tm_ydoc *doc, const tm_ynode *list, rt_file *f,
                         tumen_error *err)
{
    int rc = tm_yexpect(doc, list, TM_YSEQ, "vehicles", "a list of vehicles", err);
    if (rc == TUMEN_OK && list->n == 0)
        rc = tm_yerror(doc, list, "vehicles", err, "the list of vehicles is empty");
    if (rc != TUMEN_OK)
        return rc;
    f->vehicles = calloc(list->n, sizeof *f->vehicles);
    if (!f->vehicles)
        return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), list->line, "vehicles",
                            "out of memory");
    for (size_t i = 0; i < list->n; i++) {
        char path[128];
        tm_ypath_index(path, sizeof path, "vehicles", i);
        rc = read_vehicle(doc, list->items[i], path, &f->vehicles[i], err);
        f->n_vehicles = i + 1; /* owns its effort table even on error */
        for (size_t j = 0; rc == TUMEN_OK && j < i; j++)
            if (strcmp(f->vehicles[j].id, f->vehicles[i].id) == 0)
                rc = tm_yerror(doc, tm_ymap_get(list->items[i], "id"), path, err,
                               "duplicate vehicle id '%s'", f->vehicles[i].id);
        if (rc != TUMEN_OK)
            return rc;
    }
    return TUMEN_OK;
}

/* ---- Trains ----------------------------------------------------------------------- */

/* Checks one train entry: name, id and a non-empty formation of vehicle ids. */
static int check_train(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                       tm_train *t, const tm_ynode **formation, tumen_error *err)
{
    char sub[128];
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a train (a mapping)", err);
    if (rc == TUMEN_OK)
        rc = tm_yget_name(doc, map, path, "name", 1, &t->name, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, map, path, "id", 1, t->id, sizeof t->id, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    *formation = tm_ymap_get(map, "formation");
    tm_ypath_key(sub, sizeof sub, path, "formation");
    if (!*formation)
        return tm_yerror(doc, map, sub, err, "missing required field 'formation'");
    rc = tm_yexpect(doc, *formation, TM_YSEQ, sub, "a list of vehicle ids", err);
    if (rc == TUMEN_OK && (*formation)->n == 0)
        rc = tm_yerror(doc, *formation, sub, err, "the formation is empty");
    for (size_t i = 0; rc == TUMEN_OK && i < (*formation)->n; i++) {
        char item[128], id[TM_ID_LEN];
        rc = tm_yread_string(doc, (*formation)->items[i],
                             tm_ypath_index(item, sizeof item, sub, i), id, sizeof id, err);
    }
    return rc;
}

/* Index of the vehicle with this id in the file, or (size_t)-1. */
static size_t find_rt(const rt_file *f, const char *id)
{
    for (size_t i = 0; i < f->n_vehicles; i++)
        if (strcmp(f->vehicles[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

/* Counts each vehicle's uses in the formation; all must be in the file. */
static int count_uses(const tm_ydoc *doc, const tm_ynode *formation, const char *path,
                      rt_file *f, tumen_error *err)
{
    for (size_t i = 0; i < formation->n; i++) {
        const tm_ynode *item = formation->items[i];
        size_t k = find_rt(f, item->text);
        if (k == (size_t)-1) {
            char sub[128];
            return tm_yerror(doc, item, tm_ypath_index(sub, sizeof sub, path, i), err,
                             "'%s' is not a vehicle of this file (TrainRuns.jl reads a "
                             "train's vehicles from its own file)", item->text);
        }
        f->vehicles[k].used++;
    }
    return TUMEN_OK;
}

/* ---- Resistance laws, as the file gives them -------------------------------------- */

/* Wende's traction-unit formula on the empty mass (see the file comment): the masses on
 * driving and carrying axles are the file's mass_traction and the rest of its mass. */
static void loco_resistance(const rt_vehicle *r, tm_resistance *out)
{
    out->law = TM_RESIST_WENDE_LOCO;
    out->k0 = r->f_base;
    out->k0_carrying = r->f_roll;
    out->k2 = r->f_air;
    out->v_ref = RT_V00;
    out->dv = RT_DV_AIR;
    out->driving_mass = r->mass_traction;
    out->carrying_mass = r->mass - r->mass_traction;
}

/* A car's share of the cars' formula: mean coefficients f0, f1, f2 (N/N) on its full mass,
 * in Sauthoff's form (passenger) or Strahl's against 100 km/h without head wind (freight). */
static void car_resistance(double f0, double f1, double f2, int passenger, tm_resistance *out)
{
    out->law = passenger ? TM_RESIST_SAUTHOFF : TM_RESIST_STRAHL;
    out->k0 = f0;
    out->k1 = passenger ? f1 : 0.0;
    out->k2 = f2;
    out->v_ref = RT_V00;
    out->dv = passenger ? RT_DV_AIR : 0.0;
}

/* The tm_vehicle of r named name, without resistance (set by the caller). Moves r's effort
 * table to it when with_traction. Returns 0, or -1 when memory runs out. */
static int make_vehicle(rt_vehicle *r, int with_traction, const char *name, tm_vehicle *v)
{
    static const tm_vehicle_kind kinds[] = {TM_VEHICLE_WAGON, TM_VEHICLE_COACH,
                                            TM_VEHICLE_LOCOMOTIVE, TM_VEHICLE_MULTIPLE_UNIT};
    memset(v, 0, sizeof *v);
    snprintf(v->id, sizeof v->id, "%s", r->id);
    if (tm_name_set(&v->name, name))
        return -1;
    v->kind = kinds[r->type];
    v->power = (tm_power_type)r->power;
    v->mass = r->mass;
    v->load = r->load;
    v->length = r->length;
    v->max_speed = r->speed_limit;
    v->rotating_mass_factor = r->xi;
    v->brake_deceleration = -r->a_braking;
    if (with_traction && r->n_effort) {
        v->has_traction = 1;
        v->effort = r->effort;
        v->n_effort = r->n_effort;
        r->effort = NULL;
        r->n_effort = 0;
    }
    return 0;
}

/* ---- Building the train ----------------------------------------------------------- */

typedef struct rt_train_info {
    size_t loco;          /* index in the file, (size_t)-1 without a train */
    int passenger;
    double f0, f1, f2;    /* the cars' mean coefficients, N/N */
} rt_train_info;

static void summarise(const rt_file *f, rt_train_info *info)
{
    size_t cars = 0;
    for (size_t i = 0; i < f->n_vehicles; i++) {
        const rt_vehicle *r = &f->vehicles[i];
        if (!r->used)
            continue;
        if (r->type == RT_PASSENGER || r->type == RT_MULTIPLE_UNIT)
            info->passenger = 1;
        if (is_powered(r->type)) {
            if (info->loco == (size_t)-1)
                info->loco = i;
            continue;
        }
        cars += r->used;
        info->f0 += (double)r->used * r->f_base;
        info->f1 += (double)r->used * r->f_roll;
        info->f2 += (double)r->used * r->f_air;
    }
    if (cars) {
        info->f0 /= (double)cars;
        info->f1 /= (double)cars;
        info->f2 /= (double)cars;
    }
}

/* Adds every vehicle of the file, each with the resistance its role in the first train (or
 * on its own) gives it. */
static int add_vehicles(tm_scenario *s, const tm_ydoc *doc, rt_file *f,
                        const rt_train_info *info, tumen_error *err)
{
    for (size_t i = 0; i < f->n_vehicles; i++) {
        rt_vehicle *r = &f->vehicles[i];
        tm_vehicle v;
        char path[128];
        if (make_vehicle(r, is_powered(r->type), r->name, &v))
            return no_memory(doc, err);
        if (is_powered(r->type))
            loco_resistance(r, &v.resistance);
        else if (r->used)
            car_resistance(info->f0, info->f1, info->f2, info->passenger, &v.resistance);
        else
            car_resistance(r->f_base, r->f_roll, r->f_air, r->type == RT_PASSENGER,
                           &v.resistance);
        int rc = tm_scenario_add_vehicle(s, &v, doc, tm_ymap_get(r->node, "id"),
                                         tm_ypath_index(path, sizeof path, "vehicles", i),
                                         &r->index, err);
        tm_vehicle_free(&v);
        if (rc != TUMEN_OK)
            return rc;
    }
    return TUMEN_OK;
}

/* The idle copy of a traction vehicle the train carries without using it; its index. */
static int idle_copy(tm_scenario *s, const tm_ydoc *doc, rt_vehicle *r, size_t *index,
                     tumen_error *err)
{
    char id[TM_ID_LEN + 8];
    snprintf(id, sizeof id, "%s/idle", r->id);
    *index = tm_scenario_find_vehicle(s, id);
    if (*index != (size_t)-1)
        return TUMEN_OK;
    tm_vehicle v;
    size_t len = strlen(id);
    if (len >= sizeof v.id) /* an id of 58 to 63 bytes leaves no room for "/idle" */
        return tm_id_check(id, tm_ydoc_file(doc), r->node->line, "vehicles", err);
    char *name = NULL;
    if (tm_name_format(&name, "%s (idle)", r->name) || make_vehicle(r, 0, name, &v)) {
        free(name);
        return no_memory(doc, err);
    }
    free(name);
    memcpy(v.id, id, len + 1);
    v.resistance.law = TM_RESIST_NONE;
    return tm_scenario_add_vehicle(s, &v, doc, r->node, "vehicles", index, err);
}

/* The consist in formation order, runs of one vehicle merged. */
static int build_consist(tm_scenario *s, const tm_ydoc *doc, const tm_ynode *formation,
                         rt_file *f, size_t loco, tm_train *t, tumen_error *err)
{
    t->consist = calloc(formation->n, sizeof *t->consist);
    if (!t->consist)
        return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), formation->line, NULL,
                            "out of memory");
    int loco_seen = 0;
    for (size_t i = 0; i < formation->n; i++) {
        size_t k = find_rt(f, formation->items[i]->text), index = f->vehicles[k].index;
        if (is_powered(f->vehicles[k].type) && (k != loco || loco_seen)) {
            int rc = idle_copy(s, doc, &f->vehicles[k], &index, err);
            if (rc != TUMEN_OK)
                return rc;
        }
        loco_seen |= k == loco;
        if (t->n_consist && t->consist[t->n_consist - 1].vehicle == index)
            t->consist[t->n_consist - 1].count++;
        else
            t->consist[t->n_consist++] = (tm_consist_entry){index, 1};
    }
    return TUMEN_OK;
}

/* Checks every train, keeps the first one's header in *t and its formation, counts the
 * formation's vehicles and finds its locomotive. */
static int read_trains(const tm_ydoc *doc, const tm_ynode *trains, rt_file *f, tm_train *t,
                       const tm_ynode **formation, rt_train_info *info, tumen_error *err)
{
    int rc = tm_yexpect(doc, trains, TM_YSEQ, "trains", "a list of trains", err);
    if (rc == TUMEN_OK && trains->n == 0)
        rc = tm_yerror(doc, trains, "trains", err, "the list of trains is empty");
    for (size_t i = 0; rc == TUMEN_OK && i < trains->n; i++) {
        char path[128];
        tm_train other = {0}; /* only checked: its name is owned here and freed at once */
        const tm_ynode *other_formation;
        tm_ypath_index(path, sizeof path, "trains", i);
        rc = check_train(doc, trains->items[i], path, i ? &other : t,
                         i ? &other_formation : formation, err);
        free(other.name);
    }
    if (rc == TUMEN_OK)
        rc = count_uses(doc, *formation, "trains[0].formation", f, err);
    if (rc != TUMEN_OK)
        return rc;
    summarise(f, info);
    if (info->loco == (size_t)-1)
        return tm_yerror(doc, *formation, "trains[0].formation", err,
                         "train '%s' has no traction unit or multiple unit", t->id);
    return TUMEN_OK;
}

static int read_rolling_stock(tm_scenario *s, const tm_ydoc *doc, tumen_error *err)
{
    static const char *const keys[] = {"schema", "schema_version", "trains", "vehicles", NULL};
    const tm_ynode *root = tm_ydoc_root(doc), *formation = NULL;
    const tm_ynode *trains = tm_ymap_get(root, "trains"), *vehicles = tm_ymap_get(root, "vehicles");
    rt_file f = {NULL, 0};
    rt_train_info info = {(size_t)-1, 0, 0.0, 0.0, 0.0};
    tm_train t;
    memset(&t, 0, sizeof t);
    int rc = tm_ycheck_keys(doc, root, "", keys, err);
    if (rc == TUMEN_OK && !trains && !vehicles)
        rc = tm_yerror(doc, root, NULL, err, "a rolling-stock file needs trains or vehicles");
    if (rc == TUMEN_OK && vehicles)
        rc = read_vehicles(doc, vehicles, &f, err);
    if (rc == TUMEN_OK && trains)
        rc = read_trains(doc, trains, &f, &t, &formation, &info, err);
    if (rc == TUMEN_OK)
        rc = add_vehicles(s, doc, &f, &info, err);
    if (rc == TUMEN_OK && formation) {
        const rt_vehicle *loco = &f.vehicles[info.loco];
        t.max_speed_given = RT_DEFAULT_VMAX;
        t.brake_deceleration_given = loco->a_braking < 0.0 ? -loco->a_braking
                                     : info.passenger     ? RT_BRAKE_PASSENGER
                                                          : RT_BRAKE_FREIGHT;
        rc = build_consist(s, doc, formation, &f, info.loco, &t, err);
        if (rc == TUMEN_OK)
            rc = tm_scenario_add_train(s, &t, doc, tm_ymap_get(trains->items[0], "id"),
                                       "trains[0]", err);
    }
    tm_train_free(&t);
    rt_file_free(&f);
    return rc;
}

/* ---- Running paths ---------------------------------------------------------------- */

typedef struct rt_row {
    double s, v, f;  /* m, m/s, N/N */
    int has_v, has_f;
    const tm_ynode *node;
} rt_row;

/* A row [s, v, f] (2022.05) or {position, speed, resistance} (2024.07). */
static int read_row(const tm_ydoc *doc, const tm_ynode *node, const char *path, rt_row *row,
                    tumen_error *err)
{
    char sub[128];
    int rc;
    row->node = node;
    if (node->kind == TM_YSEQ) {
        if (node->n != 3)
            return tm_yerror(doc, node, path, err,
                             "must be [position m, speed limit km/h, resistance permille]");
        row->has_v = row->has_f = 1;
        rc = tm_yread_number(doc, node->items[0], tm_ypath_index(sub, sizeof sub, path, 0),
                             TM_YR_ANY, &row->s, err);
        if (rc == TUMEN_OK)
            rc = tm_yread_number(doc, node->items[1], tm_ypath_index(sub, sizeof sub, path, 1),
                                 TM_YR_POSITIVE, &row->v, err);
        if (rc == TUMEN_OK)
            rc = tm_yread_number(doc, node->items[2], tm_ypath_index(sub, sizeof sub, path, 2),
                                 TM_YR_ANY, &row->f, err);
    } else {
        rc = tm_yexpect(doc, node, TM_YMAP, path, "a row [position, speed, resistance]", err);
        if (rc == TUMEN_OK)
            rc = tm_yget_number(doc, node, path, "position", TM_YR_ANY, 1, &row->s, NULL, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_number(doc, node, path, "speed", TM_YR_POSITIVE, 0, &row->v,
                                &row->has_v, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_number(doc, node, path, "resistance", TM_YR_ANY, 0, &row->f,
                                &row->has_f, err);
        if (rc == TUMEN_OK && !row->has_v && !row->has_f)
            rc = tm_yerror(doc, node, path, err, "a row needs a speed or a resistance");
    }
    row->v *= TM_KMH;
    row->f *= RT_PERMILLE;
    return rc;
}

/* Rows ascend by position: a section starting at or before the one before it is refused
 * (TrainRuns.jl sorts such rows silently, which hides a typing error in a path). */
static int check_rows(const tm_ydoc *doc, const rt_row *rows, size_t n, const char *path,
                      tumen_error *err)
{
    for (size_t i = 1; i < n; i++)
        if (rows[i].s == rows[i - 1].s)
            return tm_yerror(doc, rows[i].node, path, err,
                             "two characteristic sections start at %g m", rows[i].s);
        else if (!(rows[i].s > rows[i - 1].s))
            return tm_yerror(doc, rows[i].node, path, err,
                             "a characteristic section starts at %g m, not after the one "
                             "before it (%g m): positions must ascend",
                             rows[i].s, rows[i - 1].s);
    if (!rows[0].has_v || !rows[0].has_f)
        return tm_yerror(doc, rows[0].node, path, err,
                         "the first row needs both a speed and a resistance");
    return TUMEN_OK;
}

static int read_sections(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                         tm_line *l, tumen_error *err)
{
    char sub[128];
    const tm_ynode *list;
    tm_ypath_key(sub, sizeof sub, path, "characteristic_sections");
    int rc = tm_yget_node(doc, map, path, "characteristic_sections", 1, &list, err);
    if (rc == TUMEN_OK)
        rc = tm_yexpect(doc, list, TM_YSEQ, sub, "a list of rows", err);
    if (rc == TUMEN_OK && list->n < 2)
        rc = tm_yerror(doc, list, sub, err, "needs at least two rows (a start and an end)");
    if (rc != TUMEN_OK)
        return rc;
    rt_row *rows = calloc(list->n, sizeof *rows);
    l->sections = calloc(list->n - 1, sizeof *l->sections);
    if (!rows || !l->sections) {
        free(rows);
        return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), list->line, sub,
                            "out of memory");
    }
    for (size_t i = 0; rc == TUMEN_OK && i < list->n; i++) {
        char item[128];
        rc = read_row(doc, list->items[i], tm_ypath_index(item, sizeof item, sub, i), &rows[i],
                      err);
    }
    if (rc == TUMEN_OK)
        rc = check_rows(doc, rows, list->n, sub, err);
    for (size_t i = 0; rc == TUMEN_OK && i + 1 < list->n; i++) {
        if (i > 0) { /* a value a row leaves out carries over from the row before */
            if (!rows[i].has_v)
                rows[i].v = rows[i - 1].v;
            if (!rows[i].has_f)
                rows[i].f = rows[i - 1].f;
        }
        l->sections[i] = (tm_section){rows[i].s, rows[i + 1].s, rows[i].v, rows[i].f, 0.0, 0};
        l->n_sections++;
    }
    free(rows);
    return rc;
}

/* A point of interest [s, name, front|rear] or {position, label, measure}. */
static int read_poi(const tm_ydoc *doc, const tm_ynode *node, const char *path, tm_point *p,
                    tumen_error *err)
{
    char sub[128], measure[16];
    int rc;
    if (node->kind == TM_YSEQ) {
        if (node->n != 3)
            return tm_yerror(doc, node, path, err, "must be [position m, name, front or rear]");
        rc = tm_yread_number(doc, node->items[0], tm_ypath_index(sub, sizeof sub, path, 0),
                             TM_YR_ANY, &p->position, err);
        if (rc == TUMEN_OK)
            rc = tm_yread_name(doc, node->items[1], tm_ypath_index(sub, sizeof sub, path, 1),
                               &p->name, err);
        if (rc == TUMEN_OK)
            rc = tm_yread_string(doc, node->items[2], tm_ypath_index(sub, sizeof sub, path, 2),
                                 measure, sizeof measure, err);
    } else {
        rc = tm_yexpect(doc, node, TM_YMAP, path, "a point [position, name, front or rear]",
                        err);
        if (rc == TUMEN_OK)
            rc = tm_yget_number(doc, node, path, "position", TM_YR_ANY, 1, &p->position, NULL,
                                err);
        if (rc == TUMEN_OK)
            rc = tm_yget_name(doc, node, path, "label", 1, &p->name, NULL, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_string(doc, node, path, "measure", 1, measure, sizeof measure, NULL,
                                err);
    }
    if (rc != TUMEN_OK)
        return rc;
    if (strcmp(measure, "front") != 0 && strcmp(measure, "rear") != 0)
        return tm_yerror(doc, node, path, err,
                         "measure '%s' is not supported (tumen measures at the front or the "
                         "rear of the train)", measure);
    p->rear = strcmp(measure, "rear") == 0;
    return TUMEN_OK;
}

static int read_path(const tm_ydoc *doc, const tm_ynode *map, const char *path, tm_line *l,
                     tumen_error *err)
{
    int found = 0;
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a path (a mapping)", err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, map, path, "id", 1, l->id, sizeof l->id, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_name(doc, map, path, "name", 0, &l->name, &found, err);
    if (rc == TUMEN_OK && !found)
        rc = tm_yget_name_or(doc, map, path, "description", &l->name, l->id, err);
    l->curve_law = TM_CURVE_NONE;
    if (rc == TUMEN_OK)
        rc = read_sections(doc, map, path, l, err);
    char sub[128];
    const tm_ynode *pois = tm_ymap_get(map, "points_of_interest");
    tm_ypath_key(sub, sizeof sub, path, "points_of_interest");
    if (rc == TUMEN_OK && pois)
        rc = tm_yread_points(doc, pois, sub, "a list of points of interest", read_poi, l,
                             err);
    if (rc == TUMEN_OK)
        rc = tm_line_finish_points(l, doc, pois ? (const tm_ynode *const *)pois->items : NULL,
                                   sub, err);
    return rc;
}

static int read_running_path(tm_scenario *s, const tm_ydoc *doc, tumen_error *err)
{
    static const char *const keys[] = {"schema", "schema_version", "paths", NULL};
    const tm_ynode *root = tm_ydoc_root(doc), *paths = NULL;
    int rc = tm_ycheck_keys(doc, root, "", keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_node(doc, root, "", "paths", 1, &paths, err);
    if (rc == TUMEN_OK)
        rc = tm_yexpect(doc, paths, TM_YSEQ, "paths", "a list of running paths", err);
    if (rc == TUMEN_OK && paths->n == 0)
        rc = tm_yerror(doc, paths, "paths", err, "the list of paths is empty");
    tm_line first;
    memset(&first, 0, sizeof first);
    for (size_t i = 0; rc == TUMEN_OK && i < paths->n; i++) {
        char path[128];
        tm_line l;
        memset(&l, 0, sizeof l);
        tm_ypath_index(path, sizeof path, "paths", i);
        rc = read_path(doc, paths->items[i], path, &l, err);
        if (rc == TUMEN_OK && i > 0 && strcmp(l.id, first.id) == 0)
            rc = tm_yerror(doc, tm_ymap_get(paths->items[i], "id"), path, err,
                           "duplicate path id '%s'", l.id);
        if (i == 0)
            first = l; /* the first path is the one used, the others are only checked */
        else
            tm_line_free(&l);
    }
    if (rc == TUMEN_OK)
        rc = tm_scenario_add_line(s, &first, doc, tm_ymap_get(paths->items[0], "id"), "paths[0]",
                                  err);
    tm_line_free(&first);
    return rc;
}

/* ---- The document ----------------------------------------------------------------- */

int tm_railtoolkit_read(tm_scenario *s, const tm_ydoc *doc, tumen_error *err)
{
    const tm_ynode *root = tm_ydoc_root(doc);
    char schema[128], version[32];
    int rc = tm_yget_string(doc, root, "", "schema", 1, schema, sizeof schema, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, root, "", "schema_version", 1, version, sizeof version, NULL,
                            err);
    if (rc != TUMEN_OK)
        return rc;
    if (strcmp(version, "2022.05") != 0 && strcmp(version, "2024.07") != 0)
        return tm_yerror(doc, tm_ymap_get(root, "schema_version"), "schema_version", err,
                         "unsupported schema_version '%s' (tumen reads 2022.05 and 2024.07)",
                         version);
    if (strcmp(schema, RT_ROLLING_STOCK) == 0)
        return read_rolling_stock(s, doc, err);
    if (strcmp(schema, RT_RUNNING_PATH) == 0)
        return read_running_path(s, doc, err);
    return tm_yerror(doc, tm_ymap_get(root, "schema"), "schema", err,
                     "unknown schema '%s' (tumen reads %s and %s)", schema, RT_ROLLING_STOCK,
                     RT_RUNNING_PATH);
}
