/* random.c: counter-based random numbers (sim/random.h). */
#include "sim/random.h"

uint64_t tm_mix64(uint64_t z)
{
    /* splitmix64 (Steele, Lea & Flood 2014; the constants of Vigna's reference code). */
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t tm_sim_key(const char *id)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return tm_mix64(h);
}

uint64_t tm_sim_stream(uint64_t seed, uint64_t replication, uint64_t key)
{
    return tm_mix64(tm_mix64(tm_mix64(seed) ^ replication) ^ key);
}

double tm_sim_draw(uint64_t stream, uint64_t draw)
{
    uint64_t z = tm_mix64(stream ^ draw);
    /* 53 random bits, centred in their cell: never 0, never 1. */
    return ((double)(z >> 11) + 0.5) * 0x1.0p-53;
}

double tm_sim_uniform(uint64_t seed, uint64_t replication, uint64_t key, uint64_t draw)
{
    return tm_sim_draw(tm_sim_stream(seed, replication, key), draw);
}
