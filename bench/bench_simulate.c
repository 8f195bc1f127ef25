/* bench_simulate.c: the Monte-Carlo simulation's speed, printed as BENCH lines (make bench).
 * Never a test; figures on a busy machine are inflated.
 *
 *  - simulate_corridor_10k_reps: seconds for 10,000 replications of a 500-train day on a
 *    small generated network (tm_gen_network, 300 km, 500 services, seed 1: six lines of a
 *    main line and branches, the "corridor" of the issue), on 2 threads, the plan (every
 *    service run at its planned and its minimum running time) excluded and printed apart;
 *  - simulate_10k_services_reps_per_s: replications per second of the generated national
 *    day (5,000 km, 10,000 services, seed 1) on 2 threads, and its plan time;
 *  - simulate_mpi_efficiency: T(1 rank) / (2 T(2 ranks)) for `tumen simulate` on the
 *    corridor under mpirun (each rank one thread; plan included, as a user sees it);
 *    skipped (a comment) without mpirun;
 *  - simulate_peak_rss: peak resident memory of this process.
 * Options: --reps N (corridor replications, default 10000), --national-reps N (default
 * 50), --mpi-reps N (default 2000), --skip-national.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "formats/readers.h"
#include "gen/gen.h"
#include "model/scenario.h"
#include "sim/sim.h"
#include "bench_machine.h"

static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void cleanup(const char *dir)
{
    static const char *const names[] = {"network.yaml", "trains.yaml", "timetable.yaml"};
    char path[512];
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static tm_scenario *generate(char *dir, double km, size_t services)
{
    tm_gen_options o = {km, services, 1};
    tumen_error err = {0};
    if (!mkdtemp(dir) || tm_gen_network(&o, dir, NULL, &err) != TUMEN_OK) {
        fprintf(stderr, "bench_simulate: cannot generate: %s\n", err.message);
        return NULL;
    }
    char net[512], trains[512], tt[512];
    snprintf(net, sizeof net, "%s/network.yaml", dir);
    snprintf(trains, sizeof trains, "%s/trains.yaml", dir);
    snprintf(tt, sizeof tt, "%s/timetable.yaml", dir);
    const char *files[] = {net, trains, tt};
    tm_scenario *sc = NULL;
    if (tm_scenario_load(&sc, files, 3, &err) != TUMEN_OK) {
        fprintf(stderr, "bench_simulate: cannot load: %s\n", err.message);
        return NULL;
    }
    return sc;
}

/* Plans sc and runs reps replications on 2 threads; prints the plan time; returns the
 * replications' time (s), or -1. */
static double simulate(const char *name, const tm_scenario *sc, unsigned long reps)
{
    tm_sim_plan *plan = NULL;
    tumen_error err = {0};
    double t0 = now();
    if (tm_sim_plan_build(sc, NULL, 2, &plan, &err) != TUMEN_OK) {
        fprintf(stderr, "bench_simulate: %s\n", err.message);
        return -1.0;
    }
    double t1 = now(), c1 = cpu();
    tm_sim_config cfg = {1, TM_DISPATCH_TIMETABLE, 0};
    tm_sim_stats stats;
    if (tm_sim_run(plan, &cfg, 0, reps, 1, 2, NULL, NULL, &stats, &err) != TUMEN_OK) {
        fprintf(stderr, "bench_simulate: %s\n", err.message);
        tm_sim_plan_free(plan);
        return -1.0;
    }
    double t2 = now(), c2 = cpu();
    /* CPU time tells what an idle machine would take (wall ~ CPU / 2 on 2 free cores). */
    printf("# %s: %zu services, plan %.2f s (2 threads), %lu replications %.2f s wall, "
           "%.2f s CPU\n", name, tm_sim_plan_services(plan), t1 - t0, reps, t2 - t1, c2 - c1);
    tm_sim_stats_free(&stats);
    tm_sim_plan_free(plan);
    return t2 - t1;
}

/* Wall time of `mpirun -np np tumen simulate DIR/... --replications reps`, or -1. */
static double mpi_run(const char *dir, int np, unsigned long reps)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "mpirun --oversubscribe %s -np %d '%s' simulate '%s/network.yaml' "
             "'%s/trains.yaml' '%s/timetable.yaml' --replications %lu --json >/dev/null",
             getuid() == 0 ? "--allow-run-as-root" : "", np, TUMEN_CLI, dir, dir, dir, reps);
    double t0 = now();
    int rc = system(cmd);
    return rc == 0 ? now() - t0 : -1.0;
}

int main(int argc, char **argv)
{
    bench_print_load("bench_simulate");
    unsigned long reps = 10000, national_reps = 50, mpi_reps = 2000;
    int national = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--national-reps") && i + 1 < argc)
            national_reps = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--mpi-reps") && i + 1 < argc)
            mpi_reps = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--skip-national"))
            national = 0;
    }
    char dir[] = "/tmp/tumen-bench-simulate.XXXXXX";
    tm_scenario *sc = generate(dir, 300.0, 500);
    if (!sc) {
        cleanup(dir);
        return 1;
    }
    double t = simulate("corridor", sc, reps);
    tm_scenario_free(sc);
    if (t < 0.0) {
        cleanup(dir);
        return 1;
    }
    printf("BENCH simulate_corridor_10k_reps %.2f s\n", t * 10000.0 / (double)reps);
    if (system("command -v mpirun >/dev/null 2>&1") == 0) {
        double t1 = mpi_run(dir, 1, mpi_reps), t2 = mpi_run(dir, 2, mpi_reps);
        if (t1 > 0.0 && t2 > 0.0) {
            printf("# mpi: %lu replications, 1 rank %.2f s, 2 ranks %.2f s\n", mpi_reps, t1, t2);
            printf("BENCH simulate_mpi_efficiency %.3f ratio\n", t1 / (2.0 * t2));
        } else {
            printf("# simulate_mpi_efficiency: mpirun failed\n");
        }
    } else {
        printf("# simulate_mpi_efficiency: skipped, no mpirun\n");
    }
    cleanup(dir);
    if (national) {
        char ndir[] = "/tmp/tumen-bench-simulate.XXXXXX";
        tm_scenario *nsc = generate(ndir, 5000.0, 10000);
        if (nsc) {
            double tn = simulate("national", nsc, national_reps);
            if (tn > 0.0)
                printf("BENCH simulate_10k_services_reps_per_s %.2f reps/s\n",
                       (double)national_reps / tn);
            tm_scenario_free(nsc);
        }
        cleanup(ndir);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("BENCH simulate_peak_rss %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    return 0;
}
