/* cmd_gen.c: `tumen gen network`: a synthetic national network, its rolling stock and a
 * day's timetable, for tests and benchmarks at scale. */
#include "cli/cli.h"

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

/* The generator's options from the arguments; -1, or the exit status of a usage error. */
static int options_of(const tm_cli_command *c, const char *km, const char *trains,
                      const char *seed, tumen_gen_options *o)
{
    unsigned long long u;
    tumen_gen_options_init(o);
    if (km && (tm_cli_number(km, &o->km) || !(o->km >= TUMEN_GEN_MIN_KM &&
                                               o->km <= TUMEN_GEN_MAX_KM)))
        return tm_cli_usage(c, "--km takes a length in km from 50 to 100000, not", km);
    if (trains && (parse_u64(trains, &u) || u < 1 || u > TUMEN_GEN_MAX_SERVICES))
        return tm_cli_usage(c, "--trains takes a count from 1 to 1000000, not", trains);
    if (trains)
        o->services = (size_t)u;
    if (seed && parse_u64(seed, &u))
        return tm_cli_usage(c, "--seed takes an unsigned 64-bit integer, not", seed);
    if (seed)
        o->seed = (uint64_t)u;
    return -1;
}

static void report(const char *dir, const tumen_gen_stats *st)
{
    printf("%s/network.yaml: %zu operational points, %zu tracks on %zu lines, %.3f km of "
           "track (main lines %.3f km, branches %.3f km), %zu sections, %zu signals "
           "(%zu YAML nodes)\n",
           dir, st->ops, st->tracks, st->lines, st->track_km, st->main_km, st->branch_km,
           st->sections, st->signals, st->network_nodes);
    printf("%s/trains.yaml: %zu vehicles, %zu trains\n", dir, st->vehicles, st->trains);
    printf("%s/timetable.yaml: %zu services (%zu YAML nodes)\n", dir, st->services,
           st->timetable_nodes);
}

/* `tumen gen network ...`: parses the options, creates the folder and writes the files;
 * returns the exit status (2 for bad usage, nothing written then). */
int tm_cmd_gen(int argc, char **argv)
{
    const char *km = NULL, *trains = NULL, *seed = NULL, *dir = NULL;
    const char *value = "this option needs a value:";
    const tm_cli_option options[] = {
        {"--km", NULL, TM_CLI_VALUE, &km, value},
        {"--trains", NULL, TM_CLI_VALUE, &trains, value},
        {"--seed", NULL, TM_CLI_VALUE, &seed, value},
        {"--output", "-o", TM_CLI_VALUE, &dir, "this option needs a folder:"},
    };
    const tm_cli_command c = {"gen", gen_usage, options, sizeof options / sizeof *options,
                              "unknown option", NULL};
    if (argc < 2)
        return tm_cli_usage(&c, "what to generate? (network)", NULL);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(gen_usage, stdout);
        return TM_EXIT_OK;
    }
    if (strcmp(argv[1], "network"))
        return tm_cli_usage(&c, "unknown thing to generate (network):", argv[1]);
    tumen_gen_options o;
    int status = tm_cli_parse(&c, argc - 1, argv + 1);
    if (status < 0)
        status = options_of(&c, km, trains, seed, &o);
    if (status < 0 && (!dir || !dir[0]))
        status = tm_cli_usage(&c, "no output folder (-o DIR)", NULL);
    if (status >= 0)
        return status;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "tumen gen: cannot create folder '%s': %s\n", dir, strerror(errno));
        return TM_EXIT_FAILURE;
    }
    tumen_gen_stats st;
    st.size = sizeof st;
    tumen_error err = {0};
    if (tumen_gen_network(&o, dir, &st, &err) != TUMEN_OK)
        return tm_cli_fail(&err);
    report(dir, &st);
    return TM_EXIT_OK;
}
