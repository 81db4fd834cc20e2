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

Nothing here shadows ns3-ai's own modules (ns3ai_utils, ns3ai_*_py_*).
"""

from . import apb
from .experiment import Experiment, check_exit
from .interface import MsgModule, MsgVector, Ns3AiMsgInterfaceImpl, msg_module
from .segment import Ns3AiError, Ns3AiLayoutError, Ns3AiPeerGone, Ns3AiTimeout

__all__ = ["Experiment", "check_exit", "Ns3AiMsgInterfaceImpl", "MsgModule", "MsgVector",
           "msg_module", "apb", "Ns3AiError", "Ns3AiLayoutError", "Ns3AiPeerGone", "Ns3AiTimeout"]
