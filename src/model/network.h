/* network.h: the railway network and timetables, as the planner sees them.
 *
 * A network is a graph: operational points (stations, junctions, border points) joined by
 * tracks. A track runs from one point to another with a length and linear properties along
 * it (speed limits per direction, gradients, curves), an electrification system, one or
 * more gauges, a maximum axle load, one or two main tracks, and its signals. Points carry
 * facilities: passing loops (with usable lengths), a bogie exchange between two gauges, a
 * locomotive change.
 *
 * A route is a walk over tracks, each in one direction, and the trains the consist becomes
 * on the way (at a bogie exchange or a locomotive change). A route becomes lines the engine
 * runs (plan/route_line.c): one line per stretch run by one train.
 *
 * A timetable is many services: a train (consist), a route given as waypoints, a departure,
 * stops with minimum dwell and a category.
 *
 * All SI, like model.h. Everything here is read-only once loaded.
 */
#ifndef TM_NETWORK_H
#define TM_NETWORK_H

#include "model/model.h"

/* Names as written in files ("3kV DC", "25kV 50Hz", "none"); NULL for an unknown value. */
const char *tm_electrification_name(tm_electrification e);
/* Parses a name (several spellings accepted: "3 kV DC", "3000 V DC", "25kV 50Hz", "25 kV AC");
 * returns 0, or -1 if unknown. */
int tm_electrification_parse(const char *text, tm_electrification *out);

#define TM_MAX_GAUGES 4

/* A linear property range along a track, positions from the track's `from` end (m). */
typedef struct tm_track_section {
    double start, end;        /* m from the track's from end */
    double speed_limit;       /* m/s in the from->to direction */
    double speed_limit_back;  /* m/s in the to->from direction */
    double gradient;          /* m/m in the from->to direction (uphill positive) */
    double radius;            /* m; 0 = straight */
    int neutral;              /* a neutral section (traction cut, OSRD neutral_sections):
                               * bit 0 for trains from->to, bit 1 for to->from; 0 = none */
} tm_track_section;

typedef struct tm_signal {
    double position;          /* m from the track's from end */
    int direction;            /* +1 for trains from->to, -1 for to->from, 0 both */
    char id[TM_ID_LEN];
} tm_signal;

/* A protected structure on a track (a special train's security: plan/security.h). Level
 * crossings sit at a point; bridges and tunnels span [position, position + length]. */
typedef enum tm_structure_kind {
    TM_STRUCT_LEVEL_CROSSING,
    TM_STRUCT_BRIDGE,
    TM_STRUCT_TUNNEL
} tm_structure_kind;

/* How a level crossing is protected: automatic half or full barriers, gates worked by a
 * crossing keeper, or none (a road sign only). */
typedef enum tm_crossing_kind {
    TM_CROSSING_AUTOMATIC,
    TM_CROSSING_MANNED,
    TM_CROSSING_UNPROTECTED
} tm_crossing_kind;

typedef struct tm_structure {
    tm_structure_kind kind;
    char *name;
    double position;          /* m from the track's from end */
    double length;            /* m (bridges, tunnels; 0 for a level crossing) */
    tm_crossing_kind crossing;/* level crossings */
    double warning_time;      /* s: road warning before the barriers close (level crossings) */
    double closing_time;      /* s: barriers or gates closing (and opening) */
    char *road;    /* the road crossed (level crossings), or empty */
} tm_structure;

/* Another track running beside this one within `distance` (m between track centres): a
 * parallel line whose trains pass close to this track's. */
typedef struct tm_parallel {
    size_t track;
    double distance;
} tm_parallel;

typedef struct tm_track {
    char id[TM_ID_LEN];
    size_t from, to;          /* indexes of operational points */
    double length;            /* m */
    int main_tracks;          /* 1 single track, 2 double track */
    tm_electrification electrification;
    int gauges[TM_MAX_GAUGES];/* mm; a dual-gauge track lists two */
    int n_gauges;
    double max_axle_load;     /* kg; 0 = no limit given */
    tm_track_section *sections; /* contiguous from 0 to length, ascending */
    size_t n_sections;
    tm_signal *signals;
    size_t n_signals;
    tm_curve_law curve_law;
    tm_structure *structures; /* by position */
    size_t n_structures;
    tm_parallel *parallel;
    size_t n_parallel;
} tm_track;

typedef enum tm_op_kind {
    TM_OP_STATION,
    TM_OP_HALT,
    TM_OP_JUNCTION,
    TM_OP_BORDER,
    TM_OP_YARD
} tm_op_kind;

typedef struct tm_op {
    char id[TM_ID_LEN];
    char *name;
    tm_op_kind kind;
    double lat, lon;          /* degrees; NAN if not given */
    int has_position;
    /* Passing loops / station tracks where a train may stop clear of the main track, and
     * their usable lengths (m). A train may stop, cross or be overtaken here only if it fits. */
    double *loops;
    size_t n_loops;
    /* Facilities: a bogie exchange between two gauges (either way), a locomotive change. */
    int bogie_exchange;
    int exchange_gauges[2];   /* mm */
    double exchange_time;     /* s for a whole train */
    int locomotive_change;
    double locomotive_change_time; /* s */
} tm_op;

/* Track ends. End e of track t is numbered 2 t + e: e = 0 its from end, e = 1 its to end. */
#define TM_TRACK_END(track, side) (2 * (size_t)(track) + (size_t)(side))

/* A legal move through a switch, a crossing or a plain joint: a train arriving at the
 * operational point over one track end may leave it over the other, and back the same way
 * (a connection is symmetric). Both ends lie at the same operational point. */
typedef struct tm_connection {
    size_t a, b;              /* track ends (TM_TRACK_END) */
    double speed_limit;       /* m/s through this connection (a switch's diverging speed);
                               * 0 = none of its own */
} tm_connection;

/* How long a train stands to reverse (the driver changes ends) where a route allows it, when
 * nothing else is given: assumed 300 s (a multiple unit's minimum turn-round is a few
 * minutes; docs/formats.md, "Switches"). */
#define TM_REVERSAL_TIME_DEFAULT 300.0

typedef struct tm_network {
    tm_op *ops;
    size_t n_ops;
    tm_track *tracks;
    size_t n_tracks;
    /* Adjacency: for op i, the tracks touching it are adj[adj_start[i] .. adj_start[i+1]). */
    size_t *adj;
    size_t *adj_start;
    /* Switch topology. An operational point that no connection touches is free: a train may
     * go from any track end there into any other (a station whose track layout is not
     * modelled). At an operational point that a connection touches ("switched"), a train
     * moves only along connections: from a switch's toe to one of its branches, straight over
     * a crossing, one of the pairs of a double slip; never from one branch into the other
     * without reversing. */
    tm_connection *connections;
    size_t n_connections;
    /* Built by tm_network_build_adjacency from the connections: for track end e, the
     * connections that leave from it are conn[conn_start[e] .. conn_start[e+1]) (indexes
     * into connections); switched[op] is 1 where a connection touches op. */
    size_t *conn;
    size_t *conn_start;
    unsigned char *switched;
} tm_network;

/* A service of a timetable. */
typedef enum tm_category {
    TM_CATEGORY_PASSENGER,
    TM_CATEGORY_FREIGHT,
    TM_CATEGORY_SPECIAL
} tm_category;

typedef struct tm_service_stop {
    size_t op;                /* operational point */
    double dwell;             /* s, minimum dwell */
} tm_service_stop;

typedef struct tm_service {
    char id[TM_ID_LEN];
    size_t train;             /* index into the scenario's trains */
    tm_category category;
    double departure;         /* s after midnight at the first waypoint */
    size_t *waypoints;        /* operational points in order: first = origin, last = destination */
    size_t n_waypoints;
    tm_service_stop *stops;   /* where it stops, with minimum dwell (origin and destination implied) */
    size_t n_stops;
    /* Allowed consist changes on the way: trains this service may become at a facility. */
    size_t *changes_to;
    size_t n_changes_to;
    int line;                 /* input line of this service, for messages */
    const char *file;         /* input file of this service, for messages, or NULL; owned by
                               * the timetable it was read into (tm_timetable.files) */
    /* A convoy under one special operating order (a special train with its pilot and
     * escort): services with the same non-empty id are not separated from each other by
     * the block rule (tm_conflicts_find); every other train is. Empty: none. */
    char convoy[TM_ID_LEN];
    /* Running-time allowance and driving (model/allowance.h), or NULL: the service runs at
     * the minimum running time. Owned; freed by tm_timetable_free. */
    struct tm_allowance_spec *allowance;
} tm_service;

typedef struct tm_timetable {
    char *name;
    char date[16];            /* YYYY-MM-DD the timetable is for (GTFS calendar), or empty */
    tm_service *services;
    size_t n_services;
    char **files;             /* names of the files the services were read from (owned) */
    size_t n_files;
} tm_timetable;

/* Frees what a network or timetable owns (not the struct itself). */
void tm_network_free(tm_network *n);
void tm_timetable_free(tm_timetable *t);

/* Index of the operational point or track with this id, or (size_t)-1. Linear scans: for
 * look-ups in bulk, index the ids once (the reader does). */
size_t tm_network_find_op(const tm_network *n, const char *id);
size_t tm_network_find_track(const tm_network *n, const char *id);

/* (Re)builds n->adj and n->adj_start from the tracks, and conn, conn_start and switched from
 * the connections, replacing any earlier arrays: call it after adding tracks or connections
 * (readers and generators do). Every track's from/to must be < n_ops and every connection's
 * ends < 2 n_tracks. Returns 0, or -1 when memory runs out (the old arrays are kept then). */
int tm_network_build_adjacency(tm_network *n);

/* The operational point at track end e. */
size_t tm_track_end_op(const tm_network *n, size_t e);

/* The track end of connection c other than e (e must be one of its ends). */
size_t tm_connection_other(const tm_connection *c, size_t e);

/* Appends a connection between track ends a and b (at one operational point: the caller
 * checks). Returns 0 or -1 when memory runs out. */
int tm_network_add_connection(tm_network *n, size_t a, size_t b, double speed_limit);

/* The longest loop (m) of an operational point, 0 if it has none. */
double tm_op_longest_loop(const tm_op *op);

/* One step of a route over the network: a track run in one direction by one consist. */
typedef struct tm_route_step {
    size_t track;                    /* index into the network's tracks */
    int forward;                     /* 1: run from -> to; 0: to -> from */
    size_t train;                    /* the consist that runs this step */
} tm_route_step;

#endif
