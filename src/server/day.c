/* day.c: a scenario as it is now (day.h): its uploaded files and the services of every
 * active booking, loaded through tumen.h; loaded scenarios are kept for the next request. */
#include "day.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "store.h"

/* The error of a failed library call as a reply: bad input 400 with file:line: field:
 * message, an impossible run 422, else 500. */
void reply_tumen(reply *r, const tumen_error *err)
{
    char buf[1200];
    tumen_error_format(err, buf, sizeof buf);
    int status = err->code == TUMEN_EINPUT || err->code == TUMEN_EPARSE ||
                         err->code == TUMEN_EUSAGE || err->code == TUMEN_EIO
                     ? 400
                 : err->code == TUMEN_EPHYSICS ? 422
                                               : 500;
    reply_error(r, status, "%s", buf);
}

/* Loaded scenarios (without an extra text) are kept for the next request on the same
 * scenario and the same active bookings: reading the files is most of a run request's
 * time. A handle is only read, by any number of threads at once. */
#define CACHE_SLOTS 8
typedef struct cached {
    long long id;
    char *key;               /* the active bookings' ids */
    tumen_scenario *sc;
    int refs;
    unsigned long long used;
} cached;
static cached g_cache[CACHE_SLOTS];
static unsigned long long g_clock;
static pthread_mutex_t g_cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* The key of the scenario as it is now: its active bookings' ids. */
static char *bookings_key(const store_file *booked, size_t nb)
{
    size_t n = 1;
    for (size_t i = 0; i < nb; i++)
        n += strlen(booked[i].name) + 1;
    char *key = malloc(n);
    if (!key)
        return NULL;
    key[0] = '\0';
    for (size_t i = 0; i < nb; i++) {
        strcat(key, booked[i].name);
        strcat(key, ",");
    }
    return key;
}

static tumen_scenario *cache_get(long long id, const char *key)
{
    tumen_scenario *sc = NULL;
    pthread_mutex_lock(&g_cache_lock);
    for (int i = 0; i < CACHE_SLOTS && !sc; i++)
        if (g_cache[i].sc && g_cache[i].id == id && !strcmp(g_cache[i].key, key)) {
            g_cache[i].refs++;
            g_cache[i].used = ++g_clock;
            sc = g_cache[i].sc;
        }
    pthread_mutex_unlock(&g_cache_lock);
    return sc;
}

/* Keeps sc (referenced once by the caller) in the least recently used free slot; when
 * every slot is in use it stays the caller's alone. */
static void cache_put(long long id, char *key, tumen_scenario *sc)
{
    pthread_mutex_lock(&g_cache_lock);
    cached *slot = NULL;
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (!g_cache[i].refs && (!slot || g_cache[i].used < slot->used))
            slot = &g_cache[i];
    if (slot) {
        tumen_scenario_destroy(slot->sc);
        free(slot->key);
        *slot = (cached){id, key, sc, 1, ++g_clock};
        key = NULL;
    }
    pthread_mutex_unlock(&g_cache_lock);
    free(key);
}

void scenarios_shutdown(void)
{
    pthread_mutex_lock(&g_cache_lock);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        tumen_scenario_destroy(g_cache[i].sc);
        free(g_cache[i].key);
        memset(&g_cache[i], 0, sizeof g_cache[i]);
    }
    pthread_mutex_unlock(&g_cache_lock);
}

void scenario_release(tumen_scenario *sc)
{
    if (!sc)
        return;
    pthread_mutex_lock(&g_cache_lock);
    int kept = 0;
    for (int i = 0; i < CACHE_SLOTS && !kept; i++)
        if (g_cache[i].sc == sc) {
            g_cache[i].refs--;
            kept = 1;
        }
    pthread_mutex_unlock(&g_cache_lock);
    if (!kept)
        tumen_scenario_destroy(sc);
}

int scenario_now(long long id, long long skip, const char *extra_name, const char *extra,
                 tumen_scenario **sc, char **basis, reply *r)
{
    store *st = server_store();
    store_file *files = NULL, *booked = NULL;
    size_t nf = 0, nb = 0;
    *sc = NULL;
    if (basis)
        *basis = NULL;
    int rc = st ? store_scenario_files(st, id, &files, &nf) : STORE_ERROR;
    if (rc == STORE_OK)
        rc = store_bookings_active(st, id, &booked, &nb);
    if (rc == STORE_OK && skip > 0) /* the day without one booking (its cancellation) */
        for (size_t i = 0; i < nb; i++)
            if (strtoll(booked[i].name, NULL, 10) == skip) {
                free(booked[i].name);
                free(booked[i].body);
                memmove(&booked[i], &booked[i + 1], (nb - i - 1) * sizeof *booked);
                nb--;
                break;
            }
    if (rc != STORE_OK) {
        store_files_free(files, nf);
        if (rc == STORE_NOTFOUND)
            reply_error(r, 404, "no scenario %lld", id);
        else
            reply_error(r, 500, "the store cannot be read");
        return -1;
    }
    if (basis && !(*basis = bookings_key(booked, nb))) {
        store_files_free(files, nf);
        store_files_free(booked, nb);
        reply_error(r, 500, "out of memory");
        return -1;
    }
    char *key = extra ? NULL : bookings_key(booked, nb);
    if (key && (*sc = cache_get(id, key)) != NULL) {
        free(key);
        store_files_free(files, nf);
        store_files_free(booked, nb);
        return 0;
    }
    size_t n = nf + nb + (extra ? 1 : 0);
    const char **names = calloc(n, sizeof *names), **texts = calloc(n, sizeof *texts);
    size_t *lengths = calloc(n, sizeof *lengths);
    char (*bname)[48] = calloc(nb + 1, sizeof *bname);
    int ok = names && texts && lengths && bname;
    for (size_t i = 0; ok && i < nf; i++) {
        names[i] = files[i].name;
        texts[i] = files[i].body;
        lengths[i] = files[i].size;
    }
    for (size_t i = 0; ok && i < nb; i++) {
        snprintf(bname[i], sizeof bname[i], "booking-%s.yaml", booked[i].name);
        names[nf + i] = bname[i];
        texts[nf + i] = booked[i].body;
        lengths[nf + i] = booked[i].size;
    }
    if (ok && extra) {
        names[n - 1] = extra_name;
        texts[n - 1] = extra;
        lengths[n - 1] = strlen(extra);
    }
    tumen_error err;
    memset(&err, 0, sizeof err);
    int result = -1;
    if (!ok)
        reply_error(r, 500, "out of memory");
    else if (tumen_scenario_load_texts(sc, names, texts, lengths, n, &err) != TUMEN_OK)
        reply_tumen(r, &err);
    else
        result = 0;
    if (result != 0 && basis) {
        free(*basis);
        *basis = NULL;
    }
    if (result == 0 && key) {
        cache_put(id, key, *sc);
        key = NULL;
    }
    free(key);
    free(names);
    free(texts);
    free(lengths);
    free(bname);
    store_files_free(files, nf);
    store_files_free(booked, nb);
    return result;
}

/* The timetable's conflicts (*c, with the blocking times *b they borrow). */
int conflicts_find(const tumen_scenario *sc, const job_ctx *ctx, tumen_blocking **b,
                          tumen_conflicts **c, tumen_error *err)
{
    tumen_blocking_options bo;
    tumen_blocking_options_init(&bo);
    job_options(&bo.common, ctx);
    *b = NULL;
    *c = NULL;
    int rc = tumen_blocking_compute(sc, &bo, b, err);
    if (rc == TUMEN_OK)
        rc = tumen_conflicts_find(*b, c, err);
    return rc;
}
