package spaces

import (
	"encoding/hex"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleValues() map[string]Value {
	return map[string]Value{
		"discrete 0":        DiscreteValue(0),
		"discrete 7":        DiscreteValue(7),
		"discrete negative": DiscreteValue(-1),
		"discrete max":      DiscreteValue(math.MaxInt64),
		"discrete min":      DiscreteValue(math.MinInt64),
		"int box":           IntBox(-1, 0, 1, math.MaxInt32, math.MinInt32),
		"uint box":          UintBox(0, 10, 300, math.MaxUint32),
		"float box":         FloatBox(1.5, float32(math.Inf(-1)), float32(math.NaN()), -0),
		"double box":        DoubleBox(math.Pi, math.SmallestNonzeroFloat64, math.Inf(1)),
		"2x3 box":           &BoxValue{Dtype: Int, Shape: []int{2, 3}, Ints: []int32{1, 2, 3, 4, 5, 6}},
		"scalar box":        &BoxValue{Dtype: Double, Shape: []int{}, Doubles: []float64{2}},
		"empty box":         &BoxValue{Dtype: Uint, Shape: []int{0, 4}},
		"empty tuple":       NewTupleValue(),
		"empty dict":        NewDictValue(),
		"nested": NewDictValue().
			Set("obs", UintBox(1, 2, 3, 4, 5)).
			Set("ünï", NewTupleValue(DiscreteValue(3), NewDictValue().Set("", FloatBox()))).
			Set("reward", DoubleBox(-0.25)),
	}
}

func TestRoundTrip(t *testing.T) {
	for name, v := range sampleValues() {
		t.Run(name, func(t *testing.T) {
			b, err := Encode(v)
			require.NoError(t, err)
			n, err := EncodedSize(v)
			require.NoError(t, err)
			assert.Equal(t, len(b), n, "EncodedSize is the encoding's length")
			require.NoError(t, Validate(v))

			got, err := Decode(nil, b)
			require.NoError(t, err)
			assert.True(t, Equal(v, got), "decoded %v, want %v", got, v)

			again, err := Encode(got)
			require.NoError(t, err)
			assert.Equal(t, b, again, "the encoding is canonical")
		})
	}
}

func TestEncodingGolden(t *testing.T) {
	tests := []struct {
		name string
		v    Value
		hex  string
	}{
		{"discrete 7", DiscreteValue(7), "010e"},
		{"discrete -1", DiscreteValue(-1), "0101"},
		{"discrete 300", DiscreteValue(300), "01d804"},
		// 0x22 = box | Uint<<4; rank 1; dim 5; five uvarints.
		{"five uint32", UintBox(0, 1, 2, 3, 10), "2201050001020 30a"},
		// 0x12 = box | Int<<4; zig-zag elements.
		{"int32 -1 1", IntBox(-1, 1), "1201020102"},
		// 0x32 = box | Float<<4; 1.0 = 0x3f800000 little-endian.
		{"float32 1", FloatBox(1), "32010100 00803f"},
		{"double scalar", &BoxValue{Dtype: Double, Shape: []int{}, Doubles: []float64{1}}, "4200 000000000000f03f"},
		{"nil shape is 1-D", &BoxValue{Dtype: Uint, Uints: []uint32{4}}, "22010104"},
		{"tuple", NewTupleValue(DiscreteValue(1), DiscreteValue(2)), "0302 0102 0104"},
		{"dict", NewDictValue().Set("a", DiscreteValue(1)), "0401 0161 0102"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := hex.DecodeString(strings.ReplaceAll(tc.hex, " ", ""))
			require.NoError(t, err)
			got, err := Encode(tc.v)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestEncodedSizes(t *testing.T) {
	// The sizes a message occupies on a simulated network.
	obs, err := EncodedSize(DiscreteValue(7))
	require.NoError(t, err)
	assert.Equal(t, 2, obs, "a Discrete(10) observation")
	box, err := EncodedSize(UintBox(1, 2, 3, 4, 5))
	require.NoError(t, err)
	assert.Equal(t, 8, box, "ns3-gym's opengym observation: Box of 5 uint32 in [0, 10]")
	f, err := EncodedSize(FloatBox(make([]float32, 100)...))
	require.NoError(t, err)
	assert.Equal(t, 1+1+1+400, f)
	msg, err := EncodedSize(NewDictValue().Set("reward_hint", DoubleBox(3)))
	require.NoError(t, err)
	assert.Equal(t, 1+1+1+11+1+1+1+8, msg)
}

func TestAppendEncode(t *testing.T) {
	dst := []byte{0xaa, 0xbb}
	out, err := AppendEncode(dst, DiscreteValue(7))
	require.NoError(t, err)
	assert.Equal(t, []byte{0xaa, 0xbb, 0x01, 0x0e}, out)

	out2, err := AppendEncode(out, NewTupleValue(nil))
	assert.ErrorIs(t, err, ErrInvalidValue)
	assert.Equal(t, out, out2, "dst unchanged on error")
}

func TestEncodeInvalid(t *testing.T) {
	self := NewTupleValue(nil)
	self.Elements[0] = self
	tests := []struct {
		name    string
		v       Value
		wantErr string
	}{
		{"nil", nil, "spaces: invalid value: nil value"},
		{"nil box", (*BoxValue)(nil), "spaces: invalid value: nil box value"},
		{"nil tuple", (*TupleValue)(nil), "spaces: invalid value: nil tuple value"},
		{"nil dict", (*DictValue)(nil), "spaces: invalid value: nil dict value"},
		{"nil element", NewTupleValue(DiscreteValue(1), nil), "spaces: invalid value: tuple element 1: nil value"},
		{"unknown dtype", &BoxValue{Dtype: 9}, "spaces: invalid value: box value dtype Dtype(9) is not Int, Uint, Float or Double"},
		{"shape mismatch", &BoxValue{Dtype: Int, Shape: []int{3}, Ints: []int32{1}}, "spaces: invalid value: box value shape [3] needs 3 elements, it holds 1"},
		{"negative dim", &BoxValue{Dtype: Int, Shape: []int{-1}}, "spaces: invalid value: box shape [-1]: dimension 0 is negative"},
		{"mixed", &BoxValue{Dtype: Int, Ints: []int32{1}, Doubles: []float64{1}}, "spaces: invalid value: box value of dtype int32 also holds 1 float64 elements"},
		{"keys vs values", &DictValue{Keys: []string{"a", "b"}, Values: []Value{DiscreteValue(1)}}, "spaces: invalid value: dict value has 2 keys and 1 values"},
		{"duplicate key", &DictValue{Keys: []string{"a", "a"}, Values: []Value{DiscreteValue(1), DiscreteValue(2)}}, `spaces: invalid value: dict key "a" appears twice`},
		{"bad utf-8", NewDictValue().Set("\xc3", DiscreteValue(1)), `spaces: invalid value: dict key "\xc3" is not valid UTF-8`},
		{"nested", NewDictValue().Set("x", NewTupleValue(&BoxValue{Dtype: 0})), `spaces: invalid value: dict key "x": tuple element 0: box value dtype Dtype(0) is not Int, Uint, Float or Double`},
		{"cycle", self, "spaces: invalid value: " + strings.Repeat("tuple element 0: ", MaxDepth) + "nesting deeper than 64 levels"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Encode(tc.v)
			assert.EqualError(t, err, tc.wantErr)
			assert.ErrorIs(t, err, ErrInvalidValue)
			_, err = EncodedSize(tc.v)
			assert.ErrorIs(t, err, ErrInvalidValue)
			assert.Error(t, Validate(tc.v))
		})
	}

	many := NewDictValue()
	for i := range 40 {
		many.Set(string(rune('A'+i)), DiscreteValue(i))
	}
	require.NoError(t, Validate(many))
	many.Keys[39] = "A"
	assert.EqualError(t, Validate(many), `dict key "A" appears twice`)
}

func TestDecodeMalformed(t *testing.T) {
	tests := []struct {
		name    string
		hex     string
		wantErr string
	}{
		{"empty", "", "at byte 0: truncated: missing value"},
		{"unknown kind", "07", "at byte 0: header byte 0x07: unknown kind 7"},
		{"kind 0", "00", "at byte 0: header byte 0x00: unknown kind 0"},
		{"dtype on discrete", "1100", "at byte 0: header byte 0x11: only a box has a dtype"},
		{"bad dtype", "5201 01 00", "at byte 0: header byte 0x52: unknown box dtype 5"},
		{"truncated varint", "0180", "at byte 1: truncated discrete value"},
		{"non-minimal varint", "018000", "at byte 1: discrete value is not a minimal varint"},
		{"varint overflow", "01ffffffffffffffffff7f", "at byte 1: discrete value overflows 64 bits"},
		{"trailing", "010e00", "at byte 2: 1 trailing bytes after the value"},
		{"rank", "2221", "at byte 1: box rank 33 exceeds 32"},
		{"huge dim", "2201 ffffffff0f", "at byte 2: box dimension 4294967295 exceeds 16777216"},
		{"huge shape", "2202 8080 80 08 8080 80 08", "at byte 10: box shape [16777216 16777216] has more than 16777216 elements"},
		{"elements missing", "3201 0300000000", "at byte 3: box of 3 float32 elements needs at least 12 bytes, 4 left"},
		{"int32 overflow", "1201 01 8080808010", "at byte 8: int32 element 0 = 2147483648 out of range"},
		{"uint32 overflow", "2201 01 8080808010", "at byte 8: uint32 element 0 = 4294967296 out of range"},
		{"tuple too long", "0305 0100", "at byte 1: tuple length 5 needs at least 10 bytes, 2 left"},
		{"tuple truncated", "0302 0100 0180", "at byte 5: truncated discrete value"},
		{"dict key length", "0401 05 61 0000", "at byte 2: dict key length 5 needs at least 5 bytes, 3 left"},
		{"dict bad key", "0401 01 ff 0100", `at byte 3: dict key "\xff" is not valid UTF-8`},
		{"dict too long", "0405 0161 0100", "at byte 1: dict length 5 needs at least 15 bytes, 4 left"},
		{"dict dup key", "0402 0161 0100 0161 0100", `at byte 7: dict key "a" appears twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := hex.DecodeString(strings.ReplaceAll(tc.hex, " ", ""))
			require.NoError(t, err)
			v, err := Decode(nil, data)
			assert.Nil(t, v)
			assert.EqualError(t, err, "spaces: malformed encoding: "+tc.wantErr)
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}

	deep := strings.Repeat("0301", MaxDepth) + "0100"
	data, _ := hex.DecodeString(deep)
	_, err := Decode(nil, data)
	assert.EqualError(t, err, "spaces: malformed encoding: at byte 128: nesting deeper than 64 levels")

	many := make([]byte, 0, 2+3*40)
	many = append(many, 0x04, 40)
	for range 40 {
		many = append(many, 1, 'k', 0x01, 0x00)
	}
	_, err = Decode(nil, many)
	assert.EqualError(t, err, `spaces: malformed encoding: at byte 7: dict key "k" appears twice`)
}

func TestDecodeWithSpace(t *testing.T) {
	space := mustBox(t, 0, 10, []int{5}, Uint)
	b, err := Encode(UintBox(1, 2, 3, 12, 5))
	require.NoError(t, err)
	_, err = Decode(space, b)
	assert.EqualError(t, err, "spaces: decoded value not in Box(0, 10, [5], uint32): box element 3 = 12 above high 10")
	assert.ErrorIs(t, err, ErrNotInSpace)

	b, err = Encode(UintBox(1, 2, 3, 4, 5))
	require.NoError(t, err)
	v, err := Decode(space, b)
	require.NoError(t, err)
	assert.Equal(t, "[1 2 3 4 5]", v.String())

	v, err = Decode((*Box)(nil), b)
	require.NoError(t, err, "a nil space checks nothing")
	assert.NotNil(t, v)
}

func TestDecodeDoesNotAlias(t *testing.T) {
	b, err := Encode(NewDictValue().Set("key", FloatBox(1, 2)))
	require.NoError(t, err)
	v, err := Decode(nil, b)
	require.NoError(t, err)
	for i := range b {
		b[i] = 0xff
	}
	assert.Equal(t, "{key: [1 2]}", v.String())
}

func TestEncodeAllocations(t *testing.T) {
	v := NewDictValue().
		Set("obs", UintBox(1, 2, 3, 4, 5)).
		Set("reward", DoubleBox(0.5)).
		Set("t", NewTupleValue(DiscreteValue(3), FloatBox(1, 2)))
	var vv Value = v
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := EncodedSize(vv); err != nil {
			t.Fatal(err)
		}
		if _, err := AppendEncode(buf[:0], vv); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

func FuzzDecode(f *testing.F) {
	for _, v := range sampleValues() {
		b, err := Encode(v)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{0x04, 0x02, 0x01, 'a', 0x01, 0x00, 0x01, 'a', 0x01, 0x00})
	f.Add([]byte{0x22, 0x02, 0xff, 0xff, 0xff, 0x07, 0x02})
	space := mustDict(f, []string{"obs"}, mustBox(f, 0, 10, []int{5}, Uint))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(nil, data)
		if err != nil {
			require.ErrorIs(t, err, ErrMalformed)
			require.Nil(t, v)
			return
		}
		// Whatever decodes is valid, and encodes back to the same bytes.
		n, err := EncodedSize(v)
		require.NoError(t, err)
		require.Equal(t, len(data), n)
		b, err := Encode(v)
		require.NoError(t, err)
		require.Equal(t, data, b)
		require.True(t, Equal(v, Clone(v)))
		_ = v.String()
		if _, err := Decode(space, data); err != nil {
			require.ErrorIs(t, err, ErrNotInSpace)
		}
	})
}
