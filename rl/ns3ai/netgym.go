package ns3ai

import (
	"bytes"
	"encoding/binary"
	"sync/atomic"
	"unsafe"
)

// netgym's own segment layout, for segments that netgym (Go) or netgym's
// pure-Python client creates: the same three named objects as ns3-ai's,
// described by a fixed header instead of Boost's allocator and index, so
// that either side can create or open it without Boost. All integers are
// little-endian. docs/ns3ai.md and python/netgym/ns3ai/segment.py hold the
// same table.
//
//	offset size field
//	0      8    magic "NGYMNS3A"
//	8      4    version (1)
//	12     4    state: 0 while the creator fills the segment, 1 when ready
//	16     8    segment size in bytes (the file's size)
//	24     4    flags: 1 vector interface, 2 handleFinish
//	28     4    number of objects (3)
//	32     4    wakers: bit 1 the simulation side, bit 2 the agent side
//	            wakes a sleeping peer (FUTEX_WAKE on the sync object's
//	            word after each post); 0 from creators and peers that
//	            only spin (netgym's Python side)
//	36     4    sleepers: bit 1 the simulation side, bit 2 the agent side
//	            is blocked (or about to block) in FUTEX_WAIT on the sync
//	            object's word; each side sets and clears only its own bit
//	40     24   zero
//	64     96*3 object table: name [64] (NUL-padded, at most 63 bytes),
//	            offset uint64, element size uint32, element alignment
//	            uint32, element count uint32 (1 for a struct; a vector's
//	            size, which its creator may change up to the capacity
//	            while the peer is not running), kind uint32 (1 struct,
//	            2 vector, 3 sync), capacity uint32 (elements reserved),
//	            4 zero bytes
//	384         the sync object (4 counters, the is-finished byte), then
//	            the cpp-to-python and python-to-cpp objects, each at a
//	            64-byte boundary
const (
	ngMagic      = "NGYMNS3A"
	ngVersion    = 1
	ngHeader     = 64
	ngEntry      = 96
	ngNameLen    = 64
	ngObjects    = 384
	ngStateReady = 1
	ngLine       = 64

	ngFlagVector       = 1
	ngFlagHandleFinish = 2

	ngWakers   = 32
	ngSleepers = 36

	ngKindStruct = 1
	ngKindVector = 2
	ngKindSync   = 3

	syncSize = 5 // Ns3AiMsgSync: four uint8 counters and a bool
)

// ngObject is one entry of netgym's object table.
type ngObject struct {
	name               string
	off                int
	elemSize, elemAlgn int
	count, kind        int
	capacity           int
}

// ngPlan places the three objects of a new netgym segment; it returns the
// objects (cpp2py, py2cpp, sync) and the bytes they need.
func ngPlan(o Options, vector bool, c2p, p2c elemSpec, n int) ([3]ngObject, int) {
	kind := ngKindStruct
	if !vector {
		n = 1
	} else {
		kind = ngKindVector
	}
	sync := ngObject{name: o.LockableName, off: ngObjects, elemSize: syncSize, elemAlgn: 1, count: 1, kind: ngKindSync, capacity: 1}
	c := ngObject{name: o.Cpp2PyName, off: roundUp(ngObjects+syncSize, max(ngLine, c2p.align)),
		elemSize: c2p.size, elemAlgn: c2p.align, count: n, kind: kind, capacity: n}
	p := ngObject{name: o.Py2CppName, off: roundUp(c.off+c.elemSize*n, max(ngLine, p2c.align)),
		elemSize: p2c.size, elemAlgn: p2c.align, count: n, kind: kind, capacity: n}
	return [3]ngObject{c, p, sync}, p.off + p.elemSize*n
}

// ngWrite fills a zeroed segment with the header, the table and the sync
// object's initial counters (empty 1, full 0), then marks it ready.
func ngWrite(mem []byte, objs [3]ngObject, vector, handleFinish bool) {
	le := binary.LittleEndian
	copy(mem, ngMagic)
	le.PutUint32(mem[8:], ngVersion)
	le.PutUint64(mem[16:], uint64(len(mem)))
	var flags uint32
	if vector {
		flags |= ngFlagVector
	}
	if handleFinish {
		flags |= ngFlagHandleFinish
	}
	le.PutUint32(mem[24:], flags)
	le.PutUint32(mem[28:], uint32(len(objs)))
	for i, ob := range objs {
		e := mem[ngHeader+i*ngEntry:]
		copy(e[:ngNameLen], ob.name)
		le.PutUint64(e[64:], uint64(ob.off))
		le.PutUint32(e[72:], uint32(ob.elemSize))
		le.PutUint32(e[76:], uint32(ob.elemAlgn))
		le.PutUint32(e[80:], uint32(ob.count))
		le.PutUint32(e[84:], uint32(ob.kind))
		le.PutUint32(e[88:], uint32(ob.capacity))
		if ob.kind == ngKindSync {
			copy(mem[ob.off:], []byte{1, 0, 1, 0, 0})
		}
	}
	atomic.StoreUint32((*uint32)(unsafe.Pointer(&mem[12])), ngStateReady)
}

func isNetgym(mem []byte) bool { return len(mem) >= ngObjects && string(mem[:8]) == ngMagic }

// ngCountAt is the offset of entry i's element count.
func ngCountAt(i int) int { return ngHeader + i*ngEntry + 80 }

// ngReady reports whether the creator has finished writing the segment.
func ngReady(mem []byte) bool {
	return atomic.LoadUint32((*uint32)(unsafe.Pointer(&mem[12]))) == ngStateReady
}

// parseNetgym checks netgym's header and returns the object table and the
// flags.
func parseNetgym(mem []byte) ([]ngObject, uint32, error) {
	le := binary.LittleEndian
	if v := le.Uint32(mem[8:]); v != ngVersion {
		return nil, 0, layoutErr("netgym segment layout version %d; this build reads version %d", v, ngVersion)
	}
	if sz := le.Uint64(mem[16:]); sz != uint64(len(mem)) {
		return nil, 0, layoutErr("netgym segment header says %d bytes but the segment is %d bytes", sz, len(mem))
	}
	flags := le.Uint32(mem[24:])
	nobj := le.Uint32(mem[28:])
	if nobj != 3 || flags&^(ngFlagVector|ngFlagHandleFinish) != 0 {
		return nil, 0, layoutErr("netgym segment header: %d objects (want 3), flags %#x", nobj, flags)
	}
	objs := make([]ngObject, nobj)
	for i := range objs {
		e := mem[ngHeader+i*ngEntry:]
		name, _, ok := bytes.Cut(e[:ngNameLen], []byte{0})
		if !ok {
			return nil, 0, layoutErr("netgym segment: object %d's name is not NUL-terminated", i)
		}
		ob := ngObject{name: string(name), off: int(le.Uint64(e[64:])), elemSize: int(le.Uint32(e[72:])),
			elemAlgn: int(le.Uint32(e[76:])), count: int(le.Uint32(e[80:])), kind: int(le.Uint32(e[84:])),
			capacity: int(le.Uint32(e[88:]))}
		end := uint64(ob.off) + uint64(ob.elemSize)*uint64(ob.capacity)
		if ob.off < ngObjects || end > uint64(len(mem)) || ob.elemAlgn <= 0 || ob.elemAlgn&(ob.elemAlgn-1) != 0 ||
			ob.off%ob.elemAlgn != 0 || ob.capacity <= 0 || ob.kind < ngKindStruct || ob.kind > ngKindSync {
			return nil, 0, layoutErr("netgym segment: object %q (offset %d, %d x %d bytes aligned to %d, kind %d) does not fit the %d-byte segment", ob.name, ob.off, ob.capacity, ob.elemSize, ob.elemAlgn, ob.kind, len(mem))
		}
		if ob.count > ob.capacity || (ob.kind != ngKindVector && ob.count != ob.capacity) {
			return nil, 0, layoutErr("netgym segment: object %q holds %d elements, its capacity is %d", ob.name, ob.count, ob.capacity)
		}
		objs[i] = ob
	}
	return objs, flags, nil
}
