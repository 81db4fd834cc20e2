package threegpp

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// Method is an ideal beamforming method: one of 5G-LENA's
// IdealBeamformingAlgorithms (ideal-beamforming-algorithm.cc), or
// ns3-mmwave's SVD beamforming.
type Method uint8

const (
	// CellScan searches 5G-LENA's sector codebook of both arrays for the
	// pair of beams with the largest received power over the band
	// (CellScanBeamforming, IdealBeamformingHelper's default method).
	CellScan Method = iota
	// DirectPath steers both arrays to the geometric direction of each
	// other, from their positions, whatever the channel and even in NLOS
	// (DirectPathBeamforming; NetRL's 5G-LENA program uses it).
	DirectPath
	// SVD uses the dominant singular vectors of the narrowband channel
	// matrix (the sum of the clusters' coefficients), found by power
	// iteration: ns3-mmwave's MmWaveSvdBeamforming, its default.
	SVD
)

// String returns the 5G-LENA or ns3-mmwave name of the method.
func (m Method) String() string {
	switch m {
	case CellScan:
		return "CellScanBeamforming"
	case DirectPath:
		return "DirectPathBeamforming"
	case SVD:
		return "SvdBeamforming"
	}
	return fmt.Sprintf("Method(%d)", uint8(m))
}

// BeamformingConfig configures a Beamformer. The defaults are 5G-LENA's
// IdealBeamformingHelper and CellScanBeamforming attributes (nr v4.1) and
// ns3-mmwave's MmWaveSvdBeamforming ones.
type BeamformingConfig struct {
	// Method is the algorithm (IdealBeamformingHelper's
	// BeamformingMethod, default CellScan).
	Method Method
	// Period is the interval between beamforming runs
	// (BeamformingPeriodicity, default 100 ms; 5G-LENA rejects 0).
	Period sim.Time
	// OversamplingFactor is CellScanBeamforming's samples per array row and
	// column (1 to 4, default 1). nr v4.1's cell scan has no angle step
	// attribute: its codebook follows the array size (BeamSearchAngleStep,
	// 30°, belongs to CellScanQuasiOmniBeamforming).
	OversamplingFactor int
	// SVDMaxIterations and SVDTolerance bound the power iteration of SVD
	// (MmWaveSvdBeamforming's MaxIterations 30 and Tolerance 1e-8).
	SVDMaxIterations int
	SVDTolerance     float64
	// SVDConjugatedCorrelation computes the transmit (s, column) side's
	// correlation matrix as ns3-mmwave v7.0's ComputeBeamformingVectors
	// does: bQ(b1, b2) = Σ_a conj(H(a, b1)·H(a, b2)), that is conj(Hᵀ·H),
	// instead of Hᴴ·H. Its dominant eigenvector is the right one for a
	// rank-one channel and a worse one otherwise. ns3-mmwave draws each
	// UE-eNB channel with the UE at the s end (its UE PHY asks for the
	// channel first, at attachment), so there the UE's weights carry it.
	SVDConjugatedCorrelation bool
}

// DefaultBeamformingConfig returns 5G-LENA's defaults: cell scan every
// 100 ms with oversampling 1; SVD with 30 iterations to 1e-8.
func DefaultBeamformingConfig() BeamformingConfig {
	return BeamformingConfig{Method: CellScan, Period: 100 * sim.Millisecond, OversamplingFactor: 1, SVDMaxIterations: 30, SVDTolerance: 1e-8}
}

// Validate reports an unknown method, a period that is not positive, an
// oversampling factor outside 1 to 4, or SVD bounds that are not positive.
func (c BeamformingConfig) Validate() error {
	if c.Method > SVD {
		return fmt.Errorf("threegpp: BeamformingConfig.Method %d is not CellScan, DirectPath or SVD", c.Method)
	}
	if c.Period <= 0 {
		return fmt.Errorf("threegpp: BeamformingConfig.Period %v must be > 0 (5G-LENA's BeamformingPeriodicity)", c.Period)
	}
	if c.OversamplingFactor < 1 || c.OversamplingFactor > 4 {
		return fmt.Errorf("threegpp: BeamformingConfig.OversamplingFactor %d must be in [1, 4]", c.OversamplingFactor)
	}
	if c.SVDMaxIterations < 1 {
		return fmt.Errorf("threegpp: BeamformingConfig.SVDMaxIterations %d must be >= 1", c.SVDMaxIterations)
	}
	if !(c.SVDTolerance > 0 && c.SVDTolerance <= math.MaxFloat64) {
		return fmt.Errorf("threegpp: BeamformingConfig.SVDTolerance %g must be positive and finite", c.SVDTolerance)
	}
	return nil
}

// task is one gNB-UE pair and the beams the Beamformer keeps for it.
type task struct {
	gnb, ue         propagation.Endpoint
	gnbBeam, ueBeam *antenna.Beam
}

// scanScratch is the reusable memory of a beam search.
type scanScratch struct {
	gw, uw []complex128
	bestG  []complex128
	bestU  []complex128
	v      []complex128 // per page x elements of the UE array
	ed     []complex128 // per RB x page: delay and Doppler phases
	lt     []complex128
	q      []complex128
	w, nw  []complex128
	hnb    []complex128
}

// Beamformer computes ideal beams for gNB-UE pairs on a Channel, once when
// a pair is added and then every Period: 5G-LENA's IdealBeamformingHelper
// (AddBeamformingTask, Run, ExpireBeamformingTimer) with its
// IdealBeamformingAlgorithm. Each pair has two Beams that runs update in
// place (antenna.Beam.Set); the radio installs the gNB's beam of a UE on
// the gNB's array when it serves that UE, and the UE's on the UE's array,
// as BeamManager does. Construct it with NewBeamformer.
//
// Beams and channel updates: a run computes the beams from the channel as
// it is then (CellScan and SVD draw or refresh the pair's channel first,
// as 5G-LENA's CalcRxPowerSpectralDensity call does when its update period
// has passed); between runs the beams stay as they are while the channel
// may be drawn again (UpdatePeriod), so they can be stale, as in 5G-LENA.
// With UpdatePeriod 0 the channel never changes and only the first run
// matters for static endpoints.
type Beamformer struct {
	ch    *Channel
	cfg   BeamformingConfig
	tasks []task
	probe Link
	pl    propagation.Link
	sc    scanScratch
	timer sim.EventID
	s     *sim.Simulator
}

// NewBeamformer returns a beamformer on channel ch.
func NewBeamformer(ch *Channel, cfg BeamformingConfig) (*Beamformer, error) {
	if ch == nil {
		return nil, errors.New("threegpp: NewBeamformer needs a Channel")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Beamformer{ch: ch, cfg: cfg}, nil
}

// Config returns the beamformer's configuration.
func (b *Beamformer) Config() BeamformingConfig { return b.cfg }

// Add registers the pair (gnb, ue) and computes its beams at now, as
// AddBeamformingTask does at attachment. The endpoints' ids are the
// medium's attachment ids (their arrays are the Channel's); a non-nil
// Mobility gives the position at each run, otherwise Position is used.
// The returned beams are updated in place by later runs.
func (b *Beamformer) Add(gnb, ue propagation.Endpoint, now sim.Time) (gnbBeam, ueBeam *antenna.Beam, err error) {
	t := task{gnb: gnb, ue: ue, gnbBeam: &antenna.Beam{}, ueBeam: &antenna.Beam{}}
	if err := b.runTask(&t, now); err != nil {
		return nil, nil, err
	}
	b.tasks = append(b.tasks, t)
	return t.gnbBeam, t.ueBeam, nil
}

// Run recomputes the beams of every pair at now (IdealBeamformingHelper::
// Run). It returns the first error (two endpoints at the same position for
// CellScan) after trying every pair.
func (b *Beamformer) Run(now sim.Time) error {
	var first error
	for i := range b.tasks {
		if err := b.runTask(&b.tasks[i], now); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Start runs the beamformer every Period from now on simulator s
// (ExpireBeamformingTimer); Stop cancels it.
func (b *Beamformer) Start(s *sim.Simulator) {
	b.Stop()
	b.s = s
	b.timer = s.Schedule(b.cfg.Period, b.expire)
}

// Stop cancels the periodic runs.
func (b *Beamformer) Stop() {
	if b.s != nil {
		b.s.Cancel(b.timer)
	}
}

func (b *Beamformer) expire() {
	_ = b.Run(b.s.Now())
	b.timer = b.s.Schedule(b.cfg.Period, b.expire)
}

// position returns the endpoint's position at now.
func position(e propagation.Endpoint, now sim.Time) mobility.Vector {
	if e.Mobility != nil {
		return e.Mobility.Position(now)
	}
	return e.Position
}

// runTask computes a pair's beams into its Beam objects.
func (b *Beamformer) runTask(t *task, now sim.Time) error {
	g, u, err := b.Compute(b.sc.gw, b.sc.uw, t.gnb, t.ue, now)
	b.sc.gw, b.sc.uw = g, u
	if err != nil {
		return err
	}
	t.gnbBeam.Set(g)
	t.ueBeam.Set(u)
	return nil
}

// Compute stores in gDst and uDst (resized, reusing their memory) and
// returns the beams of the gNB's and the UE's arrays for the pair at now
// with the configured method, without installing them. CellScan reports
// endpoints at the same position, as 5G-LENA aborts on them.
func (b *Beamformer) Compute(gDst, uDst []complex128, gnb, ue propagation.Endpoint, now sim.Time) ([]complex128, []complex128, error) {
	gp, up := position(gnb, now), position(ue, now)
	gArr, uArr := b.ch.array(gnb.ID), b.ch.array(ue.ID)
	method := b.cfg.Method
	if method == SVD && !b.ch.cfg.FastFading {
		// The cheap channel is the direct ray alone: its dominant singular
		// vectors are the direct-path beams.
		method = DirectPath
	}
	if method == DirectPath {
		// CreateDirectPathBfv at both ends.
		return gArr.DirectPathWeights(gDst, gp, up), uArr.DirectPathWeights(uDst, up, gp), nil
	}
	if gp == up {
		return gDst, uDst, fmt.Errorf("threegpp: %v between endpoints %d and %d at the same position %v", method, gnb.ID, ue.ID, gp)
	}
	b.pl = propagation.Link{
		Tx:          propagation.Endpoint{ID: gnb.ID, Position: gp, Mobility: gnb.Mobility},
		Rx:          propagation.Endpoint{ID: ue.ID, Position: up, Mobility: ue.Mobility},
		FrequencyHz: b.ch.cfg.Grid.CenterHz,
		Now:         now,
	}
	b.ch.update(&b.probe, &b.pl)
	if method == SVD {
		return b.svd(gDst, uDst)
	}
	return b.cellScan(gDst, uDst, gArr, uArr, now)
}

// cellScan is CellScanBeamforming::GetBeamformingVectors (nr v4.1): every
// sector beam of the gNB array (zenith steps of 180°/(OversamplingFactor·
// Rows) in integer degrees, beams centred in their wedge, sector steps of
// 1/OversamplingFactor over the columns) against every sector beam of the
// UE array (whose zenith loop, as 5G-LENA's, advances by the gNB's step),
// keeping the first pair of largest power summed over the resource blocks
// (a 0 dBm uniform PSD).
func (b *Beamformer) cellScan(gDst, uDst []complex128, gArr, uArr *antenna.Array, now sim.Time) ([]complex128, []complex128, error) {
	os := b.cfg.OversamplingFactor
	gc, uc := gArr.Config(), uArr.Config()
	fac := func(n int) int {
		if n > 1 {
			return os
		}
		return 1
	}
	txZenithStep := float64(180 / (fac(gc.Rows) * gc.Rows))
	txSectorStep := 1.0 / float64(fac(gc.Columns))
	rxZenithStep := float64(180 / (fac(uc.Rows) * uc.Rows))
	rxSectorStep := 1.0 / float64(fac(uc.Columns))

	b.prepareScan(now)
	sc := &b.sc
	best := 0.0
	sc.bestG, sc.bestU = sc.bestG[:0], sc.bestU[:0]
	for txZenith := 0.0; txZenith < 180; txZenith += txZenithStep {
		txTheta := txZenith + txZenithStep*0.5
		for txSector := 0.0; txSector < float64(gc.Columns); txSector += txSectorStep {
			sc.gw = gArr.DirectionalWeights(sc.gw, txSector, txTheta)
			if len(sc.bestG) == 0 {
				sc.bestG = append(sc.bestG, sc.gw...)
			}
			b.projectGnb(sc.gw)
			for rxZenith := 0.0; rxZenith < 180; rxZenith += txZenithStep {
				rxTheta := rxZenith + rxZenithStep*0.5
				for rxSector := 0.0; rxSector < float64(uc.Columns); rxSector += rxSectorStep {
					sc.uw = uArr.DirectionalWeights(sc.uw, rxSector, rxTheta)
					if len(sc.bestU) == 0 {
						sc.bestU = append(sc.bestU, sc.uw...)
					}
					if p := b.scanPower(sc.uw); best < p {
						best = p
						sc.bestG = append(sc.bestG[:0], sc.gw...)
						sc.bestU = append(sc.bestU[:0], sc.uw...)
					}
				}
			}
		}
	}
	return append(gDst[:0], sc.bestG...), append(uDst[:0], sc.bestU...), nil
}

// prepareScan precomputes, for the probe link at now, the delay and
// Doppler phase of every RB and page (fast fading).
func (b *Beamformer) prepareScan(now sim.Time) {
	l := &b.probe
	if l.st == nil {
		return
	}
	st := l.st
	pages := st.m.pages
	nrb := len(b.ch.freqs)
	sc := &b.sc
	sc.ed = resizeC(sc.ed, nrb*pages)
	vS, vU := velocity(l.txMob, now), velocity(l.rxMob, now)
	if l.reverse {
		vS, vU = vU, vS
	}
	moving := vS != (mobility.Vector{}) || vU != (mobility.Vector{})
	factor := 2 * math.Pi * now.Seconds() * b.ch.cfg.Grid.CenterHz / speedOfLight
	copy(sc.ed, st.delayPh)
	if moving {
		for p := range pages {
			d := st.dopplerPhase(p, factor, vS, vU)
			for r := range nrb {
				sc.ed[r*pages+p] *= d
			}
		}
	}
}

// projectGnb stores in sc.v the channel seen through the gNB beam w, per
// page and UE element: Σ over the gNB's elements of H·w.
func (b *Beamformer) projectGnb(w []complex128) {
	l := &b.probe
	sc := &b.sc
	if l.st == nil {
		return
	}
	m := &l.st.m
	if !l.reverse {
		// The gNB is the matrix's s side: v[p][u] = Σ_s H[p][u][s]·w[s].
		sc.v = resizeC(sc.v, m.pages*m.nu)
		for p := range m.pages {
			for u := range m.nu {
				row := m.h[m.at(p, u, 0) : m.at(p, u, 0)+m.ns]
				var s complex128
				for k, h := range row {
					s += h * w[k]
				}
				sc.v[p*m.nu+u] = s
			}
		}
		return
	}
	// The gNB is the u side: v[p][s] = Σ_u w[u]·H[p][u][s].
	sc.v = resizeC(sc.v, m.pages*m.ns)
	clear(sc.v)
	for p := range m.pages {
		for u := range m.nu {
			row := m.h[m.at(p, u, 0) : m.at(p, u, 0)+m.ns]
			for k, h := range row {
				sc.v[p*m.ns+k] += w[u] * h
			}
		}
	}
}

// scanPower returns the received power summed over the RBs for the gNB
// beam last projected and UE beam w.
func (b *Beamformer) scanPower(w []complex128) float64 {
	l := &b.probe
	sc := &b.sc
	if l.st == nil {
		af := l.txArr.ArrayFactor(sc.gw, l.txDir) * l.rxArr.ArrayFactor(w, l.rxDir)
		return cmplxAbs2(af) * l.field * l.field * float64(b.ch.cfg.Grid.NumRBs)
	}
	m := &l.st.m
	n := len(w)
	sc.lt = resizeC(sc.lt, m.pages)
	for p := range m.pages {
		v := sc.v[p*n : (p+1)*n]
		var s complex128
		for k, x := range v {
			s += w[k] * x
		}
		sc.lt[p] = s
	}
	total := 0.0
	pages := m.pages
	for r := range len(b.ch.freqs) {
		ed := sc.ed[r*pages : (r+1)*pages]
		var s complex128
		for p, x := range sc.lt {
			s += x * ed[p]
		}
		total += cmplxAbs2(s)
	}
	return total
}

// svd is MmWaveSvdBeamforming::ComputeBeamformingVectors: the narrowband
// channel Hnb = Σ_p H_p, the transmit side's weights the dominant
// eigenvector of Hnbᴴ·Hnb, the receive side's the conjugate of the
// dominant eigenvector of Hnb·Hnbᴴ, so that w_uᵀ·Hnb·w_s is the largest
// singular value (up to a phase).
func (b *Beamformer) svd(gDst, uDst []complex128) ([]complex128, []complex128, error) {
	l := &b.probe
	m := &l.st.m
	sc := &b.sc
	nu, ns := m.nu, m.ns
	sc.hnb = resizeC(sc.hnb, nu*ns)
	clear(sc.hnb)
	for p := range m.pages {
		for i := range nu * ns {
			sc.hnb[i] += m.h[p*nu*ns+i]
		}
	}
	h := sc.hnb
	// bQ = Hᴴ·H (ns x ns), or ns3-mmwave's conj(Hᵀ·H).
	sc.q = resizeC(sc.q, ns*ns)
	for b1 := range ns {
		for b2 := range ns {
			var s complex128
			for a := range nu {
				if b.cfg.SVDConjugatedCorrelation {
					s += conj(h[a*ns+b1] * h[a*ns+b2])
				} else {
					s += conj(h[a*ns+b1]) * h[a*ns+b2]
				}
			}
			sc.q[b1*ns+b2] = s
		}
	}
	wS := b.firstEigenvector(sc.q, ns)
	wS = append([]complex128(nil), wS...)
	// aQ = H·Hᴴ (nu x nu).
	sc.q = resizeC(sc.q, nu*nu)
	for a1 := range nu {
		for a2 := range nu {
			var s complex128
			for k := range ns {
				s += h[a1*ns+k] * conj(h[a2*ns+k])
			}
			sc.q[a1*nu+a2] = s
		}
	}
	wU := b.firstEigenvector(sc.q, nu)
	for i := range wU {
		wU[i] = conj(wU[i])
	}
	g, u := wS, wU
	if l.reverse {
		g, u = wU, wS
	}
	return append(gDst[:0], g...), append(uDst[:0], u...), nil
}

// firstEigenvector is MmWaveSvdBeamforming::GetFirstEigenvector: power
// iteration from the first row of a (n x n), normalising each step, until
// the squared change is at most the tolerance or the iterations run out.
// The result lives in the scratch space.
func (b *Beamformer) firstEigenvector(a []complex128, n int) []complex128 {
	sc := &b.sc
	sc.w = resizeC(sc.w, n)
	sc.nw = resizeC(sc.nw, n)
	copy(sc.w, a[:n])
	diff := 1.0
	for iter := 0; iter < b.cfg.SVDMaxIterations && diff > b.cfg.SVDTolerance; iter++ {
		sum := 0.0
		for r := range n {
			var s complex128
			for c := range n {
				s += a[r*n+c] * sc.w[c]
			}
			sc.nw[r] = s
			sum += cmplxAbs2(s)
		}
		norm := complex(math.Sqrt(sum), 0)
		diff = 0
		for i := range n {
			if sum > 0 {
				sc.nw[i] /= norm
			}
			diff += cmplxAbs2(sc.nw[i] - sc.w[i])
		}
		sc.w, sc.nw = sc.nw, sc.w
	}
	return sc.w
}

func conj(z complex128) complex128 { return complex(real(z), -imag(z)) }
