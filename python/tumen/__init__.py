"""tumen: railway running times, timetables, blocking times and special trains from Python.

A thin layer over the C library's public API (include/tumen.h), through the extension
``tumen._tumen``. Results come back as dicts and lists with the keys of the CLI's ``--json``
output (SI units, the unit in the key: ``running_time_s``, ``distance_m``); trajectories as
numpy arrays when numpy can be imported, else as lists. Errors raise a subclass of
:class:`tumen.Error` (``InputError``, ``ParseError``, ``PhysicsError``, ...) whose
``file``, ``line``, ``column`` and ``field`` attributes say where the input is wrong.

The library releases the GIL while it computes, and a loaded :class:`Scenario` is
read-only: several threads may run on one scenario at once (docs/api.md, "Thread safety").

    import tumen
    sc = tumen.load("examples/flagship/journey.yaml")
    r = sc.run()
    print(r["running_time_s"], r["trajectory"]["v"].max())

See docs/python.md.
"""
import json as _json
from array import array as _array

from . import _tumen

try:
    import numpy as _np
except ImportError:  # numpy is optional: columns become lists
    _np = None

__version__ = _tumen.__version__
HAVE_NUMPY = _np is not None

Error = _tumen.Error
# One exception class per status code of the library (InputError, ParseError, ...).
for _name in dir(_tumen):
    _obj = getattr(_tumen, _name)
    if isinstance(_obj, type) and issubclass(_obj, Error):
        globals()[_name] = _obj
del _name, _obj

_MASS_MODELS = {"point": _tumen.MASS_POINT, "strip": _tumen.MASS_STRIP}
_DRIVING = {None: _tumen.DRIVING_DEFAULT, "eco": _tumen.DRIVING_ECO,
            "linear": _tumen.DRIVING_LINEAR}


def _column(packed, typecode):
    """A packed column from the extension as a numpy array (a copy the caller owns), or
    a list without numpy."""
    if _np is not None:
        return _np.frombuffer(packed, dtype=_np.float64 if typecode == "d" else _np.intc).copy()
    a = _array(typecode)
    a.frombytes(packed)
    return a.tolist()


def _columns(packed_columns):
    return {name: _column(b, "i" if name in ("mode", "leg") else "d")
            for name, b in packed_columns.items()}


_LINE_TYPES = {"mixed": _tumen.LINE_MIXED, "suburban": _tumen.LINE_SUBURBAN,
               "high-speed": _tumen.LINE_HIGH_SPEED}
_SPECIAL_MODES = {None: _tumen.SPECIAL_REQUEST, "fit": _tumen.SPECIAL_FIT,
                  "priority": _tumen.SPECIAL_PRIORITY}


def _clock(value):
    """s after midnight from a number or "HH:MM[:SS]"; None is -1 (none)."""
    if value is None:
        return -1.0
    if isinstance(value, str):
        return _tumen.parse_clock(value)
    return float(value)


def _choice(value, choices, what):
    try:
        return choices[value]
    except KeyError:
        names = ", ".join(repr(k) for k in choices)
        raise ValueError("%s must be one of %s, not %r" % (what, names, value)) from None


class Scenario:
    """A loaded scenario: vehicles, trains, lines, a journey, a network, a timetable.

    Made by :func:`load` or :func:`load_text`. Read-only once loaded: every call only
    reads it, so threads may share one.
    """

    __slots__ = ("_handle", "_info", "_owner")

    def __init__(self, handle, owner=None):
        self._handle = handle
        self._info = None
        self._owner = owner  # what the handle is borrowed from (an Import), kept alive

    def _described(self):
        if self._info is None:
            self._info = _tumen.scenario_info(self._handle)
        return self._info

    @property
    def trains(self):
        """The trains: a list of dicts (id, name, mass_kg, length_m, ...)."""
        return self._described()["trains"]

    @property
    def lines(self):
        """The lines: a list of dicts (id, name, length_m, ...)."""
        return self._described()["lines"]

    @property
    def legs(self):
        """The journey's legs as (train index, line index) pairs; empty without a journey."""
        return self._described()["legs"]

    def run(self, mass_model="point", max_step=None, allowance=None, driving=None,
            fastest=False):
        """Runs the journey (or the only train over the only line), as ``tumen run``.

        mass_model: "point" or "strip"; max_step: the integrator's largest step in s
        (None: the default); allowance: "5%", "3 min/100km", "90 s" for every leg,
        replacing the files'; driving: "eco" or "linear" (None: the files' choice);
        fastest: ignore every allowance and target.

        Returns the dict ``tumen run --json`` prints (running_time_s, distance_m,
        energy_j, timing_points, legs, ...) with two more keys: "trajectory" (columns t,
        s, v, a, traction, brake, resistance, grade_force, energy, mode, leg, one value a
        sample) and "profile" (the line's steps: s, limit, gradient).
        """
        text, trajectory, profile = _tumen.run(
            self._handle, _choice(mass_model, _MASS_MODELS, "mass_model"),
            float(max_step or 0.0), allowance, _choice(driving, _DRIVING, "driving"),
            bool(fastest))
        result = _json.loads(text)
        result["trajectory"] = _columns(trajectory)
        result["profile"] = _columns(profile)
        return result


    def route(self, train, from_, to, via=(), change_to=(), stops=(), run=False,
              departure=None):
        """The fastest route train may run over the network from from_ to to (ids or
        names), as ``tumen route --json``: passing via in order, becoming one of change_to
        at a bogie exchange or locomotive change, stopping at stops (point ids, or
        (point, dwell s) pairs). run: also run it (from departure: s after midnight or
        "HH:MM"). Raises InputError saying which constraint blocks when there is none."""
        stop_pairs = [(s, 0.0) if isinstance(s, str) else (s[0], float(s[1])) for s in stops]
        return _json.loads(_tumen.route(self._handle, train, from_, to, list(via),
                                        list(change_to), stop_pairs, bool(run),
                                        _clock(departure)))

    def timetable(self, threads=0, max_step=None, progress=None):
        """Runs every service of the timetable, as ``tumen timetable --json`` (name, date,
        services[] with their timing points). threads: workers of the call's own (0: this
        thread). progress(done, total): called as services finish; returning False
        cancels (CancelledError)."""
        return _json.loads(_tumen.timetable(self._handle, int(threads), float(max_step or 0.0),
                                            progress))

    def blocking_times(self, buffer=0.0, threads=0, progress=None):
        """Every blocking time of the timetable's services: dicts of service (index),
        resource, start_s, end_s (s after midnight, end with the buffer in s)."""
        rows = _tumen.blocking(self._handle, int(threads), float(buffer), progress)
        return [dict(service=i, resource=r, start_s=a, end_s=b) for i, r, a, b in rows]

    def conflicts(self, buffer=0.0, threads=0, progress=None):
        """Pairs of trains whose blocking times overlap on one resource, as ``tumen
        conflicts --json``: a list of dicts (train_a, train_b, resource, start_s, end_s,
        ...); empty for a conflict-free timetable."""
        return _json.loads(_tumen.conflicts(self._handle, int(threads), float(buffer), progress))

    def headway(self, train1, train2, from_, to):
        """The minimum headways of two trains (ids) from from_ to to (points): each behind
        the other and, on single track, crossing."""
        return _json.loads(_tumen.headway(self._handle, train1, train2, from_, to))

    def capacity(self, from_, to, window_start, window_end, line_type="mixed", threads=0,
                 progress=None):
        """UIC 406 occupancy of the line from from_ to to in the window (s after midnight
        or "HH:MM"); line_type "mixed", "suburban" or "high-speed"."""
        return _json.loads(_tumen.capacity(
            self._handle, from_, to, _clock(window_start), _clock(window_end),
            _choice(line_type, _LINE_TYPES, "line_type"), int(threads), progress))

    def special(self, mode=None, threads=0, progress=None):
        """Plans the scenario's special-train request (special:) through its timetable, as
        ``tumen special --json``: mode "fit" or "priority" (None: the request's). An
        impossible request is a result (feasible False, why, and the closest alternative),
        not an exception. With a plan, "timetable_yaml" holds the whole new timetable
        (``--out-timetable``)."""
        text, timetable = _tumen.special(self._handle, _choice(mode, _SPECIAL_MODES, "mode"),
                                         int(threads), progress)
        result = _json.loads(text)
        if timetable is not None:
            result["timetable_yaml"] = timetable
        return result

    def export_railml(self):
        """The network, rolling stock and timetable as railML 2.4 text."""
        return _tumen.export_railml(self._handle)

    def geojson(self, positions_at=None, threads=0):
        """The network as a GeoJSON dict; with positions_at (s after midnight or "HH:MM")
        also the trains running then."""
        return _json.loads(_tumen.export_geojson(
            self._handle, positions_at is not None, _clock(positions_at or 0), int(threads)))


class Import:
    """A file of another format read into a scenario (railML 2.2-2.5 and 3.1/3.2, OSRD
    railjson and rolling stock, OpenStreetMap XML and PBF), made by :func:`import_file`
    or :func:`import_bytes`."""

    __slots__ = ("_handle", "summary", "scenario")

    def __init__(self, handle):
        self._handle = handle
        #: what the file held, as ``tumen import --summary --json``
        self.summary = _json.loads(_tumen.import_summary(handle))
        #: the scenario read (it lives as long as this import does)
        self.scenario = Scenario(_tumen.import_scenario(handle), owner=self)

    def network_yaml(self):
        """The network and rolling stock as tumen YAML (``tumen import -o``)."""
        return _tumen.import_network_yaml(self._handle)


def _import_options(drop_sidings, strict, drop_temporary, default_speed):
    return (bool(drop_sidings), bool(strict), bool(drop_temporary),
            float(default_speed or 0.0))


def import_file(path, drop_sidings=False, strict=False, drop_temporary=False,
                default_speed=None):
    """Reads a file of another format (detected from its content). default_speed: m/s
    where the file gives no limit (None: 100 km/h). Raises ParseError, InputError (naming
    the line or JSON path and the element), FileError."""
    return Import(_tumen.import_file(path, *_import_options(drop_sidings, strict,
                                                              drop_temporary, default_speed)))


def import_bytes(data, name="<memory>", drop_sidings=False, strict=False,
                 drop_temporary=False, default_speed=None):
    """The same from bytes in memory; name stands for the file in error messages."""
    return Import(_tumen.import_memory(name, bytes(data), *_import_options(
        drop_sidings, strict, drop_temporary, default_speed)))


def load(*paths):
    """Reads the files in order (tumen YAML, railtoolkit YAML; docs/formats.md) into one
    scenario. Raises a tumen.Error subclass naming the file, line and field at fault."""
    if len(paths) == 1 and isinstance(paths[0], (list, tuple)):
        paths = paths[0]
    return Scenario(_tumen.load(list(paths)))


def load_text(text, name="<text>"):
    """Reads a scenario from text; name stands for the file in error messages."""
    return Scenario(_tumen.load_text(name, text))


def run(*paths, **options):
    """load(*paths).run(**options): one journey from its files."""
    return load(*paths).run(**options)


MODE_NAMES = _tumen.MODE_NAMES
