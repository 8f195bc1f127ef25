/* test_eco_flagship.c: eco driving on the flagship's legs against the optimal-control oracle
 * (tests/oracle.c, independent of the driving code; issue 17: "within 3 % of the optimum for
 * the flagship's legs with a 5 % and a 10 % allowance").
 *
 * Every leg of examples/flagship/journey.yaml is run with `--allowance 5%` and `10%` driven
 * eco, and compared with the least energy the oracle finds for the same moving time over the
 * same stop-to-stop segments (one price of time for the whole leg). The legs are 111-871 km:
 * the oracle runs on a 400 m x 0.4 m/s grid, whose convergence on the flagship is shown by
 * test_flagship_convergence (about 1 %). The bound asserted, GAP_FLAGSHIP, is the issue's
 * 3 %.
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

#include "model/scenario.h"
#include "oracle.h"
#include "formats/readers.h"
#include "oracle_leg.h"
#include "run/run.h"
#include "support.h"
#include "tumen.h"

/* Issue 17: within 3 % of the optimum. Eco reaches on the 400 m grid +0.5 %, -0.8 % and
 * -0.5 % on legs 1-3 with 5 %, +1.2 %, -0.0 % and -0.1 % with 10 % (100 m x 0.2 m/s:
 * +0.5, +0.3, +0.2 and +1.2, +0.5, +0.5 %), since the phases over the crests before steep
 * descents (run/eco.c, crest_coast and coast_back; docs/physics.md). Before them:
 * +3.9 %, +2.9 %, -0.5 % and +5.5 %, +5.8 %, +1.7 %. */
#define GAP_FLAGSHIP 0.03

/* Under AddressSanitizer the oracle runs about five times slower (some 20 s of CPU for both
 * allowances): there only the 10 % allowance runs, which goes through the same code over the
 * same legs; the normal build checks both. */
#if defined(__SANITIZE_ADDRESS__)
#define N_AMOUNTS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define N_AMOUNTS 1
#endif
#endif
#ifndef N_AMOUNTS
#define N_AMOUNTS 2
#endif

/* The oracle's grid here: 400 m x 0.4 m/s. On the flagship it lies within about 1 % above
 * the 100 m x 0.2 m/s grid's optimum (4,898.6 against 4,873.6 kWh on leg 2 at 10 %, 5,108.7
 * against 5,055.8 kWh on leg 2 at 5 %), so the gaps below are up to a point smaller than the
 * fine grid shows (bench/bench_run.c: eco_gap_flagship_max on 100 m x 0.2 m/s). */
static const tm_oracle_opt grid = {400.0, 0.4, 0, 0.0, 0.0};

static tm_scenario *flagship(void)
{
    const char *files[] = {TUMEN_SOURCE_DIR "/examples/flagship/journey.yaml"};
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    if (tm_scenario_load(&sc, files, 1, &err) != TUMEN_OK)
        fail_msg("%s: %s (line %d, %s)", files[0], err.message, err.line, err.field);
    return sc;
}

static tumen_result *run_eco(const tm_scenario *sc, const char *allowance)
{
    tumen_run_options o;
    tumen_run_options_init(&o);
    tumen_error err = {0};
    assert_int_equal(tumen_allowance_parse(allowance, &o.allowance, &err), TUMEN_OK);
    o.driving = TUMEN_DRIVING_ECO;
    tumen_result *r = NULL;
    if (tm_scenario_run(sc, &o, &r, &err) != TUMEN_OK)
        fail_msg("flagship %s: %s", allowance, err.message);
    return r;
}

static void test_flagship_legs(void **state)
{
    (void)state;
    static const char *const amounts[] = {"10%", "5%"};
    tm_scenario *sc = flagship();
    double worst = -INFINITY;
    for (size_t a = 0; a < N_AMOUNTS; a++) {
        tumen_result *r = run_eco(sc, amounts[a]);
        for (size_t leg = 0; leg < r->n_legs; leg++) {
            tm_oracle_leg g;
            assert_int_equal(tm_oracle_leg_compare(sc, r, leg, &grid, &g), 0);
            print_message("flagship %-3s leg %zu (%6.1f km, %zu segments, %8.1f s moving): eco "
                          "%9.2f kWh, oracle %9.2f kWh: gap %+5.2f%%\n",
                          amounts[a], leg + 1, g.length / 1e3, g.segments, g.moving,
                          g.energy / 3.6e6, g.optimum / 3.6e6, 100.0 * g.gap);
            worst = fmax(worst, g.gap);
        }
        tumen_result_destroy(r);
    }
    print_message("flagship: largest gap of eco to the oracle %+.2f%%\n", 100.0 * worst);
    assert_true(worst < GAP_FLAGSHIP);
    tm_scenario_free(sc);
}

/* The grid's convergence on the flagship: leg 3 (111 km) at 10 % on the tests' grid and on a
 * grid twice finer in both position and speed. */
static void test_flagship_convergence(void **state)
{
    (void)state;
    tm_scenario *sc = flagship();
    tumen_result *r = run_eco(sc, "10%");
    tm_oracle_opt fine = grid;
    fine.ds *= 0.5;
    fine.dv *= 0.5;
    tm_oracle_leg g, f;
    assert_int_equal(tm_oracle_leg_compare(sc, r, 2, &grid, &g), 0);
    assert_int_equal(tm_oracle_leg_compare(sc, r, 2, &fine, &f), 0);
    print_message("flagship leg 3 at 10%%: oracle %.2f kWh on %.0f m x %.1f m/s, %.2f kWh on "
                  "%.0f m x %.2f m/s\n",
                  g.optimum / 3.6e6, grid.ds, grid.dv, f.optimum / 3.6e6, fine.ds, fine.dv);
    assert_true(fabs(g.optimum - f.optimum) < 0.015 * f.optimum);
    /* The oracle is an optimum: never above the run it is compared with by more than its
     * grid's error. */
    assert_true(f.optimum < g.energy * 1.005);
    tumen_result_destroy(r);
    tm_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flagship_convergence),
        cmocka_unit_test(test_flagship_legs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
