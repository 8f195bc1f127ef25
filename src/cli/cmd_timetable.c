/* cmd_timetable.c: `tumen timetable FILE...`: run every service of a timetable and print,
 * per service, the arrival and departure at every operational point it passes; JSON, CSV,
 * a GTFS feed and the time-distance diagram of one line on request. */
#include "formats/readers.h"
#include "cli/cli.h"
#include "formats/timetable_out.h"
#include "model/scenario.h"
#include "plan/timetable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char timetable_usage[] =
    "usage: tumen timetable FILE... [--json] [--csv OUT.csv] [--gtfs OUTDIR [--timezone TZ]]\n"
    "                       [--plot OUT.svg|OUT.png --line A-B] [--threads N] [--step S]\n"
    "\n"
    "Runs every service of the timetable: routes it over the network with its train,\n"
    "runs it at maximum effort with its stops and dwell times from its departure, and\n"
    "prints its arrival and departure at every operational point it passes.\n"
    "\n"
    "  FILE...          the network, the trains and the timetable (tumen YAML, any order;\n"
    "                   docs/formats.md, \"Networks\" and \"Timetables\")\n"
    "  --json           print one JSON object instead of the table: name, date,\n"
    "                   services[] (id, train, category, departure_s, arrival_s,\n"
    "                   running_time_s, distance_m, energy_j, max_speed_ms,\n"
    "                   timing_points[] (op, name, position_m, arrival_s, departure_s,\n"
    "                   is_stop)); times in s after midnight\n"
    "  --csv FILE       write one row per service and operational point passed\n"
    "  --gtfs DIR       write a static GTFS feed (agency, stops, routes, trips,\n"
    "                   stop_times, calendar) into DIR, replacing the feed there\n"
    "  --timezone TZ    the GTFS agency's time zone (default UTC), e.g. Asia/Vladivostok\n"
    "  --plot FILE      write the time-distance diagram of --line (.png or .svg)\n"
    "  --line A-B       the line for --plot: the shortest path between operational\n"
    "                   points A and B (also A,B when ids hold '-')\n"
    "  --threads N      run services on N threads (default 1; same result for any N)\n"
    "  --step SECONDS   largest integration step (default 2 s)\n";

typedef struct tt_args {
    const char **files;
    size_t n_files;
    tm_timetable_options opt;
    int json;
    const char *csv, *gtfs, *timezone, *plot, *line;
} tt_args;

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "tumen timetable: %s%s%s%s\n%s", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "", timetable_usage);
    return TM_EXIT_INPUT;
}

/* Returns -1 when parsing succeeded, else the exit status. */
static int parse_args(int argc, char **argv, tt_args *a)
{
    tm_timetable_options_init(&a->opt);
    a->files = calloc((size_t)argc, sizeof *a->files);
    if (!a->files)
        return TM_EXIT_FAILURE;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int has_value = i + 1 < argc;
        const char **value = !strcmp(arg, "--csv")        ? &a->csv
                             : !strcmp(arg, "--gtfs")     ? &a->gtfs
                             : !strcmp(arg, "--timezone") ? &a->timezone
                             : !strcmp(arg, "--plot")     ? &a->plot
                             : !strcmp(arg, "--line")     ? &a->line
                                                          : NULL;
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            fputs(timetable_usage, stdout);
            return TM_EXIT_OK;
        } else if (!strcmp(arg, "--json")) {
            a->json = 1;
        } else if (value) {
            if (!has_value)
                return usage_error("this option needs a value:", arg);
            *value = argv[++i];
        } else if (!strcmp(arg, "--threads")) {
            if (!has_value)
                return usage_error("this option needs a value:", arg);
            char *end = NULL;
            long n = strtol(argv[++i], &end, 10);
            if (!end || *end || n < 1 || n > 256)
                return usage_error("--threads takes 1 to 256, not", argv[i]);
            a->opt.threads = (int)n;
        } else if (!strcmp(arg, "--step")) {
            if (!has_value)
                return usage_error("this option needs a value:", arg);
            char *end = NULL;
            double h = strtod(argv[++i], &end);
            if (!end || *end || !(h > 0.0) || h > 60.0)
                return usage_error("--step takes seconds in (0, 60], not", argv[i]);
            a->opt.run.max_step = h;
        } else if (arg[0] == '-' && arg[1]) {
            return usage_error("unknown option", arg);
        } else {
            a->files[a->n_files++] = arg;
        }
    }
    if (a->n_files == 0)
        return usage_error("no input file", NULL);
    if (a->plot && !a->line)
        return usage_error("--plot needs --line A-B", NULL);
    if (a->line && !a->plot)
        return usage_error("--line is for --plot", NULL);
    if (a->plot) {
        size_t n = strlen(a->plot);
        if (n < 5 || (strcasecmp(a->plot + n - 4, ".png") && strcasecmp(a->plot + n - 4, ".svg")))
            return usage_error("--plot takes a .png or .svg file, not", a->plot);
    }
    return -1;
}

/* Finds the two operational points of "A-B" (or "A,B"): the split where both sides are ids
 * of the network. Returns 0, or -1 with a message on stderr. */
static int parse_line(const tm_scenario *sc, const char *spec, size_t *from, size_t *to)
{
    char buf[2 * 64 + 2];
    size_t n = strlen(spec), found = 0;
    if (n >= sizeof buf) {
        fprintf(stderr, "tumen timetable: --line '%s' is too long\n", spec);
        return -1;
    }
    for (size_t k = 1; k + 1 < n; k++) {
        if (spec[k] != '-' && spec[k] != ',')
            continue;
        memcpy(buf, spec, n + 1);
        buf[k] = '\0';
        size_t a = tm_network_find_op(&sc->network, buf);
        size_t b = tm_network_find_op(&sc->network, buf + k + 1);
        if (a != (size_t)-1 && b != (size_t)-1) {
            *from = a;
            *to = b;
            found++;
        }
    }
    if (found == 1)
        return 0;
    fprintf(stderr,
            found ? "tumen timetable: --line '%s' splits into operational points in more "
                    "than one way: write it as A,B\n"
                  : "tumen timetable: --line '%s' is not two operational points of the "
                    "network joined by '-' or ','\n",
            spec);
    return -1;
}

static void clock_or_blank(double t, int show, char *buf, size_t size)
{
    if (show)
        tm_clock_text(t, buf, size);
    else
        buf[0] = '\0';
}

static void print_table(const tm_scenario *sc, const tm_timetable_result *r)
{
    const tm_timetable *tt = r->timetable;
    char a[16], d[16], dur[32];
    if (tt->name[0])
        printf("%s%s%s\n\n", tt->name, tt->date[0] ? ", " : "", tt->date);
    for (size_t i = 0; i < r->n_runs; i++) {
        const tm_service *svc = &tt->services[i];
        const tm_service_run *run = &r->runs[i];
        const tm_op *o = &sc->network.ops[run->points[0].op];
        const tm_op *e = &sc->network.ops[run->points[run->n_points - 1].op];
        tm_cli_duration(run->running_time, dur, sizeof dur);
        printf("%s  %s, %s: %s %s -> %s %s, %s, %.1f km, %.1f kWh\n", svc->id,
               tm_category_name(svc->category), sc->trains[svc->train].id, o->id,
               tm_clock_text(run->departure, d, sizeof d), e->id,
               tm_clock_text(run->arrival, a, sizeof a), dur, run->distance / 1000.0,
               run->energy / 3.6e6);
        for (size_t k = 0; k < run->n_points; k++) {
            const tm_service_point *p = &run->points[k];
            const tm_op *op = &sc->network.ops[p->op];
            int first = k == 0, last = k + 1 == run->n_points;
            clock_or_blank(p->arrival, !first, a, sizeof a);
            clock_or_blank(p->departure, !last && (p->is_stop || first), d, sizeof d);
            printf("    %-8.8s %-22.22s %8.1f  %8s  %8s\n", op->id,
                   op->name[0] ? op->name : op->id, p->position / 1000.0, a,
                   !last && !p->is_stop && !first ? "|" : d);
        }
    }
}

static int print_json(const tm_scenario *sc, const tm_timetable_result *r)
{
    json_t *doc = tm_timetable_to_json(sc, r);
    if (!doc) {
        fprintf(stderr, "tumen: out of memory\n");
        return TM_EXIT_FAILURE;
    }
    int rc = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                         JSON_REAL_PRECISION(15));
    json_decref(doc);
    putchar('\n');
    return rc == 0 ? TM_EXIT_OK : TM_EXIT_FAILURE;
}

static int write_outputs(const tt_args *a, const tm_scenario *sc,
                         const tm_timetable_result *r, size_t from, size_t to,
                         tumen_error *err)
{
    if (a->csv && tm_timetable_write_csv(sc, r, a->csv, err) != TUMEN_OK)
        return err->code;
    if (a->gtfs && tm_timetable_write_gtfs(sc, r, a->gtfs, a->timezone, err) != TUMEN_OK)
        return err->code;
    if (a->plot && tm_timetable_write_graph(sc, r, from, to, a->plot, err) != TUMEN_OK)
        return err->code;
    return TUMEN_OK;
}

/* `tumen timetable`: see timetable_usage. Returns the exit status. */
int tm_cmd_timetable(int argc, char **argv)
{
    tt_args a;
    memset(&a, 0, sizeof a);
    int status = parse_args(argc, argv, &a);
    if (status >= 0) {
        free(a.files);
        return status;
    }
    tumen_error err = {0};
    tm_scenario *sc = NULL;
    tm_timetable_result r;
    memset(&r, 0, sizeof r);
    size_t from = 0, to = 0;
    a.opt.keep_samples = a.plot != NULL; /* the diagram draws the trajectories */
    if (tm_scenario_load(&sc, a.files, a.n_files, &err) != TUMEN_OK) {
        status = tm_cli_fail(&err);
    } else if (sc->timetable.n_services == 0) {
        fprintf(stderr, "tumen timetable: the files give no timetable (a `timetable:` with "
                        "services; docs/formats.md)\n");
        status = TM_EXIT_INPUT;
    } else if (a.line && parse_line(sc, a.line, &from, &to) != 0) {
        status = TM_EXIT_INPUT;
    } else if (tm_timetable_run(sc, NULL, &a.opt, &r, &err) != TUMEN_OK ||
               write_outputs(&a, sc, &r, from, to, &err) != TUMEN_OK) {
        status = tm_cli_fail(&err);
    } else {
        status = a.json ? print_json(sc, &r) : (print_table(sc, &r), TM_EXIT_OK);
    }
    tm_timetable_result_free(&r);
    tm_scenario_free(sc);
    free(a.files);
    return status;
}
