"""test_run.py: tumen.run through Python gives what `tumen run --json` prints.

The twelve TrainRuns.jl train-path pairs (../shared/data/trainruns, as tests/test_trainruns.c
runs them) and the flagship journey: the result dict equals the CLI's JSON key for key (to
the 15 digits the CLI prints); the trajectory columns are numpy arrays when numpy is
importable, else lists, and agree with the summary (the last sample's time is the running
time, the highest speed the max_speed_ms)."""
import os
import unittest

import support
import tumen

TRAINS = ("freight", "local", "longdistance")
PATHS = ("const", "slope", "speed", "realworld")


def pair_files(train, path):
    return (support.shared("data", "trainruns", "trains", train + ".yaml"),
            support.shared("data", "trainruns", "paths", path + ".yaml"))


class TrainRunsThroughPython(unittest.TestCase):
    def check_run(self, files, cli_args=(), **options):
        result = tumen.run(*files, **options)
        want = support.cli_json("run", *files, *cli_args)
        trajectory = result.pop("trajectory")
        profile = result.pop("profile")
        support.assert_same(self, result, want)
        t, v = trajectory["t"], trajectory["v"]
        self.assertEqual(len(t), len(v))
        self.assertGreater(len(t), 2)
        if tumen.HAVE_NUMPY:
            import numpy
            self.assertIsInstance(t, numpy.ndarray)
            self.assertEqual(t.dtype, numpy.float64)
        else:
            self.assertIsInstance(t, list)
        self.assertAlmostEqual(t[-1] - t[0], want["running_time_s"], delta=1e-6)
        self.assertAlmostEqual(max(v), want["max_speed_ms"], delta=1e-9)
        self.assertEqual(len(profile["s"]), len(profile["limit"]))
        for mode in trajectory["mode"]:
            self.assertIn(tumen.MODE_NAMES[mode], tumen.MODE_NAMES)
        return result

    def test_twelve_pairs_equal_the_cli(self):
        for train in TRAINS:
            for path in PATHS:
                with self.subTest(train=train, path=path):
                    self.check_run(pair_files(train, path))

    def test_strip_mass_model_equals_the_cli(self):
        self.check_run(pair_files("freight", "slope"), ("--mass-model", "strip"),
                       mass_model="strip")

    def test_allowance_equals_the_cli(self):
        r = self.check_run(pair_files("local", "realworld"), ("--allowance", "5%"),
                           allowance="5%")
        self.assertGreater(r["running_time_s"], r["min_running_time_s"])

    def test_flagship_journey_equals_the_cli(self):
        self.check_run([os.path.join(support.FLAGSHIP, "journey.yaml")])

    def test_text_equals_file(self):
        files = pair_files("local", "speed")
        text = "".join(open(f, encoding="utf-8").read() for f in files[:1])
        from_files = tumen.load(*files)
        self.assertEqual(from_files.trains[0]["id"], tumen.load_text(text, "t.yaml").trains[0]["id"])
        self.assertEqual(len(from_files.lines), 1)

    def test_bad_option_is_a_value_error(self):
        sc = tumen.load(*pair_files("local", "const"))
        with self.assertRaises(ValueError):
            sc.run(mass_model="cloud")
        with self.assertRaises(tumen.InputError):
            sc.run(allowance="lots")


if __name__ == "__main__":
    support.skip_unless(os.path.isdir(support.shared("data", "trainruns")),
                        "no ../shared/data/trainruns")
    support.skip_unless(os.access(support.CLI, os.X_OK), "no CLI at " + support.CLI)
    unittest.main()
