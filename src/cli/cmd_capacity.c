/* cmd_capacity.c: `tumen capacity FILE... --line A-B --window 06:00-09:00`: how full a line
 * is, by the compression method of UIC 406. */
#include "model/scenario.h"
#include "formats/readers.h"
#include "block/capacity.h"
#include "block/resources.h"
#include "plan/occupancy.h"
#include "cli/cli.h"
#include "core/error.h"
#include "plan/path.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char capacity_usage[] =
    "usage: tumen capacity FILE... --line A-B --window HH:MM-HH:MM [--line-type TYPE]\n"
    "\n"
    "Takes the trains of the timetable whose blocking times on the line A-B (the shortest\n"
    "path between the two operational points, both directions) begin inside the window,\n"
    "compresses their blocking-time stairs as UIC 406 describes (order kept, each train as\n"
    "close behind the others as its stairs allow) and reports the occupancy: compressed\n"
    "time over the window, against UIC 406's recommended limits for the line type.\n"
    "\n"
    "  --line-type TYPE   mixed (default), suburban or high-speed\n";

static int parse_clock(const char *s, double *t)
{
    int h, m;
    char tail;
    if (sscanf(s, "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 48 || m < 0 || m > 59)
        return -1;
    *t = h * 3600.0 + m * 60.0;
    return 0;
}

static int parse_window(const char *text, double *from, double *to)
{
    char a[16], b[16];
    const char *dash = strchr(text, '-');
    if (!dash || dash - text >= (long)sizeof a || strlen(dash + 1) >= sizeof b)
        return -1;
    memcpy(a, text, (size_t)(dash - text));
    a[dash - text] = '\0';
    snprintf(b, sizeof b, "%s", dash + 1);
    return parse_clock(a, from) || parse_clock(b, to) || !(*to > *from) ? -1 : 0;
}

/* Marks the resources of the line's tracks (blocks both ways, single-track sections). */
static unsigned char *line_resources(const tm_resource_map *map, const tm_route_step *steps,
                                     size_t n_steps)
{
    unsigned char *on = calloc(map->n ? map->n : 1, 1);
    if (!on)
        return NULL;
    for (size_t r = 0; r < map->n; r++)
        for (size_t i = 0; i < n_steps; i++)
            if (map->items[r].kind != TM_RES_STATION && map->items[r].track == steps[i].track)
                on[r] = 1;
    return on;
}

typedef struct train_stairs {
    size_t train;
    double first;
    size_t begin, n; /* in the filtered occupation array */
} train_stairs;

static int by_first(const void *pa, const void *pb)
{
    const train_stairs *a = pa, *b = pb;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return (a->train > b->train) - (a->train < b->train);
}

static int measure(const tm_scenario *sc, size_t a, size_t b, double from, double to,
                   tm_line_type type, tumen_error *err)
{
    tm_resource_map map = {0};
    tm_route_step *steps = NULL;
    size_t n_steps = 0, n_occ = 0;
    tm_occupation *occ = NULL;
    unsigned char *on = NULL;
    train_stairs *ts = NULL;
    tm_stairs *stairs = NULL;
    double *shifts = NULL;
    tm_blocking_params p;
    tm_blocking_params_default(&p);
    int rc = tm_network_shortest_path(&sc->network, a, b, &steps, &n_steps, err);
    if (rc == TUMEN_OK)
        rc = tm_resource_map_build(&sc->network, &map);
    if (rc == TUMEN_OK)
        rc = tm_timetable_occupations(sc, &map, &p, 1, &occ, &n_occ, NULL, err);
    if (rc == TUMEN_OK && !(on = line_resources(&map, steps, n_steps)))
        rc = TUMEN_ENOMEM;
    size_t n_trains = 0;
    if (rc == TUMEN_OK) {
        /* Keep the line's occupations; occ is in service order, each service's together. */
        size_t k = 0;
        for (size_t i = 0; i < n_occ; i++)
            if (on[occ[i].resource])
                occ[k++] = occ[i];
        n_occ = k;
        ts = calloc(n_occ ? n_occ : 1, sizeof *ts);
        stairs = calloc(n_occ ? n_occ : 1, sizeof *stairs);
        shifts = calloc(n_occ ? n_occ : 1, sizeof *shifts);
        if (!ts || !stairs || !shifts)
            rc = TUMEN_ENOMEM;
        for (size_t i = 0; rc == TUMEN_OK && i < n_occ; i++) {
            if (n_trains == 0 || ts[n_trains - 1].train != occ[i].train)
                ts[n_trains++] = (train_stairs){occ[i].train, occ[i].start, i, 0};
            train_stairs *t = &ts[n_trains - 1];
            t->n++;
            t->first = fmin(t->first, occ[i].start);
        }
    }
    if (rc == TUMEN_OK) {
        size_t k = 0;
        for (size_t i = 0; i < n_trains; i++)
            if (ts[i].first >= from && ts[i].first < to)
                ts[k++] = ts[i];
        n_trains = k;
        if (n_trains > 1)
            qsort(ts, n_trains, sizeof *ts, by_first);
        for (size_t i = 0; i < n_trains; i++)
            stairs[i] = (tm_stairs){occ + ts[i].begin, ts[i].n};
        double busy = tm_capacity_compress(stairs, n_trains, shifts);
        double share = busy / (to - from), peak, daily;
        tm_capacity_limits(type, &peak, &daily);
        double limit = to - from <= 3600.0 * 3 ? peak : daily;
        double km = 0.0;
        for (size_t i = 0; i < n_steps; i++)
            km += sc->network.tracks[steps[i].track].length / 1000.0;
        printf("line %s-%s, %.1f km over %zu track%s; window %.0f min; %zu trains\n",
               sc->network.ops[a].id, sc->network.ops[b].id, km, n_steps,
               n_steps == 1 ? "" : "s", (to - from) / 60.0, n_trains);
        printf("compressed occupation time %.1f min: occupancy %.1f %% (UIC 406 recommends at "
               "most %.0f %% for a %s line over %s)\n",
               busy / 60.0, 100.0 * share, 100.0 * limit,
               type == TM_LINE_SUBURBAN ? "suburban" : type == TM_LINE_HIGH_SPEED ? "high-speed"
                                                                                  : "mixed-traffic",
               limit == peak ? "a peak period" : "the day");
        printf("%s\n", share <= limit ? "within the recommended limit"
                                      : "over the recommended limit: the line is congested");
    }
    if (rc == TUMEN_ENOMEM)
        tm_error_set(err, rc, NULL, 0, NULL, "out of memory");
    free(steps);
    free(occ);
    free(on);
    free(ts);
    free(stairs);
    free(shifts);
    tm_resource_map_free(&map);
    return rc;
}

int tm_cmd_capacity(int argc, char **argv)
{
    const char **files = calloc((size_t)argc, sizeof *files);
    const char *line = NULL, *window = NULL;
    tm_line_type type = TM_LINE_MIXED;
    size_t n_files = 0;
    int status = -1;
    if (!files)
        return TM_EXIT_FAILURE;
    for (int i = 1; i < argc && status < 0; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(capacity_usage, stdout);
            status = TM_EXIT_OK;
        } else if (!strcmp(argv[i], "--line") && i + 1 < argc) {
            line = argv[++i];
        } else if (!strcmp(argv[i], "--window") && i + 1 < argc) {
            window = argv[++i];
        } else if (!strcmp(argv[i], "--line-type") && i + 1 < argc) {
            const char *t = argv[++i];
            if (!strcmp(t, "mixed"))
                type = TM_LINE_MIXED;
            else if (!strcmp(t, "suburban"))
                type = TM_LINE_SUBURBAN;
            else if (!strcmp(t, "high-speed"))
                type = TM_LINE_HIGH_SPEED;
            else {
                fprintf(stderr, "tumen capacity: unknown line type '%s'\n", t);
                status = TM_EXIT_INPUT;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "tumen capacity: unknown option '%s'\n%s", argv[i], capacity_usage);
            status = TM_EXIT_INPUT;
        } else {
            files[n_files++] = argv[i];
        }
    }
    double from = 0, to = 0;
    if (status < 0 && (!n_files || !line || !window || parse_window(window, &from, &to))) {
        fprintf(stderr, "tumen capacity: give FILE..., --line A-B and --window HH:MM-HH:MM\n%s",
                capacity_usage);
        status = TM_EXIT_INPUT;
    }
    if (status < 0) {
        tumen_error err = {0};
        tm_scenario *sc = NULL;
        size_t a, b;
        if (tm_scenario_load(&sc, files, n_files, &err) != TUMEN_OK ||
            tm_network_parse_line(&sc->network, line, &a, &b, &err) != TUMEN_OK ||
            measure(sc, a, b, from, to, type, &err) != TUMEN_OK)
            status = tm_cli_fail(&err);
        else
            status = TM_EXIT_OK;
        tm_scenario_free(sc);
    }
    free(files);
    return status;
}
