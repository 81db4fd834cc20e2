from netgym.nrp import EngineScript


class Script(EngineScript):
    """Keeps what it is sent in "inbox" and shows it as "seen" after a step."""

    def initialize(self):
        self._registerDataPack("inbox")
        self._registerDataPack("seen")  # empty until the first step

    def runLoop(self, timestep_ns):
        self._setDataPack("seen", {"inbox": self._getDataPack("inbox"), "time": self._time_ns})
