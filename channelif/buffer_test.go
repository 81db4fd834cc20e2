package channelif

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bufOp adds a value (ok) or a missing mark to a step.
type bufOp struct {
	step  int64
	value int
	ok    bool
}

func got(s int64, v int) bufOp { return bufOp{step: s, value: v, ok: true} }
func miss(s int64) bufOp       { return bufOp{step: s} }

func TestObservationBuffer(t *testing.T) {
	tests := []struct {
		name       string
		size       int
		ops        []bufOp
		values     []int
		mask       []bool
		current    int64
		length     int
		full       bool
		windowVals []int
	}{
		{
			name: "empty", size: 3,
			values: []int{0, 0, 0}, mask: []bool{false, false, false}, current: -1, length: 0,
			windowVals: []int{},
		},
		{
			// Until full, the window starts at step 0: newest at index 0.
			name: "first step is left-aligned", size: 3, ops: []bufOp{got(0, 10)},
			values: []int{10, 0, 0}, mask: []bool{true, false, false}, current: 0, length: 1,
			windowVals: []int{10},
		},
		{
			name: "filling", size: 3, ops: []bufOp{got(0, 10), got(1, 11), miss(2)},
			values: []int{10, 11, 0}, mask: []bool{true, true, false}, current: 2, length: 3, full: true,
			windowVals: []int{10, 11, 0},
		},
		{
			name: "sliding", size: 3, ops: []bufOp{got(0, 10), got(1, 11), miss(2), got(3, 13)},
			values: []int{11, 0, 13}, mask: []bool{true, false, true}, current: 3, length: 3, full: true,
			windowVals: []int{11, 0, 13},
		},
		{
			name: "missing after a value clears it", size: 3, ops: []bufOp{got(1, 11), miss(1)},
			values: []int{0, 0, 0}, mask: []bool{false, false, false}, current: 1, length: 2,
			windowVals: []int{0, 0},
		},
		{
			// NetRL writes slot step%size even for a step older than the
			// window, evicting the step sharing the slot.
			name: "old step evicts its slot", size: 3,
			ops:    []bufOp{got(3, 13), got(4, 14), got(5, 15), got(2, 99)},
			values: []int{13, 14, 0}, mask: []bool{true, true, false}, current: 5, length: 3, full: true,
			windowVals: []int{13, 14, 0},
		},
		{
			name: "negative step ignored", size: 2, ops: []bufOp{got(-1, 5), miss(-3)},
			values: []int{0, 0}, mask: []bool{false, false}, current: -1, length: 0,
			windowVals: []int{},
		},
		{
			name: "jump ahead hides stale slots", size: 3,
			ops:    []bufOp{got(0, 10), got(1, 11), got(2, 12), got(10, 20)},
			values: []int{0, 0, 20}, mask: []bool{false, false, true}, current: 10, length: 3, full: true,
			windowVals: []int{0, 0, 20},
		},
		{
			name: "later write of a step wins", size: 2, ops: []bufOp{got(0, 1), got(0, 2)},
			values: []int{2, 0}, mask: []bool{true, false}, current: 0, length: 1,
			windowVals: []int{2},
		},
		{
			name: "size one", size: 1, ops: []bufOp{got(0, 1), got(1, 2), miss(2)},
			values: []int{0}, mask: []bool{false}, current: 2, length: 1, full: true,
			windowVals: []int{0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewObservationBuffer[int](tt.size)
			require.NoError(t, err)
			for _, o := range tt.ops {
				if o.ok {
					b.Add(o.step, o.value)
				} else {
					b.AddMissing(o.step)
				}
			}
			values, mask := b.Padded()
			assert.Equal(t, tt.values, values)
			assert.Equal(t, tt.mask, mask)
			assert.Equal(t, tt.current, b.CurrentStep())
			assert.Equal(t, tt.length, b.Len())
			assert.Equal(t, tt.full, b.Full())
			assert.Equal(t, tt.size, b.Size())
			wv, wm := b.Window()
			assert.Equal(t, tt.windowVals, wv)
			assert.Len(t, wm, len(tt.windowVals))

			b.Clear()
			values, mask = b.Padded()
			assert.Equal(t, make([]int, tt.size), values)
			assert.Equal(t, make([]bool, tt.size), mask)
			assert.Equal(t, int64(-1), b.CurrentStep())
		})
	}
}

func TestObservationBufferAdvanceAndAppend(t *testing.T) {
	b, err := NewObservationBuffer[string](2)
	require.NoError(t, err)
	b.Add(0, "a")
	b.Advance(1)
	b.Advance(0) // never moves back
	assert.Equal(t, int64(1), b.CurrentStep())
	vals, mask := b.AppendPadded([]string{"x"}, []bool{true})
	assert.Equal(t, []string{"x", "a", ""}, vals)
	assert.Equal(t, []bool{true, true, false}, mask)
}

func TestObservationBufferSize(t *testing.T) {
	for _, n := range []int{0, -1} {
		_, err := NewObservationBuffer[int](n)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "must be >= 1")
	}
}
