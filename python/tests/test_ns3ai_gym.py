# SPDX-License-Identifier: GPL-2.0-only
"""netgym.ns3ai.Ns3Env, ns3-ai's Gym interface in pure Python, against the
real scenario binaries served with --ns3ai (scenarios/opengym, rl-wifi,
ns3ai-apb --gym through the scenarios/ns3 launcher), and its errors.

Run: NETGYM_OPENGYM_BIN=... NETGYM_NS3AI_APB_BIN=... NETGYM_NS3_LAUNCHER=... \
     /usr/bin/python3 -m unittest discover -s python/tests
(.ci/run builds the binaries and sets the variables.)
"""

import ctypes
import os
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

try:
    import numpy as np
    from netgym.ns3ai import gym as ngym
except ImportError as e:  # pragma: no cover - protobuf or numpy missing
    ngym = None
    _missing = str(e)
from netgym import ns3ai  # noqa: E402

OPENGYM = os.environ.get("NETGYM_OPENGYM_BIN")
APB = os.environ.get("NETGYM_NS3AI_APB_BIN")
LAUNCHER = os.environ.get("NETGYM_NS3_LAUNCHER")


def seg_name(test):
    return "netgym-pygym-%d-%s" % (os.getpid(), test.id().rsplit(".", 1)[-1])


def script(test, body):
    """An executable shell script standing in for a simulation."""
    d = tempfile.mkdtemp()
    path = os.path.join(d, "sim.sh")
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body + "\n")
    os.chmod(path, 0o755)
    test.addCleanup(lambda: (os.unlink(path), os.rmdir(d)))
    return path


@unittest.skipIf(ngym is None, "netgym.ns3ai.gym needs protobuf and numpy")
class Messages(unittest.TestCase):
    def test_ns3ai_messages(self):
        # ns3-ai's package and SimInitMsg field numbers
        self.assertEqual(ngym.pb.SimInitMsg.DESCRIPTOR.full_name, "ns3_ai_gym.SimInitMsg")
        self.assertEqual({f.name: f.number for f in ngym.pb.SimInitMsg.DESCRIPTOR.fields},
                         {"obsSpace": 1, "actSpace": 2})
        c = ngym.value_to_proto(3, ngym.space_from_proto(self.discrete(5)))
        self.assertEqual(c.data.type_url, "type.googleapis.com/ns3_ai_gym.DiscreteDataContainer")
        self.assertEqual(ngym.value_from_proto(c), 3)
        self.assertEqual(ctypes.sizeof(ngym.GymMsg), 1028)

    def discrete(self, n):
        d = ngym.pb.SpaceDescription(type=ngym.pb.Discrete)
        d.space.Pack(ngym.pb.DiscreteSpace(n=n))
        return d


@unittest.skipIf(ngym is None or not OPENGYM, "NETGYM_OPENGYM_BIN is not set")
class OpenGymOverSharedMemory(unittest.TestCase):
    def env(self, **settings):
        settings.setdefault("quiet", "true")
        env = ngym.Ns3Env(OPENGYM, None, settings, segName=seg_name(self), timeout=10)
        self.addCleanup(env.close)
        return env

    def test_episode_and_reset(self):
        env = self.env(simTime=1, stepTime=0.1)
        self.assertEqual(env.action_space.n, 5)
        self.assertEqual(env.observation_space.shape, (5,))
        obs, info = env.reset()
        self.assertEqual(obs.shape, (5,))
        self.assertEqual(info, {"info": "testInfo|123"})
        steps, rewards = 0, []
        while True:
            obs, reward, terminated, truncated, info = env.step(steps % 5)
            steps += 1
            rewards.append(reward)
            if terminated or truncated:
                break
        # ns3-gym's first example: 10 steps of 0.1 s, reward + 1 each step,
        # the end of the simulation is a truncation
        self.assertEqual(steps, 10)
        self.assertEqual(rewards, [float(r) for r in range(2, 12)])
        self.assertTrue(truncated)
        self.assertFalse(terminated)
        with self.assertRaises(ns3ai.Ns3AiError):
            env.step(0)
        first, _ = env.reset(seed=1)
        again, _ = env.reset(seed=1)
        np.testing.assert_array_equal(first, again)  # same run number, same episode

    def test_simulation_dies_mid_exchange(self):
        env = self.env(simTime=100)
        env.reset()
        env.step(1)
        env.exp.proc.kill()
        start = time.monotonic()
        with self.assertRaises(ns3ai.Ns3AiPeerGone) as cm:
            env.step(1)
            env.step(1)
        self.assertLess(time.monotonic() - start, 5)
        self.assertIn("exited", str(cm.exception))

    def test_timeout(self):
        silent = script(self, "sleep 30")
        start = time.monotonic()
        with self.assertRaises(ns3ai.Ns3AiTimeout):
            ngym.Ns3Env(silent, None, segName=seg_name(self), timeout=0.3, gym_flag=False)
        self.assertLess(time.monotonic() - start, 5)

    def test_wrong_layout(self):
        # A-Plus-B's message-interface target opens the Gym segment: its
        # structs are 8 and 4 bytes, the Gym's 1028
        if not APB:
            self.skipTest("NETGYM_NS3AI_APB_BIN is not set")
        with self.assertRaises(ns3ai.Ns3AiPeerGone) as cm:
            ngym.Ns3Env(APB, None, {"handleFinish": "false", "timeout": 5}, segName=seg_name(self), timeout=10,
                        gym_flag=False)
        self.assertIn("holds 1028-byte elements aligned to 4; the Go type ns3ai.APBEnv is 8 bytes", str(cm.exception))
        self.assertIn("status 1", str(cm.exception))


@unittest.skipIf(ngym is None or not (APB and LAUNCHER), "NETGYM_NS3AI_APB_BIN and NETGYM_NS3_LAUNCHER are not set")
class APlusBGymThroughLauncher(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp()
        os.symlink(os.path.abspath(LAUNCHER), os.path.join(self.root, "ns3"))
        self.old = os.environ.get("NETGYM_NS3_BIN_DIR")
        os.environ["NETGYM_NS3_BIN_DIR"] = os.path.dirname(os.path.abspath(APB))

    def tearDown(self):
        os.unlink(os.path.join(self.root, "ns3"))
        os.rmdir(self.root)
        if self.old is None:
            del os.environ["NETGYM_NS3_BIN_DIR"]
        else:
            os.environ["NETGYM_NS3_BIN_DIR"] = self.old

    def test_apb_gym(self):
        # ns3-ai's use-gym/apb.py agent, on target ns3ai_apb_gym
        env = ngym.Ns3Env("ns3ai_apb_gym", self.root, {"rounds": 40, "quiet": "true"}, segName=seg_name(self))
        self.addCleanup(env.close)
        self.assertEqual(env.observation_space.shape, (2,))
        self.assertEqual(env.action_space.shape, (1,))
        obs, _ = env.reset()
        n = 0
        while True:
            obs, reward, terminated, truncated, info = env.step([obs[0] + obs[1]])
            n += 1
            if terminated or truncated:
                break
        self.assertEqual(n, 40)
        self.assertTrue(truncated)

    def test_action_too_large(self):
        env = ngym.Ns3Env("ns3ai_apb_gym", self.root, {"rounds": 5, "quiet": "true", "timeout": 5},
                          segName=seg_name(self))
        self.addCleanup(env.close)
        env.reset()
        with self.assertRaises(ns3ai.Ns3AiError) as cm:
            env.step(np.arange(400) + 100000)
        self.assertIn("does not fit ns3-ai's 1024-byte Gym buffer", str(cm.exception))

    def test_wrong_sum_is_the_simulations_error(self):
        env = ngym.Ns3Env("ns3ai_apb_gym", self.root, {"rounds": 5, "quiet": "true"}, segName=seg_name(self))
        self.addCleanup(env.close)
        obs, _ = env.reset()
        with self.assertRaises(ns3ai.Ns3AiPeerGone) as cm:
            env.step([obs[0] + obs[1] + 1])
        self.assertIn("A-Plus-B round 0", str(cm.exception))


@unittest.skipIf(ngym is None, "netgym.ns3ai.gym needs protobuf and numpy")
class SimulationSideErrors(unittest.TestCase):
    """A simulation played in a thread (Cpp* methods of an opener) tells the
    agent about an observation too large for the buffer, as rl/ns3ai does."""

    def play(self, seg, sends):
        def run():
            deadline = time.monotonic() + 10
            while True:
                try:
                    sim = ns3ai.Ns3AiMsgInterfaceImpl(ngym.GymMsg, ngym.GymMsg, False, False, False,
                                                      4096, seg, timeout=1)
                    break
                except ns3ai.Ns3AiError:
                    if time.monotonic() > deadline:
                        return
                    time.sleep(0.01)
            try:
                for m in sends:
                    data = m.SerializeToString() if m is not None else b""
                    sim.CppSendBegin()
                    s = sim.GetCpp2PyStruct()
                    ctypes.memmove(ctypes.addressof(s.buffer), data, len(data))
                    s.size = len(data) if m is not None else 5000
                    sim.CppSendEnd()
                    sim.CppRecvBegin()
                    sim.CppRecvEnd()
            except ns3ai.Ns3AiError:
                pass
            finally:
                sim.close()

        t = threading.Thread(target=run, daemon=True)
        t.start()
        self.addCleanup(t.join, 10)

    def test_notice_of_a_too_large_observation(self):
        seg = seg_name(self)
        final = ngym.pb.EnvStateMsg(isGameOver=True, reason=ngym.pb.GameOver,
                                    info=ngym.GYM_ERROR_INFO + "ns3ai: message larger than the shared buffer: 1500 bytes")
        self.play(seg, [ngym.pb.SimInitMsg(), final])
        with self.assertRaises(ns3ai.Ns3AiError) as cm:
            ngym.Ns3Env(script(self, "sleep 3"), None, segName=seg, timeout=5, gym_flag=False)
        self.assertIn("the simulation ended the episode: ns3ai: message larger than the shared buffer: 1500 bytes",
                      str(cm.exception))

    def test_length_beyond_the_buffer(self):
        seg = seg_name(self)
        self.play(seg, [None])
        with self.assertRaises(ns3ai.Ns3AiError) as cm:
            ngym.Ns3Env(script(self, "sleep 3"), None, segName=seg, timeout=5, gym_flag=False)
        self.assertIn("length 5000 beyond the 1024-byte buffer", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
