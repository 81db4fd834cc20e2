package apps

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// UDPEchoServerConfig configures a UDPEchoServer: ns-3's UdpEchoServer
// attributes (src/applications/model/udp-echo-server.cc).
type UDPEchoServerConfig struct {
	// Port to listen on. ns-3: 9.
	Port uint16
	// Local is the address to bind to; 0.0.0.0 (every address) by
	// default.
	Local inet.IPv4Addr
}

// DefaultUDPEchoServerConfig returns ns-3's default: port 9.
func DefaultUDPEchoServerConfig() UDPEchoServerConfig { return UDPEchoServerConfig{Port: 9} }

// Validate reports a configuration the server cannot run with.
func (c UDPEchoServerConfig) Validate() error {
	if c.Port == 0 {
		return errors.New("apps: UDPEchoServer Port must be set (ns-3: 9)")
	}
	return nil
}

// EchoStats counts an echo application's datagrams.
type EchoStats struct {
	TxPackets, TxBytes uint64 // datagrams (payload bytes) sent
	RxPackets, RxBytes uint64 // datagrams (payload bytes) received
	SendErrors         uint64 // datagrams the socket refused
}

// UDPEchoServer is ns-3's UdpEchoServer: every datagram it receives goes
// back to its sender, same size and payload, without the sender's tags
// (ns-3 removes them). It allocates nothing per datagram.
type UDPEchoServer struct {
	// OnRx is called with each datagram received (borrowed) before the
	// echo is sent: ns-3's Rx trace.
	OnRx func(p *packet.Packet, info inet.RecvInfo)

	lifecycle
	cfg   UDPEchoServerConfig
	sock  *inet.UDPSocket
	stats EchoStats
	err   error
}

// NewUDPEchoServer returns an echo server on node n; it binds when it
// starts. A port another socket of the node holds is an error now.
func NewUDPEchoServer(n *inet.Node, cfg UDPEchoServerConfig) (*UDPEchoServer, error) {
	if n == nil {
		return nil, errors.New("apps: NewUDPEchoServer needs a node")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkPort(n, cfg.Local, cfg.Port); err != nil {
		return nil, err
	}
	e := &UDPEchoServer{cfg: cfg}
	e.lifecycle.init(n, 0, "", e.startApplication, e.stopApplication)
	return e, nil
}

// Start schedules the server's start at absolute time at (no jitter).
func (e *UDPEchoServer) Start(at sim.Time) error { return e.lifecycle.start(at) }

// Stop schedules its stop at absolute time at.
func (e *UDPEchoServer) Stop(at sim.Time) error { return e.lifecycle.stop(at) }

// Stats returns the server's counters.
func (e *UDPEchoServer) Stats() EchoStats { return e.stats }

// Err returns why the server could not start, or nil.
func (e *UDPEchoServer) Err() error { return e.err }

func (e *UDPEchoServer) startApplication() {
	e.startEv = sim.EventID{}
	if e.stopped || e.sock != nil {
		return
	}
	e.started = true
	sock := e.node.NewUDPSocket()
	if err := sock.BindAddr(e.cfg.Local, e.cfg.Port); err != nil {
		e.err = fmt.Errorf("apps: UDPEchoServer on node %d cannot start: %w", e.node.ID(), err)
		e.stopped = true
		return
	}
	sock.SetRecvCallback(e.receive)
	e.sock = sock
}

func (e *UDPEchoServer) stopApplication() {
	e.sim.Cancel(e.startEv)
	if e.sock != nil && !e.stopped {
		_ = e.sock.Close()
	}
	e.stopped = true
}

func (e *UDPEchoServer) receive(sock *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
	e.stats.RxPackets++
	e.stats.RxBytes += uint64(p.Size())
	if e.OnRx != nil {
		e.OnRx(p, info)
	}
	// A new packet with the same payload: no tags, as ns-3's
	// RemoveAllPacketTags and RemoveAllByteTags.
	var q *packet.Packet
	if b := p.Payload(); b != nil {
		q = e.node.Pool().NewWithPayload(b)
	} else {
		q = e.node.Pool().New(p.Size())
	}
	size := q.Size()
	if err := sock.SendPacketTo(q, info.From, info.FromPort); err != nil {
		q.Release()
		e.stats.SendErrors++
		return
	}
	e.stats.TxPackets++
	e.stats.TxBytes += uint64(size)
}

// UDPEchoClientConfig configures a UDPEchoClient: ns-3's UdpEchoClient
// attributes (src/applications/model/udp-echo-client.cc), plus the start
// jitter.
type UDPEchoClientConfig struct {
	// Remote and RemotePort: the server (required).
	Remote     inet.IPv4Addr
	RemotePort uint16
	// MaxPackets is how many datagrams to send. ns-3: 100. It must be at
	// least 1 (ns-3 3.37 sends one datagram when it is 0; later versions
	// send forever).
	MaxPackets uint64
	// Interval between datagrams. ns-3: 1 s.
	Interval sim.Time
	// PacketSize is the payload of each datagram. ns-3: 100.
	PacketSize int
	// StartJitter as OnOffConfig.StartJitter (DefaultStartJitter; 0 for
	// ns-3's exact start).
	StartJitter sim.Time
	// Stream names the client's random stream; empty:
	// "apps/udpecho/node-N/REMOTE:PORT".
	Stream string
}

// DefaultUDPEchoClientConfig returns ns-3's defaults (100 datagrams of
// 100 bytes, 1 s apart) to remote:port, with DefaultStartJitter.
func DefaultUDPEchoClientConfig(remote inet.IPv4Addr, port uint16) UDPEchoClientConfig {
	return UDPEchoClientConfig{Remote: remote, RemotePort: port, MaxPackets: 100, Interval: sim.Second,
		PacketSize: 100, StartJitter: DefaultStartJitter}
}

// Validate reports a configuration the client cannot run with.
func (c UDPEchoClientConfig) Validate() error {
	switch {
	case c.Remote.IsAny():
		return errors.New("apps: UDPEchoClient Remote must be set")
	case c.MaxPackets < 1:
		return errors.New("apps: UDPEchoClient MaxPackets must be at least 1")
	case c.Interval < 0 || c.Interval > maxDuration:
		return fmt.Errorf("apps: UDPEchoClient Interval %v is outside 0..%v", c.Interval, maxDuration)
	case c.PacketSize < 0 || c.PacketSize > inet.MaxUDPPayload:
		return fmt.Errorf("apps: UDPEchoClient PacketSize %d is outside 0..%d", c.PacketSize, inet.MaxUDPPayload)
	}
	return validateJitter(c.StartJitter)
}

// UDPEchoClient is ns-3's UdpEchoClient: from its start it sends
// MaxPackets datagrams of PacketSize bytes to the server, Interval apart,
// the first at once, and counts the echoes. It allocates nothing per
// datagram.
type UDPEchoClient struct {
	// OnTx is called with each datagram (borrowed) before it is sent.
	OnTx func(p *packet.Packet)
	// OnRx is called with each echo received (borrowed).
	OnRx func(p *packet.Packet, info inet.RecvInfo)

	lifecycle
	cfg    UDPEchoClientConfig
	sock   *inet.UDPSocket
	sent   uint64
	sendEv sim.EventID
	sendFn func(any)
	stats  EchoStats
	err    error
}

// NewUDPEchoClient returns an echo client on node n; it starts with Start.
func NewUDPEchoClient(n *inet.Node, cfg UDPEchoClientConfig) (*UDPEchoClient, error) {
	if n == nil {
		return nil, errors.New("apps: NewUDPEchoClient needs a node")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &UDPEchoClient{cfg: cfg}
	name := cfg.Stream
	if name == "" {
		name = streamName("udpecho", n, cfg.Remote, cfg.RemotePort)
	}
	c.lifecycle.init(n, cfg.StartJitter, name, c.startApplication, c.stopApplication)
	c.sendFn = c.send
	return c, nil
}

// Start schedules the client's start at absolute time at, plus the
// StartJitter draw. A time before now is an error.
func (c *UDPEchoClient) Start(at sim.Time) error { return c.lifecycle.start(at) }

// Stop schedules its stop at absolute time at.
func (c *UDPEchoClient) Stop(at sim.Time) error { return c.lifecycle.stop(at) }

// Stats returns the client's counters.
func (c *UDPEchoClient) Stats() EchoStats { return c.stats }

// Err returns why the client could not start, or nil.
func (c *UDPEchoClient) Err() error { return c.err }

func (c *UDPEchoClient) startApplication() {
	c.startEv = sim.EventID{}
	if c.stopped || c.sock != nil {
		return
	}
	c.started = true
	sock := c.node.NewUDPSocket()
	if err := sock.Connect(c.cfg.Remote, c.cfg.RemotePort); err != nil {
		c.err = fmt.Errorf("apps: UDPEchoClient on node %d cannot start: %w", c.node.ID(), err)
		c.stopped = true
		return
	}
	sock.SetRecvCallback(c.receive)
	sock.SetAllowBroadcast(true)
	c.sock = sock
	c.sendEv = c.sim.ScheduleWith(0, c.sendFn, nil)
}

func (c *UDPEchoClient) stopApplication() {
	c.sim.Cancel(c.startEv)
	c.sim.Cancel(c.sendEv)
	if c.sock != nil && !c.stopped {
		_ = c.sock.Close()
	}
	c.stopped = true
}

func (c *UDPEchoClient) send(any) {
	c.sendEv = sim.EventID{}
	p := c.node.Pool().New(c.cfg.PacketSize)
	if c.OnTx != nil {
		c.OnTx(p)
	}
	if err := c.sock.SendPacket(p); err != nil {
		p.Release()
		c.stats.SendErrors++
	} else {
		c.stats.TxPackets++
		c.stats.TxBytes += uint64(c.cfg.PacketSize)
	}
	c.sent++
	if c.sent < c.cfg.MaxPackets {
		c.sendEv = c.sim.ScheduleWith(c.cfg.Interval, c.sendFn, nil)
	}
}

func (c *UDPEchoClient) receive(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
	c.stats.RxPackets++
	c.stats.RxBytes += uint64(p.Size())
	if c.OnRx != nil {
		c.OnRx(p, info)
	}
}
