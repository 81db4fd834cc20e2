# SPDX-License-Identifier: GPL-2.0-only
"""Plant -> network: each new observation is sent across the uplink as one
packet (state, step, episode, return of the episode before)."""

from nrp_core import *
from nrp_core.data.nrp_json import *


@EngineDataPack(keyword="obs", id=DataPackIdentifier("observation", "cartpole"))
@TransceiverFunction("net")
def uplink(obs):
    if obs.isEmpty() or not obs.isUpdated():
        return []
    o = obs.data
    return [JsonDataPack("uplink/in", "net", o["state"] + [o["step"], o["episode"], o["last_return"]])]
