/* atomic.h: writing an output file so that it appears whole or not at all.
 *
 *   tm_atomic_file af;
 *   FILE *fp = tm_atomic_open(path, &af, err);
 *   if (!fp) return err->code;
 *   ... fprintf(fp, ...) ...
 *   if (something_failed) { tm_atomic_abort(&af); return code; }
 *   return tm_atomic_commit(&af, err);
 *
 * The data goes to a temporary file "PATH.XXXXXX.tmp" in the same directory (so the final
 * rename(2) stays on one file system and is atomic); commit flushes, fsyncs and renames it
 * over PATH. Every failure path removes the temporary, so no half-written output is left.
 * The Cairo writers (PNG, SVG) use the same scheme by streaming into the FILE *.
 * A path that is a device or a pipe (/dev/stdout, /dev/full) is written in place: there is
 * no file to replace, and a rename would put a file where the device was. */
#ifndef TM_ATOMIC_H
#define TM_ATOMIC_H

#include <stdio.h>

#include "tumen.h"

/* State of one file being written. Opaque in practice: only the functions below touch it. */
typedef struct tm_atomic_file {
    FILE *fp;          /* the open temporary; NULL once committed or aborted */
    char *path;        /* final path (malloc'd) */
    char *tmp_path;    /* temporary path (malloc'd) */
} tm_atomic_file;

/* Creates the temporary file next to path and returns a stream open for writing it, or
 * NULL with err set (TUMEN_EIO naming the path and the system's reason, TUMEN_ENOMEM,
 * TUMEN_EUSAGE for a NULL or empty path). The new file gets the permissions of an
 * existing file at path, or else 0666 less the umask. On success the caller must end
 * with exactly one of tm_atomic_commit or tm_atomic_abort; never fclose the stream. */
FILE *tm_atomic_open(const char *path, tm_atomic_file *af, tumen_error *err);

/* Flushes, fsyncs and closes the temporary, then renames it to the final path.
 * Returns TUMEN_OK, or TUMEN_EIO (err names the path and the reason) after removing the
 * temporary. Either way af's resources are released. */
int tm_atomic_commit(tm_atomic_file *af, tumen_error *err);

/* Closes and removes the temporary and releases af. Safe to call twice, or after a
 * commit (then it does nothing). */
void tm_atomic_abort(tm_atomic_file *af);

/* Removes every temporary still being written (async-signal-safe: unlink only), so that a
 * program stopped by a signal leaves no half-written output. For a signal handler, which
 * then ends the program: the files' state is not released. */
void tm_atomic_remove_pending(void);

/* Sets err to TUMEN_EIO with "cannot <what> 'path': <reason for errnum>" and returns
 * TUMEN_EIO. For the output writers. */
int tm_io_error(tumen_error *err, const char *what, const char *path, int errnum);

#endif
