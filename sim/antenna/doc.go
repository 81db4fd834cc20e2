// Package antenna models antenna elements and phased arrays as ns-3.45's
// src/antenna does, with the beam constructions of 5G-LENA (cttc-lena/nr
// v4.1), for the TR 38.901 channel of sim/spectrum/threegpp and the NR and
// mmWave radios built on it.
//
//	netgym              follows
//	Angles, Direction   ns-3 angles.cc (Angles, WrapToPi, WrapTo2Pi)
//	Isotropic           ns-3 isotropic-antenna-model.cc
//	ThreeGPPElement     ns-3 three-gpp-antenna-model.cc (TR 38.901 Table 7.3-1)
//	Array (NewUPA)      ns-3 uniform-planar-array.cc, phased-array-model.cc
//	DirectPathWeights   5G-LENA beamforming-vector.cc CreateDirectPathBfv
//	DirectionalWeights  5G-LENA beamforming-vector.cc CreateDirectionalBfv
//	QuasiOmniWeights    5G-LENA beamforming-vector.cc CreateQuasiOmniBfv
//	Beam                a PhasedArrayModel beamforming vector, shared by pointer
//
// An Array is a uniform planar array of Rows x Columns identical elements,
// half a wavelength apart by default, rotated by a bearing and a downtilt.
// It answers the element locations (in wavelengths) and the element field
// pattern in any direction of the global coordinate system, which is all
// the channel model needs of it, and holds the Beam it currently uses: the
// radio installs the beam of the peer it serves before transmitting or
// receiving, as 5G-LENA's BeamManager does.
//
// # Conventions
//
// A beam's weights multiply the channel coefficients as ns-3's
// ThreeGppSpectrumPropagationLossModel::CalcLongTerm does, without
// conjugation: the long-term gain of a cluster is Σ_u Σ_s w_rx[u]·H[u][s]·
// w_tx[s]. A ray from direction r̂ contributes exp(+j·2π·r̂·loc) to H at an
// element at loc, so the matched beam towards r̂ is exp(-j·2π·r̂·loc) (what
// DirectPathWeights and DirectionalWeights build), and a line-of-sight ray
// through two matched unit-power beams gains the product of the element
// counts: 4 x 8 and 2 x 4 arrays give 10·log10(32·8) = 24.08 dB.
//
// # Not modelled
//
// Dual polarisation (ns-3's IsDualPolarized) and antenna ports (TXRU
// virtualisation, NumVerticalPorts/NumHorizontalPorts), hence MIMO ranks
// above one, are out of scope: arrays are single-polarised with one port,
// as in 5G-LENA's default single-layer configuration and in ns3-mmwave.
package antenna
