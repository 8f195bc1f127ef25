/* oracle.h: an optimal-control reference for eco driving, independent of the driving code
 * (run/pass.c, run/eco.c, run/allowance.c): dynamic programming over a position/speed grid
 * with the physics of docs/physics.md (the course's limits and gradient forces, the train's
 * effort, resistance and service deceleration). Used by tests/test_eco.c and bench/bench_run.c.
 *
 * Method (Bellman; for train control e.g. Franke, Terwiesch & Meyer 2000; Haahr, Pisinger &
 * Sabbaghian 2017): positions s_i = a + i ds, speeds on a grid of step dv at each s_i (the top
 * grid speed set to the lowest limit there). From each grid state the candidate controls of
 * one step are: full traction, coasting, full service brake, holding the speed, reaching the
 * neighbouring grid speeds or the limit with partial force, and braking to the stop at a
 * constant deceleration. Over a step the force is constant, so the speed squared is linear
 * in s, the time is exactly 2 ds / (v + v') and the traction force is
 * F = m_eff a + R(v_m) + m g w (v_m the speed at mid-distance, w the mean gradient force of
 * the step); a step is allowed when F <= F_max(v_m) and, when F < 0, the deceleration is at
 * most the service deceleration. The cost-to-go at the next position is interpolated
 * linearly between grid speeds (a semi-Lagrangian scheme). The cost of a step is its traction
 * work at the wheel (or its supply energy) plus lambda times its time; lambda, the price of
 * time, is bisected until the segments' total time meets the given one, and the energy at
 * exactly that time is interpolated between the two bracketing lambdas. A "by" bound inside a
 * segment (a timing point to pass by a time) has a price of its own, mu >= 0, added to lambda
 * on the stretch before it (its Lagrange multiplier: zero when the bound does not bind),
 * bisected for each lambda so that the bound is met, the energy again interpolated to it.
 */
#ifndef TM_TEST_ORACLE_H
#define TM_TEST_ORACLE_H

#include "run/run.h"

typedef struct tm_oracle_opt {
    double ds, dv; /* m, m/s: the grid */
    int supply;    /* 0: wheel traction work; 1: supply energy (efficiency, regeneration) */
    /* A "by" bound inside a single segment (n_stops 2): the head reaches bound_x (line m) at
     * most bound_t s after the departure; bound_t <= 0: none. Met with a second price of
     * time on the stretch before it (the Lagrange multiplier of the bound). */
    double bound_x, bound_t;
} tm_oracle_opt;

typedef struct tm_oracle_result {
    double energy;   /* J, at exactly the given time (interpolated) */
    double time;     /* s, the total moving time reached (the given one) */
    double feasible; /* J, the energy of the bracketing grid run that is not late */
    double feasible_time;
} tm_oracle_result;

/* Least energy to run the stop-to-stop segments [stops[i], stops[i+1]] of course c (from
 * standstill to standstill, each) in total moving time T. Returns 0, or -1 when T is shorter
 * than the grid's fastest run or on allocation failure. */
int tm_oracle_run(const tm_course *c, const double *stops, size_t n_stops, double T,
                  const tm_oracle_opt *opt, tm_oracle_result *out);

#endif
