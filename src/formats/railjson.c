/* railjson.c: OSRD railjson infrastructure (3.x): track sections with their shapes, slopes
 * and curves; switches (their ports are one place, and the moves their type allows are the
 * network's connections: OSRD's built-in types and the file's extended_switch_types); speed
 * sections; electrifications; neutral sections (traction cut, per direction); signals;
 * operational points with their parts. Buffer stops and detectors are left to the track
 * ends and the signals (tumen has no detectors).
 *
 * Errors name the JSON path ("switches[3].ports.A.track") and the element's id; jansson
 * keeps no line per value, so the import finds the line from the path (tm_json_line).
 * Curve radii are 0 (straight) or at least TM_RJ_MIN_RADIUS in magnitude (the sign is the
 * side); directions are START_TO_STOP, STOP_TO_START or BOTH; anything else is an error.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "formats/import_reader.h"

#define TM_RJ_MIN_RADIUS 25.0 /* m: tighter than any railway curve (tramways ~ 15-25 m) */

typedef struct id_ix {
    const char *id;
    size_t index;
} id_ix;

typedef struct rj {
    tm_import_ctx *ctx;
    const char *file;
    tumen_error *err;
    id_ix *tracks;
    size_t n_tracks;
} rj;

static int cmp_ix(const void *a, const void *b)
{
    return strcmp(((const id_ix *)a)->id, ((const id_ix *)b)->id);
}

static int jerr(rj *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int jerr(rj *r, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    tm_vsnclip(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tm_error_set(r->err, TUMEN_EINPUT, r->file, 0, path, "%s", msg);
}

static int oom(rj *r)
{
    return tm_error_set(r->err, TUMEN_ENOMEM, r->file, 0, NULL, "out of memory");
}

/* obj[key] as a string (required). */
static int get_string(rj *r, const json_t *obj, const char *path, const char *key,
                      const char **out)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return jerr(r, path, "missing or not a string: '%s'", key);
    *out = json_string_value(v);
    if (!strcmp(key, "id")) /* refused rather than cut; read_json finds the line */
        return tm_id_check(*out, r->file, 0, path, r->err);
    return TUMEN_OK;
}

/* obj[key] as a number within [lo, hi] (required). */
static int get_number(rj *r, const json_t *obj, const char *path, const char *key, double lo,
                      double hi, const char *unit, double *out)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_number(v))
        return jerr(r, path, "missing or not a number: '%s'", key);
    double x = json_number_value(v);
    if (!(x >= lo && x <= hi))
        return jerr(r, path, "%s = %g is out of range (%g to %g %s)", key, x, lo, hi, unit);
    *out = x;
    return TUMEN_OK;
}

/* Item i of a [lon, lat] point as a number within +-limit degrees. */
static int get_coordinate(rj *r, const json_t *pt, const char *path, size_t i, double limit,
                          double *out)
{
    const json_t *v = json_array_get(pt, i);
    if (!json_is_array(pt) || json_array_size(pt) < 2 || !json_is_number(v))
        return jerr(r, path, "a point is [longitude, latitude] in degrees");
    double x = json_number_value(v);
    if (!(fabs(x) <= limit))
        return jerr(r, path, "%s = %g is out of range (-%g to %g degrees)",
                    i ? "latitude" : "longitude", x, limit, limit);
    *out = x;
    return TUMEN_OK;
}

static size_t find_track(const rj *r, const char *id)
{
    id_ix key = {id, 0};
    const id_ix *hit = bsearch(&key, r->tracks, r->n_tracks, sizeof *r->tracks, cmp_ix);
    return hit ? hit->index : (size_t)-1;
}

/* A track reference with a position on it, checked against its length. */
static int track_pos(rj *r, const json_t *obj, const char *path, const char *pos_key,
                     size_t *track, double *pos)
{
    const char *id = NULL;
    int rc = get_string(r, obj, path, "track", &id);
    if (rc != TUMEN_OK)
        return rc;
    *track = find_track(r, id);
    if (*track == (size_t)-1)
        return jerr(r, path, "refers to track section '%s', which is not in the file", id);
    if (!pos_key)
        return TUMEN_OK;
    double len = r->ctx->graph.tracks.items[*track].length;
    return get_number(r, obj, path, pos_key, -1e-3, len + 1e-3, "m on its track", pos);
}

static int read_track_sections(rj *r, const json_t *list)
{
    size_t i;
    const json_t *t;
    tm_import_graph *g = &r->ctx->graph;
    r->tracks = malloc((json_array_size(list) + 1) * sizeof *r->tracks);
    if (!r->tracks)
        return oom(r);
    json_array_foreach(list, i, t) {
        char path[64];
        snprintf(path, sizeof path, "track_sections[%zu]", i);
        const char *id = NULL;
        double length = 0.0;
        int rc = get_string(r, t, path, "id", &id);
        if (rc == TUMEN_OK)
            rc = get_number(r, t, path, "length", 1e-3, 1e7, "m", &length);
        if (rc != TUMEN_OK)
            return rc;
        size_t k = tm_ig_track_add(g, id, length);
        if (k == (size_t)-1)
            return oom(r);
        r->tracks[r->n_tracks++] = (id_ix){id, k};
        r->ctx->out->summary.tracks++;
        r->ctx->out->summary.length_m += length;
        const json_t *coords = json_object_get(json_object_get(t, "geo"), "coordinates");
        size_t j;
        const json_t *pt;
        json_array_foreach(coords, j, pt) {
            char sub[128];
            double lon = 0.0, lat = 0.0;
            snprintf(sub, sizeof sub, "%s.geo.coordinates[%zu]", path, j);
            rc = get_coordinate(r, pt, sub, 0, 180.0, &lon);
            if (rc == TUMEN_OK)
                rc = get_coordinate(r, pt, sub, 1, 90.0, &lat);
            if (rc != TUMEN_OK)
                return rc;
            if (tm_ig_shape_add(g, k, lat, lon))
                return oom(r);
        }
        static const char *const kinds[2] = {"slopes", "curves"};
        for (int c = 0; c < 2; c++) {
            const json_t *items = json_object_get(t, kinds[c]);
            const json_t *it;
            size_t m;
            json_array_foreach(items, m, it) {
                char sub[96];
                double from = 0.0, to = 0.0, value = 0.0;
                snprintf(sub, sizeof sub, "%s.%s[%zu]", path, kinds[c], m);
                rc = get_number(r, it, sub, "begin", -1e-3, length + 1e-3, "m", &from);
                if (rc == TUMEN_OK)
                    rc = get_number(r, it, sub, "end", -1e-3, length + 1e-3, "m", &to);
                if (rc == TUMEN_OK)
                    rc = c == 0 ? get_number(r, it, sub, "gradient", -1000, 1000, "permille",
                                             &value)
                                : get_number(r, it, sub, "radius", -1e8, 1e8, "m", &value);
                if (rc == TUMEN_OK && c == 1 && value != 0.0 && fabs(value) < TM_RJ_MIN_RADIUS)
                    rc = jerr(r, sub, "radius = %g m: a curve is straight (0) or at least %g m",
                              value, TM_RJ_MIN_RADIUS);
                if (rc != TUMEN_OK)
                    return rc;
                if (c == 0)
                    r->ctx->out->summary.gradient_changes++;
                else
                    r->ctx->out->summary.curve_changes++;
                if (tm_ig_range_add(g, k, c == 0 ? TM_IG_GRADIENT : TM_IG_RADIUS, from, to, 1,
                                    c == 0 ? value / 1000.0 : fabs(value)))
                    return oom(r);
            }
        }
    }
    qsort(r->tracks, r->n_tracks, sizeof *r->tracks, cmp_ix);
    for (size_t k = 1; k < r->n_tracks; k++)
        if (!strcmp(r->tracks[k].id, r->tracks[k - 1].id))
            return jerr(r, "track_sections", "duplicate track section id '%s'",
                        r->tracks[k].id);
    return TUMEN_OK;
}

/* A switch type: its ports and the moves between them (OSRD's groups, every group's
 * connections together: a route may set the switch to any group). */
#define MAX_PORTS 8
#define MAX_MOVES 16
typedef struct switch_type {
    const char *id;
    const char *ports[MAX_PORTS];
    size_t n_ports;
    unsigned char move[MAX_MOVES][2]; /* port indexes */
    size_t n_moves;
} switch_type;

/* OSRD's built-in switch types (railjson 3: point_switch, link, crossing, single and double
 * slip switches, with the groups OSRD defines for them). */
static const switch_type builtin_types[] = {
    {"point_switch", {"A", "B1", "B2"}, 3, {{0, 1}, {0, 2}}, 2},
    {"link", {"A", "B"}, 2, {{0, 1}}, 1},
    {"crossing", {"A1", "B1", "A2", "B2"}, 4, {{0, 1}, {2, 3}}, 2},
    {"single_slip_switch", {"A1", "B1", "A2", "B2"}, 4, {{0, 1}, {2, 3}, {0, 3}}, 3},
    {"double_slip_switch", {"A1", "B1", "A2", "B2"}, 4, {{0, 1}, {0, 3}, {2, 1}, {2, 3}}, 4},
};

static int port_index(const switch_type *t, const char *name)
{
    for (size_t i = 0; i < t->n_ports; i++)
        if (!strcmp(t->ports[i], name))
            return (int)i;
    return -1;
}

/* Adds a move a-b to t unless it has it (either way round). */
static int add_move(switch_type *t, int a, int b)
{
    for (size_t i = 0; i < t->n_moves; i++)
        if ((t->move[i][0] == a && t->move[i][1] == b) || (t->move[i][0] == b && t->move[i][1] == a))
            return 0;
    if (t->n_moves == MAX_MOVES)
        return -1;
    t->move[t->n_moves][0] = (unsigned char)a;
    t->move[t->n_moves][1] = (unsigned char)b;
    t->n_moves++;
    return 0;
}

/* One entry of extended_switch_types: {id, ports: [...], groups: {name: [{src, dst}]}}. */
static int read_switch_type(rj *r, const json_t *obj, const char *path, switch_type *t)
{
    memset(t, 0, sizeof *t);
    int rc = get_string(r, obj, path, "id", &t->id);
    if (rc != TUMEN_OK)
        return rc;
    const json_t *ports = json_object_get(obj, "ports");
    if (!json_is_array(ports) || json_array_size(ports) == 0 || json_array_size(ports) > MAX_PORTS)
        return jerr(r, path, "switch type '%s': ports must be a list of 1 to %d names",
                    t->id, MAX_PORTS);
    size_t i;
    const json_t *p;
    json_array_foreach(ports, i, p) {
        if (!json_is_string(p))
            return jerr(r, path, "switch type '%s': port %zu is not a name", t->id, i);
        t->ports[t->n_ports++] = json_string_value(p);
    }
    const json_t *groups = json_object_get(obj, "groups");
    if (!json_is_object(groups))
        return jerr(r, path, "switch type '%s': groups must be an object", t->id);
    const char *gname;
    const json_t *group;
    json_object_foreach((json_t *)groups, gname, group) {
        const json_t *c;
        json_array_foreach(group, i, c) {
            const char *src = json_string_value(json_object_get(c, "src"));
            const char *dst = json_string_value(json_object_get(c, "dst"));
            int a = src ? port_index(t, src) : -1, b = dst ? port_index(t, dst) : -1;
            if (a < 0 || b < 0)
                return jerr(r, path, "switch type '%s': group '%s' connects a port it "
                            "does not have", t->id, gname);
            if (add_move(t, a, b))
                return jerr(r, path, "switch type '%s': more than %d moves", t->id,
                            MAX_MOVES);
        }
    }
    return TUMEN_OK;
}

static const switch_type *find_type(const switch_type *ext, size_t n_ext, const char *id)
{
    for (size_t i = 0; i < n_ext; i++)
        if (!strcmp(ext[i].id, id))
            return &ext[i];
    for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++)
        if (!strcmp(builtin_types[i].id, id))
            return &builtin_types[i];
    return NULL;
}

/* A port of a switch: the raw track and which of its ends. */
typedef struct port_end {
    size_t track;
    int end;
    int given;
} port_end;

static int read_switch(rj *r, const json_t *sw, const char *path, const switch_type *ext,
                       size_t n_ext)
{
    tm_import_graph *g = &r->ctx->graph;
    const char *id = NULL, *type_id = NULL;
    int rc = get_string(r, sw, path, "id", &id);
    if (rc != TUMEN_OK)
        return rc;
    r->ctx->out->summary.switches++;
    if (json_is_string(json_object_get(sw, "switch_type")))
        type_id = json_string_value(json_object_get(sw, "switch_type"));
    const switch_type *type = type_id ? find_type(ext, n_ext, type_id) : NULL;
    if (type_id && !type)
        return jerr(r, path, "switch '%s': unknown switch type '%s'", id, type_id);
    const json_t *label = json_object_get(json_object_get(json_object_get(sw, "extensions"),
                                                          "sncf"), "label");
    size_t node = tm_ig_node_add(g, id, json_string_value(label), TM_IG_SWITCH, TM_OP_JUNCTION);
    if (node == (size_t)-1)
        return oom(r);
    const json_t *ports = json_object_get(sw, "ports");
    if (!json_is_object(ports) || json_object_size(ports) == 0)
        return jerr(r, path, "switch '%s' has no ports", id);
    port_end ends[MAX_PORTS];
    memset(ends, 0, sizeof ends);
    const char *name;
    const json_t *port;
    json_object_foreach((json_t *)ports, name, port) {
        char sub[128];
        tm_snclip(sub, sizeof sub, "%s.ports.%s", path, name);
        size_t k = 0;
        const char *endpoint = NULL;
        rc = track_pos(r, port, sub, NULL, &k, NULL);
        if (rc == TUMEN_OK)
            rc = get_string(r, port, sub, "endpoint", &endpoint);
        if (rc != TUMEN_OK)
            return rc;
        if (strcmp(endpoint, "BEGIN") && strcmp(endpoint, "END"))
            return jerr(r, sub, "endpoint '%s' is neither BEGIN nor END", endpoint);
        int end = !strcmp(endpoint, "END");
        tm_ig_join(g, node, tm_ig_track_end(g, k, end));
        int pi = type ? port_index(type, name) : -1;
        if (type && pi < 0)
            return jerr(r, sub, "switch '%s': a %s has no port '%s'", id, type->id,
                        name);
        if (pi >= 0)
            ends[pi] = (port_end){k, end, 1};
    }
    /* The legal moves of its type, between the ports the switch gives. */
    for (size_t m = 0; type && m < type->n_moves; m++) {
        const port_end *a = &ends[type->move[m][0]], *b = &ends[type->move[m][1]];
        if (!a->given || !b->given)
            continue;
        if (tm_ig_link_add(g, a->track, a->end, b->track, b->end, 0.0))
            return oom(r);
        r->ctx->out->summary.switch_connections++;
    }
    return TUMEN_OK;
}

static int read_switches(rj *r, const json_t *list, const json_t *types)
{
    switch_type *ext = NULL;
    size_t n_ext = json_array_size(types), i;
    if (n_ext && !(ext = calloc(n_ext, sizeof *ext)))
        return oom(r);
    int rc = TUMEN_OK;
    const json_t *item;
    json_array_foreach(types, i, item) {
        char path[64];
        snprintf(path, sizeof path, "extended_switch_types[%zu]", i);
        if ((rc = read_switch_type(r, item, path, &ext[i])) != TUMEN_OK)
            break;
    }
    json_array_foreach(list, i, item) {
        if (rc != TUMEN_OK)
            break;
        char path[64];
        snprintf(path, sizeof path, "switches[%zu]", i);
        rc = read_switch(r, item, path, ext, n_ext);
    }
    free(ext);
    return rc;
}

/* obj[key] as a direction: 1 START_TO_STOP, -1 STOP_TO_START, 0 BOTH or absent. */
static int get_direction(rj *r, const json_t *obj, const char *path, const char *key, int *dir)
{
    const json_t *v = json_object_get(obj, key);
    const char *d = json_string_value(v);
    *dir = 0;
    if (!v || (d && !strcmp(d, "BOTH")))
        return TUMEN_OK;
    if (d && !strcmp(d, "START_TO_STOP"))
        *dir = 1;
    else if (d && !strcmp(d, "STOP_TO_START"))
        *dir = -1;
    else
        return jerr(r, path, "%s = '%s' is not START_TO_STOP, STOP_TO_START or BOTH", key,
                    d ? d : "(not a string)");
    return TUMEN_OK;
}

/* track_ranges of a speed section or an electrification. */
static int read_ranges(rj *r, const json_t *obj, const char *path, tm_ig_prop prop, double value)
{
    const json_t *ranges = json_object_get(obj, "track_ranges");
    size_t i;
    const json_t *tr;
    json_array_foreach(ranges, i, tr) {
        char sub[96];
        snprintf(sub, sizeof sub, "%s.track_ranges[%zu]", path, i);
        size_t k = 0;
        double from = 0.0, to = 0.0;
        int rc = track_pos(r, tr, sub, "begin", &k, &from);
        if (rc == TUMEN_OK)
            rc = get_number(r, tr, sub, "end", -1e-3,
                            r->ctx->graph.tracks.items[k].length + 1e-3, "m on its track", &to);
        int dir = 0;
        if (rc == TUMEN_OK)
            rc = get_direction(r, tr, sub, "applicable_directions", &dir);
        if (rc != TUMEN_OK)
            return rc;
        if (tm_ig_range_add(&r->ctx->graph, k, prop, from, to, dir, value))
            return oom(r);
    }
    return TUMEN_OK;
}

static int read_speed_sections(rj *r, const json_t *list)
{
    size_t i;
    const json_t *s;
    json_array_foreach(list, i, s) {
        char path[64];
        snprintf(path, sizeof path, "speed_sections[%zu]", i);
        r->ctx->out->summary.speed_changes++;
        const json_t *limit = json_object_get(s, "speed_limit");
        if (json_is_null(limit) || !limit)
            continue; /* only limits by tag (train categories): not the basic profile */
        double v = 0.0;
        int rc = get_number(r, s, path, "speed_limit", 0.1, 300.0, "m/s", &v);
        if (rc == TUMEN_OK && json_object_get(s, "on_routes") &&
            !json_is_null(json_object_get(s, "on_routes")))
            continue; /* applies only on given routes: tumen has no routes there */
        if (rc == TUMEN_OK)
            rc = read_ranges(r, s, path, TM_IG_SPEED, v);
        if (rc != TUMEN_OK)
            return rc;
    }
    return TUMEN_OK;
}

static int read_electrifications(rj *r, const json_t *list)
{
    size_t i;
    const json_t *e;
    json_array_foreach(list, i, e) {
        char path[64], text[64];
        snprintf(path, sizeof path, "electrifications[%zu]", i);
        const char *volt = NULL;
        int rc = get_string(r, e, path, "voltage", &volt);
        if (rc != TUMEN_OK)
            return rc;
        tm_utf8_clip(text, sizeof text, volt);
        tm_electrification sys;
        if (tm_electrification_parse(text, &sys))
            return jerr(r, path, "unknown voltage '%s' (expected e.g. 1500V or 25000V)", volt);
        rc = read_ranges(r, e, path, TM_IG_ELEC, (double)sys);
        if (rc != TUMEN_OK)
            return rc;
    }
    return TUMEN_OK;
}

/* Neutral sections: their track_ranges (each with its direction) cut traction; the
 * announcement ranges only warn the driver and are not read. */
static int read_neutral_sections(rj *r, const json_t *list)
{
    size_t i;
    const json_t *ns;
    json_array_foreach(list, i, ns) {
        size_t j;
        const json_t *tr;
        json_array_foreach(json_object_get(ns, "track_ranges"), j, tr) {
            char sub[96];
            snprintf(sub, sizeof sub, "neutral_sections[%zu].track_ranges[%zu]", i, j);
            size_t k = 0;
            double from = 0.0, to = 0.0;
            int dir = 0;
            int rc = track_pos(r, tr, sub, "begin", &k, &from);
            if (rc == TUMEN_OK)
                rc = get_number(r, tr, sub, "end", -1e-3,
                                r->ctx->graph.tracks.items[k].length + 1e-3, "m on its track",
                                &to);
            if (rc == TUMEN_OK)
                rc = get_direction(r, tr, sub, "direction", &dir);
            if (rc != TUMEN_OK)
                return rc;
            if (tm_ig_range_add(&r->ctx->graph, k, TM_IG_NEUTRAL, from, to, dir, 0.0))
                return oom(r);
        }
    }
    return TUMEN_OK;
}

static int read_signals(rj *r, const json_t *list)
{
    size_t i;
    const json_t *s;
    json_array_foreach(list, i, s) {
        char path[64];
        snprintf(path, sizeof path, "signals[%zu]", i);
        size_t k = 0;
        double pos = 0.0;
        const char *id = NULL;
        int rc = get_string(r, s, path, "id", &id);
        if (rc == TUMEN_OK)
            rc = track_pos(r, s, path, "position", &k, &pos);
        int dir = 0;
        if (rc == TUMEN_OK)
            rc = get_direction(r, s, path, "direction", &dir);
        if (rc != TUMEN_OK)
            return rc;
        r->ctx->out->summary.signals++;
        if (tm_ig_signal_add(&r->ctx->graph, k, pos, dir, id))
            return oom(r);
    }
    return TUMEN_OK;
}

static int read_operational_points(rj *r, const json_t *list)
{
    size_t i;
    const json_t *op;
    tm_import_graph *g = &r->ctx->graph;
    json_array_foreach(list, i, op) {
        char path[64];
        snprintf(path, sizeof path, "operational_points[%zu]", i);
        const char *id = NULL;
        int rc = get_string(r, op, path, "id", &id);
        if (rc != TUMEN_OK)
            return rc;
        r->ctx->out->summary.operational_points++;
        const json_t *name =
            json_object_get(json_object_get(json_object_get(op, "extensions"), "identifier"),
                            "name");
        size_t node = tm_ig_node_add(g, id, json_string_value(name), TM_IG_OP, TM_OP_STATION);
        if (node == (size_t)-1)
            return oom(r);
        const json_t *parts = json_object_get(op, "parts");
        size_t j;
        const json_t *part;
        json_array_foreach(parts, j, part) {
            char sub[96];
            snprintf(sub, sizeof sub, "%s.parts[%zu]", path, j);
            size_t k = 0;
            double pos = 0.0;
            rc = track_pos(r, part, sub, "position", &k, &pos);
            if (rc != TUMEN_OK)
                return rc;
            if (tm_ig_cut_add(g, k, pos, node))
                return oom(r);
        }
    }
    return TUMEN_OK;
}

int tm_railjson_read(tm_import_ctx *ctx, json_t *root, tumen_error *err)
{
    rj r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.file = ctx->file;
    r.err = err;
    if (!json_is_object(root))
        return jerr(&r, NULL, "the top level must be an object (a railjson infrastructure)");
    const char *version = json_string_value(json_object_get(root, "version"));
    tm_utf8_clip(ctx->out->version, sizeof ctx->out->version, version ? version : "");
    const json_t *ts = json_object_get(root, "track_sections");
    if (!json_is_array(ts))
        return jerr(&r, "track_sections", "must be a list of track sections");
    int rc = read_track_sections(&r, ts);
    if (rc == TUMEN_OK)
        rc = read_switches(&r, json_object_get(root, "switches"),
                           json_object_get(root, "extended_switch_types"));
    if (rc == TUMEN_OK)
        rc = read_speed_sections(&r, json_object_get(root, "speed_sections"));
    if (rc == TUMEN_OK)
        rc = read_electrifications(&r, json_object_get(root, "electrifications"));
    if (rc == TUMEN_OK)
        rc = read_neutral_sections(&r, json_object_get(root, "neutral_sections"));
    if (rc == TUMEN_OK)
        rc = read_signals(&r, json_object_get(root, "signals"));
    if (rc == TUMEN_OK)
        rc = read_operational_points(&r, json_object_get(root, "operational_points"));
    free(r.tracks);
    if (rc == TUMEN_OK)
        rc = tm_import_finish_network(ctx, err);
    return rc;
}
