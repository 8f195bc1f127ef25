/* cmd_special.c: `tumen special FILE... [--mode fit|priority] [--json]
 * [--out-timetable OUT] [--plot OUT.svg|png]`: a clear, secure path for a special train
 * through a timetable (docs/special.md). */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "formats/timetable_out.h"
#include "model/scenario.h"
#include "plan/special_plan.h"
#include "formats/special_write.h"
#include "formats/security_write.h"
#include "plan/timetable.h"

static const char help[] =
    "usage: tumen special FILE... [--mode fit|priority] [--json] [--out-timetable OUT]\n"
    "                             [--plot OUT.svg|OUT.png] [--threads N]\n"
    "                             [--security-schedule OUT.json|OUT.csv]\n"
    "\n"
    "FILE...: the network, the trains, the timetable and the request (special:;\n"
    "docs/formats.md, \"Special train requests\"; the search: docs/special.md).\n"
    "  --mode fit        leave every other train as planned; the earliest clear path\n"
    "  --mode priority   the special runs as fast as it can; others are held or cancelled\n"
    "                    at the least cost (default: the request's mode, else fit)\n"
    "  --json            the plan as JSON\n"
    "  --out-timetable   write the whole new timetable (timetable YAML: the others as\n"
    "                    retimed, cancelled ones left out, and the convoy's trains)\n"
    "  --plot            the time-distance diagram of the special's route, its corridor\n"
    "                    shaded\n"
    "  --threads N       run the timetable on N threads (default 1; same result)\n"
    "  --security-schedule  write the route security schedule (JSON or CSV by the\n"
    "                    extension): each protected object, its guard, closure and\n"
    "                    power-off windows and the trains held (docs/special.md)\n"
    "\n"
    "Exit status: 0 a plan; 2 bad input or usage (file:line: field: why; nothing written);\n"
    "3 the request cannot be met (\"infeasible:\" and why on stdout, and the closest feasible\n"
    "alternative where there is one; nothing written); 1 out of memory or a file that\n"
    "cannot be written. An impossible request is not bad input: the request is well\n"
    "formed, the timetable or the rules leave no path.\n";

static void clock_text(double t, char *buf, size_t size)
{
    tm_cli_duration(t, buf, size);
}

static void print_run(const tumen_scenario *sc, const tm_special_run *r, const char *what)
{
    printf("\n%s %s (%s)\n", what, r->id, sc->trains[r->train].id);
    printf("  %-24s %10s %10s %10s\n", "", "arrives", "departs", "waits");
    for (size_t i = 0; i < r->n_calls; i++) {
        const tm_special_call *c = &r->calls[i];
        char a[32], d[32], w[32] = "";
        clock_text(c->arrival, a, sizeof a);
        clock_text(c->departure, d, sizeof d);
        if (c->stop && i > 0 && i + 1 < r->n_calls)
            tm_cli_duration(c->departure - c->arrival, w, sizeof w);
        if (c->stop || i == 0 || i + 1 == r->n_calls)
            printf("  %-24s %10s %10s %10s\n", sc->network.ops[c->op].name,
                   i ? a : "", i + 1 < r->n_calls ? d : "", w);
    }
}

static json_t *run_json(const tumen_scenario *sc, const tm_special_run *r)
{
    json_t *calls = json_array();
    for (size_t i = 0; i < r->n_calls; i++) {
        const tm_special_call *c = &r->calls[i];
        if (!(c->stop || i == 0 || i + 1 == r->n_calls))
            continue;
        json_array_append_new(calls, json_pack("{s:s, s:f, s:f, s:b}", "at",
                                               sc->network.ops[c->op].id, "arrival_s",
                                               c->arrival, "departure_s", c->departure,
                                               "stop", c->stop));
    }
    return json_pack("{s:s, s:s, s:o}", "id", r->id, "train", sc->trains[r->train].id,
                     "calls", calls);
}

static void print_json(const tumen_scenario *sc, const tm_special_result *r,
                       const tm_security_schedule *sched)
{
    static const char *what[3] = {"pilot", "special", "escort"};
    json_t *o = json_object();
    json_object_set_new(o, "mode", json_string(r->mode ? "priority" : "fit"));
    json_object_set_new(o, "feasible", json_boolean(!r->infeasible));
    if (r->infeasible)
        json_object_set_new(o, "why", json_string(r->why));
    json_object_set_new(o, "fastest_arrival_s", json_real(r->fastest_arrival));
    if (r->has_plan) {
        json_t *plan = r->infeasible ? json_object() : o;
        json_object_set_new(plan, "departure_s", json_real(r->departure));
        json_object_set_new(plan, "arrival_s", json_real(r->arrival));
        json_t *changes = json_array();
        for (size_t i = 0; i < r->n_changes; i++) {
            const tm_special_change *c = &r->changes[i];
            json_t *ch = json_pack("{s:s, s:b, s:f}", "service",
                                   sc->timetable.services[c->service].id, "cancelled",
                                   c->cancelled, "delay_s", c->delay);
            if (!c->cancelled)
                json_object_set_new(ch, "at", json_string(sc->network.ops[c->op].id));
            json_array_append_new(changes, ch);
        }
        json_object_set_new(plan, "changes", changes);
        if (r->mode == TM_SPECIAL_PRIORITY) {
            json_object_set_new(plan, "cost", json_real(r->cost));
            json_object_set_new(plan, "lower_bound", json_real(r->lower_bound));
            json_object_set_new(plan, "exact", json_boolean(r->exact));
        }
        for (int w = 0; w < 3; w++)
            if (r->present[w])
                json_object_set_new(plan, what[w], run_json(sc, &r->runs[w]));
        if (r->infeasible)
            json_object_set_new(o, "alternative", plan);
    }
    if (sched && r->has_plan && !r->infeasible)
        json_object_set_new(o, "security_schedule", tm_security_schedule_json(sc, sched));
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    if (text)
        printf("%s\n", text);
    free(text);
    json_decref(o);
}

static void print_text(const tumen_scenario *sc, const tm_special_result *r)
{
    static const char *cats[] = {"passenger", "freight", "special"};
    static const char *what[3] = {"pilot", "special", "escort"};
    char a[32], d[32], f[32], fa[32];
    if (r->infeasible) {
        printf("infeasible: %s\n", r->why);
        if (!r->has_plan) {
            printf("no feasible alternative\n");
            return;
        }
        printf("\nclosest feasible alternative:\n");
    }
    clock_text(r->departure, d, sizeof d);
    clock_text(r->arrival, a, sizeof a);
    clock_text(r->fastest_arrival, fa, sizeof fa);
    tm_cli_duration(r->fastest_arrival - r->departure, f, sizeof f);
    printf("special %s, mode %s: departs %s, arrives %s (alone on the line it would arrive "
           "at %s)\n",
           sc->special->id, r->mode ? "priority" : "fit", d, a, fa);
    (void)f;
    for (int w = 0; w < 3; w++)
        if (r->present[w])
            print_run(sc, &r->runs[w], what[w]);
    printf("\ndisruption: %zu trains changed\n", r->n_changes);
    for (size_t i = 0; i < r->n_changes; i++) {
        const tm_special_change *c = &r->changes[i];
        char dl[32];
        tm_cli_duration(c->delay, dl, sizeof dl);
        if (c->cancelled)
            printf("  %-12s cancelled\n", sc->timetable.services[c->service].id);
        else
            printf("  %-12s held %s at %s\n", sc->timetable.services[c->service].id, dl,
                   sc->network.ops[c->op].name);
    }
    for (int k = 0; k < 3; k++)
        if (r->delay_s[k] > 0 || r->cancelled[k])
            printf("  %s: %.1f delay-minutes, %zu cancelled\n", cats[k], r->delay_s[k] / 60.0,
                   r->cancelled[k]);
    if (r->mode == TM_SPECIAL_PRIORITY)
        printf("  total cost %.1f (%s)\n", r->cost,
               r->exact ? "least cost, exact" : "best found; node limit reached");
    if (r->mode == TM_SPECIAL_PRIORITY && !r->exact)
        printf("  lower bound of the least cost %.1f\n", r->lower_bound);
}

/* The diagram of the new timetable along the special's route, its corridor shaded. */
static int write_plot(const tumen_scenario *sc, const tm_special_result *r,
                      const tm_security_schedule *sched, const char *path, int threads,
                      tumen_error *err)
{
    tm_timetable_options o;
    tm_timetable_options_init(&o);
    o.keep_samples = 1;
    o.threads = threads;
    o.keep_going = 1;
    tm_timetable_result tr;
    int rc = tm_timetable_run(sc, &r->timetable, &o, &tr, err);
    if (rc != TUMEN_OK)
        return rc;
    tm_special_band *prot = NULL;
    size_t n_prot = 0;
    if ((rc = tm_security_schedule_bands(sc, sched, &prot, &n_prot, err)) != TUMEN_OK) {
        tm_timetable_result_free(&tr);
        return rc;
    }
    tm_graph_band *bands = malloc((r->n_bands + n_prot + 1) * sizeof *bands);
    if (!bands) {
        free(prot);
        tm_timetable_result_free(&tr);
        err->code = TUMEN_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return TUMEN_ENOMEM;
    }
    for (size_t i = 0; i < r->n_bands; i++)
        bands[i] = (tm_graph_band){r->bands[i].track, r->bands[i].pos0, r->bands[i].pos1,
                                   r->bands[i].t0, r->bands[i].t1, 0};
    for (size_t i = 0; i < n_prot; i++)
        bands[r->n_bands + i] = (tm_graph_band){prot[i].track, prot[i].pos0, prot[i].pos1,
                                                prot[i].t0, prot[i].t1, 1};
    free(prot);
    const tm_special_run *s = &r->runs[1];
    rc = tm_timetable_write_graph_bands(sc, &tr, s->calls[0].op, s->calls[s->n_calls - 1].op,
                                        bands, r->n_bands + n_prot, path, err);
    free(bands);
    tm_timetable_result_free(&tr);
    return rc;
}

int tm_cmd_special(int argc, char **argv)
{
    const char *files[64], *out_tt = NULL, *plot = NULL, *sched_out = NULL;
    size_t nf = 0;
    int json = 0;
    tm_special_options opt;
    memset(&opt, 0, sizeof opt);
    opt.mode = -1;
    opt.threads = 1;
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
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            char *end;
            long t = strtol(argv[++i], &end, 10);
            if (*end || t < 1 || t > 256) {
                fprintf(stderr, "tumen special: --threads takes 1 to 256\n");
                return TM_EXIT_INPUT;
            }
            opt.threads = (int)t;
        } else if (!strcmp(argv[i], "--out-timetable") && i + 1 < argc)
            out_tt = argv[++i];
        else if (!strcmp(argv[i], "--security-schedule") && i + 1 < argc)
            sched_out = argv[++i];
        else if (!strcmp(argv[i], "--plot") && i + 1 < argc) {
            plot = argv[++i];
            size_t n = strlen(plot);
            if (n < 5 || (strcmp(plot + n - 4, ".svg") && strcmp(plot + n - 4, ".png"))) {
                fprintf(stderr, "tumen special: --plot takes a file ending in .svg or .png\n");
                return TM_EXIT_INPUT;
            }
        } else if (argv[i][0] == '-' || nf == 64) {
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
    int st = TM_EXIT_OK;
    tm_security_schedule sched;
    memset(&sched, 0, sizeof sched);
    if (r.infeasible)
        st = TM_EXIT_PHYSICS;
    else if (tm_security_schedule_build(sc, sc->special, &r, &sched, &err) != TUMEN_OK ||
             (out_tt && tm_special_write_timetable(sc, &r.timetable, out_tt, &err) != TUMEN_OK) ||
             (sched_out && tm_security_schedule_write(sc, &sched, sched_out, &err) != TUMEN_OK) ||
             (plot && write_plot(sc, &r, &sched, plot, opt.threads, &err) != TUMEN_OK))
        st = tm_cli_fail(&err);
    if (st == TM_EXIT_OK || st == TM_EXIT_PHYSICS) {
        if (json)
            print_json(sc, &r, &sched);
        else {
            print_text(sc, &r);
            if (st == TM_EXIT_OK)
                tm_security_schedule_print(stdout, sc, &sched);
        }
    }
    tm_security_schedule_free(&sched);
    tm_special_result_free(&r);
    tumen_scenario_destroy(sc);
    return st;
}
