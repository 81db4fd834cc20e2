package mac80211

import (
	"math/bits"

	"github.com/netgym/netgym/sim"
)

// 802.11a PPDU timing for a 20 MHz channel (IEEE 802.11-2016 Table 17-5,
// Figure 17-4; ns-3 OfdmPhy::GetPreambleDuration, GetHeaderDuration and
// GetPayloadDuration).
const (
	// PreambleDuration is the PLCP preamble: 10 short + 2 long training
	// symbols (L-STF + L-LTF), 16 µs.
	PreambleDuration = 16 * sim.Microsecond
	// SignalDuration is the SIGNAL (L-SIG) field: one BPSK 1/2 symbol, 4 µs.
	SignalDuration = 4 * sim.Microsecond
	// PreambleAndSignalDuration is everything before the DATA field, 20 µs.
	PreambleAndSignalDuration = PreambleDuration + SignalDuration
	// SymbolDuration is one OFDM symbol including its guard interval, 4 µs.
	SymbolDuration = 4 * sim.Microsecond
	// ServiceBits is the length of the SERVICE field that opens the DATA
	// field and is sent in the payload mode.
	ServiceBits = 16
	// TailBits is the length of the convolutional-code tail that closes the
	// DATA field.
	TailBits = 6
	// MaxPSDUSize is the largest 802.11a PSDU in bytes (aPSDUMaxLength,
	// IEEE 802.11-2016 Table 17-21; ns-3 OfdmPhy::GetMaxPsduSize).
	MaxPSDUSize = 4095
)

// 802.11a MAC timing (IEEE 802.11-2016 Table 17-21 and 10.3.2.3; ns-3
// WifiPhy::Configure80211a and ChannelAccessManager).
const (
	// SIFS is the short interframe space, 16 µs.
	SIFS = 16 * sim.Microsecond
	// Slot is the slot time, 9 µs.
	Slot = 9 * sim.Microsecond
	// PIFS is the PCF interframe space, SIFS + Slot = 25 µs.
	PIFS = SIFS + Slot
	// DIFS is the DCF interframe space, SIFS + 2 × Slot = 34 µs.
	DIFS = SIFS + 2*Slot
	// ACKTxTime is the EstimatedAckTxTime used to compute EIFS: an ACK at
	// 6 Mb/s, 44 µs (IEEE 802.11-2016 Table 10-5; ns-3 m_ackTxTime).
	ACKTxTime = 44 * sim.Microsecond
	// EIFS is the extended interframe space used after a frame received
	// with errors: SIFS + ACKTxTime + DIFS = 94 µs (IEEE 802.11-2016
	// 10.3.2.3.7; ns-3 ChannelAccessManager::GetEifsNoDifs plus the AIFS).
	EIFS = SIFS + ACKTxTime + DIFS
	// CWMin is the minimum contention window, in slots.
	CWMin = 15
	// CWMax is the maximum contention window, in slots.
	CWMax = 1023
)

// Frame and header sizes in bytes (IEEE 802.11-2016 9.3; ns-3
// GetAckSize, GetCtsSize, GetRtsSize in wifi-utils.cc). Control frame sizes
// include the FCS.
const (
	// ACKSize is an ACK frame: frame control, duration, RA, FCS.
	ACKSize = 14
	// CTSSize is a CTS frame: frame control, duration, RA, FCS.
	CTSSize = 14
	// RTSSize is an RTS frame: frame control, duration, RA, TA, FCS.
	RTSSize = 20
	// MACHeaderSize is the MAC header of a (non-QoS) data frame.
	MACHeaderSize = 24
	// FCSSize is the frame check sequence that closes every MPDU.
	FCSSize = 4
	// LLCSNAPSize is the LLC/SNAP header in front of an IP packet.
	LLCSNAPSize = 8
)

// NumSymbols returns the number of OFDM symbols in the DATA field of a
// PSDU of size bytes sent in mode m:
// ceil((ServiceBits + 8×size + TailBits) / N_DBPS)
// (IEEE 802.11-2016 Equation 17-11; ns-3 OfdmPhy::GetPayloadDuration).
// A negative size counts as 0; an invalid mode gives 0.
func NumSymbols(size int, m Mode) int {
	ndbps := m.DataBitsPerSymbol()
	if ndbps == 0 {
		return 0
	}
	if size < 0 {
		size = 0
	}
	nbits := ServiceBits + 8*size + TailBits
	return (nbits + ndbps - 1) / ndbps
}

// PayloadDuration returns the duration of the DATA field (SERVICE, PSDU,
// tail and pad bits) of a PSDU of size bytes in mode m: NumSymbols × 4 µs.
// 802.11a runs at 5 GHz, so there is no signal extension. A negative size
// counts as 0; an invalid mode gives 0.
func PayloadDuration(size int, m Mode) sim.Time {
	return sim.Time(NumSymbols(size, m)) * SymbolDuration
}

// FrameDuration returns the airtime of a PPDU carrying a PSDU (an MPDU,
// FCS included) of size bytes in mode m: preamble and SIGNAL (20 µs) plus
// the DATA field, 20 µs + 4 µs × ceil((16 + 8×size + 6) / N_DBPS). This is
// ns-3's WifiPhy::CalculateTxDuration for 802.11a. A negative size counts
// as 0; an invalid mode gives 0.
func FrameDuration(size int, m Mode) sim.Time {
	if !m.Valid() {
		return 0
	}
	return PreambleAndSignalDuration + PayloadDuration(size, m)
}

// ChunkBits returns how many bits mode m carries in d: floor(DataRate × d).
// This is the nbits that an interference tracker passes to
// ErrorRateModel.ChunkSuccessRate for a stretch of constant SINR (ns-3
// InterferenceHelper::CalculateChunkSuccessRate); for a whole DATA field it
// is NumSymbols × N_DBPS. ns-3 computes the product in floating point and
// may come out one bit short on some durations; ChunkBits is exact.
// A non-positive d or an invalid mode gives 0.
func ChunkBits(m Mode, d sim.Time) uint64 {
	if d <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(m.DataRate(), uint64(d))
	// hi < 1e9 because DataRate <= 54e6 and d < 2^63, so Div64 cannot panic.
	q, _ := bits.Div64(hi, lo, uint64(sim.Second))
	return q
}
