/* bench_machine.h: what every bench prints about the machine beside its figures: the load
 * average when it starts (a shared machine inflates wall times: the figures are read with
 * it) and the process's peak resident memory at the end (issue 11: no bench above 500 MB).
 * Header-only, for the bench programs alone. */
#ifndef TM_BENCH_MACHINE_H
#define TM_BENCH_MACHINE_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

/* Prints "# load average ..." with the cores online (from /proc/loadavg: getloadavg is not
 * C11 nor POSIX; nothing is printed where it is missing). */
static inline void bench_print_load(const char *bench)
{
    double load[3];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    FILE *f = fopen("/proc/loadavg", "r");
    if (f && fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) == 3)
        printf("# %s: load average %.2f %.2f %.2f on %ld cores (a load above the cores "
               "inflates wall times)\n", bench, load[0], load[1], load[2], cores);
    if (f)
        fclose(f);
    fflush(stdout);
}

/* Peak resident memory of this process (MB), or -1. */
static inline double bench_peak_rss_mb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024.0 : -1.0;
}

#endif
