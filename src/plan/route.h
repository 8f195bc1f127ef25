/* route.h: the fastest route a train may run over the network, and the lines it becomes.
 *
 * The search is Dijkstra over states (operational point, train): a train is a consist with a
 * gauge, a traction (diesel runs anywhere, electric only under its own system), an axle
 * load and a length. At an operational point with a bogie exchange the train may become
 * another of the allowed trains whose gauge is the other side of the exchange; at a
 * locomotive change, another allowed train. Edge costs are the minimum running time
 * (length over the lower of the section limit and the train's maximum speed), a lower bound
 * on what the engine computes; facility times are added. The route found is then run by the
 * engine over the lines built from it (tm_route_legs_build).
 */
#ifndef TM_ROUTE_H
#define TM_ROUTE_H

#include "model/scenario.h"
#include "run/run.h"

typedef struct tm_route_request {
    size_t train;                    /* the consist at the origin */
    const size_t *changes_to;        /* trains it may become at facilities on the way */
    size_t n_changes_to;
    const size_t *waypoints;         /* operational points: origin, vias..., destination */
    size_t n_waypoints;
    const tm_service_stop *stops;    /* where it must stop (with minimum dwell) */
    size_t n_stops;
} tm_route_request;

typedef struct tm_route {
    size_t origin;                   /* operational point */
    tm_route_step *steps;
    size_t n_steps;
    /* change_time[i]: s spent changing the consist at the start of step i (a bogie exchange,
     * a locomotive change, or both one after the other), 0 where steps[i].train is the train
     * of the step before (for i = 0: req->train). n_steps items, or NULL when n_steps is 0. */
    double *change_time;
    double estimated_time;           /* s, the search's lower bound incl. facility times */
    double length;                   /* m */
} tm_route;

/* Finds the fastest route for req. On failure (TUMEN_EINPUT) err says which constraint
 * blocks the way and where (the gauge, the traction, the axle load, the length against a
 * loop), naming the operational points and tracks. The caller frees out with tm_route_free
 * (also after a failure: out is then empty).
 *
 * The rules (plan/route.c has the details):
 *  - gauge: a train runs on its vehicles' common gauge (tm_vehicle.gauge, 0 = 1435 mm), on
 *    tracks that list it; a consist mixing gauges is TUMEN_EINPUT;
 *  - traction: a train whose traction vehicles are all electric runs only under one of their
 *    systems, counting every mode of a multi-system vehicle (an electric vehicle without a
 *    system runs under any wire); diesel, steam, a vehicle with a diesel mode, or a mix with
 *    them anywhere;
 *  - axle load: the train's heaviest axle within the track's max_axle_load (both known);
 *  - length: the train stops only where a loop is at least as long as it, or at the origin
 *    or destination; it stops at req->stops and where its consist changes;
 *  - waypoints are passed in order (the first time the route passes one counts); the route
 *    between consecutive waypoints is searched one after another, carrying the best time
 *    for every allowed train, so the whole is still the fastest;
 *  - changes: at a bogie exchange between g1 and g2 into an allowed train of the other gauge
 *    (exchange time); at a locomotive change into an allowed train of the same gauge.
 * Usage errors (TUMEN_EUSAGE): indexes out of range, fewer than two waypoints. */
int tm_route_find(const tm_scenario *sc, const tm_route_request *req, tm_route *out,
                  tumen_error *err);
void tm_route_free(tm_route *r);

/* The route as the engine runs it: one line per stretch run by one train, joined where the
 * consist changes (the change's name and time on the next leg). Each line has a point at
 * every operational point passed (stops where req asks, with their dwell; the origin and
 * destination always). Positions start at 0 on each line. */
typedef struct tm_route_legs {
    tm_line *lines;
    tm_run_leg *legs;                /* legs[i].line == &lines[i] */
    char (*changes)[2 * TM_ID_LEN];  /* text of the change before leg i (legs[i].change):
                                      * a few words and a train id, whole */
    size_t n;
} tm_route_legs;

int tm_route_legs_build(const tm_scenario *sc, const tm_route *route,
                        const tm_route_request *req, tm_route_legs *out, tumen_error *err);

/* The dwell (s) req asks for at operational point op, the longest if it asks twice; *is_stop
 * says whether it asks to stop there at all. */
double tm_route_stop_dwell(const tm_route_request *req, size_t op, int *is_stop);

/* The line of steps [a, b) of the route alone, entering at operational point start_op: the
 * same sections, turnouts and points as the part of a leg's line over those steps, its
 * positions from 0 where step a begins. The caller frees it (tm_line_free). */
int tm_route_line_build(const tm_scenario *sc, const tm_route *route,
                        const tm_route_request *req, size_t a, size_t b, size_t start_op,
                        tm_line *line, tumen_error *err);
void tm_route_legs_free(tm_route_legs *legs);

/* The speed of the connection a route takes from step prev into step next (the switch's
 * diverging speed, held over its turnout), 0 if none. */
double tm_route_connection_speed(const tm_network *net, const tm_route_step *prev,
                                 const tm_route_step *next);

#endif
