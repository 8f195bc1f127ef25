/* path.h: the line between two operational points, as a planner names it ("KHS-BAR"):
 * the shortest path by track length, whatever train would run it. */
#ifndef TM_PATH_H
#define TM_PATH_H

#include "model/network.h"
#include "plan/route.h"

/* Fills *steps (train fields 0) with the shortest path from op a to op b by length. The
 * caller frees *steps. Returns TUMEN_OK, TUMEN_EINPUT (no path; err names a and b) or
 * TUMEN_ENOMEM. a == b gives an empty path. */
int tm_network_shortest_path(const tm_network *net, size_t a, size_t b, tm_route_step **steps,
                             size_t *n_steps, tumen_error *err);

/* Parses "A-B" (operational point ids; the first '-' whose both sides are known ids
 * splits) into a and b. Returns TUMEN_OK or TUMEN_EINPUT naming what is unknown. */
int tm_network_parse_line(const tm_network *net, const char *text, size_t *a, size_t *b,
                          tumen_error *err);

#endif
