# SPDX-License-Identifier: GPL-2.0-only
"""NetRL's channels simulated by netgym in process (no subprocess, no pipe).

- :class:`WifiChannel`: NetRL's Wi-Fi ad-hoc link (two nodes, 802.11a at
  54 Mb/s, LogDistance loss), the same scenario as ``scenarios/wifi-sim``.
- :class:`WifiMultiUEBackend` and its per-UE :class:`WifiUEChannel` views:
  NetRL's multi-UE infrastructure BSS (``scenarios/wifi-multi-ue-sim``).

Both are subclasses of NetRL's ``CommChannel`` when NetRL is installed
(``transmit(obs, step, packet_size=None)``, ``flush(step)`` returning
``[(arrival_step, obs)]``, ``reset()`` which does not reseed,
``get_channel_info()``), so they plug into NetRL's
``CentralNode(channel_factory=...)`` and
``MultiViewNetworkedEnv(channel_factory=...)``::

    from netrl import CentralNode, NetworkConfig
    import netgym.channels as nc

    central = CentralNode(["a", "b"], (4,), np.float32, NetworkConfig(buffer_size=10),
                          channel_factory=nc.wifi_factory(distance_m=30.0))

Only the step id and the size cross into Go; the observation stays here,
keyed by its step, and is handed back when its packet arrives (as NetRL's
ns-3 channels do). Each channel is an independent simulation: create as
many as you like, in any thread.
"""

import ctypes

import numpy as np

from . import _check, _native

try:  # NetRL's abstract base when NetRL is importable
    from netrl.channels.comm_channel import CommChannel as _CommChannel
except Exception:  # pragma: no cover - depends on the machine
    _CommChannel = object

#: True when the channels below subclass NetRL's CommChannel.
NETRL_BASE = _CommChannel is not object

_IDS = 64  # initial capacity of the flush buffers


def _cfg_get(cfg, name, default):
    return getattr(cfg, name, default) if cfg is not None else default


class _Handle:
    """Owns one Go object: freed by close(), by garbage collection, or at exit."""

    __slots__ = ("h", "err", "__weakref__")

    def __init__(self, h, err):
        self.h = h
        self.err = err

    def close(self):
        h, self.h = self.h, 0
        if h:
            _native.free(h, self.err)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


class WifiChannel(_CommChannel):
    """NetRL's Wi-Fi ad-hoc channel (``NS3WifiChannel``), simulated by netgym
    in process.

    Accepts NetRL's constructor arguments ``(config, ns3_cfg)`` (a
    ``NetworkConfig`` for the seed and an ``NS3WifiConfig`` for the link) or
    keywords. Step ``t`` is the window ``[start + t*step, start +
    (t+1)*step)`` after a warm-up of ``max(310 ms, 2*step)``; its packet is
    sent 1% into the step. ``flush(t)`` returns ``(t, obs)`` for every
    observation whose packet arrived during step t (arrival step = the flush
    step, as NetRL's ``NS3WifiChannel``). ``reset()`` starts the next run
    number: episodes differ, a session replays identically.

    Parameters (NetRL's names and defaults; keywords override ``ns3_cfg``):
    distance_m (10, >= 0), step_duration_ms (1, > 0), tx_power_dbm (20),
    loss_exponent (3, > 0), max_retries (7, >= 1), packet_size_bytes (64,
    0..2268), max_pending_steps (200, >= 1), seed (``config.seed``, else 1),
    run (1).
    """

    def __init__(self, config=None, ns3_cfg=None, *, distance_m=None, step_duration_ms=None,
                 tx_power_dbm=None, loss_exponent=None, max_retries=None, packet_size_bytes=None,
                 max_pending_steps=None, seed=None, run=1):
        def pick(v, name, default):
            return v if v is not None else _cfg_get(ns3_cfg, name, default)

        self.distance_m = _check.real("distance_m", pick(distance_m, "distance_m", 10.0), 0.0)
        (self.step_duration_ms, self.tx_power_dbm, self.loss_exponent, self.max_retries) = _check.wifi_link(
            pick(step_duration_ms, "step_duration_ms", 1.0), pick(tx_power_dbm, "tx_power_dbm", 20.0),
            pick(loss_exponent, "loss_exponent", 3.0), pick(max_retries, "max_retries", 7))
        self.packet_size_bytes = _check.integer(
            "packet_size_bytes", pick(packet_size_bytes, "packet_size_bytes", 64), 0, _check.WIFI_MAX_PACKET_SIZE)
        self.max_pending_steps = _check.integer(
            "max_pending_steps", pick(max_pending_steps, "max_pending_steps", 200), 1)
        if seed is None:
            seed = _cfg_get(config, "seed", 1)
        self.seed = _check.seed("seed", seed)
        self.run = _check.seed("run", run)
        lib = _native.lib()
        err = _native.ErrBuf()
        h = lib.ng_wifi_new(self.step_duration_ms, self.distance_m, self.tx_power_dbm, self.loss_exponent,
                            self.max_retries, self.packet_size_bytes, self.seed, self.run, err.ptr, _native.ERRCAP)
        if not h:
            raise ValueError(f"netgym: WifiChannel: {err.buf.value.decode()}")
        self._own = _Handle(h, err)
        self._h = h
        self._err = err
        self._errp = err.ptr
        self._tx = lib.ng_chan_transmit
        self._fl = lib.ng_chan_flush
        self._cap = _IDS
        self._ids = (ctypes.c_uint32 * _IDS)()
        self._idsp = ctypes.cast(self._ids, ctypes.c_void_p)
        self._pending = {}  # step -> obs
        self._forked = _native.forked

    # -- NetRL's CommChannel ------------------------------------------------

    def transmit(self, obs, step, packet_size=None):
        """Sends the observation of step (kept here; only its id and size go to Go)."""
        size = self.packet_size_bytes if packet_size is None else packet_size
        if self._forked():
            _native.lib()  # raises ForkedProcessError
        if not 0 <= step <= 4294967295:
            raise ValueError(f"step={step!r} out of range [0, 4294967295]")
        try:
            st = self._tx(self._h, step, size, self._errp, 1024)
        except ctypes.ArgumentError:
            raise TypeError(f"step and packet_size must be integers, got {step!r} and {size!r}") from None
        if st < 0:
            self._fail(st, "transmit", step=step, size=size)
        self._pending[step] = obs.copy() if hasattr(obs, "copy") else obs

    def flush(self, step):
        """Advances to the end of step's window; returns [(step, obs)] of the arrivals."""
        if self._forked():
            _native.lib()
        if not 0 <= step <= 4294967295:
            raise ValueError(f"step={step!r} out of range [0, 4294967295]")
        try:
            n = self._fl(self._h, step, self._idsp, self._cap, self._errp, 1024)
        except ctypes.ArgumentError:
            raise TypeError(f"step must be an integer, got {step!r}") from None
        if n < 0:
            self._fail(n, "flush", step=step)
        if n > self._cap:
            self._grow(n)
            _native.lib().ng_chan_last(self._h, self._idsp, self._cap, self._errp, 1024)
        out = []
        pending = self._pending
        if n:
            for sid in self._ids[:n]:
                obs = pending.pop(sid, None)
                if obs is not None:
                    out.append((step, obs))
        if pending:
            # NetRL expires observations pending for more than
            # max_pending_steps; the dict is in send order, oldest first.
            horizon = step - self.max_pending_steps
            if next(iter(pending)) < horizon:
                for old in [s for s in pending if s < horizon]:
                    del pending[old]
        return out

    def reset(self):
        """Clears pending observations and rebuilds the scenario with the next run (no reseed)."""
        self._pending.clear()
        st = _native.lib().ng_chan_reset(self._h, self._errp, 1024)
        if st < 0:
            self._err.raise_for(st, "WifiChannel.reset")
        self.run += 1

    def get_channel_info(self):
        """NetRL's diagnostic dict plus netgym's simulated time and run number."""
        now, run, _ = self._stats()
        return {
            "state": "NETGYM_WIFI",
            "pending_count": len(self._pending),
            "distance_m": self.distance_m,
            "step_duration_ms": self.step_duration_ms,
            "tx_power_dbm": self.tx_power_dbm,
            "loss_exponent": self.loss_exponent,
            "max_retries": self.max_retries,
            "packet_size_bytes": self.packet_size_bytes,
            "sim_time_s": now,
            "seed": self.seed,
            "run": int(run),
        }

    # -- netgym -----------------------------------------------------------

    def transmit_id(self, step, packet_size=None):
        """Sends the packet of step without an observation (ids only)."""
        size = self.packet_size_bytes if packet_size is None else packet_size
        st = self._tx(self._h, step, size, self._errp, 1024)
        if st < 0:
            self._fail(st, "transmit", step=step, size=size)

    def flush_ids(self, step):
        """Advances to the end of step's window; returns the arrived step ids (a list)."""
        n = self._fl(self._h, step, self._idsp, self._cap, self._errp, 1024)
        if n < 0:
            self._fail(n, "flush", step=step)
        if n > self._cap:
            self._grow(n)
            _native.lib().ng_chan_last(self._h, self._idsp, self._cap, self._errp, 1024)
        return self._ids[:n]

    def close(self):
        """Frees the simulation now (garbage collection does it otherwise)."""
        self._own.close()
        self._h = 0
        self._pending.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _stats(self):
        out = (ctypes.c_double * 3)()
        st = _native.lib().ng_chan_stats(self._h, ctypes.cast(out, ctypes.c_void_p), self._errp, 1024)
        if st < 0:
            self._err.raise_for(st, "get_channel_info")
        return out[0], out[1], out[2]

    def _grow(self, n):
        cap = max(n, 2 * self._cap)
        self._ids = (ctypes.c_uint32 * cap)()
        self._idsp = ctypes.cast(self._ids, ctypes.c_void_p)
        self._cap = cap

    def _fail(self, st, what, step=None, size=None):
        if not self._h:
            raise ValueError(f"netgym: {type(self).__name__}.{what}: the channel is closed")
        if step is not None and not (isinstance(step, int) and 0 <= step <= _check.MAX_STEP):
            raise ValueError(f"step={step!r} out of range [0, {_check.MAX_STEP}]")
        if size is not None and not (isinstance(size, int) and 0 <= size <= _check.WIFI_MAX_PACKET_SIZE):
            raise ValueError(f"packet_size={size!r} out of range [0, {_check.WIFI_MAX_PACKET_SIZE}]")
        self._err.raise_for(st, f"{type(self).__name__}.{what}")


def wifi_factory(ns3_cfg=None, **kwargs):
    """A NetRL channel_factory: ``factory(node_cfg)`` returns a
    :class:`WifiChannel` seeded with ``node_cfg.seed`` (CentralNode gives
    node i ``config.seed + i``)."""

    def factory(node_cfg=None):
        return WifiChannel(node_cfg, ns3_cfg, **kwargs)

    return factory


class WifiMultiUEBackend:
    """NetRL's multi-UE Wi-Fi scenario (``NS3WifiMultiUEBackend``) simulated
    by netgym in process: an 802.11a infrastructure BSS, AP at the origin and
    UE i's station at ``distances_m[i]`` (the last value repeats), stations
    with active probing that associate during a 500 ms warm-up; data flows
    uplink over UDP. Use it directly (:meth:`transmit`, :meth:`flush`) or
    through its per-UE views (:meth:`view`, :func:`make_multi_ue_wifi_factory`).

    Parameters (NetRL's names and defaults; keywords override ``ns3_cfg``,
    an ``NS3WifiMultiUEConfig``): n_ues (2, 1..253), distances_m ([10, 10],
    each > 0), step_duration_ms (1), tx_power_dbm (20), loss_exponent (3),
    max_retries (7), packet_size_bytes (64, 0..2268), max_pending_steps
    (200), seed (1), run (1).
    """

    def __init__(self, ns3_cfg=None, *, n_ues=None, distances_m=None, step_duration_ms=None, tx_power_dbm=None,
                 loss_exponent=None, max_retries=None, packet_size_bytes=None, max_pending_steps=None,
                 seed=1, run=1):
        def pick(v, name, default):
            return v if v is not None else _cfg_get(ns3_cfg, name, default)

        self.n_ues = _check.integer("n_ues", pick(n_ues, "n_ues", 2), 1, _check.MAX_UES)
        ds = list(pick(distances_m, "distances_m", [10.0, 10.0]))
        if not ds:
            raise ValueError("distances_m must hold at least one distance (metres, > 0)")
        self.distances_m = [_check.real(f"distances_m[{i}]", d, 0.0, None, lo_open=True) for i, d in enumerate(ds)]
        (self.step_duration_ms, self.tx_power_dbm, self.loss_exponent, self.max_retries) = _check.wifi_link(
            pick(step_duration_ms, "step_duration_ms", 1.0), pick(tx_power_dbm, "tx_power_dbm", 20.0),
            pick(loss_exponent, "loss_exponent", 3.0), pick(max_retries, "max_retries", 7))
        self.packet_size_bytes = _check.integer(
            "packet_size_bytes", pick(packet_size_bytes, "packet_size_bytes", 64), 0, _check.WIFI_MAX_PACKET_SIZE)
        self.max_pending_steps = _check.integer(
            "max_pending_steps", pick(max_pending_steps, "max_pending_steps", 200), 1)
        self.seed = _check.seed("seed", seed)
        self.run = _check.seed("run", run)
        lib = _native.lib()
        err = _native.ErrBuf()
        arr = (ctypes.c_double * len(self.distances_m))(*self.distances_m)
        h = lib.ng_multi_new(self.step_duration_ms, self.n_ues, ctypes.cast(arr, ctypes.c_void_p), len(arr),
                             self.tx_power_dbm, self.loss_exponent, self.max_retries, self.packet_size_bytes,
                             self.seed, self.run, err.ptr, _native.ERRCAP)
        if not h:
            raise ValueError(f"netgym: WifiMultiUEBackend: {err.buf.value.decode()}")
        self._own = _Handle(h, err)
        self._h = h
        self._err = err
        self._cap = _IDS
        self._ues = (ctypes.c_int32 * _IDS)()
        self._steps = (ctypes.c_uint32 * _IDS)()
        self._views = {}

    def distance(self, ue):
        """UE ue's distance to the AP in metres."""
        return self.distances_m[min(ue, len(self.distances_m) - 1)]

    def transmit(self, ue, step, packet_size=None):
        """Sends UE ue's packet of step (max(size, 8) payload bytes)."""
        size = self.packet_size_bytes if packet_size is None else packet_size
        st = _native.lib().ng_multi_transmit(self._h, ue, step, size, self._err.ptr, _native.ERRCAP)
        if st < 0:
            if not (isinstance(ue, int) and 0 <= ue < self.n_ues):
                raise ValueError(f"ue_id={ue!r} out of range [0, {self.n_ues - 1}]")
            self._err.raise_for(st, "WifiMultiUEBackend.transmit")

    def _flush(self, step):
        lib = _native.lib()
        ue_p, st_p = ctypes.cast(self._ues, ctypes.c_void_p), ctypes.cast(self._steps, ctypes.c_void_p)
        n = lib.ng_multi_flush(self._h, step, ue_p, st_p, self._cap, self._err.ptr, _native.ERRCAP)
        if n < 0:
            self._err.raise_for(n, "WifiMultiUEBackend.flush")
        if n > self._cap:
            self._cap = max(n, 2 * self._cap)
            self._ues = (ctypes.c_int32 * self._cap)()
            self._steps = (ctypes.c_uint32 * self._cap)()
            lib.ng_multi_last(self._h, ctypes.cast(self._ues, ctypes.c_void_p),
                              ctypes.cast(self._steps, ctypes.c_void_p), self._cap, self._err.ptr, _native.ERRCAP)
        return list(zip(self._ues[:n], self._steps[:n]))

    def flush(self, step):
        """Advances to the end of step's window; returns {ue: [step ids]} of the arrivals.

        Drive a backend either directly (transmit/flush) or through its views, not both:
        a direct flush bypasses the views' shared flush."""
        out = {}
        for ue, sid in self._flush(step):
            out.setdefault(ue, []).append(sid)
        return out

    def flush_pairs(self, step):
        """Like flush, as a list of (ue, step id) in receive order."""
        return self._flush(step)

    def reset(self):
        """Rebuilds the scenario with the next run number (no reseed)."""
        st = _native.lib().ng_multi_reset(self._h, self._err.ptr, _native.ERRCAP)
        if st < 0:
            self._err.raise_for(st, "WifiMultiUEBackend.reset")
        self.run += 1
        for v in self._views.values():
            v._pending.clear()

    def stats(self):
        """{"sim_time_s", "run", "in_flight", "associated"}."""
        out = (ctypes.c_double * 4)()
        st = _native.lib().ng_multi_stats(self._h, ctypes.cast(out, ctypes.c_void_p), self._err.ptr, _native.ERRCAP)
        if st < 0:
            self._err.raise_for(st, "WifiMultiUEBackend.stats")
        return {"sim_time_s": out[0], "run": int(out[1]), "in_flight": int(out[2]), "associated": int(out[3])}

    def view(self, ue, config=None):
        """The CommChannel of UE ue (one per UE: the same object every call)."""
        ue = _check.integer("ue_id", ue, 0, self.n_ues - 1)
        v = self._views.get(ue)
        if v is None:
            v = WifiUEChannel(self, ue, config)
            self._views[ue] = v
        return v

    def close(self):
        """Frees the simulation and its views now."""
        for v in self._views.values():
            v._own.close()
            v._h = 0
        self._own.close()
        self._h = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class WifiUEChannel(WifiChannel):
    """UE ue's CommChannel of a :class:`WifiMultiUEBackend` (NetRL's
    ``NS3WifiUEChannel``): transmit sends from its UE; the first flush of a
    step among the backend's views advances the shared simulation and the
    others reuse its arrivals; the backend resets once every view has called
    reset(). ``flush(t)`` returns ``(t, obs)`` per arrival."""

    def __init__(self, backend, ue, config=None):  # noqa: D107 - built by WifiMultiUEBackend.view
        self.backend = backend
        self.ue = ue
        self.packet_size_bytes = backend.packet_size_bytes
        self.max_pending_steps = backend.max_pending_steps
        lib = _native.lib()
        err = _native.ErrBuf()
        h = lib.ng_multi_view(backend._h, ue, err.ptr, _native.ERRCAP)
        if not h:
            raise ValueError(f"netgym: WifiUEChannel: {err.buf.value.decode()}")
        self._own = _Handle(h, err)
        self._h = h
        self._err = err
        self._errp = err.ptr
        self._tx = lib.ng_chan_transmit
        self._fl = lib.ng_chan_flush
        self._cap = _IDS
        self._ids = (ctypes.c_uint32 * _IDS)()
        self._idsp = ctypes.cast(self._ids, ctypes.c_void_p)
        self._pending = {}
        self._forked = _native.forked

    def reset(self):
        """Clears this UE's pending observations; the backend rebuilds once every UE reset."""
        self._pending.clear()
        run_before = self.backend.stats()["run"]
        st = _native.lib().ng_chan_reset(self._h, self._errp, 1024)
        if st < 0:
            self._err.raise_for(st, "WifiUEChannel.reset")
        if self.backend.stats()["run"] != run_before:
            self.backend.run += 1

    def get_channel_info(self):
        """NetRL's NS3WifiUEChannel dict plus netgym's simulated time and run."""
        b = self.backend
        s = b.stats()
        return {
            "state": "NETGYM_WIFI_MULTI_UE",
            "ue_id": self.ue,
            "n_ues": b.n_ues,
            "pending_count": len(self._pending),
            "distance_m": b.distance(self.ue),
            "step_duration_ms": b.step_duration_ms,
            "tx_power_dbm": b.tx_power_dbm,
            "loss_exponent": b.loss_exponent,
            "max_retries": b.max_retries,
            "sim_time_s": s["sim_time_s"],
            "run": s["run"],
            "associated": s["associated"],
        }


def make_multi_ue_wifi_factory(ns3_cfg=None, **kwargs):
    """NetRL's ``make_multi_ue_wifi_factory`` on netgym: one in-process
    backend shared by all UEs; the returned ``factory(node_cfg)`` hands out
    the views of UE 0, 1, ... in turn (call it exactly n_ues times, as
    CentralNode does with n_ues node ids). The backend is the factory's
    ``backend`` attribute."""
    backend = WifiMultiUEBackend(ns3_cfg, **kwargs)
    counter = [0]

    def factory(node_cfg=None):
        ue = counter[0]
        if ue >= backend.n_ues:
            raise ValueError(
                f"make_multi_ue_wifi_factory: factory called for UE index {ue} but n_ues={backend.n_ues}; "
                "give CentralNode exactly n_ues node ids")
        counter[0] += 1
        return backend.view(ue, node_cfg)

    factory.backend = backend
    return factory
