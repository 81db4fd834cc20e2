# SPDX-License-Identifier: GPL-2.0-only
"""netgym's single-agent Gymnasium environments, registered by ``import netgym``:

- ``netgym/WifiChannel-v0``: :class:`ChannelEnv`, the in-process channel
  environment over NetRL's Wi-Fi link (one sub-environment of
  :class:`netgym.vector.ChannelVectorEnv`);
  ``gymnasium.make_vec(..., vectorization_mode="vector_entry_point")`` gives
  the parallel vector env.
- ``netgym/LenaChannel-v0``: :class:`LenaChannelEnv`, the same environment
  over NetRL's 5G-LENA link (:class:`netgym.channels.LenaChannel`'s
  scenario; vector form :class:`netgym.vector.LenaChannelVectorEnv`).
- ``netgym/MmWaveChannel-v0``: :class:`MmWaveChannelEnv`, the same
  environment over NetRL's ns3-mmwave link
  (:class:`netgym.channels.MmWaveChannel`'s scenario; vector form
  :class:`netgym.vector.MmWaveChannelVectorEnv`).
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
from .channels import lena_settings, mmwave_settings
from .vector import DEFAULT_PACKET_SIZES, _GoVector, channel_spaces, lena_link, mmwave_link, wifi_link


class _LinkEnv(gym.Env):
    """One in-process channel environment over one link kind: a Go vector
    of one (see :mod:`netgym.vector` for the dynamics)."""

    metadata = {"render_modes": []}

    def _setup(self, go, render_mode, seed):
        self._go = go
        self.observation_space, self.action_space = channel_spaces(go.history, go.n_actions)
        self.render_mode = render_mode
        self.packet_sizes = go.packet_sizes
        self.history = go.history
        self.max_steps = go.max_steps
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
        if getattr(self, "_go", None) is not None:
            self._go.close()


class ChannelEnv(_LinkEnv):
    """One in-process channel environment over NetRL's Wi-Fi link
    (``netgym/WifiChannel-v0``; see :mod:`netgym.vector` for the dynamics
    and :class:`netgym.vector.ChannelVectorEnv` for the parameters: the same
    keywords, without num_envs, workers and copy)."""

    def __init__(self, *, distance_m=10.0, step_duration_ms=1.0, tx_power_dbm=20.0, loss_exponent=3.0, max_retries=7,
                 packet_sizes=DEFAULT_PACKET_SIZES, history=8, max_steps=1000, seed=1, render_mode=None):
        link = wifi_link(distance_m, step_duration_ms, tx_power_dbm, loss_exponent, max_retries, name="ChannelEnv")
        self._setup(_GoVector(1, 1, link, packet_sizes, history, max_steps, seed), render_mode, seed)
        self.distance_m = float(distance_m)


class LenaChannelEnv(_LinkEnv):
    """One in-process channel environment over NetRL's 5G-LENA link
    (``netgym/LenaChannel-v0``; :class:`netgym.channels.LenaChannel`'s
    scenario). Parameters as :class:`netgym.vector.LenaChannelVectorEnv`
    without num_envs, workers and copy: NetRL's ``NS3LenaConfig`` link
    settings (distance_m 50, frequency_ghz 28, bandwidth_ghz 0.1,
    ue_tx_power_dbm 23, gnb_tx_power_dbm 30, scenario "UMa", numerology 3,
    shadowing_enabled False, step_duration_ms 1) plus packet_sizes (each
    0..1932), history, max_steps and seed."""

    def __init__(self, *, distance_m=50.0, frequency_ghz=28.0, bandwidth_ghz=0.1, ue_tx_power_dbm=23.0,
                 gnb_tx_power_dbm=30.0, scenario="UMa", numerology=3, shadowing_enabled=False, step_duration_ms=1.0,
                 packet_sizes=DEFAULT_PACKET_SIZES, history=8, max_steps=1000, seed=1, render_mode=None):
        settings = lena_settings(distance_m=distance_m, frequency_ghz=frequency_ghz, bandwidth_ghz=bandwidth_ghz,
                                 ue_tx_power_dbm=ue_tx_power_dbm, gnb_tx_power_dbm=gnb_tx_power_dbm,
                                 scenario=scenario, numerology=numerology, shadowing_enabled=shadowing_enabled,
                                 step_duration_ms=step_duration_ms)
        link = lena_link(settings, name="LenaChannelEnv")
        self._setup(_GoVector(1, 1, link, packet_sizes, history, max_steps, seed), render_mode, seed)
        self.link = settings
        self.distance_m = settings["distance_m"]


class MmWaveChannelEnv(_LinkEnv):
    """One in-process channel environment over NetRL's ns3-mmwave link
    (``netgym/MmWaveChannel-v0``; :class:`netgym.channels.MmWaveChannel`'s
    scenario). Parameters as :class:`netgym.vector.MmWaveChannelVectorEnv`
    without num_envs, workers and copy: NetRL's ``NS3MmWaveConfig`` link
    settings (distance_m 50, frequency_ghz 28, bandwidth_ghz 0.2,
    tx_power_dbm 23, enb_tx_power_dbm 30, noise_figure_db 9,
    enb_noise_figure_db 5, scenario "UMa", harq_enabled True,
    rlc_am_enabled False, step_duration_ms 1), netgym's scheduler ("rr",
    "pf" or "maxrate"; default "rr", NetRL's) plus packet_sizes (each
    0..1472), history, max_steps and seed."""

    def __init__(self, *, distance_m=50.0, frequency_ghz=28.0, bandwidth_ghz=0.2, tx_power_dbm=23.0,
                 enb_tx_power_dbm=30.0, noise_figure_db=9.0, enb_noise_figure_db=5.0, scenario="UMa",
                 harq_enabled=True, rlc_am_enabled=False, step_duration_ms=1.0, packet_sizes=DEFAULT_PACKET_SIZES,
                 history=8, max_steps=1000, seed=1, scheduler="rr", render_mode=None):
        settings = mmwave_settings(distance_m=distance_m, frequency_ghz=frequency_ghz, bandwidth_ghz=bandwidth_ghz,
                                   tx_power_dbm=tx_power_dbm, enb_tx_power_dbm=enb_tx_power_dbm,
                                   noise_figure_db=noise_figure_db, enb_noise_figure_db=enb_noise_figure_db,
                                   scenario=scenario, harq_enabled=harq_enabled, rlc_am_enabled=rlc_am_enabled,
                                   step_duration_ms=step_duration_ms, scheduler=scheduler)
        link = mmwave_link(settings, name="MmWaveChannelEnv")
        self._setup(_GoVector(1, 1, link, packet_sizes, history, max_steps, seed), render_mode, seed)
        self.link = settings
        self.distance_m = settings["distance_m"]


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
