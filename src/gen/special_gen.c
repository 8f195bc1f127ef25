/* special_gen.c: random special-train requests (gen/special_gen.h). */
#include "gen/special_gen.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* An operational point with loops, drawn from rng, other than `not`. */
static size_t op_with_loops(const tm_network *net, tm_rng *rng, size_t not)
{
    size_t a;
    do
        a = (size_t)tm_rng_range(rng, 0, (long)net->n_ops - 1);
    while (a == not || net->ops[a].n_loops == 0);
    return a;
}

void tm_gen_special_request(const tm_scenario *sc, tm_rng *rng, tm_special_spec *sp)
{
    memset(sp, 0, sizeof *sp);
    snprintf(sp->id, sizeof sp->id, "bench");
    snprintf(sp->file, sizeof sp->file, "bench");
    tm_special_train *t[3] = {&sp->pilot, &sp->special, &sp->escort};
    for (int w = 0; w < 3; w++) {
        snprintf(t[w]->train, sizeof t[w]->train, "regional_dmu");
        t[w]->present = 1;
    }
    sp->pilot.offset = 420.0;
    sp->escort.offset = 300.0;
    size_t a = op_with_loops(&sc->network, rng, (size_t)-1);
    size_t b = op_with_loops(&sc->network, rng, a);
    snprintf(sp->from, sizeof sp->from, "%s", sc->network.ops[a].id);
    snprintf(sp->to, sizeof sp->to, "%s", sc->network.ops[b].id);
    sp->earliest = 4 * 3600.0 + (double)tm_rng_range(rng, 0, 12 * 3600);
    sp->latest = INFINITY;
    sp->margin_time = 120.0;
    sp->opposing_margin = 300.0;
    sp->station_margin = 300.0;
    /* assumed: a passenger train's minute of delay weighs 5, a freight train's 1, another's
     * 10; cancelling one weighs 600, 120, 1200 */
    static const double delay[3] = {5.0, 1.0, 10.0}, cancel[3] = {600.0, 120.0, 1200.0};
    for (int c = 0; c < 3; c++) {
        sp->delay_cost[c] = delay[c] / 60.0;
        sp->cancel_cost[c] = cancel[c];
    }
}
