#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# alternate.sh: wall time of wifi-grid builds run one after the other in
# rounds (A B A B ...), never side by side, with each one's minimum,
# median and maximum wall time per simulated second over the traffic.
# On a shared host the same binary's figure moves by a third within an
# hour and by 10% from one run to the next: compare builds only within one
# such run, and trust a difference only when it exceeds the spread of
# each (a few percent needs dozens of rounds). With two builds or more it
# also prints each later one's ratio to the first, round by round (median,
# quartiles, range): the runs of a round follow each other within seconds, so the
# ratio drifts less than the times.
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
    *) sed -n '3,21p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
bins=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do bins+=("$1"); shift; done
[ $# -gt 0 ] && shift
[ ${#bins[@]} -gt 0 ] || { sed -n '3,21p' "$0" >&2; exit 2; }
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
# Each later build against the first, round by round: the runs of a round
# follow each other, so their ratio moves less with the host's minute than
# either figure does.
names = list(runs)
for b in names[1:]:
    r = sorted(x / a for a, x in zip(runs[names[0]], runs[b]))
    if r:
        lo, hi = r[len(r) // 4], r[(3 * len(r)) // 4]
        print(f"{b} / {names[0]}: median {statistics.median(r):.3f}, quartiles {lo:.3f}-{hi:.3f}, range {r[0]:.3f}-{r[-1]:.3f} ({len(r)} rounds)")
PY
