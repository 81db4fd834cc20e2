#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""netrl_client.py: drive a NetRL-protocol backend over pipes and time it.

It talks to the backend the way NetRL's NS3WifiChannel does: Popen in text
mode (UTF-8, bufsize=0) with stdin/stdout/stderr as pipes, a daemon thread
draining stderr, every command written as one line and flushed at once, every
reply read with select() (10 s timeout; 30 s for READY) and then readline().

Per step it sends "TRANSMIT t size", expects "OK", sends "FLUSH t", expects a
"RECV ..." line. With --step-cmd it sends a single "STEP t size" per step and
expects the RECV line (netgym's faster command). It prints steps/s over the
stepping loop only (start-up and warm-up excluded), the fraction of steps
whose packet arrived and their mean lag in steps (the step of the FLUSH that
reported a packet minus the step that sent it, as NetRL sees it), then sends
QUIT.

Usage:
  netrl_client.py BINARY [--steps 20000] [--pkt-size 64] [--step-cmd]
                  [-- extra backend flags, e.g. --distance=10.0]
"""

import argparse
import select
import subprocess
import sys
import threading
import time
from collections import deque


class Backend:
    def __init__(self, cmd):
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
            text=True,
            encoding="utf-8",
        )
        self.stderr = deque(maxlen=200)
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        try:
            for line in self.proc.stderr:
                self.stderr.append(line.rstrip("\r\n"))
        except Exception:
            pass

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def read(self, timeout=10.0):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError("backend did not answer in %.0f s; stderr: %s"
                               % (timeout, "\n".join(self.stderr)))
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("backend closed stdout (rc=%s); stderr: %s"
                               % (self.proc.poll(), "\n".join(self.stderr)))
        return line.rstrip("\n\r")

    def quit(self):
        try:
            self.send("QUIT")
            self.proc.wait(timeout=2)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--pkt-size", type=int, default=64)
    ap.add_argument("--step-cmd", action="store_true",
                    help='send "STEP t size" instead of TRANSMIT + FLUSH')
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:  # everything after "--" goes to the backend
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    a = ap.parse_args(argv)

    t0 = time.perf_counter()
    be = Backend([a.binary] + extra)
    first = be.read(timeout=30.0)
    if first != "READY":
        raise RuntimeError("expected READY, got %r" % first)
    t_ready = time.perf_counter() - t0

    delivered = set()
    lag_sum = 0
    t1 = time.perf_counter()
    for t in range(a.steps):
        if a.step_cmd:
            be.send("STEP %d %d" % (t, a.pkt_size))
        else:
            be.send("TRANSMIT %d %d" % (t, a.pkt_size))
            r = be.read()
            if r != "OK":
                raise RuntimeError("TRANSMIT %d: unexpected reply %r" % (t, r))
            be.send("FLUSH %d" % t)
        r = be.read()
        if not r.startswith("RECV"):
            raise RuntimeError("step %d: unexpected reply %r" % (t, r))
        for x in r.split()[1:]:
            sid = int(x)
            if sid not in delivered:
                delivered.add(sid)
                lag_sum += t - sid
    wall = time.perf_counter() - t1
    be.quit()

    print("mode=%s steps=%d wall_s=%.3f steps_per_s=%.0f ready_s=%.3f delivered=%d frac=%.4f lag_mean=%.3f"
          % ("STEP" if a.step_cmd else "TRANSMIT+FLUSH", a.steps, wall,
             a.steps / wall, t_ready, len(delivered), len(delivered) / a.steps,
             lag_sum / max(len(delivered), 1)))


if __name__ == "__main__":
    sys.exit(main())
