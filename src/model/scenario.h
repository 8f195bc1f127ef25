/* scenario.h: what files load into: rolling stock, lines, a journey, a network and a
 * timetable. Owned arrays, freed by tm_scenario_free (model/scenario.c). */
#ifndef TM_SCENARIO_H
#define TM_SCENARIO_H

#include "model/model.h"
#include "model/network.h"

struct tm_scenario {
    tm_vehicle *vehicles;
    size_t n_vehicles;
    tm_train *trains;
    size_t n_trains;
    tm_line *lines;
    size_t n_lines;
    tm_journey journey;
    int has_journey;
    tm_network network;     /* empty (n_ops 0) if no file gave one */
    tm_timetable timetable; /* empty (n_services 0) if no file gave one */
    struct tm_delay_spec *delays;    /* primary delays for `tumen simulate` (model/delays.h),
                                      * or NULL: the documented defaults */
};

/* Frees the scenario and everything it owns; NULL is a no-op. */
void tm_scenario_free(tm_scenario *s);

#endif
