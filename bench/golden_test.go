package bench

import (
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

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

// runMultiUE sends one packet per UE per step through the multi-UE backend
// and flushes every step.
func runMultiUE(t *testing.T, b *wifi.MultiUEBackend, ues, steps int) goldenStepping {
	t.Helper()
	h := fnv.New64a()
	var got goldenStepping
	lagSum := 0.0
	for s := range steps {
		for ue := range ues {
			require.NoError(t, b.Transmit(ue, uint32(s), 64))
		}
		arr, err := b.Flush(uint32(s))
		require.NoError(t, err)
		for _, a := range arr {
			fmt.Fprintf(h, "%d/%d:%d;", a.UE, a.Step, s)
			got.Received++
			lagSum += float64(s - int(a.Step))
		}
	}
	got.Steps = steps * ues
	got.Delivery = float64(got.Received) / float64(got.Steps)
	if got.Received > 0 {
		got.MeanLag = lagSum / float64(got.Received)
	}
	got.Hash = fmt.Sprintf("%016x", h.Sum64())
	return got
}

type goldenRecord struct {
	Saturation map[string]mac80211.SaturationResult `json:"saturation"`
	Stepping   map[string]goldenStepping            `json:"stepping"`
}

// flusher is what both Wi-Fi stepping channels offer.
type flusher interface {
	Transmit(step uint32, size int) error
	Flush(step uint32) ([]uint32, error)
}

func runStepping(t *testing.T, ch flusher, steps int) goldenStepping {
	t.Helper()
	h := fnv.New64a()
	var got goldenStepping
	lagSum := 0.0
	for s := range steps {
		require.NoError(t, ch.Transmit(uint32(s), 64))
		ids, err := ch.Flush(uint32(s))
		require.NoError(t, err)
		for _, id := range ids {
			fmt.Fprintf(h, "%d:%d;", id, s)
			got.Received++
			lagSum += float64(s - int(id))
		}
	}
	got.Steps = steps
	got.Delivery = float64(got.Received) / float64(steps)
	if got.Received > 0 {
		got.MeanLag = lagSum / float64(got.Received)
	}
	got.Hash = fmt.Sprintf("%016x", h.Sum64())
	return got
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
		got.Stepping[fmt.Sprintf("wifi_sim_%gm", d)] = runStepping(t, ch, 3000)
	}
	mcfg := wifi.DefaultMultiUEConfig()
	mcfg.NUEs, mcfg.Distances = 3, []float64{10, 45, 51}
	b, err := wifi.NewMultiUEBackend(mcfg)
	require.NoError(t, err)
	got.Stepping["multi_ue_10_45_51m"] = runMultiUE(t, b, 3, 2000)
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
