package mac80211

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/propagation"
)

// TestConfigRanges: values that make no physical sense are refused with a
// message naming the field and its range, whatever layer they belong to.
func TestConfigRanges(t *testing.T) {
	tests := []struct {
		name   string
		modify func(c *NetworkConfig)
		msg    string
	}{
		{"power 1e308", func(c *NetworkConfig) { c.Phy.TxPowerDbm = 1e308 }, "mac80211: PhyConfig.TxPowerDbm=1e+308 out of range [-100, 100] dBm"},
		{"power NaN", func(c *NetworkConfig) { c.Phy.TxPowerDbm = math.NaN() }, "mac80211: PhyConfig.TxPowerDbm=NaN out of range [-100, 100] dBm"},
		{"gain", func(c *NetworkConfig) { c.Phy.RxGainDb = -101 }, "mac80211: PhyConfig.RxGainDb=-101 out of range [-100, 100] dB"},
		{"noise figure -1e308", func(c *NetworkConfig) { c.Phy.NoiseFigureDb = -1e308 }, "mac80211: PhyConfig.NoiseFigureDb=-1e+308 out of range [0, 100] dB"},
		{"sensitivity", func(c *NetworkConfig) { c.Phy.RxSensitivityDbm = math.Inf(-1) }, "mac80211: PhyConfig.RxSensitivityDbm=-Inf out of range [-200, 100] dBm"},
		{"retries 1e9", func(c *NetworkConfig) { c.Mac.RetryLimit = 1e9 }, "mac80211: RetryLimit=1000000000 out of range [1, 255] (or UnlimitedRetries)"},
		{"long retries 0", func(c *NetworkConfig) { c.Mac.LongRetryLimit = 0 }, "mac80211: LongRetryLimit=0 out of range [1, 255] (or UnlimitedRetries)"},
		{"RTS threshold", func(c *NetworkConfig) { c.Mac.RtsCtsThreshold = 1 << 20 }, "mac80211: RtsCtsThreshold=1048576 out of range [0, 65535]"},
		{"CW", func(c *NetworkConfig) { c.Mac.CWMax = 1 << 20 }, "mac80211: contention window [15, 1048576] must satisfy 0 <= CWMin <= CWMax <= 32767"},
		{"queue", func(c *NetworkConfig) { c.Mac.MaxQueueSize = 1e9 }, "mac80211: MaxQueueSize=1000000000 out of range [0, 1048576]"},
		{"queue lifetime", func(c *NetworkConfig) { c.Mac.MaxQueueDelay = sim.MaxTime }, "mac80211: MaxQueueDelay=2562047h47m16.854775807s out of range [0, 1h0m0s]"},
		{"beacon not in TU", func(c *NetworkConfig) { c.Infrastructure, c.Ap.BeaconInterval = true, 100*sim.Millisecond },
			"mac80211: BeaconInterval=100ms must be a multiple of 1024µs (802.11's time unit) in (0, 1m7.10784s]"},
		{"beacon too long", func(c *NetworkConfig) { c.Infrastructure, c.Ap.BeaconInterval = true, 65536*TU },
			"mac80211: BeaconInterval=1m7.108864s must be a multiple of 1024µs (802.11's time unit) in (0, 1m7.10784s]"},
		{"STA timeout", func(c *NetworkConfig) { c.Infrastructure, c.Sta.AssocRequestTimeout = true, sim.MaxTime },
			"mac80211: StaConfig.AssocRequestTimeout=2562047h47m16.854775807s out of range (0, 1h0m0s]"},
		{"negative start jitter", func(c *NetworkConfig) { c.Infrastructure, c.Sta.StartJitter = true, -sim.Millisecond },
			"mac80211: StaConfig.StartJitter=-1ms out of range [0, 1h0m0s]"},
		{"start jitter too long", func(c *NetworkConfig) { c.Infrastructure, c.Sta.StartJitter = true, 2*MaxStaTimeout },
			"mac80211: StaConfig.StartJitter=2h0m0s out of range [0, 1h0m0s]"},
		{"missed beacons", func(c *NetworkConfig) { c.Infrastructure, c.Sta.MaxMissedBeacons = true, 1<<40 },
			"mac80211: MaxMissedBeacons=1099511627776 out of range [1, 65535]"},
		{"no rate", func(c *NetworkConfig) { c.Mac.Rate = nil }, "mac80211: no rate manager"},
		{"medium", func(c *NetworkConfig) { c.Medium.FloorDbm = math.NaN() }, "mac80211: MediumConfig.FloorDbm must be a number below +Inf, got NaN"},
		// Accepted limits.
		{"unlimited retries", func(c *NetworkConfig) { c.Mac.RetryLimit, c.Mac.LongRetryLimit = UnlimitedRetries, 255 }, ""},
		{"rate from NewRate", func(c *NetworkConfig) {
			c.Mac.Rate = nil
			c.NewRate = func() RateManager { return NewConstantRate(OfdmRate6Mbps, OfdmRate6Mbps) }
		}, ""},
		{"largest beacon interval", func(c *NetworkConfig) { c.Infrastructure, c.Ap.BeaconInterval = true, MaxBeaconInterval }, ""},
		{"longest start jitter", func(c *NetworkConfig) { c.Infrastructure, c.Sta.StartJitter = true, MaxStaTimeout }, ""},
		{"extreme powers", func(c *NetworkConfig) { c.Phy.TxPowerDbm, c.Phy.NoiseFigureDb = 100, 0 }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultNetworkConfig()
			tt.modify(&cfg)
			err := cfg.Validate()
			_, nerr := NewNetwork(sim.New(1, 1), cfg, []mobility.Vector{{}, {X: 10}})
			if tt.msg == "" {
				require.NoError(t, err)
				require.NoError(t, nerr)
				return
			}
			require.EqualError(t, err, tt.msg)
			require.EqualError(t, nerr, tt.msg)
		})
	}
}

// TestNetworkPositions: positions must be finite and within
// ±mobility.MaxCoordinate; the farthest valid nodes, with a tiny path-loss
// exponent that keeps them in range, exchange frames across their 6.7 s
// propagation delay well inside simulated time (a huge distance with a
// tiny exponent used to overflow the delay and panic in the medium).
func TestNetworkPositions(t *testing.T) {
	for _, p := range []mobility.Vector{{X: math.NaN()}, {Y: math.Inf(-1)}, {Z: 1e300}, {X: 1e10}} {
		_, err := NewNetwork(sim.New(1, 1), DefaultNetworkConfig(), []mobility.Vector{{}, p})
		require.ErrorContains(t, err, "mac80211: NewNetwork: node 1: mobility: position")
		require.ErrorContains(t, err, "out of range [-1e+09, 1e+09] m")
	}

	cfg := DefaultNetworkConfig()
	loss := propagation.DefaultLogDistance()
	loss.Exponent = 1e-9
	cfg.Medium.Loss = loss
	cfg.StaticARP = true
	cfg.Mac.RetryLimit = 1 // the ACK can never come back in time
	s := sim.New(1, 1)
	w, err := NewNetwork(s, cfg, []mobility.Vector{{X: -mobility.MaxCoordinate}, {X: mobility.MaxCoordinate}})
	require.NoError(t, err)
	rx := w.Nodes[1].NewUDPSocket()
	require.NoError(t, rx.Bind(9))
	var got []int
	rx.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) { got = append(got, p.PayloadSize()) })
	tx := w.Nodes[0].NewUDPSocket()
	require.NoError(t, tx.Connect(w.Addr(1), 9))
	require.NoError(t, tx.Send(100))
	s.RunUntil(6671 * sim.Millisecond)
	assert.Zero(t, w.Devices[1].Mac().Counters.RxData, "2e9 m at the speed of light: 6.671 s")
	s.RunUntil(20 * sim.Second)
	assert.Equal(t, uint64(1), w.Devices[1].Mac().Counters.RxData)
	assert.Equal(t, uint64(1), w.MacDrops(), "the sender gave up waiting for the ACK")
	// The sender released its MSDU long before the frame arrived: the
	// medium carried its own copy, so the datagram reaches UDP intact.
	assert.Equal(t, []int{100}, got)
}

// TestArpDropsAreCounted: twenty stations that start sending to one
// receiver in the same instant with dynamic ARP lose most of their
// broadcast requests to collisions; Network shows where the packets went.
func TestArpDropsAreCounted(t *testing.T) {
	run := func(static bool) (*Network, int) {
		cfg := DefaultNetworkConfig()
		cfg.StaticARP = static
		s := sim.New(1, 1)
		pos := append([]mobility.Vector{{}}, mobility.Ring(mobility.Vector{}, 5, 20)...)
		w, err := NewNetwork(s, cfg, pos)
		require.NoError(t, err)
		rx := w.Nodes[0].NewUDPSocket()
		require.NoError(t, rx.Bind(9))
		got := 0
		rx.SetRecvCallback(func(*inet.UDPSocket, *packet.Packet, inet.RecvInfo) { got++ })
		for i := 1; i <= 20; i++ {
			tx := w.Nodes[i].NewUDPSocket()
			require.NoError(t, tx.Connect(w.Addr(0), 9))
			for k := range 10 {
				s.Schedule(sim.Second+sim.Time(k)*100*sim.Millisecond, func() { _ = tx.Send(500) })
			}
		}
		s.RunUntil(10 * sim.Second)
		return w, got
	}
	static, got := run(true)
	assert.Equal(t, 200, got)
	assert.Zero(t, static.ARPDrops())
	assert.Empty(t, static.DropCounts())

	dynamic, got := run(false)
	drops := dynamic.DropCounts()
	// One station resolves the receiver; the others lose their requests
	// and every datagram: 3 wait per station, the others overflow the
	// queue, and the 3 die with the entry.
	assert.Equal(t, 10, got)
	assert.Equal(t, map[inet.DropReason]uint64{inet.DropARPQueueFull: 133, inet.DropARPRetriesExhausted: 57}, drops)
	assert.Zero(t, dynamic.MacDrops())
	assert.Equal(t, uint64(200-got), dynamic.ARPDrops(), "every lost datagram was lost to ARP")
	assert.Equal(t, dynamic.Drops(inet.DropARPQueueFull)+dynamic.Drops(inet.DropARPRetriesExhausted)+dynamic.Drops(inet.DropARPDeadEntry), dynamic.ARPDrops())
	var nilNet *Network
	assert.Zero(t, nilNet.ARPDrops()+nilNet.MacDrops())
}

// TestDeviceWithoutMac: a device made without a MAC, or a zero Device,
// refuses to send instead of panicking.
func TestDeviceWithoutMac(t *testing.T) {
	pool := packet.NewPool()
	for _, d := range []*Device{NewDevice(nil), {}, nil} {
		require.EqualError(t, d.Send(pool.New(10), packet.BroadcastMac48, inet.EtherTypeIPv4),
			"mac80211: device has no MAC (NewDevice(nil) or a zero Device)")
		assert.Equal(t, packet.Mac48{}, d.Address())
	}
	w, err := NewNetwork(sim.New(1, 1), DefaultNetworkConfig(), []mobility.Vector{{}, {X: 5}})
	require.NoError(t, err)
	require.EqualError(t, w.Devices[0].Send(nil, packet.BroadcastMac48, inet.EtherTypeIPv4), "mac80211: Send of a nil packet")
}
