/* sql_driver.h: what a database driver gives the store (store.c), which writes every
 * statement once, in SQL both databases take, with $1, $2, ... placeholders. A driver
 * (store_sqlite.c, store_pg.c) opens its database and lays the schema, runs a statement
 * with its parameters and steps through the rows, and takes and ends write transactions;
 * nothing else of the store is in it. Drivers stand below store.c and know nothing of it.
 *
 * A driver's handle begins with `store` (its driver), the driver's own fields after it. */
#ifndef TM_SERVER_SQL_DRIVER_H
#define TM_SERVER_SQL_DRIVER_H

#include <stddef.h>

/* What every store call returns (store.h); STORE_ROW only between a driver and store.c. */
enum { STORE_OK = 0, STORE_NOTFOUND = 1, STORE_EXISTS = 2, STORE_ERROR = -1, STORE_ROW = 3 };

typedef struct store store;

/* A statement's parameter: kind 't' text (NULL: SQL NULL), 'i' integer, 'b' bytes. */
typedef struct sql_param {
    char kind;
    const char *text;
    long long integer;
    const void *bytes;
    size_t size;
} sql_param;

/* A statement being stepped through (the driver's own). */
typedef struct sql_stmt sql_stmt;

typedef struct sql_driver {
    void (*close)(store *st);
    /* Runs sql with n parameters ($1 is p[0]); NULL when the database refuses it or memory
     * runs out. Give the statement back with finish. */
    sql_stmt *(*run)(store *st, const char *sql, const sql_param *p, int n);
    /* The next row: STORE_ROW, STORE_OK when there is none left, STORE_EXISTS when the
     * statement broke a unique constraint, else STORE_ERROR. */
    int (*step)(sql_stmt *s);
    /* Column i of the current row: its bytes (text as text, integers in decimal, blobs as
     * they were stored) and their number, or NULL for SQL NULL. Valid until the next step. */
    const char *(*column)(sql_stmt *s, int i, size_t *size);
    void (*finish)(sql_stmt *s);
    /* A write transaction, taken at once: of two processes or threads, the second waits. */
    int (*begin)(store *st);
    int (*commit)(store *st);   /* rolls back when the commit fails */
    void (*rollback)(store *st); /* a no-op outside a transaction */
    /* The database's own check of itself: msg gets its answer; STORE_OK when sound. */
    int (*check)(store *st, char *msg, size_t size);
} sql_driver;

struct store {
    const sql_driver *driver;
};

/* The schema, written once: each driver names its types for an id that the database
 * assigns (ID), a reference to one (REF) and bytes (BLOB). Times are ISO 8601 UTC text. */
#define STORE_SCHEMA(ID, REF, BLOB)                                                         \
    "CREATE TABLE IF NOT EXISTS tokens("                                                    \
    "  id " ID " PRIMARY KEY, name TEXT NOT NULL UNIQUE,"                                   \
    "  role TEXT NOT NULL CHECK (role IN ('viewer','planner','admin')),"                    \
    "  hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL);"                                  \
    "CREATE TABLE IF NOT EXISTS scenarios("                                                 \
    "  id " ID " PRIMARY KEY, name TEXT NOT NULL, created_by TEXT NOT NULL,"                \
    "  created TEXT NOT NULL);"                                                             \
    "CREATE TABLE IF NOT EXISTS files("                                                     \
    "  scenario " REF " NOT NULL REFERENCES scenarios(id), seq INTEGER NOT NULL,"           \
    "  name TEXT NOT NULL, body " BLOB " NOT NULL, PRIMARY KEY (scenario, seq));"           \
    "CREATE TABLE IF NOT EXISTS plans("                                                     \
    "  id " ID " PRIMARY KEY, scenario " REF " NOT NULL REFERENCES scenarios(id),"          \
    "  convoy TEXT NOT NULL, plan TEXT NOT NULL, services TEXT NOT NULL,"                   \
    "  created_by TEXT NOT NULL, created TEXT NOT NULL);"                                   \
    "CREATE TABLE IF NOT EXISTS bookings("                                                  \
    "  id " ID " PRIMARY KEY, scenario " REF " NOT NULL REFERENCES scenarios(id),"          \
    "  plan " REF " NOT NULL REFERENCES plans(id), services TEXT NOT NULL,"                 \
    "  booked_by TEXT NOT NULL, booked TEXT NOT NULL, cancelled_by TEXT, cancelled TEXT);"  \
    /* a plan is booked at most once at a time */                                           \
    "CREATE UNIQUE INDEX IF NOT EXISTS bookings_active ON bookings(plan)"                   \
    "  WHERE cancelled IS NULL;"                                                            \
    "CREATE TABLE IF NOT EXISTS audit("                                                     \
    "  id " ID " PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,"   \
    "  scenario " REF ", booking " REF ", plan " REF ", detail TEXT);"

/* Opens (creating when missing) an SQLite file, or connects to PostgreSQL (conninfo: a
 * libpq connection string or URI), and lays the schema. msg says why on STORE_ERROR. */
int store_sqlite_open(store **out, const char *path, char *msg, size_t size);
int store_pg_open(store **out, const char *conninfo, char *msg, size_t size);

#endif
