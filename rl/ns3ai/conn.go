package ns3ai

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"
)

// The four counters of ns3-ai's Ns3AiMsgSync, by byte index in the 32-bit
// word that holds them (little-endian: byte i is bits 8i to 8i+7).
const (
	cpp2pyEmpty = 0
	cpp2pyFull  = 1
	py2cppEmpty = 2
	py2cppFull  = 3
)

// Waiting: spin on the counter first (the peer answers in microseconds
// when it has a core); then, when the peer wakes sleepers (a netgym Go
// peer on a netgym segment, see wakeBit), block in the kernel on the
// counters' word (FUTEX_WAIT) until the peer's post wakes it; otherwise
// (ns3-ai's peers, netgym's Python side, Boost segments) yield the
// processor, then sleep with a doubling interval. The peer's liveness is
// checked every checkEvery once spinning is over.
const (
	spinFor    = 50 * time.Microsecond
	yieldFor   = 2 * time.Millisecond
	firstSleep = 10 * time.Microsecond
	maxSleep   = time.Millisecond
	checkEvery = 10 * time.Millisecond

	closeAfterFailure = time.Second
	scanEvery         = time.Second
)

// elemSpec is the C layout of one message element as the Go side declares
// it.
type elemSpec struct {
	size, align int
	typ         string
}

// msgView locates one message object in the segment.
type msgView struct {
	name   string
	off    int // the struct, or the vector's first element
	count  int // 1 for a struct
	size   int // bytes of one element
	vecHdr int // offset of a Boost vector's header; 0 when not a Boost vector
	// netgym vectors: where their size is kept, and their capacity
	countAt, capacity int
}

// Conn is one end of ns3-ai's message interface over an open segment: the
// two message objects and the four-counter ping-pong protocol. Struct and
// Vector give typed access to the messages; Transport moves byte messages.
// A Conn is used by one goroutine. Pointers and slices into its messages
// are valid until Close.
type Conn struct {
	opts    Options
	side    Side
	vector  bool
	reg     *region
	creator bool
	layout  string

	word  *uint32 // the four counters
	fin   *byte   // the is-finished flag
	boost *boostLayout

	// netgym segments: the wakers and sleepers words of the header (nil
	// on Boost segments, whose peers only spin).
	wakers, sleepers *uint32
	blocks           int // FUTEX_WAIT calls, for tests

	cpp2py, py2cpp   msgView
	c2pSpec, p2cSpec elemSpec
	onVecChange      func()

	sending, receiving bool
	finished           bool
	closed             bool
	failed             bool // a wait ended in an error
	peers              []int
	nextScan           time.Time // a creator looks for its peer's mapping
}

func checkPlatform() error {
	switch runtime.GOARCH {
	case "amd64", "arm64":
		return nil
	}
	return fmt.Errorf("ns3ai: GOARCH %s is not supported (amd64 and arm64 are): the segment layouts assume 64-bit little-endian", runtime.GOARCH)
}

func checkSide(s Side) error {
	if s != Simulation && s != Agent {
		return fmt.Errorf("ns3ai: side %d is neither Simulation nor Agent", int(s))
	}
	return nil
}

// openConn opens an existing segment, netgym's layout or Boost 1.74's,
// and finds its three objects by name.
func openConn(opts Options, side Side, vector bool, c2p, p2c elemSpec) (*Conn, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := checkSide(side); err != nil {
		return nil, err
	}
	if err := checkPlatform(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(opts.Timeout)
	reg, err := openRegion(opts.SegmentName, deadline)
	if err != nil {
		return nil, err
	}
	c := &Conn{opts: opts, side: side, vector: vector, reg: reg, c2pSpec: c2p, p2cSpec: p2c}
	if err := c.locate(deadline); err != nil {
		_ = reg.unmap()
		return nil, fmt.Errorf("segment %q: %w", opts.SegmentName, err)
	}
	switch {
	case opts.PeerPID > 0:
		c.peers = []int{opts.PeerPID}
	case opts.PeerPID == 0:
		c.peers = reg.mappers()
	}
	return c, nil
}

// locate waits (until deadline) for the creator to finish the segment,
// then reads its layout.
func (c *Conn) locate(deadline time.Time) error {
	mem := c.reg.mem
	for {
		var err error
		if isNetgym(mem) {
			if ngReady(mem) {
				return c.locateNetgym()
			}
			err = layoutErr("netgym segment still being initialised by its creator")
		} else {
			var l *boostLayout
			if l, err = parseBoost(mem); err == nil {
				return c.locateBoost(l)
			}
			if s := mem[0]; s > 1 || mem[1]|mem[2]|mem[3] != 0 {
				return err // not a transient state
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w (waited %v)", err, c.opts.Timeout)
		}
		time.Sleep(time.Millisecond)
	}
}

func (c *Conn) locateNetgym() error {
	objs, flags, err := parseNetgym(c.reg.mem)
	if err != nil {
		return err
	}
	if got := flags&ngFlagVector != 0; got != c.vector {
		return layoutErr("the creator chose the %s interface; this side opened the %s one (ns3-ai: useVector must agree)", ifaceName(got), ifaceName(c.vector))
	}
	if got := flags&ngFlagHandleFinish != 0; got != c.opts.HandleFinish {
		return layoutErr("the creator set handleFinish=%v, this side %v: both sides must agree", got, c.opts.HandleFinish)
	}
	find := func(name string, kind int) (ngObject, int, error) {
		for i, ob := range objs {
			if ob.name == name {
				if ob.kind != kind {
					return ob, i, layoutErr("object %q has kind %d, want %d", name, ob.kind, kind)
				}
				return ob, i, nil
			}
		}
		return ngObject{}, 0, layoutErr("no object named %q in the segment (it holds %q, %q, %q)", name, objs[0].name, objs[1].name, objs[2].name)
	}
	kind := ngKindStruct
	if c.vector {
		kind = ngKindVector
	}
	views := [2]*msgView{&c.cpp2py, &c.py2cpp}
	for i, want := range [2]struct {
		name string
		spec elemSpec
	}{{c.opts.Cpp2PyName, c.c2pSpec}, {c.opts.Py2CppName, c.p2cSpec}} {
		ob, at, err := find(want.name, kind)
		if err != nil {
			return err
		}
		if ob.elemSize != want.spec.size || ob.elemAlgn != want.spec.align {
			return layoutErr("object %q holds %d-byte elements aligned to %d; the Go type %s is %d bytes aligned to %d", ob.name, ob.elemSize, ob.elemAlgn, want.spec.typ, want.spec.size, want.spec.align)
		}
		if ob.count == 0 {
			return layoutErr("vector %q is empty: its creator must size it (ns3-ai's Experiment: useVector=True, vectorSize=N)", ob.name)
		}
		*views[i] = msgView{name: ob.name, off: ob.off, count: ob.count, size: ob.elemSize, countAt: ngCountAt(at), capacity: ob.capacity}
	}
	sync, _, err := find(c.opts.LockableName, ngKindSync)
	if err != nil {
		return err
	}
	if sync.elemSize != syncSize {
		return layoutErr("sync object %q is %d bytes, not ns3-ai's %d", sync.name, sync.elemSize, syncSize)
	}
	c.layout = "netgym v1"
	if err := c.bindSync(sync.off); err != nil {
		return err
	}
	c.wakers = (*uint32)(unsafe.Pointer(&c.reg.mem[ngWakers]))
	c.sleepers = (*uint32)(unsafe.Pointer(&c.reg.mem[ngSleepers]))
	if futexSupported {
		atomic.OrUint32(c.wakers, wakeBit(c.side))
	}
	return nil
}

// wakeBit is the bit of the wakers word with which side says it wakes a
// sleeping peer after each post.
func wakeBit(s Side) uint32 {
	if s == Simulation {
		return 1
	}
	return 2
}

// peerWakes reports whether the peer wakes this side when it posts, so
// that this side may block in the kernel instead of polling.
func (c *Conn) peerWakes() bool {
	return futexSupported && c.wakers != nil && atomic.LoadUint32(c.wakers)&wakeBit(c.side.peer()) != 0
}

func ifaceName(vector bool) string {
	if vector {
		return "vector"
	}
	return "struct"
}

func (c *Conn) locateBoost(l *boostLayout) error {
	c.boost = l
	views := [2]*msgView{&c.cpp2py, &c.py2cpp}
	for i, want := range [2]struct {
		name string
		spec elemSpec
	}{{c.opts.Cpp2PyName, c.c2pSpec}, {c.opts.Py2CppName, c.p2cSpec}} {
		ob, err := l.find(want.name)
		if err != nil {
			return err
		}
		if !c.vector {
			if ob.valueBytes != want.spec.size || ob.align != want.spec.align {
				if ob.valueBytes == boostVectorBytes && ob.align == 8 && want.spec.size != boostVectorBytes {
					return layoutErr("object %q looks like a boost::interprocess::vector: the creator chose the vector interface (useVector=True) and this side the struct one", ob.name)
				}
				return layoutErr("object %q is %d bytes aligned to %d (as the creator's C++ type); the Go type %s is %d bytes aligned to %d", ob.name, ob.valueBytes, ob.align, want.spec.typ, want.spec.size, want.spec.align)
			}
			*views[i] = msgView{name: ob.name, off: ob.value, count: 1, size: ob.valueBytes}
			continue
		}
		data, n, err := l.vector(ob, want.spec.size, want.spec.align)
		if err != nil {
			return err
		}
		*views[i] = msgView{name: ob.name, off: data, count: n, size: want.spec.size, vecHdr: ob.value}
	}
	sync, err := l.find(c.opts.LockableName)
	if err != nil {
		return err
	}
	if sync.valueBytes != syncSize || sync.align != 1 {
		return layoutErr("sync object %q is %d bytes aligned to %d, not ns3-ai's Ns3AiMsgSync (5 bytes aligned to 1)", sync.name, sync.valueBytes, sync.align)
	}
	c.layout = fmt.Sprintf("Boost.Interprocess 1.74 (segment-manager ABI 1, %d-byte mutexes)", l.mutexSize)
	return c.bindSync(sync.value)
}

// bindSync points the counters at the sync object: they must share one
// aligned 32-bit word, because Go has no 8-bit compare-and-swap.
func (c *Conn) bindSync(off int) error {
	if off%4 != 0 || off+8 > len(c.reg.mem) {
		return layoutErr("sync object at offset %d is not 4-byte aligned: netgym updates the four 8-bit counters with a CAS on their 32-bit word and needs it aligned", off)
	}
	c.word = (*uint32)(unsafe.Pointer(&c.reg.mem[off]))
	c.fin = &c.reg.mem[off+4]
	w := atomic.LoadUint32(c.word)
	for i := 0; i < 4; i++ {
		if b := byte(w >> (8 * i)); b > 1 {
			return layoutErr("sync object's counters are %v: ns3-ai's counters are 0 or 1", [4]byte{byte(w), byte(w >> 8), byte(w >> 16), byte(w >> 24)})
		}
	}
	return nil
}

// createConn creates a segment in netgym's layout.
func createConn(opts Options, side Side, vector bool, c2p, p2c elemSpec, n int) (*Conn, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := checkSide(side); err != nil {
		return nil, err
	}
	if err := checkPlatform(); err != nil {
		return nil, err
	}
	if vector && (n < 1 || n > maxSegmentSize) {
		return nil, fmt.Errorf("ns3ai: vector size %d must be at least 1", n)
	}
	objs, need := ngPlan(opts, vector, c2p, p2c, n)
	if need > opts.Size {
		return nil, fmt.Errorf("%w: the messages need a %d-byte segment; Size is %d", ErrTooLarge, need, opts.Size)
	}
	reg, err := createRegion(opts.SegmentName, opts.Size)
	if err != nil {
		return nil, err
	}
	ngWrite(reg.mem, objs, vector, opts.HandleFinish)
	c := &Conn{opts: opts, side: side, vector: vector, reg: reg, creator: true, c2pSpec: c2p, p2cSpec: p2c}
	if err := c.locateNetgym(); err != nil {
		reg.remove()
		_ = reg.unmap()
		return nil, err
	}
	if opts.PeerPID > 0 {
		c.peers = []int{opts.PeerPID}
	}
	return c, nil
}

// Side returns the side this end plays.
func (c *Conn) Side() Side { return c.side }

// Layout names the segment's layout: "netgym v1" or Boost's.
func (c *Conn) Layout() string { return c.layout }

// Finished reports, on the agent side, that the simulation marked the end
// (seen by RecvBegin when HandleFinish is set), and on the simulation
// side that Finish has run.
func (c *Conn) Finished() bool { return c.finished }

// tryWait decrements counter i if it is not zero (ns3-ai's sem_try_wait,
// atomic_add_unless8(mem, -1, 0)), with a CAS on the whole word.
func (c *Conn) tryWait(i uint) bool {
	shift := 8 * i
	for {
		old := atomic.LoadUint32(c.word)
		if (old>>shift)&0xff == 0 {
			return false
		}
		if atomic.CompareAndSwapUint32(c.word, old, old-1<<shift) {
			return true
		}
	}
}

// post increments counter i modulo 256 (ns3-ai's sem_post,
// __sync_fetch_and_add on the byte).
func (c *Conn) post(i uint) {
	shift := 8 * i
	for {
		old := atomic.LoadUint32(c.word)
		b := (old>>shift + 1) & 0xff
		if atomic.CompareAndSwapUint32(c.word, old, old&^(0xff<<shift)|b<<shift) {
			break
		}
	}
	// The CAS above and the load below, like the sleeper's setting of its
	// bit and its load of the word in block, are sequentially consistent:
	// either this side sees the sleeper and wakes it, or the sleeper sees
	// the new word and does not sleep.
	if c.sleepers != nil && atomic.LoadUint32(c.sleepers)&wakeBit(c.side.peer()) != 0 {
		futexWake(c.word)
	}
}

// block sleeps in the kernel until the peer posts (or for at most d, or a
// spurious wake-up) while counter i is zero.
func (c *Conn) block(i uint, d time.Duration) {
	me := wakeBit(c.side)
	atomic.OrUint32(c.sleepers, me)
	if w := atomic.LoadUint32(c.word); (w>>(8*i))&0xff == 0 {
		futexWait(c.word, w, d)
		c.blocks++
	}
	atomic.AndUint32(c.sleepers, ^me)
}

// wait takes counter i (ns3-ai's sem_wait), giving up at the deadline or
// when the peer is gone.
func (c *Conn) wait(i uint, deadline time.Time) error {
	if c.tryWait(i) {
		return nil
	}
	start := time.Now()
	for {
		for k := 0; k < 64; k++ {
			if c.tryWait(i) {
				return nil
			}
		}
		now := time.Now()
		if now.Sub(start) > spinFor || now.After(deadline) {
			break
		}
	}
	sleep := firstSleep
	nextCheck := start
	for {
		if c.tryWait(i) {
			return nil
		}
		now := time.Now()
		if now.After(deadline) {
			if c.tryWait(i) {
				return nil
			}
			c.failed = true
			return fmt.Errorf("%w: the %s side waited %v for its turn (counter %s)", ErrTimeout, c.side, now.Sub(start).Round(time.Millisecond), counterName(i))
		}
		if !now.Before(nextCheck) {
			if err := c.checkPeer(); err != nil {
				if c.tryWait(i) {
					return nil
				}
				c.failed = true
				return err
			}
			nextCheck = now.Add(checkEvery)
		}
		switch {
		case c.peerWakes():
			c.block(i, min(deadline.Sub(now), nextCheck.Sub(now)))
		case now.Sub(start) < yieldFor:
			osYield()
		default:
			time.Sleep(sleep)
			sleep = min(2*sleep, maxSleep)
		}
	}
}

func counterName(i uint) string {
	return [...]string{"cpp2py empty", "cpp2py full", "py2cpp empty", "py2cpp full"}[i]
}

// checkPeer reports a dead peer process or a segment its creator removed.
// A creator not told its peer (PeerPID 0) looks for the processes that map
// the segment, once a second until it finds them.
func (c *Conn) checkPeer() error {
	if c.creator && c.opts.PeerPID == 0 && len(c.peers) == 0 {
		if now := time.Now(); now.After(c.nextScan) {
			c.peers = c.reg.mappers()
			c.nextScan = now.Add(scanEvery)
		}
	}
	if len(c.peers) > 0 {
		alive := false
		for _, p := range c.peers {
			if processAlive(p) {
				alive = true
				break
			}
		}
		if !alive {
			return fmt.Errorf("%w: peer process %v exited", ErrPeerGone, c.peers)
		}
	}
	if !c.creator && !c.reg.linked() {
		return fmt.Errorf("%w: its creator removed segment %q", ErrPeerGone, c.opts.SegmentName)
	}
	return nil
}

func (c *Conn) usable() error {
	if c.closed {
		return ErrClosed
	}
	if c.finished {
		return fmt.Errorf("%w: no exchange after the end", ErrFinished)
	}
	return nil
}

func (c *Conn) sendCounters() (wait, post uint) {
	if c.side == Simulation {
		return cpp2pyEmpty, cpp2pyFull
	}
	return py2cppEmpty, py2cppFull
}

func (c *Conn) recvCounters() (wait, post uint) {
	if c.side == Simulation {
		return py2cppFull, py2cppEmpty
	}
	return cpp2pyFull, cpp2pyEmpty
}

// SendBegin waits until this side may write its outgoing message
// (ns3-ai's CppSendBegin on the simulation side, PySendBegin on the
// agent's), for at most Options.Timeout.
func (c *Conn) SendBegin() error { return c.sendBegin(time.Now().Add(c.opts.Timeout)) }

func (c *Conn) sendBegin(deadline time.Time) error {
	if err := c.usable(); err != nil {
		return err
	}
	if c.sending {
		return fmt.Errorf("%w: SendBegin twice without SendEnd", ErrMisuse)
	}
	w, _ := c.sendCounters()
	if err := c.wait(w, deadline); err != nil {
		return err
	}
	c.sending = true
	return c.refreshVectors()
}

// SendEnd hands the outgoing message to the peer (CppSendEnd /
// PySendEnd).
func (c *Conn) SendEnd() error {
	if c.closed {
		return ErrClosed
	}
	if !c.sending {
		return fmt.Errorf("%w: SendEnd without SendBegin", ErrMisuse)
	}
	_, p := c.sendCounters()
	c.post(p)
	c.sending = false
	return nil
}

// RecvBegin waits for the peer's message (CppRecvBegin /
// PyRecvBegin), for at most Options.Timeout. On the agent side with
// HandleFinish, it also reads the end mark: check Finished() and stop
// when it is set (call no RecvEnd then), as ns3-ai's Python scripts do
// with PyGetFinished.
func (c *Conn) RecvBegin() error { return c.recvBegin(time.Now().Add(c.opts.Timeout)) }

func (c *Conn) recvBegin(deadline time.Time) error {
	if err := c.usable(); err != nil {
		return err
	}
	if c.receiving {
		return fmt.Errorf("%w: RecvBegin twice without RecvEnd", ErrMisuse)
	}
	w, _ := c.recvCounters()
	if err := c.wait(w, deadline); err != nil {
		return err
	}
	c.receiving = true
	if c.side == Agent && c.opts.HandleFinish && *c.fin != 0 {
		c.finished = true
		return nil
	}
	return c.refreshVectors()
}

// RecvEnd releases the peer's message (CppRecvEnd / PyRecvEnd).
func (c *Conn) RecvEnd() error {
	if c.closed {
		return ErrClosed
	}
	if !c.receiving {
		return fmt.Errorf("%w: RecvEnd without RecvBegin", ErrMisuse)
	}
	_, p := c.recvCounters()
	c.post(p)
	c.receiving = false
	return nil
}

// Finish marks the end of the simulation for the agent (ns3-ai's
// CppSetFinished: a send cycle that sets the is-finished flag). Only the
// simulation side with HandleFinish may call it; Close calls it when it
// has not run.
func (c *Conn) Finish() error { return c.finish(time.Now().Add(c.opts.Timeout)) }

func (c *Conn) finish(deadline time.Time) error {
	switch {
	case c.closed:
		return ErrClosed
	case c.side != Simulation || !c.opts.HandleFinish:
		return fmt.Errorf("%w: only the simulation side with HandleFinish marks the end", ErrMisuse)
	case c.finished:
		return nil
	case c.sending:
		return fmt.Errorf("%w: Finish inside a send cycle (call SendEnd first)", ErrMisuse)
	}
	w, p := c.sendCounters()
	if err := c.wait(w, deadline); err != nil {
		return fmt.Errorf("mark the end: %w", err)
	}
	*c.fin = 1
	c.post(p)
	c.finished = true
	return nil
}

// Close ends this side: the simulation side with HandleFinish first marks
// the end (Finish, waiting at most Options.Timeout, or 1 s after a failed
// wait; its error is returned), a creator removes the segment's name, and
// the mapping is released. Close may be called more than once.
func (c *Conn) Close() error {
	if c.closed {
		return nil
	}
	var err error
	if c.side == Simulation && c.opts.HandleFinish && !c.finished {
		if c.sending {
			_ = c.SendEnd()
		}
		d := c.opts.Timeout
		if c.failed {
			d = min(d, closeAfterFailure)
		}
		err = c.finish(time.Now().Add(d))
	}
	c.closed = true
	if c.wakers != nil && futexSupported {
		// The peer stops blocking on this side's posts; wake it if it
		// sleeps, so that it sees that at once.
		atomic.AndUint32(c.wakers, ^wakeBit(c.side))
		futexWake(c.word)
	}
	if c.creator {
		c.reg.remove()
	}
	if uerr := c.reg.unmap(); uerr != nil && err == nil {
		err = uerr
	}
	return err
}

// refreshVectors reads the vectors' sizes (and Boost vectors' offset
// pointers) again, in case the creator resized them.
func (c *Conn) refreshVectors() error {
	if !c.vector {
		return nil
	}
	if c.boost == nil {
		return c.refreshNetgymVectors()
	}
	changed := false
	for _, v := range [2]*msgView{&c.cpp2py, &c.py2cpp} {
		start, _, _ := c.boost.ptr(v.vecHdr+8, 0)
		if start == v.off && int(le64(c.reg.mem, v.vecHdr+16)) == v.count {
			continue
		}
		spec := c.c2pSpec
		if v == &c.py2cpp {
			spec = c.p2cSpec
		}
		data, n, err := c.boost.vector(boostObject{name: v.name, value: v.vecHdr, valueBytes: boostVectorBytes, align: 8}, spec.size, spec.align)
		if err != nil {
			return err
		}
		v.off, v.count = data, n
		changed = true
	}
	if changed && c.onVecChange != nil {
		c.onVecChange()
	}
	return nil
}

// bytesOf returns the memory of a message object.
func (c *Conn) bytesOf(v *msgView) []byte {
	return c.reg.mem[v.off : v.off+v.count*v.size : v.off+v.count*v.size]
}

func (c *Conn) refreshNetgymVectors() error {
	changed := false
	for _, v := range [2]*msgView{&c.cpp2py, &c.py2cpp} {
		n := int(binary.LittleEndian.Uint32(c.reg.mem[v.countAt:]))
		if n == v.count {
			continue
		}
		if n < 1 || n > v.capacity {
			return layoutErr("vector %q resized to %d elements; its capacity is %d", v.name, n, v.capacity)
		}
		v.count = n
		changed = true
	}
	if changed && c.onVecChange != nil {
		c.onVecChange()
	}
	return nil
}
