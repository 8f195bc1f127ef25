/* delays.h: primary delays as files give them: per train category, per station and per
 * service, a distribution for the entry delay at the origin, dwell extensions and running-
 * time extensions (docs/formats.md, "Delays"; docs/simulate.md). The simulation draws from
 * them (sim/delays.h); here only the data and its lifecycle. All in s. */
#ifndef TM_MODEL_DELAYS_H
#define TM_MODEL_DELAYS_H

#include <stddef.h>

#include "model/model.h"

typedef enum tm_dist_kind {
    TM_DIST_NONE = 0,      /* never a delay */
    TM_DIST_EXPONENTIAL,
    TM_DIST_WEIBULL,
    TM_DIST_LOGNORMAL,
    TM_DIST_NORMAL,        /* truncated at 0 */
    TM_DIST_EMPIRICAL
} tm_dist_kind;

typedef struct tm_dist {
    tm_dist_kind kind;
    double p_zero;          /* probability of no delay, in [0, 1] */
    double a, b;            /* exponential: mean (s); weibull: shape, scale (s);
                             * lognormal: mu, sigma of ln(x / 1 s); normal: mean, sd (s) */
    double *values;         /* empirical: observed values (s), ascending; owned */
    size_t n_values;
} tm_dist;

/* Where a set of distributions comes from, for messages. */
typedef struct tm_delay_set {
    tm_dist entry;          /* at the origin, once per service */
    tm_dist dwell;          /* at each intermediate stop */
    tm_dist running;        /* on each section between two operational points passed */
    int has_entry, has_dwell, has_running; /* given in the file (else inherited) */
} tm_delay_set;

/* A station's or a service's own distributions, replacing its category's. */
typedef struct tm_delay_override {
    char id[TM_ID_LEN];     /* operational point id (stations) or service id (trains) */
    char file[256];
    int line;
    char field[128];        /* "delays.stations[2].at", for an unknown id */
    tm_delay_set set;
} tm_delay_override;

#define TM_N_CATEGORIES 3   /* tm_category: passenger, freight, special */

typedef struct tm_delay_spec {
    tm_delay_set category[TM_N_CATEGORIES];
    tm_delay_override *stations;
    size_t n_stations;
    tm_delay_override *trains;
    size_t n_trains;
} tm_delay_spec;

/* Frees what spec owns (empirical values, overrides) and zeroes it; NULL is a no-op. */
void tm_delay_spec_free(tm_delay_spec *spec);
void tm_dist_free(tm_dist *d);
/* Deep copy (empirical values copied); TUMEN_OK or TUMEN_ENOMEM. */
int tm_dist_copy(tm_dist *dst, const tm_dist *src);

#endif
