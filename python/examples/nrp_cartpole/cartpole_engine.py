# SPDX-License-Identifier: GPL-2.0-only
"""The plant: Gymnasium's CartPole-v1 as an NRP-core style Python engine.

Each runLoop is one CartPole step (tau = 20 ms: give the engine
EngineTimestep 0.02). The action applied is the last one received in the
"action" datapack (a zero-order hold: a lost or late action leaves the
previous one in force; 0 before the first). An episode ends when the pole
falls or after 500 steps; the next starts at once with the next seed.

Datapacks: "observation" (written) {"state": [x, x_dot, theta, theta_dot],
"step", "episode", "last_return", "returns", "finished"} and "action"
(read) {"action": 0 or 1}. EngineExtraConfigs: "Seed" (0) and "Episodes"
(10): "finished" turns true after that many episodes.
"""

import gymnasium as gym

from netgym.nrp import EngineScript


class Script(EngineScript):
    def initialize(self):
        extra = (self._config or {}).get("EngineExtraConfigs") or {}
        self.seed = int(extra.get("Seed", 0))
        self.episodes = int(extra.get("Episodes", 10))
        self.env = gym.make("CartPole-v1")
        self._registerDataPack("observation")
        self._registerDataPack("action")
        self.returns = []
        self._start_episode()

    def _start_episode(self):
        self.state, _ = self.env.reset(seed=self.seed + len(self.returns))
        self.ret = 0.0
        self.step = 0
        self._publish()

    def _publish(self):
        self._setDataPack("observation", {
            "state": [float(v) for v in self.state], "step": self.step, "episode": len(self.returns),
            "last_return": self.returns[-1] if self.returns else 0.0, "returns": list(self.returns),
            "finished": len(self.returns) >= self.episodes})

    def runLoop(self, timestep_ns):
        if len(self.returns) >= self.episodes:
            return
        held = self._getDataPack("action")
        action = int(held["action"]) if held else 0
        self.state, reward, terminated, truncated, _ = self.env.step(action)
        self.ret += reward
        self.step += 1
        if terminated or truncated:
            self.returns.append(self.ret)
            self._start_episode()
        else:
            self._publish()

    def reset(self):
        self.returns = []
        self._start_episode()

    def shutdown(self):
        self.env.close()
