# SPDX-License-Identifier: GPL-2.0-only
"""Gym steps from Python, side by side in one run: the same scenario
(scenarios/opengym, ns3-gym's first example: a Box of 5 uint32 observed,
Discrete(5) actions) and the same Go turn loop, through netgym's ZeroMQ
bridge (netgym.NetgymEnv) and through ns3-ai's Gym interface over shared
memory (netgym.ns3ai.Ns3Env, pure Python; and ns3-ai's own Ns3Env with its
pybind11 binding, when --ns3-path names the folder bench/ns3ai/setup.sh
laid out and ns3ai_gym_env imports).

    python3 bench/ns3ai/bench_gym.py --opengym bin/opengym [--ns3-path ROOT] [--steps 20000]

Prints steps/s and the percentiles of env.step() as Python sees it
(encoding the action, the exchange, the simulation's step, decoding the
state).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))


def measure(env, steps):
    env.reset()
    lat = []
    t0 = time.perf_counter()
    for i in range(steps):
        t = time.perf_counter()
        _, _, terminated, truncated, _ = env.step(i % 5)
        lat.append(time.perf_counter() - t)
        if terminated or truncated:
            break
    total = time.perf_counter() - t0
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1e6  # noqa: E731
    return len(lat) / total, q(0.5), q(0.9), q(0.99)


def run_one(kind, a, settings):
    """One backend; each runs in its own process (netgym's and ns3-ai's
    messages_pb2 both register "messages.proto" in protobuf's pool)."""
    binary = os.path.abspath(a.opengym)
    if kind == "zmq":
        import netgym
        env = netgym.NetgymEnv(binary, args=["--%s=%s" % kv for kv in settings.items()], port=0)
        name = "netgym ZeroMQ bridge (NetgymEnv)"
    elif kind == "shm":
        from netgym.ns3ai import Ns3Env
        env = Ns3Env(binary, None, settings)
        name = "ns3-ai Gym over shm, netgym's pure-Python Ns3Env"
    else:
        import gymnasium as gym
        import ns3ai_gym_env  # noqa: F401
        target = "opengym --ns3ai " + " ".join("--%s=%s" % kv for kv in settings.items())
        env = gym.make("ns3ai_gym_env/Ns3-v0", targetName=target, ns3Path=os.path.abspath(a.ns3_path)).unwrapped
        name = "ns3-ai Gym over shm, ns3-ai's pybind11 Ns3Env"
    row = (name,) + measure(env, a.steps)
    env.close()
    print("ROW|%s|%.0f|%.1f|%.1f|%.1f" % row, flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--opengym", required=True, help="the scenarios/opengym binary")
    p.add_argument("--ns3-path", help="folder laid out by bench/ns3ai/setup.sh (ns3-ai's own Ns3Env)")
    p.add_argument("--steps", type=int, default=20000)
    p.add_argument("--only", choices=["zmq", "shm", "ns3ai"], help=argparse.SUPPRESS)
    a = p.parse_args()
    settings = {"simTime": a.steps + 1, "stepTime": 1, "quiet": "true"}
    if a.only:
        run_one(a.only, a, settings)
        return
    import subprocess
    rows = []
    for kind in ["zmq", "shm"] + (["ns3ai"] if a.ns3_path else []):
        out = subprocess.run([sys.executable] + sys.argv + ["--only", kind], capture_output=True, text=True)
        got = [ln[4:].split("|") for ln in out.stdout.splitlines() if ln.startswith("ROW|")]
        if not got:
            print("%s failed: %s" % (kind, out.stderr.strip()[-500:]))
            continue
        rows.append(got[0])
    print("| agent side | steps/s | p50 us | p90 us | p99 us |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
