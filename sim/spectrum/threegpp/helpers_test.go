package threegpp

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum/rb"
)

// grid28 is NetRL's 5G-LENA carrier: 28 GHz, 100 MHz at numerology 3.
func grid28() rb.Grid { return rb.Grid{CenterHz: 28e9, NumRBs: 66, SubcarrierSpacingHz: 120e3} }

// upa returns a rows x cols array of element e.
func upa(t testing.TB, rows, cols int, e antenna.Element) *antenna.Array {
	c := antenna.DefaultUPAConfig()
	c.Rows, c.Columns, c.Element = rows, cols, e
	a, err := antenna.NewUPA(c)
	require.NoError(t, err)
	return a
}

// newChannel returns a channel of scenario s on grid28 with condition
// model cond (nil: the default).
func newChannel(t testing.TB, s propagation.Scenario, cond propagation.ConditionModel, fading bool, seed uint64) *Channel {
	cfg := DefaultConfig(s, grid28())
	cfg.Condition = cond
	cfg.FastFading = fading
	ch, err := New(cfg, sim.New(seed, 1))
	require.NoError(t, err)
	return ch
}

// endpoint returns a static endpoint.
func endpoint(id int, p mobility.Vector) propagation.Endpoint {
	return propagation.Endpoint{ID: id, Position: p}
}

// bind binds a fresh Link from tx to rx at now.
func bind(ch *Channel, tx, rx propagation.Endpoint, now sim.Time) *Link {
	obj := new(Link)
	ch.Bind(obj, &propagation.Link{Tx: tx, Rx: rx, FrequencyHz: ch.cfg.Grid.CenterHz, Now: now})
	return obj
}

// mean returns the mean of xs.
func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// meanStd returns the mean and standard deviation of xs.
func meanStd(xs []float64) (float64, float64) {
	m := mean(xs)
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, math.Sqrt(v / float64(len(xs)-1))
}

// corr returns the sample correlation of xs and ys.
func corr(xs, ys []float64) float64 {
	mx, sx := meanStd(xs)
	my, sy := meanStd(ys)
	c := 0.0
	for i := range xs {
		c += (xs[i] - mx) * (ys[i] - my)
	}
	return c / float64(len(xs)-1) / sx / sy
}

// db returns 10·log10(x).
func db(x float64) float64 { return 10 * math.Log10(x) }
