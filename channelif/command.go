package channelif

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Op is the command of one protocol line.
type Op uint8

// The commands of NetRL's line protocol, and netgym's STEP.
const (
	// OpNone is a blank line: no command, no reply.
	OpNone Op = iota
	// OpTransmit is "TRANSMIT [ue_id] <step_id> [pkt_size]".
	OpTransmit
	// OpFlush is "FLUSH <step_id>".
	OpFlush
	// OpReset is "RESET".
	OpReset
	// OpQuit is "QUIT".
	OpQuit
	// OpStep is netgym's "STEP <step_id> [size ...]": TRANSMIT then FLUSH in
	// one round trip.
	OpStep
)

var opNames = [...]string{OpNone: "", OpTransmit: "TRANSMIT", OpFlush: "FLUSH", OpReset: "RESET", OpQuit: "QUIT", OpStep: "STEP"}

// String returns the command word ("TRANSMIT", ...), "" for OpNone.
func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// Command is one parsed protocol line: the command and its numeric
// arguments, in order. Every argument is a decimal integer in [0, 2^32-1].
// How TRANSMIT's and STEP's arguments are read (ue id, step id, sizes)
// depends on whether the backend is single- or multi-UE; Serve decides.
type Command struct {
	Op   Op
	Args []uint32
}

// String formats c as a protocol line without the newline; ParseCommand
// parses it back to c.
func (c Command) String() string {
	var b strings.Builder
	b.WriteString(c.Op.String())
	for _, a := range c.Args {
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(uint64(a), 10))
	}
	return b.String()
}

// ErrUnknownCommand is wrapped by the error ParseCommand returns for a line
// whose first word is not a command; the message is "unknown command: WORD",
// as NetRL's programs answer.
var ErrUnknownCommand = errors.New("unknown command")

// ErrMalformed is matched (errors.Is) by the error ParseCommand returns for a
// known command with a wrong number of arguments or a bad argument.
var ErrMalformed = errors.New("malformed command")

type malformedError struct{ msg string }

// Error returns the reason.
func (e *malformedError) Error() string { return e.msg }

// Is makes errors.Is(err, ErrMalformed) true.
func (e *malformedError) Is(target error) bool { return target == ErrMalformed }

func malformed(format string, a ...any) error {
	return &malformedError{msg: fmt.Sprintf(format, a...)}
}

// maxArgs bounds the arguments of one line (STEP with one size per UE).
const maxArgs = 1 << 16

// ParseCommand parses one protocol line (with or without its line ending).
// Words are separated by white space; command words are case-sensitive, as
// in NetRL. A blank line gives OpNone and no error: it is skipped, with no
// reply. The argument counts accepted are TRANSMIT 1 to 3 (1..2 on a
// single-UE backend, 2..3 on a multi-UE one), FLUSH 1, RESET and QUIT 0,
// STEP at least 1. Every argument must be a decimal integer in
// [0, 4294967295]; anything else is an error matching ErrMalformed with a
// reason naming the argument, and an unknown command word gives an error
// wrapping ErrUnknownCommand.
func ParseCommand(line string) (Command, error) {
	var c Command
	if err := parseInto(line, &c); err != nil {
		return Command{}, err
	}
	return c, nil
}

// parseInto is ParseCommand reusing c.Args' storage.
func parseInto(line string, c *Command) error {
	c.Op, c.Args = OpNone, c.Args[:0]
	word, rest := nextField(line)
	if word == "" {
		return nil
	}
	switch word {
	case "TRANSMIT":
		c.Op = OpTransmit
	case "FLUSH":
		c.Op = OpFlush
	case "RESET":
		c.Op = OpReset
	case "QUIT":
		c.Op = OpQuit
	case "STEP":
		c.Op = OpStep
	default:
		return fmt.Errorf("%w: %s", ErrUnknownCommand, printable(word))
	}
	n := countAll(0, rest)
	if n > maxArgs {
		return malformed("%s: %d arguments, more than %d", word, n, maxArgs)
	}
	if err := checkCount(c.Op, n); err != nil {
		return err
	}
	for i := range n {
		var a string
		a, rest = nextField(rest)
		v, err := parseUint32(a)
		if err != nil {
			return malformed("%s: %s %s", word, argName(c.Op, n, i), err)
		}
		c.Args = append(c.Args, v)
	}
	return nil
}

// countAll returns n plus the number of words in rest.
func countAll(n int, rest string) int {
	for {
		var a string
		a, rest = nextField(rest)
		if a == "" {
			return n
		}
		n++
	}
}

// checkCount reports a wrong argument count n for op.
func checkCount(op Op, n int) error {
	switch op {
	case OpTransmit:
		if n < 1 || n > 3 {
			return malformed("TRANSMIT takes [ue_id] <step_id> [pkt_size], got %s", plural(n, "argument"))
		}
	case OpFlush:
		if n != 1 {
			return malformed("FLUSH takes 1 argument (<step_id>), got %d", n)
		}
	case OpReset, OpQuit:
		if n != 0 {
			return malformed("%s takes no arguments, got %d", op, n)
		}
	case OpStep:
		if n < 1 {
			return malformed("STEP takes <step_id> [size ...], got no arguments")
		}
	}
	return nil
}

// argName names argument i (from 0) of a line with n arguments.
func argName(op Op, n, i int) string {
	switch op {
	case OpFlush:
		return "step_id"
	case OpTransmit:
		switch {
		case n == 1 || (n == 3 && i == 1):
			return "step_id"
		case n == 3 && i == 0:
			return "ue_id"
		case n == 3 && i == 2:
			return "pkt_size"
		}
	case OpStep:
		switch {
		case i == 0:
			return "step_id"
		case n == 2:
			return "pkt_size"
		default:
			return fmt.Sprintf("size %d (of UE %d)", i, i-1)
		}
	}
	return fmt.Sprintf("argument %d", i+1)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// nextField returns the first white-space separated word of s and the rest.
func nextField(s string) (word, rest string) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !isSpace(s[j]) {
		j++
	}
	return s[i:j], s[j:]
}

// isSpace reports ASCII white space (as C++'s istream and Python's split
// treat it for these lines).
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'
}

// parseUint32 parses a decimal integer in [0, 2^32-1], with a reason when
// it fails.
func parseUint32(s string) (uint32, error) {
	var v uint64
	for i := 0; i < len(s); i++ {
		d := s[i]
		if d < '0' || d > '9' {
			if i == 0 && d == '-' && len(s) > 1 && isDigits(s[1:]) {
				return 0, fmt.Errorf("%s is negative", printable(s))
			}
			return 0, fmt.Errorf("%s is not a non-negative integer", printable(s))
		}
		v = v*10 + uint64(d-'0')
		if v > 1<<32-1 {
			return 0, fmt.Errorf("%s is out of range [0,4294967295]", printable(s))
		}
	}
	return uint32(v), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// printable returns s for a message: as is when it is short, valid UTF-8
// and printable, else quoted and cut to 40 bytes, so that a reply stays one
// valid UTF-8 line.
func printable(s string) string {
	const limit = 40
	ok := len(s) <= limit && utf8.ValidString(s)
	if ok {
		for _, r := range s {
			if !strconv.IsPrint(r) {
				ok = false
				break
			}
		}
	}
	if ok {
		return s
	}
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.QuoteToASCII(s[:cut]) + "..."
	}
	return strconv.QuoteToASCII(s)
}
