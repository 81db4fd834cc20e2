package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReport(t *testing.T) {
	var out, diag bytes.Buffer
	code := run([]string{"-bss", "4", "-stations", "3", "-duration", "200ms", "-warmup", "50ms", "-traffic", "cbr", "-json"}, &out, &diag)
	require.Equal(t, 0, code, diag.String())
	var r report
	require.NoError(t, json.Unmarshal(out.Bytes(), &r))
	require.Equal(t, 16, r.Nodes)
	require.Equal(t, uint64(24), r.Sent) // 12 stations, CBR every 100 ms for 0.2 s
	require.Equal(t, 1.0, r.Delivery)
	require.Greater(t, r.Events, uint64(0))
	require.Greater(t, r.BuildBytesPerNd, 0.0)

	out.Reset()
	code = run([]string{"-nodes", "20", "-duration", "100ms"}, &out, &diag)
	require.Equal(t, 0, code, diag.String())
	require.Contains(t, out.String(), "20 nodes (2 BSSs, ad-hoc, static ARP)")
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-bss", "0"}, {"-traffic", "bursty"}, {"-payload", "99999"}} {
		var out, diag bytes.Buffer
		require.Equal(t, 2, run(args, &out, &diag), args)
		require.Contains(t, diag.String(), "wifi-grid: ")
	}
}
