package spaces

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is the type of a space or value. The numbers are those of ns3-gym's
// SpaceType enum.
type Kind uint8

// Kinds of spaces and values.
const (
	KindDiscrete Kind = 1
	KindBox      Kind = 2
	KindTuple    Kind = 3
	KindDict     Kind = 4
)

// String returns "Discrete", "Box", "Tuple" or "Dict".
func (k Kind) String() string {
	switch k {
	case KindDiscrete:
		return "Discrete"
	case KindBox:
		return "Box"
	case KindTuple:
		return "Tuple"
	case KindDict:
		return "Dict"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Dtype is the element type of a Box. The numbers are those of ns3-gym's
// Dtype enum.
type Dtype uint8

// Element types of a Box.
const (
	Int    Dtype = 1 // int32 (ns3-gym INT)
	Uint   Dtype = 2 // uint32 (ns3-gym UINT)
	Float  Dtype = 3 // float32 (ns3-gym FLOAT)
	Double Dtype = 4 // float64 (ns3-gym DOUBLE)
)

// String returns the Go type the dtype stands for: "int32", "uint32",
// "float32" or "float64".
func (d Dtype) String() string {
	switch d {
	case Int:
		return "int32"
	case Uint:
		return "uint32"
	case Float:
		return "float32"
	case Double:
		return "float64"
	}
	return "Dtype(" + strconv.Itoa(int(d)) + ")"
}

// Valid reports whether d is one of Int, Uint, Float and Double.
func (d Dtype) Valid() bool { return d >= Int && d <= Double }

// Limits on spaces and values, which also bound what Decode allocates.
const (
	// MaxBoxElements is the largest number of elements of a Box.
	MaxBoxElements = 1 << 24
	// MaxRank is the largest number of dimensions of a Box.
	MaxRank = 32
	// MaxDepth is the deepest nesting of tuples and dicts (a Discrete or
	// Box alone has depth 1).
	MaxDepth = 64
)

// ErrNotInSpace is matched (errors.Is) by every error Contains returns.
var ErrNotInSpace = errors.New("value not in space")

type notInSpaceError struct{ msg string }

// Error returns the message.
func (e *notInSpaceError) Error() string { return e.msg }

// Is makes errors.Is(err, ErrNotInSpace) true.
func (e *notInSpaceError) Is(target error) bool { return target == ErrNotInSpace }

func notIn(format string, a ...any) error {
	return &notInSpaceError{msg: fmt.Sprintf(format, a...)}
}

// Space is an OpenGym space: the set of values an observation or action
// may take. Spaces are immutable; the implementations are *Discrete, *Box,
// *Tuple and *Dict, made by their constructors.
type Space interface {
	// Kind returns the kind of space.
	Kind() Kind
	// Contains returns nil if v is in the space, and otherwise an error
	// that says which element is out and why (it matches ErrNotInSpace).
	Contains(v Value) error
	// Sample draws a value uniformly from the space as Gymnasium does
	// (see each implementation). It returns nil if r is nil.
	Sample(r *rand.Rand) Value
	// String describes the space, e.g. "Box(0, 10, [5], uint32)".
	String() string

	isSpace()
}

// Discrete is the space {0, 1, ..., n-1} (Gymnasium's Discrete(n) with
// start 0, ns3-gym's DiscreteSpace).
type Discrete struct {
	n int64
}

// NewDiscrete returns the space {0, ..., n-1}; n must be at least 1.
func NewDiscrete(n int64) (*Discrete, error) {
	if n < 1 {
		return nil, fmt.Errorf("spaces: Discrete(%d): n must be at least 1", n)
	}
	return &Discrete{n: n}, nil
}

// N returns the number of values.
func (d *Discrete) N() int64 { return d.n }

// Kind returns KindDiscrete.
func (d *Discrete) Kind() Kind { return KindDiscrete }

func (d *Discrete) isSpace() {}

// Contains reports whether v is a DiscreteValue in 0..n-1.
func (d *Discrete) Contains(v Value) error {
	x, ok := v.(DiscreteValue)
	if !ok {
		return notIn("discrete space got %s", describe(v))
	}
	if d.n < 1 {
		return notIn("discrete space with n=%d holds no value (use NewDiscrete)", d.n)
	}
	if x < 0 || int64(x) >= d.n {
		return notIn("discrete value %d outside 0..%d", int64(x), d.n-1)
	}
	return nil
}

// Sample draws uniformly from 0..n-1.
func (d *Discrete) Sample(r *rand.Rand) Value {
	if r == nil || d.n < 1 {
		return nil
	}
	return DiscreteValue(r.Int64N(d.n))
}

// String returns "Discrete(n)".
func (d *Discrete) String() string { return "Discrete(" + strconv.FormatInt(d.n, 10) + ")" }

// Box is a (possibly multi-dimensional) array of numbers of one dtype, each
// element within its own closed interval [low, high] (Gymnasium's Box,
// ns3-gym's BoxSpace with DEFIANCE's per-element bounds). Bounds may be
// infinite. For the integer dtypes an element's interval is narrowed to the
// integers it holds and to the dtype's range; for Float the bounds are
// rounded to float32, as Gymnasium stores them in the box's dtype.
type Box struct {
	shape []int
	size  int
	dtype Dtype
	// low and high have one element (the same bound for every element)
	// or size elements.
	low, high []float64
}

// NewBox returns a box of the given shape and dtype whose elements all lie
// in [low, high]. A nil shape means [1], as Gymnasium does for scalar
// bounds; an empty non-nil shape is a scalar (rank 0, one element).
func NewBox(low, high float64, shape []int, dtype Dtype) (*Box, error) {
	if shape == nil {
		shape = []int{1}
	}
	return newBox([]float64{low}, []float64{high}, shape, dtype)
}

// NewBoxBounds returns a box with per-element bounds: low and high hold one
// bound per element, in row-major order, or a single bound for all of them.
// A nil shape means [len(low)].
func NewBoxBounds(low, high []float64, shape []int, dtype Dtype) (*Box, error) {
	if shape == nil {
		shape = []int{len(low)}
	}
	return newBox(append([]float64(nil), low...), append([]float64(nil), high...), shape, dtype)
}

func newBox(low, high []float64, shape []int, dtype Dtype) (*Box, error) {
	if !dtype.Valid() {
		return nil, fmt.Errorf("spaces: box dtype %v is not Int, Uint, Float or Double", dtype)
	}
	size, err := shapeSize(shape)
	if err != nil {
		return nil, err
	}
	for _, b := range [2]struct {
		name string
		v    []float64
	}{{"low", low}, {"high", high}} {
		if len(b.v) != 1 && len(b.v) != size {
			return nil, fmt.Errorf("spaces: box %s has %d bounds, shape %v needs 1 or %d", b.name, len(b.v), shape, size)
		}
		for i, x := range b.v {
			if math.IsNaN(x) {
				return nil, fmt.Errorf("spaces: box %s[%d] is NaN", b.name, i)
			}
		}
	}
	// An empty box may come with empty per-element bounds.
	if len(low) == 0 {
		low = []float64{math.Inf(-1)}
	}
	if len(high) == 0 {
		high = []float64{math.Inf(1)}
	}
	b := &Box{shape: append([]int{}, shape...), size: size, dtype: dtype, low: low, high: high}
	for i := range max(len(low), len(high)) {
		lo, hi := low[min(i, len(low)-1)], high[min(i, len(high)-1)]
		if lo > hi {
			return nil, fmt.Errorf("spaces: box element %d: low %v above high %v", i, lo, hi)
		}
		if dtype == Int || dtype == Uint {
			if ilo, ihi := intInterval(lo, hi, dtype); ilo > ihi {
				return nil, fmt.Errorf("spaces: box element %d: no %v in [%v, %v]", i, dtype, lo, hi)
			}
		}
	}
	return b, nil
}

// shapeSize returns the number of elements of shape, checking the limits.
func shapeSize(shape []int) (int, error) {
	if len(shape) > MaxRank {
		return 0, fmt.Errorf("spaces: box shape has %d dimensions, more than %d", len(shape), MaxRank)
	}
	size := 1
	for i, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("spaces: box shape %v: dimension %d is negative", shape, i)
		}
		if d > MaxBoxElements || (d > 0 && size > MaxBoxElements/d) {
			return 0, fmt.Errorf("spaces: box shape %v has more than %d elements", shape, MaxBoxElements)
		}
		size *= d
	}
	return size, nil
}

// Kind returns KindBox.
func (b *Box) Kind() Kind { return KindBox }

func (b *Box) isSpace() {}

// Shape returns a copy of the box's shape.
func (b *Box) Shape() []int { return append([]int{}, b.shape...) }

// Size returns the number of elements (the product of the shape).
func (b *Box) Size() int { return b.size }

// Dtype returns the element type.
func (b *Box) Dtype() Dtype { return b.dtype }

// LowAt returns the lower bound of element i (row-major), as given to the
// constructor, or NaN if i is out of range.
func (b *Box) LowAt(i int) float64 { return boundAt(b.low, b.size, i) }

// HighAt returns the upper bound of element i (row-major), as given to the
// constructor, or NaN if i is out of range.
func (b *Box) HighAt(i int) float64 { return boundAt(b.high, b.size, i) }

func boundAt(v []float64, size, i int) float64 {
	switch {
	case i < 0 || i >= size || len(v) == 0:
		return math.NaN()
	case len(v) == 1:
		return v[0]
	}
	return v[i]
}

// Bounds returns the per-element bounds in row-major order (new slices).
func (b *Box) Bounds() (low, high []float64) {
	low, high = make([]float64, b.size), make([]float64, b.size)
	for i := range b.size {
		low[i], high[i] = b.LowAt(i), b.HighAt(i)
	}
	return low, high
}

// ScalarBounds returns the bounds shared by every element, and ok false if
// the elements have different bounds (ns3-gym's BoxSpace carries one low
// and one high; DEFIANCE adds per-element lows and highs).
func (b *Box) ScalarBounds() (low, high float64, ok bool) {
	if len(b.low) == 0 || len(b.high) == 0 { // a Box not made by NewBox
		return math.NaN(), math.NaN(), false
	}
	if b.size == 0 {
		return b.low[0], b.high[0], true
	}
	low, high = b.LowAt(0), b.HighAt(0)
	for i := 1; i < b.size; i++ {
		if b.LowAt(i) != low || b.HighAt(i) != high {
			return 0, 0, false
		}
	}
	return low, high, true
}

// dtypeRange returns the range of an integer dtype.
func dtypeRange(d Dtype) (float64, float64) {
	if d == Uint {
		return 0, math.MaxUint32
	}
	return math.MinInt32, math.MaxInt32
}

// intBounds returns the integer interval of element i for Int and Uint.
func (b *Box) intBounds(i int) (int64, int64) {
	return intInterval(b.LowAt(i), b.HighAt(i), b.dtype)
}

// intInterval returns the integers of dtype d in [low, high]; lo > hi if
// there are none.
func intInterval(low, high float64, d Dtype) (int64, int64) {
	dlo, dhi := dtypeRange(d)
	lo := math.Max(math.Ceil(low), dlo)
	hi := math.Min(math.Floor(high), dhi)
	if !(lo <= hi) {
		return 1, 0
	}
	return int64(lo), int64(hi)
}

// floatBounds returns the interval of element i for Float and Double.
func (b *Box) floatBounds(i int) (float64, float64) {
	lo, hi := b.LowAt(i), b.HighAt(i)
	if b.dtype == Float {
		lo, hi = float64(float32(lo)), float64(float32(hi))
	}
	return lo, hi
}

// Contains reports whether v is a *BoxValue of the box's dtype and shape
// (a value with a nil Shape passes if it has the right number of
// elements) whose elements lie within their bounds. NaN is in no box.
func (b *Box) Contains(v Value) error {
	bv, ok := v.(*BoxValue)
	if !ok || bv == nil {
		return notIn("box space got %s", describe(v))
	}
	if bv.Dtype != b.dtype {
		return notIn("box value dtype %v does not match space dtype %v", bv.Dtype, b.dtype)
	}
	if err := bv.validate(); err != nil {
		return notIn("box value is malformed: %v", err)
	}
	if bv.Shape != nil && !equalInts(bv.Shape, b.shape) {
		return notIn("box value shape %v does not match space shape %v", bv.Shape, b.shape)
	}
	if n := bv.Len(); n != b.size {
		return notIn("box value has %d elements, space shape %v needs %d", n, b.shape, b.size)
	}
	if len(b.low) == 0 || len(b.high) == 0 {
		return notIn("box space has no bounds (use NewBox)")
	}
	switch b.dtype {
	case Int:
		for i, x := range bv.Ints {
			if err := b.checkInt(i, int64(x)); err != nil {
				return err
			}
		}
	case Uint:
		for i, x := range bv.Uints {
			if err := b.checkInt(i, int64(x)); err != nil {
				return err
			}
		}
	case Float:
		for i, x := range bv.Floats {
			if err := b.checkFloat(i, float64(x), 32); err != nil {
				return err
			}
		}
	case Double:
		for i, x := range bv.Doubles {
			if err := b.checkFloat(i, x, 64); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *Box) checkInt(i int, x int64) error {
	if lo := b.LowAt(i); float64(x) < lo {
		return notIn("box element %d = %d below low %v", i, x, lo)
	}
	if hi := b.HighAt(i); float64(x) > hi {
		return notIn("box element %d = %d above high %v", i, x, hi)
	}
	return nil
}

func (b *Box) checkFloat(i int, x float64, bits int) error {
	lo, hi := b.floatBounds(i)
	switch {
	case math.IsNaN(x):
		return notIn("box element %d is NaN", i)
	case x < lo:
		return notIn("box element %d = %s below low %v", i, strconv.FormatFloat(x, 'g', -1, bits), b.LowAt(i))
	case x > hi:
		return notIn("box element %d = %s above high %v", i, strconv.FormatFloat(x, 'g', -1, bits), b.HighAt(i))
	}
	return nil
}

// Sample draws every element independently, as Gymnasium's Box.sample: for
// Float and Double, uniformly in [low, high] when both are finite,
// low + Exp(1) when only low is, high - Exp(1) when only high is, and a
// standard normal when neither is; for Int and Uint, uniformly among the
// integers of the element's interval. The value has a copy of the box's
// shape.
func (b *Box) Sample(r *rand.Rand) Value {
	if r == nil || len(b.low) == 0 || len(b.high) == 0 {
		return nil
	}
	v := &BoxValue{Dtype: b.dtype, Shape: b.Shape()}
	switch b.dtype {
	case Int:
		v.Ints = make([]int32, b.size)
		for i := range v.Ints {
			lo, hi := b.intBounds(i)
			v.Ints[i] = int32(lo + r.Int64N(hi-lo+1))
		}
	case Uint:
		v.Uints = make([]uint32, b.size)
		for i := range v.Uints {
			lo, hi := b.intBounds(i)
			v.Uints[i] = uint32(lo + r.Int64N(hi-lo+1))
		}
	case Float:
		v.Floats = make([]float32, b.size)
		for i := range v.Floats {
			lo, hi := b.floatBounds(i)
			x := float32(sampleFloat(r, lo, hi))
			v.Floats[i] = float32(math.Min(math.Max(float64(x), lo), hi))
		}
	case Double:
		v.Doubles = make([]float64, b.size)
		for i := range v.Doubles {
			lo, hi := b.floatBounds(i)
			v.Doubles[i] = sampleFloat(r, lo, hi)
		}
	}
	return v
}

func sampleFloat(r *rand.Rand, lo, hi float64) float64 {
	loInf, hiInf := math.IsInf(lo, 0), math.IsInf(hi, 0)
	var x float64
	switch {
	case !loInf && !hiInf:
		u := r.Float64()
		x = lo*(1-u) + hi*u // no overflow even for ±MaxFloat64 bounds
	case !loInf:
		x = lo + r.ExpFloat64()
	case !hiInf:
		x = hi - r.ExpFloat64()
	default:
		x = r.NormFloat64()
	}
	return math.Min(math.Max(x, lo), hi)
}

// String returns "Box(low, high, shape, dtype)"; the bounds are printed as
// numbers when every element shares them and as lists otherwise.
func (b *Box) String() string {
	var sb strings.Builder
	sb.WriteString("Box(")
	if lo, hi, ok := b.ScalarBounds(); ok {
		fmt.Fprintf(&sb, "%v, %v", lo, hi)
	} else {
		lo, hi := b.Bounds()
		fmt.Fprintf(&sb, "%v, %v", lo, hi)
	}
	fmt.Fprintf(&sb, ", %v, %v)", b.shape, b.dtype)
	return sb.String()
}

// Tuple is an ordered list of spaces; its values are *TupleValue with one
// element per space.
type Tuple struct {
	spaces []Space
}

// NewTuple returns the tuple of the given spaces (none may be nil; an empty
// tuple is allowed, as in Gymnasium).
func NewTuple(elems ...Space) (*Tuple, error) {
	for i, s := range elems {
		if isNilSpace(s) {
			return nil, fmt.Errorf("spaces: tuple element %d is nil", i)
		}
	}
	if d := spaceDepth(&Tuple{spaces: elems}, 0); d > MaxDepth {
		return nil, fmt.Errorf("spaces: tuple nests deeper than %d levels", MaxDepth)
	}
	return &Tuple{spaces: append([]Space(nil), elems...)}, nil
}

// Kind returns KindTuple.
func (t *Tuple) Kind() Kind { return KindTuple }

func (t *Tuple) isSpace() {}

// Len returns the number of elements.
func (t *Tuple) Len() int { return len(t.spaces) }

// At returns the i-th element space, or nil if i is out of range.
func (t *Tuple) At(i int) Space {
	if i < 0 || i >= len(t.spaces) {
		return nil
	}
	return t.spaces[i]
}

// Contains reports whether v is a *TupleValue with one element per space,
// each in its space.
func (t *Tuple) Contains(v Value) error {
	tv, ok := v.(*TupleValue)
	if !ok || tv == nil {
		return notIn("tuple space got %s", describe(v))
	}
	if len(tv.Elements) != len(t.spaces) {
		return notIn("tuple value has %d elements, space has %d", len(tv.Elements), len(t.spaces))
	}
	for i, s := range t.spaces {
		if err := s.Contains(tv.Elements[i]); err != nil {
			return fmt.Errorf("tuple element %d: %w", i, err)
		}
	}
	return nil
}

// Sample samples every element.
func (t *Tuple) Sample(r *rand.Rand) Value {
	if r == nil {
		return nil
	}
	v := &TupleValue{Elements: make([]Value, len(t.spaces))}
	for i, s := range t.spaces {
		v.Elements[i] = s.Sample(r)
	}
	return v
}

// String returns "Tuple(space, space, ...)".
func (t *Tuple) String() string {
	parts := make([]string, len(t.spaces))
	for i, s := range t.spaces {
		parts[i] = s.String()
	}
	return "Tuple(" + strings.Join(parts, ", ") + ")"
}

// Dict is a set of named spaces with ordered keys; its values are
// *DictValue holding the same keys (in any order). ns3-gym's C++ side
// keeps dict entries sorted by key (std::map); netgym keeps the order
// given, and a protobuf mapping may sort.
type Dict struct {
	keys   []string
	spaces []Space
	index  map[string]int
}

// NewDict returns the dict whose key i names spaces[i]. Keys must be
// unique and valid UTF-8 (protobuf strings); spaces must not be nil.
func NewDict(keys []string, spaces []Space) (*Dict, error) {
	if len(keys) != len(spaces) {
		return nil, fmt.Errorf("spaces: dict has %d keys and %d spaces", len(keys), len(spaces))
	}
	d := &Dict{
		keys:   append([]string(nil), keys...),
		spaces: append([]Space(nil), spaces...),
		index:  make(map[string]int, len(keys)),
	}
	for i, k := range keys {
		if !utf8.ValidString(k) {
			return nil, fmt.Errorf("spaces: dict key %q is not valid UTF-8", k)
		}
		if _, dup := d.index[k]; dup {
			return nil, fmt.Errorf("spaces: dict key %q appears twice", k)
		}
		if isNilSpace(spaces[i]) {
			return nil, fmt.Errorf("spaces: dict key %q has a nil space", k)
		}
		d.index[k] = i
	}
	if spaceDepth(d, 0) > MaxDepth {
		return nil, fmt.Errorf("spaces: dict nests deeper than %d levels", MaxDepth)
	}
	return d, nil
}

// Kind returns KindDict.
func (d *Dict) Kind() Kind { return KindDict }

func (d *Dict) isSpace() {}

// Len returns the number of keys.
func (d *Dict) Len() int { return len(d.keys) }

// Keys returns the keys in order (a new slice).
func (d *Dict) Keys() []string { return append([]string(nil), d.keys...) }

// At returns the i-th key and its space, or "" and nil if i is out of
// range.
func (d *Dict) At(i int) (string, Space) {
	if i < 0 || i >= len(d.keys) {
		return "", nil
	}
	return d.keys[i], d.spaces[i]
}

// Get returns the space of key.
func (d *Dict) Get(key string) (Space, bool) {
	i, ok := d.index[key]
	if !ok {
		return nil, false
	}
	return d.spaces[i], true
}

// Contains reports whether v is a *DictValue with exactly the dict's keys
// (in any order), each value in its space.
func (d *Dict) Contains(v Value) error {
	dv, ok := v.(*DictValue)
	if !ok || dv == nil {
		return notIn("dict space got %s", describe(v))
	}
	if len(dv.Keys) != len(dv.Values) {
		return notIn("dict value has %d keys and %d values", len(dv.Keys), len(dv.Values))
	}
	for i, k := range dv.Keys {
		if _, ok := d.index[k]; !ok {
			return notIn("dict value has key %q, which the space does not have", k)
		}
		for _, k2 := range dv.Keys[:i] {
			if k2 == k {
				return notIn("dict value has key %q twice", k)
			}
		}
	}
	for i, k := range d.keys {
		x, ok := dv.Get(k)
		if !ok {
			return notIn("dict value lacks key %q", k)
		}
		if err := d.spaces[i].Contains(x); err != nil {
			return fmt.Errorf("dict key %q: %w", k, err)
		}
	}
	return nil
}

// Sample samples every key's space; the value has the dict's keys in order.
func (d *Dict) Sample(r *rand.Rand) Value {
	if r == nil {
		return nil
	}
	v := &DictValue{Keys: append([]string(nil), d.keys...), Values: make([]Value, len(d.spaces))}
	for i, s := range d.spaces {
		v.Values[i] = s.Sample(r)
	}
	return v
}

// String returns "Dict(key: space, ...)".
func (d *Dict) String() string {
	parts := make([]string, len(d.keys))
	for i, k := range d.keys {
		parts[i] = strconv.Quote(k) + ": " + d.spaces[i].String()
	}
	return "Dict(" + strings.Join(parts, ", ") + ")"
}

func isNilSpace(s Space) bool {
	switch x := s.(type) {
	case nil:
		return true
	case *Discrete:
		return x == nil
	case *Box:
		return x == nil
	case *Tuple:
		return x == nil
	case *Dict:
		return x == nil
	}
	return false
}

// spaceDepth returns the nesting depth of s, stopping early past MaxDepth.
func spaceDepth(s Space, depth int) int {
	depth++
	if depth > MaxDepth {
		return depth
	}
	deepest := depth
	var children []Space
	switch x := s.(type) {
	case *Tuple:
		children = x.spaces
	case *Dict:
		children = x.spaces
	}
	for _, c := range children {
		deepest = max(deepest, spaceDepth(c, depth))
		if deepest > MaxDepth {
			break
		}
	}
	return deepest
}

// describe names what a space got instead of its kind of value.
func describe(v Value) string {
	switch x := v.(type) {
	case nil:
		return "a nil value"
	case DiscreteValue:
		return "a discrete value"
	case *BoxValue:
		if x == nil {
			return "a nil box value"
		}
		return "a box value"
	case *TupleValue:
		if x == nil {
			return "a nil tuple value"
		}
		return "a tuple value"
	case *DictValue:
		if x == nil {
			return "a nil dict value"
		}
		return "a dict value"
	}
	return fmt.Sprintf("a %T", v)
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
