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

/* The last sample of f at or before s (f not empty). */
static size_t forward_index(const tm_samples *f, double s)
{
    size_t lo = 0, hi = f->n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (f->items[mid].s <= s)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static double forward_near(const back_ctx *x, double s, size_t *hint);
static int steep_kind(const back_ctx *x, const tm_force_interval *f, double V, int climbs);

/* The speed of the run without coasting at s (linear between its samples), or the
 * ceiling's when there is none. */
static double forward_at(const back_ctx *x, double s)
{
    return forward_near(x, s, NULL);
}

/* forward_at, with *hint (when given) a sample index at or before s, walked forward (a
 * phase integrated forwards asks at increasing s). */
static double forward_near(const back_ctx *x, double s, size_t *hint)
{
    const tm_samples *f = x->fwd;
    if (!f || f->n == 0)
        return ceiling_at(x, s);
    size_t lo;
    if (hint && *hint < f->n && f->items[*hint].s <= s) {
        lo = *hint;
        while (lo + 1 < f->n && f->items[lo + 1].s <= s)
            lo++;
        *hint = lo;
    } else {
        lo = forward_index(f, s);
        if (hint)
            *hint = lo;
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
 * parameters change). through: not stopped at an earlier braking curve, for the coasting
 * into a stop: the optimum coasts under the lower limits ahead of the stop, from where
 * the curve meets the run at the cruising speed (TTOBench's second segment: from about
 * 104 km/h before the last climb, under the 90 and 80 km/h limits, into the stop; stopped
 * at the 80 km/h limit's braking curve, the train cruised up the climb and braked from
 * 64 km/h, 17-18 % above the optimum). v_crest > 0: also stopped at the crest before a
 * descent on which coasting at v_crest accelerates (below). *floored (when given): 1 when it
 * stopped at v_floor. Returns where the coasting starts. */
static double coast_back(const back_ctx *x, double s0, double v0, double from, double v_floor,
                         int through, double v_crest, int *floored)
{
    if (floored)
        *floored = 0;
    double s = s0, v = v0;
    int descending = 0;
    for (size_t i = 0; i < x->ceil->n; i++) {
        const tm_ceiling_piece *p = &x->ceil->items[i];
        if (p->start >= s0 - POS_EPS)
            break;
        if (p->braking && p->end < s0 - POS_EPS && !through)
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
        /* v_crest > 0: not back over a crest before a descent on which coasting at v_crest
         * accelerates: that descent gets its own phase (run/eco.c, the steep stretches),
         * which coasts over the crest at the speed the descent's cost sets (the flagship's
         * leg 2, km 255-264, read from the oracle's run: the curve from the 40 km/h limit
         * ahead, run back up the descent and over the crest, passed it at 16 km/h, the
         * optimum at 45 km/h). */
        if (v_crest > 0.0) {
            if (vn < v - 1e-9 && steep_kind(x, f, v_crest, 0) < 0)
                descending = 1;
            else if (descending && vn > v + 1e-9)
                return s;
        }
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
            if (floored)
                *floored = vn < v_floor;
            return s + b;
        }
        s = sn;
        v = vn;
    }
    return from;
}

/* ---- Steep sections: where a phase leaves speed holding, by the adjoint ------------------
 *
 * Pontryagin's maximum principle in distance (Howlett, Pudney & Vu 2009, "Local energy
 * minimization in optimal train control", Automatica 45; Albrecht et al. 2016, part 1): per
 * unit (effective) mass, with u the traction force, r(v) the resistance, g(s) the gradient
 * force, the cost  J = int u+ ds + lambda int ds / v  has the Hamiltonian
 *     H = u + lambda / v + p (u - r(v) - g(s)) / v,
 * the switching function theta = -p / v (full power while theta > 1, hold at theta = 1,
 * coast for 0 < theta < 1, brake below 0) and the adjoint equation
 *     dp/ds = -dH/dv = lambda / v^2 + p r'(v) / v + p (u - r - g) / v^2 - (1 + p / v) u'(v).
 * Holding V needs dp/ds = 0 at p = -V: lambda = V^2 r'(V) (psi(V), the price of time that
 * belongs to the cruising speed V). A steep descent (coasting at V accelerates) is taken by
 * coasting from a point a before it, where the train holds V (or is still accelerating
 * towards it), to the point b after it where the speed is V again; a steep climb (full power
 * at V decelerates) by full power from a before it to b after it. The optimal a is the one
 * at which the phase ends with theta(b) = 1 again, so that holding can resume (the local
 * energy-balance condition of Howlett, Pudney & Vu): found by bisection on a, integrating
 * speed and adjoint together (Heun's method, SHOOT_STEP). The speed limit caps the speed on
 * the way (held there by the brake, or by partial power). */
#define SHOOT_STEP 25.0   /* m */
#define SHOOT_REACH 6000.0 /* m, furthest a phase starts before its steep stretch */

typedef struct shoot {
    const back_ctx *x;
    const tm_course *line; /* the limits without the cruising speed's cap */
    double V, lambda, floor, d0, d1, to;
    int power; /* 1: a climb taken at full power, 0: a descent coasted */
    int departing; /* 1: also phases that start on the acceleration from standstill, and
                    * phases that run into the coasting before the next braking curve */
    double b;  /* where the last shot's phase ended */
} shoot;

static double grade_acc(const back_ctx *x, double s, size_t *fi)
{
    *fi = tm_course_force_index(x->c, s, *fi);
    const tm_force_interval *f = &x->c->forces.items[*fi];
    return tm_train_grade_force(x->c->train, f->w0 + f->w1 * (s - f->start)) / x->c->train->effective_mass;
}

/* dv/ds and dp/ds of the phase at (s, v, p); held: at the speed limit. */
static void shoot_rates(const shoot *sh, double s, double v, double p, int held, size_t *fi,
                        double *dv, double *dp)
{
    const tm_train *tr = sh->x->c->train;
    double m = sh->x->c->train->effective_mass, h = 1e-3 * fmax(v, 1.0);
    double r = tm_train_resistance(tr, v) / m;
    double dr = (tm_train_resistance(tr, v + h) - tm_train_resistance(tr, v - h)) / (2 * h * m);
    double u = 0.0, du = 0.0;
    if (sh->power) {
        u = tm_train_effort(tr, v) / m;
        du = (tm_train_effort(tr, v + h) - tm_train_effort(tr, v - h)) / (2 * h * m);
    }
    double net = u - r - grade_acc(sh->x, s, fi);
    if (held) {
        /* At the limit the force is whatever holds it: no net force, no u'(v) term. */
        net = 0.0;
        du = 0.0;
    }
    *dv = net / v;
    *dp = sh->lambda / (v * v) + p * dr / v + p * net / (v * v) - (1.0 + p / v) * du;
}

/* theta - 1 at the end of the phase started at a; NAN when it cannot end before sh->to or
 * leaves the limit's reach; -INFINITY / +INFINITY when the speed falls below the floor (a
 * descent: coasting too early; a climb: the train stalls). */
static double shoot_from(shoot *sh, double a)
{
    double s = a, v = fmin(sh->V, forward_at(sh->x, a)), p;
    if (!(v > sh->floor))
        return NAN;
    p = -v;
    size_t fi = tm_course_force_index(sh->x->c, a, 0);
    while (s < sh->to - POS_EPS) {
        double ds = fmin(SHOOT_STEP, sh->to - s), vl = tm_course_limit_at(sh->line, s);
        int held = v >= vl - 1e-9;
        double k1v, k1p, k2v, k2p;
        shoot_rates(sh, s, v, p, held, &fi, &k1v, &k1p);
        double v1 = v + ds * k1v;
        if (!(v1 > sh->floor))
            return sh->power ? INFINITY : -INFINITY;
        shoot_rates(sh, s + ds, fmin(v1, vl), p + ds * k1p, held, &fi, &k2v, &k2p);
        v = fmin(v + 0.5 * ds * (k1v + k2v), tm_course_limit_at(sh->line, s + ds));
        p += 0.5 * ds * (k1p + k2p);
        s += ds;
        if (!(v > sh->floor))
            return sh->power ? INFINITY : -INFINITY;
        /* The phase ends where the speed is back at V past the steep stretch, or where the
         * coasting before the next braking curve takes over. */
        if ((s >= sh->d1 - POS_EPS && (sh->power ? v >= sh->V : v <= sh->V)) ||
            (sh->departing && s >= sh->to - POS_EPS)) {
            sh->b = s;
            return -p / v - 1.0;
        }
    }
    return NAN;
}

/* The start a in [lo, d0] of the phase over [d0, d1] and its end *b; returns 0, or -1 when
 * the phase cannot be set this way. */
static int shoot_phase(shoot *sh, double lo, double *a, double *b)
{
    double hi = sh->d0;
    /* From standstill: start where the train has some speed (or, with departing off, keep
     * the MARECO rule for a descent right after a departure). */
    while (sh->departing && lo < hi && !(forward_at(sh->x, lo) > 1.5 * sh->floor))
        lo = fmin(hi, lo + 25.0);
    double f_hi = shoot_from(sh, hi), b_hi = sh->b;
    double f_lo = shoot_from(sh, lo), b_lo = sh->b;
    if (isnan(f_hi) || isnan(f_lo))
        return -1;
    if ((f_lo > 0.0) == (f_hi > 0.0)) {
        /* No sign change: the phase is best as long, or as short, as it can be. */
        int use_lo = fabs(f_lo) < fabs(f_hi);
        *a = use_lo ? lo : hi;
        *b = use_lo ? b_lo : b_hi;
        return isfinite(use_lo ? f_lo : f_hi) ? 0 : -1;
    }
    for (int it = 0; it < 16 && hi - lo > 2.0; it++) {
        double mid = 0.5 * (lo + hi), f = shoot_from(sh, mid);
        if (isnan(f))
            return -1;
        if ((f > 0.0) == (f_lo > 0.0)) {
            lo = mid;
            f_lo = f;
            b_lo = sh->b;
        } else {
            hi = mid;
            f_hi = f;
            b_hi = sh->b;
        }
    }
    *a = hi;
    *b = b_hi;
    return 0;
}

/* theta - 1 where the coasting that ends in braking at (s_b, v_b) begins: integrated back
 * from theta = eta at the brake (braking starts where its own switching function, theta less
 * the recovered fraction eta, changes sign) until it meets the run without coasting; *s_c
 * receives that point. NAN when it does not meet it after from. */
static double stop_residual(shoot *sh, double s_b, double v_b, double eta, double from,
                            double *s_c)
{
    double s = s_b, v = v_b, p = -eta * v_b;
    size_t fi = tm_course_force_index(sh->x->c, s_b - POS_EPS, 0);
    while (s > from + POS_EPS) {
        double ds = -fmin(SHOOT_STEP, s - from), k1v, k1p, k2v, k2p;
        shoot_rates(sh, s, v, p, 0, &fi, &k1v, &k1p);
        double v1 = v + ds * k1v;
        if (!(v1 > sh->floor))
            return NAN;
        shoot_rates(sh, s + ds, v1, p + ds * k1p, 0, &fi, &k2v, &k2p);
        double vn = v + 0.5 * ds * (k1v + k2v), pn = p + 0.5 * ds * (k1p + k2p);
        if (!(vn > sh->floor))
            return NAN;
        double fw = forward_at(sh->x, s + ds);
        if (vn >= fw) {
            /* Linear crossing inside the step. */
            double f0 = forward_at(sh->x, s), d0 = f0 - v, d1 = fw - vn;
            double u = d0 - d1 != 0.0 ? fmin(fmax(d0 / (d0 - d1), 0.0), 1.0) : 1.0;
            *s_c = s + u * ds;
            double vc = v + u * (vn - v), pc = p + u * (pn - p);
            return -pc / vc - 1.0;
        }
        s += ds;
        v = vn;
        p = pn;
    }
    return NAN;
}

/* The switching speed before the braking curve p by the adjoint over the grades: W in
 * [v_lo, v_top] such that the coasting phase begins at theta = 1. Returns NAN when it cannot
 * be set this way (the caller then uses the level-track W). */
static double stop_switch(const back_ctx *x, const tm_ceiling_piece *p, double v_top,
                          double v_lo, double eta, double from)
{
    const tm_train *tr = x->c->train;
    double h = 1e-3 * v_top;
    double dr = (tm_train_resistance(tr, v_top + h) - tm_train_resistance(tr, v_top - h)) /
                (2.0 * h);
    shoot sh = {x, x->c, v_top, v_top * v_top * dr / x->c->train->effective_mass, 0.1 * v_top, 0, 0, 0, 0, 0,
                0};
    double b = x->c->brake, s_c;
#define S_AT(W) fmin(fmax(p->x_anchor - ((W) * (W) - p->v * p->v) / (2.0 * b), p->start), p->end)
    double lo = v_lo, hi = v_top;
    double f_lo = stop_residual(&sh, S_AT(lo), lo, eta, from, &s_c);
    if (!(f_lo > 0.0))
        return NAN; /* even the longest coasting begins below theta = 1 */
    for (int it = 0; it < 30 && hi - lo > 1e-3; it++) {
        double mid = 0.5 * (lo + hi), f = stop_residual(&sh, S_AT(mid), mid, eta, from, &s_c);
        if (isnan(f))
            return NAN;
        if (f > 0.0)
            lo = mid;
        else
            hi = mid;
    }
#undef S_AT
    return 0.5 * (lo + hi);
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

/* Time (s) and traction energy (J) of the run without coasting at s (linear between its
 * samples); 0 when there is none. */
static void forward_te(const back_ctx *x, double s, double *t, double *e)
{
    const tm_samples *f = x->fwd;
    *t = *e = 0.0;
    if (!f || f->n == 0)
        return;
    size_t lo = forward_index(f, s);
    const tumen_sample *a = &f->items[lo], *b = lo + 1 < f->n ? &f->items[lo + 1] : a;
    double u = b->s > a->s ? fmin(fmax((s - a->s) / (b->s - a->s), 0.0), 1.0) : 0.0;
    *t = a->t + u * (b->t - a->t) - f->items[0].t;
    *e = a->energy + u * (b->energy - a->energy) - f->items[0].energy;
}

/* A steep descent from the departure, [from, d1], whose held speed V is reached on it: the
 * optimum powers only part of the way to V on the acceleration from standstill, coasts
 * down the descent and holds V (at its limit) once it gets there (generated line 2: full
 * power to about 60 km/h, coasting to the 80 km/h limit). The junction with the held arc at
 * the limit is not one where theta = 1 (holding there needs the brake), so the switch a is
 * chosen directly by the cost the adjoint prices (Pontryagin, docs/physics.md):
 *     J(a) = E(a) + lambda T(a),   lambda = v_c^2 r'(v_c),
 * with E the traction work up to a, T the time to d1 (coasting from a, capped by the limits)
 * and v_c the segment's cruising speed (the price of time that belongs to it, Howlett,
 * Pudney & Vu 2009); a speed still short of V at d1 is charged its kinetic energy. Sampled
 * over [lo, hi] (hi: where the acceleration reaches V). Returns a, or NAN. */
#define DEPART_STEP 10.0 /* m */
static double departure_coast(const back_ctx *x, double lo, double hi, double d1, double V,
                              double v_c)
{
    const tm_train *tr = x->c->train;
    double h = 1e-3 * v_c, m = tr->effective_mass;
    double lambda = v_c * v_c * (tm_train_resistance(tr, v_c + h) -
                                 tm_train_resistance(tr, v_c - h)) / (2.0 * h);
    double best = INFINITY, best_a = NAN;
    for (int k = 0; k <= 32; k++) {
        double a = lo + (hi - lo) * k / 32.0, t, e, s = a, v = forward_at(x, a);
        if (!(v > 0.5))
            continue;
        forward_te(x, a, &t, &e);
        size_t fi = tm_course_force_index(x->c, a, 0);
        while (s < d1 - POS_EPS) {
            double ds = fmin(DEPART_STEP, d1 - s);
            fi = tm_course_force_index(x->c, s, fi);
            double k1 = dvds(x, fi, s, v), v1 = fmax(v + ds * k1, 0.05);
            double v2 = v + 0.5 * ds * (k1 + dvds(x, fi, s + ds, v1));
            v2 = fmin(v2, tm_course_limit_at(x->c, s + ds));
            if (!(v2 > 0.5))
                break;
            t += 2.0 * ds / (v + v2);
            s += ds;
            v = v2;
        }
        if (s < d1 - POS_EPS)
            continue;
        if (v < V)
            e += 0.5 * m * (V * V - v * v);
        if (e + lambda * t < best) {
            best = e + lambda * t;
            best_a = a;
        }
    }
    return best_a;
}

/* A steep descent [d0, d1] too long for the MARECO curve: coasting from its end at V
 * backwards falls below the floor before it meets the run, so a phase that starts at V
 * would only hold V with the brake (the flagship's 4-6 km descents of 6-11 permille with a
 * train of 1,750 t). The optimum (read from the oracle's run on the flagship's second leg)
 * coasts from a point a before the crest, up the end of the climb, down the descent to the
 * line's limit (held there with the brake) and on until the speed is back at the run's,
 * or powers from d1 if it is still below it. a is the point that minimises the cost
 * Pontryagin's Hamiltonian prices, against the run without coasting over the same stretch,
 *     dJ(a) = (E(a) - E_f) + lambda (T(a) - T_f),   lambda = V^2 r'(V)
 * (E, T: traction work and time of the phase from a until it rejoins the run; E_f, T_f the
 * run's over the same stretch; lambda the price of time of holding V: Howlett, Pudney & Vu
 * 2009; Albrecht et al. 2016). This is the local problem whose solution the adjoint's
 * theta(b) = 1 condition describes, but it holds where the phase meets the limit, which the
 * adjoint shooting (shoot_phase) does not. */
#define CREST_STEP 100.0 /* m */
#define CREST_EVALS 9   /* golden-section steps on a */

typedef struct crest {
    const back_ctx *x;
    const tm_course *line; /* the limits without the cruising speed's cap */
    double d1, to, lambda, floor;
    double b, c_end; /* the phase's end (rejoined the run) and its coasting's end */
} crest;

/* dJ of the phase started at a (INFINITY when it stalls or does not rejoin before cr->to). */
static double crest_cost(crest *cr, double a)
{
    const back_ctx *x = cr->x;
    const tm_train *tr = x->c->train;
    double s = a, v = forward_at(x, a), t = 0.0, e = 0.0, m = tr->effective_mass;
    if (!(v > cr->floor))
        return INFINITY;
    int power = 0;
    cr->c_end = NAN;
    size_t fi = tm_course_force_index(x->c, a, 0), hint = 0;
    while (s < cr->to - POS_EPS) {
        /* Heun's method, each step inside one force interval (the gradient is linear
         * there). */
        fi = tm_course_force_index(x->c, s, fi);
        const tm_force_interval *f = &x->c->forces.items[fi];
        double ds = fmin(CREST_STEP, cr->to - s);
        if (s < cr->d1 - POS_EPS)
            ds = fmin(ds, cr->d1 - s);
        if (f->end > s + POS_EPS && fi + 1 < x->c->forces.n)
            ds = fmin(ds, f->end - s);
        double g0 = tm_train_grade_force(tr, f->w0 + f->w1 * (s - f->start)) / m;
        double g1 = tm_train_grade_force(tr, f->w0 + f->w1 * (s + ds - f->start)) / m;
        double u0 = power ? tm_train_effort(tr, v) : 0.0;
        double k1 = ((u0 - tm_train_resistance(tr, v)) / m - g0) / v;
        double v1 = v + ds * k1;
        if (!(v1 > cr->floor))
            return INFINITY;
        double u1 = power ? tm_train_effort(tr, v1) : 0.0;
        double k2 = ((u1 - tm_train_resistance(tr, v1)) / m - g1) / v1;
        double v2 = fmin(v + 0.5 * ds * (k1 + k2), tm_course_limit_at(cr->line, s + ds));
        if (!(v2 > cr->floor))
            return INFINITY;
        e += 0.5 * (u0 + u1) * ds;
        t += 2.0 * ds / (v + v2);
        s += ds;
        v = v2;
        if (s < cr->d1 - POS_EPS)
            continue;
        double vf = forward_near(x, s, &hint);
        if (!power && isnan(cr->c_end) && v < vf) {
            power = 1; /* below the run at the descent's end: power back up to it */
            cr->c_end = s;
        }
        if (power ? v >= vf : v <= vf) {
            double ta, ea, tb, eb;
            cr->b = s;
            if (isnan(cr->c_end))
                cr->c_end = s;
            forward_te(x, a, &ta, &ea);
            forward_te(x, s, &tb, &eb);
            return (e - (eb - ea)) + cr->lambda * (t - (tb - ta));
        }
    }
    return INFINITY;
}

/* The start a in [lo, d0] of the phase over the descent [d0, d1] (golden section on dJ),
 * its end *b and its coasting's end *c_end; NAN when no phase rejoins the run. */
static double crest_coast(const back_ctx *x, const tm_course *line, double lo, double d0,
                          double d1, double to, double V, double *b, double *c_end)
{
    const tm_train *tr = x->c->train;
    double h = 1e-3 * V;
    crest cr = {x, line, d1, to,
                V * V * (tm_train_resistance(tr, V + h) - tm_train_resistance(tr, V - h)) /
                    (2.0 * h),
                0.3 * V, NAN, NAN};
    const double gr = 0.5 * (sqrt(5.0) - 1.0);
    double best = crest_cost(&cr, d0), best_a = d0;
    *b = cr.b;
    *c_end = cr.c_end;
    double p = lo, q = d0;
    double m1 = q - gr * (q - p), m2 = p + gr * (q - p);
    double f1 = crest_cost(&cr, m1), f2 = crest_cost(&cr, m2);
    for (int it = 0; it < CREST_EVALS && q - p > 2.0 * CREST_STEP; it++) {
        if (f1 < f2) {
            q = m2;
            m2 = m1;
            f2 = f1;
            m1 = q - gr * (q - p);
            f1 = crest_cost(&cr, m1);
        } else {
            p = m1;
            m1 = m2;
            f1 = f2;
            m2 = p + gr * (q - p);
            f2 = crest_cost(&cr, m2);
        }
    }
    double a = f1 < f2 ? m1 : m2;
    if (fmin(f1, f2) < best && crest_cost(&cr, a) < best) {
        best_a = a;
        best = 0.0;
        *b = cr.b;
        *c_end = cr.c_end;
    }
    return isfinite(best) ? best_a : NAN;
}

/* -1: a descent on which coasting at V accelerates; 1 (climbs asked): a climb on which full
 * power at V decelerates; 0: neither. */
static int steep_kind(const back_ctx *x, const tm_force_interval *f, double V, int climbs)
{
    const tm_train *tr = x->c->train;
    double R = tm_train_resistance(tr, V), w1 = f->w0 + f->w1 * (f->end - f->start);
    if (R + tm_train_grade_force(tr, fmin(f->w0, w1)) < 0.0)
        return -1;
    if (climbs && tm_train_effort(tr, V) < R + tm_train_grade_force(tr, fmax(f->w0, w1)))
        return 1;
    return 0;
}

int tm_eco_coast_regions(tm_coast_vec *out, tm_coast_vec *lift, int steep, const tm_course *c,
                         const tm_course *line, const tm_ceiling *ceil,
                         const tm_samples *forward, double from, double to,
                         const double *theta_of_range, const double *range_ends,
                         size_t n_ranges, double eta)
{
    out->n = 0;
    if (lift)
        lift->n = 0;
    const tm_course *base = line; /* the line's own limits, for the crest phases */
    if (!lift || steep == 0)
        line = NULL;
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
        if (line) {
            double Wa = stop_switch(&x, p, v_top, fmax(v_bot, 0.2 * v_top), eta, from);
            if (!isnan(Wa))
                W = Wa;
        }
        W = W + theta * (v_top - W);
        double w_eff = fmax(W, v_bot);
        if (w_eff >= v_top - 1e-6)
            continue;
        double s_b = p->x_anchor - (w_eff * w_eff - p->v * p->v) / (2.0 * b);
        s_b = fmin(fmax(s_b, p->start), p->end);
        /* Into a stop, past earlier braking curves: in the MARECO way only (with the
         * adjoint's W the TTOBench searches then missed the km 12.5 bound). Not back over
         * the crest before a steep descent: in the MARECO way only too (in the adjoint
         * ways it made TTOBench's first segment 21-23 % worse). */
        double s_c = coast_back(&x, s_b, w_eff, from, 0.2 * v_top, v_bot < 0.5 && !line,
                                forward && forward->n > 0 && lift && !line ? v_top : 0.0, NULL);
        if (add_region(out, s_c, s_b, fmax(0.5, 0.15 * v_top)) != TUMEN_OK)
            return TUMEN_ENOMEM;
    }
    /* Steep stretches under a constant piece: descents where holding its speed needs the
     * brake, and (with the line's own limits given) climbs where full power cannot hold it. */
    size_t k = 0;
    double prev_end = from;
    r = 0;
    for (size_t fi = tm_course_force_index(c, from, 0); fi < c->forces.n; fi++) {
        const tm_force_interval *f = &c->forces.items[fi];
        if (f->start >= to - POS_EPS)
            break;
        double d0 = fmax(f->start, from), d1 = fmin(f->end, to);
        while (k + 1 < ceil->n && ceil->items[k].end <= d0 + POS_EPS)
            k++;
        const tm_ceiling_piece *p = &ceil->items[k];
        if (p->braking || d0 < prev_end - POS_EPS)
            continue;
        double V = p->v;
        int kind = steep_kind(&x, f, V, line != NULL);
        if (kind == 0)
            continue;
        /* Extend over following intervals of the same kind under the same constant piece. */
        size_t fj = fi;
        while (fj + 1 < c->forces.n) {
            const tm_force_interval *g = &c->forces.items[fj + 1];
            if (g->start >= fmin(to, p->end) - POS_EPS || steep_kind(&x, g, V, 1) != kind)
                break;
            fj++;
        }
        d1 = fmin(fmin(c->forces.items[fj].end, to), p->end);
        fi = fj;
        while (r + 1 < n_ranges && d0 >= range_ends[r] - POS_EPS)
            r++;
        double theta = theta_of_range[r];
        /* A phase starts after the last braking curve before d0 and ends before the next
         * braking curve after d1. */
        double lo = fmax(fmax(from, d0 - SHOOT_REACH), prev_end), end = to;
        for (size_t q = k; q < ceil->n; q++)
            if (ceil->items[q].braking && ceil->items[q].start >= d1 - POS_EPS) {
                end = ceil->items[q].start;
                break;
            }
        for (size_t q = 0; q < ceil->n && ceil->items[q].start < d0; q++)
            if (ceil->items[q].braking)
                lo = fmax(lo, ceil->items[q].end);
        if (line) {
            double pa, pb;
            double rv = 1e-3 * V, dr = (tm_train_resistance(tr, V + rv) -
                                        tm_train_resistance(tr, V - rv)) / (2.0 * rv);
            shoot sh = {&x, line, V, V * V * dr / x.c->train->effective_mass, kind > 0 ? 0.5 : 0.3 * V,
                        d0, d1, end, kind > 0, steep > 1, d1};
            if (kind < 0 && steep > 1 && d0 <= from + POS_EPS) {
                double hi = d0, v_c = 0.0;
                while (hi < d1 - DEPART_STEP && forward_at(&x, hi) < V - 0.01)
                    hi += DEPART_STEP;
                for (size_t q = 0; q < c->limits.n; q++)
                    if (c->limits.items[q].end > from && c->limits.items[q].start < to)
                        v_c = fmax(v_c, c->limits.items[q].v);
                double a = hi > d0 ? departure_coast(&x, d0, hi, d1, V, v_c) : NAN;
                if (!isnan(a)) {
                    /* Shortened towards where the acceleration reaches V: past it the
                     * phase would start at the held speed and do nothing. */
                    a = a + theta * (hi - a);
                    if (add_region(out, a, d1, fmax(0.5, 0.3 * V)) != TUMEN_OK)
                        return TUMEN_ENOMEM;
                    prev_end = d1;
                    continue;
                }
            }
            if (lo < d0 && shoot_phase(&sh, lo, &pa, &pb) == 0) {
                pa = pa + theta * ((kind > 0 ? d0 : pb) - pa);
                if (kind < 0 && add_region(out, pa, pb, fmax(0.5, 0.3 * V)) != TUMEN_OK)
                    return TUMEN_ENOMEM;
                if (theta < 1.0 && add_region(lift, pa, pb, 0.0) != TUMEN_OK)
                    return TUMEN_ENOMEM;
                prev_end = pb;
                continue;
            }
        }
        if (kind > 0)
            continue;
        int floored = 0;
        double s_c = coast_back(&x, d1, V, from, 0.3 * V, 0, 0.0, &floored);
        if (floored && forward && forward->n > 0 && lift && lo < d0) {
            /* Too long for the MARECO curve: the phase over the crest by its cost,
             * shortened by theta as the others. */
            double cb, ce, a = crest_coast(&x, base, lo, d0, d1, end, V, &cb, &ce);
            if (!isnan(a)) {
                a = a + theta * (ce - a);
                if (add_region(out, a, ce, fmax(0.5, 0.3 * V)) != TUMEN_OK ||
                    (theta < 1.0 && add_region(lift, a, cb, 0.0) != TUMEN_OK))
                    return TUMEN_ENOMEM;
                prev_end = cb;
                continue;
            }
        }
        s_c = s_c + theta * (d1 - s_c);
        if (add_region(out, s_c, d1, fmax(0.5, 0.3 * V)) != TUMEN_OK)
            return TUMEN_ENOMEM;
        prev_end = d1;
    }
    merge_regions(out);
    if (lift)
        merge_regions(lift);
    return TUMEN_OK;
}
