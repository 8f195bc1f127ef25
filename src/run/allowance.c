/* allowance.c: running-time allowances and target arrival times.
 *
 * A leg is planned from its minimum-time run:
 *  1. The leg is cut into ranges: at every stop (each stop-to-stop segment runs on its
 *     own, from standstill to standstill), and inside a segment at every timing point that
 *     ends an allowance range or carries a target.
 *  2. Each range gets extra time: a percentage of its minimum running time, minutes per
 *     100 km of its length (UIC 451-1 gives allowances in both forms), or its share of a
 *     fixed time in proportion to minimum running time. Ranges that end at or before a
 *     target arrival get instead what the target leaves, shared in proportion to minimum
 *     running time. Targets are met as late as the later targets allow (a target given as
 *     a window may be met earlier; an exact one that cannot be met is an error).
 *  3. Each segment is driven so that it passes every range end at its planned time:
 *     - linear: the speed limits of range j are scaled by k_j (a slower copy of the
 *       fastest run; OSRD's linear allowance scales speeds);
 *     - eco: the limits of range j are capped at a cruising speed v_c,j and the train
 *       coasts before braking points and downgrades (run/eco.c); when even the highest
 *       v_c leaves too little time for full coasting, the coasting is shortened (theta_j).
 *     One parameter per range is found by regula falsi (Illinois) on the time at the
 *     range's end, ranges in order, repeated until every range end is within 0.02 s (the
 *     aim; eco keeps the least-energy variant within 1 s of every bound, the promise:
 *     docs/physics.md). A stop's not-before time holds whenever the train arrives.
 */
#include "core/vec.h"
#include "core/error.h"
#include "core/text.h"
#include "run/run.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POS_EPS 1e-6
#define TIME_TOL 0.005   /* s, regula falsi tolerance per range end */
#define SWEEP_TOL 0.02   /* s, every range end once the sweeps stop */
#define STEEP_MAX_LEN 60e3 /* m, longest segment whose steep sections get the adjoint phases */
#define K_MIN 0.05       /* lowest linear factor / cruising speed fraction */
/* Ranges in one segment: every range end and target is a cut, so at most this many. */
#define MAX_SUBS (2 * TM_MAX_RANGES + TM_MAX_TARGETS + 1)

int tm_allowance_spec_any(const tm_allowance_spec *s)
{
    return s && (s->whole.kind != TUMEN_ALLOWANCE_NONE || s->n_ranges > 0 || s->n_targets > 0);
}

int tumen_allowance_parse(const char *text, tumen_allowance *out, tumen_error *err)
{
    static const char help[] = "an allowance is a percentage (\"5%%\"), a time per 100 km "
                               "(\"3 min/100km\", \"180 s/100km\") or a time (\"90 s\", "
                               "\"2 min\"), not '%s'";
    char *end = NULL;
    double v = text ? strtod(text, &end) : NAN;
    if (!text || end == text || !isfinite(v) || v < 0.0)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "allowance", help, text ? text : "");
    char unit[32];
    size_t n = 0;
    for (const char *p = end; *p && n + 1 < sizeof unit; p++)
        if (!isspace((unsigned char)*p))
            unit[n++] = (char)tolower((unsigned char)*p);
    unit[n] = '\0';
    static const struct {
        const char *unit;
        tumen_allowance_kind kind;
        double factor;
    } units[] = {{"%", TUMEN_ALLOWANCE_PERCENT, 1.0},
                 {"min/100km", TUMEN_ALLOWANCE_PER_100KM, 60.0},
                 {"s/100km", TUMEN_ALLOWANCE_PER_100KM, 1.0},
                 {"s", TUMEN_ALLOWANCE_TIME, 1.0},
                 {"min", TUMEN_ALLOWANCE_TIME, 60.0},
                 {"h", TUMEN_ALLOWANCE_TIME, 3600.0}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(unit, units[i].unit) == 0) {
            if (units[i].kind == TUMEN_ALLOWANCE_PERCENT && v > 500.0)
                return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "allowance",
                                    "an allowance of %g%% is more than 500%%", v);
            out->kind = units[i].kind;
            out->value = v * units[i].factor;
            return TUMEN_OK;
        }
    }
    return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "allowance", help, text);
}

/* A range inside one segment, ending at x_end. */
typedef struct sub {
    double x_end, len;
    double tmin;    /* s, minimum running time */
    double extra;   /* s, allowance */
    double t_rel;   /* s from the segment's departure to x_end, as planned */
    int window;     /* 1: ends at a target met "by" its time: may be passed earlier */
    int rule;       /* which allowance: -1 the whole leg's, else a range index; -2 a target's */
    double lo;      /* s, clock: x_end is passed no earlier (a lower time bound), or -inf */
    double t_lo;    /* s, the same from the segment's departure, as planned */
} sub;

typedef struct seg {
    double from, to, dwell_after;
    double emin; /* J, energy of its minimum-time run */
    size_t first, n; /* its subs */
} seg;

typedef struct target_at {
    double x, t;
} target_at;

struct tm_leg_plan {
    tumen_driving driving;
    double eta; /* eco: recovered fraction of braking work the objective counts */
    TM_VEC(seg) segs;
    TM_VEC(sub) subs;
    TM_VEC(target_at) targets;
    TM_VEC(target_at) not_before; /* stops the train leaves no earlier than t (clock) */
    TM_VEC(tumen_error) warnings;  /* bounds not enforced (tm_plan_warnings) */
    double min_moving, min_energy, min_regen;
    size_t cursor;
};

void tm_plan_free(tm_leg_plan *p)
{
    if (!p)
        return;
    free(p->segs.items);
    free(p->subs.items);
    free(p->targets.items);
    free(p->not_before.items);
    free(p->warnings.items);
    free(p);
}

static double head_position(const tm_point *pt, const tm_train *tr, double end)
{
    double x = pt->position + (pt->rear ? tr->length : 0.0);
    return x > end ? end : x;
}

/* The point named name on the line, or NULL. */
static const tm_point *point_ptr(const tm_line *line, const char *name)
{
    for (size_t i = 0; i < line->n_points; i++)
        if (!strcmp(tm_name_or(line->points[i].name, ""), tm_name_or(name, "")))
            return &line->points[i];
    return NULL;
}

/* Head position of the point named name on the line, or NAN. */
static double point_named(const tm_line *line, const tm_course *c, const char *name)
{
    const tm_point *pt = point_ptr(line, name);
    return pt ? head_position(pt, c->train, c->end) : NAN;
}

static double time_at(const tm_samples *smp, size_t first, double x)
{
    for (size_t i = first; i < smp->n; i++)
        if (smp->items[i].s >= x - 1e-6)
            return smp->items[i].t;
    return smp->items[smp->n - 1].t;
}

static int oom(tumen_error *err)
{
    return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory (allowance)");
}

/* Segments and the range ends inside them. cuts: sorted positions that end a range. */
static int build_ranges(tm_leg_plan *p, const tm_course *c, const tm_line *line,
                        const double *cuts, size_t n_cuts)
{
    double from = c->start;
    for (size_t i = 0; i <= line->n_points; i++) {
        double x = c->end, dwell = 0.0;
        if (i < line->n_points) {
            const tm_point *pt = &line->points[i];
            x = head_position(pt, c->train, c->end);
            if (!pt->stop || x <= from + POS_EPS)
                continue;
            dwell = x < c->end - POS_EPS ? pt->dwell : 0.0;
        } else if (from >= c->end - POS_EPS) {
            break;
        }
        seg s = {from, x, dwell, 0.0, p->subs.n, 0};
        for (size_t k = 0; k < n_cuts; k++) {
            if (cuts[k] > from + POS_EPS && cuts[k] < x - POS_EPS &&
                (s.n == 0 || cuts[k] > p->subs.items[p->subs.n - 1].x_end + POS_EPS)) {
                sub r = {cuts[k], 0, 0, 0, 0, -1, 0, -INFINITY, -INFINITY};
                if (tm_vec_push(&p->subs, r))
                    return TUMEN_ENOMEM;
                s.n++;
            }
        }
        sub last = {x, 0, 0, 0, 0, -1, 0, -INFINITY, -INFINITY};
        if (tm_vec_push(&p->subs, last) || tm_vec_push(&p->segs, s))
            return TUMEN_ENOMEM;
        p->segs.items[p->segs.n - 1].n++;
        from = x;
        if (x >= c->end - POS_EPS)
            break;
    }
    return TUMEN_OK;
}

/* The minimum-time run of every segment: tmin of each sub, and the leg's totals. */
static int run_minimum(tm_leg_plan *p, const tm_course *c, const tm_pass_options *po,
                       tumen_error *err)
{
    tm_samples smp = {0};
    tm_pass_options o = *po;
    o.coast = NULL;
    o.n_coast = 0;
    o.regen_work = &p->min_regen;
    int rc = TUMEN_OK;
    for (size_t i = 0; i < p->segs.n && rc == TUMEN_OK; i++) {
        const seg *s = &p->segs.items[i];
        smp.n = 0;
        tumen_sample x0 = {0, s->from, 0, 0, 0, 0, 0, 0, 0, TUMEN_MODE_STANDSTILL, 0};
        if (tm_vec_push(&smp, x0)) {
            rc = oom(err);
            break;
        }
        rc = tm_pass_segment(&smp, c, s->from, s->to, &o, err);
        if (rc != TUMEN_OK)
            break;
        double prev_t = 0.0, prev_x = s->from;
        for (size_t j = s->first; j < s->first + s->n; j++) {
            sub *r = &p->subs.items[j];
            double t = time_at(&smp, 0, r->x_end);
            r->tmin = t - prev_t;
            r->len = r->x_end - prev_x;
            prev_t = t;
            prev_x = r->x_end;
        }
        p->min_moving += smp.items[smp.n - 1].t;
        p->min_energy += smp.items[smp.n - 1].energy;
        p->segs.items[i].emin = smp.items[smp.n - 1].energy;
    }
    free(smp.items);
    return rc;
}

/* Extra time of every sub from the whole-leg and range allowances. */
static void apply_allowances(tm_leg_plan *p, const tumen_allowance *whole,
                             const tm_allowance_range *ranges, const double *r_from,
                             const double *r_to, size_t n_ranges)
{
    double total_tmin[TM_MAX_RANGES + 1] = {0};
    for (size_t j = 0; j < p->subs.n; j++) {
        sub *r = &p->subs.items[j];
        double mid = r->x_end - 0.5 * r->len;
        r->rule = -1;
        for (size_t k = 0; k < n_ranges; k++)
            if (mid >= r_from[k] && mid <= r_to[k])
                r->rule = (int)k;
        total_tmin[r->rule + 1] += r->tmin;
    }
    for (size_t j = 0; j < p->subs.n; j++) {
        sub *r = &p->subs.items[j];
        const tumen_allowance *a = r->rule < 0 ? whole : &ranges[r->rule].allowance;
        double tt = total_tmin[r->rule + 1];
        switch (a->kind) {
        case TUMEN_ALLOWANCE_PERCENT: r->extra = a->value / 100.0 * r->tmin; break;
        case TUMEN_ALLOWANCE_PER_100KM: r->extra = a->value * r->len / 1e5; break;
        case TUMEN_ALLOWANCE_TIME: r->extra = tt > 0.0 ? a->value * r->tmin / tt : 0.0; break;
        default: r->extra = 0.0; break;
        }
    }
}

/* Index of the segment holding sub j. */
static size_t seg_of(const tm_leg_plan *p, size_t j)
{
    for (size_t i = 0; i < p->segs.n; i++)
        if (j < p->segs.items[i].first + p->segs.items[i].n)
            return i;
    return p->segs.n - 1;
}

/* Minimum time from the end of sub a to the end of sub b (a < b), dwells included. */
static double min_between(const tm_leg_plan *p, size_t a, size_t b)
{
    double t = 0.0;
    for (size_t j = a + 1; j <= b; j++) {
        t += p->subs.items[j].tmin;
        size_t s = seg_of(p, j - 1);
        if (j - 1 == p->segs.items[s].first + p->segs.items[s].n - 1)
            t += p->segs.items[s].dwell_after;
    }
    return t;
}

/* The not-before time (clock) of leaving head position x, or -INFINITY. */
static double not_before_at(const tm_leg_plan *p, double x)
{
    double t = -INFINITY;
    for (size_t i = 0; p && i < p->not_before.n; i++)
        if (fabs(p->not_before.items[i].x - x) < 1e-3)
            t = fmax(t, p->not_before.items[i].t);
    return t;
}

/* 1 if sub j ends its segment (at a stop, or the leg's end). */
static int ends_segment(const tm_leg_plan *p, size_t j)
{
    size_t s = seg_of(p, j);
    return j == p->segs.items[s].first + p->segs.items[s].n - 1;
}

/* The planned time of leaving the end of sub j, reached at `arrival`: at a stop after its
 * dwell and never before its not-before time. */
static double leave_at(const tm_leg_plan *p, size_t j, double arrival)
{
    if (!ends_segment(p, j))
        return arrival;
    return fmax(arrival + p->segs.items[seg_of(p, j)].dwell_after,
                not_before_at(p, p->subs.items[j].x_end));
}

double tm_plan_departure(const tm_leg_plan *plan, double x, double ready)
{
    return fmax(ready, not_before_at(plan, x));
}

typedef struct tgt {
    size_t sub;
    double t;     /* s, clock: the upper (window) or exact bound; +inf: none */
    int window;
    const char *name;
    double given; /* s, the target as the file gives it (t may be moved earlier) */
    double lo;    /* s, clock: a lower time bound there, or -inf */
    const tm_target *src; /* the spec's target, where it is written */
} tgt;

/* The error for a target that no run can meet, naming the bound as the file gives it. */
static int unreachable(tumen_error *err, const tgt *g, double fastest, double stop_x,
                       double stop_t)
{
    char why[160] = "";
    if (!isnan(stop_x))
        snprintf(why, sizeof why, " leaving the stop at km %.3f not before %.1f s",
                 stop_x / 1e3, stop_t);
    if (g->t < g->given - 1e-6)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "targets",
                            "cannot arrive at '%s' by %.1f s (its bound, %.1f s, less what "
                            "the later targets need): the fastest run%s arrives at %.1f s",
                            g->name, g->t, g->given, why, fastest);
    return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "targets",
                        "cannot arrive at '%s' by %.1f s: the fastest run%s arrives at %.1f s",
                        g->name, g->t, why, fastest);
}

/* Replaces the extras before each target by what the target leaves. */
static int apply_targets(tm_leg_plan *p, tgt *tg, size_t n, double t_depart, tumen_error *err)
{
    /* Latest arrivals that let every later target be met. */
    for (size_t k = n - 1; k-- > 0;) {
        double latest = tg[k + 1].t - min_between(p, tg[k].sub, tg[k + 1].sub);
        if (latest < tg[k].t - 1e-6) {
            if (!tg[k].window)
                return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "targets",
                                    "the target arrival at '%s' (%.1f s) leaves less than the "
                                    "fastest run needs to reach '%s' by %.1f s",
                                    tg[k].name, tg[k].t, tg[k + 1].name, tg[k + 1].t);
            tg[k].t = latest;
        }
    }
    size_t begin = 0;
    double t_block = t_depart; /* planned time at the block's start */
    double restart_x = NAN, restart_nb = 0.0; /* the not-before time it starts from */
    for (size_t k = 0; k < n; k++) {
        /* A stop with a not-before time inside the block: the ranges before it run with
         * their allowances, the block starts again where the train leaves it. */
        double t = t_block;
        for (size_t j = begin; j < tg[k].sub; j++) {
            t = leave_at(p, j, t + p->subs.items[j].tmin + p->subs.items[j].extra);
            double nb = not_before_at(p, p->subs.items[j].x_end);
            if (ends_segment(p, j) && nb > -INFINITY) {
                restart_x = p->subs.items[j].x_end;
                restart_nb = nb;
                t_block = t;
                begin = j + 1;
            }
        }
        double tmin = 0.0, fixed = 0.0;
        for (size_t j = begin; j <= tg[k].sub; j++) {
            tmin += p->subs.items[j].tmin;
            size_t s = seg_of(p, j);
            if (j < tg[k].sub && j == p->segs.items[s].first + p->segs.items[s].n - 1)
                fixed += p->segs.items[s].dwell_after;
        }
        double need = tg[k].t - t_block - tmin - fixed;
        if (need < -1e-6)
            return unreachable(err, &tg[k], tg[k].t - need, restart_x, restart_nb);
        for (size_t j = begin; j <= tg[k].sub; j++) {
            sub *r = &p->subs.items[j];
            r->extra = tmin > 0.0 ? fmax(need, 0.0) * r->tmin / tmin : 0.0;
            r->rule = -2;
        }
        p->subs.items[tg[k].sub].window = tg[k].window;
        t_block = leave_at(p, tg[k].sub, tg[k].t);
        double nb = not_before_at(p, p->subs.items[tg[k].sub].x_end);
        restart_x = ends_segment(p, tg[k].sub) && nb >= t_block ? p->subs.items[tg[k].sub].x_end
                                                                : NAN;
        restart_nb = nb;
        begin = tg[k].sub + 1;
    }
    return TUMEN_OK;
}

static int cmp_tgt(const void *a, const void *b)
{
    const tgt *x = a, *y = b;
    return (x->sub > y->sub) - (x->sub < y->sub);
}

/* The lower time bound (clock) a target sets where the train arrives or passes: its
 * earliest time, and its not-before time where the train does not stop (there, leaving is
 * passing); -inf if none. At a stop (or the leg's first point) a not-before time is the
 * departure's (not_before_times). */
static double lower_bound(const tm_target *t, const tm_line *line, const tm_course *c)
{
    double lo = t->earliest > 0.0 ? t->earliest : -INFINITY;
    const tm_point *pt = point_ptr(line, t->at);
    if (pt && t->not_before > 0.0 && !pt->stop &&
        head_position(pt, c->train, c->end) > c->start + POS_EPS)
        lo = fmax(lo, t->not_before);
    return lo;
}

/* Positions of range ends and targets, resolved by name. */
static int resolve_names(const tm_allowance_spec *spec, int use_ranges, const tm_course *c,
                         const tm_line *line, double *r_from, double *r_to, size_t *n_ranges,
                         double *t_x, size_t *n_targets, tumen_error *err)
{
    *n_ranges = 0;
    *n_targets = 0;
    if (!spec)
        return TUMEN_OK;
    for (size_t k = 0; use_ranges && k < spec->n_ranges; k++) {
        const tm_allowance_range *r = &spec->ranges[k];
        double a = !tm_name_empty(r->from) ? point_named(line, c, r->from) : c->start;
        double b = !tm_name_empty(r->to) ? point_named(line, c, r->to) : c->end;
        if (isnan(a) || isnan(b)) {
            if (spec->shared)
                continue;
            return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "allowances",
                                "no timing point '%s' on line '%s'",
                                isnan(a) ? r->from : r->to, line->id);
        }
        if (b <= a)
            return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "allowances",
                                "the range from '%s' to '%s' runs backwards",
                                tm_name_or(r->from, ""), tm_name_or(r->to, ""));
        r_from[*n_ranges] = a;
        r_to[*n_ranges] = b;
        (*n_ranges)++;
    }
    for (size_t k = 0; k < spec->n_targets; k++) {
        double x = point_named(line, c, spec->targets[k].at);
        if (isnan(x)) {
            if (spec->shared)
                continue;
            return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "targets",
                                "no timing point '%s' on line '%s'", spec->targets[k].at,
                                line->id);
        }
        if (spec->targets[k].arrival < 0.0 &&
            lower_bound(&spec->targets[k], line, c) == -INFINITY)
            continue; /* only a stop's not-before time: no range ends there */
        t_x[*n_targets] = x;
        (*n_targets)++;
    }
    return TUMEN_OK;
}

/* The not-before times of the spec's targets, at the stops (or the leg's first point) they
 * name; one at a point the train passes without stopping is a lower time bound there
 * (lower_bound). */
static int not_before_times(tm_leg_plan *p, const tm_allowance_spec *spec, const tm_course *c,
                            const tm_line *line, tumen_error *err)
{
    for (size_t k = 0; spec && k < spec->n_targets; k++) {
        const tm_target *t = &spec->targets[k];
        if (!(t->not_before > 0.0))
            continue;
        for (size_t i = 0; i < line->n_points; i++) {
            const tm_point *pt = &line->points[i];
            if (strcmp(pt->name, t->at) != 0)
                continue;
            double x = head_position(pt, c->train, c->end);
            if (!pt->stop && x > c->start + POS_EPS)
                break;
            if (tm_vec_push(&p->not_before, ((target_at){x, t->not_before})))
                return oom(err);
            break;
        }
    }
    return TUMEN_OK;
}

typedef struct allowances {
    const tumen_allowance *whole;
    const tm_allowance_range *ranges;
    const double *from, *to;
    size_t n;
} allowances;

/* The spec's targets on this leg (an arrival bound, a lower time bound or both), in order
 * along it: tg (*n of them). A lower bound after its own upper bound is an input error. */
static int collect_targets(const tm_leg_plan *p, const tm_allowance_spec *spec,
                           const tm_course *c, const tm_line *line, tgt *tg, size_t *n,
                           tumen_error *err)
{
    *n = 0;
    for (size_t k = 0; spec && k < spec->n_targets; k++) {
        const tm_target *t = &spec->targets[k];
        double x = point_named(line, c, t->at), lo = lower_bound(t, line, c);
        double hi = t->arrival >= 0.0 ? t->arrival : INFINITY;
        if (isnan(x) || (hi == INFINITY && lo == -INFINITY))
            continue;
        if (lo > hi + 1e-6)
            return tm_error_set(err, TUMEN_EINPUT, t->origin.file, t->origin.line,
                                t->origin.field ? t->origin.field : "targets",
                                "the lower time bound at '%s' (%.1f s) is after its upper "
                                "bound (%.1f s): no run can meet both",
                                t->at, lo, hi);
        for (size_t j = 0; j < p->subs.n; j++)
            if (fabs(p->subs.items[j].x_end - x) < 1e-3 && *n < TM_MAX_TARGETS)
                tg[(*n)++] = (tgt){j, hi, hi < INFINITY ? t->window : 1, t->at, hi, lo, t};
    }
    qsort(tg, *n, sizeof *tg, cmp_tgt);
    return TUMEN_OK;
}

/* A warning about the bound src (where it is written) into the plan's list. */
static int warn(tm_leg_plan *p, const tm_target *src, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int warn(tm_leg_plan *p, const tm_target *src, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    tm_vsnclip(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tumen_error w = {0};
    tm_error_set(&w, TUMEN_EINPUT, src->origin.file, src->origin.line,
                 src->origin.field ? src->origin.field : "targets", "%s", msg);
    return tm_vec_push(&p->warnings, w) ? TUMEN_ENOMEM : TUMEN_OK;
}

/* Lower time bounds that a later upper bound makes unmeetable: the bound plus the fastest
 * run from there (dwells included) is after it. A planner would rather keep the upper bound
 * (an arrival promised further on) than a "not earlier than" here, so such a lower bound
 * is not enforced and reported as a warning (docs/physics.md, "Allowances", point 4). */
static int drop_unmeetable(tm_leg_plan *p, tgt *tg, size_t n)
{
    double latest = INFINITY; /* the latest time at tg[k] that every upper bound allows */
    size_t bind = n;          /* the upper bound that sets it */
    for (size_t k = n; k-- > 0;) {
        if (k + 1 < n)
            latest -= min_between(p, tg[k].sub, tg[k + 1].sub);
        if (tg[k].t <= latest) {
            latest = tg[k].t;
            bind = k;
        }
        if (!(tg[k].lo > latest + 1e-6) || bind == k) /* its own: collect_targets */
            continue;
        const tgt *b = &tg[bind];
        const double x = p->subs.items[tg[k].sub].x_end;
        if (warn(p, tg[k].src,
                 "lower time constraint %.1f s at '%s' cannot be kept with the upper time "
                 "constraint %.1f s at '%s' (the fastest run from km %.3f takes %.1f s): not "
                 "enforced",
                 tg[k].lo, tg[k].name, b->t, b->name, x / 1e3,
                 min_between(p, tg[k].sub, b->sub)) != TUMEN_OK)
            return TUMEN_ENOMEM;
        tg[k].lo = -INFINITY;
    }
    return TUMEN_OK;
}

/* Planned times of every range end: from its segment's departure (t_rel, and t_lo for its
 * lower bound) and on the result's clock (p->targets, one per range end in order). */
static int plan_times(tm_leg_plan *p, double t_depart)
{
    p->targets.n = 0;
    double clock = t_depart;
    for (size_t i = 0; i < p->segs.n; i++) {
        const seg *s = &p->segs.items[i];
        double t = 0.0;
        for (size_t j = s->first; j < s->first + s->n; j++) {
            sub *r = &p->subs.items[j];
            t += r->tmin + r->extra;
            r->t_rel = t;
            r->t_lo = r->lo - clock;
            if (tm_vec_push(&p->targets, ((target_at){r->x_end, clock + t})))
                return TUMEN_ENOMEM;
        }
        clock = leave_at(p, s->first + s->n - 1, clock + t);
    }
    return TUMEN_OK;
}

/* The extras and planned times with the targets' bounds: the upper bounds as targets, then
 * the first lower bound the plan passes early becomes a target at that time (the ranges
 * before it get the time, the later ones keep theirs), and again until none is early. */
static int plan_bounds(tm_leg_plan *p, const allowances *al, tgt *tg, size_t n,
                       double t_depart, tumen_error *err)
{
    for (size_t k = 0; k < n; k++)
        if (tg[k].lo > -INFINITY)
            p->subs.items[tg[k].sub].lo = fmax(p->subs.items[tg[k].sub].lo, tg[k].lo);
    for (;;) {
        for (size_t j = 0; j < p->subs.n; j++)
            p->subs.items[j].window = 0;
        apply_allowances(p, al->whole, al->ranges, al->from, al->to, al->n);
        tgt up[TM_MAX_TARGETS];
        size_t m = 0;
        for (size_t k = 0; k < n; k++)
            if (tg[k].t < INFINITY)
                up[m++] = tg[k];
        int rc = m > 0 ? apply_targets(p, up, m, t_depart, err) : TUMEN_OK;
        if (rc != TUMEN_OK)
            return rc;
        if (plan_times(p, t_depart) != TUMEN_OK)
            return oom(err);
        size_t k = 0;
        while (k < n && !(tg[k].t == INFINITY &&
                          p->targets.items[tg[k].sub].t < tg[k].lo - 1e-6))
            k++;
        if (k == n)
            return TUMEN_OK;
        tg[k].t = tg[k].given = tg[k].lo; /* met exactly then */
        tg[k].window = 0;
    }
}

size_t tm_plan_warnings(const tm_leg_plan *plan, const tumen_error **out)
{
    *out = plan ? plan->warnings.items : NULL;
    return plan ? plan->warnings.n : 0;
}

int tm_plan_leg(tm_leg_plan **out, const tm_course *c, const tm_line *line,
                const tm_allowance_spec *spec, const tumen_run_options *o, double t_depart,
                const tm_pass_options *po, tumen_error *err)
{
    *out = NULL;
    if (o->fastest)
        return TUMEN_OK;
    int cli = o->allowance.kind != TUMEN_ALLOWANCE_NONE;
    if (!cli && !tm_allowance_spec_any(spec))
        return TUMEN_OK;
    tumen_allowance whole = cli ? o->allowance : spec->whole;
    double r_from[TM_MAX_RANGES], r_to[TM_MAX_RANGES], t_x[TM_MAX_TARGETS];
    size_t n_ranges = 0, n_tx = 0;
    int rc = resolve_names(spec, !cli, c, line, r_from, r_to, &n_ranges, t_x, &n_tx, err);
    if (rc != TUMEN_OK)
        return rc;
    tm_leg_plan *p = calloc(1, sizeof *p);
    if (!p)
        return oom(err);
    rc = not_before_times(p, spec, c, line, err);
    if (rc != TUMEN_OK || (whole.kind == TUMEN_ALLOWANCE_NONE && n_ranges == 0 && n_tx == 0 &&
                           p->not_before.n == 0)) {
        tm_plan_free(p);
        return rc;
    }
    /* The leg leaves its first point no earlier than its not-before time. */
    t_depart = tm_plan_departure(p, c->start, t_depart);
    /* Supply objective: a unit of braking work returns eta = efficiency x regenerative
     * units of traction energy (docs/physics.md, "Energy from the supply"). */
    p->eta = o->objective == TUMEN_OBJECTIVE_SUPPLY
                 ? fmin(fmax(c->train->traction_efficiency * c->train->regenerative, 0.0), 1.0)
                 : 0.0;
    p->driving = o->driving != TUMEN_DRIVING_DEFAULT ? o->driving
                 : spec && spec->driving != TUMEN_DRIVING_DEFAULT ? spec->driving
                                                                  : TUMEN_DRIVING_ECO;
    double cuts[2 * TM_MAX_RANGES + TM_MAX_TARGETS];
    size_t n_cuts = 0;
    for (size_t k = 0; k < n_ranges; k++) {
        cuts[n_cuts++] = r_from[k];
        cuts[n_cuts++] = r_to[k];
    }
    for (size_t k = 0; k < n_tx; k++)
        cuts[n_cuts++] = t_x[k];
    qsort(cuts, n_cuts, sizeof *cuts, tm_cmp_double);
    rc = build_ranges(p, c, line, cuts, n_cuts) == TUMEN_OK ? TUMEN_OK : oom(err);
    if (rc == TUMEN_OK)
        rc = run_minimum(p, c, po, err);
    tgt tg[TM_MAX_TARGETS];
    size_t n = 0;
    if (rc == TUMEN_OK)
        rc = collect_targets(p, spec, c, line, tg, &n, err);
    if (rc == TUMEN_OK)
        rc = drop_unmeetable(p, tg, n);
    const allowances al = {&whole, spec ? spec->ranges : NULL, r_from, r_to, n_ranges};
    if (rc == TUMEN_OK)
        rc = plan_bounds(p, &al, tg, n, t_depart, err);
    if (rc == TUMEN_OK) {
        *out = p;
    } else {
        tm_plan_free(p);
    }
    return rc;
}

/* ---- Driving one segment ---------------------------------------------------------- */

typedef struct solver {
    tm_leg_plan *plan;
    const seg *sg;
    const tm_course *c;
    const tm_pass_options *po;
    TM_VEC(tm_limit_piece) limits;
    tm_ceiling ceiling;
    tm_coast_vec coast;
    tm_coast_vec lift;  /* eco: stretches where the cruising speed's cap does not hold */
    TM_VEC(tm_limit_piece) lifted;
    tm_samples scratch;
    tm_samples forward; /* eco: the run without coasting */
    double eta;         /* eco: recovered fraction of braking work in the objective */
    int uniform;        /* 1: one parameter (the last range's) for the whole segment */
    int no_forward;     /* 1: coasting phases start on the ceiling, not the run below it */
    int steep;          /* eco: how steep sections are taken (tm_eco_coast_regions) */
    double v_seg;       /* m/s, the highest limit of the segment */
    double v_hi[MAX_SUBS];
    double scale[MAX_SUBS]; /* eco: a further factor on the cruising speed (see solve_one) */
    int frozen;       /* eco: keep the coasting phases of the last run */
    double ends[MAX_SUBS], theta[MAX_SUBS];
    tumen_error *err;
} solver;

/* The parameter's upper end: linear k in [K_MIN, 1] for p in [0, 1]; eco v_c in
 * [K_MIN v_hi, v_hi] for p in [0, 1], then coasting shortened by theta = p - 1. */
static double p_max(const solver *sv)
{
    return sv->plan->driving == TUMEN_DRIVING_LINEAR ? 1.0 : 2.0;
}

/* Limits of the segment with range j's pieces scaled (linear) or capped (eco). */
static int build_limits(solver *sv, const double *par)
{
    const tm_course *c = sv->c;
    const seg *sg = sv->sg;
    sv->limits.n = 0;
    size_t j = 0;
    double lo = sg->from;
    for (size_t i = 0; i < c->limits.n; i++) {
        const tm_limit_piece *lp = &c->limits.items[i];
        double a = fmax(lp->start, sg->from), b = fmin(lp->end, sg->to);
        while (b - a > POS_EPS) {
            while (j + 1 < sg->n && a >= sv->plan->subs.items[sg->first + j].x_end - POS_EPS)
                j++;
            double e = fmin(b, sv->plan->subs.items[sg->first + j].x_end);
            if (j + 1 == sg->n)
                e = b;
            size_t u = sv->uniform ? sg->n - 1 : j; /* the range whose parameter holds */
            double pj = par[u], v = lp->v;
            double v_hi = sv->uniform ? sv->v_seg : sv->v_hi[j];
            if (sv->plan->driving == TUMEN_DRIVING_LINEAR)
                v *= K_MIN + fmin(pj, 1.0) * (1.0 - K_MIN);
            else
                v = fmin(v, sv->scale[u] * v_hi * (K_MIN + fmin(pj, 1.0) * (1.0 - K_MIN)));
            if (tm_vec_push(&sv->limits, ((tm_limit_piece){a, e, v})))
                return TUMEN_ENOMEM;
            a = e;
        }
    }
    (void)lo;
    return TUMEN_OK;
}

/* The limits with the cap taken off inside the lift stretches (the line's own limit there):
 * a phase over a steep section runs above the cruising speed (run/eco.c). */
static int apply_lifts(solver *sv)
{
    if (sv->lift.n == 0)
        return TUMEN_OK;
    sv->lifted.n = 0;
    size_t q = 0;
    for (size_t i = 0; i < sv->limits.n; i++) {
        tm_limit_piece lp = sv->limits.items[i];
        double a = lp.start;
        while (a < lp.end - POS_EPS) {
            while (q < sv->lift.n && sv->lift.items[q].end <= a + POS_EPS)
                q++;
            const tm_coast_region *l = q < sv->lift.n ? &sv->lift.items[q] : NULL;
            double e = lp.end, v = lp.v;
            if (l && l->start > a + POS_EPS)
                e = fmin(e, l->start);
            else if (l) {
                e = fmin(e, l->end);
                v = tm_course_limit_at(sv->c, 0.5 * (a + e));
            }
            if (tm_vec_push(&sv->lifted, ((tm_limit_piece){a, e, v})))
                return TUMEN_ENOMEM;
            a = e;
        }
    }
    sv->limits.n = 0;
    for (size_t i = 0; i < sv->lifted.n; i++)
        if (tm_vec_push(&sv->limits, sv->lifted.items[i]))
            return TUMEN_ENOMEM;
    return TUMEN_OK;
}

/* Runs the segment with parameters par into dst (whose last sample is the standstill at
 * from); times[j] receives the time from the departure to range end j. */
static int run_with_plan(solver *sv, const double *par, tm_samples *dst, double *times,
                         int final);
static int solve_segment(solver *sv, double *par, const tumen_sample *last, double *times);

static int run_with(solver *sv, const double *par, tm_samples *dst, double *times, int final,
                    tumen_driving driving)
{
    tumen_driving saved = sv->plan->driving;
    sv->plan->driving = driving;
    int rc = run_with_plan(sv, par, dst, times, final);
    sv->plan->driving = saved;
    return rc;
}

static int run_with_plan(solver *sv, const double *par, tm_samples *dst, double *times,
                         int final)
{
    if (build_limits(sv, par) != TUMEN_OK)
        return oom(sv->err);
    tm_course cc = *sv->c;
    cc.limits.items = sv->limits.items;
    cc.limits.n = sv->limits.n;
    cc.limits.cap = sv->limits.cap;
    tm_pass_options o = *sv->po;
    double dummy = 0.0;
    if (!final)
        o.regen_work = &dummy;
    o.coast = NULL;
    o.n_coast = 0;
    if (sv->plan->driving == TUMEN_DRIVING_ECO && sv->frozen) {
        o.coast = sv->coast.items;
        o.n_coast = sv->coast.n;
        if (apply_lifts(sv) != TUMEN_OK)
            return oom(sv->err);
        cc.limits.items = sv->limits.items;
        cc.limits.n = sv->limits.n;
    } else if (sv->plan->driving == TUMEN_DRIVING_ECO) {
        for (size_t j = 0; j < sv->sg->n; j++)
            sv->theta[j] = fmin(fmax(par[sv->uniform ? sv->sg->n - 1 : j] - 1.0, 0.0), 1.0);
        /* The run without coasting: coasting phases start on it. */
        sv->forward.n = 0;
        if (!sv->no_forward) {
            if (tm_vec_push(&sv->forward, dst->items[dst->n - 1]))
                return oom(sv->err);
            tm_pass_options fo = o;
            fo.regen_work = &dummy;
            int frc = tm_pass_segment(&sv->forward, &cc, sv->sg->from, sv->sg->to, &fo, sv->err);
            if (frc != TUMEN_OK)
                return frc;
        }
        if (tm_ceiling_build(&sv->ceiling, &cc, sv->sg->from, sv->sg->to) != TUMEN_OK ||
            tm_eco_coast_regions(&sv->coast, &sv->lift, sv->steep, &cc, sv->c, &sv->ceiling,
                                 sv->no_forward ? NULL : &sv->forward, sv->sg->from,
                                 sv->sg->to, sv->theta, sv->ends, sv->sg->n,
                                 sv->eta) != TUMEN_OK ||
            apply_lifts(sv) != TUMEN_OK)
            return oom(sv->err);
        cc.limits.items = sv->limits.items;
        cc.limits.n = sv->limits.n;
        o.coast = sv->coast.items;
        o.n_coast = sv->coast.n;
    }
    size_t first = dst->n - 1;
    double t0 = dst->items[first].t;
    int rc = tm_pass_segment(dst, &cc, sv->sg->from, sv->sg->to, &o, sv->err);
    if (rc != TUMEN_OK)
        return rc;
    for (size_t j = 0; j < sv->sg->n; j++)
        times[j] = time_at(dst, first, sv->ends[j]) - t0;
    return TUMEN_OK;
}

static int trial(solver *sv, const double *par, const tumen_sample *last, double *times)
{
    sv->scratch.n = 0;
    if (tm_vec_push(&sv->scratch, *last))
        return oom(sv->err);
    int rc = run_with(sv, par, &sv->scratch, times, 0, sv->plan->driving);
    if (rc == TUMEN_EPHYSICS) {
        /* Too slow to take a climb (the fastest run takes it with momentum): treat it as
         * later than any target. */
        for (size_t j = 0; j < sv->sg->n; j++)
            times[j] = 1e12;
        rc = TUMEN_OK;
    }
    return rc;
}

/* Regula falsi (Illinois) on *x in [a, b] for times[j] = target, with f(a) > 0 > f(b)
 * (time falls as *x grows). Ends at the faster side of a jump if the time has one. */
static int falsi(solver *sv, double *par, double *x, size_t j, double target, double a,
                 double fa, double b, double fb, const tumen_sample *last, double *times)
{
    int side = 0, rc = TUMEN_OK;
    for (int it = 0; it < 80; it++) {
        double m = (a * fb - b * fa) / (fb - fa);
        if (!(m > a && m < b) || it % 8 == 7)
            m = 0.5 * (a + b);
        *x = m;
        rc = trial(sv, par, last, times);
        if (rc != TUMEN_OK)
            return rc;
        double fm = times[j] - target;
        if (fabs(fm) < TIME_TOL)
            return TUMEN_OK;
        if (b - a < 1e-12)
            break;
        if (fm > 0.0) {
            a = m;
            fa = fm;
            if (side == 1)
                fb *= 0.5;
            side = 1;
        } else {
            b = m;
            fb = fm;
            if (side == -1)
                fa *= 0.5;
            side = -1;
        }
    }
    *x = b;
    return TUMEN_OK;
}

/* Finds par[j] so range end j is passed at its planned time (others fixed). Where the time
 * jumps with par[j] (a coasting phase joins another), eco keeps the faster side and lowers
 * the cruising speed further (scale) to close the gap. */
static int solve_one(solver *sv, double *par, size_t j, const tumen_sample *last, double *times)
{
    double target = sv->plan->subs.items[sv->sg->first + j].t_rel;
    double a = 0.0, b = p_max(sv), fa, fb;
    sv->scale[j] = 1.0;
    sv->frozen = 0;
    par[j] = b;
    int rc = trial(sv, par, last, times);
    if (rc != TUMEN_OK)
        return rc;
    fb = times[j] - target;
    if (fb >= -TIME_TOL)
        return TUMEN_OK; /* even the fastest choice is not early: keep it */
    par[j] = a;
    rc = trial(sv, par, last, times);
    if (rc != TUMEN_OK)
        return rc;
    fa = times[j] - target;
    if (fa <= TIME_TOL)
        return TUMEN_OK; /* the slowest choice is early: keep it */
    rc = falsi(sv, par, &par[j], j, target, a, fa, b, fb, last, times);
    if (rc != TUMEN_OK || sv->plan->driving != TUMEN_DRIVING_ECO)
        return rc;
    rc = trial(sv, par, last, times);
    if (rc != TUMEN_OK || fabs(times[j] - target) < TIME_TOL)
        return rc;
    /* A jump (a coasting phase appears or joins another): from the faster side, keep its
     * coasting phases and lower the cruising speed, which moves the time continuously. */
    double fs = times[j] - target;
    sv->frozen = 1;
    sv->scale[j] = K_MIN;
    rc = trial(sv, par, last, times);
    double fl = times[j] - target;
    if (rc == TUMEN_OK && fl > 0.0 && fs < 0.0)
        rc = falsi(sv, par, &sv->scale[j], j, target, K_MIN, fl, 1.0, fs, last, times);
    else
        sv->scale[j] = 1.0;
    /* Keep the frozen phases: the final run must be this one. */
    return rc;
}

/* How far (s) range end r, passed t after the segment's departure, misses its planned time
 * `planned`: late (or early, for an exact time), or before its lower time bound. */
static double bound_miss(const sub *r, double t, double planned)
{
    double d = t - planned;
    return fmax(r->window ? d : fabs(d), r->t_lo - t);
}

/* How far (s) the run is from the plan: a range end late, or an exact one early. */
static double off_plan(const solver *sv, const double *times)
{
    double worst = 0.0;
    for (size_t j = 0; j < sv->sg->n; j++) {
        const sub *r = &sv->plan->subs.items[sv->sg->first + j];
        worst = fmax(worst, bound_miss(r, times[j], r->t_rel));
    }
    return worst;
}

/* Where the segment's inner range ends are all "by" targets, the least energy spreads the
 * spare time over the whole segment (one price of time, docs/physics.md): one parameter for
 * the whole segment, found for its end; the targets then only bound it. Returns 1 when that
 * run meets every bound (or on an error, in *rc), 0 when a bound binds (the caller then
 * meets each range end at its planned time). */
static int solve_uniform(solver *sv, double *par, const tumen_sample *last, double *times,
                         int *rc)
{
    const seg *sg = sv->sg;
    const sub *subs = &sv->plan->subs.items[sg->first];
    if (sg->n < 2 || sv->plan->driving != TUMEN_DRIVING_ECO)
        return 0;
    for (size_t j = 0; j + 1 < sg->n; j++)
        if (!subs[j].window)
            return 0;
    sv->uniform = 1;
    *rc = solve_one(sv, par, sg->n - 1, last, times);
    if (*rc == TUMEN_OK)
        *rc = trial(sv, par, last, times);
    if (*rc != TUMEN_OK)
        return 1;
    int ok = fabs(times[sg->n - 1] - subs[sg->n - 1].t_rel) <= SWEEP_TOL;
    for (size_t j = 0; ok && j < sg->n; j++)
        ok = bound_miss(&subs[j], times[j], subs[j].t_rel) <= SWEEP_TOL;
    if (ok)
        return 1;
    sv->uniform = 0;
    sv->frozen = 0;
    for (size_t j = 0; j < sg->n; j++) {
        par[j] = p_max(sv);
        sv->scale[j] = 1.0;
    }
    return 0;
}

static void solver_free(solver *sv)
{
    free(sv->limits.items);
    free(sv->ceiling.items);
    free(sv->coast.items);
    free(sv->lift.items);
    free(sv->lifted.items);
    free(sv->scratch.items);
    free(sv->forward.items);
}

static int drive_segment(tm_leg_plan *plan, const seg *sg, tm_samples *out,
                         const tm_course *c, const tm_pass_options *po, tumen_error *err,
                         int steep, double eta);

/* How far (s) the run appended to smp after sample first misses the segment's plan (a range
 * end late, or an exact one early or late), against the planned times t_rel. */
static double miss(const tm_leg_plan *plan, const seg *sg, const tm_samples *smp, size_t first,
                   const double *t_rel)
{
    double worst = 0.0, t0 = smp->items[first].t;
    for (size_t j = 0; j < sg->n; j++) {
        const sub *r = &plan->subs.items[sg->first + j];
        worst = fmax(worst, bound_miss(r, time_at(smp, first, r->x_end) - t0, t_rel[j]));
    }
    return worst;
}

int tm_plan_segment(tm_leg_plan *plan, tm_samples *out, const tm_course *c, double from,
                    double to, const tm_pass_options *po, tumen_error *err)
{
    const seg *sg = NULL;
    for (size_t i = plan->cursor; i < plan->segs.n && !sg; i++)
        if (fabs(plan->segs.items[i].from - from) < 1e-6 && fabs(plan->segs.items[i].to - to) < 1e-6) {
            sg = &plan->segs.items[i];
            plan->cursor = i + 1;
        }
    double extra = 0.0;
    for (size_t j = 0; sg && j < sg->n; j++)
        extra += plan->subs.items[sg->first + j].extra;
    if (sg && sg->n > MAX_SUBS) /* cannot happen (build_ranges cuts at most that many) */
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "allowances",
                            "more than %d ranges and targets in one stop-to-stop segment",
                            MAX_SUBS);
    if (!sg || extra < TIME_TOL)
        return tm_pass_segment(out, c, from, to, po, err);
    if (plan->driving != TUMEN_DRIVING_ECO)
        return drive_segment(plan, sg, out, c, po, err, 0, plan->eta);
    /* Eco: the family of phases is run three ways (descents coasted by the MARECO rule
     * only; steep descents and climbs set by the adjoint condition; the same also for
     * phases that start on the acceleration from standstill or run into the coasting
     * before a stop): each met the plan by its own parameter search, the least energy on
     * time is kept. With the supply objective each way is also run with the wheel's
     * switching speeds (eta 0), judged by supply energy: the switching speeds for the
     * supply are those of level track (docs/physics.md), and this keeps a supply-objective
     * run from ever needing more supply energy than the wheel objective's run.
     * The searches may move window targets earlier; each starts from the same plan. */
    size_t n0 = out->n, nt = plan->targets.n;
    double t_rel[MAX_SUBS], best_rel[MAX_SUBS], *tg = malloc((nt + 1) * sizeof *tg);
    double *best_tg = malloc((nt + 1) * sizeof *best_tg);
    tm_samples tmp = {0};
    int rc = tg && best_tg ? TUMEN_OK : oom(err);
    for (size_t j = 0; j < sg->n; j++)
        t_rel[j] = plan->subs.items[sg->first + j].t_rel;
    for (size_t k = 0; rc == TUMEN_OK && k < nt; k++)
        tg[k] = plan->targets.items[k].t;
    double best_e = INFINITY, best_miss = INFINITY, best_regen = 0.0;
    /* Each way costs a whole parameter search: on long segments (the flagship's legs of
     * hundreds of km) only the first, so that an eco run stays well under a second. */
    int n_ways = sg->to - sg->from <= STEEP_MAX_LEN ? 3 : 1;
    int n_runs = plan->eta > 0.0 ? 2 * n_ways : n_ways;
    for (int way = 0; way < n_runs && rc == TUMEN_OK; way++) {
        int steep = way % n_ways;
        double eta = way < n_ways ? plan->eta : 0.0;
        for (size_t j = 0; j < sg->n; j++)
            plan->subs.items[sg->first + j].t_rel = t_rel[j];
        for (size_t k = 0; k < nt; k++)
            plan->targets.items[k].t = tg[k];
        tmp.n = 0;
        if (tm_vec_push(&tmp, out->items[n0 - 1])) {
            rc = oom(err);
            break;
        }
        double regen = 0.0;
        tm_pass_options pv = *po;
        if (po->regen_work || plan->eta > 0.0)
            pv.regen_work = &regen;
        rc = drive_segment(plan, sg, &tmp, c, &pv, err, steep, eta);
        if (rc != TUMEN_OK)
            break;
        /* The objective's energy: at the wheel, or from the supply (docs/physics.md,
         * "Energy from the supply": E / eta_t - rho W_regen). */
        double e = tmp.items[tmp.n - 1].energy, m = miss(plan, sg, &tmp, 0, t_rel);
        if (plan->eta > 0.0) {
            const tm_train *tr = c->train;
            double eff = tr->traction_efficiency > 0.0 ? tr->traction_efficiency : 1.0;
            e = (e - tmp.items[0].energy) / eff - tr->regenerative * regen;
        }
        int better = m <= 1.0 ? (best_miss > 1.0 || e < best_e) : m < best_miss;
        if (!better)
            continue;
        best_e = e;
        best_miss = m;
        best_regen = regen;
        for (size_t j = 0; j < sg->n; j++)
            best_rel[j] = plan->subs.items[sg->first + j].t_rel;
        for (size_t k = 0; k < nt; k++)
            best_tg[k] = plan->targets.items[k].t;
        out->n = n0;
        for (size_t i = 1; i < tmp.n && rc == TUMEN_OK; i++)
            if (tm_vec_push(out, tmp.items[i]))
                rc = oom(err);
    }
    if (rc == TUMEN_OK) {
        if (po->regen_work)
            *po->regen_work += best_regen;
        for (size_t j = 0; j < sg->n; j++)
            plan->subs.items[sg->first + j].t_rel = best_rel[j];
        for (size_t k = 0; k < nt; k++)
            plan->targets.items[k].t = best_tg[k];
    }
    free(tmp.items);
    free(tg);
    free(best_tg);
    return rc;
}

static int drive_segment(tm_leg_plan *plan, const seg *sg, tm_samples *out,
                         const tm_course *c, const tm_pass_options *po, tumen_error *err,
                         int steep, double eta)
{
    double from = sg->from;
    solver sv = {0};
    sv.steep = steep;
    sv.plan = plan;
    sv.sg = sg;
    sv.c = c;
    sv.po = po;
    sv.err = err;
    sv.eta = eta;
    double par[MAX_SUBS], times[MAX_SUBS];
    for (size_t j = 0; j < sg->n; j++) {
        const sub *r = &plan->subs.items[sg->first + j];
        double a = j ? plan->subs.items[sg->first + j - 1].x_end : from;
        sv.ends[j] = r->x_end;
        sv.v_hi[j] = 0.0;
        for (size_t i = 0; i < c->limits.n; i++) {
            const tm_limit_piece *lp = &c->limits.items[i];
            if (lp->end > a + POS_EPS && lp->start < r->x_end - POS_EPS)
                sv.v_hi[j] = fmax(sv.v_hi[j], lp->v);
        }
        par[j] = p_max(&sv);
        sv.scale[j] = 1.0;
        sv.v_seg = fmax(sv.v_seg, sv.v_hi[j]);
    }
    tumen_sample last = out->items[out->n - 1];
    int rc = TUMEN_OK;
    if (solve_uniform(&sv, par, &last, times, &rc)) {
        if (rc == TUMEN_OK)
            rc = run_with(&sv, par, out, times, 1, plan->driving);
        solver_free(&sv);
        return rc;
    }
    rc = solve_segment(&sv, par, &last, times);
    if (rc == TUMEN_OK && plan->driving == TUMEN_DRIVING_ECO && off_plan(&sv, times) > 1.0) {
        /* Range by range, coasting phases that start on the run without coasting can make a
         * range end's time jump past its plan: start them on the ceiling instead (MARECO's
         * rule, continuous in the parameters). */
        sv.no_forward = 1;
        for (size_t j = 0; j < sg->n; j++) {
            par[j] = p_max(&sv);
            sv.scale[j] = 1.0;
        }
        sv.frozen = 0;
        rc = solve_segment(&sv, par, &last, times);
    }
    /* A range end passed at a range's minimum time in the fastest run may need more when
     * the range before ends slower: pass the window target before it earlier instead. */
    for (int round = 0; round < 4 && rc == TUMEN_OK; round++) {
        size_t j = sg->n;
        while (j-- > 0 && times[j] - plan->subs.items[sg->first + j].t_rel <= SWEEP_TOL)
            ;
        if (j >= sg->n || j == 0)
            break;
        size_t i = j; /* a window with room above its lower bound */
        while (i-- > 0 && !(plan->subs.items[sg->first + i].window &&
                            plan->subs.items[sg->first + i].t_rel -
                                    plan->subs.items[sg->first + i].t_lo > SWEEP_TOL))
            ;
        if (i >= j)
            break;
        sub *r = &plan->subs.items[sg->first + i];
        double shift = fmin(1.5 * (times[j] - plan->subs.items[sg->first + j].t_rel) + SWEEP_TOL,
                            r->t_rel - r->t_lo);
        for (size_t k = 0; k < plan->targets.n; k++)
            if (fabs(plan->targets.items[k].x - r->x_end) < 1e-3)
                plan->targets.items[k].t -= shift;
        r->t_rel -= shift;
        rc = solve_segment(&sv, par, &last, times);
    }
    if (rc == TUMEN_OK && plan->driving == TUMEN_DRIVING_LINEAR &&
        sv.scratch.items[sv.scratch.n - 1].energy - last.energy > sg->emin * (1.0 + 1e-9)) {
        /* Scaling the limits costs more than the fastest run here (a climb after a descent
         * that the fastest run takes on momentum): drive this segment eco. */
        plan->driving = TUMEN_DRIVING_ECO;
        for (size_t j = 0; j < sg->n; j++)
            par[j] = p_max(&sv);
        rc = solve_segment(&sv, par, &last, times);
        plan->driving = TUMEN_DRIVING_LINEAR;
        if (rc == TUMEN_OK)
            rc = run_with(&sv, par, out, times, 1, TUMEN_DRIVING_ECO);
        solver_free(&sv);
        return rc;
    }
    if (rc == TUMEN_OK)
        rc = run_with(&sv, par, out, times, 1, plan->driving);
    solver_free(&sv);
    return rc;
}

/* Sweeps over the ranges until every range end is on time; sv->scratch then holds the run. */
static int solve_segment(solver *sv, double *par, const tumen_sample *last, double *times)
{
    const seg *sg = sv->sg;
    tm_leg_plan *plan = sv->plan;
    int rc = TUMEN_OK;
    for (int sweep = 0; sweep < 8 && rc == TUMEN_OK; sweep++) {
        for (size_t j = 0; j < sg->n && rc == TUMEN_OK; j++)
            rc = solve_one(sv, par, j, last, times);
        if (rc != TUMEN_OK)
            break;
        rc = trial(sv, par, last, times);
        double worst = 0.0;
        for (size_t j = 0; j < sg->n; j++)
            worst = fmax(worst, fabs(times[j] - plan->subs.items[sg->first + j].t_rel));
        if (sg->n == 1 || worst < SWEEP_TOL)
            break;
    }
    return rc;
}

double tm_plan_target_at(const tm_leg_plan *plan, double x)
{
    for (size_t i = 0; plan && i < plan->targets.n; i++)
        if (fabs(plan->targets.items[i].x - x) < 1e-3)
            return plan->targets.items[i].t;
    return -1.0;
}

void tm_plan_min_time(const tm_leg_plan *plan, double *moving_time, double *energy,
                      double *regen_work, tumen_driving *driving)
{
    *moving_time = plan->min_moving;
    *energy = plan->min_energy;
    *regen_work = plan->min_regen;
    *driving = plan->driving;
}
