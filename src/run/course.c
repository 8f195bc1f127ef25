/* course.c: the line as one train sees it.
 *
 * Speed limits. The most restrictive speed profile at head position s is the lowest of the
 * train's maximum speed and every line limit between the train's tail (s - L) and its head:
 * a lower limit holds from where the head reaches it, and a higher limit only once the
 * tail has cleared the lower one (train-length rule; OSRD's MRSP, TrainRuns.jl
 * getCurrentSpeedLimit). tumen applies the rule in both mass models: it is an operating
 * rule, not a property of the force model.
 *
 * Forces of gradient and curves. Per unit of the train's weight, a section gives
 * w = i + w_curve(R) (gradient i uphill positive, as tan of the angle; curve resistance from
 * physics/resistance.c). Mass point: w at the head. Homogeneous strip: the mean of w over the
 * train's length [s - L, s] (Wende 2003, p. 30; TrainRuns.jl calculatePathResistance). Before
 * the line's first position the first section's w continues, as TrainRuns.jl does.
 *
 * Traction. Each force interval keeps what the track supplies at the train's head (the
 * section's supply: wire, none, neutral section), which picks the mode the train pulls
 * with there (physics/traction_modes.c); section ends are breakpoints already.
 */
#include "core/vec.h"
#include "core/error.h"
#include "physics/physics.h"
#include "run/run.h"

#include <math.h>
#include <stdlib.h>

/* Positions closer than this are the same breakpoint (m). */
#define TM_POSITION_EPS 1e-6

/* Sorts v, made of runs that end at run_end[0] < run_end[1] < ... = n and are each
 * ascending as a line's sections are (a run that is not is sorted first): merging them is
 * linear where a sort of the whole was the largest cost of building a short course (the
 * special-train planner builds one per stop-to-stop segment). The result is the same
 * array a sort gives. tmp holds as many doubles as v. */
static void sort_runs(double *v, const size_t *run_end, size_t n_runs, double *tmp)
{
    size_t done = 0;
    for (size_t r = 0; r < n_runs; r++) {
        size_t a = r ? run_end[r - 1] : 0, b = run_end[r];
        for (size_t i = a + 1; i < b; i++)
            if (v[i] < v[i - 1]) {
                qsort(v + a, b - a, sizeof *v, tm_cmp_double);
                break;
            }
        /* merge v[0..done) with v[a..b) (a == done) */
        size_t i = 0, j = a, k = 0;
        while (i < done && j < b)
            tmp[k++] = v[j] < v[i] ? v[j++] : v[i++];
        while (i < done)
            tmp[k++] = v[i++];
        while (j < b)
            tmp[k++] = v[j++];
        for (size_t q = 0; q < k; q++)
            v[q] = tmp[q];
        done = b;
    }
}

/* Specific force of gradient and curve in section i (N/N). */
static double section_w(const tm_line *line, size_t i)
{
    const tm_section *sec = &line->sections[i];
    return sec->gradient + tm_curve_specific_resistance(line->curve_law, sec->radius);
}

/* Index of the section holding x; before the start the first, beyond the end the last. */
static size_t section_at(const tm_line *line, double x)
{
    size_t lo = 0, hi = line->n_sections;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (line->sections[mid].start <= x)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* section_at(line, x) for x that mostly grow from call to call: *hint is the answer of the
 * last call and is tried first, then the section after it, else the binary search. The
 * starts ascend, so a section that holds x is the one section_at returns. A course asks
 * for the sections of every breakpoint in order, and the searches were about half its cost. */
static size_t section_near(const tm_line *line, double x, size_t *hint)
{
    const tm_section *sec = line->sections;
    size_t n = line->n_sections;
    for (size_t i = *hint; i < n && i <= *hint + 1; i++)
        if ((i == 0 || sec[i].start <= x) && (i + 1 == n || sec[i + 1].start > x))
            return *hint = i;
    return *hint = section_at(line, x);
}

/* Integral of w from the line's start to x (m * N/N), with w continued before the start. */
static double w_integral(const tm_line *line, const double *cum, double x, size_t *hint)
{
    double start = line->sections[0].start;
    if (x <= start)
        return section_w(line, 0) * (x - start);
    size_t i = section_near(line, x, hint);
    return cum[i] + section_w(line, i) * (x - line->sections[i].start);
}

/* Sorted, unique breakpoints of the forces between start and end (both included). */
static int force_breakpoints(const tm_line *line, const tm_train *train, tumen_mass_model model,
                             double **out, size_t *n_out)
{
    size_t cap = 2 * line->n_sections + 2 * line->n_points + 2;
    double *bp = malloc(cap * sizeof *bp), *tmp = malloc(cap * sizeof *tmp);
    if (!bp || !tmp) {
        free(bp);
        free(tmp);
        return TUMEN_ENOMEM;
    }
    double start = line->sections[0].start, end = line->sections[line->n_sections - 1].end;
    double L = train->length;
    size_t n = 0, run_end[4], n_runs = 0;
    bp[n++] = start;
    for (size_t i = 1; i < line->n_sections; i++)
        bp[n++] = line->sections[i].start;
    bp[n++] = end;
    run_end[n_runs++] = n;
    if (model == TUMEN_MASS_STRIP) {
        for (size_t i = 1; i < line->n_sections; i++)
            bp[n++] = line->sections[i].start + L;
        run_end[n_runs++] = n;
    }
    for (size_t i = 0; i < line->n_points; i++)
        bp[n++] = line->points[i].position + (line->points[i].rear ? L : 0.0);
    run_end[n_runs++] = n;
    sort_runs(bp, run_end, n_runs, tmp);
    free(tmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double x = fmin(fmax(bp[i], start), end);
        if (k == 0 || x - bp[k - 1] > TM_POSITION_EPS)
            bp[k++] = x;
    }
    *out = bp;
    *n_out = k;
    return TUMEN_OK;
}

static int build_forces(tm_course *c, const tm_line *line, tumen_mass_model model)
{
    double *bp = NULL, *cum = NULL;
    size_t n_bp = 0;
    int rc = force_breakpoints(line, c->train, model, &bp, &n_bp);
    if (rc != TUMEN_OK)
        return rc;
    cum = malloc(line->n_sections * sizeof *cum);
    if (!cum) {
        free(bp);
        return TUMEN_ENOMEM;
    }
    cum[0] = 0.0;
    for (size_t i = 1; i < line->n_sections; i++)
        cum[i] = cum[i - 1] + section_w(line, i - 1) *
                                  (line->sections[i].start - line->sections[i - 1].start);
    double L = c->train->length;
    size_t at_mid = 0, at_tail = 0, at_p = 0, at_pl = 0; /* section_near's hints */
    for (size_t i = 0; i + 1 < n_bp && rc == TUMEN_OK; i++) {
        double p = bp[i], q = bp[i + 1], mid = 0.5 * (p + q);
        size_t head = section_near(line, mid, &at_mid);
        tm_force_interval fi = {p, q, 0.0, 0.0, line->sections[head].supply};
        if (model == TUMEN_MASS_STRIP && L > 0.0) {
            fi.w0 = (w_integral(line, cum, p, &at_p) - w_integral(line, cum, p - L, &at_pl)) / L;
            double w_head = section_w(line, head);
            double w_tail = mid - L < line->sections[0].start
                                ? section_w(line, 0)
                                : section_w(line, section_near(line, mid - L, &at_tail));
            fi.w1 = (w_head - w_tail) / L;
        } else {
            fi.w0 = section_w(line, head);
        }
        if (tm_vec_push(&c->forces, fi))
            rc = TUMEN_ENOMEM;
    }
    free(bp);
    free(cum);
    return rc;
}

/* The lowest limit of any section overlapping [s - L, s] (at least the one holding s). */
static double limit_over_train(const tm_line *line, double s, double L, double vmax,
                               size_t *hint)
{
    double v = vmax;
    size_t i = section_near(line, s - L, hint);
    for (; i < line->n_sections && line->sections[i].start < s + TM_POSITION_EPS; i++) {
        if (line->sections[i].end <= s - L + TM_POSITION_EPS && i + 1 < line->n_sections)
            continue;
        if (line->sections[i].speed_limit < v)
            v = line->sections[i].speed_limit;
    }
    return v;
}

static int build_limits(tm_course *c, const tm_line *line)
{
    size_t n = 0, cap = 2 * line->n_sections + 2;
    double *bp = malloc(cap * sizeof *bp), *tmp = malloc(cap * sizeof *tmp);
    if (!bp || !tmp) {
        free(bp);
        free(tmp);
        return TUMEN_ENOMEM;
    }
    double L = c->train->length;
    for (size_t i = 0; i < line->n_sections; i++)
        bp[n++] = line->sections[i].start;
    size_t run_end[2] = {n, 0};
    for (size_t i = 0; i < line->n_sections; i++)
        bp[n++] = line->sections[i].end + L; /* where the tail clears the section */
    run_end[1] = n;
    sort_runs(bp, run_end, 2, tmp);
    free(tmp);
    double vmax = c->train->max_speed > 0.0 ? c->train->max_speed : INFINITY;
    int rc = TUMEN_OK;
    size_t hint = 0;
    for (size_t i = 0; i + 1 < n && rc == TUMEN_OK; i++) {
        double p = fmax(bp[i], c->start), q = fmin(bp[i + 1], c->end);
        if (q - p <= TM_POSITION_EPS)
            continue;
        double v = limit_over_train(line, 0.5 * (p + q), L, vmax, &hint);
        tm_limit_piece *last = c->limits.n ? &c->limits.items[c->limits.n - 1] : NULL;
        if (last && last->v == v && fabs(last->end - p) <= TM_POSITION_EPS)
            last->end = q;
        else if (tm_vec_push(&c->limits, ((tm_limit_piece){p, q, v})))
            rc = TUMEN_ENOMEM;
    }
    free(bp);
    return rc;
}

int tm_course_build(tm_course *c, const tm_train *train, const tm_line *line,
                    tumen_mass_model model, tumen_error *err)
{
    *c = (tm_course){0};
    c->train = train;
    c->start = line->sections[0].start;
    c->end = line->sections[line->n_sections - 1].end;
    c->brake = train->brake_deceleration;
    int rc = build_limits(c, line);
    if (rc == TUMEN_OK)
        rc = build_forces(c, line, model);
    if (rc != TUMEN_OK) {
        tm_course_free(c);
        return tm_error_set(err, rc, NULL, 0, NULL, "out of memory building the course of '%s'",
                            line->id);
    }
    return TUMEN_OK;
}

void tm_course_free(tm_course *c)
{
    free(c->limits.items);
    free(c->forces.items);
    *c = (tm_course){0};
}

double tm_course_limit_at(const tm_course *c, double s)
{
    size_t lo = 0, hi = c->limits.n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (c->limits.items[mid].start <= s)
            lo = mid;
        else
            hi = mid;
    }
    return c->limits.items[lo].v;
}

size_t tm_course_force_index(const tm_course *c, double s, size_t hint)
{
    const tm_force_interval *f = c->forces.items;
    size_t n = c->forces.n;
    if (hint < n && f[hint].start <= s && (s < f[hint].end || hint + 1 == n))
        return hint;
    if (hint + 1 < n && f[hint + 1].start <= s && (s < f[hint + 1].end || hint + 2 == n))
        return hint + 1;
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (f[mid].start <= s)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}
