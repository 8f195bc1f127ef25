/* store.c: the store (store.h), written once over a database driver (sql_driver.h):
 * PostgreSQL when the --db value is a libpq connection string or URI (postgresql://...,
 * host=...), else an SQLite file.
 *
 * Every statement is SQL that both databases take, with $1, $2, ... placeholders; every
 * value is a parameter, never SQL text. New rows give their id back with RETURNING. Times
 * are taken here, ISO 8601 UTC to the millisecond, and the JSON answers are built here from
 * plain rows, so both databases answer alike to the byte. */
#include "store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#define JSON_OUT (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))
#define MAX_PARAMS 8

/* A libpq connection string rather than a file name. */
static int is_postgres(const char *db)
{
    return !strncmp(db, "postgresql://", 13) || !strncmp(db, "postgres://", 11) ||
           strstr(db, "host=") || strstr(db, "dbname=");
}

int store_open(store **out, const char *path, char *msg, size_t size)
{
    return is_postgres(path) ? store_pg_open(out, path, msg, size)
                             : store_sqlite_open(out, path, msg, size);
}

void store_close(store *st)
{
    if (st)
        st->driver->close(st);
}

void store_files_free(store_file *files, size_t n)
{
    for (size_t i = 0; files && i < n; i++) {
        free(files[i].name);
        free(files[i].body);
    }
    free(files);
}

/* ---- Statements ---------------------------------------------------------------------------- */

/* Runs sql with its parameters: fmt has one letter per parameter, t (text, NULL for SQL
 * NULL), i (long long), b (bytes: pointer then size_t). NULL when the database refuses. */
static sql_stmt *run(store *st, const char *sql, const char *fmt, ...)
{
    sql_param p[MAX_PARAMS];
    int n = 0;
    va_list ap;
    va_start(ap, fmt);
    for (; fmt[n] && n < MAX_PARAMS; n++) {
        memset(&p[n], 0, sizeof p[n]);
        p[n].kind = fmt[n];
        if (fmt[n] == 't') {
            p[n].text = va_arg(ap, const char *);
        } else if (fmt[n] == 'i') {
            p[n].integer = va_arg(ap, long long);
        } else {
            p[n].bytes = va_arg(ap, const void *);
            p[n].size = va_arg(ap, size_t);
        }
    }
    va_end(ap);
    return st->driver->run(st, sql, p, n);
}

/* Steps s to its end and gives it back: STORE_OK, STORE_EXISTS or STORE_ERROR. */
static int finish(store *st, sql_stmt *s, int rc)
{
    while (rc == STORE_ROW)
        rc = st->driver->step(s);
    st->driver->finish(s);
    return rc;
}

/* A statement without rows. */
static int exec_done(store *st, sql_stmt *s)
{
    return s ? finish(st, s, st->driver->step(s)) : STORE_ERROR;
}

/* The first row of s: STORE_ROW, STORE_NOTFOUND when there is none, or an error (s is then
 * given back). */
static int first_row(store *st, sql_stmt *s)
{
    if (!s)
        return STORE_ERROR;
    int rc = st->driver->step(s);
    if (rc == STORE_ROW)
        return rc;
    st->driver->finish(s);
    return rc == STORE_OK ? STORE_NOTFOUND : rc;
}

/* Column i as a new NUL-terminated string (NULL: "") with its length; NULL when out of
 * memory. */
static char *column_dup(store *st, sql_stmt *s, int i, size_t *size)
{
    size_t n = 0;
    const char *v = st->driver->column(s, i, &n);
    char *d = malloc(n + 1);
    if (d) {
        if (n)
            memcpy(d, v, n);
        d[n] = '\0';
    }
    if (size)
        *size = n;
    return d;
}

static long long column_int(store *st, sql_stmt *s, int i)
{
    const char *v = st->driver->column(s, i, &(size_t){0});
    return v ? strtoll(v, NULL, 10) : 0;
}

/* Column i into buf (size bytes) as a C string, cut to fit. */
static void column_copy(store *st, sql_stmt *s, int i, char *buf, size_t size)
{
    size_t n = 0;
    const char *v = st->driver->column(s, i, &n);
    snprintf(buf, size, "%.*s", (int)n, v ? v : "");
}

/* A one-row, one-column query as a new string (STORE_NOTFOUND: no row). */
static int query_text(store *st, sql_stmt *s, char **out)
{
    *out = NULL;
    int rc = first_row(st, s);
    if (rc != STORE_ROW)
        return rc;
    *out = column_dup(st, s, 0, NULL);
    rc = finish(st, s, st->driver->step(s));
    if (rc != STORE_OK || !*out) {
        free(*out);
        *out = NULL;
        return STORE_ERROR;
    }
    return STORE_OK;
}

/* A one-row, one-column query as an integer (STORE_NOTFOUND: no row); RETURNING id. */
static int query_int(store *st, sql_stmt *s, long long *out)
{
    int rc = first_row(st, s);
    if (rc != STORE_ROW)
        return rc;
    *out = column_int(st, s, 0);
    return finish(st, s, st->driver->step(s));
}

/* (name, body) rows into a new array. */
static int collect(store *st, sql_stmt *s, store_file **files, size_t *n)
{
    *files = NULL;
    *n = 0;
    if (!s)
        return STORE_ERROR;
    size_t cap = 0;
    int rc;
    while ((rc = st->driver->step(s)) == STORE_ROW) {
        if (*n == cap) {
            store_file *g = realloc(*files, (cap = cap ? 2 * cap : 8) * sizeof *g);
            if (!g) {
                rc = STORE_ERROR;
                break;
            }
            *files = g;
        }
        store_file *f = &(*files)[(*n)++];
        f->name = column_dup(st, s, 0, NULL);
        f->body = column_dup(st, s, 1, &f->size);
        if (!f->name || !f->body) {
            rc = STORE_ERROR;
            break;
        }
    }
    rc = finish(st, s, rc);
    if (rc != STORE_OK) {
        store_files_free(*files, *n);
        *files = NULL;
        *n = 0;
    }
    return rc;
}

/* Now, as every time in the store is written: 2026-12-06T21:44:05.123Z. */
static void now_text(char buf[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* ---- JSON answers from rows ---------------------------------------------------------------- */

static json_t *json_text(store *st, sql_stmt *s, int i)
{
    size_t n = 0;
    const char *v = st->driver->column(s, i, &n);
    return v ? json_stringn(v, n) : json_null();
}

static json_t *json_int(store *st, sql_stmt *s, int i)
{
    return st->driver->column(s, i, &(size_t){0}) ? json_integer(column_int(st, s, i))
                                                    : json_null();
}

/* A column holding JSON text, as JSON (SQL NULL: null). */
static json_t *json_doc(store *st, sql_stmt *s, int i)
{
    size_t n = 0;
    const char *v = st->driver->column(s, i, &n);
    json_t *d = v ? json_loadb(v, n, 0, NULL) : NULL;
    return d ? d : json_null();
}

/* Dumps doc (taken) into *json: STORE_OK, or STORE_ERROR when out of memory. */
static int dump(json_t *doc, char **json)
{
    *json = doc ? json_dumps(doc, JSON_OUT) : NULL;
    json_decref(doc);
    return *json ? STORE_OK : STORE_ERROR;
}

/* ---- Tokens -------------------------------------------------------------------------------- */

int store_token_add(store *st, const char *name, const char *role, const char *hash)
{
    char now[32];
    now_text(now);
    return exec_done(st, run(st, "INSERT INTO tokens(name, role, hash, created)"
                                 " VALUES ($1, $2, $3, $4)",
                             "tttt", name, role, hash, now));
}

int store_token_find(store *st, const char *hash, char *name, size_t name_size, char *role,
                     size_t role_size)
{
    sql_stmt *s = run(st, "SELECT name, role FROM tokens WHERE hash = $1", "t", hash);
    int rc = first_row(st, s);
    if (rc != STORE_ROW)
        return rc;
    column_copy(st, s, 0, name, name_size);
    column_copy(st, s, 1, role, role_size);
    return finish(st, s, st->driver->step(s));
}

/* ---- Transactions and the audit trail -------------------------------------------------------- */

int store_begin(store *st)
{
    return st->driver->begin(st);
}

int store_commit(store *st)
{
    return st->driver->commit(st);
}

void store_rollback(store *st)
{
    st->driver->rollback(st);
}

static int audit(store *st, const char *who, const char *action, long long scenario,
                 long long booking, long long plan, const char *detail)
{
    char now[32];
    now_text(now);
    return exec_done(st, run(st,
                             "INSERT INTO audit(at, who, action, scenario, booking, plan, detail)"
                             " VALUES ($1, $2, $3, $4, nullif($5, 0), nullif($6, 0), $7)",
                             "tttiiit", now, who, action, scenario, booking, plan, detail));
}

/* ---- Scenarios ------------------------------------------------------------------------------- */

int store_scenario_add(store *st, const char *name, const char *who, const store_file *files,
                       size_t n, long long *id)
{
    if (store_begin(st) != STORE_OK)
        return STORE_ERROR;
    char now[32];
    now_text(now);
    int rc = query_int(st, run(st, "INSERT INTO scenarios(name, created_by, created)"
                                   " VALUES ($1, $2, $3) RETURNING id",
                               "ttt", name, who, now),
                       id);
    for (size_t i = 0; rc == STORE_OK && i < n; i++)
        rc = exec_done(st, run(st, "INSERT INTO files(scenario, seq, name, body)"
                                   " VALUES ($1, $2, $3, $4)",
                               "iitb", *id, (long long)i, files[i].name, files[i].body,
                               files[i].size));
    if (rc == STORE_OK)
        rc = audit(st, who, "upload", *id, 0, 0, NULL);
    if (rc != STORE_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st);
}

int store_scenario_files(store *st, long long id, store_file **files, size_t *n)
{
    int rc = collect(st, run(st, "SELECT name, body FROM files WHERE scenario = $1 ORDER BY seq",
                             "i", id),
                     files, n);
    return rc == STORE_OK && *n == 0 ? STORE_NOTFOUND : rc;
}

int store_scenario_json(store *st, long long id, char **json)
{
    *json = NULL;
    /* One row per file (a scenario without files: one row, file NULL). */
    static const char all[] =
        "SELECT s.id, s.name, s.created_by, s.created, f.name FROM scenarios s"
        " LEFT JOIN files f ON f.scenario = s.id ORDER BY s.id, f.seq";
    static const char one[] =
        "SELECT s.id, s.name, s.created_by, s.created, f.name FROM scenarios s"
        " LEFT JOIN files f ON f.scenario = s.id WHERE s.id = $1 ORDER BY f.seq";
    sql_stmt *s = id > 0 ? run(st, one, "i", id) : run(st, all, "");
    if (!s)
        return STORE_ERROR;
    json_t *list = json_array(), *o = NULL;
    long long at = 0;
    int rc;
    while ((rc = st->driver->step(s)) == STORE_ROW) {
        long long sid = column_int(st, s, 0);
        if (!o || sid != at) {
            at = sid;
            o = json_pack("{s:I, s:o, s:o, s:o, s:[]}", "id", (json_int_t)sid, "name",
                          json_text(st, s, 1), "created_by", json_text(st, s, 2), "created",
                          json_text(st, s, 3), "files");
            json_array_append_new(list, o);
        }
        if (st->driver->column(s, 4, &(size_t){0}))
            json_array_append_new(json_object_get(o, "files"), json_text(st, s, 4));
    }
    rc = finish(st, s, rc);
    if (rc != STORE_OK) {
        json_decref(list);
        return rc;
    }
    if (id <= 0)
        return dump(list, json);
    o = json_incref(json_array_get(list, 0));
    json_decref(list);
    return o ? dump(o, json) : STORE_NOTFOUND;
}

/* ---- Plans ----------------------------------------------------------------------------------- */

int store_plan_add(store *st, long long scenario, const char *convoy, const char *plan_json,
                   const char *services, const char *who, long long *id)
{
    char now[32];
    now_text(now);
    return query_int(st, run(st, "INSERT INTO plans(scenario, convoy, plan, services, created_by,"
                                 " created) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                             "ittttt", scenario, convoy, plan_json, services, who, now),
                     id);
}

int store_plan_get(store *st, long long id, long long *scenario, char **plan_json,
                   char **services)
{
    *plan_json = *services = NULL;
    sql_stmt *s = run(st, "SELECT scenario, plan, services FROM plans WHERE id = $1", "i", id);
    int rc = first_row(st, s);
    if (rc != STORE_ROW)
        return rc;
    *scenario = column_int(st, s, 0);
    *plan_json = column_dup(st, s, 1, NULL);
    *services = column_dup(st, s, 2, NULL);
    rc = finish(st, s, st->driver->step(s));
    if (rc == STORE_OK && *plan_json && *services)
        return STORE_OK;
    free(*plan_json);
    free(*services);
    *plan_json = *services = NULL;
    return STORE_ERROR;
}

int store_plan_convoy(store *st, long long id, char *convoy, size_t size)
{
    char *c = NULL;
    int rc = query_text(st, run(st, "SELECT convoy FROM plans WHERE id = $1", "i", id), &c);
    if (rc == STORE_OK)
        snprintf(convoy, size, "%s", c);
    free(c);
    return rc;
}

/* ---- Bookings -------------------------------------------------------------------------------- */

int store_bookings_active(store *st, long long scenario, store_file **services, size_t *n)
{
    return collect(st, run(st, "SELECT id, services FROM bookings WHERE scenario = $1 AND"
                               " cancelled IS NULL ORDER BY id",
                           "i", scenario),
                   services, n);
}

int store_booking_of_plan(store *st, long long plan, long long *booking)
{
    return query_int(st, run(st, "SELECT id FROM bookings WHERE plan = $1 AND cancelled IS NULL",
                             "i", plan),
                     booking);
}

int store_booking_of_convoy(store *st, long long scenario, const char *convoy,
                            long long *booking)
{
    return query_int(st, run(st, "SELECT b.id FROM bookings b JOIN plans p ON p.id = b.plan"
                                 " WHERE b.scenario = $1 AND p.convoy = $2 AND"
                                 " b.cancelled IS NULL",
                             "it", scenario, convoy),
                     booking);
}

int store_booking_add(store *st, long long scenario, long long plan, const char *services,
                      const char *who, const char *detail, long long *id)
{
    char now[32];
    now_text(now);
    int rc = query_int(st, run(st, "INSERT INTO bookings(scenario, plan, services, booked_by,"
                                   " booked) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                               "iittt", scenario, plan, services, who, now),
                       id);
    if (rc == STORE_OK)
        rc = audit(st, who, "book", scenario, *id, plan, detail);
    return rc;
}

int store_booking_cancel(store *st, long long scenario, long long booking, const char *who,
                         const char *detail)
{
    char now[32];
    now_text(now);
    long long id = 0;
    int rc = query_int(st, run(st, "UPDATE bookings SET cancelled_by = $1, cancelled = $2"
                                   " WHERE id = $3 AND scenario = $4 AND cancelled IS NULL"
                                   " RETURNING id",
                               "ttii", who, now, booking, scenario),
                       &id);
    if (rc == STORE_OK)
        rc = audit(st, who, "cancel", scenario, booking, 0, detail);
    return rc;
}

/* The rows of s as a JSON array, each made an object by row; into *json. */
static int rows_json(store *st, sql_stmt *s, json_t *(*row)(store *, sql_stmt *), char **json)
{
    *json = NULL;
    if (!s)
        return STORE_ERROR;
    json_t *list = json_array();
    int rc;
    while ((rc = st->driver->step(s)) == STORE_ROW)
        json_array_append_new(list, row(st, s));
    rc = finish(st, s, rc);
    if (rc != STORE_OK) {
        json_decref(list);
        return rc;
    }
    return dump(list, json);
}

static json_t *booking_row(store *st, sql_stmt *s)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", json_int(st, s, 0), "plan_id",
                     json_int(st, s, 1), "booked_by", json_text(st, s, 2), "booked",
                     json_text(st, s, 3), "cancelled_by", json_text(st, s, 4), "cancelled",
                     json_text(st, s, 5), "services", json_text(st, s, 6));
}

int store_bookings_json(store *st, long long scenario, char **json)
{
    return rows_json(st,
                     run(st, "SELECT id, plan, booked_by, booked, cancelled_by, cancelled,"
                             " services FROM bookings WHERE scenario = $1 ORDER BY id",
                         "i", scenario),
                     booking_row, json);
}

static json_t *audit_row(store *st, sql_stmt *s)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "at", json_text(st, s, 0), "who",
                     json_text(st, s, 1), "action", json_text(st, s, 2), "booking",
                     json_int(st, s, 3), "plan_id", json_int(st, s, 4), "detail",
                     json_doc(st, s, 5));
}

int store_audit_json(store *st, long long scenario, char **json)
{
    return rows_json(st,
                     run(st, "SELECT at, who, action, booking, plan, detail FROM audit"
                             " WHERE scenario = $1 ORDER BY id",
                         "i", scenario),
                     audit_row, json);
}

int store_check(store *st, char *msg, size_t size)
{
    return st->driver->check(st, msg, size);
}
