package mac80211

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func qd(seq uint16) queuedMPDU {
	return queuedMPDU{frame: Frame{Header: MACHeader{Type: FrameData, Seq: seq}}}
}

func qm(seq uint16) queuedMPDU {
	return queuedMPDU{frame: Frame{Header: MACHeader{Type: FrameAssocResponse, Seq: seq}}}
}

// TestTxQueueManagementFirst follows ns-3 3.37's FcfsWifiQueueScheduler:
// management frames go before queued data, and a management frame that
// finds the queue full evicts the oldest data frame (not the one on the
// air), where a data frame is dropped.
func TestTxQueueManagementFirst(t *testing.T) {
	q := newTxQueue(3, 0)
	for i := range uint16(3) {
		_, evicted, ok := q.push(qd(i))
		require.True(t, ok)
		require.False(t, evicted)
	}
	_, _, ok := q.push(qd(9))
	assert.False(t, ok, "a data frame finding the queue full is dropped (DropNewest)")

	// Data 0 goes on the air; a management frame arrives, the queue is full:
	// data 1 (the oldest not on the air) makes room.
	q.pin()
	assert.Equal(t, uint16(0), q.front().frame.Header.Seq)
	ev, evicted, ok := q.push(qm(100))
	require.True(t, ok)
	require.True(t, evicted)
	assert.Equal(t, uint16(1), ev.frame.Header.Seq)
	assert.Equal(t, 3, q.len())
	assert.Equal(t, uint16(0), q.front().frame.Header.Seq, "the frame on the air stays the head")

	// Data 0 fails and is released for a retry: the management frame now
	// goes first, then data 0 again, then data 2.
	q.unpin()
	var order []uint16
	for q.len() > 0 {
		q.pin()
		order = append(order, q.pop().frame.Header.Seq)
	}
	assert.Equal(t, []uint16{100, 0, 2}, order)
}

func TestTxQueueExpiryHonoursBothFIFOs(t *testing.T) {
	q := newTxQueue(0, 10)
	_, _, _ = q.push(qd(1))
	_, _, _ = q.push(qm(2))
	q.data.items[q.data.head].enqueued = 0
	q.mgmt.items[q.mgmt.head].enqueued = 5
	var dropped []uint16
	q.dropExpired(12, func(it queuedMPDU) { dropped = append(dropped, it.frame.Header.Seq) })
	assert.Equal(t, []uint16{1}, dropped, "only the data frame waited 10 or longer")
	q.pin() // the management frame is on the air: it never expires there
	q.dropExpired(100, func(it queuedMPDU) { dropped = append(dropped, it.frame.Header.Seq) })
	assert.Equal(t, []uint16{1}, dropped)
	assert.Equal(t, 1, q.len())
}

// The ring starts small, grows by doubling, keeps FIFO order across the
// growth, and gives its array back once drained after a burst.
func TestMacQueueGrowsAndShrinks(t *testing.T) {
	var q macQueue
	require.True(t, q.push(qd(0)))
	assert.Len(t, q.items, 1, "a station holds one frame at a time: one entry to start")
	require.True(t, q.push(qd(1)))
	assert.Len(t, q.items, 2)
	assert.Equal(t, uint16(0), q.pop().frame.Header.Seq)
	require.True(t, q.push(qd(2))) // wraps around: head 1, tail 0
	require.True(t, q.push(qd(3))) // grows from a wrapped ring
	assert.Len(t, q.items, 4)
	for _, want := range []uint16{1, 2, 3} {
		assert.Equal(t, want, q.pop().frame.Header.Seq)
	}
	for i := range uint16(100) {
		require.True(t, q.push(qd(i)))
	}
	assert.Len(t, q.items, 128)
	for i := range uint16(100) {
		assert.Equal(t, i, q.pop().frame.Header.Seq)
	}
	assert.Nil(t, q.items, "drained after a burst: the array goes")
	require.True(t, q.push(qd(7)))
	assert.Len(t, q.items, 1)
	assert.Equal(t, uint16(7), q.front().frame.Header.Seq)

	// A small queue keeps its array when drained.
	q.pop()
	assert.Len(t, q.items, 1)
}
