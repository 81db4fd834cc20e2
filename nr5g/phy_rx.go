package nr5g

import (
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/spectrum/rb"
)

// Receptions of data transport blocks (NrSpectrumPhy::StartRxData,
// EndRxData and the interference chunks of NrInterference) for both
// directions, with what 5G-LENA's PHYs do when several blocks share
// symbols (OFDMA) and when other cells transmit at the same time.
//
// A gNB PHY holds one beam per symbol: for the DL blocks that start at
// the same symbol, NrGnbPhy::SendDataChannels installs the beam of the
// first block it sends that carries data and keeps it for the others; the
// PHY gets the slot's DL blocks merged after its UL ones, each pushed at
// the front (SlotAllocInfo::Merge), so it sends them in the reverse of the
// scheduler's order and the beam is that of the scheduler's last block
// with data. For the UL blocks that start together, NrGnbPhy::UlData
// installs each block's UE beam in turn, so the reception uses the last
// one installed, which is the UE of the first block the scheduler created
// (it pushes UL blocks at the front of its list). Either way one beam
// serves the whole group: the UE it points at gets its full gain, the
// others whatever that beam gives towards them. The gNB's power in a symbol is shared by all the RBs its
// blocks use there (NrGnbPhy::SetSubChannels scales each block's PSD by
// its RBs over the total); a UE spreads its power over its own RBs.
//
// Other cells' data transmissions of the same slot that overlap a block in
// time are interference (gNBs through their beam for their own UE, UEs
// through their beam for their gNB), and the SINR per RB is the
// duration-weighted mean over the chunks between their starts and ends
// (sim/spectrum/rb's Calculator, 5G-LENA's NrChunkProcessor). Control
// symbols and SRS are not counted. Within a cell no two data blocks share
// an RB in a symbol, so there is no interference inside a cell. Without
// interference and with the pair's own beams, the channel's SINR is used
// directly (the single-cell path, unchanged).

// rbsOf returns the RBs of an RBG mask as an RB mask and a list (nil when
// every RB is used), in the gNB's scratch storage.
func (g *Gnb) rbsOf(m RbgMask) (RbgMask, []int) {
	if m.Count() == g.numRbg && g.numRbg*g.cfg.Phy.NumRbPerRbg == g.numRbs {
		return g.allRbs, nil
	}
	rbs := g.rbList[:0]
	for rbg := 0; rbg < g.numRbg; rbg++ {
		if m.Has(rbg) {
			for k := 0; k < g.cfg.Phy.NumRbPerRbg; k++ {
				rbs = append(rbs, rbg*g.cfg.Phy.NumRbPerRbg+k)
			}
		}
	}
	g.rbList = rbs
	g.rbMask = g.rbMask.resize(g.numRbs)
	for _, r := range rbs {
		g.rbMask[r/64] |= 1 << (r % 64)
	}
	return g.rbMask, rbs
}

// rbCount returns the RBs of an RBG mask.
func (g *Gnb) rbCount(m RbgMask) int { return m.Count() * g.cfg.Phy.NumRbPerRbg }

// dataEnd returns when a data allocation of the slot starting at
// slotStart ends at the receiver: 5G-LENA sends data 1 ns into its
// symbols for their duration less 2 ns.
func (g *Gnb) dataEnd(slotStart sim.Time, d *DCI) sim.Time {
	return slotStart + sim.Time(int(d.SymStart)+int(d.NumSym))*g.symDur - 1
}

// dataSpan returns when a data allocation of slot n is on the air.
func (g *Gnb) dataSpan(n uint64, d *DCI) (sim.Time, sim.Time) {
	s := sim.Time(n)*g.slotDur + sim.Time(d.SymStart)*g.symDur
	return s + 1, s + sim.Time(d.NumSym)*g.symDur - 1
}

// rxSpec describes a data reception: the transmitter and the peer its
// beam is set for, the receiver and the peer its beam is set for, the
// transmit power and how many RBs share it, the RBs and the symbols.
type rxSpec struct {
	tx, txFor, rx, rxFor int
	txDbm                float64
	shared               int
	n                    uint64
	d                    *DCI
}

// sinrOf returns the SINR per RB of a data reception (see the file
// comment), in dst.
func (g *Gnb) sinrOf(dst []float64, r rxSpec) ([]float64, []int, error) {
	mask, rbs := g.rbsOf(r.d.Mask)
	own := g.rbCount(r.d.Mask)
	now := g.sim.Now()
	net := g.net
	start, end := g.dataSpan(r.n, r.d)
	others := net.interferers(g, r.n, r.rx, r.rxFor, start, end)
	bc := net.beams
	ownBeams := r.txFor == r.rx && r.rxFor == r.tx
	if len(others) == 0 && (bc == nil || ownBeams) {
		p := r.txDbm
		if r.shared > own && own > 0 {
			p += 10 * math.Log10(float64(own)/float64(r.shared))
		}
		sinr, err := net.ch.SINR(dst, r.tx, r.rx, p, mask, now)
		return sinr, rbs, err
	}
	gains, err := bc.BeamGains(r.tx, r.txFor, r.rx, r.rxFor, now)
	if err != nil {
		return dst, rbs, err
	}
	perRb := 0.0
	if r.shared > 0 {
		perRb = dbmToW(r.txDbm) / float64(r.shared)
	}
	nr := len(gains)
	if cap(dst) < nr {
		dst = make([]float64, nr)
	}
	dst = dst[:nr]
	if len(others) == 0 {
		noise := bc.NoiseW(r.rx)
		for k := range dst {
			if mask.Has(k) {
				dst[k] = perRb * gains[k] / noise
			} else {
				dst[k] = 0
			}
		}
		return dst, rbs, nil
	}
	pw := net.sigBuf(0, nr)
	for k := range pw {
		if mask.Has(k) {
			pw[k] = perRb * gains[k]
		} else {
			pw[k] = 0
		}
	}
	calc, err := net.calculator(r.rx)
	if err != nil {
		return dst, rbs, err
	}
	dst, err = calc.SINR(dst, rb.Signal{Start: start, End: end, PowerW: pw}, others)
	return dst, rbs, err
}

// receiveUl receives the PUSCH transmissions of slot n at the gNB
// (NrSpectrumPhy::EndRxData): SINR, error model, HARQ feedback and PUSCH
// CQI (visible to the MAC from the next slot; one report per group of
// blocks starting at the same symbol), and the MAC PDU after the decode
// latency.
func (g *Gnb) receiveUl(n uint64) {
	a := g.ulAllocOf(n)
	if a == nil {
		return
	}
	slotStart := sim.Time(n) * g.slotDur
	for i := 0; i < len(a.Vars); {
		d0 := &a.Vars[i].DCI
		if d0.Dir != Uplink || d0.Type != AllocData {
			i++
			continue
		}
		// The group of data blocks starting at d0's symbol; the gNB's beam
		// is that of the group's first UE.
		j := i
		for j < len(a.Vars) && a.Vars[j].SymStart == d0.SymStart {
			j++
		}
		beamRadio := -1
		if u := g.ue(d0.RNTI); u != nil && u.dev != nil {
			beamRadio = u.dev.radio
		}
		report := false
		g.ulCqiSum = g.ulCqiSum[:0]
		for k := i; k < j; k++ {
			d := &a.Vars[k].DCI
			if d.Dir != Uplink || d.Type != AllocData {
				continue
			}
			if g.receiveUlBlock(n, d, slotStart, beamRadio) {
				report = true
			}
		}
		if report {
			// GenerateDataCqiReport: the SINR of every RB (0 outside the
			// allocations).
			c := len(g.arriving.ulCqi)
			if c < cap(g.arriving.ulCqi) {
				g.arriving.ulCqi = g.arriving.ulCqi[:c+1]
			} else {
				g.arriving.ulCqi = append(g.arriving.ulCqi, ulCqiIn{})
			}
			uc := &g.arriving.ulCqi[c]
			uc.slot, uc.symStart = n, d0.SymStart
			uc.sinr = append(uc.sinr[:0], g.ulCqiSum...)
		}
		i = j
	}
}

// receiveUlBlock receives one PUSCH block of slot n with the gNB's beam
// set for UE radio beamRadio; it adds the block's SINR to the group's CQI
// vector and reports whether a block was received.
func (g *Gnb) receiveUlBlock(n uint64, d *DCI, slotStart sim.Time, beamRadio int) bool {
	u := g.ue(d.RNTI)
	if u == nil || u.dev == nil {
		return false
	}
	tx := &u.dev.ulTx[n%allocRing]
	if !tx.valid || tx.slot != n {
		return false
	}
	tx.valid = false
	if beamRadio < 0 {
		beamRadio = u.dev.radio
	}
	sinr, rbs, err := g.sinrOf(g.sinr, rxSpec{tx: u.dev.radio, txFor: g.radio, rx: g.radio, rxFor: beamRadio,
		txDbm: u.dev.cfg.TxPowerDbm, shared: g.rbCount(d.Mask), n: n, d: d})
	g.sinr = sinr
	if err != nil {
		g.net.pools.tbs.release(tx.tb)
		tx.tb = nil
		return false
	}
	hist := &u.ulHist[d.HarqID]
	rec, err := g.ulTbler.stats(g.em, sinr, rbs, d.TBS, int(d.MCS), hist)
	if err != nil {
		g.net.pools.tbs.release(tx.tb)
		tx.tb = nil
		return false
	}
	corrupted := rec.Corrupted(g.rng.Float64())
	g.st.UlTbs++
	if corrupted {
		g.st.UlTbsFailed++
	} else {
		g.st.UlBytes += uint64(d.TBS)
	}
	if g.OnTb != nil || g.net.traces.Tb != nil {
		g.emitTb(g.trace(Uplink, d, n, sinr, rbs, rec.TBLER, corrupted))
	}
	g.arriving.ulFb = append(g.arriving.ulFb, HarqFeedback{RNTI: d.RNTI, HarqID: d.HarqID, OK: !corrupted, RV: d.RV})
	if !corrupted || d.RV == MaxHarqRetx {
		hist.Reset()
	} else {
		hist.Add(rec, sinr, rbs)
	}
	if len(g.ulCqiSum) < len(sinr) {
		for len(g.ulCqiSum) < len(sinr) {
			g.ulCqiSum = append(g.ulCqiSum, 0)
		}
	}
	for k, v := range sinr {
		g.ulCqiSum[k] += v
	}
	if corrupted {
		g.net.pools.tbs.release(tx.tb)
		tx.tb = nil
		return true
	}
	j := g.net.pools.jobs.Get()
	*j = rxJob{g: g, gu: u, tb: tx.tb, hasBsr: tx.hasBsr, bsr: tx.bsr}
	tx.tb = nil
	at := g.dataEnd(slotStart, d) + g.cfg.Phy.TbDecodeLatency
	g.sim.ScheduleWith(at-g.sim.Now(), g.jobFn, j)
	return true
}

// receiveDlGroup receives the DL data blocks of slot n starting at one
// symbol (vars): they share the gNB's power over all their RBs and the
// beam of the last block that carries data (see the file comment).
func (g *Gnb) receiveDlGroup(vars []VarTti, n uint64, k1 int) {
	shared := 0
	beamRadio := -1
	for i := range vars {
		d := &vars[i].DCI
		if d.Type != AllocData || d.Dir != Downlink {
			continue
		}
		shared += g.rbCount(d.Mask)
		if u := g.ue(d.RNTI); u != nil && u.dev != nil && u.dlHarq[d.HarqID].hasData() {
			beamRadio = u.dev.radio
		}
	}
	for i := range vars {
		d := &vars[i].DCI
		if d.Type != AllocData || d.Dir != Downlink {
			continue
		}
		if u := g.ue(d.RNTI); u != nil && u.dev != nil {
			g.receiveDl(u, d, n, k1, shared, beamRadio)
		}
	}
}

// receiveDl receives a DL transport block of slot n at UE u
// (NrSpectrumPhy::EndRxData at the UE): SINR, error model, HARQ feedback
// K1 slots later, DL CQI (NrUePhy::GenerateDlCqiReport) and the MAC PDU
// after the decode latency.
func (g *Gnb) receiveDl(u *gnbUE, d *DCI, n uint64, k1, shared, beamRadio int) {
	tb := u.dlHarq[d.HarqID]
	if !tb.hasData() {
		return // NrGnbPhy::DlData sends nothing for an empty burst
	}
	dev := u.dev
	if beamRadio < 0 {
		beamRadio = dev.radio
	}
	sinr, rbs, err := g.sinrOf(dev.sinr, rxSpec{tx: g.radio, txFor: beamRadio, rx: dev.radio, rxFor: g.radio,
		txDbm: g.cfg.TxPowerDbm, shared: shared, n: n, d: d})
	dev.sinr = sinr
	if err != nil {
		return
	}
	hist := &dev.dlHist[d.HarqID]
	rec, err := dev.dlTbler.stats(g.em, sinr, rbs, d.TBS, int(d.MCS), hist)
	if err != nil {
		return
	}
	corrupted := rec.Corrupted(dev.rng.Float64())
	g.st.DlTbs++
	if corrupted {
		g.st.DlTbsFailed++
	} else {
		g.st.DlBytes += uint64(d.TBS)
	}
	if g.OnTb != nil || g.net.traces.Tb != nil {
		g.emitTb(g.trace(Downlink, d, n, sinr, rbs, rec.TBLER, corrupted))
	}
	// NrUePhy::EnqueueDlHarqFeedback: sent in the UL control of slot
	// n + K1 (the next slot when K1 is 0).
	dev.queueDlFb(n+uint64(max(k1, 1)), HarqFeedback{RNTI: d.RNTI, HarqID: d.HarqID, OK: !corrupted, RV: d.RV})
	if !corrupted || d.RV == MaxHarqRetx {
		hist.Reset()
	} else {
		hist.Add(rec, sinr, rbs)
	}
	dev.dlCqiReport(n, sinr)
	if corrupted {
		return
	}
	tb.refs++
	j := g.net.pools.jobs.Get()
	*j = rxJob{g: g, ue: dev, tb: tb}
	at := g.dataEnd(sim.Time(n)*g.slotDur, d) + g.cfg.Phy.TbDecodeLatency
	g.sim.ScheduleWith(at-g.sim.Now(), g.jobFn, j)
}

func dbmToW(dbm float64) float64 { return math.Pow(10, (dbm-30)/10) }

// interferers returns the data transmissions of slot n by the cells other
// than cell that overlap [start, end), as received by radio rx with its
// beam set for rxFor (nil without a BeamChannel or a second cell).
func (net *Network) interferers(cell *Gnb, n uint64, rx, rxFor int, start, end sim.Time) []rb.Signal {
	if len(net.gnbs) < 2 || net.beams == nil {
		return nil
	}
	sigs := net.sigs[:0]
	now := cell.sim.Now()
	for _, o := range net.gnbs {
		if o == cell {
			continue
		}
		if a := o.dlAllocOf(n); a != nil {
			for i := 0; i < len(a.Vars); {
				d0 := &a.Vars[i].DCI
				j := i + 1
				for j < len(a.Vars) && a.Vars[j].SymStart == d0.SymStart {
					j++
				}
				shared, beam := 0, -1
				for k := i; k < j; k++ {
					d := &a.Vars[k].DCI
					if d.Type != AllocData || d.Dir != Downlink {
						continue
					}
					shared += o.rbCount(d.Mask)
					if u := o.ue(d.RNTI); u != nil && u.dev != nil && u.dlHarq[d.HarqID].hasData() {
						beam = u.dev.radio
					}
				}
				for k := i; k < j; k++ {
					d := &a.Vars[k].DCI
					if d.Type != AllocData || d.Dir != Downlink {
						continue
					}
					u := o.ue(d.RNTI)
					if u == nil || u.dev == nil || !u.dlHarq[d.HarqID].hasData() || u.dev.radio == rx {
						continue
					}
					s, e := o.dataSpan(n, d)
					if e <= start || s >= end {
						continue
					}
					sigs = net.addSignal(sigs, o, o.radio, beam, rx, rxFor, o.cfg.TxPowerDbm, shared, d, s, e, now)
				}
				i = j
			}
		}
		if a := o.ulAllocOf(n); a != nil {
			for i := range a.Vars {
				d := &a.Vars[i].DCI
				if d.Type != AllocData || d.Dir != Uplink {
					continue
				}
				u := o.ue(d.RNTI)
				if u == nil || u.dev == nil || u.dev.radio == rx {
					continue
				}
				s, e := o.dataSpan(n, d)
				if e <= start || s >= end {
					continue
				}
				sigs = net.addSignal(sigs, o, u.dev.radio, o.radio, rx, rxFor, u.dev.cfg.TxPowerDbm, o.rbCount(d.Mask), d, s, e, now)
			}
		}
	}
	net.sigs = sigs
	return sigs
}

// addSignal appends the received power of one interfering block.
func (net *Network) addSignal(sigs []rb.Signal, o *Gnb, tx, txFor, rx, rxFor int, dbm float64, shared int, d *DCI,
	s, e sim.Time, now sim.Time) []rb.Signal {
	gains, err := net.beams.BeamGains(tx, txFor, rx, rxFor, now)
	if err != nil || shared == 0 {
		return sigs
	}
	pw := net.sigBuf(len(sigs)+1, len(gains))
	perRb := dbmToW(dbm) / float64(shared)
	mask, _ := o.rbsOf(d.Mask)
	any := false
	for k := range pw {
		if mask.Has(k) {
			pw[k] = perRb * gains[k]
			any = true
		} else {
			pw[k] = 0
		}
	}
	if !any {
		return sigs
	}
	return append(sigs, rb.Signal{Start: s, End: e, PowerW: pw})
}

// sigBuf returns scratch power slice i (0: the desired signal) of n RBs.
func (net *Network) sigBuf(i, n int) []float64 {
	for len(net.sigBufs) <= i {
		net.sigBufs = append(net.sigBufs, nil)
	}
	if cap(net.sigBufs[i]) < n {
		net.sigBufs[i] = make([]float64, n)
	}
	net.sigBufs[i] = net.sigBufs[i][:n]
	return net.sigBufs[i]
}

// calculator returns the SINR calculator of radio rx's noise.
func (net *Network) calculator(rx int) (*rb.Calculator, error) {
	noise := net.beams.NoiseW(rx)
	for i := range net.calcs {
		if net.calcs[i].noise == noise {
			return net.calcs[i].c, nil
		}
	}
	// NoiseW is kT·F·RB width; recover the noise figure for the calculator.
	g := rb.Grid{CenterHz: net.grid.CenterHz, NumRBs: net.grid.NumRBs, SubcarrierSpacingHz: net.grid.SubcarrierSpacingHz}
	nf := 10*math.Log10(noise/g.NoisePerRB(0)) + 0
	c, err := rb.NewCalculator(g, nf)
	if err != nil {
		return nil, err
	}
	net.calcs = append(net.calcs, noiseCalc{noise: noise, c: c})
	return c, nil
}

// noiseCalc is a calculator for one noise level.
type noiseCalc struct {
	noise float64
	c     *rb.Calculator
}
