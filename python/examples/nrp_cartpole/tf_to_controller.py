# SPDX-License-Identifier: GPL-2.0-only
"""Network -> controller: the observation that arrived last at the
controller's node."""

from nrp_core import *
from nrp_core.data.nrp_json import *


@EngineDataPack(keyword="arrived", id=DataPackIdentifier("uplink/out", "net"))
@TransceiverFunction("controller")
def to_controller(arrived):
    if arrived.isEmpty():
        return []
    v = arrived.data
    return [JsonDataPack("observation", "controller",
                         {"state": v[:4], "step": int(v[4]), "episode": int(v[5]), "last_return": v[6]})]
