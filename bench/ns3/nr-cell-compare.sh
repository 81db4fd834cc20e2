#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Issue 15's reference cell side by side: 5G-LENA nr-4.1 (bench/ns3/nr-cell.cc,
# built by build-lena.sh) and netgym's scenarios/nr-cell, seeds 1..N, one
# JSON line each (the same settings; the random streams differ, so a seed's
# channel drop differs: compare the spread).
# Usage: bench/ns3/nr-cell-compare.sh [N] [LENA_DIR] [-- extra flags for both]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${1:-5}"
LENA="${2:-/tmp/ns3lena}"
shift $(( $# > 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
BIN="$LENA/build/scratch/ns3.45-nr-cell-optimized"
NG="$(mktemp -d)/nr-cell"
(cd "$HERE/../.." && go build -o "$NG" ./scenarios/nr-cell)
for s in $(seq 1 "$N"); do
    echo "5g-lena seed=$s $("$BIN" --seed="$s" "$@")"
    echo "netgym  seed=$s $("$NG" -seed="$s" -json "$@")"
done
