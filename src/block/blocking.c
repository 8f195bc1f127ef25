/* blocking.c: blocking-time stairs of one train, from its trajectory. */
#include "block/blocking.h"

#include <math.h>

void tm_blocking_params_default(tm_blocking_params *p)
{
    /* Typical values, assumed (docs/physics.md, "Blocking times"): relay or electronic
     * interlocking route setting, a driver's sight and reaction time, an overlap beyond the
     * exit signal and the release of the section. */
    p->setup = 12.0;
    p->sight_reaction = 12.0;
    p->approach = 0.0;
    p->overlap = 100.0;
    p->release = 6.0;
    p->approach_extra = 0.0;
}

/* Index of the first sample with s >= x, or n. */
static size_t first_at_or_beyond(const tumen_sample *smp, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (smp[mid].s < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* first_at_or_beyond, searched from a guess: steps out from *hint by doubling strides
 * until x is bracketed, then halves the bracket (the same index as the search over them all,
 * in a few steps when x is near the last one found, as it is for the blocks of one train in
 * order); *hint receives the index found. */
static size_t first_at_or_beyond_near(const tumen_sample *smp, size_t n, double x, size_t *hint)
{
    size_t lo = 0, hi = n, h = *hint < n ? *hint : n - 1;
    if (smp[h].s < x) { /* the answer lies beyond h */
        lo = h + 1;
        for (size_t step = 1; lo < n && smp[lo].s < x; step *= 2) {
            h = lo;
            lo = h + step < n ? h + step : n;
        }
        /* smp[h].s < x, and lo == n or smp[lo].s >= x */
        hi = lo;
        lo = h + 1;
    } else { /* the answer is h or before it */
        hi = h;
        for (size_t step = 1; hi > 0 && smp[hi - 1].s >= x; step *= 2)
            hi = hi > step ? hi - step : 0;
        /* hi == 0 or smp[hi - 1].s < x; the answer lies in [hi, h] */
        lo = hi;
        hi = h;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (smp[mid].s < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    *hint = lo;
    return lo;
}

/* tm_trajectory_time_at with the first sample at or beyond x given (i). */
static double time_at_index(const tumen_sample *smp, size_t n, size_t i, double x)
{
    if (i == 0)
        return smp[0].t;
    if (i == n)
        return smp[n - 1].t;
    if (smp[i].s == x) /* timing points and stops have samples exactly there */
        return smp[i].t;
    const tumen_sample *a = &smp[i - 1], *b = &smp[i];
    double h = b->t - a->t, ds = b->s - a->s;
    if (h <= 0.0 || ds <= 0.0)
        return b->t;
    /* Cubic Hermite s(u), u in [0, 1], through (a.s, a.v h) and (b.s, b.v h); s is
     * monotone here. Newton's method from the linear guess, kept inside a bracket that
     * bisection shrinks whenever a Newton step would leave it: a few steps reach machine
     * precision. Relative to the step's start, so large positions lose no digits. */
    double p1 = h * a->v, p2 = h * b->v, target = x - a->s;
    double lo = 0.0, hi = 1.0, u = target / ds;
    for (int it = 0; it < 60; it++) {
        double u2 = u * u, u3 = u2 * u;
        double f = (u3 - 2 * u2 + u) * p1 + (-2 * u3 + 3 * u2) * ds + (u3 - u2) * p2 - target;
        if (f < 0.0)
            lo = u;
        else
            hi = u;
        if (fabs(f) <= 1e-12 * (1.0 + ds) || hi - lo <= 1e-15)
            break;
        double df = (3 * u2 - 4 * u + 1) * p1 + (-6 * u2 + 6 * u) * ds + (3 * u2 - 2 * u) * p2;
        double next = df > 0.0 ? u - f / df : 0.5 * (lo + hi);
        u = next > lo && next < hi ? next : 0.5 * (lo + hi);
    }
    return a->t + u * h;
}

double tm_trajectory_time_at(const tumen_sample *smp, size_t n, double x)
{
    if (n == 0)
        return 0.0;
    return time_at_index(smp, n, first_at_or_beyond(smp, n, x), x);
}

/* tm_trajectory_time_at searched from *hint (first_at_or_beyond_near). */
static double time_at_near(const tumen_sample *smp, size_t n, double x, size_t *hint)
{
    if (n == 0)
        return 0.0;
    return time_at_index(smp, n, first_at_or_beyond_near(smp, n, x, hint), x);
}

/* The last stand from sample i on, up to position to. */
static double last_stand_from(const tumen_sample *smp, size_t n, size_t i, double to)
{
    double t = -INFINITY;
    for (; i < n && smp[i].s <= to; i++)
        if (smp[i].v == 0.0)
            t = smp[i].t;
    return t;
}

double tm_trajectory_last_stand(const tumen_sample *smp, size_t n, double from, double to)
{
    return last_stand_from(smp, n, first_at_or_beyond(smp, n, from), to);
}

/* A block section between two signals: not a single-track section held in one direction
 * (direction != 0) nor a station track (its own approach). */
static int plain(const tm_block_section *b)
{
    return b->direction == 0 && b->approach <= 0.0;
}

/* The signal spacing in front of blocks[k] (ascending by start): the length of the plain
 * block that ends where it begins (its entry signal is then that block's exit signal, and
 * the block's own entry signal is the distant signal); at the start of the journey, the
 * length of the plain block that begins there (blocks[k] itself, or for a single-track
 * section the first block of its track); else blocks[k]'s own length. */
static double signal_spacing(const tm_block_section *blocks, size_t n_blocks, size_t k)
{
    const tm_block_section *b = &blocks[k];
    const double eps = 1e-3;
    for (size_t j = k; j-- > 0;)
        if (plain(&blocks[j]) && fabs(blocks[j].end - b->start) < eps)
            return blocks[j].end - blocks[j].start;
    for (size_t j = k; j-- > 0 && blocks[j].start > b->start - eps;)
        if (plain(&blocks[j]))
            return blocks[j].end - blocks[j].start;
    for (size_t j = k; j < n_blocks && blocks[j].start < b->start + eps; j++)
        if (plain(&blocks[j]))
            return blocks[j].end - blocks[j].start;
    return b->end - b->start;
}

void tm_blocking_stairs(const tumen_sample *smp, size_t n, double L,
                        const tm_block_section *blocks, size_t n_blocks,
                        const tm_blocking_params *p, size_t train, tm_occupation *out)
{
    tm_blocking_stairs_from(smp, n, L, blocks, n_blocks, p, train, out, 0);
}

void tm_blocking_stairs_from(const tumen_sample *smp, size_t n, double L,
                             const tm_block_section *blocks, size_t n_blocks,
                             const tm_blocking_params *p, size_t train, tm_occupation *out,
                             size_t first)
{
    double journey_start = n ? smp[0].s : 0.0, journey_end = n ? smp[n - 1].s : 0.0;
    /* The blocks ascend, so each search starts where the last one of its kind ended. */
    size_t sight = 0, clear = 0;
    for (size_t k = first; k < n_blocks; k++) {
        const tm_block_section *b = &blocks[k];
        double approach = b->approach > 0.0   ? b->approach
                          : p->approach > 0.0 ? p->approach
                                              : signal_spacing(blocks, n_blocks, k);
        approach += p->approach_extra;
        /* The driver must see the approach signal here; a train that starts or stops
         * between that point and the entry signal needs the block from its departure. */
        double x_sight = fmax(journey_start, b->start - approach);
        double t_sight = time_at_near(smp, n, x_sight, &sight);
        double t_stand = n ? last_stand_from(smp, n, sight, b->start) : -INFINITY;
        double t_need = fmax(t_sight, t_stand);
        /* Cleared: the tail has passed the exit signal and the overlap. */
        double x_clear = b->clear_at_end ? b->end : b->end + p->overlap + L;
        double t_clear = x_clear > journey_end ? smp[n - 1].t
                                               : time_at_near(smp, n, x_clear, &clear);
        out[k].resource = b->resource;
        out[k].train = train;
        out[k].direction = b->direction;
        out[k].start = t_need - p->sight_reaction - p->setup;
        out[k].end = t_clear + p->release;
    }
}
