package channelif

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

// arrival is a message seen by a receive callback.
type arrival struct {
	at  sim.Time
	msg string
}

// recorder returns a callback that logs arrivals into *log.
func recorder(s *sim.Simulator, log *[]arrival, label string) RecvCallback {
	return func(msg spaces.Value) {
		*log = append(*log, arrival{at: s.Now(), msg: label + msg.String()})
	}
}

func simplePair(t *testing.T, s *sim.Simulator, delayA, delayB sim.Time) (*SimpleChannelInterface, *SimpleChannelInterface) {
	t.Helper()
	a, err := NewSimpleChannelInterface(s, delayA)
	require.NoError(t, err)
	b, err := NewSimpleChannelInterface(s, delayB)
	require.NoError(t, err)
	require.NoError(t, a.Connect(b))
	return a, b
}

func TestSimpleChannelInterfaceDelays(t *testing.T) {
	for _, delay := range []sim.Time{0, 5 * sim.Millisecond} {
		t.Run(delay.String(), func(t *testing.T) {
			s := sim.New(1, 1)
			a, b := simplePair(t, s, delay, 0)
			var got []arrival
			b.AddRecvCallback(recorder(s, &got, ""))
			s.Schedule(sim.Second, func() {
				for i := range 3 {
					require.NoError(t, a.Send(spaces.DiscreteValue(i)))
				}
			})
			s.Schedule(sim.Second+2*sim.Millisecond, func() {
				require.NoError(t, a.Send(spaces.IntBox(7, 8)))
			})
			s.Run()
			want := []arrival{
				{sim.Second + delay, "0"},
				{sim.Second + delay, "1"},
				{sim.Second + delay, "2"},
				{sim.Second + 2*sim.Millisecond + delay, "[7 8]"},
			}
			assert.Equal(t, want, got)
			st := b.Stats()
			assert.Equal(t, uint64(4), st.RxMessages)
			assert.Equal(t, uint64(2+2+2+5), st.RxBytes, "EncodedSize of each message")
			assert.Equal(t, a.Stats().TxBytes, st.RxBytes)
		})
	}
}

// With delay 0 a message arrives in a new event at the same time, after the
// events already scheduled for that time (DEFIANCE schedules delivery with
// Simulator::Schedule(delay)); it is never delivered from inside Send.
func TestSimpleChannelInterfaceZeroDelayIsAnEvent(t *testing.T) {
	s := sim.New(1, 1)
	a, b := simplePair(t, s, 0, 0)
	var log []string
	b.AddRecvCallback(func(msg spaces.Value) { log = append(log, fmt.Sprintf("recv %v at %v", msg, s.Now())) })
	s.Schedule(sim.Second, func() {
		require.NoError(t, a.Send(spaces.DiscreteValue(1)))
		log = append(log, "sent")
	})
	s.Schedule(sim.Second, func() { log = append(log, "other event at 1s") })
	s.Run()
	assert.Equal(t, []string{"sent", "other event at 1s", "recv 1 at 1s"}, log)
}

func TestSimpleChannelInterfaceBothWaysAndSetDelay(t *testing.T) {
	s := sim.New(1, 1)
	a, b := simplePair(t, s, 5*sim.Millisecond, sim.Millisecond)
	var atA, atB []arrival
	a.AddRecvCallback(recorder(s, &atA, ""))
	b.AddRecvCallback(recorder(s, &atB, ""))
	assert.Same(t, b, a.Partner())
	assert.Same(t, a, b.Partner())
	s.Schedule(0, func() {
		require.NoError(t, a.Send(spaces.DiscreteValue(1)))
		require.NoError(t, b.Send(spaces.DiscreteValue(2)))
		require.NoError(t, a.SetDelay(sim.Millisecond))
		require.NoError(t, a.Send(spaces.DiscreteValue(3))) // overtakes 1, as DEFIANCE
	})
	s.Run()
	assert.Equal(t, []arrival{{sim.Millisecond, "3"}, {5 * sim.Millisecond, "1"}}, atB)
	assert.Equal(t, []arrival{{sim.Millisecond, "2"}}, atA)
	assert.Equal(t, sim.Millisecond, a.Delay())
}

func TestSimpleChannelInterfaceSeveralPairs(t *testing.T) {
	s := sim.New(1, 1)
	a1, b1 := simplePair(t, s, 0, 0)
	a2, b2 := simplePair(t, s, 5*sim.Millisecond, 0)
	var got []arrival
	b1.AddRecvCallback(recorder(s, &got, "b1:"))
	b2.AddRecvCallback(recorder(s, &got, "b2:"))
	s.Schedule(0, func() {
		require.NoError(t, a2.Send(spaces.DiscreteValue(2)))
		require.NoError(t, a1.Send(spaces.DiscreteValue(1)))
	})
	s.Run()
	assert.Equal(t, []arrival{{0, "b1:1"}, {5 * sim.Millisecond, "b2:2"}}, got)
}

func TestSimpleChannelInterfaceDisconnect(t *testing.T) {
	s := sim.New(1, 1)
	a, b := simplePair(t, s, 5*sim.Millisecond, 0)
	c, err := NewSimpleChannelInterface(s, 0)
	require.NoError(t, err)
	var got []arrival
	b.AddRecvCallback(recorder(s, &got, "b:"))
	c.AddRecvCallback(recorder(s, &got, "c:"))

	s.Schedule(0, func() { require.NoError(t, a.Send(spaces.DiscreteValue(1))) })
	s.Schedule(sim.Millisecond, func() {
		require.NoError(t, b.Disconnect()) // ends both sides
		assert.False(t, a.Connected())
		assert.Equal(t, StatusDisconnected, a.Status())
		assert.Nil(t, a.Partner())
		assert.ErrorIs(t, a.Send(spaces.DiscreteValue(2)), ErrNotConnected)
		assert.ErrorIs(t, a.Disconnect(), ErrNotConnected)
	})
	// Reconnecting does not revive the message sent on the old connection.
	s.Schedule(2*sim.Millisecond, func() {
		require.NoError(t, a.Connect(b))
		require.NoError(t, a.Send(spaces.DiscreteValue(3)))
	})
	s.Schedule(8*sim.Millisecond, func() {
		require.NoError(t, a.Disconnect())
		require.NoError(t, c.Connect(a))
		require.NoError(t, a.Send(spaces.DiscreteValue(4)))
	})
	s.Run()
	assert.Equal(t, []arrival{{7 * sim.Millisecond, "b:3"}, {13 * sim.Millisecond, "c:4"}}, got)
	assert.Equal(t, uint64(1), b.Stats().Dropped)
	assert.Equal(t, uint64(3), a.Stats().TxMessages)
}

func TestSimpleChannelInterfaceErrors(t *testing.T) {
	s := sim.New(1, 1)
	other := sim.New(1, 1)
	newIf := func(s *sim.Simulator) *SimpleChannelInterface {
		c, err := NewSimpleChannelInterface(s, 0)
		require.NoError(t, err)
		return c
	}
	a, b, c := newIf(s), newIf(s), newIf(s)
	require.NoError(t, a.Connect(b))

	tests := []struct {
		name    string
		err     error
		is      error
		wantMsg string
	}{
		{"self", c.Connect(c), ErrIncompatibleInterface, "channelif: incompatible channel interfaces: an interface cannot connect to itself"},
		{"nil", c.Connect(nil), ErrIncompatibleInterface, "channelif: incompatible channel interfaces: a *SimpleChannelInterface connects only to another, not to <nil>"},
		{"typed nil", c.Connect((*SimpleChannelInterface)(nil)), ErrIncompatibleInterface, ""},
		{"socket", c.Connect(&SocketChannelInterface{}), ErrIncompatibleInterface, "channelif: incompatible channel interfaces: a *SimpleChannelInterface connects only to another, not to *channelif.SocketChannelInterface"},
		{"other simulation", c.Connect(newIf(other)), ErrIncompatibleInterface, "channelif: incompatible channel interfaces: the interfaces belong to different simulations"},
		{"this connected", a.Connect(c), ErrAlreadyConnected, "channelif: channel interface is already connected: this interface already has a partner"},
		{"other connected", c.Connect(a), ErrAlreadyConnected, "channelif: channel interface is already connected: the other interface already has a partner"},
		{"same pair again", b.Connect(a), ErrAlreadyConnected, ""},
		{"send unconnected", c.Send(spaces.DiscreteValue(1)), ErrNotConnected, "channelif: channel interface is not connected"},
		{"disconnect unconnected", c.Disconnect(), ErrNotConnected, ""},
		{"nil message", a.Send(nil), ErrNilMessage, "channelif: cannot send a nil message"},
		{"nil message sized", a.SendSized(nil, 3), ErrNilMessage, ""},
		{"invalid message", a.Send(spaces.NewTupleValue(nil)), spaces.ErrInvalidValue, "spaces: invalid value: tuple element 0: nil value"},
		{"negative size", a.SendSized(spaces.DiscreteValue(1), -1), nil, "channelif: message size -1 is negative"},
		{"negative delay", c.SetDelay(-1), nil, "channelif: simple channel interface delay -1ns is negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Error(t, tc.err)
			if tc.is != nil {
				assert.ErrorIs(t, tc.err, tc.is)
			}
			if tc.wantMsg != "" {
				assert.EqualError(t, tc.err, tc.wantMsg)
			}
		})
	}
	assert.Same(t, b, a.Partner(), "failed connects keep the old connection")
	assert.False(t, c.Connected())

	_, err := NewSimpleChannelInterface(nil, 0)
	assert.EqualError(t, err, "channelif: NewSimpleChannelInterface needs a simulator")
	_, err = NewSimpleChannelInterface(s, -sim.Second)
	assert.EqualError(t, err, "channelif: simple channel interface delay -1s is negative")

	far := newIf(s)
	require.NoError(t, far.SetDelay(sim.MaxTime))
	require.NoError(t, far.Connect(c))
	s.Schedule(sim.Second, func() {
		assert.EqualError(t, far.Send(spaces.DiscreteValue(1)),
			"channelif: a message sent at 1s with delay 2562047h47m16.854775807s would arrive after the end of time")
	})
	s.Run()
}

func TestSimpleChannelInterfaceCallbacks(t *testing.T) {
	s := sim.New(1, 1)
	a, b := simplePair(t, s, 0, 0)
	var log []string
	var second RecvCallbackID
	first := b.AddRecvCallback(func(msg spaces.Value) {
		log = append(log, "first "+msg.String())
		b.RemoveRecvCallback(second) // applies from the next message
	})
	second = b.AddRecvCallback(func(msg spaces.Value) { log = append(log, "second "+msg.String()) })
	assert.Equal(t, RecvCallbackID(0), b.AddRecvCallback(nil))
	assert.NotEqual(t, first, second)
	s.Schedule(0, func() {
		require.NoError(t, a.Send(spaces.DiscreteValue(1)))
		require.NoError(t, a.Send(spaces.DiscreteValue(2)))
	})
	s.Run()
	assert.Equal(t, []string{"first 1", "second 1", "first 2"}, log)
	assert.False(t, b.RemoveRecvCallback(second), "already removed")
	assert.True(t, b.RemoveRecvCallback(first))
	assert.False(t, b.RemoveRecvCallback(0))
}

func TestSimpleChannelInterfaceSizer(t *testing.T) {
	s := sim.New(1, 1)
	a, b := simplePair(t, s, 0, 0)
	a.SetSizer(func(spaces.Value) (int, error) { return 100, nil })
	s.Schedule(0, func() {
		require.NoError(t, a.Send(spaces.DiscreteValue(1)))
		require.NoError(t, a.SendSized(spaces.DiscreteValue(1), 7))
	})
	s.Run()
	assert.Equal(t, uint64(107), b.Stats().RxBytes)
	a.SetSizer(nil)
	s.Schedule(0, func() { require.NoError(t, a.Send(spaces.DiscreteValue(1))) })
	s.Run()
	assert.Equal(t, uint64(109), b.Stats().RxBytes)
}

// simpleTrace runs a random exchange over three pairs and returns the log.
func simpleTrace(t *testing.T, seed uint64) []arrival {
	s := sim.New(seed, 1)
	r := s.Stream("test/simple")
	var log []arrival
	var senders []*SimpleChannelInterface
	for i := range 3 {
		a, b := simplePair(t, s, sim.Time(i)*sim.Millisecond, 0)
		b.AddRecvCallback(recorder(s, &log, fmt.Sprintf("%d:", i)))
		senders = append(senders, a)
	}
	for range 200 {
		at := sim.Time(r.Int64N(int64(100 * sim.Millisecond)))
		from := senders[r.IntN(3)]
		v := spaces.DiscreteValue(r.Int64N(1000))
		s.Schedule(at, func() { require.NoError(t, from.Send(v)) })
	}
	s.Run()
	return log
}

func TestSimpleChannelInterfaceDeterminism(t *testing.T) {
	first := simpleTrace(t, 5)
	require.Len(t, first, 200)
	assert.Equal(t, first, simpleTrace(t, 5))
	assert.NotEqual(t, first, simpleTrace(t, 6))
}

func TestSimpleChannelInterfaceAllocations(t *testing.T) {
	s := sim.New(1, 1)
	a, b := simplePair(t, s, sim.Millisecond, 0)
	n := 0
	b.AddRecvCallback(func(spaces.Value) { n++ })
	var msg spaces.Value = spaces.NewDictValue().Set("obs", spaces.UintBox(1, 2, 3, 4, 5))
	step := func() {
		if err := a.Send(msg); err != nil {
			t.Fatal(err)
		}
		s.RunUntil(s.Now() + 2*sim.Millisecond)
	}
	for range 100 {
		step() // warm up the free lists and the event queue
	}
	assert.Zero(t, testing.AllocsPerRun(1000, step))
	assert.Equal(t, 100+1001, n)
}
