/* special_write.c: a timetable as the timetable YAML tumen reads (docs/formats.md,
 * "Timetables"), written atomically: the input's services as retimed and the convoy. */
#include "plan/special_plan.h"

#include <math.h>
#include <stdio.h>

#include "io/atomic.h"

static void clock_text(double t, char *buf, size_t size)
{
    long s = (long)ceil(t - 1e-6);
    if (s < 0)
        s = 0;
    snprintf(buf, size, "%02ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

int tm_special_write_timetable(const tumen_scenario *sc, const tm_timetable *tt,
                               const char *path, tumen_error *err)
{
    static const char *cats[] = {"passenger", "freight", "special"};
    tm_atomic_file af;
    FILE *f = tm_atomic_open(path, &af, err);
    if (!f)
        return err ? err->code : TUMEN_EIO;
    const tm_network *net = &sc->network;
    fprintf(f, "# written by tumen special\ntimetable:\n  name: \"%s\"\n", tt->name);
    if (tt->date[0])
        fprintf(f, "  date: %s\n", tt->date);
    fprintf(f, "  services:\n");
    for (size_t i = 0; i < tt->n_services; i++) {
        const tm_service *s = &tt->services[i];
        char clock[32];
        /* departures are written to the second, rounded up: never earlier than planned */
        clock_text(s->departure, clock, sizeof clock);
        fprintf(f, "    - id: \"%s\"\n      train: %s\n      category: %s\n"
                   "      departure: \"%s\"\n",
                s->id, sc->trains[s->train].id, cats[s->category], clock);
        if (s->convoy[0])
            fprintf(f, "      convoy: \"%s\"\n", s->convoy);
        fprintf(f, "      route: [");
        for (size_t w = 0; w < s->n_waypoints; w++)
            fprintf(f, "%s%s", w ? ", " : "", net->ops[s->waypoints[w]].id);
        fprintf(f, "]\n");
        if (s->n_stops) {
            fprintf(f, "      stops:\n");
            for (size_t q = 0; q < s->n_stops; q++)
                fprintf(f, "        - {at: %s, dwell: %.3f s}\n", net->ops[s->stops[q].op].id,
                        s->stops[q].dwell);
        }
        if (s->n_changes_to) {
            fprintf(f, "      changes_to: [");
            for (size_t q = 0; q < s->n_changes_to; q++)
                fprintf(f, "%s%s", q ? ", " : "", sc->trains[s->changes_to[q]].id);
            fprintf(f, "]\n");
        }
    }
    return tm_atomic_commit(&af, err);
}
