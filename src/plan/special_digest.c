/* special_digest.c: a digest of a special plan, to show that a change to the planner left
 * its plans as they were (bench/bench_special.c prints it; tests compare it).
 *
 * FNV-1a (Fowler, Noll, Vo; 64-bit offset basis and prime from the published parameters)
 * over what a planner reads from the result: whether there is a plan and whether it meets
 * the request, the convoy's calls (operational point, arrival, departure, stop), the other
 * trains' changes, the cost and its bound. Times enter as whole milliseconds, so a
 * difference in the last bits of a double (an addition done in another order) does not
 * count as a different plan, while a second does.
 */
#include "plan/special_plan.h"

#include <math.h>

#define FNV_PRIME 0x100000001b3ull

static uint64_t mix(uint64_t h, uint64_t v)
{
    for (int b = 0; b < 8; b++) {
        h ^= (v >> (8 * b)) & 0xffu;
        h *= FNV_PRIME;
    }
    return h;
}

static uint64_t mix_time(uint64_t h, double t)
{
    if (!isfinite(t))
        return mix(h, isnan(t) ? 1u : t > 0 ? 2u : 3u);
    return mix(h, (uint64_t)llround(t * 1e3));
}

uint64_t tm_special_digest(const tm_special_result *r, uint64_t h)
{
    h = mix(h, (uint64_t)r->infeasible);
    h = mix(h, (uint64_t)r->has_plan);
    if (!r->has_plan)
        return h;
    h = mix_time(h, r->departure);
    h = mix_time(h, r->arrival);
    for (int w = 0; w < 3; w++) {
        if (!r->present[w])
            continue;
        const tm_special_run *run = &r->runs[w];
        h = mix(h, run->n_calls);
        for (size_t q = 0; q < run->n_calls; q++) {
            h = mix(h, run->calls[q].op);
            h = mix_time(h, run->calls[q].arrival);
            h = mix_time(h, run->calls[q].departure);
            h = mix(h, (uint64_t)run->calls[q].stop);
        }
    }
    h = mix(h, r->n_changes);
    for (size_t q = 0; q < r->n_changes; q++) {
        const tm_special_change *c = &r->changes[q];
        h = mix(h, c->service);
        h = mix(h, (uint64_t)c->cancelled);
        h = mix(h, c->op);
        h = mix_time(h, c->delay);
    }
    if (r->mode == TM_SPECIAL_PRIORITY) {
        h = mix_time(h, r->cost);
        h = mix(h, (uint64_t)r->exact);
    }
    return h;
}
