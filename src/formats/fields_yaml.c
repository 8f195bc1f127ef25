/* fields_yaml.c: the fields that the YAML readers share: a choice among names, the stretch
 * a section covers and its grade (tumen YAML lines, network tracks), and a line's list of
 * points (tumen YAML and railtoolkit paths, each with its own item reader). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "formats/readers.h"

#define TOLERANCE 1e-6 /* m: sections closer than this meet */

const tm_ychoice tm_curve_law_choices[] = {
    {"roeckl", TM_CURVE_ROECKL}, {"800/R", TM_CURVE_800R}, {"none", TM_CURVE_NONE}, {NULL, 0}};

int tm_yget_choice(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                   const char *key, const tm_ychoice *items, int required, int *out,
                   tumen_error *err)
{
    char text[64], path[160];
    int found = 0;
    int rc = tm_yget_string(doc, map, parent, key, required, text, sizeof text, &found, err);
    if (rc != TUMEN_OK || !found)
        return rc;
    for (size_t i = 0; items[i].name; i++) {
        if (strcmp(items[i].name, text) == 0) {
            *out = items[i].value;
            return TUMEN_OK;
        }
    }
    char list[160] = "";
    size_t used = 0;
    for (size_t i = 0; items[i].name && used < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", items[i].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return tm_yerror(doc, tm_ymap_get(map, key), tm_ypath_key(path, sizeof path, parent, key),
                     err, "unknown %s '%s' (expected %s)", key, text, list);
}


int tm_yread_extent(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                    const double *prev_end, double *start, double *end, tumen_error *err)
{
    int has_to = 0, has_length = 0;
    double length = 0.0;
    *start = prev_end ? *prev_end : 0.0;
    int rc = tm_yget_quantity(doc, map, path, "from", TM_DIM_LENGTH, TM_YR_ANY, 0, start, NULL,
                              err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "to", TM_DIM_LENGTH, TM_YR_ANY, 0, end, &has_to,
                              err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "length", TM_DIM_LENGTH, TM_YR_POSITIVE, 0,
                              &length, &has_length, err);
    if (rc != TUMEN_OK)
        return rc;
    if (has_to == has_length)
        return tm_yerror(doc, map, path, err, "give either 'to' or 'length' (exactly one)");
    if (has_length)
        *end = *start + length;
    if (!(*end > *start))
        return tm_yerror(doc, map, path, err,
                         "the section ends at %g m, which is not after its start at %g m", *end,
                         *start);
    if (prev_end && *start < *prev_end - TOLERANCE)
        return tm_yerror(doc, map, path, err,
                         "overlaps the previous section: starts at %g m, before its end at %g m",
                         *start, *prev_end);
    if (prev_end && *start > *prev_end + TOLERANCE)
        return tm_yerror(doc, map, path, err,
                         "leaves a gap: starts at %g m, but the previous section ends at %g m",
                         *start, *prev_end);
    if (prev_end)
        *start = *prev_end; /* exactly contiguous */
    return TUMEN_OK;
}

int tm_yread_grade(const tm_ydoc *doc, const tm_ynode *map, const char *path, double *gradient,
                   double *radius, tumen_error *err)
{
    static const tm_yrange gradient_range = {-1.0, 1.0, 0};
    int rc = tm_yget_quantity(doc, map, path, "gradient", TM_DIM_GRADIENT, gradient_range, 0,
                              gradient, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_quantity(doc, map, path, "radius", TM_DIM_LENGTH, TM_YR_NONNEG, 0, radius,
                              NULL, err);
    return rc;
}

int tm_yread_points(const tm_ydoc *doc, const tm_ynode *list, const char *path,
                    const char *what, tm_yread_point_fn read_one, tm_line *l, tumen_error *err)
{
    int rc = tm_yexpect(doc, list, TM_YSEQ, path, what, err);
    if (rc != TUMEN_OK || list->n == 0)
        return rc;
    l->points = calloc(list->n, sizeof *l->points);
    if (!l->points)
        return tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), list->line, path,
                            "out of memory");
    for (size_t i = 0; i < list->n; i++) {
        char item[128];
        tm_ypath_index(item, sizeof item, path, i);
        rc = read_one(doc, list->items[i], item, &l->points[i], err);
        if (rc != TUMEN_OK) { /* its name, read before the error, is not counted yet */
            free(l->points[i].name);
            l->points[i].name = NULL;
            return rc;
        }
        l->n_points++;
    }
    return TUMEN_OK;
}

int tm_yparse_clock(const char *text, int max_hours, double *seconds)
{
    const int hour_digits = max_hours > 99 ? 3 : 2;
    int part[3] = {0, 0, 0}, n = 0;
    const char *p = text;
    while (n < 3) {
        int digits = 0, value = 0;
        while (isdigit((unsigned char)*p) && digits < 4) {
            value = value * 10 + (*p++ - '0');
            digits++;
        }
        if (digits == 0 || (n == 0 && digits > hour_digits) || (n > 0 && digits != 2))
            return -1;
        part[n++] = value;
        if (*p != ':')
            break;
        p++;
    }
    if (*p || n < 2 || part[0] > max_hours || part[1] > 59 || part[2] > 59)
        return -1;
    *seconds = part[0] * 3600.0 + part[1] * 60.0 + part[2];
    return 0;
}
