package mac80211_test

import (
	"fmt"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

// printer is a PhyListener that prints what the PHY reports to its MAC.
type printer struct{ s *sim.Simulator }

func (p printer) PhyRxStart(end sim.Time) {
	fmt.Printf("%v  PHY-RXSTART, busy until %v\n", p.s.Now(), end)
}
func (p printer) PhyCcaBusy(end sim.Time) { fmt.Printf("%v  CCA busy until %v\n", p.s.Now(), end) }
func (p printer) PhyRxEnd(f *mac80211.Frame, ok bool, info mac80211.RxInfo) {
	fmt.Printf("%v  PHY-RXEND ok=%v: %v, %d B at %v, %.2f dBm, SNR %.2f dB\n",
		p.s.Now(), ok, f.Header.Type, f.Size(), f.Mode, info.RSSIDbm, info.SNRDb)
}

// phyPair attaches two PHYs with ns-3's defaults, metres apart, to a medium
// with ns-3's defaults (log-distance loss, speed-of-light delay).
func phyPair(s *sim.Simulator, metres float64) ([2]*mac80211.Phy, error) {
	var phys [2]*mac80211.Phy
	medium, err := mac80211.NewMedium(s, mac80211.DefaultMediumConfig())
	if err != nil {
		return phys, err
	}
	for i := range phys {
		if phys[i], err = mac80211.NewPhy(s, mac80211.DefaultPhyConfig()); err != nil {
			return phys, err
		}
		pos := mobility.NewConstantPosition(mobility.Vector{X: metres * float64(i)})
		if err := medium.Attach(phys[i], pos); err != nil {
			return phys, err
		}
	}
	return phys, nil
}

// Two PHYs 10 m apart on a medium with ns-3's defaults (log-distance loss,
// speed-of-light delay): one sends an ACK at 24 Mb/s. The receiver reports
// CCA busy after its 4 µs preamble detection window and until the end of
// the preamble and of the SIGNAL field, then PHY-RXSTART 20 µs after the
// arrival, and the frame at its end, 33 ns (the propagation delay) after
// the transmission ends.
func ExampleMedium() {
	s := sim.New(1, 1)
	phys, err := phyPair(s, 10)
	if err != nil {
		fmt.Println(err)
		return
	}
	phys[1].SetListener(printer{s})

	ack := mac80211.Frame{Header: mac80211.MACHeader{Type: mac80211.FrameACK}, Mode: mac80211.OfdmRate24Mbps}
	end := phys[0].Send(&ack)
	fmt.Printf("%v  sending, transmission ends at %v; sender is %v\n", s.Now(), end, phys[0].State())
	s.Run()
	fmt.Println("receiver counted", phys[1].Counters().RxOk, "frame(s)")
	// Output:
	// 0s  sending, transmission ends at 28µs; sender is Tx
	// 4.033µs  CCA busy until 16.033µs
	// 16.033µs  CCA busy until 20.033µs
	// 20.033µs  PHY-RXSTART, busy until 28.033µs
	// 28.033µs  PHY-RXEND ok=true: ACK, 14 B at OfdmRate24Mbps, -60.66 dBm, SNR 33.31 dB
	// receiver counted 1 frame(s)
}

// A drop hook set in the middle of a run: a PHY 150 m away hears the
// sender's ACKs at about -96 dBm, below the -82 dBm preamble detection
// threshold, and drops each. The hook, set at 100 µs, hears the second
// ACK's drop (at the end of its 4 µs detection window), not the first's,
// exactly as if every weak signal were an event.
func ExamplePhy_SetOnRxDrop() {
	s := sim.New(1, 1)
	phys, err := phyPair(s, 150)
	if err != nil {
		fmt.Println(err)
		return
	}
	ack := mac80211.Frame{Header: mac80211.MACHeader{Type: mac80211.FrameACK}, Mode: mac80211.OfdmRate24Mbps}
	phys[0].Send(&ack)
	s.Schedule(100*sim.Microsecond, func() {
		phys[1].SetOnRxDrop(func(f *mac80211.Frame, reason mac80211.RxDropReason) {
			fmt.Printf("%v  dropped %v: %v\n", s.Now(), f.Header.Type, reason)
		})
	})
	s.Schedule(200*sim.Microsecond, func() { phys[0].Send(&ack) })
	s.Run()
	fmt.Println("drops counted:", phys[1].Counters().Drops[mac80211.RxDropPreambleNotDetected])
	// Output:
	// 204.5µs  dropped ACK: PreambleNotDetected
	// drops counted: 2
}
