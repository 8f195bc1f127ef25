/* cmd_braking.c: `tumen braking FILE...`: why a heavy train is slow.
 *
 * A train must stop within the distance its signalling gives it (the spacing from the
 * warning to the stop signal). Its brake percentage (braked weight over mass) sets how far
 * it needs to stop from a given speed; the inverse gives the highest speed it may run. Armour
 * adds mass but no braked weight, so the percentage falls, and with it the speed. */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char braking_usage[] =
    "usage: tumen braking FILE... [--all] [--distance METRES] [--json]\n"
    "\n"
    "For each leg of the journey (or, without one, every train on every line): the train's\n"
    "mass, braked weight, brake percentage (UIC 544-1) and service deceleration, and the\n"
    "highest speed from which it stops within the line's braking distance (its signal\n"
    "spacing), on level track and on the line's steepest downgrade (Mindener formula,\n"
    "docs/physics.md).\n"
    "\n"
    "  --all               every train on every line, not only the journey's legs\n"
    "  --distance METRES   use this braking distance for every line instead\n"
    "  --json              print a JSON object instead of the table\n";

typedef struct limit_row {
    double level, downgrade; /* m/s, 0 if not computable */
} limit_row;

static limit_row limits_for(const tumen_train_info *t, double distance, double downgrade)
{
    limit_row r = {0, 0};
    tumen_error err = {0};
    if (t->brake_percentage <= 0.0 || distance <= 0.0)
        return r;
    if (tumen_max_speed_for_braking_distance(t->brake_percentage, distance, 0.0, &r.level,
                                             &err) != TUMEN_OK)
        r.level = 0.0;
    if (tumen_max_speed_for_braking_distance(t->brake_percentage, distance, downgrade,
                                             &r.downgrade, &err) != TUMEN_OK)
        r.downgrade = 0.0;
    return r;
}

/* The (train, line) pairs to report: the journey's legs, or every train on every line. */
typedef struct pairing {
    size_t n;
    size_t *train, *line;
} pairing;

static int pairs_of(const tumen_scenario *sc, int all, pairing *p)
{
    size_t nl = all ? 0 : tumen_scenario_leg_count(sc);
    size_t n = nl ? nl : tumen_scenario_train_count(sc) * tumen_scenario_line_count(sc);
    p->n = 0;
    p->train = calloc(n + 1, sizeof *p->train);
    p->line = calloc(n + 1, sizeof *p->line);
    if (!p->train || !p->line)
        return -1;
    if (nl) {
        for (size_t i = 0; i < nl; i++)
            tumen_scenario_leg(sc, i, &p->train[i], &p->line[i]);
        p->n = nl;
        return 0;
    }
    for (size_t i = 0; i < tumen_scenario_train_count(sc); i++)
        for (size_t j = 0; j < tumen_scenario_line_count(sc); j++) {
            p->train[p->n] = i;
            p->line[p->n++] = j;
        }
    return 0;
}

static void print_train(const tumen_train_info *t)
{
    printf("train %s (%s)\n", t->id, t->name);
    printf("  mass %.1f t, length %.1f m, braked weight %.1f t, brake percentage %.0f%%\n",
           t->mass / 1000.0, t->length, t->brake_weight / 1000.0, t->brake_percentage);
    printf("  service deceleration %.3f m/s2", t->brake_deceleration);
    if (t->max_speed > 0)
        printf(", own maximum speed %.1f km/h", t->max_speed * 3.6);
    putchar('\n');
    if (t->brake_percentage <= 0)
        printf("  brake percentage unknown: give brake.weight for every vehicle\n");
}

static void print_text(const tumen_scenario *sc, const pairing *p, double distance_override)
{
    for (size_t k = 0; k < p->n; k++) {
        tumen_train_info t;
        tumen_line_info l;
        tumen_scenario_train(sc, p->train[k], &t);
        tumen_scenario_line(sc, p->line[k], &l);
        if (k == 0 || p->train[k] != p->train[k - 1])
            print_train(&t);
        double d = distance_override > 0 ? distance_override : l.braking_distance;
        if (d <= 0 || t.brake_percentage <= 0) {
            printf("  line %s: no braking distance given\n", l.name);
            continue;
        }
        limit_row r = limits_for(&t, d, l.steepest_downgrade);
        printf("  line %s, braking distance %.0f m: %.1f km/h on level track, "
               "%.1f km/h on its steepest downgrade (%.1f permille)\n",
               l.name, d, r.level * 3.6, r.downgrade * 3.6, -l.steepest_downgrade * 1000);
        double limited = r.downgrade;
        if (t.max_speed > 0 && limited > 0)
            printf("  => its brakes allow %.1f km/h here; its own limit is %.1f km/h\n",
                   limited * 3.6, t.max_speed * 3.6);
    }
}

static int print_json(const tumen_scenario *sc, const pairing *p, double distance_override)
{
    json_t *rows = json_array();
    for (size_t k = 0; k < p->n; k++) {
        tumen_train_info t;
        tumen_line_info l;
        tumen_scenario_train(sc, p->train[k], &t);
        tumen_scenario_line(sc, p->line[k], &l);
        double d = distance_override > 0 ? distance_override : l.braking_distance;
        limit_row r = limits_for(&t, d, l.steepest_downgrade);
        json_array_append_new(
            rows, json_pack("{s:s, s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "train",
                            t.id, "line", l.id, "mass_kg", t.mass, "brake_weight_kg",
                            t.brake_weight, "brake_percentage", t.brake_percentage,
                            "brake_deceleration_ms2", t.brake_deceleration, "train_max_speed_ms",
                            t.max_speed, "braking_distance_m", d, "steepest_downgrade",
                            l.steepest_downgrade, "max_speed_level_ms", r.level,
                            "max_speed_downgrade_ms", r.downgrade));
    }
    json_t *doc = json_pack("{s:o}", "braking", rows);
    int rc = doc ? json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
    json_decref(doc);
    putchar('\n');
    return rc == 0 ? TM_EXIT_OK : TM_EXIT_FAILURE;
}

int tm_cmd_braking(int argc, char **argv)
{
    tm_cli_list files = {0};
    const char *dist = NULL;
    int json = 0, all = 0;
    double distance = 0.0;
    const tm_cli_option options[] = {
        {"--json", NULL, TM_CLI_FLAG, &json, NULL},
        {"--all", NULL, TM_CLI_FLAG, &all, NULL},
        {"--distance", NULL, TM_CLI_VALUE, &dist, NULL},
    };
    const tm_cli_command c = {"braking", braking_usage, options,
                              sizeof options / sizeof *options, "unknown option", &files};
    int status = tm_cli_parse(&c, argc, argv);
    if (status < 0 && dist && (tm_cli_number(dist, &distance) || !(distance > 0))) {
        fprintf(stderr, "tumen braking: --distance takes metres > 0, not '%s'\n", dist);
        status = TM_EXIT_INPUT;
    }
    if (status < 0 && files.n == 0)
        status = tm_cli_usage(&c, "no input file", NULL);
    tumen_error err = {0};
    tumen_scenario *sc = NULL;
    if (status < 0 && tumen_scenario_load(&sc, files.items, files.n, &err) != TUMEN_OK)
        status = tm_cli_fail(&err);
    if (status < 0) {
        pairing p = {0};
        if (pairs_of(sc, all, &p) != 0) {
            fprintf(stderr, "tumen: out of memory\n");
            status = TM_EXIT_FAILURE;
        } else if (json) {
            status = print_json(sc, &p, distance);
        } else {
            print_text(sc, &p, distance);
            status = TM_EXIT_OK;
        }
        free(p.train);
        free(p.line);
    }
    tumen_scenario_destroy(sc);
    tm_cli_free(&c);
    return status;
}
