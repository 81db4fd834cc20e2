package mac80211

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUnitConversions(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"0 dB", DbToRatio(0), 1},
		{"10 dB", DbToRatio(10), 10},
		{"-20 dB", DbToRatio(-20), 0.01},
		{"3 dB", DbToRatio(3), math.Pow(10, 0.3)},
		{"ratio 100", RatioToDb(100), 20},
		{"ratio 0.5", RatioToDb(0.5), -3.010299956639812},
		{"30 dBm", DbmToW(30), 1},
		{"0 dBm", DbmToW(0), 1e-3},
		{"-90 dBm", DbmToW(-90), 1e-12},
		{"1 W", WToDbm(1), 30},
		{"1 mW", WToDbm(1e-3), 0},
		{"16.0206 dBm", WToDbm(0.04), 16.020599913279625},
	}
	for _, tc := range tests {
		assert.InDelta(t, tc.want, tc.got, 1e-12*math.Max(1, math.Abs(tc.want)), tc.name)
	}
	for _, db := range []float64{-100, -3.5, 0, 7, 42.25} {
		assert.InDelta(t, db, RatioToDb(DbToRatio(db)), 1e-12)
		assert.InDelta(t, db, WToDbm(DbmToW(db)), 1e-12)
	}
	assert.True(t, math.IsInf(RatioToDb(0), -1))
}

func TestNoise(t *testing.T) {
	// k·T0 with ns-3's constant: -173.977 dBm/Hz.
	assert.InDelta(t, -173.977, WToDbm(ThermalNoiseW(1)), 1e-3)
	// Over 20 MHz: -100.966 dBm; with the 7 dB noise figure: -93.966 dBm.
	assert.InDelta(t, -100.966, WToDbm(ThermalNoiseW(ChannelWidthHz)), 1e-3)
	nf := NoiseFloorW(DefaultNoiseFigureDb, ChannelWidthHz)
	assert.InDelta(t, -93.966, WToDbm(nf), 1e-3)
	// Exactly ns-3's InterferenceHelper::CalculateSnr arithmetic.
	assert.Equal(t, DbToRatio(7)*(1.3803e-23*290*20e6), nf)

	tests := []struct {
		name                  string
		signal, noise, interf float64
		want                  float64
	}{
		{"noise only", DbmToW(-74), DbmToW(-94), 0, 100},
		{"equal interference", 1e-9, 1e-10, 1e-10, 5},
		{"no signal", 0, 1e-10, 1e-9, 0},
	}
	for _, tc := range tests {
		assert.InDelta(t, tc.want, SINR(tc.signal, tc.noise, tc.interf), 1e-9*math.Max(1, tc.want), tc.name)
	}
}
