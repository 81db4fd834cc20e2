// Package pcap writes packet traces that Wireshark and tshark open: the
// libpcap file format, the link types ns-3's helpers use (802.11 with
// radiotap headers, PPP, raw IP, Ethernet), a radiotap encoder with the
// fields ns-3's YansWifiPhyHelper::EnablePcap writes, and the serialisation
// of a packet's typed headers to real bytes.
//
// netgym carries headers as Go values and never serialises them while a
// simulation runs; a device that has a Writer attached serialises each
// frame it sends or receives into the writer's scratch buffer (a payload
// without bytes is written as zeros) and appends it to a buffered file.
// A device without a writer pays one nil check per frame.
//
// Devices of every technology plug in the same way: they implement Device
// (the link type of their frames and SetPcap), and build their frames with
// AppendPacket, which writes any header that implements WireHeader. The
// point-to-point device writes PPP frames (LinkTypePPP, as ns-3's
// PointToPointHelper), the tunnel device and the future NR and EPC devices
// raw IP packets (LinkTypeRaw), 802.11 devices their MPDUs with a radiotap
// header (LinkTypeRadiotap).
//
// File names follow ns-3's PcapHelper: FileName("first", 3, 0) is
// "first-3-0.pcap".
//
// A Writer belongs to one simulation and is used from its goroutine.
package pcap

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/netgym/netgym/sim"
)

// LinkType is a pcap link-layer header type (LINKTYPE_* of
// https://www.tcpdump.org/linktypes.html, ns-3's PcapHelper::DLT_*).
type LinkType uint32

// The link types netgym writes.
const (
	// LinkTypeEthernet: IEEE 802.3 Ethernet (DLT_EN10MB).
	LinkTypeEthernet LinkType = 1
	// LinkTypePPP: PPP, as ns-3's point-to-point devices write it (the
	// 2-byte protocol field, then the IP packet).
	LinkTypePPP LinkType = 9
	// LinkTypeRaw: raw IPv4 or IPv6 packets, no link-layer header
	// (LINKTYPE_RAW, ns-3's DLT_RAW): tunnels, NR and EPC interfaces.
	LinkTypeRaw LinkType = 101
	// LinkTypeIEEE80211: 802.11 MPDUs without radio information.
	LinkTypeIEEE80211 LinkType = 105
	// LinkTypeRadiotap: 802.11 MPDUs after a radiotap header
	// (DLT_IEEE802_11_RADIO), what ns-3's YansWifiPhyHelper writes when
	// asked for it.
	LinkTypeRadiotap LinkType = 127
)

// String returns the link type's name, e.g. "PPP".
func (t LinkType) String() string {
	switch t {
	case LinkTypeEthernet:
		return "Ethernet"
	case LinkTypePPP:
		return "PPP"
	case LinkTypeRaw:
		return "RawIP"
	case LinkTypeIEEE80211:
		return "IEEE802.11"
	case LinkTypeRadiotap:
		return "IEEE802.11+radiotap"
	}
	return fmt.Sprintf("LinkType(%d)", uint32(t))
}

// Config configures a Writer.
type Config struct {
	// LinkType of every frame in the file.
	LinkType LinkType
	// SnapLen is the largest number of bytes of a frame written; longer
	// frames are truncated (their original length is kept). ns-3: 65535.
	SnapLen int
	// Nanosecond writes nanosecond timestamps (magic 0xa1b23c4d, which
	// Wireshark reads) instead of ns-3's microseconds, for sub-microsecond
	// event times.
	Nanosecond bool
	// BufferSize is how many bytes are kept in memory before a write to
	// the file (256 KiB by default: a larger buffer makes fewer, cheaper
	// system calls; BenchmarkPcapWriteFrame in package bench measures it).
	BufferSize int
}

// DefaultConfig returns ns-3's choices for link type lt: snap length
// 65535, microsecond timestamps; and a 256 KiB buffer.
func DefaultConfig(lt LinkType) Config {
	return Config{LinkType: lt, SnapLen: 65535, BufferSize: 256 << 10}
}

// Validate reports a configuration that cannot write a file.
func (c Config) Validate() error {
	switch {
	case c.LinkType == 0 || c.LinkType > 0xffff:
		return fmt.Errorf("pcap: LinkType %d is not a link type (1..65535, e.g. LinkTypeRadiotap)", uint32(c.LinkType))
	case c.SnapLen < 1 || c.SnapLen > 1<<18:
		return fmt.Errorf("pcap: SnapLen %d is outside 1..%d", c.SnapLen, 1<<18)
	case c.BufferSize < 0:
		return fmt.Errorf("pcap: BufferSize %d is negative", c.BufferSize)
	}
	return nil
}

// Device is a network device that writes the frames it sends and receives
// to a pcap Writer: ns-3's PcapHelperForDevice. A device writes each frame
// once when it starts sending it and once when it receives it correctly
// (a receiver that is not the addressee of an 802.11 frame writes it too,
// as ns-3's monitor sniffer does).
type Device interface {
	// PcapLinkType returns the link type of the device's frames.
	PcapLinkType() LinkType
	// SetPcap makes the device write its frames to w from now on; nil
	// stops it. The writer must have the device's link type.
	SetPcap(w *Writer) error
}

// FileName returns ns-3's pcap file name for device dev of node node:
// "prefix-node-dev.pcap".
func FileName(prefix string, node, dev int) string {
	return fmt.Sprintf("%s-%d-%d.pcap", prefix, node, dev)
}

// Writer writes a pcap file: the global header, then one record per frame,
// through a buffer. Write errors are sticky: after the first one, frames
// are counted as dropped and Flush and Close return the error.
type Writer struct {
	cfg     Config
	bw      *bufio.Writer
	closer  io.Closer
	name    string
	scratch []byte
	rec     [16]byte
	frames  uint64
	dropped uint64
	bytes   uint64
	err     error
	closed  bool
}

// Create creates (or truncates) the file at path and writes the pcap
// global header. It returns an error naming the path when the file cannot
// be created or written: a trace that cannot be written fails at
// configuration time, not at the end of the run.
func Create(path string, cfg Config) (*Writer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("pcap: cannot create trace file: %w", err)
	}
	w, err := newWriter(f, cfg)
	if err == nil {
		err = w.bw.Flush() // the header reaches the file now
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("pcap: cannot write trace file %s: %w", path, err)
	}
	w.closer, w.name = f, path
	return w, nil
}

// NewWriter writes a pcap stream to out (a file, a buffer, a pipe); the
// global header is written at once. Close flushes the buffer but does not
// close out.
func NewWriter(out io.Writer, cfg Config) (*Writer, error) {
	if out == nil {
		return nil, errors.New("pcap: NewWriter needs an io.Writer")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return newWriter(out, cfg)
}

func newWriter(out io.Writer, cfg Config) (*Writer, error) {
	size := cfg.BufferSize
	if size == 0 {
		size = 256 << 10
	}
	w := &Writer{cfg: cfg, bw: bufio.NewWriterSize(out, size), scratch: make([]byte, 0, 2048)}
	var h [24]byte
	magic := uint32(0xa1b2c3d4)
	if cfg.Nanosecond {
		magic = 0xa1b23c4d
	}
	binary.LittleEndian.PutUint32(h[0:], magic)
	binary.LittleEndian.PutUint16(h[4:], 2) // version 2.4
	binary.LittleEndian.PutUint16(h[6:], 4)
	// thiszone and sigfigs are 0
	binary.LittleEndian.PutUint32(h[16:], uint32(cfg.SnapLen))
	binary.LittleEndian.PutUint32(h[20:], uint32(cfg.LinkType))
	if _, err := w.bw.Write(h[:]); err != nil {
		return nil, err
	}
	return w, nil
}

// Config returns the writer's configuration.
func (w *Writer) Config() Config { return w.cfg }

// LinkType returns the link type of the file.
func (w *Writer) LinkType() LinkType { return w.cfg.LinkType }

// Name returns the path of the file (empty for NewWriter).
func (w *Writer) Name() string { return w.name }

// Frames returns the number of frames written.
func (w *Writer) Frames() uint64 { return w.frames }

// Bytes returns the number of frame bytes written (after truncation to
// SnapLen, without record headers).
func (w *Writer) Bytes() uint64 { return w.bytes }

// Dropped returns the number of frames not written because of an earlier
// write error or a closed writer.
func (w *Writer) Dropped() uint64 { return w.dropped }

// Err returns the first write error, if any.
func (w *Writer) Err() error { return w.err }

// Buffer returns the writer's scratch buffer, emptied, for a device to
// build a frame in and pass to WriteFrame; growing it allocates only until
// it has the size of the largest frame.
func (w *Writer) Buffer() []byte { return w.scratch[:0] }

// WriteFrame writes one record: frame, captured at time t. frame is
// typically Buffer() with the frame appended; WriteFrame keeps its storage
// as the next scratch buffer. It allocates nothing.
func (w *Writer) WriteFrame(t sim.Time, frame []byte) {
	if cap(frame) > cap(w.scratch) {
		w.scratch = frame[:0]
	}
	if w.err != nil || w.closed {
		w.dropped++
		return
	}
	orig := len(frame)
	if len(frame) > w.cfg.SnapLen {
		frame = frame[:w.cfg.SnapLen]
	}
	t = max(t, 0)
	sec := uint64(t / sim.Second)
	sub := uint64(t % sim.Second)
	if !w.cfg.Nanosecond {
		sub /= 1000
	}
	binary.LittleEndian.PutUint32(w.rec[0:], uint32(sec))
	binary.LittleEndian.PutUint32(w.rec[4:], uint32(sub))
	binary.LittleEndian.PutUint32(w.rec[8:], uint32(len(frame)))
	binary.LittleEndian.PutUint32(w.rec[12:], uint32(orig))
	if _, err := w.bw.Write(w.rec[:]); err != nil {
		w.fail(err)
		return
	}
	if _, err := w.bw.Write(frame); err != nil {
		w.fail(err)
		return
	}
	w.frames++
	w.bytes += uint64(len(frame))
}

func (w *Writer) fail(err error) {
	w.dropped++
	if w.name != "" {
		err = fmt.Errorf("pcap: writing %s: %w", w.name, err)
	} else {
		err = fmt.Errorf("pcap: %w", err)
	}
	w.err = err
}

// Flush writes the buffered frames to the file.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return nil
	}
	if err := w.bw.Flush(); err != nil {
		w.fail(err)
		w.dropped-- // no frame was lost by this call itself
		return w.err
	}
	return nil
}

// Close flushes the buffer and closes the file (a writer from NewWriter
// leaves its io.Writer open). Frames written after Close are dropped.
// Closing twice returns nil.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	err := w.Flush()
	w.closed = true
	if w.closer != nil {
		if cerr := w.closer.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("pcap: closing %s: %w", w.name, cerr)
		}
	}
	return err
}
