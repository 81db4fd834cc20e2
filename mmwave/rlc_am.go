package mmwave

import (
	"fmt"

	"github.com/netgym/netgym/sim"
)

// RlcAmConfig is ns3-mmwave's LteRlcAm attributes and constants
// (src/lte/model/lte-rlc-am.cc).
type RlcAmConfig struct {
	// MaxTxBufferSize is the transmission buffer in bytes (default 1 MiB).
	MaxTxBufferSize int
	// PollRetransmitTimer is t-PollRetransmit (default 20 ms).
	PollRetransmitTimer sim.Time
	// ReorderingTimer is t-Reordering (default 10 ms).
	ReorderingTimer sim.Time
	// StatusProhibitTimer is t-StatusProhibit (default 10 ms).
	StatusProhibitTimer sim.Time
	// ReportBufferStatusTimer is the buffer report period while data
	// waits (default 20 ms; NetRL sets 100 us).
	ReportBufferStatusTimer sim.Time
	// TxOpportunityForRetxAlwaysBigEnough retransmits a PDU whole even in
	// a smaller grant (default false).
	TxOpportunityForRetxAlwaysBigEnough bool
	// MaxRetxThreshold is maxRetxThreshold (ns3-mmwave fixes 5).
	MaxRetxThreshold int
	// PollPdu and PollByte are pollPDU and pollByte (ns3-mmwave fixes 1
	// and 50: a poll in practically every PDU).
	PollPdu, PollByte int
}

// DefaultRlcAmConfig returns LteRlcAm's defaults in ns3-mmwave v7.0.
func DefaultRlcAmConfig() RlcAmConfig {
	return RlcAmConfig{
		MaxTxBufferSize:         1024 * 1024,
		PollRetransmitTimer:     20 * sim.Millisecond,
		ReorderingTimer:         10 * sim.Millisecond,
		StatusProhibitTimer:     10 * sim.Millisecond,
		ReportBufferStatusTimer: 20 * sim.Millisecond,
		MaxRetxThreshold:        5,
		PollPdu:                 1,
		PollByte:                50,
	}
}

func (c RlcAmConfig) validate() error {
	for _, f := range []struct {
		name string
		v    sim.Time
	}{
		{"PollRetransmitTimer", c.PollRetransmitTimer}, {"ReorderingTimer", c.ReorderingTimer},
		{"StatusProhibitTimer", c.StatusProhibitTimer}, {"ReportBufferStatusTimer", c.ReportBufferStatusTimer},
	} {
		if f.v <= 0 || f.v > (3600*sim.Second) {
			return fmt.Errorf("mmwave: RlcAmConfig.%s %v out of range (0, 1h]", f.name, f.v)
		}
	}
	switch {
	case c.MaxTxBufferSize < 0 || c.MaxTxBufferSize > 1<<30:
		return fmt.Errorf("mmwave: RlcAmConfig.MaxTxBufferSize %d out of range [0, %d]", c.MaxTxBufferSize, 1<<30)
	case c.MaxRetxThreshold < 1 || c.MaxRetxThreshold > 255:
		return fmt.Errorf("mmwave: RlcAmConfig.MaxRetxThreshold %d out of range [1, 255]", c.MaxRetxThreshold)
	case c.PollPdu < 1 || c.PollByte < 1:
		return fmt.Errorf("mmwave: RlcAmConfig.PollPdu %d and PollByte %d must be >= 1", c.PollPdu, c.PollByte)
	}
	return nil
}

// amPduInfo is the AM header part of an RLC PDU.
type amPduInfo struct {
	poll      bool
	resegment bool // an AMD PDU segment
	segOffset int
	lastSeg   bool
	retxCount int
}

// amStatus is a STATUS PDU: ACK_SN and the NACKed SNs.
type amStatus struct {
	ackSn uint16
	nacks []uint16
}

// newRlcAm is a placeholder until RLC AM lands: UM LowLat with AM's
// buffer and timer.
func newRlcAm(h rlcHooks, cfg RlcAmConfig) rlcEntity {
	return newRlcUm(h, RlcUmConfig{MaxTxBufferSize: cfg.MaxTxBufferSize, ReportBufferStatusTimer: cfg.ReportBufferStatusTimer, ReorderingTimer: cfg.ReorderingTimer})
}
