# SPDX-License-Identifier: GPL-2.0-only
"""The controller: a Python engine that turns the latest observation it
received into an action, every step.

EngineExtraConfigs "Policy":
  - "linear" (default): a fixed hand-tuned linear policy,
    push right iff 0.5 x + 1.0 x_dot + 10 theta + 2 theta_dot > 0;
  - "cem": an RL agent, a linear policy learnt by the cross-entropy method
    from the returns it is told (the observation carries the return of the
    episode before): "Population" (8) weight vectors per generation, the
    best "Elite" (2) refit the Gaussian; after "TrainEpisodes" (48)
    episodes it acts with the mean weights (greedy). "Seed" (0) seeds it.

Datapacks: "observation" (written by a transceiver function, as the
plant's observation arrives across the network) and "action" (read)
{"action", "episode", "step"}: the observation it answers. It answers each
observation once.
"""

import numpy as np

from netgym.nrp import EngineScript

LINEAR = np.array([0.5, 1.0, 10.0, 2.0])


class Script(EngineScript):
    def initialize(self):
        extra = (self._config or {}).get("EngineExtraConfigs") or {}
        self.policy = extra.get("Policy", "linear")
        if self.policy not in ("linear", "cem"):
            raise ValueError(f"Policy {self.policy!r}: use 'linear' or 'cem'")
        self.rng = np.random.default_rng(int(extra.get("Seed", 0)))
        self.population = int(extra.get("Population", 8))
        self.elite = int(extra.get("Elite", 2))
        self.train_episodes = int(extra.get("TrainEpisodes", 48))
        self.mean = np.zeros(4)
        self.std = np.ones(4) * 5.0
        self.batch, self.scores = [], []
        self.episode = 0
        self.weights = LINEAR if self.policy == "linear" else self._sample()
        self._registerDataPack("observation")
        self._registerDataPack("action")

    def _sample(self):
        w = self.mean + self.std * self.rng.standard_normal(4)
        self.batch.append(w)
        return w

    def _episode_ended(self, ret):
        """CEM bookkeeping when the plant reports the return of the episode
        the current weights played."""
        if self.policy != "cem":
            return
        if self.episode <= self.train_episodes:
            self.scores.append(ret)
            if len(self.scores) == self.population:
                best = np.argsort(self.scores)[-self.elite:]
                elite = np.array([self.batch[i] for i in best])
                self.mean = elite.mean(axis=0)
                self.std = elite.std(axis=0) + 0.1
                self.batch, self.scores = [], []
        self.weights = self._sample() if self.episode < self.train_episodes else self.mean

    def runLoop(self, timestep_ns):
        obs = self._getDataPack("observation")
        if not obs:
            return
        answered = self._getDataPack("action")
        if answered and (answered["episode"], answered["step"]) == (obs["episode"], obs["step"]):
            return
        while obs["episode"] > self.episode:  # the plant started a new episode
            self.episode += 1
            self._episode_ended(obs["last_return"])
        action = 1 if float(np.dot(self.weights, obs["state"])) > 0 else 0
        self._setDataPack("action", {"action": action, "episode": obs["episode"], "step": obs["step"]})
