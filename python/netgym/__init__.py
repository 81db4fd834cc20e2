# SPDX-License-Identifier: GPL-2.0-only
"""netgym's Python client: drive netgym scenarios (or any ns3-gym simulation)
as Gym-style environments over ns3-gym's ZeroMQ + protobuf protocol
(netgym.env), and ns3-ai's shared-memory message interface (netgym.ns3ai).

Dependencies: pyzmq, protobuf, numpy for the Gym-style envs (gymnasium
optional); none beyond the standard library for netgym.ns3ai.
"""

__all__ = ["NetgymEnv", "NetgymMultiAgentEnv", "SimulatorError"]


def __getattr__(name):
    # the envs load pyzmq and protobuf on first use, so that netgym.ns3ai
    # works without them
    if name in __all__:
        from . import env
        return getattr(env, name)
    raise AttributeError("module 'netgym' has no attribute %r" % name)
