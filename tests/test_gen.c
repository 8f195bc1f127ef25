/* test_gen.c: the synthetic network generator (gen/gen.h, tumen gen network).
 *
 * The generated files are checked through the YAML tree (formats/yaml_doc.h), independently of
 * the generator's own structures: determinism (same seed, same bytes; another seed, other
 * bytes), sizes (track length within 5 % of --km, exactly --trains services), every
 * route made of adjacent operational points, every stop on its route, sections contiguous
 * and within the promised ranges, the whole scenario loading through the real readers
 * (skipped, with the reason, while a reader does not know a section yet), and a sample of
 * services of every kind routed and run by the timetable runner. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "formats/readers.h"
#include "gen/gen.h"
#include "formats/yaml_doc.h"
#include "model/scenario.h"
#include "plan/timetable.h"
#include "support.h"
#include "tumen.h"

static const char *const files[] = {"network.yaml", "trains.yaml", "timetable.yaml"};

/* ---- Helpers ---------------------------------------------------------------------- */

static void make_dir(char *dir, size_t size)
{
    tm_test_tmp(dir, size, "tumen_gen_XXXXXX");
    assert_non_null(mkdtemp(dir));
}

static void remove_dir(const char *dir)
{
    char path[256];
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void generate(const char *dir, double km, size_t services, uint64_t seed,
                     tm_gen_stats *st)
{
    tm_gen_options o = {km, services, seed};
    tumen_error err = {0};
    int rc = tm_gen_network(&o, dir, st, &err);
    if (rc != TUMEN_OK)
        fail_msg("tm_gen_network: %s", err.message);
}

static char *read_in(const char *dir, const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = tm_test_read_file(path, len);
    if (!text)
        fail_msg("cannot read %s", path);
    return text;
}

static tm_ydoc *load_yaml(const char *dir, const char *name)
{
    size_t len = 0;
    char *text = read_in(dir, name, &len);
    tm_ydoc *doc = NULL;
    tumen_error err = {0};
    int rc = tm_ydoc_load(&doc, name, text, len, &err);
    free(text);
    if (rc != TUMEN_OK)
        fail_msg("%s is not well-formed YAML: line %d: %s", name, err.line, err.message);
    return doc;
}

static double quantity(const tm_ydoc *doc, const tm_ynode *map, const char *key, tm_dim dim)
{
    double v = NAN;
    tumen_error err = {0};
    if (tm_yget_quantity(doc, map, "", key, dim, TM_YR_ANY, 1, &v, NULL, &err) != TUMEN_OK)
        fail_msg("line %d: %s: %s", map->line, key, err.message);
    return v;
}

static const char *text_of(const tm_ynode *map, const char *key)
{
    const char *s = tm_yscalar(tm_ymap_get(map, key));
    if (!s)
        fail_msg("line %d: no scalar '%s'", map ? map->line : 0, key);
    return s;
}

/* Sorted ids, for lookups by bsearch. */
typedef struct id_index {
    const char *id;
    size_t index;
} id_index;

static int cmp_id(const void *a, const void *b)
{
    return strcmp(((const id_index *)a)->id, ((const id_index *)b)->id);
}

static size_t find_id(const id_index *ids, size_t n, const char *id)
{
    id_index key = {id, 0};
    const id_index *hit = bsearch(&key, ids, n, sizeof *ids, cmp_id);
    return hit ? hit->index : (size_t)-1;
}

typedef struct pair {
    size_t a, b;
} pair;

static int cmp_pair(const void *x, const void *y)
{
    const pair *p = x, *q = y;
    if (p->a != q->a)
        return (p->a > q->a) - (p->a < q->a);
    return (p->b > q->b) - (p->b < q->b);
}

/* ---- What a generated folder must satisfy ------------------------------------------ */

typedef struct checked {
    double track_km;
    size_t n_services, n_ops, n_tracks;
    size_t network_nodes, timetable_nodes;
} checked;

/* Nodes of a tree without aliases: every scalar, sequence and mapping, keys included. */
static size_t count_nodes(const tm_ynode *node)
{
    size_t n = 1, items = node->kind == TM_YMAP ? 2 * node->n : node->n;
    for (size_t i = 0; node->kind != TM_YSCALAR && i < items; i++)
        n += count_nodes(node->items[i]);
    return n;
}

static void check_folder(const char *dir, checked *out)
{
    tm_ydoc *net = load_yaml(dir, "network.yaml");
    tm_ydoc *stock = load_yaml(dir, "trains.yaml");
    tm_ydoc *tt = load_yaml(dir, "timetable.yaml");

    /* Operational points. */
    const tm_ynode *network = tm_ymap_get(tm_ydoc_root(net), "network");
    const tm_ynode *ops = tm_ymap_get(network, "operational_points");
    const tm_ynode *tracks = tm_ymap_get(network, "tracks");
    assert_non_null(ops);
    assert_non_null(tracks);
    assert_int_equal(ops->kind, TM_YSEQ);
    id_index *ids = malloc(ops->n * sizeof *ids);
    assert_non_null(ids);
    for (size_t i = 0; i < ops->n; i++) {
        const tm_ynode *op = ops->items[i];
        ids[i] = (id_index){text_of(op, "id"), i};
        const char *kind = text_of(op, "kind");
        assert_true(!strcmp(kind, "station") || !strcmp(kind, "halt") ||
                    !strcmp(kind, "junction"));
        const tm_ynode *pos = tm_ymap_get(op, "position");
        assert_non_null(pos);
        assert_int_equal(pos->n, 2);
        double lat = atof(tm_yscalar(pos->items[0])), lon = atof(tm_yscalar(pos->items[1]));
        assert_true(lat > 40.0 && lat < 60.0 && lon > 0.0 && lon < 40.0);
    }
    qsort(ids, ops->n, sizeof *ids, cmp_id);
    for (size_t i = 1; i < ops->n; i++)
        if (!strcmp(ids[i - 1].id, ids[i].id))
            fail_msg("duplicate operational point id %s", ids[i].id);

    /* Tracks: lengths, contiguous sections in range, signals on the track. */
    pair *pairs = malloc(tracks->n * sizeof *pairs);
    assert_non_null(pairs);
    double total = 0.0;
    for (size_t i = 0; i < tracks->n; i++) {
        const tm_ynode *t = tracks->items[i];
        size_t a = find_id(ids, ops->n, text_of(t, "from"));
        size_t b = find_id(ids, ops->n, text_of(t, "to"));
        assert_true(a != (size_t)-1 && b != (size_t)-1 && a != b);
        pairs[i] = (pair){a < b ? a : b, a < b ? b : a};
        double length = quantity(net, t, "length", TM_DIM_LENGTH);
        assert_true(length > 0.0);
        total += length;
        double line_speed = quantity(net, t, "speed_limit", TM_DIM_SPEED);
        int main_tracks = atoi(text_of(t, "main_tracks"));
        assert_true(main_tracks == 1 || main_tracks == 2);
        double lo = main_tracks == 2 ? 120.0 : 60.0, hi = main_tracks == 2 ? 160.0 : 100.0;
        assert_true(line_speed * 3.6 > lo - 1e-9 && line_speed * 3.6 < hi + 1e-9);
        const tm_ynode *sec = tm_ymap_get(t, "sections");
        assert_non_null(sec);
        double at = 0.0;
        for (size_t k = 0; k < sec->n; k++) {
            double from = quantity(net, sec->items[k], "from", TM_DIM_LENGTH);
            double to = quantity(net, sec->items[k], "to", TM_DIM_LENGTH);
            double g = quantity(net, sec->items[k], "gradient", TM_DIM_GRADIENT);
            double v = quantity(net, sec->items[k], "speed_limit", TM_DIM_SPEED);
            if (fabs(from - at) > 1e-6 || !(to > from))
                fail_msg("line %d: sections not contiguous", sec->items[k]->line);
            assert_true(fabs(g) <= 0.012 + 1e-12);
            assert_true(v > 0.0 && v <= line_speed + 1e-9);
            at = to;
        }
        assert_true(fabs(at - length) < 1e-6);
        const tm_ynode *sig = tm_ymap_get(t, "signals");
        assert_non_null(sig);
        for (size_t k = 0; k < sig->n; k++) {
            double s = quantity(net, sig->items[k], "at", TM_DIM_LENGTH);
            assert_true(s > 0.0 && s < length);
        }
        /* structures on the track; a branch longer than 8 km has a level crossing */
        const tm_ynode *st = tm_ymap_get(t, "structures");
        size_t crossings = 0;
        for (size_t k = 0; st && k < st->n; k++) {
            double x = quantity(net, st->items[k], "at", TM_DIM_LENGTH);
            const char *kind = text_of(st->items[k], "kind");
            double len = strcmp(kind, "level_crossing")
                             ? quantity(net, st->items[k], "length", TM_DIM_LENGTH)
                             : 0.0;
            assert_true(x > 0.0 && x + len < length);
            crossings += !strcmp(kind, "level_crossing");
        }
        if (main_tracks == 1 && length > 8000.0)
            assert_true(crossings >= 1);
    }
    qsort(pairs, tracks->n, sizeof *pairs, cmp_pair);
    for (size_t i = 1; i < tracks->n; i++)
        if (!cmp_pair(&pairs[i - 1], &pairs[i]))
            fail_msg("two tracks join the same operational points");

    /* Trains. */
    const tm_ynode *trains = tm_ymap_get(tm_ydoc_root(stock), "trains");
    assert_non_null(trains);
    id_index *train_ids = malloc(trains->n * sizeof *train_ids);
    assert_non_null(train_ids);
    for (size_t i = 0; i < trains->n; i++)
        train_ids[i] = (id_index){text_of(trains->items[i], "id"), i};
    qsort(train_ids, trains->n, sizeof *train_ids, cmp_id);

    /* Services: known trains, adjacent waypoints, stops on the route. */
    const tm_ynode *timetable = tm_ymap_get(tm_ydoc_root(tt), "timetable");
    const tm_ynode *services = tm_ymap_get(timetable, "services");
    assert_non_null(services);
    size_t *route = malloc(ops->n * 4 * sizeof *route);
    assert_non_null(route);
    size_t forward = 0, backward = 0;
    for (size_t i = 0; i < services->n; i++) {
        const tm_ynode *s = services->items[i];
        if (find_id(train_ids, trains->n, text_of(s, "train")) == (size_t)-1)
            fail_msg("line %d: unknown train %s", s->line, text_of(s, "train"));
        const char *dep = text_of(s, "departure");
        assert_true(strlen(dep) == 5 && dep[2] == ':');
        const char *cat = text_of(s, "category");
        assert_true(!strcmp(cat, "passenger") || !strcmp(cat, "freight"));
        const tm_ynode *r = tm_ymap_get(s, "route");
        assert_non_null(r);
        assert_true(r->n >= 2 && r->n <= ops->n * 4);
        for (size_t k = 0; k < r->n; k++) {
            route[k] = find_id(ids, ops->n, tm_yscalar(r->items[k]));
            if (route[k] == (size_t)-1)
                fail_msg("line %d: unknown waypoint %s", s->line, tm_yscalar(r->items[k]));
            if (k == 0)
                continue;
            pair p = {route[k - 1] < route[k] ? route[k - 1] : route[k],
                      route[k - 1] < route[k] ? route[k] : route[k - 1]};
            if (!bsearch(&p, pairs, tracks->n, sizeof *pairs, cmp_pair))
                fail_msg("line %d: %s and %s are not adjacent", s->line,
                         tm_yscalar(r->items[k - 1]), tm_yscalar(r->items[k]));
        }
        if (route[0] < route[r->n - 1])
            forward++;
        else
            backward++;
        const tm_ynode *stops = tm_ymap_get(s, "stops");
        for (size_t k = 0; stops && k < stops->n; k++) {
            size_t at = find_id(ids, ops->n, text_of(stops->items[k], "at"));
            int on_route = 0;
            for (size_t j = 1; j + 1 < r->n; j++)
                on_route |= route[j] == at;
            if (!on_route)
                fail_msg("line %d: stop %s is not on the route", stops->items[k]->line,
                         text_of(stops->items[k], "at"));
            assert_true(quantity(tt, stops->items[k], "dwell", TM_DIM_DURATION) > 0.0);
        }
    }
    /* Both directions are served (roughly half each). */
    if (services->n >= 100)
        assert_true(forward > services->n / 4 && backward > services->n / 4);

    out->network_nodes = count_nodes(tm_ydoc_root(net));
    out->timetable_nodes = count_nodes(tm_ydoc_root(tt));
    out->track_km = total / 1000.0;
    out->n_services = services->n;
    out->n_ops = ops->n;
    out->n_tracks = tracks->n;
    free(route);
    free(train_ids);
    free(pairs);
    free(ids);
    tm_ydoc_free(net);
    tm_ydoc_free(stock);
    tm_ydoc_free(tt);
}

static int same_file(const char *d1, const char *d2, const char *name)
{
    size_t n1 = 0, n2 = 0;
    char *a = read_in(d1, name, &n1), *b = read_in(d2, name, &n2);
    int same = n1 == n2 && !memcmp(a, b, n1);
    free(a);
    free(b);
    return same;
}

/* ---- Tests ----------------------------------------------------------------------- */

static void test_determinism(void **state)
{
    (void)state;
    char d1[64], d2[64], d3[64];
    make_dir(d1, sizeof d1);
    make_dir(d2, sizeof d2);
    make_dir(d3, sizeof d3);
    generate(d1, 800.0, 500, 7, NULL);
    generate(d2, 800.0, 500, 7, NULL);
    generate(d3, 800.0, 500, 8, NULL);
    for (size_t i = 0; i < 3; i++)
        if (!same_file(d1, d2, files[i]))
            fail_msg("seed 7 twice gave different %s", files[i]);
    assert_false(same_file(d1, d3, "network.yaml"));
    assert_false(same_file(d1, d3, "timetable.yaml"));
    remove_dir(d1);
    remove_dir(d2);
    remove_dir(d3);
}

static uint64_t fnv1a_file(const char *dir, const char *name)
{
    size_t n = 0;
    char *text = read_in(dir, name, &n);
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)text[i]) * 0x100000001b3ull;
    free(text);
    return h;
}

/* The bytes of one seed are pinned, so that a compiler, an optimisation level or a platform
 * that draws or rounds differently is caught (GCC and clang evaluate call arguments in
 * opposite orders, for one). A deliberate change of the generator updates these values. */
static void test_pinned_bytes(void **state)
{
    (void)state;
    static const uint64_t want[3] = {0x289de4cf79018b2eull, 0x90ed7054df7da819ull,
                                     0xf5d43a9fb1b03171ull};
    char dir[64];
    make_dir(dir, sizeof dir);
    generate(dir, 300.0, 50, 42, NULL);
    int ok = 1;
    for (size_t i = 0; i < 3; i++) {
        uint64_t h = fnv1a_file(dir, files[i]);
        if (h != want[i]) {
            printf("# %s: FNV-1a 0x%016llxull, pinned 0x%016llxull\n", files[i],
                   (unsigned long long)h, (unsigned long long)want[i]);
            ok = 0;
        }
    }
    remove_dir(dir);
    if (!ok)
        fail_msg("--km 300 --trains 50 --seed 42 no longer gives the pinned bytes");
}

static void test_small_network(void **state)
{
    (void)state;
    static const double kms[] = {50.0, 300.0, 1234.0};
    for (size_t i = 0; i < 3; i++) {
        char dir[64];
        make_dir(dir, sizeof dir);
        tm_gen_stats st;
        generate(dir, kms[i], 60, 3 + i, &st);
        checked c;
        check_folder(dir, &c);
        assert_true(fabs(c.track_km - kms[i]) <= 0.05 * kms[i]);
        assert_true(fabs(c.track_km - st.track_km) < 1e-6);
        assert_int_equal(c.n_services, 60);
        assert_int_equal(c.n_ops, st.n_ops);
        assert_int_equal(c.network_nodes, st.network_nodes);
        assert_int_equal(c.timetable_nodes, st.timetable_nodes);
        remove_dir(dir);
    }
}

/* The benchmark's size: 5000 km, 10,000 services. */
static void test_national_scale(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof dir);
    tm_gen_stats st;
    generate(dir, 5000.0, 10000, 1, &st);
    checked c;
    check_folder(dir, &c);
    printf("# 5000 km, seed 1: %zu operational points, %zu tracks, %.3f km (main %.3f, "
           "branches %.3f), %zu signals, %zu services, %zu timetable nodes\n",
           c.n_ops, c.n_tracks, c.track_km, st.main_km, st.branch_km, st.n_signals,
           c.n_services, st.timetable_nodes);
    assert_true(fabs(c.track_km - 5000.0) <= 250.0);
    assert_int_equal(c.n_services, 10000);
    assert_true(st.main_km > 1500.0 && st.branch_km > 1500.0);
    assert_int_equal(c.network_nodes, st.network_nodes);
    assert_int_equal(c.timetable_nodes, st.timetable_nodes);
    remove_dir(dir);
}

static void test_bad_options(void **state)
{
    (void)state;
    tumen_error err = {0};
    tm_gen_options o = {10.0, 100, 1};
    assert_int_equal(tm_gen_network(&o, "/tmp", NULL, &err), TUMEN_EUSAGE);
    o = (tm_gen_options){500.0, 0, 1};
    assert_int_equal(tm_gen_network(&o, "/tmp", NULL, &err), TUMEN_EUSAGE);
    o = (tm_gen_options){500.0, 10, 1};
    assert_int_equal(tm_gen_network(&o, "/nonexistent/folder", NULL, &err), TUMEN_EIO);
}

/* Runs the CLI with a shell command line; returns its exit status. */
static int run_cli(const char *args)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>&1", TUMEN_CLI, args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli(void **state)
{
    (void)state;
    char dir[64], args[256];
    make_dir(dir, sizeof dir);
    assert_int_equal(run_cli("gen --help"), 0);
    assert_int_equal(run_cli("gen network --help"), 0);
    assert_int_equal(run_cli("gen"), 2);
    assert_int_equal(run_cli("gen lines -o /tmp/x"), 2);
    assert_int_equal(run_cli("gen network"), 2); /* no -o */
    snprintf(args, sizeof args, "gen network --km abc -o %s", dir);
    assert_int_equal(run_cli(args), 2);
    snprintf(args, sizeof args, "gen network --km 10 -o %s", dir);
    assert_int_equal(run_cli(args), 2);
    snprintf(args, sizeof args, "gen network --trains -5 -o %s", dir);
    assert_int_equal(run_cli(args), 2);
    snprintf(args, sizeof args, "gen network --seed x -o %s", dir);
    assert_int_equal(run_cli(args), 2);
    snprintf(args, sizeof args, "gen network --bogus -o %s", dir);
    assert_int_equal(run_cli(args), 2);
    char probe[128];
    snprintf(probe, sizeof probe, "%s/network.yaml", dir);
    assert_int_equal(access(probe, F_OK), -1); /* nothing written on bad usage */
    snprintf(args, sizeof args, "gen network --km 200 --trains 20 --seed 5 -o %s", dir);
    assert_int_equal(run_cli(args), 0);
    assert_int_equal(access(probe, F_OK), 0);
    remove_dir(dir);
}

/* The generated files through the real readers: the scenario loads and holds what was
 * generated. */
static void test_scenario_loads(void **state)
{
    (void)state;
    char dir[64], paths[3][128];
    make_dir(dir, sizeof dir);
    tm_gen_stats st;
    generate(dir, 1500.0, 2000, 11, &st);
    const char *p[3];
    for (size_t i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, files[i]);
        p[i] = paths[i];
    }
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    int rc = tm_scenario_load(&sc, p, 3, &err);
    if (rc != TUMEN_OK) {
        char buf[1024];
        tumen_error_format(&err, buf, sizeof buf);
        remove_dir(dir);
        fail_msg("the generated scenario does not load: %s", buf);
    }
    assert_int_equal(sc->network.n_ops, st.n_ops);
    assert_int_equal(sc->network.n_tracks, st.n_tracks);
    assert_int_equal(sc->timetable.n_services, 2000);
    assert_int_equal(sc->n_trains, st.n_trains);
    double total = 0.0;
    for (size_t i = 0; i < sc->network.n_tracks; i++)
        total += sc->network.tracks[i].length;
    assert_true(fabs(total / 1000.0 - st.track_km) < 1e-3);
    /* The services route and run: the first of each kind and every 97th. */
    char seen[8][3] = {{0}};
    size_t n_seen = 0, ran = 0;
    for (size_t i = 0; i < sc->timetable.n_services; i++) {
        const tm_service *svc = &sc->timetable.services[i];
        int first = 1;
        for (size_t k = 0; k < n_seen; k++)
            first &= strncmp(seen[k], svc->id, 2) != 0;
        if (first && n_seen < 8)
            memcpy(seen[n_seen++], svc->id, 2);
        if (!first && i % 97)
            continue;
        tm_service_run run;
        if (tm_timetable_run_service(sc, svc, NULL, &run, &err) != TUMEN_OK) {
            char buf[1024];
            tumen_error_format(&err, buf, sizeof buf);
            fail_msg("service %s does not run: %s", svc->id, buf);
        }
        assert_true(run.arrival > run.departure);
        assert_true(run.n_points == svc->n_waypoints);
        tm_service_run_free(&run);
        ran++;
    }
    printf("# %zu of %zu services run, kinds:", ran, sc->timetable.n_services);
    for (size_t k = 0; k < n_seen; k++)
        printf(" %.2s", seen[k]);
    printf("\n");
    assert_int_equal(n_seen, 6);
    tm_scenario_free(sc);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_determinism),    cmocka_unit_test(test_pinned_bytes),
        cmocka_unit_test(test_small_network),
        cmocka_unit_test(test_national_scale), cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_cli),            cmocka_unit_test(test_scenario_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
