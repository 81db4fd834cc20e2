package threegpp

import (
	"math"

	"github.com/netgym/netgym/sim/propagation"
)

// lspTable is the large-scale and cluster parameters of one scenario and
// condition: ns-3.45's ThreeGppChannelModel::ParamsTable, filled by
// GetThreeGppTable from TR 38.901 Table 7.5-6 (Parts 1 and 2). Spreads are
// log10 of seconds (DS) and degrees (angles); cDS is in seconds, cASD,
// cASA and cZSA in degrees, K and XPR in dB, the per-cluster shadowing in
// dB.
type lspTable struct {
	numClusters, raysPerCluster int
	uLgDS, sigLgDS              float64
	uLgASD, sigLgASD            float64
	uLgASA, sigLgASA            float64
	uLgZSA, sigLgZSA            float64
	uLgZSD, sigLgZSD            float64
	offsetZOD                   float64
	cDS, cASD, cASA, cZSA       float64
	uK, sigK                    float64
	rTau                        float64
	uXpr, sigXpr                float64
	perClusterShadowingStd      float64
	// sqrtC is the lower-triangular square root of the cross-correlation
	// matrix, zero-padded to 7 x 7 (ns-3's m_sqrtC, value-initialised):
	// [SF, K, DS, ASD, ASA, ZSD, ZSA] for LOS, [SF, DS, ASD, ASA, ZSD, ZSA]
	// for NLOS and O2I.
	sqrtC *[7][7]float64
}

// corrKind names a cross-correlation matrix.
type corrKind int

const (
	rmaLOS corrKind = iota
	rmaNLOS
	rmaO2I
	umaLOS
	umaNLOS
	umaO2I
	umiLOS
	umiNLOS
	umiO2I
	inhLOS
	inhNLOS
	numCorr
)

// correlations are the cross-correlations of TR 38.901 Table 7.5-6 as
// ns-3.45 encodes them (three-gpp-channel-model.cc: sqrtC_RMa_LOS ...
// sqrtC_office_NLOS are the Cholesky factors of these matrices, generated
// by ns3-mmwave's SqrtMatrix.m), in ns-3's order [SF, K, DS, ASD, ASA, ZSD,
// ZSA] for LOS and [SF, DS, ASD, ASA, ZSD, ZSA] for NLOS and O2I.
var correlations = [numCorr][][]float64{
	rmaLOS: {
		{1, 0, -0.5, 0, 0, 0.01, -0.17},
		{0, 1, 0, 0, 0, 0, -0.02},
		{-0.5, 0, 1, 0, 0, -0.05, 0.27},
		{0, 0, 0, 1, 0, 0.73, -0.14},
		{0, 0, 0, 0, 1, -0.2, 0.24},
		{0.01, 0, -0.05, 0.73, -0.2, 1, -0.07},
		{-0.17, -0.02, 0.27, -0.14, 0.24, -0.07, 1},
	},
	rmaNLOS: {
		{1, -0.5, 0.6, 0, -0.04, -0.25},
		{-0.5, 1, -0.4, 0, -0.1, -0.4},
		{0.6, -0.4, 1, 0, 0.42, -0.27},
		{0, 0, 0, 1, -0.18, 0.26},
		{-0.04, -0.1, 0.42, -0.18, 1, -0.27},
		{-0.25, -0.4, -0.27, 0.26, -0.27, 1},
	},
	rmaO2I: {
		{1, 0, 0, 0, 0, 0},
		{0, 1, 0, 0, 0, 0},
		{0, 0, 1, -0.7, 0.66, 0.47},
		{0, 0, -0.7, 1, -0.55, -0.22},
		{0, 0, 0.66, -0.55, 1, 0},
		{0, 0, 0.47, -0.22, 0, 1},
	},
	umaLOS: {
		{1, 0, -0.4, -0.5, -0.5, 0, -0.8},
		{0, 1, -0.4, 0, -0.2, 0, 0},
		{-0.4, -0.4, 1, 0.4, 0.8, -0.2, 0},
		{-0.5, 0, 0.4, 1, 0, 0.5, 0},
		{-0.5, -0.2, 0.8, 0, 1, -0.3, 0.4},
		{0, 0, -0.2, 0.5, -0.3, 1, 0},
		{-0.8, 0, 0, 0, 0.4, 0, 1},
	},
	umaNLOS: {
		{1, -0.4, -0.6, 0, 0, -0.4},
		{-0.4, 1, 0.4, 0.6, -0.5, 0},
		{-0.6, 0.4, 1, 0.4, 0.5, -0.1},
		{0, 0.6, 0.4, 1, 0, 0},
		{0, -0.5, 0.5, 0, 1, 0},
		{-0.4, 0, -0.1, 0, 0, 1},
	},
	umaO2I: {
		{1, -0.5, 0.2, 0, 0, 0},
		{-0.5, 1, 0.4, 0.4, -0.6, -0.2},
		{0.2, 0.4, 1, 0, -0.2, 0},
		{0, 0.4, 0, 1, 0, 0.5},
		{0, -0.6, -0.2, 0, 1, 0.5},
		{0, -0.2, 0, 0.5, 0.5, 1},
	},
	umiLOS: {
		{1, 0.5, -0.4, -0.5, -0.4, 0, 0},
		{0.5, 1, -0.7, -0.2, -0.3, 0, 0},
		{-0.4, -0.7, 1, 0.5, 0.8, 0, 0.2},
		{-0.5, -0.2, 0.5, 1, 0.4, 0.5, 0.3},
		{-0.4, -0.3, 0.8, 0.4, 1, 0, 0},
		{0, 0, 0, 0.5, 0, 1, 0},
		{0, 0, 0.2, 0.3, 0, 0, 1},
	},
	umiNLOS: {
		{1, -0.7, 0, -0.4, 0, 0},
		{-0.7, 1, 0, 0.4, -0.5, 0},
		{0, 0, 1, 0, 0.5, 0.5},
		{-0.4, 0.4, 0, 1, 0, 0.2},
		{0, -0.5, 0.5, 0, 1, 0},
		{0, 0, 0.5, 0.2, 0, 1},
	},
	umiO2I: {
		{1, -0.5, 0.2, 0, 0, 0},
		{-0.5, 1, 0.4, 0.4, -0.6, -0.2},
		{0.2, 0.4, 1, 0, -0.2, 0},
		{0, 0.4, 0, 1, 0, 0.5},
		{0, -0.6, -0.2, 0, 1, 0.5},
		{0, -0.2, 0, 0.5, 0.5, 1},
	},
	inhLOS: {
		{1, 0.5, -0.8, -0.4, -0.5, 0.2, 0.3},
		{0.5, 1, -0.5, 0, 0, 0, 0.1},
		{-0.8, -0.5, 1, 0.6, 0.8, 0.1, 0.2},
		{-0.4, 0, 0.6, 1, 0.4, 0.5, 0},
		{-0.5, 0, 0.8, 0.4, 1, 0, 0.5},
		{0.2, 0, 0.1, 0.5, 0, 1, 0},
		{0.3, 0.1, 0.2, 0, 0.5, 0, 1},
	},
	inhNLOS: {
		{1, -0.5, 0, -0.4, 0, 0},
		{-0.5, 1, 0.4, 0, -0.27, -0.06},
		{0, 0.4, 1, 0, 0.35, 0.23},
		{-0.4, 0, 0, 1, -0.08, 0.43},
		{0, -0.27, 0.35, -0.08, 1, 0.42},
		{0, -0.06, 0.23, 0.43, 0.42, 1},
	},
}

// sqrtCs holds the Cholesky factors of correlations, computed once (they
// are read-only).
var sqrtCs = func() (f [numCorr][7][7]float64) {
	for k := range correlations {
		f[k] = cholesky(correlations[k])
	}
	return f
}()

// cholesky returns the lower-triangular L with L·Lᵀ = c, zero-padded to
// 7 x 7. A pivot that rounding makes slightly negative counts as zero (the
// matrices are positive semi-definite), with zeros below it.
func cholesky(c [][]float64) (l [7][7]float64) {
	n := len(c)
	for j := range n {
		d := c[j][j]
		for k := range j {
			d -= l[j][k] * l[j][k]
		}
		if d <= 0 {
			continue
		}
		l[j][j] = math.Sqrt(d)
		for i := j + 1; i < n; i++ {
			s := c[i][j]
			for k := range j {
				s -= l[i][k] * l[j][k]
			}
			l[i][j] = s / l[j][j]
		}
	}
	return l
}

// cNLOSAzimuth is the scaling factor C_NLOS of TR 38.901 Table 7.5-2 for
// the azimuth angles, by number of clusters (as ns-3.45 codes it in
// GenerateChannelParameters), 0 for a count the table lacks.
func cNLOSAzimuth(n int) float64 {
	switch n {
	case 4:
		return 0.779
	case 5:
		return 0.860
	case 8:
		return 1.018
	case 10:
		return 1.090
	case 11:
		return 1.123
	case 12:
		return 1.146
	case 14:
		return 1.190
	case 15:
		return 1.221
	case 16:
		return 1.226
	case 19:
		return 1.273
	case 20:
		return 1.289
	}
	return 0
}

// cNLOSZenith is the scaling factor C_NLOS of TR 38.901 Table 7.5-4 for
// the zenith angles (ns-3.45's values; 15 clusters: 1.1088), 0 for a count
// the table lacks.
func cNLOSZenith(n int) float64 {
	switch n {
	case 8:
		return 0.889
	case 10:
		return 0.957
	case 11:
		return 1.031
	case 12:
		return 1.104
	case 15:
		return 1.1088
	case 19:
		return 1.184
	case 20:
		return 1.178
	}
	return 0
}

// rayOffsets are the ray offset angles α_m of TR 38.901 Table 7.5-3 for a
// unit rms angle spread (ns-3's offSetAlpha).
var rayOffsets = [20]float64{
	0.0447, -0.0447, 0.1413, -0.1413, 0.2492, -0.2492, 0.3715, -0.3715, 0.5129, -0.5129,
	0.6797, -0.6797, 0.8844, -0.8844, 1.1481, -1.1481, 1.5195, -1.5195, 2.1551, -2.1551,
}

// tableFor returns ThreeGppChannelModel::GetThreeGppTable for scenario s,
// the link's condition, the carrier fcHz, the 2D distance and the heights
// of the user terminal (the lower endpoint) and base station (the higher),
// as ns-3.45 codes it: O2I links use the O2I columns (RMa, UMa, UMi), the
// indoor scenarios use their LOS or NLOS columns.
func tableFor(s propagation.Scenario, los, o2i bool, fcHz, d2D, hUT, hBS float64) lspTable {
	fc := fcHz / 1e9
	var t lspTable
	t.raysPerCluster = 20
	switch s {
	case propagation.RMa:
		switch {
		case los && !o2i:
			// ns-3.45 puts the table's μlgZSD formula in sigLgZSD and its
			// σlgZSD (0.34) in uLgZSD.
			t = lspTable{numClusters: 11, raysPerCluster: 20,
				uLgDS: -7.49, sigLgDS: 0.55, uLgASD: 0.90, sigLgASD: 0.38, uLgASA: 1.52, sigLgASA: 0.24,
				uLgZSA: 0.47, sigLgZSA: 0.40, uLgZSD: 0.34,
				sigLgZSD: math.Max(-1.0, -0.17*(d2D/1000.0)-0.01*(hUT-1.5)+0.22),
				cDS:      3.91e-9, cASD: 2, cASA: 3, cZSA: 3, uK: 7, sigK: 4, rTau: 3.8, uXpr: 12, sigXpr: 4,
				perClusterShadowingStd: 3}
			t.sqrtC = &sqrtCs[rmaLOS]
		case !los && !o2i:
			t = lspTable{numClusters: 10, raysPerCluster: 20,
				uLgDS: -7.43, sigLgDS: 0.48, uLgASD: 0.95, sigLgASD: 0.45, uLgASA: 1.52, sigLgASA: 0.13,
				uLgZSA: 0.58, sigLgZSA: 0.37,
				uLgZSD:    math.Max(-1.0, -0.19*(d2D/1000.0)-0.01*(hUT-1.5)+0.28),
				sigLgZSD:  0.30,
				offsetZOD: math.Atan((35-3.5)/d2D) - math.Atan((35-1.5)/d2D),
				cDS:       3.91e-9, cASD: 2, cASA: 3, cZSA: 3, rTau: 1.7, uXpr: 7, sigXpr: 3,
				perClusterShadowingStd: 3}
			t.sqrtC = &sqrtCs[rmaNLOS]
		default:
			t = lspTable{numClusters: 10, raysPerCluster: 20,
				uLgDS: -7.47, sigLgDS: 0.24, uLgASD: 0.67, sigLgASD: 0.18, uLgASA: 1.66, sigLgASA: 0.21,
				uLgZSA: 0.93, sigLgZSA: 0.22,
				uLgZSD:    math.Max(-1.0, -0.19*(d2D/1000.0)-0.01*(hUT-1.5)+0.28),
				sigLgZSD:  0.30,
				offsetZOD: math.Atan((35-3.5)/d2D) - math.Atan((35-1.5)/d2D),
				cDS:       3.91e-9, cASD: 2, cASA: 3, cZSA: 3, rTau: 1.7, uXpr: 7, sigXpr: 3,
				perClusterShadowingStd: 3}
			t.sqrtC = &sqrtCs[rmaO2I]
		}
	case propagation.UMa:
		if los && !o2i {
			t = lspTable{numClusters: 12, raysPerCluster: 20,
				uLgDS: -6.955 - 0.0963*math.Log10(fc), sigLgDS: 0.66,
				uLgASD: 1.06 + 0.1114*math.Log10(fc), sigLgASD: 0.28,
				uLgASA: 1.81, sigLgASA: 0.20, uLgZSA: 0.95, sigLgZSA: 0.16,
				uLgZSD:   math.Max(-0.5, -2.1*d2D/1000.0-0.01*(hUT-1.5)+0.75),
				sigLgZSD: 0.40,
				cDS:      math.Max(0.25, -3.4084*math.Log10(fc)+6.5622) * 1e-9,
				cASD:     5, cASA: 11, cZSA: 7, uK: 9, sigK: 3.5, rTau: 2.5, uXpr: 8, sigXpr: 4,
				perClusterShadowingStd: 3}
			t.sqrtC = &sqrtCs[umaLOS]
			break
		}
		uLgZSD := math.Max(-0.5, -2.1*d2D/1000.0-0.01*(hUT-1.5)+0.9)
		afc := 0.208*math.Log10(fc) - 0.782
		bfc := 25.0
		cfc := -0.13*math.Log10(fc) + 2.03
		efc := 7.66*math.Log10(fc) - 5.96
		offsetZOD := efc - math.Pow(10, afc*math.Log10(math.Max(bfc, d2D))+cfc)
		if !o2i {
			t = lspTable{numClusters: 20, raysPerCluster: 20,
				uLgDS: -6.28 - 0.204*math.Log10(fc), sigLgDS: 0.39,
				uLgASD: 1.5 - 0.1144*math.Log10(fc), sigLgASD: 0.28,
				uLgASA: 2.08 - 0.27*math.Log10(fc), sigLgASA: 0.11,
				uLgZSA: -0.3236*math.Log10(fc) + 1.512, sigLgZSA: 0.16,
				uLgZSD: uLgZSD, sigLgZSD: 0.49, offsetZOD: offsetZOD,
				cDS:  math.Max(0.25, -3.4084*math.Log10(fc)+6.5622) * 1e-9,
				cASD: 2, cASA: 15, cZSA: 7, rTau: 2.3, uXpr: 7, sigXpr: 3,
				perClusterShadowingStd: 3}
			t.sqrtC = &sqrtCs[umaNLOS]
			break
		}
		t = lspTable{numClusters: 12, raysPerCluster: 20,
			uLgDS: -6.62, sigLgDS: 0.32, uLgASD: 1.25, sigLgASD: 0.42, uLgASA: 1.76, sigLgASA: 0.16,
			uLgZSA: 1.01, sigLgZSA: 0.43, uLgZSD: uLgZSD, sigLgZSD: 0.49, offsetZOD: offsetZOD,
			cDS: 11e-9, cASD: 5, cASA: 8, cZSA: 3, rTau: 2.2, uXpr: 9, sigXpr: 5,
			perClusterShadowingStd: 4}
		t.sqrtC = &sqrtCs[umaO2I]
	case propagation.UMiStreetCanyon:
		lf := math.Log10(1 + fc)
		if los && !o2i {
			t = lspTable{numClusters: 12, raysPerCluster: 20,
				uLgDS: -0.24*lf - 7.14, sigLgDS: 0.38,
				uLgASD: -0.05*lf + 1.21, sigLgASD: 0.41,
				uLgASA: -0.08*lf + 1.73, sigLgASA: 0.014*lf + 0.28,
				uLgZSA: -0.1*lf + 0.73, sigLgZSA: -0.04*lf + 0.34,
				uLgZSD:   math.Max(-0.21, -14.8*d2D/1000.0+0.01*math.Abs(hUT-hBS)+0.83),
				sigLgZSD: 0.35,
				cDS:      5e-9, cASD: 3, cASA: 17, cZSA: 7, uK: 9, sigK: 5, rTau: 3, uXpr: 9, sigXpr: 3,
				perClusterShadowingStd: 3}
			t.sqrtC = &sqrtCs[umiLOS]
			break
		}
		uLgZSD := math.Max(-0.5, -3.1*d2D/1000.0+0.01*math.Max(hUT-hBS, 0.0)+0.2)
		offsetZOD := -1 * math.Pow(10, -1.5*math.Log10(math.Max(10.0, d2D))+3.3)
		if !o2i {
			t = lspTable{numClusters: 19, raysPerCluster: 20,
				uLgDS: -0.24*lf - 6.83, sigLgDS: 0.16*lf + 0.28,
				uLgASD: -0.23*lf + 1.53, sigLgASD: 0.11*lf + 0.33,
				uLgASA: -0.08*lf + 1.81, sigLgASA: 0.05*lf + 0.3,
				uLgZSA: -0.04*lf + 0.92, sigLgZSA: -0.07*lf + 0.41,
				uLgZSD: uLgZSD, sigLgZSD: 0.35, offsetZOD: offsetZOD,
				cDS: 11e-9, cASD: 10, cASA: 22, cZSA: 7, rTau: 2.1, uXpr: 8, sigXpr: 3,
				perClusterShadowingStd: 3}
			t.sqrtC = &sqrtCs[umiNLOS]
			break
		}
		t = lspTable{numClusters: 12, raysPerCluster: 20,
			uLgDS: -6.62, sigLgDS: 0.32, uLgASD: 1.25, sigLgASD: 0.42, uLgASA: 1.76, sigLgASA: 0.16,
			uLgZSA: 1.01, sigLgZSA: 0.43, uLgZSD: uLgZSD, sigLgZSD: 0.35, offsetZOD: offsetZOD,
			cDS: 11e-9, cASD: 5, cASA: 8, cZSA: 3, rTau: 2.2, uXpr: 9, sigXpr: 5,
			perClusterShadowingStd: 4}
		t.sqrtC = &sqrtCs[umiO2I]
	default: // InHOfficeMixed, InHOfficeOpen: ns-3 asserts !o2i
		lf := math.Log10(1 + fc)
		if los {
			t = lspTable{numClusters: 15, raysPerCluster: 20,
				uLgDS: -0.01*lf - 7.692, sigLgDS: 0.18,
				uLgASD: 1.60, sigLgASD: 0.18,
				uLgASA: -0.19*lf + 1.781, sigLgASA: 0.12*lf + 0.119,
				uLgZSA: -0.26*lf + 1.44, sigLgZSA: -0.04*lf + 0.264,
				uLgZSD: -1.43*lf + 2.228, sigLgZSD: 0.13*lf + 0.30,
				cDS: 3.91e-9, cASD: 5, cASA: 8, cZSA: 9, uK: 7, sigK: 4, rTau: 3.6, uXpr: 11, sigXpr: 4,
				perClusterShadowingStd: 6}
			t.sqrtC = &sqrtCs[inhLOS]
			break
		}
		t = lspTable{numClusters: 19, raysPerCluster: 20,
			uLgDS: -0.28*lf - 7.173, sigLgDS: 0.1*lf + 0.055,
			uLgASD: 1.62, sigLgASD: 0.25,
			uLgASA: -0.11*lf + 1.863, sigLgASA: 0.12*lf + 0.059,
			uLgZSA: -0.15*lf + 1.387, sigLgZSA: -0.09*lf + 0.746,
			uLgZSD: 1.08, sigLgZSD: 0.36,
			cDS: 3.91e-9, cASD: 5, cASA: 11, cZSA: 9, rTau: 3, uXpr: 10, sigXpr: 4,
			perClusterShadowingStd: 3}
		t.sqrtC = &sqrtCs[inhNLOS]
	}
	return t
}
