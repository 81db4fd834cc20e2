package epc_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
)

// TestQoSTables spot-checks ns-3.45's EpsBearer::GetRequirementsRel11,
// Rel15 and Rel18 (eps-bearer.cc; 5G-LENA's nr-eps-bearer.cc is the same).
func TestQoSTables(t *testing.T) {
	ms := sim.Millisecond
	cases := []struct {
		rel  epc.Release
		qci  epc.QCI
		want epc.QoS
	}{
		{epc.Release11, epc.GBRConvVoice, epc.QoS{epc.GBR, 2, 100 * ms, 1e-2, 0, 0}},
		{epc.Release11, epc.NGBRIMS, epc.QoS{epc.NonGBR, 1, 100 * ms, 1e-6, 0, 0}},
		{epc.Release11, epc.NGBRVideoTCPDefault, epc.QoS{epc.NonGBR, 9, 300 * ms, 1e-6, 0, 0}},
		{8, epc.GBRGaming, epc.QoS{epc.GBR, 3, 50 * ms, 1e-3, 0, 0}},
		{epc.Release15, epc.NGBRVideoTCPDefault, epc.QoS{epc.NonGBR, 90, 300 * ms, 1e-6, 0, 0}},
		{epc.Release15, epc.GBRConvVoice, epc.QoS{epc.GBR, 20, 100 * ms, 1e-2, 0, 2000 * ms}},
		{epc.Release15, epc.NGBRLowLatEMBB, epc.QoS{epc.NonGBR, 68, 10 * ms, 1e-6, 0, 0}},
		{epc.Release15, epc.NGBRV2X, epc.QoS{epc.NonGBR, 65, 5 * ms, 1e-2, 0, 0}},
		{epc.Release15, epc.DGBRDiscreteAutLarge, epc.QoS{epc.DelayCriticalGBR, 22, 10 * ms, 1e-4, 1358, 2000 * ms}},
		{epc.Release18, epc.NGBRLowLatEMBB, epc.QoS{epc.NonGBR, 68, 10 * ms, 1e-6, 0, 0}},
		{epc.Release18, epc.GBRLiveUL73, epc.QoS{epc.GBR, 56, 300 * ms, 1e-8, 0, 0}},
		{epc.Release18, epc.DGBRV2X, epc.QoS{epc.DelayCriticalGBR, 18, 5 * ms, 1e-4, 1354, 2000 * ms}},
		{epc.Release18, epc.DGBRVisualContent90, epc.QoS{epc.DelayCriticalGBR, 25, 20 * ms, 1e-4, 63000, 2000 * ms}},
		{epc.Release18, epc.DGBRElectricity, epc.QoS{epc.DelayCriticalGBR, 21, 5 * ms, 1e-5, 255, 2000 * ms}},
	}
	for _, tc := range cases {
		got, err := tc.qci.QoS(tc.rel)
		require.NoError(t, err, "QCI %d rel %d", tc.qci, tc.rel)
		require.Equal(t, tc.want, got, "QCI %d rel %d", tc.qci, tc.rel)
	}
	require.Len(t, epc.Release11.QCIs(), 9)
	require.Len(t, epc.Release15.QCIs(), 21)
	require.Len(t, epc.Release18.QCIs(), 31)
	require.Equal(t, []epc.QCI{1, 2, 3, 4, 5, 6, 7, 8, 9}, epc.Release11.QCIs())

	require.True(t, epc.GBRConvVideo.IsGBR(epc.Release11))
	require.True(t, epc.DGBRITS.IsGBR(epc.Release15))
	require.False(t, epc.NGBRLowLatEMBB.IsGBR(epc.Release18))
	require.False(t, epc.NGBRLowLatEMBB.IsGBR(epc.Release11), "unknown in release 11")
	require.Equal(t, "DC-GBR", epc.DelayCriticalGBR.String())
}

func TestQoSBadInput(t *testing.T) {
	_, err := epc.NGBRLowLatEMBB.QoS(epc.Release11)
	require.ErrorContains(t, err, "QCI 80 is not defined in release 11 (9 QCIs from 1 to 9)")
	_, err = epc.GBRLiveUL71.QoS(epc.Release15)
	require.ErrorContains(t, err, "QCI 71 is not defined in release 15")
	_, err = epc.QCI(200).QoS(epc.Release18)
	require.ErrorContains(t, err, "QCI 200 is not defined")
	_, err = epc.QCI(0).QoS(epc.Release18)
	require.Error(t, err)
	for _, r := range []epc.Release{0, 7, 12, 16, 19} {
		_, err := epc.NGBRVideoTCPDefault.QoS(r)
		require.ErrorContains(t, err, "has no QCI table (accepted: 8..11, 15, 18)", "release %d", r)
	}
	for _, r := range []epc.Release{8, 9, 10, 11, 15, 18} {
		require.NoError(t, r.Validate())
	}

	require.NoError(t, epc.DefaultBearer().Validate(epc.Release11))
	require.Equal(t, epc.NGBRVideoTCPDefault, epc.DefaultBearer().QCI)
	cases := []struct {
		b   epc.Bearer
		msg string
	}{
		{epc.Bearer{}, "QCI 0 is not defined"},
		{epc.Bearer{QCI: 9, ARP: epc.ARP{PriorityLevel: 16}}, "ARP.PriorityLevel 16 is outside 0..15"},
		{epc.Bearer{QCI: 1, GBR: epc.GBRQoSInfo{GBRDownlink: 2e6, MBRDownlink: 1e6}}, "MBRDownlink 1000000 is below GBR.GBRDownlink 2000000"},
		{epc.Bearer{QCI: 1, GBR: epc.GBRQoSInfo{GBRUplink: 2e6, MBRUplink: 1e6}}, "MBRUplink 1000000 is below GBR.GBRUplink 2000000"},
	}
	for _, tc := range cases {
		require.ErrorContains(t, tc.b.Validate(epc.Release18), tc.msg)
	}
	require.NoError(t, epc.Bearer{QCI: 1, GBR: epc.GBRQoSInfo{GBRDownlink: 1e6, MBRDownlink: 2e6}}.Validate(epc.Release18))
}
