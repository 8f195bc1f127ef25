/* model.h: rolling stock, lines and journeys as the engine sees them.
 *
 * Everything here is SI (m, s, m/s, kg, N, W) and read-only once a scenario is loaded.
 * Readers (src/io) fill these structs; the engine (src/run) never sees a file.
 *
 * Running resistance: a vehicle keeps its law and coefficients as the input gave them
 * (tm_resistance); the physics layer (tm_train_derive) reduces every law, on the vehicle's
 * mass, to Davis coefficients summed over the train, a tabulated resistance on top. Readers
 * never multiply by a mass: docs/physics.md, "Running resistance" and "Mass".
 */
#ifndef TM_MODEL_H
#define TM_MODEL_H

#include <stddef.h>

#include "core/text.h"
#include "model/allowance.h"

/* A (speed, force) point of a tractive-effort or resistance table. */
typedef struct tm_force_point {
    double v; /* m/s */
    double f; /* N */
} tm_force_point;

typedef enum tm_vehicle_kind {
    TM_VEHICLE_LOCOMOTIVE,
    TM_VEHICLE_MULTIPLE_UNIT,
    TM_VEHICLE_COACH,
    TM_VEHICLE_WAGON
} tm_vehicle_kind;

typedef enum tm_resistance_law {
    TM_RESIST_DAVIS,      /* F = A + B v + C v^2 */
    TM_RESIST_STRAHL,     /* freight wagons, Strahl (Wende 2003, p. 153) */
    TM_RESIST_SAUTHOFF,   /* coaches, Sauthoff (Wende 2003, p. 153) */
    TM_RESIST_WENDE_LOCO, /* locomotives (Wende 2003, p. 151) */
    TM_RESIST_TABLE,      /* only the table */
    TM_RESIST_NONE
} tm_resistance_law;

/* Running resistance of one vehicle as its input gives it, in SI; physics/resistance.c
 * turns it into a force (docs/physics.md, "Running resistance"):
 *  - TM_RESIST_DAVIS: F = a + b v + c v^2 (a N, b N/(m/s), c N/(m/s)^2);
 *  - TM_RESIST_STRAHL, TM_RESIST_SAUTHOFF: specific coefficients (N per N of the vehicle's
 *    weight, tare and load) w = k0 + k1 v / v_ref + k2 ((v + dv) / v_ref)^2; Strahl has k1 0;
 *  - TM_RESIST_WENDE_LOCO: k0 on the weight on driving axles, k0_carrying on the weight on
 *    carrying axles, k2 ((v + dv) / v_ref)^2 on both; driving_mass and carrying_mass (kg) as
 *    given, negative when not given (then the driving axles carry the whole mass with load,
 *    the carrying axles the rest);
 * plus table(v), interpolated linearly and held constant beyond its ends. */
/* Reference speeds of the German formulas: they are written in km/h against 10 km/h
 * (Strahl) or 100 km/h (Sauthoff, Wende; TrainRuns.jl src/formulary.jl `v00 = 100/3.6`). */
#define TM_V_REF_STRAHL (10.0 / 3.6) /* m/s */
#define TM_V_REF_WENDE (100.0 / 3.6) /* m/s, also Sauthoff's */

typedef struct tm_resistance {
    tm_resistance_law law;
    double a, b, c;        /* TM_RESIST_DAVIS: N, N/(m/s), N/(m/s)^2 */
    double k0, k1, k2;     /* N/N */
    double k0_carrying;    /* N/N, TM_RESIST_WENDE_LOCO */
    double v_ref;          /* m/s, the speed k1 and k2 are given against */
    double dv;             /* m/s, head-wind allowance */
    double driving_mass, carrying_mass; /* kg, TM_RESIST_WENDE_LOCO; < 0: not given */
    tm_force_point *table;
    size_t n_table;
} tm_resistance;

/* Electrification systems a track can have and an electric vehicle can need. */
typedef enum tm_electrification {
    TM_ELEC_NONE = 0,
    TM_ELEC_DC_600,      /* 600-750 V DC, third rail or tram */
    TM_ELEC_DC_1500,
    TM_ELEC_DC_3000,
    TM_ELEC_AC_15K_16_7, /* 15 kV 16.7 Hz */
    TM_ELEC_AC_25K_50,   /* 25 kV 50 Hz */
    TM_ELEC_COUNT_
} tm_electrification;

typedef enum tm_power_type {
    TM_POWER_NONE,
    TM_POWER_DIESEL,
    TM_POWER_ELECTRIC,
    TM_POWER_STEAM
} tm_power_type;

/* A further traction mode of a vehicle that has several (a dual-mode locomotive: diesel
 * and electric; a multi-system one: several voltages; OSRD effort_curves.modes). The
 * vehicle's own power, electrification and effort are its primary (default) mode; which
 * mode pulls on a stretch follows from what the track supplies (tm_section.supply, the
 * rule in physics/traction_modes.c). */
typedef struct tm_traction_mode {
    tm_power_type power;                /* TM_POWER_DIESEL or TM_POWER_ELECTRIC */
    tm_electrification electrification; /* electric: the system it draws from */
    tm_force_point *effort;             /* (speed, force) table, or NULL: max_force/power */
    size_t n_effort;
    double max_force;                   /* N */
    double max_power;                   /* W; 0 = no power limit */
} tm_traction_mode;

typedef struct tm_vehicle {
    char id[TM_ID_LEN];
    char *name;
    tm_vehicle_kind kind;
    tm_power_type power;
    double mass;           /* kg, tare (empty) mass */
    double load;           /* kg, payload carried (counts for mass, not for rotating mass) */
    double length;         /* m, over couplers */
    int axles;             /* 0 if not given */
    double max_speed;      /* m/s; 0 = no limit of its own */
    double rotating_mass_factor; /* xi >= 1 as given; 0 = not given (physics takes the
                                  * kind's value: tm_vehicle_rotating_mass_factor) */
    tm_resistance resistance;
    /* Traction (locomotives and multiple units). Either a table of (speed, force), or
     * max_force and max_power with F(v) = min(max_force, max_power / v). */
    int has_traction;
    tm_force_point *effort;
    size_t n_effort;
    double max_force;      /* N */
    double max_power;      /* W; 0 = no power limit */
    double brake_weight;   /* kg ("braked weight", UIC 544-1); 0 if not given */
    double brake_deceleration; /* m/s^2 (> 0); 0 if not given */
    double brake_force;    /* N, the brakes' force when no deceleration is given (physics takes
                            * it over the vehicle's inertial mass); 0 if not given */
    double max_acceleration; /* m/s^2, caps the tractive force at the vehicle's inertial mass
                              * times it; 0 = no cap */
    /* Energy (docs/physics.md, "Energy from the supply"); 0 = not given. */
    double traction_efficiency; /* (0, 1]: wheel energy / energy from the wire or tank */
    double regenerative;        /* [0, 1): fraction of the braking work at the wheel returned
                                 * to the supply (all losses included) */
    double regen_max_force;     /* N, regenerative brake force limit; 0 = none */
    double regen_max_power;     /* W, regenerative brake power limit; 0 = none */
    int gauge;             /* mm of its wheelsets; 0 = not given (taken as 1435) */
    tm_electrification electrification; /* the system an electric vehicle draws from */
    tm_traction_mode *modes; /* further modes besides the primary one (owned), or NULL */
    size_t n_modes;
} tm_vehicle;

typedef struct tm_consist_entry {
    size_t vehicle; /* index into the scenario's vehicles */
    int count;
} tm_consist_entry;

/* One traction vehicle type in a consist, as the effort sum needs it. */
typedef struct tm_traction_unit {
    int count;
    const tm_force_point *table; /* the vehicle's table (owned by the vehicle) or NULL */
    size_t n_table;
    double max_force;            /* N */
    double max_power;            /* W; 0 = none */
} tm_traction_unit;

/* A train: an ordered consist and what derives from it (tm_train_derive). */
typedef struct tm_train {
    char id[TM_ID_LEN];
    char *name;
    tm_consist_entry *consist;
    size_t n_consist;
    /* Given on the train itself; 0 = derive. */
    double max_speed_given;          /* m/s */
    double brake_deceleration_given; /* m/s^2 */
    /* Derived by tm_train_derive: */
    double mass;              /* kg, tare + load */
    double tare_mass;         /* kg */
    double effective_mass;    /* kg, mass * rotating mass factor (inertia) */
    double rotating_mass_factor;
    double length;            /* m */
    double max_speed;         /* m/s */
    double max_axle_load;     /* kg per axle, heaviest vehicle; 0 if axles unknown */
    double brake_weight;      /* kg, sum; 0 if any vehicle lacks it */
    double brake_percentage;  /* %, brake_weight / mass * 100; 0 if unknown */
    double brake_deceleration;/* m/s^2, service deceleration used by the engine */
    double davis_a, davis_b, davis_c; /* N, N/(m/s), N/(m/s)^2, summed over the consist */
    tm_force_point *resistance_table; /* summed tabulated resistance, or NULL */
    size_t n_resistance_table;
    /* Traction summed over the consist; kinks are the speeds where the slope of the effort
     * or of the resistance table changes
     * (table points, P/Fmax), ascending, so the integrator can stop on them. */
    tm_traction_unit *traction;
    size_t n_traction;
    double *effort_kinks;
    size_t n_effort_kinks;
    int has_traction;
    /* Energy, from the traction vehicles (tm_train_derive): efficiency 1 and regenerative 0
     * when none gives them; limits 0 = none. */
    double traction_efficiency;
    double regenerative;
    double regen_max_force, regen_max_power;
    /* The traction units under each supply (tm_section.supply): entry
     * [supply * n_traction + i] is unit i as that supply lets it pull (its mode's effort,
     * or none: count 0). Filled by tm_train_derive; NULL when the train has no traction. */
    tm_traction_unit *supply_traction;
} tm_train;

typedef enum tm_curve_law {
    TM_CURVE_ROECKL,   /* Roeckl: 650/(R-55) per mille for R >= 300 m, 500/(R-30) below */
    TM_CURVE_800R,     /* 800/R per mille */
    TM_CURVE_NONE      /* curves ignored (railtoolkit paths fold them into the gradient) */
} tm_curve_law;

/* What the track supplies to traction over a section of a line (tm_section.supply), which
 * picks each traction vehicle's mode (physics/traction_modes.c):
 *  TM_SUPPLY_DEFAULT     not given (lines written by hand): every vehicle in its primary mode;
 *  TM_SUPPLY_NONE        no wire: diesel modes;
 *  TM_SUPPLY_WIRE(e)     a wire of system e: the electric mode for e, else diesel;
 *  TM_SUPPLY_NEUTRAL(e)  a neutral section in a wire of system e: the mode chosen as under
 *                        the wire, and no traction from it when that mode is electric
 *                        (the train coasts through). */
#define TM_SUPPLY_DEFAULT 0
#define TM_SUPPLY_NONE 1
#define TM_SUPPLY_WIRE(e) (1 + (int)(e))
#define TM_SUPPLY_NEUTRAL(e) (1 + (int)TM_ELEC_COUNT_ + (int)(e))
#define TM_SUPPLY_COUNT (1 + 2 * (int)TM_ELEC_COUNT_)

/* A section of a line with constant properties, from start to end. */
typedef struct tm_section {
    double start, end;   /* m */
    double speed_limit;  /* m/s */
    double gradient;     /* m/m, uphill positive */
    double radius;       /* m; 0 = straight */
    int supply;          /* TM_SUPPLY_*; 0 = not given */
} tm_section;

typedef struct tm_point {
    char *name;
    double position;  /* m */
    int stop;         /* 1: the train stops here */
    double dwell;     /* s */
    int rear;         /* 1: the point is passed when the train's rear is here */
} tm_point;

typedef struct tm_line {
    char id[TM_DERIVED_ID_LEN];
    char *name;
    tm_section *sections; /* contiguous and ascending */
    size_t n_sections;
    tm_point *points;     /* ascending by position */
    size_t n_points;
    tm_curve_law curve_law;
    double braking_distance; /* m, distance signalling gives to stop (signal spacing); 0 = unknown */
} tm_line;

typedef struct tm_leg {
    size_t train;       /* index into trains */
    size_t line;        /* index into lines */
    char *change;       /* consist change before this leg ("bogie exchange"), or empty */
    double change_time; /* s it takes, added to the dwell at the leg's first point */
} tm_leg;

typedef struct tm_journey {
    char *name;
    double departure;   /* s after midnight of the first departure */
    tm_leg *legs;
    size_t n_legs;
    tm_allowance_spec allowance; /* the default for legs that give none */
    tm_allowance_spec *leg_allowances; /* n_legs entries (owned), or NULL if no leg gives one */
} tm_journey;

/* Derives mass, length, resistance, traction and braking of a train from its consist.
 * Returns TUMEN_OK or TUMEN_EINPUT (no vehicle, a consist with no traction, no braking data)
 * with err naming the train. `file` is used in messages. */
struct tumen_error;
int tm_train_derive(tm_train *train, const tm_vehicle *vehicles, size_t n_vehicles,
                    const char *file, struct tumen_error *err);

/* Frees what tm_train_derive allocated (tm_train_free calls it). */
void tm_train_release_derived(tm_train *t);

/* Frees what a vehicle, train or line owns (not the struct itself). */
void tm_vehicle_free(tm_vehicle *v);
void tm_train_free(tm_train *t);
void tm_line_free(tm_line *l);
/* Frees what a journey owns (its name, legs and their changes, allowances) and zeroes it. */
void tm_journey_free(tm_journey *j);

/* Frees the timing-point names an allowance spec owns (not the spec itself). */
void tm_allowance_spec_release(tm_allowance_spec *spec);
/* A deep copy of src into dst (its names copied). Returns 0, or -1 when memory runs out
 * (then dst owns nothing). */
int tm_allowance_spec_copy(tm_allowance_spec *dst, const tm_allowance_spec *src);

typedef struct tm_scenario tm_scenario; /* model/scenario.h */

/* Looks up by id; returns the index or (size_t)-1. */
size_t tm_scenario_find_vehicle(const struct tm_scenario *s, const char *id);
size_t tm_scenario_find_train(const struct tm_scenario *s, const char *id);
size_t tm_scenario_find_line(const struct tm_scenario *s, const char *id);

#endif
