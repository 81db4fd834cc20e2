# SPDX-License-Identifier: GPL-2.0-only
"""netgym's Python host for co-simulation: runs a Python engine script or
the experiment's datapack processing functions for netgym's loop
(rl/cosim), speaking JSON lines on stdin/stdout (docs/nrp-core.md).

    python3 -m netgym.nrp.host engine      # one EngineScript
    python3 -m netgym.nrp.host functions   # transceiver, preprocessing and status functions

Every request is one JSON object on a line, {"op": ..., ...}; every reply
one line, {"ok": result} or {"error": message, "traceback": text}. What
the script prints goes to stderr: stdout carries only the protocol.
"""

import importlib.util
import json
import os
import sys
import traceback

from . import compat, datapacks, functions
from .engine_script import EngineScript


def _default(obj):
    if hasattr(obj, "tolist"):  # numpy arrays and scalars
        return obj.tolist()
    if isinstance(obj, (set, frozenset)):
        return list(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def _load_file(path, name, shared_globals=None):
    """Executes a Python file; with shared_globals, in that namespace (as
    NRP-core shares one namespace among all function files)."""
    if shared_globals is not None:
        with open(path, encoding="utf-8") as f:
            code = compile(f.read(), path, "exec")
        shared_globals["__file__"] = path
        exec(code, shared_globals)  # noqa: S102 (the experiment's own code)
        return None
    directory = os.path.dirname(os.path.abspath(path))
    if directory not in sys.path:
        sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class EngineHost:
    """Serves one EngineScript: the routes of NRP-core's JSON engine
    protocol, each request's body as the route's body."""

    def __init__(self):
        self.script = None

    def initialize(self, body):
        path = body.get("PythonFileName")
        if not path:
            raise ValueError("the engine configuration has no PythonFileName")
        module = _load_file(path, "netgym_engine_script")
        cls = getattr(module, "Script", None)
        if cls is None or not (isinstance(cls, type) and issubclass(cls, EngineScript)):
            raise TypeError(f"{path} must define class Script(EngineScript)")
        self.script = cls()
        self.script._name = body.get("EngineName", "")
        self.script._config = body
        self.script.initialize()
        return {}

    def _need(self):
        if self.script is None:
            raise RuntimeError("the engine is not initialized")
        return self.script

    def run_loop(self, body):
        s = self._need()
        dt = body["time_step"]
        if not isinstance(dt, int) or dt < 0:
            raise ValueError(f"time_step {dt!r} must be a non-negative integer of nanoseconds")
        s._advanceTime(dt)
        s.runLoop(dt)
        return {"time": s._time_ns}

    def set_datapacks(self, body):
        s = self._need()
        for name, dp in (body or {}).items():
            if not isinstance(dp, dict) or "data" not in dp:
                raise ValueError(f"malformed datapack {name!r}: expected keys data, engine_name, type")
            s._setDataPack(name, dp["data"])
        return {}

    def get_datapacks(self, body):
        s = self._need()
        out = {}
        for name, req in (body or {}).items():
            dtype = (req or {}).get("type") or datapacks.JSON_TYPE
            dp = {"engine_name": s._getEngineName(), "type": dtype}
            data = s._getDataPack(name)
            if data is not None:
                dp["data"] = data
            out[name] = dp
        return out

    def reset(self, body):
        s = self._need()
        s.reset()
        s._time_ns = 0
        return {}

    def shutdown(self, body):
        if self.script is not None:
            self.script.shutdown()
        return {}

    def handle(self, req):
        op = req.get("op")
        fn = {"initialize": self.initialize, "run_loop": self.run_loop, "set_datapacks": self.set_datapacks,
              "get_datapacks": self.get_datapacks, "reset": self.reset, "shutdown": self.shutdown}.get(op)
        if fn is None:
            raise ValueError(f"unknown op {op!r}")
        return fn(req.get("body"))


class FunctionHost:
    """Loads the experiment's function files into one shared namespace and
    calls the functions."""

    def __init__(self):
        self.fns = []
        self.globals = {"__name__": "__nrp_functions__", "__builtins__": __builtins__}

    def load(self, req):
        specs = []
        entries = [(f, False) for f in req.get("functions", [])]
        if req.get("status"):
            entries.append((req["status"], True))
        for entry, status in entries:
            before = len(functions._registry)
            path = entry["FileName"]
            directory = os.path.dirname(os.path.abspath(path))
            if directory not in sys.path:
                sys.path.insert(0, directory)
            _load_file(path, entry["Name"], self.globals)
            new = functions._registry[before:]
            if not new:
                raise ValueError(f"{path} ({entry['Name']}) declares no function: decorate it with "
                                 "@TransceiverFunction, @PreprocessingFunction or @StatusFunction")
            for rf in new:
                if status != (rf.kind == functions.STATUS):
                    where = "StatusFunction" if status else "DataPackProcessingFunctions"
                    raise ValueError(f"{path}: {rf.kind} {rf.__name__!r} is listed under {where}")
                name = entry["Name"] if len(new) == 1 else f"{entry['Name']}.{rf.__name__}"
                self.fns.append(rf)
                specs.append({"name": name, "kind": rf.kind, "engine": rf.engine, "inputs": [
                    {"keyword": k, "name": i.name, "engine": i.engine_name, "type": i.type, "preprocessed": p}
                    for k, i, p in rf.inputs]})
        return specs

    def call_many(self, req):
        """Calls several functions with one clock; each gets its own result
        or error."""
        out = []
        for call in req.get("calls", []):
            try:
                out.append({"ok": self.call(dict(call, time=req.get("time", 0), iteration=req.get("iteration", 0)))})
            except Exception as e:  # noqa: BLE001: reported per call
                out.append({"error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()})
        return out

    def call(self, req):
        rf = self.fns[req["index"]]
        functions._clock["time"] = req.get("time", 0)
        functions._clock["iteration"] = req.get("iteration", 0)
        args = req.get("args", [])
        if len(args) != len(rf.inputs):
            raise ValueError(f"{rf.__name__}: {len(args)} arguments for {len(rf.inputs)} inputs")
        kwargs = {k: datapacks.from_wire(a) for (k, _, _), a in zip(rf.inputs, args)}
        result = rf.fn(**kwargs)
        if rf.kind == functions.STATUS:
            if not (isinstance(result, tuple) and len(result) == 2):
                raise TypeError(f"status function {rf.__name__} must return (done, [JsonRawData, ...])")
            done, obs = result
            return {"done": bool(done), "observations": [getattr(o, "data", o) for o in (obs or [])]}
        if result is None:
            result = []
        if not isinstance(result, (list, tuple)):
            raise TypeError(f"{rf.kind} {rf.__name__} must return a list of datapacks, "
                            f"not {type(result).__name__}")
        return {"datapacks": [datapacks.to_wire(dp) for dp in result]}

    def handle(self, req):
        op = req.get("op")
        if op == "load":
            return self.load(req)
        if op == "call":
            return self.call(req)
        if op == "call_many":
            return self.call_many(req)
        if op == "shutdown":
            return {}
        raise ValueError(f"unknown op {op!r}")


def serve(host, proto_in, proto_out):
    """Answers requests until shutdown or the end of input."""
    for line in proto_in:
        if not line.strip():
            continue
        op = None
        try:
            req = json.loads(line)
            if not isinstance(req, dict):
                raise ValueError("a request must be a JSON object")
            op = req.get("op")
            reply = {"ok": host.handle(req)}
            text = json.dumps(reply, default=_default, allow_nan=False)
        except Exception as e:  # noqa: BLE001: every error goes back to the loop
            text = json.dumps({"error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()})
        proto_out.write(text + "\n")
        proto_out.flush()
        if op == "shutdown":
            return


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] not in ("engine", "functions"):
        sys.stderr.write("usage: python3 -m netgym.nrp.host engine|functions\n")
        return 2
    # Keep the real stdout for the protocol; prints go to stderr.
    proto_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    compat.install()
    host = EngineHost() if argv[0] == "engine" else FunctionHost()
    serve(host, sys.stdin, proto_out)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
