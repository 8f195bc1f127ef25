/* service.c: the calls tumen serve needs (tumen.h, "Planning-service calls"): a scenario's
 * contents, a routed run, conflicts, a special plan and the time-distance diagram, each as
 * JSON text in memory with the keys of the CLI's --json. */
#include "api/api.h"
#include "core/id.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "block/resources.h"
#include "core/error.h"
#include "formats/output.h"
#include "formats/readers.h"
#include "formats/special_write.h"
#include "model/scenario.h"
#include "plan/occupancy.h"
#include "plan/path.h"
#include "plan/route.h"
#include "plan/special_plan.h"
#include "plan/timetable.h"

#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))

int tumen_scenario_load_texts(tumen_scenario **out, const char *const *names,
                              const char *const *texts, const size_t *lengths, size_t n,
                              tumen_error *err)
{
    tm_scenario *m = NULL;
    struct tm_special_spec *special = NULL;
    if (out)
        *out = NULL;
    int rc = tm_scenario_load_texts_with(&m, &special, names, texts, lengths, n, err);
    if (rc != TUMEN_OK)
        return rc;
    tumen_scenario *h = calloc(1, sizeof *h);
    if (!h) {
        tm_scenario_free(m);
        free(special);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    h->model = m;
    h->special = special;
    *out = h;
    return TUMEN_OK;
}

static const char *category_name(tm_category c)
{
    return c == TM_CATEGORY_PASSENGER ? "passenger" : c == TM_CATEGORY_FREIGHT ? "freight"
                                                                               : "special";
}

/* Dumps doc into *json and releases it; NULL doc means memory ran out. */
static int dump(json_t *doc, char **json, tumen_error *err)
{
    *json = doc ? json_dumps(doc, JSON_FLAGS) : NULL;
    json_decref(doc);
    if (!*json)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    return TUMEN_OK;
}

static int check_args(const void *a, const void *b, tumen_error *err)
{
    tm_error_clear(err);
    if (!a || !b)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "NULL argument");
    return TUMEN_OK;
}

int tumen_scenario_json(const tumen_scenario *h, char **json, tumen_error *err)
{
    const tm_scenario *sc = tm_api_model(h);
    int rc = check_args(sc, json, err);
    if (rc != TUMEN_OK)
        return rc;
    json_t *doc = json_object(), *trains = json_array(), *points = json_array(),
           *services = json_array(), *lines = json_array();
    for (size_t i = 0; i < sc->n_trains; i++)
        json_array_append_new(trains, json_string(sc->trains[i].id));
    for (size_t i = 0; i < sc->network.n_ops; i++)
        json_array_append_new(points, json_pack("{s:s, s:s}", "id", sc->network.ops[i].id,
                                                "name", tm_name_or(sc->network.ops[i].name, "")));
    for (size_t i = 0; i < sc->timetable.n_services; i++) {
        const tm_service *s = &sc->timetable.services[i];
        json_array_append_new(services, json_pack("{s:s, s:s, s:s, s:s, s:f}", "id", s->id,
                                                  "train", sc->trains[s->train].id, "category",
                                                  category_name(s->category), "convoy",
                                                  s->convoy, "departure_s", s->departure));
    }
    for (size_t i = 0; i < sc->n_lines; i++)
        json_array_append_new(lines, json_string(sc->lines[i].id));
    json_object_set_new(doc, "date", json_string(sc->timetable.date));
    json_object_set_new(doc, "trains", trains);
    json_object_set_new(doc, "points", points);
    json_object_set_new(doc, "services", services);
    json_object_set_new(doc, "lines", lines);
    return dump(doc, json, err);
}

/* ---- A routed run ---------------------------------------------------------------------- */

/* An operational point by id, else by name; (size_t)-1 if none. */
static size_t find_op(const tm_network *n, const char *text)
{
    size_t i = tm_network_find_op(n, text);
    for (size_t k = 0; i == (size_t)-1 && k < n->n_ops; k++)
        if (n->ops[k].name && !strcmp(n->ops[k].name, text))
            i = k;
    return i;
}

/* The speed-distance profile: every k-th sample so that at most max fit. */
static json_t *profile_json(const tumen_result *r, size_t max)
{
    json_t *p = json_object(), *s = json_array(), *v = json_array(), *t = json_array(),
           *ls = json_array(), *lv = json_array();
    size_t step = max && r->n_samples > max ? (r->n_samples + max - 1) / max : 1;
    for (size_t i = 0; i < r->n_samples; i += step) {
        json_array_append_new(s, json_real(r->samples[i].s));
        json_array_append_new(v, json_real(r->samples[i].v));
        json_array_append_new(t, json_real(r->samples[i].t));
    }
    for (size_t i = 0; i < r->n_profile; i++) {
        json_array_append_new(ls, json_real(r->profile_s[i]));
        json_array_append_new(lv, json_real(r->profile_limit[i]));
    }
    json_object_set_new(p, "s_m", s);
    json_object_set_new(p, "v_ms", v);
    json_object_set_new(p, "t_s", t);
    json_object_set_new(p, "limit_s_m", ls);
    json_object_set_new(p, "limit_ms", lv);
    return p;
}

int tumen_route_run_json(const tumen_scenario *h, const char *train, const char *from,
                         const char *to, double departure, size_t max_samples, char **json,
                         tumen_error *err)
{
    const tm_scenario *sc = tm_api_model(h);
    int rc = check_args(sc, json, err);
    if (rc != TUMEN_OK)
        return rc;
    *json = NULL;
    if (!train || !from || !to)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "train", "train, from and to are required");
    if (sc->network.n_ops == 0)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "network",
                            "the scenario holds no network to route over");
    rc = tm_id_check(train, NULL, 0, "train", err); /* refused, as every reader does */
    if (rc != TUMEN_OK)
        return rc;
    size_t wp[2] = {find_op(&sc->network, from), find_op(&sc->network, to)};
    tm_route_request req;
    memset(&req, 0, sizeof req);
    req.train = tm_scenario_find_train(sc, train);
    if (req.train == (size_t)-1)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "train", "unknown train '%s'", train);
    if (wp[0] == (size_t)-1 || wp[1] == (size_t)-1)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, wp[0] == (size_t)-1 ? "from" : "to",
                            "unknown operational point '%s'", wp[0] == (size_t)-1 ? from : to);
    req.waypoints = wp;
    req.n_waypoints = 2;
    tm_route route;
    memset(&route, 0, sizeof route);
    tm_route_legs legs;
    memset(&legs, 0, sizeof legs);
    tumen_result *res = NULL;
    rc = tm_route_find(sc, &req, &route, err);
    if (rc == TUMEN_OK)
        rc = tm_route_legs_build(sc, &route, &req, &legs, err);
    if (rc == TUMEN_OK)
        rc = tm_run_journey(legs.legs, legs.n, NULL, departure, &res, err);
    if (rc == TUMEN_OK) {
        json_t *doc = tm_result_to_json(res);
        if (doc) {
            json_t *pts = json_array();
            double pos = 0.0;
            size_t op = route.origin;
            json_array_append_new(pts, json_pack("{s:s, s:f}", "id", sc->network.ops[op].id,
                                                 "position_m", pos));
            for (size_t i = 0; i < route.n_steps; i++) {
                const tm_track *t = &sc->network.tracks[route.steps[i].track];
                pos += t->length;
                op = route.steps[i].forward ? t->to : t->from;
                json_array_append_new(pts, json_pack("{s:s, s:f}", "id", sc->network.ops[op].id,
                                                     "position_m", pos));
            }
            json_object_set_new(doc, "route", pts);
            json_object_set_new(doc, "profile", profile_json(res, max_samples));
        }
        rc = dump(doc, json, err);
    }
    tumen_result_destroy(res);
    tm_route_legs_free(&legs);
    tm_route_free(&route);
    return rc;
}

/* ---- Blocking times and conflicts -------------------------------------------------------- */

typedef struct blocking {
    tm_resource_map map;
    tm_occupation *occ;
    size_t n_occ;
    size_t *group;
    tm_conflict *c;
    size_t n_c;
    tm_timetable_result runs;
} blocking;

static void blocking_free(blocking *b)
{
    free(b->c);
    free(b->group);
    free(b->occ);
    tm_resource_map_free(&b->map);
    tm_timetable_result_free(&b->runs);
}

/* The timetable's blocking times and conflicts, as tumen conflicts finds them. */
static int blocking_find(const tm_scenario *sc, int threads, int keep_runs, blocking *b,
                         tumen_error *err)
{
    memset(b, 0, sizeof *b);
    tm_blocking_params p;
    tm_blocking_params_default(&p);
    if (tm_resource_map_build(&sc->network, &b->map) != TUMEN_OK)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    int rc = tm_timetable_occupations(sc, &b->map, &p, threads < 1 ? 1 : threads, &b->occ,
                                      &b->n_occ, keep_runs ? &b->runs : NULL, err);
    if (rc == TUMEN_OK && (tm_timetable_convoy_groups(&sc->timetable, &b->group) != TUMEN_OK ||
                           tm_conflicts_find_threads(b->occ, b->n_occ, b->map.capacity, b->group,
                                                     threads < 1 ? 1 : threads, &b->c,
                                                     &b->n_c) != TUMEN_OK))
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (rc != TUMEN_OK)
        blocking_free(b);
    return rc;
}

/* ---- The special plan ------------------------------------------------------------------- */

/* A plan as a change to the timetable it was planned on: the services it holds or cancels
 * withdrawn, the held ones given again as retimed, and the convoy (the last n of the plan's
 * timetable). The services are shallow copies: the plan owns what they point to. */
typedef struct plan_change {
    const tm_scenario *sc;
    tm_timetable tt;
    const char **withdraw;
    size_t n_withdraw;
} plan_change;

static int write_change(const void *ctx, const char *path, tumen_error *err)
{
    const plan_change *c = ctx;
    return tm_special_write_changes(c->sc, &c->tt, c->withdraw, c->n_withdraw, path, err);
}

/* The retimed service of the plan's timetable with this id, or NULL. */
static const tm_service *plan_service(const tm_timetable *tt, size_t n_convoy, const char *id)
{
    for (size_t i = 0; i + n_convoy < tt->n_services; i++)
        if (!strcmp(tt->services[i].id, id))
            return &tt->services[i];
    return NULL;
}

int tumen_special_convoy_yaml(const tumen_special *special, char **text, size_t *length,
                              tumen_error *err)
{
    int rc = check_args(special, text, err);
    if (rc != TUMEN_OK)
        return rc;
    *text = NULL;
    const tm_special_result *r = &special->r;
    if (r->infeasible || !r->has_plan)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "the request has no plan");
    const tm_scenario *sc = tm_api_model(special->sc);
    size_t n = (size_t)(r->present[0] + r->present[1] + r->present[2]);
    plan_change c = {sc, r->timetable, NULL, 0};
    c.tt.services = malloc((r->n_changes + n + 1) * sizeof *c.tt.services);
    c.withdraw = malloc((r->n_changes + 1) * sizeof *c.withdraw);
    if (!c.tt.services || !c.withdraw) {
        free(c.tt.services);
        free(c.withdraw);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    c.tt.n_services = 0;
    for (size_t i = 0; i < r->n_changes; i++) {
        const char *id = sc->timetable.services[r->changes[i].service].id;
        const tm_service *held = r->changes[i].cancelled ? NULL
                                                         : plan_service(&r->timetable, n, id);
        c.withdraw[c.n_withdraw++] = id;
        if (held)
            c.tt.services[c.tt.n_services++] = *held;
    }
    for (size_t i = r->timetable.n_services - n; i < r->timetable.n_services; i++)
        c.tt.services[c.tt.n_services++] = r->timetable.services[i];
    void *data = NULL;
    size_t len = 0;
    rc = tm_api_via_file(write_change, &c, "yaml", &data, &len, err);
    free(c.tt.services);
    free(c.withdraw);
    if (rc == TUMEN_OK) {
        *text = data;
        if (length)
            *length = len;
    }
    return rc;
}

/* ---- The time-distance diagram ----------------------------------------------------------- */

/* The line a-b: per network track, the line's kilometrage of its from end and its
 * direction on the line (0: not on the line). */
typedef struct line_axis {
    double *km0;
    int *dir;
    double *op_m;            /* per operational point: its position on the line, or NAN */
    double length;
} line_axis;

static int axis_build(const tm_scenario *sc, size_t a, size_t b, line_axis *ax,
                      json_t *points, tumen_error *err)
{
    const tm_network *net = &sc->network;
    tm_route_step *path = NULL;
    size_t n = 0;
    int rc = tm_network_shortest_path(net, a, b, &path, &n, err);
    if (rc != TUMEN_OK)
        return rc;
    ax->km0 = calloc(net->n_tracks + 1, sizeof *ax->km0);
    ax->dir = calloc(net->n_tracks + 1, sizeof *ax->dir);
    ax->op_m = malloc((net->n_ops + 1) * sizeof *ax->op_m);
    if (!ax->km0 || !ax->dir || !ax->op_m) {
        free(path);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < net->n_ops; i++)
        ax->op_m[i] = NAN;
    double km = 0.0;
    size_t op = a;
    ax->op_m[a] = 0.0;
    json_array_append_new(points, json_pack("{s:s, s:s, s:f}", "id", net->ops[op].id, "name",
                                            tm_name_or(net->ops[op].name, ""), "m", km));
    for (size_t i = 0; i < n; i++) {
        const tm_track *t = &net->tracks[path[i].track];
        ax->dir[path[i].track] = path[i].forward ? 1 : -1;
        ax->km0[path[i].track] = path[i].forward ? km : km + t->length;
        km += t->length;
        op = path[i].forward ? t->to : t->from;
        ax->op_m[op] = km;
        json_array_append_new(points, json_pack("{s:s, s:s, s:f}", "id", net->ops[op].id,
                                                "name", tm_name_or(net->ops[op].name, ""), "m", km));
    }
    ax->length = km;
    free(path);
    return TUMEN_OK;
}

/* Line position of a point `u` m from the from end of track, or NAN off the line. */
static double axis_at(const line_axis *ax, size_t track, double u)
{
    if (!ax->dir[track])
        return NAN;
    return ax->km0[track] + ax->dir[track] * u;
}

/* A service's path on the line: (time, position) at each end of each track it runs on it. */
static json_t *service_path(const tm_scenario *sc, const line_axis *ax,
                            const tm_service_run *run)
{
    json_t *path = json_array();
    for (size_t k = 0; k < run->n_steps && k + 1 < run->n_points; k++) {
        const tm_route_step *st = &run->steps[k];
        const tm_track *t = &sc->network.tracks[st->track];
        double m0 = axis_at(ax, st->track, st->forward ? 0.0 : t->length);
        double m1 = axis_at(ax, st->track, st->forward ? t->length : 0.0);
        if (isnan(m0))
            continue;
        json_array_append_new(path, json_pack("[f, f]", run->points[k].arrival, m0));
        json_array_append_new(path, json_pack("[f, f]", run->points[k].departure, m0));
        json_array_append_new(path, json_pack("[f, f]", run->points[k + 1].arrival, m1));
    }
    return path;
}

/* A resource's extent on the line (m0 < m1), or 0 when it is off the line. A station is
 * drawn as the 800 m around its point. */
static int resource_extent(const tm_scenario *sc, const tm_resource_map *map,
                           const line_axis *ax, size_t id, double *m0, double *m1)
{
    const tm_resource *r = &map->items[id];
    if (r->kind == TM_RES_STATION) {
        double at = ax->op_m[r->op];
        *m0 = fmax(at - 400.0, 0.0);
        *m1 = fmin(at + 400.0, ax->length);
        return !isnan(at);
    }
    const tm_track *t = &sc->network.tracks[r->track];
    double a = axis_at(ax, r->track, r->kind == TM_RES_BLOCK ? r->start : 0.0);
    double b = axis_at(ax, r->track, r->kind == TM_RES_BLOCK ? r->end : t->length);
    if (isnan(a))
        return 0;
    *m0 = fmin(a, b);
    *m1 = fmax(a, b);
    return 1;
}

int tumen_diagram_json(const tumen_scenario *h, const char *a, const char *b, int threads,
                       char **json, tumen_error *err)
{
    const tm_scenario *sc = tm_api_model(h);
    int rc = check_args(sc, json, err);
    if (rc != TUMEN_OK)
        return rc;
    *json = NULL;
    size_t ia = a ? find_op(&sc->network, a) : (size_t)-1;
    size_t ib = b ? find_op(&sc->network, b) : (size_t)-1;
    if (ia == (size_t)-1 || ib == (size_t)-1)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "line",
                            "unknown operational point '%s'", ia == (size_t)-1 ? a : b);
    line_axis ax;
    memset(&ax, 0, sizeof ax);
    json_t *doc = json_object(), *points = json_array();
    blocking bl;
    memset(&bl, 0, sizeof bl);
    rc = axis_build(sc, ia, ib, &ax, points, err);
    if (rc == TUMEN_OK && sc->timetable.n_services)
        rc = blocking_find(sc, threads, 1, &bl, err);
    if (rc != TUMEN_OK) {
        json_decref(doc);
        json_decref(points);
        free(ax.km0);
        free(ax.dir);
        free(ax.op_m);
        return rc;
    }
    json_object_set_new(doc, "line", json_pack("{s:s, s:s, s:f, s:o}", "from",
                                               sc->network.ops[ia].id, "to",
                                               sc->network.ops[ib].id, "length_m", ax.length,
                                               "points", points));
    json_t *svcs = json_array(), *stairs = json_array(), *conf = json_array();
    for (size_t i = 0; i < bl.runs.n_runs; i++) {
        const tm_service *s = &sc->timetable.services[i];
        json_array_append_new(svcs, json_pack("{s:s, s:s, s:s, s:o}", "id", s->id, "category",
                                              category_name(s->category), "convoy", s->convoy,
                                              "path", service_path(sc, &ax, &bl.runs.runs[i])));
    }
    double m0, m1;
    for (size_t i = 0; i < bl.n_occ; i++)
        if (bl.map.items[bl.occ[i].resource].kind == TM_RES_BLOCK &&
            resource_extent(sc, &bl.map, &ax, bl.occ[i].resource, &m0, &m1))
            json_array_append_new(stairs, json_pack("{s:s, s:f, s:f, s:f, s:f}", "service",
                                                    sc->timetable.services[bl.occ[i].train].id,
                                                    "t0", bl.occ[i].start, "t1", bl.occ[i].end,
                                                    "m0", m0, "m1", m1));
    for (size_t i = 0; i < bl.n_c; i++)
        if (resource_extent(sc, &bl.map, &ax, bl.c[i].resource, &m0, &m1))
            json_array_append_new(conf, json_pack("{s:s, s:s, s:f, s:f, s:f, s:f}", "train_a",
                                                  sc->timetable.services[bl.c[i].train_a].id,
                                                  "train_b",
                                                  sc->timetable.services[bl.c[i].train_b].id,
                                                  "t0", bl.c[i].start, "t1", bl.c[i].end, "m0",
                                                  m0, "m1", m1));
    json_object_set_new(doc, "services", svcs);
    json_object_set_new(doc, "stairs", stairs);
    json_object_set_new(doc, "conflicts", conf);
    blocking_free(&bl);
    free(ax.km0);
    free(ax.dir);
    free(ax.op_m);
    return dump(doc, json, err);
}
