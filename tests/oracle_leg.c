/* oracle_leg.c: a journey leg against the oracle (tests/oracle_leg.h). */
#include "oracle_leg.h"

#include <math.h>

/* Index of the first sample of leg `leg` at or beyond journey position x, or with
 * last_standing the last sample of that leg still standing at x. */
static size_t sample_at(const tumen_result *r, size_t leg, double x, int last_standing)
{
    size_t i = 0;
    while (i < r->n_samples && (r->samples[i].leg != (int)leg || r->samples[i].s < x - 1e-6))
        i++;
    if (i >= r->n_samples)
        return r->n_samples - 1;
    while (last_standing && i + 1 < r->n_samples && r->samples[i + 1].leg == (int)leg &&
           r->samples[i + 1].s <= x + 1e-6)
        i++;
    return i;
}

int tm_oracle_leg_compare(const tm_scenario *sc, const tumen_result *r, size_t leg,
                          const tm_oracle_opt *opt, tm_oracle_leg *out)
{
    if (!sc->has_journey || leg >= sc->journey.n_legs || leg >= r->n_legs)
        return -1;
    const tm_leg *l = &sc->journey.legs[leg];
    const tm_line *line = &sc->lines[l->line];
    tm_course c;
    tumen_error err = {0};
    if (tm_course_build(&c, &sc->trains[l->train], line, TUMEN_MASS_POINT, &err) != TUMEN_OK)
        return -1;
    /* The leg's stops on its line (the ends included), as the run stops there. */
    double stops[256];
    size_t n = 0;
    stops[n++] = c.start;
    for (size_t i = 0; i < line->n_points && n + 1 < 256; i++) {
        const tm_point *p = &line->points[i];
        double x = fmin(p->position + (p->rear ? c.train->length : 0.0), c.end);
        if (p->stop && x > stops[n - 1] + 1e-6 && x < c.end - 1e-6)
            stops[n++] = x;
    }
    stops[n++] = c.end;
    double offset = r->legs[leg].start_position;
    *out = (tm_oracle_leg){c.end - c.start, n - 1, 0.0, r->legs[leg].energy, 0.0, 0.0};
    for (size_t i = 0; i + 1 < n; i++) {
        size_t a = sample_at(r, leg, stops[i] - c.start + offset, 1);
        size_t b = sample_at(r, leg, stops[i + 1] - c.start + offset, 0);
        out->moving += r->samples[b].t - r->samples[a].t;
    }
    tm_oracle_result o;
    int rc = tm_oracle_run(&c, stops, n, out->moving, opt, &o);
    tm_course_free(&c);
    if (rc != 0)
        return -1;
    out->optimum = o.energy;
    out->gap = out->energy / o.energy - 1.0;
    return 0;
}
