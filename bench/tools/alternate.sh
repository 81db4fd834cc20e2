#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# alternate.sh: wall time of wifi-grid builds run one after the other in
# rounds (A B A B ...), never side by side, with each one's minimum,
# median and maximum wall time per simulated second over the traffic.
# On a shared host the same binary's figure moves by a third within an
# hour and by 10% from one run to the next: compare builds only within one
# such run, and trust a difference only when it exceeds the spread of
# each (a few percent needs dozens of rounds).
#
#   git worktree add /tmp/old main && (cd /tmp/old && go build -o /tmp/wg-old ./scenarios/wifi-grid)
#   go build -o /tmp/wg-new ./scenarios/wifi-grid
#   bench/tools/alternate.sh -r 12 -d 200ms /tmp/wg-old /tmp/wg-new
#   bench/tools/alternate.sh /tmp/wg-old /tmp/wg-new -- -rx-sensitivity -82
#
# Options: -r rounds (6), -d traffic per run (200ms), -n nodes (10000).
# Arguments after -- go to every run.
set -euo pipefail
rounds=6 dur=200ms nodes=10000
while getopts "r:d:n:h" o; do
    case "$o" in
    r) rounds="$OPTARG" ;;
    d) dur="$OPTARG" ;;
    n) nodes="$OPTARG" ;;
    *) sed -n '3,18p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
bins=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do bins+=("$1"); shift; done
[ $# -gt 0 ] && shift
[ ${#bins[@]} -gt 0 ] || { sed -n '3,18p' "$0" >&2; exit 2; }
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for _ in $(seq "$rounds"); do
    for b in "${bins[@]}"; do
        printf '%s ' "$b" >>"$out"
        "$b" -nodes "$nodes" -duration "$dur" -json "$@" |
            python3 -c 'import json, sys; print(json.load(sys.stdin)["wall_per_sim_s"])' >>"$out"
    done
done
python3 - "$out" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    b, v = line.split()
    runs.setdefault(b, []).append(float(v))
for b, v in runs.items():
    print(f"{b}: wall per simulated second min {min(v):.2f} s, median {statistics.median(v):.2f} s, max {max(v):.2f} s ({len(v)} runs)")
PY
