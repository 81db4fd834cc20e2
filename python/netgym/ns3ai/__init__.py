# SPDX-License-Identifier: GPL-2.0-only
"""ns3-ai's message interface for netgym, in pure Python (no C++ build):
ns3-ai's Experiment, Ns3AiMsgInterfaceImpl and its Py*/Cpp* methods over a
shared-memory segment in netgym's layout, with ctypes structures for the
messages. netgym's Go scenarios (rl/ns3ai) open it; docs/ns3ai.md has the
details.

    import ctypes
    from netgym.ns3ai import Experiment, msg_module

    class Env(ctypes.Structure): _fields_ = [("a", ctypes.c_uint32), ("b", ctypes.c_uint32)]
    class Act(ctypes.Structure): _fields_ = [("c", ctypes.c_uint32)]

    exp = Experiment("ns3ai_apb_msg_stru", "path/to/root", msg_module(Env, Act), handleFinish=True)
    msg = exp.run()
    while True:
        msg.PyRecvBegin()
        if msg.PyGetFinished():
            break
        s = msg.GetCpp2PyStruct().a + msg.GetCpp2PyStruct().b
        msg.PyRecvEnd()
        msg.PySendBegin()
        msg.GetPy2CppStruct().c = s
        msg.PySendEnd()
    exp.close()

ns3-ai's Gym interface is netgym.ns3ai.Ns3Env (module netgym.ns3ai.gym,
loaded on first use: it needs protobuf and numpy; gymnasium is optional),
with the constructor of ns3-ai's Ns3Env:

    from netgym.ns3ai import Ns3Env
    env = Ns3Env(targetName="ns3ai_rlwifi_gym", ns3Path="path/to/root")
    obs, info = env.reset()
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
    env.close()

Nothing here shadows ns3-ai's own modules (ns3ai_utils, ns3ai_*_py_*,
ns3ai_gym_env, messages_pb2).
"""

from . import apb
from .experiment import Experiment, check_exit
from .interface import MsgModule, MsgVector, Ns3AiMsgInterfaceImpl, msg_module
from .segment import Ns3AiError, Ns3AiLayoutError, Ns3AiPeerGone, Ns3AiTimeout

__all__ = ["Experiment", "check_exit", "Ns3AiMsgInterfaceImpl", "MsgModule", "MsgVector",
           "msg_module", "apb", "Ns3AiError", "Ns3AiLayoutError", "Ns3AiPeerGone", "Ns3AiTimeout",
           "Ns3Env", "gym"]


def __getattr__(name):
    # the Gym interface loads protobuf and numpy on first use, so that the
    # message interface works without them
    if name in ("Ns3Env", "gym"):
        import importlib
        gym = importlib.import_module(__name__ + ".gym")
        return gym if name == "gym" else gym.Ns3Env
    raise AttributeError("module 'netgym.ns3ai' has no attribute %r" % name)
