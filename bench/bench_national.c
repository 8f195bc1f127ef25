/* bench_national.c: a national day (issue 11), printed as BENCH <name> <value> <unit> lines
 * (make bench). Never a test: nothing here asserts on time.
 *
 * Generates `tumen gen network --km 33000 --trains 40000` (seed 1: about the size of
 * Germany's network and its daily trains) in a temporary folder, then:
 *  - national_day_conflicts: from the three files to the conflict list on two threads
 *    (load, every service's run and stairs, the conflict sweep); goal under 10 s;
 *  - national_special_p50, _p99: fit special requests on that day (gen/special_gen.h, 100 by
 *    default), the background built once on two threads; goal p99 under 1 s;
 *  - national_day_peak_rss: the process's peak resident memory; goal under 2 GB.
 *
 * A comment line gives the digest of the requests' plans (tm_special_digest): a faster
 * planner shows it plans the same. --digests 1 prints each request's digest, CPU time,
 * route length and segments; --only I plans request I alone (the others are drawn, not
 * planned), to profile the slowest.
 *
 *   bench_national [--km KM] [--trains N] [--requests N] [--threads N] [--digests 0|1]
 *                  [--only I]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "block/resources.h"
#include "core/vec.h"
#include "formats/readers.h"
#include "gen/gen.h"
#include "gen/rng.h"
#include "gen/special_gen.h"
#include "model/scenario.h"
#include "plan/occupancy.h"
#include "plan/special_plan.h"
#include "tumen.h"
#include "bench_day.h"

#define MAX_REQUESTS 1000

static int per_request = 0, only = -1;

static const char *const names[] = {"network.yaml", "trains.yaml", "timetable.yaml"};

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The files to the conflict list; the scenario is kept for the special requests. */
static int day_conflicts(const char *const *files, int threads, tm_scenario **sc)
{
    tumen_error err = {0};
    tm_resource_map map;
    memset(&map, 0, sizeof map);
    tm_blocking_params p;
    tm_blocking_params_default(&p);
    tm_occupation *occ = NULL;
    tm_conflict *c = NULL;
    size_t n_occ = 0, n_c = 0;
    int rc = 1;
    double t0 = now(CLOCK_MONOTONIC), cpu[4] = {now(CLOCK_PROCESS_CPUTIME_ID)}, loaded = 0.0;
    if (tm_scenario_load_threads(sc, NULL, files, 3, threads, &err) == TUMEN_OK &&
        (cpu[1] = now(CLOCK_PROCESS_CPUTIME_ID)) > 0.0 &&
        (loaded = now(CLOCK_MONOTONIC)) > 0.0 &&
        tm_resource_map_build(&(*sc)->network, &map) == TUMEN_OK &&
        tm_timetable_occupations(*sc, &map, &p, threads, &occ, &n_occ, NULL, &err) == TUMEN_OK &&
        (cpu[2] = now(CLOCK_PROCESS_CPUTIME_ID)) > 0.0 &&
        tm_conflicts_find_threads(occ, n_occ, map.capacity, NULL, threads, &c, &n_c) ==
            TUMEN_OK) {
        double wall = now(CLOCK_MONOTONIC) - t0;
        cpu[3] = now(CLOCK_PROCESS_CPUTIME_ID);
        printf("# %zu services, %zu blocking times, %zu conflicts (the synthetic day is not "
               "planned against blocking times); CPU time %.3f s (all threads): load %.3f s, "
               "runs and stairs %.3f s, sweep %.3f s; the load's wall time %.3f s (the files are parsed "
               "on two threads); peak resident memory so far %.1f MB\n",
               (*sc)->timetable.n_services, n_occ, n_c, cpu[3] - cpu[0], cpu[1] - cpu[0],
               cpu[2] - cpu[1], cpu[3] - cpu[2], loaded - t0, tm_bench_peak_rss_mb());
        printf("BENCH national_day_conflicts %.3f s\n", wall);
        rc = 0;
    } else {
        char buf[1024];
        tumen_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "bench_national: %s\n", buf);
    }
    fflush(stdout);
    free(c);
    free(occ);
    tm_resource_map_free(&map);
    return rc;
}

static void special_requests(const tm_scenario *sc, int threads, int count)
{
    tm_special_background bg;
    tumen_error err = {0};
    double t0 = now(CLOCK_MONOTONIC);
    if (tm_special_background_build(sc, threads, &bg, &err) != TUMEN_OK) {
        fprintf(stderr, "bench_national: background: %s\n", err.message);
        return;
    }
    /* a line before the requests: a profiler attached after it sees the requests only */
    printf("# the requests' background built in %.3f s (wall)\n", now(CLOCK_MONOTONIC) - t0);
    fflush(stdout);
    tm_rng rng;
    tm_rng_seed(&rng, 5);
    double dt[MAX_REQUESTS], cpu[MAX_REQUESTS], slowest = -1.0;
    uint64_t digest = TM_SPECIAL_DIGEST_INIT;
    int slowest_i = -1, planned = 0;
    size_t slowest_calls = 0;
    for (int i = 0; i < count; i++) {
        tm_special_spec sp;
        tm_gen_special_request(sc, &rng, &sp);
        if (only >= 0 && i != only)
            continue;
        tm_special_options opt;
        memset(&opt, 0, sizeof opt);
        opt.mode = TM_SPECIAL_FIT;
        opt.threads = 1;
        tm_special_result r;
        double t1 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_THREAD_CPUTIME_ID);
        int rc = tm_special_plan_with(sc, &sp, &bg, &opt, &r, &err);
        dt[planned] = now(CLOCK_MONOTONIC) - t1;
        cpu[planned] = now(CLOCK_THREAD_CPUTIME_ID) - c0;
        digest = tm_special_digest(&r, digest ^ (uint64_t)rc);
        size_t calls = rc == TUMEN_OK ? r.runs[1].n_calls : 0;
        if (per_request)
            printf("# request %d digest %016llx cpu %.1f ms, %zu points, %zu segments, %zu "
                   "expansions\n", i,
                   (unsigned long long)tm_special_digest(&r, TM_SPECIAL_DIGEST_INIT ^ (uint64_t)rc),
                   cpu[planned] * 1e3, calls, r.segments, r.expansions);
        if (cpu[planned] > slowest) {
            slowest = cpu[planned];
            slowest_i = i;
            slowest_calls = calls;
        }
        planned++;
        if (rc == TUMEN_OK)
            tm_special_result_free(&r);
    }
    qsort(dt, planned, sizeof dt[0], tm_cmp_double);
    qsort(cpu, planned, sizeof cpu[0], tm_cmp_double);
    printf("# %d fit requests: CPU time p50 %.1f ms, p99 %.1f ms, max %.1f ms (#%d, %zu "
           "operational points); plans digest %016llx\n", planned, cpu[planned / 2] * 1e3,
           cpu[planned * 99 / 100] * 1e3, cpu[planned - 1] * 1e3, slowest_i, slowest_calls,
           (unsigned long long)digest);
    printf("BENCH national_special_p50 %.1f ms\n", dt[planned / 2] * 1e3);
    printf("BENCH national_special_p99 %.1f ms\n", dt[planned * 99 / 100] * 1e3);
    fflush(stdout);
    tm_special_background_free(&bg);
}

int main(int argc, char **argv)
{
    tm_bench_print_load("bench_national");
    double km = 33000.0;
    long services = 40000;
    int requests = 100, threads = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--km"))
            km = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--trains"))
            services = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--requests"))
            requests = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads"))
            threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--digests"))
            per_request = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--only"))
            only = atoi(argv[i + 1]);
    }
    if (km <= 0.0 || services <= 0 || requests < 1 || requests > MAX_REQUESTS || threads < 1 ||
        only >= requests) {
        fprintf(stderr, "usage: bench_national [--km KM] [--trains N] [--requests 1..%d] "
                        "[--threads N] [--digests 0|1] [--only I]\n", MAX_REQUESTS);
        return 2;
    }
    char dir[] = "/tmp/tumen_bench_nat_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_national: mkdtemp");
        return 1;
    }
    char paths[3][64];
    const char *files[3];
    for (int i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, names[i]);
        files[i] = paths[i];
    }
    tm_gen_options o = {km, (size_t)services, 1};
    tumen_error err = {0};
    tm_scenario *sc = NULL;
    int rc = 1;
    if (tm_gen_network(&o, dir, NULL, &err) != TUMEN_OK)
        fprintf(stderr, "bench_national: generate: %s\n", err.message);
    else if ((rc = day_conflicts(files, threads, &sc)) == 0)
        special_requests(sc, threads, requests);
    printf("BENCH national_day_peak_rss %.1f MB\n", tm_bench_peak_rss_mb());
    tm_scenario_free(sc);
    tm_bench_cleanup(dir);
    return rc;
}
