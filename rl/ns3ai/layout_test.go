package ns3ai

import (
	"encoding/binary"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The fixtures are segments made by Boost.Interprocess itself
// (testdata/boostpeer.cc, which constructs the objects as ns3-ai's
// Ns3AiMsgInterfaceImpl does; byte-identical to what ns3-ai's own
// creator writes for A-Plus-B): Boost 1.74 on amd64 (Debian bookworm),
// struct and vector variants, and Boost 1.87 (segment-manager ABI 2).
// Offsets below were read from the segments with Boost's own find().

func TestOpenBoost174Struct(t *testing.T) {
	o := installSegment(t, fixture(t, "boost174-amd64-stru.seg"))
	s, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	require.NoError(t, err)
	defer s.Close()
	require.Equal(t, "Boost.Interprocess 1.74 (segment-manager ABI 1, 40-byte mutexes)", s.Layout())
	require.Equal(t, 0x118, s.cpp2py.off)
	require.Equal(t, 0x168, s.py2cpp.off)
	require.Equal(t, 0x1b8, int(uintptrOff(s.Conn, s.word)))
	require.Equal(t, [5]byte{1, 0, 1, 0, 0}, [5]byte(s.reg.mem[0x1b8:0x1bd]), "empty counters 1, full 0, not finished")
}

func TestOpenBoost174Vector(t *testing.T) {
	o := installSegment(t, fixture(t, "boost174-amd64-vec.seg"))
	v, err := OpenVector[APBEnv, APBAct](o, Agent)
	require.NoError(t, err)
	defer v.Close()
	require.Len(t, v.Cpp2Py(), 3)
	require.Len(t, v.Py2Cpp(), 3)
	require.Equal(t, 0x220, v.cpp2py.off, "EnvStruct elements")
	require.Equal(t, 0x250, v.py2cpp.off, "ActStruct elements")
	require.Equal(t, 0x1f8, int(uintptrOff(v.Conn, v.word)))
}

func uintptrOff(c *Conn, p *uint32) uintptr {
	return uintptr(unsafePointer(p)) - uintptr(unsafePointer(&c.reg.mem[0]))
}

// TestRefusedLayouts feeds segments this package must refuse, each with
// the error that says why.
func TestRefusedLayouts(t *testing.T) {
	stru := fixture(t, "boost174-amd64-stru.seg")
	vec := fixture(t, "boost174-amd64-vec.seg")
	with := func(img []byte, f func(b []byte)) []byte {
		b := append([]byte(nil), img...)
		f(b)
		return b
	}
	type big struct{ A, B, C uint32 }
	tests := []struct {
		name  string
		image []byte
		open  func(Options) error
		want  string
	}{
		{"boost 1.87 segment manager ABI 2", fixture(t, "boost187-amd64-stru.seg"), openAPBStruct,
			`object "My Cpp to Python Msg" was written with Boost.Interprocess's segment-manager ABI 2 (the default from Boost 1.87)`},
		{"segment of the wrong size", stru[:2048], openAPBStruct,
			"Boost segment header does not match Boost 1.74's segment manager for a 2048-byte segment"},
		{"not a segment at all", with(make([]byte, 4096), func(b []byte) { copy(b, "hello, world") }), openAPBStruct,
			"first word 0x6c6c6568 is neither netgym's magic nor a Boost.Interprocess initialisation state"},
		{"corrupted by its creator", with(stru, func(b []byte) { b[0] = 3 }), openAPBStruct,
			"Boost segment marked corrupted by its creator"},
		{"never initialised", make([]byte, 4096), openAPBStruct,
			"Boost segment still being initialised by its creator (state 0) (waited 30ms)"},
		{"struct type larger than the creator's", stru, func(o Options) error {
			_, err := OpenStruct[big, APBAct](o, Simulation)
			return err
		}, `object "My Cpp to Python Msg" is 8 bytes aligned to 4 (as the creator's C++ type); the Go type ns3ai.big is 12 bytes aligned to 4`},
		{"vector interface on a struct segment", stru, openAPBVector,
			`object "My Cpp to Python Msg" is 8 bytes aligned to 4, not a boost::interprocess::vector`},
		{"struct interface on a vector segment", vec, openAPBStruct,
			`object "My Cpp to Python Msg" looks like a boost::interprocess::vector: the creator chose the vector interface`},
		{"unknown object name", stru, func(o Options) error {
			o.Py2CppName = "Their Msg"
			_, err := OpenStruct[APBEnv, APBAct](o, Simulation)
			return err
		}, `no object named "Their Msg" in the segment (its index holds "My Lockable", "My Cpp to Python Msg", "My Python to Cpp Msg")`},
		{"index pointer out of the segment", with(stru, func(b []byte) {
			binary.LittleEndian.PutUint64(b[0xa0:], 0x7000) // named index root
		}), openAPBStruct, "offset_ptr at 160 points outside the segment"},
		{"index node in a free block", with(stru, func(b []byte) {
			binary.LittleEndian.PutUint64(b[0xa0:], 0x1e0-0xa0) // root -> the free block
		}), openAPBStruct, "index node: " + ErrLayout.Error() + ": offset 480 is not at the start of an allocated block"},
		{"vector element type larger than the block", vec, func(o Options) error {
			_, err := OpenVector[[4]APBEnv, APBAct](o, Simulation)
			return err
		}, `vector "My Cpp to Python Msg"'s block holds 40 bytes, less than its capacity 5 times the 32-byte element`},
		{"empty vector", with(vec, func(b []byte) {
			binary.LittleEndian.PutUint64(b[0x120:], 1) // m_start = null
			binary.LittleEndian.PutUint64(b[0x128:], 0) // m_size = 0
		}), openAPBVector, `vector "My Cpp to Python Msg" is empty: its creator must size it`},
		{"counters not ns3-ai's", with(stru, func(b []byte) { b[0x1b9] = 7 }), openAPBStruct,
			"sync object's counters are [1 7 1 0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := installSegment(t, tt.image)
			o.Timeout = 30 * time.Millisecond
			err := tt.open(o)
			require.ErrorIs(t, err, ErrLayout)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

func openAPBStruct(o Options) error {
	s, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	if err == nil {
		s.Close()
	}
	return err
}

func openAPBVector(o Options) error {
	v, err := OpenVector[APBEnv, APBAct](o, Simulation)
	if err == nil {
		v.Close()
	}
	return err
}

// TestNetgymLayout checks a segment netgym creates: its header, object
// table and placement, and what an opener refuses.
func TestNetgymLayout(t *testing.T) {
	o := DefaultOptions()
	o.SegmentName = segName(t)
	o.HandleFinish = true
	o.PeerPID = -1
	v, err := CreateVector[APBEnv, APBAct](o, Agent, 3)
	require.NoError(t, err)
	defer v.Close()
	img, err := os.ReadFile(shmDir + o.SegmentName)
	require.NoError(t, err)
	require.Equal(t, "NGYMNS3A", string(img[:8]))
	le := binary.LittleEndian
	require.Equal(t, []uint64{1, 1, 4096, ngFlagVector | ngFlagHandleFinish, 3},
		[]uint64{uint64(le.Uint32(img[8:])), uint64(le.Uint32(img[12:])), le.Uint64(img[16:]), uint64(le.Uint32(img[24:])), uint64(le.Uint32(img[28:]))})
	objs, _, err := parseNetgym(img)
	require.NoError(t, err)
	require.Equal(t, []ngObject{
		{name: "My Cpp to Python Msg", off: 448, elemSize: 8, elemAlgn: 4, count: 3, kind: ngKindVector, capacity: 3},
		{name: "My Python to Cpp Msg", off: 512, elemSize: 4, elemAlgn: 4, count: 3, kind: ngKindVector, capacity: 3},
		{name: "My Lockable", off: 384, elemSize: 5, elemAlgn: 1, count: 1, kind: ngKindSync, capacity: 1},
	}, objs)
	require.Equal(t, []byte{1, 0, 1, 0, 0}, img[384:389])

	refuse := []struct {
		name string
		edit func(b []byte)
		open func(Options) error
		want string
	}{
		{"handleFinish disagrees", nil, func(o Options) error {
			o.HandleFinish = false
			return openAPBVector(o)
		}, "the creator set handleFinish=true, this side false"},
		{"struct interface on a vector segment", nil, openAPBStruct,
			"the creator chose the vector interface; this side opened the struct one"},
		{"header size differs from the file", func(b []byte) { le.PutUint64(b[16:], 8192) }, openAPBVector,
			"netgym segment header says 8192 bytes but the segment is 4096 bytes"},
		{"newer layout version", func(b []byte) { le.PutUint32(b[8:], 2) }, openAPBVector,
			"netgym segment layout version 2; this build reads version 1"},
		{"object beyond the segment", func(b []byte) { le.PutUint64(b[ngHeader+64:], 4090) }, openAPBVector,
			`object "My Cpp to Python Msg" (offset 4090, 3 x 8 bytes aligned to 4, kind 2) does not fit the 4096-byte segment`},
		{"empty vector", func(b []byte) { le.PutUint32(b[ngHeader+80:], 0) }, openAPBVector,
			`vector "My Cpp to Python Msg" is empty: its creator must size it`},
		{"more elements than the capacity", func(b []byte) { le.PutUint32(b[ngHeader+80:], 4) }, openAPBVector,
			`object "My Cpp to Python Msg" holds 4 elements, its capacity is 3`},
		{"sync word not aligned", func(b []byte) { le.PutUint64(b[ngHeader+2*ngEntry+64:], 385) }, openAPBVector,
			"sync object at offset 385 is not 4-byte aligned"},
		{"Go element larger than the creator's", nil, func(o Options) error {
			_, err := OpenVector[[2]APBEnv, APBAct](o, Simulation)
			return err
		}, `object "My Cpp to Python Msg" holds 8-byte elements aligned to 4; the Go type [2]ns3ai.APBEnv is 16 bytes aligned to 4`},
	}
	for _, tt := range refuse {
		t.Run(tt.name, func(t *testing.T) {
			b := append([]byte(nil), img...)
			if tt.edit != nil {
				tt.edit(b)
			}
			o := installSegment(t, b)
			o.HandleFinish = true
			err := tt.open(o)
			require.ErrorIs(t, err, ErrLayout)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestCreateRefusals(t *testing.T) {
	o := DefaultOptions()
	o.SegmentName = segName(t)
	_, err := CreateVector[APBEnv, APBAct](o, Agent, 1000)
	require.ErrorIs(t, err, ErrTooLarge)
	require.EqualError(t, err, "ns3ai: message larger than the shared buffer: the messages need a 12448-byte segment; Size is 4096")
	_, err = CreateVector[APBEnv, APBAct](o, Agent, 0)
	require.EqualError(t, err, "ns3ai: vector size 0 must be at least 1")
	_, err = CreateStruct[APBEnv, APBAct](o, Side(7))
	require.EqualError(t, err, "ns3ai: side 7 is neither Simulation nor Agent")
	_, err = OpenStruct[APBEnv, APBAct](o, Simulation)
	require.ErrorIs(t, err, ErrNoSegment)
	require.False(t, errors.Is(err, ErrLayout))
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"defaults", func(*Options) {}, ""},
		{"slash in the segment name", func(o *Options) { o.SegmentName = "a/b" }, `ns3ai: SegmentName "a/b" must be 1 to 255 bytes without '/' or NUL`},
		{"segment too small", func(o *Options) { o.Size = 100 }, "ns3ai: Size 100 out of range [512, 1073741824]"},
		{"no timeout", func(o *Options) { o.Timeout = 0 }, "ns3ai: Timeout 0s must be positive"},
		{"empty object name", func(o *Options) { o.LockableName = "" }, `ns3ai: LockableName "" must be 1 to 63 bytes without NUL`},
		{"duplicate names", func(o *Options) { o.Py2CppName = o.Cpp2PyName }, `ns3ai: Cpp2PyName and Py2CppName are both "My Cpp to Python Msg"; the three objects need distinct names`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultOptions()
			tt.edit(&o)
			err := o.Validate()
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tt.want)
		})
	}
}

func TestCLayout(t *testing.T) {
	type ok struct {
		A uint8
		B float64
		C [3]int16
		D struct{ E bool }
	}
	spec, err := cLayout[ok]()
	require.NoError(t, err)
	require.Equal(t, elemSpec{size: 24, align: 8, typ: "ns3ai.ok"}, spec)
	type withInt struct{ N int }
	_, err = cLayout[withInt]()
	require.EqualError(t, err, "ns3ai: ns3ai.withInt.N has Go type int, whose C counterpart is ambiguous: use int32/int64 or uint32/uint64")
	type withPtr struct{ P *int32 }
	_, err = cLayout[withPtr]()
	require.EqualError(t, err, "ns3ai: ns3ai.withPtr.P has Go type *int32: shared-memory messages hold only fixed-size numbers, bools, arrays and structs of them")
	_, err = cLayout[struct{ S []byte }]()
	require.ErrorContains(t, err, "has Go type []uint8")
}

// An opener that comes while the creator has made the file and not yet
// sized it (Boost's create_only then truncate, netgym's creators alike)
// waits for it within Options.Timeout, as for the header's readiness; a
// segment still empty then is refused by its size.
func TestOpenWhileCreatorSizes(t *testing.T) {
	image := fixture(t, "boost174-amd64-stru.seg")
	o := installSegment(t, nil) // the file, empty
	path := shmDir + o.SegmentName
	done := make(chan error, 1)
	go func() {
		time.Sleep(30 * time.Millisecond)
		done <- os.WriteFile(path, image, 0o600)
	}()
	s, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, <-done)
	require.Len(t, s.reg.mem, len(image))

	t.Run("still empty", func(t *testing.T) {
		empty := installSegment(t, nil)
		empty.Timeout = 20 * time.Millisecond
		_, err := OpenStruct[APBEnv, APBAct](empty, Simulation)
		require.ErrorIs(t, err, ErrLayout)
		require.ErrorContains(t, err, "is 0 bytes")
	})
}
