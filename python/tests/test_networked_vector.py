# SPDX-License-Identifier: GPL-2.0-only
"""NetworkedVectorEnv (NetRL's NetworkedEnv vectorized: the inner
Gymnasium vector env in Python, the N links in one call into Go) over the
5G-LENA and mmWave links: step for step the buffers of N single
in-process channels (LenaChannel / MmWaveChannel with seed base + i),
delivery near and far as test_cellular pins it for seed 1, parameter
errors naming the parameter, and the mmWave scheduler parameter of every
mmWave class."""

from types import SimpleNamespace

import gymnasium as gym
import numpy as np
import pytest

from netgym import _native
from netgym.channels import LenaChannel, MmWaveChannel, WifiChannel
from netgym.envs import MmWaveChannelEnv
from netgym.vector import MmWaveChannelVectorEnv, NetworkedVectorEnv

CHANNELS = {"wifi": WifiChannel, "lena": LenaChannel, "mmwave": MmWaveChannel}


class Reference:
    """N single channels and NetRL's buffers over them, written from
    NetRL's ObservationBuffer: the slots are the steps max(0, t-b+1)..t of
    the episode (zero-padded at the end until b steps have passed), each
    holding the last observation that arrived during its step."""

    def __init__(self, link, n, base, b, **kw):
        self.ch = [CHANNELS[link](seed=base + i, **kw) for i in range(n)]
        self.b = b
        self.hist = [[] for _ in range(n)]  # per episode step: (arrived, obs)
        self.t = [0] * n

    def reset(self, i):
        self.ch[i].reset()
        self.hist[i].clear()
        self.t[i] = 0

    def step(self, i, obs):
        t = self.t[i]
        self.ch[i].transmit(np.array(obs, copy=True), t)
        got = self.ch[i].flush(t)
        self.hist[i].append((True, got[-1][1]) if got else (False, np.zeros_like(obs)))
        self.t[i] += 1
        return len(got)

    def buffers(self, i, shape, dtype):
        win = self.hist[i][-self.b:]
        obs = np.zeros((self.b, *shape), dtype=dtype)
        mask = np.zeros(self.b, dtype=bool)
        for k, (m, o) in enumerate(win):
            obs[k], mask[k] = o, m
        return obs, mask


class Spy(gym.vector.VectorWrapper):
    """Keeps the observations of the inner vector env's last step: what
    NetworkedVectorEnv sent over its links."""

    def step(self, actions):
        out = self.env.step(actions)
        self.last_obs = np.array(out[0], copy=True)
        return out


def run_both(link, kw, n=4, base=11, b=6, steps=300, reseed=True):
    """Steps NetworkedVectorEnv and Reference side by side over an inner
    vector env whose observations this function sees (it wraps CartPole);
    returns (packets that arrived, episodes ended) and asserts equality."""
    inner = gym.make_vec("CartPole-v1", num_envs=n, vectorization_mode="sync")
    vec = NetworkedVectorEnv(Spy(inner), link=link, buffer_size=b, seed=base, **kw)
    ref = Reference(link, n, base, b, **kw)
    if reseed:  # reset(seed=s): links from (s + i, run 1), the channels as built
        vo, _ = vec.reset(seed=base)
    else:  # reset(): every link's next run, as NetRL's NetworkedEnv.reset
        vo, _ = vec.reset()
        for i in range(n):
            ref.reset(i)
        vec.env.reset(seed=base)  # the same CartPoles either way
    assert not vo["recv_mask"].any() and not vo["observations"].any()
    shape, dtype = inner.single_observation_space.shape, inner.single_observation_space.dtype
    rng = np.random.default_rng(3)
    done = np.zeros(n, dtype=bool)
    arrived, episodes = 0, 0
    for t in range(steps):
        vo, _, term, trunc, _ = vec.step(rng.integers(2, size=n))
        sent = vec.env.last_obs
        for i in range(n):
            if done[i]:  # NEXT_STEP: this step reset sub-env i
                ref.reset(i)
                episodes += 1
            else:
                arrived += ref.step(i, sent[i])
            obs, mask = ref.buffers(i, shape, dtype)
            np.testing.assert_array_equal(vo["recv_mask"][i], mask, err_msg=f"{link} env {i} step {t}")
            np.testing.assert_array_equal(vo["observations"][i], obs, err_msg=f"{link} env {i} step {t}")
        done = term | trunc
    vec.close()
    return arrived, episodes


@pytest.mark.parametrize("link,kw,reseed,packets,episodes", [
    ("lena", {"distance_m": 50.0}, True, 1107, 45),
    ("lena", {"distance_m": 400.0}, False, 65, 45),
    ("lena", {"distance_m": 200.0, "numerology": 2, "scenario": "UMi-StreetCanyon", "shadowing_enabled": True,
              "packet_size_bytes": 300}, True, 651, 45),
    ("mmwave", {"distance_m": 50.0}, False, 1078, 45),
    ("mmwave", {"distance_m": 100.0}, True, 888, 45),
    ("mmwave", {"distance_m": 80.0, "harq_enabled": False, "scheduler": "pf", "packet_size_bytes": 1472}, True,
     876, 45),
    ("wifi", {"distance_m": 30.0}, True, 1019, 45),
])
def test_buffers_equal_single_channels_step_for_step(link, kw, reseed, packets, episodes):
    # 4 CartPoles (seeded 11 + i, random actions) over 4 links against 4
    # single in-process channels seeded 11 + i: the same recv masks and
    # observations every step, through CartPole's episode ends (the
    # autoreset step resets link and buffer: NetRL's reset, the next run,
    # neither send nor flush). Of the 1155 packets sent (1200 steps less
    # the 45 autoreset steps), how many arrive: nearly all near; at 400 m
    # 5G-LENA's first packets of a run wait out the UE's scheduling
    # request and HARQ, longer than most random CartPole episodes last.
    assert run_both(link, kw, reseed=reseed) == (packets, episodes)


@pytest.mark.parametrize("link,distance,steps_with_arrivals", [
    # seed 1 (link 0) is test_cellular's channel: 5G-LENA at 50 m delivers
    # steps 0 and 1 together in step 1, then every packet one step late
    # (997 of 999 steps see an arrival); at 400 m seed 1's packets arrive
    # about 150 steps late (HARQ/RLC), so only 8 steps see one within the
    # buffer's 10 steps, seed 2 (link 1) not at all; 500 m: nothing.
    ("lena", 50.0, [997, 997]),
    ("lena", 400.0, [8, 0]),
    ("lena", 500.0, [0, 0]),
    # mmWave 50 m: pairs every other step (499); 100 m: seed 1's NLOS
    # bursts (57 steps, test_cellular's 973 packets), seed 2 nothing; 150 m: nothing.
    ("mmwave", 50.0, [499, 499]),
    ("mmwave", 100.0, [57, 0]),
    ("mmwave", 150.0, [0, 0]),
])
def test_near_and_far(link, distance, steps_with_arrivals):
    # Pendulum never terminates: one 999-step episode per link, seed 1 + i.
    b = 10
    vec = NetworkedVectorEnv(Spy(gym.make_vec("Pendulum-v1", num_envs=2, vectorization_mode="sync",
                                              max_episode_steps=1000)),
                             link=link, distance_m=distance, buffer_size=b, seed=1)
    vo, _ = vec.reset(seed=1)
    counts = np.zeros(2, dtype=int)
    sent = []
    for t in range(999):
        vo, _, term, trunc, _ = vec.step(np.zeros((2, 1), dtype=np.float32))
        assert not term.any() and not trunc.any()
        sent.append(vec.env.last_obs)
        slot = min(t, b - 1)  # NetRL's buffer: step t's slot
        counts += vo["recv_mask"][:, slot]
        if distance == 50.0 and t >= 2:
            # near, what arrives during step t is step t-1's observation
            # (the last one of mmWave's pairs)
            for i in np.flatnonzero(vo["recv_mask"][:, slot]):
                np.testing.assert_array_equal(vo["observations"][i, slot], sent[t - 1][i])
    assert counts.tolist() == steps_with_arrivals
    vec.close()


@pytest.mark.parametrize("kwargs,exc,message", [
    ({"link": "lte"}, ValueError, "link='lte' not one of wifi, lena, mmwave"),
    ({"link": 3}, ValueError, "link=3 not one of wifi, lena, mmwave"),
    ({"link": "lena", "numerology": 7}, ValueError, "numerology=7 out of range [0, 6]"),
    ({"link": "lena", "distance_m": -1.0}, ValueError, "distance_m=-1.0 out of range [0, 100000]"),
    ({"link": "lena", "packet_size_bytes": 1933}, ValueError, "packet_size_bytes=1933 out of range [0, 1932]"),
    ({"link": "lena", "scenario": "Mars"}, ValueError, 'scenario "Mars" unknown'),  # Go's check
    ({"link": "lena", "bandwidth_ghz": 1e-4}, ValueError, "narrower than one RB"),  # Go's check
    ({"link": "lena", "shadowing_enabled": "yes"}, TypeError, "shadowing_enabled must be a bool"),
    ({"link": "lena", "max_pending_steps": 0}, ValueError, "max_pending_steps=0 out of range [1, inf]"),
    ({"link": "lena", "scheduler": "pf"}, TypeError, "scheduler not a parameter of the lena link"),
    ({"link": "mmwave", "distance_m": 0}, ValueError, "distance_m=0 out of range (0, 1e+09]"),
    ({"link": "mmwave", "packet_size_bytes": 1473}, ValueError, "packet_size_bytes=1473 out of range [0, 1472]"),
    ({"link": "mmwave", "scenario": "UMi"}, ValueError, 'scenario "UMi" not one of'),  # Go's check
    ({"link": "mmwave", "scheduler": "wfq"}, ValueError, "scheduler='wfq' not one of rr, pf, maxrate"),
    ({"link": "mmwave", "scheduler": 1}, TypeError, "scheduler must be a string"),
    ({"link": "mmwave", "numerology": 3}, TypeError, "numerology not a parameter of the mmwave link"),
    ({"link": "wifi", "packet_size_bytes": 2269}, ValueError, "packet_size_bytes=2269 out of range [0, 2268]"),
    ({"link": "wifi", "frequency_ghz": 5.0}, TypeError, "frequency_ghz not a parameter of the wifi link"),
    ({"distance_m": -1.0}, ValueError, "distance_m=-1.0 out of range [0, inf)"),
    ({"max_retries": 0}, ValueError, "max_retries=0 out of range [1, 2147483647]"),
])
def test_bad_parameters_name_them(kwargs, exc, message):
    live = _native.live_objects()
    with pytest.raises(exc) as e:
        NetworkedVectorEnv("CartPole-v1", 2, **kwargs)
    assert message in str(e.value)
    assert _native.live_objects() == live, "nothing is left behind"


def test_wifi_stays_the_default():
    # link="wifi" and the old keywords: the same buffers as before the
    # cellular links came (test_netrl pins them against NetRL's NetworkedEnv)
    runs = []
    for kw in ({"distance_m": 40.0}, {"link": "wifi", "distance_m": 40.0}, {"link": None, "distance_m": 40.0},
               {"link": "wifi", "ns3_cfg": SimpleNamespace(distance_m=40.0)}):
        env = NetworkedVectorEnv("CartPole-v1", 2, seed=3, **kw)
        o, _ = env.reset(seed=3)
        out = []
        for t in range(100):
            o, *_ = env.step(np.array([t % 2, 1]))
            out.append(o["recv_mask"].copy())
        runs.append(np.array(out))
        assert env.link == "wifi" and env.distance_m == 40.0 and env.max_pending_steps == 200
        assert env.packet_size_bytes == 64 and env.link_settings["max_retries"] == 7
        env.close()
    np.testing.assert_array_equal(runs[0], runs[1])
    np.testing.assert_array_equal(runs[0], runs[2])
    assert 0 < runs[0].sum() < runs[0].size
    env = NetworkedVectorEnv("CartPole-v1", 2)
    assert env.link_settings == {"distance_m": 10.0, "step_duration_ms": 1.0, "tx_power_dbm": 20.0,
                                 "loss_exponent": 3.0, "max_retries": 7}
    env.close()


def test_ns3_cfg_and_keywords():
    # NetRL's config objects are read for the link's names; keywords override them
    cfg = SimpleNamespace(distance_m=400.0, numerology=2, packet_size_bytes=500, sim_binary="ignored")
    env = NetworkedVectorEnv("CartPole-v1", 2, link="lena", ns3_cfg=cfg, distance_m=300.0)
    assert env.link_settings["numerology"] == 2 and env.distance_m == 300.0 and env.link_settings["scenario"] == "UMa"
    assert (env.packet_size_bytes, env.max_pending_steps) == (500, 500)
    env.close()
    env = NetworkedVectorEnv("CartPole-v1", 2, link="mmwave", ns3_cfg=SimpleNamespace(harq_enabled=False))
    assert env.link_settings["harq_enabled"] is False and env.link_settings["scheduler"] == "rr"
    assert env.distance_m == 50.0
    env.close()


def trace(ch, steps):
    out = []
    for t in range(steps):
        ch.transmit(np.full(2, t, dtype=np.float32), t)
        out.append([int(o[0]) for _, o in ch.flush(t)])
    return out


def test_mmwave_scheduler():
    # scheduler="rr" is the default (NetRL's round robin) in every mmWave
    # class; with NetRL's single UE and 64-byte packets, pf and maxrate
    # schedule that UE alone just the same (100 m, seed 1: 973 packets over
    # 57 steps)...
    default = trace(MmWaveChannel(distance_m=100.0), 1000)
    assert sum(map(len, default)) == 973 and sum(1 for ids in default if ids) == 57
    for name in ("rr", "pf", "maxrate"):
        ch = MmWaveChannel(distance_m=100.0, scheduler=name)
        assert ch.get_channel_info()["scheduler"] == name
        assert trace(ch, 1000) == default, name
        ch.close()
    assert MmWaveChannel(ns3_cfg=SimpleNamespace(scheduler="pf")).scheduler == "pf"

    def vec_obs(**kw):
        env = MmWaveChannelVectorEnv(2, distance_m=100.0, seed=1, **kw)
        env.reset()
        out = [env.step(np.array([1, 2]))[0] for _ in range(300)]
        env.close()
        return np.array(out)

    np.testing.assert_array_equal(vec_obs(scheduler="rr"), vec_obs())
    np.testing.assert_array_equal(vec_obs(scheduler="maxrate"), vec_obs())
    one = MmWaveChannelEnv(scheduler="pf", distance_m=100.0)
    assert one.link["scheduler"] == "pf"
    one.close()

    def networked(**kw):
        env = NetworkedVectorEnv("CartPole-v1", 2, link="mmwave", distance_m=100.0, **kw)
        env.reset(seed=2)
        out = [env.step(np.array([0, 1]))[0]["recv_mask"] for _ in range(200)]
        env.close()
        return np.array(out)

    rr = networked(scheduler="rr")
    np.testing.assert_array_equal(rr, networked())
    assert rr.any()
    # ... but the scheduler reaches Go: with RLC AM and 1000-byte packets
    # at 100 m, maxrate (which asks for the queue without MAC and RLC
    # headers, so the last SDU is segmented) delivers 66 packets, rr and pf 68
    am = {"distance_m": 100.0, "rlc_am_enabled": True}
    counts = {name: sum(map(len, trace(MmWaveChannel(scheduler=name, packet_size_bytes=1000, **am), 1000)))
              for name in ("rr", "pf", "maxrate")}
    assert counts == {"rr": 68, "pf": 68, "maxrate": 66}

    def vec_am(**kw):
        env = MmWaveChannelVectorEnv(1, packet_sizes=(0, 1000), seed=1, **am, **kw)
        env.reset()
        out = np.array([env.step(np.array([1]))[0] for _ in range(999)])
        env.close()
        return out

    assert (vec_am(scheduler="maxrate") != vec_am()).any()

    def networked_am(**kw):
        env = NetworkedVectorEnv("Pendulum-v1", 1, link="mmwave", packet_size_bytes=1000, **am, **kw,
                                 env_kwargs={"max_episode_steps": 1000})
        env.reset(seed=1)
        out = np.array([env.step(np.zeros((1, 1), dtype=np.float32))[0]["observations"][0, min(t, 9)]
                        for t in range(999)])
        env.close()
        return out

    rr_am = networked_am()
    np.testing.assert_array_equal(networked_am(scheduler="rr"), rr_am)
    assert np.any(networked_am(scheduler="maxrate") != rr_am, axis=1).sum() == 21, "steps holding another packet"
    for cls in (MmWaveChannel, MmWaveChannelEnv, MmWaveChannelVectorEnv):
        with pytest.raises(ValueError, match=r"scheduler='fifo' not one of rr, pf, maxrate"):
            cls(scheduler="fifo")
        with pytest.raises(TypeError, match="scheduler must be a string"):
            cls(scheduler=None if cls is not MmWaveChannel else 3)
