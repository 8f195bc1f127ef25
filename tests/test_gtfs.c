/* test_gtfs.c: the GTFS feed of a timetable run, checked structurally as a validator
 * would: the required files and columns, every reference between files resolving, and
 * stop_sequence and times increasing along each trip; a missing position is an input error
 * that writes nothing; an existing feed is replaced, a folder with other files is not. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "formats/readers.h"
#include "formats/timetable_out.h"
#include "model/scenario.h"
#include "plan/timetable.h"
#include "support.h"
#include "tt_fixture.h"
#include "tumen.h"

/* ---- a small CSV reader (RFC 4180 quoting) ---------------------------------------------- */

#define MAX_COLS 16
#define MAX_ROWS 256

typedef struct table {
    char *cells[MAX_ROWS][MAX_COLS];
    int n_cols[MAX_ROWS];
    int n_rows; /* including the header */
} table;

static void table_free(table *t)
{
    for (int r = 0; r < t->n_rows; r++)
        for (int c = 0; c < t->n_cols[r]; c++)
            free(t->cells[r][c]);
    memset(t, 0, sizeof *t);
}

static void read_table(const char *dir, const char *name, table *t)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len;
    char *text = tm_test_read_file(path, &len);
    assert_non_null(text);
    memset(t, 0, sizeof *t);
    size_t i = 0;
    while (i < len) {
        assert_true(t->n_rows < MAX_ROWS);
        int r = t->n_rows++;
        for (;;) {
            char cell[512];
            size_t n = 0;
            if (text[i] == '"') {
                for (i++; i < len; i++) {
                    if (text[i] == '"' && text[i + 1] == '"')
                        cell[n++] = text[i++];
                    else if (text[i] == '"')
                        break;
                    else
                        cell[n++] = text[i];
                }
                i++;
            } else {
                while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    cell[n++] = text[i++];
            }
            cell[n] = '\0';
            assert_true(t->n_cols[r] < MAX_COLS);
            t->cells[r][t->n_cols[r]++] = strdup(cell);
            if (i < len && text[i] == ',') {
                i++;
                continue;
            }
            if (i < len && text[i] == '\r')
                i++;
            if (i < len && text[i] == '\n')
                i++;
            break;
        }
        assert_int_equal(t->n_cols[r], t->n_cols[0]); /* every row as wide as the header */
    }
    free(text);
    assert_true(t->n_rows >= 2); /* a header and at least one row */
}

/* Index of column name in the header, failing the test when it is missing. */
static int col(const table *t, const char *name)
{
    for (int c = 0; c < t->n_cols[0]; c++)
        if (!strcmp(t->cells[0][c], name))
            return c;
    print_message("missing column %s\n", name);
    fail();
    return -1;
}

/* 1 if some row has value in column c. */
static int has_value(const table *t, int c, const char *value)
{
    for (int r = 1; r < t->n_rows; r++)
        if (!strcmp(t->cells[r][c], value))
            return 1;
    return 0;
}

/* HH:MM:SS (hours may pass 24) into seconds; fails on anything else. */
static long gtfs_time(const char *s)
{
    int h, m, sec;
    char tail;
    assert_int_equal(sscanf(s, "%d:%2d:%2d%c", &h, &m, &sec, &tail), 3);
    assert_true(strlen(s) >= 8 && s[strlen(s) - 3] == ':');
    assert_true(h >= 0 && m >= 0 && m < 60 && sec >= 0 && sec < 60);
    return h * 3600L + m * 60L + sec;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static tm_scenario *load(const char *text)
{
    tm_scenario *sc = NULL;
    tumen_error err;
    assert_int_equal(tm_scenario_load_text(&sc, "fixture.yaml", text, strlen(text), &err),
                     TUMEN_OK);
    return sc;
}

static void run(const tm_scenario *sc, tm_timetable_result *r)
{
    tumen_error err;
    assert_int_equal(tm_timetable_run(sc, NULL, NULL, r, &err), TUMEN_OK);
}

static void remove_tree(const char *dir)
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
                remove_tree(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void check_feed(const char *feed, size_t n_trips)
{
    table agency, stops, routes, trips, times, cal;
    read_table(feed, "agency.txt", &agency);
    read_table(feed, "stops.txt", &stops);
    read_table(feed, "routes.txt", &routes);
    read_table(feed, "trips.txt", &trips);
    read_table(feed, "stop_times.txt", &times);
    read_table(feed, "calendar.txt", &cal);

    /* required columns */
    int a_id = col(&agency, "agency_id");
    col(&agency, "agency_name");
    col(&agency, "agency_url");
    col(&agency, "agency_timezone");
    int s_id = col(&stops, "stop_id");
    col(&stops, "stop_name");
    int s_lat = col(&stops, "stop_lat"), s_lon = col(&stops, "stop_lon");
    int r_id = col(&routes, "route_id"), r_agency = col(&routes, "agency_id");
    int r_type = col(&routes, "route_type");
    col(&routes, "route_short_name");
    col(&routes, "route_long_name");
    int t_route = col(&trips, "route_id"), t_service = col(&trips, "service_id");
    int t_id = col(&trips, "trip_id");
    int st_trip = col(&times, "trip_id"), st_arr = col(&times, "arrival_time");
    int st_dep = col(&times, "departure_time"), st_stop = col(&times, "stop_id");
    int st_seq = col(&times, "stop_sequence");
    int c_service = col(&cal, "service_id");
    static const char *const days[] = {"monday", "tuesday", "wednesday", "thursday",
                                       "friday", "saturday", "sunday", "start_date",
                                       "end_date", NULL};
    for (size_t k = 0; days[k]; k++)
        col(&cal, days[k]);

    /* references resolve */
    for (int r = 1; r < routes.n_rows; r++) {
        assert_true(has_value(&agency, a_id, routes.cells[r][r_agency]));
        assert_string_equal(routes.cells[r][r_type], "2");
    }
    for (int r = 1; r < stops.n_rows; r++) {
        double lat = atof(stops.cells[r][s_lat]), lon = atof(stops.cells[r][s_lon]);
        assert_true(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180);
        assert_true(lat != 0.0 || lon != 0.0);
    }
    assert_int_equal(trips.n_rows - 1, (int)n_trips);
    for (int r = 1; r < trips.n_rows; r++) {
        assert_true(has_value(&routes, r_id, trips.cells[r][t_route]));
        assert_true(has_value(&cal, c_service, trips.cells[r][t_service]));
        assert_true(has_value(&times, st_trip, trips.cells[r][t_id]));
    }
    /* along each trip: sequence and times increase */
    const char *trip = NULL;
    long seq = 0, last = 0;
    int per_trip = 0;
    for (int r = 1; r < times.n_rows; r++) {
        char **row = times.cells[r];
        assert_true(has_value(&trips, t_id, row[st_trip]));
        assert_true(has_value(&stops, s_id, row[st_stop]));
        long arr = gtfs_time(row[st_arr]), dep = gtfs_time(row[st_dep]);
        long sq = atol(row[st_seq]);
        assert_true(dep >= arr);
        if (!trip || strcmp(trip, row[st_trip])) {
            assert_true(!trip || per_trip >= 2);
            trip = row[st_trip];
            per_trip = 1;
        } else {
            assert_true(sq > seq);
            assert_true(arr >= last);
            per_trip++;
        }
        seq = sq;
        last = dep;
    }
    assert_true(per_trip >= 2);
    table_free(&agency);
    table_free(&stops);
    table_free(&routes);
    table_free(&trips);
    table_free(&times);
    table_free(&cal);
}

static void test_feed_structure(void **state)
{
    (void)state;
    tm_scenario *sc = load(tt_fixture_yaml);
    tm_timetable_result r;
    run(sc, &r);
    char dir[64], feed[128];
    tm_test_tmp(dir, sizeof dir, "tumen_gtfs_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(feed, sizeof feed, "%s/feed", dir);
    tumen_error err;
    assert_int_equal(tm_timetable_write_gtfs(sc, &r, feed, "Asia/Vladivostok", &err), TUMEN_OK);
    assert_int_equal(count_entries(feed), 6);
    assert_int_equal(count_entries(dir), 1); /* no temporary left beside it */
    check_feed(feed, 4);

    /* the fixture's date, 2026-11-30, is a Monday */
    table cal;
    read_table(feed, "calendar.txt", &cal);
    assert_string_equal(cal.cells[1][col(&cal, "monday")], "1");
    assert_string_equal(cal.cells[1][col(&cal, "sunday")], "0");
    assert_string_equal(cal.cells[1][col(&cal, "start_date")], "20261130");
    table_free(&cal);
    /* P2 runs past midnight: a time beyond 24:00:00; a passed point takes no passengers */
    size_t len;
    char path[192];
    snprintf(path, sizeof path, "%s/stop_times.txt", feed);
    char *text = tm_test_read_file(path, &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "P2,24:"));
    assert_non_null(strstr(text, ",JCT,3,1,1,1\n")); /* P1 passes the junction */
    free(text);
    /* the agency's time zone */
    snprintf(path, sizeof path, "%s/agency.txt", feed);
    text = tm_test_read_file(path, &len);
    assert_non_null(strstr(text, "Asia/Vladivostok"));
    free(text);

    /* writing again replaces the feed; the same run gives the same bytes */
    snprintf(path, sizeof path, "%s/stops.txt", feed);
    char *before = tm_test_read_file(path, &len);
    assert_int_equal(tm_timetable_write_gtfs(sc, &r, feed, "Asia/Vladivostok", &err), TUMEN_OK);
    size_t len2;
    char *after = tm_test_read_file(path, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(before, after, len);
    free(before);
    free(after);
    assert_int_equal(count_entries(dir), 1);

    /* a folder holding something else is not replaced */
    char other[192];
    snprintf(other, sizeof other, "%s/notes.md", feed);
    FILE *f = fopen(other, "w");
    assert_non_null(f);
    fputs("mine\n", f);
    fclose(f);
    assert_int_equal(tm_timetable_write_gtfs(sc, &r, feed, NULL, &err), TUMEN_EIO);
    assert_non_null(strstr(err.message, "notes.md"));
    assert_int_equal(access(other, F_OK), 0);
    assert_int_equal(count_entries(dir), 1);

    remove_tree(dir);
    tm_timetable_result_free(&r);
    tm_scenario_free(sc);
}

/* Without a date: every day of a placeholder year; services without positions refused. */
static void test_feed_errors(void **state)
{
    (void)state;
    /* F2 to the siding, which has no position */
    const char *find = "route: [WES, EAS],\n       stops: [{at: MID, dwell: 10 min}]}";
    const char *at = strstr(tt_fixture_yaml, find);
    assert_non_null(at);
    char *text = malloc(strlen(tt_fixture_yaml) + 64);
    assert_non_null(text);
    size_t a = (size_t)(at - tt_fixture_yaml);
    memcpy(text, tt_fixture_yaml, a);
    strcpy(text + a, "route: [WES, SID]}");
    strcat(text, at + strlen(find));
    tm_scenario *sc = load(text);
    tm_timetable_result r;
    run(sc, &r);
    char dir[64], feed[128];
    tm_test_tmp(dir, sizeof dir, "tumen_gtfs_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(feed, sizeof feed, "%s/feed", dir);
    tumen_error err;
    assert_int_equal(tm_timetable_write_gtfs(sc, &r, feed, NULL, &err), TUMEN_EINPUT);
    char buf[1024];
    tumen_error_format(&err, buf, sizeof buf);
    print_message("expected error: %s\n", buf);
    assert_non_null(strstr(err.message, "'SID'"));
    assert_non_null(strstr(err.message, "'F2'"));
    assert_int_equal(count_entries(dir), 0); /* nothing written */
    tm_timetable_result_free(&r);
    tm_scenario_free(sc);
    free(text);

    /* no date: the default calendar */
    char *nodate = strdup(tt_fixture_yaml);
    char *d = strstr(nodate, "  date: 2026-11-30\n");
    assert_non_null(d);
    memmove(d, d + strlen("  date: 2026-11-30\n"), strlen(d + strlen("  date: 2026-11-30\n")) + 1);
    sc = load(nodate);
    run(sc, &r);
    assert_int_equal(tm_timetable_write_gtfs(sc, &r, feed, NULL, &err), TUMEN_OK);
    check_feed(feed, 4);
    table cal;
    read_table(feed, "calendar.txt", &cal);
    for (int c = 1; c <= 7; c++)
        assert_string_equal(cal.cells[1][c], "1");
    table_free(&cal);
    tm_timetable_result_free(&r);
    tm_scenario_free(sc);
    free(nodate);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feed_structure),
        cmocka_unit_test(test_feed_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
