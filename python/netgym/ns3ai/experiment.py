# SPDX-License-Identifier: GPL-2.0-only
"""ns3-ai's Experiment (python_utils/ns3ai_utils.py) for netgym: creates
the segment, starts the simulation, returns the message interface."""

import os
import subprocess
import tempfile
import time

from .segment import Ns3AiPeerGone


class Experiment:
    """ns3-ai's Experiment with the same arguments: creates the segment
    (netgym's layout) for msgModule's types, and run() starts the
    simulation and returns the message interface.

    targetName is started as ns3-ai does, `<ns3Path>/ns3 run <target> --
    --k=v ...` (netgym's ns3 launcher, scenarios/ns3), when ns3Path holds
    an executable `ns3`; otherwise targetName is the path of a netgym
    binary, run with `--k=v ...`. Differences from ns3-ai: the current
    directory is not changed (the simulation runs in ns3Path), several
    Experiments may exist, output not shown goes to /dev/null (ns3-ai pipes
    it unread, which blocks a talkative simulation), and a simulation that
    dies is reported as Ns3AiPeerGone by the next wait instead of exit(1).
    timeout bounds every wait (seconds)."""

    def __init__(self, targetName, ns3Path, msgModule, handleFinish=False, useVector=False,
                 vectorSize=None, shmSize=4096, segName="My Seg",
                 cpp2pyMsgName="My Cpp to Python Msg", py2cppMsgName="My Python to Cpp Msg",
                 lockableName="My Lockable", timeout=60.0):
        self.targetName = targetName
        self.ns3Path = ns3Path
        self.msgModule = msgModule
        self.handleFinish = handleFinish
        self.useVector = useVector
        self.vectorSize = vectorSize
        self.shmSize = shmSize
        self.segName = segName
        self.proc = None
        self.simCmd = None
        self._stderr = None
        if useVector and vectorSize is None:
            raise ValueError("ns3ai: using vector but vectorSize is unknown")
        self.msgInterface = msgModule.Ns3AiMsgInterfaceImpl(
            True, useVector, handleFinish, shmSize, segName, cpp2pyMsgName, py2cppMsgName,
            lockableName, timeout=timeout)
        if useVector:
            self.msgInterface.GetCpp2PyVector().resize(vectorSize)
            self.msgInterface.GetPy2CppVector().resize(vectorSize)

    def command(self, setting=None):
        """The command run() starts."""
        args = ["--{}={}".format(k, v) for k, v in (setting or {}).items()]
        launcher = os.path.join(self.ns3Path or ".", "ns3")
        if self.ns3Path is not None and os.access(launcher, os.X_OK) and not os.path.isdir(launcher):
            return [os.path.abspath(launcher), "run", self.targetName] + (["--"] + args if args else [])
        return [os.path.abspath(self.targetName)] + args

    def run(self, setting=None, show_output=False):
        """Starts the simulation and returns the message interface."""
        self.kill()
        if self._stderr is not None:
            self._stderr.close()
        self.simCmd = self.command(setting)
        env = dict(os.environ)
        env["NETGYM_NS3AI_PEER_PID"] = str(os.getpid())
        self._stderr = None if show_output else tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            self.simCmd, cwd=self.ns3Path or None, env=env, stdin=subprocess.DEVNULL,
            stdout=None if show_output else subprocess.DEVNULL,
            stderr=None if show_output else self._stderr)
        self.msgInterface.peer_alive = self.isalive
        return self.msgInterface

    def stderr(self):
        """What the simulation wrote on stderr (when not shown)."""
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def wait(self, timeout=10.0):
        """Waits for the simulation to exit and returns its exit status."""
        return self.proc.wait(timeout=timeout)

    def isalive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        """Stops the simulation if it still runs and removes the segment."""
        self.kill()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self.msgInterface is not None:
            self.msgInterface.close()
            self.msgInterface = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def check_exit(exp, timeout=10.0):
    """Waits for exp's simulation and raises Ns3AiPeerGone with its stderr
    when it failed."""
    rc = exp.wait(timeout)
    if rc != 0:
        raise Ns3AiPeerGone("ns3ai: the simulation exited with status %d: %s" % (rc, exp.stderr().strip()))
    return rc


__all__ = ["Experiment", "check_exit"]
