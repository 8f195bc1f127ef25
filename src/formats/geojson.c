/* geojson.c: a network as a GeoJSON FeatureCollection (RFC 7946, [longitude, latitude]):
 * operational points as Points, tracks as LineStrings along their imported shape or, without
 * one, straight between their ends' positions (a track whose end has no position is left
 * out), and optionally the trains of a timetable run at one clock time as Points. */
#include "formats/geojson.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_name(tm_op_kind k)
{
    switch (k) {
    case TM_OP_HALT: return "halt";
    case TM_OP_JUNCTION: return "junction";
    case TM_OP_BORDER: return "border";
    case TM_OP_YARD: return "yard";
    default: return "station";
    }
}

static json_t *point(double lat, double lon)
{
    return json_pack("{s:s, s:[f, f]}", "type", "Point", "coordinates", lon, lat);
}

/* The point at distance x (m) from the from end of track t. */
static int track_point(const tm_network *n, const tm_polyline *shape, const tm_track *t,
                       double x, double *lat, double *lon)
{
    double f = t->length > 0.0 ? x / t->length : 0.0;
    f = f < 0.0 ? 0.0 : f > 1.0 ? 1.0 : f;
    if (shape && shape->n >= 2) {
        /* Along the shape, by the share of its drawn length. */
        double total = 0.0;
        for (size_t i = 1; i < shape->n; i++)
            total += hypot(shape->lat[i] - shape->lat[i - 1], shape->lon[i] - shape->lon[i - 1]);
        double want = f * total, acc = 0.0;
        for (size_t i = 1; i < shape->n; i++) {
            double seg = hypot(shape->lat[i] - shape->lat[i - 1],
                               shape->lon[i] - shape->lon[i - 1]);
            if (acc + seg >= want || i + 1 == shape->n) {
                double g = seg > 0.0 ? (want - acc) / seg : 0.0;
                g = g < 0.0 ? 0.0 : g > 1.0 ? 1.0 : g;
                *lat = shape->lat[i - 1] + g * (shape->lat[i] - shape->lat[i - 1]);
                *lon = shape->lon[i - 1] + g * (shape->lon[i] - shape->lon[i - 1]);
                return 0;
            }
            acc += seg;
        }
    }
    const tm_op *a = &n->ops[t->from], *b = &n->ops[t->to];
    if (!a->has_position || !b->has_position)
        return -1;
    *lat = a->lat + f * (b->lat - a->lat);
    *lon = a->lon + f * (b->lon - a->lon);
    return 0;
}

static int add(json_t *features, json_t *geometry, json_t *props)
{
    if (!geometry || !props) {
        json_decref(geometry);
        json_decref(props);
        return -1;
    }
    json_t *f = json_pack("{s:s, s:o, s:o}", "type", "Feature", "geometry", geometry,
                          "properties", props);
    return !f || json_array_append_new(features, f) ? -1 : 0;
}

static json_t *track_line(const tm_network *n, const tm_polyline *shape, const tm_track *t)
{
    json_t *coords = json_array();
    if (!coords)
        return NULL;
    if (shape && shape->n >= 2) {
        for (size_t i = 0; i < shape->n; i++)
            json_array_append_new(coords, json_pack("[f, f]", shape->lon[i], shape->lat[i]));
    } else {
        const tm_op *a = &n->ops[t->from], *b = &n->ops[t->to];
        if (!a->has_position || !b->has_position) {
            json_decref(coords);
            return json_null();
        }
        json_array_append_new(coords, json_pack("[f, f]", a->lon, a->lat));
        json_array_append_new(coords, json_pack("[f, f]", b->lon, b->lat));
    }
    return json_pack("{s:s, s:o}", "type", "LineString", "coordinates", coords);
}

/* Where service run r is at clock time t: the track and distance into it, and its speed. */
static int service_at(const tm_service_run *r, double t, size_t *step, double *into,
                      double *speed)
{
    if (r->status != 0 || !r->n_samples || t < r->clock_start ||
        t > r->clock_start + r->samples[r->n_samples - 1].t)
        return -1;
    double rel = t - r->clock_start, s = r->samples[0].s, v = r->samples[0].v;
    for (size_t i = 1; i < r->n_samples; i++) {
        const tumen_sample *p = &r->samples[i - 1], *q = &r->samples[i];
        if (q->t >= rel) {
            double g = q->t > p->t ? (rel - p->t) / (q->t - p->t) : 1.0;
            s = p->s + g * (q->s - p->s);
            v = p->v + g * (q->v - p->v);
            break;
        }
    }
    size_t k = 0;
    while (k + 1 < r->n_steps && r->step_start[k + 1] <= s)
        k++;
    *step = k;
    *into = s - r->step_start[k];
    *speed = v;
    return 0;
}

json_t *tm_geojson_build(const tm_scenario *s, const tm_polyline *geometry,
                         const tm_timetable_result *run, double clock)
{
    const tm_network *n = &s->network;
    json_t *features = json_array();
    json_t *fc = features ? json_pack("{s:s, s:o}", "type", "FeatureCollection", "features",
                                      features)
                          : NULL;
    if (!fc)
        return NULL;
    int bad = 0;
    for (size_t i = 0; !bad && i < n->n_ops; i++) {
        const tm_op *op = &n->ops[i];
        if (!op->has_position)
            continue;
        bad = add(features, point(op->lat, op->lon),
                  json_pack("{s:s, s:s, s:s, s:s}", "feature", "operational_point", "id",
                            op->id, "name", tm_name_or(op->name, ""), "kind", kind_name(op->kind)));
    }
    for (size_t i = 0; !bad && i < n->n_tracks; i++) {
        const tm_track *t = &n->tracks[i];
        json_t *line = track_line(n, geometry ? &geometry[i] : NULL, t);
        if (json_is_null(line))
            continue;
        double vmax = 0.0;
        for (size_t k = 0; k < t->n_sections; k++)
            vmax = fmax(vmax, fmax(t->sections[k].speed_limit, t->sections[k].speed_limit_back));
        const char *el = tm_electrification_name(t->electrification);
        bad = add(features, line,
                  json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:s, s:i, s:i}", "feature", "track",
                            "id", t->id, "from", n->ops[t->from].id, "to", n->ops[t->to].id,
                            "length_m", t->length, "max_speed_kmh", vmax * 3.6,
                            "electrification", el ? el : "none", "gauge_mm", t->gauges[0],
                            "signals", (int)t->n_signals));
    }
    for (size_t i = 0; !bad && run && i < run->n_runs; i++) {
        const tm_service_run *r = &run->runs[i];
        size_t step;
        double into, v, lat, lon;
        if (service_at(r, clock, &step, &into, &v))
            continue;
        const tm_route_step *st = &r->steps[step];
        const tm_track *t = &n->tracks[st->track];
        double x = st->forward ? into : t->length - into;
        if (track_point(n, geometry ? &geometry[st->track] : NULL, t, x, &lat, &lon))
            continue;
        const tm_service *svc = &run->timetable->services[i];
        bad = add(features, point(lat, lon),
                  json_pack("{s:s, s:s, s:s, s:s, s:f, s:f}", "feature", "train", "service",
                            svc->id, "train", s->trains[st->train].id, "track", t->id,
                            "position_m", x, "speed_kmh", v * 3.6));
    }
    if (bad) {
        json_decref(fc);
        return NULL;
    }
    return fc;
}
