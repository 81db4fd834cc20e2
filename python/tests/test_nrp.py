# SPDX-License-Identifier: GPL-2.0-only
"""netgym.nrp: datapacks, NRP-core's decorators, the nrp_core stand-in, and
the JSON-lines host the Go loop talks to (standard library only).

Run: python3 -m unittest discover -s python/tests
"""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.join(HERE, "..")
sys.path.insert(0, PYDIR)

from netgym import nrp  # noqa: E402
from netgym.nrp import datapacks, functions  # noqa: E402


class DataPacks(unittest.TestCase):
    def test_empty_and_data(self):
        dp = nrp.JsonDataPack("obs", "cartpole")
        self.assertEqual(dp.data, {})
        self.assertFalse(dp.isEmpty())
        self.assertEqual((dp.name, dp.engine_name, dp.type), ("obs", "cartpole", "json"))
        empty = datapacks.from_wire({"name": "obs", "engine_name": "cartpole", "type": "json"})
        self.assertTrue(empty.isEmpty())
        self.assertFalse(empty.isUpdated())
        with self.assertRaises(nrp.EmptyDataPackError):
            _ = empty.data
        wire = datapacks.to_wire(nrp.JsonDataPack("a", "b", [1, 2]))
        self.assertEqual(wire, {"name": "a", "engine_name": "b", "type": "json", "data": [1, 2]})
        with self.assertRaises(TypeError):
            datapacks.to_wire({"name": "a"})


class Decorators(unittest.TestCase):
    def test_inputs_in_written_order(self):
        before = len(functions._registry)

        @nrp.EngineDataPack("a", nrp.DataPackIdentifier("x", "e1"))
        @nrp.PreprocessedDataPack("b", nrp.DataPackIdentifier("y", "e2"))
        @nrp.TransceiverFunction("e3")
        def tf(a, b):
            return [a, b]

        self.assertEqual(len(functions._registry), before + 1)
        self.assertEqual(tf.kind, "TransceiverFunction")
        self.assertEqual(tf.engine, "e3")
        self.assertEqual([(k, i.name, i.engine_name, p) for k, i, p in tf.inputs],
                         [("a", "x", "e1", False), ("b", "y", "e2", True)])
        self.assertEqual(tf(1, 2), [1, 2])

    def test_input_needs_a_function_below(self):
        with self.assertRaises(TypeError):
            @nrp.EngineDataPack("a", nrp.DataPackIdentifier("x", "e1"))
            def plain(a):
                return a


class Host(unittest.TestCase):
    """Talks to `python3 -m netgym.nrp.host` as the Go loop does."""

    def start(self, role):
        env = dict(os.environ, PYTHONPATH=PYDIR)
        p = subprocess.Popen([sys.executable, "-m", "netgym.nrp.host", role], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        self.addCleanup(p.wait)
        self.addCleanup(p.stderr.close)
        self.addCleanup(p.stdout.close)
        self.addCleanup(p.stdin.close)
        return p

    def call(self, p, req):
        p.stdin.write(json.dumps(req) + "\n")
        p.stdin.flush()
        return json.loads(p.stdout.readline())

    def write(self, d, name, text):
        path = os.path.join(d, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(text))
        return path

    def test_engine(self):
        with tempfile.TemporaryDirectory() as d:
            script = self.write(d, "eng.py", """
                from nrp_core.engines.python_json import EngineScript

                class Script(EngineScript):
                    def initialize(self):
                        print("hello from the engine")
                        self._registerDataPack("x")
                        self._registerDataPack("y")
                        self._setDataPack("x", {"t": self._time_ns})

                    def runLoop(self, timestep_ns):
                        self._setDataPack("x", {"t": self._time_ns, "y": self._getDataPack("y")})
            """)
            p = self.start("engine")
            self.assertEqual(self.call(p, {"op": "initialize", "body": {"EngineName": "e", "PythonFileName": script}}),
                             {"ok": {}})
            self.assertEqual(self.call(p, {"op": "get_datapacks", "body": {"y": {"engine_name": "e", "type": "json"}}}),
                             {"ok": {"y": {"engine_name": "e", "type": "json"}}})  # empty: no data
            self.assertEqual(self.call(p, {"op": "set_datapacks", "body": {"y": {"engine_name": "e", "type": "json",
                                                                                  "data": [7]}}}), {"ok": {}})
            self.assertEqual(self.call(p, {"op": "run_loop", "body": {"time_step": 5}}), {"ok": {"time": 5}})
            self.assertEqual(self.call(p, {"op": "get_datapacks", "body": {"x": {"engine_name": "e", "type": "json"}}}),
                             {"ok": {"x": {"engine_name": "e", "type": "json", "data": {"t": 5, "y": [7]}}}})
            bad = self.call(p, {"op": "get_datapacks", "body": {"z": {}}})
            self.assertIn("KeyError", bad["error"])
            self.assertIn("'z' is not registered", bad["error"])
            self.assertIn("error", self.call(p, {"op": "run_loop", "body": {"time_step": -1}}))
            self.assertEqual(self.call(p, {"op": "reset", "body": "reset"}), {"ok": {}})
            self.assertEqual(self.call(p, {"op": "run_loop", "body": {"time_step": 3}}), {"ok": {"time": 3}})
            self.assertEqual(self.call(p, {"op": "shutdown", "body": None}), {"ok": {}})
            self.assertEqual(p.wait(timeout=10), 0)
            self.assertIn("hello from the engine", p.stderr.read())

    def test_functions(self):
        with tempfile.TemporaryDirectory() as d:
            tf = self.write(d, "tf.py", """
                from nrp_core import *
                from nrp_core.data.nrp_json import *
                import numpy_free_helper  # a module beside the file is importable

                @EngineDataPack(keyword="obs", id=DataPackIdentifier("obs", "phys"))
                @TransceiverFunction("ctrl")
                def forward(obs):
                    if obs.isEmpty():
                        return []
                    return [JsonDataPack("in", "ctrl", {"x": numpy_free_helper.twice(obs.data[0]),
                                                        "t": getSimulationTime(), "fresh": obs.isUpdated()})]
            """)
            self.write(d, "numpy_free_helper.py", "def twice(x):\n    return 2 * x\n")
            st = self.write(d, "st.py", """
                from netgym.nrp import *

                @StatusFunction()
                def status():
                    return getSimulationIteration() >= 2, [JsonRawData({"it": getSimulationIteration()})]
            """)
            p = self.start("functions")
            specs = self.call(p, {"op": "load", "functions": [{"Name": "fwd", "FileName": tf}],
                                  "status": {"Name": "st", "FileName": st}})
            self.assertEqual(specs, {"ok": [
                {"name": "fwd", "kind": "TransceiverFunction", "engine": "ctrl",
                 "inputs": [{"keyword": "obs", "name": "obs", "engine": "phys", "type": "", "preprocessed": False}]},
                {"name": "st", "kind": "StatusFunction", "engine": "", "inputs": []}]})
            empty = {"name": "obs", "engine_name": "phys", "type": "json", "updated": True}
            self.assertEqual(self.call(p, {"op": "call", "index": 0, "time": 0, "iteration": 0, "args": [empty]}),
                             {"ok": {"datapacks": []}})
            full = dict(empty, data=[1.5])
            self.assertEqual(self.call(p, {"op": "call", "index": 0, "time": 10, "iteration": 1, "args": [full]}),
                             {"ok": {"datapacks": [{"name": "in", "engine_name": "ctrl", "type": "json",
                                                    "data": {"x": 3.0, "t": 10, "fresh": True}}]}})
            self.assertEqual(self.call(p, {"op": "call", "index": 1, "time": 20, "iteration": 2, "args": []}),
                             {"ok": {"done": True, "observations": [{"it": 2}]}})
            bad = self.call(p, {"op": "call", "index": 0, "args": []})
            self.assertIn("1 inputs", bad["error"])
            self.assertEqual(self.call(p, {"op": "shutdown"}), {"ok": {}})
            self.assertEqual(p.wait(timeout=10), 0)

    def test_malformed_lines(self):
        p = self.start("functions")
        p.stdin.write("{not json\n")
        p.stdin.flush()
        self.assertIn("JSONDecodeError", json.loads(p.stdout.readline())["error"])
        self.assertIn("unknown op", self.call(p, {"op": "fly"})["error"])
        self.assertEqual(self.call(p, {"op": "shutdown"}), {"ok": {}})


if __name__ == "__main__":
    unittest.main()
