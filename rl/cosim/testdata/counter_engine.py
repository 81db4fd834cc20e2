# A Python engine in NRP-core's python_json style, imported unchanged.
from nrp_core.engines.python_json import EngineScript


class Script(EngineScript):
    def initialize(self):
        print("counter engine initializing")  # goes to stderr, not the protocol
        self._registerDataPack("count")
        self._registerDataPack("received")
        self._setDataPack("count", {"n": 0, "time": self._time_ns})
        self.n = 0

    def runLoop(self, timestep_ns):
        self.n += 1
        self._setDataPack("count", {"n": self.n, "time": self._time_ns})

    def reset(self):
        self.n = 0
        self._setDataPack("count", {"n": 0, "time": 0})
