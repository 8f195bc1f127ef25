"""test_example.py: examples/python/flagship_speed.py runs and leaves its picture, or, without
matplotlib, says so and prints the speeds.

Run with a temporary output path by the same interpreter as this test (ctest runs it with
Debian's python3, which may have matplotlib, and the python3 on PATH, which may not)."""
import os
import subprocess
import sys
import tempfile
import unittest

import support

EXAMPLE = os.path.join(support.SOURCE_DIR, "examples", "python", "flagship_speed.py")

try:
    import matplotlib  # noqa: F401
    HAVE_MATPLOTLIB = True
except ImportError:
    HAVE_MATPLOTLIB = False


class Example(unittest.TestCase):
    def test_flagship_speed_profile(self):
        with tempfile.TemporaryDirectory(prefix="tumen-py-example.") as d:
            out = os.path.join(d, "sub", "speed.png")
            env = dict(os.environ, MPLCONFIGDIR=d)
            p = subprocess.run([sys.executable, EXAMPLE, out], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, check=False,
                               universal_newlines=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            want = support.cli_json("run", os.path.join(support.FLAGSHIP, "journey.yaml"))
            self.assertIn("running time %.1f h" % (want["running_time_s"] / 3600), p.stdout)
            if HAVE_MATPLOTLIB:
                with open(out, "rb") as f:
                    self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
                self.assertGreater(os.path.getsize(out), 10000)
            else:
                self.assertIn("matplotlib is not installed", p.stdout)
                self.assertFalse(os.path.exists(out))
                rows = [l.split() for l in p.stdout.splitlines()
                        if l[:1] == " " and l.split()[0][:1].isdigit()]
                self.assertGreater(len(rows), 20)  # every 50 km of 1247 km
                for row in rows:
                    self.assertLessEqual(float(row[1]), float(row[2]) + 1e-6)  # under the limit


if __name__ == "__main__":
    support.skip_unless(os.access(support.CLI, os.X_OK), "no CLI at " + support.CLI)
    unittest.main()
