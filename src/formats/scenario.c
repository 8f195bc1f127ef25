/* scenario.c: loading a scenario from files or text.
 *
 * Each file is parsed into a tm_ydoc (yaml_doc.c); a top-level `schema:` key selects the
 * railtoolkit reader (railtoolkit.c), its absence the tumen reader (scenario_yaml.c). All
 * files feed one scenario; once the last is read every train is derived from its consist
 * (tm_train_derive), with errors naming the file the train came from. The readers hand
 * what they build to the scenario through scenario_build.c, so they never call back here.
 */
#include <errno.h>
#include "core/c_locale.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/file.h"
#include "core/vec.h"
#include "formats/readers.h"
#include "model/model.h"

#define TM_MAX_FILE_SIZE (64L * 1024 * 1024) /* bytes; a scenario file is far smaller */

static int no_memory(const tm_ydoc *doc, tumen_error *err)
{
    return tm_error_set(err, TUMEN_ENOMEM, doc ? tm_ydoc_file(doc) : NULL, 0, NULL,
                        "out of memory");
}

/* ---- Loading ---------------------------------------------------------------------- */

/* Where each train was read: its file and the line of its entry, for derivation errors. */
typedef struct train_origin {
    const char *file;
    int line;
} train_origin;

typedef struct loader {
    tm_load in;     /* the scenario being read, its open references, the request */
    TM_VEC(train_origin) origins;
} loader;

/* Records file and line of the trains the last document added (they are the first items of
 * its top-level `trains` list, in order). */
static int note_origins(loader *ld, const char *name, const tm_ydoc *doc, tumen_error *err)
{
    const tm_ynode *trains = tm_ymap_get(tm_ydoc_root(doc), "trains");
    for (size_t i = 0; ld->origins.n < ld->in.model->n_trains; i++) {
        const tm_ynode *item = tm_yseq_item(trains, i);
        train_origin o = {name, item ? item->line : 0}; /* name outlives doc */
        if (tm_vec_push(&ld->origins, o))
            return no_memory(doc, err);
    }
    return TUMEN_OK;
}

/* Parses one text and hands it to the reader its `schema:` key selects. name must outlive
 * the loader (it is kept for derivation errors). */
static int read_text(loader *ld, const char *name, const char *text, size_t length,
                     tumen_error *err)
{
    if (tm_ttobench_detect(text, length)) {
        size_t before = ld->in.model->n_trains;
        int rc = tm_ttobench_read(ld->in.model, name, text, length, err);
        for (size_t i = before; rc == TUMEN_OK && i < ld->in.model->n_trains; i++) {
            train_origin o = {name, 1};
            if (tm_vec_push(&ld->origins, o))
                rc = no_memory(NULL, err);
        }
        return rc;
    }
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
        rc = tm_railtoolkit_read(ld->in.model, doc, err);
    else if (tm_ymap_get(root, "schema_version"))
        rc = tm_yerror(doc, tm_ymap_get(root, "schema_version"), "schema", err,
                       "schema_version without schema: a railtoolkit file names its schema "
                       "(https://railtoolkit.org/schema/rolling-stock.json or running-path.json)");
    else
        rc = tm_native_read(&ld->in, doc, err);
    if (rc == TUMEN_OK)
        rc = note_origins(ld, name, doc, err);
    tm_ydoc_free(doc);
    return rc;
}

/* Reads a whole file into a new buffer (the caller frees *text). */
static int read_file(const char *path, char **text, size_t *length, tumen_error *err)
{
    return tm_read_whole_file(path, (size_t)TM_MAX_FILE_SIZE, text, length, err);
}

/* Derives every train once all files are read; an error gets the train's file and line. */
static int derive_trains(loader *ld, tumen_error *err)
{
    tm_scenario *s = ld->in.model;
    for (size_t i = 0; i < s->n_trains; i++) {
        const train_origin *o = &ld->origins.items[i];
        int rc = tm_train_derive(&s->trains[i], s->vehicles, s->n_vehicles, o->file, err);
        if (rc != TUMEN_OK) {
            if (err && err->line == 0)
                err->line = o->line;
            return rc;
        }
    }
    return TUMEN_OK;
}

/* Frees the loader; hands the scenario to *out (and the request to *special, when asked)
 * on success, destroys them otherwise. */
static int finish(loader *ld, int rc, tm_scenario **out, struct tm_special_spec **special)
{
    free(ld->origins.items);
    tm_timetable_refs_free(ld->in.timetable_refs); /* parse-time state is the loader's */
    if (rc != TUMEN_OK || !special)
        free(ld->in.special);
    if (rc != TUMEN_OK) {
        tm_scenario_free(ld->in.model);
        return rc;
    }
    *out = ld->in.model;
    if (special)
        *special = ld->in.special;
    return TUMEN_OK;
}

static int start(loader *ld, tm_scenario **out, struct tm_special_spec **special,
                 const char *name, tumen_error *err)
{
    tm_error_clear(err);
    memset(ld, 0, sizeof *ld);
    if (special)
        *special = NULL;
    if (!out)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "out must not be NULL");
    *out = NULL;
    ld->in.model = calloc(1, sizeof *ld->in.model);
    if (!ld->in.model)
        return tm_error_set(err, TUMEN_ENOMEM, name, 0, NULL, "out of memory");
    return TUMEN_OK;
}

static int load_files(tm_scenario **out, struct tm_special_spec **special,
                      const char *const *paths, size_t n_paths, tumen_error *err)
{
    loader ld;
    if (out && (n_paths == 0 || !paths)) {
        tm_error_clear(err);
        *out = NULL;
        if (special)
            *special = NULL;
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "no scenario file given");
    }
    int rc = start(&ld, out, special, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    for (size_t k = 0; rc == TUMEN_OK && k < n_paths; k++) {
        char *text = NULL;
        size_t length = 0;
        if (!paths[k])
            rc = tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "file name %zu is NULL", k);
        if (rc == TUMEN_OK)
            rc = read_file(paths[k], &text, &length, err);
        if (rc == TUMEN_OK)
            rc = read_text(&ld, paths[k], text, length, err);
        free(text);
    }
    if (rc == TUMEN_OK) /* a timetable may name trains and points of any file */
        rc = tm_timetable_resolve(&ld.in, err);
    if (rc == TUMEN_OK)
        rc = derive_trains(&ld, err);
    return finish(&ld, rc, out, special);
}

static int load_text(tm_scenario **out, struct tm_special_spec **special, const char *name,
                     const char *text, size_t length, tumen_error *err)
{
    loader ld;
    if (!name)
        name = "<text>";
    int rc = start(&ld, out, special, name, err);
    if (rc != TUMEN_OK)
        return rc;
    if (!text && length)
        rc = tm_error_set(err, TUMEN_EUSAGE, name, 0, NULL, "text is NULL");
    if (rc == TUMEN_OK)
        rc = read_text(&ld, name, text, length, err);
    if (rc == TUMEN_OK) /* a timetable may name trains and points of any file */
        rc = tm_timetable_resolve(&ld.in, err);
    if (rc == TUMEN_OK)
        rc = derive_trains(&ld, err);
    return finish(&ld, rc, out, special);
}

/* The loaders read numbers in the C numeric locale, whatever the process's (core/c_locale.h). */
int tm_scenario_load_with(tm_scenario **out, struct tm_special_spec **special,
                          const char *const *paths, size_t n_paths, tumen_error *err)
{
    locale_t old = tm_c_numeric_enter();
    int rc = load_files(out, special, paths, n_paths, err);
    tm_c_numeric_leave(old);
    return rc;
}

int tm_scenario_load_text_with(tm_scenario **out, struct tm_special_spec **special,
                               const char *name, const char *text, size_t length,
                               tumen_error *err)
{
    locale_t old = tm_c_numeric_enter();
    int rc = load_text(out, special, name, text, length, err);
    tm_c_numeric_leave(old);
    return rc;
}

int tm_scenario_load(tm_scenario **out, const char *const *paths, size_t n_paths,
                     tumen_error *err)
{
    return tm_scenario_load_with(out, NULL, paths, n_paths, err);
}

int tm_scenario_load_text(tm_scenario **out, const char *name, const char *text,
                          size_t length, tumen_error *err)
{
    return tm_scenario_load_text_with(out, NULL, name, text, length, err);
}

int tm_scenario_load_texts_with(tm_scenario **out, struct tm_special_spec **special,
                                const char *const *names, const char *const *texts,
                                const size_t *lengths, size_t n, tumen_error *err)
{
    loader ld;
    int rc = start(&ld, out, special, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    if (n == 0 || !names || !texts || !lengths)
        rc = tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "no scenario text given");
    for (size_t k = 0; rc == TUMEN_OK && k < n; k++) {
        if (!names[k] || !texts[k])
            rc = tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "text %zu or its name is NULL",
                              k);
        else
            rc = read_text(&ld, names[k], texts[k], lengths[k], err);
    }
    if (rc == TUMEN_OK) /* a timetable may name trains and points of any file */
        rc = tm_timetable_resolve(&ld.in, err);
    if (rc == TUMEN_OK)
        rc = derive_trains(&ld, err);
    return finish(&ld, rc, out, special);
}
