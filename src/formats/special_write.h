/* special_write.h: a special train's new timetable written back as timetable YAML. */
#ifndef TM_SPECIAL_WRITE_H
#define TM_SPECIAL_WRITE_H

#include "model/scenario.h"
#include "tumen.h"

/* Writes a timetable as the timetable YAML tumen reads (docs/formats.md), atomically.
 * replace: the file says `replace: true`, so that it stands for the timetable of the files
 * read before it (a whole plan written by tumen special); 0 for services that add to it. */
int tm_special_write_timetable(const tm_scenario *sc, const tm_timetable *tt, int replace,
                               const char *path, tumen_error *err);

/* Writes a change to a timetable (a booked plan): `withdraw:` the ids of services of the
 * files read before it that leave the timetable (cancelled, or given again retimed among
 * tt's services under the same id), then tt's services, which are added. Atomically. */
int tm_special_write_changes(const tm_scenario *sc, const tm_timetable *tt,
                             const char *const *withdraw, size_t n_withdraw, const char *path,
                             tumen_error *err);

#endif
