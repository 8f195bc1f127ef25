/* cmd_gen.c: `tumen gen network`: a synthetic national network, its rolling stock and a
 * day's timetable, for tests and benchmarks at scale. */
#include "cli/cli.h"
#include "gen/gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char gen_usage[] =
    "usage: tumen gen network [--km KM] [--trains N] [--seed S] -o DIR\n"
    "\n"
    "Generates a synthetic, realistic national railway and writes three tumen YAML files\n"
    "(docs/formats.md) into DIR (created if missing):\n"
    "  network.yaml    a backbone of double-track electrified main lines (120-160 km/h)\n"
    "                  between cities; single-track diesel branches (60-100 km/h) with\n"
    "                  passing loops every 8-15 km; junctions, stations every 5-20 km,\n"
    "                  termini; gradient sections of 0.5-5 km within +-12 permille that\n"
    "                  follow an elevation walk; lower limits through stations and curves;\n"
    "                  block signals every 1.5-3 km; latitude/longitude positions\n"
    "  trains.yaml     synthetic vehicles and consists: electric and diesel multiple units,\n"
    "                  an electric locomotive with coaches, heavy diesel and electric freight\n"
    "  timetable.yaml  a day of N services: regional trains on main lines and branches,\n"
    "                  long-distance trains on the backbone, freight everywhere; each route\n"
    "                  lists every operational point passed; stops with minimum dwells\n"
    "\n"
    "  --km KM        total track length, km (each track counted once; default 5000,\n"
    "                 50 to 100000)\n"
    "  --trains N     services in the timetable (default 10000, 1 to 1000000)\n"
    "  --seed S       seed, an unsigned 64-bit integer (default 1); the same seed gives\n"
    "                 byte-identical files on any machine\n"
    "  -o, --output DIR  the folder to write into\n"
    "\n"
    "Every value is synthetic. Each file is written whole or not at all.\n";

/* Prints "tumen gen: <what> '<arg>'" and the usage; returns the usage exit status. */
static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "tumen gen: %s%s%s%s\n%s", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "", gen_usage);
    return TM_EXIT_INPUT;
}

/* Parses a decimal unsigned integer that fills the whole text; 0 ok, -1 otherwise. */
static int parse_u64(const char *text, unsigned long long *out)
{
    if (!text[0] || text[0] == '-' || text[0] == '+')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || !end || *end)
        return -1;
    *out = v;
    return 0;
}

/* `tumen gen network ...`: parses the options, creates the folder and writes the files;
 * returns the exit status (2 for bad usage, nothing written then). */
int tm_cmd_gen(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("what to generate? (network)", NULL);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(gen_usage, stdout);
        return TM_EXIT_OK;
    }
    if (strcmp(argv[1], "network"))
        return usage_error("unknown thing to generate (network):", argv[1]);
    tm_gen_options o = {5000.0, 10000, 1};
    const char *dir = NULL;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        int has_value = i + 1 < argc;
        unsigned long long u;
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            fputs(gen_usage, stdout);
            return TM_EXIT_OK;
        } else if (!strcmp(arg, "--km")) {
            if (!has_value)
                return usage_error("this option needs a value:", arg);
            char *end = NULL;
            double km = strtod(argv[++i], &end);
            if (!end || *end || !(km >= TM_GEN_MIN_KM && km <= TM_GEN_MAX_KM))
                return usage_error("--km takes a length in km from 50 to 100000, not", argv[i]);
            o.km = km;
        } else if (!strcmp(arg, "--trains")) {
            if (!has_value)
                return usage_error("this option needs a value:", arg);
            if (parse_u64(argv[++i], &u) || u < 1 || u > TM_GEN_MAX_SERVICES)
                return usage_error("--trains takes a count from 1 to 1000000, not", argv[i]);
            o.services = (size_t)u;
        } else if (!strcmp(arg, "--seed")) {
            if (!has_value)
                return usage_error("this option needs a value:", arg);
            if (parse_u64(argv[++i], &u))
                return usage_error("--seed takes an unsigned 64-bit integer, not", argv[i]);
            o.seed = (uint64_t)u;
        } else if (!strcmp(arg, "-o") || !strcmp(arg, "--output")) {
            if (!has_value)
                return usage_error("this option needs a folder:", arg);
            dir = argv[++i];
        } else {
            return usage_error("unknown option", arg);
        }
    }
    if (!dir || !dir[0])
        return usage_error("no output folder (-o DIR)", NULL);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "tumen gen: cannot create folder '%s': %s\n", dir, strerror(errno));
        return TM_EXIT_FAILURE;
    }
    tm_gen_stats st;
    tumen_error err = {0};
    if (tm_gen_network(&o, dir, &st, &err) != TUMEN_OK)
        return tm_cli_fail(&err);
    printf("%s/network.yaml: %zu operational points, %zu tracks on %zu lines, %.3f km of "
           "track (main lines %.3f km, branches %.3f km), %zu sections, %zu signals "
           "(%zu YAML nodes)\n",
           dir, st.n_ops, st.n_tracks, st.n_lines, st.track_km, st.main_km, st.branch_km,
           st.n_sections, st.n_signals, st.network_nodes);
    printf("%s/trains.yaml: %zu vehicles, %zu trains\n", dir, st.n_vehicles, st.n_trains);
    printf("%s/timetable.yaml: %zu services (%zu YAML nodes)\n", dir, st.n_services,
           st.timetable_nodes);
    return TM_EXIT_OK;
}
