package rb

import (
	"fmt"
	"math"
)

// SubcarriersPerRB is the number of subcarriers in a resource block (TS
// 38.211 4.4.4.1; 5G-LENA's SUBCARRIERS_PER_RB).
const SubcarriersPerRB = 12

// Grid is the resource-block grid of one carrier (bandwidth part): 5G-LENA's
// spectrum model (NrSpectrumValueHelper::GetSpectrumModel), NumRBs
// contiguous resource blocks of 12 subcarriers centred on CenterHz.
type Grid struct {
	// CenterHz is the carrier's central frequency (5G-LENA accepts 0.5 to
	// 150 GHz).
	CenterHz float64
	// NumRBs is the number of resource blocks (at least 1).
	NumRBs int
	// SubcarrierSpacingHz is the subcarrier spacing, 15 kHz·2^µ for a
	// numerology µ in 0..5 (15, 30, 60, 120, 240 or 480 kHz).
	SubcarrierSpacingHz float64
}

// maxRBs bounds the grid (275 is the most TS 38.101 allows; ns3-mmwave's
// ceil(BW/(12·SCS)) gives 278 at 200 MHz and 60 kHz).
const maxRBs = 1 << 12

// Validate reports a grid 5G-LENA's GetSpectrumModel would abort on: no
// resource block (or more than 4096), a centre frequency outside 0.5 to
// 150 GHz, or a subcarrier spacing other than 15 kHz·2^µ, µ = 0..5.
func (g Grid) Validate() error {
	if g.NumRBs < 1 || g.NumRBs > maxRBs {
		return fmt.Errorf("rb: Grid.NumRBs %d must be in [1, %d]", g.NumRBs, maxRBs)
	}
	if !(g.CenterHz >= 0.5e9 && g.CenterHz <= 150e9) {
		return fmt.Errorf("rb: Grid.CenterHz %g must be in [0.5e9, 150e9]", g.CenterHz)
	}
	switch g.SubcarrierSpacingHz {
	case 15e3, 30e3, 60e3, 120e3, 240e3, 480e3:
	default:
		return fmt.Errorf("rb: Grid.SubcarrierSpacingHz %g must be 15e3, 30e3, 60e3, 120e3, 240e3 or 480e3", g.SubcarrierSpacingHz)
	}
	return nil
}

// RBWidthHz returns the width of a resource block, 12 subcarriers.
func (g Grid) RBWidthHz() float64 { return g.SubcarrierSpacingHz * SubcarriersPerRB }

// BandwidthHz returns the width of the grid, NumRBs resource blocks.
func (g Grid) BandwidthHz() float64 { return float64(g.NumRBs) * g.RBWidthHz() }

// CenterFrequencies stores in dst (resized to NumRBs, reusing its memory)
// and returns the centre frequency of each resource block, computed as
// GetSpectrumModel builds its bands: from CenterHz - NumRBs·12·SCS/2 in
// steps of half a resource block.
func (g Grid) CenterFrequencies(dst []float64) []float64 {
	if cap(dst) >= g.NumRBs {
		dst = dst[:g.NumRBs]
	} else {
		dst = make([]float64, g.NumRBs)
	}
	half := g.SubcarrierSpacingHz * SubcarriersPerRB / 2
	f := g.CenterHz - float64(g.NumRBs)*g.SubcarrierSpacingHz*SubcarriersPerRB/2
	for i := range dst {
		f += half
		dst[i] = f
		f += half
	}
	return dst
}

// ThermalNoiseDbmPerHz is the thermal noise density kT at 290 K that
// 5G-LENA uses (NrSpectrumValueHelper::CreateNoisePowerSpectralDensity:
// kT_dBm_Hz = -174).
const ThermalNoiseDbmPerHz = -174.0

// DefaultNoiseFigureDb is 5G-LENA's receiver noise figure (NrGnbPhy and
// NrUePhy NoiseFigure, 5 dB).
const DefaultNoiseFigureDb = 5.0

// NoisePerRB returns the noise power (W) in one resource block of a
// receiver with the given noise figure (dB): kT·F·12·SCS, the integral
// over a resource block of 5G-LENA's noise PSD
// (CreateNoisePowerSpectralDensity: 10^((-174-30)/10)·10^(NF/10) W/Hz);
// see DefaultNoiseFigureDb.
func (g Grid) NoisePerRB(noiseFigureDb float64) float64 {
	kT := math.Pow(10, (ThermalNoiseDbmPerHz-30)/10)
	return kT * math.Pow(10, noiseFigureDb/10) * g.RBWidthHz()
}

// PowerAllocation says how a transmitter spreads its power over the
// resource blocks: 5G-LENA's NrSpectrumValueHelper::PowerAllocationType.
type PowerAllocation uint8

const (
	// UniformUsed spreads the power uniformly over the resource blocks in
	// use ("UniformPowerAllocUsed", UNIFORM_POWER_ALLOCATION_USED): 5G-LENA's
	// default for gNB and UE (NrGnbPhy and NrUePhy PowerAllocationType).
	UniformUsed PowerAllocation = iota
	// UniformBandwidth spreads the power uniformly over every resource block
	// of the grid and sends only on those in use ("UniformPowerAllocBw",
	// UNIFORM_POWER_ALLOCATION_BW): a transmission on part of the band
	// sends less than the nominal power.
	UniformBandwidth
)

// String returns 5G-LENA's name of the allocation.
func (a PowerAllocation) String() string {
	switch a {
	case UniformUsed:
		return "UniformPowerAllocUsed"
	case UniformBandwidth:
		return "UniformPowerAllocBw"
	}
	return fmt.Sprintf("PowerAllocation(%d)", uint8(a))
}

// TxPower stores in dst (resized to NumRBs, reusing its memory) and
// returns the transmit power (W) of each resource block for a transmission
// of totalDbm on the resource blocks rbs, as
// NrSpectrumValueHelper::CreateTxPowerSpectralDensity and
// NrGnbPhy::SetSubChannels compute the PSD (times the RB width):
//
//	UniformUsed:       P / sharedRBs on each RB of rbs
//	UniformBandwidth:  P / NumRBs on each RB of rbs
//
// and 0 elsewhere. sharedRBs is the number of resource blocks the
// transmitter uses in the symbol across all its concurrent transmissions
// (NrGnbPhy::SetSubChannels scales a downlink OFDMA transmission by
// len(rbs)/nTotalAllocRbs); 0 means len(rbs), the single-transmission
// case. It reports an allocation other than the two, an RB index outside
// the grid, or sharedRBs below len(rbs).
func (g Grid) TxPower(dst []float64, totalDbm float64, rbs []int, alloc PowerAllocation, sharedRBs int) ([]float64, error) {
	if cap(dst) >= g.NumRBs {
		dst = dst[:g.NumRBs]
	} else {
		dst = make([]float64, g.NumRBs)
	}
	clear(dst)
	if len(rbs) == 0 {
		return dst, nil
	}
	if sharedRBs == 0 {
		sharedRBs = len(rbs)
	}
	var n int
	switch alloc {
	case UniformUsed:
		if sharedRBs < len(rbs) {
			return dst, fmt.Errorf("rb: sharedRBs %d is below the %d resource blocks of the transmission", sharedRBs, len(rbs))
		}
		n = sharedRBs
	case UniformBandwidth:
		n = g.NumRBs
	default:
		return dst, fmt.Errorf("rb: unknown power allocation %d (UniformUsed or UniformBandwidth)", uint8(alloc))
	}
	p := math.Pow(10, (totalDbm-30)/10) / float64(n)
	for _, r := range rbs {
		if r < 0 || r >= g.NumRBs {
			clear(dst)
			return dst, fmt.Errorf("rb: resource block %d outside the grid of %d", r, g.NumRBs)
		}
		dst[r] = p
	}
	return dst, nil
}
