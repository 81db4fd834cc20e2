# SPDX-License-Identifier: GPL-2.0-only
"""Network -> controller: each observation that arrives at the
controller's node, once."""

from nrp_core import *
from nrp_core.data.nrp_json import *

last_step = None


@EngineDataPack(keyword="arrived", id=DataPackIdentifier("uplink/out", "net"))
@TransceiverFunction("controller")
def to_controller(arrived):
    global last_step
    if arrived.isEmpty():
        return []
    v = arrived.data
    key = (int(v[5]), int(v[4]))  # (episode, step)
    if key == last_step:
        return []
    last_step = key
    return [JsonDataPack("observation", "controller",
                         {"state": v[:4], "step": int(v[4]), "episode": int(v[5]), "last_return": v[6]})]
