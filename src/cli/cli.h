/* cli.h: the `tumen` command line. One file per command; they use only the public API
 * (include/tumen.h) and the option parser here. */
#ifndef TM_CLI_H
#define TM_CLI_H

#include <stddef.h>

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
int tm_cmd_serve(int argc, char **argv);

/* Prints err as "tumen: file:line: field: message" on stderr and returns the exit status
 * for its code. */
int tm_cli_fail(const tumen_error *err);

/* Prints a warning to stderr ("tumen: warning: file:line: field: message"); the run goes on. */
void tm_cli_warn(const tumen_error *w);

/* Formats seconds as H:MM:SS (hours may exceed 24) into buf. */
void tm_cli_duration(double seconds, char *buf, size_t size);

/* Prints text (the library's, freed here) on stdout and returns the exit status: OK, or,
 * when rc is an error (text NULL), tm_cli_fail(err). */
int tm_cli_print(int rc, char *text, size_t length, const tumen_error *err);

/* ---- Options ---------------------------------------------------------------------- */

typedef enum tm_cli_kind {
    TM_CLI_FLAG,    /* --json: target is an int set to 1 */
    TM_CLI_VALUE,   /* --plot FILE: target is a const char * (the last one given) */
    TM_CLI_LIST     /* --via C, repeatable: target is a tm_cli_list */
} tm_cli_kind;

typedef struct tm_cli_list {
    const char **items;
    size_t n;
} tm_cli_list;

typedef struct tm_cli_option {
    const char *name, *alias; /* "--output", "-o" (alias may be NULL) */
    tm_cli_kind kind;
    void *target;
    /* When the value is missing: the usage error's text ("this option needs a value:"), or
     * NULL to treat the option as unknown. */
    const char *missing;
} tm_cli_option;

/* A command's options. Arguments not starting with '-' (and "-" itself) are files. */
typedef struct tm_cli_command {
    const char *name;         /* "run": messages start "tumen run: " */
    const char *usage;        /* printed by --help/-h on stdout, after usage errors on stderr */
    const tm_cli_option *options;
    size_t n_options;
    const char *unknown;      /* "unknown option": text of the error for an unknown option */
    tm_cli_list *files;       /* positional arguments, or NULL: they are unknown options */
} tm_cli_command;

/* Parses argv[1..argc-1]. Returns -1 when the command should run, else the exit status
 * (0 after --help; 2 after a usage error, printed). List targets and files are allocated:
 * free them with tm_cli_free. */
int tm_cli_parse(const tm_cli_command *c, int argc, char **argv);
void tm_cli_free(const tm_cli_command *c);

/* Prints "tumen <command>: <what> '<arg>'" (arg may be NULL) and the usage on stderr;
 * returns TM_EXIT_INPUT. */
int tm_cli_usage(const tm_cli_command *c, const char *what, const char *arg);

/* 1 when path ends in ext (".png"), ignoring case when nocase is set. */
int tm_cli_has_ext(const char *path, const char *ext, int nocase);

/* Parses a whole decimal number into *out; -1 if the text is not one. */
int tm_cli_number(const char *text, double *out);

#endif
