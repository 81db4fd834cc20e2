# SPDX-License-Identifier: GPL-2.0-only
"""The installed package holds what its build produced: the Go library and
every scenario binary, executable."""

import os
import subprocess

import pytest

import netgym
from netgym import _native, binaries


def test_library_and_binaries_are_installed():
    if not os.environ.get("NETGYM_LIBRARY"):
        assert os.path.dirname(_native.library_path()).startswith(os.path.dirname(netgym.__file__))
    assert os.path.isfile(_native.library_path())
    assert _native.lib().ng_abi_version() == _native.ABI_VERSION
    for name in binaries.NAMES:
        p = binaries.path(name)
        assert os.access(p, os.X_OK), p


def test_wifi_sim_speaks_netrls_protocol():
    out = subprocess.run([binaries.path("wifi-sim"), "--distance=10"], input="TRANSMIT 0 64\nFLUSH 0\nQUIT\n",
                         capture_output=True, text=True, timeout=30)
    assert out.stdout.splitlines()[:2] == ["READY", "OK"]


def test_unknown_binary():
    with pytest.raises(ValueError, match="not one of netgym's"):
        binaries.path("ns3-wifi")
