package bench

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/wifi"
	"github.com/netgym/netgym/mac80211"
)

// updateGolden rewrites testdata/golden.json from the current code. Only do
// so in a commit that changes a model on purpose, and say why there.
var updateGolden = flag.Bool("update-golden", false, "rewrite bench/testdata/golden.json")

// goldenStepping is what a NetRL-style stepping run produced: one packet per
// step, flushed every step.
type goldenStepping struct {
	Steps    int     `json:"steps"`
	Received int     `json:"received"`
	Delivery float64 `json:"delivery"`
	MeanLag  float64 `json:"mean_lag_steps"`
	// Hash is FNV-64a over every (sent step, flushed step) pair in
	// arrival order: any change in what arrived when changes it.
	Hash string `json:"hash"`
}

// runStepping sends one 64-byte packet per UE and step through b (UE 0 on
// a single-UE backend) and flushes every step (channelif.RunSteps). The
// hash covers every (UE, sent step, flushed step) in arrival order, the UE
// only on a multi-UE backend.
func runStepping(t *testing.T, b channelif.Backend, steps int) goldenStepping {
	t.Helper()
	h := fnv.New64a()
	multi := b.NumUEs() > 0
	st, err := channelif.RunSteps(context.Background(), b, steps, 64, func(a channelif.Arrival, flushed uint32) {
		if multi {
			fmt.Fprintf(h, "%d/%d:%d;", a.UE, a.Step, flushed)
		} else {
			fmt.Fprintf(h, "%d:%d;", a.Step, flushed)
		}
	})
	require.NoError(t, err)
	got := goldenStepping{Steps: st.Sent, Received: st.Received, Delivery: st.Delivery()}
	if st.Received > 0 {
		got.MeanLag = st.MeanLag()
	}
	got.Hash = fmt.Sprintf("%016x", h.Sum64())
	return got
}

type goldenRecord struct {
	Saturation map[string]mac80211.SaturationResult `json:"saturation"`
	Stepping   map[string]goldenStepping            `json:"stepping"`
}

// TestGoldenResults freezes the results of the Wi-Fi scenarios the seams
// refactoring must not change (issue 9): wifi-saturation's JSON for udp and
// raw n=10 at 54 Mb/s, udp n=50 at 6 Mb/s with static ARP and infra n=8, and
// wifi-sim's stepping at 50 and 51 m (3000 steps of 1 ms), plus the
// multi-UE backend. Every refactoring commit keeps them bit-identical; a
// model fix that changes them re-records them with -update-golden in the
// same commit and says why.
func TestGoldenResults(t *testing.T) {
	sat := map[string]func(*mac80211.SaturationConfig){
		"udp_n10_54":              func(c *mac80211.SaturationConfig) {},
		"raw_n10_54":              func(c *mac80211.SaturationConfig) { c.Raw = true },
		"udp_n50_6_static_arp":    func(c *mac80211.SaturationConfig) { c.N, c.RateMbps, c.StaticARP = 50, 6, true },
		"infra_n8_54":             func(c *mac80211.SaturationConfig) { c.N, c.Infra = 8, true },
		"udp_n10_54_static_arp":   func(c *mac80211.SaturationConfig) { c.StaticARP = true },
		"udp_n10_6_static_arp_1s": func(c *mac80211.SaturationConfig) { c.RateMbps, c.StaticARP, c.Duration = 6, true, 1e9 },
	}
	got := goldenRecord{Saturation: map[string]mac80211.SaturationResult{}, Stepping: map[string]goldenStepping{}}
	for name, set := range sat {
		cfg := mac80211.DefaultSaturationConfig()
		set(&cfg)
		res, err := mac80211.RunSaturation(cfg)
		require.NoError(t, err, name)
		got.Saturation[name] = res
	}
	for _, d := range []float64{50, 51} {
		cfg := wifi.DefaultConfig()
		cfg.Distance = d
		ch, err := wifi.NewChannel(cfg)
		require.NoError(t, err)
		got.Stepping[fmt.Sprintf("wifi_sim_%gm", d)] = runStepping(t, ch.Backend(), 3000)
	}
	mcfg := wifi.DefaultMultiUEConfig()
	mcfg.NUEs, mcfg.Distances = 3, []float64{10, 45, 51}
	b, err := wifi.NewMultiUEBackend(mcfg)
	require.NoError(t, err)
	got.Stepping["multi_ue_10_45_51m"] = runStepping(t, b, 2000)
	path := filepath.Join("testdata", "golden.json")
	if *updateGolden {
		out, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, append(out, '\n'), 0o644))
		t.Logf("rewrote %s", path)
		return
	}
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var want goldenRecord
	require.NoError(t, json.Unmarshal(raw, &want))
	require.Equal(t, want, got)
}
