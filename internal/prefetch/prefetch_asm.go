// SPDX-License-Identifier: GPL-2.0-only

//go:build amd64 || arm64

package prefetch

import "unsafe"

// lines issues n > 0 prefetches, 64 bytes apart, from p on (assembly).
//
//go:noescape
func lines(p unsafe.Pointer, n int)
