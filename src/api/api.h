/* api.h: the handles of include/tumen.h and what the API's files share. Each handle wraps
 * the layers' own types (the model's tm_scenario, the planner's results); the API owns the
 * rest: results to memory, the text reports the command line prints, options. */
#ifndef TM_API_H
#define TM_API_H

#include <jansson.h>
#include <locale.h>
#include <stdio.h>

#include "formats/import.h"
#include "model/scenario.h"
#include "plan/security_schedule.h"
#include "plan/special_plan.h"
#include "tumen.h"

struct tumen_scenario {
    tm_scenario *model;
    struct tm_special_spec *special; /* the files' special train request, or NULL */
    const tm_polyline *geometry; /* track shapes of an import (one per track), or NULL */
    int borrowed;                /* 1: the model belongs to a tumen_import */
};

/* A special plan (api/special.c; api/service.c reads its convoy). */
struct tumen_special {
    const tumen_scenario *sc;
    tumen_options common;
    tm_special_result r;
    tm_security_schedule sched; /* the route security schedule of a feasible plan */
    int has_sched;
};

/* The model of a handle (tests and benches use the layers beneath the API). */
const tm_scenario *tm_api_model(const tumen_scenario *scenario);

/* Sets err (TUMEN_EUSAGE) when a handle argument is NULL; returns its code. */
int tm_api_null(tumen_error *err, const char *what);

/* A text report: f writes into memory; tm_api_text_end hands it to *text and *length (the
 * caller's, tumen_free) or TUMEN_ENOMEM. */
typedef struct tm_api_text {
    FILE *f;
    char *buf;
    size_t len;
    locale_t old; /* numbers print in the C locale (core/c_locale.h); what to restore */
} tm_api_text;
int tm_api_text_begin(tm_api_text *t, tumen_error *err);
int tm_api_text_end(tm_api_text *t, char **text, size_t *length, tumen_error *err);

/* JSON text of doc as the command line prints it (dump flags, then a newline) into *text;
 * takes the reference to doc (NULL: out of memory). */
int tm_api_json_text(json_t *doc, size_t flags, char **text, size_t *length,
                     tumen_error *err);

/* Bytes of what a path writer writes: write(ctx, path, err) is called with a path in a
 * new temporary directory, ending in ".ext", and the file is read back. */
typedef int (*tm_api_writer)(const void *ctx, const char *path, tumen_error *err);
int tm_api_via_file(tm_api_writer write, const void *ctx, const char *ext, void **data,
                    size_t *length, tumen_error *err);

/* "png" or "svg" (TUMEN_EUSAGE otherwise). */
int tm_api_image_format(const char *format, tumen_error *err);

/* H:MM:SS of a duration (rounded, hours may exceed 24). */
void tm_api_duration(double seconds, char *buf, size_t size);

/* The planner's timetable options from the API's common options (api/timetable.c). */
struct tm_timetable_options;
void tm_api_timetable_options(const tumen_options *common, struct tm_timetable_options *opt);

/* The table `tumen run` prints, into f (api/run.c). */
void tm_api_result_print(FILE *f, const tumen_result *r);

/* Copies the size-prefixed struct src (src_size bytes as the caller says) over defaults
 * dst (dst_size bytes): fields the caller's version does not know keep their defaults. */
void tm_api_options(void *dst, size_t dst_size, const void *src);

/* Fills the size-prefixed struct dst the caller gave (its own size set) from src, a full
 * struct of src_size bytes: as many fields as the caller's version knows. */
void tm_api_fill(void *dst, const void *src, size_t src_size);

#endif
