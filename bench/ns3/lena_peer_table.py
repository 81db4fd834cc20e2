#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""lena_peer_table.py: tables of NetRL's 5G-LENA experiment, 5G-LENA against netgym.

Reads key=value lines (files or stdin) written by lena-peer-compare.sh: lines
starting with "5g-lena " come from bench/ns3/netrl-lena.cc (one run of
2000 steps at one distance and RngRun), lines starting with "netgym " from
channelif/nr's TestLenaPeerRuns (one seed). Prints Markdown:

1. run 1 of each side per distance (delivery, mean lag, condition, UL SINR);
2. over all runs: mean delivery, runs delivering >= 0.97, median lag (of
   the runs that delivered anything), LOS runs;
3. the UL SINR of the NLOS runs (mean and sd of the per-run mean, dB);
4. the peer's in-process steps/s per distance (median).

Usage: lena_peer_table.py FILE...
"""

import fileinput
import statistics
import sys
from collections import defaultdict

SIDES = ("5g-lena", "netgym")


def parse(lines):
    runs = defaultdict(dict)  # (side, distance) -> run -> fields
    for line in lines:
        parts = line.split()
        if not parts or parts[0] not in SIDES:
            continue
        kv = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
        if "delivery" not in kv:
            continue
        runs[(parts[0], float(kv["distance"]))][int(kv["run"])] = kv
    return runs


def fmt_d(d):
    return "%g" % d


def main():
    runs = parse(fileinput.input(sys.argv[1:]))
    dists = sorted({d for (_, d) in runs})
    n = {s: max((len(runs[(s, d)]) for d in dists), default=0) for s in SIDES}

    print("Run 1 (5G-LENA `--RngRun=1`, netgym seed 1):\n")
    print("| distance m | 5G-LENA: delivered | lag steps | condition | UL SINR dB "
          "| netgym: delivered | lag steps | condition | UL SINR dB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for d in dists:
        cells = []
        for s in SIDES:
            r = runs[(s, d)].get(1)
            if r is None:
                cells += ["-"] * 4
                continue
            lag = float(r["mean_lag"]) if float(r["delivery"]) > 0 else None
            cells += ["%.4f" % float(r["delivery"]), "%.2f" % lag if lag is not None else "-",
                      r.get("condition", "?"), "%.1f" % float(r.get("ul_sinr_db", "nan"))]
        print("| %s | %s |" % (fmt_d(d), " | ".join(cells)))

    print("\nOver runs (5G-LENA RngRun 1-%d, netgym seeds 1-%d):\n" % (n["5g-lena"], n["netgym"]))
    print("| distance m | 5G-LENA: mean delivery | runs >= 0.97 | median lag | LOS runs "
          "| netgym: mean delivery | runs >= 0.97 | median lag | LOS runs |")
    print("|---|---|---|---|---|---|---|---|---|")
    for d in dists:
        cells = []
        for s in SIDES:
            rs = list(runs[(s, d)].values())
            if not rs:
                cells += ["-"] * 4
                continue
            dl = [float(r["delivery"]) for r in rs]
            lags = [float(r["mean_lag"]) for r in rs if float(r["delivery"]) > 0]
            los = sum(r.get("condition") == "LOS" for r in rs)
            cells += ["%.3f" % statistics.mean(dl), "%d/%d" % (sum(x >= 0.97 for x in dl), len(dl)),
                      "%.2f" % statistics.median(lags) if lags else "-", "%d" % los]
        print("| %s | %s |" % (fmt_d(d), " | ".join(cells)))

    print("\nUL SINR of the NLOS runs (mean of the per-run mean over UL blocks, dB; sd; runs):\n")
    print("| distance m | 5G-LENA | netgym |")
    print("|---|---|---|")
    for d in dists:
        cells = []
        for s in SIDES:
            v = [float(r["ul_sinr_db"]) for r in runs[(s, d)].values()
                 if r.get("condition") == "NLOS" and float(r.get("ul_sinr_db", -999)) > -900]
            if len(v) >= 2:
                cells.append("%.1f (%.1f), %d" % (statistics.mean(v), statistics.stdev(v), len(v)))
            elif v:
                cells.append("%.1f, 1" % v[0])
            else:
                cells.append("-")
        print("| %s | %s |" % (fmt_d(d), " | ".join(cells)))

    sps = {d: [float(r["steps_per_s"]) for r in runs[("5g-lena", d)].values() if "steps_per_s" in r]
           for d in dists}
    if any(sps.values()):
        print("\n5G-LENA in-process steps/s (median over runs): " + ", ".join(
            "%s m %.0f" % (fmt_d(d), statistics.median(v)) for d, v in sps.items() if v))


if __name__ == "__main__":
    main()
