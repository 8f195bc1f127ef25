/* export.c: a scenario's network (and rolling stock and timetable) as railML 2.4 or
 * GeoJSON, to memory or to a path. */
#include "api/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic.h"
#include "core/error.h"
#include "formats/geojson.h"
#include "formats/railml_write.h"
#include "plan/timetable.h"

int tumen_export_write_railml(const tumen_scenario *sc, const char *path, tumen_error *err)
{
    tm_error_clear(err);
    if (!sc || !path)
        return tm_api_null(err, "scenario and path");
    tm_atomic_file af;
    FILE *f = tm_atomic_open(path, &af, err);
    if (!f)
        return err ? err->code : TUMEN_EIO;
    if (tm_railml_write(sc->model, f)) {
        tm_atomic_abort(&af);
        return tm_io_error(err, "write", path, EIO);
    }
    return tm_atomic_commit(&af, err);
}

static int railml_writer(const void *ctx, const char *path, tumen_error *err)
{
    return tumen_export_write_railml(ctx, path, err);
}

int tumen_export_railml(const tumen_scenario *sc, char **text, size_t *length,
                        tumen_error *err)
{
    tm_error_clear(err);
    if (!sc || !text)
        return tm_api_null(err, "scenario and text");
    return tm_api_via_file(railml_writer, sc, "xml", (void **)text, length, err);
}

void tumen_geojson_options_init(tumen_geojson_options *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    tumen_options_init(&o->common);
}

/* The FeatureCollection, with the trains running at the clock time when asked. */
static int build(const tumen_scenario *sc, const tumen_geojson_options *options, json_t **out,
                 tumen_error *err)
{
    tumen_geojson_options o;
    tumen_geojson_options_init(&o);
    tm_api_options(&o, sizeof o, options);
    tm_timetable_result run;
    memset(&run, 0, sizeof run);
    if (o.positions) {
        if (!sc->model->timetable.n_services)
            return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "positions",
                                "positions need a timetable in the files");
        tm_timetable_options opt;
        tm_api_timetable_options(&o.common, &opt);
        opt.keep_samples = 1;
        opt.keep_going = 1;
        int rc = tm_timetable_run(sc->model, NULL, &opt, &run, err);
        if (rc != TUMEN_OK)
            return rc;
    }
    *out = tm_geojson_build(sc->model, sc->geometry, o.positions ? &run : NULL, o.clock);
    tm_timetable_result_free(&run);
    return *out ? TUMEN_OK : tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
}

#define TM_GEOJSON_FLAGS (JSON_INDENT(1) | JSON_REAL_PRECISION(10))

int tumen_export_geojson(const tumen_scenario *sc, const tumen_geojson_options *options,
                         char **text, size_t *length, tumen_error *err)
{
    json_t *fc = NULL;
    tm_error_clear(err);
    if (!sc)
        return tm_api_null(err, "scenario");
    int rc = build(sc, options, &fc, err);
    return rc != TUMEN_OK ? rc : tm_api_json_text(fc, TM_GEOJSON_FLAGS, text, length, err);
}

int tumen_export_write_geojson(const tumen_scenario *sc, const tumen_geojson_options *options,
                               const char *path, tumen_error *err)
{
    json_t *fc = NULL;
    tm_error_clear(err);
    if (!sc || !path)
        return tm_api_null(err, "scenario and path");
    int rc = build(sc, options, &fc, err);
    if (rc != TUMEN_OK)
        return rc;
    tm_atomic_file af;
    FILE *f = tm_atomic_open(path, &af, err);
    if (!f) {
        json_decref(fc);
        return err ? err->code : TUMEN_EIO;
    }
    int bad = json_dumpf(fc, f, TM_GEOJSON_FLAGS) != 0 || fputc('\n', f) == EOF;
    json_decref(fc);
    if (bad) {
        tm_atomic_abort(&af);
        return tm_io_error(err, "write", path, EIO);
    }
    return tm_atomic_commit(&af, err);
}
