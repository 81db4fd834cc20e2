// SPDX-License-Identifier: GPL-2.0-only

package chantest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestProgram(t *testing.T) {
	// op, step byte, ue/step byte, size byte per command
	data := []byte{
		0, 1, 0, 6, // TRANSMIT at step 1, size 72
		2, 0, 0, 0, // FLUSH 1
		4, 2, 1, 10, // STEP 3, no size (10 % 5 == 0)
		6, 0, 0, 0, // RESET
		7, 0, 0, 0, // blank
		8, 0, 0, 0, // unknown
		2, 0xf0, 0x20, 0, // FLUSH (0xf0<<8 | 0x20) % 4096 = 32
		1, 0, 2, 7, // TRANSMIT at 32, size 84
	}
	require.Equal(t, []string{"TRANSMIT 1 72\n", "FLUSH 1\n", "STEP 3\n", "RESET\n", "\n", "BOGUS 8\n", "FLUSH 32\n", "TRANSMIT 32 84\n"},
		Program(data, 0), "a step byte >= 200 jumps to (a<<8|b) % 4096, then steps continue from there")
	multi := Program(data, 2)
	require.Equal(t, "TRANSMIT 0 1 72\n", multi[0])
	require.Equal(t, "TRANSMIT 2 32 84\n", multi[7], "UE b % 3: one past the last of 2 UEs")
	require.Len(t, Program(make([]byte, 4*MaxLines+40), 0), MaxLines)
	require.Empty(t, Program([]byte{1, 2, 3}, 0), "a partial command is dropped")
}

// fatal records CheckServe's failures instead of stopping the test.
type fatal struct {
	testing.TB
	msg string
}

func (f *fatal) Helper() {}
func (f *fatal) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// check runs CheckServe on its own goroutine (Fatalf ends it) and returns
// the failure, "" if none.
func check(t *testing.T, lines []string, ues int, serve func(string) string) string {
	f := &fatal{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		CheckServe(f, lines, ues, 100, serve)
	}()
	<-done
	return f.msg
}

func TestCheckServe(t *testing.T) {
	lines := []string{"TRANSMIT 1 60\n", "FLUSH 1\n", "\n", "STEP 2\n", "RESET\n", "FLUSH 3\n"}
	replies := func(r ...string) func(string) string {
		return func(string) string { return strings.Join(r, "\n") + "\n" }
	}
	tests := []struct {
		name  string
		ues   int
		serve func(string) string
		want  string // substring of the failure; "" passes
	}{
		{"a good backend", 0, replies("OK", "RECV 1", "RECV 2", "OK", "RECV"), ""},
		{"a packet still in flight at the end", 0, replies("OK", "RECV", "RECV 1", "OK", "RECV"), ""},
		{"an error reply", 0, replies("OK", "ERROR no", "RECV", "OK", "RECV"), ""},
		{"a reply missing", 0, replies("OK", "RECV 1", "RECV 2", "OK"), "4 replies for 5 commands"},
		{"an id never sent", 0, replies("OK", "RECV 7", "RECV", "OK", "RECV"), `"7" received but not in flight`},
		{"an id twice", 0, replies("OK", "RECV 1 1", "RECV", "OK", "RECV"), `"1" received but not in flight`},
		{"an id from before RESET", 0, replies("OK", "RECV", "RECV", "OK", "RECV 1"), `"1" received but not in flight`},
		{"a bad reply", 0, replies("OK", "MAYBE", "RECV", "OK", "RECV"), `bad reply "MAYBE"`},
		{"multi-UE ids", 2, replies("OK", "RECV", "RECV 0:2 1:2", "OK", "RECV"), ""},
		{"multi-UE: a UE that did not send", 2, replies("OK", "RECV", "RECV 2:2", "OK", "RECV"), `"2:2" received but not in flight`},
	}
	oversize := []string{"TRANSMIT 1 101\n", "STEP 2 500\n", "TRANSMIT 3 100\n"}
	require.Empty(t, check(t, oversize, 0, replies("ERROR too big", "ERROR too big", "OK")))
	require.Contains(t, check(t, oversize, 0, replies("OK", "ERROR too big", "OK")), `"TRANSMIT 1 101" answered "OK": a size above 100 bytes must be an ERROR`)
	require.Contains(t, check(t, oversize, 0, replies("ERROR too big", "RECV", "OK")), `"STEP 2 500" answered "RECV": a size above 100 bytes`)
	pastLast := []string{"TRANSMIT 2 5 10\n", "TRANSMIT 1 5 10\n"}
	require.Empty(t, check(t, pastLast, 2, replies("ERROR no UE 2", "OK")))
	require.Contains(t, check(t, pastLast, 2, replies("OK", "OK")), "a UE past the last must be an ERROR")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := lines
			if tt.ues > 0 {
				in = append([]string{"TRANSMIT 0 1 60\n"}, lines[1:]...)
			}
			got := check(t, in, tt.ues, tt.serve)
			if tt.want == "" {
				require.Empty(t, got)
			} else {
				require.Contains(t, got, tt.want)
			}
		})
	}
	n := 0
	flaky := func(string) string {
		n++
		if n == 1 {
			return "OK\nRECV 1\nRECV\nOK\nRECV\n"
		}
		return "OK\nRECV\nRECV\nOK\nRECV\n"
	}
	require.Contains(t, check(t, lines, 0, flaky), "same commands, different replies")
}
