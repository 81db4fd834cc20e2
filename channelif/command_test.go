package channelif

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		line string
		want Command
	}{
		{"", Command{}},
		{"   ", Command{}},
		{"\r", Command{}},
		{"\t \r\n", Command{}},
		{"TRANSMIT 5", Command{OpTransmit, []uint32{5}}},
		{"TRANSMIT 5 64", Command{OpTransmit, []uint32{5, 64}}},
		{"TRANSMIT 1 5 64", Command{OpTransmit, []uint32{1, 5, 64}}},
		{"TRANSMIT 0 0", Command{OpTransmit, []uint32{0, 0}}},
		{"TRANSMIT 4294967295 0", Command{OpTransmit, []uint32{4294967295, 0}}},
		{"  TRANSMIT\t7   1500  \r\n", Command{OpTransmit, []uint32{7, 1500}}},
		{"TRANSMIT 007 0064", Command{OpTransmit, []uint32{7, 64}}},
		{"FLUSH 0", Command{OpFlush, []uint32{0}}},
		{"FLUSH 4294967295\n", Command{OpFlush, []uint32{4294967295}}},
		{"RESET", Command{OpReset, nil}},
		{"RESET\r\n", Command{OpReset, nil}},
		{"QUIT", Command{OpQuit, nil}},
		{"STEP 3", Command{OpStep, []uint32{3}}},
		{"STEP 3 0", Command{OpStep, []uint32{3, 0}}},
		{"STEP 3 64", Command{OpStep, []uint32{3, 64}}},
		{"STEP 3 64 0 128", Command{OpStep, []uint32{3, 64, 0, 128}}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := ParseCommand(tt.line)
			require.NoError(t, err)
			assert.Equal(t, tt.want.Op, got.Op)
			assert.Equal(t, len(tt.want.Args), len(got.Args))
			if len(tt.want.Args) > 0 {
				assert.Equal(t, tt.want.Args, got.Args)
			}
			if got.Op != OpNone {
				again, err := ParseCommand(got.String())
				require.NoError(t, err)
				assert.Equal(t, got.String(), again.String())
			}
		})
	}
}

func TestParseCommandErrors(t *testing.T) {
	tests := []struct {
		line    string
		msg     string
		unknown bool
	}{
		{"FOO", "unknown command: FOO", true},
		{"FOO 1 2", "unknown command: FOO", true},
		{"transmit 1", "unknown command: transmit", true},
		{"Flush 1", "unknown command: Flush", true},
		{"TRANSMITX 1", "unknown command: TRANSMITX", true},
		{"READY", "unknown command: READY", true},
		{"OK", "unknown command: OK", true},
		{"\x00\xff", `unknown command: "\x00\xff"`, true},
		{"é", "unknown command: é", true},
		{strings.Repeat("A", 100), `unknown command: "` + strings.Repeat("A", 40) + `"...`, true},

		{"TRANSMIT", "TRANSMIT takes [ue_id] <step_id> [pkt_size], got 0 arguments", false},
		{"TRANSMIT 1 2 3 4", "TRANSMIT takes [ue_id] <step_id> [pkt_size], got 4 arguments", false},
		{"TRANSMIT abc", "TRANSMIT: step_id abc is not a non-negative integer", false},
		{"TRANSMIT -1", "TRANSMIT: step_id -1 is negative", false},
		{"TRANSMIT 4294967296", "TRANSMIT: step_id 4294967296 is out of range [0,4294967295]", false},
		{"TRANSMIT 99999999999999999999999", "TRANSMIT: step_id 99999999999999999999999 is out of range [0,4294967295]", false},
		{"TRANSMIT 1.5", "TRANSMIT: step_id 1.5 is not a non-negative integer", false},
		{"TRANSMIT +1", "TRANSMIT: step_id +1 is not a non-negative integer", false},
		{"TRANSMIT 0x10", "TRANSMIT: step_id 0x10 is not a non-negative integer", false},
		{"TRANSMIT 1e3", "TRANSMIT: step_id 1e3 is not a non-negative integer", false},
		{"TRANSMIT 5 -64", "TRANSMIT: argument 2 -64 is negative", false},
		{"TRANSMIT x 5", "TRANSMIT: argument 1 x is not a non-negative integer", false},
		{"TRANSMIT 1 2 big", "TRANSMIT: pkt_size big is not a non-negative integer", false},
		{"TRANSMIT -1 2 3", "TRANSMIT: ue_id -1 is negative", false},
		{"TRANSMIT 1 - 3", "TRANSMIT: step_id - is not a non-negative integer", false},
		{"TRANSMIT 1 2 4294967296", "TRANSMIT: pkt_size 4294967296 is out of range [0,4294967295]", false},
		{"FLUSH", "FLUSH takes 1 argument (<step_id>), got 0", false},
		{"FLUSH 1 2", "FLUSH takes 1 argument (<step_id>), got 2", false},
		{"FLUSH -3", "FLUSH: step_id -3 is negative", false},
		{"FLUSH ten", "FLUSH: step_id ten is not a non-negative integer", false},
		{"FLUSH 1,2", "FLUSH: step_id 1,2 is not a non-negative integer", false},
		{"RESET now", "RESET takes no arguments, got 1", false},
		{"QUIT 0", "QUIT takes no arguments, got 1", false},
		{"STEP", "STEP takes <step_id> [size ...], got no arguments", false},
		{"STEP x", "STEP: step_id x is not a non-negative integer", false},
		{"STEP 1 -5", "STEP: pkt_size -5 is negative", false},
		{"STEP 1 5 x", "STEP: size 2 (of UE 1) x is not a non-negative integer", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := ParseCommand(tt.line)
			require.Error(t, err)
			assert.Equal(t, tt.msg, err.Error())
			assert.Equal(t, Command{}, got)
			assert.Equal(t, tt.unknown, errorIsUnknown(err))
			assert.Equal(t, !tt.unknown, errorIsMalformed(err))
		})
	}
}

func errorIsUnknown(err error) bool   { return errors.Is(err, ErrUnknownCommand) }
func errorIsMalformed(err error) bool { return errors.Is(err, ErrMalformed) }

func TestOpString(t *testing.T) {
	for op, s := range map[Op]string{OpNone: "", OpTransmit: "TRANSMIT", OpFlush: "FLUSH", OpReset: "RESET", OpQuit: "QUIT", OpStep: "STEP", Op(42): "Op(42)"} {
		assert.Equal(t, s, op.String())
	}
	assert.Equal(t, "STEP 1 2 3", Command{OpStep, []uint32{1, 2, 3}}.String())
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{
		"", " ", "\r\n", "TRANSMIT 1", "TRANSMIT 1 64", "TRANSMIT 0 1 64", "FLUSH 3", "RESET", "QUIT",
		"STEP 1", "STEP 1 0", "STEP 1 64 0 32", "FOO", "TRANSMIT -1", "FLUSH 4294967296",
		"TRANSMIT 1 2 3 4", "FLUSH", "STEP", "\x00", "TRANSMIT \xff", "FLUSH 99999999999999999999",
		"RESET 1", "QUIT now", "TRANSMIT\t1\t2", "STEP 1 " + strings.Repeat("7 ", 100),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, err := ParseCommand(line)
		if err != nil {
			msg := err.Error()
			if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("error %q is not one valid line", msg)
			}
			if !errorIsUnknown(err) && !errorIsMalformed(err) {
				t.Fatalf("error %v is neither unknown nor malformed", err)
			}
			return
		}
		n := len(c.Args)
		switch c.Op {
		case OpNone:
			if strings.Trim(line, " \t\r\n\v\f") != "" {
				t.Fatalf("%q parsed as blank", line)
			}
		case OpTransmit:
			if n < 1 || n > 3 {
				t.Fatalf("TRANSMIT with %d args", n)
			}
		case OpFlush:
			if n != 1 {
				t.Fatalf("FLUSH with %d args", n)
			}
		case OpReset, OpQuit:
			if n != 0 {
				t.Fatalf("%v with %d args", c.Op, n)
			}
		case OpStep:
			if n < 1 {
				t.Fatal("STEP without args")
			}
		default:
			t.Fatalf("bad op %v", c.Op)
		}
		if c.Op != OpNone {
			again, err := ParseCommand(c.String())
			if err != nil || again.String() != c.String() {
				t.Fatalf("round trip of %q: %q, %v", line, again.String(), err)
			}
		}
	})
}
