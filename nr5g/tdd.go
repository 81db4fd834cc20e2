package nr5g

import (
	"fmt"
	"slices"
	"strings"
)

// SlotType is the kind of a slot in a TDD pattern (5G-LENA's
// LteNrTddSlotType, nr-control-messages.h). The numeric order is 5G-LENA's
// and matters: the timing rules compare types (DL < S < F < UL).
type SlotType uint8

// The slot types of 5G-LENA's patterns.
const (
	SlotDL SlotType = iota // DL control + DL data
	SlotS                  // DL control + DL data + UL control
	SlotF                  // DL control + DL data + UL data + UL control
	SlotUL                 // UL data + UL control
)

// String returns the pattern token of t ("DL", "S", "F", "UL").
func (t SlotType) String() string {
	switch t {
	case SlotDL:
		return "DL"
	case SlotS:
		return "S"
	case SlotF:
		return "F"
	case SlotUL:
		return "UL"
	}
	return fmt.Sprintf("SlotType(%d)", uint8(t))
}

// HasDl reports whether a slot of this type carries DL control and data.
func (t SlotType) HasDl() bool { return t != SlotUL }

// HasUl reports whether a slot of this type carries UL data.
func (t SlotType) HasUl() bool { return t == SlotF || t == SlotUL }

// HasUlCtrl reports whether a slot of this type carries UL control.
func (t SlotType) HasUlCtrl() bool { return t != SlotDL }

// TddPattern is a TDD slot pattern, repeated over time: slot n of the
// simulation has type p[n % len(p)].
type TddPattern []SlotType

// DefaultTddPatternString is NrGnbPhy's Pattern attribute: ten flexible
// slots, so that every slot carries DL and UL.
const DefaultTddPatternString = "F|F|F|F|F|F|F|F|F|F|"

// DefaultTddPattern returns 5G-LENA's default pattern, ten F slots.
func DefaultTddPattern() TddPattern {
	p, _ := ParseTddPattern(DefaultTddPatternString)
	return p
}

// ParseTddPattern parses a pattern string as NrGnbPhy::SetPattern does:
// tokens DL, UL, F and S separated by '|', with an optional trailing '|'
// ("F|F|UL|DL|"). An empty token or an unknown one is an error.
func ParseTddPattern(s string) (TddPattern, error) {
	s = strings.TrimSuffix(s, "|")
	if s == "" {
		return nil, fmt.Errorf("nr5g: empty TDD pattern")
	}
	tokens := strings.Split(s, "|")
	p := make(TddPattern, len(tokens))
	for i, tok := range tokens {
		switch tok {
		case "DL":
			p[i] = SlotDL
		case "UL":
			p[i] = SlotUL
		case "S":
			p[i] = SlotS
		case "F":
			p[i] = SlotF
		default:
			return nil, fmt.Errorf("nr5g: TDD pattern %q: slot %d type %q not valid, valid values are DL UL F S", s, i, tok)
		}
	}
	return p, nil
}

// String formats p as NrPhy::GetPattern does: every token followed by '|'.
func (p TddPattern) String() string {
	var b strings.Builder
	for _, t := range p {
		b.WriteString(t.String())
		b.WriteByte('|')
	}
	return b.String()
}

// Validate reports whether p is non-empty and holds only known slot types.
func (p TddPattern) Validate() error {
	if len(p) == 0 {
		return fmt.Errorf("nr5g: empty TDD pattern")
	}
	for i, t := range p {
		if t > SlotUL {
			return fmt.Errorf("nr5g: TDD pattern slot %d has unknown type %d", i, uint8(t))
		}
	}
	return nil
}

// IsTdd reports whether p describes TDD, as NrPhy::IsTdd decides: true if
// any slot is F, else true unless the pattern has only DL (and S) slots or
// only UL (and S) slots, which 5G-LENA takes for one direction of an FDD pair.
func (p TddPattern) IsTdd() bool {
	anUl, aDl := false, false
	for _, t := range p {
		switch t {
		case SlotF:
			return true
		case SlotUL:
			anUl = true
		case SlotDL:
			aDl = true
		}
	}
	return anUl == aDl
}

// HasDlSlot reports whether some slot carries DL data (F, DL or S), as
// NrPhy::HasDlSlot.
func (p TddPattern) HasDlSlot() bool {
	for _, t := range p {
		if t == SlotF || t == SlotDL || t == SlotS {
			return true
		}
	}
	return false
}

// HasUlSlot reports whether some slot carries UL (F, UL or S), as
// NrPhy::HasUlSlot (which counts S for its UL control symbol).
func (p TddPattern) HasUlSlot() bool {
	for _, t := range p {
		if t == SlotF || t == SlotUL || t == SlotS {
			return true
		}
	}
	return false
}

// TddTimings are the per-slot scheduling offsets that
// NrGnbPhy::GenerateStructuresFromPattern derives from a pattern and the
// processing delays. Each slice has one entry per slot of the pattern,
// indexed by the slot's position in it; an empty inner slice means nothing
// happens in that slot.
type TddTimings struct {
	// ToSendDl[i] lists the K0 of the DL data slots whose DCI is sent in
	// slot i (the data goes in slot i + K0).
	ToSendDl [][]int
	// ToSendUl[i] lists the K2 of the UL data slots whose DCI is sent in
	// slot i (the data goes in slot i + K2).
	ToSendUl [][]int
	// GenerateDl[i] lists K0 + L1L2CtrlLatency, ascending: in slot i the
	// MAC schedules the DL of slot i + k.
	GenerateDl [][]int
	// GenerateUl[i] lists K2 + L1L2CtrlLatency, ascending: in slot i the
	// MAC schedules the UL of slot i + k.
	GenerateUl [][]int
	// K1[i] is the number of slots from DL data in slot i to its HARQ
	// feedback, or -1 if slot i carries no DL data.
	K1 []int
}

// Timings computes the TddTimings of p for processing delays n0 (DL DCI to
// DL data), n1 (DL data to HARQ feedback), n2 (UL DCI to UL data), in
// slots, and the L1/L2 control latency l1l2 (5G-LENA: 2 slots), following
// NrGnbPhy::GenerateStructuresFromPattern: the DCI of a data slot goes in
// the nearest earlier slot, at least n slots before, that can carry DL
// control (not UL); HARQ feedback goes in the nearest slot, at least n1
// after, that carries UL control (not DL). A pattern that is not TDD
// (IsTdd false) is timed as if all its slots were F, as 5G-LENA does for
// an FDD band, and then keeps only its own direction's Generate lists.
//
// Note that NrGnbPhy::SetTddPattern passes n0 = 0 whatever its N0Delay
// attribute says; PhyConfig.Timings does the same.
func (p TddPattern) Timings(n0, n1, n2, l1l2 int) (TddTimings, error) {
	if err := p.Validate(); err != nil {
		return TddTimings{}, err
	}
	if n0 < 0 || n1 < 0 || n2 < 0 || l1l2 < 0 {
		return TddTimings{}, fmt.Errorf("nr5g: negative processing delay (n0 %d, n1 %d, n2 %d, l1l2 %d)", n0, n1, n2, l1l2)
	}
	n := len(p)
	gen := p
	if !p.IsTdd() {
		gen = make(TddPattern, n)
		for i := range gen {
			gen[i] = SlotF
		}
	}
	t := TddTimings{
		ToSendDl:   make([][]int, n),
		ToSendUl:   make([][]int, n),
		GenerateDl: make([][]int, n),
		GenerateUl: make([][]int, n),
		K1:         make([]int, n),
	}
	for i := range t.K1 {
		t.K1[i] = -1
	}
	mod := func(x int) int { return ((x % n) + n) % n }
	// dci finds the slot that sends the DCI of data slot pos (ReturnDciSlot).
	dci := func(pos, k int) (int, int, error) {
		for range n + 1 {
			idx := mod(pos - k)
			if gen[idx] <= SlotF {
				return idx, k, nil
			}
			k++
		}
		return 0, 0, fmt.Errorf("nr5g: TDD pattern %v has no slot for the DCI of slot %d", p, pos)
	}
	add := func(send, generate [][]int, pos, k int) error {
		idx, k, err := dci(pos, k)
		if err != nil {
			return err
		}
		send[idx] = append(send[idx], k)
		g := mod(idx - l1l2)
		generate[g] = append(generate[g], k+l1l2)
		return nil
	}
	harq := func(pos int) (int, error) { // ReturnHarqSlot
		k := n1
		for range n + 1 {
			if gen[mod(pos+k)] >= SlotS {
				return k, nil
			}
			k++
		}
		return 0, fmt.Errorf("nr5g: TDD pattern %v has no slot for the HARQ feedback of slot %d", p, pos)
	}
	for i, st := range gen {
		if st == SlotUL || st == SlotF {
			if err := add(t.ToSendUl, t.GenerateUl, i, n2); err != nil {
				return TddTimings{}, err
			}
		}
		if st != SlotUL {
			if err := add(t.ToSendDl, t.GenerateDl, i, n0); err != nil {
				return TddTimings{}, err
			}
			k1, err := harq(i)
			if err != nil {
				return TddTimings{}, err
			}
			t.K1[i] = k1
		}
	}
	if !p.IsTdd() {
		if p.HasUlSlot() {
			t.GenerateDl = make([][]int, n)
		} else {
			t.GenerateUl = make([][]int, n)
		}
	}
	for _, l := range t.GenerateDl {
		slices.Sort(l)
	}
	for _, l := range t.GenerateUl {
		slices.Sort(l)
	}
	return t, nil
}
