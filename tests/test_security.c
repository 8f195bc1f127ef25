/* test_security.c: the special's security rule sets and the route security schedule,
 * checked independently of the planner.
 *
 * Generated networks with structures (a line of single and double track, level crossings of
 * every kind, bridges, tunnels, a branch joining at a junction, an electrified parallel
 * line), a background of passenger and freight trains on all of them, a convoy request;
 * for every built-in rule set (margins, royal, strict) and both modes the plan's new
 * timetable is written (timetable YAML) and the schedule (JSON), both read back, the
 * timetable re-run by the engine, and every rule re-derived at every object from passing
 * times alone (not the planner's resources or blocking times):
 *  - the schedule's passing times are the re-run convoy's;
 *  - guards from guard_before before the first convoy train to guard_after after the last;
 *    level crossings closed from their warning + closing time (and the set's lead, the
 *    manned / unmanned locks) before the pilot or the special until the escort has passed
 *    plus the opening time; power off around the passage on electrified neighbours;
 *  - line clear: no other train passes a structure in the convoy's direction (either on
 *    single track) from min(pilot - margin_time, special - line_clear_before) to
 *    max(escort + margin_time, special + line_clear_after);
 *  - the other track of a double line and the parallel line: no train (held) or no train
 *    but passenger trains (passenger_only) passing there in the neighbour window;
 *  - junctions: no train arrives from or leaves onto another line in the line-clear window;
 *  - stations passed: no passenger train standing at the platform within station_clear;
 *  - held trains leave no earlier than the schedule says; the summary adds up.
 * And bad input: an unknown rule set, a negative time, a structure outside its track, a
 * level crossing without a position.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "formats/readers.h"
#include "formats/security_write.h"
#include "formats/special_write.h"
#include "model/scenario.h"
#include "plan/security_schedule.h"
#include "plan/special_plan.h"
#include "plan/timetable.h"
#include "support.h"

static unsigned long long rng_state;
static unsigned rnd(unsigned n)
{
    return tm_test_rnd(&rng_state, n);
}

typedef tm_test_text text;
#define put tm_test_put
#define save tm_test_save

/* ---- Generated cases ---------------------------------------------------------------- */

#define stock tm_test_stock_yaml

static const char *const crossing_kinds[] = {"automatic", "manned", "unprotected"};

/* The network: S0..S(n-1) (single or double track, some electrified, structures on each),
 * a branch B - S(j) and a parallel line P0 - P1 beside T1. */
static void make_network(text *b, size_t n, size_t j)
{
    put(b, "%snetwork:\n  operational_points:\n", stock);
    for (size_t i = 0; i < n; i++)
        put(b, "    - {id: S%zu, name: Station %zu, loops: [700 m, 700 m]}\n", i, i);
    put(b, "    - {id: B, loops: [700 m]}\n    - {id: P0, loops: [700 m]}\n"
           "    - {id: P1, loops: [700 m]}\n  tracks:\n");
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned km = 6 + rnd(7);
        put(b, "    - {id: T%zu, from: S%zu, to: S%zu, length: %u km, speed_limit: %u km/h,\n"
               "       main_tracks: %u, electrification: \"%s\", signals: [{at: %.1f km}],\n"
               "       structures: [{kind: level_crossing, at: %.2f km, protection: %s,\n"
               "                     warning_time: %u s, closing_time: %u s, road: R%zu}",
            i, i, i + 1, km, 60 + 10 * rnd(4), 1 + rnd(2), rnd(2) ? "3kV DC" : "none",
            km / 2.0, 0.5 + rnd(10) / 10.0, crossing_kinds[rnd(3)], 20 + 5 * rnd(4),
            8 + rnd(6), i);
        if (rnd(2))
            put(b, ",\n                    {kind: bridge, at: %.2f km, length: %u m, "
                   "name: \"Bridge %zu\"}", 2.0 + rnd(10) / 10.0, 100 + 50 * rnd(6), i);
        if (rnd(3) == 0)
            put(b, ",\n                    {kind: tunnel, at: %.2f km, length: 800 m, "
                   "name: \"Tunnel %zu\"}", 3.5 + rnd(10) / 10.0, i);
        put(b, "]");
        if (i == 1)
            put(b, ",\n       parallel: [{track: TP, distance: 40 m}]");
        put(b, "}\n");
    }
    put(b, "    - {id: TB, from: B, to: S%zu, length: 7 km, speed_limit: 70 km/h,\n"
           "       signals: [{at: 3.5 km}],\n"
           "       structures: [{kind: level_crossing, at: 2 km, protection: unprotected}]}\n"
           "    - {id: TP, from: P0, to: P1, length: 9 km, speed_limit: 80 km/h,\n"
           "       electrification: \"3kV DC\", signals: [{at: 4.5 km}]}\n",
        j);
}

static void clock_of(unsigned s, char *out, size_t size)
{
    snprintf(out, size, "%02u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
}

static void make_timetable(text *b, size_t n, size_t j)
{
    put(b, "timetable:\n  name: generated\n  services:\n");
    for (int k = 0; k < 9; k++) {
        int pax = rnd(2);
        char dep[16];
        clock_of(5 * 3600 + 60 * rnd(300), dep, sizeof dep);
        const char *routes[][2] = {{"S0", NULL}, {NULL, "S0"}, {"B", "S0"}, {"P0", "P1"},
                                   {"P1", "P0"}};
        int r = rnd(5);
        char from[8], to[8];
        snprintf(from, sizeof from, "%s", routes[r][0] ? routes[r][0] : "");
        snprintf(to, sizeof to, "%s", routes[r][1] ? routes[r][1] : "");
        if (!from[0])
            snprintf(from, sizeof from, "S%zu", n - 1);
        if (!to[0])
            snprintf(to, sizeof to, "S%zu", n - 1);
        put(b, "    - {id: X%d, train: %s, category: %s, departure: \"%s\", route: [%s, %s]",
            k, pax ? "pax" : "goods", pax ? "passenger" : "freight", dep, from, to);
        if (r < 2 && rnd(2))
            put(b, ", stops: [{at: S%u, dwell: 2 min}]", 1 + rnd((unsigned)(n - 2)));
        put(b, "}\n");
    }
    (void)j;
}

static void make_request(text *b, size_t n, const char *rules, const char *extra)
{
    char early[16];
    clock_of(5 * 3600 + 60 * rnd(200), early, sizeof early);
    put(b, "special:\n  id: vip\n  train: spec\n  from: S0\n  to: S%zu\n"
           "  earliest_departure: \"%s\"\n  pilot: {train: spec, lead: %u min}\n"
           "  escort: {train: spec, lag: %u min}\n"
           "  costs: {passenger: {delay_per_min: 5, cancel: 600}, freight: {delay_per_min: "
           "1, cancel: 200}}\n"
           "  security: {rules: %s, margin_time: 60 s%s}\n",
        n - 1, early, 3 + rnd(3), 2 + rnd(3), rules, extra);
}

/* ---- The independent checker ------------------------------------------------------- */

typedef struct checker {
    const tm_scenario *sc;  /* the input (network, rules) */
    const tm_special_spec *sp;
    const tm_security_rules *R;
    const tm_timetable *tt;    /* the written timetable, read back */
    tm_timetable_result runs;  /* its re-run, with trajectories */
    size_t convoy[3];          /* service index of pilot, special, escort, or -1 */
    int bad;
    int checked;
} checker;

#define VIOLATION(c, ...)                                                                    \
    do {                                                                                     \
        (c)->bad++;                                                                          \
        if ((c)->bad <= 8)                                                                   \
            printf("  violation: " __VA_ARGS__);                                             \
    } while (0)

static double jnum(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Time a run's head reaches route position x (linear between trajectory samples). */
static double head_at(const tm_service_run *r, double x)
{
    for (size_t q = 1; q < r->n_samples; q++)
        if (r->samples[q].s >= x - 1e-6) {
            const tumen_sample *a = &r->samples[q - 1], *b = &r->samples[q];
            double f = b->s > a->s ? (x - a->s) / (b->s - a->s) : 1.0;
            return r->clock_start + a->t + f * (b->t - a->t);
        }
    return NAN;
}

/* Where run r passes position pos of track t: its time, and its direction there. */
static int passes(const tm_scenario *sc, const tm_service_run *r, size_t t, double pos,
                  double *when, int *forward)
{
    for (size_t q = 0; q < r->n_steps; q++)
        if (r->steps[q].track == t) {
            double len = sc->network.tracks[t].length;
            *forward = r->steps[q].forward;
            *when = head_at(r, r->step_start[q] + (*forward ? pos : len - pos));
            return !isnan(*when);
        }
    return 0;
}

static int in_window(double t, double a, double b)
{
    return t > a + 1.0 && t < b - 1.0; /* written to the second */
}

static int is_convoy(const checker *c, size_t s)
{
    return s == c->convoy[0] || s == c->convoy[1] || s == c->convoy[2];
}

static int electrified(const tm_scenario *sc, size_t t)
{
    return sc->network.tracks[t].electrification != TM_ELEC_NONE;
}

/* The neighbour rule for track t under the set (power off holds an electrified one). */
static tm_neighbour_rule rule_for(const checker *c, size_t t, tm_neighbour_rule r)
{
    return c->R->power_off && electrified(c->sc, t) ? TM_NEIGHBOUR_HELD : r;
}

static void check_neighbour(checker *c, size_t s, tm_neighbour_rule rule, double t,
                            const char *what, const char *name)
{
    const tm_service *svc = &c->tt->services[s];
    if (rule == TM_NEIGHBOUR_HELD ||
        (rule == TM_NEIGHBOUR_PASSENGER_ONLY && svc->category != TM_CATEGORY_PASSENGER))
        VIOLATION(c, "%s on %s of %s at %.0f s (%s)\n", svc->id, what, name, t,
                  tm_neighbour_rule_name(rule));
}

/* A structure: line clear, the other track, the parallel tracks. */
static void check_structure(checker *c, const json_t *o, size_t track, double pos,
                            double first, double last, const double *pass)
{
    const tm_scenario *sc = c->sc;
    const tm_track *tr = &sc->network.tracks[track];
    double m = c->sp->margin_time;
    double lc0 = fmin(first - m, pass[1] - c->R->line_clear_before);
    double lc1 = fmax(last + m, pass[1] + c->R->line_clear_after);
    double nb0 = first - c->R->neighbour_before;
    double nb1 = (c->R->neighbour_until_special ? pass[1] : last) + c->R->neighbour_after;
    const char *name = json_string_value(json_object_get(o, "name"));
    int dir = 1;
    double tmp;
    passes(sc, &c->runs.runs[c->convoy[1]], track, pos, &tmp, &dir);
    for (size_t s = 0; s < c->tt->n_services; s++) {
        double t;
        int fw;
        if (is_convoy(c, s) || !passes(sc, &c->runs.runs[s], track, pos, &t, &fw))
            continue;
        if ((fw == dir || tr->main_tracks < 2) && in_window(t, lc0, lc1))
            VIOLATION(c, "%s passes %s at %.0f s, line clear %.0f-%.0f s\n",
                      c->tt->services[s].id, name, t, lc0, lc1);
        if (fw != dir && tr->main_tracks >= 2 && in_window(t, nb0, nb1))
            check_neighbour(c, s, rule_for(c, track, c->R->other_track), t, "the other track",
                            name);
    }
    /* parallel tracks, both ways round: any time a train is on them */
    for (size_t p = 0; p < sc->network.n_tracks; p++) {
        int beside = 0;
        for (size_t q = 0; q < tr->n_parallel; q++)
            beside |= tr->parallel[q].track == p;
        for (size_t q = 0; q < sc->network.tracks[p].n_parallel; q++)
            beside |= sc->network.tracks[p].parallel[q].track == track;
        if (!beside)
            continue;
        for (size_t s = 0; s < c->tt->n_services; s++) {
            double t0, t1;
            int fw;
            const tm_service_run *r = &c->runs.runs[s];
            if (is_convoy(c, s) || !passes(sc, r, p, 0.0, &t0, &fw) ||
                !passes(sc, r, p, sc->network.tracks[p].length, &t1, &fw))
                continue;
            if (fmax(t0, t1) > nb0 + 1.0 && fmin(t0, t1) < nb1 - 1.0)
                check_neighbour(c, s, rule_for(c, p, c->R->parallel), t0, "a parallel track",
                                name);
        }
    }
}

/* A point: junction (other lines) and platforms (passenger trains standing). */
static void check_point(checker *c, const json_t *o, size_t op)
{
    const tm_service_run *sr = &c->runs.runs[c->convoy[1]];
    size_t q = 0;
    while (q < sr->n_points && sr->points[q].op != op)
        q++;
    assert_true(q < sr->n_points);
    const char *name = json_string_value(json_object_get(o, "name"));
    double m = c->sp->margin_time;
    /* the convoy's windows at the point: arriving, and leaving */
    double arr0 = INFINITY, arr1 = -INFINITY, dep0 = INFINITY, dep1 = -INFINITY;
    for (int w = 0; w < 3; w++) {
        if (c->convoy[w] == (size_t)-1)
            continue;
        const tm_service_point *p = &c->runs.runs[c->convoy[w]].points[q];
        double before = w == 1 ? c->R->line_clear_before : 0.0;
        double after = w == 1 ? c->R->line_clear_after : 0.0;
        arr0 = fmin(arr0, fmin(p->arrival - m, p->arrival - before));
        arr1 = fmax(arr1, fmax(p->arrival + m, p->arrival + after));
        dep0 = fmin(dep0, fmin(p->departure - m, p->departure - before));
        dep1 = fmax(dep1, fmax(p->departure + m, p->departure + after));
    }
    size_t in = q > 0 ? sr->steps[q - 1].track : (size_t)-1;
    size_t out = q + 1 < sr->n_points ? sr->steps[q].track : (size_t)-1;
    int stops = sr->points[q].is_stop;
    double sc_ = fmax(c->sp->station_margin, c->R->station_clear);
    for (size_t s = 0; s < c->tt->n_services; s++) {
        if (is_convoy(c, s))
            continue;
        const tm_service_run *r = &c->runs.runs[s];
        for (size_t z = 0; z < r->n_points; z++) {
            if (r->points[z].op != op)
                continue;
            size_t from = z > 0 ? r->steps[z - 1].track : (size_t)-1;
            size_t to = z + 1 < r->n_points ? r->steps[z].track : (size_t)-1;
            if (c->R->junctions && q > 0) {
                int from_other = from != (size_t)-1 && from != in && from != out;
                int to_other = to != (size_t)-1 && to != in && to != out;
                double t = r->points[z].arrival, u = r->points[z].departure;
                if ((from_other && (in_window(t, arr0, arr1) || in_window(t, dep0, dep1))) ||
                    (to_other && (in_window(u, arr0, arr1) || in_window(u, dep0, dep1))))
                    VIOLATION(c, "%s crosses the junction %s at %.0f-%.0f s\n",
                              c->tt->services[s].id, name, t, u);
            }
            if (!stops && q > 0 && q + 1 < sr->n_points &&
                c->tt->services[s].category == TM_CATEGORY_PASSENGER && r->points[z].is_stop &&
                z > 0 && z + 1 < r->n_points) {
                double t = sr->points[q].arrival;
                if (r->points[z].arrival < t + sc_ - 1.0 && t - sc_ + 1.0 < r->points[z].departure)
                    VIOLATION(c, "%s stands at %s while the special passes at %.0f s\n",
                              c->tt->services[s].id, name, t);
            }
        }
    }
}

/* The windows of one object against the convoy's re-run passing times. */
static void check_object(checker *c, const json_t *o)
{
    const tm_scenario *sc = c->sc;
    const char *kind = json_string_value(json_object_get(o, "kind"));
    const char *track_id = json_string_value(json_object_get(o, "track"));
    const char *name = json_string_value(json_object_get(o, "name"));
    assert_non_null(kind);
    assert_non_null(track_id);
    size_t track = tm_network_find_track(&sc->network, track_id);
    assert_true(track != (size_t)-1);
    const tm_track *tr = &sc->network.tracks[track];
    int structure = strcmp(kind, "station") && strcmp(kind, "junction");
    const tm_structure *st = NULL;
    size_t op = (size_t)-1;
    if (structure) {
        for (size_t k = 0; k < tr->n_structures; k++) {
            const tm_structure *x = &tr->structures[k];
            const char *xn = tm_name_or(x->name, tm_name_or(x->road, ""));
            if (!strcmp(xn, name))
                st = x;
        }
        assert_non_null(st);
    } else {
        for (size_t k = 0; k < sc->network.n_ops; k++)
            if (!strcmp(tm_name_or(sc->network.ops[k].name, sc->network.ops[k].id), name))
                op = k;
        assert_true(op != (size_t)-1);
    }
    /* the convoy there, from the re-run: passing and leaving */
    double pass[3] = {NAN, NAN, NAN}, leave[3] = {NAN, NAN, NAN};
    double first = INFINITY, last = -INFINITY;
    static const char *keys[3] = {"pilot_s", "special_s", "escort_s"};
    for (int w = 0; w < 3; w++) {
        if (c->convoy[w] == (size_t)-1)
            continue;
        const tm_service_run *r = &c->runs.runs[c->convoy[w]];
        int fw;
        if (structure) {
            double a, b;
            assert_true(passes(sc, r, track, st->position, &a, &fw));
            assert_true(passes(sc, r, track, st->position + st->length, &b, &fw));
            pass[w] = fmin(a, b);
            leave[w] = fmax(a, b);
        } else {
            for (size_t z = 0; z < r->n_points; z++)
                if (r->points[z].op == op) {
                    pass[w] = r->points[z].arrival;
                    leave[w] = r->points[z].departure;
                }
        }
        if (fabs(pass[w] - jnum(o, keys[w])) > 1.5)
            VIOLATION(c, "%s %s: %s %.1f s in the schedule, %.1f s re-run\n", kind, name,
                      keys[w], jnum(o, keys[w]), pass[w]);
        first = fmin(first, pass[w]);
        last = fmax(last, leave[w]);
    }
    const tm_security_rules *R = c->R;
    if (!(jnum(o, "guard_from_s") <= first - R->guard_before + 1.5 &&
          jnum(o, "guard_until_s") >= last + R->guard_after - 1.5))
        VIOLATION(c, "%s %s guarded %.0f-%.0f s, the convoy %.0f-%.0f s\n", kind, name,
                  jnum(o, "guard_from_s"), jnum(o, "guard_until_s"), first, last);
    if (!strcmp(kind, "level_crossing")) {
        double ref = R->crossing_from_special ? pass[1] : first;
        double before = st->warning_time + st->closing_time + R->crossing_close_before;
        if (st->crossing == TM_CROSSING_MANNED)
            before = fmax(before, R->manned_lock_before);
        if (st->crossing == TM_CROSSING_UNPROTECTED)
            before = fmax(before, R->unmanned_lock_before);
        if (!(jnum(o, "closed_from_s") <= fmin(first, ref - before) + 1.5 &&
              jnum(o, "closed_until_s") >= last + st->closing_time - 1.5))
            VIOLATION(c, "level crossing %s closed %.0f-%.0f s, the convoy %.0f-%.0f s\n",
                      name, jnum(o, "closed_from_s"), jnum(o, "closed_until_s"), first, last);
    } else if (!isnan(jnum(o, "closed_from_s")))
        VIOLATION(c, "%s %s has a closure\n", kind, name);
    /* power off: an electrified other track or parallel track beside this one */
    int powered = tr->main_tracks >= 2 && electrified(sc, track);
    for (size_t p = 0; p < sc->network.n_tracks && !powered; p++) {
        for (size_t q = 0; q < tr->n_parallel; q++)
            powered |= tr->parallel[q].track == p && electrified(sc, p);
        for (size_t q = 0; q < sc->network.tracks[p].n_parallel; q++)
            powered |= sc->network.tracks[p].parallel[q].track == track && electrified(sc, p);
    }
    if (R->power_off && powered &&
        !(jnum(o, "power_off_from_s") <= first - R->neighbour_before + 1.5 &&
          jnum(o, "power_off_until_s") >= last + R->neighbour_after - 1.5))
        VIOLATION(c, "%s %s: power off %.0f-%.0f s, the convoy %.0f-%.0f s\n", kind, name,
                  jnum(o, "power_off_from_s"), jnum(o, "power_off_until_s"), first, last);
    if (structure)
        check_structure(c, o, track, st->position, first, last, pass);
    else
        check_point(c, o, op);
    c->checked++;
}

/* Held trains leave as late as the schedule says; the summary adds up. */
static void check_summary(checker *c, const json_t *sched)
{
    const json_t *objects = json_object_get(sched, "objects");
    const json_t *sum = json_object_get(sched, "summary");
    size_t held = 0, i;
    double closure = 0.0, delay[2] = {0.0, 0.0};
    const json_t *o;
    json_array_foreach(objects, i, o) {
        if (!strcmp(json_string_value(json_object_get(o, "kind")), "level_crossing"))
            closure += (jnum(o, "closed_until_s") - jnum(o, "closed_from_s")) / 60.0;
        size_t k;
        const json_t *h;
        json_array_foreach(json_object_get(o, "held"), k, h) {
            const char *id = json_string_value(json_object_get(h, "service"));
            size_t s = 0;
            while (s < c->tt->n_services && strcmp(c->tt->services[s].id, id))
                s++;
            assert_true(s < c->tt->n_services);
            const tm_service_run *r = &c->runs.runs[s];
            const char *at = json_string_value(json_object_get(h, "at"));
            double leaves = r->departure;
            for (size_t z = 1; z < r->n_points; z++)
                if (!strcmp(c->sc->network.ops[r->points[z].op].id, at))
                    leaves = r->points[z].departure;
            if (leaves < jnum(h, "until_s") - 1.5)
                VIOLATION(c, "%s leaves %s at %.0f s, held until %.0f s\n", id, at, leaves,
                          jnum(h, "until_s"));
            int cat = c->tt->services[s].category == TM_CATEGORY_PASSENGER ? 0 : 1;
            delay[cat] += (jnum(h, "until_s") - jnum(h, "from_s")) / 60.0;
            held++;
        }
    }
    const json_t *dm = json_object_get(sum, "delay_min");
    size_t cancelled = c->sc->timetable.n_services + 3 - c->tt->n_services -
                       (c->convoy[0] == (size_t)-1) - (c->convoy[2] == (size_t)-1);
    if ((size_t)json_integer_value(json_object_get(sum, "objects")) != json_array_size(objects) ||
        (size_t)json_integer_value(json_object_get(sum, "trains_held")) != held ||
        fabs(jnum(sum, "crossing_closure_min") - closure) > 0.2 ||
        fabs(jnum(dm, "passenger") - delay[0]) > 0.2 || fabs(jnum(dm, "freight") - delay[1]) > 0.2 ||
        (size_t)json_integer_value(json_object_get(sum, "cancelled")) != cancelled)
        VIOLATION(c, "the summary does not add up (held %zu, closure %.1f min, cancelled %zu)\n",
                  held, closure, cancelled);
}

/* Writes the plan's timetable and schedule, reads them back, re-runs, checks every object.
 * Returns the number of violations. */
static int check_plan(const tm_scenario *sc, const tm_special_spec *sp,
                      const char *const *stock_files, size_t n_stock,
                      const tm_special_result *res, const char *tag)
{
    char tt_path[96], sched_path[96];
    snprintf(tt_path, sizeof tt_path, "security_%s_tt.yaml", tag);
    snprintf(sched_path, sizeof sched_path, "security_%s.json", tag);
    tumen_error err;
    tm_security_schedule sched;
    assert_int_equal(tm_security_schedule_build(sc, sp, res, &sched, &err), TUMEN_OK);
    assert_int_equal(tm_special_write_timetable(sc, &res->timetable, 1, tt_path, &err), TUMEN_OK);
    assert_int_equal(tm_security_schedule_write(sc, &sched, sched_path, &err), TUMEN_OK);
    tm_security_schedule_free(&sched);
    const char *files[8];
    for (size_t i = 0; i < n_stock; i++)
        files[i] = stock_files[i];
    files[n_stock] = tt_path;
    tm_scenario *back = NULL;
    if (tm_scenario_load(&back, files, n_stock + 1, &err) != TUMEN_OK)
        fail_msg("%s: the written timetable does not load: %s:%d: %s", tag, err.file,
                 err.line, err.message);
    json_error_t jerr;
    json_t *js = json_load_file(sched_path, 0, &jerr);
    assert_non_null(js);
    checker c;
    memset(&c, 0, sizeof c);
    c.sc = sc;
    c.sp = sp;
    c.R = &sp->security;
    c.tt = &back->timetable;
    assert_string_equal(json_string_value(json_object_get(js, "rules")), c.R->name);
    tm_timetable_options o;
    tm_timetable_options_init(&o);
    o.keep_samples = 1;
    assert_int_equal(tm_timetable_run(back, c.tt, &o, &c.runs, &err), TUMEN_OK);
    for (int w = 0; w < 3; w++) {
        c.convoy[w] = (size_t)-1;
        for (size_t s = 0; res->present[w] && s < c.tt->n_services; s++)
            if (!strcmp(c.tt->services[s].id, res->runs[w].id))
                c.convoy[w] = s;
    }
    assert_true(c.convoy[1] != (size_t)-1);
    size_t i;
    const json_t *obj;
    json_array_foreach(json_object_get(js, "objects"), i, obj)
        check_object(&c, obj);
    check_summary(&c, js);
    assert_true(c.checked > 0);
    tm_timetable_result_free(&c.runs);
    json_decref(js);
    tm_scenario_free(back);
    unlink(tt_path);
    unlink(sched_path);
    return c.bad;
}

static const char *const sets[3] = {"margins", "royal", "strict"};

static void run_generated(int mode)
{
    int holds[3] = {0, 0, 0}, later[3] = {0, 0, 0}, cases = 0;
    for (unsigned seed = 1; seed <= 12; seed++) {
        double arrival[3] = {0, 0, 0};
        for (int set = 0; set < 3; set++) {
            rng_state = seed * 2654435761ULL + 5; /* the same case for every set */
            size_t n = 4 + rnd(3), j = 1 + rnd((unsigned)(n - 2));
            static text net, tt, req;
            net.n = tt.n = req.n = 0;
            make_network(&net, n, j);
            make_timetable(&tt, n, j);
            make_request(&req, n, sets[set], "");
            char pn[64], pt[64], pr[64];
            snprintf(pn, sizeof pn, "security_net_%u.yaml", seed);
            snprintf(pt, sizeof pt, "security_tt_%u.yaml", seed);
            snprintf(pr, sizeof pr, "security_req_%u.yaml", seed);
            save(pn, net.s);
            save(pt, tt.s);
            save(pr, req.s);
            const char *all[3] = {pn, pt, pr};
            tm_scenario *sc = NULL;
            tm_special_spec *sp = NULL;
            tumen_error err;
            if (tm_scenario_load_with(&sc, &sp, all, 3, &err) != TUMEN_OK)
                fail_msg("seed %u: %s:%d: %s: %s", seed, err.file, err.line, err.field,
                         err.message);
            tm_special_options opt;
            memset(&opt, 0, sizeof opt);
            opt.mode = mode;
            opt.threads = 1;
            tm_special_result r;
            if (tm_special_plan(sc, sp, &opt, &r, &err) != TUMEN_OK)
                fail_msg("seed %u %s: %s", seed, sets[set], err.message);
            if (!r.infeasible) {
                char tag[64];
                snprintf(tag, sizeof tag, "%u_%s_%d", seed, sets[set], mode);
                const char *stock_files[1] = {pn};
                int bad = check_plan(sc, sp, stock_files, 1, &r, tag);
                if (bad)
                    fail_msg("seed %u, %s, %s: %d violations", seed, sets[set],
                             mode ? "priority" : "fit", bad);
                arrival[set] = r.arrival;
                holds[set] += (int)r.n_changes;
                if (set > 0 && r.arrival > arrival[0] + 1.0)
                    later[set]++;
                cases++;
            }
            tm_special_result_free(&r);
            tm_scenario_free(sc);
            free(sp);
            unlink(pn);
            unlink(pt);
            unlink(pr);
        }
    }
    printf("%s: %d plans checked; trains changed margins %d, royal %d, strict %d; "
           "arrivals later than margins: royal %d, strict %d\n",
           mode ? "priority" : "fit", cases, holds[0], holds[1], holds[2], later[1], later[2]);
    assert_true(cases >= 30);
    /* the sets differ: the heavier ones cost more */
    if (mode == TM_SPECIAL_FIT)
        assert_true(later[1] + later[2] > 0);
    else
        assert_true(holds[2] > holds[0]);
}

static void test_generated_fit(void **state)
{
    (void)state;
    run_generated(TM_SPECIAL_FIT);
}

static void test_generated_priority(void **state)
{
    (void)state;
    run_generated(TM_SPECIAL_PRIORITY);
}

/* ---- The flagship under each set ------------------------------------------------------ */

static void flagship(int mode)
{
    const char *dir = TUMEN_SOURCE_DIR "/examples/flagship/";
    char net[512], train[512], tt[512], req[512];
    snprintf(net, sizeof net, "%snetwork.yaml", dir);
    snprintf(train, sizeof train, "%strain.yaml", dir);
    snprintf(tt, sizeof tt, "%stimetable.yaml", dir);
    snprintf(req, sizeof req, "%sspecial.yaml", dir);
    for (int set = 0; set < 3; set++) {
        /* the flagship's request with this rule set */
        size_t len = 0;
        FILE *f = fopen(req, "r");
        assert_non_null(f);
        static char body[1 << 15], changed[1 << 15];
        len = fread(body, 1, sizeof body - 1, f);
        fclose(f);
        body[len] = 0;
        char *sec = strstr(body, "security: {");
        assert_non_null(sec);
        size_t head = (size_t)(sec - body) + strlen("security: {");
        snprintf(changed, sizeof changed, "%.*srules: %s, %s", (int)head, body, sets[set],
                 body + head);
        char path[64];
        snprintf(path, sizeof path, "security_flagship_%s.yaml", sets[set]);
        save(path, changed);
        /* the timetable file holds the stock: read it again with the written timetable,
         * which replaces its services */
        const char *all[4] = {net, train, tt, path};
        tm_scenario *sc = NULL;
        tm_special_spec *sp = NULL;
        tumen_error err;
        if (tm_scenario_load_with(&sc, &sp, all, 4, &err) != TUMEN_OK)
            fail_msg("%s:%d: %s", err.file, err.line, err.message);
        tm_special_options opt;
        memset(&opt, 0, sizeof opt);
        opt.mode = mode;
        opt.threads = 1;
        tm_special_result r;
        assert_int_equal(tm_special_plan(sc, sp, &opt, &r, &err), TUMEN_OK);
        assert_false(r.infeasible);
        /* the stock without the timetable: the flagship's timetable file minus its services */
        f = fopen(tt, "r");
        assert_non_null(f);
        len = fread(body, 1, sizeof body - 1, f);
        fclose(f);
        body[len] = 0;
        char *cut = strstr(body, "\ntimetable:");
        assert_non_null(cut);
        cut[1] = 0;
        char stock_path[64];
        snprintf(stock_path, sizeof stock_path, "security_flagship_stock_%d.yaml", mode);
        save(stock_path, body);
        const char *stock_files[3] = {net, train, stock_path};
        char tag[64];
        snprintf(tag, sizeof tag, "flagship_%s_%d", sets[set], mode);
        int bad = check_plan(sc, sp, stock_files, 3, &r, tag);
        printf("flagship %s %s: arrives %.0f s, %zu trains changed, %d violations\n",
               sets[set], mode ? "priority" : "fit", r.arrival, r.n_changes, bad);
        assert_int_equal(bad, 0);
        tm_special_result_free(&r);
        tm_scenario_free(sc);
        free(sp);
        unlink(path);
        unlink(stock_path);
    }
}

static void test_flagship_fit(void **state)
{
    (void)state;
    flagship(TM_SPECIAL_FIT);
}

static void test_flagship_priority(void **state)
{
    (void)state;
    flagship(TM_SPECIAL_PRIORITY);
}

/* ---- Bad input ---------------------------------------------------------------------- */

static void expect_error(const char *yaml, const char *field, int line)
{
    tm_scenario *sc = NULL;
    tm_special_spec *sp = NULL;
    tumen_error err;
    memset(&err, 0, sizeof err);
    int rc = tm_scenario_load_text_with(&sc, &sp, "bad.yaml", yaml, strlen(yaml), &err);
    if (rc != TUMEN_EINPUT)
        fail_msg("expected an input error at %s, got %d", field, rc);
    if (strcmp(err.field, field) || err.line != line)
        fail_msg("expected %s at line %d, got %s at line %d: %s", field, line, err.field,
                 err.line, err.message);
    tm_scenario_free(sc);
    free(sp);
}

static void test_bad_input(void **state)
{
    (void)state;
    static const char net[] =
        "network:\n"
        "  operational_points: [{id: A}, {id: B}]\n"
        "  tracks:\n"
        "    - id: T\n"
        "      from: A\n"
        "      to: B\n"
        "      length: 5 km\n"
        "      speed_limit: 80 km/h\n"
        "      structures:\n";
    char y[2048];
    snprintf(y, sizeof y, "%s        - {kind: viaduct, at: 1 km}\n", net);
    expect_error(y, "network.tracks[0].structures[0].kind", 10);
    snprintf(y, sizeof y, "%s        - {kind: bridge, at: 4.9 km, length: 200 m}\n", net);
    expect_error(y, "network.tracks[0].structures[0].at", 10);
    snprintf(y, sizeof y, "%s        - {kind: level_crossing, road: A1}\n", net);
    expect_error(y, "network.tracks[0].structures[0].at", 10);
    snprintf(y, sizeof y,
             "%s        - {kind: level_crossing, at: 1 km,\n"
             "           warning_time: -5 s}\n",
             net);
    expect_error(y, "network.tracks[0].structures[0].warning_time", 11);
    snprintf(y, sizeof y, "%s        - {kind: level_crossing, at: 1 km, protection: lights}\n",
             net);
    expect_error(y, "network.tracks[0].structures[0].protection", 10);
    snprintf(y, sizeof y, "%s        - {kind: level_crossing, at: 1 km}\n"
                          "      parallel: [{track: NOPE, distance: 30 m}]\n", net);
    expect_error(y, "network.tracks[0].parallel[0].track", 11);
    static const char req[] = "special:\n  train: x\n  from: A\n  to: B\n"
                              "  earliest_departure: \"06:00\"\n";
    snprintf(y, sizeof y, "%s  security: {rules: papal}\n", req);
    expect_error(y, "special.security.rules", 6);
    snprintf(y, sizeof y, "%s  security:\n    rules: royal\n    line_clear_before: -10 min\n",
             req);
    expect_error(y, "special.security.line_clear_before", 8);
    snprintf(y, sizeof y, "%s  security: {rules: royal, other_track: closed}\n", req);
    expect_error(y, "special.security.other_track", 6);
}

/* The built-in sets are the documented numbers; margins adds nothing. */
static void test_builtins(void **state)
{
    (void)state;
    tm_security_rules r, zero;
    memset(&zero, 0, sizeof zero);
    assert_int_equal(tm_security_rules_builtin("margins", &r), 0);
    snprintf(zero.name, sizeof zero.name, "margins");
    assert_memory_equal(&r, &zero, sizeof r);
    assert_int_equal(tm_security_rules_builtin("royal", &r), 0);
    assert_true(r.pilot_lead == 900.0 && r.line_clear_before == 1800.0 &&
                r.line_clear_after == 900.0 && r.unmanned_lock_before == 3600.0 &&
                r.other_track == TM_NEIGHBOUR_PASSENGER_ONLY && r.neighbour_until_special);
    assert_int_equal(tm_security_rules_builtin("strict", &r), 0);
    assert_true(r.power_off && r.other_track == TM_NEIGHBOUR_HELD &&
                r.parallel == TM_NEIGHBOUR_HELD);
    assert_int_equal(tm_security_rules_builtin("none", &r), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtins),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_generated_fit),
        cmocka_unit_test(test_generated_priority),
        cmocka_unit_test(test_flagship_fit),
        cmocka_unit_test(test_flagship_priority),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
