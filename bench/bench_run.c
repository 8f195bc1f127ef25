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
 *  - hilly_run_median, hilly_time_error: a 1,160 km line with a 3 km climb of 10 permille
 *    every 10 km (the train cannot hold its top speed on them, so it integrates most of the
 *    way; issue 11) with the error-controlled step, and its running-time error against a
 *    0.01 s fixed step (and the same with the default fixed 2 s step, *_fixed_step);
 *  - ttobench_eco_run_median: one eco run of each TTOBench train on the journey
 *    CH_StGallen_Wil_Journey_01 (its own time bounds);
 *  - eco_gap_ttobench_max: the largest gap of eco's energy at the wheel to the optimal-control
 *    oracle (tests/oracle.c) over the journey's stop-to-stop segments and trains (the bound at
 *    km 12.5 met by the oracle too), with the
 *    oracle on a 25 m x 0.1 m/s grid (and, for its grid convergence, on the tests' 50 m x
 *    0.2 m/s grid: eco_gap_ttobench_max_coarse);
 *  - eco_gap_flagship_max: the largest gap of eco's energy at the wheel to the oracle over
 *    the flagship's three legs with a 5 % and a 10 % allowance, each leg against the oracle's
 *    least energy for the same moving time over its stop-to-stop segments, on a 100 m x
 *    0.2 m/s grid (and on the tests' 400 m x 0.4 m/s grid: eco_gap_flagship_max_coarse);
 *  - peak_rss: the process's peak resident memory.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/vec.h"
#include "model/scenario.h"
#include "formats/readers.h"
#include "oracle.h"
#include "oracle_leg.h"
#include "run/run.h"
#include "tumen.h"
#include "bench_day.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static tm_scenario *load(const char *const *paths, size_t n)
{
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    if (tm_scenario_load(&sc, paths, n, &err) != TUMEN_OK) {
        char buf[1024];
        tumen_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "bench: %s\n", buf);
        return NULL;
    }
    return sc;
}

static int eco_mode;      /* 1: runs use a 5 % allowance driven eco */
static int adaptive_mode; /* 1: runs use the error-controlled step */

/* Running time with the given step (0 = default); NAN on failure. */
static double running_time(const tm_scenario *sc, double step)
{
    tumen_run_options o;
    tumen_run_options_init(&o);
    o.max_step = step;
    o.adaptive_step = adaptive_mode && step == 0.0;
    if (eco_mode) {
        o.allowance.kind = TUMEN_ALLOWANCE_PERCENT;
        o.allowance.value = 5.0;
        o.driving = TUMEN_DRIVING_ECO;
    }
    tumen_result *r = NULL;
    tumen_error err = {0};
    if (tm_scenario_run(sc, &o, &r, &err) != TUMEN_OK) {
        fprintf(stderr, "bench: run failed: %s\n", err.message);
        return NAN;
    }
    double t = r->running_time;
    tumen_result_destroy(r);
    return t;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double last_cpu_median; /* s: the CPU time per run of the last median_run */

/* Median seconds per run over n runs (wall); last_cpu_median receives the median CPU time
 * of this thread per run, which a shared machine does not inflate as much. */
static double median_run(const tm_scenario *sc, int n)
{
    double *dt = malloc(2 * (size_t)n * sizeof *dt), *cpu = dt + n;
    if (!dt)
        return NAN;
    for (int i = 0; i < n; i++) {
        double t0 = now(), c0 = cpu_now();
        if (isnan(running_time(sc, 0.0))) {
            free(dt);
            return NAN;
        }
        dt[i] = now() - t0;
        cpu[i] = cpu_now() - c0;
    }
    qsort(dt, (size_t)n, sizeof *dt, tm_cmp_double);
    qsort(cpu, (size_t)n, sizeof *cpu, tm_cmp_double);
    double m = dt[n / 2];
    last_cpu_median = cpu[n / 2];
    free(dt);
    return m;
}

static int bench_flagship(void)
{
    const char *path[] = {TUMEN_SOURCE_DIR "/examples/flagship/journey.yaml"};
    tm_scenario *sc = load(path, 1);
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
    tm_scenario_free(sc);
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
        tm_scenario *sc = load(paths, 2);
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
        tm_scenario_free(sc);
    }
    return 0;
}

static int bench_hilly(void)
{
    /* assumed: a 4 MW locomotive and 1,200 t of coaches, limits of 120 km/h */
    static const char head[] =
        "vehicles:\n"
        "  - {id: loco, kind: locomotive, mass: 90 t, length: 20 m, max_speed: 120 km/h,\n"
        "     traction: {max_force: 300 kN, max_power: 4000 kW},\n"
        "     resistance: {law: davis, a: 2 kN, b: 20 N/(km/h), c: 0.5 N/(km/h)^2},\n"
        "     brake: {deceleration: 0.5 m/s2}}\n"
        "  - {id: coach, kind: coach, mass: 50 t, length: 25 m,\n"
        "     resistance: {law: davis, a: 0.8 kN, b: 5 N/(km/h), c: 0.2 N/(km/h)^2},\n"
        "     brake: {deceleration: 0.5 m/s2}}\n"
        "trains:\n"
        "  - {id: t, consist: \"loco + 24 x coach\"}\n"
        "lines:\n"
        "  - id: hilly\n"
        "    sections:\n";
    size_t cap = 200000, n = 0;
    char *text = malloc(cap);
    if (!text)
        return 1;
    n += (size_t)snprintf(text + n, cap - n, "%s", head);
    for (int k = 0; k < 116; k++)
        n += (size_t)snprintf(text + n, cap - n,
                              "      - {from: %d km, to: %d km, speed_limit: 120 km/h, "
                              "gradient: 0}\n"
                              "      - {from: %d km, to: %d km, speed_limit: 120 km/h, "
                              "gradient: 10 permille}\n",
                              10 * k, 10 * k + 7, 10 * k + 7, 10 * k + 10);
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    int rc = tm_scenario_load_text(&sc, "hilly.yaml", text, n, &err);
    free(text);
    if (rc != TUMEN_OK) {
        fprintf(stderr, "bench: hilly: %s\n", err.message);
        return 1;
    }
    printf("BENCH hilly_run_fixed_step_median %.4f ms\n", median_run(sc, 21) * 1e3);
    printf("# hilly_run_fixed_step_median: CPU time per run %.4f ms (median)\n",
           last_cpu_median * 1e3);
    double t_ref = running_time(sc, 0.01);
    printf("BENCH hilly_time_error_fixed_step %.3g s\n", fabs(running_time(sc, 0.0) - t_ref));
    adaptive_mode = 1; /* the error-controlled step */
    printf("BENCH hilly_run_median %.4f ms\n", median_run(sc, 21) * 1e3);
    printf("# hilly_run_median: CPU time per run %.4f ms (median)\n", last_cpu_median * 1e3);
    printf("BENCH hilly_time_error %.3g s\n", fabs(running_time(sc, 0.0) - t_ref));
    adaptive_mode = 0;
    tm_scenario_free(sc);
    return 0;
}

/* Energy (J) and time (s) of result r between the stops at journey positions a and b. */
static void segment_of(const tumen_result *r, double a, double b, double *e, double *t)
{
    size_t i = 0, k;
    while (i + 1 < r->n_samples && r->samples[i + 1].s <= a + 1e-6)
        i++;
    for (k = i; k + 1 < r->n_samples && r->samples[k].s < b - 1e-6; k++)
        ;
    *e = r->samples[k].energy - r->samples[i].energy;
    *t = r->samples[k].t - r->samples[i].t;
}

static int bench_ttobench(void)
{
    static const char *const trains[] = {"CH_Stadler_FLIRT_TPF", "CH_Stadler_KISS_SBB",
                                         "CN_Beijing_Subway", "NL_Intercity_VIRM6"};
    char journey[512], track[512], train[512];
    snprintf(journey, sizeof journey, "%s/data/ttobench/journeys/CH_StGallen_Wil_Journey_01.json",
             TUMEN_SHARED_DIR);
    snprintf(track, sizeof track, "%s/data/ttobench/tracks/CH_StGallen_Wil.json",
             TUMEN_SHARED_DIR);
    FILE *probe = fopen(journey, "r");
    if (!probe) {
        printf("# ttobench benchmarks skipped: %s not found\n", journey);
        return 0;
    }
    fclose(probe);
    /* The journey's bounds: 0-15 km by 680 s; from 15 km not before 800 s, by 1450 s. */
    static const double stops[3] = {0.0, 15000.0, 29556.1}, times[2] = {680.0, 650.0};
    static const tm_oracle_opt grids[2] = {{25.0, 0.1, 0, 0.0, 0.0}, {50.0, 0.2, 0, 0.0, 0.0}};
    double gap[2] = {-INFINITY, -INFINITY}, run_max = 0.0;
    for (size_t i = 0; i < 4; i++) {
        snprintf(train, sizeof train, "%s/data/ttobench/trains/%s.json", TUMEN_SHARED_DIR,
                 trains[i]);
        const char *paths[] = {train, track, journey};
        tm_scenario *sc = load(paths, 3);
        if (!sc)
            return 1;
        tumen_run_options o;
        tumen_run_options_init(&o);
        tumen_result *r = NULL;
        tumen_error err = {0};
        if (tm_scenario_run(sc, &o, &r, &err) != TUMEN_OK) {
            printf("# ttobench %s: %s\n", trains[i], err.message);
            tm_scenario_free(sc);
            continue;
        }
        run_max = fmax(run_max, median_run(sc, 11));
        tm_course c;
        if (tm_course_build(&c, &sc->trains[0], &sc->lines[0], TUMEN_MASS_POINT, &err) ==
            TUMEN_OK) {
            for (size_t k = 0; k < 2; k++) {
                double e, t;
                segment_of(r, stops[k], stops[k + 1], &e, &t);
                for (size_t g = 0; g < 2; g++) {
                    tm_oracle_result res;
                    tm_oracle_opt opt = grids[g];
                    if (k == 0) { /* the journey's bound inside: km 12.5 by 540 s */
                        opt.bound_x = 12500.0;
                        opt.bound_t = 540.0;
                    }
                    if (tm_oracle_run(&c, &stops[k], 2, times[k], &opt, &res) == 0) {
                        gap[g] = fmax(gap[g], e / res.energy - 1.0);
                        /* The oracle's grid convergence, with the gap it gives. */
                        printf("# ttobench %s segment %zu: eco %.3f kWh, oracle %.3f kWh on "
                               "%.0f m x %.2f m/s (gap %+.2f %%)\n",
                               trains[i], k + 1, e / 3.6e6, res.energy / 3.6e6, grids[g].ds,
                               grids[g].dv, 100.0 * (e / res.energy - 1.0));
                    }
                }
            }
            tm_course_free(&c);
        }
        tumen_result_destroy(r);
        tm_scenario_free(sc);
    }
    printf("BENCH ttobench_eco_run_median %.4f ms\n", run_max * 1e3);
    printf("BENCH eco_gap_ttobench_max %.2f %%\n", 100.0 * gap[0]);
    printf("BENCH eco_gap_ttobench_max_coarse %.2f %%\n", 100.0 * gap[1]);
    return 0;
}

static int bench_flagship_gap(void)
{
    const char *paths[] = {TUMEN_SOURCE_DIR "/examples/flagship/journey.yaml"};
    static const char *const amounts[] = {"5%", "10%"};
    static const tm_oracle_opt grids[2] = {{100.0, 0.2, 0, 0.0, 0.0}, {400.0, 0.4, 0, 0.0, 0.0}};
    tm_scenario *sc = load(paths, 1);
    if (!sc)
        return 1;
    double gap[2] = {-INFINITY, -INFINITY};
    int rc = 0;
    for (size_t a = 0; a < 2 && rc == 0; a++) {
        tumen_run_options o;
        tumen_run_options_init(&o);
        tumen_error err = {0};
        o.driving = TUMEN_DRIVING_ECO;
        tumen_result *r = NULL;
        if (tumen_allowance_parse(amounts[a], &o.allowance, &err) != TUMEN_OK ||
            tm_scenario_run(sc, &o, &r, &err) != TUMEN_OK) {
            fprintf(stderr, "bench: flagship %s: %s\n", amounts[a], err.message);
            rc = 1;
            break;
        }
        for (size_t leg = 0; leg < r->n_legs; leg++)
            for (size_t g = 0; g < 2; g++) {
                tm_oracle_leg l;
                if (tm_oracle_leg_compare(sc, r, leg, &grids[g], &l) != 0) {
                    fprintf(stderr, "bench: flagship %s leg %zu: the oracle failed\n",
                            amounts[a], leg + 1);
                    rc = 1;
                    continue;
                }
                gap[g] = fmax(gap[g], l.gap);
                printf("# flagship %s leg %zu: eco %.2f kWh, oracle %.2f kWh on %.0f m x "
                       "%.1f m/s (gap %+.2f %%)\n",
                       amounts[a], leg + 1, l.energy / 3.6e6, l.optimum / 3.6e6, grids[g].ds,
                       grids[g].dv, 100.0 * l.gap);
            }
        tumen_result_destroy(r);
    }
    tm_scenario_free(sc);
    if (rc == 0) {
        printf("BENCH eco_gap_flagship_max %.2f %%\n", 100.0 * gap[0]);
        printf("BENCH eco_gap_flagship_max_coarse %.2f %%\n", 100.0 * gap[1]);
    }
    return rc;
}

/* With arguments, only the named benches run (flagship, trainruns, hilly, ttobench,
 * flagship_gap). */
static int wanted(int argc, char **argv, const char *name)
{
    if (argc < 2)
        return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    tm_bench_print_load("bench_run");
    int rc = 0;
    if (wanted(argc, argv, "flagship"))
        rc |= bench_flagship();
    if (wanted(argc, argv, "trainruns"))
        rc |= bench_trainruns();
    if (wanted(argc, argv, "hilly"))
        rc |= bench_hilly();
    if (wanted(argc, argv, "ttobench"))
        rc |= bench_ttobench();
    if (wanted(argc, argv, "flagship_gap"))
        rc |= bench_flagship_gap();
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("BENCH peak_rss %.1f MB\n", ru.ru_maxrss / 1024.0);
    return rc;
}
