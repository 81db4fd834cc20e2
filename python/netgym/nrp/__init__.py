# SPDX-License-Identifier: GPL-2.0-only
"""Co-simulation after NRP-core: datapacks, NRP-core's decorators for
transceiver, preprocessing and status functions, and EngineScript for
Python engines, run by netgym's loop (Go package rl/cosim) through
netgym.nrp.host. Standard library only.

    from netgym.nrp import *   # or, unchanged: from nrp_core import *

    @EngineDataPack(keyword="obs", id=DataPackIdentifier("observation", "cartpole"))
    @TransceiverFunction("net")
    def to_network(obs):
        if obs.isEmpty():
            return []
        return [JsonDataPack("uplink/in", "net", obs.data["state"])]
"""

from .datapacks import DataPack, DataPackIdentifier, EmptyDataPackError, JsonDataPack, JsonRawData
from .engine_script import EngineScript
from .functions import (EngineDataPack, PreprocessedDataPack, PreprocessingFunction, StatusFunction,
                        TransceiverFunction, getSimulationIteration, getSimulationTime)

__all__ = [
    "DataPack", "DataPackIdentifier", "EmptyDataPackError", "EngineDataPack", "EngineScript", "JsonDataPack",
    "JsonRawData", "PreprocessedDataPack", "PreprocessingFunction", "StatusFunction", "TransceiverFunction",
    "getSimulationIteration", "getSimulationTime",
]
