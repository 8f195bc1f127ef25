/* bench_conflicts.c: blocking times, conflicts and capacity on the synthetic national day,
 * printed as BENCH <name> <value> <unit> lines (make bench). Never a test.
 *
 * Generates the 5000 km network with 10,000 services (seed 1) in a temporary folder, then:
 *  - blocking_times_10k: every service run and its blocking-time stairs computed (one
 *    thread; the trajectories are dropped as soon as the stairs are known);
 *  - conflicts_10k: the conflict sweep over all those blocking times (the goal: 10,000
 *    trains on 5,000 km in well under a second);
 *  - capacity_3h: a UIC 406 compression of the busiest track's trains over 06:00-09:00;
 *  - day_conflicts_end_to_end: from the three files to the conflict list on one thread (load,
 *    every service's run and stairs, the sweep), and _2_threads on two (issue 11: under
 *    2 s and 1.2 s);
 *  - conflicts_peak_rss: peak resident memory.
 * The synthetic timetable is not planned against blocking times, so it has many conflicts:
 * their number is printed as a comment, not judged.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_day.h"
#include "formats/readers.h"
#include "block/capacity.h"
#include "block/resources.h"
#include "plan/occupancy.h"
#include "model/scenario.h"

/* From the three files to the conflict list: load, every service's run and stairs on
 * `threads` threads, the sweep. Prints the time as `name`; returns the conflicts or -1. */
static long end_to_end(const char *dir, int threads, const char *name)
{
    char net[512], trains[512], tt[512];
    snprintf(net, sizeof net, "%s/network.yaml", dir);
    snprintf(trains, sizeof trains, "%s/trains.yaml", dir);
    snprintf(tt, sizeof tt, "%s/timetable.yaml", dir);
    const char *files[] = {net, trains, tt};
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    tm_resource_map map;
    memset(&map, 0, sizeof map);
    tm_blocking_params p;
    tm_blocking_params_default(&p);
    tm_occupation *occ = NULL;
    tm_conflict *c = NULL;
    size_t n_occ = 0, n_c = 0;
    long found = -1;
    double cpu[4], wall[4], sys[4]; /* at the start and after each phase */
    sys[0] = tm_bench_system_cpu();
    cpu[0] = tm_bench_cpu();
    wall[0] = tm_bench_now();
    if (tm_scenario_load_threads(&sc, NULL, files, 3, threads, &err) == TUMEN_OK &&
        (cpu[1] = tm_bench_cpu()) > 0.0 && (wall[1] = tm_bench_now()) > 0.0 &&
        (sys[1] = tm_bench_system_cpu()) >= 0.0 &&
        tm_resource_map_build(&sc->network, &map) == TUMEN_OK &&
        tm_timetable_occupations(sc, &map, &p, threads, &occ, &n_occ, NULL, &err) == TUMEN_OK &&
        (cpu[2] = tm_bench_cpu()) > 0.0 && (wall[2] = tm_bench_now()) > 0.0 &&
        (sys[2] = tm_bench_system_cpu()) >= 0.0 &&
        tm_conflicts_find_threads(occ, n_occ, map.capacity, NULL, threads, &c, &n_c) ==
            TUMEN_OK) {
        wall[3] = tm_bench_now();
        cpu[3] = tm_bench_cpu();
        sys[3] = tm_bench_system_cpu();
        printf("# %s: CPU time %.3f s (all threads): load %.3f s, runs and stairs %.3f s, "
               "sweep %.3f s\n", name, cpu[3] - cpu[0], cpu[1] - cpu[0], cpu[2] - cpu[1],
               cpu[3] - cpu[2]);
        printf("# %s: of which in the kernel: load %.3f s, runs and stairs %.3f s, sweep "
               "%.3f s\n", name, sys[1] - sys[0], sys[2] - sys[1], sys[3] - sys[2]);
        printf("# %s: wall time: load %.3f s, runs and stairs %.3f s, sweep %.3f s\n", name,
               wall[1] - wall[0], wall[2] - wall[1], wall[3] - wall[2]);
        printf("BENCH %s %.3f s\n", name, wall[3] - wall[0]);
        found = (long)n_c;
    } else
        fprintf(stderr, "bench_conflicts: %s\n", err.message);
    free(c);
    free(occ);
    tm_resource_map_free(&map);
    tm_scenario_free(sc);
    return found;
}

/* The UIC 406 occupancy of the track with the most blocking times, 06:00-09:00. */
static void capacity(const tm_scenario *sc, const tm_resource_map *map,
                     const tm_occupation *occ, size_t n)
{
    size_t *count = calloc(sc->network.n_tracks + 1, sizeof *count);
    tm_occupation *mine = malloc((n ? n : 1) * sizeof *mine);
    tm_stairs *stairs = calloc(n ? n : 1, sizeof *stairs);
    double *shifts = calloc(n ? n : 1, sizeof *shifts);
    if (!count || !mine || !stairs || !shifts)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (map->items[occ[i].resource].kind != TM_RES_STATION)
            count[map->items[occ[i].resource].track]++;
    size_t busiest = 0;
    for (size_t t = 1; t < sc->network.n_tracks; t++)
        if (count[t] > count[busiest])
            busiest = t;
    /* occ is grouped by train (service order); keep the busiest track's occupations of
     * trains that start on it in the window. */
    size_t k = 0, n_trains = 0;
    for (size_t i = 0; i < n; i++) {
        const tm_resource *r = &map->items[occ[i].resource];
        if (r->kind == TM_RES_STATION || r->track != busiest)
            continue;
        if (n_trains == 0 || mine[k - 1].train != occ[i].train) {
            if (n_trains && !(stairs[n_trains - 1].occ[0].start >= 6 * 3600.0 &&
                              stairs[n_trains - 1].occ[0].start < 9 * 3600.0)) {
                k -= stairs[n_trains - 1].n; /* the previous train started outside */
                n_trains--;
            }
            stairs[n_trains++] = (tm_stairs){mine + k, 0};
        }
        mine[k++] = occ[i];
        stairs[n_trains - 1].n++;
    }
    if (n_trains && !(stairs[n_trains - 1].occ[0].start >= 6 * 3600.0 &&
                      stairs[n_trains - 1].occ[0].start < 9 * 3600.0))
        n_trains--;
    double t0 = tm_bench_now();
    double busy = tm_capacity_compress(stairs, n_trains, shifts);
    double dt = tm_bench_now() - t0;
    printf("# capacity: track %s, %zu trains 06:00-09:00, occupancy %.1f %%\n",
           sc->network.tracks[busiest].id, n_trains, 100.0 * busy / (3 * 3600.0));
    printf("BENCH capacity_3h %.6f s\n", dt);
done:
    free(count);
    free(mine);
    free(stairs);
    free(shifts);
}

int main(void)
{
    tm_bench_print_load("bench_conflicts");
    char dir[] = "/tmp/tumen-bench-conflicts.XXXXXX";
    tm_scenario *sc = tm_bench_generate("bench_conflicts", dir, 5000.0, 10000);
    if (!sc) {
        tm_bench_cleanup(dir);
        return 1;
    }
    tm_resource_map map;
    tm_blocking_params p;
    tm_blocking_params_default(&p);
    tm_occupation *occ = NULL;
    size_t n_occ = 0;
    tumen_error err = {0};
    int rc = 1;
    if (tm_resource_map_build(&sc->network, &map) != TUMEN_OK)
        goto out;
    double t0 = tm_bench_now();
    if (tm_timetable_occupations(sc, &map, &p, 1, &occ, &n_occ, NULL, &err) != TUMEN_OK) {
        fprintf(stderr, "bench_conflicts: %s\n", err.message);
        tm_resource_map_free(&map);
        goto out;
    }
    printf("BENCH blocking_times_10k %.3f s\n", tm_bench_now() - t0);
    tm_occupation *copy = malloc((n_occ ? n_occ : 1) * sizeof *copy);
    if (copy) {
        memcpy(copy, occ, n_occ * sizeof *copy);
        tm_conflict *c = NULL;
        size_t n_c = 0;
        t0 = tm_bench_now();
        if (tm_conflicts_find(copy, n_occ, map.capacity, NULL, &c, &n_c) == TUMEN_OK) {
            printf("BENCH conflicts_10k %.4f s\n", tm_bench_now() - t0);
            printf("# %zu blocking times, %zu conflicts in the (unplanned) synthetic day\n",
                   n_occ, n_c);
            rc = 0;
        }
        free(c);
        free(copy);
    }
    capacity(sc, &map, occ, n_occ);
    long one = end_to_end(dir, 1, "day_conflicts_end_to_end");
    long two = end_to_end(dir, 2, "day_conflicts_end_to_end_2_threads");
    if (one < 0 || two != one)
        rc = 1;
    printf("# from the files: %ld conflicts on one thread, %ld on two\n", one, two);
    printf("BENCH conflicts_peak_rss %.1f MB\n", tm_bench_peak_rss_mb());
    free(occ);
    tm_resource_map_free(&map);
out:
    tm_scenario_free(sc);
    tm_bench_cleanup(dir);
    return rc;
}
