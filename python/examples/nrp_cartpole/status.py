# SPDX-License-Identifier: GPL-2.0-only
"""One observation per finished episode ({"episode", "return"}); done once
the plant has played its episodes."""

from nrp_core import *
from nrp_core.data.nrp_json import *

reported = 0


@EngineDataPack(keyword="obs", id=DataPackIdentifier("observation", "cartpole"))
@StatusFunction()
def status(obs):
    global reported
    if obs.isEmpty():
        return False, []
    out = []
    returns = obs.data["returns"]
    while reported < len(returns):
        out.append(JsonRawData({"episode": reported, "return": returns[reported]}))
        reported += 1
    return obs.data["finished"], out
