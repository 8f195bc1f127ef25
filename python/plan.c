/* plan.c: routes, timetables, blocking times, conflicts, headways, capacity and special
 * trains on a loaded scenario, for the tumen package (module.h).
 *
 * Each call runs with the GIL released and returns the JSON text the command line prints
 * with --json (tumen/__init__.py parses it), so Python and the CLI agree by construction;
 * the handles the library makes for a call are destroyed before it returns. */
#include "module.h"

#include <stdlib.h>
#include <string.h>

/* A tuple or list of str as a C array of UTF-8 pointers into the objects (which the
 * caller's argument tuple keeps alive). *out is malloc'd (NULL for an empty sequence).
 * Returns 0, or -1 with an exception set. */
static int string_array(PyObject *seq, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    Py_ssize_t count = PySequence_Size(seq);
    if (count < 0)
        return -1;
    if (count == 0)
        return 0;
    *out = calloc((size_t)count, sizeof **out);
    if (!*out) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PySequence_GetItem(seq, i);
        const char *s = NULL;
        int ok = item && PyArg_Parse(item, "s", &s); /* UTF-8 cached in the str */
        Py_XDECREF(item); /* the sequence still holds the str */
        if (!ok) {
            free(*out);
            *out = NULL;
            return -1;
        }
        (*out)[i] = s;
    }
    *n = (size_t)count;
    return 0;
}

/* route(scenario, train, from, to, via, change_to, stops, run, departure) -> JSON text.
 * stops: a sequence of (point, dwell s); departure < 0: none. */
static PyObject *py_route(PyObject *self, PyObject *args)
{
    PyObject *capsule, *via_seq, *change_seq, *stop_seq;
    tumen_route_request rq;
    tumen_route_request_init(&rq);
    if (!PyArg_ParseTuple(args, "OsssOOOpd", &capsule, &rq.train, &rq.from, &rq.to, &via_seq,
                          &change_seq, &stop_seq, &rq.run, &rq.departure))
        return NULL;
    const tumen_scenario *sc = tm_py_scenario(capsule);
    if (!sc)
        return NULL;
    const char **via = NULL, **change_to = NULL;
    tumen_route_stop *stops = NULL;
    PyObject *out = NULL;
    Py_ssize_t n_stops = PySequence_Size(stop_seq);
    if (n_stops < 0 || string_array(via_seq, &via, &rq.n_via) < 0 ||
        string_array(change_seq, &change_to, &rq.n_change_to) < 0)
        goto done;
    stops = calloc(n_stops > 0 ? (size_t)n_stops : 1, sizeof *stops);
    if (!stops) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n_stops; i++) {
        PyObject *item = PySequence_GetItem(stop_seq, i);
        int ok = item && PyArg_ParseTuple(item, "sd", &stops[i].op, &stops[i].dwell);
        Py_XDECREF(item); /* stop_seq keeps the tuple and its str alive */
        if (!ok)
            goto done;
    }
    rq.via = via;
    rq.change_to = change_to;
    rq.stops = stops;
    rq.n_stops = (size_t)n_stops;
    tumen_route *route = NULL;
    tumen_error err = {0};
    char *text = NULL;
    size_t length = 0;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_route_find(sc, &rq, &route, &err);
    if (rc == TUMEN_OK)
        rc = tumen_route_json(route, &text, &length, &err);
    tumen_route_destroy(route);
    Py_END_ALLOW_THREADS
    out = tm_py_text_result(rc, text, length, &err);
done:
    free(via);
    free(change_to);
    free(stops);
    return out;
}

/* timetable(scenario, threads, max_step, progress) -> JSON text. */
static PyObject *py_timetable(PyObject *self, PyObject *args)
{
    PyObject *capsule, *progress;
    tumen_timetable_options o;
    tumen_timetable_options_init(&o);
    int threads;
    if (!PyArg_ParseTuple(args, "OidO", &capsule, &threads, &o.max_step, &progress))
        return NULL;
    const tumen_scenario *sc = tm_py_scenario(capsule);
    if (!sc)
        return NULL;
    tm_py_progress p;
    tm_py_progress_begin(&p, progress, threads, &o.common);
    tumen_timetable *tt = NULL;
    tumen_error err = {0};
    char *text = NULL;
    size_t length = 0;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_timetable_run(sc, &o, &tt, &err);
    if (rc == TUMEN_OK)
        rc = tumen_timetable_json(tt, &text, &length, &err);
    tumen_timetable_destroy(tt);
    Py_END_ALLOW_THREADS
    if (tm_py_progress_end(&p, rc, &err) < 0) {
        tumen_free(text);
        return NULL;
    }
    return tm_py_text(text, length);
}

/* The blocking times of a scenario's timetable from arguments (scenario, threads, buffer,
 * progress), for blocking() and conflicts(); NULL with an exception set on failure. */
static tumen_blocking *blocking_of_args(PyObject *args)
{
    PyObject *capsule, *progress;
    tumen_blocking_options o;
    tumen_blocking_options_init(&o);
    int threads;
    if (!PyArg_ParseTuple(args, "OidO", &capsule, &threads, &o.buffer, &progress))
        return NULL;
    const tumen_scenario *sc = tm_py_scenario(capsule);
    if (!sc)
        return NULL;
    tm_py_progress p;
    tm_py_progress_begin(&p, progress, threads, &o.common);
    tumen_blocking *b = NULL;
    tumen_error err = {0};
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_blocking_compute(sc, &o, &b, &err);
    Py_END_ALLOW_THREADS
    if (tm_py_progress_end(&p, rc, &err) < 0) {
        tumen_blocking_destroy(b);
        return NULL;
    }
    return b;
}

/* blocking(scenario, threads, buffer, progress) -> [(service, resource, start, end)]. */
static PyObject *py_blocking(PyObject *self, PyObject *args)
{
    tumen_blocking *b = blocking_of_args(args);
    if (!b)
        return NULL;
    size_t n = tumen_blocking_count(b);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        tumen_blocking_time t;
        tumen_blocking_get(b, i, &t);
        PyObject *row = Py_BuildValue("(nsdd)", (Py_ssize_t)t.service, t.resource, t.start,
                                      t.end);
        if (!row || PyList_SetItem(list, (Py_ssize_t)i, row) < 0) {
            Py_CLEAR(list);
            break;
        }
    }
    tumen_blocking_destroy(b);
    return list;
}

/* conflicts(scenario, threads, buffer, progress) -> JSON text. */
static PyObject *py_conflicts(PyObject *self, PyObject *args)
{
    tumen_blocking *b = blocking_of_args(args);
    if (!b)
        return NULL;
    tumen_error err = {0};
    tumen_conflicts *c = NULL;
    char *text = NULL;
    size_t length = 0;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_conflicts_find(b, &c, &err);
    if (rc == TUMEN_OK)
        rc = tumen_conflicts_json(c, &text, &length, &err);
    tumen_conflicts_destroy(c);
    tumen_blocking_destroy(b);
    Py_END_ALLOW_THREADS
    return tm_py_text_result(rc, text, length, &err);
}

/* An operational point by id or name; TUMEN_EINPUT naming field when there is none. */
static int find_op(const tumen_scenario *sc, const char *text, const char *field, size_t *op,
                   tumen_error *err)
{
    *op = tumen_scenario_find_op_named(sc, text);
    if (*op != TUMEN_NPOS)
        return TUMEN_OK;
    memset(err, 0, sizeof *err);
    err->code = TUMEN_EINPUT;
    PyOS_snprintf(err->field, sizeof err->field, "%s", field);
    PyOS_snprintf(err->message, sizeof err->message, "no operational point '%s' in the network",
                  text);
    return TUMEN_EINPUT;
}

static int find_train(const tumen_scenario *sc, const char *id, const char *field, size_t *i,
                      tumen_error *err)
{
    *i = tumen_scenario_find_train(sc, id);
    if (*i != TUMEN_NPOS)
        return TUMEN_OK;
    memset(err, 0, sizeof *err);
    err->code = TUMEN_EINPUT;
    PyOS_snprintf(err->field, sizeof err->field, "%s", field);
    PyOS_snprintf(err->message, sizeof err->message, "no train '%s' in the scenario", id);
    return TUMEN_EINPUT;
}

/* headway(scenario, train1, train2, from, to) -> JSON text. */
static PyObject *py_headway(PyObject *self, PyObject *args)
{
    PyObject *capsule;
    const char *train1, *train2, *from, *to;
    if (!PyArg_ParseTuple(args, "Ossss", &capsule, &train1, &train2, &from, &to))
        return NULL;
    const tumen_scenario *sc = tm_py_scenario(capsule);
    if (!sc)
        return NULL;
    size_t t1, t2, a, b;
    tumen_error err = {0};
    if (find_train(sc, train1, "train1", &t1, &err) != TUMEN_OK ||
        find_train(sc, train2, "train2", &t2, &err) != TUMEN_OK ||
        find_op(sc, from, "from", &a, &err) != TUMEN_OK || find_op(sc, to, "to", &b, &err) != TUMEN_OK)
        return tm_py_raise(&err);
    tumen_headway *h = NULL;
    char *text = NULL;
    size_t length = 0;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_headway_compute(sc, t1, t2, a, b, &h, &err);
    if (rc == TUMEN_OK)
        rc = tumen_headway_json(h, &text, &length, &err);
    tumen_headway_destroy(h);
    Py_END_ALLOW_THREADS
    return tm_py_text_result(rc, text, length, &err);
}

/* capacity(scenario, from, to, window_start, window_end, line_type, threads, progress)
 *   -> JSON text. */
static PyObject *py_capacity(PyObject *self, PyObject *args)
{
    PyObject *capsule, *progress;
    const char *from, *to;
    double w0, w1;
    int type, threads;
    if (!PyArg_ParseTuple(args, "OssddiiO", &capsule, &from, &to, &w0, &w1, &type, &threads,
                          &progress))
        return NULL;
    const tumen_scenario *sc = tm_py_scenario(capsule);
    if (!sc)
        return NULL;
    size_t a, b;
    tumen_error err = {0};
    if (find_op(sc, from, "from", &a, &err) != TUMEN_OK || find_op(sc, to, "to", &b, &err) != TUMEN_OK)
        return tm_py_raise(&err);
    tumen_options o;
    tumen_options_init(&o);
    tm_py_progress p;
    tm_py_progress_begin(&p, progress, threads, &o);
    tumen_capacity *c = NULL;
    char *text = NULL;
    size_t length = 0;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_capacity_compute(sc, a, b, w0, w1, (tumen_line_type)type, &o, &c, &err);
    if (rc == TUMEN_OK)
        rc = tumen_capacity_json(c, &text, &length, &err);
    tumen_capacity_destroy(c);
    Py_END_ALLOW_THREADS
    if (tm_py_progress_end(&p, rc, &err) < 0) {
        tumen_free(text);
        return NULL;
    }
    return tm_py_text(text, length);
}

/* special(scenario, mode, threads, progress) -> (JSON text, new timetable YAML or None). */
static PyObject *py_special(PyObject *self, PyObject *args)
{
    PyObject *capsule, *progress;
    tumen_special_options o;
    tumen_special_options_init(&o);
    int threads;
    if (!PyArg_ParseTuple(args, "OiiO", &capsule, &o.mode, &threads, &progress))
        return NULL;
    const tumen_scenario *sc = tm_py_scenario(capsule);
    if (!sc)
        return NULL;
    tm_py_progress p;
    tm_py_progress_begin(&p, progress, threads, &o.common);
    tumen_special *plan = NULL;
    tumen_error err = {0};
    char *json = NULL, *yaml = NULL;
    size_t json_length = 0, yaml_length = 0;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_special_plan(sc, &o, &plan, &err);
    if (rc == TUMEN_OK)
        rc = tumen_special_json(plan, &json, &json_length, &err);
    if (rc == TUMEN_OK && tumen_special_feasible(plan))
        rc = tumen_special_timetable_yaml(plan, &yaml, &yaml_length, &err);
    tumen_special_destroy(plan);
    Py_END_ALLOW_THREADS
    if (tm_py_progress_end(&p, rc, &err) < 0) {
        tumen_free(json);
        tumen_free(yaml);
        return NULL;
    }
    PyObject *timetable = yaml ? tm_py_text(yaml, yaml_length) : (Py_INCREF(Py_None), Py_None);
    return Py_BuildValue("(NN)", tm_py_text(json, json_length), timetable);
}

PyMethodDef tm_py_plan_methods[] = {
    {"route", py_route, METH_VARARGS,
     "route(scenario, train, from, to, via, change_to, stops, run, departure) -> JSON text"},
    {"timetable", py_timetable, METH_VARARGS,
     "timetable(scenario, threads, max_step, progress) -> JSON text"},
    {"blocking", py_blocking, METH_VARARGS,
     "blocking(scenario, threads, buffer, progress) -> [(service, resource, start, end)]"},
    {"conflicts", py_conflicts, METH_VARARGS,
     "conflicts(scenario, threads, buffer, progress) -> JSON text"},
    {"headway", py_headway, METH_VARARGS,
     "headway(scenario, train1, train2, from, to) -> JSON text"},
    {"capacity", py_capacity, METH_VARARGS,
     "capacity(scenario, from, to, window_start, window_end, line_type, threads, progress) "
     "-> JSON text"},
    {"special", py_special, METH_VARARGS,
     "special(scenario, mode, threads, progress) -> (JSON text, timetable YAML or None)"},
    {NULL, NULL, 0, NULL},
};
