/* scenario.c: loading a scenario from files or text, and the scenario's bookkeeping.
 *
 * Each file is parsed into a tm_ydoc (yaml_doc.c); a top-level `schema:` key selects the
 * railtoolkit reader (railtoolkit.c), its absence the tumen reader (scenario_yaml.c). All
 * files feed one scenario; once the last is read every train is derived from its consist
 * (tm_train_derive), with errors naming the file the train came from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/io.h"
#include "model/model.h"

#define TM_MAX_FILE_SIZE (64L * 1024 * 1024) /* bytes; a scenario file is far smaller */

/* ---- Growing the scenario's arrays ------------------------------------------------ */

/* The arrays carry no capacity: it is the smallest power of two >= n, so they grow when n
 * is 0 or a power of two. */
static int grow(void **items, size_t n, size_t item_size)
{
    if (n != 0 && (n & (n - 1)) != 0)
        return 0;
    size_t cap = n ? 2 * n : 4;
    if (cap > ((size_t)-1) / item_size)
        return -1;
    void *p = realloc(*items, cap * item_size);
    if (!p)
        return -1;
    *items = p;
    return 0;
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

int tm_scenario_add_vehicle(tumen_scenario *s, tm_vehicle *v, const tm_ydoc *doc,
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

int tm_scenario_add_train(tumen_scenario *s, tm_train *t, const tm_ydoc *doc,
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

int tm_scenario_add_line(tumen_scenario *s, tm_line *l, const tm_ydoc *doc,
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

size_t tm_scenario_find_vehicle(const tumen_scenario *s, const char *id)
{
    for (size_t i = 0; i < s->n_vehicles; i++)
        if (strcmp(s->vehicles[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

size_t tm_scenario_find_train(const tumen_scenario *s, const char *id)
{
    for (size_t i = 0; i < s->n_trains; i++)
        if (strcmp(s->trains[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

size_t tm_scenario_find_line(const tumen_scenario *s, const char *id)
{
    for (size_t i = 0; i < s->n_lines; i++)
        if (strcmp(s->lines[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

/* ---- Lines' points ---------------------------------------------------------------- */

static int add_point(tm_line *line, size_t at, const char *suffix, double position)
{
    tm_point *p = realloc(line->points, (line->n_points + 1) * sizeof *p);
    if (!p)
        return -1;
    line->points = p;
    memmove(p + at + 1, p + at, (line->n_points - at) * sizeof *p);
    memset(&p[at], 0, sizeof p[at]);
    snprintf(p[at].name, sizeof p[at].name, "%s %s", line->id, suffix);
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
                             line->points[i].name, x, start, end);
        }
    }
    /* Insertion sort: stable, and lines have few points. */
    for (size_t i = 1; i < line->n_points; i++) {
        tm_point p = line->points[i];
        size_t j = i;
        for (; j > 0 && line->points[j - 1].position > p.position; j--)
            line->points[j] = line->points[j - 1];
        line->points[j] = p;
    }
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

/* ---- Freeing ---------------------------------------------------------------------- */

void tm_vehicle_free(tm_vehicle *v)
{
    if (!v)
        return;
    free(v->resistance.table);
    free(v->effort);
    v->resistance.table = NULL;
    v->effort = NULL;
    v->resistance.n_table = v->n_effort = 0;
}

void tm_train_free(tm_train *t)
{
    if (!t)
        return;
    tm_train_release_derived(t);
    free(t->consist);
    t->consist = NULL;
    t->n_consist = 0;
}

void tm_line_free(tm_line *l)
{
    if (!l)
        return;
    free(l->sections);
    free(l->points);
    l->sections = NULL;
    l->points = NULL;
    l->n_sections = l->n_points = 0;
}

void tumen_scenario_destroy(tumen_scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_vehicles; i++)
        tm_vehicle_free(&s->vehicles[i]);
    for (size_t i = 0; i < s->n_trains; i++)
        tm_train_free(&s->trains[i]);
    for (size_t i = 0; i < s->n_lines; i++)
        tm_line_free(&s->lines[i]);
    free(s->vehicles);
    free(s->trains);
    free(s->lines);
    free(s->journey.legs);
    free(s);
}

/* ---- Loading ---------------------------------------------------------------------- */

/* Parses one text and hands it to the reader its `schema:` key selects. */
static int read_text(tumen_scenario *s, const char *name, const char *text, size_t length,
                     tumen_error *err)
{
    tm_ydoc *doc;
    int rc = tm_ydoc_load(&doc, name, text, length, err);
    if (rc != TUMEN_OK)
        return rc;
    const tm_ynode *root = tm_ydoc_root(doc);
    if (root->kind != TM_YMAP)
        rc = tm_yerror_code(doc, TUMEN_EPARSE, root, NULL, err,
                            "not a scenario: the top level must be a mapping of keys "
                            "(vehicles, trains, lines, journey, or a railtoolkit schema)");
    else if (tm_ymap_get(root, "schema"))
        rc = tm_railtoolkit_read(s, doc, err);
    else if (tm_ymap_get(root, "schema_version"))
        rc = tm_yerror(doc, tm_ymap_get(root, "schema_version"), "schema", err,
                       "schema_version without schema: a railtoolkit file names its schema "
                       "(https://railtoolkit.org/schema/rolling-stock.json or running-path.json)");
    else
        rc = tm_native_read(s, doc, err);
    tm_ydoc_free(doc);
    return rc;
}

/* Reads a whole file into a new buffer (the caller frees *text). */
static int read_file(const char *path, char **text, size_t *length, tumen_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return tm_error_set(err, TUMEN_EIO, path, 0, NULL, "cannot open the file: %s",
                            strerror(errno));
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = TUMEN_OK;
    for (;;) {
        if (n == cap) {
            if (cap >= (size_t)TM_MAX_FILE_SIZE) {
                rc = tm_error_set(err, TUMEN_EINPUT, path, 0, NULL,
                                  "the file is larger than %ld MB", TM_MAX_FILE_SIZE >> 20);
                break;
            }
            cap = cap ? 2 * cap : 65536;
            char *p = realloc(buf, cap);
            if (!p) {
                rc = tm_error_set(err, TUMEN_ENOMEM, path, 0, NULL, "out of memory");
                break;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = tm_error_set(err, TUMEN_EIO, path, 0, NULL, "cannot read the file: %s",
                                  strerror(errno));
            break;
        }
    }
    fclose(f);
    if (rc != TUMEN_OK) {
        free(buf);
        return rc;
    }
    *text = buf;
    *length = n;
    return TUMEN_OK;
}

/* Derives every train; first_train[k] is the first train index of file k (names[k]). */
static int derive_trains(tumen_scenario *s, const size_t *first_train, const char *const *names,
                         size_t n_files, tumen_error *err)
{
    size_t file = 0;
    for (size_t i = 0; i < s->n_trains; i++) {
        while (file + 1 < n_files && i >= first_train[file + 1])
            file++;
        int rc = tm_train_derive(&s->trains[i], s->vehicles, s->n_vehicles, names[file], err);
        if (rc != TUMEN_OK)
            return rc;
    }
    return TUMEN_OK;
}

static int check_args(tumen_scenario **out, tumen_error *err)
{
    tm_error_clear(err);
    if (!out)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "out must not be NULL");
    *out = NULL;
    return TUMEN_OK;
}

int tumen_scenario_load(tumen_scenario **out, const char *const *paths, size_t n_paths,
                        tumen_error *err)
{
    int rc = check_args(out, err);
    if (rc != TUMEN_OK)
        return rc;
    if (n_paths == 0 || !paths)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "no scenario file given");
    tumen_scenario *s = calloc(1, sizeof *s);
    size_t *first_train = calloc(n_paths, sizeof *first_train);
    if (!s || !first_train)
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t k = 0; rc == TUMEN_OK && k < n_paths; k++) {
        char *text = NULL;
        size_t length = 0;
        if (!paths[k]) {
            rc = tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "file name %zu is NULL", k);
            break;
        }
        first_train[k] = s->n_trains;
        rc = read_file(paths[k], &text, &length, err);
        if (rc == TUMEN_OK)
            rc = read_text(s, paths[k], text, length, err);
        free(text);
    }
    if (rc == TUMEN_OK)
        rc = derive_trains(s, first_train, paths, n_paths, err);
    free(first_train);
    if (rc != TUMEN_OK) {
        tumen_scenario_destroy(s);
        return rc;
    }
    *out = s;
    return TUMEN_OK;
}

int tumen_scenario_load_text(tumen_scenario **out, const char *name, const char *text,
                             size_t length, tumen_error *err)
{
    int rc = check_args(out, err);
    if (rc != TUMEN_OK)
        return rc;
    if (!text && length)
        return tm_error_set(err, TUMEN_EUSAGE, name, 0, NULL, "text is NULL");
    if (!name)
        name = "<text>";
    tumen_scenario *s = calloc(1, sizeof *s);
    if (!s)
        return tm_error_set(err, TUMEN_ENOMEM, name, 0, NULL, "out of memory");
    size_t first_train = 0;
    rc = read_text(s, name, text, length, err);
    if (rc == TUMEN_OK)
        rc = derive_trains(s, &first_train, &name, 1, err);
    if (rc != TUMEN_OK) {
        tumen_scenario_destroy(s);
        return rc;
    }
    *out = s;
    return TUMEN_OK;
}
