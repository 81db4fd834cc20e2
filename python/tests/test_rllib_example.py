# SPDX-License-Identifier: GPL-2.0-only
"""The environment side of python/examples/rllib_netgym.py, without RLlib:
its make_env builds, for each EnvRunner's EnvContext, a netgym environment
over the real opengym binary, with float32 observations (RLlib's default
encoders) and a simulation seed of its own per worker and vector index."""

import importlib.util
import os

import numpy as np
import pytest

from conftest import binary

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "examples", "rllib_netgym.py")


def load_example():
    spec = importlib.util.spec_from_file_location("rllib_netgym_example", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # imports no Ray: RLlib is imported in main()
    return mod


class EnvContext(dict):
    """What RLlib hands make_env: env_config plus the worker's indices."""

    def __init__(self, env_config, worker_index, vector_index):
        super().__init__(env_config)
        self.worker_index = worker_index
        self.vector_index = vector_index


def episode(env, seed_steps=20):
    obs, _ = env.reset()
    seen = [obs]
    for _ in range(seed_steps):
        obs, _, terminated, truncated, _ = env.step(env.action_space.sample())
        seen.append(obs)
        if terminated or truncated:
            break
    return np.array(seen)


@pytest.mark.parametrize("worker,vector", [(1, 0), (2, 1)])
def test_make_env_float32_and_steps(worker, vector):
    mod = load_example()
    env = mod.make_env(EnvContext({"binary": binary("opengym"), "args": ["--simTime=2", "--stepTime=0.1"]}, worker, vector))
    try:
        assert env.observation_space.dtype == np.float32
        obs = episode(env)
        assert obs.dtype == np.float32
        assert len(obs) > 5
        assert all(env.observation_space.contains(o) for o in obs)
    finally:
        env.close()


def test_make_env_seeds_differ_by_worker():
    mod = load_example()
    cfg = {"binary": binary("opengym"), "args": ["--simTime=2", "--stepTime=0.1"]}
    runs = []
    for worker, vector in [(1, 0), (1, 0), (2, 0), (1, 1)]:
        env = mod.make_env(EnvContext(cfg, worker, vector))
        env.action_space.seed(7)
        try:
            runs.append(episode(env))
        finally:
            env.close()
    np.testing.assert_array_equal(runs[0], runs[1])  # same indices: same seed, same episode
    assert not np.array_equal(runs[0], runs[2])  # another worker
    assert not np.array_equal(runs[0], runs[3])  # another vector index
