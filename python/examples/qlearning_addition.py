# SPDX-License-Identifier: GPL-2.0-only
"""Python agents learning DEFIANCE's addition example through netgym.

Each of the 5 agents sees a digit (Discrete(10)) and must answer digit +
hint (its reward application's node id); the reward of an action,
exp(-|error|), arrives with the agent's next turn. A tabular Q-learner per
agent (alpha 0.5, no discount: the task is a contextual bandit, epsilon
0.1) against random agents.

    python python/examples/qlearning_addition.py [BINARY] [episodes]   # default: the installed defiance-addition
"""

import sys

import numpy as np

import netgym


def run(binary, episodes, learn, rng):
    env = netgym.NetgymMultiAgentEnv(binary, port=0)
    q = {a: np.ones((10, s.n)) for a, s in env.action_spaces.items()}  # optimistic start
    last = {}  # agent -> (obs, action) awaiting its reward
    means = []
    try:
        for episode in range(episodes):
            obs, _ = env.reset()
            last.clear()
            total, count = 0.0, 0
            while True:
                agent, o = next(iter(obs.items()))
                if agent in last:  # the reward of this agent's previous action
                    po, pa = last[agent]
                    r = rew[agent]
                    total, count = total + r, count + 1
                    if learn:
                        q[agent][po, pa] += 0.5 * (r - q[agent][po, pa])
                explore = learn and episode < episodes - 1 and rng.random() < 0.1
                if explore or not learn:
                    a = int(rng.integers(env.action_spaces[agent].n))
                else:
                    a = int(np.argmax(q[agent][o]))
                last[agent] = (o, a)
                obs, rew, term, trunc, _ = env.step({agent: a})
                if term["__all__"] or trunc["__all__"]:
                    break
            means.append(total / max(count, 1))
    finally:
        env.close()
    return means


def main():
    args = sys.argv[1:]
    binary = args.pop(0) if args and not args[0].isdigit() else netgym.binaries.path("defiance-addition")
    episodes = int(args[0]) if args else 3
    rng = np.random.default_rng(1)
    rnd = run(binary, 1, learn=False, rng=rng)
    print(f"random agents: mean reward {rnd[0]:.3f}")
    means = run(binary, episodes, learn=True, rng=rng)
    for i, m in enumerate(means):
        kind = "greedy" if i == len(means) - 1 else "training"
        print(f"episode {i + 1} ({kind}): mean reward {m:.3f}")


if __name__ == "__main__":
    main()
