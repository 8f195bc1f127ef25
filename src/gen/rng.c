/* rng.c: xoshiro256** and splitmix64 (public-domain reference algorithms by Blackman and
 * Vigna), and the few distributions the generator draws from. */
#include "gen/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void tm_rng_seed(tm_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

tm_rng tm_rng_fork(tm_rng *r, uint64_t salt)
{
    tm_rng child;
    tm_rng_seed(&child, tm_rng_next(r) ^ (salt * 0xd1342543de82ef95ull));
    return child;
}

uint64_t tm_rng_next(tm_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

long tm_rng_range(tm_rng *r, long lo, long hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1u;
    if (span == 0) /* the whole range of 64 bits */
        return (long)tm_rng_next(r);
    /* Rejection: draw below the largest multiple of span. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    uint64_t x;
    do
        x = tm_rng_next(r);
    while (x >= limit);
    return lo + (long)(x % span);
}

double tm_rng_unit(tm_rng *r)
{
    return (double)(tm_rng_next(r) >> 11) * 0x1.0p-53;
}

double tm_rng_uniform(tm_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * tm_rng_unit(r);
}

int tm_rng_chance(tm_rng *r, double p)
{
    return tm_rng_unit(r) < p;
}

double tm_rng_normalish(tm_rng *r)
{
    /* Var(U) = 1/12, so four uniforms sum to variance 1/3: scale by sqrt(3). */
    double s = -2.0;
    for (int i = 0; i < 4; i++) /* one draw per statement: operand order is unspecified */
        s += tm_rng_unit(r);
    return s * 1.7320508075688772;
}
