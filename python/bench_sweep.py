# SPDX-License-Identifier: GPL-2.0-only
"""Measures the sweep runners on this machine (issue 19's targets):

1. the in-process pool: a 200-point x 5-seed wifi-sim stepping sweep (2000
   steps each, docs/sweeps/wifi-distance-200.yaml) with -workers 2 against
   the total of its single runs (-workers 1), target: pool wall <= 1.2 x
   (single total / 2);
2. Ray against the in-process pool on heavier points (10 s saturation runs,
   docs/sweeps/saturation-heavy.yaml), Ray's start-up excluded, target:
   Ray wall <= 1.3 x pool wall.

Rounds are interleaved; medians and the spread are printed. The machine is
shared: read the ratios, not the absolute times.

    go build -o bin/sweep ./scenarios/sweep
    python3 python/bench_sweep.py bin/sweep --rounds 3
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
sys.path.insert(0, HERE)


def go_sweep(binary, spec, workers):
    out = tempfile.mkdtemp(prefix="netgym-bench-")
    try:
        t0 = time.monotonic()
        subprocess.run([binary, "run", "-spec", spec, "-out", out, "-quiet", "-workers", str(workers)],
                       check=True, capture_output=True)
        wall = time.monotonic() - t0
        with open(os.path.join(out, "results.jsonl")) as f:
            rows = [json.loads(line) for line in f]
        return wall, sum(r["wall_s"] for r in rows), len(rows)
    finally:
        shutil.rmtree(out)


def two_processes(binary, spec):
    """Wall time of the sweep as two independent single-worker processes
    (shards 0/2 and 1/2) started together: what the machine gives two
    perfectly independent simulations right now."""
    out = tempfile.mkdtemp(prefix="netgym-bench-2p-")
    try:
        t0 = time.monotonic()
        ps = [subprocess.Popen([binary, "run", "-spec", spec, "-out", out, "-quiet", "-workers", "1",
                                "-shard", "%d/2" % i], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
              for i in range(2)]
        for p in ps:
            if p.wait() != 0:
                raise RuntimeError("shard failed")
        return time.monotonic() - t0
    finally:
        shutil.rmtree(out)


def cpu_of(fn, *args):
    """Runs fn and returns (its result, the CPU seconds its children used)."""
    before = os.times()
    res = fn(*args)
    after = os.times()
    return res, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def ray_sweep(binary, spec):
    from netgym.sweep import run_sweep
    out = tempfile.mkdtemp(prefix="netgym-bench-ray-")
    try:
        t0 = time.monotonic()
        rep = run_sweep(binary, spec, out, executor="ray")
        assert rep["failed"] == 0, rep
        return time.monotonic() - t0, rep["done"]
    finally:
        shutil.rmtree(out)


def spread(xs):
    return "median %.3f (min %.3f, max %.3f)" % (statistics.median(xs), min(xs), max(xs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip-ray", action="store_true")
    ap.add_argument("--skip-pool", action="store_true")
    opts = ap.parse_args()
    light = os.path.join(ROOT, "docs", "sweeps", "wifi-distance-200.yaml")
    heavy = os.path.join(ROOT, "docs", "sweeps", "saturation-heavy.yaml")

    ratios, singles, pools, vs2p, cpus = [], [], [], [], []
    for r in range(0 if opts.skip_pool else opts.rounds):
        (w1, total1, n), c1 = cpu_of(go_sweep, opts.binary, light, 1)
        (w2, _, _), c2 = cpu_of(go_sweep, opts.binary, light, 2)
        p2 = two_processes(opts.binary, light)
        singles.append(total1)
        pools.append(w2)
        ratios.append(w2 / (total1 / 2))
        vs2p.append(w2 / p2)
        cpus.append(c2 / c1)
        print("pool round %d: %d runs, single-run total %.2f s (1-worker wall %.2f s, CPU %.2f s), "
              "2 workers %.2f s (CPU %.2f s), two 1-worker processes %.2f s: ratio %.3f, pool / 2 processes %.3f"
              % (r + 1, n, total1, w1, c1, w2, c2, p2, ratios[-1], vs2p[-1]), flush=True)
    if not opts.skip_pool:
        print("pool: single total %s s; 2-worker wall %s s; wall / (single total / 2) %s (target <= 1.2); "
              "pool wall / two independent processes %s; pool CPU / 1-worker CPU %s"
              % (spread(singles), spread(pools), spread(ratios), spread(vs2p), spread(cpus)))

    if opts.skip_ray:
        return
    import ray
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        rr, gw, rw = [], [], []
        for r in range(opts.rounds):
            g, _, n = go_sweep(opts.binary, heavy, 2)
            w, m = ray_sweep(opts.binary, heavy)
            gw.append(g)
            rw.append(w)
            rr.append(w / g)
            print("ray round %d: %d heavy runs, pool %.2f s, Ray %.2f s: ratio %.3f" % (r + 1, n, g, w, rr[-1]), flush=True)
        print("ray: pool %s s; Ray %s s; Ray / pool %s (target <= 1.3)" % (spread(gw), spread(rw), spread(rr)))
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()
