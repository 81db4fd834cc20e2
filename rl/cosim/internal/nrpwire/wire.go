// Package nrpwire encodes the messages of NRP-core's gRPC engine protocol
// (package EngineGrpc, service EngineGrpcService) with protowire, from the
// protocol's published facts (message names, field names and numbers);
// no .proto file or generated code of NRP-core is used.
//
//	DataPackIdentifier  {dataPackName = 1; dataPackType = 2; engineName = 3} (strings)
//	DataPackMessage     {DataPackIdentifier dataPackId = 1; google.protobuf.Any data = 2}
//	InitializeRequest, InitializeReply, ShutdownRequest, ShutdownReply,
//	ResetRequest, ResetReply                 {string json = 1}
//	RunLoopStepRequest  {int64 timeStep = 1}   RunLoopStepReply {int64 engineTime = 1}
//	SetDataPacksRequest {repeated DataPackMessage dataPacks = 1}   SetDataPacksReply {}
//	GetDataPacksRequest {repeated DataPackIdentifier datapackIds = 1}
//	GetDataPacksReply   {repeated DataPackMessage dataPacks = 1}
//
// Datapack data travel as google.protobuf.Any {type_url = 1; value = 2}
// holding NRP-core's generic messages: NrpGenericProto.ArrayDouble,
// ArrayFloat, ArrayInt32, ArrayUInt32, ArrayInt64 {repeated array = 1;
// repeated uint32 shape = 2} and Wrappers.Int64Value, DoubleValue,
// BoolValue, StringValue {value = 1}.
package nrpwire

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/netgym/netgym/spaces"
)

// Service is the gRPC service's full name; methods are called at
// "/" + Service + "/" + method.
const Service = "EngineGrpc.EngineGrpcService"

// Method names of the service.
const (
	MethodInitialize   = "initialize"
	MethodShutdown     = "shutdown"
	MethodRunLoopStep  = "runLoopStep"
	MethodSetDataPacks = "setDataPacks"
	MethodGetDataPacks = "getDataPacks"
	MethodReset        = "reset"
)

// TypeURLPrefix prefixes the type URL of an Any.
const TypeURLPrefix = "type.googleapis.com/"

// Full names of the data messages.
const (
	ArrayDouble = "NrpGenericProto.ArrayDouble"
	ArrayFloat  = "NrpGenericProto.ArrayFloat"
	ArrayInt32  = "NrpGenericProto.ArrayInt32"
	ArrayUInt32 = "NrpGenericProto.ArrayUInt32"
	ArrayInt64  = "NrpGenericProto.ArrayInt64"
	Int64Value  = "Wrappers.Int64Value"
	DoubleValue = "Wrappers.DoubleValue"
	BoolValue   = "Wrappers.BoolValue"
	StringValue = "Wrappers.StringValue"
)

// DataPackID is a DataPackIdentifier.
type DataPackID struct {
	Name, Type, Engine string
}

// Any is a google.protobuf.Any.
type Any struct {
	TypeURL string
	Value   []byte
}

// DataPackMessage is a datapack; nil Data is an empty datapack.
type DataPackMessage struct {
	ID   DataPackID
	Data *Any
}

// ErrMalformed reports bytes that are not the expected message.
var ErrMalformed = errors.New("malformed protobuf message")

func malformed(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, a...))
}

// fields calls fn for every field of a message.
func fields(b []byte, fn func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return malformed("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		var v []byte
		var x uint64
		switch typ {
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(b)
		case protowire.Fixed64Type:
			x, n = protowire.ConsumeFixed64(b)
		case protowire.Fixed32Type:
			var y uint32
			y, n = protowire.ConsumeFixed32(b)
			x = uint64(y)
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return malformed("field %d: %v", num, protowire.ParseError(n))
		}
		b = b[n:]
		if err := fn(num, typ, v, x); err != nil {
			return err
		}
	}
	return nil
}

func wantType(num protowire.Number, got, want protowire.Type) error {
	if got != want {
		return malformed("field %d has wire type %d, want %d", num, got, want)
	}
	return nil
}

// EncodeJSON encodes {string json = 1} (initialize, shutdown and reset
// requests and replies).
func EncodeJSON(s string) []byte {
	if s == "" {
		return nil
	}
	return protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), s)
}

// DecodeJSON decodes {string json = 1}.
func DecodeJSON(b []byte) (string, error) {
	var s string
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num == 1 {
			if err := wantType(num, typ, protowire.BytesType); err != nil {
				return err
			}
			s = string(v)
		}
		return nil
	})
	return s, err
}

// EncodeInt64 encodes {int64 x = 1} (RunLoopStepRequest.timeStep,
// RunLoopStepReply.engineTime).
func EncodeInt64(x int64) []byte {
	if x == 0 {
		return nil
	}
	return protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), uint64(x))
}

// DecodeInt64 decodes {int64 x = 1}.
func DecodeInt64(b []byte) (int64, error) {
	var x int64
	err := fields(b, func(num protowire.Number, typ protowire.Type, _ []byte, v uint64) error {
		if num == 1 {
			if err := wantType(num, typ, protowire.VarintType); err != nil {
				return err
			}
			x = int64(v)
		}
		return nil
	})
	return x, err
}

func appendID(b []byte, id DataPackID) []byte {
	if id.Name != "" {
		b = protowire.AppendString(protowire.AppendTag(b, 1, protowire.BytesType), id.Name)
	}
	if id.Type != "" {
		b = protowire.AppendString(protowire.AppendTag(b, 2, protowire.BytesType), id.Type)
	}
	if id.Engine != "" {
		b = protowire.AppendString(protowire.AppendTag(b, 3, protowire.BytesType), id.Engine)
	}
	return b
}

func decodeID(b []byte) (DataPackID, error) {
	var id DataPackID
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num < 1 || num > 3 {
			return nil
		}
		if err := wantType(num, typ, protowire.BytesType); err != nil {
			return err
		}
		switch num {
		case 1:
			id.Name = string(v)
		case 2:
			id.Type = string(v)
		case 3:
			id.Engine = string(v)
		}
		return nil
	})
	return id, err
}

// EncodeIDs encodes GetDataPacksRequest {repeated DataPackIdentifier
// datapackIds = 1}.
func EncodeIDs(ids []DataPackID) []byte {
	var b []byte
	for _, id := range ids {
		b = protowire.AppendBytes(protowire.AppendTag(b, 1, protowire.BytesType), appendID(nil, id))
	}
	return b
}

// DecodeIDs decodes GetDataPacksRequest.
func DecodeIDs(b []byte) ([]DataPackID, error) {
	var ids []DataPackID
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num != 1 {
			return nil
		}
		if err := wantType(num, typ, protowire.BytesType); err != nil {
			return err
		}
		id, err := decodeID(v)
		ids = append(ids, id)
		return err
	})
	return ids, err
}

// EncodeDataPacks encodes SetDataPacksRequest and GetDataPacksReply
// {repeated DataPackMessage dataPacks = 1}.
func EncodeDataPacks(dps []DataPackMessage) []byte {
	var b []byte
	for _, dp := range dps {
		m := protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), appendID(nil, dp.ID))
		if dp.Data != nil {
			var a []byte
			a = protowire.AppendString(protowire.AppendTag(a, 1, protowire.BytesType), dp.Data.TypeURL)
			a = protowire.AppendBytes(protowire.AppendTag(a, 2, protowire.BytesType), dp.Data.Value)
			m = protowire.AppendBytes(protowire.AppendTag(m, 2, protowire.BytesType), a)
		}
		b = protowire.AppendBytes(protowire.AppendTag(b, 1, protowire.BytesType), m)
	}
	return b
}

// DecodeDataPacks decodes SetDataPacksRequest and GetDataPacksReply.
func DecodeDataPacks(b []byte) ([]DataPackMessage, error) {
	var dps []DataPackMessage
	err := fields(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num != 1 {
			return nil
		}
		if err := wantType(num, typ, protowire.BytesType); err != nil {
			return err
		}
		var dp DataPackMessage
		err := fields(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
			switch num {
			case 1:
				if err := wantType(num, typ, protowire.BytesType); err != nil {
					return err
				}
				id, err := decodeID(v)
				dp.ID = id
				return err
			case 2:
				if err := wantType(num, typ, protowire.BytesType); err != nil {
					return err
				}
				a := &Any{}
				err := fields(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
					if num != 1 && num != 2 {
						return nil
					}
					if err := wantType(num, typ, protowire.BytesType); err != nil {
						return err
					}
					if num == 1 {
						a.TypeURL = string(v)
					} else {
						a.Value = append([]byte(nil), v...)
					}
					return nil
				})
				dp.Data = a
				return err
			}
			return nil
		})
		dps = append(dps, dp)
		return err
	})
	return dps, err
}

// PackData packs datapack data into an Any and returns the message's full
// name (the datapack's type): a spaces Box as the NrpGenericProto array of
// its dtype (with its shape), a JSON array of numbers as ArrayDouble, a
// Discrete value as Wrappers.Int64Value,
// other spaces values (through valueJSON) and JSON data as their JSON
// text in
// Wrappers.StringValue, except plain numbers, booleans and strings, which
// use Wrappers.DoubleValue, BoolValue and StringValue.
func PackData(data any, valueJSON func(spaces.Value) (any, error)) (*Any, string, error) {
	var name string
	var b []byte
	switch d := data.(type) {
	case *spaces.BoxValue:
		shape := d.Shape
		if shape == nil {
			shape = []int{d.Len()}
		}
		switch d.Dtype {
		case spaces.Double:
			name = ArrayDouble
			b = appendPacked(b, len(d.Doubles)*8, func(p []byte) []byte {
				for _, x := range d.Doubles {
					p = protowire.AppendFixed64(p, math.Float64bits(x))
				}
				return p
			})
		case spaces.Float:
			name = ArrayFloat
			b = appendPacked(b, len(d.Floats)*4, func(p []byte) []byte {
				for _, x := range d.Floats {
					p = protowire.AppendFixed32(p, math.Float32bits(x))
				}
				return p
			})
		case spaces.Int:
			name = ArrayInt32
			b = appendVarints(b, len(d.Ints), func(i int) uint64 { return uint64(int64(d.Ints[i])) })
		case spaces.Uint:
			name = ArrayUInt32
			b = appendVarints(b, len(d.Uints), func(i int) uint64 { return uint64(d.Uints[i]) })
		default:
			return nil, "", fmt.Errorf("box of unknown dtype %v", d.Dtype)
		}
		var sh []byte
		for _, s := range shape {
			sh = protowire.AppendVarint(sh, uint64(s))
		}
		if len(sh) > 0 {
			b = protowire.AppendBytes(protowire.AppendTag(b, 2, protowire.BytesType), sh)
		}
	case spaces.DiscreteValue:
		name = Int64Value
		if d != 0 {
			b = protowire.AppendVarint(protowire.AppendTag(b, 1, protowire.VarintType), uint64(int64(d)))
		}
	case float64:
		name = DoubleValue
		if d != 0 {
			b = protowire.AppendFixed64(protowire.AppendTag(b, 1, protowire.Fixed64Type), math.Float64bits(d))
		}
	case bool:
		name = BoolValue
		if d {
			b = protowire.AppendVarint(protowire.AppendTag(b, 1, protowire.VarintType), 1)
		}
	case []float64:
		name = ArrayDouble
		b = appendDoubles(b, d)
	case []any:
		if xs, ok := numbers(d); ok {
			name = ArrayDouble
			b = appendDoubles(b, xs)
			break
		}
		text, err := json.Marshal(d)
		if err != nil {
			return nil, "", err
		}
		name = StringValue
		b = protowire.AppendBytes(protowire.AppendTag(b, 1, protowire.BytesType), text)
	case string:
		name = StringValue
		b = protowire.AppendString(protowire.AppendTag(b, 1, protowire.BytesType), d)
	default:
		if v, ok := data.(spaces.Value); ok {
			j, err := valueJSON(v)
			if err != nil {
				return nil, "", err
			}
			data = j
		}
		text, err := json.Marshal(data)
		if err != nil {
			return nil, "", err
		}
		name = StringValue
		b = protowire.AppendBytes(protowire.AppendTag(b, 1, protowire.BytesType), text)
	}
	return &Any{TypeURL: TypeURLPrefix + name, Value: b}, name, nil
}

// numbers returns a JSON array's elements if all are numbers.
func numbers(a []any) ([]float64, bool) {
	out := make([]float64, len(a))
	for i, x := range a {
		f, ok := x.(float64)
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

func appendDoubles(b []byte, xs []float64) []byte {
	b = appendPacked(b, len(xs)*8, func(p []byte) []byte {
		for _, x := range xs {
			p = protowire.AppendFixed64(p, math.Float64bits(x))
		}
		return p
	})
	return protowire.AppendBytes(protowire.AppendTag(b, 2, protowire.BytesType), protowire.AppendVarint(nil, uint64(len(xs))))
}

func appendPacked(b []byte, size int, fill func([]byte) []byte) []byte {
	if size == 0 {
		return b
	}
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(size))
	return fill(b)
}

func appendVarints(b []byte, n int, at func(int) uint64) []byte {
	if n == 0 {
		return b
	}
	var p []byte
	for i := range n {
		p = protowire.AppendVarint(p, at(i))
	}
	return protowire.AppendBytes(protowire.AppendTag(b, 1, protowire.BytesType), p)
}

// UnpackData turns an Any of the messages PackData makes into JSON-like
// data: arrays as []any of float64 (their shape dropped), wrappers as
// their value. Other types are an error naming them.
func UnpackData(a *Any) (any, error) {
	if a == nil {
		return nil, nil
	}
	name := a.TypeURL
	if i := lastSlash(name); i >= 0 {
		name = name[i+1:]
	}
	switch name {
	case ArrayDouble, ArrayFloat, ArrayInt32, ArrayUInt32, ArrayInt64:
		out := []any{}
		err := fields(a.Value, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
			if num != 1 {
				return nil
			}
			if typ == protowire.BytesType { // packed
				for len(v) > 0 {
					var f float64
					var n int
					switch name {
					case ArrayDouble:
						var y uint64
						y, n = protowire.ConsumeFixed64(v)
						f = math.Float64frombits(y)
					case ArrayFloat:
						var y uint32
						y, n = protowire.ConsumeFixed32(v)
						f = float64(math.Float32frombits(y))
					default:
						var y uint64
						y, n = protowire.ConsumeVarint(v)
						f = scalar(name, y)
					}
					if n < 0 {
						return malformed("%s: bad packed element", name)
					}
					out = append(out, f)
					v = v[n:]
				}
				return nil
			}
			switch name {
			case ArrayDouble:
				out = append(out, math.Float64frombits(x))
			case ArrayFloat:
				out = append(out, float64(math.Float32frombits(uint32(x))))
			default:
				out = append(out, scalar(name, x))
			}
			return nil
		})
		return out, err
	case Int64Value, DoubleValue, BoolValue, StringValue:
		var out any
		switch name {
		case Int64Value, DoubleValue:
			out = 0.0
		case BoolValue:
			out = false
		default:
			out = ""
		}
		err := fields(a.Value, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
			if num != 1 {
				return nil
			}
			switch name {
			case Int64Value:
				out = float64(int64(x))
			case DoubleValue:
				out = math.Float64frombits(x)
			case BoolValue:
				out = x != 0
			default:
				out = string(v)
			}
			return nil
		})
		return out, err
	}
	return nil, fmt.Errorf("datapack data of type %q: netgym reads NrpGenericProto arrays and Wrappers values", a.TypeURL)
}

func scalar(name string, x uint64) float64 {
	switch name {
	case ArrayInt32, ArrayInt64:
		return float64(int64(x))
	}
	return float64(x)
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}
