/* cmd_simulate.c: `tumen simulate FILE...`: many simulated days of a timetable with random
 * primary delays, spread over its blocking times (docs/simulate.md). On tumen.h only.
 *
 * Under mpirun (Open MPI sets OMPI_COMM_WORLD_SIZE, PMIx sets PMIX_RANK) the replications
 * are spread over the ranks: rank r runs r, r + K, ...; the integer counters are summed on
 * rank 0 (MPI_Reduce, MPI_SUM), which alone prints and writes. Started without mpirun the
 * same binary never initialises MPI and runs every replication itself. The result is the
 * same bytes either way (the counters are integers and each replication's random numbers
 * depend only on the seed and its number).
 */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef TUMEN_HAVE_MPI
#include <mpi.h>
#endif

static const char simulate_usage[] =
    "usage: tumen simulate FILE... --replications N [--seed S] [--threads T] [--json]\n"
    "                      [--out DIR] [--plot FILE] [--no-delays] [--dispatch RULE]\n"
    "                      [--baseline FILE]... [--replication K] [--diagram FILE]\n"
    "                      [--line A-B]\n"
    "\n"
    "Simulates N days of the timetable: each day draws primary delays (the files' `delays:`,\n"
    "else the documented defaults: docs/simulate.md) and spreads them over the blocking\n"
    "times: a train enters a block, single-track section or station track only when it is\n"
    "free; a late train recovers its running-time allowance by running at the minimum time.\n"
    "Prints punctuality at the destination (share within 1, 3, 5, 15 min) and delay\n"
    "percentiles per category, primary and knock-on delay, per station and line, and the\n"
    "trains and blocks that spread the most delay.\n"
    "\n"
    "  --replications N  simulated days (default 100)\n"
    "  --seed S          random seed (default 1): the same seed gives the same bytes on any\n"
    "                    number of threads or MPI ranks\n"
    "  --threads T       worker threads, also reading the files (default 1)\n"
    "  --dispatch RULE   fcfs | timetable (default) | priority (special, passenger, freight)\n"
    "  --no-delays       no primary delays: the planned day\n"
    "  --baseline FILE   the day without the special (repeat for each file of it, e.g. the\n"
    "                    network, trains and the timetable before `tumen special`): adds\n"
    "                    `baseline` with the delay the special adds, on the same random\n"
    "                    streams (common random numbers)\n"
    "  --json            one JSON object on stdout instead of the text report\n"
    "  --out DIR         also write punctuality.csv, stations.csv, lines.csv, trains.csv,\n"
    "                    blocks.csv there\n"
    "  --plot FILE       the delay distribution per category (.png or .svg)\n"
    "  --replication K   report simulated day K (0 to N - 1) in full: every train's planned\n"
    "                    and actual times at each point (`replication` in --json,\n"
    "                    replication.csv in --out)\n"
    "  --diagram FILE    the time-distance diagram of day K (--replication, default 0):\n"
    "                    actual times over the plan drawn faint (.png or .svg)\n"
    "  --line A-B        the line of --diagram (default: the longest service's route)\n"
    "\n"
    "Many processes: mpirun -np K tumen simulate ... spreads the days over K ranks.\n";

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "tumen simulate: %s%s%s%s\n%s", what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "", simulate_usage);
    return TM_EXIT_INPUT;
}

typedef struct args {
    const char **files, **baseline;
    size_t n_files, n_baseline;
    const char *out, *plot, *diagram, *line;
    int json;
    tumen_simulate_options opt;
} args;

static int parse_count(const char *text, unsigned long long lo, unsigned long long hi,
                       unsigned long long *out)
{
    char *end = NULL;
    if (!text[0] || text[0] == '-')
        return -1;
    unsigned long long v = strtoull(text, &end, 10);
    if (!end || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, args *a)
{
    tumen_simulate_options_init(&a->opt);
    for (int i = 1; i < argc; i++) {
        int has_value = i + 1 < argc;
        unsigned long long v;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(simulate_usage, stdout);
            return TM_EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            a->json = 1;
        } else if (!strcmp(argv[i], "--no-delays")) {
            a->opt.no_delays = 1;
        } else if (!strcmp(argv[i], "--replications") && has_value) {
            if (parse_count(argv[++i], 1, 100000000ULL, &a->opt.replications))
                return usage_error("--replications takes 1 to 100000000, not", argv[i]);
        } else if (!strcmp(argv[i], "--seed") && has_value) {
            if (parse_count(argv[++i], 0, ~0ULL, &a->opt.seed))
                return usage_error("--seed takes a whole number >= 0, not", argv[i]);
        } else if (!strcmp(argv[i], "--threads") && has_value) {
            if (parse_count(argv[++i], 1, 256, &v))
                return usage_error("--threads takes 1 to 256, not", argv[i]);
            a->opt.common.threads = (int)v;
        } else if (!strcmp(argv[i], "--dispatch") && has_value) {
            tumen_error err = {0};
            if (tumen_dispatch_parse(argv[++i], &a->opt.dispatch, &err) != TUMEN_OK)
                return usage_error("--dispatch takes fcfs, timetable or priority, not", argv[i]);
        } else if (!strcmp(argv[i], "--baseline") && has_value) {
            a->baseline[a->n_baseline++] = argv[++i];
        } else if (!strcmp(argv[i], "--out") && has_value) {
            a->out = argv[++i];
        } else if (!strcmp(argv[i], "--plot") && has_value) {
            a->plot = argv[++i];
        } else if (!strcmp(argv[i], "--replication") && has_value) {
            if (parse_count(argv[++i], 0, 100000000ULL, &v))
                return usage_error("--replication takes a day 0 to N - 1, not", argv[i]);
            a->opt.replication = (long long)v;
        } else if (!strcmp(argv[i], "--diagram") && has_value) {
            a->diagram = argv[++i];
        } else if (!strcmp(argv[i], "--line") && has_value) {
            a->line = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error("unknown option or missing value:", argv[i]);
        } else {
            a->files[a->n_files++] = argv[i];
        }
    }
    if (!a->n_files)
        return usage_error("no input file", NULL);
    if (a->plot && !tm_cli_has_ext(a->plot, ".png", 0) && !tm_cli_has_ext(a->plot, ".svg", 0))
        return usage_error("--plot must end in .png or .svg:", a->plot);
    if (a->diagram && !tm_cli_has_ext(a->diagram, ".png", 0) &&
        !tm_cli_has_ext(a->diagram, ".svg", 0))
        return usage_error("--diagram must end in .png or .svg:", a->diagram);
    if (a->line && !a->diagram)
        return usage_error("--line is for --diagram", NULL);
    if (a->opt.replication >= 0 && (unsigned long long)a->opt.replication >= a->opt.replications)
        return usage_error("--replication must be below --replications:", "K");
    return -1;
}

/* ---- Progress on a terminal ---------------------------------------------------------- */

typedef struct bar {
    struct timespec start;
    double last;
} bar;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static int show_progress(void *ctx, size_t done, size_t total)
{
    bar *b = ctx;
    double t = since(&b->start);
    if (done < total && t - b->last < 0.2)
        return 0;
    b->last = t;
    double rate = t > 0.0 ? (double)done / t : 0.0;
    char left[32];
    tm_cli_duration(rate > 0.0 ? (double)(total - done) / rate : 0.0, left, sizeof left);
    int width = 30, filled = total ? (int)(width * done / total) : width;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu replications, %.1f/s, %s left ", filled,
            "##############################", width - filled, "", done, total, rate, left);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
    return 0;
}

/* ---- MPI, when launched by mpirun ------------------------------------------------------ */

typedef struct ranks {
    int rank, size, active;
} ranks;

static void ranks_start(ranks *r, int *argc, char ***argv)
{
    r->rank = 0;
    r->size = 1;
    r->active = 0;
#ifdef TUMEN_HAVE_MPI
    if (getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_SIZE")) {
        MPI_Init(argc, argv);
        MPI_Comm_rank(MPI_COMM_WORLD, &r->rank);
        MPI_Comm_size(MPI_COMM_WORLD, &r->size);
        r->active = 1;
    }
#else
    (void)argc;
    (void)argv;
#endif
}

/* The worst status over all ranks (so all take the same way out). */
static int ranks_status(const ranks *r, int status)
{
#ifdef TUMEN_HAVE_MPI
    if (r->active) {
        int worst = 0;
        MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        return worst;
    }
#endif
    (void)r;
    return status;
}

/* Sums every rank's counters into rank 0's. */
static void ranks_merge(const ranks *r, tumen_simulation *sim)
{
#ifdef TUMEN_HAVE_MPI
    if (r->active && r->size > 1) {
        size_t n = 0;
        long long *c = tumen_simulation_counters(sim, &n);
        if (r->rank == 0)
            MPI_Reduce(MPI_IN_PLACE, c, (int)n, MPI_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
        else
            MPI_Reduce(c, NULL, (int)n, MPI_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    }
#else
    (void)r;
    (void)sim;
#endif
}

static void ranks_end(const ranks *r)
{
#ifdef TUMEN_HAVE_MPI
    if (r->active)
        MPI_Finalize();
#else
    (void)r;
#endif
}

/* ---- The command ------------------------------------------------------------------- */

static int load(const char **files, size_t n, int threads, tumen_scenario **sc, int quiet)
{
    tumen_error err = {0};
    if (tumen_scenario_load_threads(sc, files, n, threads, &err) == TUMEN_OK)
        return TM_EXIT_OK;
    return quiet ? 2 : tm_cli_fail(&err);
}

static int outputs(const args *a, const tumen_scenario *sc, const tumen_simulation *sim)
{
    tumen_error err = {0};
    char *text = NULL;
    size_t length = 0;
    if (a->out && tumen_simulation_write_csv(sim, a->out, &err) != TUMEN_OK)
        return tm_cli_fail(&err);
    if (a->plot && tumen_simulation_plot(sim, a->plot, &err) != TUMEN_OK)
        return tm_cli_fail(&err);
    if (a->diagram) {
        size_t from = TUMEN_NPOS, to = TUMEN_NPOS;
        unsigned long long k = a->opt.replication >= 0 ? (unsigned long long)a->opt.replication : 0;
        if ((a->line && tumen_scenario_parse_line(sc, a->line, &from, &to, &err) != TUMEN_OK) ||
            tumen_simulation_write_diagram(sim, k, from, to, a->diagram, &err) != TUMEN_OK)
            return tm_cli_fail(&err);
    }
    int rc = a->json ? tumen_simulation_json(sim, &text, &length, &err)
                     : tumen_simulation_text(sim, &text, &length, &err);
    return tm_cli_print(rc, text, length, &err);
}

static int simulate(args *a, const ranks *rk)
{
    tumen_scenario *sc = NULL, *base = NULL;
    int quiet = rk->rank != 0; /* one rank speaks; every rank meets the same error */
    int status = load(a->files, a->n_files, a->opt.common.threads, &sc, quiet);
    if (status == TM_EXIT_OK && a->n_baseline)
        status = load(a->baseline, a->n_baseline, a->opt.common.threads, &base, quiet);
    status = ranks_status(rk, status);
    tumen_simulation *sim = NULL;
    if (status == TM_EXIT_OK) {
        bar b = {{0, 0}, -1.0};
        clock_gettime(CLOCK_MONOTONIC, &b.start);
        a->opt.baseline = base;
        a->opt.first = (unsigned long long)rk->rank;
        a->opt.stride = (unsigned long long)rk->size;
        if (rk->rank == 0 && isatty(STDERR_FILENO)) {
            a->opt.common.progress = show_progress;
            a->opt.common.user = &b;
        }
        tumen_error err = {0};
        int rc = tumen_simulation_run(sc, &a->opt, &sim, &err);
        status = rc == TUMEN_OK ? TM_EXIT_OK : quiet ? 2 : tm_cli_fail(&err);
        status = ranks_status(rk, status);
    }
    if (status == TM_EXIT_OK) {
        ranks_merge(rk, sim);
        if (rk->rank == 0)
            status = outputs(a, sc, sim);
    }
    tumen_simulation_destroy(sim);
    tumen_scenario_destroy(base);
    tumen_scenario_destroy(sc);
    return status;
}

int tm_cmd_simulate(int argc, char **argv)
{
    args a;
    memset(&a, 0, sizeof a);
    a.files = calloc((size_t)argc + 1, sizeof *a.files);
    a.baseline = calloc((size_t)argc + 1, sizeof *a.baseline);
    int status = a.files && a.baseline ? parse(argc, argv, &a) : TM_EXIT_FAILURE;
    if (status < 0) {
        ranks rk;
        ranks_start(&rk, &argc, &argv);
        status = simulate(&a, &rk);
        ranks_end(&rk);
    }
    free(a.files);
    free(a.baseline);
    return status;
}
