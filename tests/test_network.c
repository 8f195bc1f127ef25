/* test_network.c: the `network:` reader (docs/formats.md, "Networks") and the network's
 * bookkeeping (electrification names, adjacency): a complete small network given inline,
 * then one broken variant per kind of mistake, each checked for its code, line and field. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "formats/readers.h"
#include "model/network.h"
#include "model/scenario.h"
#include "support.h"
#include "tumen.h"

#define KMH (1.0 / 3.6)

static void assert_close(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.15g, want %.15g (tol %g)", got, want, tol);
}

/* Line numbers below refer to this text: keep them in step with the tests. */
static const char network[] =
    "network:\n"                                                              /*  1 */
    "  operational_points:\n"                                                 /*  2 */
    "    - {id: A, name: Alpha, kind: station, position: [42.4, 130.6],\n"    /*  3 */
    "       loops: [600 m, 850 m]}\n"                                         /*  4 */
    "    - id: B\n"                                                           /*  5 */
    "      kind: border\n"                                                    /*  6 */
    "      bogie_exchange: {gauges: [1435 mm, 1520 mm], time: 2 h}\n"         /*  7 */
    "      locomotive_change: {time: 30 min}\n"                               /*  8 */
    "    - {id: C}\n"                                                         /*  9 */
    "  tracks:\n"                                                             /* 10 */
    "    - id: A-B\n"                                                         /* 11 */
    "      from: A\n"                                                         /* 12 */
    "      to: B\n"                                                           /* 13 */
    "      length: 5 km\n"                                                    /* 14 */
    "      main_tracks: 2\n"                                                  /* 15 */
    "      gauges: [1435 mm, 1520 mm]\n"                                      /* 16 */
    "      electrification: 3 kV DC\n"                                        /* 17 */
    "      max_axle_load: 23.5 t\n"                                           /* 18 */
    "      speed_limit: 60 km/h\n"                                            /* 19 */
    "      sections:\n"                                                       /* 20 */
    "        - {from: 0 km, to: 1 km, speed_limit: 20 km/h, speed_limit_back: 25 km/h,\n" /* 21 */
    "           gradient: 2 permille, radius: 600 m}\n"                       /* 22 */
    "        - {to: 4 km, gradient: -3 permille}\n"                           /* 23 */
    "        - {length: 1 km, speed_limit: 40 km/h}\n"                        /* 24 */
    "      signals:\n"                                                        /* 25 */
    "        - {at: 3 km, direction: backward}\n"                             /* 26 */
    "        - {at: 1.2 km, direction: forward, id: S1}\n"                    /* 27 */
    "    - {id: B-C, from: B, to: C, length: 2 km, speed_limit: 80 km/h}\n";  /* 28 */

static tm_scenario *load_ok(const char *text)
{
    tm_scenario *s = NULL;
    tumen_error err;
    if (tm_scenario_load_text(&s, "net.yaml", text, strlen(text), &err) != TUMEN_OK) {
        char msg[1024];
        tumen_error_format(&err, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    return s;
}

/* network with from replaced by to (which must occur), as a new string. */
static char *edited(const char *from, const char *to)
{
    const char *at = strstr(network, from);
    if (!at)
        fail_msg("'%s' is not in the test network", from);
    size_t n = strlen(network) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    assert_non_null(out);
    size_t head = (size_t)(at - network);
    memcpy(out, network, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static void expect_error(const char *from, const char *to, int line, const char *field,
                         const char *needle)
{
    char *text = edited(from, to);
    tm_scenario *s = NULL;
    tumen_error err;
    int rc = tm_scenario_load_text(&s, "bad.yaml", text, strlen(text), &err);
    free(text);
    char msg[1024];
    tumen_error_format(&err, msg, sizeof msg);
    if (rc != TUMEN_EINPUT)
        fail_msg("code %d, want TUMEN_EINPUT: %s", rc, msg);
    assert_null(s);
    assert_string_equal(err.file, "bad.yaml");
    if (err.line != line)
        fail_msg("line %d, want %d: %s", err.line, line, msg);
    if (field && strcmp(err.field, field) != 0)
        fail_msg("field '%s', want '%s': %s", err.field, field, msg);
    if (needle && !strstr(err.message, needle))
        fail_msg("'%s' not in: %s", needle, msg);
}

static void test_complete_network(void **state)
{
    (void)state;
    tm_scenario *s = load_ok(network);
    const tm_network *n = &s->network;
    assert_int_equal(n->n_ops, 3);
    assert_int_equal(n->n_tracks, 2);
    const tm_op *a = &n->ops[0], *b = &n->ops[1], *c = &n->ops[2];
    assert_string_equal(a->name, "Alpha");
    assert_string_equal(b->name, "B");
    assert_int_equal(a->kind, TM_OP_STATION);
    assert_int_equal(b->kind, TM_OP_BORDER);
    assert_true(a->has_position);
    assert_close(a->lat, 42.4, 1e-12);
    assert_close(a->lon, 130.6, 1e-12);
    assert_false(c->has_position);
    assert_int_equal(a->n_loops, 2);
    assert_close(tm_op_longest_loop(a), 850.0, 1e-9);
    assert_close(tm_op_longest_loop(c), 0.0, 0.0);
    assert_true(b->bogie_exchange);
    assert_int_equal(b->exchange_gauges[0], 1435);
    assert_int_equal(b->exchange_gauges[1], 1520);
    assert_close(b->exchange_time, 7200.0, 1e-9);
    assert_true(b->locomotive_change);
    assert_close(b->locomotive_change_time, 1800.0, 1e-9);
    assert_false(a->bogie_exchange);

    const tm_track *ab = &n->tracks[0], *bc = &n->tracks[1];
    assert_int_equal(ab->from, 0);
    assert_int_equal(ab->to, 1);
    assert_close(ab->length, 5000.0, 1e-9);
    assert_int_equal(ab->main_tracks, 2);
    assert_int_equal(ab->n_gauges, 2);
    assert_int_equal(ab->gauges[1], 1520);
    assert_int_equal(ab->electrification, TM_ELEC_DC_3000);
    assert_close(ab->max_axle_load, 23500.0, 1e-9);
    assert_int_equal(ab->n_sections, 3);
    assert_close(ab->sections[0].speed_limit, 20 * KMH, 1e-12);
    assert_close(ab->sections[0].speed_limit_back, 25 * KMH, 1e-12);
    assert_close(ab->sections[0].gradient, 0.002, 1e-15);
    assert_close(ab->sections[0].radius, 600.0, 1e-12);
    /* The track's speed_limit is the default of sections that give none; back = forward. */
    assert_close(ab->sections[1].start, 1000.0, 1e-9);
    assert_close(ab->sections[1].speed_limit, 60 * KMH, 1e-12);
    assert_close(ab->sections[1].speed_limit_back, 60 * KMH, 1e-12);
    assert_close(ab->sections[2].end, 5000.0, 1e-9);
    assert_close(ab->sections[2].speed_limit_back, 40 * KMH, 1e-12);
    /* Signals sorted by position. */
    assert_int_equal(ab->n_signals, 2);
    assert_string_equal(ab->signals[0].id, "S1");
    assert_int_equal(ab->signals[0].direction, 1);
    assert_int_equal(ab->signals[1].direction, -1);
    /* Defaults: one section of the speed limit, 1435 mm, not electrified, single track. */
    assert_int_equal(bc->n_sections, 1);
    assert_close(bc->sections[0].end, 2000.0, 1e-9);
    assert_close(bc->sections[0].speed_limit_back, 80 * KMH, 1e-12);
    assert_int_equal(bc->n_gauges, 1);
    assert_int_equal(bc->gauges[0], 1435);
    assert_int_equal(bc->electrification, TM_ELEC_NONE);
    assert_int_equal(bc->main_tracks, 1);
    assert_close(bc->max_axle_load, 0.0, 0.0);
    /* Adjacency: B touches both tracks, A and C one each. */
    assert_int_equal(n->adj_start[1] - n->adj_start[0], 1);
    assert_int_equal(n->adj_start[2] - n->adj_start[1], 2);
    assert_int_equal(n->adj_start[3] - n->adj_start[2], 1);
    assert_int_equal(n->adj[n->adj_start[2]], 1);
    assert_int_equal(tm_network_find_op(n, "C"), 2);
    assert_int_equal(tm_network_find_track(n, "B-C"), 1);
    assert_int_equal(tm_network_find_op(n, "Z"), (size_t)-1);
    tm_scenario_free(s);
}

static void test_bad_references(void **state)
{
    (void)state;
    expect_error("      to: B\n", "      to: Nowhere\n", 13, "network.tracks[0].to",
                 "unknown operational point 'Nowhere'");
    expect_error("{id: B-C, from: B,", "{id: B-C, from: X,", 28, "network.tracks[1].from",
                 "unknown operational point 'X'");
    expect_error("    - {id: C}\n", "    - {id: A}\n", 9, "network.operational_points[2].id",
                 "duplicate operational point id 'A'");
    expect_error("{id: B-C,", "{id: A-B,", 28, "network.tracks[1].id", "duplicate track id");
    expect_error("{id: B-C, from: B, to: C,", "{id: B-C, from: B, to: B,", 28,
                 "network.tracks[1].to", "to itself");
}

static void test_bad_values(void **state)
{
    (void)state;
    expect_error("      length: 5 km\n", "      length: -5 km\n", 14, "network.tracks[0].length",
                 NULL);
    expect_error("length: 2 km, speed", "length: 0 km, speed", 28, "network.tracks[1].length",
                 NULL);
    expect_error("3 kV DC", "4 kV DC", 17, "network.tracks[0].electrification",
                 "unknown electrification '4 kV DC'");
    expect_error("gauges: [1435 mm, 1520 mm]\n", "gauges: [1435 mm, 1520 furlongs]\n", 16,
                 "network.tracks[0].gauges[1]", "furlongs");
    expect_error("kind: border", "kind: castle", 6, "network.operational_points[1].kind",
                 "unknown kind 'castle'");
    expect_error("[1435 mm, 1520 mm], time: 2 h}", "[1435 mm, 1435 mm], time: 2 h}", 7,
                 "network.operational_points[1].bogie_exchange.gauges", "itself");
    expect_error("position: [42.4, 130.6]", "position: [142.4, 130.6]", 3,
                 "network.operational_points[0].position[0]", NULL);
    expect_error("      main_tracks: 2\n", "      main_tracks: 2\n      colour: red\n", 16,
                 "network.tracks[0].colour", "unknown key 'colour'");
    expect_error("{id: B-C, from: B, to: C, length: 2 km, speed_limit: 80 km/h}",
                 "{id: B-C, from: B, to: C, length: 2 km}", 28, "network.tracks[1].speed_limit",
                 "missing");
}

static void test_bad_sections(void **state)
{
    (void)state;
    expect_error("        - {to: 4 km,", "        - {from: 0.5 km, to: 4 km,", 23,
                 "network.tracks[0].sections[1]", "overlaps the previous section");
    expect_error("        - {to: 4 km,", "        - {from: 1.5 km, to: 4 km,", 23,
                 "network.tracks[0].sections[1]", "leaves a gap");
    expect_error("{length: 1 km, speed_limit: 40 km/h}", "{length: 2 km, speed_limit: 40 km/h}",
                 24, "network.tracks[0].sections[2]", "beyond the track's length of 5000 m");
    expect_error("{length: 1 km, speed_limit: 40 km/h}",
                 "{length: 0.5 km, speed_limit: 40 km/h}", 21, "network.tracks[0].sections",
                 "short of the track's length");
    expect_error("{from: 0 km, to: 1 km, speed_limit: 20", "{from: 0.2 km, to: 1 km, speed_limit: 20",
                 21, "network.tracks[0].sections[0]", "out of range");
    expect_error("{at: 3 km, direction: backward}", "{at: 5.5 km, direction: backward}", 26,
                 "network.tracks[0].signals[0].at", "outside the track");
    expect_error("direction: backward", "direction: sideways", 26,
                 "network.tracks[0].signals[0].direction", "unknown direction");
}

/* A second file adds points and tracks that join the first file's points. */
static void test_two_files(void **state)
{
    (void)state;
    const char *more = "network:\n"
                       "  operational_points: [{id: D}]\n"
                       "  tracks: [{id: C-D, from: C, to: D, length: 1 km, speed_limit: 40}]\n";
    const char *dup = "network:\n"
                      "  operational_points: [{id: E}, {id: B}]\n";
    char dir[512];
    assert_non_null(mkdtemp(tm_test_tmp(dir, sizeof dir, "tumen-net-XXXXXX")));
    char p1[600], p2[600], p3[600];
    snprintf(p1, sizeof p1, "%s/a.yaml", dir);
    snprintf(p2, sizeof p2, "%s/b.yaml", dir);
    snprintf(p3, sizeof p3, "%s/c.yaml", dir);
    const char *texts[] = {network, more, dup};
    const char *paths[] = {p1, p2, p3};
    for (int i = 0; i < 3; i++) {
        FILE *f = fopen(paths[i], "w");
        assert_non_null(f);
        fputs(texts[i], f);
        fclose(f);
    }
    tm_scenario *s = NULL;
    tumen_error err;
    assert_int_equal(tm_scenario_load(&s, paths, 2, &err), TUMEN_OK);
    assert_int_equal(s->network.n_ops, 4);
    assert_int_equal(s->network.n_tracks, 3);
    assert_int_equal(s->network.tracks[2].from, 2);
    assert_int_equal(s->network.adj_start[4] - s->network.adj_start[3], 1);
    tm_scenario_free(s);
    const char *with_dup[] = {p1, p3};
    assert_int_equal(tm_scenario_load(&s, with_dup, 2, &err), TUMEN_EINPUT);
    assert_string_equal(err.file, p3);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "network.operational_points[1].id");
    for (int i = 0; i < 3; i++)
        remove(paths[i]);
    rmdir(dir);
}

static void test_electrification_names(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int want;
    } cases[] = {
        {"none", TM_ELEC_NONE},           {"3kV DC", TM_ELEC_DC_3000},
        {"3000 V DC", TM_ELEC_DC_3000},   {"3 kV", TM_ELEC_DC_3000},
        {"1.5kV DC", TM_ELEC_DC_1500},    {"750 V DC", TM_ELEC_DC_600},
        {"600V DC", TM_ELEC_DC_600},      {"25kV 50Hz", TM_ELEC_AC_25K_50},
        {"25 kV AC", TM_ELEC_AC_25K_50},  {"25 kV AC 50 Hz", TM_ELEC_AC_25K_50},
        {"15kV 16.7Hz", TM_ELEC_AC_15K_16_7}, {"15 kV 16 2/3 Hz", TM_ELEC_AC_15K_16_7},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tm_electrification e = TM_ELEC_COUNT_;
        if (tm_electrification_parse(cases[i].text, &e) != 0 || (int)e != cases[i].want)
            fail_msg("'%s' parsed as %d, want %d", cases[i].text, (int)e, cases[i].want);
    }
    static const char *const bad[] = {"", "4 kV DC", "25 kV DC", "3 kV 50 Hz", "lots", "3 kW"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tm_electrification e;
        if (tm_electrification_parse(bad[i], &e) == 0)
            fail_msg("'%s' was accepted", bad[i]);
    }
    /* Every name parses back to itself. */
    for (int k = 0; k < TM_ELEC_COUNT_; k++) {
        tm_electrification e;
        assert_int_equal(tm_electrification_parse(tm_electrification_name((tm_electrification)k),
                                                  &e),
                         0);
        assert_int_equal((int)e, k);
    }
    assert_null(tm_electrification_name(TM_ELEC_COUNT_));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complete_network), cmocka_unit_test(test_bad_references),
        cmocka_unit_test(test_bad_values),       cmocka_unit_test(test_bad_sections),
        cmocka_unit_test(test_two_files),        cmocka_unit_test(test_electrification_names),
    };
    return cmocka_run_group_tests_name("network", tests, NULL, NULL);
}
