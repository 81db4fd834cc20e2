#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lena_curve.sh: NetRL's 5G-LENA experiment through the NetRL-style pipe
# client: lena-sim at 50 to 500 m, 2000 steps of 1 ms, 64-byte packets,
# NetRL's defaults otherwise (UMa, 28 GHz, 100 MHz, numerology 3); one
# Markdown row per distance with the delivered fraction and the mean lag in
# steps. Extra arguments go to lena-sim (e.g. --seed=2).
#
#   sh bench/ns3/lena_curve.sh [lena-sim flags]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${LENA_SIM:-$(mktemp -d)/lena-sim}
if [ ! -x "$bin" ]; then
	(cd "$here/../.." && go build -o "$bin" ./scenarios/lena-sim)
fi
echo "| distance m | delivered | mean lag (steps) |"
echo "|---|---|---|"
for d in 50 100 200 300 350 400 450 500; do
	out=$(python3 "$here/netrl_client.py" "$bin" --steps 2000 -- --distance="$d" "$@")
	frac=$(echo "$out" | tr ' ' '\n' | sed -n 's/^frac=//p')
	lag=$(echo "$out" | tr ' ' '\n' | sed -n 's/^lag_mean=//p')
	echo "| $d | $frac | $lag |"
done
