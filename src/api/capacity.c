/* capacity.c: how full a line is in a time window, by the compression method of UIC 406
 * (tumen_capacity), and the report `tumen capacity` prints. */
#include "api/api.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "block/capacity.h"
#include "block/resources.h"
#include "core/error.h"
#include "formats/output.h"
#include "plan/occupancy.h"
#include "plan/path.h"

struct tumen_capacity {
    const tumen_scenario *sc;
    size_t from, to;
    tumen_line_type type;
    tumen_capacity_info info;
};

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

/* Groups the line's occupations (in service order) by train and keeps the trains whose
 * stairs begin in the window, in order of their first blocking time. */
static size_t trains_in_window(const tm_occupation *occ, size_t n_occ, double from, double to,
                               train_stairs *ts)
{
    size_t n = 0;
    for (size_t i = 0; i < n_occ; i++) {
        if (n == 0 || ts[n - 1].train != occ[i].train)
            ts[n++] = (train_stairs){occ[i].train, occ[i].start, i, 0};
        ts[n - 1].n++;
        ts[n - 1].first = fmin(ts[n - 1].first, occ[i].start);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (ts[i].first >= from && ts[i].first < to)
            ts[k++] = ts[i];
    if (k > 1)
        qsort(ts, k, sizeof *ts, by_first);
    return k;
}

static int measure(tumen_capacity *c, const tumen_options *common, tumen_error *err)
{
    const tm_scenario *sc = c->sc->model;
    tumen_capacity_info *in = &c->info;
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
    tm_timetable_options opt;
    tm_api_timetable_options(common, &opt);
    int rc = tm_network_shortest_path(&sc->network, c->from, c->to, &steps, &n_steps, err);
    if (rc == TUMEN_OK)
        rc = tm_resource_map_build(&sc->network, &map);
    if (rc == TUMEN_OK)
        rc = tm_timetable_occupations_with(sc, &map, &p, &opt, &occ, &n_occ, NULL, err);
    if (rc == TUMEN_OK && !(on = line_resources(&map, steps, n_steps)))
        rc = TUMEN_ENOMEM;
    if (rc == TUMEN_OK) {
        size_t k = 0; /* the line's occupations; each service's together */
        for (size_t i = 0; i < n_occ; i++)
            if (on[occ[i].resource])
                occ[k++] = occ[i];
        n_occ = k;
        ts = calloc(n_occ ? n_occ : 1, sizeof *ts);
        stairs = calloc(n_occ ? n_occ : 1, sizeof *stairs);
        shifts = calloc(n_occ ? n_occ : 1, sizeof *shifts);
        if (!ts || !stairs || !shifts)
            rc = TUMEN_ENOMEM;
    }
    if (rc == TUMEN_OK) {
        size_t n = trains_in_window(occ, n_occ, in->window_start, in->window_end, ts);
        for (size_t i = 0; i < n; i++)
            stairs[i] = (tm_stairs){occ + ts[i].begin, ts[i].n};
        double window = in->window_end - in->window_start, peak, daily;
        in->trains = n;
        in->compressed = tm_capacity_compress(stairs, n, shifts);
        in->occupancy = in->compressed / window;
        tm_capacity_limits((tm_line_type)c->type, &peak, &daily);
        in->peak = window <= 3600.0 * 3;
        in->limit = in->peak ? peak : daily;
        in->length = 0.0;
        for (size_t i = 0; i < n_steps; i++)
            in->length += sc->network.tracks[steps[i].track].length;
        in->tracks = n_steps;
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

int tumen_capacity_compute(const tumen_scenario *sc, size_t from, size_t to,
                           double window_start, double window_end, tumen_line_type type,
                           const tumen_options *options, tumen_capacity **out,
                           tumen_error *err)
{
    tm_error_clear(err);
    if (!sc || !out)
        return tm_api_null(err, "scenario and out");
    *out = NULL;
    if (from >= sc->model->network.n_ops || to >= sc->model->network.n_ops)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "operational points %zu and %zu: the network has %zu", from, to,
                            sc->model->network.n_ops);
    if (!(window_end > window_start))
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "window",
                            "the window must end after it begins");
    tumen_options common;
    tumen_options_init(&common);
    tm_api_options(&common, sizeof common, options);
    tumen_capacity *c = calloc(1, sizeof *c);
    if (!c)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    c->sc = sc;
    c->from = from;
    c->to = to;
    c->type = type;
    c->info.size = sizeof c->info;
    c->info.window_start = window_start;
    c->info.window_end = window_end;
    int rc = measure(c, &common, err);
    if (rc != TUMEN_OK) {
        free(c);
        return rc;
    }
    *out = c;
    return TUMEN_OK;
}

void tumen_capacity_destroy(tumen_capacity *c)
{
    free(c);
}

void tumen_capacity_get(const tumen_capacity *c, tumen_capacity_info *info)
{
    tm_api_fill(info, &c->info, sizeof c->info);
}

static const char *type_name(tumen_line_type t)
{
    return t == TUMEN_LINE_SUBURBAN ? "suburban" : t == TUMEN_LINE_HIGH_SPEED ? "high-speed"
                                                                               : "mixed-traffic";
}

int tumen_capacity_text(const tumen_capacity *c, char **text, size_t *length, tumen_error *err)
{
    tm_api_text t;
    tm_error_clear(err);
    if (!c)
        return tm_api_null(err, "capacity");
    int rc = tm_api_text_begin(&t, err);
    if (rc != TUMEN_OK)
        return rc;
    const tumen_capacity_info *in = &c->info;
    const tm_network *net = &c->sc->model->network;
    fprintf(t.f, "line %s-%s, %.1f km over %zu track%s; window %.0f min; %zu trains\n",
            net->ops[c->from].id, net->ops[c->to].id, in->length / 1000.0, in->tracks,
            in->tracks == 1 ? "" : "s", (in->window_end - in->window_start) / 60.0, in->trains);
    fprintf(t.f, "compressed occupation time %.1f min: occupancy %.1f %% (UIC 406 recommends "
                 "at most %.0f %% for a %s line over %s)\n",
            in->compressed / 60.0, 100.0 * in->occupancy, 100.0 * in->limit, type_name(c->type),
            in->peak ? "a peak period" : "the day");
    fprintf(t.f, "%s\n", in->occupancy <= in->limit
                             ? "within the recommended limit"
                             : "over the recommended limit: the line is congested");
    return tm_api_text_end(&t, text, length, err);
}

int tumen_capacity_json(const tumen_capacity *c, char **text, size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!c)
        return tm_api_null(err, "capacity");
    const tumen_capacity_info *in = &c->info;
    const tm_network *net = &c->sc->model->network;
    json_t *doc = json_pack(
        "{s:s, s:s, s:f, s:I, s:f, s:f, s:s, s:I, s:f, s:f, s:f, s:s, s:b}", "from",
        net->ops[c->from].id, "to", net->ops[c->to].id, "length_m", in->length, "tracks",
        (json_int_t)in->tracks, "window_start_s", in->window_start, "window_end_s",
        in->window_end, "line_type", type_name(c->type), "trains", (json_int_t)in->trains,
        "compressed_s", in->compressed, "occupancy", in->occupancy, "limit", in->limit,
        "period", in->peak ? "peak" : "day", "congested", in->occupancy > in->limit);
    return tm_api_json_text(doc, TM_JSON_DUMP_FLAGS, text, length, err);
}
