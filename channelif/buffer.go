package channelif

import "fmt"

// ObservationBuffer is NetRL's ObservationBuffer: a window of Size time
// slots, one per step, each holding a value and whether it was received.
//
// Step s lives in slot s mod Size, tagged with s; a slot whose tag is not the
// step being read counts as empty. The window covers the steps
// [max(0, CurrentStep-Size+1), ...], Size of them. Values are stored as given:
// a slice or pointer value is not copied, so do not modify it afterwards.
//
// The semantics follow NetRL exactly, including two consequences worth
// knowing:
//   - Until the buffer is full, the window starts at step 0, so the most
//     recent step sits at index CurrentStep and the slots after it are
//     empty padding; only from then on is the newest step at index Size-1.
//   - Adding a step older than the window still writes its slot, evicting
//     the step of the window that shared the slot.
type ObservationBuffer[T any] struct {
	values  []T
	recv    []bool
	stepMap []int64
	current int64
}

// NewObservationBuffer returns an empty buffer of size slots (size >= 1).
func NewObservationBuffer[T any](size int) (*ObservationBuffer[T], error) {
	if size < 1 {
		return nil, fmt.Errorf("observation buffer: size %d must be >= 1", size)
	}
	b := &ObservationBuffer[T]{
		values:  make([]T, size),
		recv:    make([]bool, size),
		stepMap: make([]int64, size),
	}
	b.Clear()
	return b, nil
}

// Size returns the number of slots.
func (b *ObservationBuffer[T]) Size() int { return len(b.values) }

// CurrentStep returns the latest step seen, or -1 for an empty buffer.
func (b *ObservationBuffer[T]) CurrentStep() int64 { return b.current }

// Len returns the number of steps the window covers: min(CurrentStep+1,
// Size), 0 when empty.
func (b *ObservationBuffer[T]) Len() int {
	if b.current < 0 {
		return 0
	}
	return int(min(b.current+1, int64(len(b.values))))
}

// Full reports whether the window covers Size steps.
func (b *ObservationBuffer[T]) Full() bool {
	return b.current >= 0 && b.current+1 >= int64(len(b.values))
}

// Advance moves CurrentStep to step if step is later.
func (b *ObservationBuffer[T]) Advance(step int64) { b.current = max(b.current, step) }

// Add stores value as received in the slot of step (NetRL's add(obs, step)).
// A negative step is ignored.
func (b *ObservationBuffer[T]) Add(step int64, value T) { b.set(step, value, true) }

// AddMissing marks the slot of step as not received, with the zero value
// (NetRL's add(None, step)). A negative step is ignored.
func (b *ObservationBuffer[T]) AddMissing(step int64) {
	var zero T
	b.set(step, zero, false)
}

func (b *ObservationBuffer[T]) set(step int64, value T, ok bool) {
	b.current = max(b.current, step)
	if step < 0 {
		return
	}
	i := step % int64(len(b.values))
	b.values[i] = value
	b.recv[i] = ok
	b.stepMap[i] = step
}

// Padded returns Size values and the receive mask, in step order over the
// window (NetRL's get_padded); empty slots hold the zero value and false.
// The slices are new on every call; AppendPadded avoids the allocation.
func (b *ObservationBuffer[T]) Padded() ([]T, []bool) {
	return b.AppendPadded(make([]T, 0, len(b.values)), make([]bool, 0, len(b.values)))
}

// AppendPadded appends what Padded returns to values and mask and returns
// the extended slices.
func (b *ObservationBuffer[T]) AppendPadded(values []T, mask []bool) ([]T, []bool) {
	var zero T
	n := int64(len(b.values))
	if b.current < 0 {
		for range n {
			values = append(values, zero)
			mask = append(mask, false)
		}
		return values, mask
	}
	start := max(0, b.current-n+1)
	for s := start; s < start+n; s++ {
		i := s % n
		if b.stepMap[i] == s {
			values = append(values, b.values[i])
			mask = append(mask, b.recv[i])
		} else {
			values = append(values, zero)
			mask = append(mask, false)
		}
	}
	return values, mask
}

// Window returns the Len steps of the window in step order, without padding
// (NetRL's get); both slices are empty for an empty buffer, where NetRL
// raises.
func (b *ObservationBuffer[T]) Window() ([]T, []bool) {
	values, mask := b.Padded()
	return values[:b.Len()], mask[:b.Len()]
}

// Clear empties the buffer.
func (b *ObservationBuffer[T]) Clear() {
	clear(b.values)
	clear(b.recv)
	for i := range b.stepMap {
		b.stepMap[i] = -1
	}
	b.current = -1
}
