/* occupancy.h: the blocking times of a whole timetable, and its convoys. Running the
 * services is planning's job (plan/timetable.h); the stairs of one run are block/'s. */
#ifndef TM_OCCUPANCY_H
#define TM_OCCUPANCY_H

#include "block/resources.h"
#include "plan/timetable.h"

/* Blocking times of every service of the scenario's timetable: runs each one (threads as
 * given), computes its stairs from its trajectory and drops the trajectory. occ[] is labelled
 * by service index; times are s after midnight. On failure err names the service. The
 * caller frees *occ; runs (may be NULL) receives the runs without samples (free with
 * tm_timetable_result_free). */
int tm_timetable_occupations(const tm_scenario *sc, const tm_resource_map *map,
                             const tm_blocking_params *p, int threads, tm_occupation **occ,
                             size_t *n_occ, tm_timetable_result *runs, tumen_error *err);

/* The same with timetable options: their threads, engine options and progress (called once
 * a pattern's stairs are done, done counting its services of total services; nonzero
 * cancels: TUMEN_ECANCELLED). */
int tm_timetable_occupations_with(const tm_scenario *sc, const tm_resource_map *map,
                                  const tm_blocking_params *p, const tm_timetable_options *opt,
                                  tm_occupation **occ, size_t *n_occ, tm_timetable_result *runs,
                                  tumen_error *err);

/* The same, and the runs' warnings (a bound of a service not enforced or not met) without
 * keeping the runs: *warnings (malloc'd, the caller frees; NULL when none) every
 * service's, in service order, named with the service as in tm_timetable_run. */
int tm_timetable_occupations_warned(const tm_scenario *sc, const tm_resource_map *map,
                                    const tm_blocking_params *p,
                                    const tm_timetable_options *opt, tm_occupation **occ,
                                    size_t *n_occ, tumen_error **warnings, size_t *n_warnings,
                                    tumen_error *err);

/* The convoy group of every service of tt, for tm_conflicts_find (occupations labelled by
 * service index): services with the same non-empty `convoy` share the lowest index among
 * them; any other service is its own group. The caller frees *group (n_services items).
 * TUMEN_OK or TUMEN_ENOMEM. O(n log n). */
int tm_timetable_convoy_groups(const tm_timetable *tt, size_t **group);

#endif
