/* day.h: a scenario as it is now (day.c): its uploaded files and the services of every
 * active booking added, loaded through tumen.h and kept for the next request. */
#ifndef TM_SERVER_DAY_H
#define TM_SERVER_DAY_H

#include "http.h"
#include "jobs.h"
#include "tumen.h"

/* Loads scenario id as it is now: its files and the change of every active booking (in
 * booking order) but `skip` (0: none), and, if extra, one more text last. basis (may be
 * NULL) receives the ids of the bookings loaded, each followed by ',' (the caller frees).
 * 0, or -1 with r set (404, 400 naming the file, 500). Give *sc back with scenario_release. */
int scenario_now(long long id, long long skip, const char *extra_name, const char *extra,
                 struct tumen_scenario **sc, char **basis, reply *r);
void scenario_release(struct tumen_scenario *sc);
/* A library error as a reply: bad input 400 (file:line: field: message), 422, else 500. */
void reply_tumen(reply *r, const struct tumen_error *err);
/* The timetable's conflicts (*c, borrowing the blocking times *b); ctx NULL: no job. */
int conflicts_find(const struct tumen_scenario *sc, const struct job_ctx *ctx,
                   struct tumen_blocking **b, struct tumen_conflicts **c,
                   struct tumen_error *err);

/* Frees the scenarios kept for the next request (at shutdown). */
void scenarios_shutdown(void);

#endif
