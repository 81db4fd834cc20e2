# SPDX-License-Identifier: GPL-2.0-only
"""netgym's Python client: drive netgym scenarios (or any ns3-gym simulation)
as Gym-style environments over ns3-gym's ZeroMQ + protobuf protocol.

Dependencies: pyzmq, protobuf, numpy; gymnasium optional.
"""

from .env import NetgymEnv, NetgymMultiAgentEnv, SimulatorError

__all__ = ["NetgymEnv", "NetgymMultiAgentEnv", "SimulatorError"]
