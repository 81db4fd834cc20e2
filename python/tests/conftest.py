# SPDX-License-Identifier: GPL-2.0-only
"""Shared fixtures: the installed package's binaries (or $NETGYM_*_BIN)."""

import os

import pytest

import netgym.binaries


def binary(name, env=None):
    """The binary name: $env if set, else the one installed with netgym."""
    if env and os.environ.get(env):
        return os.environ[env]
    try:
        return netgym.binaries.path(name)
    except FileNotFoundError as e:
        pytest.skip(str(e))


@pytest.fixture
def wifi_sim():
    return binary("wifi-sim")


@pytest.fixture
def multi_ue_sim():
    return binary("wifi-multi-ue-sim")
