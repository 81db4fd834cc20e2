package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

type wifiFlags struct {
	stepMS    float64
	distance  float64
	retries   int
	distances string
	harq      bool
	agent     string
}

func newWifiProgram() (*Program, *wifiFlags) {
	v := &wifiFlags{}
	p := New("wifi-sim", "Serves NetRL's Wi-Fi program.")
	fs := p.Flags
	fs.Float64Var(&v.stepMS, "step-ms", 1.0, "step duration in ms")
	fs.Float64Var(&v.distance, "distance", 10.0, "distance in m")
	fs.IntVar(&v.retries, "retries", 7, "transmissions per frame")
	fs.StringVar(&v.distances, "distances", "10.0", "comma list")
	fs.BoolVar(&v.harq, "harq", false, "HARQ")
	agent := Choice(fs, "agent", "qlearning", "agent", "random", "qlearning")
	_ = agent
	fs.Func("noop", "sets nothing", func(string) error { return nil })
	return p, v
}

func TestParseForms(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want wifiFlags
	}{
		{"defaults", nil, wifiFlags{1.0, 10.0, 7, "10.0", false, ""}},
		{"NetRL --key=value", []string{"--step-ms=5.0", "--distance=30.5", "--retries=3", "--distances=30.0,30.0", "--harq=1"},
			wifiFlags{5.0, 30.5, 3, "30.0,30.0", true, ""}},
		{"--key value", []string{"--step-ms", "0.3", "--retries", "1", "--distances", "5"},
			wifiFlags{0.3, 10.0, 1, "5", false, ""}},
		{"-key=value", []string{"-step-ms=2", "-distance=1", "-harq=true"}, wifiFlags{2, 1, 7, "10.0", true, ""}},
		{"-key value and bare bool", []string{"-distance", "3", "--harq"}, wifiFlags{1.0, 3, 7, "10.0", true, ""}},
		{"terminator", []string{"--retries=2", "--"}, wifiFlags{1.0, 10.0, 2, "10.0", false, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, v := newWifiProgram()
			require.NoError(t, p.Parse(tt.args))
			assert.Equal(t, tt.want, *v)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		msg   string
		help  bool
		usage bool
	}{
		{"unknown", []string{"--frequency=5"}, "flag provided but not defined: -frequency", false, true},
		{"bad value", []string{"--step-ms=fast"}, `invalid value "fast" for flag -step-ms: parse error`, false, true},
		{"out of range", []string{"--retries=99999999999999999999"}, `invalid value "99999999999999999999" for flag -retries: value out of range`, false, true},
		{"missing value", []string{"--retries"}, "flag needs an argument: -retries", false, true},
		{"positional", []string{"--retries=2", "extra"}, `unexpected argument "extra" (flags are -name=value or --name=value)`, false, true},
		{"bool takes no separate value", []string{"--harq", "1"}, `unexpected argument "1" (flags are -name=value or --name=value)`, false, true},
		{"bad choice", []string{"-agent=sarsa"}, `invalid value "sarsa" for flag -agent: want random or qlearning`, false, true},
		{"help", []string{"-h"}, "flag: help requested", true, false},
		{"long help", []string{"--help"}, "flag: help requested", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := newWifiProgram()
			err := p.Parse(tt.args)
			require.EqualError(t, err, tt.msg)
			assert.Equal(t, tt.help, errors.Is(err, flag.ErrHelp))
			var u *UsageError
			assert.Equal(t, tt.usage, errors.As(err, &u))
		})
	}
}

const wantUsage = `Usage: wifi-sim [flags]

Serves NetRL's Wi-Fi program.

Flags (-name=value, --name=value or -name value):
  -agent value
    	agent (one of: random, qlearning) (default qlearning)
  -distance float
    	distance in m (default 10)
  -distances string
    	comma list (default "10.0")
  -harq
    	HARQ
  -noop value
    	sets nothing
  -retries int
    	transmissions per frame (default 7)
  -step-ms float
    	step duration in ms (default 1)
`

func TestRun(t *testing.T) {
	tests := []struct {
		name           string
		args           []string
		body           error
		status         int
		stdout, stderr string
		ran            bool
	}{
		{"success", []string{"--distance=3"}, nil, ExitOK, "", "", true},
		{"help", []string{"-h"}, nil, ExitOK, wantUsage, "", false},
		{"long help after a flag", []string{"--distance=3", "--help"}, nil, ExitOK, wantUsage, "", false},
		{"bad value", []string{"--distance=x"}, nil, ExitUsage, "",
			"wifi-sim: invalid value \"x\" for flag -distance: parse error\n" + wantUsage, false},
		{"unknown flag", []string{"--bogus"}, nil, ExitUsage, "",
			"wifi-sim: flag provided but not defined: -bogus\n" + wantUsage, false},
		{"invalid configuration", nil, Invalid(errors.New("wifi channel: distance -3 must be a non-negative number")), ExitUsage, "",
			"wifi-sim: wifi channel: distance -3 must be a non-negative number\n" + wantUsage, true},
		{"invalid value after parsing", nil, InvalidValue("distances", "10,,5", errors.New("item 2 is empty")), ExitUsage, "",
			"wifi-sim: invalid value \"10,,5\" for flag -distances: item 2 is empty\n" + wantUsage, true},
		{"wrapped usage error", nil, fmt.Errorf("setup: %w", Invalidf("n-ues %d", 0)), ExitUsage, "",
			"wifi-sim: setup: n-ues 0\n" + wantUsage, true},
		{"runtime error", nil, errors.New("read stdin: broken pipe"), ExitFailure, "",
			"wifi-sim: read stdin: broken pipe\n", true},
		{"joined errors on one line", nil, errors.Join(errors.New("node a: x"), errors.New("node b: y\r\n")), ExitFailure, "",
			"wifi-sim: node a: x; node b: y\n", true},
		{"empty error", nil, errors.New(" \n "), ExitFailure, "", "wifi-sim: unspecified error\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := newWifiProgram()
			var out, errOut bytes.Buffer
			ran := false
			status := p.Run(tt.args, &out, &errOut, func() error { ran = true; return tt.body })
			assert.Equal(t, tt.status, status)
			assert.Equal(t, tt.stdout, out.String())
			assert.Equal(t, tt.stderr, errOut.String())
			assert.Equal(t, tt.ran, ran)
		})
	}
	p, _ := newWifiProgram()
	assert.Equal(t, ExitOK, p.Run(nil, &bytes.Buffer{}, &bytes.Buffer{}, nil), "a nil body is a program with nothing to do")
	assert.Equal(t, "wifi-sim", p.Name())
	assert.NoError(t, Invalid(nil))
}

func TestUsageWithoutFlagsOrSummary(t *testing.T) {
	var out bytes.Buffer
	New("demo", "  ").PrintUsage(&out)
	assert.Equal(t, "Usage: demo [flags]\n", out.String())
	out.Reset()
	p := New("demo", "Runs the demo.\nTwo lines.\n")
	assert.Equal(t, ExitUsage, p.Run([]string{"-x"}, &bytes.Buffer{}, &out, nil))
	assert.Equal(t, "demo: flag provided but not defined: -x\nUsage: demo [flags]\n\nRuns the demo.\nTwo lines.\n", out.String())
}

func TestChoice(t *testing.T) {
	tests := []struct {
		choices []string
		value   string
		err     string
	}{
		{[]string{"cpu", "mem", ""}, "cpu", ""},
		{[]string{"cpu", "mem", ""}, "", ""},
		{[]string{"cpu", "mem", ""}, "gpu", `invalid value "gpu" for flag -c: want cpu, mem or ""`},
		{[]string{"only"}, "other", `invalid value "other" for flag -c: want only`},
		{nil, "x", `invalid value "x" for flag -c: want nothing`},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(&bytes.Buffer{})
		v := Choice(fs, "c", "mem", "choice", tt.choices...)
		assert.Equal(t, "mem", *v)
		err := fs.Parse([]string{"-c=" + tt.value})
		if tt.err != "" {
			require.EqualError(t, err, tt.err)
			assert.Equal(t, "mem", *v)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.value, *v)
	}
}

func TestTimeFlag(t *testing.T) {
	tests := []struct {
		arg  string
		want sim.Time
		err  string
	}{
		{"", 100 * sim.Millisecond, ""},
		{"-step=0.25", 250 * sim.Millisecond, ""},
		{"-step=1e-6", sim.Microsecond, ""},
		{"-step=1e3", 1000 * sim.Second, ""},
		{"-step=1e-7", 0, "want seconds in [1e-06, 1000]"},
		{"-step=1001", 0, "want seconds in [1e-06, 1000]"},
		{"-step=-1", 0, "want seconds in [1e-06, 1000]"},
		{"-step=NaN", 0, "want seconds in [1e-06, 1000]"},
		{"-step=+Inf", 0, "want seconds in [1e-06, 1000]"},
		{"-step=1e300", 0, "want seconds in [1e-06, 1000]"},
		{"-step=fast", 0, "parse error"},
	}
	for _, tc := range tests {
		t.Run(tc.arg, func(t *testing.T) {
			p := New("prog", "")
			v := Time(p.Flags, "step", 100*sim.Millisecond, sim.Second, sim.Microsecond, 1000*sim.Second, "step")
			var args []string
			if tc.arg != "" {
				args = []string{tc.arg}
			}
			err := p.Parse(args)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, *v)
		})
	}
}
