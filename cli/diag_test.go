package cli

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// blockingWriter blocks every Write until released.
type blockingWriter struct {
	release chan struct{}
	mu      sync.Mutex
	got     bytes.Buffer
}

func (b *blockingWriter) Write(p []byte) (int, error) {
	<-b.release
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.got.Write(p)
}

// TestDiagWriterNeverBlocks: with a reader that does not read, writes
// return at once, the buffer stays bounded and the overflow is counted
// and reported once the reader catches up.
func TestDiagWriterNeverBlocks(t *testing.T) {
	bw := &blockingWriter{release: make(chan struct{})}
	d := NewDiagWriter(bw, "prog", 100)
	line := []byte(strings.Repeat("x", 9) + "\n")
	for range 1000 { // 10 000 bytes into a 100-byte buffer
		n, err := d.Write(line)
		require.NoError(t, err)
		require.Equal(t, 10, n)
	}
	// The goroutine may hold one buffer (at most 100 bytes) in its blocked
	// write; another 100 bytes wait: everything else was dropped.
	assert.GreaterOrEqual(t, d.Dropped(), uint64(10_000-200))
	assert.LessOrEqual(t, d.Dropped(), uint64(10_000-100))
	close(bw.release)
	require.True(t, d.Close(time.Minute))
	bw.mu.Lock()
	defer bw.mu.Unlock()
	out := bw.got.String()
	kept := strings.Count(out, "xxxxxxxxx\n")
	assert.Equal(t, uint64(10_000-10*kept), d.Dropped(), "every byte is either written or counted")
	assert.Contains(t, out, "prog: ")
	assert.Contains(t, out, " bytes of diagnostics dropped (standard error is not read fast enough)\n")
	n, err := d.Write(line)
	assert.Equal(t, 10, n, "writes after Close are accepted and dropped")
	assert.NoError(t, err)
}

type brokenWriter struct{ calls int }

func (b *brokenWriter) Write([]byte) (int, error) { b.calls++; return 0, errors.New("broken pipe") }

// TestDiagWriterBrokenPipe: after a failed write nothing more is written,
// and Write keeps succeeding.
func TestDiagWriterBrokenPipe(t *testing.T) {
	bw := &brokenWriter{}
	d := NewDiagWriter(bw, "prog", 0)
	_, err := d.Write([]byte("first\n"))
	require.NoError(t, err)
	for !d.Broken() {
		time.Sleep(time.Millisecond) // wait for the goroutine's first write
	}
	for range 100 {
		_, err := d.Write([]byte("more\n"))
		require.NoError(t, err)
	}
	assert.False(t, d.Close(time.Minute), "Close reports that not everything was written")
	assert.Equal(t, 1, bw.calls)
	var nilD *DiagWriter
	n, err := nilD.Write([]byte("x"))
	assert.Equal(t, 1, n)
	assert.NoError(t, err)
}

func TestDiagWriterPassesEverythingThatFits(t *testing.T) {
	var buf bytes.Buffer
	d := NewDiagWriter(&buf, "prog", 0)
	for i := range 100 {
		_, _ = d.Write([]byte{byte('a' + i%26), '\n'})
		if i%10 == 0 {
			time.Sleep(0) // let the goroutine interleave
		}
	}
	require.True(t, d.Close(time.Minute))
	assert.Equal(t, 200, buf.Len())
	assert.Zero(t, d.Dropped())
	assert.Equal(t, "a\nb\nc\n", buf.String()[:6])
}
