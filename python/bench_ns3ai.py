# SPDX-License-Identifier: GPL-2.0-only
"""A-Plus-B round trips through ns3-ai's message interface, side by side:
netgym's Go simulation (scenarios/ns3ai-apb, --stats: the time from its
SendBegin to its RecvEnd, i.e. one full round trip including the agent's
work) against

  - netgym's pure-Python agent (netgym.ns3ai, ctypes over mmap),
  - ns3-ai's own pybind11 agent (ns3ai_apb_py_stru, built by
    bench/ns3ai/setup.sh) when --ns3ai-root is given,
  - a Boost C++ agent (rl/ns3ai/testdata/boostpeer.cc) when --boostpeer
    is given,

and, for reference, ns3-ai's native pairing: a Boost C++ simulation
(boostpeer sim) against the pybind11 agent. Each side is pinned to its own
core (0: simulation, 1: agent).

    go build -o /tmp/ns3ai-apb ./scenarios/ns3ai-apb
    /usr/bin/python3 python/bench_ns3ai.py --apb /tmp/ns3ai-apb \\
        [--ns3ai-root ROOT] [--boostpeer PATH] [--rounds 20000] [--repeat 3]

With --think MS the agent sleeps MS before each answer, and the table is
the latency from its answer to the next question, with netgym's Python side
waking the blocked Go simulation (FUTEX_WAKE) and without
(NETGYM_NS3AI_NO_WAKE=1: the Go side polls):

    python3 python/bench_ns3ai.py --apb /tmp/ns3ai-apb --think 3 --rounds 300
"""

import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from netgym.ns3ai import apb  # noqa: E402

SEG = "netgym-bench-ns3ai"
STATS = re.compile(r"rounds=(\d+) p50=([\d.]+)us p90=([\d.]+)us p99=([\d.]+)us(?: mean=([\d.]+)us)?")


def pin(cpu):
    def f():
        try:
            os.sched_setaffinity(0, {cpu})
        except OSError:
            pass
    return f


def serve(msg, think=0.0, replies=None):
    """ns3-ai's A-Plus-B agent. With think > 0 it sleeps that many seconds
    before each answer (an agent whose policy takes milliseconds) and
    appends to replies the time from its answer (PySendEnd) to the next
    question (PyRecvBegin returning): how fast the simulation, which gave
    up spinning long ago, notices the answer."""
    n = 0
    posted = None
    while True:
        msg.PyRecvBegin()
        if posted is not None:
            replies.append(time.perf_counter() - posted)
        if msg.PyGetFinished():
            return n
        temp = msg.GetCpp2PyStruct().a + msg.GetCpp2PyStruct().b
        msg.PyRecvEnd()
        msg.PySendBegin()
        msg.GetPy2CppStruct().c = temp
        if think > 0:
            time.sleep(think)
        msg.PySendEnd()
        if think > 0:
            posted = time.perf_counter()
        n += 1


def slow_agent(args):
    """--think: the reply latency after a slow agent's answer, waking the
    Go simulation (FUTEX_WAKE) and not (NETGYM_NS3AI_NO_WAKE=1, the Go
    side polls with sleeps of up to 1 ms), interleaved."""
    print("| agent thinks %.1f ms, %d rounds | reply after the answer, p50 us | p90 us | p99 us |"
          % (args.think, args.rounds))
    print("|---|---|---|---|")
    for _ in range(args.repeat):
        for wake in ("1", "0"):
            env = dict(os.environ, NETGYM_NS3AI_NO_WAKE="0" if wake == "1" else "1")
            cmd = [sys.executable, os.path.abspath(__file__), "--agent", "netgym", "--apb", args.apb,
                   "--rounds", str(args.rounds), "--think", str(args.think)]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
            m = re.search(r"replies p50=([\d.]+) p90=([\d.]+) p99=([\d.]+)", out)
            print("| %s | %s | %s | %s |" % ("futex wake" if wake == "1" else "polling (no wake)",
                                            m.group(1), m.group(2), m.group(3)), flush=True)


def go_sim(apb_bin, rounds):
    return subprocess.Popen([apb_bin, "--segName=" + SEG, "--rounds=%d" % rounds, "--quiet", "--stats",
                             "--peerPid=%d" % os.getpid()],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=pin(0))


def stats(text):
    m = STATS.search(text)
    if not m:
        raise RuntimeError("no statistics in: " + text)
    return [float(x) if x else None for x in m.groups()]


def agent_case(args):
    """One measurement, in this (fresh) process: ns3-ai's pybind11
    interface can be created once per process only (its segment is a
    function-local static)."""
    os.sched_setaffinity(0, {1})
    if args.agent == "netgym":
        msg = apb.stru.Ns3AiMsgInterfaceImpl(True, False, True, 4096, SEG)
    else:
        sys.path.insert(0, os.path.join(args.ns3ai_root, "contrib/ai/examples/a-plus-b/use-msg-stru"))
        import ns3ai_apb_py_stru as py_binding
        msg = py_binding.Ns3AiMsgInterfaceImpl(True, False, True, 4096, SEG, "My Cpp to Python Msg",
                                               "My Python to Cpp Msg", "My Lockable")
    if args.sim == "go":
        proc = go_sim(args.apb, args.rounds)
    else:
        proc = subprocess.Popen([args.boostpeer, "sim", SEG, "stru", str(args.rounds)], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, preexec_fn=pin(0))
    t0 = time.perf_counter()
    replies = []
    n = serve(msg, args.think / 1e3, replies)
    wall = time.perf_counter() - t0
    out = "".join(x or "" for x in proc.communicate())
    if proc.wait() != 0:
        raise RuntimeError(out)
    print("wall=%.6f n=%d %s" % (wall, n, out.strip()))
    if replies:
        replies.sort()
        q = lambda p: replies[min(len(replies) - 1, int(p * len(replies)))] * 1e6  # noqa: E731
        print("replies p50=%.1f p90=%.1f p99=%.1f" % (q(0.5), q(0.9), q(0.99)))


def measure(args, agent, sim):
    cmd = [sys.executable, os.path.abspath(__file__), "--agent", agent, "--sim", sim, "--apb", args.apb,
           "--rounds", str(args.rounds)]
    if args.ns3ai_root:
        cmd += ["--ns3ai-root", args.ns3ai_root]
    if args.boostpeer:
        cmd += ["--boostpeer", args.boostpeer]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    m = re.search(r"wall=([\d.]+) n=(\d+)", out)
    return int(m.group(2)), float(m.group(1)), out


def boost_agent(args):
    agent = subprocess.Popen([args.boostpeer, "agent", SEG, "stru"], stdout=subprocess.PIPE, text=True,
                             preexec_fn=pin(1))
    assert agent.stdout.readline().strip() == "ready"
    proc = go_sim(args.apb, args.rounds)
    t0 = time.perf_counter()
    out = proc.communicate()[1]
    wall = time.perf_counter() - t0
    agent.wait()
    return args.rounds, wall, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--apb", required=True, help="scenarios/ns3ai-apb binary")
    ap.add_argument("--ns3ai-root", help="folder laid out by bench/ns3ai/setup.sh (pybind11 modules)")
    ap.add_argument("--boostpeer", help="rl/ns3ai/testdata/boostpeer.cc built")
    ap.add_argument("--rounds", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--think", type=float, default=0.0,
                    help="ms the agent sleeps before each answer: measure the reply latency after it, "
                         "waking the simulation and not")
    ap.add_argument("--agent", help=argparse.SUPPRESS)
    ap.add_argument("--sim", default="go", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.agent:
        return agent_case(args)
    if args.think > 0:
        return slow_agent(args)
    cases = [("Go simulation <-> netgym pure-Python agent", lambda: measure(args, "netgym", "go"))]
    if args.ns3ai_root:
        cases.append(("Go simulation <-> ns3-ai pybind11 agent", lambda: measure(args, "pybind", "go")))
    if args.boostpeer:
        cases.append(("Go simulation <-> Boost C++ agent", lambda: boost_agent(args)))
    if args.ns3ai_root and args.boostpeer:
        cases.append(("Boost C++ simulation <-> ns3-ai pybind11 agent (ns3-ai native)",
                      lambda: measure(args, "pybind", "boost")))
    print("| pairing | round trips/s | p50 us | p90 us | p99 us |")
    print("|---|---|---|---|---|")
    for name, fn in cases:
        best = None
        for _ in range(args.repeat):
            n, wall, out = fn()
            r = stats(out)
            if best is None or r[1] < best[1][1]:
                best = (n / wall, r)
        rate, (_, p50, p90, p99, _) = best
        print("| %s | %.0f k | %.2f | %.2f | %.2f |" % (name, rate / 1e3, p50, p90, p99), flush=True)


if __name__ == "__main__":
    main()
