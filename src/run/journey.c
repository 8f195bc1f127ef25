/* journey.c: running a whole journey, leg after leg, into one result.
 *
 * A leg is one train over one line, from standstill to standstill, stopping where the line
 * says. Legs are joined end to start: positions and times run on across legs, and the
 * consist change between two legs (a locomotive change, a bogie exchange) is time spent
 * standing at the joining point. A scenario without a journey runs its only train over its
 * only line as a one-leg journey.
 */
#include "core/error.h"
#include "model/scenario.h"
#include "run/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef TM_VEC(tumen_timing_point) timing_vec;
typedef TM_VEC(tumen_leg_summary) leg_vec;
typedef TM_VEC(double) double_vec;
typedef TM_VEC(tumen_error) warning_vec;

typedef struct builder {
    tm_samples samples;
    timing_vec timing;
    leg_vec legs;
    double_vec prof_s, prof_limit, prof_grad;
    warning_vec warnings; /* bounds not enforced or not met (tumen_result.warnings) */
    double offset; /* m, journey position of the current line's start */
} builder;

void tumen_run_options_init(tumen_run_options *o)
{
    o->mass_model = TUMEN_MASS_POINT;
    o->max_step = 0.0;
    o->allowance.kind = TUMEN_ALLOWANCE_NONE;
    o->allowance.value = 0.0;
    o->driving = TUMEN_DRIVING_DEFAULT;
    o->fastest = 0;
    o->adaptive_step = 0;
    o->objective = TUMEN_OBJECTIVE_WHEEL;
}

const char *tumen_mode_name(tumen_driving_mode mode)
{
    switch (mode) {
    case TUMEN_MODE_STANDSTILL: return "standstill";
    case TUMEN_MODE_ACCELERATE: return "accelerate";
    case TUMEN_MODE_CRUISE: return "cruise";
    case TUMEN_MODE_COAST: return "coast";
    case TUMEN_MODE_BRAKE: return "brake";
    case TUMEN_MODE_DWELL: return "dwell";
    }
    return "unknown";
}

static int oom(tumen_error *err)
{
    return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
}

/* The position where point pt is passed by the head: rear-measured points a train
 * length further, but never beyond the line's end. */
static double point_head_position(const tm_point *pt, const tm_train *tr, double end)
{
    double x = pt->position + (pt->rear ? tr->length : 0.0);
    return x > end ? end : x;
}

/* Time (s) when the head passes x, from the samples of this leg (from index first):
 * every timing point is a breakpoint of the pass, so a sample lies exactly there. */
/* Index of the first sample of this leg (from index first) at or beyond x; positions never
 * decrease along a leg, so a binary search finds it. */
static size_t first_at(const tm_samples *smp, size_t first, double x)
{
    size_t lo = first, hi = smp->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (smp->items[mid].s >= x - 1e-6)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static double time_at(const tm_samples *smp, size_t first, double x)
{
    size_t i = first_at(smp, first, x);
    return i < smp->n ? smp->items[i].t : smp->items[smp->n - 1].t;
}

static int add_standstill(builder *b, double t, double s, double energy, int mode)
{
    tumen_sample x = {t, s, 0, 0, 0, 0, 0, 0, energy, mode, 0};
    return tm_vec_push(&b->samples, x);
}

/* Runs every stop-to-stop segment of a leg; appends samples (line positions). Before the
 * first departure the train stands for the consist change and, after the first leg, for
 * the first point's dwell. */
static double leg_wait(const builder *b, const tm_course *c, const tm_line *line,
                       double change_time)
{
    double wait = change_time;
    for (size_t i = 0; i < line->n_points; i++)
        if (line->points[i].stop && b->legs.n > 0 &&
            point_head_position(&line->points[i], c->train, c->end) <= c->start + 1e-6)
            wait += line->points[i].dwell;
    return wait;
}

/* One stop-to-stop segment: at minimum time, or as the leg's allowance plan says. Adds
 * the time it took to *moving. */
static int drive(builder *b, tm_leg_plan *plan, const tm_course *c, double from, double to,
                 const tm_pass_options *po, double *moving, tumen_error *err)
{
    double t0 = b->samples.items[b->samples.n - 1].t;
    int rc = plan ? tm_plan_segment(plan, &b->samples, c, from, to, po, err)
                  : tm_pass_segment(&b->samples, c, from, to, po, err);
    *moving += b->samples.items[b->samples.n - 1].t - t0;
    return rc;
}

static int run_segments(builder *b, const tm_course *c, const tm_line *line,
                        const tm_pass_options *po, double change_time, tm_leg_plan *plan,
                        double *moving, tumen_error *err)
{
    /* A train leaves after its dwell and never before a not-before time there. */
    tumen_sample *last = &b->samples.items[b->samples.n - 1];
    double leave = tm_plan_departure(plan, c->start, last->t + leg_wait(b, c, line, change_time));
    if (leave > last->t && add_standstill(b, leave, c->start, last->energy, TUMEN_MODE_DWELL))
        return oom(err);
    double from = c->start;
    for (size_t i = 0; i < line->n_points; i++) {
        const tm_point *pt = &line->points[i];
        double x = point_head_position(pt, c->train, c->end);
        if (!pt->stop || x <= from + 1e-6)
            continue;
        int rc = drive(b, plan, c, from, x, po, moving, err);
        if (rc != TUMEN_OK)
            return rc;
        last = &b->samples.items[b->samples.n - 1];
        leave = x < c->end - 1e-6 ? tm_plan_departure(plan, x, last->t + pt->dwell) : last->t;
        if (leave > last->t && add_standstill(b, leave, x, last->energy, TUMEN_MODE_DWELL))
            return oom(err);
        from = x;
    }
    if (from < c->end - 1e-6)
        return drive(b, plan, c, from, c->end, po, moving, err);
    return TUMEN_OK;
}

/* Time of the last sample of this leg (from index first) still standing at x. */
static double departure_at(const tm_samples *smp, size_t first, double x)
{
    double t = smp->items[first].t;
    for (size_t j = first_at(smp, first, x); j < smp->n && smp->items[j].s <= x + 1e-6; j++)
        t = smp->items[j].t;
    return t;
}

/* Timing points of one leg, joined to the previous leg's last point when they coincide. */
static int add_timing_points(builder *b, const tm_course *c, const tm_line *line,
                             const tm_run_leg *leg, size_t leg_index, size_t first_sample,
                             const tm_leg_plan *plan)
{
    for (size_t i = 0; i < line->n_points; i++) {
        const tm_point *pt = &line->points[i];
        double x = point_head_position(pt, c->train, c->end);
        tumen_timing_point tp = {NULL, 0, 0, 0, pt->stop, (int)leg_index, NULL, -1.0};
        tp.target = tm_plan_target_at(plan, x);
        tp.position = x - c->start + b->offset;
        tp.arrival = time_at(&b->samples, first_sample, x);
        tp.departure = tp.arrival;
        if (pt->stop)
            tp.departure = departure_at(&b->samples, first_sample, x);
        int at_start = x <= c->start + 1e-6;
        const char *change = at_start && leg->change ? leg->change : "";
        if (at_start && b->timing.n > 0 && leg_index > 0) {
            tumen_timing_point *prev = &b->timing.items[b->timing.n - 1];
            if (fabs(prev->position - tp.position) < 1e-3) {
                char *text = strdup(change);
                if (!text)
                    return TUMEN_ENOMEM;
                prev->departure = tp.departure;
                free((char *)prev->change);
                prev->change = text;
                continue;
            }
        }
        if (at_start && leg_index == 0)
            tp.arrival = tp.departure;
        /* Names whole, of any length: the result owns a copy (tumen_result_destroy). */
        tp.name = strdup(tm_name_or(pt->name, ""));
        tp.change = strdup(change);
        if (!tp.name || !tp.change || tm_vec_push(&b->timing, tp)) {
            free((char *)tp.name);
            free((char *)tp.change);
            return TUMEN_ENOMEM;
        }
    }
    return TUMEN_OK;
}

/* The speed (m/s) where the head passes x, between the samples of this leg around it. */
static double speed_at(const tm_samples *smp, size_t first, double x)
{
    size_t i = first_at(smp, first, x);
    if (i >= smp->n)
        return smp->items[smp->n - 1].v;
    const tumen_sample *a = &smp->items[i > first ? i - 1 : i], *z = &smp->items[i];
    if (z->s - a->s < 1e-9)
        return z->v;
    return a->v + (z->v - a->v) * (x - a->s) / (z->s - a->s);
}

/* The speed bounds of the leg's targets (TTOBench's lowest and highest speed at a timing
 * point), checked on the run: each one the run breaks is a warning naming where it is
 * written. The highest speed is a speed limit there too (formats/ttobench.c): a warning for
 * it means the engine overshot its own limit. */
static int check_speeds(builder *b, const tm_course *c, const tm_line *line,
                        const tm_allowance_spec *spec, size_t first)
{
    for (size_t k = 0; spec && k < spec->n_targets; k++) {
        const tm_target *t = &spec->targets[k];
        if (!(t->v_min > 0.0) && !(t->v_max > 0.0))
            continue;
        for (size_t i = 0; i < line->n_points; i++) {
            const tm_point *pt = &line->points[i];
            if (strcmp(tm_name_or(pt->name, ""), tm_name_or(t->at, "")) != 0)
                continue;
            double v = speed_at(&b->samples, first, point_head_position(pt, c->train, c->end));
            int slow = t->v_min > 0.0 && v < t->v_min - 1e-3;
            int fast = t->v_max > 0.0 && v > t->v_max + 1e-3;
            tumen_error w = {0};
            if (slow || fast)
                tm_error_set(&w, TUMEN_EINPUT, t->origin.file, t->origin.line,
                             t->origin.field ? t->origin.field : "targets",
                             "%s speed constraint %.1f km/h at '%s': the run passes at %.1f km/h",
                             slow ? "lower" : "upper", 3.6 * (slow ? t->v_min : t->v_max),
                             t->at, 3.6 * v);
            if ((slow || fast) && tm_vec_push(&b->warnings, w))
                return TUMEN_ENOMEM;
            break;
        }
    }
    return TUMEN_OK;
}

/* The plan's warnings (bounds it does not enforce) into the result's. */
static int add_plan_warnings(builder *b, const tm_leg_plan *plan)
{
    const tumen_error *w = NULL;
    size_t n = tm_plan_warnings(plan, &w);
    for (size_t i = 0; i < n; i++)
        if (tm_vec_push(&b->warnings, w[i]))
            return TUMEN_ENOMEM;
    return TUMEN_OK;
}

static int add_profile(builder *b, const tm_line *line, const tm_train *tr)
{
    for (size_t i = 0; i < line->n_sections; i++) {
        const tm_section *sec = &line->sections[i];
        double limit = sec->speed_limit;
        if (tr->max_speed > 0.0 && tr->max_speed < limit)
            limit = tr->max_speed;
        if (tm_vec_push(&b->prof_s, sec->start - line->sections[0].start + b->offset) ||
            tm_vec_push(&b->prof_limit, limit) || tm_vec_push(&b->prof_grad, sec->gradient))
            return TUMEN_ENOMEM;
    }
    return TUMEN_OK;
}

static int run_leg(builder *b, const tm_run_leg *leg, const tm_allowance_spec *spec,
                   size_t leg_index, const tumen_run_options *o, tumen_error *err)
{
    const tm_train *tr = leg->train;
    const tm_line *line = leg->line;
    tm_course c;
    int rc = tm_course_build(&c, tr, line, o->mass_model, err);
    if (rc != TUMEN_OK)
        return rc;
    size_t first = b->samples.n;
    double t0 = first ? b->samples.items[first - 1].t : 0.0;
    double e0 = first ? b->samples.items[first - 1].energy : 0.0;
    if (add_standstill(b, t0, c.start, e0, TUMEN_MODE_STANDSTILL)) {
        tm_course_free(&c);
        return oom(err);
    }
    double regen = 0.0, moving = 0.0;
    tm_pass_options po = {o->max_step, NULL, 0, &regen, o->adaptive_step};
    tm_leg_plan *plan = NULL;
    double t_depart = t0 + leg_wait(b, &c, line, leg->change_time);
    rc = tm_plan_leg(&plan, &c, line, spec, o, t_depart, &po, err);
    if (rc == TUMEN_OK)
        rc = run_segments(b, &c, line, &po, leg->change_time, plan, &moving, err);
    if (rc == TUMEN_OK &&
        (add_timing_points(b, &c, line, leg, leg_index, first, plan) != TUMEN_OK ||
         add_profile(b, line, tr) != TUMEN_OK || add_plan_warnings(b, plan) != TUMEN_OK ||
         check_speeds(b, &c, line, spec, first) != TUMEN_OK))
        rc = oom(err);
    if (rc == TUMEN_OK) {
        const tumen_sample *last = &b->samples.items[b->samples.n - 1];
        double dep = departure_at(&b->samples, first, c.start), energy = last->energy - e0;
        /* Energy from the supply (docs/physics.md, "Energy from the supply"). */
        double eff = tr->traction_efficiency > 0.0 ? tr->traction_efficiency : 1.0;
        double min_moving = moving, min_energy = energy, min_regen = regen;
        tumen_driving driving = TUMEN_DRIVING_DEFAULT;
        if (plan)
            tm_plan_min_time(plan, &min_moving, &min_energy, &min_regen, &driving);
        tumen_leg_summary ls = {NULL, NULL, b->offset, b->offset + c.end - c.start, dep, last->t,
                                energy, 0.0, tr->mass, tr->length, tr->brake_percentage,
                                energy / eff - tr->regenerative * regen,
                                tr->regenerative * regen, last->t - dep - moving + min_moving,
                                min_energy, min_energy / eff - tr->regenerative * min_regen,
                                (int)driving};
        ls.train = strdup(tm_name_or(tr->name, tr->id));
        ls.line = strdup(tm_name_or(line->name, line->id));
        /* From line positions to journey positions. */
        for (size_t i = first; i < b->samples.n; i++) {
            tumen_sample *x = &b->samples.items[i];
            x->s = x->s - c.start + b->offset;
            x->leg = (int)leg_index;
            ls.max_speed = fmax(ls.max_speed, x->v);
        }
        if (!ls.train || !ls.line || tm_vec_push(&b->legs, ls)) {
            free((char *)ls.train);
            free((char *)ls.line);
            rc = oom(err);
        }
        b->offset += c.end - c.start;
    }
    tm_plan_free(plan);
    tm_course_free(&c);
    return rc;
}

/* Frees the names the timing points and legs own. */
static void free_names(tumen_timing_point *tp, size_t n_tp, tumen_leg_summary *legs,
                       size_t n_legs)
{
    for (size_t i = 0; i < n_tp; i++) {
        free((char *)tp[i].name);
        free((char *)tp[i].change);
    }
    for (size_t i = 0; i < n_legs; i++) {
        free((char *)legs[i].train);
        free((char *)legs[i].line);
    }
}

static void builder_free(builder *b)
{
    free_names(b->timing.items, b->timing.n, b->legs.items, b->legs.n);
    free(b->samples.items);
    free(b->timing.items);
    free(b->legs.items);
    free(b->prof_s.items);
    free(b->prof_limit.items);
    free(b->prof_grad.items);
    free(b->warnings.items);
}

static tumen_result *finish(builder *b, double clock_start)
{
    tumen_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->samples = b->samples.items;
    r->n_samples = b->samples.n;
    r->timing_points = b->timing.items;
    r->n_timing_points = b->timing.n;
    r->legs = b->legs.items;
    r->n_legs = b->legs.n;
    r->profile_s = b->prof_s.items;
    r->profile_limit = b->prof_limit.items;
    r->profile_gradient = b->prof_grad.items;
    r->n_profile = b->prof_s.n;
    r->warnings = b->warnings.items;
    r->n_warnings = b->warnings.n;
    r->clock_start = clock_start;
    const tumen_sample *last = &r->samples[r->n_samples - 1];
    r->running_time = last->t;
    r->distance = last->s;
    r->energy = last->energy;
    for (size_t i = 0; i < r->n_samples; i++)
        r->max_speed = fmax(r->max_speed, r->samples[i].v);
    for (size_t i = 0; i < r->n_legs; i++) {
        const tumen_leg_summary *l = &r->legs[i];
        r->energy_supply += l->energy_supply;
        r->energy_regenerated += l->energy_regenerated;
        r->min_running_time -= (l->arrival - l->departure) - l->min_running_time;
        r->min_time_energy += l->min_time_energy;
        r->min_time_energy_supply += l->min_time_energy_supply;
    }
    r->min_running_time += r->running_time;
    return r;
}

/* Each leg's share of the journey's minimum running time, when a fixed-time allowance is
 * given for the whole journey (options, or the journey's spec) and there are several legs;
 * else *share stays NULL. */
static int time_shares(const tm_run_leg *legs, const tm_allowance_spec *const *in,
                       size_t n_legs, const tumen_run_options *o, double clock_start,
                       double **share, tm_allowance_spec **specs, tumen_error *err)
{
    *share = NULL;
    *specs = NULL;
    int needed = o->allowance.kind == TUMEN_ALLOWANCE_TIME;
    for (size_t i = 0; in && i < n_legs; i++)
        if (in[i] && in[i]->shared && in[i]->whole.kind == TUMEN_ALLOWANCE_TIME)
            needed = 1;
    if (!needed || n_legs < 2 || o->fastest)
        return TUMEN_OK;
    tumen_run_options f = *o;
    f.fastest = 1;
    tumen_result *r = NULL;
    int rc = tm_run_journey_spec(legs, in, n_legs, &f, clock_start, &r, err);
    if (rc != TUMEN_OK)
        return rc;
    *share = calloc(n_legs, sizeof **share);
    *specs = calloc(n_legs, sizeof **specs);
    if (!*share || !*specs) {
        tumen_result_destroy(r);
        free(*share);
        free(*specs);
        *share = NULL;
        *specs = NULL;
        return oom(err);
    }
    double total = 0.0;
    for (size_t i = 0; i < r->n_legs; i++)
        total += r->legs[i].arrival - r->legs[i].departure;
    for (size_t i = 0; i < r->n_legs && i < n_legs; i++)
        (*share)[i] = total > 0.0 ? (r->legs[i].arrival - r->legs[i].departure) / total : 0.0;
    tumen_result_destroy(r);
    return TUMEN_OK;
}

int tm_run_journey(const tm_run_leg *legs, size_t n_legs, const tumen_run_options *options,
                   double clock_start, tumen_result **out, tumen_error *err)
{
    return tm_run_journey_spec(legs, NULL, n_legs, options, clock_start, out, err);
}

static int on_some_leg(const tm_run_leg *legs, size_t n_legs, const char *name)
{
    if (tm_name_empty(name))
        return 1;
    for (size_t g = 0; g < n_legs; g++)
        for (size_t i = 0; i < legs[g].line->n_points; i++)
            if (!strcmp(tm_name_or(legs[g].line->points[i].name, ""), name))
                return 1;
    return 0;
}

/* A spec shared by every leg (a service's, a journey's) skips, on each leg, the names that
 * are not there; a name on none of the legs is the file's error, not a bound to drop. The
 * journey reader checks its own at its lines; a timetable service's line is only known once
 * its route is found, so the check is here, for every caller. */
static int check_shared_names(const tm_run_leg *legs, const tm_allowance_spec *const *in,
                              size_t n_legs, tumen_error *err)
{
    for (size_t k = 0; in && k < n_legs; k++) {
        const tm_allowance_spec *spec = in[k];
        if (!spec || !spec->shared)
            continue;
        for (size_t i = 0; i < spec->n_targets; i++) {
            const tm_target *t = &spec->targets[i];
            if (!on_some_leg(legs, n_legs, t->at))
                return tm_error_set(err, TUMEN_EINPUT, t->origin.file, t->origin.line,
                                    t->origin.field ? t->origin.field : "targets",
                                    "no timing point '%s' on the route", t->at);
        }
        for (size_t i = 0; i < spec->n_ranges; i++) {
            const tm_allowance_range *r = &spec->ranges[i];
            const char *missing = !on_some_leg(legs, n_legs, r->from) ? r->from
                                  : !on_some_leg(legs, n_legs, r->to) ? r->to
                                                                      : NULL;
            if (missing)
                return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "allowances",
                                    "no timing point '%s' on the route", missing);
        }
    }
    return TUMEN_OK;
}

int tm_run_journey_spec(const tm_run_leg *legs, const tm_allowance_spec *const *in,
                        size_t n_legs, const tumen_run_options *options, double clock_start,
                        tumen_result **out, tumen_error *err)
{
    *out = NULL;
    tumen_run_options o;
    tumen_run_options_init(&o);
    if (options)
        o = *options;
    if (n_legs == 0)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "journey.legs", "the journey has no legs");
    int rc_names = check_shared_names(legs, in, n_legs, err);
    if (rc_names != TUMEN_OK)
        return rc_names;
    /* A fixed time for the whole journey is shared among its legs in proportion to their
     * minimum running times: run the journey at minimum time first. */
    double *share = NULL;
    tm_allowance_spec *specs = NULL;
    int rc = time_shares(legs, in, n_legs, &o, clock_start, &share, &specs, err);
    if (rc != TUMEN_OK)
        return rc;
    builder b = {0};
    for (size_t i = 0; i < n_legs && rc == TUMEN_OK; i++) {
        tumen_run_options ol = o;
        const tm_allowance_spec *spec = in ? in[i] : NULL;
        if (share) {
            ol.allowance.value *= share[i];
            if (spec && spec->shared && spec->whole.kind == TUMEN_ALLOWANCE_TIME) {
                specs[i] = *spec;
                specs[i].whole.value *= share[i];
                spec = &specs[i];
            }
        }
        rc = run_leg(&b, &legs[i], spec, i, &ol, err);
    }
    free(share);
    free(specs);
    if (rc == TUMEN_OK && !(*out = finish(&b, clock_start)))
        rc = oom(err);
    if (rc != TUMEN_OK)
        builder_free(&b);
    return rc;
}

int tm_scenario_run(const tm_scenario *sc, const tumen_run_options *options,
                    tumen_result **out, tumen_error *err)
{
    *out = NULL;
    if (!sc->has_journey) {
        if (sc->n_trains != 1 || sc->n_lines != 1)
            return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                                "without a journey, give exactly one train and one line "
                                "(got %zu trains and %zu lines)",
                                sc->n_trains, sc->n_lines);
        tm_run_leg single = {&sc->trains[0], &sc->lines[0], NULL, 0.0};
        return tm_run_journey(&single, 1, options, -1.0, out, err);
    }
    size_t n = sc->journey.n_legs;
    tm_run_leg *legs = calloc(n ? n : 1, sizeof *legs);
    const tm_allowance_spec **specs = calloc(n ? n : 1, sizeof *specs);
    if (!legs || !specs) {
        free(legs);
        free(specs);
        return oom(err);
    }
    for (size_t i = 0; i < n; i++) {
        const tm_leg *l = &sc->journey.legs[i];
        const tm_allowance_spec *own =
            sc->journey.leg_allowances ? &sc->journey.leg_allowances[i] : NULL;
        specs[i] = tm_allowance_spec_any(own)                       ? own
                   : tm_allowance_spec_any(&sc->journey.allowance) ? &sc->journey.allowance
                                                                    : NULL;
        legs[i] = (tm_run_leg){&sc->trains[l->train], &sc->lines[l->line], l->change,
                               l->change_time};
    }
    int rc = tm_run_journey_spec(legs, specs, n, options, sc->journey.departure, out, err);
    free(legs);
    free(specs);
    return rc;
}

void tumen_result_destroy(tumen_result *r)
{
    if (!r)
        return;
    free_names(r->timing_points, r->n_timing_points, r->legs, r->n_legs);
    free(r->samples);
    free(r->timing_points);
    free(r->legs);
    free(r->profile_s);
    free(r->profile_limit);
    free(r->profile_gradient);
    free(r->warnings);
    free(r);
}
