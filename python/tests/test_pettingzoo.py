# SPDX-License-Identifier: GPL-2.0-only
"""netgym's multi-agent scenarios pass PettingZoo's AEC and Parallel API
tests; the turn order and episode length are the scenarios'."""

import pytest

pytest.importorskip("pettingzoo")

from pettingzoo.test import api_test, parallel_api_test  # noqa: E402

from conftest import binary  # noqa: E402
from netgym.pettingzoo import NetgymAECEnv, NetgymParallelEnv  # noqa: E402


@pytest.mark.parametrize("scenario", ["multi-agent-counters", "defiance-addition", "rl-wifi"])
def test_aec_api(scenario):
    env = NetgymAECEnv(binary(scenario))
    try:
        api_test(env, num_cycles=300)
    finally:
        env.close()


@pytest.mark.parametrize("scenario", ["multi-agent-counters", "defiance-addition", "rl-wifi"])
def test_parallel_api(scenario):
    env = NetgymParallelEnv(binary(scenario))
    try:
        parallel_api_test(env, num_cycles=300)
    finally:
        env.close()


def test_counters_aec_episode():
    # 3 agents, one decision per second each, 60 s: 180 turns, then every
    # agent is truncated (the end of the simulation) and removed.
    env = NetgymAECEnv(binary("multi-agent-counters"))
    env.reset(seed=3)
    assert env.possible_agents == ["agent_0", "agent_1", "agent_2"]
    turns = {a: 0 for a in env.possible_agents}
    for agent in env.agent_iter():
        obs, rew, term, trunc, info = env.last()
        if term or trunc:
            assert trunc and not term
            env.step(None)
            continue
        assert rew <= 0.0, "reward is -|counter|"
        turns[agent] += 1
        env.step(5)  # +0
    assert turns == {"agent_0": 60, "agent_1": 60, "agent_2": 60}
    assert env.agents == []
    env.close()


def test_counters_parallel_episode():
    env = NetgymParallelEnv(binary("multi-agent-counters"))
    obs, _ = env.reset(seed=3)
    assert set(obs) == {"agent_0", "agent_1", "agent_2"}
    steps = 0
    while env.agents:
        obs, rew, term, trunc, _ = env.step({a: 5 for a in env.agents})
        steps += 1
    assert steps == 60, "each parallel step is one turn of every agent"
    assert all(trunc.values()) and not any(term.values())
    env.close()


def test_seeded_resets_replay():
    # reset(seed=s) is simulation run s, also for the first reset
    env = NetgymAECEnv(binary("defiance-addition"))

    def trace(seed):
        env.reset(seed=seed)
        out = []
        for agent in env.agent_iter(40):
            obs, rew, term, trunc, _ = env.last()
            out.append((agent, int(obs), rew))
            env.step(None if term or trunc else 0)
        return out

    a = trace(4)
    assert trace(5) != a
    assert trace(4) == a
    env.close()
