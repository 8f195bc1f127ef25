/* bench_day.c: see bench_day.h. */
#define _DEFAULT_SOURCE /* getloadavg */
#include "bench_day.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "formats/readers.h"
#include "gen/gen.h"

double tm_bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double seconds(const struct timeval *tv)
{
    return (double)tv->tv_sec + 1e-6 * (double)tv->tv_usec;
}

static double cpu_of(int who)
{
    struct rusage ru;
    if (getrusage(who, &ru) != 0)
        return 0.0;
    return seconds(&ru.ru_utime) + seconds(&ru.ru_stime);
}

double tm_bench_cpu(void) { return cpu_of(RUSAGE_SELF); }

double tm_bench_system_cpu(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? seconds(&ru.ru_stime) : 0.0;
}
double tm_bench_children_cpu(void) { return cpu_of(RUSAGE_CHILDREN); }

double tm_bench_load(void)
{
    double load[1];
    return getloadavg(load, 1) == 1 ? load[0] : -1.0;
}

void tm_bench_print_load(const char *who)
{
    double load = tm_bench_load();
    if (load >= 0.0)
        printf("# %s: load average %.2f on %ld cores (a load above the cores inflates wall "
               "times)\n", who, load, sysconf(_SC_NPROCESSORS_ONLN));
    fflush(stdout);
}

static double rss_of(int who)
{
    struct rusage ru;
    return getrusage(who, &ru) == 0 ? (double)ru.ru_maxrss / 1024.0 : 0.0;
}

double tm_bench_peak_rss_mb(void) { return rss_of(RUSAGE_SELF); }
double tm_bench_children_peak_rss_mb(void) { return rss_of(RUSAGE_CHILDREN); }

static const char *const day_files[] = {"network.yaml", "trains.yaml", "timetable.yaml"};

void tm_bench_cleanup(const char *dir)
{
    char path[512];
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, day_files[i]);
        unlink(path);
    }
    rmdir(dir);
}

tm_scenario *tm_bench_generate(const char *who, char *dir, double km, size_t services)
{
    tm_gen_options o = {km, services, 1};
    tumen_error err = {0};
    if (!mkdtemp(dir) || tm_gen_network(&o, dir, NULL, &err) != TUMEN_OK) {
        fprintf(stderr, "%s: cannot generate: %s\n", who, err.message);
        return NULL;
    }
    char paths[3][512];
    const char *files[3];
    for (size_t i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, day_files[i]);
        files[i] = paths[i];
    }
    tm_scenario *sc = NULL;
    if (tm_scenario_load(&sc, files, 3, &err) != TUMEN_OK) {
        fprintf(stderr, "%s: cannot load: %s\n", who, err.message);
        return NULL;
    }
    return sc;
}
