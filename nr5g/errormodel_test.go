package nr5g

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// requireClose checks a value computed from 5G-LENA's tables against the
// value 5G-LENA's code gives, allowing for last-digit differences of the C
// and Go maths libraries (erf, pow, log).
func requireClose(t *testing.T, want, got float64, msgAndArgs ...any) {
	t.Helper()
	require.InDelta(t, want, got, 1e-12*math.Max(1, math.Abs(want)), msgAndArgs...)
}

// rippled returns n linear SINRs of db dB plus a ripple of +-ripple dB
// (db + ripple*sin(i)), the test channel of the spot values below.
func rippled(n int, db, ripple float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.Pow(10, (db+ripple*math.Sin(float64(i)))/10)
	}
	return s
}

func mustModel(t testing.TB, typ ErrorModelType) ErrorModel {
	t.Helper()
	em, err := NewErrorModel(typ)
	require.NoError(t, err)
	return em
}

func TestErrorModelTypes(t *testing.T) {
	for i, name := range []string{"NrLteMiErrorModel", "NrEesmIrT1", "NrEesmIrT2", "NrEesmCcT1", "NrEesmCcT2"} {
		typ, err := ParseErrorModelType("ns3::" + name)
		require.NoError(t, err)
		require.Equal(t, ErrorModelType(i), typ)
		require.Equal(t, name, typ.String())
		em := mustModel(t, typ)
		require.Equal(t, typ, em.Type())
	}
	_, err := ParseErrorModelType("NrEesmIrT3")
	require.Error(t, err)
	_, err = NewErrorModel(ErrorModelType(5))
	require.Error(t, err)

	// MCS tables: LTE's 29 MCSs for LTE-MI (MCS 28: 64QAM, ECR 0.92), TS
	// 38.214 table 1 (29, 64QAM) and table 2 (28, 256QAM) for EESM.
	for _, tc := range []struct {
		typ                 ErrorModelType
		maxMcs              int
		qm0, qmMax          int
		ecrMax, seMax, se15 float64
	}{
		{LteMi, 28, 2, 6, 0.92, 5.55, 5.55},
		{EesmIrT1, 28, 2, 6, 0.93, 5.55, 5.55},
		{EesmCcT1, 28, 2, 6, 0.93, 5.55, 5.55},
		{EesmIrT2, 27, 2, 8, 0.93, 7.41, 7.41},
		{EesmCcT2, 27, 2, 8, 0.93, 7.41, 7.41},
	} {
		em := mustModel(t, tc.typ)
		require.Equal(t, tc.maxMcs, em.MaxMcs(), tc.typ)
		require.Equal(t, tc.qm0, em.Qm(0), tc.typ)
		require.Equal(t, tc.qmMax, em.Qm(tc.maxMcs), tc.typ)
		require.Equal(t, tc.ecrMax, em.EffectiveCodeRate(tc.maxMcs), tc.typ)
		require.Equal(t, tc.seMax, em.SpectralEfficiencyForMcs(tc.maxMcs), tc.typ)
		require.Equal(t, tc.se15, em.SpectralEfficiencyForCqi(15), tc.typ)
		require.Equal(t, 0.0, em.SpectralEfficiencyForCqi(0), tc.typ)
		for _, bad := range []int{-1, tc.maxMcs + 1} {
			require.Zero(t, em.Qm(bad))
			require.Zero(t, em.EffectiveCodeRate(bad))
			require.Zero(t, em.SpectralEfficiencyForMcs(bad))
			require.Zero(t, em.PayloadSize(11, bad, 1, 10))
		}
		require.Zero(t, em.SpectralEfficiencyForCqi(16))
	}
}

// Spot checks of the generated tables against the 5G-LENA nr-4.1 source
// lines they come from.
func TestGeneratedTables(t *testing.T) {
	// nr-lte-mi-error-model.cc
	require.Equal(t, 0.008922, lteMiMapQpsk[0])       // MI_map_qpsk, first
	require.Equal(t, 0.862005, lteMiMapQpsk[796])     // MI_map_qpsk, last
	require.Equal(t, 0.013, lteMiMapQpskAxis[0])      // MI_map_qpsk_axis
	require.Equal(t, 3.197, lteMiMapQpskAxis[796])    //
	require.Equal(t, 0.063, lteMiMap16qamAxis[0])     // MI_map_16qam_axis
	require.Equal(t, 9.993, lteMiMap16qamAxis[993])   //
	require.Equal(t, 0.036455, lteMiMap64qam[0])      // MI_map_64qam
	require.Equal(t, 157.96, lteMiMap64qamAxis[751])  // MI_map_64qam_axis
	require.Equal(t, 0.02472, lteMiB[0][0])           // bEcrTable, CB of 40 bits
	require.Equal(t, 0.1777, lteMiB[0][3])            //
	require.Equal(t, -1.0, lteMiB[0][4])              // no curve
	require.Equal(t, 0.01598, lteMiB[8][0])           // bEcrTable, CB of 6144
	require.Equal(t, 0.9325, lteMiB[8][37])           //
	require.Equal(t, 0.00543, lteMiC[0][0])           // cEcrTable, CB of 40 bits
	require.Equal(t, 0.00037, lteMiC[8][0])           // cEcrTable, CB of 6144 bits
	require.Equal(t, 0.0058, lteMiC[8][37])           //
	require.Equal(t, 0.92, lteMiBlerCurvesEcr[37])    // BlerCurvesEcrMap
	require.Equal(t, uint8(37), lteMiMcsEcrID[28])    // McsEcrBlerTableMapping
	require.Equal(t, uint16(6144), lteMiCbSizes[187]) // cbSizeTable (TS 36.212 Table 5.1.3-3)
	require.Equal(t, [9]uint16{40, 104, 160, 256, 512, 1024, 2560, 4032, 6144}, lteMiCurveCbSizes)
	require.Equal(t, 5.55, lteMiSeForMcs[28]) // SpectralEfficiencyForMcs
	// nr-eesm-error-model.cc: LiftingSizeTableBG
	require.Equal(t, uint16(2), ldpcLiftingSizes[0])
	require.Equal(t, uint16(384), ldpcLiftingSizes[50])
	// nr-eesm-t1.cc: BetaTable1, McsEcrTable1, BlerForSinr1 (BG1, MCS 4, CBS 3840)
	require.Equal(t, 34.28, eesmTablesT1.beta[28])
	require.Equal(t, 0.12, eesmTablesT1.ecr[0])
	c := eesmTablesT1.curves[ldpcBG1][4][0]
	require.Equal(t, uint32(3840), c.cbs)
	require.Equal(t, []float64{1.2475, 1.73, 1.965, 2.2, 2.6825}, c.sinrDb)
	require.Equal(t, []float64{1, 0.6107143, 0.1336713, 0.0058, 0}, c.bler)
	require.Equal(t, []blerCurve{{cbs: 0, sinrDb: []float64{0}, bler: []float64{0}}}, eesmTablesT1.curves[ldpcBG1][0])
	// nr-eesm-t2.cc: BetaTable2, BlerForSinr2 (BG2, MCS 25, CBS 256; MCS 26 empty)
	require.Equal(t, 56.48, eesmTablesT2.beta[20])
	require.Equal(t, 132.54, eesmTablesT2.beta[27])
	c = eesmTablesT2.curves[ldpcBG2][25][0]
	require.Equal(t, uint32(256), c.cbs)
	require.Equal(t, 25.3333, c.sinrDb[0])
	require.Equal(t, 35.34, c.sinrDb[len(c.sinrDb)-1])
	require.Equal(t, 0.0, c.bler[len(c.bler)-1])
	require.Equal(t, []blerCurve{{cbs: 0, sinrDb: []float64{0}, bler: []float64{0}}}, eesmTablesT2.curves[ldpcBG2][26])
	// Curve counts: the "{N U, // SINR and BLER for CBS" entries of each file
	// (1332 and 1211) plus the 6 empty "{0U, ...}" placeholders of each.
	for _, tc := range []struct {
		tab  *eesmTables
		want int
	}{{eesmTablesT1, 1338}, {eesmTablesT2, 1217}} {
		n := 0
		for bg := range tc.tab.curves {
			for _, m := range tc.tab.curves[bg] {
				n += len(m)
			}
		}
		require.Equal(t, tc.want, n, tc.tab.name)
	}
}

// 5G-LENA's own test of the EESM lookup and base-graph selection
// (test/nr-test-l2sm-eesm.cc): MappingSinrBler at linear SINR, MCS and
// code-block size, and GetBaseGraphType (0 = BG1, 1 = BG2).
func TestEesmLenaL2smTest(t *testing.T) {
	type mapping struct {
		sinr float64
		mcs  int
		cbs  uint32
		bler float64
	}
	table1 := []mapping{ // resultTable1
		{19.95, 18, 3200, 0.023}, {15.849, 18, 3200, 0.7567365}, {10, 18, 3200, 1.00},
		{19.95, 18, 3500, 0.0735}, {15.849, 18, 3500, 0.7908951}, {10, 18, 3500, 1.00},
		{8.9125, 14, 3900, 0.3225703}, {7.9433, 14, 3900, 0.8827055}, {6.3095, 14, 3900, 1.00},
		{8.9125, 14, 6300, 0.0237}, {7.9433, 14, 6300, 0.9990385}, {6.3095, 14, 6300, 1.00},
	}
	table2 := []mapping{ // resultTable2
		{19.95, 11, 3200, 0.023}, {15.849, 11, 3200, 0.7567365}, {10, 11, 3200, 1.00},
		{19.95, 11, 3500, 0.0735}, {15.849, 11, 3500, 0.7908951}, {10, 11, 3500, 1.00},
		{8.9125, 8, 3900, 0.3225703}, {7.9433, 8, 3900, 0.8827055}, {6.3095, 8, 3900, 1.00},
		{8.9125, 8, 6300, 0.0237}, {7.9433, 8, 6300, 0.9990385}, {6.3095, 8, 6300, 1.00},
	}
	type bg struct {
		bits uint32
		mcs  int
		want int
	}
	bg1 := []bg{{3200, 18, ldpcBG2}, {3900, 18, ldpcBG1}, {200, 18, ldpcBG2}, {4000, 0, ldpcBG2},
		{3200, 28, ldpcBG1}, {3200, 2, ldpcBG2}, {3200, 16, ldpcBG2}, {3900, 14, ldpcBG1}}
	bg2 := []bg{{3200, 18, ldpcBG1}, {3900, 18, ldpcBG1}, {200, 18, ldpcBG2}, {4000, 0, ldpcBG2},
		{3200, 27, ldpcBG1}, {3200, 2, ldpcBG2}, {3200, 16, ldpcBG1}, {3900, 14, ldpcBG1}}
	for _, tc := range []struct {
		typ  ErrorModelType
		maps []mapping
		bgs  []bg
	}{
		{EesmCcT1, table1, bg1}, {EesmIrT1, table1, bg1},
		{EesmCcT2, table2, bg2}, {EesmIrT2, table2, bg2},
	} {
		em := mustModel(t, tc.typ).(*eesmModel)
		for _, m := range tc.maps {
			require.Equal(t, m.bler, em.mappingSinrBler(m.sinr, m.mcs, m.cbs), "%v %+v", tc.typ, m)
		}
		for _, b := range tc.bgs {
			require.Equal(t, b.want, em.baseGraph(b.bits, b.mcs), "%v %+v", tc.typ, b)
		}
	}
}

// Code-block segmentation: TS 36.212 5.1.2 for LTE-MI (K from Table
// 5.1.3-3) and TS 38.212 5.2.2 for EESM (K = 22 or 10 lifting sizes).
func TestSegmentation(t *testing.T) {
	for _, tc := range []struct {
		b                           uint32
		c, cPlus, kPlus, cMin, kMin uint32
	}{
		{0, 1, 1, 40, 0, 0},
		{40, 1, 1, 48, 0, 0}, // upper_bound: the first K above B + 0.001
		{1000, 1, 1, 1008, 0, 0},
		{6144, 1, 1, 6144, 0, 0},
		{6145, 2, 1, 3136, 1, 3072},  // B' = 6193: 3136 + 3072 >= 6193
		{20000, 4, 2, 5056, 2, 4992}, // B' = 20096: 2*5056 + 2*4992
	} {
		c, cp, kp, cm, km := lteMiSegment(tc.b)
		require.Equal(t, []uint32{tc.c, tc.cPlus, tc.kPlus, tc.cMin, tc.kMin}, []uint32{c, cp, kp, cm, km}, "B=%d", tc.b)
	}
	for _, tc := range []struct {
		b    uint32
		bg   int
		k, c uint32
	}{
		{8448, ldpcBG1, 8448, 1},
		{8449, ldpcBG1, 4576, 2},  // K' = 4248, Zc = 208
		{30000, ldpcBG1, 7744, 4}, // K' = 7524, Zc = 352
		{3840, ldpcBG2, 3840, 1},
		{3841, ldpcBG2, 2080, 2}, // K' = 1944, Zc = 208
		{100, ldpcBG2, 180, 1},   // Kb = 6, Zc = 18
		{600, ldpcBG2, 720, 1},   // Kb = 9, Zc = 72
	} {
		k, c := ldpcSegment(tc.b, tc.bg)
		require.Equal(t, []uint32{tc.k, tc.c}, []uint32{k, c}, "B=%d BG%d", tc.b, tc.bg+1)
	}
}

// fastExp is 5G-LENA's exp21d: within 0.173% of exp, 0 below -708.
func TestFastExp(t *testing.T) {
	for x := -700.0; x <= 700; x += 0.37 {
		require.InEpsilon(t, math.Exp(x), fastExp(x), 0.00173, "x=%v", x)
	}
	require.Equal(t, 0.0, fastExp(-708.5))
	require.True(t, math.IsInf(fastExp(709.5), 1))
	// Bit patterns exp21d gives in 5G-LENA (fast-exp.h compiled with g++ -O2).
	require.Equal(t, uint64(4597216480011583992), math.Float64bits(fastExp(-1.5)))
}

// TBLER of one transmission over 66 RBs (100 MHz at mu 3) of the block
// Amc.CalculateTbSize gives for 66 RBs x 12 symbols, at SINR db dB with a
// ripple of +-ripple dB. The expected TBLER and the MI (LTE-MI, m_miTotal)
// or effective SINR (EESM, m_sinrEff) are what 5G-LENA nr-4.1's own
// NrLteMiErrorModel / NrEesm{Ir,Cc}T{1,2}::GetTbDecodificationStats return
// for the same inputs (its model/ sources compiled against ns-3.37 and run
// on them).
func TestErrorModelSpotValues(t *testing.T) {
	const (
		LteMi = LteMi
		IrT1  = EesmIrT1
		IrT2  = EesmIrT2
		CcT1  = EesmCcT1
		CcT2  = EesmCcT2
	)
	for _, tc := range []struct {
		typ         ErrorModelType
		mcs         int
		tb          uint32
		db, ripple  float64
		tbler, misE float64
	}{
		{LteMi, 0, 171, -7.8, 0, 0.94243796753744635, 0.11278900000000006},
		{LteMi, 4, 410, -3.6, 0, 0.55541996099749924, 0.2599990000000002},
		{LteMi, 9, 1107, 1.6, 0, 0.030135494228594295, 0.6111519999999997},
		{LteMi, 14, 2084, 6.4, 0, 0.23503468043991915, 0.55010300000000001},
		{LteMi, 20, 3581, 12.4, 0, 0.010698498708029858, 0.62582900000000041},
		{LteMi, 28, 5990, 20.4, 0, 0.00048641729674192558, 0.96118400000000115},
		{LteMi, 14, 2084, 6.4, 3, 0.031247787235573532, 0.55797912121212112},
		{LteMi, 28, 5990, 20.4, 4, 0.86859007333330185, 0.93928574242424234},
		{IrT1, 0, 258, -0.8, 0, 0.064100000000000004, 0.83445543181029691},
		{IrT1, 4, 650, 2, 0, 0.34570840000000003, 1.5824045792944279},
		{IrT1, 9, 1434, 5.6, 0, 0.28691365530863999, 3.6328994351464239},
		{IrT1, 14, 2346, 9.4, 0, 0.97990015805599073, 8.7007547949259259},
		{IrT1, 20, 3584, 14.4, 0, 0.013530797082366264, 27.559016179820599},
		{IrT1, 28, 6061, 23.6, 0, 0.036628144450407074, 229.1206229281625},
		{IrT1, 14, 2346, 10, 3, 0.069428242053000133, 9.3649780360380976},
		{IrT2, 4, 1282, 4.8, 0, 0.94331067573696004, 3.0180734956590536},
		{IrT2, 9, 2607, 10.6, 0, 0.56986399520078002, 11.490005763054116},
		{IrT2, 20, 5822, 21, 0, 0.24186358018012089, 125.8051509461117},
		{IrT2, 27, 8081, 27, 0, 0.99873709780703379, 501.07241125420433},
		{IrT2, 20, 5822, 22, 3, 0.0035946043180566933, 135.92194615541803},
		{CcT1, 9, 1434, 5.6, 0, 0.28691365530863999, 3.6328994351464239},
		{CcT1, 14, 2346, 10, 3, 0.069428242053000133, 9.3649780360380976},
		{CcT2, 9, 2607, 10.6, 0, 0.56986399520078002, 11.490005763054116},
		{CcT2, 20, 5822, 22, 3, 0.0035946043180566933, 135.92194615541803},
	} {
		em := mustModel(t, tc.typ)
		amc, err := NewAmc(AmcConfig{ErrorModel: tc.typ, NumRefScPerRb: 1})
		require.NoError(t, err)
		tb, err := amc.CalculateTbSize(tc.mcs, 1, 66*12)
		require.NoError(t, err)
		require.Equal(t, tc.tb, tb, "%v MCS %d TBS", tc.typ, tc.mcs)
		r, err := em.TbDecodingStats(rippled(66, tc.db, tc.ripple), nil, tb, tc.mcs, nil)
		require.NoError(t, err)
		requireClose(t, tc.tbler, r.TBLER, "%v MCS %d at %v dB: TBLER", tc.typ, tc.mcs, tc.db)
		got := r.SinrEff
		if tc.typ == LteMi {
			got = r.MITotal
			require.Equal(t, r.MI, r.MITotal)
		}
		requireClose(t, tc.misE, got, "%v MCS %d at %v dB: MI or SINReff", tc.typ, tc.mcs, tc.db)
		require.Equal(t, uint32(tb*8), r.InfoBits)
		require.Equal(t, 66, r.NumRBs)
	}
	// The IR T1 entry at MCS 0 and -0.8 dB is a table value: a 258-byte
	// block (2064 + 24 bits, R 0.12, base graph 2) is one code block of
	// K = 10*224 bits, whose curve (BlerForSinr1, BG2, MCS 0, largest CBS not
	// above 2240) gives 0.0641 from the tabulated SINR just below -0.79 dB.
	em := mustModel(t, EesmIrT1).(*eesmModel)
	k, c := ldpcSegment(258*8+24, em.baseGraph(258*8, 0))
	require.Equal(t, []uint32{2240, 1}, []uint32{k, c})
}

// HARQ: a transport block sent three times (66 RBs at db1, then nrb2 RBs
// at db2, then 66 RBs at db1, all with a +-2 dB ripple), each evaluation
// combining the earlier ones. Expected values from 5G-LENA nr-4.1's code as
// in TestErrorModelSpotValues (history = the outputs of the earlier calls).
func TestErrorModelHarq(t *testing.T) {
	const (
		LteMi = LteMi
		IrT1  = EesmIrT1
		IrT2  = EesmIrT2
		CcT1  = EesmCcT1
		CcT2  = EesmCcT2
	)
	for _, tc := range []struct {
		typ         ErrorModelType
		mcs         int
		tb          uint32
		db1, db2    float64
		nrb2        int
		tbler, misE [3]float64
	}{
		{LteMi, 14, 2084, 5, 4, 66, [3]float64{1, 0, 0}, [3]float64{0.47467369696969697, 0.44736340197355473, 0.45646700838348264}},
		{LteMi, 28, 5990, 18, 17, 40, [3]float64{1, 0, 0}, [3]float64{0.88616310606060633, 0.86651469143100834, 0.87306440362202808}},
		{LteMi, 4, 410, -5, -5, 66, [3]float64{0.99999999999392353, 0, 0}, [3]float64{0.20755077272727274, 0.20755172190107338, 0.20755140550980652}},
		{IrT1, 20, 3584, 12.5, 12, 66, [3]float64{1, 0.019062201837158455, 0.019062201837158455}, [3]float64{17.815386387090768, 16.870659592821337, 17.178986903009267}},
		{IrT1, 14, 2346, 8, 8, 40, [3]float64{1, 0, 0}, [3]float64{6.3459060575238926, 6.3469321018184726, 6.346538365154279}},
		{IrT2, 20, 5822, 19, 18.5, 66, [3]float64{1, 1, 1}, [3]float64{78.706074795833572, 74.55461680463408, 75.904812973689928}},
		{CcT1, 20, 3584, 12.5, 12, 66, [3]float64{1, 0, 0}, [3]float64{17.815386387090768, 32.015053199125298, 46.582273228242116}},
		{CcT1, 14, 2346, 8, 8, 40, [3]float64{1, 0, 0}, [3]float64{6.3459060575238926, 12.423236486725239, 17.913394482327988}},
		{CcT2, 20, 5822, 19, 18.5, 50, [3]float64{1, 0.0035946043180566933, 0}, [3]float64{78.706074795833572, 140.63133552033568, 203.72474662575434}},
	} {
		em := mustModel(t, tc.typ)
		var h HarqHistory
		txs := []struct {
			sinr []float64
			rbs  []int
		}{
			{rippled(66, tc.db1, 2), nil},
			{rippled(66, tc.db2, 2), firstRBs(tc.nrb2)},
			{rippled(66, tc.db1, 2), nil},
		}
		for i, x := range txs {
			r, err := em.TbDecodingStats(x.sinr, x.rbs, tc.tb, tc.mcs, &h)
			require.NoError(t, err)
			requireClose(t, tc.tbler[i], r.TBLER, "%v MCS %d tx %d TBLER", tc.typ, tc.mcs, i)
			got := r.SinrEff
			if tc.typ == LteMi {
				got = r.MITotal
			}
			requireClose(t, tc.misE[i], got, "%v MCS %d tx %d MI/SINReff", tc.typ, tc.mcs, i)
			h.Add(r, x.sinr, x.rbs)
		}
		require.Equal(t, 3, h.Len())
		require.Equal(t, tc.tb*8, h.Record(0).InfoBits)
		h.Reset()
		require.Equal(t, 0, h.Len())
	}
}

func firstRBs(n int) []int {
	rbs := make([]int, n)
	for i := range rbs {
		rbs[i] = i
	}
	return rbs
}

// IR retransmissions evaluate the curves of an equivalent MCS of the same
// modulation (NrEesmIr::GetMcsEq); chase combining keeps the MCS.
func TestEesmEquivalentMcs(t *testing.T) {
	sinr := rippled(66, 10, 0)
	for _, tc := range []struct {
		typ    ErrorModelType
		wantEq int
	}{{EesmIrT1, 10}, {EesmCcT1, 14}} {
		em := mustModel(t, tc.typ)
		var h HarqHistory
		r, err := em.TbDecodingStats(sinr, nil, 2346, 14, &h)
		require.NoError(t, err)
		require.Equal(t, 14, r.McsEq)
		h.Add(r, sinr, nil)
		// Combined code rate: 18768 info bits / (39100 + 39100) code bits =
		// 0.24; table 1's 16QAM MCSs 10..13 have ECRs 0.33..0.48 > 0.24.
		r, err = em.TbDecodingStats(sinr, nil, 2346, 14, &h)
		require.NoError(t, err)
		require.Equal(t, tc.wantEq, r.McsEq, tc.typ)
	}
}

func TestErrorModelErrors(t *testing.T) {
	sinr := rippled(10, 5, 0)
	for _, typ := range []ErrorModelType{LteMi, EesmIrT1, EesmIrT2, EesmCcT1, EesmCcT2} {
		em := mustModel(t, typ)
		_, err := em.TbDecodingStats(sinr, nil, 100, em.MaxMcs()+1, nil)
		require.ErrorContains(t, err, "MCS")
		_, err = em.TbDecodingStats(sinr, nil, 100, -1, nil)
		require.ErrorContains(t, err, "MCS")
		_, err = em.TbDecodingStats(sinr, []int{}, 100, 0, nil)
		require.ErrorContains(t, err, "RB map")
		_, err = em.TbDecodingStats(nil, nil, 100, 0, nil)
		require.ErrorContains(t, err, "no resource block")
		_, err = em.TbDecodingStats(sinr, []int{3, 10}, 100, 0, nil)
		require.ErrorContains(t, err, "RB index 10")
		_, err = em.TbDecodingStats(sinr, nil, 1<<29, 0, nil)
		require.ErrorContains(t, err, "bytes")
		r, err := em.TbDecodingStats(sinr, nil, 0, 0, nil)
		require.NoError(t, err)
		var h HarqHistory
		h.Add(r, sinr, nil)
		_, err = em.TbDecodingStats(sinr, nil, 0, 0, &h)
		require.ErrorContains(t, err, "0-byte")
	}
}

// Evaluating a transport block allocates nothing, first transmission or
// retransmission, and a reused history stops allocating.
func TestErrorModelAllocs(t *testing.T) {
	sinr := rippled(66, 12, 3)
	rbs := firstRBs(40)
	for _, typ := range []ErrorModelType{LteMi, EesmIrT1, EesmIrT2, EesmCcT1, EesmCcT2} {
		em := mustModel(t, typ)
		var h HarqHistory
		allocs := testing.AllocsPerRun(100, func() {
			h.Reset()
			for range 3 {
				r, err := em.TbDecodingStats(sinr, rbs, 3000, 15, &h)
				if err != nil {
					panic(err)
				}
				h.Add(r, sinr, rbs)
			}
		})
		require.Zero(t, allocs, typ)
	}
}

func BenchmarkErrorModel(b *testing.B) {
	sinr := rippled(66, 14, 3)
	for _, typ := range []ErrorModelType{LteMi, EesmIrT1, EesmIrT2, EesmCcT1, EesmCcT2} {
		em := mustModel(b, typ)
		amc, err := NewAmc(AmcConfig{ErrorModel: typ, NumRefScPerRb: 1})
		require.NoError(b, err)
		tb, err := amc.CalculateTbSize(20, 1, 66*12)
		require.NoError(b, err)
		b.Run(typ.String()+"/66RB", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := em.TbDecodingStats(sinr, nil, tb, 20, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(typ.String()+"/66RB-retx", func(b *testing.B) {
			var h HarqHistory
			r, _ := em.TbDecodingStats(sinr, nil, tb, 20, nil)
			h.Add(r, sinr, nil)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := em.TbDecodingStats(sinr, nil, tb, 20, &h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
