package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/cli/clitest"
	"github.com/netgym/netgym/sim/pcap/pcaptest"
)

func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	clitest.Check(t, "first-experiment", run,
		[]string{"stations", "distance", "rate", "size", "on", "off", "start", "duration", "jitter", "pcap", "json", "csv", "seed", "run"},
		clitest.Case{Args: []string{"-rate=2 Mbps"}, Status: cli.ExitUsage,
			Line: `first-experiment: invalid value "2 Mbps" for flag -rate: inet: data rate "2 Mbps": unknown unit " Mbps" (accepted: bps, b/s, Bps, B/s, kbps, kb/s, Kbps, Kb/s, kBps, kB/s, KBps, KB/s, Kib/s, KiB/s, Mbps, Mb/s, MBps, MB/s, Mib/s, MiB/s, Gbps, Gb/s, GBps, GB/s, Gib/s, GiB/s)`},
		clitest.Case{Args: []string{"-duration=-1"}, Status: cli.ExitUsage,
			Line: `first-experiment: invalid value "-1" for flag -duration: want a time >= 0 in seconds`},
		clitest.Case{Args: []string{"-stations=0"}, Status: cli.ExitUsage,
			Line: `first-experiment: invalid value "0" for flag -stations: want 1..250`},
		clitest.Case{Args: []string{"-size=0"}, Status: cli.ExitUsage,
			Line: `first-experiment: apps: OnOff PacketSize 0 is outside 1..65507`},
		clitest.Case{Args: []string{"-off=-1"}, Status: cli.ExitUsage,
			Line: `first-experiment: apps: OnOff OffTime: apps: ConstantVariable -1 must be a non-negative number of seconds`},
		clitest.Case{Args: []string{"-pcap=" + filepath.Join(dir, "missing", "x")}, Status: cli.ExitFailure,
			Line: "first-experiment: pcap: cannot create trace file: open " + filepath.Join(dir, "missing", "x") + "-0-0.pcap: no such file or directory"},
	)
}

// Two stations, 1 s of traffic: every flow delivered, the AP's trace
// holds what the sink got, and the JSON agrees.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "fe")
	jsonPath := filepath.Join(dir, "flows.json")
	r := clitest.Run(run, "-stations=2", "-duration=1", "-rate=1Mbps", "-pcap="+prefix, "-json="+jsonPath)
	require.Equal(t, cli.ExitOK, r.Status, r.Stderr)
	require.Empty(t, r.Stderr)
	out := r.Stdout
	require.Contains(t, out, "2 stations at 10 m from the AP, OnOff 1Mbps (on 1 s, off 0 s), 1000-byte payloads, 1s to 2s\n")
	require.Contains(t, out, "Flow 1 (10.1.1.")
	require.Contains(t, out, "Flow 2 (10.1.1.")
	require.NotContains(t, out, "Flow 3")
	require.Contains(t, out, "Lost Packets: 0 (0.0%)")
	require.Contains(t, out, "flow monitor: "+jsonPath)
	require.Contains(t, out, "tshark -r "+prefix+"-0-0.pcap")

	// 125 packets per second per station, less what the start jitter
	// (at most 100 ms, 12 packets) costs.
	var doc struct {
		Flows []struct {
			TxPackets, RxPackets, LostPackets uint64
		}
	}
	b, err := os.ReadFile(jsonPath)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &doc))
	require.Len(t, doc.Flows, 2)
	var total uint64
	for _, f := range doc.Flows {
		require.Equal(t, f.TxPackets, f.RxPackets)
		require.Zero(t, f.LostPackets)
		require.GreaterOrEqual(t, f.RxPackets, uint64(125-12))
		require.LessOrEqual(t, f.RxPackets, uint64(125))
		total += f.RxPackets
	}
	require.Contains(t, out, "AP received "+strconv.FormatUint(total, 10)+" packets")
	for n := range 3 {
		_, err := os.Stat(prefix + "-" + strconv.Itoa(n) + "-0.pcap")
		require.NoError(t, err)
	}

	// tshark finds the same datagrams in the AP's trace, well formed.
	pcaptest.Tshark(t)
	ap := prefix + "-0-0.pcap"
	rows := pcaptest.Fields(t, ap, "udp.dstport == 9", nil, "ip.dst", "udp.length", "radiotap.datarate")
	require.Len(t, rows, int(total))
	for _, row := range rows {
		require.Equal(t, []string{"10.1.1.1", "1008", "54"}, row)
	}
	require.Empty(t, pcaptest.Expert(t, ap, "wlan.check_checksum:TRUE", "ip.check_checksum:TRUE"))
	require.True(t, strings.HasSuffix(out, ".pcap\n"))
}

// docPath is the document this program belongs to.
const docPath = "../../docs/first-experiment.md"

// The output shown in docs/first-experiment.md is what the program prints
// with its defaults.
func TestDocOutput(t *testing.T) {
	doc, err := os.ReadFile(docPath)
	require.NoError(t, err)
	r := clitest.Run(run, "-pcap=")
	require.Equal(t, cli.ExitOK, r.Status, r.Stderr)
	lines := strings.Split(r.Stdout, "\n")
	// The header, flow 1, the last flow and the total, as the document
	// shows them.
	require.Len(t, lines, 21)
	for _, i := range []int{0, 2, 3, 4, 5, 6, 14, 15, 16, 17, 19} {
		require.Contains(t, string(doc), lines[i]+"\n", "line %d missing from the document", i)
	}
}

// The program in docs/first-experiment.md compiles, and is the wiring of
// this command.
func TestDocProgramCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program with the go tool")
	}
	doc, err := os.ReadFile(docPath)
	require.NoError(t, err)
	text := string(doc)
	start := strings.Index(text, "```go\n")
	require.GreaterOrEqual(t, start, 0)
	text = text[start+len("```go\n"):]
	code := text[:strings.Index(text, "```")]
	for _, want := range []string{"mac80211.NewNetwork(", "apps.NewPacketSink(", "apps.NewOnOff(", "flowmon.New(", "EnablePcapAll(", "WriteSummary("} {
		require.Contains(t, code, want)
	}
	// A directory inside the module, so that the program's imports resolve.
	dir, err := os.MkdirTemp(".", "doctest-")
	require.NoError(t, err)
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "main.go")
	require.NoError(t, os.WriteFile(file, []byte(code), 0o644))
	out, err := exec.Command("go", "build", "-o", os.DevNull, "./"+file).CombinedOutput()
	require.NoError(t, err, "%s", out)
}
