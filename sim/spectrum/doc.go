// Package spectrum is the shared radio medium every radio technology
// attaches to (802.11a today; 5G NR and mmWave next): ns-3's channel
// classes (YansWifiChannel, MultiModelSpectrumChannel) without the
// technology in them. It also holds the dB/W/dBm conversions every radio
// uses (DbToRatio, RatioToDb, DbmToW, WToDbm), with ns-3's formulas.
//
// # What a radio does
//
// A radio implements no interface: it supplies data and consumes results.
// It creates one Medium[L] per channel, where L is its per-link channel
// object (NoLink if it needs none) and LinkModel[L] says how to compute
// one, and attaches each of its PHYs
// (or antennas) with an Attachment: a mobility model, the power it hands
// to the medium when transmitting, its receive gain and optionally its
// carrier frequency. Attach returns a stable id: consecutive from 0 in
// attachment order, never reused after Detach; the id names the radio in
// Transmit, in Delivery.Rx and, for link-aware loss models, in
// propagation.Endpoint.ID (per-link state and random streams are keyed by
// it). When a PHY transmits, the radio calls Transmit(id) and gets back
// the receivers the transmission reaches, each with the received power (in
// dBm before the receiver's gain, and in W with it), the propagation delay
// and the per-link object; it then schedules its own arrivals (frames,
// pooling, PHY reception and random streams stay in the radio's package).
// The radio reports transmit power and receive gain changes with
// SetTxPower and SetRxGain, and beam or antenna changes that its per-link
// objects depend on with InvalidateLinks.
//
// # What the medium does
//
// For each transmission it examines the candidate receivers in attachment
// order, asks the loss model through the link view (propagation.Link with
// both endpoints' ids, positions and mobility, the sender's frequency and
// the time; propagation.ForLink adapts position-only models, and a
// link-only model such as propagation.ThreeGPP goes in Config.LinkLoss),
// then the delay model, and delivers to every receiver whose power plus
// gain is at least Config.FloorDbm. It counts transmissions, examined pairs,
// deliveries and per-link updates (Stats).
//
// Culling guarantees. The candidates are every attached radio, or, once
// there are more than 64 and the loss model has a finite reach, the radios
// in the 3×3 cells of a uniform grid around the sender plus every radio
// whose mobility model may move (anything but a ConstantPosition or a
// ConstantVelocity at rest); with a position-only loss model (no per-link
// state or draws) the candidates farther than the culling range are
// skipped without asking the model (a circle is a third of the 3×3 cells'
// area; the merge of the nine cells is kept per sender cell until one of
// them changes). The cells are as wide as the culling range:
// propagation.MaxRange of the loss model at the strongest transmit power
// in use and the floor minus the largest receive gain, so that no radio
// outside the candidates can reach the floor. The range follows attaches,
// detaches and power and gain changes; static radios are re-indexed when
// their model reports a course change. Random, non-monotone and unknown
// models have no finite range and are never culled. The deliveries are
// therefore exactly those that examining every radio would give, in the
// same order.
//
// The scalar pair cache. With a finite culling range (a deterministic
// model) and a constant-speed delay, up to 512 radios, the medium keeps
// per (sender, receiver) the received power and delay of their last
// computation and reuses them while both positions and the transmit power
// are unchanged; a receive gain change or Refresh empties it. The cache
// only spares computations: results are bit for bit those of computing
// again.
//
// The reach cache. Beyond 512 radios, when no radio is mobile and the
// channel is a deterministic function of positions (a finite culling
// range, a position-only loss model, a constant-speed delay, no per-link
// objects), a sender's Transmit result is kept and returned again while
// nothing that decides it has changed: the sender's position and transmit
// power are compared, and any attach, detach, course change, receive gain,
// floor or culling-range change empties the cache. It holds 64 deliveries
// per attached radio on average at most; a list of up to 128 deliveries is
// kept from its sender's first transmission, a longer one from its 4th, so
// that the senders that transmit most are served (a sender that does not
// fit is examined as without the cache). Results are bit for bit those of
// examining again (TestReachCacheMatchesExhaustive,
// TestReachCacheKeepsLongListsOfFrequentSenders).
//
// Deferred watts. A radio that decides on most deliveries by their power
// in dBm (a Wi-Fi PHY on signals below its detection threshold) sets a
// threshold with DeferWatts: deliveries below it carry RxW NaN
// (Delivery.WattsDeferred), sparing a power of ten each; DbmToW(RxDbm +
// gain) gives the watts bit for bit when needed (TestDeferWatts).
//
// Deferred power. With a LogDistance loss and a ConstantSpeed delay, a
// radio that decides on most deliveries by a bound of their power sets a
// threshold with DeferPower: deliveries surely below it carry, instead of
// the power, NaN where the squared distance alone decides
// (propagation.LogDistance.SquaredDistanceBelow: surely below the
// threshold and at or above the floor), else a bound at most
// DeferMarginDb above it computed from the squared distance without a
// square root or a logarithm (propagation.LogDistance.Bounder), and the
// distance (Delivery.Dist);
// LastSender().ExactDbm(Dist) gives the power bit for bit when needed, and
// lists kept by the reach cache hold the exact powers (TestDeferPower).
//
// # The per-link object
//
// NR and mmWave PHYs model SINR per resource block with per-RB,
// beam-dependent gains (TR 38.901 fast fading and beamforming) that are
// computed once per link and update period, not per slot. A LinkModel[L]
// supplies Update, which fills the object of a directed link (sender,
// receiver) from its propagation.Link, and the expiry rule: the object is
// computed on the first delivery over the link and recomputed in place on
// the first delivery after it expired, that is after either endpoint
// moved (unless KeepOnMove), after more than Period since it was computed
// (Period > 0), or after InvalidateLinks or Refresh. Objects are never
// computed for links below the floor, and transmit power and gain changes
// do not expire them (they are scalars, in the Delivery). Objects live in a
// dense table indexed by ids while it is small (32 MiB), then in a map.
//
// A Medium is driven by its simulator's goroutine only. Transmit allocates
// nothing in steady state (Update may, if the radio's object does).
package spectrum
