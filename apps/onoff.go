package apps

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// OnOffConfig configures an OnOff application. The defaults are ns-3
// 3.37's OnOffApplication attributes (src/applications/model/
// onoff-application.cc), except StartJitter.
type OnOffConfig struct {
	// Remote and RemotePort are the destination (ns-3's Remote; required).
	// A broadcast address is allowed (ns-3 sets SetAllowBroadcast).
	Remote     inet.IPv4Addr
	RemotePort uint16
	// Local and LocalPort are what the socket binds to (ns-3's Local):
	// 0.0.0.0 and 0, every address and an ephemeral port, by default.
	Local     inet.IPv4Addr
	LocalPort uint16
	// DataRate is the rate in the "on" state. ns-3: 500 kb/s. Parse ns-3
	// strings with SetDataRate or inet.ParseDataRate.
	DataRate inet.DataRate
	// PacketSize is the UDP payload of each packet, 1..65507. ns-3: 512.
	PacketSize int
	// OnTime and OffTime give the durations of the "on" and "off" periods
	// in seconds. ns-3: ConstantVariable{1} both.
	OnTime, OffTime RandomVariable
	// MaxBytes stops the application once that many payload bytes are
	// sent (the last packet is whole, so it may go past). 0: no limit, as
	// ns-3.
	MaxBytes uint64
	// TOS is the IPv4 type of service of the packets. ns-3: 0.
	TOS uint8
	// StartJitter delays the start by a uniform draw in [0, StartJitter)
	// from the application's stream (DefaultStartJitter); 0 starts at the
	// given time exactly, as ns-3.
	StartJitter sim.Time
	// Stream names the application's random streams (Stream+"/on",
	// "/off", "/start"). Empty: "apps/onoff/node-N/REMOTE:PORT". Give two
	// OnOff applications of one node to one destination distinct names.
	Stream string
}

// DefaultOnOffConfig returns ns-3's defaults (500 kb/s, 512 bytes, on 1 s
// and off 1 s, no byte limit) to remote:port, with DefaultStartJitter.
func DefaultOnOffConfig(remote inet.IPv4Addr, port uint16) OnOffConfig {
	return OnOffConfig{
		Remote: remote, RemotePort: port,
		DataRate:    500 * inet.Kbps,
		PacketSize:  512,
		OnTime:      ConstantVariable{1},
		OffTime:     ConstantVariable{1},
		StartJitter: DefaultStartJitter,
	}
}

// CBRConfig returns a constant-bit-rate configuration, the special case
// of OnOff that is always on: OnTime +Inf and OffTime 0, so that the
// first packet leaves one packet interval (PacketSize x 8 / rate) after
// the start and the next ones at that interval exactly, until Stop or
// MaxBytes. (ns-3 scripts get CBR with OnTime 1 and OffTime 0, which ends
// and restarts the "on" period every second; the residual-bit
// bookkeeping keeps the pace, to within a truncated bit per second.)
func CBRConfig(remote inet.IPv4Addr, port uint16, rate inet.DataRate, packetSize int) OnOffConfig {
	c := DefaultOnOffConfig(remote, port)
	c.DataRate, c.PacketSize = rate, packetSize
	c.OnTime, c.OffTime = ConstantVariable{math.Inf(1)}, ConstantVariable{0}
	return c
}

// SetDataRate sets DataRate from an ns-3 rate string such as "10Mbps" or
// "1.5Gb/s" (inet.ParseDataRate); an unknown unit is an error.
func (c *OnOffConfig) SetDataRate(s string) error {
	r, err := inet.ParseDataRate(s)
	if err != nil {
		return err
	}
	c.DataRate = r
	return nil
}

// Validate reports a configuration the application cannot run with.
func (c OnOffConfig) Validate() error {
	switch {
	case c.Remote.IsAny():
		return errors.New("apps: OnOff Remote must be set")
	case c.DataRate == 0:
		return errors.New("apps: OnOff DataRate must be positive (e.g. \"500kb/s\")")
	case c.PacketSize < 1 || c.PacketSize > inet.MaxUDPPayload:
		return fmt.Errorf("apps: OnOff PacketSize %d is outside 1..%d", c.PacketSize, inet.MaxUDPPayload)
	}
	if err := validateVariable("OnOff OnTime", c.OnTime); err != nil {
		return err
	}
	if err := validateVariable("OnOff OffTime", c.OffTime); err != nil {
		return err
	}
	return validateJitter(c.StartJitter)
}

// OnOffStats counts what an OnOff application did.
type OnOffStats struct {
	TxPackets uint64 // packets the socket accepted
	TxBytes   uint64 // their payload bytes (ns-3's m_totBytes)
	// SendErrors counts packets the socket refused (no route, too large
	// for the link); ns-3 keeps such a packet and tries it again at the
	// next send time, which is what the application does.
	SendErrors uint64
	OnPeriods  uint64 // "on" periods begun
}

// OnOff is ns-3's OnOffApplication over UDP: it alternates "on" and "off"
// periods whose durations it draws from OnTime and OffTime; while on it
// sends PacketSize-byte datagrams at DataRate. Its timing is ns-3 3.37's
// to the nanosecond:
//
//   - At its start it binds and connects its socket and draws an off
//     period; the first "on" begins after it (ns-3's StartApplication:
//     the connection callback draws one off time and schedules the start,
//     which StartApplication cancels and draws again; both draws are
//     made). With the default OffTime of 1 s nothing is sent in the first
//     second.
//   - When an "on" period begins, the next packet is due after the bits
//     of one packet less the residual bits, at DataRate; each packet sent
//     schedules the next one PacketSize x 8 / DataRate later. Durations
//     are converted as ns-3's Seconds(double) does.
//   - When an "on" period ends before the next packet is due, the bits
//     already "spent" since the last packet (elapsed time x DataRate,
//     truncated as ns-3's int64x64 arithmetic truncates) are kept as
//     residual bits, so the next "on" period sends its first packet
//     earlier; then an off period is drawn.
//   - Once MaxBytes are sent it stops (as at Stop: socket closed).
//
// It allocates nothing per packet. Trace hooks are nil by default; set
// them before Start.
type OnOff struct {
	// OnTx is called with each packet (payload only, borrowed) just before
	// it is handed to the socket (ns-3's Tx trace).
	OnTx func(p *packet.Packet)

	lifecycle
	cfg              OnOffConfig
	sock             *inet.UDPSocket
	onTime, offTime  Sampler
	rate, rateAtStop inet.DataRate
	residualBits     uint64
	lastStart        sim.Time
	sendEv, periodEv sim.EventID
	sendFn           func(any)
	startSendingFn   func(any)
	stopSendingFn    func(any)
	stats            OnOffStats
	err              error
}

// NewOnOff returns an OnOff application on node n; it starts with Start.
// A configuration error, or a LocalPort that another socket of the node
// already holds, is returned now.
func NewOnOff(n *inet.Node, cfg OnOffConfig) (*OnOff, error) {
	if n == nil {
		return nil, errors.New("apps: NewOnOff needs a node")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkPort(n, cfg.Local, cfg.LocalPort); err != nil {
		return nil, err
	}
	a := &OnOff{cfg: cfg, rate: cfg.DataRate}
	name := cfg.Stream
	if name == "" {
		name = streamName("onoff", n, cfg.Remote, cfg.RemotePort)
	}
	a.lifecycle.init(n, cfg.StartJitter, name, a.startApplication, a.stopApplication)
	s := n.Sim()
	a.onTime = cfg.OnTime.NewSampler(s.Stream(name + "/on"))
	a.offTime = cfg.OffTime.NewSampler(s.Stream(name + "/off"))
	a.sendFn = a.sendPacket
	a.startSendingFn = a.startSending
	a.stopSendingFn = a.stopSending
	return a, nil
}

// Start schedules the application's start at absolute time at (ns-3's
// Application::SetStartTime), plus the StartJitter draw. A time before
// now is an error.
func (a *OnOff) Start(at sim.Time) error { return a.lifecycle.start(at) }

// Stop schedules its stop at absolute time at (ns-3's SetStopTime),
// replacing an earlier stop time. A time before now is an error.
func (a *OnOff) Stop(at sim.Time) error { return a.lifecycle.stop(at) }

// Config returns the application's configuration.
func (a *OnOff) Config() OnOffConfig { return a.cfg }

// Stats returns the application's counters.
func (a *OnOff) Stats() OnOffStats { return a.stats }

// Socket returns the application's socket (nil before it starts).
func (a *OnOff) Socket() *inet.UDPSocket { return a.sock }

// Err returns why the application could not start (its socket could not
// be bound or connected), or nil.
func (a *OnOff) Err() error { return a.err }

// SetDataRate changes the rate from now on, as setting ns-3's DataRate
// attribute on a running application: the packet already scheduled keeps
// its time, and residual bits are not carried over the change.
func (a *OnOff) SetDataRate(r inet.DataRate) error {
	if r == 0 {
		return errors.New("apps: OnOff DataRate must be positive")
	}
	a.rate = r
	return nil
}

// startApplication is ns-3's StartApplication.
func (a *OnOff) startApplication() {
	a.startEv = sim.EventID{}
	if a.stopped {
		return
	}
	a.started = true
	if a.sock == nil {
		sock := a.node.NewUDPSocket()
		if err := sock.BindAddr(a.cfg.Local, a.cfg.LocalPort); err != nil {
			a.fail(err)
			return
		}
		sock.SetAllowBroadcast(true)
		sock.SetTOS(a.cfg.TOS)
		if err := sock.Connect(a.cfg.Remote, a.cfg.RemotePort); err != nil {
			a.fail(err)
			return
		}
		a.sock = sock
		// ns-3's ConnectionSucceeded: UDP connects at once and the
		// callback schedules the first "on" period after an off draw.
		a.scheduleStartEvent()
	}
	a.rateAtStop = a.rate
	a.cancelEvents()
	a.scheduleStartEvent()
}

func (a *OnOff) fail(err error) {
	a.err = fmt.Errorf("apps: OnOff on node %d cannot start: %w", a.node.ID(), err)
	a.stopped = true
}

// stopApplication is ns-3's StopApplication.
func (a *OnOff) stopApplication() {
	a.cancelEvents()
	a.sim.Cancel(a.startEv)
	if a.sock != nil && !a.stopped {
		_ = a.sock.Close()
	}
	a.stopped = true
}

// cancelEvents is ns-3's CancelEvents: an "on" period cut short keeps the
// bits spent since the last packet.
func (a *OnOff) cancelEvents() {
	if a.sim.IsPending(a.sendEv) && a.rateAtStop == a.rate {
		a.residualBits += ns3ResidualBits(a.sim.Now()-a.lastStart, uint64(a.rate))
	}
	a.rateAtStop = a.rate
	a.sim.Cancel(a.sendEv)
	a.sim.Cancel(a.periodEv)
	a.sendEv, a.periodEv = sim.EventID{}, sim.EventID{}
}

// startSending is ns-3's StartSending.
func (a *OnOff) startSending(any) {
	a.periodEv = sim.EventID{}
	a.stats.OnPeriods++
	a.lastStart = a.sim.Now()
	a.scheduleNextTx()
	a.scheduleStopEvent()
}

// stopSending is ns-3's StopSending.
func (a *OnOff) stopSending(any) {
	a.periodEv = sim.EventID{}
	a.cancelEvents()
	a.scheduleStartEvent()
}

// scheduleNextTx is ns-3's ScheduleNextTx.
func (a *OnOff) scheduleNextTx() {
	if a.cfg.MaxBytes != 0 && a.stats.TxBytes >= a.cfg.MaxBytes {
		a.stopApplication()
		return
	}
	bits := uint64(a.cfg.PacketSize) * 8
	bits -= min(a.residualBits, bits) // ns-3 aborts if the residual exceeds a packet
	d, ok := ns3Seconds(float64(bits) / float64(a.rate))
	if !ok {
		return
	}
	a.sendEv = a.sim.ScheduleWith(d, a.sendFn, nil)
}

// scheduleStartEvent is ns-3's ScheduleStartEvent: an off period.
func (a *OnOff) scheduleStartEvent() {
	if d, ok := a.draw(a.offTime); ok {
		a.periodEv = a.sim.ScheduleWith(d, a.startSendingFn, nil)
	}
}

// scheduleStopEvent is ns-3's ScheduleStopEvent: an on period.
func (a *OnOff) scheduleStopEvent() {
	if d, ok := a.draw(a.onTime); ok {
		a.periodEv = a.sim.ScheduleWith(d, a.stopSendingFn, nil)
	}
}

// draw converts a draw in seconds to a delay; ok is false for +Inf (or a
// duration beyond about 73 years): the period never ends.
func (a *OnOff) draw(s Sampler) (sim.Time, bool) {
	x := s.Rand()
	if x < 0 {
		x = 0
	}
	return ns3Seconds(x)
}

// sendPacket is ns-3's SendPacket.
func (a *OnOff) sendPacket(any) {
	a.sendEv = sim.EventID{}
	size := a.cfg.PacketSize
	p := a.node.Pool().New(size)
	if a.OnTx != nil {
		a.OnTx(p)
	}
	if err := a.sock.SendPacket(p); err != nil {
		p.Release()
		a.stats.SendErrors++
	} else {
		a.stats.TxPackets++
		a.stats.TxBytes += uint64(size)
	}
	a.residualBits = 0
	a.lastStart = a.sim.Now()
	a.scheduleNextTx()
}
