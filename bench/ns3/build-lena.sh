#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build 5G-LENA nr-4.1 on ns-3.45 from source with bench/ns3/nr-cell.cc
# (issue 15's reference cell) as a scratch program, optimized, only the nr
# module and what it depends on. About 45 minutes of two cores.
# Usage: bench/ns3/build-lena.sh [DIR]   (default /tmp/ns3lena)
# Then:  (cd DIR && ./ns3 run "nr-cell --seed=1")  or  DIR/build/scratch/ns3.45-nr-cell-optimized --seed=1
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${1:-/tmp/ns3lena}"
NS3_TAG=ns-3.45
NR_COMMIT=5606a4e9 # "nr: Update release nr-4.1 entries", 2025-07-07

if [ ! -d "$DIR/src" ]; then
    git clone --depth 1 --branch "$NS3_TAG" https://gitlab.com/nsnam/ns-3-dev.git "$DIR"
fi
if [ ! -d "$DIR/contrib/nr" ]; then
    git clone https://gitlab.com/cttc-lena/nr.git "$DIR/contrib/nr"
    git -C "$DIR/contrib/nr" checkout "$NR_COMMIT"
fi
cp "$HERE/nr-cell.cc" "$DIR/scratch/nr-cell.cc"
cd "$DIR"
./ns3 configure -d optimized --enable-modules=nr --disable-examples --disable-tests --disable-python-bindings
nice -n 19 ./ns3 build nr-cell -j"$(nproc)"
