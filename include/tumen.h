/*
 * tumen.h: the public API of tumen, a railway operations planner.
 *
 * The library computes how a train runs over a line from physics: speed over distance,
 * time at every point, forces and energy. Scenarios (rolling stock, lines, journeys) are
 * loaded from files; a run produces a trajectory and a timetable of timing points.
 *
 * Conventions (as in sqlite3.h and lua.h):
 *  - Every fallible function returns an int status: TUMEN_OK (0) or a negative code, and
 *    fills a caller-allocated tumen_error with a message a person can act on and, for bad
 *    input, the file, line and field.
 *  - Handles are opaque, made by *_load / *_create and freed by *_destroy; destroying
 *    NULL is a no-op.
 *  - Physics is SI throughout: m, s, m/s, m/s^2, kg, N, W, J.
 *  - The library never prints, never exits and has no global state: separate handles may
 *    be used from separate threads.
 */
#ifndef TUMEN_H
#define TUMEN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TUMEN_VERSION "0.1.0"

/* Result codes: one list feeds the enum and tumen_strerror(). */
#define TUMEN_ERROR_LIST(X)                                                         \
    X(TUMEN_OK, 0, "ok")                                                            \
    X(TUMEN_ENOMEM, -1, "out of memory")                                            \
    X(TUMEN_EIO, -2, "cannot read or write a file")                                 \
    X(TUMEN_EPARSE, -3, "the file is not well-formed")                              \
    X(TUMEN_EINPUT, -4, "a value in the input is missing or invalid")               \
    X(TUMEN_EPHYSICS, -5, "the train cannot run this line as given")                \
    X(TUMEN_EUSAGE, -6, "the call's arguments are invalid")

enum tumen_status {
#define TUMEN_ENUM_ITEM(name, value, text) name = value,
    TUMEN_ERROR_LIST(TUMEN_ENUM_ITEM)
#undef TUMEN_ENUM_ITEM
};

/* What went wrong, where. file/line/field are empty/0 when they do not apply. */
typedef struct tumen_error {
    int code;           /* a tumen_status */
    char file[256];     /* input file, if the error is in one */
    int line;           /* 1-based line in that file, 0 if unknown */
    int column;         /* 1-based column, 0 if unknown */
    char field[128];    /* the field (key path) that is wrong, e.g. "vehicles[2].mass" */
    char message[512];  /* a full sentence */
} tumen_error;

/* A fixed string for a status code; never NULL. */
const char *tumen_strerror(int code);

/* Formats "file:line: field: message" (the parts that are set) into buf. */
void tumen_error_format(const tumen_error *err, char *buf, size_t size);

/* ---- Scenarios ------------------------------------------------------------------ */

/* A set of vehicles, trains, lines and at most one journey, read from one or more
 * files (tumen YAML, railtoolkit YAML; see docs/formats.md). */
typedef struct tumen_scenario tumen_scenario;

/* Reads the files in order into a new scenario. On failure *out is NULL and err says
 * which file, line and field. The caller frees the scenario with tumen_scenario_destroy. */
int tumen_scenario_load(tumen_scenario **out, const char *const *paths, size_t n_paths,
                        tumen_error *err);

/* Same, from in-memory text (name is used in error messages). */
int tumen_scenario_load_text(tumen_scenario **out, const char *name, const char *text,
                             size_t length, tumen_error *err);

void tumen_scenario_destroy(tumen_scenario *scenario);

/* What a scenario holds, for reports. */
typedef struct tumen_train_info {
    const char *id, *name;
    double mass;              /* kg, tare + load */
    double length;            /* m */
    double max_speed;         /* m/s; 0 = no limit of its own */
    double max_axle_load;     /* kg; 0 if axles are not given */
    double brake_weight;      /* kg; 0 if not known for every vehicle */
    double brake_percentage;  /* %; 0 if unknown */
    double brake_deceleration;/* m/s^2, the service deceleration the engine uses */
    double max_effort;        /* N, starting tractive effort */
} tumen_train_info;

typedef struct tumen_line_info {
    const char *id, *name;
    double length;            /* m */
    double braking_distance;  /* m, signal spacing given for braking; 0 = not given */
    double steepest_downgrade;/* m/m, the most negative gradient (<= 0) */
} tumen_line_info;

size_t tumen_scenario_train_count(const tumen_scenario *scenario);
size_t tumen_scenario_line_count(const tumen_scenario *scenario);
/* The journey's legs (0 without a journey); leg i runs train *train over line *line. */
size_t tumen_scenario_leg_count(const tumen_scenario *scenario);
void tumen_scenario_leg(const tumen_scenario *scenario, size_t i, size_t *train, size_t *line);

/* Fill info for train or line i (< count). Strings point into the scenario. */
void tumen_scenario_train(const tumen_scenario *scenario, size_t i, tumen_train_info *info);
void tumen_scenario_line(const tumen_scenario *scenario, size_t i, tumen_line_info *info);

/* ---- Running a train ------------------------------------------------------------ */

typedef enum tumen_mass_model {
    TUMEN_MASS_POINT = 0,  /* all mass at the head: grade force from the head's gradient */
    TUMEN_MASS_STRIP = 1   /* homogeneous strip: grade force averaged over the train's length */
} tumen_mass_model;

/* A running-time allowance (UIC 451-1): extra time on top of the fastest run. */
typedef enum tumen_allowance_kind {
    TUMEN_ALLOWANCE_NONE = 0,
    TUMEN_ALLOWANCE_PERCENT,    /* value % of the fastest running time */
    TUMEN_ALLOWANCE_PER_100KM,  /* value s per 100 km of distance ("3 min/100km" = 180) */
    TUMEN_ALLOWANCE_TIME        /* value s in all */
} tumen_allowance_kind;

typedef struct tumen_allowance {
    tumen_allowance_kind kind;
    double value;
} tumen_allowance;

/* How a train spends its allowance (docs/physics.md, "Allowances and energy-saving
 * driving"). */
typedef enum tumen_driving {
    TUMEN_DRIVING_DEFAULT = 0,  /* as the file says; eco when it says nothing */
    TUMEN_DRIVING_LINEAR,       /* every speed limit scaled by one factor per range */
    TUMEN_DRIVING_ECO           /* cruise below the limit, coast before braking and downgrades */
} tumen_driving;

/* Parses "5%", "3 min/100km", "180 s/100km", "90 s", "1.5 min" into *out. Returns TUMEN_OK
 * or TUMEN_EINPUT with a message naming the accepted forms. */
int tumen_allowance_parse(const char *text, tumen_allowance *out, tumen_error *err);

typedef struct tumen_run_options {
    tumen_mass_model mass_model;
    double max_step;       /* s, the integrator's largest time step; 0 = default (2 s) */
    /* An allowance for every leg, replacing what the files give (kind NONE: the files'). */
    tumen_allowance allowance;
    tumen_driving driving; /* DEFAULT: the files' choice, else eco */
    int fastest;           /* 1: ignore every allowance and target (the minimum-time run) */
} tumen_run_options;

/* Default options: mass point, default step, the files' allowances. */
void tumen_run_options_init(tumen_run_options *options);

typedef enum tumen_driving_mode {
    TUMEN_MODE_STANDSTILL = 0,
    TUMEN_MODE_ACCELERATE,  /* maximum tractive effort */
    TUMEN_MODE_CRUISE,      /* holding the speed limit (partial traction or holding brake) */
    TUMEN_MODE_COAST,       /* no traction, no brake */
    TUMEN_MODE_BRAKE,       /* service brake towards a lower limit or a stop */
    TUMEN_MODE_DWELL        /* standing at a stop or for a consist change */
} tumen_driving_mode;

const char *tumen_mode_name(tumen_driving_mode mode);

/* One point of the trajectory. Forces are at the wheel rim, positive forward for
 * traction; resistance and grade_force are the forces opposing motion (grade_force
 * includes curve resistance; it is negative downhill). */
typedef struct tumen_sample {
    double t;            /* s since the journey's start */
    double s;            /* m along the journey */
    double v;            /* m/s */
    double a;            /* m/s^2 */
    double traction;     /* N, tractive effort applied (>= 0) */
    double brake;        /* N, braking force applied (>= 0) */
    double resistance;   /* N, running resistance of the train */
    double grade_force;  /* N, gradient and curve resistance */
    double energy;       /* J, traction energy at the wheel since the start */
    int mode;            /* tumen_driving_mode of the motion that ends at this point */
    int leg;             /* index of the journey leg */
} tumen_sample;

typedef struct tumen_timing_point {
    char name[96];
    double position;     /* m along the journey */
    double arrival;      /* s since the journey's start */
    double departure;    /* s; equals arrival where the train does not stop */
    int is_stop;         /* 1 if the train stops here */
    int leg;
    char change[96];     /* consist change made here ("bogie exchange"), or empty */
    double target;       /* s, the arrival planned here (a target, or the end of a range
                          * with an allowance), or -1 if none */
} tumen_timing_point;

typedef struct tumen_leg_summary {
    char train[128];     /* train name */
    char line[128];      /* line name */
    double start_position, end_position;  /* m along the journey */
    double departure, arrival;            /* s */
    double energy;       /* J, traction energy at the wheel */
    double max_speed;    /* m/s, highest speed reached */
    double train_mass;   /* kg */
    double train_length; /* m */
    double brake_percentage; /* %, 0 if not known */
    /* Energy from the supply: energy / traction efficiency - regenerated (J); equals energy
     * when the vehicles give no efficiency and no regenerative braking. */
    double energy_supply;
    double energy_regenerated;  /* J returned to the supply by regenerative braking */
    /* The minimum-time run of the same leg (equal to the above without an allowance). */
    double min_running_time;    /* s, departure to arrival, dwell included */
    double min_time_energy;     /* J at the wheel */
    double min_time_energy_supply; /* J from the supply */
    int driving;                /* tumen_driving used: DEFAULT = fastest (no allowance) */
} tumen_leg_summary;

/* The result of a run: owned by the caller, freed with tumen_result_destroy. */
typedef struct tumen_result {
    tumen_sample *samples;
    size_t n_samples;
    tumen_timing_point *timing_points;
    size_t n_timing_points;
    tumen_leg_summary *legs;
    size_t n_legs;
    double running_time;  /* s, first departure to last arrival, dwell included */
    double distance;      /* m */
    double energy;        /* J, traction energy at the wheel */
    double max_speed;     /* m/s */
    /* The line's speed limit and gradient along the journey, for plots: n_profile
     * steps; step i holds from profile_s[i] to profile_s[i+1] (the last to distance). */
    double *profile_s, *profile_limit, *profile_gradient;
    size_t n_profile;
    double clock_start;   /* s after midnight of the first departure, or -1 if not given */
    /* Sums over the legs (see tumen_leg_summary). */
    double energy_supply, energy_regenerated;
    double min_running_time, min_time_energy, min_time_energy_supply;
} tumen_result;

/* Runs the scenario's journey, or, without one, its only train over its only line.
 * options may be NULL for defaults. */
int tumen_run(const tumen_scenario *scenario, const tumen_run_options *options,
              tumen_result **out, tumen_error *err);

void tumen_result_destroy(tumen_result *result);

/* ---- Outputs (each writes to a temporary file and renames it into place) -------- */

int tumen_write_trajectory_csv(const tumen_result *result, const char *path, tumen_error *err);
int tumen_write_json(const tumen_result *result, const char *path, tumen_error *err);
/* Speed-distance plot: speed, speed limit and gradient. Format from the extension:
 * .png or .svg. */
int tumen_write_plot(const tumen_result *result, const char *title, const char *path,
                     tumen_error *err);

/* ---- Braking and the highest safe speed ----------------------------------------- */

/* The highest speed (m/s) from which a train of the given brake percentage (%) stops
 * within braking_distance (m) on a gradient (per unit, uphill positive), by the
 * Mindener formula; see docs/physics.md. Returns TUMEN_EINPUT for values out of range. */
int tumen_max_speed_for_braking_distance(double brake_percentage, double braking_distance,
                                         double gradient, double *speed, tumen_error *err);

/* ---- Simulation ---- */

/* Monte-Carlo delay propagation over a timetable's blocking times (docs/simulate.md):
 * many simulated days with random primary delays (the scenario's `delays:`, or the
 * documented defaults), spread over blocks, single-track sections and station tracks. */

/* Who goes first when two trains want the same block or single-track section. */
typedef enum tumen_dispatch {
    TUMEN_DISPATCH_FCFS = 0,     /* first come, first served */
    TUMEN_DISPATCH_TIMETABLE,    /* in the timetable's order (the default) */
    TUMEN_DISPATCH_PRIORITY      /* the timetable's order, but never waiting for a lower
                                  * category: special, then passenger, then freight */
} tumen_dispatch;

/* Parses "fcfs", "timetable" or "priority"; TUMEN_EUSAGE otherwise. */
int tumen_dispatch_parse(const char *text, tumen_dispatch *out, tumen_error *err);

typedef struct tumen_simulate_options {
    unsigned long long replications; /* simulated days; default 100 */
    unsigned long long seed;         /* default 1; the same seed gives the same bytes */
    int threads;                     /* default 1; the result does not depend on it */
    tumen_dispatch dispatch;         /* default TUMEN_DISPATCH_TIMETABLE */
    int no_delays;                   /* 1: no primary delays (the planned day) */
    /* The day without the special train (its timetable before `tumen special`), run on the
     * same random streams (common random numbers); NULL: none. Not owned. */
    const tumen_scenario *baseline;
    /* This process's share: replications first, first + stride, ... below `replications`
     * (MPI rank and size); stride 0 or 1 with first 0: all. */
    unsigned long long first, stride;
    /* Called after each replication the calling thread finishes: done so far (this
     * process), this process's total. May be NULL. */
    void (*progress)(void *ctx, unsigned long long done, unsigned long long total);
    void *progress_ctx;
} tumen_simulate_options;

void tumen_simulate_options_init(tumen_simulate_options *options);

/* A finished simulation: its plan and mergeable statistics. */
typedef struct tumen_simulation tumen_simulation;

/* Plans the day (every service run once, at its planned and its minimum running time),
 * then runs this process's share of the replications. sc (and options->baseline) must
 * outlive the simulation. Errors: TUMEN_EINPUT (no timetable, a service that cannot run, an
 * unknown station or service in `delays:`, naming file, line and field), TUMEN_EPHYSICS,
 * TUMEN_ENOMEM, TUMEN_EUSAGE (0 replications). Free with tumen_simulation_destroy. */
int tumen_simulation_run(const tumen_scenario *sc, const tumen_simulate_options *options,
                         tumen_simulation **out, tumen_error *err);

/* The statistics as n 64-bit counters (counts, sums in ms). Adding the counters of
 * simulations of the same files and options element-wise (MPI_Reduce with MPI_SUM over
 * the processes' shares) gives exactly the statistics of all their replications; write the
 * sum back into one simulation's counters before printing it. */
long long *tumen_simulation_counters(tumen_simulation *sim, size_t *n);

/* The results as JSON text (docs/simulate.md, "Outputs"): replications, seed,
 * punctuality, delay_s, primary_delay_min, knock_on_delay_min, stations, lines, the trains
 * and blocks spreading delay, and `baseline` with the special's cost. *text is malloc'd;
 * free it with tumen_free. TUMEN_OK or TUMEN_ENOMEM. */
int tumen_simulation_json(const tumen_simulation *sim, char **text, tumen_error *err);
/* The same as a short report for people. */
int tumen_simulation_text(const tumen_simulation *sim, char **text, tumen_error *err);
/* punctuality.csv, stations.csv, lines.csv, trains.csv, blocks.csv in dir (created if
 * missing), each written atomically. */
int tumen_simulation_write_csv(const tumen_simulation *sim, const char *dir,
                               tumen_error *err);
/* The delay distribution per category as a picture (.png or .svg by the extension). */
int tumen_simulation_plot(const tumen_simulation *sim, const char *path, tumen_error *err);

void tumen_simulation_destroy(tumen_simulation *sim);

/* All in one process: plan, run every replication, and the JSON text in *json (free with
 * tumen_free). */
int tumen_simulate(const tumen_scenario *sc, const tumen_simulate_options *options,
                   char **json, tumen_error *err);

/* Frees memory the library returned (text); NULL is a no-op. */
void tumen_free(void *p);

#ifdef __cplusplus
}
#endif

#endif /* TUMEN_H */
