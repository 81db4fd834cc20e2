package channelif

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// FuzzServeChannels drives Serve over channel-sim's backends (a
// PerfectChannel or a GEChannel behind a ChannelBackend) with arbitrary
// command sequences: 3 bytes a command, step ids below 65536, sizes up to
// 2^32-1. Serve never fails; every line gets one reply; every id received
// was transmitted since the last RESET and is received at most as often as
// it was sent; the perfect channel returns every id transmitted at a step
// <= the flushed one, exactly once.
func FuzzServeChannels(f *testing.F) {
	f.Add([]byte("\x00\x00\x01\x02\x00\x01\x04\x00\x02\x05\x00\x00"), false, 0)
	f.Add([]byte("\x00\x10\x00\x00\x00\x01\x04\x20\x00\x02\x30\x00\x05\x00\x00"), true, 2)
	f.Fuzz(func(t *testing.T, data []byte, ge bool, delay int) {
		var ch CommChannel = NewPerfectChannel()
		if ge {
			cfg := DefaultGEConfig()
			cfg.DelaySteps = max(0, min(delay, 5))
			g, err := NewGEChannel(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ch = g
		}
		b, err := NewChannelBackend(ch, DefaultChannelBackendConfig())
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for i := 0; i+3 <= len(data) && len(lines) < 500; i += 3 {
			step := int(data[i+1])<<8 | int(data[i+2])
			switch data[i] % 7 {
			case 0, 1:
				lines = append(lines, fmt.Sprintf("TRANSMIT %d", step))
			case 2:
				lines = append(lines, fmt.Sprintf("TRANSMIT %d %d", step, uint32(step)*65537))
			case 3:
				lines = append(lines, fmt.Sprintf("FLUSH %d", step))
			case 4:
				lines = append(lines, fmt.Sprintf("STEP %d %d", step, data[i+2]%3))
			case 5:
				lines = append(lines, "RESET")
			default:
				lines = append(lines, fmt.Sprintf("STEP %d x", step))
			}
		}
		var out bytes.Buffer
		if err := Serve(strings.NewReader(strings.Join(lines, "\n")), &out, b, ServeOptions{}); err != nil {
			t.Fatal(err)
		}
		replies := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if out.Len() == 0 {
			replies = nil
		}
		if len(replies) != len(lines) {
			t.Fatalf("%d replies for %d lines", len(replies), len(lines))
		}
		sent := map[uint32]int{}
		for k, l := range lines {
			r := replies[k]
			f := strings.Fields(l)
			var step64 uint64
			if len(f) > 1 {
				step64, _ = strconv.ParseUint(f[1], 10, 32)
			}
			if f[0] == "RESET" {
				if r != "OK" {
					t.Fatalf("RESET: %q", r)
				}
				clear(sent)
				continue
			}
			step := uint32(step64)
			switch {
			case f[0] == "TRANSMIT" && r == "OK":
				sent[step]++
			case f[0] == "STEP" && len(f) == 3 && f[2] != "0" && strings.HasPrefix(r, "RECV"):
				sent[step]++
			}
			if !strings.HasPrefix(r, "RECV") {
				if r != "OK" && !strings.HasPrefix(r, "ERROR ") {
					t.Fatalf("bad reply %q", r)
				}
				continue
			}
			for _, s := range strings.Fields(r)[1:] {
				v, err := strconv.ParseUint(s, 10, 32)
				if err != nil || sent[uint32(v)] == 0 {
					t.Fatalf("%s received, not in flight (line %q)", s, l)
				}
				sent[uint32(v)]--
			}
			if !ge && f[0] != "TRANSMIT" {
				for id, n := range sent {
					if n > 0 && id <= step {
						t.Fatalf("perfect channel kept id %d after %q", id, l)
					}
				}
			}
		}
	})
}
