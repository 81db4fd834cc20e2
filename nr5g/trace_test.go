package nr5g

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// TestTraceWriter: a cell with RLC AM writes every kind of record as a
// JSON line; the records agree with the counters (one tb record per
// block the gNB counted, one rlc tx record per PDU the entities sent).
func TestTraceWriter(t *testing.T) {
	cfg := DefaultCellConfig()
	cfg.UEs, cfg.Distance = 2, 40
	cfg.Warmup, cfg.Duration = 50*sim.Millisecond, 30*sim.Millisecond
	cfg.Radio.Gnb.Rlc.Mode = RlcAM
	c, err := NewCell(cfg)
	require.NoError(t, err)
	var buf bytes.Buffer
	tw := NewTraceWriter(&buf)
	c.Network().SetTraces(tw.Traces())
	c.Run()
	require.NoError(t, tw.Flush())
	counts := map[string]int{}
	rlcTx, status := 0, 0
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec), sc.Text())
		typ := rec["type"].(string)
		counts[typ]++
		require.Contains(t, rec, "t_ns")
		if typ == "rlc" && rec["event"] == "tx" {
			rlcTx++
			if rec["status"] == true {
				status++
			}
		}
	}
	for _, k := range []string{"tb", "sched", "rlc", "pdcp"} {
		require.Positive(t, counts[k], k)
	}
	st := c.Gnb().Stats()
	require.Equal(t, int(st.DlTbs+st.UlTbs), counts["tb"])
	var pdus, stat uint64
	for _, u := range c.UEs() {
		gs, _, _ := c.Gnb().BearerStats(u.RNTI(), 1)
		us, _, _ := u.BearerStats(1)
		pdus += gs.TxPdus + us.TxPdus
		stat += gs.TxStatus + us.TxStatus
	}
	require.Equal(t, int(pdus), rlcTx)
	require.Equal(t, int(stat), status)
	require.Positive(t, status, "RLC AM: STATUS PDUs go back")
}

// TestTraceWriterAllocs: writing a record allocates nothing.
func TestTraceWriterAllocs(t *testing.T) {
	tw := NewTraceWriter(io.Discard)
	tb := TbTrace{Time: 5, Dir: Uplink, RNTI: 3, MCS: 12, TBS: 400, SinrDb: 12.5, TBLER: 0.1}
	rl := RlcTrace{Time: 7, Event: RlcRx, LCID: 3, Bytes: 100, Delay: 300}
	require.Zero(t, testing.AllocsPerRun(100, func() {
		tw.Tb(tb)
		tw.Rlc(rl)
		tw.Sched(SchedTrace{Time: 9, Type: AllocData})
		tw.Pdcp(PdcpTrace{Time: 11})
	}))
	var buf bytes.Buffer
	tw = NewTraceWriter(&buf)
	tw.Tb(tb)
	require.NoError(t, tw.Flush())
	require.Equal(t, `{"type":"tb","t_ns":5,"dir":"UL","cell":0,"rnti":3,"slot":0,"sym":0,"nsym":0,"mcs":12,"tbs":400,"rv":0,"harq":0,"sinr_db":12.5,"tbler":0.1,"corrupted":false}`+"\n", buf.String())
}

// ExampleTraceWriter writes the traces of a small cell as JSON lines.
func ExampleTraceWriter() {
	cfg := DefaultCellConfig()
	cfg.UEs, cfg.Warmup, cfg.Duration = 1, 20*sim.Millisecond, 5*sim.Millisecond
	c, _ := NewCell(cfg)
	var buf bytes.Buffer
	tw := NewTraceWriter(&buf)
	c.Network().SetTraces(Traces{Sched: tw.Sched}) // only the scheduler's decisions
	c.Run()
	_ = tw.Flush()
	line, _ := bufio.NewReader(&buf).ReadString('\n')
	var rec struct {
		Type  string `json:"type"`
		Alloc string `json:"alloc"`
		Rnti  int    `json:"rnti"`
	}
	_ = json.Unmarshal([]byte(line), &rec)
	fmt.Println(rec.Type, rec.Alloc, rec.Rnti)
	// Output:
	// sched MSG3 1
}
