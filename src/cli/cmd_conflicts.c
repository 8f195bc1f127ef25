/* cmd_conflicts.c: `tumen conflicts FILE...`: where a timetable breaks the block rule. */
#include "block/resources.h"
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char conflicts_usage[] =
    "usage: tumen conflicts FILE... [--json] [--threads N]\n"
    "\n"
    "Runs every service of the timetable, computes the blocking time of each block section\n"
    "it passes (route setting, sight and reaction, approach, running, clearing with the\n"
    "overlap and the train's length, release; docs/physics.md) and lists every pair of\n"
    "trains whose blocking times overlap on one resource: a block section, a single-track\n"
    "section (held against opposing trains), a station (as many trains as it has tracks).\n"
    "Services of one convoy (the same `convoy:` id: a special train with its pilot and\n"
    "escort) are not separated from each other; every other train is.\n"
    "\n"
    "  --json        an array of objects: train_a, train_b, resource, start_s, end_s,\n"
    "                overlap_s (times in s after midnight)\n"
    "  --threads N   run the services on N threads (default: 1; the result is the same)\n";

static void clock_text(double t, char *buf, size_t size)
{
    long s = (long)(t + 0.5);
    if (s < 0 || s > 999999)
        s = 0;
    int h = (int)(s / 3600), m = (int)(s / 60 % 60), sec = (int)(s % 60);
    snprintf(buf, size, "%02d:%02d:%02d", h % 1000, m, sec);
}

static int report(const tumen_scenario *sc, const tm_resource_map *map, const tm_conflict *c,
                  size_t n, size_t n_occ, int json)
{
    char name[160], a[32], b[32];
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            tm_resource_name(&sc->network, map, c[i].resource, name, sizeof name);
            json_array_append_new(
                arr, json_pack("{s:s, s:s, s:s, s:f, s:f, s:f}", "train_a",
                               sc->timetable.services[c[i].train_a].id, "train_b",
                               sc->timetable.services[c[i].train_b].id, "resource", name,
                               "start_s", c[i].start, "end_s", c[i].end, "overlap_s",
                               c[i].end - c[i].start));
        }
        int rc = json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
        json_decref(arr);
        putchar('\n');
        return rc == 0 ? TM_EXIT_OK : TM_EXIT_FAILURE;
    }
    printf("%zu conflict%s among %zu services (%zu blocking times)\n", n, n == 1 ? "" : "s",
           sc->timetable.n_services, n_occ);
    if (n)
        printf("\n%-10s %-10s %-52s %9s %9s %9s\n", "train a", "train b", "resource", "from", "to",
               "overlap");
    for (size_t i = 0; i < n; i++) {
        tm_resource_name(&sc->network, map, c[i].resource, name, sizeof name);
        clock_text(c[i].start, a, sizeof a);
        clock_text(c[i].end, b, sizeof b);
        printf("%-10s %-10s %-52.52s %9s %9s %7.0f s\n", sc->timetable.services[c[i].train_a].id,
               sc->timetable.services[c[i].train_b].id, name, a, b, c[i].end - c[i].start);
    }
    return TM_EXIT_OK;
}

int tm_cmd_conflicts(int argc, char **argv)
{
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t n_files = 0;
    int json = 0, threads = 1;
    if (!files)
        return TM_EXIT_FAILURE;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(conflicts_usage, stdout);
            free(files);
            return TM_EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            threads = atoi(argv[++i]);
            if (threads < 1 || threads > 64) {
                fprintf(stderr, "tumen conflicts: --threads takes 1 to 64\n");
                free(files);
                return TM_EXIT_INPUT;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "tumen conflicts: unknown option '%s'\n%s", argv[i], conflicts_usage);
            free(files);
            return TM_EXIT_INPUT;
        } else {
            files[n_files++] = argv[i];
        }
    }
    if (!n_files) {
        fprintf(stderr, "tumen conflicts: no input file\n%s", conflicts_usage);
        free(files);
        return TM_EXIT_INPUT;
    }
    tumen_error err = {0};
    tumen_scenario *sc = NULL;
    tm_resource_map map = {0};
    tm_occupation *occ = NULL;
    tm_conflict *c = NULL;
    size_t *group = NULL;
    size_t n_occ = 0, n_c = 0;
    int status;
    tm_blocking_params p;
    tm_blocking_params_default(&p);
    if (tumen_scenario_load(&sc, files, n_files, &err) != TUMEN_OK) {
        status = tm_cli_fail(&err);
    } else if (sc->timetable.n_services == 0) {
        fprintf(stderr, "tumen conflicts: the files hold no timetable services\n");
        status = TM_EXIT_INPUT;
    } else if (tm_resource_map_build(&sc->network, &map) != TUMEN_OK) {
        fprintf(stderr, "tumen: out of memory\n");
        status = TM_EXIT_FAILURE;
    } else if (tm_timetable_occupations(sc, &map, &p, threads, &occ, &n_occ, NULL, &err) !=
               TUMEN_OK) {
        status = tm_cli_fail(&err);
    } else if (tm_timetable_convoy_groups(&sc->timetable, &group) != TUMEN_OK ||
               tm_conflicts_find(occ, n_occ, map.capacity, group, &c, &n_c) != TUMEN_OK) {
        fprintf(stderr, "tumen: out of memory\n");
        status = TM_EXIT_FAILURE;
    } else {
        status = report(sc, &map, c, n_c, n_occ, json);
    }
    free(c);
    free(group);
    free(occ);
    tm_resource_map_free(&map);
    tumen_scenario_destroy(sc);
    free(files);
    return status;
}
