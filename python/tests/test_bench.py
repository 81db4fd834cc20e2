# SPDX-License-Identifier: GPL-2.0-only
"""python -m netgym.bench runs (a smoke test: timing belongs to the benchmark itself)."""

import math
import os

from netgym import bench


def test_bench_quick():
    rows = bench.run(steps=300, quick=True, repeat=1)
    names = [n for n, *_ in rows]
    assert names[:2] == ["pipe TRANSMIT+FLUSH (wifi-sim)", "pipe STEP (wifi-sim)"]
    assert "vector env N=64 (sub-env steps/s)" in names
    for name, rate, best, note in rows:
        assert best >= rate > 0 and not math.isnan(rate), (name, note)
    notes = dict((n, note) for n, _, _, note in rows)
    assert notes["pipe STEP (wifi-sim)"] == "299/300 delivered"
    # seed 1 at 50 m: NR's packets arrive one step late (the last is still in
    # flight), mmWave's in pairs two and one steps late (test_cellular.py)
    assert notes["in-process LenaChannel (5G NR, 50 m)"] == "149/150 delivered"
    assert notes["in-process MmWaveChannel (mmWave, 50 m)"] == "148/150 delivered"
    # NetRL's own subprocess classes on netgym's binaries: the same arrivals
    # (NetRL runs its programs with seed 1)
    assert notes["NetRL's NS3LenaChannel on lena-sim (subprocess, 50 m)"] == "299/300 delivered"
    assert notes["NetRL's NS3MmWaveChannel on mmwave-sim (subprocess, 50 m)"] == "298/300 delivered"
    # and every backend it started has ended
    children = [int(p) for p in open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split()]
    assert children == []


def test_bench_inproc_rejects_unknown_kind():
    import pytest

    with pytest.raises(ValueError, match="kind='lte' is not one of"):
        bench.inproc_steps(10, "lte")


def test_bench_cli_rejects_bad_steps(capsys):
    import pytest

    with pytest.raises(SystemExit):
        bench.main(["--steps", "0"])
    assert "--steps=0 must be at least 1" in capsys.readouterr().err
