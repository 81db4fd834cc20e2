from nrp_core import *
from nrp_core.data.nrp_json import *


@EngineDataPack(keyword="count", id=DataPackIdentifier("count", "counter"))
@TransceiverFunction("echo")
def relay(count):
    if count.isEmpty():
        return []
    dp = JsonDataPack("inbox", "echo")
    dp.data["n"] = count.data["n"]
    dp.data["sim_time"] = getSimulationTime()
    return [dp]
