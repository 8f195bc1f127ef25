/* bench_timetable.c: the national-scale benchmark, printed as
 *   BENCH <name> <value> <unit>
 * lines (make bench). Never a test: nothing here asserts on time.
 *
 * It generates (gen/gen.h, in a temporary folder) the synthetic network of 5000 km with a
 * day of 10,000 services, seed 1, and measures:
 *  - timetable_10k_load: reading the three files into a scenario;
 *  - timetable_10k_trajectories: routing and running every service (tm_timetable_run),
 *    one thread;
 *  - timetable_10k_trajectories_threads: the same on every core (the count is printed on
 *    the line before);
 *  - route_request_median: median time of one tm_route_find between 200 random pairs of
 *    operational points (a diesel freight, which may run everywhere);
 *  - timetable_10k_peak_rss: the process's peak resident memory.
 * Each run also prints, as a comment, its CPU time: on a busy machine the wall time of the
 * one-thread run overstates the work, its CPU time does not.
 * Goals (issue 3): all 10,000 trajectories under 2 s on one core, peak memory under 500 MB.
 */
#include <math.h>
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
#include "model/scenario.h"
#include "plan/route.h"
#include "plan/timetable.h"
#include "tumen.h"
#include "bench_day.h"

#define KM 5000.0
#define SERVICES 10000
#define ROUTE_PAIRS 200

static const char *const files[] = {"network.yaml", "trains.yaml", "timetable.yaml"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the whole process (all threads): on a loaded machine, wall time of a
 * one-thread run overstates its work and this does not. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void report(const char *what, const tumen_error *err)
{
    char buf[1024];
    tumen_error_format(err, buf, sizeof buf);
    fprintf(stderr, "bench_timetable: %s: %s\n", what, buf);
}

/* Runs the whole timetable on threads; prints the time under name. Returns 0 or 1. */
static int run_all(const tm_scenario *sc, int threads, const char *name)
{
    tm_timetable_options opt;
    tm_timetable_options_init(&opt);
    opt.threads = threads;
    opt.keep_going = 1;
    tm_timetable_result res = {0};
    tumen_error err = {0};
    double t0 = now(), c0 = cpu_now();
    int rc = tm_timetable_run(sc, NULL, &opt, &res, &err);
    double dt = now() - t0, cpu = cpu_now() - c0;
    if (rc != TUMEN_OK) {
        report("timetable run", &err);
        return 1;
    }
    double km = 0.0, hours = 0.0;
    for (size_t i = 0; i < res.n_runs; i++)
        if (res.runs[i].status == TUMEN_OK) {
            km += res.runs[i].distance / 1000.0;
            hours += res.runs[i].running_time / 3600.0;
        }
    printf("# %zu services run on %d thread%s, %zu failed; %.0f train-km, %.0f train-hours; "
           "CPU time %.3f s\n",
           res.n_runs, threads, threads == 1 ? "" : "s", res.n_failed, km, hours, cpu);
    for (size_t i = 0, shown = 0; i < res.n_runs && shown < 3; i++)
        if (res.runs[i].status != TUMEN_OK && res.runs[i].error) {
            char buf[1024];
            tumen_error_format(res.runs[i].error, buf, sizeof buf);
            printf("# failed: %s\n", buf);
            shown++;
        }
    printf("BENCH %s %.3f s\n", name, dt);
    tm_timetable_result_free(&res);
    return 0;
}

/* Median time of tm_route_find between random pairs of operational points. */
static int route_requests(const tm_scenario *sc)
{
    size_t train = tm_scenario_find_train(sc, "freight_diesel_branch");
    if (train == (size_t)-1 || sc->network.n_ops < 2) {
        fprintf(stderr, "bench_timetable: no diesel freight train or no network\n");
        return 1;
    }
    tm_rng rng;
    tm_rng_seed(&rng, 42);
    double dt[ROUTE_PAIRS], km = 0.0;
    int failed = 0;
    for (int i = 0; i < ROUTE_PAIRS; i++) {
        size_t wp[2];
        wp[0] = (size_t)tm_rng_range(&rng, 0, (long)sc->network.n_ops - 1);
        do
            wp[1] = (size_t)tm_rng_range(&rng, 0, (long)sc->network.n_ops - 1);
        while (wp[1] == wp[0]);
        tm_route_request req = {0};
        req.train = train;
        req.waypoints = wp;
        req.n_waypoints = 2;
        tm_route route = {0};
        tumen_error err = {0};
        double t0 = now();
        int rc = tm_route_find(sc, &req, &route, &err);
        dt[i] = now() - t0;
        if (rc == TUMEN_OK)
            km += route.length / 1000.0;
        else
            failed++;
        tm_route_free(&route);
    }
    qsort(dt, ROUTE_PAIRS, sizeof dt[0], tm_cmp_double);
    printf("# %d route requests between random operational points (%d found no route), "
           "mean route %.0f km, slowest %.3f ms\n",
           ROUTE_PAIRS, failed, ROUTE_PAIRS > failed ? km / (ROUTE_PAIRS - failed) : 0.0,
           dt[ROUTE_PAIRS - 1] * 1e3);
    printf("BENCH route_request_median %.3f ms\n", dt[ROUTE_PAIRS / 2] * 1e3);
    return 0;
}

int main(void)
{
    tm_bench_print_load("bench_timetable");
    char dir[] = "/tmp/tumen_bench_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_timetable: mkdtemp");
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
    tm_gen_options o = {KM, SERVICES, 1};
    tm_gen_stats st;
    tumen_error err = {0};
    double t0 = now();
    if (tm_gen_network(&o, dir, &st, &err) != TUMEN_OK) {
        report("generate", &err);
        goto out;
    }
    printf("# synthetic network, seed 1: %zu operational points, %zu tracks, %.0f km "
           "(main lines %.0f km), %zu signals; %zu services\n",
           st.n_ops, st.n_tracks, st.track_km, st.main_km, st.n_signals, st.n_services);
    printf("BENCH gen_network_5000km %.3f s\n", now() - t0);

    t0 = now();
    double c0 = cpu_now();
    if (tm_scenario_load(&sc, p, 3, &err) != TUMEN_OK) {
        report("load", &err);
        goto out;
    }
    double dt = now() - t0;
    printf("# load: CPU time %.3f s\n", cpu_now() - c0);
    printf("BENCH timetable_10k_load %.3f s\n", dt);

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        cores = 1;
    if (run_all(sc, 1, "timetable_10k_trajectories"))
        goto out;
    printf("# all cores: %ld\n", cores);
    if (run_all(sc, (int)cores, "timetable_10k_trajectories_threads"))
        goto out;
    if (route_requests(sc))
        goto out;
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("BENCH timetable_10k_peak_rss %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    rc = 0;
out:
    tm_scenario_free(sc);
    for (int i = 0; i < 3; i++)
        unlink(paths[i]);
    rmdir(dir);
    return rc;
}
