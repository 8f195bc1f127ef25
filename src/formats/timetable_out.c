/* timetable_out.c: a timetable run as JSON and as CSV (formats/timetable_out.h).
 * Numbers go out in the C locale with fixed precision (CSV) or jansson's 15 significant
 * digits (JSON), services in timetable order: the same run gives the same bytes. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/atomic.h"
#include "core/c_locale.h"
#include "formats/json_put.h"
#include "formats/timetable_out.h"

char *tm_clock_text(double t, char *buf, size_t size)
{
    long s = isfinite(t) && t > 0 ? lround(fmin(t, 3599999.0)) : 0;
    unsigned h = (unsigned)(s / 3600) % 1000u, m = (unsigned)(s / 60) % 60u,
             sec = (unsigned)s % 60u;
    snprintf(buf, size, "%02u:%02u:%02u", h, m, sec);
    return buf;
}

const char *tm_category_name(tm_category c)
{
    switch (c) {
    case TM_CATEGORY_PASSENGER: return "passenger";
    case TM_CATEGORY_FREIGHT: return "freight";
    case TM_CATEGORY_SPECIAL: return "special";
    }
    return "passenger";
}

/* ---- JSON ------------------------------------------------------------------------------ */

static json_t *point_json(const tm_scenario *sc, const tm_service_point *p, int *bad)
{
    json_t *o = json_object();
    if (!o) {
        *bad = 1;
        return NULL;
    }
    const tm_op *op = &sc->network.ops[p->op];
    tm_json_put(o, "op", tm_json_str(op->id), bad);
    tm_json_put(o, "name", tm_json_str(tm_name_or(op->name, op->id)), bad);
    tm_json_put(o, "position_m", tm_json_real(p->position), bad);
    tm_json_put(o, "arrival_s", tm_json_real(p->arrival), bad);
    tm_json_put(o, "departure_s", tm_json_real(p->departure), bad);
    tm_json_put(o, "is_stop", json_boolean(p->is_stop), bad);
    return o;
}

static json_t *service_json(const tm_scenario *sc, const tm_service *svc,
                            const tm_service_run *run, int *bad)
{
    json_t *o = json_object();
    if (!o) {
        *bad = 1;
        return NULL;
    }
    tm_json_put(o, "id", tm_json_str(svc->id), bad);
    tm_json_put(o, "train", tm_json_str(svc->train < sc->n_trains ? sc->trains[svc->train].id : ""), bad);
    tm_json_put(o, "category", json_string(tm_category_name(svc->category)), bad);
    if (run->status != TUMEN_OK) {
        char msg[1024];
        if (run->error)
            tumen_error_format(run->error, msg, sizeof msg);
        else
            snprintf(msg, sizeof msg, "%s", tumen_strerror(run->status));
        tm_json_put(o, "error", tm_json_str(msg), bad);
        return o;
    }
    tm_json_put(o, "departure_s", tm_json_real(run->departure), bad);
    tm_json_put(o, "arrival_s", tm_json_real(run->arrival), bad);
    tm_json_put(o, "running_time_s", tm_json_real(run->running_time), bad);
    tm_json_put(o, "distance_m", tm_json_real(run->distance), bad);
    tm_json_put(o, "energy_j", tm_json_real(run->energy), bad);
    tm_json_put(o, "max_speed_ms", tm_json_real(run->max_speed), bad);
    json_t *tps = json_array();
    if (!tps) {
        *bad = 1;
        return o;
    }
    for (size_t k = 0; k < run->n_points; k++)
        tm_json_append(tps, point_json(sc, &run->points[k], bad), bad);
    tm_json_put(o, "timing_points", tps, bad);
    return o;
}

json_t *tm_timetable_to_json(const tm_scenario *sc, const tm_timetable_result *r)
{
    if (!sc || !r)
        return NULL;
    const tm_timetable *tt = r->timetable ? r->timetable : &sc->timetable;
    int bad = 0;
    json_t *root = json_object();
    json_t *list = json_array();
    if (!root || !list) {
        json_decref(root);
        json_decref(list);
        return NULL;
    }
    tm_json_put(root, "name", tm_json_str(tt->name), &bad);
    tm_json_put(root, "date", tt->date[0] ? json_string(tt->date) : json_null(), &bad);
    for (size_t i = 0; i < r->n_runs && !bad; i++)
        tm_json_append(list, service_json(sc, &tt->services[i], &r->runs[i], &bad), &bad);
    tm_json_put(root, "services", list, &bad);
    /* The runs' warnings, as `tumen run --json` gives a journey's (output_json.c). */
    json_t *warnings = json_array();
    for (size_t i = 0; i < r->n_runs && warnings; i++)
        for (size_t k = 0; k < r->runs[i].n_warnings; k++) {
            char text[1024];
            tumen_error_format(&r->runs[i].warnings[k], text, sizeof text);
            tm_json_append(warnings, tm_json_str(text), &bad);
        }
    tm_json_put(root, "warnings", warnings, &bad);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ---- CSV --------------------------------------------------------------------------------- */

/* A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break. */
static int csv_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\r\n"))
        return fputs(s, fp) == EOF ? -1 : 0;
    if (fputc('"', fp) == EOF)
        return -1;
    for (; *s; s++)
        if ((*s == '"' && fputc('"', fp) == EOF) || fputc(*s, fp) == EOF)
            return -1;
    return fputc('"', fp) == EOF ? -1 : 0;
}

#define TT_CSV_HEADER                                                                      \
    "service_id,train,category,seq,op_id,op_name,position_m,arrival_s,departure_s,arrival," \
    "departure,stop\n"

static int write_rows(FILE *fp, const tm_scenario *sc, const tm_timetable *tt,
                      const tm_timetable_result *r)
{
    if (fputs(TT_CSV_HEADER, fp) == EOF)
        return -1;
    char arr[16], dep[16];
    for (size_t i = 0; i < r->n_runs; i++) {
        const tm_service *svc = &tt->services[i];
        const tm_service_run *run = &r->runs[i];
        if (run->status != TUMEN_OK)
            continue;
        for (size_t k = 0; k < run->n_points; k++) {
            const tm_service_point *p = &run->points[k];
            const tm_op *op = &sc->network.ops[p->op];
            if (csv_field(fp, svc->id) || fputc(',', fp) == EOF ||
                csv_field(fp, sc->trains[svc->train].id) ||
                fprintf(fp, ",%s,%zu,", tm_category_name(svc->category), k + 1) < 0 ||
                csv_field(fp, op->id) || fputc(',', fp) == EOF ||
                csv_field(fp, tm_name_or(op->name, op->id)) ||
                fprintf(fp, ",%.3f,%.3f,%.3f,%s,%s,%d\n", p->position, p->arrival,
                        p->departure, tm_clock_text(p->arrival, arr, sizeof arr),
                        tm_clock_text(p->departure, dep, sizeof dep), p->is_stop) < 0)
                return -1;
        }
    }
    return 0;
}

int tm_timetable_write_csv(const tm_scenario *sc, const tm_timetable_result *r,
                           const char *path, tumen_error *err)
{
    if (!sc || !r)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "No timetable result to write.");
    const tm_timetable *tt = r->timetable ? r->timetable : &sc->timetable;
    tm_atomic_file af;
    FILE *fp = tm_atomic_open(path, &af, err);
    if (!fp)
        return err ? err->code : TUMEN_EIO;
    locale_t old = tm_c_numeric_enter(); /* C-locale numbers, this thread only */
    errno = 0;
    int rc = write_rows(fp, sc, tt, r);
    int e = errno;
    tm_c_numeric_leave(old);
    if (rc != 0) {
        tm_atomic_abort(&af);
        return tm_io_error(err, "write", path, e ? e : EIO);
    }
    return tm_atomic_commit(&af, err);
}
