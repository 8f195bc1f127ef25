/* delays_yaml.c: the `delays:` section of tumen YAML (docs/formats.md, "Delays"): primary
 * delay distributions per category, station and service for `tumen simulate`. Station and
 * service ids stay as written; the simulation resolves them and names this file and line
 * when one is unknown. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "core/error.h"
#include "formats/readers.h"
#include "model/delays.h"
#include "sim/delays.h"

/* Observed delays from a CSV file: one value in s in the first column of each line; a
 * first line that is not a number is a header; blank lines and lines from '#' are skipped.
 * A relative path is taken from the YAML file's folder. */
static int read_csv(const tm_ydoc *doc, const tm_ynode *node, const char *path,
                    const char *name, tm_dist *d, tumen_error *err)
{
    char full[1024];
    const char *yaml = tm_ydoc_file(doc);
    const char *slash = strrchr(yaml, '/');
    if (name[0] != '/' && slash)
        snprintf(full, sizeof full, "%.*s/%s", (int)(slash - yaml), yaml, name);
    else
        snprintf(full, sizeof full, "%s", name);
    FILE *fp = fopen(full, "r");
    if (!fp)
        return tm_yerror(doc, node, path, err, "cannot read '%s': %s", full, strerror(errno));
    char line[512];
    size_t cap = 0;
    int lineno = 0, rc = TUMEN_OK;
    while (rc == TUMEN_OK && fgets(line, sizeof line, fp)) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || !*p)
            continue;
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        int ok = end != p && (*end == ',' || *end == ';' || *end == '\n' || *end == '\r' ||
                              *end == ' ' || !*end);
        if (!ok && lineno == 1)
            continue; /* a header */
        if (!ok || errno || !isfinite(v) || v < 0.0) {
            rc = tm_error_set(err, TUMEN_EINPUT, full, lineno, "value",
                              "must be a delay in s, >= 0 (from %s)", path);
            break;
        }
        if (d->n_values == cap) {
            size_t c = cap ? 2 * cap : 64;
            double *q = realloc(d->values, c * sizeof *q);
            if (!q) {
                rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
                break;
            }
            d->values = q;
            cap = c;
        }
        d->values[d->n_values++] = v;
    }
    fclose(fp);
    if (rc == TUMEN_OK && d->n_values == 0)
        rc = tm_yerror(doc, node, path, err, "'%s' holds no values", full);
    return rc;
}

static int read_values(const tm_ydoc *doc, const tm_ynode *seq, const char *path, tm_dist *d,
                       tumen_error *err)
{
    int rc = tm_yexpect(doc, seq, TM_YSEQ, path, "list of durations", err);
    if (rc != TUMEN_OK)
        return rc;
    if (seq->n == 0)
        return tm_yerror(doc, seq, path, err, "needs at least one value");
    d->values = malloc(seq->n * sizeof *d->values);
    if (!d->values)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < seq->n; i++) {
        char item[160];
        tm_ypath_index(item, sizeof item, path, i);
        if ((rc = tm_yread_quantity(doc, tm_yseq_item(seq, i), item, TM_DIM_DURATION,
                                    TM_YR_NONNEG, &d->values[i], err)))
            return rc;
        d->n_values = i + 1;
    }
    return TUMEN_OK;
}

/* One distribution: {distribution: NAME, p_zero: P, parameters...}. */
static int read_dist(const tm_ydoc *doc, const tm_ynode *map, const char *path, tm_dist *d,
                     tumen_error *err)
{
    static const char *const keys[] = {"distribution", "p_zero", "mean", "sd", "shape", "scale",
                                       "median", "sigma", "file", "values", NULL};
    int rc;
    if ((rc = tm_yexpect(doc, map, TM_YMAP, path, "mapping", err)) ||
        (rc = tm_ycheck_keys(doc, map, path, keys, err)))
        return rc;
    char name[32], field[160];
    if ((rc = tm_yget_string(doc, map, path, "distribution", 1, name, sizeof name, NULL, err)))
        return rc;
    memset(d, 0, sizeof *d);
    if (tm_dist_parse(name, &d->kind))
        return tm_yerror(doc, tm_ymap_get(map, "distribution"),
                         tm_ypath_key(field, sizeof field, path, "distribution"), err,
                         "unknown distribution '%s' (none, exponential, weibull, lognormal, "
                         "normal, empirical)",
                         name);
    const tm_yrange unit = {0.0, 1.0, 0};
    if ((rc = tm_yget_number(doc, map, path, "p_zero", unit, 0, &d->p_zero, NULL, err)))
        return rc;
    /* The parameters each kind needs; any other is an error (a typo would be ignored). */
    static const char *const needs[][3] = {{NULL}, {"mean"}, {"shape", "scale"},
                                           {"median", "sigma"}, {"mean", "sd"}, {NULL}};
    for (size_t i = 2; keys[i]; i++) {
        int wanted = 0;
        for (int k = 0; k < 3 && needs[d->kind][k]; k++)
            wanted |= !strcmp(keys[i], needs[d->kind][k]);
        if (d->kind == TM_DIST_EMPIRICAL)
            wanted |= !strcmp(keys[i], "file") || !strcmp(keys[i], "values");
        if (!wanted && tm_ymap_get(map, keys[i]))
            return tm_yerror(doc, tm_ymap_get(map, keys[i]),
                             tm_ypath_key(field, sizeof field, path, keys[i]), err,
                             "a %s distribution takes no '%s'", name, keys[i]);
    }
    switch (d->kind) {
    case TM_DIST_NONE:
        break;
    case TM_DIST_EXPONENTIAL:
        rc = tm_yget_quantity(doc, map, path, "mean", TM_DIM_DURATION, TM_YR_POSITIVE, 1, &d->a,
                              NULL, err);
        break;
    case TM_DIST_WEIBULL:
        if (!(rc = tm_yget_number(doc, map, path, "shape", TM_YR_POSITIVE, 1, &d->a, NULL, err)))
            rc = tm_yget_quantity(doc, map, path, "scale", TM_DIM_DURATION, TM_YR_POSITIVE, 1,
                                  &d->b, NULL, err);
        break;
    case TM_DIST_LOGNORMAL: {
        double median = 0.0;
        if (!(rc = tm_yget_quantity(doc, map, path, "median", TM_DIM_DURATION, TM_YR_POSITIVE, 1,
                                    &median, NULL, err)))
            rc = tm_yget_number(doc, map, path, "sigma", TM_YR_POSITIVE, 1, &d->b, NULL, err);
        d->a = log(median);
        break;
    }
    case TM_DIST_NORMAL:
        if (!(rc = tm_yget_quantity(doc, map, path, "mean", TM_DIM_DURATION, TM_YR_ANY, 1, &d->a,
                                    NULL, err)))
            rc = tm_yget_quantity(doc, map, path, "sd", TM_DIM_DURATION, TM_YR_POSITIVE, 1,
                                  &d->b, NULL, err);
        break;
    case TM_DIST_EMPIRICAL: {
        const tm_ynode *file = tm_ymap_get(map, "file"), *values = tm_ymap_get(map, "values");
        if (!file == !values)
            return tm_yerror(doc, map, path, err,
                             "an empirical distribution takes either 'file' (a CSV of "
                             "observed delays in s) or 'values'");
        if (file) {
            const char *t = tm_yscalar(file);
            if (!t || !*t)
                return tm_yerror(doc, file, tm_ypath_key(field, sizeof field, path, "file"),
                                 err, "must be a file name");
            rc = read_csv(doc, file, tm_ypath_key(field, sizeof field, path, "file"), t, d, err);
        } else {
            rc = read_values(doc, values, tm_ypath_key(field, sizeof field, path, "values"), d,
                             err);
        }
        if (rc == TUMEN_OK)
            qsort(d->values, d->n_values, sizeof *d->values, tm_cmp_double);
        break;
    }
    }
    return rc;
}

/* entry / dwell / running of map into set. */
static int read_set(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                    tm_delay_set *set, tumen_error *err)
{
    static const char *const kinds[3] = {"entry", "dwell", "running"};
    tm_dist *dists[3] = {&set->entry, &set->dwell, &set->running};
    int *has[3] = {&set->has_entry, &set->has_dwell, &set->has_running};
    for (int k = 0; k < 3; k++) {
        const tm_ynode *n = tm_ymap_get(map, kinds[k]);
        if (!n)
            continue;
        char field[160];
        tm_ypath_key(field, sizeof field, path, kinds[k]);
        int rc = read_dist(doc, n, field, dists[k], err);
        if (rc != TUMEN_OK)
            return rc;
        *has[k] = 1;
    }
    return TUMEN_OK;
}

/* stations: [{at: OP, ...}] or trains: [{service: ID, ...}]. */
static int read_overrides(const tm_ydoc *doc, const tm_ynode *seq, const char *key,
                          const char *id_key, tm_delay_override **out, size_t *n_out,
                          tumen_error *err)
{
    char path[64];
    snprintf(path, sizeof path, "delays.%s", key);
    int rc = tm_yexpect(doc, seq, TM_YSEQ, path, "list", err);
    if (rc != TUMEN_OK)
        return rc;
    *out = calloc(seq->n ? seq->n : 1, sizeof **out);
    if (!*out)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < seq->n; i++) {
        const tm_ynode *m = tm_yseq_item(seq, i);
        const char *const keys[] = {id_key, "entry", "dwell", "running", NULL};
        char item[96];
        tm_ypath_index(item, sizeof item, path, i);
        tm_delay_override *o = &(*out)[i];
        *n_out = i + 1;
        if ((rc = tm_yexpect(doc, m, TM_YMAP, item, "mapping", err)) ||
            (rc = tm_ycheck_keys(doc, m, item, keys, err)) ||
            (rc = tm_yget_string(doc, m, item, id_key, 1, o->id, sizeof o->id, NULL, err)) ||
            (rc = read_set(doc, m, item, &o->set, err)))
            return rc;
        snprintf(o->file, sizeof o->file, "%s", tm_ydoc_file(doc));
        o->line = tm_ymap_get(m, id_key)->line;
        tm_ypath_key(o->field, sizeof o->field, item, id_key);
    }
    return TUMEN_OK;
}

int tm_delays_read(tm_scenario *s, const tm_ydoc *doc, const tm_ynode *node,
                   tumen_error *err)
{
    static const char *const keys[] = {"passenger", "freight", "special", "stations", "trains",
                                       NULL};
    static const char *const cats[TM_N_CATEGORIES] = {"passenger", "freight", "special"};
    int rc;
    if (s->delays)
        return tm_yerror(doc, node, "delays", err,
                         "delays are given twice (once per scenario: one file holds them)");
    if ((rc = tm_yexpect(doc, node, TM_YMAP, "delays", "mapping", err)) ||
        (rc = tm_ycheck_keys(doc, node, "delays", keys, err)))
        return rc;
    s->delays = calloc(1, sizeof *s->delays);
    if (!s->delays)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    for (int c = 0; c < TM_N_CATEGORIES && rc == TUMEN_OK; c++) {
        const tm_ynode *m = tm_ymap_get(node, cats[c]);
        if (!m)
            continue;
        static const char *const set_keys[] = {"entry", "dwell", "running", NULL};
        char path[64];
        snprintf(path, sizeof path, "delays.%s", cats[c]);
        if (!(rc = tm_yexpect(doc, m, TM_YMAP, path, "mapping", err)) &&
            !(rc = tm_ycheck_keys(doc, m, path, set_keys, err)))
            rc = read_set(doc, m, path, &s->delays->category[c], err);
    }
    if (rc == TUMEN_OK && tm_ymap_get(node, "stations"))
        rc = read_overrides(doc, tm_ymap_get(node, "stations"), "stations", "at",
                            &s->delays->stations, &s->delays->n_stations, err);
    if (rc == TUMEN_OK && tm_ymap_get(node, "trains"))
        rc = read_overrides(doc, tm_ymap_get(node, "trains"), "trains", "service",
                            &s->delays->trains, &s->delays->n_trains, err);
    return rc;
}
