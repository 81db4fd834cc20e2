package packet

// FIFO is a first-in first-out queue of T that grows as needed and reuses
// its memory: the values (a packet and what goes with it) that a model
// hands to events scheduled with one fixed delay, which fire in the order
// they were scheduled, so that each event pops the oldest value instead of
// boxing its own argument. The zero value is ready to use.
type FIFO[T any] struct {
	buf        []T
	head, size int
}

// Len returns the number of values queued.
func (q *FIFO[T]) Len() int { return q.size }

// Push appends v, doubling the queue's memory when it is full (8 values
// at first).
func (q *FIFO[T]) Push(v T) {
	if q.size == len(q.buf) {
		buf := make([]T, max(8, 2*len(q.buf)))
		for i := range q.size {
			buf[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = buf, 0
	}
	q.buf[(q.head+q.size)%len(q.buf)] = v
	q.size++
}

// Pop removes and returns the oldest value; the queue must not be empty.
// The slot is cleared, so the queue keeps no pointer to a popped value.
func (q *FIFO[T]) Pop() T {
	v := q.buf[q.head]
	var zero T
	q.buf[q.head] = zero
	q.head = (q.head + 1) % len(q.buf)
	q.size--
	return v
}
