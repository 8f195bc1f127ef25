/* store_pg.c: the store's driver (sql_driver.h) for PostgreSQL (libpq), on the same schema
 * as SQLite's. Several tumen serve processes may share one database: a write transaction
 * takes one transaction-scoped advisory lock first (as SQLite's BEGIN IMMEDIATE takes the
 * write lock), so a booking's re-check and insert see every booking committed before it,
 * whichever process made it. Parameters go typed (text, bigint, bytea), results as text;
 * bytea columns are unescaped here. */
#include "sql_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/* PostgreSQL's type ids (catalog/pg_type.h, stable across versions). */
#define TEXTOID 25
#define INT8OID 20
#define BYTEAOID 17
#define MAX_PARAMS 8
#define MAX_COLUMNS 8

typedef struct pg_store {
    store base;
    PGconn *conn;
} pg_store;

/* A statement: its whole result, the row stepped to, and bytea columns unescaped. */
struct sql_stmt {
    PGresult *result;
    int row, rows, rc;
    unsigned char *bytes[MAX_COLUMNS]; /* the current row's, unescaped when first read */
    size_t sizes[MAX_COLUMNS];
};

static const sql_driver pg_driver;

static PGconn *conn_of(store *st)
{
    return ((pg_store *)st)->conn;
}

static const char schema[] =
    STORE_SCHEMA("BIGSERIAL", "BIGINT", "BYTEA")
    /* a store made before the audit kept details */
    "ALTER TABLE audit ADD COLUMN IF NOT EXISTS detail TEXT;";

/* A result's status: STORE_OK, STORE_EXISTS (a unique constraint) or STORE_ERROR. */
static int status_of(const PGresult *r)
{
    ExecStatusType s = PQresultStatus(r);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? STORE_OK
           : state && !strcmp(state, "23505")          ? STORE_EXISTS
                                                        : STORE_ERROR;
}

/* Runs sql without parameters and forgets its rows. */
static int exec(store *st, const char *sql)
{
    PGresult *r = PQexec(conn_of(st), sql);
    int rc = status_of(r);
    PQclear(r);
    return rc;
}

static void pg_close(store *st)
{
    if (!st)
        return;
    PQfinish(conn_of(st));
    free(st);
}

int store_pg_open(store **out, const char *conninfo, char *msg, size_t size)
{
    *out = NULL;
    pg_store *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(msg, size, "out of memory");
        return STORE_ERROR;
    }
    p->base.driver = &pg_driver;
    p->conn = PQconnectdb(conninfo);
    store *st = &p->base;
    if (PQstatus(p->conn) != CONNECTION_OK) {
        snprintf(msg, size, "PostgreSQL: %s", PQerrorMessage(p->conn));
        pg_close(st);
        return STORE_ERROR;
    }
    /* Two servers starting at once must not both create the tables. */
    int rc = exec(st, "SET client_min_messages = warning");
    if (rc == STORE_OK) /* 7242: the schema's lock; 7243: a write transaction's */
        rc = exec(st, "SELECT pg_advisory_lock(7242)");
    if (rc == STORE_OK) {
        rc = exec(st, schema);
        exec(st, "SELECT pg_advisory_unlock(7242)");
    }
    if (rc != STORE_OK) {
        snprintf(msg, size, "PostgreSQL: %s", PQerrorMessage(p->conn));
        pg_close(st);
        return STORE_ERROR;
    }
    *out = st;
    return STORE_OK;
}

static sql_stmt *pg_run(store *st, const char *sql, const sql_param *p, int n)
{
    const char *values[MAX_PARAMS];
    int lengths[MAX_PARAMS], formats[MAX_PARAMS];
    unsigned types[MAX_PARAMS];
    char ints[MAX_PARAMS][24];
    if (n > MAX_PARAMS)
        return NULL;
    for (int k = 0; k < n; k++) {
        lengths[k] = formats[k] = 0;
        if (p[k].kind == 'i') {
            snprintf(ints[k], sizeof ints[k], "%lld", p[k].integer);
            values[k] = ints[k];
            types[k] = INT8OID;
        } else if (p[k].kind == 'b') {
            values[k] = p[k].bytes;
            lengths[k] = (int)p[k].size;
            formats[k] = 1;
            types[k] = BYTEAOID;
        } else {
            values[k] = p[k].text;
            types[k] = TEXTOID;
        }
    }
    sql_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->result = PQexecParams(conn_of(st), sql, n, types, values, lengths, formats, 0);
    s->rc = status_of(s->result);
    s->rows = s->rc == STORE_OK ? PQntuples(s->result) : 0;
    s->row = -1;
    return s;
}

static int pg_step(sql_stmt *s)
{
    if (s->rc != STORE_OK)
        return s->rc;
    for (int i = 0; i < MAX_COLUMNS; i++) {
        PQfreemem(s->bytes[i]);
        s->bytes[i] = NULL;
    }
    return ++s->row < s->rows ? STORE_ROW : STORE_OK;
}

static const char *pg_column(sql_stmt *s, int i, size_t *size)
{
    *size = 0;
    if (PQgetisnull(s->result, s->row, i))
        return NULL;
    const char *v = PQgetvalue(s->result, s->row, i);
    if (i < MAX_COLUMNS && PQftype(s->result, i) == BYTEAOID) {
        if (!s->bytes[i])
            s->bytes[i] = PQunescapeBytea((const unsigned char *)v, &s->sizes[i]);
        *size = s->bytes[i] ? s->sizes[i] : 0;
        return (const char *)s->bytes[i];
    }
    *size = (size_t)PQgetlength(s->result, s->row, i);
    return v;
}

static void pg_finish(sql_stmt *s)
{
    if (!s)
        return;
    for (int i = 0; i < MAX_COLUMNS; i++)
        PQfreemem(s->bytes[i]);
    PQclear(s->result);
    free(s);
}

static int pg_begin(store *st)
{
    if (exec(st, "BEGIN") != STORE_OK)
        return STORE_ERROR;
    if (exec(st, "SELECT pg_advisory_xact_lock(7243)") != STORE_OK) {
        exec(st, "ROLLBACK");
        return STORE_ERROR;
    }
    return STORE_OK;
}

static int pg_commit(store *st)
{
    return exec(st, "COMMIT");
}

static void pg_rollback(store *st)
{
    if (PQtransactionStatus(conn_of(st)) != PQTRANS_IDLE)
        exec(st, "ROLLBACK");
}

/* PostgreSQL keeps its own consistency; the check is that the tables answer. */
static int pg_check(store *st, char *msg, size_t size)
{
    PGresult *r = PQexec(conn_of(st),
                         "SELECT CASE WHEN (SELECT count(*) FROM tokens) + (SELECT count(*)"
                         " FROM scenarios) + (SELECT count(*) FROM files) + (SELECT count(*)"
                         " FROM plans) + (SELECT count(*) FROM bookings) + (SELECT count(*)"
                         " FROM audit) >= 0 THEN 'ok' END");
    int rc = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? STORE_OK : STORE_ERROR;
    snprintf(msg, size, "%s", rc == STORE_OK ? PQgetvalue(r, 0, 0) : PQerrorMessage(conn_of(st)));
    PQclear(r);
    return rc;
}

static const sql_driver pg_driver = {
    pg_close, pg_run,    pg_step,     pg_column, pg_finish,
    pg_begin, pg_commit, pg_rollback, pg_check,
};
