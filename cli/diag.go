package cli

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// DefaultDiagBytes is the default bound of a DiagWriter's buffer: 64 KiB,
// a pipe's capacity on Linux, so that a client that reads its backend's
// standard error late loses nothing in normal use.
const DefaultDiagBytes = 64 << 10

// DiagWriter is a program's diagnostic stream (its standard error) made
// safe for a protocol backend: Write never blocks and never fails. Bytes
// are copied into a buffer of at most a fixed size and written to the
// underlying writer by a goroutine of their own; what does not fit is
// dropped and counted, and a line saying how much was dropped is written
// once the writer keeps up again. A client that never reads the stream
// therefore cannot block the program (the goroutine blocks, the program
// does not), and one that closed it costs nothing: after the first failed
// write everything is discarded.
//
// Make one with NewDiagWriter and Close it before the program exits. It is
// safe for concurrent use.
type DiagWriter struct {
	mu      sync.Mutex
	w       io.Writer
	name    string
	limit   int
	buf     []byte // bytes waiting for the goroutine
	dropped uint64 // bytes dropped and not yet reported
	total   uint64 // bytes dropped in all
	broken  bool   // a write failed: discard everything
	closed  bool
	kick    chan struct{}
	done    chan struct{}
}

// NewDiagWriter returns a DiagWriter that writes to w through a buffer of
// at most limit bytes (DefaultDiagBytes when limit <= 0). name prefixes
// the line that reports dropped bytes.
func NewDiagWriter(w io.Writer, name string, limit int) *DiagWriter {
	if limit <= 0 {
		limit = DefaultDiagBytes
	}
	d := &DiagWriter{w: w, name: name, limit: limit, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go d.loop()
	return d
}

// Write queues p and returns len(p), nil, whatever happens to it: p is
// dropped whole if it does not fit the buffer, after the writer broke, or
// after Close.
func (d *DiagWriter) Write(p []byte) (int, error) {
	if d == nil {
		return len(p), nil
	}
	d.mu.Lock()
	switch {
	case d.broken || d.closed:
	case len(d.buf)+len(p) > d.limit:
		d.dropped += uint64(len(p))
		d.total += uint64(len(p))
	default:
		d.buf = append(d.buf, p...)
	}
	d.mu.Unlock()
	select {
	case d.kick <- struct{}{}:
	default:
	}
	return len(p), nil
}

// Dropped returns how many bytes were dropped because the buffer was full.
func (d *DiagWriter) Dropped() uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.total
}

// Broken reports whether a write to the underlying writer failed (e.g.
// the reading end of the pipe was closed); nothing is written after that.
func (d *DiagWriter) Broken() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.broken
}

// Close stops accepting bytes and waits at most wait for the buffered ones
// to be written; it reports whether they all were. The goroutine ends once
// the buffer is written (it stays blocked in a write nobody reads, which
// ends with the process).
func (d *DiagWriter) Close(wait time.Duration) bool {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	select {
	case d.kick <- struct{}{}:
	default:
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-d.done:
		return !d.Broken()
	case <-timer.C:
		return false
	}
}

func (d *DiagWriter) loop() {
	defer close(d.done)
	var out []byte
	for {
		d.mu.Lock()
		if len(d.buf) == 0 && d.dropped > 0 && !d.broken {
			d.buf = fmt.Appendf(d.buf, "%s: %d bytes of diagnostics dropped (standard error is not read fast enough)\n", d.name, d.dropped)
			d.dropped = 0
		}
		if len(d.buf) == 0 || d.broken {
			d.buf = d.buf[:0]
			closed := d.closed
			d.mu.Unlock()
			if closed {
				return
			}
			<-d.kick
			continue
		}
		out, d.buf = d.buf, out[:0]
		d.mu.Unlock()
		if _, err := d.w.Write(out); err != nil {
			d.mu.Lock()
			d.broken = true
			d.mu.Unlock()
		}
	}
}

// Main runs a program's entry point with standard streams that a
// subprocess protocol can rely on, and returns its exit status for
// os.Exit:
//
//   - SIGPIPE is ignored, so that a write to a pipe whose reader is gone
//     fails with an error (EPIPE) instead of killing the process: Go's
//     runtime otherwise dies of SIGPIPE at the first such write to file
//     descriptor 1 or 2. A backend whose client closed its stderr keeps
//     answering on stdout; one whose stdout is gone sees Serve fail and
//     exits with status 1.
//   - Standard error is a DiagWriter of DefaultDiagBytes: diagnostics never
//     block the program (a client that never reads them) and never fail.
//     It is closed when run returns, waiting at most one second for the
//     buffered diagnostics to be written.
//
// Use it as
//
//	func main() { os.Exit(cli.Main("wifi-sim", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdin, os.Stdout, stderr) })) }
func Main(name string, run func(stderr io.Writer) int) int {
	signal.Ignore(syscall.SIGPIPE)
	d := NewDiagWriter(os.Stderr, name, DefaultDiagBytes)
	status := run(d)
	d.Close(time.Second)
	return status
}
