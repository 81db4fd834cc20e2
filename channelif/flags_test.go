package channelif

import (
	"errors"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type wifiFlags struct {
	stepMS    float64
	distance  float64
	retries   int
	distances string
	harq      bool
}

func newWifiFlagSet(errorHandling flag.ErrorHandling) (*flag.FlagSet, *wifiFlags) {
	v := &wifiFlags{}
	fs := flag.NewFlagSet("wifi-sim", errorHandling)
	fs.Float64Var(&v.stepMS, "step-ms", 1.0, "step duration in ms")
	fs.Float64Var(&v.distance, "distance", 10.0, "distance in m")
	fs.IntVar(&v.retries, "retries", 7, "transmissions per frame")
	fs.StringVar(&v.distances, "distances", "10.0", "comma list")
	fs.BoolVar(&v.harq, "harq", false, "HARQ")
	return fs, v
}

func TestParseFlagsForms(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want wifiFlags
	}{
		{"defaults", nil, wifiFlags{1.0, 10.0, 7, "10.0", false}},
		{"NetRL --key=value", []string{"--step-ms=5.0", "--distance=30.5", "--retries=3", "--distances=30.0,30.0", "--harq=1"},
			wifiFlags{5.0, 30.5, 3, "30.0,30.0", true}},
		{"--key value", []string{"--step-ms", "0.3", "--retries", "1", "--distances", "5"},
			wifiFlags{0.3, 10.0, 1, "5", false}},
		{"-key=value", []string{"-step-ms=2", "-distance=1", "-harq=true"}, wifiFlags{2, 1, 7, "10.0", true}},
		{"-key value and bare bool", []string{"-distance", "3", "--harq"}, wifiFlags{1.0, 3, 7, "10.0", true}},
		{"terminator", []string{"--retries=2", "--"}, wifiFlags{1.0, 10.0, 2, "10.0", false}},
	}
	for _, tt := range tests {
		for _, eh := range []flag.ErrorHandling{flag.ContinueOnError, flag.ExitOnError, flag.PanicOnError} {
			t.Run(tt.name, func(t *testing.T) {
				fs, v := newWifiFlagSet(eh)
				require.NoError(t, ParseFlags(fs, tt.args))
				assert.Equal(t, tt.want, *v)
				set := 0
				fs.Visit(func(*flag.Flag) { set++ })
				assert.Equal(t, countFlags(tt.args), set, "fs records the flags set")
			})
		}
	}
}

func countFlags(args []string) int {
	n := 0
	for _, a := range args {
		if len(a) > 1 && a[0] == '-' && a != "--" {
			n++
		}
	}
	return n
}

func TestParseFlagsErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		errMsg string
		help   bool
	}{
		{"unknown", []string{"--frequency=5"}, "wifi-sim: flag provided but not defined: -frequency", false},
		{"bad value", []string{"--step-ms=fast"}, `wifi-sim: invalid value "fast" for flag -step-ms`, false},
		{"missing value", []string{"--retries"}, "wifi-sim: flag needs an argument: -retries", false},
		{"positional", []string{"--retries=2", "extra"}, `wifi-sim: unexpected argument "extra"`, false},
		{"bool takes no separate value", []string{"--harq", "1"}, `wifi-sim: unexpected argument "1"`, false},
		{"help", []string{"-h"}, "wifi-sim: flag: help requested", true},
		{"long help", []string{"--help"}, "wifi-sim: flag: help requested", true},
	}
	for _, tt := range tests {
		// ExitOnError and PanicOnError flag sets must not exit or panic.
		for _, eh := range []flag.ErrorHandling{flag.ContinueOnError, flag.ExitOnError, flag.PanicOnError} {
			t.Run(tt.name, func(t *testing.T) {
				fs, _ := newWifiFlagSet(eh)
				err := ParseFlags(fs, tt.args)
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errMsg)
				assert.Equal(t, tt.help, errors.Is(err, flag.ErrHelp))
			})
		}
	}
	require.Error(t, ParseFlags(nil, nil))
	anon := flag.NewFlagSet("", flag.ContinueOnError)
	assert.Equal(t, "flag provided but not defined: -x", ParseFlags(anon, []string{"-x"}).Error())
}

func TestParseDistances(t *testing.T) {
	tests := []struct {
		list   string
		n      int
		want   []float64
		errMsg string
	}{
		{"10.0", 2, []float64{10, 10}, ""},
		{"30.0,30.0", 2, []float64{30, 30}, ""},
		{"10,30,60", 3, []float64{10, 30, 60}, ""},
		{"10,30", 4, []float64{10, 30, 30, 30}, ""},
		{"10,30,60", 2, []float64{10, 30}, ""},
		{" 5 , 7.5 ", 3, []float64{5, 7.5, 7.5}, ""},
		{"1e1", 1, []float64{10}, ""},
		{"", 2, nil, "empty list"},
		{"  ", 2, nil, "empty list"},
		{"10,,20", 2, nil, `item 2 of "10,,20" is empty`},
		{"10,", 2, nil, "is empty"},
		{"ten", 1, nil, `"ten" is not a number`},
		{"NaN", 1, nil, "not a number"},
		{"Inf", 1, nil, "not a number"},
		{"0", 1, nil, "0 must be > 0"},
		{"-5", 1, nil, "-5 must be > 0"},
		{"10", 0, nil, "0 UEs"},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			got, err := ParseDistances(tt.list, tt.n)
			if tt.errMsg != "" {
				require.ErrorContains(t, err, tt.errMsg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
