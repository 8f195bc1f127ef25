/* railml_write.h: writing a scenario as railML 2.4. */
#ifndef TM_RAILML_WRITE_H
#define TM_RAILML_WRITE_H

#include <stdio.h>

#include "model/scenario.h"

/* Writes s as one railML 2.4 document (namespace http://www.railml.org/schemas/2009): the
 * network as <infrastructure> (tracks with their topology, speed, gradient, radius and
 * electrification changes, signals; operational points as <ocp>), vehicles and trains as
 * <rollingstock>, and the timetable as <timetable> (train parts with their ocpsTT and the
 * departure time). tumen's railML 2 reader reads it back into the same network. Returns 0,
 * or -1 on a stream error or when memory runs out. */
int tm_railml_write(const tm_scenario *s, FILE *f);

#endif
