/* section_yaml.c: the fields that the YAML readers of lines and tracks share: the stretch
 * a section covers and its grade (tumen YAML lines, network tracks), and a line's list of
 * points (tumen YAML and railtoolkit paths, each with its own item reader). */
#include <stdlib.h>

#include "core/error.h"
#include "formats/readers.h"

#define TOLERANCE 1e-6 /* m: sections closer than this meet */

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
        if (rc != TUMEN_OK)
            return rc;
        l->n_points++;
    }
    return TUMEN_OK;
}
