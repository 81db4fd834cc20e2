# SPDX-License-Identifier: GPL-2.0-only
"""OpenGym spaces and data containers <-> Python values (numpy arrays).

Spaces become gymnasium spaces when gymnasium is installed, and netgym's own
small space classes (same attributes: n, low, high, shape, dtype, spaces)
otherwise.
"""

import numpy as np

from . import messages_pb2 as pb

try:  # gymnasium is optional: Debian does not package it
    import gymnasium as _gym
    from gymnasium import spaces as _gspaces
except ImportError:  # pragma: no cover - depends on the machine
    _gym = None
    _gspaces = None

_DTYPES = {
    pb.INT: np.int32,
    pb.UINT: np.uint32,
    pb.FLOAT: np.float32,
    pb.DOUBLE: np.float64,
}
_FIELDS = {
    pb.INT: "intData",
    pb.UINT: "uintData",
    pb.FLOAT: "floatData",
    pb.DOUBLE: "doubleData",
}


class Discrete:
    """{0, 1, ..., n-1}."""

    def __init__(self, n):
        self.n = int(n)
        self.shape = ()
        self.dtype = np.int64

    def contains(self, x):
        return isinstance(x, (int, np.integer)) and 0 <= int(x) < self.n

    def sample(self, rng=None):
        rng = rng or np.random.default_rng()
        return int(rng.integers(self.n))

    def __repr__(self):
        return f"Discrete({self.n})"


class Box:
    """A box [low, high] of the given shape and dtype."""

    def __init__(self, low, high, shape, dtype):
        self.shape = tuple(int(s) for s in shape)
        self.dtype = np.dtype(dtype)
        self.low = np.broadcast_to(np.asarray(low, dtype=np.float64), self.shape).astype(self.dtype)
        self.high = np.broadcast_to(np.asarray(high, dtype=np.float64), self.shape).astype(self.dtype)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    def sample(self, rng=None):
        rng = rng or np.random.default_rng()
        if np.issubdtype(self.dtype, np.integer):
            return rng.integers(self.low, self.high, endpoint=True).astype(self.dtype)
        return rng.uniform(self.low, self.high).astype(self.dtype)

    def __repr__(self):
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"


class Tuple:
    """An ordered tuple of spaces."""

    def __init__(self, spaces):
        self.spaces = tuple(spaces)

    def contains(self, x):
        return len(x) == len(self.spaces) and all(s.contains(v) for s, v in zip(self.spaces, x))

    def sample(self, rng=None):
        return tuple(s.sample(rng) for s in self.spaces)

    def __repr__(self):
        return f"Tuple({', '.join(map(repr, self.spaces))})"


class Dict:
    """A dict of named spaces, in the order the simulation gave them."""

    def __init__(self, spaces):
        self.spaces = dict(spaces)

    def contains(self, x):
        return set(x) == set(self.spaces) and all(self.spaces[k].contains(v) for k, v in x.items())

    def sample(self, rng=None):
        return {k: s.sample(rng) for k, s in self.spaces.items()}

    def __repr__(self):
        return f"Dict({', '.join(f'{k}: {s!r}' for k, s in self.spaces.items())})"


def space_from_proto(desc):
    """Converts a SpaceDescription into a gymnasium space (or netgym's)."""
    t = desc.type
    if t == pb.Discrete:
        m = pb.DiscreteSpace()
        desc.space.Unpack(m)
        return _gspaces.Discrete(m.n) if _gspaces else Discrete(m.n)
    if t == pb.Box:
        m = pb.BoxSpace()
        desc.space.Unpack(m)
        shape = tuple(m.shape)
        dtype = _DTYPES.get(m.dtype, np.float32)
        low = np.array(m.lows, dtype=np.float64).reshape(shape) if len(m.lows) else m.low
        high = np.array(m.highs, dtype=np.float64).reshape(shape) if len(m.highs) else m.high
        if _gspaces:
            return _gspaces.Box(low=np.broadcast_to(low, shape).astype(dtype),
                                high=np.broadcast_to(high, shape).astype(dtype), shape=shape, dtype=dtype)
        return Box(low, high, shape, dtype)
    if t == pb.Tuple:
        m = pb.TupleSpace()
        desc.space.Unpack(m)
        elems = [space_from_proto(e) for e in m.element]
        return _gspaces.Tuple(elems) if _gspaces else Tuple(elems)
    if t == pb.Dict:
        m = pb.DictSpace()
        desc.space.Unpack(m)
        elems = {e.name: space_from_proto(e) for e in m.element}
        return _gspaces.Dict(elems) if _gspaces else Dict(elems)
    raise ValueError(f"netgym: unknown space type {t}")


def value_from_proto(container):
    """Converts a DataContainer into an int, a numpy array, a tuple or a dict."""
    t = container.type
    if t == pb.Discrete:
        m = pb.DiscreteDataContainer()
        container.data.Unpack(m)
        return int(m.data)
    if t == pb.Box:
        m = pb.BoxDataContainer()
        container.data.Unpack(m)
        field = _FIELDS.get(m.dtype)
        if field is None:
            raise ValueError(f"netgym: box container with unknown dtype {m.dtype}")
        arr = np.array(getattr(m, field), dtype=_DTYPES[m.dtype])
        return arr.reshape(tuple(m.shape)) if len(m.shape) else arr
    if t == pb.Tuple:
        m = pb.TupleDataContainer()
        container.data.Unpack(m)
        return tuple(value_from_proto(e) for e in m.element)
    if t == pb.Dict:
        m = pb.DictDataContainer()
        container.data.Unpack(m)
        return {e.name: value_from_proto(e) for e in m.element}
    raise ValueError(f"netgym: unknown container type {t}")


def _space_kind(space):
    name = type(space).__name__
    return name


def value_to_proto(value, space):
    """Converts an action for space into a DataContainer."""
    kind = _space_kind(space)
    c = pb.DataContainer()
    if kind == "Discrete":
        c.type = pb.Discrete
        c.data.Pack(pb.DiscreteDataContainer(data=int(value)))
        return c
    if kind == "Box":
        dtype = np.dtype(space.dtype)
        code = {np.dtype(v): k for k, v in _DTYPES.items()}.get(dtype)
        if code is None:
            raise ValueError(f"netgym: box dtype {dtype} has no OpenGym equivalent")
        arr = np.asarray(value, dtype=dtype)
        m = pb.BoxDataContainer(dtype=code, shape=list(arr.shape) or [1])
        getattr(m, _FIELDS[code]).extend(arr.ravel().tolist())
        c.type = pb.Box
        c.data.Pack(m)
        return c
    if kind == "Tuple":
        m = pb.TupleDataContainer()
        for v, s in zip(value, space.spaces):
            m.element.append(value_to_proto(v, s))
        c.type = pb.Tuple
        c.data.Pack(m)
        return c
    if kind == "Dict":
        m = pb.DictDataContainer()
        for k, s in space.spaces.items():
            e = value_to_proto(value[k], s)
            e.name = k
            m.element.append(e)
        c.type = pb.Dict
        c.data.Pack(m)
        return c
    raise ValueError(f"netgym: cannot encode an action for {space!r}")
