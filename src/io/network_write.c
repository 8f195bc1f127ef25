/* network_write.c: a network as tumen YAML (docs/formats.md, "Networks"), which the network
 * reader (network_yaml.c) reads back into the same network: every number is written with as
 * many digits as it takes to read back the same double, with its unit. */
#include "io/network_write.h"

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
        fprintf(f,
                "        - {to: %s m, speed_limit: %s m/s, speed_limit_back: %s m/s, "
                "gradient: %s permille, radius: %s m}\n",
                a, b, c, d, e);
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
}

int tm_network_write_yaml(const tm_network *n, FILE *f)
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
    return ferror(f) ? -1 : 0;
}
