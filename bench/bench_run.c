/* bench_run.c: speed and accuracy of the running-time engine, printed as
 *   BENCH <name> <value> <unit>
 * lines (make bench). Never a test: nothing here asserts on time.
 *
 *  - flagship_run_median: median wall time of one run of the flagship journey (loaded once);
 *  - flagship_eco_run_median: the same with a 5 % allowance driven eco;
 *  - trainruns_realworld_runs_per_s: runs per second of each TrainRuns.jl train over the
 *    101.8 km realworld path (skipped when ../shared/data is absent);
 *  - *_time_error: running-time difference between the default step and a converged
 *    reference (h = 0.01 s), i.e. the integrator's error on real inputs;
 *  - peak_rss: the process's peak resident memory.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tumen.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static tumen_scenario *load(const char *const *paths, size_t n)
{
    tumen_scenario *sc = NULL;
    tumen_error err = {0};
    if (tumen_scenario_load(&sc, paths, n, &err) != TUMEN_OK) {
        char buf[1024];
        tumen_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "bench: %s\n", buf);
        return NULL;
    }
    return sc;
}

static int eco_mode; /* 1: runs use a 5 % allowance driven eco */

/* Running time with the given step (0 = default); NAN on failure. */
static double running_time(const tumen_scenario *sc, double step)
{
    tumen_run_options o;
    tumen_run_options_init(&o);
    o.max_step = step;
    if (eco_mode) {
        o.allowance.kind = TUMEN_ALLOWANCE_PERCENT;
        o.allowance.value = 5.0;
        o.driving = TUMEN_DRIVING_ECO;
    }
    tumen_result *r = NULL;
    tumen_error err = {0};
    if (tumen_run(sc, &o, &r, &err) != TUMEN_OK) {
        fprintf(stderr, "bench: run failed: %s\n", err.message);
        return NAN;
    }
    double t = r->running_time;
    tumen_result_destroy(r);
    return t;
}

/* Median seconds per run over n runs. */
static double median_run(const tumen_scenario *sc, int n)
{
    double *dt = malloc((size_t)n * sizeof *dt);
    if (!dt)
        return NAN;
    for (int i = 0; i < n; i++) {
        double t0 = now();
        if (isnan(running_time(sc, 0.0))) {
            free(dt);
            return NAN;
        }
        dt[i] = now() - t0;
    }
    qsort(dt, (size_t)n, sizeof *dt, cmp_double);
    double m = dt[n / 2];
    free(dt);
    return m;
}

static int bench_flagship(void)
{
    const char *path[] = {TUMEN_SOURCE_DIR "/examples/flagship/journey.yaml"};
    tumen_scenario *sc = load(path, 1);
    if (!sc)
        return 1;
    double median = median_run(sc, 201);
    printf("BENCH flagship_run_median %.4f ms\n", median * 1e3);
    double t = running_time(sc, 0.0), t_ref = running_time(sc, 0.01);
    printf("BENCH flagship_time_error %.3g s\n", fabs(t - t_ref));
    printf("BENCH flagship_running_time %.3f s\n", t);
    /* An eco run with a 5 % allowance: the minimum-time run, then one parameter search per
     * stop-to-stop segment (docs/physics.md, "Allowances and energy-saving driving"). */
    eco_mode = 1;
    printf("BENCH flagship_eco_run_median %.4f ms\n", median_run(sc, 21) * 1e3);
    eco_mode = 0;
    tumen_scenario_destroy(sc);
    return 0;
}

static int bench_trainruns(void)
{
    static const char *trains[] = {"freight", "local", "longdistance"};
    char train_path[512], path_path[512];
    snprintf(path_path, sizeof path_path, "%s/data/trainruns/paths/realworld.yaml",
             TUMEN_SHARED_DIR);
    FILE *probe = fopen(path_path, "r");
    if (!probe) {
        printf("# trainruns benchmarks skipped: %s not found\n", path_path);
        return 0;
    }
    fclose(probe);
    for (size_t i = 0; i < 3; i++) {
        snprintf(train_path, sizeof train_path, "%s/data/trainruns/trains/%s.yaml",
                 TUMEN_SHARED_DIR, trains[i]);
        const char *paths[] = {train_path, path_path};
        tumen_scenario *sc = load(paths, 2);
        if (!sc)
            return 1;
        int n = 0;
        double t0 = now();
        while (now() - t0 < 0.5 || n < 20) {
            running_time(sc, 0.0);
            n++;
        }
        double rate = n / (now() - t0);
        double t = running_time(sc, 0.0), t_ref = running_time(sc, 0.01);
        printf("BENCH trainruns_realworld_%s_runs_per_s %.0f runs/s\n", trains[i], rate);
        printf("BENCH trainruns_realworld_%s_time_error %.3g s\n", trains[i], fabs(t - t_ref));
        tumen_scenario_destroy(sc);
    }
    return 0;
}

int main(void)
{
    int rc = bench_flagship();
    rc |= bench_trainruns();
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("BENCH peak_rss %.1f MB\n", ru.ru_maxrss / 1024.0);
    return rc;
}
