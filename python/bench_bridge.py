# SPDX-License-Identifier: GPL-2.0-only
"""Time per step through the ns3-gym bridge: netgym.NetgymEnv driving
scenarios/opengym (Box of 5 uint32 observed, Discrete(5) action), as ns3-gym
and ns3-ai measure their transfer cost.

    python python/bench_bridge.py [BINARY] [steps]     # default: the installed opengym
"""

import sys
import time

import netgym


def main():
    args = sys.argv[1:]
    binary = args.pop(0) if args and not args[0].isdigit() else netgym.binaries.path("opengym")
    steps = int(args[0]) if args else 10000
    env = netgym.NetgymEnv(binary, args=[f"--simTime={steps * 0.01 + 1}", "--stepTime=0.01", "--quiet"], port=0)
    try:
        env.reset()
        start = time.perf_counter()
        for i in range(steps):
            env.step(i % 5)
        elapsed = time.perf_counter() - start
    finally:
        env.close()
    print(f"steps={steps} wall_s={elapsed:.3f} us_per_step={elapsed / steps * 1e6:.1f} steps_per_s={steps / elapsed:.0f}")


if __name__ == "__main__":
    main()
