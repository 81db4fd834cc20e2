# SPDX-License-Identifier: GPL-2.0-only
"""EngineScript: a Python engine in NRP-core's python_json style (written
after its documented API). Subclass it as `Script`, override initialize,
runLoop(timestep_ns), reset and shutdown, and keep datapacks with
_registerDataPack, _setDataPack and _getDataPack; self._time_ns is the
engine's time."""


class EngineScript:
    """Base class of a Python engine script."""

    def __init__(self):
        self._datapacks = {}
        self._time_ns = 0
        self._name = ""
        self._config = None

    def _getEngineName(self):  # noqa: N802 (NRP-core's names)
        return self._name

    def _advanceTime(self, timestep_ns):  # noqa: N802
        self._time_ns += timestep_ns

    def _registerDataPack(self, datapack_name):  # noqa: N802
        if datapack_name in self._datapacks:
            raise ValueError(f"datapack {datapack_name!r} is already registered")
        self._datapacks[datapack_name] = None

    def _getRegisteredDataPackNames(self):  # noqa: N802
        return list(self._datapacks)

    def _getDataPack(self, datapack_name):  # noqa: N802
        if datapack_name not in self._datapacks:
            raise KeyError(f"datapack {datapack_name!r} is not registered "
                           f"(registered: {sorted(self._datapacks)})")
        return self._datapacks[datapack_name]

    def _setDataPack(self, datapack_name, data):  # noqa: N802
        if datapack_name not in self._datapacks:
            raise KeyError(f"datapack {datapack_name!r} is not registered "
                           f"(registered: {sorted(self._datapacks)})")
        self._datapacks[datapack_name] = data

    def initialize(self):
        """Prepares the simulation (override)."""

    def runLoop(self, timestep_ns):  # noqa: N802
        """Advances the simulation by timestep_ns (override)."""

    def reset(self):
        """Resets the simulation (override)."""

    def shutdown(self):
        """Ends the simulation (override)."""
