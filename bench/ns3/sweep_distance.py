#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""sweep_distance.py: delivery vs distance for bin/netrl-wifi (ns-3 3.37).

For each distance it runs `netrl-wifi --inproc-steps=N --distance=D [flags]`
(the same scenario and stepping as over the line protocol: transmit step t,
flush step t) and prints a Markdown table: fraction of step packets delivered,
lateness in steps (flush step of first arrival minus send step: mean, max,
histogram 0/1/2/3/4/5+) and sender-side loss counters.

Usage: sweep_distance.py [--steps 2000] [--from 10] [--to 70] [--by 2]
                         [-- extra netrl-wifi flags, e.g. --netrl-timing=1]
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(HERE, "bin", "netrl-wifi"))
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--from", dest="lo", type=float, default=10)
    ap.add_argument("--to", dest="hi", type=float, default=70)
    ap.add_argument("--by", type=float, default=2)
    a = ap.parse_args(argv)

    print("| distance m | delivered | late mean | late max | late 0/1/2/3/4/5+ "
          "| failed tx | drop retry | drop arp | drop qdisc | drop expired |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    d = a.lo
    while d <= a.hi + 1e-9:
        out = subprocess.run(
            [a.binary, "--inproc-steps=%d" % a.steps, "--distance=%g" % d] + extra,
            check=True, capture_output=True, text=True).stdout
        kv = dict(f.split("=", 1) for f in out.split())
        print("| %g | %.4f | %.2f | %s | %s | %s | %s | %s | %s | %s |" % (
            d, float(kv["frac"]), float(kv["late_mean"]), kv["late_max"],
            kv["late_hist_0_1_2_3_4_5p"].replace(",", "/"), kv["mac_data_failed"],
            kv["drop_retry_limit"], kv["drop_arp"], kv["drop_qdisc"], kv["drop_expired"]),
            flush=True)
        d += a.by


if __name__ == "__main__":
    sys.exit(main())
