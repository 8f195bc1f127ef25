/* synthetic.h: the generator's in-memory network and rolling stock, shared by
 * network_gen.c (layout, profiles, network.yaml), stock_gen.c (trains.yaml) and
 * timetable_gen.c (services, timetable.yaml). Not part of the library's API.
 *
 * Lengths are integer metres, gradients integer tenths of a permille, speeds integer km/h,
 * elevations integer units of 0.1 mm: the output never depends on how a machine rounds. */
#ifndef TM_GEN_SYNTHETIC_H
#define TM_GEN_SYNTHETIC_H

/* The few floating-point expressions must not be fused into FMAs differently by different
 * compilers or targets (GCC does not contract in ISO C mode; clang does unless told). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include <stddef.h>
#include <stdio.h>

#include "gen/params.h"
#include "gen/rng.h"
#include "model/network.h"

#define GEN_NONE ((size_t)-1)
#define GEN_MAX_LOOPS 4

typedef struct gen_op {
    char id[8];
    char name[32];
    tm_op_kind kind;      /* station, halt or junction */
    int city;             /* 1: a city, where main lines meet or end */
    int on_main;          /* 1: on a main line */
    long long x, y;       /* m in the layout plane (x east, y north) */
    long long elev;       /* 0.1 mm above sea level */
    int n_loops;
    int loops[GEN_MAX_LOOPS]; /* usable lengths, m */
    int branches;         /* branch lines that start here */
} gen_op;

typedef struct gen_section {
    long start, end;      /* m from the track's from end */
    int speed;            /* km/h */
    int grad;             /* 0.1 permille, from -> to (uphill positive) */
    int radius;           /* m; 0 = straight */
} gen_section;

typedef struct gen_signal {
    long at;              /* m from the track's from end */
    int dir;              /* +1 forward, -1 backward */
} gen_signal;

/* A structure on a generated track (network.h tm_structure): kind, position and length m,
 * and for level crossings the protection (tm_crossing_kind). */
typedef struct gen_structure {
    int kind;             /* tm_structure_kind */
    long at, length;
    int protection;
} gen_structure;

typedef struct gen_track {
    size_t from, to;      /* ops */
    long length;          /* m */
    size_t line;
    int main;             /* 1: double track, electrified main line; 0: branch */
    int speed;            /* km/h, the line speed */
    gen_section *sec;
    size_t n_sec;
    gen_signal *sig;
    size_t n_sig;
    gen_structure *st;    /* by position */
    size_t n_st;
} gen_track;

typedef struct gen_line {
    int main;
    int speed;            /* km/h */
    size_t *ops;          /* in order along the line */
    long *pos;            /* m of each op from the line's start */
    size_t n_ops;
    size_t first_track;   /* tracks first_track .. first_track + n_ops - 2 */
    long length;          /* m */
} gen_line;

typedef struct gen_net {
    gen_op *ops;
    size_t n_ops, cap_ops;
    gen_track *tracks;
    size_t n_tracks, cap_tracks;
    gen_line *lines;
    size_t n_lines, cap_lines;
    /* For each op, the tracks touching it: adj[adj_start[i] .. adj_start[i + 1]). */
    size_t *adj_start, *adj;
    long long main_m, branch_m;
} gen_net;

/* The synthetic consists (trains.yaml), as the timetable needs them. */
typedef enum gen_train {
    GT_EMU,          /* regional, electric multiple unit */
    GT_EMU_DOUBLE,
    GT_DMU,          /* regional on branches, diesel multiple unit */
    GT_DMU_DOUBLE,
    GT_INTERCITY,    /* electric locomotive and coaches */
    GT_FREIGHT_ELECTRIC,
    GT_FREIGHT_DIESEL_HEAVY,
    GT_FREIGHT_DIESEL_BRANCH,
    GT_COUNT
} gen_train;

typedef struct gen_train_info {
    const char *id;
    int electric;         /* needs the main lines' 25 kV */
    int length;           /* m, the whole consist */
    int freight;
} gen_train_info;

/* The consists' ids, traction and lengths (stock_gen.c). */
extern const gen_train_info tm_gen_trains[GT_COUNT];

/* Builds the network for o into net (zeroed by the caller); TUMEN_OK or TUMEN_ENOMEM. */
int tm_gen_build_network(gen_net *net, const tm_gen_options *o, tm_rng *rng, tumen_error *err);
/* Frees what tm_gen_build_network allocated and zeroes net; NULL is a no-op. */
void tm_gen_net_free(gen_net *net);

/* Writers; each returns 0, or -1 when a write fails (the caller sees ferror). *nodes gets
 * the YAML node count of what was written (keys, values and collections). */
int tm_gen_write_network(FILE *fp, const gen_net *net, const tm_gen_options *o,
                         size_t *nodes);
int tm_gen_write_stock(FILE *fp, const tm_gen_options *o, size_t *n_vehicles,
                       size_t *n_trains);

/* Generates o->services services over net and writes timetable.yaml to fp. *nodes gets
 * the YAML node count of what was written. TUMEN_OK, TUMEN_ENOMEM or TUMEN_EIO. */
int tm_gen_write_timetable(FILE *fp, const gen_net *net, const tm_gen_options *o,
                           tm_rng *rng, size_t *nodes, tumen_error *err);

/* Fixed-format printing: metres as "12.345 km", tenths of a permille as "-3.2 permille". */
void tm_gen_print_km(FILE *fp, long long m);
void tm_gen_print_permille(FILE *fp, int tenths);

#endif
