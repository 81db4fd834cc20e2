package ns3ai

import (
	"fmt"
	"sync/atomic"
	"time"
	"unsafe"
)

// GymBufferSize is the buffer of ns3-ai's Gym message, Ns3AiGymMsg
// (model/gym-interface/ns3-ai-gym-msg.h, MSG_BUFFER_SIZE).
const GymBufferSize = 1024

// GymMsg is ns3-ai's Ns3AiGymMsg: a byte buffer and the length of the
// message in it. Its Go layout is the C one (1028 bytes, aligned to 4).
type GymMsg struct {
	Buffer [GymBufferSize]byte
	Size   uint32
}

// Transport moves whole byte messages over the struct interface, one each
// way per cycle, in structs laid out like ns3-ai's Ns3AiGymMsg with a
// buffer of any size: the buffer, then a uint32 length at the next 4-byte
// boundary. Send and Recv match the agent loop's byte-transport seam:
// each call is bounded by its deadline (the zero time: Options.Timeout
// from the call), a message larger than the buffer is refused before
// anything is written, and a length field beyond the buffer is reported
// as ErrMalformed.
type Transport struct {
	conn            *Conn
	max             int
	out, in         []byte
	outSize, inSize *uint32
}

func bytesSpec(bufSize int) (elemSpec, error) {
	if bufSize < 1 || bufSize > maxSegmentSize {
		return elemSpec{}, fmt.Errorf("ns3ai: buffer size %d must be in [1, %d]", bufSize, maxSegmentSize)
	}
	return elemSpec{size: roundUp(bufSize, 4) + 4, align: 4,
		typ: fmt.Sprintf("struct{buffer [%d]uint8; size uint32}", bufSize)}, nil
}

// OpenTransport opens the struct interface of an existing segment whose
// two messages are byte buffers of bufSize bytes and a length
// (GymBufferSize for ns3-ai's Gym interface).
func OpenTransport(opts Options, side Side, bufSize int) (*Transport, error) {
	spec, err := bytesSpec(bufSize)
	if err != nil {
		return nil, err
	}
	c, err := openConn(opts, side, false, spec, spec)
	if err != nil {
		return nil, err
	}
	return newTransport(c, bufSize), nil
}

// CreateTransport creates a segment in netgym's layout for byte messages
// of up to bufSize bytes.
func CreateTransport(opts Options, side Side, bufSize int) (*Transport, error) {
	spec, err := bytesSpec(bufSize)
	if err != nil {
		return nil, err
	}
	c, err := createConn(opts, side, false, spec, spec, 1)
	if err != nil {
		return nil, err
	}
	return newTransport(c, bufSize), nil
}

func newTransport(c *Conn, bufSize int) *Transport {
	t := &Transport{conn: c, max: bufSize}
	out, in := c.bytesOf(&c.cpp2py), c.bytesOf(&c.py2cpp)
	if c.side == Agent {
		out, in = in, out
	}
	sizeAt := roundUp(bufSize, 4)
	t.out, t.in = out[:bufSize:bufSize], in[:bufSize:bufSize]
	t.outSize = (*uint32)(unsafe.Pointer(&out[sizeAt]))
	t.inSize = (*uint32)(unsafe.Pointer(&in[sizeAt]))
	return t
}

// Conn is the underlying interface (for Finished, Close, Layout).
func (t *Transport) Conn() *Conn { return t.conn }

// MaxMessage is the largest message Send accepts.
func (t *Transport) MaxMessage() int { return t.max }

func (t *Transport) deadline(d time.Time) time.Time {
	if d.IsZero() {
		return time.Now().Add(t.conn.opts.Timeout)
	}
	return d
}

// Send writes msg into this side's outgoing buffer in one send cycle.
func (t *Transport) Send(msg []byte, deadline time.Time) error {
	if len(msg) > t.max {
		return fmt.Errorf("%w: %d bytes, the buffer holds %d", ErrTooLarge, len(msg), t.max)
	}
	if err := t.conn.sendBegin(t.deadline(deadline)); err != nil {
		return err
	}
	copy(t.out, msg)
	*t.outSize = uint32(len(msg)) // ordered before the peer's read by SendEnd's CAS
	return t.conn.SendEnd()
}

// Recv reads the peer's next message in one receive cycle, appended to
// buf[:0]. On the agent side with HandleFinish, the simulation's end mark
// returns ErrFinished.
func (t *Transport) Recv(buf []byte, deadline time.Time) ([]byte, error) {
	if err := t.conn.recvBegin(t.deadline(deadline)); err != nil {
		return buf[:0], err
	}
	if t.conn.finished {
		return buf[:0], ErrFinished
	}
	n := atomic.LoadUint32(t.inSize)
	if n > uint32(t.max) {
		_ = t.conn.RecvEnd()
		return buf[:0], fmt.Errorf("%w: length field %d beyond the %d-byte buffer", ErrMalformed, n, t.max)
	}
	buf = append(buf[:0], t.in[:n]...)
	return buf, t.conn.RecvEnd()
}

// Close closes the interface (see Conn.Close).
func (t *Transport) Close() error { return t.conn.Close() }
