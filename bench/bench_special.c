/* bench_special.c: special train requests on the national-scale day, printed as
 *   BENCH <name> <value> <unit>
 * lines (make bench). Never a test: nothing here asserts on time.
 *
 * It generates (gen/gen.h, in a temporary folder) the synthetic network of 5000 km with a
 * day of 10,000 services, seed 1, builds the background once (every service's blocking
 * times: tm_special_background_build) and plans 100 random requests against it: a diesel
 * unit (regional_dmu) with a pilot 7 min ahead and an escort 5 min behind, between two
 * random operational points with loops, leaving at a random time between 04:00 and 16:00,
 * default security margins. Each request is planned in fit mode and in priority mode:
 *  - special_background: the background (the whole timetable run once, one thread);
 *  - special_p50, special_p99: median and 99th percentile of one fit plan (route, engine
 *    runs of the segments, the search, the three convoy runs, the new timetable);
 *  - special_priority_p50, special_priority_p99: the same in priority mode;
 *  - special_peak_rss: the process's peak resident memory.
 * Goals (issue 5): p50 under 100 ms, p99 under 1 s.
 *
 *   bench_special [--km KM] [--trains N] [--requests N] [--priority]
 *
 * (defaults 5000, 10000, 100; a smaller day is for profiling, e.g. valgrind
 * --tool=callgrind bench_special --km 1000 --trains 2000 --requests 10). Priority mode is
 * measured only with --priority: its branch and bound is far from the goals (docs/special.md).
 *
 * The generated network has one gauge, so every pair of operational points with loops is a
 * request a diesel unit can run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "formats/readers.h"
#include "gen/gen.h"
#include "gen/rng.h"
#include "model/scenario.h"
#include "plan/special_plan.h"
#include "tumen.h"

#define MAX_REQUESTS 1000

static int n_requests = 100;

static const char *const files[] = {"network.yaml", "trains.yaml", "timetable.yaml"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, const tumen_error *err)
{
    char buf[1024];
    tumen_error_format(err, buf, sizeof buf);
    fprintf(stderr, "bench_special: %s: %s\n", what, buf);
}

static void request(tm_special_spec *sp, const tm_scenario *sc, tm_rng *rng,
                    const char *rules)
{
    memset(sp, 0, sizeof *sp);
    tm_security_rules_builtin(rules, &sp->security);
    snprintf(sp->id, sizeof sp->id, "bench");
    snprintf(sp->file, sizeof sp->file, "bench");
    tm_special_train *t[3] = {&sp->pilot, &sp->special, &sp->escort};
    for (int w = 0; w < 3; w++) {
        snprintf(t[w]->train, sizeof t[w]->train, "regional_dmu");
        t[w]->present = 1;
    }
    sp->pilot.offset = 420.0;
    sp->escort.offset = 300.0;
    size_t a, b;
    do
        a = (size_t)tm_rng_range(rng, 0, (long)sc->network.n_ops - 1);
    while (sc->network.ops[a].n_loops == 0);
    do
        b = (size_t)tm_rng_range(rng, 0, (long)sc->network.n_ops - 1);
    while (b == a || sc->network.ops[b].n_loops == 0);
    snprintf(sp->from, sizeof sp->from, "%s", sc->network.ops[a].id);
    snprintf(sp->to, sizeof sp->to, "%s", sc->network.ops[b].id);
    sp->earliest = 4 * 3600.0 + (double)tm_rng_range(rng, 0, 12 * 3600);
    sp->latest = INFINITY;
    sp->margin_time = 120.0;
    sp->opposing_margin = 300.0;
    sp->station_margin = 300.0;
    static const double delay[3] = {5.0, 1.0, 10.0}, cancel[3] = {600.0, 120.0, 1200.0};
    for (int c = 0; c < 3; c++) {
        sp->delay_cost[c] = delay[c] / 60.0;
        sp->cancel_cost[c] = cancel[c];
    }
}

/* Plans the requests in one mode under a rule set; prints the percentiles under name. The
 * same requests (seed 5) for every mode and set. */
static void plan_all(const tm_scenario *sc, const tm_special_background *bg, int mode,
                     const char *rules, const char *name)
{
    tm_rng rng;
    tm_rng_seed(&rng, 5);
    double dt[MAX_REQUESTS], km = 0.0, slowest_km = 0.0;
    size_t failed = 0, infeasible = 0, changed = 0, inexact = 0, shown = 0;
    for (int i = 0; i < n_requests; i++) {
        tm_special_spec sp;
        request(&sp, sc, &rng, rules);
        tm_special_options opt;
        memset(&opt, 0, sizeof opt);
        opt.mode = mode;
        opt.threads = 1;
        tm_special_result r;
        tumen_error err = {0};
        double t0 = now();
        int rc = tm_special_plan_with(sc, &sp, bg, &opt, &r, &err);
        dt[i] = now() - t0;
        if (rc != TUMEN_OK) {
            failed++;
            if (shown++ < 2)
                report("request", &err);
            continue;
        }
        infeasible += (size_t)r.infeasible;
        changed += r.n_changes;
        inexact += (size_t)(mode == TM_SPECIAL_PRIORITY && !r.exact);
        double d = 0.0;
        if (r.has_plan && r.runs[1].n_calls)
            d = r.arrival - r.departure;
        (void)d;
        size_t nc = r.runs[1].n_calls;
        km += (double)nc;
        if (dt[i] >= slowest_km)
            slowest_km = dt[i];
        tm_special_result_free(&r);
    }
    qsort(dt, n_requests, sizeof dt[0], cmp_double);
    printf("# %s, rules %s: %d requests, %zu with no route or no run, %zu infeasible, %.1f "
           "operational points a route on average, %zu other trains changed, %zu not proved "
           "least cost; slowest %.1f ms\n",
           mode ? "priority" : "fit", rules, n_requests, failed, infeasible,
           n_requests > (int)failed ? km / (double)(n_requests - (int)failed) : 0.0, changed,
           inexact, dt[n_requests - 1] * 1e3);
    printf("BENCH %s_p50 %.1f ms\n", name, dt[n_requests / 2] * 1e3);
    printf("BENCH %s_p99 %.1f ms\n", name, dt[n_requests * 99 / 100] * 1e3);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    double km = 5000.0;
    long services = 10000;
    int priority = 0;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 == argc && strcmp(argv[i], "--priority"))
            n_requests = 0; /* an option without its value: usage */
        else if (!strcmp(argv[i], "--km"))
            km = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--trains"))
            services = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--priority") && (priority = 1))
            i--;
        else if (!strcmp(argv[i], "--requests"))
            n_requests = atoi(argv[i + 1]);
    }
    if (km <= 0.0 || services <= 0 || n_requests < 1 || n_requests > MAX_REQUESTS) {
        fprintf(stderr, "usage: bench_special [--km KM] [--trains N] [--requests 1..%d] [--priority]\n",
                MAX_REQUESTS);
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
    plan_all(sc, &bg, TM_SPECIAL_FIT, "margins", "special");
    /* the royal-train rule set (docs/special.md) on the generated day with its structures */
    plan_all(sc, &bg, TM_SPECIAL_FIT, "royal", "special_royal");
    if (priority)
        plan_all(sc, &bg, TM_SPECIAL_PRIORITY, "margins", "special_priority");
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
