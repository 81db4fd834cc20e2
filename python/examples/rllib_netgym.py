# SPDX-License-Identifier: GPL-2.0-only
"""RLlib PPO whose EnvRunner workers each host netgym environments.

Every environment is a netgym.NetgymEnv: it starts a netgym scenario binary
(here scenarios/opengym, ns3-gym's first example) and steps it over
ns3-gym's protocol on its own port. RLlib's EnvRunner actors (processes,
on any machine of the Ray cluster) build their environments with
``make_env``; each gets its own simulation seed from its worker and vector
index, so that no two environments replay the same episodes. The netgym
Python package reaches the workers through Ray's runtime_env (py_modules);
the binary must exist at the same path on every machine (a shared file
system, or the same install).

    go build -o bin/opengym ./scenarios/opengym
    pip install "ray[rllib]" torch pyzmq protobuf
    python3 python/examples/rllib_netgym.py bin/opengym --iterations 2

On a cluster, start Ray first (``ray start --head``, then ``ray start
--address=HEAD:6379`` on the workers) and pass --address auto.
"""

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.join(HERE, "..", "netgym")


def make_env(config):
    """Builds one netgym environment inside an EnvRunner (config is RLlib's
    EnvContext: env_config plus worker_index and vector_index)."""
    import gymnasium as gym

    import netgym

    seed = 1 + 1000 * config.worker_index + config.vector_index
    env = netgym.NetgymEnv(config["binary"], args=config.get("args", []) + ["--quiet"],
                           port=0, sim_seed=seed)
    # ns3-gym's observations are uint32 boxes; RLlib's default encoders
    # want float32.
    return gym.wrappers.DtypeObservation(env, np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary", help="netgym scenario binary speaking ns3-gym's protocol (bin/opengym)")
    ap.add_argument("--iterations", type=int, default=2)
    ap.add_argument("--env-runners", type=int, default=2, help="EnvRunner actors")
    ap.add_argument("--envs-per-runner", type=int, default=1, help="netgym environments per EnvRunner")
    ap.add_argument("--address", default=None, help="Ray cluster address (default: a local instance)")
    ap.add_argument("--num-cpus", type=int, default=2, help="CPUs of the local instance")
    opts = ap.parse_args()

    import ray
    from ray.rllib.algorithms.ppo import PPOConfig
    from ray.tune.registry import register_env

    runtime_env = {"py_modules": [os.path.abspath(PKG)]}
    if opts.address:
        ray.init(address=opts.address, runtime_env=runtime_env)
    else:
        ray.init(num_cpus=opts.num_cpus, runtime_env=runtime_env, include_dashboard=False)
    sys.path.insert(0, os.path.join(HERE, ".."))
    register_env("netgym-opengym", make_env)
    config = (
        PPOConfig()
        .environment("netgym-opengym", env_config={
            "binary": os.path.abspath(opts.binary),
            "args": ["--simTime=5", "--stepTime=0.1"],
        })
        .env_runners(num_env_runners=opts.env_runners, num_envs_per_env_runner=opts.envs_per_runner,
                     rollout_fragment_length=50, num_cpus_per_env_runner=0.5)
        .learners(num_learners=0)
        .training(train_batch_size=200, minibatch_size=50, num_epochs=2, lr=3e-4)
    )
    algo = config.build_algo()
    try:
        for i in range(opts.iterations):
            result = algo.train()
            runners = result.get("env_runners", {})
            print("iteration %d: %s env steps, episode return mean %s" % (
                i + 1, runners.get("num_env_steps_sampled_lifetime"), runners.get("episode_return_mean")))
    finally:
        algo.stop()
        ray.shutdown()


if __name__ == "__main__":
    main()
