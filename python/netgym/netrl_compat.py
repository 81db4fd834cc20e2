# SPDX-License-Identifier: GPL-2.0-only
"""NetRL's compiled fast-path interfaces, backed by netgym.

NetRL's ``NS3WiFiChannelFastConfig`` and its multi-UE backend load two
top-level pybind11 modules, ``_netrl_ext`` (class ``NS3WiFiChannel``) and
``_netrl_multi_ue_ext`` (class ``NS3WiFiMultiUEChannel``), built against
ns-3; NetRL cannot even be imported without ``_netrl_ext``. The classes
below have the same constructors, methods and return values (NetRL's
src/ns3_wifi_channel_pybind11.cpp and src/ns3_wifi_multi_ue_channel_pybind11.cpp)
and run netgym's Go simulation in process. The opt-in package in
``python/netrl-ext`` installs the two module names on top of them::

    pip install ./python/netrl-ext     # provides _netrl_ext and _netrl_multi_ue_ext

Differences from NetRL's ns-3 extension, all deliberate:

- Many channels per process: each object is its own simulation (NetRL's
  uses ns-3's global Simulator, one channel per process).
- The Wi-Fi link is the one of NetRL's ns-3 programs (``wifi-sim``):
  LogDistance with 46.6777 dB at 1 m; NetRL's single-link extension
  configures ``ReferenceLoss`` 40 dB instead, so its range is about 1.67x
  longer at exponent 3. The multi-UE extension already uses 46.6777 dB.
- ``packet_size`` given to ``transmit`` is honoured (NetRL's single-link
  extension always sends ``packet_size_bytes``).
- ``seed`` seeds netgym's simulation (NetRL's extension ignores it); the
  multi-UE class takes an optional ``seed`` keyword (default 1).
- Observations whose packets can no longer arrive (sent more than 10 s of
  simulated time ago) are forgotten; NetRL's extension keeps them until
  reset().
"""

import copy
import dataclasses
import math

import numpy as np

# netgym.channels is imported inside the constructors, not here: importing
# it imports NetRL (for its CommChannel base), whose import loads this module
# through _netrl_ext.

_HORIZON_MS = 10_000.0  # Go's in-flight horizon: no packet arrives later


def _copy_replace(obj, /, **changes):
    """Python 3.13's copy.replace for the objects NetRL passes it (dataclasses)."""
    rep = getattr(type(obj), "__replace__", None)
    if rep is not None:
        return rep(obj, **changes)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **changes)
    raise TypeError(f"replace() does not support {type(obj).__name__} objects")


def install_copy_replace():
    """NetRL 0.1.0's CentralNode calls copy.replace, new in Python 3.13,
    although NetRL declares Python >= 3.10. On older Pythons this adds the
    3.13 function (for dataclasses such as NetworkConfig) to the copy
    module; netgym's _netrl_ext shim calls it when NetRL imports it."""
    if not hasattr(copy, "replace"):
        copy.replace = _copy_replace


class NS3WiFiChannel:
    """``_netrl_ext.NS3WiFiChannel`` on netgym: NetRL's Wi-Fi ad-hoc link.

    ``transmit(obs, step, packet_size=-1)`` keeps a float64 copy of obs;
    ``flush(step)`` advances to the end of step's window and returns
    ``[(step_id, obs)]`` for the packets that arrived (the id is the step
    the packet was sent in, as NetRL's extension returns)."""

    def __init__(self, distance_m=15.0, step_duration_ms=2.0, tx_power_dbm=20.0, loss_exponent=3.0, max_retries=7,
                 packet_size_bytes=256, seed=0):
        from .channels import WifiChannel

        self._ch = WifiChannel(distance_m=distance_m, step_duration_ms=step_duration_ms, tx_power_dbm=tx_power_dbm,
                               loss_exponent=loss_exponent, max_retries=max_retries,
                               packet_size_bytes=packet_size_bytes, seed=seed)
        self._packet_size_bytes = packet_size_bytes
        self._pending = {}  # step id -> float64 observation
        self._keep = max(1, math.ceil(_HORIZON_MS / self._ch.step_duration_ms)) + 1

    @property
    def distance_m(self):
        """STA-AP distance in metres."""
        return self._ch.distance_m

    @property
    def step_duration_ms(self):
        """Environment step duration in milliseconds."""
        return self._ch.step_duration_ms

    def transmit(self, obs, step, packet_size=-1):
        """Schedules the transmission of step's observation (float64 copy kept here)."""
        size = self._packet_size_bytes if packet_size is None or packet_size < 0 else packet_size
        self._ch.transmit_id(step, size)
        self._pending[step] = np.array(obs, dtype=np.float64, copy=True)

    def flush(self, step):
        """Advances the simulation; returns [(step_id, obs)] of the packets that arrived."""
        out = []
        pending = self._pending
        for sid in self._ch.flush_ids(step):
            obs = pending.pop(sid, None)
            if obs is not None:
                out.append((int(sid), obs))
        if pending:
            horizon = step - self._keep
            if next(iter(pending)) < horizon:
                for old in [s for s in pending if s < horizon]:
                    del pending[old]
        return out

    def reset(self):
        """Rebuilds the scenario (netgym: the next run number)."""
        self._pending.clear()
        self._ch.reset()

    def get_channel_info(self):
        """The extension's diagnostic dict (plus netgym's time and run)."""
        c = self._ch
        now, run, _ = c._stats()
        return {
            "state": "NS3_WIFI",
            "backend": "netgym",
            "distance_m": c.distance_m,
            "step_duration_ms": c.step_duration_ms,
            "tx_power_dbm": c.tx_power_dbm,
            "loss_exponent": c.loss_exponent,
            "max_retries": c.max_retries,
            "packet_size_bytes": self._packet_size_bytes,
            "pending_tx_count": len(self._pending),
            "pending_rx_count": 0,
            "pending_count": len(self._pending),
            "sim_time_s": now,
            "run": int(run),
        }

    def close(self):
        """Frees the simulation now."""
        self._ch.close()


class NS3WiFiMultiUEChannel:
    """``_netrl_multi_ue_ext.NS3WiFiMultiUEChannel`` on netgym: NetRL's
    multi-UE infrastructure BSS. ``transmit(ue_id, step_id, packet_size=-1)``;
    ``flush(step_id)`` returns ``[(ue_id, step_id)]`` in receive order."""

    def __init__(self, n_ues, distances_m, step_duration_ms=1.0, tx_power_dbm=20.0, loss_exponent=3.0, max_retries=7,
                 packet_size_bytes=64, seed=1):
        from .channels import WifiMultiUEBackend

        ds = list(distances_m) or [10.0]  # NetRL's extension: empty -> 10 m
        self._b = WifiMultiUEBackend(n_ues=n_ues, distances_m=ds, step_duration_ms=step_duration_ms,
                                     tx_power_dbm=tx_power_dbm, loss_exponent=loss_exponent, max_retries=max_retries,
                                     packet_size_bytes=packet_size_bytes, seed=seed)

    def transmit(self, ue_id, step_id, packet_size=-1):
        """Schedules UE ue_id's packet of step_id (packet_size < 0: the default size)."""
        try:
            self._b.transmit(ue_id, step_id, None if packet_size is None or packet_size < 0 else packet_size)
        except ValueError as e:  # NetRL's extension raises RuntimeError (std::runtime_error)
            raise RuntimeError(str(e)) from None

    def flush(self, step_id):
        """Advances the simulation; returns [(ue_id, step_id)] of the packets the AP received."""
        return self._b.flush_pairs(step_id)

    def reset(self):
        """Rebuilds the scenario (netgym: the next run number)."""
        self._b.reset()

    def get_channel_info(self):
        """The extension's diagnostic dict (plus netgym's time and run)."""
        b = self._b
        s = b.stats()
        return {
            "state": "NS3_WIFI_MULTI_UE",
            "backend": "netgym",
            "n_ues": b.n_ues,
            "step_duration_ms": b.step_duration_ms,
            "tx_power_dbm": b.tx_power_dbm,
            "loss_exponent": b.loss_exponent,
            "max_retries": b.max_retries,
            "packet_size_bytes": b.packet_size_bytes,
            "pending_arrivals": 0,
            "sim_time_s": s["sim_time_s"],
            "run": s["run"],
        }

    def close(self):
        """Frees the simulation now."""
        self._b.close()
