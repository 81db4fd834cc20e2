package channelif

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scriptChannel delivers what its script says: arrivals[t] is what
// Flush(t) returns, whatever was transmitted.
type scriptChannel struct {
	arrivals map[uint32][]uint32
	sent     []uint32
	seed     int64
	resets   int
	flushErr error
	txErr    error
}

func (c *scriptChannel) Transmit(step uint32, size int) error {
	if c.txErr != nil {
		return c.txErr
	}
	c.sent = append(c.sent, step)
	return nil
}

func (c *scriptChannel) Flush(step uint32) ([]uint32, error) {
	return c.arrivals[step], c.flushErr
}

func (c *scriptChannel) Reset() error { c.resets++; return nil }

func scriptFactory(chs ...*scriptChannel) ChannelFactory {
	i := 0
	return func(seed int64) (CommChannel, error) {
		c := chs[i]
		c.seed = seed
		i++
		return c, nil
	}
}

func cfgWith(buffer, delay, maxPending int) CentralNodeConfig {
	c := DefaultCentralNodeConfig()
	c.BufferSize, c.DelaySteps, c.MaxPendingSteps = buffer, delay, maxPending
	return c
}

func TestCentralNodeConfig(t *testing.T) {
	d := DefaultCentralNodeConfig()
	assert.Equal(t, CentralNodeConfig{BufferSize: 10, DelaySteps: 0, MaxPendingSteps: 200, Seed: 42, PacketSize: 64}, d)
	assert.Equal(t, 200, MaxPendingStepsWifi)
	assert.Equal(t, 500, MaxPendingStepsCellular)
	tests := []struct {
		name   string
		modify func(*CentralNodeConfig)
		errMsg string
	}{
		{"defaults", func(*CentralNodeConfig) {}, ""},
		{"cellular", func(c *CentralNodeConfig) { c.MaxPendingSteps = MaxPendingStepsCellular }, ""},
		{"buffer 0", func(c *CentralNodeConfig) { c.BufferSize = 0 }, "BufferSize=0 must be >= 1"},
		{"delay negative", func(c *CentralNodeConfig) { c.DelaySteps = -2 }, "DelaySteps=-2 must be >= 0"},
		{"max pending 0", func(c *CentralNodeConfig) { c.MaxPendingSteps = 0 }, "MaxPendingSteps=0 must be >= 1"},
		{"max pending below delay", func(c *CentralNodeConfig) { c.DelaySteps, c.MaxPendingSteps = 5, 4 }, "MaxPendingSteps=4 must be >= DelaySteps=5"},
		{"negative packet size", func(c *CentralNodeConfig) { c.PacketSize = -1 }, "PacketSize=-1 must be >= 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultCentralNodeConfig()
			tt.modify(&c)
			err := c.Validate()
			_, nerr := NewCentralNode[int]([]string{"a"}, c, PerfectFactory)
			if tt.errMsg == "" {
				require.NoError(t, err)
				require.NoError(t, nerr)
				return
			}
			require.ErrorContains(t, err, tt.errMsg)
			require.ErrorContains(t, nerr, tt.errMsg)
		})
	}
}

func TestNewCentralNodeErrors(t *testing.T) {
	cfg := DefaultCentralNodeConfig()
	bad := errors.New("no radio")
	tests := []struct {
		name    string
		ids     []string
		factory ChannelFactory
		errMsg  string
	}{
		{"no ids", nil, PerfectFactory, "no node ids"},
		{"nil factory", []string{"a"}, nil, "nil channel factory"},
		{"duplicate", []string{"a", "b", "a"}, PerfectFactory, `duplicate node id "a"`},
		{"factory error", []string{"a"}, func(int64) (CommChannel, error) { return nil, bad }, `channel of node "a": no radio`},
		{"factory nil", []string{"a"}, func(int64) (CommChannel, error) { return nil, nil }, "returned nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCentralNode[int](tt.ids, cfg, tt.factory)
			require.ErrorContains(t, err, tt.errMsg)
		})
	}
}

func TestCentralNodeSeedsNodes(t *testing.T) {
	chs := []*scriptChannel{{}, {}, {}}
	cfg := DefaultCentralNodeConfig()
	c, err := NewCentralNode[int]([]string{"a", "b", "c"}, cfg, scriptFactory(chs...))
	require.NoError(t, err)
	for i, ch := range chs {
		assert.Equal(t, int64(42+i), ch.seed)
		assert.Same(t, ch, c.Channel(i))
	}
	assert.Equal(t, []string{"a", "b", "c"}, c.NodeIDs())
	assert.Equal(t, 3, c.NumNodes())
	i, ok := c.Index("c")
	assert.True(t, ok)
	assert.Equal(t, 2, i)
	_, ok = c.Index("z")
	assert.False(t, ok)
	assert.Equal(t, cfg, c.Config())
}

// centralStep is one environment step of a single-node scenario: the value
// sent (if send), then the expected buffer after the flush.
type centralStep struct {
	send        bool
	values      []int
	mask        []bool
	last        int
	arrived     bool
	pendingLeft int
}

func TestCentralNodeSlots(t *testing.T) {
	tests := []struct {
		name     string
		cfg      CentralNodeConfig
		arrivals map[uint32][]uint32
		steps    []centralStep
	}{
		{
			// Values are 100+step. Step 1 arrives on time; step 0 arrives
			// late at flush 2, after step 2, and lands in slot 2 (NetRL's
			// rule: the slot of the flush step minus delay_steps); step 3 is
			// lost and stays pending.
			name: "late arrival goes to the flush step's slot",
			cfg:  cfgWith(4, 0, 200),
			arrivals: map[uint32][]uint32{
				1: {1},
				2: {2, 0},
			},
			steps: []centralStep{
				{send: true, values: []int{0, 0, 0, 0}, mask: []bool{false, false, false, false}, pendingLeft: 1},
				{send: true, values: []int{0, 101, 0, 0}, mask: []bool{false, true, false, false}, last: 101, arrived: true, pendingLeft: 1},
				{send: true, values: []int{0, 101, 100, 0}, mask: []bool{false, true, true, false}, last: 100, arrived: true},
				{send: true, values: []int{0, 101, 100, 0}, mask: []bool{false, true, true, false}, pendingLeft: 1},
			},
		},
		{
			// A fixed delay of 2: each value lands in its own step's slot and
			// the newest two slots are still in flight.
			name:     "delay steps shift the slot",
			cfg:      cfgWith(4, 2, 200),
			arrivals: map[uint32][]uint32{2: {0}, 3: {1}, 4: {2}},
			steps: []centralStep{
				{send: true, values: []int{0, 0, 0, 0}, mask: []bool{false, false, false, false}, pendingLeft: 1},
				{send: true, values: []int{0, 0, 0, 0}, mask: []bool{false, false, false, false}, pendingLeft: 2},
				{send: true, values: []int{100, 0, 0, 0}, mask: []bool{true, false, false, false}, last: 100, arrived: true, pendingLeft: 2},
				{send: true, values: []int{100, 101, 0, 0}, mask: []bool{true, true, false, false}, last: 101, arrived: true, pendingLeft: 2},
				{send: true, values: []int{101, 102, 0, 0}, mask: []bool{true, true, false, false}, last: 102, arrived: true, pendingLeft: 2},
			},
		},
		{
			// max_pending 3: step 0 arriving at flush 4 (4-0 > 3) is still
			// taken, since arrivals are handled before expiry; step 1
			// expires at flush 5 (5-1 > 3) and its arrival at flush 6 is
			// ignored.
			name:     "max pending steps",
			cfg:      cfgWith(8, 0, 3),
			arrivals: map[uint32][]uint32{4: {0}, 6: {1}},
			steps: []centralStep{
				{send: true, values: make([]int, 8), mask: make([]bool, 8), pendingLeft: 1},
				{send: true, values: make([]int, 8), mask: make([]bool, 8), pendingLeft: 2},
				{values: make([]int, 8), mask: make([]bool, 8), pendingLeft: 2},
				{values: make([]int, 8), mask: make([]bool, 8), pendingLeft: 2},
				{values: []int{0, 0, 0, 0, 100, 0, 0, 0}, mask: []bool{false, false, false, false, true, false, false, false}, last: 100, arrived: true, pendingLeft: 1},
				{values: []int{0, 0, 0, 0, 100, 0, 0, 0}, mask: []bool{false, false, false, false, true, false, false, false}, pendingLeft: 0},
				{values: []int{0, 0, 0, 0, 100, 0, 0, 0}, mask: []bool{false, false, false, false, true, false, false, false}, pendingLeft: 0},
			},
		},
		{
			// Duplicate and unknown ids find no pending value and count as
			// no arrival.
			name:     "duplicates and strangers ignored",
			cfg:      cfgWith(3, 0, 200),
			arrivals: map[uint32][]uint32{0: {0, 0, 77}, 1: {0, 99}},
			steps: []centralStep{
				{send: true, values: []int{100, 0, 0}, mask: []bool{true, false, false}, last: 100, arrived: true},
				{values: []int{100, 0, 0}, mask: []bool{true, false, false}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := &scriptChannel{arrivals: tt.arrivals}
			c, err := NewCentralNode[int]([]string{"n"}, tt.cfg, scriptFactory(ch))
			require.NoError(t, err)
			for i, st := range tt.steps {
				step := uint32(i)
				if st.send {
					require.NoError(t, c.Send(0, step, 100+i, 64))
				}
				require.NoError(t, c.FlushAndUpdate(step))
				values, mask := c.Padded(0)
				assert.Equal(t, st.values, values, "step %d values", i)
				assert.Equal(t, st.mask, mask, "step %d mask", i)
				last, arrived := c.LastArrival(0)
				assert.Equal(t, st.arrived, arrived, "step %d arrived", i)
				assert.Equal(t, st.last, last, "step %d last", i)
				assert.Equal(t, st.pendingLeft, c.Pending(0), "step %d pending", i)
			}
		})
	}
}

func TestCentralNodeResendReplacesValue(t *testing.T) {
	ch := &scriptChannel{arrivals: map[uint32][]uint32{1: {0}}}
	c, err := NewCentralNode[string]([]string{"n"}, cfgWith(2, 0, 10), scriptFactory(ch))
	require.NoError(t, err)
	require.NoError(t, c.Send(0, 0, "old", 8))
	require.NoError(t, c.Send(0, 0, "new", 8))
	assert.Equal(t, 1, c.Pending(0))
	require.NoError(t, c.FlushAndUpdate(0))
	require.NoError(t, c.FlushAndUpdate(1))
	v, ok := c.LastArrival(0)
	assert.True(t, ok)
	assert.Equal(t, "new", v)
	assert.Equal(t, []uint32{0, 0}, ch.sent)
}

func TestCentralNodeStepAndReset(t *testing.T) {
	chs := []*scriptChannel{{arrivals: map[uint32][]uint32{0: {0}}}, {}}
	c, err := NewCentralNode[[]float64]([]string{"a", "b"}, cfgWith(2, 0, 10), scriptFactory(chs...))
	require.NoError(t, err)
	require.ErrorContains(t, c.Step(0, [][]float64{{1}}), "1 values for 2 nodes")
	require.NoError(t, c.Step(0, [][]float64{{1, 2}, {3, 4}}))
	va, ma := c.Padded(0)
	assert.Equal(t, [][]float64{{1, 2}, nil}, va)
	assert.Equal(t, []bool{true, false}, ma)
	_, mb := c.Padded(1)
	assert.Equal(t, []bool{false, false}, mb)
	assert.Equal(t, 1, c.Pending(1))

	require.NoError(t, c.Reset())
	for i, ch := range chs {
		assert.Equal(t, 1, ch.resets)
		assert.Equal(t, 0, c.Pending(i))
		assert.Equal(t, int64(-1), c.Buffer(i).CurrentStep())
		_, ok := c.LastArrival(i)
		assert.False(t, ok)
	}
}

func TestCentralNodeErrors(t *testing.T) {
	txErr := errors.New("tx broke")
	flushErr := errors.New("flush broke")
	chs := []*scriptChannel{{txErr: txErr, flushErr: flushErr}, {arrivals: map[uint32][]uint32{0: {0}}}}
	c, err := NewCentralNode[int]([]string{"a", "b"}, cfgWith(2, 0, 10), scriptFactory(chs...))
	require.NoError(t, err)

	err = c.Send(0, 0, 1, 8)
	require.ErrorIs(t, err, txErr)
	assert.Equal(t, 0, c.Pending(0), "a failed send keeps nothing")
	require.ErrorContains(t, c.Send(2, 0, 1, 8), "node index 2 out of range [0,2)")
	require.ErrorContains(t, c.Send(-1, 0, 1, 8), "node index -1 out of range")
	require.ErrorIs(t, c.Step(0, []int{1, 2}), txErr)

	// A failing flush does not stop the other nodes.
	require.NoError(t, c.Send(1, 0, 5, 8))
	err = c.FlushAndUpdate(0)
	require.ErrorIs(t, err, flushErr)
	assert.Contains(t, err.Error(), `node "a"`)
	v, ok := c.LastArrival(1)
	assert.True(t, ok)
	assert.Equal(t, 5, v)

	// Accessors out of range.
	assert.Nil(t, c.Buffer(5))
	assert.Nil(t, c.Channel(-1))
	vals, mask := c.Padded(9)
	assert.Nil(t, vals)
	assert.Nil(t, mask)
	_, ok = c.LastArrival(9)
	assert.False(t, ok)
	assert.Equal(t, 0, c.Pending(9))
}

// A fixed-delay lossless GE channel with matching DelaySteps fills every
// slot but the newest DelaySteps ones.
func TestCentralNodeWithGE(t *testing.T) {
	ge := GEConfig{DelaySteps: 3}
	c, err := NewCentralNode[int]([]string{"n"}, cfgWith(5, 3, 3), ge.Factory())
	require.NoError(t, err)
	for s := uint32(0); s < 20; s++ {
		require.NoError(t, c.Step(s, []int{int(s) + 1}))
	}
	values, mask := c.Padded(0)
	assert.Equal(t, []int{16, 17, 0, 0, 0}, values)
	assert.Equal(t, []bool{true, true, false, false, false}, mask)
	assert.Equal(t, 3, c.Pending(0))
}

func centralTrace(t *testing.T, seed int64) [][]bool {
	t.Helper()
	cfg := cfgWith(4, 1, 200)
	cfg.Seed = seed
	ge := DefaultGEConfig()
	ge.DelaySteps = 1
	ge.LossGood, ge.LossBad = 0.2, 0.8
	c, err := NewCentralNode[int]([]string{"a", "b"}, cfg, ge.Factory())
	require.NoError(t, err)
	var out [][]bool
	for s := uint32(0); s < 300; s++ {
		require.NoError(t, c.Step(s, []int{1, 2}))
		for n := 0; n < 2; n++ {
			_, m := c.Padded(n)
			out = append(out, m)
		}
	}
	return out
}

func TestCentralNodeDeterminism(t *testing.T) {
	a := centralTrace(t, 7)
	assert.Equal(t, a, centralTrace(t, 7))
	assert.NotEqual(t, a, centralTrace(t, 8))
	// Nodes get different seeds, so their masks differ.
	var na, nb [][]bool
	for i := 0; i < len(a); i += 2 {
		na, nb = append(na, a[i]), append(nb, a[i+1])
	}
	assert.NotEqual(t, na, nb)
}
