package epc_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
)

// TestGTPUHeader: ns-3.45's GtpuHeader defaults, 12 bytes, the first octet
// as it serialises it (version 1, PT, spare bit, S and PN flags: 0x3b) and
// the length field of its senders (payload + 12 - 8).
func TestGTPUHeader(t *testing.T) {
	h := epc.NewGTPUHeader(7, 128)
	require.Equal(t, 12, h.Size())
	require.Equal(t, uint8(1), h.Version)
	require.Equal(t, uint8(255), h.MessageType)
	require.Equal(t, uint32(7), h.TEID)
	require.Equal(t, uint16(132), h.Length)
	require.Equal(t, byte(0x3b), h.FirstByte())
	require.Equal(t, 40, epc.TunnelOverhead)
	c := h.Clone().(*epc.GTPUHeader)
	require.Equal(t, *h, *c)
	c.TEID = 9
	require.Equal(t, uint32(7), h.TEID, "a clone is independent")
	require.Equal(t, "GTP-U v1 type=255 len=132 teid=7", h.String())
}

// TestGTPCSizes: message sizes as ns-3.45 / 5G-LENA count them (the
// 12-byte header, IMSI 12, ULI 12, F-TEID 13, cause 6, EBI 5, bearer QoS
// 26, bearer context header 4, TFT 5 + 34 per packet filter).
func TestGTPCSizes(t *testing.T) {
	def := epc.BearerContext{BearerID: 1, Bearer: epc.DefaultBearer(), TFT: epc.DefaultTFT()}
	ded := epc.BearerContext{BearerID: 2, Bearer: epc.Bearer{QCI: epc.NGBRLowLatEMBB}, TFT: mustTFT(t, epc.DefaultPacketFilter(), epc.DefaultPacketFilter())}
	cases := []struct {
		name string
		m    epc.GTPCMessage
		want int
	}{
		{"CSR default bearer", epc.GTPCMessage{Type: epc.CreateSessionRequest, Bearers: []epc.BearerContext{def}}, 12 + 12 + 12 + 13 + 4 + 5 + 39 + 13 + 26},
		{"CSR two bearers", epc.GTPCMessage{Type: epc.CreateSessionRequest, Bearers: []epc.BearerContext{def, ded}}, 136 + 53 + 68},
		{"CSR no bearer", epc.GTPCMessage{Type: epc.CreateSessionRequest}, 49},
		{"CSResp default bearer", epc.GTPCMessage{Type: epc.CreateSessionResponse, Bearers: []epc.BearerContext{def}}, 118},
		{"MBR", epc.GTPCMessage{Type: epc.ModifyBearerRequest, Bearers: []epc.BearerContext{def}}, 12 + 24 + 22},
		{"MBResp", epc.GTPCMessage{Type: epc.ModifyBearerResponse}, 18},
		{"DBC", epc.GTPCMessage{Type: epc.DeleteBearerCommand, Bearers: []epc.BearerContext{ded}}, 21},
		{"DBReq", epc.GTPCMessage{Type: epc.DeleteBearerRequest, BearerIDs: []uint8{2, 3}}, 22},
		{"DBResp", epc.GTPCMessage{Type: epc.DeleteBearerResponse, BearerIDs: []uint8{2}}, 23},
		{"CBReq", epc.GTPCMessage{Type: epc.CreateBearerRequest, Bearers: []epc.BearerContext{ded}}, 12 + 5 + 53 + 68},
		{"CBResp", epc.GTPCMessage{Type: epc.CreateBearerResponse, Bearers: []epc.BearerContext{ded}}, 12 + 6 + 28},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, tc.m.Size(), tc.name)
	}
	require.Equal(t, "GTP-C DeleteBearerRequest teid=5 len=22 ebi=2 ebi=3",
		(&epc.GTPCMessage{Type: epc.DeleteBearerRequest, TEID: 5, BearerIDs: []uint8{2, 3}}).String())
}

// TestS1APSizes: ns3-mmwave's epc-s1ap-header.cc sizes (6-byte header +
// the message's m_headerLength).
func TestS1APSizes(t *testing.T) {
	two := []epc.ERAB{{BearerID: 1}, {BearerID: 2}}
	cases := []struct {
		m    epc.S1APMessage
		want int
	}{
		{epc.S1APMessage{Procedure: epc.S1APInitialUEMessage}, 6 + 35},
		{epc.S1APMessage{Procedure: epc.S1APInitialContextSetupReq, ERABs: two[:1]}, 6 + 26 + 47},
		{epc.S1APMessage{Procedure: epc.S1APInitialContextSetupReq, ERABs: two}, 6 + 26 + 94},
		{epc.S1APMessage{Procedure: epc.S1APERABReleaseIndication, ERABs: two[:1]}, 6 + 17 + 1},
		{epc.S1APMessage{Procedure: epc.S1APInitialContextSetupRsp, ERABs: two}, 6 + 17 + 20},
		{epc.S1APMessage{Procedure: epc.S1APERABSetupRequest, ERABs: two[:1]}, 6 + 17 + 47},
		{epc.S1APMessage{Procedure: epc.S1APERABSetupResponse, ERABs: two[:1]}, 6 + 17 + 10},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, tc.m.Size(), tc.m.Procedure.String())
	}
}
