/* test_switches.c: routes through switches on hand-made networks (model/network.h
 * connections, plan/route.c). Each switch kind: a point switch joins its toe to each branch
 * but never one branch to the other; a crossing goes straight over only; a double slip joins
 * its four pairs. Reversal only at a waypoint, with its time. A diverging speed holds over
 * the turnout. Bad `switches:` entries are errors naming the file, line and field. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/readers.h"
#include "model/network.h"
#include "model/scenario.h"
#include "plan/route.h"
#include "tumen.h"

/* A diesel train at 100 km/h: illustrative values (assumed). */
static const char stock[] =
    "vehicles:\n"
    "  - {id: dsl, kind: locomotive, power: diesel, mass: 88 t, length: 20 m, axles: 4,\n"
    "     max_speed: 100 km/h, traction: {max_force: 250 kN, max_power: 2000 kW},\n"
    "     resistance: {law: davis, a: 2 kN}, brake: {weight: 60 t}}\n"
    "trains:\n"
    "  - {id: diesel, consist: \"dsl\"}\n";

/* A point switch at J: toe J-T to T, branches J-L to L and J-R to R, each 1 km; L and R are
 * also joined the long way round (L-R, 20 km), so from L to R a train either goes round or,
 * with T as a waypoint, reverses at T. */
static const char point[] =
    "network:\n"
    "  operational_points:\n"
    "    - {id: T, name: Toe}\n"
    "    - {id: J, name: Junction, kind: junction}\n"
    "    - {id: L, name: Left}\n"
    "    - {id: R, name: Right}\n"
    "  tracks:\n"
    "    - {id: J-T, from: J, to: T, length: 1 km, speed_limit: 100 km/h}\n"
    "    - {id: J-L, from: J, to: L, length: 1 km, speed_limit: 100 km/h}\n"
    "    - {id: J-R, from: J, to: R, length: 1 km, speed_limit: 100 km/h}\n"
    "    - {id: L-R, from: L, to: R, length: 20 km, speed_limit: 100 km/h}\n"
    "  switches:\n"
    "    - {id: W1, at: J, connects: [[J-T, J-L], [J-T, J-R]]}\n";

/* A crossing or slip at X of two lines, N-X-S and W-X-E, each arm 1 km; %s is the switch. */
static const char cross[] =
    "network:\n"
    "  operational_points:\n"
    "    - {id: N, name: North}\n"
    "    - {id: S, name: South}\n"
    "    - {id: W, name: West}\n"
    "    - {id: E, name: East}\n"
    "    - {id: X, name: Crossing, kind: junction}\n"
    "  tracks:\n"
    "    - {id: N-X, from: N, to: X, length: 1 km, speed_limit: 100 km/h}\n"
    "    - {id: X-S, from: X, to: S, length: 1 km, speed_limit: 100 km/h}\n"
    "    - {id: W-X, from: W, to: X, length: 1 km, speed_limit: 100 km/h}\n"
    "    - {id: X-E, from: X, to: E, length: 1 km, speed_limit: 100 km/h}\n"
    "  switches:\n"
    "    - %s\n";

static tm_scenario *load(const char *network)
{
    size_t n = strlen(network) + sizeof stock;
    char *text = malloc(n);
    assert_non_null(text);
    snprintf(text, n, "%s%s", stock, network);
    tm_scenario *s = NULL;
    tumen_error err;
    int rc = tm_scenario_load_text(&s, "switches.yaml", text, strlen(text), &err);
    free(text);
    if (rc != TUMEN_OK) {
        char msg[1024];
        tumen_error_format(&err, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    return s;
}

/* Routes train 0 over the waypoints (ids); returns the status, fills *r. */
static int route(const tm_scenario *s, const char *const *ids, size_t n, tm_route *r,
                 tumen_error *err)
{
    size_t wp[8];
    for (size_t i = 0; i < n; i++) {
        wp[i] = tm_network_find_op(&s->network, ids[i]);
        assert_true(wp[i] != (size_t)-1);
    }
    tm_route_request req = {0, NULL, 0, wp, n, NULL, 0};
    return tm_route_find(s, &req, r, err);
}

static const char *track_id(const tm_scenario *s, const tm_route *r, size_t i)
{
    return s->network.tracks[r->steps[i].track].id;
}

static void test_point_switch_branches(void **state)
{
    (void)state;
    tm_scenario *s = load(point);
    tm_route r;
    tumen_error err;
    /* Toe to each branch: straight through J. */
    const char *tl[] = {"T", "L"};
    assert_int_equal(route(s, tl, 2, &r, &err), TUMEN_OK);
    assert_int_equal(r.n_steps, 2);
    assert_string_equal(track_id(s, &r, 0), "J-T");
    assert_string_equal(track_id(s, &r, 1), "J-L");
    assert_float_equal(r.length, 2000.0, 1e-6);
    tm_route_free(&r);
    /* Branch to branch: not through J (that needs a reversal), but the long way round. */
    const char *lr[] = {"L", "R"};
    assert_int_equal(route(s, lr, 2, &r, &err), TUMEN_OK);
    assert_int_equal(r.n_steps, 1);
    assert_string_equal(track_id(s, &r, 0), "L-R");
    assert_float_equal(r.length, 20000.0, 1e-6);
    tm_route_free(&r);
    /* With the toe's far end as a waypoint the train may reverse there, and pays for it. */
    const char *ltr[] = {"L", "T", "R"};
    assert_int_equal(route(s, ltr, 3, &r, &err), TUMEN_OK);
    assert_int_equal(r.n_steps, 4);
    assert_float_equal(r.length, 4000.0, 1e-6);
    assert_string_equal(track_id(s, &r, 1), "J-T");
    assert_string_equal(track_id(s, &r, 2), "J-T");
    assert_true(r.steps[1].forward && !r.steps[2].forward);
    assert_float_equal(r.change_time[2], TM_REVERSAL_TIME_DEFAULT, 1e-9);
    assert_float_equal(r.change_time[1] + r.change_time[3], 0.0, 1e-9);
    /* The engine's lines: the reversal is a stop with its time and says so. */
    tm_route_legs legs;
    tm_route_request req = {0, NULL, 0, NULL, 0, NULL, 0};
    assert_int_equal(tm_route_legs_build(s, &r, &req, &legs, &err), TUMEN_OK);
    assert_int_equal(legs.n, 2);
    assert_float_equal(legs.legs[1].change_time, TM_REVERSAL_TIME_DEFAULT, 1e-9);
    assert_non_null(strstr(legs.legs[1].change, "reversal"));
    tm_route_legs_free(&legs);
    tm_route_free(&r);
    tm_scenario_free(s);
}

static void test_point_switch_without_way_round(void **state)
{
    (void)state;
    /* Without L-R there is no legal way from L to R at all. */
    char *net = strdup(point);
    assert_non_null(net);
    char *lr = strstr(net, "    - {id: L-R");
    char *end = strchr(lr, '\n');
    memmove(lr, end + 1, strlen(end + 1) + 1);
    tm_scenario *s = load(net);
    free(net);
    tm_route r;
    tumen_error err;
    const char *ids[] = {"L", "R"};
    assert_int_equal(route(s, ids, 2, &r, &err), TUMEN_EINPUT);
    tm_route_free(&r);
    tm_scenario_free(s);
}

/* Is there a route from a to b (the shortest of 2 km through X)? */
static int joins(const tm_scenario *s, const char *a, const char *b)
{
    tm_route r;
    tumen_error err;
    const char *ids[] = {a, b};
    int rc = route(s, ids, 2, &r, &err);
    int ok = rc == TUMEN_OK && fabs(r.length - 2000.0) < 1e-6;
    tm_route_free(&r);
    return ok;
}

static void test_crossing_and_slips(void **state)
{
    (void)state;
    char net[4096];
    /* A crossing (a diamond without slips): straight over only. */
    snprintf(net, sizeof net, cross, "{id: X1, at: X, connects: [[N-X, X-S], [W-X, X-E]]}");
    tm_scenario *s = load(net);
    assert_true(joins(s, "N", "S") && joins(s, "S", "N"));
    assert_true(joins(s, "W", "E") && joins(s, "E", "W"));
    assert_false(joins(s, "N", "E") || joins(s, "N", "W") || joins(s, "S", "E") ||
                 joins(s, "S", "W"));
    tm_scenario_free(s);
    /* A double slip: the two straight ways and the two turning ways of its four pairs. */
    snprintf(net, sizeof net, cross,
             "{id: X2, at: X, connects: [[N-X, X-S], [W-X, X-E], [N-X, X-E], [W-X, X-S]]}");
    s = load(net);
    assert_true(joins(s, "N", "S") && joins(s, "W", "E") && joins(s, "N", "E") &&
                joins(s, "W", "S") && joins(s, "E", "N") && joins(s, "S", "W"));
    assert_false(joins(s, "N", "W") || joins(s, "S", "E"));
    tm_scenario_free(s);
    /* Without a switch entry X is free: any track into any other. */
    snprintf(net, sizeof net, "%.*s", (int)(strstr(cross, "  switches:") - cross), cross);
    s = load(net);
    assert_true(joins(s, "N", "W") && joins(s, "S", "E"));
    tm_scenario_free(s);
}

static void test_diverging_speed(void **state)
{
    (void)state;
    /* The branch J-R has a diverging speed of 40 km/h: the line holds it over the turnout
     * (30 m either side of the switch's point, assumed) and nowhere else; the straight way
     * J-L keeps 100 km/h. Written back, the network says so again. */
    char net[4096];
    snprintf(net, sizeof net, "%s", point);
    char *w = strstr(net, "[J-T, J-R]");
    assert_non_null(w);
    const char *speedy = "{tracks: [J-T, J-R], speed_limit: 40 km/h}";
    memmove(w + strlen(speedy), w + strlen("[J-T, J-R]"), strlen(w + strlen("[J-T, J-R]")) + 1);
    memcpy(w, speedy, strlen(speedy));
    tm_scenario *s = load(net);
    tumen_error err;
    for (int branch = 0; branch < 2; branch++) {
        tm_route r;
        const char *ids[] = {"T", branch ? "R" : "L"};
        assert_int_equal(route(s, ids, 2, &r, &err), TUMEN_OK);
        tm_route_legs legs;
        tm_route_request req = {0, NULL, 0, NULL, 0, NULL, 0};
        assert_int_equal(tm_route_legs_build(s, &r, &req, &legs, &err), TUMEN_OK);
        const tm_line *line = &legs.lines[0];
        double slow_from = INFINITY, slow_to = -INFINITY, prev_end = 0.0;
        for (size_t i = 0; i < line->n_sections; i++) {
            const tm_section *sec = &line->sections[i];
            assert_float_equal(sec->start, prev_end, 1e-9); /* contiguous */
            prev_end = sec->end;
            if (sec->speed_limit < 100.0 / 3.6 - 1e-9) {
                assert_float_equal(sec->speed_limit, 40.0 / 3.6, 1e-9);
                slow_from = fmin(slow_from, sec->start);
                slow_to = fmax(slow_to, sec->end);
            }
        }
        assert_float_equal(prev_end, 2000.0, 1e-9);
        if (branch) {
            assert_float_equal(slow_from, 970.0, 1e-9);
            assert_float_equal(slow_to, 1030.0, 1e-9);
        } else {
            assert_true(isinf(slow_from));
        }
        tm_route_legs_free(&legs);
        tm_route_free(&r);
    }
    tm_scenario_free(s);
}

/* A bad switches entry: exit class, line and field. */
static void expect_error(const char *entry, int line, const char *field, const char *words)
{
    char net[4096], text[8192];
    snprintf(net, sizeof net, cross, entry);
    snprintf(text, sizeof text, "%s%s", stock, net);
    tm_scenario *s = NULL;
    tumen_error err;
    assert_int_equal(tm_scenario_load_text(&s, "bad.yaml", text, strlen(text), &err),
                     TUMEN_EINPUT);
    assert_null(s);
    assert_int_equal(err.line, line);
    assert_string_equal(err.field, field);
    assert_non_null(strstr(err.message, words));
}

static void test_bad_switches(void **state)
{
    (void)state;
    const int line = 20; /* the entry's line: stock (6 lines) + network (13) + 1 */
    expect_error("{at: X, connects: [[N-X, Y-Z]]}", line, "network.switches[0].connects[0]",
                 "unknown track 'Y-Z'");
    expect_error("{at: Q, connects: [[N-X, X-S]]}", line, "network.switches[0].at",
                 "unknown operational point 'Q'");
    expect_error("{at: N, connects: [[N-X, X-S]]}", line, "network.switches[0].connects[0]",
                 "does not end at operational point 'N'");
    expect_error("{at: X, connects: [[N-X]]}", line, "network.switches[0].connects[0]",
                 "a pair of tracks");
    expect_error("{at: X, connects: [[N-X, N-X]]}", line, "network.switches[0].connects[0]",
                 "does not connect to itself");
    expect_error("{at: X, links: []}", line, "network.switches[0].links", "unknown key");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_point_switch_branches),
        cmocka_unit_test(test_point_switch_without_way_round),
        cmocka_unit_test(test_crossing_and_slips),
        cmocka_unit_test(test_diverging_speed),
        cmocka_unit_test(test_bad_switches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
