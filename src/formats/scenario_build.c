/* scenario_build.c: what the readers hand the scenario: vehicles, trains and lines added
 * with their ids checked for duplicates, a line's points put in order, and a stable sort
 * the readers share. Below every reader (scenario.c, the loader, sits above them), so that a
 * reader never includes the loader that calls it.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/vec.h"
#include "formats/readers.h"
#include "model/model.h"

/* ---- Growing the scenario's arrays ------------------------------------------------ */

/* The arrays carry no capacity: it is the smallest power of two >= n (16 at least), so
 * they are full, and grow by TM_VEC's policy, when n is 0 or a power of two. */
static int grow(void **items, size_t n, size_t item_size)
{
    if (n != 0 && (n & (n - 1)) != 0)
        return 0;
    size_t cap = n < 16 && n ? 16 : n;
    return tm_vec_grow_(items, &cap, n, item_size);
}

static int duplicate(const tm_ydoc *doc, const tm_ynode *node, const char *path,
                     const char *what, const char *id, tumen_error *err)
{
    char field[128];
    tm_ypath_key(field, sizeof field, path, "id");
    if (doc)
        return tm_yerror(doc, node, field, err, "duplicate %s id '%s'", what, id);
    return tm_error_set(err, TUMEN_EINPUT, NULL, 0, field, "duplicate %s id '%s'", what, id);
}

static int no_memory(const tm_ydoc *doc, tumen_error *err)
{
    return tm_error_set(err, TUMEN_ENOMEM, doc ? tm_ydoc_file(doc) : NULL, 0, NULL,
                        "out of memory");
}

int tm_scenario_add_vehicle(tm_scenario *s, tm_vehicle *v, const tm_ydoc *doc,
                            const tm_ynode *node, const char *path, size_t *index,
                            tumen_error *err)
{
    if (tm_scenario_find_vehicle(s, v->id) != (size_t)-1)
        return duplicate(doc, node, path, "vehicle", v->id, err);
    if (grow((void **)&s->vehicles, s->n_vehicles, sizeof *s->vehicles))
        return no_memory(doc, err);
    if (index)
        *index = s->n_vehicles;
    s->vehicles[s->n_vehicles++] = *v;
    memset(v, 0, sizeof *v);
    return TUMEN_OK;
}

int tm_scenario_add_train(tm_scenario *s, tm_train *t, const tm_ydoc *doc,
                          const tm_ynode *node, const char *path, tumen_error *err)
{
    if (tm_scenario_find_train(s, t->id) != (size_t)-1)
        return duplicate(doc, node, path, "train", t->id, err);
    if (grow((void **)&s->trains, s->n_trains, sizeof *s->trains))
        return no_memory(doc, err);
    s->trains[s->n_trains++] = *t;
    memset(t, 0, sizeof *t);
    return TUMEN_OK;
}

int tm_scenario_add_line(tm_scenario *s, tm_line *l, const tm_ydoc *doc,
                         const tm_ynode *node, const char *path, tumen_error *err)
{
    if (tm_scenario_find_line(s, l->id) != (size_t)-1)
        return duplicate(doc, node, path, "line", l->id, err);
    if (grow((void **)&s->lines, s->n_lines, sizeof *s->lines))
        return no_memory(doc, err);
    s->lines[s->n_lines++] = *l;
    memset(l, 0, sizeof *l);
    return TUMEN_OK;
}

/* ---- Lines' points ---------------------------------------------------------------- */

typedef struct sort_key {
    double key;
    size_t index;
} sort_key;

static int cmp_sort_key(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

int tm_stable_sort_by_double(void *base, size_t n, size_t item_size, size_t key_offset)
{
    if (n < 2)
        return 0;
    sort_key *keys = malloc(n * sizeof *keys);
    unsigned char *copy = malloc(n * item_size);
    if (!keys || !copy) {
        free(keys);
        free(copy);
        return -1;
    }
    memcpy(copy, base, n * item_size);
    for (size_t i = 0; i < n; i++) {
        memcpy(&keys[i].key, copy + i * item_size + key_offset, sizeof keys[i].key);
        keys[i].index = i;
    }
    qsort(keys, n, sizeof *keys, cmp_sort_key);
    for (size_t i = 0; i < n; i++)
        memcpy((unsigned char *)base + i * item_size, copy + keys[i].index * item_size,
               item_size);
    free(keys);
    free(copy);
    return 0;
}

static int add_point(tm_line *line, size_t at, const char *suffix, double position)
{
    char *name = NULL;
    if (tm_name_format(&name, "%s %s", line->id, suffix))
        return -1;
    tm_point *p = realloc(line->points, (line->n_points + 1) * sizeof *p);
    if (!p) {
        free(name);
        return -1;
    }
    line->points = p;
    memmove(p + at + 1, p + at, (line->n_points - at) * sizeof *p);
    memset(&p[at], 0, sizeof p[at]);
    p[at].name = name;
    p[at].position = position;
    p[at].stop = 1;
    line->n_points++;
    return 0;
}

int tm_line_finish_points(tm_line *line, const tm_ydoc *doc, const tm_ynode *const *point_nodes,
                          const char *points_path, tumen_error *err)
{
    const double start = line->sections[0].start;
    const double end = line->sections[line->n_sections - 1].end;
    for (size_t i = 0; i < line->n_points; i++) {
        double x = line->points[i].position;
        if (x < start || x > end) {
            char item[128];
            tm_ypath_index(item, sizeof item, points_path, i);
            return tm_yerror(doc, point_nodes ? point_nodes[i] : NULL, item, err,
                             "point '%s' at %g m lies outside the line (%g m to %g m)",
                             tm_name_or(line->points[i].name, ""), x, start, end);
        }
    }
    if (tm_stable_sort_by_double(line->points, line->n_points, sizeof *line->points,
                                 offsetof(tm_point, position)))
        return no_memory(doc, err);
    if (line->n_points && line->points[0].position == start)
        line->points[0].stop = 1;
    else if (add_point(line, 0, "start", start))
        return no_memory(doc, err);
    if (line->points[line->n_points - 1].position == end)
        line->points[line->n_points - 1].stop = 1;
    else if (add_point(line, line->n_points, "end", end))
        return no_memory(doc, err);
    return TUMEN_OK;
}
