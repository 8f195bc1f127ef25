/* output.h: internals of the output writers shared with the CLI.
 * The public writers are tumen_write_trajectory_csv, tumen_write_json and tumen_write_plot
 * (tumen.h); each writes through core/atomic.h, so a failed write leaves no file behind. */
#ifndef TM_OUTPUT_H
#define TM_OUTPUT_H

#include <jansson.h>
#include <stdio.h>

#include "tumen.h"

/* The result summary as a new JSON object (the document tumen_write_json writes):
 * running_time_s, distance_m, energy_j, energy_kwh, max_speed_ms, max_speed_kmh,
 * timing_points[] and legs[]; all in SI units except the *_kwh and *_kmh conveniences.
 * Non-finite numbers become null. Returns NULL when memory runs out. The caller owns the
 * reference and releases it with json_decref. */
json_t *tm_result_to_json(const tumen_result *result);

/* Flags for json_dumpf/json_dumps that tumen_write_json uses: two-space indent, key order
 * as built, 15 significant digits (enough for mm on 1000 km and for J on 1e11 J). */
#define TM_JSON_DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* Writes s as one CSV field, quoted when it holds a comma, quote or line break (RFC 4180:
 * quotes doubled inside). formats/output_csv.c. */
void tm_csv_field(FILE *fp, const char *s);
/* a, joint and b as one CSV field (a composed name, written whole without a buffer). */
void tm_csv_joined(FILE *fp, const char *a, const char *joint, const char *b);

#endif
