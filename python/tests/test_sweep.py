# SPDX-License-Identifier: GPL-2.0-only
"""netgym.sweep against the real sweep binary: planning, batching, the local
executor and, when Ray is installed, a local Ray instance (ray.init(num_cpus=2)).

Run: NETGYM_SWEEP_BIN=/path/to/sweep python3 -m unittest discover -s python/tests
Without NETGYM_SWEEP_BIN the binary is built with `go build` when go is on
PATH. The Ray test is skipped where `import ray` fails (Debian's python3
has no Ray; `pip install ray` brings ~250 MB).
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from netgym import sweep  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

SPEC = """scenario: channel-sim
grid:
  loss_good: [0, 0.25, 0.5]
  p_gb: 0
  steps: 500
seeds: 4
"""


def _binary():
    b = os.environ.get("NETGYM_SWEEP_BIN")
    if b:
        return b
    if not shutil.which("go"):
        return None
    out = os.path.join(tempfile.mkdtemp(prefix="netgym-sweep-bin-"), "sweep")
    subprocess.run(["go", "build", "-o", out, "./scenarios/sweep"], cwd=ROOT, check=True)
    return out


BIN = _binary()


def _rows(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


@unittest.skipIf(not BIN, "no sweep binary (set NETGYM_SWEEP_BIN or put go on PATH)")
class SweepTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="netgym-sweep-test-")
        self.spec = os.path.join(self.dir, "spec.yaml")
        with open(self.spec, "w") as f:
            f.write(SPEC)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def reference(self):
        """The Go runner's own results for the spec."""
        ref = os.path.join(self.dir, "ref")
        subprocess.run([BIN, "run", "-spec", self.spec, "-out", ref, "-quiet"], check=True, capture_output=True)
        return _rows(os.path.join(ref, "results.jsonl"))

    def check_same(self, out, ref):
        got = _rows(os.path.join(out, "results.jsonl"))
        self.assertEqual([r["job"] for r in got], list(range(12)))
        ref = sorted(ref, key=lambda r: r["job"])
        self.assertEqual([(r["key"], r["metrics"]) for r in got], [(r["key"], r["metrics"]) for r in ref])
        with open(os.path.join(out, "results.csv")) as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0][:3], ["scenario", "job", "point"])
        self.assertEqual(len(rows), 13)

    def test_plan_and_batches(self):
        jobs = sweep.plan(BIN, self.spec)
        self.assertEqual(len(jobs), 12)
        self.assertEqual(jobs[5]["params"]["loss_good"], 0.25)
        self.assertEqual(jobs[5]["seed"], 2)
        self.assertEqual(sweep._ranges([9, 3, 4, 5, 11]), "3-5,9,11")
        # Heavy or few points: one job per task; many light ones: batches
        # of about 64, at least four per CPU.
        self.assertEqual(sweep.default_tasks(12, 2), 12)
        self.assertEqual(sweep.default_tasks(64, 2), 64)
        self.assertEqual(sweep.default_tasks(65, 2), 8)
        self.assertEqual(sweep.default_tasks(1000, 2), 15)
        parts = sweep.batches(list(range(10)), 3)
        self.assertEqual(parts, [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]])
        with self.assertRaises(sweep.SweepError) as cm:
            sweep.plan(BIN, spec_text="scenario: nope\n")
        self.assertIn('unknown scenario "nope"', str(cm.exception))

    def test_local_executor_matches_go_runner_and_resumes(self):
        ref = self.reference()
        out = os.path.join(self.dir, "out")
        rep = sweep.run_sweep(BIN, self.spec, out, executor="local", batch_size=5)
        self.assertEqual((rep["jobs"], rep["skipped"], rep["done"], rep["failed"]), (12, 0, 12, 0))
        self.check_same(out, ref)
        # A rerun finds everything.
        rep = sweep.run_sweep(BIN, self.spec, out, executor="local")
        self.assertEqual((rep["skipped"], rep["done"]), (12, 0))
        # A killed driver: five rows and a torn line left; the rerun runs
        # the seven missing ones.
        path = os.path.join(out, "results.jsonl")
        with open(path) as f:
            lines = f.readlines()
        with open(path, "w") as f:
            f.writelines(lines[:5])
            f.write(lines[5][:20])
        with open(path) as f:
            data = f.read()
        with open(path, "w") as f:
            f.write(data[: data.rindex("\n") + 1])  # the Python driver appends whole lines only
        rep = sweep.run_sweep(BIN, self.spec, out, executor="local", tasks=3)
        self.assertEqual((rep["skipped"], rep["done"]), (5, 7))
        self.check_same(out, ref)

    def test_failures_are_reported(self):
        with open(self.spec, "w") as f:
            f.write("scenario: wifi-sim\ngrid:\n  steps: 10\n")
        rows = sweep.run_jobs(BIN, [0], self.spec)
        self.assertEqual(len(rows), 1)
        with self.assertRaises(sweep.SweepError):
            sweep.run_jobs(BIN, [7], self.spec)  # no job 7

    @unittest.skipIf(sys.version_info < (3, 8), "Ray needs Python 3.8+")
    def test_ray_local_instance(self):
        try:
            import ray
        except ImportError:
            self.skipTest("ray is not installed (pip install ray)")
        ref = self.reference()
        out = os.path.join(self.dir, "ray")
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        try:
            rep = sweep.run_sweep(BIN, self.spec, out, executor="ray")
        finally:
            ray.shutdown()
        self.assertEqual((rep["jobs"], rep["done"], rep["failed"]), (12, 12, 0))
        self.check_same(out, ref)


if __name__ == "__main__":
    unittest.main()
