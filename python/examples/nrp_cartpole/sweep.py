# SPDX-License-Identifier: GPL-2.0-only
"""Reward versus distance: runs the CartPole co-simulation with netgym's
cosim binary at several distances, with the fixed linear controller and
with the CEM agent (trained through the network at each distance, then
greedy), and prints a Markdown table of the mean evaluation return.

    go build -o bin/cosim ./scenarios/cosim
    python3 python/examples/nrp_cartpole/sweep.py bin/cosim --distances 10,40,50,55,60,80
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(binary, distance, policy, episodes, train):
    total = episodes + (train if policy == "cem" else 0)
    cmd = [binary, "-c", os.path.join(HERE, "simulation_config.json"),
           f"-set=net.Distance={distance}", f"-set=cartpole.Episodes={total}",
           f"-set=controller.Policy=\"{policy}\"", f"-set=controller.TrainEpisodes={train}"]
    env = dict(os.environ)
    env.setdefault("NETGYM_PYTHONPATH", os.path.normpath(os.path.join(HERE, "..", "..")))
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    returns = [json.loads(line)["return"] for line in out.splitlines() if line.strip()]
    return returns[-episodes:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--distances", default="10,40,50,55,60,80")
    ap.add_argument("--episodes", type=int, default=10)
    ap.add_argument("--train", type=int, default=48)
    ap.add_argument("--policies", default="linear,cem")
    a = ap.parse_args()
    policies = a.policies.split(",")
    rows = []
    for d in a.distances.split(","):
        row = [d]
        for p in policies:
            r = run(a.binary, float(d), p, a.episodes, a.train)
            row.append(f"{statistics.mean(r):.1f}")
            print(f"distance {d} m, {p}: {r}", file=sys.stderr, flush=True)
        rows.append(row)
    print("| distance (m) | " + " | ".join(f"{p} controller" for p in policies) + " |")
    print("|---:|" + "---:|" * len(policies))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
