/* railml3.c: railML 3.1/3.2 infrastructure: the micro level of the topology (netElements
 * without element collections, joined by netRelations; the length is @length, else the
 * <length> of the <track> on the element alone, else the distance between the linear
 * measures at intrinsic coordinates 0 and 1), and what functionalInfrastructure places on it by
 * spot and linear locations: speedSections, gradientCurves, horizontalCurves, signals
 * (signal or signalIS), switches (switch or switchIS), operationalPoints and insulated
 * electrificationSections (neutral sections; the electrification system is not read).
 *
 * Navigable netRelations are the network's connections (docs/formats.md, "Switches"): where
 * the file relates two elements with navigability None (a switch's two branches), no train
 * runs from one into the other.
 *
 * A location on a micro netElement is its @pos (m), else its intrinsic coordinate times the
 * length, else its linear coordinate mapped through the element's intrinsic coordinates 0
 * and 1. A location on a meso or macro netElement (a collection of others) must give a
 * linear coordinate; it lands on the first micro part whose measure range holds it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "core/error.h"
#include "formats/import_reader.h"
#include "formats/import_xml.h"


typedef struct ne {
    const char *id;
    const xmlNode *el;
    size_t track;          /* raw track, or -1 for a collection */
    double m0, m1;         /* linear measures at intrinsic 0 and 1 (NAN if not given) */
} ne;

typedef struct r3 {
    tm_import_ctx *ctx;
    const char *file;
    tumen_error *err;
    TM_VEC(ne) nes;
} r3;

static int oom(r3 *r)
{
    return tm_error_set(r->err, TUMEN_ENOMEM, r->file, 0, NULL, "out of memory");
}

static size_t find_ne(const r3 *r, const char *id)
{
    for (size_t i = 0; id && i < r->nes.n; i++)
        if (!strcmp(r->nes.items[i].id, id))
            return i;
    return (size_t)-1;
}

static int parse_dir(const char *d)
{
    if (d && !strcmp(d, "normal"))
        return 1;
    if (d && !strcmp(d, "reverse"))
        return -1;
    return 0;
}

static double measure_of(const xmlNode *coord)
{
    const xmlNode *lc = tm_xchild(coord, "linearCoordinate");
    const char *m = lc ? tm_xattr(lc, "measure") : NULL;
    return m ? strtod(m, NULL) : NAN;
}

/* The physical <length> of the <track> of functionalInfrastructure that lies on netElement
 * id alone (one associatedNetElement), or NAN. */
static double track_length_of(const xmlNode *fi, const char *id)
{
    const xmlNode *tracks = tm_xchild(fi, "tracks");
    for (const xmlNode *t = tracks ? tracks->children : NULL; t; t = t->next) {
        if (!tm_xis(t, "track"))
            continue;
        const xmlNode *ll = tm_xchild(t, "linearLocation"), *only = NULL;
        int n = 0;
        for (const xmlNode *a = ll ? ll->children : NULL; a; a = a->next)
            if (tm_xis(a, "associatedNetElement")) {
                only = a;
                n++;
            }
        const char *ref = only ? tm_xattr(only, "netElementRef") : NULL;
        if (n != 1 || !ref || strcmp(ref, id))
            continue;
        for (const xmlNode *l = t->children; l; l = l->next) {
            const char *type = tm_xis(l, "length") ? tm_xattr(l, "type") : NULL;
            const char *v = tm_xis(l, "length") ? tm_xattr(l, "value") : NULL;
            if (v && (!type || !strcmp(type, "physical")))
                return strtod(v, NULL);
        }
    }
    return NAN;
}

/* A micro netElement's length: its @length, else the <length> of the track on it alone,
 * else the distance between the linear measures of its intrinsic coordinates 0 and 1
 * (railML 3.1 makes @length optional). */
static int element_length(r3 *r, const xmlNode *e, const xmlNode *fi, const ne *n,
                          double *length)
{
    int has_length = 0;
    int rc = tm_xnumber(r->file, e, "length", 1e-3, 1e7, "m", 0, length, &has_length, r->err);
    if (rc != TUMEN_OK || has_length)
        return rc;
    *length = track_length_of(fi, n->id);
    if (isnan(*length) && !isnan(n->m0) && !isnan(n->m1))
        *length = fabs(n->m1 - n->m0);
    if (*length >= 1e-3 && *length <= 1e7)
        return TUMEN_OK;
    if (isnan(*length))
        return tm_xerror(r->err, TUMEN_EINPUT, r->file, e,
                         "length: netElement '%s' has no length (give @length, a <track> "
                         "with <length> on it, or intrinsic coordinates 0 and 1 with linear "
                         "measures)",
                         n->id);
    return tm_xerror(r->err, TUMEN_EINPUT, r->file, e,
                     "length: netElement '%s' is %g m long by its track or coordinates "
                     "(0.001 m to 10000 km)",
                     n->id, *length);
}

static int read_net_elements(r3 *r, const xmlNode *topo, const xmlNode *fi)
{
    const xmlNode *list = tm_xchild(topo, "netElements");
    for (const xmlNode *e = list ? list->children : NULL; e; e = e->next) {
        if (!tm_xis(e, "netElement"))
            continue;
        ne n = {tm_xattr(e, "id"), e, (size_t)-1, NAN, NAN};
        if (!n.id)
            return tm_xerror(r->err, TUMEN_EINPUT, r->file, e, "missing attribute 'id'");
        double length = 0.0;
        const xmlNode *aps = tm_xchild(e, "associatedPositioningSystem");
        for (const xmlNode *ic = aps ? aps->children : NULL; ic; ic = ic->next) {
            const char *at = tm_xis(ic, "intrinsicCoordinate") ? tm_xattr(ic, "intrinsicCoord")
                                                               : NULL;
            if (at && strtod(at, NULL) == 0.0)
                n.m0 = measure_of(ic);
            else if (at && strtod(at, NULL) == 1.0)
                n.m1 = measure_of(ic);
        }
        if (!tm_xchild(e, "elementCollectionUnordered") &&
            !tm_xchild(e, "elementCollectionOrdered")) {
            int rc = element_length(r, e, fi, &n, &length);
            if (rc != TUMEN_OK)
                return rc;
            n.track = tm_ig_track_add(&r->ctx->graph, n.id, length);
            if (n.track == (size_t)-1)
                return oom(r);
            r->ctx->out->summary.tracks++;
            r->ctx->out->summary.length_m += length;
        }
        if (tm_vec_push(&r->nes, n))
            return oom(r);
    }
    return TUMEN_OK;
}

static int read_net_relations(r3 *r, const xmlNode *topo)
{
    const xmlNode *list = tm_xchild(topo, "netRelations");
    tm_import_graph *g = &r->ctx->graph;
    for (const xmlNode *e = list ? list->children : NULL; e; e = e->next) {
        if (!tm_xis(e, "netRelation"))
            continue;
        const xmlNode *a = tm_xchild(e, "elementA"), *b = tm_xchild(e, "elementB");
        const char *ra = a ? tm_xattr(a, "ref") : NULL, *rb = b ? tm_xattr(b, "ref") : NULL;
        size_t ia = find_ne(r, ra), ib = find_ne(r, rb);
        if (ia == (size_t)-1 || ib == (size_t)-1)
            return tm_xerror(r->err, TUMEN_EINPUT, r->file, ia == (size_t)-1 ? (a ? a : e) : b,
                             "refers to netElement '%s', which is not in the file (a missing "
                             "node)",
                             ia == (size_t)-1 ? (ra ? ra : "") : (rb ? rb : ""));
        const char *nav = tm_xattr(e, "navigability");
        size_t ta = r->nes.items[ia].track, tb = r->nes.items[ib].track;
        if (ta == (size_t)-1 || tb == (size_t)-1 || (nav && !strcmp(nav, "None")))
            continue; /* meso/macro levels, or no train passes: nothing to join */
        const char *pa = tm_xattr(e, "positionOnA"), *pb = tm_xattr(e, "positionOnB");
        const int ea = pa && !strcmp(pa, "1"), eb = pb && !strcmp(pb, "1");
        tm_ig_join(g, tm_ig_track_end(g, ta, ea), tm_ig_track_end(g, tb, eb));
        /* A navigable relation is a legal move (a switch's branches are related with
         * navigability None, so no train runs from one into the other). */
        if (tm_ig_link_add(g, ta, ea, tb, eb, 0.0))
            return oom(r);
        r->ctx->out->summary.switch_connections++;
    }
    return TUMEN_OK;
}

/* The micro part of netElement i (recursively through collections) whose measure range
 * holds m; -1 if none. */
static size_t micro_at(r3 *r, size_t i, double m, int depth)
{
    const ne *n = &r->nes.items[i];
    if (n->track != (size_t)-1) {
        double lo = fmin(n->m0, n->m1), hi = fmax(n->m0, n->m1);
        return m >= lo - 1e-6 && m <= hi + 1e-6 ? i : (size_t)-1;
    }
    if (depth > 8)
        return (size_t)-1;
    const xmlNode *coll = tm_xchild(n->el, "elementCollectionUnordered");
    if (!coll)
        coll = tm_xchild(n->el, "elementCollectionOrdered");
    for (const xmlNode *p = coll ? coll->children : NULL; p; p = p->next) {
        size_t j = tm_xis(p, "elementPart") ? find_ne(r, tm_xattr(p, "ref")) : (size_t)-1;
        size_t hit = j != (size_t)-1 ? micro_at(r, j, m, depth + 1) : (size_t)-1;
        if (hit != (size_t)-1)
            return hit;
    }
    return (size_t)-1;
}

/* A position from a micro element's measure. */
static double pos_from_measure(const r3 *r, const ne *n, double m)
{
    double len = r->ctx->graph.tracks.items[n->track].length;
    if (isnan(n->m0) || isnan(n->m1) || n->m1 == n->m0)
        return NAN;
    return (m - n->m0) / (n->m1 - n->m0) * len;
}

/* Resolves a location element (spotLocation, associatedNetElement) on netElementRef to a
 * raw track and a position: pos_attr (pos, fromPos, toPos), else intrinsic_attr times the
 * length, else the measure of coord (a child with linearCoordinate or the child itself). */
static int locate(r3 *r, const xmlNode *loc, const char *pos_attr, const char *intrinsic_attr,
                  double measure, double fallback, size_t *track, double *pos)
{
    const char *ref = tm_xattr(loc, "netElementRef");
    size_t i = find_ne(r, ref);
    if (i == (size_t)-1)
        return tm_xerror(r->err, TUMEN_EINPUT, r->file, loc,
                         "netElementRef '%s' names no netElement of the file",
                         ref ? ref : "");
    const ne *n = &r->nes.items[i];
    if (n->track == (size_t)-1) {
        size_t j = isnan(measure) ? (size_t)-1 : micro_at(r, i, measure, 0);
        if (j == (size_t)-1)
            return tm_xerror(r->err, TUMEN_EINPUT, r->file, loc,
                             "a location on netElement '%s' (a collection) needs a linear "
                             "coordinate within one of its parts",
                             ref);
        n = &r->nes.items[j];
        *track = n->track;
        *pos = pos_from_measure(r, n, measure);
        return TUMEN_OK;
    }
    double len = r->ctx->graph.tracks.items[n->track].length, x = NAN;
    const char *p = pos_attr ? tm_xattr(loc, pos_attr) : NULL;
    const char *ic = intrinsic_attr ? tm_xattr(loc, intrinsic_attr) : NULL;
    int rc = TUMEN_OK;
    if (p) {
        rc = tm_xnumber(r->file, loc, pos_attr, -1e-3, len + 1e-3, "m on its netElement", 1, &x,
                        NULL, r->err);
    } else if (ic) {
        rc = tm_xnumber(r->file, loc, intrinsic_attr, 0.0, 1.0, "", 1, &x, NULL, r->err);
        x *= len;
    } else if (!isnan(measure)) {
        x = pos_from_measure(r, n, measure);
    } else if (!isnan(fallback)) {
        x = fallback > len ? len : fallback; /* a linear location over the whole element */
    }
    if (rc != TUMEN_OK)
        return rc;
    if (isnan(x) || x < -1e-3 || x > len + 1e-3)
        return tm_xerror(r->err, TUMEN_EINPUT, r->file, loc,
                         "the location lies outside netElement '%s' (0 m to %g m) or gives no "
                         "position",
                         ref, len);
    *track = n->track;
    *pos = x;
    return TUMEN_OK;
}

static int spot(r3 *r, const xmlNode *el, size_t *track, double *pos, int *dir)
{
    const xmlNode *s = tm_xchild(el, "spotLocation");
    if (!s)
        return tm_xerror(r->err, TUMEN_EINPUT, r->file, el, "no <spotLocation>");
    *dir = parse_dir(tm_xattr(s, "applicationDirection"));
    return locate(r, s, "pos", "intrinsicCoord", measure_of(s), NAN, track, pos);
}

/* Ranges of a linearLocation's associated netElements. */
static int linear(r3 *r, const xmlNode *el, tm_ig_prop prop, double value)
{
    for (const xmlNode *ll = tm_xchild(el, "linearLocation"); ll; ll = tm_xnext(ll)) {
        int dir = parse_dir(tm_xattr(ll, "applicationDirection"));
        for (const xmlNode *a = ll->children; a; a = a->next) {
            if (!tm_xis(a, "associatedNetElement"))
                continue;
            const xmlNode *b = tm_xchild(a, "linearCoordinateBegin");
            const xmlNode *e = tm_xchild(a, "linearCoordinateEnd");
            double mb = b && tm_xattr(b, "measure") ? strtod(tm_xattr(b, "measure"), NULL) : NAN;
            double me = e && tm_xattr(e, "measure") ? strtod(tm_xattr(e, "measure"), NULL) : NAN;
            size_t t1, t2;
            double p1, p2;
            int rc = locate(r, a, "fromPos", "intrinsicCoordBegin", mb, 0.0, &t1, &p1);
            if (rc == TUMEN_OK)
                rc = locate(r, a, "toPos", "intrinsicCoordEnd", me, INFINITY, &t2, &p2);
            if (rc != TUMEN_OK)
                return rc;
            if (t1 != t2)
                p2 = p1 < p2 ? r->ctx->graph.tracks.items[t1].length : 0.0;
            if (tm_ig_range_add(&r->ctx->graph, t1, prop, p1, p2, dir, value))
                return oom(r);
        }
    }
    return TUMEN_OK;
}

static const char *name_of(const xmlNode *el)
{
    const xmlNode *n = tm_xchild(el, "name");
    return n ? tm_xattr(n, "name") : NULL;
}

/* A railML 3 <levelCrossing> as a structure where it lies on a micro netElement (one on
 * a meso or macro element only is counted, not placed). Its kind: manual activation is a
 * manned crossing, no barriers and no lights an unprotected one, else automatic. */
static int level_crossing(r3 *r, const xmlNode *el)
{
    tm_structure st;
    memset(&st, 0, sizeof st);
    st.kind = TM_STRUCT_LEVEL_CROSSING;
    size_t t;
    int dir;
    if (spot(r, el, &t, &st.position, &dir) != TUMEN_OK || t == (size_t)-1) {
        tm_error_clear(r->err);
        return TUMEN_OK;
    }
    const char *name = name_of(el), *id = tm_xattr(el, "id");
    const char *act = tm_xattr(el, "activation");
    const xmlNode *prot = tm_xchild(el, "protection");
    const char *bar = prot ? tm_xattr(prot, "barriers") : NULL;
    const char *lights = prot ? tm_xattr(prot, "lights") : NULL;
    if (act && strstr(act, "anual"))
        st.crossing = TM_CROSSING_MANNED;
    else if (bar && !strcmp(bar, "none") && lights && !strcmp(lights, "none"))
        st.crossing = TM_CROSSING_UNPROTECTED;
    return tm_ig_structure_add(&r->ctx->graph, t, &st, name ? name : id ? id : "") ? oom(r)
                                                                                 : TUMEN_OK;
}

static int read_functional(r3 *r, const xmlNode *fi)
{
    tm_import_graph *g = &r->ctx->graph;
    tm_import_summary *sum = &r->ctx->out->summary;
    tm_xnodes v = {0};
    int rc = TUMEN_OK;
    static const char *const kinds[] = {"speedSection", "gradientCurve", "horizontalCurve",
                                        "signal", "signalIS", "switch", "switchIS",
                                        "operationalPoint", "levelCrossing",
                                        "electrificationSection", NULL};
    for (size_t k = 0; rc == TUMEN_OK && kinds[k]; k++) {
        v.n = 0;
        if (tm_xfind(fi, kinds[k], &v)) {
            rc = oom(r);
            break;
        }
        for (size_t i = 0; rc == TUMEN_OK && i < v.n; i++) {
            const xmlNode *el = v.items[i];
            size_t t;
            double pos, x;
            int dir;
            if (k == 0) {
                sum->speed_changes++;
                const char *tmp = tm_xattr(el, "isTemporary");
                if (tmp && !strcmp(tmp, "true") && r->ctx->opt->drop_temporary)
                    continue;
                /* railML 3.1 as published names it maxSpeed; its beta, vMax. */
                const char *key = tm_xattr(el, "maxSpeed") ? "maxSpeed" : "vMax";
                rc = tm_xnumber(r->file, el, key, 1.0, 1000.0, "km/h", 1, &x, NULL, r->err);
                if (rc == TUMEN_OK)
                    rc = linear(r, el, TM_IG_SPEED, x * TM_KMH);
            } else if (k == 1) {
                sum->gradient_changes++;
                rc = tm_xnumber(r->file, el, "gradient", -1000.0, 1000.0, "permille", 1, &x,
                                NULL, r->err);
                if (rc == TUMEN_OK)
                    rc = linear(r, el, TM_IG_GRADIENT, x / 1000.0);
            } else if (k == 2) {
                sum->curve_changes++;
                rc = tm_xnumber(r->file, el, "radius", -1e8, 1e8, "m", 1, &x, NULL, r->err);
                if (rc == TUMEN_OK)
                    rc = linear(r, el, TM_IG_RADIUS, fabs(x));
            } else if (k == 8) {
                rc = level_crossing(r, el);
            } else if (k == 9) {
                /* An insulated section of the contact line (railML 3.1 isInsulatedSection):
                 * a neutral section, traction cut in its application direction. */
                const char *ins = tm_xattr(el, "isInsulatedSection");
                if (ins && !strcmp(ins, "true"))
                    rc = linear(r, el, TM_IG_NEUTRAL, 0.0);
            } else if (k == 3 || k == 4) {
                sum->signals++;
                rc = spot(r, el, &t, &pos, &dir);
                if (rc == TUMEN_OK && tm_ig_signal_add(g, t, pos, dir, tm_xattr(el, "id")))
                    rc = oom(r);
            } else {
                int is_op = k == 7;
                if (is_op)
                    sum->operational_points++;
                else
                    sum->switches++;
                const char *id = tm_xattr(el, "id");
                if (!id) {
                    rc = tm_xerror(r->err, TUMEN_EINPUT, r->file, el, "missing attribute 'id'");
                    break;
                }
                rc = spot(r, el, &t, &pos, &dir);
                size_t node = rc == TUMEN_OK
                                  ? tm_ig_node_add(g, id, name_of(el), is_op ? TM_IG_OP : TM_IG_SWITCH,
                                                   is_op ? TM_OP_STATION : TM_OP_JUNCTION)
                                  : 0;
                if (rc == TUMEN_OK && (node == (size_t)-1 || tm_ig_cut_add(g, t, pos, node)))
                    rc = oom(r);
            }
        }
    }
    free(v.items);
    return rc;
}

int tm_railml3_read(tm_import_ctx *ctx, xmlDoc *doc, tumen_error *err)
{
    r3 r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.file = ctx->file;
    r.err = err;
    const xmlNode *root = xmlDocGetRootElement(doc);
    const char *version = tm_xattr(root, "version");
    tm_utf8_clip(ctx->out->version, sizeof ctx->out->version, version ? version : "3");
    const xmlNode *infra = tm_xchild(root, "infrastructure");
    const xmlNode *topo = tm_xchild(infra, "topology");
    if (!topo)
        return tm_xerror(err, TUMEN_EINPUT, r.file, infra ? infra : root,
                         "no <infrastructure> with a <topology>");
    const xmlNode *fi = tm_xchild(infra, "functionalInfrastructure");
    int rc = read_net_elements(&r, topo, fi);
    if (rc == TUMEN_OK)
        rc = read_net_relations(&r, topo);
    if (rc == TUMEN_OK && fi)
        rc = read_functional(&r, fi);
    ctx->out->summary.level_crossings = tm_xcount(root, "levelCrossing");
    free(r.nes.items);
    if (rc == TUMEN_OK)
        rc = tm_import_finish_network(ctx, err);
    return rc;
}
