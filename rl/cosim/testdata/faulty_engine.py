import os
import time

from netgym.nrp import EngineScript


class Script(EngineScript):
    """Crashes (FAULT=crash) or hangs (FAULT=hang) in its step ending at 30 ms."""

    def initialize(self):
        self._registerDataPack("state")
        self._setDataPack("state", 0)

    def runLoop(self, timestep_ns):
        if self._time_ns >= 30_000_000:
            if os.environ.get("FAULT") == "crash":
                print("boom: the physics diverged", flush=True)
                os._exit(3)
            time.sleep(3600)
        self._setDataPack("state", self._time_ns)
