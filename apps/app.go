package apps

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

// DefaultStartJitter is the default width of the random delay added to the
// start time of the applications that send on their own (OnOff, CBR,
// UdpEchoClient): uniform in [0, 100 ms), drawn from the application's own
// stream. ns-3 starts an application exactly at its start time, so
// stations configured alike send their first packet, and so their first
// ARP request, in the same instant: on a shared medium those broadcasts
// collide, ARP retries one second later in the same instant again, and
// senders never resolve their destination (bench/ns3/RESULTS.md shows it
// for ns-3 3.37). Set StartJitter to 0 for ns-3's exact start.
const DefaultStartJitter = 100 * sim.Millisecond

// errStarted is returned by a second Start.
var errStarted = errors.New("apps: application already started")

// lifecycle is what every application shares: ns-3's Application start
// and stop events, with the start jitter.
type lifecycle struct {
	node             *inet.Node
	sim              *sim.Simulator
	jitter           sim.Time
	jitterRng        *rand.Rand
	startEv, stopEv  sim.EventID
	startFn, stopFn  func()
	startAt          sim.Time
	started, stopped bool
}

func (l *lifecycle) init(n *inet.Node, jitter sim.Time, stream string, start, stop func()) {
	l.node, l.sim, l.jitter = n, n.Sim(), jitter
	if jitter > 0 {
		l.jitterRng = l.sim.Stream(stream + "/start")
	}
	l.startFn, l.stopFn = start, stop
}

// start schedules the start event at at plus the jitter.
func (l *lifecycle) start(at sim.Time) error {
	if !l.startEv.IsZero() || l.started {
		return errStarted
	}
	if at < l.sim.Now() {
		return fmt.Errorf("apps: start time %v is before now (%v)", at, l.sim.Now())
	}
	if l.jitter > 0 {
		at = at.Add(sim.Time(l.jitterRng.Int64N(int64(l.jitter))))
	}
	ev, err := l.sim.ScheduleAt(at, l.startFn)
	if err != nil {
		return err
	}
	l.startEv, l.startAt = ev, at
	return nil
}

// stop schedules the stop event at at, replacing an earlier one.
func (l *lifecycle) stop(at sim.Time) error {
	if at < l.sim.Now() {
		return fmt.Errorf("apps: stop time %v is before now (%v)", at, l.sim.Now())
	}
	ev, err := l.sim.ScheduleAt(at, l.stopFn)
	if err != nil {
		return err
	}
	l.sim.Cancel(l.stopEv)
	l.stopEv = ev
	return nil
}

// StartTime returns when the application starts (or started): the time
// given to Start plus the drawn jitter; 0 before Start.
func (l *lifecycle) StartTime() sim.Time { return l.startAt }

// Running reports whether the application has started and not stopped.
func (l *lifecycle) Running() bool { return l.started && !l.stopped }

// Node returns the application's node.
func (l *lifecycle) Node() *inet.Node { return l.node }

// validateJitter checks a StartJitter field.
func validateJitter(j sim.Time) error {
	if j < 0 || j > maxDuration {
		return fmt.Errorf("apps: StartJitter %v is outside 0..%v (0 starts exactly at the start time, as ns-3)", j, maxDuration)
	}
	return nil
}

// checkPort binds and closes a probe socket on addr:port, so that a port
// that another socket of the node holds is an error at configuration time
// rather than when the application starts.
func checkPort(n *inet.Node, addr inet.IPv4Addr, port uint16) error {
	if !addr.IsAny() && !n.IsLocalAddress(addr) {
		return fmt.Errorf("apps: %w: %v is not an address of node %d", inet.ErrAddressNotAvailable, addr, n.ID())
	}
	if port == 0 {
		return nil // an ephemeral port: probing would use one up
	}
	s := n.NewUDPSocket()
	if err := s.BindAddr(addr, port); err != nil {
		return fmt.Errorf("apps: cannot bind %v:%d on node %d: %w", addr, port, n.ID(), err)
	}
	return s.Close()
}

// streamName is an application's default stream name.
func streamName(kind string, n *inet.Node, remote inet.IPv4Addr, port uint16) string {
	return fmt.Sprintf("apps/%s/node-%d/%v:%d", kind, n.ID(), remote, port)
}
