/* import_graph.h: the fine topology every importer fills, and its reduction to tumen's
 * network of operational points joined by tracks.
 *
 * Importers describe what the file has: raw tracks (railML tracks, railML 3 netElements,
 * railjson track sections, OSM ways) with a length, nodes placed on them at positions (their
 * two ends, switches, crossings, operational points) and linear properties as ranges along
 * them. Nodes that are one place (a track end connected to another, the ports of a switch,
 * the parts of an operational point) are joined with tm_ig_join. tm_import_graph_build then
 *  - makes one operational point per set of joined nodes (a station keeps its id and name; a
 *    switch or crossing becomes a junction; a plain track end a junction named after it),
 *  - splits every raw track at the nodes on it, so each piece joins two operational points,
 *  - cuts the ranges into each piece's sections (speed per direction, gradient, radius,
 *    neutral sections per direction),
 *    its signals and its electrification (the system over most of its length),
 *  - interpolates op positions from track shapes where the file gave no coordinates.
 * docs/formats.md ("Imports") describes the mapping for each format.
 */
#ifndef TM_IMPORT_GRAPH_H
#define TM_IMPORT_GRAPH_H

#include <stddef.h>

#include "core/vec.h"
#include "model/network.h"

/* A track's shape: n points (lat, lon in degrees) from its from end to its to end. */
typedef struct tm_polyline {
    double *lat, *lon;
    size_t n;
} tm_polyline;

/* What a node is, in the order a set of joined nodes picks its name (highest wins). */
typedef enum tm_ig_rank {
    TM_IG_END = 0,      /* a track end (buffer stop, open end, connection) */
    TM_IG_SWITCH = 1,   /* a switch or crossing */
    TM_IG_OP = 2        /* an operational point (station, halt, ...) */
} tm_ig_rank;

typedef struct tm_ig_node {
    char id[TM_ID_LEN];
    char *name;           /* owned (tm_ig_free); never NULL */
    tm_ig_rank rank;
    tm_op_kind kind;
    double lat, lon;
    int has_position;
    size_t parent;      /* union-find */
} tm_ig_node;

/* A node on a raw track at pos (m from the track's start). */
typedef struct tm_ig_cut {
    double pos;
    size_t node;
} tm_ig_cut;

/* What a range sets. */
typedef enum tm_ig_prop {
    TM_IG_SPEED,        /* value m/s */
    TM_IG_GRADIENT,     /* value m/m, uphill positive in the track's direction */
    TM_IG_RADIUS,       /* value m (0 straight) */
    TM_IG_ELEC,         /* value a tm_electrification */
    TM_IG_NEUTRAL       /* a neutral section (traction cut) for trains in dir; value unused */
} tm_ig_prop;

/* A property over [from, to] of a raw track; dir +1 for trains in the track's direction,
 * -1 against it, 0 both. Overlapping speed ranges: the lowest holds. Others: the last. */
typedef struct tm_ig_range {
    double from, to;
    int dir;
    tm_ig_prop prop;
    double value;
} tm_ig_range;

typedef struct tm_ig_track {
    char id[TM_ID_LEN];
    double length;      /* m, > 0 */
    int gauge;          /* mm; 0 = 1435 */
    int main_tracks;    /* 0 = 1 */
    TM_VEC(tm_ig_cut) cuts;
    TM_VEC(tm_ig_range) ranges;
    TM_VEC(tm_signal) signals; /* positions from the track's start */
    TM_VEC(tm_structure) structures; /* level crossings, bridges, tunnels: from the start */
    TM_VEC(double) lat;        /* shape, if any: points from start to end */
    TM_VEC(double) lon;
} tm_ig_track;

/* One side of a point on a raw track: the piece of it that ends at pos (side -1) or starts
 * at pos (side +1). A raw track's start is (0, +1), its end (length, -1). */
typedef struct tm_ig_attach {
    size_t track;
    double pos;
    int side;
} tm_ig_attach;

/* A legal move between two track pieces that meet at one place (a switch's toe and one
 * branch, a plain joint of two track ends). */
typedef struct tm_ig_link {
    tm_ig_attach a, b;
    double speed_limit;  /* m/s through it, 0 = none of its own */
} tm_ig_link;

typedef struct tm_import_graph {
    TM_VEC(tm_ig_node) nodes;
    TM_VEC(tm_ig_track) tracks;
    double default_speed;       /* m/s where no range gives a limit */
    /* The file says which track ends connect (has_topology = 1): the network gets those
     * connections, and the straight way through every point where a raw track is cut, so a
     * train moves only along them (model/network.h). Without it every meeting point is free. */
    int has_topology;
    TM_VEC(tm_ig_link) links;
} tm_import_graph;

/* Frees what the graph owns and zeroes it. */
void tm_ig_free(tm_import_graph *g);

/* Adds a node; returns its index, or (size_t)-1 when memory runs out. name may be NULL (the
 * id). */
size_t tm_ig_node_add(tm_import_graph *g, const char *id, const char *name, tm_ig_rank rank,
                      tm_op_kind kind);

/* The representative of a node's set. */
size_t tm_ig_find(tm_import_graph *g, size_t node);

/* Joins the sets of a and b (one place). */
void tm_ig_join(tm_import_graph *g, size_t a, size_t b);

/* Adds a raw track of the given length with new end nodes "<id>.begin" / "<id>.end"
 * (rank END, kind junction); returns its index or (size_t)-1 when memory runs out. */
size_t tm_ig_track_add(tm_import_graph *g, const char *id, double length);

/* The node at a raw track's start (end 0) or end (end 1). */
size_t tm_ig_track_end(const tm_import_graph *g, size_t track, int end);

/* Places node on track at pos (clamped to the track). Returns 0 or -1 (memory). */
int tm_ig_cut_add(tm_import_graph *g, size_t track, double pos, size_t node);

/* Adds a range (clamped to the track; empty ranges are dropped). Returns 0 or -1. */
int tm_ig_range_add(tm_import_graph *g, size_t track, tm_ig_prop prop, double from, double to,
                    int dir, double value);

/* Adds a legal move between raw track ends (end 0 the start, 1 the end), or between two
 * sides of points on raw tracks (_at), and sets has_topology. Returns 0 or -1. */
int tm_ig_link_add(tm_import_graph *g, size_t track_a, int end_a, size_t track_b, int end_b,
                   double speed_limit);
int tm_ig_link_add_at(tm_import_graph *g, tm_ig_attach a, tm_ig_attach b, double speed_limit);

/* The attachment of a raw track's end (end 0 its start, 1 its end). */
tm_ig_attach tm_ig_end_attach(const tm_import_graph *g, size_t track, int end);

/* Adds a signal. Returns 0 or -1. */
int tm_ig_signal_add(tm_import_graph *g, size_t track, double pos, int dir, const char *id);

/* Adds a structure (its position from the track's start, clamped to the track; a bridge or
 * tunnel longer than the rest of the track is cut there) named name (copied; NULL: none;
 * st->name and st->road are not read). Returns 0 or -1. */
int tm_ig_structure_add(tm_import_graph *g, size_t track, const tm_structure *st,
                        const char *name);
/* Appends a shape point. Returns 0 or -1. */
int tm_ig_shape_add(tm_import_graph *g, size_t track, double lat, double lon);

/* Builds the network into *net (empty on entry) and, when geometry is not NULL, one polyline
 * per network track (*geometry, net->n_tracks items). Returns TUMEN_OK or TUMEN_ENOMEM
 * (file names it). */
int tm_import_graph_build(tm_import_graph *g, tm_network *net, tm_polyline **geometry,
                          const char *file, tumen_error *err);

/* Frees an array of n polylines. */
void tm_polylines_free(tm_polyline *p, size_t n);

/* Great-circle distance in m between two points (degrees). */
double tm_geo_distance(double lat1, double lon1, double lat2, double lon2);

#endif
