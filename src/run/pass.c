/* pass.c: the forward pass over one stop-to-stop segment (maximum effort).
 *
 * The train starts at a standstill and, at each point, does the most it may:
 *  - below the ceiling: full tractive effort (it may still lose speed on a steep grade);
 *  - on a constant ceiling: cruise at the limit with the traction (or holding brake) that
 *    balances resistance and gradient, as long as the effort suffices;
 *  - on a braking curve: brake along it at the service deceleration.
 *
 * Motion under full effort has no closed form, so it is integrated with the classical
 * fourth-order Runge-Kutta method in time on (s, v, E) (Hairer, Norsett & Wanner, Solving
 * ODEs I, 1993, sec. II.1). The right-hand side is smooth inside each step: steps end exactly
 * on every breakpoint of the forces (gradient and curve changes, timing points), of the
 * ceiling, and on every speed where the tractive-effort curve has a kink, and within a step
 * the formulas of the interval it started in are used (frozen). The global error is then
 * O(h^4); tests/test_engine.c holds it to that by step halving. Cruising and braking are
 * exact (constant speed; constant deceleration).
 *
 * Events (reaching a breakpoint, the ceiling, a kink speed) are located by the Illinois
 * variant of regula falsi on the step length, re-taking the Runge-Kutta step from its start.
 *
 * Coasting (eco driving, run/eco.c): inside a coast region given in the options the train
 * takes no traction below the ceiling; the same Runge-Kutta steps integrate it with the
 * tractive effort set to zero, and every region's ends are breakpoints like the others.
 *
 * The tractive effort is that of the mode the train takes under what the track supplies in
 * the force interval (a wire, none, a neutral section where it coasts: run/course.c,
 * physics/traction_modes.c).
 */
#include "core/error.h"
#include "physics/physics.h"
#include "run/run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define POS_EPS 1e-6     /* m: positions this close are the same point */
#define SPEED_EPS 1e-9   /* m/s: speeds this close are equal */
#define STALL_SPEED 1e-6 /* m/s: below this, a decelerating train has stopped */

typedef struct pass {
    tm_samples *out;
    const tm_course *c;
    const tm_train *tr;
    tm_ceiling ceiling;
    size_t k;       /* ceiling piece */
    size_t fi;      /* force interval */
    double to;      /* m, end of the segment */
    double h;       /* s, largest step (fixed mode) or the step to try next (adaptive) */
    int adaptive;   /* 1: error-controlled step (step doubling); 0: fixed step h */
    double h_max;   /* s, the longest adaptive step */
    double s, v, t, E;
    tumen_error *err;
    const tm_pass_options *opt;
    size_t ci;        /* coast region cursor */
    size_t ci_off;    /* 1 + the coast region given up (its speed fell to v_min), or 0 */
    int no_traction;  /* 1 while integrating a coasting step */
} pass;

/* Forces at (s, v) with the formulas of force interval fi and effort interval v_ref. */
typedef struct forces {
    double traction, resistance, grade, a;
} forces;

static forces eval(const pass *p, size_t fi, double s, double v, double v_ref)
{
    const tm_force_interval *f = &p->c->forces.items[fi];
    forces x;
    x.traction = p->no_traction ? 0.0 : tm_train_effort_supply(p->tr, f->supply, v, v_ref);
    x.resistance = tm_train_resistance_frozen(p->tr, v, v_ref);
    x.grade = tm_train_grade_force(p->tr, f->w0 + f->w1 * (s - f->start));
    x.a = tm_train_acceleration(p->tr, x.traction, x.resistance, x.grade);
    return x;
}

typedef struct state {
    double s, v, E;
} state;

/* One classical RK4 step of length dt on s' = v, v' = a(s, v), E' = F_T(v) v, given the
 * forces f1 at its start (steps of several lengths from one state share them). */
static state rk4_from(const pass *p, size_t fi, double v_ref, state y, forces f1, double dt)
{
    double s2 = y.s + 0.5 * dt * y.v, v2 = y.v + 0.5 * dt * f1.a;
    forces f2 = eval(p, fi, s2, v2, v_ref);
    double s3 = y.s + 0.5 * dt * v2, v3 = y.v + 0.5 * dt * f2.a;
    forces f3 = eval(p, fi, s3, v3, v_ref);
    double s4 = y.s + dt * v3, v4 = y.v + dt * f3.a;
    forces f4 = eval(p, fi, s4, v4, v_ref);
    state n;
    n.s = y.s + dt / 6.0 * (y.v + 2.0 * v2 + 2.0 * v3 + v4);
    n.v = y.v + dt / 6.0 * (f1.a + 2.0 * f2.a + 2.0 * f3.a + f4.a);
    n.E = y.E + dt / 6.0 *
                    (f1.traction * y.v + 2.0 * f2.traction * v2 + 2.0 * f3.traction * v3 +
                     f4.traction * v4);
    return n;
}

static state rk4(const pass *p, size_t fi, double v_ref, state y, double dt)
{
    return rk4_from(p, fi, v_ref, y, eval(p, fi, y.s, y.v, v_ref), dt);
}

/* Two steps of dt / 2 from y; *full receives one step of dt (the two share the forces at
 * y). Their difference over 15 estimates the error of the halves (RK4 is fourth order). */
static state doubled(const pass *p, size_t fi, double v_ref, state y, double dt, state *full)
{
    forces f1 = eval(p, fi, y.s, y.v, v_ref);
    *full = rk4_from(p, fi, v_ref, y, f1, dt);
    return rk4(p, fi, v_ref, rk4_from(p, fi, v_ref, y, f1, 0.5 * dt), 0.5 * dt);
}

/* Local extrapolation: half + (half - full) / 15 is of fifth order (Hairer, Norsett &
 * Wanner 1993, sec. II.4). */
static state extrapolated(state half, state full)
{
    half.s += (half.s - full.s) / 15.0;
    half.v += (half.v - full.v) / 15.0;
    half.E += (half.E - full.E) / 15.0;
    return half;
}

/* A step of length dt as the mode takes it: one RK4 step (fixed), or two of dt / 2 with
 * local extrapolation (adaptive: fifth order, Hairer, Norsett & Wanner 1993, sec. II.4), so
 * that events are located with the accuracy the step control gives. */
static state advance(const pass *p, size_t fi, double v_ref, state y, double dt)
{
    if (!p->adaptive)
        return rk4(p, fi, v_ref, y, dt);
    state full, half = doubled(p, fi, v_ref, y, dt, &full);
    return extrapolated(half, full);
}

static int push_sample(pass *p, int mode, double a, double traction, double brake,
                       double resistance, double grade)
{
    tumen_sample x = {p->t, p->s, p->v, a, traction, brake, resistance, grade, p->E, mode, 0};
    if (tm_vec_push(p->out, x))
        return tm_error_set(p->err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory (trajectory)");
    return TUMEN_OK;
}

static const tm_ceiling_piece *piece(const pass *p)
{
    return &p->ceiling.items[p->k];
}

/* Moves the ceiling and force cursors to the pieces that hold the current position
 * (for the motion ahead: a piece ending here is left behind). */
static void advance_cursors(pass *p)
{
    while (p->k + 1 < p->ceiling.n && p->s >= piece(p)->end - POS_EPS)
        p->k++;
    p->fi = tm_course_force_index(p->c, p->s, p->fi);
    while (p->fi + 1 < p->c->forces.n && p->s >= p->c->forces.items[p->fi].end - POS_EPS)
        p->fi++;
    while (p->ci < p->opt->n_coast && p->s >= p->opt->coast[p->ci].end - POS_EPS)
        p->ci++;
}

/* The coast region holding the current position (for the motion ahead), or NULL. */
static const tm_coast_region *coast_region(const pass *p)
{
    if (p->ci < p->opt->n_coast && p->s >= p->opt->coast[p->ci].start - POS_EPS)
        return &p->opt->coast[p->ci];
    return NULL;
}

/* The end of the stretch ahead on which every formula holds. */
static double stretch_end(const pass *p)
{
    double end = fmin(fmin(piece(p)->end, p->c->forces.items[p->fi].end), p->to);
    if (p->ci < p->opt->n_coast) {
        const tm_coast_region *r = &p->opt->coast[p->ci];
        double next = p->s >= r->start - POS_EPS ? r->end : r->start;
        if (next > p->s + POS_EPS)
            end = fmin(end, next);
    }
    return end;
}

/* Regenerative brake force limit (N) at speed v: min(force, power / v); infinite when the
 * train gives neither. */
static double regen_limit(const tm_train *tr, double v)
{
    double f = tr->regen_max_force > 0.0 ? tr->regen_max_force : INFINITY;
    if (tr->regen_max_power > 0.0 && v > 0.0)
        f = fmin(f, tr->regen_max_power / v);
    return f;
}

/* Integral over [0, len] of max(0, f0 + (f1 - f0) x / len) dx: positive work of a linearly
 * varying force. */
static double positive_work(double f0, double f1, double len)
{
    if (f0 >= 0.0 && f1 >= 0.0)
        return 0.5 * (f0 + f1) * len;
    if (f0 <= 0.0 && f1 <= 0.0)
        return 0.0;
    double fpos = f0 > 0.0 ? f0 : f1;
    double zero = len * fabs(f0) / (fabs(f0) + fabs(f1));
    return 0.5 * fpos * (f0 > 0.0 ? zero : len - zero);
}

/* Cruise at the constant ceiling. Returns 1 if done, 0 if the effort cannot hold the speed
 * here (the caller then integrates full effort), or a negative status. */
static int cruise(pass *p, int coasting)
{
    double V = piece(p)->v, x0 = p->s, x1 = stretch_end(p);
    const tm_force_interval *f = &p->c->forces.items[p->fi];
    double resistance = tm_train_resistance(p->tr, V);
    /* Coasting, the train holds the ceiling only with its brake. */
    double f_max = coasting ? 0.0 : tm_train_effort_supply(p->tr, f->supply, V, V);
    double need0 = resistance + tm_train_grade_force(p->tr, f->w0 + f->w1 * (x0 - f->start));
    double need1 = resistance + tm_train_grade_force(p->tr, f->w0 + f->w1 * (x1 - f->start));
    if (need0 > f_max * (1.0 + 1e-12) + 1e-9)
        return 0;
    if (need1 > f_max) /* strip model: the grade stiffens along the stretch */
        x1 = x0 + (f_max - need0) / tm_train_grade_force(p->tr, f->w1);
    if (x1 - x0 <= POS_EPS * 1e-3)
        return 0;
    need1 = resistance + tm_train_grade_force(p->tr, f->w0 + f->w1 * (x1 - f->start));
    p->v = V;
    p->E += positive_work(need0, need1, x1 - x0);
    if (p->opt->regen_work) {
        /* Holding brake -need, linear in s; the regenerative part is min(-need, limit). */
        double cap = regen_limit(p->tr, V), len = x1 - x0;
        double w = positive_work(-need0, -need1, len);
        if (isfinite(cap))
            w -= positive_work(-need0 - cap, -need1 - cap, len);
        *p->opt->regen_work += w;
    }
    p->t += (x1 - x0) / V;
    p->s = x1;
    return push_sample(p, TUMEN_MODE_CRUISE, 0.0, fmax(need1, 0.0), fmax(-need1, 0.0),
                       resistance, need1 - resistance) == TUMEN_OK
               ? 1
               : TUMEN_ENOMEM;
}

/* Brake along the ceiling's parabola to the end of the stretch. Returns 1 if done, 0 if even
 * full effort decelerates faster than the brake curve (steep upgrade), or a status. */
static int follow_brake(pass *p)
{
    double b = p->c->brake, x0 = p->s, x1 = stretch_end(p);
    double v0 = p->v, v1 = tm_ceiling_speed(piece(p), b, x1);
    forces f0 = eval(p, p->fi, x0, v0, v0);
    if (f0.a < -b - 1e-12)
        return 0;
    forces f1 = eval(p, p->fi, x1, v1, v1);
    /* Net force that keeps the deceleration at b: F_T - F_B = F_R + F_grade - m xi b. */
    double net0 = f0.resistance + f0.grade - tm_train_inertial_force(p->tr, b);
    double net1 = f1.resistance + f1.grade - tm_train_inertial_force(p->tr, b);
    if (p->no_traction && net0 > 1e-9)
        return 0; /* coasting, it falls below the curve rather than take traction */
    p->E += positive_work(net0, net1, x1 - x0);
    if (p->opt->regen_work && x1 > x0) {
        /* Simpson's rule on min(brake force, regenerative limit) over the stretch. */
        enum { N = 8 };
        double sum = 0.0, hx = (x1 - x0) / N;
        for (int i = 0; i <= N; i++) {
            double x = x0 + i * hx, v = tm_ceiling_speed(piece(p), b, x);
            forces fx = eval(p, p->fi, x, v, v);
            double brake = fmax(tm_train_inertial_force(p->tr, b) - fx.resistance - fx.grade, 0.0);
            double g = fmin(brake, regen_limit(p->tr, v));
            sum += g * (i == 0 || i == N ? 1.0 : (i % 2 ? 4.0 : 2.0));
        }
        *p->opt->regen_work += sum * hx / 3.0;
    }
    p->t += (v0 - v1) / b;
    p->s = x1;
    p->v = v1;
    return push_sample(p, TUMEN_MODE_BRAKE, -b, fmax(net1, 0.0), fmax(-net1, 0.0),
                       f1.resistance, f1.grade) == TUMEN_OK
               ? 1
               : TUMEN_ENOMEM;
}

/* The effort interval ahead: the kinks bounding the speeds the step will move through. */
static void kink_interval(const pass *p, double v, int rising, double *lo, double *hi,
                          double *v_ref)
{
    const double *k = p->tr->effort_kinks;
    size_t n = p->tr->n_effort_kinks;
    *lo = -INFINITY;
    *hi = INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (rising ? k[i] <= v + SPEED_EPS : k[i] < v - SPEED_EPS)
            *lo = k[i];
        else {
            *hi = k[i];
            break;
        }
    }
    double a = isfinite(*lo) ? *lo : fmin(v, isfinite(*hi) ? *hi : v) - 1.0;
    double b = isfinite(*hi) ? *hi : fmax(v, isfinite(*lo) ? *lo : v) + 1.0;
    *v_ref = 0.5 * (a + b);
}

enum { EV_NONE, EV_POSITION, EV_CEILING, EV_KINK_UP, EV_KINK_DOWN, EV_STALL };

typedef struct step_ctx {
    const pass *p;
    state y0;
    double v_ref, s_lim, kink_lo, kink_hi;
} step_ctx;

/* Event function: negative before the event, >= 0 once it has happened. */
static double event_value(const step_ctx *x, int ev, state y)
{
    switch (ev) {
    case EV_POSITION: return y.s - x->s_lim;
    case EV_CEILING: return y.v - tm_ceiling_speed(piece(x->p), x->p->c->brake, y.s) - SPEED_EPS;
    case EV_KINK_UP: return y.v - x->kink_hi;
    case EV_KINK_DOWN: return x->kink_lo - y.v;
    case EV_STALL: return STALL_SPEED - y.v;
    default: return -1.0;
    }
}

/* How close to zero an event function must come: positions to a nanometre, speeds to
 * 1e-11 m/s; the event variable is then set exactly (snapped), so this only decides how
 * precisely the step length, and with it the other variables, are found. */
static double event_tolerance(int ev)
{
    return ev == EV_POSITION ? 1e-9 : 1e-11;
}

/* The step length in (0, dt) at which the head reaches x->s_lim, by Newton's method on
 * s(m) - s_lim with its derivative v(m), from the guess the speed at the step's end gives,
 * kept inside the bracket [a, b] (bisection when a Newton step would leave it). For the
 * adaptive mode, whose long steps make a position event cost a doubled step per iteration:
 * Newton needs two or three where regula falsi takes several more. */
static double locate_position(const step_ctx *x, double dt, state *at)
{
    double a = 0.0, b = dt;
    state yb = *at;
    double m = at->v > 0.0 ? dt - (at->s - x->s_lim) / at->v : 0.5 * dt;
    for (int it = 0; it < 60 && b - a > 1e-12 * (1.0 + dt); it++) {
        if (!(m > a && m < b))
            m = 0.5 * (a + b);
        state ym = advance(x->p, x->p->fi, x->v_ref, x->y0, m);
        double gm = ym.s - x->s_lim;
        if (fabs(gm) < event_tolerance(EV_POSITION)) {
            *at = ym;
            return m;
        }
        if (gm >= 0.0) {
            b = m;
            yb = ym;
        } else {
            a = m;
        }
        m = ym.v > 0.0 ? m - gm / ym.v : 0.5 * (a + b);
    }
    *at = yb;
    return b;
}

/* The step length in (0, dt] at which event ev happens (Illinois regula falsi; a position
 * in the adaptive mode by Newton's method), given the event's value g_end >= 0 at the end of
 * the full step; *at receives the state there. */
static double locate(const step_ctx *x, int ev, double dt, double g_end, state *at)
{
    double a = 0.0, b = dt;
    double ga = event_value(x, ev, x->y0), gb = g_end;
    state yb = *at;
    if (ga >= 0.0) {
        *at = x->y0;
        return 0.0;
    }
    if (x->p->adaptive && ev == EV_POSITION)
        return locate_position(x, dt, at);
    double tol = event_tolerance(ev);
    int side = 0;
    for (int it = 0; it < 60 && b - a > 1e-12 * (1.0 + dt); it++) {
        double m = (a * gb - b * ga) / (gb - ga);
        if (!(m > a && m < b))
            m = 0.5 * (a + b);
        state ym = advance(x->p, x->p->fi, x->v_ref, x->y0, m);
        double gm = event_value(x, ev, ym);
        if (fabs(gm) < tol) {
            *at = ym;
            return m;
        }
        if (gm >= 0.0) {
            b = m;
            gb = gm;
            yb = ym;
            if (side == -1)
                ga *= 0.5;
            side = -1;
        } else {
            a = m;
            ga = gm;
            if (side == 1)
                gb *= 0.5;
            side = 1;
        }
    }
    *at = yb;
    return b;
}

static int stall_error(const pass *p, forces f)
{
    return tm_error_set(p->err, TUMEN_EPHYSICS, NULL, 0, NULL,
                        "train '%s' stalls at %.3f km: tractive effort %.1f kN is less than "
                        "resistance %.1f kN plus gradient and curves %.1f kN",
                        p->tr->id, p->s / 1000.0, f.traction / 1000.0, f.resistance / 1000.0,
                        f.grade / 1000.0);
}

/* Error control by step doubling (Hairer, Norsett & Wanner 1993, sec. II.4), when asked
 * (tm_pass_options.adaptive): one step of length dt and two of dt / 2; their difference over
 * 15 estimates the error of the latter (RK4 is fourth order), and adding it (local
 * extrapolation) gives a fifth-order step. The step is taken when the estimate is below
 * ADAPT_TOL_S in position and ADAPT_TOL_V in speed, else shortened; the next step grows by
 * the usual factor 0.9 (tol / err)^(1/5), at most ADAPT_GROW, never beyond the longest step.
 * Breakpoints and events are located with the same doubled steps (a position by Newton's
 * method, locate_position). Tolerances chosen on bench_run's hilly line (1,160 km): a
 * running-time error of about 6e-5 s against a 0.01 s fixed step. Not the default
 * (docs/physics.md says what changes with it): samples are then far apart, and what reads
 * them between samples (blocking times, eco driving) loses accuracy. */
#define ADAPT_TOL_S 3e-3   /* m per step */
#define ADAPT_TOL_V 3e-5   /* m/s per step */
#define ADAPT_MAX_STEP 60.0 /* s, unless max_step is given */
#define ADAPT_MIN_STEP 1e-3 /* s */
#define ADAPT_GROW 4.0

static state adaptive_step(pass *p, const step_ctx *x, double *dt)
{
    double h = *dt;
    for (;;) {
        state full, half = doubled(p, p->fi, x->v_ref, x->y0, h, &full);
        double err = fmax(fabs(half.s - full.s) / ADAPT_TOL_S, fabs(half.v - full.v) / ADAPT_TOL_V) /
                     15.0;
        double grow = err > 0.0 ? 0.9 * pow(err, -0.2) : ADAPT_GROW;
        if (err <= 1.0 || h <= ADAPT_MIN_STEP) {
            *dt = h;
            p->h = fmin(fmax(h * fmin(grow, ADAPT_GROW), ADAPT_MIN_STEP), p->h_max);
            return extrapolated(half, full);
        }
        h = fmax(h * fmax(grow, 0.2), ADAPT_MIN_STEP);
    }
}

/* One step of full effort (or, coasting, of none), ended early at the first event. */
static int accelerate(pass *p, const tm_coast_region *coast)
{
    step_ctx x = {p, {p->s, p->v, p->E}, 0, stretch_end(p), 0, 0};
    p->no_traction = coast != NULL;
    forces f = eval(p, p->fi, p->s, p->v, p->v);
    int rising = f.a >= 0.0;
    if (p->v <= STALL_SPEED && !(f.a > 0.0))
        return stall_error(p, f);
    kink_interval(p, p->v, rising, &x.kink_lo, &x.kink_hi, &x.v_ref);
    int to_v_min = 0; /* coasting: the step ends where the speed falls to v_min */
    if (coast && coast->v_min >= x.kink_lo) {
        x.kink_lo = coast->v_min;
        to_v_min = 1;
    }
    double dt = p->h;
    state y = p->adaptive ? adaptive_step(p, &x, &dt) : rk4(p, p->fi, x.v_ref, x.y0, dt);
    int candidates[] = {EV_POSITION, EV_CEILING, rising ? EV_KINK_UP : EV_KINK_DOWN, EV_STALL};
    int hit = EV_NONE;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        int ev = candidates[i];
        double g = event_value(&x, ev, y);
        if (g < 0.0)
            continue;
        state at = y;
        double dt_ev = locate(&x, ev, dt, g, &at);
        if (dt_ev <= dt) {
            dt = dt_ev;
            hit = ev;
            y = at;
        }
    }
    if (hit == EV_POSITION)
        y.s = x.s_lim;
    else if (hit == EV_CEILING)
        y.v = tm_ceiling_speed(piece(p), p->c->brake, y.s);
    else if (hit == EV_KINK_UP)
        y.v = x.kink_hi;
    else if (hit == EV_KINK_DOWN)
        y.v = x.kink_lo;
    if (coast && hit == EV_KINK_DOWN && to_v_min)
        p->ci_off = p->ci + 1; /* coasting fell to v_min: traction for the rest of it */
    if (hit == EV_STALL || (y.v <= STALL_SPEED && !rising)) {
        p->s = y.s;
        return stall_error(p, eval(p, p->fi, y.s, y.v, x.v_ref));
    }
    if (y.s > x.s_lim)
        y.s = x.s_lim;
    p->s = y.s;
    p->v = y.v;
    p->E = y.E;
    p->t += dt;
    forces fe = eval(p, p->fi, y.s, y.v, x.v_ref);
    p->no_traction = 0;
    return push_sample(p, coast ? TUMEN_MODE_COAST : TUMEN_MODE_ACCELERATE, fe.a, fe.traction,
                       0.0, fe.resistance, fe.grade);
}

static int run(pass *p)
{
    while (p->s < p->to - POS_EPS) {
        advance_cursors(p);
        double v_ceiling = tm_ceiling_speed(piece(p), p->c->brake, p->s);
        const tm_coast_region *coast = coast_region(p);
        if (coast && (p->v <= coast->v_min + SPEED_EPS || p->ci_off == p->ci + 1))
            coast = NULL; /* too slow to coast on: traction */
        int rc = 0;
        if (p->v >= v_ceiling - 1e-7) {
            p->v = fmin(p->v, v_ceiling);
            p->no_traction = coast != NULL;
            rc = piece(p)->braking ? follow_brake(p) : cruise(p, coast != NULL);
            p->no_traction = 0;
            if (rc < 0)
                return rc;
        }
        if (rc == 0) {
            rc = accelerate(p, coast);
            if (rc != TUMEN_OK)
                return rc;
        }
    }
    /* The segment ends at a stop: the last sample is there, at rest. */
    tumen_sample *last = &p->out->items[p->out->n - 1];
    last->s = p->to;
    last->v = 0.0;
    return TUMEN_OK;
}

/* A pass over [from, to] appending to out, default options unless opt. */
static void pass_init(pass *p, tm_samples *out, const tm_course *c, double to,
                      const tm_pass_options *opt, tumen_error *err)
{
    static const tm_pass_options defaults = {2.0, NULL, 0, NULL, 0};
    memset(p, 0, sizeof *p);
    p->opt = opt ? opt : &defaults;
    p->out = out;
    p->c = c;
    p->tr = c->train;
    p->to = to;
    p->adaptive = opt && opt->adaptive;
    p->h = opt && opt->max_step > 0.0 ? opt->max_step : 2.0;
    p->h_max = p->adaptive && opt->max_step > 0.0 ? opt->max_step : ADAPT_MAX_STEP;
    if (p->adaptive)
        p->h = fmin(2.0, p->h_max);
    p->err = err;
}

int tm_pass_segment(tm_samples *out, const tm_course *c, double from, double to,
                    const tm_pass_options *opt, tumen_error *err)
{
    pass p;
    pass_init(&p, out, c, to, opt, err);
    const tumen_sample *first = &out->items[out->n - 1];
    p.s = from;
    p.v = 0.0;
    p.t = first->t;
    p.E = first->energy;
    if (to - from <= POS_EPS)
        return TUMEN_OK;
    if (tm_ceiling_build(&p.ceiling, c, from, to) != TUMEN_OK || p.ceiling.n == 0) {
        free(p.ceiling.items);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory (ceiling)");
    }
    int rc = run(&p);
    free(p.ceiling.items);
    return rc;
}

/* ---- One stop to several (tm_pass_memo) ---------------------------------------------- */

void tm_pass_memo_free(tm_pass_memo *m)
{
    if (!m)
        return;
    free(m->samples.items);
    free(m->ceiling.items);
    memset(m, 0, sizeof *m);
}

int tm_pass_memo_run(tm_pass_memo *m, const tm_course *c, double from, double to,
                     tumen_error *err)
{
    memset(m, 0, sizeof *m);
    m->from = from;
    m->to = to;
    tumen_sample first = {0.0, from, 0, 0, 0, 0, 0, 0, 0.0, TUMEN_MODE_STANDSTILL, 0};
    int rc = tm_vec_push(&m->samples, first) ||
                     (to - from > POS_EPS && tm_ceiling_build(&m->ceiling, c, from, to))
                 ? tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory")
                 : tm_pass_segment(&m->samples, c, from, to, NULL, err);
    if (rc != TUMEN_OK)
        tm_pass_memo_free(m);
    return rc;
}

static int same_piece(const tm_ceiling_piece *a, const tm_ceiling_piece *b)
{
    return a->start == b->start && a->end == b->end && a->braking == b->braking &&
           a->v == b->v && a->x_anchor == b->x_anchor;
}

/* The run of [m->from, to] from m: the ceilings of [from, to] and of m's segment agree up
 * to a point D (before the braking curve into the nearer stop, or a limit it changes); every
 * step of the pass that starts before D (less POS_EPS, where the cursors would move on to
 * the pieces beyond) does the same arithmetic in both, so m's samples up to the last such
 * step are this run's, and the pass goes on from that sample's state (s, v, t, E; the
 * cursors are found again from s, as the pass finds them). What follows is integrated as
 * tm_pass_segment would: the same samples, to the bit. */
int tm_pass_resume(tm_samples *out, const tm_course *c, const tm_pass_memo *m, double to,
                   size_t *shared, tumen_error *err)
{
    *shared = 0;
    pass p;
    pass_init(&p, out, c, to, NULL, err);
    p.s = m->from;
    p.v = 0.0;
    p.t = m->samples.items[0].t;
    p.E = m->samples.items[0].energy;
    if (to - m->from <= POS_EPS)
        return TUMEN_OK;
    if (tm_ceiling_build(&p.ceiling, c, m->from, to) != TUMEN_OK || p.ceiling.n == 0) {
        free(p.ceiling.items);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory (ceiling)");
    }
    size_t q = 0;
    while (q < p.ceiling.n && q < m->ceiling.n &&
           same_piece(&p.ceiling.items[q], &m->ceiling.items[q]))
        q++;
    /* D: pieces 0 .. q - 1 are the same, so every step that starts before the end of
     * piece q - 1 ends by it. Where piece q too has the same formula and only ends
     * elsewhere (a long limit that the nearer stop's braking curve cuts short), a step that
     * starts on it ends at the same place in both while its force interval ends by the
     * nearer end: D is then the start of the force interval holding that end. */
    double D = q > 0 ? p.ceiling.items[q - 1].end : m->from;
    if (q < p.ceiling.n && q < m->ceiling.n) {
        const tm_ceiling_piece *a = &p.ceiling.items[q], *b = &m->ceiling.items[q];
        if (a->start == b->start && a->braking == b->braking && a->v == b->v &&
            a->x_anchor == b->x_anchor) {
            double end = fmin(a->end, b->end);
            double f = c->forces.items[tm_course_force_index(c, end, 0)].start;
            D = fmax(D, fmin(f, end));
        }
    }
    size_t j = 0; /* the last of m's samples before D - POS_EPS (the first is at from) */
    if (D > m->from) {
        double d = D - POS_EPS;
        size_t lo = 0, hi = m->samples.n - 1; /* the last sample is m's stop: never */
        while (lo < hi) {
            size_t mid = lo + (hi - lo + 1) / 2;
            if (m->samples.items[mid].s < d)
                lo = mid;
            else
                hi = mid - 1;
        }
        j = m->samples.items[lo].s < d ? lo : 0;
    }
    int rc = TUMEN_OK;
    if (j > 0 && out->n + j > out->cap) {
        tumen_sample *grown = realloc(out->items, (out->n + j) * sizeof *grown);
        if (!grown)
            rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory (trajectory)");
        else {
            out->items = grown;
            out->cap = out->n + j;
        }
    }
    if (rc == TUMEN_OK && j > 0) {
        memcpy(out->items + out->n, m->samples.items + 1, j * sizeof *out->items);
        out->n += j;
    }
    *shared = j;
    if (rc == TUMEN_OK) {
        const tumen_sample *y = &m->samples.items[j];
        p.s = y->s;
        p.v = y->v;
        p.t = y->t;
        p.E = y->energy;
        rc = run(&p);
    }
    free(p.ceiling.items);
    return rc;
}
