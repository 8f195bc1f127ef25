/* cmd_special.c: `tumen special FILE... [--mode fit|priority] [--json]
 * [--out-timetable OUT]`: a clear, secure path for a special train through a timetable. */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/scenario.h"
#include "plan/special_plan.h"

static const char help[] =
    "usage: tumen special FILE... [--mode fit|priority] [--json] [--out-timetable OUT]\n"
    "\n"
    "FILE...: the network, the trains, the timetable and the request (special:).\n"
    "  --mode fit        leave every other train as planned; the earliest clear path\n"
    "  --mode priority   the special runs as fast as it can; others are held or cancelled\n"
    "  --json            the plan as JSON\n"
    "  --out-timetable   write the whole new timetable (timetable YAML)\n";

static void print_run(const tumen_scenario *sc, const tm_special_run *r, const char *what)
{
    printf("\n%s %s (%s)\n", what, r->id, sc->trains[r->train].id);
    for (size_t i = 0; i < r->n_calls; i++) {
        const tm_special_call *c = &r->calls[i];
        char a[32], d[32], w[32] = "";
        tm_cli_duration(c->arrival, a, sizeof a);
        tm_cli_duration(c->departure, d, sizeof d);
        if (c->stop && i > 0 && i + 1 < r->n_calls)
            tm_cli_duration(c->departure - c->arrival, w, sizeof w);
        if (c->stop || i == 0 || i + 1 == r->n_calls)
            printf("  %-24s %10s %10s %10s\n", sc->network.ops[c->op].name,
                   i ? a : "", i + 1 < r->n_calls ? d : "", w);
    }
}

int tm_cmd_special(int argc, char **argv)
{
    const char *files[64], *out_tt = NULL;
    size_t nf = 0;
    int json = 0;
    tm_special_options opt = {-1, 1};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(help, stdout);
            return TM_EXIT_OK;
        } else if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--mode") && i + 1 < argc) {
            i++;
            if (!strcmp(argv[i], "fit"))
                opt.mode = TM_SPECIAL_FIT;
            else if (!strcmp(argv[i], "priority"))
                opt.mode = TM_SPECIAL_PRIORITY;
            else {
                fprintf(stderr, "tumen special: --mode takes fit or priority\n");
                return TM_EXIT_INPUT;
            }
        } else if (!strcmp(argv[i], "--out-timetable") && i + 1 < argc)
            out_tt = argv[++i];
        else if (argv[i][0] == '-' || nf == 64) {
            fprintf(stderr, "tumen special: unknown option '%s'\n%s", argv[i], help);
            return TM_EXIT_INPUT;
        } else
            files[nf++] = argv[i];
    }
    if (!nf) {
        fputs(help, stderr);
        return TM_EXIT_INPUT;
    }
    tumen_error err;
    memset(&err, 0, sizeof err);
    tumen_scenario *sc = NULL;
    if (tumen_scenario_load(&sc, files, nf, &err) != TUMEN_OK)
        return tm_cli_fail(&err);
    tm_special_result r;
    int rc = tm_special_plan(sc, &opt, &r, &err);
    if (rc != TUMEN_OK) {
        int st = tm_cli_fail(&err);
        tumen_scenario_destroy(sc);
        return st;
    }
    if (out_tt && tm_special_write_timetable(sc, &r.timetable, out_tt, &err) != TUMEN_OK) {
        int st = tm_cli_fail(&err);
        tm_special_result_free(&r);
        tumen_scenario_destroy(sc);
        return st;
    }
    static const char *cats[] = {"passenger", "freight", "special"};
    if (json) {
        printf("{\"mode\": \"%s\", \"departure_s\": %.3f, \"arrival_s\": %.3f, "
               "\"fastest_s\": %.3f, \"cost\": %.3f, \"exact\": %d, \"changes\": [",
               r.mode ? "priority" : "fit", r.departure, r.arrival, r.fastest, r.cost, r.exact);
        for (size_t i = 0; i < r.n_changes; i++) {
            const tm_special_change *c = &r.changes[i];
            printf("%s{\"service\": \"%s\", \"cancelled\": %s, \"at\": \"%s\", \"delay_s\": %.3f}",
                   i ? ", " : "", sc->timetable.services[c->service].id,
                   c->cancelled ? "true" : "false",
                   c->cancelled ? "" : sc->network.ops[c->op].id, c->delay);
        }
        printf("]}\n");
    } else {
        char a[32], d[32], f[32];
        tm_cli_duration(r.departure, d, sizeof d);
        tm_cli_duration(r.arrival, a, sizeof a);
        tm_cli_duration(r.fastest, f, sizeof f);
        printf("special %s, mode %s: departs %s, arrives %s (fastest run alone %s)\n",
               sc->special->id, r.mode ? "priority" : "fit", d, a, f);
        static const char *what[3] = {"pilot", "special", "escort"};
        for (int w = 0; w < 3; w++)
            if (r.present[w])
                print_run(sc, &r.runs[w], what[w]);
        printf("\ndisruption: %zu trains changed\n", r.n_changes);
        for (size_t i = 0; i < r.n_changes; i++) {
            const tm_special_change *c = &r.changes[i];
            char dl[32];
            tm_cli_duration(c->delay, dl, sizeof dl);
            if (c->cancelled)
                printf("  %-12s cancelled\n", sc->timetable.services[c->service].id);
            else
                printf("  %-12s held %s at %s\n", sc->timetable.services[c->service].id, dl,
                       sc->network.ops[c->op].name);
        }
        for (int k = 0; k < 3; k++)
            if (r.delay_s[k] > 0 || r.cancelled[k])
                printf("  %s: %.1f delay-minutes, %zu cancelled\n", cats[k], r.delay_s[k] / 60.0,
                       r.cancelled[k]);
        if (r.mode == TM_SPECIAL_PRIORITY)
            printf("  total cost %.1f (%s)\n", r.cost, r.exact ? "least cost, exact" : "bound");
    }
    tm_special_result_free(&r);
    tumen_scenario_destroy(sc);
    return TM_EXIT_OK;
}
