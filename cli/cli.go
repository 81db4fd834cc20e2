// Package cli is the command line of netgym's programs: every binary in
// scenarios/ parses its flags and reports its errors through it, and Go
// users can build programs of their own (a NetRL backend for another
// technology, a sweep) that behave the same way.
//
// A program accepts Go's flag forms, which include NetRL's: "--key=value",
// "--key value", "-key=value" and "-key value" (one or two dashes are the
// same). Program.Run gives every program the same behaviour:
//
//   - -h or --help prints the usage (the summary and every flag with its
//     default) on standard output; exit status 0.
//   - A bad flag or value prints exactly one line on standard error,
//     "NAME: invalid value "x" for flag -distance: parse error", then the
//     usage; exit status 2. Checks after parsing (a configuration's
//     Validate) report the same way by returning Invalid(err).
//   - Any other error prints one line, "NAME: reason"; exit status 1.
//
// Nothing here calls os.Exit or writes to the process's standard streams:
// Run returns the status, so that a program's run function is testable.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/netgym/netgym/sim"
)

// Exit statuses.
const (
	// ExitOK: success, or the usage printed on request.
	ExitOK = 0
	// ExitFailure: the program failed while running.
	ExitFailure = 1
	// ExitUsage: the command line was wrong (Go's flag package uses 2 too).
	ExitUsage = 2
)

// Program is one command-line program: its name, its summary and its flags.
type Program struct {
	name    string
	summary string
	// Flags holds the program's flags; define them before Run. Its output
	// is discarded: Program prints the usage itself.
	Flags *flag.FlagSet
}

// New returns a program with no flags yet. name prefixes every message;
// summary (one or more lines) is printed under the usage line.
func New(name, summary string) *Program {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &Program{name: name, summary: strings.TrimSpace(summary), Flags: fs}
}

// Name returns the program's name.
func (p *Program) Name() string { return p.name }

// Parse parses args (without the program name). It never prints. It returns
// an error matching flag.ErrHelp for -h or --help (unless the program
// defines such a flag), a *UsageError for an unknown flag, a bad value or a
// positional argument, and nil otherwise.
func (p *Program) Parse(args []string) error {
	if err := p.Flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &UsageError{Err: err}
	}
	if p.Flags.NArg() > 0 {
		return Invalidf("unexpected argument %q (flags are -name=value or --name=value)", p.Flags.Arg(0))
	}
	return nil
}

// PrintUsage writes the usage: a "Usage: NAME [flags]" line, the summary
// and every flag with its type, description and non-zero default, in
// Go's flag format.
func (p *Program) PrintUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s [flags]\n", p.name)
	if p.summary != "" {
		fmt.Fprintf(w, "\n%s\n", p.summary)
	}
	n := 0
	p.Flags.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintf(w, "\nFlags (-name=value, --name=value or -name value):\n")
	p.Flags.SetOutput(w)
	p.Flags.PrintDefaults()
	p.Flags.SetOutput(io.Discard)
}

// Run parses args and, unless that fails or asks for help, runs body. It
// returns the exit status: ExitOK after body succeeded or after printing
// the usage on stdout for -h/--help; ExitUsage after a bad command line
// (from Parse, or an Invalid error from body), reported on stderr as one
// line and the usage; ExitFailure after any other error from body,
// reported on stderr as one line.
func (p *Program) Run(args []string, stdout, stderr io.Writer, body func() error) int {
	if err := p.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			p.PrintUsage(stdout)
			return ExitOK
		}
		return p.Report(stderr, err)
	}
	if body == nil {
		return ExitOK
	}
	return p.Report(stderr, body())
}

// Report writes err to stderr as one line, "NAME: reason" (line breaks in
// the reason become "; "), followed by the usage if err is (or wraps) a
// *UsageError, and returns the matching exit status; for a nil err it
// writes nothing and returns ExitOK.
func (p *Program) Report(stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(stderr, "%s: %s\n", p.name, oneLine(err.Error()))
	var u *UsageError
	if errors.As(err, &u) {
		p.PrintUsage(stderr)
		return ExitUsage
	}
	return ExitFailure
}

// oneLine joins the lines of s with "; ".
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	if len(parts) == 0 {
		return "unspecified error"
	}
	return strings.Join(parts, "; ")
}

// UsageError is an error in the command line: an unknown flag, a bad value,
// or settings that do not validate together. Run reports it with the usage
// and exit status 2.
type UsageError struct{ Err error }

// Error returns the reason.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the reason.
func (e *UsageError) Unwrap() error { return e.Err }

// Invalid marks err as a command-line error (nil stays nil), for checks a
// program makes after parsing, e.g. Invalid(cfg.Validate()).
func Invalid(err error) error {
	if err == nil {
		return nil
	}
	return &UsageError{Err: err}
}

// Invalidf returns a command-line error with a formatted reason.
func Invalidf(format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf(format, a...)}
}

// InvalidValue returns a command-line error worded as Go's flag package
// words a value it rejects: invalid value "x" for flag -name: reason.
func InvalidValue(name, value string, reason error) error {
	return Invalidf("invalid value %q for flag -%s: %v", value, name, reason)
}

// choice is a string flag restricted to a list of values.
type choice struct {
	v       *string
	choices []string
}

// String returns the current value.
func (c *choice) String() string {
	if c.v == nil {
		return ""
	}
	return *c.v
}

// Set accepts s if it is one of the choices.
func (c *choice) Set(s string) error {
	if !slices.Contains(c.choices, s) {
		return fmt.Errorf("want %s", orList(c.choices))
	}
	*c.v = s
	return nil
}

// Choice defines a string flag that accepts only one of choices, with the
// default value; a value outside them is a bad value ("invalid value "x"
// for flag -agent: want random or qlearning"). The usage lists the
// choices.
func Choice(fs *flag.FlagSet, name, value, usage string, choices ...string) *string {
	v := value
	fs.Var(&choice{v: &v, choices: slices.Clone(choices)}, name, fmt.Sprintf("%s (one of: %s)", usage, strings.Join(quoteEmpty(choices), ", ")))
	return &v
}

func quoteEmpty(s []string) []string {
	out := make([]string, len(s))
	for i, c := range s {
		if c == "" {
			c = `""`
		}
		out[i] = c
	}
	return out
}

// orList returns "a", "a or b", "a, b or c".
func orList(s []string) string {
	q := quoteEmpty(s)
	switch len(q) {
	case 0:
		return "nothing"
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// timeValue is a flag holding a sim.Time, given as a number of units.
type timeValue struct {
	t        *sim.Time
	unit     sim.Time
	min, max sim.Time
}

// String returns the value in the flag's unit.
func (v *timeValue) String() string {
	if v.t == nil || v.unit == 0 {
		return "0"
	}
	return strconv.FormatFloat(float64(*v.t)/float64(v.unit), 'g', -1, 64)
}

// Set parses a number of units, converts it exactly as sim.FromFloat does
// and checks the range.
func (v *timeValue) Set(s string) error {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New("parse error")
	}
	t, err := sim.FromFloat(f, v.unit)
	if err != nil || t < v.min || t > v.max {
		return fmt.Errorf("want %s in [%g, %g]", unitName(v.unit), float64(v.min)/float64(v.unit), float64(v.max)/float64(v.unit))
	}
	*v.t = t
	return nil
}

// unitName names a time unit in messages.
func unitName(u sim.Time) string {
	switch u {
	case sim.Second:
		return "seconds"
	case sim.Millisecond:
		return "milliseconds"
	case sim.Microsecond:
		return "microseconds"
	case sim.Nanosecond:
		return "nanoseconds"
	}
	return fmt.Sprintf("a number of %v", u)
}

// Time defines a flag for a simulated time given as a number of units
// (sim.Second for ns3-gym's --simTime=10, sim.Millisecond for NetRL's
// --step-ms=1.0) and limited to [min, max]: a value outside that range, or
// one that is not a number, is a bad value ("invalid value "1e-12" for flag
// -stepTime: want seconds in [1e-06, 1e+09]"), so that no binary runs with a
// zero step or a horizon beyond simulated time.
func Time(fs *flag.FlagSet, name string, value, unit, min, max sim.Time, usage string) *sim.Time {
	v := value
	fs.Var(&timeValue{t: &v, unit: unit, min: min, max: max}, name, usage)
	return &v
}
