// Package rb holds what NR-style radios compute per resource block: the
// carrier's grid of resource blocks, the transmit power per RB of 5G-LENA's
// power allocations, the thermal noise per RB, and the SINR per RB of a
// received transport block with interference that may change during it.
// netgym's nr5g (after 5G-LENA) and mmwave (after ns3-mmwave) PHYs share
// it.
//
//	netgym               follows (5G-LENA nr v4.1)
//	Grid                 NrSpectrumValueHelper::GetSpectrumModel
//	Grid.TxPower         NrSpectrumValueHelper::CreateTxPowerSpectralDensity,
//	                     NrGnbPhy::SetSubChannels (OFDMA scaling)
//	Grid.NoisePerRB      NrSpectrumValueHelper::CreateNoisePowerSpectralDensity
//	RxPower              MultiModelSpectrumChannel: PSD x pathloss x spectrum model
//	Calculator.SINR      NrInterferenceBase + NrChunkProcessor (SINR chunks)
//
// Powers are per resource block in watts, the PSD (W/Hz) integrated over
// the RB's 12 subcarriers; SINRs are ratios and need only that the signal,
// interference and noise share the unit.
//
// # A transport block's SINR
//
// The radio computes, for the receiver, the received power per RB of the
// desired transmission and of each concurrent one (RxPower: transmit power
// per RB x the medium's scalar path gain x the per-RB gain of the
// channel's per-link object, sim/spectrum/threegpp), then asks a
// Calculator for the SINR per RB over the block's time on the air. The
// Calculator is 5G-LENA's chunk processing in closed form: chunks between
// the starts and ends of the signals on the air, the SINR of each, their
// time-weighted linear average. Nothing is allocated per block, so the
// per-slot cost is a few multiply-adds per RB and interferer.
package rb
