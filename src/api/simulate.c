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
#include "formats/timetable_out.h"
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
    unsigned long long replications;
    long long replication;   /* the day reported in full, or -1 */
};

void tumen_simulate_options_init(tumen_simulate_options *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    tumen_options_init(&o->common);
    o->replications = 100;
    o->seed = 1;
    o->dispatch = TUMEN_DISPATCH_TIMETABLE;
    o->stride = 1;
    o->replication = -1;
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

static int progress(void *arg, uint64_t done, uint64_t total)
{
    (void)total;
    progress_ctx *p = arg;
    return p->o->common.progress(p->o->common.user, (size_t)(p->offset + done),
                                 (size_t)p->total);
}

/* One day's plan and replications; delays: the main scenario's, for the baseline too (the
 * same distributions and streams on both days). */
static int run_day(tumen_simulation *sim, const tumen_scenario *sc,
                   const struct tm_delay_spec *delays, const tumen_simulate_options *o,
                   tm_sim_plan **plan, tm_sim_stats *stats, progress_ctx *pc, tumen_error *err)
{
    int threads = o->common.threads > 1 ? o->common.threads : 1;
    int rc = tm_sim_plan_build(sc->model, delays, threads, plan, err);
    if (rc != TUMEN_OK)
        return rc;
    uint64_t stride = o->stride ? o->stride : 1;
    uint64_t count = o->first < o->replications
                         ? (o->replications - o->first + stride - 1) / stride
                         : 0;
    return tm_sim_run(*plan, &sim->cfg, o->first, count, stride, threads,
                      o->common.progress ? progress : NULL, pc, stats, err);
}

int tumen_simulation_run(const tumen_scenario *sc, const tumen_simulate_options *options,
                         tumen_simulation **out, tumen_error *err)
{
    tm_error_clear(err);
    if (!out)
        return tm_api_null(err, "out");
    *out = NULL;
    tumen_simulate_options o;
    tumen_simulate_options_init(&o);
    if (options)
        tm_api_options(&o, sizeof o, options);
    if (!sc || o.replications == 0)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, "--replications",
                            "needs a scenario and at least one replication");
    if (o.replication < -1 || (o.replication >= 0 &&
                               (unsigned long long)o.replication >= o.replications))
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, "--replication",
                            "the day to report is one of 0 to %llu, not %lld",
                            o.replications - 1, o.replication);
    tumen_simulation *sim = calloc(1, sizeof *sim);
    if (!sim)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    sim->cfg.seed = o.seed;
    sim->cfg.dispatch = (tm_dispatch)o.dispatch;
    sim->cfg.no_delays = o.no_delays;
    sim->delays_source = sc->model->delays ? "file" : "defaults";
    sim->replications = o.replications;
    sim->replication = o.replication;
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

/* Replication k run again (its numbers depend only on the seed and k) into a new state. */
static int replay(const tumen_simulation *sim, unsigned long long k, tm_sim_state **st,
                  tumen_error *err)
{
    *st = NULL;
    if (k >= sim->replications)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, "--replication",
                            "the day to report is one of 0 to %llu, not %llu",
                            sim->replications - 1, k);
    *st = tm_sim_state_new(sim->plan);
    if (!*st || tm_sim_replicate(sim->plan, &sim->cfg, k, *st) != TUMEN_OK) {
        tm_sim_state_free(*st);
        *st = NULL;
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    return TUMEN_OK;
}

static int replication_doc(const tumen_simulation *sim, unsigned long long k, json_t **out,
                           tumen_error *err)
{
    tm_sim_state *st = NULL;
    *out = NULL;
    int rc = replay(sim, k, &st, err);
    if (rc != TUMEN_OK)
        return rc;
    *out = tm_sim_replication_json(sim->plan, st, k);
    tm_sim_state_free(st);
    return *out ? TUMEN_OK : tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
}

/* The result document, with the replication asked for. */
static int document(const tumen_simulation *sim, json_t **out, tumen_error *err)
{
    scatter(sim);
    tm_sim_day day = {sim->plan, &sim->stats}, base = {sim->base_plan, &sim->base_stats};
    *out = tm_sim_to_json(&day, sim->base_plan ? &base : NULL, &sim->cfg, sim->delays_source);
    if (!*out)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (sim->replication >= 0) {
        json_t *rep = NULL;
        int rc = replication_doc(sim, (unsigned long long)sim->replication, &rep, err);
        if (rc != TUMEN_OK) {
            json_decref(*out);
            *out = NULL;
            return rc;
        }
        json_object_set_new(*out, "replication", rep);
    }
    return TUMEN_OK;
}

int tumen_simulation_json(const tumen_simulation *sim, char **text, size_t *length,
                          tumen_error *err)
{
    tm_error_clear(err);
    if (!sim || !text)
        return tm_api_null(err, "simulation and text");
    *text = NULL;
    json_t *doc = NULL;
    int rc = document(sim, &doc, err);
    return rc == TUMEN_OK ? tm_api_json_text(doc, TM_JSON_DUMP_FLAGS, text, length, err) : rc;
}

int tumen_simulation_text(const tumen_simulation *sim, char **text, size_t *length,
                          tumen_error *err)
{
    tm_error_clear(err);
    if (!sim || !text)
        return tm_api_null(err, "simulation and text");
    *text = NULL;
    json_t *doc = NULL;
    int rc = document(sim, &doc, err);
    if (rc != TUMEN_OK)
        return rc;
    char *body = tm_sim_to_text(doc);
    json_decref(doc);
    tm_api_text t;
    if (!body || tm_api_text_begin(&t, err) != TUMEN_OK) {
        free(body);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    fprintf(t.f, "%s\n", body); /* the report's last line ends, as printed */
    free(body);
    return tm_api_text_end(&t, text, length, err);
}

int tumen_simulation_write_csv(const tumen_simulation *sim, const char *dir, tumen_error *err)
{
    tm_error_clear(err);
    if (!sim || !dir)
        return tm_api_null(err, "simulation and dir");
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return tm_io_error(err, "create the folder", dir, errno);
    json_t *doc = NULL;
    int rc = document(sim, &doc, err);
    if (rc != TUMEN_OK)
        return rc;
    rc = tm_sim_write_csv(doc, dir, err);
    const json_t *rep = json_object_get(doc, "replication");
    if (rc == TUMEN_OK && rep)
        rc = tm_sim_write_replication_csv(rep, dir, err);
    json_decref(doc);
    return rc;
}

int tumen_simulation_replication_json(const tumen_simulation *sim,
                                      unsigned long long replication, char **text,
                                      size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!sim || !text)
        return tm_api_null(err, "simulation and text");
    *text = NULL;
    json_t *doc = NULL;
    int rc = replication_doc(sim, replication, &doc, err);
    return rc == TUMEN_OK ? tm_api_json_text(doc, TM_JSON_DUMP_FLAGS, text, length, err) : rc;
}

/* The line of a diagram: the route of the longest service, origin to destination. */
static void longest_route(const tm_sim_plan *plan, size_t *from, size_t *to)
{
    double best = -1.0;
    for (size_t i = 0; i < tm_sim_plan_services(plan); i++) {
        size_t n = tm_sim_plan_points(plan, i);
        if (n < 2)
            continue;
        double span = tm_sim_plan_distance(plan, i);
        size_t a = tm_sim_plan_op(plan, i, 0), b = tm_sim_plan_op(plan, i, n - 1);
        if (span > best && a != b) {
            best = span;
            *from = a;
            *to = b;
        }
    }
}

typedef struct diagram_ctx {
    const tumen_simulation *sim;
    unsigned long long replication;
    size_t from, to;
} diagram_ctx;

static int write_diagram(const void *arg, const char *path, tumen_error *err)
{
    const diagram_ctx *d = arg;
    const tumen_simulation *sim = d->sim;
    size_t from = d->from, to = d->to;
    if (from == TUMEN_NPOS && to == TUMEN_NPOS)
        longest_route(sim->plan, &from, &to);
    tm_sim_state *st = NULL;
    int rc = replay(sim, d->replication, &st, err);
    if (rc != TUMEN_OK)
        return rc;
    tm_timetable_result actual;
    if (tm_sim_replication_runs(sim->plan, st, &actual) != TUMEN_OK) {
        tm_sim_state_free(st);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    char note[160];
    snprintf(note, sizeof note, "simulated day %llu (seed %llu): actual times, the plan faint",
             d->replication, (unsigned long long)sim->cfg.seed);
    rc = tm_timetable_write_graph_over(tm_sim_plan_scenario(sim->plan),
                                       tm_sim_plan_runs(sim->plan), &actual, from, to, note,
                                       path, err);
    tm_timetable_result_free(&actual);
    tm_sim_state_free(st);
    return rc;
}

int tumen_simulation_write_diagram(const tumen_simulation *sim, unsigned long long replication,
                                   size_t from, size_t to, const char *path, tumen_error *err)
{
    tm_error_clear(err);
    if (!sim || !path)
        return tm_api_null(err, "simulation and path");
    if (!tm_has_extension(path, ".png") && !tm_has_extension(path, ".svg"))
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, "--diagram",
                            "'%s': the picture must end in .png or .svg", path);
    diagram_ctx d = {sim, replication, from, to};
    return write_diagram(&d, path, err);
}

int tumen_simulation_diagram(const tumen_simulation *sim, unsigned long long replication,
                             size_t from, size_t to, const char *format, void **data,
                             size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!sim || !data)
        return tm_api_null(err, "simulation and data");
    *data = NULL;
    int rc = tm_api_image_format(format, err);
    if (rc != TUMEN_OK)
        return rc;
    diagram_ctx d = {sim, replication, from, to};
    return tm_api_via_file(write_diagram, &d, format, data, length, err);
}

int tumen_simulation_plot(const tumen_simulation *sim, const char *path, tumen_error *err)
{
    tm_error_clear(err);
    if (!sim || !path)
        return tm_api_null(err, "simulation and path");
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
                   char **json, size_t *length, tumen_error *err)
{
    if (!json)
        return tm_api_null(err, "json");
    *json = NULL;
    tumen_simulation *sim = NULL;
    int rc = tumen_simulation_run(sc, options, &sim, err);
    if (rc == TUMEN_OK)
        rc = tumen_simulation_json(sim, json, length, err);
    tumen_simulation_destroy(sim);
    return rc;
}
