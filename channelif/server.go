package channelif

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Sizes of the id field at the start of every probe payload: a size below
// it still sends the id (NetRL's rule).
const (
	// IDFieldSize is the single-UE id field: the 4-byte big-endian step id.
	IDFieldSize = 4
	// MultiUEIDFieldSize is the multi-UE id field: 4-byte ue id then 4-byte
	// step id, big-endian.
	MultiUEIDFieldSize = 8
)

// Arrival is one packet received during a flush: the UE that sent it (0 on
// a single-UE backend) and its step id.
type Arrival struct {
	UE   int
	Step uint32
}

// Backend is what Serve drives: a single-UE channel (NumUEs 0) or a
// multi-UE one (NumUEs n >= 1, UEs 0..n-1 sharing one simulation).
type Backend interface {
	// NumUEs returns 0 for a single-UE backend, else the number of UEs.
	NumUEs() int
	// Transmit sends the packet of step from ue (0 on a single-UE backend)
	// with a payload of size bytes. Serve has already applied the protocol
	// rules: size is at least the id field and at most MaxPacketSize.
	Transmit(ue int, step uint32, size int) error
	// Flush advances to the end of step's window and returns the packets
	// received during the advance, in receive order. The slice may be
	// reused by the next call.
	Flush(step uint32) ([]Arrival, error)
	// Reset rebuilds the scenario for a new episode.
	Reset() error
	// MaxPacketSize returns the largest payload that fits one packet (no
	// fragmentation), or 0 for no limit.
	MaxPacketSize() int
	// DefaultPacketSize returns the size used when a command gives none
	// (the --pkt-size flag).
	DefaultPacketSize() int
}

// ServeOptions tunes Serve. The zero value is ready to use.
type ServeOptions struct {
	// Ready makes Serve write the READY line before reading the first
	// command. A program that builds its scenario first can also call
	// WriteReady itself.
	Ready bool
	// MaxLineBytes bounds one command line; a longer line is answered with
	// ERROR and skipped. 0 means 64 KiB.
	MaxLineBytes int
	// OnError, if set, is called with every line answered with ERROR and
	// the reason (for diagnostics on stderr; never write them to the
	// protocol's output). It is called after the ERROR reply is written
	// and flushed, so a diagnostic that blocks or fails never delays or
	// loses the reply; it should not block (cli.NewDiagWriter does not).
	OnError func(line string, err error)
}

const defaultMaxLineBytes = 64 << 10

// WriteReady writes the startup line "READY\n" in one Write, after the
// scenario is built and warmed up, as NetRL waits for.
func WriteReady(w io.Writer) error {
	_, err := io.WriteString(w, "READY\n")
	return err
}

// Serve runs NetRL's line protocol: it reads commands from r one line at a
// time and answers each on w with exactly one line (OK, RECV ..., or
// ERROR <reason>), flushed at once. Blank lines get no reply. Serve returns
// nil at QUIT (no reply) or at the end of r; it returns an error only when
// reading r or writing w fails. Malformed, out-of-range and failing commands
// are answered with ERROR and serving goes on. The backend's NumUEs,
// MaxPacketSize and DefaultPacketSize are read once, when Serve starts.
//
// Commands, with n = b.NumUEs():
//
//	TRANSMIT <step_id> [pkt_size]          n == 0: send step's packet; OK
//	TRANSMIT <ue_id> <step_id> [pkt_size]  n >= 1: send from ue_id; OK
//	FLUSH <step_id>                        RECV 3 4 (n == 0) or RECV 0:3 1:3, or bare RECV
//	STEP <step_id> [size]                  TRANSMIT (unless size is 0) then FLUSH; replies as FLUSH
//	STEP <step_id> <s0> ... <s(n-1)>       n >= 1: one size per UE, 0 = that UE sends nothing
//	RESET                                  rebuild the scenario; OK
//	QUIT                                   return, no reply
//
// A missing size means b.DefaultPacketSize(). A size below the id field (4
// bytes single-UE, 8 multi-UE) sends the id field alone; a size above
// b.MaxPacketSize() is an ERROR. STEP's sizes are all checked before
// anything is sent, so a STEP answered with ERROR for a bad argument sent
// nothing; multi-UE STEP transmits from UE 0 up to n-1, as NetRL's
// multi-view environment does.
//
// A backend that implements StepChecker is asked before a STEP transmits,
// so that a STEP refused for a limit of the backend (the simulated time one
// command may advance, the packets it may hold) sent nothing either.
func Serve(r io.Reader, w io.Writer, b Backend, opts ServeOptions) error {
	switch {
	case b == nil:
		return errors.New("serve: nil backend")
	case r == nil:
		return errors.New("serve: nil reader")
	case w == nil:
		return errors.New("serve: nil writer")
	}
	maxLine := opts.MaxLineBytes
	if maxLine <= 0 {
		maxLine = defaultMaxLineBytes
	}
	s := &server{
		b:        b,
		w:        bufio.NewWriter(w),
		n:        b.NumUEs(),
		maxSize:  b.MaxPacketSize(),
		defSize:  b.DefaultPacketSize(),
		onError:  opts.OnError,
		idField:  IDFieldSize,
		maxLine:  maxLine,
		lineRead: bufio.NewReaderSize(r, min(maxLine, 4096)),
	}
	if s.n < 0 {
		return fmt.Errorf("serve: backend reports %d UEs", s.n)
	}
	if s.n > 0 {
		s.idField = MultiUEIDFieldSize
	}
	if opts.Ready {
		if _, err := s.w.WriteString("READY\n"); err != nil {
			return err
		}
		if err := s.w.Flush(); err != nil {
			return err
		}
	}
	for {
		line, tooLong, err := s.readLine()
		if len(line) > 0 || tooLong {
			quit, werr := s.handle(line, tooLong)
			if werr != nil {
				return werr
			}
			if quit {
				return nil
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

type server struct {
	b        Backend
	w        *bufio.Writer
	n        int
	maxSize  int
	defSize  int
	idField  int
	maxLine  int
	onError  func(string, error)
	lineRead *bufio.Reader
	acc      []byte
	cmd      Command
	sizes    []int
	reply    []byte
}

// readLine returns the next line without its '\n' (the last one may lack
// it). A line longer than maxLine bytes is consumed and reported as tooLong,
// unless it is blank.
func (s *server) readLine() (line []byte, tooLong bool, err error) {
	s.acc = s.acc[:0]
	blank := true
	for {
		var chunk []byte
		chunk, err = s.lineRead.ReadSlice('\n')
		if !tooLong {
			s.acc = append(s.acc, chunk...)
			n := len(s.acc)
			if n > 0 && s.acc[n-1] == '\n' {
				n--
			}
			if n > s.maxLine {
				tooLong = true
				blank = isBlank(s.acc)
				s.acc = s.acc[:0]
			}
		} else if blank {
			blank = isBlank(chunk)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if n := len(s.acc); n > 0 && s.acc[n-1] == '\n' {
			s.acc = s.acc[:n-1]
		}
		return s.acc, tooLong && !blank, err
	}
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

// handle answers one line; it reports QUIT and write errors.
func (s *server) handle(raw []byte, tooLong bool) (quit bool, err error) {
	if tooLong {
		return false, s.fail("", fmt.Errorf("line longer than %d bytes", s.maxLine))
	}
	line := string(raw)
	if perr := parseInto(line, &s.cmd); perr != nil {
		return false, s.fail(line, perr)
	}
	a := s.cmd.Args
	switch s.cmd.Op {
	case OpNone:
		return false, nil
	case OpQuit:
		return true, nil
	case OpReset:
		if err := s.b.Reset(); err != nil {
			return false, s.fail(line, err)
		}
		return false, s.ok()
	case OpFlush:
		return false, s.flush(line, a[0])
	case OpTransmit:
		ue, step, size, err := s.transmitArgs(a)
		if err != nil {
			return false, s.fail(line, err)
		}
		if err := s.b.Transmit(ue, step, size); err != nil {
			return false, s.fail(line, err)
		}
		return false, s.ok()
	case OpStep:
		if err := s.stepSizes(a); err != nil {
			return false, s.fail(line, err)
		}
		if c, ok := s.b.(StepChecker); ok {
			sends := 0
			for _, size := range s.sizes {
				if size != 0 {
					sends++
				}
			}
			if err := c.CheckStep(a[0], sends); err != nil {
				return false, s.fail(line, err)
			}
		}
		for ue, size := range s.sizes {
			if size == 0 {
				continue
			}
			if err := s.b.Transmit(ue, a[0], size); err != nil {
				return false, s.fail(line, err)
			}
		}
		return false, s.flush(line, a[0])
	}
	return false, s.fail(line, fmt.Errorf("unknown command: %s", s.cmd.Op))
}

// size checks a size argument and applies the id-field rule.
func (s *server) size(v uint32) (int, error) {
	if s.maxSize > 0 && uint64(v) > uint64(s.maxSize) {
		return 0, fmt.Errorf("pkt_size %d exceeds the maximum of %d bytes (no fragmentation)", v, s.maxSize)
	}
	if v > math.MaxInt32 {
		return 0, fmt.Errorf("pkt_size %d exceeds %d bytes", v, math.MaxInt32)
	}
	return max(int(v), s.idField), nil
}

func (s *server) ue(v uint32) (int, error) {
	if uint64(v) >= uint64(s.n) {
		return 0, fmt.Errorf("ue_id %d out of range [0,%d)", v, s.n)
	}
	return int(v), nil
}

func (s *server) defaultSize() (int, error) {
	if s.defSize < 0 || s.defSize > math.MaxInt32 {
		return 0, fmt.Errorf("backend default packet size %d out of range", s.defSize)
	}
	return s.size(uint32(s.defSize))
}

func (s *server) transmitArgs(a []uint32) (ue int, step uint32, size int, err error) {
	if s.n == 0 {
		if len(a) > 2 {
			return 0, 0, 0, fmt.Errorf("TRANSMIT takes <step_id> [pkt_size] on a single-UE backend, got %d arguments", len(a))
		}
		step = a[0]
		if len(a) == 2 {
			size, err = s.size(a[1])
		} else {
			size, err = s.defaultSize()
		}
		return 0, step, size, err
	}
	if len(a) < 2 {
		return 0, 0, 0, fmt.Errorf("TRANSMIT takes <ue_id> <step_id> [pkt_size] on a multi-UE backend, got %s", plural(len(a), "argument"))
	}
	if ue, err = s.ue(a[0]); err != nil {
		return 0, 0, 0, err
	}
	step = a[1]
	if len(a) == 3 {
		size, err = s.size(a[2])
	} else {
		size, err = s.defaultSize()
	}
	return ue, step, size, err
}

// stepSizes fills s.sizes with the payload of every UE (0: send nothing).
func (s *server) stepSizes(a []uint32) error {
	ues := max(s.n, 1)
	s.sizes = s.sizes[:0]
	switch {
	case len(a) == 1:
		size, err := s.defaultSize()
		if err != nil {
			return err
		}
		for range ues {
			s.sizes = append(s.sizes, size)
		}
	case len(a) == 2:
		size := 0
		if a[1] != 0 {
			var err error
			if size, err = s.size(a[1]); err != nil {
				return err
			}
		}
		for range ues {
			s.sizes = append(s.sizes, size)
		}
	case s.n > 0 && len(a) == 1+s.n:
		for ue, v := range a[1:] {
			size := 0
			if v != 0 {
				var err error
				if size, err = s.size(v); err != nil {
					return fmt.Errorf("UE %d: %w", ue, err)
				}
			}
			s.sizes = append(s.sizes, size)
		}
	case s.n == 0:
		return fmt.Errorf("STEP takes <step_id> [pkt_size] on a single-UE backend, got %d arguments", len(a))
	default:
		return fmt.Errorf("STEP takes <step_id>, <step_id> <size> or <step_id> and %d sizes (one per UE), got %d arguments", s.n, len(a))
	}
	return nil
}

func (s *server) flush(line string, step uint32) error {
	arr, err := s.b.Flush(step)
	if err != nil {
		return s.fail(line, err)
	}
	s.reply = append(s.reply[:0], "RECV"...)
	for _, p := range arr {
		s.reply = append(s.reply, ' ')
		if s.n > 0 {
			s.reply = strconv.AppendInt(s.reply, int64(p.UE), 10)
			s.reply = append(s.reply, ':')
		}
		s.reply = strconv.AppendUint(s.reply, uint64(p.Step), 10)
	}
	s.reply = append(s.reply, '\n')
	return s.send()
}

func (s *server) ok() error {
	s.reply = append(s.reply[:0], "OK\n"...)
	return s.send()
}

// fail answers ERROR <reason>, the reason flattened to one line, then
// reports the line to OnError.
func (s *server) fail(line string, err error) error {
	msg := []byte(strings.ToValidUTF8(err.Error(), "?"))
	for i, c := range msg {
		if c == '\n' || c == '\r' {
			msg[i] = ' '
		}
	}
	msg = bytes.TrimSpace(msg)
	if len(msg) == 0 {
		msg = []byte("unspecified error")
	}
	s.reply = append(append(s.reply[:0], "ERROR "...), msg...)
	s.reply = append(s.reply, '\n')
	werr := s.send()
	if s.onError != nil {
		s.onError(line, err)
	}
	return werr
}

func (s *server) send() error {
	if _, err := s.w.Write(s.reply); err != nil {
		return err
	}
	return s.w.Flush()
}

// ChannelBackendConfig configures NewChannelBackend.
type ChannelBackendConfig struct {
	// DefaultPacketSize is the size used when a command gives none
	// (default DefaultPacketSize, 64 bytes).
	DefaultPacketSize int
	// MaxPacketSize is the largest size accepted, 0 for no limit (default
	// 0).
	MaxPacketSize int
}

// DefaultChannelBackendConfig returns a 64-byte default size and no limit.
func DefaultChannelBackendConfig() ChannelBackendConfig {
	return ChannelBackendConfig{DefaultPacketSize: DefaultPacketSize}
}

// Validate reports a size out of [0, math.MaxInt32] (the largest size the
// protocol carries) or a default above the limit.
func (c ChannelBackendConfig) Validate() error {
	switch {
	case c.DefaultPacketSize < 0 || c.DefaultPacketSize > math.MaxInt32:
		return fmt.Errorf("channel backend: DefaultPacketSize=%d out of range [0,%d]", c.DefaultPacketSize, math.MaxInt32)
	case c.MaxPacketSize < 0 || c.MaxPacketSize > math.MaxInt32:
		return fmt.Errorf("channel backend: MaxPacketSize=%d out of range [0,%d]", c.MaxPacketSize, math.MaxInt32)
	case c.MaxPacketSize > 0 && c.DefaultPacketSize > c.MaxPacketSize:
		return fmt.Errorf("channel backend: DefaultPacketSize=%d exceeds MaxPacketSize=%d", c.DefaultPacketSize, c.MaxPacketSize)
	}
	return nil
}

// ChannelBackend serves one CommChannel as a single-UE Backend, e.g. a
// PerfectChannel or a GEChannel behind Serve.
type ChannelBackend struct {
	ch  CommChannel
	cfg ChannelBackendConfig
	out []Arrival
}

// NewChannelBackend validates cfg and wraps ch.
func NewChannelBackend(ch CommChannel, cfg ChannelBackendConfig) (*ChannelBackend, error) {
	if ch == nil {
		return nil, errors.New("channel backend: nil channel")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &ChannelBackend{ch: ch, cfg: cfg}, nil
}

// NumUEs returns 0: a CommChannel is single-UE.
func (c *ChannelBackend) NumUEs() int { return 0 }

// Transmit sends step on the channel; ue must be 0.
func (c *ChannelBackend) Transmit(ue int, step uint32, size int) error {
	if c == nil || c.ch == nil {
		return ErrNotInitialized
	}
	if ue != 0 {
		return fmt.Errorf("ue_id %d out of range: single-UE backend", ue)
	}
	return c.ch.Transmit(step, size)
}

// Flush flushes the channel; every arrival has UE 0. The slice is reused by
// the next call.
func (c *ChannelBackend) Flush(step uint32) ([]Arrival, error) {
	if c == nil || c.ch == nil {
		return nil, ErrNotInitialized
	}
	ids, err := c.ch.Flush(step)
	if err != nil {
		return nil, err
	}
	c.out = c.out[:0]
	for _, id := range ids {
		c.out = append(c.out, Arrival{Step: id})
	}
	return c.out, nil
}

// Reset resets the channel.
func (c *ChannelBackend) Reset() error {
	if c == nil || c.ch == nil {
		return ErrNotInitialized
	}
	return c.ch.Reset()
}

// MaxPacketSize returns the configured limit (0: none).
func (c *ChannelBackend) MaxPacketSize() int {
	if c == nil {
		return 0
	}
	return c.cfg.MaxPacketSize
}

// DefaultPacketSize returns the configured default size.
func (c *ChannelBackend) DefaultPacketSize() int {
	if c == nil {
		return 0
	}
	return c.cfg.DefaultPacketSize
}
