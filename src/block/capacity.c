/* capacity.c: the compression method of UIC leaflet 406 (2004; 2nd ed. 2013).
 *
 * The trains of a time window keep their order and their blocking-time stairs; each is
 * pushed as close as its stairs allow behind those before it, without overlap on any
 * resource. The compressed stairs span the occupation time; occupancy is that time over the
 * window. UIC 406 recommends at most 85 % in the peak hour and 70 % over the day on dedicated
 * suburban passenger lines, 75 % and 60 % on dedicated high-speed lines and on mixed-traffic
 * lines (UIC 406, 2004, table 2).
 */
#include "block/capacity.h"

#include <math.h>

double tm_capacity_compress(const tm_stairs *trains, size_t n_trains, double *shifts)
{
    double first = INFINITY, last = -INFINITY;
    for (size_t i = 0; i < n_trains; i++) {
        double shift = 0.0;
        if (i > 0) {
            /* As early as every earlier (compressed) train allows: the largest
             * end_j(r) - start_i(r) over shared resources r. */
            shift = -INFINITY;
            for (size_t j = 0; j < i; j++)
                for (size_t a = 0; a < trains[j].n; a++)
                    for (size_t b = 0; b < trains[i].n; b++)
                        if (trains[j].occ[a].resource == trains[i].occ[b].resource) {
                            double need = trains[j].occ[a].end + shifts[j] -
                                          trains[i].occ[b].start;
                            if (need > shift)
                                shift = need;
                        }
            if (!isfinite(shift)) /* shares nothing with the trains before: starts with them */
                shift = first - trains[i].occ[0].start;
        }
        shifts[i] = shift;
        for (size_t b = 0; b < trains[i].n; b++) {
            first = fmin(first, trains[i].occ[b].start + shift);
            last = fmax(last, trains[i].occ[b].end + shift);
        }
    }
    return n_trains ? last - first : 0.0;
}

void tm_capacity_limits(tm_line_type type, double *peak, double *daily)
{
    switch (type) {
    case TM_LINE_SUBURBAN:
        *peak = 0.85;
        *daily = 0.70;
        break;
    case TM_LINE_HIGH_SPEED:
    case TM_LINE_MIXED:
    default:
        *peak = 0.75;
        *daily = 0.60;
        break;
    }
}
