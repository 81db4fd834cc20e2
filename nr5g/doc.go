// Package nr5g is netgym's 5G NR radio access network after 5G-LENA
// (cttc-lena/nr release nr-4.1, on ns-3.45): the physical layer's frame
// structure, link abstraction and AMC; the channel the PHYs see, with
// interference between cells; the MAC with 5G-LENA's TDMA and OFDMA
// schedulers (round robin, proportional fair, max rate), HARQ and SR/BSR;
// RLC UM and AM, and PDCP; random access and the RRC connection setup
// (ideal or with message delays) with the attach through the EPC (package
// epc); typed traces with a JSON-lines writer; Network, the helper that
// builds cells in a few lines, and Cell, issue 15's reference multi-UE
// cell. The mmWave RAN (package mmwave) reuses its PHY pieces.
//
// # Model chain
//
// A transport block goes from transmitter to decision through these steps;
// the 5G-LENA (or ns-3.45) file each step follows is named.
//
//	step                     follows                                              netgym
//	pathloss                 ns-3 three-gpp-propagation-loss-model.cc             sim/propagation ThreeGPP
//	LOS condition            ns-3 channel-condition-model.cc                      sim/propagation ThreeGPPCondition
//	shadowing                ns-3 three-gpp-propagation-loss-model.cc             sim/propagation ThreeGPP
//	fast fading              ns-3 three-gpp-channel-model.cc,                     sim/spectrum/threegpp Channel
//	                         three-gpp-spectrum-propagation-loss-model.cc
//	beamforming              5G-LENA ideal-beamforming-algorithm.cc, beam-manager sim/spectrum/threegpp Beamformer
//	SINR per RB              5G-LENA nr-spectrum-phy.cc, nr-interference.cc,      ThreeGPPChannel (Channel)
//	                         nr-spectrum-value-helper.cc
//	MI / EESM                5G-LENA nr-lte-mi-error-model.cc,                    ErrorModel
//	                         nr-eesm-error-model.cc, nr-eesm-ir.cc, nr-eesm-cc.cc
//	BLER -> TB decision      5G-LENA nr-spectrum-phy.cc (uniform draw <= TBLER)   TxRecord.Corrupted, Gnb
//
// The PHYs ask a Channel for the SINR of each resource block of a
// transmission: ThreeGPPChannel (the default: pathloss, condition,
// shadowing and TR 38.901 fast fading through both arrays' ideal beams,
// drawn once per link and recomputed only when the channel or a beam
// changes; each gNB-UE pair's TR 38.901 parameters are drawn from the
// gNB's side, at the gNB's first slot or the next frame start, as
// 5G-LENA's MIB in the DL control draws them), PathlossChannel (no fast fading, the full gain of matched
// beams: cheap), or StaticChannel (a fixed SINR, for tests). Uplink power
// control is off and the power is spread over the used RBs, as 5G-LENA's
// defaults. A channel that is a BeamChannel (ThreeGPPChannel) also gives
// the gains of a link with other beams: with it the PHYs model what
// 5G-LENA's do when blocks share symbols (OFDMA: the gNB's power split
// over all the RBs of the symbol, one gNB beam per symbol, that of the
// scheduler's last DL block with data there, or its first UL block, as
// 5G-LENA's PHY ends up with; see phy_rx.go) and the interference between cells (other cells' data
// blocks that overlap a reception in time, through their beams, with
// 5G-LENA's SINR chunks; sim/spectrum/rb's Calculator).
//
// Around the chain: the frame structure (NrPhy::SetNumerology,
// NrPhy::DoUpdateRbNum, NrGnbPhy::SetPattern and
// GenerateStructuresFromPattern) is Numerology, RbCount, TddPattern and
// PhyConfig; NrAmc (nr-amc.cc) is Amc, whose CalculateTbSize is the
// transport block size 5G-LENA's schedulers use; TBS38214 is the exact
// TS 38.214 5.1.3.2 procedure, for comparison. 5G-LENA's sizes use its
// error models' two-decimal code rates (up to 0.009 off R/1024) and no
// quantisation, so they differ from TBS38214's.
//
// The error-model AMC (Amc.CqiFeedback) tests each MCS on a one-symbol
// block, as 5G-LENA does; a scheduled block of 12 symbols has more code
// blocks and can lose more than the 10% target at the chosen MCS.
//
// # The protocol stack
//
//	layer        5G-LENA                                   netgym
//	PHY slots    NrGnbPhy, NrUePhy (StartSlot, var-TTIs)   Gnb (one slot loop for the cell)
//	gNB MAC      NrGnbMac                                  Gnb
//	scheduler    NrMacSchedulerNs3, ...Tdma, ...Ofdma,     Scheduler (NewScheduler, SchedulerType:
//	             ...TdmaRR/PF/MR, ...OfdmaRR/PF/MR,         SchedulerTdmaRR ... SchedulerOfdmaMR)
//	             ...OfdmaSymbolPerBeamLB, ...HarqRr,
//	             ...LcRR, ...CQIManagement, ...SrsDefault
//	UE MAC       NrUeMac                                   UeDevice
//	RLC          NrRlcUm, NrRlcAm                          rlcUM, rlcAM (RlcConfig.Mode per bearer)
//	PDCP         NrPdcp                                    pdcp, PdcpHeader
//	RRC          NrGnbRrc, NrUeRrc, ideal protocol         Gnb, UeDevice (RrcIdeal, RrcDelayed)
//	NAS, core    NrEpcUeNas, NrPointToPointEpcHelper       package epc (epc.RAN, epc.UEAccess)
//	helper       NrHelper, NrChannelHelper,                Network, Cell
//	             IdealBeamformingHelper
//	traces       NrPhyRxTrace, NrMacSchedulingStats,       Traces (Tb, Sched, Rlc, Pdcp), TraceWriter
//	             NrRlc/NrPdcp TxPDU, RxPDU, TxDrop
//
// Timing follows 5G-LENA's event order slot by slot. At the start of slot
// n the UEs run their MAC slot indication (a pending scheduling request is
// queued L1L2CtrlLatency slots ahead) and take the control messages of the
// slot, which the gNB has at the slot's end; the gNB receives the slot's
// PUSCH blocks (their HARQ feedback and CQI reach the MAC at the next
// slot, their MAC PDUs TbDecodeLatency after their last symbol); the gNB
// MAC hands the scheduler what arrived and asks it for UL slot n + K2 +
// L1L2CtrlLatency and DL slot n + K0 + L1L2CtrlLatency (TddTimings); at the
// end of the DL control symbols the UEs receive their DCIs: an UL grant
// makes the UE MAC build its transport block for slot n + K2 at once, a DL
// block is received (HARQ feedback K1 slots later, CQI L1L2CtrlLatency + 1
// slots later) and delivered after the decode latency. The simulator runs
// one event per slot per cell, one at the DL control when a UE has
// something to receive, and one per decoded block.
//
// The schedulers are 5G-LENA's (SchedulerConfig.Type; the default is
// NrMacSchedulerTdmaRR). TDMA gives whole symbols over all RBGs, UL first
// (from the last data symbol backwards) and DL in what is left of the
// slot: a symbol at a time to the first UE in the policy's order whose
// block does not yet cover max(buffer, 10 bytes). OFDMA first shares the
// symbols among the beams by their buffered bytes
// (NrMacSchedulerOfdmaSymbolPerBeamLB), then gives each beam's RBGs, one
// at a time over all the beam's symbols, to its UEs (a UE whose block
// stays under 10 bytes gives its RBGs back). The policies order the UEs:
// round robin (in DL a deque of RNTIs kept across slots, a UE whose block
// grew going to the back; in UL the fewest RBGs so far first),
// proportional fair (potential rate^FairnessIndex over an average rate
// updated with LastAvgTPutWeight at every resource and kept across
// slots), max rate (highest MCS, ties by fewest RBGs). UEs are grouped by
// beam (5G-LENA's BeamId: one for every direct-path beam, one per codebook
// beam with cell scan). No DCI below 10 bytes (DL) or 12 (UL); an SR is
// 12 bytes in each UL group; BSRs (short, 5 bytes, TS 38.321 levels)
// overwrite the scheduler's view and grants subtract from it (a remainder
// under 12 bytes counts as 12); 16 HARQ processes per direction, at most 3
// retransmissions, UL retransmissions with the same TBS, MCS and symbols;
// DL retransmissions are placed beam by beam with their original symbols
// and RBGs (in TDMA one per beam and slot; 5G-LENA subtracts a beam's
// retransmission symbols twice from what is available); the UL MCS
// follows the PUSCH SINR through the AMC from StartingMcsUl 0, the DL MCS
// the UE's wideband CQI; a CQI expires after 1 s; the UE of the SRS slot
// (periodicity 80) gets its SRS symbol and no new UL data; a Msg3 grant
// takes the symbols of a 144-bit block at MCS 0 in the next UL slot after
// a preamble.
//
// RLC UM (NrRlcUm) has a 10 KiB transmission buffer with tail drop,
// segmentation and concatenation to the grants, 10-bit sequence numbers,
// the reordering window with t-Reordering (100 ms) and in-order
// reassembly; its BSR timer (10 ms) reports data left after an
// opportunity; with EnablePdcpDiscarding an SDU that finds the head of
// line older than the bearer's delay budget is traced as discarded (and
// kept, as 5G-LENA). RLC AM (NrRlcAm) polls with every PDU, answers polls
// with STATUS PDUs (ACK_SN and the NACK_SNs that fit, t-StatusProhibit
// 10 ms), retransmits whole PDUs that were NACKed or, when t-PollRetransmit
// (20 ms) expires with nothing new to send, every unacknowledged one, and
// reports unacknowledged bytes as its retransmission queue; t-Reordering
// is 10 ms. The mode is per bearer (RlcConfig: UM, AM, PER_BASED, or by
// QCI). PDCP adds its 2-byte header with a 12-bit sequence number. Each EPS
// bearer gets a DRB with LCID = bearer id + 2, in logical channel group 1
// (GBR) or 2; SRB1 is in group 0.
//
// Random access is 5G-LENA's: a UE starts it at SIB2 (16 ms, then every
// 80 ms), sends its preamble in the next slot's UL control and waits for
// the RAR up to 6 + RaResponseWindowSize slots, then tries again (up to
// PreambleTransMax + 1 times before starting over); the gNB gives each
// preamble received alone an RNTI and a Msg3 grant, and the RAR goes to
// the UEs whose Msg3 the scheduler placed (a Msg3 takes 2 symbols of a
// 66-RB carrier: an F slot holds 6), with the DCIs of that UL slot.
// Preambles come from one counter as in 5G-LENA, so they never collide,
// unless RachConfig.RandomPreambles draws them (TS 38.321) and they may.
// The RRC connection setup is the ideal protocol (Request, Setup, Setup
// Complete and Reconfiguration take no time) or a message-delay model
// (RrcDelayed: each message MessageDelay after it is sent, with the gNB's
// ConnectionRequestTimeout and ConnectionSetupTimeout and the UE's T300);
// at Setup Complete the gNB sends the core the Initial UE Message, the
// core's Initial Context Setup sets up every bearer registered, and the
// Reconfiguration gives the UE its side. Everything persists across
// RunUntil windows.
//
// # Simplifications
//
// Msg3 and the RRC messages take no radio resources beyond the Msg3
// grant's symbols (5G-LENA's ideal RRC sends nothing in them either); the
// real RRC protocol over SRB0/SRB1 is not modelled. Handover is out of
// scope: no measurement reports, X2 or handover procedures, and no radio
// link failure. Control channels are error-free (as in 5G-LENA); SRS
// takes its symbol but its SINR is not used (5G-LENA's default); control
// symbols and SRS are not counted as interference. No sub-band CQI, no
// MIMO (one layer). The schedulers walk the UEs in the order 5G-LENA's
// m_ueMap (a libstdc++ unordered_map keyed by RNTI) iterates, which
// decides who is served first and whose beam a shared symbol gets; beam
// groups (several only with cell scan) come in the order first seen,
// where 5G-LENA iterates an unordered_map keyed by BeamId. Like 5G-LENA, the UE MAC
// has no retxBSR or periodic BSR timer of TS 38.321: a UE whose last BSRs
// were lost in blocks that failed every retransmission, while the
// scheduler's view ran out, stays in SR state ACTIVE without grants (the
// RLC's BSR timer, the only way out, is stopped by every new SDU);
// docs/nr.md shows what this does at the cell edge.
//
// # Error models
//
// ErrorModel is 5G-LENA's NrErrorModel: given the linear SINR of each RB
// of an allocation, the transport block size, the MCS and the HARQ history
// of the block, it returns the transport block error rate. Five models are
// selectable (ErrorModelType): NrLteMiErrorModel, 5G-LENA's default, and the
// EESM models NrEesmIrT1, NrEesmIrT2, NrEesmCcT1 and NrEesmCcT2. Their
// tables are CTTC's link-level results, generated from 5G-LENA's GPL-2.0-only
// sources by nr5g/internal/gentables into the zz_*_tables.go files, which
// keep CTTC's copyright lines. The code is netgym's, written from the
// algorithms; where 5G-LENA's arithmetic has quirks that change results
// (integer truncations, the base graph chosen from the code-block size in
// the BLER lookup, the ECR search window of LTE-MI retransmissions, the fast
// exponential of the EESM sums) netgym reproduces them and says so.
//
// Evaluating a transport block allocates nothing; a HarqHistory is storage
// the caller owns (one per HARQ process) and reuses. A step of NetRL's
// scenario (a datagram through the stack and the core) allocates nothing in
// steady state.
//
// # Single layer
//
// As in 5G-LENA's default configuration (EnableMimoFeedback false), one
// layer and the wideband SISO CQI path (NrAmc::CreateCqiFeedbackSiso) are
// modelled; the rank argument of the sizes is kept for later MIMO work.
package nr5g
