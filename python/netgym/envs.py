# SPDX-License-Identifier: GPL-2.0-only
"""netgym's single-agent Gymnasium environments, registered by ``import netgym``:

- ``netgym/WifiChannel-v0``: :class:`ChannelEnv`, the in-process channel
  environment (one sub-environment of :class:`netgym.vector.ChannelVectorEnv`);
  ``gymnasium.make_vec(..., vectorization_mode="vector_entry_point")`` gives
  the parallel vector env.
- ``netgym/OpenGym-v0``: :func:`OpenGymEnv`, ns3-gym's first example
  (``scenarios/opengym``) served over ns3-gym's ZeroMQ protocol by the
  binary installed with the package.

Seeding: ``reset(seed=s)`` restarts the simulation from netgym's (seed s,
run 1) and ``reset()`` moves on to the next run, so a seeded sequence of
episodes replays bit for bit. The opengym binary takes only a run number
(``--simSeed``, as ns3-gym): there ``reset(seed=s)`` starts run s.
"""

import gymnasium as gym

from . import binaries
from .env import NetgymEnv
from .vector import DEFAULT_PACKET_SIZES, _GoVector, channel_spaces


class ChannelEnv(gym.Env):
    """One in-process channel environment (see :mod:`netgym.vector` for the
    dynamics and the parameters; the same keywords, without num_envs,
    workers and copy)."""

    metadata = {"render_modes": []}

    def __init__(self, *, distance_m=10.0, step_duration_ms=1.0, tx_power_dbm=20.0, loss_exponent=3.0, max_retries=7,
                 packet_sizes=DEFAULT_PACKET_SIZES, history=8, max_steps=1000, seed=1, render_mode=None):
        self._go = _GoVector(1, 1, distance_m, step_duration_ms, tx_power_dbm, loss_exponent, max_retries,
                             packet_sizes, history, max_steps, seed)
        self.observation_space, self.action_space = channel_spaces(self._go.history, self._go.n_actions)
        self.render_mode = render_mode
        self.distance_m = float(distance_m)
        self.packet_sizes = self._go.packet_sizes
        self._seed = seed
        self._started = False
        self._done = False

    def reset(self, *, seed=None, options=None):
        """Starts an episode: from (seed, run 1) when seed is given, else the next run."""
        super().reset(seed=seed)
        if seed is not None:
            self._go.reset([seed])
        elif not self._started:
            self._go.reset([self._seed])
        else:
            self._go.reset(None)
        self._started = True
        self._done = False
        return self._go.obs[0].copy(), {}

    def step(self, action):
        """Sends this step's packet with packet_sizes[action] bytes."""
        if not self._started:
            raise RuntimeError("netgym: call reset() before step()")
        if self._done:
            raise RuntimeError("netgym: step() after the episode ended; call reset()")
        go = self._go
        go.step((action,))
        self._done = bool(go.term[0] or go.trunc[0])
        return go.obs[0].copy(), float(go.rew[0]), bool(go.term[0]), bool(go.trunc[0]), {}

    def close(self):
        """Frees the simulation (idempotent)."""
        if self._go is not None:
            self._go.close()


def OpenGymEnv(sim_time=10.0, step_time=0.1, *, sim_seed=1, binary=None, timeout=10.0, render_mode=None):
    """ns3-gym's first example on netgym (scenarios/opengym): Box(5) of
    uint32 in [0, 10] observed, Discrete(5) acted, reward +1 per step,
    truncated when ``sim_time`` simulated seconds have passed."""
    if not (isinstance(sim_time, (int, float)) and sim_time > 0):
        raise ValueError(f"sim_time={sim_time!r} must be a positive number of seconds")
    if not (isinstance(step_time, (int, float)) and 0 < step_time <= sim_time):
        raise ValueError(f"step_time={step_time!r} out of range (0, sim_time={sim_time}]")
    exe = binary or binaries.path("opengym")
    return NetgymEnv(exe, args=[f"--simTime={sim_time}", f"--stepTime={step_time}", "--quiet"], port=0,
                     sim_seed=sim_seed, timeout=timeout)
