// SPDX-License-Identifier: GPL-2.0-only

package prefetch

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

func TestCount(t *testing.T) {
	for _, tc := range []struct{ n, want int }{
		{-5, 0}, {0, 0}, {1, 1}, {14, 14}, {maxLines, maxLines}, {maxLines + 1, maxLines}, {1 << 30, maxLines},
	} {
		assert.Equal(t, tc.want, count(tc.n), "count(%d)", tc.n)
	}
}

func TestLinesOf(t *testing.T) {
	for _, tc := range []struct {
		size uintptr
		want int
	}{{0, 0}, {1, 1}, {64, 1}, {65, 2}, {256, 4}, {856, 14}, {1152, 18}} {
		assert.Equal(t, tc.want, LinesOf(tc.size), "LinesOf(%d)", tc.size)
	}
}

// TestLinesNeverFaults: a hint at any address, and any count, returns (a
// load instead of a prefetch would fault at nil; a count not clamped at
// zero would loop 2^64 times).
func TestLinesNeverFaults(t *testing.T) {
	buf := make([]byte, 4*Line)
	for _, tc := range []struct {
		name string
		p    unsafe.Pointer
		n    int
	}{
		{"nil", nil, 4},
		{"nil, no line", nil, 0},
		{"negative count", unsafe.Pointer(&buf[0]), -1},
		{"past the end", unsafe.Pointer(&buf[len(buf)-1]), maxLines},
		{"beyond the limit", unsafe.Pointer(&buf[0]), 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.NotPanics(t, func() { Lines(tc.p, tc.n) })
		})
	}
	// The memory hinted at is untouched.
	assert.Equal(t, make([]byte, 4*Line), buf)
}

func BenchmarkLines(b *testing.B) {
	buf := make([]byte, 1<<20)
	for i := 0; b.Loop(); i++ {
		Lines(unsafe.Pointer(&buf[(i*997*Line)&(len(buf)-1)]), 4)
	}
}
