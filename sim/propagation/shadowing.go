package propagation

import "math"

// shadowingStd is GetShadowingStd of ns-3.45's 3GPP loss models, the
// shadow fading σSF (dB) of TR 38.901 Table 7.4.1-1:
//
//	          LOS               NLOS
//	RMa       4 (d2D <= dBP)    8
//	          6 (d2D >  dBP)
//	UMa       4                 6
//	UMi       4                 7.82
//	InH       3                 8.03
//
// with RMa's dBP = 2π·hA·hB·fc/c from the endpoints' heights.
func (m *ThreeGPP) shadowingStd(l *Link, los LosCondition, f float64) float64 {
	nlos := los != LOS
	switch m.cfg.Scenario {
	case RMa:
		if nlos {
			return 8
		}
		dBP := rmaBreakpoint(f, m.cfg.SpeedOfLight, l.Tx.Position.Z, l.Rx.Position.Z)
		if l.Distance2D() <= dBP {
			return 4
		}
		return 6
	case UMa:
		if nlos {
			return 6
		}
		return 4
	case UMiStreetCanyon:
		if nlos {
			return 7.82
		}
		return 4
	default:
		if nlos {
			return 8.03
		}
		return 3
	}
}

// correlationDistance is GetShadowingCorrelationDistance of ns-3.45's 3GPP
// loss models, the shadow fading decorrelation distance dCorr (m) of TR
// 38.901 Table 7.5-6:
//
//	       LOS   NLOS
//	RMa    37    120
//	UMa    37     50
//	UMi    10     13
//	InH    10      6
func (m *ThreeGPP) correlationDistance(los LosCondition) float64 {
	nlos := los != LOS
	switch m.cfg.Scenario {
	case RMa:
		if nlos {
			return 120
		}
		return 37
	case UMa:
		if nlos {
			return 50
		}
		return 37
	case UMiStreetCanyon:
		if nlos {
			return 13
		}
		return 10
	default:
		if nlos {
			return 6
		}
		return 10
	}
}

// relativePosition returns ns-3's GetVectorDifference in the ground plane:
// the position of the endpoint with the higher id minus that of the lower
// (the transmitter's minus the receiver's if the ids are equal), so that
// both directions of a link see the same vector.
func relativePosition(l *Link) (x, y float64) {
	if l.Tx.ID < l.Rx.ID {
		return l.Rx.Position.X - l.Tx.Position.X, l.Rx.Position.Y - l.Tx.Position.Y
	}
	return l.Tx.Position.X - l.Rx.Position.X, l.Tx.Position.Y - l.Rx.Position.Y
}

// shadowing is ThreeGppPropagationLossModel::GetShadowing: the link's
// shadowing loss (dB). The first value, and the first after a change of
// the LOS condition, is an independent N(0, σ²) draw; later values are
// correlated with the previous one through the horizontal displacement Δ
// of the link's relative position since then:
//
//	S = R·S_prev + sqrt(1-R²)·N(0, σ²),   R = exp(-|Δ|/dCorr)
//
// with σ and dCorr of the current condition (shadowingStd,
// correlationDistance). As ns-3, a normal variate is drawn on every call
// (with R = 1 for a static link it is multiplied by 0), and the first draw
// records the zero vector as the relative position unless
// ShadowingRecordFirstPosition is set (see ThreeGPPConfig).
func (m *ThreeGPP) shadowing(l *Link, los LosCondition, f float64, st *threeGPPLink) float64 {
	rx, ry := relativePosition(l)
	var v float64
	switch {
	case st.shadowCond == 0:
		v = st.rng.NormFloat64() * m.shadowingStd(l, los, f)
		if !m.cfg.ShadowingRecordFirstPosition {
			rx, ry = 0, 0
		}
	case st.shadowCond != los:
		v = st.rng.NormFloat64() * m.shadowingStd(l, los, f)
	default:
		dx, dy := rx-st.relX, ry-st.relY
		r := math.Exp(-math.Sqrt(dx*dx+dy*dy) / m.correlationDistance(los))
		v = r*st.shadow + math.Sqrt(1-r*r)*st.rng.NormFloat64()*m.shadowingStd(l, los, f)
	}
	st.shadow = v
	st.relX, st.relY = rx, ry
	st.shadowCond = los
	return v
}

// o2iLoss is ThreeGppPropagationLossModel::GetO2iLowPenetrationLoss and
// GetO2iHighPenetrationLoss, TR 38.901 7.4.3.1 (Tables 7.4.3-1 and -2): a
// per-link value drawn when first needed and again when the LOS condition
// changes,
//
//	PL = PLtw + 0.5·d2Din + N(0, σP²)
//	low loss:  PLtw = 5 - 10·log10(0.3·10^(-Lglass/10) + 0.7·10^(-Lconcrete/10))
//	high loss: PLtw = 5 - 10·log10(0.7·10^(-LIIRglass/10) + 0.3·10^(-Lconcrete/10))
//	Lglass = 2 + 0.2·fc, LIIRglass = 23 + 0.3·fc, Lconcrete = 5 + 4·fc (fc in GHz)
//
// where d2Din is the smaller of two uniform draws in [0, 25] m (UMa, UMi),
// [0, 10] m (RMa) or 0 (indoor office, no draw), and σP is
// O2ILowLossSigma or O2IHighLossSigma. RMa always uses the low-loss model
// (ns-3's ThreeGppRmaPropagationLossModel::DoIsO2iLowPenetrationLoss).
func (m *ThreeGPP) o2iLoss(los LosCondition, high bool, f float64, st *threeGPPLink) float64 {
	if st.o2iCond == los {
		return st.o2i
	}
	var inMax float64
	switch m.cfg.Scenario {
	case UMa, UMiStreetCanyon:
		inMax = 25
	case RMa:
		inMax = 10
		high = false
	}
	d2DIn := 0.0
	if inMax > 0 {
		u1 := st.rng.Float64() * inMax
		u2 := st.rng.Float64() * inMax
		d2DIn = minStd(u1, u2)
	}
	fGHz := f / 1e9
	lConcrete := 5 + 4*fGHz
	var tw, sigma float64
	if high {
		lIIRGlass := 23 + 0.3*fGHz
		tw = 5 - 10*math.Log10(0.7*math.Pow(10, -lIIRGlass/10)+0.3*math.Pow(10, -lConcrete/10))
		sigma = m.cfg.O2IHighLossSigma
	} else {
		lGlass := 2 + 0.2*fGHz
		tw = 5 - 10*math.Log10(0.3*math.Pow(10, -lGlass/10)+0.7*math.Pow(10, -lConcrete/10))
		sigma = m.cfg.O2ILowLossSigma
	}
	st.o2i = tw + 0.5*d2DIn + st.rng.NormFloat64()*sigma
	st.o2iCond = los
	return st.o2i
}
