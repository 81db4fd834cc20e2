package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/cli/clitest"
)

func TestCommandLine(t *testing.T) {
	usage := func(line string, args ...string) clitest.Case {
		return clitest.Case{Args: args, Status: cli.ExitUsage, Line: "nr-cell: " + line}
	}
	clitest.Check(t, "nr-cell", run,
		[]string{"n", "mu", "bandwidth", "freq", "distance", "rate", "packet", "duration", "warmup", "gnb-height", "seed", "run",
			"scheduler", "rlc", "rrc", "rrc-delay", "random-preambles", "flowmon", "trace", "flows", "json", "profile"},
		usage("nr cell: n 0 out of range [1, 1000]", "-n", "0"),
		usage("mu 9 out of range [0, 6]", "-mu", "9"),
		usage(`nr5g: scheduler "TdmaQos" unknown (want TdmaRR, TdmaPF, TdmaMR, OfdmaRR, OfdmaPF or OfdmaMR)`, "-scheduler", "TdmaQos"),
		usage(`invalid value "tm" for flag -rlc: want um, am or per-based`, "-rlc", "tm"),
		usage(`invalid value "10" for flag -duration: parse error`, "-duration", "10"),
	)
}

// TestShortRun runs 3 UEs at 50 m for 50 ms with traces and reads the
// JSON: the keys, one goodput per UE, the trace and flows files.
func TestShortRun(t *testing.T) {
	dir := t.TempDir()
	tr, fl := filepath.Join(dir, "trace.jsonl"), filepath.Join(dir, "flows.json")
	var out, diag bytes.Buffer
	require.Equal(t, cli.ExitOK, run([]string{"-n=3", "-distance=50", "-warmup=50ms", "-duration=50ms", "-scheduler=OfdmaPF",
		"-rlc=am", "-trace=" + tr, "-flows=" + fl, "-json"}, &out, &diag), diag.String())
	var res map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &res))
	for _, k := range []string{"goodput_mbps", "events", "wall_s", "per_ue_mbps"} {
		assert.Contains(t, res, k)
	}
	assert.Len(t, res["per_ue_mbps"], 3)
	assert.Positive(t, res["goodput_mbps"])
	f, err := os.Open(tr)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	require.True(t, sc.Scan())
	var rec map[string]any
	require.NoError(t, json.Unmarshal(sc.Bytes(), &rec))
	assert.Contains(t, []any{"tb", "sched", "rlc", "pdcp"}, rec["type"])
	b, err := os.ReadFile(fl)
	require.NoError(t, err)
	assert.Contains(t, string(b), "delaySum")
}
