package rb

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
)

// Signal is one transmission as a receiver sees it: the received power of
// each resource block (W, over the whole grid, 0 where it does not send)
// while it is on the air, [Start, End).
type Signal struct {
	Start, End sim.Time
	// PowerW is the received power per resource block, NumRBs long. The
	// calculator only reads it.
	PowerW []float64
}

// RxPower stores in dst (resized to len(tx), reusing its memory) and
// returns the received power per resource block of a transmission:
// tx[rb]·pathGain·fading[rb], where tx is the transmit power per RB
// (Grid.TxPower), pathGain the linear gain of pathloss, shadowing and any
// scalar antenna gain (the medium's Delivery.RxW over the transmit power
// in W), and fading the per-RB power gain of fast fading and beamforming
// (nil: 1 on every RB). A fading slice shorter than tx counts as 1 beyond
// its end.
func RxPower(dst, tx []float64, pathGain float64, fading []float64) []float64 {
	if cap(dst) >= len(tx) {
		dst = dst[:len(tx)]
	} else {
		dst = make([]float64, len(tx))
	}
	for i, p := range tx {
		g := pathGain
		if i < len(fading) {
			g *= fading[i]
		}
		dst[i] = p * g
	}
	return dst
}

// Calculator computes the SINR per resource block of received transport
// blocks: 5G-LENA's NrInterference (nr-interference-base.cc) with its
// SINR chunk processor (nr-chunk-processor.cc) in closed form. While a
// signal is received, every change of the set of signals on the air (a
// start or an end) closes a chunk; the SINR of a chunk is, per RB,
//
//	S / (N + I)
//
// with S the desired signal's power, N the thermal noise (NoisePerRB) and
// I the sum of the other signals on the air; the SINR of the transport
// block is the average of the chunks' SINRs weighted by their durations
// (linear, as NrChunkProcessor::End divides the duration-weighted sum by
// the total duration). A Calculator is reusable and allocates nothing once
// its scratch space has grown to the largest number of concurrent signals
// seen. Construct it with NewCalculator.
type Calculator struct {
	grid   Grid
	noise  float64
	bounds []sim.Time
	interf []float64
}

// NewCalculator returns a calculator for receivers on grid g with the
// given noise figure (dB; 5G-LENA's default is 5).
func NewCalculator(g Grid, noiseFigureDb float64) (*Calculator, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if math.IsNaN(noiseFigureDb) || math.IsInf(noiseFigureDb, 0) {
		return nil, fmt.Errorf("rb: noise figure %g dB must be finite", noiseFigureDb)
	}
	return &Calculator{grid: g, noise: g.NoisePerRB(noiseFigureDb), interf: make([]float64, g.NumRBs)}, nil
}

// Grid returns the calculator's grid.
func (c *Calculator) Grid() Grid { return c.grid }

// NoisePerRB returns the noise power per resource block (W).
func (c *Calculator) NoisePerRB() float64 { return c.noise }

// errEmpty reports a desired signal with no duration.
var errEmpty = errors.New("rb: the desired signal must have End > Start")

// SINR stores in dst (resized to NumRBs, reusing its memory) and returns
// the linear SINR per resource block of desired over [desired.Start,
// desired.End), with others the signals that may overlap it in time (other
// transmitters of the same carrier: other cells, other UEs; signals that
// do not overlap count for nothing). RBs on which desired sends nothing
// get 0. Several transmissions to the same receiver on disjoint RBs (as
// 5G-LENA adds them to the received signal in StartRx) are one desired
// signal: add their powers. It reports a desired signal without duration
// and power slices of the wrong length.
func (c *Calculator) SINR(dst []float64, desired Signal, others []Signal) ([]float64, error) {
	n := c.grid.NumRBs
	if cap(dst) >= n {
		dst = dst[:n]
	} else {
		dst = make([]float64, n)
	}
	if desired.End <= desired.Start {
		return dst, errEmpty
	}
	if len(desired.PowerW) != n {
		return dst, fmt.Errorf("rb: desired signal has %d RB powers for a grid of %d", len(desired.PowerW), n)
	}
	for i := range others {
		if len(others[i].PowerW) != n {
			return dst, fmt.Errorf("rb: signal %d has %d RB powers for a grid of %d", i, len(others[i].PowerW), n)
		}
	}
	start, end := desired.Start, desired.End
	// Chunk boundaries: the desired window and every start or end of an
	// overlapping signal inside it, sorted and distinct.
	b := append(c.bounds[:0], start, end)
	for i := range others {
		o := &others[i]
		if o.Start >= end || o.End <= start || o.End <= o.Start {
			continue
		}
		if o.Start > start {
			b = insertTime(b, o.Start)
		}
		if o.End < end {
			b = insertTime(b, o.End)
		}
	}
	c.bounds = b
	clear(dst)
	total := float64(end - start)
	for k := 0; k+1 < len(b); k++ {
		t0, t1 := b[k], b[k+1]
		w := float64(t1-t0) / total
		clear(c.interf)
		for i := range others {
			o := &others[i]
			if o.Start <= t0 && o.End >= t1 && o.End > o.Start {
				for r, p := range o.PowerW {
					c.interf[r] += p
				}
			}
		}
		for r, s := range desired.PowerW {
			if s != 0 {
				dst[r] += w * s / (c.noise + c.interf[r])
			}
		}
	}
	return dst, nil
}

// insertTime inserts t into the sorted slice b unless it is there.
func insertTime(b []sim.Time, t sim.Time) []sim.Time {
	i := len(b)
	for i > 0 && b[i-1] > t {
		i--
	}
	if i > 0 && b[i-1] == t {
		return b
	}
	b = append(b, 0)
	copy(b[i+1:], b[i:])
	b[i] = t
	return b
}
