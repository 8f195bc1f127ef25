/* special_write.h: a special train's new timetable written back as timetable YAML. */
#ifndef TM_SPECIAL_WRITE_H
#define TM_SPECIAL_WRITE_H

#include "model/scenario.h"
#include "tumen.h"

/* Writes a timetable as the timetable YAML tumen reads (docs/formats.md), atomically. */
int tm_special_write_timetable(const tm_scenario *sc, const tm_timetable *tt,
                               const char *path, tumen_error *err);

#endif
