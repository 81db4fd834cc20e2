#!/usr/bin/env bash
# Lays out a folder in which ns3-ai's own A-Plus-B scripts
# (examples/a-plus-b/use-msg-stru/apb.py, use-msg-vec/apb.py and
# use-gym/apb.py) and ns3-ai's Gym package (ns3ai_gym_env) run unchanged
# against netgym, and builds what they import. See docs/ns3ai.md.
#
#   bench/ns3ai/setup.sh NS3AI_CHECKOUT ROOT
#
# NS3AI_CHECKOUT: a checkout of hust-diangroup/ns3-ai (main, b8c9858 or later).
# PYTHON: the interpreter that will run apb.py (default Debian's /usr/bin/python3).
# ROOT: the folder that plays ns-3's top directory; created if needed:
#   ROOT/ns3                     netgym's launcher (scenarios/ns3)
#   ROOT/build/netgym/ns3ai-apb  the A-Plus-B simulation (scenarios/ns3ai-apb)
#   ROOT/contrib/ai/             a copy of the ns3-ai checkout (a real folder,
#                                not a symlink: apb.py's "../../../../../" must
#                                lead back to ROOT), with the pybind11 modules
#                                ns3ai_apb_py_stru and ns3ai_apb_py_vec built
#                                next to the scripts, and the Gym interface's
#                                ns3ai_gym_msg_py and messages_pb2.py in
#                                model/gym-interface/py, as ns3-ai's CMake
#                                does.
#   ROOT/build/netgym/{opengym,rl-wifi,defiance-addition}  netgym's Gym scenarios
# VENV: if set, a virtual environment created there (with the system's
#   site packages: numpy, protobuf) into which pip installs ns3-ai's
#   python_utils and model/gym-interface/py in editable mode, as ns3-ai's
#   install guide says.
set -euo pipefail
src=${1:?usage: setup.sh NS3AI_CHECKOUT ROOT}
root=${2:?usage: setup.sh NS3AI_CHECKOUT ROOT}
py=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3 )}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

need=()
command -v g++ >/dev/null || need+=(g++)
[ -f /usr/include/boost/interprocess/managed_shared_memory.hpp ] || need+=(libboost-dev)
"$py" -c 'import pybind11' 2>/dev/null || need+=(python3-pybind11 pybind11-dev)
"$py" -c 'import psutil' 2>/dev/null || need+=(python3-psutil)
[ -f "$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ] || need+=(python3-dev)
command -v protoc >/dev/null || need+=(protobuf-compiler)
"$py" -c 'import google.protobuf, numpy' 2>/dev/null || need+=(python3-protobuf python3-numpy)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]} (Debian packages)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

mkdir -p "$root/build/netgym" "$root/contrib"
if [ ! -d "$root/contrib/ai" ]; then
    cp -a "$src" "$root/contrib/ai"
fi
(cd "$repo" && go build -o "$root/ns3" ./scenarios/ns3 &&
    for b in ns3ai-apb opengym rl-wifi defiance-addition; do go build -o "$root/build/netgym/$b" ./scenarios/$b; done)

ai="$root/contrib/ai"
suffix=$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
for v in stru vec; do
    d="$ai/examples/a-plus-b/use-msg-$v"
    echo "building $d/ns3ai_apb_py_$v$suffix"
    g++ -O3 -shared -fPIC -std=c++17 $("$py" -m pybind11 --includes) \
        -I "$here/include" -I "$ai/model/msg-interface" \
        "$d/apb_py.cc" -o "$d/ns3ai_apb_py_$v$suffix" -lrt -lpthread
done
g="$ai/model/gym-interface"
echo "building $g/py/ns3ai_gym_msg_py$suffix and $g/py/messages_pb2.py"
g++ -O3 -shared -fPIC -std=c++17 $("$py" -m pybind11 --includes) \
    -I "$here/include" -I "$ai/model/msg-interface" -I "$g" \
    "$g/py/msg_py_binding.cc" -o "$g/py/ns3ai_gym_msg_py$suffix" -lrt -lpthread
protoc -I "$g" --python_out="$g/py" "$g/messages.proto"
if [ -n "${VENV:-}" ]; then
    [ -x "$VENV/bin/python" ] || "$py" -m venv --system-site-packages "$VENV"
    "$VENV/bin/pip" install -q -e "$ai/python_utils" -e "$g/py"
    py="$VENV/bin/python"
fi
cat <<MSG
ready. Run ns3-ai's scripts unchanged:
  cd $ai/examples/a-plus-b/use-msg-stru && PYTHONPATH=$ai/python_utils $py apb.py
  cd $ai/examples/a-plus-b/use-msg-vec  && PYTHONPATH=$ai/python_utils $py apb.py
ns3-ai's Gym package (after pip install -e $ai/python_utils -e $g/py, or with
PYTHONPATH=$ai/python_utils:$g/py):
  cd $ai/examples/a-plus-b/use-gym && $py apb.py
MSG
