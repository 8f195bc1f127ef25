/* cmd_headway.c: `tumen headway FILE... --line A-B --trains T1,T2`: how closely two train
 * types can follow (or, on single track, cross) each other on a line. */
#include "model/scenario.h"
#include "formats/readers.h"
#include "block/resources.h"
#include "plan/timetable.h"
#include "cli/cli.h"
#include "core/error.h"
#include "plan/path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char headway_usage[] =
    "usage: tumen headway FILE... --line A-B --trains T1,T2\n"
    "\n"
    "Runs train T1 and train T2 (train ids) from operational point A to B, computes their\n"
    "blocking-time stairs and prints the minimum headway of T2 behind T1 and of T1 behind\n"
    "T2, and the block that decides each. Where the line has single track, also the\n"
    "crossing headway: how long after T1 leaves A an opposing T2 may leave B.\n";

/* Runs train `train` from a to b and returns its stairs (labelled `label`), stations left
 * out: they hold several trains and do not decide a headway. */
static int stairs_of(const tm_scenario *sc, const tm_resource_map *map, size_t train, size_t a,
                     size_t b, size_t label, tm_occupation **occ, size_t *n, tumen_error *err)
{
    size_t wp[2] = {a, b};
    tm_service svc;
    memset(&svc, 0, sizeof svc);
    snprintf(svc.id, sizeof svc.id, "%s", sc->trains[train].id);
    svc.train = train;
    svc.waypoints = wp;
    svc.n_waypoints = 2;
    tm_timetable_options opt;
    tm_timetable_options_init(&opt);
    opt.keep_samples = 1;
    tm_service_run run;
    int rc = tm_timetable_run_service(sc, &svc, &opt, &run, err);
    if (rc != TUMEN_OK)
        return rc;
    tm_block_section *blocks = NULL;
    size_t nb = 0;
    rc = tm_service_blocks(&sc->network, map, &run, sc->trains[train].length, &blocks, &nb);
    if (rc == TUMEN_OK) {
        size_t k = 0;
        for (size_t i = 0; i < nb; i++)
            if (map->items[blocks[i].resource].kind != TM_RES_STATION)
                blocks[k++] = blocks[i];
        nb = k;
        *occ = malloc((nb ? nb : 1) * sizeof **occ);
        if (!*occ) {
            rc = TUMEN_ENOMEM;
        } else {
            tm_blocking_params p;
            tm_blocking_params_default(&p);
            tm_blocking_stairs(run.samples, run.n_samples, sc->trains[train].length, blocks, nb,
                               &p, label, *occ);
            *n = nb;
        }
    }
    free(blocks);
    tm_service_run_free(&run);
    return rc;
}

static void print_headway(const tm_scenario *sc, const tm_resource_map *map, const char *what,
                          double h, size_t deciding)
{
    char name[160];
    if (deciding == (size_t)-1) {
        printf("%-44s no shared block\n", what);
        return;
    }
    tm_resource_name(&sc->network, map, deciding, name, sizeof name);
    printf("%-44s %7.1f s (%5.2f min), decided by %s\n", what, h, h / 60.0, name);
}

static int parse_trains(const tm_scenario *sc, const char *text, size_t *t1, size_t *t2)
{
    char buf[2 * 64 + 2];
    const char *comma = strchr(text, ',');
    if (!comma || strlen(text) >= sizeof buf)
        return -1;
    memcpy(buf, text, strlen(text) + 1);
    buf[comma - text] = '\0';
    *t1 = tm_scenario_find_train(sc, buf);
    *t2 = tm_scenario_find_train(sc, buf + (comma - text) + 1);
    return *t1 == (size_t)-1 || *t2 == (size_t)-1 ? -1 : 0;
}

static int headways(const tm_scenario *sc, size_t t1, size_t t2, size_t a, size_t b,
                    tumen_error *err)
{
    tm_resource_map map = {0};
    tm_occupation *s1 = NULL, *s2 = NULL, *s2r = NULL;
    size_t n1 = 0, n2 = 0, n2r = 0, deciding;
    int rc = tm_resource_map_build(&sc->network, &map);
    if (rc == TUMEN_OK)
        rc = stairs_of(sc, &map, t1, a, b, 0, &s1, &n1, err);
    if (rc == TUMEN_OK)
        rc = stairs_of(sc, &map, t2, a, b, 1, &s2, &n2, err);
    if (rc == TUMEN_OK) {
        char what[320];
        double h;
        snprintf(what, sizeof what, "%s behind %s:", sc->trains[t2].id, sc->trains[t1].id);
        h = tm_minimum_headway(s1, n1, s2, n2, &deciding);
        print_headway(sc, &map, what, h, deciding);
        snprintf(what, sizeof what, "%s behind %s:", sc->trains[t1].id, sc->trains[t2].id);
        h = tm_minimum_headway(s2, n2, s1, n1, &deciding);
        print_headway(sc, &map, what, h, deciding);
        int single = 0;
        for (size_t i = 0; i < n1; i++)
            single |= map.items[s1[i].resource].kind == TM_RES_SINGLE_TRACK;
        if (single && stairs_of(sc, &map, t2, b, a, 1, &s2r, &n2r, err) == TUMEN_OK) {
            snprintf(what, sizeof what, "crossing: %s from %s after %s from %s:", sc->trains[t2].id,
                     sc->network.ops[b].id, sc->trains[t1].id, sc->network.ops[a].id);
            h = tm_minimum_headway(s1, n1, s2r, n2r, &deciding);
            print_headway(sc, &map, what, h, deciding);
        }
    }
    if (rc == TUMEN_ENOMEM)
        tm_error_set(err, rc, NULL, 0, NULL, "out of memory");
    free(s1);
    free(s2);
    free(s2r);
    tm_resource_map_free(&map);
    return rc;
}

int tm_cmd_headway(int argc, char **argv)
{
    const char **files = calloc((size_t)argc, sizeof *files);
    const char *line = NULL, *trains = NULL;
    size_t n_files = 0;
    if (!files)
        return TM_EXIT_FAILURE;
    int status = -1;
    for (int i = 1; i < argc && status < 0; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(headway_usage, stdout);
            status = TM_EXIT_OK;
        } else if (!strcmp(argv[i], "--line") && i + 1 < argc) {
            line = argv[++i];
        } else if (!strcmp(argv[i], "--trains") && i + 1 < argc) {
            trains = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "tumen headway: unknown option '%s'\n%s", argv[i], headway_usage);
            status = TM_EXIT_INPUT;
        } else {
            files[n_files++] = argv[i];
        }
    }
    if (status < 0 && (!n_files || !line || !trains)) {
        fprintf(stderr, "tumen headway: give FILE..., --line A-B and --trains T1,T2\n%s",
                headway_usage);
        status = TM_EXIT_INPUT;
    }
    if (status < 0) {
        tumen_error err = {0};
        tm_scenario *sc = NULL;
        size_t a, b, t1, t2;
        if (tm_scenario_load(&sc, files, n_files, &err) != TUMEN_OK ||
            tm_network_parse_line(&sc->network, line, &a, &b, &err) != TUMEN_OK) {
            status = tm_cli_fail(&err);
        } else if (parse_trains(sc, trains, &t1, &t2) != 0) {
            fprintf(stderr, "tumen headway: --trains takes two known train ids, not '%s'\n",
                    trains);
            status = TM_EXIT_INPUT;
        } else if (headways(sc, t1, t2, a, b, &err) != TUMEN_OK) {
            status = tm_cli_fail(&err);
        } else {
            status = TM_EXIT_OK;
        }
        tm_scenario_free(sc);
    }
    free(files);
    return status;
}
