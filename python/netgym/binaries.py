# SPDX-License-Identifier: GPL-2.0-only
"""The scenario binaries installed with the package (built from the Go
sources by ``pip install ./python``): NetRL's drop-in backends
(``wifi-sim``, ``wifi-multi-ue-sim``, ``channel-sim``, ``lena-sim``,
``mmwave-sim``) and the ns3-gym scenarios (``opengym``, ``defiance-addition``, ``multi-agent-counters``,
``rl-wifi``).

    from netrl import NS3WifiConfig
    import netgym.binaries
    cfg = NS3WifiConfig(distance_m=30.0, sim_binary=netgym.binaries.path("wifi-sim"))

    from netrl import NS3LenaConfig, NS3MmWaveConfig
    lena = NS3LenaConfig(distance_m=100.0, sim_binary=netgym.binaries.path("lena-sim"))
    mmw = NS3MmWaveConfig(distance_m=100.0, sim_binary=netgym.binaries.path("mmwave-sim"))
"""

import os

#: The binaries the package build installs.
NAMES = ("wifi-sim", "wifi-multi-ue-sim", "channel-sim", "lena-sim", "mmwave-sim", "opengym",
         "defiance-addition", "multi-agent-counters", "rl-wifi")


def directory():
    """Where the binaries are: $NETGYM_BIN_DIR, else the package's _bin folder."""
    return os.environ.get("NETGYM_BIN_DIR") or os.path.join(os.path.dirname(__file__), "_bin")


def path(name):
    """The path of binary name (one of NAMES); FileNotFoundError if it was not built."""
    if name not in NAMES:
        raise ValueError(f"binary {name!r} is not one of netgym's: {', '.join(NAMES)}")
    p = os.path.join(directory(), name)
    if not os.path.isfile(p):
        raise FileNotFoundError(
            f"netgym: binary {p} not found: install the package with `pip install ./python` from a "
            f"netgym checkout (it builds the binaries with Go), or set $NETGYM_BIN_DIR to a folder "
            f"holding `go build -o DIR/{name} ./scenarios/{name}`")
    return p
