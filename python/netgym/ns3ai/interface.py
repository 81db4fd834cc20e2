# SPDX-License-Identifier: GPL-2.0-only
"""ns3-ai's Ns3AiMsgInterfaceImpl in pure Python, over netgym's segment."""

import ctypes
import struct

from .segment import (CPP2PY_EMPTY, CPP2PY_FULL, PY2CPP_EMPTY, PY2CPP_FULL,
                      Ns3AiError, Segment)


class MsgVector:
    """ns3-ai's bound boost::interprocess::vector (PyEnvVector /
    PyActVector): len(), v[i] (a ctypes struct over the shared memory) and
    resize(n) within the capacity the creator reserved."""

    def __init__(self, seg, which, typ):
        self._seg = seg
        self._which = which
        self._typ = typ
        self._off = seg.objects[which][1]
        self._cap = seg.objects[which][6]
        self._count_at = seg.count_at(which)
        self._elems = []
        self._sync()

    def _sync(self):
        n = struct.unpack_from("<I", self._seg.mm, self._count_at)[0]
        if n != len(self._elems):
            size = ctypes.sizeof(self._typ)
            self._elems = [self._typ.from_buffer(self._seg.mm, self._off + i * size) for i in range(min(n, self._cap))]

    def resize(self, n):
        """Sets the size (the creator does it before the simulation runs,
        as ns3-ai's Experiment does with vectorSize)."""
        n = int(n)
        if not 0 <= n <= self._cap:
            raise Ns3AiError("ns3ai: vector size %d exceeds the %d elements the segment holds: raise shmSize"
                             % (n, self._cap))
        struct.pack_into("<I", self._seg.mm, self._count_at, n)
        self._sync()

    @property
    def capacity(self):
        return self._cap

    def __len__(self):
        return len(self._elems)

    def __getitem__(self, i):
        return self._elems[i]

    def __iter__(self):
        return iter(self._elems)


class Ns3AiMsgInterfaceImpl:
    """ns3-ai's message interface (model/msg-interface/
    ns3-ai-msg-interface.h) with the same constructor arguments and
    methods, for the struct types cpp2py_type and py2cpp_type
    (ctypes.Structure subclasses with the C layout of the simulation's
    structs). Python usually creates the segment (is_memory_creator=True)
    and plays the Python side (Py* methods); the Cpp* methods play the
    simulation's side.

    Every wait is bounded by `timeout` seconds (Ns3AiTimeout) and ends with
    Ns3AiPeerGone when `peer_alive()` turns False or the creator removes
    the segment."""

    def __init__(self, cpp2py_type, py2cpp_type, is_memory_creator, use_vector, handle_finish,
                 size=4096, segment_name="My Seg", cpp2py_msg_name="My Cpp to Python Msg",
                 py2cpp_msg_name="My Python to Cpp Msg", lockable_name="My Lockable", timeout=60.0):
        for t in (cpp2py_type, py2cpp_type):
            if not (isinstance(t, type) and issubclass(t, (ctypes.Structure, ctypes.Union))):
                raise TypeError("ns3ai: message types must be ctypes.Structure subclasses, not %r" % (t,))
        self._seg = Segment(segment_name, is_memory_creator, use_vector, handle_finish, size,
                            cpp2py_msg_name, py2cpp_msg_name, lockable_name,
                            cpp2py_type, py2cpp_type, timeout)
        self._use_vector = bool(use_vector)
        self._handle_finish = bool(handle_finish)
        self._is_finished = False
        self.peer_alive = None
        if use_vector:
            self._cpp2py = MsgVector(self._seg, 0, cpp2py_type)
            self._py2cpp = MsgVector(self._seg, 1, py2cpp_type)
        else:
            self._cpp2py = cpp2py_type.from_buffer(self._seg.mm, self._seg.cpp2py_off)
            self._py2cpp = py2cpp_type.from_buffer(self._seg.mm, self._seg.py2cpp_off)

    # --- messages -----------------------------------------------------------

    def GetCpp2PyStruct(self):
        self._need(False)
        return self._cpp2py

    def GetPy2CppStruct(self):
        self._need(False)
        return self._py2cpp

    def GetCpp2PyVector(self):
        self._need(True)
        return self._cpp2py

    def GetPy2CppVector(self):
        self._need(True)
        return self._py2cpp

    def _need(self, vector):
        if self._use_vector != vector:
            raise Ns3AiError("ns3ai: this interface is %s-based" % ("vector" if self._use_vector else "struct"))

    def _refresh(self):
        if self._use_vector:
            self._cpp2py._sync()
            self._py2cpp._sync()

    def _live(self):
        if self._seg.mm is None:
            raise Ns3AiError("ns3ai: interface closed")

    # --- Python side ----------------------------------------------------------

    def PyRecvBegin(self):
        self._live()
        self._seg.take(CPP2PY_FULL, self.peer_alive)
        if self._handle_finish:
            self._is_finished = self._seg.finished_flag()
        self._refresh()

    def PyRecvEnd(self):
        self._live()
        self._seg.post(CPP2PY_EMPTY)

    def PySendBegin(self):
        self._live()
        self._seg.take(PY2CPP_EMPTY, self.peer_alive)
        self._refresh()

    def PySendEnd(self):
        self._live()
        self._seg.post(PY2CPP_FULL)

    def PyGetFinished(self):
        if not self._handle_finish:
            raise Ns3AiError("ns3ai: PyGetFinished needs handleFinish=True")
        return self._is_finished

    # --- simulation (C++) side ---------------------------------------------

    def CppSendBegin(self):
        self._live()
        self._seg.take(CPP2PY_EMPTY, self.peer_alive)
        self._refresh()

    def CppSendEnd(self):
        self._live()
        self._seg.post(CPP2PY_FULL)

    def CppRecvBegin(self):
        self._live()
        self._seg.take(PY2CPP_FULL, self.peer_alive)
        self._refresh()

    def CppRecvEnd(self):
        self._live()
        self._seg.post(PY2CPP_EMPTY)

    def CppSetFinished(self):
        if not self._handle_finish:
            raise Ns3AiError("ns3ai: CppSetFinished needs handleFinish=True")
        self.CppSendBegin()
        self._is_finished = True
        self._seg.set_finished_flag()
        self.CppSendEnd()

    # --- end -----------------------------------------------------------------

    def close(self):
        """Releases the mapping; a creator removes the segment (ns3-ai's
        destructor)."""
        self._cpp2py = self._py2cpp = None
        self._seg.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


class MsgModule:
    """Stands in for one of ns3-ai's pybind11 modules (ns3ai_apb_py_stru,
    ...): Ns3AiMsgInterfaceImpl(...) with ns3-ai's arguments builds the
    interface for the two struct types."""

    def __init__(self, cpp2py_type, py2cpp_type, name="netgym_msg_module"):
        self.cpp2py_type = cpp2py_type
        self.py2cpp_type = py2cpp_type
        self.__name__ = name

    def Ns3AiMsgInterfaceImpl(self, *args, **kwargs):
        return Ns3AiMsgInterfaceImpl(self.cpp2py_type, self.py2cpp_type, *args, **kwargs)


def msg_module(cpp2py_type, py2cpp_type, name="netgym_msg_module"):
    """Returns the stand-in for an ns3-ai binding module of the two types."""
    return MsgModule(cpp2py_type, py2cpp_type, name)
