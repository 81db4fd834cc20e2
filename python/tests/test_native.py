# SPDX-License-Identifier: GPL-2.0-only
"""netgym's in-process channels through the Go shared library: delivery
as netgym's Go tests predict, determinism, independence of simulations,
bad input, Go panics, fork detection and leaks."""

import gc
import os
import threading

import numpy as np
import pytest

from netgym import _native
from netgym.channels import WifiChannel, WifiMultiUEBackend, make_multi_ue_wifi_factory, wifi_factory


def delivery(ch, steps, size=None):
    """Steps ch with a 4-vector observation per step; returns the arrived step ids per step."""
    out = []
    for t in range(steps):
        ch.transmit(np.full(4, t, dtype=np.float32), t, size)
        got = ch.flush(t)
        for arrival, obs in got:
            assert arrival == t, "NetRL's NS3WifiChannel reports the flush step"
        out.append([int(o[0]) for _, o in got])
    return out


def test_wifi_delivery_versus_distance():
    # channelif's WifiChannel example: at 10 m steps 0-2 wait for ARP (step
    # 3's datagram overflows ARP's queue), then every packet arrives within
    # its own 1 ms step; at 60 m nothing arrives (none from 56 m).
    with WifiChannel(distance_m=10.0) as ch:
        got = delivery(ch, 1000)
        ids = [i for step in got for i in step]
        assert 3 not in ids
        assert sorted(ids) == [0, 1, 2] + list(range(4, 1000))
        assert all(got[t] == [t] for t in range(20, 1000))
        info = ch.get_channel_info()
        assert info["pending_count"] == 0
        assert info["sim_time_s"] == pytest.approx(0.31 + 1.0)
    with WifiChannel(distance_m=60.0) as ch:
        assert sum(len(g) for g in delivery(ch, 300)) == 0
        # NetRL expires observations pending for more than max_pending_steps (200)
        assert ch.get_channel_info()["pending_count"] == 201


def test_same_seed_same_results_and_reset_moves_on():
    def trace(ch, n=400):
        return delivery(ch, n)

    a, b = WifiChannel(distance_m=51.0, seed=3), WifiChannel(distance_m=51.0, seed=3)
    ta = trace(a)
    assert ta == trace(b), "same seed and run: the same arrivals"
    assert 0 < sum(map(len, ta)) < 400, "the edge of the range: some but not all arrive"
    a.reset()
    assert a.run == 2 and a.get_channel_info()["run"] == 2
    assert trace(a) != ta, "reset() starts the next run: another episode"
    assert trace(WifiChannel(distance_m=51.0, seed=4)) != ta


def test_many_channels_in_threads_match_sequential():
    seeds = list(range(10, 18))
    seq = [delivery(WifiChannel(distance_m=51.0, seed=s), 300) for s in seeds]
    par = [None] * len(seeds)

    def work(i):
        par[i] = delivery(WifiChannel(distance_m=51.0, seed=seeds[i]), 300)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(seeds))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert par == seq


def test_factory_seeds_from_network_config():
    class Cfg:
        seed = 9

    ch = wifi_factory(distance_m=51.0)(Cfg())
    assert ch.seed == 9
    assert delivery(ch, 200) == delivery(WifiChannel(distance_m=51.0, seed=9), 200)


@pytest.mark.parametrize("kwargs,message", [
    ({"distance_m": -1.0}, "distance_m=-1.0 out of range [0, inf)"),
    ({"distance_m": float("nan")}, "distance_m=nan must be a finite number"),
    ({"step_duration_ms": 0}, "step_duration_ms=0 out of range (0, inf)"),
    ({"loss_exponent": -2}, "loss_exponent=-2 out of range (0, inf)"),
    ({"max_retries": 0}, "max_retries=0 out of range [1, 2147483647]"),
    ({"packet_size_bytes": 5000}, "packet_size_bytes=5000 out of range [0, 2268]"),
    ({"seed": -1}, "seed=-1 out of range [0, 18446744073709551615]"),
])
def test_bad_parameters_name_the_parameter_and_range(kwargs, message):
    with pytest.raises(ValueError) as e:
        WifiChannel(**kwargs)
    assert message in str(e.value)


def test_bad_calls():
    ch = WifiChannel()
    obs = np.zeros(4)
    with pytest.raises(ValueError, match=r"step=-1 out of range \[0, 4294967295\]"):
        ch.transmit(obs, -1)
    with pytest.raises(ValueError, match=r"packet_size=3000 out of range \[0, 2268\]"):
        ch.transmit(obs, 0, 3000)
    with pytest.raises(TypeError, match="must be integers"):
        ch.transmit(obs, 1.5)
    with pytest.raises(TypeError):
        WifiChannel(distance_m="far")
    ch.close()
    with pytest.raises(ValueError, match="closed"):
        ch.transmit(obs, 0)
    ch.close()  # twice is fine
    with pytest.raises(ValueError, match=r"n_ues=0 out of range \[1, 253\]"):
        WifiMultiUEBackend(n_ues=0)
    with pytest.raises(ValueError, match=r"distances_m\[1\]=0.0 out of range \(0, inf\)"):
        WifiMultiUEBackend(n_ues=2, distances_m=[10.0, 0.0])
    b = WifiMultiUEBackend(n_ues=2)
    with pytest.raises(ValueError, match=r"ue_id=5 out of range \[0, 1\]"):
        b.transmit(5, 0)


def test_go_panic_becomes_exception_and_library_keeps_working():
    for _ in range(3):
        with pytest.raises(_native.GoPanicError, match="assignment to entry in nil map"):
            _native.selftest_panic()
    ch = WifiChannel()
    assert len(delivery(ch, 30)) == 30


def test_multi_ue_views_share_one_simulation():
    # NetRL's multi-UE scenario: UEs at 10 and 30 m deliver, the one at 60 m
    # associates (6 Mb/s management frames) but its 54 Mb/s data never
    # arrives; the views reset the backend once all of them reset.
    f = make_multi_ue_wifi_factory(n_ues=3, distances_m=[10.0, 30.0, 60.0])
    views = [f(None) for _ in range(3)]
    with pytest.raises(ValueError, match="n_ues=3"):
        f(None)
    counts = [0, 0, 0]
    for t in range(500):
        for v in views:
            v.transmit(np.zeros(2), t)
        for i, v in enumerate(views):
            counts[i] += len(v.flush(t))
    assert counts[0] >= 495 and counts[1] >= 495 and counts[2] == 0, counts
    st = f.backend.stats()
    assert st["associated"] == 3 and st["run"] == 1
    views[0].reset()
    views[1].reset()
    assert f.backend.stats()["run"] == 1, "not until every UE asked"
    views[2].reset()
    assert f.backend.stats()["run"] == 2


def test_multi_ue_direct_matches_views():
    def direct():
        b = WifiMultiUEBackend(n_ues=2, distances_m=[45.0, 52.0], seed=5)
        out = []
        for t in range(300):
            b.transmit(0, t)
            b.transmit(1, t)
            out.append(sorted(b.flush_pairs(t)))
        return out

    def views():
        f = make_multi_ue_wifi_factory(n_ues=2, distances_m=[45.0, 52.0], seed=5, max_pending_steps=1000)
        vs = [f(None), f(None)]
        out = []
        for t in range(300):
            for v in vs:
                v.transmit(np.zeros(1), t)
            pairs = []
            for ue, v in enumerate(vs):
                pairs += [(ue, int(o[0] if o.size else t)) for _, o in v.flush(t)]
            out.append(len(pairs))
        return out

    d = direct()
    assert d == direct(), "deterministic"
    assert [len(p) for p in d] == views()


def test_fork_is_detected():
    WifiChannel()  # the library is loaded in this process
    pid = os.fork()
    if pid == 0:  # child: any call must raise ForkedProcessError
        code = 3
        try:
            WifiChannel()
        except _native.ForkedProcessError as e:
            code = 0 if "spawn" in str(e) and "forkserver" in str(e) else 4
        except BaseException:
            code = 5
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_no_leak_over_10k_creations():
    # 10k channels created, stepped and dropped (half closed, half left to
    # the garbage collector): the Go objects are all freed and the
    # resident memory stays flat.
    gc.collect()
    base = _native.live_objects()

    def churn(n):
        for i in range(n):
            ch = WifiChannel(seed=i)
            ch.transmit(np.zeros(4), 0)
            ch.flush(0)
            if i % 2:
                ch.close()
            del ch
        gc.collect()

    churn(2000)  # warm up the Go heap and Python's allocators
    before = rss_kib()
    churn(10000)
    after = rss_kib()
    assert _native.live_objects() == base
    assert after - before < 20 * 1024, f"RSS grew by {after - before} KiB over 10k creations"


def test_gil_is_released_while_go_runs():
    # The main thread blocks inside Go until another thread, running Python
    # code after it saw the main thread enter Go, releases it: possible only
    # if the blocked call does not hold the GIL (else the wait times out).
    lib = _native.lib()
    h = lib.ng_selftest_barrier()
    err = _native.ErrBuf()

    def releaser():
        if lib.ng_selftest_entered(h, 10000, None, 0) == 0:
            lib.ng_selftest_release(h, None, 0)

    th = threading.Thread(target=releaser)
    th.start()
    status = lib.ng_selftest_wait(h, 5000, err.ptr, _native.ERRCAP)
    th.join()
    assert status == 0, err.buf.value
    _native.free(h)
