#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# NetRL's 5G-LENA experiment side by side: 5G-LENA nr-4.1 stepped in
# process (bench/ns3/netrl-lena.cc, a scratch program of an ns-3.45 + nr-4.1
# tree) for RngRun 1..N and netgym's channelif/nr for seeds 1..N, 2000
# steps of 1 ms and 64-byte packets at each distance; then the tables of
# docs/nr.md (lena_peer_table.py).
# Usage: bench/ns3/lena-peer-compare.sh [N] [LENA_DIR]
#   N (default 10), LENA_DIR (default /tmp/ns3lena), JOBS peer runs at once
#   (default 2), DISTANCES (default "50 100 200 300 350 400 450 500"),
#   OUT (default /tmp/lena-peer): raw lines in OUT/5g-lena.txt, OUT/netgym.txt.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${1:-10}"
LENA="${2:-/tmp/ns3lena}"
JOBS="${JOBS:-2}"
DISTANCES="${DISTANCES:-50 100 200 300 350 400 450 500}"
OUT="${OUT:-/tmp/lena-peer}"
BIN="$LENA/build/scratch/ns3.45-netrl-lena-optimized"
mkdir -p "$OUT"
[ -x "$BIN" ] || { echo "no $BIN: build netrl-lena.cc as a scratch program (bench/ns3/README.md)" >&2; exit 1; }

for d in $DISTANCES; do
    for r in $(seq 1 "$N"); do
        echo "$d $r"
    done
done | xargs -P "$JOBS" -L 1 sh -c 'echo "5g-lena $(nice -n 10 "$0" --distance="$1" --RngRun="$2")"' "$BIN" \
    > "$OUT/5g-lena.txt"

(cd "$HERE/../.." && NETGYM_VALIDATE=1 NETGYM_LENA_SEEDS="1-$N" \
    NETGYM_LENA_DISTANCES="$(echo $DISTANCES | tr ' ' ,)" \
    nice -n 10 go test ./channelif/nr -run '^TestLenaPeerRuns$' -count=1 -v -timeout 2h) |
    grep '^netgym ' > "$OUT/netgym.txt"

python3 "$HERE/lena_peer_table.py" "$OUT/5g-lena.txt" "$OUT/netgym.txt"
