/* test_special.c: the special train's search against exhaustive searches.
 *
 * The core (plan/special.h) is exercised on random small problems with integer times, so
 * the optimum is an integer and must be met exactly:
 *  - fit: a line of n stations, one block between neighbours, random busy intervals on the
 *    blocks and the station tracks; the exhaustive search tries every stop pattern and, at
 *    every stop, every departure that can be optimal (the earliest, or the end of a busy
 *    interval less a need's offset), checking every interval directly;
 *  - priority: random background trains over a few resources, the corridor fixed; the
 *    exhaustive search enumerates every combination of (cancel | hold at each point).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/special.h"

/* ---- A random line ---------------------------------------------------------------- */

#define MAXN 8
#define MAXB 64

typedef struct line_problem {
    size_t n;
    double run[MAXN];            /* s over block j (station j to j+1) */
    int can_stop[MAXN], must_stop[MAXN];
    double not_before[MAXN];
    double busy[2 * MAXN][MAXB][2];
    size_t n_busy[2 * MAXN];
    double flat[2 * MAXN * MAXB][2];
    size_t first[2 * MAXN + 1];
    tm_sp_busy b;
    tm_sp_segment seg[MAXN][MAXN];
    tm_sp_need needs[MAXN][MAXN][MAXN + 1];
} line_problem;

static unsigned long long rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng_state >> 33) % n);
}

#define STOP_LOSS 30.0
#define LAG 60.0
#define STAND_BEFORE 10.0
#define STAND_TAIL 30.0

static void build_segment(line_problem *lp, size_t i, size_t k)
{
    tm_sp_segment *s = &lp->seg[i][k];
    double t = 0.0;
    size_t nn = 0;
    for (size_t j = i; j < k; j++) {
        lp->needs[i][k][nn++] = (tm_sp_need){j, t - 20.0, t + lp->run[j] + 40.0};
        t += lp->run[j];
    }
    t += STOP_LOSS;
    s->arrive = t;
    s->ready = t + LAG;
    s->stand_resource = lp->n + k;
    s->stand_start = t - STAND_BEFORE;
    s->stand_tail = STAND_TAIL;
    if (k == lp->n - 1)
        lp->needs[i][k][nn++] = (tm_sp_need){lp->n + k, t - STAND_BEFORE, t + STAND_TAIL};
    else
        lp->needs[i][k][nn++] =
            (tm_sp_need){lp->n + k, t - STAND_BEFORE, s->ready + STAND_TAIL};
    s->needs = lp->needs[i][k];
    s->n_needs = nn;
}

static int line_segment(void *ctx, size_t i, size_t k, const tm_sp_segment **seg,
                        tumen_error *err)
{
    line_problem *lp = ctx;
    *seg = &lp->seg[i][k];
    return TUMEN_OK;
}

static int line_bound(void *ctx, size_t i, double *h, tumen_error *err)
{
    line_problem *lp = ctx;
    *h = 0.0;
    for (size_t j = i; j + 1 < lp->n; j++)
        *h += lp->run[j];
    return TUMEN_OK;
}

static int cmp_iv(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return (x[0] > y[0]) - (x[0] < y[0]);
}

static void random_line(line_problem *lp, tm_sp_problem *p)
{
    memset(lp, 0, sizeof *lp);
    lp->n = 4 + rnd(4);
    for (size_t j = 0; j < lp->n; j++) {
        lp->run[j] = 100 + rnd(400);
        lp->can_stop[j] = rnd(3) != 0;
        lp->must_stop[j] = j > 0 && j + 1 < lp->n && rnd(8) == 0;
        lp->not_before[j] = lp->must_stop[j] && rnd(2) ? 500.0 * (double)j + rnd(1000)
                                                        : -INFINITY;
    }
    size_t nr = 2 * lp->n;
    size_t at = 0;
    for (size_t r = 0; r < nr; r++) {
        /* random intervals, then merged */
        double tmp[MAXB][2];
        size_t m = rnd(6);
        for (size_t q = 0; q < m; q++) {
            double s = rnd(6000);
            tmp[q][0] = s;
            tmp[q][1] = s + 20 + rnd(600);
        }
        qsort(tmp, m, sizeof tmp[0], cmp_iv);
        lp->first[r] = at;
        for (size_t q = 0; q < m; q++) {
            if (at > lp->first[r] && tmp[q][0] <= lp->flat[at - 1][1]) {
                lp->flat[at - 1][1] = fmax(lp->flat[at - 1][1], tmp[q][1]);
                continue;
            }
            lp->flat[at][0] = tmp[q][0];
            lp->flat[at][1] = tmp[q][1];
            at++;
        }
    }
    lp->first[nr] = at;
    lp->b = (tm_sp_busy){(const double(*)[2])lp->flat, lp->first, nr};
    for (size_t i = 0; i < lp->n; i++)
        for (size_t k = i + 1; k < lp->n; k++)
            build_segment(lp, i, k);
    memset(p, 0, sizeof *p);
    p->n_stations = lp->n;
    p->can_stop = lp->can_stop;
    p->must_stop = lp->must_stop;
    p->not_before = lp->not_before;
    p->earliest = rnd(3000);
    p->latest = INFINITY;
    p->busy = &lp->b;
    p->ctx = lp;
    p->segment = line_segment;
    p->bound = line_bound;
}

static int free_on(const line_problem *lp, size_t r, double a, double b)
{
    for (size_t q = lp->first[r]; q < lp->first[r + 1]; q++)
        if (lp->flat[q][0] < b && a < lp->flat[q][1])
            return 0;
    return 1;
}

static int needs_free(const line_problem *lp, const tm_sp_segment *s, double d)
{
    for (size_t q = 0; q < s->n_needs; q++)
        if (!free_on(lp, s->needs[q].resource, d + s->needs[q].start, d + s->needs[q].end))
            return 0;
    return 1;
}

/* Exhaustive: from a stop at i, standing since stand_from (-inf at the origin), ready at
 * `ready`; returns the earliest arrival at the destination. */
static double exhaustive(const line_problem *lp, const tm_sp_problem *p, size_t i,
                         double stand_from, double ready)
{
    double best = INFINITY;
    double lo = fmax(ready, lp->not_before[i]);
    for (size_t k = i + 1; k < lp->n; k++) {
        int dest = k == lp->n - 1;
        if (dest || lp->can_stop[k] || lp->must_stop[k]) {
            const tm_sp_segment *s = &lp->seg[i][k];
            /* candidates: lo and every busy end less every need's start */
            double cand[4096];
            size_t nc = 0;
            cand[nc++] = lo;
            for (size_t q = 0; q < s->n_needs; q++) {
                size_t r = s->needs[q].resource;
                for (size_t z = lp->first[r]; z < lp->first[r + 1] && nc < 4096; z++)
                    if (lp->flat[z][1] - s->needs[q].start > lo)
                        cand[nc++] = lp->flat[z][1] - s->needs[q].start;
            }
            for (size_t c = 0; c < nc; c++) {
                double d = cand[c];
                if (!needs_free(lp, s, d))
                    continue;
                /* the stand at i until d (not at the origin) */
                if (i > 0 && !free_on(lp, lp->n + i, stand_from, d + STAND_TAIL))
                    continue;
                double a = dest ? d + s->arrive
                                : exhaustive(lp, p, k, d + s->stand_start, d + s->ready);
                best = fmin(best, a);
            }
        }
        if (lp->must_stop[k])
            break;
    }
    return best;
}

static void test_fit_equals_exhaustive(void **state)
{
    int found = 0, infeasible = 0, waited = 0;
    for (unsigned seed = 1; seed <= 300; seed++) {
        rng_state = seed * 7919ULL;
        line_problem *lp = malloc(sizeof *lp);
        assert_non_null(lp);
        tm_sp_problem p;
        random_line(lp, &p);
        double want = exhaustive(lp, &p, 0, -INFINITY, p.earliest);
        tm_sp_plan plan;
        tumen_error err;
        double alt;
        int rc = tm_sp_fit(&p, &plan, &alt, &err);
        if (isfinite(want)) {
            if (rc != TUMEN_OK)
                fail_msg("seed %u: search found nothing, exhaustive %.0f", seed, want);
            if (fabs(plan.arrival - want) > 1e-6)
                fail_msg("seed %u: search %.3f, exhaustive %.3f", seed, plan.arrival, want);
            /* the plan itself is valid */
            for (size_t q = 0; q + 1 < plan.n; q++) {
                const tm_sp_segment *s = &lp->seg[plan.station[q]][plan.station[q + 1]];
                assert_true(needs_free(lp, s, plan.depart[q]));
            }
            found++;
            if (plan.n > 2)
                waited++;
            tm_sp_plan_free(&plan);
        } else {
            assert_int_equal(rc, TUMEN_EINPUT);
            infeasible++;
        }
        free(lp);
    }
    printf("fit: %d solved (%d with stops), %d infeasible, all equal to exhaustive\n", found,
           waited, infeasible);
    assert_true(found > 200);
    assert_true(waited > 10);
}

static void test_fit_latest_arrival_explained(void **state)
{
    rng_state = 42;
    line_problem *lp = malloc(sizeof *lp);
    assert_non_null(lp);
    tm_sp_problem p;
    random_line(lp, &p);
    double h;
    line_bound(lp, 0, &h, NULL);
    /* impossible even on an empty line */
    p.latest = p.earliest + h - 1.0;
    tm_sp_plan plan;
    tumen_error err;
    double alt;
    assert_int_equal(tm_sp_fit(&p, &plan, &alt, &err), TUMEN_EINPUT);
    assert_non_null(strstr(err.message, "empty line"));
    assert_true(alt > 0.0);
    /* feasible alternative reported when the timetable is in the way */
    p.latest = INFINITY;
    assert_int_equal(tm_sp_fit(&p, &plan, &alt, &err), TUMEN_OK);
    double best = plan.arrival;
    tm_sp_plan_free(&plan);
    p.latest = best - 0.5;
    int rc = tm_sp_fit(&p, &plan, &alt, &err);
    assert_int_equal(rc, TUMEN_EINPUT);
    assert_true(fabs(alt - best) < 1e-6);
    free(lp);
}

/* ---- Priority ------------------------------------------------------------------------ */

#define PT 6   /* trains */
#define PO 6   /* occupations per train */
#define PR 5   /* resources */

typedef struct prio {
    tm_sp_occ occ[PT][PO];
    tm_sp_hold_point holds[PT][3];
    tm_sp_train trains[PT];
    tm_sp_need corridor[PR];
    int capacity[PR + 1];
    tm_sp_priority_problem p;
} prio;

/* split: the odd trains run on resources 0-1 only, the even ones on 2-4 only, so the trains
 * in the way fall into groups that share no resource (decided apart by the search). */
static void random_prio(prio *q, int split)
{
    memset(q, 0, sizeof *q);
    size_t nt = 2 + rnd(PT - 1);
    for (size_t r = 0; r < PR; r++) {
        double s = 1000 + 300.0 * r;
        q->corridor[r] = (tm_sp_need){r, s, s + 400};
        q->capacity[r] = 1;
    }
    for (size_t t = 0; t < nt; t++) {
        tm_sp_train *tr = &q->trains[t];
        double t0 = rnd(2500);
        int dir = rnd(2) ? 1 : -1;
        size_t n = 2 + rnd(PO - 1);
        double pos = 0;
        for (size_t k = 0; k < n; k++) {
            double len = 100 + rnd(300);
            size_t r = !split ? rnd(PR) : t % 2 ? rnd(2) : 2 + rnd(PR - 2);
            q->occ[t][k] = (tm_sp_occ){r, t0, t0 + len, dir, pos, pos + 1000};
            t0 += len * 0.6;
            pos += 1000;
        }
        size_t nh = 1 + rnd(3);
        for (size_t h = 0; h < nh; h++)
            q->holds[t][h] = (tm_sp_hold_point){0, 1000.0 * h, h == 0};
        tr->occ = q->occ[t];
        tr->n_occ = n;
        tr->holds = q->holds[t];
        tr->n_holds = nh;
        tr->cost_per_s = (1 + rnd(5)) / 60.0;
        tr->cancel_cost = 20 + rnd(200);
    }
    q->p.trains = q->trains;
    q->p.n_trains = nt;
    q->p.corridor = q->corridor;
    q->p.n_corridor = PR;
    q->p.capacity = q->capacity;
    q->p.n_resources = PR;
}

static double prio_exhaustive(const prio *q, const size_t *order, size_t n, size_t d,
                              double *delays, size_t *holds)
{
    if (d == n)
        return 0.0;
    size_t t = order[d];
    const tm_sp_train *tr = &q->trains[t];
    delays[t] = -1.0;
    double best = tr->cancel_cost + prio_exhaustive(q, order, n, d + 1, delays, holds);
    for (size_t h = 0; h < tr->n_holds; h++) {
        delays[t] = 0.0;
        double dl = tm_sp_min_delay(&q->p, t, h, delays, holds);
        if (!isfinite(dl))
            continue;
        assert_true(tm_sp_hold_ok(&q->p, t, h, dl, delays, holds));
        delays[t] = dl;
        holds[t] = h;
        best = fmin(best, dl * tr->cost_per_s + prio_exhaustive(q, order, n, d + 1, delays,
                                                                   holds));
    }
    delays[t] = 0.0;
    holds[t] = 0;
    return best;
}

/* 300 random problems against the exhaustive search: with max_nodes 0 the branch and bound
 * finishes and equals it; with a small limit it may stop, and then its plan costs no less
 * than the least and its bound is no more. Returns the cases with two or more trains in the
 * way. */
static int priority_cases(int split, size_t max_nodes, int *stopped)
{
    int nontrivial = 0;
    for (unsigned seed = 1; seed <= 300; seed++) {
        rng_state = seed * 104729ULL;
        prio *q = malloc(sizeof *q);
        assert_non_null(q);
        random_prio(q, split);
        q->p.max_nodes = max_nodes;
        size_t *order, n;
        assert_int_equal(tm_sp_conflicting(&q->p, &order, &n), TUMEN_OK);
        double delays[PT] = {0};
        size_t holds[PT] = {0};
        double want = prio_exhaustive(q, order, n, 0, delays, holds);
        tm_sp_priority_plan plan;
        tumen_error err;
        assert_int_equal(tm_sp_priority(&q->p, &plan, &err), TUMEN_OK);
        if (!max_nodes)
            assert_true(plan.exact);
        if (plan.exact && fabs(plan.cost - want) > 1e-6)
            fail_msg("seed %u: branch and bound %.4f, exhaustive %.4f", seed, plan.cost, want);
        if (!plan.exact && (plan.cost < want - 1e-6 || plan.lower_bound > want + 1e-6))
            fail_msg("seed %u: stopped at %.4f (bound %.4f), exhaustive %.4f", seed, plan.cost,
                     plan.lower_bound, want);
        *stopped += !plan.exact;
        /* every conflicting train is decided */
        assert_true(plan.n == n);
        if (n > 1)
            nontrivial++;
        tm_sp_priority_plan_free(&plan);
        free(order);
        free(q);
    }
    return nontrivial;
}

static void test_priority_equals_exhaustive(void **state)
{
    (void)state;
    int stopped = 0;
    int nontrivial = priority_cases(0, 0, &stopped);
    printf("priority: %d cases with two or more trains in the way, all equal to exhaustive\n",
           nontrivial);
    assert_true(nontrivial > 50);
}

/* Trains in the way that share no resource are decided in separate searches: the sum of
 * their least costs is still the least. */
static void test_priority_groups_equal_exhaustive(void **state)
{
    (void)state;
    int stopped = 0;
    int nontrivial = priority_cases(1, 0, &stopped);
    printf("priority, two groups: %d cases with two or more trains in the way, all equal to "
           "exhaustive\n", nontrivial);
    assert_true(nontrivial > 50);
}

/* A search stopped at its node limit returns a plan (every train in the way decided) that
 * costs no less than the least, with a bound no more than it. */
static void test_priority_stopped_at_limit(void **state)
{
    (void)state;
    int stopped = 0;
    priority_cases(0, 3, &stopped);
    priority_cases(1, 3, &stopped);
    printf("priority, 3 nodes: %d of 600 stopped at the limit, each within its bound\n",
           stopped);
    assert_true(stopped > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_equals_exhaustive),
        cmocka_unit_test(test_fit_latest_arrival_explained),
        cmocka_unit_test(test_priority_equals_exhaustive),
        cmocka_unit_test(test_priority_groups_equal_exhaustive),
        cmocka_unit_test(test_priority_stopped_at_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
