/* _tumen.c: the CPython extension under the `tumen` package, over tumen.h only.
 *
 * Built against the limited API (abi3, Python 3.8+): one binary for every interpreter.
 * The extension is deliberately thin: it turns Python arguments into tumen.h calls, runs
 * them with the GIL released, and hands back what the library produced (JSON text, packed
 * arrays of doubles); python/tumen/__init__.py parses the JSON into dicts and turns the
 * arrays into numpy arrays or lists. Adding a library function is one small C wrapper
 * (here for scenarios and runs, plan.c for planning, imports.c for imports and exports)
 * and one Python method.
 *
 * Handles (a loaded scenario, an import) are PyCapsules whose destructor frees them; a call holds a
 * reference to its capsule for its whole length, so another thread dropping the Python
 * object cannot free the scenario under a running call. A loaded scenario is read-only
 * to every call, which is what lets two threads run on it at once (docs/api.md, "Thread
 * safety").
 */
#include "module.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Exceptions: tumen.Error and one subclass per status code ------------------------ */

/* Python names for the codes whose C names do not read well as a class name; any other
 * code TUMEN_EXYZ becomes XyzError, so a code added to TUMEN_ERROR_LIST gets its class
 * without an edit here. */
static const struct {
    int code;
    const char *name;
} error_names[] = {
    {TUMEN_ENOMEM, "OutOfMemoryError"},
    {TUMEN_EIO, "FileError"},
};

typedef struct error_class {
    int code;
    PyObject *type;
} error_class;

#define TUMEN_COUNT_ITEM(name, value, text) +1
enum { N_CODES = 0 TUMEN_ERROR_LIST(TUMEN_COUNT_ITEM) };
#undef TUMEN_COUNT_ITEM

static PyObject *base_error;           /* tumen.Error */
static error_class error_classes[N_CODES];
static size_t n_error_classes;

/* "TUMEN_EPARSE" -> "ParseError", unless error_names says otherwise. */
static void class_name(int code, const char *c_name, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof error_names / sizeof error_names[0]; i++)
        if (error_names[i].code == code) {
            snprintf(buf, size, "%s", error_names[i].name);
            return;
        }
    const char *p = c_name;
    if (strncmp(p, "TUMEN_", 6) == 0)
        p += 6;
    if (*p == 'E')
        p++;
    size_t n = 0;
    for (; *p && n + 6 < size; p++, n++)
        buf[n] = (char)(n == 0 ? *p : (*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
    snprintf(buf + n, size - n, "Error");
}

/* Creates tumen.Error and its subclasses, adding them to the module. */
static int add_error_classes(PyObject *module)
{
    base_error = PyErr_NewExceptionWithDoc(
        "tumen.Error",
        "A tumen call failed. Attributes: code (the tumen status), file, line, column, "
        "field (None where they do not apply) and message.",
        NULL, NULL);
    if (!base_error || PyModule_AddObject(module, "Error", base_error) < 0)
        return -1;
    Py_INCREF(base_error); /* PyModule_AddObject stole one reference; keep ours */
    static const struct {
        int code;
        const char *c_name;
    } codes[] = {
#define TUMEN_CODE_ITEM(name, value, text) {value, #name},
        TUMEN_ERROR_LIST(TUMEN_CODE_ITEM)
#undef TUMEN_CODE_ITEM
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (codes[i].code == TUMEN_OK)
            continue;
        char name[64], qualified[80];
        class_name(codes[i].code, codes[i].c_name, name, sizeof name);
        snprintf(qualified, sizeof qualified, "tumen.%s", name);
        PyObject *type = PyErr_NewExceptionWithDoc(qualified, tumen_strerror(codes[i].code),
                                                   base_error, NULL);
        if (!type)
            return -1;
        error_classes[n_error_classes++] = (error_class){codes[i].code, type};
        Py_INCREF(type);
        if (PyModule_AddObject(module, name, type) < 0) {
            Py_DECREF(type);
            return -1;
        }
    }
    return 0;
}

static PyObject *error_class_for(int code)
{
    for (size_t i = 0; i < n_error_classes; i++)
        if (error_classes[i].code == code)
            return error_classes[i].type;
    return base_error;
}

/* Sets attribute name to a str, or None for an empty string. */
static int set_text_attr(PyObject *o, const char *name, const char *text)
{
    PyObject *v = text && text[0] ? PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text),
                                                         "replace")
                                   : (Py_INCREF(Py_None), Py_None);
    if (!v)
        return -1;
    int rc = PyObject_SetAttrString(o, name, v);
    Py_DECREF(v);
    return rc;
}

/* Sets attribute name to an int, or None for 0 (an unknown line or column). */
static int set_int_attr(PyObject *o, const char *name, long value, int zero_is_none)
{
    PyObject *v = value || !zero_is_none ? PyLong_FromLong(value) : (Py_INCREF(Py_None), Py_None);
    if (!v)
        return -1;
    int rc = PyObject_SetAttrString(o, name, v);
    Py_DECREF(v);
    return rc;
}

/* Raises the exception for err: its class by code, its text "file:line: field: message"
 * (as the CLI prints it), its parts as attributes. Returns NULL for the caller to return. */
PyObject *tm_py_raise(const tumen_error *err)
{
    if (err->code == TUMEN_ENOMEM && !err->message[0])
        return PyErr_NoMemory();
    char text[1024];
    tumen_error_format(err, text, sizeof text);
    PyObject *type = error_class_for(err->code);
    PyObject *exc = PyObject_CallFunction(type, "s", text);
    if (!exc)
        return NULL;
    if (set_int_attr(exc, "code", err->code, 0) < 0 || set_text_attr(exc, "file", err->file) < 0 ||
        set_int_attr(exc, "line", err->line, 1) < 0 ||
        set_int_attr(exc, "column", err->column, 1) < 0 ||
        set_text_attr(exc, "field", err->field) < 0 ||
        set_text_attr(exc, "message", err->message[0] ? err->message
                                                      : tumen_strerror(err->code)) < 0) {
        Py_DECREF(exc);
        return NULL;
    }
    PyErr_SetObject(type, exc);
    Py_DECREF(exc);
    return NULL;
}

/* ---- Handles ------------------------------------------------------------------------ */

static void scenario_capsule_free(PyObject *capsule)
{
    tumen_scenario_destroy(PyCapsule_GetPointer(capsule, TM_PY_SCENARIO));
}

PyObject *tm_py_wrap_scenario(const tumen_scenario *sc, int owned)
{
    /* The capsule holds a non-const pointer; a borrowed scenario is never freed by it. */
    PyObject *capsule = PyCapsule_New((void *)(size_t)sc, TM_PY_SCENARIO,
                                      owned ? scenario_capsule_free : NULL);
    if (!capsule && owned)
        tumen_scenario_destroy((tumen_scenario *)(size_t)sc);
    return capsule;
}

/* The scenario in a handle, or NULL with TypeError set. */
const tumen_scenario *tm_py_scenario(PyObject *capsule)
{
    if (!PyCapsule_IsValid(capsule, TM_PY_SCENARIO)) {
        PyErr_SetString(PyExc_TypeError, "not a tumen scenario (use tumen.load)");
        return NULL;
    }
    return PyCapsule_GetPointer(capsule, TM_PY_SCENARIO);
}

/* ---- Progress and cancelling of long calls ------------------------------------------- */

/* Called by the library, from the calling thread or a worker, without the GIL. */
static int progress_trampoline(void *user, size_t done, size_t total)
{
    tm_py_progress *p = user;
    PyGILState_STATE g = PyGILState_Ensure();
    int cancel = p->type != NULL; /* an earlier call already failed */
    if (!cancel && PyErr_CheckSignals() < 0)
        cancel = 1;
    if (!cancel && p->callable != Py_None) {
        PyObject *r = PyObject_CallFunction(p->callable, "nn", (Py_ssize_t)done,
                                            (Py_ssize_t)total);
        cancel = !r || r == Py_False;
        Py_XDECREF(r);
    }
    if (cancel && PyErr_Occurred() && !p->type)
        PyErr_Fetch(&p->type, &p->value, &p->traceback);
    PyErr_Clear();
    PyGILState_Release(g);
    return cancel;
}

void tm_py_progress_begin(tm_py_progress *p, PyObject *callable, int threads,
                          tumen_options *o)
{
    p->callable = callable ? callable : Py_None;
    p->type = p->value = p->traceback = NULL;
    o->threads = threads;
    o->progress = progress_trampoline;
    o->user = p;
}

int tm_py_progress_end(tm_py_progress *p, int rc, const tumen_error *err)
{
    if (p->type) {
        PyErr_Restore(p->type, p->value, p->traceback); /* steals them */
        p->type = p->value = p->traceback = NULL;
        return -1;
    }
    if (rc != TUMEN_OK) {
        tm_py_raise(err);
        return -1;
    }
    return 0;
}

/* ---- Arguments ---------------------------------------------------------------------- */

/* A list of UTF-8 paths from a sequence of str or os.PathLike. *owner keeps the encoded
 * bytes alive (a list), the array is malloc'd. Returns 0, or -1 with an exception set. */
static int path_list(PyObject *seq, const char ***paths, size_t *n, PyObject **owner)
{
    PyObject *fast = PySequence_Fast(seq, "paths must be a sequence of file names");
    if (!fast)
        return -1;
    Py_ssize_t count = PySequence_Size(fast);
    *owner = PyList_New(0);
    *paths = calloc(count > 0 ? (size_t)count : 1, sizeof **paths);
    if (!*owner || !*paths) {
        Py_DECREF(fast);
        Py_XDECREF(*owner);
        free(*paths);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PySequence_GetItem(fast, i), *bytes = NULL;
        int ok = item && PyUnicode_FSConverter(item, &bytes);
        Py_XDECREF(item);
        if (!ok || PyList_Append(*owner, bytes) < 0) {
            Py_XDECREF(bytes);
            Py_DECREF(fast);
            Py_DECREF(*owner);
            free(*paths);
            return -1;
        }
        (*paths)[i] = PyBytes_AsString(bytes);
        Py_DECREF(bytes);
    }
    Py_DECREF(fast);
    *n = (size_t)count;
    return 0;
}

/* ---- Scenarios ---------------------------------------------------------------------- */

static PyObject *py_load(PyObject *self, PyObject *args)
{
    PyObject *seq, *owner;
    if (!PyArg_ParseTuple(args, "O", &seq))
        return NULL;
    const char **paths;
    size_t n;
    if (path_list(seq, &paths, &n, &owner) < 0)
        return NULL;
    tumen_scenario *sc = NULL;
    tumen_error err = {0};
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_scenario_load(&sc, paths, n, &err);
    Py_END_ALLOW_THREADS
    free(paths);
    Py_DECREF(owner);
    if (rc != TUMEN_OK)
        return tm_py_raise(&err);
    return tm_py_wrap_scenario(sc, 1);
}

static PyObject *py_load_text(PyObject *self, PyObject *args)
{
    const char *name, *text;
    Py_ssize_t length;
    if (!PyArg_ParseTuple(args, "ss#", &name, &text, &length))
        return NULL;
    tumen_scenario *sc = NULL;
    tumen_error err = {0};
    int rc;
    /* name and text stay valid: args holds their objects for the whole call. */
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_scenario_load_text(&sc, name, text, (size_t)length, &err);
    Py_END_ALLOW_THREADS
    if (rc != TUMEN_OK)
        return tm_py_raise(&err);
    return tm_py_wrap_scenario(sc, 1);
}

static PyObject *text_or_none(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

static PyObject *train_dict(const tumen_train_info *t)
{
    return Py_BuildValue("{s:N,s:N,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d}", "id", text_or_none(t->id),
                         "name", text_or_none(t->name), "mass_kg", t->mass, "length_m",
                         t->length, "max_speed_ms", t->max_speed, "max_axle_load_kg",
                         t->max_axle_load, "brake_weight_kg", t->brake_weight,
                         "brake_percentage", t->brake_percentage, "brake_deceleration_ms2",
                         t->brake_deceleration, "max_effort_n", t->max_effort);
}

static PyObject *line_dict(const tumen_line_info *l)
{
    return Py_BuildValue("{s:N,s:N,s:d,s:d,s:d}", "id", text_or_none(l->id), "name",
                         text_or_none(l->name), "length_m", l->length, "braking_distance_m",
                         l->braking_distance, "steepest_downgrade", l->steepest_downgrade);
}

/* Appends item (a new reference, NULL on failure) to list; returns 0 or -1. */
static int append_new(PyObject *list, PyObject *item)
{
    if (!item)
        return -1;
    int rc = PyList_Append(list, item);
    Py_DECREF(item);
    return rc;
}

/* What the scenario holds: {"trains": [...], "lines": [...], "legs": [[train, line]...]}. */
static PyObject *py_scenario_info(PyObject *self, PyObject *args)
{
    PyObject *capsule;
    if (!PyArg_ParseTuple(args, "O", &capsule))
        return NULL;
    const tumen_scenario *sc = tm_py_scenario(capsule);
    if (!sc)
        return NULL;
    PyObject *trains = PyList_New(0), *lines = PyList_New(0), *legs = PyList_New(0);
    int bad = !trains || !lines || !legs;
    for (size_t i = 0; !bad && i < tumen_scenario_train_count(sc); i++) {
        tumen_train_info t;
        tumen_scenario_train(sc, i, &t);
        bad = append_new(trains, train_dict(&t)) < 0;
    }
    for (size_t i = 0; !bad && i < tumen_scenario_line_count(sc); i++) {
        tumen_line_info l;
        tumen_scenario_line(sc, i, &l);
        bad = append_new(lines, line_dict(&l)) < 0;
    }
    for (size_t i = 0; !bad && i < tumen_scenario_leg_count(sc); i++) {
        size_t train, line;
        tumen_scenario_leg(sc, i, &train, &line);
        bad = append_new(legs, Py_BuildValue("(nn)", (Py_ssize_t)train, (Py_ssize_t)line)) < 0;
    }
    if (bad) {
        Py_XDECREF(trains);
        Py_XDECREF(lines);
        Py_XDECREF(legs);
        return NULL;
    }
    return Py_BuildValue("{s:N,s:N,s:N}", "trains", trains, "lines", lines, "legs", legs);
}

/* ---- Packed arrays ------------------------------------------------------------------ */

/* A bytes object of n doubles, field at offset of each of n records of size stride;
 * __init__.py views it as a numpy float64 array or an array('d'). */
static PyObject *packed_doubles(const void *records, size_t n, size_t stride, size_t offset)
{
    PyObject *b = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(n * sizeof(double)));
    if (!b)
        return NULL;
    double *out = (double *)(void *)PyBytes_AsString(b);
    const char *p = records;
    for (size_t i = 0; i < n; i++)
        memcpy(&out[i], p + i * stride + offset, sizeof(double));
    return b;
}

/* The same for int fields, as C ints ('i'). */
static PyObject *packed_ints(const void *records, size_t n, size_t stride, size_t offset)
{
    PyObject *b = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(n * sizeof(int)));
    if (!b)
        return NULL;
    int *out = (int *)(void *)PyBytes_AsString(b);
    const char *p = records;
    for (size_t i = 0; i < n; i++)
        memcpy(&out[i], p + i * stride + offset, sizeof(int));
    return b;
}

#define SAMPLE_DOUBLES(X) X(t) X(s) X(v) X(a) X(traction) X(brake) X(resistance) \
    X(grade_force) X(energy)

/* {"t": bytes, ..., "mode": bytes('i'), "leg": bytes('i')}: the trajectory by column. */
static PyObject *trajectory_columns(const tumen_result *r)
{
    PyObject *cols = PyDict_New();
    if (!cols)
        return NULL;
    int bad = 0;
#define SAMPLE_COLUMN(f)                                                                   \
    if (!bad) {                                                                            \
        PyObject *b = packed_doubles(r->samples, r->n_samples, sizeof(tumen_sample),      \
                                     offsetof(tumen_sample, f));                           \
        bad = !b || PyDict_SetItemString(cols, #f, b) < 0;                                 \
        Py_XDECREF(b);                                                                     \
    }
    SAMPLE_DOUBLES(SAMPLE_COLUMN)
#undef SAMPLE_COLUMN
    const char *int_fields[] = {"mode", "leg"};
    size_t int_offsets[] = {offsetof(tumen_sample, mode), offsetof(tumen_sample, leg)};
    for (size_t i = 0; !bad && i < 2; i++) {
        PyObject *b = packed_ints(r->samples, r->n_samples, sizeof(tumen_sample), int_offsets[i]);
        bad = !b || PyDict_SetItemString(cols, int_fields[i], b) < 0;
        Py_XDECREF(b);
    }
    if (bad) {
        Py_DECREF(cols);
        return NULL;
    }
    return cols;
}

/* {"s": bytes, "limit": bytes, "gradient": bytes}: the line's steps along the journey. */
static PyObject *profile_columns(const tumen_result *r)
{
    return Py_BuildValue("{s:N,s:N,s:N}", "s",
                         packed_doubles(r->profile_s, r->n_profile, sizeof(double), 0), "limit",
                         packed_doubles(r->profile_limit, r->n_profile, sizeof(double), 0),
                         "gradient",
                         packed_doubles(r->profile_gradient, r->n_profile, sizeof(double), 0));
}

/* ---- Results as JSON text ----------------------------------------------------------- */

PyObject *tm_py_text(char *text, size_t length)
{
    PyObject *s = PyUnicode_DecodeUTF8(text, (Py_ssize_t)length, "replace");
    tumen_free(text);
    return s;
}

PyObject *tm_py_text_result(int rc, char *text, size_t length, const tumen_error *err)
{
    if (rc != TUMEN_OK) {
        tumen_free(text);
        return tm_py_raise(err);
    }
    return tm_py_text(text, length);
}

/* The run's JSON, exactly as `tumen run --json` prints it, as a str. */
static PyObject *result_json(const tumen_result *r)
{
    char *text = NULL;
    size_t length = 0;
    tumen_error err = {0};
    int rc = tumen_result_json(r, &text, &length, &err);
    return tm_py_text_result(rc, text, length, &err);
}

/* ---- Running a train ---------------------------------------------------------------- */

/* run(scenario, mass_model, max_step, allowance, driving, fastest)
 *   -> (json text, trajectory columns, profile columns) */
static PyObject *py_run(PyObject *self, PyObject *args)
{
    PyObject *capsule;
    int mass_model, driving, fastest;
    double max_step;
    const char *allowance;
    if (!PyArg_ParseTuple(args, "Oidzip", &capsule, &mass_model, &max_step, &allowance,
                          &driving, &fastest))
        return NULL;
    const tumen_scenario *sc = tm_py_scenario(capsule);
    if (!sc)
        return NULL;
    tumen_run_options o;
    tumen_run_options_init(&o);
    o.mass_model = (tumen_mass_model)mass_model;
    o.max_step = max_step;
    o.driving = (tumen_driving)driving;
    o.fastest = fastest;
    tumen_error err = {0};
    if (allowance && tumen_allowance_parse(allowance, &o.allowance, &err) != TUMEN_OK)
        return tm_py_raise(&err);
    tumen_result *r = NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_run(sc, &o, &r, &err);
    Py_END_ALLOW_THREADS
    if (rc != TUMEN_OK)
        return tm_py_raise(&err);
    PyObject *out = Py_BuildValue("(NNN)", result_json(r), trajectory_columns(r),
                                  profile_columns(r));
    tumen_result_destroy(r);
    return out;
}

/* parse_clock(text) -> s after midnight ("HH:MM" or "HH:MM:SS", hours 0 to 47). */
static PyObject *py_parse_clock(PyObject *self, PyObject *args)
{
    const char *text;
    if (!PyArg_ParseTuple(args, "s", &text))
        return NULL;
    double t;
    tumen_error err = {0};
    if (tumen_parse_clock(text, &t, &err) != TUMEN_OK)
        return tm_py_raise(&err);
    return PyFloat_FromDouble(t);
}

/* ---- The module --------------------------------------------------------------------- */

static PyMethodDef methods[] = {
    {"load", py_load, METH_VARARGS,
     "load(paths) -> scenario handle: read the files in order into one scenario."},
    {"load_text", py_load_text, METH_VARARGS,
     "load_text(name, text) -> scenario handle: read a scenario from text; name is used in "
     "error messages."},
    {"scenario_info", py_scenario_info, METH_VARARGS,
     "scenario_info(scenario) -> dict of trains, lines and journey legs."},
    {"run", py_run, METH_VARARGS,
     "run(scenario, mass_model, max_step, allowance, driving, fastest) -> (json, trajectory, "
     "profile)."},
    {"parse_clock", py_parse_clock, METH_VARARGS,
     "parse_clock(text) -> s after midnight of \"HH:MM\" or \"HH:MM:SS\"."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_tumen",
    "The C extension of the tumen package (use `import tumen`).", -1, methods,
    NULL, NULL, NULL, NULL,
};

/* MODE_NAMES[i] is the name of driving mode i (the trajectory's "mode" column). */
static int add_mode_names(PyObject *module)
{
    PyObject *names = PyTuple_New(TUMEN_MODE_DWELL + 1);
    if (!names)
        return -1;
    for (int i = 0; i <= TUMEN_MODE_DWELL; i++) {
        PyObject *n = text_or_none(tumen_mode_name((tumen_driving_mode)i));
        if (!n || PyTuple_SetItem(names, i, n) < 0) {
            Py_DECREF(names);
            return -1;
        }
    }
    return PyModule_AddObject(module, "MODE_NAMES", names);
}

PyMODINIT_FUNC PyInit__tumen(void);

PyMODINIT_FUNC PyInit__tumen(void)
{
    PyObject *m = PyModule_Create(&module_def);
    if (!m)
        return NULL;
    if (PyModule_AddFunctions(m, tm_py_plan_methods) < 0 ||
        PyModule_AddFunctions(m, tm_py_import_methods) < 0 || add_error_classes(m) < 0 || add_mode_names(m) < 0 ||
        PyModule_AddStringConstant(m, "__version__", tumen_version()) < 0 ||
        PyModule_AddIntConstant(m, "MASS_POINT", TUMEN_MASS_POINT) < 0 ||
        PyModule_AddIntConstant(m, "MASS_STRIP", TUMEN_MASS_STRIP) < 0 ||
        PyModule_AddIntConstant(m, "DRIVING_DEFAULT", TUMEN_DRIVING_DEFAULT) < 0 ||
        PyModule_AddIntConstant(m, "DRIVING_LINEAR", TUMEN_DRIVING_LINEAR) < 0 ||
        PyModule_AddIntConstant(m, "DRIVING_ECO", TUMEN_DRIVING_ECO) < 0 ||
        PyModule_AddIntConstant(m, "LINE_MIXED", TUMEN_LINE_MIXED) < 0 ||
        PyModule_AddIntConstant(m, "LINE_SUBURBAN", TUMEN_LINE_SUBURBAN) < 0 ||
        PyModule_AddIntConstant(m, "LINE_HIGH_SPEED", TUMEN_LINE_HIGH_SPEED) < 0 ||
        PyModule_AddIntConstant(m, "SPECIAL_REQUEST", TUMEN_SPECIAL_REQUEST) < 0 ||
        PyModule_AddIntConstant(m, "SPECIAL_FIT", TUMEN_SPECIAL_FIT) < 0 ||
        PyModule_AddIntConstant(m, "SPECIAL_PRIORITY", TUMEN_SPECIAL_PRIORITY) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
