/* allowance_yaml.c: a journey's or a service's allowances and targets in tumen YAML
 * (docs/formats.md, "Allowances"): a whole allowance, the driving that spends it, ranges
 * with their own allowance, and target arrivals. Read by scenario_yaml.c (journeys and
 * legs) and timetable_yaml.c (services). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "formats/readers.h"

/* ---- Allowances and targets (docs/formats.md, "Allowances") ---- */

static int read_allowance_value(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                                const char *key, tumen_allowance *out, tumen_error *err)
{
    const tm_ynode *node = tm_ymap_get(map, key);
    char sub[160];
    tm_ypath_key(sub, sizeof sub, parent, key);
    if (!node)
        return TUMEN_OK;
    tumen_error e = {0};
    if (node->kind != TM_YSCALAR || tumen_allowance_parse(node->text, out, &e) != TUMEN_OK)
        return tm_yerror(doc, node, sub, err, "%s", e.message[0] ? e.message
                                                  : "an allowance is a scalar such as 5%");
    return TUMEN_OK;
}

/* A target arrival: a clock time "HH:MM[:SS]" (against `departure`, the journey's or the
 * service's, 00:00 if none) or a time since the start ("95 min"); on the result's clock. */
static int read_arrival(const tm_ydoc *doc, const tm_ynode *node, const char *path,
                        double departure, double *out, tumen_error *err)
{
    if (node->kind == TM_YSCALAR && strchr(node->text, ':')) {
        double clock = 0.0;
        if (tm_yparse_clock(node->text, 23, &clock) != 0)
            return tm_yerror(doc, node, path, err,
                             "must be a clock time \"HH:MM\" or \"HH:MM:SS\" (got '%s')",
                             node->text);
        *out = clock - departure;
        if (*out < 0.0)
            *out += 86400.0; /* after midnight */
        return TUMEN_OK;
    }
    return tm_yread_quantity(doc, node, path, TM_DIM_DURATION, TM_YR_NONNEG, out, err);
}

static int read_targets(double departure, const tm_ydoc *doc, const tm_ynode *list,
                        const char *path, tm_allowance_spec *spec, tumen_error *err)
{
    static const char *const keys[] = {"at", "arrival", "by", "not_before", NULL};
    int rc = tm_yexpect(doc, list, TM_YSEQ, path, "a list of {at, arrival}", err);
    if (rc == TUMEN_OK && list->n > TM_MAX_TARGETS)
        rc = tm_yerror(doc, list, path, err, "at most %d targets", TM_MAX_TARGETS);
    for (size_t i = 0; rc == TUMEN_OK && i < list->n; i++) {
        char item[160], sub[176];
        tm_ypath_index(item, sizeof item, path, i);
        const tm_ynode *m = list->items[i];
        tm_target *t = &spec->targets[spec->n_targets];
        rc = tm_yexpect(doc, m, TM_YMAP, item, "a target {at, arrival} or {at, by}", err);
        if (rc == TUMEN_OK)
            rc = tm_ycheck_keys(doc, m, item, keys, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_name(doc, m, item, "at", 1, &t->at, NULL, err);
        const tm_ynode *arr = tm_ymap_get(m, "arrival"), *by = tm_ymap_get(m, "by");
        const tm_ynode *nb = tm_ymap_get(m, "not_before");
        if (rc == TUMEN_OK && ((arr && by) || (!arr && !by && !nb)))
            rc = tm_yerror(doc, m, item, err, "give one of arrival (exactly then) or by (at "
                                              "the latest), and/or not_before (a stop's "
                                              "earliest departure, or the earliest time "
                                              "the train passes)");
        t->arrival = -1.0; /* none */
        t->not_before = 0.0;
        t->earliest = t->v_min = t->v_max = 0.0;
        t->origin = (tm_origin){NULL, 0, NULL};
        if (rc == TUMEN_OK && (arr || by)) {
            t->window = by != NULL;
            rc = read_arrival(doc, arr ? arr : by,
                              tm_ypath_key(sub, sizeof sub, item, arr ? "arrival" : "by"), departure,
                              &t->arrival, err);
        }
        if (rc == TUMEN_OK && nb) {
            rc = read_arrival(doc, nb, tm_ypath_key(sub, sizeof sub, item, "not_before"), departure,
                              &t->not_before, err);
        }
        /* Where its lower bound is written (else the target), for the warnings about it. */
        t->origin.line = (nb ? nb : m)->line;
        if (rc == TUMEN_OK &&
            (tm_name_set(&t->origin.file, tm_ydoc_file(doc)) ||
             tm_name_set(&t->origin.field, nb ? tm_ypath_key(sub, sizeof sub, item, "not_before")
                                              : item)))
            rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
        if (rc == TUMEN_OK) {
            spec->n_targets++;
        } else { /* not counted: its names are freed here */
            free(t->at);
            free(t->origin.file);
            free(t->origin.field);
            t->at = t->origin.file = t->origin.field = NULL;
        }
    }
    return rc;
}

static int read_ranges(const tm_ydoc *doc, const tm_ynode *list, const char *path,
                       tm_allowance_spec *spec, tumen_error *err)
{
    static const char *const keys[] = {"from", "to", "allowance", NULL};
    int rc = tm_yexpect(doc, list, TM_YSEQ, path, "a list of {from, to, allowance}", err);
    if (rc == TUMEN_OK && list->n > TM_MAX_RANGES)
        rc = tm_yerror(doc, list, path, err, "at most %d ranges", TM_MAX_RANGES);
    for (size_t i = 0; rc == TUMEN_OK && i < list->n; i++) {
        char item[160];
        tm_ypath_index(item, sizeof item, path, i);
        const tm_ynode *m = list->items[i];
        tm_allowance_range *r = &spec->ranges[spec->n_ranges];
        rc = tm_yexpect(doc, m, TM_YMAP, item, "a range {from, to, allowance}", err);
        if (rc == TUMEN_OK)
            rc = tm_ycheck_keys(doc, m, item, keys, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_name(doc, m, item, "from", 0, &r->from, NULL, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_name(doc, m, item, "to", 0, &r->to, NULL, err);
        if (rc == TUMEN_OK && !tm_ymap_get(m, "allowance"))
            rc = tm_yerror(doc, m, item, err, "missing required field 'allowance'");
        if (rc == TUMEN_OK)
            rc = read_allowance_value(doc, m, item, "allowance", &r->allowance, err);
        if (rc == TUMEN_OK) {
            spec->n_ranges++;
        } else { /* not counted: its names are freed here */
            free(r->from);
            free(r->to);
            r->from = r->to = NULL;
        }
    }
    return rc;
}

int tm_read_allowance_spec(double departure, const tm_ydoc *doc,
                           const tm_ynode *map, const char *path, tm_allowance_spec *spec,
                           tumen_error *err)
{
    static const tm_ychoice drivings[] = {{"eco", TUMEN_DRIVING_ECO},
                                         {"linear", TUMEN_DRIVING_LINEAR},
                                         {NULL, 0}};
    char sub[160];
    int rc = read_allowance_value(doc, map, path, "allowance", &spec->whole, err);
    if (rc == TUMEN_OK && tm_ymap_get(map, "driving")) {
        int d = 0;
        rc = tm_yget_choice(doc, map, path, "driving", drivings, 0, &d, err);
        spec->driving = (tumen_driving)d;
    }
    if (rc == TUMEN_OK && tm_ymap_get(map, "allowances"))
        rc = read_ranges(doc, tm_ymap_get(map, "allowances"),
                         tm_ypath_key(sub, sizeof sub, path, "allowances"), spec, err);
    if (rc == TUMEN_OK && tm_ymap_get(map, "targets"))
        rc = read_targets(departure, doc, tm_ymap_get(map, "targets"),
                          tm_ypath_key(sub, sizeof sub, path, "targets"), spec, err);
    return rc;
}
