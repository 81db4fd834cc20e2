// SPDX-License-Identifier: GPL-2.0-only

package prefetch_test

import (
	"fmt"
	"unsafe"

	"github.com/netgym/netgym/internal/prefetch"
)

// A record that an event will read later is fetched while other work
// runs; the hint changes nothing else.
func ExampleLines() {
	type record struct {
		counts [32]uint64
	}
	r := new(record)
	prefetch.Lines(unsafe.Pointer(r), prefetch.LinesOf(unsafe.Sizeof(*r)))
	r.counts[31]++
	fmt.Println(r.counts[31])
	// Output: 1
}
