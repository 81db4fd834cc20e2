package nr5g

// ueMapOrder is the iteration order of NrMacSchedulerNs3's m_ueMap, a
// std::unordered_map<uint16_t, ...> in libstdc++ (GCC 12, which 5G-LENA
// nr-4.1 builds with): the order in which the scheduler meets the UEs when
// it groups them by beam, so the order of the blocks in a slot (and, with
// OFDMA, which block's beam the gNB uses) and of ties in every policy.
// libstdc++ keeps one singly linked list: a key goes at the head of its
// bucket's run of nodes, or at the head of the list when its bucket is
// empty; a rehash (when the size would exceed the bucket count) moves every
// node, in list order, to the head of its new bucket's run, which reverses
// the list. The hash of an integer is the integer itself.
type ueMapOrder struct {
	keys    []uint16
	buckets int
	resize  int // _M_next_resize
}

// libstdcxxBuckets is the sequence of bucket counts an unordered_map of
// libstdc++ grows through (_Prime_rehash_policy: 13 at the first insert,
// then the listed prime at or above twice the count).
var libstdcxxBuckets = [...]int{13, 29, 59, 127, 257, 541, 1109, 2357, 5087, 10273, 20753, 42043, 85229, 172933}

// insert adds key k, absent from the map.
func (m *ueMapOrder) insert(k uint16) {
	if m.buckets == 0 {
		m.buckets = 1
	}
	if len(m.keys)+1 > m.resize {
		next := m.buckets
		for _, b := range libstdcxxBuckets {
			if b > m.buckets {
				next = b
				break
			}
		}
		m.rehash(next)
	}
	m.place(k)
}

// place puts k at the head of its bucket's run, or at the head of the
// list.
func (m *ueMapOrder) place(k uint16) {
	b := int(k) % m.buckets
	at := 0
	for i, o := range m.keys {
		if int(o)%m.buckets == b {
			at = i
			break
		}
	}
	m.keys = append(m.keys, 0)
	copy(m.keys[at+1:], m.keys[at:])
	m.keys[at] = k
}

// rehash moves to n buckets (_M_rehash_aux for unique keys).
func (m *ueMapOrder) rehash(n int) {
	old := append([]uint16(nil), m.keys...)
	m.keys = m.keys[:0]
	m.buckets, m.resize = n, n
	for _, k := range old {
		m.place(k)
	}
}

// erase removes key k.
func (m *ueMapOrder) erase(k uint16) {
	for i, o := range m.keys {
		if o == k {
			m.keys = append(m.keys[:i], m.keys[i+1:]...)
			return
		}
	}
}
