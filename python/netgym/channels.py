# SPDX-License-Identifier: GPL-2.0-only
"""NetRL's channels simulated by netgym in process (no subprocess, no pipe).

- :class:`WifiChannel`: NetRL's Wi-Fi ad-hoc link (two nodes, 802.11a at
  54 Mb/s, LogDistance loss), the same scenario as ``scenarios/wifi-sim``.
- :class:`WifiMultiUEBackend` and its per-UE :class:`WifiUEChannel` views:
  NetRL's multi-UE infrastructure BSS (``scenarios/wifi-multi-ue-sim``).
- :class:`LenaChannel`: NetRL's 5G-LENA link (one gNB, one UE, uplink
  through the EPC), the same scenario as ``scenarios/lena-sim``.
- :class:`MmWaveChannel`: NetRL's ns3-mmwave link (one eNB, one UE, uplink
  through the EPC), the same scenario as ``scenarios/mmwave-sim``.

All are subclasses of NetRL's ``CommChannel`` when NetRL is installed
(``transmit(obs, step, packet_size=None)``, ``flush(step)`` returning
``[(arrival_step, obs)]``, ``reset()`` which does not reseed,
``get_channel_info()``), so they plug into NetRL's
``CentralNode(channel_factory=...)`` and
``MultiViewNetworkedEnv(channel_factory=...)``::

    from netrl import CentralNode, NetworkConfig
    import netgym.channels as nc

    central = CentralNode(["a", "b"], (4,), np.float32, NetworkConfig(buffer_size=10),
                          channel_factory=nc.wifi_factory(distance_m=30.0))
    # or nc.lena_factory(NS3LenaConfig(distance_m=100.0)), nc.mmwave_factory(...)

Only the step id and the size cross into Go; the observation stays here,
keyed by its step, and is handed back when its packet arrives (as NetRL's
ns-3 channels do). Each channel is an independent simulation: create as
many as you like, in any thread.
"""

from __future__ import annotations

import ctypes
from typing import Any, Callable, Dict, List, Optional, Tuple

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


class _LinkChannel(_CommChannel):
    """The machinery shared by netgym's single-link channels (one Go
    ``channelif.SimChannel`` behind a handle): NetRL's ``CommChannel``
    methods on top of the library's ng_chan_* functions. Subclasses build
    the Go object and call :meth:`_attach`; they set ``packet_size_bytes``,
    ``max_pending_steps`` and the class attributes below."""

    #: The largest packet_size the link carries (bytes).
    _MAX_PACKET_SIZE: int = _check.WIFI_MAX_PACKET_SIZE
    #: get_channel_info()'s "state".
    _STATE: str = "NETGYM"

    packet_size_bytes: int
    max_pending_steps: int

    def _attach(self, h: int, err: "_native.ErrBuf") -> None:
        """Takes ownership of the Go object h (err is its error buffer)."""
        lib = _native.lib()
        self._own = _Handle(h, err)
        self._h = h
        self._err = err
        self._errp = err.ptr
        self._tx = lib.ng_chan_transmit
        self._fl = lib.ng_chan_flush
        self._cap = _IDS
        self._ids = (ctypes.c_uint32 * _IDS)()
        self._idsp = ctypes.cast(self._ids, ctypes.c_void_p)
        self._pending = {}  # step -> obs, in send order
        self._forked = _native.forked

    # -- NetRL's CommChannel ------------------------------------------------

    def transmit(self, obs: Any, step: int, packet_size: Optional[int] = None) -> None:
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

    def flush(self, step: int) -> List[Tuple[int, Any]]:
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

    def reset(self) -> None:
        """Clears pending observations and rebuilds the scenario with the next run (no reseed)."""
        self._pending.clear()
        st = _native.lib().ng_chan_reset(self._h, self._errp, 1024)
        if st < 0:
            self._err.raise_for(st, f"{type(self).__name__}.reset")
        self.run += 1

    def get_channel_info(self) -> Dict[str, Any]:
        """NetRL's diagnostic dict (subclasses add their settings) plus
        netgym's simulated time, seed, run and packets in flight."""
        now, run, in_flight = self._stats()
        return {
            "state": self._STATE,
            "pending_count": len(self._pending),
            "step_duration_ms": self.step_duration_ms,
            "packet_size_bytes": self.packet_size_bytes,
            "sim_time_s": now,
            "seed": self.seed,
            "run": int(run),
            "in_flight": int(in_flight),
        }

    # -- netgym -----------------------------------------------------------

    def transmit_id(self, step: int, packet_size: Optional[int] = None) -> None:
        """Sends the packet of step without an observation (ids only)."""
        size = self.packet_size_bytes if packet_size is None else packet_size
        st = self._tx(self._h, step, size, self._errp, 1024)
        if st < 0:
            self._fail(st, "transmit", step=step, size=size)

    def flush_ids(self, step: int) -> List[int]:
        """Advances to the end of step's window; returns the arrived step ids (a list)."""
        n = self._fl(self._h, step, self._idsp, self._cap, self._errp, 1024)
        if n < 0:
            self._fail(n, "flush", step=step)
        if n > self._cap:
            self._grow(n)
            _native.lib().ng_chan_last(self._h, self._idsp, self._cap, self._errp, 1024)
        return self._ids[:n]

    def close(self) -> None:
        """Frees the simulation now (garbage collection does it otherwise)."""
        self._own.close()
        self._h = 0
        self._pending.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _stats(self) -> Tuple[float, float, float]:
        out = (ctypes.c_double * 3)()
        st = _native.lib().ng_chan_stats(self._h, ctypes.cast(out, ctypes.c_void_p), self._errp, 1024)
        if st < 0:
            self._err.raise_for(st, "get_channel_info")
        return out[0], out[1], out[2]

    def _grow(self, n: int) -> None:
        cap = max(n, 2 * self._cap)
        self._ids = (ctypes.c_uint32 * cap)()
        self._idsp = ctypes.cast(self._ids, ctypes.c_void_p)
        self._cap = cap

    def _fail(self, st: int, what: str, step: Any = None, size: Any = None) -> None:
        if not self._h:
            raise ValueError(f"netgym: {type(self).__name__}.{what}: the channel is closed")
        if step is not None and not (isinstance(step, int) and 0 <= step <= _check.MAX_STEP):
            raise ValueError(f"step={step!r} out of range [0, {_check.MAX_STEP}]")
        if size is not None and not (isinstance(size, int) and 0 <= size <= self._MAX_PACKET_SIZE):
            raise ValueError(f"packet_size={size!r} out of range [0, {self._MAX_PACKET_SIZE}]")
        self._err.raise_for(st, f"{type(self).__name__}.{what}")


def _seed_of(config: Any, seed: Optional[int]) -> int:
    """seed if given, else NetRL's ``config.seed`` (CentralNode: base + node index), else 1."""
    if seed is None:
        seed = _cfg_get(config, "seed", None)
    return _check.seed("seed", 1 if seed is None else seed)


def _ns3_of(ns3_cfg: Any, ns3_config: Any) -> Any:
    """NetRL's config object, given positionally (``ns3_cfg``) or as NetRL's keyword ``ns3_config``."""
    if ns3_cfg is not None and ns3_config is not None:
        raise TypeError("give the ns-3 config once: ns3_cfg or ns3_config, not both")
    return ns3_cfg if ns3_cfg is not None else ns3_config


class WifiChannel(_LinkChannel):
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

    _MAX_PACKET_SIZE = _check.WIFI_MAX_PACKET_SIZE
    _STATE = "NETGYM_WIFI"

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
        self._attach(h, err)

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


def wifi_factory(ns3_cfg=None, **kwargs):
    """A NetRL channel_factory: ``factory(node_cfg)`` returns a
    :class:`WifiChannel` seeded with ``node_cfg.seed`` (CentralNode gives
    node i ``config.seed + i``)."""

    def factory(node_cfg=None):
        return WifiChannel(node_cfg, ns3_cfg, **kwargs)

    return factory


def lena_settings(*, distance_m: Any = 50.0, frequency_ghz: Any = 28.0, bandwidth_ghz: Any = 0.1,
                  ue_tx_power_dbm: Any = 23.0, gnb_tx_power_dbm: Any = 30.0, scenario: Any = "UMa",
                  numerology: Any = 3, shadowing_enabled: Any = False,
                  step_duration_ms: Any = 1.0) -> Dict[str, Any]:
    """The 5G-LENA link's settings (NetRL's ``NS3LenaConfig`` names and
    defaults) checked, as a dict: errors name the parameter and its range
    (ValueError, or TypeError for a value of the wrong type). Shared by
    :class:`LenaChannel` and the ``netgym/LenaChannel-v0`` environments."""
    return {
        "distance_m": _check.real("distance_m", distance_m, 0.0, 100e3),
        "frequency_ghz": _check.real("frequency_ghz", frequency_ghz, 0.5, 100.0),
        "bandwidth_ghz": _check.real("bandwidth_ghz", bandwidth_ghz, 0.0, None, lo_open=True),
        "ue_tx_power_dbm": _check.real("ue_tx_power_dbm", ue_tx_power_dbm, -100.0, 80.0),
        "gnb_tx_power_dbm": _check.real("gnb_tx_power_dbm", gnb_tx_power_dbm, -100.0, 80.0),
        "scenario": _check.name("scenario", scenario),
        "numerology": _check.integer("numerology", numerology, 0, _check.MAX_NUMEROLOGY),
        "shadowing_enabled": _check.flag("shadowing_enabled", shadowing_enabled),
        "step_duration_ms": _check.real("step_duration_ms", step_duration_ms, 0.0, None, lo_open=True),
    }


def lena_args(link: Dict[str, Any]) -> Tuple[Any, ...]:
    """The leading arguments of ng_lena_new and ng_vec_new_lena from
    :func:`lena_settings`: ns3_lena_sim's flags in its units. NetRL hands
    its program frequency_ghz * 1e9 and bandwidth_ghz * 1e9 as decimal
    strings that read back as these very doubles."""
    return (link["step_duration_ms"], link["distance_m"], link["frequency_ghz"] * 1e9, link["bandwidth_ghz"] * 1e9,
            link["ue_tx_power_dbm"], link["gnb_tx_power_dbm"], link["scenario"].encode(), link["numerology"],
            int(link["shadowing_enabled"]))


def mmwave_settings(*, distance_m: Any = 50.0, frequency_ghz: Any = 28.0, bandwidth_ghz: Any = 0.2,
                    tx_power_dbm: Any = 23.0, enb_tx_power_dbm: Any = 30.0, noise_figure_db: Any = 9.0,
                    enb_noise_figure_db: Any = 5.0, scenario: Any = "UMa", harq_enabled: Any = True,
                    rlc_am_enabled: Any = False, step_duration_ms: Any = 1.0,
                    scheduler: Any = "rr") -> Dict[str, Any]:
    """The mmWave link's settings (NetRL's ``NS3MmWaveConfig`` names and
    defaults, plus netgym's ``scheduler``) checked, as a dict: errors name
    the parameter and its range. Shared by :class:`MmWaveChannel`, the
    ``netgym/MmWaveChannel-v0`` environments and
    :class:`netgym.vector.NetworkedVectorEnv`'s mmWave links."""
    return {
        "distance_m": _check.real("distance_m", distance_m, 0.0, 1e9, lo_open=True),
        "frequency_ghz": _check.real("frequency_ghz", frequency_ghz, 0.5, 100.0),
        "bandwidth_ghz": _check.real("bandwidth_ghz", bandwidth_ghz, 0.0, None, lo_open=True),
        "tx_power_dbm": _check.real("tx_power_dbm", tx_power_dbm, -100.0, 100.0),
        "enb_tx_power_dbm": _check.real("enb_tx_power_dbm", enb_tx_power_dbm, -100.0, 100.0),
        "noise_figure_db": _check.real("noise_figure_db", noise_figure_db, 0.0, 100.0),
        "enb_noise_figure_db": _check.real("enb_noise_figure_db", enb_noise_figure_db, 0.0, 100.0),
        "scenario": _check.name("scenario", scenario),
        "harq_enabled": _check.flag("harq_enabled", harq_enabled),
        "rlc_am_enabled": _check.flag("rlc_am_enabled", rlc_am_enabled),
        "step_duration_ms": _check.real("step_duration_ms", step_duration_ms, 0.0, None, lo_open=True),
        "scheduler": _check.choice("scheduler", scheduler, _check.MMWAVE_SCHEDULERS),
    }


def mmwave_args(link: Dict[str, Any]) -> Tuple[Any, ...]:
    """The leading arguments of ng_mmwave_new and ng_vec_new_mmwave from
    :func:`mmwave_settings`: ns3_mmwave_sim's flags in its units."""
    return (link["step_duration_ms"], link["distance_m"], link["frequency_ghz"] * 1e9, link["bandwidth_ghz"] * 1e9,
            link["tx_power_dbm"], link["enb_tx_power_dbm"], link["noise_figure_db"], link["enb_noise_figure_db"],
            link["scenario"].encode(), int(link["harq_enabled"]), int(link["rlc_am_enabled"]),
            link["scheduler"].encode())


class LenaChannel(_LinkChannel):
    """NetRL's 5G-LENA channel (``NS3LenaChannel``, program ``ns3_lena_sim``),
    simulated by netgym in process: one gNB at (0, 0, 3 m) with a 4x8 array
    and one UE at (distance, 0, 1.5 m) with a 2x4 array, 5G-LENA's NR stack
    (TDMA round-robin scheduler, HARQ, RLC UM, ideal RRC) on TR 38.901
    pathloss, LOS condition and fast fading, and the EPC; each step's packet
    goes uplink UE -> gNB -> SGW/PGW -> remote host on a 5QI 80 bearer. The
    same scenario as ``scenarios/lena-sim`` (``channelif/nr``, docs/nr.md).

    Accepts NetRL's constructor arguments ``(config, ns3_cfg)`` (a
    ``NetworkConfig`` for the seed and an ``NS3LenaConfig`` for the link;
    NetRL's keyword ``ns3_config=`` works too) or keywords. Step ``t`` is
    the window ``[start + t*step, start + (t+1)*step)`` after a warm-up of
    ``max(500 ms, 2*step)`` with the UE attached; its packet is sent 1% into
    the step. ``flush(t)`` returns ``(t, obs)`` for every observation whose
    packet arrived during step t (the flush step, as NetRL's
    ``NS3LenaChannel``); observations pending for more than
    ``max_pending_steps`` are dropped. ``reset()`` clears them and rebuilds
    the scenario with the next run number: episodes differ, a session
    replays identically. With seed 1 and run 1 (NetRL starts its program
    without a seed) it steps exactly what ``lena-sim`` does through NetRL's
    pipe.

    Parameters (NetRL's ``NS3LenaConfig`` names and defaults; keywords
    override ``ns3_cfg``): distance_m (50, 0..1e5 m), frequency_ghz (28,
    0.5..100), bandwidth_ghz (0.1; at least one resource block at the
    numerology), ue_tx_power_dbm (23), gnb_tx_power_dbm (30, both
    -100..80), scenario ("UMa"; "UMi", "UMi-StreetCanyon", "RMa",
    "InH-OfficeMixed", "InH-OfficeOpen"), numerology (3, 0..6),
    shadowing_enabled (False), packet_size_bytes (64, 0..1932; payloads
    below 4 bytes are padded to 4 as NetRL's program does),
    step_duration_ms (1, > 0), max_pending_steps (500, >= 1), seed
    (``config.seed``, else 1), run (1).
    """

    _MAX_PACKET_SIZE = _check.LENA_MAX_PACKET_SIZE
    _STATE = "NETGYM_LENA"

    def __init__(self, config: Any = None, ns3_cfg: Any = None, *, ns3_config: Any = None,
                 distance_m: Optional[float] = None, frequency_ghz: Optional[float] = None,
                 bandwidth_ghz: Optional[float] = None, ue_tx_power_dbm: Optional[float] = None,
                 gnb_tx_power_dbm: Optional[float] = None, scenario: Optional[str] = None,
                 numerology: Optional[int] = None, shadowing_enabled: Optional[bool] = None,
                 packet_size_bytes: Optional[int] = None, step_duration_ms: Optional[float] = None,
                 max_pending_steps: Optional[int] = None, seed: Optional[int] = None, run: int = 1) -> None:
        ns3 = _ns3_of(ns3_cfg, ns3_config)

        def pick(v: Any, name: str, default: Any) -> Any:
            return v if v is not None else _cfg_get(ns3, name, default)

        link = lena_settings(
            distance_m=pick(distance_m, "distance_m", 50.0),
            frequency_ghz=pick(frequency_ghz, "frequency_ghz", 28.0),
            bandwidth_ghz=pick(bandwidth_ghz, "bandwidth_ghz", 0.1),
            ue_tx_power_dbm=pick(ue_tx_power_dbm, "ue_tx_power_dbm", 23.0),
            gnb_tx_power_dbm=pick(gnb_tx_power_dbm, "gnb_tx_power_dbm", 30.0),
            scenario=pick(scenario, "scenario", "UMa"),
            numerology=pick(numerology, "numerology", 3),
            shadowing_enabled=pick(shadowing_enabled, "shadowing_enabled", False),
            step_duration_ms=pick(step_duration_ms, "step_duration_ms", 1.0))
        self.distance_m = link["distance_m"]
        self.frequency_ghz = link["frequency_ghz"]
        self.bandwidth_ghz = link["bandwidth_ghz"]
        self.ue_tx_power_dbm = link["ue_tx_power_dbm"]
        self.gnb_tx_power_dbm = link["gnb_tx_power_dbm"]
        self.scenario = link["scenario"]
        self.numerology = link["numerology"]
        self.shadowing_enabled = link["shadowing_enabled"]
        self.step_duration_ms = link["step_duration_ms"]
        self.packet_size_bytes = _check.integer(
            "packet_size_bytes", pick(packet_size_bytes, "packet_size_bytes", 64), 0, _check.LENA_MAX_PACKET_SIZE)
        self.max_pending_steps = _check.integer(
            "max_pending_steps", pick(max_pending_steps, "max_pending_steps", 500), 1)
        self.seed = _seed_of(config, seed)
        self.run = _check.seed("run", run)
        lib = _native.lib()
        err = _native.ErrBuf()
        h = lib.ng_lena_new(*lena_args(link), self.packet_size_bytes, self.seed, self.run, err.ptr, _native.ERRCAP)
        if not h:
            raise ValueError(f"netgym: LenaChannel: {err.buf.value.decode('utf-8', 'replace')}")
        self._attach(h, err)

    def get_channel_info(self) -> Dict[str, Any]:
        """NetRL's ``NS3LenaChannel`` dict (state "NETGYM_LENA") plus netgym's
        simulated time, seed, run and packets in flight."""
        info = super().get_channel_info()
        info.update({
            "arrived_buffered": 0,
            "distance_m": self.distance_m,
            "frequency_ghz": self.frequency_ghz,
            "bandwidth_ghz": self.bandwidth_ghz,
            "ue_tx_power_dbm": self.ue_tx_power_dbm,
            "gnb_tx_power_dbm": self.gnb_tx_power_dbm,
            "scenario": self.scenario,
            "numerology": self.numerology,
            "shadowing_enabled": self.shadowing_enabled,
        })
        return info


class MmWaveChannel(_LinkChannel):
    """NetRL's mmWave channel (``NS3MmWaveChannel``, program
    ``ns3_mmwave_sim``), simulated by netgym in process: one ns3-mmwave eNB
    at (0, 0, 3 m) and one UE at (distance, 0, 1.5 m), ns3-mmwave v7.0's
    stack (variable-TTI round-robin scheduler, HARQ, RLC UM or AM, ideal
    RRC) on the TR 38.901 channel and the EPC; each step's packet goes
    uplink UE -> eNB -> SGW/PGW -> remote host on the default bearer. The
    same scenario as ``scenarios/mmwave-sim`` (``channelif/mmwave``,
    docs/mmwave.md).

    Accepts NetRL's constructor arguments ``(config, ns3_cfg)`` (a
    ``NetworkConfig`` for the seed and an ``NS3MmWaveConfig``; NetRL's
    keyword ``ns3_config=`` works too) or keywords. Timing, ``flush``,
    expiry and ``reset`` as :class:`LenaChannel` (warm-up ``max(500 ms,
    2*step)``, packet 1% into its step, arrivals reported at the flush
    step); with seed 1 and run 1 it steps exactly what ``mmwave-sim`` does
    through NetRL's pipe.

    Parameters (NetRL's ``NS3MmWaveConfig`` names and defaults; keywords
    override ``ns3_cfg``): distance_m (50, > 0), frequency_ghz (28,
    0.5..100), bandwidth_ghz (0.2), tx_power_dbm (23), enb_tx_power_dbm
    (30, both -100..100), noise_figure_db (9), enb_noise_figure_db (5, both
    0..100), scenario ("UMa"; "RMa", "UMi-StreetCanyon", "InH-OfficeMixed",
    "InH-OfficeOpen": the fast-fading scenario, the pathloss stays UMa's as
    in ns3-mmwave), harq_enabled (True), rlc_am_enabled (False),
    packet_size_bytes (64, 0..1472), step_duration_ms (1, > 0),
    max_pending_steps (500, >= 1), seed (``config.seed``, else 1), run (1).
    netgym adds scheduler ("rr", the default: ns3-mmwave's and NetRL's
    round-robin MmWaveFlexTtiMacScheduler; "pf": proportional fair;
    "maxrate": highest MCS first), ``mmwave-sim``'s ``--scheduler``.
    """

    _MAX_PACKET_SIZE = _check.MMWAVE_MAX_PACKET_SIZE
    _STATE = "NETGYM_MMWAVE"

    def __init__(self, config: Any = None, ns3_cfg: Any = None, *, ns3_config: Any = None,
                 distance_m: Optional[float] = None, frequency_ghz: Optional[float] = None,
                 bandwidth_ghz: Optional[float] = None, tx_power_dbm: Optional[float] = None,
                 enb_tx_power_dbm: Optional[float] = None, noise_figure_db: Optional[float] = None,
                 enb_noise_figure_db: Optional[float] = None, scenario: Optional[str] = None,
                 harq_enabled: Optional[bool] = None, rlc_am_enabled: Optional[bool] = None,
                 packet_size_bytes: Optional[int] = None, step_duration_ms: Optional[float] = None,
                 max_pending_steps: Optional[int] = None, seed: Optional[int] = None, run: int = 1,
                 scheduler: Optional[str] = None) -> None:
        ns3 = _ns3_of(ns3_cfg, ns3_config)

        def pick(v: Any, name: str, default: Any) -> Any:
            return v if v is not None else _cfg_get(ns3, name, default)

        link = mmwave_settings(
            distance_m=pick(distance_m, "distance_m", 50.0),
            frequency_ghz=pick(frequency_ghz, "frequency_ghz", 28.0),
            bandwidth_ghz=pick(bandwidth_ghz, "bandwidth_ghz", 0.2),
            tx_power_dbm=pick(tx_power_dbm, "tx_power_dbm", 23.0),
            enb_tx_power_dbm=pick(enb_tx_power_dbm, "enb_tx_power_dbm", 30.0),
            noise_figure_db=pick(noise_figure_db, "noise_figure_db", 9.0),
            enb_noise_figure_db=pick(enb_noise_figure_db, "enb_noise_figure_db", 5.0),
            scenario=pick(scenario, "scenario", "UMa"),
            harq_enabled=pick(harq_enabled, "harq_enabled", True),
            rlc_am_enabled=pick(rlc_am_enabled, "rlc_am_enabled", False),
            step_duration_ms=pick(step_duration_ms, "step_duration_ms", 1.0),
            scheduler=pick(scheduler, "scheduler", "rr"))
        self.distance_m = link["distance_m"]
        self.frequency_ghz = link["frequency_ghz"]
        self.bandwidth_ghz = link["bandwidth_ghz"]
        self.tx_power_dbm = link["tx_power_dbm"]
        self.enb_tx_power_dbm = link["enb_tx_power_dbm"]
        self.noise_figure_db = link["noise_figure_db"]
        self.enb_noise_figure_db = link["enb_noise_figure_db"]
        self.scenario = link["scenario"]
        self.harq_enabled = link["harq_enabled"]
        self.rlc_am_enabled = link["rlc_am_enabled"]
        self.scheduler = link["scheduler"]
        self.step_duration_ms = link["step_duration_ms"]
        self.packet_size_bytes = _check.integer(
            "packet_size_bytes", pick(packet_size_bytes, "packet_size_bytes", 64), 0, _check.MMWAVE_MAX_PACKET_SIZE)
        self.max_pending_steps = _check.integer(
            "max_pending_steps", pick(max_pending_steps, "max_pending_steps", 500), 1)
        self.seed = _seed_of(config, seed)
        self.run = _check.seed("run", run)
        lib = _native.lib()
        err = _native.ErrBuf()
        h = lib.ng_mmwave_new(*mmwave_args(link), self.packet_size_bytes, self.seed, self.run, err.ptr,
                              _native.ERRCAP)
        if not h:
            raise ValueError(f"netgym: MmWaveChannel: {err.buf.value.decode('utf-8', 'replace')}")
        self._attach(h, err)

    def get_channel_info(self) -> Dict[str, Any]:
        """NetRL's ``NS3MmWaveChannel`` dict (state "NETGYM_MMWAVE") plus
        netgym's simulated time, seed, run and packets in flight."""
        info = super().get_channel_info()
        info.update({
            "arrived_buffered": 0,
            "distance_m": self.distance_m,
            "frequency_ghz": self.frequency_ghz,
            "bandwidth_ghz": self.bandwidth_ghz,
            "tx_power_dbm": self.tx_power_dbm,
            "enb_tx_power_dbm": self.enb_tx_power_dbm,
            "noise_figure_db": self.noise_figure_db,
            "enb_noise_figure_db": self.enb_noise_figure_db,
            "scenario": self.scenario,
            "harq_enabled": self.harq_enabled,
            "rlc_am_enabled": self.rlc_am_enabled,
            "scheduler": self.scheduler,
        })
        return info


def lena_factory(ns3_cfg: Any = None, **kwargs: Any) -> Callable[[Any], LenaChannel]:
    """A NetRL channel_factory: ``factory(node_cfg)`` returns a
    :class:`LenaChannel` with ``ns3_cfg`` (an ``NS3LenaConfig``) and the
    keywords, seeded with ``node_cfg.seed`` unless ``seed=`` is given
    (CentralNode gives node i ``config.seed + i``)."""

    def factory(node_cfg: Any = None) -> LenaChannel:
        return LenaChannel(node_cfg, ns3_cfg, **kwargs)

    return factory


def mmwave_factory(ns3_cfg: Any = None, **kwargs: Any) -> Callable[[Any], MmWaveChannel]:
    """A NetRL channel_factory: ``factory(node_cfg)`` returns a
    :class:`MmWaveChannel` with ``ns3_cfg`` (an ``NS3MmWaveConfig``) and
    the keywords, seeded with ``node_cfg.seed`` unless ``seed=`` is given."""

    def factory(node_cfg: Any = None) -> MmWaveChannel:
        return MmWaveChannel(node_cfg, ns3_cfg, **kwargs)

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
        self._attach(h, err)

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
