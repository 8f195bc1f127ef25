/* store_sqlite.c: the store (store.h) on one SQLite file, WAL journal, foreign keys on.
 * Every value goes through a bound parameter, never into the SQL text. */
#include "store_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

typedef struct sq_store {
    store base;
    sqlite3 *db;
} sq_store;

static const store_ops sq_ops;

static sq_store *sq(store *st)
{
    return (sq_store *)st;
}

#define NOW "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS tokens("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('viewer','planner','admin')),"
    "  hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS scenarios("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_by TEXT NOT NULL,"
    "  created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS files("
    "  scenario INTEGER NOT NULL REFERENCES scenarios(id), seq INTEGER NOT NULL,"
    "  name TEXT NOT NULL, body BLOB NOT NULL, PRIMARY KEY (scenario, seq));"
    "CREATE TABLE IF NOT EXISTS plans("
    "  id INTEGER PRIMARY KEY, scenario INTEGER NOT NULL REFERENCES scenarios(id),"
    "  convoy TEXT NOT NULL, plan TEXT NOT NULL, services TEXT NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS bookings("
    "  id INTEGER PRIMARY KEY, scenario INTEGER NOT NULL REFERENCES scenarios(id),"
    "  plan INTEGER NOT NULL REFERENCES plans(id), services TEXT NOT NULL,"
    "  booked_by TEXT NOT NULL, booked TEXT NOT NULL, cancelled_by TEXT, cancelled TEXT);"
    /* a plan is booked at most once at a time */
    "CREATE UNIQUE INDEX IF NOT EXISTS bookings_active ON bookings(plan)"
    "  WHERE cancelled IS NULL;"
    "CREATE TABLE IF NOT EXISTS audit("
    "  id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,"
    "  scenario INTEGER, booking INTEGER, plan INTEGER, detail TEXT);";

static void set_msg(char *msg, size_t size, const char *what, sqlite3 *db)
{
    if (msg && size)
        snprintf(msg, size, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

static void sq_close(store *st);
static void sq_rollback(store *st);

int store_sqlite_open(store **out, const char *path, char *msg, size_t size)
{
    *out = NULL;
    store *st = calloc(1, sizeof(sq_store));
    if (st)
        st->ops = &sq_ops;
    if (!st) {
        set_msg(msg, size, path, NULL);
        return STORE_ERROR;
    }
    int rc = sqlite3_open_v2(path, &sq(st)->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    /* Writers wait for each other (a booking holds the write lock while it re-checks: under
     * a burst of bookings the queue may be long, so the wait is generous). */
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(sq(st)->db, 120000);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(sq(st)->db,
                          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          "PRAGMA foreign_keys=ON;",
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(sq(st)->db, schema, NULL, NULL, NULL);
    if (rc == SQLITE_OK) /* a store made before the audit kept details: fails when it has them */
        sqlite3_exec(sq(st)->db, "ALTER TABLE audit ADD COLUMN detail TEXT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        set_msg(msg, size, path, sq(st)->db);
        sq_close(st);
        return STORE_ERROR;
    }
    *out = st;
    return STORE_OK;
}

static void sq_close(store *st)
{
    if (!st)
        return;
    sqlite3_close(sq(st)->db);
    free(st);
}

/* Prepares sql and binds the arguments: fmt has one letter per argument, t (text),
 * i (long long), b (blob: pointer then size_t). */
static sqlite3_stmt *prep(store *st, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(sq(st)->db, sql, -1, &s, NULL) != SQLITE_OK)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    int rc = SQLITE_OK;
    for (int k = 0; fmt[k] && rc == SQLITE_OK; k++) {
        if (fmt[k] == 't') {
            const char *t = va_arg(ap, const char *);
            rc = t ? sqlite3_bind_text(s, k + 1, t, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(s, k + 1);
        } else if (fmt[k] == 'i') {
            rc = sqlite3_bind_int64(s, k + 1, va_arg(ap, long long));
        } else {
            const void *p = va_arg(ap, const void *);
            size_t n = va_arg(ap, size_t);
            rc = sqlite3_bind_blob64(s, k + 1, p, n, SQLITE_TRANSIENT);
        }
    }
    va_end(ap);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(s);
        return NULL;
    }
    return s;
}

/* Runs a statement that returns no rows; STORE_EXISTS for a constraint. */
static int exec_done(sqlite3_stmt *s)
{
    if (!s)
        return STORE_ERROR;
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE)
        return STORE_OK;
    return (rc & 0xff) == SQLITE_CONSTRAINT ? STORE_EXISTS : STORE_ERROR;
}

static char *dup_text(const unsigned char *t)
{
    const char *s = t ? (const char *)t : "";
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

/* Runs a one-row, one-column text query into a new string (STORE_NOTFOUND: no row). */
static int query_text(sqlite3_stmt *s, char **out)
{
    *out = NULL;
    if (!s)
        return STORE_ERROR;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = dup_text(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE)
        return STORE_NOTFOUND;
    return rc == SQLITE_ROW && *out ? STORE_OK : STORE_ERROR;
}

static int sq_token_add(store *st, const char *name, const char *role, const char *hash)
{
    return exec_done(prep(st, "INSERT INTO tokens(name, role, hash, created) VALUES (?,?,?," NOW
                              ")",
                          "ttt", name, role, hash));
}

static int sq_token_find(store *st, const char *hash, char *name, size_t name_size, char *role,
                     size_t role_size)
{
    sqlite3_stmt *s = prep(st, "SELECT name, role FROM tokens WHERE hash = ?", "t", hash);
    if (!s)
        return STORE_ERROR;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        snprintf(name, name_size, "%s", (const char *)sqlite3_column_text(s, 0));
        snprintf(role, role_size, "%s", (const char *)sqlite3_column_text(s, 1));
    }
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
}

static int sq_begin(store *st)
{
    return sqlite3_exec(sq(st)->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? STORE_OK
                                                                                 : STORE_ERROR;
}

static int sq_commit(store *st)
{
    if (sqlite3_exec(sq(st)->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return STORE_OK;
    sq_rollback(st);
    return STORE_ERROR;
}

static void sq_rollback(store *st)
{
    if (!sqlite3_get_autocommit(sq(st)->db))
        sqlite3_exec(sq(st)->db, "ROLLBACK", NULL, NULL, NULL);
}

static int audit(store *st, const char *who, const char *action, long long scenario,
                 long long booking, long long plan, const char *detail)
{
    return exec_done(prep(st,
                          "INSERT INTO audit(at, who, action, scenario, booking, plan, detail)"
                          " VALUES (" NOW ", ?, ?, ?, nullif(?, 0), nullif(?, 0), ?)",
                          "ttiiit", who, action, scenario, booking, plan, detail));
}

static int sq_scenario_add(store *st, const char *name, const char *who, const store_file *files,
                       size_t n, long long *id)
{
    if (sq_begin(st) != STORE_OK)
        return STORE_ERROR;
    int rc = exec_done(prep(st, "INSERT INTO scenarios(name, created_by, created) VALUES (?,?,"
                                NOW ")",
                            "tt", name, who));
    *id = sqlite3_last_insert_rowid(sq(st)->db);
    for (size_t i = 0; rc == STORE_OK && i < n; i++)
        rc = exec_done(prep(st, "INSERT INTO files(scenario, seq, name, body) VALUES (?,?,?,?)",
                            "iitb", *id, (long long)i, files[i].name, files[i].body,
                            files[i].size));
    if (rc == STORE_OK)
        rc = audit(st, who, "upload", *id, 0, 0, NULL);
    if (rc != STORE_OK) {
        sq_rollback(st);
        return rc;
    }
    return sq_commit(st);
}

/* Collects (name, body) rows into a new array. */
static int collect(sqlite3_stmt *s, store_file **files, size_t *n)
{
    *files = NULL;
    *n = 0;
    if (!s)
        return STORE_ERROR;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            store_file *g = realloc(*files, (cap = cap ? 2 * cap : 8) * sizeof *g);
            if (!g)
                break;
            *files = g;
        }
        store_file *f = &(*files)[*n];
        size_t size = (size_t)sqlite3_column_bytes(s, 1);
        const void *body = sqlite3_column_blob(s, 1);
        f->name = dup_text(sqlite3_column_text(s, 0));
        f->body = malloc(size + 1);
        f->size = size;
        ++*n;
        if (!f->name || !f->body)
            break;
        if (size)
            memcpy(f->body, body, size);
        f->body[size] = '\0';
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        store_files_free(*files, *n);
        *files = NULL;
        *n = 0;
        return STORE_ERROR;
    }
    return STORE_OK;
}

static int sq_scenario_files(store *st, long long id, store_file **files, size_t *n)
{
    int rc = collect(prep(st, "SELECT name, body FROM files WHERE scenario = ? ORDER BY seq",
                          "i", id),
                     files, n);
    if (rc == STORE_OK && *n == 0)
        return STORE_NOTFOUND;
    return rc;
}

static int sq_scenario_json(store *st, long long id, char **json)
{
    static const char one[] =
        "json_object('id', s.id, 'name', s.name, 'created_by', s.created_by, 'created',"
        " s.created, 'files', (SELECT json_group_array(name) FROM"
        " (SELECT name FROM files WHERE scenario = s.id ORDER BY seq)))";
    char sql[512];
    if (id > 0) {
        snprintf(sql, sizeof sql, "SELECT %s FROM scenarios s WHERE s.id = ?", one);
        return query_text(prep(st, sql, "i", id), json);
    }
    snprintf(sql, sizeof sql, "SELECT json_group_array(%s) FROM (SELECT * FROM scenarios"
                              " ORDER BY id) s", one);
    return query_text(prep(st, sql, ""), json);
}

static int sq_plan_add(store *st, long long scenario, const char *convoy, const char *plan_json,
                   const char *services, const char *who, long long *id)
{
    int rc = exec_done(prep(st, "INSERT INTO plans(scenario, convoy, plan, services, created_by,"
                                " created) VALUES (?,?,?,?,?," NOW ")",
                            "itttt", scenario, convoy, plan_json, services, who));
    *id = sqlite3_last_insert_rowid(sq(st)->db);
    return rc;
}

static int sq_plan_get(store *st, long long id, long long *scenario, char **plan_json,
                   char **services)
{
    *plan_json = *services = NULL;
    sqlite3_stmt *s = prep(st, "SELECT scenario, plan, services FROM plans WHERE id = ?", "i", id);
    if (!s)
        return STORE_ERROR;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *scenario = sqlite3_column_int64(s, 0);
        *plan_json = dup_text(sqlite3_column_text(s, 1));
        *services = dup_text(sqlite3_column_text(s, 2));
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW && *plan_json && *services)
        return STORE_OK;
    free(*plan_json);
    free(*services);
    *plan_json = *services = NULL;
    return rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
}

static int sq_plan_convoy(store *st, long long id, char *convoy, size_t size)
{
    char *c = NULL;
    int rc = query_text(prep(st, "SELECT convoy FROM plans WHERE id = ?", "i", id), &c);
    if (rc == STORE_OK)
        snprintf(convoy, size, "%s", c);
    free(c);
    return rc;
}

static int sq_bookings_active(store *st, long long scenario, store_file **services, size_t *n)
{
    return collect(prep(st, "SELECT id, services FROM bookings WHERE scenario = ? AND"
                            " cancelled IS NULL ORDER BY id",
                        "i", scenario),
                   services, n);
}

static int sq_booking_of_plan(store *st, long long plan, long long *booking)
{
    sqlite3_stmt *s = prep(st, "SELECT id FROM bookings WHERE plan = ? AND cancelled IS NULL",
                           "i", plan);
    if (!s)
        return STORE_ERROR;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *booking = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
}

static int sq_booking_of_convoy(store *st, long long scenario, const char *convoy,
                           long long *booking)
{
    sqlite3_stmt *s = prep(st, "SELECT b.id FROM bookings b JOIN plans p ON p.id = b.plan"
                               " WHERE b.scenario = ? AND p.convoy = ? AND b.cancelled IS NULL",
                           "it", scenario, convoy);
    if (!s)
        return STORE_ERROR;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *booking = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
}

static int sq_booking_add(store *st, long long scenario, long long plan, const char *services,
                      const char *who, const char *detail, long long *id)
{
    int rc = exec_done(prep(st, "INSERT INTO bookings(scenario, plan, services, booked_by, booked)"
                                " VALUES (?,?,?,?," NOW ")",
                            "iitt", scenario, plan, services, who));
    *id = sqlite3_last_insert_rowid(sq(st)->db);
    if (rc == STORE_OK)
        rc = audit(st, who, "book", scenario, *id, plan, detail);
    return rc;
}

static int sq_booking_cancel(store *st, long long scenario, long long booking, const char *who,
                             const char *detail)
{
    int rc = exec_done(prep(st, "UPDATE bookings SET cancelled_by = ?, cancelled = " NOW
                                " WHERE id = ? AND scenario = ? AND cancelled IS NULL",
                            "tii", who, booking, scenario));
    if (rc == STORE_OK && sqlite3_changes(sq(st)->db) == 0)
        rc = STORE_NOTFOUND;
    if (rc == STORE_OK)
        rc = audit(st, who, "cancel", scenario, booking, 0, detail);
    return rc;
}

static int sq_bookings_json(store *st, long long scenario, char **json)
{
    return query_text(
        prep(st,
             "SELECT json_group_array(json_object('id', id, 'plan_id', plan, 'booked_by',"
             " booked_by, 'booked', booked, 'cancelled_by', cancelled_by, 'cancelled',"
             " cancelled, 'services', services)) FROM (SELECT * FROM bookings WHERE"
             " scenario = ? ORDER BY id)",
             "i", scenario),
        json);
}

static int sq_audit_json(store *st, long long scenario, char **json)
{
    return query_text(prep(st,
                           "SELECT json_group_array(json_object('at', at, 'who', who, 'action',"
                           " action, 'booking', booking, 'plan_id', plan, 'detail', json(detail)))"
                           " FROM (SELECT * FROM"
                           " audit WHERE scenario = ? ORDER BY id)",
                           "i", scenario),
                      json);
}

static int sq_check(store *st, char *msg, size_t size)
{
    char *r = NULL;
    int rc = query_text(prep(st, "PRAGMA integrity_check", ""), &r);
    if (msg && size)
        snprintf(msg, size, "%s", r ? r : sqlite3_errmsg(sq(st)->db));
    rc = rc == STORE_OK && r && !strcmp(r, "ok") ? STORE_OK : STORE_ERROR;
    free(r);
    return rc;
}

static const store_ops sq_ops = {
    sq_close,          sq_token_add,       sq_token_find,        sq_begin,
    sq_commit,         sq_rollback,        sq_scenario_add,      sq_scenario_files,
    sq_scenario_json,  sq_plan_add,        sq_plan_get,          sq_plan_convoy,
    sq_bookings_active, sq_booking_of_plan, sq_booking_of_convoy, sq_booking_add,
    sq_booking_cancel, sq_bookings_json,   sq_audit_json,        sq_check,
};
