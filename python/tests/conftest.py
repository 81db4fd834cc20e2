# SPDX-License-Identifier: GPL-2.0-only
"""Shared fixtures: the installed package's binaries (or $NETGYM_*_BIN).

pytest imports this file first, so netgym below is the installed package
(some test modules put the source tree on sys.path, which lacks the built
library and binaries); its library and binary folder are exported for
processes started by the tests (multiprocessing's spawn copies sys.path)."""

import os

import pytest

import netgym._native
import netgym.binaries

if os.path.isfile(netgym._native.library_path()):
    os.environ.setdefault("NETGYM_LIBRARY", netgym._native.library_path())
if os.path.isdir(netgym.binaries.directory()):
    os.environ.setdefault("NETGYM_BIN_DIR", netgym.binaries.directory())
    # the unittest-style modules read these when they are imported
    for _var, _name in (("NETGYM_OPENGYM_BIN", "opengym"), ("NETGYM_COUNTERS_BIN", "multi-agent-counters")):
        if os.path.isfile(os.path.join(netgym.binaries.directory(), _name)):
            os.environ.setdefault(_var, os.path.join(netgym.binaries.directory(), _name))


def binary(name, env=None):
    """The binary name: $env if set, else the one installed with netgym."""
    if env and os.environ.get(env):
        return os.environ[env]
    try:
        return netgym.binaries.path(name)
    except FileNotFoundError as e:
        pytest.skip(str(e))


def step_in_lockstep(vec, ref, steps, seed=5):
    """Steps sub-environment 0 of a NetworkedVectorEnv and NetRL's
    NetworkedEnv ref with the same random actions for `steps` steps and
    asserts the same observations, receive masks, rewards and episode ends
    at every step (the vector autoresets at NEXT_STEP; ref is reset by
    hand). Both start from the links' next run and the same CartPole
    start. Returns the number of episodes ended and ref's receive mask at
    every step."""
    import numpy as np

    vec.reset(seed=None)  # the links' next run, as NetRL's reset
    vec.env.reset(seed=seed)  # the same CartPole start on both sides
    ref.reset(seed=seed)
    rng = np.random.default_rng(0)
    episodes, done, masks = 0, False, []
    for t in range(steps):
        a = int(rng.integers(2))
        vo, vr, vte, vtr, _ = vec.step(np.array([a]))
        if done:  # NEXT_STEP: this step reset the vector's sub-env; reset NetRL's by hand
            ro, _ = ref.reset()
            episodes += 1
            rr, rte, rtr = 0.0, False, False
        else:
            ro, rr, rte, rtr, _ = ref.step(a)
        np.testing.assert_array_equal(vo["observations"][0], ro["observations"], err_msg=f"step {t}")
        np.testing.assert_array_equal(vo["recv_mask"][0], ro["recv_mask"], err_msg=f"step {t}")
        assert (vr[0], bool(vte[0]), bool(vtr[0])) == (rr, rte, rtr)
        masks.append(ro["recv_mask"])
        done = rte or rtr
    return episodes, masks


@pytest.fixture
def wifi_sim():
    return binary("wifi-sim")


@pytest.fixture
def multi_ue_sim():
    return binary("wifi-multi-ue-sim")


@pytest.fixture
def lena_sim():
    return binary("lena-sim")


@pytest.fixture
def mmwave_sim():
    return binary("mmwave-sim")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With NETGYM_NO_SKIPS=1 (CI sets it, having installed everything), a
    skipped test is a failure: a check that silently does not run is a
    defect."""
    outcome = yield
    rep = outcome.get_result()
    if os.environ.get("NETGYM_NO_SKIPS") == "1" and rep.skipped and not hasattr(rep, "wasxfail"):
        rep.outcome = "failed"
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        rep.longrepr = "skipped in CI (NETGYM_NO_SKIPS=1): " + str(reason)
