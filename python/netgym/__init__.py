# SPDX-License-Identifier: GPL-2.0-only
"""netgym's Python client: drive netgym scenarios (or any ns3-gym simulation)
as Gym-style environments over ns3-gym's ZeroMQ + protobuf protocol.

Dependencies: pyzmq, protobuf, numpy; gymnasium optional. The env classes
are imported on first use, so that netgym.nrp (standard library only) can be
imported without them.
"""

__all__ = ["NetgymEnv", "NetgymMultiAgentEnv", "SimulatorError"]


def __getattr__(name):
    if name in __all__:
        from . import env

        return getattr(env, name)
    raise AttributeError(f"module 'netgym' has no attribute {name!r}")
