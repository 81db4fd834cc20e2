package opengym

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// ErrConvert is matched (errors.Is) by every error of the mapping between
// spaces and ns3-gym's protobuf messages.
var ErrConvert = errors.New("opengym: cannot convert")

type convertError struct{ msg string }

func (e *convertError) Error() string        { return "opengym: " + e.msg }
func (e *convertError) Is(target error) bool { return target == ErrConvert }

func convErr(format string, a ...any) error {
	return &convertError{msg: fmt.Sprintf(format, a...)}
}

// SpaceToProto describes s as ns3-gym's SpaceDescription.
//
// A Discrete space needs n within int32. A Box carries its bounds as
// float32 (ns3-gym's BoxSpace.low and high), each rounded outwards (low
// down, high up) when float32 cannot hold it exactly, so that the agent's
// space always contains the simulation's: Box(0, 4294967295, uint32) is
// described with high 4294967296. When the elements have different bounds,
// BoxSpace.lows and highs (DEFIANCE's extension) hold them, row-major, and
// low and high hold the smallest low and the largest high, so that an
// agent that knows only ns3-gym's fields still sees an enclosing box. A
// Dict's entries keep netgym's key order, each key in its
// SpaceDescription.name; ns3-gym's C++ side would send them sorted by key
// (std::map), but both Python clients build a dict by name, so the order
// carries no meaning on the wire.
func SpaceToProto(s spaces.Space) (*pb.SpaceDescription, error) {
	return spaceToProto(s, 0, ns3gymPackage)
}

func spaceToProto(s spaces.Space, depth int, pkg string) (*pb.SpaceDescription, error) {
	if depth >= spaces.MaxDepth {
		return nil, convErr("space nests deeper than %d levels", spaces.MaxDepth)
	}
	var (
		typ pb.SpaceType
		msg proto.Message
	)
	switch x := s.(type) {
	case *spaces.Discrete:
		if x == nil {
			return nil, convErr("nil space")
		}
		if x.N() > math.MaxInt32 {
			return nil, convErr("%v: n does not fit ns3-gym's int32", x)
		}
		typ, msg = pb.SpaceType_Discrete, &pb.DiscreteSpace{N: int32(x.N())}
	case *spaces.Box:
		if x == nil {
			return nil, convErr("nil space")
		}
		m, err := boxSpaceToProto(x)
		if err != nil {
			return nil, err
		}
		typ, msg = pb.SpaceType_Box, m
	case *spaces.Tuple:
		if x == nil {
			return nil, convErr("nil space")
		}
		m := &pb.TupleSpace{Element: make([]*pb.SpaceDescription, x.Len())}
		for i := range x.Len() {
			e, err := spaceToProto(x.At(i), depth+1, pkg)
			if err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
			m.Element[i] = e
		}
		typ, msg = pb.SpaceType_Tuple, m
	case *spaces.Dict:
		if x == nil {
			return nil, convErr("nil space")
		}
		m := &pb.DictSpace{Element: make([]*pb.SpaceDescription, x.Len())}
		for i := range x.Len() {
			k, sub := x.At(i)
			e, err := spaceToProto(sub, depth+1, pkg)
			if err != nil {
				return nil, fmt.Errorf("dict key %q: %w", k, err)
			}
			e.Name = k
			m.Element[i] = e
		}
		typ, msg = pb.SpaceType_Dict, m
	case nil:
		return nil, convErr("nil space")
	default:
		return nil, convErr("unknown space type %T", s)
	}
	a, err := pack(msg, pkg)
	if err != nil {
		return nil, convErr("pack %v: %v", typ, err)
	}
	return &pb.SpaceDescription{Type: typ, Space: a}, nil
}

func boxSpaceToProto(b *spaces.Box) (*pb.BoxSpace, error) {
	shape := b.Shape()
	m := &pb.BoxSpace{Dtype: pb.Dtype(b.Dtype()), Shape: make([]uint32, len(shape))}
	for i, d := range shape {
		m.Shape[i] = uint32(d) // d <= spaces.MaxBoxElements
	}
	if lo, hi, ok := b.ScalarBounds(); ok {
		m.Low, m.High = roundDown32(lo), roundUp32(hi)
		return m, nil
	}
	lows, highs := b.Bounds()
	m.Lows, m.Highs = make([]float32, len(lows)), make([]float32, len(highs))
	m.Low, m.High = float32(math.Inf(1)), float32(math.Inf(-1))
	for i := range lows {
		m.Lows[i], m.Highs[i] = roundDown32(lows[i]), roundUp32(highs[i])
		m.Low, m.High = min(m.Low, m.Lows[i]), max(m.High, m.Highs[i])
	}
	return m, nil
}

// roundDown32 returns the largest float32 not above x.
func roundDown32(x float64) float32 {
	f := float32(x)
	if float64(f) > x {
		f = math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return f
}

// roundUp32 returns the smallest float32 not below x.
func roundUp32(x float64) float32 {
	f := float32(x)
	if float64(f) < x {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

// SpaceFromProto builds the space a SpaceDescription describes. A BoxSpace
// with lows and highs (DEFIANCE) gets per-element bounds, one per element
// (an empty lows or highs means the scalar low or high for every element);
// a Dict keeps the order of the message's elements. Anything that does
// not describe a valid space (an unknown type, a type that does not match
// the packed message, a NoDType box, a duplicate or missing dict key, n <
// 1, ...) is an error that matches ErrConvert.
func SpaceFromProto(d *pb.SpaceDescription) (spaces.Space, error) {
	return spaceFromProto(d, 0, ns3gymPackage)
}

func spaceFromProto(d *pb.SpaceDescription, depth int, pkg string) (spaces.Space, error) {
	if depth >= spaces.MaxDepth {
		return nil, convErr("space description nests deeper than %d levels", spaces.MaxDepth)
	}
	if d == nil {
		return nil, convErr("missing space description")
	}
	if d.Space == nil {
		return nil, convErr("%v space description carries no space", d.Type)
	}
	switch d.Type {
	case pb.SpaceType_Discrete:
		var m pb.DiscreteSpace
		if err := unpack(d.Space, &m, d.Type, pkg); err != nil {
			return nil, err
		}
		s, err := spaces.NewDiscrete(int64(m.N))
		if err != nil {
			return nil, convErr("%v", err)
		}
		return s, nil
	case pb.SpaceType_Box:
		var m pb.BoxSpace
		if err := unpack(d.Space, &m, d.Type, pkg); err != nil {
			return nil, err
		}
		return boxSpaceFromProto(&m)
	case pb.SpaceType_Tuple:
		var m pb.TupleSpace
		if err := unpack(d.Space, &m, d.Type, pkg); err != nil {
			return nil, err
		}
		elems := make([]spaces.Space, len(m.Element))
		for i, e := range m.Element {
			s, err := spaceFromProto(e, depth+1, pkg)
			if err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
			elems[i] = s
		}
		t, err := spaces.NewTuple(elems...)
		if err != nil {
			return nil, convErr("%v", err)
		}
		return t, nil
	case pb.SpaceType_Dict:
		var m pb.DictSpace
		if err := unpack(d.Space, &m, d.Type, pkg); err != nil {
			return nil, err
		}
		keys := make([]string, len(m.Element))
		elems := make([]spaces.Space, len(m.Element))
		for i, e := range m.Element {
			s, err := spaceFromProto(e, depth+1, pkg)
			if err != nil {
				return nil, fmt.Errorf("dict element %d (%q): %w", i, e.GetName(), err)
			}
			keys[i], elems[i] = e.GetName(), s
		}
		dict, err := spaces.NewDict(keys, elems)
		if err != nil {
			return nil, convErr("%v", err)
		}
		return dict, nil
	}
	return nil, convErr("unknown space type %v", d.Type)
}

func boxSpaceFromProto(m *pb.BoxSpace) (*spaces.Box, error) {
	dt := spaces.Dtype(m.Dtype)
	if !dt.Valid() {
		return nil, convErr("box space dtype %v is not INT, UINT, FLOAT or DOUBLE", m.Dtype)
	}
	if len(m.Shape) > spaces.MaxRank {
		return nil, convErr("box space shape has %d dimensions, more than %d", len(m.Shape), spaces.MaxRank)
	}
	shape := make([]int, len(m.Shape))
	for i, d := range m.Shape {
		if d > spaces.MaxBoxElements {
			return nil, convErr("box space shape %v has more than %d elements", m.Shape, spaces.MaxBoxElements)
		}
		shape[i] = int(d)
	}
	low, high := []float64{float64(m.Low)}, []float64{float64(m.High)}
	if len(m.Lows) > 0 {
		low = f32to64(m.Lows)
	}
	if len(m.Highs) > 0 {
		high = f32to64(m.Highs)
	}
	b, err := spaces.NewBoxBounds(low, high, shape, dt)
	if err != nil {
		return nil, convErr("%v", err)
	}
	return b, nil
}

func f32to64(s []float32) []float64 {
	out := make([]float64, len(s))
	for i, x := range s {
		out[i] = float64(x)
	}
	return out
}

// ns3gymPackage is the protobuf package of ns3-gym's messages, whose
// names the type URLs of the Any fields carry.
const ns3gymPackage = "ns3opengym"

// fullName is the name of message m in package pkg: the messages of
// ns3-gym and ns3-ai's Gym interface have the same fields and names, in
// different packages.
func fullName(m proto.Message, pkg string) string {
	return pkg + "." + string(m.ProtoReflect().Descriptor().Name())
}

// isFullName reports whether s is fullName(m, pkg), without building it.
func isFullName(s string, m proto.Message, pkg string) bool {
	name := string(m.ProtoReflect().Descriptor().Name())
	return len(s) == len(pkg)+1+len(name) && s[:len(pkg)] == pkg && s[len(pkg)] == '.' && s[len(pkg)+1:] == name
}

// typeURL is the type URL of message m in package pkg.
func typeURL(m proto.Message, pkg string) string { return "type.googleapis.com/" + fullName(m, pkg) }

// pack packs m into an Any naming it in package pkg (anypb.New does the
// same for pb's own package).
func pack(m proto.Message, pkg string) (*anypb.Any, error) {
	b, err := proto.Marshal(m)
	if err != nil {
		return nil, err
	}
	return &anypb.Any{TypeUrl: typeURL(m, pkg), Value: b}, nil
}

// unpack unpacks a into m, reporting a type URL that does not name m in
// package pkg (after its last '/', whatever the prefix, as anypb does).
func unpack(a *anypb.Any, m proto.Message, typ pb.SpaceType, pkg string) error {
	url := a.GetTypeUrl()
	if !isFullName(url[strings.LastIndexByte(url, '/')+1:], m, pkg) {
		return convErr("%v: cannot unpack %s from %q", typ, fullName(m, pkg), url)
	}
	if err := proto.Unmarshal(a.GetValue(), m); err != nil {
		return convErr("%v: cannot unpack %s: %v", typ, fullName(m, pkg), err)
	}
	return nil
}

// ValueToProto packs v into ns3-gym's DataContainer. A DiscreteValue must
// fit int32; a box keeps its shape (a nil Shape is sent as [Len]) and its
// data in the field of its dtype; a dict keeps its key order, each key in
// the element's DataContainer.name. Malformed values (see spaces.Validate)
// are errors matching ErrConvert.
func ValueToProto(v spaces.Value) (*pb.DataContainer, error) {
	return valueToProtoIn(v, ns3gymPackage)
}

func valueToProtoIn(v spaces.Value, pkg string) (*pb.DataContainer, error) {
	if err := spaces.Validate(v); err != nil {
		return nil, convErr("invalid value: %v", err)
	}
	return valueToProto(v, pkg)
}

func valueToProto(v spaces.Value, pkg string) (*pb.DataContainer, error) {
	var (
		typ pb.SpaceType
		msg proto.Message
	)
	switch x := v.(type) {
	case spaces.DiscreteValue:
		if x < math.MinInt32 || x > math.MaxInt32 {
			return nil, convErr("discrete value %d does not fit ns3-gym's int32", int64(x))
		}
		typ, msg = pb.SpaceType_Discrete, &pb.DiscreteDataContainer{Data: int32(x)}
	case *spaces.BoxValue:
		m := &pb.BoxDataContainer{Dtype: pb.Dtype(x.Dtype)}
		if x.Shape == nil {
			m.Shape = []uint32{uint32(x.Len())}
		} else {
			m.Shape = make([]uint32, len(x.Shape))
			for i, d := range x.Shape {
				m.Shape[i] = uint32(d)
			}
		}
		// The data slices are shared, not copied: m lives only until
		// anypb.New below has marshalled it.
		switch x.Dtype {
		case spaces.Int:
			m.IntData = x.Ints
		case spaces.Uint:
			m.UintData = x.Uints
		case spaces.Float:
			m.FloatData = x.Floats
		case spaces.Double:
			m.DoubleData = x.Doubles
		}
		typ, msg = pb.SpaceType_Box, m
	case *spaces.TupleValue:
		m := &pb.TupleDataContainer{Element: make([]*pb.DataContainer, len(x.Elements))}
		for i, e := range x.Elements {
			c, err := valueToProto(e, pkg)
			if err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
			m.Element[i] = c
		}
		typ, msg = pb.SpaceType_Tuple, m
	case *spaces.DictValue:
		m := &pb.DictDataContainer{Element: make([]*pb.DataContainer, x.Len())}
		for i := range x.Len() {
			c, err := valueToProto(x.Values[i], pkg)
			if err != nil {
				return nil, fmt.Errorf("dict key %q: %w", x.Keys[i], err)
			}
			c.Name = x.Keys[i]
			m.Element[i] = c
		}
		typ, msg = pb.SpaceType_Dict, m
	default:
		return nil, convErr("unknown value type %T", v)
	}
	a, err := pack(msg, pkg)
	if err != nil {
		return nil, convErr("pack %v: %v", typ, err)
	}
	return &pb.DataContainer{Type: typ, Data: a}, nil
}

// ValueFromProto unpacks a DataContainer. With a nil space it decodes the
// container as it is: a box with an empty shape gets a nil Shape (one
// dimension), a dict keeps the message's order.
//
// Given the space the value belongs to, it adapts the container to it the
// way ns3-gym's own peers need, then checks the value is in the space
// (errors then match both ErrConvert and spaces.ErrNotInSpace):
//   - a box whose element count matches the space takes the space's shape
//     (ns3-gym's Python agent always sends shape [len(action)], and may
//     send no shape at all);
//   - a FLOAT container is widened for a DOUBLE box (ns3-gym's Python
//     agent packs float64 actions as FLOAT);
//   - dict entries are matched to the space's keys by name and put in the
//     space's key order (ns3-gym's C++ side sorts them by key).
func ValueFromProto(c *pb.DataContainer, s spaces.Space) (spaces.Value, error) {
	return valueFromProtoIn(c, s, ns3gymPackage)
}

func valueFromProtoIn(c *pb.DataContainer, s spaces.Space, pkg string) (spaces.Value, error) {
	v, err := valueFromProto(c, s, 0, pkg)
	if err != nil {
		return nil, err
	}
	if s != nil {
		if err := s.Contains(v); err != nil {
			return nil, &notInSpaceError{err: err}
		}
	}
	return v, nil
}

type notInSpaceError struct{ err error }

func (e *notInSpaceError) Error() string        { return "opengym: value not in space: " + e.err.Error() }
func (e *notInSpaceError) Unwrap() error        { return e.err }
func (e *notInSpaceError) Is(target error) bool { return target == ErrConvert }

func valueFromProto(c *pb.DataContainer, s spaces.Space, depth int, pkg string) (spaces.Value, error) {
	if depth >= spaces.MaxDepth {
		return nil, convErr("data container nests deeper than %d levels", spaces.MaxDepth)
	}
	if c == nil {
		return nil, convErr("missing data container")
	}
	if c.Data == nil {
		return nil, convErr("%v data container carries no data", c.Type)
	}
	switch c.Type {
	case pb.SpaceType_Discrete:
		var m pb.DiscreteDataContainer
		if err := unpack(c.Data, &m, c.Type, pkg); err != nil {
			return nil, err
		}
		return spaces.DiscreteValue(m.Data), nil
	case pb.SpaceType_Box:
		var m pb.BoxDataContainer
		if err := unpack(c.Data, &m, c.Type, pkg); err != nil {
			return nil, err
		}
		box, _ := s.(*spaces.Box)
		return boxValueFromProto(&m, box)
	case pb.SpaceType_Tuple:
		var m pb.TupleDataContainer
		if err := unpack(c.Data, &m, c.Type, pkg); err != nil {
			return nil, err
		}
		ts, _ := s.(*spaces.Tuple)
		v := &spaces.TupleValue{Elements: make([]spaces.Value, len(m.Element))}
		for i, e := range m.Element {
			var sub spaces.Space
			if ts != nil {
				sub = ts.At(i)
			}
			x, err := valueFromProto(e, sub, depth+1, pkg)
			if err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
			v.Elements[i] = x
		}
		return v, nil
	case pb.SpaceType_Dict:
		var m pb.DictDataContainer
		if err := unpack(c.Data, &m, c.Type, pkg); err != nil {
			return nil, err
		}
		return dictValueFromProto(&m, s, depth, pkg)
	}
	return nil, convErr("unknown data container type %v", c.Type)
}

func dictValueFromProto(m *pb.DictDataContainer, s spaces.Space, depth int, pkg string) (spaces.Value, error) {
	ds, _ := s.(*spaces.Dict)
	v := &spaces.DictValue{Keys: make([]string, 0, len(m.Element)), Values: make([]spaces.Value, 0, len(m.Element))}
	seen := make(map[string]bool, len(m.Element))
	for i, e := range m.Element {
		k := e.GetName()
		if seen[k] {
			return nil, convErr("dict element %d: key %q appears twice", i, k)
		}
		seen[k] = true
		var sub spaces.Space
		if ds != nil {
			sub, _ = ds.Get(k)
		}
		x, err := valueFromProto(e, sub, depth+1, pkg)
		if err != nil {
			return nil, fmt.Errorf("dict key %q: %w", k, err)
		}
		v.Keys = append(v.Keys, k)
		v.Values = append(v.Values, x)
	}
	if ds == nil {
		return v, nil
	}
	// Put the entries in the space's key order; keys the space does not
	// know stay at the end (Contains reports them).
	out := &spaces.DictValue{Keys: make([]string, 0, v.Len()), Values: make([]spaces.Value, 0, v.Len())}
	for _, k := range ds.Keys() {
		if x, ok := v.Get(k); ok {
			out.Keys, out.Values = append(out.Keys, k), append(out.Values, x)
		}
	}
	for i, k := range v.Keys {
		if _, ok := ds.Get(k); !ok {
			out.Keys, out.Values = append(out.Keys, k), append(out.Values, v.Values[i])
		}
	}
	return out, nil
}

func boxValueFromProto(m *pb.BoxDataContainer, space *spaces.Box) (*spaces.BoxValue, error) {
	dt := spaces.Dtype(m.Dtype)
	if !dt.Valid() {
		return nil, convErr("box container dtype %v is not INT, UINT, FLOAT or DOUBLE", m.Dtype)
	}
	lens := [5]int{0, len(m.IntData), len(m.UintData), len(m.FloatData), len(m.DoubleData)}
	for d := spaces.Int; d <= spaces.Double; d++ {
		if d != dt && lens[d] != 0 {
			return nil, convErr("box container of dtype %v also holds %d %v elements", m.Dtype, lens[d], pb.Dtype(d))
		}
	}
	n := lens[dt]
	if n > spaces.MaxBoxElements {
		return nil, convErr("box container holds %d elements, more than %d", n, spaces.MaxBoxElements)
	}
	v := &spaces.BoxValue{Dtype: dt}
	switch dt {
	case spaces.Int:
		v.Ints = m.IntData
	case spaces.Uint:
		v.Uints = m.UintData
	case spaces.Float:
		v.Floats = m.FloatData
		if space != nil && space.Dtype() == spaces.Double {
			v.Dtype, v.Floats, v.Doubles = spaces.Double, nil, make([]float64, n)
			for i, x := range m.FloatData {
				v.Doubles[i] = float64(x)
			}
		}
	case spaces.Double:
		v.Doubles = m.DoubleData
	}
	if len(m.Shape) > spaces.MaxRank {
		return nil, convErr("box container shape has %d dimensions, more than %d", len(m.Shape), spaces.MaxRank)
	}
	if len(m.Shape) > 0 {
		size := 1
		v.Shape = make([]int, len(m.Shape))
		for i, d := range m.Shape {
			if d > spaces.MaxBoxElements || (d > 0 && size > spaces.MaxBoxElements/int(d)) {
				return nil, convErr("box container shape %v has more than %d elements", m.Shape, spaces.MaxBoxElements)
			}
			v.Shape[i] = int(d)
			size *= int(d)
		}
		if size != n {
			return nil, convErr("box container shape %v needs %d elements, it holds %d", m.Shape, size, n)
		}
	}
	if space != nil && space.Size() == n {
		v.Shape = space.Shape()
	}
	return v, nil
}
