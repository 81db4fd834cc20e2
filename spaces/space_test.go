package spaces

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 42)) }

func mustBox(t testing.TB, low, high float64, shape []int, d Dtype) *Box {
	t.Helper()
	b, err := NewBox(low, high, shape, d)
	require.NoError(t, err)
	return b
}

func mustBounds(t testing.TB, low, high []float64, shape []int, d Dtype) *Box {
	t.Helper()
	b, err := NewBoxBounds(low, high, shape, d)
	require.NoError(t, err)
	return b
}

func mustDiscrete(t testing.TB, n int64) *Discrete {
	t.Helper()
	d, err := NewDiscrete(n)
	require.NoError(t, err)
	return d
}

func mustDict(t testing.TB, keys []string, sp ...Space) *Dict {
	t.Helper()
	d, err := NewDict(keys, sp)
	require.NoError(t, err)
	return d
}

func mustTuple(t testing.TB, sp ...Space) *Tuple {
	t.Helper()
	tu, err := NewTuple(sp...)
	require.NoError(t, err)
	return tu
}

func TestKindAndDtypeStrings(t *testing.T) {
	assert.Equal(t, "Discrete", KindDiscrete.String())
	assert.Equal(t, "Box", KindBox.String())
	assert.Equal(t, "Tuple", KindTuple.String())
	assert.Equal(t, "Dict", KindDict.String())
	assert.Equal(t, "Kind(9)", Kind(9).String())
	assert.Equal(t, "int32", Int.String())
	assert.Equal(t, "uint32", Uint.String())
	assert.Equal(t, "float32", Float.String())
	assert.Equal(t, "float64", Double.String())
	assert.Equal(t, "Dtype(0)", Dtype(0).String())
	assert.False(t, Dtype(5).Valid())
}

func TestNewDiscrete(t *testing.T) {
	tests := []struct {
		n       int64
		wantErr string
	}{
		{n: 1},
		{n: 10},
		{n: math.MaxInt64},
		{n: 0, wantErr: "spaces: Discrete(0): n must be at least 1"},
		{n: -3, wantErr: "spaces: Discrete(-3): n must be at least 1"},
	}
	for _, tc := range tests {
		d, err := NewDiscrete(tc.n)
		if tc.wantErr != "" {
			assert.EqualError(t, err, tc.wantErr)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tc.n, d.N())
		assert.Equal(t, KindDiscrete, d.Kind())
	}
}

func TestDiscreteContains(t *testing.T) {
	d := mustDiscrete(t, 10)
	tests := []struct {
		v       Value
		wantErr string
	}{
		{v: DiscreteValue(0)},
		{v: DiscreteValue(9)},
		{v: DiscreteValue(10), wantErr: "discrete value 10 outside 0..9"},
		{v: DiscreteValue(-1), wantErr: "discrete value -1 outside 0..9"},
		{v: nil, wantErr: "discrete space got a nil value"},
		{v: IntBox(1), wantErr: "discrete space got a box value"},
	}
	for _, tc := range tests {
		err := d.Contains(tc.v)
		if tc.wantErr == "" {
			assert.NoError(t, err)
			continue
		}
		assert.EqualError(t, err, tc.wantErr)
		assert.ErrorIs(t, err, ErrNotInSpace)
	}
	assert.Error(t, (&Discrete{}).Contains(DiscreteValue(0)), "a zero Discrete holds nothing")
	assert.Nil(t, (&Discrete{}).Sample(newRand(1)))
	assert.Equal(t, "Discrete(10)", d.String())
}

func TestNewBoxErrors(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name    string
		build   func() (*Box, error)
		wantErr string
	}{
		{"unknown dtype", func() (*Box, error) { return NewBox(0, 1, nil, 0) },
			"spaces: box dtype Dtype(0) is not Int, Uint, Float or Double"},
		{"negative dim", func() (*Box, error) { return NewBox(0, 1, []int{2, -1}, Float) },
			"spaces: box shape [2 -1]: dimension 1 is negative"},
		{"too many elements", func() (*Box, error) { return NewBox(0, 1, []int{1 << 13, 1 << 13}, Float) },
			"spaces: box shape [8192 8192] has more than 16777216 elements"},
		{"rank", func() (*Box, error) { return NewBox(0, 1, make([]int, MaxRank+1), Float) },
			"spaces: box shape has 33 dimensions, more than 32"},
		{"low > high", func() (*Box, error) { return NewBox(5, 3, []int{2}, Double) },
			"spaces: box element 0: low 5 above high 3"},
		{"NaN low", func() (*Box, error) { return NewBox(math.NaN(), 3, []int{2}, Double) },
			"spaces: box low[0] is NaN"},
		{"NaN high element", func() (*Box, error) {
			return NewBoxBounds([]float64{0, 0}, []float64{1, math.NaN()}, nil, Double)
		}, "spaces: box high[1] is NaN"},
		{"bounds count", func() (*Box, error) {
			return NewBoxBounds([]float64{0, 0, 0}, []float64{1}, []int{2}, Float)
		}, "spaces: box low has 3 bounds, shape [2] needs 1 or 2"},
		{"per element low > high", func() (*Box, error) {
			return NewBoxBounds([]float64{0, 4, 0}, []float64{1, 3, 1}, nil, Float)
		}, "spaces: box element 1: low 4 above high 3"},
		{"no integer", func() (*Box, error) { return NewBox(0.2, 0.7, nil, Int) },
			"spaces: box element 0: no int32 in [0.2, 0.7]"},
		{"uint below zero", func() (*Box, error) { return NewBox(-5, -1, nil, Uint) },
			"spaces: box element 0: no uint32 in [-5, -1]"},
		{"int above range", func() (*Box, error) { return NewBox(3e9, inf, nil, Int) },
			"spaces: box element 0: no int32 in [3e+09, +Inf]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.build()
			assert.Nil(t, b)
			assert.EqualError(t, err, tc.wantErr)
		})
	}
}

func TestNewBoxShapes(t *testing.T) {
	b := mustBox(t, 0, 10, nil, Uint)
	assert.Equal(t, []int{1}, b.Shape(), "scalar bounds without a shape: [1] as Gymnasium")
	assert.Equal(t, 1, b.Size())

	s := mustBox(t, 0, 10, []int{}, Double)
	assert.Equal(t, []int{}, s.Shape(), "empty shape is a scalar")
	assert.Equal(t, 1, s.Size())

	p := mustBounds(t, []float64{0, -1, 2}, []float64{1, 1, 3}, nil, Float)
	assert.Equal(t, []int{3}, p.Shape(), "per-element bounds without a shape: [len(low)]")
	lo, hi := p.Bounds()
	assert.Equal(t, []float64{0, -1, 2}, lo)
	assert.Equal(t, []float64{1, 1, 3}, hi)
	_, _, ok := p.ScalarBounds()
	assert.False(t, ok)
	assert.Equal(t, "Box([0 -1 2], [1 1 3], [3], float32)", p.String())

	m := mustBounds(t, []float64{-1}, []float64{1, 2, 3, 4, 5, 6}, []int{2, 3}, Int)
	assert.Equal(t, 6, m.Size())
	assert.Equal(t, -1.0, m.LowAt(5))
	assert.Equal(t, 6.0, m.HighAt(5))
	assert.True(t, math.IsNaN(m.HighAt(6)))
	assert.True(t, math.IsNaN(m.LowAt(-1)))

	u := mustBox(t, 0, 10, []int{5}, Uint)
	lo1, hi1, ok := u.ScalarBounds()
	assert.True(t, ok)
	assert.Equal(t, [2]float64{0, 10}, [2]float64{lo1, hi1})
	assert.Equal(t, "Box(0, 10, [5], uint32)", u.String())
	assert.Equal(t, Uint, u.Dtype())
	assert.Equal(t, KindBox, u.Kind())

	// The constructor copies its slices.
	shape, low := []int{2}, []float64{0, 0}
	c := mustBounds(t, low, []float64{1, 1}, shape, Double)
	shape[0], low[0] = 7, 9
	assert.Equal(t, []int{2}, c.Shape())
	assert.Equal(t, 0.0, c.LowAt(0))

	e := mustBounds(t, nil, nil, []int{0}, Double)
	assert.Equal(t, 0, e.Size())
	assert.NoError(t, e.Contains(DoubleBox()))
}

func TestBoxContains(t *testing.T) {
	u := mustBox(t, 0, 10, []int{5}, Uint)
	i := mustBounds(t, []float64{-5, 0}, []float64{5, 0}, nil, Int)
	f := mustBox(t, 0.1, 0.3, []int{2}, Float)
	d := mustBox(t, math.Inf(-1), 1, []int{2, 2}, Double)
	tests := []struct {
		name    string
		space   *Box
		v       Value
		wantErr string
	}{
		{"fits", u, UintBox(0, 1, 2, 10, 4), ""},
		{"above high", u, UintBox(0, 1, 2, 12, 4), "box element 3 = 12 above high 10"},
		{"below low", i, IntBox(-6, 0), "box element 0 = -6 below low -5"},
		{"per-element high", i, IntBox(0, 1), "box element 1 = 1 above high 0"},
		{"nil shape fits", u, &BoxValue{Dtype: Uint, Uints: []uint32{1, 2, 3, 4, 5}}, ""},
		{"float32 at rounded bounds", f, FloatBox(0.1, 0.3), ""},
		{"float above", f, FloatBox(0.1, 0.5), "box element 1 = 0.5 above high 0.3"},
		{"float NaN", f, FloatBox(float32(math.NaN()), 0.2), "box element 0 is NaN"},
		{"double -Inf", d, &BoxValue{Dtype: Double, Shape: []int{2, 2}, Doubles: []float64{math.Inf(-1), 0, 1, -1e300}}, ""},
		{"double above", d, &BoxValue{Dtype: Double, Shape: []int{2, 2}, Doubles: []float64{0, 0, 1.5, 0}}, "box element 2 = 1.5 above high 1"},
		{"wrong dtype", u, IntBox(1, 2, 3, 4, 5), "box value dtype int32 does not match space dtype uint32"},
		{"wrong shape", d, DoubleBox(0, 0, 0, 0), "box value shape [4] does not match space shape [2 2]"},
		{"wrong count", u, UintBox(1, 2), "box value shape [2] does not match space shape [5]"},
		{"wrong count nil shape", u, &BoxValue{Dtype: Uint, Uints: []uint32{1}}, "box value has 1 elements, space shape [5] needs 5"},
		{"shape vs data", u, &BoxValue{Dtype: Uint, Shape: []int{5}, Uints: []uint32{1}}, "box value is malformed: box value shape [5] needs 5 elements, it holds 1"},
		{"mixed slices", u, &BoxValue{Dtype: Uint, Uints: []uint32{1, 2, 3, 4, 5}, Floats: []float32{1}}, "box value is malformed: box value of dtype uint32 also holds 1 float32 elements"},
		{"not a box", u, DiscreteValue(3), "box space got a discrete value"},
		{"nil box", u, (*BoxValue)(nil), "box space got a nil box value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.space.Contains(tc.v)
			if tc.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tc.wantErr)
			assert.ErrorIs(t, err, ErrNotInSpace)
		})
	}
	assert.Error(t, (&Box{}).Contains(&BoxValue{}), "a zero Box contains nothing")
	assert.Equal(t, "Box([], [], [], Dtype(0))", (&Box{}).String())
	_, _, ok := (&Box{}).ScalarBounds()
	assert.False(t, ok)
	assert.Nil(t, (&Box{}).Sample(newRand(1)))
}

func TestTupleAndDict(t *testing.T) {
	obs := mustBox(t, 0, 10, []int{5}, Uint)
	act := mustDiscrete(t, 4)
	tu := mustTuple(t, act, obs)
	di := mustDict(t, []string{"obs", "act", "pair"}, obs, act, tu)

	assert.Equal(t, 2, tu.Len())
	assert.Equal(t, Space(act), tu.At(0))
	assert.Nil(t, tu.At(2))
	assert.Equal(t, []string{"obs", "act", "pair"}, di.Keys())
	k, s := di.At(1)
	assert.Equal(t, "act", k)
	assert.Equal(t, Space(act), s)
	k, s = di.At(3)
	assert.Equal(t, "", k)
	assert.Nil(t, s)
	got, ok := di.Get("obs")
	assert.True(t, ok)
	assert.Equal(t, Space(obs), got)
	_, ok = di.Get("nope")
	assert.False(t, ok)
	assert.Equal(t, `Dict("obs": Box(0, 10, [5], uint32), "act": Discrete(4), "pair": Tuple(Discrete(4), Box(0, 10, [5], uint32)))`, di.String())

	good := func() *DictValue {
		return NewDictValue().
			Set("pair", NewTupleValue(DiscreteValue(1), UintBox(1, 2, 3, 4, 5))).
			Set("act", DiscreteValue(3)).
			Set("obs", UintBox(0, 0, 0, 0, 0))
	}
	tests := []struct {
		name    string
		v       Value
		wantErr string
	}{
		{"fits, keys in another order", good(), ""},
		{"nested element", good().Set("pair", NewTupleValue(DiscreteValue(1), UintBox(1, 2, 3, 12, 5))),
			`dict key "pair": tuple element 1: box element 3 = 12 above high 10`},
		{"missing key", &DictValue{Keys: []string{"obs", "act", "x"}, Values: []Value{UintBox(0, 0, 0, 0, 0), DiscreteValue(0), DiscreteValue(0)}},
			`dict value has key "x", which the space does not have`},
		{"too few keys", NewDictValue().Set("obs", UintBox(0, 0, 0, 0, 0)), `dict value lacks key "act"`},
		{"duplicate key", &DictValue{Keys: []string{"obs", "obs", "act"}, Values: []Value{UintBox(0, 0, 0, 0, 0), UintBox(0, 0, 0, 0, 0), DiscreteValue(0)}},
			`dict value has key "obs" twice`},
		{"keys and values", &DictValue{Keys: []string{"obs"}}, "dict value has 1 keys and 0 values"},
		{"tuple length", good().Set("pair", NewTupleValue(DiscreteValue(1))), `dict key "pair": tuple value has 1 elements, space has 2`},
		{"tuple wrong kind", good().Set("pair", DiscreteValue(1)), `dict key "pair": tuple space got a discrete value`},
		{"not a dict", NewTupleValue(), "dict space got a tuple value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := di.Contains(tc.v)
			if tc.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tc.wantErr)
			assert.ErrorIs(t, err, ErrNotInSpace)
		})
	}
}

func TestTupleDictErrors(t *testing.T) {
	d := mustDiscrete(t, 2)
	_, err := NewTuple(d, nil)
	assert.EqualError(t, err, "spaces: tuple element 1 is nil")
	_, err = NewTuple((*Box)(nil))
	assert.EqualError(t, err, "spaces: tuple element 0 is nil")
	_, err = NewDict([]string{"a"}, nil)
	assert.EqualError(t, err, "spaces: dict has 1 keys and 0 spaces")
	_, err = NewDict([]string{"a", "a"}, []Space{d, d})
	assert.EqualError(t, err, `spaces: dict key "a" appears twice`)
	_, err = NewDict([]string{"a"}, []Space{(*Dict)(nil)})
	assert.EqualError(t, err, `spaces: dict key "a" has a nil space`)
	_, err = NewDict([]string{"\xff"}, []Space{d})
	assert.EqualError(t, err, `spaces: dict key "\xff" is not valid UTF-8`)

	var s Space = d
	for range MaxDepth - 1 {
		s = mustTuple(t, s)
	}
	_, err = NewTuple(s)
	assert.EqualError(t, err, "spaces: tuple nests deeper than 64 levels")
	_, err = NewDict([]string{"deep"}, []Space{s})
	assert.EqualError(t, err, "spaces: dict nests deeper than 64 levels")

	empty := mustTuple(t)
	assert.NoError(t, empty.Contains(NewTupleValue()))
	assert.Equal(t, "Tuple()", empty.String())
}

func TestSampleIsContained(t *testing.T) {
	inf := math.Inf(1)
	spaces := []Space{
		mustDiscrete(t, 1),
		mustDiscrete(t, 7),
		mustBox(t, 0, 10, []int{5}, Uint),
		mustBox(t, math.Inf(-1), inf, []int{3}, Uint),
		mustBox(t, math.Inf(-1), inf, []int{3}, Int),
		mustBox(t, -2.5, 2.5, []int{2, 3}, Int),
		mustBox(t, 0.1, 0.3, []int{4}, Float),
		mustBox(t, -math.MaxFloat64, math.MaxFloat64, []int{4}, Double),
		mustBox(t, -math.MaxFloat32, math.MaxFloat32, []int{4}, Float),
		mustBox(t, math.Inf(-1), inf, []int{3}, Double),
		mustBounds(t, []float64{0, math.Inf(-1), 5, 1}, []float64{inf, 0, 5, 1.0000001}, nil, Float),
		mustBox(t, 3, 3, []int{}, Double),
		mustTuple(t, mustDiscrete(t, 2), mustBox(t, 0, 1, nil, Double)),
		mustDict(t, []string{"a", "b"}, mustDiscrete(t, 3), mustTuple(t)),
	}
	r := newRand(7)
	for _, s := range spaces {
		for range 200 {
			v := s.Sample(r)
			require.NoError(t, s.Contains(v), "%v sampled %v", s, v)
		}
		assert.Nil(t, s.Sample(nil), "%v with a nil rand", s)
	}
}

func TestSampleDeterministicAndUniform(t *testing.T) {
	s := mustDict(t, []string{"x", "y"}, mustBox(t, 0, 1, []int{3}, Float), mustDiscrete(t, 5))
	a, b := newRand(3), newRand(3)
	for range 20 {
		require.True(t, Equal(s.Sample(a), s.Sample(b)))
	}

	d := mustDiscrete(t, 4)
	box := mustBox(t, -1, 2, nil, Int)
	r := newRand(11)
	var dc [4]int
	var bc [4]int
	const n = 40000
	for range n {
		dc[d.Sample(r).(DiscreteValue)]++
		bc[box.Sample(r).(*BoxValue).Ints[0]+1]++
	}
	for i := range 4 {
		assert.InDelta(t, n/4, dc[i], n/40, "discrete value %d", i)
		assert.InDelta(t, n/4, bc[i], n/40, "int box value %d", i-1)
	}
}

func TestErrorsIsThroughWrapping(t *testing.T) {
	di := mustDict(t, []string{"a"}, mustDiscrete(t, 2))
	err := di.Contains(NewDictValue().Set("a", DiscreteValue(5)))
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrNotInSpace))
	assert.False(t, errors.Is(err, ErrMalformed))
}
