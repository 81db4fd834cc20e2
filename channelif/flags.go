package channelif

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ParseFlags parses args (without the program name) into the flags defined
// on fs, the way NetRL starts its backends: "--key=value", and also
// "--key value", "-key=value" and "-key value" (Go's flag syntax, where one
// or two dashes are equivalent). It never prints and never exits, whatever
// fs's error handling: an unknown flag, a bad value or a positional argument
// is returned as an error, and -h or --help (when fs defines no such flag)
// returns an error wrapping flag.ErrHelp so that the caller can print
// fs.PrintDefaults to stderr. Flags set are recorded on fs (fs.Visit sees
// them).
func ParseFlags(fs *flag.FlagSet, args []string) error {
	if fs == nil {
		return errors.New("parse flags: nil flag set")
	}
	quiet := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	quiet.SetOutput(io.Discard)
	quiet.Usage = func() {}
	fs.VisitAll(func(f *flag.Flag) {
		v := forward{fs: fs, name: f.Name, value: f.Value}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			quiet.Var(boolForward{v}, f.Name, f.Usage)
			return
		}
		quiet.Var(v, f.Name, f.Usage)
	})
	prefix := ""
	if fs.Name() != "" {
		prefix = fs.Name() + ": "
	}
	if err := quiet.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return fmt.Errorf("%s%w", prefix, err)
		}
		return fmt.Errorf("%s%v", prefix, err)
	}
	if quiet.NArg() > 0 {
		return fmt.Errorf("%sunexpected argument %q (flags are --key=value)", prefix, quiet.Arg(0))
	}
	return nil
}

// forward sets a flag through its own FlagSet, so that fs records it.
type forward struct {
	fs    *flag.FlagSet
	name  string
	value flag.Value
}

// String returns the flag's current value.
func (f forward) String() string {
	if f.value == nil {
		return ""
	}
	return f.value.String()
}

// Set sets the flag through its FlagSet.
func (f forward) Set(s string) error { return f.fs.Set(f.name, s) }

type boolForward struct{ forward }

// IsBoolFlag lets "-flag" alone set a boolean flag.
func (boolForward) IsBoolFlag() bool { return true }

// ParseDistances parses a comma-separated list of distances in metres for n
// UEs, as NetRL's multi-UE --distances flag: UE i gets the i-th value, the
// last value repeats for the remaining UEs, and values beyond the n-th are
// ignored. White space around values is allowed. Unlike NetRL's program,
// which silently uses 10 m for a bad value or an empty list, every value
// must be a finite number > 0 and the list must not be empty or contain an
// empty item.
func ParseDistances(list string, n int) ([]float64, error) {
	if n < 1 {
		return nil, fmt.Errorf("distances: %d UEs, need at least 1", n)
	}
	if strings.TrimSpace(list) == "" {
		return nil, errors.New("distances: empty list")
	}
	items := strings.Split(list, ",")
	out := make([]float64, 0, n)
	for i, it := range items {
		it = strings.TrimSpace(it)
		if it == "" {
			return nil, fmt.Errorf("distances: item %d of %q is empty", i+1, list)
		}
		d, err := strconv.ParseFloat(it, 64)
		if err != nil || math.IsNaN(d) || math.IsInf(d, 0) {
			return nil, fmt.Errorf("distances: %q is not a number", it)
		}
		if d <= 0 {
			return nil, fmt.Errorf("distances: %v must be > 0", d)
		}
		if len(out) < n {
			out = append(out, d)
		}
	}
	for len(out) < n {
		out = append(out, out[len(out)-1])
	}
	return out, nil
}
