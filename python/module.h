/* module.h: what the files of the _tumen extension share (python/_tumen.c: the module,
 * errors, scenarios and runs; plan.c: routes, timetables, conflicts, special trains;
 * imports.c: imports and exports). Over tumen.h only, with the limited API. */
#ifndef TM_PY_MODULE_H
#define TM_PY_MODULE_H

#define Py_LIMITED_API 0x03080000
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "tumen.h"

#define TM_PY_SCENARIO "tumen.scenario"

/* Raises the tumen.Error subclass of err->code, with file, line, column, field, message
 * as attributes and "file:line: field: message" as its text. Returns NULL. */
PyObject *tm_py_raise(const tumen_error *err);

/* The scenario of a handle, or NULL with TypeError set. */
const tumen_scenario *tm_py_scenario(PyObject *capsule);

/* A new handle for sc; owned: the handle destroys it (else it is borrowed from an
 * object the Python side keeps alive). */
PyObject *tm_py_wrap_scenario(const tumen_scenario *sc, int owned);

/* A str of text the library allocated (freed here, also on failure). */
PyObject *tm_py_text(char *text, size_t length);

/* The str of a library call that writes text: call's status, then its text or the
 * exception. */
PyObject *tm_py_text_result(int rc, char *text, size_t length, const tumen_error *err);

/* A long call's progress: Python's callable (or None) behind tumen_options.progress.
 * Ctrl-C (a pending signal) or the callable returning False or raising cancels the call;
 * the callable's exception is raised when the call returns. */
typedef struct tm_py_progress {
    PyObject *callable;
    PyObject *type, *value, *traceback; /* the callable's exception, if it raised */
} tm_py_progress;

/* Fills o (threads and progress) for a call; p lives until tm_py_progress_end. */
void tm_py_progress_begin(tm_py_progress *p, PyObject *callable, int threads,
                          tumen_options *o);
/* After the call (GIL held): returns 0 when rc is TUMEN_OK; else -1 with the exception
 * set (the callable's, KeyboardInterrupt's, or err's). */
int tm_py_progress_end(tm_py_progress *p, int rc, const tumen_error *err);

/* Method tables of plan.c and imports.c, appended to the module's. */
extern PyMethodDef tm_py_plan_methods[];
extern PyMethodDef tm_py_import_methods[];

#endif
