/* store.h: what tumen serve keeps (tokens, scenarios and their files, plans, bookings and
 * their audit), behind one interface. store.c writes it once in SQL over a driver
 * (sql_driver.h): store_sqlite.c, one SQLite file in WAL mode, or store_pg.c, PostgreSQL.
 * Every function returns 0 on success, STORE_NOTFOUND, STORE_EXISTS or STORE_ERROR (msg
 * then says why). A store handle is used by one thread at a time: the
 * server opens one per worker thread (SQLite serialises writers across them and across
 * processes on the same file). */
#ifndef TM_SERVER_STORE_H
#define TM_SERVER_STORE_H

#include <stddef.h>

#include "sql_driver.h" /* the status codes and the handle type */

/* Opens (creating when missing) the store at path and its schema. */
int store_open(store **out, const char *path, char *msg, size_t size);
void store_close(store *st);

/* Tokens: only the hash is kept. role is viewer, planner or admin. */
int store_token_add(store *st, const char *name, const char *role, const char *hash);
/* The name and role of the token with this hash. */
int store_token_find(store *st, const char *hash, char *name, size_t name_size, char *role,
                     size_t role_size);

/* One file of a scenario. */
typedef struct store_file {
    char *name;
    char *body;
    size_t size;
} store_file;

/* Frees n files' strings and the array. */
void store_files_free(store_file *files, size_t n);

int store_scenario_add(store *st, const char *name, const char *who, const store_file *files,
                       size_t n, long long *id);
/* The scenario's files in upload order (the caller frees them), its name and creator. */
int store_scenario_files(store *st, long long id, store_file **files, size_t *n);
/* The scenarios as a JSON array text [{"id","name","created_by","created","files":[...]}]
 * (one when id > 0: a JSON object). The caller frees *json. */
int store_scenario_json(store *st, long long id, char **json);

/* A plan made by a special request: its convoy id (the `convoy` of the services it adds,
 * unique), its JSON answer and the services it would add (timetable YAML). */
int store_plan_add(store *st, long long scenario, const char *convoy, const char *plan_json,
                   const char *services, const char *who, long long *id);
int store_plan_get(store *st, long long id, long long *scenario, char **plan_json,
                   char **services);

int store_plan_convoy(store *st, long long id, char *convoy, size_t size);

/* Bookings. A booking is made inside store_begin .. store_commit (a write transaction
 * taken at the start: of two processes or threads, the second waits), so what is read
 * between them is what the booking is checked against. */
int store_begin(store *st);
int store_commit(store *st);
void store_rollback(store *st);

/* The active (not cancelled) bookings of a scenario: the services each adds (timetable
 * YAML) and its id. The caller frees with store_files_free (name holds the booking id
 * in decimal). */
int store_bookings_active(store *st, long long scenario, store_file **services, size_t *n);
/* The active booking of plan, if any. */
int store_booking_of_plan(store *st, long long plan, long long *booking);
/* The active booking whose plan added the convoy. */
int store_booking_of_convoy(store *st, long long scenario, const char *convoy,
                            long long *booking);
/* detail (JSON text or NULL) is kept in the audit trail: what a priority plan held and
 * cancelled. Inside store_begin .. store_commit. */
int store_booking_add(store *st, long long scenario, long long plan, const char *services,
                      const char *who, const char *detail, long long *id);
/* Cancels an active booking (STORE_NOTFOUND if none of this scenario is); detail as for
 * store_booking_add (the trains restored). Inside store_begin .. store_commit: the caller
 * re-checks the day without it first. */
int store_booking_cancel(store *st, long long scenario, long long booking, const char *who,
                         const char *detail);
/* The scenario's bookings (cancelled ones too, each with the services it adds as timetable
 * YAML) as a JSON array text. */
int store_bookings_json(store *st, long long scenario, char **json);
/* The audit trail of a scenario as a JSON array text. */
int store_audit_json(store *st, long long scenario, char **json);

/* PRAGMA integrity_check: 0 when "ok". */
int store_check(store *st, char *msg, size_t size);

#endif
