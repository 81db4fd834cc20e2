package mac80211

import (
	"errors"
	"math"

	"github.com/netgym/netgym/internal/fastlog"
	"github.com/netgym/netgym/sim/spectrum"
)

// ErrorRateModel gives the probability that a stretch of bits sent in one
// mode at a constant SINR is decoded without error. It is ns-3's
// ErrorRateModel::GetChunkSuccessRate (src/wifi/model/error-rate-model.cc)
// for single-antenna, single-stream OFDM.
//
// An interference tracker splits a reception into chunks of constant SINR
// and multiplies their success rates; the frame is received if a uniform
// draw exceeds 1 minus the product. Implementations keep no mutable
// state, are safe for concurrent use and must not allocate.
type ErrorRateModel interface {
	// ChunkSuccessRate returns the probability, in [0, 1], that nbits bits
	// sent in mode m at linear SINR snr are all received correctly. An
	// invalid mode gives 0.
	ChunkSuccessRate(m Mode, snr float64, nbits uint64) float64
}

// DefaultErrorRateModel returns the error model used when none is
// configured: the table-based model with ns-3's defaults, as in ns-3 3.37
// (YansWifiPhyHelper and SpectrumWifiPhyHelper both install
// ns3::TableBasedErrorRateModel unless told otherwise).
func DefaultErrorRateModel() ErrorRateModel { return DefaultTableBasedErrorRateModel() }

// FrameSuccessRate returns the probability that a PPDU carrying a PSDU of
// size bytes in mode m is received when the SINR stays at snr for its
// whole length. As in ns-3 3.37 (OfdmPhy::EndReceiveHeader, then
// InterferenceHelper::CalculatePayloadSnrPer), it is the success rate of
// the SIGNAL field (24 bits in SignalMode) times that of the DATA field
// (NumSymbols × N_DBPS bits in m, SERVICE, tail and pad bits included).
// Preamble detection is a separate, threshold-based decision and is not
// part of this probability.
func FrameSuccessRate(e ErrorRateModel, m Mode, snr float64, size int) float64 {
	header := e.ChunkSuccessRate(SignalMode, snr, ChunkBits(SignalMode, SignalDuration))
	payload := e.ChunkSuccessRate(m, snr, uint64(NumSymbols(size, m)*m.DataBitsPerSymbol()))
	return header * payload
}

// -----------------------------------------------------------------------
// YANS

// YansErrorRateModel is ns-3's YansErrorRateModel
// (src/wifi/model/yans-error-rate-model.cc), after Lacage and Henderson,
// "Yet Another Network Simulator" (WNS2 2006): an uncoded BPSK or M-QAM bit
// error rate at Eb/N0 = SNR × B / R (B = 20 MHz, R = the coded PhyRate),
// fed to a union bound on the first-event error probability of the
// convolutional code using its free distance d_free and the number of
// paths at d_free and d_free+1. The zero value is ready to use.
type YansErrorRateModel struct{}

// yansCode holds the distance spectrum terms ns-3 uses per code rate.
type yansCode struct {
	dFree, adFree, adFreePlusOne int
}

// yansCodeFor returns ns-3's (dFree, adFree, adFreePlusOne) for a code
// rate. These are the values in YansErrorRateModel::DoGetChunkSuccessRate:
// rate 1/2 (10, 11, 0), rate 2/3 (6, 1, 16), rate 3/4 (5, 8, 31).
func yansCodeFor(r CodeRate) yansCode {
	switch r {
	case CodeRate1_2:
		return yansCode{10, 11, 0}
	case CodeRate2_3:
		return yansCode{6, 1, 16}
	default: // CodeRate3_4
		return yansCode{5, 8, 31}
	}
}

// ChunkSuccessRate implements ErrorRateModel.
func (YansErrorRateModel) ChunkSuccessRate(m Mode, snr float64, nbits uint64) float64 {
	if !m.Valid() {
		return 0
	}
	const signalSpread = ChannelWidthHz
	ebNo := snr * signalSpread / float64(m.PhyRate())
	code := yansCodeFor(m.CodeRate())
	var ber float64
	if m.Modulation() == BPSK {
		ber = 0.5 * math.Erfc(math.Sqrt(ebNo))
		// ns-3's GetFecBpskBer uses the d_free term only.
		code.adFreePlusOne = 0
	} else {
		mm := float64(m.ConstellationSize())
		log2m := float64(m.CodedBitsPerSubcarrier())
		z := math.Sqrt(1.5 * log2m * ebNo / (mm - 1))
		z1 := (1 - 1/math.Sqrt(mm)) * math.Erfc(z)
		z2 := 1 - (1-z1)*(1-z1)
		ber = z2 / log2m
	}
	if ber == 0 {
		return 1
	}
	pmu := float64(code.adFree) * yansPd(ber, code.dFree)
	if code.adFreePlusOne != 0 {
		pmu += float64(code.adFreePlusOne) * yansPd(ber, code.dFree+1)
	}
	pmu = math.Min(pmu, 1)
	return math.Pow(1-pmu, float64(nbits))
}

// binomialCoef[n][k] is n choose k for n <= 11, the largest distance the
// YANS model uses (d_free + 1 for rate 1/2).
var binomialCoef = func() (c [12][12]float64) {
	for n := range c {
		c[n][0] = 1
		for k := 1; k <= n; k++ {
			c[n][k] = c[n-1][k-1] + c[n-1][k]
		}
	}
	return c
}()

// yansPd is ns-3's YansErrorRateModel::CalculatePd: the probability that a
// wrong path at Hamming distance d is chosen by hard-decision Viterbi
// decoding when raw bits are in error with probability p,
//
//	odd d:  sum_{i=(d+1)/2}^{d-1} C(d,i) p^i (1-p)^(d-i)
//	even d: sum_{i=d/2+1}^{d-1} C(d,i) p^i (1-p)^(d-i) + 1/2 C(d,d/2) p^(d/2) (1-p)^(d/2)
//
// Like ns-3 (CalculatePdOdd/CalculatePdEven loop while i < d), the i = d
// term is left out; it matters only when p is large and the chunk is lost
// anyway.
func yansPd(p float64, d int) float64 {
	var pd float64
	start := d/2 + 1 // even d; for odd d this is (d+1)/2
	if d%2 == 0 {
		pd = 0.5 * binomialCoef[d][d/2] * powi(p, d/2) * powi(1-p, d/2)
	}
	for i := start; i < d; i++ {
		pd += binomialCoef[d][i] * powi(p, i) * powi(1-p, d-i)
	}
	return pd
}

// powi returns x^n for a small n >= 0 by repeated multiplication.
func powi(x float64, n int) float64 {
	r := 1.0
	for ; n > 0; n-- {
		r *= x
	}
	return r
}

// -----------------------------------------------------------------------
// NIST

// NistErrorRateModel is ns-3's NistErrorRateModel
// (src/wifi/model/nist-error-rate-model.cc), after Pei and Henderson,
// "Validation of OFDM error rate model in ns-3" (2010): the uncoded bit
// error rate p of the modulation at SNR (BPSK ½erfc(√snr), QPSK
// ½erfc(√(snr/2)), M-QAM with √M levels per axis
// (√M-1)/(√M·log2√M)·erfc(√(snr/(2(M-1)/3)))), then a union bound over the
// code's distance spectrum with the Bhattacharyya parameter D = √(4p(1-p)):
// Pe = (1/(2b)) Σ a_d D^d, b = 1, 2, 3 for rates 1/2, 2/3, 3/4 (½ for rate
// 1/2), and success (1-Pe)^nbits. The zero value is ready to use.
type NistErrorRateModel struct{}

// Distance spectra a_d, d = dFree.., as in ns-3
// NistErrorRateModel::CalculatePe (Frenger et al.; tables 3.1.1 and 3.1.2
// of the NIST report).
var (
	nistSpectrum1_2 = [...]float64{36, 211, 1404, 11633, 77433, 502690, 3322763, 21292910, 134365911} // d = 10, 12, .., 26
	nistSpectrum2_3 = [...]float64{3, 70, 285, 1276, 6160, 27128, 117019, 498860, 2103891, 8784123}   // d = 6, 7, .., 15
	nistSpectrum3_4 = [...]float64{42, 201, 1492, 10469, 62935, 379644, 2253373, 13073811, 75152755, 428005675}
	// nistSpectrum3_4 is for d = 5, 6, .., 14.
)

// ChunkSuccessRate implements ErrorRateModel.
func (NistErrorRateModel) ChunkSuccessRate(m Mode, snr float64, nbits uint64) float64 {
	var ber float64
	switch m.Modulation() {
	case BPSK:
		ber = 0.5 * math.Erfc(math.Sqrt(snr))
	case QPSK:
		ber = 0.5 * math.Erfc(math.Sqrt(snr/2))
	case QAM16, QAM64:
		mm := m.ConstellationSize()
		// (2(M-1))/3 is an integer for M = 16 and 64 (10 and 42), as in ns-3.
		z := math.Sqrt(snr / float64((2*(mm-1))/3))
		sqrtM := math.Sqrt(float64(mm))
		ber = (sqrtM - 1) / (sqrtM * math.Log2(sqrtM)) * math.Erfc(z)
	default:
		return 0
	}
	if ber == 0 {
		return 1
	}
	pe := math.Min(nistPe(ber, m.CodeRate()), 1)
	return math.Pow(1-pe, float64(nbits))
}

// nistPe is ns-3's NistErrorRateModel::CalculatePe for the 802.11a code
// rates.
func nistPe(p float64, r CodeRate) float64 {
	d := math.Sqrt(4 * p * (1 - p))
	var sum float64
	switch r {
	case CodeRate1_2:
		// Only even distances: D^10, D^12, ..., D^26.
		d2 := d * d
		x := powi(d2, 5)
		for _, a := range nistSpectrum1_2 {
			sum += a * x
			x *= d2
		}
		return 0.5 * sum
	case CodeRate2_3:
		x := powi(d, 6)
		for _, a := range nistSpectrum2_3 {
			sum += a * x
			x *= d
		}
		return sum / 4 // 1/(2b), b = 2
	default: // CodeRate3_4
		x := powi(d, 5)
		for _, a := range nistSpectrum3_4 {
			sum += a * x
			x *= d
		}
		return sum / 6 // 1/(2b), b = 3
	}
}

// -----------------------------------------------------------------------
// Table-based

// Reference sizes and defaults of the table-based model (ns-3 3.37
// error-rate-tables.h and TableBasedErrorRateModel attributes).
const (
	// TableSmallFrameSize is the frame size, in bytes, of the small-frame
	// PER tables (ERROR_TABLE_BCC_SMALL_FRAME_SIZE).
	TableSmallFrameSize = 32
	// TableLargeFrameSize is the frame size, in bytes, of the large-frame
	// PER tables (ERROR_TABLE_BCC_LARGE_FRAME_SIZE).
	TableLargeFrameSize = 1458
	// DefaultTableSizeThreshold is ns-3's SizeThreshold attribute: chunks
	// of at least this many bytes use the large-frame table.
	DefaultTableSizeThreshold = 400
	// tableSnrScale: ns-3 rounds the SNR to 2 decimals of a dB
	// (SNR_PRECISION) before looking it up.
	tableSnrScale = 100
	// tablePerPrecision: ns-3 sets a PER below 1e-5 to 0
	// (TABLED_BASED_ERROR_MODEL_PRECISION).
	tablePerPrecision = 1e-5
	// tableMCSCount is the number of table rows 802.11a uses (MCS 0..6).
	tableMCSCount = 7
)

// TableBasedErrorRateModel is ns-3 3.37's default error model,
// TableBasedErrorRateModel (src/wifi/model/table-based-error-rate-model.cc):
// packet error rates read from AWGN, BCC link-simulation tables (MATLAB
// WLAN Toolbox runs by Patidar et al., validated against IEEE TGax curves;
// see ns-3's wifi-design.rst; data in
// src/wifi/model/reference/error-rate-tables.h). ns-3 3.37's
// YansWifiPhyHelper installs it for every standard, 802.11a included.
//
// For a chunk of nbits bits it works in bytes, size = max(1, nbits/8):
//   - The mode picks a table row as ns-3's GetMcsForMode does for non-HT
//     OFDM: 6 -> MCS 0, 12 -> 1, 18 -> 2, 24 -> 3, 36 -> 4, 48 -> 5,
//     54 -> 6. 9 Mb/s (BPSK 3/4) has no row and goes to Fallback.
//   - size < SizeThreshold selects the 32-byte table, otherwise the
//     1458-byte table.
//   - The SNR in dB is rounded to 0.01 dB; an exact table point gives its
//     PER, a point between two entries a linear interpolation of PER in dB,
//     below the first entry PER 1, above the last PER 0.
//   - If size differs from the table's size the PER is rescaled as
//     independent blocks: PER' = 1 - (1-PER)^(size/tableSize)
//     (IEEE 11-14/0803r1).
//   - A PER below 1e-5 counts as 0. The result is 1 - PER.
//
// Construct it with DefaultTableBasedErrorRateModel; the zero value uses
// YANS as fallback but a SizeThreshold of 0 (always the 1458-byte table).
type TableBasedErrorRateModel struct {
	// Fallback is used for modes the tables do not cover (9 Mb/s). nil
	// means YansErrorRateModel, ns-3's default FallbackErrorRateModel. It
	// must not itself be a TableBasedErrorRateModel.
	Fallback ErrorRateModel
	// SizeThreshold is the chunk size in bytes from which the 1458-byte
	// table is used instead of the 32-byte table. ns-3 default: 400.
	SizeThreshold uint64
}

// DefaultTableBasedErrorRateModel returns the table-based model with
// ns-3's defaults: YANS fallback and a 400-byte size threshold.
func DefaultTableBasedErrorRateModel() *TableBasedErrorRateModel {
	return &TableBasedErrorRateModel{
		Fallback:      YansErrorRateModel{},
		SizeThreshold: DefaultTableSizeThreshold,
	}
}

// Validate reports a configuration that cannot work: a fallback that is
// itself table-based would recurse for modes without a table.
func (t *TableBasedErrorRateModel) Validate() error {
	switch t.Fallback.(type) {
	case *TableBasedErrorRateModel:
		return errors.New("mac80211: TableBasedErrorRateModel.Fallback must not be table-based")
	}
	return nil
}

// TableMCS returns the row of the AWGN PER tables that ns-3 3.37 uses for
// mode m (TableBasedErrorRateModel::GetMcsForMode: the HT MCS with the
// same modulation and code rate), and false for a mode without a row
// (9 Mb/s, BPSK 3/4, which no HT MCS uses) or an invalid mode.
func TableMCS(m Mode) (mcs int, ok bool) {
	i := m.info().tableMCS
	return int(i), i >= 0
}

// ChunkSuccessRate implements ErrorRateModel.
func (t *TableBasedErrorRateModel) ChunkSuccessRate(m Mode, snr float64, nbits uint64) float64 {
	mcs, ok := TableMCS(m)
	if !ok {
		if t.Fallback == nil {
			return YansErrorRateModel{}.ChunkSuccessRate(m, snr, nbits)
		}
		return t.Fallback.ChunkSuccessRate(m, snr, nbits)
	}
	size := max(nbits/8, 1)
	table, tableSize := awgnBcc1458[mcs], uint64(TableLargeFrameSize)
	if size < t.SizeThreshold {
		table, tableSize = awgnBcc32[mcs], TableSmallFrameSize
	}
	snrDb := tableSnrSteps(snr) / tableSnrScale
	per := tablePer(table, snrDb)
	if size != tableSize {
		per = 1 - math.Pow(1-per, float64(size)/float64(tableSize))
	}
	if per < tablePerPrecision {
		per = 0
	}
	return 1 - per
}

// tableSnrSteps returns floor(RatioToDb(snr)·tableSnrScale + 0.5): the SNR
// rounded to the tables' hundredths of a dB, as ns-3 rounds it, counted
// in hundredths. It takes the logarithm from fastlog.Log2, within 1e-7
// hundredths of the exact value, whenever that is more than 1e-5 from a
// rounding boundary (all but about 2 in 100,000 SNRs), and computes it as
// ns-3 does otherwise: the result is the same, bit for bit
// (TestTableSnrSteps).
func tableSnrSteps(snr float64) float64 {
	if snr >= 0x1p-1000 && snr <= 0x1p1000 {
		// 10·log10(snr)·100 = 1000·log10(2)·log2(snr).
		const k = 1000 * 0.301029995663981195213738894724493026768189881462108541310
		y := fastlog.Log2(snr)*k + 0.5
		f := math.Floor(y)
		if d := y - f; d > 1e-5 && d < 1-1e-5 {
			return f
		}
	}
	return math.Floor(spectrum.RatioToDb(snr)*tableSnrScale + 0.5)
}

// snrPer is one table entry.
type snrPer struct {
	snrDb, per float64
}

// tablePer looks up the PER at snrDb in a table sorted by SNR, as ns-3
// does: exact entry, else linear interpolation between the neighbours, PER
// 1 below the table (and for a NaN SNR), PER 0 above it.
func tablePer(table []snrPer, snrDb float64) float64 {
	if !(snrDb >= table[0].snrDb) {
		return 1
	}
	if snrDb > table[len(table)-1].snrDb {
		return 0
	}
	i := 0
	for table[i].snrDb < snrDb {
		i++
	}
	next := table[i]
	if next.snrDb == snrDb {
		return next.per
	}
	prev := table[i-1]
	return prev.per + (snrDb-prev.snrDb)*(next.per-prev.per)/(next.snrDb-prev.snrDb)
}

// awgnBcc32 is ns-3 3.37's AwgnErrorTableBcc32 (src/wifi/model/reference/error-rate-tables.h),
// rows MCS 0..6: {SNR (dB), PER} for a 32-byte frame, BCC, AWGN.
var awgnBcc32 = [tableMCSCount][]snrPer{
	{ // MCS 0
		{-3.50000, 1.00000}, {-3.00000, 0.99500}, {-2.50000, 0.94080}, {-2.00000, 0.82590},
		{-1.50000, 0.58950}, {-1.00000, 0.30830}, {-0.50000, 0.12540}, {0.00000, 0.03440},
		{0.50000, 0.00850}, {1.00000, 0.00150}, {1.50000, 0.00024}, {2.00000, 0.00009},
		{2.50000, 0.00000},
	},
	{ // MCS 1
		{-0.50000, 1.00000}, {0.00000, 0.99210}, {0.50000, 0.96710}, {1.00000, 0.83490},
		{1.50000, 0.58740}, {2.00000, 0.31690}, {2.50000, 0.11820}, {3.00000, 0.03640},
		{3.50000, 0.00850}, {4.00000, 0.00160}, {4.50000, 0.00026}, {5.00000, 0.00003},
		{5.50000, 0.00000},
	},
	{ // MCS 2
		{2.00000, 1.00000}, {2.50000, 0.99400}, {3.00000, 0.95880}, {3.50000, 0.85120},
		{4.00000, 0.59900}, {4.50000, 0.31250}, {5.00000, 0.11710}, {5.50000, 0.03390},
		{6.00000, 0.00780}, {6.50000, 0.00160}, {7.00000, 0.00028}, {7.50000, 0.00008},
		{8.00000, 0.00000},
	},
	{ // MCS 3
		{4.00000, 1.00000}, {4.50000, 0.99900}, {5.00000, 0.99800}, {5.50000, 0.96900},
		{6.00000, 0.88430}, {6.50000, 0.74090}, {7.00000, 0.46510}, {7.50000, 0.25710},
		{8.00000, 0.10800}, {8.50000, 0.03810}, {9.00000, 0.01190}, {9.50000, 0.00320},
		{10.00000, 0.00076}, {10.50000, 0.00017}, {11.00000, 0.00003}, {11.50000, 0.00000},
	},
	{ // MCS 4
		{8.00000, 1.00000}, {8.50000, 0.99900}, {9.00000, 0.94790}, {9.50000, 0.79890},
		{10.00000, 0.59230}, {10.50000, 0.33700}, {11.00000, 0.15720}, {11.50000, 0.05420},
		{12.00000, 0.01580}, {12.50000, 0.00400}, {13.00000, 0.00110}, {13.50000, 0.00027},
		{14.00000, 0.00009}, {14.50000, 0.00000},
	},
	{ // MCS 5
		{11.50000, 1.00000}, {12.00000, 0.99800}, {12.50000, 0.96530}, {13.00000, 0.89700},
		{13.50000, 0.73010}, {14.00000, 0.52570}, {14.50000, 0.30580}, {15.00000, 0.15750},
		{15.50000, 0.06460}, {16.00000, 0.02410}, {16.50000, 0.00790}, {17.00000, 0.00230},
		{17.50000, 0.00069}, {18.00000, 0.00018}, {18.50000, 0.00004}, {19.00000, 0.00002},
		{19.50000, 0.00000},
	},
	{ // MCS 6
		{13.00000, 1.00000}, {13.50000, 0.99010}, {14.00000, 0.96250}, {14.50000, 0.83980},
		{15.00000, 0.68660}, {15.50000, 0.46340}, {16.00000, 0.25200}, {16.50000, 0.11450},
		{17.00000, 0.04610}, {17.50000, 0.01580}, {18.00000, 0.00490}, {18.50000, 0.00160},
		{19.00000, 0.00039}, {19.50000, 0.00011}, {20.00000, 0.00002}, {20.50000, 0.00000},
	},
}

// awgnBcc1458 is ns-3 3.37's AwgnErrorTableBcc1458 (src/wifi/model/reference/error-rate-tables.h),
// rows MCS 0..6: {SNR (dB), PER} for a 1458-byte frame, BCC, AWGN.
var awgnBcc1458 = [tableMCSCount][]snrPer{
	{ // MCS 0
		{-1.00000, 1.00000}, {-0.50000, 0.99400}, {0.00000, 0.81850}, {0.50000, 0.29080},
		{1.00000, 0.06630}, {1.50000, 0.01120}, {2.00000, 0.00150}, {2.50000, 0.00015},
		{3.00000, 0.00001}, {3.50000, 0.00000},
	},
	{ // MCS 1
		{2.00000, 1.00000}, {2.50000, 0.99700}, {3.00000, 0.79440}, {3.50000, 0.30080},
		{4.00000, 0.07280}, {4.50000, 0.01200}, {5.00000, 0.00150}, {5.50000, 0.00023},
		{6.00000, 0.00000},
	},
	{ // MCS 2
		{4.50000, 1.00000}, {5.00000, 0.99800}, {5.50000, 0.75780}, {6.00000, 0.30100},
		{6.50000, 0.06760}, {7.00000, 0.01220}, {7.50000, 0.00230}, {8.00000, 0.00035},
		{8.50000, 0.00004}, {9.00000, 0.00000},
	},
	{ // MCS 3
		{7.50000, 1.00000}, {8.00000, 0.99400}, {8.50000, 0.84050}, {9.00000, 0.43410},
		{9.50000, 0.14190}, {10.00000, 0.03740}, {10.50000, 0.00860}, {11.00000, 0.00190},
		{11.50000, 0.00036}, {12.00000, 0.00005}, {12.50000, 0.00000},
	},
	{ // MCS 4
		{11.00000, 1.00000}, {11.50000, 0.92690}, {12.00000, 0.51390}, {12.50000, 0.18260},
		{13.00000, 0.04650}, {13.50000, 0.01100}, {14.00000, 0.00260}, {14.50000, 0.00041},
		{15.00000, 0.00010}, {15.50000, 0.00000},
	},
	{ // MCS 5
		{14.50000, 1.00000}, {15.00000, 0.99900}, {15.50000, 0.94790}, {16.00000, 0.66250},
		{16.50000, 0.29780}, {17.00000, 0.10580}, {17.50000, 0.03340}, {18.00000, 0.00910},
		{18.50000, 0.00230}, {19.00000, 0.00064}, {19.50000, 0.00017}, {20.00000, 0.00002},
		{20.50000, 0.00000},
	},
	{ // MCS 6
		{16.00000, 1.00000}, {16.50000, 0.99500}, {17.00000, 0.87960}, {17.50000, 0.51390},
		{18.00000, 0.20910}, {18.50000, 0.06390}, {19.00000, 0.01860}, {19.50000, 0.00460},
		{20.00000, 0.00130}, {20.50000, 0.00023}, {21.00000, 0.00002}, {21.50000, 0.00000},
	},
}
