/* sim_write.c: the results of a simulation as JSON, text and CSV. Every figure is computed
 * from integer counters, so the same statistics print the same bytes. */
#include "formats/sim_write.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic.h"
#include "core/error.h"
#include "formats/output.h"

static const char *const cat_names[TM_N_CATEGORIES] = {"passenger", "freight", "special"};
static const char *const thr_keys[TM_SIM_N_THRESHOLDS] = {"1", "3", "5", "15"};
#define TOP 10

/* x rounded to 1e-6 (shares) or to 0.001 (minutes), so the text is short and stable. */
static json_t *real6(double x)
{
    return json_real(round(x * 1e6) / 1e6);
}

static json_t *real3(double x)
{
    return json_real(round(x * 1e3) / 1e3);
}

/* {"1": share, "3": ..} from count and within[4]. */
static json_t *punctuality(const int64_t *v)
{
    json_t *o = json_object();
    for (int k = 0; k < TM_SIM_N_THRESHOLDS; k++)
        json_object_set_new(o, thr_keys[k],
                            real6(v[0] ? (double)v[1 + k] / (double)v[0] : 0.0));
    return o;
}

static json_t *percentiles(const int64_t *hist, int64_t count)
{
    return json_pack("{s:f, s:f, s:f}", "p50", tm_sim_hist_quantile(hist, count, 0.50), "p90",
                     tm_sim_hist_quantile(hist, count, 0.90), "p99",
                     tm_sim_hist_quantile(hist, count, 0.99));
}

typedef struct ranked {
    int64_t value;
    size_t index;
} ranked;

static int by_value_desc(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->value != b->value)
        return a->value > b->value ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* The TOP largest of n values (value(i)), nonzero only, into out; returns how many. */
static size_t top(const tm_sim_stats *s, size_t n, size_t (*offset)(const tm_sim_stats *, size_t),
                  ranked *out)
{
    ranked *all = malloc((n ? n : 1) * sizeof *all);
    if (!all)
        return 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (s->v[offset(s, i)] > 0)
            all[m++] = (ranked){s->v[offset(s, i)], i};
    qsort(all, m, sizeof *all, by_value_desc);
    if (m > TOP)
        m = TOP;
    memcpy(out, all, m * sizeof *out);
    free(all);
    return m;
}

static double per_day_min(int64_t ms, int64_t reps)
{
    return reps ? (double)ms / (double)reps / 60000.0 : 0.0;
}

static void add_categories(json_t *doc, const tm_sim_day *day)
{
    const tm_sim_stats *s = day->stats;
    int64_t reps = s->v[0];
    json_t *punct = json_object(), *delay = json_object(), *cats = json_object();
    int64_t primary = 0, knock = 0;
    for (int c = 0; c < TM_N_CATEGORIES; c++) {
        const int64_t *v = s->v + tm_sim_stats_cat(s, c);
        primary += v[TM_SIM_CAT_PRIMARY];
        knock += v[TM_SIM_CAT_KNOCK];
        if (!v[0])
            continue;
        json_object_set_new(punct, cat_names[c], punctuality(v));
        json_t *d = percentiles(v + TM_SIM_CAT_HIST, v[0]);
        json_object_set_new(d, "mean", real3((double)v[TM_SIM_CAT_DELAY] / (double)v[0] / 1000.0));
        json_object_set_new(delay, cat_names[c], d);
        json_object_set_new(
            cats, cat_names[c],
            json_pack("{s:o, s:o, s:o}", "trains_per_day", real3((double)v[0] / (double)reps),
                      "primary_delay_min", real3(per_day_min(v[TM_SIM_CAT_PRIMARY], reps)),
                      "knock_on_delay_min", real3(per_day_min(v[TM_SIM_CAT_KNOCK], reps))));
    }
    json_object_set_new(doc, "punctuality", punct);
    json_object_set_new(doc, "delay_s", delay);
    json_object_set_new(doc, "primary_delay_min", real3(per_day_min(primary, reps)));
    json_object_set_new(doc, "knock_on_delay_min", real3(per_day_min(knock, reps)));
    json_object_set_new(doc, "categories", cats);
}

static void add_places(json_t *doc, const tm_sim_day *day)
{
    const tm_sim_stats *s = day->stats;
    const tm_network *net = &tm_sim_plan_scenario(day->plan)->network;
    int64_t reps = s->v[0];
    json_t *stations = json_array(), *lines = json_array();
    for (size_t o = 0; o < s->n_ops; o++) {
        const int64_t *v = s->v + tm_sim_stats_op(s, o);
        if (!v[0])
            continue;
        json_t *st = json_pack("{s:s, s:s, s:o}", "id", net->ops[o].id, "name",
                               tm_name_or(net->ops[o].name, ""),
                               "arrivals_per_day", real3((double)v[0] / (double)reps));
        json_object_set_new(st, "punctuality", punctuality(v));
        json_object_set_new(st, "delay_s", percentiles(v + 1 + TM_SIM_N_THRESHOLDS, v[0]));
        json_array_append_new(stations, st);
    }
    for (size_t t = 0; t < s->n_tracks; t++) {
        const int64_t *v = s->v + tm_sim_stats_track(s, t);
        if (!v[0])
            continue;
        const tm_track *tr = &net->tracks[t];
        json_t *ln = json_pack("{s:s, s:s, s:s, s:o}", "track", tr->id, "from",
                               net->ops[tr->from].id, "to", net->ops[tr->to].id, "trains_per_day",
                               real3((double)v[0] / (double)reps));
        json_object_set_new(ln, "punctuality", punctuality(v));
        json_array_append_new(lines, ln);
    }
    json_object_set_new(doc, "stations", stations);
    json_object_set_new(doc, "lines", lines);
}

static void add_spreaders(json_t *doc, const tm_sim_day *day)
{
    const tm_sim_stats *s = day->stats;
    const tm_timetable *tt = &tm_sim_plan_scenario(day->plan)->timetable;
    int64_t reps = s->v[0];
    ranked best[TOP];
    json_t *trains = json_array(), *blocks = json_array();
    size_t n = top(s, s->n_services, tm_sim_stats_service, best);
    for (size_t k = 0; k < n; k++) {
        const tm_service *svc = &tt->services[best[k].index];
        const int64_t *v = s->v + tm_sim_stats_service(s, best[k].index);
        json_array_append_new(
            trains, json_pack("{s:s, s:s, s:o, s:o}", "service", svc->id, "category",
                              cat_names[svc->category], "knock_on_caused_min",
                              real3(per_day_min(v[0], reps)), "knock_on_suffered_min",
                              real3(per_day_min(v[1], reps))));
    }
    n = top(s, s->n_resources, tm_sim_stats_resource, best);
    for (size_t k = 0; k < n; k++) {
        char name[160];
        tm_sim_resource_name(day->plan, best[k].index, name, sizeof name);
        json_array_append_new(blocks, json_pack("{s:s, s:o}", "resource", name,
                                                "knock_on_caused_min",
                                                real3(per_day_min(best[k].value, reps))));
    }
    json_object_set_new(doc, "spreading_trains", trains);
    json_object_set_new(doc, "spreading_blocks", blocks);
}

/* The day with the special against the day without it: the destination delay of the
 * services both days run (by id), and each category's punctuality. */
static json_t *comparison(const tm_sim_day *day, const tm_sim_day *base)
{
    const tm_sim_stats *s = day->stats, *b = base->stats;
    const tm_timetable *tt = &tm_sim_plan_scenario(day->plan)->timetable;
    const tm_timetable *bt = &tm_sim_plan_scenario(base->plan)->timetable;
    int64_t with = 0, without = 0, k_with = 0, k_without = 0;
    size_t common = 0;
    json_t *dropped = json_array();
    for (size_t i = 0; i < bt->n_services; i++)
        for (size_t j = 0; j <= tt->n_services; j++) {
            if (j == tt->n_services) {
                json_array_append_new(dropped, json_string(bt->services[i].id));
                break;
            }
            if (strcmp(bt->services[i].id, tt->services[j].id))
                continue;
            common++;
            without += b->v[tm_sim_stats_service(b, i) + 2];
            with += s->v[tm_sim_stats_service(s, j) + 2];
            k_without += b->v[tm_sim_stats_service(b, i) + 1];
            k_with += s->v[tm_sim_stats_service(s, j) + 1];
            break;
        }
    json_t *o = json_object();
    json_t *bdoc = json_object();
    tm_sim_day copy = *base;
    add_categories(bdoc, &copy);
    json_object_set_new(o, "replications", json_integer(b->v[0]));
    json_object_set_new(o, "services", json_integer((json_int_t)bt->n_services));
    json_object_set_new(o, "common_services", json_integer((json_int_t)common));
    json_object_set_new(o, "services_not_run", dropped);
    json_object_set_new(o, "punctuality", json_incref(json_object_get(bdoc, "punctuality")));
    json_object_set_new(o, "delay_s", json_incref(json_object_get(bdoc, "delay_s")));
    json_object_set_new(o, "added_delay_min",
                        real3(per_day_min(with, s->v[0]) - per_day_min(without, b->v[0])));
    json_object_set_new(o, "added_knock_on_delay_min",
                        real3(per_day_min(k_with, s->v[0]) - per_day_min(k_without, b->v[0])));
    json_t *change = json_object();
    for (int c = 0; c < TM_N_CATEGORIES; c++) {
        const int64_t *v = s->v + tm_sim_stats_cat(s, c), *w = b->v + tm_sim_stats_cat(b, c);
        if (!v[0] || !w[0])
            continue;
        json_t *d = json_object();
        for (int k = 0; k < TM_SIM_N_THRESHOLDS; k++)
            json_object_set_new(d, thr_keys[k],
                                real6((double)v[1 + k] / (double)v[0] -
                                      (double)w[1 + k] / (double)w[0]));
        json_object_set_new(change, cat_names[c], d);
    }
    json_object_set_new(o, "punctuality_change", change);
    json_decref(bdoc);
    return o;
}

json_t *tm_sim_to_json(const tm_sim_day *day, const tm_sim_day *base, const tm_sim_config *cfg,
                       const char *delays_source)
{
    static const char *const rules[] = {"fcfs", "timetable", "priority"};
    json_t *doc = json_object();
    if (!doc)
        return NULL;
    json_object_set_new(doc, "replications", json_integer(day->stats->v[0]));
    json_object_set_new(doc, "seed", json_integer((json_int_t)cfg->seed));
    json_object_set_new(doc, "dispatch", json_string(rules[cfg->dispatch]));
    json_object_set_new(doc, "primary_delays",
                        json_string(cfg->no_delays ? "none" : delays_source));
    json_object_set_new(doc, "services",
                        json_integer((json_int_t)tm_sim_plan_services(day->plan)));
    add_categories(doc, day);
    add_places(doc, day);
    add_spreaders(doc, day);
    json_object_set_new(doc, "deadlocks_broken", json_integer(day->stats->v[1]));
    if (base)
        json_object_set_new(doc, "baseline", comparison(day, base));
    return doc;
}

json_t *tm_sim_replication_json(const tm_sim_plan *plan, const tm_sim_state *st,
                                uint64_t replication)
{
    const tm_scenario *sc = tm_sim_plan_scenario(plan);
    json_t *o = json_object(), *list = json_array();
    if (!o || !list) {
        json_decref(o);
        json_decref(list);
        return NULL;
    }
    json_object_set_new(o, "number", json_integer((json_int_t)replication));
    for (size_t i = 0; i < tm_sim_plan_services(plan); i++) {
        const tm_service *svc = &sc->timetable.services[i];
        json_t *t = json_object(), *pts = json_array();
        json_object_set_new(t, "service", json_string(svc->id));
        json_object_set_new(t, "category", json_string(cat_names[svc->category]));
        json_object_set_new(t, "primary_delay_s", real3(tm_sim_primary(st, i)));
        json_object_set_new(t, "knock_on_delay_s", real3(tm_sim_knock_on(st, i)));
        for (size_t j = 0; j < tm_sim_plan_points(plan, i); j++) {
            json_t *pt = json_object();
            json_object_set_new(pt, "id", json_string(sc->network.ops[tm_sim_plan_op(plan, i, j)].id));
            json_object_set_new(pt, "planned_arrival_s", real3(tm_sim_plan_arrival(plan, i, j)));
            json_object_set_new(pt, "arrival_s", real3(tm_sim_arrival_at(st, i, j)));
            json_object_set_new(pt, "planned_departure_s",
                                real3(tm_sim_plan_departure(plan, i, j)));
            json_object_set_new(pt, "departure_s", real3(tm_sim_departure_at(st, i, j)));
            json_array_append_new(pts, pt);
        }
        json_object_set_new(t, "points", pts);
        json_array_append_new(list, t);
    }
    json_object_set_new(o, "services", list);
    return o;
}

/* ---- Text ----------------------------------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t n, cap;
    int failed;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->failed = 1;
            return;
        }
        if (b->p && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = (b->cap + (size_t)k + 1) * 2;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->failed = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
}

static double num(const json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

static void put_categories(buf *b, const json_t *punct, const json_t *delay)
{
    put(b, "  %-10s %8s %8s %8s %8s %9s %9s %9s\n", "category", "<1 min", "<3 min", "<5 min",
        "<15 min", "p50 s", "p90 s", "p99 s");
    for (int c = 0; c < TM_N_CATEGORIES; c++) {
        const json_t *p = json_object_get(punct, cat_names[c]);
        const json_t *d = json_object_get(delay, cat_names[c]);
        if (!p || !d)
            continue;
        put(b, "  %-10s %7.1f%% %7.1f%% %7.1f%% %7.1f%% %9.0f %9.0f %9.0f\n", cat_names[c],
            100 * num(p, "1"), 100 * num(p, "3"), 100 * num(p, "5"), 100 * num(p, "15"),
            num(d, "p50"), num(d, "p90"), num(d, "p99"));
    }
}

char *tm_sim_to_text(const json_t *doc)
{
    buf b = {0};
    put(&b, "%lld replications (seed %lld, dispatching %s, primary delays: %s), %lld services\n\n",
        (long long)json_integer_value(json_object_get(doc, "replications")),
        (long long)json_integer_value(json_object_get(doc, "seed")),
        json_string_value(json_object_get(doc, "dispatch")),
        json_string_value(json_object_get(doc, "primary_delays")),
        (long long)json_integer_value(json_object_get(doc, "services")));
    put(&b, "Punctuality at the destination (share of trains less late than), delay percentiles:\n");
    put_categories(&b, json_object_get(doc, "punctuality"), json_object_get(doc, "delay_s"));
    put(&b, "\nDelay per day: primary %.1f min, knock-on %.1f min\n",
        num(doc, "primary_delay_min"), num(doc, "knock_on_delay_min"));
    const json_t *trains = json_object_get(doc, "spreading_trains");
    if (json_array_size(trains)) {
        put(&b, "\nTrains that spread the most delay (knock-on caused to others, min per day):\n");
        size_t i;
        const json_t *t;
        json_array_foreach(trains, i, t)
            put(&b, "  %-16s %-10s %8.2f\n", json_string_value(json_object_get(t, "service")),
                json_string_value(json_object_get(t, "category")), num(t, "knock_on_caused_min"));
    }
    const json_t *blocks = json_object_get(doc, "spreading_blocks");
    if (json_array_size(blocks)) {
        put(&b, "\nWhere trains waited most (knock-on delay, min per day):\n");
        size_t i;
        const json_t *t;
        json_array_foreach(blocks, i, t)
            put(&b, "  %-60.60s %8.2f\n", json_string_value(json_object_get(t, "resource")),
                num(t, "knock_on_caused_min"));
    }
    const json_t *base = json_object_get(doc, "baseline");
    if (base) {
        put(&b, "\nThe day without the special (same random streams):\n");
        put_categories(&b, json_object_get(base, "punctuality"), json_object_get(base, "delay_s"));
        put(&b, "\nThe special adds %.1f min of delay at the destinations per day (%lld services "
                "in both days), %.1f min of it knock-on.\n",
            num(base, "added_delay_min"),
            (long long)json_integer_value(json_object_get(base, "common_services")),
            num(base, "added_knock_on_delay_min"));
        const json_t *dropped = json_object_get(base, "services_not_run");
        if (json_array_size(dropped)) {
            put(&b, "  The plan does not run:");
            size_t i;
            const json_t *t;
            json_array_foreach(dropped, i, t)
                put(&b, " %s", json_string_value(t));
            put(&b, " (their delay is not counted).\n");
        }
        const json_t *ch = json_object_get(base, "punctuality_change");
        for (int c = 0; c < TM_N_CATEGORIES; c++) {
            const json_t *d = json_object_get(ch, cat_names[c]);
            if (d)
                put(&b, "  %-10s punctuality within 3 min %+.1f points, within 5 min %+.1f points\n",
                    cat_names[c], 100 * num(d, "3"), 100 * num(d, "5"));
        }
    }
    long long dl = (long long)json_integer_value(json_object_get(doc, "deadlocks_broken"));
    if (dl)
        put(&b, "\n%lld claims were granted by force to break a deadlock (docs/simulate.md).\n", dl);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* ---- CSV -------------------------------------------------------------------------- */

static int csv_file(const char *dir, const char *name, const json_t *doc,
                    void (*rows)(FILE *, const json_t *), tumen_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    tm_atomic_file af;
    FILE *fp = tm_atomic_open(path, &af, err);
    if (!fp)
        return err ? err->code : TUMEN_EIO;
    rows(fp, doc);
    if (ferror(fp)) {
        tm_atomic_abort(&af);
        return tm_io_error(err, "write", path, 0);
    }
    return tm_atomic_commit(&af, err);
}

static void punct_cols(FILE *fp, const json_t *p)
{
    for (int k = 0; k < TM_SIM_N_THRESHOLDS; k++)
        fprintf(fp, ",%.6f", num(p, thr_keys[k]));
}

static void rows_categories(FILE *fp, const json_t *doc)
{
    fputs("category,within_1_min,within_3_min,within_5_min,within_15_min,p50_s,p90_s,p99_s,"
          "mean_s\n", fp);
    for (int c = 0; c < TM_N_CATEGORIES; c++) {
        const json_t *p = json_object_get(json_object_get(doc, "punctuality"), cat_names[c]);
        const json_t *d = json_object_get(json_object_get(doc, "delay_s"), cat_names[c]);
        if (!p || !d)
            continue;
        fputs(cat_names[c], fp);
        punct_cols(fp, p);
        fprintf(fp, ",%.0f,%.0f,%.0f,%.3f\n", num(d, "p50"), num(d, "p90"), num(d, "p99"),
                num(d, "mean"));
    }
}

static void rows_stations(FILE *fp, const json_t *doc)
{
    fputs("id,name,arrivals_per_day,within_1_min,within_3_min,within_5_min,within_15_min,"
          "p50_s,p90_s,p99_s\n", fp);
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(doc, "stations"), i, s) {
        tm_csv_field(fp, json_string_value(json_object_get(s, "id")));
        fputc(',', fp);
        tm_csv_field(fp, json_string_value(json_object_get(s, "name")));
        fprintf(fp, ",%.3f", num(s, "arrivals_per_day"));
        punct_cols(fp, json_object_get(s, "punctuality"));
        const json_t *d = json_object_get(s, "delay_s");
        fprintf(fp, ",%.0f,%.0f,%.0f\n", num(d, "p50"), num(d, "p90"), num(d, "p99"));
    }
}

static void rows_lines(FILE *fp, const json_t *doc)
{
    fputs("track,from,to,trains_per_day,within_1_min,within_3_min,within_5_min,within_15_min\n",
          fp);
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(doc, "lines"), i, s) {
        tm_csv_field(fp, json_string_value(json_object_get(s, "track")));
        fputc(',', fp);
        tm_csv_field(fp, json_string_value(json_object_get(s, "from")));
        fputc(',', fp);
        tm_csv_field(fp, json_string_value(json_object_get(s, "to")));
        fprintf(fp, ",%.3f", num(s, "trains_per_day"));
        punct_cols(fp, json_object_get(s, "punctuality"));
        fputc('\n', fp);
    }
}

static void rows_trains(FILE *fp, const json_t *doc)
{
    fputs("service,category,knock_on_caused_min,knock_on_suffered_min\n", fp);
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(doc, "spreading_trains"), i, s) {
        tm_csv_field(fp, json_string_value(json_object_get(s, "service")));
        fprintf(fp, ",%s,%.3f,%.3f\n", json_string_value(json_object_get(s, "category")),
                num(s, "knock_on_caused_min"), num(s, "knock_on_suffered_min"));
    }
}

static void rows_blocks(FILE *fp, const json_t *doc)
{
    fputs("resource,knock_on_caused_min\n", fp);
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(doc, "spreading_blocks"), i, s) {
        tm_csv_field(fp, json_string_value(json_object_get(s, "resource")));
        fprintf(fp, ",%.3f\n", num(s, "knock_on_caused_min"));
    }
}

static void rows_replication(FILE *fp, const json_t *rep)
{
    fputs("replication,service,category,point,id,planned_arrival_s,arrival_s,"
          "planned_departure_s,departure_s\n", fp);
    json_int_t number = json_integer_value(json_object_get(rep, "number"));
    size_t i, j;
    const json_t *t, *pt;
    json_array_foreach(json_object_get(rep, "services"), i, t) {
        json_array_foreach(json_object_get(t, "points"), j, pt) {
            fprintf(fp, "%lld,", (long long)number);
            tm_csv_field(fp, json_string_value(json_object_get(t, "service")));
            fprintf(fp, ",%s,%zu,", json_string_value(json_object_get(t, "category")), j);
            tm_csv_field(fp, json_string_value(json_object_get(pt, "id")));
            fprintf(fp, ",%.3f,%.3f,%.3f,%.3f\n", num(pt, "planned_arrival_s"),
                    num(pt, "arrival_s"), num(pt, "planned_departure_s"),
                    num(pt, "departure_s"));
        }
    }
}

int tm_sim_write_replication_csv(const json_t *rep, const char *dir, tumen_error *err)
{
    return csv_file(dir, "replication.csv", rep, rows_replication, err);
}

int tm_sim_write_csv(const json_t *doc, const char *dir, tumen_error *err)
{
    int rc = csv_file(dir, "punctuality.csv", doc, rows_categories, err);
    if (rc == TUMEN_OK)
        rc = csv_file(dir, "stations.csv", doc, rows_stations, err);
    if (rc == TUMEN_OK)
        rc = csv_file(dir, "lines.csv", doc, rows_lines, err);
    if (rc == TUMEN_OK)
        rc = csv_file(dir, "trains.csv", doc, rows_trains, err);
    if (rc == TUMEN_OK)
        rc = csv_file(dir, "blocks.csv", doc, rows_blocks, err);
    return rc;
}
