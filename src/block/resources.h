/* resources.h: what trains hold on a network, and each service's blocking times there.
 *
 * Resources, numbered once per network:
 *  - the block sections of each track in each direction, between consecutive main signals
 *    of that direction (a track's ends are signals too: station exit and entry signals);
 *    on double track each direction has its own track, so its own blocks;
 *  - on single track, also the whole track between its two operational points, held by a
 *    train in one direction from its first block to its last: trains of the same direction
 *    may share it, opposing trains may not (they cross at stations);
 *  - each operational point's station tracks, holding as many trains at once as it has
 *    loops plus main tracks.
 */
#ifndef TM_RESOURCES_H
#define TM_RESOURCES_H

#include "block/blocking.h"
#include "model/scenario.h"
#include "run/service_run.h"

typedef enum tm_resource_kind {
    TM_RES_BLOCK,
    TM_RES_SINGLE_TRACK,
    TM_RES_STATION
} tm_resource_kind;

typedef struct tm_resource {
    tm_resource_kind kind;
    size_t track;        /* BLOCK, SINGLE_TRACK */
    int forward;         /* BLOCK: direction of travel */
    size_t block;        /* BLOCK: index along that direction */
    double start, end;   /* BLOCK: m from the track's from end (start < end) */
    size_t op;           /* STATION */
    int capacity;        /* trains at once */
} tm_resource;

typedef struct tm_resource_map {
    tm_resource *items;
    size_t n;
    size_t *track_base;  /* first resource of track i: its forward blocks, then backward
                          * blocks, then (single track) the section */
    size_t *n_forward, *n_backward;
    size_t op_base;      /* station resource of op i is op_base + i */
    int *capacity;       /* by resource, for tm_conflicts_find */
} tm_resource_map;

int tm_resource_map_build(const tm_network *net, tm_resource_map *out);
void tm_resource_map_free(tm_resource_map *map);

/* "block 3 of TUM-KHS (forward)", "single track TUM-KHS", "station Khasan". */
void tm_resource_name(const tm_network *net, const tm_resource_map *map, size_t id, char *buf,
                      size_t size);

/* The block sections (on the service's route axis, m) a service run passes: every block of
 * every track step, the single-track sections, and a station track at each stop. The
 * caller frees *out. */
int tm_service_blocks(const tm_network *net, const tm_resource_map *map,
                      const tm_service_run *run, double train_length, tm_block_section **out,
                      size_t *n_out);

#endif
