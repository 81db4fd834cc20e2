package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTimeConversionsSaturate(t *testing.T) {
	tests := []struct {
		name string
		got  Time
		want Time
	}{
		{"seconds in range", Seconds(1.5), 1500 * Millisecond},
		{"ms in range", Milliseconds(0.25), 250 * Microsecond},
		{"us rounds", Microseconds(1.0004), 1000},
		{"largest seconds", Seconds(9.2e9), Time(9.2e18)},
		{"seconds too large", Seconds(1e300), MaxTime},
		{"seconds +Inf", Seconds(math.Inf(1)), MaxTime},
		{"seconds too small", Seconds(-1e300), MinTime},
		{"ms -Inf", Milliseconds(math.Inf(-1)), MinTime},
		{"ms just past 2^63 ns", Milliseconds(9.3e12), MaxTime},
		{"NaN", Seconds(math.NaN()), 0},
		{"us huge", Microseconds(1e17), MaxTime},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { require.Equal(t, tc.want, tc.got) })
	}
}

func TestFromFloat(t *testing.T) {
	tests := []struct {
		value float64
		unit  Time
		want  Time
		err   string
	}{
		{1.5, Second, 1500 * Millisecond, ""},
		{0.001, Millisecond, Microsecond, ""},
		{-2, Microsecond, -2 * Microsecond, ""},
		{1e300, Second, 0, "outside the simulated time range"},
		{9.3e9, Second, 0, "outside the simulated time range"},
		{math.Inf(1), Millisecond, 0, "outside"},
		{math.NaN(), Second, 0, "outside"},
		{1, 0, 0, "unit"},
	}
	for _, tc := range tests {
		got, err := FromFloat(tc.value, tc.unit)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, "%g x %v", tc.value, tc.unit)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tc.want, got)
	}
}

func TestTimeAddMulSaturate(t *testing.T) {
	require.Equal(t, 3*Second, Second.Add(2*Second))
	require.Equal(t, MaxTime, (MaxTime - 1).Add(5))
	require.Equal(t, MinTime, (MinTime + 1).Add(-5))
	require.Equal(t, 6*Second, (2 * Second).Mul(3))
	require.Equal(t, MaxTime, Second.Mul(math.MaxInt64))
	require.Equal(t, MinTime, Second.Mul(-math.MaxInt64))
	require.Equal(t, MaxTime, (-Second).Mul(math.MinInt64))
	require.Equal(t, Time(0), MaxTime.Mul(0))
}

func TestScheduleNilFunction(t *testing.T) {
	s := New(1, 1)
	_, err := s.ScheduleAt(Second, nil)
	require.ErrorContains(t, err, "nil function")
	_, err = s.ScheduleAtWith(Second, nil, nil)
	require.ErrorContains(t, err, "nil handler")
	require.Panics(t, func() { s.Schedule(Second, nil) })
	require.Panics(t, func() { s.ScheduleWith(Second, nil, nil) })
	require.Zero(t, s.Pending(), "nothing was queued")
	s.Run() // and nothing panics later
}

func TestEventIDOfAnotherSimulatorIsIgnored(t *testing.T) {
	a, b := New(1, 1), New(1, 1)
	ranA, ranB := false, false
	idA := a.Schedule(Second, func() { ranA = true })
	idB := b.Schedule(Second, func() { ranB = true })
	require.Equal(t, idA.Time(), idB.Time())
	require.False(t, b.IsPending(idA))
	require.False(t, b.Cancel(idA), "a's id must not cancel b's event with the same time and sequence")
	require.True(t, b.IsPending(idB))
	a.Run()
	b.Run()
	require.True(t, ranA)
	require.True(t, ranB)
}

func TestStreamFor(t *testing.T) {
	s := New(3, 2)
	require.Equal(t, s.Stream("traffic/4").Uint64(), s.StreamFor("traffic", 4).Uint64())
	require.NotEqual(t, s.StreamFor("traffic", 4).Uint64(), s.StreamFor("traffic", 5).Uint64())
}

// PCGFor is StreamFor's generator as a value: the same draws, whether
// through a rand.Rand on it or straight from it.
func TestPCGForDrawsAsStreamFor(t *testing.T) {
	s := New(7, 3)
	want := s.StreamFor("mac80211/phy", 12)
	pcg := s.PCGFor("mac80211/phy", 12)
	viaRand := rand.New(&pcg)
	direct := s.PCGFor("mac80211/phy", 12)
	for i := range 1000 {
		w := want.Float64()
		require.Equal(t, w, viaRand.Float64(), "draw %d", i)
		require.Equal(t, w, float64(direct.Uint64()<<11>>11)/(1<<53), "draw %d", i)
	}
	other := s.PCGFor("mac80211/phy", 13)
	require.NotEqual(t, s.StreamFor("mac80211/phy", 12).Uint64(), other.Uint64())
}
