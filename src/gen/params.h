/* params.h: what the generator is asked for (tm_gen_options) and what it reports
 * (tm_gen_stats). gen.c, which runs the generator, and the files that build and write the
 * network, stock and timetable (synthetic.h) both take them from here. */
#ifndef TM_GEN_PARAMS_H
#define TM_GEN_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "tumen.h"

typedef struct tm_gen_options {
    double km;          /* total track length to build, km (route length, each track once) */
    size_t services;    /* services in the day's timetable */
    uint64_t seed;
} tm_gen_options;

/* What was written, for the command's report and the tests. */
typedef struct tm_gen_stats {
    size_t n_ops, n_tracks, n_sections, n_signals, n_lines;
    double track_km, main_km, branch_km;
    size_t n_vehicles, n_trains;
    size_t n_services;
    size_t network_nodes;    /* YAML nodes of network.yaml and timetable.yaml (reported; */
    size_t timetable_nodes;  /*   the reader limits only what aliases add) */
} tm_gen_stats;

/* Limits of the options tm_gen_network accepts. */
#define TM_GEN_MIN_KM TUMEN_GEN_MIN_KM
#define TM_GEN_MAX_KM TUMEN_GEN_MAX_KM
#define TM_GEN_MAX_SERVICES TUMEN_GEN_MAX_SERVICES

#endif
