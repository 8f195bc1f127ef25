/* test_allowance.c: running-time allowances, targets and eco driving.
 *
 *  - every timing point with a planned time (a target, or the end of a range with an
 *    allowance) is passed within one second of it, and the energy at the wheel is never
 *    above the minimum-time run's: TrainRuns.jl trains x paths (../shared/data, skipped
 *    when absent), the flagship, linear and eco, percent, per 100 km and fixed time;
 *  - eco uses less energy than linear for the same allowance on a hilly line;
 *  - without an allowance nothing changes;
 *  - targets and range allowances from a journey file; bad allowances name file and line;
 *  - regenerative braking and traction efficiency give the supply energy;
 *  - how far eco is from the best run of its own family (cruise at v_c, coast, brake),
 *    found by brute force over v_c with the coasting point bisected for the time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/readers.h"
#include "model/scenario.h"
#include "physics/physics.h"
#include "run/run.h"
#include "support.h"
#include "tumen.h"

static tm_scenario *load_files(const char *const *files, size_t n)
{
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    if (tm_scenario_load(&sc, files, n, &err) != TUMEN_OK)
        fail_msg("%s: %s (line %d, %s)", files[0], err.message, err.line, err.field);
    return sc;
}

static tm_scenario *load_text(const char *text)
{
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    if (tm_scenario_load_text(&sc, "test.yaml", text, strlen(text), &err) != TUMEN_OK)
        fail_msg("test.yaml: %s (line %d, %s)", err.message, err.line, err.field);
    return sc;
}

static tumen_result *run_with(const tm_scenario *sc, const char *allowance,
                              tumen_driving driving)
{
    tumen_run_options o;
    tumen_run_options_init(&o);
    tumen_error err = {0};
    if (allowance)
        assert_int_equal(tumen_allowance_parse(allowance, &o.allowance, &err), TUMEN_OK);
    o.driving = driving;
    tumen_result *r = NULL;
    if (tm_scenario_run(sc, &o, &r, &err) != TUMEN_OK)
        fail_msg("run: %s", err.message);
    return r;
}

/* Every planned time met within 1 s; energy not above the fastest run's. Returns the
 * number of timing points checked. */
static size_t check_result(const tumen_result *r, const char *what)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_timing_points; i++) {
        const tumen_timing_point *tp = &r->timing_points[i];
        if (tp->target < 0.0)
            continue;
        n++;
        if (fabs(tp->arrival - tp->target) > 1.0)
            fail_msg("%s: %s arrives at %.2f s, planned %.2f s", what, tp->name, tp->arrival,
                     tp->target);
    }
    if (r->energy > r->min_time_energy * (1.0 + 1e-9))
        fail_msg("%s: energy %.6g J above the fastest run's %.6g J", what, r->energy,
                 r->min_time_energy);
    return n;
}

static const char *const allowances[] = {"5%", "3 min/100km", "10%"};

static void test_trainruns(void **state)
{
    (void)state;
    if (!tm_test_shared_dir())
        tm_test_skip("the TrainRuns.jl data of ../shared is missing");
    static const char *trains[] = {"freight", "local", "longdistance"};
    static const char *paths[] = {"const", "slope", "speed", "realworld"};
    for (size_t i = 0; i < 3; i++) {
        for (size_t k = 0; k < 4; k++) {
            char train[512], path[512], rel[128], what[256];
            snprintf(rel, sizeof rel, "data/trainruns/trains/%s.yaml", trains[i]);
            assert_int_equal(tm_test_shared_path(train, sizeof train, rel), 0);
            snprintf(rel, sizeof rel, "data/trainruns/paths/%s.yaml", paths[k]);
            assert_int_equal(tm_test_shared_path(path, sizeof path, rel), 0);
            const char *files[] = {train, path};
            tm_scenario *sc = load_files(files, 2);
            for (size_t a = 0; a < 3; a++) {
                double e[2], e_min = 0.0;
                for (int d = 0; d < 2; d++) {
                    tumen_driving dr = d ? TUMEN_DRIVING_ECO : TUMEN_DRIVING_LINEAR;
                    snprintf(what, sizeof what, "%s/%s %s %s", trains[i], paths[k],
                             allowances[a], d ? "eco" : "linear");
                    tumen_result *r = run_with(sc, allowances[a], dr);
                    assert_true(check_result(r, what) >= 1);
                    assert_true(r->running_time > r->min_running_time);
                    e[d] = r->energy;
                    e_min = r->min_time_energy;
                    tumen_result_destroy(r);
                }
                if (a == 0)
                    print_message("%-22s 5%%: energy saved against the fastest run: linear "
                                  "%5.1f%%, eco %5.1f%%\n",
                                  what, 100.0 * (1.0 - e[0] / e_min), 100.0 * (1.0 - e[1] / e_min));
            }
            tm_scenario_free(sc);
        }
    }
}

static void test_flagship(void **state)
{
    (void)state;
    const char *files[] = {TUMEN_SOURCE_DIR "/examples/flagship/journey.yaml"};
    tm_scenario *sc = load_files(files, 1);
    static const char *const more[] = {"5%", "3 min/100km", "600 s"};
    for (size_t a = 0; a < 3; a++) {
        for (int d = 0; d < 2; d++) {
            char what[128];
            snprintf(what, sizeof what, "flagship %s %s", more[a], d ? "eco" : "linear");
            tumen_result *r = run_with(sc, more[a], d ? TUMEN_DRIVING_ECO : TUMEN_DRIVING_LINEAR);
            assert_true(check_result(r, what) >= 6);
            if (a == 2) /* 600 s over the whole journey, shared among the legs */
                assert_true(fabs(r->running_time - r->min_running_time - 600.0) < 1.0);
            print_message("%-28s running time %.1f s (fastest %.1f s), energy %.1f kWh "
                          "(fastest %.1f kWh, saved %.1f%%)\n",
                          what, r->running_time, r->min_running_time, r->energy / 3.6e6,
                          r->min_time_energy / 3.6e6,
                          100.0 * (1.0 - r->energy / r->min_time_energy));
            tumen_result_destroy(r);
        }
    }
    tm_scenario_free(sc);
}

/* A 40 km line of alternating 10 permille climbs and descents, stops at both ends. */
static const char hilly[] =
    "vehicles:\n"
    "  - {id: loco, kind: locomotive, mass: 90 t, length: 20 m, max_speed: 120 km/h,\n"
    "     traction: {max_force: 300 kN, max_power: 3000 kW},\n"
    "     resistance: {law: davis, a: 2 kN, b: 20 N/(km/h), c: 0.5 N/(km/h)^2},\n"
    "     brake: {deceleration: 0.5 m/s2}}\n"
    "  - {id: coach, kind: coach, mass: 50 t, length: 25 m,\n"
    "     resistance: {law: davis, a: 0.8 kN, b: 5 N/(km/h), c: 0.2 N/(km/h)^2},\n"
    "     brake: {deceleration: 0.5 m/s2}}\n"
    "trains:\n"
    "  - {id: t, consist: \"loco + 8 x coach\"}\n"
    "lines:\n"
    "  - id: hills\n"
    "    sections:\n"
    "      - {from: 0 km, to: 6 km, speed_limit: 120 km/h, gradient: 0}\n"
    "      - {from: 6 km, to: 12 km, speed_limit: 120 km/h, gradient: 10 permille}\n"
    "      - {from: 12 km, to: 18 km, speed_limit: 120 km/h, gradient: -10 permille}\n"
    "      - {from: 18 km, to: 24 km, speed_limit: 100 km/h, gradient: 8 permille}\n"
    "      - {from: 24 km, to: 32 km, speed_limit: 120 km/h, gradient: -12 permille}\n"
    "      - {from: 32 km, to: 40 km, speed_limit: 120 km/h, gradient: 0}\n"
    "    points:\n"
    "      - {name: A, at: 0 km, stop: true}\n"
    "      - {name: B, at: 40 km, stop: true}\n";

static void test_eco_beats_linear_on_hills(void **state)
{
    (void)state;
    tm_scenario *sc = load_text(hilly);
    static const char *const amounts[] = {"3%", "8%", "15%"};
    for (size_t a = 0; a < 3; a++) {
        tumen_result *lin = run_with(sc, amounts[a], TUMEN_DRIVING_LINEAR);
        tumen_result *eco = run_with(sc, amounts[a], TUMEN_DRIVING_ECO);
        check_result(lin, "hills linear");
        check_result(eco, "hills eco");
        assert_true(fabs(lin->running_time - eco->running_time) < 1.0);
        print_message("hills %-4s fastest %.1f kWh, linear %.1f kWh, eco %.1f kWh "
                      "(eco %.1f%% below linear)\n",
                      amounts[a], lin->min_time_energy / 3.6e6, lin->energy / 3.6e6,
                      eco->energy / 3.6e6, 100.0 * (1.0 - eco->energy / lin->energy));
        assert_true(eco->energy < lin->energy);
        tumen_result_destroy(lin);
        tumen_result_destroy(eco);
    }
    tm_scenario_free(sc);
}

static int same_result(const tumen_result *a, const tumen_result *b)
{
    if (a->n_samples != b->n_samples || a->running_time != b->running_time ||
        a->energy != b->energy)
        return 0;
    for (size_t i = 0; i < a->n_samples; i++)
        if (a->samples[i].t != b->samples[i].t || a->samples[i].v != b->samples[i].v)
            return 0;
    return 1;
}

static void test_no_allowance_unchanged(void **state)
{
    (void)state;
    const char *files[] = {TUMEN_SOURCE_DIR "/tests/data/simple.yaml"};
    tm_scenario *sc = load_files(files, 1);
    tumen_result *plain = run_with(sc, NULL, TUMEN_DRIVING_DEFAULT);
    tumen_result *eco_only = run_with(sc, NULL, TUMEN_DRIVING_ECO);
    tumen_result *zero = run_with(sc, "0%", TUMEN_DRIVING_ECO);
    assert_true(same_result(plain, eco_only));
    assert_true(same_result(plain, zero));
    /* The minimum-time run an allowance is planned from (run/allowance.c, run_minimum) is
     * the plain run, found by its own path. */
    tumen_result *eco5 = run_with(sc, "5%", TUMEN_DRIVING_ECO);
    assert_true(eco5->running_time > plain->running_time + 1.0);
    assert_true(fabs(eco5->min_running_time - plain->running_time) < 1e-6);
    assert_true(fabs(eco5->min_time_energy - plain->energy) < 1e-6 * plain->energy);
    tumen_result_destroy(eco5);
    assert_true(plain->energy_supply == plain->energy); /* no efficiency given */
    for (size_t i = 0; i < plain->n_timing_points; i++)
        assert_true(plain->timing_points[i].target < 0.0);
    tumen_result_destroy(plain);
    tumen_result_destroy(eco_only);
    tumen_result_destroy(zero);
    tm_scenario_free(sc);
}

static void test_parse(void **state)
{
    (void)state;
    tumen_allowance a;
    tumen_error err = {0};
    assert_int_equal(tumen_allowance_parse("5%", &a, &err), TUMEN_OK);
    assert_int_equal(a.kind, TUMEN_ALLOWANCE_PERCENT);
    assert_true(a.value == 5.0);
    assert_int_equal(tumen_allowance_parse("3 min/100km", &a, &err), TUMEN_OK);
    assert_int_equal(a.kind, TUMEN_ALLOWANCE_PER_100KM);
    assert_true(a.value == 180.0);
    assert_int_equal(tumen_allowance_parse("90 s", &a, &err), TUMEN_OK);
    assert_int_equal(a.kind, TUMEN_ALLOWANCE_TIME);
    assert_true(a.value == 90.0);
    assert_int_equal(tumen_allowance_parse("1.5 min", &a, &err), TUMEN_OK);
    assert_true(a.value == 90.0);
    assert_int_equal(tumen_allowance_parse("5", &a, &err), TUMEN_EINPUT);
    assert_int_equal(tumen_allowance_parse("5 parsecs", &a, &err), TUMEN_EINPUT);
    assert_int_equal(tumen_allowance_parse("-3%", &a, &err), TUMEN_EINPUT);
    assert_non_null(strstr(err.message, "percentage"));
}

/* simple.yaml's vehicles and line with a journey that gives targets and ranges. */
static char *simple_with(const char *journey)
{
    size_t n = 0;
    char *base = tm_test_read_file(TUMEN_SOURCE_DIR "/tests/data/simple.yaml", &n);
    assert_non_null(base);
    size_t m = strlen(journey);
    char *text = malloc(n + m + 1);
    assert_non_null(text);
    memcpy(text, base, n);
    memcpy(text + n, journey, m + 1);
    free(base);
    return text;
}

static void test_journey_file(void **state)
{
    (void)state;
    /* Fastest: Bridge 688 s, Midvale 986 s (dep 1046 s), Hightown 1636 s. */
    char *text = simple_with("journey:\n"
                             "  departure: \"06:00\"\n"
                             "  legs:\n"
                             "    - train: regional\n"
                             "      line: valley\n"
                             "      driving: eco\n"
                             "      allowances:\n"
                             "        - {from: Midvale, to: Hightown, allowance: 8%}\n"
                             "      targets:\n"
                             "        - {at: Bridge, arrival: \"06:12:00\"}\n"
                             "        - {at: Midvale, by: 17 min}\n");
    tm_scenario *sc = load_text(text);
    tumen_result *r = run_with(sc, NULL, TUMEN_DRIVING_DEFAULT);
    assert_int_equal(check_result(r, "journey file"), 3);
    const tumen_timing_point *tp = r->timing_points;
    assert_string_equal(tp[1].name, "Bridge");
    assert_true(fabs(tp[1].arrival - 720.0) < 1.0);
    assert_true(fabs(tp[2].arrival - 1020.0) < 1.0);
    double run3 = tp[3].arrival - tp[2].departure;
    print_message("targets: Bridge %.2f s (720), Midvale %.2f s (1020), Midvale-Hightown "
                  "%.1f s\n", tp[1].arrival, tp[2].arrival, run3);
    assert_int_equal(r->legs[0].driving, TUMEN_DRIVING_ECO);
    tumen_result_destroy(r);
    tm_scenario_free(sc);
    free(text);

    /* An exact target the train cannot meet. */
    text = simple_with("journey:\n"
                       "  legs:\n"
                       "    - {train: regional, line: valley,\n"
                       "       targets: [{at: Midvale, arrival: 10 min}]}\n");
    sc = load_text(text);
    tumen_run_options o;
    tumen_run_options_init(&o);
    tumen_error err = {0};
    r = NULL;
    assert_int_equal(tm_scenario_run(sc, &o, &r, &err), TUMEN_EINPUT);
    assert_non_null(strstr(err.message, "Midvale"));
    assert_null(r);
    /* --fastest ignores it. */
    o.fastest = 1;
    assert_int_equal(tm_scenario_run(sc, &o, &r, &err), TUMEN_OK);
    tumen_result_destroy(r);
    tm_scenario_free(sc);
    free(text);

    /* Bad values name the line and field. */
    static const char *const bad[] = {
        "journey:\n  allowance: 5 parsecs\n  legs:\n    - {train: regional, line: valley}\n",
        "journey:\n  driving: sporty\n  legs:\n    - {train: regional, line: valley}\n",
        "journey:\n  legs:\n    - {train: regional, line: valley,\n"
        "       targets: [{at: Midvale}]}\n"};
    static const char *const field[] = {"journey.allowance", "journey.driving",
                                        "journey.legs[0].targets[0]"};
    for (size_t i = 0; i < 3; i++) {
        text = simple_with(bad[i]);
        tm_scenario *s2 = NULL;
        assert_int_equal(tm_scenario_load_text(&s2, "bad.yaml", text, strlen(text), &err),
                         TUMEN_EINPUT);
        assert_string_equal(err.file, "bad.yaml");
        assert_true(err.line > 50);
        assert_string_equal(err.field, field[i]);
        free(text);
    }
}

/* Traction efficiency and regenerative braking: supply = wheel / efficiency - regenerated. */
static void test_supply_energy(void **state)
{
    (void)state;
    size_t n = 0;
    char *base = tm_test_read_file(TUMEN_SOURCE_DIR "/tests/data/simple.yaml", &n);
    assert_non_null(base);
    /* Give the locomotive an efficiency and a regenerative brake. */
    char *text = malloc(n + 256);
    assert_non_null(text);
    const char *at = strstr(base, "      max_power: 2000 kW\n");
    assert_non_null(at);
    size_t head = (size_t)(at - base) + strlen("      max_power: 2000 kW\n");
    memcpy(text, base, head);
    strcpy(text + head, "      efficiency: 0.8\n");
    strcat(text, base + head);
    char *brake = strstr(text, "    brake:\n      weight: 100 t\n");
    assert_non_null(brake);
    char *tail = strdup(brake + strlen("    brake:\n      weight: 100 t\n"));
    strcpy(brake, "    brake:\n      weight: 100 t\n      regenerative: 0.6\n");
    strcat(brake, tail);
    free(tail);
    free(base);
    tm_scenario *sc = load_text(text);
    tumen_result *r = run_with(sc, NULL, TUMEN_DRIVING_DEFAULT);
    assert_true(r->energy_regenerated > 0.0);
    assert_true(fabs(r->energy_supply - (r->energy / 0.8 - r->energy_regenerated)) <
                1e-6 * r->energy);
    /* The regenerated energy is at most 60 % of the kinetic energy braked away. */
    print_message("supply: wheel %.1f kWh, supply %.1f kWh, regenerated %.1f kWh\n",
                  r->energy / 3.6e6, r->energy_supply / 3.6e6, r->energy_regenerated / 3.6e6);
    tumen_result *e = run_with(sc, "8%", TUMEN_DRIVING_ECO);
    check_result(e, "regenerative eco");
    assert_true(e->energy_supply < r->energy_supply);
    tumen_result_destroy(e);
    tumen_result_destroy(r);
    tm_scenario_free(sc);
    free(text);
}

/* ---- Brute force ---------------------------------------------------------------------- */

typedef struct bf {
    tm_course c;
    TM_VEC(tm_limit_piece) limits;
    double from, to;
} bf;

/* Runs [from, to] with limits capped at vc and coasting from xc to the end; returns the
 * running time and *energy. */
static double bf_run(bf *b, double vc, double xc, double *energy)
{
    tm_course cc = b->c;
    b->limits.n = 0;
    for (size_t i = 0; i < b->c.limits.n; i++) {
        tm_limit_piece p = b->c.limits.items[i];
        p.v = fmin(p.v, vc);
        assert_int_equal(tm_vec_push(&b->limits, p), 0);
    }
    cc.limits.items = b->limits.items;
    cc.limits.n = b->limits.n;
    tm_coast_region reg = {xc, b->to, 0.5};
    tm_pass_options po = {0.0, &reg, xc < b->to ? 1 : 0, NULL, 0};
    tm_samples smp = {0};
    tumen_sample x0 = {0, b->from, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(tm_vec_push(&smp, x0), 0);
    tumen_error err = {0};
    assert_int_equal(tm_pass_segment(&smp, &cc, b->from, b->to, &po, &err), TUMEN_OK);
    double t = smp.items[smp.n - 1].t;
    *energy = smp.items[smp.n - 1].energy;
    free(smp.items);
    return t;
}

/* The least energy of the family (cruise at vc, coast from xc, brake) that arrives at T. */
static double brute_force(bf *b, double T, double v_max, double *best_vc)
{
    double best = INFINITY;
    for (int i = 0; i <= 400; i++) {
        double vc = v_max * (0.4 + 0.6 * i / 400.0), e = 0.0;
        if (bf_run(b, vc, b->to, &e) > T)
            continue; /* too slow even without coasting */
        double lo = b->from, hi = b->to; /* coast from lo: slow; from hi: fast */
        if (bf_run(b, vc, lo, &e) < T)
            continue;
        for (int it = 0; it < 50; it++) {
            double mid = 0.5 * (lo + hi);
            if (bf_run(b, vc, mid, &e) > T)
                lo = mid;
            else
                hi = mid;
        }
        bf_run(b, vc, hi, &e);
        if (e < best) {
            best = e;
            *best_vc = vc;
        }
    }
    return best;
}

static void test_optimality_gap(void **state)
{
    (void)state;
    /* Level 12 km between two stops, 120 km/h. */
    const char *level =
        "vehicles:\n"
        "  - {id: loco, kind: locomotive, mass: 90 t, length: 20 m, max_speed: 120 km/h,\n"
        "     traction: {max_force: 300 kN, max_power: 3000 kW},\n"
        "     resistance: {law: davis, a: 2 kN, b: 20 N/(km/h), c: 0.5 N/(km/h)^2},\n"
        "     brake: {deceleration: 0.5 m/s2}}\n"
        "  - {id: coach, kind: coach, mass: 50 t, length: 25 m,\n"
        "     resistance: {law: davis, a: 0.8 kN, b: 5 N/(km/h), c: 0.2 N/(km/h)^2},\n"
        "     brake: {deceleration: 0.5 m/s2}}\n"
        "trains:\n"
        "  - {id: t, consist: \"loco + 8 x coach\"}\n"
        "lines:\n"
        "  - id: flat\n"
        "    sections:\n"
        "      - {from: 0 km, to: 12 km, speed_limit: 120 km/h, gradient: 0}\n";
    tm_scenario *sc = load_text(level);
    bf b = {0};
    tumen_error err = {0};
    assert_int_equal(tm_course_build(&b.c, &sc->trains[0], &sc->lines[0], TUMEN_MASS_POINT, &err),
                     TUMEN_OK);
    b.from = b.c.start;
    b.to = b.c.end;
    static const char *const amounts[] = {"3%", "8%", "15%", "25%"};
    for (size_t a = 0; a < 4; a++) {
        tumen_result *eco = run_with(sc, amounts[a], TUMEN_DRIVING_ECO);
        check_result(eco, "flat eco");
        double vc = 0.0;
        double best = brute_force(&b, eco->running_time, 120.0 / 3.6, &vc);
        double gap = eco->energy / best - 1.0;
        print_message("flat %-4s T %.1f s: eco %.3f kWh, brute force %.3f kWh (v_c %.1f "
                      "km/h): eco %+.2f%%\n",
                      amounts[a], eco->running_time, eco->energy / 3.6e6, best / 3.6e6,
                      vc * 3.6, 100.0 * gap);
        assert_true(isfinite(best));
        assert_true(gap < 0.01); /* within 1 % of the best of its family */
        tumen_result_destroy(eco);
    }
    free(b.limits.items);
    tm_course_free(&b.c);
    tm_scenario_free(sc);
}

/* TTOBench: each train on the benchmark's journey, arriving by the journey's latest times;
 * the energy next to the fastest run's. A train too slow for the windows is reported. */
static void test_ttobench(void **state)
{
    (void)state;
    char dir[512], train[640], track[640], journey[640];
    if (tm_test_shared_path(dir, sizeof dir, "data/ttobench/journeys/CH_StGallen_Wil_Journey_01.json"))
        tm_test_skip("the TTOBench data of ../shared is missing");
    static const char *const trains[] = {"CH_Stadler_FLIRT_TPF", "CH_Stadler_KISS_SBB",
                                         "CN_Beijing_Subway", "NL_Intercity_VIRM6"};
    snprintf(journey, sizeof journey, "%s", dir);
    assert_int_equal(tm_test_shared_path(track, sizeof track, "data/ttobench/tracks/CH_StGallen_Wil.json"), 0);
    size_t ran = 0;
    for (size_t i = 0; i < 4; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "data/ttobench/trains/%s.json", trains[i]);
        assert_int_equal(tm_test_shared_path(train, sizeof train, rel), 0);
        const char *files[] = {train, track, journey};
        tm_scenario *sc = load_files(files, 3);
        tumen_run_options o;
        tumen_run_options_init(&o);
        tumen_result *r = NULL;
        tumen_error err = {0};
        int rc = tm_scenario_run(sc, &o, &r, &err);
        if (rc != TUMEN_OK) {
            assert_int_equal(rc, TUMEN_EINPUT); /* windows the train cannot meet */
            print_message("TTOBench %-22s %s\n", trains[i], err.message);
            tm_scenario_free(sc);
            continue;
        }
        /* Every TTOBench bound is a "by": met when the train is not later (within 1 s). */
        for (size_t k = 0; k < r->n_timing_points; k++) {
            const tumen_timing_point *tp = &r->timing_points[k];
            if (tp->target >= 0.0 && tp->arrival > tp->target + 1.0)
                fail_msg("%s: %s arrives at %.2f s, by %.2f s", trains[i], tp->name,
                         tp->arrival, tp->target);
        }
        assert_true(r->energy <= r->min_time_energy);
        assert_true(r->energy_supply <= r->min_time_energy_supply);
        print_message("TTOBench %-22s arrives %.1f s (fastest %.1f s): wheel %.2f kWh "
                      "(fastest %.2f), supply %.2f kWh (fastest %.2f), saving %.1f%%\n",
                      trains[i], r->running_time, r->min_running_time, r->energy / 3.6e6,
                      r->min_time_energy / 3.6e6, r->energy_supply / 3.6e6,
                      r->min_time_energy_supply / 3.6e6,
                      100.0 * (1.0 - r->energy_supply / r->min_time_energy_supply));
        ran++;
        tumen_result_destroy(r);
        tm_scenario_free(sc);
    }
    assert_true(ran >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_no_allowance_unchanged),
        cmocka_unit_test(test_journey_file),
        cmocka_unit_test(test_eco_beats_linear_on_hills),
        cmocka_unit_test(test_supply_energy),
        cmocka_unit_test(test_optimality_gap),
        cmocka_unit_test(test_flagship),
        cmocka_unit_test(test_trainruns),
        cmocka_unit_test(test_ttobench),
    };
    return tm_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
