# SPDX-License-Identifier: GPL-2.0-only
"""Drives the real scenarios/opengym and multi-agent-counters binaries
through netgym.NetgymEnv and NetgymMultiAgentEnv (the installed package's
binaries, or $NETGYM_OPENGYM_BIN / $NETGYM_COUNTERS_BIN)."""

import gc
import os
import time
import unittest

import numpy as np

import netgym
from conftest import binary


class OpengymEpisode(unittest.TestCase):
    def setUp(self):
        self.bin = binary("opengym", "NETGYM_OPENGYM_BIN")

    def test_episode(self):
        env = netgym.NetgymEnv(self.bin, args=["--simTime=1", "--stepTime=0.1", "--quiet"], port=0)
        try:
            self.assertEqual(env.action_space.n, 5)
            self.assertEqual(tuple(env.observation_space.shape), (5,))
            obs, info = env.reset()
            self.assertEqual(obs.shape, (5,))
            self.assertEqual(obs.dtype, np.uint32)
            self.assertTrue(np.all(obs <= 10))
            self.assertEqual(info["info"], "testInfo|123")
            rewards, steps = [], 0
            while True:
                obs, reward, terminated, truncated, info = env.step(steps % 5)
                steps += 1
                rewards.append(reward)
                self.assertEqual(obs.shape, (5,))
                if terminated or truncated:
                    break
            # 1 s of 0.1 s steps: the simulation ends at the 10th action;
            # the reward grows by 1 per state (the first, 1, came with reset)
            self.assertEqual(steps, 10)
            self.assertTrue(truncated, "the end of the simulation is truncation")
            self.assertFalse(terminated)
            self.assertEqual(rewards, [float(r) for r in range(2, 12)])
            # a new episode starts a new simulation run
            obs, _ = env.reset()
            self.assertEqual(obs.shape, (5,))
            _, reward, _, _, _ = env.step(0)
            self.assertEqual(reward, 2.0)
        finally:
            env.close()

    def test_seeded_reset_replays(self):
        # reset(seed=s) is simulation run s: the same observations again
        env = netgym.NetgymEnv(self.bin, args=["--simTime=1", "--stepTime=0.1", "--quiet"], port=0)
        try:
            a, _ = env.reset(seed=7)
            a1 = env.step(0)[0]
            b, _ = env.reset(seed=8)
            c, _ = env.reset(seed=7)
            c1 = env.step(0)[0]
            np.testing.assert_array_equal(a, c)
            np.testing.assert_array_equal(a1, c1)
            self.assertFalse(np.array_equal(np.concatenate([a, a1]), np.concatenate([b, env.step(0)[0]])))
        finally:
            env.close()

    def test_dead_simulator_is_reported_quickly(self):
        # a simulation that exits at once (bad flag) is noticed within 1 s
        start = time.monotonic()
        with self.assertRaises(netgym.SimulatorError) as cm:
            netgym.NetgymEnv(self.bin, args=["--simTime=-1"], port=0, startup_timeout=10)
        self.assertLess(time.monotonic() - start, 1.0)
        self.assertIn("exited with status", str(cm.exception))


class CountersMultiAgent(unittest.TestCase):
    """scenarios/multi-agent-counters served turn by turn: 3 agents, one
    decision per second each, 60 s episodes."""

    def test_episode_and_reset(self):
        env = netgym.NetgymMultiAgentEnv(binary("multi-agent-counters", "NETGYM_COUNTERS_BIN"), port=0)
        try:
            self.assertEqual(sorted(env.action_spaces), ["agent_0", "agent_1", "agent_2"])
            self.assertEqual(env.action_spaces["agent_1"].n, 11)
            for episode in range(2):
                obs, info = env.reset()
                self.assertEqual(len(obs), 1, "one agent's turn at a time")
                turns, per_agent = 0, {}
                while True:
                    agent = next(iter(obs))
                    obs, rew, term, trunc, info = env.step({agent: 5})  # action 5 = +0
                    turns += 1
                    per_agent[agent] = per_agent.get(agent, 0) + 1
                    if term["__all__"] or trunc["__all__"]:
                        break
                    for r in rew.values():
                        self.assertLessEqual(r, 0.0, "reward is -|counter|")
                self.assertEqual(turns, 180, f"episode {episode}")
                self.assertEqual(per_agent, {"agent_0": 60, "agent_1": 60, "agent_2": 60})
                self.assertTrue(trunc["__all__"], "the end of the simulation is truncation")
                self.assertFalse(term["__all__"])
        finally:
            env.close()


if __name__ == "__main__":
    unittest.main()


def _children():
    me = str(os.getpid())
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:  # zombies count: an unreaped simulation
                out.append(int(d))
    return out


def test_dropped_pipe_envs_leave_nothing_behind():
    # Environments dropped without close() (garbage collection): their
    # simulations are killed and their sockets closed.
    exe = binary("opengym", "NETGYM_OPENGYM_BIN")
    gc.collect()
    fds = len(os.listdir("/proc/self/fd"))
    for i in range(30):
        env = netgym.NetgymEnv(exe, args=["--simTime=1", "--stepTime=0.1", "--quiet"], port=0)
        env.reset()
        env.step(0)
        del env
    gc.collect()
    assert _children() == []
    assert len(os.listdir("/proc/self/fd")) <= fds + 2
