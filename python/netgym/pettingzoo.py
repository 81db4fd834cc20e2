# SPDX-License-Identifier: GPL-2.0-only
"""netgym's multi-agent scenarios as PettingZoo environments.

netgym's RL scenarios (``multi-agent-counters``, ``defiance-addition``,
``rl-wifi``) serve their agents turn by turn over ns3-gym's multi-agent
protocol: the simulation pauses whenever one agent must act and hands it its
observation and the reward of its previous action. That is PettingZoo's AEC
model exactly:

- :class:`NetgymAECEnv`: ``agent_selection`` is the agent whose turn the
  simulation asks for; ``observe(agent)`` is the latest observation that
  agent received (a zero observation, clipped into its space, before its
  first turn); the reward of an agent arrives with its next turn; the end
  of the simulation truncates every agent, a game over terminates them.
- :class:`NetgymParallelEnv`: ``step(actions)`` serves turns in the
  simulation's order, each agent's action used at its next turn, until the
  simulation asks for an agent whose action was used already; it returns
  every live agent's latest observation and the rewards received meanwhile.

``reset(seed=s)`` starts simulation run s (the scenarios' ``--simSeed``);
``reset()`` starts the next run. For RLlib, ``netgym.NetgymMultiAgentEnv``
keeps RLlib's dict conventions.

    from netgym.pettingzoo import NetgymAECEnv
    env = NetgymAECEnv("multi-agent-counters")
    env.reset(seed=1)
    for agent in env.agent_iter():
        obs, rew, term, trunc, info = env.last()
        env.step(None if term or trunc else env.action_space(agent).sample())
"""

import numpy as np
from gymnasium import spaces as gspaces

from . import binaries
from .env import NetgymMultiAgentEnv

try:
    from pettingzoo import AECEnv, ParallelEnv
    from pettingzoo.utils import agent_selector  # noqa: F401  (part of the public idiom)
except ImportError as e:  # pragma: no cover - optional dependency
    raise ImportError("netgym.pettingzoo needs PettingZoo: pip install 'pettingzoo>=1.24'") from e


def _zero(space):
    """A fixed observation inside space: zeros clipped into its bounds."""
    if isinstance(space, gspaces.Discrete):
        return space.dtype.type(space.start)
    if isinstance(space, gspaces.Box):
        return np.clip(np.zeros(space.shape, dtype=space.dtype), space.low, space.high).astype(space.dtype)
    if isinstance(space, gspaces.Tuple):
        return tuple(_zero(s) for s in space.spaces)
    if isinstance(space, gspaces.Dict):
        return {k: _zero(s) for k, s in space.spaces.items()}
    return space.sample()


def _typed(obs, space):
    """obs with the dtypes of space (Discrete values as numpy integers)."""
    if isinstance(space, gspaces.Discrete):
        return space.dtype.type(obs)
    if isinstance(space, gspaces.Box):
        return np.asarray(obs, dtype=space.dtype)
    if isinstance(space, gspaces.Tuple):
        return tuple(_typed(o, s) for o, s in zip(obs, space.spaces))
    if isinstance(space, gspaces.Dict):
        return {k: _typed(obs[k], s) for k, s in space.spaces.items()}
    return obs


def _copy(obs):
    if isinstance(obs, np.ndarray):
        return obs.copy()
    if isinstance(obs, tuple):
        return tuple(_copy(o) for o in obs)
    if isinstance(obs, dict):
        return {k: _copy(v) for k, v in obs.items()}
    return obs


def _resolve(scenario):
    return binaries.path(scenario) if scenario in binaries.NAMES else scenario


class _Turns:
    """The turn-based simulation behind both wrappers."""

    def __init__(self, scenario, args, sim_seed, timeout):
        self.sim = NetgymMultiAgentEnv(_resolve(scenario), args=args, port=0, sim_seed=sim_seed, timeout=timeout)
        self.possible = sorted(self.sim.action_spaces)
        self.obs_spaces = {a: self.sim.observation_spaces[a] for a in self.possible}
        self.act_spaces = {a: self.sim.action_spaces[a] for a in self.possible}
        self.last_obs = {}
        self.turn = None  # agent whose turn it is, None once the episode ended
        self.over = None  # None, "terminated" or "truncated"
        self.infos = {}

    def reset(self, seed):
        obs, info = self.sim.reset(seed=seed)
        self.last_obs = {a: _zero(self.obs_spaces[a]) for a in self.possible}
        self.infos = {a: {} for a in self.possible}
        self.over = None
        self._take(obs, info)

    def _take(self, obs, info):
        self.turn = None
        for a, o in obs.items():
            self.last_obs[a] = _typed(o, self.obs_spaces[a])
            self.turn = a
        for a, i in info.items():
            self.infos[a] = dict(i)

    def act(self, action):
        """Sends the current agent's action; returns {agent: reward} received."""
        agent = self.turn
        obs, rew, term, trunc, info = self.sim.step({agent: action})
        self._take(obs, info)
        if term["__all__"] or trunc["__all__"]:
            self.over = "terminated" if term["__all__"] else "truncated"
            self.turn = None
        return rew

    def close(self):
        self.sim.close()


class NetgymAECEnv(AECEnv):
    """A netgym multi-agent scenario as a PettingZoo AECEnv.

    scenario: one of netgym's binaries (``"multi-agent-counters"``,
    ``"defiance-addition"``, ``"rl-wifi"``) or a path to a scenario binary;
    args: extra ``--key=value`` flags; sim_seed: the first run."""

    metadata = {"render_modes": [], "name": "netgym_aec_v0", "is_parallelizable": True}

    def __init__(self, scenario="multi-agent-counters", args=(), sim_seed=1, timeout=10.0, render_mode=None):
        super().__init__()
        self._t = _Turns(scenario, list(args), sim_seed, timeout)
        self.possible_agents = list(self._t.possible)
        self.observation_spaces = dict(self._t.obs_spaces)
        self.action_spaces = dict(self._t.act_spaces)
        self.render_mode = render_mode
        self.agents = []
        self.rewards, self._cumulative_rewards = {}, {}
        self.terminations, self.truncations, self.infos = {}, {}, {}
        self.agent_selection = None

    def observation_space(self, agent):
        return self.observation_spaces[agent]

    def action_space(self, agent):
        return self.action_spaces[agent]

    def reset(self, seed=None, options=None):
        """Starts an episode: simulation run seed (None: the next run)."""
        self._t.reset(seed)
        self.agents = list(self.possible_agents)
        self.rewards = {a: 0.0 for a in self.agents}
        self._cumulative_rewards = {a: 0.0 for a in self.agents}
        self.terminations = {a: False for a in self.agents}
        self.truncations = {a: False for a in self.agents}
        self.infos = {a: dict(self._t.infos[a]) for a in self.agents}
        self.agent_selection = self._t.turn

    def observe(self, agent):
        return _copy(self._t.last_obs[agent])

    def step(self, action):
        """Acts for agent_selection (None for an agent that is done)."""
        agent = self.agent_selection
        if self.terminations[agent] or self.truncations[agent]:
            self._was_dead_step(action)
            return
        self._cumulative_rewards[agent] = 0.0
        rew = self._t.act(action)
        self.rewards = {a: 0.0 for a in self.agents}
        for a, r in rew.items():
            if a in self.rewards:
                self.rewards[a] = float(r)
        self.infos = {a: dict(self._t.infos[a]) for a in self.agents}
        if self._t.over is not None:
            done = {a: True for a in self.agents}
            if self._t.over == "terminated":
                self.terminations = done
            else:
                self.truncations = done
            self.agent_selection = self.agents[0]
        else:
            self.agent_selection = self._t.turn
        self._accumulate_rewards()

    def close(self):
        self._t.close()

    def render(self):
        """Nothing to render: the simulation has no visual output."""
        return None


class NetgymParallelEnv(ParallelEnv):
    """A netgym multi-agent scenario as a PettingZoo ParallelEnv (see the
    module doc for how turns map to parallel steps)."""

    metadata = {"render_modes": [], "name": "netgym_parallel_v0"}

    def __init__(self, scenario="multi-agent-counters", args=(), sim_seed=1, timeout=10.0, render_mode=None):
        self._t = _Turns(scenario, list(args), sim_seed, timeout)
        self.possible_agents = list(self._t.possible)
        self.observation_spaces = dict(self._t.obs_spaces)
        self.action_spaces = dict(self._t.act_spaces)
        self.render_mode = render_mode
        self.agents = []

    def observation_space(self, agent):
        return self.observation_spaces[agent]

    def action_space(self, agent):
        return self.action_spaces[agent]

    def reset(self, seed=None, options=None):
        """Starts an episode; returns every agent's observation (zeros before its first turn)."""
        self._t.reset(seed)
        self.agents = list(self.possible_agents)
        return {a: _copy(self._t.last_obs[a]) for a in self.agents}, {a: dict(self._t.infos[a]) for a in self.agents}

    def step(self, actions):
        """Serves turns until an agent whose action was used asks again."""
        t = self._t
        if t.turn not in actions:
            raise KeyError(f"netgym: it is {t.turn!r}'s turn and actions has no action for it")
        pending = dict(actions)
        rewards = {a: 0.0 for a in self.agents}
        while t.over is None and t.turn in pending:
            for a, r in t.act(pending.pop(t.turn)).items():
                if a in rewards:
                    rewards[a] += float(r)
        agents = list(self.agents)
        obs = {a: _copy(t.last_obs[a]) for a in agents}
        infos = {a: dict(t.infos[a]) for a in agents}
        terms = {a: t.over == "terminated" for a in agents}
        truncs = {a: t.over == "truncated" for a in agents}
        if t.over is not None:
            self.agents = []
        return obs, rewards, terms, truncs, infos

    def close(self):
        self._t.close()

    def render(self):
        """Nothing to render."""
        return None
