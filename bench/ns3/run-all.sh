#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every ns-3 peer measurement sequentially (3 repetitions each) and print
# the raw result lines; RESULTS.md records their medians. Build first with
# ./build.sh. Takes about 21 minutes on a 2-core machine
# (bench/ns3/wifi-grid-compare.sh runs wifi-grid against netgym, longer).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
REPS="${REPS:-3}"

echo "## hold (N=3000000)"
for s in ns3::MapScheduler ns3::HeapScheduler ns3::CalendarScheduler; do
    for pop in 1000 100000; do
        for r in $(seq "$REPS"); do bin/hold "$s" "$pop" 3000000; done
    done
done

echo "## wifi-saturation"
for args in "--n=10" "--n=50" "--n=10 --dataMode=OfdmRate6Mbps" \
    "--n=10 --staticArp=1" "--n=50 --staticArp=1" "--n=10 --dataMode=OfdmRate6Mbps --staticArp=1"; do
    for r in $(seq "$REPS"); do
        /usr/bin/time -f "process_wall_s=%e max_rss_kb=%M" bin/wifi-saturation $args 2>&1
    done
done

echo "## netrl-wifi in-process (20000 steps, defaults)"
for r in $(seq "$REPS"); do bin/netrl-wifi --inproc-steps=20000; done

echo "## netrl-wifi via netrl_client.py (20000 steps, defaults)"
for r in $(seq "$REPS"); do python3 netrl_client.py bin/netrl-wifi --steps 20000; done
for r in $(seq "$REPS"); do python3 netrl_client.py bin/netrl-wifi --steps 20000 --step-cmd; done

echo "## delivery vs distance (2000 steps of 1 ms)"
python3 sweep_distance.py --steps 2000 --from 10 --to 70 --by 2
python3 sweep_distance.py --steps 2000 --from 46 --to 56 --by 1
echo "## same, NetRL's whole-ms time arithmetic"
python3 sweep_distance.py --steps 2000 --from 46 --to 56 --by 1 -- --netrl-timing=1
echo "## ARP start-up loss at 10 m, RngRun 1..10"
for r in $(seq 10); do bin/netrl-wifi --inproc-steps=2000 --RngRun="$r"; done

echo "## wifi-grid (ns-3 side of netgym's large Wi-Fi scenario; 1,000 nodes, 0.2 s of traffic, ns-3's own draws of the positions)"
for r in $(seq "$REPS"); do
    /usr/bin/time -f "process_wall_s=%e max_rss_kb=%M" bin/wifi-grid --nodes=1000 --duration=0.2 2>&1
done
