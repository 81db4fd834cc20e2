package mac80211

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"unsafe"

	"github.com/netgym/netgym/internal/prefetch"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/pcap"
	"github.com/netgym/netgym/sim/spectrum"
)

// This file is the 802.11a PHY state machine: ns-3 3.37's YansWifiPhy with
// its OFDM PhyEntity (src/wifi/model/wifi-phy.cc, phy-entity.cc,
// non-ht/ofdm-phy.cc, wifi-phy-state-helper.cc, yans-wifi-channel.cc),
// reproduced step by step. The comments name the ns-3 function each step
// comes from.

// PreambleDetectionModel decides whether the PHY synchronises on a PPDU at
// the end of the preamble detection window: ns-3's PreambleDetectionModel.
type PreambleDetectionModel interface {
	// IsPreambleDetected reports detection given the PPDU's own received
	// power (W) and its SINR (linear) at the end of the window.
	IsPreambleDetected(rssiW, snr float64) bool
}

// ThresholdPreambleDetection is ns-3's ThresholdPreambleDetectionModel
// (src/wifi/model/threshold-preamble-detection-model.cc): the preamble is
// detected if the received power is at least MinimumRssiDbm and the SINR at
// least MinimumSnrDb.
type ThresholdPreambleDetection struct {
	// MinimumSnrDb is the SINR threshold (ns-3 attribute Threshold,
	// default 4 dB).
	MinimumSnrDb float64
	// MinimumRssiDbm is the received power threshold (ns-3 attribute
	// MinimumRssi, default -82 dBm).
	MinimumRssiDbm float64
}

// DefaultThresholdPreambleDetection returns ns-3 3.37's defaults: 4 dB and
// -82 dBm. WifiPhyHelper installs this model on every PHY unless told
// otherwise (wifi-helper.cc).
func DefaultThresholdPreambleDetection() ThresholdPreambleDetection {
	return ThresholdPreambleDetection{MinimumSnrDb: 4, MinimumRssiDbm: -82}
}

// IsPreambleDetected implements PreambleDetectionModel.
func (t ThresholdPreambleDetection) IsPreambleDetected(rssiW, snr float64) bool {
	return spectrum.WToDbm(rssiW) >= t.MinimumRssiDbm && spectrum.RatioToDb(snr) >= t.MinimumSnrDb
}

// PhyConfig configures a Phy. The defaults (DefaultPhyConfig) are ns-3 3.37's
// for a YansWifiPhy configured for 802.11a.
type PhyConfig struct {
	// TxPowerDbm is the transmit power before antenna gain (ns-3
	// TxPowerStart = TxPowerEnd with one power level, default 16.0206 dBm).
	TxPowerDbm float64
	// TxGainDb is the transmit antenna gain (default 0 dB).
	TxGainDb float64
	// RxGainDb is the receive antenna gain, added to every received power
	// (default 0 dB).
	RxGainDb float64
	// NoiseFigureDb raises the thermal noise floor (ns-3 RxNoiseFigure,
	// default 7 dB: a -93.97 dBm floor over 20 MHz).
	NoiseFigureDb float64
	// RxSensitivityDbm is the power below which a signal is ignored
	// altogether, not even counted as interference (ns-3 RxSensitivity,
	// default -101 dBm; YansWifiChannel::Receive).
	RxSensitivityDbm float64
	// CcaSensitivityDbm is the CCA threshold used when a PPDU triggers the
	// check (ns-3 CcaSensitivity, default -82 dBm).
	CcaSensitivityDbm float64
	// CcaEdThresholdDbm is the energy-detection threshold used when no
	// PPDU triggers the check, e.g. at the end of a transmission (ns-3
	// CcaEdThreshold, default -62 dBm).
	CcaEdThresholdDbm float64
	// PreambleDetection decides synchronisation at the end of the preamble
	// detection window. nil means no model: any PPDU is detected, as in
	// ns-3 with the model disabled.
	PreambleDetection PreambleDetectionModel
	// PreambleDetectionDuration is the preamble detection window (ns-3
	// WifiPhy::GetPreambleDetectionDuration, 4 µs). It must lie in
	// (0, PreambleDuration].
	PreambleDetectionDuration sim.Time
	// ErrorModel gives chunk success rates (default DefaultErrorRateModel,
	// ns-3's TableBasedErrorRateModel).
	ErrorModel ErrorRateModel
	// ChannelWidthMHz is the channel width. 802.11a in netgym is 20 MHz
	// only; the field exists to make that explicit.
	ChannelWidthMHz int
}

// DefaultPhyConfig returns ns-3 3.37's YansWifiPhy defaults for 802.11a:
// 16.0206 dBm, no antenna gains, 7 dB noise figure, -101 dBm sensitivity,
// CCA at -82 dBm (PPDU) and -62 dBm (energy), threshold preamble detection
// (4 dB, -82 dBm) over 4 µs, the table-based error model and a 20 MHz
// channel. Frame capture is off, as in ns-3 by default; netgym does not
// model it.
func DefaultPhyConfig() PhyConfig {
	return PhyConfig{
		TxPowerDbm:                16.0206,
		NoiseFigureDb:             DefaultNoiseFigureDb,
		RxSensitivityDbm:          -101,
		CcaSensitivityDbm:         -82,
		CcaEdThresholdDbm:         -62,
		PreambleDetection:         DefaultThresholdPreambleDetection(),
		PreambleDetectionDuration: 4 * sim.Microsecond,
		ErrorModel:                DefaultErrorRateModel(),
		ChannelWidthMHz:           20,
	}
}

// Ranges of PhyConfig's powers and gains that Validate accepts: wide
// enough for any radio, narrow enough that every power stays a finite
// number of watts and every SINR a finite ratio.
const (
	// MinTxPowerDbm and MaxTxPowerDbm bound TxPowerDbm: -100 dBm (far
	// below any receiver's noise floor) to 100 dBm (10 MW).
	MinTxPowerDbm, MaxTxPowerDbm = -100.0, 100.0
	// MaxGainDb bounds the antenna gains TxGainDb and RxGainDb to
	// [-MaxGainDb, MaxGainDb] dB.
	MaxGainDb = 100.0
	// MaxNoiseFigureDb bounds NoiseFigureDb to [0, 100] dB: a noise figure
	// is never negative (a receiver cannot improve the SNR it is given).
	MaxNoiseFigureDb = 100.0
	// MinThresholdDbm and MaxThresholdDbm bound the sensitivity and CCA
	// thresholds: -200 dBm (100 dB below the thermal noise of a 20 MHz
	// channel) to 100 dBm.
	MinThresholdDbm, MaxThresholdDbm = -200.0, 100.0
)

// Validate reports a configuration the PHY cannot run with: a power, gain
// or threshold that is not a finite number in its range (MinTxPowerDbm ...
// MaxThresholdDbm), a detection window outside (0, PreambleDuration], no
// error model, or a width other than 20 MHz.
func (c PhyConfig) Validate() error {
	for _, f := range [...]struct {
		name     string
		v        float64
		min, max float64
		unit     string
	}{
		{"TxPowerDbm", c.TxPowerDbm, MinTxPowerDbm, MaxTxPowerDbm, "dBm"},
		{"TxGainDb", c.TxGainDb, -MaxGainDb, MaxGainDb, "dB"},
		{"RxGainDb", c.RxGainDb, -MaxGainDb, MaxGainDb, "dB"},
		{"NoiseFigureDb", c.NoiseFigureDb, 0, MaxNoiseFigureDb, "dB"},
		{"RxSensitivityDbm", c.RxSensitivityDbm, MinThresholdDbm, MaxThresholdDbm, "dBm"},
		{"CcaSensitivityDbm", c.CcaSensitivityDbm, MinThresholdDbm, MaxThresholdDbm, "dBm"},
		{"CcaEdThresholdDbm", c.CcaEdThresholdDbm, MinThresholdDbm, MaxThresholdDbm, "dBm"},
	} {
		if !(f.v >= f.min && f.v <= f.max) {
			return fmt.Errorf("mac80211: PhyConfig.%s=%g out of range [%g, %g] %s", f.name, f.v, f.min, f.max, f.unit)
		}
	}
	if c.PreambleDetectionDuration <= 0 || c.PreambleDetectionDuration > PreambleDuration {
		return fmt.Errorf("mac80211: PhyConfig.PreambleDetectionDuration %v must lie in (0, %v]",
			c.PreambleDetectionDuration, PreambleDuration)
	}
	if t, ok := c.PreambleDetection.(ThresholdPreambleDetection); ok {
		if math.IsNaN(t.MinimumSnrDb) || math.IsNaN(t.MinimumRssiDbm) {
			return errors.New("mac80211: ThresholdPreambleDetection thresholds must not be NaN")
		}
	}
	if c.ErrorModel == nil {
		return errors.New("mac80211: PhyConfig.ErrorModel is nil")
	}
	if v, ok := c.ErrorModel.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	if c.ChannelWidthMHz != 20 {
		return fmt.Errorf("mac80211: PhyConfig.ChannelWidthMHz %d is not supported (802.11a is 20 MHz)", c.ChannelWidthMHz)
	}
	return nil
}

// PhyState is the state of a Phy, as ns-3's WifiPhyState (without the
// switching, sleep and off states, which netgym does not model).
type PhyState uint8

// The PHY states. As in ns-3 3.37, a PHY that has detected a preamble is
// CcaBusy while it receives the preamble and the SIGNAL field, and Rx only
// from the start of the DATA field (WifiPhyStateHelper::SwitchToRx is called
// by PhyEntity::StartReceivePayload).
const (
	PhyIdle PhyState = iota
	PhyCcaBusy
	PhyRx
	PhyTx
)

var phyStateNames = [...]string{"Idle", "CcaBusy", "Rx", "Tx"}

// String returns the state's name, e.g. "CcaBusy".
func (s PhyState) String() string {
	if int(s) < len(phyStateNames) {
		return phyStateNames[s]
	}
	return fmt.Sprintf("PhyState(%d)", uint8(s))
}

// RxDropReason says why a PHY did not deliver a frame that reached it: ns-3's
// WifiPhyRxfailureReason, plus the payload failure that ns-3 reports through
// its RxError callback instead.
type RxDropReason uint8

// The drop reasons.
const (
	// RxDropBelowSensitivity: the received power (with RxGainDb) is below
	// RxSensitivityDbm; the signal is ignored, not even tracked as
	// interference (YansWifiChannel::Receive; ns-3 traces nothing).
	RxDropBelowSensitivity RxDropReason = iota
	// RxDropPreambleNotDetected: the preamble detection model rejected the
	// PPDU at the end of the detection window (PREAMBLE_DETECT_FAILURE).
	RxDropPreambleNotDetected
	// RxDropHeaderFailed: the SIGNAL field failed its PER draw; the reception
	// is aborted (L_SIG_FAILURE).
	RxDropHeaderFailed
	// RxDropPayloadFailed: the DATA field failed its PER draw at the end of
	// the frame (ns-3's RxError).
	RxDropPayloadFailed
	// RxDropBusyRx: the PPDU arrived while the PHY was receiving a DATA field
	// (RXING).
	RxDropBusyRx
	// RxDropBusyDecodingPreamble: the PPDU arrived while the PHY was receiving
	// the preamble or SIGNAL field of another one, or lost the detection to
	// a stronger PPDU (BUSY_DECODING_PREAMBLE).
	RxDropBusyDecodingPreamble
	// RxDropPreambleSwitch: a PPDU in its detection window was dropped
	// because the PHY synchronised on a PPDU transmitted later
	// (PREAMBLE_DETECTION_PACKET_SWITCH).
	RxDropPreambleSwitch
	// RxDropTransmitting: the PPDU arrived while the PHY was transmitting
	// (TXING).
	RxDropTransmitting
	// RxDropAbortedByTx: the PHY started to transmit while it was
	// receiving the PPDU, locked on it after its detection window
	// (RECEPTION_ABORTED_BY_TX): in its preamble or SIGNAL field, the
	// PPDU ending after the current CCA-busy end, or in its DATA field
	// (where ns-3 3.37 traces nothing and lets the reception run; see
	// Phy.Send).
	RxDropAbortedByTx
	// RxDropClearedByTx: the PHY started or ended a transmission while
	// the PPDU was in its detection window, or while the PHY was locked on
	// it in its preamble or SIGNAL field and the PPDU ended before the
	// current CCA-busy end (WifiPhy::Send aborts only a PPDU ending after
	// it). ns-3 3.37 forgets such PPDUs without a trace (WifiPhy::Send and
	// WifiPhy::Reset clear m_currentPreambleEvents and m_currentEvent, and
	// WifiPhy::AbortCurrentReception traces only m_currentEvent); netgym
	// counts them here, under no ns-3 name (NS3Name returns ""), so that
	// the other counts are those of ns-3's PhyRxDrop trace.
	RxDropClearedByTx

	// NumRxDropReasons is the number of drop reasons.
	NumRxDropReasons = 10
)

var rxDropReasonNames = [...]string{"BelowSensitivity", "PreambleNotDetected", "HeaderFailed",
	"PayloadFailed", "BusyRx", "BusyDecodingPreamble", "PreambleSwitch", "Transmitting", "AbortedByTx",
	"ClearedByTx"}

// String returns the reason's name, e.g. "HeaderFailed".
func (r RxDropReason) String() string {
	if int(r) < len(rxDropReasonNames) {
		return rxDropReasonNames[r]
	}
	return fmt.Sprintf("RxDropReason(%d)", uint8(r))
}

// ns3DropNames are the WifiPhyRxfailureReason names (ns-3 3.37,
// src/wifi/model/wifi-phy-common.h) of the reasons ns-3 traces through
// WifiPhy's PhyRxDrop.
var ns3DropNames = [...]string{RxDropPreambleNotDetected: "PREAMBLE_DETECT_FAILURE",
	RxDropHeaderFailed: "L_SIG_FAILURE", RxDropBusyRx: "RXING",
	RxDropBusyDecodingPreamble: "BUSY_DECODING_PREAMBLE", RxDropPreambleSwitch: "PREAMBLE_DETECTION_PACKET_SWITCH",
	RxDropTransmitting: "TXING", RxDropAbortedByTx: "RECEPTION_ABORTED_BY_TX"}

// NS3Name returns the name of the WifiPhyRxfailureReason that ns-3 3.37's
// PhyRxDrop trace reports for r, e.g. "L_SIG_FAILURE" for
// RxDropHeaderFailed, so that counts can be set beside an ns-3 program's.
// It returns "" for the reasons ns-3 does not trace as PhyRxDrop:
// RxDropBelowSensitivity and RxDropClearedByTx (nothing is traced) and
// RxDropPayloadFailed (the state helper's RxError trace).
func (r RxDropReason) NS3Name() string {
	if int(r) < len(ns3DropNames) {
		return ns3DropNames[r]
	}
	return ""
}

// PhyCounters counts what a Phy did.
type PhyCounters struct {
	// TxFrames is the number of frames transmitted.
	TxFrames uint64
	// TxRejected is the number of Send calls refused (invalid frame, or
	// the PHY already transmitting).
	TxRejected uint64
	// RxOk is the number of frames received correctly.
	RxOk uint64
	// Drops counts the frames not delivered, by reason.
	Drops [NumRxDropReasons]uint64
	// CcaBusy is the number of PhyCcaBusy notifications.
	CcaBusy uint64
}

// Add adds o's counts to c: the totals of several PHYs.
func (c *PhyCounters) Add(o PhyCounters) {
	c.TxFrames += o.TxFrames
	c.TxRejected += o.TxRejected
	c.RxOk += o.RxOk
	for i, n := range o.Drops {
		c.Drops[i] += n
	}
	c.CcaBusy += o.CcaBusy
}

// rxSignal is a PPDU arriving at a PHY: ns-3's Event, for the PPDUs the PHY
// considers for reception (m_currentPreambleEvents and m_currentEvent).
type rxSignal struct {
	phy        *Phy   // the PHY receiving it (the events' receiver)
	id         uint64 // key in the interference tracker
	uid        uint64 // PPDU uid: transmission order on the medium
	tx         *transmission
	start, end sim.Time
	powerW     float64
	detectEv   sim.EventID // end of the preamble detection window
	inPreamble bool
}

// The PHY's events run these functions, shared by every PHY, with the
// signal (or the PHY) as the argument: a per-PHY method value would be one
// more object per PHY for each event to read, far from the PHY in memory.
func phyDetectEnd(arg any)  { arg.(*rxSignal).phy.onDetectEnd(arg) }
func phyFieldEnd(arg any)   { arg.(*rxSignal).phy.onFieldEnd(arg) }
func phyPayloadEnd(arg any) { arg.(*rxSignal).phy.onPayloadEnd(arg) }
func phyTxEnd(arg any)      { arg.(*Phy).onTxEnd(nil) }

// field is the PPDU field whose end the PHY waits for.
type field uint8

const (
	fieldPreamble field = iota + 1
	fieldHeader
)

// nopListener is the listener of a PHY whose MAC has not registered.
type nopListener struct{}

func (nopListener) PhyRxStart(sim.Time)           {}
func (nopListener) PhyRxEnd(*Frame, bool, RxInfo) {}
func (nopListener) PhyCcaBusy(sim.Time)           {}

// Phy is an 802.11a OFDM PHY attached to a Medium: ns-3 3.37's YansWifiPhy
// with its OfdmPhy entity, InterferenceHelper, threshold preamble detection
// and WifiPhyStateHelper.
//
// Reception, as ns-3 3.37:
//   - A PPDU below RxSensitivityDbm is ignored (not even interference).
//   - Every other PPDU is tracked as interference for its whole duration.
//   - If the PHY is Idle, or CcaBusy without a PPDU locked, a preamble
//     detection window of PreambleDetectionDuration opens. At its end the
//     strongest PPDU in a window wins; the PreambleDetection model decides
//     on its power and SINR at that instant. On success the PHY locks:
//     it reports PhyCcaBusy until the end of the preamble (16 µs after the
//     start), then until the end of the SIGNAL field (20 µs).
//   - At the end of the SIGNAL field its PER (6 Mb/s over the SINR chunks
//     of those 4 µs) is drawn. On failure the reception is aborted silently
//     (no PhyRxEnd, hence no EIFS) and the PHY reports PhyCcaBusy while the
//     total power stays at or above CcaSensitivityDbm. On success the PHY
//     enters Rx and reports PhyRxStart(end of frame): this is ns-3's
//     PHY-RXSTART (PhyRxPayloadBegin), which the MAC's ACK timeout uses.
//   - At the end of the frame the DATA field's PER is drawn and PhyRxEnd
//     reports the outcome.
//   - A PPDU arriving while the PHY transmits, receives, or decodes a
//     preamble is interference only; there is no frame capture.
//
// CCA, as ns-3 3.37 signals it to the ChannelAccessManager: PhyCcaBusy(end)
// gives the absolute end of a busy period computed from the known end times
// of all tracked signals (InterferenceHelper::GetEnergyDuration). A check
// triggered by a PPDU uses CcaSensitivityDbm on the total power; a check
// without one (end of a transmission) uses CcaEdThresholdDbm. A PPDU that
// arrives while the PHY is idle is reported no earlier than the end of its
// detection window. The ends reported are not monotonic: as ns-3's
// ChannelAccessManager::NotifyCcaBusyStartNow, the MAC should overwrite its
// busy end with each report. No CCA report is made while the PHY is in Rx;
// reports do come while it transmits (a PPDU arriving during a transmission
// that it outlasts), since ns-3's WifiPhyStateHelper mutes them in Rx only.
//
// A Phy is driven by its simulator's goroutine only.
type Phy struct {
	// The fields every arrival, detection end and catch-up reads come
	// first, so that they share the PHY's first cache lines. The Go
	// runtime puts an object of this size 8 bytes past a 64-byte line
	// (its type header), so that the first line holds the first 56 bytes:
	// what an arrival reads before anything else.

	// lazy: the medium accounts this PHY's sub-detection signals lazily
	// (Medium.Attach decides; every entry point then calls sync and
	// settle).
	lazy  bool
	field field
	// rxGainDb and rxSensDbm: cfg.RxGainDb and cfg.RxSensitivityDbm,
	// which every arrival reads first.
	rxGainDb, rxSensDbm float64
	medium              *Medium
	index               int // id in the medium (spectrum id = attachment index)
	s                   *sim.Simulator
	endTx               sim.Time
	listener            PhyListener
	endRx               sim.Time
	endCca              sim.Time
	current             *rxSignal   // ns-3 m_currentEvent
	preamble            []*rxSignal // ns-3 m_currentPreambleEvents, by uid
	fieldEv             sim.EventID // ns-3 m_endPhyRxEvent
	// payloadEv is ns-3's m_endRxPayloadEvents.
	payloadEv        sim.EventID
	ccaSensW, ccaEdW float64
	// thresholdDetect: the preamble detection model is
	// ThresholdPreambleDetection, evaluated in linear units against
	// detectMinW and detectMinR.
	thresholdDetect        bool
	detectMinW, detectMinR float64
	nextSigID              uint64
	// notDetected and busyDecoding count the drops of weak signals that
	// the medium's lazy record erased (Phy.sync), beside the signal ids
	// they took, to be added to counters when read: a catch-up writes no
	// line of counters.
	notDetected, busyDecoding uint64
	// detectWindow: cfg.PreambleDetectionDuration, which every arrival
	// and catch-up reads.
	detectWindow sim.Time
	// pcg is the PHY's own stream (mac80211/phy/<id>), in the PHY so
	// that a reception's draw touches no other cache line; rng, when
	// set by SetStream, replaces it.
	pcg rand.PCG
	rng *rand.Rand

	// The hooks (checked at every reception, and whether OnRxDrop is set
	// at every catch-up), the preamble events' first array and the
	// counters come next, on lines a reception touches anyway, before the
	// interference record; the configuration, read at a reception only
	// through the copies above, comes last.

	// OnTxStart, if set, is called when the PHY starts transmitting f.
	OnTxStart func(f *Frame)
	// OnRxBegin, if set, is called when the PHY synchronises on a PPDU at
	// the end of its preamble detection window (ns-3 PhyRxBegin), with the
	// received power.
	OnRxBegin func(f *Frame, rssiDbm float64)
	// OnRxOk, if set, is called for every frame received correctly, before
	// the listener's PhyRxEnd.
	OnRxOk func(f *Frame, info RxInfo)
	// OnRxDrop, if set, is called for every frame that reached the PHY and
	// was not delivered, with the reason. Set it before the run, or during
	// it with SetOnRxDrop: while it is nil the medium may account
	// sub-detection signals lazily (see Medium), and a hook assigned here
	// mid-run would hear the drops of those pending then when the PHY next
	// acts, not at their times (and not those already erased from its
	// interference record).
	OnRxDrop func(f *Frame, reason RxDropReason)
	pcap     *pcap.Writer
	// warm and warmLines: the listener's record, fetched ahead of the
	// notifications of a detection window's end (linesAhead).
	warm      unsafe.Pointer
	warmLines int

	preambleBuf [4]*rxSignal // preamble's first array
	counters    PhyCounters
	in          interference

	cfg          PhyConfig
	txAntennaDbm float64 // power handed to the medium
	free         []*rxSignal
}

// NewPhy returns an idle PHY. Attach it to a Medium to send and receive;
// its random stream (used for the SIGNAL and DATA field draws) is then
// s.Stream("mac80211/phy/N"), N its attachment index, unless SetStream set
// one.
func NewPhy(s *sim.Simulator, cfg PhyConfig) (*Phy, error) {
	if s == nil {
		return nil, errors.New("mac80211: NewPhy needs a simulator")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	p := &Phy{s: s, cfg: cfg, listener: nopListener{}, index: -1, rxGainDb: cfg.RxGainDb, rxSensDbm: cfg.RxSensitivityDbm,
		detectWindow: cfg.PreambleDetectionDuration}
	p.preamble = p.preambleBuf[:0]
	p.ccaSensW = spectrum.DbmToW(cfg.CcaSensitivityDbm)
	p.ccaEdW = spectrum.DbmToW(cfg.CcaEdThresholdDbm)
	if t, ok := cfg.PreambleDetection.(ThresholdPreambleDetection); ok {
		p.thresholdDetect = true
		p.detectMinW, p.detectMinR = spectrum.DbmToW(t.MinimumRssiDbm), spectrum.DbToRatio(t.MinimumSnrDb)
	}
	p.txAntennaDbm = ns3TxPowerDbm(cfg.TxPowerDbm, cfg.TxGainDb)
	p.in.init(cfg.NoiseFigureDb, cfg.ErrorModel)
	return p, nil
}

// ns3TxPowerDbm returns the power YansWifiPhy::StartTx hands to the channel:
// WifiPhy::GetTxPowerForTransmission (which applies the PowerDensityLimit,
// 100 dBm/MHz by default, to the EIRP per MHz and converts back) plus the
// transmit gain, with ns-3's floating-point operations.
func ns3TxPowerDbm(txPowerDbm, txGainDb float64) float64 {
	const powerDensityLimit = 100.0
	width := spectrum.RatioToDb(20)
	perMHz := (txPowerDbm + txGainDb) - width
	p := math.Min(perMHz, powerDensityLimit) + width
	p -= txGainDb
	return p + txGainDb
}

// SetListener registers the MAC that receives the PHY's notifications.
// A nil l removes it.
func (p *Phy) SetListener(l PhyListener) {
	p.warm, p.warmLines = nil, 0
	if l == nil {
		p.listener = nopListener{}
		return
	}
	p.listener = l
	if w, ok := l.(linesAhead); ok {
		p.warm, p.warmLines = w.linesAhead()
	}
}

// linesAhead is implemented by a listener whose record a PHY fetches into
// the caches when it opens a detection window: the window's end, some
// microseconds of wall time later, notifies it (PhyRxStart or PhyCcaBusy).
type linesAhead interface {
	linesAhead() (unsafe.Pointer, int)
}

// SetStream sets the random stream the PHY draws its SIGNAL and DATA field
// outcomes from, replacing the default chosen at Attach.
func (p *Phy) SetStream(r *rand.Rand) {
	if r != nil {
		p.rng = r
	}
}

// uniform draws from the PHY's stream a float64 in [0, 1), as
// rand.Rand.Float64 does (ns-3 draws the same from a
// UniformRandomVariable for each SIGNAL and DATA field's outcome).
func (p *Phy) uniform() float64 {
	if p.rng != nil {
		return p.rng.Float64()
	}
	return float64(p.pcg.Uint64()<<11>>11) / (1 << 53)
}

// Config returns the PHY's configuration (with the current transmit power).
func (p *Phy) Config() PhyConfig { return p.cfg }

// SetTxPowerDbm changes the transmit power (before antenna gain) for the
// next transmissions. The medium's culling range follows.
func (p *Phy) SetTxPowerDbm(dbm float64) error {
	if math.IsNaN(dbm) || math.IsInf(dbm, 0) {
		return fmt.Errorf("mac80211: transmit power must be finite, got %g", dbm)
	}
	p.cfg.TxPowerDbm = dbm
	p.txAntennaDbm = ns3TxPowerDbm(dbm, p.cfg.TxGainDb)
	if p.medium != nil {
		p.medium.txPowerChanged(p)
	}
	return nil
}

// SetOnRxDrop sets the OnRxDrop hook (nil removes it), at any time: the
// PHY first catches up with the sub-detection signals its medium accounted
// lazily, so that the hook hears every drop from now on at its own time,
// and none from before, as if each signal had been an event.
func (p *Phy) SetOnRxDrop(f func(f *Frame, reason RxDropReason)) {
	if p.lazy {
		p.sync()
		defer p.settle()
	}
	p.OnRxDrop = f
}

// Medium returns the medium the PHY is attached to, or nil.
func (p *Phy) Medium() *Medium { return p.medium }

// Counters returns what the PHY has counted so far.
func (p *Phy) Counters() PhyCounters {
	if p.lazy {
		p.sync()
		p.settle()
	}
	c := p.counters
	c.Drops[RxDropPreambleNotDetected] += p.notDetected
	c.Drops[RxDropBusyDecodingPreamble] += p.busyDecoding
	return c
}

// State returns the PHY's state now (ns-3 WifiPhyStateHelper::GetState:
// Tx, then Rx, then CcaBusy take precedence).
func (p *Phy) State() PhyState {
	now := p.s.Now()
	switch {
	case p.endTx > now:
		return PhyTx
	case p.endRx > now:
		return PhyRx
	case p.endCca > now:
		return PhyCcaBusy
	}
	return PhyIdle
}

// delayUntilIdle is WifiPhyStateHelper::GetDelayUntilIdle.
func (p *Phy) delayUntilIdle() sim.Time {
	now := p.s.Now()
	var d sim.Time
	switch p.State() {
	case PhyTx:
		d = p.endTx - now
	case PhyRx:
		d = p.endRx - now
	case PhyCcaBusy:
		d = p.endCca - now
	}
	return max(d, 0)
}

// Send starts transmitting f now and returns the time the transmission
// ends. The medium copies *f, so the caller may reuse f when Send returns;
// the copy's TxPowerDbm is set to the PHY's transmit power (f.TxPowerDbm is
// ignored). Send returns 0 and sends nothing if f is nil, its mode invalid,
// its PSDU larger than MaxPSDUSize, or the PHY already transmitting (the
// MAC must not do that; ns-3 asserts).
//
// As ns-3 3.37's WifiPhy::Send, transmitting aborts the PPDU the PHY locked
// on, in its preamble and SIGNAL field, if it ends after the current
// CCA-busy end (RECEPTION_ABORTED_BY_TX), and forgets the PPDUs still in
// their detection windows and a locked one that ends before
// (RxDropClearedByTx: ns-3 traces nothing for them), without any listener
// notification: the MAC treats its own transmission as the end of the
// reception (ChannelAccessManager::NotifyTxStartNow). ns-3 3.37 leaves a
// reception in its DATA field running (a bug, asserting in debug builds,
// fixed in later ns-3); netgym aborts it too and counts it as
// RxDropAbortedByTx.
func (p *Phy) Send(f *Frame) sim.Time {
	if p.lazy {
		p.sync()
		defer p.settle()
	}
	if f == nil || !f.Mode.Valid() || f.Size() > MaxPSDUSize || p.State() == PhyTx {
		p.counters.TxRejected++
		return 0
	}
	now := p.s.Now()
	dur := f.Duration()
	if p.detectionPending() || (p.current != nil &&
		(p.current.end > now+p.delayUntilIdle() || p.State() == PhyRx)) {
		p.abortCurrent(RxDropAbortedByTx)
	}
	// WifiPhy::Send: CancelRunningEndPreambleDetectionEvents,
	// m_currentPreambleEvents.clear(), m_endPhyRxEvent.Cancel(). If the
	// abort above did not happen (a locked PPDU whose end lies before the
	// current CCA-busy end), ns-3 keeps m_currentEvent until the end of the
	// transmission; so does netgym.
	p.cancelDetections()
	p.clearPreamble()
	p.s.Cancel(p.fieldEv)
	p.fieldEv = sim.EventID{}

	// WifiPhyStateHelper::SwitchToTx.
	if p.State() == PhyRx {
		p.endRx = now
	}
	p.endTx = now + dur
	p.counters.TxFrames++
	if p.OnTxStart != nil {
		p.OnTxStart(f)
	}
	if p.pcap != nil {
		p.sniff(f, false, RxInfo{})
	}
	if p.medium != nil {
		p.medium.transmit(p, f, dur)
	}
	p.s.ScheduleWith(dur, phyTxEnd, p)
	return p.endTx
}

// onTxEnd is WifiPhy::Reset, scheduled at the end of every transmission.
func (p *Phy) onTxEnd(any) {
	if p.lazy {
		p.sync()
		defer p.settle()
	}
	p.cancelAll()
	p.clearPreamble()
	if cur := p.current; cur != nil {
		p.current = nil
		p.release(cur)
	}
	p.maybeCcaBusy(false)
}

// detectionPending reports whether a preamble detection window is open.
func (p *Phy) detectionPending() bool {
	for _, sig := range p.preamble {
		if !sig.detectEv.IsZero() {
			return true
		}
	}
	return false
}

// cancelDetections is PhyEntity::CancelRunningEndPreambleDetectionEvents.
func (p *Phy) cancelDetections() {
	for _, sig := range p.preamble {
		if !sig.detectEv.IsZero() {
			p.s.Cancel(sig.detectEv)
			sig.detectEv = sim.EventID{}
		}
	}
}

// cancelAll is PhyEntity::CancelAllEvents.
func (p *Phy) cancelAll() {
	p.cancelDetections()
	if !p.payloadEv.IsZero() {
		p.s.Cancel(p.payloadEv)
		p.payloadEv = sim.EventID{}
	}
}

// clearPreamble empties m_currentPreambleEvents, as WifiPhy::Send and
// WifiPhy::Reset do. ns-3 forgets these PPDUs without a trace; netgym
// counts them as RxDropClearedByTx.
func (p *Phy) clearPreamble() {
	for i, sig := range p.preamble {
		p.preamble[i] = nil
		sig.inPreamble = false
		if !sig.detectEv.IsZero() {
			p.s.Cancel(sig.detectEv)
			sig.detectEv = sim.EventID{}
		}
		p.drop(sig, RxDropClearedByTx)
		p.release(sig)
	}
	p.preamble = p.preamble[:0]
	p.shrinkPreamble()
}

// shrinkPreamble puts an empty preamble list that grew in a burst back
// into the PHY's own array.
func (p *Phy) shrinkPreamble() {
	if len(p.preamble) == 0 && cap(p.preamble) > len(p.preambleBuf) {
		p.preamble = p.preambleBuf[:0]
	}
}

// abortCurrent is WifiPhy::AbortCurrentReception (with
// PhyEntity::DoAbortCurrentReception).
func (p *Phy) abortCurrent(reason RxDropReason) {
	p.cancelAll()
	p.s.Cancel(p.fieldEv)
	p.fieldEv = sim.EventID{}
	p.in.notifyRxEnd(p.s.Now())
	cur := p.current
	if cur == nil {
		return
	}
	p.drop(cur, reason)
	p.current = nil
	if p.State() == PhyRx {
		// Only netgym gets here (see Send): the DATA field ends now.
		p.endRx = p.s.Now()
	}
	p.erasePreamble(cur)
	p.release(cur)
}

// receive is a PPDU arriving from the medium at rxPowerDbm (before the
// receive gain): YansWifiChannel::Receive, then WifiPhy and
// PhyEntity::StartReceivePreamble. rxW is spectrum.DbmToW(rxPowerDbm +
// RxGainDb), which the medium computes (and caches) once per
// sender-receiver pair. seqW, if not 0, is the sequence number reserved
// for the end of its detection window (see Medium.transmit).
func (p *Phy) receive(tx *transmission, rxPowerDbm, rxW float64, seqW uint64) {
	dbm := rxPowerDbm + p.rxGainDb
	if p.lazy {
		if dbm >= p.rxSensDbm {
			// Tracked below: it erases the pending signals that ended.
			p.medium.retireAtArrival(&p.medium.lazy[p.index])
		}
		p.sync()
		defer p.settle()
	}
	now := p.s.Now()
	if dbm < p.rxSensDbm {
		p.counters.Drops[RxDropBelowSensitivity]++
		if p.OnRxDrop != nil {
			p.OnRxDrop(&tx.frame, RxDropBelowSensitivity)
		}
		tx.m.release(tx)
		return
	}
	sig := p.track(tx, now, rxW)
	switch p.State() {
	case PhyRx:
		p.dropPreambleEvent(sig, RxDropBusyRx)
	case PhyTx:
		p.dropPreambleEvent(sig, RxDropTransmitting)
	case PhyCcaBusy:
		if p.current != nil {
			p.dropPreambleEvent(sig, RxDropBusyDecodingPreamble)
		} else {
			p.startDetection(sig, seqW)
		}
	default:
		p.startDetection(sig, seqW)
	}
}

// track is PhyEntity::DoGetEvent: a reception record for tx arriving at
// start with powerW, tracked as interference for the whole PPDU and stored
// as a preamble event.
func (p *Phy) track(tx *transmission, start sim.Time, powerW float64) *rxSignal {
	sig := p.newSignal()
	sig.tx = tx
	sig.uid = tx.uid
	sig.start = start
	sig.end = start + tx.duration
	sig.powerW = powerW
	p.in.add(sig.id, sig.start, sig.end, sig.powerW)
	p.insertPreamble(sig)
	return sig
}

// startDetection is PhyEntity::StartPreambleDetectionPeriod. The PHY state
// does not change: an idle PHY stays idle (and reports no CCA) for the
// whole window.
func (p *Phy) startDetection(sig *rxSignal, seqW uint64) {
	prefetch.Lines(p.warm, p.warmLines)
	p.in.notifyRxStart()
	if seqW != 0 {
		sig.detectEv = p.s.ScheduleReserved(sig.start+p.detectWindow, seqW, phyDetectEnd, sig)
		return
	}
	sig.detectEv = p.s.ScheduleWith(p.detectWindow, phyDetectEnd, sig)
}

// sync brings the PHY up to date with the weak signals its medium
// accounted lazily (see Medium): what would have happened by now (their
// arrivals and detection window ends) is replayed at its own time, in the
// order of the events it would have been; the rest becomes the events it
// would have been. Every entry point calls it first (and settle last), so
// that the PHY acts on the state that handling every signal as an event
// gives.
//
// The record is in arrival order, and so are the window ends (all windows
// are as long), each event keyed by its time and reserved sequence number:
// arrival at (at, seqA), window end at (at + window, seqA+1). A later
// signal's numbers were reserved after an earlier one's, so an arrival at
// the very instant an earlier window ends comes after that end.
func (p *Phy) sync() {
	m := p.medium
	sl := &m.lazy[p.index]
	sl.quiet = false
	m.catchups++
	if sl.retired+sl.retiredBusy > 0 {
		// Erased by a later signal (Medium.retire): each took a signal id
		// and was dropped at its window end.
		p.nextSigID += uint64(sl.retired) + uint64(sl.retiredBusy)
		p.notDetected += uint64(sl.retired)
		p.busyDecoding += uint64(sl.retiredBusy)
		sl.retired, sl.retiredBusy = 0, 0
	}
	n := int(sl.n)
	if n == 0 {
		return
	}
	w := p.detectWindow
	var sigs [maxLazy]*rxSignal
	a, e := 0, 0 // the next arrival and the next window end to replay
	for e < n {
		if a < n && (e == a || sl.item(a).at < sl.item(e).at+w) {
			it := sl.item(a)
			if !p.s.Happened(it.at, it.seqA) {
				break
			}
			if e == a && (a+1 == n || sl.item(a+1).at >= it.at+w) && p.s.Happened(it.at+w, it.seqA+1) {
				// Alone from its arrival to its window end, both past:
				// receive and onDetectEnd without the reception record
				// they would take and give back (a signal id, the
				// interference, a drop).
				p.nextSigID++
				p.in.add(p.nextSigID, it.at, it.end(), sl.watts(it.dbm()))
				p.in.notifyRxStart()
				p.notDetected++
				p.in.notifyRxEnd(it.at + w)
				m.release(it.tx)
				a++
				e++
				continue
			}
			// receive at a quiet PHY (idle, or CCA busy with no PPDU
			// locked): track it and open its detection window.
			sigs[a] = p.track(it.tx, it.at, sl.watts(it.dbm()))
			p.in.notifyRxStart()
			a++
			continue
		}
		end := sl.item(e).at + w
		if !p.s.Happened(end, sl.item(e).seqA+1) {
			break
		}
		p.weakDetectEnd(sigs[e], end)
		e++
	}
	for i := e; i < a; i++ {
		// Arrived, its window still open: the window end event.
		sigs[i].detectEv = p.s.ScheduleReserved(sl.item(i).at+w, sl.item(i).seqA+1, phyDetectEnd, sigs[i])
	}
	for i := a; i < n; i++ {
		it := sl.item(i)
		dbm := it.dbm()
		m.scheduleArrival(it.tx, p, dbm, sl.watts(dbm), it.at, it.seqA)
	}
	for i := range n {
		sl.item(i).tx = nil // see Medium.erase
	}
	sl.n, sl.head = 0, 0
}

// weakDetectEnd is onDetectEnd at time now for sig, a weak signal kept
// lazily, among other such signals in their windows (the PHY was quiet
// when they arrived): a stronger one in its window makes the PHY drop sig
// and wait for it; otherwise sig, below the detection threshold, is not
// detected. The total power is below both CCA thresholds
// (Medium.admitLazy's bound), so no CCA report is made.
func (p *Phy) weakDetectEnd(sig *rxSignal, now sim.Time) {
	if best, _ := p.bestPreamble(); best != sig {
		p.yieldTo(sig, best)
		return
	}
	p.drop(sig, RxDropPreambleNotDetected)
	p.erasePreamble(sig)
	p.release(sig)
	if len(p.preamble) == 0 {
		p.in.notifyRxEnd(now)
	}
}

// settle records in the medium's lazy record whether the PHY is left
// quiet: not transmitting or receiving, no PPDU in a detection window or
// locked, the interference tracker not receiving, no drop hook. A weak
// signal arriving at a quiet PHY opens a detection window that ends in a
// drop, unless the total power reaches a CCA threshold (bounded with the
// highest power tracked from now on, and the power after the last change
// point once it has passed) or something happens at the PHY first, which
// calls sync.
func (p *Phy) settle() {
	sl := &p.medium.lazy[p.index]
	now := p.s.Now()
	sl.quiet = p.OnRxDrop == nil && p.current == nil && len(p.preamble) == 0 &&
		!p.in.rxing && p.endTx <= now && p.endRx <= now && p.fieldEv.IsZero() && p.payloadEv.IsZero()
	if sl.quiet {
		sl.matMaxW = p.in.maxPowerFrom(now)
		last := &p.in.ch[len(p.in.ch)-1]
		sl.matLastT, sl.matLastW = last.t, last.power
	}
}

// bestPreamble returns the PPDU that the end of a detection window
// considers, with its power: the strongest of the preamble events, the
// first (lowest uid) among equals.
func (p *Phy) bestPreamble() (*rxSignal, float64) {
	var best *rxSignal
	bestW := -1.0
	for _, e := range p.preamble {
		if e.powerW > bestW {
			best, bestW = e, e.powerW
		}
	}
	return best, bestW
}

// yieldTo drops sig at the end of its detection window for best, a
// stronger PPDU in its own window: the PHY waits for it.
func (p *Phy) yieldTo(sig, best *rxSignal) {
	p.drop(sig, RxDropBusyDecodingPreamble)
	p.erasePreamble(sig)
	p.release(sig)
	p.in.notifyRxEnd(best.start)
	p.in.notifyRxStart()
}

// onDetectEnd is PhyEntity::EndPreambleDetectionPeriod.
func (p *Phy) onDetectEnd(arg any) {
	if p.lazy {
		p.sync()
		defer p.settle()
	}
	sig := arg.(*rxSignal)
	sig.detectEv = sim.EventID{}
	now := p.s.Now()
	best, bestW := p.bestPreamble()
	if best != sig {
		p.yieldTo(sig, best)
		return
	}
	p.current = sig
	snr := p.in.snr(sig, now)
	detected := bestW > 0
	if p.thresholdDetect {
		// The same test as ThresholdPreambleDetection, without two
		// logarithms per detection.
		detected = sig.powerW >= p.detectMinW && snr >= p.detectMinR
	} else if m := p.cfg.PreambleDetection; m != nil {
		detected = m.IsPreambleDetected(sig.powerW, snr)
	}
	if !detected {
		p.dropPreambleEvent(sig, RxDropPreambleNotDetected)
		if len(p.preamble) == 0 {
			p.in.notifyRxEnd(now)
		}
		p.current = nil
		p.release(sig)
		p.s.Cancel(p.fieldEv)
		p.fieldEv = sim.EventID{}
		return
	}
	// Synchronised: drop every other PPDU in its window.
	p.cancelDetections()
	n := 0
	for _, e := range p.preamble {
		if e == sig {
			p.preamble[n] = e
			n++
			continue
		}
		reason := RxDropBusyDecodingPreamble
		if sig.uid > e.uid {
			reason = RxDropPreambleSwitch
			p.in.notifyRxEnd(sig.start)
		}
		e.inPreamble = false
		p.drop(e, reason)
		p.release(e)
	}
	clear(p.preamble[n:])
	p.preamble = p.preamble[:n]
	p.in.notifyRxStart()
	if p.OnRxBegin != nil {
		p.OnRxBegin(&sig.tx.frame, spectrum.WToDbm(sig.powerW))
	}
	// Continue receiving the preamble: CCA busy until its end, to be
	// prolonged by the next field. (ns-3 notifies, then schedules; netgym
	// schedules first so that a listener that transmits from its callback
	// cancels the right event.)
	rest := PreambleDuration - p.detectWindow
	p.field = fieldPreamble
	p.fieldEv = p.s.ScheduleWith(rest, phyFieldEnd, sig)
	p.notifyCcaBusy(rest)
}

// onFieldEnd is PhyEntity::EndReceiveField for the preamble and the SIGNAL
// field (OfdmPhy::EndReceiveHeader).
func (p *Phy) onFieldEnd(arg any) {
	if p.lazy {
		p.sync()
		defer p.settle()
	}
	sig := arg.(*rxSignal)
	p.fieldEv = sim.EventID{}
	now := p.s.Now()
	if p.field == fieldPreamble {
		// PhyEntity::DoEndReceivePreamble always succeeds; start the
		// SIGNAL field, CCA busy until its end.
		p.field = fieldHeader
		p.fieldEv = p.s.ScheduleWith(SignalDuration, phyFieldEnd, sig)
		p.notifyCcaBusy(SignalDuration)
		return
	}
	per := p.in.headerPer(sig)
	if p.uniform() > per {
		// PhyEntity::StartReceivePayload, then
		// WifiPhyStateHelper::SwitchToRx: PHY-RXSTART.
		d := sig.end - now
		p.payloadEv = p.s.ScheduleWith(d, phyPayloadEnd, sig)
		p.endRx = now + d
		p.listener.PhyRxStart(p.endRx)
		return
	}
	// L_SIG_FAILURE: abort, but consider the medium busy.
	end := sig.end
	p.abortCurrent(RxDropHeaderFailed)
	if end > now+p.delayUntilIdle() {
		p.maybeCcaBusy(true)
	}
}

// onPayloadEnd is PhyEntity::EndOfMpdu and EndReceivePayload for a single
// MPDU.
func (p *Phy) onPayloadEnd(arg any) {
	if p.lazy {
		p.sync()
		defer p.settle()
	}
	sig := arg.(*rxSignal)
	p.payloadEv = sim.EventID{}
	now := p.s.Now()
	per := p.in.payloadPer(sig, sig.tx.frame.Mode)
	ok := p.uniform() > per
	snr := p.in.snr(sig, now)
	info := RxInfo{RSSIDbm: spectrum.WToDbm(sig.powerW), SNRDb: spectrum.RatioToDb(snr)}
	// DoEndReceivePayload: the PHY leaves Rx and forgets the PPDU.
	p.endRx = now
	p.in.notifyRxEnd(now)
	p.current = nil
	p.erasePreamble(sig)
	f := &sig.tx.frame
	if ok {
		p.counters.RxOk++
		if p.OnRxOk != nil {
			p.OnRxOk(f, info)
		}
		if p.pcap != nil {
			p.sniff(f, true, info)
		}
		p.listener.PhyRxEnd(f, true, info)
	} else {
		p.drop(sig, RxDropPayloadFailed)
		p.listener.PhyRxEnd(nil, false, info)
	}
	p.release(sig)
	p.maybeCcaBusy(true)
}

// dropPreambleEvent is PhyEntity::DropPreambleEvent.
func (p *Phy) dropPreambleEvent(sig *rxSignal, reason RxDropReason) {
	p.drop(sig, reason)
	end := sig.end
	p.erasePreamble(sig)
	p.release(sig)
	if end > p.s.Now()+p.delayUntilIdle() {
		// That PPDU will be noise after the end of the current event.
		p.maybeCcaBusy(true)
	}
}

// drop counts and traces a frame the PHY does not deliver.
func (p *Phy) drop(sig *rxSignal, reason RxDropReason) {
	p.counters.Drops[reason]++
	if p.OnRxDrop != nil {
		p.OnRxDrop(&sig.tx.frame, reason)
	}
}

// maybeCcaBusy is PhyEntity::SwitchMaybeToCcaBusy: CCA busy while the total
// power stays at or above CcaSensitivityDbm (a PPDU triggered the check) or
// CcaEdThresholdDbm (none did, or the first check found nothing).
func (p *Phy) maybeCcaBusy(ppdu bool) {
	thr := p.ccaEdW
	if ppdu {
		thr = p.ccaSensW
	}
	if d := p.in.energyDuration(p.s.Now(), thr); d > 0 {
		p.notifyCcaBusy(d)
		return
	}
	if ppdu {
		p.maybeCcaBusy(false)
	}
}

// notifyCcaBusy is WifiPhyStateHelper::SwitchMaybeToCcaBusy: nothing while
// in Rx; otherwise the listener hears PhyCcaBusy(now+d) and the CCA-busy end
// is extended.
func (p *Phy) notifyCcaBusy(d sim.Time) {
	if p.State() == PhyRx {
		return
	}
	now := p.s.Now()
	p.endCca = max(p.endCca, now+d)
	p.counters.CcaBusy++
	p.listener.PhyCcaBusy(now + d)
}

// newSignal takes a signal record from the pool. The pool is the
// medium's, shared by its PHYs: the record released last, still in the
// cache, is the next one used, whichever PHY it served (a per-PHY pool
// hands out a cold record on nearly every arrival in a large network).
func (p *Phy) newSignal() *rxSignal {
	var sig *rxSignal
	free := &p.free
	if p.medium != nil {
		free = &p.medium.sigFree
	}
	if n := len(*free); n > 0 {
		sig = (*free)[n-1]
		(*free)[n-1] = nil
		*free = (*free)[:n-1]
	} else {
		sig = new(rxSignal)
	}
	p.nextSigID++
	*sig = rxSignal{id: p.nextSigID, phy: p}
	return sig
}

// release returns sig to the pool once it is neither a preamble event nor
// the current event.
func (p *Phy) release(sig *rxSignal) {
	if sig.inPreamble || sig == p.current || sig.tx == nil {
		return
	}
	sig.tx.m.release(sig.tx)
	sig.tx = nil
	if m := p.medium; m != nil {
		if len(m.sigFree) < max(maxPooled, len(m.phys)) {
			m.sigFree = append(m.sigFree, sig)
		}
		return
	}
	p.free = append(p.free, sig)
}

// insertPreamble adds sig to the preamble events, kept in uid order as
// ns-3's map keyed by (uid, preamble).
func (p *Phy) insertPreamble(sig *rxSignal) {
	i := len(p.preamble)
	p.preamble = append(p.preamble, sig)
	for i > 0 && p.preamble[i-1].uid > sig.uid {
		p.preamble[i] = p.preamble[i-1]
		i--
	}
	p.preamble[i] = sig
	sig.inPreamble = true
}

// erasePreamble removes sig from the preamble events.
func (p *Phy) erasePreamble(sig *rxSignal) {
	if !sig.inPreamble {
		return
	}
	sig.inPreamble = false
	for i, e := range p.preamble {
		if e == sig {
			copy(p.preamble[i:], p.preamble[i+1:])
			p.preamble[len(p.preamble)-1] = nil
			p.preamble = p.preamble[:len(p.preamble)-1]
			p.shrinkPreamble()
			return
		}
	}
}
