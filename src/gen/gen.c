/* gen.c: tm_gen_network: checks the options, builds the network, writes the three files. */
#include "gen/gen.h"
#include "gen/synthetic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/atomic.h"

enum { F_NETWORK, F_TRAINS, F_TIMETABLE, F_COUNT };
static const char *const file_names[F_COUNT] = {"network.yaml", "trains.yaml",
                                                "timetable.yaml"};

int tm_gen_network(const tm_gen_options *o, const char *dir, tm_gen_stats *stats,
                   tumen_error *err)
{
    if (!o || !dir || !dir[0])
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "tm_gen_network needs options and an output folder");
    if (!(o->km >= TM_GEN_MIN_KM && o->km <= TM_GEN_MAX_KM))
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "the track length must be %.0f to %.0f km, not %g km",
                            TM_GEN_MIN_KM, TM_GEN_MAX_KM, o->km);
    if (o->services < 1 || o->services > TM_GEN_MAX_SERVICES)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "the number of services must be 1 to %d, not %zu",
                            TM_GEN_MAX_SERVICES, o->services);

    tm_rng root;
    tm_rng_seed(&root, o->seed);
    tm_rng net_rng = tm_rng_fork(&root, 11), tt_rng = tm_rng_fork(&root, 12);
    gen_net net = {0};
    int rc = tm_gen_build_network(&net, o, &net_rng, err);
    if (rc != TUMEN_OK)
        return rc;

    tm_atomic_file af[F_COUNT];
    FILE *fp[F_COUNT] = {0};
    memset(af, 0, sizeof af);
    size_t n_vehicles = 0, n_trains = 0, nodes = 0, net_nodes = 0;
    for (int f = 0; f < F_COUNT && rc == TUMEN_OK; f++) {
        size_t size = strlen(dir) + strlen(file_names[f]) + 2;
        char *path = malloc(size);
        if (!path) {
            rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
            break;
        }
        snprintf(path, size, "%s/%s", dir, file_names[f]);
        fp[f] = tm_atomic_open(path, &af[f], err);
        free(path);
        if (!fp[f])
            rc = err ? err->code : TUMEN_EIO;
    }
    if (rc == TUMEN_OK && tm_gen_write_network(fp[F_NETWORK], &net, o, &net_nodes))
        rc = tm_error_set(err, TUMEN_EIO, NULL, 0, NULL, "cannot write %s/%s", dir,
                          file_names[F_NETWORK]);
    if (rc == TUMEN_OK && tm_gen_write_stock(fp[F_TRAINS], o, &n_vehicles, &n_trains))
        rc = tm_error_set(err, TUMEN_EIO, NULL, 0, NULL, "cannot write %s/%s", dir,
                          file_names[F_TRAINS]);
    if (rc == TUMEN_OK)
        rc = tm_gen_write_timetable(fp[F_TIMETABLE], &net, o, &tt_rng, &nodes, err);
    for (int f = 0; f < F_COUNT; f++) {
        if (!fp[f])
            continue;
        if (rc == TUMEN_OK)
            rc = tm_atomic_commit(&af[f], err);
        else
            tm_atomic_abort(&af[f]);
    }
    if (rc == TUMEN_OK && stats) {
        memset(stats, 0, sizeof *stats);
        stats->n_ops = net.n_ops;
        stats->n_tracks = net.n_tracks;
        stats->n_lines = net.n_lines;
        for (size_t i = 0; i < net.n_tracks; i++) {
            stats->n_sections += net.tracks[i].n_sec;
            stats->n_signals += net.tracks[i].n_sig;
        }
        stats->main_km = (double)net.main_m / 1000.0;
        stats->branch_km = (double)net.branch_m / 1000.0;
        stats->track_km = stats->main_km + stats->branch_km;
        stats->n_vehicles = n_vehicles;
        stats->n_trains = n_trains;
        stats->n_services = o->services;
        stats->network_nodes = net_nodes;
        stats->timetable_nodes = nodes;
    }
    tm_gen_net_free(&net);
    return rc;
}
