"""Runs NetRL's own CentralNode and ObservationBuffer (netrl/central_node.py,
netrl/utils/observation_buffer.py) on a scripted channel that does what
NetRL's ns-3 channels do with the ids a FLUSH returns (pending dict,
max_pending_steps expiry), and writes the script and NetRL's buffers as JSON
for TestCentralNodeMatchesNetRL.

Regenerate (NetRL's sources from github.com/pietro-talli/NetRL; numpy.py
here stands in for the few numpy calls used with scalar observations):

    mkdir -p /tmp/n/netrl/channels /tmp/n/netrl/utils
    for f in netrl/central_node.py netrl/utils/observation_buffer.py \
             netrl/channels/network_config.py netrl/channels/comm_channel.py; do
        git --git-dir=<NetRL.git> show HEAD:$f > /tmp/n/$f; done
    touch /tmp/n/netrl/__init__.py /tmp/n/netrl/channels/__init__.py /tmp/n/netrl/utils/__init__.py
    cp gen_golden.py numpy.py /tmp/n && (cd /tmp/n && python3 gen_golden.py) > central_golden.json
"""
import copy, dataclasses, json, random, sys
from collections import deque
copy.replace = dataclasses.replace  # Python < 3.13

from netrl.central_node import CentralNode
from netrl.channels.comm_channel import CommChannel
from netrl.channels.network_config import NetworkConfig


class ScriptChannel(CommChannel):
    """NS3WifiChannel.transmit/flush with the subprocess replaced by a script."""
    def __init__(self, arrivals, max_pending):
        self.arrivals, self.max_pending = arrivals, max_pending
        self._pending, self._arrived = {}, deque()
    def transmit(self, obs, step, packet_size=None):
        self._pending[step] = (obs, step)
    def flush(self, step):
        for sid in self.arrivals.get(step, []):
            if sid in self._pending:
                obs, _ = self._pending.pop(sid)
                self._arrived.append((step, obs))
        expired = [sid for sid, (_, sent) in self._pending.items() if step - sent > self.max_pending]
        for sid in expired:
            self._pending.pop(sid)
        result = []
        while self._arrived and self._arrived[0][0] <= step:
            result.append(self._arrived.popleft())
        return result
    def reset(self):
        self._pending.clear(); self._arrived.clear()
    def get_channel_info(self):
        return {"state": "SCRIPT", "pending_count": len(self._pending)}


def scenario(seed, buffer_size, delay_steps, max_pending, nodes, steps):
    rng = random.Random(seed)
    sends = [[rng.random() < 0.85 for _ in range(steps)] for _ in range(nodes)]
    arrivals = [dict() for _ in range(nodes)]
    for n in range(nodes):
        for s in range(steps):
            if not sends[n][s] or rng.random() < 0.15:
                continue
            for _ in range(2 if rng.random() < 0.05 else 1):
                d = rng.choice([0, 0, 0, 1, 2, 3, 5, 7, 9])
                arrivals[n].setdefault(s + d, []).append(s)
            if rng.random() < 0.03:
                arrivals[n].setdefault(s, []).append(10_000 + s)  # never sent
        for ids in arrivals[n].values():
            rng.shuffle(ids)
    cfg = NetworkConfig(buffer_size=buffer_size, delay_steps=delay_steps, seed=1)
    chans = iter([ScriptChannel(arrivals[n], max_pending) for n in range(nodes)])
    ids = [f"n{i}" for i in range(nodes)]
    cn = CentralNode(ids, (), float, cfg, lambda c: next(chans))
    out = []
    for s in range(steps):
        for n in range(nodes):
            if sends[n][s]:
                cn.receive_from(ids[n], float(100 * s + n), s)
        arrived = cn.flush_and_update(s)
        row = []
        for n in range(nodes):
            vals, mask = cn.get_buffer(ids[n])
            row.append({"values": list(vals), "mask": [bool(m) for m in mask],
                        "arrived": arrived[ids[n]] is not None})
        out.append(row)
    return {
        "buffer_size": buffer_size, "delay_steps": delay_steps, "max_pending": max_pending,
        "sends": sends,
        "arrivals": [{str(k): v for k, v in a.items()} for a in arrivals],
        "steps": out,
    }


cases = [
    scenario(1, 5, 0, 4, 2, 80),
    scenario(2, 4, 2, 4, 2, 80),
    scenario(3, 3, 1, 6, 1, 120),
    scenario(4, 8, 0, 2, 3, 60),
    scenario(5, 3, 4, 5, 1, 60),  # delay above the buffer: old slots evict
]
json.dump(cases, sys.stdout, separators=(",", ":"))
