# SPDX-License-Identifier: GPL-2.0-only
"""netgym for Python: Gymnasium and PettingZoo environments, NetRL's
channels in process, and vectorized environments, on netgym's Go
simulator.

- ``NetgymEnv`` / ``NetgymMultiAgentEnv``: any netgym scenario (or ns3-gym
  simulation) over ns3-gym's ZeroMQ protocol (RLlib's dict conventions for
  the multi-agent one); ``netgym.pettingzoo`` wraps the multi-agent
  scenarios as PettingZoo AEC and Parallel environments.
- ``netgym.channels``: NetRL's Wi-Fi channels simulated in process through
  netgym's Go library (NetRL ``CommChannel`` subclasses when NetRL is
  installed); ``netgym.netrl_compat``: NetRL's ``_netrl_ext`` interfaces.
- ``netgym.vector.ChannelVectorEnv``: N simulations stepped in parallel
  goroutines by one call; ``netgym.vector.NetworkedVectorEnv``: NetRL's
  NetworkedEnv vectorized (Python dynamics, links in Go).
- ``netgym.binaries``: the scenario binaries built at install time.

``import netgym`` registers ``netgym/WifiChannel-v0`` and
``netgym/OpenGym-v0`` with Gymnasium (or use
``gymnasium.make("netgym:netgym/WifiChannel-v0")``). The Go library is
loaded lazily, at the first in-process object; see ``netgym._native`` for
fork() and panics.
"""

import importlib

from .env import NetgymEnv, NetgymMultiAgentEnv, SimulatorError

__version__ = "0.2.0"

__all__ = ["NetgymEnv", "NetgymMultiAgentEnv", "SimulatorError", "channels", "vector", "envs", "binaries",
           "netrl_compat", "pettingzoo", "bench"]

_LAZY = {"channels", "vector", "envs", "binaries", "netrl_compat", "pettingzoo", "bench"}


def __getattr__(name):
    # Submodules load on first use: importing netgym stays light and never
    # imports NetRL (whose import in turn loads netgym's _netrl_ext).
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'netgym' has no attribute {name!r}")


try:
    import gymnasium as _gym  # noqa: F401
except ImportError:  # pragma: no cover - gymnasium is a dependency
    pass
else:
    def _register():
        reg = _gym.envs.registration.registry
        if "netgym/WifiChannel-v0" not in reg:
            _gym.register(id="netgym/WifiChannel-v0", entry_point="netgym.envs:ChannelEnv",
                          vector_entry_point="netgym.vector:ChannelVectorEnv")
        if "netgym/OpenGym-v0" not in reg:
            _gym.register(id="netgym/OpenGym-v0", entry_point="netgym.envs:OpenGymEnv")

    _register()
