"""test_install.py: `make install` puts a package that imports without the build tree.

cmake --install into a temporary prefix, then a fresh interpreter (this one) with only
PREFIX/lib/python3/dist-packages on its path imports tumen from there and runs the
flagship journey to the CLI's running time."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import support

BUILD = os.environ.get("TUMEN_BUILD_DIR", os.path.join(support.SOURCE_DIR, "build"))


class Install(unittest.TestCase):
    def test_installed_package_imports_and_runs(self):
        prefix = tempfile.mkdtemp(prefix="tumen-py-install.")
        try:
            p = subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
            self.assertEqual(p.returncode, 0, p.stdout)
            site = os.path.join(prefix, "lib", "python3", "dist-packages")
            self.assertTrue(os.path.isfile(os.path.join(site, "tumen", "_tumen.abi3.so")))
            env = dict(os.environ, PYTHONPATH=site)
            code = ("import sys, tumen; print(tumen.__file__); "
                    "print(repr(tumen.run(sys.argv[1])['running_time_s']))")
            journey = os.path.join(support.FLAGSHIP, "journey.yaml")
            q = subprocess.run([sys.executable, "-c", code, journey], env=env, cwd=prefix,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False,
                               universal_newlines=True)
            self.assertEqual(q.returncode, 0, q.stderr)
            where, running_time = q.stdout.split()
            self.assertTrue(where.startswith(site), where)
            want = support.cli_json("run", journey)["running_time_s"]
            self.assertAlmostEqual(float(running_time), want, delta=1e-6 * want)
        finally:
            shutil.rmtree(prefix)


if __name__ == "__main__":
    support.skip_unless(shutil.which("cmake") is not None, "no cmake")
    support.skip_unless(os.access(support.CLI, os.X_OK), "no CLI at " + support.CLI)
    unittest.main()
