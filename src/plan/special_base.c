/* special_base.c: what every priority request on one background shares (issue 11).
 *
 * Priority mode needs each background train's occupations with the route positions a hold
 * shifts them from, its hold points, the convoy groups and those occupations indexed by
 * resource. None of it depends on the request (only the costs do, set per request), so it
 * is derived once per background, by the first priority request, under a lock: a fit-only
 * user of the background pays nothing for it.
 */
#include "plan/special_plan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "block/resources.h"
#include "plan/occupancy.h"

struct tm_sp_prio_base {
    pthread_mutex_t lock;
    int built;                  /* 0: not yet (or memory ran out: the next one tries) */
    tm_sp_train *trains;        /* costs 0: the request sets them */
    tm_sp_occ *occ;
    tm_sp_hold_point *holds;
    size_t *group;
    tm_sp_occ_index index;
};

tm_sp_prio_base *tm_sp_prio_base_new(void)
{
    tm_sp_prio_base *b = calloc(1, sizeof *b);
    if (b && pthread_mutex_init(&b->lock, NULL)) {
        free(b);
        return NULL;
    }
    return b;
}

static void base_clear(tm_sp_prio_base *b)
{
    free(b->trains);
    free(b->occ);
    free(b->holds);
    free(b->group);
    tm_sp_occ_index_free(&b->index);
    b->trains = NULL;
    b->occ = NULL;
    b->holds = NULL;
    b->group = NULL;
}

void tm_sp_prio_base_free(tm_sp_prio_base *b)
{
    if (!b)
        return;
    base_clear(b);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

/* Service s's occupations (bg->occ from *op on, which are s's in block order) with the
 * route positions of each block, and its hold points: the origin and every scheduled stop
 * with a loop long enough for the train. */
static int derive_train(const tm_scenario *sc, const tm_special_background *bg, size_t s,
                        tm_sp_prio_base *b, size_t *op, size_t *hp)
{
    const tm_service_run *run = &bg->runs.runs[s];
    const tm_train *tr = &sc->trains[sc->timetable.services[s].train];
    const tm_occupation *occ = bg->occ;
    tm_block_section *blocks = NULL;
    size_t nb = 0;
    if (tm_service_blocks(&sc->network, &bg->map, run, tr->length, &blocks, &nb) != TUMEN_OK)
        return -1;
    tm_sp_train *t = &b->trains[s];
    t->occ = b->occ + *op;
    for (size_t k = 0; k < nb && *op < bg->n_occ && occ[*op].train == s; k++, (*op)++) {
        int station = blocks[k].resource >= bg->map.op_base;
        b->occ[*op] = (tm_sp_occ){occ[*op].resource, occ[*op].start, occ[*op].end,
                                  occ[*op].direction,
                                  station ? blocks[k].end - 0.5 : blocks[k].start,
                                  blocks[k].end + bg->params.overlap + tr->length};
        t->n_occ++;
    }
    free(blocks);
    t->holds = b->holds + *hp;
    for (size_t q = 0; q < run->n_points; q++) {
        const tm_service_point *pt = &run->points[q];
        if (q + 1 == run->n_points || (q > 0 && !pt->is_stop))
            continue;
        if (q > 0 && tm_op_longest_loop(&sc->network.ops[pt->op]) < tr->length)
            continue;
        b->holds[(*hp)++] = (tm_sp_hold_point){pt->op, pt->position, q == 0};
        t->n_holds++;
    }
    t->passenger = sc->timetable.services[s].category == TM_CATEGORY_PASSENGER;
    return 0;
}

static int base_build(const tm_scenario *sc, const tm_special_background *bg,
                      tm_sp_prio_base *b)
{
    size_t ns = sc->timetable.n_services, total_holds = 0;
    for (size_t s = 0; s < ns; s++)
        total_holds += bg->runs.runs[s].n_points;
    b->trains = calloc(ns ? ns : 1, sizeof *b->trains);
    b->occ = malloc((bg->n_occ ? bg->n_occ : 1) * sizeof *b->occ);
    b->holds = malloc((total_holds + 1) * sizeof *b->holds);
    if (!b->trains || !b->occ || !b->holds)
        return -1;
    size_t op = 0, hp = 0;
    for (size_t s = 0; s < ns; s++)
        if (derive_train(sc, bg, s, b, &op, &hp))
            return -1;
    if (tm_timetable_convoy_groups(&sc->timetable, &b->group) != TUMEN_OK)
        return -1;
    return tm_sp_occ_index_build(b->trains, ns, bg->map.n, &b->index);
}

const tm_sp_prio_base *tm_sp_prio_base_get(const tm_scenario *sc,
                                           const tm_special_background *bg)
{
    tm_sp_prio_base *b = bg->prio;
    if (!b)
        return NULL;
    pthread_mutex_lock(&b->lock);
    if (!b->built) {
        b->built = !base_build(sc, bg, b);
        if (!b->built)
            base_clear(b);
    }
    int ok = b->built;
    pthread_mutex_unlock(&b->lock);
    return ok ? b : NULL;
}

const tm_sp_train *tm_sp_prio_base_trains(const tm_sp_prio_base *b)
{
    return b->trains;
}

const size_t *tm_sp_prio_base_group(const tm_sp_prio_base *b)
{
    return b->group;
}

const tm_sp_occ_index *tm_sp_prio_base_index(const tm_sp_prio_base *b)
{
    return &b->index;
}
