/* output_csv.c: the trajectory as CSV, one row per sample.
 * Numbers are fixed-point with the resolution each column needs (mm for positions on
 * 1000 km lines, ms for times), always with '.' as the decimal separator whatever the
 * process's locale. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/atomic.h"
#include "core/c_locale.h"
#include "formats/output.h"

#define CSV_HEADER \
    "t_s,s_m,v_ms,v_kmh,a_ms2,traction_n,brake_n,resistance_n,grade_force_n,energy_j,mode,leg\n"

static int write_rows(FILE *fp, const tumen_result *result)
{
    if (fputs(CSV_HEADER, fp) == EOF)
        return -1;
    for (size_t i = 0; i < result->n_samples; i++) {
        const tumen_sample *p = &result->samples[i];
        const char *mode = tumen_mode_name((tumen_driving_mode)p->mode);
        if (fprintf(fp, "%.3f,%.3f,%.4f,%.3f,%.5f,%.1f,%.1f,%.1f,%.1f,%.1f,%s,%d\n", p->t,
                    p->s, p->v, p->v * 3.6, p->a, p->traction, p->brake, p->resistance,
                    p->grade_force, p->energy, mode ? mode : "unknown", p->leg) < 0)
            return -1;
    }
    return 0;
}

/* Writes result's samples to path as CSV: a header line
 *   t_s,s_m,v_ms,v_kmh,a_ms2,traction_n,brake_n,resistance_n,grade_force_n,energy_j,mode,leg
 * then one row per sample in SI units (v_kmh in km/h), mode by tumen_mode_name.
 * Atomic: on failure (TUMEN_EIO, TUMEN_ENOMEM, TUMEN_EUSAGE for NULL arguments) no file
 * is left at path and an existing one is untouched. */
int tumen_write_trajectory_csv(const tumen_result *result, const char *path, tumen_error *err)
{
    if (!result)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "No result to write.");
    if (result->n_samples && !result->samples)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "The result has samples but no sample array.");
    tm_atomic_file af;
    FILE *fp = tm_atomic_open(path, &af, err);
    if (!fp)
        return err ? err->code : TUMEN_EIO;
    locale_t old = tm_c_numeric_enter(); /* C-locale numbers, this thread only */
    errno = 0;
    int rc = write_rows(fp, result);
    int e = errno;
    tm_c_numeric_leave(old);
    if (rc != 0) {
        tm_atomic_abort(&af);
        return tm_io_error(err, "write", path, e ? e : EIO);
    }
    return tm_atomic_commit(&af, err);
}

static void put_escaped(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
}

void tm_csv_field(FILE *fp, const char *s)
{
    tm_csv_joined(fp, s, "", "");
}

void tm_csv_joined(FILE *fp, const char *a, const char *joint, const char *b)
{
    static const char special[] = ",\"\r\n";
    if (!strpbrk(a, special) && !strpbrk(joint, special) && !strpbrk(b, special)) {
        fputs(a, fp);
        fputs(joint, fp);
        fputs(b, fp);
        return;
    }
    fputc('"', fp);
    put_escaped(fp, a);
    put_escaped(fp, joint);
    put_escaped(fp, b);
    fputc('"', fp);
}
