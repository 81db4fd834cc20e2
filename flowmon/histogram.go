package flowmon

import "math"

// Histogram counts values in bins of equal width from 0: ns-3's Histogram
// (src/stats/model/histogram.cc). Bin i holds the values v with
// floor(v / BinWidth) == i; the bins grow as larger values come.
type Histogram struct {
	// BinWidth is the width of every bin (seconds for delays, bytes for
	// packet sizes).
	BinWidth float64
	// Counts holds the count of each bin, from bin 0 to the highest bin
	// used (ns-3's nBins).
	Counts []uint64
}

// Add counts v, as ns-3's Histogram::AddValue: bin floor(v / BinWidth).
// A negative or NaN value counts in bin 0.
func (h *Histogram) Add(v float64) {
	f := math.Floor(v / h.BinWidth)
	i := 0
	if f > 0 {
		i = int(min(f, 1<<31))
	}
	if i >= len(h.Counts) {
		if i < cap(h.Counts) {
			h.Counts = h.Counts[:i+1]
		} else {
			h.Counts = append(h.Counts, make([]uint64, i+1-len(h.Counts))...)
		}
	}
	h.Counts[i]++
}

// NumBins returns the number of bins (ns-3's GetNBins).
func (h *Histogram) NumBins() int { return len(h.Counts) }

// Total returns the number of values counted.
func (h *Histogram) Total() uint64 {
	var n uint64
	for _, c := range h.Counts {
		n += c
	}
	return n
}

// BinStart returns where bin i starts: i x BinWidth.
func (h *Histogram) BinStart(i int) float64 { return float64(i) * h.BinWidth }

// clone returns a copy that shares nothing with h.
func (h *Histogram) clone() Histogram {
	return Histogram{BinWidth: h.BinWidth, Counts: append([]uint64(nil), h.Counts...)}
}

// Bin is one non-empty bin of a histogram, as ns-3's XML writes it.
type Bin struct {
	Index int     `json:"index"`
	Start float64 `json:"start"`
	Width float64 `json:"width"`
	Count uint64  `json:"count"`
}

// Bins returns the non-empty bins in order.
func (h *Histogram) Bins() []Bin {
	var out []Bin
	for i, c := range h.Counts {
		if c > 0 {
			out = append(out, Bin{Index: i, Start: h.BinStart(i), Width: h.BinWidth, Count: c})
		}
	}
	return out
}
