/* railml2.c: railML 2.2 to 2.5: infrastructure (tracks, connections, switches, crossings,
 * speed, gradient, radius and electrification changes, signals, operation control points),
 * rolling stock (vehicles, formations) and timetable (trains, train parts, ocpsTT).
 *
 * Topology: each <track> is a raw track from its trackBegin to its trackEnd (length = the
 * difference of their pos). A <connection> on an end or a switch names its partner by @ref;
 * the two are joined. A switch or crossing is a node on its track at its pos, named after
 * it. An <ocp> is placed where a <crossSection> or <stopPost> of some track names it
 * (ocpRef), cutting the track there. Linear changes hold from their pos to the next change
 * of the same kind in their direction (docs/formats.md, "Imports").
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


const char *const tm_railml2_namespaces[] = {
    "http://www.railml.org/schemas/2009", "http://www.railml.org/schemas/2011",
    "http://www.railml.org/schemas/2013", "http://www.railml.org/schemas/2016",
    "https://www.railml.org/schemas/2018", "https://www.railml.org/schemas/2021",
    "http://www.railml.org/schemas/2018", "http://www.railml.org/schemas/2021", NULL};

/* A connection: its id, its partner's id and the node it stands for. */
typedef struct conn {
    const char *id, *ref;
    size_t node;
    size_t track;     /* raw track it belongs to */
    int end;          /* 0 begin, 1 end, -1 a switch or crossing */
    const xmlNode *el;
    /* A switch's connection (end -1, is_switch): where on its track, and which way the
     * branch leaves: outgoing, towards increasing pos (reached from before pos); incoming,
     * from behind (reached from after pos). A crossing's leads straight over: no move. */
    double pos;
    double speed;     /* m/s, the connection's maxSpeed (a branch's diverging speed); 0 none */
    int is_switch, outgoing;
    int is_crossing, slips; /* a <crossing>'s; slips: a single or double switch crossing */
} conn;

/* A change point of one kind along a track. */
typedef struct change {
    double pos;
    int dir;          /* +1 up, -1 down, 0 both */
    double value;
    int ends;         /* 1: vMax="end": the profile ends here */
} change;

typedef TM_VEC(change) change_vec;

typedef struct r2 {
    tm_import_ctx *ctx;
    const char *file;
    TM_VEC(conn) conns;
    TM_VEC(const char *) track_ids; /* per raw track, the <track id> */
    tm_xnodes ocps;
    size_t *ocp_node;               /* node per ocp, -1 until placed */
} r2;

static int oom(r2 *r, tumen_error *err)
{
    return tm_error_set(err, TUMEN_ENOMEM, r->file, 0, NULL, "out of memory");
}

static int parse_dir(const char *d)
{
    if (!d)
        return 0;
    if (!strcmp(d, "up") || !strcmp(d, "forward") || !strcmp(d, "normal"))
        return 1;
    if (!strcmp(d, "down") || !strcmp(d, "backward") || !strcmp(d, "reverse"))
        return -1;
    return 0;
}

/* Position of an element on its track: @pos less the track's begin pos. */
static int element_pos(r2 *r, const xmlNode *el, double begin, double length, double *pos,
                       tumen_error *err)
{
    double p = 0.0;
    int rc = tm_xnumber(r->file, el, "pos", -1e9, 1e9, "m", 1, &p, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    p -= begin;
    if (p < -1e-3 || p > length + 1e-3) {
        /* Exports of line extracts place some elements by the next track's mileage: in the
         * lenient mode they go to the nearer end of their own track (and are counted). */
        if (r->ctx->opt->strict)
            return tm_xerror(err, TUMEN_EINPUT, r->file, el,
                             "pos %g m is out of range: outside its track (0 m to %g m)",
                             p + begin, length);
        r->ctx->out->summary.outside++;
        p = p < 0.0 ? 0.0 : length;
    }
    *pos = p;
    return TUMEN_OK;
}

static int add_conn(r2 *r, const xmlNode *el, size_t node, size_t track, int end,
                    tumen_error *err)
{
    conn c = {tm_xattr(el, "id"), tm_xattr(el, "ref"), node, track, end, el, 0.0, 0.0, 0, 0,
              0, 0};
    if (!c.id)
        return tm_xerror(err, TUMEN_EINPUT, r->file, el, "missing attribute 'id'");
    if (tm_vec_push(&r->conns, c))
        return oom(r, err);
    return TUMEN_OK;
}

/* The end (trackBegin or trackEnd) of raw track k. */
static int read_end(r2 *r, const xmlNode *el, size_t k, int end, tumen_error *err)
{
    size_t node = tm_ig_track_end(&r->ctx->graph, k, end);
    for (const xmlNode *c = el->children; c; c = c->next) {
        if (tm_xis(c, "connection")) {
            int rc = add_conn(r, c, node, k, end, err);
            if (rc != TUMEN_OK)
                return rc;
        } else if (tm_xis(c, "bufferStop") || tm_xis(c, "openEnd")) {
            const char *name = tm_xattr(c, "name");
            tm_ig_node *n = &r->ctx->graph.nodes.items[node];
            if (name && *name && tm_name_set(&n->name, name))
                return tm_error_set(err, TUMEN_ENOMEM, r->file, 0, NULL, "out of memory");
        }
    }
    return TUMEN_OK;
}

static int read_geo(const xmlNode *el, tm_ig_node *n)
{
    const xmlNode *g = tm_xchild(el, "geoCoord");
    const char *coord = g ? tm_xattr(g, "coord") : NULL;
    double lat, lon;
    if (coord && sscanf(coord, "%lf %lf", &lat, &lon) == 2 && fabs(lat) <= 90 &&
        fabs(lon) <= 180) {
        n->lat = lat;
        n->lon = lon;
        n->has_position = 1;
    }
    return 0;
}

/* Switches and crossings of a track's <connections>. */
static int read_switches(r2 *r, const xmlNode *conns, size_t k, double begin, double length,
                         tumen_error *err)
{
    tm_import_graph *g = &r->ctx->graph;
    for (const xmlNode *sw = conns ? conns->children : NULL; sw; sw = sw->next) {
        int is_switch = tm_xis(sw, "switch"), is_crossing = tm_xis(sw, "crossing");
        if (!is_switch && !is_crossing)
            continue;
        if (is_switch) /* its straight way and each branch: docs/formats.md, counts */
            r->ctx->out->summary.switches++, r->ctx->out->summary.switch_connections++;
        const char *id = tm_xattr(sw, "id");
        if (!id)
            return tm_xerror(err, TUMEN_EINPUT, r->file, sw, "missing attribute 'id'");
        double pos = 0.0;
        int rc = element_pos(r, sw, begin, length, &pos, err);
        if (rc != TUMEN_OK)
            return rc;
        size_t node = tm_ig_node_add(g, id, tm_xattr(sw, "name"), TM_IG_SWITCH, TM_OP_JUNCTION);
        if (node == (size_t)-1 || tm_ig_cut_add(g, k, pos, node))
            return oom(r, err);
        read_geo(sw, &g->nodes.items[node]);
        for (const xmlNode *c = sw->children; c; c = c->next) {
            if (!tm_xis(c, "connection"))
                continue;
            if ((rc = add_conn(r, c, node, k, -1, err)) != TUMEN_OK)
                return rc;
            r->ctx->out->summary.switch_connections += is_switch;
            conn *x = &r->conns.items[r->conns.n - 1];
            const char *o = tm_xattr(c, "orientation");
            const char *type = tm_xattr(sw, "type");
            double kmh = 0.0;
            if ((rc = tm_xnumber(r->file, c, "maxSpeed", 1.0, 1000.0, "km/h", 0, &kmh, NULL,
                                 err)) != TUMEN_OK)
                return rc;
            x = &r->conns.items[r->conns.n - 1];
            x->speed = kmh / 3.6;
            x->pos = pos;
            x->is_switch = is_switch;
            x->is_crossing = is_crossing;
            x->slips = is_crossing && type && strstr(type, "SwitchCrossing") != NULL;
            x->outgoing = !o || strcmp(o, "incoming") != 0;
        }
    }
    return TUMEN_OK;
}

static int cmp_change(const void *a, const void *b)
{
    const change *x = a, *y = b;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Turns change points into ranges: in direction +1 a value holds from its pos up to the next
 * change; in direction -1 from its pos down to the next change below. Several changes at one
 * pos (speed profiles): each range is added, and the lowest speed holds. With extend_first
 * (speed, electrification) the first change in a direction also holds before it; gradients
 * and radii are level and straight there. */
static int changes_to_ranges(r2 *r, size_t k, double length, change_vec *v, tm_ig_prop prop,
                             int directional, int extend_first)
{
    if (v->n == 0)
        return 0;
    qsort(v->items, v->n, sizeof *v->items, cmp_change);
    for (int d = 1; d >= -1; d -= 2) {
        for (size_t i = 0; i < v->n; i++) {
            const change *c = &v->items[i];
            if (c->ends || (directional && c->dir != 0 && c->dir != d))
                continue;
            double stop = d > 0 ? length : 0.0;
            if (d > 0) {
                for (size_t j = i + 1; j < v->n; j++)
                    if (v->items[j].pos > c->pos + 1e-9 &&
                        (!directional || v->items[j].dir == 0 || v->items[j].dir == d)) {
                        stop = v->items[j].pos;
                        break;
                    }
            } else {
                for (size_t j = i; j-- > 0;)
                    if (v->items[j].pos < c->pos - 1e-9 &&
                        (!directional || v->items[j].dir == 0 || v->items[j].dir == d)) {
                        stop = v->items[j].pos;
                        break;
                    }
            }
            /* The first change in a direction also covers the stretch before it (the file
             * gives nothing there). */
            int first = 1;
            for (size_t j = 0; j < v->n; j++)
                if ((d > 0 ? v->items[j].pos < c->pos - 1e-9 : v->items[j].pos > c->pos + 1e-9) &&
                    (!directional || v->items[j].dir == 0 || v->items[j].dir == d))
                    first = 0;
            double from = c->pos;
            if (first && extend_first)
                from = d > 0 ? 0.0 : length;
            int rdir = directional ? d : 1;
            if (tm_ig_range_add(&r->ctx->graph, k, prop, from, stop, rdir, c->value))
                return -1;
        }
        if (!directional)
            break;
    }
    return 0;
}

static int read_speed_changes(r2 *r, const xmlNode *te, size_t k, double begin, double length,
                              tumen_error *err)
{
    change_vec v = {0};
    int rc = TUMEN_OK;
    const xmlNode *list = tm_xchild(te, "speedChanges");
    for (const xmlNode *c = list ? list->children : NULL; rc == TUMEN_OK && c; c = c->next) {
        if (!tm_xis(c, "speedChange"))
            continue;
        r->ctx->out->summary.speed_changes++;
        change ch = {0.0, parse_dir(tm_xattr(c, "dir")), 0.0, 0};
        rc = element_pos(r, c, begin, length, &ch.pos, err);
        const char *vmax = tm_xattr(c, "vMax");
        const char *status = tm_xattr(c, "status");
        int temporary = (status && !strcmp(status, "temporary")) ||
                        (tm_xattr(c, "isTemporary") && !strcmp(tm_xattr(c, "isTemporary"), "true"));
        if (rc != TUMEN_OK)
            break;
        if (temporary && r->ctx->opt->drop_temporary)
            continue;
        if (!vmax || !strcmp(vmax, "end")) {
            ch.ends = 1;
        } else {
            rc = tm_xnumber(r->file, c, "vMax", 1.0, 1000.0, "km/h", 1, &ch.value, NULL, err);
            ch.value *= TM_KMH;
        }
        if (rc == TUMEN_OK && tm_vec_push(&v, ch))
            rc = oom(r, err);
    }
    if (rc == TUMEN_OK && changes_to_ranges(r, k, length, &v, TM_IG_SPEED, 1, 1))
        rc = oom(r, err);
    free(v.items);
    return rc;
}

/* Gradient (slope in permille) and radius (m) changes. */
static int read_profile_changes(r2 *r, const xmlNode *te, size_t k, double begin, double length,
                                int gradient, tumen_error *err)
{
    change_vec v = {0};
    int rc = TUMEN_OK;
    const xmlNode *list = tm_xchild(te, gradient ? "gradientChanges" : "radiusChanges");
    const char *item = gradient ? "gradientChange" : "radiusChange";
    for (const xmlNode *c = list ? list->children : NULL; rc == TUMEN_OK && c; c = c->next) {
        if (!tm_xis(c, item))
            continue;
        if (gradient)
            r->ctx->out->summary.gradient_changes++;
        else
            r->ctx->out->summary.curve_changes++;
        change ch = {0.0, parse_dir(tm_xattr(c, "dir")), 0.0, 0};
        rc = element_pos(r, c, begin, length, &ch.pos, err);
        if (rc == TUMEN_OK && gradient) {
            rc = tm_xnumber(r->file, c, "slope", -1000.0, 1000.0, "permille", 1, &ch.value, NULL,
                            err);
            ch.value = ch.value / 1000.0 * (ch.dir < 0 ? -1.0 : 1.0);
        } else if (rc == TUMEN_OK) {
            rc = tm_xnumber(r->file, c, "radius", -1e7, 1e7, "m", 1, &ch.value, NULL, err);
            ch.value = fabs(ch.value);
            if (rc == TUMEN_OK && ch.value > 0.0 && ch.value < 10.0)
                rc = tm_xerror(err, TUMEN_EINPUT, r->file, c,
                               "radius %g m is out of range (0 for straight, else 10 m to "
                               "10000 km)", ch.value);
        }
        ch.dir = 0;
        if (rc == TUMEN_OK && tm_vec_push(&v, ch))
            rc = oom(r, err);
    }
    if (rc == TUMEN_OK &&
        changes_to_ranges(r, k, length, &v, gradient ? TM_IG_GRADIENT : TM_IG_RADIUS, 0, 0))
        rc = oom(r, err);
    free(v.items);
    return rc;
}

static int read_electrification(r2 *r, const xmlNode *te, size_t k, double begin, double length,
                                tumen_error *err)
{
    change_vec v = {0};
    int rc = TUMEN_OK;
    const xmlNode *list = tm_xchild(te, "electrificationChanges");
    for (const xmlNode *c = list ? list->children : NULL; rc == TUMEN_OK && c; c = c->next) {
        if (!tm_xis(c, "electrificationChange"))
            continue;
        change ch = {0.0, 0, 0.0, 0};
        tm_electrification e = TM_ELEC_NONE;
        rc = element_pos(r, c, begin, length, &ch.pos, err);
        const char *type = tm_xattr(c, "type");
        if (rc == TUMEN_OK && !(type && !strcmp(type, "none")) && tm_xattr(c, "voltage"))
            rc = tm_xelectrification(r->file, c, &e, err);
        ch.value = (double)e;
        if (rc == TUMEN_OK && tm_vec_push(&v, ch))
            rc = oom(r, err);
    }
    if (rc == TUMEN_OK && changes_to_ranges(r, k, length, &v, TM_IG_ELEC, 0, 1))
        rc = oom(r, err);
    free(v.items);
    return rc;
}

static int read_signals(r2 *r, const xmlNode *ocs, size_t k, double begin, double length,
                        tumen_error *err)
{
    const xmlNode *list = tm_xchild(ocs, "signals");
    for (const xmlNode *c = list ? list->children : NULL; c; c = c->next) {
        if (!tm_xis(c, "signal"))
            continue;
        double pos = 0.0;
        int rc = element_pos(r, c, begin, length, &pos, err);
        if (rc != TUMEN_OK)
            return rc;
        if (tm_ig_signal_add(&r->ctx->graph, k, pos, parse_dir(tm_xattr(c, "dir")),
                             tm_xattr(c, "id")))
            return oom(r, err);
    }
    return TUMEN_OK;
}

/* railML 2's <levelCrossings>, <bridges>, <tunnels> under <trackElements>: structures of
 * raw track k (pos, length, name; a crossing's protection "none" is unprotected, any other
 * an automatic one: railML 2 does not say whether a keeper works it). */
static int read_structures(r2 *r, const xmlNode *te, size_t k, double begin, double length,
                           tumen_error *err)
{
    static const struct {
        const char *list, *item;
        tm_structure_kind kind;
    } lists[] = {{"levelCrossings", "levelCrossing", TM_STRUCT_LEVEL_CROSSING},
                 {"bridges", "bridge", TM_STRUCT_BRIDGE},
                 {"tunnels", "tunnel", TM_STRUCT_TUNNEL}};
    for (size_t q = 0; q < sizeof lists / sizeof *lists; q++) {
        const xmlNode *list = tm_xchild(te, lists[q].list);
        for (const xmlNode *c = list ? list->children : NULL; c; c = c->next) {
            if (!tm_xis(c, lists[q].item))
                continue;
            tm_structure st;
            memset(&st, 0, sizeof st);
            st.kind = lists[q].kind;
            int rc = element_pos(r, c, begin, length, &st.position, err);
            if (rc == TUMEN_OK && st.kind != TM_STRUCT_LEVEL_CROSSING)
                rc = tm_xnumber(r->file, c, "length", 0.0, 1e7, "m", 0, &st.length, NULL, err);
            if (rc != TUMEN_OK)
                return rc;
            const char *name = tm_xattr(c, "name"), *id = tm_xattr(c, "id");
            const char *prot = tm_xattr(c, "protection");
            st.crossing = prot && !strcmp(prot, "none") ? TM_CROSSING_UNPROTECTED
                                                         : TM_CROSSING_AUTOMATIC;
            if (tm_ig_structure_add(&r->ctx->graph, k, &st, name ? name : id ? id : ""))
                return oom(r, err);
        }
    }
    return TUMEN_OK;
}

static size_t find_ocp(const r2 *r, const char *id)
{
    for (size_t i = 0; id && i < r->ocps.n; i++) {
        const char *x = tm_xattr(r->ocps.items[i], "id");
        if (x && !strcmp(x, id))
            return i;
    }
    return (size_t)-1;
}

/* Places the ocp an element names (crossSection, stopPost) on track k at its pos. */
static int place_ocp(r2 *r, const xmlNode *el, size_t k, double begin, double length,
                     tumen_error *err)
{
    const char *ref = tm_xattr(el, "ocpRef");
    if (!ref)
        return TUMEN_OK;
    size_t i = find_ocp(r, ref);
    if (i == (size_t)-1)
        return tm_xerror(err, TUMEN_EINPUT, r->file, el,
                         "ocpRef '%s' names no <ocp> of the file", ref);
    double pos = 0.0;
    int rc = element_pos(r, el, begin, length, &pos, err);
    if (rc != TUMEN_OK)
        return rc;
    return tm_ig_cut_add(&r->ctx->graph, k, pos, r->ocp_node[i]) ? oom(r, err) : TUMEN_OK;
}

static int read_track(r2 *r, const xmlNode *tr, tumen_error *err)
{
    const char *id = tm_xattr(tr, "id");
    if (!id)
        return tm_xerror(err, TUMEN_EINPUT, r->file, tr, "missing attribute 'id'");
    const xmlNode *topo = tm_xchild(tr, "trackTopology");
    const xmlNode *tb = tm_xchild(topo, "trackBegin"), *tend = tm_xchild(topo, "trackEnd");
    if (!tb || !tend)
        return tm_xerror(err, TUMEN_EINPUT, r->file, tr,
                         "the track has no <trackTopology> with <trackBegin> and <trackEnd>");
    double begin = 0.0, end = 0.0;
    int rc = tm_xnumber(r->file, tb, "pos", -1e9, 1e9, "m", 0, &begin, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_xnumber(r->file, tend, "pos", -1e9, 1e9, "m", 1, &end, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    double length = end - begin;
    if (!(length > 0.0) || length > 1e7)
        return tm_xerror(err, TUMEN_EINPUT, r->file, tend,
                         "the track's length %g m (trackEnd pos less trackBegin pos) is out of "
                         "range (more than 0, at most 10000 km)",
                         length);
    r->ctx->out->summary.tracks++;
    r->ctx->out->summary.length_m += length;
    size_t k = tm_ig_track_add(&r->ctx->graph, id, length);
    if (k == (size_t)-1 || tm_vec_push(&r->track_ids, id))
        return oom(r, err);
    if ((rc = read_end(r, tb, k, 0, err)) != TUMEN_OK ||
        (rc = read_end(r, tend, k, 1, err)) != TUMEN_OK ||
        (rc = read_switches(r, tm_xchild(topo, "connections"), k, begin, length, err)))
        return rc;
    const xmlNode *cs = tm_xchild(topo, "crossSections");
    for (const xmlNode *c = cs ? cs->children : NULL; c; c = c->next)
        if (tm_xis(c, "crossSection") && (rc = place_ocp(r, c, k, begin, length, err)))
            return rc;
    const xmlNode *te = tm_xchild(tr, "trackElements"), *ocs = tm_xchild(tr, "ocsElements");
    if ((rc = read_speed_changes(r, te, k, begin, length, err)) ||
        (rc = read_profile_changes(r, te, k, begin, length, 1, err)) ||
        (rc = read_profile_changes(r, te, k, begin, length, 0, err)) ||
        (rc = read_electrification(r, te, k, begin, length, err)) ||
        (rc = read_signals(r, ocs, k, begin, length, err)) ||
        (rc = read_structures(r, te, k, begin, length, err)))
        return rc;
    /* Stop posts place their ocp only when no crossSection of any track does (below). */
    return TUMEN_OK;
}

static tm_op_kind ocp_kind(const xmlNode *ocp)
{
    const xmlNode *po = tm_xchild(ocp, "propOperational");
    const char *t = po ? tm_xattr(po, "operationalType") : NULL;
    const char *type = tm_xattr(ocp, "type");
    if ((t && !strcmp(t, "stoppingPoint")) || (type && !strcmp(type, "stop")))
        return TM_OP_HALT;
    if (t && (!strcmp(t, "crossover") || !strcmp(t, "junction") || !strcmp(t, "blockPost")))
        return TM_OP_JUNCTION;
    if (t && !strcmp(t, "depot"))
        return TM_OP_YARD;
    return TM_OP_STATION;
}

static int read_ocps(r2 *r, const xmlNode *infra, tumen_error *err)
{
    const xmlNode *list = tm_xchild(infra, "operationControlPoints");
    for (xmlNode *c = list ? list->children : NULL; c; c = c->next)
        if (tm_xis(c, "ocp") && tm_vec_push(&r->ocps, c))
            return oom(r, err);
    r->ctx->out->summary.operational_points = r->ocps.n;
    r->ocp_node = malloc((r->ocps.n ? r->ocps.n : 1) * sizeof *r->ocp_node);
    if (!r->ocp_node)
        return oom(r, err);
    for (size_t i = 0; i < r->ocps.n; i++) {
        const xmlNode *o = r->ocps.items[i];
        const char *id = tm_xattr(o, "id");
        if (!id)
            return tm_xerror(err, TUMEN_EINPUT, r->file, o, "missing attribute 'id'");
        const char *name = tm_xattr(o, "name");
        size_t n = tm_ig_node_add(&r->ctx->graph, id, name, TM_IG_OP, ocp_kind(o));
        if (n == (size_t)-1)
            return oom(r, err);
        read_geo(o, &r->ctx->graph.nodes.items[n]);
        r->ocp_node[i] = n;
    }
    return TUMEN_OK;
}

/* Stop posts of ocps that no crossSection placed. */
static int place_stop_posts(r2 *r, const xmlNode *tracks, tumen_error *err)
{
    tm_import_graph *g = &r->ctx->graph;
    unsigned char *placed = calloc(r->ocps.n ? r->ocps.n : 1, 1);
    if (!placed)
        return oom(r, err);
    for (size_t k = 0; k < g->tracks.n; k++)
        for (size_t c = 0; c < g->tracks.items[k].cuts.n; c++)
            for (size_t i = 0; i < r->ocps.n; i++)
                if (g->tracks.items[k].cuts.items[c].node == r->ocp_node[i])
                    placed[i] = 1;
    int rc = TUMEN_OK;
    size_t k = 0;
    for (const xmlNode *tr = tracks ? tracks->children : NULL; rc == TUMEN_OK && tr; tr = tr->next) {
        if (!tm_xis(tr, "track"))
            continue;
        const xmlNode *topo = tm_xchild(tr, "trackTopology");
        double begin = 0.0;
        tm_xnumber(r->file, tm_xchild(topo, "trackBegin"), "pos", -1e9, 1e9, "m", 0, &begin,
                   NULL, NULL);
        const xmlNode *sp = tm_xchild(tm_xchild(tr, "ocsElements"), "stopPosts");
        for (const xmlNode *c = sp ? sp->children : NULL; rc == TUMEN_OK && c; c = c->next) {
            size_t i = tm_xis(c, "stopPost") ? find_ocp(r, tm_xattr(c, "ocpRef")) : (size_t)-1;
            if (i != (size_t)-1 && !placed[i])
                rc = place_ocp(r, c, k, begin, g->tracks.items[k].length, err);
        }
        k++;
    }
    free(placed);
    return rc;
}

static size_t find_conn(const r2 *r, const char *id)
{
    for (size_t i = 0; id && i < r->conns.n; i++)
        if (!strcmp(r->conns.items[i].id, id))
            return i;
    return (size_t)-1;
}

/* The far side of a switch connection: the raw track end its partner stands on. */
static int partner_end(const r2 *r, const conn *c, tm_ig_attach *out)
{
    size_t j = find_conn(r, c->ref);
    if (j != (size_t)-1 && r->conns.items[j].end >= 0) {
        *out = tm_ig_end_attach(&r->ctx->graph, r->conns.items[j].track, r->conns.items[j].end);
        return 1;
    }
    for (size_t k = 0; c->ref && k < r->track_ids.n; k++)
        if (!strcmp(r->track_ids.items[k], c->ref)) {
            *out = tm_ig_end_attach(&r->ctx->graph, k, 0); /* a track named: its start */
            return 1;
        }
    return 0;
}

/* The legal moves (docs/formats.md, "Switches"): a plain joint of two track ends; a switch's
 * branch from the side of its track it is reached from (before pos for an outgoing
 * connection, after it for an incoming one; at a track's end, from the track ends joined
 * there), and a single or double switch crossing's likewise; over a crossing, the other line
 * straight on (from its incoming to its outgoing connection); the straight way along a track
 * through every point on it is the import graph's. */
static int add_moves(r2 *r)
{
    tm_import_graph *g = &r->ctx->graph;
    int any = 0;
    for (size_t i = 0; i < r->conns.n; i++) {
        const conn *c = &r->conns.items[i];
        tm_ig_attach far;
        if (c->end >= 0) {
            size_t j = find_conn(r, c->ref);
            if (j != (size_t)-1 && j > i && r->conns.items[j].end >= 0) {
                if (tm_ig_link_add(g, c->track, c->end, r->conns.items[j].track,
                                   r->conns.items[j].end, 0.0))
                    return -1;
                any = 1;
            }
            continue;
        }
        if (c->is_crossing && c->outgoing && partner_end(r, c, &far)) {
            /* The other line straight over: from each incoming connection of this crossing
             * to this outgoing one. */
            for (size_t k = 0; k < r->conns.n; k++) {
                const conn *x = &r->conns.items[k];
                tm_ig_attach from;
                if (x->is_crossing && x->node == c->node && !x->outgoing &&
                    partner_end(r, x, &from)) {
                    if (tm_ig_link_add_at(g, from, far, 0.0))
                        return -1;
                    any = 1;
                }
            }
        }
        if (!(c->is_switch || c->slips) || !partner_end(r, c, &far))
            continue;
        const double length = g->tracks.items[c->track].length;
        const int before = c->outgoing; /* reached from the piece before pos */
        if (before ? c->pos > 1e-3 : c->pos < length - 1e-3) {
            tm_ig_attach near = {c->track, c->pos, before ? -1 : +1};
            if (tm_ig_link_add_at(g, near, far, c->speed))
                return -1;
            any = 1;
            continue;
        }
        /* At the track's start (or end): reached from the track ends joined there. */
        const int end = before ? 0 : 1;
        for (size_t k = 0; k < r->conns.n; k++) {
            const conn *x = &r->conns.items[k];
            size_t j = find_conn(r, x->ref);
            if (x->end < 0 || j == (size_t)-1 || r->conns.items[j].track != c->track ||
                r->conns.items[j].end != end)
                continue;
            if (tm_ig_link_add_at(g, tm_ig_end_attach(g, x->track, x->end), far, c->speed))
                return -1;
            any = 1;
        }
    }
    g->has_topology = any;
    return 0;
}

static int resolve_connections(r2 *r, tumen_error *err)
{
    tm_import_graph *g = &r->ctx->graph;
    for (size_t i = 0; i < r->conns.n; i++) {
        const conn *c = &r->conns.items[i];
        size_t j = find_conn(r, c->ref);
        if (j != (size_t)-1) {
            tm_ig_join(g, c->node, r->conns.items[j].node);
            continue;
        }
        /* Some exports name the neighbouring track instead of its connection. */
        size_t t = (size_t)-1;
        for (size_t k = 0; c->ref && k < r->track_ids.n; k++)
            if (!strcmp(r->track_ids.items[k], c->ref))
                t = k;
        if (t != (size_t)-1 && c->end >= 0) {
            tm_ig_join(g, c->node, tm_ig_track_end(g, t, !c->end));
            continue;
        }
        if (r->ctx->opt->strict)
            return tm_xerror(err, TUMEN_EINPUT, r->file, c->el,
                             "the connection refers to '%s', which is no connection or "
                             "track of the file (a missing node)",
                             c->ref ? c->ref : "");
        r->ctx->out->summary.open_refs++; /* leads out of the file: the track ends here */
    }
    return TUMEN_OK;
}

/* ---- Rolling stock and timetable ------------------------------------------------------ */

int tm_railml2_read(tm_import_ctx *ctx, xmlDoc *doc, tumen_error *err)
{
    r2 r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.file = ctx->file;
    const xmlNode *root = xmlDocGetRootElement(doc);
    const char *version = tm_xattr(root, "version");
    tm_utf8_clip(ctx->out->version, sizeof ctx->out->version, version ? version : "2");
    const xmlNode *infra = tm_xchild(root, "infrastructure");
    int rc = read_ocps(&r, infra, err);
    const xmlNode *tracks = tm_xchild(infra, "tracks");
    for (const xmlNode *t = tracks ? tracks->children : NULL; rc == TUMEN_OK && t; t = t->next)
        if (tm_xis(t, "track"))
            rc = read_track(&r, t, err);
    if (rc == TUMEN_OK)
        rc = place_stop_posts(&r, tracks, err);
    if (rc == TUMEN_OK)
        rc = resolve_connections(&r, err);
    if (rc == TUMEN_OK && add_moves(&r))
        rc = oom(&r, err);
    /* Every signal element counts, wherever the file puts it. */
    ctx->out->summary.signals = infra ? tm_xcount(infra, "signal") : 0;
    /* and every structure element, as the file has them */
    ctx->out->summary.level_crossings = tm_xcount(root, "levelCrossing");
    ctx->out->summary.bridges = tm_xcount(root, "bridge");
    ctx->out->summary.tunnels = tm_xcount(root, "tunnel");
    free(r.conns.items);
    free(r.track_ids.items);
    free(r.ocps.items);
    free(r.ocp_node);
    if (rc == TUMEN_OK)
        rc = tm_import_finish_network(ctx, err);
    if (rc == TUMEN_OK)
        rc = tm_railml2_stock_timetable(ctx, root, err);
    return rc;
}
