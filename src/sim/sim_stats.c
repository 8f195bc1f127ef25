/* sim_stats.c: mergeable statistics of many replications (sim/sim.h) and the threads that
 * fill them.
 *
 * Everything is an int64 count or a sum in milliseconds: adding two sets of statistics is
 * exact and commutative, so replications split over threads or MPI ranks in any way give
 * the same bytes. Delays go into fixed bins (1 s below 2 min, 10 s below 30 min, 1 min
 * below 6 h, then overflow); percentiles are read from the bins.
 */
#include "sim/sim_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/pool.h"

const double tm_sim_thresholds[TM_SIM_N_THRESHOLDS] = {60.0, 180.0, 300.0, 900.0};

size_t tm_sim_bin(double d)
{
    if (!(d > 0.0))
        return 0;
    if (d < 120.0)
        return (size_t)d;
    if (d < 1800.0)
        return 120 + (size_t)((d - 120.0) / 10.0);
    if (d < 21600.0)
        return 288 + (size_t)((d - 1800.0) / 60.0);
    return TM_SIM_NBINS - 1;
}

double tm_sim_bin_lower(size_t b)
{
    if (b < 120)
        return (double)b;
    if (b < 288)
        return 120.0 + 10.0 * (double)(b - 120);
    if (b < TM_SIM_NBINS - 1)
        return 1800.0 + 60.0 * (double)(b - 288);
    return 21600.0;
}

double tm_sim_hist_quantile(const int64_t *hist, int64_t count, double q)
{
    if (count <= 0)
        return 0.0;
    /* The rank of the q-quantile, 1-based, as the nearest-rank method (ceil(q n)). */
    int64_t rank = (int64_t)ceil(q * (double)count);
    if (rank < 1)
        rank = 1;
    int64_t cum = 0;
    for (size_t b = 0; b < TM_SIM_NBINS; b++) {
        cum += hist[b];
        if (cum >= rank)
            return tm_sim_bin_lower(b);
    }
    return tm_sim_bin_lower(TM_SIM_NBINS - 1);
}

/* v[0] replications, v[1] forced claims (deadlocks), then the blocks. */
#define HEAD 2

size_t tm_sim_stats_replications(void) { return 0; }
size_t tm_sim_stats_cat(const tm_sim_stats *s, int c)
{
    (void)s;
    return HEAD + (size_t)c * TM_SIM_CAT_SIZE;
}
size_t tm_sim_stats_op(const tm_sim_stats *s, size_t op)
{
    (void)s;
    return HEAD + TM_N_CATEGORIES * TM_SIM_CAT_SIZE + op * TM_SIM_OP_SIZE;
}
size_t tm_sim_stats_track(const tm_sim_stats *s, size_t t)
{
    return tm_sim_stats_op(s, s->n_ops) + t * TM_SIM_TRACK_SIZE;
}
size_t tm_sim_stats_service(const tm_sim_stats *s, size_t i)
{
    return tm_sim_stats_track(s, s->n_tracks) + i * TM_SIM_SVC_SIZE;
}
size_t tm_sim_stats_resource(const tm_sim_stats *s, size_t r)
{
    return tm_sim_stats_service(s, s->n_services) + r;
}

int tm_sim_stats_init(tm_sim_stats *s, const tm_sim_plan *plan)
{
    memset(s, 0, sizeof *s);
    s->n_services = plan->n_svc;
    s->n_resources = plan->n_res;
    s->n_ops = plan->sc->network.n_ops;
    s->n_tracks = plan->sc->network.n_tracks;
    s->n = tm_sim_stats_resource(s, s->n_resources);
    s->v = calloc(s->n, sizeof *s->v);
    return s->v ? TUMEN_OK : TUMEN_ENOMEM;
}

void tm_sim_stats_free(tm_sim_stats *s)
{
    if (!s)
        return;
    free(s->v);
    memset(s, 0, sizeof *s);
}

static int64_t ms(double seconds)
{
    return (int64_t)llround(seconds * 1000.0);
}

/* count, within[4], then (with_hist) the histogram, at v. */
static void add_delay(int64_t *v, double d, int with_hist)
{
    v[0]++;
    for (int k = 0; k < TM_SIM_N_THRESHOLDS; k++)
        if (d < tm_sim_thresholds[k])
            v[1 + k]++;
    if (with_hist)
        v[1 + TM_SIM_N_THRESHOLDS + tm_sim_bin(d)]++;
}

void tm_sim_stats_add(tm_sim_stats *s, const tm_sim_plan *plan, const tm_sim_state *st)
{
    s->v[0]++;
    s->v[1] += (int64_t)tm_sim_deadlocks_(st);
    for (size_t i = 0; i < plan->n_svc; i++) {
        const sim_service *sv = &plan->svc[i];
        if (!sv->n_points)
            continue;
        double dest = tm_sim_delay_at(st, i, sv->n_points - 1);
        int64_t *c = s->v + tm_sim_stats_cat(s, sv->category);
        add_delay(c, dest, 1);
        c[TM_SIM_CAT_PRIMARY] += ms(tm_sim_primary(st, i));
        c[TM_SIM_CAT_KNOCK] += ms(tm_sim_knock_on(st, i));
        c[TM_SIM_CAT_DELAY] += ms(dest);
        for (size_t j = 1; j < sv->n_points; j++) {
            double d = tm_sim_delay_at(st, i, j);
            add_delay(s->v + tm_sim_stats_op(s, plan->pt_op[sv->point0 + j]), d, 1);
            size_t t = plan->pt_track[sv->point0 + j];
            if (t != SIZE_MAX)
                add_delay(s->v + tm_sim_stats_track(s, t), d, 0);
        }
        int64_t *sv_v = s->v + tm_sim_stats_service(s, i);
        sv_v[0] += ms(tm_sim_caused_(st, i));
        sv_v[1] += ms(tm_sim_knock_on(st, i));
        sv_v[2] += ms(dest);
    }
    for (size_t r = 0; r < plan->n_res; r++)
        s->v[tm_sim_stats_resource(s, r)] += ms(tm_sim_res_caused_(st, r));
}

void tm_sim_stats_merge(tm_sim_stats *into, const tm_sim_stats *from)
{
    for (size_t k = 0; k < into->n && k < from->n; k++)
        into->v[k] += from->v[k];
}

/* ---- Threads ------------------------------------------------------------------------- */

typedef struct work {
    const tm_sim_plan *plan;
    const tm_sim_config *cfg;
    uint64_t first, count, stride;
    atomic_uint_fast64_t next, done;
    atomic_int failed, cancelled;
    pthread_mutex_t lock;
    tm_sim_stats *out;
    tm_sim_progress_fn progress;
    void *ctx;
    pthread_t caller;
} work;

static void worker(void *arg)
{
    work *w = arg;
    tm_sim_stats mine;
    tm_sim_state *st = tm_sim_state_new(w->plan);
    if (!st || tm_sim_stats_init(&mine, w->plan) != TUMEN_OK) {
        tm_sim_state_free(st);
        atomic_store(&w->failed, 1);
        return;
    }
    int is_caller = pthread_equal(pthread_self(), w->caller);
    for (;;) {
        uint64_t i = atomic_fetch_add(&w->next, 1);
        if (i >= w->count || atomic_load(&w->failed) || atomic_load(&w->cancelled))
            break;
        if (tm_sim_replicate(w->plan, w->cfg, w->first + i * w->stride, st) != TUMEN_OK) {
            atomic_store(&w->failed, 1);
            break;
        }
        tm_sim_stats_add(&mine, w->plan, st);
        uint64_t done = atomic_fetch_add(&w->done, 1) + 1;
        if (is_caller && w->progress && w->progress(w->ctx, done, w->count) != 0)
            atomic_store(&w->cancelled, 1);
    }
    pthread_mutex_lock(&w->lock);
    tm_sim_stats_merge(w->out, &mine);
    pthread_mutex_unlock(&w->lock);
    tm_sim_stats_free(&mine);
    tm_sim_state_free(st);
}

int tm_sim_run(const tm_sim_plan *plan, const tm_sim_config *cfg, uint64_t first,
               uint64_t count, uint64_t stride, int threads, tm_sim_progress_fn progress,
               void *ctx, tm_sim_stats *stats, tumen_error *err)
{
    if (tm_sim_stats_init(stats, plan) != TUMEN_OK)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    work w;
    memset(&w, 0, sizeof w);
    w.plan = plan;
    w.cfg = cfg;
    w.first = first;
    w.count = count;
    w.stride = stride ? stride : 1;
    atomic_init(&w.next, 0);
    atomic_init(&w.done, 0);
    atomic_init(&w.failed, 0);
    atomic_init(&w.cancelled, 0);
    pthread_mutex_init(&w.lock, NULL);
    w.out = stats;
    w.progress = progress;
    w.ctx = ctx;
    w.caller = pthread_self();
    tm_pool_workers(threads, worker, &w); /* the calling thread works too */
    pthread_mutex_destroy(&w.lock);
    if (atomic_load(&w.failed)) {
        tm_sim_stats_free(stats);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL,
                            "out of memory running the replications");
    }
    if (atomic_load(&w.cancelled)) {
        tm_sim_stats_free(stats);
        return tm_error_set(err, TUMEN_ECANCELLED, NULL, 0, NULL, "the simulation was cancelled");
    }
    return TUMEN_OK;
}
