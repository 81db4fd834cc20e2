# SPDX-License-Identifier: GPL-2.0-only
"""Gymnasium: the registered environments pass check_env; the vector env
steps N simulations per call with NEXT_STEP autoreset."""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import netgym  # noqa: F401  (registers netgym/...)
from conftest import binary
from netgym.vector import ChannelVectorEnv


def test_wifi_channel_env_passes_check_env():
    env = gym.make("netgym/WifiChannel-v0")
    check_env(env.unwrapped)
    env.close()


def test_opengym_env_passes_check_env():
    env = gym.make("netgym/OpenGym-v0", sim_time=2.0, step_time=0.1, binary=binary("opengym"))
    try:
        check_env(env.unwrapped)
    finally:
        env.close()


def test_module_prefixed_id():
    env = gym.make("netgym:netgym/WifiChannel-v0", distance_m=60.0, max_steps=5)
    obs, _ = env.reset(seed=1)
    total = 0.0
    for _ in range(5):
        obs, r, term, trunc, _ = env.step(1)
        total += r
    assert trunc and not term and total == 0.0, "nothing arrives at 60 m"
    env.close()


def test_channel_env_episode():
    env = gym.make("netgym/WifiChannel-v0", distance_m=10.0, max_steps=100)
    obs, info = env.reset(seed=5)
    assert obs.shape == (8, 2) and obs.dtype == np.float32 and not obs.any()
    rewards = []
    for t in range(100):
        obs, r, term, trunc, _ = env.step(2)  # 256 bytes
        rewards.append(r)
        assert not term
        assert trunc == (t == 99)
    assert rewards[-1] == 1.0 and obs[:, 0].tolist() == [1.0] * 8 and obs[:, 1].tolist() == [0.0] * 8
    with pytest.raises(RuntimeError, match="call reset"):
        env.step(0)
    env.close()


@pytest.mark.parametrize("kwargs,message", [
    ({"distance_m": -5}, r"distance_m=-5 out of range \[0, inf\)"),
    ({"history": 0}, r"history=0 out of range \[1, 4096\]"),
    ({"packet_sizes": (64, 9000)}, r"packet_sizes\[1\]=9000 out of range \[0, 2268\]"),
    ({"packet_sizes": ()}, "packet_sizes must hold at least one size"),
    ({"num_envs": 0}, r"num_envs=0 out of range \[1, 1048576\]"),
])
def test_vector_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ChannelVectorEnv(**{"num_envs": 2, **kwargs})


def test_vector_env_next_step_autoreset_and_seeds():
    n = 4
    env = gym.make_vec("netgym/WifiChannel-v0", num_envs=n, vectorization_mode="vector_entry_point",
                       max_steps=10, distance_m=51.0)
    assert isinstance(env.unwrapped, ChannelVectorEnv)
    assert env.metadata["autoreset_mode"] == gym.vector.AutoresetMode.NEXT_STEP
    obs, _ = env.reset(seed=100)
    assert obs.shape == (n, 8, 2)
    trace = []
    for t in range(22):
        obs, r, term, trunc, _ = env.step(np.array([1, 2, 3, 0]))
        trace.append(r.copy())
        assert r.shape == (n,) and r.dtype == np.float64 and trunc.dtype == np.bool_
        assert not term.any()
        assert trunc.all() == (t in (9, 20)), t
        if t == 10:  # the step after truncation resets: reward 0, first observation
            assert not r.any() and not obs.any()
        assert r[3] == 0.0, "env 3 sends nothing"
    with pytest.raises(ValueError, match=r"actions\[2\]=4 out of range \[0, 3\]"):
        env.step(np.array([0, 0, 4, 0]))
    # the same seed replays bit for bit; sub-env i is seeded 100 + i
    env.reset(seed=100)
    again = [env.step(np.array([1, 2, 3, 0]))[1].copy() for _ in range(10)]
    np.testing.assert_array_equal(np.array(trace[:10]), np.array(again))
    env.close()


def test_vector_env_matches_single_envs():
    v = ChannelVectorEnv(3, distance_m=51.0, max_steps=50)
    vo, _ = v.reset(seed=7)
    singles = [gym.make("netgym/WifiChannel-v0", distance_m=51.0, max_steps=50) for _ in range(3)]
    for i, e in enumerate(singles):
        o, _ = e.reset(seed=7 + i)
        np.testing.assert_array_equal(o, vo[i])
    for t in range(60):
        acts = np.array([(t + i) % 4 for i in range(3)])
        vo, vr, _, vtr, _ = v.step(acts)
        for i, e in enumerate(singles):
            if t == 50:  # NEXT_STEP: the vector resets here, the single env by hand
                o, _ = e.reset()
                r = 0.0
            else:
                o, r, _, _, _ = e.step(int(acts[i]))
            np.testing.assert_array_equal(o, vo[i], err_msg=f"step {t} env {i}")
            assert r == vr[i]
    v.close()


def test_sync_vector_env_of_single_envs():
    env = gym.make_vec("netgym/WifiChannel-v0", num_envs=2, vectorization_mode="sync", max_steps=20)
    obs, _ = env.reset(seed=1)
    assert obs.shape == (2, 8, 2)
    obs, r, *_ = env.step(np.array([1, 1]))
    assert r.shape == (2,)
    env.close()


def test_networked_vector_env():
    from netgym.vector import NetworkedVectorEnv

    env = NetworkedVectorEnv("CartPole-v1", 4, distance_m=10.0, buffer_size=5)
    assert env.single_observation_space["observations"].shape == (5, 4)
    obs, _ = env.reset(seed=3)
    assert not obs["recv_mask"].any() and not obs["observations"].any()
    done = np.zeros(4, dtype=bool)
    newest = []
    for t in range(300):
        obs, r, term, trunc, _ = env.step(np.array([t % 2] * 4))
        # an episode that ended was reset at this step: NetRL's empty buffer
        assert not obs["recv_mask"][done].any() and not obs["observations"][done].any()
        newest.append(obs["recv_mask"][~done, -1].mean() if (~done).any() else 1.0)
        done = term | trunc
    # at 10 m every state arrives within its step, but for the first steps
    # of each episode (a new simulation run: ARP resolves again)
    assert np.mean(newest[20:]) > 0.6
    with pytest.raises(ValueError, match=r"buffer_size=0 out of range"):
        NetworkedVectorEnv("CartPole-v1", 2, buffer_size=0)
    with pytest.raises(TypeError, match="must be a Box"):
        NetworkedVectorEnv("Blackjack-v1", 2)
    env.close()


def test_async_vector_env_with_spawn():
    # The documented route around fork(): Gymnasium's AsyncVectorEnv with
    # the spawn start method; each worker loads netgym's library itself.
    env = gym.make_vec("netgym/WifiChannel-v0", num_envs=2, vectorization_mode="async",
                       vector_kwargs={"context": "spawn"}, max_steps=50)
    try:
        obs, _ = env.reset(seed=1)
        for _ in range(30):
            obs, r, *_ = env.step(np.array([1, 1]))
        assert obs.shape == (2, 8, 2) and r.tolist() == [1.0, 1.0]
    finally:
        env.close()
