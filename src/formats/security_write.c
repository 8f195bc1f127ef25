/* security_write.c: the route security schedule written out (formats/security_write.h).
 * Times are seconds after the timetable's midnight (JSON, CSV) or clock times (the table);
 * a window that does not apply is null (JSON) or empty (CSV), "-" in the table. */
#include "formats/security_write.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic.h"
#include "core/error.h"

static const char *const categories[3] = {"passenger", "freight", "special"};

static json_t *num(double x)
{
    return isnan(x) ? json_null() : json_real(round(x * 10.0) / 10.0);
}

static const char *track_id(const tm_scenario *sc, size_t t)
{
    return t < sc->network.n_tracks ? sc->network.tracks[t].id : "";
}

static json_t *object_json(const tm_scenario *sc, const tm_security_schedule *s,
                           const tm_security_object *o)
{
    json_t *j = json_object(), *held = json_array();
    if (!j || !held) {
        json_decref(j);
        json_decref(held);
        return NULL;
    }
    json_object_set_new(j, "kind", json_string(tm_security_object_kind_name(o->kind)));
    json_object_set_new(j, "name", json_string(o->name));
    json_object_set_new(j, "track", json_string(track_id(sc, o->track)));
    json_object_set_new(j, "position_m", num(o->position));
    json_object_set_new(j, "pilot_s", num(o->pilot));
    json_object_set_new(j, "special_s", num(o->special));
    json_object_set_new(j, "escort_s", num(o->escort));
    json_object_set_new(j, "guard_from_s", num(o->guard_from));
    json_object_set_new(j, "guard_until_s", num(o->guard_until));
    json_object_set_new(j, "closed_from_s", num(o->closed_from));
    json_object_set_new(j, "closed_until_s", num(o->closed_until));
    json_object_set_new(j, "power_off_from_s", num(o->power_off_from));
    json_object_set_new(j, "power_off_until_s", num(o->power_off_until));
    for (size_t q = o->first_held; q < o->first_held + o->n_held; q++) {
        const tm_security_held *h = &s->held[q];
        json_array_append_new(
            held, json_pack("{s:s, s:s, s:o, s:o}", "service",
                            sc->timetable.services[h->service].id, "at",
                            sc->network.ops[h->op].id, "from_s", num(h->from), "until_s",
                            num(h->until)));
    }
    json_object_set_new(j, "held", held);
    return j;
}

void *tm_security_schedule_json(const tm_scenario *sc, const tm_security_schedule *s)
{
    json_t *o = json_object(), *objects = json_array(), *sum = json_object(),
           *delay = json_object();
    if (!o || !objects || !sum || !delay) {
        json_decref(o);
        json_decref(objects);
        json_decref(sum);
        json_decref(delay);
        return NULL;
    }
    json_object_set_new(o, "rules", json_string(s->rules.name));
    for (size_t b = 0; b < s->n_objects; b++)
        json_array_append_new(objects, object_json(sc, s, &s->objects[b]));
    json_object_set_new(o, "objects", objects);
    const tm_security_summary *m = &s->summary;
    json_object_set_new(sum, "objects", json_integer((json_int_t)m->objects));
    json_object_set_new(sum, "crossing_closure_min", num(m->crossing_closure_min));
    json_object_set_new(sum, "trains_held", json_integer((json_int_t)m->trains_held));
    for (int c = 0; c < 3; c++)
        json_object_set_new(delay, categories[c], num(m->delay_min[c]));
    json_object_set_new(sum, "delay_min", delay);
    json_object_set_new(sum, "cancelled", json_integer((json_int_t)m->cancelled));
    json_object_set_new(sum, "power_off_track_km_h",
                        json_real(round(m->power_off_track_km_h * 1000.0) / 1000.0));
    json_object_set_new(o, "summary", sum);
    return o;
}

static void csv_time(FILE *f, double x)
{
    if (isnan(x))
        fputc(',', f);
    else
        fprintf(f, ",%.1f", x);
}

/* A CSV field, quoted when it holds a comma, a quote or a line break. */
static void csv_text(FILE *f, const char *text, int first)
{
    if (!first)
        fputc(',', f);
    if (!strpbrk(text, ",\"\n\r")) {
        fputs(text, f);
        return;
    }
    fputc('"', f);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

static void write_csv(FILE *f, const tm_scenario *sc, const tm_security_schedule *s)
{
    fprintf(f, "rules,kind,name,track,position_m,pilot_s,special_s,escort_s,guard_from_s,"
               "guard_until_s,closed_from_s,closed_until_s,power_off_from_s,"
               "power_off_until_s,held_service,held_at,held_from_s,held_until_s\n");
    for (size_t b = 0; b < s->n_objects; b++) {
        const tm_security_object *o = &s->objects[b];
        size_t rows = o->n_held ? o->n_held : 1;
        for (size_t r = 0; r < rows; r++) {
            csv_text(f, s->rules.name, 1);
            csv_text(f, tm_security_object_kind_name(o->kind), 0);
            csv_text(f, o->name, 0);
            csv_text(f, track_id(sc, o->track), 0);
            double t[] = {o->position,   o->pilot,       o->special,     o->escort,
                          o->guard_from, o->guard_until, o->closed_from, o->closed_until,
                          o->power_off_from, o->power_off_until};
            for (size_t q = 0; q < sizeof t / sizeof *t; q++)
                csv_time(f, t[q]);
            if (o->n_held) {
                const tm_security_held *h = &s->held[o->first_held + r];
                csv_text(f, sc->timetable.services[h->service].id, 0);
                csv_text(f, sc->network.ops[h->op].id, 0);
                csv_time(f, h->from);
                csv_time(f, h->until);
            } else
                fputs(",,,", f);
            fputc('\n', f);
        }
    }
}

int tm_security_schedule_write(const tm_scenario *sc, const tm_security_schedule *s,
                               const char *path, tumen_error *err)
{
    size_t n = strlen(path);
    int json = n >= 5 && !strcmp(path + n - 5, ".json");
    char *text = NULL;
    if (json) {
        json_t *o = tm_security_schedule_json(sc, s);
        text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))
                 : NULL;
        json_decref(o);
        if (!text)
            return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    tm_atomic_file af;
    FILE *f = tm_atomic_open(path, &af, err);
    if (!f) {
        free(text);
        return err ? err->code : TUMEN_EIO;
    }
    if (json)
        fprintf(f, "%s\n", text);
    else
        write_csv(f, sc, s);
    free(text);
    return tm_atomic_commit(&af, err);
}

static void clock_text(double t, char *buf, size_t size)
{
    if (isnan(t)) {
        snprintf(buf, size, "-");
        return;
    }
    long s = lround(fmax(-1e7, fmin(1e7, t)));
    snprintf(buf, size, "%s%ld:%02ld:%02ld", s < 0 ? "-" : "", labs(s) / 3600,
             labs(s) / 60 % 60, labs(s) % 60);
}

static void window_text(double a, double b, char *buf, size_t size)
{
    char x[32], y[32];
    if (isnan(a)) {
        snprintf(buf, size, "-");
        return;
    }
    clock_text(a, x, sizeof x);
    clock_text(b, y, sizeof y);
    snprintf(buf, size, "%s-%s", x, y);
}

void tm_security_schedule_print(FILE *f, const tm_scenario *sc,
                                const tm_security_schedule *s)
{
    fprintf(f, "\nroute security schedule (rules: %s)\n", s->rules.name);
    fprintf(f, "  %-14s %-26s %9s  %-9s %-9s %-9s  %-19s %-19s %-19s  %s\n", "kind", "name",
            "km", "pilot", "special", "escort", "guarded", "closed", "power off", "held");
    for (size_t b = 0; b < s->n_objects; b++) {
        const tm_security_object *o = &s->objects[b];
        char p[32], sp[32], e[32], g[72], c[72], w[72];
        clock_text(o->pilot, p, sizeof p);
        clock_text(o->special, sp, sizeof sp);
        clock_text(o->escort, e, sizeof e);
        window_text(o->guard_from, o->guard_until, g, sizeof g);
        window_text(o->closed_from, o->closed_until, c, sizeof c);
        window_text(o->power_off_from, o->power_off_until, w, sizeof w);
        fprintf(f, "  %-14s %-26.26s %9.3f  %-9s %-9s %-9s  %-19s %-19s %-19s ",
                tm_security_object_kind_name(o->kind), o->name, o->position / 1000.0, p, sp, e,
                g, c, w);
        for (size_t q = o->first_held; q < o->first_held + o->n_held; q++)
            fprintf(f, " %s", sc->timetable.services[s->held[q].service].id);
        fprintf(f, o->n_held ? "\n" : " -\n");
    }
    const tm_security_summary *m = &s->summary;
    fprintf(f,
            "\n%zu objects guarded; level crossings closed %.1f min in all; %zu trains held "
            "(delay: passenger %.1f min, freight %.1f min, special %.1f min); %zu trains "
            "cancelled; power off %.2f track-km-hours.\n",
            m->objects, m->crossing_closure_min, m->trains_held, m->delay_min[0],
            m->delay_min[1], m->delay_min[2], m->cancelled, m->power_off_track_km_h);
}
