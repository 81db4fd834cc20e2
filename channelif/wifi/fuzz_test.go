package wifi

import (
	"bytes"
	"strings"
	"testing"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/chantest"
)

// FuzzServeWifi drives Serve over the real Wi-Fi backends (wifi-sim's
// ad-hoc pair and wifi-multi-ue-sim's BSS with 2 UEs, with a 1 s advance
// limit that bounds the simulated time per command) with arbitrary command
// sequences (chantest.Program, sizes beyond the 2268-byte maximum
// included). Serve never fails, every line gets exactly one reply, every
// id received was transmitted in the same episode and arrives at most as
// often as it was sent, and the same commands give the same replies
// (chantest.CheckServe).
func FuzzServeWifi(f *testing.F) {
	f.Add([]byte("\x00\x01\x00\x05\x02\x00\x00\x00\x04\x01\x01\x10\x03\x00\x00\x00"), false)
	f.Add([]byte("\x00\x00\x01\x05\x00\x00\x00\x06\x04\x01\x02\x07\x02\x03\x00\x00\x06\x00\x00\x00"), true)
	f.Add([]byte("\x02\xff\xff\x00\x05\xff\x00\x00\x08\x00\x00\x00"), true)
	f.Fuzz(func(t *testing.T, data []byte, multi bool) {
		ues := 0
		if multi {
			ues = 2
		}
		chantest.CheckServe(t, chantest.Program(data, ues), ues, MaxPacketSize, func(input string) string {
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
		})
	})
}
