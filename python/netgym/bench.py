# SPDX-License-Identifier: GPL-2.0-only
"""Steps per second from Python, side by side in one run:

    python -m netgym.bench [--steps 20000] [--json] [--anchor-python PY]

- pipe TRANSMIT+FLUSH / pipe STEP: scenarios/wifi-sim driven the way NetRL's
  NS3WifiChannel drives its backend (Popen in text mode, bufsize 0, a
  select() and a readline() per reply), one or two round trips per step;
- pipe floor: scenarios/channel-sim (a perfect channel, no simulation)
  through the same client: what the pipe alone costs;
- in-process channel: netgym.channels.WifiChannel.transmit + flush with a
  4-float observation (NetRL's CommChannel contract), and the _netrl_ext
  interface (netgym.netrl_compat.NS3WiFiChannel) NetRL's fast config uses;
- vector env: netgym.vector.ChannelVectorEnv with N = 1, 8, 64 (sub-env
  steps/s: N per call); NetworkedVectorEnv over CartPole with N = 8 (its
  dynamics are Python's: not the speed target);
- anchor: NetRL's own pybind11 extension on ns-3, when the Python of a
  venv where NetRL was built against the ns3 wheel is given with
  --anchor-python (or when this interpreter's _netrl_ext is NetRL's
  compiled one).

All on the Wi-Fi ad-hoc link at 10 m, 1 ms steps, 64-byte packets, but
the in-process LenaChannel and MmWaveChannel rows (NetRL's 5G-LENA and
ns3-mmwave links at 50 m, seed 1).
"""

import argparse
import json
import os
import select
import subprocess
import sys
import threading
import time
from collections import deque

import numpy as np

from . import binaries


class PipeBackend:
    """A NetRL line-protocol backend over pipes, talked to as NetRL does."""

    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     bufsize=0, text=True, encoding="utf-8")
        self.stderr = deque(maxlen=200)
        threading.Thread(target=self._drain, daemon=True).start()
        first = self.read(timeout=30.0)
        if first != "READY":
            raise RuntimeError(f"expected READY from {cmd[0]}, got {first!r}")

    def _drain(self):
        try:
            for line in self.proc.stderr:
                self.stderr.append(line.rstrip("\r\n"))
        except Exception:
            pass

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def read(self, timeout=10.0):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError(f"backend did not answer in {timeout} s; stderr: {list(self.stderr)}")
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"backend exited (rc={self.proc.poll()}); stderr: {list(self.stderr)}")
        return line.rstrip("\n\r")

    def quit(self):
        try:
            self.send("QUIT")
            self.proc.wait(timeout=2)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def pipe_steps(binary, steps, step_cmd=False, size=64, args=()):
    """Steps/s of a NetRL pipe backend (TRANSMIT+FLUSH, or STEP)."""
    be = PipeBackend([binary, *args])
    delivered = 0
    try:
        t0 = time.perf_counter()
        for t in range(steps):
            if step_cmd:
                be.send(f"STEP {t} {size}")
            else:
                be.send(f"TRANSMIT {t} {size}")
                r = be.read()
                if r != "OK":
                    raise RuntimeError(f"TRANSMIT {t}: {r!r}")
                be.send(f"FLUSH {t}")
            r = be.read()
            if not r.startswith("RECV"):
                raise RuntimeError(f"step {t}: {r!r}")
            delivered += len(r.split()) - 1
        dt = time.perf_counter() - t0
    finally:
        be.quit()
    return steps / dt, delivered


def inproc_steps(steps, kind="wifi"):
    """Steps/s of an in-process channel (transmit + flush with an
    observation): netgym.channels.WifiChannel at 10 m (kind "wifi"), or
    LenaChannel / MmWaveChannel at 50 m (kinds "lena", "mmwave"), 1 ms
    steps, 64 bytes, seed 1."""
    from . import channels

    if kind == "wifi":
        ch = channels.WifiChannel(distance_m=10.0, step_duration_ms=1.0, packet_size_bytes=64)
    elif kind == "lena":
        ch = channels.LenaChannel(distance_m=50.0, step_duration_ms=1.0, packet_size_bytes=64, seed=1)
    elif kind == "mmwave":
        ch = channels.MmWaveChannel(distance_m=50.0, step_duration_ms=1.0, packet_size_bytes=64, seed=1)
    else:
        raise ValueError(f"kind={kind!r} is not one of 'wifi', 'lena', 'mmwave'")
    obs = np.zeros(4, dtype=np.float32)
    got = 0
    t0 = time.perf_counter()
    for t in range(steps):
        ch.transmit(obs, t)
        got += len(ch.flush(t))
    dt = time.perf_counter() - t0
    ch.close()
    return steps / dt, got


def netrl_subprocess_steps(steps, kind):
    """Steps/s of NetRL's own subprocess channel classes (NS3LenaChannel,
    NS3MmWaveChannel) driving netgym's lena-sim / mmwave-sim at 50 m: what
    a NetRL user of those backends gets without netgym's in-process path."""
    from netrl import NetworkConfig, NS3LenaChannel, NS3LenaConfig, NS3MmWaveChannel, NS3MmWaveConfig

    if kind == "lena":
        ch = NS3LenaChannel(NetworkConfig(), NS3LenaConfig(distance_m=50.0, sim_binary=binaries.path("lena-sim")))
    else:
        ch = NS3MmWaveChannel(NetworkConfig(), NS3MmWaveConfig(distance_m=50.0, sim_binary=binaries.path("mmwave-sim")))
    obs = np.zeros(4, dtype=np.float32)
    got = 0
    try:
        t0 = time.perf_counter()
        for t in range(steps):
            ch.transmit(obs, t)
            got += len(ch.flush(t))
        dt = time.perf_counter() - t0
    finally:
        # NetRL's classes have no close(); their __del__ (QUIT) runs only
        # when the object is collected, which its reader threads can
        # delay: end the backend now (NetRL's own method for it).
        ch.__del__()
        kill = getattr(ch, "_kill_subprocess", None)
        if kill is not None:
            kill()
    return steps / dt, got


def netrl_ext_steps(steps, cls=None):
    """Steps/s of the _netrl_ext interface (netgym's unless cls is given)."""
    if cls is None:
        from .netrl_compat import NS3WiFiChannel as cls
    ch = cls(distance_m=10.0, step_duration_ms=1.0, packet_size_bytes=64, seed=1)
    obs = np.zeros(4)
    got = 0
    t0 = time.perf_counter()
    for t in range(steps):
        ch.transmit(obs, t)
        got += len(ch.flush(t))
    dt = time.perf_counter() - t0
    return steps / dt, got


def vector_steps(n, steps):
    """Sub-env steps/s of ChannelVectorEnv with n sub-environments."""
    from .vector import ChannelVectorEnv

    env = ChannelVectorEnv(n, distance_m=10.0, max_steps=1000)
    env.reset(seed=1)
    acts = np.ones(n, dtype=np.int64)
    calls = max(200, steps // n)
    total = 0.0
    t0 = time.perf_counter()
    for _ in range(calls):
        _, r, _, _, _ = env.step(acts)
        total += r.sum()
    dt = time.perf_counter() - t0
    env.close()
    return n * calls / dt, total / (n * calls)


def networked_steps(n, steps):
    """Sub-env steps/s of NetworkedVectorEnv over CartPole (Python dynamics: not the speed target)."""
    from .vector import NetworkedVectorEnv

    env = NetworkedVectorEnv("CartPole-v1", n, distance_m=10.0)
    env.reset(seed=1)
    acts = np.zeros(n, dtype=np.int64)
    calls = max(100, steps // n)
    arrived = 0
    t0 = time.perf_counter()
    for k in range(calls):
        acts[:] = k % 2
        obs, _, _, _, _ = env.step(acts)
        arrived += int(obs["recv_mask"][:, -1].sum())
    dt = time.perf_counter() - t0
    env.close()
    return n * calls / dt, arrived / (n * calls)


_ANCHOR = r"""
import json, sys, time, numpy as np
import _netrl_ext
if str(getattr(_netrl_ext, "__file__", "")).endswith(".py"):
    print(json.dumps({"error": "this _netrl_ext is netgym's, not NetRL's ns-3 build"})); sys.exit()
steps = int(sys.argv[1])
ch = _netrl_ext.NS3WiFiChannel(distance_m=10.0, step_duration_ms=1.0, packet_size_bytes=64, seed=1)
obs = np.zeros(4); got = 0
t0 = time.perf_counter()
for t in range(steps):
    ch.transmit(obs, t); got += len(ch.flush(t))
dt = time.perf_counter() - t0
print(json.dumps({"steps_per_s": steps / dt, "delivered": got, "module": _netrl_ext.__file__}))
"""


def anchor_steps(python, steps):
    """NetRL's ns-3 pybind11 channel, measured in the interpreter python (a subprocess)."""
    out = subprocess.run([python, "-c", _ANCHOR, str(steps)], capture_output=True, text=True, timeout=600)
    try:
        res = json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": (out.stderr or out.stdout).strip()[-500:]}
    return res


def run(steps=20000, anchor_python=None, quick=False, repeat=3):
    """Runs every benchmark repeat times, interleaved (the machine's load
    changes from moment to moment); returns (name, median steps/s, best
    steps/s, note) rows."""
    wifi = binaries.path("wifi-sim")
    floor = binaries.path("channel-sim")
    args = ["--distance=10", "--step-ms=1", "--pkt-size=64"]
    pipe_n = steps if not quick else min(steps, 2000)
    n = steps * 5 if not quick else steps

    def note_delivered(total):
        return lambda res: f"{res[1]}/{total} delivered"

    benches = [
        ("pipe TRANSMIT+FLUSH (wifi-sim)", lambda: pipe_steps(wifi, pipe_n, False, args=args), note_delivered(pipe_n)),
        ("pipe STEP (wifi-sim)", lambda: pipe_steps(wifi, pipe_n, True, args=args), note_delivered(pipe_n)),
        ("pipe floor TRANSMIT+FLUSH (channel-sim)", lambda: pipe_steps(floor, pipe_n, False),
         lambda res: "no simulation"),
        ("pipe floor STEP (channel-sim)", lambda: pipe_steps(floor, pipe_n, True), lambda res: "no simulation"),
        ("in-process WifiChannel transmit+flush", lambda: inproc_steps(n), note_delivered(n)),
        ("in-process _netrl_ext interface (netgym)", lambda: netrl_ext_steps(n), note_delivered(n)),
        ("in-process LenaChannel (5G NR, 50 m)", lambda: inproc_steps(n // 2, "lena"), note_delivered(n // 2)),
        ("in-process MmWaveChannel (mmWave, 50 m)", lambda: inproc_steps(n // 2, "mmwave"), note_delivered(n // 2)),
    ]
    try:
        import netrl  # noqa: F401 - NetRL's own subprocess classes, when installed
    except Exception:
        pass
    else:
        sub_n = min(pipe_n, 5000)
        for kind, name in (("lena", "NS3LenaChannel on lena-sim"), ("mmwave", "NS3MmWaveChannel on mmwave-sim")):
            benches.append((f"NetRL's {name} (subprocess, 50 m)", lambda kind=kind: netrl_subprocess_steps(sub_n, kind),
                            note_delivered(sub_n)))
    for k in (1, 8, 64):
        benches.append((f"vector env N={k} (sub-env steps/s)",
                        lambda k=k: vector_steps(k, n * (4 if k == 64 else 1)),
                        lambda res: f"mean reward {res[1]:.3f}"))
    benches.append(("NetworkedVectorEnv CartPole N=8 (sub-env steps/s)", lambda: networked_steps(8, n // 2),
                    lambda res: f"newest slot filled {res[1]:.3f}"))
    if anchor_python:
        def anchor():
            res = anchor_steps(anchor_python, min(steps, 10000))
            if "error" in res:
                raise RuntimeError(res["error"])
            return res["steps_per_s"], res["delivered"]
        benches.append(("anchor: NetRL pybind11 on ns-3 (its docstring: 0.15 ms/step)", anchor,
                        lambda res: f"{res[1]}/{min(steps, 10000)} delivered"))
    results = {name: [] for name, _, _ in benches}
    notes = {}
    for _ in range(max(1, repeat)):
        for name, fn, note in benches:
            try:
                res = fn()
            except Exception as e:  # an anchor that cannot run, say
                notes[name] = f"failed: {e}"
                continue
            results[name].append(res[0])
            notes[name] = note(res)
    rows = []
    for name, _, _ in benches:
        rates = sorted(results[name])
        med = rates[len(rates) // 2] if rates else float("nan")
        best = rates[-1] if rates else float("nan")
        rows.append((name, med, best, notes.get(name, "")))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m netgym.bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=20000, help="steps per pipe benchmark (in-process: 5x)")
    ap.add_argument("--anchor-python", help="python of a venv with NetRL built against ns-3")
    ap.add_argument("--quick", action="store_true", help="a few thousand steps each (a smoke test)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each benchmark, interleaved (median and best shown)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    a = ap.parse_args(argv)
    if a.steps < 1:
        ap.error(f"--steps={a.steps} must be at least 1")
    rows = run(a.steps, a.anchor_python, a.quick, a.repeat)
    if a.json:
        print(json.dumps([{"name": n, "median_steps_per_s": r, "best_steps_per_s": b, "note": note}
                          for n, r, b, note in rows], indent=1))
        return 0
    width = max(len(n) for n, *_ in rows)
    print(f"{'steps/s over ' + str(a.repeat) + ' interleaved runs':<{width}}  {'median':>9}  {'best':>9}  note")
    for n, r, b, note in rows:
        print(f"{n:<{width}}  {r:>9.0f}  {b:>9.0f}  {note}")
    try:
        load = os.getloadavg()[0]
        print(f"(load average {load:.1f} on {os.cpu_count()} CPUs at the end)")
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
