# SPDX-License-Identifier: GPL-2.0-only
"""Stable-Baselines3 PPO learning CartPole through NetRL's NetworkedEnv over
netgym's 802.11a, one training run per distance, and the reward curves.

The agent sees NetRL's observation buffer (the last 10 delivery slots of the
CartPole state and their receive mask) instead of the state itself: what the
Wi-Fi link between the cart and the agent delivered. At 10 m every packet
arrives within its 1 ms step; at 50 m some are lost and the agent acts on
older states.

    pip install ./python ./python/netrl-ext stable-baselines3 matplotlib
    pip install --no-deps netrl
    python python/examples/sb3_cartpole_netrl.py            # 10 m and 50 m, 60k steps each

Options: --distances 10,50,52 --steps 60000 --algo ppo|dqn --seed 0
--fast (NetRL's NS3WiFiChannelFastConfig on netgym's in-process _netrl_ext
instead of the wifi-sim binary over pipes) --out FILE.png.
Not run by CI (it needs torch).
"""

import argparse
import json
import os
import time

import gymnasium as gym
import numpy as np


def make_env(distance, fast, seed):
    from netrl import NetworkConfig, NetworkedEnv, NS3WiFiChannelFastConfig, NS3WifiConfig

    import netgym.binaries

    if fast:
        channel = NS3WiFiChannelFastConfig(distance_m=distance, step_duration_ms=1.0, packet_size_bytes=64)
    else:
        channel = NS3WifiConfig(distance_m=distance, step_duration_ms=1.0, packet_size_bytes=64,
                                sim_binary=netgym.binaries.path("wifi-sim"))
    env = NetworkedEnv(gym.make("CartPole-v1"), NetworkConfig(buffer_size=10, seed=seed), channel_config=channel)
    return gym.wrappers.FlattenObservation(env)


def train(distance, steps, algo, fast, seed):
    from stable_baselines3 import DQN, PPO
    from stable_baselines3.common.monitor import Monitor

    env = Monitor(make_env(distance, fast, seed))
    cls = PPO if algo == "ppo" else DQN
    model = cls("MlpPolicy", env, seed=seed, verbose=0, device="cpu")
    t0 = time.perf_counter()
    model.learn(total_timesteps=steps)
    wall = time.perf_counter() - t0
    returns = np.array(env.get_episode_rewards(), dtype=float)
    lengths = np.cumsum(env.get_episode_lengths())
    # delivery of the final policy's link, for the legend
    obs, _ = env.reset(seed=seed + 1000)
    arrived = n = 0
    for _ in range(2000):
        action, _ = model.predict(obs, deterministic=True)
        obs, _, term, trunc, info = env.step(action)
        arrived += info["arrived_this_step"]
        n += 1
        if term or trunc:
            obs, _ = env.reset()
    env.close()
    return {"distance": distance, "timesteps": lengths.tolist(), "returns": returns.tolist(),
            "delivered": arrived / n, "wall_s": wall}


def plot(runs, out, algo):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for r in runs:
        ret = np.array(r["returns"])
        k = 20
        smooth = np.convolve(ret, np.ones(k) / k, mode="valid") if len(ret) >= k else ret
        ax.plot(np.array(r["timesteps"])[len(ret) - len(smooth):], smooth,
                label=f"{r['distance']:g} m (delivered {r['delivered']:.1%})")
    ax.set_xlabel("environment steps")
    ax.set_ylabel(f"episode return (mean of {20})")
    ax.set_title(f"SB3 {algo.upper()} on CartPole through NetRL's NetworkedEnv over netgym 802.11a")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print("saved", out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--distances", default="10,50")
    ap.add_argument("--steps", type=int, default=60000)
    ap.add_argument("--algo", choices=["ppo", "dqn"], default="ppo")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fast", action="store_true", help="NetRL's fast config on netgym's in-process _netrl_ext")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "figures", "sb3_cartpole_netrl.png"))
    a = ap.parse_args()
    runs = []
    for d in (float(x) for x in a.distances.split(",")):
        r = train(d, a.steps, a.algo, a.fast, a.seed)
        last = np.mean(r["returns"][-20:]) if r["returns"] else float("nan")
        print(f"{d:g} m: {len(r['returns'])} episodes, last-20 mean return {last:.1f}, "
              f"delivered {r['delivered']:.3f}, {r['wall_s']:.0f} s")
        runs.append(r)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    plot(runs, a.out, a.algo)
    with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
        json.dump([{k: v for k, v in r.items() if k not in ("timesteps", "returns")} |
                   {"last20_mean_return": float(np.mean(r["returns"][-20:]))} for r in runs], f, indent=1)


if __name__ == "__main__":
    main()
