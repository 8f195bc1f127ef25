/* special.c: a special train's path through a timetable (tumen_special): the plan's JSON,
 * the report `tumen special` prints, the new timetable and the diagram of its corridor. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "formats/security_write.h"
#include "formats/special_write.h"
#include "formats/timetable_out.h"
#include "plan/special_plan.h"
#include "plan/timetable.h"

void tumen_special_options_init(tumen_special_options *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    tumen_options_init(&o->common);
    o->mode = TUMEN_SPECIAL_REQUEST;
}

int tumen_special_plan(const tumen_scenario *sc, const tumen_special_options *options,
                       tumen_special **out, tumen_error *err)
{
    tm_error_clear(err);
    if (!sc || !out)
        return tm_api_null(err, "scenario and out");
    *out = NULL;
    tumen_special_options o;
    tumen_special_options_init(&o);
    tm_api_options(&o, sizeof o, options);
    if (o.mode < TUMEN_SPECIAL_REQUEST || o.mode > TUMEN_SPECIAL_PRIORITY)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, "mode",
                            "the mode is fit, priority or the request's, not %d", o.mode);
    /* progress 0 of 1 before (a cancel there stops it), then the plan's own polls (the
     * timetable's runs, the search), each a stop where a cancel is honoured, 1 of 1 after. */
    if (o.common.progress && o.common.progress(o.common.user, 0, 1) != 0)
        return tm_error_set(err, TUMEN_ECANCELLED, NULL, 0, NULL, "the plan was cancelled");
    tm_special_options opt;
    memset(&opt, 0, sizeof opt);
    opt.mode = o.mode;
    opt.threads = o.common.threads > 1 ? o.common.threads : 1;
    opt.progress = o.common.progress;
    opt.progress_user = o.common.user;
    tumen_special *s = calloc(1, sizeof *s);
    if (!s)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    s->sc = sc;
    s->common = o.common;
    int rc = tm_special_plan(sc->model, sc->special, &opt, &s->r, err);
    if (rc == TUMEN_OK && s->r.has_plan && !s->r.infeasible) {
        rc = tm_security_schedule_build(sc->model, sc->special, &s->r, &s->sched, err);
        s->has_sched = rc == TUMEN_OK;
        if (rc != TUMEN_OK)
            tm_special_result_free(&s->r);
    }
    if (rc != TUMEN_OK) {
        free(s);
        return rc;
    }
    if (o.common.progress)
        o.common.progress(o.common.user, 1, 1);
    *out = s;
    return TUMEN_OK;
}

void tumen_special_destroy(tumen_special *s)
{
    if (!s)
        return;
    tm_special_result_free(&s->r);
    tm_security_schedule_free(&s->sched);
    free(s);
}

int tumen_special_feasible(const tumen_special *s)
{
    return s && !s->r.infeasible;
}

const char *tumen_special_why(const tumen_special *s)
{
    return s && s->r.infeasible ? s->r.why : "";
}

int tumen_special_has_plan(const tumen_special *s)
{
    return s && s->r.has_plan;
}

double tumen_special_departure(const tumen_special *s)
{
    return s ? s->r.departure : 0.0;
}

double tumen_special_arrival(const tumen_special *s)
{
    return s ? s->r.arrival : 0.0;
}

static json_t *run_json(const tm_scenario *sc, const tm_special_run *r)
{
    json_t *calls = json_array();
    for (size_t i = 0; i < r->n_calls; i++) {
        const tm_special_call *c = &r->calls[i];
        if (!(c->stop || i == 0 || i + 1 == r->n_calls))
            continue;
        json_array_append_new(calls, json_pack("{s:s, s:f, s:f, s:b}", "at",
                                               sc->network.ops[c->op].id, "arrival_s",
                                               c->arrival, "departure_s", c->departure,
                                               "stop", c->stop));
    }
    return json_pack("{s:s, s:s, s:o}", "id", r->id, "train", sc->trains[r->train].id,
                     "calls", calls);
}

static json_t *changes_json(const tm_scenario *sc, const tm_special_result *r)
{
    json_t *changes = json_array();
    for (size_t i = 0; i < r->n_changes; i++) {
        const tm_special_change *c = &r->changes[i];
        json_t *ch = json_pack("{s:s, s:b, s:f}", "service",
                               sc->timetable.services[c->service].id, "cancelled", c->cancelled,
                               "delay_s", c->delay);
        if (!c->cancelled)
            json_object_set_new(ch, "at", json_string(sc->network.ops[c->op].id));
        json_array_append_new(changes, ch);
    }
    return changes;
}

static json_t *plan_json(const tm_scenario *sc, const tm_special_result *r)
{
    static const char *what[3] = {"pilot", "special", "escort"};
    json_t *o = json_object();
    json_object_set_new(o, "mode", json_string(r->mode ? "priority" : "fit"));
    json_object_set_new(o, "feasible", json_boolean(!r->infeasible));
    if (r->infeasible)
        json_object_set_new(o, "why", json_string(r->why));
    json_object_set_new(o, "fastest_arrival_s", json_real(r->fastest_arrival));
    if (!r->has_plan)
        return o;
    json_t *plan = r->infeasible ? json_object() : o;
    json_object_set_new(plan, "departure_s", json_real(r->departure));
    json_object_set_new(plan, "arrival_s", json_real(r->arrival));
    json_object_set_new(plan, "changes", changes_json(sc, r));
    if (r->mode == TM_SPECIAL_PRIORITY) {
        json_object_set_new(plan, "cost", json_real(r->cost));
        json_object_set_new(plan, "lower_bound", json_real(r->lower_bound));
        json_object_set_new(plan, "exact", json_boolean(r->exact));
    }
    for (int w = 0; w < 3; w++)
        if (r->present[w])
            json_object_set_new(plan, what[w], run_json(sc, &r->runs[w]));
    if (r->infeasible)
        json_object_set_new(o, "alternative", plan);
    return o;
}

int tumen_special_json(const tumen_special *s, char **text, size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!s)
        return tm_api_null(err, "special");
    json_t *o = plan_json(s->sc->model, &s->r);
    if (o && s->has_sched)
        json_object_set_new(o, "security_schedule",
                            tm_security_schedule_json(s->sc->model, &s->sched));
    return tm_api_json_text(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10),
                            text, length, err);
}

static void print_run(FILE *f, const tm_scenario *sc, const tm_special_run *r, const char *what)
{
    fprintf(f, "\n%s %s (%s)\n", what, r->id, sc->trains[r->train].id);
    fprintf(f, "  %-24s %10s %10s %10s\n", "", "arrives", "departs", "waits");
    for (size_t i = 0; i < r->n_calls; i++) {
        const tm_special_call *c = &r->calls[i];
        char a[32], d[32], w[32] = "";
        tm_api_duration(c->arrival, a, sizeof a);
        tm_api_duration(c->departure, d, sizeof d);
        if (c->stop && i > 0 && i + 1 < r->n_calls)
            tm_api_duration(c->departure - c->arrival, w, sizeof w);
        if (c->stop || i == 0 || i + 1 == r->n_calls)
            fprintf(f, "  %-24s %10s %10s %10s\n", tm_name_or(sc->network.ops[c->op].name, ""),
                    i ? a : "",
                    i + 1 < r->n_calls ? d : "", w);
    }
}

static void print_disruption(FILE *f, const tm_scenario *sc, const tm_special_result *r)
{
    static const char *cats[] = {"passenger", "freight", "special"};
    fprintf(f, "\ndisruption: %zu trains changed\n", r->n_changes);
    for (size_t i = 0; i < r->n_changes; i++) {
        const tm_special_change *c = &r->changes[i];
        char dl[32];
        tm_api_duration(c->delay, dl, sizeof dl);
        if (c->cancelled)
            fprintf(f, "  %-12s cancelled\n", sc->timetable.services[c->service].id);
        else
            fprintf(f, "  %-12s held %s at %s\n", sc->timetable.services[c->service].id, dl,
                    tm_name_or(sc->network.ops[c->op].name, ""));
    }
    for (int k = 0; k < 3; k++)
        if (r->delay_s[k] > 0 || r->cancelled[k])
            fprintf(f, "  %s: %.1f delay-minutes, %zu cancelled\n", cats[k], r->delay_s[k] / 60.0,
                    r->cancelled[k]);
    if (r->mode == TM_SPECIAL_PRIORITY)
        fprintf(f, "  total cost %.1f (%s)\n", r->cost,
                r->exact ? "least cost, exact" : "best found; node limit reached");
    if (r->mode == TM_SPECIAL_PRIORITY && !r->exact)
        fprintf(f, "  lower bound of the least cost %.1f\n", r->lower_bound);
}

static void print_plan(FILE *f, const tm_scenario *sc, const tm_special_spec *sp,
                       const tm_special_result *r)
{
    static const char *what[3] = {"pilot", "special", "escort"};
    char a[32], d[32], fa[32];
    if (r->infeasible) {
        fprintf(f, "infeasible: %s\n", r->why);
        if (!r->has_plan) {
            fprintf(f, "no feasible alternative\n");
            return;
        }
        fprintf(f, "\nclosest feasible alternative:\n");
    }
    tm_api_duration(r->departure, d, sizeof d);
    tm_api_duration(r->arrival, a, sizeof a);
    tm_api_duration(r->fastest_arrival, fa, sizeof fa);
    fprintf(f, "special %s, mode %s: departs %s, arrives %s (alone on the line it would "
               "arrive at %s)\n",
            sp->id, r->mode ? "priority" : "fit", d, a, fa);
    for (int w = 0; w < 3; w++)
        if (r->present[w])
            print_run(f, sc, &r->runs[w], what[w]);
    print_disruption(f, sc, r);
}

int tumen_special_text(const tumen_special *s, char **text, size_t *length, tumen_error *err)
{
    tm_api_text t;
    tm_error_clear(err);
    if (!s)
        return tm_api_null(err, "special");
    int rc = tm_api_text_begin(&t, err);
    if (rc != TUMEN_OK)
        return rc;
    print_plan(t.f, s->sc->model, s->sc->special, &s->r);
    if (s->has_sched)
        tm_security_schedule_print(t.f, s->sc->model, &s->sched);
    return tm_api_text_end(&t, text, length, err);
}

static int no_plan(const tumen_special *s, tumen_error *err)
{
    if (s->r.infeasible)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, NULL,
                            "the request cannot be met: there is no new timetable");
    return TUMEN_OK;
}

int tumen_special_write_timetable(const tumen_special *s, const char *path, tumen_error *err)
{
    tm_error_clear(err);
    if (!s || !path)
        return tm_api_null(err, "special and path");
    int rc = no_plan(s, err);
    return rc != TUMEN_OK ? rc : tm_special_write_timetable(s->sc->model, &s->r.timetable, 1, path, err);
}

int tumen_special_write_security_schedule(const tumen_special *s, const char *path,
                                          tumen_error *err)
{
    tm_error_clear(err);
    if (!s || !path)
        return tm_api_null(err, "special and path");
    int rc = no_plan(s, err);
    if (rc == TUMEN_OK && !s->has_sched)
        rc = tm_error_set(err, TUMEN_EINPUT, NULL, 0, NULL, "the plan has no schedule");
    return rc != TUMEN_OK ? rc : tm_security_schedule_write(s->sc->model, &s->sched, path, err);
}

static int yaml_writer(const void *ctx, const char *path, tumen_error *err)
{
    return tumen_special_write_timetable(ctx, path, err);
}

int tumen_special_timetable_yaml(const tumen_special *s, char **text, size_t *length,
                                 tumen_error *err)
{
    tm_error_clear(err);
    if (!s || !text)
        return tm_api_null(err, "special and text");
    return tm_api_via_file(yaml_writer, s, "yaml", (void **)text, length, err);
}

int tumen_special_write_plot(const tumen_special *s, const tumen_options *options,
                             const char *path, tumen_error *err)
{
    tm_error_clear(err);
    if (!s || !path)
        return tm_api_null(err, "special and path");
    int rc = no_plan(s, err);
    if (rc != TUMEN_OK)
        return rc;
    const tm_scenario *sc = s->sc->model;
    const tm_special_result *r = &s->r;
    tumen_options common;
    tumen_options_init(&common);
    tm_api_options(&common, sizeof common, options ? options : &s->common);
    tm_timetable_options o;
    tm_api_timetable_options(&common, &o);
    o.keep_samples = 1;
    o.keep_going = 1;
    tm_timetable_result tr;
    rc = tm_timetable_run(sc, &r->timetable, &o, &tr, err);
    if (rc != TUMEN_OK)
        return rc;
    /* the corridor (orange) and each structure's protected window (blue) */
    tm_special_band *prot = NULL;
    size_t n_prot = 0;
    if (s->has_sched &&
        (rc = tm_security_schedule_bands(sc, &s->sched, &prot, &n_prot, err)) != TUMEN_OK) {
        tm_timetable_result_free(&tr);
        return rc;
    }
    tm_graph_band *bands = malloc((r->n_bands + n_prot + 1) * sizeof *bands);
    if (!bands) {
        free(prot);
        tm_timetable_result_free(&tr);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < r->n_bands; i++)
        bands[i] = (tm_graph_band){r->bands[i].track, r->bands[i].pos0, r->bands[i].pos1,
                                   r->bands[i].t0, r->bands[i].t1, 0};
    for (size_t i = 0; i < n_prot; i++)
        bands[r->n_bands + i] = (tm_graph_band){prot[i].track, prot[i].pos0, prot[i].pos1,
                                                prot[i].t0, prot[i].t1, 1};
    free(prot);
    const tm_special_run *sp = &r->runs[1];
    rc = tm_timetable_write_graph_bands(sc, &tr, sp->calls[0].op, sp->calls[sp->n_calls - 1].op,
                                        bands, r->n_bands + n_prot, path, err);
    free(bands);
    tm_timetable_result_free(&tr);
    return rc;
}

typedef struct plot_ctx {
    const tumen_special *s;
    const tumen_options *options;
} plot_ctx;

static int plot_writer(const void *ctx, const char *path, tumen_error *err)
{
    const plot_ctx *p = ctx;
    return tumen_special_write_plot(p->s, p->options, path, err);
}

int tumen_special_plot(const tumen_special *s, const tumen_options *options, const char *format,
                       void **data, size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!s)
        return tm_api_null(err, "special");
    int rc = tm_api_image_format(format, err);
    plot_ctx p = {s, options};
    return rc != TUMEN_OK ? rc : tm_api_via_file(plot_writer, &p, format, data, length, err);
}
