/* run_flagship.c: the smallest program on the installed library. It loads a journey (the
 * flagship, examples/flagship/journey.yaml, unless a file is given), runs it and prints
 * the arrival and the traction energy.
 *
 * Build against an installed tumen:
 *   cc run_flagship.c $(pkg-config --cflags --libs tumen) -o run_flagship
 * (with PKG_CONFIG_PATH=PREFIX/lib/pkgconfig when tumen is installed in PREFIX). */
#include <stdio.h>
#include <tumen.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "examples/flagship/journey.yaml";
    tumen_error err = {0};
    tumen_scenario *sc = NULL;
    tumen_result *r = NULL;
    char msg[1024];
    if (tumen_scenario_load(&sc, &path, 1, &err) != TUMEN_OK ||
        tumen_run(sc, NULL, &r, &err) != TUMEN_OK) {
        tumen_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "run_flagship: %s\n", msg);
        tumen_scenario_destroy(sc);
        return 1;
    }
    const tumen_timing_point *last = &r->timing_points[r->n_timing_points - 1];
    printf("tumen %s\n", tumen_version());
    printf("arrival at %s: %.0f s after departure (%.2f h)\n", last->name, last->arrival,
           last->arrival / 3600.0);
    printf("traction energy at the wheel: %.0f kWh\n", r->energy / 3.6e6);
    tumen_result_destroy(r);
    tumen_scenario_destroy(sc);
    return 0;
}
