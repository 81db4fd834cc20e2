package clitest

import (
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/netgym/netgym/cli"
)

// recorder is a require.TestingT that records a failure instead of
// stopping the test.
type recorder struct{ failed bool }

func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) FailNow()              { r.failed = true; panic(r) }

func check(run RunFunc, cases ...Case) (failed bool) {
	r := &recorder{}
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
		failed = r.failed
	}()
	Check(r, "prog", run, []string{"n"}, cases...)
	return false
}

func program(args []string, stdout, stderr io.Writer) int {
	p := cli.New("prog", "Does things.")
	n := p.Flags.Int("n", 1, "count")
	return p.Run(args, stdout, stderr, func() error {
		if *n < 0 {
			return cli.Invalidf("-n %d is negative", *n)
		}
		if *n == 0 {
			return fmt.Errorf("nothing to do")
		}
		return nil
	})
}

func TestCheck(t *testing.T) {
	good := []Case{
		{[]string{"-n=x"}, cli.ExitUsage, `prog: invalid value "x" for flag -n: parse error`},
		{[]string{"-n=-1"}, cli.ExitUsage, "prog: -n -1 is negative"},
		{[]string{"-n=0"}, cli.ExitFailure, "prog: nothing to do"},
	}
	assert.False(t, check(program, good...), "a well-behaved program passes")

	tests := map[string]struct {
		run   RunFunc
		cases []Case
	}{
		"wrong line":   {program, []Case{{[]string{"-n=x"}, cli.ExitUsage, "prog: bad"}}},
		"wrong status": {program, []Case{{[]string{"-n=0"}, cli.ExitUsage, "prog: nothing to do"}}},
		"help on stderr": {func(args []string, stdout, stderr io.Writer) int {
			return program(args, stderr, stderr)
		}, nil},
		"help exits 2": {func(args []string, stdout, stderr io.Writer) int {
			program(args, stdout, stderr)
			return 2
		}, nil},
		"usage missing after a bad flag": {func(args []string, stdout, stderr io.Writer) int {
			if len(args) > 0 && args[0] == "-n=x" {
				fmt.Fprintln(stderr, `prog: invalid value "x" for flag -n: parse error`)
				return cli.ExitUsage
			}
			return program(args, stdout, stderr)
		}, good[:1]},
		"flag missing from the usage": {func(args []string, stdout, stderr io.Writer) int {
			p := cli.New("prog", "")
			return p.Run(args, stdout, stderr, nil)
		}, nil},
	}
	for name, tt := range tests {
		assert.True(t, check(tt.run, tt.cases...), name)
	}
}
