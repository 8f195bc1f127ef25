"""support.py: what the Python tests share: where things are, the CLI's JSON, skips.

A test that cannot run (no ../shared, no CLI) exits 77, which ctest counts as skipped;
under CI=true that is a failure instead (exit 1)."""
import json
import os
import subprocess
import sys

SOURCE_DIR = os.environ.get("TUMEN_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED_DIR = os.environ.get("TUMEN_SHARED_DIR", os.path.join(SOURCE_DIR, "..", "shared"))
CLI = os.environ.get("TUMEN_CLI", os.path.join(SOURCE_DIR, "build", "tumen"))
FLAGSHIP = os.path.join(SOURCE_DIR, "examples", "flagship")


def skip_unless(condition, why):
    """Exits 77 (skip) when condition is false; under CI=true exits 1."""
    if condition:
        return
    print("skipped: " + why, file=sys.stderr)
    sys.exit(1 if os.environ.get("CI") == "true" else 77)


def shared(*parts):
    return os.path.join(SHARED_DIR, *parts)


def cli_json(*args):
    """Runs `tumen ARGS... --json` and returns its parsed output (the exit status must be 0)."""
    out = subprocess.run([CLI] + list(args) + ["--json"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=False)
    if out.returncode != 0:
        raise AssertionError("tumen %s: exit %d: %s" % (" ".join(args), out.returncode,
                                                         out.stderr.decode(errors="replace")))
    return json.loads(out.stdout)


def cli_error(*args):
    """Runs `tumen ARGS...` expecting exit status 2; returns its stderr's first line."""
    out = subprocess.run([CLI] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         check=False)
    if out.returncode != 2:
        raise AssertionError("tumen %s: exit %d, not 2" % (" ".join(args), out.returncode))
    return out.stderr.decode(errors="replace").splitlines()[0]


def assert_same(test, got, want, path="", rel=1e-9):
    """Deep comparison of parsed JSON: the same keys, lists of the same length, numbers
    equal to rel (the CLI prints 15 significant digits), everything else equal."""
    if isinstance(want, dict):
        test.assertIsInstance(got, dict, path)
        test.assertEqual(sorted(got), sorted(want), path)
        for k in want:
            assert_same(test, got[k], want[k], path + "." + k, rel)
    elif isinstance(want, list):
        test.assertIsInstance(got, list, path)
        test.assertEqual(len(got), len(want), path)
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same(test, g, w, "%s[%d]" % (path, i), rel)
    elif isinstance(want, float) or (isinstance(want, int) and not isinstance(want, bool)
                                     and isinstance(got, float)):
        test.assertAlmostEqual(got, want, delta=rel * max(1.0, abs(want)), msg=path)
    else:
        test.assertEqual(got, want, path)
