package mac80211_test

import (
	"fmt"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim/spectrum"
)

// A 1500-byte IP packet becomes a 1536-byte MPDU (MAC header, LLC/SNAP,
// FCS). This example prints its airtime, the ACK that answers it, and how
// likely it is to get through at a few SNRs with ns-3's default error
// model.
func Example() {
	mode, err := mac80211.ModeFromRate(54)
	if err != nil {
		fmt.Println(err)
		return
	}
	mpdu := mac80211.MACHeaderSize + mac80211.LLCSNAPSize + 1500 + mac80211.FCSSize
	ack := mac80211.ControlResponseMode(mode)

	fmt.Printf("%v: %d B in %v\n", mode, mpdu, mac80211.FrameDuration(mpdu, mode))
	fmt.Printf("ACK at %v in %v\n", ack, mac80211.FrameDuration(mac80211.ACKSize, ack))

	model := mac80211.DefaultErrorRateModel()
	for _, snrDb := range []float64{16, 18, 20, 22} {
		p := mac80211.FrameSuccessRate(model, mode, spectrum.DbToRatio(snrDb), mpdu)
		fmt.Printf("%2.0f dB: %.4f\n", snrDb, p)
	}
	// Output:
	// OfdmRate54Mbps: 1536 B in 248µs
	// ACK at OfdmRate24Mbps in 28µs
	// 16 dB: 0.0000
	// 18 dB: 0.7807
	// 20 dB: 0.9986
	// 22 dB: 1.0000
}

// The SINR of a reception: received power over the receiver's noise floor
// (ns-3 defaults: 20 MHz, 7 dB noise figure) plus interference.
func ExampleSINR() {
	noise := mac80211.NoiseFloorW(mac80211.DefaultNoiseFigureDb, mac80211.ChannelWidthHz)
	fmt.Printf("noise floor %.2f dBm\n", spectrum.WToDbm(noise))

	signal := spectrum.DbmToW(-70)
	interference := spectrum.DbmToW(-85)
	snr := mac80211.SINR(signal, noise, interference)
	fmt.Printf("SINR %.2f dB\n", spectrum.RatioToDb(snr))
	// Output:
	// noise floor -93.97 dBm
	// SINR 14.48 dB
}

// Every 802.11a mode with its data bits per symbol and the airtime of a
// 14-byte ACK.
func ExampleModes() {
	for _, m := range mac80211.Modes() {
		fmt.Printf("%-15v %-6v %v NDBPS=%3d ACK=%v\n", m, m.Modulation(), m.CodeRate(),
			m.DataBitsPerSymbol(), mac80211.FrameDuration(mac80211.ACKSize, m))
	}
	// Output:
	// OfdmRate6Mbps   BPSK   1/2 NDBPS= 24 ACK=44µs
	// OfdmRate9Mbps   BPSK   3/4 NDBPS= 36 ACK=36µs
	// OfdmRate12Mbps  QPSK   1/2 NDBPS= 48 ACK=32µs
	// OfdmRate18Mbps  QPSK   3/4 NDBPS= 72 ACK=28µs
	// OfdmRate24Mbps  16-QAM 1/2 NDBPS= 96 ACK=28µs
	// OfdmRate36Mbps  16-QAM 3/4 NDBPS=144 ACK=24µs
	// OfdmRate48Mbps  64-QAM 2/3 NDBPS=192 ACK=24µs
	// OfdmRate54Mbps  64-QAM 3/4 NDBPS=216 ACK=24µs
}
