/* imports.c: files of other formats read into a scenario (railML, OSRD railjson, OSM), and
 * a scenario written as railML or GeoJSON, for the tumen package (module.h).
 *
 * An import is a handle (a capsule) because its scenario belongs to it: tumen.Import keeps
 * the import alive for as long as the tumen.Scenario it hands out. */
#include "module.h"

#define IMPORT_CAPSULE "tumen.import"

static void import_capsule_free(PyObject *capsule)
{
    tumen_import_destroy(PyCapsule_GetPointer(capsule, IMPORT_CAPSULE));
}

static const tumen_import *import_of(PyObject *capsule)
{
    if (!PyCapsule_IsValid(capsule, IMPORT_CAPSULE)) {
        PyErr_SetString(PyExc_TypeError, "not a tumen import (use tumen.import_file)");
        return NULL;
    }
    return PyCapsule_GetPointer(capsule, IMPORT_CAPSULE);
}

static PyObject *wrap_import(int rc, tumen_import *imp, const tumen_error *err)
{
    if (rc != TUMEN_OK)
        return tm_py_raise(err);
    PyObject *capsule = PyCapsule_New(imp, IMPORT_CAPSULE, import_capsule_free);
    if (!capsule)
        tumen_import_destroy(imp);
    return capsule;
}

/* import_file(path, drop_sidings, strict, drop_temporary, default_speed) -> handle */
static PyObject *py_import_file(PyObject *self, PyObject *args)
{
    PyObject *path;
    tumen_import_options o;
    tumen_import_options_init(&o);
    if (!PyArg_ParseTuple(args, "O&pppd", PyUnicode_FSConverter, &path, &o.drop_sidings,
                          &o.strict, &o.drop_temporary, &o.default_speed))
        return NULL;
    const char *p = PyBytes_AsString(path);
    tumen_import *imp = NULL;
    tumen_error err = {0};
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_import_file(p, &o, &imp, &err);
    Py_END_ALLOW_THREADS
    Py_DECREF(path);
    return wrap_import(rc, imp, &err);
}

/* import_memory(name, data, drop_sidings, strict, drop_temporary, default_speed) -> handle */
static PyObject *py_import_memory(PyObject *self, PyObject *args)
{
    const char *name, *data;
    Py_ssize_t length;
    tumen_import_options o;
    tumen_import_options_init(&o);
    if (!PyArg_ParseTuple(args, "sy#pppd", &name, &data, &length, &o.drop_sidings, &o.strict,
                          &o.drop_temporary, &o.default_speed))
        return NULL;
    tumen_import *imp = NULL;
    tumen_error err = {0};
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_import_memory(name, data, (size_t)length, &o, &imp, &err);
    Py_END_ALLOW_THREADS
    return wrap_import(rc, imp, &err);
}

/* Text an import gives (its summary, its network), the GIL released while it is made. */
typedef int (*import_text_fn)(const tumen_import *imp, char **text, size_t *length,
                              tumen_error *err);

static PyObject *import_text(PyObject *args, import_text_fn make)
{
    PyObject *capsule;
    if (!PyArg_ParseTuple(args, "O", &capsule))
        return NULL;
    const tumen_import *imp = import_of(capsule);
    if (!imp)
        return NULL;
    char *text = NULL;
    size_t length = 0;
    tumen_error err = {0};
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = make(imp, &text, &length, &err);
    Py_END_ALLOW_THREADS
    return tm_py_text_result(rc, text, length, &err);
}

/* import_summary(handle) -> JSON text (as `tumen import --summary --json`). */
static PyObject *py_import_summary(PyObject *self, PyObject *args)
{
    return import_text(args, tumen_import_summary_json);
}

/* import_network_yaml(handle) -> the network and rolling stock as tumen YAML. */
static PyObject *py_import_network_yaml(PyObject *self, PyObject *args)
{
    return import_text(args, tumen_import_network_yaml);
}

/* import_scenario(handle) -> a scenario handle borrowed from the import. */
static PyObject *py_import_scenario(PyObject *self, PyObject *args)
{
    PyObject *capsule;
    if (!PyArg_ParseTuple(args, "O", &capsule))
        return NULL;
    const tumen_import *imp = import_of(capsule);
    if (!imp)
        return NULL;
    return tm_py_wrap_scenario(tumen_import_scenario(imp), 0);
}

/* export_railml(scenario) -> railML 2.4 text. */
static PyObject *py_export_railml(PyObject *self, PyObject *args)
{
    PyObject *capsule;
    if (!PyArg_ParseTuple(args, "O", &capsule))
        return NULL;
    const tumen_scenario *sc = tm_py_scenario(capsule);
    if (!sc)
        return NULL;
    char *text = NULL;
    size_t length = 0;
    tumen_error err = {0};
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_export_railml(sc, &text, &length, &err);
    Py_END_ALLOW_THREADS
    return tm_py_text_result(rc, text, length, &err);
}

/* export_geojson(scenario, positions, clock, threads) -> GeoJSON text. */
static PyObject *py_export_geojson(PyObject *self, PyObject *args)
{
    PyObject *capsule;
    tumen_geojson_options o;
    tumen_geojson_options_init(&o);
    if (!PyArg_ParseTuple(args, "Opdi", &capsule, &o.positions, &o.clock, &o.common.threads))
        return NULL;
    const tumen_scenario *sc = tm_py_scenario(capsule);
    if (!sc)
        return NULL;
    char *text = NULL;
    size_t length = 0;
    tumen_error err = {0};
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tumen_export_geojson(sc, &o, &text, &length, &err);
    Py_END_ALLOW_THREADS
    return tm_py_text_result(rc, text, length, &err);
}

PyMethodDef tm_py_import_methods[] = {
    {"import_file", py_import_file, METH_VARARGS,
     "import_file(path, drop_sidings, strict, drop_temporary, default_speed) -> import handle"},
    {"import_memory", py_import_memory, METH_VARARGS,
     "import_memory(name, data, drop_sidings, strict, drop_temporary, default_speed) -> "
     "import handle"},
    {"import_summary", py_import_summary, METH_VARARGS, "import_summary(import) -> JSON text"},
    {"import_network_yaml", py_import_network_yaml, METH_VARARGS,
     "import_network_yaml(import) -> tumen YAML text"},
    {"import_scenario", py_import_scenario, METH_VARARGS,
     "import_scenario(import) -> scenario handle (valid while the import lives)"},
    {"export_railml", py_export_railml, METH_VARARGS, "export_railml(scenario) -> railML text"},
    {"export_geojson", py_export_geojson, METH_VARARGS,
     "export_geojson(scenario, positions, clock, threads) -> GeoJSON text"},
    {NULL, NULL, 0, NULL},
};
