// Package nr5g is netgym's 5G NR radio access network after 5G-LENA
// (cttc-lena/nr release nr-4.1, on ns-3.45). This part holds the pieces of
// the physical layer that do not depend on the channel: frame structure and
// timing, the link-to-system error models, adaptive modulation and coding,
// and transport block sizes. The NR MAC and scheduler (issue 14) and the
// mmWave RAN (package mmwave, issue 16) build on them.
//
// # Model chain
//
// A transport block goes from transmitter to decision through these steps;
// the 5G-LENA (or ns-3.45) file each step follows is named, and the status
// says what exists in netgym today.
//
//	step                     follows                                              status
//	pathloss                 ns-3 src/propagation three-gpp-propagation-loss-model  sim/propagation (TR 38.901, in progress)
//	LOS condition            ns-3 channel-condition-model.cc                        sim/propagation (in progress)
//	shadowing                ns-3 three-gpp-propagation-loss-model.cc               sim/propagation (in progress)
//	fast fading              ns-3 src/spectrum three-gpp-channel-model.cc,          not yet (after the spectrum seam)
//	                         three-gpp-spectrum-propagation-loss-model.cc
//	beamforming              5G-LENA ideal-beamforming-algorithm.cc, beam-manager.cc not yet
//	SINR per RB              5G-LENA nr-spectrum-phy.cc, nr-interference.cc,        not yet (sim/spectrum seam)
//	                         nr-spectrum-value-helper.cc
//	MI / EESM                5G-LENA nr-lte-mi-error-model.cc,                      here: ErrorModel
//	                         nr-eesm-error-model.cc, nr-eesm-ir.cc, nr-eesm-cc.cc
//	BLER -> TB decision      5G-LENA nr-spectrum-phy.cc (uniform draw <= TBLER)     here: TxRecord.Corrupted; the PHY (next)
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
// the caller owns (one per HARQ process) and reuses.
//
// # Single layer
//
// As in 5G-LENA's default configuration (EnableMimoFeedback false), one
// layer and the wideband SISO CQI path (NrAmc::CreateCqiFeedbackSiso) are
// modelled; the rank argument of the sizes is kept for later MIMO work.
package nr5g
