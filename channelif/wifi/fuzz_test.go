package wifi

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/netgym/netgym/channelif"
)

// fuzzProgram turns fuzz bytes into protocol lines, 4 bytes a command:
// the command, a step id below 4096 (near the previous one most of the
// time, so that packets are in flight), a UE and a size up to 3060 bytes
// (beyond the 2268-byte maximum), sometimes missing. Blank and unknown
// lines are in the mix too.
func fuzzProgram(data []byte, ues int) []string {
	var lines []string
	step := 0
	for i := 0; i+4 <= len(data) && len(lines) < 200; i += 4 {
		op, a, b, c := data[i], int(data[i+1]), int(data[i+2]), int(data[i+3])
		switch {
		case a < 200:
			step += a % 4
		default:
			step = (a<<8 | b) % 4096
		}
		ue := b % (ues + 1) // one past the last UE: an ERROR
		size := strconv.Itoa(c * 12)
		if c%5 == 0 {
			size = ""
		}
		var l string
		switch op % 9 {
		case 0, 1:
			if ues > 0 {
				l = fmt.Sprintf("TRANSMIT %d %d %s", ue, step, size)
			} else {
				l = fmt.Sprintf("TRANSMIT %d %s", step, size)
			}
		case 2, 3:
			l = fmt.Sprintf("FLUSH %d", step)
		case 4, 5:
			l = fmt.Sprintf("STEP %d %s", step, size)
		case 6:
			l = "RESET"
		case 7:
			l = "   "
		default:
			l = fmt.Sprintf("BOGUS %d", op)
		}
		lines = append(lines, strings.TrimSpace(l)+"\n")
	}
	return lines
}

// FuzzServeWifi drives Serve over the real Wi-Fi backends (wifi-sim's
// ad-hoc pair and wifi-multi-ue-sim's BSS, with a 1 s advance limit that
// bounds the simulated time per command) with arbitrary command sequences.
// Serve never fails, every line gets exactly one reply, every id received
// was transmitted in the same episode and arrives at most as often as it
// was sent, and the same commands give the same replies.
func FuzzServeWifi(f *testing.F) {
	f.Add([]byte("\x00\x01\x00\x05\x02\x00\x00\x00\x04\x01\x01\x10\x03\x00\x00\x00"), false)
	f.Add([]byte("\x00\x00\x01\x05\x00\x00\x00\x06\x04\x01\x02\x07\x02\x03\x00\x00\x06\x00\x00\x00"), true)
	f.Add([]byte("\x02\xff\xff\x00\x05\xff\x00\x00\x08\x00\x00\x00"), true)
	f.Fuzz(func(t *testing.T, data []byte, multi bool) {
		ues := 0
		if multi {
			ues = 2
		}
		lines := fuzzProgram(data, ues)
		input := strings.Join(lines, "")
		serve := func() string {
			var b channelif.Backend
			if multi {
				cfg := DefaultMultiUEConfig()
				cfg.MaxAdvanceS = 1
				mb, err := NewMultiUEBackend(cfg)
				if err != nil {
					t.Fatal(err)
				}
				b = mb
			} else {
				cfg := DefaultConfig()
				cfg.MaxAdvanceS = 1
				cfg.Distance = 45 // some loss, some retries
				ch, err := NewChannel(cfg)
				if err != nil {
					t.Fatal(err)
				}
				b = ch.Backend()
			}
			var out bytes.Buffer
			if err := channelif.Serve(strings.NewReader(input), &out, b, channelif.ServeOptions{}); err != nil {
				t.Fatal(err)
			}
			return out.String()
		}
		got := serve()
		replies := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
		want := 0
		for _, l := range lines {
			if strings.TrimSpace(l) != "" {
				want++
			}
		}
		if got == "" {
			replies = nil
		}
		if len(replies) != want {
			t.Fatalf("%d replies for %d commands:\n%s\n--\n%s", len(replies), want, input, got)
		}
		// Ids received versus ids sent, per episode.
		sent := map[string]int{}
		k := 0
		for _, l := range lines {
			if strings.TrimSpace(l) == "" {
				continue
			}
			r := replies[k]
			k++
			f := strings.Fields(l)
			switch {
			case f[0] == "RESET" && r == "OK":
				clear(sent)
			case f[0] == "TRANSMIT" && r == "OK":
				sent[id(f, ues)]++
			case f[0] == "STEP" && strings.HasPrefix(r, "RECV"):
				if len(f) < 3 || f[2] != "0" {
					for ue := range max(ues, 1) {
						if ues > 0 {
							sent[strconv.Itoa(ue)+":"+f[1]]++
						} else {
							sent[f[1]]++
						}
					}
				}
			}
			if strings.HasPrefix(r, "RECV") {
				for _, got := range strings.Fields(r)[1:] {
					if sent[got] == 0 {
						t.Fatalf("%q received but not in flight; command %q\n%s\n--\n%s", got, l, input, got)
					}
					sent[got]--
				}
			} else if r != "OK" && !strings.HasPrefix(r, "ERROR ") {
				t.Fatalf("bad reply %q", r)
			}
		}
		if again := serve(); again != got {
			t.Fatalf("same commands, different replies:\n%s\n--\n%s", got, again)
		}
	})
}

// id returns the id a TRANSMIT line's packet is reported with.
func id(f []string, ues int) string {
	if ues > 0 {
		return f[1] + ":" + f[2]
	}
	return f[1]
}
