#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# instructions.sh: the instructions a wifi-grid run executes over its
# traffic window, counted by valgrind's cachegrind: a figure that does not
# move with the machine's load, for comparing two versions of the hot path
# on a shared machine where wall time varies by a third within an hour.
# It runs the scenario twice under cachegrind, with traffic windows of T
# and 2T (same build, same warm-up), single-threaded and without garbage
# collection (GOMAXPROCS=1 GOGC=off: the scheduler's spinning and the
# collector's timing are what vary between runs), and prints the
# difference: the instructions of T of traffic. The same binary gives the
# same count to within a few thousand instructions.
#
#   bench/tools/instructions.sh                         # this checkout, 10,000 nodes, T = 30 ms
#   bench/tools/instructions.sh -b /tmp/wg-old -- -rx-sensitivity -82
#   bench/tools/instructions.sh -f                      # also the top functions over T
#   bench/tools/instructions.sh -m                      # also simulated cache misses over T
#   bench/tools/instructions.sh -m -L 8                 # ... with an 8 MiB last level
#   bench/tools/instructions.sh -B                      # also branch mispredictions over T
#
# Options: -n nodes (10000), -t T in ms (30), -b a wifi-grid binary (default:
# built from this checkout), -f print the 25 functions with the most
# instructions over T (cg_annotate), -m also simulate the caches and print
# the misses over T: first-level data (D1, valgrind's model of this
# machine's) and of a 1 MiB, 16-way last level standing for the 1 MiB L2 of
# each core here (the 32 MiB L3 behind it is shared with the host's other
# tenants); the model has no prefetcher, so it counts sequential reads
# that the processor would hide (about three times slower). -L MiB sets the simulated last
# level's size instead: the share of the 32 MiB L3 that other tenants of
# the host leave this process is unknown, and at 10,000 nodes the misses
# of an 8 MiB level are three times those of 32 MiB (docs/sweep.md,
# "Neither model predicts the wall time"). -B also simulates the branch
# predictor and prints the mispredictions over T. Arguments after -- go
# to wifi-grid.
# Needs valgrind (Debian: apt-get install valgrind). A 10,000-node run of
# 60 ms takes about a minute under cachegrind.
set -euo pipefail
main() {
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
nodes=10000 t=30 bin="" funcs=0 misses=0 llmib=1 branches=0
while getopts "n:t:b:fmL:Bh" o; do
    case "$o" in
    n) nodes="$OPTARG" ;;
    t) t="$OPTARG" ;;
    b) bin="$OPTARG" ;;
    f) funcs=1 ;;
    m) misses=1 ;;
    L) llmib="$OPTARG" ;;
    B) branches=1 ;;
    *) sed -n '3,37p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
command -v valgrind >/dev/null || { echo "instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ -z "$bin" ]; then
    (cd "$root" && go build -o "$tmp/wifi-grid" ./scenarios/wifi-grid)
    bin="$tmp/wifi-grid"
fi
count() { # window ms, wifi-grid arguments -> instructions of the whole run
    local w="$1"
    shift
    local sim=--cache-sim=no
    if [ "$misses" = 1 ]; then sim="--cache-sim=yes --LL=$((llmib * 1048576)),16,64"; fi
    if [ "$branches" = 1 ]; then sim="$sim --branch-sim=yes"; fi
    # shellcheck disable=SC2086 # $sim is several words on purpose
    GOMAXPROCS=1 GOGC=off valgrind --tool=cachegrind $sim \
        --cachegrind-out-file="$tmp/cg.$w" "$bin" -nodes "$nodes" -warmup 10ms \
        -duration "${w}ms" -json "$@" 2>"$tmp/err.$w" >"$tmp/out.$w" || { cat "$tmp/err.$w" >&2; exit 1; }
    grep 'I *refs' "$tmp/err.$w" | awk '{gsub(",", "", $4); print $4}'
}
a=$(count "$t" "$@")
b=$(count $((2 * t)) "$@")
events=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); print(b["traffic_events"]-a["traffic_events"])' "$tmp/out.$t" "$tmp/out.$((2 * t))")
echo "$nodes nodes, ${t} ms of traffic: $((b - a)) instructions ($events events, $(( (b - a) / (events > 0 ? events : 1) )) per event); runs of ${t} and $((2 * t)) ms: $a and $b"
if [ "$misses" = 1 ]; then
    python3 - "$tmp/cg.$t" "$tmp/cg.$((2 * t))" "$llmib" <<'PY'
import sys
def summary(f):
    ev = tot = None
    for line in open(f):
        if line.startswith("events:"):
            ev = line.split()[1:]
        elif line.startswith("summary:"):
            tot = [int(x) for x in line.split()[1:]]
    return dict(zip(ev, tot))
a, b = summary(sys.argv[1]), summary(sys.argv[2])
d = {k: b[k] - a[k] for k in a}
print(f"misses over T: D1 {(d['D1mr'] + d['D1mw']) / 1e6:.1f} M, last level ({sys.argv[3]} MiB) {(d['DLmr'] + d['DLmw']) / 1e6:.1f} M, I1 {d['I1mr'] / 1e6:.1f} M")
PY
fi
if [ "$branches" = 1 ]; then
    python3 - "$tmp/err.$t" "$tmp/err.$((2 * t))" <<'PY'
import re, sys
def mispredicts(f):
    for line in open(f):
        m = re.search(r"Mispredicts:\s+([\d,]+)", line)
        if m:
            return int(m.group(1).replace(",", ""))
    return 0
print(f"branch mispredictions over T: {(mispredicts(sys.argv[2]) - mispredicts(sys.argv[1])) / 1e6:.2f} M")
PY
fi
if [ "$funcs" = 1 ]; then
    python3 - "$tmp/cg.$t" "$tmp/cg.$((2 * t))" <<'PY'
import re, subprocess, sys
def load(f):
    out = subprocess.run(["cg_annotate", "--show=Ir", "--show-percs=no", "--auto=no", f],
                         capture_output=True, text=True).stdout
    d, on = {}, False
    for line in out.splitlines():
        if "file:function" in line:
            on = True
            continue
        m = re.match(r"\s*([\d,]+)\s+(\S+)", line) if on else None
        if m:
            fn = m.group(2).split(":", 1)[-1]
            d[fn] = d.get(fn, 0) + int(m.group(1).replace(",", ""))
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
diff = {k: b.get(k, 0) - a.get(k, 0) for k in set(a) | set(b)}
tot = sum(diff.values()) or 1
for k, v in sorted(diff.items(), key=lambda x: -x[1])[:25]:
    print(f"{v / 1e6:9.1f} M {100 * v / tot:5.1f}%  {k}")
PY
fi
}
main "$@"
