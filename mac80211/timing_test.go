package mac80211

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/netgym/netgym/sim"
)

func TestTimingConstants(t *testing.T) {
	us := sim.Microsecond
	tests := []struct {
		name      string
		got, want sim.Time
	}{
		{"preamble", PreambleDuration, 16 * us},
		{"signal", SignalDuration, 4 * us},
		{"preamble+signal", PreambleAndSignalDuration, 20 * us},
		{"symbol", SymbolDuration, 4 * us},
		{"SIFS", SIFS, 16 * us},
		{"slot", Slot, 9 * us},
		{"PIFS", PIFS, 25 * us},
		{"DIFS", DIFS, 34 * us},
		{"ACKTxTime", ACKTxTime, 44 * us},
		{"EIFS", EIFS, 94 * us},
		// EIFS = SIFS + (ACK at the lowest rate) + DIFS, 10.3.2.3.7.
		{"EIFS from ACK airtime", EIFS, SIFS + FrameDuration(ACKSize, OfdmRate6Mbps) + DIFS},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.got, tc.name)
	}
	assert.Equal(t, 15, CWMin)
	assert.Equal(t, 1023, CWMax)
	assert.Equal(t, 16, ServiceBits)
	assert.Equal(t, 6, TailBits)
	assert.Equal(t, 1536, MACHeaderSize+LLCSNAPSize+1500+FCSSize)
}

func TestFrameDurationFormula(t *testing.T) {
	sizes := []int{0, 1, 2, 3, 14, 20, 28, 32, 64, 100, 399, 400, 1000, 1458, 1500, 1536, 2304, MaxPSDUSize}
	for _, m := range Modes() {
		for _, size := range sizes {
			bitsTotal := float64(ServiceBits + 8*size + TailBits)
			nsym := math.Ceil(bitsTotal / float64(m.DataBitsPerSymbol()))
			want := sim.Microseconds(20 + 4*nsym)
			assert.Equal(t, want, FrameDuration(size, m), "%v size %d", m, size)
			assert.Equal(t, want-PreambleAndSignalDuration, PayloadDuration(size, m), "%v size %d", m, size)
			assert.Equal(t, int(nsym), NumSymbols(size, m), "%v size %d", m, size)
			// The DATA field carries all the bits, with fewer than one
			// symbol of padding.
			capacity := NumSymbols(size, m) * m.DataBitsPerSymbol()
			assert.GreaterOrEqual(t, capacity, int(bitsTotal))
			assert.Less(t, capacity-int(bitsTotal), m.DataBitsPerSymbol())
		}
	}
}

func TestFrameDurationHandValues(t *testing.T) {
	us := sim.Microsecond
	tests := []struct {
		name string
		size int
		mode Mode
		want sim.Time
	}{
		// 16+112+6 = 134 bits: 6 symbols of 24 bits.
		{"ACK at 6 Mb/s", ACKSize, OfdmRate6Mbps, 44 * us},
		{"CTS at 6 Mb/s", CTSSize, OfdmRate6Mbps, 44 * us},
		// 134 bits: 2 symbols of 96 bits.
		{"ACK at 24 Mb/s", ACKSize, OfdmRate24Mbps, 28 * us},
		// 134 bits: 3 symbols of 48 bits.
		{"ACK at 12 Mb/s", ACKSize, OfdmRate12Mbps, 32 * us},
		// 16+160+6 = 182 bits: 8 symbols of 24 bits.
		{"RTS at 6 Mb/s", RTSSize, OfdmRate6Mbps, 52 * us},
		// 16+12288+6 = 12310 bits: 57 symbols of 216 bits.
		{"1536 B at 54 Mb/s", 1536, OfdmRate54Mbps, 248 * us},
		// 12310 bits: 513 symbols of 24 bits.
		{"1536 B at 6 Mb/s", 1536, OfdmRate6Mbps, 2072 * us},
		// 22 bits: one symbol.
		{"empty PSDU", 0, OfdmRate54Mbps, 24 * us},
		{"negative size counts as 0", -5, OfdmRate54Mbps, 24 * us},
		{"invalid mode", 100, Mode(9), 0},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, FrameDuration(tc.size, tc.mode), tc.name)
	}
	assert.Zero(t, PayloadDuration(100, Mode(9)))
	assert.Zero(t, NumSymbols(100, Mode(9)))
}

func TestChunkBits(t *testing.T) {
	us := sim.Microsecond
	tests := []struct {
		name string
		mode Mode
		d    sim.Time
		want uint64
	}{
		{"SIGNAL field", SignalMode, SignalDuration, 24},
		{"one symbol at 54", OfdmRate54Mbps, SymbolDuration, 216},
		{"57 symbols at 54", OfdmRate54Mbps, 57 * SymbolDuration, 57 * 216},
		// 6e6 b/s × 17.5 µs = 105 exactly (a float product gives 104).
		{"exact, not float", OfdmRate6Mbps, 17500 * sim.Nanosecond, 105},
		{"floor", OfdmRate6Mbps, 1 * us, 6},
		{"below one bit", OfdmRate6Mbps, 100 * sim.Nanosecond, 0},
		{"zero", OfdmRate54Mbps, 0, 0},
		{"negative", OfdmRate54Mbps, -us, 0},
		{"an hour", OfdmRate54Mbps, 3600 * sim.Second, 54e6 * 3600},
		{"max time", OfdmRate54Mbps, sim.MaxTime, 498062089990157893},
		{"invalid mode", Mode(8), us, 0},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, ChunkBits(tc.mode, tc.d), tc.name)
	}
	for _, m := range Modes() {
		for _, size := range []int{0, 14, 1500} {
			assert.Equal(t, uint64(NumSymbols(size, m)*m.DataBitsPerSymbol()),
				ChunkBits(m, PayloadDuration(size, m)), "%v size %d", m, size)
		}
	}
}
