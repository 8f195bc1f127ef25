/* scenario.c: the scenario handle (tumen.h): loading, what a scenario holds, its network,
 * the version and the small parsers the front ends share. */
#include "api/api.h"
#include "core/atomic.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/units.h"
#include "formats/readers.h"
#include "physics/physics.h"
#include "plan/path.h"
#include "run/run.h"

const char *tumen_version(void)
{
    return TUMEN_VERSION;
}

int tumen_version_number(void)
{
    return TUMEN_VERSION_NUMBER;
}

void tumen_free(void *p)
{
    free(p);
}

void tumen_remove_pending_outputs(void)
{
    tm_atomic_remove_pending();
}

void tumen_options_init(tumen_options *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
}

const tm_scenario *tm_api_model(const tumen_scenario *scenario)
{
    return scenario ? scenario->model : NULL;
}

/* Wraps a loaded model and request in a new handle (freed when that fails). */
static int wrap(tm_scenario *model, struct tm_special_spec *special, int rc,
                tumen_scenario **out, tumen_error *err)
{
    if (rc != TUMEN_OK)
        return rc;
    tumen_scenario *h = calloc(1, sizeof *h);
    if (!h) {
        tm_scenario_free(model);
        free(special);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    h->model = model;
    h->special = special;
    *out = h;
    return TUMEN_OK;
}

int tumen_scenario_load(tumen_scenario **out, const char *const *paths, size_t n_paths,
                        tumen_error *err)
{
    tm_scenario *m = NULL;
    struct tm_special_spec *special = NULL;
    if (out)
        *out = NULL;
    int rc = tm_scenario_load_with(&m, &special, paths, n_paths, err);
    return wrap(m, special, rc, out, err);
}

int tumen_scenario_load_text(tumen_scenario **out, const char *name, const char *text,
                             size_t length, tumen_error *err)
{
    tm_scenario *m = NULL;
    struct tm_special_spec *special = NULL;
    if (out)
        *out = NULL;
    int rc = tm_scenario_load_text_with(&m, &special, name, text, length, err);
    return wrap(m, special, rc, out, err);
}

void tumen_scenario_destroy(tumen_scenario *s)
{
    if (!s)
        return;
    if (!s->borrowed)
        tm_scenario_free(s->model);
    free(s->special);
    free(s);
}

int tumen_run(const tumen_scenario *sc, const tumen_run_options *options, tumen_result **out,
              tumen_error *err)
{
    if (!sc) {
        tm_error_clear(err);
        if (out)
            *out = NULL;
        return tm_api_null(err, "scenario");
    }
    return tm_scenario_run(sc->model, options, out, err);
}

size_t tumen_scenario_train_count(const tumen_scenario *sc)
{
    return sc ? sc->model->n_trains : 0;
}

size_t tumen_scenario_line_count(const tumen_scenario *sc)
{
    return sc ? sc->model->n_lines : 0;
}

void tumen_scenario_train(const tumen_scenario *sc, size_t i, tumen_train_info *info)
{
    const tm_train *t = &sc->model->trains[i];
    info->id = t->id;
    info->name = tm_name_or(t->name, t->id);
    info->mass = t->mass;
    info->length = t->length;
    info->max_speed = t->max_speed;
    info->max_axle_load = t->max_axle_load;
    info->brake_weight = t->brake_weight;
    info->brake_percentage = t->brake_percentage;
    info->brake_deceleration = t->brake_deceleration;
    info->max_effort = tm_train_effort(t, 0.0);
}

void tumen_scenario_line(const tumen_scenario *sc, size_t i, tumen_line_info *info)
{
    const tm_line *l = &sc->model->lines[i];
    info->id = l->id;
    info->name = tm_name_or(l->name, l->id);
    info->length = l->n_sections ? l->sections[l->n_sections - 1].end - l->sections[0].start : 0;
    info->braking_distance = l->braking_distance;
    info->steepest_downgrade = 0.0;
    for (size_t k = 0; k < l->n_sections; k++)
        if (l->sections[k].gradient < info->steepest_downgrade)
            info->steepest_downgrade = l->sections[k].gradient;
}

size_t tumen_scenario_leg_count(const tumen_scenario *sc)
{
    return sc && sc->model->has_journey ? sc->model->journey.n_legs : 0;
}

void tumen_scenario_leg(const tumen_scenario *sc, size_t i, size_t *train, size_t *line)
{
    *train = sc->model->journey.legs[i].train;
    *line = sc->model->journey.legs[i].line;
}

size_t tumen_scenario_find_train(const tumen_scenario *sc, const char *id)
{
    return sc && id ? tm_scenario_find_train(sc->model, id) : TUMEN_NPOS;
}

size_t tumen_scenario_op_count(const tumen_scenario *sc)
{
    return sc ? sc->model->network.n_ops : 0;
}

size_t tumen_scenario_track_count(const tumen_scenario *sc)
{
    return sc ? sc->model->network.n_tracks : 0;
}

size_t tumen_scenario_service_count(const tumen_scenario *sc)
{
    return sc ? sc->model->timetable.n_services : 0;
}

int tumen_scenario_has_special(const tumen_scenario *sc)
{
    return sc && sc->special != NULL;
}

void tumen_scenario_op(const tumen_scenario *sc, size_t i, tumen_op_info *info)
{
    const tm_op *o = &sc->model->network.ops[i];
    info->id = o->id;
    info->name = tm_name_or(o->name, o->id);
    info->has_position = o->has_position;
    info->lat = o->lat;
    info->lon = o->lon;
    info->loops = o->n_loops;
}

void tumen_scenario_track(const tumen_scenario *sc, size_t i, tumen_track_info *info)
{
    const tm_track *t = &sc->model->network.tracks[i];
    info->id = t->id;
    info->from = t->from;
    info->to = t->to;
    info->length = t->length;
}

size_t tumen_scenario_find_op(const tumen_scenario *sc, const char *id)
{
    return sc && id ? tm_network_find_op(&sc->model->network, id) : TUMEN_NPOS;
}

size_t tumen_scenario_find_op_named(const tumen_scenario *sc, const char *text)
{
    size_t i = tumen_scenario_find_op(sc, text);
    const tm_network *n = sc && text ? &sc->model->network : NULL;
    for (size_t k = 0; n && i == TUMEN_NPOS && k < n->n_ops; k++)
        if (n->ops[k].name && !strcmp(n->ops[k].name, text))
            i = k;
    return i;
}

int tumen_scenario_parse_line(const tumen_scenario *sc, const char *text, size_t *from,
                              size_t *to, tumen_error *err)
{
    tm_error_clear(err);
    if (!sc || !text || !from || !to)
        return tm_api_null(err, "scenario, text, from and to");
    return tm_network_parse_line(&sc->model->network, text, from, to, err);
}

int tumen_parse_duration(const char *text, double *seconds, tumen_error *err)
{
    char why[256];
    tm_error_clear(err);
    if (!text || !seconds)
        return tm_api_null(err, "text and seconds");
    if (tm_parse_quantity(text, TM_DIM_DURATION, seconds, why, sizeof why) != 0)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, NULL, "%s", why);
    return TUMEN_OK;
}

int tumen_parse_clock(const char *t, double *seconds, tumen_error *err)
{
    int h = 0, m = 0, s = 0, n = 0;
    tm_error_clear(err);
    if (!t || !seconds)
        return tm_api_null(err, "text and seconds");
    if (sscanf(t, "%2d:%2d%n", &h, &m, &n) < 2)
        n = -1;
    if (n > 0 && t[n] == ':' && sscanf(t + n + 1, "%2d", &s) == 1)
        n += 3;
    if (n < 0 || t[n] || h < 0 || h > 47 || m < 0 || m > 59 || s < 0 || s > 59)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, NULL,
                            "a clock time is HH:MM or HH:MM:SS (hours 0 to 47), not '%s'", t);
    *seconds = h * 3600.0 + m * 60.0 + s;
    return TUMEN_OK;
}
