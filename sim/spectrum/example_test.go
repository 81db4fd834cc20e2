package spectrum_test

import (
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum"
)

// A radio that needs only the scalar channel (as 802.11a does): attach
// three radios, transmit from the first, and schedule an arrival per
// delivery.
func Example() {
	s := sim.New(1, 1)
	cfg := spectrum.DefaultConfig()
	cfg.Loss = propagation.DefaultLogDistance()
	cfg.FloorDbm = -101
	m, err := spectrum.New(s, cfg, spectrum.LinkModel[spectrum.NoLink]{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, x := range []float64{0, 50, 1000} {
		if _, err := m.Attach(spectrum.Attachment{
			Mobility:   mobility.NewConstantPosition(mobility.Vector{X: x}),
			TxPowerDbm: 16.0206,
		}); err != nil {
			fmt.Println(err)
			return
		}
	}
	ds, err := m.Transmit(0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range ds {
		rx, dbm := d.Rx, d.RxDbm
		s.Schedule(d.Delay, func() { fmt.Printf("radio %d receives at %v: %.2f dBm\n", rx, s.Now(), dbm) })
	}
	s.Run()
	fmt.Printf("culling range %.1f m; stats %+v\n", m.CullRange(), m.Stats())
	// Output:
	// radio 1 receives at 167ns: -81.63 dBm
	// culling range 221.2 m; stats {Transmissions:1 Examined:2 Deliveries:1 LinkUpdates:0}
}

// A radio with a per-link channel object: NR-style gains per resource
// block, computed once per link and update period and reused by every
// transmission in between.
func ExampleLinkModel() {
	type perRB struct{ gainDb []float64 }
	s := sim.New(1, 1)
	m, err := spectrum.New(s, spectrum.DefaultConfig(), spectrum.LinkModel[perRB]{
		Update: func(c *perRB, l *propagation.Link) {
			if c.gainDb == nil {
				c.gainDb = make([]float64, 3)
			}
			for rb := range c.gainDb {
				// A stand-in for TR 38.901 fast fading and beamforming.
				c.gainDb[rb] = float64(rb) - l.Distance2D()/100
			}
		},
		Period: 100 * sim.Millisecond,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	gnb, _ := m.Attach(spectrum.Attachment{Mobility: mobility.NewConstantPosition(mobility.Vector{Z: 25}), TxPowerDbm: 43})
	_, _ = m.Attach(spectrum.Attachment{Mobility: mobility.NewConstantPosition(mobility.Vector{X: 200, Z: 1.5})})
	for slot := range 3 {
		s.RunUntil(sim.Time(slot) * 60 * sim.Millisecond)
		ds, _ := m.Transmit(gnb)
		for _, d := range ds {
			fmt.Printf("t=%v ue %d: %.2f dBm, RB gains %v dB\n", s.Now(), d.Rx, d.RxDbm, d.Link.gainDb)
		}
	}
	fmt.Println("link updates:", m.Stats().LinkUpdates)
	// Output:
	// t=0s ue 1: -49.76 dBm, RB gains [-2 -1 0] dB
	// t=60ms ue 1: -49.76 dBm, RB gains [-2 -1 0] dB
	// t=120ms ue 1: -49.76 dBm, RB gains [-2 -1 0] dB
	// link updates: 2
}

// A radio that decides on most deliveries by a bound of their power (a
// Wi-Fi PHY below its -82 dBm detection threshold) asks for deferred
// powers, and computes the power of the ones it needs, bit for bit.
func ExampleMedium_DeferPower() {
	s := sim.New(1, 1)
	cfg := spectrum.DefaultConfig()
	cfg.Loss = propagation.DefaultLogDistance()
	cfg.FloorDbm = -101
	m, err := spectrum.New(s, cfg, spectrum.LinkModel[spectrum.NoLink]{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Three radios, and 600 far away: deferral applies beyond the pair
	// cache's 512 radios.
	xs := []float64{0, 40, 150}
	for i := range 600 {
		xs = append(xs, 5000+float64(i))
	}
	for _, x := range xs {
		id, err := m.Attach(spectrum.Attachment{
			Mobility:   mobility.NewConstantPosition(mobility.Vector{X: x}),
			TxPowerDbm: 16.0206,
		})
		if err == nil {
			err = m.DeferPower(id, -82)
		}
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	ds, err := m.Transmit(0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range ds {
		if d.PowerDeferred() {
			exact := m.LastSender().ExactDbm(d.Dist)
			if math.IsNaN(d.RxDbm) {
				// The distance alone put it below -82 dBm.
				fmt.Printf("radio %d: deferred, %.4f dBm at %.0f m (decided on the distance)\n", d.Rx, exact, d.Dist)
				continue
			}
			fmt.Printf("radio %d: deferred, %.4f dBm at %.0f m (bound %.1g dB above)\n", d.Rx, exact, d.Dist, d.RxDbm-exact)
			continue
		}
		fmt.Printf("radio %d: %.4f dBm\n", d.Rx, d.RxDbm)
	}
	// Output:
	// radio 1: -78.7189 dBm
	// radio 2: deferred, -95.9398 dBm at 150 m (decided on the distance)
}
