package mac80211_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/apps"
	"github.com/netgym/netgym/flowmon"
	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// A station that rests, drives out of range, stops there, and is put
// back: the medium's cached link gains follow each course change (the
// resting station is a static node with a cached gain, then a moving one,
// then static again far away, then moved back by SetPosition).
func TestMediumFollowsMovement(t *testing.T) {
	s := sim.New(1, 1)
	car := mobility.NewConstantVelocity(mobility.Vector{X: 10}, mobility.Vector{}, 0)
	w, err := mac80211.NewNetworkWithMobility(s, mac80211.DefaultNetworkConfig(),
		[]mobility.Model{mobility.NewConstantPosition(mobility.Vector{}), car})
	require.NoError(t, err)
	require.Same(t, car, w.Mobility[1])
	sink, err := apps.NewPacketSink(w.Nodes[1], apps.PacketSinkConfig{Port: 9})
	require.NoError(t, err)
	require.NoError(t, sink.Start(0))
	var rx []sim.Time
	sink.OnRx = func(*packet.Packet, inet.RecvInfo) { rx = append(rx, s.Now()) }
	cfg := apps.CBRConfig(w.Addr(1), 9, 800*inet.Kbps, 1000) // one per 10 ms
	cfg.StartJitter = 0
	src, err := apps.NewOnOff(w.Nodes[0], cfg)
	require.NoError(t, err)
	require.NoError(t, src.Start(0))

	// 1000-byte frames at 54 Mb/s get through to about 36 m (3.3 s).
	s.Schedule(2*sim.Second, func() { car.SetVelocity(s.Now(), mobility.Vector{X: 20}) })
	s.Schedule(5*sim.Second, func() { car.SetVelocity(s.Now(), mobility.Vector{}) })      // rests at 70 m
	s.Schedule(7*sim.Second, func() { car.SetPosition(s.Now(), mobility.Vector{X: 20}) }) // back in range
	s.RunUntil(9 * sim.Second)

	count := func(from, to sim.Time) (n int) {
		for _, at := range rx {
			if at >= from && at < to {
				n++
			}
		}
		return n
	}
	require.Equal(t, 150, count(500*sim.Millisecond, 2*sim.Second), "at 10 m, resting")
	require.Equal(t, 70, count(2*sim.Second, 2700*sim.Millisecond), "driving, within 24 m")
	require.Zero(t, count(4*sim.Second, 7*sim.Second), "beyond 50 m, then resting at 70 m")
	require.Equal(t, 100, count(8*sim.Second, 9*sim.Second), "put back at 20 m")
}

// Four stations wander (random waypoint, 2-10 m/s, 1 s pauses) in a
// 100 m square around an AP and send it 200 kb/s each; 500-byte frames at
// 54 Mb/s reach about 40 m, so what each delivers depends on where its
// walk takes it. A flow monitor counts per station.
func ExampleNewNetworkWithMobility() {
	s := sim.New(1, 1)
	rw := mobility.DefaultRandomWaypoint()
	rw.Bounds = mobility.Box{Max: mobility.Vector{X: 100, Y: 100}}
	rw.MinSpeed, rw.MaxSpeed, rw.Pause = 2, 10, sim.Second
	mobs := []mobility.Model{mobility.NewConstantPosition(mobility.Vector{X: 50, Y: 50})} // the AP
	for i, p := range mobility.Ring(mobility.Vector{X: 50, Y: 50}, 10, 4) {
		m, err := mobility.NewRandomWaypoint(rw, p, s.Now(), s.StreamFor("mobility/sta", i))
		if err != nil {
			fmt.Println(err)
			return
		}
		mobs = append(mobs, m)
	}
	cfg := mac80211.DefaultNetworkConfig()
	cfg.Infrastructure = true
	net, err := mac80211.NewNetworkWithMobility(s, cfg, mobs)
	if err != nil {
		fmt.Println(err)
		return
	}
	mon, _ := flowmon.New(s, flowmon.DefaultConfig())
	_ = mon.InstallAll(net.Inet)
	sink, _ := apps.NewPacketSink(net.Nodes[0], apps.PacketSinkConfig{Port: 9})
	_ = sink.Start(0)
	for _, n := range net.Nodes[1:] {
		src, _ := apps.NewOnOff(n, apps.CBRConfig(net.Addr(0), 9, 200*inet.Kbps, 500))
		_ = src.Start(sim.Second)
	}
	s.RunUntil(60 * sim.Second)
	for _, f := range mon.Flows() {
		m := net.Mobility[int(f.Tuple.Src)-int(net.Addr(0))]
		fmt.Printf("%v: %d of %d delivered, now at %.0f m from the AP\n", f.Tuple.Src, f.Stats.RxPackets,
			f.Stats.TxPackets, m.Position(s.Now()).Distance(mobility.Vector{X: 50, Y: 50}))
	}
	// Output:
	// 10.1.1.4: 2336 of 2949 delivered, now at 30 m from the AP
	// 10.1.1.3: 2184 of 2949 delivered, now at 4 m from the AP
	// 10.1.1.2: 2351 of 2948 delivered, now at 24 m from the AP
	// 10.1.1.5: 2448 of 2945 delivered, now at 27 m from the AP
}
