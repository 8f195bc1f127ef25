/* special_pieces.c: the convoy trains' runs of stop-to-stop segments, kept across requests
 * (plan/special_plan.h, tm_sp_pieces).
 *
 * A segment's run depends on the consist, the operational points from the stop to the stop
 * and the blocking parameters, not on the clock (the engine is time-invariant): run on the
 * clock of 0, its stairs and passing times are the same for every request that asks for
 * it. The planner asks for O(n^2) segments of a route of n stations, each an engine run
 * over its length, so a request on a corridor planned before finds most of its segments
 * here. Entries are immutable once stored and live as long as the background; a mutex
 * guards the table, so requests on several threads share it. Above a memory budget new
 * pieces are not stored (the caller keeps and frees them): a long-running service stays
 * bounded.
 */
#include "plan/special_plan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The table's budget: pieces beyond it are not kept. 96 MB holds some hundred thousand
 * segments of the generated 5,000 km day (assumed: about 1 kB a piece). */
#define PIECES_BUDGET ((size_t)96 << 20)

struct tm_sp_pieces {
    pthread_mutex_t lock;
    tm_sp_piece **slots;        /* open addressing, linear probing; NULL = empty */
    size_t cap, n, bytes;
};

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static uint64_t bits_of(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

uint64_t tm_sp_piece_hash(const tm_sp_piece_key *k)
{
    uint64_t h = mix(mix(mix(0, k->train), bits_of(k->approach_extra)), bits_of(k->overlap_extra));
    h = mix(h, k->n_ops);
    for (size_t i = 0; i < k->n_ops; i++)
        h = mix(h, k->ops[i]);
    return h;
}

static int same_key(const tm_sp_piece *p, const tm_sp_piece_key *k, uint64_t hash)
{
    return p->hash == hash && p->key.train == k->train && p->key.n_ops == k->n_ops &&
           bits_of(p->key.approach_extra) == bits_of(k->approach_extra) &&
           bits_of(p->key.overlap_extra) == bits_of(k->overlap_extra) &&
           !memcmp(p->key.ops, k->ops, k->n_ops * sizeof *k->ops);
}

tm_sp_pieces *tm_sp_pieces_new(void)
{
    tm_sp_pieces *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cap = 1024;
    t->slots = calloc(t->cap, sizeof *t->slots);
    if (!t->slots || pthread_mutex_init(&t->lock, NULL)) {
        free(t->slots);
        free(t);
        return NULL;
    }
    return t;
}

void tm_sp_piece_free(tm_sp_piece *p)
{
    if (!p)
        return;
    free(p->key.ops);
    free(p->occ);
    free(p->arr);
    free(p->dep);
    free(p);
}

void tm_sp_pieces_free(tm_sp_pieces *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->cap; i++)
        tm_sp_piece_free(t->slots[i]);
    free(t->slots);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

static size_t probe(const tm_sp_pieces *t, const tm_sp_piece_key *k, uint64_t hash)
{
    size_t i = (size_t)hash & (t->cap - 1);
    while (t->slots[i] && !same_key(t->slots[i], k, hash))
        i = (i + 1) & (t->cap - 1);
    return i;
}

const tm_sp_piece *tm_sp_pieces_find(tm_sp_pieces *t, const tm_sp_piece_key *k)
{
    if (!t)
        return NULL;
    uint64_t hash = tm_sp_piece_hash(k);
    pthread_mutex_lock(&t->lock);
    const tm_sp_piece *p = t->slots[probe(t, k, hash)];
    pthread_mutex_unlock(&t->lock);
    return p;
}

static int grow(tm_sp_pieces *t)
{
    size_t cap = t->cap * 2;
    tm_sp_piece **slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i]) {
            size_t j = (size_t)t->slots[i]->hash & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = t->slots[i];
        }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

static size_t piece_bytes(const tm_sp_piece *p)
{
    return sizeof *p + p->key.n_ops * sizeof *p->key.ops + p->n_occ * sizeof *p->occ +
           p->n_points * (sizeof *p->arr + sizeof *p->dep);
}

const tm_sp_piece *tm_sp_pieces_keep(tm_sp_pieces *t, tm_sp_piece *p)
{
    if (!t)
        return NULL;
    p->hash = tm_sp_piece_hash(&p->key);
    const tm_sp_piece *kept = NULL;
    pthread_mutex_lock(&t->lock);
    size_t i = probe(t, &p->key, p->hash);
    if (t->slots[i]) {
        kept = t->slots[i]; /* another thread stored it first: the same piece */
        tm_sp_piece_free(p);
    } else if (t->bytes + piece_bytes(p) <= PIECES_BUDGET &&
               ((t->n + 1) * 2 <= t->cap || grow(t) == 0)) {
        i = probe(t, &p->key, p->hash);
        t->slots[i] = p;
        t->n++;
        t->bytes += piece_bytes(p);
        kept = p;
    }
    pthread_mutex_unlock(&t->lock);
    return kept;
}
