# SPDX-License-Identifier: GPL-2.0-only
"""netgym's shared-memory segment for ns3-ai's message interface, in pure
Python: the layout (the same table as rl/ns3ai/netgym.go and docs/ns3ai.md)
and the four-counter ping-pong protocol.

The four counters (cpp2py empty/full, py2cpp empty/full; empty starts at 1,
full at 0) follow ns3-ai's protocol (model/msg-interface/ns3-ai-semaphore.h).
ns3-ai updates them with 8-bit compare-and-swap; Python has no atomic
instructions, but none is needed: in the strict ping-pong each counter has
one writer at a time (a side only decrements a counter after the peer
incremented it, and the peer touches it again only after this side's next
step), so a side can take a counter with a plain byte store. The Go side
uses a compare-and-swap on the counters' 32-bit word, which a concurrent
byte store of another counter only makes retry. On x86-64 the processor
keeps stores and loads in program order (TSO), so the message bytes written
before a counter store are visible before it; elsewhere (arm64) the counter
loads and stores go through libatomic's sequentially consistent
__atomic_load_1/__atomic_store_1 (ctypes), which order them.

Header bytes 32-39 are the wakers and sleepers words (docs/ns3ai.md): a
netgym Go side blocks in the kernel (FUTEX_WAIT on the counters' word)
while it waits, if its peer says, with its bit in the wakers word, that it
wakes sleepers after each post. On Linux (x86-64 and arm64, with
libatomic) this client does so: at the first post of each side it plays
(agent: posts of cpp2py-empty and py2cpp-full; simulation: the other two)
after three answers in a row (its posts of a full counter) that came 1 ms
or more after the start of its turn (its take of the peer's full
counter), it sets that side's bit, and every post of that side then orders
the counter's store before a load of the sleepers word (sequentially
consistent) and, if the peer's bit is set there, calls FUTEX_WAKE on the
counters' word: either the sleeper sees the new counter or this side sees
the sleeper. After 16 answers in a row under 250 us it clears the bit
again (waking a sleeping peer for 50 ms more). A side that answers fast
never sets its bit and pays a clock read per turn: its Go peer is still
spinning or yielding when the answer comes, and a wake-up (tens of
microseconds on a busy or virtual machine) would cost more than it gives. A Go
simulation waiting for a slow Python agent (a neural network that thinks
for milliseconds) is then woken within microseconds of the agent's post,
instead of polling with sleeps of up to 1 ms. The bits are cleared at
close. This side itself never blocks (it polls; its Go peer answers in
microseconds), so it never sets its sleepers bit.
"""

import ctypes
import ctypes.util
import mmap
import os
import platform
import struct
import sys
import time

MAGIC = b"NGYMNS3A"
VERSION = 1
HEADER = 64
ENTRY = 96
NAME_LEN = 64
OBJECTS = 384
LINE = 64
STATE_READY = 1
FLAG_VECTOR = 1
FLAG_HANDLE_FINISH = 2
KIND_STRUCT, KIND_VECTOR, KIND_SYNC = 1, 2, 3
SYNC_SIZE = 5  # ns3-ai's Ns3AiMsgSync: four uint8 counters and a bool
SHM_DIR = "/dev/shm/"

CPP2PY_EMPTY, CPP2PY_FULL, PY2CPP_EMPTY, PY2CPP_FULL = 0, 1, 2, 3
_COUNTER_NAMES = ("cpp2py empty", "cpp2py full", "py2cpp empty", "py2cpp full")

# when a side wakes its peer (Segment._judge): answers (s) and streaks
SLOW_ANSWER = 0.001
SLOW_STREAK = 3
FAST_ANSWER = 0.00025
FAST_STREAK = 16
WAKE_GRACE = 0.05
_monotonic = time.monotonic

# waits: spin, then yield, then sleep with a doubling interval up to 1 ms;
# the peer's liveness is checked every 10 ms once spinning is over
SPIN = 4000
YIELD_FOR = 0.002
CHECK_EVERY = 0.01


class Ns3AiError(RuntimeError):
    """An error of netgym's ns3-ai message interface."""


class Ns3AiLayoutError(Ns3AiError):
    """The segment is not in netgym's layout, or its objects differ from
    the message types."""


class Ns3AiTimeout(Ns3AiError):
    """The peer did not take its turn within the timeout."""


class Ns3AiPeerGone(Ns3AiError):
    """The peer process died or its creator removed the segment."""


def _round_up(x, a):
    return (x + a - 1) // a * a


def _check_name(what, name, limit):
    if not isinstance(name, str) or not name or "\x00" in name or len(name.encode()) > limit:
        raise ValueError("ns3ai: %s %r must be 1 to %d bytes without NUL" % (what, name, limit))


def _libatomic_fn(lib, name, restype, *argtypes):
    """A function of libatomic with its C signature. (getattr: in a class
    body, lib.__atomic_x would be name-mangled to lib._Class__atomic_x.)"""
    fn = getattr(lib, name)
    fn.argtypes = list(argtypes)
    fn.restype = restype
    return fn


_ADDR, _ORDER = ctypes.c_void_p, ctypes.c_int


class _Atomics:
    """Counter access for processors that do not keep program order."""

    def __init__(self):
        path = ctypes.util.find_library("atomic")
        if not path:
            raise Ns3AiError("ns3ai: on %s netgym's pure-Python side needs libatomic "
                             "(Debian: libatomic1) to order its counter updates" % platform.machine())
        lib = ctypes.CDLL(path)
        self.load = _libatomic_fn(lib, "__atomic_load_1", ctypes.c_uint8, _ADDR, _ORDER)
        self.store = _libatomic_fn(lib, "__atomic_store_1", None, _ADDR, ctypes.c_uint8, _ORDER)


_TSO = platform.machine().lower() in ("x86_64", "amd64", "i686", "i386")

# futex(2) system call numbers and operations (linux/futex.h): not the
# private flag, the word is in a shared mapping
_SYS_FUTEX = {"x86_64": 202, "amd64": 202, "aarch64": 98, "arm64": 98}
_FUTEX_WAKE = 1
_SEQ_CST = 5
# header offsets of the wakers and sleepers words; side bits
_WAKERS, _SLEEPERS = 32, 36
_SIM_BIT, _AGENT_BIT = 1, 2


class _Waker:
    """Atomic access to the wakers and sleepers words and FUTEX_WAKE, for
    waking a netgym Go peer that blocks on the counters' word."""

    def __init__(self):
        nr = _SYS_FUTEX.get(platform.machine().lower())
        path = ctypes.util.find_library("atomic")
        if not sys.platform.startswith("linux") or nr is None or not path:
            raise OSError("no futex or no libatomic here")
        self._nr = nr
        lib = ctypes.CDLL(path)
        u8, u32 = ctypes.c_uint8, ctypes.c_uint32
        self.fetch_or = _libatomic_fn(lib, "__atomic_fetch_or_4", u32, _ADDR, u32, _ORDER)
        self.fetch_and = _libatomic_fn(lib, "__atomic_fetch_and_4", u32, _ADDR, u32, _ORDER)
        self.load4 = _libatomic_fn(lib, "__atomic_load_4", u32, _ADDR, _ORDER)
        self.load1 = _libatomic_fn(lib, "__atomic_load_1", u8, _ADDR, _ORDER)
        self.store1 = _libatomic_fn(lib, "__atomic_store_1", None, _ADDR, u8, _ORDER)
        self._syscall = ctypes.CDLL(None, use_errno=True).syscall
        self._syscall.restype = ctypes.c_long
        self.wakes = 0

    def wake(self, addr):
        """FUTEX_WAKE every thread blocked on the word at addr."""
        self._syscall(ctypes.c_long(self._nr), ctypes.c_void_p(addr), ctypes.c_int(_FUTEX_WAKE),
                      ctypes.c_int(0x7FFFFFFF), None, None, ctypes.c_int(0))
        self.wakes += 1


def _new_waker():
    """A _Waker, or None where there is no futex or libatomic, or when
    NETGYM_NS3AI_NO_WAKE=1 asks this side not to wake its peer (the Go
    peer then polls, as with ns3-ai's own peers)."""
    if os.environ.get("NETGYM_NS3AI_NO_WAKE") == "1":
        return None
    try:
        return _Waker()
    except (OSError, AttributeError):
        return None


class Segment:
    """One mapped segment in netgym's layout: the two message objects and
    the sync object, found by name."""

    def __init__(self, name, create, use_vector, handle_finish, size,
                 cpp2py_name, py2cpp_name, lockable_name,
                 cpp2py_type, py2cpp_type, timeout=60.0):
        _check_name("segment name", name, 255)
        if "/" in name:
            raise ValueError("ns3ai: segment name %r must not contain '/'" % name)
        for what, n in (("cpp2py name", cpp2py_name), ("py2cpp name", py2cpp_name),
                        ("lockable name", lockable_name)):
            _check_name(what, n, NAME_LEN - 1)
        if len({cpp2py_name, py2cpp_name, lockable_name}) != 3:
            raise ValueError("ns3ai: the three object names must differ")
        self.name = name
        self.path = SHM_DIR + name
        self.creator = bool(create)
        self.vector = bool(use_vector)
        self.handle_finish = bool(handle_finish)
        self.timeout = float(timeout)
        self._types = (cpp2py_type, py2cpp_type)
        self._names = (cpp2py_name, py2cpp_name, lockable_name)
        self.mm = None
        if self.creator:
            self._create(int(size))
        else:
            self._open()
        self._atomics = None if _TSO else _Atomics()
        self._waker = _new_waker()
        self._announced = 0  # side bits set in the wakers word
        self._taken_at = [_monotonic()] * 4  # the last take of each full counter
        # by side bit (1 simulation, 2 agent): answer streaks, and until when
        # a side that stopped saying it wakes still does
        self._slow, self._fast, self._grace = [0] * 3, [0] * 3, [0.0] * 3
        self._slow_pending = False  # a slow streak has begun
        self._waking = False  # a side says it wakes, or is in its grace
        if self._atomics is not None or self._waker is not None:
            anchor = ctypes.c_uint8.from_buffer(self.mm, 0)
            base = ctypes.addressof(anchor)
            del anchor  # the address stays valid while the mapping does
            self._base = base
            self._sync_addr = base + self.sync_off

    # --- creation and opening -------------------------------------------

    def _create(self, size):
        c_t, p_t = self._types
        if not OBJECTS + LINE * 3 <= size <= 1 << 30:
            raise ValueError("ns3ai: segment size %d out of range [%d, %d]" % (size, OBJECTS + 3 * LINE, 1 << 30))
        csz, calign = ctypes.sizeof(c_t), ctypes.alignment(c_t)
        psz, palign = ctypes.sizeof(p_t), ctypes.alignment(p_t)
        coff = _round_up(OBJECTS + SYNC_SIZE, max(LINE, calign))
        if self.vector:
            # reserve as many elements as fit; resize() sets the size
            cap = max(0, (size - coff) // (csz + psz))
            while cap > 0 and _round_up(coff + csz * cap, max(LINE, palign)) + psz * cap > size:
                cap -= 1
            if cap == 0:
                raise Ns3AiError("ns3ai: a %d-byte segment holds no vector elements of %d + %d bytes" % (size, csz, psz))
            count, kind = 0, KIND_VECTOR
        else:
            cap, count, kind = 1, 1, KIND_STRUCT
        poff = _round_up(coff + csz * cap, max(LINE, palign))
        if poff + psz * cap > size:
            raise Ns3AiError("ns3ai: the messages need a %d-byte segment; shmSize is %d" % (poff + psz * cap, size))
        try:
            os.unlink(self.path)  # ns3-ai's creator removes a stale segment first
        except FileNotFoundError:
            pass
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.ftruncate(fd, size)
            self.mm = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
            st = os.fstat(fd)
        finally:
            os.close(fd)
        self._ino = (st.st_dev, st.st_ino)
        mm = self.mm
        mm[0:8] = MAGIC
        flags = (FLAG_VECTOR if self.vector else 0) | (FLAG_HANDLE_FINISH if self.handle_finish else 0)
        struct.pack_into("<IIQII", mm, 8, VERSION, 0, size, flags, 3)
        objs = [(self._names[0], coff, csz, calign, count, kind, cap),
                (self._names[1], poff, psz, palign, count, kind, cap),
                (self._names[2], OBJECTS, SYNC_SIZE, 1, 1, KIND_SYNC, 1)]
        for i, (name, off, esz, ealign, n, k, c) in enumerate(objs):
            e = HEADER + i * ENTRY
            mm[e:e + NAME_LEN] = name.encode().ljust(NAME_LEN, b"\x00")
            struct.pack_into("<QIIIII", mm, e + 64, off, esz, ealign, n, k, c)
        mm[OBJECTS:OBJECTS + SYNC_SIZE] = bytes([1, 0, 1, 0, 0])
        self._set_objects(objs)
        struct.pack_into("<I", mm, 12, STATE_READY)

    def _open(self):
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR)
            except FileNotFoundError:
                if time.monotonic() > deadline:
                    raise Ns3AiError("ns3ai: segment %r (%s) does not exist" % (self.name, self.path)) from None
                time.sleep(0.001)
                continue
            st = os.fstat(fd)
            if st.st_size == 0 and time.monotonic() <= deadline:
                # The creator has made the file and not sized it yet.
                os.close(fd)
                time.sleep(0.001)
                continue
            break
        try:
            if not OBJECTS <= st.st_size <= 1 << 30:
                raise Ns3AiLayoutError("ns3ai: segment %r is %d bytes: not netgym's layout" % (self.name, st.st_size))
            self.mm = mmap.mmap(fd, st.st_size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        finally:
            os.close(fd)
        self._ino = (st.st_dev, st.st_ino)
        mm = self.mm
        while mm[0:8] == bytes(8) and time.monotonic() <= deadline:
            time.sleep(0.001)  # sized, its header not written yet
        if mm[0:8] != MAGIC:
            raise Ns3AiLayoutError(
                "ns3ai: segment %r is not in netgym's layout (first bytes %r): a segment created by "
                "Boost.Interprocess (ns3-ai's own pybind11 modules) is read by netgym's Go side only"
                % (self.name, bytes(mm[0:8])))
        while struct.unpack_from("<I", mm, 12)[0] != STATE_READY:
            if time.monotonic() > deadline:
                raise Ns3AiLayoutError("ns3ai: segment %r is still being initialised by its creator" % self.name)
            time.sleep(0.001)
        version, _, size, flags, nobj = struct.unpack_from("<IIQII", mm, 8)
        if version != VERSION:
            raise Ns3AiLayoutError("ns3ai: netgym segment layout version %d; this client reads %d" % (version, VERSION))
        if size != len(mm) or nobj != 3:
            raise Ns3AiLayoutError("ns3ai: netgym segment header says %d bytes and %d objects; the segment is %d bytes"
                                   % (size, nobj, len(mm)))
        if bool(flags & FLAG_VECTOR) != self.vector:
            raise Ns3AiLayoutError("ns3ai: the creator chose the %s interface, this side the %s one"
                                   % ("vector" if flags & FLAG_VECTOR else "struct", "vector" if self.vector else "struct"))
        if bool(flags & FLAG_HANDLE_FINISH) != self.handle_finish:
            raise Ns3AiLayoutError("ns3ai: the creator set handleFinish=%s, this side %s: both must agree"
                                   % (bool(flags & FLAG_HANDLE_FINISH), self.handle_finish))
        table = {}
        for i in range(3):
            e = HEADER + i * ENTRY
            name = bytes(mm[e:e + NAME_LEN]).split(b"\x00", 1)[0].decode(errors="replace")
            table[name] = (i,) + struct.unpack_from("<QIIIII", mm, e + 64)
        objs = []
        for name, want_kind, typ in ((self._names[0], KIND_VECTOR if self.vector else KIND_STRUCT, self._types[0]),
                                     (self._names[1], KIND_VECTOR if self.vector else KIND_STRUCT, self._types[1]),
                                     (self._names[2], KIND_SYNC, None)):
            if name not in table:
                raise Ns3AiLayoutError("ns3ai: no object named %r in the segment (it holds %s)" % (name, sorted(table)))
            _, off, esz, ealign, n, kind, cap = table[name]
            if kind != want_kind:
                raise Ns3AiLayoutError("ns3ai: object %r has kind %d, want %d" % (name, kind, want_kind))
            if typ is not None and (esz, ealign) != (ctypes.sizeof(typ), ctypes.alignment(typ)):
                raise Ns3AiLayoutError("ns3ai: object %r holds %d-byte elements aligned to %d; %s is %d bytes aligned to %d"
                                       % (name, esz, ealign, typ.__name__, ctypes.sizeof(typ), ctypes.alignment(typ)))
            if off < OBJECTS or off + esz * cap > len(mm) or off % ealign or n > cap:
                raise Ns3AiLayoutError("ns3ai: object %r (offset %d, %d x %d bytes) does not fit the segment" % (name, off, cap, esz))
            objs.append((name, off, esz, ealign, n, kind, cap))
        self._set_objects(objs)
        if self.sync_off % 4:
            raise Ns3AiLayoutError("ns3ai: sync object at offset %d is not 4-byte aligned" % self.sync_off)

    def _set_objects(self, objs):
        self.objects = objs
        self.cpp2py_off = objs[0][1]
        self.py2cpp_off = objs[1][1]
        self.capacity = objs[0][6]
        self.sync_off = objs[2][1]

    # --- vector sizes -----------------------------------------------------

    def count_at(self, which):
        """Offset of the element count of object `which` (0 cpp2py, 1 py2cpp)."""
        for i in range(3):
            e = HEADER + i * ENTRY
            name = bytes(self.mm[e:e + NAME_LEN]).split(b"\x00", 1)[0].decode(errors="replace")
            if name == self._names[which]:
                return e + 80
        raise Ns3AiLayoutError("ns3ai: object %r vanished from the table" % self._names[which])

    # --- counters -----------------------------------------------------------

    def take(self, idx, alive=None, timeout=None):
        """Waits for counter idx to be non-zero and decrements it (ns3-ai's
        sem_wait), for at most timeout seconds; alive() returning False, or
        the segment's removal by its creator, ends the wait with
        Ns3AiPeerGone."""
        mm = self.mm
        off = self.sync_off + idx
        if self._atomics is not None:
            self._take_atomic(idx, alive, timeout)
            if idx & 1:
                self._taken_at[idx] = _monotonic()
            return
        for _ in range(SPIN):
            v = mm[off]
            if v:
                mm[off] = v - 1
                if idx & 1:
                    self._taken_at[idx] = _monotonic()
                return
        start = time.monotonic()
        deadline = start + (self.timeout if timeout is None else timeout)
        next_check = start
        sleep = 1e-5
        while True:
            v = mm[off]
            if v:
                mm[off] = v - 1
                if idx & 1:
                    self._taken_at[idx] = _monotonic()
                return
            now = time.monotonic()
            if now >= next_check:
                self._check_peer(alive, idx)
                next_check = now + CHECK_EVERY
            if now > deadline:
                if mm[off]:
                    continue
                raise Ns3AiTimeout("ns3ai: peer did not answer in time: waited %.3f s for counter %s"
                                   % (now - start, _COUNTER_NAMES[idx]))
            if now - start < YIELD_FOR:
                time.sleep(0)
            else:
                time.sleep(sleep)
                sleep = min(2 * sleep, 1e-3)

    def _take_atomic(self, idx, alive, timeout):
        a = self._atomics
        addr = self._sync_addr + idx
        start = time.monotonic()
        deadline = start + (self.timeout if timeout is None else timeout)
        next_check = start
        spins = 0
        while True:
            v = a.load(addr, 5)
            if v:
                a.store(addr, v - 1, 5)
                return
            spins += 1
            if spins < SPIN:
                continue
            now = time.monotonic()
            if now >= next_check:
                self._check_peer(alive, idx)
                next_check = now + CHECK_EVERY
            if now > deadline:
                raise Ns3AiTimeout("ns3ai: peer did not answer in time: waited %.3f s for counter %s"
                                   % (now - start, _COUNTER_NAMES[idx]))
            time.sleep(0 if now - start < YIELD_FOR else 1e-4)

    def post(self, idx):
        """Increments counter idx modulo 256 (ns3-ai's sem_post); while this
        side says it wakes sleepers (see _judge), then wakes the peer if it
        sleeps on the counters' word."""
        if self._waker is not None:
            if idx & 1:
                # An answer: its time from the start of the turn. The usual
                # case (fast, nothing pending) costs a clock read.
                d = _monotonic() - self._taken_at[4 - idx]
                if self._waking or self._slow_pending or d >= FAST_ANSWER:
                    self._judge(idx, d)
            if self._waking:
                me = _AGENT_BIT if idx in (CPP2PY_EMPTY, PY2CPP_FULL) else _SIM_BIT
                if self._announced & me or (self._grace[me] and _monotonic() < self._grace[me]):
                    self._post_and_wake(idx, me)
                    return
        if self._atomics is not None:
            addr = self._sync_addr + idx
            self._atomics.store(addr, (self._atomics.load(addr, 5) + 1) & 0xFF, 5)
            return
        off = self.sync_off + idx
        self.mm[off] = (self.mm[off] + 1) & 0xFF

    def _judge(self, idx, d):
        """Counts an answer of this side (its post of full counter idx: odd,
        py2cpp for the agent, cpp2py for the simulation) that came d
        seconds after the start of its turn (its take of the other full
        counter), and decides whether the side wakes its peer: after
        SLOW_STREAK answers in a row of SLOW_ANSWER or more it sets its bit
        in the wakers word (the peer, a netgym Go side, then blocks instead
        of polling with sleeps of up to 1 ms); after FAST_STREAK answers in
        a row under FAST_ANSWER it clears it, and keeps waking a sleeping
        peer for WAKE_GRACE more seconds (a peer that read the bit just
        before it was cleared blocks for at most 10 ms). A fast answer
        reaches a peer that still spins or yields, for which a wake-up
        costs more than it gives."""
        me = _AGENT_BIT if idx == PY2CPP_FULL else _SIM_BIT
        if d >= SLOW_ANSWER:
            self._slow[me] += 1
            self._fast[me] = 0
        elif d < FAST_ANSWER:
            self._fast[me] += 1
            self._slow[me] = 0
        else:
            self._slow[me] = self._fast[me] = 0
        if not self._announced & me:
            if self._slow[me] >= SLOW_STREAK:
                self._waker.fetch_or(self._base + _WAKERS, me, _SEQ_CST)
                self._announced |= me
                self._grace[me] = 0.0
        elif self._fast[me] >= FAST_STREAK:
            self._waker.fetch_and(self._base + _WAKERS, ~me & 0xFFFFFFFF, _SEQ_CST)
            self._announced &= ~me
            self._grace[me] = _monotonic() + WAKE_GRACE
        now = _monotonic()
        for side in (_SIM_BIT, _AGENT_BIT):
            if self._grace[side] and now >= self._grace[side]:
                self._grace[side] = 0.0
        self._slow_pending = any(self._slow)
        self._waking = bool(self._announced) or any(self._grace)

    def _post_and_wake(self, idx, me):
        """post with a sequentially consistent order between the counter's
        store and the load of the sleepers word (the peer sets its sleepers
        bit, then loads the counters, the same way): either the peer sees
        the counter or this side sees the sleeper and wakes it."""
        w = self._waker
        if self._atomics is None:
            # Program order (x86): a plain store, then a locked
            # read-modify-write of the sleepers word (OR 0), which cannot
            # pass the store: one foreign call per post.
            off = self.sync_off + idx
            self.mm[off] = (self.mm[off] + 1) & 0xFF
            sleepers = w.fetch_or(self._base + _SLEEPERS, 0, _SEQ_CST)
        else:
            addr = self._sync_addr + idx
            w.store1(addr, (w.load1(addr, _SEQ_CST) + 1) & 0xFF, _SEQ_CST)
            sleepers = w.load4(self._base + _SLEEPERS, _SEQ_CST)
        if sleepers & (_SIM_BIT | _AGENT_BIT) & ~me:
            w.wake(self._sync_addr)

    def finished_flag(self):
        return self.mm[self.sync_off + 4] != 0

    def set_finished_flag(self):
        self.mm[self.sync_off + 4] = 1

    def _check_peer(self, alive, idx):
        if alive is not None and not alive():
            if self.mm[self.sync_off + idx]:
                return
            raise Ns3AiPeerGone("ns3ai: the peer process exited while this side waited for counter %s"
                                % _COUNTER_NAMES[idx])
        if not self.creator:
            try:
                st = os.stat(self.path)
                gone = (st.st_dev, st.st_ino) != self._ino
            except FileNotFoundError:
                gone = True
            if gone and not self.mm[self.sync_off + idx]:
                raise Ns3AiPeerGone("ns3ai: its creator removed segment %r" % self.name)

    # --- end ---------------------------------------------------------------

    def sleepers(self):
        """The sleepers word: which netgym Go sides are blocked (bit 1 the
        simulation side, bit 2 the agent side)."""
        return struct.unpack_from("<I", self.mm, _SLEEPERS)[0]

    def wakers(self):
        """The wakers word: which sides wake sleepers after their posts."""
        return struct.unpack_from("<I", self.mm, _WAKERS)[0]

    def close(self):
        if self.mm is None:
            return
        if self._announced:
            self._waker.fetch_and(self._base + _WAKERS, ~self._announced & 0xFFFFFFFF, _SEQ_CST)
            self._announced = 0
        if self.creator:
            try:
                st = os.stat(self.path)
                if (st.st_dev, st.st_ino) == self._ino:
                    os.unlink(self.path)
            except FileNotFoundError:
                pass
        try:
            self.mm.close()
        except BufferError:
            pass  # message views still exported; the mapping goes with them
        self.mm = None
