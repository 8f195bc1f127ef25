"""test_threads.py: Python threads sharing one tumen.Scenario get what one thread gets.

The module releases the GIL during every library call and a loaded scenario is read-only
(docs/api.md, "Thread safety"): four threads run different journeys of one scenario at
once, twice each, and every result equals the same run made alone."""
import os
import threading
import unittest

import support
import tumen

OPTIONS = [dict(), dict(mass_model="strip"), dict(allowance="5%"),
           dict(allowance="3 min/100km", driving="linear")]


def plain(result):
    """A result without its arrays, and the arrays as lists, for comparison."""
    r = dict(result)
    for key in ("trajectory", "profile"):
        r[key] = {k: list(v) for k, v in result[key].items()}
    return r


class SharedScenario(unittest.TestCase):
    def test_threads_on_one_scenario(self):
        sc = tumen.load(os.path.join(support.FLAGSHIP, "journey.yaml"))
        results = [[] for _ in OPTIONS]
        errors = []
        start = threading.Barrier(len(OPTIONS))

        def work(i):
            try:
                start.wait()
                for _ in range(2):
                    results[i].append(plain(sc.run(**OPTIONS[i])))
            except Exception as e:  # reported below, in the main thread
                errors.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(OPTIONS))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        for i, options in enumerate(OPTIONS):
            alone = plain(sc.run(**options))
            for r in results[i]:
                self.assertEqual(r, alone, options)
        self.assertNotEqual(results[0][0]["running_time_s"], results[2][0]["running_time_s"])


if __name__ == "__main__":
    unittest.main()
