/* test_import.c: the importers (formats/import.h) on the hand-written railML line of tests/data
 * (topology, limits per direction, gradients, radii, signals, rolling stock, timetable, and
 * its run end to end), on the shared data files (they import; the OSM length equals one
 * computed here from the nodes with libxml2 XPath), and on malformed inputs, each checked
 * for its code, line and element. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "formats/readers.h"
#include "formats/import.h"
#include "formats/import_graph.h"
#include "formats/network_write.h"
#include "model/scenario.h"
#include "plan/route.h"
#include "plan/timetable.h"
#include "support.h"
#include "tumen.h"

#define KMH (1.0 / 3.6)

static void assert_close(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.12g, want %.12g (tol %g)", got, want, tol);
}

static const tm_track *track(const tm_network *n, const char *id)
{
    size_t i = tm_network_find_track(n, id);
    if (i == (size_t)-1)
        fail_msg("no track '%s'", id);
    return &n->tracks[i];
}

static void line_fixture(tm_import *imp)
{
    tumen_error err;
    int rc = tm_import_file(TUMEN_SOURCE_DIR "/tests/data/import/line-2.4.xml", NULL, imp, &err);
    if (rc != TUMEN_OK)
        fail_msg("import: %s:%d: %s", err.file, err.line, err.message);
}

static void test_railml2_line(void **state)
{
    (void)state;
    tm_import imp;
    line_fixture(&imp);
    const tm_network *n = &imp.scenario->network;
    assert_int_equal(imp.format, TM_IMPORT_RAILML2);
    assert_int_equal(imp.summary.tracks, 4);
    assert_int_equal(imp.summary.switches, 2);
    assert_int_equal(imp.summary.signals, 3);
    assert_int_equal(imp.summary.operational_points, 3);
    assert_int_equal(imp.summary.vehicles, 2);
    assert_int_equal(imp.summary.trains, 1);
    assert_close(imp.summary.length_m, 13000.0, 1e-9);
    /* Points: the three ocps and the two switches; t2 is cut at Berg. */
    assert_int_equal(n->n_ops, 5);
    assert_int_equal(n->n_tracks, 5);
    const tm_op *b = &n->ops[tm_network_find_op(n, "B")];
    assert_string_equal(b->name, "Berg");
    assert_int_equal(b->kind, TM_OP_STATION);
    assert_int_equal(n->ops[tm_network_find_op(n, "W1")].kind, TM_OP_JUNCTION);
    assert_int_equal(n->ops[tm_network_find_op(n, "C")].kind, TM_OP_HALT);
    assert_close(n->ops[tm_network_find_op(n, "C")].lon, 10.17, 1e-12);
    /* t1: 80 up / 70 down to 1 km, then 120 up / 110 down; 6.5 permille from 2 km; an 800 m
     * curve from 3 to 3.5 km; 15 kV; signals at 200 m up and 4800 m down. */
    const tm_track *t1 = track(n, "t1");
    assert_int_equal(t1->electrification, TM_ELEC_AC_15K_16_7);
    assert_int_equal(t1->n_sections, 5); /* cut at 1, 2, 3 and 3.5 km */
    assert_close(t1->sections[0].end, 1000.0, 1e-9);
    assert_close(t1->sections[0].speed_limit, 80 * KMH, 1e-9);
    assert_close(t1->sections[0].speed_limit_back, 70 * KMH, 1e-9);
    assert_close(t1->sections[1].speed_limit, 120 * KMH, 1e-9);
    assert_close(t1->sections[1].speed_limit_back, 110 * KMH, 1e-9);
    assert_close(t1->sections[0].gradient, 0.0, 1e-12);
    assert_close(t1->sections[2].gradient, 0.0065, 1e-12);
    assert_close(t1->sections[2].radius, 0.0, 1e-9);
    assert_close(t1->sections[3].radius, 800.0, 1e-9);
    assert_close(t1->sections[4].radius, 0.0, 1e-9);
    assert_close(t1->sections[4].gradient, 0.0065, 1e-12);
    assert_int_equal(t1->n_signals, 2);
    assert_int_equal(t1->signals[0].direction, 1);
    assert_int_equal(t1->signals[1].direction, -1);
    assert_close(t1->signals[1].position, 4800.0, 1e-9);
    /* t2 is cut at Berg into W1-B and B-W2; the loop t3 joins the switches. */
    const tm_track *t21 = track(n, "t2:1"), *t3 = track(n, "t3");
    assert_string_equal(n->ops[t21->from].id, "W1");
    assert_string_equal(n->ops[t21->to].id, "B");
    assert_close(t21->length, 500.0, 1e-9);
    assert_string_equal(n->ops[t3->from].id, "W1");
    assert_string_equal(n->ops[t3->to].id, "W2");
    assert_close(t3->sections[0].speed_limit, 40 * KMH, 1e-9);
    /* The temporary 60 km/h at t4's end, up only. */
    const tm_track *t4 = track(n, "t4");
    assert_close(t4->sections[t4->n_sections - 1].speed_limit, 60 * KMH, 1e-9);
    assert_close(t4->sections[t4->n_sections - 1].speed_limit_back, 120 * KMH, 1e-9);
    assert_close(t4->sections[0].gradient, -0.004, 1e-12);
    /* Rolling stock: locomotive + 4 coaches, derived. */
    const tm_scenario *s = imp.scenario;
    assert_int_equal(s->n_trains, 1);
    assert_close(s->trains[0].mass, 84000.0 + 4 * 48000.0, 1e-6);
    assert_close(s->trains[0].length, 19.0 + 4 * 26.4, 1e-9);
    /* Timetable: A 08:00, stop at B with the scheduled 60 s dwell, to C. */
    assert_int_equal(s->timetable.n_services, 1);
    const tm_service *svc = &s->timetable.services[0];
    assert_string_equal(svc->id, "RE 4711");
    assert_close(svc->departure, 8 * 3600.0, 1e-9);
    assert_int_equal(svc->n_waypoints, 3);
    assert_int_equal(svc->n_stops, 1);
    assert_close(svc->stops[0].dwell, 60.0, 1e-9);
    tm_import_free(&imp);
}

/* The railML line runs a train end to end: its own timetable, through the router and the
 * engine, over the imported network. */
static void test_railml2_line_runs(void **state)
{
    (void)state;
    tm_import imp;
    line_fixture(&imp);
    tm_timetable_result r;
    tumen_error err;
    int rc = tm_timetable_run(imp.scenario, NULL, NULL, &r, &err);
    if (rc != TUMEN_OK)
        fail_msg("run: %s", err.message);
    assert_int_equal(r.n_runs, 1);
    const tm_service_run *run = &r.runs[0];
    assert_close(run->distance, 12000.0, 1e-6);
    assert_true(run->arrival > run->departure + 300.0);
    assert_true(run->arrival < 8 * 3600.0 + 1200.0);
    assert_true(run->max_speed <= 120 * KMH + 1e-6);
    /* It stops at Berg for at least the dwell. */
    int stopped = 0;
    for (size_t i = 0; i < run->n_points; i++)
        if (!strcmp(imp.scenario->network.ops[run->points[i].op].id, "B"))
            stopped = run->points[i].departure - run->points[i].arrival >= 60.0 - 1e-6;
    assert_true(stopped);
    tm_timetable_result_free(&r);
    tm_import_free(&imp);
}

/* The YAML written for -o reads back into the same network through tumen's own reader. */
static void test_yaml_round_trip(void **state)
{
    (void)state;
    tm_import imp;
    line_fixture(&imp);
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    assert_non_null(f);
    assert_int_equal(tm_scenario_write_yaml(imp.scenario, f), 0);
    fclose(f);
    tm_scenario *s = NULL;
    tumen_error err;
    int rc = tm_scenario_load_text(&s, "line.yaml", text, size, &err);
    if (rc != TUMEN_OK)
        fail_msg("%s:%d: %s: %s", err.file, err.line, err.field, err.message);
    const tm_network *a = &imp.scenario->network, *b = &s->network;
    assert_int_equal(a->n_ops, b->n_ops);
    assert_int_equal(a->n_tracks, b->n_tracks);
    for (size_t i = 0; i < a->n_tracks; i++) {
        const tm_track *x = &a->tracks[i], *y = &b->tracks[i];
        assert_string_equal(x->id, y->id);
        assert_true(x->length == y->length);
        assert_int_equal(x->n_sections, y->n_sections);
        assert_int_equal(x->n_signals, y->n_signals);
        assert_int_equal(x->electrification, y->electrification);
        for (size_t k = 0; k < x->n_sections; k++) {
            assert_true(x->sections[k].speed_limit == y->sections[k].speed_limit);
            assert_true(x->sections[k].speed_limit_back == y->sections[k].speed_limit_back);
            assert_close(x->sections[k].gradient, y->sections[k].gradient, 1e-15);
            assert_true(x->sections[k].radius == y->sections[k].radius);
        }
    }
    assert_int_equal(s->n_trains, 1);
    assert_int_equal(s->timetable.n_services, 1);
    tm_scenario_free(s);
    free(text);
    tm_import_free(&imp);
}

static const char *const shared_files[] = {
    "data/railml/finland-track-007-km28-47-2.2.xml",
    "data/railml/railml-org-simple-example-v11-3.1.xml",
    "data/railml/simple-example-rtc-2.4.xml",
    "data/railml/simplest-example-2.4.xml",
    "data/osrd/infras/small_infra/infra.json",
    "data/osrd/infras/tiny_infra/infra.json",
    "data/osrd/rolling_stocks/electric_rolling_stock.json",
    "data/osrd/rolling_stocks/etcs_level2_rolling_stock.json",
    "data/osrd/rolling_stocks/fast_rolling_stock.json",
    "data/osrd/rolling_stocks/fast_rolling_stock_high_gamma.json",
    "data/osrd/rolling_stocks/short_fast_rolling_stock.json",
    "data/osrd/rolling_stocks/short_slow_rolling_stock.json",
    "data/osrd/rolling_stocks/slow_rolling_stock.json",
    "data/osrd/rolling_stocks/realistic/commuter-train.json",
    "data/osrd/rolling_stocks/realistic/freight-train.json",
    "data/osrd/rolling_stocks/realistic/high-speed-train.json",
    "data/osrd/rolling_stocks/realistic/intercity-train.json",
    "data/osm/rail_highspeed-osm.xml",
    NULL};

static void test_shared_files_import(void **state)
{
    (void)state;
    if (!tm_test_shared_dir())
        tm_test_skip("../shared is missing");
    for (size_t i = 0; shared_files[i]; i++) {
        char path[1024];
        if (tm_test_shared_path(path, sizeof path, shared_files[i]))
            continue;
        tm_import imp;
        tumen_error err;
        int rc = tm_import_file(path, NULL, &imp, &err);
        if (rc != TUMEN_OK)
            fail_msg("%s: %s:%d: %s", shared_files[i], err.file, err.line, err.message);
        const tm_network *n = &imp.scenario->network;
        /* Every track joins two different points and its sections cover it. */
        for (size_t t = 0; t < n->n_tracks; t++) {
            assert_true(n->tracks[t].from != n->tracks[t].to);
            assert_true(n->tracks[t].n_sections > 0);
            assert_close(n->tracks[t].sections[n->tracks[t].n_sections - 1].end,
                         n->tracks[t].length, 1e-9);
        }
        if (imp.format == TM_IMPORT_OSRD_STOCK) {
            assert_int_equal(imp.scenario->n_trains, 1);
            assert_true(imp.scenario->trains[0].has_traction);
        } else {
            /* The network's tracks add up to the file's. */
            double sum = 0.0;
            for (size_t t = 0; t < n->n_tracks; t++)
                sum += n->tracks[t].length;
            assert_close(sum, imp.summary.length_m, 1e-3 * (double)imp.summary.tracks + 1e-6);
        }
        tm_import_free(&imp);
    }
}

/* The networks of a and b (an import and its YAML read back) hold the same points, tracks,
 * sections (neutral sections too) and connections. */
static void same_network(const tm_network *a, const tm_network *b)
{
    assert_int_equal(a->n_ops, b->n_ops);
    assert_int_equal(a->n_tracks, b->n_tracks);
    assert_int_equal(a->n_connections, b->n_connections);
    for (size_t i = 0; i < a->n_ops; i++)
        assert_string_equal(a->ops[i].id, b->ops[i].id);
    for (size_t i = 0; i < a->n_tracks; i++) {
        const tm_track *x = &a->tracks[i], *y = &b->tracks[i];
        assert_string_equal(x->id, y->id);
        assert_int_equal(x->from, y->from);
        assert_int_equal(x->to, y->to);
        assert_true(x->length == y->length);
        assert_int_equal(x->electrification, y->electrification);
        assert_int_equal(x->n_sections, y->n_sections);
        for (size_t k = 0; k < x->n_sections; k++) {
            assert_true(x->sections[k].speed_limit == y->sections[k].speed_limit);
            assert_true(x->sections[k].speed_limit_back == y->sections[k].speed_limit_back);
            assert_close(x->sections[k].gradient, y->sections[k].gradient, 1e-15);
            assert_int_equal(x->sections[k].neutral, y->sections[k].neutral);
        }
    }
    /* Connections as sets of (end, end, speed): the writer groups them by point. */
    for (size_t i = 0; i < a->n_connections; i++) {
        const tm_connection *c = &a->connections[i];
        int found = 0;
        for (size_t j = 0; j < b->n_connections && !found; j++) {
            const tm_connection *d = &b->connections[j];
            found = ((c->a == d->a && c->b == d->b) || (c->a == d->b && c->b == d->a)) &&
                    c->speed_limit == d->speed_limit;
        }
        if (!found)
            fail_msg("connection %zu (%zu-%zu) is not read back", i, c->a, c->b);
    }
}

/* The fastest route of a diesel train (any track, 1435 mm) from op 0 to op k in sc. */
static int route_in(tm_scenario *sc, size_t k, tm_route *out)
{
    tm_vehicle v;
    memset(&v, 0, sizeof v);
    strcpy(v.id, "probe");
    v.kind = TM_VEHICLE_LOCOMOTIVE;
    v.power = TM_POWER_DIESEL;
    v.mass = 80e3;
    v.length = 20.0;
    v.rotating_mass_factor = 1.0;
    v.has_traction = 1;
    v.max_force = 200e3;
    v.brake_deceleration = 0.5;
    tm_consist_entry e = {0, 1};
    tm_train t;
    memset(&t, 0, sizeof t);
    strcpy(t.id, "probe");
    t.consist = &e;
    t.n_consist = 1;
    tm_vehicle *vs = sc->vehicles;
    tm_train *ts = sc->trains;
    size_t nv = sc->n_vehicles, nt = sc->n_trains;
    sc->vehicles = &v;
    sc->n_vehicles = 1;
    sc->trains = &t;
    sc->n_trains = 1;
    size_t wp[2] = {0, k};
    tm_route_request req = {0, NULL, 0, wp, 2, NULL, 0};
    tumen_error err;
    int rc = tm_route_find(sc, &req, out, &err);
    sc->vehicles = vs;
    sc->n_vehicles = nv;
    sc->trains = ts;
    sc->n_trains = nt;
    return rc;
}

/* Every network of ../shared/data imports, is written as tumen YAML and read back: the same
 * counts and the same routes (from the first point to up to 60 others). */
static void test_shared_yaml_round_trip(void **state)
{
    (void)state;
    if (!tm_test_shared_dir())
        tm_test_skip("../shared is missing");
    size_t networks = 0, routes = 0;
    for (size_t i = 0; shared_files[i]; i++) {
        char path[1024];
        if (tm_test_shared_path(path, sizeof path, shared_files[i]))
            continue;
        tm_import imp;
        tumen_error err;
        assert_int_equal(tm_import_file(path, NULL, &imp, &err), TUMEN_OK);
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        assert_non_null(f);
        assert_int_equal(tm_scenario_write_yaml(imp.scenario, f), 0);
        fclose(f);
        tm_scenario *back = NULL;
        if (tm_scenario_load_text(&back, shared_files[i], text, size, &err) != TUMEN_OK)
            fail_msg("%s read back: %d: %s: %s", shared_files[i], err.line, err.field,
                     err.message);
        same_network(&imp.scenario->network, &back->network);
        assert_int_equal(imp.scenario->n_vehicles, back->n_vehicles);
        for (size_t v = 0; v < back->n_vehicles; v++)
            assert_int_equal(imp.scenario->vehicles[v].n_modes, back->vehicles[v].n_modes);
        const tm_network *n = &imp.scenario->network;
        networks += n->n_tracks > 0;
        for (size_t k = 1; k < n->n_ops && k <= 60; k++) {
            tm_route ra, rb;
            int ca = route_in(imp.scenario, k, &ra), cb = route_in(back, k, &rb);
            assert_int_equal(ca, cb);
            routes += ca == TUMEN_OK;
            assert_int_equal(ra.n_steps, rb.n_steps);
            assert_true(ra.length == rb.length);
            for (size_t j = 0; j < ra.n_steps; j++) {
                assert_int_equal(ra.steps[j].track, rb.steps[j].track);
                assert_int_equal(ra.steps[j].forward, rb.steps[j].forward);
            }
            tm_route_free(&ra);
            tm_route_free(&rb);
        }
        tm_scenario_free(back);
        free(text);
        tm_import_free(&imp);
    }
    assert_true(networks >= 7);
    if (routes < 80) /* 87 on ../shared/data as of this writing: most pairs are joined */
        fail_msg("only %zu routes found", routes);
}

/* The OSM ways' length, computed independently: node coordinates by XPath, haversine. */
static void test_osm_length_independent(void **state)
{
    (void)state;
    char path[1024];
    if (tm_test_shared_path(path, sizeof path, "data/osm/rail_highspeed-osm.xml"))
        tm_test_skip("the OSM file of ../shared is missing");
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(doc);
    xmlXPathContext *ctx = xmlXPathNewContext(doc);
    xmlXPathObject *ways =
        xmlXPathEvalExpression(BAD_CAST "//way[tag[@k='railway' and @v='rail']]", ctx);
    double total = 0.0;
    for (int w = 0; w < ways->nodesetval->nodeNr; w++) {
        double plat = NAN, plon = NAN;
        for (xmlNode *nd = ways->nodesetval->nodeTab[w]->children; nd; nd = nd->next) {
            if (nd->type != XML_ELEMENT_NODE || strcmp((const char *)nd->name, "nd"))
                continue;
            xmlChar *ref = xmlGetProp(nd, BAD_CAST "ref");
            char expr[128];
            snprintf(expr, sizeof expr, "//node[@id='%s']", (const char *)ref);
            xmlFree(ref);
            xmlXPathObject *node = xmlXPathEvalExpression(BAD_CAST expr, ctx);
            assert_int_equal(node->nodesetval->nodeNr, 1);
            xmlChar *la = xmlGetProp(node->nodesetval->nodeTab[0], BAD_CAST "lat");
            xmlChar *lo = xmlGetProp(node->nodesetval->nodeTab[0], BAD_CAST "lon");
            double lat = atof((const char *)la), lon = atof((const char *)lo);
            xmlFree(la);
            xmlFree(lo);
            xmlXPathFreeObject(node);
            if (!isnan(plat)) {
                const double r = 6371008.8, d = 3.14159265358979323846 / 180.0;
                double a = pow(sin((lat - plat) * d / 2), 2) +
                           cos(plat * d) * cos(lat * d) * pow(sin((lon - plon) * d / 2), 2);
                total += 2 * r * asin(sqrt(a));
            }
            plat = lat;
            plon = lon;
        }
    }
    xmlXPathFreeObject(ways);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    tm_import imp;
    tumen_error err;
    assert_int_equal(tm_import_file(path, NULL, &imp, &err), TUMEN_OK);
    assert_close(imp.summary.length_m, total, 1e-6 * total);
    assert_true(imp.geometry != NULL);
    tm_import_free(&imp);
}

/* ---- Malformed inputs ----------------------------------------------------------------- */

static void expect_error(const char *text, const tm_import_options *opt, int code, int line,
                         const char *in_field, const char *in_message)
{
    tm_import imp;
    tumen_error err;
    int rc = tm_import_memory("bad", text, strlen(text), opt, &imp, &err);
    if (rc == TUMEN_OK)
        fail_msg("imported without error: %.60s", text);
    if (rc != code || (line && err.line != line) ||
        (in_field && !strstr(err.field, in_field)) ||
        (in_message && !strstr(err.message, in_message)))
        fail_msg("got code %d line %d field '%s' message '%s'", rc, err.line, err.field,
                 err.message);
    assert_string_equal(err.file, "bad");
}

#define R2 "<railml xmlns=\"http://www.railml.org/schemas/2009\" version=\"2.4\">\n"
#define TRACK(extra)                                                                       \
    "<infrastructure><tracks>\n"                                                          \
    "<track id=\"t1\"><trackTopology>\n"                                                  \
    "<trackBegin id=\"b\" pos=\"0\"><connection id=\"c1\" ref=\"nowhere\"/></trackBegin>\n" \
    "<trackEnd id=\"e\" pos=\"1000\"/></trackTopology>\n" extra "</track>\n"             \
    "</tracks></infrastructure></railml>\n"

static void test_malformed(void **state)
{
    (void)state;
    tm_import_options strict;
    tm_import_options_init(&strict);
    strict.strict = 1;
    /* Broken XML: libxml2's message at its line. */
    expect_error("<?xml version=\"1.0\"?>\n" R2 "<infrastructure>\n<tracks>\n</railml>\n", NULL,
                 TUMEN_EPARSE, 5, NULL, "tag mismatch: tracks line 4 and railml");
    /* A wrong namespace for railML 2 and 3. */
    expect_error("<railml xmlns=\"http://example.org/not-railml\" version=\"2.4\"/>\n", NULL,
                 TUMEN_EINPUT, 1, "railml", "wrong namespace");
    expect_error("<railML xmlns=\"http://example.org/x\" version=\"3.1\"/>\n", NULL,
                 TUMEN_EINPUT, 1, "railML", "wrong namespace");
    /* A connection to a missing node: an error when strict, else a track end. */
    expect_error(R2 TRACK(""), &strict, TUMEN_EINPUT, 4, "connection id='c1'", "missing node");
    tm_import imp;
    tumen_error err;
    const char *ok = R2 TRACK("");
    assert_int_equal(tm_import_memory("ok", ok, strlen(ok), NULL, &imp, &err), TUMEN_OK);
    assert_int_equal(imp.summary.open_refs, 1);
    tm_import_free(&imp);
    /* Units out of range: a speed, a slope, a track length. */
    expect_error(R2 TRACK("<trackElements><speedChanges>\n"
                          "<speedChange id=\"v\" pos=\"10\" vMax=\"5000\"/>\n"
                          "</speedChanges></trackElements>\n"),
                 NULL, TUMEN_EINPUT, 7, "speedChange id='v'", "out of range");
    expect_error(R2 TRACK("<trackElements><gradientChanges>\n"
                          "<gradientChange id=\"g\" pos=\"10\" slope=\"abc\"/>\n"
                          "</gradientChanges></trackElements>\n"),
                 NULL, TUMEN_EINPUT, 7, "gradientChange", "not a number");
    expect_error(R2 "<infrastructure><tracks>\n<track id=\"t\"><trackTopology>\n"
                    "<trackBegin id=\"b\" pos=\"50\"/>\n<trackEnd id=\"e\" pos=\"20\"/>\n"
                    "</trackTopology></track></tracks></infrastructure></railml>\n",
                 NULL, TUMEN_EINPUT, 5, "trackEnd", "out of range");
    /* railML 3: a netRelation to a missing netElement. */
    expect_error("<railML xmlns=\"https://www.railml.org/schemas/3.1\" version=\"3.1\">\n"
                 "<infrastructure><topology><netElements>\n"
                 "<netElement id=\"a\" length=\"100\"/>\n"
                 "</netElements><netRelations>\n"
                 "<netRelation id=\"r\" positionOnA=\"1\" positionOnB=\"0\">\n"
                 "<elementA ref=\"a\"/>\n<elementB ref=\"ghost\"/>\n</netRelation>\n"
                 "</netRelations></topology></infrastructure></railML>\n",
                 NULL, TUMEN_EINPUT, 7, "elementB", "ghost");
    /* railjson: a switch port on a missing track section; a negative length. */
    expect_error("{\"version\": \"3.4\", \"track_sections\": [{\"id\": \"T\", \"length\": 10}],\n"
                 " \"switches\": [{\"id\": \"S\", \"ports\": {\"A\": {\"track\": \"X\", "
                 "\"endpoint\": \"END\"}}}]}",
                 NULL, TUMEN_EINPUT, 0, "switches[0].ports.A", "not in the file");
    expect_error("{\"track_sections\": [{\"id\": \"T\", \"length\": -5}]}", NULL, TUMEN_EINPUT, 0,
                 "track_sections[0]", "out of range");
    expect_error("{\"track_sections\": [", NULL, TUMEN_EPARSE, 1, NULL, "not valid JSON");
    /* OSM: a way on a missing node, a maxspeed out of range (XML: the way's line). */
    expect_error("<?xml version=\"1.0\"?>\n<osm version=\"0.6\">\n"
                 "<node id=\"1\" lat=\"50\" lon=\"10\"/>\n"
                 "<way id=\"7\">\n<nd ref=\"1\"/>\n<nd ref=\"2\"/>\n"
                 "<tag k=\"railway\" v=\"rail\"/>\n</way>\n</osm>\n",
                 NULL, TUMEN_EINPUT, 4, NULL, "missing node");
    expect_error("<?xml version=\"1.0\"?>\n<osm version=\"0.6\">\n"
                 "<node id=\"1\" lat=\"50\" lon=\"10\"/>\n<node id=\"2\" lat=\"50\" lon=\"10.1\"/>\n"
                 "<way id=\"8\">\n<nd ref=\"1\"/>\n<nd ref=\"2\"/>\n"
                 "<tag k=\"railway\" v=\"rail\"/>\n<tag k=\"maxspeed\" v=\"-20\"/>\n</way>\n</osm>\n",
                 NULL, TUMEN_EINPUT, 5, NULL, "out of range");
    expect_error("<?xml version=\"1.0\"?>\n<osm version=\"0.6\">\n<node id=\"1\" lat=\"50\"\n"
                 "</osm>\n",
                 NULL, TUMEN_EPARSE, 0, NULL, NULL);
    /* Not a known format. */
    expect_error("hello: world\n", NULL, TUMEN_EPARSE, 0, NULL, "not a format");
}

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(tm_import_detect("<railml version=\"2.4\"/>", 23), TM_IMPORT_RAILML2);
    assert_int_equal(tm_import_detect("\xEF\xBB\xBF<?xml?>\n<railML/>", 24), TM_IMPORT_RAILML3);
    assert_int_equal(tm_import_detect("<!-- x --><osm/>", 16), TM_IMPORT_OSM_XML);
    assert_int_equal(tm_import_detect("{\"track_sections\": []}", 22), TM_IMPORT_RAILJSON);
    assert_int_equal(tm_import_detect("{\"effort_curves\": {}}", 21), TM_IMPORT_OSRD_STOCK);
    static const unsigned char pbf[] = {0, 0, 0, 13, 10, 9, 'O', 'S', 'M', 'H', 'e', 'a', 'd',
                                        'e', 'r', 24, 1, 0, 0};
    assert_int_equal(tm_import_detect(pbf, sizeof pbf), TM_IMPORT_OSM_PBF);
    assert_int_equal(tm_import_detect("vehicles: []", 12), TM_IMPORT_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_railml2_line),
        cmocka_unit_test(test_railml2_line_runs),
        cmocka_unit_test(test_yaml_round_trip),
        cmocka_unit_test(test_shared_files_import),
        cmocka_unit_test(test_shared_yaml_round_trip),
        cmocka_unit_test(test_osm_length_independent),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_detect),
    };
    return tm_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
