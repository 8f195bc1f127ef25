/* cmd_conflicts.c: `tumen conflicts FILE...`: where a timetable breaks the block rule. */
#include "model/scenario.h"
#include "formats/readers.h"
#include "block/resources.h"
#include "plan/occupancy.h"
#include "cli/cli.h"
#include "core/error.h"
#include "formats/timetable_out.h"
#include "plan/path.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char conflicts_usage[] =
    "usage: tumen conflicts FILE... [--json] [--threads N] [--buffer S]\n"
    "                        [--plot OUT.svg|OUT.png --line A-B]\n"
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
    "  --threads N   run the services on N threads (default: 1; the result is the same)\n"
    "  --buffer S    also report blocking times less than S seconds apart (a buffer time\n"
    "                the timetable should keep; the overlap reported includes it)\n"
    "  --plot FILE   write the time-distance diagram of --line (.png or .svg) with each\n"
    "                train's blocking-time stairs (its block sections as boxes) and the\n"
    "                conflicts in red\n"
    "  --line A-B    the line for --plot: the shortest path between operational points\n"
    "                A and B (also A,B when ids hold '-')\n";

static void clock_text(double t, char *buf, size_t size)
{
    long s = (long)(t + 0.5);
    if (s < 0 || s > 999999)
        s = 0;
    int h = (int)(s / 3600), m = (int)(s / 60 % 60), sec = (int)(s % 60);
    snprintf(buf, size, "%02d:%02d:%02d", h % 1000, m, sec);
}

static int report(const tm_scenario *sc, const tm_resource_map *map, const tm_conflict *c,
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

/* Boxes for the diagram: every train's block sections (its stairs) and every conflict. A
 * conflict on a single-track section covers the track; at a station, the first km of each
 * track that joins it. The caller frees *out. */
static int plot_boxes(const tm_scenario *sc, const tm_resource_map *map,
                      const tm_occupation *occ, size_t n_occ, const tm_conflict *c, size_t n_c,
                      tm_graph_box **out, size_t *n_out)
{
    const tm_network *net = &sc->network;
    size_t cap = n_occ + n_c, n = 0;
    for (size_t i = 0; i < n_c; i++)
        if (map->items[c[i].resource].kind == TM_RES_STATION) {
            size_t o = map->items[c[i].resource].op;
            cap += net->adj_start[o + 1] - net->adj_start[o];
        }
    tm_graph_box *b = malloc((cap ? cap : 1) * sizeof *b);
    if (!b)
        return TUMEN_ENOMEM;
    for (size_t i = 0; i < n_occ; i++) {
        const tm_resource *r = &map->items[occ[i].resource];
        if (r->kind == TM_RES_BLOCK)
            b[n++] = (tm_graph_box){r->track, r->start, r->end, occ[i].start, occ[i].end,
                                    occ[i].train, 0};
    }
    for (size_t i = 0; i < n_c; i++) {
        const tm_resource *r = &map->items[c[i].resource];
        if (r->kind != TM_RES_STATION) {
            b[n++] = (tm_graph_box){r->track, r->start, r->end, c[i].start, c[i].end,
                                    c[i].train_b, 1};
            continue;
        }
        for (size_t k = net->adj_start[r->op]; k < net->adj_start[r->op + 1]; k++) {
            const tm_track *t = &net->tracks[net->adj[k]];
            double span = t->length < 1000.0 ? t->length : 1000.0;
            double p0 = t->from == r->op ? 0.0 : t->length - span;
            b[n++] = (tm_graph_box){net->adj[k], p0, p0 + span, c[i].start, c[i].end,
                                    c[i].train_b, 1};
        }
    }
    *out = b;
    *n_out = n;
    return TUMEN_OK;
}

/* The diagram: the services run again with their trajectories, stairs and conflicts. */
static int write_plot(const tm_scenario *sc, const tm_resource_map *map,
                      const tm_occupation *occ, size_t n_occ, const tm_conflict *c, size_t n_c,
                      size_t from, size_t to, int threads, const char *path, tumen_error *err)
{
    tm_timetable_options opt;
    tm_timetable_options_init(&opt);
    opt.keep_samples = 1;
    opt.threads = threads;
    tm_timetable_result r;
    memset(&r, 0, sizeof r);
    tm_graph_box *boxes = NULL;
    size_t n_boxes = 0;
    int rc = tm_timetable_run(sc, NULL, &opt, &r, err);
    if (rc == TUMEN_OK && plot_boxes(sc, map, occ, n_occ, c, n_c, &boxes, &n_boxes) != TUMEN_OK)
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (rc == TUMEN_OK)
        rc = tm_timetable_write_graph_boxes(sc, &r, from, to, NULL, 0, boxes, n_boxes, path, err);
    free(boxes);
    tm_timetable_result_free(&r);
    return rc;
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "tumen conflicts: %s%s%s%s\n%s", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "", conflicts_usage);
    return TM_EXIT_INPUT;
}

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), m = strlen(ext);
    return n > m && strcasecmp(path + n - m, ext) == 0;
}

int tm_cmd_conflicts(int argc, char **argv)
{
    const char **files = calloc((size_t)argc, sizeof *files);
    const char *plot = NULL, *line = NULL;
    size_t n_files = 0;
    int json = 0, threads = 1, status = -1;
    double buffer = 0.0;
    if (!files)
        return TM_EXIT_FAILURE;
    for (int i = 1; i < argc && status < 0; i++) {
        int has_value = i + 1 < argc;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(conflicts_usage, stdout);
            status = TM_EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--threads") && has_value) {
            threads = atoi(argv[++i]);
            if (threads < 1 || threads > 64)
                status = usage_error("--threads takes 1 to 64, not", argv[i]);
        } else if (!strcmp(argv[i], "--buffer") && has_value) {
            char *end = NULL;
            buffer = strtod(argv[++i], &end);
            if (!end || *end || !(buffer >= 0.0) || buffer > 86400.0)
                status = usage_error("--buffer takes seconds from 0 to 86400, not", argv[i]);
        } else if (!strcmp(argv[i], "--plot") && has_value) {
            plot = argv[++i];
        } else if (!strcmp(argv[i], "--line") && has_value) {
            line = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            status = usage_error("unknown option or missing value:", argv[i]);
        } else {
            files[n_files++] = argv[i];
        }
    }
    if (status < 0 && !n_files)
        status = usage_error("no input file", NULL);
    if (status < 0 && !plot != !line)
        status = usage_error(plot ? "--plot needs --line A-B" : "--line is for --plot", NULL);
    if (status < 0 && plot && !has_ext(plot, ".png") && !has_ext(plot, ".svg"))
        status = usage_error("--plot takes a .png or .svg file, not", plot);
    if (status >= 0) {
        free(files);
        return status;
    }
    tumen_error err = {0};
    tm_scenario *sc = NULL;
    tm_resource_map map = {0};
    tm_occupation *occ = NULL;
    tm_conflict *c = NULL;
    size_t *group = NULL;
    size_t n_occ = 0, n_c = 0, from = 0, to = 0;
    tm_blocking_params p;
    tm_blocking_params_default(&p);
    /* A buffer: each blocking time counts as ending that much later. */
    p.release += buffer;
    if (tm_scenario_load(&sc, files, n_files, &err) != TUMEN_OK) {
        status = tm_cli_fail(&err);
    } else if (sc->timetable.n_services == 0) {
        fprintf(stderr, "tumen conflicts: the files hold no timetable services\n");
        status = TM_EXIT_INPUT;
    } else if (line && tm_network_parse_line(&sc->network, line, &from, &to, &err) != TUMEN_OK) {
        status = tm_cli_fail(&err);
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
    } else if (plot && write_plot(sc, &map, occ, n_occ, c, n_c, from, to, threads, plot, &err) !=
                           TUMEN_OK) {
        status = tm_cli_fail(&err);
    } else {
        status = report(sc, &map, c, n_c, n_occ, json);
    }
    free(c);
    free(group);
    free(occ);
    tm_resource_map_free(&map);
    tm_scenario_free(sc);
    free(files);
    return status;
}
