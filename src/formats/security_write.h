/* security_write.h: the route security schedule as JSON, CSV and a text table
 * (docs/special.md, "The route security schedule"). */
#ifndef TM_SECURITY_WRITE_H
#define TM_SECURITY_WRITE_H

#include <stdio.h>

#include "plan/security_schedule.h"

/* {"rules": NAME, "objects": [...], "summary": {...}} as a new jansson object (a json_t *,
 * declared void * so that this header needs no jansson); NULL when memory runs out. */
void *tm_security_schedule_json(const tm_scenario *sc, const tm_security_schedule *s);

/* Writes the schedule to path, JSON if it ends in .json, else CSV (one row per object and
 * held train), atomically. TUMEN_OK, TUMEN_EIO, TUMEN_ENOMEM. */
int tm_security_schedule_write(const tm_scenario *sc, const tm_security_schedule *s,
                               const char *path, tumen_error *err);

/* The readable table, ending with the summary in words. */
void tm_security_schedule_print(FILE *f, const tm_scenario *sc,
                                const tm_security_schedule *s);

#endif
