/* bench_simulate.c: the Monte-Carlo simulation's speed, printed as BENCH lines (make bench).
 * Never a test; figures on a busy machine are inflated, so every wall time comes with the
 * CPU time it took and the load average (1 min) when it began: on the 2-core build
 * machine a load above 2 means other work shared the cores, and CPU / 2 is what two free
 * cores would take.
 *
 *  - simulate_corridor_10k_reps: seconds (wall) for 10,000 replications of a 500-train day
 *    on a small generated network (tm_gen_network, 300 km, 500 services, seed 1: six lines
 *    of a main line and branches, the "corridor" of the issue), on 2 threads, the plan
 *    (every service run at its planned and its minimum running time) excluded and printed
 *    apart; its CPU seconds and the replications per CPU second beside it;
 *  - simulate_10k_services_reps_per_s: replications per second of the generated national
 *    day (5,000 km, 10,000 services, seed 1) on 2 threads, and its plan time;
 *  - simulate_mpi_efficiency: T(1 rank) / (2 T(2 ranks)) for `tumen simulate` on the
 *    corridor under mpirun, the same replications on both (each rank one thread; plan and
 *    MPI start included, as a user sees them), measured --mpi-repeat times alternately and
 *    the medians taken; the CPU the ranks used is printed too (2 ranks plan twice, so the
 *    CPU ratio says what the parallel run costs in work, whatever the load); skipped (a
 *    comment) without mpirun;
 *  - simulate_peak_rss: peak resident memory of this process (the national day planned and
 *    simulated), and simulate_mpi_peak_rss, of the largest rank.
 * Options: --reps N (corridor replications, default 10000), --national-reps N (default
 * 50), --mpi-reps N (default 4000), --mpi-repeat N (default 3), --skip-national,
 * --skip-mpi.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_day.h"
#include "sim/sim.h"

/* Plans sc and runs reps replications on 2 threads; prints the plan time and the run's
 * wall and CPU time with the load; returns the replications' wall time (s), or -1. */
static double simulate(const char *name, const tm_scenario *sc, unsigned long reps,
                       double *cpu_s)
{
    tm_sim_plan *plan = NULL;
    tumen_error err = {0};
    double load = tm_bench_load();
    double t0 = tm_bench_now();
    if (tm_sim_plan_build(sc, NULL, 2, &plan, &err) != TUMEN_OK) {
        fprintf(stderr, "bench_simulate: %s\n", err.message);
        return -1.0;
    }
    double t1 = tm_bench_now(), c1 = tm_bench_cpu();
    tm_sim_config cfg = {1, TM_DISPATCH_TIMETABLE, 0};
    tm_sim_stats stats;
    if (tm_sim_run(plan, &cfg, 0, reps, 1, 2, NULL, NULL, &stats, &err) != TUMEN_OK) {
        fprintf(stderr, "bench_simulate: %s\n", err.message);
        tm_sim_plan_free(plan);
        return -1.0;
    }
    double t2 = tm_bench_now(), c2 = tm_bench_cpu();
    *cpu_s = c2 - c1;
    printf("# %s: %zu services, plan %.2f s (2 threads); %lu replications: %.2f s wall, "
           "%.2f s CPU (%.2f ms CPU each); load average %.2f at start, %.2f at end\n",
           name, tm_sim_plan_services(plan), t1 - t0, reps, t2 - t1, c2 - c1,
           1e3 * (c2 - c1) / (double)reps, load, tm_bench_load());
    tm_sim_stats_free(&stats);
    tm_sim_plan_free(plan);
    return t2 - t1;
}

/* Wall time of `mpirun -np np tumen simulate DIR/... --replications reps` (-1 on failure)
 * and the CPU its processes used (*cpu_s). */
static double mpi_run(const char *dir, int np, unsigned long reps, double *cpu_s)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "mpirun --oversubscribe %s -np %d '%s' simulate '%s/network.yaml' "
             "'%s/trains.yaml' '%s/timetable.yaml' --replications %lu --json >/dev/null",
             getuid() == 0 ? "--allow-run-as-root" : "", np, TUMEN_CLI, dir, dir, dir, reps);
    double c0 = tm_bench_children_cpu(), t0 = tm_bench_now();
    int rc = system(cmd);
    double t = tm_bench_now() - t0;
    *cpu_s = tm_bench_children_cpu() - c0;
    return rc == 0 ? t : -1.0;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* simulate_mpi_efficiency: 1 and 2 ranks in turn, `repeat` times each, medians. */
static void mpi_efficiency(const char *dir, unsigned long reps, int repeat)
{
    enum { MAXR = 15 };
    double t1[MAXR], t2[MAXR], c1[MAXR], c2[MAXR];
    if (repeat < 1)
        repeat = 1;
    if (repeat > MAXR)
        repeat = MAXR;
    double load = tm_bench_load();
    for (int k = 0; k < repeat; k++) {
        t1[k] = mpi_run(dir, 1, reps, &c1[k]);
        t2[k] = mpi_run(dir, 2, reps, &c2[k]);
        if (t1[k] < 0.0 || t2[k] < 0.0) {
            printf("# simulate_mpi_efficiency: mpirun failed\n");
            return;
        }
        printf("# mpi run %d: 1 rank %.2f s wall (%.2f s CPU), 2 ranks %.2f s wall "
               "(%.2f s CPU), ratio %.3f\n", k + 1, t1[k], c1[k], t2[k], c2[k],
               t1[k] / (2.0 * t2[k]));
    }
    double m1 = median(t1, repeat), m2 = median(t2, repeat);
    double mc1 = median(c1, repeat), mc2 = median(c2, repeat);
    printf("# mpi: %lu replications on 1 and on 2 ranks, %d times each; medians: 1 rank "
           "%.2f s wall %.2f s CPU, 2 ranks %.2f s wall %.2f s CPU (CPU ratio %.3f: the "
           "work 2 ranks add); load average %.2f at start, %.2f at end (above 2 the wall "
           "ratio is the machine's, not the program's)\n",
           reps, repeat, m1, mc1, m2, mc2, mc2 > 0.0 ? mc1 / mc2 : 0.0, load,
           tm_bench_load());
    printf("BENCH simulate_mpi_efficiency %.3f ratio\n", m1 / (2.0 * m2));
    printf("BENCH simulate_mpi_peak_rss %.1f MB\n", tm_bench_children_peak_rss_mb());
}

int main(int argc, char **argv)
{
    unsigned long reps = 10000, national_reps = 50, mpi_reps = 4000;
    int national = 1, mpi = 1, repeat = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--national-reps") && i + 1 < argc)
            national_reps = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--mpi-reps") && i + 1 < argc)
            mpi_reps = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--mpi-repeat") && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--skip-national"))
            national = 0;
        else if (!strcmp(argv[i], "--skip-mpi"))
            mpi = 0;
    }
    if (reps == 0 || mpi_reps == 0)
        reps = mpi_reps = 1;
    char dir[] = "/tmp/tumen-bench-simulate.XXXXXX";
    tm_scenario *sc = tm_bench_generate("bench_simulate", dir, 300.0, 500);
    if (!sc) {
        tm_bench_cleanup(dir);
        return 1;
    }
    double cpu_s = 0.0;
    double t = simulate("corridor", sc, reps, &cpu_s);
    tm_scenario_free(sc);
    if (t < 0.0) {
        tm_bench_cleanup(dir);
        return 1;
    }
    printf("BENCH simulate_corridor_10k_reps %.2f s\n", t * 10000.0 / (double)reps);
    printf("BENCH simulate_corridor_10k_reps_cpu %.2f s\n", cpu_s * 10000.0 / (double)reps);
    if (!mpi)
        printf("# simulate_mpi_efficiency: skipped (--skip-mpi)\n");
    else if (system("command -v mpirun >/dev/null 2>&1") == 0)
        mpi_efficiency(dir, mpi_reps, repeat);
    else
        printf("# simulate_mpi_efficiency: skipped, no mpirun\n");
    tm_bench_cleanup(dir);
    if (national) {
        char ndir[] = "/tmp/tumen-bench-simulate.XXXXXX";
        tm_scenario *nsc = tm_bench_generate("bench_simulate", ndir, 5000.0, 10000);
        if (nsc) {
            double tn = simulate("national", nsc, national_reps, &cpu_s);
            if (tn > 0.0)
                printf("BENCH simulate_10k_services_reps_per_s %.2f reps/s\n",
                       (double)national_reps / tn);
            tm_scenario_free(nsc);
        }
        tm_bench_cleanup(ndir);
    }
    printf("BENCH simulate_peak_rss %.1f MB\n", tm_bench_peak_rss_mb());
    return 0;
}
