/* test_timetable.c: the timetable reader, the runner (plan/timetable.h), its JSON and CSV
 * outputs and the time-distance diagram, on the single-track fixture of tt_fixture.h:
 * four services, two each way, one past midnight. */
#include <dirent.h>
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
#include <jansson.h>

#include "formats/readers.h"
#include "formats/timetable_out.h"
#include "model/scenario.h"
#include "plan/timetable.h"
#include "support.h"
#include "tt_fixture.h"
#include "tumen.h"

/* ---- helpers ------------------------------------------------------------------------- */

static tm_scenario *load_text(const char *text, tumen_error *err)
{
    tm_scenario *sc = NULL;
    int rc = tm_scenario_load_text(&sc, "fixture.yaml", text, strlen(text), err);
    if (rc != TUMEN_OK) {
        char buf[1024];
        tumen_error_format(err, buf, sizeof buf);
        print_message("load: %s\n", buf);
    }
    return sc;
}

static tm_scenario *load_fixture(void)
{
    tumen_error err;
    tm_scenario *sc = load_text(tt_fixture_yaml, &err);
    assert_non_null(sc);
    return sc;
}

static void run_fixture(const tm_scenario *sc, int threads, int keep_samples,
                        tm_timetable_result *r)
{
    tm_timetable_options opt;
    tm_timetable_options_init(&opt);
    opt.threads = threads;
    opt.keep_samples = keep_samples;
    tumen_error err;
    int rc = tm_timetable_run(sc, NULL, &opt, r, &err);
    if (rc != TUMEN_OK) {
        char buf[1024];
        tumen_error_format(&err, buf, sizeof buf);
        print_message("run: %s\n", buf);
    }
    assert_int_equal(rc, TUMEN_OK);
    assert_int_equal(r->n_runs, sc->timetable.n_services);
}

/* The fixture with `replace` in place of `find` (which must occur once). */
static char *edited(const char *find, const char *replace)
{
    const char *at = strstr(tt_fixture_yaml, find);
    assert_non_null(at);
    size_t n = strlen(tt_fixture_yaml), a = (size_t)(at - tt_fixture_yaml);
    char *out = malloc(n + strlen(replace) + 1);
    assert_non_null(out);
    memcpy(out, tt_fixture_yaml, a);
    strcpy(out + a, replace);
    strcat(out, at + strlen(find));
    return out;
}

/* 1-based line of the first occurrence of needle in text. */
static int line_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    assert_non_null(at);
    int line = 1;
    for (const char *p = text; p < at; p++)
        line += *p == '\n';
    return line;
}

static void make_dir(char *buf, size_t size)
{
    tm_test_tmp(buf, size, "tumen_tt_XXXXXX");
    assert_non_null(mkdtemp(buf));
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (unlink(path) != 0)
                remove_dir(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* ---- reading ----------------------------------------------------------------------------- */

static void test_read_services(void **state)
{
    (void)state;
    tm_scenario *sc = load_fixture();
    const tm_timetable *tt = &sc->timetable;
    assert_string_equal(tt->name, "Fixture day");
    assert_string_equal(tt->date, "2026-11-30");
    assert_int_equal(tt->n_services, 4);
    const tm_service *p1 = &tt->services[0], *f1 = &tt->services[1], *p2 = &tt->services[2];
    assert_string_equal(p1->id, "P1");
    assert_string_equal(sc->trains[p1->train].id, "pax");
    assert_int_equal(p1->category, TM_CATEGORY_PASSENGER);
    assert_true(fabs(p1->departure - 6 * 3600.0) < 1e-9);
    assert_int_equal(p1->n_waypoints, 2);
    assert_string_equal(sc->network.ops[p1->waypoints[1]].id, "EAS");
    assert_int_equal(p1->n_stops, 1);
    assert_string_equal(sc->network.ops[p1->stops[0].op].id, "MID");
    assert_true(fabs(p1->stops[0].dwell - 120.0) < 1e-9);
    assert_int_equal(p1->line, line_of(tt_fixture_yaml, "- id: P1"));
    assert_int_equal(f1->category, TM_CATEGORY_FREIGHT);
    assert_true(fabs(f1->departure - (6 * 3600.0 + 40 * 60 + 30)) < 1e-9);
    assert_int_equal(f1->n_waypoints, 4);
    assert_int_equal(p2->n_stops, 1); /* "- MID": a stop without a minimum dwell */
    assert_true(p2->stops[0].dwell == 0.0);
    tm_scenario_free(sc);
}

/* The timetable may come before the network and the trains it names (separate files). */
static void test_read_across_files(void **state)
{
    (void)state;
    char dir[64], net[128], tt[128];
    make_dir(dir, sizeof dir);
    const char *split = strstr(tt_fixture_yaml, "timetable:\n");
    snprintf(net, sizeof net, "%s/net.yaml", dir);
    snprintf(tt, sizeof tt, "%s/tt.yaml", dir);
    FILE *f = fopen(net, "w");
    assert_non_null(f);
    fwrite(tt_fixture_yaml, 1, (size_t)(split - tt_fixture_yaml), f);
    fclose(f);
    f = fopen(tt, "w");
    assert_non_null(f);
    fputs(split, f);
    fclose(f);
    const char *paths[] = {tt, net};
    tm_scenario *sc = NULL;
    tumen_error err;
    assert_int_equal(tm_scenario_load(&sc, paths, 2, &err), TUMEN_OK);
    assert_int_equal(sc->timetable.n_services, 4);
    assert_string_equal(sc->trains[sc->timetable.services[1].train].id, "goods");
    tm_scenario_free(sc);
    remove_dir(dir);
}

/* `withdraw:` in a later file takes services of the earlier ones out (a booked plan's
 * cancellations), and one given again under its id stands retimed (a plan's hold); an id
 * no earlier file gives is an error naming the file, line and field. */
static void test_withdraw(void **state)
{
    (void)state;
    static const char change[] =
        "timetable:\n"
        "  name: change\n"
        "  withdraw: [F1, P1]\n"
        "  services:\n"
        "    - {id: F1, train: goods, category: freight, departure: \"07:30\",\n"
        "       route: [EAS, JCT, MID, WES]}\n";
    const char *names[] = {"day.yaml", "change.yaml"};
    const char *texts[] = {tt_fixture_yaml, change};
    size_t lengths[] = {strlen(tt_fixture_yaml), strlen(change)};
    tm_scenario *sc = NULL;
    tumen_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(tm_scenario_load_texts_with(&sc, NULL, names, texts, lengths, 2, &err),
                     TUMEN_OK);
    assert_int_equal(sc->timetable.n_services, 3); /* P2, F2, F1 retimed; P1 gone */
    assert_string_equal(sc->timetable.services[0].id, "P2");
    assert_string_equal(sc->timetable.services[2].id, "F1");
    assert_true(sc->timetable.services[2].departure == 7.5 * 3600.0);
    /* the references of the services after a withdrawn one still resolve to their own */
    assert_string_equal(sc->network.ops[sc->timetable.services[1].waypoints[0]].id, "WES");
    assert_int_equal(sc->timetable.services[1].n_stops, 1);
    tm_scenario_free(sc);

    static const char unknown[] = "timetable:\n  name: change\n  withdraw: [F1, X9]\n"
                                  "  services: []\n";
    texts[1] = unknown;
    lengths[1] = strlen(unknown);
    sc = NULL;
    assert_int_equal(tm_scenario_load_texts_with(&sc, NULL, names, texts, lengths, 2, &err),
                     TUMEN_EINPUT);
    assert_null(sc);
    assert_string_equal(err.file, "change.yaml");
    assert_int_equal(err.line, 3);
    assert_string_equal(err.field, "timetable.withdraw[1]");
    assert_non_null(strstr(err.message, "X9"));

    /* the same id twice: named as a duplicate, not as missing after the first took it out */
    static const char twice[] = "timetable:\n  name: change\n  withdraw: [F1, F1]\n"
                                "  services: []\n";
    texts[1] = twice;
    lengths[1] = strlen(twice);
    sc = NULL;
    assert_int_equal(tm_scenario_load_texts_with(&sc, NULL, names, texts, lengths, 2, &err),
                     TUMEN_EINPUT);
    assert_null(sc);
    assert_string_equal(err.field, "timetable.withdraw[1]");
    assert_non_null(strstr(err.message, "duplicate"));
}

/* A bad reference or value: TUMEN_EINPUT at the line of `needle` in the edited text, with
 * field_part in the field path. */
static void expect_input_error(const char *find, const char *replace, const char *needle,
                               const char *field_part, const char *message_part)
{
    char *text = edited(find, replace);
    tumen_error err;
    memset(&err, 0, sizeof err);
    tm_scenario *sc = NULL;
    int rc = tm_scenario_load_text(&sc, "bad.yaml", text, strlen(text), &err);
    char buf[1024];
    tumen_error_format(&err, buf, sizeof buf);
    print_message("expected error: %s\n", buf);
    assert_int_equal(rc, TUMEN_EINPUT);
    assert_null(sc);
    assert_string_equal(err.file, "bad.yaml");
    assert_int_equal(err.line, line_of(text, needle));
    assert_non_null(strstr(err.field, field_part));
    assert_non_null(strstr(err.message, message_part));
    free(text);
}

static void test_unknown_train(void **state)
{
    (void)state;
    expect_input_error("train: goods, category: freight, departure: \"06:40:30\"",
                       "train: goodz, category: freight, departure: \"06:40:30\"", "goodz",
                       "timetable.services[1].train", "unknown train 'goodz'");
}

static void test_unknown_station(void **state)
{
    (void)state;
    expect_input_error("route: [EAS, JCT, MID, WES]", "route: [EAS, JCT, MDD, WES]", "MDD",
                       "timetable.services[1].route[2]", "unknown operational point 'MDD'");
    expect_input_error("stops: [{at: MID, dwell: 2 min}]", "stops: [{at: MIX, dwell: 2 min}]",
                       "MIX", "timetable.services[0].stops[0].at", "'MIX'");
    expect_input_error("stops: [MID]", "stops: [MIDD]", "MIDD",
                       "timetable.services[2].stops[0]", "'MIDD'");
}

static void test_bad_values(void **state)
{
    (void)state;
    expect_input_error("departure: \"23:50\"", "departure: \"23:5\"", "23:5",
                       "timetable.services[2].departure", "clock time");
    expect_input_error("departure: \"23:50\"", "departure: \"23:61\"", "23:61",
                       "timetable.services[2].departure", "clock time");
    expect_input_error("route: [EAS, WES]", "route: []", "route: []",
                       "timetable.services[2].route", "empty");
    expect_input_error("route: [EAS, WES]", "route: [EAS]", "route: [EAS]",
                       "timetable.services[2].route", "one point");
    expect_input_error("- {id: F2,", "- {id: P1,", "- {id: P1,", "timetable.services[3].id",
                       "duplicate service id 'P1'");
    expect_input_error("category: freight, departure: \"12:00\"",
                       "category: coal, departure: \"12:00\"", "coal",
                       "timetable.services[3].category", "unknown category");
    expect_input_error("date: 2026-11-30", "date: 2026-13-01", "2026-13-01", "timetable.date",
                       "YYYY-MM-DD");
    expect_input_error("dwell: 10 min", "dwell: -1 min", "-1 min",
                       "timetable.services[3].stops[0].dwell", "");
}

/* ---- running ------------------------------------------------------------------------------- */

static void test_timing_points(void **state)
{
    (void)state;
    tm_scenario *sc = load_fixture();
    tm_timetable_result r;
    run_fixture(sc, 1, 0, &r);
    for (size_t i = 0; i < r.n_runs; i++) {
        const tm_service *svc = &sc->timetable.services[i];
        const tm_service_run *run = &r.runs[i];
        assert_int_equal(run->status, TUMEN_OK);
        assert_int_equal(run->n_points, 4);
        assert_true(fabs(run->departure - svc->departure) < 1e-6);
        assert_true(run->arrival > run->departure);
        assert_true(fabs(run->running_time - (run->arrival - run->departure)) < 1e-6);
        assert_true(fabs(run->distance - 34000.0) < 1e-3);
        assert_true(run->energy > 0);
        assert_null(run->samples);
        for (size_t k = 0; k < run->n_points; k++) {
            const tm_service_point *p = &run->points[k];
            assert_string_equal(sc->network.ops[p->op].id, tt_fixture_paths[i][k]);
            assert_true(p->departure >= p->arrival);
            if (k > 0) {
                assert_true(p->arrival > run->points[k - 1].departure);
                assert_true(p->position > run->points[k - 1].position);
            }
        }
        assert_true(run->points[0].is_stop && run->points[3].is_stop);
        assert_int_equal(run->n_steps, 3);
    }
    /* P1 stops at MID for at least its 2 min; passes JCT. */
    const tm_service_run *p1 = &r.runs[0];
    assert_true(p1->points[1].is_stop);
    assert_true(p1->points[1].departure - p1->points[1].arrival >= 120.0 - 1e-6);
    assert_false(p1->points[2].is_stop);
    assert_true(p1->points[2].departure == p1->points[2].arrival);
    /* F2 waits 10 min at MID. */
    assert_true(r.runs[3].points[1].departure - r.runs[3].points[1].arrival >= 600.0 - 1e-6);
    /* P2 runs past midnight: clock times beyond 86400 s. */
    assert_true(r.runs[2].arrival > 86400.0);
    /* The freight train is slower than the passenger train over the same route. */
    assert_true(r.runs[1].running_time > r.runs[2].running_time);
    tm_timetable_result_free(&r);
    tm_scenario_free(sc);
}

static void test_samples_kept(void **state)
{
    (void)state;
    tm_scenario *sc = load_fixture();
    tm_timetable_result r;
    run_fixture(sc, 1, 1, &r);
    for (size_t i = 0; i < r.n_runs; i++) {
        const tm_service_run *run = &r.runs[i];
        assert_non_null(run->samples);
        assert_true(run->n_samples > 10);
        assert_true(run->samples[0].t == 0.0);
        const tumen_sample *last = &run->samples[run->n_samples - 1];
        assert_true(fabs(run->clock_start + last->t - run->arrival) < 1e-6);
        assert_true(fabs(last->s - run->distance) < 1e-3);
    }
    tm_timetable_result_free(&r);
    tm_scenario_free(sc);
}

/* The fixture with its services replaced by 3 x copies, every 20 minutes. */
static char *many_services(int copies)
{
    const char *head = strstr(tt_fixture_yaml, "  services:\n");
    size_t n0 = (size_t)(head - tt_fixture_yaml) + strlen("  services:\n");
    size_t cap = n0 + (size_t)copies * 600 + 1;
    char *text = malloc(cap);
    assert_non_null(text);
    memcpy(text, tt_fixture_yaml, n0);
    size_t n = n0;
    for (int k = 0; k < copies; k++) {
        int m = 5 * 60 + 20 * k;
        n += (size_t)snprintf(text + n, cap - n,
                              "    - {id: p%d, train: pax, departure: \"%02d:%02d\", route: "
                              "[WES, EAS], stops: [MID]}\n"
                              "    - {id: q%d, train: pax, departure: \"%02d:%02d\", route: "
                              "[EAS, WES]}\n"
                              "    - {id: f%d, train: goods, category: freight, departure: "
                              "\"%02d:%02d\", route: [WES, JCT, SID]}\n",
                              k, m / 60, m % 60, k, m / 60, (m + 7) % 60, k, m / 60,
                              (m + 3) % 60);
    }
    return text;
}

static char *json_text(const tm_scenario *sc, const tm_timetable_result *r)
{
    json_t *doc = tm_timetable_to_json(sc, r);
    assert_non_null(doc);
    char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(doc);
    assert_non_null(s);
    return s;
}

/* Same bytes for 1, 3 and 8 threads, and as running each service alone. */
static void test_threads_identical(void **state)
{
    (void)state;
    char *text = many_services(40);
    tumen_error err;
    tm_scenario *sc = load_text(text, &err);
    assert_non_null(sc);
    assert_int_equal(sc->timetable.n_services, 120);
    tm_timetable_result r1, r3, r8;
    run_fixture(sc, 1, 1, &r1);
    run_fixture(sc, 3, 1, &r3);
    run_fixture(sc, 8, 1, &r8);
    char *a = json_text(sc, &r1), *b = json_text(sc, &r3), *c = json_text(sc, &r8);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    for (size_t i = 0; i < r1.n_runs; i++) {
        assert_int_equal(r1.runs[i].n_samples, r8.runs[i].n_samples);
        assert_memory_equal(r1.runs[i].samples, r8.runs[i].samples,
                            r1.runs[i].n_samples * sizeof *r1.runs[i].samples);
    }
    /* Services of one pattern are run once and copied: with whole runs the copies are the
     * same bytes as running each service on its own (tm_timetable_run_service runs it
     * whole); from the day's shared segments (the default) they agree to well under a
     * millisecond (the sums of the segments, docs/speed.md; test_day_segments). */
    tm_timetable_result rw;
    tm_timetable_options wopt;
    tm_timetable_options_init(&wopt);
    wopt.keep_samples = 1;
    wopt.whole_runs = 1;
    assert_int_equal(tm_timetable_run(sc, NULL, &wopt, &rw, &err), TUMEN_OK);
    for (size_t i = 0; i < r1.n_runs; i += 7) {
        tm_service_run one;
        tm_timetable_options opt;
        tm_timetable_options_init(&opt);
        opt.keep_samples = 1;
        assert_int_equal(tm_timetable_run_service(sc, &sc->timetable.services[i], &opt, &one,
                                                  &err),
                         TUMEN_OK);
        const tm_service_run *m = &rw.runs[i], *seg = &r1.runs[i];
        assert_int_equal(seg->n_points, m->n_points);
        for (size_t k = 0; k < seg->n_points; k++)
            assert_true(fabs(seg->points[k].arrival - m->points[k].arrival) < 1e-9 &&
                        fabs(seg->points[k].departure - m->points[k].departure) < 1e-9);
        assert_int_equal(one.n_points, m->n_points);
        assert_memory_equal(one.points, m->points, one.n_points * sizeof *one.points);
        assert_int_equal(one.n_samples, m->n_samples);
        assert_memory_equal(one.samples, m->samples, one.n_samples * sizeof *one.samples);
        assert_true(one.departure == m->departure && one.arrival == m->arrival);
        assert_true(one.running_time == m->running_time && one.energy == m->energy);
        assert_true(one.clock_start == m->clock_start);
        tm_service_run_free(&one);
    }
    free(a);
    free(b);
    free(c);
    tm_timetable_result_free(&r1);
    tm_timetable_result_free(&r3);
    tm_timetable_result_free(&r8);
    tm_timetable_result_free(&rw);
    tm_scenario_free(sc);
    free(text);
}

/* A service that cannot be routed: the error names the service and its line, whatever the
 * thread count; with keep_going the others still run. */
static void test_service_error(void **state)
{
    (void)state;
    char *text = edited("    - {id: JCT-SID, from: JCT, to: SID, length: 6 km, speed_limit: 40 km/h}\n",
                  "");
    tumen_error err;
    tm_scenario *sc = load_text(text, &err);
    assert_non_null(sc);
    /* Add a service to the unreachable siding by hand: a generator may do so too. */
    tm_service extra = sc->timetable.services[0];
    size_t wp[2] = {extra.waypoints[0], tm_network_find_op(&sc->network, "SID")};
    extra.waypoints = wp;
    extra.n_waypoints = 2;
    extra.n_stops = 0;
    snprintf(extra.id, sizeof extra.id, "X9");
    extra.line = 77;
    tm_timetable tt = sc->timetable;
    tm_service list[5];
    memcpy(list, tt.services, 4 * sizeof *list);
    list[2] = extra; /* index 2 fails; 3 after it is fine */
    list[4] = extra; /* the same pattern, another service: its own name in its error */
    snprintf(list[4].id, sizeof list[4].id, "X10");
    list[4].line = 88;
    list[4].departure += 3600;
    tt.services = list;
    tt.n_services = 5;
    for (int threads = 1; threads <= 4; threads += 3) {
        tm_timetable_options opt;
        tm_timetable_options_init(&opt);
        opt.threads = threads;
        tm_timetable_result r;
        memset(&err, 0, sizeof err);
        int rc = tm_timetable_run(sc, &tt, &opt, &r, &err);
        assert_int_equal(rc, TUMEN_EINPUT);
        assert_null(r.runs);
        char buf[1024];
        tumen_error_format(&err, buf, sizeof buf);
        print_message("service error (%d threads): %s\n", threads, buf);
        assert_non_null(strstr(err.message, "service 'X9' (line 77)"));
        opt.keep_going = 1;
        assert_int_equal(tm_timetable_run(sc, &tt, &opt, &r, &err), TUMEN_OK);
        assert_int_equal(r.n_failed, 2);
        assert_int_equal(r.runs[2].status, TUMEN_EINPUT);
        assert_non_null(r.runs[2].error);
        assert_non_null(strstr(r.runs[2].error->message, "service 'X9' (line 77)"));
        assert_int_equal(r.runs[4].status, TUMEN_EINPUT);
        assert_non_null(strstr(r.runs[4].error->message, "service 'X10' (line 88): no route"));
        assert_int_equal(r.runs[3].status, TUMEN_OK);
        assert_true(r.runs[3].n_points == 4);
        tm_timetable_result_free(&r);
    }
    tm_scenario_free(sc);
    free(text);
}

/* A stop the route does not pass is an error, not silently dropped. */
static void test_stop_off_route(void **state)
{
    (void)state;
    char *text = edited("stops: [{at: MID, dwell: 2 min}]", "stops: [{at: SID, dwell: 2 min}]");
    tumen_error err;
    tm_scenario *sc = load_text(text, &err);
    assert_non_null(sc);
    tm_timetable_result r;
    assert_int_equal(tm_timetable_run(sc, NULL, NULL, &r, &err), TUMEN_EINPUT);
    assert_non_null(strstr(err.message, "service 'P1'"));
    assert_non_null(strstr(err.message, "'SID' is not on the route"));
    tm_scenario_free(sc);
    free(text);
}

/* ---- outputs ------------------------------------------------------------------------------- */

static void test_json_keys(void **state)
{
    (void)state;
    tm_scenario *sc = load_fixture();
    tm_timetable_result r;
    run_fixture(sc, 2, 0, &r);
    json_t *doc = tm_timetable_to_json(sc, &r);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "name")), "Fixture day");
    assert_string_equal(json_string_value(json_object_get(doc, "date")), "2026-11-30");
    json_t *services = json_object_get(doc, "services");
    assert_int_equal(json_array_size(services), 4);
    static const char *const keys[] = {"id", "train", "category", "departure_s", "arrival_s",
                                       "running_time_s", "distance_m", "energy_j",
                                       "timing_points", NULL};
    static const char *const tp_keys[] = {"op", "name", "position_m", "arrival_s",
                                          "departure_s", "is_stop", NULL};
    for (size_t i = 0; i < 4; i++) {
        json_t *s = json_array_get(services, i);
        for (size_t k = 0; keys[k]; k++)
            assert_non_null(json_object_get(s, keys[k]));
        json_t *tps = json_object_get(s, "timing_points");
        assert_int_equal(json_array_size(tps), 4);
        double last = -1;
        for (size_t k = 0; k < 4; k++) {
            json_t *tp = json_array_get(tps, k);
            for (size_t j = 0; tp_keys[j]; j++)
                assert_non_null(json_object_get(tp, tp_keys[j]));
            assert_string_equal(json_string_value(json_object_get(tp, "op")),
                                tt_fixture_paths[i][k]);
            double a = json_real_value(json_object_get(tp, "arrival_s"));
            assert_true(a >= last);
            last = json_real_value(json_object_get(tp, "departure_s"));
        }
    }
    json_t *p1 = json_array_get(services, 0);
    assert_string_equal(json_string_value(json_object_get(p1, "id")), "P1");
    assert_string_equal(json_string_value(json_object_get(p1, "train")), "pax");
    assert_string_equal(json_string_value(json_object_get(p1, "category")), "passenger");
    assert_true(json_real_value(json_object_get(p1, "departure_s")) == 21600.0);
    json_decref(doc);
    tm_timetable_result_free(&r);
    tm_scenario_free(sc);
}

static void test_csv_rows(void **state)
{
    (void)state;
    tm_scenario *sc = load_fixture();
    tm_timetable_result r;
    run_fixture(sc, 1, 0, &r);
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/tt.csv", dir);
    tumen_error err;
    assert_int_equal(tm_timetable_write_csv(sc, &r, path, &err), TUMEN_OK);
    size_t len;
    char *text = tm_test_read_file(path, &len);
    assert_non_null(text);
    assert_true(strncmp(text, "service_id,train,category,seq,op_id,op_name,position_m,"
                              "arrival_s,departure_s,arrival,departure,stop\n",
                        100) == 0);
    size_t rows = 0;
    for (size_t i = 0; i < len; i++)
        rows += text[i] == '\n';
    assert_int_equal(rows, 1 + 4 * 4);
    /* a name with a comma is quoted; the second row is P1 at Midvale */
    assert_non_null(strstr(text, "P1,pax,passenger,2,MID,\"Midvale, upper\",14000.000,"));
    assert_non_null(strstr(text, "P1,pax,passenger,1,WES,Westport,0.000,21600.000,21600.000,"
                                 "06:00:00,06:00:00,1\n"));
    /* the same run writes the same bytes */
    char path2[128];
    snprintf(path2, sizeof path2, "%s/tt2.csv", dir);
    assert_int_equal(tm_timetable_write_csv(sc, &r, path2, &err), TUMEN_OK);
    size_t len2;
    char *text2 = tm_test_read_file(path2, &len2);
    assert_non_null(text2);
    assert_int_equal(len, len2);
    assert_memory_equal(text, text2, len);
    free(text);
    free(text2);
    /* an unwritable place: an error and nothing left */
    assert_int_equal(tm_timetable_write_csv(sc, &r, "/nonexistent-dir/x.csv", &err), TUMEN_EIO);
    remove_dir(dir);
    tm_timetable_result_free(&r);
    tm_scenario_free(sc);
}

static void test_clock_text(void **state)
{
    (void)state;
    char buf[16];
    assert_string_equal(tm_clock_text(0, buf, sizeof buf), "00:00:00");
    assert_string_equal(tm_clock_text(6 * 3600 + 59.6, buf, sizeof buf), "06:01:00");
    assert_string_equal(tm_clock_text(25 * 3600 + 10 * 60, buf, sizeof buf), "25:10:00");
    assert_string_equal(tm_clock_text(-5, buf, sizeof buf), "00:00:00");
}

/* ---- the time-distance diagram ------------------------------------------------------------ */

static void check_magic(const char *path, const char *magic, size_t n)
{
    size_t len;
    char *data = tm_test_read_file(path, &len);
    assert_non_null(data);
    assert_true(len > 1000);
    assert_memory_equal(data, magic, n);
    free(data);
}

static void test_plot(void **state)
{
    (void)state;
    tm_scenario *sc = load_fixture();
    tm_timetable_result r;
    run_fixture(sc, 1, 1, &r);
    char dir[64], png[128], svg[128], svg2[128];
    make_dir(dir, sizeof dir);
    snprintf(png, sizeof png, "%s/graph.png", dir);
    snprintf(svg, sizeof svg, "%s/graph.svg", dir);
    snprintf(svg2, sizeof svg2, "%s/graph2.svg", dir);
    size_t wes = tm_network_find_op(&sc->network, "WES");
    size_t eas = tm_network_find_op(&sc->network, "EAS");
    size_t sid = tm_network_find_op(&sc->network, "SID");
    tumen_error err;
    assert_int_equal(tm_timetable_write_graph(sc, &r, wes, eas, png, &err), TUMEN_OK);
    check_magic(png, "\x89PNG\r\n\x1a\n", 8);
    assert_int_equal(tm_timetable_write_graph(sc, &r, eas, sid, svg, &err), TUMEN_OK);
    check_magic(svg, "<?xml", 5);
    size_t len;
    char *text = tm_test_read_file(svg, &len);
    assert_non_null(text);
    free(text);
    /* without samples: drawn from the timing points */
    tm_timetable_result r0;
    run_fixture(sc, 1, 0, &r0);
    assert_int_equal(tm_timetable_write_graph(sc, &r0, wes, eas, svg2, &err), TUMEN_OK);
    check_magic(svg2, "<?xml", 5);
    /* a bad extension is a usage error and writes nothing */
    char bad[128];
    snprintf(bad, sizeof bad, "%s/graph.pdf", dir);
    assert_int_equal(tm_timetable_write_graph(sc, &r, wes, eas, bad, &err), TUMEN_EUSAGE);
    assert_int_equal(access(bad, F_OK), -1);
    assert_int_equal(tm_timetable_write_graph(sc, &r, wes, wes, png, &err), TUMEN_EUSAGE);
    remove_dir(dir);
    tm_timetable_result_free(&r);
    tm_timetable_result_free(&r0);
    tm_scenario_free(sc);
}

/* LeakSanitizer: fontconfig, under cairo's text, keeps its caches for the life of the
 * process; not a leak of ours (as in test_outputs.c). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_services),
        cmocka_unit_test(test_read_across_files),
        cmocka_unit_test(test_withdraw),
        cmocka_unit_test(test_unknown_train),
        cmocka_unit_test(test_unknown_station),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_timing_points),
        cmocka_unit_test(test_samples_kept),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_service_error),
        cmocka_unit_test(test_stop_off_route),
        cmocka_unit_test(test_json_keys),
        cmocka_unit_test(test_csv_rows),
        cmocka_unit_test(test_clock_text),
        cmocka_unit_test(test_plot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
