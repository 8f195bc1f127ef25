/* store_sqlite.c: the store's driver (sql_driver.h) for one SQLite file, WAL journal,
 * foreign keys on. Parameters are bound by their names ($1, $2, ...). */
#include "sql_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

typedef struct sq_store {
    store base;
    sqlite3 *db;
} sq_store;

static const sql_driver sq_driver;

static sqlite3 *db_of(store *st)
{
    return ((sq_store *)st)->db;
}

static const char schema[] = STORE_SCHEMA("INTEGER", "INTEGER", "BLOB");

static void set_msg(char *msg, size_t size, const char *what, sqlite3 *db)
{
    if (msg && size)
        snprintf(msg, size, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

static void sq_close(store *st)
{
    if (!st)
        return;
    sqlite3_close(db_of(st));
    free(st);
}

int store_sqlite_open(store **out, const char *path, char *msg, size_t size)
{
    *out = NULL;
    sq_store *q = calloc(1, sizeof *q);
    if (!q) {
        set_msg(msg, size, path, NULL);
        return STORE_ERROR;
    }
    q->base.driver = &sq_driver;
    int rc = sqlite3_open_v2(path, &q->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    /* Writers wait for each other (a booking holds the write lock while it re-checks: under
     * a burst of bookings the queue may be long, so the wait is generous). */
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(q->db, 120000);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(q->db,
                          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          "PRAGMA foreign_keys=ON;",
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(q->db, schema, NULL, NULL, NULL);
    if (rc == SQLITE_OK) /* a store made before the audit kept details: fails when it has them */
        sqlite3_exec(q->db, "ALTER TABLE audit ADD COLUMN detail TEXT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        set_msg(msg, size, path, q->db);
        sq_close(&q->base);
        return STORE_ERROR;
    }
    *out = &q->base;
    return STORE_OK;
}

/* A statement is SQLite's own. */
static sqlite3_stmt *stmt_of(sql_stmt *s)
{
    return (sqlite3_stmt *)s;
}

static sql_stmt *sq_run(store *st, const char *sql, const sql_param *p, int n)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db_of(st), sql, -1, &s, NULL) != SQLITE_OK)
        return NULL;
    int rc = SQLITE_OK;
    for (int k = 0; k < n && rc == SQLITE_OK; k++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", k + 1);
        int i = sqlite3_bind_parameter_index(s, name);
        if (i == 0) /* not used by this statement */
            continue;
        if (p[k].kind == 'i')
            rc = sqlite3_bind_int64(s, i, p[k].integer);
        else if (p[k].kind == 'b')
            rc = sqlite3_bind_blob64(s, i, p[k].bytes, p[k].size, SQLITE_TRANSIENT);
        else if (p[k].text)
            rc = sqlite3_bind_text(s, i, p[k].text, -1, SQLITE_TRANSIENT);
        else
            rc = sqlite3_bind_null(s, i);
    }
    if (rc != SQLITE_OK) {
        sqlite3_finalize(s);
        return NULL;
    }
    return (sql_stmt *)s;
}

static int sq_step(sql_stmt *s)
{
    int rc = sqlite3_step(stmt_of(s));
    if (rc == SQLITE_ROW)
        return STORE_ROW;
    if (rc == SQLITE_DONE)
        return STORE_OK;
    return (rc & 0xff) == SQLITE_CONSTRAINT ? STORE_EXISTS : STORE_ERROR;
}

static const char *sq_column(sql_stmt *s, int i, size_t *size)
{
    sqlite3_stmt *q = stmt_of(s);
    int type = sqlite3_column_type(q, i);
    *size = 0;
    if (type == SQLITE_NULL)
        return NULL;
    const char *v = type == SQLITE_BLOB ? sqlite3_column_blob(q, i)
                                        : (const char *)sqlite3_column_text(q, i);
    *size = (size_t)sqlite3_column_bytes(q, i);
    return v ? v : ""; /* an empty blob */
}

static void sq_finish(sql_stmt *s)
{
    sqlite3_finalize(stmt_of(s));
}

static int sq_begin(store *st)
{
    return sqlite3_exec(db_of(st), "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK
               ? STORE_OK
               : STORE_ERROR;
}

static void sq_rollback(store *st)
{
    if (!sqlite3_get_autocommit(db_of(st)))
        sqlite3_exec(db_of(st), "ROLLBACK", NULL, NULL, NULL);
}

static int sq_commit(store *st)
{
    if (sqlite3_exec(db_of(st), "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return STORE_OK;
    sq_rollback(st);
    return STORE_ERROR;
}

static int sq_check(store *st, char *msg, size_t size)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db_of(st), "PRAGMA integrity_check", -1, &s, NULL);
    int ok = rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW;
    const char *answer = ok ? (const char *)sqlite3_column_text(s, 0) : NULL;
    if (msg && size)
        snprintf(msg, size, "%s", answer ? answer : sqlite3_errmsg(db_of(st)));
    ok = answer && !strcmp(answer, "ok");
    sqlite3_finalize(s);
    return ok ? STORE_OK : STORE_ERROR;
}

static const sql_driver sq_driver = {
    sq_close, sq_run,   sq_step,   sq_column, sq_finish,
    sq_begin, sq_commit, sq_rollback, sq_check,
};
