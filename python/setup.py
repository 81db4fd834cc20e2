# SPDX-License-Identifier: GPL-2.0-only
"""Builds netgym's Go parts into the wheel: libnetgym.so (python/libnetgym,
-buildmode=c-shared) and the scenario binaries (scenarios/NAME), with the Go
toolchain of the checkout this folder belongs to (go.mod one level up).

    pip install ./python          # from the repository root

Environment: NETGYM_GO (the go command, default "go"), NETGYM_GOFLAGS
(extra go build flags).
"""

import os
import shlex
import shutil
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARIES = ("wifi-sim", "wifi-multi-ue-sim", "channel-sim", "lena-sim", "mmwave-sim", "opengym",
            "defiance-addition", "multi-agent-counters", "rl-wifi")


def go_build(out, pkg, shared=False):
    go = os.environ.get("NETGYM_GO", "go")
    if shutil.which(go) is None:
        sys.exit(f"netgym: the Go toolchain ({go!r}) is not on PATH: netgym's package builds its "
                 "simulator with Go 1.26+ (https://go.dev/dl/), or set NETGYM_GO")
    cmd = [go, "build", "-trimpath", "-buildvcs=false"]
    cmd += shlex.split(os.environ.get("NETGYM_GOFLAGS", ""))
    if shared:
        cmd += ["-buildmode=c-shared"]
    cmd += ["-o", out, pkg]
    env = dict(os.environ)
    if shared:
        env["CGO_ENABLED"] = "1"
    print("netgym:", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


class BuildWithGo(build_py):
    """build_py, then the Go parts into the package's _lib and _bin folders."""

    def run(self):
        super().run()
        if not os.path.isfile(os.path.join(ROOT, "go.mod")):
            sys.exit(f"netgym: {ROOT} has no go.mod: build the package from a netgym checkout "
                     "(pip install ./python)")
        pkg = os.path.abspath(os.path.join(self.build_lib, "netgym"))
        lib = os.path.join(pkg, "_lib")
        os.makedirs(lib, exist_ok=True)
        go_build(os.path.join(lib, "libnetgym.so"), "./python/libnetgym", shared=True)
        header = os.path.join(lib, "libnetgym.h")
        if os.path.exists(header):
            os.remove(header)
        for name in BINARIES:
            go_build(os.path.join(pkg, "_bin", name), f"./scenarios/{name}")


class BinaryDistribution(Distribution):
    """The wheel holds native code: platform-specific."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildWithGo}, distclass=BinaryDistribution)
