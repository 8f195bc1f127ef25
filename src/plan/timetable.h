/* timetable.h: running every service of a timetable.
 *
 * A service (model/network.h) is a train, waypoints, stops with minimum dwell and a
 * departure. tm_timetable_run routes each one (tm_route_find), turns the route into engine
 * legs (tm_route_legs_build), runs them (tm_run_journey, clock from the service's
 * departure) and keeps, per service, its timing points at every operational point passed
 * with clock times, the totals and, on request, the trajectory.
 *
 * Services are independent: they run on opt->threads worker threads, each writing only its
 * own slot of the result (stored by the service's index), so the result is the same bytes
 * whatever the thread count. Nothing here prints.
 *
 * Clock times are seconds after midnight of the timetable's day and may exceed 86400 for
 * runs past midnight. Positions are metres along the service's own route from its origin.
 */
#ifndef TM_TIMETABLE_H
#define TM_TIMETABLE_H

#include <stddef.h>

#include "model/scenario.h"
#include "plan/route.h"
#include "run/service_run.h"
#include "tumen.h"

typedef struct tm_timetable_options {
    int threads;             /* worker threads; <= 1 runs in the calling thread */
    int keep_samples;        /* 1: keep each service's trajectory (memory: ~100 B a sample) */
    int keep_going;          /* 0: stop at the failure of the lowest service index and return
                              * it; 1: record each failure in its service's slot, run the rest
                              * and return TUMEN_OK (n_failed counts them) */
    tumen_run_options run;   /* engine options for every service */
    int whole_runs;          /* 1: run each pattern whole, not from the day's shared
                              * stop-to-stop segments (tm_timetable_occupations_with; the
                              * two agree to well under a millisecond, docs/speed.md) */
    /* Optional: called after each run (done of total runs; a pattern shared by several
     * services runs once), one call at a time; nonzero cancels: no new run starts and
     * tm_timetable_run returns TUMEN_ECANCELLED. */
    tumen_progress_fn progress;
    void *progress_user;
} tm_timetable_options;

/* Defaults: 1 thread, no samples, stop at the first failure, default engine options. */
void tm_timetable_options_init(tm_timetable_options *opt);

typedef struct tm_timetable_result {
    const tm_timetable *timetable; /* the timetable that was run (not owned) */
    tm_service_run *runs;    /* runs[i] is timetable->services[i] */
    size_t n_runs;
    size_t n_failed;         /* services with status != TUMEN_OK (keep_going) */
    size_t n_warnings;       /* the runs' warnings together (runs[i].warnings, service order) */
} tm_timetable_result;

/* Services that run the same way whatever their departure (the same train, changes,
 * waypoints, stops and dwells, allowances): pattern[i] (caller's array of tt->n_services)
 * is service i's pattern, numbered by its lowest service index, *leaders (malloc'd, the
 * caller frees) that lowest index of each pattern, ascending. TUMEN_OK or TUMEN_ENOMEM. */
int tm_timetable_patterns(const tm_timetable *tt, size_t *pattern, size_t **leaders,
                          size_t *n_leaders);

/* A deep copy of a successful run made on the clock of 0, moved to `clock` (the departure of
 * a service of the same pattern). TUMEN_OK or TUMEN_ENOMEM (dst then empty). */
int tm_service_run_copy_shifted(tm_service_run *dst, const tm_service_run *src, double clock);

/* Runs every service of tt (NULL: sc->timetable) over sc's network and trains.
 * opt may be NULL for defaults. On TUMEN_OK *out holds one run per service (free with
 * tm_timetable_result_free; with keep_going some may have failed). On failure *out is empty
 * and err names the failing service's id and input line (the lowest failing index, whatever
 * the thread count); codes: TUMEN_EINPUT (no route, bad reference), TUMEN_EPHYSICS (the
 * train stalls), TUMEN_ENOMEM, TUMEN_EUSAGE (NULL arguments, threads cannot start).
 * sc and tt are only read, so several calls may share them. */
int tm_timetable_run(const tm_scenario *sc, const tm_timetable *tt,
                     const tm_timetable_options *opt, tm_timetable_result *out,
                     tumen_error *err);

/* Frees what tm_timetable_run allocated and empties r; NULL or an empty r is a no-op. */
void tm_timetable_result_free(tm_timetable_result *r);

/* Runs one service (it need not belong to any timetable) into *out, which is zeroed first.
 * On failure out->status is the code, err names svc->id and svc->line, and out holds
 * nothing to free; on success free out with tm_service_run_free. opt may be NULL. The
 * run's warnings are not yet named with the service (a pattern's run is copied to other
 * services): tm_service_run_name_warnings does that. */
int tm_timetable_run_service(const tm_scenario *sc, const tm_service *svc,
                             const tm_timetable_options *opt, tm_service_run *out,
                             tumen_error *err);

/* Prefixes each of run's warnings with svc ("service 'id' (line N): "), once; their
 * place stays where the bound is written. */
void tm_service_run_name_warnings(const tm_service *svc, tm_service_run *run);

#endif
