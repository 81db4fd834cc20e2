from netgym.nrp import *


@EngineDataPack(keyword="count", id=DataPackIdentifier("count", "counter"))
@PreprocessingFunction("counter")
def double(count):
    return [JsonDataPack("doubled", "counter", {"n2": 2 * count.data["n"], "updated": count.isUpdated()})]
