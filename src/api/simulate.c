/* simulate.c: tumen_simulate and tumen_simulation_* (include/tumen.h, "Simulation") over
 * the simulation layer (sim/sim.h), its writers (formats/sim_write.h) and its picture
 * (draw/sim_plot.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/atomic.h"
#include "core/error.h"
#include "draw/cairo_out.h"
#include "draw/sim_plot.h"
#include "formats/output.h"
#include "formats/sim_write.h"
#include "model/scenario.h"
#include "api/api.h"
#include "sim/sim.h"
#include "tumen.h"

struct tumen_simulation {
    tm_sim_config cfg;
    tm_sim_plan *plan, *base_plan;
    tm_sim_stats stats, base_stats;
    long long *counters;     /* stats then base_stats, for merging across processes */
    size_t n_counters;
    const char *delays_source;
};

void tumen_simulate_options_init(tumen_simulate_options *o)
{
    memset(o, 0, sizeof *o);
    o->replications = 100;
    o->seed = 1;
    o->threads = 1;
    o->dispatch = TUMEN_DISPATCH_TIMETABLE;
    o->stride = 1;
}

int tumen_dispatch_parse(const char *text, tumen_dispatch *out, tumen_error *err)
{
    static const char *const names[] = {"fcfs", "timetable", "priority"};
    for (int i = 0; i < 3; i++)
        if (text && !strcmp(text, names[i])) {
            *out = (tumen_dispatch)i;
            return TUMEN_OK;
        }
    return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, "--dispatch",
                        "must be fcfs, timetable or priority (got '%s')", text ? text : "");
}

/* The counters are int64 in the statistics; long long is at least as wide, and the
 * statistics are copied into one array so a caller can reduce them in one call. */
static int gather(tumen_simulation *sim)
{
    size_t n = sim->stats.n + (sim->base_plan ? sim->base_stats.n : 0);
    sim->counters = malloc((n ? n : 1) * sizeof *sim->counters);
    if (!sim->counters)
        return TUMEN_ENOMEM;
    for (size_t k = 0; k < sim->stats.n; k++)
        sim->counters[k] = (long long)sim->stats.v[k];
    for (size_t k = 0; sim->base_plan && k < sim->base_stats.n; k++)
        sim->counters[sim->stats.n + k] = (long long)sim->base_stats.v[k];
    sim->n_counters = n;
    return TUMEN_OK;
}

/* Back from the counters (after a caller merged them). */
static void scatter(const tumen_simulation *sim)
{
    for (size_t k = 0; k < sim->stats.n; k++)
        sim->stats.v[k] = (int64_t)sim->counters[k];
    for (size_t k = 0; sim->base_plan && k < sim->base_stats.n; k++)
        sim->base_stats.v[k] = (int64_t)sim->counters[sim->stats.n + k];
}

typedef struct progress_ctx {
    const tumen_simulate_options *o;
    unsigned long long offset, total;
} progress_ctx;

static void progress(void *arg, uint64_t done, uint64_t total)
{
    (void)total;
    progress_ctx *p = arg;
    p->o->progress(p->o->progress_ctx, p->offset + done, p->total);
}

/* One day's plan and replications; delays: the main scenario's, for the baseline too (the
 * same distributions and streams on both days). */
static int run_day(tumen_simulation *sim, const tumen_scenario *sc,
                   const struct tm_delay_spec *delays, const tumen_simulate_options *o,
                   tm_sim_plan **plan, tm_sim_stats *stats, progress_ctx *pc, tumen_error *err)
{
    int rc = tm_sim_plan_build(sc->model, delays, o->threads, plan, err);
    if (rc != TUMEN_OK)
        return rc;
    uint64_t stride = o->stride ? o->stride : 1;
    uint64_t count = o->first < o->replications
                         ? (o->replications - o->first + stride - 1) / stride
                         : 0;
    return tm_sim_run(*plan, &sim->cfg, o->first, count, stride, o->threads,
                      o->progress ? progress : NULL, pc, stats, err);
}

int tumen_simulation_run(const tumen_scenario *sc, const tumen_simulate_options *options,
                         tumen_simulation **out, tumen_error *err)
{
    *out = NULL;
    tumen_simulate_options o;
    if (options)
        o = *options;
    else
        tumen_simulate_options_init(&o);
    if (!sc || o.replications == 0)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, "--replications",
                            "needs a scenario and at least one replication");
    tumen_simulation *sim = calloc(1, sizeof *sim);
    if (!sim)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    sim->cfg.seed = o.seed;
    sim->cfg.dispatch = (tm_dispatch)o.dispatch;
    sim->cfg.no_delays = o.no_delays;
    sim->delays_source = sc->model->delays ? "file" : "defaults";
    uint64_t stride = o.stride ? o.stride : 1;
    uint64_t mine = o.first < o.replications ? (o.replications - o.first + stride - 1) / stride : 0;
    progress_ctx pc = {&o, 0, mine * (o.baseline ? 2 : 1)};
    int rc = run_day(sim, sc, sc->model->delays, &o, &sim->plan, &sim->stats, &pc, err);
    if (rc == TUMEN_OK && o.baseline) {
        pc.offset = mine;
        rc = run_day(sim, o.baseline, sc->model->delays, &o, &sim->base_plan, &sim->base_stats, &pc, err);
    }
    if (rc == TUMEN_OK && gather(sim) != TUMEN_OK)
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (rc != TUMEN_OK) {
        tumen_simulation_destroy(sim);
        return rc;
    }
    *out = sim;
    return TUMEN_OK;
}

long long *tumen_simulation_counters(tumen_simulation *sim, size_t *n)
{
    *n = sim->n_counters;
    return sim->counters;
}

static json_t *document(const tumen_simulation *sim)
{
    scatter(sim);
    tm_sim_day day = {sim->plan, &sim->stats}, base = {sim->base_plan, &sim->base_stats};
    return tm_sim_to_json(&day, sim->base_plan ? &base : NULL, &sim->cfg, sim->delays_source);
}

int tumen_simulation_json(const tumen_simulation *sim, char **text, tumen_error *err)
{
    json_t *doc = document(sim);
    *text = doc ? json_dumps(doc, TM_JSON_DUMP_FLAGS) : NULL;
    json_decref(doc);
    return *text ? TUMEN_OK : tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
}

int tumen_simulation_text(const tumen_simulation *sim, char **text, tumen_error *err)
{
    json_t *doc = document(sim);
    *text = doc ? tm_sim_to_text(doc) : NULL;
    json_decref(doc);
    return *text ? TUMEN_OK : tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
}

int tumen_simulation_write_csv(const tumen_simulation *sim, const char *dir, tumen_error *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return tm_io_error(err, "create the folder", dir, errno);
    json_t *doc = document(sim);
    if (!doc)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    int rc = tm_sim_write_csv(doc, dir, err);
    json_decref(doc);
    return rc;
}

int tumen_simulation_plot(const tumen_simulation *sim, const char *path, tumen_error *err)
{
    if (!tm_has_extension(path, ".png") && !tm_has_extension(path, ".svg"))
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, "--plot",
                            "'%s': the picture must end in .png or .svg", path);
    scatter(sim);
    char title[160];
    snprintf(title, sizeof title, "Delay at the destination, %lld simulated days",
             (long long)sim->stats.v[0]);
    return tm_sim_plot(&sim->stats, title, path, err);
}

void tumen_simulation_destroy(tumen_simulation *sim)
{
    if (!sim)
        return;
    tm_sim_stats_free(&sim->stats);
    tm_sim_stats_free(&sim->base_stats);
    tm_sim_plan_free(sim->plan);
    tm_sim_plan_free(sim->base_plan);
    free(sim->counters);
    free(sim);
}

int tumen_simulate(const tumen_scenario *sc, const tumen_simulate_options *options,
                   char **json, tumen_error *err)
{
    *json = NULL;
    tumen_simulation *sim = NULL;
    int rc = tumen_simulation_run(sc, options, &sim, err);
    if (rc == TUMEN_OK)
        rc = tumen_simulation_json(sim, json, err);
    tumen_simulation_destroy(sim);
    return rc;
}
