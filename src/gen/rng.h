/* rng.h: the generator's own pseudo-random numbers: xoshiro256** seeded by splitmix64
 * (Blackman and Vigna, https://prng.di.unimi.it/). Integer arithmetic only, so a seed gives
 * the same stream on every machine; the double helpers use only exact operations. */
#ifndef TM_GEN_RNG_H
#define TM_GEN_RNG_H

#include <stdint.h>

typedef struct tm_rng {
    uint64_t s[4];
} tm_rng;

/* Seeds the state from one 64-bit value (splitmix64 expands it). */
void tm_rng_seed(tm_rng *r, uint64_t seed);

/* A new stream for one purpose: seeded from r's next output mixed with salt, so adding
 * draws to one part of the generator does not shift another's. */
tm_rng tm_rng_fork(tm_rng *r, uint64_t salt);

/* The next 64 random bits. */
uint64_t tm_rng_next(tm_rng *r);

/* Uniform integer in [lo, hi] (inclusive; hi >= lo), without modulo bias. */
long tm_rng_range(tm_rng *r, long lo, long hi);

/* Uniform double in [0, 1) with 53 random bits. */
double tm_rng_unit(tm_rng *r);

/* Uniform double in [lo, hi). */
double tm_rng_uniform(tm_rng *r, double lo, double hi);

/* 1 with probability p, else 0. */
int tm_rng_chance(tm_rng *r, double p);

/* Approximately standard normal: the sum of four uniforms, centred and scaled to unit
 * variance (within +-3.46); no transcendental functions, so bit-exact everywhere. */
double tm_rng_normalish(tm_rng *r);

#endif
