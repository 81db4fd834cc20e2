# SPDX-License-Identifier: GPL-2.0-only
"""A Gym agent that learns over 802.11a, through ns3-ai's Gym interface.

The scenario is netgym's rl-wifi (scenarios/rl-wifi, served with --ns3ai):
once a second an observation application draws a digit and sends it over
ad-hoc 802.11a (UDP, LogDistance loss with 4 dB per-frame shadowing) to the
agent's node DISTANCE metres away; the agent must answer digit + 1 in
Discrete(11), rewarded exp(-|error|) against the digit actually drawn, so a
lost observation (the agent acts on the stale one) costs reward. 100
decisions per episode.

The agent is tabular Q-learning (learning rate 0.5, no discount: a
decision does not change the next digit), epsilon-greedy with epsilon
decaying from 1 to 0.05. Each training episode prints its mean reward; a
greedy episode (epsilon 0) closes the run.

    # ns3-ai's own Gym package (gym.make("ns3ai_gym_env/Ns3-v0", ...)), in the
    # folder bench/ns3ai/setup.sh lays out:
    python -m netgym.ns3ai.train_rlwifi --backend ns3ai --ns3-path ROOT
    # netgym's pure-Python Ns3Env, no C++ build:
    python -m netgym.ns3ai.train_rlwifi --backend netgym --binary bin/rl-wifi

ns3-ai's Ns3Env restarts its target without ns3Settings at each reset, so
the distance travels in the target name ("rl-wifi --ns3ai --distance=50"),
and every episode is the same simulation run (same digits, same losses):
the curve shows the agent learning, not the channel changing. Both
backends give the same numbers for the same --agent-seed.
"""

import argparse
import os
import sys
import time

import numpy as np


def make_env(args):
    if args.backend == "ns3ai":
        import gymnasium as gym
        import ns3ai_gym_env  # noqa: F401  (registers ns3ai_gym_env/Ns3-v0)
        target = "rl-wifi --ns3ai --distance=%g" % args.distance
        return gym.make("ns3ai_gym_env/Ns3-v0", targetName=target, ns3Path=args.ns3_path)
    from netgym.ns3ai import Ns3Env
    if args.binary:
        return Ns3Env(args.binary, None, {"distance": args.distance})
    return Ns3Env("rl-wifi --ns3ai --distance=%g" % args.distance, args.ns3_path)


def run_episode(env, q, rng, epsilon, alpha, first_obs=None):
    """One episode; returns (mean reward, decisions)."""
    obs, _ = env.reset() if first_obs is None else (first_obs, {})
    n_act = q.shape[1]
    rewards = []
    while True:
        s = int(obs)
        a = int(rng.integers(n_act)) if rng.random() < epsilon else int(np.argmax(q[s]))
        obs, reward, terminated, truncated, _ = env.step(a)
        if obs is None:
            break  # the simulation's end: a final message without a score
        rewards.append(reward)  # the score of a, against the digit actually drawn
        q[s, a] += alpha * (reward - q[s, a])
        if terminated or truncated:
            break
    return float(np.mean(rewards)), len(rewards)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", choices=["ns3ai", "netgym"], default="netgym")
    p.add_argument("--ns3-path", help="the folder bench/ns3ai/setup.sh laid out (its ns3 launcher)")
    p.add_argument("--binary", help="netgym backend: the rl-wifi binary (instead of --ns3-path)")
    p.add_argument("--distance", type=float, default=50.0, help="metres between observation and agent (50)")
    p.add_argument("--episodes", type=int, default=12, help="training episodes (12)")
    p.add_argument("--agent-seed", type=int, default=1)
    args = p.parse_args(argv)
    if args.backend == "ns3ai" and not args.ns3_path:
        p.error("--backend ns3ai needs --ns3-path")
    if args.backend == "netgym" and not (args.ns3_path or args.binary):
        p.error("--backend netgym needs --binary or --ns3-path")
    if args.binary:
        args.binary = os.path.abspath(args.binary)
    if args.ns3_path:
        args.ns3_path = os.path.abspath(args.ns3_path)
    rng = np.random.default_rng(args.agent_seed)
    env = make_env(args)
    q = np.zeros((10, 11))
    print("episode epsilon mean_reward decisions seconds")
    t0 = time.monotonic()
    try:
        for ep in range(args.episodes):
            eps = max(0.05, 1.0 - ep / max(1, args.episodes - 2))
            t = time.monotonic()
            mean, n = run_episode(env, q, rng, eps, 0.5)
            print("%d %.2f %.4f %d %.1f" % (ep + 1, eps, mean, n, time.monotonic() - t), flush=True)
        mean, n = run_episode(env, q, rng, 0.0, 0.0)
        print("greedy 0.00 %.4f %d %.1f" % (mean, n, time.monotonic() - t0), flush=True)
        print("learned answers (digit -> action):", [int(np.argmax(q[s])) for s in range(10)])
    finally:
        env.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
