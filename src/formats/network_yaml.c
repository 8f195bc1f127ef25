/* network_yaml.c: the `network:` key of tumen YAML (docs/formats.md, "Networks"):
 * operational points with loops and facilities, and the tracks that join them.
 *
 * Several files may each give a part of one network: points and tracks are appended to the
 * scenario's network, and a track may join points of an earlier file. Ids are unique among
 * points and among tracks across all files. Look-ups by id go through a sorted index built
 * once per document (n log n), not a scan per track, so a generated network of thousands of
 * points reads in milliseconds. After each document the adjacency arrays are rebuilt.
 *
 * Every value is checked where it is read; an error names the file, the line and the field
 * ("network.tracks[3].sections[2]"), and says what is wrong in the track's own terms (its
 * length, the section's start and end).
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "formats/readers.h"
#include "model/network.h"

#define TOLERANCE 1e-6 /* m: sections and track ends closer than this meet */

static const tm_ychoice op_kinds[] = {{"station", TM_OP_STATION}, {"halt", TM_OP_HALT},
                                      {"junction", TM_OP_JUNCTION}, {"border", TM_OP_BORDER},
                                      {"yard", TM_OP_YARD},       {NULL, 0}};
static const tm_ychoice directions[] = {
    {"forward", 1}, {"backward", -1}, {"both", 0}, {NULL, 0}};
/* A section's neutral section: the directions in which traction is cut (tm_track_section
 * bits). */
static const tm_ychoice neutral_directions[] = {
    {"forward", 1}, {"backward", 2}, {"both", 3}, {NULL, 0}};

static int no_memory(const tm_ydoc *doc, const tm_ynode *node, const char *path,
                     tumen_error *err)
{
    return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), node ? node->line : 0, path,
                        "out of memory");
}

int tm_yread_gauge(const tm_ydoc *doc, const tm_ynode *node, const char *path, int *mm,
                   tumen_error *err)
{
    static const tm_yrange range = {0.3, 3.0, 0}; /* m: 300 mm to 3 m */
    double g = 0.0;
    int rc = tm_yread_quantity(doc, node, path, TM_DIM_LENGTH, range, &g, err);
    if (rc == TUMEN_OK)
        *mm = (int)lround(g * 1000.0);
    return rc;
}

/* ---- Operational points ------------------------------------------------------------ */

static int read_position(const tm_ydoc *doc, const tm_ynode *node, const char *path, tm_op *op,
                         tumen_error *err)
{
    static const tm_yrange lat_range = {-90.0, 90.0, 0}, lon_range = {-180.0, 180.0, 0};
    char sub[160];
    if (node->kind != TM_YSEQ || node->n != 2)
        return tm_yerror(doc, node, path, err,
                         "must be [latitude, longitude] in degrees, e.g. [42.42, 130.60]");
    int rc = tm_yread_number(doc, node->items[0], tm_ypath_index(sub, sizeof sub, path, 0),
                             lat_range, &op->lat, err);
    if (rc == TUMEN_OK)
        rc = tm_yread_number(doc, node->items[1], tm_ypath_index(sub, sizeof sub, path, 1),
                             lon_range, &op->lon, err);
    op->has_position = rc == TUMEN_OK;
    return rc;
}

static int read_loops(const tm_ydoc *doc, const tm_ynode *node, const char *path, tm_op *op,
                      tumen_error *err)
{
    int rc = tm_yexpect(doc, node, TM_YSEQ, path, "a list of loop lengths, e.g. [850 m, 850 m]",
                        err);
    if (rc != TUMEN_OK || node->n == 0)
        return rc;
    op->loops = calloc(node->n, sizeof *op->loops);
    if (!op->loops)
        return no_memory(doc, node, path, err);
    for (size_t i = 0; i < node->n; i++) {
        char sub[160];
        rc = tm_yread_quantity(doc, node->items[i], tm_ypath_index(sub, sizeof sub, path, i),
                               TM_DIM_LENGTH, TM_YR_POSITIVE, &op->loops[i], err);
        if (rc != TUMEN_OK)
            return rc;
        op->n_loops++;
    }
    return TUMEN_OK;
}

static int read_bogie_exchange(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                               tm_op *op, tumen_error *err)
{
    static const char *const keys[] = {"gauges", "time", NULL};
    int rc = tm_yexpect(doc, map, TM_YMAP, path,
                        "a mapping {gauges: [1435 mm, 1520 mm], time: 2 h}", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    const tm_ynode *gauges = NULL;
    char sub[160], item[160];
    if (rc == TUMEN_OK)
        rc = tm_yget_node(doc, map, path, "gauges", 1, &gauges, err);
    tm_ypath_key(sub, sizeof sub, path, "gauges");
    if (rc == TUMEN_OK && (gauges->kind != TM_YSEQ || gauges->n != 2))
        rc = tm_yerror(doc, gauges, sub, err,
                       "must list the two gauges it joins, e.g. [1435 mm, 1520 mm]");
    for (size_t i = 0; rc == TUMEN_OK && i < 2; i++)
        rc = tm_yread_gauge(doc, gauges->items[i], tm_ypath_index(item, sizeof item, sub, i),
                            &op->exchange_gauges[i], err);
    if (rc == TUMEN_OK && op->exchange_gauges[0] == op->exchange_gauges[1])
        rc = tm_yerror(doc, gauges, sub, err, "joins %d mm with itself: give two gauges",
                       op->exchange_gauges[0]);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "time", TM_DIM_DURATION, TM_YR_NONNEG, 1,
                              &op->exchange_time, NULL, err);
    op->bogie_exchange = rc == TUMEN_OK;
    return rc;
}

static int read_locomotive_change(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                                  tm_op *op, tumen_error *err)
{
    static const char *const keys[] = {"time", NULL};
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a mapping {time: 30 min}", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "time", TM_DIM_DURATION, TM_YR_NONNEG, 1,
                              &op->locomotive_change_time, NULL, err);
    op->locomotive_change = rc == TUMEN_OK;
    return rc;
}

static int read_op(const tm_ydoc *doc, const tm_ynode *map, const char *path, tm_op *op,
                   tumen_error *err)
{
    static const char *const keys[] = {"id",    "name",           "kind",
                                       "position", "loops",       "bogie_exchange",
                                       "locomotive_change", NULL};
    int kind = TM_OP_STATION;
    op->lat = op->lon = NAN;
    int rc = tm_yexpect(doc, map, TM_YMAP, path,
                        "an operational point (a mapping with id, name, kind...)", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, map, path, "id", 1, op->id, sizeof op->id, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_name_or(doc, map, path, "name", &op->name, op->id, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_choice(doc, map, path, "kind", op_kinds, 0, &kind, err);
    op->kind = (tm_op_kind)kind;
    if (rc != TUMEN_OK)
        return rc;
    char sub[160];
    const tm_ynode *n;
    if ((n = tm_ymap_get(map, "position")) &&
        (rc = read_position(doc, n, tm_ypath_key(sub, sizeof sub, path, "position"), op, err)))
        return rc;
    if ((n = tm_ymap_get(map, "loops")) &&
        (rc = read_loops(doc, n, tm_ypath_key(sub, sizeof sub, path, "loops"), op, err)))
        return rc;
    if ((n = tm_ymap_get(map, "bogie_exchange")) &&
        (rc = read_bogie_exchange(doc, n, tm_ypath_key(sub, sizeof sub, path, "bogie_exchange"),
                                  op, err)))
        return rc;
    if ((n = tm_ymap_get(map, "locomotive_change")) &&
        (rc = read_locomotive_change(
             doc, n, tm_ypath_key(sub, sizeof sub, path, "locomotive_change"), op, err)))
        return rc;
    return TUMEN_OK;
}

/* ---- Id index ------------------------------------------------------------------------ */

/* Sorted (id, index) pairs for look-ups by id in O(log n). */
typedef struct id_ref {
    const char *id;
    size_t index;
} id_ref;

static int cmp_id_ref(const void *a, const void *b)
{
    const id_ref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return (x->index > y->index) - (x->index < y->index);
}

/* Builds the sorted index of n ids (the id of item i at base + i * stride). On a duplicate,
 * *dup is the larger index of the first duplicate pair found (else (size_t)-1). Returns NULL
 * when memory runs out. */
static id_ref *index_ids(const char *base, size_t n, size_t stride, size_t *dup)
{
    id_ref *refs = malloc((n ? n : 1) * sizeof *refs);
    *dup = (size_t)-1;
    if (!refs)
        return NULL;
    for (size_t i = 0; i < n; i++)
        refs[i] = (id_ref){base + i * stride, i};
    qsort(refs, n, sizeof *refs, cmp_id_ref);
    for (size_t i = 1; i < n; i++)
        if (!strcmp(refs[i].id, refs[i - 1].id) && (*dup == (size_t)-1 || refs[i].index < *dup))
            *dup = refs[i].index; /* the later of the pair; the first such in input order */
    return refs;
}

static size_t find_id(const id_ref *refs, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(refs[mid].id, id);
        if (c == 0)
            return refs[mid].index;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (size_t)-1;
}

/* ---- Tracks ----------------------------------------------------------------------------- */

static int read_gauges(const tm_ydoc *doc, const tm_ynode *node, const char *path, tm_track *t,
                       tumen_error *err)
{
    if (node->kind != TM_YSEQ || node->n == 0 || node->n > TM_MAX_GAUGES)
        return tm_yerror(doc, node, path, err,
                         "must list 1 to %d gauges, e.g. [1435 mm] or [1435 mm, 1520 mm]",
                         TM_MAX_GAUGES);
    t->n_gauges = 0;
    for (size_t i = 0; i < node->n; i++) {
        char sub[160];
        int g = 0;
        int rc = tm_yread_gauge(doc, node->items[i], tm_ypath_index(sub, sizeof sub, path, i),
                                &g, err);
        if (rc != TUMEN_OK)
            return rc;
        for (int j = 0; j < t->n_gauges; j++)
            if (t->gauges[j] == g)
                return tm_yerror(doc, node->items[i], sub, err, "gauge %d mm is listed twice",
                                 g);
        t->gauges[t->n_gauges++] = g;
    }
    return TUMEN_OK;
}

int tm_yread_electrification(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                             tm_electrification *out, tumen_error *err)
{
    char text[64], path[160];
    int found = 0;
    int rc = tm_yget_string(doc, map, parent, "electrification", 0, text, sizeof text, &found,
                            err);
    if (rc != TUMEN_OK || !found)
        return rc;
    if (tm_electrification_parse(text, out) == 0)
        return TUMEN_OK;
    return tm_yerror(doc, tm_ymap_get(map, "electrification"),
                     tm_ypath_key(path, sizeof path, parent, "electrification"), err,
                     "unknown electrification '%s' (expected none, 600V DC, 1.5kV DC, 3kV DC, "
                     "15kV 16.7Hz or 25kV 50Hz)",
                     text);
}

/* One section; prev is the one before (NULL for the first). The first starts at 0 unless it
 * says otherwise, which is then an error: a track's sections cover it from its from end. */
static int read_track_section(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                              const tm_track *t, double default_limit, int has_default,
                              const tm_track_section *prev, tm_track_section *sec,
                              tumen_error *err)
{
    static const char *const keys[] = {"from",     "to",     "length",
                                       "speed_limit", "speed_limit_back", "gradient",
                                       "radius",   "neutral", NULL};
    int has_limit = 0, has_back = 0;
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a section (from, to, speed_limit...)", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK && !prev) { /* the first starts at the track's from end */
        double from = 0.0;
        rc = tm_yget_quantity(doc, map, path, "from", TM_DIM_LENGTH, TM_YR_ANY, 0, &from, NULL,
                              err);
        if (rc == TUMEN_OK && fabs(from) > TOLERANCE)
            return tm_yerror(doc, map, path, err,
                             "out of range: the first section starts at %g m, but a track's "
                             "sections start at its from end (0 m)",
                             from);
    }
    if (rc == TUMEN_OK)
        rc = tm_yread_extent(doc, map, path, prev ? &prev->end : NULL, &sec->start, &sec->end,
                             err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "speed_limit", TM_DIM_SPEED, TM_YR_POSITIVE, 0,
                              &sec->speed_limit, &has_limit, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "speed_limit_back", TM_DIM_SPEED, TM_YR_POSITIVE,
                              0, &sec->speed_limit_back, &has_back, err);
    if (rc == TUMEN_OK)
        rc = tm_yread_grade(doc, map, path, &sec->gradient, &sec->radius, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_choice(doc, map, path, "neutral", neutral_directions, 0, &sec->neutral, err);
    if (rc != TUMEN_OK)
        return rc;
    if (!has_limit && !has_default)
        return tm_yerror(doc, map, path, err,
                         "missing speed_limit (give it here or on the track)");
    if (!has_limit)
        sec->speed_limit = default_limit;
    if (!has_back)
        sec->speed_limit_back = sec->speed_limit;
    if (sec->end > t->length + TOLERANCE)
        return tm_yerror(doc, map, path, err,
                         "out of range: ends at %g m, beyond the track's length of %g m",
                         sec->end, t->length);
    return TUMEN_OK;
}

static int read_track_sections(const tm_ydoc *doc, const tm_ynode *list, const char *path,
                               tm_track *t, double default_limit, int has_default,
                               tumen_error *err)
{
    int rc = tm_yexpect(doc, list, TM_YSEQ, path, "a list of sections", err);
    if (rc != TUMEN_OK)
        return rc;
    if (list->n == 0)
        return tm_yerror(doc, list, path, err,
                         "an empty list: give sections, or leave them out for one section "
                         "of the track's speed_limit");
    t->sections = calloc(list->n, sizeof *t->sections);
    if (!t->sections)
        return no_memory(doc, list, path, err);
    for (size_t i = 0; i < list->n; i++) {
        char item[160];
        tm_ypath_index(item, sizeof item, path, i);
        rc = read_track_section(doc, list->items[i], item, t, default_limit, has_default,
                                i ? &t->sections[i - 1] : NULL, &t->sections[i], err);
        if (rc != TUMEN_OK)
            return rc;
        t->n_sections++;
    }
    double end = t->sections[t->n_sections - 1].end;
    if (end < t->length - TOLERANCE)
        return tm_yerror(doc, list, path, err,
                         "the sections end at %g m, short of the track's length of %g m", end,
                         t->length);
    t->sections[t->n_sections - 1].end = t->length;
    return TUMEN_OK;
}

static int read_signals(const tm_ydoc *doc, const tm_ynode *list, const char *path, tm_track *t,
                        tumen_error *err)
{
    static const char *const keys[] = {"at", "direction", "id", NULL};
    int rc = tm_yexpect(doc, list, TM_YSEQ, path, "a list of signals", err);
    if (rc != TUMEN_OK || list->n == 0)
        return rc;
    t->signals = calloc(list->n, sizeof *t->signals);
    if (!t->signals)
        return no_memory(doc, list, path, err);
    for (size_t i = 0; i < list->n; i++) {
        char item[160];
        const tm_ynode *map = list->items[i];
        tm_signal *sig = &t->signals[i];
        int dir = 0;
        tm_ypath_index(item, sizeof item, path, i);
        rc = tm_yexpect(doc, map, TM_YMAP, item, "a signal {at: 1.2 km, direction: forward}",
                        err);
        if (rc == TUMEN_OK)
            rc = tm_ycheck_keys(doc, map, item, keys, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_quantity(doc, map, item, "at", TM_DIM_LENGTH, TM_YR_ANY, 1,
                                  &sig->position, NULL, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_choice(doc, map, item, "direction", directions, 0, &dir, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_string(doc, map, item, "id", 0, sig->id, sizeof sig->id, NULL, err);
        if (rc != TUMEN_OK)
            return rc;
        sig->direction = dir;
        if (sig->position < -TOLERANCE || sig->position > t->length + TOLERANCE) {
            char sub[160];
            return tm_yerror(doc, tm_ymap_get(map, "at"), tm_ypath_key(sub, sizeof sub, item, "at"),
                             err, "the signal at %g m lies outside the track (0 m to %g m)",
                             sig->position, t->length);
        }
        t->n_signals++;
    }
    /* In position order, whatever order the file gives. */
    if (tm_stable_sort_by_double(t->signals, t->n_signals, sizeof *t->signals,
                                 offsetof(tm_signal, position)))
        return no_memory(doc, list, path, err);
    return TUMEN_OK;
}

/* Resolves map[key] (an operational point id) through the index. */
static int resolve_op(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                      const char *key, const id_ref *ops, size_t n_ops, size_t *out,
                      tumen_error *err)
{
    char id[TM_ID_LEN], sub[160];
    int rc = tm_yget_string(doc, map, path, key, 1, id, sizeof id, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    *out = find_id(ops, n_ops, id);
    if (*out == (size_t)-1)
        return tm_yerror(doc, tm_ymap_get(map, key), tm_ypath_key(sub, sizeof sub, path, key),
                         err,
                         "unknown operational point '%s' (not in network.operational_points "
                         "of this or an earlier file)",
                         id);
    return TUMEN_OK;
}

static int read_track(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                      const tm_network *net, const id_ref *ops, tm_track *t, tumen_error *err)
{
    static const char *const keys[] = {"id",          "from",        "to",
                                       "length",      "main_tracks", "gauges",
                                       "electrification", "max_axle_load", "speed_limit",
                                       "curve_resistance", "sections", "signals",
                                       "structures", "parallel", NULL};
    int rc = tm_yexpect(doc, map, TM_YMAP, path, "a track (a mapping with id, from, to, length)",
                        err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, map, path, "id", 1, t->id, sizeof t->id, NULL, err);
    if (rc == TUMEN_OK)
        rc = resolve_op(doc, map, path, "from", ops, net->n_ops, &t->from, err);
    if (rc == TUMEN_OK)
        rc = resolve_op(doc, map, path, "to", ops, net->n_ops, &t->to, err);
    char sub[160];
    if (rc == TUMEN_OK && t->from == t->to)
        return tm_yerror(doc, tm_ymap_get(map, "to"), tm_ypath_key(sub, sizeof sub, path, "to"),
                         err, "the track runs from '%s' to itself: a track joins two points",
                         net->ops[t->from].id);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "length", TM_DIM_LENGTH, TM_YR_POSITIVE, 1,
                              &t->length, NULL, err);
    long main_tracks = 1;
    const tm_ynode *n;
    if (rc == TUMEN_OK && (n = tm_ymap_get(map, "main_tracks")))
        rc = tm_yread_int(doc, n, tm_ypath_key(sub, sizeof sub, path, "main_tracks"), 1, 4,
                          &main_tracks, err);
    t->main_tracks = (int)main_tracks;
    t->gauges[0] = 1435;
    t->n_gauges = 1;
    if (rc == TUMEN_OK && (n = tm_ymap_get(map, "gauges")))
        rc = read_gauges(doc, n, tm_ypath_key(sub, sizeof sub, path, "gauges"), t, err);
    if (rc == TUMEN_OK)
        rc = tm_yread_electrification(doc, map, path, &t->electrification, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "max_axle_load", TM_DIM_MASS, TM_YR_POSITIVE, 0,
                              &t->max_axle_load, NULL, err);
    double limit = 0.0;
    int has_limit = 0, curve = TM_CURVE_ROECKL;
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "speed_limit", TM_DIM_SPEED, TM_YR_POSITIVE, 0,
                              &limit, &has_limit, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_choice(doc, map, path, "curve_resistance", tm_curve_law_choices, 0,
                            &curve, err);
    t->curve_law = (tm_curve_law)curve;
    if (rc != TUMEN_OK)
        return rc;
    if ((n = tm_ymap_get(map, "sections"))) {
        rc = read_track_sections(doc, n, tm_ypath_key(sub, sizeof sub, path, "sections"), t,
                                 limit, has_limit, err);
    } else if (!has_limit) {
        return tm_yerror(doc, map, tm_ypath_key(sub, sizeof sub, path, "speed_limit"), err,
                         "missing required field 'speed_limit' (a track without sections "
                         "is one section of its speed_limit)");
    } else {
        t->sections = calloc(1, sizeof *t->sections);
        if (!t->sections)
            return no_memory(doc, map, path, err);
        t->sections[0] = (tm_track_section){0.0, t->length, limit, limit, 0.0, 0.0, 0};
        t->n_sections = 1;
    }
    if (rc == TUMEN_OK && (n = tm_ymap_get(map, "signals")))
        rc = read_signals(doc, n, tm_ypath_key(sub, sizeof sub, path, "signals"), t, err);
    if (rc == TUMEN_OK && (n = tm_ymap_get(map, "structures")))
        rc = tm_yread_structures(doc, n, tm_ypath_key(sub, sizeof sub, path, "structures"), t,
                                 err);
    return rc;
}

static void track_release(tm_track *t)
{
    for (size_t k = 0; k < t->n_structures; k++) {
        free(t->structures[k].name);
        free(t->structures[k].road);
    }
    free(t->sections);
    free(t->signals);
    free(t->structures);
    free(t->parallel);
    memset(t, 0, sizeof *t);
}

/* ---- The network key -------------------------------------------------------------------- */

static int read_ops(tm_network *net, const tm_ydoc *doc, const tm_ynode *list, size_t *first,
                    tumen_error *err)
{
    const char *path = "network.operational_points";
    *first = net->n_ops;
    if (!list)
        return TUMEN_OK;
    int rc = tm_yexpect(doc, list, TM_YSEQ, path, "a list of operational points", err);
    if (rc != TUMEN_OK || list->n == 0)
        return rc;
    tm_op *ops = realloc(net->ops, (net->n_ops + list->n) * sizeof *ops);
    if (!ops)
        return no_memory(doc, list, path, err);
    net->ops = ops;
    for (size_t i = 0; i < list->n; i++) {
        char item[160];
        tm_op *op = &net->ops[net->n_ops];
        memset(op, 0, sizeof *op);
        rc = read_op(doc, list->items[i], tm_ypath_index(item, sizeof item, path, i), op, err);
        if (rc != TUMEN_OK) {
            free(op->name);
            free(op->loops);
            return rc;
        }
        net->n_ops++;
    }
    return TUMEN_OK;
}

static int read_tracks(tm_network *net, const tm_ydoc *doc, const tm_ynode *list,
                       const id_ref *ops, size_t *first, tumen_error *err)
{
    const char *path = "network.tracks";
    *first = net->n_tracks;
    if (!list)
        return TUMEN_OK;
    int rc = tm_yexpect(doc, list, TM_YSEQ, path, "a list of tracks", err);
    if (rc != TUMEN_OK || list->n == 0)
        return rc;
    tm_track *tracks = realloc(net->tracks, (net->n_tracks + list->n) * sizeof *tracks);
    if (!tracks)
        return no_memory(doc, list, path, err);
    net->tracks = tracks;
    for (size_t i = 0; i < list->n; i++) {
        char item[160];
        tm_track *t = &net->tracks[net->n_tracks];
        memset(t, 0, sizeof *t);
        rc = read_track(doc, list->items[i], tm_ypath_index(item, sizeof item, path, i), net, ops,
                        t, err);
        if (rc != TUMEN_OK) {
            track_release(t);
            return rc;
        }
        net->n_tracks++;
    }
    return TUMEN_OK;
}

/* ---- Switches ---------------------------------------------------------------------------- */

/* The end of track t at op, or (size_t)-1 when t does not touch op or touches it with both
 * ends (a loop track: which end is meant is not said). */
static size_t end_at(const tm_network *net, size_t t, size_t op)
{
    const tm_track *tr = &net->tracks[t];
    if (tr->from == op && tr->to == op)
        return (size_t)-1;
    return tr->from == op ? TM_TRACK_END(t, 0) : tr->to == op ? TM_TRACK_END(t, 1) : (size_t)-1;
}

/* One `connects` entry of a switch at op: [track, track], or {tracks: [track, track],
 * speed_limit: SPEED} for a way with a speed of its own (a switch's diverging speed). */
static int read_connection(tm_network *net, const tm_ydoc *doc, const tm_ynode *entry,
                           const char *path, const id_ref *tracks, size_t op, tumen_error *err)
{
    static const char *const keys[] = {"tracks", "speed_limit", NULL};
    const tm_ynode *pair = entry;
    double speed = 0.0;
    if (entry->kind == TM_YMAP) {
        int rc = tm_ycheck_keys(doc, entry, path, keys, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_quantity(doc, entry, path, "speed_limit", TM_DIM_SPEED,
                                  TM_YR_POSITIVE, 0, &speed, NULL, err);
        if (rc != TUMEN_OK)
            return rc;
        pair = tm_ymap_get(entry, "tracks");
        if (!pair)
            return tm_yerror(doc, entry, path, err, "missing required field 'tracks'");
    }
    if (pair->kind != TM_YSEQ || pair->n != 2)
        return tm_yerror(doc, pair, path, err,
                         "a connection is a pair of tracks that meet here: [track, track]");
    size_t ends[2];
    for (size_t k = 0; k < 2; k++) {
        const char *id = tm_yscalar(pair->items[k]);
        size_t t = id ? find_id(tracks, net->n_tracks, id) : (size_t)-1;
        if (t == (size_t)-1)
            return tm_yerror(doc, pair->items[k], path, err,
                             "unknown track '%s' (not in network.tracks of this or an earlier "
                             "file)", id ? id : "");
        ends[k] = end_at(net, t, op);
        if (ends[k] == (size_t)-1)
            return tm_yerror(doc, pair->items[k], path, err,
                             "track '%s' does not end at operational point '%s' (or both of "
                             "its ends do)", id, net->ops[op].id);
    }
    if (ends[0] == ends[1])
        return tm_yerror(doc, pair, path, err, "a track does not connect to itself");
    if (tm_network_add_connection(net, ends[0], ends[1], speed))
        return no_memory(doc, pair, path, err);
    return TUMEN_OK;
}

/* `switches:` [{id, at, connects: [[a, b], ...]}]: the legal moves at an operational point
 * (docs/formats.md, "Switches"). */
static int read_switches(tm_network *net, const tm_ydoc *doc, const tm_ynode *list,
                         const id_ref *ops, const id_ref *tracks, tumen_error *err)
{
    static const char *const keys[] = {"id", "at", "connects", NULL};
    const char *path = "network.switches";
    if (!list)
        return TUMEN_OK;
    int rc = tm_yexpect(doc, list, TM_YSEQ, path, "a list of switches", err);
    for (size_t i = 0; rc == TUMEN_OK && i < list->n; i++) {
        char item[160], sub[192];
        const tm_ynode *map = list->items[i];
        tm_ypath_index(item, sizeof item, path, i);
        size_t op = 0;
        rc = tm_yexpect(doc, map, TM_YMAP, item, "a mapping with at and connects", err);
        if (rc == TUMEN_OK)
            rc = tm_ycheck_keys(doc, map, item, keys, err);
        if (rc == TUMEN_OK)
            rc = resolve_op(doc, map, item, "at", ops, net->n_ops, &op, err);
        const tm_ynode *pairs = rc == TUMEN_OK ? tm_ymap_get(map, "connects") : NULL;
        if (rc == TUMEN_OK)
            rc = tm_yexpect(doc, pairs, TM_YSEQ, tm_ypath_key(sub, sizeof sub, item, "connects"),
                            "a list of [track, track] pairs", err);
        for (size_t k = 0; rc == TUMEN_OK && k < pairs->n; k++) {
            char pp[224];
            tm_ypath_index(pp, sizeof pp, sub, k);
            rc = read_connection(net, doc, pairs->items[k], pp, tracks, op, err);
        }
    }
    return rc;
}

/* A duplicate id found by index_ids: at the node of the later item when it is from this
 * document (items from first on), which it always is: earlier files were checked. */
static int duplicate_error(const tm_ydoc *doc, const tm_ynode *list, const char *list_path,
                           size_t dup, size_t first, const char *what, const char *id,
                           tumen_error *err)
{
    char item[160], field[160];
    size_t i = dup - first;
    tm_ypath_index(item, sizeof item, list_path, i);
    return tm_yerror(doc, tm_ymap_get(tm_yseq_item(list, i), "id"),
                     tm_ypath_key(field, sizeof field, item, "id"), err,
                     "duplicate %s id '%s'", what, id);
}

int tm_network_read(tm_scenario *s, const tm_ydoc *doc, const tm_ynode *node,
                    tumen_error *err)
{
    static const char *const keys[] = {"operational_points", "tracks", "switches", NULL};
    tm_network *net = &s->network;
    int rc = tm_yexpect(doc, node, TM_YMAP, "network",
                        "a mapping with operational_points and tracks", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, node, "network", keys, err);
    if (rc != TUMEN_OK)
        return rc;
    const tm_ynode *op_list = tm_ymap_get(node, "operational_points");
    const tm_ynode *track_list = tm_ymap_get(node, "tracks");
    size_t first_op = 0, first_track = 0, dup = 0;
    rc = read_ops(net, doc, op_list, &first_op, err);
    if (rc != TUMEN_OK)
        return rc;
    id_ref *ops = index_ids(net->ops ? net->ops->id : NULL, net->n_ops, sizeof *net->ops, &dup);
    if (!ops)
        return no_memory(doc, node, "network", err);
    if (dup != (size_t)-1)
        rc = duplicate_error(doc, op_list, "network.operational_points", dup, first_op,
                             "operational point", net->ops[dup].id, err);
    if (rc == TUMEN_OK)
        rc = read_tracks(net, doc, track_list, ops, &first_track, err);
    if (rc != TUMEN_OK) {
        free(ops);
        return rc;
    }
    id_ref *tracks = index_ids(net->tracks ? net->tracks->id : NULL, net->n_tracks,
                               sizeof *net->tracks, &dup);
    if (!tracks) {
        free(ops);
        return no_memory(doc, node, "network", err);
    }
    if (dup != (size_t)-1)
        rc = duplicate_error(doc, track_list, "network.tracks", dup, first_track, "track",
                             net->tracks[dup].id, err);
    if (rc == TUMEN_OK)
        rc = read_switches(net, doc, tm_ymap_get(node, "switches"), ops, tracks, err);
    if (rc == TUMEN_OK)
        rc = tm_structures_resolve_parallel(net, doc, track_list, first_track, err);
    free(ops);
    free(tracks);
    if (rc != TUMEN_OK)
        return rc;
    if (tm_network_build_adjacency(net))
        return no_memory(doc, node, "network", err);
    return TUMEN_OK;
}
