/* main.c: `tumen <command>`: dispatch and help. The commands' shared helpers (options,
 * error reporting) are in args.c, below every command. */
#include "cli/cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char overview[] =
    "tumen " TUMEN_VERSION ": railway running times from physics\n"
    "\n"
    "usage: tumen <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE...       run a journey, or a train over a line, and print its timetable\n"
    "  braking FILE...   brake percentage of each train and the highest speed it may run\n"
    "                    within each line's braking distance (why 60 km/h)\n"
    "  route FILE...     the fastest route a train may run over the network (gauge,\n"
    "                    traction, axle load, loop length; bogie exchange, locomotive\n"
    "                    change), or why there is none; --run runs it\n"
    "  gen network       write a synthetic national network, rolling stock and a day's\n"
    "                    timetable (tumen gen --help)\n"
    "  timetable FILE... run every service of a timetable over the network: arrival and\n"
    "                    departure at every point; JSON, CSV, GTFS, time-distance diagram\n"
    "  special FILE...   a clear, secure path for a special train through a timetable\n"
    "  import FILE       railML 2/3, OSRD railjson and rolling stock, OpenStreetMap XML/PBF\n"
    "                    into a tumen network (-o NETWORK.yaml) and the counts it held\n"
    "  export FILE...    the network (and timetable) as railML 2.4 or GeoJSON\n"
    "  conflicts FILE... pairs of trains whose blocking times overlap, and where\n"
    "  headway FILE...   minimum headway of two trains on a line, and the block deciding it\n"
    "  capacity FILE...  occupancy of a line in a time window (UIC 406 compression)\n"
    "  simulate FILE...  Monte-Carlo days with random delays: punctuality, knock-on delay\n"
    "  serve             the planning service: HTTP API and web page over one store\n"
    "  help [COMMAND]    this text, or a command's\n"
    "\n"
    "FILE is tumen YAML or railtoolkit YAML (TrainRuns.jl); see docs/formats.md.\n"
    "Several files form one scenario: e.g. a train file and a path file.\n"
    "\n"
    "exit status: 0 ok; 1 failure (memory, cannot write an output);\n"
    "             2 bad input or usage (the message names file, line and field; nothing\n"
    "               is written); 3 the train cannot run the line (it stalls).\n";

/* LeakSanitizer (sanitizer builds only read this): fontconfig, under cairo's text, keeps
 * its caches for the life of the process; that is not a leak of ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

static int dispatch(const char *cmd, int argc, char **argv)
{
    if (!strcmp(cmd, "run"))
        return tm_cmd_run(argc, argv);
    if (!strcmp(cmd, "braking"))
        return tm_cmd_braking(argc, argv);
    if (!strcmp(cmd, "conflicts"))
        return tm_cmd_conflicts(argc, argv);
    if (!strcmp(cmd, "headway"))
        return tm_cmd_headway(argc, argv);
    if (!strcmp(cmd, "capacity"))
        return tm_cmd_capacity(argc, argv);
    if (!strcmp(cmd, "import"))
        return tm_cmd_import(argc, argv);
    if (!strcmp(cmd, "export"))
        return tm_cmd_export(argc, argv);
    if (!strcmp(cmd, "special"))
        return tm_cmd_special(argc, argv);
    if (!strcmp(cmd, "route"))
        return tm_cmd_route(argc, argv);
    if (!strcmp(cmd, "timetable"))
        return tm_cmd_timetable(argc, argv);
    if (!strcmp(cmd, "simulate"))
        return tm_cmd_simulate(argc, argv);
    if (!strcmp(cmd, "gen"))
        return tm_cmd_gen(argc, argv);
    if (!strcmp(cmd, "serve"))
        return tm_cmd_serve(argc, argv);
    fprintf(stderr, "tumen: unknown command '%s' (try 'tumen --help')\n", cmd);
    return TM_EXIT_INPUT;
}

/* SIGINT, SIGTERM, SIGHUP: the output being written is removed, then the signal ends the
 * program as it would have (exit status 128 + signal). Outputs not yet begun are never
 * created; those already committed are whole. */
static void on_signal(int sig)
{
    tumen_remove_pending_outputs();
    signal(sig, SIG_DFL);
    raise(sig);
}

int main(int argc, char **argv)
{
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(stops[i], &sa, NULL);
    }
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(overview, argc < 2 ? stderr : stdout);
        return argc < 2 ? TM_EXIT_INPUT : TM_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        puts("tumen " TUMEN_VERSION);
        return TM_EXIT_OK;
    }
    if (!strcmp(argv[1], "help")) {
        if (argc < 3) {
            fputs(overview, stdout);
            return TM_EXIT_OK;
        }
        char help[] = "--help";
        char *help_argv[] = {argv[2], help, NULL};
        return dispatch(argv[2], 2, help_argv);
    }
    return dispatch(argv[1], argc - 1, argv + 1);
}
