// SPDX-License-Identifier: GPL-2.0-only

//go:build !unix

package main

import "time"

// cpuTime returns 0 where the process's CPU time is not read (no
// getrusage): cpu_per_sim_s is then 0.
func cpuTime() time.Duration { return 0 }
