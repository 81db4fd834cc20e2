package nrpwire_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/cosim/internal/nrpwire"
	"github.com/netgym/netgym/spaces"
)

func TestMessagesRoundTrip(t *testing.T) {
	s, err := nrpwire.DecodeJSON(nrpwire.EncodeJSON(`{"EngineName": "net"}`))
	require.NoError(t, err)
	require.Equal(t, `{"EngineName": "net"}`, s)
	for _, x := range []int64{0, 1, 20_000_000, -5} {
		got, err := nrpwire.DecodeInt64(nrpwire.EncodeInt64(x))
		require.NoError(t, err)
		require.Equal(t, x, got)
	}
	ids := []nrpwire.DataPackID{{Name: "a", Type: "t", Engine: "e"}, {Name: "b"}}
	got, err := nrpwire.DecodeIDs(nrpwire.EncodeIDs(ids))
	require.NoError(t, err)
	require.Equal(t, ids, got)
	dps := []nrpwire.DataPackMessage{
		{ID: nrpwire.DataPackID{Name: "a", Engine: "e"}},
		{ID: nrpwire.DataPackID{Name: "b", Type: nrpwire.Int64Value}, Data: &nrpwire.Any{TypeURL: "type.googleapis.com/Wrappers.Int64Value", Value: []byte{8, 3}}},
	}
	back, err := nrpwire.DecodeDataPacks(nrpwire.EncodeDataPacks(dps))
	require.NoError(t, err)
	require.Equal(t, dps, back)
}

// The bytes Python's protobuf writes for NRP-core's messages (taken from
// nrp-protobuf's classes) decode to the same values.
func TestDecodesPythonBytes(t *testing.T) {
	// RunLoopStepRequest(timeStep=10_000_000)
	dt, err := nrpwire.DecodeInt64([]byte{0x08, 0x80, 0xad, 0xe2, 0x04})
	require.NoError(t, err)
	require.Equal(t, int64(10_000_000), dt)
	// ArrayDouble(array=[0.5, -1], shape=[2]) in an Any
	a := &nrpwire.Any{TypeURL: "type.googleapis.com/NrpGenericProto.ArrayDouble", Value: []byte{
		0x0a, 0x10, 0, 0, 0, 0, 0, 0, 0xe0, 0x3f, 0, 0, 0, 0, 0, 0, 0xf0, 0xbf, 0x12, 0x01, 0x02}}
	data, err := nrpwire.UnpackData(a)
	require.NoError(t, err)
	require.Equal(t, []any{0.5, -1.0}, data)
}

func TestPackUnpack(t *testing.T) {
	for _, tc := range []struct {
		in   any
		typ  string
		back any
	}{
		{spaces.DoubleBox(1.5, -2), nrpwire.ArrayDouble, []any{1.5, -2.0}},
		{spaces.FloatBox(0.25), nrpwire.ArrayFloat, []any{0.25}},
		{spaces.IntBox(-3, 4), nrpwire.ArrayInt32, []any{-3.0, 4.0}},
		{spaces.UintBox(7), nrpwire.ArrayUInt32, []any{7.0}},
		{spaces.DiscreteValue(5), nrpwire.Int64Value, 5.0},
		{spaces.DiscreteValue(-2), nrpwire.Int64Value, -2.0},
		{[]any{1.0, 2.0}, nrpwire.ArrayDouble, []any{1.0, 2.0}},
		{[]any{1.0, "x"}, nrpwire.StringValue, `[1,"x"]`},
		{map[string]any{"k": 1.0}, nrpwire.StringValue, `{"k":1}`},
		{2.5, nrpwire.DoubleValue, 2.5},
		{true, nrpwire.BoolValue, true},
		{"hi", nrpwire.StringValue, "hi"},
	} {
		a, typ, err := nrpwire.PackData(tc.in, nil)
		require.NoError(t, err)
		require.Equal(t, tc.typ, typ)
		back, err := nrpwire.UnpackData(a)
		require.NoError(t, err)
		require.Equal(t, tc.back, back, "%v", tc.in)
	}
	_, err := nrpwire.UnpackData(&nrpwire.Any{TypeURL: "type.googleapis.com/Gazebo.Camera"})
	require.EqualError(t, err, `datapack data of type "type.googleapis.com/Gazebo.Camera": netgym reads NrpGenericProto arrays and Wrappers values`)
	_, err = nrpwire.DecodeIDs([]byte{0x0a, 0x05, 0x0a})
	require.ErrorIs(t, err, nrpwire.ErrMalformed)
}
