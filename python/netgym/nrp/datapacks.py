# SPDX-License-Identifier: GPL-2.0-only
"""DataPacks as NRP-core's transceiver functions see them (written after
NRP-core's documented Python API: DataPackIdentifier, JsonDataPack,
JsonRawData, isEmpty, isUpdated, name, engine_name, type, data)."""

JSON_TYPE = "json"


class DataPackIdentifier:
    """Identifies a datapack: its name, its engine and its data type."""

    __slots__ = ("name", "engine_name", "type")

    def __init__(self, name, engine_name, type=""):  # noqa: A002 (NRP-core's argument name)
        self.name = name
        self.engine_name = engine_name
        self.type = type

    def __repr__(self):
        return f"DataPackIdentifier({self.name!r}, {self.engine_name!r})"

    def __eq__(self, other):
        return (isinstance(other, DataPackIdentifier) and self.name == other.name
                and self.engine_name == other.engine_name)

    def __hash__(self):
        return hash((self.name, self.engine_name))


class EmptyDataPackError(Exception):
    """Raised when the data of an empty datapack is read."""


class DataPack:
    """A datapack: an identifier and its data. An empty datapack has no
    data: reading .data raises EmptyDataPackError; check isEmpty() first."""

    _empty = object()

    def __init__(self, name, engine_name, data=_empty, type=JSON_TYPE, updated=True):  # noqa: A002
        self._id = DataPackIdentifier(name, engine_name, type)
        self._data = {} if data is DataPack._empty else data
        self._updated = updated

    @property
    def id(self):
        return self._id

    @property
    def name(self):
        return self._id.name

    @property
    def engine_name(self):
        return self._id.engine_name

    @property
    def type(self):
        return self._id.type

    @property
    def data(self):
        if self._data is None:
            raise EmptyDataPackError(f"datapack {self.name!r} of engine {self.engine_name!r} is empty")
        return self._data

    @data.setter
    def data(self, value):
        self._data = value

    def isEmpty(self):  # noqa: N802 (NRP-core's name)
        """True if the datapack holds no data."""
        return self._data is None

    def isUpdated(self):  # noqa: N802
        """True if the datapack was received or produced in this loop step."""
        return self._updated

    @classmethod
    def getType(cls):  # noqa: N802
        return JSON_TYPE

    def __repr__(self):
        data = "<empty>" if self._data is None else repr(self._data)
        return f"{type(self).__name__}({self.name!r}, {self.engine_name!r}, {data})"


class JsonDataPack(DataPack):
    """A datapack holding a JSON value (NRP-core's JsonDataPack); a new one
    holds an empty object."""

    def __init__(self, name, engine_name, data=DataPack._empty):
        super().__init__(name, engine_name, data)


class JsonRawData:
    """An observation of a status function (NRP-core's JsonRawData): data
    without an identifier; a new one holds an empty object."""

    def __init__(self, data=None):
        self.data = {} if data is None else data

    def __repr__(self):
        return f"JsonRawData({self.data!r})"


def to_wire(dp):
    """Encodes a datapack for the loop (netgym's JSON-lines protocol)."""
    if not isinstance(dp, DataPack):
        raise TypeError(f"a function returned {type(dp).__name__}, not a DataPack")
    out = {"name": dp.name, "engine_name": dp.engine_name, "type": dp.type or JSON_TYPE}
    if dp._data is not None:
        out["data"] = dp._data
    return out


def from_wire(obj):
    """Decodes a datapack sent by the loop; no or null data is empty."""
    return DataPack(obj["name"], obj.get("engine_name", ""), obj.get("data"),
                    obj.get("type") or JSON_TYPE, bool(obj.get("updated", False)))
