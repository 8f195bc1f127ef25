/*
 * tumen.h: the public API of tumen, a railway operations planner. This header is the
 * library's whole public surface: the `tumen` command line uses nothing else.
 *
 * The library computes how a train runs over a line from physics: speed over distance,
 * time at every point, forces and energy. Scenarios (rolling stock, lines, journeys, a
 * network, a timetable, a special-train request) are loaded from files or text; from a
 * scenario it runs a journey, routes a train over the network, runs a timetable, computes
 * blocking times, conflicts, headways and capacity, plans a special train, and imports and
 * exports other formats. docs/api.md is the manual in brief.
 *
 * Conventions (as in sqlite3.h and lua.h):
 *  - Every fallible function returns an int status: TUMEN_OK (0) or a negative code (one
 *    per class of error, below), and fills a caller-allocated tumen_error (which may be
 *    NULL) with a message a person can act on and, for bad input, the file, line and field
 *    ("file:line: field: message", tumen_error_format).
 *  - Handles are opaque, made by a function that takes `T **out` (NULL in *out after a
 *    failure) and freed by the matching *_destroy; destroying NULL is a no-op. A handle
 *    made from another (a timetable from a scenario) borrows it: destroy it first.
 *  - Strings the library returns as `const char *` belong to the handle they come from
 *    and live as long as it. Memory the library returns as `char **` / `void **` (JSON
 *    text, CSV, PNG or SVG bytes, reports) belongs to the caller, who frees it with
 *    tumen_free. Text is NUL-terminated; its length is given without the NUL.
 *  - Structs the caller fills for the library begin with `size` (set it with the *_init
 *    function, which sets defaults): later versions add fields at the end and read only
 *    what `size` covers. Structs the library allocates (tumen_result) grow at the end.
 *  - Indexes are size_t from 0; TUMEN_NPOS means "none" or "not found".
 *  - Physics is SI throughout: m, s, m/s, m/s^2, kg, N, W, J. Clock times are seconds after
 *    midnight of the timetable's day (they may exceed 86400 past midnight).
 *  - Results to memory and to files are the same bytes: *_json gives exactly what the
 *    command line prints with --json (final newline included); a file written to a path
 *    is written to a temporary file and renamed into place, so a failure leaves none.
 *  - Output never depends on the process locale.
 *
 * Threads: the library has no global state and never prints or exits. Separate handles may
 * be used from separate threads at the same time. A loaded scenario is read-only to every
 * call that takes it as `const tumen_scenario *`: several threads may run such calls on one
 * scenario at once (tumen_run, tumen_route_find, tumen_timetable_run,
 * tumen_blocking_compute, tumen_headway_compute, tumen_capacity_compute, tumen_special_plan,
 * the exports and the accessors), as long as none destroys it meanwhile. The same holds for
 * the const calls on every other handle. tumen_options.threads asks a long call for worker
 * threads of its own; 0 (the default) runs it in the calling thread, so a caller that owns
 * its parallelism (an HTTP server, MPI ranks) gets exactly one thread per call.
 */
#ifndef TUMEN_H
#define TUMEN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Symbols of the shared library: only what this header declares is exported. */
#if defined(__GNUC__) && !defined(TUMEN_STATIC_ONLY)
#define TUMEN_API __attribute__((visibility("default")))
#else
#define TUMEN_API
#endif

/* ---- Version ---------------------------------------------------------------------- */

/* The version of this header. A program may compare them with tumen_version_number() (the
 * library it runs against): the major version changes when the API or ABI breaks, the minor
 * when functions or fields are added, the patch for fixes. */
#define TUMEN_VERSION_MAJOR 0
#define TUMEN_VERSION_MINOR 1
#define TUMEN_VERSION_PATCH 0
#define TUMEN_VERSION "0.1.0"
#define TUMEN_VERSION_NUMBER \
    (TUMEN_VERSION_MAJOR * 10000 + TUMEN_VERSION_MINOR * 100 + TUMEN_VERSION_PATCH)

/* The library's version as text ("0.1.0") and as MAJOR*10000 + MINOR*100 + PATCH. */
TUMEN_API const char *tumen_version(void);
TUMEN_API int tumen_version_number(void);

#define TUMEN_NPOS ((size_t)-1)

/* Frees memory the library returned through a char ** or void ** argument. NULL is a
 * no-op. */
TUMEN_API void tumen_free(void *p);

/* Removes every output file the library is writing at this moment (each is a temporary
 * that would have been renamed into place when whole), so that a program stopped by a
 * signal leaves nothing half-written. Async-signal-safe (it only unlinks): for a signal
 * handler that then ends the program; the library's state is not usable afterwards. */
TUMEN_API void tumen_remove_pending_outputs(void);

/* ---- Errors ----------------------------------------------------------------------- */

/* Result codes: one list feeds the enum and tumen_strerror(). */
#define TUMEN_ERROR_LIST(X)                                                         \
    X(TUMEN_OK, 0, "ok")                                                            \
    X(TUMEN_ENOMEM, -1, "out of memory")                                            \
    X(TUMEN_EIO, -2, "cannot read or write a file")                                 \
    X(TUMEN_EPARSE, -3, "the file is not well-formed")                              \
    X(TUMEN_EINPUT, -4, "a value in the input is missing or invalid")               \
    X(TUMEN_EPHYSICS, -5, "the train cannot run this line as given")                \
    X(TUMEN_EUSAGE, -6, "the call's arguments are invalid")                         \
    X(TUMEN_ECANCELLED, -7, "the call was cancelled")

enum tumen_status {
#define TUMEN_ENUM_ITEM(name, value, text) name = value,
    TUMEN_ERROR_LIST(TUMEN_ENUM_ITEM)
#undef TUMEN_ENUM_ITEM
};

/* What went wrong, where. file/line/field are empty/0 when they do not apply. Reading an
 * input file that cannot be read is TUMEN_EIO with file set; writing an output that fails
 * is TUMEN_EIO with file empty (the path is in the message). */
typedef struct tumen_error {
    int code;           /* a tumen_status */
    char file[256];     /* input file, if the error is in one */
    int line;           /* 1-based line in that file, 0 if unknown */
    int column;         /* 1-based column, 0 if unknown */
    char field[128];    /* the field (key path) that is wrong, e.g. "vehicles[2].mass" */
    char message[512];  /* a full sentence */
} tumen_error;

/* A fixed string for a status code; never NULL. */
TUMEN_API const char *tumen_strerror(int code);

/* Formats "file:line: field: message" (the parts that are set) into buf. */
TUMEN_API void tumen_error_format(const tumen_error *err, char *buf, size_t size);

/* Copies src (NULL: "") into buf (size bytes, NUL-terminated). A text that does not fit is
 * cut at a UTF-8 character boundary, never inside a character, and ends with "\u2026" (the
 * ellipsis): for names shown in fixed buffers such as tumen_error.message. Returns buf.
 * tumen keeps names whole everywhere else. */
TUMEN_API char *tumen_text_clip(char *buf, size_t size, const char *src);

/* ---- Options of long calls -------------------------------------------------------- */

/* Progress of a long call: `done` of `total` work items (services run) are finished.
 * Return 0 to go on, anything else to cancel: the call stops as soon as it can and
 * returns TUMEN_ECANCELLED (nothing is returned or written). With worker threads it is
 * called from them, one call at a time. */
typedef int (*tumen_progress_fn)(void *user, size_t done, size_t total);

typedef struct tumen_options {
    size_t size;                /* sizeof(tumen_options), set by tumen_options_init */
    int threads;                /* worker threads of the call's own; 0 (default) or 1: none,
                                 * the calling thread does the work */
    tumen_progress_fn progress; /* NULL: no progress, no cancelling */
    void *user;                 /* passed to progress */
} tumen_options;

TUMEN_API void tumen_options_init(tumen_options *options);

/* ---- Scenarios -------------------------------------------------------------------- */

/* Everything read from one or more files: vehicles, trains, lines and at most one journey;
 * a network of operational points and tracks; a timetable; a special-train request
 * (tumen YAML, railtoolkit YAML, TTOBench; see docs/formats.md). */
typedef struct tumen_scenario tumen_scenario;

/* Reads the files in order into a new scenario (a timetable may name trains and points of
 * any of them). On failure *out is NULL and err says which file, line and field:
 * TUMEN_EIO (a file cannot be read), TUMEN_EPARSE, TUMEN_EINPUT, TUMEN_ENOMEM, TUMEN_EUSAGE
 * (no paths). The caller frees the scenario with tumen_scenario_destroy. */
TUMEN_API int tumen_scenario_load(tumen_scenario **out, const char *const *paths,
                                  size_t n_paths, tumen_error *err);

/* Same, with worker threads of the call's own: threads > 1 parses the files on two threads
 * (a large timetable beside the network and the stock) and reads them into the scenario one
 * at a time in file order, so the scenario and the first error are the same as on one
 * thread. threads <= 1 (and tumen_scenario_load) use the calling thread alone. */
TUMEN_API int tumen_scenario_load_threads(tumen_scenario **out, const char *const *paths,
                                          size_t n_paths, int threads, tumen_error *err);

/* Same, from in-memory text (name is used in error messages; NULL: "<text>"). */
TUMEN_API int tumen_scenario_load_text(tumen_scenario **out, const char *name,
                                       const char *text, size_t length, tumen_error *err);

TUMEN_API void tumen_scenario_destroy(tumen_scenario *scenario);

/* What a scenario holds, for reports. Strings point into the scenario. */
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

TUMEN_API size_t tumen_scenario_train_count(const tumen_scenario *scenario);
TUMEN_API size_t tumen_scenario_line_count(const tumen_scenario *scenario);
/* The journey's legs (0 without a journey); leg i runs train *train over line *line. */
TUMEN_API size_t tumen_scenario_leg_count(const tumen_scenario *scenario);
TUMEN_API void tumen_scenario_leg(const tumen_scenario *scenario, size_t i, size_t *train,
                                  size_t *line);

/* Fill info for train or line i (< count). Strings point into the scenario. */
TUMEN_API void tumen_scenario_train(const tumen_scenario *scenario, size_t i,
                                    tumen_train_info *info);
TUMEN_API void tumen_scenario_line(const tumen_scenario *scenario, size_t i,
                                   tumen_line_info *info);

/* The index of the train with this id, or TUMEN_NPOS. */
TUMEN_API size_t tumen_scenario_find_train(const tumen_scenario *scenario, const char *id);

/* ---- The network (through its scenario) -------------------------------------------- */

/* An operational point: a station, a junction, a halt, a border. */
typedef struct tumen_op_info {
    const char *id, *name;    /* name is the id when the file gives none */
    int has_position;         /* 1: lat and lon are given */
    double lat, lon;          /* degrees (WGS 84) */
    size_t loops;             /* passing loops or station tracks clear of the main line */
} tumen_op_info;

/* A track: the line between two operational points. */
typedef struct tumen_track_info {
    const char *id;
    size_t from, to;          /* operational points */
    double length;            /* m */
} tumen_track_info;

/* Counts of operational points and tracks (0: the files give no network) and of the
 * timetable's services (0: no timetable). */
TUMEN_API size_t tumen_scenario_op_count(const tumen_scenario *scenario);
TUMEN_API size_t tumen_scenario_track_count(const tumen_scenario *scenario);
TUMEN_API size_t tumen_scenario_service_count(const tumen_scenario *scenario);
/* 1 when the files hold a special-train request (`special:`), else 0. */
TUMEN_API int tumen_scenario_has_special(const tumen_scenario *scenario);

TUMEN_API void tumen_scenario_op(const tumen_scenario *scenario, size_t i, tumen_op_info *info);
TUMEN_API void tumen_scenario_track(const tumen_scenario *scenario, size_t i,
                                    tumen_track_info *info);

/* The operational point with this id, or TUMEN_NPOS. tumen_scenario_find_op_named also
 * takes a point's name when no id matches (the first point of that name). */
TUMEN_API size_t tumen_scenario_find_op(const tumen_scenario *scenario, const char *id);
TUMEN_API size_t tumen_scenario_find_op_named(const tumen_scenario *scenario, const char *text);

/* Parses a line "A-B" (or "A,B" when ids hold '-') into two operational points: the split
 * where both sides are ids of the network. TUMEN_EINPUT (field "line") when no split, or
 * more than one, names two points. */
TUMEN_API int tumen_scenario_parse_line(const tumen_scenario *scenario, const char *text,
                                        size_t *from, size_t *to, tumen_error *err);

/* ---- Quantities ------------------------------------------------------------------- */

/* Parses a duration with its unit ("10min", "90 s", "1.5 h") into seconds. TUMEN_EINPUT
 * with the reason in err->message. */
TUMEN_API int tumen_parse_duration(const char *text, double *seconds, tumen_error *err);

/* Parses a clock time "HH:MM" or "HH:MM:SS" (hours 0 to 47) into s after midnight.
 * TUMEN_EINPUT for anything else. */
TUMEN_API int tumen_parse_clock(const char *text, double *seconds, tumen_error *err);

/* ---- Running a train -------------------------------------------------------------- */

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

/* What eco driving minimises (docs/physics.md, "Traction energy" and "Energy from the
 * supply"): the traction work at the wheel, or the energy from the supply (traction work over
 * the traction efficiency, less the regenerated braking work). */
typedef enum tumen_objective {
    TUMEN_OBJECTIVE_WHEEL = 0,
    TUMEN_OBJECTIVE_SUPPLY
} tumen_objective;

/* Parses "5%", "3 min/100km", "180 s/100km", "90 s", "1.5 min" into *out. Returns TUMEN_OK
 * or TUMEN_EINPUT with a message naming the accepted forms. */
TUMEN_API int tumen_allowance_parse(const char *text, tumen_allowance *out, tumen_error *err);

/* Engine options. This struct predates the size convention and keeps its layout; it does
 * not grow (new engine options go to a new struct). */
typedef struct tumen_run_options {
    tumen_mass_model mass_model;
    double max_step;       /* s, the integrator's largest time step; 0 = default (2 s) */
    /* An allowance for every leg, replacing what the files give (kind NONE: the files'). */
    tumen_allowance allowance;
    tumen_driving driving; /* DEFAULT: the files' choice, else eco */
    int fastest;           /* 1: ignore every allowance and target (the minimum-time run) */
    /* 1: error-controlled step (step doubling, docs/physics.md "The integrator"): long steps
     * where the forces are smooth, max_step (0: 60 s) the longest; 0: fixed max_step. */
    int adaptive_step;
    tumen_objective objective; /* what eco driving minimises (default: wheel) */
} tumen_run_options;

/* Default options: mass point, default step, the files' allowances. */
TUMEN_API void tumen_run_options_init(tumen_run_options *options);

typedef enum tumen_driving_mode {
    TUMEN_MODE_STANDSTILL = 0,
    TUMEN_MODE_ACCELERATE,  /* maximum tractive effort */
    TUMEN_MODE_CRUISE,      /* holding the speed limit (partial traction or holding brake) */
    TUMEN_MODE_COAST,       /* no traction, no brake */
    TUMEN_MODE_BRAKE,       /* service brake towards a lower limit or a stop */
    TUMEN_MODE_DWELL        /* standing at a stop or for a consist change */
} tumen_driving_mode;

TUMEN_API const char *tumen_mode_name(tumen_driving_mode mode);

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

/* Names in the result are whole, of any length, and owned by the result (freed by
 * tumen_result_destroy); never NULL. */
typedef struct tumen_timing_point {
    const char *name;
    double position;     /* m along the journey */
    double arrival;      /* s since the journey's start */
    double departure;    /* s; equals arrival where the train does not stop */
    int is_stop;         /* 1 if the train stops here */
    int leg;
    const char *change;  /* consist change made here ("bogie exchange"), or "" */
    double target;       /* s, the arrival planned here (a target, or the end of a range
                          * with an allowance), or -1 if none */
} tumen_timing_point;

typedef struct tumen_leg_summary {
    const char *train;   /* train name */
    const char *line;    /* line name */
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

/* The result of a run: allocated by the library, owned by the caller, freed with
 * tumen_result_destroy. Fields are only ever added at the end. */
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
    /* Time and speed bounds of the journey that are not enforced or not met (a lower time
     * bound a later upper bound makes unmeetable, a speed bound the run breaks: docs/formats.md,
     * "Allowances and targets"): each names the file, line and field of the bound and says
     * why (code TUMEN_EINPUT; tumen_error_format prints it). Owned by the result. */
    tumen_error *warnings;
    size_t n_warnings;
} tumen_result;

/* Runs the scenario's journey, or, without one, its only train over its only line.
 * options may be NULL for defaults. Errors: TUMEN_EINPUT (nothing to run, several trains or
 * lines without a journey), TUMEN_EPHYSICS (the train stalls: err says where),
 * TUMEN_ENOMEM, TUMEN_EUSAGE. */
TUMEN_API int tumen_run(const tumen_scenario *scenario, const tumen_run_options *options,
                        tumen_result **out, tumen_error *err);

TUMEN_API void tumen_result_destroy(tumen_result *result);

/* The result as JSON: exactly what `tumen run --json` prints (running_time_s, distance_m,
 * energy_j, ..., timing_points[], legs[]). *text is the caller's (tumen_free). */
TUMEN_API int tumen_result_json(const tumen_result *result, char **text, size_t *length,
                                tumen_error *err);
/* The legs, the timetable at every timing point and the totals: what `tumen run` prints. */
TUMEN_API int tumen_result_text(const tumen_result *result, char **text, size_t *length,
                                tumen_error *err);

/* The trajectory as CSV (a row per sample: t, s, v, a, forces, mode, energy, leg). */
TUMEN_API int tumen_result_csv(const tumen_result *result, char **text, size_t *length,
                               tumen_error *err);

/* The speed-distance plot (speed, speed limit, gradient) as image bytes; format "png" or
 * "svg" (TUMEN_EUSAGE otherwise). title may be NULL. */
TUMEN_API int tumen_result_plot(const tumen_result *result, const char *title,
                                const char *format, void **data, size_t *length,
                                tumen_error *err);

/* The same to files (written to a temporary file and renamed into place). */
TUMEN_API int tumen_write_trajectory_csv(const tumen_result *result, const char *path,
                                         tumen_error *err);
TUMEN_API int tumen_write_json(const tumen_result *result, const char *path, tumen_error *err);
/* Format from the extension: .png or .svg. */
TUMEN_API int tumen_write_plot(const tumen_result *result, const char *title, const char *path,
                               tumen_error *err);

/* ---- Braking and the highest safe speed ------------------------------------------- */

/* The highest speed (m/s) from which a train of the given brake percentage (%) stops
 * within braking_distance (m) on a gradient (per unit, uphill positive), by the
 * Mindener formula; see docs/physics.md. Returns TUMEN_EINPUT for values out of range. */
TUMEN_API int tumen_max_speed_for_braking_distance(double brake_percentage,
                                                   double braking_distance, double gradient,
                                                   double *speed, tumen_error *err);

/* ---- Routing ---------------------------------------------------------------------- */

/* A required stop on a route: operational point (id or name) and minimum dwell (s). */
typedef struct tumen_route_stop {
    const char *op;
    double dwell;
} tumen_route_stop;

typedef struct tumen_route_request {
    size_t size;                     /* sizeof(tumen_route_request): tumen_route_request_init */
    const char *train;               /* train id at the origin */
    const char *from, *to;           /* operational points, id or name */
    const char *const *via;          /* passed in order */
    size_t n_via;
    const char *const *change_to;    /* train ids it may become at a facility */
    size_t n_change_to;
    const tumen_route_stop *stops;
    size_t n_stops;
    int run;                         /* 1: also run the route through the engine */
    double departure;                /* s after midnight at the origin for the run; < 0 none */
} tumen_route_request;

TUMEN_API void tumen_route_request_init(tumen_route_request *request);

/* The fastest route a train may run over the network (gauge, traction, axle load, loop
 * length; bogie exchange, locomotive change), and with request->run its run. */
typedef struct tumen_route tumen_route;

/* Finds the route. Errors: TUMEN_EINPUT when there is no network, an id names nothing
 * (field "train", "from", "to", "via", "change_to" or "stops"), or no route exists (the
 * message says which constraint blocks and where); TUMEN_EPHYSICS when the run stalls;
 * TUMEN_ENOMEM; TUMEN_EUSAGE. The route borrows the scenario. */
TUMEN_API int tumen_route_find(const tumen_scenario *scenario,
                               const tumen_route_request *request, tumen_route **out,
                               tumen_error *err);
TUMEN_API void tumen_route_destroy(tumen_route *route);

TUMEN_API double tumen_route_length(const tumen_route *route);          /* m */
TUMEN_API double tumen_route_estimated_time(const tumen_route *route);  /* s, a lower bound */
/* The operational points passed, origin first (n_steps + 1 of them). */
TUMEN_API size_t tumen_route_point_count(const tumen_route *route);
TUMEN_API size_t tumen_route_point(const tumen_route *route, size_t i); /* an op index */
/* The run (request->run), or NULL; owned by the route. */
TUMEN_API const tumen_result *tumen_route_result(const tumen_route *route);

/* Exactly what `tumen route --json` prints (with "run" when it was run). */
TUMEN_API int tumen_route_json(const tumen_route *route, char **text, size_t *length,
                               tumen_error *err);
/* What `tumen route` prints (with the run's table when it was run). */
TUMEN_API int tumen_route_text(const tumen_route *route, char **text, size_t *length,
                               tumen_error *err);

/* ---- Timetables ------------------------------------------------------------------- */

typedef struct tumen_timetable_options {
    size_t size;                /* sizeof: tumen_timetable_options_init */
    tumen_options common;       /* threads, progress (per service run) */
    double max_step;            /* s, the engine's largest step; 0: default */
    int keep_trajectories;      /* 1: keep every service's trajectory (for the diagram) */
    int keep_going;             /* 1: a failing service is recorded, the others run */
} tumen_timetable_options;

TUMEN_API void tumen_timetable_options_init(tumen_timetable_options *options);

/* Every service of a scenario's timetable, run: routed over the network with its train,
 * run from its departure with its stops and dwells. */
typedef struct tumen_timetable tumen_timetable;

/* Runs the timetable. Errors: TUMEN_EINPUT when the files give no timetable or a service
 * has no route (err names the service and its line), TUMEN_EPHYSICS (a train stalls),
 * TUMEN_ECANCELLED, TUMEN_ENOMEM, TUMEN_EUSAGE. Same result for any thread count. The
 * timetable borrows the scenario. */
TUMEN_API int tumen_timetable_run(const tumen_scenario *scenario,
                                  const tumen_timetable_options *options,
                                  tumen_timetable **out, tumen_error *err);
TUMEN_API void tumen_timetable_destroy(tumen_timetable *timetable);

typedef struct tumen_service_info {
    const char *id, *train;
    const char *category;       /* "passenger", "freight" or "special" */
    int status;                 /* TUMEN_OK, or its error code (keep_going) */
    const char *error;          /* the error message when status != TUMEN_OK, else NULL */
    double departure, arrival;  /* s after midnight */
    double running_time;        /* s */
    double distance;            /* m */
    double energy;              /* J at the wheel */
    double max_speed;           /* m/s */
    size_t n_points;            /* operational points passed */
} tumen_service_info;

typedef struct tumen_service_point {
    size_t op;                  /* operational point index */
    double position;            /* m along the service's route */
    double arrival, departure;  /* s after midnight */
    int is_stop;
} tumen_service_point;

TUMEN_API size_t tumen_timetable_service_count(const tumen_timetable *timetable);
TUMEN_API void tumen_timetable_service(const tumen_timetable *timetable, size_t i,
                                       tumen_service_info *info);
TUMEN_API void tumen_timetable_point(const tumen_timetable *timetable, size_t service,
                                     size_t k, tumen_service_point *point);

/* The run's warnings (like tumen_result.warnings: a bound of a service's targets that is
 * not enforced or not met), every service's in service order; each names the file, line
 * and field where the bound is written, and its message begins with the service
 * ("service 'id' (line N): ..."). The timetable still ran: a warning is no failure. The
 * error belongs to the timetable (valid until it is destroyed); NULL when i is out of
 * range. */
TUMEN_API size_t tumen_timetable_warning_count(const tumen_timetable *timetable);
TUMEN_API const tumen_error *tumen_timetable_warning(const tumen_timetable *timetable,
                                                     size_t i);

/* Exactly what `tumen timetable --json` prints: name, date, services[], warnings[]. */
TUMEN_API int tumen_timetable_json(const tumen_timetable *timetable, char **text,
                                   size_t *length, tumen_error *err);
/* What `tumen timetable` prints. */
TUMEN_API int tumen_timetable_text(const tumen_timetable *timetable, char **text,
                                   size_t *length, tumen_error *err);
/* One CSV row per service and operational point passed (tumen timetable --csv). */
TUMEN_API int tumen_timetable_csv(const tumen_timetable *timetable, char **text,
                                  size_t *length, tumen_error *err);
TUMEN_API int tumen_timetable_write_csv(const tumen_timetable *timetable, const char *path,
                                        tumen_error *err);
/* A static GTFS feed in directory dir, replacing a feed tumen wrote there (timezone: the
 * agency's IANA zone, NULL: "UTC"). TUMEN_EINPUT when a point passed has no position. */
TUMEN_API int tumen_timetable_write_gtfs(const tumen_timetable *timetable, const char *dir,
                                         const char *timezone, tumen_error *err);
/* The time-distance diagram of the line from operational point `from` to `to` (shortest
 * path). The timetable must have been run with keep_trajectories for trains drawn from
 * their trajectories (from their timing points otherwise). format: "png" or "svg". */
TUMEN_API int tumen_timetable_plot(const tumen_timetable *timetable, size_t from, size_t to,
                                   const char *format, void **data, size_t *length,
                                   tumen_error *err);
TUMEN_API int tumen_timetable_write_plot(const tumen_timetable *timetable, size_t from,
                                         size_t to, const char *path, tumen_error *err);

/* ---- Blocking times and conflicts ------------------------------------------------- */

typedef struct tumen_blocking_options {
    size_t size;                /* sizeof: tumen_blocking_options_init */
    tumen_options common;       /* threads, progress (per service run) */
    double buffer;              /* s: each blocking time counts as ending this much later */
} tumen_blocking_options;

TUMEN_API void tumen_blocking_options_init(tumen_blocking_options *options);

/* The blocking times of every service of a timetable on the network's resources (block
 * sections, single-track sections, stations); docs/physics.md. */
typedef struct tumen_blocking tumen_blocking;

typedef struct tumen_blocking_time {
    size_t service;             /* index in the timetable */
    const char *resource;       /* the resource's name, as conflicts print it */
    double start, end;          /* s after midnight */
} tumen_blocking_time;

/* Runs the timetable and computes its blocking times. Errors as tumen_timetable_run. The
 * result borrows the scenario. */
TUMEN_API int tumen_blocking_compute(const tumen_scenario *scenario,
                                     const tumen_blocking_options *options,
                                     tumen_blocking **out, tumen_error *err);
TUMEN_API void tumen_blocking_destroy(tumen_blocking *blocking);
TUMEN_API size_t tumen_blocking_count(const tumen_blocking *blocking);
/* The resource name lives as long as the blocking handle. */
TUMEN_API void tumen_blocking_get(const tumen_blocking *blocking, size_t i,
                                  tumen_blocking_time *out);
/* The timetable run's warnings, as tumen_timetable_warning gives them (owned by the
 * blocking handle; NULL when i is out of range). */
TUMEN_API size_t tumen_blocking_warning_count(const tumen_blocking *blocking);
TUMEN_API const tumen_error *tumen_blocking_warning(const tumen_blocking *blocking,
                                                    size_t i);

/* Pairs of trains whose blocking times overlap on one resource (services of one convoy
 * excepted). */
typedef struct tumen_conflicts tumen_conflicts;

typedef struct tumen_conflict {
    const char *train_a, *train_b;  /* service ids */
    size_t service_a, service_b;
    const char *resource;
    double start, end;          /* s after midnight: the overlap (with the buffer) */
} tumen_conflict;

/* Finds the conflicts of the blocking times, on the worker threads the blocking was
 * computed with (its options' common.threads; the same list on any number). TUMEN_ENOMEM.
 * The conflicts borrow the blocking handle: destroy them first. */
TUMEN_API int tumen_conflicts_find(const tumen_blocking *blocking, tumen_conflicts **out,
                                   tumen_error *err);
TUMEN_API void tumen_conflicts_destroy(tumen_conflicts *conflicts);
TUMEN_API size_t tumen_conflicts_count(const tumen_conflicts *conflicts);
TUMEN_API void tumen_conflicts_get(const tumen_conflicts *conflicts, size_t i,
                                   tumen_conflict *out);
/* Exactly what `tumen conflicts --json` prints: [{train_a, train_b, resource, start_s,
 * end_s, overlap_s}]. */
TUMEN_API int tumen_conflicts_json(const tumen_conflicts *conflicts, char **text,
                                   size_t *length, tumen_error *err);
/* What `tumen conflicts` prints. */
TUMEN_API int tumen_conflicts_text(const tumen_conflicts *conflicts, char **text,
                                   size_t *length, tumen_error *err);
/* The time-distance diagram of the line from `from` to `to` with every train's
 * blocking-time stairs and the conflicts in red (the services are run again with their
 * trajectories; options as for the blocking times, NULL: defaults). format "png"/"svg". */
TUMEN_API int tumen_conflicts_plot(const tumen_conflicts *conflicts, size_t from, size_t to,
                                   const tumen_options *options, const char *format,
                                   void **data, size_t *length, tumen_error *err);
TUMEN_API int tumen_conflicts_write_plot(const tumen_conflicts *conflicts, size_t from,
                                         size_t to, const tumen_options *options,
                                         const char *path, tumen_error *err);

/* ---- Headway ---------------------------------------------------------------------- */

/* The minimum headway of two trains on a line: each behind the other and, where the line
 * has single track, the crossing headway. */
typedef struct tumen_headway tumen_headway;

typedef struct tumen_headway_info {
    const char *leader, *follower;  /* train ids */
    int crossing;               /* 1: the follower runs the other way (from `to`) */
    double headway;             /* s; meaningless when deciding is NULL */
    const char *deciding;       /* the block that decides it, or NULL: no shared block */
} tumen_headway_info;

/* Runs train1 and train2 (indexes) from operational point `from` to `to`. Errors:
 * TUMEN_EINPUT (no route), TUMEN_EPHYSICS, TUMEN_ENOMEM, TUMEN_EUSAGE (bad index). */
TUMEN_API int tumen_headway_compute(const tumen_scenario *scenario, size_t train1,
                                    size_t train2, size_t from, size_t to,
                                    tumen_headway **out, tumen_error *err);
TUMEN_API void tumen_headway_destroy(tumen_headway *headway);
/* 2, or 3 with the crossing headway. */
TUMEN_API size_t tumen_headway_count(const tumen_headway *headway);
TUMEN_API void tumen_headway_get(const tumen_headway *headway, size_t i,
                                 tumen_headway_info *out);
/* What `tumen headway --json` prints: {from, to, headways: [{leader, follower, crossing,
 * headway_s, deciding}]} (headway_s and deciding null without a shared block). */
TUMEN_API int tumen_headway_json(const tumen_headway *headway, char **text, size_t *length,
                                 tumen_error *err);
/* What `tumen headway` prints. */
TUMEN_API int tumen_headway_text(const tumen_headway *headway, char **text, size_t *length,
                                 tumen_error *err);

/* ---- Capacity (UIC 406) ----------------------------------------------------------- */

typedef enum tumen_line_type {
    TUMEN_LINE_MIXED = 0,
    TUMEN_LINE_SUBURBAN,
    TUMEN_LINE_HIGH_SPEED
} tumen_line_type;

typedef struct tumen_capacity tumen_capacity;

typedef struct tumen_capacity_info {
    size_t size;                /* set by the caller: sizeof(tumen_capacity_info) */
    double length;              /* m of the line */
    size_t tracks;              /* tracks along it */
    double window_start, window_end; /* s after midnight */
    size_t trains;              /* trains whose stairs on the line begin in the window */
    double compressed;          /* s, the compressed occupation time */
    double occupancy;           /* compressed / window (fraction) */
    double limit;               /* UIC 406's recommended limit (fraction) */
    int peak;                   /* 1: the peak-hour limit (window <= 3 h), 0: the day's */
} tumen_capacity_info;

/* The occupancy of the line from `from` to `to` (shortest path, both directions) in the
 * window [window_start, window_end) by the compression method of UIC 406. Errors:
 * TUMEN_EINPUT (no path, an empty window), TUMEN_EPHYSICS, TUMEN_ENOMEM. */
TUMEN_API int tumen_capacity_compute(const tumen_scenario *scenario, size_t from, size_t to,
                                     double window_start, double window_end,
                                     tumen_line_type type, const tumen_options *options,
                                     tumen_capacity **out, tumen_error *err);
TUMEN_API void tumen_capacity_destroy(tumen_capacity *capacity);
TUMEN_API void tumen_capacity_get(const tumen_capacity *capacity, tumen_capacity_info *info);
/* What `tumen capacity --json` prints: {from, to, length_m, tracks, window_start_s,
 * window_end_s, line_type, trains, compressed_s, occupancy, limit, period, congested}. */
TUMEN_API int tumen_capacity_json(const tumen_capacity *capacity, char **text, size_t *length,
                                  tumen_error *err);
/* What `tumen capacity` prints. */
TUMEN_API int tumen_capacity_text(const tumen_capacity *capacity, char **text, size_t *length,
                                  tumen_error *err);

/* ---- Special trains --------------------------------------------------------------- */

typedef enum tumen_special_mode {
    TUMEN_SPECIAL_REQUEST = -1, /* the request's mode (fit when it names none) */
    TUMEN_SPECIAL_FIT = 0,      /* leave every other train as planned; earliest clear path */
    TUMEN_SPECIAL_PRIORITY = 1  /* the special runs as fast as it can; others held/cancelled */
} tumen_special_mode;

typedef struct tumen_special_options {
    size_t size;                /* sizeof: tumen_special_options_init */
    tumen_options common;       /* threads for running the timetable; progress is called
                                 * with 0 of 1 before the plan, then as it goes (done of
                                 * total of the stage at hand: the timetable's runs, the
                                 * search's expansions or nodes against their limits), and
                                 * 1 of 1 after; nonzero cancels within a few polls */
    int mode;                   /* a tumen_special_mode */
} tumen_special_options;

TUMEN_API void tumen_special_options_init(tumen_special_options *options);

/* A clear, secure path for the scenario's special-train request (`special:`) through its
 * timetable (docs/special.md). */
typedef struct tumen_special tumen_special;

/* Plans the request. TUMEN_OK with a plan, or with an infeasible request (see
 * tumen_special_feasible: an impossible request is not an error). Errors: TUMEN_EINPUT (no
 * request, an unknown train or point, no route: naming the request's file, line and
 * field), TUMEN_EPHYSICS, TUMEN_ECANCELLED, TUMEN_ENOMEM. The plan borrows the scenario. */
TUMEN_API int tumen_special_plan(const tumen_scenario *scenario,
                                 const tumen_special_options *options, tumen_special **out,
                                 tumen_error *err);
TUMEN_API void tumen_special_destroy(tumen_special *special);

/* 1: the request is met. 0: it cannot be (tumen_special_why says which rule and by how
 * much; tumen_special_has_plan says whether a closest feasible alternative was found). */
TUMEN_API int tumen_special_feasible(const tumen_special *special);
TUMEN_API const char *tumen_special_why(const tumen_special *special); /* "" when feasible */
TUMEN_API int tumen_special_has_plan(const tumen_special *special);
/* The special's departure and arrival (s after midnight) in the plan. */
TUMEN_API double tumen_special_departure(const tumen_special *special);
TUMEN_API double tumen_special_arrival(const tumen_special *special);
/* The route security schedule (docs/special.md): each protected object along the route with
 * the convoy's passing times, guard, closure and power-off windows and the trains held, and a
 * summary; JSON if path ends in .json, else CSV; written atomically. Also under
 * "security_schedule" in tumen_special_json and after the plan in tumen_special_text.
 * TUMEN_EINPUT when the request cannot be met (no plan). */
TUMEN_API int tumen_special_write_security_schedule(const tumen_special *special,
                                                    const char *path, tumen_error *err);

/* Exactly what `tumen special --json` prints (the special plan JSON: mode, feasible, why,
 * departure_s, ..., changes[], pilot/special/escort). */
TUMEN_API int tumen_special_json(const tumen_special *special, char **text, size_t *length,
                                 tumen_error *err);
/* What `tumen special` prints. */
TUMEN_API int tumen_special_text(const tumen_special *special, char **text, size_t *length,
                                 tumen_error *err);
/* The whole new timetable as timetable YAML (tumen special --out-timetable). */
TUMEN_API int tumen_special_timetable_yaml(const tumen_special *special, char **text,
                                           size_t *length, tumen_error *err);
TUMEN_API int tumen_special_write_timetable(const tumen_special *special, const char *path,
                                            tumen_error *err);
/* The time-distance diagram of the special's route with its corridor shaded (the new
 * timetable is run; options NULL: defaults). format "png"/"svg". */
TUMEN_API int tumen_special_plot(const tumen_special *special, const tumen_options *options,
                                 const char *format, void **data, size_t *length,
                                 tumen_error *err);
TUMEN_API int tumen_special_write_plot(const tumen_special *special,
                                       const tumen_options *options, const char *path,
                                       tumen_error *err);

/* ---- Imports ---------------------------------------------------------------------- */

typedef struct tumen_import_options {
    size_t size;                /* sizeof: tumen_import_options_init */
    int drop_sidings;           /* OSM: leave out yard, siding and spur tracks */
    int strict;                 /* railML 2: a dangling connection or an element beyond its
                                 * track is an error (else a track end, or moved) */
    int drop_temporary;         /* leave out temporary speed restrictions */
    double default_speed;       /* m/s where the file gives no limit; 0: 100 km/h */
} tumen_import_options;

TUMEN_API void tumen_import_options_init(tumen_import_options *options);

/* A file of another format read into a scenario: railML 2.2-2.5, railML 3.1/3.2, OSRD
 * railjson and rolling stock, OpenStreetMap XML and PBF (docs/formats.md, "Imports"). */
typedef struct tumen_import tumen_import;

/* Counts of what the file held, each as the file has them. */
typedef struct tumen_import_summary {
    size_t size;                /* set by the caller: sizeof(tumen_import_summary) */
    const char *format;         /* "railML 2", "OSRD railjson", ... (static) */
    const char *version;        /* as the file gives it; owned by the import */
    size_t tracks;
    double length;              /* m, the tracks' lengths summed */
    size_t switches, signals, speed_changes, gradient_changes, curve_changes;
    size_t operational_points, vehicles, trains;
    size_t open_refs;           /* references that lead out of the file */
    size_t outside;             /* elements beyond their track, moved to its nearer end */
    size_t switch_connections;  /* the legal moves through the switches */
    size_t trains_without_network; /* timetable trains counted but not read: the file has
                                    * no infrastructure for them to run on */
    size_t level_crossings, bridges, tunnels; /* structures, as the file has them */
} tumen_import_summary;

/* The format's name of a file's content ("railML 2", ...; detected from its first MiB),
 * or NULL when it is none that tumen imports (tumen YAML, say) or cannot be read. */
TUMEN_API const char *tumen_import_detect_file(const char *path);

/* Reads a file (format detected from the content; options NULL: defaults). Errors:
 * TUMEN_EPARSE (not well-formed, or no known format), TUMEN_EINPUT (naming the line or
 * JSON path and the element), TUMEN_EIO, TUMEN_ENOMEM. */
TUMEN_API int tumen_import_file(const char *path, const tumen_import_options *options,
                                tumen_import **out, tumen_error *err);
/* Same from memory; name is used in messages. */
TUMEN_API int tumen_import_memory(const char *name, const void *data, size_t length,
                                  const tumen_import_options *options, tumen_import **out,
                                  tumen_error *err);
TUMEN_API void tumen_import_destroy(tumen_import *import);

TUMEN_API void tumen_import_get_summary(const tumen_import *import,
                                        tumen_import_summary *summary);
/* The scenario the import holds (network, vehicles, trains, timetable, track shapes):
 * owned by the import, valid until tumen_import_destroy; every call that takes a const
 * scenario takes it. */
TUMEN_API const tumen_scenario *tumen_import_scenario(const tumen_import *import);

/* Exactly what `tumen import --summary --json` prints. */
TUMEN_API int tumen_import_summary_json(const tumen_import *import, char **text,
                                        size_t *length, tumen_error *err);
/* What `tumen import --summary` prints. */
TUMEN_API int tumen_import_summary_text(const tumen_import *import, char **text,
                                        size_t *length, tumen_error *err);
/* The network (and rolling stock) as tumen YAML (tumen import -o). */
TUMEN_API int tumen_import_network_yaml(const tumen_import *import, char **text,
                                        size_t *length, tumen_error *err);
TUMEN_API int tumen_import_write_network(const tumen_import *import, const char *path,
                                         tumen_error *err);

/* ---- Exports ---------------------------------------------------------------------- */

/* The scenario's network, rolling stock and timetable as railML 2.4. */
TUMEN_API int tumen_export_railml(const tumen_scenario *scenario, char **text, size_t *length,
                                  tumen_error *err);
TUMEN_API int tumen_export_write_railml(const tumen_scenario *scenario, const char *path,
                                        tumen_error *err);

typedef struct tumen_geojson_options {
    size_t size;                /* sizeof: tumen_geojson_options_init */
    tumen_options common;       /* for running the timetable (positions) */
    int positions;              /* 1: run the timetable and add the trains running at clock */
    double clock;               /* s after midnight */
} tumen_geojson_options;

TUMEN_API void tumen_geojson_options_init(tumen_geojson_options *options);

/* The network as GeoJSON: operational points as Points, tracks as LineStrings (their
 * imported shape, else straight), and with positions the running trains as Points.
 * TUMEN_EINPUT when positions are asked without a timetable. */
TUMEN_API int tumen_export_geojson(const tumen_scenario *scenario,
                                   const tumen_geojson_options *options, char **text,
                                   size_t *length, tumen_error *err);
TUMEN_API int tumen_export_write_geojson(const tumen_scenario *scenario,
                                         const tumen_geojson_options *options,
                                         const char *path, tumen_error *err);

/* ---- Synthetic networks ----------------------------------------------------------- */

#define TUMEN_GEN_MIN_KM 50.0
#define TUMEN_GEN_MAX_KM 100000.0
#define TUMEN_GEN_MAX_SERVICES 1000000

typedef struct tumen_gen_options {
    size_t size;                /* sizeof: tumen_gen_options_init */
    double km;                  /* total track length, km (default 5000) */
    size_t services;            /* services in the day's timetable (default 10000) */
    uint64_t seed;              /* default 1; same seed, same bytes */
} tumen_gen_options;

TUMEN_API void tumen_gen_options_init(tumen_gen_options *options);

typedef struct tumen_gen_stats {
    size_t size;                /* set by the caller: sizeof(tumen_gen_stats) */
    size_t ops, tracks, sections, signals, lines;
    double track_km, main_km, branch_km;
    size_t vehicles, trains, services;
    size_t network_nodes, timetable_nodes; /* YAML nodes of network.yaml, timetable.yaml */
} tumen_gen_stats;

/* Writes dir/network.yaml, dir/trains.yaml and dir/timetable.yaml (dir must exist), all
 * or none. stats may be NULL. Errors: TUMEN_EUSAGE (options out of range), TUMEN_EIO,
 * TUMEN_ENOMEM. */
TUMEN_API int tumen_gen_network(const tumen_gen_options *options, const char *dir,
                                tumen_gen_stats *stats, tumen_error *err);

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
TUMEN_API int tumen_dispatch_parse(const char *text, tumen_dispatch *out, tumen_error *err);

typedef struct tumen_simulate_options {
    size_t size;                     /* sizeof: tumen_simulate_options_init */
    /* threads: worker threads (0 or 1: the calling thread; the result does not depend on
     * it); progress: replications done of this process's share (with a baseline, both
     * days'), called from the calling thread; nonzero cancels (TUMEN_ECANCELLED). */
    tumen_options common;
    unsigned long long replications; /* simulated days; default 100 */
    unsigned long long seed;         /* default 1; the same seed gives the same bytes */
    tumen_dispatch dispatch;         /* default TUMEN_DISPATCH_TIMETABLE */
    int no_delays;                   /* 1: no primary delays (the planned day) */
    /* The day without the special train (its timetable before `tumen special`), run on the
     * same random streams (common random numbers); NULL: none. Not owned. */
    const tumen_scenario *baseline;
    /* This process's share: replications first, first + stride, ... below `replications`
     * (MPI rank and size); stride 0 or 1 with first 0: all. */
    unsigned long long first, stride;
    /* One simulated day to report in full: -1 (default) none; K (below replications): the
     * JSON gains "replication" (tumen_simulation_replication_json) and the CSV files
     * replication.csv. */
    long long replication;
} tumen_simulate_options;

TUMEN_API void tumen_simulate_options_init(tumen_simulate_options *options);

/* A finished simulation: its plan and mergeable statistics. */
typedef struct tumen_simulation tumen_simulation;

/* Plans the day (every service run once, at its planned and its minimum running time),
 * then runs this process's share of the replications. sc (and options->baseline) must
 * outlive the simulation. Errors: TUMEN_EINPUT (no timetable, a service that cannot run, an
 * unknown station or service in `delays:`, naming file, line and field), TUMEN_EPHYSICS,
 * TUMEN_ENOMEM, TUMEN_ECANCELLED, TUMEN_EUSAGE (0 replications, a replication to report
 * beyond them). Free with tumen_simulation_destroy. */
TUMEN_API int tumen_simulation_run(const tumen_scenario *sc, const tumen_simulate_options *options,
                         tumen_simulation **out, tumen_error *err);

/* The statistics as n 64-bit counters (counts, sums in ms). Adding the counters of
 * simulations of the same files and options element-wise (MPI_Reduce with MPI_SUM over
 * the processes' shares) gives exactly the statistics of all their replications; write the
 * sum back into one simulation's counters before printing it. */
TUMEN_API long long *tumen_simulation_counters(tumen_simulation *sim, size_t *n);

/* Exactly what `tumen simulate --json` prints (docs/simulate.md, "Outputs"): replications,
 * seed, punctuality, delay_s, primary_delay_min, knock_on_delay_min, stations, lines, the
 * trains and blocks spreading delay, `baseline` with the special's cost, `replication` when
 * asked for. TUMEN_OK or TUMEN_ENOMEM. */
TUMEN_API int tumen_simulation_json(const tumen_simulation *sim, char **text, size_t *length,
                                    tumen_error *err);
/* What `tumen simulate` prints: a short report for people. */
TUMEN_API int tumen_simulation_text(const tumen_simulation *sim, char **text, size_t *length,
                                    tumen_error *err);
/* punctuality.csv, stations.csv, lines.csv, trains.csv, blocks.csv (and replication.csv
 * when options->replication asked for one) in dir (created if missing), each written
 * atomically. */
TUMEN_API int tumen_simulation_write_csv(const tumen_simulation *sim, const char *dir,
                               tumen_error *err);
/* The delay distribution per category as a picture (.png or .svg by the extension). */
TUMEN_API int tumen_simulation_plot(const tumen_simulation *sim, const char *path, tumen_error *err);

/* Simulated day `replication` (below the simulation's replications; any process can run
 * any of them: its random numbers depend only on the seed and its number) in full: per
 * service its primary and knock-on delay and, per point passed, the planned and actual
 * arrival and departure: {"number", "services": [{"service", "category",
 * "primary_delay_s", "knock_on_delay_s", "points": [{"id", "planned_arrival_s",
 * "arrival_s", "planned_departure_s", "departure_s"}]}]} (s after midnight, to the ms).
 * TUMEN_EUSAGE for a replication beyond them, TUMEN_ENOMEM. */
TUMEN_API int tumen_simulation_replication_json(const tumen_simulation *sim,
                                                unsigned long long replication, char **text,
                                                size_t *length, tumen_error *err);
/* The time-distance diagram of simulated day `replication` on the line from operational
 * point `from` to `to` (shortest path; both TUMEN_NPOS: the route of the longest service,
 * origin to destination): every train at its actual times at its timing points, over the
 * planned day drawn faint; the times are those of tumen_simulation_replication_json.
 * format "png"/"svg"; the path's extension says which. */
TUMEN_API int tumen_simulation_diagram(const tumen_simulation *sim,
                                       unsigned long long replication, size_t from,
                                       size_t to, const char *format, void **data,
                                       size_t *length, tumen_error *err);
TUMEN_API int tumen_simulation_write_diagram(const tumen_simulation *sim,
                                             unsigned long long replication, size_t from,
                                             size_t to, const char *path, tumen_error *err);

TUMEN_API void tumen_simulation_destroy(tumen_simulation *sim);

/* All in one process: plan, run every replication, and the JSON text in *json (free with
 * tumen_free). */
TUMEN_API int tumen_simulate(const tumen_scenario *sc, const tumen_simulate_options *options,
                             char **json, size_t *length, tumen_error *err);

/* ---- Planning-service calls (src/api/service.c) ---------------------------------
 * Added by the `serve` branch for tumen serve until the public-library work covers them:
 * results as JSON text in memory (the keys of the CLI's --json), freed with tumen_free. */

/* Reads n in-memory texts (names[k] names texts[k] in error messages and must outlive the
 * call) into one scenario, as tumen_scenario_load reads files. */
TUMEN_API int tumen_scenario_load_texts(tumen_scenario **out, const char *const *names,
                                        const char *const *texts, const size_t *lengths,
                                        size_t n, tumen_error *err);

/* What a scenario holds: {"trains": [ids], "points": [{"id","name"}], "services": [{"id",
 * "train", "category", "convoy"}], "lines": [ids], "date"}. */
TUMEN_API int tumen_scenario_json(const tumen_scenario *scenario, char **json,
                                  tumen_error *err);

/* Routes train from operational point `from` to `to` over the scenario's network, leaving
 * at departure (s after midnight), and runs it: the object of `tumen run --json`, with
 * "route" (the points passed, m) and "profile" (at most max_samples samples: s_m, v_ms,
 * t_s) added. */
TUMEN_API int tumen_route_run_json(const tumen_scenario *scenario, const char *train,
                                   const char *from, const char *to, double departure,
                                   size_t max_samples, char **json, tumen_error *err);

/* A special plan as a change to the timetable it was planned on, as timetable YAML: under
 * `withdraw:` the services it holds or cancels, and as services the held ones retimed (under
 * their own ids) and its convoy (pilot, special, escort). Loaded after the scenario's files,
 * it puts the whole plan into its timetable. A fit plan changes no other train: the text is
 * then its convoy alone. TUMEN_EUSAGE when the request has no plan. */
TUMEN_API int tumen_special_convoy_yaml(const tumen_special *special, char **text,
                                        size_t *length, tumen_error *err);

/* The time-distance diagram of the line from operational point a to b (the shortest path):
 * {"line": {"length_m", "points": [{"id","name","km"}]}, "services": [{"id","category",
 * "convoy","path": [[t_s, m], ...]}], "stairs": [{"service", "t0", "t1", "m0", "m1"}],
 * "conflicts": [{"train_a","train_b","t0","t1","m0","m1"}]}. */
TUMEN_API int tumen_diagram_json(const tumen_scenario *scenario, const char *a, const char *b,
                                 int threads, char **json, tumen_error *err);

#ifdef __cplusplus
}
#endif

#endif /* TUMEN_H */
