package mac80211_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/pcap"
	"github.com/netgym/netgym/sim/pcap/pcaptest"
)

// The mixed network of install_test.go traced with EnablePcapAll: the
// server's PPP link and the 802.11 devices of the AP and the stations, as
// tshark dissects them. A datagram from the wired server at 1 s makes the
// AP resolve station B with ARP (a broadcast it sends FromDS, B's unicast
// reply ToDS at 54 Mb/s, acknowledged at 24 Mb/s), then carry the 128-byte
// IP packet to B.
func TestPcapWifiRadiotap(t *testing.T) {
	m := newMixed(t)
	prefix := filepath.Join(t.TempDir(), "wifi")
	ws, err := m.net.EnablePcapAll(prefix)
	require.NoError(t, err)
	require.Len(t, ws, 5) // server PPP; AP PPP and 802.11; two stations
	sock := m.srv.NewUDPSocket()
	m.s.Schedule(sim.Second, func() { _ = sock.SendTo(100, m.stas[0].Address(), 9) })
	m.s.RunUntil(1100 * sim.Millisecond)
	require.NoError(t, ws.Close())

	prefs := []string{"wlan.check_checksum:TRUE", "ip.check_checksum:TRUE"}
	fields := []string{"frame.time_epoch", "frame.len", "radiotap.datarate", "radiotap.dbm_antsignal",
		"radiotap.dbm_antnoise", "radiotap.channel.freq", "radiotap.flags.fcs", "wlan.fc.type_subtype",
		"wlan.fc.ds", "wlan.duration", "wlan.ra", "wlan.ta", "wlan.sa", "wlan.da", "wlan.fcs.status",
		"llc.type", "arp.opcode", "arp.dst.proto_ipv4", "ip.src", "ip.dst", "ip.checksum.status", "udp.dstport"}
	sta := pcap.FileName(prefix, 2, 0)
	// Received frames carry signal and noise: 16.0206 dBm less
	// log-distance loss at 5 m (46.6777 + 30 log10 5 dB) is -51.6 dBm;
	// the noise floor is -93.97 dBm. The station's own frames carry none.
	rows := pcaptest.Fields(t, sta, "frame.time_epoch >= 1", prefs, fields...)
	require.Equal(t, [][]string{
		{"1.002156000", "88", "6", "-52", "-94", "5180", "1", "0x0020", "0x02", "0", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:03", "00:00:00:00:00:03", "ff:ff:ff:ff:ff:ff", "1", "0x0806", "1", "192.168.1.2", "", "", "", ""},
		{"1.002190000", "86", "54", "", "", "5180", "1", "0x0020", "0x01", "44", "00:00:00:00:00:03", "00:00:00:00:00:04", "00:00:00:00:00:04", "00:00:00:00:00:03", "1", "0x0806", "2", "192.168.1.1", "", "", "", ""},
		{"1.002266000", "38", "24", "-52", "-94", "5180", "1", "0x001d", "0x00", "0", "00:00:00:00:00:04", "", "", "", "1", "", "", "", "", "", "", ""},
		{"1.002429000", "188", "54", "-52", "-94", "5180", "1", "0x0020", "0x02", "44", "00:00:00:00:00:04", "00:00:00:00:00:03", "00:00:00:00:00:03", "00:00:00:00:00:04", "1", "0x0800", "", "", "10.1.1.1", "192.168.1.2", "1", "9"},
		{"1.002445000", "36", "24", "", "", "5180", "1", "0x001d", "0x00", "0", "00:00:00:00:00:03", "", "", "", "1", "", "", "", "", "", "", ""},
		{"1.078135000", "82", "6", "-52", "-94", "5180", "1", "0x0008", "0x00", "0", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:03", "00:00:00:00:00:03", "ff:ff:ff:ff:ff:ff", "1", "", "", "", "", "", "", ""},
	}, rows)

	// Management frames: an association response gives B AID 1; beacons
	// advertise the SSID, 100 TU and the 802.11a rates, 6, 12 and 24 Mb/s
	// basic.
	rows = pcaptest.Fields(t, sta, "wlan.fc.type_subtype == 1 || wlan.fc.type_subtype == 8", prefs,
		"wlan.fc.type_subtype", "wlan.fixed.status_code", "wlan.fixed.aid", "wlan.ssid", "wlan.fixed.beacon", "wlan.supported_rates")
	require.Equal(t, []string{"0x0001", "0x0000", "0x0001", "", "", "0x8c,0x12,0x98,0x24,0xb0,0x48,0x60,0x6c"}, rows[1])
	require.Equal(t, []string{"0x0008", "", "", "6e657467796d", "100", "0x8c,0x12,0x98,0x24,0xb0,0x48,0x60,0x6c"}, rows[0])
	// 11 beacons from 54 ms on, and the response to station C (AID 2),
	// which B overhears.
	require.Len(t, rows, 13)
	require.Equal(t, "0x0002", rows[2][2])
	require.Empty(t, pcaptest.Expert(t, sta, prefs...))

	// The AP's file has the data frame as sent (at its start, no signal), the wired
	// server's file the datagram as PPP.
	ap := pcap.FileName(prefix, 1, 1)
	rows = pcaptest.Fields(t, ap, "ip", prefs, "frame.time_epoch", "radiotap.dbm_antsignal", "ip.src", "ip.dst", "ip.ttl")
	require.Equal(t, [][]string{{"1.002381000", "", "10.1.1.1", "192.168.1.2", "63"}}, rows) // start of the 48 us transmission
	require.Empty(t, pcaptest.Expert(t, ap, prefs...))
	srv := pcap.FileName(prefix, 0, 0)
	rows = pcaptest.Fields(t, srv, "", prefs, "frame.time_epoch", "ppp.protocol", "ip.dst", "ip.ttl")
	require.Equal(t, [][]string{{"1.000000000", "0x0021", "192.168.1.2", "64"}}, rows)
}

func TestPcapWifiErrors(t *testing.T) {
	m := newMixed(t)
	raw, err := pcap.NewWriter(discard{}, pcap.DefaultConfig(pcap.LinkTypeRaw))
	require.NoError(t, err)
	require.ErrorContains(t, m.staDev[0].SetPcap(raw), "802.11 devices write IEEE802.11+radiotap")
	require.Equal(t, pcap.LinkTypeRadiotap, m.staDev[0].PcapLinkType())
	_, err = mac80211.EnablePcap(m.staDev, nil)
	require.Error(t, err)
	dir := t.TempDir()
	_, err = mac80211.EnablePcap(m.staDev, func(i int) string {
		if i == 1 {
			return filepath.Join(dir, "missing", "x.pcap")
		}
		return filepath.Join(dir, "ok.pcap")
	})
	require.ErrorContains(t, err, "cannot create trace file")
	ws, err := mac80211.EnablePcap(m.staDev, func(i int) string { return pcap.FileName(filepath.Join(dir, "sta"), i, 0) })
	require.NoError(t, err)
	m.s.RunUntil(200 * sim.Millisecond)
	require.NoError(t, ws.Close())
	require.Greater(t, ws[0].Frames(), uint64(2))
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

// Writing the trace of a saturated 802.11 link allocates nothing per
// frame.
func TestPcapWifiAllocatesNothing(t *testing.T) {
	run := func(trace bool) float64 {
		s := sim.New(1, 1)
		cfg := mac80211.DefaultNetworkConfig()
		cfg.StaticARP = true
		w, err := mac80211.NewNetwork(s, cfg, []mobility.Vector{{X: 0}, {X: 10}})
		require.NoError(t, err)
		if trace {
			for _, d := range w.Devices {
				pw, err := pcap.NewWriter(discard{}, pcap.DefaultConfig(pcap.LinkTypeRadiotap))
				require.NoError(t, err)
				require.NoError(t, d.SetPcap(pw))
			}
		}
		sink := w.Nodes[1].NewUDPSocket()
		require.NoError(t, sink.Bind(9))
		tx := w.Nodes[0].NewUDPSocket()
		require.NoError(t, tx.Connect(w.Addr(1), 9))
		send := func() {
			require.NoError(t, tx.Send(1000))
			s.RunUntil(s.Now() + sim.Millisecond)
		}
		for range 20 {
			send()
		}
		return testing.AllocsPerRun(200, send)
	}
	require.Equal(t, run(false), run(true))
}

// Two ad-hoc devices traced into files of one's choosing: each writes the
// frames it sends and those it receives, behind a radiotap header.
func ExampleEnablePcap() {
	dir, _ := os.MkdirTemp("", "wifi")
	defer os.RemoveAll(dir)
	s := sim.New(1, 1)
	cfg := mac80211.DefaultNetworkConfig()
	cfg.StaticARP = true
	w, _ := mac80211.NewNetwork(s, cfg, []mobility.Vector{{X: 0}, {X: 10}})
	traces, err := mac80211.EnablePcap(w.Devices, func(i int) string {
		return pcap.FileName(filepath.Join(dir, "adhoc"), w.Nodes[i].ID(), 0)
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sock := w.Nodes[0].NewUDPSocket()
	_ = sock.SendTo(100, w.Addr(1), 9)
	s.RunUntil(sim.Second)
	_ = traces.Close()
	for _, t := range traces {
		fmt.Println(filepath.Base(t.Name()), t.Frames(), "frames") // data and ACK
	}
	// Output:
	// adhoc-0-0.pcap 2 frames
	// adhoc-1-0.pcap 2 frames
}
