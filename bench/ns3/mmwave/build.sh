#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build ns3-mmwave v7.0 (nyuwireless-unipd/ns3-mmwave, on ns-3.38) from
# source, optimized, with only the modules the peer programs need, and the
# peer programs of this folder against it, into bench/ns3/mmwave/bin/.
# Usage: bench/ns3/mmwave/build.sh [ns3-mmwave checkout]   (default: clone
# into bench/ns3/mmwave/ns3-mmwave, ignored by git). Takes about an hour on
# two idle cores (JOBS=2 by default).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="${1:-$DIR/ns3-mmwave}"
JOBS="${JOBS:-2}"
if [ ! -d "$SRC" ]; then
    git clone https://github.com/nyuwireless-unipd/ns3-mmwave "$SRC"
    git -C "$SRC" checkout v7.0
fi
cd "$SRC"
if [ ! -d cmake-cache ]; then
    ./ns3 configure -d optimized --enable-modules=mmwave,applications,point-to-point,config-store \
        --disable-examples --disable-tests --disable-python
fi
./ns3 build -j "$JOBS"
mkdir -p "$DIR/bin"
LIBDIR="$SRC/build/lib"
INC="$SRC/build/include"
# v7.0 names its libraries libns3.38.rc1-<module>-optimized.so.
LIBS=$(ls "$LIBDIR"/libns3*-optimized.so | sed 's|.*/lib\(ns3[.a-z0-9]*-[a-z0-9-]*-optimized\)\.so|-l\1|' | tr '\n' ' ')
for p in mmwave-cell netrl-mmwave; do
    echo "  CXX $p.cc" >&2
    g++ -O2 -std=c++17 -I"$INC" "$DIR/$p.cc" -o "$DIR/bin/$p" -L"$LIBDIR" -Wl,-rpath,"$LIBDIR" $LIBS
done
echo "built into $DIR/bin" >&2
