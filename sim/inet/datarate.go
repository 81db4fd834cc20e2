package inet

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// dataRateUnits are the units ns-3 3.37's DataRate::DoParse accepts
// (src/network/utils/data-rate.cc), with their factors in bit/s, in the
// order its documentation lists them.
var dataRateUnits = [...]struct {
	unit   string
	factor float64
}{
	{"bps", 1}, {"b/s", 1}, {"Bps", 8}, {"B/s", 8},
	{"kbps", 1000}, {"kb/s", 1000}, {"Kbps", 1000}, {"Kb/s", 1000},
	{"kBps", 8000}, {"kB/s", 8000}, {"KBps", 8000}, {"KB/s", 8000},
	{"Kib/s", 1024}, {"KiB/s", 8192},
	{"Mbps", 1e6}, {"Mb/s", 1e6}, {"MBps", 8e6}, {"MB/s", 8e6},
	{"Mib/s", 1048576}, {"MiB/s", 1048576 * 8},
	{"Gbps", 1e9}, {"Gb/s", 1e9}, {"GBps", 8e9}, {"GB/s", 8e9},
	{"Gib/s", 1048576 * 1024}, {"GiB/s", 1048576 * 1024 * 8},
}

// DataRateUnits returns the units ParseDataRate accepts, ns-3's.
func DataRateUnits() []string {
	out := make([]string, len(dataRateUnits))
	for i, u := range dataRateUnits {
		out[i] = u.unit
	}
	return out
}

// ParseDataRate parses a rate written as ns-3's DataRate attribute values
// are ("10Mbps", "1.5Gb/s", "500kbps", "64KiB/s", "1000000"): a decimal
// number followed without a space by one of the units of DataRateUnits
// (k and K are 1000, Ki 1024, B a byte of 8 bits), or a whole number of
// bit/s without a unit. As ns-3's DataRate::DoParse, the result is the
// number times the unit's factor truncated to a whole bit/s. An unknown
// unit, a missing or malformed number, a space, a negative or a rate
// beyond 2^64-1 bit/s is an error that names the value and the accepted
// units.
func ParseDataRate(s string) (DataRate, error) {
	n := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if n < 0 {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("inet: data rate %q: want a number and a unit, e.g. \"10Mbps\", or a whole number of bit/s", s)
		}
		return DataRate(v), nil
	}
	num, unit := s[:n], s[n:]
	factor := 0.0
	for _, u := range dataRateUnits {
		if u.unit == unit {
			factor = u.factor
			break
		}
	}
	if factor == 0 {
		return 0, fmt.Errorf("inet: data rate %q: unknown unit %q (accepted: %s)", s, unit, strings.Join(DataRateUnits(), ", "))
	}
	r, err := strconv.ParseFloat(num, 64)
	if num == "" || err != nil {
		return 0, fmt.Errorf("inet: data rate %q: %q is not a non-negative decimal number", s, num)
	}
	v := r * factor
	if v >= math.MaxUint64 {
		return 0, fmt.Errorf("inet: data rate %q exceeds %d bit/s", s, uint64(math.MaxUint64))
	}
	return DataRate(v), nil
}

// MustParseDataRate is ParseDataRate for constants in programs and tests:
// it panics on a malformed rate. Use ParseDataRate for user input.
func MustParseDataRate(s string) DataRate {
	r, err := ParseDataRate(s)
	if err != nil {
		panic(err)
	}
	return r
}

// UnmarshalText parses text with ParseDataRate, so that a DataRate field
// reads from JSON strings, flags (flag.TextVar) and the like.
func (r *DataRate) UnmarshalText(text []byte) error {
	v, err := ParseDataRate(string(text))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalText formats r with String ("100Mbps"), which ParseDataRate reads
// back.
func (r DataRate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }
