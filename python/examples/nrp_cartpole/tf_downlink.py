# SPDX-License-Identifier: GPL-2.0-only
"""Controller -> network: each new action is sent across the downlink."""

from nrp_core import *
from nrp_core.data.nrp_json import *


@EngineDataPack(keyword="action", id=DataPackIdentifier("action", "controller"))
@TransceiverFunction("net")
def downlink(action):
    if action.isEmpty() or not action.isUpdated():
        return []
    return [JsonDataPack("downlink/in", "net", [action.data["action"]])]
