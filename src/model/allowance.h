/* allowance.h: running-time allowances and arrival targets as files give them (SI).
 *
 * A leg (or the whole journey, as the default for its legs) may carry an allowance for the
 * whole leg, allowances for ranges between named timing points, and target arrival times at
 * named timing points; src/run/allowance.c turns them into a running time per range and
 * drives the train to meet it (docs/formats.md, docs/physics.md).
 */
#ifndef TM_ALLOWANCE_H
#define TM_ALLOWANCE_H

#include "tumen.h"

#define TM_MAX_RANGES 16
#define TM_MAX_TARGETS 32

/* An allowance between two timing points (names; empty from = the leg's start, empty to =
 * its end). */
typedef struct tm_allowance_range {
    char *from, *to; 
    tumen_allowance allowance;
} tm_allowance_range;

/* Arrive at timing point `at` at `arrival`, in s on the result's clock (0 at the journey's
 * start). window = 1: by then at the latest (a later target may force an earlier arrival);
 * window = 0: exactly then; arrival < 0: no arrival bound. not_before > 0: where `at` is a
 * stop, leave it no earlier than then (s, the same clock), whenever the train arrives. */
typedef struct tm_target {
    char *at;
    double arrival;
    int window;
    double not_before;
} tm_target;

typedef struct tm_allowance_spec {
    tumen_allowance whole;   /* for the whole leg; kind NONE: none */
    tumen_driving driving;   /* DEFAULT: not given */
    tm_allowance_range ranges[TM_MAX_RANGES];
    size_t n_ranges;
    tm_target targets[TM_MAX_TARGETS];
    size_t n_targets;
    int shared;  /* 1: the journey's, for every leg: names not on a leg are skipped there */
} tm_allowance_spec;

/* 1 if the spec asks for anything (an allowance, a range or a target). */
int tm_allowance_spec_any(const tm_allowance_spec *spec);

#endif
