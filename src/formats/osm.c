/* osm.c: OpenStreetMap XML and PBF through readosm: railway=rail ways (gauge, maxspeed and
 * maxspeed:forward/backward, electrified with voltage and frequency, incline, usage and
 * service), railway=switch and railway=signal nodes, railway=station|halt nodes with their
 * stop positions (same name, or the same public_transport=stop_area relation).
 *
 * Each way is a raw track along its nodes (length: great-circle distances). It is cut at
 * every node it shares with another way, at its ends, at switches and at stations; a
 * station beside the track joins its stop positions, else the nearest track node within
 * 300 m. With drop_sidings, service=yard|siding|spur ways are left out.
 *
 * readosm gives no line numbers; for XML, an error about an element is located afterwards
 * by parsing the text with libxml2 (tm_xml_parse) and finding the element by id.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readosm.h>

#include "core/units.h"
#include "core/error.h"
#include "formats/import_reader.h"
#include "formats/import_xml.h"

#define SNAP_DISTANCE 300.0 /* m: a station beside the track joins a track node this close */
/* A train may run from one way into another at a shared node only where it turns by less
 * than this (degrees): at a switch the branches leave the toe within a few degrees (a 1:9
 * turnout diverges by 6.3 degrees), while two branches meet at the same small angle and a
 * train cannot run from one into the other; 30 degrees leaves room for curved turnouts and
 * the coarse node spacing of mapped ways (assumed; docs/formats.md, "Switches"). */
#define MAX_TURN_DEG 30.0
#define PI 3.14159265358979323846

typedef enum node_role {
    ROLE_NONE = 0,
    ROLE_SWITCH,
    ROLE_SIGNAL,
    ROLE_STATION,
    ROLE_HALT,
    ROLE_STOP_POSITION,
    ROLE_CROSSING         /* railway=level_crossing | crossing: a structure on the way */
} node_role;

typedef struct onode {
    long long id;
    double lat, lon;
    int role;
    int dir;              /* signals: +1 forward, -1 backward, 0 both; crossings: their
                           * tm_crossing_kind */
    char *name;           /* malloc'd, for roles; else NULL */
    unsigned uses;        /* way positions using it */
    int topo;             /* 1: a topology node (cut ways here) */
    size_t graph;         /* graph node, or -1 */
} onode;

typedef struct oway {
    long long id;
    long long *refs;
    size_t n_refs;
    double fwd, back;     /* m/s, 0 unknown */
    double incline;       /* m/m; NAN unknown */
    int has_incline, has_speed;
    int bridge, tunnel;   /* the way is a bridge / in a tunnel (bridge=*, tunnel=*, not no) */
    int gauge;
    tm_electrification elec;
    char *name;           /* owned, "" when the way has none */
} oway;

typedef struct osm {
    tm_import_ctx *ctx;
    tumen_error *err;
    int rc;               /* first error inside a callback */
    long long bad_way, bad_node; /* the way and node of an error to locate */
    TM_VEC(onode) nodes;
    TM_VEC(oway) ways;
    TM_VEC(long long) stop_area_members; /* station ids and member ids, pairs */
} osm;

static const char *tag(const readosm_tag *tags, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (tags[i].key && !strcmp(tags[i].key, key))
            return tags[i].value;
    return NULL;
}

/* Callbacks never return READOSM_ABORT (readosm 1.1 then leaks its parser): after an error
 * they note it and skip the rest. */
static int oom(osm *o)
{
    if (o->rc == TUMEN_OK)
        o->rc = tm_error_set(o->err, TUMEN_ENOMEM, o->ctx->file, 0, NULL, "out of memory");
    return READOSM_OK;
}

/* A crossing's protection from OSM's crossing:* tags: a keeper (crossing:supervision
 * attendant or yes) is manned; neither barrier nor light (crossing:barrier=no and
 * crossing:light=no, or crossing=uncontrolled) unprotected; else automatic. */
static int crossing_kind(const readosm_tag *tags, int n)
{
    const char *sup = tag(tags, n, "crossing:supervision");
    const char *bar = tag(tags, n, "crossing:barrier");
    const char *light = tag(tags, n, "crossing:light");
    const char *cr = tag(tags, n, "crossing");
    if (sup && (!strcmp(sup, "attendant") || !strcmp(sup, "yes")))
        return TM_CROSSING_MANNED;
    if ((bar && !strcmp(bar, "no") && light && !strcmp(light, "no")) ||
        (cr && !strcmp(cr, "uncontrolled")))
        return TM_CROSSING_UNPROTECTED;
    return TM_CROSSING_AUTOMATIC;
}

static int on_node(const void *user, const readosm_node *n)
{
    osm *o = (osm *)user;
    if (o->rc != TUMEN_OK)
        return READOSM_OK;
    onode x;
    memset(&x, 0, sizeof x);
    x.id = n->id;
    x.lat = n->latitude;
    x.lon = n->longitude;
    if (!(fabs(x.lat) <= 90.0 && fabs(x.lon) <= 180.0)) { /* PBF: XML is checked before */
        o->rc = tm_error_set(o->err, TUMEN_EINPUT, o->ctx->file, 0, "node",
                             "node %lld: latitude %g, longitude %g out of range",
                             (long long)n->id, x.lat, x.lon);
        return READOSM_OK;
    }
    x.graph = (size_t)-1;
    const char *rw = tag(n->tags, n->tag_count, "railway");
    const char *pt = tag(n->tags, n->tag_count, "public_transport");
    if (rw && !strcmp(rw, "switch"))
        x.role = ROLE_SWITCH;
    else if (rw && !strcmp(rw, "signal"))
        x.role = ROLE_SIGNAL;
    else if (rw && !strcmp(rw, "station"))
        x.role = ROLE_STATION;
    else if (rw && !strcmp(rw, "halt"))
        x.role = ROLE_HALT;
    else if ((pt && !strcmp(pt, "stop_position")) || (rw && !strcmp(rw, "stop")))
        x.role = ROLE_STOP_POSITION;
    else if (rw && (!strcmp(rw, "level_crossing") || !strcmp(rw, "crossing")))
        x.role = ROLE_CROSSING;
    if (x.role == ROLE_CROSSING)
        o->ctx->out->summary.level_crossings++;
    if (x.role == ROLE_SWITCH)
        o->ctx->out->summary.switches++;
    if (x.role == ROLE_SIGNAL)
        o->ctx->out->summary.signals++;
    if (x.role == ROLE_STATION || x.role == ROLE_HALT)
        o->ctx->out->summary.operational_points++;
    if (x.role != ROLE_NONE) {
        const char *name = tag(n->tags, n->tag_count, "name");
        const char *ref = tag(n->tags, n->tag_count, "ref");
        const char *d = tag(n->tags, n->tag_count, "railway:signal:direction");
        x.dir = d && !strcmp(d, "forward") ? 1 : d && !strcmp(d, "backward") ? -1 : 0;
        if (x.role == ROLE_CROSSING)
            x.dir = crossing_kind(n->tags, n->tag_count);
        if ((name || ref) && !(x.name = strdup(name ? name : ref)))
            return oom(o);
    }
    if (tm_vec_push(&o->nodes, x)) {
        free(x.name);
        return oom(o);
    }
    return READOSM_OK;
}

/* A maxspeed value in m/s: 0 for words (none, signals, walk), -1 for a number out of range. */
static double parse_speed(const char *text)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text)
        return 0.0;
    while (*end == ' ')
        end++;
    if (!strcmp(end, "mph"))
        v *= 1.609344;
    else if (strcmp(end, "") && strcmp(end, "km/h") && strcmp(end, "kmh"))
        return 0.0;
    if (!(v > 0.0 && v <= 1000.0))
        return -1.0;
    return v * TM_KMH;
}

static int way_error(osm *o, long long way, const char *msg)
{
    if (o->rc == TUMEN_OK) {
        o->rc = tm_error_set(o->err, TUMEN_EINPUT, o->ctx->file, 0, NULL, "%s", msg);
        o->bad_way = way;
    }
    return READOSM_OK;
}

static int on_way(const void *user, const readosm_way *w)
{
    osm *o = (osm *)user;
    if (o->rc != TUMEN_OK)
        return READOSM_OK;
    const char *rw = tag(w->tags, w->tag_count, "railway");
    if (!rw || strcmp(rw, "rail"))
        return READOSM_OK;
    const char *service = tag(w->tags, w->tag_count, "service");
    if (o->ctx->opt->drop_sidings && service &&
        (!strcmp(service, "yard") || !strcmp(service, "siding") || !strcmp(service, "spur")))
        return READOSM_OK;
    oway x;
    memset(&x, 0, sizeof x);
    x.id = w->id;
    x.incline = NAN;
    const char *ms = tag(w->tags, w->tag_count, "maxspeed");
    const char *mf = tag(w->tags, w->tag_count, "maxspeed:forward");
    const char *mb = tag(w->tags, w->tag_count, "maxspeed:backward");
    char msg[200];
    const char *bad = NULL;
    if (ms && (x.fwd = x.back = parse_speed(ms)) < 0.0)
        bad = ms;
    if (mf && (x.fwd = parse_speed(mf)) < 0.0)
        bad = mf;
    if (mb && (x.back = parse_speed(mb)) < 0.0)
        bad = mb;
    if (bad) {
        tm_snclip(msg, sizeof msg,
                 "<way id='%lld'>: maxspeed '%s' is out of range (above 0, at most 1000 km/h)",
                 w->id, bad);
        return way_error(o, w->id, msg);
    }
    x.has_speed = ms || mf || mb;
    const char *inc = tag(w->tags, w->tag_count, "incline");
    if (inc) {
        char *end = NULL;
        double v = strtod(inc, &end);
        if (end != inc) {
            if (!strcmp(end, "%"))
                v /= 100.0;
            else
                v /= 1000.0; /* "‰" or a bare number: per mille, as railway mappers use */
            if (fabs(v) > 1.0) {
                tm_snclip(msg, sizeof msg, "<way id='%lld'>: incline '%s' is out of range",
                         w->id, inc);
                return way_error(o, w->id, msg);
            }
            x.incline = v;
        }
        x.has_incline = 1;
    }
    const char *gauge = tag(w->tags, w->tag_count, "gauge");
    x.gauge = gauge ? atoi(gauge) : 1435;
    if (x.gauge < 300 || x.gauge > 3000) {
        tm_snclip(msg, sizeof msg,
                 "<way id='%lld'>: gauge '%s' is out of range (300 to 3000 mm)", w->id,
                 gauge ? gauge : "");
        return way_error(o, w->id, msg);
    }
    const char *el = tag(w->tags, w->tag_count, "electrified");
    const char *volt = tag(w->tags, w->tag_count, "voltage");
    const char *freq = tag(w->tags, w->tag_count, "frequency");
    x.elec = TM_ELEC_NONE;
    if (el && strcmp(el, "no") && volt) {
        char text[64];
        if (freq && strtod(freq, NULL) > 0.0)
            tm_snclip(text, sizeof text, "%s V %s Hz", volt, freq);
        else
            tm_snclip(text, sizeof text, "%s V DC", volt);
        if (tm_electrification_parse(text, &x.elec))
            x.elec = TM_ELEC_NONE;
    }
    const char *name = tag(w->tags, w->tag_count, "name");
    const char *br = tag(w->tags, w->tag_count, "bridge");
    const char *tu = tag(w->tags, w->tag_count, "tunnel");
    x.bridge = br && strcmp(br, "no");
    x.tunnel = tu && strcmp(tu, "no");
    if (w->node_ref_count < 2) {
        tm_snclip(msg, sizeof msg, "<way id='%lld'>: a railway=rail way needs two nodes or more",
                 w->id);
        return way_error(o, w->id, msg);
    }
    x.refs = malloc((size_t)w->node_ref_count * sizeof *x.refs);
    x.name = tm_strdup(name ? name : "");
    if (x.refs) {
        memcpy(x.refs, w->node_refs, (size_t)w->node_ref_count * sizeof *x.refs);
        x.n_refs = (size_t)w->node_ref_count;
    }
    if (!x.refs || !x.name || tm_vec_push(&o->ways, x)) {
        free(x.refs);
        free(x.name);
        return oom(o);
    }
    o->ctx->out->summary.tracks++;
    o->ctx->out->summary.bridges += x.bridge;
    o->ctx->out->summary.tunnels += x.tunnel;
    o->ctx->out->summary.speed_changes += x.has_speed;
    o->ctx->out->summary.gradient_changes += x.has_incline;
    return READOSM_OK;
}

static int on_relation(const void *user, const readosm_relation *r)
{
    osm *o = (osm *)user;
    if (o->rc != TUMEN_OK)
        return READOSM_OK;
    const char *pt = tag(r->tags, r->tag_count, "public_transport");
    if (!pt || strcmp(pt, "stop_area"))
        return READOSM_OK;
    /* Pairs (relation id, member node id). */
    for (int i = 0; i < r->member_count; i++)
        if (r->members[i].member_type == READOSM_MEMBER_NODE &&
            (tm_vec_push(&o->stop_area_members, r->id) ||
             tm_vec_push(&o->stop_area_members, r->members[i].id)))
            return oom(o);
    return READOSM_OK;
}

static int cmp_node(const void *a, const void *b)
{
    long long x = ((const onode *)a)->id, y = ((const onode *)b)->id;
    return (x > y) - (x < y);
}

static onode *find_node(osm *o, long long id)
{
    onode key;
    key.id = id;
    if (!o->nodes.n)
        return NULL;
    return bsearch(&key, o->nodes.items, o->nodes.n, sizeof *o->nodes.items, cmp_node);
}

/* The graph node of an OSM node, made on first use. */
static size_t graph_node(osm *o, onode *n)
{
    if (n->graph != (size_t)-1)
        return n->graph;
    char id[TM_ID_LEN];
    snprintf(id, sizeof id, "n%lld", n->id);
    tm_ig_rank rank = n->role == ROLE_SWITCH ? TM_IG_SWITCH
                      : n->role == ROLE_STATION || n->role == ROLE_HALT ? TM_IG_OP
                                                                        : TM_IG_END;
    tm_op_kind kind = n->role == ROLE_HALT ? TM_OP_HALT
                      : n->role == ROLE_STATION ? TM_OP_STATION
                                                : TM_OP_JUNCTION;
    n->graph = tm_ig_node_add(&o->ctx->graph, id, n->name, rank, kind);
    if (n->graph != (size_t)-1) {
        tm_ig_node *g = &o->ctx->graph.nodes.items[n->graph];
        g->lat = n->lat;
        g->lon = n->lon;
        g->has_position = 1;
    }
    return n->graph;
}

static int build_way(osm *o, const oway *w)
{
    tm_import_graph *g = &o->ctx->graph;
    double length = 0.0;
    for (size_t i = 1; i < w->n_refs; i++) {
        onode *a = find_node(o, w->refs[i - 1]), *b = find_node(o, w->refs[i]);
        length += tm_geo_distance(a->lat, a->lon, b->lat, b->lon);
    }
    o->ctx->out->summary.length_m += length;
    if (!(length > 0.0))
        length = 1e-3; /* all nodes at one place: keep the way, tiny */
    char id[TM_ID_LEN];
    snprintf(id, sizeof id, "w%lld", w->id);
    size_t k = tm_ig_track_add(g, id, length);
    if (k == (size_t)-1)
        return -1;
    g->tracks.items[k].gauge = w->gauge;
    double s = 0.0;
    for (size_t i = 0; i < w->n_refs; i++) {
        onode *n = find_node(o, w->refs[i]);
        if (i) {
            onode *p = find_node(o, w->refs[i - 1]);
            s += tm_geo_distance(p->lat, p->lon, n->lat, n->lon);
        }
        double pos = s > length ? length : s;
        if (tm_ig_shape_add(g, k, n->lat, n->lon))
            return -1;
        if (n->topo || i == 0 || i + 1 == w->n_refs) {
            size_t gn = graph_node(o, n);
            if (gn == (size_t)-1 || tm_ig_cut_add(g, k, pos, gn))
                return -1;
        }
        if (n->role == ROLE_SIGNAL && tm_ig_signal_add(g, k, pos, n->dir, n->name))
            return -1;
        if (n->role == ROLE_CROSSING) {
            tm_structure st;
            memset(&st, 0, sizeof st);
            st.position = pos;
            st.crossing = (tm_crossing_kind)n->dir;
            if (tm_ig_structure_add(g, k, &st, n->name))
                return -1;
        }
    }
    /* a bridge or tunnel way is one structure over its whole length */
    for (int q = 0; q < 2; q++) {
        tm_structure st;
        memset(&st, 0, sizeof st);
        st.kind = q ? TM_STRUCT_TUNNEL : TM_STRUCT_BRIDGE;
        st.length = length;
        if ((q ? w->tunnel : w->bridge) && tm_ig_structure_add(g, k, &st, w->name))
            return -1;
    }
    if ((w->fwd > 0.0 && tm_ig_range_add(g, k, TM_IG_SPEED, 0.0, length, 1, w->fwd)) ||
        (w->back > 0.0 && tm_ig_range_add(g, k, TM_IG_SPEED, 0.0, length, -1, w->back)) ||
        (!isnan(w->incline) && tm_ig_range_add(g, k, TM_IG_GRADIENT, 0.0, length, 1, w->incline)) ||
        tm_ig_range_add(g, k, TM_IG_ELEC, 0.0, length, 0, (double)w->elec))
        return -1;
    return 0;
}

/* ---- Which ways a train may run between at a shared node ------------------------------ */

/* An arm: a way leaving a topology node towards one of its neighbours along the way. */
typedef struct arm {
    long long node;
    tm_ig_attach at;      /* the piece of the way that leaves the node this way */
    double heading;       /* radians, towards the neighbour */
} arm;

typedef TM_VEC(arm) arm_vec;

static int cmp_arm(const void *a, const void *b)
{
    const arm *x = a, *y = b;
    return (x->node > y->node) - (x->node < y->node);
}

/* Direction from a to b on a local plane (equirectangular: fine over one node spacing). */
static double heading(const onode *a, const onode *b)
{
    double dx = (b->lon - a->lon) * cos(a->lat * PI / 180.0), dy = b->lat - a->lat;
    return atan2(dy, dx);
}

/* The arms of every topology node: for a way through node i, one towards i - 1 (the piece
 * that ends there) and one towards i + 1 (the piece that starts there). Raw track k is way
 * k (build_way adds them in order). */
static int collect_arms(osm *o, arm_vec *arms)
{
    for (size_t w = 0; w < o->ways.n; w++) {
        const oway *x = &o->ways.items[w];
        double s = 0.0, length = o->ctx->graph.tracks.items[w].length;
        for (size_t i = 0; i < x->n_refs; i++) {
            const onode *n = find_node(o, x->refs[i]);
            if (i)
                s += tm_geo_distance(find_node(o, x->refs[i - 1])->lat,
                                     find_node(o, x->refs[i - 1])->lon, n->lat, n->lon);
            if (!(n->topo || i == 0 || i + 1 == x->n_refs))
                continue;
            double pos = s > length ? length : s;
            if (i > 0) {
                arm a = {n->id, {w, pos, -1}, heading(n, find_node(o, x->refs[i - 1]))};
                if (tm_vec_push(arms, a))
                    return -1;
            }
            if (i + 1 < x->n_refs) {
                arm a = {n->id, {w, pos, +1}, heading(n, find_node(o, x->refs[i + 1]))};
                if (tm_vec_push(arms, a))
                    return -1;
            }
        }
    }
    return 0;
}

/* Links every pair of arms at a node that a train can run between: their headings are
 * nearly opposite (it turns by less than MAX_TURN_DEG). Two arms of one way through a node
 * always are (the straight way through a cut is the import graph's, so only other pairs
 * matter; a sharp kink of a single way is still the way). */
static int link_arms(osm *o)
{
    arm_vec arms = {0};
    int rc = collect_arms(o, &arms);
    if (rc == 0 && arms.n)
        qsort(arms.items, arms.n, sizeof *arms.items, cmp_arm);
    const double limit = MAX_TURN_DEG * PI / 180.0;
    for (size_t a = 0; rc == 0 && a < arms.n;) {
        size_t b = a;
        while (b < arms.n && arms.items[b].node == arms.items[a].node)
            b++;
        for (size_t i = a; rc == 0 && i < b; i++)
            for (size_t j = i + 1; rc == 0 && j < b; j++) {
                const arm *x = &arms.items[i], *y = &arms.items[j];
                if (x->at.track == y->at.track && fabs(x->at.pos - y->at.pos) < 1e-6)
                    continue; /* the way's own straight way through */
                double turn = fabs(remainder(x->heading - y->heading, 2.0 * PI));
                if (PI - turn < limit) {
                    rc = tm_ig_link_add_at(&o->ctx->graph, x->at, y->at, 0.0);
                    o->ctx->out->summary.switch_connections += rc == 0 && b - a > 2;
                }
            }
        a = b;
    }
    o->ctx->graph.has_topology = 1;
    free(arms.items);
    return rc;
}

/* Stations join their stop positions (same name or stop area) or the nearest track node. */
static int place_stations(osm *o)
{
    for (size_t i = 0; i < o->nodes.n; i++) {
        onode *st = &o->nodes.items[i];
        if (st->role != ROLE_STATION && st->role != ROLE_HALT)
            continue;
        size_t gs = graph_node(o, st);
        if (gs == (size_t)-1)
            return -1;
        int joined = st->uses > 0;
        for (size_t j = 0; j < o->nodes.n; j++) {
            onode *sp = &o->nodes.items[j];
            if (sp->role != ROLE_STOP_POSITION || !sp->uses)
                continue;
            int same = st->name && sp->name && !strcmp(st->name, sp->name);
            for (size_t a = 0; !same && a < o->stop_area_members.n; a += 2)
                for (size_t b = 0; !same && b < o->stop_area_members.n; b += 2)
                    same = o->stop_area_members.items[a] == o->stop_area_members.items[b] &&
                           o->stop_area_members.items[a + 1] == st->id &&
                           o->stop_area_members.items[b + 1] == sp->id;
            if (!same)
                continue;
            size_t gp = graph_node(o, sp);
            if (gp == (size_t)-1)
                return -1;
            tm_ig_join(&o->ctx->graph, gs, gp);
            joined = 1;
        }
        if (joined)
            continue;
        onode *best = NULL;
        double best_d = SNAP_DISTANCE;
        for (size_t j = 0; j < o->nodes.n; j++) {
            onode *n = &o->nodes.items[j];
            double d = n->uses ? tm_geo_distance(st->lat, st->lon, n->lat, n->lon) : INFINITY;
            if (d < best_d) {
                best_d = d;
                best = n;
            }
        }
        if (best) {
            size_t gb = graph_node(o, best);
            if (gb == (size_t)-1)
                return -1;
            tm_ig_join(&o->ctx->graph, gs, gb);
        }
    }
    return 0;
}

/* The line of <way id> or <node id> in an OSM XML text, 0 if not found. */
static int locate_line(osm *o, const void *data, size_t length, const char *element,
                       long long id)
{
    xmlDoc *doc = NULL;
    if (!data || tm_xml_parse(o->ctx->file, data, length, &doc, NULL) != TUMEN_OK)
        return 0;
    tm_xnodes v = {0};
    int line = 0;
    char want[32];
    snprintf(want, sizeof want, "%lld", id);
    if (tm_xfind(xmlDocGetRootElement(doc), element, &v) == 0)
        for (size_t i = 0; i < v.n && !line; i++) {
            const char *x = tm_xattr(v.items[i], "id");
            if (x && !strcmp(x, want))
                line = (int)tm_xline(v.items[i]);
        }
    free(v.items);
    xmlFreeDoc(doc);
    return line;
}

static int same_node(const onode *a, const onode *b)
{
    return a->lat == b->lat && a->lon == b->lon && a->role == b->role && a->dir == b->dir &&
           ((!a->name && !b->name) || (a->name && b->name && !strcmp(a->name, b->name)));
}

/* Overpass and merged extracts list some nodes twice: the same node again (same position
 * and tags) is one node, counted once; the same id with another position or other tags is
 * an error. o->nodes is sorted by id. */
static int drop_repeated_nodes(osm *o)
{
    size_t k = 0;
    for (size_t i = 0; i < o->nodes.n; i++) {
        onode *n = &o->nodes.items[i];
        if (k > 0 && o->nodes.items[k - 1].id == n->id) {
            if (!same_node(&o->nodes.items[k - 1], n)) {
                /* the nodes kept so far, then those not looked at: each name owned once
                 * (a kept node's slot may have been copied down, a dropped one freed) */
                long long id = n->id;
                size_t rest = o->nodes.n - i;
                memmove(&o->nodes.items[k], n, rest * sizeof *o->nodes.items);
                o->nodes.n = k + rest;
                o->bad_node = id;
                return o->rc = tm_error_set(o->err, TUMEN_EINPUT, o->ctx->file, 0, NULL,
                                            "<node id='%lld'>: duplicate node id with another "
                                            "position or other tags",
                                            id);
            }
            tm_import_summary *sum = &o->ctx->out->summary;
            sum->switches -= n->role == ROLE_SWITCH;
            sum->signals -= n->role == ROLE_SIGNAL;
            sum->operational_points -= n->role == ROLE_STATION || n->role == ROLE_HALT;
            free(n->name);
            continue;
        }
        o->nodes.items[k++] = *n;
    }
    o->nodes.n = k;
    return TUMEN_OK;
}

static int build(osm *o)
{
    if (o->nodes.n)
        qsort(o->nodes.items, o->nodes.n, sizeof *o->nodes.items, cmp_node);
    if (drop_repeated_nodes(o) != TUMEN_OK)
        return o->rc;
    for (size_t w = 0; w < o->ways.n; w++) {
        const oway *x = &o->ways.items[w];
        for (size_t i = 0; i < x->n_refs; i++) {
            onode *n = find_node(o, x->refs[i]);
            if (!n) {
                o->bad_way = x->id;
                return tm_error_set(o->err, TUMEN_EINPUT, o->ctx->file, 0, NULL,
                                    "<way id='%lld'>: refers to node %lld, which is not in the "
                                    "file (a missing node)",
                                    x->id, x->refs[i]);
            }
            n->uses++;
            if (i == 0 || i + 1 == x->n_refs)
                n->topo = 1;
        }
    }
    for (size_t i = 0; i < o->nodes.n; i++) {
        onode *n = &o->nodes.items[i];
        if (n->uses > 1 || (n->uses && n->role != ROLE_NONE && n->role != ROLE_SIGNAL))
            n->topo = 1;
    }
    if (place_stations(o))
        return tm_error_set(o->err, TUMEN_ENOMEM, o->ctx->file, 0, NULL, "out of memory");
    for (size_t i = 0; i < o->nodes.n; i++) /* stations snapped to a plain node cut there */
        if (o->nodes.items[i].graph != (size_t)-1 && o->nodes.items[i].uses)
            o->nodes.items[i].topo = 1;
    for (size_t w = 0; w < o->ways.n; w++)
        if (build_way(o, &o->ways.items[w]))
            return tm_error_set(o->err, TUMEN_ENOMEM, o->ctx->file, 0, NULL, "out of memory");
    if (link_arms(o))
        return tm_error_set(o->err, TUMEN_ENOMEM, o->ctx->file, 0, NULL, "out of memory");
    return TUMEN_OK;
}

/* Every node's lat and lon are decimal degrees within +-90 and +-180 (readosm reads a word
 * as 0 and takes any number). */
static int check_coordinates(const char *file, const xmlNode *root, tumen_error *err)
{
    tm_xnodes v = {0};
    if (tm_xfind(root, "node", &v)) {
        free(v.items);
        return tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
    }
    int rc = TUMEN_OK;
    for (size_t i = 0; i < v.n && rc == TUMEN_OK; i++) {
        static const char *const names[2] = {"lat", "lon"};
        for (int k = 0; k < 2 && rc == TUMEN_OK; k++) {
            const char *text = tm_xattr(v.items[i], names[k]);
            double limit = k ? 180.0 : 90.0, x = 0.0;
            char *end = NULL;
            if (text)
                x = strtod(text, &end);
            if (!text || end == text || *end || !(fabs(x) <= limit))
                rc = tm_xerror(err, TUMEN_EINPUT, file, v.items[i],
                               "%s='%s' is not in decimal degrees within +-%g", names[k],
                               text ? text : "", limit);
        }
    }
    free(v.items);
    return rc;
}

static int ascii(const xmlChar *name)
{
    for (; name && *name; name++)
        if (*name >= 0x80)
            return 0;
    return 1;
}

/* OpenStreetMap XML names its elements and attributes in ASCII. libxml2 accepts names that
 * readosm's parser (expat) refuses as malformed, such as one starting with U+FEFF, and
 * readosm leaks on malformed XML (found by fuzz_import): such a name is refused here, at
 * its line, before readosm sees the file. */
static int check_ascii_names(const char *file, const xmlNode *n, tumen_error *err)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!ascii(n->name))
            return tm_xerror(err, TUMEN_EINPUT, file, n,
                             "an element name outside ASCII is not OpenStreetMap XML");
        for (const xmlAttr *a = n->properties; a; a = a->next)
            if (!ascii(a->name))
                return tm_xerror(err, TUMEN_EINPUT, file, n,
                                 "an attribute name outside ASCII is not OpenStreetMap XML");
        int rc = check_ascii_names(file, n->children, err);
        if (rc != TUMEN_OK)
            return rc;
    }
    return TUMEN_OK;
}

/* The attributes readosm relies on (it crashes on a <tag> without v): each element named
 * here must have them. */
static int check_osm_xml(const char *file, const xmlNode *root, tumen_error *err)
{
    int rc_names = check_ascii_names(file, root, err);
    if (rc_names != TUMEN_OK)
        return rc_names;
    static const char *const rules[][4] = {
        {"node", "id", "lat", "lon"}, {"way", "id", NULL, NULL}, {"relation", "id", NULL, NULL},
        {"tag", "k", "v", NULL},      {"nd", "ref", NULL, NULL}, {"member", "type", "ref", "role"}};
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        tm_xnodes v = {0};
        if (tm_xfind(root, rules[r][0], &v)) {
            free(v.items);
            return tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
        }
        for (size_t i = 0; i < v.n; i++)
            for (int a = 1; a < 4 && rules[r][a]; a++)
                if (!tm_xattr(v.items[i], rules[r][a])) {
                    int rc = tm_xerror(err, TUMEN_EINPUT, file, v.items[i],
                                       "missing attribute '%s'", rules[r][a]);
                    free(v.items);
                    return rc;
                }
        free(v.items);
    }
    return check_coordinates(file, root, err);
}

int tm_osm_read(tm_import_ctx *ctx, const char *path, int pbf, const void *data, size_t length,
                tumen_error *err)
{
    osm o;
    memset(&o, 0, sizeof o);
    o.ctx = ctx;
    o.err = err;
    o.rc = TUMEN_OK;
    snprintf(ctx->out->version, sizeof ctx->out->version, "0.6");
    /* XML is checked with libxml2 first: its first message and line for a broken file, and
     * readosm (which leaks on malformed XML) only sees well-formed text. */
    if (!pbf) {
        xmlDoc *doc = NULL;
        int rc0 = tm_xml_parse(ctx->file, data, length, &doc, err);
        if (rc0 == TUMEN_OK)
            rc0 = check_osm_xml(ctx->file, xmlDocGetRootElement(doc), err);
        xmlFreeDoc(doc);
        if (rc0 != TUMEN_OK)
            return rc0;
    }
    const void *h = NULL;
    int r = readosm_open(path, &h);
    if (r == READOSM_OK)
        r = readosm_parse(h, &o, on_node, on_way, on_relation);
    readosm_close(h);
    int rc = o.rc;
    if (rc == TUMEN_OK && r != READOSM_OK) {
        /* Locate a broken XML text with libxml2, which gives the message and line. */
        xmlDoc *doc = NULL;
        if (!pbf && (rc = tm_xml_parse(ctx->file, data, length, &doc, err)) != TUMEN_OK) {
        } else {
            rc = tm_error_set(err, TUMEN_EPARSE, ctx->file, 0, NULL,
                              "the OSM reader (readosm) refused the file: %s",
                              r == READOSM_INVALID_PBF_HEADER ? "not a valid PBF header"
                              : r == READOSM_UNZIP_ERROR      ? "a PBF block does not unzip"
                              : r == READOSM_INSUFFICIENT_MEMORY ? "out of memory"
                                                                 : "malformed data");
        }
        xmlFreeDoc(doc);
    }
    if (rc == TUMEN_OK)
        rc = build(&o);
    if (rc != TUMEN_OK && !pbf && (o.bad_way || o.bad_node) && err && err->line == 0)
        err->line = locate_line(&o, data, length, o.bad_way ? "way" : "node",
                                o.bad_way ? o.bad_way : o.bad_node);
    for (size_t i = 0; i < o.nodes.n; i++)
        free(o.nodes.items[i].name);
    for (size_t i = 0; i < o.ways.n; i++) {
        free(o.ways.items[i].refs);
        free(o.ways.items[i].name);
    }
    free(o.nodes.items);
    free(o.ways.items);
    free(o.stop_area_members.items);
    if (rc == TUMEN_OK)
        rc = tm_import_finish_network(ctx, err);
    return rc;
}
