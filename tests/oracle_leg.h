/* oracle_leg.h: a journey leg of a run against the optimal-control oracle (tests/oracle.h).
 * Reads only the run's result (its samples) and the leg's course: the driving code is not
 * used. Used by tests/test_eco_flagship.c and bench/bench_run.c. */
#ifndef TM_TEST_ORACLE_LEG_H
#define TM_TEST_ORACLE_LEG_H

#include "model/scenario.h"
#include "oracle.h"

typedef struct tm_oracle_leg {
    double length;   /* m */
    size_t segments; /* stop-to-stop segments */
    double moving;   /* s, the run's moving time over the leg (dwells left out) */
    double energy;   /* J at the wheel, the run's */
    double optimum;  /* J at the wheel, the oracle's least for the same moving time */
    double gap;      /* energy / optimum - 1 */
} tm_oracle_leg;

/* Compares leg `leg` of scenario sc's journey in result r (from tm_scenario_run) with the
 * oracle on grid opt: the least energy to run all its stop-to-stop segments in the leg's
 * moving time (one price of time for the whole leg, so the oracle also chooses how the time
 * is shared among the segments). Returns 0, or -1 (no such leg, the oracle failed). */
int tm_oracle_leg_compare(const tm_scenario *sc, const tumen_result *r, size_t leg,
                          const tm_oracle_opt *opt, tm_oracle_leg *out);

#endif
