# SPDX-License-Identifier: GPL-2.0-only
"""Loads netgym's Go shared library (libnetgym.so, built from
python/libnetgym with ``go build -buildmode=c-shared``) through ctypes.

- The library is loaded lazily, at the first in-process object.
- ctypes releases the GIL during every call, so Go runs while other Python
  threads do.
- The Go runtime does not survive ``fork()``: a child forked after the
  library was loaded must not call it. Every call checks for that and
  raises :class:`ForkedProcessError`; use the ``spawn`` or ``forkserver``
  start methods (multiprocessing, Gymnasium's AsyncVectorEnv(context=...),
  SB3's SubprocVecEnv(start_method=...), Ray) or create the environments in
  the child.
- A Go panic is recovered inside the library and raised as
  :class:`GoPanicError`; a fatal Go runtime error (out of memory, a
  corrupted heap) cannot be recovered and ends the process.
"""

import ctypes
import os
import threading

ABI_VERSION = 4
ERRCAP = 1024


class NetgymNativeError(RuntimeError):
    """An error reported by netgym's Go library."""


class GoPanicError(NetgymNativeError):
    """A Go panic inside netgym's library, recovered and reported here."""


class ForkedProcessError(NetgymNativeError):
    """netgym's Go library was used in a process forked after it was loaded."""


_lock = threading.Lock()
_lib = None
_loaded_pid = None
_forked_child = False  # set in a child forked after the library was loaded


def _after_fork_in_child():
    global _forked_child, _lock
    _lock = threading.Lock()  # the parent's may have been held at fork time
    if _lib is not None:
        _forked_child = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def library_path():
    """Path of libnetgym.so: $NETGYM_LIBRARY, else the one installed in the package."""
    env = os.environ.get("NETGYM_LIBRARY")
    if env:
        return env
    return os.path.join(os.path.dirname(__file__), "_lib", "libnetgym.so")


def forked():
    """True in a child forked after the library was loaded in its parent
    (os.register_at_fork sets the flag; a fork that bypassed Python's hooks
    is caught by the pid check in lib())."""
    return _forked_child


def _check_fork():
    if _lib is not None and (_forked_child or _loaded_pid != os.getpid()):
        raise ForkedProcessError(
            "netgym: the Go runtime does not survive fork(): this process was forked after "
            "netgym's library was loaded in its parent. Create netgym environments in the child, "
            "or use the 'spawn' or 'forkserver' start method (multiprocessing.set_start_method, "
            "gymnasium AsyncVectorEnv(context='spawn'), SB3 SubprocVecEnv(start_method='forkserver'))."
        )


_I64 = ctypes.c_int64
_U64 = ctypes.c_uint64
_U32 = ctypes.c_uint32
_D = ctypes.c_double
_P = ctypes.c_void_p
_S = ctypes.c_char_p

_SIGNATURES = {
    "ng_abi_version": (_I64, []),
    "ng_live_objects": (_I64, []),
    "ng_free": (_I64, [_U64, _P, _I64]),
    "ng_selftest_panic": (_I64, [_P, _I64]),
    "ng_wifi_new": (_U64, [_D, _D, _D, _D, _I64, _I64, _U64, _U64, _P, _I64]),
    "ng_lena_new": (_U64, [_D, _D, _D, _D, _D, _D, _S, _I64, _I64, _I64, _U64, _U64, _P, _I64]),
    "ng_mmwave_new": (_U64, [_D, _D, _D, _D, _D, _D, _D, _D, _S, _I64, _I64, _S, _I64, _U64, _U64, _P, _I64]),
    "ng_chan_transmit": (_I64, [_U64, _U32, _I64, _P, _I64]),
    "ng_chan_flush": (_I64, [_U64, _U32, _P, _I64, _P, _I64]),
    "ng_chan_last": (_I64, [_U64, _P, _I64, _P, _I64]),
    "ng_chan_reset": (_I64, [_U64, _P, _I64]),
    "ng_chan_stats": (_I64, [_U64, _P, _P, _I64]),
    "ng_multi_new": (_U64, [_D, _I64, _P, _I64, _D, _D, _I64, _I64, _U64, _U64, _P, _I64]),
    "ng_multi_view": (_U64, [_U64, _I64, _P, _I64]),
    "ng_multi_transmit": (_I64, [_U64, _I64, _U32, _I64, _P, _I64]),
    "ng_multi_flush": (_I64, [_U64, _U32, _P, _P, _I64, _P, _I64]),
    "ng_multi_last": (_I64, [_U64, _P, _P, _I64, _P, _I64]),
    "ng_multi_reset": (_I64, [_U64, _P, _I64]),
    "ng_multi_stats": (_I64, [_U64, _P, _P, _I64]),
    "ng_vec_new": (_U64, [_I64, _I64, _D, _D, _D, _D, _I64, _P, _I64, _I64, _I64, _U64, _P, _I64]),
    "ng_vec_new_lena": (_U64, [_I64, _I64, _D, _D, _D, _D, _D, _D, _S, _I64, _I64, _P, _I64, _I64, _I64, _U64,
                               _P, _I64]),
    "ng_vec_new_mmwave": (_U64, [_I64, _I64, _D, _D, _D, _D, _D, _D, _D, _D, _S, _I64, _I64, _S, _P, _I64, _I64,
                                 _I64, _U64, _P, _I64]),
    "ng_vec_dims": (_I64, [_U64, _P, _P, _I64]),
    "ng_vec_reset": (_I64, [_U64, _P, _P, _P, _P, _I64]),
    "ng_vec_step": (_I64, [_U64, _P, _P, _P, _P, _P, _P, _I64]),
    "ng_bank_new": (_U64, [_I64, _I64, _D, _D, _D, _D, _I64, _I64, _U64, _P, _I64]),
    "ng_bank_new_lena": (_U64, [_I64, _I64, _D, _D, _D, _D, _D, _D, _S, _I64, _I64, _I64, _U64, _P, _I64]),
    "ng_bank_new_mmwave": (_U64, [_I64, _I64, _D, _D, _D, _D, _D, _D, _D, _D, _S, _I64, _I64, _S, _I64, _U64,
                                  _P, _I64]),
    "ng_bank_step": (_I64, [_U64, _P, _P, _P, _P, _I64, _P, _I64]),
    "ng_bank_reset": (_I64, [_U64, _I64, _U64, _I64, _P, _I64]),
    "ng_selftest_barrier": (_U64, []),
    "ng_selftest_wait": (_I64, [_U64, _I64, _P, _I64]),
    "ng_selftest_release": (_I64, [_U64, _P, _I64]),
    "ng_selftest_entered": (_I64, [_U64, _I64, _P, _I64]),
}


def lib():
    """Returns the loaded library (loading it on first use)."""
    global _lib, _loaded_pid
    if _lib is not None:
        if _forked_child or _loaded_pid != os.getpid():
            _check_fork()
        return _lib
    with _lock:
        if _lib is None:
            path = library_path()
            if not os.path.exists(path):
                raise NetgymNativeError(
                    f"netgym: the Go library is missing ({path}). Install the package with "
                    "`pip install ./python` from a netgym checkout (it builds the library with "
                    "the Go toolchain), or point $NETGYM_LIBRARY at a libnetgym.so built with "
                    "`go build -buildmode=c-shared -o libnetgym.so ./python/libnetgym`."
                )
            handle = ctypes.CDLL(path)  # CDLL: the GIL is released during calls
            for name, (res, args) in _SIGNATURES.items():
                fn = getattr(handle, name)
                fn.restype = res
                fn.argtypes = args
            version = handle.ng_abi_version()
            if version != ABI_VERSION:
                raise NetgymNativeError(
                    f"netgym: {path} has ABI version {version}, this package needs {ABI_VERSION}: "
                    "reinstall the package"
                )
            _loaded_pid = os.getpid()
            _lib = handle
    return _lib


class ErrBuf:
    """A reusable error buffer: one per object, so calls allocate nothing."""

    __slots__ = ("buf", "ptr")

    def __init__(self):
        self.buf = ctypes.create_string_buffer(ERRCAP)
        self.ptr = ctypes.cast(self.buf, ctypes.c_void_p)

    def raise_for(self, status, what):
        """Raises the error the library reported with status (< 0)."""
        msg = self.buf.value.decode("utf-8", "replace") or "unknown error"
        if status == -2:
            raise GoPanicError(f"netgym: {what}: {msg}")
        raise NetgymNativeError(f"netgym: {what}: {msg}")


def free(handle, err=None):
    """Frees the object of handle (no-op in a forked child: its memory is the parent's copy)."""
    if not handle or _lib is None or forked():
        return
    err = err or ErrBuf()
    st = _lib.ng_free(handle, err.ptr, ERRCAP)
    if st < 0:
        err.raise_for(st, "free")


def live_objects():
    """Number of Go objects created and not freed yet, in this process."""
    return lib().ng_live_objects()


def selftest_panic():
    """Makes the library panic in Go; raises GoPanicError (for tests)."""
    err = ErrBuf()
    st = lib().ng_selftest_panic(err.ptr, ERRCAP)
    if st < 0:
        err.raise_for(st, "selftest")
    return st
