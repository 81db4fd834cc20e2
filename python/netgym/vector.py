# SPDX-License-Identifier: GPL-2.0-only
"""Vectorized in-process environments: N netgym simulations stepped in
parallel goroutines by one call into Go, numpy arrays in and out.

The channel vector envs are ``gymnasium.vector.VectorEnv`` s over N
channel environments (Go's ``rl/vecenv.ChannelEnv``): a NetRL-style
observation channel with no Python-side dynamics, over netgym's 802.11a
link (:class:`ChannelVectorEnv`, ``netgym/WifiChannel-v0``), NetRL's
5G-LENA link (:class:`LenaChannelVectorEnv`, ``netgym/LenaChannel-v0``)
or its ns3-mmwave link (:class:`MmWaveChannelVectorEnv`,
``netgym/MmWaveChannel-v0``). Each step the action
(``Discrete(len(packet_sizes))``) picks the payload of that step's packet
(size 0: send nothing) over the link at ``distance_m``; the
observation is, for each of the last ``history`` steps (oldest first),
whether its packet has arrived and its lag in steps (``Box`` of shape
``(history, 2)``, float32); the reward is the delivered fraction of the
last ``history`` steps. Episodes are truncated after ``max_steps`` steps.

Autoreset follows Gymnasium 1.x's NEXT_STEP mode: the step after a
sub-environment's episode ended resets it (its action is ignored) and
returns its first observation with reward 0.

:class:`NetworkedVectorEnv` is NetRL's NetworkedEnv vectorized: the
dynamics stay in a Python vector env (CartPole, say) and each
sub-environment's observation goes over its own link, Wi-Fi (the
default), 5G-LENA (``link="lena"``) or mmWave (``link="mmwave"``), the N
links stepped by one call into Go (``rl/vecenv.ChannelBank``).

Over the cellular links with 1 ms steps a packet arrives one step or more
after it was sent (scheduling request, grant, HARQ), so the newest slot
stays empty even on a perfect link and the reward is at most
``(history - 1) / history`` (0.875 with the defaults).

    env = gymnasium.make_vec("netgym/WifiChannel-v0", num_envs=64, vectorization_mode="vector_entry_point")
    env = gymnasium.make_vec("netgym/LenaChannel-v0", num_envs=8, vectorization_mode="vector_entry_point",
                             distance_m=200.0)
    env = NetworkedVectorEnv("CartPole-v1", num_envs=8, link="mmwave", distance_m=100.0, scheduler="pf")
"""

import ctypes
import inspect

import numpy as np

from . import _check, _native
from .channels import _cfg_get, _Handle, lena_args, lena_settings, mmwave_args, mmwave_settings

try:
    import gymnasium as gym
    from gymnasium.vector import AutoresetMode, VectorEnv
    from gymnasium.vector.utils import batch_space
except ImportError as e:  # pragma: no cover - gymnasium is a dependency
    raise ImportError("netgym.vector needs gymnasium>=1.1") from e

DEFAULT_PACKET_SIZES = (0, 64, 256, 1024)


def _ptr(a):
    return ctypes.c_void_p(a.ctypes.data)


class _GoLink:
    """How to build a Go vector over one link: the library function
    (ng_vec_new, ng_vec_new_lena, ng_vec_new_mmwave), its link arguments
    (between num_envs, workers and packet_sizes), the largest payload and
    the name errors carry."""

    __slots__ = ("fn", "args", "max_packet_size", "name")

    def __init__(self, fn, args, max_packet_size, name):
        self.fn, self.args, self.max_packet_size, self.name = fn, tuple(args), max_packet_size, name


def wifi_link(distance_m, step_duration_ms, tx_power_dbm, loss_exponent, max_retries, name="ChannelVectorEnv"):
    """The Wi-Fi link of the channel envs, checked."""
    distance_m = _check.real("distance_m", distance_m, 0.0)
    step_duration_ms, tx_power_dbm, loss_exponent, max_retries = _check.wifi_link(
        step_duration_ms, tx_power_dbm, loss_exponent, max_retries)
    return _GoLink("ng_vec_new", (step_duration_ms, distance_m, tx_power_dbm, loss_exponent, max_retries),
                   _check.WIFI_MAX_PACKET_SIZE, name)


def lena_link(settings, name="LenaChannelVectorEnv"):
    """The 5G-LENA link of the channel envs from :func:`netgym.channels.lena_settings`."""
    return _GoLink("ng_vec_new_lena", lena_args(settings), _check.LENA_MAX_PACKET_SIZE, name)


def mmwave_link(settings, name="MmWaveChannelVectorEnv"):
    """The mmWave link of the channel envs from :func:`netgym.channels.mmwave_settings`."""
    return _GoLink("ng_vec_new_mmwave", mmwave_args(settings), _check.MMWAVE_MAX_PACKET_SIZE, name)


class _GoVector:
    """The Go vector and its persistent numpy buffers."""

    def __init__(self, num_envs, workers, link, packet_sizes, history, max_steps, seed):
        num_envs = _check.integer("num_envs", num_envs, 1, 1 << 20)
        workers = _check.integer("workers", workers, 0, 4096)
        maxp = link.max_packet_size
        if isinstance(packet_sizes, (str, bytes)) or not hasattr(packet_sizes, "__iter__"):
            raise TypeError(f"packet_sizes must be a sequence of integers (bytes, 0..{maxp}), "
                            f"got {type(packet_sizes).__name__}")
        sizes = list(packet_sizes)
        if not sizes:
            raise ValueError(f"packet_sizes must hold at least one size (bytes, 0..{maxp})")
        sizes = [_check.integer(f"packet_sizes[{i}]", s, 0, maxp) for i, s in enumerate(sizes)]
        history = _check.integer("history", history, 1, 4096)
        max_steps = _check.integer("max_steps", max_steps, 1, 2**32 - 1)
        seed = _check.seed("seed", seed)
        self.num_envs, self.history, self.max_steps, self.packet_sizes = num_envs, history, max_steps, tuple(sizes)
        lib = _native.lib()
        err = _native.ErrBuf()
        sz = np.asarray(sizes, dtype=np.int64)
        h = getattr(lib, link.fn)(num_envs, workers, *link.args, _ptr(sz), len(sizes), history, max_steps, seed,
                                  err.ptr, _native.ERRCAP)
        if not h:
            raise ValueError(f"netgym: {link.name}: {err.buf.value.decode('utf-8', 'replace')}")
        self.own = _Handle(h, err)
        self.h = h
        self.err = err
        self.lib = lib
        n = num_envs
        self.obs = np.zeros((n, history, 2), dtype=np.float32)
        self.rew = np.zeros(n, dtype=np.float64)
        self.term = np.zeros(n, dtype=np.bool_)
        self.trunc = np.zeros(n, dtype=np.bool_)
        self.act = np.zeros(n, dtype=np.int64)
        self.seeds = np.zeros(n, dtype=np.uint64)
        self.mask = np.ones(n, dtype=np.uint8)
        self.p_obs, self.p_rew, self.p_term, self.p_trunc, self.p_act = map(
            _ptr, (self.obs, self.rew, self.term, self.trunc, self.act))
        self.p_seeds, self.p_mask = _ptr(self.seeds), _ptr(self.mask)
        self.step_fn = lib.ng_vec_step
        self.n_actions = len(sizes)

    def reset(self, seeds=None):
        if _native.forked():
            _native.lib()
        if seeds is None:
            st = self.lib.ng_vec_reset(self.h, None, None, self.p_obs, self.err.ptr, _native.ERRCAP)
        else:
            for i, s in enumerate(seeds):
                if s is None:
                    self.mask[i] = 0
                else:
                    self.seeds[i] = _check.seed(f"seed[{i}]", s)
                    self.mask[i] = 1
            st = self.lib.ng_vec_reset(self.h, self.p_seeds, self.p_mask, self.p_obs, self.err.ptr, _native.ERRCAP)
        if st < 0:
            self.err.raise_for(st, "reset")

    def step(self, actions):
        if _native.forked():
            _native.lib()
        act = self.act
        try:
            act[:] = actions
        except (ValueError, TypeError) as e:
            raise ValueError(f"actions must be {self.num_envs} integers in [0, {self.n_actions - 1}]: {e}") from None
        st = self.step_fn(self.h, self.p_act, self.p_obs, self.p_rew, self.p_term, self.p_trunc,
                          self.err.ptr, _native.ERRCAP)
        if st < 0:
            msg = self.err.buf.value.decode()
            if msg.startswith("vector env: actions["):  # checked in Go before any step
                raise ValueError(msg[len("vector env: "):])
            self.err.raise_for(st, "step")

    def close(self):
        self.own.close()
        self.h = 0


def channel_spaces(history, n_actions):
    """The observation and action space of one channel environment."""
    high = np.empty((history, 2), dtype=np.float32)
    high[:, 0] = 1.0
    high[:, 1] = max(history - 1, 0)
    obs = gym.spaces.Box(low=np.zeros((history, 2), dtype=np.float32), high=high, dtype=np.float32)
    return obs, gym.spaces.Discrete(n_actions)


class _LinkVectorEnv(VectorEnv):
    """The vector env over one link kind (Wi-Fi, 5G-LENA, mmWave): the Go
    vector, its spaces, reset and step."""

    metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}

    def _setup(self, go, copy, render_mode, seed):
        self._go = go
        self.num_envs = go.num_envs
        self.copy = copy
        self.render_mode = render_mode
        self.single_observation_space, self.single_action_space = channel_spaces(go.history, go.n_actions)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.packet_sizes = go.packet_sizes
        self.history = go.history
        self.max_steps = go.max_steps
        self.base_seed = seed

    def reset(self, *, seed=None, options=None):
        """Resets every sub-environment; returns (obs, infos)."""
        if seed is not None:
            self._np_random, self._np_random_seed = gym.utils.seeding.np_random(
                seed if isinstance(seed, int) else None)
        if seed is None:
            seeds = None
        elif isinstance(seed, int):
            seeds = [seed + i for i in range(self.num_envs)]
        else:
            seeds = list(seed)
            if len(seeds) != self.num_envs:
                raise ValueError(f"seed: {len(seeds)} seeds for num_envs={self.num_envs}")
        self._go.reset(seeds)
        return self._out(self._go.obs), {}

    def step(self, actions):
        """Steps every sub-environment; returns (obs, rewards, terminations, truncations, infos)."""
        go = self._go
        go.step(actions)
        return self._out(go.obs), self._out(go.rew), self._out(go.term), self._out(go.trunc), {}

    def _out(self, a):
        return a.copy() if self.copy else a

    def close_extras(self, **kwargs):
        """Frees the simulations."""
        self._go.close()


class ChannelVectorEnv(_LinkVectorEnv):
    """N channel environments over NetRL's Wi-Fi link stepped in parallel
    goroutines by one call (``netgym/WifiChannel-v0``).

    Parameters: num_envs (8, >= 1); distance_m (10 m, >= 0);
    step_duration_ms (1, > 0); tx_power_dbm (20); loss_exponent (3, > 0);
    max_retries (7, >= 1); packet_sizes (action i sends packet_sizes[i]
    bytes, 0..2268; (0, 64, 256, 1024)); history (8, 1..4096); max_steps
    (1000); seed (1: sub-environment i starts from seed + i);
    workers (goroutines; 0: one per CPU); copy (True: return new arrays
    each call, False: the same buffers, overwritten by the next call).

    ``reset(seed=s)`` restarts sub-environment i from netgym's (s + i, run 1)
    (a list: one seed per sub-environment, None keeps it going);
    ``reset()`` moves every sub-environment to its next run.
    """

    def __init__(self, num_envs=8, *, distance_m=10.0, step_duration_ms=1.0, tx_power_dbm=20.0, loss_exponent=3.0,
                 max_retries=7, packet_sizes=DEFAULT_PACKET_SIZES, history=8, max_steps=1000, seed=1, workers=0,
                 copy=True, render_mode=None):
        link = wifi_link(distance_m, step_duration_ms, tx_power_dbm, loss_exponent, max_retries)
        self._setup(_GoVector(num_envs, workers, link, packet_sizes, history, max_steps, seed), copy, render_mode,
                    seed)
        self.distance_m = float(distance_m)


class LenaChannelVectorEnv(_LinkVectorEnv):
    """N channel environments over NetRL's 5G-LENA link (one gNB, one UE,
    uplink through the EPC: :class:`netgym.channels.LenaChannel`'s
    scenario) stepped in parallel goroutines by one call
    (``netgym/LenaChannel-v0``). The dynamics are :class:`ChannelVectorEnv`'s.

    Link parameters (NetRL's ``NS3LenaConfig`` names and defaults):
    distance_m (50, 0..1e5 m), frequency_ghz (28, 0.5..100), bandwidth_ghz
    (0.1; at least one resource block at the numerology), ue_tx_power_dbm
    (23), gnb_tx_power_dbm (30, both -100..80), scenario ("UMa"; "UMi",
    "UMi-StreetCanyon", "RMa", "InH-OfficeMixed", "InH-OfficeOpen"),
    numerology (3, 0..6), shadowing_enabled (False), step_duration_ms (1,
    > 0). Environment parameters: num_envs (8), packet_sizes ((0, 64, 256,
    1024); each 0..1932, the largest payload through the core), history
    (8), max_steps (1000), seed (1: sub-environment i starts from seed +
    i), workers, copy, as :class:`ChannelVectorEnv`.
    """

    def __init__(self, num_envs=8, *, distance_m=50.0, frequency_ghz=28.0, bandwidth_ghz=0.1, ue_tx_power_dbm=23.0,
                 gnb_tx_power_dbm=30.0, scenario="UMa", numerology=3, shadowing_enabled=False, step_duration_ms=1.0,
                 packet_sizes=DEFAULT_PACKET_SIZES, history=8, max_steps=1000, seed=1, workers=0, copy=True,
                 render_mode=None):
        settings = lena_settings(distance_m=distance_m, frequency_ghz=frequency_ghz, bandwidth_ghz=bandwidth_ghz,
                                 ue_tx_power_dbm=ue_tx_power_dbm, gnb_tx_power_dbm=gnb_tx_power_dbm,
                                 scenario=scenario, numerology=numerology, shadowing_enabled=shadowing_enabled,
                                 step_duration_ms=step_duration_ms)
        self._setup(_GoVector(num_envs, workers, lena_link(settings), packet_sizes, history, max_steps, seed), copy,
                    render_mode, seed)
        self.link = settings
        self.distance_m = settings["distance_m"]


class MmWaveChannelVectorEnv(_LinkVectorEnv):
    """N channel environments over NetRL's ns3-mmwave link (one eNB, one
    UE, uplink through the EPC: :class:`netgym.channels.MmWaveChannel`'s
    scenario) stepped in parallel goroutines by one call
    (``netgym/MmWaveChannel-v0``). The dynamics are :class:`ChannelVectorEnv`'s.

    Link parameters (NetRL's ``NS3MmWaveConfig`` names and defaults):
    distance_m (50, > 0), frequency_ghz (28, 0.5..100), bandwidth_ghz
    (0.2), tx_power_dbm (23), enb_tx_power_dbm (30, both -100..100),
    noise_figure_db (9), enb_noise_figure_db (5, both 0..100), scenario
    ("UMa"; "RMa", "UMi-StreetCanyon", "InH-OfficeMixed", "InH-OfficeOpen"),
    harq_enabled (True), rlc_am_enabled (False), step_duration_ms (1, > 0);
    netgym's scheduler ("rr", the default, NetRL's round robin; "pf"; "maxrate").
    Environment parameters: num_envs (8), packet_sizes ((0, 64, 256,
    1024); each 0..1472, the remote host link's MTU less IPv4 and UDP),
    history (8), max_steps (1000), seed (1), workers, copy, as
    :class:`ChannelVectorEnv`.
    """

    def __init__(self, num_envs=8, *, distance_m=50.0, frequency_ghz=28.0, bandwidth_ghz=0.2, tx_power_dbm=23.0,
                 enb_tx_power_dbm=30.0, noise_figure_db=9.0, enb_noise_figure_db=5.0, scenario="UMa",
                 harq_enabled=True, rlc_am_enabled=False, step_duration_ms=1.0, packet_sizes=DEFAULT_PACKET_SIZES,
                 history=8, max_steps=1000, seed=1, workers=0, copy=True, scheduler="rr", render_mode=None):
        settings = mmwave_settings(distance_m=distance_m, frequency_ghz=frequency_ghz, bandwidth_ghz=bandwidth_ghz,
                                   tx_power_dbm=tx_power_dbm, enb_tx_power_dbm=enb_tx_power_dbm,
                                   noise_figure_db=noise_figure_db, enb_noise_figure_db=enb_noise_figure_db,
                                   scenario=scenario, harq_enabled=harq_enabled, rlc_am_enabled=rlc_am_enabled,
                                   step_duration_ms=step_duration_ms, scheduler=scheduler)
        self._setup(_GoVector(num_envs, workers, mmwave_link(settings), packet_sizes, history, max_steps, seed),
                    copy, render_mode, seed)
        self.link = settings
        self.distance_m = settings["distance_m"]


# WifiChannel's link parameters and defaults (NetRL's NS3WifiConfig).
_WIFI_DEFAULTS = {"distance_m": 10.0, "step_duration_ms": 1.0, "tx_power_dbm": 20.0, "loss_exponent": 3.0,
                  "max_retries": 7}


def _defaults(settings_fn):
    return {k: p.default for k, p in inspect.signature(settings_fn).parameters.items()}


# The links of NetworkedVectorEnv: their parameter names (NetRL's config
# names) with netgym's defaults, the library function that builds the bank,
# the largest payload and max_pending_steps' default (NetRL's channels: 200
# for Wi-Fi, 500 for the cellular ones).
_BANK_LINKS = {
    "wifi": (_WIFI_DEFAULTS, "ng_bank_new", _check.WIFI_MAX_PACKET_SIZE, 200),
    "lena": (_defaults(lena_settings), "ng_bank_new_lena", _check.LENA_MAX_PACKET_SIZE, 500),
    "mmwave": (_defaults(mmwave_settings), "ng_bank_new_mmwave", _check.MMWAVE_MAX_PACKET_SIZE, 500),
}


# NetRL's config classes and the link each configures.
_NETRL_CONFIGS = {"NS3WifiConfig": "wifi", "NS3WiFiChannelFastConfig": "wifi", "NS3LenaConfig": "lena",
                  "NS3MmWaveConfig": "mmwave"}


def _bank_link(link, ns3_cfg, params, packet_size_bytes, max_pending_steps):
    """NetworkedVectorEnv's link, checked: (link, settings, leading
    arguments of the bank's library function after n and workers, function
    name, packet_size_bytes, max_pending_steps). link None is the link of
    NetRL's config ``ns3_cfg``, else Wi-Fi. Keywords override ``ns3_cfg``'s
    attributes of the same names, which override the defaults."""
    cfg_link = _NETRL_CONFIGS.get(type(ns3_cfg).__name__) if ns3_cfg is not None else None
    if link is None:
        link = cfg_link or "wifi"
    if not isinstance(link, str) or link not in _BANK_LINKS:
        raise ValueError(f"link={link!r} not one of {', '.join(_BANK_LINKS)}")
    if cfg_link is not None and cfg_link != link:
        raise ValueError(f"ns3_cfg is NetRL's {type(ns3_cfg).__name__}, the {cfg_link} link's config, "
                         f"not the {link} link's")
    defaults, fn, maxp, pending = _BANK_LINKS[link]
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        raise TypeError(f"NetworkedVectorEnv: {', '.join(unknown)} not a parameter of the {link} link "
                        f"(its parameters: {', '.join(defaults)}, packet_size_bytes, max_pending_steps)")

    def pick(name, default):
        v = params.get(name)
        return v if v is not None else _cfg_get(ns3_cfg, name, default)

    values = {k: pick(k, d) for k, d in defaults.items()}
    if link == "wifi":
        distance_m = _check.real("distance_m", values["distance_m"], 0.0)
        step_ms, tx, loss, retries = _check.wifi_link(values["step_duration_ms"], values["tx_power_dbm"],
                                                      values["loss_exponent"], values["max_retries"])
        settings = {"distance_m": distance_m, "step_duration_ms": step_ms, "tx_power_dbm": tx,
                    "loss_exponent": loss, "max_retries": retries}
        args = (step_ms, distance_m, tx, loss, retries)
    elif link == "lena":
        settings = lena_settings(**values)
        args = lena_args(settings)
    else:
        settings = mmwave_settings(**values)
        args = mmwave_args(settings)
    size = _check.integer("packet_size_bytes", pick("packet_size_bytes", 64) if packet_size_bytes is None
                          else packet_size_bytes, 0, maxp)
    horizon = _check.integer("max_pending_steps", pick("max_pending_steps", pending) if max_pending_steps is None
                             else max_pending_steps, 1)
    return link, settings, args, fn, size, horizon


class NetworkedVectorEnv(VectorEnv):
    """NetRL's NetworkedEnv, vectorized: N environments whose dynamics live
    in Python (CartPole, say, as a Gymnasium vector env) each send their
    observation every step over their own netgym link (Wi-Fi, 5G-LENA or
    mmWave); the N links step in parallel goroutines in one call.
    Observations are NetRL's buffers: ``{"observations": (buffer_size,
    *shape), "recv_mask": (buffer_size,)}`` per sub-environment, the newest
    slot last, holding what arrived during each step (NetRL's channels with
    CentralNode: the last arrival of a step fills its slot).

    env: a Gymnasium env id (made with ``gymnasium.make_vec(env, num_envs,
    vectorization_mode)``, keywords in env_kwargs) or a VectorEnv with
    NEXT_STEP autoreset.

    link: ``"wifi"`` (:class:`netgym.channels.WifiChannel`'s 802.11a
    ad-hoc link, the default), ``"lena"`` (:class:`netgym.channels.LenaChannel`'s
    5G-LENA uplink through the EPC) or ``"mmwave"``
    (:class:`netgym.channels.MmWaveChannel`'s ns3-mmwave uplink); left out,
    the link of NetRL's config ``ns3_cfg`` (an ``NS3LenaConfig`` selects
    "lena"), else "wifi". Its
    parameters are keywords with NetRL's names and defaults, those of the
    matching channel class:

    - wifi: distance_m (10), step_duration_ms (1), tx_power_dbm (20),
      loss_exponent (3), max_retries (7); packet_size_bytes 0..2268;
    - lena (``NS3LenaConfig``): distance_m (50), frequency_ghz (28),
      bandwidth_ghz (0.1), ue_tx_power_dbm (23), gnb_tx_power_dbm (30),
      scenario ("UMa"), numerology (3), shadowing_enabled (False),
      step_duration_ms (1); packet_size_bytes 0..1932;
    - mmwave (``NS3MmWaveConfig``): distance_m (50), frequency_ghz (28),
      bandwidth_ghz (0.2), tx_power_dbm (23), enb_tx_power_dbm (30),
      noise_figure_db (9), enb_noise_figure_db (5), scenario ("UMa"),
      harq_enabled (True), rlc_am_enabled (False), step_duration_ms (1),
      netgym's scheduler ("rr", "pf" or "maxrate"; "rr" is NetRL's);
      packet_size_bytes 0..1472;

    and for all: packet_size_bytes (64), max_pending_steps (200 for Wi-Fi,
    500 for the cellular links, as NetRL's channels). ns3_cfg: NetRL's
    config object of the link (``NS3WifiConfig``, ``NS3LenaConfig``,
    ``NS3MmWaveConfig``; another link's raises ValueError), read for the
    same names; keywords override it.
    A bad value raises ValueError (TypeError for a wrong type, or a
    parameter the link does not have), naming the parameter and its range.

    seed: link i starts from netgym's (seed + i, run 1), so that link i
    steps exactly as the channel class with ``seed=seed + i``. Like NetRL,
    every episode (reset(), and the autoreset after an episode ended)
    starts the link's next run; reset(seed=s) reseeds links and inner envs
    with s + i.

        env = NetworkedVectorEnv("CartPole-v1", 8, link="lena", distance_m=200.0, numerology=2)
    """

    metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}

    def __init__(self, env="CartPole-v1", num_envs=8, *, link=None, ns3_cfg=None, buffer_size=10,
                 packet_size_bytes=None, max_pending_steps=None, seed=1, workers=0, vectorization_mode="sync",
                 env_kwargs=None, **link_params):
        link, settings, link_args, bank_fn, self.packet_size_bytes, self.max_pending_steps = _bank_link(
            link, ns3_cfg, link_params, packet_size_bytes, max_pending_steps)
        if isinstance(env, str):
            num_envs = _check.integer("num_envs", num_envs, 1, 1 << 20)
            env = gym.make_vec(env, num_envs=num_envs, vectorization_mode=vectorization_mode, **(env_kwargs or {}))
        if not isinstance(env, VectorEnv):
            raise TypeError(f"env must be a Gymnasium env id or a VectorEnv, got {type(env).__name__}")
        mode = env.metadata.get("autoreset_mode", AutoresetMode.NEXT_STEP)
        if mode != AutoresetMode.NEXT_STEP:
            raise ValueError(f"env must autoreset in NEXT_STEP mode, not {mode}")
        space = env.single_observation_space
        if not isinstance(space, gym.spaces.Box):
            raise TypeError(f"the environment's observation space must be a Box, got {type(space).__name__}")
        self.env = env
        self.num_envs = n = env.num_envs
        self.buffer_size = b = _check.integer("buffer_size", buffer_size, 1, 1 << 16)
        self.link, self.link_settings, self.distance_m = link, settings, settings["distance_m"]
        self.seed = _check.seed("seed", seed)
        workers = _check.integer("workers", workers, 0, 4096)
        lib = _native.lib()
        err = _native.ErrBuf()
        h = getattr(lib, bank_fn)(n, workers, *link_args, self.packet_size_bytes, self.seed, err.ptr,
                                  _native.ERRCAP)
        if not h:
            raise ValueError(f"netgym: NetworkedVectorEnv: {err.buf.value.decode()}")
        self._own = _Handle(h, err)
        self._h, self._err, self._lib = h, err, lib
        shape, dtype = space.shape, space.dtype
        self.single_observation_space = gym.spaces.Dict({
            "observations": gym.spaces.Box(low=-np.inf, high=np.inf, shape=(b, *shape), dtype=dtype),
            "recv_mask": gym.spaces.MultiBinary(b),
        })
        self.single_action_space = env.single_action_space
        self.observation_space = batch_space(self.single_observation_space, n)
        self.action_space = env.action_space
        self._win = np.zeros((n, b, *shape), dtype=dtype)
        self._mask = np.zeros((n, b), dtype=np.bool_)
        self._t = np.zeros(n, dtype=np.uint32)
        self._sizes = np.full(n, self.packet_size_bytes, dtype=np.int64)
        self._counts = np.zeros(n, dtype=np.int32)
        self._per = 64
        self._ids = np.zeros(n * self._per, dtype=np.uint32)
        self._ptrs = tuple(map(_ptr, (self._t, self._sizes, self._counts, self._ids)))
        self._pending = [dict() for _ in range(n)]
        self._done = np.zeros(n, dtype=np.bool_)

    def _reset_link(self, i, seed=None):
        st = self._lib.ng_bank_reset(self._h, i, 0 if seed is None else seed, seed is not None,
                                     self._err.ptr, _native.ERRCAP)
        if st < 0:
            self._err.raise_for(st, "reset")
        self._win[i] = 0
        self._mask[i] = False
        self._t[i] = 0
        self._pending[i].clear()

    def reset(self, *, seed=None, options=None):
        """Resets every environment and link (the next run, or seed + i); returns NetRL's empty buffers."""
        if _native.forked():
            _native.lib()
        obs, info = self.env.reset(seed=seed, options=options)
        if isinstance(seed, int):
            seeds = [seed + i for i in range(self.num_envs)]
        elif seed is None:
            seeds = [None] * self.num_envs
        else:
            seeds = list(seed)
        for i, s in enumerate(seeds):
            self._reset_link(i, None if s is None else _check.seed(f"seed[{i}]", s))
        self._done[:] = False
        return self._obs(), info

    def step(self, actions):
        """Steps the environments, sends every observation over its link, returns the buffers."""
        if _native.forked():
            _native.lib()
        obs, rew, term, trunc, info = self.env.step(actions)
        sizes, t, pending = self._sizes, self._t, self._pending
        sizes[:] = self.packet_size_bytes
        restarted = np.flatnonzero(self._done)
        for i in restarted:  # the inner env reset this step (NEXT_STEP): so do link and buffer
            self._reset_link(int(i))
            sizes[i] = -2  # idle: NetRL's reset neither sends nor flushes
        for i in range(self.num_envs):
            if sizes[i] >= 0:
                pending[i][int(t[i])] = np.array(obs[i], copy=True)
        st = self._lib.ng_bank_step(self._h, *self._ptrs[:3], self._ptrs[3], self._per, self._err.ptr,
                                    _native.ERRCAP)
        if st < 0:
            self._err.raise_for(st, "step")
        live = sizes >= 0
        win, mask, b = self._win, self._mask, self.buffer_size
        # NetRL's ObservationBuffer.get_padded: slots are steps
        # max(0, t-b+1) .. ; until b steps have passed step t sits at index t
        # (the later slots stay empty), then the window slides.
        full = live & (t >= b)
        win[full, :-1] = win[full, 1:]
        win[full, -1] = 0
        mask[full, :-1] = mask[full, 1:]
        mask[full, -1] = False
        slot = np.minimum(t, b - 1).astype(np.intp)
        counts, ids, per = self._counts, self._ids, self._per
        for i in np.flatnonzero(live & (counts > 0)):
            p = pending[i]
            for sid in ids[i * per:i * per + min(int(counts[i]), per)]:
                o = p.pop(int(sid), None)
                if o is not None:  # NetRL: every arrival of the step goes to its slot, the last stays
                    win[i, slot[i]] = o
                    mask[i, slot[i]] = True
        for i in np.flatnonzero(live):
            p = pending[i]
            if p:
                horizon = int(t[i]) - self.max_pending_steps
                if next(iter(p)) < horizon:
                    for old in [s for s in p if s < horizon]:
                        del p[old]
        t[live] += 1
        self._done = np.logical_or(term, trunc)
        return self._obs(), rew, term, trunc, info

    def _obs(self):
        return {"observations": self._win.copy(), "recv_mask": self._mask.copy()}

    def close_extras(self, **kwargs):
        """Closes the inner environments and frees the links."""
        self.env.close()
        self._own.close()
        self._h = 0
