package nr5g

import (
	"fmt"

	"github.com/netgym/netgym/sim"
)

// Frame-structure constants of TS 38.211 4.3 with normal cyclic prefix, as
// 5G-LENA uses them (NrGnbPhy SymbolsPerSlot default 14, SfnSf).
const (
	// SymbolsPerSlot is the number of OFDM symbols in a slot (normal CP).
	SymbolsPerSlot = 14
	// SubframesPerFrame is the number of 1 ms subframes in a 10 ms frame.
	SubframesPerFrame = 10
	// SubcarriersPerRb is the number of subcarriers in a resource block
	// (NrSpectrumValueHelper::SUBCARRIERS_PER_RB).
	SubcarriersPerRb = 12
	// SubframeDuration is the length of a subframe.
	SubframeDuration = sim.Millisecond
	// FrameDuration is the length of a radio frame.
	FrameDuration = 10 * sim.Millisecond
	// MaxNumerology is the largest numerology accepted (TS 38.211 Table
	// 4.2-1 lists mu 0..6; 5G-LENA puts no upper bound on NrPhy::SetNumerology).
	MaxNumerology Numerology = 6
)

// Numerology is the 3GPP numerology mu (TS 38.211 4.2): subcarrier spacing
// 15*2^mu kHz and 2^mu slots of 14 symbols per 1 ms subframe.
type Numerology uint8

// Validate reports whether mu is within 0..MaxNumerology.
func (mu Numerology) Validate() error {
	if mu > MaxNumerology {
		return fmt.Errorf("nr5g: numerology %d out of range [0, %d]", mu, MaxNumerology)
	}
	return nil
}

// SubcarrierSpacing returns the subcarrier spacing in Hz, 15000*2^mu
// (NrPhy::SetNumerology).
func (mu Numerology) SubcarrierSpacing() uint32 { return 15000 << mu }

// SlotsPerSubframe returns 2^mu.
func (mu Numerology) SlotsPerSubframe() int { return 1 << mu }

// SlotsPerFrame returns 10*2^mu.
func (mu Numerology) SlotsPerFrame() int { return SubframesPerFrame << mu }

// SlotDuration returns the slot period as 5G-LENA computes it:
// NrPhy::SetNumerology sets Seconds(0.001 / 2^mu), which ns-3 rounds to the
// nanosecond (1 ms, 500 us, 250 us, 125 us, 62.5 us for mu 0..4).
func (mu Numerology) SlotDuration() sim.Time {
	return sim.Seconds(0.001 / float64(mu.SlotsPerSubframe()))
}

// SymbolDuration returns the OFDM symbol period for symbolsPerSlot symbols per
// slot as 5G-LENA computes it: NrPhy::SetNumerology divides the slot period
// (an ns-3 Time) by the integer m_symbolsPerSlot, which truncates to the
// nanosecond (mu 3: 125000 ns / 14 = 8928 ns). A slot is therefore a few
// nanoseconds longer than 14 symbols. symbolsPerSlot <= 0 gives 0.
func (mu Numerology) SymbolDuration(symbolsPerSlot int) sim.Time {
	if symbolsPerSlot <= 0 {
		return 0
	}
	return mu.SlotDuration() / sim.Time(symbolsPerSlot)
}

// DefaultRbOverhead is NrGnbPhy's RbOverhead attribute: the fraction of the
// channel bandwidth left out as guard band when counting resource blocks.
const DefaultRbOverhead = 0.04

// maxBandwidthHz is the largest channel bandwidth whose count of 100 kHz
// units, multiplied out in NrPhy::GetChannelBandwidth (int arithmetic),
// stays below 2^31 Hz.
const maxBandwidthHz = 21474 * 100e3

// BandwidthIn100kHz returns the channel bandwidth in the 100 kHz units that
// 5G-LENA keeps: NrHelper truncates bandwidthHz/1000/100 to an integer
// (NrHelper::InstallSingleGnbDevice and InstallSingleUeDevice,
// cc->SetDlBandwidth(static_cast<uint16_t>(bwInKhz / 100))).
func BandwidthIn100kHz(bandwidthHz float64) (uint16, error) {
	if !(bandwidthHz >= 100e3 && bandwidthHz <= maxBandwidthHz) {
		return 0, fmt.Errorf("nr5g: bandwidth %g Hz out of range [100 kHz, %g Hz]", bandwidthHz, float64(maxBandwidthHz))
	}
	return uint16(bandwidthHz / 1000.0 / 100), nil
}

// RbCount returns the number of resource blocks of a bandwidth part as
// 5G-LENA computes it (NrPhy::DoUpdateRbNum):
//
//	floor(B * (1 - rbOverhead) / (12 * SCS))
//
// where B is the bandwidth truncated to a multiple of 100 kHz (see
// BandwidthIn100kHz) and SCS the subcarrier spacing of mu. With the default
// overhead of 0.04, 100 MHz at mu 3 gives 66 RBs and 20 MHz at mu 0 gives
// 106. It is an error if not even one resource block fits.
func RbCount(bandwidthHz float64, mu Numerology, rbOverhead float64) (int, error) {
	if err := mu.Validate(); err != nil {
		return 0, err
	}
	if !(rbOverhead >= 0 && rbOverhead <= 0.5) {
		return 0, fmt.Errorf("nr5g: RB overhead %g out of range [0, 0.5]", rbOverhead)
	}
	units, err := BandwidthIn100kHz(bandwidthHz)
	if err != nil {
		return 0, err
	}
	realBw := float64(uint32(units)*100000) * (1 - rbOverhead)
	rbWidth := mu.SubcarrierSpacing() * SubcarriersPerRb
	if float64(rbWidth) > realBw {
		return 0, fmt.Errorf("nr5g: bandwidth %g Hz less overhead %g is narrower than one RB (%d Hz) at numerology %d",
			bandwidthHz, rbOverhead, rbWidth, mu)
	}
	return int(uint32(realBw / float64(rbWidth))), nil
}
