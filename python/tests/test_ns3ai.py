# SPDX-License-Identifier: GPL-2.0-only
"""Drives the real scenarios/ns3ai-apb binary (and the scenarios/ns3
launcher) through netgym.ns3ai, netgym's pure-Python ns3-ai message
interface.

Run: NETGYM_NS3AI_APB_BIN=/path/to/ns3ai-apb NETGYM_NS3_LAUNCHER=/path/to/ns3 \
     /usr/bin/python3 -m unittest discover -s python/tests
(.ci/run builds both and sets the variables.)
"""

import ctypes
import ctypes.util
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from netgym import ns3ai  # noqa: E402
from netgym.ns3ai import apb  # noqa: E402

APB = os.environ.get("NETGYM_NS3AI_APB_BIN")
LAUNCHER = os.environ.get("NETGYM_NS3_LAUNCHER")
FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "rl", "ns3ai", "testdata", "boost174-amd64-stru.seg")


def seg_name(test):
    return "netgym-pytest-%d-%s" % (os.getpid(), test.id().rsplit(".", 1)[-1])


def serve_struct(msg, before_answer=None):
    """ns3-ai's apb.py loop (use-msg-stru); returns the rounds answered.
    before_answer(round), if given, runs before each answer is posted."""
    n = 0
    while True:
        msg.PyRecvBegin()
        if msg.PyGetFinished():
            return n
        s = msg.GetCpp2PyStruct().a + msg.GetCpp2PyStruct().b
        msg.PyRecvEnd()
        msg.PySendBegin()
        msg.GetPy2CppStruct().c = s
        if before_answer is not None:
            before_answer(n)
        msg.PySendEnd()
        n += 1


def serve_vector(msg):
    """ns3-ai's apb.py loop (use-msg-vec: it sends before it ends receiving)."""
    n = 0
    while True:
        msg.PyRecvBegin()
        if msg.PyGetFinished():
            return n
        msg.PySendBegin()
        env, act = msg.GetCpp2PyVector(), msg.GetPy2CppVector()
        for i in range(len(env)):
            act[i].c = env[i].a + env[i].b
        msg.PyRecvEnd()
        msg.PySendEnd()
        n += 1


@unittest.skipIf(not APB, "NETGYM_NS3AI_APB_BIN is not set")
class APlusB(unittest.TestCase):
    def experiment(self, module=apb.stru, **kw):
        kw.setdefault("handleFinish", True)
        exp = ns3ai.Experiment(APB, None, module, segName=seg_name(self), **kw)
        self.addCleanup(exp.close)
        return exp

    def test_struct(self):
        exp = self.experiment()
        msg = exp.run(setting={"segName": seg_name(self), "rounds": 300, "quiet": "true"})
        self.assertEqual(serve_struct(msg), 300)
        self.assertEqual(ns3ai.check_exit(exp), 0)

    def test_vector(self):
        exp = self.experiment(apb.vec, useVector=True, vectorSize=5)
        self.assertEqual(len(exp.msgInterface.GetCpp2PyVector()), 5)
        msg = exp.run(setting={"segName": seg_name(self), "rounds": 200, "vector": "true", "stats": "true"})
        self.assertEqual(serve_vector(msg), 200)
        ns3ai.check_exit(exp)
        self.assertRegex(exp.stderr(), r"^rounds=199 p50=[\d.]+us p90=[\d.]+us p99=[\d.]+us mean=[\d.]+us\n$")

    @unittest.skipIf(not LAUNCHER, "NETGYM_NS3_LAUNCHER is not set")
    def test_through_the_ns3_launcher(self):
        # the folder layout of docs/ns3ai.md: ROOT/ns3 and ROOT/build/netgym/ns3ai-apb
        root = tempfile.mkdtemp()
        os.makedirs(os.path.join(root, "build", "netgym"))
        os.symlink(os.path.abspath(LAUNCHER), os.path.join(root, "ns3"))
        os.symlink(os.path.abspath(APB), os.path.join(root, "build", "netgym", "ns3ai-apb"))
        exp = ns3ai.Experiment("ns3ai_apb_msg_vec", root, apb.vec, handleFinish=True, useVector=True,
                               vectorSize=3, segName=seg_name(self))
        self.addCleanup(exp.close)
        self.assertEqual(exp.command({"rounds": 40}),
                         [os.path.join(root, "ns3"), "run", "ns3ai_apb_msg_vec", "--", "--rounds=40"])
        msg = exp.run(setting={"segName": seg_name(self), "rounds": 40, "quiet": "true"})
        self.assertEqual(serve_vector(msg), 40)
        ns3ai.check_exit(exp)

    def test_simulation_creates_the_segment(self):
        # netgym creates the segment itself (--create); Python opens it
        name = seg_name(self)
        proc = subprocess.Popen([APB, "--create", "--segName=" + name, "--rounds=50", "--quiet",
                                 "--peerPid=%d" % os.getpid()], stderr=subprocess.PIPE)
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.kill)
        msg = apb.stru.Ns3AiMsgInterfaceImpl(False, False, True, 4096, name, timeout=10)
        msg.peer_alive = lambda: proc.poll() is None
        self.addCleanup(msg.close)
        self.assertEqual(serve_struct(msg), 50)
        self.assertEqual(proc.wait(10), 0, proc.stderr.read())

    def test_simulation_dies_mid_exchange(self):
        exp = self.experiment()
        msg = exp.run(setting={"segName": seg_name(self), "rounds": 1000, "quiet": "true"})
        for _ in range(10):
            msg.PyRecvBegin()
            s = msg.GetCpp2PyStruct().a + msg.GetCpp2PyStruct().b
            msg.PyRecvEnd()
            msg.PySendBegin()
            msg.GetPy2CppStruct().c = s
            msg.PySendEnd()
        exp.proc.kill()
        start = time.monotonic()
        with self.assertRaises(ns3ai.Ns3AiPeerGone):
            serve_struct(msg)
        self.assertLess(time.monotonic() - start, 5, "not the 60 s timeout")

    @unittest.skipIf(not sys.platform.startswith("linux") or os.environ.get("NETGYM_NS3AI_NO_WAKE") == "1"
                     or not ctypes.util.find_library("atomic"),
                     "FUTEX_WAKE: Linux with libatomic, waking on")
    def test_slow_agent_wakes_the_blocked_simulation(self):
        # An agent that thinks (a neural network) for 3 ms: after three
        # such answers it says it wakes sleepers, the Go simulation waiting
        # for its answer then blocks in FUTEX_WAIT (its bit in the sleepers
        # word), and every answer wakes it. A fast agent never says so (its
        # posts stay plain stores), and an agent that turns fast stops.
        exp = self.experiment()
        msg = exp.run(setting={"segName": seg_name(self), "rounds": 32, "quiet": "true"})
        seg = msg._seg
        self.assertIsNotNone(seg._waker, "libatomic and futex(2) are available here")

        def before_answer(r):
            if r < 4:
                self.assertEqual(seg.wakers() & 2, 0, "round %d: a fast agent does not wake" % r)
            elif r < 7:
                time.sleep(0.003)
            elif r < 12:
                deadline = time.monotonic() + 5
                while not seg.sleepers() & 1 and time.monotonic() < deadline:
                    time.sleep(0.001)
                self.assertEqual(seg.sleepers() & 1, 1, "round %d: the simulation does not block" % r)
                self.assertEqual(seg.wakers() & 3, 3, "both sides wake sleepers")
            elif r == 12:
                self.assertGreaterEqual(seg._waker.wakes, 5, "rounds 7-11 woke the simulation")

        self.assertEqual(serve_struct(msg, before_answer), 32)
        self.assertEqual(seg.wakers() & 2, 0, "20 fast answers: the agent stopped waking")
        self.assertEqual(ns3ai.check_exit(exp), 0)

    @unittest.skipIf(not ctypes.util.find_library("atomic"), "libatomic (Debian: libatomic1)")
    def test_processors_without_program_order(self):
        # arm64's path (counters through libatomic's sequentially
        # consistent loads and stores), run here on any processor, with
        # and without waking the simulation
        from netgym.ns3ai import segment
        for wake in ("1", "0"):
            with self.subTest(wake=wake):
                old_tso, old_env = segment._TSO, os.environ.get("NETGYM_NS3AI_NO_WAKE")
                segment._TSO = False
                os.environ["NETGYM_NS3AI_NO_WAKE"] = "0" if wake == "1" else "1"
                try:
                    exp = ns3ai.Experiment(APB, None, apb.stru, handleFinish=True,
                                           segName=seg_name(self) + wake)
                    self.addCleanup(exp.close)
                    msg = exp.run(setting={"segName": seg_name(self) + wake, "rounds": 200, "quiet": "true"})
                finally:
                    segment._TSO = old_tso
                    if old_env is None:
                        del os.environ["NETGYM_NS3AI_NO_WAKE"]
                    else:
                        os.environ["NETGYM_NS3AI_NO_WAKE"] = old_env
                self.assertIsNotNone(msg._seg._atomics)
                self.assertEqual(msg._seg._waker is not None, wake == "1" and sys.platform.startswith("linux"))
                self.assertEqual(serve_struct(msg), 200)
                self.assertEqual(ns3ai.check_exit(exp), 0)

    def test_agent_that_stops_answering_times_out_the_simulation(self):
        exp = self.experiment()
        msg = exp.run(setting={"segName": seg_name(self), "rounds": 10, "quiet": "true", "timeout": 0.2})
        msg.PyRecvBegin()
        msg.PyRecvEnd()  # and never sends the sum
        with self.assertRaises(ns3ai.Ns3AiPeerGone) as cm:
            ns3ai.check_exit(exp)
        self.assertIn("round 0: ns3ai: peer did not answer in time", str(cm.exception))
        self.assertIn("counter py2cpp full", str(cm.exception))

    def test_wrong_answer_is_an_error(self):
        exp = self.experiment()
        msg = exp.run(setting={"segName": seg_name(self), "rounds": 10, "quiet": "true"})
        msg.PyRecvBegin()
        msg.PyRecvEnd()
        msg.PySendBegin()
        msg.GetPy2CppStruct().c = 99
        msg.PySendEnd()
        with self.assertRaises(ns3ai.Ns3AiPeerGone) as cm:
            ns3ai.check_exit(exp)
        self.assertRegex(str(cm.exception), r"round 0: the agent answered 99 for \d+\+\d+")

    def test_struct_of_another_size_is_refused_by_the_simulation(self):
        class Env3(ctypes.Structure):
            _fields_ = [("a", ctypes.c_uint32), ("b", ctypes.c_uint32), ("x", ctypes.c_uint32)]

        exp = self.experiment(ns3ai.msg_module(Env3, apb.ActStruct))
        exp.run(setting={"segName": seg_name(self), "quiet": "true"})
        with self.assertRaises(ns3ai.Ns3AiPeerGone) as cm:
            ns3ai.check_exit(exp)
        self.assertIn('object "My Cpp to Python Msg" holds 12-byte elements aligned to 4; the Go type '
                      'ns3ai.APBEnv is 8 bytes aligned to 4', str(cm.exception))

    def test_interface_mismatch_is_refused(self):
        exp = self.experiment(apb.vec, useVector=True, vectorSize=2)
        exp.run(setting={"segName": seg_name(self), "quiet": "true"})  # without --vector
        with self.assertRaises(ns3ai.Ns3AiPeerGone) as cm:
            ns3ai.check_exit(exp)
        self.assertIn("the creator chose the vector interface; this side opened the struct one", str(cm.exception))


@unittest.skipIf(not APB, "NETGYM_NS3AI_APB_BIN is not set")
class AgentDies(unittest.TestCase):
    def test_simulation_notices_a_dead_agent(self):
        # a Python agent that starts the simulation, answers 5 rounds and
        # dies (os._exit: no cleanup, the segment stays); the simulation
        # (its stderr is this test's pipe) reports the dead peer and exits
        # long before its 30 s timeout
        name = seg_name(self)
        script = textwrap.dedent("""
            import os, sys
            sys.path.insert(0, %r)
            from netgym.ns3ai import Experiment, apb
            exp = Experiment(%r, None, apb.stru, handleFinish=True, segName=%r)
            msg = exp.run(setting={"segName": %r, "rounds": 100, "quiet": "true", "timeout": 30}, show_output=True)
            for _ in range(5):
                msg.PyRecvBegin(); s = msg.GetCpp2PyStruct().a + msg.GetCpp2PyStruct().b; msg.PyRecvEnd()
                msg.PySendBegin(); msg.GetPy2CppStruct().c = s; msg.PySendEnd()
            print(os.getpid(), exp.proc.pid, flush=True)
            os._exit(0)
        """) % (os.path.join(os.path.dirname(__file__), ".."), APB, name, name)
        self.addCleanup(lambda: os.path.exists("/dev/shm/" + name) and os.unlink("/dev/shm/" + name))
        start = time.monotonic()
        child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        agent_pid, sim_pid = map(int, child.stdout.split())
        # the simulation inherited the pipes, so run() returned when it
        # exited too
        self.assertLess(time.monotonic() - start, 15)
        self.assertFalse(running(sim_pid), "the simulation exited")
        self.assertIn("ns3ai-apb: round 5: ns3ai: peer is gone: peer process [%d] exited" % agent_pid, child.stderr)


def running(pid):
    """Whether pid exists and is not a zombie (an orphan may stay one
    where pid 1 does not reap)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


class Layout(unittest.TestCase):
    def test_python_creator_and_opener(self):
        name = seg_name(self)
        creator = apb.vec.Ns3AiMsgInterfaceImpl(True, True, True, 4096, name)
        self.addCleanup(creator.close)
        self.assertEqual(creator.GetCpp2PyVector().capacity, 304)
        creator.GetCpp2PyVector().resize(4)
        creator.GetPy2CppVector().resize(4)
        opener = apb.vec.Ns3AiMsgInterfaceImpl(False, True, True, 4096, name)
        self.addCleanup(opener.close)
        # the opener plays the simulation: one round and the end mark
        opener.CppSendBegin()
        for i, e in enumerate(opener.GetCpp2PyVector()):
            e.a, e.b = i, 10
        opener.CppSendEnd()
        creator.PyRecvBegin()
        self.assertFalse(creator.PyGetFinished())
        creator.PySendBegin()
        for i in range(4):
            creator.GetPy2CppVector()[i].c = creator.GetCpp2PyVector()[i].a + creator.GetCpp2PyVector()[i].b
        creator.PyRecvEnd()
        creator.PySendEnd()
        opener.CppRecvBegin()
        self.assertEqual([x.c for x in opener.GetPy2CppVector()], [10, 11, 12, 13])
        opener.CppRecvEnd()
        opener.CppSetFinished()
        creator.PyRecvBegin()
        self.assertTrue(creator.PyGetFinished())

    def test_refusals(self):
        name = seg_name(self)
        creator = apb.stru.Ns3AiMsgInterfaceImpl(True, False, True, 4096, name)
        self.addCleanup(creator.close)

        class Big(ctypes.Structure):
            _fields_ = [("a", ctypes.c_uint64)]

        cases = [
            (lambda: ns3ai.msg_module(Big, apb.ActStruct).Ns3AiMsgInterfaceImpl(False, False, True, 4096, name),
             ns3ai.Ns3AiLayoutError, "holds 8-byte elements aligned to 4; Big is 8 bytes aligned to 8"),
            (lambda: apb.vec.Ns3AiMsgInterfaceImpl(False, True, True, 4096, name),
             ns3ai.Ns3AiLayoutError, "the creator chose the struct interface, this side the vector one"),
            (lambda: apb.stru.Ns3AiMsgInterfaceImpl(False, False, False, 4096, name),
             ns3ai.Ns3AiLayoutError, "the creator set handleFinish=True, this side False"),
            (lambda: apb.stru.Ns3AiMsgInterfaceImpl(False, False, True, 4096, name, "Other Msg"),
             ns3ai.Ns3AiLayoutError, "no object named 'Other Msg' in the segment"),
            (lambda: apb.stru.Ns3AiMsgInterfaceImpl(False, False, True, 4096, "netgym-no-such-seg", timeout=0.05),
             ns3ai.Ns3AiError, "segment 'netgym-no-such-seg' (/dev/shm/netgym-no-such-seg) does not exist"),
            (lambda: apb.vec.Ns3AiMsgInterfaceImpl(True, True, True, 4096, name + "-v").GetCpp2PyVector().resize(1000),
             ns3ai.Ns3AiError, "vector size 1000 exceeds the 304 elements the segment holds: raise shmSize"),
            (lambda: apb.stru.Ns3AiMsgInterfaceImpl(True, False, True, 100, name + "-s"),
             ValueError, "segment size 100 out of range"),
        ]
        for make, exc, text in cases:
            with self.subTest(text=text):
                with self.assertRaises(exc) as cm:
                    make()
                self.assertIn(text, str(cm.exception))

    def test_opener_waits_for_a_creator_still_at_work(self):
        # The creator's steps, slowed down: the file made, empty; then
        # sized, zeros; then the header and READY (a creator in another
        # process takes them in microseconds, and an opener can come in
        # between: once a test of the Go creator failed so).
        name = seg_name(self)
        path = "/dev/shm/" + name
        template = apb.stru.Ns3AiMsgInterfaceImpl(True, False, True, 4096, name + "-t")
        self.addCleanup(template.close)
        with open("/dev/shm/" + name + "-t", "rb") as f:
            image = f.read()
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        self.addCleanup(lambda: os.path.exists(path) and os.unlink(path))

        def create():
            time.sleep(0.05)
            os.ftruncate(fd, len(image))
            time.sleep(0.05)
            os.pwrite(fd, image, 0)
            os.close(fd)

        t = threading.Thread(target=create)
        t.start()
        opener = apb.stru.Ns3AiMsgInterfaceImpl(False, False, True, 4096, name, timeout=5)
        self.addCleanup(opener.close)
        t.join()
        self.assertEqual(opener._seg.mm[0:8], image[0:8])
        # Still empty when the wait ends: the size is the error.
        name2 = seg_name(self) + "-empty"
        open("/dev/shm/" + name2, "wb").close()
        self.addCleanup(os.unlink, "/dev/shm/" + name2)
        with self.assertRaises(ns3ai.Ns3AiLayoutError) as cm:
            apb.stru.Ns3AiMsgInterfaceImpl(False, False, True, 4096, name2, timeout=0.05)
        self.assertIn("is 0 bytes", str(cm.exception))

    def test_boost_segment_is_for_the_go_side(self):
        name = seg_name(self)
        with open(FIXTURE, "rb") as f, open("/dev/shm/" + name, "wb") as g:
            g.write(f.read())
        self.addCleanup(os.unlink, "/dev/shm/" + name)
        with self.assertRaises(ns3ai.Ns3AiLayoutError) as cm:
            apb.stru.Ns3AiMsgInterfaceImpl(False, False, True, 4096, name)
        self.assertIn("is not in netgym's layout", str(cm.exception))

    def test_timeout(self):
        msg = apb.stru.Ns3AiMsgInterfaceImpl(True, False, True, 4096, seg_name(self), timeout=0.05)
        self.addCleanup(msg.close)
        with self.assertRaises(ns3ai.Ns3AiTimeout) as cm:
            msg.PyRecvBegin()
        self.assertIn("waited", str(cm.exception))
        self.assertIn("counter cpp2py full", str(cm.exception))

    def test_creator_removes_segment(self):
        name = seg_name(self)
        creator = apb.stru.Ns3AiMsgInterfaceImpl(True, False, True, 4096, name)
        opener = apb.stru.Ns3AiMsgInterfaceImpl(False, False, True, 4096, name)
        self.addCleanup(opener.close)
        creator.close()
        self.assertFalse(os.path.exists("/dev/shm/" + name))
        with self.assertRaises(ns3ai.Ns3AiPeerGone):
            opener.CppRecvBegin()


if __name__ == "__main__":
    unittest.main()
