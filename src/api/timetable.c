/* timetable.c: a scenario's timetable run (tumen_timetable): its services, JSON, the table
 * `tumen timetable` prints, CSV, GTFS and the time-distance diagram. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "formats/output.h"
#include "formats/timetable_out.h"
#include "plan/timetable.h"

struct tumen_timetable {
    const tumen_scenario *sc;
    tm_timetable_result r;
    const tumen_error **warnings; /* r's warnings in service order (r.n_warnings) */
};

/* An index of the runs' warnings, so that warning i is found at once. */
static int index_warnings(tumen_timetable *t)
{
    if (!t->r.n_warnings)
        return TUMEN_OK;
    t->warnings = malloc(t->r.n_warnings * sizeof *t->warnings);
    if (!t->warnings)
        return TUMEN_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < t->r.n_runs; i++)
        for (size_t k = 0; k < t->r.runs[i].n_warnings; k++)
            t->warnings[m++] = &t->r.runs[i].warnings[k];
    return TUMEN_OK;
}

void tumen_timetable_options_init(tumen_timetable_options *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    tumen_options_init(&o->common);
}

/* The planner's options from the API's (threads 0 and 1 both mean the calling thread). */
void tm_api_timetable_options(const tumen_options *common, tm_timetable_options *opt)
{
    tm_timetable_options_init(opt);
    if (!common)
        return;
    opt->threads = common->threads > 1 ? common->threads : 1;
    opt->progress = common->progress;
    opt->progress_user = common->user;
}

int tumen_timetable_run(const tumen_scenario *sc, const tumen_timetable_options *options,
                        tumen_timetable **out, tumen_error *err)
{
    tm_error_clear(err);
    if (!sc || !out)
        return tm_api_null(err, "scenario and out");
    *out = NULL;
    tumen_timetable_options o;
    tumen_timetable_options_init(&o);
    tm_api_options(&o, sizeof o, options);
    if (sc->model->timetable.n_services == 0)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "timetable",
                            "the files give no timetable (a `timetable:` with services; "
                            "docs/formats.md)");
    tm_timetable_options opt;
    tm_api_timetable_options(&o.common, &opt);
    opt.keep_samples = o.keep_trajectories;
    opt.keep_going = o.keep_going;
    if (o.max_step > 0.0)
        opt.run.max_step = o.max_step;
    tumen_timetable *t = calloc(1, sizeof *t);
    if (!t)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    t->sc = sc;
    int rc = tm_timetable_run(sc->model, NULL, &opt, &t->r, err);
    if (rc != TUMEN_OK) {
        free(t);
        return rc;
    }
    if (index_warnings(t) != TUMEN_OK) {
        tumen_timetable_destroy(t);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    *out = t;
    return TUMEN_OK;
}

void tumen_timetable_destroy(tumen_timetable *t)
{
    if (!t)
        return;
    tm_timetable_result_free(&t->r);
    free(t->warnings);
    free(t);
}

size_t tumen_timetable_warning_count(const tumen_timetable *t)
{
    return t ? t->r.n_warnings : 0;
}

const tumen_error *tumen_timetable_warning(const tumen_timetable *t, size_t i)
{
    return t && i < t->r.n_warnings ? t->warnings[i] : NULL;
}

size_t tumen_timetable_service_count(const tumen_timetable *t)
{
    return t ? t->r.n_runs : 0;
}

void tumen_timetable_service(const tumen_timetable *t, size_t i, tumen_service_info *info)
{
    const tm_scenario *sc = t->sc->model;
    const tm_service *svc = &t->r.timetable->services[i];
    const tm_service_run *run = &t->r.runs[i];
    memset(info, 0, sizeof *info);
    info->id = svc->id;
    info->train = sc->trains[svc->train].id;
    info->category = tm_category_name(svc->category);
    info->status = run->status;
    info->error = run->status != TUMEN_OK && run->error ? run->error->message : NULL;
    info->departure = run->departure;
    info->arrival = run->arrival;
    info->running_time = run->running_time;
    info->distance = run->distance;
    info->energy = run->energy;
    info->max_speed = run->max_speed;
    info->n_points = run->n_points;
}

void tumen_timetable_point(const tumen_timetable *t, size_t service, size_t k,
                           tumen_service_point *point)
{
    const tm_service_point *p = &t->r.runs[service].points[k];
    point->op = p->op;
    point->position = p->position;
    point->arrival = p->arrival;
    point->departure = p->departure;
    point->is_stop = p->is_stop;
}

int tumen_timetable_json(const tumen_timetable *t, char **text, size_t *length,
                         tumen_error *err)
{
    tm_error_clear(err);
    if (!t)
        return tm_api_null(err, "timetable");
    return tm_api_json_text(tm_timetable_to_json(t->sc->model, &t->r), TM_JSON_DUMP_FLAGS,
                            text, length, err);
}

static void clock_or_blank(double t, int show, char *buf, size_t size)
{
    if (show)
        tm_clock_text(t, buf, size);
    else
        buf[0] = '\0';
}

static void print_service(FILE *f, const tm_scenario *sc, const tm_service *svc,
                          const tm_service_run *run)
{
    char a[16], d[16], dur[32];
    const tm_op *o = &sc->network.ops[run->points[0].op];
    const tm_op *e = &sc->network.ops[run->points[run->n_points - 1].op];
    tm_api_duration(run->running_time, dur, sizeof dur);
    fprintf(f, "%s  %s, %s: %s %s -> %s %s, %s, %.1f km, %.1f kWh\n", svc->id,
            tm_category_name(svc->category), sc->trains[svc->train].id, o->id,
            tm_clock_text(run->departure, d, sizeof d), e->id,
            tm_clock_text(run->arrival, a, sizeof a), dur, run->distance / 1000.0,
            run->energy / 3.6e6);
    for (size_t k = 0; k < run->n_points; k++) {
        const tm_service_point *p = &run->points[k];
        const tm_op *op = &sc->network.ops[p->op];
        int first = k == 0, last = k + 1 == run->n_points;
        clock_or_blank(p->arrival, !first, a, sizeof a);
        clock_or_blank(p->departure, !last && (p->is_stop || first), d, sizeof d);
        fprintf(f, "    %-8.8s %-22.22s %8.1f  %8s  %8s\n", op->id,
                tm_name_or(op->name, op->id), p->position / 1000.0, a,
                !last && !p->is_stop && !first ? "|" : d);
    }
}

int tumen_timetable_text(const tumen_timetable *t, char **text, size_t *length,
                         tumen_error *err)
{
    tm_api_text out;
    tm_error_clear(err);
    if (!t)
        return tm_api_null(err, "timetable");
    int rc = tm_api_text_begin(&out, err);
    if (rc != TUMEN_OK)
        return rc;
    const tm_timetable *tt = t->r.timetable;
    if (!tm_name_empty(tt->name))
        fprintf(out.f, "%s%s%s\n\n", tt->name, tt->date[0] ? ", " : "", tt->date);
    for (size_t i = 0; i < t->r.n_runs; i++)
        if (t->r.runs[i].status == TUMEN_OK && t->r.runs[i].n_points)
            print_service(out.f, t->sc->model, &tt->services[i], &t->r.runs[i]);
    return tm_api_text_end(&out, text, length, err);
}

int tumen_timetable_write_csv(const tumen_timetable *t, const char *path, tumen_error *err)
{
    tm_error_clear(err);
    if (!t || !path)
        return tm_api_null(err, "timetable and path");
    return tm_timetable_write_csv(t->sc->model, &t->r, path, err);
}

static int csv_writer(const void *ctx, const char *path, tumen_error *err)
{
    return tumen_timetable_write_csv(ctx, path, err);
}

int tumen_timetable_csv(const tumen_timetable *t, char **text, size_t *length,
                        tumen_error *err)
{
    tm_error_clear(err);
    if (!t || !text)
        return tm_api_null(err, "timetable and text");
    return tm_api_via_file(csv_writer, t, "csv", (void **)text, length, err);
}

int tumen_timetable_write_gtfs(const tumen_timetable *t, const char *dir,
                               const char *timezone, tumen_error *err)
{
    tm_error_clear(err);
    if (!t || !dir)
        return tm_api_null(err, "timetable and dir");
    return tm_timetable_write_gtfs(t->sc->model, &t->r, dir, timezone, err);
}

static int check_ops(const tumen_timetable *t, size_t from, size_t to, tumen_error *err)
{
    size_t n = t->sc->model->network.n_ops;
    if (from >= n || to >= n)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "operational points %zu and %zu: the network has %zu", from, to, n);
    return TUMEN_OK;
}

int tumen_timetable_write_plot(const tumen_timetable *t, size_t from, size_t to,
                               const char *path, tumen_error *err)
{
    tm_error_clear(err);
    if (!t || !path)
        return tm_api_null(err, "timetable and path");
    int rc = check_ops(t, from, to, err);
    return rc != TUMEN_OK ? rc : tm_timetable_write_graph(t->sc->model, &t->r, from, to, path, err);
}

typedef struct plot_ctx {
    const tumen_timetable *t;
    size_t from, to;
} plot_ctx;

static int plot_writer(const void *ctx, const char *path, tumen_error *err)
{
    const plot_ctx *p = ctx;
    return tumen_timetable_write_plot(p->t, p->from, p->to, path, err);
}

int tumen_timetable_plot(const tumen_timetable *t, size_t from, size_t to, const char *format,
                         void **data, size_t *length, tumen_error *err)
{
    tm_error_clear(err);
    if (!t)
        return tm_api_null(err, "timetable");
    int rc = tm_api_image_format(format, err);
    plot_ctx p = {t, from, to};
    return rc != TUMEN_OK ? rc : tm_api_via_file(plot_writer, &p, format, data, length, err);
}
