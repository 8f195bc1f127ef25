/* store_pg.c: the store (store.h) on PostgreSQL (libpq), the same schema as the SQLite one.
 * Several tumen serve processes may share one database: a write transaction takes one
 * transaction-scoped advisory lock first (as SQLite's BEGIN IMMEDIATE takes the write lock),
 * so a booking's re-check and insert see every booking committed before it, whichever
 * process made it. Every value is a parameter, never SQL text. */
#include "store_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

typedef struct pg_store {
    store base;
    PGconn *conn;
} pg_store;

static const store_ops pg_ops;

static PGconn *conn_of(store *st)
{
    return ((pg_store *)st)->conn;
}

#define NOW "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS tokens("
    "  id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('viewer','planner','admin')),"
    "  hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS scenarios("
    "  id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, created_by TEXT NOT NULL,"
    "  created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS files("
    "  scenario BIGINT NOT NULL REFERENCES scenarios(id), seq INTEGER NOT NULL,"
    "  name TEXT NOT NULL, body BYTEA NOT NULL, PRIMARY KEY (scenario, seq));"
    "CREATE TABLE IF NOT EXISTS plans("
    "  id BIGSERIAL PRIMARY KEY, scenario BIGINT NOT NULL REFERENCES scenarios(id),"
    "  convoy TEXT NOT NULL, plan TEXT NOT NULL, services TEXT NOT NULL,"
    "  created_by TEXT NOT NULL, created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS bookings("
    "  id BIGSERIAL PRIMARY KEY, scenario BIGINT NOT NULL REFERENCES scenarios(id),"
    "  plan BIGINT NOT NULL REFERENCES plans(id), services TEXT NOT NULL,"
    "  booked_by TEXT NOT NULL, booked TEXT NOT NULL, cancelled_by TEXT, cancelled TEXT);"
    "CREATE UNIQUE INDEX IF NOT EXISTS bookings_active ON bookings(plan)"
    "  WHERE cancelled IS NULL;"
    "CREATE TABLE IF NOT EXISTS audit("
    "  id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,"
    "  scenario BIGINT, booking BIGINT, plan BIGINT, detail TEXT);"
    /* a store made before the audit kept details */
    "ALTER TABLE audit ADD COLUMN IF NOT EXISTS detail TEXT;";

/* Runs sql with parameters: fmt has a letter per parameter, t (text), i (long long),
 * b (bytes: pointer then size_t). NULL on a failure of the call itself. */
static PGresult *run(store *st, const char *sql, const char *fmt, ...)
{
    const char *values[8];
    int lengths[8], formats[8];
    char ints[8][24];
    int n = 0;
    va_list ap;
    va_start(ap, fmt);
    for (; fmt[n] && n < 8; n++) {
        formats[n] = 0;
        lengths[n] = 0;
        if (fmt[n] == 't') {
            values[n] = va_arg(ap, const char *);
        } else if (fmt[n] == 'i') {
            snprintf(ints[n], sizeof ints[n], "%lld", va_arg(ap, long long));
            values[n] = ints[n];
        } else {
            values[n] = va_arg(ap, const char *);
            lengths[n] = (int)va_arg(ap, size_t);
            formats[n] = 1;
        }
    }
    va_end(ap);
    return PQexecParams(conn_of(st), sql, n, NULL, values, lengths, formats, 0);
}

/* A statement without rows: STORE_OK, STORE_EXISTS (a unique constraint) or STORE_ERROR. */
static int done(PGresult *r)
{
    ExecStatusType s = PQresultStatus(r);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? STORE_OK
             : state && !strcmp(state, "23505")          ? STORE_EXISTS
                                                          : STORE_ERROR;
    PQclear(r);
    return rc;
}

/* The first column of the one row as a new string (STORE_NOTFOUND: no row). */
static int text(PGresult *r, char **out)
{
    *out = NULL;
    int rc = PQresultStatus(r) != PGRES_TUPLES_OK ? STORE_ERROR
             : PQntuples(r) == 0                  ? STORE_NOTFOUND
                                                  : STORE_OK;
    if (rc == STORE_OK && !(*out = strdup(PQgetvalue(r, 0, 0))))
        rc = STORE_ERROR;
    PQclear(r);
    return rc;
}

/* The first column of the one row as an integer. */
static int integer(PGresult *r, long long *out)
{
    char *t = NULL;
    int rc = text(r, &t);
    if (rc == STORE_OK)
        *out = strtoll(t, NULL, 10);
    free(t);
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
    p->base.ops = &pg_ops;
    p->conn = PQconnectdb(conninfo);
    store *st = &p->base;
    if (PQstatus(p->conn) != CONNECTION_OK) {
        snprintf(msg, size, "PostgreSQL: %s", PQerrorMessage(p->conn));
        pg_close(st);
        return STORE_ERROR;
    }
    /* Two servers starting at once must not both create the tables. */
    int rc = done(run(st, "SET client_min_messages = warning", ""));
    if (rc == STORE_OK) /* 7242: the schema's lock; 7243: a write transaction's */
        rc = done(run(st, "SELECT pg_advisory_lock(7242)", ""));
    if (rc == STORE_OK) {
        rc = done(PQexec(p->conn, schema));
        done(run(st, "SELECT pg_advisory_unlock(7242)", ""));
    }
    if (rc != STORE_OK) {
        snprintf(msg, size, "PostgreSQL: %s", PQerrorMessage(p->conn));
        pg_close(st);
        return STORE_ERROR;
    }
    *out = st;
    return STORE_OK;
}

static int pg_token_add(store *st, const char *name, const char *role, const char *hash)
{
    return done(run(st, "INSERT INTO tokens(name, role, hash, created) VALUES ($1,$2,$3," NOW ")",
                    "ttt", name, role, hash));
}

static int pg_token_find(store *st, const char *hash, char *name, size_t name_size, char *role,
                         size_t role_size)
{
    PGresult *r = run(st, "SELECT name, role FROM tokens WHERE hash = $1", "t", hash);
    int rc = PQresultStatus(r) != PGRES_TUPLES_OK ? STORE_ERROR
             : PQntuples(r) == 0                  ? STORE_NOTFOUND
                                                  : STORE_OK;
    if (rc == STORE_OK) {
        snprintf(name, name_size, "%s", PQgetvalue(r, 0, 0));
        snprintf(role, role_size, "%s", PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return rc;
}

static int pg_begin(store *st)
{
    if (done(PQexec(conn_of(st), "BEGIN")) != STORE_OK)
        return STORE_ERROR;
    if (done(run(st, "SELECT pg_advisory_xact_lock(7243)", "")) != STORE_OK) {
        done(PQexec(conn_of(st), "ROLLBACK"));
        return STORE_ERROR;
    }
    return STORE_OK;
}

static int pg_commit(store *st)
{
    return done(PQexec(conn_of(st), "COMMIT"));
}

static void pg_rollback(store *st)
{
    if (PQtransactionStatus(conn_of(st)) != PQTRANS_IDLE)
        done(PQexec(conn_of(st), "ROLLBACK"));
}

static int audit(store *st, const char *who, const char *action, long long scenario,
                 long long booking, long long plan, const char *detail)
{
    return done(run(st,
                    "INSERT INTO audit(at, who, action, scenario, booking, plan, detail) VALUES"
                    " (" NOW ", $1, $2, $3, nullif($4::bigint, 0), nullif($5::bigint, 0), $6)",
                    "ttiiit", who, action, scenario, booking, plan, detail));
}

static int pg_scenario_add(store *st, const char *name, const char *who, const store_file *files,
                           size_t n, long long *id)
{
    if (pg_begin(st) != STORE_OK)
        return STORE_ERROR;
    int rc = integer(run(st, "INSERT INTO scenarios(name, created_by, created) VALUES ($1,$2," NOW
                             ") RETURNING id",
                         "tt", name, who),
                     id);
    for (size_t i = 0; rc == STORE_OK && i < n; i++)
        rc = done(run(st, "INSERT INTO files(scenario, seq, name, body) VALUES ($1,$2,$3,$4)",
                      "iitb", *id, (long long)i, files[i].name, files[i].body, files[i].size));
    if (rc == STORE_OK)
        rc = audit(st, who, "upload", *id, 0, 0, NULL);
    if (rc != STORE_OK) {
        pg_rollback(st);
        return rc;
    }
    return pg_commit(st);
}

/* (name, body) rows into a new array; body may be bytea (binary result) or text. */
static int collect(PGresult *r, store_file **files, size_t *n)
{
    *files = NULL;
    *n = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        PQclear(r);
        return STORE_ERROR;
    }
    size_t rows = (size_t)PQntuples(r);
    store_file *f = calloc(rows + 1, sizeof *f);
    int rc = f ? STORE_OK : STORE_ERROR;
    for (size_t i = 0; rc == STORE_OK && i < rows; i++) {
        size_t len = (size_t)PQgetlength(r, (int)i, 1);
        f[i].name = strdup(PQgetvalue(r, (int)i, 0));
        f[i].body = malloc(len + 1);
        f[i].size = len;
        if (!f[i].name || !f[i].body) {
            rc = STORE_ERROR;
            rows = i + 1;
            break;
        }
        memcpy(f[i].body, PQgetvalue(r, (int)i, 1), len);
        f[i].body[len] = '\0';
    }
    PQclear(r);
    if (rc != STORE_OK) {
        store_files_free(f, rows);
        return rc;
    }
    *files = f;
    *n = rows;
    return STORE_OK;
}

/* Runs a query whose results come back binary (bytea bodies as bytes). */
static PGresult *run_binary(store *st, const char *sql, long long id)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", id);
    const char *values[1] = {v};
    return PQexecParams(conn_of(st), sql, 1, NULL, values, NULL, NULL, 1);
}

static int pg_scenario_files(store *st, long long id, store_file **files, size_t *n)
{
    int rc = collect(run_binary(st, "SELECT name, body FROM files WHERE scenario = $1::bigint"
                                    " ORDER BY seq",
                                id),
                     files, n);
    return rc == STORE_OK && *n == 0 ? STORE_NOTFOUND : rc;
}

#define SCENARIO_JSON                                                                       \
    "json_build_object('id', s.id, 'name', s.name, 'created_by', s.created_by, 'created',"  \
    " s.created, 'files', (SELECT coalesce(json_agg(name ORDER BY seq), '[]') FROM files"   \
    " WHERE scenario = s.id))"

static int pg_scenario_json(store *st, long long id, char **json)
{
    if (id > 0)
        return text(run(st, "SELECT " SCENARIO_JSON " FROM scenarios s WHERE s.id = $1", "i",
                        id),
                    json);
    return text(run(st, "SELECT coalesce(json_agg(" SCENARIO_JSON " ORDER BY s.id), '[]')"
                        " FROM scenarios s", ""),
                json);
}

static int pg_plan_add(store *st, long long scenario, const char *convoy, const char *plan_json,
                       const char *services, const char *who, long long *id)
{
    return integer(run(st, "INSERT INTO plans(scenario, convoy, plan, services, created_by,"
                           " created) VALUES ($1,$2,$3,$4,$5," NOW ") RETURNING id",
                       "itttt", scenario, convoy, plan_json, services, who),
                   id);
}

static int pg_plan_get(store *st, long long id, long long *scenario, char **plan_json,
                       char **services)
{
    *plan_json = *services = NULL;
    PGresult *r = run(st, "SELECT scenario, plan, services FROM plans WHERE id = $1", "i", id);
    int rc = PQresultStatus(r) != PGRES_TUPLES_OK ? STORE_ERROR
             : PQntuples(r) == 0                  ? STORE_NOTFOUND
                                                  : STORE_OK;
    if (rc == STORE_OK) {
        *scenario = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        *plan_json = strdup(PQgetvalue(r, 0, 1));
        *services = strdup(PQgetvalue(r, 0, 2));
        if (!*plan_json || !*services) {
            free(*plan_json);
            free(*services);
            *plan_json = *services = NULL;
            rc = STORE_ERROR;
        }
    }
    PQclear(r);
    return rc;
}

static int pg_plan_convoy(store *st, long long id, char *convoy, size_t size)
{
    char *c = NULL;
    int rc = text(run(st, "SELECT convoy FROM plans WHERE id = $1", "i", id), &c);
    if (rc == STORE_OK)
        snprintf(convoy, size, "%s", c);
    free(c);
    return rc;
}

static int pg_bookings_active(store *st, long long scenario, store_file **services, size_t *n)
{
    return collect(run(st, "SELECT id::text, services FROM bookings WHERE scenario = $1 AND"
                           " cancelled IS NULL ORDER BY id",
                       "i", scenario),
                   services, n);
}

static int pg_booking_of_plan(store *st, long long plan, long long *booking)
{
    return integer(run(st, "SELECT id FROM bookings WHERE plan = $1 AND cancelled IS NULL", "i",
                       plan),
                   booking);
}

static int pg_booking_of_convoy(store *st, long long scenario, const char *convoy,
                                long long *booking)
{
    return integer(run(st, "SELECT b.id FROM bookings b JOIN plans p ON p.id = b.plan"
                           " WHERE b.scenario = $1 AND p.convoy = $2 AND b.cancelled IS NULL",
                       "it", scenario, convoy),
                   booking);
}

static int pg_booking_add(store *st, long long scenario, long long plan, const char *services,
                          const char *who, const char *detail, long long *id)
{
    int rc = integer(run(st, "INSERT INTO bookings(scenario, plan, services, booked_by, booked)"
                             " VALUES ($1,$2,$3,$4," NOW ") RETURNING id",
                         "iitt", scenario, plan, services, who),
                     id);
    if (rc == STORE_OK)
        rc = audit(st, who, "book", scenario, *id, plan, detail);
    return rc;
}

static int pg_booking_cancel(store *st, long long scenario, long long booking, const char *who,
                             const char *detail)
{
    long long id = 0;
    int rc = integer(run(st, "UPDATE bookings SET cancelled_by = $1, cancelled = " NOW
                             " WHERE id = $2 AND scenario = $3 AND cancelled IS NULL RETURNING id",
                         "tii", who, booking, scenario),
                     &id);
    if (rc == STORE_OK)
        rc = audit(st, who, "cancel", scenario, booking, 0, detail);
    return rc;
}

static int pg_bookings_json(store *st, long long scenario, char **json)
{
    return text(run(st,
                    "SELECT coalesce(json_agg(json_build_object('id', id, 'plan_id', plan,"
                    " 'booked_by', booked_by, 'booked', booked, 'cancelled_by', cancelled_by,"
                    " 'cancelled', cancelled, 'services', services) ORDER BY id), '[]')"
                    " FROM bookings WHERE scenario = $1",
                    "i", scenario),
                json);
}

static int pg_audit_json(store *st, long long scenario, char **json)
{
    return text(run(st,
                    "SELECT coalesce(json_agg(json_build_object('at', at, 'who', who, 'action',"
                    " action, 'booking', booking, 'plan_id', plan, 'detail', detail::json)"
                    " ORDER BY id), '[]')"
                    " FROM audit WHERE scenario = $1",
                    "i", scenario),
                json);
}

/* PostgreSQL keeps its own consistency; the check is that the tables answer. */
static int pg_check(store *st, char *msg, size_t size)
{
    char *t = NULL;
    int rc = text(run(st, "SELECT CASE WHEN (SELECT count(*) FROM tokens) + (SELECT count(*)"
                          " FROM scenarios) + (SELECT count(*) FROM files) + (SELECT count(*)"
                          " FROM plans) + (SELECT count(*) FROM bookings) + (SELECT count(*)"
                          " FROM audit) >= 0 THEN 'ok' END", ""),
                  &t);
    snprintf(msg, size, "%s", rc == STORE_OK ? t : PQerrorMessage(conn_of(st)));
    free(t);
    return rc;
}

static const store_ops pg_ops = {
    pg_close,           pg_token_add,        pg_token_find,         pg_begin,
    pg_commit,          pg_rollback,         pg_scenario_add,       pg_scenario_files,
    pg_scenario_json,   pg_plan_add,         pg_plan_get,           pg_plan_convoy,
    pg_bookings_active, pg_booking_of_plan,  pg_booking_of_convoy,  pg_booking_add,
    pg_booking_cancel,  pg_bookings_json,    pg_audit_json,         pg_check,
};
