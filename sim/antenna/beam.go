package antenna

// Beam is a beamforming vector: one complex weight per array element,
// ns-3's PhasedArrayModel::ComplexVector as 5G-LENA's BeamManager stores
// it per peer device. A beam is shared by pointer (the array that uses it
// and the channel's per-link caches see the same object); Set changes the
// weights in place and advances Generation, so that a cache keyed by
// (beam, generation) notices the change. The zero Beam has no weights.
type Beam struct {
	w   []complex128
	gen uint64
}

// NewBeam returns a beam holding a copy of w.
func NewBeam(w []complex128) *Beam {
	b := &Beam{}
	b.Set(w)
	return b
}

// Set replaces the weights by a copy of w, reusing the beam's memory when
// the length is unchanged, and advances the generation.
func (b *Beam) Set(w []complex128) {
	if cap(b.w) >= len(w) {
		b.w = b.w[:len(w)]
	} else {
		b.w = make([]complex128, len(w))
	}
	copy(b.w, w)
	b.gen++
}

// Weights returns the weights. The slice belongs to the beam: read it,
// do not modify it (use Set).
func (b *Beam) Weights() []complex128 { return b.w }

// Len returns the number of weights.
func (b *Beam) Len() int { return len(b.w) }

// Generation counts the changes of the beam (1 after NewBeam, +1 per Set).
func (b *Beam) Generation() uint64 { return b.gen }
