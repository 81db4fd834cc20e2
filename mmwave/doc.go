// Package mmwave is netgym's mmWave radio access network after ns3-mmwave
// v7.0 (nyuwireless-unipd/ns3-mmwave, on ns-3.38): eNBs and UEs with
// ns3-mmwave's frame structure, variable-TTI (FlexTTI) MAC schedulers
// (round robin, the default; proportional fair; maximum rate), AMC and
// transport block sizes, EESM error model with HARQ,
// RLC UM LowLat and RLC AM, PDCP and the ideal RRC, attached to the EPC
// core of package epc (epc.VariantMmWave: the combined SGW/PGW of
// MmWavePointToPointEpcHelper). A Helper wires them as MmWaveHelper does;
// NewCell and RunCell build the reference cell of issue 16
// (scenarios/mmwave-cell); channelif/mmwave builds NetRL's ns3_mmwave_sim
// (scenarios/mmwave-sim).
//
// # Model chain
//
// Each step names the ns3-mmwave v7.0 file it follows (src/mmwave/model
// unless said otherwise) and where it lives in netgym.
//
//	step                 follows                                                    netgym
//	frame, timing        mmwave-phy-mac-common.cc (numerology 2: 60 kHz,            PhyMacConfig
//	                     250 us slots, 14 symbols, 1 DL + 1 UL control symbol,
//	                     ceil(BW/(12 SCS)) RBs: 278 at 200 MHz, L1L2 latency 2,
//	                     UL scheduling delay 1, TB decode latency 100 us)
//	pathloss, LOS,       helper/mmwave-helper.cc: ThreeGppUmaPropagationLossModel   sim/propagation
//	shadowing            whatever the fast-fading scenario, shadowing on
//	fast fading          ns-3.38 three-gpp-channel-model.cc and                     sim/spectrum/threegpp,
//	                     three-gpp-spectrum-propagation-loss-model.cc               threegpp.NS338Compat()
//	arrays               helper: UPAs of isotropic elements, UE 2x2, eNB 8x8        sim/antenna
//	beamforming          mmwave-beamforming-model.cc, MmWaveSvdBeamforming          threegpp.SVD (+ SVDConjugatedCorrelation)
//	SINR per RB          mmwave-spectrum-phy.cc, mmwave-interference.cc             sim/spectrum/rb via Helper
//	error model          error-model/mmwave-eesm-*.cc (EESM T1/T2, IR, CC)          errormodel.go on nr5g.EesmTable
//	AMC, TBS             mmwave-amc.cc                                              Amc
//	scheduler            mmwave-flex-tti-mac-scheduler.cc (round robin),            Scheduler (scheduler.go,
//	                     mmwave-flex-tti-pf-mac-scheduler.cc,                       scheduler_rate.go),
//	                     mmwave-flex-tti-maxrate-mac-scheduler.cc                   SchedulerConfig.Kind
//	MAC                  mmwave-enb-mac.cc, mmwave-ue-mac.cc                        Enb, Ue
//	PHY                  mmwave-enb-phy.cc, mmwave-ue-phy.cc                        Enb, Ue
//	RLC                  src/lte lte-rlc-um-lowlat.cc (eNB UM), lte-rlc-um.cc       rlc_um.go, rlc_am.go
//	                     (UE UM: LteUeRrc creates LteRlcUm), lte-rlc-am.cc
//	RRC (ideal)          src/lte lte-enb-rrc.cc, lte-ue-rrc.cc,                     Ue attach, Enb
//	                     mmwave-rrc-protocol-ideal.cc (0.5 ms a message)
//	EPC                  helper/mmwave-point-to-point-epc-helper.cc                 epc.VariantMmWave
//
// Both ends of an RLC UM bearer differ in ns3-mmwave: the eNB's entity is
// LteRlcUmLowLat (reports gated by m_bsrReported, t-Reordering 100 ms),
// the UE's is LteRlcUm (a report on every SDU, 10 ms timers);
// Config.RlcUm and Config.UeRlcUm configure them. The UE's reports on
// every SDU matter: when an NLOS UE's UL CQI is 0 the scheduler waits for
// it to expire (CqiTimerThreshold slots) and then grants the buffer the
// last BSR announced.
//
// The channel follows ns-3.38 because ns3-mmwave v7.0 is built on it: its
// three-gpp-channel-model.cc has ns-3.38's ray sin/cos bug (fixed in 3.39)
// and the backward cluster shuffle, so ChannelConfig.Compat defaults to
// threegpp.NS338Compat(). Its MmWaveSvdBeamforming computes the UE side's
// correlation as conj(Hᵀ·H) rather than Hᴴ·H; ChannelConfig's
// SvdConjugatedCorrelation (default true) reproduces it. ns3-mmwave draws
// every UE-eNB channel with the UE as the channel's s (departure) end, and
// Helper.Attach does the same.
//
// # Slot engine
//
// An eNB runs its slots from installation: at a slot's start the MAC
// hands the scheduler the CQIs, BSRs and HARQ feedback it received and
// triggers the allocation of the slot L1L2Latency ahead; the DL control
// symbol carries the slot's DL DCIs and the next slot's UL DCIs; each data
// TTI is one transmission, received at its end (effects after the TB
// decode latency); the UL control symbol carries every UE's control
// messages (BSRs, DL CQI, HARQ feedback, RACH). The UE MAC reports its
// buffer (BSR only, no SR) at TTI starts, builds its UL transport block
// when it reads its UL DCI, and keeps 20 HARQ processes; a block is
// dropped after its third retransmission. The FlexTTI scheduler shares
// the data symbols of a slot between the UEs' DL and UL demand, HARQ
// retransmissions first; DL at CQI 1 (MCS 0) and UL at MCS 0 until the
// first CQI, CQIs expire after CqiTimerThreshold slots.
//
// # Schedulers
//
// SchedulerConfig.Kind selects one of ns3-mmwave's three FlexTTI
// schedulers. All three retransmit first (the same HARQ section of
// DoSchedTriggerReq: DL feedback in arrival order, then UL, a NACK sent
// again with rv+1 while symbols remain) and lay the DL TTIs out before
// the UL ones.
//
//   - FlexTtiRR (MmWaveFlexTtiMacScheduler, the default) shares the symbols
//     equally between the flows (each UE's DL and UL demand), starting
//     where the previous slot left off.
//   - FlexTtiPF (MmWaveFlexTtiPfMacScheduler) gives one symbol at a time
//     to the UE of highest metric, its achievable rate (the larger of DL
//     and UL: what its TB carries of its demand, one symbol's TB before it
//     has any) over its average throughput (an exponential average over
//     99 slots of the new-data TB bytes it was given, this slot's TB
//     included); ties go to the lower RNTI. With backlogged UEs a slot
//     mostly goes to one UE and the UEs get equal time shares, so each
//     UE's throughput follows its rate.
//   - FlexTtiMaxRate (MmWaveFlexTtiMaxRateMacScheduler) serves the UEs of
//     the highest MCS first (a UE is ranked at its DL and at its UL MCS),
//     one symbol each in RNTI order round after round, then the next MCS
//     down: a backlogged UE of the best channel takes every symbol.
//
// In PF and MaxRate a UE keeps to the direction of its last symbol until
// that direction's demand is met (m_allocUlLast). Their classes default
// HarqEnabled to false (DefaultSchedulerConfigFor); here HarqEnabled is
// one switch for all three, default true. Their v7.0 code has defects
// that stop it from doing what it is written to do (buffer estimates no
// grant lowers, an average reset every slot, a metric dividing by twice
// the DL average, a candidate list that grows every slot, RLC requests
// pushed twice); netgym does what the code is written to do, and
// docs/mmwave.md lists each difference.
//
// # Departures from ns3-mmwave
//
//   - The PF and MaxRate schedulers follow what ns3-mmwave v7.0's code is
//     written to do rather than its defects (see Schedulers above and
//     docs/mmwave.md); no side-by-side run with ns3-mmwave checks them.
//   - Only the EESM error models (MmWaveEesmIrT1, the default, and the
//     T2/CC variants): MmWaveLteMiErrorModel is not modelled.
//   - One cell's SINR only: transmissions of other eNBs do not interfere,
//     and control messages are ideal (they do not cross the medium). The
//     pair's channel is still drawn on the medium at attach, UE first.
//   - Only the ideal RRC (MmWaveHelper's UseIdealRrc, NetRL's and the
//     reference cell's setting) with the default system information timing
//     (SIB2 from FirstSibTime 2 ms every SystemInformationPeriodicity 5 ms,
//     NetRL's values too); no handover, no dual
//     connectivity, no blockage model (off by default).
//   - A scheduler out of HARQ processes leaves the symbols unused where
//     ns-3 would stop on an assertion.
//   - Random streams are netgym's own: a seed reproduces ns3-mmwave's
//     distributions, not its draws (channelif/mmwave's seed 145 draws the
//     LOS condition NetRL's runs see with ns-3's seed 1).
//
// # Performance
//
// Building the network allocates; running it does not, per slot, transport
// block or packet (the pools and queues reach their size in the first
// hundreds of milliseconds). The reference cell (10 UEs, 1.4 s simulated)
// runs in about 0.06-0.14 s of wall time with 150-184 k events, where
// ns3-mmwave v7.0 takes 130-210 s and 1.7-1.8 M events on the same
// machine; docs/mmwave.md has the measurements and the comparisons with
// ns3-mmwave (bench/ns3/mmwave).
package mmwave
