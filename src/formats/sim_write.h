/* sim_write.h: the results of `tumen simulate` as JSON, text and CSV (docs/simulate.md,
 * "Outputs"), from the merged statistics of a plan (sim/sim.h). */
#ifndef TM_SIM_WRITE_H
#define TM_SIM_WRITE_H

#include <jansson.h>

#include "sim/sim.h"

/* A simulated day: its plan, statistics and how it was run. */
typedef struct tm_sim_day {
    const tm_sim_plan *plan;
    const tm_sim_stats *stats;
} tm_sim_day;

/* The result document (docs/simulate.md lists every key). base: the day without the
 * special, run on the same random streams, or NULL. NULL when memory runs out. */
json_t *tm_sim_to_json(const tm_sim_day *day, const tm_sim_day *base, const tm_sim_config *cfg,
                       const char *delays_source);

/* The same as a short text report (a malloc'd string), NULL when memory runs out. */
char *tm_sim_to_text(const json_t *doc);

/* punctuality.csv, stations.csv, lines.csv, trains.csv and blocks.csv in dir (which must
 * exist), each written atomically. TUMEN_OK or TUMEN_EIO/ENOMEM naming the file. */
int tm_sim_write_csv(const json_t *doc, const char *dir, tumen_error *err);

/* One simulated day (the replication in st, number `replication`): per service its id,
 * category, primary and knock-on delay (s) and per point passed its operational point id
 * with the planned and actual arrival and departure (s after midnight, to the ms):
 * {"number", "services": [{"service", "category", "primary_delay_s", "knock_on_delay_s",
 * "points": [{"id", "planned_arrival_s", "arrival_s", "planned_departure_s",
 * "departure_s"}]}]}. NULL when memory runs out. */
json_t *tm_sim_replication_json(const tm_sim_plan *plan, const tm_sim_state *st,
                                uint64_t replication);

/* replication.csv in dir: the same, one row per service and point. */
int tm_sim_write_replication_csv(const json_t *rep, const char *dir, tumen_error *err);

#endif
