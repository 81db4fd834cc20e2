package nr5g

import (
	"bufio"
	"io"
	"strconv"

	"github.com/netgym/netgym/sim"
)

// Traces are a Network's typed trace hooks, 5G-LENA's trace sources as Go
// functions: set the ones you want with Network.SetTraces (nil hooks cost
// nothing); NewTraceWriter gives hooks that write JSON lines. End-to-end
// delay per flow is flowmon's (a flowmon.Monitor on the network's nodes;
// Cell does it with CellConfig.FlowMonitor).
type Traces struct {
	// Tb is called for every transport block received, DL at the UE and
	// UL at the gNB (NrPhyRxTrace's RxPacketTraceUe / RxPacketTraceGnb:
	// SINR, MCS, TBS, HARQ round, corrupted).
	Tb func(TbTrace)
	// Sched is called for every allocation the MAC scheduler makes: data
	// (new and retransmissions), Msg3 and SRS (NrMacSchedulingStats).
	Sched func(SchedTrace)
	// Rlc is called for every RLC PDU sent to or received from the MAC
	// and for every SDU the RLC drops or traces as discarded
	// (NrRlc's TxPDU, RxPDU and TxDrop).
	Rlc func(RlcTrace)
	// Pdcp is called for every PDCP PDU sent to or received from the RLC
	// (NrPdcp's TxPDU and RxPDU).
	Pdcp func(PdcpTrace)
}

// SchedTrace is one allocation of a scheduled slot.
type SchedTrace struct {
	Time     sim.Time  // when the scheduler decided
	CellID   uint16    // the gNB's cell
	Slot     uint64    // the slot allocated
	Dir      Direction // DL or UL
	Type     AllocType // DATA, SRS or MSG3
	RNTI     uint16    // the UE
	SymStart uint8     // first symbol
	NumSym   uint8     // symbols
	Rbgs     int       // RBGs
	MCS      uint8     // MCS
	TBS      uint32    // transport block size, bytes
	NDI      bool      // new data (false: a HARQ retransmission)
	RV       uint8     // redundancy version
	HarqID   uint8     // HARQ process
}

// RlcEvent says what happened to an RLC PDU or SDU.
type RlcEvent uint8

// The RLC events.
const (
	RlcTx      RlcEvent = iota // a PDU handed to the MAC
	RlcRx                      // a PDU received from the MAC
	RlcDrop                    // an SDU dropped: the transmission buffer was full
	RlcDiscard                 // an SDU that found the head of line older than the discard timer (traced only)
)

var rlcEventNames = [...]string{"tx", "rx", "drop", "discard"}

// String returns "tx", "rx", "drop" or "discard".
func (e RlcEvent) String() string {
	if int(e) < len(rlcEventNames) {
		return rlcEventNames[e]
	}
	return "RlcEvent(" + strconv.Itoa(int(e)) + ")"
}

// RlcTrace is one RLC event.
type RlcTrace struct {
	Time   sim.Time // when it happened
	Event  RlcEvent // tx, rx, drop, discard
	AtGnb  bool     // the gNB's entity (true) or the UE's
	CellID uint16   // the cell
	RNTI   uint16   // the UE
	LCID   uint8    // the logical channel
	Mode   RlcMode  // UM or AM
	Status bool     // an AM STATUS PDU
	Retx   bool     // an AM retransmission
	SN     uint16   // sequence number (PDUs)
	Bytes  int      // PDU or SDU size
	// Delay is, for a received PDU, the time since it was handed to the
	// MAC (5G-LENA's RLC delay).
	Delay sim.Time
}

// PdcpTrace is one PDCP PDU sent or received.
type PdcpTrace struct {
	Time   sim.Time // when it happened
	Rx     bool     // received from the RLC (true) or sent to it
	AtGnb  bool     // the gNB's entity (true) or the UE's
	CellID uint16   // the cell
	RNTI   uint16   // the UE
	LCID   uint8    // the logical channel
	SN     uint16   // PDCP sequence number
	Bytes  int      // PDU size, header included
}

// SetTraces installs trace hooks (replacing the previous ones).
func (n *Network) SetTraces(t Traces) { n.traces = t }

// TraceWriter writes trace records as JSON lines, one object per event
// with a "type" of "tb", "sched", "rlc" or "pdcp" and times in
// nanoseconds. It buffers: call Flush at the end. Writing allocates
// nothing per record.
type TraceWriter struct {
	w   *bufio.Writer
	buf []byte
	err error
}

// NewTraceWriter returns a writer on w.
func NewTraceWriter(w io.Writer) *TraceWriter { return &TraceWriter{w: bufio.NewWriterSize(w, 64<<10)} }

// Traces returns hooks that write every kind of record.
func (t *TraceWriter) Traces() Traces {
	return Traces{Tb: t.Tb, Sched: t.Sched, Rlc: t.Rlc, Pdcp: t.Pdcp}
}

// Flush writes what is buffered and returns the first write error.
func (t *TraceWriter) Flush() error {
	if err := t.w.Flush(); err != nil && t.err == nil {
		t.err = err
	}
	return t.err
}

func (t *TraceWriter) emit() {
	t.buf = append(t.buf, "}\n"...)
	if _, err := t.w.Write(t.buf); err != nil && t.err == nil {
		t.err = err
	}
}

func (t *TraceWriter) start(kind string, at sim.Time) {
	t.buf = append(t.buf[:0], `{"type":"`...)
	t.buf = append(t.buf, kind...)
	t.buf = append(t.buf, `","t_ns":`...)
	t.buf = strconv.AppendInt(t.buf, int64(at), 10)
}

func (t *TraceWriter) num(key string, v int64) {
	t.buf = append(t.buf, `,"`...)
	t.buf = append(t.buf, key...)
	t.buf = append(t.buf, `":`...)
	t.buf = strconv.AppendInt(t.buf, v, 10)
}

func (t *TraceWriter) flt(key string, v float64) {
	t.buf = append(t.buf, `,"`...)
	t.buf = append(t.buf, key...)
	t.buf = append(t.buf, `":`...)
	t.buf = strconv.AppendFloat(t.buf, v, 'g', 6, 64)
}

func (t *TraceWriter) str(key, v string) {
	t.buf = append(t.buf, `,"`...)
	t.buf = append(t.buf, key...)
	t.buf = append(t.buf, `":"`...)
	t.buf = append(t.buf, v...)
	t.buf = append(t.buf, '"')
}

func (t *TraceWriter) boolean(key string, v bool) {
	t.buf = append(t.buf, `,"`...)
	t.buf = append(t.buf, key...)
	t.buf = append(t.buf, `":`...)
	t.buf = strconv.AppendBool(t.buf, v)
}

// Tb writes a transport block record.
func (t *TraceWriter) Tb(r TbTrace) {
	t.start("tb", r.Time)
	t.str("dir", r.Dir.String())
	t.num("cell", int64(r.CellID))
	t.num("rnti", int64(r.RNTI))
	t.num("slot", int64(r.Slot))
	t.num("sym", int64(r.SymStart))
	t.num("nsym", int64(r.NumSym))
	t.num("mcs", int64(r.MCS))
	t.num("tbs", int64(r.TBS))
	t.num("rv", int64(r.RV))
	t.num("harq", int64(r.HarqID))
	t.flt("sinr_db", r.SinrDb)
	t.flt("tbler", r.TBLER)
	t.boolean("corrupted", r.Corrupted)
	t.emit()
}

// Sched writes a scheduling record.
func (t *TraceWriter) Sched(r SchedTrace) {
	t.start("sched", r.Time)
	t.str("dir", r.Dir.String())
	t.str("alloc", r.Type.String())
	t.num("cell", int64(r.CellID))
	t.num("slot", int64(r.Slot))
	t.num("rnti", int64(r.RNTI))
	t.num("sym", int64(r.SymStart))
	t.num("nsym", int64(r.NumSym))
	t.num("rbgs", int64(r.Rbgs))
	t.num("mcs", int64(r.MCS))
	t.num("tbs", int64(r.TBS))
	t.boolean("ndi", r.NDI)
	t.num("rv", int64(r.RV))
	t.num("harq", int64(r.HarqID))
	t.emit()
}

// Rlc writes an RLC record.
func (t *TraceWriter) Rlc(r RlcTrace) {
	t.start("rlc", r.Time)
	t.str("event", r.Event.String())
	t.boolean("gnb", r.AtGnb)
	t.num("cell", int64(r.CellID))
	t.num("rnti", int64(r.RNTI))
	t.num("lcid", int64(r.LCID))
	t.str("mode", r.Mode.String())
	if r.Status {
		t.boolean("status", true)
	}
	if r.Retx {
		t.boolean("retx", true)
	}
	t.num("sn", int64(r.SN))
	t.num("bytes", int64(r.Bytes))
	if r.Event == RlcRx {
		t.num("delay_ns", int64(r.Delay))
	}
	t.emit()
}

// Pdcp writes a PDCP record.
func (t *TraceWriter) Pdcp(r PdcpTrace) {
	t.start("pdcp", r.Time)
	ev := "tx"
	if r.Rx {
		ev = "rx"
	}
	t.str("event", ev)
	t.boolean("gnb", r.AtGnb)
	t.num("cell", int64(r.CellID))
	t.num("rnti", int64(r.RNTI))
	t.num("lcid", int64(r.LCID))
	t.num("sn", int64(r.SN))
	t.num("bytes", int64(r.Bytes))
	t.emit()
}
