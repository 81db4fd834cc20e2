#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# compare.sh: measure netgym and ns-3 3.37 side by side, interleaved, on the
# same machine, and print one line per figure (median of REPS runs). Build
# the ns-3 programs first (./build.sh). Takes about 6 minutes with REPS=3
# (the ns-3 n=50 saturation run alone takes 40-55 s; it runs once unless
# N50_REPS is set).
#
#   bench/ns3/compare.sh            # from the repository root or anywhere
#   REPS=5 bench/ns3/compare.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
REPS="${REPS:-3}"
N50_REPS="${N50_REPS:-1}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$root"
go test -c -o "$tmp/bench.test" ./bench
go build -o "$tmp/wifi-saturation" ./scenarios/wifi-saturation
go build -o "$tmp/wifi-sim" ./scenarios/wifi-sim
# A backend that simulates nothing (a PerfectChannel behind the same line
# protocol server): the ceiling of any backend through the Python client.
go build -o "$tmp/null-sim" ./scenarios/channel-sim

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
field() { grep -o "$1=[0-9.e+]*" | head -1 | cut -d= -f2; }
declare -A vals
add() { vals[$1]+="$2"$'\n'; }

for _ in $(seq "$REPS"); do
    add ns3_map_1000 "$("$here/bin/hold" ns3::MapScheduler 1000 3000000 | field events_per_s)"
    add ns3_heap_1000 "$("$here/bin/hold" ns3::HeapScheduler 1000 3000000 | field events_per_s)"
    add ns3_map_100000 "$("$here/bin/hold" ns3::MapScheduler 100000 3000000 | field events_per_s)"
    add ns3_heap_100000 "$("$here/bin/hold" ns3::HeapScheduler 100000 3000000 | field events_per_s)"
    out="$("$tmp/bench.test" -test.run '^$' -test.bench 'SchedulerHold' 2>&1)"
    add go_1000 "$(echo "$out" | grep 'pop=1000-' | awk '{print $5}')"
    add go_100000 "$(echo "$out" | grep 'pop=100000-' | awk '{print $5}')"

    add ns3_sat10 "$("$here/bin/wifi-saturation" --n=10 --staticArp=1 | field run_wall_s)"
    add go_sat10 "$("$tmp/wifi-saturation" -n 10 -static-arp -json | grep -o '"wall_s":[0-9.e+-]*' | cut -d: -f2)"
    add ns3_sat6 "$("$here/bin/wifi-saturation" --n=10 --staticArp=1 --dataMode=OfdmRate6Mbps | field run_wall_s)"
    add go_sat6 "$("$tmp/wifi-saturation" -n 10 -rate 6 -static-arp -json | grep -o '"wall_s":[0-9.e+-]*' | cut -d: -f2)"
    add go_sat50 "$("$tmp/wifi-saturation" -n 50 -static-arp -json | grep -o '"wall_s":[0-9.e+-]*' | cut -d: -f2)"

    add ns3_inproc "$("$here/bin/netrl-wifi" --inproc-steps=20000 | field steps_per_s)"
    add go_inproc "$("$tmp/bench.test" -test.run '^$' -test.bench 'WifiChannelStep' 2>&1 | grep Bench | awk '{print $5}')"
    add ns3_pipe "$(python3 "$here/netrl_client.py" "$here/bin/netrl-wifi" --steps 20000 | field steps_per_s)"
    add null_pipe "$(python3 "$here/netrl_client.py" "$tmp/null-sim" --steps 20000 | field steps_per_s)"
    add go_pipe "$(python3 "$here/netrl_client.py" "$tmp/wifi-sim" --steps 20000 | field steps_per_s)"
    add go_step "$(python3 "$here/netrl_client.py" "$tmp/wifi-sim" --steps 20000 --step-cmd | field steps_per_s)"
done
for _ in $(seq "$N50_REPS"); do
    add ns3_sat50 "$("$here/bin/wifi-saturation" --n=50 --staticArp=1 | field run_wall_s)"
done

for k in ns3_map_1000 ns3_heap_1000 go_1000 ns3_map_100000 ns3_heap_100000 go_100000 \
    ns3_sat10 go_sat10 ns3_sat6 go_sat6 ns3_sat50 go_sat50 \
    ns3_inproc go_inproc ns3_pipe null_pipe go_pipe go_step; do
    printf '%-16s %s\n' "$k" "$(printf '%s' "${vals[$k]}" | grep -v '^$' | median)"
done
