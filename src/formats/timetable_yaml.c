/* timetable_yaml.c: the `timetable:` of tumen YAML (docs/formats.md, "Timetables").
 *
 * A timetable names trains and operational points by id, and they may come from files read
 * after it (the network in one file, the trains in another, the timetable in a third, in
 * any order). So reading happens in two steps:
 *
 *  1. tm_timetable_read checks the shape of every service and appends it to s->timetable
 *     with its references left open; each open reference (a train, a waypoint, a stop, a
 *     train it may change to) is noted with its id and where it was written (file, line,
 *     column, field) in the loader's timetable_refs (tm_load).
 *  2. tm_timetable_resolve, once the last file is read (formats/scenario.c), looks every noted id
 *     up (sorted id tables, O((refs + ids) log ids), not a scan per reference) and fills the
 *     indexes in; an unknown id or a duplicate service id is TUMEN_EINPUT naming the file,
 *     line and field where it was written.
 *
 * Clock times are "HH:MM" or "HH:MM:SS" and may pass 24:00 ("25:10" is 01:10 the next day).
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/vec.h"
#include "formats/readers.h"
#include "model/allowance.h"

#define TM_TT_MAX_HOURS 167 /* a clock time runs at most to the end of a week */

/* The id tables below find an item's id at its start. */
_Static_assert(offsetof(tm_op, id) == 0, "tm_op.id first");
_Static_assert(offsetof(tm_train, id) == 0, "tm_train.id first");
_Static_assert(offsetof(tm_service, id) == 0, "tm_service.id first");

typedef enum ref_kind { REF_TRAIN, REF_WAYPOINT, REF_STOP, REF_CHANGE } ref_kind;

/* One id to look up once every file is read. Its id is kept in the refs' text store (a
 * national day notes a million of them: fixed buffers of the longest id would take 64 bytes
 * each, mostly zeros); its field ("timetable.services[3].route[2]") is written only for an
 * error, from its service's origin, its kind and item. */
typedef struct tt_ref {
    size_t service; /* index into ld->model->timetable.services */
    size_t item;    /* index into the service's waypoints, stops or changes_to */
    size_t id;      /* offset in text of the id */
    int kind;       /* ref_kind */
    int form;       /* a stop written {at: id} (field ...stops[2].at); a lone change_to id
                       (field ...changes_to, no index) */
    int line, column;
} tt_ref;

/* Where a service was written, for the duplicate-id check. */
typedef struct tt_origin {
    size_t file; /* index into files */
    int line, column;
    char field[64];
} tt_origin;

struct tm_timetable_refs {
    TM_VEC(char *) files; /* names of the files that gave a timetable (owned copies) */
    TM_VEC(tt_ref) refs;
    TM_VEC(tt_origin) origins; /* one per service, same index */
    TM_VEC(char) text;         /* the refs' ids, each ending in a NUL */
};

void tm_timetable_refs_free(struct tm_timetable_refs *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->files.n; i++)
        free(r->files.items[i]);
    free(r->files.items);
    free(r->refs.items);
    free(r->origins.items);
    free(r->text.items);
    free(r);
}

static int no_memory(const tm_ydoc *doc, const tm_ynode *node, tumen_error *err)
{
    return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), node ? node->line : 0, NULL,
                        "out of memory");
}

/* ---- Values ------------------------------------------------------------------------ */

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD", a real calendar day. Returns 0 or -1. */
static int check_date(const char *t)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(t) != 10 || t[4] != '-' || t[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)t[i]))
            return -1;
    int y = atoi(t), m = atoi(t + 5), d = atoi(t + 8);
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return -1;
    int dim = days[m - 1] + (m == 2 && is_leap(y));
    return d <= dim ? 0 : -1;
}

/* ---- Noting references ------------------------------------------------------------- */

static struct tm_timetable_refs *refs_of(tm_load *ld)
{
    if (!ld->timetable_refs)
        ld->timetable_refs = calloc(1, sizeof *ld->timetable_refs);
    return ld->timetable_refs;
}

/* Appends text and its NUL to the refs' text store; *at receives its offset. Returns 0 or
 * -1 (out of memory). */
static int keep_text(struct tm_timetable_refs *r, const char *text, size_t *at)
{
    size_t len = strlen(text) + 1;
    if (r->text.cap - r->text.n < len) {
        size_t cap = r->text.cap ? r->text.cap : 4096;
        while (cap - r->text.n < len)
            cap *= 2;
        char *items = realloc(r->text.items, cap);
        if (!items)
            return -1;
        tm_hint_big(items, cap);
        r->text.items = items;
        r->text.cap = cap;
    }
    memcpy(r->text.items + r->text.n, text, len);
    *at = r->text.n;
    r->text.n += len;
    return 0;
}

/* The field of a reference of this kind, form and item of the service at service_path
 * ("timetable.services[3]"). */
static const char *ref_field(char *buf, size_t size, const char *service_path, int kind,
                             int form, size_t item)
{
    static const char *const lists[] = {"train", "route", "stops", "changes_to"};
    if (kind == REF_TRAIN || (kind == REF_CHANGE && form))
        return tm_ypath_key(buf, size, service_path, lists[kind]);
    char list[128];
    tm_ypath_key(list, sizeof list, service_path, lists[kind]);
    if (kind == REF_STOP && form) {
        char stop[160];
        tm_ypath_index(stop, sizeof stop, list, item);
        return tm_ypath_key(buf, size, stop, "at");
    }
    return tm_ypath_index(buf, size, list, item);
}

/* Notes node's text (an id) to resolve later as reference kind/form/item of service (its
 * index; service_path its field). */
static int note_ref(struct tm_timetable_refs *refs, const tm_ydoc *doc, const tm_ynode *node,
                    const char *service_path, size_t service, int kind, int form, size_t item,
                    tumen_error *err)
{
    if (node->kind != TM_YSCALAR || node->len >= TM_ID_LEN) { /* not an id: say where */
        char field[192], id[TM_ID_LEN];
        ref_field(field, sizeof field, service_path, kind, form, item);
        int rc = tm_yread_string(doc, node, field, id, sizeof id, err);
        if (rc != TUMEN_OK)
            return rc;
    }
    tt_ref r = {service, item, 0, kind, form, node->line, node->column};
    if (keep_text(refs, node->text, &r.id) || tm_vec_push(&refs->refs, r))
        return no_memory(doc, node, err);
    return TUMEN_OK;
}

/* ---- A service ----------------------------------------------------------------------- */

static void service_free(tm_service *sv)
{
    free(sv->waypoints);
    free(sv->stops);
    free(sv->changes_to);
    tm_allowance_spec_release(sv->allowance);
    free(sv->allowance);
    memset(sv, 0, sizeof *sv);
}

static int read_category(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                         tm_category *out, tumen_error *err)
{
    static const struct {
        const char *name;
        tm_category value;
    } items[] = {{"passenger", TM_CATEGORY_PASSENGER},
                 {"freight", TM_CATEGORY_FREIGHT},
                 {"special", TM_CATEGORY_SPECIAL}};
    char text[32], sub[128];
    int found = 0;
    int rc = tm_yget_string(doc, map, path, "category", 0, text, sizeof text, &found, err);
    if (rc != TUMEN_OK || !found)
        return rc;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        if (!strcmp(text, items[i].name)) {
            *out = items[i].value;
            return TUMEN_OK;
        }
    return tm_yerror(doc, tm_ymap_get(map, "category"),
                     tm_ypath_key(sub, sizeof sub, path, "category"), err,
                     "unknown category '%s' (passenger, freight or special)", text);
}

static int read_route(struct tm_timetable_refs *refs, const tm_ydoc *doc, const tm_ynode *map,
                      const char *path, size_t index, tm_service *sv, tumen_error *err)
{
    char sub[128], item[128];
    const tm_ynode *route;
    int rc = tm_yget_node(doc, map, path, "route", 1, &route, err);
    if (rc != TUMEN_OK)
        return rc;
    tm_ypath_key(sub, sizeof sub, path, "route");
    if (route->kind != TM_YSEQ)
        return tm_yerror(doc, route, sub, err,
                         "must be a list of operational point ids, e.g. [KHS, BAR]");
    if (route->n == 0)
        return tm_yerror(doc, route, sub, err, "the route is empty: give the origin and the "
                                               "destination at least");
    if (route->n == 1)
        return tm_yerror(doc, route, sub, err,
                         "the route has one point: give the origin and the destination");
    sv->waypoints = calloc(route->n, sizeof *sv->waypoints);
    if (!sv->waypoints)
        return no_memory(doc, route, err);
    for (size_t i = 0; i < route->n; i++) {
        const tm_ynode *wp = route->items[i];
        rc = note_ref(refs, doc, wp, path, index, REF_WAYPOINT, 0, i, err);
        if (rc != TUMEN_OK)
            return rc;
        if (i > 0 && route->items[i - 1]->kind == TM_YSCALAR &&
            !strcmp(route->items[i - 1]->text, wp->text))
            return tm_yerror(doc, wp, tm_ypath_index(item, sizeof item, sub, i), err,
                             "'%s' follows itself: consecutive waypoints must differ", wp->text);
        sv->waypoints[i] = (size_t)-1;
        sv->n_waypoints++;
    }
    return TUMEN_OK;
}

static int read_stop(struct tm_timetable_refs *refs, const tm_ydoc *doc, const tm_ynode *node,
                     const char *service_path, const char *path, size_t index, size_t i,
                     tm_service_stop *stop, tumen_error *err)
{
    static const char *const keys[] = {"at", "dwell", NULL};
    stop->op = (size_t)-1;
    stop->dwell = 0.0;
    if (node->kind == TM_YSCALAR) /* "- GVZ": a stop without a minimum dwell */
        return note_ref(refs, doc, node, service_path, index, REF_STOP, 0, i, err);
    int rc = tm_yexpect(doc, node, TM_YMAP, path,
                        "a stop: an operational point id or {at: id, dwell: 5 min}", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, node, path, keys, err);
    const tm_ynode *at = NULL;
    if (rc == TUMEN_OK)
        rc = tm_yget_node(doc, node, path, "at", 1, &at, err);
    if (rc == TUMEN_OK)
        rc = note_ref(refs, doc, at, service_path, index, REF_STOP, 1, i, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, node, path, "dwell", TM_DIM_DURATION, TM_YR_NONNEG, 0,
                              &stop->dwell, NULL, err);
    return rc;
}

static int read_stops(struct tm_timetable_refs *refs, const tm_ydoc *doc, const tm_ynode *map,
                      const char *path, size_t index, tm_service *sv, tumen_error *err)
{
    char sub[128], item[128];
    const tm_ynode *stops = tm_ymap_get(map, "stops");
    if (!stops)
        return TUMEN_OK;
    tm_ypath_key(sub, sizeof sub, path, "stops");
    int rc = tm_yexpect(doc, stops, TM_YSEQ, sub, "a list of stops", err);
    if (rc != TUMEN_OK || stops->n == 0)
        return rc;
    sv->stops = calloc(stops->n, sizeof *sv->stops);
    if (!sv->stops)
        return no_memory(doc, stops, err);
    for (size_t i = 0; i < stops->n; i++) {
        tm_ypath_index(item, sizeof item, sub, i);
        rc = read_stop(refs, doc, stops->items[i], path, item, index, i, &sv->stops[i], err);
        if (rc != TUMEN_OK)
            return rc;
        sv->n_stops++;
    }
    return TUMEN_OK;
}

static int read_changes(struct tm_timetable_refs *refs, const tm_ydoc *doc, const tm_ynode *map,
                        const char *path, size_t index, tm_service *sv, tumen_error *err)
{
    char sub[128];
    const tm_ynode *list = tm_ymap_get(map, "changes_to");
    if (!list)
        return TUMEN_OK;
    tm_ypath_key(sub, sizeof sub, path, "changes_to");
    size_t n = list->kind == TM_YSCALAR ? 1 : list->kind == TM_YSEQ ? list->n : 0;
    if (list->kind == TM_YMAP)
        return tm_yerror(doc, list, sub, err, "must be a list of train ids");
    if (n == 0)
        return TUMEN_OK;
    sv->changes_to = calloc(n, sizeof *sv->changes_to);
    if (!sv->changes_to)
        return no_memory(doc, list, err);
    for (size_t i = 0; i < n; i++) {
        const tm_ynode *t = list->kind == TM_YSCALAR ? list : list->items[i];
        int rc = note_ref(refs, doc, t, path, index, REF_CHANGE, list->kind == TM_YSCALAR, i,
                          err);
        if (rc != TUMEN_OK)
            return rc;
        sv->changes_to[i] = (size_t)-1;
        sv->n_changes_to++;
    }
    return TUMEN_OK;
}

/* Reads services[i] into sv, which becomes ld->model->timetable.services[index]. */
static int read_service(struct tm_timetable_refs *refs, const tm_ydoc *doc, const tm_ynode *map,
                        const char *path, size_t index, tm_service *sv, tumen_error *err)
{
    static const char *const keys[] = {"id",         "train",     "category", "departure",
                                       "route",      "stops",     "changes_to", "convoy",
                                       "allowance",  "driving",   "allowances", "targets",
                                       NULL};
    char sub[128];
    int rc = tm_yexpect(doc, map, TM_YMAP, path,
                        "a service (a mapping with id, train, departure and route)", err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, map, path, "id", 1, sv->id, sizeof sv->id, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    sv->line = map->line;
    sv->train = (size_t)-1;
    sv->category = TM_CATEGORY_PASSENGER;
    const tm_ynode *train;
    rc = tm_yget_node(doc, map, path, "train", 1, &train, err);
    if (rc == TUMEN_OK)
        rc = note_ref(refs, doc, train, path, index, REF_TRAIN, 0, 0, err);
    if (rc == TUMEN_OK)
        rc = read_category(doc, map, path, &sv->category, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, map, path, "convoy", 0, sv->convoy, sizeof sv->convoy, NULL,
                            err);
    const tm_ynode *dep = NULL;
    if (rc == TUMEN_OK)
        rc = tm_yget_node(doc, map, path, "departure", 1, &dep, err);
    if (rc == TUMEN_OK && (dep->kind != TM_YSCALAR ||
                           tm_yparse_clock(dep->text, TM_TT_MAX_HOURS, &sv->departure) != 0))
        rc = tm_yerror(doc, dep, tm_ypath_key(sub, sizeof sub, path, "departure"), err,
                       "must be a clock time \"HH:MM\" or \"HH:MM:SS\" (hours up to %d for "
                       "runs past midnight), not '%s'",
                       TM_TT_MAX_HOURS, dep->kind == TM_YSCALAR ? dep->text : "a collection");
    if (rc == TUMEN_OK)
        rc = read_route(refs, doc, map, path, index, sv, err);
    if (rc == TUMEN_OK)
        rc = read_stops(refs, doc, map, path, index, sv, err);
    if (rc == TUMEN_OK)
        rc = read_changes(refs, doc, map, path, index, sv, err);
    if (rc == TUMEN_OK && (tm_ymap_get(map, "allowance") || tm_ymap_get(map, "driving") ||
                           tm_ymap_get(map, "allowances") || tm_ymap_get(map, "targets"))) {
        /* The allowance is planned into the service's times, as planners do (UIC 451-1). */
        sv->allowance = calloc(1, sizeof *sv->allowance);
        if (!sv->allowance)
            return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), map->line, path,
                                "out of memory");
        rc = tm_read_allowance_spec(sv->departure, doc, map, path, sv->allowance, err);
        if (rc == TUMEN_OK)
            sv->allowance->shared = 1; /* one allowance for the service, over all its legs */
    }
    return rc;
}

/* ---- The timetable --------------------------------------------------------------------- */

/* Takes service k out of the timetable read so far, with its open references and origin. */
static void service_remove(tm_load *ld, size_t k)
{
    tm_timetable *tt = &ld->model->timetable;
    struct tm_timetable_refs *r = ld->timetable_refs;
    service_free(&tt->services[k]);
    memmove(&tt->services[k], &tt->services[k + 1], (tt->n_services - k - 1) * sizeof *tt->services);
    tt->n_services--;
    memmove(&r->origins.items[k], &r->origins.items[k + 1],
            (r->origins.n - k - 1) * sizeof *r->origins.items);
    r->origins.n--;
    size_t kept = 0;
    for (size_t i = 0; i < r->refs.n; i++) {
        tt_ref ref = r->refs.items[i];
        if (ref.service == k)
            continue;
        if (ref.service > k)
            ref.service--;
        r->refs.items[kept++] = ref;
    }
    r->refs.n = kept;
}

/* `withdraw: [ids]`: services of the files before this one leave the timetable (a booked
 * plan's cancellations, and the trains it holds, which its services give again retimed
 * under the same id). An id no earlier file gives is an error: a change to a timetable
 * must name what it changes. */
static int withdraw_services(tm_load *ld, const tm_ydoc *doc, const tm_ynode *list,
                             tumen_error *err)
{
    if (!list)
        return TUMEN_OK;
    int rc = tm_yexpect(doc, list, TM_YSEQ, "timetable.withdraw", "a list of service ids", err);
    tm_timetable *tt = &ld->model->timetable;
    for (size_t i = 0; rc == TUMEN_OK && i < list->n; i++) {
        char path[64], id[TM_ID_LEN];
        tm_ypath_index(path, sizeof path, "timetable.withdraw", i);
        rc = tm_yread_string(doc, list->items[i], path, id, sizeof id, err);
        /* a duplicate id: say so, not "no service" after the first took it out */
        for (size_t j = 0; rc == TUMEN_OK && j < i; j++) {
            char earlier[TM_ID_LEN];
            if (tm_yread_string(doc, list->items[j], path, earlier, sizeof earlier, err) ==
                    TUMEN_OK &&
                !strcmp(earlier, id))
                return tm_yerror(doc, list->items[i], path, err,
                                 "duplicate id '%s' (already withdrawn at timetable.withdraw[%zu])",
                                 id, j);
        }
        size_t k = 0;
        while (rc == TUMEN_OK && k < tt->n_services && strcmp(tt->services[k].id, id))
            k++;
        if (rc == TUMEN_OK && k == tt->n_services)
            return tm_yerror(doc, list->items[i], path, err,
                             "no service '%s' in the timetable of the files before this one",
                             id);
        if (rc == TUMEN_OK)
            service_remove(ld, k);
    }
    return rc;
}

static int read_header(tm_load *ld, const tm_ydoc *doc, const tm_ynode *node,
                       tumen_error *err)
{
    static const char *const keys[] = {"name", "date", "replace", "withdraw", "services", NULL};
    tm_timetable *tt = &ld->model->timetable;
    char *name = NULL, date[16] = "";
    int rc = tm_yexpect(doc, node, TM_YMAP, "timetable", "a mapping (name, date, services)",
                        err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, node, "timetable", keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_name(doc, node, "timetable", "name", 0, &name, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, node, "timetable", "date", 0, date, sizeof date, NULL, err);
    int replace = 0;
    if (rc == TUMEN_OK)
        rc = tm_yget_bool(doc, node, "timetable", "replace", 0, &replace, NULL, err);
    if (rc == TUMEN_OK && replace) { /* a written plan: its services stand for those of the
                                      * files before it */
        for (size_t i = 0; i < tt->n_services; i++)
            service_free(&tt->services[i]);
        tt->n_services = 0;
        free(tt->name);
        tt->name = NULL;
        tt->date[0] = '\0';
        ld->timetable_refs->refs.n = 0;
        ld->timetable_refs->origins.n = 0;
        ld->timetable_refs->text.n = 0;
    }
    if (rc == TUMEN_OK)
        rc = withdraw_services(ld, doc, tm_ymap_get(node, "withdraw"), err);
    const tm_ynode *dn = tm_ymap_get(node, "date");
    if (rc == TUMEN_OK && dn && check_date(date) != 0)
        rc = tm_yerror(doc, dn, "timetable.date", err,
                       "must be a calendar date YYYY-MM-DD, not '%s'", date);
    if (rc == TUMEN_OK && dn && tt->date[0] && strcmp(tt->date, date))
        rc = tm_yerror(doc, dn, "timetable.date", err,
                       "an earlier timetable is for %s: services of one scenario run on "
                       "one day",
                       tt->date);
    if (rc == TUMEN_OK && tm_name_empty(tt->name)) { /* the first file's name stands */
        free(tt->name);
        tt->name = name;
        name = NULL;
    }
    free(name);
    if (rc != TUMEN_OK)
        return rc;
    if (!tt->date[0])
        snprintf(tt->date, sizeof tt->date, "%s", date);
    return TUMEN_OK;
}

/* ---- The services of one file, and their joining the timetable -------------------------- */

/* The services of one `timetable.services` list, read on their own before they join the
 * timetable (while the file is parsed, on a parsing thread, when the list is streamed):
 * their references and origins name services by their index in the list, the origins'
 * file is this one (0). */
struct tm_timetable_part {
    TM_VEC(tm_service) services;
    struct tm_timetable_refs refs; /* no files */
    int rc;                        /* the first service's error; later ones are not read */
    tumen_error err;
};

struct tm_timetable_part *tm_timetable_part_new(void)
{
    return calloc(1, sizeof(struct tm_timetable_part));
}

void tm_timetable_part_free(struct tm_timetable_part *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->services.n; i++)
        service_free(&p->services.items[i]);
    free(p->services.items);
    free(p->refs.refs.items);
    free(p->refs.origins.items);
    free(p->refs.text.items);
    free(p);
}

/* Reads item i of the list (a service) into the part. */
static int part_add(struct tm_timetable_part *p, const tm_ydoc *doc, const tm_ynode *item,
                    size_t i, tumen_error *err)
{
    char path[128];
    tm_ypath_index(path, sizeof path, "timetable.services", i);
    tm_service sv;
    memset(&sv, 0, sizeof sv);
    int rc = read_service(&p->refs, doc, item, path, p->services.n, &sv, err);
    tt_origin o;
    memset(&o, 0, sizeof o);
    const tm_ynode *idn = tm_ymap_get(item, "id");
    o.line = idn ? idn->line : item->line;
    o.column = idn ? idn->column : item->column;
    tm_ypath_key(o.field, sizeof o.field, path, "id");
    if (rc == TUMEN_OK && tm_vec_push(&p->refs.origins, o))
        rc = no_memory(doc, item, err);
    if (rc == TUMEN_OK && tm_vec_push(&p->services, sv))
        rc = no_memory(doc, item, err);
    if (rc != TUMEN_OK)
        service_free(&sv);
    return rc;
}

void tm_timetable_stream_service(void *part, const tm_ydoc *doc, const tm_ynode *node,
                                 size_t index)
{
    struct tm_timetable_part *p = part;
    if (p->rc == TUMEN_OK)
        p->rc = part_add(p, doc, node, index, &p->err);
}

/* Appends n items of `size` bytes from *from to *to (TM_VECs of one type), or takes *from's
 * array whole when *to is empty. Returns 0 or -1 (out of memory). */
static int take_items(void **to, size_t *to_n, size_t *to_cap, void **from, size_t *from_n,
                      size_t *from_cap, size_t size)
{
    if (*to_n == 0) {
        free(*to);
        *to = *from;
        *to_n = *from_n;
        *to_cap = *from_cap;
        *from = NULL;
        *from_n = *from_cap = 0;
        return 0;
    }
    if (*from_n > *to_cap - *to_n) {
        size_t cap = *to_n + *from_n;
        void *grown = realloc(*to, cap * size);
        if (!grown)
            return -1;
        *to = grown;
        *to_cap = cap;
    }
    if (*from_n)
        memcpy((char *)*to + *to_n * size, *from, *from_n * size);
    *to_n += *from_n;
    *from_n = 0;
    return 0;
}

#define TAKE(to, from)                                                                     \
    take_items((void **)&(to).items, &(to).n, &(to).cap, (void **)&(from).items, &(from).n, \
               &(from).cap, sizeof *(to).items)

/* The part's services join the timetable after those of the files before, read from
 * service_file (the refs' file `file`). */
static int join(tm_load *ld, struct tm_timetable_part *p, const char *service_file,
                size_t file, const tm_ydoc *doc, const tm_ynode *list, tumen_error *err)
{
    tm_timetable *tt = &ld->model->timetable;
    struct tm_timetable_refs *r = ld->timetable_refs;
    size_t n0 = tt->n_services, text0 = r->text.n, refs0 = r->refs.n, origins0 = r->origins.n;
    if (TAKE(r->text, p->refs.text) || TAKE(r->refs, p->refs.refs) ||
        TAKE(r->origins, p->refs.origins))
        return no_memory(doc, list, err);
    for (size_t k = refs0; k < r->refs.n; k++) {
        r->refs.items[k].service += n0;
        r->refs.items[k].id += text0;
    }
    for (size_t k = origins0; k < r->origins.n; k++)
        r->origins.items[k].file = file;
    size_t n = p->services.n;
    if (n0 == 0 && p->services.items) { /* the first: the part's array becomes the timetable's */
        free(tt->services);
        tt->services = p->services.items;
        p->services.items = NULL;
        p->services.cap = 0;
    } else {
        tm_service *grown = realloc(tt->services, (n0 + n + 1) * sizeof *grown);
        if (!grown)
            return no_memory(doc, list, err);
        tt->services = grown;
        if (n)
            memcpy(tt->services + n0, p->services.items, n * sizeof *grown);
    }
    p->services.n = 0; /* the timetable owns them now */
    for (size_t i = 0; i < n; i++)
        tt->services[n0 + i].file = service_file;
    tt->n_services = n0 + n;
    return TUMEN_OK;
}

int tm_timetable_read(tm_load *ld, const tm_ydoc *doc, const tm_ynode *node,
                      tumen_error *err)
{
    if (!node)
        return TUMEN_OK;
    if (!refs_of(ld))
        return no_memory(doc, node, err);
    int rc = read_header(ld, doc, node, err);
    const tm_ynode *list = NULL;
    if (rc == TUMEN_OK)
        rc = tm_yget_node(doc, node, "timetable", "services", 1, &list, err);
    if (rc == TUMEN_OK)
        rc = tm_yexpect(doc, list, TM_YSEQ, "timetable.services", "a list of services", err);
    if (rc != TUMEN_OK)
        return rc;
    /* the services: read while the file was parsed (streamed), or now from the tree */
    struct tm_timetable_part *part = ld->streamed_services, *own = NULL;
    if (tm_ydoc_streamed(doc, list, NULL)) {
        if (!part) /* the tree has none of them: reading it would lose them all */
            return tm_error_set(err, TUMEN_EUSAGE, tm_ydoc_file(doc), list->line,
                                "timetable.services",
                                "the services were streamed, but not into a part");
    } else {
        if (!(part = own = tm_timetable_part_new()))
            return no_memory(doc, node, err);
        for (size_t i = 0; own->rc == TUMEN_OK && i < list->n; i++)
            own->rc = part_add(own, doc, list->items[i], i, &own->err);
    }
    rc = part->rc;
    if (rc != TUMEN_OK && err)
        *err = part->err;
    struct tm_timetable_refs *refs = ld->timetable_refs;
    tm_timetable *tt = &ld->model->timetable;
    char *file = rc == TUMEN_OK ? strdup(tm_ydoc_file(doc) ? tm_ydoc_file(doc) : "") : NULL;
    if (rc == TUMEN_OK && (!file || tm_vec_push(&refs->files, file))) {
        free(file);
        rc = no_memory(doc, node, err);
    }
    char **files = rc == TUMEN_OK ? realloc(tt->files, (tt->n_files + 1) * sizeof *files) : NULL;
    if (files)
        tt->files = files;
    if (rc == TUMEN_OK && (!files || !(tt->files[tt->n_files] = strdup(file))))
        rc = no_memory(doc, node, err);
    if (rc == TUMEN_OK) {
        const char *service_file = tt->files[tt->n_files++];
        rc = join(ld, part, service_file, refs->files.n - 1, doc, list, err);
    }
    tm_timetable_part_free(own);
    return rc;
}

/* ---- Resolving -------------------------------------------------------------------------- */

/* An id table sorted for binary search: ids[k] is the id of item index[k]. */
typedef struct id_table {
    const char **ids;
    size_t n;
} id_table;

static int cmp_str_ptr(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    int c = strcmp(*x, *y);
    /* equal ids: by address, so the order is total and the sort deterministic */
    return c ? c : (*x > *y) - (*x < *y);
}

/* ids are the first member of each item (tm_op.id, tm_train.id, tm_service.id). */
static int table_build(id_table *t, const void *items, size_t n, size_t item_size)
{
    t->n = n;
    t->ids = malloc((n ? n : 1) * sizeof *t->ids);
    if (!t->ids)
        return -1;
    for (size_t i = 0; i < n; i++)
        t->ids[i] = (const char *)items + i * item_size;
    qsort(t->ids, n, sizeof *t->ids, cmp_str_ptr);
    return 0;
}

/* Index of the item with this id, or (size_t)-1. */
static size_t table_find(const id_table *t, const void *items, size_t item_size,
                         const char *id)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->ids[mid], id);
        if (c == 0)
            return (size_t)(t->ids[mid] - (const char *)items) / item_size;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (size_t)-1;
}

static const char *ref_file(const struct tm_timetable_refs *r, const tt_ref *ref)
{
    return r->files.items[r->origins.items[ref->service].file];
}

static int ref_error(const struct tm_timetable_refs *r, const tt_ref *ref, tumen_error *err,
                     const char *what, const char *hint)
{
    /* the service's field is its origin's ("timetable.services[3].id") without ".id" */
    char service_path[sizeof r->origins.items->field], field[192];
    memcpy(service_path, r->origins.items[ref->service].field, sizeof service_path);
    size_t n = strlen(service_path);
    if (n >= 3 && !strcmp(service_path + n - 3, ".id"))
        service_path[n - 3] = '\0';
    ref_field(field, sizeof field, service_path, ref->kind, ref->form, ref->item);
    tm_error_set(err, TUMEN_EINPUT, ref_file(r, ref), ref->line, field,
                 "unknown %s '%s'%s", what, r->text.items + ref->id, hint);
    if (err)
        err->column = ref->column;
    return TUMEN_EINPUT;
}

/* Service ids are unique: the later of two equal ids is the error. */
static int check_duplicates(const tm_load *ld, tumen_error *err)
{
    const tm_timetable *tt = &ld->model->timetable;
    const struct tm_timetable_refs *r = ld->timetable_refs;
    id_table t;
    if (table_build(&t, tt->services, tt->n_services, sizeof *tt->services))
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t worst = (size_t)-1, first = 0;
    for (size_t k = 1; k < t.n; k++) {
        if (strcmp(t.ids[k - 1], t.ids[k]))
            continue;
        /* ids sort by address among equals, so k is the later service of the pair */
        size_t later = (size_t)(t.ids[k] - (const char *)tt->services) / sizeof *tt->services;
        if (worst == (size_t)-1 || later < worst) {
            worst = later;
            first = (size_t)(t.ids[k - 1] - (const char *)tt->services) / sizeof *tt->services;
        }
    }
    free(t.ids);
    if (worst == (size_t)-1)
        return TUMEN_OK;
    const tt_origin *o = &r->origins.items[worst], *o1 = &r->origins.items[first];
    tm_error_set(err, TUMEN_EINPUT, r->files.items[o->file], o->line, o->field,
                 "duplicate service id '%s' (first given at %s:%d)", tt->services[worst].id,
                 r->files.items[o1->file], o1->line);
    if (err)
        err->column = o->column;
    return TUMEN_EINPUT;
}

int tm_timetable_resolve(tm_load *ld, tumen_error *err)
{
    struct tm_timetable_refs *r = ld->timetable_refs;
    if (!r)
        return TUMEN_OK;
    int rc = check_duplicates(ld, err);
    id_table ops = {0}, trains = {0};
    const tm_network *net = &ld->model->network;
    if (rc == TUMEN_OK &&
        (table_build(&ops, net->ops, net->n_ops, sizeof *net->ops) ||
         table_build(&trains, ld->model->trains, ld->model->n_trains, sizeof *ld->model->trains)))
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    const char *no_net = net->n_ops ? "" : " (no file gave a network)";
    for (size_t i = 0; rc == TUMEN_OK && i < r->refs.n; i++) {
        const tt_ref *ref = &r->refs.items[i];
        tm_service *sv = &ld->model->timetable.services[ref->service];
        if (ref->kind == REF_TRAIN || ref->kind == REF_CHANGE) {
            size_t k = table_find(&trains, ld->model->trains, sizeof *ld->model->trains,
                                  r->text.items + ref->id);
            if (k == (size_t)-1)
                rc = ref_error(r, ref, err, "train", "");
            else if (ref->kind == REF_TRAIN)
                sv->train = k;
            else
                sv->changes_to[ref->item] = k;
        } else {
            size_t k = table_find(&ops, net->ops, sizeof *net->ops, r->text.items + ref->id);
            if (k == (size_t)-1)
                rc = ref_error(r, ref, err, "operational point", no_net);
            else if (ref->kind == REF_WAYPOINT)
                sv->waypoints[ref->item] = k;
            else
                sv->stops[ref->item].op = k;
        }
    }
    free(ops.ids);
    free(trains.ids);
    if (rc == TUMEN_OK) {
        tm_timetable_refs_free(r);
        ld->timetable_refs = NULL;
    }
    return rc;
}
