# SPDX-License-Identifier: GPL-2.0-only
"""netgym's in-process cellular channels (LenaChannel: NetRL's 5G-LENA
program; MmWaveChannel: NetRL's ns3-mmwave program) through the Go shared
library: delivery and lag near and far as netgym's Go tests pin them
(channelif/nr TestPythonFigures, channelif/mmwave TestNetRLTable,
TestLagPattern and TestPythonFigures), determinism by seed, reset, NetRL's
configs, bad input and many channels in parallel threads."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import List, Optional

import numpy as np
import pytest

from netgym import _native
from netgym.channels import LenaChannel, MmWaveChannel, lena_factory, mmwave_factory


def delivery(ch, steps: int, size: Optional[int] = None) -> List[List[int]]:
    """Steps ch with a 4-vector observation per step; returns the arrived step ids per step."""
    out = []
    for t in range(steps):
        ch.transmit(np.full(4, t, dtype=np.float32), t, size)
        got = ch.flush(t)
        for arrival, obs in got:
            assert arrival == t, "NetRL's cellular channels report the flush step"
        out.append([int(o[0]) for _, o in got])
    return out


def lag(got: List[List[int]]):
    """(packets delivered, mean lag in steps: flush step minus send step)."""
    pairs = [(t, s) for t, ids in enumerate(got) for s in ids]
    return len(pairs), (sum(t - s for t, s in pairs) / len(pairs) if pairs else 0.0)


def test_lena_near_far_and_lag():
    # 50 m: steps 0 and 1 arrive together in step 1 (the UE's first
    # scheduling request), then every packet one step late (1.2 ms of SR,
    # grant, PUSCH and decode at numerology 3); 400 m: about half arrive,
    # after HARQ and RLC delays of 152 steps on average; 500 m: nothing.
    with LenaChannel(distance_m=50.0) as ch:
        got = delivery(ch, 1000)
        assert got[:4] == [[], [0, 1], [], [2]]
        assert all(got[t] == [t - 1] for t in range(3, 1000))
        assert lag(got) == (999, pytest.approx(998 / 999)), "998 steps of lag over 999 packets"
        info = ch.get_channel_info()
        assert info["state"] == "NETGYM_LENA" and info["pending_count"] == 1 and info["in_flight"] == 1
        assert info["sim_time_s"] == pytest.approx(0.5 + 1.0)
        assert (info["seed"], info["run"], info["numerology"], info["scenario"]) == (1, 1, 3, "UMa")
    n, mean = lag(delivery(LenaChannel(distance_m=400.0), 1000))
    assert n == 514 and mean == pytest.approx(152.2529, abs=5e-5)
    with LenaChannel(distance_m=500.0) as ch:
        assert lag(delivery(ch, 600))[0] == 0
        # NetRL expires observations pending for more than max_pending_steps (500)
        assert ch.get_channel_info()["pending_count"] == 501


def test_mmwave_near_far_and_lag():
    # 50 m: the UL grants follow the buffer reports in a 2 ms pattern, so
    # packets arrive in pairs, two and one steps late (1.5 on average); at
    # 100 m seed 1's UE is NLOS at about -5 dB: bursts every 25 ms, decoded
    # at the third HARQ round (ns3-mmwave v7.0 gives the same 973 packets
    # and 14.5509 steps); 150 m: nothing.
    with MmWaveChannel(distance_m=50.0) as ch:
        got = delivery(ch, 1000)
        assert got[:8] == [[], [], [0, 1], [], [2, 3], [], [4, 5], []]
        assert lag(got) == (998, pytest.approx(1.5))
        info = ch.get_channel_info()
        assert info["state"] == "NETGYM_MMWAVE" and info["harq_enabled"] and not info["rlc_am_enabled"]
        assert info["bandwidth_ghz"] == 0.2 and info["sim_time_s"] == pytest.approx(1.5)
    n, mean = lag(delivery(MmWaveChannel(distance_m=100.0), 1000))
    assert n == 973 and mean == pytest.approx(14.5509, abs=5e-5)
    assert lag(delivery(MmWaveChannel(distance_m=150.0), 300))[0] == 0


@pytest.mark.parametrize("cls,distance,first,second", [
    (LenaChannel, 400.0, 126, 399),
    (MmWaveChannel, 100.0, 395, 398),
])
def test_same_seed_same_results_and_reset_moves_on(cls, distance, first, second):
    a, b = cls(distance_m=distance, seed=1), cls(distance_m=distance, seed=1)
    ta = delivery(a, 400)
    assert ta == delivery(b, 400), "same seed and run: the same arrivals"
    assert lag(ta)[0] == first
    a.reset()
    assert a.run == 2 and a.get_channel_info()["run"] == 2
    assert a.get_channel_info()["pending_count"] == 0
    assert a.get_channel_info()["sim_time_s"] == pytest.approx(0.5), "a new episode after its warm-up"
    tb = delivery(a, 400)
    assert lag(tb)[0] == second, "reset() starts the next run: another episode"
    assert tb == delivery(cls(distance_m=distance, seed=1, run=2), 400)
    assert delivery(cls(distance_m=distance, seed=2), 400) != ta


@dataclass
class NetworkConfig:
    """The fields of NetRL's NetworkConfig the channels read."""
    seed: int = 42


@dataclass
class NS3LenaConfig:
    """NetRL 0.1.0's NS3LenaConfig fields (test_netrl_cellular.py uses NetRL's own)."""
    distance_m: float = 50.0
    frequency_ghz: float = 28.0
    bandwidth_ghz: float = 0.1
    ue_tx_power_dbm: float = 23.0
    gnb_tx_power_dbm: float = 30.0
    scenario: str = "UMa"
    numerology: int = 3
    shadowing_enabled: bool = False
    packet_size_bytes: int = 64
    step_duration_ms: float = 1.0
    max_pending_steps: int = 500
    sim_binary: str = ""


def test_netrl_constructor_style_keywords_and_factories():
    cfg = NS3LenaConfig(distance_m=400.0, numerology=2, packet_size_bytes=100, max_pending_steps=20)
    ch = LenaChannel(NetworkConfig(seed=3), cfg)
    assert (ch.seed, ch.distance_m, ch.numerology, ch.packet_size_bytes, ch.max_pending_steps) == (3, 400.0, 2, 100, 20)
    assert LenaChannel(NetworkConfig(seed=3), ns3_config=cfg).numerology == 2, "NetRL's keyword"
    assert LenaChannel(None, cfg, numerology=1, seed=9).numerology == 1, "keywords override the config"
    assert LenaChannel().seed == 1 and LenaChannel().bandwidth_ghz == 0.1
    f = lena_factory(cfg)
    assert delivery(f(NetworkConfig(seed=5)), 200) == delivery(LenaChannel(seed=5, **_fields(cfg)), 200)
    m = mmwave_factory(distance_m=100.0, seed=1)(NetworkConfig(seed=7))
    assert m.seed == 1, "seed= wins over the node's"
    assert mmwave_factory(distance_m=100.0)(NetworkConfig(seed=7)).seed == 7
    assert MmWaveChannel(harq_enabled=0, rlc_am_enabled=np.bool_(True)).get_channel_info()["rlc_am_enabled"] is True


def _fields(cfg):
    return {k: v for k, v in vars(cfg).items() if k != "sim_binary"}


def test_packet_size_changes_nothing_near_and_counts():
    # the largest payloads cross the core unfragmented
    with LenaChannel() as ch:
        assert lag(delivery(ch, 100, 1932))[0] >= 98
    with MmWaveChannel() as ch:
        assert lag(delivery(ch, 100, 1472))[0] >= 98


@pytest.mark.parametrize("cls,kwargs,exc,message", [
    (LenaChannel, {"distance_m": -1.0}, ValueError, "distance_m=-1.0 out of range [0, 100000]"),
    (LenaChannel, {"frequency_ghz": 200}, ValueError, "frequency_ghz=200 out of range [0.5, 100]"),
    (LenaChannel, {"numerology": 7}, ValueError, "numerology=7 out of range [0, 6]"),
    (LenaChannel, {"scenario": "Mars"}, ValueError, 'scenario "Mars" unknown'),
    (LenaChannel, {"scenario": 3}, TypeError, "scenario must be a string"),
    (LenaChannel, {"bandwidth_ghz": 1e-4}, ValueError, "narrower than one RB"),
    (LenaChannel, {"shadowing_enabled": "yes"}, TypeError, "shadowing_enabled must be a bool"),
    (LenaChannel, {"packet_size_bytes": 5000}, ValueError, "packet_size_bytes=5000 out of range [0, 1932]"),
    (LenaChannel, {"step_duration_ms": 0}, ValueError, "step_duration_ms=0 out of range (0, inf)"),
    (LenaChannel, {"step_duration_ms": 1e-9}, ValueError, "step-ms 1e-09 out of range"),
    (LenaChannel, {"seed": -1}, ValueError, "seed=-1 out of range"),
    (LenaChannel, {"distance_m": "far"}, TypeError, "distance_m must be a number"),
    (MmWaveChannel, {"distance_m": 0}, ValueError, "distance_m=0 out of range (0, 1e+09]"),
    (MmWaveChannel, {"scenario": "UMi"}, ValueError, 'scenario "UMi" not one of'),
    (MmWaveChannel, {"bandwidth_ghz": 1e-4}, ValueError, "BandwidthHz 100000 out of range"),
    (MmWaveChannel, {"noise_figure_db": -1}, ValueError, "noise_figure_db=-1 out of range [0, 100]"),
    (MmWaveChannel, {"harq_enabled": 2}, TypeError, "harq_enabled must be a bool"),
    (MmWaveChannel, {"packet_size_bytes": 1473}, ValueError, "packet_size_bytes=1473 out of range [0, 1472]"),
])
def test_bad_parameters_name_the_parameter(cls, kwargs, exc, message):
    with pytest.raises(exc) as e:
        cls(**kwargs)
    assert message in str(e.value)


@pytest.mark.parametrize("cls,limit", [(LenaChannel, 1932), (MmWaveChannel, 1472)])
def test_bad_calls(cls, limit):
    ch = cls()
    obs = np.zeros(4)
    with pytest.raises(ValueError, match=r"step=-1 out of range \[0, 4294967295\]"):
        ch.transmit(obs, -1)
    with pytest.raises(ValueError, match=rf"packet_size={limit + 1} out of range \[0, {limit}\]"):
        ch.transmit(obs, 0, limit + 1)
    with pytest.raises(TypeError, match="must be integers"):
        ch.transmit(obs, 1.5)
    with pytest.raises(_native.NetgymNativeError, match="more than the 10m0s one command may advance"):
        ch.flush(10**9)
    ch.transmit(obs, 0)  # the channel still works after the errors
    assert [s for s, _ in ch.flush(5)] in ([5], [])
    with pytest.raises(TypeError, match="ns3_cfg or ns3_config"):
        cls(None, NS3LenaConfig(), ns3_config=NS3LenaConfig())
    ch.close()
    with pytest.raises(ValueError, match="closed"):
        ch.transmit(obs, 0)
    ch.close()  # twice is fine


def test_many_channels_in_threads_match_sequential():
    # independent simulations (no shared state): 8 channels of each kind
    # stepped from 8 threads at once give what they give one after another
    runs = [(LenaChannel, 400.0, s) for s in range(1, 9)] + [(MmWaveChannel, 100.0, s) for s in range(1, 9)]
    seq = [delivery(cls(distance_m=d, seed=s), 300) for cls, d, s in runs]
    par = [None] * len(runs)

    def work(i):
        cls, d, s = runs[i]
        par[i] = delivery(cls(distance_m=d, seed=s), 300)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(runs))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert par == seq
    assert len({tuple(map(tuple, g)) for g in seq}) > 2, "the seeds give different links"


def test_closed_channels_free_their_simulations():
    import gc

    gc.collect()
    before = _native.live_objects()
    chans = [LenaChannel(), MmWaveChannel()]
    assert _native.live_objects() == before + 2
    del chans
    gc.collect()
    assert _native.live_objects() == before
