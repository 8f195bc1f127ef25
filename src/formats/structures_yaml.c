/* structures_yaml.c: a track's protected structures and parallel tracks in tumen YAML
 * (docs/formats.md, "Structures"):
 *
 *   structures:
 *     - {kind: level_crossing, at: 3.2 km, protection: manned, warning_time: 30 s,
 *        closing_time: 12 s, road: "A189", name: "LC 3"}
 *     - {kind: bridge, at: 5.1 km, length: 566 m, name: "Friendship Bridge"}
 *     - {kind: tunnel, at: 9 km, length: 1.2 km, name: "Tunnel 2"}
 *   parallel:
 *     - {track: OTHER, distance: 40 m}
 *
 * Positions are along the track from its `from` end; a structure must lie on its track.
 * `parallel` names tracks of this or an earlier file, resolved once every track of the
 * document is read (tm_structures_resolve_parallel).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "formats/readers.h"
#include "model/network.h"

#define TOLERANCE 1e-6 /* m */

static const struct {
    const char *name;
    int value;
} kinds[] = {{"level_crossing", TM_STRUCT_LEVEL_CROSSING},
             {"bridge", TM_STRUCT_BRIDGE},
             {"tunnel", TM_STRUCT_TUNNEL}},
  protections[] = {{"automatic", TM_CROSSING_AUTOMATIC},
                   {"manned", TM_CROSSING_MANNED},
                   {"unprotected", TM_CROSSING_UNPROTECTED}};

static int lookup(const tm_ydoc *doc, const tm_ynode *map, const char *item, const char *key,
                  int required, const char *expected, int which, int *out, tumen_error *err)
{
    char text[64], path[192];
    int found = 0;
    int rc = tm_yget_string(doc, map, item, key, required, text, sizeof text, &found, err);
    if (rc != TUMEN_OK || !found)
        return rc;
    size_t n = which ? sizeof protections / sizeof *protections : sizeof kinds / sizeof *kinds;
    for (size_t i = 0; i < n; i++) {
        const char *name = which ? protections[i].name : kinds[i].name;
        if (!strcmp(name, text)) {
            *out = which ? protections[i].value : kinds[i].value;
            return TUMEN_OK;
        }
    }
    return tm_yerror(doc, tm_ymap_get(map, key), tm_ypath_key(path, sizeof path, item, key),
                     err, "unknown %s '%s' (expected %s)", key, text, expected);
}

static int read_structure(const tm_ydoc *doc, const tm_ynode *map, const char *item,
                          const tm_track *t, tm_structure *st, tumen_error *err)
{
    static const char *const keys[] = {"kind",         "at",   "length", "name",
                                       "protection",   "road", "warning_time",
                                       "closing_time", NULL};
    char sub[192];
    int kind = 0, prot = TM_CROSSING_AUTOMATIC;
    int rc = tm_yexpect(doc, map, TM_YMAP, item,
                        "a structure {kind: level_crossing, at: 3.2 km, ...}", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, item, keys, err);
    if (rc == TUMEN_OK)
        rc = lookup(doc, map, item, "kind", 1, "level_crossing, bridge, tunnel", 0, &kind, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, item, "at", TM_DIM_LENGTH, TM_YR_ANY, 1, &st->position,
                              NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    st->kind = (tm_structure_kind)kind;
    int lc = kind == TM_STRUCT_LEVEL_CROSSING;
    rc = tm_yget_name(doc, map, item, "name", 0, &st->name, NULL, err);
    if (rc == TUMEN_OK && !lc)
        rc = tm_yget_quantity(doc, map, item, "length", TM_DIM_LENGTH, TM_YR_POSITIVE, 1,
                              &st->length, NULL, err);
    if (rc == TUMEN_OK && lc)
        rc = lookup(doc, map, item, "protection", 0, "automatic, manned, unprotected", 1, &prot,
                    err);
    if (rc == TUMEN_OK && lc)
        rc = tm_yget_name(doc, map, item, "road", 0, &st->road, NULL, err);
    if (rc == TUMEN_OK && lc)
        rc = tm_yget_quantity(doc, map, item, "warning_time", TM_DIM_DURATION, TM_YR_NONNEG, 0,
                              &st->warning_time, NULL, err);
    if (rc == TUMEN_OK && lc)
        rc = tm_yget_quantity(doc, map, item, "closing_time", TM_DIM_DURATION, TM_YR_NONNEG, 0,
                              &st->closing_time, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    const char *extra = lc ? (tm_ymap_get(map, "length") ? "length" : NULL)
                           : tm_ymap_get(map, "protection")     ? "protection"
                           : tm_ymap_get(map, "road")           ? "road"
                           : tm_ymap_get(map, "warning_time")   ? "warning_time"
                           : tm_ymap_get(map, "closing_time")   ? "closing_time"
                                                                : NULL;
    if (extra)
        return tm_yerror(doc, tm_ymap_get(map, extra), tm_ypath_key(sub, sizeof sub, item, extra),
                         err, "a %s has no %s", lc ? "level crossing" : "bridge or tunnel",
                         extra);
    st->crossing = (tm_crossing_kind)prot;
    if (st->position < -TOLERANCE || st->position + st->length > t->length + TOLERANCE)
        return tm_yerror(doc, tm_ymap_get(map, "at"), tm_ypath_key(sub, sizeof sub, item, "at"),
                         err, "the structure at %g m%s lies outside its track (0 m to %g m)",
                         st->position, st->length > 0.0 ? " and its length" : "", t->length);
    return TUMEN_OK;
}

static int by_position(const void *a, const void *b)
{
    const tm_structure *x = a, *y = b;
    return (x->position > y->position) - (x->position < y->position);
}

int tm_yread_structures(const tm_ydoc *doc, const tm_ynode *list, const char *path,
                        tm_track *t, tumen_error *err)
{
    int rc = tm_yexpect(doc, list, TM_YSEQ, path, "a list of structures", err);
    if (rc != TUMEN_OK || list->n == 0)
        return rc;
    t->structures = calloc(list->n, sizeof *t->structures);
    if (!t->structures)
        return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), list->line, path,
                            "out of memory");
    for (size_t i = 0; i < list->n; i++) {
        char item[192];
        tm_ypath_index(item, sizeof item, path, i);
        if ((rc = read_structure(doc, list->items[i], item, t, &t->structures[i], err))) {
            free(t->structures[i].name); /* not counted yet: freed here */
            free(t->structures[i].road);
            t->structures[i].name = t->structures[i].road = NULL;
            return rc;
        }
        t->n_structures++;
    }
    /* qsort is not stable: equal positions keep no order, which nothing relies on. */
    qsort(t->structures, t->n_structures, sizeof *t->structures, by_position);
    return TUMEN_OK;
}

int tm_structures_resolve_parallel(tm_network *net, const tm_ydoc *doc,
                                   const tm_ynode *track_list, size_t first_track,
                                   tumen_error *err)
{
    static const char *const keys[] = {"track", "distance", NULL};
    for (size_t i = 0; track_list && i < track_list->n; i++) {
        const tm_ynode *list = tm_ymap_get(track_list->items[i], "parallel");
        tm_track *t = &net->tracks[first_track + i];
        char path[160], item[192];
        snprintf(path, sizeof path, "network.tracks[%zu].parallel", i);
        if (!list)
            continue;
        int rc = tm_yexpect(doc, list, TM_YSEQ, path, "a list of {track: ID, distance: 40 m}",
                            err);
        if (rc != TUMEN_OK)
            return rc;
        free(t->parallel);
        t->n_parallel = 0;
        if (!list->n)
            continue;
        if (!(t->parallel = calloc(list->n, sizeof *t->parallel)))
            return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), list->line, path,
                                "out of memory");
        for (size_t k = 0; k < list->n; k++) {
            const tm_ynode *map = list->items[k];
            char id[TM_ID_LEN], sub[200];
            tm_parallel *p = &t->parallel[k];
            tm_ypath_index(item, sizeof item, path, k);
            if ((rc = tm_yexpect(doc, map, TM_YMAP, item, "{track: ID, distance: 40 m}", err)) ||
                (rc = tm_ycheck_keys(doc, map, item, keys, err)) ||
                (rc = tm_yget_string(doc, map, item, "track", 1, id, sizeof id, NULL, err)) ||
                (rc = tm_yget_quantity(doc, map, item, "distance", TM_DIM_LENGTH,
                                       TM_YR_NONNEG, 1, &p->distance, NULL, err)))
                return rc;
            p->track = tm_network_find_track(net, id);
            if (p->track == (size_t)-1)
                return tm_yerror(doc, tm_ymap_get(map, "track"),
                                 tm_ypath_key(sub, sizeof sub, item, "track"), err,
                                 "unknown track '%s'", id);
            if (p->track == first_track + i)
                return tm_yerror(doc, tm_ymap_get(map, "track"),
                                 tm_ypath_key(sub, sizeof sub, item, "track"), err,
                                 "a track is not parallel to itself");
            t->n_parallel++;
        }
    }
    return TUMEN_OK;
}
