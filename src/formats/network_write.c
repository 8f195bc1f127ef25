/* network_write.c: a network as tumen YAML (docs/formats.md, "Networks"), which the network
 * reader (network_yaml.c) reads back into the same network: every number is written with as
 * many digits as it takes to read back the same double, with its unit. */
#include "formats/network_write.h"
#include "core/c_locale.h"
#include "physics/physics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Shortest "%.Ng" (N 15..17) that reads back as x. */
static void num(char *buf, size_t size, double x)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, x);
        double back = 0.0;
        if (sscanf(buf, "%lf", &back) == 1 && back == x)
            return;
    }
}

/* A YAML double-quoted string. */
static void quoted(FILE *f, const char *s)
{
    if (!s) /* a name not given */
        s = "";
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

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

static void write_op(const tm_op *op, FILE *f)
{
    char a[40], b[40];
    fputs("    - id: ", f);
    quoted(f, op->id);
    fputs("\n      name: ", f);
    quoted(f, op->name);
    fprintf(f, "\n      kind: %s\n", kind_name(op->kind));
    if (op->has_position && isfinite(op->lat) && isfinite(op->lon)) {
        num(a, sizeof a, op->lat);
        num(b, sizeof b, op->lon);
        fprintf(f, "      position: [%s, %s]\n", a, b);
    }
    if (op->n_loops) {
        fputs("      loops: [", f);
        for (size_t i = 0; i < op->n_loops; i++) {
            num(a, sizeof a, op->loops[i]);
            fprintf(f, "%s%s m", i ? ", " : "", a);
        }
        fputs("]\n", f);
    }
    if (op->bogie_exchange) {
        num(a, sizeof a, op->exchange_time);
        fprintf(f, "      bogie_exchange: {gauges: [%d mm, %d mm], time: %s s}\n",
                op->exchange_gauges[0], op->exchange_gauges[1], a);
    }
    if (op->locomotive_change) {
        num(a, sizeof a, op->locomotive_change_time);
        fprintf(f, "      locomotive_change: {time: %s s}\n", a);
    }
}

/* A track's structures and parallel tracks, as network_yaml.c reads them back. */
static void write_structures(const tm_network *n, const tm_track *t, FILE *f)
{
    static const char *const kinds[] = {"level_crossing", "bridge", "tunnel"};
    static const char *const prot[] = {"automatic", "manned", "unprotected"};
    char a[40], b[40], c[40];
    if (t->n_structures)
        fputs("      structures:\n", f);
    for (size_t i = 0; i < t->n_structures; i++) {
        const tm_structure *st = &t->structures[i];
        /* a bridge or tunnel the source gave no length keeps 1 mm (the reader wants > 0),
         * within the track */
        double len = st->length > 0.0 ? st->length : 1e-3;
        num(a, sizeof a,
            st->kind == TM_STRUCT_LEVEL_CROSSING ? st->position
                                                 : fmax(0.0, fmin(st->position, t->length - len)));
        fprintf(f, "        - {kind: %s, at: %s m", kinds[st->kind], a);
        if (st->kind == TM_STRUCT_LEVEL_CROSSING) {
            num(b, sizeof b, st->warning_time);
            num(c, sizeof c, st->closing_time);
            fprintf(f, ", protection: %s, warning_time: %s s, closing_time: %s s",
                    prot[st->crossing], b, c);
            if (!tm_name_empty(st->road)) {
                fputs(", road: ", f);
                quoted(f, st->road);
            }
        } else {
            num(b, sizeof b, len);
            fprintf(f, ", length: %s m", b);
        }
        if (!tm_name_empty(st->name)) {
            fputs(", name: ", f);
            quoted(f, st->name);
        }
        fputs("}\n", f);
    }
    if (t->n_parallel)
        fputs("      parallel:\n", f);
    for (size_t i = 0; i < t->n_parallel; i++) {
        num(a, sizeof a, t->parallel[i].distance);
        fputs("        - {track: ", f);
        quoted(f, n->tracks[t->parallel[i].track].id);
        fprintf(f, ", distance: %s m}\n", a);
    }
}

static void write_track(const tm_network *n, const tm_track *t, FILE *f)
{
    char a[40], b[40], c[40], d[40], e[40];
    fputs("    - id: ", f);
    quoted(f, t->id);
    fputs("\n      from: ", f);
    quoted(f, n->ops[t->from].id);
    fputs("\n      to: ", f);
    quoted(f, n->ops[t->to].id);
    num(a, sizeof a, t->length);
    fprintf(f, "\n      length: %s m\n", a);
    if (t->main_tracks > 1)
        fprintf(f, "      main_tracks: %d\n", t->main_tracks);
    fputs("      gauges: [", f);
    for (int i = 0; i < t->n_gauges; i++)
        fprintf(f, "%s%d mm", i ? ", " : "", t->gauges[i]);
    fputs("]\n", f);
    const char *el = tm_electrification_name(t->electrification);
    fprintf(f, "      electrification: \"%s\"\n", el ? el : "none");
    if (t->max_axle_load > 0.0) {
        num(a, sizeof a, t->max_axle_load);
        fprintf(f, "      max_axle_load: %s kg\n", a);
    }
    if (t->curve_law == TM_CURVE_800R)
        fputs("      curve_resistance: 800/R\n", f);
    else if (t->curve_law == TM_CURVE_NONE)
        fputs("      curve_resistance: none\n", f);
    fputs("      sections:\n", f);
    for (size_t i = 0; i < t->n_sections; i++) {
        const tm_track_section *s = &t->sections[i];
        num(a, sizeof a, i + 1 == t->n_sections ? t->length : s->end);
        num(b, sizeof b, s->speed_limit);
        num(c, sizeof c, s->speed_limit_back);
        num(d, sizeof d, s->gradient * 1000.0);
        num(e, sizeof e, s->radius);
        static const char *const neutral[] = {"", ", neutral: forward", ", neutral: backward",
                                              ", neutral: both"};
        fprintf(f,
                "        - {to: %s m, speed_limit: %s m/s, speed_limit_back: %s m/s, "
                "gradient: %s permille, radius: %s m%s}\n",
                a, b, c, d, e, neutral[s->neutral & 3]);
    }
    if (t->n_signals) {
        fputs("      signals:\n", f);
        for (size_t i = 0; i < t->n_signals; i++) {
            const tm_signal *s = &t->signals[i];
            num(a, sizeof a, s->position);
            fprintf(f, "        - {at: %s m, direction: %s", a,
                    s->direction > 0 ? "forward" : s->direction < 0 ? "backward" : "both");
            if (s->id[0]) {
                fputs(", id: ", f);
                quoted(f, s->id);
            }
            fputs("}\n", f);
        }
    }
    write_structures(n, t, f);
}

/* The connections, one switch entry per switched operational point, in op order. */
static void write_switches(const tm_network *n, FILE *f)
{
    if (!n->n_connections)
        return;
    fputs("  switches:\n", f);
    for (size_t op = 0; op < n->n_ops; op++) {
        int any = 0;
        for (size_t c = 0; c < n->n_connections; c++) {
            const tm_connection *x = &n->connections[c];
            if (tm_track_end_op(n, x->a) != op)
                continue;
            if (!any) {
                fputs("    - {at: ", f);
                quoted(f, n->ops[op].id);
                fputs(", connects: [", f);
            }
            fputs(any ? ", " : "", f);
            fputs(x->speed_limit > 0.0 ? "{tracks: [" : "[", f);
            quoted(f, n->tracks[x->a / 2].id);
            fputs(", ", f);
            quoted(f, n->tracks[x->b / 2].id);
            fputs("]", f);
            if (x->speed_limit > 0.0) {
                char v[32];
                num(v, sizeof v, x->speed_limit * 3.6);
                fprintf(f, ", speed_limit: %s km/h}", v);
            }
            any = 1;
        }
        if (any)
            fputs("]}\n", f);
    }
}

static int tm_network_write_yaml_c(const tm_network *n, FILE *f)
{
    fputs("network:\n  operational_points:\n", f);
    if (!n->n_ops)
        fputs("    []\n", f);
    for (size_t i = 0; i < n->n_ops; i++)
        write_op(&n->ops[i], f);
    fputs("  tracks:\n", f);
    if (!n->n_tracks)
        fputs("    []\n", f);
    for (size_t i = 0; i < n->n_tracks; i++)
        write_track(n, &n->tracks[i], f);
    write_switches(n, f);
    return ferror(f) ? -1 : 0;
}

/* ---- Rolling stock and timetable ------------------------------------------------------ */

static const char *vehicle_kind(tm_vehicle_kind k)
{
    switch (k) {
    case TM_VEHICLE_LOCOMOTIVE: return "locomotive";
    case TM_VEHICLE_MULTIPLE_UNIT: return "multiple_unit";
    case TM_VEHICLE_WAGON: return "wagon";
    default: return "coach";
    }
}

/* A traction mode's effort: its table, or max_force (and max_power). */
static void write_effort(FILE *f, const tm_force_point *effort, size_t n, double max_force,
                         double max_power)
{
    char a[40], b[40];
    if (n) {
        fputs("table: [", f);
        for (size_t i = 0; i < n; i++) {
            num(a, sizeof a, effort[i].v);
            num(b, sizeof b, effort[i].f);
            fprintf(f, "%s[%s m/s, %s N]", i ? ", " : "", a, b);
        }
        fputs("]", f);
        return;
    }
    num(a, sizeof a, max_force);
    fprintf(f, "max_force: %s N", a);
    if (max_power > 0.0) {
        num(a, sizeof a, max_power);
        fprintf(f, ", max_power: %s W", a);
    }
}

static void write_vehicle(const tm_vehicle *v, FILE *f)
{
    char a[40], b[40], c[40];
    fputs("  - id: ", f);
    quoted(f, v->id);
    fputs("\n    name: ", f);
    quoted(f, v->name);
    fprintf(f, "\n    kind: %s\n", vehicle_kind(v->kind));
    if (v->has_traction)
        fprintf(f, "    power: %s\n", v->power == TM_POWER_ELECTRIC ? "electric"
                                      : v->power == TM_POWER_STEAM  ? "steam"
                                                                    : "diesel");
    num(a, sizeof a, v->mass);
    fprintf(f, "    mass: %s kg\n", a);
    if (v->load > 0.0) {
        num(a, sizeof a, v->load);
        fprintf(f, "    load: %s kg\n", a);
    }
    num(a, sizeof a, v->length);
    fprintf(f, "    length: %s m\n", a);
    if (v->axles > 0)
        fprintf(f, "    axles: %d\n", v->axles);
    if (v->max_speed > 0.0) {
        num(a, sizeof a, v->max_speed);
        fprintf(f, "    max_speed: %s m/s\n", a);
    }
    num(a, sizeof a, tm_vehicle_rotating_mass_factor(v));
    fprintf(f, "    rotating_mass_factor: %s\n", a);
    if (v->has_traction && v->n_modes) {
        fputs("    traction:\n      ", f);
        write_effort(f, v->effort, v->n_effort, v->max_force, v->max_power);
        fputs("\n      modes:\n", f);
        for (size_t i = 0; i < v->n_modes; i++) {
            const tm_traction_mode *m = &v->modes[i];
            const char *el = tm_electrification_name(m->electrification);
            fprintf(f, "        - {power: %s, ",
                    m->power == TM_POWER_ELECTRIC ? "electric" : "diesel");
            if (m->power == TM_POWER_ELECTRIC && m->electrification != TM_ELEC_NONE && el)
                fprintf(f, "electrification: \"%s\", ", el);
            write_effort(f, m->effort, m->n_effort, m->max_force, m->max_power);
            fputs("}\n", f);
        }
    } else if (v->has_traction && v->n_effort) {
        fputs("    traction:\n      ", f);
        write_effort(f, v->effort, v->n_effort, v->max_force, v->max_power);
        fputs("\n", f);
    } else if (v->has_traction) {
        fputs("    traction: {", f);
        write_effort(f, v->effort, v->n_effort, v->max_force, v->max_power);
        fputs("}\n", f);
    }
    tm_resistance davis; /* every law written as its Davis coefficients on the vehicle's mass */
    tm_resistance_davis(&v->resistance, v->mass + v->load, &davis);
    num(a, sizeof a, davis.a);
    num(b, sizeof b, davis.b);
    num(c, sizeof c, davis.c);
    fprintf(f, "    resistance: {law: davis, a: %s N, b: %s N/(m/s), c: %s N/(m/s)^2}\n", a, b, c);
    if (v->brake_deceleration > 0.0 || v->brake_weight > 0.0) {
        fputs("    brake: {", f);
        if (v->brake_weight > 0.0) {
            num(a, sizeof a, v->brake_weight);
            fprintf(f, "weight: %s kg%s", a, v->brake_deceleration > 0.0 ? ", " : "");
        }
        if (v->brake_deceleration > 0.0) {
            num(a, sizeof a, v->brake_deceleration);
            fprintf(f, "deceleration: %s m/s2", a);
        }
        fputs("}\n", f);
    }
    if (v->gauge > 0)
        fprintf(f, "    gauge: %d mm\n", v->gauge);
    if (v->power == TM_POWER_ELECTRIC && v->electrification != TM_ELEC_NONE)
        fprintf(f, "    electrification: \"%s\"\n", tm_electrification_name(v->electrification));
}

static void clock(char *buf, size_t size, double t)
{
    long s = lround(t);
    snprintf(buf, size, "%02ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
}

static int tm_scenario_write_yaml_c(const tm_scenario *s, FILE *f)
{
    if (s->network.n_ops && tm_network_write_yaml(&s->network, f))
        return -1;
    if (s->n_vehicles) {
        fputs("vehicles:\n", f);
        for (size_t i = 0; i < s->n_vehicles; i++)
            write_vehicle(&s->vehicles[i], f);
    }
    if (s->n_trains) {
        fputs("trains:\n", f);
        for (size_t i = 0; i < s->n_trains; i++) {
            const tm_train *t = &s->trains[i];
            fputs("  - id: ", f);
            quoted(f, t->id);
            fputs("\n    name: ", f);
            quoted(f, t->name);
            fputs("\n    consist:\n", f);
            for (size_t k = 0; k < t->n_consist; k++) {
                fputs("      - {vehicle: ", f);
                quoted(f, s->vehicles[t->consist[k].vehicle].id);
                fprintf(f, ", count: %d}\n", t->consist[k].count);
            }
        }
    }
    const tm_timetable *tt = &s->timetable;
    if (tt->n_services) {
        char buf[32];
        fputs("timetable:\n  name: ", f);
        quoted(f, tt->name);
        fputs("\n  services:\n", f);
        for (size_t i = 0; i < tt->n_services; i++) {
            const tm_service *v = &tt->services[i];
            fputs("    - id: ", f);
            quoted(f, v->id);
            fputs("\n      train: ", f);
            quoted(f, s->trains[v->train].id);
            clock(buf, sizeof buf, v->departure);
            fprintf(f, "\n      category: %s\n      departure: \"%s\"\n      route: [",
                    v->category == TM_CATEGORY_FREIGHT   ? "freight"
                    : v->category == TM_CATEGORY_SPECIAL ? "special"
                                                         : "passenger",
                    buf);
            for (size_t k = 0; k < v->n_waypoints; k++) {
                fputs(k ? ", " : "", f);
                quoted(f, s->network.ops[v->waypoints[k]].id);
            }
            fputs("]\n", f);
            if (v->n_stops)
                fputs("      stops:\n", f);
            for (size_t k = 0; k < v->n_stops; k++) {
                num(buf, sizeof buf, v->stops[k].dwell);
                fputs("        - {at: ", f);
                quoted(f, s->network.ops[v->stops[k].op].id);
                fprintf(f, ", dwell: %s s}\n", buf);
            }
        }
    }
    return ferror(f) ? -1 : 0;
}

/* The C numeric locale for this thread around the work (core/c_locale.h). */
int tm_network_write_yaml(const tm_network *n, FILE *f)
{
    locale_t old = tm_c_numeric_enter();
    int rc = tm_network_write_yaml_c(n, f);
    tm_c_numeric_leave(old);
    return rc;
}

/* The C numeric locale for this thread around the work (core/c_locale.h). */
int tm_scenario_write_yaml(const tm_scenario *s, FILE *f)
{
    locale_t old = tm_c_numeric_enter();
    int rc = tm_scenario_write_yaml_c(s, f);
    tm_c_numeric_leave(old);
    return rc;
}
