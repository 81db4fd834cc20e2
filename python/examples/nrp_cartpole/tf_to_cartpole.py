# SPDX-License-Identifier: GPL-2.0-only
"""Network -> plant: the action that arrived last at the plant's node."""

from nrp_core import *
from nrp_core.data.nrp_json import *


@EngineDataPack(keyword="arrived", id=DataPackIdentifier("downlink/out", "net"))
@TransceiverFunction("cartpole")
def to_cartpole(arrived):
    if arrived.isEmpty():
        return []
    return [JsonDataPack("action", "cartpole", {"action": int(arrived.data[0])})]
