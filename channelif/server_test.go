package channelif

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeBackend records calls and flushes what its script says.
type fakeBackend struct {
	ues      int
	maxSize  int
	defSize  int
	arrivals map[uint32][]Arrival
	calls    []string
	txErr    error
	flushErr error
	resetErr error
}

func (f *fakeBackend) NumUEs() int            { return f.ues }
func (f *fakeBackend) MaxPacketSize() int     { return f.maxSize }
func (f *fakeBackend) DefaultPacketSize() int { return f.defSize }

func (f *fakeBackend) Transmit(ue int, step uint32, size int) error {
	f.calls = append(f.calls, fmt.Sprintf("tx %d %d %d", ue, step, size))
	return f.txErr
}

func (f *fakeBackend) Flush(step uint32) ([]Arrival, error) {
	f.calls = append(f.calls, fmt.Sprintf("flush %d", step))
	return f.arrivals[step], f.flushErr
}

func (f *fakeBackend) Reset() error {
	f.calls = append(f.calls, "reset")
	return f.resetErr
}

func single() *fakeBackend { return &fakeBackend{maxSize: 2268, defSize: 64} }
func multi(n int) *fakeBackend {
	return &fakeBackend{ues: n, maxSize: 2268, defSize: 64}
}

func serve(t *testing.T, b Backend, input string, opts ServeOptions) []string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, Serve(strings.NewReader(input), &out, b, opts))
	s := out.String()
	if s == "" {
		return nil
	}
	require.True(t, strings.HasSuffix(s, "\n"), "output ends with a newline")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func TestServeSingleUE(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		arrivals map[uint32][]Arrival
		replies  []string
		calls    []string
	}{
		{
			name:     "NetRL step sequence",
			input:    "TRANSMIT 0 64\nFLUSH 0\nTRANSMIT 1 64\nFLUSH 1\n",
			arrivals: map[uint32][]Arrival{0: {{Step: 0}}},
			replies:  []string{"OK", "RECV 0", "OK", "RECV"},
			calls:    []string{"tx 0 0 64", "flush 0", "tx 0 1 64", "flush 1"},
		},
		{
			name:     "several ids in order",
			input:    "FLUSH 5\n",
			arrivals: map[uint32][]Arrival{5: {{Step: 3}, {Step: 4}, {Step: 3}}},
			replies:  []string{"RECV 3 4 3"},
			calls:    []string{"flush 5"},
		},
		{
			name:    "default and id-field sizes",
			input:   "TRANSMIT 1\nTRANSMIT 2 0\nTRANSMIT 3 3\nTRANSMIT 4 4\nTRANSMIT 5 2268\n",
			replies: []string{"OK", "OK", "OK", "OK", "OK"},
			calls:   []string{"tx 0 1 64", "tx 0 2 4", "tx 0 3 4", "tx 0 4 4", "tx 0 5 2268"},
		},
		{
			name:    "too big",
			input:   "TRANSMIT 1 2269\nSTEP 1 5000\n",
			replies: []string{"ERROR pkt_size 2269 exceeds the maximum of 2268 bytes (no fragmentation)", "ERROR pkt_size 5000 exceeds the maximum of 2268 bytes (no fragmentation)"},
		},
		{
			name:     "STEP forms",
			input:    "STEP 0\nSTEP 1 100\nSTEP 2 0\nSTEP 3 1\n",
			arrivals: map[uint32][]Arrival{0: {{Step: 0}}, 2: {{Step: 1}}},
			replies:  []string{"RECV 0", "RECV", "RECV 1", "RECV"},
			calls:    []string{"tx 0 0 64", "flush 0", "tx 0 1 100", "flush 1", "flush 2", "tx 0 3 4", "flush 3"},
		},
		{
			name:    "STEP with too many sizes",
			input:   "STEP 0 1 2\n",
			replies: []string{"ERROR STEP takes <step_id> [pkt_size] on a single-UE backend, got 3 arguments"},
		},
		{
			name:    "multi-UE TRANSMIT on single-UE",
			input:   "TRANSMIT 0 1 64\n",
			replies: []string{"ERROR TRANSMIT takes <step_id> [pkt_size] on a single-UE backend, got 3 arguments"},
		},
		{
			name:    "reset and blank lines",
			input:   "\n   \r\nRESET\n\n",
			replies: []string{"OK"},
			calls:   []string{"reset"},
		},
		{
			name:    "errors keep serving",
			input:   "FOO\nTRANSMIT x\nFLUSH\nFLUSH -1\nRESET 1\nTRANSMIT 7\nFLUSH 7\n",
			replies: []string{"ERROR unknown command: FOO", "ERROR TRANSMIT: step_id x is not a non-negative integer", "ERROR FLUSH takes 1 argument (<step_id>), got 0", "ERROR FLUSH: step_id -1 is negative", "ERROR RESET takes no arguments, got 1", "OK", "RECV"},
			calls:   []string{"tx 0 7 64", "flush 7"},
		},
		{
			name:    "QUIT stops without reply",
			input:   "TRANSMIT 1\nQUIT\nTRANSMIT 2\n",
			replies: []string{"OK"},
			calls:   []string{"tx 0 1 64"},
		},
		{
			name:    "malformed QUIT does not quit",
			input:   "QUIT now\nFLUSH 0\n",
			replies: []string{"ERROR QUIT takes no arguments, got 1", "RECV"},
			calls:   []string{"flush 0"},
		},
		{
			name:    "last line without newline",
			input:   "TRANSMIT 1\r\nFLUSH 1",
			replies: []string{"OK", "RECV"},
			calls:   []string{"tx 0 1 64", "flush 1"},
		},
		{name: "EOF at once", input: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := single()
			b.arrivals = tt.arrivals
			assert.Equal(t, tt.replies, serve(t, b, tt.input, ServeOptions{}))
			assert.Equal(t, tt.calls, b.calls)
		})
	}
}

func TestServeMultiUE(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		arrivals map[uint32][]Arrival
		replies  []string
		calls    []string
	}{
		{
			name:     "NetRL multi-view step",
			input:    "TRANSMIT 0 3 64\nTRANSMIT 1 3 64\nFLUSH 3\n",
			arrivals: map[uint32][]Arrival{3: {{UE: 0, Step: 3}, {UE: 1, Step: 3}}},
			replies:  []string{"OK", "OK", "RECV 0:3 1:3"},
			calls:    []string{"tx 0 3 64", "tx 1 3 64", "flush 3"},
		},
		{
			name:    "default and id-field sizes",
			input:   "TRANSMIT 1 5\nTRANSMIT 0 5 7\nTRANSMIT 0 5 0\nTRANSMIT 0 5 9\n",
			replies: []string{"OK", "OK", "OK", "OK"},
			calls:   []string{"tx 1 5 64", "tx 0 5 8", "tx 0 5 8", "tx 0 5 9"},
		},
		{
			name:    "ue out of range",
			input:   "TRANSMIT 5 1 64\nTRANSMIT 2 1\nTRANSMIT 4294967295 1\n",
			replies: []string{"ERROR ue_id 5 out of range [0,2)", "ERROR ue_id 2 out of range [0,2)", "ERROR ue_id 4294967295 out of range [0,2)"},
		},
		{
			name:    "single-UE TRANSMIT on multi-UE",
			input:   "TRANSMIT 7\n",
			replies: []string{"ERROR TRANSMIT takes <ue_id> <step_id> [pkt_size] on a multi-UE backend, got 1 argument"},
		},
		{
			name:     "STEP forms",
			input:    "STEP 0\nSTEP 1 100\nSTEP 2 0\nSTEP 3 0 50\nSTEP 4 10 0\n",
			arrivals: map[uint32][]Arrival{1: {{UE: 1, Step: 0}}},
			replies:  []string{"RECV", "RECV 1:0", "RECV", "RECV", "RECV"},
			calls: []string{
				"tx 0 0 64", "tx 1 0 64", "flush 0",
				"tx 0 1 100", "tx 1 1 100", "flush 1",
				"flush 2",
				"tx 1 3 50", "flush 3",
				"tx 0 4 10", "flush 4",
			},
		},
		{
			name:    "STEP wrong count",
			input:   "STEP 0 1 2 3\n",
			replies: []string{"ERROR STEP takes <step_id>, <step_id> <size> or <step_id> and 2 sizes (one per UE), got 4 arguments"},
		},
		{
			name:    "STEP checks every size before sending",
			input:   "STEP 0 64 9999\n",
			replies: []string{"ERROR UE 1: pkt_size 9999 exceeds the maximum of 2268 bytes (no fragmentation)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := multi(2)
			b.arrivals = tt.arrivals
			assert.Equal(t, tt.replies, serve(t, b, tt.input, ServeOptions{}))
			assert.Equal(t, tt.calls, b.calls)
		})
	}
}

func TestServeMultiUEThree(t *testing.T) {
	b := multi(3)
	replies := serve(t, b, "STEP 9 1 0 16\nSTEP 9 1 2\n", ServeOptions{})
	assert.Equal(t, []string{"RECV", "ERROR STEP takes <step_id>, <step_id> <size> or <step_id> and 3 sizes (one per UE), got 3 arguments"}, replies)
	assert.Equal(t, []string{"tx 0 9 8", "tx 2 9 16", "flush 9"}, b.calls)
}

func TestServeBackendErrors(t *testing.T) {
	b := single()
	b.txErr = errors.New("queue full\nsecond line")
	b.flushErr = errors.New("sim broke")
	b.resetErr = errors.New("")
	var failed []string
	replies := serve(t, b, "TRANSMIT 1\nFLUSH 1\nSTEP 2\nRESET\n", ServeOptions{OnError: func(line string, err error) {
		failed = append(failed, line)
	}})
	assert.Equal(t, []string{"ERROR queue full second line", "ERROR sim broke", "ERROR queue full second line", "ERROR unspecified error"}, replies)
	assert.Equal(t, []string{"TRANSMIT 1", "FLUSH 1", "STEP 2", "RESET"}, failed)
	assert.Equal(t, []string{"tx 0 1 64", "flush 1", "tx 0 2 64", "reset"}, b.calls, "a failed STEP transmit does not flush")
}

func TestServeReadyAndLongLines(t *testing.T) {
	b := single()
	long := "FLUSH " + strings.Repeat("1", 200)
	replies := serve(t, b, "FLUSH 1\n"+long+"\nFLUSH 2\n"+long, ServeOptions{Ready: true, MaxLineBytes: 32})
	assert.Equal(t, []string{"READY", "RECV", "ERROR line longer than 32 bytes", "RECV", "ERROR line longer than 32 bytes"}, replies)
	assert.Equal(t, []string{"flush 1", "flush 2"}, b.calls)

	// Exactly at the limit is fine.
	b = single()
	line := "FLUSH " + strings.Repeat("0", 26)
	require.Len(t, line, 32)
	assert.Equal(t, []string{"RECV", "RECV"}, serve(t, b, line+"\n"+line, ServeOptions{MaxLineBytes: 32}))
}

func TestServeDefaultSizeLimits(t *testing.T) {
	b := &fakeBackend{maxSize: 100, defSize: 200}
	assert.Equal(t, []string{"ERROR pkt_size 200 exceeds the maximum of 100 bytes (no fragmentation)", "OK"},
		serve(t, b, "TRANSMIT 1\nTRANSMIT 1 100\n", ServeOptions{}))
	b = &fakeBackend{defSize: 64} // no limit
	assert.Equal(t, []string{"OK", "ERROR pkt_size 4294967295 exceeds 2147483647 bytes"},
		serve(t, b, "TRANSMIT 1 1000000\nTRANSMIT 1 4294967295\n", ServeOptions{}))
}

func TestServeBadBackend(t *testing.T) {
	require.Error(t, Serve(strings.NewReader(""), io.Discard, nil, ServeOptions{}))
	require.Error(t, Serve(strings.NewReader(""), io.Discard, &fakeBackend{ues: -1}, ServeOptions{}))
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("pipe closed") }

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("read broke") }

func TestServeIOErrors(t *testing.T) {
	err := Serve(strings.NewReader("FLUSH 1\n"), failWriter{}, single(), ServeOptions{})
	require.ErrorContains(t, err, "pipe closed")
	err = Serve(strings.NewReader(""), failWriter{}, single(), ServeOptions{Ready: true})
	require.ErrorContains(t, err, "pipe closed")
	err = Serve(failReader{}, io.Discard, single(), ServeOptions{})
	require.ErrorContains(t, err, "read broke")
}

// stepReader checks that every reply is flushed before the next line is
// read: it records how many bytes were written when each read happens.
type stepReader struct {
	lines []string
	out   *bytes.Buffer
	seen  []int
}

func (r *stepReader) Read(p []byte) (int, error) {
	r.seen = append(r.seen, r.out.Len())
	if len(r.lines) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.lines[0])
	r.lines = r.lines[1:]
	return n, nil
}

func TestServeFlushesEveryReply(t *testing.T) {
	var out bytes.Buffer
	r := &stepReader{lines: []string{"TRANSMIT 1\n", "FLUSH 1\n", "BAD\n"}, out: &out}
	require.NoError(t, Serve(r, &out, single(), ServeOptions{}))
	assert.Equal(t, []int{0, 3, 8, 35}, r.seen)
	assert.Equal(t, "OK\nRECV\nERROR unknown command: BAD\n", out.String())
}

func TestWriteReady(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, WriteReady(&out))
	assert.Equal(t, "READY\n", out.String())
}

func TestChannelBackend(t *testing.T) {
	_, err := NewChannelBackend(nil, DefaultChannelBackendConfig())
	require.Error(t, err)
	for _, cfg := range []ChannelBackendConfig{{DefaultPacketSize: -1}, {MaxPacketSize: -1}, {DefaultPacketSize: 100, MaxPacketSize: 50}} {
		_, err := NewChannelBackend(NewPerfectChannel(), cfg)
		require.Error(t, err, "%+v", cfg)
	}
	assert.Equal(t, ChannelBackendConfig{DefaultPacketSize: 64}, DefaultChannelBackendConfig())

	ge, err := NewGEChannel(GEConfig{DelaySteps: 1})
	require.NoError(t, err)
	b, err := NewChannelBackend(ge, ChannelBackendConfig{DefaultPacketSize: 64, MaxPacketSize: 1000})
	require.NoError(t, err)
	assert.Equal(t, 0, b.NumUEs())
	assert.Equal(t, 64, b.DefaultPacketSize())
	assert.Equal(t, 1000, b.MaxPacketSize())
	require.ErrorContains(t, b.Transmit(1, 0, 64), "ue_id 1 out of range")

	in := "TRANSMIT 0\nFLUSH 0\nSTEP 1\nSTEP 2 1001\nTRANSMIT 3 0\nFLUSH 5\nRESET\nSTEP 6\nSTEP 7\nQUIT\n"
	replies := serve(t, b, in, ServeOptions{})
	assert.Equal(t, []string{"OK", "RECV", "RECV 0", "ERROR pkt_size 1001 exceeds the maximum of 1000 bytes (no fragmentation)", "OK", "RECV 1 3", "OK", "RECV", "RECV 6"}, replies)
}

// FuzzServe checks the framing: Serve never panics and answers every
// non-blank line before QUIT with exactly one valid UTF-8 line.
func FuzzServe(f *testing.F) {
	f.Add("TRANSMIT 1\nFLUSH 1\nSTEP 2 0\nRESET\nQUIT\n", 0)
	f.Add("TRANSMIT 0 1 64\nSTEP 1 8 9\nFLUSH x\n\xff\n", 2)
	f.Add("STEP 1 2 3 4 5\n\r\n  \nFOO", 3)
	f.Fuzz(func(t *testing.T, input string, ues int) {
		ues = max(0, min(ues, 8)) % 5
		b := &fakeBackend{ues: ues, maxSize: 1500, defSize: 64,
			arrivals: map[uint32][]Arrival{1: {{UE: 0, Step: 1}}}}
		var out bytes.Buffer
		if err := Serve(strings.NewReader(input), &out, b, ServeOptions{MaxLineBytes: 256}); err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, line := range strings.Split(input, "\n") {
			if strings.Trim(line, " \t\r\v\f") == "" {
				continue
			}
			if c, err := ParseCommand(line); err == nil && c.Op == OpQuit {
				break
			}
			want++
		}
		got := out.String()
		if !utf8.ValidString(got) {
			t.Fatalf("output %q is not valid UTF-8", got)
		}
		n := strings.Count(got, "\n")
		if n != want || (n > 0 && !strings.HasSuffix(got, "\n")) {
			t.Fatalf("%d replies for %d lines: %q", n, want, got)
		}
		for _, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
			if n > 0 && l != "OK" && l != "RECV" && !strings.HasPrefix(l, "RECV ") && !strings.HasPrefix(l, "ERROR ") {
				t.Fatalf("bad reply %q", l)
			}
		}
	})
}

func TestServeLongBlankLine(t *testing.T) {
	b := single()
	in := strings.Repeat(" ", 100) + "\r\n" + strings.Repeat("\t", 5000) + "\nFLUSH 1\n"
	assert.Equal(t, []string{"RECV"}, serve(t, b, in, ServeOptions{MaxLineBytes: 16}))
}
