package inet

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// PingConfig configures a Ping. The defaults are those of ns-3's Ping
// application (src/internet-apps/model/ping.cc, which replaced V4Ping).
type PingConfig struct {
	// Destination is the address to ping (required; ns-3 aborts without
	// one). A broadcast or multicast address is allowed: the first answer
	// to a request counts it as received, later ones as duplicates, and
	// the ping does not stop early once Count requests are answered. As
	// broadcasts netgym takes the limited broadcast and the broadcast
	// address of any subnet of the node (ns-3 only the former).
	Destination IPv4Addr
	// Source is the address requests are sent from (ns-3's
	// InterfaceAddress); 0.0.0.0 lets the node choose by route.
	Source IPv4Addr
	// Interval is the time between requests. ns-3: 1 s.
	Interval sim.Time
	// Size is the number of data bytes after the 8-byte ICMP echo header:
	// a request is Size + 8 + 20 bytes at the IP layer. ns-3: 56, at least
	// 16.
	Size int
	// Count is the number of requests to send; 0 sends until Stop.
	// ns-3: 0.
	Count int
	// Timeout is how long the ping waits after its last request when no
	// reply has come yet; once replies have come it waits twice the
	// largest RTT. ns-3: 1 s.
	Timeout sim.Time
	// TOS is the type of service of the requests. ns-3: 0.
	TOS uint8
}

// MinPingSize is the smallest Size ns-3's Ping accepts (it writes a 16-byte
// signature into the data).
const MinPingSize = 16

// DefaultPingConfig returns ns-3's defaults (interval 1 s, 56 bytes,
// unlimited count, timeout 1 s); Destination must still be set.
func DefaultPingConfig() PingConfig {
	return PingConfig{Interval: sim.Second, Size: 56, Timeout: sim.Second}
}

// Validate reports whether the configuration is usable.
func (c PingConfig) Validate() error {
	maxSize := 65535 - IPv4HeaderSize - ICMPv4HeaderSize - ICMPv4EchoHeaderSize
	switch {
	case c.Destination.IsAny():
		return errors.New("inet: ping Destination must be set")
	case c.Interval <= 0 || c.Interval > maxDelay:
		return fmt.Errorf("inet: ping Interval %v is outside (0, %v]", c.Interval, maxDelay)
	case c.Size < MinPingSize || c.Size > maxSize:
		return fmt.Errorf("inet: ping Size %d is outside %d..%d", c.Size, MinPingSize, maxSize)
	case c.Count < 0:
		return fmt.Errorf("inet: ping Count %d is negative", c.Count)
	case c.Timeout < 0 || c.Timeout > maxDelay:
		return fmt.Errorf("inet: ping Timeout %v is outside 0..%v", c.Timeout, maxDelay)
	}
	return nil
}

// PingReply is one echo reply a Ping received.
type PingReply struct {
	Seq  int      // sequence number of the request (0, 1, ...)
	From IPv4Addr // the host that answered
	At   sim.Time // arrival time
	RTT  sim.Time // arrival time minus the time the request was sent
	TTL  uint8    // IPv4 TTL of the reply on arrival
	// Bytes is the size of the reply at the ICMP layer: Size + 8 (what
	// ping prints).
	Bytes int
	// Duplicate marks a second (or later) reply to the same request.
	Duplicate bool
}

// PingReport is ns-3's PingReport: the summary at the end of a ping.
type PingReport struct {
	Transmitted int // requests attempted (ns-3 counts its sequence numbers)
	Received    int // requests answered at least once
	Duplicates  int // replies beyond the first to a request
	SendErrors  int // requests the node refused (no route, too large)
	// Loss is the integer percentage of requests not answered, as ns-3 and
	// Linux ping compute it ((Transmitted-Received)*100/Transmitted); 0
	// when nothing was sent.
	Loss int
	// Duration is the time from Start to Stop (or to now while running).
	Duration sim.Time
	// RTT statistics over every reply, duplicates included, as ns-3:
	// minimum, mean, maximum and standard deviation (sample, n-1). They
	// are exact to the nanosecond (the mean and deviation rounded), where
	// ns-3 reports whole milliseconds. Zero without replies.
	RTTMin, RTTAvg, RTTMax, RTTMdev sim.Time
	// Err says why the ping could not start (every ICMP echo identifier of
	// the node in use); nil otherwise.
	Err error
}

// Ping is ns-3's Ping application for IPv4: from Start it sends an ICMP
// echo request to Destination every Interval, matches the replies, and
// records each one's round-trip time. With a Count it stops by itself once
// every request is answered, or Timeout (or twice the largest RTT) after
// the last request; Stop ends it earlier.
//
// Trace hooks are nil by default; set them before Start.
type Ping struct {
	// OnTx is called for each request with its sequence number and the
	// packet (ICMP headers on: Size + 8 bytes; borrowed) before IPv4 takes
	// it; a request IPv4 then refuses counts in SendErrors.
	OnTx func(seq int, p *packet.Packet)
	// OnReply is called for each reply (ns-3's Rtt trace).
	OnReply func(r PingReply)
	// OnReport is called once, when the ping stops (ns-3's Report trace).
	OnReport func(r PingReport)

	node *Node
	cfg  PingConfig
	id   uint16

	started, stopped bool
	multi            bool // several hosts may answer
	startAt          sim.Time
	stopAt           sim.Time
	seq              int
	sent             []pingSent
	replies          []PingReply
	received         int
	dups             int
	sendErrs         int
	startErr         error // why start failed

	// Welford's running mean and sum of squares, in nanoseconds.
	rttN          int
	rttMean, rttS float64
	rttMin        sim.Time
	rttMax        sim.Time

	startEv, nextEv, stopEv sim.EventID
	startFn, sendFn, stopFn func()
}

type pingSent struct {
	at    sim.Time
	ok    bool // the node accepted the request
	acked bool
}

// NewPing returns a ping from node n with cfg; it starts with Start.
func NewPing(n *Node, cfg PingConfig) (*Ping, error) {
	if n == nil {
		return nil, errors.New("inet: NewPing needs a node")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if !cfg.Source.IsAny() && !n.IsLocalAddress(cfg.Source) {
		return nil, fmt.Errorf("%w: ping Source %v is not an address of node %d",
			ErrAddressNotAvailable, cfg.Source, n.id)
	}
	p := &Ping{node: n, cfg: cfg}
	p.startFn, p.sendFn, p.stopFn = p.start, p.send, p.stop
	return p, nil
}

// Config returns the ping's configuration.
func (p *Ping) Config() PingConfig { return p.cfg }

// Identifier returns the ICMP echo identifier of the ping's requests (0
// before it starts).
func (p *Ping) Identifier() uint16 { return p.id }

// Start schedules the first request at absolute time at (ns-3's
// Application start time). A ping starts once.
func (p *Ping) Start(at sim.Time) error {
	if p.started || !p.startEv.IsZero() {
		return errors.New("inet: ping already started")
	}
	ev, err := p.node.sim.ScheduleAt(at, p.startFn)
	if err != nil {
		return err
	}
	p.startEv = ev
	return nil
}

// Stop schedules the end of the ping at absolute time at (ns-3's
// Application stop time): no more requests, replies after it are ignored,
// and OnReport is called.
func (p *Ping) Stop(at sim.Time) error {
	ev, err := p.node.sim.ScheduleAt(at, p.stopFn)
	if err != nil {
		return err
	}
	p.node.sim.Cancel(p.stopEv)
	p.stopEv = ev
	return nil
}

// Running reports whether the ping has started and not stopped.
func (p *Ping) Running() bool { return p.started && !p.stopped }

// Replies returns every reply received so far (a new slice).
func (p *Ping) Replies() []PingReply { return append([]PingReply(nil), p.replies...) }

// Report returns the summary so far (the final one once stopped).
func (p *Ping) Report() PingReport {
	r := PingReport{Transmitted: p.seq, Received: p.received, Duplicates: p.dups, SendErrors: p.sendErrs, Err: p.startErr}
	if p.seq > 0 {
		r.Loss = (p.seq - p.received) * 100 / p.seq
	}
	switch {
	case p.stopped:
		r.Duration = p.stopAt - p.startAt
	case p.started:
		r.Duration = p.node.sim.Now() - p.startAt
	}
	if p.rttN > 0 {
		r.RTTMin, r.RTTMax = p.rttMin, p.rttMax
		r.RTTAvg = sim.Time(math.Round(p.rttMean))
		if p.rttN > 1 {
			r.RTTMdev = sim.Time(math.Round(math.Sqrt(p.rttS / float64(p.rttN-1))))
		}
	}
	return r
}

// start is ns-3's StartApplication.
func (p *Ping) start() {
	if p.stopped {
		return
	}
	id, err := p.node.icmp.listen(p)
	if err != nil {
		// Nothing is sent; the report says why, as the end of a ping does.
		p.stopped = true
		p.startErr = err
		p.stopAt, p.startAt = p.node.sim.Now(), p.node.sim.Now()
		p.node.sim.Cancel(p.stopEv)
		if p.OnReport != nil {
			p.OnReport(p.Report())
		}
		return
	}
	p.id = id
	p.started = true
	dst := p.cfg.Destination
	p.multi = dst.IsBroadcast() || dst.IsMulticast()
	for _, ifc := range p.node.ifaces {
		p.multi = p.multi || ifc.isSubnetBroadcast(dst)
	}
	p.startAt = p.node.sim.Now()
	p.send()
}

// send is ns-3's Ping::Send: one request, then the next one or, after the
// last, the stop after the linger time.
func (p *Ping) send() {
	s := p.node.sim
	seq := p.seq
	size := p.cfg.Size
	q := p.node.icmp.newMessage(p.node.pool.New(size), ICMPv4TypeEcho, p.id, uint16(seq))
	if p.OnTx != nil {
		p.OnTx(seq, q)
	}
	ok := true
	if err := p.node.SendIPv4(q, p.cfg.Source, p.cfg.Destination, ProtoICMP, p.cfg.TOS); err != nil {
		q.Release()
		ok = false
		p.sendErrs++
	} else {
		p.node.icmp.stats.EchoRequestsTx++
	}
	p.sent = append(p.sent, pingSent{at: s.Now(), ok: ok})
	p.seq++
	if p.cfg.Count == 0 || p.seq < p.cfg.Count {
		p.nextEv = s.Schedule(p.cfg.Interval, p.sendFn)
		return
	}
	linger := p.cfg.Timeout
	if p.rttN > 0 {
		linger = 2 * p.rttMax
	}
	p.nextEv = s.Schedule(linger, p.stopFn)
}

// echoReply is ns-3's Ping::Receive for an echo reply with our identifier.
func (p *Ping) echoReply(_ *packet.Packet, h *IPv4Header, echo *ICMPv4Echo) {
	if !p.Running() || len(p.sent) == 0 {
		return
	}
	// The latest request with these low 16 bits of sequence number.
	last := len(p.sent) - 1
	i := last - int(uint16(last)-echo.Sequence)
	if i < 0 || !p.sent[i].ok {
		return
	}
	now := p.node.sim.Now()
	r := PingReply{Seq: i, From: h.Src, At: now, RTT: now - p.sent[i].at, TTL: h.TTL,
		Bytes: p.cfg.Size + ICMPv4HeaderSize + ICMPv4EchoHeaderSize}
	if p.sent[i].acked {
		r.Duplicate = true
		p.dups++
	} else {
		p.sent[i].acked = true
		p.received++
	}
	p.addRTT(r.RTT)
	p.replies = append(p.replies, r)
	if p.OnReply != nil {
		p.OnReply(r)
	}
	if !p.multi && p.cfg.Count > 0 && p.received == p.cfg.Count {
		p.node.sim.Schedule(0, p.stopFn)
	}
}

func (p *Ping) addRTT(rtt sim.Time) {
	x := float64(rtt)
	p.rttN++
	if p.rttN == 1 {
		p.rttMin, p.rttMax = rtt, rtt
		p.rttMean, p.rttS = x, 0
		return
	}
	p.rttMin = min(p.rttMin, rtt)
	p.rttMax = max(p.rttMax, rtt)
	prev := p.rttMean
	p.rttMean = prev + (x-prev)/float64(p.rttN)
	p.rttS += (x - prev) * (x - p.rttMean)
}

// stop is ns-3's StopApplication plus the report.
func (p *Ping) stop() {
	if p.stopped {
		return
	}
	s := p.node.sim
	s.Cancel(p.startEv)
	s.Cancel(p.nextEv)
	s.Cancel(p.stopEv)
	p.stopped = true
	if !p.started {
		return
	}
	p.stopAt = s.Now()
	p.node.icmp.unlisten(p.id)
	if p.OnReport != nil {
		p.OnReport(p.Report())
	}
}
