# SPDX-License-Identifier: GPL-2.0-only
"""Makes NRP-core's import paths resolve to netgym.nrp inside netgym's
Python hosts, so that NRP-core transceiver functions and python_json
engine scripts run unchanged: `from nrp_core import *`,
`from nrp_core.data.nrp_json import *`,
`from nrp_core.engines.python_json import EngineScript`."""

import sys
import types

from . import datapacks, engine_script, functions

_CORE_NAMES = [
    "TransceiverFunction", "PreprocessingFunction", "StatusFunction", "EngineDataPack",
    "PreprocessedDataPack", "getSimulationTime", "getSimulationIteration",
]


def _module(name, attrs, package=False):
    m = types.ModuleType(name, "netgym.nrp's stand-in for NRP-core's " + name)
    for k, v in attrs.items():
        setattr(m, k, v)
    m.__all__ = list(attrs)
    if package:
        m.__path__ = []
    sys.modules[name] = m
    return m


def install():
    """Installs the nrp_core modules (replacing an installed NRP-core in this
    process, whose classes would not work with netgym's loop)."""
    core = {n: getattr(functions, n) for n in _CORE_NAMES}
    core["DataPackIdentifier"] = datapacks.DataPackIdentifier
    nrp_core = _module("nrp_core", core, package=True)
    json_mod = {"JsonDataPack": datapacks.JsonDataPack, "JsonRawData": datapacks.JsonRawData}
    data = _module("nrp_core.data", {}, package=True)
    data.nrp_json = _module("nrp_core.data.nrp_json", json_mod)
    nrp_core.data = data
    engines = _module("nrp_core.engines", {}, package=True)
    engines.python_json = _module("nrp_core.engines.python_json", {"EngineScript": engine_script.EngineScript})
    nrp_core.engines = engines
