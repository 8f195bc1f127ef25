/* random.h: counter-based random numbers for the simulation.
 *
 * Every number is a pure function of (seed, replication, service key, draw number): a
 * splitmix64 finaliser (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
 * generators") applied over the four words in turn. No generator state travels between
 * replications, threads or MPI ranks, so the draws of replication 7 of service "2101" are
 * the same whoever computes them, and a day with one train more (a special) keeps the draws
 * of every other train (common random numbers: services are keyed by their id, not their
 * index).
 */
#ifndef TM_SIM_RANDOM_H
#define TM_SIM_RANDOM_H

#include <stdint.h>

/* The splitmix64 output function of z. */
uint64_t tm_mix64(uint64_t z);

/* A 64-bit key for a service id (FNV-1a, then mixed). */
uint64_t tm_sim_key(const char *id);

/* The draw-th number of the stream (seed, replication, key) as a double in (0, 1). */
double tm_sim_uniform(uint64_t seed, uint64_t replication, uint64_t key, uint64_t draw);

/* The same in two steps, for many draws of one stream: the stream's word once, then each
 * draw from it (tm_sim_uniform(s, r, k, n) == tm_sim_draw(tm_sim_stream(s, r, k), n)). */
uint64_t tm_sim_stream(uint64_t seed, uint64_t replication, uint64_t key);
double tm_sim_draw(uint64_t stream, uint64_t draw);

#endif
