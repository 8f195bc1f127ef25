/* test_route.c: routing over small hand-built networks (plan/route.h): for each constraint
 * (gauge, traction, axle load, length) one network where it forbids the fastest way and a
 * longer legal one is taken, and one where it leaves no way, with the error naming the
 * constraint and the place; consist changes at a bogie exchange and a locomotive change;
 * waypoints in order; the lines built from a route (direction, stops, changes) and the
 * engine run over them; and the flagship, Pyongyang - Vladivostok, against its journey. */
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
#include "run/run.h"
#include "tumen.h"

#define KMH (1.0 / 3.6)

/* Rolling stock for every test: 1435 mm unless named 1520; axle loads 20 t (e3), 22 t (dsl),
 * 25 t (heavy); coaches 25 m. Trains: elec 120 m (3 kV DC only), diesel 120 m, heavy, long
 * 520 m, broad (1520 mm) 120 m. All 100 km/h. */
static const char stock[] =
    "vehicles:\n"
    "  - {id: e3, kind: locomotive, power: electric, electrification: 3kV DC, mass: 80 t,\n"
    "     length: 20 m, axles: 4, max_speed: 100 km/h, traction: {max_force: 250 kN,\n"
    "     max_power: 3000 kW}, resistance: {law: davis, a: 2 kN}, brake: {weight: 60 t}}\n"
    "  - {id: dsl, kind: locomotive, power: diesel, mass: 88 t, length: 20 m, axles: 4,\n"
    "     max_speed: 100 km/h, traction: {max_force: 250 kN, max_power: 2000 kW},\n"
    "     resistance: {law: davis, a: 2 kN}, brake: {weight: 60 t}}\n"
    "  - {id: heavy, kind: locomotive, power: diesel, mass: 100 t, length: 20 m, axles: 4,\n"
    "     max_speed: 100 km/h, traction: {max_force: 250 kN, max_power: 2000 kW},\n"
    "     resistance: {law: davis, a: 2 kN}, brake: {weight: 60 t}}\n"
    "  - {id: dsl1520, kind: locomotive, power: diesel, gauge: 1520 mm, mass: 88 t,\n"
    "     length: 20 m, axles: 4, max_speed: 100 km/h, traction: {max_force: 250 kN,\n"
    "     max_power: 2000 kW}, resistance: {law: davis, a: 2 kN}, brake: {weight: 60 t}}\n"
    "  - {id: coach, kind: coach, mass: 40 t, length: 25 m, axles: 4,\n"
    "     resistance: {law: davis, a: 1 kN}, brake: {weight: 40 t}}\n"
    "  - {id: coach1520, kind: coach, gauge: 1520 mm, mass: 40 t, length: 25 m, axles: 4,\n"
    "     resistance: {law: davis, a: 1 kN}, brake: {weight: 40 t}}\n"
    "trains:\n"
    "  - {id: elec, consist: \"e3 + 4 x coach\"}\n"
    "  - {id: diesel, consist: \"dsl + 4 x coach\"}\n"
    "  - {id: heavy, consist: \"heavy + 4 x coach\"}\n"
    "  - {id: long, consist: \"dsl + 20 x coach\"}\n"
    "  - {id: broad, consist: \"dsl1520 + 4 x coach1520\"}\n";

/* The diamond: A - B - C is 20 km, A - D - C 30 km, all at 100 km/h. Each test puts its own
 * properties on the tracks through the %s slots (A-B, B-C, A-D, D-C) and on B and D. */
static const char diamond[] =
    "network:\n"
    "  operational_points:\n"
    "    - {id: A, name: Alpha}\n"
    "    - {id: B, name: Bravo%s}\n"
    "    - {id: C, name: Charlie}\n"
    "    - {id: D, name: Delta%s}\n"
    "  tracks:\n"
    "    - {id: A-B, from: A, to: B, length: 10 km, speed_limit: 100 km/h%s}\n"
    "    - {id: B-C, from: B, to: C, length: 10 km, speed_limit: 100 km/h%s}\n"
    "    - {id: A-D, from: A, to: D, length: 15 km, speed_limit: 100 km/h%s}\n"
    "    - {id: D-C, from: D, to: C, length: 15 km, speed_limit: 100 km/h%s}\n";

typedef struct props {
    const char *b, *d, *ab, *bc, *ad, *dc;
} props;

static tm_scenario *load_text(const char *text)
{
    tm_scenario *s = NULL;
    tumen_error err;
    if (tm_scenario_load_text(&s, "route.yaml", text, strlen(text), &err) != TUMEN_OK) {
        char msg[1024];
        tumen_error_format(&err, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    return s;
}

static tm_scenario *load_diamond(props p)
{
    char net[4096], text[16384];
    snprintf(net, sizeof net, diamond, p.b ? p.b : "", p.d ? p.d : "", p.ab ? p.ab : "",
             p.bc ? p.bc : "", p.ad ? p.ad : "", p.dc ? p.dc : "");
    snprintf(text, sizeof text, "%s%s", stock, net);
    return load_text(text);
}

static size_t train(const tm_scenario *s, const char *id)
{
    size_t i = tm_scenario_find_train(s, id);
    assert_true(i != (size_t)-1);
    return i;
}

static size_t op(const tm_scenario *s, const char *id)
{
    size_t i = tm_network_find_op(&s->network, id);
    assert_true(i != (size_t)-1);
    return i;
}

/* The route's operational points as "A B C". */
static void route_ops(const tm_scenario *s, const tm_route *r, char *buf, size_t size)
{
    const tm_network *n = &s->network;
    size_t at = r->origin;
    snprintf(buf, size, "%s", n->ops[at].id);
    for (size_t i = 0; i < r->n_steps; i++) {
        const tm_track *t = &n->tracks[r->steps[i].track];
        at = r->steps[i].forward ? t->to : t->from;
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, " %s", n->ops[at].id);
    }
}

typedef struct request {
    const char *train;
    const char *waypoints[6];
    const char *changes[4];
    const char *stops[4];
} request;

/* Routes req; returns the status, fills r (caller frees) and err. */
static int find(const tm_scenario *s, request q, tm_route *r, tumen_error *err)
{
    size_t wp[6], ch[4], n_wp = 0, n_ch = 0, n_st = 0;
    tm_service_stop st[4];
    for (; n_wp < 6 && q.waypoints[n_wp]; n_wp++)
        wp[n_wp] = op(s, q.waypoints[n_wp]);
    for (; n_ch < 4 && q.changes[n_ch]; n_ch++)
        ch[n_ch] = train(s, q.changes[n_ch]);
    for (; n_st < 4 && q.stops[n_st]; n_st++)
        st[n_st] = (tm_service_stop){op(s, q.stops[n_st]), 60.0};
    tm_route_request req = {train(s, q.train), ch, n_ch, wp, n_wp, st, n_st};
    return tm_route_find(s, &req, r, err);
}

/* Expects a route through `want` (ops separated by spaces). */
static void expect_route(const tm_scenario *s, request q, const char *want)
{
    tm_route r;
    tumen_error err;
    if (find(s, q, &r, &err) != TUMEN_OK)
        fail_msg("no route: %s", err.message);
    char got[256];
    route_ops(s, &r, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("route %s, want %s", got, want);
    tm_route_free(&r);
}

/* Expects no route, with every needle in the message. */
static void expect_no_route(const tm_scenario *s, request q, const char *const *needles)
{
    tm_route r;
    tumen_error err;
    int rc = find(s, q, &r, &err);
    if (rc != TUMEN_EINPUT)
        fail_msg("status %d, want TUMEN_EINPUT (%s)", rc, err.message);
    assert_int_equal(r.n_steps, 0);
    assert_null(r.steps);
    for (size_t i = 0; needles[i]; i++)
        if (!strstr(err.message, needles[i]))
            fail_msg("'%s' not in: %s", needles[i], err.message);
}

static void test_fastest(void **state)
{
    (void)state;
    tm_scenario *s = load_diamond((props){0});
    request q = {"diesel", {"A", "C"}, {0}, {0}};
    tm_route r;
    tumen_error err;
    assert_int_equal(find(s, q, &r, &err), TUMEN_OK);
    char got[64];
    route_ops(s, &r, got, sizeof got);
    assert_string_equal(got, "A B C");
    assert_true(fabs(r.length - 20000.0) < 1e-6);
    assert_true(fabs(r.estimated_time - 20000.0 / (100 * KMH)) < 1e-6);
    assert_int_equal(r.steps[0].train, train(s, "diesel"));
    assert_true(r.change_time[0] == 0.0 && r.change_time[1] == 0.0);
    tm_route_free(&r);
    /* Backwards over the same tracks. */
    expect_route(s, (request){"diesel", {"C", "A"}, {0}, {0}}, "C B A");
    tm_scenario_free(s);
}

static void test_gauge(void **state)
{
    (void)state;
    tm_scenario *s = load_diamond((props){.ab = ", gauges: [1520 mm]"});
    expect_route(s, (request){"diesel", {"A", "C"}, {0}, {0}}, "A D C");
    expect_route(s, (request){"broad", {"A", "B"}, {0}, {0}}, "A B");
    tm_scenario_free(s);
    s = load_diamond((props){.ab = ", gauges: [1520 mm]", .ad = ", gauges: [1520 mm]"});
    const char *why[] = {"no route for 'diesel' from A to C", "track A-",
                         "has no 1435 mm gauge (it has 1520 mm",
                         "a bogie exchange would be needed at A, which has none", NULL};
    expect_no_route(s, (request){"diesel", {"A", "C"}, {0}, {0}}, why);
    tm_scenario_free(s);
}

static void test_traction(void **state)
{
    (void)state;
    const char *wire = ", electrification: 3kV DC";
    tm_scenario *s = load_diamond((props){.ab = wire, .ad = wire, .dc = wire});
    expect_route(s, (request){"elec", {"A", "C"}, {0}, {0}}, "A D C");
    expect_route(s, (request){"diesel", {"A", "C"}, {0}, {0}}, "A B C"); /* diesel anywhere */
    tm_scenario_free(s);
    s = load_diamond((props){.ab = wire, .ad = wire});
    const char *why[] = {"no route for 'elec' from A to C",
                         "track B-C has no 3kV DC electrification (it is not electrified; "
                         "'elec' draws from 3kV DC)",
                         "a locomotive change to a diesel would be needed at B, which has no "
                         "locomotive change facility",
                         NULL};
    expect_no_route(s, (request){"elec", {"A", "C"}, {0}, {0}}, why);
    tm_scenario_free(s);
    /* Under another system. */
    s = load_diamond((props){.ab = wire, .ad = wire, .bc = ", electrification: 25kV 50Hz",
                             .dc = ", electrification: 25kV 50Hz"});
    const char *why2[] = {"track B-C has no 3kV DC electrification (it has 25kV 50Hz",
                          "a diesel or a 25kV 50Hz electric", NULL};
    expect_no_route(s, (request){"elec", {"A", "C"}, {0}, {0}}, why2);
    tm_scenario_free(s);
}

static void test_axle_load(void **state)
{
    (void)state;
    tm_scenario *s = load_diamond((props){.bc = ", max_axle_load: 21 t"});
    expect_route(s, (request){"diesel", {"A", "C"}, {0}, {0}}, "A D C");  /* 22 t */
    expect_route(s, (request){"heavy", {"A", "C"}, {0}, {0}}, "A D C");   /* 25 t */
    tm_scenario_free(s);
    s = load_diamond((props){.bc = ", max_axle_load: 22 t"});
    expect_route(s, (request){"diesel", {"A", "C"}, {0}, {0}}, "A B C");  /* 22 t fits */
    tm_scenario_free(s);
    s = load_diamond((props){.bc = ", max_axle_load: 21 t", .dc = ", max_axle_load: 21 t"});
    const char *why[] = {"no route for 'diesel' from A to C",
                         "track B-C allows 21.0 t per axle, 'diesel' has 22.0 t", NULL};
    expect_no_route(s, (request){"diesel", {"A", "C"}, {0}, {0}}, why);
    tm_scenario_free(s);
}

static void test_length(void **state)
{
    (void)state;
    /* long is 520 m; it must stop at B or D if it passes them. */
    tm_scenario *s = load_diamond((props){.b = ", loops: [400 m]", .d = ", loops: [600 m]"});
    request q = {"long", {"A", "C"}, {0}, {"B", "D"}};
    expect_route(s, q, "A D C");
    q.train = "diesel"; /* 120 m fits everywhere */
    expect_route(s, q, "A B C");
    /* Without a stop there, the loop does not matter; origin and destination never do. */
    expect_route(s, (request){"long", {"A", "C"}, {0}, {"A", "C"}}, "A B C");
    tm_scenario_free(s);
    s = load_diamond((props){.b = ", loops: [400 m]", .d = ", loops: [450 m, 300 m]"});
    const char *why[] = {"no route for 'long' from A to C",
                         "'long' (520 m) cannot stop at B (a requested stop): its longest loop "
                         "is 400 m",
                         NULL};
    expect_no_route(s, (request){"long", {"A", "C"}, {0}, {"B", "D"}}, why);
    tm_scenario_free(s);
    s = load_diamond((props){0});
    const char *why2[] = {"cannot stop at B (a requested stop): it has no loop", NULL};
    expect_no_route(s, (request){"long", {"A", "C"}, {0}, {"B", "D"}}, why2);
    tm_scenario_free(s);
}

static void test_bogie_exchange(void **state)
{
    (void)state;
    tm_scenario *s =
        load_diamond((props){.b = ", loops: [600 m], bogie_exchange: {gauges: [1435 mm, "
                                  "1520 mm], time: 2 h}",
                             .bc = ", gauges: [1520 mm]", .dc = ", gauges: [1520 mm]"});
    /* Without an allowed 1520 mm train, nothing; with one, the exchange at B. */
    const char *why[] = {"track B-C has no 1435 mm gauge",
                         "B has a bogie exchange (1435 to 1520 mm), but no allowed train of "
                         "the other gauge",
                         NULL};
    expect_no_route(s, (request){"diesel", {"A", "C"}, {0}, {0}}, why);
    request q = {"diesel", {"A", "C"}, {"broad"}, {0}};
    tm_route r;
    tumen_error err;
    assert_int_equal(find(s, q, &r, &err), TUMEN_OK);
    char got[64];
    route_ops(s, &r, got, sizeof got);
    assert_string_equal(got, "A B C");
    assert_int_equal(r.steps[0].train, train(s, "diesel"));
    assert_int_equal(r.steps[1].train, train(s, "broad"));
    assert_true(r.change_time[1] == 7200.0);
    assert_true(fabs(r.estimated_time - (20000.0 / (100 * KMH) + 7200.0)) < 1e-6);

    /* Two legs, the second after the exchange, and the engine runs them. */
    size_t wp[2] = {op(s, "A"), op(s, "C")}, ch[1] = {train(s, "broad")};
    tm_route_request req = {train(s, "diesel"), ch, 1, wp, 2, NULL, 0};
    tm_route_legs legs;
    assert_int_equal(tm_route_legs_build(s, &r, &req, &legs, &err), TUMEN_OK);
    assert_int_equal(legs.n, 2);
    assert_null(legs.legs[0].change);
    assert_non_null(legs.legs[1].change);
    assert_non_null(strstr(legs.legs[1].change, "bogie exchange 1435 mm to 1520 mm"));
    assert_true(legs.legs[1].change_time == 7200.0);
    assert_ptr_equal(legs.legs[1].train, &s->trains[train(s, "broad")]);
    assert_string_equal(legs.lines[0].points[0].name, "Alpha");
    assert_string_equal(legs.lines[1].points[1].name, "Charlie");
    tumen_result *res = NULL;
    assert_int_equal(tm_run_journey(legs.legs, legs.n, NULL, -1.0, &res, &err), TUMEN_OK);
    assert_int_equal(res->n_legs, 2);
    assert_true(fabs(res->distance - 20000.0) < 1e-3);
    /* The running time is at least the bound plus the exchange, and not far above it. */
    assert_true(res->running_time >= r.estimated_time);
    assert_true(res->running_time < r.estimated_time + 600.0);
    int saw_change = 0;
    for (size_t i = 0; i < res->n_timing_points; i++)
        if (!strcmp(res->timing_points[i].name, "Bravo")) {
            saw_change = strstr(res->timing_points[i].change, "bogie exchange") != NULL;
            assert_true(res->timing_points[i].departure - res->timing_points[i].arrival >=
                        7200.0 - 1e-6);
        }
    assert_true(saw_change);
    tumen_result_destroy(res);
    tm_route_legs_free(&legs);
    tm_route_free(&r);
    tm_scenario_free(s);

    /* The exchange needs a loop for the train. */
    s = load_diamond((props){.b = ", loops: [100 m], bogie_exchange: {gauges: [1435 mm, "
                                  "1520 mm], time: 2 h}",
                             .bc = ", gauges: [1520 mm]", .dc = ", gauges: [1520 mm]"});
    const char *why2[] = {"(120 m) cannot stop at B (for the consist change): its longest loop "
                          "is 100 m",
                          "B has a bogie exchange, but no loop long enough for the change",
                          NULL};
    expect_no_route(s, q, why2);
    tm_scenario_free(s);
}

static void test_locomotive_change(void **state)
{
    (void)state;
    const char *wire = ", electrification: 3kV DC";
    tm_scenario *s = load_diamond(
        (props){.b = ", loops: [600 m], locomotive_change: {time: 30 min}", .ab = wire});
    request q = {"elec", {"A", "C"}, {"diesel", "broad"}, {0}};
    tm_route r;
    tumen_error err;
    assert_int_equal(find(s, q, &r, &err), TUMEN_OK);
    char got[64];
    route_ops(s, &r, got, sizeof got);
    assert_string_equal(got, "A B C");
    assert_int_equal(r.steps[0].train, train(s, "elec"));
    assert_int_equal(r.steps[1].train, train(s, "diesel")); /* not broad: no exchange */
    assert_true(r.change_time[1] == 1800.0);
    size_t wp[2] = {op(s, "A"), op(s, "C")};
    tm_route_request req = {train(s, "elec"), NULL, 0, wp, 2, NULL, 0};
    tm_route_legs legs;
    assert_int_equal(tm_route_legs_build(s, &r, &req, &legs, &err), TUMEN_OK);
    assert_int_equal(legs.n, 2);
    assert_non_null(strstr(legs.legs[1].change, "locomotive change"));
    tm_route_legs_free(&legs);
    tm_route_free(&r);
    /* Not changing when it need not: the diesel alone keeps its train. */
    expect_route(s, (request){"diesel", {"A", "C"}, {"elec"}, {0}}, "A B C");
    tm_scenario_free(s);
    /* A change needs the facility: here at D, where the change is, not at B. */
    s = load_diamond((props){.d = ", loops: [600 m], locomotive_change: {time: 30 min}",
                             .ab = wire, .ad = wire});
    expect_route(s, q, "A D C");
    tm_scenario_free(s);
}

/* The ring A-B-C-D-A (10, 11, 12, 15 km; B to C has 1 km of 40 km/h backwards): waypoints in order, a reversal, mirrored tracks. */
static void test_waypoints(void **state)
{
    (void)state;
    char text[16384];
    snprintf(text, sizeof text, "%s%s", stock,
             "network:\n"
             "  operational_points: [{id: A}, {id: B}, {id: C}, {id: D, loops: [500 m]}]\n"
             "  tracks:\n"
             "    - {id: AB, from: A, to: B, length: 10 km, speed_limit: 100 km/h}\n"
             "    - id: BC\n"
             "      from: B\n"
             "      to: C\n"
             "      length: 11 km\n"
             "      sections:\n"
             "        - {from: 0 km, to: 1 km, speed_limit: 100 km/h, speed_limit_back: 40 km/h,\n"
             "           gradient: 5 permille}\n"
             "        - {to: 11 km, speed_limit: 100 km/h, gradient: -2 permille}\n"
             "    - {id: CD, from: C, to: D, length: 12 km, speed_limit: 100 km/h}\n"
             "    - {id: DA, from: D, to: A, length: 15 km, speed_limit: 100 km/h}\n");
    tm_scenario *s = load_text(text);
    expect_route(s, (request){"diesel", {"A", "C"}, {0}, {0}}, "A B C");
    expect_route(s, (request){"diesel", {"A", "D", "C"}, {0}, {0}}, "A D C");
    /* D, then B, then C: passing C on the way to B does not end the route. */
    expect_route(s, (request){"diesel", {"A", "D", "B", "C"}, {0}, {0}}, "A D C B C");
    /* A repeated waypoint is one waypoint; origin = destination is an error. */
    expect_route(s, (request){"diesel", {"A", "A", "B"}, {0}, {0}}, "A B");
    tm_route r;
    tumen_error err;
    assert_int_equal(find(s, (request){"diesel", {"A", "A"}, {0}, {0}}, &r, &err),
                     TUMEN_EINPUT);
    assert_non_null(strstr(err.message, "origin is the destination"));

    /* The lines of A D C B C: one leg; BC run backwards then forwards, a stop at B. */
    assert_int_equal(find(s, (request){"diesel", {"A", "D", "B", "C"}, {0}, {"D"}}, &r, &err),
                     TUMEN_OK);
    size_t wp[4] = {op(s, "A"), op(s, "D"), op(s, "B"), op(s, "C")};
    tm_service_stop st[1] = {{op(s, "D"), 120.0}};
    tm_route_request req = {train(s, "diesel"), NULL, 0, wp, 4, st, 1};
    tm_route_legs legs;
    assert_int_equal(tm_route_legs_build(s, &r, &req, &legs, &err), TUMEN_OK);
    assert_int_equal(legs.n, 1);
    const tm_line *l = &legs.lines[0];
    assert_int_equal(l->n_points, 5);
    assert_true(l->points[1].stop && l->points[1].dwell == 120.0); /* D */
    assert_false(l->points[2].stop);                                /* C, passed */
    assert_true(l->points[3].stop);                                 /* B, reverses */
    assert_true(fabs(l->points[3].position - 38000.0) < 1e-6);
    assert_true(fabs(l->sections[l->n_sections - 1].end - 49000.0) < 1e-6);
    /* BC backwards: from 27 km, 10 km at -(-2) = +2 permille, then 1 km at -5, 40 km/h. */
    int found_back = 0, found_fwd = 0;
    for (size_t i = 0; i < l->n_sections; i++) {
        const tm_section *sec = &l->sections[i];
        if (fabs(sec->start - 37000.0) < 1e-6) {
            found_back = fabs(sec->gradient + 0.005) < 1e-12 &&
                         fabs(sec->speed_limit - 40 * KMH) < 1e-12 &&
                         fabs(sec->end - 38000.0) < 1e-6;
        }
        if (fabs(sec->start - 27000.0) < 1e-6)
            assert_true(fabs(sec->gradient - 0.002) < 1e-12);
        if (fabs(sec->start - 38000.0) < 1e-6)
            found_fwd = fabs(sec->gradient - 0.005) < 1e-12 &&
                        fabs(sec->speed_limit - 100 * KMH) < 1e-12;
        if (i > 0)
            assert_true(sec->start == l->sections[i - 1].end);
    }
    assert_true(found_back);
    assert_true(found_fwd);
    tm_route_legs_free(&legs);
    tm_route_free(&r);
    tm_scenario_free(s);
}

static void test_unreachable_and_usage(void **state)
{
    (void)state;
    char text[16384];
    snprintf(text, sizeof text, "%s%s", stock,
             "network:\n"
             "  operational_points: [{id: A}, {id: B}, {id: X}]\n"
             "  tracks: [{id: AB, from: A, to: B, length: 10 km, speed_limit: 100 km/h}]\n");
    tm_scenario *s = load_text(text);
    const char *why[] = {"no route for 'diesel' from A to X: no tracks join A and X", NULL};
    expect_no_route(s, (request){"diesel", {"A", "X"}, {0}, {0}}, why);
    const char *why2[] = {"from A to X via B: no tracks join B and X", NULL};
    expect_no_route(s, (request){"diesel", {"A", "B", "X"}, {0}, {0}}, why2);
    tm_route r;
    tumen_error err;
    size_t wp[2] = {0, 99};
    tm_route_request req = {0, NULL, 0, wp, 2, NULL, 0};
    assert_int_equal(tm_route_find(s, &req, &r, &err), TUMEN_EUSAGE);
    req.n_waypoints = 1;
    wp[1] = 1;
    assert_int_equal(tm_route_find(s, &req, &r, &err), TUMEN_EUSAGE);
    req.n_waypoints = 2;
    req.train = 1000;
    assert_int_equal(tm_route_find(s, &req, &r, &err), TUMEN_EUSAGE);
    tm_scenario_free(s);
    /* No network at all. */
    s = load_text(stock);
    req.train = 0;
    assert_int_equal(tm_route_find(s, &req, &r, &err), TUMEN_EINPUT);
    assert_non_null(strstr(err.message, "no network"));
    tm_scenario_free(s);
}

/* The flagship: routed over examples/flagship/network.yaml with the special's consists,
 * it finds the bogie exchange at Tumangang by itself; via Ussuriysk with the journey's
 * stops it runs like journey.yaml (the same profile), less the locomotive change at
 * Ussuriysk, which the search has no reason to make: the diesel may run under the wire and
 * both consists are held to 60 km/h. */
static void test_flagship(void **state)
{
    (void)state;
    const char *paths[] = {TUMEN_SOURCE_DIR "/examples/flagship/network.yaml",
                           TUMEN_SOURCE_DIR "/examples/flagship/train.yaml"};
    tm_scenario *s = NULL;
    tumen_error err;
    if (tm_scenario_load(&s, paths, 2, &err) != TUMEN_OK)
        fail_msg("%s", err.message);
    request q = {"special_electric", {"PY", "VLA"}, {"special_diesel", "special_ep1"}, {0}};
    tm_route r;
    assert_int_equal(find(s, q, &r, &err), TUMEN_OK);
    char got[512];
    route_ops(s, &r, got, sizeof got);
    assert_string_equal(got, "PY HAM KIM CHJ RAJ SON HON TUM KHS MAK GVZ RYA BAM KED PRI VIN "
                             "OLE BAR VLA");
    assert_true(fabs(r.length - 1203100.0) < 1e-3);
    const tm_network *n = &s->network;
    size_t tum = op(s, "TUM");
    int past_tum = 0;
    for (size_t i = 0; i < r.n_steps; i++) {
        const tm_track *t = &n->tracks[r.steps[i].track];
        int at_tum = (r.steps[i].forward ? t->from : t->to) == tum;
        past_tum |= at_tum;
        assert_int_equal(r.steps[i].train, train(s, past_tum ? "special_diesel"
                                                               : "special_electric"));
        assert_true(r.change_time[i] == (at_tum ? 7200.0 : 0.0));
    }
    tm_route_free(&r);

    /* Without the consists to change into: the gauge and the wire, both named. */
    const char *why[] = {"no route for 'special_electric' from PY to VLA",
                         "track TUM-KHS has no 3kV DC electrification",
                         "track KHS-MAK has no 1435 mm gauge", NULL};
    expect_no_route(s, (request){"special_electric", {"PY", "VLA"}, {0}, {0}}, why);
    const char *why2[] = {"track TUM-KHS has no 25kV 50Hz electrification",
                          "TUM has a locomotive change, but no allowed train (--change-to) is a "
                          "diesel of 1520 mm",
                          NULL};
    expect_no_route(s, (request){"special_electric", {"PY", "VLA"}, {"special_ep1"}, {0}}, why2);

    /* Via Ussuriysk with the journey's stops, run by the engine. */
    size_t wp[3] = {op(s, "PY"), op(s, "USS"), op(s, "VLA")};
    size_t ch[2] = {train(s, "special_diesel"), train(s, "special_ep1")};
    tm_service_stop st[3] = {{op(s, "HAM"), 600.0}, {op(s, "CHJ"), 600.0}, {op(s, "KHS"), 1200.0}};
    tm_route_request req = {train(s, "special_electric"), ch, 2, wp, 3, st, 3};
    assert_int_equal(tm_route_find(s, &req, &r, &err), TUMEN_OK);
    assert_true(fabs(r.length - 1247100.0) < 1e-3);
    tm_route_legs legs;
    assert_int_equal(tm_route_legs_build(s, &r, &req, &legs, &err), TUMEN_OK);
    assert_int_equal(legs.n, 2);
    tumen_result *res = NULL;
    assert_int_equal(tm_run_journey(legs.legs, legs.n, NULL, 6 * 3600.0, &res, &err), TUMEN_OK);

    const char *jpath[] = {TUMEN_SOURCE_DIR "/examples/flagship/journey.yaml"};
    tm_scenario *js = NULL;
    tumen_result *jres = NULL;
    assert_int_equal(tm_scenario_load(&js, jpath, 1, &err), TUMEN_OK);
    assert_int_equal(tm_scenario_run(js, NULL, &jres, &err), TUMEN_OK);
    /* Same km, and the same times up to Ussuriysk (same trains, profile, stops, exchange). */
    assert_true(fabs(res->distance - jres->distance) < 1e-3);
    double uss = -1.0, juss = -2.0;
    for (size_t i = 0; i < res->n_timing_points; i++)
        if (!strcmp(res->timing_points[i].name, "Ussuriysk"))
            uss = res->timing_points[i].arrival;
    for (size_t i = 0; i < jres->n_timing_points; i++)
        if (!strcmp(jres->timing_points[i].name, "Ussuriysk"))
            juss = jres->timing_points[i].arrival;
    if (fabs(uss - juss) > 1.0)
        fail_msg("Ussuriysk at %.1f s, the journey at %.1f s", uss, juss);
    /* In all, the journey's time less its 30 min change at Ussuriysk, within 1 %. */
    double want = jres->running_time - 1800.0;
    if (fabs(res->running_time - want) > 0.01 * want)
        fail_msg("route run %.1f s, journey %.1f s less 1800 s", res->running_time,
                 jres->running_time);
    tumen_result_destroy(jres);
    tm_scenario_free(js);
    tumen_result_destroy(res);
    tm_route_legs_free(&legs);
    tm_route_free(&r);
    tm_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fastest),          cmocka_unit_test(test_gauge),
        cmocka_unit_test(test_traction),         cmocka_unit_test(test_axle_load),
        cmocka_unit_test(test_length),           cmocka_unit_test(test_bogie_exchange),
        cmocka_unit_test(test_locomotive_change), cmocka_unit_test(test_waypoints),
        cmocka_unit_test(test_unreachable_and_usage), cmocka_unit_test(test_flagship),
    };
    return cmocka_run_group_tests_name("route", tests, NULL, NULL);
}
