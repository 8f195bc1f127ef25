/* ceiling.c: the maximum-speed envelope of one stop-to-stop segment.
 *
 * The ceiling is the lowest of the speed limits and of every braking curve that ends at a
 * lower limit or at the stop: the fastest the train may be anywhere without overrunning a
 * limit. It is built in one backward sweep from the stop (OSRD's MaxSpeedEnvelope: limits,
 * then braking curves). Braking is at the constant service deceleration b, so each curve is
 * the parabola v^2 = v_t^2 + 2 b (x_t - s) (Wende 2003, p. 37) and the sweep is exact.
 */
#include "run/run.h"

#include <math.h>
#include <stdlib.h>

#define TM_POSITION_EPS 1e-6

double tm_ceiling_speed(const tm_ceiling_piece *p, double brake, double s)
{
    if (!p->braking)
        return p->v;
    double v2 = p->v * p->v + 2.0 * brake * (p->x_anchor - s);
    return v2 > 0.0 ? sqrt(v2) : 0.0;
}

static int push_piece(tm_ceiling *out, tm_ceiling_piece p)
{
    if (p.end - p.start <= TM_POSITION_EPS * 1e-3)
        return 0;
    return tm_vec_push(out, p);
}

/* Reverses the pieces (built from the stop backwards) and joins equal neighbours. */
static void finish(tm_ceiling *out)
{
    for (size_t i = 0, j = out->n ? out->n - 1 : 0; i < j; i++, j--) {
        tm_ceiling_piece t = out->items[i];
        out->items[i] = out->items[j];
        out->items[j] = t;
    }
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++) {
        tm_ceiling_piece *p = &out->items[i];
        if (k > 0) {
            tm_ceiling_piece *q = &out->items[k - 1];
            int same = q->braking == p->braking && q->v == p->v &&
                       (!p->braking || q->x_anchor == p->x_anchor);
            if (same) {
                q->end = p->end;
                continue;
            }
        }
        out->items[k++] = *p;
    }
    out->n = k;
}

int tm_ceiling_build(tm_ceiling *out, const tm_course *c, double from, double to)
{
    out->n = 0;
    double b = c->brake;
    /* The current braking curve, anchored where the envelope is known. */
    double x_anchor = to, v_anchor = 0.0;
    /* Walk the limit pieces that overlap [from, to], last first. */
    size_t i = c->limits.n;
    while (i-- > 0) {
        const tm_limit_piece *lp = &c->limits.items[i];
        double p0 = fmax(lp->start, from), p1 = fmin(lp->end, to);
        if (p1 - p0 <= 0.0)
            continue;
        double V = lp->v;
        /* Where the curve rises to V (the curve grows towards smaller s). */
        double s_meet = x_anchor - (V * V - v_anchor * v_anchor) / (2.0 * b);
        int rc = 0;
        if (s_meet >= p1) {
            rc = push_piece(out, (tm_ceiling_piece){p0, p1, 0, V, 0.0});
            x_anchor = p0;
            v_anchor = V;
        } else if (s_meet <= p0) {
            rc = push_piece(out, (tm_ceiling_piece){p0, p1, 1, v_anchor, x_anchor});
        } else {
            rc = push_piece(out, (tm_ceiling_piece){s_meet, p1, 1, v_anchor, x_anchor});
            if (!rc)
                rc = push_piece(out, (tm_ceiling_piece){p0, s_meet, 0, V, 0.0});
            x_anchor = p0;
            v_anchor = V;
        }
        if (rc)
            return TUMEN_ENOMEM;
    }
    finish(out);
    return TUMEN_OK;
}
