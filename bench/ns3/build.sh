#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the ns-3 3.37 peer-measurement programs into bench/ns3/bin/.
# Installs Debian's libns3-dev (ns-3 3.37 on bookworm) with apt if missing.
# Usage: bench/ns3/build.sh
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="$DIR/bin"
CXX="${CXX:-g++}"
CXXFLAGS="${CXXFLAGS:--O2 -std=c++17}"

if ! dpkg -s libns3-dev >/dev/null 2>&1; then
    echo "libns3-dev not installed: installing with apt-get" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y libns3-dev
fi
echo "ns-3: libns3-dev $(dpkg-query -W -f='${Version}' libns3-dev)" >&2

# Debian's .pc files carry a broken "-I/usr\;" cflag (the headers live in
# /usr/include/ns3, on the default include path) and list libgsl.so /
# libsqlite3.so by absolute dev-symlink path (absent without libgsl-dev); the
# ns-3 shared libraries already depend on those, so keep only the -lns3-* flags.
libs() { pkg-config --libs "$@" | tr ' ' '\n' | grep '^-lns3-' | awk '!seen[$0]++' | tr '\n' ' '; }

mkdir -p "$BIN"
build() { # name, pkg-config modules...
    local name="$1"
    shift
    echo "  CXX $name.cc" >&2
    $CXX $CXXFLAGS "$DIR/$name.cc" -o "$BIN/$name" $(libs "$@")
}
build hold ns3-core
build wifi-saturation ns3-core ns3-network ns3-internet ns3-wifi ns3-mobility \
    ns3-applications ns3-propagation
build netrl-wifi ns3-core ns3-network ns3-internet ns3-wifi ns3-mobility \
    ns3-propagation ns3-traffic-control
build wifi-grid ns3-core ns3-network ns3-internet ns3-wifi ns3-mobility \
    ns3-propagation ns3-traffic-control
build onoff-timing ns3-core ns3-network ns3-internet ns3-applications ns3-point-to-point
build flowmon-p2p ns3-core ns3-network ns3-internet ns3-applications ns3-point-to-point \
    ns3-flow-monitor ns3-traffic-control
build threegpp-gains ns3-core ns3-network ns3-mobility ns3-spectrum ns3-propagation ns3-antenna
echo "built into $BIN" >&2
