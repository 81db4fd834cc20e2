package nr5g_test

import (
	"fmt"
	"math"

	"github.com/netgym/netgym/nr5g"
)

// The frame structure of NetRL's 5G-LENA scenario: numerology 3 over
// 100 MHz.
func ExampleRbCount() {
	mu := nr5g.Numerology(3)
	rbs, err := nr5g.RbCount(100e6, mu, nr5g.DefaultRbOverhead)
	if err != nil {
		panic(err)
	}
	fmt.Println("SCS:", mu.SubcarrierSpacing(), "Hz")
	fmt.Println("slot:", mu.SlotDuration(), "symbol:", mu.SymbolDuration(nr5g.SymbolsPerSlot))
	fmt.Println("RBs:", rbs)
	// Output:
	// SCS: 120000 Hz
	// slot: 125µs symbol: 8.928µs
	// RBs: 66
}

// A TDD pattern and the scheduling offsets 5G-LENA derives from it.
func ExampleTddPattern_Timings() {
	p, err := nr5g.ParseTddPattern("DL|S|UL|UL|DL|")
	if err != nil {
		panic(err)
	}
	tm, err := p.Timings(0, 2, 2, 2) // N0, N1, N2, L1L2CtrlLatency
	if err != nil {
		panic(err)
	}
	for i, st := range p {
		fmt.Printf("slot %d %-2v  DCI K0 %v  K2 %v  HARQ K1 %d\n", i, st, tm.ToSendDl[i], tm.ToSendUl[i], tm.K1[i])
	}
	// Output:
	// slot 0 DL  DCI K0 [0]  K2 [2]  HARQ K1 2
	// slot 1 S   DCI K0 [0]  K2 [2]  HARQ K1 2
	// slot 2 UL  DCI K0 []  K2 []  HARQ K1 -1
	// slot 3 UL  DCI K0 []  K2 []  HARQ K1 -1
	// slot 4 DL  DCI K0 [0]  K2 []  HARQ K1 2
}

// A transport block that fails its first transmission and is decoded after
// a HARQ retransmission, with 5G-LENA's default error model.
func ExampleErrorModel() {
	em, err := nr5g.NewErrorModel(nr5g.LteMi)
	if err != nil {
		panic(err)
	}
	sinr := make([]float64, 66) // linear SINR per RB
	for i := range sinr {
		sinr[i] = math.Pow(10, 5.0/10) // 5 dB
	}
	var hist nr5g.HarqHistory // one per HARQ process, reused
	for tx := range 2 {
		r, err := em.TbDecodingStats(sinr, nil, 2084, 14, &hist)
		if err != nil {
			panic(err)
		}
		fmt.Printf("tx %d: TBLER %.3f\n", tx, r.TBLER)
		hist.Add(r, sinr, nil)
	}
	// Output:
	// tx 0: TBLER 1.000
	// tx 1: TBLER 0.000
}

// 5G-LENA's AMC: the CQI a UE reports at a measured SINR, the MCS the gNB
// takes from it, and the transport block that MCS gives over 66 RBs and 12
// symbols.
func ExampleAmc() {
	amc, err := nr5g.NewAmc(nr5g.DefaultAmcConfig())
	if err != nil {
		panic(err)
	}
	sinr := make([]float64, 66)
	for i := range sinr {
		sinr[i] = math.Pow(10, 15.0/10) // 15 dB
	}
	cqi, _, err := amc.CqiFeedback(sinr)
	if err != nil {
		panic(err)
	}
	mcs, err := amc.McsFromCqi(cqi)
	if err != nil {
		panic(err)
	}
	tbs, err := amc.CalculateTbSize(mcs, 1, 66*12)
	if err != nil {
		panic(err)
	}
	fmt.Println("CQI", cqi, "MCS", mcs, "TBS", tbs, "bytes")
	// Output:
	// CQI 12 MCS 22 TBS 4232 bytes
}

// The exact TS 38.214 transport block size: 273 PRBs, 12 symbols with 12
// DM-RS resource elements per PRB, MCS 27 of table 1, one layer.
func ExampleTBS38214() {
	row, err := nr5g.McsTable1.Entry(27)
	if err != nil {
		panic(err)
	}
	fmt.Println(nr5g.TBS38214(row.Qm, row.RX1024, 273, 12, 12, 0, 1), "bits")
	// Output:
	// 192624 bits
}
