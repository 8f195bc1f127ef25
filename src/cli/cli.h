/* cli.h: the `tumen` command line. One file per command; they use only the public API
 * (include/tumen.h) and the output helpers. */
#ifndef TM_CLI_H
#define TM_CLI_H

#include "tumen.h"

/* Exit statuses: documented in `tumen --help`. */
enum {
    TM_EXIT_OK = 0,
    TM_EXIT_FAILURE = 1,   /* out of memory, a file that cannot be written */
    TM_EXIT_INPUT = 2,     /* bad input or bad usage: nothing was written */
    TM_EXIT_PHYSICS = 3    /* the train cannot run the line as given (it stalls) */
};

int tm_cmd_run(int argc, char **argv);
int tm_cmd_braking(int argc, char **argv);
int tm_cmd_conflicts(int argc, char **argv);
int tm_cmd_headway(int argc, char **argv);
int tm_cmd_capacity(int argc, char **argv);
int tm_cmd_special(int argc, char **argv);
int tm_cmd_timetable(int argc, char **argv);
int tm_cmd_gen(int argc, char **argv);
int tm_cmd_route(int argc, char **argv);
int tm_cmd_import(int argc, char **argv);
int tm_cmd_export(int argc, char **argv);
int tm_cmd_simulate(int argc, char **argv);

/* Prints err as "tumen: file:line: field: message" on stderr and returns the exit status
 * for its code. */
int tm_cli_fail(const tumen_error *err);

/* Formats seconds as H:MM:SS (hours may exceed 24) into buf. */
void tm_cli_duration(double seconds, char *buf, size_t size);

/* Formats t (s since the run's start) as a clock time "HH:MM:SS" after clock_start (s after
 * midnight; "+N" for later days), or as a duration H:MM:SS when clock_start < 0 (print.c). */
void tm_cli_clock(double t, double clock_start, char *buf, size_t size);

/* Prints a run's legs, its timetable at every timing point and its totals on stdout, as
 * `tumen run` does (print.c). */
void tm_cli_print_table(const tumen_result *r);

#endif
