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

    __slots__ = ("_handle", "_info")

    def __init__(self, handle):
        self._handle = handle
        self._info = None

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
