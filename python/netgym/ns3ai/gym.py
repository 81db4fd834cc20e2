# SPDX-License-Identifier: GPL-2.0-only
"""ns3-ai's Gym interface in pure Python (no C++ build): Ns3Env, with the
constructor of ns3-ai's ns3ai_gym_env.envs.Ns3Env (targetName, ns3Path,
ns3Settings, shmSize), over netgym's segment and ns3-ai's Gym messages.

ns3-ai's Python side creates the segment ("My Seg", the struct interface,
no handleFinish) with two Ns3AiGymMsg structs (a 1024-byte buffer and a
uint32 length) and starts the simulation; the simulation sends SimInitMsg
(obsSpace = 1, actSpace = 2), then one EnvStateMsg per step, each answered
with an EnvActMsg; a final state (isGameOver) is answered with a stop
request. The messages are ns3-gym's, in protobuf package ns3_ai_gym (the
type URLs of their Any fields say so). netgym's Go scenarios serve it with
--ns3ai (rl/ns3ai.ServeGym); docs/ns3ai.md has the details.

The message classes are built at import time, in a private descriptor pool,
from netgym's own ns3-gym messages (netgym/messages_pb2.py) renamed to
package ns3_ai_gym with ns3-ai's SimInitMsg. netgym/messages_pb2.py and
ns3-ai's generated messages_pb2.py both register the file name
"messages.proto" in protobuf's default pool, so netgym's Python package
and ns3-ai's Ns3Env cannot be imported into one process.
"""

import ctypes
import os
import time

import numpy as np
from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, message_factory

from .. import messages_pb2 as _ng
from .. import spaces as _ngspaces
from .experiment import Experiment
from .interface import msg_module
from .segment import Ns3AiError, Ns3AiPeerGone

try:
    import gymnasium as _gym
    from gymnasium import spaces as _gspaces

    _EnvBase = _gym.Env
except ImportError:  # pragma: no cover - depends on the machine
    _gym = None
    _gspaces = None
    _EnvBase = object

MSG_BUFFER_SIZE = 1024  # ns3-ai's MSG_BUFFER_SIZE (model/gym-interface/ns3-ai-gym-msg.h)
GYM_ERROR_INFO = "netgym: error: "  # rl/ns3ai.GymErrorInfo


class GymMsg(ctypes.Structure):
    """ns3-ai's Ns3AiGymMsg: the message bytes and their length."""
    _fields_ = [("buffer", ctypes.c_uint8 * MSG_BUFFER_SIZE), ("size", ctypes.c_uint32)]


#: stands in for ns3-ai's pybind11 module ns3ai_gym_msg_py
gym_msg = msg_module(GymMsg, GymMsg, "netgym_ns3ai_gym_msg")


def _build_messages():
    """ns3-ai's Gym messages (package ns3_ai_gym) as classes of a private pool."""
    fdp = descriptor_pb2.FileDescriptorProto()
    _ng.DESCRIPTOR.CopyToProto(fdp)
    fdp.name = "netgym/ns3ai_gym_messages.proto"
    fdp.package = "ns3_ai_gym"
    fdp.ClearField("options")
    keep = [m for m in fdp.message_type if not m.name.startswith("MultiAgent")]
    del fdp.message_type[:]
    fdp.message_type.extend(keep)
    for m in fdp.message_type:
        if m.name == "SimInitMsg":  # ns3-ai: obsSpace = 1, actSpace = 2, nothing else
            fields = [f for f in m.field if f.name in ("obsSpace", "actSpace")]
            for f in fields:
                f.number = 1 if f.name == "obsSpace" else 2
            del m.field[:]
            m.field.extend(fields)
        for f in m.field:
            if f.type_name.startswith(".ns3opengym."):
                f.type_name = ".ns3_ai_gym." + f.type_name[len(".ns3opengym."):]
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(any_pb2.DESCRIPTOR.serialized_pb)
    fd = pool.Add(fdp)
    get = getattr(message_factory, "GetMessageClass", None)
    if get is None:  # protobuf < 4.22
        factory = message_factory.MessageFactory(pool)
        get = factory.GetPrototype

    class _Messages:
        pass

    ns = _Messages()
    for name in fd.message_types_by_name:
        setattr(ns, name, get(fd.message_types_by_name[name]))
    for enum in fd.enum_types_by_name.values():
        for v in enum.values:
            setattr(ns, v.name, v.number)
    ns.GameOver = 1
    ns.SimulationEnd = 0
    return ns


pb = _build_messages()

_DTYPES = {pb.INT: np.int32, pb.UINT: np.uint32, pb.FLOAT: np.float32, pb.DOUBLE: np.float64}
_FIELDS = {pb.INT: "intData", pb.UINT: "uintData", pb.FLOAT: "floatData", pb.DOUBLE: "doubleData"}
_CODES = {np.dtype(v): k for k, v in _DTYPES.items()}


def _unpack(any_msg, cls):
    m = cls()
    if not any_msg.Unpack(m):
        raise Ns3AiError("ns3ai: expected %s in an Any, got type URL %r" % (cls.DESCRIPTOR.full_name, any_msg.type_url))
    return m


def space_from_proto(desc):
    """A SpaceDescription of ns3-ai's Gym messages as a gymnasium space
    (netgym's small space classes without gymnasium); None when absent."""
    t = desc.type
    S = _gspaces if _gspaces is not None else _ngspaces
    if t == pb.NoSpaceType:
        return None
    if t == pb.Discrete:
        return S.Discrete(_unpack(desc.space, pb.DiscreteSpace).n)
    if t == pb.Box:
        m = _unpack(desc.space, pb.BoxSpace)
        shape = tuple(m.shape)
        dtype = _DTYPES.get(m.dtype, np.float32)
        low = np.array(m.lows, dtype=np.float64).reshape(shape) if len(m.lows) else m.low
        high = np.array(m.highs, dtype=np.float64).reshape(shape) if len(m.highs) else m.high
        if _gspaces is not None:
            return _gspaces.Box(low=np.broadcast_to(low, shape).astype(dtype),
                                high=np.broadcast_to(high, shape).astype(dtype), shape=shape, dtype=dtype)
        return _ngspaces.Box(low, high, shape, dtype)
    if t == pb.Tuple:
        return S.Tuple([space_from_proto(e) for e in _unpack(desc.space, pb.TupleSpace).element])
    if t == pb.Dict:
        return S.Dict({e.name: space_from_proto(e) for e in _unpack(desc.space, pb.DictSpace).element})
    raise Ns3AiError("ns3ai: unknown space type %d" % t)


def value_from_proto(c):
    """A DataContainer as an int, a numpy array, a tuple or a dict (None
    when empty)."""
    t = c.type
    if t == pb.NoSpaceType:
        return None
    if t == pb.Discrete:
        return int(_unpack(c.data, pb.DiscreteDataContainer).data)
    if t == pb.Box:
        m = _unpack(c.data, pb.BoxDataContainer)
        if m.dtype not in _FIELDS:
            raise Ns3AiError("ns3ai: box container with unknown dtype %d" % m.dtype)
        arr = np.array(getattr(m, _FIELDS[m.dtype]), dtype=_DTYPES[m.dtype])
        return arr.reshape(tuple(m.shape)) if len(m.shape) else arr
    if t == pb.Tuple:
        return tuple(value_from_proto(e) for e in _unpack(c.data, pb.TupleDataContainer).element)
    if t == pb.Dict:
        return {e.name: value_from_proto(e) for e in _unpack(c.data, pb.DictDataContainer).element}
    raise Ns3AiError("ns3ai: unknown container type %d" % t)


def value_to_proto(value, space, out=None):
    """An action for space as a DataContainer (into out, if given)."""
    c = out if out is not None else pb.DataContainer()
    kind = type(space).__name__
    if kind == "Discrete":
        c.type = pb.Discrete
        c.data.Pack(pb.DiscreteDataContainer(data=int(value)))
    elif kind == "Box":
        code = _CODES.get(np.dtype(space.dtype))
        if code is None:
            raise Ns3AiError("ns3ai: box dtype %s has no OpenGym equivalent" % space.dtype)
        arr = np.asarray(value, dtype=space.dtype)
        m = pb.BoxDataContainer(dtype=code, shape=list(arr.shape) or [1])
        getattr(m, _FIELDS[code]).extend(arr.ravel().tolist())
        c.type = pb.Box
        c.data.Pack(m)
    elif kind == "Tuple":
        m = pb.TupleDataContainer()
        for v, s in zip(value, space.spaces):
            value_to_proto(v, s, m.element.add())
        c.type = pb.Tuple
        c.data.Pack(m)
    elif kind == "Dict":
        m = pb.DictDataContainer()
        for k, s in space.spaces.items():
            e = m.element.add()
            value_to_proto(value[k], s, e)
            e.name = k
        c.type = pb.Dict
        c.data.Pack(m)
    else:
        raise Ns3AiError("ns3ai: cannot encode an action for %r" % (space,))
    return c


class Ns3Env(_EnvBase):
    """ns3-ai's Gym environment (ns3ai_gym_env.envs.Ns3Env) over netgym's
    pure-Python message interface: a gymnasium.Env when gymnasium is
    installed. The constructor takes ns3-ai's arguments, targetName,
    ns3Path, ns3Settings and shmSize, and starts the simulation through
    netgym.ns3ai.Experiment (ns3Path's `ns3` launcher, or targetName as the
    path of a netgym binary when ns3Path is None); a netgym scenario serves
    it with --ns3ai (added to ns3Settings when the target is a binary path
    that is not one of the launcher's Gym targets: pass gym_flag=False to
    leave the arguments alone).

    Differences from ns3-ai's: step() returns terminated for the env's own
    game over and truncated for the end of the simulation (ns3-ai: done and
    False); reset() restarts the simulation with ns3Settings (ns3-ai drops
    them) and, given a seed, with --simSeed=seed (netgym's run number);
    segName other than "My Seg" is passed as --segName; every wait is
    bounded by `timeout` seconds, a simulation that dies or fails raises
    Ns3AiPeerGone / Ns3AiError with its stderr, and an action too large for
    the 1024-byte buffer raises Ns3AiError before anything is sent.
    """

    metadata = {"render_modes": []}

    def __init__(self, targetName, ns3Path, ns3Settings=None, shmSize=4096, segName="My Seg",
                 timeout=60.0, show_output=False, gym_flag=None):
        self.targetName = targetName
        self.ns3Path = ns3Path
        self.ns3Settings = dict(ns3Settings or {})
        self.segName = segName
        self.timeout = timeout
        self.show_output = show_output
        if gym_flag is None:
            gym_flag = ns3Path is None
        self._gym_flag = gym_flag
        self.observation_space = None
        self.action_space = None
        self._msg = None
        self._state = None       # the EnvStateMsg waiting for an answer
        self._running = False    # a simulation holds the exchange
        self._fresh = False      # reset() may return the first state as is
        self._out = pb.EnvActMsg()
        self.exp = Experiment(targetName, ns3Path, gym_msg, shmSize=shmSize, segName=segName, timeout=timeout)
        try:
            self._start(None)
        except BaseException:
            self.exp.close()
            raise

    # --- messages -----------------------------------------------------------

    def _recv(self, cls):
        msg = self._msg
        try:
            msg.PyRecvBegin()
        except Ns3AiPeerGone as e:
            raise self._sim_error(str(e)) from None
        s = msg.GetCpp2PyStruct()
        n = s.size
        if n > MSG_BUFFER_SIZE:
            msg.PyRecvEnd()
            raise Ns3AiError("ns3ai: malformed message from the simulation: length %d beyond the %d-byte buffer"
                             % (n, MSG_BUFFER_SIZE))
        data = ctypes.string_at(ctypes.addressof(s.buffer), n)
        msg.PyRecvEnd()
        m = cls()
        try:
            m.ParseFromString(data)
        except Exception as e:  # protobuf's DecodeError
            raise Ns3AiError("ns3ai: malformed %s from the simulation: %s" % (cls.DESCRIPTOR.name, e)) from None
        return m

    def _send(self, m):
        data = m.SerializeToString()
        if len(data) > MSG_BUFFER_SIZE:
            raise Ns3AiError("ns3ai: %s of %d bytes does not fit ns3-ai's %d-byte Gym buffer"
                             % (m.DESCRIPTOR.name, len(data), MSG_BUFFER_SIZE))
        msg = self._msg
        try:
            msg.PySendBegin()
        except Ns3AiPeerGone as e:
            raise self._sim_error(str(e)) from None
        s = msg.GetPy2CppStruct()
        ctypes.memmove(ctypes.addressof(s.buffer), data, len(data))
        s.size = len(data)
        msg.PySendEnd()

    def _sim_error(self, what):
        """An error naming what the simulation said on stderr."""
        try:
            rc = self.exp.wait(2.0)
        except Exception:
            rc = None
        err = self.exp.stderr().strip()
        self._running = False
        text = what
        if rc is not None:
            text += " (the simulation exited with status %d)" % rc
        if err:
            text += ": " + err[-2000:]
        return Ns3AiPeerGone(text)

    # --- simulation runs ------------------------------------------------------

    def _settings(self, seed):
        s = dict(self.ns3Settings)
        if self._gym_flag:
            s.setdefault("ns3ai", "true")
        if self.segName != "My Seg":
            s["segName"] = self.segName
        if seed is not None:
            s["simSeed"] = int(seed)
        return s

    def _start(self, seed):
        self._msg = self.exp.run(setting=self._settings(seed), show_output=self.show_output)
        self._running = True
        init = self._recv(pb.SimInitMsg)
        self.observation_space = space_from_proto(init.obsSpace)
        self.action_space = space_from_proto(init.actSpace)
        self._send(pb.SimInitAck(done=True, stopSimReq=False))
        self._rx_state()
        self._fresh = True

    def _rx_state(self):
        st = self._recv(pb.EnvStateMsg)
        self._state = st
        if st.isGameOver:
            self._finish()
            if st.info.startswith(GYM_ERROR_INFO):
                raise Ns3AiError("ns3ai: the simulation ended the episode: " + st.info[len(GYM_ERROR_INFO):])
        return st

    def _finish(self):
        """Answers a final state (or stops the simulation) and waits for
        the simulation to exit; a failure is raised with its stderr."""
        if not self._running:
            return
        self._out.Clear()
        self._out.stopSimReq = True
        self._send(self._out)
        self._running = False
        try:
            rc = self.exp.wait(min(self.timeout, 10.0))
        except Exception:
            self.exp.kill()
            return
        self._msg._seg.mm[self._msg._seg.sync_off:self._msg._seg.sync_off + 5] = bytes([1, 0, 1, 0, 0])
        if rc != 0:
            raise Ns3AiPeerGone("ns3ai: the simulation exited with status %d: %s" % (rc, self.exp.stderr().strip()[-2000:]))

    def _state_tuple(self):
        st = self._state
        terminated = truncated = False
        if st.isGameOver:
            terminated = st.reason == pb.GameOver
            truncated = not terminated
        return value_from_proto(st.obsData), float(st.reward), terminated, truncated, {"info": st.info}

    # --- gymnasium ------------------------------------------------------------

    def reset(self, seed=None, options=None):
        """Returns (obs, info) of a new episode: the first state of the
        simulation started by the constructor, or of a new run."""
        if self._fresh and seed is None:
            self._fresh = False
            obs, _, _, _, info = self._state_tuple()
            return obs, info
        if self._running:
            self._finish()  # stop the unfinished episode
        self._start(seed)
        self._fresh = False
        obs, _, _, _, info = self._state_tuple()
        return obs, info

    def step(self, action):
        if not self._running:
            raise Ns3AiError("ns3ai: step() after the episode ended; call reset()")
        self._fresh = False
        self._out.Clear()
        value_to_proto(action, self.action_space, self._out.actData)
        self._send(self._out)
        self._rx_state()
        return self._state_tuple()

    def render(self):
        return None

    def get_random_action(self):
        return self.action_space.sample()

    def close(self):
        exp = getattr(self, "exp", None)
        if exp is None:
            return
        try:
            if self._running and exp.isalive():
                self._finish()
        except Ns3AiError:
            pass
        finally:
            exp.close()
            self.exp = None


if _gym is not None:
    try:
        _gym.register(id="netgym_ns3ai/Ns3-v0", entry_point="netgym.ns3ai.gym:Ns3Env")
    except Exception:  # pragma: no cover - registered twice
        pass

__all__ = ["Ns3Env", "GymMsg", "gym_msg", "pb", "space_from_proto", "value_from_proto", "value_to_proto",
           "MSG_BUFFER_SIZE", "GYM_ERROR_INFO"]
