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

/* Where a bound is written (file, 1-based line or 0, field path), for the warnings about
 * it; each may be NULL. Owned by the target that holds it. */
typedef struct tm_origin {
    char *file;
    int line;
    char *field;
} tm_origin;

/* Arrive at timing point `at` at `arrival`, in s on the result's clock (0 at the journey's
 * start). window = 1: by then at the latest (a later target may force an earlier arrival);
 * window = 0: exactly then; arrival < 0: no arrival bound. not_before > 0: leave `at` no
 * earlier than then (s, the same clock): where it is a stop, whenever the train arrives;
 * where the train passes, a lower bound of the time it passes. earliest > 0: arrive (or
 * pass) no earlier than then (TTOBench's earliest arrival at a stop). v_min, v_max > 0: the
 * lowest and highest speed (m/s) where the train passes `at`, checked on the run (v_max is
 * also a speed limit there, set by the reader on the line). A lower time bound that a later
 * upper bound makes unmeetable is not enforced and reported as a warning (run/allowance.c). */
typedef struct tm_target {
    char *at;
    double arrival;
    int window;
    double not_before;
    double earliest;
    double v_min, v_max;
    tm_origin origin;
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
