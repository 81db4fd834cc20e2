# SPDX-License-Identifier: GPL-2.0-only
"""Argument checks that name the parameter and its accepted range."""

import math
import numbers

# The largest payload one 802.11 frame carries: the 2296-byte MTU less the
# IPv4 and UDP headers (channelif.WifiMaxPacketSize; netgym does not fragment).
WIFI_MAX_PACKET_SIZE = 2296 - 20 - 8
MAX_STEP = 2**32 - 1
MAX_UES = 253


def real(name, value, lo=None, hi=None, lo_open=False):
    """A finite real number in [lo, hi] ((lo, hi] with lo_open)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    v = float(value)
    lo_s = "-inf" if lo is None else f"{lo:g}"
    hi_s = "inf" if hi is None else f"{hi:g}"
    rng = f"{'(' if lo_open else '['}{lo_s}, {hi_s}{']' if hi is not None else ')'}"
    if math.isnan(v) or math.isinf(v):
        raise ValueError(f"{name}={value!r} must be a finite number in {rng}")
    if lo is not None and (v < lo or (lo_open and v == lo)):
        raise ValueError(f"{name}={value!r} out of range {rng}")
    if hi is not None and v > hi:
        raise ValueError(f"{name}={value!r} out of range {rng}")
    return v


def integer(name, value, lo=None, hi=None):
    """An integer in [lo, hi]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        lo_s = "-inf" if lo is None else str(lo)
        hi_s = "inf" if hi is None else str(hi)
        raise ValueError(f"{name}={value!r} out of range [{lo_s}, {hi_s}]")
    return v


def wifi_link(step_duration_ms, tx_power_dbm, loss_exponent, max_retries):
    """The settings shared by the Wi-Fi channels, checked."""
    return (
        real("step_duration_ms", step_duration_ms, 0.0, None, lo_open=True),
        real("tx_power_dbm", tx_power_dbm),
        real("loss_exponent", loss_exponent, 0.0, None, lo_open=True),
        integer("max_retries", max_retries, 1, 2**31 - 1),
    )


def seed(name, value):
    """A netgym seed or run number: an integer in [0, 2**64 - 1]."""
    return integer(name, value, 0, 2**64 - 1)


# The largest payloads of the cellular links (netgym does not fragment):
# 5G-LENA's S1-U MTU of 2000 bytes less the GTP-U tunnel (40) and the
# user's IPv4 and UDP headers (channelif/nr.MaxPacketSize); ns3-mmwave's
# remote-host link MTU of 1500 less IPv4 and UDP (channelif/mmwave).
LENA_MAX_PACKET_SIZE = 2000 - 40 - 20 - 8
MMWAVE_MAX_PACKET_SIZE = 1500 - 20 - 8
# nr5g.MaxNumerology
MAX_NUMEROLOGY = 6


def flag(name, value):
    """A switch: a bool, or the integers 0 and 1 (as NetRL's programs take them)."""
    if isinstance(value, bool):
        return value
    dtype = getattr(value, "dtype", None)  # a numpy bool scalar
    if getattr(dtype, "kind", None) == "b" and getattr(value, "ndim", None) == 0:
        return bool(value)
    if isinstance(value, numbers.Integral) and int(value) in (0, 1):
        return bool(value)
    raise TypeError(f"{name} must be a bool (or 0/1), got {value!r}")


def name(name_, value):
    """A non-empty string without NUL bytes (a scenario name)."""
    if not isinstance(value, str):
        raise TypeError(f"{name_} must be a string, got {type(value).__name__}")
    if not value or "\x00" in value:
        raise ValueError(f"{name_}={value!r} must be a non-empty name")
    return value


# The mmWave MAC schedulers (channelif/mmwave.Config.Scheduler, mmwave-sim's
# --scheduler): rr, ns3-mmwave's and NetRL's MmWaveFlexTtiMacScheduler
# (round robin), pf (proportional fair) and maxrate (highest MCS first).
MMWAVE_SCHEDULERS = ("rr", "pf", "maxrate")


def choice(name_, value, choices):
    """One of the strings in choices."""
    if not isinstance(value, str):
        raise TypeError(f"{name_} must be a string, got {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name_}={value!r} not one of {', '.join(choices)}")
    return value
