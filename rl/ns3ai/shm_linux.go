//go:build linux

package ns3ai

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
	"unsafe"
)

// shmDir is where POSIX shared memory objects live on Linux: Boost's
// shared_memory_object (and glibc's shm_open) map a name "N" to the file
// /dev/shm/N.
const shmDir = "/dev/shm/"

// region is one mapping of a shared-memory file.
type region struct {
	path string
	mem  []byte
	dev  uint64
	ino  uint64
}

// shmPath is the file behind a segment name; the name must already be
// valid (see Options.Validate).
func shmPath(name string) string { return shmDir + name }

func mapFile(f *os.File, size int) (*region, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		return nil, err
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return nil, err
	}
	return &region{path: f.Name(), mem: mem, dev: uint64(st.Dev), ino: st.Ino}, nil
}

// openRegion maps an existing segment read-write. A segment still empty
// (its creator has made the file and not sized it yet) is opened again
// until deadline.
func openRegion(name string, deadline time.Time) (*region, error) {
	var f *os.File
	var size int64
	for {
		var err error
		f, err = os.OpenFile(shmPath(name), os.O_RDWR, 0)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("%w: shared memory segment %q (%s) does not exist: the creator (ns3-ai's Python side) must create it first", ErrNoSegment, name, shmPath(name))
			}
			return nil, fmt.Errorf("ns3ai: open segment %q: %w", name, err)
		}
		fi, err := f.Stat()
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("ns3ai: segment %q: %w", name, err)
		}
		if size = fi.Size(); size != 0 || !time.Now().Before(deadline) {
			break
		}
		_ = f.Close()
		time.Sleep(time.Millisecond)
	}
	defer f.Close()
	if size < minSegmentSize || size > maxSegmentSize {
		return nil, fmt.Errorf("%w: segment %q is %d bytes; accepted [%d, %d]", ErrLayout, name, size, minSegmentSize, maxSegmentSize)
	}
	r, err := mapFile(f, int(size))
	if err != nil {
		return nil, fmt.Errorf("ns3ai: map segment %q: %w", name, err)
	}
	return r, nil
}

// createRegion creates a zero-filled segment of size bytes, replacing a
// stale one of the same name as ns3-ai's creator does
// (shared_memory_object::remove, then create_only).
func createRegion(name string, size int) (*region, error) {
	p := shmPath(name)
	_ = os.Remove(p)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("ns3ai: create segment %q: %w", name, err)
	}
	defer f.Close()
	if err := f.Truncate(int64(size)); err != nil {
		_ = os.Remove(p)
		return nil, fmt.Errorf("ns3ai: size segment %q to %d bytes: %w", name, size, err)
	}
	r, err := mapFile(f, size)
	if err != nil {
		_ = os.Remove(p)
		return nil, fmt.Errorf("ns3ai: map segment %q: %w", name, err)
	}
	return r, nil
}

func (r *region) unmap() error {
	if r.mem == nil {
		return nil
	}
	err := syscall.Munmap(r.mem)
	r.mem = nil
	return err
}

// linked reports whether the segment's name still refers to this
// region's file (a creator removes the name when it ends).
func (r *region) linked() bool {
	var st syscall.Stat_t
	if err := syscall.Stat(r.path, &st); err != nil {
		return false
	}
	return uint64(st.Dev) == r.dev && st.Ino == r.ino
}

// remove unlinks the segment's name if it still refers to this region.
func (r *region) remove() {
	if r.linked() {
		_ = os.Remove(r.path)
	}
}

// mappers lists the other processes that map this region's file, read
// from /proc/PID/maps (a line's device and inode fields name the file).
func (r *region) mappers() []int {
	dir, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	// maps prints the device as major:minor in hex, the inode in decimal.
	major, minor := (r.dev>>8)&0xfff|((r.dev>>32)&^0xfff), (r.dev&0xff)|((r.dev>>12)&^0xff)
	devField := []byte(fmt.Sprintf("%02x:%02x", major, minor))
	inoField := []byte(strconv.FormatUint(r.ino, 10))
	var pids []int
	for _, e := range dir {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		if mapsFile(pid, devField, inoField) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func mapsFile(pid int, dev, ino []byte) bool {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/maps")
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		// address perms offset dev inode path
		fields := bytes.Fields(sc.Bytes())
		if len(fields) >= 5 && bytes.Equal(fields[3], dev) && bytes.Equal(fields[4], ino) {
			return true
		}
	}
	return false
}

// processAlive reports whether pid exists and is not a zombie.
func processAlive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !errors.Is(err, os.ErrNotExist)
	}
	// pid (comm) state ...: comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return true
	}
	return b[i+2] != 'Z' && b[i+2] != 'X'
}

// osYield gives the processor to another thread (sched_yield): on a busy
// machine it lets the peer process run where runtime.Gosched, with no
// other goroutine to run, would keep spinning.
func osYield() { _, _, _ = syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0) }

// futexSupported: this build blocks on the counters' word with the
// kernel's futex (futex(2)) and wakes a blocked peer.
const futexSupported = true

// Futex operations (linux/futex.h). Not FUTEX_PRIVATE_FLAG: the word is in
// a shared mapping, and the peer is usually another process (the kernel
// keys a shared futex by the file's page, whatever the mapping's address).
const (
	futexWaitOp = 0 // FUTEX_WAIT
	futexWakeOp = 1 // FUTEX_WAKE
)

// futexWait blocks while *addr == val, for at most d (futex(2)
// FUTEX_WAIT): it returns when woken, at once when the word no longer
// holds val, on a signal, or at the timeout; the caller checks the word.
func futexWait(addr *uint32, val uint32, d time.Duration) {
	if d <= 0 {
		return
	}
	ts := syscall.NsecToTimespec(int64(d))
	_, _, _ = syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWaitOp, uintptr(val),
		uintptr(unsafe.Pointer(&ts)), 0, 0)
}

// futexWake wakes every thread blocked in futexWait on addr.
func futexWake(addr *uint32) {
	_, _, _ = syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWakeOp, uintptr(1<<31-1), 0, 0, 0)
}
