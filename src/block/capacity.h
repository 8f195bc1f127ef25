/* capacity.h: infrastructure occupancy by the compression of UIC 406. */
#ifndef TM_CAPACITY_H
#define TM_CAPACITY_H

#include "block/blocking.h"

/* One train's blocking-time stairs on the line being measured (occ[0] its first block). */
typedef struct tm_stairs {
    const tm_occupation *occ;
    size_t n;
} tm_stairs;

/* Compresses the trains, in the order given, as UIC 406 does; shifts[i] (s, usually
 * negative) receives how far train i moved. Returns the occupation time (s): from the
 * first compressed blocking time's start to the last one's end. n_trains may be 0. */
double tm_capacity_compress(const tm_stairs *trains, size_t n_trains, double *shifts);

typedef enum tm_line_type {
    TM_LINE_MIXED,
    TM_LINE_SUBURBAN,
    TM_LINE_HIGH_SPEED
} tm_line_type;

/* UIC 406's recommended occupancy limits (fractions) for the peak hour and the day. */
void tm_capacity_limits(tm_line_type type, double *peak, double *daily);

#endif
