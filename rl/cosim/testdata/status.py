from netgym.nrp import *


@PreprocessedDataPack(keyword="d", id=DataPackIdentifier("doubled", "counter"))
@EngineDataPack(keyword="seen", id=DataPackIdentifier("seen", "echo"))
@StatusFunction()
def status(d, seen):
    obs = JsonRawData()
    obs.data["iteration"] = getSimulationIteration()
    obs.data["n2"] = d.data["n2"]
    obs.data["seen"] = None if seen.isEmpty() else seen.data["inbox"]["n"]
    return getSimulationIteration() == 4, [obs]
