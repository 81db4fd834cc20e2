# SPDX-License-Identifier: GPL-2.0-only
"""A random agent on a netgym scenario over ns3-gym's protocol.

    python python/examples/random_agent.py [BINARY] --simTime=10 --stepTime=0.1   # default: the installed opengym
"""

import sys

import netgym


def main():
    args = sys.argv[1:]
    binary = args.pop(0) if args and not args[0].startswith("-") else netgym.binaries.path("opengym")
    env = netgym.NetgymEnv(binary, args=args + ["--quiet"], port=0)
    try:
        for episode in range(2):
            obs, info = env.reset()
            total, steps, done = 0.0, 0, False
            while not done:
                obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
                total += reward
                steps += 1
                done = terminated or truncated
            why = "game over" if terminated else "simulation end"
            print(f"episode {episode}: {steps} steps, return {total:.1f}, ended by {why}; last obs {obs}")
    finally:
        env.close()


if __name__ == "__main__":
    main()
