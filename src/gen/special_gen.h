/* special_gen.h: random special-train requests on a scenario (bench/bench_special.c and the
 * digest test draw the same ones). */
#ifndef TM_SPECIAL_GEN_H
#define TM_SPECIAL_GEN_H

#include "gen/rng.h"
#include "model/scenario.h"
#include "plan/special.h"

/* Fills sp with the next request of rng on sc: a diesel unit (regional_dmu, the
 * generator's) with a pilot 7 min ahead and an escort 5 min behind, between two random
 * operational points with loops, leaving at a random whole second between 04:00 and 16:00,
 * no latest arrival, margins 120 s (time), 300 s (opposing, station), delay and
 * cancellation costs per category (passenger, freight, other). The network must have two
 * operational points with loops. */
void tm_gen_special_request(const tm_scenario *sc, tm_rng *rng, tm_special_spec *sp);

#endif
