/* special_yaml.c: the `special:` request of tumen YAML (docs/formats.md, "Special train
 * requests"). Ids stay as written; tm_special_plan resolves them against the whole
 * scenario and names this file and line when one is unknown. */
#include "plan/special.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "formats/readers.h"

static int get_clock(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                     const char *key, int required, double *out, tumen_error *err)
{
    const tm_ynode *n;
    char path[160];
    int rc = tm_yget_node(doc, map, parent, key, required, &n, err);
    if (rc != TUMEN_OK || !n)
        return rc;
    tm_ypath_key(path, sizeof path, parent, key);
    const char *t = tm_yscalar(n);
    if (!t || tm_yparse_clock(t, 99, out)) /* a request may run past midnight */
        return tm_yerror(doc, n, path, err,
                         "must be a clock time \"HH:MM\" or \"HH:MM:SS\" (hours up to 99), "
                         "got '%s'",
                         t ? t : "a collection");
    return TUMEN_OK;
}

static int read_id_list(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                        const char *key, char (*ids)[TM_ID_LEN], size_t max, size_t *n,
                        tumen_error *err)
{
    const tm_ynode *seq;
    char path[160], item[176];
    int rc = tm_yget_node(doc, map, parent, key, 0, &seq, err);
    if (rc != TUMEN_OK || !seq)
        return rc;
    tm_ypath_key(path, sizeof path, parent, key);
    if ((rc = tm_yexpect(doc, seq, TM_YSEQ, path, "list of ids", err)) != TUMEN_OK)
        return rc;
    if (seq->n > max)
        return tm_yerror(doc, seq, path, err, "at most %zu items", max);
    for (size_t i = 0; i < seq->n; i++) {
        tm_ypath_index(item, sizeof item, path, i);
        if ((rc = tm_yread_string(doc, tm_yseq_item(seq, i), item, ids[i], TM_ID_LEN, err)))
            return rc;
    }
    *n = seq->n;
    return TUMEN_OK;
}

static int read_train(const tm_ydoc *doc, const tm_ynode *map, const char *key,
                      tm_special_train *t, tumen_error *err)
{
    static const char *const keys[] = {"train", "changes_to", "lead", "lag", NULL};
    const tm_ynode *n;
    int rc = tm_yget_node(doc, map, "special", key, 0, &n, err);
    if (rc != TUMEN_OK || !n)
        return rc;
    char path[64];
    snprintf(path, sizeof path, "special.%s", key);
    if ((rc = tm_yexpect(doc, n, TM_YMAP, path, "mapping", err)) ||
        (rc = tm_ycheck_keys(doc, n, path, keys, err)))
        return rc;
    t->present = 1;
    t->line = n->line;
    if ((rc = tm_yget_string(doc, n, path, "train", 1, t->train, sizeof t->train, NULL, err)) ||
        (rc = read_id_list(doc, n, path, "changes_to", t->changes_to, TM_SP_MAX_CHANGES,
                           &t->n_changes, err)))
        return rc;
    const char *off = !strcmp(key, "pilot") ? "lead" : "lag";
    const char *other = !strcmp(key, "pilot") ? "lag" : "lead";
    if (tm_ymap_get(n, other))
        return tm_yerror(doc, tm_ymap_get(n, other), path, err, "the %s takes '%s', not '%s'",
                         key, off, other);
    return tm_yget_quantity(doc, n, path, off, TM_DIM_DURATION, TM_YR_POSITIVE, 1, &t->offset,
                            NULL, err);
}

static int read_stops(const tm_ydoc *doc, const tm_ynode *map, tm_special_spec *sp,
                      tumen_error *err)
{
    static const char *const keys[] = {"at", "dwell", "not_before", "reason", NULL};
    const tm_ynode *seq;
    int rc = tm_yget_node(doc, map, "special", "stops", 0, &seq, err);
    if (rc != TUMEN_OK || !seq)
        return rc;
    if ((rc = tm_yexpect(doc, seq, TM_YSEQ, "special.stops", "list of stops", err)))
        return rc;
    if (seq->n > TM_SP_MAX_STOPS)
        return tm_yerror(doc, seq, "special.stops", err, "at most %d stops", TM_SP_MAX_STOPS);
    for (size_t i = 0; i < seq->n; i++) {
        const tm_ynode *st = tm_yseq_item(seq, i);
        char path[64];
        snprintf(path, sizeof path, "special.stops[%zu]", i);
        tm_special_stop *s = &sp->stops[i];
        s->not_before = -INFINITY;
        s->line = st->line;
        if ((rc = tm_yexpect(doc, st, TM_YMAP, path, "mapping", err)) ||
            (rc = tm_ycheck_keys(doc, st, path, keys, err)) ||
            (rc = tm_yget_string(doc, st, path, "at", 1, s->at, sizeof s->at, NULL, err)) ||
            (rc = tm_yget_quantity(doc, st, path, "dwell", TM_DIM_DURATION, TM_YR_NONNEG, 0,
                                   &s->dwell, NULL, err)) ||
            (rc = get_clock(doc, st, path, "not_before", 0, &s->not_before, err)) ||
            (rc = tm_yget_string(doc, st, path, "reason", 0, s->reason, sizeof s->reason,
                                 NULL, err)))
            return rc;
    }
    sp->n_stops = seq->n;
    return TUMEN_OK;
}

static int read_costs(const tm_ydoc *doc, const tm_ynode *map, tm_special_spec *sp,
                      tumen_error *err)
{
    static const char *const cats[] = {"passenger", "freight", "special", NULL};
    static const char *const keys[] = {"delay_per_min", "cancel", NULL};
    /* Defaults (assumed): a passenger minute counts five freight minutes; a cancellation
     * as two hours of its delay. */
    static const double delay[3] = {5.0, 1.0, 10.0}, cancel[3] = {600.0, 120.0, 1200.0};
    for (int c = 0; c < 3; c++) {
        sp->delay_cost[c] = delay[c] / 60.0;
        sp->cancel_cost[c] = cancel[c];
    }
    const tm_ynode *n;
    int rc = tm_yget_node(doc, map, "special", "costs", 0, &n, err);
    if (rc != TUMEN_OK || !n)
        return rc;
    if ((rc = tm_yexpect(doc, n, TM_YMAP, "special.costs", "mapping", err)) ||
        (rc = tm_ycheck_keys(doc, n, "special.costs", cats, err)))
        return rc;
    for (int c = 0; c < 3; c++) {
        const tm_ynode *m = tm_ymap_get(n, cats[c]);
        if (!m)
            continue;
        char path[64];
        snprintf(path, sizeof path, "special.costs.%s", cats[c]);
        double per_min = delay[c];
        if ((rc = tm_yexpect(doc, m, TM_YMAP, path, "mapping", err)) ||
            (rc = tm_ycheck_keys(doc, m, path, keys, err)) ||
            (rc = tm_yget_number(doc, m, path, "delay_per_min", TM_YR_NONNEG, 0, &per_min,
                                 NULL, err)) ||
            (rc = tm_yget_number(doc, m, path, "cancel", TM_YR_NONNEG, 0,
                                 &sp->cancel_cost[c], NULL, err)))
            return rc;
        sp->delay_cost[c] = per_min / 60.0;
    }
    return TUMEN_OK;
}

/* The rule set of `security:`: a built-in named by `rules:` (default margins), then every
 * number or choice given beside it overrides that set's (docs/special.md). */
#define SECURITY_RULE_KEYS                                                                   \
    "rules", "pilot_lead", "line_clear_before", "line_clear_after", "other_track",            \
        "parallel", "neighbour_before", "neighbour_after", "neighbour_until_special",         \
        "junctions", "station_clear", "crossing_from_special", "crossing_close_before",       \
        "manned_lock_before", "unmanned_lock_before", "guard_before", "guard_after",           \
        "power_off"

static int read_neighbour(const tm_ydoc *doc, const tm_ynode *sec, const char *key,
                          tm_neighbour_rule *out, tumen_error *err)
{
    char text[32], path[64];
    int found = 0;
    int rc = tm_yget_string(doc, sec, "special.security", key, 0, text, sizeof text, &found,
                            err);
    if (rc != TUMEN_OK || !found || !tm_neighbour_rule_parse(text, out))
        return rc;
    snprintf(path, sizeof path, "special.security.%s", key);
    return tm_yerror(doc, tm_ymap_get(sec, key), path, err,
                     "must be free, passenger_only or held, got '%s'", text);
}

static int read_rules(const tm_ydoc *doc, const tm_ynode *sec, tm_security_rules *r,
                      tumen_error *err)
{
    static const struct {
        const char *key;
        size_t offset;
    } times[] = {
        {"pilot_lead", offsetof(tm_security_rules, pilot_lead)},
        {"line_clear_before", offsetof(tm_security_rules, line_clear_before)},
        {"line_clear_after", offsetof(tm_security_rules, line_clear_after)},
        {"neighbour_before", offsetof(tm_security_rules, neighbour_before)},
        {"neighbour_after", offsetof(tm_security_rules, neighbour_after)},
        {"station_clear", offsetof(tm_security_rules, station_clear)},
        {"crossing_close_before", offsetof(tm_security_rules, crossing_close_before)},
        {"manned_lock_before", offsetof(tm_security_rules, manned_lock_before)},
        {"unmanned_lock_before", offsetof(tm_security_rules, unmanned_lock_before)},
        {"guard_before", offsetof(tm_security_rules, guard_before)},
        {"guard_after", offsetof(tm_security_rules, guard_after)},
    };
    static const struct {
        const char *key;
        size_t offset;
    } flags[] = {
        {"neighbour_until_special", offsetof(tm_security_rules, neighbour_until_special)},
        {"junctions", offsetof(tm_security_rules, junctions)},
        {"crossing_from_special", offsetof(tm_security_rules, crossing_from_special)},
        {"power_off", offsetof(tm_security_rules, power_off)},
    };
    char name[32];
    int found = 0;
    int rc = tm_yget_string(doc, sec, "special.security", "rules", 0, name, sizeof name, &found,
                            err);
    if (rc != TUMEN_OK)
        return rc;
    if (found && tm_security_rules_builtin(name, r))
        return tm_yerror(doc, tm_ymap_get(sec, "rules"), "special.security.rules", err,
                         "unknown rule set '%s' (expected %s)", name,
                         tm_security_rules_names());
    for (size_t i = 0; i < sizeof times / sizeof *times; i++)
        if ((rc = tm_yget_quantity(doc, sec, "special.security", times[i].key, TM_DIM_DURATION,
                                   TM_YR_NONNEG, 0, (double *)((char *)r + times[i].offset),
                                   NULL, err)))
            return rc;
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        if ((rc = tm_yget_bool(doc, sec, "special.security", flags[i].key, 0,
                               (int *)((char *)r + flags[i].offset), NULL, err)))
            return rc;
    if ((rc = read_neighbour(doc, sec, "other_track", &r->other_track, err)) ||
        (rc = read_neighbour(doc, sec, "parallel", &r->parallel, err)))
        return rc;
    return TUMEN_OK;
}

/* Priority mode's budget of branch-and-bound nodes: a whole number from 1 to 10 million
 * (absent: TM_SP_MAX_NODES). A planner who wants a plan proved least on a hard day asks for
 * more; the answer says whether the search finished (exact) and its lower bound. */
static int read_max_nodes(const tm_ydoc *doc, const tm_ynode *map, tm_special_spec *sp,
                          tumen_error *err)
{
    double n = 0.0;
    int found = 0;
    int rc = tm_yget_number(doc, map, "special", "max_nodes", TM_YR_POSITIVE, 0, &n, &found,
                            err);
    if (rc != TUMEN_OK || !found)
        return rc;
    const tm_ynode *node = tm_ymap_get(map, "max_nodes");
    if (n != floor(n) || n > 1e7)
        return tm_yerror(doc, node, "special.max_nodes", err,
                         "must be a whole number from 1 to 10000000, got '%s'", tm_yscalar(node));
    sp->max_nodes = (size_t)n;
    return TUMEN_OK;
}

int tm_special_read(tm_load *ld, const tm_ydoc *doc, const tm_ynode *node,
                    tumen_error *err)
{
    static const char *const keys[] = {
        "id",    "train",  "changes_to", "from",     "to",    "via",   "earliest_departure",
        "latest_arrival", "stops", "pilot", "escort", "security", "mode", "costs", "max_nodes",
        NULL};
    static const char *const sec_keys[] = {"margin_time", "margin_distance",
                                           "opposing_margin", "station_margin",
                                           SECURITY_RULE_KEYS, NULL};
    int rc;
    if ((rc = tm_yexpect(doc, node, TM_YMAP, "special", "mapping", err)) ||
        (rc = tm_ycheck_keys(doc, node, "special", keys, err)))
        return rc;
    if (ld->special)
        return tm_yerror(doc, node, "special", err,
                         "a second special train request (one per scenario)");
    tm_special_spec *sp = calloc(1, sizeof *sp);
    if (!sp)
        return tm_yerror_code(doc, TUMEN_ENOMEM, node, "special", err, "out of memory");
    snprintf(sp->file, sizeof sp->file, "%s", tm_ydoc_file(doc));
    sp->line = node->line;
    sp->latest = INFINITY;
    sp->margin_time = 120.0;
    sp->margin_distance = 0.0;
    sp->opposing_margin = 300.0;
    sp->station_margin = 300.0;
    tm_security_rules_builtin("margins", &sp->security);
    snprintf(sp->id, sizeof sp->id, "special");
    sp->special.present = 1;
    sp->special.line = node->line;
    const tm_ynode *sec = NULL, *mode = NULL;
    if ((rc = tm_yget_string(doc, node, "special", "id", 0, sp->id, sizeof sp->id, NULL,
                             err)) ||
        (rc = tm_yget_string(doc, node, "special", "train", 1, sp->special.train,
                             sizeof sp->special.train, NULL, err)) ||
        (rc = read_id_list(doc, node, "special", "changes_to", sp->special.changes_to,
                           TM_SP_MAX_CHANGES, &sp->special.n_changes, err)) ||
        (rc = tm_yget_string(doc, node, "special", "from", 1, sp->from, sizeof sp->from,
                             NULL, err)) ||
        (rc = tm_yget_string(doc, node, "special", "to", 1, sp->to, sizeof sp->to, NULL,
                             err)) ||
        (rc = read_id_list(doc, node, "special", "via", sp->via, TM_SP_MAX_STOPS, &sp->n_via,
                           err)) ||
        (rc = get_clock(doc, node, "special", "earliest_departure", 1, &sp->earliest, err)) ||
        (rc = get_clock(doc, node, "special", "latest_arrival", 0, &sp->latest, err)) ||
        (rc = read_stops(doc, node, sp, err)) || (rc = read_train(doc, node, "pilot", &sp->pilot, err)) ||
        (rc = read_train(doc, node, "escort", &sp->escort, err)) ||
        (rc = read_costs(doc, node, sp, err)) || (rc = read_max_nodes(doc, node, sp, err)) ||
        (rc = tm_yget_node(doc, node, "special", "security", 0, &sec, err)) ||
        (rc = tm_yget_node(doc, node, "special", "mode", 0, &mode, err)))
        goto fail;
    if (strlen(sp->id) > TM_SPECIAL_ID_MAX) { /* its services' ids would not fit: refused */
        const tm_ynode *id = tm_ymap_get(node, "id");
        rc = tm_yerror(doc, id, "special.id", err,
                       "id longer than %d bytes (the convoy's services are '%s-special' and "
                       "their ids keep at most %d)",
                       TM_SPECIAL_ID_MAX, sp->id, TM_ID_LEN - 1);
        goto fail;
    }
    if (sec &&
        ((rc = tm_yexpect(doc, sec, TM_YMAP, "special.security", "mapping", err)) ||
         (rc = tm_ycheck_keys(doc, sec, "special.security", sec_keys, err)) ||
         (rc = tm_yget_quantity(doc, sec, "special.security", "margin_time", TM_DIM_DURATION,
                                TM_YR_NONNEG, 0, &sp->margin_time, NULL, err)) ||
         (rc = tm_yget_quantity(doc, sec, "special.security", "margin_distance",
                                TM_DIM_LENGTH, TM_YR_NONNEG, 0, &sp->margin_distance, NULL,
                                err)) ||
         (rc = tm_yget_quantity(doc, sec, "special.security", "opposing_margin",
                                TM_DIM_DURATION, TM_YR_NONNEG, 0, &sp->opposing_margin, NULL,
                                err)) ||
         (rc = tm_yget_quantity(doc, sec, "special.security", "station_margin",
                                TM_DIM_DURATION, TM_YR_NONNEG, 0, &sp->station_margin, NULL,
                                err)) ||
         (rc = read_rules(doc, sec, &sp->security, err))))
        goto fail;
    if (mode) {
        const char *m = tm_yscalar(mode);
        if (m && !strcmp(m, "fit"))
            sp->mode = TM_SPECIAL_FIT;
        else if (m && !strcmp(m, "priority"))
            sp->mode = TM_SPECIAL_PRIORITY;
        else {
            rc = tm_yerror(doc, mode, "special.mode", err, "must be fit or priority, got '%s'",
                           m ? m : "a collection");
            goto fail;
        }
    }
    if (sp->latest <= sp->earliest) {
        rc = tm_yerror(doc, tm_ymap_get(node, "latest_arrival"), "special.latest_arrival", err,
                       "must be after the earliest departure");
        goto fail;
    }
    ld->special = sp;
    return TUMEN_OK;
fail:
    free(sp);
    return rc;
}
