# SPDX-License-Identifier: GPL-2.0-only
"""A-Plus-B's message types (ns3-ai's examples/a-plus-b: EnvStruct with
env_a and env_b, ActStruct with act_c; ns3-ai's binding names the fields
a, b and c) and the stand-ins for its binding modules:

    from netgym.ns3ai import apb
    exp = Experiment("ns3ai_apb_msg_stru", ns3Path, apb.stru, handleFinish=True)
"""

import ctypes

from .interface import msg_module


class EnvStruct(ctypes.Structure):
    _fields_ = [("a", ctypes.c_uint32), ("b", ctypes.c_uint32)]


class ActStruct(ctypes.Structure):
    _fields_ = [("c", ctypes.c_uint32)]


# ns3ai_apb_py_stru and ns3ai_apb_py_vec: the same types, struct and vector
stru = msg_module(EnvStruct, ActStruct, "ns3ai_apb_py_stru")
vec = msg_module(EnvStruct, ActStruct, "ns3ai_apb_py_vec")
PyEnvStruct = EnvStruct
PyActStruct = ActStruct
