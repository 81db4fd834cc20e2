// SPDX-License-Identifier: GPL-2.0-only

// Package prefetch asks the processor to bring memory into its caches
// ahead of use: a hint with no effect on a program's results, for the
// simulator's hot paths, where a transmission names, microseconds of wall
// time before they run, the receivers whose records its arrivals will read
// (docs/sweep.md, "Cache lines fetched ahead").
//
// Go has no prefetch statement outside its runtime, and a plain load used
// as one stalls the processor as long as the miss it hides would; the
// functions here are a few instructions of assembly on amd64 (PREFETCHT0)
// and arm64 (PRFM PLDL1KEEP), and do nothing on other architectures.
package prefetch

import "unsafe"

// Line is the size of the cache lines the functions fetch: 64 bytes, that
// of amd64 and most arm64 processors.
const Line = 64

// Lines hints that the n cache lines from the one holding p on will be read
// soon (at most 32 of them; nothing for n <= 0). p need not be aligned; it is not
// dereferenced by Go, and a hint never faults, so any address is allowed,
// but one that is not part of a live object gains nothing.
func Lines(p unsafe.Pointer, n int) {
	if n = count(n); n > 0 {
		lines(p, n)
	}
}

// LinesOf returns the number of cache lines that size bytes from a line's
// start span.
func LinesOf(size uintptr) int { return int((size + Line - 1) / Line) }

// maxLines is the most lines one call to Lines fetches.
const maxLines = 32

// count returns the number of lines Lines fetches for n: n within [0,
// maxLines].
func count(n int) int { return min(max(n, 0), maxLines) }
