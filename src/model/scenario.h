/* scenario.h: what files load into: rolling stock, lines, a journey, a network and a
 * timetable. Owned arrays, freed by tumen_scenario_destroy (formats/scenario.c). */
#ifndef TM_SCENARIO_H
#define TM_SCENARIO_H

#include "model/model.h"
#include "model/network.h"

struct tumen_scenario {
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
    /* While files are read: the timetable's references to trains and operational points
     * that are resolved once the last file is read (formats/timetable_yaml.c); NULL after. */
    struct tm_timetable_refs *timetable_refs;
    struct tm_special_spec *special; /* a special train request (plan/special.h), or NULL */
    struct tm_delay_spec *delays;    /* primary delays for `tumen simulate` (model/delays.h),
                                      * or NULL: the documented defaults */
};

#endif
