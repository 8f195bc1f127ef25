/* bench_route.c: routing speed on the largest network imported from ../shared/data,
 * printed as
 *   BENCH route_imported_rps <value> req/s
 * (make bench), with a comment line naming the network and its size. Never a test: nothing
 * here asserts on time. A request is tm_route_find for a diesel train (any track, 1435 mm)
 * between two operational points; the pairs run through every ordered pair in turn, for at
 * least 2 s of wall time. Without ../shared/data the line is left out (said on stdout).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/import.h"
#include "physics/physics.h"
#include "plan/route.h"
#include "tumen.h"

static const char *const networks[] = {
    "data/osrd/infras/small_infra/infra.json",
    "data/osrd/infras/tiny_infra/infra.json",
    "data/railml/finland-track-007-km28-47-2.2.xml",
    "data/railml/railml-org-simple-example-v11-3.1.xml",
    "data/railml/simple-example-rtc-2.4.xml",
    "data/railml/simplest-example-2.4.xml",
    "data/osm/rail_highspeed-osm.xml",
    NULL};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The imported network with the most tracks, or -1 when none imports. */
static int largest(tm_import *best, const char **name)
{
    int found = 0;
    for (size_t i = 0; networks[i]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", TUMEN_SHARED_DIR, networks[i]);
        tm_import imp;
        tumen_error err = {0};
        if (tm_import_file(path, NULL, &imp, &err) != TUMEN_OK)
            continue;
        if (!found || imp.scenario->network.n_tracks > best->scenario->network.n_tracks) {
            if (found)
                tm_import_free(best);
            *best = imp;
            *name = networks[i];
            found = 1;
        } else {
            tm_import_free(&imp);
        }
    }
    return found ? 0 : -1;
}

int main(void)
{
    tm_import imp;
    const char *name = NULL;
    if (largest(&imp, &name)) {
        printf("# route_imported_rps: no network in ../shared/data imports; left out\n");
        return 0;
    }
    tm_scenario *sc = imp.scenario;
    /* A diesel probe train (values assumed: a light locomotive). */
    tm_vehicle v;
    memset(&v, 0, sizeof v);
    strcpy(v.id, "probe");
    v.kind = TM_VEHICLE_LOCOMOTIVE;
    v.power = TM_POWER_DIESEL;
    v.mass = 80e3;
    v.length = 20.0;
    v.max_speed = 40.0;
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
    tumen_error err = {0};
    if (tm_train_derive(&t, &v, 1, "probe", &err) != TUMEN_OK) {
        fprintf(stderr, "bench_route: %s\n", err.message);
        return 1;
    }
    tm_vehicle *vs = sc->vehicles;
    tm_train *ts = sc->trains;
    size_t nv = sc->n_vehicles, nt = sc->n_trains;
    sc->vehicles = &v;
    sc->n_vehicles = 1;
    sc->trains = &t;
    sc->n_trains = 1;
    const tm_network *net = &sc->network;
    size_t n = net->n_ops, requests = 0, found = 0, a = 0, b = 1;
    double t0 = now(), elapsed = 0.0;
    while (n >= 2 && (elapsed < 2.0 || requests < 100)) {
        size_t wp[2] = {a, b};
        tm_route_request req = {0, NULL, 0, wp, 2, NULL, 0};
        tm_route r;
        found += tm_route_find(sc, &req, &r, &err) == TUMEN_OK;
        tm_route_free(&r);
        requests++;
        if (++b == a)
            b++;
        if (b >= n) {
            a = (a + 1) % n;
            b = a == 0 ? 1 : 0;
        }
        if ((requests & 15) == 0)
            elapsed = now() - t0;
    }
    elapsed = now() - t0;
    printf("# route_imported_rps: %s, %zu operational points, %zu tracks, %zu connections; "
           "%zu requests, %zu with a route\n",
           name, n, net->n_tracks, net->n_connections, requests, found);
    printf("BENCH route_imported_rps %.0f req/s\n", requests / elapsed);
    sc->vehicles = vs;
    sc->n_vehicles = nv;
    sc->trains = ts;
    sc->n_trains = nt;
    tm_train_release_derived(&t);
    tm_import_free(&imp);
    return 0;
}
