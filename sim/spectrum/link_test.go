package spectrum

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// rbChannel is a toy NR per-link object: a gain per resource block,
// computed once per link and update period, as an NR PHY would keep TR
// 38.901 fast fading with beamforming gains.
type rbChannel struct {
	gain []float64 // linear, per RB
	at   sim.Time  // when it was computed
}

const numRBs = 4

// rbUpdate is the toy's LinkModel.Update: a deterministic per-RB gain from
// the link's ids and distance, reusing the slice.
func rbUpdate(calls *int) func(c *rbChannel, l *propagation.Link) {
	return func(c *rbChannel, l *propagation.Link) {
		*calls++
		if c.gain == nil {
			c.gain = make([]float64, numRBs)
		}
		for rb := range c.gain {
			c.gain[rb] = 1 + float64(rb)/10 + float64(l.Tx.ID)/100 + l.Distance3D()/1e6
		}
		c.at = l.Now
	}
}

// rbReceiver is a toy NR receiver: per-RB SINR from the scalar received
// power and the per-link gains, over a fixed noise per RB.
type rbReceiver struct {
	sinr [numRBs]float64
}

func (r *rbReceiver) receive(d *Delivery[rbChannel], noiseW float64) {
	for rb, g := range d.Link.gain {
		r.sinr[rb] = d.RxW * g / noiseW
	}
}

func TestLinkObjects(t *testing.T) {
	s := sim.New(1, 1)
	calls := 0
	cfg := ld3()
	m, err := New(s, cfg, LinkModel[rbChannel]{Update: rbUpdate(&calls), Period: 10 * sim.Millisecond})
	require.NoError(t, err)
	gnb, err := m.Attach(Attachment{Mobility: at(0, 0), TxPowerDbm: 30})
	require.NoError(t, err)
	uePos := mobility.NewConstantPosition(mobility.Vector{X: 100})
	ue1, err := m.Attach(Attachment{Mobility: uePos, TxPowerDbm: 23})
	require.NoError(t, err)
	ue2, err := m.Attach(Attachment{Mobility: at(0, 50), TxPowerDbm: 23})
	require.NoError(t, err)
	rx := map[int]*rbReceiver{ue1: {}, ue2: {}}
	noise := DbmToW(-174 + 10*math.Log10(180e3) + 7) // kT per 180 kHz RB, NF 7 dB

	transmit := func(want int) []Delivery[rbChannel] {
		t.Helper()
		ds, err := m.Transmit(gnb)
		require.NoError(t, err)
		for i := range ds {
			rx[ds[i].Rx].receive(&ds[i], noise)
		}
		require.Equal(t, want, calls)
		require.Equal(t, uint64(want), m.Stats().LinkUpdates)
		return ds
	}

	// First transmission: one computation per link.
	ds := transmit(2)
	require.Len(t, ds, 2)
	require.Equal(t, []float64{1 + 100.0/1e6, 1.1 + 100.0/1e6, 1.2 + 100.0/1e6, 1.3 + 100.0/1e6}, ds[0].Link.gain)
	first := ds[0].Link
	// 30 dBm - 46.6777 - 60 dB at 100 m; RB 2 gains 1.2 + 1e-4.
	wantSinr := DbmToW(30-46.6777-60) * (1.2 + 1e-4) / noise
	require.InDelta(t, wantSinr, rx[ue1].sinr[2], 1e-9*wantSinr)
	require.InDelta(t, 10*math.Log10(wantSinr), RatioToDb(rx[ue1].sinr[2]), 1e-9)

	// Reused across transmissions within the period, and the same memory.
	for range 5 {
		s.RunUntil(s.Now() + sim.Millisecond)
		ds = transmit(2)
	}
	require.Same(t, first, ds[0].Link)
	require.Equal(t, sim.Time(0), ds[0].Link.at)

	// Power control does not redraw the channel.
	require.NoError(t, m.SetTxPower(gnb, 20))
	ds = transmit(2)
	require.InDelta(t, 20-46.6777-60, ds[0].RxDbm, 1e-9)

	// Movement of ue1 recomputes its link only.
	uePos.SetPosition(s.Now(), mobility.Vector{X: 200})
	ds = transmit(3)
	require.Equal(t, 1+200.0/1e6, ds[0].Link.gain[0])
	require.Equal(t, s.Now(), ds[0].Link.at)

	// The period: still valid at exactly 10 ms after the computation (ns-3
	// updates when now - generated > period), recomputed 1 ns later.
	s.RunUntil(10 * sim.Millisecond)
	transmit(3) // ue2's link computed at 0: 10 ms old, not older
	s.RunUntil(10*sim.Millisecond + 1)
	transmit(4) // ue2's link expires; ue1's (computed at 5 ms) does not
	s.RunUntil(15*sim.Millisecond + 1)
	transmit(5)

	// The radio invalidates links after a beam change.
	require.NoError(t, m.InvalidateLinks(ue2))
	transmit(6)
	// Refresh expires everything.
	m.Refresh()
	transmit(8)

	// The reverse direction is its own link.
	ds, err = m.Transmit(ue1)
	require.NoError(t, err)
	require.Len(t, ds, 2)
	require.Equal(t, 10, calls)
	require.InDelta(t, 1+0.01+200.0/1e6, ds[0].Link.gain[0], 1e-15)

	// Recomputation reuses the object's memory: no allocation.
	allocs := testing.AllocsPerRun(50, func() {
		_ = m.InvalidateLinks(gnb)
		_, _ = m.Transmit(gnb)
	})
	require.Zero(t, allocs)
}

func TestLinkObjectsKeepOnMove(t *testing.T) {
	tests := []struct {
		name       string
		keepOnMove bool
		want       int
	}{
		{"recompute on move", false, 3},
		{"keep on move", true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := sim.New(1, 1)
			calls := 0
			m, err := New(s, DefaultConfig(), LinkModel[rbChannel]{Update: rbUpdate(&calls), KeepOnMove: tc.keepOnMove})
			require.NoError(t, err)
			_, err = m.Attach(Attachment{Mobility: at(0, 0), TxPowerDbm: 30})
			require.NoError(t, err)
			// A UE walking at 1 m/s: its position differs at each
			// transmission.
			_, err = m.Attach(Attachment{Mobility: mobility.NewConstantVelocity(mobility.Vector{X: 10}, mobility.Vector{X: 1}, 0)})
			require.NoError(t, err)
			for range 3 {
				s.RunUntil(s.Now() + sim.Second)
				ds, err := m.Transmit(0)
				require.NoError(t, err)
				require.Len(t, ds, 1)
			}
			require.Equal(t, tc.want, calls)
		})
	}
}

// bigChannel is a per-link object large enough that the dense table gives
// way to a map after 16 radios (32 × 32 × 64 KiB > 32 MiB).
type bigChannel struct{ gain [8192]float64 }

func TestLinkTableGoesSparse(t *testing.T) {
	s := sim.New(1, 1)
	calls := 0
	m, err := New(s, DefaultConfig(), LinkModel[bigChannel]{Update: func(c *bigChannel, l *propagation.Link) {
		calls++
		c.gain[0] = float64(l.Tx.ID*100 + l.Rx.ID)
		c.gain[8191] = float64(calls)
	}})
	require.NoError(t, err)
	attach := func(n int) {
		for range n {
			_, err := m.Attach(Attachment{Mobility: at(float64(m.Len()), 0)})
			require.NoError(t, err)
		}
	}
	attach(10)
	ds, err := m.Transmit(3)
	require.NoError(t, err)
	require.Len(t, ds, 9)
	require.Equal(t, 9, calls)
	require.Nil(t, m.links.sparse)
	attach(20)
	require.NotNil(t, m.links.sparse, "30 radios of 64 KiB links do not fit densely")
	ds, err = m.Transmit(3)
	require.NoError(t, err)
	require.Len(t, ds, 29)
	require.Equal(t, 29, calls, "the 9 objects computed before survive the change")
	for _, d := range ds {
		require.Equal(t, float64(300+d.Rx), d.Link.gain[0])
	}
	require.Equal(t, 1.0, ds[0].Link.gain[8191], "link 3->0 was the first computed")
	require.NoError(t, m.InvalidateLinks(0))
	require.NoError(t, m.Detach(5))
	ds, err = m.Transmit(3)
	require.NoError(t, err)
	require.Len(t, ds, 28)
	require.Equal(t, 30, calls, "only link 3->0 was recomputed")
	require.Len(t, m.links.sparse, 28, "5's links are forgotten")
	_, err = m.Transmit(7)
	require.NoError(t, err)
	require.Equal(t, 58, calls)
	require.NoError(t, m.Detach(3))
	require.Len(t, m.links.sparse, 27, "3's links are forgotten: 28 from it, 7->3")
}

func TestLinkTableGrowsDense(t *testing.T) {
	s := sim.New(1, 1)
	calls := 0
	m, err := New(s, DefaultConfig(), LinkModel[rbChannel]{Update: rbUpdate(&calls)})
	require.NoError(t, err)
	attach := func(n int) {
		for range n {
			_, err := m.Attach(Attachment{Mobility: at(float64(m.Len()), 0)})
			require.NoError(t, err)
		}
	}
	attach(5)
	_, err = m.Transmit(4)
	require.NoError(t, err)
	require.Equal(t, 4, calls)
	require.Equal(t, 8, m.links.stride)
	s.RunUntil(sim.Second)
	attach(10)
	require.Equal(t, 16, m.links.stride)
	ds, err := m.Transmit(4)
	require.NoError(t, err)
	require.Len(t, ds, 14)
	require.Equal(t, 14, calls, "the 4 objects computed before the growth are kept")
	require.Equal(t, sim.Time(0), ds[0].Link.at)
	require.Equal(t, sim.Second, ds[4].Link.at)
	// Detaching a receiver drops its links; the others stay.
	require.NoError(t, m.Detach(0))
	ds, err = m.Transmit(4)
	require.NoError(t, err)
	require.Len(t, ds, 13)
	require.Equal(t, 14, calls)
	require.Equal(t, 1, ds[0].Rx)
	require.Equal(t, sim.Time(0), ds[0].Link.at)
	require.Nil(t, m.links.dense[4*16+0].obj.gain, "4->0 is dropped")
}

// TestPair: Pair gives, for one receiver, exactly Transmit's entry (power,
// delay, the same per-link object), nothing below the floor, and errors
// for bad ids.
func TestPair(t *testing.T) {
	s := sim.New(1, 1)
	updates := 0
	lm := LinkModel[int]{Update: func(obj *int, _ *propagation.Link) { updates++; *obj = updates }}
	m, err := New(s, ld3(), lm)
	require.NoError(t, err)
	a, _ := m.Attach(Attachment{Mobility: at(0, 0), TxPowerDbm: 16})
	b, _ := m.Attach(Attachment{Mobility: at(30, 0), RxGainDb: 2})
	c, _ := m.Attach(Attachment{Mobility: at(5000, 0)}) // below the -101 dBm floor
	ds, err := m.Transmit(a)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	want := ds[0]
	wantObj := *want.Link
	d, ok, err := m.Pair(a, b)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, want.Rx, d.Rx)
	require.Equal(t, want.RxDbm, d.RxDbm)
	require.Equal(t, want.RxW, d.RxW)
	require.Equal(t, want.Delay, d.Delay)
	require.Equal(t, wantObj, *d.Link, "the link object is reused, not recomputed")
	require.Equal(t, 1, updates)
	_, ok, err = m.Pair(a, c)
	require.NoError(t, err)
	require.False(t, ok)
	st := m.Stats()
	require.Equal(t, uint64(1), st.Transmissions)
	require.Equal(t, uint64(4), st.Examined)
	_, _, err = m.Pair(a, a)
	require.ErrorContains(t, err, "itself")
	_, _, err = m.Pair(a, 99)
	require.Error(t, err)
	_, _, err = m.Pair(99, a)
	require.Error(t, err)

	// A pair asked for before any transmission (mmwave's attach does so).
	m2, err := New(sim.New(1, 1), ld3(), lm)
	require.NoError(t, err)
	a2, _ := m2.Attach(Attachment{Mobility: at(0, 0), TxPowerDbm: 16})
	b2, _ := m2.Attach(Attachment{Mobility: at(30, 0), RxGainDb: 2})
	d, ok, err = m2.Pair(a2, b2)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, want.RxDbm, d.RxDbm)
}
