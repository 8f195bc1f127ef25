/* bench_special.c: special train requests on the national-scale day, printed as
 *   BENCH <name> <value> <unit>
 * lines (make bench). Never a test: nothing here asserts on time.
 *
 * It generates (gen/gen.h, in a temporary folder) the synthetic network of 5000 km with a
 * day of 10,000 services, seed 1, builds the background once (every service's blocking
 * times: tm_special_background_build) and plans 300 random fit requests and 100 priority
 * requests against it (gen/special_gen.h: a diesel unit with a pilot 7 min ahead
 * and an escort 5 min behind, between two random operational points with loops, leaving
 * between 04:00 and 16:00, default security margins):
 *  - special_background: the background (the whole timetable run once, one thread);
 *  - special_p50, special_p99, special_max: median, 99th percentile and slowest of one fit
 *    plan (route, engine runs of the segments, the search, the three convoy runs, the new
 *    timetable); special_slowest_route: the route length of the slowest request;
 *  - special_priority_p50, _p99, _max, _slowest_route: the same in priority mode, and
 *    special_priority_stopped_at_limit: how many requests the branch and bound left at a
 *    limit (the plan is its best, with a lower bound, not proved least cost);
 *  - <name>_cpu_p50, _cpu_p99, _cpu_max: the same percentiles in CPU time of the request's
 *    thread (on a shared machine wall time counts the others' slices too);
 *  - special_peak_rss: the process's peak resident memory.
 * A comment line gives each mode's digest of the plans (tm_special_digest): a change that
 * only makes the planner faster leaves it as it was.
 * Goals (issue 11): fit p50 under 30 ms, p99 under 1 s, max under 2 s; priority p50 under
 * 300 ms, p99 under 5 s.
 *
 *   bench_special [--km KM] [--trains N] [--requests N] [--priority N]
 *
 * (defaults 5000, 10000, 300 fit requests, 100 priority requests; a smaller day
 * is for profiling, e.g. valgrind --tool=callgrind bench_special --km 1000 --trains 2000
 * --requests 10 --priority 0; --only I plans request I alone, to profile the slowest).
 *
 * The generated network has one gauge, so every pair of operational points with loops is a
 * request a diesel unit can run.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/vec.h"
#include "formats/readers.h"
#include "gen/gen.h"
#include "gen/rng.h"
#include "gen/special_gen.h"
#include "model/scenario.h"
#include "plan/special_plan.h"
#include "tumen.h"

#define MAX_REQUESTS 1000

/* The 100 priority requests run by default: the branch and bound stops at its node
 * limit (TM_SP_MAX_NODES), so the slowest take seconds, not hours (docs/special.md). */
static int n_requests = 300, n_priority = 100;
static int per_request = 0; /* --digests 1: each request's digest on a comment line */
static int only = -1; /* --only I: plan request I alone (the others are drawn, not planned) */

static const char *const files[] = {"network.yaml", "trains.yaml", "timetable.yaml"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: on a machine shared with other work, wall time counts the
 * others' slices too; CPU time is what the request itself costs. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void report(const char *what, const tumen_error *err)
{
    char buf[1024];
    tumen_error_format(err, buf, sizeof buf);
    fprintf(stderr, "bench_special: %s: %s\n", what, buf);
}

/* km of the special's route in r: the tracks between its consecutive calls. */
static double route_km(const tm_network *net, const tm_special_result *r)
{
    const tm_special_run *run = &r->runs[1];
    double m = 0.0;
    for (size_t q = 0; q + 1 < run->n_calls; q++) {
        size_t a = run->calls[q].op, b = run->calls[q + 1].op;
        double best = INFINITY;
        for (size_t j = net->adj_start[a]; j < net->adj_start[a + 1]; j++) {
            const tm_track *t = &net->tracks[net->adj[j]];
            if ((t->from == a && t->to == b) || (t->from == b && t->to == a))
                best = fmin(best, t->length);
        }
        if (isfinite(best))
            m += best;
    }
    return m / 1000.0;
}

/* Plans the requests in one mode under a rule set; prints the percentiles under name. The
 * same requests (seed 5) for every mode and set. */
static void plan_all(const tm_scenario *sc, const tm_special_background *bg, int mode,
                     const char *rules, const char *name, int count)
{
    tm_rng rng;
    tm_rng_seed(&rng, 5);
    double dt[MAX_REQUESTS], cpu[MAX_REQUESTS], km = 0.0, slowest = -1.0, slowest_km = 0.0;
    uint64_t digest = TM_SPECIAL_DIGEST_INIT;
    int slowest_i = -1;
    size_t failed = 0, infeasible = 0, changed = 0, inexact = 0, shown = 0;
    for (int i = 0; i < count; i++) {
        tm_special_spec sp;
        tm_gen_special_request(sc, &rng, &sp);
        tm_security_rules_builtin(rules, &sp.security);
        dt[i] = cpu[i] = 0.0;
        if (only >= 0 && i != only)
            continue;
        tm_special_options opt;
        memset(&opt, 0, sizeof opt);
        opt.mode = mode;
        opt.threads = 1;
        tm_special_result r;
        tumen_error err = {0};
        double t0 = now(), c0 = cpu_now();
        int rc = tm_special_plan_with(sc, &sp, bg, &opt, &r, &err);
        dt[i] = now() - t0;
        cpu[i] = cpu_now() - c0;
        digest = tm_special_digest(&r, digest ^ (uint64_t)rc);
        if (per_request) {
            printf("# %s request %d digest %016llx cpu %.1f ms", name, i,
                   (unsigned long long)tm_special_digest(&r, TM_SPECIAL_DIGEST_INIT ^ (uint64_t)rc),
                   cpu[i] * 1e3);
            if (rc == TUMEN_OK && mode == TM_SPECIAL_PRIORITY)
                printf(" nodes %zu exact %d changes %zu cost %.1f bound %.1f", r.expansions,
                       r.exact, r.n_changes, r.cost, r.lower_bound);
            printf("\n");
            fflush(stdout);
        }
        if (rc != TUMEN_OK) {
            failed++;
            if (shown++ < 2)
                report("request", &err);
            continue;
        }
        infeasible += (size_t)r.infeasible;
        changed += r.n_changes;
        inexact += (size_t)(mode == TM_SPECIAL_PRIORITY && !r.exact);
        km += (double)r.runs[1].n_calls;
        if (dt[i] > slowest) {
            slowest = dt[i];
            slowest_i = i;
            slowest_km = route_km(&sc->network, &r);
        }
        tm_special_result_free(&r);
    }
    /* the five slowest, by index (to profile them alone with --only) */
    printf("# %s: slowest requests:", name);
    for (int top = 0; top < 5 && top < count; top++) {
        int m = -1;
        for (int i = 0; i < count; i++)
            if (dt[i] >= 0.0 && (m < 0 || dt[i] > dt[m]))
                m = i;
        printf(" #%d %.1f ms", m, dt[m] * 1e3);
        dt[m] = -1.0 - dt[m]; /* marked: restored below */
    }
    printf("\n");
    for (int i = 0; i < count; i++)
        if (dt[i] < 0.0)
            dt[i] = -1.0 - dt[i];
    qsort(dt, count, sizeof dt[0], tm_cmp_double);
    qsort(cpu, count, sizeof cpu[0], tm_cmp_double);
    printf("# %s: CPU time of one request: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", name,
           cpu[count / 2] * 1e3, cpu[count * 99 / 100] * 1e3, cpu[count - 1] * 1e3);
    printf("# %s, rules %s: %d requests, %zu with no route or no run, %zu infeasible, %.1f "
           "operational points a route on average, %zu other trains changed, %zu not proved "
           "least cost (the branch and bound stopped at a limit)\n",
           mode ? "priority" : "fit", rules, count, failed, infeasible,
           count > (int)failed ? km / (double)(count - (int)failed) : 0.0, changed,
           inexact);
    printf("# %s: slowest request #%d, %.1f ms, route %.1f km; plans digest %016llx\n",
           name, slowest_i, slowest * 1e3, slowest_km, (unsigned long long)digest);
    printf("BENCH %s_p50 %.1f ms\n", name, dt[count / 2] * 1e3);
    printf("BENCH %s_p99 %.1f ms\n", name, dt[count * 99 / 100] * 1e3);
    printf("BENCH %s_max %.1f ms\n", name, dt[count - 1] * 1e3);
    printf("BENCH %s_slowest_route %.1f km\n", name, slowest_km);
    printf("BENCH %s_cpu_p50 %.1f ms\n", name, cpu[count / 2] * 1e3);
    printf("BENCH %s_cpu_p99 %.1f ms\n", name, cpu[count * 99 / 100] * 1e3);
    printf("BENCH %s_cpu_max %.1f ms\n", name, cpu[count - 1] * 1e3);
    if (mode == TM_SPECIAL_PRIORITY)
        printf("BENCH %s_stopped_at_limit %zu requests\n", name, inexact);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    double km = 5000.0;
    long services = 10000;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 == argc)
            n_requests = 0; /* an option without its value: usage */
        else if (!strcmp(argv[i], "--km"))
            km = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--trains"))
            services = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--digests"))
            per_request = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--only"))
            only = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--priority"))
            n_priority = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--requests"))
            n_requests = atoi(argv[i + 1]);
    }
    if (km <= 0.0 || services <= 0 || n_requests < 1 || n_requests > MAX_REQUESTS ||
        n_priority < 0 || n_priority > MAX_REQUESTS) {
        fprintf(stderr, "usage: bench_special [--km KM] [--trains N] [--requests 1..%d] "
                        "[--priority 0..%d]\n", MAX_REQUESTS, MAX_REQUESTS);
        return 2;
    }
    char dir[] = "/tmp/tumen_bench_sp_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_special: mkdtemp");
        return 1;
    }
    char paths[3][64];
    const char *p[3];
    for (int i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, files[i]);
        p[i] = paths[i];
    }
    int rc = 1;
    tm_scenario *sc = NULL;
    tm_special_background bg;
    memset(&bg, 0, sizeof bg);
    tm_gen_options o = {km, (size_t)services, 1};
    tumen_error err = {0};
    if (tm_gen_network(&o, dir, NULL, &err) != TUMEN_OK) {
        report("generate", &err);
        goto out;
    }
    if (tm_scenario_load(&sc, p, 3, &err) != TUMEN_OK) {
        report("load", &err);
        goto out;
    }
    double t0 = now();
    if (tm_special_background_build(sc, 1, &bg, &err) != TUMEN_OK) {
        report("background", &err);
        goto out;
    }
    printf("# background: %zu services, %zu blocking times on %zu resources\n",
           sc->timetable.n_services, bg.n_occ, bg.map.n);
    printf("BENCH special_background %.3f s\n", now() - t0);
    fflush(stdout);
    plan_all(sc, &bg, TM_SPECIAL_FIT, "margins", "special", n_requests);
    /* the royal-train rule set (docs/special.md) on the generated day with its structures */
    plan_all(sc, &bg, TM_SPECIAL_FIT, "royal", "special_royal", n_requests);
    if (n_priority)
        plan_all(sc, &bg, TM_SPECIAL_PRIORITY, "margins", "special_priority", n_priority);
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("BENCH special_peak_rss %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    fflush(stdout);
    rc = 0;
out:
    tm_special_background_free(&bg);
    tm_scenario_free(sc);
    for (int i = 0; i < 3; i++)
        unlink(paths[i]);
    rmdir(dir);
    return rc;
}
