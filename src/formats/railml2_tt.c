/* railml2_tt.c: railML 2 rolling stock (vehicles, formations with their trainOrder, engines
 * with propulsion power, maximum tractive effort and an optional effort table) and timetable
 * (trains, their train parts, ocpsTT with scheduled times) into the scenario: one tumen
 * vehicle per <vehicle>, one tumen train per <formation>, one service per <train>.
 *
 * railML 2 gives no running resistance or brake deceleration in the basic vehicle
 * attributes; tumen assumes Davis a = 1.5 permille of the weight and c for 2.5 permille at
 * 100 km/h, and 0.5 m/s2 braking, unless <vehicle> has the tumen-style attributes
 * (docs/formats.md, "Imports").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "core/error.h"
#include "formats/import_reader.h"
#include "formats/import_xml.h"
#include "formats/readers.h"

#define G0 9.80665

double tm_import_parse_clock(const char *text)
{
    unsigned h = 0, m = 0, s = 0;
    int n = 0;
    if (!text)
        return -1.0;
    /* A date-time ("2024-01-01T08:00:00") counts from its time. */
    const char *t = strchr(text, 'T');
    if (t)
        text = t + 1;
    if (sscanf(text, "%u:%u:%u%n", &h, &m, &s, &n) == 3 && text[n] == '\0') {
    } else if (sscanf(text, "%u:%u%n", &h, &m, &n) == 2 && text[n] == '\0') {
        s = 0;
    } else {
        return -1.0;
    }
    if (h > 167 || m > 59 || s > 59)
        return -1.0;
    return (double)h * 3600.0 + (double)m * 60.0 + (double)s;
}

static int read_vehicle(tm_import_ctx *ctx, const xmlNode *v, tumen_error *err)
{
    const char *file = ctx->file;
    tm_vehicle veh;
    memset(&veh, 0, sizeof veh);
    const char *id = tm_xattr(v, "id"), *name = tm_xattr(v, "name");
    if (!id)
        return tm_xerror(err, TUMEN_EINPUT, file, v, "missing attribute 'id'");
    snprintf(veh.id, sizeof veh.id, "%s", id); /* ids checked by tm_xcheck_ids */
    double mass_t = 0.0, tare = 0.0, speed = 0.0, driven = 0.0, others = 0.0;
    int has_brutto = 0, has_tare = 0;
    int rc = tm_xnumber(file, v, "length", 0.5, 1000.0, "m", 1, &veh.length, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_xnumber(file, v, "bruttoWeight", 0.1, 10000.0, "t", 0, &mass_t, &has_brutto,
                        err);
    if (rc == TUMEN_OK)
        rc = tm_xnumber(file, v, "tareWeight", 0.1, 10000.0, "t", 0, &tare, &has_tare, err);
    if (rc == TUMEN_OK)
        rc = tm_xnumber(file, v, "speed", 1.0, 1000.0, "km/h", 0, &speed, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_xnumber(file, v, "numberDrivenAxles", 0.0, 100.0, "axles", 0, &driven, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_xnumber(file, v, "numberNonDrivenAxles", 0.0, 100.0, "axles", 0, &others, NULL,
                        err);
    if (rc != TUMEN_OK)
        return rc;
    if (!has_brutto && !has_tare)
        return tm_xerror(err, TUMEN_EINPUT, file, v,
                         "the vehicle gives no weight (bruttoWeight or tareWeight, in t)");
    veh.mass = (has_tare ? tare : mass_t) * 1000.0;
    veh.load = has_brutto && has_tare && mass_t > tare ? (mass_t - tare) * 1000.0 : 0.0;
    veh.max_speed = speed * TM_KMH;
    veh.axles = (int)(driven + others);
    veh.gauge = 1435;
    double full = veh.mass + veh.load;
    /* Assumed: w = 1.5 permille + 2.5 permille (v / 100 km/h)^2 of the weight (file comment). */
    veh.resistance = (tm_resistance){.law = TM_RESIST_STRAHL, .k0 = 1.5e-3, .k2 = 2.5e-3,
                                     .v_ref = TM_V_REF_WENDE};
    veh.brake_deceleration = 0.5;
    const xmlNode *prop = tm_xchild(tm_xchild(v, "engine"), "propulsion");
    veh.kind = prop ? TM_VEHICLE_LOCOMOTIVE : TM_VEHICLE_COACH; /* xi 1.09 or 1.06 (physics) */
    if (prop) {
        double power = 0.0, effort = 0.0, xi = 0.0;
        int has_xi = 0;
        rc = tm_xnumber(file, prop, "power", 1.0, 1e9, "W", 1, &power, NULL, err);
        if (rc == TUMEN_OK)
            rc = tm_xnumber(file, prop, "maxTractEffort", 1.0, 1e8, "N", 0, &effort, NULL, err);
        if (rc == TUMEN_OK)
            rc = tm_xnumber(file, prop, "rotationMassFactor", 1.0, 3.0, "", 0, &xi, &has_xi, err);
        if (rc != TUMEN_OK)
            return rc;
        if (has_xi)
            veh.rotating_mass_factor = xi;
        veh.has_traction = 1;
        veh.max_power = power;
        /* Without a starting effort: adhesion of the driven weight (0.33) bounds it. */
        veh.max_force = effort > 0.0 ? effort : 0.33 * full * G0;
        veh.power = tm_xattr(prop, "voltage") ? TM_POWER_ELECTRIC : TM_POWER_DIESEL;
        if (tm_xattr(prop, "voltage")) {
            if ((rc = tm_xelectrification(file, prop, &veh.electrification, err)) != TUMEN_OK)
                return rc;
        }
    }
    ctx->out->summary.vehicles++;
    if (!(veh.name = tm_strdup(name ? name : id))) {
        tm_vehicle_free(&veh);
        return tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
    }
    rc = tm_scenario_add_vehicle(ctx->out->scenario, &veh, NULL, NULL, "vehicles", NULL, err);
    if (rc != TUMEN_OK) {
        tm_vehicle_free(&veh);
        err->line = (int)tm_xline(v);
        snprintf(err->file, sizeof err->file, "%s", file);
    }
    return rc;
}

static int read_formation(tm_import_ctx *ctx, const xmlNode *f, tumen_error *err)
{
    const char *file = ctx->file;
    tm_scenario *s = ctx->out->scenario;
    tm_train t;
    memset(&t, 0, sizeof t);
    const char *id = tm_xattr(f, "id"), *name = tm_xattr(f, "name");
    if (!id)
        return tm_xerror(err, TUMEN_EINPUT, file, f, "missing attribute 'id'");
    snprintf(t.id, sizeof t.id, "%s", id);
    const xmlNode *order = tm_xchild(f, "trainOrder");
    size_t n = order ? tm_xcount(order, "vehicleRef") : 0;
    if (n == 0)
        return tm_xerror(err, TUMEN_EINPUT, file, f,
                         "the formation has no <trainOrder> with <vehicleRef>");
    t.consist = calloc(n, sizeof *t.consist);
    if (!t.consist)
        return tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
    int rc = TUMEN_OK;
    for (const xmlNode *c = order->children; rc == TUMEN_OK && c; c = c->next) {
        if (!tm_xis(c, "vehicleRef"))
            continue;
        const char *ref = tm_xattr(c, "vehicleRef");
        size_t vi = ref ? tm_scenario_find_vehicle(s, ref) : (size_t)-1;
        double count = 1.0;
        rc = tm_xnumber(file, c, "vehicleCount", 1.0, 10000.0, "vehicles", 0, &count, NULL, err);
        if (rc == TUMEN_OK && vi == (size_t)-1)
            rc = tm_xerror(err, TUMEN_EINPUT, file, c, "vehicleRef '%s' names no <vehicle>",
                           ref ? ref : "");
        if (rc == TUMEN_OK)
            t.consist[t.n_consist++] = (tm_consist_entry){vi, (int)count};
    }
    if (rc == TUMEN_OK && tm_name_set(&t.name, name ? name : id))
        rc = tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
    if (rc == TUMEN_OK)
        rc = tm_scenario_add_train(s, &t, NULL, NULL, "formations", err);
    if (rc != TUMEN_OK)
        tm_train_free(&t);
    return rc;
}

static int read_train_part(tm_import_ctx *ctx, const xmlNode *train, const xmlNode *part,
                           tumen_error *err)
{
    const char *file = ctx->file;
    tm_scenario *s = ctx->out->scenario;
    tm_service svc;
    memset(&svc, 0, sizeof svc);
    const char *id = tm_xattr(train, "trainNumber");
    if (!id)
        id = tm_xattr(train, "id");
    snprintf(svc.id, sizeof svc.id, "%s", id ? id : "train");
    svc.line = (int)tm_xline(train);
    svc.category = TM_CATEGORY_PASSENGER;
    const xmlNode *ftt = tm_xchild(part, "formationTT");
    const char *fref = ftt ? tm_xattr(ftt, "formationRef") : NULL;
    svc.train = fref ? tm_scenario_find_train(s, fref) : (size_t)-1;
    if (svc.train == (size_t)-1)
        return tm_xerror(err, TUMEN_EINPUT, file, ftt ? ftt : part,
                         "formationRef '%s' names no <formation> of the file",
                         fref ? fref : "");
    const xmlNode *otts = tm_xchild(part, "ocpsTT");
    size_t n = otts ? tm_xcount(otts, "ocpTT") : 0;
    if (n < 2)
        return tm_xerror(err, TUMEN_EINPUT, file, part,
                         "the train part needs at least two <ocpTT> (origin and destination)");
    svc.waypoints = calloc(n, sizeof *svc.waypoints);
    svc.stops = calloc(n, sizeof *svc.stops);
    if (!svc.waypoints || !svc.stops) {
        free(svc.waypoints);
        free(svc.stops);
        return tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
    }
    int rc = TUMEN_OK;
    svc.departure = -1.0;
    for (const xmlNode *o = otts->children; rc == TUMEN_OK && o; o = o->next) {
        if (!tm_xis(o, "ocpTT"))
            continue;
        const char *ref = tm_xattr(o, "ocpRef"), *type = tm_xattr(o, "ocpType");
        size_t op = ref ? tm_network_find_op(&s->network, ref) : (size_t)-1;
        if (op == (size_t)-1) {
            rc = tm_xerror(err, TUMEN_EINPUT, file, o,
                           "ocpRef '%s' names no operational point on the network's tracks",
                           ref ? ref : "");
            break;
        }
        const xmlNode *times = tm_xchild(o, "times");
        double arr = tm_import_parse_clock(tm_xattr(times, "arrival"));
        double dep = tm_import_parse_clock(tm_xattr(times, "departure"));
        const char *bad = tm_xattr(times, "arrival") && arr < 0.0     ? "arrival"
                          : tm_xattr(times, "departure") && dep < 0.0 ? "departure"
                                                                      : NULL;
        if (bad) {
            rc = tm_xerror(err, TUMEN_EINPUT, file, times,
                           "%s='%s' is not a clock time HH:MM[:SS] (minutes and seconds "
                           "below 60)", bad, tm_xattr(times, bad));
            break;
        }
        if (svc.departure < 0.0 && dep >= 0.0)
            svc.departure = dep;
        if (svc.n_waypoints > 0 && type && !strcmp(type, "stop") && o->next)
            svc.stops[svc.n_stops++] =
                (tm_service_stop){op, arr >= 0.0 && dep >= arr ? dep - arr : 0.0};
        svc.waypoints[svc.n_waypoints++] = op;
    }
    if (rc == TUMEN_OK && svc.departure < 0.0)
        rc = tm_xerror(err, TUMEN_EINPUT, file, part,
                       "no departure time (times/@departure as HH:MM:SS) at its first ocpTT");
    tm_timetable *tt = &s->timetable;
    tm_service *grown = rc == TUMEN_OK
                            ? realloc(tt->services, (tt->n_services + 1) * sizeof *grown)
                            : NULL;
    if (rc == TUMEN_OK && !grown)
        rc = tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
    if (rc != TUMEN_OK) {
        free(svc.waypoints);
        free(svc.stops);
        return rc;
    }
    tt->services = grown;
    tt->services[tt->n_services++] = svc;
    return TUMEN_OK;
}

static const xmlNode *find_by_id(const tm_xnodes *v, const char *id)
{
    for (size_t i = 0; id && i < v->n; i++) {
        const char *x = tm_xattr(v->items[i], "id");
        if (x && !strcmp(x, id))
            return v->items[i];
    }
    return NULL;
}

int tm_railml2_stock_timetable(tm_import_ctx *ctx, const xmlNode *root, tumen_error *err)
{
    const xmlNode *rs = tm_xchild(root, "rollingstock");
    int rc = TUMEN_OK;
    const xmlNode *vs = tm_xchild(rs, "vehicles"), *fs = tm_xchild(rs, "formations");
    for (const xmlNode *v = vs ? vs->children : NULL; rc == TUMEN_OK && v; v = v->next)
        if (tm_xis(v, "vehicle"))
            rc = read_vehicle(ctx, v, err);
    for (const xmlNode *f = fs ? fs->children : NULL; rc == TUMEN_OK && f; f = f->next)
        if (tm_xis(f, "formation"))
            rc = read_formation(ctx, f, err);
    const xmlNode *tt = tm_xchild(root, "timetable");
    if (rc != TUMEN_OK || !tt)
        return rc;
    if (ctx->out->scenario->network.n_ops == 0) {
        /* A timetable-only export: count its trains, leave them to a network beside it. */
        const xmlNode *trains = tm_xchild(tt, "trains");
        size_t n = trains ? tm_xcount(trains, "train") : 0;
        ctx->out->summary.trains += n;
        ctx->out->trains_without_network = n;
        return TUMEN_OK;
    }
    tm_xnodes parts = {0};
    if (tm_xfind(tt, "trainPart", &parts)) {
        free(parts.items);
        return tm_error_set(err, TUMEN_ENOMEM, ctx->file, 0, NULL, "out of memory");
    }
    const xmlNode *trains = tm_xchild(tt, "trains");
    for (const xmlNode *t = trains ? trains->children : NULL; rc == TUMEN_OK && t; t = t->next) {
        if (!tm_xis(t, "train"))
            continue;
        ctx->out->summary.trains++;
        const xmlNode *seq = tm_xchild(t, "trainPartSequence");
        const xmlNode *ref = tm_xchild(seq, "trainPartRef");
        const char *pid = ref ? tm_xattr(ref, "ref") : NULL;
        const xmlNode *part = find_by_id(&parts, pid);
        if (!part)
            rc = tm_xerror(err, TUMEN_EINPUT, ctx->file, ref ? ref : t,
                           "the train's trainPartRef '%s' names no <trainPart>",
                           pid ? pid : "");
        else
            rc = read_train_part(ctx, t, part, err);
    }
    const char *tt_name = tm_xattr(tt, "name");
    if (tm_name_set(&ctx->out->scenario->timetable.name, tt_name ? tt_name : "railML timetable") &&
        rc == TUMEN_OK)
        rc = tm_error_set(err, TUMEN_ENOMEM, ctx->file, 0, NULL, "out of memory");
    free(parts.items);
    return rc;
}
