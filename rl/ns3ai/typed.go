package ns3ai

import (
	"fmt"
	"reflect"
	"unsafe"
)

// cLayout checks that T has a C layout shared memory can hold, the one a
// C++ compiler gives the same fields on amd64 and arm64: fixed-size
// numbers, bools, arrays and structs of them, no pointers, and no int,
// uint or uintptr (their C counterparts differ: use int32 or int64).
func cLayout[T any]() (elemSpec, error) {
	t := reflect.TypeFor[T]()
	if err := checkPOD(t, t.String()); err != nil {
		return elemSpec{}, err
	}
	var v T
	if unsafe.Sizeof(v) == 0 {
		return elemSpec{}, fmt.Errorf("ns3ai: type %s has size 0", t)
	}
	return elemSpec{size: int(unsafe.Sizeof(v)), align: int(unsafe.Alignof(v)), typ: t.String()}, nil
}

func checkPOD(t reflect.Type, path string) error {
	switch t.Kind() {
	case reflect.Bool, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return nil
	case reflect.Array:
		return checkPOD(t.Elem(), path+"[]")
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if err := checkPOD(f.Type, path+"."+f.Name); err != nil {
				return err
			}
		}
		return nil
	case reflect.Int, reflect.Uint, reflect.Uintptr:
		return fmt.Errorf("ns3ai: %s has Go type %s, whose C counterpart is ambiguous: use int32/int64 or uint32/uint64", path, t)
	}
	return fmt.Errorf("ns3ai: %s has Go type %s: shared-memory messages hold only fixed-size numbers, bools, arrays and structs of them", path, t)
}

// Struct is the struct-based message interface: one C struct each way,
// C (ns3-ai's Cpp2PyMsgType) from the simulation to the agent and P
// (Py2CppMsgType) back. C and P must be Go structs with the C layout the
// creator's C++ (or Python ctypes) types have; Open checks their sizes and
// alignments against the segment.
type Struct[C, P any] struct {
	*Conn
	c *C
	p *P
}

// OpenStruct opens the struct interface of an existing segment (ns3-ai's
// SetIsMemoryCreator(false), SetUseVector(false)): one created by ns3-ai's
// Python side (Boost 1.74's layout) or by netgym (netgym's layout).
func OpenStruct[C, P any](opts Options, side Side) (*Struct[C, P], error) {
	c2p, p2c, err := specs[C, P]()
	if err != nil {
		return nil, err
	}
	conn, err := openConn(opts, side, false, c2p, p2c)
	if err != nil {
		return nil, err
	}
	return newStruct[C, P](conn), nil
}

// CreateStruct creates a segment in netgym's layout holding a C and a P
// (ns3-ai's SetIsMemoryCreator(true)), replacing a stale segment of the
// same name; Close removes it.
func CreateStruct[C, P any](opts Options, side Side) (*Struct[C, P], error) {
	c2p, p2c, err := specs[C, P]()
	if err != nil {
		return nil, err
	}
	conn, err := createConn(opts, side, false, c2p, p2c, 1)
	if err != nil {
		return nil, err
	}
	return newStruct[C, P](conn), nil
}

func specs[C, P any]() (elemSpec, elemSpec, error) {
	c2p, err := cLayout[C]()
	if err != nil {
		return elemSpec{}, elemSpec{}, err
	}
	p2c, err := cLayout[P]()
	return c2p, p2c, err
}

func newStruct[C, P any](conn *Conn) *Struct[C, P] {
	return &Struct[C, P]{Conn: conn,
		c: (*C)(unsafe.Pointer(&conn.reg.mem[conn.cpp2py.off])),
		p: (*P)(unsafe.Pointer(&conn.reg.mem[conn.py2cpp.off]))}
}

// Cpp2Py is the simulation-to-agent message (ns3-ai's GetCpp2PyStruct):
// the simulation writes it between SendBegin and SendEnd, the agent reads
// it between RecvBegin and RecvEnd.
func (s *Struct[C, P]) Cpp2Py() *C { return s.c }

// Py2Cpp is the agent-to-simulation message (GetPy2CppStruct).
func (s *Struct[C, P]) Py2Cpp() *P { return s.p }

// Vector is the vector-based message interface: a
// boost::interprocess::vector of C each way from the simulation (ns3-ai's
// Cpp2PyMsgVector) and of P back. The creator sizes the vectors
// (ns3-ai's Experiment: vectorSize); this side follows their offset
// pointers and never allocates in the segment.
type Vector[C, P any] struct {
	*Conn
	c []C
	p []P
}

// OpenVector opens the vector interface of an existing segment.
func OpenVector[C, P any](opts Options, side Side) (*Vector[C, P], error) {
	c2p, p2c, err := specs[C, P]()
	if err != nil {
		return nil, err
	}
	conn, err := openConn(opts, side, true, c2p, p2c)
	if err != nil {
		return nil, err
	}
	return newVector[C, P](conn), nil
}

// CreateVector creates a segment in netgym's layout with n elements in
// each vector.
func CreateVector[C, P any](opts Options, side Side, n int) (*Vector[C, P], error) {
	c2p, p2c, err := specs[C, P]()
	if err != nil {
		return nil, err
	}
	conn, err := createConn(opts, side, true, c2p, p2c, n)
	if err != nil {
		return nil, err
	}
	return newVector[C, P](conn), nil
}

func newVector[C, P any](conn *Conn) *Vector[C, P] {
	v := &Vector[C, P]{Conn: conn}
	v.bind()
	conn.onVecChange = v.bind
	return v
}

func (v *Vector[C, P]) bind() {
	mem := v.Conn.reg.mem
	v.c = unsafe.Slice((*C)(unsafe.Pointer(&mem[v.Conn.cpp2py.off])), v.Conn.cpp2py.count)
	v.p = unsafe.Slice((*P)(unsafe.Pointer(&mem[v.Conn.py2cpp.off])), v.Conn.py2cpp.count)
}

// Cpp2Py is the simulation-to-agent vector (GetCpp2PyVector). Take it
// after SendBegin or RecvBegin: a Boost vector the creator resized moves.
func (v *Vector[C, P]) Cpp2Py() []C { return v.c }

// Py2Cpp is the agent-to-simulation vector (GetPy2CppVector).
func (v *Vector[C, P]) Py2Cpp() []P { return v.p }
