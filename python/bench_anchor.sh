#!/bin/sh
# Builds the anchor of `python -m netgym.bench`: NetRL's own pybind11 fast
# channel on ns-3 (PyPI's ns3 wheel, NetRL 0.1.0 built against it) in a venv
# of its own, then runs the benchmark side by side with it.
#
#   python/bench_anchor.sh [VENV] [-- bench flags]     (VENV: /tmp/netrl-ns3-venv)
#
# Run it with the Python of an environment where netgym is installed on PATH
# as `python` (e.g. `. .venv/bin/activate` first).
set -eu
venv=${1:-/tmp/netrl-ns3-venv}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import _netrl_ext' 2>/dev/null; then
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q ns3 pybind11 'setuptools>=82' wheel gymnasium numpy
    # no cached wheel: a netrl wheel built without ns-3 would lack _netrl_ext
    "$venv/bin/pip" install -q --no-build-isolation --no-deps --no-cache-dir netrl==0.1.0
fi
exec python -m netgym.bench --anchor-python "$venv/bin/python" "$@"
