package spaces

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// ErrInvalidValue is matched (errors.Is) by the errors of Validate,
// EncodedSize, Encode and AppendEncode for values that cannot be encoded.
var ErrInvalidValue = errors.New("spaces: invalid value")

// ErrMalformed is matched (errors.Is) by Decode's errors for bytes that are
// not an encoded value.
var ErrMalformed = errors.New("spaces: malformed encoding")

func invalid(err error) error { return fmt.Errorf("%w: %v", ErrInvalidValue, err) }

// EncodedSize returns the length of v's encoding: the bytes a message
// carrying v occupies on a simulated network. It does not allocate (except
// to check the keys of a dict of more than 32 entries for duplicates).
func EncodedSize(v Value) (int, error) {
	n, err := sizeOf(v, 0)
	if err != nil {
		return 0, invalid(err)
	}
	return n, nil
}

// Encode returns v's encoding (see the package documentation).
func Encode(v Value) ([]byte, error) { return AppendEncode(nil, v) }

// AppendEncode appends v's encoding to dst and returns the extended slice.
// On error dst is returned unchanged.
func AppendEncode(dst []byte, v Value) ([]byte, error) {
	n, err := sizeOf(v, 0)
	if err != nil {
		return dst, invalid(err)
	}
	if cap(dst)-len(dst) < n {
		grown := make([]byte, len(dst), len(dst)+n)
		copy(grown, dst)
		dst = grown
	}
	return appendValue(dst, v), nil
}

func uvarintLen(x uint64) int { return (bits.Len64(x|1) + 6) / 7 }

func zigzag(x int64) uint64 { return uint64(x<<1) ^ uint64(x>>63) }

// sizeOf validates v and returns the length of its encoding.
func sizeOf(v Value, depth int) (int, error) {
	depth++
	if depth > MaxDepth {
		return 0, fmt.Errorf("nesting deeper than %d levels", MaxDepth)
	}
	switch x := v.(type) {
	case nil:
		return 0, errors.New("nil value")
	case DiscreteValue:
		return 1 + uvarintLen(zigzag(int64(x))), nil
	case *BoxValue:
		if err := x.validate(); err != nil {
			return 0, err
		}
		n := 1
		if x.Shape == nil {
			n += 1 + uvarintLen(uint64(x.Len()))
		} else {
			n += uvarintLen(uint64(len(x.Shape)))
			for _, d := range x.Shape {
				n += uvarintLen(uint64(d))
			}
		}
		switch x.Dtype {
		case Int:
			for _, e := range x.Ints {
				n += uvarintLen(zigzag(int64(e)))
			}
		case Uint:
			for _, e := range x.Uints {
				n += uvarintLen(uint64(e))
			}
		case Float:
			n += 4 * len(x.Floats)
		case Double:
			n += 8 * len(x.Doubles)
		}
		return n, nil
	case *TupleValue:
		if x == nil {
			return 0, errors.New("nil tuple value")
		}
		n := 1 + uvarintLen(uint64(len(x.Elements)))
		for i, e := range x.Elements {
			m, err := sizeOf(e, depth)
			if err != nil {
				return 0, fmt.Errorf("tuple element %d: %w", i, err)
			}
			n += m
		}
		return n, nil
	case *DictValue:
		if x == nil {
			return 0, errors.New("nil dict value")
		}
		if len(x.Keys) != len(x.Values) {
			return 0, fmt.Errorf("dict value has %d keys and %d values", len(x.Keys), len(x.Values))
		}
		if err := checkKeys(x.Keys); err != nil {
			return 0, err
		}
		n := 1 + uvarintLen(uint64(len(x.Keys)))
		for i, k := range x.Keys {
			m, err := sizeOf(x.Values[i], depth)
			if err != nil {
				return 0, fmt.Errorf("dict key %q: %w", k, err)
			}
			n += uvarintLen(uint64(len(k))) + len(k) + m
		}
		return n, nil
	}
	return 0, fmt.Errorf("unknown value type %T", v)
}

// checkKeys reports invalid or duplicate dict keys.
func checkKeys(keys []string) error {
	for _, k := range keys {
		if !validKey(k) {
			return fmt.Errorf("dict key %q is not valid UTF-8", k)
		}
	}
	if len(keys) <= 32 {
		for i, k := range keys {
			for _, k2 := range keys[:i] {
				if k == k2 {
					return fmt.Errorf("dict key %q appears twice", k)
				}
			}
		}
		return nil
	}
	seen := make(map[string]struct{}, len(keys))
	for _, k := range keys {
		if _, dup := seen[k]; dup {
			return fmt.Errorf("dict key %q appears twice", k)
		}
		seen[k] = struct{}{}
	}
	return nil
}

// appendValue appends the encoding of v, which sizeOf has validated.
func appendValue(dst []byte, v Value) []byte {
	switch x := v.(type) {
	case DiscreteValue:
		dst = append(dst, byte(KindDiscrete))
		return binary.AppendVarint(dst, int64(x))
	case *BoxValue:
		dst = append(dst, byte(KindBox)|byte(x.Dtype)<<4)
		if x.Shape == nil {
			dst = append(dst, 1)
			dst = binary.AppendUvarint(dst, uint64(x.Len()))
		} else {
			dst = binary.AppendUvarint(dst, uint64(len(x.Shape)))
			for _, d := range x.Shape {
				dst = binary.AppendUvarint(dst, uint64(d))
			}
		}
		switch x.Dtype {
		case Int:
			for _, e := range x.Ints {
				dst = binary.AppendVarint(dst, int64(e))
			}
		case Uint:
			for _, e := range x.Uints {
				dst = binary.AppendUvarint(dst, uint64(e))
			}
		case Float:
			for _, e := range x.Floats {
				dst = binary.LittleEndian.AppendUint32(dst, math.Float32bits(e))
			}
		case Double:
			for _, e := range x.Doubles {
				dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(e))
			}
		}
		return dst
	case *TupleValue:
		dst = append(dst, byte(KindTuple))
		dst = binary.AppendUvarint(dst, uint64(len(x.Elements)))
		for _, e := range x.Elements {
			dst = appendValue(dst, e)
		}
		return dst
	case *DictValue:
		dst = append(dst, byte(KindDict))
		dst = binary.AppendUvarint(dst, uint64(len(x.Keys)))
		for i, k := range x.Keys {
			dst = binary.AppendUvarint(dst, uint64(len(k)))
			dst = append(dst, k...)
			dst = appendValue(dst, x.Values[i])
		}
		return dst
	}
	return dst
}

// Decode decodes one value that fills data. With a non-nil space it also
// checks that the value is in the space (the error then matches
// ErrNotInSpace); otherwise any well-formed value is returned. Malformed
// input gets an error matching ErrMalformed, never a panic. The value does
// not reference data.
func Decode(space Space, data []byte) (Value, error) {
	d := decoder{data: data}
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	if d.off != len(data) {
		return nil, d.fail("%d trailing bytes after the value", len(data)-d.off)
	}
	if space != nil && !isNilSpace(space) {
		if err := space.Contains(v); err != nil {
			return nil, fmt.Errorf("spaces: decoded value not in %v: %w", space, err)
		}
	}
	return v, nil
}

type decoder struct {
	data []byte
	off  int
}

func (d *decoder) fail(format string, a ...any) error {
	return fmt.Errorf("%w: at byte %d: %s", ErrMalformed, d.off, fmt.Sprintf(format, a...))
}

func (d *decoder) remaining() int { return len(d.data) - d.off }

func (d *decoder) uvarint(what string) (uint64, error) {
	x, n := binary.Uvarint(d.data[d.off:])
	switch {
	case n == 0:
		return 0, d.fail("truncated %s", what)
	case n < 0:
		return 0, d.fail("%s overflows 64 bits", what)
	case n != uvarintLen(x):
		return 0, d.fail("%s is not a minimal varint", what)
	}
	d.off += n
	return x, nil
}

func (d *decoder) svarint(what string) (int64, error) {
	u, err := d.uvarint(what)
	if err != nil {
		return 0, err
	}
	return int64(u>>1) ^ -int64(u&1), nil
}

// count reads a length that is at most limit.
func (d *decoder) count(what string, limit int) (int, error) {
	start := d.off
	x, err := d.uvarint(what)
	if err != nil {
		return 0, err
	}
	if x > uint64(limit) {
		d.off = start
		return 0, d.fail("%s %d exceeds %d", what, x, limit)
	}
	return int(x), nil
}

// length reads a number of items that take at least minBytes each and
// checks that the bytes left can hold them, so that garbage cannot make
// Decode allocate more than a small multiple of its input.
func (d *decoder) length(what string, minBytes int) (int, error) {
	start := d.off
	x, err := d.uvarint(what)
	if err != nil {
		return 0, err
	}
	if left := d.remaining(); x > uint64(left/minBytes) {
		d.off = start
		return 0, d.fail("%s %d needs at least %d bytes, %d left", what, x, x*uint64(minBytes), left)
	}
	return int(x), nil
}

func (d *decoder) value(depth int) (Value, error) {
	depth++
	if depth > MaxDepth {
		return nil, d.fail("nesting deeper than %d levels", MaxDepth)
	}
	if d.remaining() == 0 {
		return nil, d.fail("truncated: missing value")
	}
	h := d.data[d.off]
	kind, dtype := Kind(h&0x0f), Dtype(h>>4)
	if kind != KindBox && dtype != 0 {
		return nil, d.fail("header byte 0x%02x: only a box has a dtype", h)
	}
	d.off++
	switch kind {
	case KindDiscrete:
		x, err := d.svarint("discrete value")
		if err != nil {
			return nil, err
		}
		return DiscreteValue(x), nil
	case KindBox:
		if !dtype.Valid() {
			d.off--
			return nil, d.fail("header byte 0x%02x: unknown box dtype %d", h, dtype)
		}
		return d.box(dtype)
	case KindTuple:
		n, err := d.length("tuple length", 2) // a value takes 2 bytes or more
		if err != nil {
			return nil, err
		}
		t := &TupleValue{Elements: make([]Value, n)}
		for i := range n {
			if t.Elements[i], err = d.value(depth); err != nil {
				return nil, err
			}
		}
		return t, nil
	case KindDict:
		n, err := d.length("dict length", 3) // key length and a value
		if err != nil {
			return nil, err
		}
		m := &DictValue{Keys: make([]string, n), Values: make([]Value, n)}
		var seen map[string]struct{}
		if n > 32 {
			seen = make(map[string]struct{}, n)
		}
		for i := range n {
			kl, err := d.length("dict key length", 1)
			if err != nil {
				return nil, err
			}
			key := string(d.data[d.off : d.off+kl])
			if !validKey(key) {
				return nil, d.fail("dict key %q is not valid UTF-8", key)
			}
			if dupKey(m.Keys[:i], seen, key) {
				return nil, d.fail("dict key %q appears twice", key)
			}
			d.off += kl
			m.Keys[i] = key
			if m.Values[i], err = d.value(depth); err != nil {
				return nil, err
			}
		}
		return m, nil
	}
	d.off--
	return nil, d.fail("header byte 0x%02x: unknown kind %d", h, kind)
}

func (d *decoder) box(dtype Dtype) (Value, error) {
	rank, err := d.count("box rank", MaxRank)
	if err != nil {
		return nil, err
	}
	width := 1 // least bytes per element
	switch dtype {
	case Float:
		width = 4
	case Double:
		width = 8
	}
	shape := make([]int, rank)
	size := 1
	for i := range shape {
		dim, err := d.count("box dimension", MaxBoxElements)
		if err != nil {
			return nil, err
		}
		shape[i] = dim
		size *= dim // both at most 2^24: no overflow
		if size > MaxBoxElements {
			return nil, d.fail("box shape %v has more than %d elements", shape[:i+1], MaxBoxElements)
		}
	}
	if size > d.remaining()/width {
		return nil, d.fail("box of %d %v elements needs at least %d bytes, %d left", size, dtype, size*width, d.remaining())
	}
	v := &BoxValue{Dtype: dtype, Shape: shape}
	switch dtype {
	case Int:
		v.Ints = make([]int32, size)
		for i := range v.Ints {
			x, err := d.svarint("int32 element")
			if err != nil {
				return nil, err
			}
			if x < math.MinInt32 || x > math.MaxInt32 {
				return nil, d.fail("int32 element %d = %d out of range", i, x)
			}
			v.Ints[i] = int32(x)
		}
	case Uint:
		v.Uints = make([]uint32, size)
		for i := range v.Uints {
			x, err := d.uvarint("uint32 element")
			if err != nil {
				return nil, err
			}
			if x > math.MaxUint32 {
				return nil, d.fail("uint32 element %d = %d out of range", i, x)
			}
			v.Uints[i] = uint32(x)
		}
	case Float:
		v.Floats = make([]float32, size)
		for i := range v.Floats {
			v.Floats[i] = math.Float32frombits(binary.LittleEndian.Uint32(d.data[d.off:]))
			d.off += 4
		}
	case Double:
		v.Doubles = make([]float64, size)
		for i := range v.Doubles {
			v.Doubles[i] = math.Float64frombits(binary.LittleEndian.Uint64(d.data[d.off:]))
			d.off += 8
		}
	}
	return v, nil
}

// dupKey reports whether key is among the earlier keys: in seen (which it
// then extends) when there is a map, otherwise by a scan of earlier.
func dupKey(earlier []string, seen map[string]struct{}, key string) bool {
	if seen != nil {
		if _, dup := seen[key]; dup {
			return true
		}
		seen[key] = struct{}{}
		return false
	}
	for _, k := range earlier {
		if k == key {
			return true
		}
	}
	return false
}
