# SPDX-License-Identifier: GPL-2.0-only
"""64 netgym simulations stepped by one call: the vector channel env.

Each sub-environment is NetRL's Wi-Fi link at a distance; the action picks
this step's packet size (0: none, 64, 256, 1024 bytes), the observation is
the receive mask and lag of the last 8 steps, the reward the delivered
fraction. A fixed policy per distance shows the link:

    python python/examples/vector_env.py
"""

import time

import gymnasium as gym
import numpy as np

import netgym  # noqa: F401  (registers netgym/WifiChannel-v0)


def main():
    for distance in (10.0, 50.0, 52.0, 60.0):
        env = gym.make_vec("netgym/WifiChannel-v0", num_envs=64, vectorization_mode="vector_entry_point",
                           distance_m=distance, max_steps=1000)
        env.reset(seed=1)
        actions = np.tile(np.arange(4), 16)  # sub-env i always sends size i % 4
        rewards = np.zeros(64)
        t0 = time.perf_counter()
        for _ in range(1000):
            _, r, _, _, _ = env.step(actions)
            rewards += r
        dt = time.perf_counter() - t0
        env.close()
        per_size = rewards.reshape(16, 4).mean(axis=0) / 1000
        print(f"{distance:4.0f} m: delivered fraction by size (none, 64, 256, 1024 B): "
              f"{np.array2string(per_size, precision=3)}   ({64000 / dt:,.0f} sub-env steps/s)")


if __name__ == "__main__":
    main()
