package packet

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFIFO(t *testing.T) {
	var q FIFO[int]
	require.Zero(t, q.Len())
	next, want := 0, 0
	// Interleave pushes and pops so that the ring wraps and grows while
	// wrapped.
	for round, n := range []int{3, 8, 5, 20, 1} {
		for range n {
			q.Push(next)
			next++
		}
		for range n - round%2 {
			require.Equal(t, want, q.Pop())
			want++
		}
	}
	require.Equal(t, next-want, q.Len())
	for q.Len() > 0 {
		require.Equal(t, want, q.Pop())
		want++
	}
	require.Equal(t, next, want)
	require.Len(t, q.buf, 32, "8 slots, doubled at the 9th and the 17th value queued")

	var pq FIFO[*Packet]
	p := NewPool().New(10)
	pq.Push(p)
	require.Same(t, p, pq.Pop())
	require.Nil(t, pq.buf[0], "a popped slot holds no pointer")
	require.Zero(t, testing.AllocsPerRun(100, func() { pq.Push(p); pq.Pop() }))
}
