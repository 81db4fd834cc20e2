// Package pcaptest runs tshark, Wireshark's command-line dissector, on
// pcap files that tests write, so that they can check what Wireshark
// makes of netgym's frames field by field. Tests that use it are skipped,
// with a message saying how to install tshark, when it is absent (Debian:
// DEBIAN_FRONTEND=noninteractive apt-get install -y tshark).
package pcaptest

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// Tshark returns the path of the tshark binary, or skips t when it is not
// installed or the tests run with -short (tshark takes about half a second
// to start).
func Tshark(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the pcap files are not dissected with tshark")
	}
	path, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: the pcap files are not dissected (Debian: DEBIAN_FRONTEND=noninteractive apt-get install -y tshark)")
	}
	return path
}

// Fields dissects file with tshark and returns, for every frame that
// matches the display filter (all frames when filter is empty), the values
// of the given fields (tshark -T fields -e ...), each multi-valued field's
// values joined by commas. prefs are tshark -o preferences, e.g.
// "wlan.check_fcs:TRUE". Name resolution is off, so addresses come out as
// numbers.
func Fields(t testing.TB, file, filter string, prefs []string, fields ...string) [][]string {
	t.Helper()
	args := []string{"-r", file, "-n", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"}
	for _, p := range prefs {
		args = append(args, "-o", p)
	}
	if filter != "" {
		args = append(args, "-Y", filter)
	}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	cmd := exec.Command(Tshark(t), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows
}

// Expert returns tshark's expert-information lines for file at severity
// warning or above (malformed packets, bad checksums), one per line; a
// well-formed file gives none.
func Expert(t testing.TB, file string, prefs ...string) []string {
	t.Helper()
	args := []string{"-r", file, "-n", "-q", "-z", "expert,warn"}
	for _, p := range prefs {
		args = append(args, "-o", p)
	}
	out, err := exec.Command(Tshark(t), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var lines []string
	inTable := false
	for _, line := range strings.Split(string(out), "\n") {
		l := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(l, "Errors") || strings.HasPrefix(l, "Warns"):
			inTable = true
			lines = append(lines, l)
		case strings.HasPrefix(l, "Notes") || strings.HasPrefix(l, "Chats") || strings.HasPrefix(l, "Comments"):
			inTable = false
		case inTable && l != "" && !strings.HasPrefix(l, "=") && !strings.HasPrefix(l, "Frequency"):
			lines = append(lines, l)
		}
	}
	return lines
}
