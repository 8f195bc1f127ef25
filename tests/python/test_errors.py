"""test_errors.py: bad input raises a tumen.Error subclass that says where, as the CLI does.

Broken copies of tests/data/simple.yaml (as tests/cli/bad_input.sh makes them): the
exception's class follows the library's status code, its file, line and field attributes
name the place, and its text is the CLI's error line ("file:line: field: message")."""
import os
import re
import shutil
import tempfile
import unittest

import support
import tumen

GOOD = os.path.join(support.SOURCE_DIR, "tests", "data", "simple.yaml")


class BadInput(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="tumen-py-bad.")
        with open(GOOD, encoding="utf-8") as f:
            self.lines = f.read().split("\n")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def broken(self, name, line_no, old, new):
        """Writes simple.yaml with old replaced by new on line line_no (1-based)."""
        lines = list(self.lines)
        self.assertIn(old, lines[line_no - 1])
        lines[line_no - 1] = lines[line_no - 1].replace(old, new)
        path = os.path.join(self.dir, name + ".yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        return path

    def check_like_cli(self, path, exc):
        """The exception's text is the line the CLI prints after 'tumen: '."""
        line = support.cli_error("run", path)
        self.assertEqual(re.sub(r"^tumen: ", "", line), str(exc))

    def test_wrong_unit_names_file_line_field(self):
        path = self.broken("unit", 8, "mass: 138 t", "mass: 138 parsecs")
        with self.assertRaises(tumen.InputError) as cm:
            tumen.load(path)
        e = cm.exception
        self.assertIsInstance(e, tumen.Error)
        self.assertEqual(e.file, path)
        self.assertEqual(e.line, 8)
        self.assertEqual(e.field, "vehicles[0].mass")
        self.assertIn("parsecs", e.message)
        self.assertEqual(e.code, -4)
        self.check_like_cli(path, e)

    def test_negative_mass(self):
        path = self.broken("negative", 8, "mass: 138 t", "mass: -138 t")
        with self.assertRaises(tumen.InputError) as cm:
            tumen.run(path)
        self.assertEqual((cm.exception.file, cm.exception.line), (path, 8))
        self.assertIn("mass", cm.exception.field)
        self.check_like_cli(path, cm.exception)

    def test_not_yaml_is_a_parse_error(self):
        path = os.path.join(self.dir, "binary.yaml")
        with open(path, "wb") as f:
            f.write(b"\x7fELF\x01\x02\x03 {{{ [[[ :::\n")
        with self.assertRaises(tumen.ParseError) as cm:
            tumen.load(path)
        self.assertEqual(cm.exception.file, path)
        self.assertIsNotNone(cm.exception.line)
        self.check_like_cli(path, cm.exception)

    def test_text_errors_use_the_given_name(self):
        text = "\n".join(self.lines).replace("mass: 138 t", "mass: 138 parsecs", 1)
        with self.assertRaises(tumen.InputError) as cm:
            tumen.load_text(text, "pasted.yaml")
        self.assertEqual((cm.exception.file, cm.exception.line), ("pasted.yaml", 8))

    def test_missing_file_is_a_file_error(self):
        path = os.path.join(self.dir, "nonexistent.yaml")
        with self.assertRaises(tumen.FileError) as cm:
            tumen.load(path)
        self.assertEqual(cm.exception.file, path)
        self.assertIsNone(cm.exception.line)
        self.assertIsNone(cm.exception.field)

    def test_not_a_scenario_handle(self):
        with self.assertRaises(TypeError):
            tumen.Scenario(object()).run()


if __name__ == "__main__":
    support.skip_unless(os.access(support.CLI, os.X_OK), "no CLI at " + support.CLI)
    unittest.main()
