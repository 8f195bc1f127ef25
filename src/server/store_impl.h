/* store_impl.h: what a store backend implements (store.c dispatches to it). A backend's
 * handle begins with `store` (its ops), the backend's own fields after it. */
#ifndef TM_SERVER_STORE_IMPL_H
#define TM_SERVER_STORE_IMPL_H

#include "store.h"

typedef struct store_ops {
    void (*close)(store *st);
    int (*token_add)(store *st, const char *name, const char *role, const char *hash);
    int (*token_find)(store *st, const char *hash, char *name, size_t name_size, char *role,
                      size_t role_size);
    int (*begin)(store *st);
    int (*commit)(store *st);
    void (*rollback)(store *st);
    int (*scenario_add)(store *st, const char *name, const char *who, const store_file *files,
                        size_t n, long long *id);
    int (*scenario_files)(store *st, long long id, store_file **files, size_t *n);
    int (*scenario_json)(store *st, long long id, char **json);
    int (*plan_add)(store *st, long long scenario, const char *convoy, const char *plan_json,
                    const char *services, const char *who, long long *id);
    int (*plan_get)(store *st, long long id, long long *scenario, char **plan_json,
                    char **services);
    int (*plan_convoy)(store *st, long long id, char *convoy, size_t size);
    int (*bookings_active)(store *st, long long scenario, store_file **services, size_t *n);
    int (*booking_of_plan)(store *st, long long plan, long long *booking);
    int (*booking_of_convoy)(store *st, long long scenario, const char *convoy,
                             long long *booking);
    int (*booking_add)(store *st, long long scenario, long long plan, const char *services,
                       const char *who, const char *detail, long long *id);
    int (*booking_cancel)(store *st, long long scenario, long long booking, const char *who,
                          const char *detail);
    int (*bookings_json)(store *st, long long scenario, char **json);
    int (*audit_json)(store *st, long long scenario, char **json);
    int (*check)(store *st, char *msg, size_t size);
} store_ops;

struct store {
    const store_ops *ops;
};

int store_sqlite_open(store **out, const char *path, char *msg, size_t size);
/* conninfo: a libpq connection string or URI */
int store_pg_open(store **out, const char *conninfo, char *msg, size_t size);

#endif
