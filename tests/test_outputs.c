/* test_outputs.c: the CSV, JSON and plot writers, and the atomic-write guarantee.
 * Each test builds a synthetic tumen_result (no engine needed) and writes into a fresh
 * temporary directory that is removed afterwards. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/atomic.h"
#include "formats/output.h"
#include "support.h"
#include "tumen.h"

/* ---- fixtures ------------------------------------------------------------------------ */

typedef struct fixture {
    char dir[64];
    tumen_result r;
    tumen_sample samples[64];
    tumen_timing_point tps[3];
    tumen_leg_summary legs[1];
    double ps[3], plim[3], pgrad[3];
} fixture;

/* A 10 km run: accelerate to 30 m/s, cruise, brake to a stop at 10 km; an intermediate
 * timing point passed at 5 km. */
static void build_result(fixture *fx)
{
    tumen_result *r = &fx->r;
    memset(r, 0, sizeof *r);
    const size_t n = 40;
    double energy = 0;
    for (size_t i = 0; i < n; i++) {
        tumen_sample *p = &fx->samples[i];
        double u = (double)i / (double)(n - 1);  /* 0..1 along the line */
        p->s = 10000.0 * u;
        p->v = u < 0.2 ? 30.0 * sqrt(u / 0.2) : u > 0.85 ? 30.0 * sqrt((1 - u) / 0.15) : 30.0;
        p->t = 12.5 * (double)i;
        p->a = u < 0.2 ? 0.6 : u > 0.85 ? -0.5 : 0.0;
        p->traction = u < 0.2 ? 200000.0 : u > 0.85 ? 0.0 : 40000.0;
        p->brake = u > 0.85 ? 150000.0 : 0.0;
        p->resistance = 20000.0 + 10.0 * p->v * p->v;
        p->grade_force = u < 0.5 ? 5000.0 : -3000.0;
        energy += p->traction * (10000.0 / (double)(n - 1));
        p->energy = energy;
        p->mode = u == 0 ? TUMEN_MODE_STANDSTILL
                  : u < 0.2 ? TUMEN_MODE_ACCELERATE
                  : u > 0.85 ? TUMEN_MODE_BRAKE
                  : TUMEN_MODE_CRUISE;
        p->leg = 0;
    }
    fx->samples[0].v = 0;
    fx->samples[n - 1].v = 0;
    r->samples = fx->samples;
    r->n_samples = n;

    memset(fx->tps, 0, sizeof fx->tps);
    fx->tps[0].name = "Tumen";
    fx->tps[0].position = 0;
    fx->tps[0].arrival = 0;
    fx->tps[0].departure = 0;
    fx->tps[0].is_stop = 1;
    fx->tps[1].name = "Ussuri junction";
    fx->tps[1].position = 5000;
    fx->tps[1].arrival = fx->tps[1].departure = 243.75;
    fx->tps[2].name = "Khasan (border) \xe2\x80\x94 end";
    fx->tps[2].position = 10000;
    fx->tps[2].arrival = 487.5;
    fx->tps[2].departure = 487.5;
    fx->tps[2].is_stop = 1;
    fx->tps[2].change = "bogie exchange";
    r->timing_points = fx->tps;
    r->n_timing_points = 3;

    memset(fx->legs, 0, sizeof fx->legs);
    fx->legs[0].train = "Test freight";
    fx->legs[0].line = "Tumen river line";
    fx->legs[0].start_position = 0;
    fx->legs[0].end_position = 10000;
    fx->legs[0].departure = 0;
    fx->legs[0].arrival = 487.5;
    fx->legs[0].energy = energy;
    fx->legs[0].max_speed = 30;
    fx->legs[0].train_mass = 1.5e6;
    fx->legs[0].train_length = 620.5;
    fx->legs[0].brake_percentage = 67;
    r->legs = fx->legs;
    r->n_legs = 1;

    r->running_time = 487.5;
    r->distance = 10000;
    r->energy = energy;
    r->max_speed = 30;
    fx->ps[0] = 0;
    fx->ps[1] = 3000;
    fx->ps[2] = 7000;
    fx->plim[0] = 80 / 3.6;
    fx->plim[1] = 120 / 3.6;
    fx->plim[2] = 100 / 3.6;
    fx->pgrad[0] = 0.004;
    fx->pgrad[1] = -0.0065;
    fx->pgrad[2] = 0.0;
    r->profile_s = fx->ps;
    r->profile_limit = fx->plim;
    r->profile_gradient = fx->pgrad;
    r->n_profile = 3;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    tm_test_tmp(fx->dir, sizeof fx->dir, "tumen_outputs_XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    build_result(fx);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    if (d) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof p, "%s/%s", fx->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static void path_in(const fixture *fx, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", fx->dir, name);
}

/* Number of entries in the fixture's directory, and whether any is a temporary. */
static int count_entries(const fixture *fx, int *tmp_found)
{
    int n = 0;
    *tmp_found = 0;
    DIR *d = opendir(fx->dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".tmp") == 0)
            *tmp_found = 1;
    }
    closedir(d);
    return n;
}

/* ---- CSV ----------------------------------------------------------------------------- */

static void test_csv_header_and_rows(void **state)
{
    fixture *fx = *state;
    char path[256];
    path_in(fx, "traj.csv", path, sizeof path);
    tumen_error err;
    assert_int_equal(tumen_write_trajectory_csv(&fx->r, path, &err), TUMEN_OK);
    char *text = tm_test_read_file(path, NULL);
    assert_non_null(text);
    const char *header =
        "t_s,s_m,v_ms,v_kmh,a_ms2,traction_n,brake_n,resistance_n,grade_force_n,energy_j,"
        "mode,leg\n";
    assert_memory_equal(text, header, strlen(header));
    size_t lines = 0;
    for (const char *c = text; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 1 + fx->r.n_samples);

    /* the second data row, field by field */
    const char *row = strchr(text, '\n') + 1;
    row = strchr(row, '\n') + 1;
    const tumen_sample *p = &fx->r.samples[1];
    char expect[256];
    snprintf(expect, sizeof expect, "%.3f,%.3f,%.4f,", p->t, p->s, p->v);
    assert_memory_equal(row, expect, strlen(expect));
    const char *end = strchr(row, '\n');
    char line[512];
    memcpy(line, row, (size_t)(end - row));
    line[end - row] = '\0';
    char suffix[64];
    snprintf(suffix, sizeof suffix, ",%s,0", tumen_mode_name((tumen_driving_mode)p->mode));
    assert_string_equal(line + strlen(line) - strlen(suffix), suffix);
    int commas = 0;
    for (const char *c = line; *c; c++)
        commas += *c == ',';
    assert_int_equal(commas, 11);
    free(text);

    int tmp;
    assert_int_equal(count_entries(fx, &tmp), 1);
    assert_false(tmp);
}

/* Positions on a 1200 km line keep millimetres (a %g format would lose metres). */
static void test_csv_precision_long_line(void **state)
{
    fixture *fx = *state;
    fx->samples[1].s = 1199999.123;
    fx->samples[1].t = 54321.5;
    char path[256];
    path_in(fx, "long.csv", path, sizeof path);
    tumen_error err;
    assert_int_equal(tumen_write_trajectory_csv(&fx->r, path, &err), TUMEN_OK);
    char *text = tm_test_read_file(path, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "\n54321.500,1199999.123,"));
    free(text);
}

/* ---- JSON ---------------------------------------------------------------------------- */

static double num(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    assert_non_null(v);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

static void test_json_round_trip(void **state)
{
    fixture *fx = *state;
    char path[256];
    path_in(fx, "result.json", path, sizeof path);
    tumen_error err;
    assert_int_equal(tumen_write_json(&fx->r, path, &err), TUMEN_OK);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    assert_non_null(root);
    assert_true(json_is_object(root));
    assert_true(fabs(num(root, "running_time_s") - 487.5) < 1e-9);
    assert_true(fabs(num(root, "distance_m") - 10000) < 1e-9);
    assert_true(fabs(num(root, "energy_j") - fx->r.energy) < 1e-6 * fx->r.energy);
    assert_true(fabs(num(root, "energy_kwh") - fx->r.energy / 3.6e6) < 1e-9);
    assert_true(fabs(num(root, "max_speed_ms") - 30) < 1e-12);
    assert_true(fabs(num(root, "max_speed_kmh") - 108) < 1e-9);

    json_t *tps = json_object_get(root, "timing_points");
    assert_true(json_is_array(tps));
    assert_int_equal(json_array_size(tps), 3);
    json_t *mid = json_array_get(tps, 1);
    assert_string_equal(json_string_value(json_object_get(mid, "name")), "Ussuri junction");
    assert_true(fabs(num(mid, "position_m") - 5000) < 1e-9);
    assert_true(fabs(num(mid, "arrival_s") - 243.75) < 1e-9);
    assert_true(fabs(num(mid, "departure_s") - 243.75) < 1e-9);
    assert_true(json_is_false(json_object_get(mid, "is_stop")));
    assert_int_equal(json_integer_value(json_object_get(mid, "leg")), 0);
    assert_null(json_object_get(mid, "change"));
    json_t *last = json_array_get(tps, 2);
    assert_true(json_is_true(json_object_get(last, "is_stop")));
    assert_string_equal(json_string_value(json_object_get(last, "change")), "bogie exchange");
    assert_string_equal(json_string_value(json_object_get(last, "name")),
                        "Khasan (border) \xe2\x80\x94 end");

    json_t *legs = json_object_get(root, "legs");
    assert_true(json_is_array(legs));
    assert_int_equal(json_array_size(legs), 1);
    json_t *leg = json_array_get(legs, 0);
    assert_string_equal(json_string_value(json_object_get(leg, "train")), "Test freight");
    assert_string_equal(json_string_value(json_object_get(leg, "line")), "Tumen river line");
    assert_true(fabs(num(leg, "start_m")) < 1e-12);
    assert_true(fabs(num(leg, "end_m") - 10000) < 1e-9);
    assert_true(fabs(num(leg, "departure_s")) < 1e-12);
    assert_true(fabs(num(leg, "arrival_s") - 487.5) < 1e-9);
    assert_true(fabs(num(leg, "running_time_s") - 487.5) < 1e-9);
    assert_true(fabs(num(leg, "energy_j") - fx->r.energy) < 1e-6 * fx->r.energy);
    assert_true(fabs(num(leg, "max_speed_ms") - 30) < 1e-12);
    assert_true(fabs(num(leg, "train_mass_kg") - 1.5e6) < 1e-6);
    assert_true(fabs(num(leg, "train_length_m") - 620.5) < 1e-9);
    assert_true(fabs(num(leg, "brake_percentage") - 67) < 1e-12);
    json_decref(root);
}

/* Awkward values: NaN becomes null, a name cut inside a UTF-8 character still writes,
 * and full precision survives (mm on 1200 km). */
static void test_json_awkward_values(void **state)
{
    fixture *fx = *state;
    fx->r.energy = NAN;
    fx->r.distance = 1199999.123;
    fx->tps[1].name = "Gr\xc3\xbcn\xc3";  /* "Grün" + half of another char */
    json_t *root = tm_result_to_json(&fx->r);
    assert_non_null(root);
    assert_true(json_is_null(json_object_get(root, "energy_j")));
    json_t *mid = json_array_get(json_object_get(root, "timing_points"), 1);
    assert_string_equal(json_string_value(json_object_get(mid, "name")), "Gr\xc3\xbcn");
    char *text = json_dumps(root, TM_JSON_DUMP_FLAGS);
    assert_non_null(text);
    assert_non_null(strstr(text, "1199999.123"));
    free(text);
    json_decref(root);
    assert_null(tm_result_to_json(NULL));
}

/* path "-" (and NULL) writes the document to standard output. */
static void test_json_stdout(void **state)
{
    fixture *fx = *state;
    char path[256];
    path_in(fx, "stdout.json", path, sizeof path);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    assert_true(saved >= 0);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_true(dup2(fileno(fp), STDOUT_FILENO) >= 0);
    fclose(fp);
    tumen_error err;
    int rc1 = tumen_write_json(&fx->r, "-", &err);
    int rc2 = tumen_write_json(&fx->r, NULL, &err);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    assert_int_equal(rc1, TUMEN_OK);
    assert_int_equal(rc2, TUMEN_OK);
    char *text = tm_test_read_file(path, NULL);
    assert_non_null(text);
    json_error_t jerr;
    size_t used = 0;
    json_t *first = json_loads(text, JSON_DISABLE_EOF_CHECK, &jerr);
    assert_non_null(first);
    used = (size_t)jerr.position;
    json_t *second = json_loads(text + used, 0, &jerr);
    assert_non_null(second);
    assert_true(json_equal(first, second));
    assert_true(fabs(json_number_value(json_object_get(first, "distance_m")) - 10000) < 1e-9);
    json_decref(first);
    json_decref(second);
    free(text);
}

/* ---- plots --------------------------------------------------------------------------- */

static void test_plot_png(void **state)
{
    fixture *fx = *state;
    char path[256];
    path_in(fx, "plot.png", path, sizeof path);
    tumen_error err;
    assert_int_equal(tumen_write_plot(&fx->r, "Tumen \xe2\x80\x93 Khasan", path, &err),
                     TUMEN_OK);
    size_t size = 0;
    char *data = tm_test_read_file(path, &size);
    assert_non_null(data);
    assert_true(size > 1000);
    assert_memory_equal(data, "\x89PNG\r\n\x1a\n", 8);
    /* IHDR: width and height, big-endian, at bytes 16..23 */
    const unsigned char *u = (const unsigned char *)data;
    assert_int_equal((u[16] << 24) | (u[17] << 16) | (u[18] << 8) | u[19], 1600);
    assert_int_equal((u[20] << 24) | (u[21] << 16) | (u[22] << 8) | u[23], 700);
    free(data);
    int tmp;
    assert_int_equal(count_entries(fx, &tmp), 1);
    assert_false(tmp);
}

static void test_plot_svg(void **state)
{
    fixture *fx = *state;
    char path[256];
    path_in(fx, "plot.SVG", path, sizeof path);  /* the extension is case-insensitive */
    tumen_error err;
    assert_int_equal(tumen_write_plot(&fx->r, NULL, path, &err), TUMEN_OK);
    char *text = tm_test_read_file(path, NULL);
    assert_non_null(text);
    assert_true(strncmp(text, "<?xml", 5) == 0 || strncmp(text, "<svg", 4) == 0);
    assert_non_null(strstr(text, "</svg>"));
    free(text);
}

/* 1200 km, 100k samples, 3000 profile steps: decimation keeps files small and fast. */
static void test_plot_long_journey(void **state)
{
    fixture *fx = *state;
    const size_t n = 100000, np = 3000;
    tumen_sample *samples = calloc(n, sizeof *samples);
    double *ps = calloc(np, sizeof *ps), *pl = calloc(np, sizeof *pl),
           *pg = calloc(np, sizeof *pg);
    assert_true(samples && ps && pl && pg);
    for (size_t i = 0; i < n; i++) {
        double u = (double)i / (double)(n - 1);
        samples[i].s = 1.2e6 * u;
        samples[i].t = 40000 * u;
        samples[i].v = 25 + 8 * sin(u * 300) + 2 * sin(u * 7777);
        samples[i].mode = TUMEN_MODE_CRUISE;
    }
    samples[0].v = samples[n - 1].v = 0;
    for (size_t i = 0; i < np; i++) {
        ps[i] = 1.2e6 * (double)i / (double)np;
        pl[i] = (i / 50) % 2 ? 120 / 3.6 : 100 / 3.6;
        pg[i] = 0.008 * sin((double)i * 0.37);
    }
    tumen_result r = fx->r;
    r.samples = samples;
    r.n_samples = n;
    r.profile_s = ps;
    r.profile_limit = pl;
    r.profile_gradient = pg;
    r.n_profile = np;
    r.distance = 1.2e6;
    r.running_time = 40000;
    r.n_timing_points = 0;

    char png[256], svg[256];
    path_in(fx, "long.png", png, sizeof png);
    path_in(fx, "long.svg", svg, sizeof svg);
    tumen_error err;
    clock_t c0 = clock();
    assert_int_equal(tumen_write_plot(&r, "1200 km", png, &err), TUMEN_OK);
    assert_int_equal(tumen_write_plot(&r, "1200 km", svg, &err), TUMEN_OK);
    double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
    struct stat st;
    assert_int_equal(stat(svg, &st), 0);
    print_message("long journey: PNG+SVG in %.2f s, SVG %lld bytes\n", secs,
                  (long long)st.st_size);
    assert_true(st.st_size < 3 * 1024 * 1024);
    assert_true(secs < 10);  /* generous: sanitizer builds are slow */
    free(samples);
    free(ps);
    free(pl);
    free(pg);
}

static void test_plot_unknown_extension(void **state)
{
    fixture *fx = *state;
    char path[256];
    path_in(fx, "plot.pdf", path, sizeof path);
    tumen_error err;
    assert_int_equal(tumen_write_plot(&fx->r, "x", path, &err), TUMEN_EUSAGE);
    assert_int_equal(err.code, TUMEN_EUSAGE);
    assert_non_null(strstr(err.message, ".png"));
    path_in(fx, "png", path, sizeof path);  /* no extension at all */
    assert_int_equal(tumen_write_plot(&fx->r, "x", path, &err), TUMEN_EUSAGE);
    int tmp;
    assert_int_equal(count_entries(fx, &tmp), 0);
}

/* ---- failures leave nothing behind ---------------------------------------------------- */

static void test_missing_directory(void **state)
{
    fixture *fx = *state;
    const char *names[] = {"nowhere/out.csv", "nowhere/out.json", "nowhere/out.png",
                           "nowhere/out.svg"};
    for (int i = 0; i < 4; i++) {
        char path[256];
        path_in(fx, names[i], path, sizeof path);
        tumen_error err;
        memset(&err, 0, sizeof err);
        int rc = i == 0   ? tumen_write_trajectory_csv(&fx->r, path, &err)
                 : i == 1 ? tumen_write_json(&fx->r, path, &err)
                          : tumen_write_plot(&fx->r, "t", path, &err);
        assert_int_equal(rc, TUMEN_EIO);
        assert_int_equal(err.code, TUMEN_EIO);
        assert_non_null(strstr(err.message, path));
        assert_non_null(strstr(err.message, "No such file"));
    }
    int tmp;
    assert_int_equal(count_entries(fx, &tmp), 0);
}

/* A successful write replaces an existing file; a failed one leaves it as it was. */
static void test_replace_and_keep(void **state)
{
    fixture *fx = *state;
    char path[256];
    path_in(fx, "out.csv", path, sizeof path);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("old\n", fp);
    fclose(fp);
    tumen_error err;
    assert_int_equal(tumen_write_trajectory_csv(&fx->r, path, &err), TUMEN_OK);
    char *text = tm_test_read_file(path, NULL);
    assert_non_null(text);
    assert_memory_equal(text, "t_s,", 4);
    free(text);

    /* aborting an atomic write leaves the previous file untouched and no temporary */
    tm_atomic_file af;
    FILE *w = tm_atomic_open(path, &af, &err);
    assert_non_null(w);
    fputs("half-written", w);
    tm_atomic_abort(&af);
    tm_atomic_abort(&af);  /* twice is harmless */
    text = tm_test_read_file(path, NULL);
    assert_non_null(text);
    assert_memory_equal(text, "t_s,", 4);
    free(text);
    int tmp;
    assert_int_equal(count_entries(fx, &tmp), 1);
    assert_false(tmp);
}

static void test_null_arguments(void **state)
{
    fixture *fx = *state;
    tumen_error err;
    assert_int_equal(tumen_write_trajectory_csv(NULL, "x.csv", &err), TUMEN_EUSAGE);
    assert_int_equal(tumen_write_json(NULL, "x.json", &err), TUMEN_EUSAGE);
    assert_int_equal(tumen_write_plot(NULL, "t", "x.png", &err), TUMEN_EUSAGE);
    assert_int_equal(tumen_write_plot(&fx->r, "t", NULL, &err), TUMEN_EUSAGE);
    assert_int_equal(tumen_write_trajectory_csv(&fx->r, "", &err), TUMEN_EUSAGE);
}

/* Fontconfig (used by Cairo for text) keeps its configuration for the life of the process
 * and LeakSanitizer reports it at exit; it is not tumen's. This hook is only read by
 * sanitizer builds. The CLI's main needs the same for `make test-asan`. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv_header_and_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_precision_long_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_awkward_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_stdout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plot_png, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plot_svg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plot_long_journey, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plot_unknown_extension, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_and_keep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_arguments, setup, teardown),
    };
    return cmocka_run_group_tests_name("outputs", tests, NULL, NULL);
}
