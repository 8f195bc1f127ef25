/* blocking.h: blocking times, conflicts, headways and the compression of UIC 406.
 *
 * A block section is held by a train from the moment its route must be set to the moment
 * the section is released behind it (Pachl, Railway Operation and Control, ch. 3; Hansen &
 * Pachl 2014, ch. 2):
 *
 *   setup  | sight and reaction | approach run | run through the block | clearing | release
 *
 *  - setup: route setting before the driver sees the signal;
 *  - sight and reaction: the driver reads the approach (distant) signal;
 *  - approach: running from the point where the approach signal must be seen (a braking
 *    distance, the signal spacing, before the block's entry signal) to the entry signal;
 *  - run through the block to its exit signal;
 *  - clearing: until the tail has passed the exit signal plus the overlap;
 *  - release: the interlocking frees the section.
 *
 * Each train's stairs are computed from its trajectory alone; conflicts are overlaps of two
 * trains' blocking times on the same resource (a block section, a single-track section held
 * in both directions, a station track), found by a sweep per resource.
 */
#ifndef TM_BLOCKING_H
#define TM_BLOCKING_H

#include <stddef.h>

#include "tumen.h"

typedef struct tm_blocking_params {
    double setup;           /* s, route setting time */
    double sight_reaction;  /* s, sight and reaction time at the approach signal */
    double approach;        /* m, approach distance before the entry signal; 0 = the block's
                             * own signal spacing (the previous block's length) */
    double overlap;         /* m, beyond the exit signal that must be clear */
    double release;         /* s, release time */
    double approach_extra;  /* m added to every block's approach distance (a distance
                             * margin ahead of a train: the special's pilot); 0 normally */
} tm_blocking_params;

/* The defaults documented in docs/physics.md ("Blocking times"). */
void tm_blocking_params_default(tm_blocking_params *p);

/* A block section on one train's journey axis (m): entered at its entry signal `start`, left
 * at its exit signal `end`. `resource` identifies what it holds across trains. */
typedef struct tm_block_section {
    double start, end;
    size_t resource;
    double approach;        /* m, this block's approach distance; 0 = the params', or
                             * without one the signal spacing: the length of the block
                             * (direction 0, approach 0) that ends where this one begins */
    int direction;          /* 0, or +1/-1 on a resource that trains of one direction may
                             * share (a single-track section): only opposite directions
                             * conflict there */
    int clear_at_end;       /* 1: the train stops at `end`, on a station track long enough
                             * for it, and so clears the section when it comes to a stand */
} tm_block_section;

/* One train's blocking time on one resource. */
typedef struct tm_occupation {
    size_t resource;
    size_t train;
    double start, end;      /* s */
    int direction;          /* as tm_block_section.direction */
} tm_occupation;

/* The first time (s) the head reaches position x along the trajectory, interpolated
 * between samples with the cubic Hermite polynomial of s(t) (exact where the acceleration
 * is constant). Before the first sample: its time; beyond the last: the last time. */
double tm_trajectory_time_at(const tumen_sample *samples, size_t n, double x);

/* The last time the train stands still (v = 0) anywhere in [from, to] (standing at `to`, the
 * entry signal, counts: a train waiting at a station's exit signal), or -INFINITY. */
double tm_trajectory_last_stand(const tumen_sample *samples, size_t n, double from, double to);

/* Blocking times of one train over its block sections (ascending on its axis): fills
 * out[0 .. n_blocks) with occupations labelled `train`. train_length in m. */
void tm_blocking_stairs(const tumen_sample *samples, size_t n, double train_length,
                        const tm_block_section *blocks, size_t n_blocks,
                        const tm_blocking_params *p, size_t train, tm_occupation *out);

/* The same for blocks[first .. n_blocks) only (out[first ..]): each block's stairs depend
 * on the samples and the blocks alone, so a caller that has the others can skip them. */
void tm_blocking_stairs_from(const tumen_sample *samples, size_t n, double train_length,
                             const tm_block_section *blocks, size_t n_blocks,
                             const tm_blocking_params *p, size_t train, tm_occupation *out,
                             size_t first);

/* A pair of trains whose blocking times overlap on a resource. */
typedef struct tm_conflict {
    size_t resource;
    size_t train_a, train_b; /* train_a's occupation starts first */
    double start, end;       /* s, the overlap */
} tm_conflict;

/* Every overlapping pair of occupations of different trains on the same resource, sorted
 * by resource then start. Two occupations with the same non-zero direction do not conflict.
 * group[train] (NULL: every train its own) is the train's convoy group: two occupations
 * whose trains share a group never conflict (a convoy under a special operating order, its
 * separation set by its own rules), and on a resource with several tracks a train does not
 * count its own group's holders.
 * capacity[r] (NULL: all 1) is how many trains resource r holds at once (a station with its
 * tracks): there an occupation conflicts only when it finds the resource full, and the
 * conflict pairs it with the occupation there that ends first. occ is reordered (sorted by
 * resource, start). The caller frees *out. Returns TUMEN_OK or TUMEN_ENOMEM.
 * O(n log n + k) for k conflicts. */
int tm_conflicts_find(tm_occupation *occ, size_t n, const int *capacity, const size_t *group,
                      tm_conflict **out, size_t *n_out);

/* tm_conflicts_find on up to `threads` threads (core/pool.h), each sorting and sweeping
 * whole resources: the same conflicts in the same order, and occ reordered the same way. */
int tm_conflicts_find_threads(tm_occupation *occ, size_t n, const int *capacity,
                              const size_t *group, int threads, tm_conflict **out,
                              size_t *n_out);

/* The minimum headway (s) at which a train with stairs `second` (computed as if it left at
 * the same time as the first) may follow `first` on the same resources: the largest
 * first.end - second.start over shared resources; *deciding receives that resource. */
double tm_minimum_headway(const tm_occupation *first, size_t n_first,
                          const tm_occupation *second, size_t n_second, size_t *deciding);

#endif
