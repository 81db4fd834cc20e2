package nr

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/internal/validation"
	"github.com/netgym/netgym/nr5g"
	"github.com/netgym/netgym/sim/propagation"
)

// curveRow is one distance of NetRL's experiment: delivery and mean lag
// over 2000 steps of 1 ms (as NetRL counts them: flush step minus send
// step), and why.
type curveRow struct {
	distance   float64
	seed       uint64
	delivered  float64
	lag        float64
	los        bool
	sinrDb     float64
	mcs        int     // the UL MCS of most new transmissions
	tbsPerPkt  float64 // UL transport blocks (first transmissions) per packet
	rvOK       [nr5g.MaxHarqRetx + 1]int
	lost       int  // TBs lost after the last retransmission
	stalled    bool // no UL transport block in the last 500 steps
	reorder    uint64
	lostSdus   uint64
	bufDrops   uint64
	lastUlStep int
	tbSinrDb   float64 // 10 log10 of the linear mean SINR of the UL TBs (the peer's ul_sinr_db)
}

// runCurve runs NetRL's scenario at distance d with seed for steps steps.
func runCurve(t testing.TB, d float64, seed uint64, steps int) curveRow {
	cfg := DefaultConfig()
	cfg.Distance, cfg.Seed = d, seed
	var b channelif.Builder = lena{cfg: cfg}
	ch, err := channelif.NewSimChannel(b, cfg.Seed, cfg.Run)
	require.NoError(t, err)
	n := Scenario(ch)
	row := curveRow{distance: d, seed: seed, lastUlStep: -1}
	mcs := map[uint8]int{}
	var step int
	firsts, ulTbs, sinrLin := 0, 0, 0.0
	n.Gnb.OnTb = func(tr nr5g.TbTrace) {
		if tr.Dir != nr5g.Uplink {
			return
		}
		row.lastUlStep = step
		ulTbs++
		sinrLin += math.Pow(10, tr.SinrDb/10)
		if tr.RV == 0 {
			mcs[tr.MCS]++
			firsts++
		}
		switch {
		case !tr.Corrupted:
			row.rvOK[tr.RV]++
		case tr.RV == nr5g.MaxHarqRetx:
			row.lost++
		}
	}
	seen := map[uint32]bool{}
	lagSum := 0
	for s := 0; s < steps; s++ {
		step = s
		require.NoError(t, ch.Transmit(uint32(s), 64))
		ids, err := ch.Flush(uint32(s))
		require.NoError(t, err)
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				lagSum += s - int(id)
			}
		}
	}
	row.delivered = float64(len(seen)) / float64(steps)
	if len(seen) > 0 {
		row.lag = float64(lagSum) / float64(len(seen))
	}
	best := 0
	for m, c := range mcs {
		if c > best || (c == best && int(m) < row.mcs) {
			best, row.mcs = c, int(m)
		}
	}
	row.tbsPerPkt = float64(firsts) / float64(steps)
	row.tbSinrDb = -999
	if ulTbs > 0 {
		row.tbSinrDb = 10 * math.Log10(sinrLin/float64(ulTbs))
	}
	info, _ := n.Gnb.Scheduler().UEInfo(n.UE.RNTI())
	row.sinrDb = info.UlCqiSinrDbMean
	cm := n.NR.Channel().(*nr5g.ThreeGPPChannel).Pathloss().ConditionModel()
	row.los = cm.Condition(&propagation.Link{Tx: propagation.Endpoint{ID: n.Gnb.Radio()}, Rx: propagation.Endpoint{ID: n.UE.Radio()}}).Los == propagation.LOS
	if st, _, ok := n.Gnb.BearerStats(n.UE.RNTI(), n.Bearer); ok {
		row.reorder, row.lostSdus = st.Reorderings, st.RxLostSdus
	}
	if st, _, ok := n.UE.BearerStats(n.Bearer); ok {
		row.bufDrops = st.TxDrops
	}
	row.stalled = row.lastUlStep < steps-500
	return row
}

func (r curveRow) cells() string {
	cond := "NLOS"
	if r.los {
		cond = "LOS"
	}
	tot := 0
	for _, c := range r.rvOK {
		tot += c
	}
	tot += r.lost
	harq := make([]string, 0, 5)
	for _, c := range r.rvOK {
		harq = append(harq, fmt.Sprintf("%.0f", 100*float64(c)/math.Max(float64(tot), 1)))
	}
	harq = append(harq, fmt.Sprintf("%.1f", 100*float64(r.lost)/math.Max(float64(tot), 1)))
	stall := "-"
	if r.stalled {
		stall = fmt.Sprintf("step %d", r.lastUlStep)
	}
	return fmt.Sprintf("| %.0f | %.4f | %.2f | %s | %.1f | %d | %.1f | %s | %d | %d | %d | %s |", r.distance, r.delivered, r.lag,
		cond, r.sinrDb, r.mcs, r.tbsPerPkt, strings.Join(harq, "/"), r.reorder, r.lostSdus, r.bufDrops, stall)
}

// TestDistanceCurve is NetRL's experiment with the 5G-LENA backend: 2000
// steps of 1 ms, 64-byte packets, UMa at 28 GHz over 100 MHz at
// numerology 3, 50 to 500 m. It logs the table of docs/nr.md (seed 1 with
// the reasons, then delivery and lag over seeds 1 to 10) and checks the
// shape of seed 1's curve: everything delivered up to 350 m with a lag
// of one to three steps, 59% at 400 m more than 100 steps late, nothing
// from 450 m on (5G-LENA's run 1, NetRL's curve: everything up to 350 m,
// a few steps late at 300-350 m, almost nothing from 400 m).
func TestDistanceCurve(t *testing.T) {
	validation.Run(t, "NetRL's 5G-LENA delivery and lag versus distance, 10 seeds x 8 distances x 2000 steps")
	dists := []float64{50, 100, 200, 300, 350, 400, 450, 500}
	var b strings.Builder
	b.WriteString("\n| distance m | delivered | lag steps | condition | PUSCH SINR dB | UL MCS | new TBs per packet | decoded at rv 0/1/2/3, lost % | t-Reordering expiries | SDUs lost | RLC drops | UL stalls at |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	rows := map[float64]curveRow{}
	for _, d := range dists {
		r := runCurve(t, d, 1, 2000)
		rows[d] = r
		b.WriteString(r.cells() + "\n")
	}
	b.WriteString("\n| distance m | delivered, seeds 1-10 (median, min, max) | seeds delivering >= 90% | lag steps (median) | seeds LOS | seeds stalled |\n|---|---|---|---|---|---|\n")
	for _, d := range dists {
		var del, lag []float64
		los, stalled, good := 0, 0, 0
		for seed := uint64(1); seed <= 10; seed++ {
			r := runCurve(t, d, seed, 2000)
			del = append(del, r.delivered)
			if r.delivered > 0 {
				lag = append(lag, r.lag)
			}
			if r.los {
				los++
			}
			if r.stalled {
				stalled++
			}
			if r.delivered >= 0.9 {
				good++
			}
		}
		sort.Float64s(del)
		sort.Float64s(lag)
		medLag := math.NaN()
		if len(lag) > 0 {
			medLag = lag[len(lag)/2]
		}
		fmt.Fprintf(&b, "| %.0f | %.3f (%.3f, %.3f) | %d | %.2f | %d | %d |\n", d, (del[4]+del[5])/2, del[0], del[9], good, medLag, los, stalled)
	}
	t.Log(b.String())
	for _, d := range []float64{50, 100, 200, 300, 350} {
		require.Greater(t, rows[d].delivered, 0.99, "%v m", d)
		require.Less(t, rows[d].lag, 3.0, "%v m", d)
	}
	require.InDelta(t, 0.59, rows[400].delivered, 0.05, "400 m")
	require.Greater(t, rows[400].lag, 100.0, "400 m")
	for _, d := range []float64{450, 500} {
		require.Less(t, rows[d].delivered, 0.05, "%v m", d)
	}
}

// TestLenaPeerRuns prints one key=value line per distance and seed of
// NetRL's experiment (2000 steps of 1 ms, 64-byte packets), in the format
// of bench/ns3/netrl-lena.cc, 5G-LENA's side of the comparison
// (bench/ns3/lena-peer-compare.sh reads both). NETGYM_LENA_SEEDS ("1-40",
// default "1-10") and NETGYM_LENA_DISTANCES (comma-separated metres,
// default docs/nr.md's eight) choose the runs.
func TestLenaPeerRuns(t *testing.T) {
	validation.Run(t, "NetRL's 5G-LENA experiment over many seeds, for the 5G-LENA peer")
	from, to := uint64(1), uint64(10)
	if v := os.Getenv("NETGYM_LENA_SEEDS"); v != "" {
		_, err := fmt.Sscanf(v, "%d-%d", &from, &to)
		require.NoError(t, err, "NETGYM_LENA_SEEDS=%q: want FROM-TO", v)
	}
	dists := []float64{50, 100, 200, 300, 350, 400, 450, 500}
	if v := os.Getenv("NETGYM_LENA_DISTANCES"); v != "" {
		dists = dists[:0]
		for _, f := range strings.Split(v, ",") {
			d, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			require.NoError(t, err, "NETGYM_LENA_DISTANCES=%q", v)
			dists = append(dists, d)
		}
	}
	for _, d := range dists {
		for seed := from; seed <= to; seed++ {
			r := runCurve(t, d, seed, 2000)
			cond := "NLOS"
			if r.los {
				cond = "LOS"
			}
			fmt.Printf("netgym distance=%g run=%d steps=2000 delivery=%.4f mean_lag=%.4f condition=%s ul_sinr_db=%.2f ul_mcs=%d last_ul_step=%d\n",
				d, seed, r.delivered, r.lag, cond, r.tbSinrDb, r.mcs, r.lastUlStep)
		}
	}
}
