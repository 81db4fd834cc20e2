//go:build !linux

package ns3ai

import (
	"fmt"
	"runtime"
	"time"
)

type region struct {
	path string
	mem  []byte
}

func openRegion(name string, _ time.Time) (*region, error) {
	return nil, fmt.Errorf("ns3ai: shared memory segments (/dev/shm) are supported on Linux only")
}

func createRegion(name string, size int) (*region, error) { return openRegion(name, time.Time{}) }

func (r *region) unmap() error   { return nil }
func (r *region) linked() bool   { return false }
func (r *region) remove()        {}
func (r *region) mappers() []int { return nil }

func processAlive(pid int) bool { return true }

func osYield() { runtime.Gosched() }

// futexSupported: this build has no futex; it never blocks on a word
// nor advertises that it wakes its peer.
const futexSupported = false

func futexWait(addr *uint32, val uint32, d time.Duration) {}

func futexWake(addr *uint32) {}
