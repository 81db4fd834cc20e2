// Package threegpp is the 3GPP TR 38.901 7.5 fast-fading (cluster)
// channel with antenna arrays and ideal beamforming, as ns-3.45 and
// 5G-LENA (nr v4.1) compute them, for the NR and mmWave radios on a
// sim/spectrum Medium. It adds to the medium's scalar received power
// (pathloss, LOS condition, shadowing: propagation.ThreeGPP) a gain per
// resource block, computed once per link and channel draw and per pair of
// beams, never per slot.
//
// # Model chain
//
//	step                          netgym                    follows
//	pathloss, LOS, shadowing      propagation.ThreeGPP      ns-3 three-gpp-propagation-loss-model.cc,
//	                              (the medium's LinkLoss)   channel-condition-model.cc
//	large-scale parameters        clusterParams.generate    ns-3 three-gpp-channel-model.cc:
//	(step 4)                      (Table 7.5-6: tables.go)  GetThreeGppTable, GenerateChannelParameters
//	delays, powers, angles,       clusterParams.generate    GenerateChannelParameters
//	coupling, XPR, phases (5-10)
//	coefficients per element      channelMatrix.generate    GetNewChannel
//	pair and cluster (11)
//	arrays and elements           sim/antenna               ns-3 uniform-planar-array.cc,
//	                                                        three-gpp-antenna-model.cc
//	beams                         Beamformer: CellScan,     5G-LENA ideal-beamforming-algorithm.cc,
//	                              DirectPath, SVD           ideal-beamforming-helper.cc, beamforming-
//	                                                        vector.cc; ns3-mmwave mmwave-beamforming-
//	                                                        model.cc (SVD)
//	long term per cluster         Link (longTerm)           ns-3 three-gpp-spectrum-propagation-loss-
//	                                                        model.cc: CalcLongTerm
//	Doppler, delays, per-RB gain  Link.RBGains              CalcBeamformingGain, GenSpectrumChannelMatrix
//	transmit PSD, noise,          sim/spectrum/rb           5G-LENA nr-spectrum-value-helper.cc,
//	SINR per RB                                             nr-interference-base.cc, nr-chunk-processor.cc
//	MI/EESM, BLER                 nr5g                      5G-LENA nr-lte-mi-error-model.cc, nr-eesm-*.cc
//
// # How a radio uses it
//
// Build the TR 38.901 pathloss model, the Channel on the carrier's
// resource-block grid sharing the pathloss model's ConditionModel, and the
// medium with the pathloss as Config.LinkLoss and the Channel's LinkModel:
//
//	pl, _ := propagation.NewThreeGPP(propagation.DefaultThreeGPPConfig(propagation.UMa), s)
//	cfg := threegpp.DefaultConfig(propagation.UMa, grid)
//	cfg.Condition = pl.ConditionModel()
//	ch, _ := threegpp.New(cfg, s)
//	med, _ := spectrum.New(s, spectrum.Config{LinkLoss: pl, Delay: ...}, ch.LinkModel())
//
// Attach each PHY (TxPowerDbm its total transmit power) and give its id an
// array (Channel.SetArray). A Beamformer computes each gNB-UE pair's
// beams; the PHY installs the gNB's beam for a UE on the gNB's array when
// it serves that UE (antenna.Array.SetBeam), as 5G-LENA's BeamManager
// does. For a transmission, Medium.Transmit gives every receiver's
// Delivery: RxW is the received power without fast fading, and
// Delivery.Link.RBGains(now) the per-RB gains for the beams in use, so
// that the power of resource block r is
//
//	rb.Grid.TxPower(...)[r] / P_tx(W) · RxW · RBGains[r]
//
// (rb.RxPower), and rb.Calculator turns the received powers of the
// desired and interfering transmissions into the SINR per RB.
//
// # When what is computed
//
// A link's parameters (steps 4-10) are drawn from the link's own random
// stream ("<StreamName>/<lo>-<hi>") the first time the medium delivers on
// it, and again when the medium's per-link object expires (UpdatePeriod,
// ns-3's ChannelParamsNeedsUpdate: older than UpdatePeriod) or when the
// link's condition changed. Both directions of a link share them and the
// coefficient matrix, drawn in the direction of the link that drew them
// (ns-3 keys both by node pair and flips the angles for the reverse
// direction; the reverse direction here uses the same matrix with the two
// arrays' roles swapped, which is the same thing for a reciprocal
// channel). UpdatePeriod 0, the default and NetRL's setting, draws a
// channel once per link. Endpoint moves do not redraw it (KeepOnMove), as
// in ns-3; the medium's pathloss follows them.
//
// The long term of a pair of beams (LT_p = w_rxᵀ·H_p·w_tx per cluster p)
// and the per-RB gains are computed when RBGains is first called for that
// pair and that channel draw, then reused: a Link keeps the last four
// pairs, so a gNB alternating its beam between UEs slot by slot does not
// recompute them. A beam is an antenna.Beam shared by pointer; changing
// its weights (Beam.Set) or installing another is noticed by the Link
// without any call to the medium. For a moving endpoint the per-RB gains
// also turn with time (Doppler, with the velocities at the call) and are
// recomputed per call from the cached long terms: a multiply-add per RB
// and cluster, nothing allocated.
//
// # Beamforming period
//
// A Beamformer computes a pair's beams when the pair is added and every
// Period after Start (5G-LENA's BeamformingPeriodicity, 100 ms in nr
// v4.1). CellScan and SVD read the channel as it is at the run (drawing it
// if needed); between runs the channel may be drawn again (UpdatePeriod)
// while the beams stay, stale, as in 5G-LENA. The methods:
//
//   - CellScan (5G-LENA's default): every pair of sector beams
//     (antenna.Array.DirectionalWeights) of the gNB and UE codebooks,
//     keeping the first pair of largest power summed over the band. nr
//     v4.1's CellScanBeamforming has no angle step: its zenith step is
//     180°/(OversamplingFactor·Rows) in integer degrees and its sector step
//     1/OversamplingFactor of a column (BeamSearchAngleStep, 30°, is
//     CellScanQuasiOmniBeamforming's); its UE zenith loop advances by the
//     gNB's step, which this reproduces.
//   - DirectPath: both arrays steer to each other's position
//     (CreateDirectPathBfv: the azimuth and inclination of the straight
//     line between them), in LOS and NLOS alike. NetRL's 5G-LENA program
//     uses it with a 4 x 8 gNB and a 2 x 4 UE array of isotropic elements.
//   - SVD: ns3-mmwave's MmWaveSvdBeamforming, the dominant singular vectors
//     of the sum of the clusters' coefficient matrices by power iteration
//     (30 iterations, tolerance 1e-8). That sum is the channel at frequency
//     0, not in the band, so in NLOS it beats DirectPath but not CellScan.
//
// # Without fast fading
//
// Config.FastFading false is a cheap alternative for large sweeps: no
// clusters, no small-scale fading, no frequency selectivity. A link's gain
// is the same on every RB: the direct ray through both arrays' beams and
// element patterns, |AF_tx·AF_rx·(F_θ,rx·F_θ,tx − F_φ,rx·F_φ,tx)|², the
// LOS term of 7.5-29 alone with all the power in it, in LOS and NLOS
// alike; pathloss and shadowing (which carry NLOS) stay with the medium.
// Matched direct-path beams of 4 x 8 and 2 x 4 isotropic arrays gain
// exactly 24.08 dB. ns-3 has no such model: its MultiModelSpectrumChannel
// without a spectrum propagation model adds only an AntennaModel's gain,
// and a phased array is none, so its arrays would gain nothing; this
// follows the array gains instead. Objects follow endpoint moves.
//
// # Faithfulness to ns-3.45, and what differs
//
// The tables, formulas and their order are ns-3.45's, including points
// where ns-3.45 departs from TR 38.901: the RMa LOS lgZSD mean and
// deviation are swapped; the XPR is drawn as 10^((N·σ_lin + µ_lin)/10)
// with the table's dB values converted to linear first; the -25 dB cluster
// cut is relative to the strongest power including the LOS ray; a LOS O2I
// link uses the O2I table (no K-factor) with the LOS order of parameters
// (K = 0 dB, and the spreads one row off); the rays of the two strongest
// clusters are split into sub-clusters by 0-based ray index {9-12, 17, 18}
// and {13-16}; the cluster angle sign X_n is shared by azimuth and zenith.
// The draws come from per-link streams and Go's normal variates, not
// ns-3's streams, so the realisations differ from ns-3's while their
// statistics agree. Where this package departs from ns-3.45:
//
//   - Doppler pairs each end's cluster directions with that end's own
//     velocity in both directions; ns-3.45 pairs the matrix's arrival
//     angles with the current receiver's velocity, which swaps them when a
//     channel drawn for the downlink is used for the uplink.
//   - The condition is read when the medium's per-link object is
//     (re)computed, not at every transmission: with a condition model that
//     redraws conditions (its own UpdatePeriod), the channel follows at its
//     next update. With the default condition models (drawn once) this is
//     the same.
//   - Not modelled: blockage (ns-3's Blockage, 7.6.4.1, off by default),
//     the vehicular Doppler term (vScatt, 0 by default), the V2V and NTN
//     scenarios, dual polarisation and multiple antenna ports (MIMO ranks
//     above one), spatial consistency (nor does ns-3).
//
// # Checked against ns-3
//
// TestPeerStatistics compares the gains' statistics with Debian's ns-3.37
// (bench/ns3/threegpp-gains: UMa at 28 GHz, 100 m, 1000 drops, 1 x 1
// isotropic elements and 4 x 8 / 2 x 4 arrays with direct-path beams, LOS
// and NLOS): means, percentiles and frequency selectivity agree within
// 0.1 to 0.35 dB.
//
// # ns-3.38 (ns3-mmwave v7.0)
//
// Compat switches what differs in ns-3.38's three-gpp-channel-model.cc for
// the mmwave package: RaySinCosBug (cos instead of sin of the ray azimuths
// in the element phases: new in ns-3.38, fixed in ns-3.39, issue #919; it
// costs direct-path beams in NLOS about 17 dB) and ReverseShuffle
// (its own Fisher-Yates from the last element; ns3::Shuffle from the
// first since ns-3.44); NS338Compat sets both. The rest is the same for
// one port and one polarisation: the terrestrial tables are identical, and
// ns-3.41's MIMO extensions (ports, dual polarisation, the per-RB channel
// matrix and precoding) reduce to ns-3.38's |Σ|²·PSD. Not
// switchable, and negligible: ns-3.38 wraps angles with fmod where 3.45
// counts 1e-11 turns (differences near 1e-11 rad), and regenerates no
// matrix when an array changes (3.45's AntennaSetupChanged).
package threegpp
