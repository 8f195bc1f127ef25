/* eco.c: where an energy-saving driver coasts.
 *
 * Eco driving (docs/physics.md, "Allowances and energy-saving driving") runs each range
 * with its speed limits capped at a cruising speed v_c (run/allowance.c finds v_c by
 * bisection) and coasts:
 *
 *  - before every braking point: instead of braking from the cruising speed down a braking
 *    curve, the train coasts and brakes only from the switching speed W (the speed at which
 *    Pontryagin's maximum principle switches the optimal control from coasting to braking,
 *    Howlett & Pudney 1995, ch. 3; derivation in docs/physics.md):
 *        eta r(W) + psi(V) / W = r(V) + psi(V) / V,   psi(V) = V^2 r'(V),
 *    with r the running resistance per train, V the speed held before and eta the fraction
 *    of braking work that comes back as traction energy (traction efficiency times the
 *    regenerative fraction; 0 without regeneration, when W = psi / (r(V) + psi / V));
 *  - before every downgrade on which holding v_c would need the brake: the train coasts
 *    over it and reaches its end at v_c.
 *
 * Where each coasting phase starts follows from a coasting curve integrated backwards (in
 * distance, classical Runge-Kutta) from the point where it must end (the braking curve at
 * W, or the downgrade's end at v_c) until it meets the capped ceiling, as OSRD's MARECO
 * implementation does (OpenRailAssociation/osrd, core/envelope-sim, MarecoAllowance: coasting
 * curves from braking and "accelerating slope" points back to the cruising speed).
 *
 * theta in [0, 1] shortens every coasting phase (W moves to the top of the braking curve,
 * the downgrade coasting starts later); theta = 1 coasts nowhere. It is for allowances too
 * small for full coasting at the highest cruising speed.
 */
#include "physics/physics.h"
#include "run/run.h"

#include <math.h>
#include <stdlib.h>

#define BACK_STEP 25.0   /* m, largest backward coasting step */
#define POS_EPS 1e-6

double tm_eco_switch_speed(const tm_train *tr, double V, double eta)
{
    if (!(V > 0.0))
        return 0.0;
    double h = fmax(1e-3, 1e-4 * V);
    double r_V = tm_train_resistance(tr, V);
    double dr = (tm_train_resistance(tr, V + h) - tm_train_resistance(tr, fmax(V - h, 0.0))) /
                (V + h - fmax(V - h, 0.0));
    double psi = V * V * dr;
    if (!(psi > 0.0))
        return 0.0; /* resistance does not grow with speed: coast to the end */
    double rhs = r_V + psi / V;
    if (eta <= 0.0)
        return fmin(psi / rhs, V);
    if (eta >= 1.0)
        return V;
    /* f(W) = eta r(W) + psi / W - rhs falls from +inf at 0 to (eta - 1) r(V) < 0 at V. */
    double lo = 1e-6 * V, hi = V;
    for (int i = 0; i < 80; i++) {
        double mid = 0.5 * (lo + hi);
        double f = eta * tm_train_resistance(tr, mid) + psi / mid - rhs;
        if (f > 0.0)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

typedef struct back_ctx {
    const tm_course *c;
    const tm_ceiling *ceil;
    const tm_samples *fwd; /* the segment's run without coasting, or NULL */
} back_ctx;

/* dv/ds of a coasting train at (s, v), with the forces of interval fi. */
static double dvds(const back_ctx *x, size_t fi, double s, double v)
{
    const tm_force_interval *f = &x->c->forces.items[fi];
    const tm_train *tr = x->c->train;
    double a = tm_train_acceleration(tr, 0.0, tm_train_resistance(tr, v),
                                     tm_train_grade_force(tr, f->w0 + f->w1 * (s - f->start)));
    return a / fmax(v, 0.05);
}

/* One RK4 step of length ds (negative: backwards) on dv/ds. */
static double rk4_back(const back_ctx *x, size_t fi, double s, double v, double ds)
{
    double k1 = dvds(x, fi, s, v);
    double k2 = dvds(x, fi, s + 0.5 * ds, v + 0.5 * ds * k1);
    double k3 = dvds(x, fi, s + 0.5 * ds, v + 0.5 * ds * k2);
    double k4 = dvds(x, fi, s + ds, v + ds * k3);
    return v + ds / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
}

static double ceiling_at(const back_ctx *x, double s)
{
    const tm_ceiling *cl = x->ceil;
    size_t lo = 0, hi = cl->n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (cl->items[mid].start <= s)
            lo = mid;
        else
            hi = mid;
    }
    return tm_ceiling_speed(&cl->items[lo], x->c->brake, s);
}

/* The speed of the run without coasting at s (linear between its samples), or the
 * ceiling's when there is none. */
static double forward_at(const back_ctx *x, double s)
{
    const tm_samples *f = x->fwd;
    if (!f || f->n == 0)
        return ceiling_at(x, s);
    size_t lo = 0, hi = f->n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (f->items[mid].s <= s)
            lo = mid;
        else
            hi = mid;
    }
    const tumen_sample *a = &f->items[lo];
    if (lo + 1 >= f->n || f->items[lo + 1].s <= a->s)
        return a->v;
    const tumen_sample *b = &f->items[lo + 1];
    if (b->mode == TUMEN_MODE_BRAKE)
        return ceiling_at(x, s); /* one sample per braking curve: the curve is exact */
    return a->v + (b->v - a->v) * (s - a->s) / (b->s - a->s);
}

/* Integrates a coasting curve backwards from (s0, v0) until it meets the run without
 * coasting (the acceleration curve, the cruise, or the ceiling), falls
 * below v_floor, or reaches from or the end of an earlier braking curve (a descent before
 * is coasted into by its own coasting phase: the phases then join continuously as the
 * parameters change). Returns where the coasting starts. */
static double coast_back(const back_ctx *x, double s0, double v0, double from, double v_floor)
{
    double s = s0, v = v0;
    for (size_t i = 0; i < x->ceil->n; i++) {
        const tm_ceiling_piece *p = &x->ceil->items[i];
        if (p->start >= s0 - POS_EPS)
            break;
        if (p->braking && p->end < s0 - POS_EPS)
            from = fmax(from, p->end);
    }
    size_t fi = tm_course_force_index(x->c, s0 - POS_EPS, 0);
    while (s > from + POS_EPS) {
        const tm_force_interval *f = &x->c->forces.items[fi];
        while (fi > 0 && s <= f->start + POS_EPS)
            f = &x->c->forces.items[--fi];
        double lim = fmax(f->start, from);
        double ds = -fmin(BACK_STEP, s - lim);
        double vn = rk4_back(x, fi, s, v, ds);
        double sn = s + ds;
        if (vn >= forward_at(x, sn) || vn < v_floor) {
            /* Bisect the step for the crossing. */
            double a = 0.0, b = ds;
            for (int i = 0; i < 30; i++) {
                double m = 0.5 * (a + b), vm = rk4_back(x, fi, s, v, m);
                if (vm >= forward_at(x, s + m) || vm < v_floor)
                    b = m;
                else
                    a = m;
            }
            return s + b;
        }
        s = sn;
        v = vn;
    }
    return from;
}

static int add_region(tm_coast_vec *out, double a, double b, double v_min)
{
    if (b - a <= 1e-3)
        return TUMEN_OK;
    tm_coast_region r = {a, b, v_min};
    return tm_vec_push(out, r) ? TUMEN_ENOMEM : TUMEN_OK;
}

static int cmp_region(const void *a, const void *b)
{
    double x = ((const tm_coast_region *)a)->start, y = ((const tm_coast_region *)b)->start;
    return (x > y) - (x < y);
}

/* Sorts and joins overlapping regions (keeping the lower v_min). */
static void merge_regions(tm_coast_vec *v)
{
    if (v->n < 2)
        return;
    qsort(v->items, v->n, sizeof *v->items, cmp_region);
    size_t k = 0;
    for (size_t i = 1; i < v->n; i++) {
        tm_coast_region *last = &v->items[k], *r = &v->items[i];
        if (r->start <= last->end + POS_EPS) {
            last->end = fmax(last->end, r->end);
            last->v_min = fmin(last->v_min, r->v_min);
        } else {
            v->items[++k] = *r;
        }
    }
    v->n = k + 1;
}

int tm_eco_coast_regions(tm_coast_vec *out, const tm_course *c, const tm_ceiling *ceil,
                         const tm_samples *forward, double from, double to,
                         const double *theta_of_range, const double *range_ends,
                         size_t n_ranges, double eta)
{
    out->n = 0;
    const tm_train *tr = c->train;
    back_ctx x = {c, ceil, forward};
    double b = c->brake;
    size_t r = 0;
    /* Braking points. */
    for (size_t i = 0; i < ceil->n; i++) {
        const tm_ceiling_piece *p = &ceil->items[i];
        if (!p->braking)
            continue;
        double v_top = tm_ceiling_speed(p, b, p->start), v_bot = tm_ceiling_speed(p, b, p->end);
        if (v_top <= v_bot + 1e-6)
            continue;
        while (r + 1 < n_ranges && p->start >= range_ends[r] - POS_EPS)
            r++;
        double theta = theta_of_range[r];
        double W = tm_eco_switch_speed(tr, v_top, eta);
        W = W + theta * (v_top - W);
        double w_eff = fmax(W, v_bot);
        if (w_eff >= v_top - 1e-6)
            continue;
        double s_b = p->x_anchor - (w_eff * w_eff - p->v * p->v) / (2.0 * b);
        s_b = fmin(fmax(s_b, p->start), p->end);
        double s_c = coast_back(&x, s_b, w_eff, from, 0.2 * v_top);
        if (add_region(out, s_c, s_b, fmax(0.5, 0.15 * v_top)) != TUMEN_OK)
            return TUMEN_ENOMEM;
    }
    /* Downgrades where holding the ceiling's constant speed needs the brake. */
    size_t k = 0;
    r = 0;
    for (size_t fi = tm_course_force_index(c, from, 0); fi < c->forces.n; fi++) {
        const tm_force_interval *f = &c->forces.items[fi];
        if (f->start >= to - POS_EPS)
            break;
        double d0 = fmax(f->start, from), d1 = fmin(f->end, to);
        while (k + 1 < ceil->n && ceil->items[k].end <= d0 + POS_EPS)
            k++;
        const tm_ceiling_piece *p = &ceil->items[k];
        if (p->braking)
            continue;
        double V = p->v, R = tm_train_resistance(tr, V);
        double w_min = fmin(f->w0, f->w0 + f->w1 * (f->end - f->start));
        if (!(R + tm_train_grade_force(tr, w_min) < 0.0))
            continue;
        /* Extend over following accelerating intervals under the same constant piece. */
        size_t fj = fi;
        while (fj + 1 < c->forces.n) {
            const tm_force_interval *g = &c->forces.items[fj + 1];
            double wg = fmin(g->w0, g->w0 + g->w1 * (g->end - g->start));
            if (g->start >= fmin(to, p->end) - POS_EPS || !(R + tm_train_grade_force(tr, wg) < 0.0))
                break;
            fj++;
        }
        d1 = fmin(fmin(c->forces.items[fj].end, to), p->end);
        while (r + 1 < n_ranges && d0 >= range_ends[r] - POS_EPS)
            r++;
        double s_c = coast_back(&x, d1, V, from, 0.3 * V);
        s_c = s_c + theta_of_range[r] * (d1 - s_c);
        if (add_region(out, s_c, d1, fmax(0.5, 0.3 * V)) != TUMEN_OK)
            return TUMEN_ENOMEM;
        fi = fj;
    }
    merge_regions(out);
    return TUMEN_OK;
}
