/* test_export.c: railML 2.4 written by tumen reads back into the same network (counts,
 * lengths, limits, gradients, radii, signals, electrification, rolling stock, timetable)
 * and holds together structurally (root, namespace, version, required attributes, unique
 * ids, every reference resolves: the railML XSD cannot be fetched here); GeoJSON of an
 * imported network has its points and shapes. */
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
#include <libxml/xpathInternals.h>

#include "formats/geojson.h"
#include "formats/import.h"
#include "formats/railml_write.h"
#include "model/scenario.h"
#include "support.h"
#include "tumen.h"

static void import_path(const char *path, tm_import *imp)
{
    tumen_error err;
    if (tm_import_file(path, NULL, imp, &err) != TUMEN_OK)
        fail_msg("%s:%d: %s: %s", err.file, err.line, err.field, err.message);
}

static char *write_railml(const tm_scenario *s, size_t *size)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, size);
    assert_non_null(f);
    assert_int_equal(tm_railml_write(s, f), 0);
    fclose(f);
    return text;
}

/* t's sections into out with neighbours that differ only in their neutral section joined;
 * returns their number. */
static size_t merged_profile(const tm_track *t, tm_track_section *out)
{
    size_t n = 0;
    for (size_t k = 0; k < t->n_sections; k++) {
        const tm_track_section *s = &t->sections[k];
        tm_track_section *last = n ? &out[n - 1] : NULL;
        if (last && last->speed_limit == s->speed_limit &&
            last->speed_limit_back == s->speed_limit_back && last->gradient == s->gradient &&
            last->radius == s->radius)
            last->end = s->end;
        else
            out[n++] = *s;
    }
    return n;
}

/* Same network: points by id and kind, tracks by id with ends, length, sections, signals. */
static void assert_same_network(const tm_network *a, const tm_network *b)
{
    assert_int_equal(a->n_ops, b->n_ops);
    assert_int_equal(a->n_tracks, b->n_tracks);
    for (size_t i = 0; i < a->n_ops; i++) {
        size_t j = tm_network_find_op(b, a->ops[i].id);
        if (j == (size_t)-1)
            fail_msg("point '%s' is lost", a->ops[i].id);
        assert_int_equal(a->ops[i].kind, b->ops[j].kind);
        assert_string_equal(a->ops[i].name, b->ops[j].name);
    }
    for (size_t i = 0; i < a->n_tracks; i++) {
        const tm_track *x = &a->tracks[i];
        size_t j = tm_network_find_track(b, x->id);
        if (j == (size_t)-1)
            fail_msg("track '%s' is lost", x->id);
        const tm_track *y = &b->tracks[j];
        assert_string_equal(a->ops[x->from].id, b->ops[y->from].id);
        assert_string_equal(a->ops[x->to].id, b->ops[y->to].id);
        assert_true(x->length == y->length);
        assert_int_equal(x->electrification, y->electrification);
        /* railML has no neutral sections: compare the profiles they split. */
        tm_track_section *xs = calloc(x->n_sections, sizeof *xs);
        tm_track_section *ys = calloc(y->n_sections, sizeof *ys);
        assert_non_null(xs);
        assert_non_null(ys);
        size_t nx = merged_profile(x, xs), ny = merged_profile(y, ys);
        assert_int_equal(nx, ny);
        for (size_t k = 0; k < nx; k++) {
            const tm_track_section *p = &xs[k], *q = &ys[k];
            assert_true(fabs(p->end - q->end) < 1e-9);
            assert_true(fabs(p->speed_limit - q->speed_limit) < 1e-9);
            assert_true(fabs(p->speed_limit_back - q->speed_limit_back) < 1e-9);
            assert_true(fabs(p->gradient - q->gradient) < 1e-12);
            assert_true(p->radius == q->radius);
        }
        free(xs);
        free(ys);
        assert_int_equal(x->n_signals, y->n_signals);
        for (size_t k = 0; k < x->n_signals; k++) {
            assert_true(x->signals[k].position == y->signals[k].position);
            assert_int_equal(x->signals[k].direction, y->signals[k].direction);
        }
    }
}

static xmlXPathObject *eval(xmlXPathContext *c, const char *expr)
{
    xmlXPathObject *o = xmlXPathEvalExpression(BAD_CAST expr, c);
    if (!o)
        fail_msg("XPath %s", expr);
    return o;
}

static int count(xmlXPathContext *c, const char *expr)
{
    xmlXPathObject *o = eval(c, expr);
    int n = o->nodesetval ? o->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(o);
    return n;
}

/* Every element matched by `with` has an attribute `attr` whose value is the id of an
 * element matched by `target` (XPath with the r: prefix). */
static void assert_refs(xmlXPathContext *c, const char *with, const char *attr, const char *target)
{
    xmlXPathObject *o = eval(c, with);
    for (int i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
        xmlChar *ref = xmlGetProp(o->nodesetval->nodeTab[i], BAD_CAST attr);
        if (!ref)
            fail_msg("%s without @%s", with, attr);
        char expr[512];
        snprintf(expr, sizeof expr, "%s[@id='%s']", target, (const char *)ref);
        if (count(c, expr) != 1)
            fail_msg("%s/@%s='%s' does not resolve to one %s", with, attr, (const char *)ref,
                     target);
        xmlFree(ref);
    }
    xmlXPathFreeObject(o);
}

static void check_structure(const char *text, size_t size)
{
    xmlDoc *doc = xmlReadMemory(text, (int)size, "out.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlNode *root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "railml");
    assert_non_null(root->ns);
    assert_string_equal((const char *)root->ns->href, "http://www.railml.org/schemas/2009");
    xmlChar *version = xmlGetProp(root, BAD_CAST "version");
    assert_string_equal((const char *)version, "2.4");
    xmlFree(version);
    xmlXPathContext *c = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(c, BAD_CAST "r", BAD_CAST "http://www.railml.org/schemas/2009");
    /* Required attributes. */
    assert_int_equal(count(c, "//r:track[not(@id)]"), 0);
    assert_int_equal(count(c, "//r:track[not(r:trackTopology/r:trackBegin/@pos) or "
                              "not(r:trackTopology/r:trackEnd/@pos)]"), 0);
    assert_int_equal(count(c, "//r:speedChange[not(@id) or not(@pos) or not(@vMax)]"), 0);
    assert_int_equal(count(c, "//r:gradientChange[not(@slope) or not(@pos)]"), 0);
    assert_int_equal(count(c, "//r:ocp[not(@id)]"), 0);
    assert_int_equal(count(c, "//r:signal[not(@id) or not(@pos)]"), 0);
    /* Ids are unique. */
    xmlXPathObject *ids = eval(c, "//@id");
    for (int i = 0; i < ids->nodesetval->nodeNr; i++) {
        xmlChar *v = xmlNodeGetContent(ids->nodesetval->nodeTab[i]);
        char expr[512];
        snprintf(expr, sizeof expr, "//*[@id='%s']", (const char *)v);
        if (count(c, expr) != 1)
            fail_msg("id '%s' is not unique", (const char *)v);
        xmlFree(v);
    }
    xmlXPathFreeObject(ids);
    /* References resolve. */
    assert_refs(c, "//r:connection", "ref", "//r:connection");
    assert_refs(c, "//r:crossSection", "ocpRef", "//r:ocp");
    assert_refs(c, "//r:vehicleRef", "vehicleRef", "//r:vehicle");
    assert_refs(c, "//r:formationTT", "formationRef", "//r:formation");
    assert_refs(c, "//r:ocpTT", "ocpRef", "//r:ocp");
    assert_refs(c, "//r:trainPartRef", "ref", "//r:trainPart");
    /* Connections are mutual. */
    xmlXPathObject *conns = eval(c, "//r:connection");
    for (int i = 0; i < conns->nodesetval->nodeNr; i++) {
        xmlChar *id = xmlGetProp(conns->nodesetval->nodeTab[i], BAD_CAST "id");
        xmlChar *ref = xmlGetProp(conns->nodesetval->nodeTab[i], BAD_CAST "ref");
        char expr[512];
        snprintf(expr, sizeof expr, "//r:connection[@id='%s'][@ref='%s']", (const char *)ref,
                 (const char *)id);
        if (count(c, expr) != 1)
            fail_msg("connection '%s' -> '%s' is not answered", (const char *)id,
                     (const char *)ref);
        xmlFree(id);
        xmlFree(ref);
    }
    xmlXPathFreeObject(conns);
    xmlXPathFreeContext(c);
    xmlFreeDoc(doc);
}

static void round_trip(const char *path)
{
    tm_import a, b;
    import_path(path, &a);
    size_t size = 0;
    char *text = write_railml(a.scenario, &size);
    check_structure(text, size);
    tumen_error err;
    tm_import_options strict;
    tm_import_options_init(&strict);
    strict.strict = 1; /* what tumen writes has no loose ends */
    if (tm_import_memory("out.xml", text, size, &strict, &b, &err) != TUMEN_OK)
        fail_msg("%s: reading back: %s:%d: %s: %s", path, err.file, err.line, err.field,
                 err.message);
    assert_same_network(&a.scenario->network, &b.scenario->network);
    assert_int_equal(a.scenario->n_vehicles, b.scenario->n_vehicles);
    assert_int_equal(a.scenario->n_trains, b.scenario->n_trains);
    assert_int_equal(a.scenario->timetable.n_services, b.scenario->timetable.n_services);
    assert_int_equal(b.summary.tracks, a.scenario->network.n_tracks);
    assert_int_equal(b.summary.operational_points, a.scenario->network.n_ops);
    for (size_t i = 0; i < a.scenario->n_trains; i++)
        assert_true(fabs(a.scenario->trains[i].mass - b.scenario->trains[i].mass) < 1e-6);
    free(text);
    tm_import_free(&a);
    tm_import_free(&b);
}

static void test_railml_round_trip_line(void **state)
{
    (void)state;
    round_trip(TUMEN_SOURCE_DIR "/tests/data/import/line-2.4.xml");
}

static void test_railml_round_trip_shared(void **state)
{
    (void)state;
    static const char *const files[] = {"data/osrd/infras/small_infra/infra.json",
                                        "data/railml/simplest-example-2.4.xml",
                                        "data/railml/railml-org-simple-example-v11-3.1.xml",
                                        "data/osm/rail_highspeed-osm.xml", NULL};
    int any = 0;
    for (size_t i = 0; files[i]; i++) {
        char path[1024];
        if (tm_test_shared_path(path, sizeof path, files[i]))
            continue;
        any = 1;
        round_trip(path);
    }
    if (!any)
        tm_test_skip("no railML file in ../shared/data/railml");
}

static void test_geojson(void **state)
{
    (void)state;
    tm_import imp;
    import_path(TUMEN_SOURCE_DIR "/tests/data/import/line-2.4.xml", &imp);
    json_t *fc = tm_geojson_build(imp.scenario, imp.geometry, NULL, 0.0);
    assert_non_null(fc);
    assert_string_equal(json_string_value(json_object_get(fc, "type")), "FeatureCollection");
    json_t *features = json_object_get(fc, "features");
    size_t points = 0, lines = 0;
    size_t i;
    json_t *f;
    json_array_foreach(features, i, f) {
        const char *type = json_string_value(json_object_get(json_object_get(f, "geometry"),
                                                             "type"));
        if (!strcmp(type, "Point"))
            points++;
        else if (!strcmp(type, "LineString"))
            lines++;
    }
    /* A, B and C have positions, the switches W1 and W2 none; every track of the line ends
     * at a switch and the file gives no shapes, so no track can be drawn. */
    assert_int_equal(points, 3);
    assert_int_equal(lines, 0);
    json_decref(fc);
    tm_import_free(&imp);
    /* An OSRD infrastructure: every track along its shape. */
    char path[1024];
    if (tm_test_shared_path(path, sizeof path, "data/osrd/infras/small_infra/infra.json"))
        tm_test_skip("the OSRD infrastructure of ../shared is missing");
    import_path(path, &imp);
    fc = tm_geojson_build(imp.scenario, imp.geometry, NULL, 0.0);
    size_t n_lines = 0;
    json_array_foreach(json_object_get(fc, "features"), i, f)
        n_lines += !strcmp(json_string_value(json_object_get(json_object_get(f, "geometry"),
                                                             "type")), "LineString");
    assert_int_equal(n_lines, imp.scenario->network.n_tracks);
    json_decref(fc);
    tm_import_free(&imp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_railml_round_trip_line),
        cmocka_unit_test(test_railml_round_trip_shared),
        cmocka_unit_test(test_geojson),
    };
    return tm_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
