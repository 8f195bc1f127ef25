/* oracle.c: dynamic programming over position and speed (tests/oracle.h). Shares only the
 * course (limits, gradient forces) and the physics functions with the engine; the driving
 * code is not used. */
#include "oracle.h"

#include "physics/physics.h"

#include <math.h>
#include <stdlib.h>

typedef struct segment {
    size_t n;       /* steps */
    double ds;      /* m */
    double to;      /* m, the stop */
    double *w;      /* N/N: mean gradient force of each step */
    double *cap;    /* m/s: lowest limit over each step */
    double *ncap;   /* m/s: highest speed at each node (0 at the stop) */
    double *wrest;  /* N/N: mean gradient force from each node to the stop */
    int J;          /* most grid speeds at a node, less one */
} segment;

typedef struct cell {
    double cost, e, t;
    double tb; /* s, the part of t before the bound (0 past it) */
} cell;

typedef struct ctx {
    const segment *g;
    const tm_train *tr;
    double mg, m, b, dv, lambda, in_eff, regen;
    double mu;  /* the bound's own price of time, added to lambda before it */
    size_t ib;  /* steps before the bound (0: no bound) */
    const double *res, *eff; /* resistance and effort tabulated every h m/s */
    double h;
    size_t n_tab;
} ctx;

/* Resistance (which = 0) or effort (1) at v, linear in the tables (h = dv / 8). */
static double force(const ctx *x, int which, double v)
{
    const double *t = which ? x->eff : x->res;
    double u = v / x->h;
    size_t k = (size_t)u;
    if (k + 1 >= x->n_tab)
        return which ? tm_train_effort(x->tr, v) : tm_train_resistance(x->tr, v);
    return t[k] + (u - (double)k) * (t[k + 1] - t[k]);
}

/* Integral of w(s) = w0 + w1 (s - start) over [a, b] of the course's force intervals. */
static double w_integral(const tm_course *c, double a, double b)
{
    double sum = 0.0;
    size_t i = tm_course_force_index(c, a, 0);
    for (; i < c->forces.n && c->forces.items[i].start < b; i++) {
        const tm_force_interval *f = &c->forces.items[i];
        double p = fmax(a, f->start), q = i + 1 == c->forces.n ? b : fmin(b, f->end);
        if (q > p)
            sum += (f->w0 + f->w1 * (0.5 * (p + q) - f->start)) * (q - p);
    }
    return sum;
}

static double min_limit(const tm_course *c, double a, double b)
{
    double v = INFINITY;
    for (size_t i = 0; i < c->limits.n; i++) {
        const tm_limit_piece *p = &c->limits.items[i];
        if (p->end > a && p->start < b)
            v = fmin(v, p->v);
    }
    return isfinite(v) ? v : tm_course_limit_at(c, a);
}

static void segment_free(segment *g)
{
    free(g->w);
    free(g->cap);
    free(g->ncap);
    free(g->wrest);
}

static int segment_build(segment *g, const tm_course *c, double from, double to, double ds,
                         double dv)
{
    *g = (segment){0};
    g->n = (size_t)ceil((to - from) / ds - 1e-9);
    if (g->n < 2)
        g->n = 2;
    g->ds = (to - from) / (double)g->n;
    g->to = to;
    g->w = malloc(g->n * sizeof *g->w);
    g->cap = malloc(g->n * sizeof *g->cap);
    g->ncap = malloc((g->n + 1) * sizeof *g->ncap);
    g->wrest = malloc((g->n + 1) * sizeof *g->wrest);
    if (!g->w || !g->cap || !g->ncap || !g->wrest)
        return -1;
    double vtop = 0.0;
    for (size_t i = 0; i < g->n; i++) {
        double a = from + g->ds * (double)i, e = a + g->ds;
        g->cap[i] = min_limit(c, a, e);
        g->w[i] = w_integral(c, a, e) / g->ds;
        vtop = fmax(vtop, g->cap[i]);
    }
    g->ncap[0] = g->cap[0];
    for (size_t i = 1; i < g->n; i++)
        g->ncap[i] = fmin(g->cap[i - 1], g->cap[i]);
    g->ncap[g->n] = 0.0;
    g->wrest[g->n] = 0.0;
    double sum = 0.0;
    for (size_t i = g->n; i-- > 0;) {
        sum += g->w[i] * g->ds;
        g->wrest[i] = sum / (g->ds * (double)(g->n - i));
    }
    g->J = (int)ceil(vtop / dv - 1e-9);
    return 0;
}

/* Highest grid index at node i, and the speed of index j there. */
static int jtop(const ctx *x, size_t i)
{
    return (int)ceil(x->g->ncap[i] / x->dv - 1e-9);
}

static double speed(const ctx *x, size_t i, int j)
{
    return fmin(j * x->dv, x->g->ncap[i]);
}

/* The cost-to-go at node i for speed v, interpolated; cost INFINITY when not allowed. */
static cell interp(const ctx *x, const cell *next, size_t i, double v)
{
    cell none = {INFINITY, 0, 0, 0};
    int top = jtop(x, i);
    if (v > x->g->ncap[i] + 1e-9 || v < 0.0)
        return none;
    if (top == 0)
        return v < 1e-9 ? next[0] : none;
    int jl = (int)floor(v / x->dv);
    if (jl > top - 1)
        jl = top - 1;
    double vl = speed(x, i, jl), vu = speed(x, i, jl + 1);
    double u = vu > vl ? (v - vl) / (vu - vl) : 0.0;
    u = fmin(fmax(u, 0.0), 1.0);
    const cell *a = &next[jl], *b = &next[jl + 1];
    if (!isfinite(a->cost) || !isfinite(b->cost)) {
        if (u < 1e-9 && isfinite(a->cost))
            return *a;
        if (u > 1.0 - 1e-9 && isfinite(b->cost))
            return *b;
        return none;
    }
    return (cell){a->cost + u * (b->cost - a->cost), a->e + u * (b->e - a->e),
                  a->t + u * (b->t - a->t), a->tb + u * (b->tb - a->tb)};
}

/* Work cost of a constant force f over length len. */
static double work(const ctx *x, double f, double len)
{
    return f > 0.0 ? f * len * x->in_eff : f * len * x->regen;
}

/* Tries the step from speed v at node i to speed v2 at node i + 1; keeps the best. */
static void try_step(const ctx *x, const cell *next, size_t i, double v, double v2, cell *best)
{
    const segment *g = x->g;
    if (!(v2 >= 0.0) || v2 > g->cap[i] + 1e-9 || (v <= 0.0 && v2 <= 0.0))
        return;
    double a = (v2 * v2 - v * v) / (2.0 * g->ds), vm = sqrt(0.5 * (v * v + v2 * v2));
    double f = x->m * a + force(x, 0, vm) + x->mg * g->w[i];
    if (f > force(x, 1, vm) * (1.0 + 1e-6) + 1.0 || (f < 0.0 && a < -x->b - 1e-9))
        return;
    cell nx = interp(x, next, i + 1, v2);
    if (!isfinite(nx.cost))
        return;
    double dt = 2.0 * g->ds / (v + v2), wk = work(x, f, g->ds);
    int before = i < x->ib;
    double cost = wk + (x->lambda + (before ? x->mu : 0.0)) * dt + nx.cost;
    if (cost < best->cost)
        *best = (cell){cost, wk + nx.e, dt + nx.t, before ? dt + nx.tb : 0.0};
}

/* Speed after one step of constant force law: full traction (full = 1) or none. */
static double step_speed(const ctx *x, size_t i, double v, int full)
{
    double vm = v, v2sq = v * v;
    for (int it = 0; it < 4; it++) {
        double f = full ? force(x, 1, vm) : 0.0;
        double a = (f - force(x, 0, vm) - x->mg * x->g->w[i]) / x->m;
        v2sq = v * v + 2.0 * x->g->ds * a;
        if (v2sq <= 0.0)
            return -1.0;
        vm = sqrt(0.5 * (v * v + v2sq));
    }
    return sqrt(v2sq);
}

/* Whether the constant deceleration from v at node i to the stop stays under the limits of
 * every step on the way (the speed is highest where each step begins): without this check
 * the oracle ran over lower limits ahead of a stop (generated line 2: at 115 km/h through
 * an 80 km/h limit on the last 3.5 km) and its energy was too low. */
static int under_caps(const segment *g, size_t i, double v)
{
    double len = g->ds * (double)(g->n - i);
    for (size_t k = i; k < g->n; k++) {
        double vk2 = v * v * (1.0 - g->ds * (double)(k - i) / len);
        if (vk2 > g->cap[k] * g->cap[k] * (1.0 + 1e-9))
            return 0;
    }
    return 1;
}

static cell node_value(const ctx *x, const cell *next, size_t i, int j)
{
    const segment *g = x->g;
    cell best = {INFINITY, 0, 0, 0};
    double v = speed(x, i, j), lim = fmin(g->cap[i], g->ncap[i + 1]);
    double vf = step_speed(x, i, v, 1), vc = step_speed(x, i, v, 0);
    try_step(x, next, i, v, fmin(vf, lim), &best);
    if (vc > lim)
        try_step(x, next, i, v, lim, &best); /* coasting over: hold at the limit */
    try_step(x, next, i, v, vc, &best);
    double vb2 = v * v - 2.0 * x->b * g->ds;
    if (vb2 > 0.0)
        try_step(x, next, i, v, fmin(sqrt(vb2), lim), &best);
    try_step(x, next, i, v, fmin(v, lim), &best);
    for (int d = -2; d <= 2; d++)
        if (d != 0 && j + d >= 0 && j + d <= jtop(x, i + 1))
            try_step(x, next, i, v, speed(x, i + 1, j + d), &best);
    if (v > 0.0) {
        /* Brake (or run) to the stop at a constant deceleration. */
        double len = g->to - (g->to - g->ds * (double)(g->n - i)), a = -v * v / (2.0 * len);
        double f = x->m * a + force(x, 0, v / sqrt(2.0)) + x->mg * g->wrest[i];
        if (((f >= 0.0 && f <= force(x, 1, v / sqrt(2.0))) || (f < 0.0 && -a <= x->b)) &&
            under_caps(g, i, v)) {
            double dt = 2.0 * len / v, wk = work(x, f, len), tb = 0.0;
            if (i < x->ib) {
                /* The time to the bound at the constant deceleration. */
                double d = g->ds * (double)(x->ib - i), vd2 = fmax(v * v + 2.0 * a * d, 0.0);
                tb = (sqrt(vd2) - v) / a;
            }
            double cost = wk + x->lambda * dt + x->mu * tb;
            if (cost < best.cost)
                best = (cell){cost, wk, dt, tb};
        }
    }
    return best;
}

/* The DP of one segment at price lambda (and mu before the bound): adds its energy, time
 * and time to the bound to *r. Returns -1 when no run reaches the stop. */
static int segment_solve(ctx *x, cell *next, cell *cur, cell *r)
{
    const segment *g = x->g;
    for (int j = 0; j <= g->J; j++)
        next[j] = (cell){j == 0 ? 0.0 : INFINITY, 0.0, 0.0, 0.0};
    for (size_t i = g->n; i-- > 0;) {
        int top = i == 0 ? 0 : jtop(x, i);
        for (int j = 0; j <= g->J; j++)
            cur[j] = j <= top ? node_value(x, next, i, j) : (cell){INFINITY, 0, 0, 0};
        for (int j = 0; j <= g->J; j++)
            next[j] = cur[j];
    }
    if (!isfinite(next[0].cost))
        return -1;
    r->e += next[0].e;
    r->t += next[0].t;
    r->tb += next[0].tb;
    return 0;
}

typedef struct problem {
    const segment *g;
    size_t n;
    const tm_course *c;
    const tm_oracle_opt *opt;
    const double *tab;
    size_t n_tab, ib;
    cell *a, *b;
} problem;

static int solve_all(const problem *pb, double lambda, double mu, cell *r)
{
    const tm_train *tr = pb->c->train;
    const tm_oracle_opt *opt = pb->opt;
    double eff = tr->traction_efficiency > 0.0 ? tr->traction_efficiency : 1.0;
    ctx x = {NULL, tr, tr->mass * TM_GRAVITY, tr->effective_mass, pb->c->brake, opt->dv, lambda,
             opt->supply ? 1.0 / eff : 1.0, opt->supply ? tr->regenerative : 0.0, mu, pb->ib,
             pb->tab, pb->tab + pb->n_tab, opt->dv / 8.0, pb->n_tab};
    *r = (cell){0, 0, 0, 0};
    for (size_t i = 0; i < pb->n; i++) {
        x.g = &pb->g[i];
        if (segment_solve(&x, pb->a, pb->b, r))
            return -1;
    }
    return 0;
}

/* Linear interpolation of energy and times between two runs, to where field key (t or tb)
 * is at: the energy at exactly that time, as the time is a jumpy function of the prices. */
static cell blend(const cell *lo, const cell *hi, double k_lo, double k_hi, double at)
{
    if (!(k_lo > k_hi))
        return *hi;
    if (at >= k_lo)
        return *lo;
    double u = (at - k_hi) / (k_lo - k_hi);
    if (u <= 0.0)
        return *hi;
    return (cell){0, hi->e + u * (lo->e - hi->e), hi->t + u * (lo->t - hi->t),
                  hi->tb + u * (lo->tb - hi->tb)};
}

/* At price lambda, the run that meets the bound (time to it at most tb): mu, the bound's
 * price, bisected in log between 0 and a price at which it is met; the result interpolated to
 * the bound exactly. Without a bound (ib = 0) the plain run. */
static int solve_bounded(const problem *pb, double lambda, cell *r)
{
    int rc = solve_all(pb, lambda, 0.0, r);
    double bt = pb->opt->bound_t;
    if (rc || pb->ib == 0 || r->tb <= bt)
        return rc;
    cell lo = *r, hi;
    double m_lo = 0.0, m_hi = fmax(lambda, 1.0);
    for (;;) {
        if ((rc = solve_all(pb, lambda, m_hi, &hi)) != 0)
            return rc;
        if (hi.tb <= bt)
            break;
        if (m_hi > 1e12)
            return -1; /* the bound cannot be met */
        lo = hi;
        m_lo = m_hi;
        m_hi *= 8.0;
    }
    for (int it = 0; it < 40 && lo.tb - hi.tb > 0.05; it++) {
        double m = m_lo > 0.0 ? sqrt(m_lo * m_hi) : 0.125 * m_hi, tb;
        cell mid;
        if ((rc = solve_all(pb, lambda, m, &mid)) != 0)
            return rc;
        tb = mid.tb;
        if (tb > bt) {
            lo = mid;
            m_lo = m;
        } else {
            hi = mid;
            m_hi = m;
        }
        if (m_lo > 0.0 && m_hi / m_lo < 1.0 + 1e-9)
            break;
    }
    *r = blend(&lo, &hi, lo.tb, hi.tb, bt);
    return 0;
}

int tm_oracle_run(const tm_course *c, const double *stops, size_t n_stops, double T,
                  const tm_oracle_opt *opt, tm_oracle_result *out)
{
    if (n_stops < 2)
        return -1;
    size_t n = n_stops - 1;
    segment *g = calloc(n, sizeof *g);
    int rc = g ? 0 : -1, J = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = segment_build(&g[i], c, stops[i], stops[i + 1], opt->ds, opt->dv);
        if (!rc && g[i].J > J)
            J = g[i].J;
    }
    /* Resistance and effort tabulated up to 2 m/s above the highest grid speed. */
    size_t n_tab = (size_t)((J * opt->dv + 2.0) / (opt->dv / 8.0)) + 2;
    double *tab = rc ? NULL : malloc(2 * n_tab * sizeof *tab);
    for (size_t k = 0; tab && k < n_tab; k++) {
        double v = (double)k * opt->dv / 8.0;
        tab[k] = tm_train_resistance(c->train, v);
        tab[n_tab + k] = tm_train_effort(c->train, v);
    }
    cell *a = rc ? NULL : malloc(((size_t)J + 1) * sizeof *a);
    cell *b = rc ? NULL : malloc(((size_t)J + 1) * sizeof *b);
    if (!a || !b || !tab)
        rc = -1;
    problem pb = {g, n, c, opt, tab, n_tab, 0, a, b};
    if (!rc && n == 1 && opt->bound_t > 0.0 && opt->bound_x > stops[0] &&
        opt->bound_x < stops[1]) {
        pb.ib = (size_t)lround((opt->bound_x - stops[0]) / g[0].ds);
        if (pb.ib == 0)
            pb.ib = 1;
    }
    /* Bisect log(lambda): lo is late (too little price on time), hi is on time. */
    double l_lo = 1.0, l_hi = 1e10;
    cell lo = {0, 0, 0, 0}, hi = lo;
    if (!rc)
        rc = solve_bounded(&pb, l_hi, &hi);
    if (!rc && hi.t > T)
        rc = -1;
    if (!rc)
        rc = solve_bounded(&pb, l_lo, &lo);
    if (!rc && lo.t <= T) {
        l_hi = l_lo;
        hi = lo;
    }
    /* The bracket is closed to 0.2 s, or until its two runs differ by less than 1e-4 in
     * energy: the energy is interpolated inside it, and on long runs (the flagship's legs of
     * hours) the time jumps by seconds between neighbouring prices while the energy does
     * not move. */
    for (int it = 0; !rc && it < 60 && lo.t > T && lo.t - hi.t > 0.2 &&
                     hi.e - lo.e > 1e-4 * hi.e;
         it++) {
        double l = sqrt(l_lo * l_hi);
        cell mid;
        rc = solve_bounded(&pb, l, &mid);
        if (rc)
            break;
        if (mid.t > T) {
            l_lo = l;
            lo = mid;
        } else {
            l_hi = l;
            hi = mid;
        }
        if (l_hi / l_lo < 1.0 + 1e-9)
            break;
    }
    if (!rc) {
        out->feasible = hi.e;
        out->feasible_time = hi.t;
        out->time = T;
        out->energy = blend(&lo, &hi, lo.t, hi.t, T).e;
    }
    for (size_t i = 0; g && i < n; i++)
        segment_free(&g[i]);
    free(g);
    free(a);
    free(b);
    free(tab);
    return rc;
}
