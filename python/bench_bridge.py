# SPDX-License-Identifier: GPL-2.0-only
"""Time per step through the ns3-gym bridge: netgym.NetgymEnv driving
scenarios/opengym (Box of 5 uint32 observed, Discrete(5) action), as ns3-gym
and ns3-ai measure their transfer cost.

    go build -o /tmp/opengym ./scenarios/opengym
    /usr/bin/python3 python/bench_bridge.py /tmp/opengym [steps]
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

import netgym  # noqa: E402


def main():
    binary = sys.argv[1]
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
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
