# SPDX-License-Identifier: GPL-2.0-only
"""NRP-core's decorators for datapack processing functions, written after
its documentation: @TransceiverFunction("engine"),
@PreprocessingFunction("engine"), @StatusFunction(),
@EngineDataPack(keyword, id) and @PreprocessedDataPack(keyword, id), plus
getSimulationTime() and getSimulationIteration()."""

from .datapacks import DataPackIdentifier

TRANSCEIVER = "TransceiverFunction"
PREPROCESSING = "PreprocessingFunction"
STATUS = "StatusFunction"

# Functions registered by the decorators, in the order of registration;
# the function host takes them file by file.
_registry = []
_clock = {"time": 0, "iteration": 0}


class RegisteredFunction:
    """A decorated function: its kind, linked engine and inputs."""

    def __init__(self, fn, kind, engine):
        self.fn = fn
        self.kind = kind
        self.engine = engine
        self.inputs = []  # (keyword, DataPackIdentifier, preprocessed)
        self.__name__ = getattr(fn, "__name__", "function")
        self.__doc__ = getattr(fn, "__doc__", None)

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def add_input(self, keyword, dp_id, preprocessed):
        if not isinstance(dp_id, DataPackIdentifier):
            raise TypeError(f"the id of input {keyword!r} must be a DataPackIdentifier")
        # Decorators apply bottom-up: prepend to keep the order as written.
        self.inputs.insert(0, (keyword, dp_id, preprocessed))
        return self


def _register(kind, engine):
    def deco(fn):
        rf = RegisteredFunction(fn, kind, engine)
        _registry.append(rf)
        return rf
    return deco


def TransceiverFunction(engine_name):  # noqa: N802 (NRP-core's names)
    """Declares a transceiver function linked to engine_name."""
    return _register(TRANSCEIVER, engine_name)


def PreprocessingFunction(engine_name):  # noqa: N802
    """Declares a preprocessing function linked to engine_name."""
    return _register(PREPROCESSING, engine_name)


def StatusFunction():  # noqa: N802
    """Declares the status function."""
    return _register(STATUS, "")


def _input(keyword, id, preprocessed):  # noqa: A002
    def deco(rf):
        if not isinstance(rf, RegisteredFunction):
            raise TypeError("@EngineDataPack and @PreprocessedDataPack go above "
                            "@TransceiverFunction, @PreprocessingFunction or @StatusFunction")
        return rf.add_input(keyword, id, preprocessed)
    return deco


def EngineDataPack(keyword, id):  # noqa: N802, A002
    """Requests datapack id from its engine, passed as argument keyword."""
    return _input(keyword, id, False)


def PreprocessedDataPack(keyword, id):  # noqa: N802, A002
    """Takes datapack id from the preprocessing functions' output."""
    return _input(keyword, id, True)


def getSimulationTime():  # noqa: N802
    """The loop's simulation time in nanoseconds."""
    return _clock["time"]


def getSimulationIteration():  # noqa: N802
    """The loop's iteration (0 at t = 0)."""
    return _clock["iteration"]
