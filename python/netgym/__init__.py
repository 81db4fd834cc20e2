# SPDX-License-Identifier: GPL-2.0-only
"""netgym for Python: Gymnasium and PettingZoo environments, NetRL's
channels in process, vectorized environments, and the agent links, on
netgym's Go simulator.

- ``NetgymEnv`` / ``NetgymMultiAgentEnv``: any netgym scenario (or ns3-gym
  simulation) over ns3-gym's ZeroMQ protocol (RLlib's dict conventions for
  the multi-agent one); ``netgym.pettingzoo`` wraps the multi-agent
  scenarios as PettingZoo AEC and Parallel environments.
- ``netgym.channels``: NetRL's Wi-Fi, 5G-LENA and mmWave channels
  simulated in process through netgym's Go library (NetRL ``CommChannel``
  subclasses when NetRL is installed); ``netgym.netrl_compat``: NetRL's
  ``_netrl_ext`` interfaces.
- ``netgym.vector.ChannelVectorEnv`` (Wi-Fi), ``LenaChannelVectorEnv``
  (5G NR) and ``MmWaveChannelVectorEnv`` (mmWave): N simulations stepped in
  parallel goroutines by one call; ``netgym.vector.NetworkedVectorEnv``:
  NetRL's NetworkedEnv vectorized (Python dynamics, Wi-Fi, 5G-LENA or
  mmWave links in Go).
- ``netgym.ns3ai``: ns3-ai's shared-memory message interface;
  ``netgym.nrp``: NRP-core's engines and transceiver functions.
- ``netgym.binaries``: the scenario binaries built at install time.

``import netgym`` registers ``netgym/WifiChannel-v0``,
``netgym/LenaChannel-v0``, ``netgym/MmWaveChannel-v0`` (NetRL-style
observation channels over Wi-Fi, 5G NR and mmWave, each with a vector entry
point: ``gymnasium.make_vec(..., vectorization_mode="vector_entry_point")``)
and ``netgym/OpenGym-v0`` with Gymnasium when it is installed (or use
``gymnasium.make("netgym:netgym/WifiChannel-v0")``). Submodules load on
first use: the envs need pyzmq and protobuf, netgym.ns3ai only the standard
library. The Go library is loaded lazily, at the first in-process object;
see ``netgym._native`` for fork() and panics.
"""

import importlib

__version__ = "0.2.0"

__all__ = ["NetgymEnv", "NetgymMultiAgentEnv", "SimulatorError", "channels", "vector", "envs", "binaries",
           "netrl_compat", "pettingzoo", "bench", "ns3ai", "nrp"]

_ENV = {"NetgymEnv", "NetgymMultiAgentEnv", "SimulatorError"}
_LAZY = {"channels", "vector", "envs", "binaries", "netrl_compat", "pettingzoo", "bench", "ns3ai", "nrp"}


def __getattr__(name):
    # The envs load pyzmq and protobuf on first use, so that netgym.ns3ai
    # works without them; importing netgym never imports NetRL (whose import
    # in turn loads netgym's _netrl_ext).
    if name in _ENV:
        from . import env
        return getattr(env, name)
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'netgym' has no attribute {name!r}")


try:
    import gymnasium as _gym
except ImportError:  # gymnasium is a dependency of the package, not of netgym.ns3ai
    _gym = None

if _gym is not None:
    _reg = _gym.envs.registration.registry
    if "netgym/WifiChannel-v0" not in _reg:
        _gym.register(id="netgym/WifiChannel-v0", entry_point="netgym.envs:ChannelEnv",
                      vector_entry_point="netgym.vector:ChannelVectorEnv")
    if "netgym/LenaChannel-v0" not in _reg:
        _gym.register(id="netgym/LenaChannel-v0", entry_point="netgym.envs:LenaChannelEnv",
                      vector_entry_point="netgym.vector:LenaChannelVectorEnv")
    if "netgym/MmWaveChannel-v0" not in _reg:
        _gym.register(id="netgym/MmWaveChannel-v0", entry_point="netgym.envs:MmWaveChannelEnv",
                      vector_entry_point="netgym.vector:MmWaveChannelVectorEnv")
    if "netgym/OpenGym-v0" not in _reg:
        _gym.register(id="netgym/OpenGym-v0", entry_point="netgym.envs:OpenGymEnv")
