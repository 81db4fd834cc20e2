package pcap_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/pcap"
	"github.com/netgym/netgym/sim/pcap/pcaptest"
)

func TestWriterLayout(t *testing.T) {
	var buf bytes.Buffer
	cfg := pcap.DefaultConfig(pcap.LinkTypeRaw)
	cfg.SnapLen = 4
	w, err := pcap.NewWriter(&buf, cfg)
	require.NoError(t, err)
	b := append(w.Buffer(), 1, 2, 3, 4, 5, 6)
	w.WriteFrame(3*sim.Second+1500*sim.Microsecond+999, b) // microseconds truncate
	require.NoError(t, w.Close())
	require.NoError(t, w.Close(), "second Close")
	w.WriteFrame(0, []byte{1})
	require.Equal(t, uint64(1), w.Frames())
	require.Equal(t, uint64(4), w.Bytes())
	require.Equal(t, uint64(1), w.Dropped())

	got := buf.Bytes()
	require.Len(t, got, 24+16+4)
	le := binary.LittleEndian
	require.Equal(t, uint32(0xa1b2c3d4), le.Uint32(got[0:]))
	require.Equal(t, uint16(2), le.Uint16(got[4:]))
	require.Equal(t, uint16(4), le.Uint16(got[6:]))
	require.Equal(t, uint32(4), le.Uint32(got[16:]))   // snaplen
	require.Equal(t, uint32(101), le.Uint32(got[20:])) // LINKTYPE_RAW
	require.Equal(t, uint32(3), le.Uint32(got[24:]))
	require.Equal(t, uint32(1500), le.Uint32(got[28:]))
	require.Equal(t, uint32(4), le.Uint32(got[32:])) // captured
	require.Equal(t, uint32(6), le.Uint32(got[36:])) // original
	require.Equal(t, []byte{1, 2, 3, 4}, got[40:])

	buf.Reset()
	cfg.Nanosecond = true
	w, err = pcap.NewWriter(&buf, cfg)
	require.NoError(t, err)
	w.WriteFrame(1500*sim.Microsecond+999, []byte{9})
	require.NoError(t, w.Flush())
	require.Equal(t, uint32(0xa1b23c4d), le.Uint32(buf.Bytes()[0:]))
	require.Equal(t, uint32(1500999), le.Uint32(buf.Bytes()[28:]))
}

func TestConfigErrors(t *testing.T) {
	for _, mutate := range []func(*pcap.Config){
		func(c *pcap.Config) { c.LinkType = 0 },
		func(c *pcap.Config) { c.LinkType = 1 << 20 },
		func(c *pcap.Config) { c.SnapLen = 0 },
		func(c *pcap.Config) { c.BufferSize = -1 },
	} {
		c := pcap.DefaultConfig(pcap.LinkTypePPP)
		mutate(&c)
		require.Error(t, c.Validate())
		_, err := pcap.NewWriter(&bytes.Buffer{}, c)
		require.Error(t, err)
	}
	_, err := pcap.NewWriter(nil, pcap.DefaultConfig(pcap.LinkTypePPP))
	require.Error(t, err)
}

func TestCreateUnwritablePath(t *testing.T) {
	dir := t.TempDir()
	_, err := pcap.Create(filepath.Join(dir, "no", "such", "dir", "x.pcap"), pcap.DefaultConfig(pcap.LinkTypePPP))
	require.ErrorContains(t, err, "pcap: cannot create trace file")
	require.ErrorContains(t, err, "no/such/dir/x.pcap")
	// A directory is not a file.
	_, err = pcap.Create(dir, pcap.DefaultConfig(pcap.LinkTypePPP))
	require.Error(t, err)

	path := filepath.Join(dir, "ok.pcap")
	w, err := pcap.Create(path, pcap.DefaultConfig(pcap.LinkTypePPP))
	require.NoError(t, err)
	require.Equal(t, path, w.Name())
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, int64(24), st.Size(), "the global header is on disk at once")
	require.NoError(t, w.Close())
}

// failWriter fails every write after the first n bytes.
type failWriter struct{ n int }

func (f *failWriter) Write(b []byte) (int, error) {
	if len(b) > f.n {
		return 0, errors.New("disk full")
	}
	f.n -= len(b)
	return len(b), nil
}

func TestStickyWriteError(t *testing.T) {
	cfg := pcap.DefaultConfig(pcap.LinkTypeRaw)
	cfg.BufferSize = 16 // smaller than a record: every frame reaches the io.Writer
	w, err := pcap.NewWriter(&failWriter{n: 24 + 16}, cfg)
	require.NoError(t, err)
	w.WriteFrame(0, make([]byte, 40))
	w.WriteFrame(0, make([]byte, 40))
	require.ErrorContains(t, w.Err(), "disk full")
	require.ErrorContains(t, w.Flush(), "disk full")
	require.ErrorContains(t, w.Close(), "disk full")
	require.Equal(t, uint64(0), w.Frames())
	require.Equal(t, uint64(2), w.Dropped())
}

func TestRadiotapLayout(t *testing.T) {
	rx := pcap.Radiotap{TSFT: 0x0102030405060708, Flags: pcap.RadiotapFlagFCS, Rate: 108,
		ChannelMHz: 5180, ChannelFlags: pcap.RadiotapChannelOFDM | pcap.RadiotapChannel5GHz,
		HasSignal: true, SignalDbm: -60.5, NoiseDbm: -93.97}
	require.Equal(t, []byte{
		0, 0, 24, 0, // version, pad, length 24
		0x6f, 0, 0, 0, // TSFT, flags, rate, channel, dBm signal, dBm noise
		8, 7, 6, 5, 4, 3, 2, 1,
		0x10, 108,
		0x3c, 0x14, 0x40, 0x01, // 5180 MHz, OFDM | 5 GHz
		0xc4, 0xa2, // floor(-60.5+0.5) = -60, floor(-93.97+0.5) = -94
	}, pcap.AppendRadiotap(nil, &rx))
	tx := rx
	tx.HasSignal = false
	b := pcap.AppendRadiotap(nil, &tx)
	require.Len(t, b, 22)
	require.Equal(t, byte(0x0f), b[4])
	for _, c := range []struct {
		in   float64
		want byte
	}{{200, 127}, {-300, 0x80}, {-0.5, 0}, {-1.5, 0xff}, {0.49, 0}} {
		r := rx
		r.SignalDbm = c.in
		require.Equal(t, c.want, pcap.AppendRadiotap(nil, &r)[22], "%g", c.in)
	}
}

func TestInternetChecksum(t *testing.T) {
	// RFC 1071 section 3 example: the sum of these words is 0xddf2.
	require.Equal(t, ^uint16(0xddf2), pcap.InternetChecksum([]byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}))
	require.Equal(t, ^uint16(0x0100), pcap.InternetChecksum([]byte{0x01}))
	require.Equal(t, uint16(0xffff), pcap.InternetChecksum(nil))
}

// wire is a test header with bytes; sum is one with a checksum over the
// rest of the packet.
type wire struct{ b []byte }

func (h *wire) Size() int                  { return len(h.b) }
func (h *wire) String() string             { return "wire" }
func (h *wire) AppendWire(b []byte) []byte { return append(b, h.b...) }

type sum struct{}

func (sum) Size() int                  { return 4 }
func (sum) String() string             { return "sum" }
func (sum) AppendWire(b []byte) []byte { return append(b, 0xee, 0xee, 0, 0) }
func (sum) FillChecksum(b []byte) {
	c := pcap.InternetChecksum(b)
	binary.BigEndian.PutUint16(b[2:], c)
}

type opaque struct{}

func (opaque) Size() int      { return 3 }
func (opaque) String() string { return "opaque" }

func TestAppendPacket(t *testing.T) {
	pool := packet.NewPool()
	p := pool.New(5)
	p.Push(&wire{b: []byte{7, 7}})
	p.Push(opaque{})
	p.Push(sum{})
	got := pcap.AppendPacket([]byte{0xaa}, p)
	require.Equal(t, 1+p.Size(), len(got))
	require.Equal(t, byte(0xaa), got[0])
	require.Equal(t, byte(0xee), got[1])
	require.Equal(t, uint16(0), pcap.InternetChecksum(got[1:]), "the checksum covers the rest")
	require.Equal(t, []byte{0, 0, 0, 7, 7, 0, 0, 0, 0, 0}, got[5:])
	require.Equal(t, []byte{0, 0, 0, 7, 7, 0, 0, 0, 0, 0}, pcap.AppendHeaders(nil, p, 1))

	q := pool.NewWithPayload([]byte("hi"))
	q.Push(&wire{b: []byte{1}})
	require.Equal(t, []byte{1, 'h', 'i'}, pcap.AppendPacket(nil, q))

	buf := make([]byte, 0, 64)
	require.Zero(t, testing.AllocsPerRun(100, func() { buf = pcap.AppendPacket(buf[:0], p) }))
}

func TestFileName(t *testing.T) {
	require.Equal(t, "first-3-0.pcap", pcap.FileName("first", 3, 0))
	require.Equal(t, "dir/x-0-12.pcap", pcap.FileName("dir/x", 0, 12))
	require.Equal(t, "IEEE802.11+radiotap", pcap.LinkTypeRadiotap.String())
	require.Equal(t, "LinkType(7)", pcap.LinkType(7).String())
}

// An 802.11 ACK behind a radiotap header, as tshark dissects it.
func TestTsharkRadiotap(t *testing.T) {
	pcaptest.Tshark(t)
	path := filepath.Join(t.TempDir(), "rt.pcap")
	w, err := pcap.Create(path, pcap.DefaultConfig(pcap.LinkTypeRadiotap))
	require.NoError(t, err)
	r := pcap.Radiotap{TSFT: 1234567, Flags: pcap.RadiotapFlagFCS, Rate: 12, ChannelMHz: 5180,
		ChannelFlags: pcap.RadiotapChannelOFDM | pcap.RadiotapChannel5GHz, HasSignal: true, SignalDbm: -71.2, NoiseDbm: -94}
	b := pcap.AppendRadiotap(w.Buffer(), &r)
	mpdu := []byte{0xd4, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 1}
	mpdu = binary.LittleEndian.AppendUint32(mpdu, crc32.ChecksumIEEE(mpdu))
	b = append(b, mpdu...)
	w.WriteFrame(1234567*sim.Microsecond, b)
	require.NoError(t, w.Close())

	rows := pcaptest.Fields(t, path, "", []string{"wlan.check_checksum:TRUE"},
		"frame.time_epoch", "radiotap.length", "radiotap.datarate", "radiotap.channel.freq",
		"radiotap.channel.flags.ofdm", "radiotap.channel.flags.5ghz", "radiotap.dbm_antsignal",
		"radiotap.dbm_antnoise", "radiotap.flags.fcs", "wlan.fc.type_subtype", "wlan.ra", "wlan.fcs.status")
	require.Equal(t, [][]string{{"1.234567000", "24", "6", "5180", "1", "1", "-71", "-94", "1", "0x001d", "00:00:00:00:00:01", "1"}}, rows)
	require.Empty(t, pcaptest.Expert(t, path, "wlan.check_checksum:TRUE"))
}
