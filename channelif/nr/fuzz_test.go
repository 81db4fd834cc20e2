package nr_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/chantest"
	"github.com/netgym/netgym/channelif/nr"
)

// FuzzServeLena drives Serve over lena-sim's backend (1 s advance limit;
// at 50 m every packet arrives a step late, at 400 m seed 1's link delays
// them by HARQ retransmissions and RLC reordering, 7.4 steps on average;
// shadowing on or off) with arbitrary command sequences (chantest.Program,
// sizes beyond the 1932-byte maximum included): Serve never fails, every
// line gets exactly one reply, every id received was transmitted in the
// same episode and arrives at most as often as it was sent, and the same
// commands give the same replies (chantest.CheckServe).
func FuzzServeLena(f *testing.F) {
	f.Add([]byte("\x00\x01\x00\x05\x02\x00\x00\x00\x04\x01\x01\x10\x03\x00\x00\x00"), false, false)
	f.Add([]byte("\x00\x00\x01\x05\x00\x00\x00\x06\x04\x01\x02\x07\x02\x03\x00\x00\x06\x00\x00\x00"), true, false)
	f.Add([]byte("\x02\xff\xff\x00\x05\xff\x00\x00\x08\x00\x00\x00"), true, true)
	f.Add([]byte("\x00\x00\x00\xa1\x04\x01\x00\xa2\x04\x03\x00\x01\x02\x03\x00\x00"), true, true)
	f.Fuzz(func(t *testing.T, data []byte, far, shadowing bool) {
		chantest.CheckServe(t, chantest.Program(data, 0), 0, nr.MaxPacketSize, func(input string) string {
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
		})
	})
}
