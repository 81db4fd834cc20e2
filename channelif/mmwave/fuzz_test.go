package mmwave_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/chantest"
	"github.com/netgym/netgym/channelif/mmwave"
)

// FuzzServeMmwave drives Serve over mmwave-sim's backend (1 s advance
// limit; UM or AM, HARQ on or off; at 100 m seed 1's UE is NLOS with CQI-0
// periods) with arbitrary command sequences (chantest.Program, sizes
// beyond the 1472-byte maximum included): Serve never fails, every line
// gets exactly one reply, every id received was transmitted in the same
// episode and arrives at most as often as it was sent, and the same
// commands give the same replies (chantest.CheckServe).
func FuzzServeMmwave(f *testing.F) {
	f.Add([]byte("\x00\x01\x00\x05\x02\x00\x00\x00\x04\x01\x01\x10\x03\x00\x00\x00"), false, true)
	f.Add([]byte("\x00\x00\x01\x05\x00\x00\x00\x06\x04\x01\x02\x07\x02\x03\x00\x00\x06\x00\x00\x00"), true, true)
	f.Add([]byte("\x02\xff\xff\x00\x05\xff\x00\x00\x08\x00\x00\x00"), true, false)
	f.Fuzz(func(t *testing.T, data []byte, am, harq bool) {
		chantest.CheckServe(t, chantest.Program(data, 0), 0, mmwave.MaxPacketSize, func(input string) string {
			cfg := mmwave.DefaultConfig()
			cfg.MaxAdvanceS = 1
			cfg.Distance = 100
			cfg.RlcAm, cfg.Harq = am, harq
			ch, err := mmwave.NewChannel(cfg)
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
