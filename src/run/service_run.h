/* service_run.h: what one service did when it ran: its clock times at every operational
 * point of its route, the route it ran and, on request, its trajectory. Made by the
 * timetable runner (plan/timetable.c), read by blocking times (block/) and the outputs. */
#ifndef TM_SERVICE_RUN_H
#define TM_SERVICE_RUN_H

#include <stddef.h>

#include "model/network.h"
#include "tumen.h"

/* A service at one operational point of its route. */
typedef struct tm_service_point {
    size_t op;               /* index into the network's operational points */
    double position;         /* m along the service's route */
    double arrival;          /* s after midnight; at the origin equals departure */
    double departure;        /* s after midnight; equals arrival where it does not stop */
    int is_stop;             /* 1: it stops here (origin, destination, a requested stop) */
    int leg;                 /* engine leg (a new one after each consist change) */
} tm_service_point;

/* What one service did. Arrays are malloc'd and freed by tm_timetable_result_free. */
typedef struct tm_service_run {
    int status;              /* TUMEN_OK, or the code of this service's failure */
    tumen_error *error;      /* the failure (keep_going only), else NULL; names the service
                              * id and its input line */
    double departure;        /* s after midnight: leaving the origin */
    double arrival;          /* s after midnight: reaching the destination */
    double running_time;     /* s, arrival - departure, dwell included */
    double distance;         /* m */
    double energy;           /* J, traction energy at the wheel */
    double max_speed;        /* m/s */
    tm_service_point *points;/* every operational point passed, in order */
    size_t n_points;
    tm_route_step *steps;    /* the route run: track, direction, train */
    size_t n_steps;
    double *step_start;      /* m along the route where steps[i] begins (n_steps items) */
    /* keep_samples only (else NULL, 0): the trajectory; sample t is s after `clock_start`
     * (the service's scheduled departure), sample s is m along the route. */
    tumen_sample *samples;
    size_t n_samples;
    double clock_start;      /* s after midnight: the service's scheduled departure */
    /* The run's warnings (tumen_result.warnings: bounds of its targets not enforced or not
     * met), each message prefixed with the service; malloc'd, NULL when none. */
    tumen_error *warnings;
    size_t n_warnings;
} tm_service_run;

/* Frees what one run owns and zeroes it; NULL is a no-op. */
void tm_service_run_free(tm_service_run *run);

#endif
