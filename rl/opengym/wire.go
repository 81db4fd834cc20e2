package opengym

import (
	"math"
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

// urlPrefix starts the type URLs netgym writes.
const urlPrefix = "type.googleapis.com/"

// urls holds the type URLs of the packed data messages, per dialect and
// space type, so that encoding them allocates nothing.
var urls = func() (u [2][5]string) {
	names := [5]string{"", "DiscreteDataContainer", "BoxDataContainer", "TupleDataContainer", "DictDataContainer"}
	for d, pkg := range [2]string{ns3gymPackage, "ns3_ai_gym"} {
		for t := 1; t < 5; t++ {
			u[d][t] = urlPrefix + pkg + "." + names[t]
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

// appendTag appends the tag of field num (below 16: one byte).
func appendTag(b []byte, num protowire.Number, typ protowire.Type) []byte {
	return append(b, byte(num)<<3|byte(typ))
}

// appendVarint is protowire.AppendVarint with the one-byte case inlined.
func appendVarint(b []byte, v uint64) []byte {
	if v < 0x80 {
		return append(b, byte(v))
	}
	return protowire.AppendVarint(b, v)
}

// appendString appends a string field's length and bytes.
func appendString(b []byte, s string) []byte { return append(appendVarint(b, uint64(len(s))), s...) }

// beginLen appends the tag of a length-delimited field and one byte for
// its length; endLen writes the length once the field's bytes follow.
func beginLen(b []byte, num protowire.Number) ([]byte, int) {
	b = appendTag(b, num, protowire.BytesType)
	return append(b, 0), len(b) + 1
}

// zeros pads a field whose length needs more than one byte.
var zeros [10]byte

// endLen writes the length of the field whose bytes start at start (as
// beginLen returned it): in its one byte when below 128, otherwise the
// bytes move up to make room for the longer varint.
func endLen(b []byte, start int) []byte {
	n := len(b) - start
	if n < 0x80 {
		b[start-1] = byte(n)
		return b
	}
	k := protowire.SizeVarint(uint64(n))
	b = append(b, zeros[:k-1]...)
	copy(b[start+k-1:], b[start:start+n])
	appendVarint(b[:start-1], uint64(n))
	return b
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
		if spaces.Validate(st.Obs) != nil || !encodable(st.Obs) {
			return b, false
		}
		var at int
		b, at = beginLen(b, fStateObs)
		b = endLen(appendDC(b, st.Obs, d, ""), at)
	}
	if r := float32(st.Reward); math.Float32bits(r) != 0 {
		b = appendTag(b, fStateReward, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, math.Float32bits(r))
	}
	if st.GameOver {
		b = appendTag(b, fStateGameOver, protowire.VarintType)
		b = appendVarint(b, 1)
		if st.Reason != 0 {
			b = appendTag(b, fStateReason, protowire.VarintType)
			b = appendVarint(b, uint64(int64(int32(st.Reason))))
		}
	}
	if info != "" && !spec.MultiAgent {
		b = appendString(appendTag(b, fStateInfo, protowire.BytesType), info)
	}
	if spec.MultiAgent && agent != "" {
		b = appendString(appendTag(b, fStateAgentID, protowire.BytesType), agent)
	}
	return b, true
}

// encodable reports whether the fast path writes v (a valid value): not
// a discrete value beyond int32, which the general path refuses.
func encodable(v spaces.Value) bool {
	switch x := v.(type) {
	case spaces.DiscreteValue:
		return x >= math.MinInt32 && x <= math.MaxInt32
	case *spaces.BoxValue:
		return true
	case *spaces.TupleValue:
		for _, e := range x.Elements {
			if !encodable(e) {
				return false
			}
		}
		return true
	case *spaces.DictValue:
		for i := range x.Len() {
			if !encodable(x.Values[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// spaceType is the space type of a valid value.
func spaceType(v spaces.Value) pb.SpaceType {
	switch v.(type) {
	case spaces.DiscreteValue:
		return pb.SpaceType_Discrete
	case *spaces.BoxValue:
		return pb.SpaceType_Box
	case *spaces.TupleValue:
		return pb.SpaceType_Tuple
	}
	return pb.SpaceType_Dict
}

// appendDC appends the body of v's DataContainer (an encodable value)
// with the given name. The Any's value is left out when the packed
// message is empty, as proto3 leaves out empty bytes.
func appendDC(b []byte, v spaces.Value, d Dialect, name string) []byte {
	typ := spaceType(v)
	b = appendTag(b, fDCType, protowire.VarintType)
	b = appendVarint(b, uint64(typ))
	b, anyAt := beginLen(b, fDCData)
	b = appendString(appendTag(b, fAnyURL, protowire.BytesType), urls[d][typ])
	valueTag := len(b)
	b, valueAt := beginLen(b, fAnyValue)
	b = appendData(b, v, d)
	if len(b) == valueAt {
		b = b[:valueTag]
	} else {
		b = endLen(b, valueAt)
	}
	b = endLen(b, anyAt)
	if name != "" {
		b = appendString(appendTag(b, fDCName, protowire.BytesType), name)
	}
	return b
}

// appendData appends v's packed data message.
func appendData(b []byte, v spaces.Value, d Dialect) []byte {
	switch x := v.(type) {
	case spaces.DiscreteValue:
		if x != 0 {
			b = appendTag(b, fDiscreteData, protowire.VarintType)
			b = appendVarint(b, uint64(int64(x)))
		}
	case *spaces.BoxValue:
		b = appendBox(b, x)
	case *spaces.TupleValue:
		for _, e := range x.Elements {
			var at int
			b, at = beginLen(b, fElement)
			b = endLen(appendDC(b, e, d, ""), at)
		}
	case *spaces.DictValue:
		for i := range x.Len() {
			var at int
			b, at = beginLen(b, fElement)
			b = endLen(appendDC(b, x.Values[i], d, x.Keys[i]), at)
		}
	}
	return b
}

// appendBox appends v's BoxDataContainer: dtype, the packed shape (a nil
// Shape is [Len]; an empty one is left out) and the packed data of the
// dtype (left out when empty).
func appendBox(b []byte, v *spaces.BoxValue) []byte {
	b = appendTag(b, fBoxDtype, protowire.VarintType)
	b = appendVarint(b, uint64(v.Dtype))
	if v.Shape == nil || len(v.Shape) > 0 {
		var at int
		b, at = beginLen(b, fBoxShape)
		if v.Shape == nil {
			b = appendVarint(b, uint64(uint32(v.Len())))
		}
		for _, d := range v.Shape {
			b = appendVarint(b, uint64(uint32(d)))
		}
		b = endLen(b, at)
	}
	return appendBoxData(b, v)
}

func appendBoxData(b []byte, v *spaces.BoxValue) []byte {
	if v.Len() == 0 {
		return b
	}
	var at int
	switch v.Dtype {
	case spaces.Int:
		b, at = beginLen(b, fBoxInts)
		for _, x := range v.Ints {
			b = appendVarint(b, uint64(int64(x)))
		}
	case spaces.Uint:
		b, at = beginLen(b, fBoxUints)
		for _, x := range v.Uints {
			b = appendVarint(b, uint64(x))
		}
	case spaces.Float:
		b, at = beginLen(b, fBoxFloats)
		for _, x := range v.Floats {
			b = protowire.AppendFixed32(b, math.Float32bits(x))
		}
	case spaces.Double:
		b, at = beginLen(b, fBoxDoubles)
		for _, x := range v.Doubles {
			b = protowire.AppendFixed64(b, math.Float64bits(x))
		}
	}
	return endLen(b, at)
}

// wireDC is a DataContainer as read by the fast path: its fields, each
// present at most once.
type wireDC struct {
	typ     pb.SpaceType
	url     []byte // a view of the message, not a copy
	value   []byte
	hasData bool
}

// reader walks the fields of a message: after next, num and typ are the
// field's, v a varint's value and b a length-delimited field's bytes.
type reader struct {
	msg  []byte
	seen uint64 // the field numbers met
	num  protowire.Number
	typ  protowire.Type
	v    uint64
	b    []byte
}

// reset starts reading msg.
func (r *reader) reset(msg []byte) { r.msg, r.seen = msg, 0 }

// next reads the next field. It reports false at the end of the message
// and, setting bad, for the general path: a tag beyond one byte (field
// numbers from 16 on; the messages read here have none), field number 0,
// a malformed field, a wire type other than varint and bytes, or a field
// met twice (proto merges those; the fast path does not).
func (r *reader) next(bad *bool) bool {
	if len(r.msg) == 0 {
		return false
	}
	tag := r.msg[0]
	r.num, r.typ = protowire.Number(tag>>3), protowire.Type(tag&7)
	if tag >= 0x80 || r.num == 0 || r.seen&(1<<r.num) != 0 {
		*bad = true
		return false
	}
	r.seen |= 1 << r.num
	v, n := uvarint(r.msg[1:])
	if n < 0 {
		*bad = true
		return false
	}
	rest := r.msg[1+n:]
	switch r.typ {
	case protowire.VarintType:
		r.v, r.msg = v, rest
	case protowire.BytesType:
		if v > uint64(len(rest)) {
			*bad = true
			return false
		}
		r.b, r.msg = rest[:v], rest[v:]
	default:
		*bad = true
		return false
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
		bad     bool
		r       reader
	)
	r.reset(msg)
	for r.next(&bad) {
		switch {
		case r.num == fActData && r.typ == protowire.BytesType:
			dcBytes, hasDC = r.b, true
		case r.num == fActStop && r.typ == protowire.VarintType:
			stop = r.v != 0
		default:
			return agentlink.Action{}, false
		}
	}
	if bad {
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
		r.reset(dc.value)
		for r.next(&bad) {
			if r.num != fDiscreteData || r.typ != protowire.VarintType {
				return agentlink.Action{}, false
			}
			x = int32(r.v)
		}
		if bad {
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
	var (
		anyBytes []byte
		bad      bool
		r        reader
	)
	r.reset(msg)
	for r.next(&bad) {
		switch {
		case r.num == fDCType && r.typ == protowire.VarintType:
			dc.typ = pb.SpaceType(int32(r.v))
		case r.num == fDCData && r.typ == protowire.BytesType:
			anyBytes, dc.hasData = r.b, true
		default:
			return false
		}
	}
	r.reset(anyBytes)
	for !bad && r.next(&bad) {
		switch {
		case r.num == fAnyURL && r.typ == protowire.BytesType && utf8.Valid(r.b):
			dc.url = r.b
		case r.num == fAnyValue && r.typ == protowire.BytesType:
			dc.value = r.b
		default:
			return false
		}
	}
	return !bad
}

// uvarint reads a varint (protowire.ConsumeVarint, with the one-byte case
// first).
func uvarint(b []byte) (uint64, int) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	return protowire.ConsumeVarint(b)
}

// urlNames reports whether the type URL url names the message that want
// (a full type URL, "type.googleapis.com/" and the message's full name)
// names: the part after url's last '/' must be that name, as anypb and
// unpack compare it.
func urlNames(url []byte, want string) bool {
	name := want[len(urlPrefix):]
	k := len(url) - len(name)
	return k >= 0 && string(url[k:]) == name && (k == 0 || url[k-1] == '/')
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
	)
	var (
		bad bool
		r   reader
	)
	r.reset(msg)
	for r.next(&bad) {
		switch {
		case r.num == fBoxDtype && r.typ == protowire.VarintType:
			dt = spaces.Dtype(int32(r.v))
		case r.num == fBoxShape && r.typ == protowire.BytesType:
			shape = r.b
		case r.num >= fBoxInts && r.num <= fBoxDoubles && r.typ == protowire.BytesType:
			data[r.num-fBoxInts+1] = r.b
		default:
			return nil, false
		}
	}
	if bad || !dt.Valid() {
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
