package inet_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim/inet"
)

func TestParseDataRate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want inet.DataRate
	}{
		{"10Mbps", 10_000_000},
		{"1.5Gb/s", 1_500_000_000},
		{"500kbps", 500_000},
		{"500kb/s", 500_000}, // OnOffApplication's default
		{"32768bps", 32768},  // PointToPointNetDevice's default
		{"32768b/s", 32768},
		{"100Bps", 800},
		{"100B/s", 800},
		{"2Kbps", 2000},
		{"2Kb/s", 2000},
		{"2kBps", 16000},
		{"2kB/s", 16000},
		{"2KBps", 16000},
		{"2KB/s", 16000},
		{"1Kib/s", 1024},
		{"1KiB/s", 8192},
		{"1Mb/s", 1_000_000},
		{"1MBps", 8_000_000},
		{"1MB/s", 8_000_000},
		{"1Mib/s", 1 << 20},
		{"1MiB/s", 8 << 20},
		{"1Gbps", 1_000_000_000},
		{"1GBps", 8_000_000_000},
		{"1GB/s", 8_000_000_000},
		{"1Gib/s", 1 << 30},
		{"1GiB/s", 8 << 30},
		{"1000000", 1_000_000},
		{"0.5bps", 0},                // truncated to whole bit/s, as ns-3
		{"1.0000001Mbps", 1_000_000}, // 1000000.1 truncated
		{"0Mbps", 0},
		{"54.Mbps", 54_000_000},
		{".5Mbps", 500_000},
	} {
		got, err := inet.ParseDataRate(c.in)
		require.NoError(t, err, c.in)
		require.Equal(t, c.want, got, c.in)
	}
}

func TestParseDataRateErrors(t *testing.T) {
	for _, c := range []struct{ in, msg string }{
		{"10 Mbps", `unknown unit " Mbps"`},
		{"10mbps", `unknown unit "mbps"`},
		{"10Mbit/s", `unknown unit "Mbit/s"`},
		{"10", ""}, // valid: bit/s
		{"Mbps", `"" is not a non-negative decimal number`},
		{"-5Mbps", `unknown unit "-5Mbps"`},
		{"1.2.3Mbps", `"1.2.3" is not a non-negative decimal number`},
		{"", "want a number and a unit"},
		{"1.5", "want a number and a unit"},
		{"99999999999GBps", "exceeds"},
		{"18446744073709551616", "want a number and a unit"},
	} {
		_, err := inet.ParseDataRate(c.in)
		if c.msg == "" {
			require.NoError(t, err, c.in)
			continue
		}
		require.ErrorContains(t, err, c.msg, c.in)
		require.ErrorContains(t, err, fmt.Sprintf("%q", c.in))
	}
	_, err := inet.ParseDataRate("10Mbits")
	require.ErrorContains(t, err, "accepted: bps, b/s, Bps, B/s, kbps")
	require.Panics(t, func() { inet.MustParseDataRate("fast") })
	require.Equal(t, 26, len(inet.DataRateUnits()))
}

func TestDataRateText(t *testing.T) {
	var cfg struct{ Rate inet.DataRate }
	require.NoError(t, json.Unmarshal([]byte(`{"Rate":"1.5Gb/s"}`), &cfg))
	require.Equal(t, inet.DataRate(1_500_000_000), cfg.Rate)
	out, err := json.Marshal(cfg)
	require.NoError(t, err)
	require.Equal(t, `{"Rate":"1500Mbps"}`, string(out))
	require.Error(t, json.Unmarshal([]byte(`{"Rate":"fast"}`), &cfg))
}

func ExampleParseDataRate() {
	for _, s := range []string{"10Mbps", "1.5Gb/s", "500kbps", "10 Mbps"} {
		r, err := inet.ParseDataRate(s)
		fmt.Println(uint64(r), err)
	}
	// Output:
	// 10000000 <nil>
	// 1500000000 <nil>
	// 500000 <nil>
	// 0 inet: data rate "10 Mbps": unknown unit " Mbps" (accepted: bps, b/s, Bps, B/s, kbps, kb/s, Kbps, Kb/s, kBps, kB/s, KBps, KB/s, Kib/s, KiB/s, Mbps, Mb/s, MBps, MB/s, Mib/s, MiB/s, Gbps, Gb/s, GBps, GB/s, Gib/s, GiB/s)
}
