package spaces

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Value is an element of a space: a DiscreteValue, *BoxValue, *TupleValue
// or *DictValue (ns3-gym's DataContainer family). Values are plain data;
// whoever holds one may change it, so a value handed to a channel must not
// be modified until it has been delivered (Clone it to keep a copy).
type Value interface {
	// Kind returns the kind of value.
	Kind() Kind
	// String formats the value, e.g. "3", "[1 2 3]", "(3, [1 2])" or
	// "{obs: [1 2], hint: 4}".
	String() string

	isValue()
}

// DiscreteValue is a value of a Discrete space (ns3-gym's
// DiscreteDataContainer).
type DiscreteValue int64

// Kind returns KindDiscrete.
func (v DiscreteValue) Kind() Kind { return KindDiscrete }

func (v DiscreteValue) isValue() {}

// String formats the number.
func (v DiscreteValue) String() string { return strconv.FormatInt(int64(v), 10) }

// BoxValue is a value of a Box space (ns3-gym's BoxDataContainer): an array
// of Dtype elements in row-major order, held in the one slice that matches
// Dtype (Ints for Int, Uints for Uint, Floats for Float, Doubles for
// Double); the other slices must be empty. A nil Shape means one dimension
// of Len elements.
type BoxValue struct {
	Dtype   Dtype
	Shape   []int
	Ints    []int32
	Uints   []uint32
	Floats  []float32
	Doubles []float64
}

// IntBox returns a one-dimensional Int box value holding data (not copied).
func IntBox(data ...int32) *BoxValue {
	return &BoxValue{Dtype: Int, Shape: []int{len(data)}, Ints: data}
}

// UintBox returns a one-dimensional Uint box value holding data (not
// copied).
func UintBox(data ...uint32) *BoxValue {
	return &BoxValue{Dtype: Uint, Shape: []int{len(data)}, Uints: data}
}

// FloatBox returns a one-dimensional Float box value holding data (not
// copied).
func FloatBox(data ...float32) *BoxValue {
	return &BoxValue{Dtype: Float, Shape: []int{len(data)}, Floats: data}
}

// DoubleBox returns a one-dimensional Double box value holding data (not
// copied).
func DoubleBox(data ...float64) *BoxValue {
	return &BoxValue{Dtype: Double, Shape: []int{len(data)}, Doubles: data}
}

// Kind returns KindBox.
func (v *BoxValue) Kind() Kind { return KindBox }

func (v *BoxValue) isValue() {}

// Len returns the number of elements: the length of the slice Dtype
// selects (0 for an unknown dtype or a nil value).
func (v *BoxValue) Len() int {
	if v == nil {
		return 0
	}
	switch v.Dtype {
	case Int:
		return len(v.Ints)
	case Uint:
		return len(v.Uints)
	case Float:
		return len(v.Floats)
	case Double:
		return len(v.Doubles)
	}
	return 0
}

// At returns element i (row-major) as a float64, or NaN if i is out of
// range.
func (v *BoxValue) At(i int) float64 {
	if i < 0 || i >= v.Len() {
		return math.NaN()
	}
	switch v.Dtype {
	case Int:
		return float64(v.Ints[i])
	case Uint:
		return float64(v.Uints[i])
	case Float:
		return float64(v.Floats[i])
	}
	return v.Doubles[i]
}

// validate checks the value's structure (not any bounds).
func (v *BoxValue) validate() error {
	if v == nil {
		return errors.New("nil box value")
	}
	if !v.Dtype.Valid() {
		return fmt.Errorf("box value dtype %v is not Int, Uint, Float or Double", v.Dtype)
	}
	lens := [5]int{0, len(v.Ints), len(v.Uints), len(v.Floats), len(v.Doubles)}
	for d := Int; d <= Double; d++ {
		if d != v.Dtype && lens[d] != 0 {
			return fmt.Errorf("box value of dtype %v also holds %d %v elements", v.Dtype, lens[d], d)
		}
	}
	n := lens[v.Dtype]
	if n > MaxBoxElements {
		return fmt.Errorf("box value has %d elements, more than %d", n, MaxBoxElements)
	}
	if v.Shape == nil {
		return nil
	}
	size, err := shapeSize(v.Shape)
	if err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "spaces: "))
	}
	if size != n {
		return fmt.Errorf("box value shape %v needs %d elements, it holds %d", v.Shape, size, n)
	}
	return nil
}

// String formats the elements, e.g. "[1 2 3]", followed by the shape when
// it is not one-dimensional: "[1 2 3 4 5 6] shape [2 3]".
func (v *BoxValue) String() string {
	if v == nil {
		return "<nil>"
	}
	var b strings.Builder
	b.WriteByte('[')
	for i := range v.Len() {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch v.Dtype {
		case Int:
			b.WriteString(strconv.FormatInt(int64(v.Ints[i]), 10))
		case Uint:
			b.WriteString(strconv.FormatUint(uint64(v.Uints[i]), 10))
		case Float:
			b.WriteString(strconv.FormatFloat(float64(v.Floats[i]), 'g', -1, 32))
		case Double:
			b.WriteString(strconv.FormatFloat(v.Doubles[i], 'g', -1, 64))
		}
	}
	b.WriteByte(']')
	if v.Shape != nil && len(v.Shape) != 1 {
		fmt.Fprintf(&b, " shape %v", v.Shape)
	}
	return b.String()
}

// TupleValue is a value of a Tuple space (ns3-gym's TupleDataContainer).
type TupleValue struct {
	Elements []Value
}

// NewTupleValue returns the tuple of the given values (not copied).
func NewTupleValue(elems ...Value) *TupleValue { return &TupleValue{Elements: elems} }

// Kind returns KindTuple.
func (v *TupleValue) Kind() Kind { return KindTuple }

func (v *TupleValue) isValue() {}

// String formats the elements as "(a, b, ...)".
func (v *TupleValue) String() string {
	if v == nil {
		return "<nil>"
	}
	parts := make([]string, len(v.Elements))
	for i, e := range v.Elements {
		parts[i] = valueString(e)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// DictValue is a value of a Dict space (ns3-gym's DictDataContainer): Keys[i]
// names Values[i]. Keys are unique and keep their order.
type DictValue struct {
	Keys   []string
	Values []Value
}

// NewDictValue returns an empty dict value; add entries with Set.
func NewDictValue() *DictValue { return &DictValue{} }

// Kind returns KindDict.
func (v *DictValue) Kind() Kind { return KindDict }

func (v *DictValue) isValue() {}

// Len returns the number of entries.
func (v *DictValue) Len() int {
	if v == nil {
		return 0
	}
	return min(len(v.Keys), len(v.Values))
}

// Get returns the value of key.
func (v *DictValue) Get(key string) (Value, bool) {
	for i := range v.Len() {
		if v.Keys[i] == key {
			return v.Values[i], true
		}
	}
	return nil, false
}

// Set sets key to x, replacing the value of an existing key in place and
// appending a new key at the end. It returns v, so that calls chain.
func (v *DictValue) Set(key string, x Value) *DictValue {
	for i := range v.Len() {
		if v.Keys[i] == key {
			v.Values[i] = x
			return v
		}
	}
	v.Keys = append(v.Keys[:v.Len()], key)
	v.Values = append(v.Values[:len(v.Keys)-1], x)
	return v
}

// String formats the entries as "{key: value, ...}".
func (v *DictValue) String() string {
	if v == nil {
		return "<nil>"
	}
	parts := make([]string, v.Len())
	for i := range parts {
		parts[i] = v.Keys[i] + ": " + valueString(v.Values[i])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func valueString(v Value) string {
	if v == nil {
		return "<nil>"
	}
	return v.String()
}

// Validate checks a value's structure, whatever space it belongs to: a
// known dtype and a shape that matches the data for boxes, no nil
// elements, as many dict keys as values, unique UTF-8 keys, and the limits
// (MaxDepth, MaxRank, MaxBoxElements). Encode accepts exactly the values
// Validate accepts.
func Validate(v Value) error {
	_, err := sizeOf(v, 0)
	return err
}

// Equal reports whether a and b are the same value: same kind, same
// dtype, shape (a nil Shape counting as one dimension) and elements for
// boxes (NaN equals NaN), same elements in order for tuples, and the same
// keys, in any order, with equal values for dicts.
func Equal(a, b Value) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case DiscreteValue:
		y, ok := b.(DiscreteValue)
		return ok && x == y
	case *BoxValue:
		y, ok := b.(*BoxValue)
		return ok && equalBox(x, y)
	case *TupleValue:
		y, ok := b.(*TupleValue)
		if !ok || x == nil || y == nil {
			return ok && x == y
		}
		if len(x.Elements) != len(y.Elements) {
			return false
		}
		for i := range x.Elements {
			if !Equal(x.Elements[i], y.Elements[i]) {
				return false
			}
		}
		return true
	case *DictValue:
		y, ok := b.(*DictValue)
		if !ok || x == nil || y == nil {
			return ok && x == y
		}
		if x.Len() != y.Len() || len(x.Keys) != len(y.Keys) || len(x.Values) != len(y.Values) {
			return false
		}
		for i := range x.Len() {
			yv, ok := y.Get(x.Keys[i])
			if !ok || !Equal(x.Values[i], yv) {
				return false
			}
		}
		return true
	}
	return false
}

func equalBox(x, y *BoxValue) bool {
	if x == nil || y == nil {
		return x == y
	}
	if x.Dtype != y.Dtype || x.Len() != y.Len() {
		return false
	}
	if !equalInts(effectiveShape(x), effectiveShape(y)) {
		return false
	}
	switch x.Dtype {
	case Int:
		for i := range x.Ints {
			if x.Ints[i] != y.Ints[i] {
				return false
			}
		}
	case Uint:
		for i := range x.Uints {
			if x.Uints[i] != y.Uints[i] {
				return false
			}
		}
	case Float:
		for i := range x.Floats {
			p, q := x.Floats[i], y.Floats[i]
			if p != q && (p == p || q == q) {
				return false
			}
		}
	case Double:
		for i := range x.Doubles {
			p, q := x.Doubles[i], y.Doubles[i]
			if p != q && (p == p || q == q) {
				return false
			}
		}
	}
	return true
}

func effectiveShape(v *BoxValue) []int {
	if v.Shape == nil {
		return []int{v.Len()}
	}
	return v.Shape
}

// Clone returns a deep copy of v: changing one never changes the other.
// Nesting deeper than MaxDepth (only possible for a value that contains
// itself) is cut off with nil.
func Clone(v Value) Value { return clone(v, 0) }

func clone(v Value, depth int) Value {
	if depth >= MaxDepth {
		return nil
	}
	switch x := v.(type) {
	case *BoxValue:
		if x == nil {
			return x
		}
		c := &BoxValue{Dtype: x.Dtype}
		if x.Shape != nil {
			c.Shape = append([]int{}, x.Shape...)
		}
		c.Ints = cloneSlice(x.Ints)
		c.Uints = cloneSlice(x.Uints)
		c.Floats = cloneSlice(x.Floats)
		c.Doubles = cloneSlice(x.Doubles)
		return c
	case *TupleValue:
		if x == nil {
			return x
		}
		c := &TupleValue{Elements: make([]Value, len(x.Elements))}
		for i, e := range x.Elements {
			c.Elements[i] = clone(e, depth+1)
		}
		return c
	case *DictValue:
		if x == nil {
			return x
		}
		c := &DictValue{Keys: append([]string(nil), x.Keys...), Values: make([]Value, len(x.Values))}
		for i, e := range x.Values {
			c.Values[i] = clone(e, depth+1)
		}
		return c
	}
	return v
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// validKey reports whether key may name a dict entry.
func validKey(key string) bool { return utf8.ValidString(key) }
