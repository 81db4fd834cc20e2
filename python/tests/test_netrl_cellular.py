# SPDX-License-Identifier: GPL-2.0-only
"""NetRL's own cellular channels (PyPI's netrl 0.1.0: NS3LenaChannel and
NS3MmWaveChannel, subprocess classes speaking its line protocol) driving
netgym's lena-sim and mmwave-sim binaries through
``NS3LenaConfig(sim_binary=...)`` / ``NS3MmWaveConfig(sim_binary=...)``,
and NetRL's NetworkedEnv / CentralNode over them. NetRL starts its
programs without a seed, so the binaries run seed 1, run 1: netgym's
in-process LenaChannel / MmWaveChannel with seed 1 step exactly the same
simulation, run after run."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

netrl = pytest.importorskip("netrl")

from netrl import (CentralNode, NetworkConfig, NetworkedEnv, NS3LenaChannel, NS3LenaConfig,  # noqa: E402
                   NS3MmWaveChannel, NS3MmWaveConfig)

import netgym.channels as nc  # noqa: E402
from conftest import step_in_lockstep  # noqa: E402


def trace(ch, steps, start=0):
    """Steps ch (a NetRL CommChannel) with a 2-vector observation a step;
    returns flush's [(arrival step, step id, obs[1])] per step."""
    out = []
    for t in range(start, start + steps):
        ch.transmit(np.array([t, 0.5 * t], dtype=np.float64), t)
        out.append([(a, int(o[0]), float(o[1])) for a, o in ch.flush(t)])
    return out


LENA = [
    {"distance_m": 400.0},
    {"distance_m": 350.0},
    {"distance_m": 200.0, "numerology": 2, "scenario": "UMi-StreetCanyon", "shadowing_enabled": True,
     "frequency_ghz": 3.5, "bandwidth_ghz": 0.02, "ue_tx_power_dbm": 20.0, "packet_size_bytes": 300,
     "step_duration_ms": 2.0},
]
MMWAVE = [
    {"distance_m": 100.0},
    {"distance_m": 100.0, "harq_enabled": False},  # RLC UM without HARQ loses about half
    {"distance_m": 100.0, "rlc_am_enabled": True},
    {"distance_m": 80.0, "scenario": "UMi-StreetCanyon", "frequency_ghz": 39.0, "bandwidth_ghz": 0.4,
     "noise_figure_db": 7.0, "tx_power_dbm": 20.0, "packet_size_bytes": 500, "step_duration_ms": 0.5},
]


@pytest.mark.parametrize("kind,settings", [("lena", s) for s in LENA] + [("mmwave", s) for s in MMWAVE])
def test_netrls_subprocess_channel_replays_the_in_process_one(kind, settings, lena_sim, mmwave_sim):
    if kind == "lena":
        cfg = NS3LenaConfig(sim_binary=lena_sim, **settings)
        pipe, mine = NS3LenaChannel(NetworkConfig(), cfg), nc.LenaChannel(NetworkConfig(), cfg, seed=1)
    else:
        cfg = NS3MmWaveConfig(sim_binary=mmwave_sim, **settings)
        pipe, mine = NS3MmWaveChannel(NetworkConfig(), cfg), nc.MmWaveChannel(NetworkConfig(), cfg, seed=1)
    a = trace(pipe, 1000)
    assert a == trace(mine, 1000), "seed 1, run 1 through the pipe and in process"
    assert sum(map(len, a)) >= 224, "a link that carries packets (224 at the fewest, mmWave UMi at 39 GHz)"
    # NetRL's reset: RESET, the binary's next run; netgym's reset: the next run
    pipe.reset()
    mine.reset()
    assert trace(pipe, 300) == trace(mine, 300), "run 2 likewise"
    ours, theirs = mine.get_channel_info(), pipe.get_channel_info()
    assert set(theirs) <= set(ours), "netgym's info has every key of NetRL's"
    for k in theirs:
        if k != "state":
            assert ours[k] == theirs[k], k
    del pipe  # NetRL's __del__ sends QUIT


def test_pinned_figures_through_netrls_classes(lena_sim, mmwave_sim):
    # channelif/nr TestPythonFigures and channelif/mmwave TestNetRLTable,
    # through NetRL's own classes and netgym's binaries
    lena = NS3LenaChannel(NetworkConfig(), NS3LenaConfig(distance_m=400.0, sim_binary=lena_sim))
    got = trace(lena, 1000)
    lags = [t - s for t, arr in enumerate(got) for _, s, _ in arr]
    assert len(lags) == 514 and sum(lags) / len(lags) == pytest.approx(152.2529, abs=5e-5)
    mmw = NS3MmWaveChannel(NetworkConfig(), NS3MmWaveConfig(distance_m=50.0, sim_binary=mmwave_sim))
    assert [[s for _, s, _ in arr] for arr in trace(mmw, 8)] == [[], [], [0, 1], [], [2, 3], [], [4, 5], []]


def arrivals(env, steps, seed=0):
    """Steps a NetworkedEnv over CartPole (resetting CartPole when it ends,
    the channel keeps going) and returns arrived_this_step per step."""
    env.reset(seed=seed)
    env.action_space.seed(seed)
    out = []
    for _ in range(steps):
        obs, r, term, trunc, info = env.step(env.action_space.sample())
        out.append(info["arrived_this_step"])
        if term or trunc:
            env.env.reset()
    return out


@pytest.mark.parametrize("kind,distance", [("lena", 50.0), ("lena", 400.0), ("mmwave", 50.0), ("mmwave", 100.0)])
def test_networked_env_over_the_binaries_matches_central_node_in_process(kind, distance, lena_sim, mmwave_sim):
    if kind == "lena":
        cfg = NS3LenaConfig(distance_m=distance, sim_binary=lena_sim)
        factory = nc.lena_factory(cfg, seed=1)
    else:
        cfg = NS3MmWaveConfig(distance_m=distance, sim_binary=mmwave_sim)
        factory = nc.mmwave_factory(cfg, seed=1)
    env = NetworkedEnv(gym.make("CartPole-v1"), NetworkConfig(buffer_size=10), channel_config=cfg)
    a = arrivals(env, 400)
    obs, *_ = env.step(0)
    assert obs["observations"].shape == (10, 4) and obs["recv_mask"].shape == (10,)
    env.close()
    central = CentralNode(["agent_0"], (4,), np.float32, NetworkConfig(buffer_size=10), channel_factory=factory)
    central.reset()  # as NetworkedEnv.reset: RESET, the next run
    b = []
    for t in range(400):
        central.receive_from("agent_0", np.zeros(4, dtype=np.float32), t)
        b.append(central.flush_and_update(t)["agent_0"] is not None)
    assert a == b
    if distance == 50.0 and kind == "lena":
        assert all(a[5:]), "every packet arrives, one step late"
    if distance == 50.0 and kind == "mmwave":
        assert sum(a) == 199 and a[10:20] == [True, False] * 5, "pairs of packets every other step"
    assert central.get_channel_info("agent_0")["run"] == 2


@pytest.mark.parametrize("kind,settings", [
    ("lena", {"distance_m": 50.0}),
    ("lena", {"distance_m": 400.0, "numerology": 2}),
    ("mmwave", {"distance_m": 50.0}),
    ("mmwave", {"distance_m": 100.0, "rlc_am_enabled": True}),
])
def test_networked_vector_env_matches_netrls_networked_env(kind, settings, lena_sim, mmwave_sim):
    # One sub-environment of netgym's vectorized NetworkedEnv over the
    # cellular link (CartPole in Python, the link in Go, NetRL's config
    # object as ns3_cfg) against NetRL's NetworkedEnv over the binary: the
    # same buffers step for step, episode ends included (NetRL's reset
    # starts the binary's next run, as the autoreset does the link's).
    from netgym.vector import NetworkedVectorEnv

    if kind == "lena":
        cfg = NS3LenaConfig(sim_binary=lena_sim, **settings)
    else:
        cfg = NS3MmWaveConfig(sim_binary=mmwave_sim, **settings)
    vec = NetworkedVectorEnv("CartPole-v1", 1, ns3_cfg=cfg, seed=1)  # NetRL's config picks the link
    assert vec.link == kind and vec.distance_m == settings["distance_m"]
    ref = NetworkedEnv(gym.make("CartPole-v1"), NetworkConfig(buffer_size=10), channel_config=cfg)
    episodes, masks = step_in_lockstep(vec, ref, 400)
    arrived = sum(bool(m.any()) for m in masks)
    assert episodes >= 5 and arrived > 0
    vec.close()
    ref.close()


def test_networked_vector_env_takes_the_link_of_netrls_config():
    from netgym.vector import NetworkedVectorEnv

    env = NetworkedVectorEnv("CartPole-v1", 2, ns3_cfg=NS3LenaConfig(distance_m=300.0), link="lena")
    assert (env.link, env.distance_m, env.max_pending_steps) == ("lena", 300.0, 500)
    env.close()
    with pytest.raises(ValueError, match="ns3_cfg is NetRL's NS3MmWaveConfig, the mmwave link's config, "
                                         "not the lena link's"):
        NetworkedVectorEnv("CartPole-v1", 2, ns3_cfg=NS3MmWaveConfig(), link="lena")
    with pytest.raises(ValueError, match="ns3_cfg is NetRL's NS3LenaConfig"):
        NetworkedVectorEnv("CartPole-v1", 2, ns3_cfg=NS3LenaConfig(), link="wifi")
