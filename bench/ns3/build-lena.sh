#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build 5G-LENA nr-4.1 on ns-3.45 from source with bench/ns3/nr-cell.cc
# (issue 15's reference cell) and bench/ns3/netrl-lena.cc (NetRL's 5G-LENA
# scenario stepped in process, issue 14) as scratch programs, optimized,
# only the nr module and what it depends on. About 45 minutes of two idle
# cores (JOBS, default nproc: ./ns3 would cap it at nproc-1, so the build
# runs cmake --build directly).
# Usage: bench/ns3/build-lena.sh [DIR]   (default /tmp/ns3lena)
# Then:  DIR/build/scratch/ns3.45-nr-cell-optimized --seed=1
#        DIR/build/scratch/ns3.45-netrl-lena-optimized --distance=300 --RngRun=1
# Sources: NS3_REPO and NR_REPO (default the upstream GitLab projects) may
# name any clone or mirror, e.g. GitHub's nsnam/ns-3-dev-git and
# Gabrielcarvfer/nr where gitlab.com is out of reach; a DIR that already
# holds ns-3 (and DIR/contrib/nr) is used as it is.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${1:-/tmp/ns3lena}"
NS3_TAG=ns-3.45
NR_COMMIT=5606a4e9 # "nr: Update release nr-4.1 entries", 2025-07-07
NS3_REPO="${NS3_REPO:-https://gitlab.com/nsnam/ns-3-dev.git}"
NR_REPO="${NR_REPO:-https://gitlab.com/cttc-lena/nr.git}"

if [ ! -d "$DIR/src" ]; then
    git clone --depth 1 --branch "$NS3_TAG" "$NS3_REPO" "$DIR" || {
        echo "build-lena.sh: cannot clone $NS3_TAG from $NS3_REPO; set NS3_REPO to a reachable clone or mirror" >&2
        exit 1
    }
fi
if [ ! -d "$DIR/contrib/nr" ]; then
    git clone "$NR_REPO" "$DIR/contrib/nr" || {
        echo "build-lena.sh: cannot clone 5G-LENA from $NR_REPO; set NR_REPO to a reachable clone or mirror" >&2
        exit 1
    }
    git -C "$DIR/contrib/nr" checkout "$NR_COMMIT" || {
        echo "build-lena.sh: $NR_REPO has no commit $NR_COMMIT (nr-4.1)" >&2
        exit 1
    }
fi
cp "$HERE/nr-cell.cc" "$DIR/scratch/nr-cell.cc"
cp "$HERE/netrl-lena.cc" "$DIR/scratch/netrl-lena.cc"
cd "$DIR"
./ns3 configure -d optimized --enable-modules=nr --disable-examples --disable-tests --disable-python-bindings
nice -n 19 cmake --build cmake-cache -j "${JOBS:-$(nproc)}" --target scratch_nr-cell scratch_netrl-lena
