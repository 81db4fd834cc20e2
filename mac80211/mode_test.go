package mac80211

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModeParameters(t *testing.T) {
	// IEEE 802.11-2016 Table 17-4 (20 MHz); PhyRate = data rate / code rate
	// as ns-3 OfdmPhy::CalculatePhyRate.
	tests := []struct {
		mode      Mode
		name      string
		mod       Modulation
		m, bpsc   int
		rate      CodeRate
		ratio     float64
		ndbps     int
		ncbps     int
		mbps      int
		phyRate   uint64
		mandatory bool
		tableMCS  int
		hasTable  bool
	}{
		{OfdmRate6Mbps, "OfdmRate6Mbps", BPSK, 2, 1, CodeRate1_2, 0.5, 24, 48, 6, 12e6, true, 0, true},
		{OfdmRate9Mbps, "OfdmRate9Mbps", BPSK, 2, 1, CodeRate3_4, 0.75, 36, 48, 9, 12e6, false, -1, false},
		{OfdmRate12Mbps, "OfdmRate12Mbps", QPSK, 4, 2, CodeRate1_2, 0.5, 48, 96, 12, 24e6, true, 1, true},
		{OfdmRate18Mbps, "OfdmRate18Mbps", QPSK, 4, 2, CodeRate3_4, 0.75, 72, 96, 18, 24e6, false, 2, true},
		{OfdmRate24Mbps, "OfdmRate24Mbps", QAM16, 16, 4, CodeRate1_2, 0.5, 96, 192, 24, 48e6, true, 3, true},
		{OfdmRate36Mbps, "OfdmRate36Mbps", QAM16, 16, 4, CodeRate3_4, 0.75, 144, 192, 36, 48e6, false, 4, true},
		{OfdmRate48Mbps, "OfdmRate48Mbps", QAM64, 64, 6, CodeRate2_3, 2.0 / 3.0, 192, 288, 48, 72e6, false, 5, true},
		{OfdmRate54Mbps, "OfdmRate54Mbps", QAM64, 64, 6, CodeRate3_4, 0.75, 216, 288, 54, 72e6, false, 6, true},
	}
	require.Len(t, tests, NumModes)
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.mode
			assert.Equal(t, Modes()[i], m)
			assert.True(t, m.Valid())
			assert.Equal(t, tc.name, m.String())
			assert.Equal(t, tc.mod, m.Modulation())
			assert.Equal(t, tc.m, m.ConstellationSize())
			assert.Equal(t, tc.bpsc, m.CodedBitsPerSubcarrier())
			assert.Equal(t, tc.rate, m.CodeRate())
			assert.Equal(t, tc.ratio, m.CodeRate().Ratio())
			assert.Equal(t, tc.ndbps, m.DataBitsPerSymbol())
			assert.Equal(t, tc.ncbps, m.CodedBitsPerSymbol())
			assert.Equal(t, tc.mbps, m.Mbps())
			assert.Equal(t, uint64(tc.mbps)*1_000_000, m.DataRate())
			assert.Equal(t, tc.phyRate, m.PhyRate())
			assert.Equal(t, tc.mandatory, m.IsMandatory())
			// Consistency of the standard's parameters.
			assert.Equal(t, 1<<tc.bpsc, tc.m)
			assert.InDelta(t, float64(tc.ncbps)*tc.ratio, float64(tc.ndbps), 1e-9)
			assert.Equal(t, uint64(tc.ndbps)*250_000, m.DataRate(), "N_DBPS bits every 4 µs")
			mcs, ok := TableMCS(m)
			assert.Equal(t, tc.hasTable, ok)
			if ok {
				assert.Equal(t, tc.tableMCS, mcs)
			}
		})
	}
}

func TestModeFromRate(t *testing.T) {
	tests := []struct {
		mbps    int
		want    Mode
		wantErr bool
	}{
		{6, OfdmRate6Mbps, false},
		{9, OfdmRate9Mbps, false},
		{12, OfdmRate12Mbps, false},
		{18, OfdmRate18Mbps, false},
		{24, OfdmRate24Mbps, false},
		{36, OfdmRate36Mbps, false},
		{48, OfdmRate48Mbps, false},
		{54, OfdmRate54Mbps, false},
		{0, 0, true},
		{-6, 0, true},
		{11, 0, true},
		{1, 0, true},
		{540, 0, true},
	}
	for _, tc := range tests {
		got, err := ModeFromRate(tc.mbps)
		if tc.wantErr {
			assert.Error(t, err, "rate %d", tc.mbps)
			continue
		}
		require.NoError(t, err, "rate %d", tc.mbps)
		assert.Equal(t, tc.want, got)
	}
}

func TestModeFromName(t *testing.T) {
	for _, m := range Modes() {
		got, err := ModeFromName(m.String())
		require.NoError(t, err)
		assert.Equal(t, m, got)
	}
	for _, bad := range []string{"", "OfdmRate5Mbps", "ofdmrate6mbps", "DsssRate1Mbps", "OfdmRate6MbpsBW10MHz"} {
		_, err := ModeFromName(bad)
		assert.Error(t, err, bad)
	}
}

func TestControlResponseMode(t *testing.T) {
	tests := []struct{ data, want Mode }{
		{OfdmRate6Mbps, OfdmRate6Mbps},
		{OfdmRate9Mbps, OfdmRate6Mbps},
		{OfdmRate12Mbps, OfdmRate12Mbps},
		{OfdmRate18Mbps, OfdmRate12Mbps},
		{OfdmRate24Mbps, OfdmRate24Mbps},
		{OfdmRate36Mbps, OfdmRate24Mbps},
		{OfdmRate48Mbps, OfdmRate24Mbps},
		{OfdmRate54Mbps, OfdmRate24Mbps},
		{Mode(200), SignalMode},
	}
	for _, tc := range tests {
		got := ControlResponseMode(tc.data)
		assert.Equal(t, tc.want, got, "data %v", tc.data)
		assert.True(t, got.IsMandatory())
		if tc.data.Valid() {
			assert.LessOrEqual(t, got.DataRate(), tc.data.DataRate())
		}
	}
}

func TestInvalidMode(t *testing.T) {
	m := Mode(NumModes)
	assert.False(t, m.Valid())
	assert.Equal(t, "Mode(8)", m.String())
	assert.Zero(t, m.Modulation())
	assert.Zero(t, m.ConstellationSize())
	assert.Zero(t, m.CodeRate())
	assert.Zero(t, m.DataBitsPerSymbol())
	assert.Zero(t, m.CodedBitsPerSymbol())
	assert.Zero(t, m.DataRate())
	assert.Zero(t, m.PhyRate())
	assert.False(t, m.IsMandatory())
	_, ok := TableMCS(m)
	assert.False(t, ok)
}

func TestModulationAndCodeRateStrings(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{BPSK.String(), "BPSK"},
		{QPSK.String(), "QPSK"},
		{QAM16.String(), "16-QAM"},
		{QAM64.String(), "64-QAM"},
		{Modulation(0).String(), "Modulation(0)"},
		{Modulation(9).String(), "Modulation(9)"},
		{CodeRate1_2.String(), "1/2"},
		{CodeRate2_3.String(), "2/3"},
		{CodeRate3_4.String(), "3/4"},
		{CodeRate(7).String(), "CodeRate(7)"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.got)
	}
	assert.Zero(t, CodeRate(0).Ratio())
}
