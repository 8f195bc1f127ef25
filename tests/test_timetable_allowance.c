/* test_timetable_allowance.c: a timetable's services plan their allowances (issue 7: "timetables
 * use allowances where the timetable says so, so planned times include them"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/readers.h"
#include "model/scenario.h"
#include "plan/timetable.h"
#include "support.h"
#include "tumen.h"

static const char timetable_text[] =
    "timetable:\n"
    "  services:\n"
    "    - {id: fast, train: regional, departure: \"06:00\", route: [AST, BRY, COL]}\n"
    "    - {id: eco10, train: regional, departure: \"07:00\", route: [AST, BRY, COL],\n"
    "       allowance: 10%, driving: eco}\n"
    "    - {id: lin10, train: regional, departure: \"08:00\", route: [AST, BRY, COL],\n"
    "       allowance: 10%, driving: linear}\n"
    "    - {id: eco10b, train: regional, departure: \"09:00\", route: [AST, BRY, COL],\n"
    "       allowance: 10%, driving: eco}\n";

static tm_scenario *load(const char *extra)
{
    char path[512];
    tm_test_tmp(path, sizeof path, "tumen-tt-allowance.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(extra, f);
    fclose(f);
    const char *files[] = {TUMEN_SOURCE_DIR "/tests/data/simple.yaml",
                           TUMEN_SOURCE_DIR "/tests/data/corridor.yaml", path};
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    int rc = tm_scenario_load(&sc, files, 3, &err);
    unlink(path);
    if (rc != TUMEN_OK)
        fail_msg("load: %s (line %d, %s)", err.message, err.line, err.field);
    return sc;
}

static void test_services_plan_their_allowance(void **state)
{
    (void)state;
    tm_scenario *sc = load(timetable_text);
    tm_timetable_options opt;
    tm_timetable_options_init(&opt);
    tm_timetable_result r;
    tumen_error err = {0};
    assert_int_equal(tm_timetable_run(sc, NULL, &opt, &r, &err), TUMEN_OK);
    assert_int_equal(r.n_runs, 4);
    double t_fast = r.runs[0].running_time, e_fast = r.runs[0].energy;
    for (size_t i = 1; i < 4; i++) {
        /* 10 % on the fastest running time, to within a second, and never more energy. */
        assert_true(fabs(r.runs[i].running_time - 1.10 * t_fast) < 1.0);
        assert_true(r.runs[i].energy <= e_fast + 1e-6);
    }
    assert_true(r.runs[1].energy < r.runs[2].energy); /* eco beats linear here */
    /* Same allowance, same pattern: the same run shifted by an hour. */
    assert_true(fabs(r.runs[3].running_time - r.runs[1].running_time) < 1e-9);
    assert_true(fabs(r.runs[3].energy - r.runs[1].energy) < 1e-6);
    print_message("fastest %.1f s %.1f kWh; eco +10%% %.1f s %.1f kWh; linear +10%% %.1f s %.1f kWh\n",
                  t_fast, e_fast / 3.6e6, r.runs[1].running_time, r.runs[1].energy / 3.6e6,
                  r.runs[2].running_time, r.runs[2].energy / 3.6e6);
    tm_timetable_result_free(&r);
    tm_scenario_free(sc);
}

static void test_bad_allowance_names_line_and_field(void **state)
{
    (void)state;
    char path[512];
    tm_test_tmp(path, sizeof path, "tumen-tt-allowance.XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("timetable:\n  services:\n    - {id: x, train: regional, departure: \"06:00\",\n"
          "       route: [AST, BRY], allowance: 5 parsecs}\n",
          f);
    fclose(f);
    const char *files[] = {TUMEN_SOURCE_DIR "/tests/data/simple.yaml",
                           TUMEN_SOURCE_DIR "/tests/data/corridor.yaml", path};
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    assert_int_equal(tm_scenario_load(&sc, files, 3, &err), TUMEN_EINPUT);
    unlink(path);
    assert_int_equal(err.line, 4); /* where "allowance: 5 parsecs" stands */
    assert_non_null(strstr(err.field, "allowance"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_services_plan_their_allowance),
        cmocka_unit_test(test_bad_allowance_names_line_and_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
