/* bench_day.h: what the benches share (bench/common/, linked into every bench_* program):
 * clocks, the machine's load and the process's peak memory, so figures from a busy machine
 * can be read; and the generated day (gen/gen.h) in a temporary folder. */
#ifndef TM_BENCH_DAY_H
#define TM_BENCH_DAY_H

#include <stddef.h>

#include "model/scenario.h"

/* Wall-clock seconds (monotonic); CPU seconds (user + system) of this process, and of its
 * children that have been waited for (mpirun and its ranks). */
double tm_bench_now(void);
double tm_bench_cpu(void);
double tm_bench_children_cpu(void);
/* CPU seconds of this process in the kernel alone (page faults of fresh memory, mostly). */
double tm_bench_system_cpu(void);

/* The 1-minute load average (-1 when unknown): above the number of cores, wall times are
 * inflated by other work. */
double tm_bench_load(void);
/* Prints "# WHO: load average ... on N cores" (nothing where the load is unknown), so that
 * every bench's figures are read with the load they were taken under. */
void tm_bench_print_load(const char *who);

/* Peak resident memory (MB) of this process; of its largest waited-for child. */
double tm_bench_peak_rss_mb(void);
double tm_bench_children_peak_rss_mb(void);

/* Generates the network of `km` with `services` services (seed 1) into a new temporary
 * folder (dir: a mkdtemp template, filled in) and loads it. NULL after printing why
 * (prefixed by `who`) on stderr; tm_bench_cleanup(dir) either way. */
tm_scenario *tm_bench_generate(const char *who, char *dir, double km, size_t services);

/* Removes what tm_bench_generate wrote, and the folder. */
void tm_bench_cleanup(const char *dir);

#endif
