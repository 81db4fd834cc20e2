package opengym

import (
	"bytes"
	"math"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// The codec's fast path: the per-step messages (EnvStateMsg and
// MultiAgentEnvStateMsg out, EnvActMsg in) written and read with protowire
// straight into the caller's buffer, without building the pb messages
// (which cost about 20 allocations per step through proto.Marshal, Any
// packing and proto.Unmarshal). The bytes are exactly those of the
// general path (deterministic proto.Marshal of the pb messages): fields in
// field-number order, proto3 zero values omitted, packed repeated
// scalars, an Any's value omitted when the packed message is empty
// (protobuf-go's marshal rules, google.golang.org/protobuf internal/impl
// codec_gen.go). wire_test.go checks this byte for byte.
//
// The fast path handles what agents send and what simulations observe;
// whatever it does not recognise (an invalid value, a non-UTF-8 string, a
// multi-agent info map, an unpacked or repeated field, an unknown field, a
// Tuple or Dict action, any value the general path would refuse) makes it
// step aside, and the general path runs, with its results and errors.

// urls holds the type URLs of the packed data messages, per dialect and
// space type, so that encoding them allocates nothing.
var urls = func() (u [2][5]string) {
	names := [5]string{"", "DiscreteDataContainer", "BoxDataContainer", "TupleDataContainer", "DictDataContainer"}
	for d, pkg := range [2]string{ns3gymPackage, "ns3_ai_gym"} {
		for t := 1; t < 5; t++ {
			u[d][t] = "type.googleapis.com/" + pkg + "." + names[t]
		}
	}
	return u
}()

// Field numbers of the messages the fast path writes and reads
// (proto/messages.proto).
const (
	fStateObs      = 1 // EnvStateMsg and MultiAgentEnvStateMsg
	fStateReward   = 2
	fStateGameOver = 3
	fStateReason   = 4
	fStateInfo     = 5
	fStateAgentID  = 6 // MultiAgentEnvStateMsg

	fActData = 1 // EnvActMsg
	fActStop = 2

	fDCType = 1 // DataContainer
	fDCData = 2
	fDCName = 3

	fAnyURL   = 1 // google.protobuf.Any
	fAnyValue = 2

	fDiscreteData = 1 // DiscreteDataContainer

	fBoxDtype   = 1 // BoxDataContainer
	fBoxShape   = 2
	fBoxInts    = 3
	fBoxUints   = 4
	fBoxFloats  = 5
	fBoxDoubles = 6

	fElement = 1 // TupleDataContainer and DictDataContainer
)

// tagSize is the size of a tag of a field below 16.
const tagSize = 1

// lenField is the size of a length-delimited field of n bytes.
func lenField(n int) int { return tagSize + protowire.SizeVarint(uint64(n)) + n }

// appendLen appends the tag and length of a length-delimited field.
func appendLen(b []byte, num protowire.Number, n int) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendVarint(b, uint64(n))
}

// appendStateFast appends the state message the general path would
// (AppendState), or reports false when the state needs the general path.
func appendStateFast(b []byte, d Dialect, spec agentlink.Spec, agent string, st agentlink.State) ([]byte, bool) {
	info := st.Info
	if spec.MultiAgent {
		if len(st.InfoMap) > 0 || !utf8.ValidString(agent) {
			return b, false
		}
	} else if info == "" {
		info = agentlink.InfoString(st.InfoMap)
	}
	if !utf8.ValidString(info) {
		return b, false
	}
	if st.Obs != nil {
		if spaces.Validate(st.Obs) != nil {
			return b, false
		}
		n, ok := dcSize(st.Obs, d, "")
		if !ok {
			return b, false
		}
		b = appendLen(b, fStateObs, n)
		b = appendDC(b, st.Obs, d, "")
	}
	if r := float32(st.Reward); math.Float32bits(r) != 0 {
		b = protowire.AppendTag(b, fStateReward, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, math.Float32bits(r))
	}
	if st.GameOver {
		b = protowire.AppendTag(b, fStateGameOver, protowire.VarintType)
		b = protowire.AppendVarint(b, 1)
		if st.Reason != 0 {
			b = protowire.AppendTag(b, fStateReason, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(int64(int32(st.Reason))))
		}
	}
	if info != "" && !spec.MultiAgent {
		b = appendLen(b, fStateInfo, len(info))
		b = append(b, info...)
	}
	if spec.MultiAgent && agent != "" {
		b = appendLen(b, fStateAgentID, len(agent))
		b = append(b, agent...)
	}
	return b, true
}

// dcSize is the size of the DataContainer of v (a valid value) with the
// given name; false when v holds what the general path refuses.
func dcSize(v spaces.Value, d Dialect, name string) (int, bool) {
	typ, inner, ok := dataSize(v, d)
	if !ok {
		return 0, false
	}
	url := urls[d][typ]
	anyLen := lenField(len(url))
	if inner > 0 {
		anyLen += lenField(inner)
	}
	n := tagSize + protowire.SizeVarint(uint64(typ)) + lenField(anyLen)
	if name != "" {
		n += lenField(len(name))
	}
	return n, true
}

// dataSize returns the space type of v and the size of its packed data
// message.
func dataSize(v spaces.Value, d Dialect) (pb.SpaceType, int, bool) {
	switch x := v.(type) {
	case spaces.DiscreteValue:
		if x < math.MinInt32 || x > math.MaxInt32 {
			return 0, 0, false
		}
		if x == 0 {
			return pb.SpaceType_Discrete, 0, true
		}
		return pb.SpaceType_Discrete, tagSize + protowire.SizeVarint(uint64(int64(x))), true
	case *spaces.BoxValue:
		return pb.SpaceType_Box, boxSize(x), true
	case *spaces.TupleValue:
		n := 0
		for _, e := range x.Elements {
			s, ok := dcSize(e, d, "")
			if !ok {
				return 0, 0, false
			}
			n += lenField(s)
		}
		return pb.SpaceType_Tuple, n, true
	case *spaces.DictValue:
		n := 0
		for i := range x.Len() {
			s, ok := dcSize(x.Values[i], d, x.Keys[i])
			if !ok {
				return 0, 0, false
			}
			n += lenField(s)
		}
		return pb.SpaceType_Dict, n, true
	}
	return 0, 0, false
}

// boxSize is the size of v's BoxDataContainer.
func boxSize(v *spaces.BoxValue) int {
	n := tagSize + protowire.SizeVarint(uint64(v.Dtype))
	if sh := shapeBytes(v); sh > 0 {
		n += lenField(sh)
	}
	if p := boxDataBytes(v); p > 0 {
		n += lenField(p)
	}
	return n
}

// shapeBytes is the size of the packed shape (a nil Shape is [Len]).
func shapeBytes(v *spaces.BoxValue) int {
	if v.Shape == nil {
		return protowire.SizeVarint(uint64(uint32(v.Len())))
	}
	n := 0
	for _, d := range v.Shape {
		n += protowire.SizeVarint(uint64(uint32(d)))
	}
	return n
}

// boxDataBytes is the size of the packed data of v's dtype.
func boxDataBytes(v *spaces.BoxValue) int {
	n := 0
	switch v.Dtype {
	case spaces.Int:
		for _, x := range v.Ints {
			n += protowire.SizeVarint(uint64(int64(x)))
		}
	case spaces.Uint:
		for _, x := range v.Uints {
			n += protowire.SizeVarint(uint64(x))
		}
	case spaces.Float:
		n = 4 * len(v.Floats)
	case spaces.Double:
		n = 8 * len(v.Doubles)
	}
	return n
}

// appendDC appends the body of v's DataContainer (dcSize accepted v).
func appendDC(b []byte, v spaces.Value, d Dialect, name string) []byte {
	typ, inner, _ := dataSize(v, d)
	url := urls[d][typ]
	anyLen := lenField(len(url))
	if inner > 0 {
		anyLen += lenField(inner)
	}
	b = protowire.AppendTag(b, fDCType, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(typ))
	b = appendLen(b, fDCData, anyLen)
	b = appendLen(b, fAnyURL, len(url))
	b = append(b, url...)
	if inner > 0 {
		b = appendLen(b, fAnyValue, inner)
		b = appendData(b, v, d)
	}
	if name != "" {
		b = appendLen(b, fDCName, len(name))
		b = append(b, name...)
	}
	return b
}

// appendData appends v's packed data message.
func appendData(b []byte, v spaces.Value, d Dialect) []byte {
	switch x := v.(type) {
	case spaces.DiscreteValue:
		if x != 0 {
			b = protowire.AppendTag(b, fDiscreteData, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(int64(x)))
		}
	case *spaces.BoxValue:
		b = appendBox(b, x)
	case *spaces.TupleValue:
		for _, e := range x.Elements {
			n, _ := dcSize(e, d, "")
			b = appendLen(b, fElement, n)
			b = appendDC(b, e, d, "")
		}
	case *spaces.DictValue:
		for i := range x.Len() {
			n, _ := dcSize(x.Values[i], d, x.Keys[i])
			b = appendLen(b, fElement, n)
			b = appendDC(b, x.Values[i], d, x.Keys[i])
		}
	}
	return b
}

// appendBox appends v's BoxDataContainer.
func appendBox(b []byte, v *spaces.BoxValue) []byte {
	b = protowire.AppendTag(b, fBoxDtype, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(v.Dtype))
	if sh := shapeBytes(v); sh > 0 {
		b = appendLen(b, fBoxShape, sh)
		if v.Shape == nil {
			b = protowire.AppendVarint(b, uint64(uint32(v.Len())))
		}
		for _, d := range v.Shape {
			b = protowire.AppendVarint(b, uint64(uint32(d)))
		}
	}
	p := boxDataBytes(v)
	if p == 0 {
		return b
	}
	switch v.Dtype {
	case spaces.Int:
		b = appendLen(b, fBoxInts, p)
		for _, x := range v.Ints {
			b = protowire.AppendVarint(b, uint64(int64(x)))
		}
	case spaces.Uint:
		b = appendLen(b, fBoxUints, p)
		for _, x := range v.Uints {
			b = protowire.AppendVarint(b, uint64(x))
		}
	case spaces.Float:
		b = appendLen(b, fBoxFloats, p)
		for _, x := range v.Floats {
			b = protowire.AppendFixed32(b, math.Float32bits(x))
		}
	case spaces.Double:
		b = appendLen(b, fBoxDoubles, p)
		for _, x := range v.Doubles {
			b = protowire.AppendFixed64(b, math.Float64bits(x))
		}
	}
	return b
}

// wireDC is a DataContainer as read by the fast path: its fields, each
// present at most once.
type wireDC struct {
	typ      pb.SpaceType
	url      []byte // a view of the message, not a copy
	value    []byte
	hasData  bool
	hasValue bool
}

// fields walks a message's fields, calling f with each field's number,
// wire type, varint value (for varints) and bytes (for length-delimited
// fields); seen records the field numbers met (below 64). It returns
// false, for the general path, on a malformed field, a field number at or
// above 64, a repeated field, or when f does.
func fields(msg []byte, f func(num protowire.Number, typ protowire.Type, v uint64, b []byte) bool) bool {
	var seen uint64
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 || num >= 64 || seen&(1<<num) != 0 {
			return false
		}
		seen |= 1 << num
		msg = msg[n:]
		var (
			v uint64
			b []byte
		)
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(msg)
		case protowire.BytesType:
			b, n = protowire.ConsumeBytes(msg)
		default:
			return false
		}
		if n < 0 || !f(num, typ, v, b) {
			return false
		}
		msg = msg[n:]
	}
	return true
}

// parseReplyFast parses EnvActMsg as ParseReply does, or reports false
// when the reply needs the general path.
func parseReplyFast(msg []byte, act spaces.Space, final bool, d Dialect) (agentlink.Action, bool) {
	var (
		dcBytes []byte
		hasDC   bool
		stop    bool
	)
	ok := fields(msg, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) bool {
		switch {
		case num == fActData && typ == protowire.BytesType:
			dcBytes, hasDC = b, true
		case num == fActStop && typ == protowire.VarintType:
			stop = v != 0
		default:
			return false
		}
		return true
	})
	if !ok {
		return agentlink.Action{}, false
	}
	var dc wireDC
	if hasDC && !parseDC(dcBytes, &dc) {
		return agentlink.Action{}, false
	}
	if final || stop {
		return agentlink.Action{Stop: stop}, true
	}
	if !hasDC || (dc.typ == pb.SpaceType_NoSpaceType && !dc.hasData) {
		return agentlink.Action{}, true
	}
	if !dc.hasData || (dc.typ != pb.SpaceType_Discrete && dc.typ != pb.SpaceType_Box) || !urlNames(dc.url, urls[d][dc.typ]) {
		return agentlink.Action{}, false // tuples and dicts allocate anyway: the general path
	}
	var v spaces.Value
	switch dc.typ {
	case pb.SpaceType_Discrete:
		var x int32
		if !fields(dc.value, func(num protowire.Number, typ protowire.Type, u uint64, _ []byte) bool {
			x = int32(u)
			return num == fDiscreteData && typ == protowire.VarintType
		}) {
			return agentlink.Action{}, false
		}
		v = spaces.DiscreteValue(x)
	case pb.SpaceType_Box:
		box, _ := act.(*spaces.Box)
		bv, ok := parseBox(dc.value, box)
		if !ok {
			return agentlink.Action{}, false
		}
		v = bv
	}
	if act != nil && act.Contains(v) != nil {
		return agentlink.Action{}, false
	}
	return agentlink.Action{Value: v}, true
}

// parseDC reads a DataContainer's fields; a name makes it step aside (no
// reply to a single agent carries one at the top level).
func parseDC(msg []byte, dc *wireDC) bool {
	var anyBytes []byte
	if !fields(msg, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) bool {
		switch {
		case num == fDCType && typ == protowire.VarintType:
			dc.typ = pb.SpaceType(int32(v))
		case num == fDCData && typ == protowire.BytesType:
			anyBytes, dc.hasData = b, true
		default:
			return false
		}
		return true
	}) {
		return false
	}
	return !dc.hasData || fields(anyBytes, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) bool {
		switch {
		case num == fAnyURL && typ == protowire.BytesType && utf8.Valid(b):
			dc.url = b
		case num == fAnyValue && typ == protowire.BytesType:
			dc.value, dc.hasValue = b, true
		default:
			return false
		}
		return true
	})
}

// urlNames reports whether the type URL url names the message that want
// (a full type URL) names: the part after the last '/' must match, as
// anypb and unpack compare it.
func urlNames(url []byte, want string) bool {
	return string(url[bytes.LastIndexByte(url, '/')+1:]) == want[strings.LastIndexByte(want, '/')+1:]
}

// parseBox reads a packed BoxDataContainer into a new BoxValue as
// boxValueFromProto does (with space, when not nil, giving the shape and
// widening FLOAT to a DOUBLE box); false for anything it would refuse or
// that the fast path does not read (unpacked fields).
func parseBox(msg []byte, space *spaces.Box) (*spaces.BoxValue, bool) {
	var (
		dt    spaces.Dtype
		shape []byte
		data  [5][]byte
		has   [5]bool
	)
	if !fields(msg, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) bool {
		switch {
		case num == fBoxDtype && typ == protowire.VarintType:
			dt = spaces.Dtype(int32(v))
		case num == fBoxShape && typ == protowire.BytesType:
			shape = b
		case num >= fBoxInts && num <= fBoxDoubles && typ == protowire.BytesType:
			data[num-fBoxInts+1], has[num-fBoxInts+1] = b, true
		default:
			return false
		}
		return true
	}) || !dt.Valid() {
		return nil, false
	}
	for k := spaces.Int; k <= spaces.Double; k++ {
		if k != dt && len(data[k]) > 0 {
			return nil, false
		}
	}
	raw := data[dt]
	var n int
	switch dt {
	case spaces.Int, spaces.Uint:
		n = countVarints(raw)
	case spaces.Float:
		n = len(raw) / 4
		if len(raw)%4 != 0 {
			return nil, false
		}
	case spaces.Double:
		n = len(raw) / 8
		if len(raw)%8 != 0 {
			return nil, false
		}
	}
	if n < 0 || n > spaces.MaxBoxElements {
		return nil, false
	}
	rank := countVarints(shape)
	if rank < 0 || rank > spaces.MaxRank {
		return nil, false
	}
	size := 1
	for p := shape; len(p) > 0; {
		d, k := protowire.ConsumeVarint(p)
		p = p[k:]
		if d32 := uint32(d); d32 > spaces.MaxBoxElements || (d32 > 0 && size > spaces.MaxBoxElements/int(d32)) {
			return nil, false
		} else {
			size *= int(d32)
		}
	}
	if rank > 0 && size != n {
		return nil, false
	}
	v := &spaces.BoxValue{Dtype: dt}
	switch {
	case n == 0:
	case dt == spaces.Int:
		v.Ints = make([]int32, 0, n)
		for p := raw; len(p) > 0; {
			x, k := protowire.ConsumeVarint(p)
			v.Ints, p = append(v.Ints, int32(x)), p[k:]
		}
	case dt == spaces.Uint:
		v.Uints = make([]uint32, 0, n)
		for p := raw; len(p) > 0; {
			x, k := protowire.ConsumeVarint(p)
			v.Uints, p = append(v.Uints, uint32(x)), p[k:]
		}
	case dt == spaces.Float && space != nil && space.Dtype() == spaces.Double:
		v.Dtype, v.Doubles = spaces.Double, make([]float64, n)
		for i := range v.Doubles {
			v.Doubles[i] = float64(math.Float32frombits(leUint32(raw[4*i:])))
		}
	case dt == spaces.Float:
		v.Floats = make([]float32, n)
		for i := range v.Floats {
			v.Floats[i] = math.Float32frombits(leUint32(raw[4*i:]))
		}
	case dt == spaces.Double:
		v.Doubles = make([]float64, n)
		for i := range v.Doubles {
			v.Doubles[i] = math.Float64frombits(leUint64(raw[8*i:]))
		}
	}
	if dt == spaces.Float && n == 0 && space != nil && space.Dtype() == spaces.Double {
		v.Dtype, v.Doubles = spaces.Double, []float64{}
	}
	switch {
	case space != nil && space.Size() == n:
		v.Shape = space.Shape()
	case rank > 0:
		v.Shape = make([]int, 0, rank)
		for p := shape; len(p) > 0; {
			d, k := protowire.ConsumeVarint(p)
			v.Shape, p = append(v.Shape, int(uint32(d))), p[k:]
		}
	}
	return v, true
}

// countVarints counts the varints of a packed field, or returns -1 when
// it does not parse.
func countVarints(p []byte) int {
	n := 0
	for len(p) > 0 {
		_, k := protowire.ConsumeVarint(p)
		if k < 0 {
			return -1
		}
		p = p[k:]
		n++
	}
	return n
}

func leUint32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func leUint64(b []byte) uint64 { return uint64(leUint32(b)) | uint64(leUint32(b[4:]))<<32 }
