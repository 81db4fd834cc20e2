package nr5g_test

import (
	"fmt"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/nr5g"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

// The reference cell of issue 15 (10 UEs on a 100 m ring, 10 Mb/s of
// downlink CBR each, 5G-LENA's defaults with a 4 dBm gNB): most UEs are
// NLOS and get little, the LOS ones their whole 10 Mb/s.
func ExampleRunCell() {
	res, err := nr5g.RunCell(nr5g.DefaultCellConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("goodput %.1f Mb/s\n", res.GoodputMbps)
	for i, u := range res.UEs {
		fmt.Printf("UE %d %-4s MCS %4.1f %6.3f Mb/s\n", i, u.Los, u.McsMean, u.Mbps)
	}
	// Output:
	// goodput 41.3 Mb/s
	// UE 0 NLOS MCS  0.0  0.019 Mb/s
	// UE 1 NLOS MCS  2.0  0.662 Mb/s
	// UE 2 NLOS MCS  2.0  0.797 Mb/s
	// UE 3 NLOS MCS  0.0  0.010 Mb/s
	// UE 4 LOS  MCS 25.9  9.984 Mb/s
	// UE 5 NLOS MCS  0.0  0.000 Mb/s
	// UE 6 LOS  MCS 24.0  9.984 Mb/s
	// UE 7 NLOS MCS  2.0  0.797 Mb/s
	// UE 8 LOS  MCS 25.9  9.043 Mb/s
	// UE 9 LOS  MCS 24.0  9.984 Mb/s
}

// Fairness of the schedulers: six UEs 60 m from a 30 dBm gNB, each
// offered 80 Mb/s (more than its share: the RLC buffers are made large,
// so every UE stays backlogged). Round robin gives every UE the same
// symbols, so the UEs with a lower MCS (UEs 2 and 3 here) get fewer
// bytes; proportional fair with FairnessIndex 0 equalises the rates
// (Jain's index 1.000) at a small cost in total; max rate serves the
// best UEs and starves the others (Jain's index 0.667).
func Example_schedulerFairness() {
	for _, tc := range []struct {
		st    nr5g.SchedulerType
		alpha float64
	}{{nr5g.SchedulerTdmaRR, 1}, {nr5g.SchedulerTdmaPF, 0}, {nr5g.SchedulerTdmaMR, 1}} {
		cfg := nr5g.DefaultCellConfig()
		cfg.UEs, cfg.Distance, cfg.RateBps = 6, 60, 80e6
		cfg.Warmup, cfg.Duration = 100*sim.Millisecond, 300*sim.Millisecond
		cfg.Radio.Gnb.TxPowerDbm = 30
		cfg.Radio.Gnb.Scheduler.Type = tc.st
		cfg.Radio.Gnb.Scheduler.FairnessIndex = tc.alpha
		cfg.Radio.Gnb.Rlc.MaxTxBufferBytes = 1 << 20
		res, err := nr5g.RunCell(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		var s, s2 float64
		for _, x := range res.PerUEMbps {
			s, s2 = s+x, s2+x*x
		}
		jain := s * s / (float64(len(res.PerUEMbps)) * s2)
		fmt.Printf("%-21v alpha %v: %5.1f Mb/s, Jain %.3f, per UE %v\n", tc.st, tc.alpha, res.GoodputMbps, jain, res.PerUEMbps)
	}
	// Output:
	// NrMacSchedulerTdmaRR  alpha 1: 171.6 Mb/s, Jain 0.987, per UE [30.496 30.496 28.16 21.408 30.496 30.496]
	// NrMacSchedulerTdmaPF  alpha 0: 168.6 Mb/s, Jain 1.000, per UE [28.128 28.128 28.096 28 28.128 28.128]
	// NrMacSchedulerTdmaMR  alpha 1: 183.6 Mb/s, Jain 0.667, per UE [45.024 46.176 0 0 46.208 46.208]
}

// Two cells 120 m apart with a UE each between them. When the second cell
// is busy (45 Mb/s of downlink to its UE), the first cell's UE receives
// its blocks as interference wherever they overlap its own (through that
// gNB's beam for its own UE), and its mean SINR falls.
func ExampleNetwork_twoCells() {
	for _, busy := range []bool{false, true} {
		s := sim.New(1, 1)
		cfg := nr5g.DefaultCellRadio()
		cfg.Gnb.Phy.Numerology, cfg.Gnb.Phy.BandwidthHz = 2, 50e6
		cfg.Gnb.TxPowerDbm = 30
		nr, _ := nr5g.NewNetwork(s, cfg)
		rh, _ := nr.EPC().SetupRemoteHost(epc.DefaultRemoteHostConfig())
		a, _ := nr.AddGnb(mobility.Vector{Z: 25})
		b, _ := nr.AddGnb(mobility.Vector{X: 120, Z: 25})
		ua, _ := nr.AddUE(mobility.Vector{X: 50, Y: 5, Z: 1.5})
		ub, _ := nr.AddUE(mobility.Vector{X: 70, Y: -5, Z: 1.5})
		_ = nr.AttachToClosest(ua, ub)
		var sum, n float64
		nr.SetTraces(nr5g.Traces{Tb: func(tr nr5g.TbTrace) {
			if tr.Dir == nr5g.Downlink && tr.CellID == a.CellID() {
				sum, n = sum+tr.SinrDb, n+1
			}
		}})
		s.RunUntil(100 * sim.Millisecond)
		tx := rh.Node.NewUDPSocket()
		for k := range 100 {
			_ = tx.SendTo(1400, ua.UE().Address(), 5000)
			for j := 0; busy && j < 4; j++ {
				_ = tx.SendTo(1400, ub.UE().Address(), 5000)
			}
			s.RunUntil(100*sim.Millisecond + sim.Time(k+1)*sim.Millisecond)
		}
		fmt.Printf("cell %d busy %v: UE of cell %d at %.1f dB (%s)\n", b.CellID(), busy, a.CellID(), sum/n, nr.LinkCondition(a, ua))
	}
	// Output:
	// cell 2 busy false: UE of cell 1 at 31.8 dB (NLOS)
	// cell 2 busy true: UE of cell 1 at 25.1 dB (NLOS)
}
