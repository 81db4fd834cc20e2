# SPDX-License-Identifier: GPL-2.0-only
"""NetRL's own package (PyPI's netrl) as the client of netgym: its
NetworkedEnv over netgym's binaries (NS3WifiConfig, NS3WifiMultiUEConfig
with sim_binary) and over netgym's _netrl_ext (NS3WiFiChannelFastConfig),
and its CentralNode / MultiViewNetworkedEnv with netgym's in-process
channels. Delivery is what netgym's Go tests predict: at 10 m every packet
but the first few (ARP) arrives within its 1 ms step, at 60 m none."""

import gymnasium as gym
import numpy as np
import pytest

netrl = pytest.importorskip("netrl")

from netrl import (CentralNode, MultiViewNetworkedEnv, NetworkConfig, NetworkedEnv,  # noqa: E402
                   NS3WiFiChannelFastConfig, NS3WifiConfig, NS3WifiMultiUEConfig)
from netrl.channels import ns3_multi_ue_channel  # noqa: E402
from netrl.channels.comm_channel import CommChannel  # noqa: E402
from netrl.utils.multi_view_model import MultiViewModel  # noqa: E402

import netgym.channels as nc  # noqa: E402
from netgym import netrl_compat  # noqa: E402
from conftest import step_in_lockstep  # noqa: E402


def arrivals(env, steps, seed=0):
    """Steps a NetworkedEnv over CartPole (resetting CartPole when it ends, the
    channel keeps going) and returns arrived_this_step per step."""
    env.reset(seed=seed)
    env.action_space.seed(seed)
    out = []
    for _ in range(steps):
        obs, r, term, trunc, info = env.step(env.action_space.sample())
        out.append(info["arrived_this_step"])
        if term or trunc:
            # NetworkedEnv.reset also resets the channel (next run): step on the
            # inner env only so that one channel episode spans the test
            env.env.reset()
    return out


@pytest.mark.parametrize("distance,expect", [(10.0, "all"), (60.0, "none")])
def test_networked_env_over_wifi_sim_binary(wifi_sim, distance, expect):
    env = NetworkedEnv(gym.make("CartPole-v1"), NetworkConfig(buffer_size=10),
                       channel_config=NS3WifiConfig(distance_m=distance, sim_binary=wifi_sim))
    got = arrivals(env, 300)
    if expect == "all":
        # the first packets wait for ARP (steps 0-2 arrive together, 3 is lost)
        assert all(got[10:]) and sum(got) >= 290, sum(got)
    else:
        assert not any(got)
    obs, *_ = env.step(0)
    assert obs["observations"].shape == (10, 4) and obs["recv_mask"].shape == (10,)
    env.close()


def test_pipe_and_in_process_give_the_same_arrivals(wifi_sim):
    # NetRL starts the binary with seed 1, run 1: netgym's in-process channel
    # with the same seed steps the very same simulation.
    cfg = NS3WifiConfig(distance_m=51.0, sim_binary=wifi_sim)
    pipe = NetworkedEnv(gym.make("CartPole-v1"), NetworkConfig(buffer_size=5), channel_config=cfg)
    a = arrivals(pipe, 400)
    pipe.close()
    central = CentralNode(["agent_0"], (4,), np.float32, NetworkConfig(buffer_size=5),
                          channel_factory=nc.wifi_factory(cfg, seed=1))
    central.reset()  # as NetworkedEnv.reset: RESET, the next run
    b = []
    for t in range(400):
        central.receive_from("agent_0", np.zeros(4, dtype=np.float32), t)
        b.append(central.flush_and_update(t)["agent_0"] is not None)
    assert a == b
    assert 0 < sum(a) < 400


def test_fast_config_runs_on_netgyms_netrl_ext():
    import _netrl_ext

    if not hasattr(_netrl_ext, "__file__") or not _netrl_ext.__file__.endswith(".py"):
        pytest.skip("NetRL's own ns-3 _netrl_ext is installed: it takes precedence")
    assert _netrl_ext.NS3WiFiChannel is netrl_compat.NS3WiFiChannel
    env = NetworkedEnv(gym.make("CartPole-v1"), NetworkConfig(buffer_size=10, seed=3),
                       channel_config=NS3WiFiChannelFastConfig(distance_m=10.0, step_duration_ms=2.0))
    got = arrivals(env, 300)
    assert all(got[10:]) and sum(got) >= 290
    info = env.step(0)[4]["channel_info"]
    assert info["state"] == "NS3_WIFI" and info["backend"] == "netgym" and info["distance_m"] == 10.0
    env.close()


def test_netrl_ext_interface():
    ch = netrl_compat.NS3WiFiChannel(distance_m=10.0, step_duration_ms=1.0, packet_size_bytes=64, seed=1)
    got = []
    for t in range(50):
        ch.transmit(np.array([t, t + 0.5]), t)
        got += ch.flush(t)
    ids = [s for s, _ in got]
    assert ids[:3] == [0, 1, 2] and 3 not in ids and ids[-1] == 49, "ids are the send steps"
    s, obs = got[-1]
    assert obs.dtype == np.float64 and obs.tolist() == [49.0, 49.5]
    assert ch.distance_m == 10.0 and ch.step_duration_ms == 1.0
    ch.reset()
    assert ch.get_channel_info()["run"] == 2
    m = netrl_compat.NS3WiFiMultiUEChannel(2, [10.0, 60.0])
    pairs = []
    for t in range(100):
        m.transmit(0, t)
        m.transmit(1, t)
        pairs += m.flush(t)
    assert {ue for ue, _ in pairs} == {0} and len(pairs) >= 95
    with pytest.raises(RuntimeError):
        m.transmit(2, 0)  # NetRL's extension raises RuntimeError("ue_id out of range")


def test_multi_ue_config_over_the_binary(multi_ue_sim, monkeypatch):
    # NetRL 0.1.0 always selects its compiled multi-UE backend
    # (_HAS_MULTI_UE_PYBIND = True); switch it to the subprocess path so that
    # sim_binary is used.
    monkeypatch.setattr(ns3_multi_ue_channel, "_HAS_MULTI_UE_PYBIND", False)
    cfg = NS3WifiMultiUEConfig(n_ues=3, distances_m=[10.0, 30.0, 60.0], sim_binary=multi_ue_sim)
    pipe = _multi_view_counts(ns3_multi_ue_channel.make_multi_ue_wifi_factory(cfg), 300)
    assert pipe[0] >= 290 and pipe[1] >= 290 and pipe[2] == 0, pipe
    # the same scenario in process (netgym's factory, same seed 1): same counts
    inproc = _multi_view_counts(nc.make_multi_ue_wifi_factory(cfg), 300)
    assert inproc == pipe


def test_multi_ue_config_through_netrls_native_backend():
    # Without the patch NetRL runs its backend on _netrl_multi_ue_ext: netgym's
    cfg = NS3WifiMultiUEConfig(n_ues=2, distances_m=[10.0, 60.0])
    counts = _multi_view_counts(ns3_multi_ue_channel.make_multi_ue_wifi_factory(cfg), 200)
    assert counts[0] >= 190 and counts[1] == 0


class _Copies(MultiViewModel):
    """Every observer sees the full CartPole state."""

    def __init__(self, n):
        self.n = n

    @property
    def obs_shapes(self):
        return [(4,)] * self.n

    @property
    def obs_dtypes(self):
        return [np.float32] * self.n

    def observe(self, env, obs):
        return {f"ue{i}": obs for i in range(self.n)}


def _multi_view_counts(factory, steps):
    ids = ["ue0", "ue1", "ue2"][: len(_ue_ids(factory))]
    env = MultiViewNetworkedEnv(gym.make("CartPole-v1"), NetworkConfig(buffer_size=10), ids, _Copies(len(ids)),
                                channel_factory=factory)
    env.reset(seed=0)
    counts = [0] * len(ids)
    for _ in range(steps):
        _, _, term, trunc, info = env.step(0)
        for i, oid in enumerate(ids):
            counts[i] += info["arrived_this_step"][oid]
        if term or trunc:
            env.env.reset()
    env.close()
    return counts


def _ue_ids(factory):
    b = getattr(factory, "backend", None)
    if b is not None:
        return list(range(b.n_ues))
    # NetRL's factory closes over its config
    cfg = factory.__closure__[[c.cell_contents.__class__.__name__ for c in factory.__closure__].index(
        "NS3WifiMultiUEConfig")].cell_contents
    return list(range(cfg.n_ues))


def test_central_node_with_netgym_channels():
    assert issubclass(nc.WifiChannel, CommChannel), "netgym's channels are NetRL CommChannels"
    central = CentralNode(["near", "far"], (2,), np.float64, NetworkConfig(buffer_size=4, seed=10),
                          channel_factory=lambda cfg: nc.WifiChannel(cfg, distance_m=10.0 if cfg.seed == 10 else 60.0))
    for t in range(100):
        central.receive_from("near", np.array([t, 0.0]), t)
        central.receive_from("far", np.array([t, 1.0]), t)
        central.flush_and_update(t)
    near, mask = central.get_buffer("near")
    assert mask.all() and near[:, 0].tolist() == [96.0, 97.0, 98.0, 99.0]
    far, fmask = central.get_buffer("far")
    assert not fmask.any()
    assert central.get_channel_info("near")["seed"] == 10 and central.get_channel_info("far")["seed"] == 11


@pytest.mark.parametrize("first", ["netgym.channels", "netrl", "_netrl_ext", "netgym.vector"])
def test_import_order_does_not_matter(first):
    # netgym.channels imports NetRL, whose import loads _netrl_ext, which
    # loads netgym.netrl_compat: no import cycle, whatever comes first.
    import subprocess
    import sys

    code = f"import {first}; import netgym.channels as c; import netrl; assert c.NETRL_BASE; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr


def test_networked_vector_env_matches_netrls_networked_env(wifi_sim):
    # One sub-environment of netgym's vectorized NetworkedEnv (CartPole in
    # Python, the link in Go) against NetRL's NetworkedEnv over the wifi-sim
    # binary: the same buffers step for step, episode ends included (NetRL's
    # reset starts the binary's next run, as the autoreset does).
    from netgym.vector import NetworkedVectorEnv

    vec = NetworkedVectorEnv("CartPole-v1", 1, distance_m=51.0, seed=1)
    ref = NetworkedEnv(gym.make("CartPole-v1"), NetworkConfig(buffer_size=10),
                       channel_config=NS3WifiConfig(distance_m=51.0, sim_binary=wifi_sim))
    episodes, masks = step_in_lockstep(vec, ref, 600)
    arrived = sum(bool(m[-1]) for m in masks)
    assert episodes >= 5 and 0 < arrived < 600
    vec.close()
    ref.close()
