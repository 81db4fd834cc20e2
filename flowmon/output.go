package flowmon

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/netgym/netgym/sim"
)

// jsonHistogram is a histogram as WriteJSON writes it: ns-3's XML
// histogram (nBins and the non-empty bins).
type jsonHistogram struct {
	BinWidth float64 `json:"binWidth"`
	NBins    int     `json:"nBins"`
	Bins     []Bin   `json:"bins"`
}

func toJSONHistogram(h *Histogram) jsonHistogram {
	b := h.Bins()
	if b == nil {
		b = []Bin{}
	}
	return jsonHistogram{BinWidth: h.BinWidth, NBins: h.NumBins(), Bins: b}
}

// jsonFlow is one flow as WriteJSON writes it: ns-3's XML attributes (times
// in nanoseconds), the 5-tuple, and derived figures.
type jsonFlow struct {
	FlowID             FlowID        `json:"flowId"`
	SourceAddress      string        `json:"sourceAddress"`
	DestinationAddress string        `json:"destinationAddress"`
	Protocol           uint8         `json:"protocol"`
	SourcePort         uint16        `json:"sourcePort"`
	DestinationPort    uint16        `json:"destinationPort"`
	TimeFirstTxPacket  int64         `json:"timeFirstTxPacketNs"`
	TimeFirstRxPacket  int64         `json:"timeFirstRxPacketNs"`
	TimeLastTxPacket   int64         `json:"timeLastTxPacketNs"`
	TimeLastRxPacket   int64         `json:"timeLastRxPacketNs"`
	DelaySum           int64         `json:"delaySumNs"`
	JitterSum          int64         `json:"jitterSumNs"`
	LastDelay          int64         `json:"lastDelayNs"`
	MinDelay           int64         `json:"minDelayNs"`
	MaxDelay           int64         `json:"maxDelayNs"`
	MeanDelay          int64         `json:"meanDelayNs"`
	MeanJitter         int64         `json:"meanJitterNs"`
	TxBytes            uint64        `json:"txBytes"`
	RxBytes            uint64        `json:"rxBytes"`
	TxPackets          uint64        `json:"txPackets"`
	RxPackets          uint64        `json:"rxPackets"`
	LostPackets        uint64        `json:"lostPackets"`
	TimesForwarded     uint64        `json:"timesForwarded"`
	Throughput         float64       `json:"throughputBps"`
	PacketsDropped     []uint64      `json:"packetsDropped"`
	BytesDropped       []uint64      `json:"bytesDropped"`
	DelayHistogram     jsonHistogram `json:"delayHistogram"`
	JitterHistogram    jsonHistogram `json:"jitterHistogram"`
	PacketSizeHist     jsonHistogram `json:"packetSizeHistogram"`
	FlowInterruptions  jsonHistogram `json:"flowInterruptionsHistogram"`
}

// WriteJSON checks for lost packets (as ns-3's SerializeToXml does), then
// writes every flow as JSON: ns-3's XML attributes (times in nanoseconds,
// suffixed Ns), the 5-tuple, the drops by reason code, the four
// histograms (non-empty bins), and the mean delay, mean jitter and
// throughput. Example of one flow (shortened):
//
//	{"flowId": 1, "sourceAddress": "10.1.1.1", "destinationAddress": "10.1.2.2",
//	 "protocol": 17, "sourcePort": 49153, "destinationPort": 9,
//	 "txPackets": 99, "rxPackets": 99, "lostPackets": 0, "meanDelayNs": 21064000, ...}
func (m *Monitor) WriteJSON(w io.Writer) error {
	m.CheckForLostPackets()
	out := struct {
		Now            int64      `json:"timeNs"`
		MaxPerHopDelay int64      `json:"maxPerHopDelayNs"`
		Flows          []jsonFlow `json:"flows"`
	}{Now: int64(m.sim.Now()), MaxPerHopDelay: int64(m.cfg.MaxPerHopDelay), Flows: []jsonFlow{}}
	for _, f := range m.Flows() {
		s := &f.Stats
		pd, bd := s.PacketsDropped, s.BytesDropped
		if pd == nil {
			pd, bd = []uint64{}, []uint64{}
		}
		out.Flows = append(out.Flows, jsonFlow{
			FlowID: f.ID, SourceAddress: f.Tuple.Src.String(), DestinationAddress: f.Tuple.Dst.String(),
			Protocol: f.Tuple.Protocol, SourcePort: f.Tuple.SrcPort, DestinationPort: f.Tuple.DstPort,
			TimeFirstTxPacket: int64(s.TimeFirstTxPacket), TimeFirstRxPacket: int64(s.TimeFirstRxPacket),
			TimeLastTxPacket: int64(s.TimeLastTxPacket), TimeLastRxPacket: int64(s.TimeLastRxPacket),
			DelaySum: int64(s.DelaySum), JitterSum: int64(s.JitterSum), LastDelay: int64(s.LastDelay),
			MinDelay: int64(s.MinDelay), MaxDelay: int64(s.MaxDelay),
			MeanDelay: int64(s.MeanDelay()), MeanJitter: int64(s.MeanJitter()),
			TxBytes: s.TxBytes, RxBytes: s.RxBytes, TxPackets: s.TxPackets, RxPackets: s.RxPackets,
			LostPackets: s.LostPackets, TimesForwarded: s.TimesForwarded, Throughput: s.Throughput(),
			PacketsDropped: pd, BytesDropped: bd,
			DelayHistogram: toJSONHistogram(&s.DelayHistogram), JitterHistogram: toJSONHistogram(&s.JitterHistogram),
			PacketSizeHist: toJSONHistogram(&s.PacketSizeHistogram), FlowInterruptions: toJSONHistogram(&s.FlowInterruptionsHistogram),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("flowmon: writing JSON: %w", err)
	}
	return nil
}

// CSVHeader is the first line WriteCSV writes: one column per figure,
// times in seconds.
var CSVHeader = []string{"flowId", "srcAddr", "srcPort", "dstAddr", "dstPort", "protocol",
	"txPackets", "txBytes", "rxPackets", "rxBytes", "lostPackets", "lossRatio", "timesForwarded",
	"timeFirstTxPacket_s", "timeLastTxPacket_s", "timeFirstRxPacket_s", "timeLastRxPacket_s",
	"delaySum_s", "meanDelay_s", "minDelay_s", "maxDelay_s", "jitterSum_s", "meanJitter_s",
	"throughput_bps", "packetsDropped"}

// WriteCSV checks for lost packets, then writes a header (CSVHeader) and
// one row per flow; packetsDropped is "reason:count" pairs separated by
// spaces (e.g. "NoRoute:3").
func (m *Monitor) WriteCSV(w io.Writer) error {
	m.CheckForLostPackets()
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("flowmon: writing CSV: %w", err)
	}
	sec := func(t sim.Time) string { return strconv.FormatFloat(t.Seconds(), 'g', -1, 64) }
	u := func(v uint64) string { return strconv.FormatUint(v, 10) }
	for _, f := range m.Flows() {
		s := &f.Stats
		drops := ""
		for r, n := range s.PacketsDropped {
			if n > 0 {
				if drops != "" {
					drops += " "
				}
				drops += fmt.Sprintf("%v:%d", DropReason(r), n)
			}
		}
		row := []string{u(uint64(f.ID)), f.Tuple.Src.String(), u(uint64(f.Tuple.SrcPort)),
			f.Tuple.Dst.String(), u(uint64(f.Tuple.DstPort)), u(uint64(f.Tuple.Protocol)),
			u(s.TxPackets), u(s.TxBytes), u(s.RxPackets), u(s.RxBytes), u(s.LostPackets),
			strconv.FormatFloat(s.LossRatio(), 'g', -1, 64), u(s.TimesForwarded),
			sec(s.TimeFirstTxPacket), sec(s.TimeLastTxPacket), sec(s.TimeFirstRxPacket), sec(s.TimeLastRxPacket),
			sec(s.DelaySum), sec(s.MeanDelay()), sec(s.MinDelay), sec(s.MaxDelay), sec(s.JitterSum), sec(s.MeanJitter()),
			strconv.FormatFloat(s.Throughput(), 'g', -1, 64), drops}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("flowmon: writing CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("flowmon: writing CSV: %w", err)
	}
	return nil
}

// WriteSummary checks for lost packets, then prints each flow the way
// ns-3's flow-monitor examples do, e.g.:
//
//	Flow 1 (10.1.1.1:49153 > 10.1.2.2:9 UDP)
//	  Tx Packets: 99   Tx Bytes: 101772   Rx Packets: 99   Rx Bytes: 101772
//	  Lost Packets: 0 (0.0%)   Throughput: 0.8312 Mbps
//	  Delay: mean 21.064 ms, min 21.064 ms, max 21.064 ms   Jitter: mean 0 ms
func (m *Monitor) WriteSummary(w io.Writer) error {
	m.CheckForLostPackets()
	ms := func(t sim.Time) string { return strconv.FormatFloat(t.Milliseconds(), 'f', -1, 64) + " ms" }
	for _, f := range m.Flows() {
		s := &f.Stats
		_, err := fmt.Fprintf(w, "Flow %d (%v)\n  Tx Packets: %d   Tx Bytes: %d   Rx Packets: %d   Rx Bytes: %d\n"+
			"  Lost Packets: %d (%.1f%%)   Throughput: %.4f Mbps\n"+
			"  Delay: mean %s, min %s, max %s   Jitter: mean %s\n",
			f.ID, f.Tuple, s.TxPackets, s.TxBytes, s.RxPackets, s.RxBytes,
			s.LostPackets, 100*s.LossRatio(), s.Throughput()/1e6,
			ms(s.MeanDelay()), ms(s.MinDelay), ms(s.MaxDelay), ms(s.MeanJitter()))
		if err != nil {
			return fmt.Errorf("flowmon: writing summary: %w", err)
		}
	}
	return nil
}
