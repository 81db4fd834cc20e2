package spaces

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValueStrings(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{DiscreteValue(-3), "-3"},
		{IntBox(1, -2), "[1 -2]"},
		{UintBox(4294967295), "[4294967295]"},
		{FloatBox(0.1, 2), "[0.1 2]"},
		{DoubleBox(0.1, math.Inf(-1)), "[0.1 -Inf]"},
		{&BoxValue{Dtype: Int, Shape: []int{2, 2}, Ints: []int32{1, 2, 3, 4}}, "[1 2 3 4] shape [2 2]"},
		{&BoxValue{Dtype: Double, Shape: []int{}, Doubles: []float64{5}}, "[5] shape []"},
		{&BoxValue{Dtype: Uint, Uints: []uint32{7}}, "[7]"},
		{(*BoxValue)(nil), "<nil>"},
		{NewTupleValue(DiscreteValue(3), IntBox(1, 2), nil), "(3, [1 2], <nil>)"},
		{(*TupleValue)(nil), "<nil>"},
		{NewDictValue().Set("obs", IntBox(1, 2)).Set("hint", DiscreteValue(4)), "{obs: [1 2], hint: 4}"},
		{(*DictValue)(nil), "<nil>"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.v.String())
	}
	assert.Equal(t, KindDiscrete, DiscreteValue(1).Kind())
	assert.Equal(t, KindBox, IntBox().Kind())
	assert.Equal(t, KindTuple, NewTupleValue().Kind())
	assert.Equal(t, KindDict, NewDictValue().Kind())
}

func TestBoxValueAccessors(t *testing.T) {
	tests := []struct {
		v    *BoxValue
		want []float64
	}{
		{IntBox(-1, 2), []float64{-1, 2}},
		{UintBox(3), []float64{3}},
		{FloatBox(0.5), []float64{0.5}},
		{DoubleBox(1e300, -2), []float64{1e300, -2}},
		{&BoxValue{Dtype: 0, Ints: []int32{1}}, nil},
		{nil, nil},
	}
	for _, tc := range tests {
		require.Equal(t, len(tc.want), tc.v.Len())
		for i, w := range tc.want {
			assert.Equal(t, w, tc.v.At(i))
		}
		assert.True(t, math.IsNaN(tc.v.At(len(tc.want))))
		assert.True(t, math.IsNaN(tc.v.At(-1)))
	}
}

func TestDictValueSetGet(t *testing.T) {
	d := NewDictValue().Set("a", DiscreteValue(1)).Set("b", DiscreteValue(2))
	d.Set("a", DiscreteValue(3))
	assert.Equal(t, []string{"a", "b"}, d.Keys, "replacing keeps the order")
	v, ok := d.Get("a")
	assert.True(t, ok)
	assert.Equal(t, Value(DiscreteValue(3)), v)
	_, ok = d.Get("c")
	assert.False(t, ok)
	assert.Equal(t, 2, d.Len())

	// A hand-built value with more keys than values loses the extra keys.
	odd := &DictValue{Keys: []string{"x", "y"}, Values: []Value{DiscreteValue(1)}}
	_, ok = odd.Get("y")
	assert.False(t, ok)
	odd.Set("z", DiscreteValue(2))
	assert.Equal(t, []string{"x", "z"}, odd.Keys)
	assert.Len(t, odd.Values, 2)
	var nilDict *DictValue
	assert.Equal(t, 0, nilDict.Len())
}

func TestEqual(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		a, b Value
		want bool
	}{
		{"nil nil", nil, nil, true},
		{"nil vs discrete", nil, DiscreteValue(0), false},
		{"discrete", DiscreteValue(2), DiscreteValue(2), true},
		{"discrete differ", DiscreteValue(2), DiscreteValue(3), false},
		{"kinds differ", DiscreteValue(2), IntBox(2), false},
		{"box", IntBox(1, 2), IntBox(1, 2), true},
		{"box nil shape", IntBox(1, 2), &BoxValue{Dtype: Int, Ints: []int32{1, 2}}, true},
		{"box shape", IntBox(1, 2), &BoxValue{Dtype: Int, Shape: []int{1, 2}, Ints: []int32{1, 2}}, false},
		{"box dtype", IntBox(1), UintBox(1), false},
		{"box element", UintBox(1), UintBox(2), false},
		{"float NaN", FloatBox(float32(nan)), FloatBox(float32(nan)), true},
		{"float differ", FloatBox(1), FloatBox(float32(nan)), false},
		{"double NaN", DoubleBox(nan, 1), DoubleBox(nan, 1), true},
		{"double differ", DoubleBox(0), DoubleBox(1), false},
		{"nil boxes", (*BoxValue)(nil), (*BoxValue)(nil), true},
		{"nil box vs box", (*BoxValue)(nil), IntBox(), false},
		{"tuple", NewTupleValue(DiscreteValue(1), nil), NewTupleValue(DiscreteValue(1), nil), true},
		{"tuple length", NewTupleValue(DiscreteValue(1)), NewTupleValue(), false},
		{"tuple element", NewTupleValue(DiscreteValue(1)), NewTupleValue(DiscreteValue(2)), false},
		{"nil tuple", (*TupleValue)(nil), NewTupleValue(), false},
		{"dict order", NewDictValue().Set("a", DiscreteValue(1)).Set("b", DiscreteValue(2)),
			NewDictValue().Set("b", DiscreteValue(2)).Set("a", DiscreteValue(1)), true},
		{"dict value", NewDictValue().Set("a", DiscreteValue(1)), NewDictValue().Set("a", DiscreteValue(2)), false},
		{"dict key", NewDictValue().Set("a", DiscreteValue(1)), NewDictValue().Set("b", DiscreteValue(1)), false},
		{"dict length", NewDictValue().Set("a", DiscreteValue(1)), NewDictValue(), false},
		{"nil dicts", (*DictValue)(nil), (*DictValue)(nil), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Equal(tc.a, tc.b))
			assert.Equal(t, tc.want, Equal(tc.b, tc.a), "symmetric")
		})
	}
}

func TestClone(t *testing.T) {
	for name, v := range sampleValues() {
		c := Clone(v)
		assert.True(t, Equal(v, c), name)
	}
	orig := NewDictValue().
		Set("box", &BoxValue{Dtype: Int, Shape: []int{2}, Ints: []int32{1, 2}}).
		Set("t", NewTupleValue(FloatBox(1)))
	c := Clone(orig).(*DictValue)
	c.Values[0].(*BoxValue).Ints[0] = 9
	c.Values[0].(*BoxValue).Shape[0] = 9
	c.Values[1].(*TupleValue).Elements[0].(*BoxValue).Floats[0] = 9
	c.Keys[0] = "changed"
	assert.Equal(t, "{box: [1 2], t: ([1])}", orig.String())

	self := NewTupleValue(nil)
	self.Elements[0] = self
	assert.NotNil(t, Clone(self), "a cycle is cut, not followed forever")
	assert.Nil(t, Clone(nil))
	assert.Equal(t, (*BoxValue)(nil), Clone((*BoxValue)(nil)))
}
