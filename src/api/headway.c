/* headway.c: the minimum headway of two trains on a line (tumen_headway): each behind the
 * other from their blocking-time stairs, and the crossing headway on single track. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "block/resources.h"
#include "core/error.h"
#include "formats/output.h"
#include "plan/timetable.h"

typedef struct headway_item {
    size_t leader, follower;    /* trains */
    int crossing;
    double headway;
    int shared;                 /* 0: no shared block */
    char deciding[160];
} headway_item;

struct tumen_headway {
    const tumen_scenario *sc;
    size_t from, to;
    headway_item items[3];
    size_t n;
};

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

static void add(tumen_headway *h, const tm_resource_map *map, size_t leader, size_t follower,
                int crossing, const tm_occupation *first, size_t n1, const tm_occupation *second,
                size_t n2)
{
    headway_item *it = &h->items[h->n++];
    size_t deciding;
    it->leader = leader;
    it->follower = follower;
    it->crossing = crossing;
    it->headway = tm_minimum_headway(first, n1, second, n2, &deciding);
    it->shared = deciding != (size_t)-1;
    if (it->shared)
        tm_resource_name(&h->sc->model->network, map, deciding, it->deciding,
                         sizeof it->deciding);
}

static int compute(tumen_headway *h, size_t t1, size_t t2, tumen_error *err)
{
    const tm_scenario *sc = h->sc->model;
    tm_resource_map map = {0};
    tm_occupation *s1 = NULL, *s2 = NULL, *s2r = NULL;
    size_t n1 = 0, n2 = 0, n2r = 0;
    int rc = tm_resource_map_build(&sc->network, &map);
    if (rc == TUMEN_OK)
        rc = stairs_of(sc, &map, t1, h->from, h->to, 0, &s1, &n1, err);
    if (rc == TUMEN_OK)
        rc = stairs_of(sc, &map, t2, h->from, h->to, 1, &s2, &n2, err);
    if (rc == TUMEN_OK) {
        add(h, &map, t1, t2, 0, s1, n1, s2, n2);
        add(h, &map, t2, t1, 0, s2, n2, s1, n1);
        int single = 0;
        for (size_t i = 0; i < n1; i++)
            single |= map.items[s1[i].resource].kind == TM_RES_SINGLE_TRACK;
        /* the opposing run is optional: where it cannot run, there is no crossing headway */
        tumen_error ignored;
        if (single && stairs_of(sc, &map, t2, h->to, h->from, 1, &s2r, &n2r, &ignored) == TUMEN_OK)
            add(h, &map, t1, t2, 1, s1, n1, s2r, n2r);
    }
    if (rc == TUMEN_ENOMEM)
        tm_error_set(err, rc, NULL, 0, NULL, "out of memory");
    free(s1);
    free(s2);
    free(s2r);
    tm_resource_map_free(&map);
    return rc;
}

int tumen_headway_compute(const tumen_scenario *sc, size_t train1, size_t train2, size_t from,
                          size_t to, tumen_headway **out, tumen_error *err)
{
    tm_error_clear(err);
    if (!sc || !out)
        return tm_api_null(err, "scenario and out");
    *out = NULL;
    const tm_scenario *m = sc->model;
    if (train1 >= m->n_trains || train2 >= m->n_trains || from >= m->network.n_ops ||
        to >= m->network.n_ops)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "trains %zu, %zu and points %zu, %zu: the scenario has %zu trains "
                            "and %zu operational points",
                            train1, train2, from, to, m->n_trains, m->network.n_ops);
    tumen_headway *h = calloc(1, sizeof *h);
    if (!h)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    h->sc = sc;
    h->from = from;
    h->to = to;
    int rc = compute(h, train1, train2, err);
    if (rc != TUMEN_OK) {
        free(h);
        return rc;
    }
    *out = h;
    return TUMEN_OK;
}

void tumen_headway_destroy(tumen_headway *h)
{
    free(h);
}

size_t tumen_headway_count(const tumen_headway *h)
{
    return h ? h->n : 0;
}

void tumen_headway_get(const tumen_headway *h, size_t i, tumen_headway_info *out)
{
    const headway_item *it = &h->items[i];
    out->leader = h->sc->model->trains[it->leader].id;
    out->follower = h->sc->model->trains[it->follower].id;
    out->crossing = it->crossing;
    out->headway = it->headway;
    out->deciding = it->shared ? it->deciding : NULL;
}

int tumen_headway_text(const tumen_headway *h, char **text, size_t *length, tumen_error *err)
{
    tm_api_text t;
    tm_error_clear(err);
    if (!h)
        return tm_api_null(err, "headway");
    int rc = tm_api_text_begin(&t, err);
    if (rc != TUMEN_OK)
        return rc;
    const tm_network *net = &h->sc->model->network;
    for (size_t i = 0; i < h->n; i++) {
        tumen_headway_info k;
        char what[320];
        tumen_headway_get(h, i, &k);
        if (k.crossing)
            snprintf(what, sizeof what, "crossing: %s from %s after %s from %s:", k.follower,
                     net->ops[h->to].id, k.leader, net->ops[h->from].id);
        else
            snprintf(what, sizeof what, "%s behind %s:", k.follower, k.leader);
        if (!k.deciding)
            fprintf(t.f, "%-44s no shared block\n", what);
        else
            fprintf(t.f, "%-44s %7.1f s (%5.2f min), decided by %s\n", what, k.headway,
                    k.headway / 60.0, k.deciding);
    }
    return tm_api_text_end(&t, text, length, err);
}

int tumen_headway_json(const tumen_headway *h, char **text, size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!h)
        return tm_api_null(err, "headway");
    const tm_network *net = &h->sc->model->network;
    json_t *list = json_array();
    for (size_t i = 0; list && i < h->n; i++) {
        tumen_headway_info k;
        tumen_headway_get(h, i, &k);
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:b, s:o, s:o}", "leader", k.leader, "follower",
                            k.follower, "crossing", k.crossing, "headway_s",
                            k.deciding ? json_real(k.headway) : json_null(), "deciding",
                            k.deciding ? json_string(k.deciding) : json_null()));
    }
    json_t *doc = list ? json_pack("{s:s, s:s, s:o}", "from", net->ops[h->from].id, "to",
                                   net->ops[h->to].id, "headways", list)
                       : NULL;
    return tm_api_json_text(doc, TM_JSON_DUMP_FLAGS, text, length, err);
}
