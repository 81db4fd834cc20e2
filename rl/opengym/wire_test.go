package opengym

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

var dialects = []Dialect{NS3Gym, NS3AIGym}

// wireValues are the values of the byte-for-byte table: every dtype and
// its edges, shapes, zero values (omitted fields), nesting.
func wireValues() map[string]spaces.Value {
	tup := spaces.NewTupleValue(spaces.DiscreteValue(2), spaces.FloatBox(0.5, -1))
	return map[string]spaces.Value{
		"discrete":            spaces.DiscreteValue(3),
		"discrete-zero":       spaces.DiscreteValue(0),
		"discrete-negative":   spaces.DiscreteValue(-3),
		"discrete-max":        spaces.DiscreteValue(math.MaxInt32),
		"discrete-min":        spaces.DiscreteValue(math.MinInt32),
		"uint-box":            spaces.UintBox(1, 2, 3, 4, 5),
		"uint-box-edges":      spaces.UintBox(0, 127, 128, math.MaxUint32),
		"int-box":             spaces.IntBox(-7, 0, math.MaxInt32, math.MinInt32, -1),
		"int-box-2d":          &spaces.BoxValue{Dtype: spaces.Int, Shape: []int{2, 3}, Ints: []int32{1, 2, 3, 4, 5, 6}},
		"float-box":           spaces.FloatBox(-1.25, 0, float32(math.Inf(1)), float32(math.Copysign(0, -1)), float32(math.NaN())),
		"double-box":          spaces.DoubleBox(math.Pi, -0.1, math.SmallestNonzeroFloat64, math.Inf(-1)),
		"box-nil-shape":       &spaces.BoxValue{Dtype: spaces.Double, Doubles: []float64{1, 2}},
		"box-rank-0":          &spaces.BoxValue{Dtype: spaces.Double, Shape: []int{}, Doubles: []float64{1}},
		"box-empty":           &spaces.BoxValue{Dtype: spaces.Uint, Shape: []int{0}},
		"box-large-dims":      &spaces.BoxValue{Dtype: spaces.Uint, Shape: []int{1, 200}, Uints: make([]uint32, 200)},
		"uint-box-3-byte-len": bigUintBox(5000), // lengths of 3-byte varints at every level
		"tuple-2-byte-len":    spaces.NewTupleValue(bigUintBox(40), spaces.DiscreteValue(1)),
		"tuple":               tup,
		"tuple-empty":         spaces.NewTupleValue(),
		"dict":                spaces.NewDictValue().Set("z", spaces.UintBox(1)).Set("a", spaces.DiscreteValue(0)).Set("m", tup),
		"dict-empty-key":      spaces.NewDictValue().Set("", spaces.DiscreteValue(1)),
		"dict-unicode-key":    spaces.NewDictValue().Set("débit", spaces.FloatBox(1)),
		"nested-dict-tuple":   spaces.NewTupleValue(spaces.NewDictValue().Set("k", spaces.NewTupleValue(spaces.DiscreteValue(4)))),
		"dict-empty":          spaces.NewDictValue(),
		"discrete-in-tuples":  spaces.NewTupleValue(spaces.NewTupleValue(spaces.NewTupleValue(spaces.DiscreteValue(0)))),
	}
}

// bigUintBox is a Uint box of n large elements (5 bytes each on the
// wire).
func bigUintBox(n int) *spaces.BoxValue {
	v := make([]uint32, n)
	for i := range v {
		v[i] = math.MaxUint32 - uint32(i)
	}
	return spaces.UintBox(v...)
}

// wireStates are the states of the table, each combined with every value.
func wireStates() map[string]agentlink.State {
	return map[string]agentlink.State{
		"plain":         {Reward: 1},
		"zero-reward":   {},
		"negative-zero": {Reward: math.Copysign(0, -1)},
		"nan-reward":    {Reward: math.NaN()},
		"tiny-reward":   {Reward: 1e-50}, // rounds to float32 zero: omitted
		"info":          {Reward: -2.5, Info: "x=1"},
		"long-info":     {Reward: 1, Info: strings.Repeat("é", 100)},
		"info-map":      {Reward: 3, InfoMap: map[string]string{"b": "2", "a": "1"}},
		"game-over":     {GameOver: true, Reason: agentlink.GameOver, Info: "done"},
		"sim-end":       {GameOver: true, Reason: agentlink.SimulationEnd},
		"reason-unused": {Reason: agentlink.GameOver}, // a reason without game over is not sent
	}
}

// TestAppendStateFastBytes checks the fast path byte for byte against
// the general path (deterministic proto.Marshal of the pb message) for a
// table of values and states, in both dialects, single- and multi-agent,
// and that it takes every one of them.
func TestAppendStateFastBytes(t *testing.T) {
	specs := map[string]agentlink.Spec{
		"single": agentlink.SingleAgent(nil, nil),
		"multi":  agentlink.MultiAgent(map[string]spaces.Space{"a": nil}, nil),
	}
	values := wireValues()
	values["no-obs"] = nil
	for _, d := range dialects {
		pkg, err := d.pkg()
		require.NoError(t, err)
		for sname, spec := range specs {
			for vname, v := range values {
				for stname, st := range wireStates() {
					st.Obs = v
					if spec.MultiAgent && (st.Info != "" || len(st.InfoMap) > 0) {
						continue // multi-agent info maps take the general path (below)
					}
					for _, agent := range []string{agentlink.SingleAgentID, "agent-7"} {
						if !spec.MultiAgent && agent != agentlink.SingleAgentID {
							continue
						}
						want, err := appendStateProto([]byte("pre"), pkg, spec, agent, st)
						require.NoError(t, err)
						got, ok := appendStateFast([]byte("pre"), d, spec, agent, st)
						require.True(t, ok, "%v %s %s %s: fast path", d, sname, vname, stname)
						require.Equal(t, want, got, "%v %s %s %s", d, sname, vname, stname)
					}
				}
			}
		}
	}
}

// The fast path steps aside for what it does not write, and the codec's
// answer is then the general path's, bytes or error.
func TestAppendStateFallback(t *testing.T) {
	single := agentlink.SingleAgent(nil, nil)
	multi := agentlink.MultiAgent(map[string]spaces.Space{"a": nil}, nil)
	cases := []struct {
		name  string
		spec  agentlink.Spec
		agent string
		st    agentlink.State
		err   string
	}{
		{"invalid-utf8-info", single, "", agentlink.State{Info: "\xff"}, "opengym: marshal EnvStateMsg: string field contains invalid UTF-8"},
		{"discrete-beyond-int32", single, "", agentlink.State{Obs: spaces.DiscreteValue(math.MaxInt32 + 1)}, "observation: opengym: discrete value 2147483648 does not fit ns3-gym's int32"},
		{"malformed-box", single, "", agentlink.State{Obs: &spaces.BoxValue{Dtype: spaces.Uint, Shape: []int{3}, Uints: []uint32{1}}}, "observation: opengym: invalid value: box value shape [3] needs 3 elements, it holds 1"},
		{"nil-box", multi, "a", agentlink.State{Obs: (*spaces.BoxValue)(nil)}, `observation of agent "a": opengym: invalid value: nil box value`},
		{"multi-info-map", multi, "a", agentlink.State{InfoMap: map[string]string{"b": "2", "a": ""}}, ""},
		{"multi-invalid-utf8-agent", multi, "\xfe", agentlink.State{}, "opengym: marshal MultiAgentEnvStateMsg: string field contains invalid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ok := appendStateFast(nil, NS3Gym, c.spec, c.agent, c.st)
			require.False(t, ok)
			want, wantErr := appendStateProto(nil, ns3gymPackage, c.spec, c.agent, c.st)
			got, err := Codec{}.AppendState(nil, c.spec, c.agent, c.st)
			if c.err != "" {
				require.EqualError(t, wantErr, c.err)
				require.EqualError(t, err, c.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, want, got)
		})
	}
}

// actMsg marshals EnvActMsg holding v (nil: no action) in package pkg.
func actMsg(t testing.TB, v spaces.Value, stop bool, pkg string) []byte {
	m := &pb.EnvActMsg{StopSimReq: stop}
	if v != nil {
		c, err := valueToProtoIn(v, pkg)
		require.NoError(t, err)
		m.ActData = c
	}
	b, err := proto.Marshal(m)
	require.NoError(t, err)
	return b
}

// TestParseReplyFast decodes actions the way the general path does, and
// takes the common ones (Discrete and Box, as ns3-gym's and ns3-ai's
// Python agents send them) itself.
func TestParseReplyFast(t *testing.T) {
	disc := must(spaces.NewDiscrete(5))
	boxD := must(spaces.NewBox(-1, 1, []int{2, 2}, spaces.Double))
	boxF := must(spaces.NewBox(-1, 1, []int{3}, spaces.Float))
	boxI := must(spaces.NewBox(-5, 5, []int{2}, spaces.Int))
	boxU := must(spaces.NewBox(0, 1000, []int{3}, spaces.Uint))
	tup := must(spaces.NewTuple(disc, boxF))
	cases := []struct {
		name  string
		space spaces.Space
		value spaces.Value // sent
		fast  bool         // the fast path takes it
	}{
		{"discrete", disc, spaces.DiscreteValue(3), true},
		{"discrete-zero", disc, spaces.DiscreteValue(0), true},
		{"discrete-no-space", nil, spaces.DiscreteValue(-9), true},
		{"discrete-out-of-space", disc, spaces.DiscreteValue(7), false},
		{"float-for-double", boxD, spaces.FloatBox(0.5, -0.5, 0, 1), true}, // ns3-gym's agent packs float64 as FLOAT
		{"double-2d", boxD, spaces.DoubleBox(0.5, -0.5, 0, 1), true},       // shape [4] takes the space's [2 2]
		{"float", boxF, &spaces.BoxValue{Dtype: spaces.Float, Floats: []float32{1, 0, -1}}, true},
		{"int", boxI, spaces.IntBox(-5, 5), true},
		{"uint", boxU, spaces.UintBox(0, 999, 1000), true},
		{"uint-no-space", nil, &spaces.BoxValue{Dtype: spaces.Uint, Shape: []int{1, 2}, Uints: []uint32{7, 8}}, true},
		{"box-size-mismatch", boxU, spaces.UintBox(1, 2), false},
		{"box-out-of-bounds", boxU, spaces.UintBox(1, 2, 5000), false},
		{"box-empty-no-space", nil, &spaces.BoxValue{Dtype: spaces.Float, Shape: []int{0}}, true},
		{"wrong-kind", disc, spaces.UintBox(1), false},
		{"tuple", tup, spaces.NewTupleValue(spaces.DiscreteValue(1), spaces.FloatBox(0, 0, 0)), false},
		{"no-action", disc, nil, true},
	}
	for _, d := range dialects {
		pkg, _ := d.pkg()
		for _, c := range cases {
			for _, stop := range []bool{false, true} {
				for _, final := range []bool{false, true} {
					msg := actMsg(t, c.value, stop, pkg)
					want, wantErr := parseReplyProto(msg, c.space, final, pkg)
					got, ok := parseReplyFast(msg, c.space, final, d)
					what := []any{"%v %s stop=%v final=%v", d, c.name, stop, final}
					if c.fast || stop || final {
						require.True(t, ok, what...)
						require.NoError(t, wantErr, what...)
						require.Equal(t, want, got, what...)
					} else {
						require.False(t, ok, what...)
					}
					got, err := Codec{Dialect: d}.ParseReply(msg, c.space, final)
					require.Equal(t, want, got, what...)
					require.Equal(t, wantErr, err, what...)
				}
			}
		}
	}
}

// Replies the fast path leaves to the general path: every one is
// answered as the general path answers it.
func TestParseReplyFallback(t *testing.T) {
	disc := must(spaces.NewDiscrete(5))
	discAny := func(url string, val []byte) []byte {
		b, err := proto.Marshal(&pb.EnvActMsg{ActData: &pb.DataContainer{Type: pb.SpaceType_Discrete, Data: &anypb.Any{TypeUrl: url, Value: val}}})
		require.NoError(t, err)
		return b
	}
	three := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 3)
	good := discAny("type.googleapis.com/ns3opengym.DiscreteDataContainer", three)
	cases := map[string][]byte{
		"garbage":          {0xff, 0xff},
		"unknown-field":    protowire.AppendVarint(protowire.AppendTag(append([]byte{}, good...), 9, protowire.VarintType), 1),
		"stop-twice":       {0x10, 0x01, 0x10, 0x00},
		"act-twice":        append(append([]byte{}, good...), good...),
		"other-package":    discAny("type.googleapis.com/ns3_ai_gym.DiscreteDataContainer", three),
		"other-message":    discAny("type.googleapis.com/ns3opengym.BoxDataContainer", three),
		"no-prefix-url":    discAny("ns3opengym.DiscreteDataContainer", three),
		"other-prefix-url": discAny("example.com/a/ns3opengym.DiscreteDataContainer", three),
		"glued-url":        discAny("type.googleapis.com/xns3opengym.DiscreteDataContainer", three),
		"short-url":        discAny("Container", three),
		"invalid-utf8-url": rawDiscrete("\xff", three),
		"no-data":          mustMarshal(t, &pb.EnvActMsg{ActData: &pb.DataContainer{Type: pb.SpaceType_Box}}),
		"named":            mustMarshal(t, &pb.EnvActMsg{ActData: &pb.DataContainer{Type: pb.SpaceType_Discrete, Name: "k", Data: &anypb.Any{TypeUrl: "type.googleapis.com/ns3opengym.DiscreteDataContainer"}}}),
		"unknown-type":     mustMarshal(t, &pb.EnvActMsg{ActData: &pb.DataContainer{Type: 9, Data: &anypb.Any{}}}),
		"discrete-fixed":   discAny("type.googleapis.com/ns3opengym.DiscreteDataContainer", protowire.AppendFixed32(protowire.AppendTag(nil, 1, protowire.Fixed32Type), 3)),
		"box-unpacked": discBox(t, func(b []byte) []byte {
			b = protowire.AppendVarint(protowire.AppendTag(b, fBoxDtype, protowire.VarintType), 2)
			return protowire.AppendVarint(protowire.AppendTag(b, fBoxUints, protowire.VarintType), 1)
		}),
		"box-two-dtypes": discBox(t, func(b []byte) []byte {
			b = protowire.AppendVarint(protowire.AppendTag(b, fBoxDtype, protowire.VarintType), 2)
			b = protowire.AppendBytes(protowire.AppendTag(b, fBoxUints, protowire.BytesType), []byte{1})
			return protowire.AppendBytes(protowire.AppendTag(b, fBoxInts, protowire.BytesType), []byte{1})
		}),
		"box-shape-mismatch": discBox(t, func(b []byte) []byte {
			b = protowire.AppendVarint(protowire.AppendTag(b, fBoxDtype, protowire.VarintType), 2)
			b = protowire.AppendBytes(protowire.AppendTag(b, fBoxShape, protowire.BytesType), []byte{3})
			return protowire.AppendBytes(protowire.AppendTag(b, fBoxUints, protowire.BytesType), []byte{1})
		}),
		"box-ragged-floats": discBox(t, func(b []byte) []byte {
			b = protowire.AppendVarint(protowire.AppendTag(b, fBoxDtype, protowire.VarintType), 3)
			return protowire.AppendBytes(protowire.AppendTag(b, fBoxFloats, protowire.BytesType), []byte{1, 2, 3})
		}),
		"box-no-dtype": discBox(t, func(b []byte) []byte { return b }),
	}
	for name, msg := range cases {
		for _, final := range []bool{false, true} {
			want, wantErr := parseReplyProto(msg, disc, final, ns3gymPackage)
			got, err := Codec{}.ParseReply(msg, disc, final)
			require.Equal(t, want, got, name)
			require.Equal(t, wantErr, err, name)
			if _, ok := parseReplyFast(msg, disc, final, NS3Gym); ok {
				require.NoError(t, wantErr, "%s final=%v: the fast path took a reply the general path refuses", name, final)
			}
		}
	}
}

// rawDiscrete is EnvActMsg with a Discrete container whose Any holds url
// and val, written with protowire (proto.Marshal refuses a URL that is not
// UTF-8).
func rawDiscrete(url string, val []byte) []byte {
	a := protowire.AppendString(protowire.AppendTag(nil, fAnyURL, protowire.BytesType), url)
	a = protowire.AppendBytes(protowire.AppendTag(a, fAnyValue, protowire.BytesType), val)
	dc := protowire.AppendVarint(protowire.AppendTag(nil, fDCType, protowire.VarintType), 1)
	dc = protowire.AppendBytes(protowire.AppendTag(dc, fDCData, protowire.BytesType), a)
	return protowire.AppendBytes(protowire.AppendTag(nil, fActData, protowire.BytesType), dc)
}

func mustMarshal(t testing.TB, m proto.Message) []byte {
	b, err := proto.Marshal(m)
	require.NoError(t, err)
	return b
}

// discBox is EnvActMsg with a Box container whose packed message edit
// writes.
func discBox(t testing.TB, edit func([]byte) []byte) []byte {
	return mustMarshal(t, &pb.EnvActMsg{ActData: &pb.DataContainer{Type: pb.SpaceType_Box,
		Data: &anypb.Any{TypeUrl: "type.googleapis.com/ns3opengym.BoxDataContainer", Value: edit(nil)}}})
}

// TestCodecStepAllocs: a step of the common spaces (a Box observed, a
// Discrete or Box action) allocates nothing in the codec but the Box
// action it returns.
func TestCodecStepAllocs(t *testing.T) {
	spec := agentlink.SingleAgent(must(spaces.NewBox(0, 10, []int{5}, spaces.Uint)), must(spaces.NewDiscrete(5)))
	for _, d := range dialects {
		pkg, _ := d.pkg()
		c := Codec{Dialect: d}
		st := agentlink.State{Obs: spaces.UintBox(1, 2, 3, 4, 5), Reward: 1}
		buf := make([]byte, 0, 256)
		discrete := actMsg(t, spaces.DiscreteValue(3), false, pkg)
		box := actMsg(t, spaces.DoubleBox(0.5, -0.5), false, pkg)
		boxSpace := must(spaces.NewBox(-1, 1, []int{2}, spaces.Double))
		var err error
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			buf, err = c.AppendState(buf[:0], spec, agentlink.SingleAgentID, st)
		}), "%v: AppendState of a Box", d)
		require.NoError(t, err)
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			_, err = c.ParseReply(discrete, spec.Act[agentlink.SingleAgentID], false)
		}), "%v: ParseReply of a Discrete action", d)
		require.NoError(t, err)
		assert.Equal(t, 3.0, testing.AllocsPerRun(100, func() {
			_, err = c.ParseReply(box, boxSpace, false)
		}), "%v: ParseReply of a Box action: the value, its data, its shape", d)
		require.NoError(t, err)
	}
}

// FuzzAppendState: for values sampled from the test spaces and arbitrary
// rewards and info strings, the codec writes the general path's bytes or
// returns its error.
func FuzzAppendState(f *testing.F) {
	f.Add(uint64(1), 1.0, "", false, int32(0), false)
	f.Add(uint64(2), -0.0, "x\xff", true, int32(1), true)
	f.Add(uint64(3), math.Inf(1), "{\"a\":1}", true, int32(-4), false)
	names, all := sortedSpaces()
	f.Fuzz(func(t *testing.T, seed uint64, reward float64, info string, over bool, reason int32, multi bool) {
		r := rand.New(rand.NewPCG(seed, 7))
		s := all[names[int(seed%uint64(len(names)))]]
		spec := agentlink.SingleAgent(nil, nil)
		agent := agentlink.SingleAgentID
		if multi {
			spec, agent = agentlink.MultiAgent(map[string]spaces.Space{info: nil}, nil), info
		}
		st := agentlink.State{Obs: s.Sample(r), Reward: reward, Info: info, GameOver: over, Reason: agentlink.Reason(reason)}
		for _, d := range dialects {
			pkg, _ := d.pkg()
			want, wantErr := appendStateProto(nil, pkg, spec, agent, st)
			got, err := Codec{Dialect: d}.AppendState(nil, spec, agent, st)
			require.Equal(t, wantErr, err)
			require.Equal(t, want, got)
		}
	})
}

// FuzzParseReply: whatever the agent sends, in ns3-gym's or ns3-ai's Gym
// dialect, the codec answers as the general path does.
func FuzzParseReply(f *testing.F) {
	names, all := sortedSpaces()
	r := newRand()
	for i, n := range names {
		f.Add(actMsg(f, all[n].Sample(r), false, ns3gymPackage), uint8(i), false, false)
		f.Add(actMsg(f, all[n].Sample(r), false, "ns3_ai_gym"), uint8(i), false, true)
	}
	f.Add([]byte{0x10, 0x01}, uint8(1), true, false)
	f.Add([]byte{0x10, 0x01}, uint8(1), true, true)
	// A NaN in a float box (CI's fuzzer found that comparing with
	// reflect.DeepEqual failed on it although both paths agree).
	nan := spaces.FloatBox(1, float32(math.NaN()), 2)
	f.Add(actMsg(f, nan, false, ns3gymPackage), uint8(3), false, false)
	f.Fuzz(func(t *testing.T, msg []byte, space uint8, final, ns3ai bool) {
		s := all[names[int(space)%len(names)]]
		codec, pkg := Codec{}, ns3gymPackage
		if ns3ai { // ns3-ai's Gym dialect: package ns3_ai_gym in the type URLs
			codec, pkg = Codec{Dialect: NS3AIGym}, "ns3_ai_gym"
		}
		for _, sp := range []spaces.Space{s, nil} {
			want, wantErr := parseReplyProto(msg, sp, final, pkg)
			got, err := codec.ParseReply(msg, sp, final)
			require.Equal(t, wantErr, err)
			require.True(t, (want.Value == nil) == (got.Value == nil) && want.Stop == got.Stop)
			if want.Value != nil {
				require.True(t, spaces.Equal(want.Value, got.Value), "%v != %v", want.Value, got.Value)
				require.Equal(t, bitView(want.Value), bitView(got.Value))
			}
		}
	})
}

// bitView returns v with every float replaced by its bit pattern, so that
// require.Equal compares values bit for bit and in the same representation
// (nil or empty shape, which slice holds the data) even when they hold NaN,
// which reflect.DeepEqual never finds equal to itself.
func bitView(v spaces.Value) any {
	switch x := v.(type) {
	case *spaces.BoxValue:
		if x == nil {
			return x
		}
		type box struct {
			Dtype   spaces.Dtype
			Shape   []int
			Ints    []int32
			Uints   []uint32
			Floats  []uint32
			Doubles []uint64
		}
		b := box{Dtype: x.Dtype, Shape: x.Shape, Ints: x.Ints, Uints: x.Uints}
		if x.Floats != nil {
			b.Floats = make([]uint32, len(x.Floats))
			for i, f := range x.Floats {
				b.Floats[i] = math.Float32bits(f)
			}
		}
		if x.Doubles != nil {
			b.Doubles = make([]uint64, len(x.Doubles))
			for i, f := range x.Doubles {
				b.Doubles[i] = math.Float64bits(f)
			}
		}
		return b
	case *spaces.TupleValue:
		if x == nil {
			return x
		}
		elems := make([]any, len(x.Elements))
		for i, e := range x.Elements {
			elems[i] = bitView(e)
		}
		return struct{ Tuple []any }{elems}
	case *spaces.DictValue:
		if x == nil {
			return x
		}
		vals := make([]any, len(x.Values))
		for i, e := range x.Values {
			vals[i] = bitView(e)
		}
		return struct {
			Keys   []string
			Values []any
		}{x.Keys, vals}
	}
	return v
}

// sortedSpaces returns the test spaces and their names in a fixed order.
func sortedSpaces() ([]string, map[string]spaces.Space) {
	all := testSpaces(nil)
	names := []string{"discrete", "box-uint", "box-int-2d", "box-float", "box-double-inf", "box-per-element", "box-scalar", "tuple", "dict", "empty-tuple"}
	return names, all
}
