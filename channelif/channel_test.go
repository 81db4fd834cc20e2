package channelif

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// op is one channel operation of a scripted test: a Transmit (tx) or a
// Flush whose result must equal want.
type op struct {
	tx    bool
	step  uint32
	want  []uint32
	reset bool
}

func tx(step uint32) op                 { return op{tx: true, step: step} }
func fl(step uint32, want ...uint32) op { return op{step: step, want: want} }
func resetOp() op                       { return op{reset: true} }
func runOps(t *testing.T, ch CommChannel, ops []op) {
	t.Helper()
	for i, o := range ops {
		switch {
		case o.reset:
			require.NoError(t, ch.Reset(), "op %d", i)
		case o.tx:
			require.NoError(t, ch.Transmit(o.step, 64), "op %d", i)
		default:
			got, err := ch.Flush(o.step)
			require.NoError(t, err, "op %d", i)
			if len(o.want) == 0 {
				assert.Empty(t, got, "op %d: Flush(%d)", i, o.step)
			} else {
				assert.Equal(t, o.want, got, "op %d: Flush(%d)", i, o.step)
			}
		}
	}
}

func TestPerfectChannel(t *testing.T) {
	tests := []struct {
		name string
		ops  []op
	}{
		{"same step", []op{tx(0), fl(0, 0), tx(1), fl(1, 1), fl(2)}},
		{"flush later returns all in order", []op{tx(0), tx(1), tx(2), fl(5, 0, 1, 2), fl(6)}},
		{"future step waits", []op{tx(3), fl(2), fl(3, 3)}},
		{"out of order keeps transmission order", []op{tx(5), tx(3), tx(4), fl(4, 3, 4), fl(5, 5)}},
		{"duplicates", []op{tx(1), tx(1), fl(1, 1, 1)}},
		{"reset drops", []op{tx(1), resetOp(), fl(1)}},
		{"max step", []op{tx(1<<32 - 1), fl(1<<32 - 2), fl(1<<32-1, 1<<32-1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runOps(t, NewPerfectChannel(), tt.ops)
		})
	}
}

func TestPerfectChannelNegativeSize(t *testing.T) {
	var c PerfectChannel // zero value usable
	require.Error(t, c.Transmit(1, -1))
	assert.Equal(t, 0, c.Pending())
	require.NoError(t, c.Transmit(1, 0))
	assert.Equal(t, 1, c.Pending())
}

func TestPerfectFactory(t *testing.T) {
	ch, err := PerfectFactory(7)
	require.NoError(t, err)
	assert.IsType(t, &PerfectChannel{}, ch)
}
