# SPDX-License-Identifier: GPL-2.0-only
"""Controller -> network: each new action is sent across the downlink,
once (the controller answers every observation once, but its datapack is
fetched at every step it is synchronized, so a repeat is recognised by the
step it answers)."""

from nrp_core import *
from nrp_core.data.nrp_json import *

last_sent = None


@EngineDataPack(keyword="action", id=DataPackIdentifier("action", "controller"))
@TransceiverFunction("net")
def downlink(action):
    global last_sent
    if action.isEmpty():
        return []
    key = (action.data["episode"], action.data["step"])
    if key == last_sent:
        return []
    last_sent = key
    return [JsonDataPack("downlink/in", "net", [action.data["action"]])]
