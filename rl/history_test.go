package rl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

func values(es []rl.HistoryEntry) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = int64(e.Value.(spaces.DiscreteValue))
	}
	return out
}

func TestHistoryContainer(t *testing.T) {
	tests := []struct {
		name       string
		capacity   int
		push       int
		wantNewest []int64
		wantOldest []int64
	}{
		{"empty", 3, 0, []int64{}, []int64{}},
		{"partial", 3, 2, []int64{1, 0}, []int64{0, 1}},
		{"full", 3, 3, []int64{2, 1, 0}, []int64{0, 1, 2}},
		{"wrapped", 3, 7, []int64{6, 5, 4}, []int64{4, 5, 6}},
		{"one", 1, 4, []int64{3}, []int64{3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := rl.NewHistoryContainer(tc.capacity)
			require.NoError(t, err)
			for i := range tc.push {
				h.Push(sim.Time(i)*sim.Second, spaces.DiscreteValue(i))
			}
			assert.Equal(t, len(tc.wantNewest), h.Len())
			assert.Equal(t, tc.capacity, h.Cap())
			assert.Equal(t, tc.wantNewest, values(h.All()))
			assert.Equal(t, tc.wantOldest, values(h.Oldest(10)))
			if e, ok := h.NewestEntry(); ok {
				assert.Equal(t, sim.Time(tc.push-1)*sim.Second, e.Time)
			} else {
				assert.Zero(t, tc.push)
			}
			_, ok := h.At(h.Len())
			assert.False(t, ok)
		})
	}
}

func TestHistoryContainerErrorsAndResize(t *testing.T) {
	_, err := rl.NewHistoryContainer(0)
	require.Error(t, err)
	h, err := rl.NewHistoryContainer(4)
	require.NoError(t, err)
	for i := range 6 {
		h.Push(0, spaces.DiscreteValue(i))
	}
	require.NoError(t, h.Resize(2))
	assert.Equal(t, []int64{5, 4}, values(h.All()))
	require.NoError(t, h.Resize(5))
	h.Push(0, spaces.DiscreteValue(9))
	assert.Equal(t, []int64{9, 5, 4}, values(h.All()))
	require.Error(t, h.Resize(-1))
	h.Clear()
	assert.Zero(t, h.Len())
}

func TestHistoryPerSourceAndCombined(t *testing.T) {
	h, err := rl.NewHistory(2)
	require.NoError(t, err)
	for i := range 5 {
		h.Push(7, sim.Time(i), spaces.DiscreteValue(i))
	}
	h.Push(3, 10, spaces.DiscreteValue(100))
	assert.Equal(t, []uint32{3, 7}, h.Sources())
	assert.Equal(t, []int64{4, 3}, values(h.Source(7).All()))
	assert.Equal(t, spaces.DiscreteValue(100), h.Newest(3))
	assert.Nil(t, h.Newest(99))
	// the combined history holds limit x sources entries, in arrival order
	assert.Equal(t, 4, h.Combined().Cap())
	assert.Equal(t, []int64{100, 4, 3}, values(h.Combined().All()))
	assert.True(t, h.DeleteSource(7))
	assert.False(t, h.DeleteSource(7))
	assert.Nil(t, h.Source(7))
}

func TestRlApplicationID(t *testing.T) {
	tests := []struct {
		id   rl.RlApplicationID
		want string
	}{
		{rl.AgentID(3), "agent_3"},
		{rl.ObservationID(0), "observation_0"},
		{rl.RewardID(12), "reward_12"},
		{rl.ActionID(1), "action_1"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.id.String())
	}
	id, err := rl.ParseAgentID("agent_42")
	require.NoError(t, err)
	assert.Equal(t, rl.AgentID(42), id)
	for _, bad := range []string{"agent_", "agent_x", "observation_1", "agent_-1", ""} {
		_, err := rl.ParseAgentID(bad)
		assert.Error(t, err, bad)
	}
}
