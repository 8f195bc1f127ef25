/* bookings.c: booking a plan and cancelling a booking, each inside one write transaction of
 * the store (store_begin .. store_commit), against the day as it is now: the uploaded files
 * and, in booking order, the change of every active booking (tumen_special_convoy_yaml: the
 * trains a priority plan holds and cancels withdrawn, the held ones given again retimed,
 * the convoy added; a fit plan's change is its convoy alone).
 *
 * Booking a plan. A plan was made on the day of the bookings active then (`planned_on` in
 * the stored plan). Every train it holds or cancels must still be as it planned on: the
 * latest booking that changed that train among the active ones must be the latest among
 * those it was planned on (0: as uploaded). Otherwise another booking retimed or cancelled
 * it since, or a booking that had was cancelled: 409 naming that booking. Then the day with
 * the plan's change must have no conflict involving a train the plan adds or retimes: else
 * 409 naming the booking that owns the other train (its convoy's, or the latest that
 * retimed it; null for a train of the uploaded timetable). A plan that holds or cancels a
 * train another booking added (its special, pilot or escort) is refused too, naming it: a
 * booked path is its booker's and is never given to another planner.
 *
 * Cancelling a booking restores what it held and cancelled, which is simply the day without
 * its change, under one rule: nothing booked after it may rest on what it changed. A later
 * active booking that changed one of the same trains again, or whose trains conflict with a
 * restored one (a fit path laid where a cancelled train ran), refuses the cancellation with
 * 409 naming that booking: cancel it first. A fit booking changes no other train and is
 * always cancelled. The audit trail keeps what each booking held and cancelled and what
 * each cancellation restored (`detail`). */
#include "bookings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "day.h"
#include "jobs.h"
#include "store.h"
#include "tumen.h"

#define JSON_OUT (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))

/* ---- Which booking changed which train ------------------------------------------------------ */

/* Every booking of a scenario (cancelled ones too) with its plan's changes. */
typedef struct booked {
    long long id;
    int active;
    json_t *plan;            /* the stored plan; `changes` in it */
} booked;

typedef struct history {
    booked *b;
    size_t n;
    int loaded;
} history;

static void history_free(history *h)
{
    for (size_t i = 0; i < h->n; i++)
        json_decref(h->b[i].plan);
    free(h->b);
    memset(h, 0, sizeof *h);
}

/* Reads the bookings and their plans (inside the transaction); 0, or -1 with a 500. */
static int history_load(store *st, long long scenario, history *h, reply *r)
{
    char *text = NULL;
    if (h->loaded)
        return 0;
    json_t *list = store_bookings_json(st, scenario, &text) == STORE_OK
                       ? json_loads(text, 0, NULL)
                       : NULL;
    free(text);
    h->b = calloc(json_array_size(list) + 1, sizeof *h->b);
    int ok = list && h->b;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        long long scn = 0;
        char *plan = NULL, *services = NULL;
        if (!ok || store_plan_get(st, json_integer_value(json_object_get(v, "plan_id")), &scn,
                                  &plan, &services) != STORE_OK) {
            ok = 0;
            break;
        }
        booked *b = &h->b[h->n++];
        b->id = json_integer_value(json_object_get(v, "id"));
        b->active = json_is_null(json_object_get(v, "cancelled"));
        b->plan = json_loads(plan, 0, NULL);
        free(plan);
        free(services);
    }
    json_decref(list);
    h->loaded = ok;
    if (!ok) {
        history_free(h);
        reply_error(r, 500, "the store cannot be read");
        return -1;
    }
    return 0;
}

/* 1 when the plan's changes hold or cancel service id. */
static int plan_changes(const json_t *plan, const char *id)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(plan, "changes"), i, c) {
        const char *s = json_string_value(json_object_get(c, "service"));
        if (s && !strcmp(s, id))
            return 1;
    }
    return 0;
}

static int in_array(const json_t *a, long long id)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) if (json_integer_value(v) == id) return 1;
    return 0;
}

/* The latest booking that changed service id: of the active ones but skip (basis NULL), or
 * of those in basis (a plan's planned_on), whatever they are now. 0: none, the train is
 * as uploaded. */
static long long last_change(const history *h, const char *id, const json_t *basis,
                             long long skip)
{
    long long best = 0;
    for (size_t i = 0; i < h->n; i++) {
        const booked *b = &h->b[i];
        if (b->id == skip || (basis ? !in_array(basis, b->id) : !b->active))
            continue;
        if (b->id > best && plan_changes(b->plan, id))
            best = b->id;
    }
    return best;
}

/* The active booking whose plan added service id (its pilot, special or escort), or 0. */
static long long added_by(const history *h, const char *id)
{
    static const char *const what[] = {"pilot", "special", "escort"};
    for (size_t i = 0; i < h->n; i++)
        for (int k = 0; k < 3 && h->b[i].active; k++) {
            const char *s = json_string_value(
                json_object_get(json_object_get(h->b[i].plan, what[k]), "id"));
            if (s && !strcmp(s, id))
                return h->b[i].id;
        }
    return 0;
}

/* ---- Answers --------------------------------------------------------------------------------- */

/* 409: why, the train in question (or NULL) and the booking it comes to (0: none). */
static void refuse(reply *r, const char *train, long long booking, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void refuse(reply *r, const char *train, long long booking, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    json_t *e = json_pack("{s:s}", "error", why);
    if (train)
        json_object_set_new(e, "conflicting_train", json_string(train));
    json_object_set_new(e, "conflicting_booking", booking ? json_integer(booking) : json_null());
    char *text = e ? json_dumps(e, JSON_OUT) : NULL;
    json_decref(e);
    if (text)
        reply_take(r, 409, text);
    else
        reply_error(r, 500, "out of memory");
}

/* Answers o (taken) with the keys of detail (JSON text, may be NULL) added. */
static void reply_detail(reply *r, int status, json_t *o, const char *detail)
{
    json_t *d = detail ? json_loads(detail, 0, NULL) : NULL;
    if (d)
        json_object_update(o, d);
    json_decref(d);
    char *text = o ? json_dumps(o, JSON_OUT) : NULL;
    json_decref(o);
    if (text)
        reply_take(r, status, text);
    else
        reply_error(r, 500, "out of memory");
}

/* What a plan held and cancelled, for the audit trail (NULL when nothing: a fit plan). */
static char *changes_detail(const json_t *plan, const char *key)
{
    const json_t *changes = json_object_get(plan, "changes");
    if (!json_array_size(changes))
        return NULL;
    json_t *held = json_array(), *cancelled = json_array(), *c;
    size_t i;
    json_array_foreach(changes, i, c) {
        if (json_is_true(json_object_get(c, "cancelled")))
            json_array_append(cancelled, json_object_get(c, "service"));
        else
            json_array_append_new(held, json_pack("{s:O, s:O, s:O}", "service",
                                                  json_object_get(c, "service"), "at",
                                                  json_object_get(c, "at"), "delay_s",
                                                  json_object_get(c, "delay_s")));
    }
    json_t *o = json_pack("{s:o, s:o}", "held", held, "cancelled", cancelled);
    if (key) /* a cancellation: what it restores */
        o = json_pack("{s:o}", key, o);
    char *text = json_dumps(o, JSON_OUT);
    json_decref(o);
    return text;
}

/* ---- The re-check ---------------------------------------------------------------------------- */

/* The first conflict of the day sc between one of "ours" (the services of convoy, if not
 * NULL, and those named in the plan's changes) and another train: 0 none, 1 one (train:
 * the other's id, other: its convoy or ""), -1 an error (r set). */
static int first_conflict(const tumen_scenario *sc, const char *convoy, const json_t *plan,
                          char *other, size_t size, char *train, size_t tsize, reply *r)
{
    char *sj = NULL;
    tumen_blocking *b = NULL;
    tumen_conflicts *c = NULL;
    tumen_error err;
    memset(&err, 0, sizeof err);
    if (tumen_scenario_json(sc, &sj, &err) != TUMEN_OK ||
        conflicts_find(sc, NULL, &b, &c, &err) != TUMEN_OK) {
        tumen_free(sj);
        tumen_conflicts_destroy(c);
        tumen_blocking_destroy(b);
        reply_tumen(r, &err);
        return -1;
    }
    /* each service's convoy, by id */
    json_t *s = json_loads(sj, 0, NULL), *by_id = json_object(), *v;
    size_t i;
    json_array_foreach(json_object_get(s, "services"), i, v)
        json_object_set(by_id, json_string_value(json_object_get(v, "id")),
                        json_object_get(v, "convoy"));
    int found = 0;
    for (size_t k = 0; !found && k < tumen_conflicts_count(c); k++) {
        tumen_conflict x;
        tumen_conflicts_get(c, k, &x);
        const char *ca = json_string_value(json_object_get(by_id, x.train_a));
        const char *cb = json_string_value(json_object_get(by_id, x.train_b));
        int in_a = (convoy && ca && !strcmp(ca, convoy)) || plan_changes(plan, x.train_a);
        int in_b = (convoy && cb && !strcmp(cb, convoy)) || plan_changes(plan, x.train_b);
        if (in_a != in_b) {
            snprintf(other, size, "%s", in_a ? (cb ? cb : "") : (ca ? ca : ""));
            snprintf(train, tsize, "%s", in_a ? x.train_b : x.train_a);
            found = 1;
        }
    }
    json_decref(by_id);
    json_decref(s);
    tumen_free(sj);
    tumen_conflicts_destroy(c);
    tumen_blocking_destroy(b);
    return found;
}

/* The day sc re-checked for a conflict of ours (as first_conflict) with another train: 0
 * none, else r is set (409 naming the other train's booking, or an error) and -1. skip: a
 * booking being cancelled (not on the day). */
static int recheck(store *st, long long scenario, history *h, const tumen_scenario *sc,
                   const char *convoy, const json_t *plan, long long skip, const char *what,
                   reply *r)
{
    char other[160] = "", train[160] = "";
    int found = first_conflict(sc, convoy, plan, other, sizeof other, train, sizeof train, r);
    if (found <= 0)
        return found;
    long long with = 0;
    if (other[0] && store_booking_of_convoy(st, scenario, other, &with) == STORE_OK)
        ;
    else if (history_load(st, scenario, h, r) != 0)
        return -1;
    else
        with = last_change(h, train, NULL, skip); /* a train some booking retimed */
    refuse(r, train, with, "%s conflicts with %s on the timetable as it is now", what, train);
    return -1;
}

/* ---- Booking --------------------------------------------------------------------------------- */

typedef struct booking_work {
    long long scenario, id;  /* the plan (booking) or the booking (cancelling) */
    char who[64];
} booking_work;

/* A plan's trains held or cancelled that another booking changed since it was planned:
 * 0 none, -1 one (409 in r). */
static int stale(const history *h, const json_t *plan, reply *r)
{
    const json_t *basis = json_object_get(plan, "planned_on");
    json_t *empty = json_array(), *c;
    size_t i;
    int rc = 0;
    json_array_foreach(json_object_get(plan, "changes"), i, c) {
        const char *id = json_string_value(json_object_get(c, "service"));
        if (!id)
            continue;
        const char *verb = json_is_true(json_object_get(c, "cancelled")) ? "cancels" : "holds";
        long long owner = added_by(h, id);
        if (owner) { /* a booked special is its booker's: never given to another plan */
            refuse(r, id, owner, "the plan %s %s, which booking %lld added: a booked train is "
                                 "not given to another plan", verb, id, owner);
            rc = -1;
            break;
        }
        long long then = last_change(h, id, basis ? basis : empty, 0);
        long long now = last_change(h, id, NULL, 0);
        if (then == now)
            continue;
        if (now)
            refuse(r, id, now, "service %s, which the plan %s, was changed by booking %lld "
                               "after the plan was made: plan again", id, verb, now);
        else
            refuse(r, id, then, "service %s, which the plan %s, is as uploaded again since "
                                "booking %lld was cancelled: plan again", id, verb, then);
        rc = -1;
        break;
    }
    json_decref(empty);
    return rc;
}

/* Books the plan w->id, as a job: waiting for the write lock behind other bookings must not
 * hold an HTTP thread (and the connections it serves) for long. */
static void booking_do(void *input, const job_ctx *ctx, reply *r)
{
    (void)ctx;
    const booking_work *w = input;
    store *st = server_store();
    long long scenario = 0, booking = 0;
    char *text = NULL, *services = NULL;
    int rc = st ? store_plan_get(st, w->id, &scenario, &text, &services) : STORE_ERROR;
    if (rc != STORE_OK || scenario != w->scenario) {
        reply_error(r, rc == STORE_ERROR ? 500 : 404, "no plan %lld in scenario %lld", w->id,
                    w->scenario);
        free(text);
        free(services);
        return;
    }
    json_t *plan = json_loads(text, 0, NULL);
    free(text);
    if (store_begin(st) != STORE_OK) {
        json_decref(plan);
        free(services);
        reply_error(r, 503, "the store is busy; try again");
        return;
    }
    history h = {0};
    tumen_scenario *sc = NULL;
    char convoy[160] = "", *detail = NULL;
    int changes = json_array_size(json_object_get(plan, "changes")) > 0;
    if (store_booking_of_plan(st, w->id, &booking) == STORE_OK) {
        refuse(r, NULL, booking, "plan %lld is booked already", w->id);
    } else if (!plan || store_plan_convoy(st, w->id, convoy, sizeof convoy) != STORE_OK) {
        reply_error(r, 500, "the store cannot be read");
    } else if (changes && (history_load(st, w->scenario, &h, r) != 0 || stale(&h, plan, r))) {
        /* r says why */
    } else if (scenario_now(w->scenario, 0, "plan.yaml", services, &sc, NULL, r) == 0 &&
               recheck(st, w->scenario, &h, sc, convoy, plan, 0, "the plan", r) == 0) {
        detail = changes_detail(plan, NULL);
        if ((!changes || detail) &&
            store_booking_add(st, w->scenario, w->id, services, w->who, detail, &booking) ==
                STORE_OK &&
            store_commit(st) == STORE_OK) {
            reply_detail(r, 201, json_pack("{s:I, s:I}", "id", (json_int_t)booking, "plan_id",
                                           (json_int_t)w->id), detail);
            snprintf(r->location, sizeof r->location, "/api/v1/scenarios/%lld/bookings/%lld",
                     w->scenario, booking);
        } else {
            reply_error(r, 500, "the booking cannot be stored");
        }
    }
    store_rollback(st); /* a no-op after the commit */
    scenario_release(sc);
    history_free(&h);
    json_decref(plan);
    free(detail);
    free(services);
}

void h_booking_post(const request *q, reply *r)
{
    json_t *o;
    if (body_object(q, r, &o) != 0)
        return;
    json_int_t plan_id = json_integer_value(json_object_get(o, "plan_id"));
    json_decref(o);
    if (plan_id <= 0) {
        reply_error(r, 400, "request body: plan_id: a plan id (a positive integer) is required");
        return;
    }
    booking_work *w = calloc(1, sizeof *w);
    if (!w) {
        reply_error(r, 500, "out of memory");
        return;
    }
    w->scenario = q->id[0];
    w->id = plan_id;
    snprintf(w->who, sizeof w->who, "%s", q->who);
    job_run(q, r, booking_do, w, free);
}

/* ---- Cancelling ------------------------------------------------------------------------------ */

/* What the booking changed, each train still as it left it: 0, or -1 with 409 naming the
 * later booking that changed one again. */
static int rests_on(const history *h, const booked *b, reply *r)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(b->plan, "changes"), i, c) {
        const char *id = json_string_value(json_object_get(c, "service"));
        long long now = id ? last_change(h, id, NULL, 0) : b->id;
        if (now != b->id) {
            refuse(r, id, now, "booking %lld changed service %s again after booking %lld: "
                               "cancel it first", now, id, b->id);
            return -1;
        }
    }
    return 0;
}

static void cancel_do(void *input, const job_ctx *ctx, reply *r)
{
    (void)ctx;
    const booking_work *w = input;
    store *st = server_store();
    if (!st || store_begin(st) != STORE_OK) {
        reply_error(r, 503, "the store is busy; try again");
        return;
    }
    history h = {0};
    tumen_scenario *sc = NULL;
    char *detail = NULL;
    const booked *b = NULL;
    if (history_load(st, w->scenario, &h, r) == 0) {
        for (size_t i = 0; i < h.n && !b; i++)
            if (h.b[i].id == w->id && h.b[i].active)
                b = &h.b[i];
        if (!b)
            reply_error(r, 404, "no active booking %lld in scenario %lld", w->id, w->scenario);
    }
    int changes = b && json_array_size(json_object_get(b->plan, "changes")) > 0;
    if (!b || (changes && rests_on(&h, b, r) != 0)) {
        /* r says why */
    } else if (changes && (scenario_now(w->scenario, w->id, NULL, NULL, &sc, NULL, r) != 0 ||
                           recheck(st, w->scenario, &h, sc, NULL, b->plan, w->id,
                                   "a restored train", r) != 0)) {
        /* r says why */
    } else if (changes && !(detail = changes_detail(b->plan, "restored"))) {
        reply_error(r, 500, "out of memory");
    } else {
        int rc = store_booking_cancel(st, w->scenario, w->id, w->who, detail);
        if (rc == STORE_OK && store_commit(st) == STORE_OK) {
            reply_detail(r, 200, json_pack("{s:b}", "cancelled", 1), detail);
        } else {
            reply_error(r, rc == STORE_NOTFOUND ? 404 : 500,
                        "no active booking %lld in scenario %lld", w->id, w->scenario);
        }
    }
    store_rollback(st);
    scenario_release(sc);
    history_free(&h);
    free(detail);
}

void h_booking_delete(const request *q, reply *r)
{
    booking_work *w = calloc(1, sizeof *w);
    if (!w) {
        reply_error(r, 500, "out of memory");
        return;
    }
    w->scenario = q->id[0];
    w->id = q->id[1];
    snprintf(w->who, sizeof w->who, "%s", q->who);
    job_run(q, r, cancel_do, w, free);
}
