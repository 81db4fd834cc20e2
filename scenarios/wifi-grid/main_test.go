package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/mac80211/bssgrid"
	"github.com/netgym/netgym/sim"
)

func TestReport(t *testing.T) {
	var out, diag bytes.Buffer
	code := run([]string{"-bss", "4", "-stations", "3", "-duration", "200ms", "-warmup", "50ms", "-traffic", "cbr", "-json"}, &out, &diag)
	require.Equal(t, 0, code, diag.String())
	var r report
	require.NoError(t, json.Unmarshal(out.Bytes(), &r))
	require.Equal(t, 16, r.Nodes)
	require.Equal(t, uint64(24), r.Sent) // 12 stations, CBR every 100 ms for 0.2 s
	require.Equal(t, 1.0, r.Delivery)
	require.Greater(t, r.Events, uint64(0))
	require.Greater(t, r.BuildBytesPerNd, 0.0)
	require.Greater(t, r.QueueBytesPerNd, 0.0)
	require.Less(t, r.QueueBytesPerNd, r.FinalBytesPerNd)
	// What the PHYs did, by ns-3's names: every data frame reached its AP
	// (received), the weak signals from the other BSSs failed detection.
	require.GreaterOrEqual(t, r.PhyRxOk, 2*r.Sent, "the data frames and their ACKs at least")
	require.Positive(t, r.PhyDrops["PREAMBLE_DETECT_FAILURE"])
	for name := range r.PhyDrops {
		require.NotEmpty(t, name)
		require.Equal(t, strings.ToUpper(name), name, "ns-3's enumerator names")
	}

	require.Equal(t, -101.0, r.RxSensitivityDbm)
	// BSSs 50 m apart hear each other below -82 dBm: sub-detection
	// deliveries, each kept without an event or refused for one reason.
	require.Positive(t, r.Weak)
	require.Positive(t, r.Lazy)
	f := r.Refused
	require.Equal(t, r.Weak, r.Lazy+f.NotQuiet+f.BelowSensitivity+f.Full+f.Order+f.Bound)
	require.Positive(t, r.Catchups)

	// ns-3's RxSensitivity at -82 dBm: the medium culls at -82 dBm, the
	// same run as a -82 dBm floor.
	var bySens, byFloor report
	for _, c := range []struct {
		flag string
		r    *report
	}{{"-rx-sensitivity", &bySens}, {"-floor", &byFloor}} {
		out.Reset()
		code = run([]string{"-bss", "9", "-stations", "3", "-spacing", "30", "-duration", "200ms", "-warmup", "10ms", "-json", c.flag, "-82"}, &out, &diag)
		require.Equal(t, 0, code, diag.String())
		require.NoError(t, json.Unmarshal(out.Bytes(), c.r))
	}
	require.Equal(t, -82.0, bySens.RxSensitivityDbm)
	require.Equal(t, -101.0, bySens.FloorDbm)
	require.Greater(t, bySens.Deliveries, uint64(0))
	require.Equal(t, byFloor.Deliveries, bySens.Deliveries)
	require.Equal(t, byFloor.Received, bySens.Received)
	require.Equal(t, byFloor.Events, bySens.Events)
	require.Zero(t, bySens.Weak) // nothing below the detection threshold reaches a PHY
	require.Zero(t, bySens.Catchups)

	out.Reset()
	code = run([]string{"-nodes", "20", "-duration", "100ms"}, &out, &diag)
	require.Equal(t, 0, code, diag.String())
	require.Contains(t, out.String(), "20 nodes (2 BSSs, ad-hoc, static ARP)")
	require.Contains(t, out.String(), "sub-detection: ")
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-bss", "0"}, {"-traffic", "bursty"}, {"-payload", "99999"}, {"-rx-sensitivity", "NaN"}} {
		var out, diag bytes.Buffer
		require.Equal(t, 2, run(args, &out, &diag), args)
		require.Contains(t, diag.String(), "wifi-grid: ")
	}
}

// runAndRead runs wifi-grid with args, which must succeed, and returns the
// lines of the file at path that the run wrote.
func runAndRead(t *testing.T, path string, args ...string) []string {
	t.Helper()
	var out, diag bytes.Buffer
	require.Equal(t, 0, run(args, &out, &diag), diag.String())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func TestPositionsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pos.txt")
	var out, diag bytes.Buffer
	lines := runAndRead(t, path, "-bss", "5", "-stations", "3", "-duration", "50ms", "-warmup", "10ms", "-seed", "7", "-positions", path, "-json")
	require.Len(t, lines, 1+20)
	require.True(t, strings.HasPrefix(lines[0], "# wifi-grid positions: 5 BSSs of 1 AP + 3 stations"), lines[0])
	cfg := bssgrid.DefaultConfig()
	cfg.BSSs, cfg.StationsPerBSS, cfg.Seed = 5, 3, 7
	want, err := bssgrid.Positions(cfg)
	require.NoError(t, err)
	for i, line := range lines[1:] {
		f := strings.Fields(line)
		require.Len(t, f, 2, line)
		x, err := strconv.ParseFloat(f[0], 64)
		require.NoError(t, err)
		y, err := strconv.ParseFloat(f[1], 64)
		require.NoError(t, err)
		require.Equal(t, want[i].X, x, "node %d: the exact float64", i)
		require.Equal(t, want[i].Y, y, "node %d", i)
	}
	require.Equal(t, "100 0", lines[1+2*4], "BSS 2's AP")

	code := run([]string{"-bss", "2", "-positions", filepath.Join(t.TempDir(), "no", "such", "dir")}, &out, &diag)
	require.Equal(t, 1, code)
	require.Contains(t, diag.String(), "writing positions")
}

// -starts writes each node's power-on time: 0 for the APs, the station's
// StartJitter draw (within the jitter, not all equal) for the stations; the
// stations' first associations come at least a passive scan after it.
func TestStartsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "starts.txt")
	var out, diag bytes.Buffer
	lines := runAndRead(t, path, "-bss", "4", "-stations", "3", "-infra", "-start-jitter", "80ms", "-warmup", "400ms",
		"-duration", "20ms", "-seed", "5", "-starts", path, "-json")
	require.Len(t, lines, 1+16)
	require.True(t, strings.HasPrefix(lines[0], "# wifi-grid power-on times: 4 BSSs of 1 AP + 3 stations, start jitter 80ms, seed 5"), lines[0])
	distinct := map[int64]bool{}
	for i, line := range lines[1:] {
		ns, err := strconv.ParseInt(line, 10, 64)
		require.NoError(t, err, line)
		if i%4 == 0 {
			require.Equal(t, int64(0), ns, "node %d is an AP", i)
			continue
		}
		require.GreaterOrEqual(t, ns, int64(0), "node %d", i)
		require.Less(t, ns, int64(80e6), "node %d: within the jitter", i)
		distinct[ns] = true
	}
	require.Len(t, distinct, 12, "every station its own draw")

	// The same run builds the same draws.
	cfg := bssgrid.DefaultConfig()
	cfg.BSSs, cfg.StationsPerBSS, cfg.Seed, cfg.Infrastructure = 4, 3, 5, true
	cfg.Install.Sta.StartJitter = 80 * sim.Millisecond
	g, err := bssgrid.Build(cfg)
	require.NoError(t, err)
	on, ok := g.Stations[0].Mac().PowerOnTime()
	require.True(t, ok)
	require.Equal(t, lines[2], strconv.FormatInt(int64(on), 10), "BSS 0's first station")

	code := run([]string{"-bss", "2", "-infra", "-starts", filepath.Join(t.TempDir(), "no", "such", "dir")}, &out, &diag)
	require.Equal(t, 1, code)
	require.Contains(t, diag.String(), "writing power-on times")
}

// Infrastructure mode's fields: the association percentiles (in order,
// none before the passive scan's 120 ms, spread by -start-jitter), the
// transmissions by ns-3's frame type names (summing to the total), and the
// allocations per event of the whole run (association included) against
// those of the traffic window.
func TestReportInfra(t *testing.T) {
	get := func(args ...string) report {
		t.Helper()
		var out, diag bytes.Buffer
		code := run(append([]string{"-bss", "4", "-stations", "3", "-warmup", "500ms", "-duration", "100ms", "-json"}, args...), &out, &diag)
		require.Equal(t, 0, code, diag.String())
		var r report
		require.NoError(t, json.Unmarshal(out.Bytes(), &r))
		return r
	}
	for _, jitter := range []string{"0s", "200ms"} {
		r := get("-infra", "-start-jitter", jitter)
		require.Equal(t, 12, r.Associated, jitter)
		a := r.AssocMs
		require.Len(t, a, 5, jitter)
		require.GreaterOrEqual(t, a["first"], 120.0, jitter)
		for _, p := range [][2]string{{"first", "p10"}, {"p10", "median"}, {"median", "p90"}, {"p90", "last"}} {
			require.LessOrEqual(t, a[p[0]], a[p[1]], "%s: %s <= %s", jitter, p[0], p[1])
		}
		// The delay from power-on: the 120 ms passive scan and the
		// exchange, jitter or not; equal to the times without jitter.
		d := r.AssocDelayMs
		require.Len(t, d, 5, jitter)
		require.GreaterOrEqual(t, d["first"], 120.0, jitter)
		require.Less(t, d["last"], 140.0, jitter)
		for _, p := range [][2]string{{"first", "p10"}, {"p10", "median"}, {"median", "p90"}, {"p90", "last"}} {
			require.LessOrEqual(t, d[p[0]], d[p[1]], "%s: delay %s <= %s", jitter, p[0], p[1])
		}
		if jitter == "0s" {
			require.Equal(t, a, d, "powered on at 0")
			require.Less(t, a["last"], 140.0, "every scan ends at 120 ms")
		} else {
			require.Greater(t, a["last"]-a["first"], 50.0, "power-on spread over 200 ms")
			require.Less(t, a["last"], 120.0+200+20)
		}
		var sum uint64
		for _, n := range r.TxTypes {
			sum += n
		}
		require.Equal(t, r.Transmissions, sum, jitter)
		require.GreaterOrEqual(t, r.TxTypes["MGT_ASSOCIATION_REQUEST"], uint64(12), jitter)
		require.Positive(t, r.TxTypes["MGT_BEACON"], jitter)
		require.Positive(t, r.TrafficAllocPerEvt, jitter)
		require.Greater(t, r.AllocPerEvt, r.TrafficAllocPerEvt, "%s: association allocates", jitter)
	}
	adhoc := get()
	require.Nil(t, adhoc.AssocMs)
	require.Nil(t, adhoc.AssocDelayMs)
	require.Equal(t, []string{"CTL_ACK", "DATA"}, sortedKeys(adhoc.TxTypes))

	var out, diag bytes.Buffer
	require.Equal(t, 2, run([]string{"-infra", "-start-jitter", "-1s"}, &out, &diag))
	require.Contains(t, diag.String(), "StartJitter")
}

func sortedKeys(m map[string]uint64) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	slices.Sort(k)
	return k
}
