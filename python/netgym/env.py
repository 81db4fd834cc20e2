# SPDX-License-Identifier: GPL-2.0-only
"""Gym-style environments served by a netgym scenario over ns3-gym's protocol.

The agent side binds a ZeroMQ REP socket on tcp://*:<port>; the simulation
(a netgym scenario binary, or any ns3-gym simulation) connects with REQ and
sends SimInitMsg, then one state per step, each answered with an action.
"""

import os
import subprocess
import time
import weakref

import zmq

from . import messages_pb2 as pb
from .spaces import space_from_proto, value_from_proto, value_to_proto

try:
    import gymnasium as _gym

    _EnvBase = _gym.Env
except ImportError:  # pragma: no cover - depends on the machine
    _EnvBase = object


class SimulatorError(RuntimeError):
    """The simulation died, timed out or sent something malformed."""


class _Link:
    """The REP socket, the optional simulator process and dead-peer checks."""

    POLL_MS = 100  # a dead simulator is noticed within this much (and < 1 s)

    def __init__(self, port, timeout):
        self.timeout = timeout
        self.ctx = zmq.Context.instance()
        self.sock = self.ctx.socket(zmq.REP)
        self.sock.setsockopt(zmq.LINGER, 0)
        if port == 0:
            self.port = self.sock.bind_to_random_port("tcp://*")
        else:
            self.port = port
            self.sock.bind(f"tcp://*:{port}")
        self.proc = None

    def spawn(self, binary, args, sim_seed, cwd):
        """Starts a simulation connecting to this socket (None: one started by hand)."""
        if binary is None:
            return
        cmd = [binary, f"--openGymPort={self.port}", f"--simSeed={sim_seed}", *args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)

    def recv(self, msg, timeout=None):
        """Receives into msg, watching the simulator process while waiting."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            if self.sock.poll(self.POLL_MS, zmq.POLLIN):
                data = self.sock.recv()
                try:
                    msg.ParseFromString(data)
                except Exception as e:  # protobuf raises DecodeError
                    raise SimulatorError(f"netgym: malformed message from the simulation: {e}") from e
                return msg
            if self.proc is not None and self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace")[-2000:] if self.proc.stderr else ""
                raise SimulatorError(f"netgym: the simulation exited with status {self.proc.returncode}: {err.strip()}")
            if time.monotonic() > deadline:
                raise SimulatorError("netgym: no message from the simulation within the timeout")

    def send(self, msg):
        self.sock.send(msg.SerializeToString())

    def reap(self, wait=2.0):
        """Waits for the simulation to exit (it was told to stop), then kills it."""
        if self.proc is not None:
            try:
                self.proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            if self.proc.stderr:
                self.proc.stderr.close()
            self.proc = None

    def close(self):
        self.reap()
        self.sock.close(0)

    def abandon(self):
        """The environment was garbage-collected without close(): kill the
        simulation (no goodbye, no wait) and close the socket."""
        if self.proc is not None:
            try:
                if self.proc.poll() is None:
                    self.proc.kill()
                self.proc.wait(timeout=5)
                if self.proc.stderr:
                    self.proc.stderr.close()
            except Exception:
                pass
            self.proc = None
        try:
            self.sock.close(0)
        except Exception:
            pass


class NetgymEnv(_EnvBase):
    """A single-agent environment: gymnasium.Env when gymnasium is installed.

    binary: a scenario binary to start for each episode (None: wait for a
    simulation started by hand, as ns3-gym's ``startSim=False``). args: extra
    ``--key=value`` arguments. The simulation gets ``--openGymPort`` and
    ``--simSeed`` (the run number, incremented every episode).

    step() returns (obs, reward, terminated, truncated, info): a game over
    of the environment's own is terminated, the end of the simulation is
    truncated.
    """

    metadata = {"render_modes": []}

    def __init__(self, binary=None, args=(), port=5555, sim_seed=1, timeout=10.0,
                 startup_timeout=30.0, cwd=None):
        self.binary = binary
        self.args = list(args)
        self.port = port
        self.sim_seed = sim_seed
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.cwd = cwd
        self._link = _Link(port, timeout)
        self._finalize = weakref.finalize(self, self._link.abandon)
        self.port = self._link.port
        self._done = True
        self._first = None
        self.observation_space = None
        self.action_space = None
        try:
            self._start()
        except Exception:
            self._link.close()
            raise

    def _start(self):
        self._link.spawn(self.binary, self.args, self.sim_seed, self.cwd)
        init = self._link.recv(pb.SimInitMsg(), timeout=self.startup_timeout)
        self.observation_space = space_from_proto(init.obsSpace)
        self.action_space = space_from_proto(init.actSpace)
        self._link.send(pb.SimInitAck(done=True, stopSimReq=False))
        self._first = self._link.recv(pb.EnvStateMsg())
        self._done = False

    def _stop_sim(self):
        if not self._done:
            # answer the pending state with a stop request
            self._link.send(pb.EnvActMsg(stopSimReq=True))
            self._done = True
        self._link.reap()

    def reset(self, seed=None, options=None):
        """Starts a new episode and returns (obs, info).

        reset(seed=s) starts simulation run s (the scenario's --simSeed, as
        ns3-gym); reset() starts the next run (the first reset() after the
        constructor uses the run already started)."""
        if _EnvBase is not object:
            super().reset(seed=seed)
        if self._first is None:
            self._stop_sim()
            self.sim_seed = seed if seed is not None else self.sim_seed + 1
            self._start()
        elif seed is not None and seed != self.sim_seed:
            self._stop_sim()
            self.sim_seed = seed
            self._start()
        st, self._first = self._first, None
        return value_from_proto(st.obsData), {"info": st.info}

    def step(self, action):
        if self._done:
            raise RuntimeError("netgym: step() after the episode ended; call reset()")
        if self._first is not None:
            self._first = None  # the agent did not call reset(): act on the first state
        self._link.send(pb.EnvActMsg(actData=value_to_proto(action, self.action_space)))
        st = self._link.recv(pb.EnvStateMsg())
        terminated = truncated = False
        if st.isGameOver:
            terminated = st.reason == pb.EnvStateMsg.GameOver
            truncated = st.reason == pb.EnvStateMsg.SimulationEnd
            self._link.send(pb.EnvActMsg(stopSimReq=True))
            self._done = True
        return value_from_proto(st.obsData), float(st.reward), terminated, truncated, {"info": st.info}

    def close(self):
        if self._link is not None:
            self._finalize.detach()
            self._stop_sim()
            self._link.close()
            self._link = None


class NetgymMultiAgentEnv:
    """A turn-based multi-agent environment with RLlib's MultiAgentEnv dict
    conventions: each state message belongs to one agent, so reset() and
    step() return dicts keyed by that agent's id, with "__all__" in the
    terminated and truncated dicts; the simulation's final message (agent id
    "") ends the episode for all. With a binary, every reset() after the
    first starts a new simulation run (``--simSeed`` incremented).
    """

    def __init__(self, binary=None, args=(), port=5555, sim_seed=1, timeout=10.0,
                 startup_timeout=30.0, cwd=None):
        self.binary = binary
        self.args = list(args)
        self.sim_seed = sim_seed
        self.startup_timeout = startup_timeout
        self.cwd = cwd
        self._link = _Link(port, timeout)
        self._finalize = weakref.finalize(self, self._link.abandon)
        self.port = self._link.port
        self._fresh = False
        try:
            self._start()
        except Exception:
            self._link.close()
            raise

    def _start(self):
        self._link.spawn(self.binary, self.args, self.sim_seed, self.cwd)
        init = self._link.recv(pb.MultiAgentSimInitMsg(), timeout=self.startup_timeout)
        self.observation_spaces = {k: space_from_proto(v) for k, v in init.obsSpaces.items()}
        self.action_spaces = {k: space_from_proto(v) for k, v in init.actSpaces.items()}
        self._link.send(pb.SimInitAck(done=True, stopSimReq=False))
        self._state = self._link.recv(pb.MultiAgentEnvStateMsg())
        self._done = False
        self._fresh = True

    def _stop_sim(self):
        if not self._done:
            self._link.send(pb.EnvActMsg(stopSimReq=True))
            self._done = True
        self._link.reap()

    def _agent_dicts(self, st):
        agent = st.agentID
        obs = {agent: value_from_proto(st.obsData)} if agent else {}
        rew = {agent: float(st.reward)} if agent else {}
        term = {"__all__": False}
        trunc = {"__all__": False}
        if st.isGameOver:
            game_over = st.reason == pb.MultiAgentEnvStateMsg.GameOver
            term["__all__"], trunc["__all__"] = game_over, not game_over
            if agent:
                term[agent], trunc[agent] = game_over, not game_over
        elif agent:
            term[agent] = trunc[agent] = False
        info = {agent: dict(st.info)} if agent else {}
        return obs, rew, term, trunc, info

    def reset(self, seed=None, options=None):
        """Returns ({agent: obs}, {agent: info}) for the first turn of an episode.

        reset(seed=s) starts simulation run s; reset() the next run (the
        first reset() after the constructor uses the run already started)."""
        if not self._fresh or (seed is not None and seed != self.sim_seed):
            self._stop_sim()
            self.sim_seed = seed if seed is not None else self.sim_seed + 1
            self._start()
        self._fresh = False
        obs, _, _, _, info = self._agent_dicts(self._state)
        return obs, info

    def step(self, action_dict):
        if self._done:
            raise RuntimeError("netgym: step() after the episode ended; call reset()")
        self._fresh = False
        agent = self._state.agentID
        if agent not in action_dict:
            raise KeyError(f"netgym: it is {agent!r}'s turn, no action for it")
        act = value_to_proto(action_dict[agent], self.action_spaces[agent])
        self._link.send(pb.EnvActMsg(actData=act))
        self._state = self._link.recv(pb.MultiAgentEnvStateMsg())
        out = self._agent_dicts(self._state)
        if self._state.isGameOver or not self._state.agentID:
            self._link.send(pb.EnvActMsg(stopSimReq=True))
            self._done = True
        return out

    def close(self):
        if self._link is not None:
            self._finalize.detach()
            self._stop_sim()
            self._link.close()
            self._link = None
