/* sim_plan.c: what a replication needs, computed once (sim/sim.h): per service its points
 * with planned times, the intervals over which its delay changes with their recoverable
 * allowances (planned run against the minimum-time run), its blocking times and the
 * distributions of its primary delays; per resource the planned order of its holders.
 */
#include "sim/sim_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "plan/occupancy.h"
#include "plan/timetable.h"
#include "sim/random.h"

static int priority_of(int category)
{
    return category == TM_CATEGORY_SPECIAL ? 2 : category == TM_CATEGORY_PASSENGER ? 1 : 0;
}

/* Copies the given distributions of `from` over `to` (those the file set). */
static int overlay(tm_delay_set *to, const tm_delay_set *from)
{
    int rc = TUMEN_OK;
    if (from->has_entry) {
        tm_dist_free(&to->entry);
        rc |= tm_dist_copy(&to->entry, &from->entry);
        to->has_entry = 1;
    }
    if (from->has_dwell) {
        tm_dist_free(&to->dwell);
        rc |= tm_dist_copy(&to->dwell, &from->dwell);
        to->has_dwell = 1;
    }
    if (from->has_running) {
        tm_dist_free(&to->running);
        rc |= tm_dist_copy(&to->running, &from->running);
        to->has_running = 1;
    }
    return rc ? TUMEN_ENOMEM : TUMEN_OK;
}

static int copy_overrides(tm_delay_override **to, size_t *n_to, const tm_delay_override *from,
                          size_t n)
{
    *n_to = 0;
    *to = calloc(n ? n : 1, sizeof **to);
    if (!*to)
        return TUMEN_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        (*to)[i] = from[i];
        memset(&(*to)[i].set, 0, sizeof(*to)[i].set);
        (*n_to)++;
        if (overlay(&(*to)[i].set, &from[i].set) != TUMEN_OK)
            return TUMEN_ENOMEM;
    }
    return TUMEN_OK;
}

/* plan->delays: the defaults, with what `given` sets on top. */
static int take_delays(tm_sim_plan *plan, const tm_delay_spec *given)
{
    tm_delay_spec_default(&plan->delays);
    if (!given)
        return TUMEN_OK;
    for (int c = 0; c < TM_N_CATEGORIES; c++)
        if (overlay(&plan->delays.category[c], &given->category[c]) != TUMEN_OK)
            return TUMEN_ENOMEM;
    if (copy_overrides(&plan->delays.stations, &plan->delays.n_stations, given->stations,
                       given->n_stations) ||
        copy_overrides(&plan->delays.trains, &plan->delays.n_trains, given->trains,
                       given->n_trains))
        return TUMEN_ENOMEM;
    return TUMEN_OK;
}

/* Checks every override names a known station or service; fills station_set[op] and
 * train_set[service] (NULL where none). */
static int resolve_overrides(tm_sim_plan *plan, const tm_delay_set **station_set,
                             const tm_delay_set **train_set, tumen_error *err)
{
    const tm_scenario *sc = plan->sc;
    for (size_t i = 0; i < plan->delays.n_stations; i++) {
        tm_delay_override *o = &plan->delays.stations[i];
        size_t op = tm_network_find_op(&sc->network, o->id);
        if (op == (size_t)-1)
            return tm_error_set(err, TUMEN_EINPUT, o->file, o->line, o->field,
                                "unknown operational point '%s'", o->id);
        station_set[op] = &o->set;
    }
    for (size_t i = 0; i < plan->delays.n_trains; i++) {
        tm_delay_override *o = &plan->delays.trains[i];
        size_t found = (size_t)-1;
        for (size_t s = 0; s < sc->timetable.n_services && found == (size_t)-1; s++)
            if (!strcmp(sc->timetable.services[s].id, o->id))
                found = s;
        if (found == (size_t)-1)
            return tm_error_set(err, TUMEN_EINPUT, o->file, o->line, o->field,
                                "unknown service '%s'", o->id);
        train_set[found] = &o->set;
    }
    return TUMEN_OK;
}

/* The distribution of one kind for a service at a point: its own, its station's, its
 * category's. which: 0 entry, 1 dwell, 2 running. */
static const tm_dist *pick(const tm_delay_set *train, const tm_delay_set *station,
                           const tm_delay_set *category, int which)
{
    const tm_delay_set *sets[3] = {train, station, category};
    for (int i = 0; i < 3; i++) {
        const tm_delay_set *s = sets[i];
        if (!s)
            continue;
        if (which == 0 && (s->has_entry || i == 2))
            return &s->entry;
        if (which == 1 && (s->has_dwell || i == 2))
            return &s->dwell;
        if (which == 2 && (s->has_running || i == 2))
            return &s->running;
    }
    return &category->entry;
}

static int by_start(const void *pa, const void *pb)
{
    const sim_occ *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->resource > b->resource) - (a->resource < b->resource);
}

/* A blocking time in its resource's planned order: by planned start, then service. */
typedef struct order_key {
    double start;
    uint32_t service, occ;
} order_key;

static int by_planned(const void *pa, const void *pb)
{
    const order_key *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->service > b->service) - (a->service < b->service);
}

/* Points and intervals of service i from its planned and fastest runs. */
static void build_points(tm_sim_plan *plan, size_t i, const tm_service_run *run,
                         const tm_service_run *fast, const tm_delay_set *train_set,
                         const tm_delay_set **station_set, size_t *pt, size_t *iv)
{
    sim_service *s = &plan->svc[i];
    const tm_delay_set *cat = &plan->delays.category[s->category];
    size_t n = run->n_points, base = *pt;
    s->point0 = base;
    s->n_points = n;
    s->iv0 = *iv;
    int same = fast && fast->n_points == n;
    for (size_t j = 0; j < n; j++) {
        const tm_service_point *p = &run->points[j];
        plan->pt_arr[base + j] = p->arrival;
        plan->pt_dep[base + j] = p->departure;
        plan->pt_op[base + j] = p->op;
        plan->pt_track[base + j] = j > 0 && j - 1 < run->n_steps ? run->steps[j - 1].track
                                                                   : SIZE_MAX;
        plan->pt_dwell[base + j] = pick(train_set, station_set[p->op], cat, 1);
        plan->pt_run[base + j] = pick(train_set, station_set[p->op], cat, 2);
    }
    s->entry = pick(train_set, n ? station_set[run->points[0].op] : NULL, cat, 0);
    for (size_t j = 0; j < n; j++) {
        const tm_service_point *p = &run->points[j];
        if (j > 0 && j + 1 < n && p->departure > p->arrival) {
            double min_dwell = same ? fast->points[j].departure - fast->points[j].arrival : 0.0;
            double b = p->departure - p->arrival - min_dwell;
            plan->iv[(*iv)++] = (sim_interval){p->arrival, p->departure, b > 0.0 ? b : 0.0,
                                               (uint32_t)j, 1, 0};
        }
        if (j + 1 < n && run->points[j + 1].arrival > p->departure) {
            const tm_service_point *q = &run->points[j + 1];
            double planned = q->arrival - p->departure;
            double fastest = same ? fast->points[j + 1].arrival - fast->points[j].departure
                                  : planned;
            double a = planned - fastest;
            int pass = !(j + 2 < n && q->departure > q->arrival);
            plan->iv[(*iv)++] = (sim_interval){p->departure, q->arrival, a > 0.0 ? a : 0.0,
                                               (uint32_t)j, 0, (uint8_t)pass};
        }
    }
    s->n_iv = *iv - s->iv0;
    *pt += n;
}

static int take_occupations(tm_sim_plan *plan, const tm_occupation *occ, size_t n_occ)
{
    size_t n = plan->n_svc;
    size_t *count = calloc(n + 1, sizeof *count);
    plan->occ = malloc((n_occ ? n_occ : 1) * sizeof *plan->occ);
    if (!count || !plan->occ) {
        free(count);
        return TUMEN_ENOMEM;
    }
    for (size_t k = 0; k < n_occ; k++)
        count[occ[k].train + 1]++;
    for (size_t i = 0; i < n; i++)
        count[i + 1] += count[i];
    for (size_t i = 0; i < n; i++) {
        plan->svc[i].occ0 = count[i];
        plan->svc[i].n_occ = 0;
    }
    for (size_t k = 0; k < n_occ; k++) {
        sim_service *s = &plan->svc[occ[k].train];
        plan->occ[s->occ0 + s->n_occ++] =
            (sim_occ){occ[k].start, occ[k].end, (uint32_t)occ[k].resource, occ[k].direction,
                      0, (uint32_t)occ[k].train};
    }
    plan->n_occ = n_occ;
    free(count);
    for (size_t i = 0; i < n; i++)
        qsort(plan->occ + plan->svc[i].occ0, plan->svc[i].n_occ, sizeof *plan->occ, by_start);
    /* The planned order on each resource. */
    size_t nr = plan->n_res;
    plan->order_start = calloc(nr + 1, sizeof *plan->order_start);
    plan->order = malloc((n_occ ? n_occ : 1) * sizeof *plan->order);
    size_t *fill = calloc(nr + 1, sizeof *fill);
    order_key *keys = malloc((n_occ ? n_occ : 1) * sizeof *keys);
    if (!plan->order_start || !plan->order || !fill || !keys) {
        free(fill);
        free(keys);
        return TUMEN_ENOMEM;
    }
    for (size_t k = 0; k < n_occ; k++)
        plan->order_start[plan->occ[k].resource + 1]++;
    for (size_t r = 0; r < nr; r++)
        plan->order_start[r + 1] += plan->order_start[r];
    for (size_t k = 0; k < n_occ; k++) {
        const sim_occ *o = &plan->occ[k];
        keys[plan->order_start[o->resource] + fill[o->resource]++] =
            (order_key){o->start, o->service, (uint32_t)k};
    }
    for (size_t r = 0; r < nr; r++)
        qsort(keys + plan->order_start[r], plan->order_start[r + 1] - plan->order_start[r],
              sizeof *keys, by_planned);
    for (size_t q = 0; q < n_occ; q++)
        plan->order[q] = keys[q].occ;
    free(fill);
    free(keys);
    for (size_t q = 0; q < n_occ; q++)
        plan->occ[plan->order[q]].order = (uint32_t)q;
    plan->order_dir = malloc((n_occ ? n_occ : 1) * sizeof *plan->order_dir);
    plan->order_skip = malloc((n_occ ? n_occ : 1) * sizeof *plan->order_skip);
    if (!plan->order_dir || !plan->order_skip)
        return TUMEN_ENOMEM;
    for (size_t q = 0; q < n_occ; q++)
        plan->order_dir[q] = (int8_t)plan->occ[plan->order[q]].direction;
    for (size_t r = 0; r < nr; r++)
        for (size_t q = plan->order_start[r + 1]; q-- > plan->order_start[r];)
            plan->order_skip[q] = q + 1 < plan->order_start[r + 1] &&
                                          plan->order_dir[q + 1] == plan->order_dir[q]
                                      ? plan->order_skip[q + 1]
                                      : (uint32_t)(q + 1);
    return TUMEN_OK;
}

static int build(tm_sim_plan *plan, const tm_delay_spec *delays, int threads,
                 tumen_error *err)
{
    const tm_scenario *sc = plan->sc;
    size_t n = sc->timetable.n_services;
    if (n == 0)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "timetable",
                            "the files hold no timetable to simulate");
    if (take_delays(plan, delays) != TUMEN_OK)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (tm_resource_map_build(&sc->network, &plan->map) != TUMEN_OK)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    plan->n_res = plan->map.n;
    plan->capacity = plan->map.capacity;
    const tm_delay_set **station_set = calloc(sc->network.n_ops + 1, sizeof *station_set);
    const tm_delay_set **train_set = calloc(n, sizeof *train_set);
    plan->svc = calloc(n, sizeof *plan->svc);
    if (!station_set || !train_set || !plan->svc) {
        free(station_set);
        free(train_set);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    plan->n_svc = n;
    int rc = resolve_overrides(plan, station_set, train_set, err);

    /* The planned day with its blocking times, and the same day at the minimum time. */
    tm_blocking_params bp;
    tm_blocking_params_default(&bp);
    tm_occupation *occ = NULL;
    size_t n_occ = 0;
    tm_timetable_result runs = {0}, fast = {0};
    if (rc == TUMEN_OK)
        rc = tm_timetable_occupations(sc, &plan->map, &bp, threads, &occ, &n_occ, &runs, err);
    if (rc == TUMEN_OK) {
        tm_timetable_options opt;
        tm_timetable_options_init(&opt);
        opt.threads = threads;
        opt.run.fastest = 1;
        rc = tm_timetable_run(sc, NULL, &opt, &fast, err);
    }
    size_t *group = NULL;
    if (rc == TUMEN_OK && tm_timetable_convoy_groups(&sc->timetable, &group) != TUMEN_OK)
        rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    if (rc == TUMEN_OK) {
        size_t npt = 0;
        for (size_t i = 0; i < n; i++)
            npt += runs.runs[i].n_points;
        plan->n_pt = npt;
        plan->pt_arr = malloc((npt + 1) * sizeof *plan->pt_arr);
        plan->pt_dep = malloc((npt + 1) * sizeof *plan->pt_dep);
        plan->pt_op = malloc((npt + 1) * sizeof *plan->pt_op);
        plan->pt_track = malloc((npt + 1) * sizeof *plan->pt_track);
        plan->pt_dwell = malloc((npt + 1) * sizeof *plan->pt_dwell);
        plan->pt_run = malloc((npt + 1) * sizeof *plan->pt_run);
        plan->iv = malloc((2 * npt + 1) * sizeof *plan->iv);
        if (!plan->pt_arr || !plan->pt_dep || !plan->pt_op || !plan->pt_track ||
            !plan->pt_dwell || !plan->pt_run || !plan->iv)
            rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    if (rc == TUMEN_OK) {
        size_t pt = 0, iv = 0;
        for (size_t i = 0; i < n; i++) {
            const tm_service *svc = &sc->timetable.services[i];
            sim_service *s = &plan->svc[i];
            s->category = (int)svc->category;
            s->priority = priority_of(s->category);
            s->group = group[i];
            s->key = tm_sim_key(svc->id);
            build_points(plan, i, &runs.runs[i], &fast.runs[i], train_set[i], station_set,
                         &pt, &iv);
        }
        plan->n_iv = iv;
        if (take_occupations(plan, occ, n_occ) != TUMEN_OK)
            rc = tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    free(group);
    free(occ);
    plan->runs = runs; /* kept: a replication's diagram draws over it */
    tm_timetable_result_free(&fast);
    free(station_set);
    free(train_set);
    return rc;
}

int tm_sim_plan_build(const tm_scenario *sc, const tm_delay_spec *delays, int threads,
                      tm_sim_plan **out, tumen_error *err)
{
    *out = NULL;
    tm_sim_plan *plan = calloc(1, sizeof *plan);
    if (!plan)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    plan->sc = sc;
    int rc = build(plan, delays, threads, err);
    if (rc != TUMEN_OK) {
        tm_sim_plan_free(plan);
        return rc;
    }
    *out = plan;
    return TUMEN_OK;
}

void tm_sim_plan_free(tm_sim_plan *plan)
{
    if (!plan)
        return;
    tm_resource_map_free(&plan->map);
    tm_timetable_result_free(&plan->runs);
    tm_delay_spec_free(&plan->delays);
    free(plan->svc);
    free(plan->pt_arr);
    free(plan->pt_dep);
    free(plan->pt_op);
    free(plan->pt_track);
    free(plan->pt_dwell);
    free(plan->pt_run);
    free(plan->iv);
    free(plan->occ);
    free(plan->order);
    free(plan->order_start);
    free(plan->order_dir);
    free(plan->order_skip);
    free(plan);
}

size_t tm_sim_plan_services(const tm_sim_plan *plan) { return plan->n_svc; }
size_t tm_sim_plan_resources(const tm_sim_plan *plan) { return plan->n_res; }
size_t tm_sim_plan_points(const tm_sim_plan *plan, size_t i) { return plan->svc[i].n_points; }
const tm_scenario *tm_sim_plan_scenario(const tm_sim_plan *plan) { return plan->sc; }

double tm_sim_plan_arrival(const tm_sim_plan *plan, size_t i, size_t j)
{
    return plan->pt_arr[plan->svc[i].point0 + j];
}

double tm_sim_plan_departure(const tm_sim_plan *plan, size_t i, size_t j)
{
    return plan->pt_dep[plan->svc[i].point0 + j];
}

double tm_sim_plan_distance(const tm_sim_plan *plan, size_t i)
{
    return plan->runs.runs[i].distance;
}

const tm_timetable_result *tm_sim_plan_runs(const tm_sim_plan *plan) { return &plan->runs; }

size_t tm_sim_plan_op(const tm_sim_plan *plan, size_t i, size_t j)
{
    return plan->pt_op[plan->svc[i].point0 + j];
}

void tm_sim_resource_name(const tm_sim_plan *plan, size_t r, char *buf, size_t size)
{
    tm_resource_name(&plan->sc->network, &plan->map, r, buf, size);
}

int tm_sim_replication_runs(const tm_sim_plan *plan, const tm_sim_state *st,
                            tm_timetable_result *out)
{
    memset(out, 0, sizeof *out);
    out->timetable = plan->runs.timetable;
    out->runs = calloc(plan->n_svc + 1, sizeof *out->runs);
    if (!out->runs)
        return TUMEN_ENOMEM;
    out->n_runs = plan->n_svc;
    for (size_t i = 0; i < plan->n_svc; i++) {
        const tm_service_run *from = &plan->runs.runs[i];
        tm_service_run *to = &out->runs[i];
        size_t np = plan->svc[i].n_points;
        to->status = from->status;
        to->distance = from->distance;
        to->clock_start = from->clock_start;
        to->points = malloc((np + 1) * sizeof *to->points);
        to->steps = malloc((from->n_steps + 1) * sizeof *to->steps);
        to->step_start = malloc((from->n_steps + 1) * sizeof *to->step_start);
        if (!to->points || !to->steps || !to->step_start) {
            tm_timetable_result_free(out);
            return TUMEN_ENOMEM;
        }
        memcpy(to->steps, from->steps, from->n_steps * sizeof *to->steps);
        memcpy(to->step_start, from->step_start, from->n_steps * sizeof *to->step_start);
        to->n_steps = from->n_steps;
        for (size_t j = 0; j < np; j++) {
            to->points[j] = from->points[j];
            to->points[j].arrival = tm_sim_arrival_at(st, i, j);
            to->points[j].departure = tm_sim_departure_at(st, i, j);
        }
        to->n_points = np;
        to->departure = np ? to->points[0].departure : from->departure;
        to->arrival = np ? to->points[np - 1].arrival : from->arrival;
        to->running_time = to->arrival - to->departure;
    }
    return TUMEN_OK;
}
