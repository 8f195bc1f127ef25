/* run.h: the running-time pipeline, inside the library.
 *
 *   leg (train, line) ─▶ course (speed limits with the train-length rule, force intervals)
 *                     ─▶ ceiling per stop-to-stop segment (limits + braking curves)
 *                     ─▶ forward pass (accelerate, cruise, brake) ─▶ trajectory samples
 *
 * Positions here are along the line (the line's own kilometrage); the journey shifts
 * them when it joins legs.
 */
#ifndef TM_RUN_H
#define TM_RUN_H

#include "core/vec.h"
#include "model/model.h"
#include "tumen.h"

/* A stretch with one speed limit (m, m, m/s). */
typedef struct tm_limit_piece {
    double start, end, v;
} tm_limit_piece;

/* Between two consecutive breakpoints the force of gradient and curves per unit weight
 * is w(s) = w0 + w1 (s - start): constant for the mass point, linear for the homogeneous
 * strip (head and tail each in one section). Timing points are breakpoints too, so the
 * trajectory has a sample exactly at each. */
typedef struct tm_force_interval {
    double start, end;
    double w0, w1; /* N/N and N/N per m */
    int supply;    /* what the track supplies to traction at the head (tm_section.supply) */
} tm_force_interval;

/* What the forward pass needs about one leg. */
typedef struct tm_course {
    const tm_train *train;
    double start, end;                 /* m, first and last position of the line */
    TM_VEC(tm_limit_piece) limits;     /* the most restrictive speed profile */
    TM_VEC(tm_force_interval) forces;  /* contiguous from start to end */
    double brake;                      /* m/s^2, service deceleration */
} tm_course;

/* Builds the course of a train over a line. Returns TUMEN_OK or TUMEN_ENOMEM. */
int tm_course_build(tm_course *c, const tm_train *train, const tm_line *line,
                    tumen_mass_model model, tumen_error *err);
void tm_course_free(tm_course *c);

/* Speed limit (m/s) that holds at s (the piece with start <= s < end). */
double tm_course_limit_at(const tm_course *c, double s);

/* Index of the force interval holding s (start <= s < end; the last for s >= end). */
size_t tm_course_force_index(const tm_course *c, double s, size_t hint);

/* A piece of the ceiling (the maximum-speed envelope): constant, or the braking parabola
 * v(s) = sqrt(v_anchor^2 + 2 b (x_anchor - s)) of constant deceleration b (Wende 2003, p. 37). */
typedef struct tm_ceiling_piece {
    double start, end;
    int braking;          /* 0: constant v; 1: braking parabola */
    double v;             /* constant speed, or the speed at the anchor */
    double x_anchor;      /* m, where the parabola reaches v */
} tm_ceiling_piece;

typedef TM_VEC(tm_ceiling_piece) tm_ceiling;

/* The ceiling of the segment [from, to] of a course, which starts and ends at a stop. */
int tm_ceiling_build(tm_ceiling *out, const tm_course *c, double from, double to);

/* The ceiling's speed at s, with piece p's formula (extended beyond its ends). */
double tm_ceiling_speed(const tm_ceiling_piece *p, double brake, double s);

typedef TM_VEC(tumen_sample) tm_samples;

/* A stretch where the train coasts (no traction, no brake) while it is below the ceiling
 * and faster than v_min; it follows the ceiling (holding brake, braking curve) where it
 * meets it. Used by eco driving (run/eco.c). */
typedef struct tm_coast_region {
    double start, end;  /* m */
    double v_min;       /* m/s: below this the train takes traction again */
} tm_coast_region;

typedef struct tm_pass_options {
    double max_step;    /* s */
    const tm_coast_region *coast; /* ascending, disjoint; NULL: never coast */
    size_t n_coast;
    /* If not NULL, += the braking work at the wheel (J) that a regenerative brake of the
     * train's force and power limits takes (all of it when the train gives no limits). */
    double *regen_work;
    int adaptive;       /* 1: error-controlled step, max_step (0: 60 s) the longest */
} tm_pass_options;

/* Runs the segment [from, to] (standstill to standstill) from time t0, appending samples
 * (the first sample, at from, must already be in out). Energy accumulates from the last
 * sample. Returns TUMEN_OK, TUMEN_ENOMEM, or TUMEN_EPHYSICS when the train stalls. */
int tm_pass_segment(tm_samples *out, const tm_course *c, double from, double to,
                    const tm_pass_options *opt, tumen_error *err);

/* A stop-to-stop run kept so that runs from the same stop to nearer stops start from it
 * (tm_pass_resume): its samples (the first the standstill at from, t = 0, E = 0) and its
 * ceiling. Default pass options (a fixed 2 s step, no coasting). */
typedef struct tm_pass_memo {
    double from, to;
    tm_samples samples;
    tm_ceiling ceiling;
} tm_pass_memo;

/* Runs [from, to] of c into m (tm_pass_segment's samples after the standstill at from). */
int tm_pass_memo_run(tm_pass_memo *m, const tm_course *c, double from, double to,
                     tumen_error *err);
void tm_pass_memo_free(tm_pass_memo *m);

/* Appends the samples of the run [m->from, to] (to <= m->to, on the course m was run on) to
 * out, whose last sample must be m's first: the same samples as tm_pass_segment with the
 * default options, taken from m up to where the two runs' ceilings part. *shared: the
 * appended run's samples 0 .. *shared (counting out's last as 0) are m's. */
int tm_pass_resume(tm_samples *out, const tm_course *c, const tm_pass_memo *m, double to,
                   size_t *shared, tumen_error *err);

typedef TM_VEC(tm_coast_region) tm_coast_vec;

/* ---- Allowances and eco driving (run/allowance.c, run/eco.c) ---- */

/* The speed W (m/s) at which an energy-optimal driver holding V switches from coasting to
 * braking on level track; eta is the fraction of braking work recovered (run/eco.c). */
double tm_eco_switch_speed(const tm_train *tr, double V, double eta);

/* The coasting regions of eco driving in the segment [from, to] whose ceiling (limits
 * already capped at the cruising speeds) is ceil; forward is the segment's run under that
 * ceiling without coasting (a coasting phase starts no earlier than where it meets it), or
 * NULL. Ranges: range i ends at range_ends[i] (ascending, the last at to) and shortens its
 * coasting by theta_of_range[i] in [0, 1]. eta: the fraction of braking work that counts
 * as recovered in the objective (0 for wheel energy). With lift and line (the course
 * without the cruising speeds' cap) given, the phases over steep descents and climbs are set
 * by the adjoint condition (run/eco.c) and *lift receives the stretches where the cap must
 * not hold (the speed rises above the cruising speed); steep 1: not for a descent reached
 * while accelerating from standstill (the rule above there), 2: for it too; steep 0 (or
 * no lift): descents are coasted by the rule above and climbs are not treated. */
int tm_eco_coast_regions(tm_coast_vec *out, tm_coast_vec *lift, int steep, const tm_course *c,
                         const tm_course *line, const tm_ceiling *ceil,
                         const tm_samples *forward, double from, double to,
                         const double *theta_of_range, const double *range_ends,
                         size_t n_ranges, double eta);

/* How one leg spends its allowance: built from the minimum-time run, then used for every
 * stop-to-stop segment of the leg. */
typedef struct tm_leg_plan tm_leg_plan;

/* Plans a leg. spec may be NULL; options may override it (tumen_run_options). t_depart is
 * the leg's first departure on the result's clock. *out is NULL when nothing is asked (the
 * leg runs at minimum time). Errors: TUMEN_ENOMEM, TUMEN_EPHYSICS, TUMEN_EINPUT (a target
 * that cannot be met, an unknown timing point), with err set. */
int tm_plan_leg(tm_leg_plan **out, const tm_course *c, const tm_line *line,
                const tm_allowance_spec *spec, const tumen_run_options *o, double t_depart,
                const tm_pass_options *po, tumen_error *err);

/* The bounds the plan does not enforce (a lower time bound that a later upper bound makes
 * unmeetable), as warnings naming where the bound is written; *out stays the plan's. */
size_t tm_plan_warnings(const tm_leg_plan *plan, const tumen_error **out);

/* Runs the segment [from, to] as planned (like tm_pass_segment). */
int tm_plan_segment(tm_leg_plan *plan, tm_samples *out, const tm_course *c, double from,
                    double to, const tm_pass_options *po, tumen_error *err);

/* When the train leaves head position x (a stop, or the leg's first point), ready to go at
 * `ready` (after its dwell): never before a not-before time of the plan's targets there
 * (result clock). plan may be NULL (the leg runs at minimum time): ready. */
double tm_plan_departure(const tm_leg_plan *plan, double x, double ready);

/* The target arrival (result clock) at head position x, or -1. */
double tm_plan_target_at(const tm_leg_plan *plan, double x);

/* What the minimum-time run of the leg gave: its running time without dwells (s), its
 * energy at the wheel (J) and its regenerable braking work (J); and the driving used. */
void tm_plan_min_time(const tm_leg_plan *plan, double *moving_time, double *energy,
                      double *regen_work, tumen_driving *driving);

void tm_plan_free(tm_leg_plan *plan);

/* One leg to run: a train over a line, after a consist change of change_time seconds. */
typedef struct tm_run_leg {
    const tm_train *train;
    const tm_line *line;
    const char *change;  /* what changes before this leg ("bogie exchange"), or NULL */
    double change_time;  /* s */
} tm_run_leg;

/* Runs legs one after another into a new result (positions and times run on across legs).
 * clock_start is the first departure in s after midnight, or -1. The caller frees the
 * result with tumen_result_destroy. This is what tm_scenario_run does for a scenario's journey;
 * routes and timetables call it with lines they build. */
int tm_run_journey(const tm_run_leg *legs, size_t n_legs, const tumen_run_options *options,
                   double clock_start, tumen_result **out, tumen_error *err);

/* The same, with allowances and targets: specs[i] for leg i (specs or specs[i] NULL: none
 * but what options give). */
int tm_run_journey_spec(const tm_run_leg *legs, const tm_allowance_spec *const *specs,
                        size_t n_legs, const tumen_run_options *options, double clock_start,
                        tumen_result **out, tumen_error *err);

/* Runs a scenario's journey or, without one, its only train over its only line (what
 * tumen_run does for the API's handle). options may be NULL. */
int tm_scenario_run(const tm_scenario *sc, const tumen_run_options *options,
                    tumen_result **out, tumen_error *err);

#endif
