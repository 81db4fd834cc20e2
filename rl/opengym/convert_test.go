package opengym

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// must returns s, and panics (failing the test) if err is not nil.
func must[S any](s S, err error) S {
	if err != nil {
		panic(err)
	}
	return s
}

// roundTripSpace encodes s, marshals and unmarshals the message, and
// decodes it again.
func roundTripSpace(t *testing.T, s spaces.Space) spaces.Space {
	t.Helper()
	d, err := SpaceToProto(s)
	require.NoError(t, err)
	b, err := proto.Marshal(d)
	require.NoError(t, err)
	var d2 pb.SpaceDescription
	require.NoError(t, proto.Unmarshal(b, &d2))
	got, err := SpaceFromProto(&d2)
	require.NoError(t, err)
	return got
}

func roundTripValue(t *testing.T, v spaces.Value, s spaces.Space) spaces.Value {
	t.Helper()
	c, err := ValueToProto(v)
	require.NoError(t, err)
	b, err := proto.Marshal(c)
	require.NoError(t, err)
	var c2 pb.DataContainer
	require.NoError(t, proto.Unmarshal(b, &c2))
	got, err := ValueFromProto(&c2, s)
	require.NoError(t, err)
	return got
}

func testSpaces(t *testing.T) map[string]spaces.Space {
	disc := must(spaces.NewDiscrete(5))
	boxU := must(spaces.NewBox(0, 10, []int{5}, spaces.Uint))
	boxI := must(spaces.NewBox(-3, 7, []int{2, 3}, spaces.Int))
	boxF := must(spaces.NewBox(-1.5, 2.5, []int{4}, spaces.Float))
	boxD := must(spaces.NewBox(math.Inf(-1), math.Inf(1), []int{3}, spaces.Double))
	boxPer := must(spaces.NewBoxBounds([]float64{0, -1, 2}, []float64{1, 1, 8}, nil, spaces.Float))
	scalar := must(spaces.NewBox(0, 1, []int{}, spaces.Double))
	tup := must(spaces.NewTuple(disc, boxF))
	dict := must(spaces.NewDict([]string{"z", "a", "m"}, []spaces.Space{boxU, disc, tup}))
	return map[string]spaces.Space{
		"discrete": disc, "box-uint": boxU, "box-int-2d": boxI, "box-float": boxF,
		"box-double-inf": boxD, "box-per-element": boxPer, "box-scalar": scalar,
		"tuple": tup, "dict": dict,
		"empty-tuple": must(spaces.NewTuple()),
	}
}

func TestSpaceRoundTrip(t *testing.T) {
	for name, s := range testSpaces(t) {
		t.Run(name, func(t *testing.T) {
			got := roundTripSpace(t, s)
			assert.Equal(t, s.String(), got.String())
		})
	}
}

func TestValueRoundTrip(t *testing.T) {
	r := newRand()
	for name, s := range testSpaces(t) {
		t.Run(name, func(t *testing.T) {
			for range 20 {
				v := s.Sample(r)
				got := roundTripValue(t, v, s)
				assert.True(t, spaces.Equal(v, got), "sent %v, got %v", v, got)
				// Without the space the value decodes as sent, except
				// that dict order and rank-0 shapes need the space.
				_, err := roundTripValueNoSpace(v)
				require.NoError(t, err)
			}
		})
	}
}

func roundTripValueNoSpace(v spaces.Value) (spaces.Value, error) {
	c, err := ValueToProto(v)
	if err != nil {
		return nil, err
	}
	return ValueFromProto(c, nil)
}

func TestValueRoundTripEveryDtype(t *testing.T) {
	for _, v := range []*spaces.BoxValue{
		spaces.IntBox(-7, 0, math.MaxInt32, math.MinInt32),
		spaces.UintBox(0, 1, math.MaxUint32),
		spaces.FloatBox(-1.25, 0, float32(math.Inf(1)), math.MaxFloat32),
		spaces.DoubleBox(math.Pi, -0.1, math.SmallestNonzeroFloat64),
		{Dtype: spaces.Int, Shape: []int{2, 2}, Ints: []int32{1, 2, 3, 4}},
		{Dtype: spaces.Uint, Shape: []int{0}},
	} {
		got, err := roundTripValueNoSpace(v)
		require.NoError(t, err)
		assert.True(t, spaces.Equal(v, got), "sent %v, got %v", v, got)
	}
	for _, v := range []spaces.Value{spaces.DiscreteValue(0), spaces.DiscreteValue(math.MaxInt32), spaces.DiscreteValue(-3)} {
		got, err := roundTripValueNoSpace(v)
		require.NoError(t, err)
		assert.Equal(t, v, got)
	}
}

func TestBoxBoundsOnTheWire(t *testing.T) {
	// Bounds float32 cannot hold are rounded outwards.
	b := must(spaces.NewBox(0.1, math.MaxUint32, []int{2}, spaces.Double))
	d, err := SpaceToProto(b)
	require.NoError(t, err)
	var m pb.BoxSpace
	require.NoError(t, d.Space.UnmarshalTo(&m))
	assert.LessOrEqual(t, float64(m.Low), 0.1)
	assert.GreaterOrEqual(t, float64(m.High), float64(math.MaxUint32))
	assert.Empty(t, m.Lows)
	assert.Equal(t, []uint32{2}, m.Shape)
	assert.Equal(t, pb.Dtype_DOUBLE, m.Dtype)
	assert.Equal(t, "type.googleapis.com/ns3opengym.BoxSpace", d.Space.TypeUrl)

	// Per-element bounds go to lows/highs, with an enclosing low/high.
	per := must(spaces.NewBoxBounds([]float64{0, -1, 2}, []float64{1, 1, 8}, nil, spaces.Int))
	d, err = SpaceToProto(per)
	require.NoError(t, err)
	require.NoError(t, d.Space.UnmarshalTo(&m))
	assert.Equal(t, []float32{0, -1, 2}, m.Lows)
	assert.Equal(t, []float32{1, 1, 8}, m.Highs)
	assert.Equal(t, float32(-1), m.Low)
	assert.Equal(t, float32(8), m.High)

	// ns3-gym's first example's observation space, as ns3-gym sends it.
	five := must(spaces.NewBox(0, 10, []int{5}, spaces.Uint))
	d, err = SpaceToProto(five)
	require.NoError(t, err)
	assert.Equal(t, pb.SpaceType_Box, d.Type)
	require.NoError(t, d.Space.UnmarshalTo(&m))
	assert.True(t, proto.Equal(&pb.BoxSpace{Low: 0, High: 10, Dtype: pb.Dtype_UINT, Shape: []uint32{5}}, &m))
}

func TestDictKeyOrder(t *testing.T) {
	disc := must(spaces.NewDiscrete(3))
	ds := must(spaces.NewDict([]string{"b", "a"}, []spaces.Space{disc, disc}))
	// A container sorted by key, as ns3-gym's C++ side sends it.
	sorted := dictContainer(t, "a", 1, "b", 2)
	v, err := ValueFromProto(sorted, ds)
	require.NoError(t, err)
	dv := v.(*spaces.DictValue)
	assert.Equal(t, []string{"b", "a"}, dv.Keys, "space order restored")
	// Without a space the wire order is kept.
	v, err = ValueFromProto(sorted, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, v.(*spaces.DictValue).Keys)
	// Encoding keeps netgym's order.
	c, err := ValueToProto(&spaces.DictValue{Keys: []string{"b", "a"}, Values: []spaces.Value{spaces.DiscreteValue(0), spaces.DiscreteValue(1)}})
	require.NoError(t, err)
	var m pb.DictDataContainer
	require.NoError(t, c.Data.UnmarshalTo(&m))
	assert.Equal(t, "b", m.Element[0].Name)
	// Duplicates and unknown keys are errors.
	_, err = ValueFromProto(dictContainer(t, "a", 1, "a", 2), ds)
	assert.ErrorIs(t, err, ErrConvert)
	_, err = ValueFromProto(dictContainer(t, "a", 1, "c", 2), ds)
	assert.ErrorIs(t, err, ErrConvert)
	assert.ErrorIs(t, err, spaces.ErrNotInSpace)
}

func dictContainer(t *testing.T, kv ...any) *pb.DataContainer {
	m := &pb.DictDataContainer{}
	for i := 0; i < len(kv); i += 2 {
		c, err := ValueToProto(spaces.DiscreteValue(kv[i+1].(int)))
		require.NoError(t, err)
		c.Name = kv[i].(string)
		m.Element = append(m.Element, c)
	}
	return container(t, pb.SpaceType_Dict, m)
}

func container(t testing.TB, typ pb.SpaceType, m proto.Message) *pb.DataContainer {
	a, err := anypb.New(m)
	require.NoError(t, err)
	return &pb.DataContainer{Type: typ, Data: a}
}

func TestValueFromProtoAdaptsNs3GymActions(t *testing.T) {
	// ns3-gym's Python agent packs float64 actions as FLOAT with shape
	// [len(action)].
	s := must(spaces.NewBox(-1, 1, []int{2, 2}, spaces.Double))
	c := container(t, pb.SpaceType_Box, &pb.BoxDataContainer{Dtype: pb.Dtype_FLOAT, Shape: []uint32{4}, FloatData: []float32{0.5, -0.5, 1, 0}})
	v, err := ValueFromProto(c, s)
	require.NoError(t, err)
	assert.True(t, spaces.Equal(&spaces.BoxValue{Dtype: spaces.Double, Shape: []int{2, 2}, Doubles: []float64{0.5, -0.5, 1, 0}}, v))
	// No shape at all.
	c = container(t, pb.SpaceType_Box, &pb.BoxDataContainer{Dtype: pb.Dtype_DOUBLE, DoubleData: []float64{0.5, -0.5, 1, 0}})
	_, err = ValueFromProto(c, s)
	require.NoError(t, err)
}

func TestConvertErrors(t *testing.T) {
	disc := must(spaces.NewDiscrete(5))
	big := must(spaces.NewDiscrete(math.MaxInt32 + 1))
	_, err := SpaceToProto(big)
	assert.ErrorIs(t, err, ErrConvert)
	_, err = SpaceToProto(nil)
	assert.ErrorIs(t, err, ErrConvert)
	_, err = ValueToProto(spaces.DiscreteValue(math.MaxInt32 + 1))
	assert.ErrorIs(t, err, ErrConvert)
	_, err = ValueToProto(&spaces.BoxValue{Dtype: spaces.Int, Uints: []uint32{1}})
	assert.ErrorIs(t, err, ErrConvert)
	_, err = ValueToProto(nil)
	assert.ErrorIs(t, err, ErrConvert)

	anyOf := func(m proto.Message) *anypb.Any {
		a, err := anypb.New(m)
		require.NoError(t, err)
		return a
	}
	badSpaces := map[string]*pb.SpaceDescription{
		"nil":             nil,
		"no space":        {Type: pb.SpaceType_Discrete},
		"type mismatch":   {Type: pb.SpaceType_Box, Space: anyOf(&pb.DiscreteSpace{N: 3})},
		"unknown type":    {Type: 9, Space: anyOf(&pb.DiscreteSpace{N: 3})},
		"n zero":          {Type: pb.SpaceType_Discrete, Space: anyOf(&pb.DiscreteSpace{})},
		"no dtype":        {Type: pb.SpaceType_Box, Space: anyOf(&pb.BoxSpace{Shape: []uint32{1}})},
		"low above high":  {Type: pb.SpaceType_Box, Space: anyOf(&pb.BoxSpace{Low: 2, High: 1, Dtype: pb.Dtype_FLOAT, Shape: []uint32{1}})},
		"lows length":     {Type: pb.SpaceType_Box, Space: anyOf(&pb.BoxSpace{Lows: []float32{0, 0}, High: 1, Dtype: pb.Dtype_FLOAT, Shape: []uint32{3}})},
		"NaN bound":       {Type: pb.SpaceType_Box, Space: anyOf(&pb.BoxSpace{Low: float32(math.NaN()), High: 1, Dtype: pb.Dtype_FLOAT, Shape: []uint32{1}})},
		"huge shape":      {Type: pb.SpaceType_Box, Space: anyOf(&pb.BoxSpace{High: 1, Dtype: pb.Dtype_FLOAT, Shape: []uint32{1 << 20, 1 << 20}})},
		"dup dict key":    {Type: pb.SpaceType_Dict, Space: anyOf(&pb.DictSpace{Element: []*pb.SpaceDescription{{Type: pb.SpaceType_Discrete, Space: anyOf(&pb.DiscreteSpace{N: 1}), Name: "k"}, {Type: pb.SpaceType_Discrete, Space: anyOf(&pb.DiscreteSpace{N: 1}), Name: "k"}}})},
		"bad tuple elem":  {Type: pb.SpaceType_Tuple, Space: anyOf(&pb.TupleSpace{Element: []*pb.SpaceDescription{nil}})},
		"wrong type url":  {Type: pb.SpaceType_Discrete, Space: &anypb.Any{TypeUrl: "type.googleapis.com/other.DiscreteSpace"}},
		"garbage payload": {Type: pb.SpaceType_Discrete, Space: &anypb.Any{TypeUrl: "type.googleapis.com/ns3opengym.DiscreteSpace", Value: []byte{0xff}}},
	}
	for name, d := range badSpaces {
		_, err := SpaceFromProto(d)
		assert.ErrorIs(t, err, ErrConvert, name)
	}

	badValues := map[string]*pb.DataContainer{
		"nil":             nil,
		"no data":         {Type: pb.SpaceType_Box},
		"type mismatch":   container(t, pb.SpaceType_Box, &pb.DiscreteDataContainer{Data: 1}),
		"unknown type":    container(t, 7, &pb.DiscreteDataContainer{Data: 1}),
		"no dtype":        container(t, pb.SpaceType_Box, &pb.BoxDataContainer{IntData: []int32{1}}),
		"mixed data":      container(t, pb.SpaceType_Box, &pb.BoxDataContainer{Dtype: pb.Dtype_INT, IntData: []int32{1}, FloatData: []float32{1}}),
		"shape mismatch":  container(t, pb.SpaceType_Box, &pb.BoxDataContainer{Dtype: pb.Dtype_INT, Shape: []uint32{3}, IntData: []int32{1}}),
		"huge shape":      container(t, pb.SpaceType_Box, &pb.BoxDataContainer{Dtype: pb.Dtype_INT, Shape: []uint32{1 << 31, 1 << 31}}),
		"bad tuple elem":  container(t, pb.SpaceType_Tuple, &pb.TupleDataContainer{Element: []*pb.DataContainer{{Type: pb.SpaceType_Discrete}}}),
		"garbage payload": {Type: pb.SpaceType_Discrete, Data: &anypb.Any{TypeUrl: "type.googleapis.com/ns3opengym.DiscreteDataContainer", Value: []byte{0xff}}},
	}
	for name, c := range badValues {
		_, err := ValueFromProto(c, nil)
		assert.ErrorIs(t, err, ErrConvert, name)
	}

	// Values outside the space.
	c, err := ValueToProto(spaces.DiscreteValue(7))
	require.NoError(t, err)
	_, err = ValueFromProto(c, disc)
	assert.ErrorIs(t, err, ErrConvert)
	assert.ErrorIs(t, err, spaces.ErrNotInSpace)
	assert.Contains(t, err.Error(), "outside 0..4")
}

func TestDeepNestingIsRejected(t *testing.T) {
	c, err := ValueToProto(spaces.DiscreteValue(1))
	require.NoError(t, err)
	for range spaces.MaxDepth + 1 {
		c = container(t, pb.SpaceType_Tuple, &pb.TupleDataContainer{Element: []*pb.DataContainer{c}})
	}
	_, err = ValueFromProto(c, nil)
	assert.True(t, errors.Is(err, ErrConvert), "%v", err)
}
