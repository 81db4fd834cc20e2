package nr_test

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/nr"
)

// fuzzProgram turns fuzz bytes into protocol lines, 4 bytes a command:
// the command, a step id below 4096 (near the previous one most of the
// time, so that packets are in flight) and a size up to 3060 bytes
// (beyond the 1932-byte maximum), sometimes missing. Blank and unknown
// lines are in the mix too. (channelif/mmwave's FuzzServeMmwave draws its
// programs the same way.)
func fuzzProgram(data []byte) []string {
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
		size := strconv.Itoa(c * 12)
		if c%5 == 0 {
			size = ""
		}
		var l string
		switch op % 9 {
		case 0, 1:
			l = fmt.Sprintf("TRANSMIT %d %s", step, size)
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

// FuzzServeLena drives Serve over lena-sim's backend (1 s advance limit;
// at 50 m every packet arrives a step late, at 400 m seed 1's link delays
// them by HARQ retransmissions and RLC reordering, 7.4 steps on average;
// shadowing on or off) with arbitrary command sequences: Serve never
// fails, every line gets exactly one reply, every id received was
// transmitted in the same episode and arrives at most as often as it was
// sent, and the same commands give the same replies.
func FuzzServeLena(f *testing.F) {
	f.Add([]byte("\x00\x01\x00\x05\x02\x00\x00\x00\x04\x01\x01\x10\x03\x00\x00\x00"), false, false)
	f.Add([]byte("\x00\x00\x01\x05\x00\x00\x00\x06\x04\x01\x02\x07\x02\x03\x00\x00\x06\x00\x00\x00"), true, false)
	f.Add([]byte("\x02\xff\xff\x00\x05\xff\x00\x00\x08\x00\x00\x00"), true, true)
	f.Add([]byte("\x00\x00\x00\xa1\x04\x01\x00\xa2\x04\x03\x00\x01\x02\x03\x00\x00"), true, true)
	f.Fuzz(func(t *testing.T, data []byte, far, shadowing bool) {
		lines := fuzzProgram(data)
		input := strings.Join(lines, "")
		serve := func() string {
			cfg := nr.DefaultConfig()
			cfg.MaxAdvanceS = 1
			cfg.Shadowing = shadowing
			if far {
				cfg.Distance = 400
			}
			ch, err := nr.NewChannel(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := channelif.Serve(strings.NewReader(input), &out, ch.Backend(), channelif.ServeOptions{}); err != nil {
				t.Fatal(err)
			}
			return out.String()
		}
		got := serve()
		replies := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
		if got == "" {
			replies = nil
		}
		want := 0
		for _, l := range lines {
			if strings.TrimSpace(l) != "" {
				want++
			}
		}
		if len(replies) != want {
			t.Fatalf("%d replies for %d commands:\n%s\n--\n%s", len(replies), want, input, got)
		}
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
				sent[f[1]]++
			case f[0] == "STEP" && strings.HasPrefix(r, "RECV"):
				if len(f) < 3 || f[2] != "0" {
					sent[f[1]]++
				}
			}
			if strings.HasPrefix(r, "RECV") {
				for _, id := range strings.Fields(r)[1:] {
					if sent[id] == 0 {
						t.Fatalf("%q received but not in flight; command %q\n%s\n--\n%s", id, l, input, got)
					}
					sent[id]--
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
