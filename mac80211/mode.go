// Package mac80211 is netgym's IEEE 802.11a (OFDM, 20 MHz, 5 GHz) stack:
// transmission modes and frame timing, error-rate models, and, built on
// them, the PHY state machine, interference tracking, the medium, channel
// access (DCF) and the MAC roles.
//
// The pure-math layer (mode.go, timing.go, errormodel.go, snr.go) has no
// simulator state: a Mode says how bits are put on the air, FrameDuration
// says for how long, and an ErrorRateModel says how likely they are to
// survive a given signal-to-noise ratio. Numbers and formulas follow
// IEEE Std 802.11-2016 clause 17 and ns-3 3.37 (src/wifi/model), which
// netgym replaces. dB/W/dBm conversions are sim/spectrum's (DbmToW and
// friends), shared with every radio.
//
// Medium (medium.go) is the 802.11 layer over the shared radio medium of
// package sim/spectrum: spectrum finds who hears a transmission, at what
// power and after what delay (spatial culling, a pair cache, link-aware
// loss models); mac80211 keeps frames, transmissions and arrivals, the
// PHYs' ids and random streams, and PHY reception.
//
// Install puts 802.11a devices on the nodes of a shared inet.Network, ns-3
// WifiHelper style, so that a node may also carry point-to-point links,
// tunnels or other radios; NewNetwork builds a whole 802.11a network (one
// medium, nodes, devices, addresses) on it in one call.
//
// pcap traces (pcap.go) are ns-3's YansWifiPhyHelper::EnablePcap with
// radiotap headers: Device implements pcap.Device, so
// inet.Network.EnablePcapAll traces 802.11 interfaces with the others, and
// EnablePcap traces chosen devices; frames are serialised to real bytes
// (MAC header, LLC/SNAP, IP, management elements, FCS) only there.
package mac80211

import (
	"fmt"
	"strconv"
)

// Modulation is the subcarrier modulation of an OFDM mode.
type Modulation uint8

// The subcarrier modulations of IEEE 802.11-2016 Table 17-4.
const (
	BPSK Modulation = iota + 1
	QPSK
	QAM16
	QAM64
)

var modulationNames = [...]string{"", "BPSK", "QPSK", "16-QAM", "64-QAM"}

// String returns the usual name, e.g. "16-QAM".
func (m Modulation) String() string {
	if int(m) < len(modulationNames) && m != 0 {
		return modulationNames[m]
	}
	return "Modulation(" + strconv.Itoa(int(m)) + ")"
}

// CodeRate is the rate of the (punctured) convolutional code of an OFDM mode.
type CodeRate uint8

// The coding rates used by 802.11a (IEEE 802.11-2016 Table 17-4).
const (
	CodeRate1_2 CodeRate = iota + 1 // R = 1/2
	CodeRate2_3                     // R = 2/3
	CodeRate3_4                     // R = 3/4
)

// Ratio returns the code rate as a number (0.5, 2/3 or 0.75), or 0 if c is
// not a known rate.
func (c CodeRate) Ratio() float64 {
	switch c {
	case CodeRate1_2:
		return 1.0 / 2.0
	case CodeRate2_3:
		return 2.0 / 3.0
	case CodeRate3_4:
		return 3.0 / 4.0
	}
	return 0
}

// String returns the rate as a fraction, e.g. "3/4".
func (c CodeRate) String() string {
	switch c {
	case CodeRate1_2:
		return "1/2"
	case CodeRate2_3:
		return "2/3"
	case CodeRate3_4:
		return "3/4"
	}
	return "CodeRate(" + strconv.Itoa(int(c)) + ")"
}

// Mode is one of the eight 802.11a OFDM transmission modes on a 20 MHz
// channel (IEEE 802.11-2016 Table 17-4; ns-3 OfdmPhy's OfdmRate6Mbps ..
// OfdmRate54Mbps). It is a small value: compare it with ==, use it as a map
// key or an array index (0..NumModes-1), pass it by value.
//
// The zero value is OfdmRate6Mbps. Values outside 0..NumModes-1 are invalid:
// their accessors return zero values and Valid reports false.
type Mode uint8

// The 802.11a modes, in increasing order of data rate.
const (
	OfdmRate6Mbps  Mode = iota // BPSK 1/2, 24 data bits per symbol
	OfdmRate9Mbps              // BPSK 3/4, 36 data bits per symbol
	OfdmRate12Mbps             // QPSK 1/2, 48 data bits per symbol
	OfdmRate18Mbps             // QPSK 3/4, 72 data bits per symbol
	OfdmRate24Mbps             // 16-QAM 1/2, 96 data bits per symbol
	OfdmRate36Mbps             // 16-QAM 3/4, 144 data bits per symbol
	OfdmRate48Mbps             // 64-QAM 2/3, 192 data bits per symbol
	OfdmRate54Mbps             // 64-QAM 3/4, 216 data bits per symbol

	// NumModes is the number of 802.11a modes.
	NumModes = 8
)

// SignalMode is the mode of the SIGNAL (L-SIG) field of every 802.11a PPDU,
// whatever the payload mode (IEEE 802.11-2016 17.3.4; ns-3
// OfdmPhy::GetHeaderMode for 20 MHz).
const SignalMode = OfdmRate6Mbps

// UsableSubcarriers is the number of data subcarriers of a 20 MHz OFDM
// symbol (N_SD in IEEE 802.11-2016 Table 17-5; ns-3
// OfdmPhy::GetUsableSubcarriers).
const UsableSubcarriers = 48

// modeInfo holds what a Mode means. Everything is a constant of the
// standard; dataRate and phyRate are derived below in the same way ns-3
// OfdmPhy::CalculateDataRate and OfdmPhy::CalculatePhyRate do.
type modeInfo struct {
	name      string
	mod       Modulation
	m         uint16 // constellation size
	bpsc      uint8  // coded bits per subcarrier, N_BPSC
	rate      CodeRate
	ndbps     uint16 // data bits per OFDM symbol, N_DBPS
	mbps      uint8
	mandatory bool
	// tableMCS is the row of the ns-3 AWGN error tables used for this mode
	// (TableBasedErrorRateModel::GetMcsForMode), or -1 if ns-3 has none.
	tableMCS int8
}

// modes is indexed by Mode. The mandatory flags follow ns-3 OfdmPhy
// (GET_OFDM_MODE(OfdmRate6Mbps, true), ...) and IEEE 802.11-2016 17.1.1:
// 6, 12 and 24 Mb/s are mandatory.
var modes = [NumModes]modeInfo{
	{"OfdmRate6Mbps", BPSK, 2, 1, CodeRate1_2, 24, 6, true, 0},
	{"OfdmRate9Mbps", BPSK, 2, 1, CodeRate3_4, 36, 9, false, -1},
	{"OfdmRate12Mbps", QPSK, 4, 2, CodeRate1_2, 48, 12, true, 1},
	{"OfdmRate18Mbps", QPSK, 4, 2, CodeRate3_4, 72, 18, false, 2},
	{"OfdmRate24Mbps", QAM16, 16, 4, CodeRate1_2, 96, 24, true, 3},
	{"OfdmRate36Mbps", QAM16, 16, 4, CodeRate3_4, 144, 36, false, 4},
	{"OfdmRate48Mbps", QAM64, 64, 6, CodeRate2_3, 192, 48, false, 5},
	{"OfdmRate54Mbps", QAM64, 64, 6, CodeRate3_4, 216, 54, false, 6},
}

// Modes returns the eight 802.11a modes in increasing order of data rate.
// The result is an array (a copy), so ranging over it does not allocate.
func Modes() [NumModes]Mode {
	return [NumModes]Mode{
		OfdmRate6Mbps, OfdmRate9Mbps, OfdmRate12Mbps, OfdmRate18Mbps,
		OfdmRate24Mbps, OfdmRate36Mbps, OfdmRate48Mbps, OfdmRate54Mbps,
	}
}

// Valid reports whether m is one of the eight 802.11a modes.
func (m Mode) Valid() bool { return m < NumModes }

// info returns the description of m, or a zero description if m is invalid.
func (m Mode) info() *modeInfo {
	if m < NumModes {
		return &modes[m]
	}
	return &invalidModeInfo
}

// invalidModeInfo describes every invalid Mode: all zero, no error table.
// It is never written.
var invalidModeInfo = modeInfo{tableMCS: -1}

// String returns ns-3's unique name of the mode, e.g. "OfdmRate54Mbps".
func (m Mode) String() string {
	if m < NumModes {
		return modes[m].name
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// Modulation returns the subcarrier modulation.
func (m Mode) Modulation() Modulation { return m.info().mod }

// ConstellationSize returns the number of constellation points M
// (2, 4, 16 or 64), as ns-3's WifiMode::GetConstellationSize.
func (m Mode) ConstellationSize() int { return int(m.info().m) }

// CodedBitsPerSubcarrier returns N_BPSC = log2(M).
func (m Mode) CodedBitsPerSubcarrier() int { return int(m.info().bpsc) }

// CodeRate returns the convolutional coding rate.
func (m Mode) CodeRate() CodeRate { return m.info().rate }

// DataBitsPerSymbol returns N_DBPS, the number of data bits carried by one
// 4 µs OFDM symbol: 24, 36, 48, 72, 96, 144, 192 or 216.
func (m Mode) DataBitsPerSymbol() int { return int(m.info().ndbps) }

// CodedBitsPerSymbol returns N_CBPS = 48 subcarriers × N_BPSC.
func (m Mode) CodedBitsPerSymbol() int { return UsableSubcarriers * int(m.info().bpsc) }

// DataRate returns the data rate in bit/s (6e6 .. 54e6): N_DBPS bits every
// 4 µs (ns-3 WifiMode::GetDataRate).
func (m Mode) DataRate() uint64 { return uint64(m.info().mbps) * 1_000_000 }

// Mbps returns the data rate in Mb/s (6 .. 54).
func (m Mode) Mbps() int { return int(m.info().mbps) }

// PhyRate returns the coded bit rate in bit/s: the data rate divided by the
// code rate (12e6 for 6 and 9 Mb/s, ..., 72e6 for 48 and 54 Mb/s). This is
// ns-3's WifiMode::GetPhyRate (OfdmPhy::CalculatePhyRate), which the YANS
// error model uses to turn SNR into Eb/N0.
func (m Mode) PhyRate() uint64 {
	r := m.info().rate.Ratio()
	if r == 0 {
		return 0
	}
	// ns-3 truncates dataRate / codeRatio to an integer; it is exact for
	// every 802.11a mode.
	return uint64(float64(m.DataRate()) / r)
}

// IsMandatory reports whether every 802.11a station must support m
// (6, 12 and 24 Mb/s; IEEE 802.11-2016 17.1.1). These modes form the
// default basic rate set: ns-3 adds the mandatory modes to the BSS basic
// rate set (WifiRemoteStationManager::AddAllSupportedModes).
func (m Mode) IsMandatory() bool { return m.info().mandatory }

// ModeFromRate returns the mode whose data rate is mbps Mb/s. It fails for
// any rate that is not one of 6, 9, 12, 18, 24, 36, 48, 54.
func ModeFromRate(mbps int) (Mode, error) {
	for i := range modes {
		if int(modes[i].mbps) == mbps {
			return Mode(i), nil
		}
	}
	return 0, fmt.Errorf("mac80211: no 802.11a OFDM mode at %d Mb/s (want 6, 9, 12, 18, 24, 36, 48 or 54)", mbps)
}

// ModeFromName returns the mode with ns-3's unique name, e.g.
// "OfdmRate54Mbps", so that ns-3 configurations (DataMode, ControlMode)
// carry over.
func ModeFromName(name string) (Mode, error) {
	for i := range modes {
		if modes[i].name == name {
			return Mode(i), nil
		}
	}
	return 0, fmt.Errorf("mac80211: unknown 802.11a OFDM mode %q (want OfdmRate6Mbps .. OfdmRate54Mbps)", name)
}

// ControlResponseMode returns the mode of a control response (ACK or CTS)
// to a frame received in mode data: the highest mandatory (basic) rate not
// faster than data, i.e. 6 -> 6, 9 -> 6, 12 -> 12, 18 -> 12 and 24..54 -> 24
// Mb/s (IEEE 802.11-2016 10.6.6.5.2; ns-3
// WifiRemoteStationManager::GetControlAnswerMode with the mandatory modes as
// the basic rate set). An invalid data mode gives SignalMode.
func ControlResponseMode(data Mode) Mode {
	if data >= NumModes {
		return SignalMode
	}
	for m := data; ; m-- {
		if modes[m].mandatory {
			return m
		}
		if m == 0 {
			return SignalMode
		}
	}
}
