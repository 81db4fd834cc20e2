package ns3ai

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// This file reads a managed_shared_memory segment as Boost.Interprocess
// 1.74 lays it out (Debian bookworm's libboost1.74-dev; the layout holds
// from Boost 1.55 to 1.86 and with BOOST_INTERPROCESS_SEGMENT_MANAGER_ABI=1
// later), on 64-bit little-endian Linux, to find ns3-ai's named objects
// without Boost. Facts, from Boost 1.74's headers:
//
//   - detail/managed_open_or_create_impl.hpp: the mapping starts with a
//     uint32 initialisation state (0 uninitialised, 1 initialising,
//     2 initialised, 3 corrupted); the segment manager follows at
//     ManagedOpenOrCreateUserOffset = the uint32 rounded up to the memory
//     algorithm's Alignment (16: alignof(max_align_t)).
//   - segment_manager.hpp: segment_manager derives from
//     segment_manager_base, which derives from the memory algorithm
//     (mem_algo/rbtree_best_fit.hpp), then holds header_t: a recursive
//     interprocess mutex, the named-object index, the unique-object
//     index. managed_shared_memory's index is iset_index
//     (indexes/iset_index.hpp): a boost::intrusive::set, i.e. a size word
//     and a header node of three offset_ptrs (root, leftmost, rightmost).
//   - rbtree_best_fit's header_t: an interprocess mutex, the free-block
//     multiset (a size word and a header node), m_extra_hdr_bytes (the
//     segment manager's own bytes after the algorithm), m_allocated,
//     m_size (segment size less the user offset). The first block starts
//     at the end of the segment manager rounded up to Alignment; each
//     block starts with a SizeHolder (m_prev_size; then a word of
//     m_size:62 in Alignment units, m_prev_allocated:1, m_allocated:1)
//     and the user buffer follows at 16 bytes.
//   - offset_ptr.hpp: an offset_ptr holds the distance from its own
//     address to the target, 1 meaning null; tree nodes
//     (intrusive/detail/rbtree_node.hpp, compact_rbtree_node) are
//     parent, left, right offset_ptrs, the colour in bit 1 of parent.
//   - detail/segment_manager_helper.hpp: a named object's buffer is its
//     index node (24 bytes, rounded to 8), then block_header (m_value_bytes
//     word; m_num_char uint16; m_value_alignment uint8;
//     m_alloc_type_sizeof_char uint8 = alloc_type<<5 | sizeof(char)),
//     the value at the header plus 16 rounded up to the value's
//     alignment, then the name and its NUL right after the value.
//     The index orders names by length, then by memcmp
//     (iset_index::intrusive_key_value_less).
//   - Boost 1.87 changed the segment manager's ABI (release notes: "ABI
//     breaking: segment_manager nows uses a new implementation that
//     supports overaligned types"): the block header is one word
//     (value bytes << 2 | alloc type) followed by the value, then a
//     uint16 name length and the name. Such a segment is refused with an
//     error that says so.
//
// The interprocess mutexes are pthread mutexes (40 bytes on amd64 glibc,
// 48 on arm64); their size is found from the header fields rather than
// assumed. The index is read without taking the segment's mutex: ns3-ai's
// creator constructs the three objects before it starts the simulation and
// never changes the index afterwards.

const (
	boostUserOffset  = 16 // ManagedOpenOrCreateUserOffset
	boostAlignment   = 16 // rbtree_best_fit::Alignment
	boostStateReady  = 2  // InitializedSegment
	boostBlockHdr    = 16 // block_header<uint64>: 8 + 2 + 1 + 1, padded to 8
	boostIndexNode   = 24 // compact_rbtree_node: three offset_ptrs
	boostSizeHolder  = 16 // AllocatedCtrlBytes
	boostNamedType   = 1  // allocation_type named_type
	boostVectorBytes = 32 // container::vector: allocator (offset_ptr), m_start, m_size, m_capacity
	boostMaxDepth    = 128
)

// boostLayout is a parsed Boost 1.74 segment.
type boostLayout struct {
	mem        []byte
	mutexSize  int
	firstBlock int // offset of the first allocation block
	endBlock   int // offset of the end block (exclusive bound of allocations)
	indexHdr   int // offset of the named index's header node
	count      int // named objects in the index
}

// boostObject is a named object found in the index.
type boostObject struct {
	name       string
	value      int // offset of the value
	valueBytes int
	align      int
}

func le64(b []byte, off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }

func layoutErr(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrLayout}, a...)...)
}

// parseBoost checks the segment manager's header and locates the named
// index. mutex sizes tried: glibc's pthread_mutex_t on amd64 (40) and
// arm64 (48).
func parseBoost(mem []byte) (*boostLayout, error) {
	n := len(mem)
	state := binary.LittleEndian.Uint32(mem)
	switch state {
	case 0, 1:
		return nil, layoutErr("Boost segment still being initialised by its creator (state %d)", state)
	case 3:
		return nil, layoutErr("Boost segment marked corrupted by its creator (state 3)")
	case boostStateReady:
	default:
		return nil, layoutErr("first word %#x is neither netgym's magic nor a Boost.Interprocess initialisation state (0-3): not an ns3-ai segment", state)
	}
	for _, m := range []int{40, 48} {
		sm := boostUserOffset
		algoSize := m + 8 + boostIndexNode + 3*8 // mutex, multiset (size + header node), extra, allocated, size
		if sm+algoSize+m+64 > n {
			continue
		}
		extra := int(le64(mem, sm+m+32))
		allocated := le64(mem, sm+m+40)
		size := le64(mem, sm+m+48)
		if size != uint64(n-boostUserOffset) || extra != m+2*(8+boostIndexNode) || allocated > size {
			continue
		}
		l := &boostLayout{mem: mem, mutexSize: m}
		block1 := roundUp(sm+algoSize+extra, boostAlignment) - sm // priv_first_block_offset_from_this
		l.firstBlock = sm + block1
		l.endBlock = sm + block1 + (int(size)/boostAlignment*boostAlignment - block1/boostAlignment*boostAlignment - boostSizeHolder)
		if l.endBlock <= l.firstBlock || l.endBlock+boostSizeHolder > n {
			return nil, layoutErr("Boost segment's allocator header gives blocks [%d, %d) outside the %d-byte segment", l.firstBlock, l.endBlock, n)
		}
		// the end block is a SizeHolder marked allocated whose size is its
		// distance from the first block (rbtree_best_fit::priv_add_segment)
		endWord := le64(mem, l.endBlock+8)
		if endWord>>63 != 1 || int(endWord&(1<<62-1))*boostAlignment != l.endBlock-l.firstBlock {
			return nil, layoutErr("Boost segment's end block at %d does not close the first block at %d: not Boost 1.74's rbtree_best_fit layout", l.endBlock, l.firstBlock)
		}
		named := sm + algoSize + m // the recursive mutex's size is the mutex's
		l.count = int(le64(mem, named))
		l.indexHdr = named + 8
		if l.count < 0 || l.count > n/boostIndexNode {
			return nil, layoutErr("Boost segment's named index claims %d objects", l.count)
		}
		return l, nil
	}
	return nil, layoutErr("Boost segment header does not match Boost 1.74's segment manager for a %d-byte segment (the allocator's size and extra-header fields are not where a 40- or 48-byte pthread mutex puts them)", n)
}

func roundUp(x, a int) int { return (x + a - 1) / a * a }

// ptr follows the offset_ptr at off (bits: low bits that hold tree colour
// bits, masked off); ok is false for a null pointer.
func (l *boostLayout) ptr(off int, bits uint64) (int, bool, error) {
	raw := le64(l.mem, off) &^ bits
	if raw == 1 {
		return 0, false, nil
	}
	t := int64(off) + int64(raw)
	if t < 0 || t >= int64(len(l.mem)) {
		return 0, false, layoutErr("offset_ptr at %d points outside the segment (offset %d)", off, int64(raw))
	}
	return int(t), true, nil
}

// block checks that a user buffer starts at n in an allocated block and
// returns the block's end (the last byte its user may use, which includes
// the next block's m_prev_size word: UsableByPreviousChunk).
func (l *boostLayout) block(n int) (end int, err error) {
	if n%8 != 0 || n < l.firstBlock+boostSizeHolder || n >= l.endBlock {
		return 0, layoutErr("offset %d is not inside the allocator's blocks [%d, %d)", n, l.firstBlock, l.endBlock)
	}
	w := le64(l.mem, n-8)
	units := int(w & (1<<62 - 1))
	end = n - boostSizeHolder + units*boostAlignment + 8
	if w>>63 != 1 || units < 2 || end > l.endBlock+8 {
		return 0, layoutErr("offset %d is not at the start of an allocated block (block word %#x)", n, w)
	}
	return end, nil
}

// node checks that an index node lies at the start of an allocated block
// large enough for the node and a block header.
func (l *boostLayout) node(n int) (blockEnd int, err error) {
	end, err := l.block(n)
	if err != nil {
		return 0, fmt.Errorf("index node: %w", err)
	}
	if n+boostIndexNode+boostBlockHdr > end {
		return 0, layoutErr("index node at %d: its block ends at %d, before the block header", n, end)
	}
	return end, nil
}

// entry decodes the named object whose index node is at n.
func (l *boostLayout) entry(n int) (boostObject, error) {
	end, err := l.node(n)
	if err != nil {
		return boostObject{}, err
	}
	h := n + boostIndexNode
	valueBytes := le64(l.mem, h)
	numChar := int(l.mem[h+8]) | int(l.mem[h+9])<<8
	align := int(l.mem[h+10])
	typeChar := l.mem[h+11]
	ok := typeChar == boostNamedType<<5|1 && numChar > 0 && align > 0 && align&(align-1) == 0 &&
		valueBytes < uint64(len(l.mem))
	if ok {
		value := h + roundUp(boostBlockHdr, align)
		name := value + int(valueBytes)
		if name+numChar+1 <= end && l.mem[name+numChar] == 0 {
			return boostObject{name: string(l.mem[name : name+numChar]), value: value,
				valueBytes: int(valueBytes), align: align}, nil
		}
	}
	if name, ok := l.abi2Name(h, end); ok {
		return boostObject{}, layoutErr("object %q was written with Boost.Interprocess's segment-manager ABI 2 (the default from Boost 1.87): netgym reads Boost 1.74's ABI 1; build ns3-ai's Python binding with Boost < 1.87 (Debian bookworm's 1.74) or with -DBOOST_INTERPROCESS_SEGMENT_MANAGER_ABI=1", name)
	}
	return boostObject{}, layoutErr("named object at %d has no Boost 1.74 block header (value bytes %d, name length %d, alignment %d, type byte %#x)", h, valueBytes, numChar, align, typeChar)
}

// abi2Name recognises Boost 1.87's block header: one word (value bytes << 2
// | alloc type), the value, a uint16 name length at the value's end
// rounded to 2, then the name and its NUL.
func (l *boostLayout) abi2Name(h, end int) (string, bool) {
	w := le64(l.mem, h)
	if w&3 != boostNamedType {
		return "", false
	}
	vb := w >> 2
	if vb >= uint64(len(l.mem)) {
		return "", false
	}
	lenOff := h + 8 + roundUp(int(vb), 2)
	if lenOff+2 > end {
		return "", false
	}
	nl := int(l.mem[lenOff]) | int(l.mem[lenOff+1])<<8
	name := lenOff + 2
	if nl == 0 || name+nl+1 > end || l.mem[name+nl] != 0 {
		return "", false
	}
	s := string(l.mem[name : name+nl])
	if strings.IndexByte(s, 0) >= 0 {
		return "", false
	}
	return s, true
}

// find searches the named index for name, as iset_index::find does.
func (l *boostLayout) find(name string) (boostObject, error) {
	n, ok, err := l.ptr(l.indexHdr, 2)
	if err != nil {
		return boostObject{}, err
	}
	for depth := 0; ok; depth++ {
		if depth > boostMaxDepth {
			return boostObject{}, layoutErr("named index deeper than %d: not a balanced tree", boostMaxDepth)
		}
		e, err := l.entry(n)
		if err != nil {
			return boostObject{}, err
		}
		c := compareKey(name, e.name)
		if c == 0 {
			return e, nil
		}
		next := n + 8 // left
		if c > 0 {
			next = n + 16 // right
		}
		if n, ok, err = l.ptr(next, 0); err != nil {
			return boostObject{}, err
		}
	}
	return boostObject{}, layoutErr("no object named %q in the segment (its index holds %s)", name, l.names())
}

// compareKey orders names as iset_index does: by length, then bytes.
func compareKey(a, b string) int {
	switch {
	case len(a) != len(b):
		if len(a) < len(b) {
			return -1
		}
		return 1
	default:
		return strings.Compare(a, b)
	}
}

// names lists the index's names in order, for error messages.
func (l *boostLayout) names() string {
	var out []string
	var walk func(n int, ok bool, depth int)
	walk = func(n int, ok bool, depth int) {
		if !ok || depth > boostMaxDepth || len(out) > 16 {
			return
		}
		e, err := l.entry(n)
		if err != nil {
			out = append(out, "?")
			return
		}
		left, lok, _ := l.ptr(n+8, 0)
		walk(left, lok, depth+1)
		out = append(out, fmt.Sprintf("%q", e.name))
		right, rok, _ := l.ptr(n+16, 0)
		walk(right, rok, depth+1)
	}
	root, ok, _ := l.ptr(l.indexHdr, 2)
	walk(root, ok, 0)
	if len(out) == 0 {
		return "no objects"
	}
	return strings.Join(out, ", ")
}

// vector reads the boost::interprocess::vector whose header is object o
// and returns its elements' offset and count, checking that they lie in
// one allocated block of the segment and fit elemSize-byte elements
// aligned to elemAlign.
func (l *boostLayout) vector(o boostObject, elemSize, elemAlign int) (data, count int, err error) {
	if o.valueBytes != boostVectorBytes || o.align != 8 {
		return 0, 0, layoutErr("object %q is %d bytes aligned to %d, not a boost::interprocess::vector (32 bytes aligned to 8): is the creator using the struct interface?", o.name, o.valueBytes, o.align)
	}
	v := o.value
	mgr, ok, err := l.ptr(v, 0)
	if err != nil || !ok || mgr != boostUserOffset {
		return 0, 0, layoutErr("vector %q's allocator does not point to the segment manager", o.name)
	}
	size, capacity := le64(l.mem, v+16), le64(l.mem, v+24)
	start, ok, err := l.ptr(v+8, 0)
	if err != nil {
		return 0, 0, err
	}
	if !ok || size == 0 {
		return 0, 0, layoutErr("vector %q is empty: its creator must size it (ns3-ai's Experiment: useVector=True, vectorSize=N)", o.name)
	}
	if size > capacity || capacity > uint64(len(l.mem)) {
		return 0, 0, layoutErr("vector %q has size %d beyond its capacity %d", o.name, size, capacity)
	}
	end, err := l.block(start)
	if err != nil {
		return 0, 0, layoutErr("vector %q's elements: %v", o.name, err)
	}
	if start%elemAlign != 0 {
		return 0, 0, layoutErr("vector %q's elements at offset %d are not aligned to %d", o.name, start, elemAlign)
	}
	if uint64(end-start) < capacity*uint64(elemSize) {
		return 0, 0, layoutErr("vector %q's block holds %d bytes, less than its capacity %d times the %d-byte element: the Go element type is larger than the creator's", o.name, end-start, capacity, elemSize)
	}
	return start, int(size), nil
}
