/* handlers.c: the resources of tumen serve (the route table at the end; /openapi.json is
 * made from it). A scenario is its uploaded files; "the timetable as it is now" is those
 * files with the services of every active booking added. Computations run as jobs. */
#include "handlers.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>

#include "bookings.h"
#include "config.h"
#include "day.h"
#include "jobs.h"
#include "openapi.h"
#include "tumen.h"

#define JSON_OUT (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))

/* ---- Work done as jobs --------------------------------------------------------------------- */

enum { WORK_RUN, WORK_CONFLICTS, WORK_SPECIAL, WORK_DIAGRAM, WORK_HEADWAY, WORK_CAPACITY };

typedef struct work {
    int kind;
    long long scenario;
    char who[64];
    char *a, *b, *train;              /* run, diagram, headway, capacity: from, to (owned,
                                       * any length: an id or a name) */
    char *train2;                     /* headway: the second train */
    double departure, until;          /* run: departure; capacity: the window */
    int line_type;                    /* capacity: a tumen_line_type */
    char *text;                       /* special: the request as YAML/JSON text */
    char *convoy;                     /* special: the request's (unique) id */
} work;

static void work_free(void *p)
{
    work *w = p;
    free(w->text);
    free(w->a);
    free(w->b);
    free(w->train);
    free(w->train2);
    free(w->convoy);
    free(w);
}

/* The special's plan stored with `planned_on`, the bookings of the day it was planned on
 * (basis: their ids, each followed by ','), so that a booking can tell whether a train
 * the plan holds or cancels was changed since; its plan_id and scenario_id added to the
 * answer. */
static void special_store(const work *w, const char *basis, char *plan, char *services,
                          reply *out)
{
    json_t *o = json_loads(plan, 0, NULL), *on = json_array();
    for (const char *p = basis; p && *p;) {
        char *end;
        json_array_append_new(on, json_integer(strtoll(p, &end, 10)));
        p = *end == ',' ? end + 1 : end;
    }
    json_object_set_new(o, "planned_on", on);
    char *stored = o ? json_dumps(o, JSON_OUT) : NULL;
    long long id = 0;
    store *st = server_store();
    if (!stored || !st ||
        store_plan_add(st, w->scenario, w->convoy, stored, services, w->who, &id) != STORE_OK) {
        free(stored);
        json_decref(o);
        reply_error(out, 500, "the plan cannot be stored");
        return;
    }
    free(stored);
    json_object_set_new(o, "plan_id", json_integer(id));
    json_object_set_new(o, "scenario_id", json_integer(w->scenario));
    reply_take(out, 201, json_dumps(o, JSON_OUT));
    json_decref(o);
}

static int conflicts_json(const tumen_scenario *sc, const job_ctx *ctx, char **json,
                          tumen_error *err)
{
    if (tumen_scenario_service_count(sc) == 0) { /* no timetable: nothing conflicts */
        *json = strdup("[]");
        return *json ? TUMEN_OK : TUMEN_ENOMEM;
    }
    tumen_blocking *b;
    tumen_conflicts *c;
    int rc = conflicts_find(sc, ctx, &b, &c, err);
    if (rc == TUMEN_OK)
        rc = tumen_conflicts_json(c, json, NULL, err);
    tumen_conflicts_destroy(c);
    tumen_blocking_destroy(b);
    return rc;
}

/* The op index of an id or name, or TUMEN_NPOS with err set. */
static size_t op_of(const tumen_scenario *sc, const char *text, const char *field,
                    tumen_error *err)
{
    size_t i = tumen_scenario_find_op_named(sc, text);
    if (i == TUMEN_NPOS) {
        err->code = TUMEN_EINPUT;
        snprintf(err->field, sizeof err->field, "%s", field);
        char shown[400]; /* a long name clipped whole-character in the message */
        snprintf(err->message, sizeof err->message, "unknown operational point '%s'",
                 tumen_text_clip(shown, sizeof shown, text));
    }
    return i;
}

static size_t train_of(const tumen_scenario *sc, const char *id, tumen_error *err)
{
    size_t i = tumen_scenario_find_train(sc, id);
    if (i == TUMEN_NPOS) {
        err->code = TUMEN_EINPUT;
        snprintf(err->field, sizeof err->field, "trains");
        char shown[400];
        snprintf(err->message, sizeof err->message, "unknown train '%s'",
                 tumen_text_clip(shown, sizeof shown, id));
    }
    return i;
}

/* Headway (as tumen headway --json) or capacity (as tumen capacity --json) of a line. */
static int line_json(const tumen_scenario *sc, const work *w, const job_ctx *ctx, char **json,
                     tumen_error *err)
{
    size_t from = op_of(sc, w->a, "from", err), to = op_of(sc, w->b, "to", err);
    if (from == TUMEN_NPOS || to == TUMEN_NPOS)
        return err->code;
    int rc;
    if (w->kind == WORK_HEADWAY) {
        size_t t1 = train_of(sc, w->train, err), t2 = train_of(sc, w->train2, err);
        if (t1 == TUMEN_NPOS || t2 == TUMEN_NPOS)
            return err->code;
        tumen_headway *h = NULL;
        rc = tumen_headway_compute(sc, t1, t2, from, to, &h, err);
        if (rc == TUMEN_OK)
            rc = tumen_headway_json(h, json, NULL, err);
        tumen_headway_destroy(h);
        return rc;
    }
    tumen_options o;
    tumen_options_init(&o);
    job_options(&o, ctx);
    tumen_capacity *c = NULL;
    rc = tumen_capacity_compute(sc, from, to, w->departure, w->until,
                                (tumen_line_type)w->line_type, &o, &c, err);
    if (rc == TUMEN_OK)
        rc = tumen_capacity_json(c, json, NULL, err);
    tumen_capacity_destroy(c);
    return rc;
}

/* The plan's JSON and, when it has one, the services it adds. */
static int special_plan(const tumen_scenario *sc, const job_ctx *ctx, char **json,
                        char **services, tumen_error *err)
{
    tumen_special_options so;
    tumen_special_options_init(&so);
    job_options(&so.common, ctx);
    tumen_special *sp = NULL;
    int rc = tumen_special_plan(sc, &so, &sp, err);
    if (rc == TUMEN_OK)
        rc = tumen_special_json(sp, json, NULL, err);
    if (rc == TUMEN_OK && tumen_special_feasible(sp) && tumen_special_has_plan(sp))
        rc = tumen_special_convoy_yaml(sp, services, NULL, err);
    tumen_special_destroy(sp);
    return rc;
}

static void work_do(void *input, const job_ctx *ctx, reply *out)
{
    work *w = input;
    tumen_scenario *sc = NULL;
    tumen_error err;
    memset(&err, 0, sizeof err);
    char *basis = NULL;
    if (scenario_now(w->scenario, 0, "request.json", w->kind == WORK_SPECIAL ? w->text : NULL,
                     &sc, w->kind == WORK_SPECIAL ? &basis : NULL, out) != 0)
        return;
    *ctx->progress = 0.1;
    char *json = NULL, *services = NULL;
    int threads = server_options()->compute_threads, rc = TUMEN_EUSAGE;
    switch (w->kind) {
    case WORK_RUN:
        rc = tumen_route_run_json(sc, w->train, w->a, w->b, w->departure, 2000, &json, &err);
        break;
    case WORK_CONFLICTS:
        rc = conflicts_json(sc, ctx, &json, &err);
        break;
    case WORK_DIAGRAM:
        rc = tumen_diagram_json(sc, w->a, w->b, threads, &json, &err);
        break;
    case WORK_HEADWAY:
    case WORK_CAPACITY:
        rc = line_json(sc, w, ctx, &json, &err);
        break;
    default:
        rc = special_plan(sc, ctx, &json, &services, &err);
        break;
    }
    scenario_release(sc);
    if (rc != TUMEN_OK)
        reply_tumen(out, &err);
    else if (w->kind != WORK_SPECIAL)
        reply_json(out, 200, json);
    else if (!services) /* infeasible: why, and the closest alternative */
        reply_json(out, 422, json);
    else
        special_store(w, basis, json, services, out);
    tumen_free(json);
    tumen_free(services);
    free(basis);
}

static work *work_new(const request *q, int kind, reply *r)
{
    work *w = calloc(1, sizeof *w);
    if (!w) {
        reply_error(r, 500, "out of memory");
        return NULL;
    }
    w->kind = kind;
    w->scenario = q->id[0];
    snprintf(w->who, sizeof w->who, "%s", q->who);
    return w;
}

/* ---- Handlers ------------------------------------------------------------------------------- */

static void h_health(const request *q, reply *r)
{
    reply_json(r, 200, "{\"status\":\"ok\",\"version\":\"" TUMEN_VERSION "\"}");
}

static void h_openapi(const request *q, reply *r)
{
    char *doc = openapi_document(server_routes, server_n_routes);
    if (doc)
        reply_take(r, 200, doc);
    else
        reply_error(r, 500, "out of memory");
}

static void h_whoami(const request *q, reply *r)
{
    static const char *const roles[] = {"none", "viewer", "planner", "admin"};
    json_t *o = json_pack("{s:s, s:s}", "name", q->who, "role", roles[q->role]);
    reply_take(r, 200, json_dumps(o, JSON_OUT));
    json_decref(o);
}

/* A file name as uploaded: letters, digits, '.', '_', '-'; not starting with '.'; no path. */
static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 100 || name[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

typedef struct upload {
    store_file files[32];
    size_t n;
    int bad;                 /* 1: a bad file name, 2: too many files, 3: memory */
    char bad_name[128];
} upload;

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    upload *u = cls;
    if (u->bad || !filename)
        return MHD_YES; /* a plain form field: not a file, ignored */
    store_file *f = u->n ? &u->files[u->n - 1] : NULL;
    if (!f || off == 0 || strcmp(f->name, filename)) {
        if (!name_ok(filename)) {
            u->bad = 1;
            tumen_text_clip(u->bad_name, sizeof u->bad_name, filename);
            return MHD_YES;
        }
        if (u->n == 32) {
            u->bad = 2;
            return MHD_YES;
        }
        f = &u->files[u->n++];
        f->name = strdup(filename);
        f->body = calloc(1, 1);
        if (!f->name || !f->body) {
            u->bad = 3;
            return MHD_YES;
        }
    }
    char *b = realloc(f->body, f->size + size + 1);
    if (!b) {
        u->bad = 3;
        return MHD_YES;
    }
    memcpy(b + f->size, data, size);
    f->body = b;
    f->size += size;
    b[f->size] = '\0';
    return MHD_YES;
}

/* The uploaded files: multipart parts with file names, or the whole body as one text. */
static int read_upload(const request *q, reply *r, upload *u)
{
    const char *type = request_header(q, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (type && !strncasecmp(type, "multipart/form-data", 19)) {
        struct MHD_PostProcessor *pp = MHD_create_post_processor(q->conn, 65536, on_part, u);
        if (!pp) {
            reply_error(r, 400, "a multipart body without a boundary");
            return -1;
        }
        MHD_post_process(pp, q->body, q->size);
        MHD_destroy_post_processor(pp);
    } else {
        const char *name = request_arg(q, "name");
        if (!name)
            name = type && strstr(type, "json")  ? "scenario.json"
                   : type && strstr(type, "xml") ? "scenario.xml"
                                                 : "scenario.yaml";
        if (!name_ok(name)) {
            u->bad = 1;
            tumen_text_clip(u->bad_name, sizeof u->bad_name, name);
        } else {
            u->files[0].name = strdup(name);
            u->files[0].body = malloc(q->size + 1);
            u->files[0].size = q->size;
            u->n = 1;
            if (!u->files[0].name || !u->files[0].body)
                u->bad = 3;
            else
                memcpy(u->files[0].body, q->body, q->size + 1);
        }
    }
    if (u->bad == 1)
        reply_error(r, 400, "file name '%s': only letters, digits, '.', '_' and '-', not "
                            "starting with '.' (no folders)", u->bad_name);
    else if (u->bad == 2)
        reply_error(r, 400, "at most 32 files in one scenario");
    else if (u->bad == 3)
        reply_error(r, 500, "out of memory");
    else if (u->n == 0)
        reply_error(r, 400, "no file: send one YAML/JSON text or multipart files with names");
    return u->bad || u->n == 0 ? -1 : 0;
}

static int ends_with(const char *name, const char *ext)
{
    size_t n = strlen(name), m = strlen(ext);
    return n > m && !strcasecmp(name + n - m, ext);
}

/* Files of another format (railML, OSRD railjson and rolling stock, OpenStreetMap) go
 * through the importers and are kept as the tumen YAML they give (NAME.yaml); a .json file
 * no importer knows is tumen JSON. 0, or -1 with a 400 naming the file. */
static int import_files(upload *u, json_t *imports, reply *r)
{
    for (size_t i = 0; i < u->n; i++) {
        store_file *f = &u->files[i];
        if (ends_with(f->name, ".yaml") || ends_with(f->name, ".yml"))
            continue;
        tumen_import *imp = NULL;
        tumen_error err;
        memset(&err, 0, sizeof err);
        int rc = tumen_import_memory(f->name, f->body, f->size, NULL, &imp, &err);
        if (rc == TUMEN_EPARSE && ends_with(f->name, ".json"))
            continue;
        char *yaml = NULL, *summary = NULL;
        size_t len = 0;
        if (rc == TUMEN_OK)
            rc = tumen_import_network_yaml(imp, &yaml, &len, &err);
        if (rc == TUMEN_OK)
            rc = tumen_import_summary_json(imp, &summary, NULL, &err);
        tumen_import_destroy(imp);
        if (rc != TUMEN_OK) {
            tumen_free(yaml);
            reply_tumen(r, &err);
            return -1;
        }
        json_t *sj = json_loads(summary, 0, NULL);
        json_array_append_new(imports, json_pack("{s:s, s:o}", "file", f->name, "summary",
                                                 sj ? sj : json_null()));
        tumen_free(summary);
        size_t n = strlen(f->name);
        char *name = malloc(n + 6);
        if (!name) {
            tumen_free(yaml);
            reply_error(r, 500, "out of memory");
            return -1;
        }
        memcpy(name, f->name, n);
        memcpy(name + n, ".yaml", 6);
        free(f->name);
        free(f->body);
        f->name = name;
        f->body = yaml;
        f->size = len;
    }
    return 0;
}

static void h_scenario_post(const request *q, reply *r)
{
    upload u;
    memset(&u, 0, sizeof u);
    const char *name = request_arg(q, "name");
    json_t *imports = json_array();
    if (read_upload(q, r, &u) == 0 && import_files(&u, imports, r) == 0) {
        const char *names[32], *texts[32];
        size_t lengths[32];
        for (size_t i = 0; i < u.n; i++) {
            names[i] = u.files[i].name;
            texts[i] = u.files[i].body;
            lengths[i] = u.files[i].size;
        }
        tumen_scenario *sc = NULL;
        tumen_error err;
        memset(&err, 0, sizeof err);
        long long id = 0;
        if (tumen_scenario_load_texts(&sc, names, texts, lengths, u.n, &err) != TUMEN_OK) {
            reply_tumen(r, &err);
        } else if (store_scenario_add(server_store(), name ? name : u.files[0].name, q->who,
                                      u.files, u.n, &id) != STORE_OK) {
            reply_error(r, 500, "the scenario cannot be stored");
        } else {
            json_t *o = json_pack("{s:I}", "id", (json_int_t)id);
            if (json_array_size(imports))
                json_object_set(o, "imports", imports);
            reply_take(r, 201, json_dumps(o, JSON_OUT));
            json_decref(o);
            snprintf(r->location, sizeof r->location, "/api/v1/scenarios/%lld", id);
        }
        tumen_scenario_destroy(sc);
    }
    json_decref(imports);
    for (size_t i = 0; i < u.n; i++) {
        free(u.files[i].name);
        free(u.files[i].body);
    }
}

static void h_scenarios_get(const request *q, reply *r)
{
    char *json = NULL;
    if (store_scenario_json(server_store(), 0, &json) == STORE_OK)
        reply_take(r, 200, json);
    else
        reply_error(r, 500, "the store cannot be read");
}

static void h_scenario_get(const request *q, reply *r)
{
    char *meta = NULL, *contents = NULL;
    int rc = store_scenario_json(server_store(), q->id[0], &meta);
    if (rc != STORE_OK) {
        reply_error(r, rc == STORE_NOTFOUND ? 404 : 500, "no scenario %lld", q->id[0]);
        return;
    }
    tumen_scenario *sc = NULL;
    tumen_error err;
    memset(&err, 0, sizeof err);
    if (scenario_now(q->id[0], 0, NULL, NULL, &sc, NULL, r) == 0) {
        if (tumen_scenario_json(sc, &contents, &err) != TUMEN_OK) {
            reply_tumen(r, &err);
        } else {
            json_t *o = json_loads(meta, 0, NULL), *c = json_loads(contents, 0, NULL);
            json_object_update(o, c);
            reply_take(r, 200, json_dumps(o, JSON_OUT));
            json_decref(o);
            json_decref(c);
        }
    }
    scenario_release(sc);
    free(meta);
    tumen_free(contents);
}

/* "HH:MM[:SS]" or seconds after midnight; -1 if neither. */
static double clock_value(const json_t *v)
{
    if (json_is_number(v))
        return json_number_value(v);
    int h = 0, m = 0, s = 0;
    const char *t = json_string_value(v);
    if (t && sscanf(t, "%d:%d:%d", &h, &m, &s) >= 2 && h >= 0 && h < 48 && m >= 0 && m < 60 &&
        s >= 0 && s < 60)
        return h * 3600.0 + m * 60.0 + s;
    return -1.0;
}

/* o[key], a string of any length, into *dst (owned by the work). 0, or -1 with a reply. */
static int copy_field(const json_t *o, const char *key, char **dst, reply *r)
{
    const char *v = json_string_value(json_object_get(o, key));
    if (!v) {
        reply_error(r, 400, "request body: %s: a string is required", key);
        return -1;
    }
    if (!(*dst = strdup(v))) {
        reply_error(r, 500, "out of memory");
        return -1;
    }
    return 0;
}

/* from and to of the query into w->a, w->b; 0, or -1 with a reply. */
static int copy_ends(const char *from, const char *to, work *w, reply *r)
{
    if (!from || !to) {
        reply_error(r, 400, "query: from and to (operational point ids) are required");
        return -1;
    }
    if (!(w->a = strdup(from)) || !(w->b = strdup(to))) {
        reply_error(r, 500, "out of memory");
        return -1;
    }
    return 0;
}

static void h_runs(const request *q, reply *r)
{
    json_t *o;
    if (body_object(q, r, &o) != 0)
        return;
    work *w = work_new(q, WORK_RUN, r);
    const json_t *dep = json_object_get(o, "departure");
    if (w && (copy_field(o, "train", &w->train, r) || copy_field(o, "from", &w->a, r) ||
              copy_field(o, "to", &w->b, r))) {
        work_free(w);
        w = NULL;
    } else if (w && dep && (w->departure = clock_value(dep)) < 0) {
        reply_error(r, 400, "request body: departure: HH:MM or seconds after midnight");
        work_free(w);
        w = NULL;
    }
    json_decref(o);
    if (w)
        job_run(q, r, work_do, w, work_free);
}

static void h_conflicts(const request *q, reply *r)
{
    work *w = work_new(q, WORK_CONFLICTS, r);
    if (w)
        job_run(q, r, work_do, w, work_free);
}

static void h_diagram(const request *q, reply *r)
{
    const char *from = request_arg(q, "from"), *to = request_arg(q, "to");
    if (!from || !to) {
        reply_error(r, 400, "query: from and to (operational point ids) are required");
        return;
    }
    work *w = work_new(q, WORK_DIAGRAM, r);
    if (!w)
        return;
    if (copy_ends(from, to, w, r)) {
        work_free(w);
        return;
    }
    job_run(q, r, work_do, w, work_free);
}

/* ?from=A&to=B into w->a, w->b; 0, or -1 with a 400. */
static int line_args(const request *q, work *w, reply *r)
{
    return copy_ends(request_arg(q, "from"), request_arg(q, "to"), w, r);
}

/* GET .../headway?from=A&to=B&trains=T1,T2 */
static void h_headway(const request *q, reply *r)
{
    work *w = work_new(q, WORK_HEADWAY, r);
    const char *trains = request_arg(q, "trains");
    const char *comma = trains ? strchr(trains, ',') : NULL;
    if (w && line_args(q, w, r) == 0) {
        if (!comma) {
            reply_error(r, 400, "query: trains=T1,T2 (two train ids) is required");
        } else if (!(w->train = strndup(trains, (size_t)(comma - trains))) ||
                   !(w->train2 = strdup(comma + 1))) {
            reply_error(r, 500, "out of memory");
        } else {
            job_run(q, r, work_do, w, work_free);
            return;
        }
    }
    if (w)
        work_free(w);
}

/* GET .../capacity?from=A&to=B&window=06:00-09:00[&type=mixed|suburban|high-speed] */
static void h_capacity(const request *q, reply *r)
{
    work *w = work_new(q, WORK_CAPACITY, r);
    const char *window = request_arg(q, "window"), *type = request_arg(q, "type");
    char a[32] = "", b[32] = "";
    tumen_error err;
    memset(&err, 0, sizeof err);
    if (w && line_args(q, w, r) == 0) {
        const char *dash = window ? strchr(window, '-') : NULL;
        if (dash && (size_t)(dash - window) < sizeof a && strlen(dash + 1) < sizeof b) {
            snprintf(a, sizeof a, "%.*s", (int)(dash - window), window);
            snprintf(b, sizeof b, "%s", dash + 1);
        }
        w->line_type = !type || !strcmp(type, "mixed") ? TUMEN_LINE_MIXED
                       : !strcmp(type, "suburban")    ? TUMEN_LINE_SUBURBAN
                       : !strcmp(type, "high-speed")  ? TUMEN_LINE_HIGH_SPEED
                                                      : -1;
        if (w->line_type < 0)
            reply_error(r, 400, "query: type is mixed, suburban or high-speed");
        else if (!dash || tumen_parse_clock(a, &w->departure, &err) != TUMEN_OK ||
                 tumen_parse_clock(b, &w->until, &err) != TUMEN_OK)
            reply_error(r, 400, "query: window=HH:MM-HH:MM is required");
        else {
            job_run(q, r, work_do, w, work_free);
            return;
        }
    }
    if (w)
        work_free(w);
}

/* POST .../special: the request (the `special:` mapping of docs/formats.md, as JSON; or an
 * object holding it under "special"). Its id gets a unique suffix: the convoy's services
 * must not clash with another plan's. */
static void h_special(const request *q, reply *r)
{
    json_t *o;
    if (body_object(q, r, &o) != 0)
        return;
    json_t *req = json_object_get(o, "special");
    req = json_is_object(req) ? json_incref(req) : json_incref(o);
    const char *id = json_string_value(json_object_get(req, "id"));
    unsigned char raw[4];
    char tag[9];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(tag, sizeof tag, raw, sizeof raw);
    work *w = work_new(q, WORK_SPECIAL, r);
    /* whole: a special's id too long for its services' ids is refused by the reader */
    const char *base = id ? id : "special";
    size_t n = strlen(base) + 1 + strlen(tag) + 1;
    if (w && !(w->convoy = malloc(n))) {
        reply_error(r, 500, "out of memory");
        work_free(w);
        w = NULL;
    }
    if (w) {
        snprintf(w->convoy, n, "%s-%s", base, tag);
        json_object_set_new(req, "id", json_string(w->convoy));
        json_t *doc = json_pack("{s:O}", "special", req);
        w->text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(doc);
    }
    json_decref(req);
    json_decref(o);
    if (w && !w->text) {
        work_free(w);
        reply_error(r, 500, "out of memory");
    } else if (w) {
        job_run(q, r, work_do, w, work_free);
    }
}

static void h_plan_get(const request *q, reply *r)
{
    long long scenario = 0;
    char *plan = NULL, *services = NULL;
    int rc = store_plan_get(server_store(), q->id[1], &scenario, &plan, &services);
    if (rc == STORE_OK && scenario == q->id[0])
        reply_take(r, 200, plan);
    else {
        free(plan);
        reply_error(r, rc == STORE_ERROR ? 500 : 404, "no plan %lld in scenario %lld", q->id[1],
                    q->id[0]);
    }
    free(services);
}

static void h_bookings_get(const request *q, reply *r)
{
    char *json = NULL;
    if (store_bookings_json(server_store(), q->id[0], &json) == STORE_OK)
        reply_take(r, 200, json);
    else
        reply_error(r, 500, "the store cannot be read");
}

static void h_audit(const request *q, reply *r)
{
    char *json = NULL;
    if (store_audit_json(server_store(), q->id[0], &json) == STORE_OK)
        reply_take(r, 200, json);
    else
        reply_error(r, 500, "the store cannot be read");
}

/* ---- The route table ------------------------------------------------------------------------ */

#define S "/api/v1/scenarios/{id}"
const route server_routes[] = {
    {"GET", "/api/v1/health", ROLE_NONE, h_health, "The service is up (no token needed).", NULL,
     "200"},
    {"GET", "/openapi.json", ROLE_NONE, h_openapi, "This OpenAPI 3 document.", NULL, "200"},
    {"GET", "/api/v1/whoami", ROLE_VIEWER, h_whoami, "The token's name and role.", NULL,
     "200 401"},
    {"POST", "/api/v1/scenarios", ROLE_ADMIN, h_scenario_post,
     "Upload a scenario: one text (?name=FILE) or multipart files: tumen YAML/JSON, or railML, "
     "OSRD railjson and rolling stock, OpenStreetMap through the importers. Answers {\"id\"} "
     "(and each import's summary).",
     "{\"type\":\"string\",\"format\":\"binary\"}", "201 400 401 403 413"},
    {"GET", "/api/v1/scenarios", ROLE_VIEWER, h_scenarios_get, "The scenarios.", NULL, "200 401"},
    {"GET", S, ROLE_VIEWER, h_scenario_get,
     "A scenario: its files, trains, points and the services of its timetable as it is now "
     "(with the booked ones).",
     NULL, "200 401 404"},
    {"POST", S "/runs", ROLE_VIEWER, h_runs,
     "Route and run a train (as tumen run --json, with route and profile).",
     "{\"type\":\"object\",\"required\":[\"train\",\"from\",\"to\"],\"properties\":{\"train\":"
     "{\"type\":\"string\"},\"from\":{\"type\":\"string\"},\"to\":{\"type\":\"string\"},"
     "\"departure\":{\"type\":\"string\",\"example\":\"08:00\"}}}",
     "200 202 400 401 404 422"},
    {"GET", S "/conflicts", ROLE_VIEWER, h_conflicts,
     "Conflicts of the timetable as it is now (as tumen conflicts --json).", NULL,
     "200 202 401 404"},
    {"GET", S "/diagram", ROLE_VIEWER, h_diagram,
     "Time-distance diagram data of the line ?from=A&to=B: paths, blocking stairs, conflicts.",
     NULL, "200 202 400 401 404"},
    {"GET", S "/headway", ROLE_VIEWER, h_headway,
     "Minimum headway of two trains on the line ?from=A&to=B&trains=T1,T2 (as tumen headway "
     "--json).",
     NULL, "200 202 400 401 404 422"},
    {"GET", S "/capacity", ROLE_VIEWER, h_capacity,
     "Occupancy of the line ?from=A&to=B in ?window=HH:MM-HH:MM by UIC 406 compression "
     "(&type=mixed|suburban|high-speed; as tumen capacity --json).",
     NULL, "200 202 400 401 404"},
    {"POST", S "/special", ROLE_PLANNER, h_special,
     "Plan a special train (the special: request of docs/formats.md as JSON, fit or priority "
     "mode): the plan with its plan_id.",
     "{\"type\":\"object\",\"required\":[\"train\",\"from\",\"to\"]}",
     "201 202 400 401 403 404 422"},
    {"GET", S "/plans/{plan_id}", ROLE_VIEWER, h_plan_get, "A stored plan.", NULL,
     "200 401 404"},
    {"POST", S "/bookings", ROLE_PLANNER, h_booking_post,
     "Book a plan: re-checked against the timetable as it is now in one transaction; 409 names "
     "the conflicting booking. A priority plan books whole: the trains it holds are retimed, "
     "those it cancels leave the day (refused with 409 when another booking changed one of "
     "them since the plan was made); the answer and the audit trail say which.",
     "{\"type\":\"object\",\"required\":[\"plan_id\"],\"properties\":{\"plan_id\":{\"type\":"
     "\"integer\"}}}",
     "201 202 400 401 403 404 409"},
    {"GET", S "/bookings", ROLE_VIEWER, h_bookings_get, "The bookings, cancelled ones too.", NULL,
     "200 401"},
    {"DELETE", S "/bookings/{booking_id}", ROLE_PLANNER, h_booking_delete,
     "Cancel a booking: the trains it held or cancelled are restored, in one transaction; "
     "409 naming the later booking that rests on them (changed one again, or conflicts with a "
     "restored train): cancel that one first.",
     NULL, "200 202 401 403 404 409"},
    {"GET", S "/audit", ROLE_VIEWER, h_audit,
     "Who booked and cancelled what, when; detail: the trains a booking held and cancelled, "
     "or a cancellation restored.", NULL,
     "200 401"},
    {"GET", "/api/v1/jobs/{id}", ROLE_VIEWER, jobs_get,
     "A long request: state, progress and, when done, status and result.", NULL, "200 401 404"},
    {"DELETE", "/api/v1/jobs/{id}", ROLE_VIEWER, jobs_cancel,
     "Cancel a long request: its computation stops (state cancelling, then cancelled once it "
     "has).", NULL,
     "200 401 404"},
};
#undef S
const size_t server_n_routes = sizeof server_routes / sizeof server_routes[0];
