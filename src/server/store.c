/* store.c: the store interface (store.h) dispatched to its backend: PostgreSQL when the
 * --db value is a libpq connection string or URI (postgresql://..., host=...), else an
 * SQLite file. */
#include "store_impl.h"

#include <stdlib.h>
#include <string.h>

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
        st->ops->close(st);
}

void store_files_free(store_file *files, size_t n)
{
    for (size_t i = 0; files && i < n; i++) {
        free(files[i].name);
        free(files[i].body);
    }
    free(files);
}

int store_token_add(store *st, const char *name, const char *role, const char *hash)
{
    return st->ops->token_add(st, name, role, hash);
}

int store_token_find(store *st, const char *hash, char *name, size_t name_size, char *role,
                     size_t role_size)
{
    return st->ops->token_find(st, hash, name, name_size, role, role_size);
}

int store_begin(store *st)
{
    return st->ops->begin(st);
}

int store_commit(store *st)
{
    return st->ops->commit(st);
}

void store_rollback(store *st)
{
    st->ops->rollback(st);
}

int store_scenario_add(store *st, const char *name, const char *who, const store_file *files,
                       size_t n, long long *id)
{
    return st->ops->scenario_add(st, name, who, files, n, id);
}

int store_scenario_files(store *st, long long id, store_file **files, size_t *n)
{
    return st->ops->scenario_files(st, id, files, n);
}

int store_scenario_json(store *st, long long id, char **json)
{
    return st->ops->scenario_json(st, id, json);
}

int store_plan_add(store *st, long long scenario, const char *convoy, const char *plan_json,
                   const char *services, const char *who, long long *id)
{
    return st->ops->plan_add(st, scenario, convoy, plan_json, services, who, id);
}

int store_plan_get(store *st, long long id, long long *scenario, char **plan_json,
                   char **services)
{
    return st->ops->plan_get(st, id, scenario, plan_json, services);
}

int store_plan_convoy(store *st, long long id, char *convoy, size_t size)
{
    return st->ops->plan_convoy(st, id, convoy, size);
}

int store_bookings_active(store *st, long long scenario, store_file **services, size_t *n)
{
    return st->ops->bookings_active(st, scenario, services, n);
}

int store_booking_of_plan(store *st, long long plan, long long *booking)
{
    return st->ops->booking_of_plan(st, plan, booking);
}

int store_booking_of_convoy(store *st, long long scenario, const char *convoy,
                            long long *booking)
{
    return st->ops->booking_of_convoy(st, scenario, convoy, booking);
}

int store_booking_add(store *st, long long scenario, long long plan, const char *services,
                      const char *who, const char *detail, long long *id)
{
    return st->ops->booking_add(st, scenario, plan, services, who, detail, id);
}

int store_booking_cancel(store *st, long long scenario, long long booking, const char *who,
                         const char *detail)
{
    return st->ops->booking_cancel(st, scenario, booking, who, detail);
}

int store_bookings_json(store *st, long long scenario, char **json)
{
    return st->ops->bookings_json(st, scenario, json);
}

int store_audit_json(store *st, long long scenario, char **json)
{
    return st->ops->audit_json(st, scenario, json);
}

int store_check(store *st, char *msg, size_t size)
{
    return st->ops->check(st, msg, size);
}
