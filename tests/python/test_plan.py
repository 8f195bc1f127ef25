"""test_plan.py: routes, timetables, conflicts, special trains and imports through Python
equal what the CLI prints with --json.

The flagship network and day (examples/flagship: the route Pyongyang - Vladivostok with
its consist changes, the day's timetable, its conflict-free check, the special request in
both modes, as tests/cli/special.sh runs it), the corridor with conflicts of tests/data,
and a railML 2.4 import; bad requests raise with file, line and field; a progress
callback sees every run and can cancel."""
import os
import shutil
import subprocess
import tempfile
import unittest

import support
import tumen

F = support.FLAGSHIP
NETWORK = [os.path.join(F, n) for n in ("network.yaml", "train.yaml")]
DAY = NETWORK + [os.path.join(F, "timetable.yaml")]
SPECIAL = DAY + [os.path.join(F, "special.yaml")]
DATA = os.path.join(support.SOURCE_DIR, "tests", "data")
CORRIDOR = [os.path.join(DATA, n) for n in ("simple.yaml", "corridor.yaml",
                                            "corridor_conflicts.yaml")]
RAILML = os.path.join(DATA, "import", "line-2.4.xml")


class Plan(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.day = tumen.load(*SPECIAL)

    def test_route_equals_the_cli(self):
        sc = tumen.load(*NETWORK)
        got = sc.route("special_electric", "PY", "VLA",
                       change_to=["special_diesel", "special_ep1"])
        want = support.cli_json("route", *NETWORK, "--train", "special_electric",
                                "--change-to", "special_diesel", "--change-to", "special_ep1",
                                "--from", "PY", "--to", "VLA")
        support.assert_same(self, got, want)

    def test_no_route_names_the_field(self):
        sc = tumen.load(*NETWORK)
        with self.assertRaises(tumen.InputError) as cm:
            sc.route("special_electric", "PY", "Atlantis")
        self.assertEqual(cm.exception.field, "to")

    def test_timetable_equals_the_cli(self):
        got = tumen.load(*DAY).timetable()
        support.assert_same(self, got, support.cli_json("timetable", *DAY))
        self.assertGreater(len(got["services"]), 3)
        # The same on two workers of the call's own.
        support.assert_same(self, tumen.load(*DAY).timetable(threads=2), got)

    def test_conflicts_equal_the_cli(self):
        got = tumen.load(*CORRIDOR).conflicts()
        support.assert_same(self, got, support.cli_json("conflicts", *CORRIDOR))
        self.assertGreater(len(got), 0)
        self.assertEqual(tumen.load(*DAY).conflicts(), [])  # the flagship day is clear
        with_buffer = tumen.load(*CORRIDOR).conflicts(buffer=120)
        support.assert_same(self, with_buffer,
                            support.cli_json("conflicts", *CORRIDOR, "--buffer", "120"))

    def test_headway_and_capacity_equal_the_cli(self):
        d = CORRIDOR[:2]
        got = tumen.load(*d).headway("regional", "regional", "AST", "COL")
        support.assert_same(self, got, support.cli_json("headway", *d, "--line", "AST-COL",
                                                        "--trains", "regional,regional"))
        self.assertTrue(got["headways"][-1]["crossing"])
        clear = d + [os.path.join(DATA, "corridor_clear.yaml")]
        got = tumen.load(*clear).capacity("AST", "COL", "05:30", 8.5 * 3600)
        support.assert_same(self, got, support.cli_json("capacity", *clear, "--line", "AST-COL",
                                                        "--window", "05:30-08:30"))
        self.assertEqual(got["trains"], 3)

    def test_blocking_times(self):
        times = tumen.load(*CORRIDOR).blocking_times()
        self.assertGreater(len(times), 0)
        for b in times:
            self.assertLess(b["start_s"], b["end_s"])
            self.assertIsInstance(b["resource"], str)

    def test_special_equals_the_cli_in_both_modes(self):
        for mode in ("fit", "priority"):
            with self.subTest(mode=mode):
                got = self.day.special(mode=mode)
                d = tempfile.mkdtemp(prefix="tumen-py-special.")
                try:
                    out = os.path.join(d, "new.yaml")
                    want = support.cli_json("special", *SPECIAL, "--mode", mode,
                                            "--out-timetable", out)
                    timetable = got.pop("timetable_yaml")
                    support.assert_same(self, got, want)
                    self.assertTrue(got["feasible"])
                    with open(out, encoding="utf-8") as f:
                        self.assertEqual(timetable, f.read())
                    # The new timetable is conflict-free (tests/cli/special.sh's check).
                    stock = os.path.join(d, "stock.yaml")
                    with open(os.path.join(F, "timetable.yaml"), encoding="utf-8") as f:
                        head = f.read().split("\ntimetable:")[0]
                    with open(stock, "w", encoding="utf-8") as f:
                        f.write(head + "\n")
                    self.assertEqual(tumen.load(*NETWORK, stock, out).conflicts(), [])
                finally:
                    shutil.rmtree(d)

    def special_variant(self, name, old, new):
        """The flagship request with old replaced by new, written to a temporary folder
        (removed after the test); returns its path and the original's lines."""
        d = tempfile.mkdtemp(prefix="tumen-py-special.")
        self.addCleanup(shutil.rmtree, d)
        with open(os.path.join(F, "special.yaml"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn(old, text)
        path = os.path.join(d, name + ".yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new))
        return path, text.split("\n")

    def test_impossible_special_is_a_result(self):
        late, _ = self.special_variant("late", '  earliest_departure: "00:00"',
                                       '  earliest_departure: "00:00"\n  latest_arrival: "10:00"')
        r = tumen.load(*DAY, late).special(mode="fit")
        self.assertFalse(r["feasible"])
        self.assertIn("latest", r["why"])
        self.assertNotIn("timetable_yaml", r)

    def test_bad_special_request_names_file_line_field(self):
        bad, lines = self.special_variant("unknown", "  train: special_electric",
                                          "  train: no_such_train")
        id_line = next(i + 1 for i, l in enumerate(lines) if l.startswith("  id:"))
        with self.assertRaises(tumen.InputError) as cm:
            tumen.load(*DAY, bad).special()
        e = cm.exception
        self.assertEqual((e.file, e.line), (bad, id_line))
        self.assertEqual(e.field, "special.train")
        self.assertIn("no_such_train", e.message)

    def test_progress_sees_every_run_and_can_cancel(self):
        sc = tumen.load(*DAY)
        seen = []
        sc.timetable(progress=lambda done, total: seen.append((done, total)))
        # One call per run made (services with the same run share one), the last at total.
        total = seen[-1][1]
        self.assertGreater(total, 3)
        self.assertEqual([d for d, _ in seen], list(range(1, total + 1)))
        self.assertEqual({t for _, t in seen}, {total})
        with self.assertRaises(tumen.CancelledError):
            sc.timetable(progress=lambda done, total: done < 2)

        def boom(done, total):
            raise KeyError("from the callback")
        with self.assertRaises(KeyError):
            sc.timetable(progress=boom)

    def test_special_cancels_mid_search(self):
        # The priority search polls the progress at each branch-and-bound node (total: its
        # node limit, TM_SP_MAX_NODES: 500); False there stops the search itself, not only
        # the answer.
        sc = tumen.load(*SPECIAL)
        seen = []

        def until_the_search(done, total):
            seen.append(total)
            return total != 500
        with self.assertRaises(tumen.CancelledError):
            sc.special(mode="priority", progress=until_the_search)
        self.assertEqual(seen.count(500), 1)
        self.assertTrue(sc.special(mode="priority", progress=lambda d, t: True)["feasible"])

    def test_import_equals_the_cli(self):
        imp = tumen.import_file(RAILML)
        support.assert_same(self, imp.summary, support.cli_json("import", RAILML, "--summary"))
        with open(RAILML, "rb") as f:
            again = tumen.import_bytes(f.read(), name="line.xml")
        self.assertEqual(again.summary, imp.summary)
        sc = imp.scenario
        del imp  # the scenario keeps its import alive
        self.assertEqual(len(sc.export_railml()) > 0, True)
        yaml = again.network_yaml()
        self.assertIn("tracks", yaml)

    def test_broken_import_names_the_line(self):
        with self.assertRaises(tumen.ParseError) as cm:
            tumen.import_bytes(b"<railml>\n<infrastructure>\n</railml>\n", name="broken.xml")
        self.assertEqual(cm.exception.file, "broken.xml")
        self.assertIsNotNone(cm.exception.line)


if __name__ == "__main__":
    support.skip_unless(os.access(support.CLI, os.X_OK), "no CLI at " + support.CLI)
    unittest.main()
