/* special_write.c: a timetable as the timetable YAML tumen reads (docs/formats.md,
 * "Timetables"), written atomically: the input's services as retimed and the convoy. */
#include "plan/special_plan.h"
#include "core/c_locale.h"
#include "formats/special_write.h"

#include <math.h>
#include <stdio.h>

#include "core/atomic.h"
#include "model/allowance.h"

static void clock_text(double t, char *buf, size_t size)
{
    long s = (long)ceil(t - 1e-6);
    if (s < 0)
        s = 0;
    snprintf(buf, size, "%02ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

/* An allowance as the readers take it back ("5%", "180 s/100km", "90 s"). */
static void allowance_text(const tumen_allowance *a, char *buf, size_t size)
{
    switch (a->kind) {
    case TUMEN_ALLOWANCE_PERCENT: snprintf(buf, size, "\"%.17g%%\"", a->value); break;
    case TUMEN_ALLOWANCE_PER_100KM: snprintf(buf, size, "\"%.17g s/100km\"", a->value); break;
    case TUMEN_ALLOWANCE_TIME: snprintf(buf, size, "\"%.17g s\"", a->value); break;
    default: snprintf(buf, size, "\"0 s\""); break;
    }
}

/* A service's allowance and driving, so that its times stay as planned. */
static void write_allowance(FILE *f, const tm_allowance_spec *a)
{
    char text[64];
    if (a->whole.kind != TUMEN_ALLOWANCE_NONE) {
        allowance_text(&a->whole, text, sizeof text);
        fprintf(f, "      allowance: %s\n", text);
    }
    if (a->driving != TUMEN_DRIVING_DEFAULT)
        fprintf(f, "      driving: %s\n", a->driving == TUMEN_DRIVING_ECO ? "eco" : "linear");
    if (a->n_ranges) {
        fprintf(f, "      allowances:\n");
        for (size_t r = 0; r < a->n_ranges; r++) {
            allowance_text(&a->ranges[r].allowance, text, sizeof text);
            fprintf(f, "        - {from: \"%s\", to: \"%s\", allowance: %s}\n",
                    tm_name_or(a->ranges[r].from, ""), tm_name_or(a->ranges[r].to, ""), text);
        }
    }
}

/* s as a YAML double-quoted scalar: an id may hold quotes, backslashes, '#' or ': '. */
static void put_quoted(FILE *f, const char *s)
{
    if (!s) /* a name not given */
        s = "";
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static int write_timetable_c(const tm_scenario *sc, const tm_timetable *tt, int replace,
                             const char *const *withdraw, size_t n_withdraw, const char *path,
                             tumen_error *err)
{
    static const char *cats[] = {"passenger", "freight", "special"};
    tm_atomic_file af;
    FILE *f = tm_atomic_open(path, &af, err);
    if (!f)
        return err ? err->code : TUMEN_EIO;
    const tm_network *net = &sc->network;
    /* replace: the plan stands for the input timetable, so that the same files with this
     * one last are the plan's scenario (tumen conflicts FILE... OUT re-checks it). */
    fprintf(f, "# written by tumen special\ntimetable:\n  name: ");
    put_quoted(f, tt->name);
    fputs(replace ? "\n  replace: true\n" : "\n", f);
    if (n_withdraw) { /* a change: these services of the files before leave the timetable */
        fprintf(f, "  withdraw: [");
        for (size_t i = 0; i < n_withdraw; i++) {
            fprintf(f, "%s", i ? ", " : "");
            put_quoted(f, withdraw[i]);
        }
        fprintf(f, "]\n");
    }
    if (tt->date[0])
        fprintf(f, "  date: %s\n", tt->date);
    fprintf(f, "  services:\n");
    for (size_t i = 0; i < tt->n_services; i++) {
        const tm_service *s = &tt->services[i];
        char clock[32];
        /* departures are written to the second, rounded up: never earlier than planned */
        clock_text(s->departure, clock, sizeof clock);
        fprintf(f, "    - id: ");
        put_quoted(f, s->id);
        fprintf(f, "\n      train: ");
        put_quoted(f, sc->trains[s->train].id);
        fprintf(f, "\n      category: %s\n      departure: \"%s\"\n", cats[s->category], clock);
        if (s->convoy[0]) {
            fprintf(f, "      convoy: ");
            put_quoted(f, s->convoy);
            fputc('\n', f);
        }
        fprintf(f, "      route: [");
        for (size_t w = 0; w < s->n_waypoints; w++) {
            fprintf(f, "%s", w ? ", " : "");
            put_quoted(f, net->ops[s->waypoints[w]].id);
        }
        fprintf(f, "]\n");
        if (s->n_stops) {
            fprintf(f, "      stops:\n");
            for (size_t q = 0; q < s->n_stops; q++) {
                fprintf(f, "        - {at: ");
                put_quoted(f, net->ops[s->stops[q].op].id);
                fprintf(f, ", dwell: %.3f s}\n", s->stops[q].dwell);
            }
        }
        if (s->allowance)
            write_allowance(f, s->allowance);
        if (s->n_changes_to) {
            fprintf(f, "      changes_to: [");
            for (size_t q = 0; q < s->n_changes_to; q++) {
                fprintf(f, "%s", q ? ", " : "");
                put_quoted(f, sc->trains[s->changes_to[q]].id);
            }
            fprintf(f, "]\n");
        }
    }
    return tm_atomic_commit(&af, err);
}

/* The C numeric locale for this thread around the work (core/c_locale.h). */
int tm_special_write_timetable(const tm_scenario *sc, const tm_timetable *tt, int replace,
                               const char *path, tumen_error *err)
{
    locale_t old = tm_c_numeric_enter();
    int rc = write_timetable_c(sc, tt, replace, NULL, 0, path, err);
    tm_c_numeric_leave(old);
    return rc;
}

int tm_special_write_changes(const tm_scenario *sc, const tm_timetable *tt,
                             const char *const *withdraw, size_t n_withdraw, const char *path,
                             tumen_error *err)
{
    locale_t old = tm_c_numeric_enter();
    int rc = write_timetable_c(sc, tt, 0, withdraw, n_withdraw, path, err);
    tm_c_numeric_leave(old);
    return rc;
}
