/* scenario.c: loading a scenario from files or text.
 *
 * Each file is parsed into a tm_ydoc (yaml_doc.c); a top-level `schema:` key selects the
 * railtoolkit reader (railtoolkit.c), its absence the tumen reader (scenario_yaml.c). All
 * files feed one scenario; once the last is read every train is derived from its consist
 * (tm_train_derive), with errors naming the file the train came from. The readers hand
 * what they build to the scenario through scenario_build.c, so they never call back here.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include "core/c_locale.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/file.h"
#include "core/pool.h"
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

/* A text parsed ahead of its turn: its YAML document, or the error of reading or parsing
 * it (kept until the texts before it are read, so the first error in file order is the one
 * reported, as when they are read one by one). */
typedef struct parsed {
    const char *name;
    char *text;
    size_t length;
    int ttobench; /* not YAML: read at its turn */
    tm_ydoc *doc;
    struct tm_timetable_part *services; /* its timetable's services, read while parsing */
    int rc;
    tumen_error err;
} parsed;

static void parsed_free(parsed *pt)
{
    tm_ydoc_free(pt->doc);
    pt->doc = NULL;
    tm_timetable_part_free(pt->services);
    pt->services = NULL;
}

/* Hands a parsed text to the reader its `schema:` key selects (and frees its document).
 * name must outlive the loader (it is kept for derivation errors). */
static int read_parsed(loader *ld, parsed *pt, tumen_error *err)
{
    const char *name = pt->name;
    if (pt->ttobench) {
        size_t before = ld->in.model->n_trains;
        int rc = tm_ttobench_read(ld->in.model, name, pt->text, pt->length, err);
        for (size_t i = before; rc == TUMEN_OK && i < ld->in.model->n_trains; i++) {
            train_origin o = {name, 1};
            if (tm_vec_push(&ld->origins, o))
                rc = no_memory(NULL, err);
        }
        return rc;
    }
    if (pt->rc != TUMEN_OK) {
        if (err)
            *err = pt->err;
        return pt->rc;
    }
    tm_ydoc *doc = pt->doc;
    pt->doc = NULL;
    int rc = TUMEN_OK;
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
    else {
        ld->in.streamed_services = pt->services;
        rc = tm_native_read(&ld->in, doc, err);
        ld->in.streamed_services = NULL;
    }
    if (rc == TUMEN_OK)
        rc = note_origins(ld, name, doc, err);
    tm_ydoc_free(doc);
    tm_timetable_part_free(pt->services); /* what joined the timetable has left it */
    pt->services = NULL;
    return rc;
}

/* Parses one text into pt (its document or its error); touches nothing shared, so the
 * texts of a load are parsed on several threads at once. */
static void parse_text(parsed *pt)
{
    static const char *const services[] = {"timetable", "services", NULL};
    tm_error_clear(&pt->err);
    pt->ttobench = tm_ttobench_detect(pt->text, pt->length);
    if (pt->ttobench)
        return;
    if (!(pt->services = tm_timetable_part_new())) {
        pt->rc = tm_error_set(&pt->err, TUMEN_ENOMEM, pt->name, 0, NULL, "out of memory");
        return;
    }
    tm_ystream stream = {services, tm_timetable_stream_service, pt->services};
    pt->rc = tm_ydoc_load_streamed(&pt->doc, pt->name, pt->text, pt->length, &stream, &pt->err);
}

/* Parses one text and hands it to its reader. */
static int read_text(loader *ld, const char *name, const char *text, size_t length,
                     tumen_error *err)
{
    parsed pt = {name, (char *)text, length, 0, NULL, NULL, TUMEN_OK, {0}};
    parse_text(&pt);
    int rc = read_parsed(ld, &pt, err);
    parsed_free(&pt);
    return rc;
}

/* Reads a whole file into a new buffer (the caller frees *text). */
static int read_file(const char *path, char **text, size_t *length, tumen_error *err)
{
    return tm_read_whole_file(path, (size_t)TM_MAX_FILE_SIZE, text, length, err);
}

/* The texts of a load, parsed on several threads while one of them (the reader) hands the
 * documents to their readers in file order: the reader parses the next text itself unless
 * another thread has taken it, in which case it waits for it. The other threads take the
 * texts largest first (a national timetable is most of the parsing), so the network's
 * reader runs while the timetable is parsed. Readers touch the scenario; parsing does not. */
typedef struct pipeline {
    loader *ld;
    parsed *pts;
    size_t n;
    size_t *order;   /* the texts by decreasing length, for the parsing threads */
    atomic_int *state; /* per text: 0 free, 1 being parsed, 2 parsed */
    atomic_int reader; /* 0 until a thread has become the reader */
    atomic_int stop;   /* set by the reader when a text fails: no new parse starts */
    pthread_mutex_t lock;
    pthread_cond_t parsed_one;
    int rc;
    tumen_error *err;
} pipeline;

/* Parses text k if nobody has taken it; returns whether this thread did. */
static int claim_and_parse(pipeline *pl, size_t k)
{
    int expected = 0;
    if (!atomic_compare_exchange_strong(&pl->state[k], &expected, 1))
        return 0;
    parse_text(&pl->pts[k]);
    pthread_mutex_lock(&pl->lock);
    atomic_store(&pl->state[k], 2);
    pthread_cond_broadcast(&pl->parsed_one);
    pthread_mutex_unlock(&pl->lock);
    return 1;
}

static void read_in_order(pipeline *pl)
{
    int rc = TUMEN_OK;
    for (size_t k = 0; rc == TUMEN_OK && k < pl->n; k++) {
        if (!claim_and_parse(pl, k)) {
            pthread_mutex_lock(&pl->lock);
            while (atomic_load(&pl->state[k]) != 2)
                pthread_cond_wait(&pl->parsed_one, &pl->lock);
            pthread_mutex_unlock(&pl->lock);
        }
        rc = read_parsed(pl->ld, &pl->pts[k], pl->err);
    }
    if (rc != TUMEN_OK)
        atomic_store(&pl->stop, 1);
    pl->rc = rc;
}

static void pipeline_worker(void *ctx)
{
    pipeline *pl = ctx;
    locale_t old = tm_c_numeric_enter(); /* per thread */
    int expected = 0;
    if (atomic_compare_exchange_strong(&pl->reader, &expected, 1))
        read_in_order(pl);
    else
        for (size_t i = 0; i < pl->n && !atomic_load(&pl->stop); i++)
            claim_and_parse(pl, pl->order[i]);
    tm_c_numeric_leave(old);
}

/* Parses the n texts and reads them in order into the scenario (the first error in file
 * order is the one returned, as when they are read one by one), on two threads when the
 * caller gives more than one (threads <= 1: on the caller's thread alone). */
static int parse_and_read(loader *ld, parsed *pts, size_t n, int threads, tumen_error *err)
{
    size_t *order = malloc(n * sizeof *order + 1);
    atomic_int *state = malloc(n * sizeof *state + 1);
    if (!order || !state) {
        free(order);
        free(state);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        for (; k > 0 && pts[order[k - 1]].length < pts[i].length; k--)
            order[k] = order[k - 1];
        order[k] = i;
        atomic_init(&state[i], 0);
    }
    pipeline pl = {.ld = ld, .pts = pts, .n = n, .order = order, .state = state,
                   .rc = TUMEN_OK, .err = err};
    atomic_init(&pl.reader, 0);
    atomic_init(&pl.stop, 0);
    pthread_mutex_init(&pl.lock, NULL);
    pthread_cond_init(&pl.parsed_one, NULL);
    tm_pool_workers(n > 1 && threads > 1 ? 2 : 1, pipeline_worker, &pl);
    pthread_cond_destroy(&pl.parsed_one);
    pthread_mutex_destroy(&pl.lock);
    free(order);
    free(state);
    return pl.rc;
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
                      const char *const *paths, size_t n_paths, int threads, tumen_error *err)
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
    parsed *pts = calloc(n_paths, sizeof *pts);
    if (!pts)
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t n_read = 0; /* the files read (the first failure stops reading) */
    for (; rc == TUMEN_OK && n_read < n_paths; n_read++) {
        pts[n_read].name = paths[n_read];
        if (!paths[n_read])
            rc = tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "file name %zu is NULL",
                              n_read);
        else
            rc = read_file(paths[n_read], &pts[n_read].text, &pts[n_read].length, err);
    }
    if (rc != TUMEN_OK && n_read > 0)
        n_read--; /* the failed one is not parsed */
    /* The texts read are parsed and read before the error of reading the next is reported
     * (the errors of the texts before it come first, as one by one). */
    int read_rc = rc;
    tumen_error read_err;
    if (read_rc != TUMEN_OK && err)
        read_err = *err;
    rc = n_read ? parse_and_read(&ld, pts, n_read, threads, err) : TUMEN_OK;
    if (rc == TUMEN_OK && read_rc != TUMEN_OK) {
        rc = read_rc;
        if (err)
            *err = read_err;
    }
    for (size_t k = 0; pts && k < n_paths; k++) {
        parsed_free(&pts[k]);
        free(pts[k].text);
    }
    free(pts);
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
int tm_scenario_load_threads(tm_scenario **out, struct tm_special_spec **special,
                             const char *const *paths, size_t n_paths, int threads,
                             tumen_error *err)
{
    locale_t old = tm_c_numeric_enter();
    int rc = load_files(out, special, paths, n_paths, threads, err);
    tm_c_numeric_leave(old);
    return rc;
}

int tm_scenario_load_with(tm_scenario **out, struct tm_special_spec **special,
                          const char *const *paths, size_t n_paths, tumen_error *err)
{
    return tm_scenario_load_threads(out, special, paths, n_paths, 1, err);
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
