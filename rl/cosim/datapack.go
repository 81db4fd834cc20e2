package cosim

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/netgym/netgym/spaces"
)

// TypeJSON is the type of a JSON datapack (NRP-core's JsonDataPack): its
// data is a JSON value (a decoded encoding/json value, a json.RawMessage,
// or a spaces.Value, which converts to JSON as ValueToJSON says).
// NRP-core itself names the type with the C++ type id of nlohmann::json;
// netgym's engine server answers with whatever type string it was asked
// for, so both spellings work against it.
const TypeJSON = "json"

// DataPackID identifies a datapack (NRP-core's DataPackIdentifier): its
// name, the engine it belongs to, and the type of its data ("" means
// TypeJSON).
type DataPackID struct {
	Name   string
	Engine string
	Type   string
}

// String formats the id as "engine/name".
func (id DataPackID) String() string { return id.Engine + "/" + id.Name }

// DataPack is a datapack: an id and its data. Nil Data is an empty
// datapack (NRP-core's empty datapack, which engines may return when they
// have nothing yet, at t = 0 in particular). Updated reports whether the
// datapack was received or produced in the current loop iteration
// (NRP-core's isUpdated); the loop sets it.
type DataPack struct {
	DataPackID
	Data    any
	Updated bool
}

// IsEmpty reports whether the datapack holds no data (NRP-core's
// isEmpty).
func (d DataPack) IsEmpty() bool { return d.Data == nil }

// ValueToJSON converts a spaces value to the JSON form netgym's datapacks
// use: a Discrete value is an integer, a Box value a flat array of its
// elements in row-major order (a number for a one-element box is not
// special-cased: [x]), a Tuple value an array, a Dict value an object; nil
// is null.
func ValueToJSON(v spaces.Value) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case spaces.DiscreteValue:
		return int64(x), nil
	case *spaces.BoxValue:
		if x == nil {
			return nil, nil
		}
		switch x.Dtype {
		case spaces.Int:
			return x.Ints, nil
		case spaces.Uint:
			return x.Uints, nil
		case spaces.Float:
			return x.Floats, nil
		case spaces.Double:
			for _, f := range x.Doubles {
				if math.IsNaN(f) || math.IsInf(f, 0) {
					return nil, fmt.Errorf("cosim: box element %v has no JSON form", f)
				}
			}
			return x.Doubles, nil
		}
		return nil, fmt.Errorf("cosim: box value has unknown dtype %v", x.Dtype)
	case *spaces.TupleValue:
		out := make([]any, len(x.Elements))
		for i, e := range x.Elements {
			j, err := ValueToJSON(e)
			if err != nil {
				return nil, err
			}
			out[i] = j
		}
		return out, nil
	case *spaces.DictValue:
		out := make(map[string]any, x.Len())
		for i := range x.Len() {
			j, err := ValueToJSON(x.Values[i])
			if err != nil {
				return nil, err
			}
			out[x.Keys[i]] = j
		}
		return out, nil
	}
	return nil, fmt.Errorf("cosim: value of type %T has no JSON form", v)
}

// ValueFromJSON converts JSON data (a decoded encoding/json value, a
// json.RawMessage or []byte holding JSON, or already a spaces.Value) to a
// value of space, the inverse of ValueToJSON; a Box also accepts a bare
// number when it has one element, and a Discrete a one-element array; a
// string is taken as JSON text. Null gives nil. The value is checked against space.
func ValueFromJSON(space spaces.Space, data any) (spaces.Value, error) {
	switch d := data.(type) {
	case spaces.Value:
		if err := space.Contains(d); err != nil {
			return nil, err
		}
		return d, nil
	case json.RawMessage:
		return valueFromRaw(space, d)
	case []byte:
		return valueFromRaw(space, d)
	case string: // no space holds strings: JSON text (gRPC's Wrappers.StringValue)
		return valueFromRaw(space, []byte(d))
	}
	v, err := valueFromJSON(space, data, 0)
	if err != nil || v == nil {
		return v, err
	}
	if err := space.Contains(v); err != nil {
		return nil, err
	}
	return v, nil
}

func valueFromRaw(space spaces.Space, raw []byte) (spaces.Value, error) {
	var data any
	if err := json.Unmarshal(raw, &data); err != nil {
		return nil, fmt.Errorf("cosim: datapack data is not JSON: %w", err)
	}
	return ValueFromJSON(space, data)
}

const maxDepth = 32

func valueFromJSON(space spaces.Space, data any, depth int) (spaces.Value, error) {
	if data == nil {
		return nil, nil
	}
	if depth > maxDepth {
		return nil, fmt.Errorf("cosim: JSON nested deeper than %d levels", maxDepth)
	}
	switch s := space.(type) {
	case *spaces.Discrete:
		if a, ok := data.([]any); ok && len(a) == 1 {
			data = a[0]
		}
		f, ok := number(data)
		if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return nil, fmt.Errorf("cosim: %v is not an integer for %v", data, s)
		}
		return spaces.DiscreteValue(int64(f)), nil
	case *spaces.Box:
		var elems []any
		switch a := data.(type) {
		case []any:
			elems = a
		default:
			elems = []any{data}
		}
		if len(elems) != s.Size() {
			return nil, fmt.Errorf("cosim: %d elements for %v, which holds %d", len(elems), s, s.Size())
		}
		v := &spaces.BoxValue{Dtype: s.Dtype(), Shape: s.Shape()}
		for i, e := range elems {
			f, ok := number(e)
			if !ok {
				return nil, fmt.Errorf("cosim: element %d (%v) of %v is not a number", i, e, s)
			}
			switch s.Dtype() {
			case spaces.Int:
				if f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
					return nil, fmt.Errorf("cosim: element %d (%v) of %v is not an int32", i, f, s)
				}
				v.Ints = append(v.Ints, int32(f))
			case spaces.Uint:
				if f != math.Trunc(f) || f < 0 || f > math.MaxUint32 {
					return nil, fmt.Errorf("cosim: element %d (%v) of %v is not a uint32", i, f, s)
				}
				v.Uints = append(v.Uints, uint32(f))
			case spaces.Float:
				v.Floats = append(v.Floats, float32(f))
			default:
				v.Doubles = append(v.Doubles, f)
			}
		}
		return v, nil
	case *spaces.Tuple:
		a, ok := data.([]any)
		if !ok || len(a) != s.Len() {
			return nil, fmt.Errorf("cosim: %v needs an array of %d elements", s, s.Len())
		}
		v := &spaces.TupleValue{Elements: make([]spaces.Value, len(a))}
		for i, e := range a {
			x, err := valueFromJSON(s.At(i), e, depth+1)
			if err != nil {
				return nil, err
			}
			v.Elements[i] = x
		}
		return v, nil
	case *spaces.Dict:
		m, ok := data.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("cosim: %v needs a JSON object", s)
		}
		v := spaces.NewDictValue()
		for i := range s.Len() {
			k, sub := s.At(i)
			e, ok := m[k]
			if !ok {
				return nil, fmt.Errorf("cosim: key %q of %v is missing", k, s)
			}
			x, err := valueFromJSON(sub, e, depth+1)
			if err != nil {
				return nil, err
			}
			v.Set(k, x)
		}
		return v, nil
	}
	return nil, fmt.Errorf("cosim: space %v has no JSON form", space)
}

func number(x any) (float64, bool) {
	switch n := x.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float32:
		return float64(n), true
	case bool:
		if n {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// DataToJSON returns datapack data in a form encoding/json encodes as NRP-
// core's JSON datapacks expect: spaces values through ValueToJSON,
// everything else as it is.
func DataToJSON(data any) (any, error) {
	if v, ok := data.(spaces.Value); ok {
		return ValueToJSON(v)
	}
	return data, nil
}
