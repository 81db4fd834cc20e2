# SPDX-License-Identifier: GPL-2.0-only
"""The CartPole co-simulation (python/examples/nrp_cartpole) through the
cosim binary: balanced across 10 m of 802.11a, lost at 100 m.

Run: NETGYM_COSIM_BIN=/path/to/cosim python3 -m unittest discover -s python/tests
(needs gymnasium; skipped without it).
"""

import json
import os
import subprocess
import sys
import unittest

BIN = os.environ.get("NETGYM_COSIM_BIN")
HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "..", "examples", "nrp_cartpole", "simulation_config.json")

try:
    import gymnasium  # noqa: F401
    HAVE_GYM = True
except ImportError:
    HAVE_GYM = False


@unittest.skipIf(not BIN, "NETGYM_COSIM_BIN is not set")
@unittest.skipIf(not HAVE_GYM, "gymnasium is not installed")
class CartPoleAcrossWifi(unittest.TestCase):
    def returns(self, distance, episodes=1, policy="linear", train=0):
        env = dict(os.environ, NETGYM_PYTHON=sys.executable, NETGYM_PYTHONPATH=os.path.join(HERE, ".."))
        out = subprocess.run([BIN, "-c", CONFIG, f"-set=net.Distance={distance}", f"-set=cartpole.Episodes={episodes}",
                              f"-set=controller.Policy=\"{policy}\"", f"-set=controller.TrainEpisodes={train}"],
                             check=True, capture_output=True, text=True, env=env, timeout=600).stdout
        return [json.loads(line)["return"] for line in out.splitlines()]

    def test_balanced_near_lost_far(self):
        self.assertEqual(self.returns(10), [500.0])
        far = self.returns(100)
        self.assertEqual(len(far), 1)
        self.assertLess(far[0], 50)

    def test_same_seed_same_returns(self):
        self.assertEqual(self.returns(55, episodes=2), self.returns(55, episodes=2))


if __name__ == "__main__":
    unittest.main()
