// SPDX-License-Identifier: GPL-2.0-only

// Package chantest fuzzes NetRL's line protocol over a simulated backend:
// Program turns fuzz bytes into command lines and CheckServe checks what
// every backend behind channelif.Serve must do with them. The fuzz targets
// of channelif/wifi, channelif/nr and channelif/mmwave are built on it.
package chantest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// MaxLines is the most lines Program returns.
const MaxLines = 200

// Program turns fuzz bytes into protocol lines, 4 bytes a command: the
// command, a step id below 4096 (near the previous one most of the time,
// so that packets are in flight), a UE when ues > 0 (one past the last UE
// too, which must give an ERROR) and a size up to 3060 bytes (beyond every
// backend's largest payload), sometimes missing. Blank and unknown lines
// are in the mix too. ues is 0 for a single-link backend (TRANSMIT <step>
// [size]) and the number of UEs for a multi-UE one (TRANSMIT <ue> <step>
// [size]).
func Program(data []byte, ues int) []string {
	var lines []string
	step := 0
	for i := 0; i+4 <= len(data) && len(lines) < MaxLines; i += 4 {
		op, a, b, c := data[i], int(data[i+1]), int(data[i+2]), int(data[i+3])
		switch {
		case a < 200:
			step += a % 4
		default:
			step = (a<<8 | b) % 4096
		}
		size := strconv.Itoa(c * 12)
		if c%5 == 0 {
			size = ""
		}
		var l string
		switch op % 9 {
		case 0, 1:
			if ues > 0 {
				l = fmt.Sprintf("TRANSMIT %d %d %s", b%(ues+1), step, size)
			} else {
				l = fmt.Sprintf("TRANSMIT %d %s", step, size)
			}
		case 2, 3:
			l = fmt.Sprintf("FLUSH %d", step)
		case 4, 5:
			l = fmt.Sprintf("STEP %d %s", step, size)
		case 6:
			l = "RESET"
		case 7:
			l = "   "
		default:
			l = fmt.Sprintf("BOGUS %d", op)
		}
		lines = append(lines, strings.TrimSpace(l)+"\n")
	}
	return lines
}

// CheckServe runs serve (a fresh backend behind channelif.Serve, fed the
// given input, returning its output) on lines and checks that every
// non-blank line gets exactly one reply (OK, RECV ... or ERROR ...), that
// a TRANSMIT or STEP with a size above maxSize (the backend's largest
// payload) or a UE past the last gets an ERROR, that every id received was
// transmitted in the same episode (since the last RESET) and arrives at
// most as often as it was sent, and that the same commands give the same
// replies on a second run. Ids are "<step>" for a single-link backend (ues
// 0) and "<ue>:<step>" for a multi-UE one, whose STEP sends one packet per
// UE.
func CheckServe(t testing.TB, lines []string, ues, maxSize int, serve func(input string) string) {
	t.Helper()
	input := strings.Join(lines, "")
	got := serve(input)
	var replies []string
	if got != "" {
		replies = strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	}
	want := 0
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			want++
		}
	}
	if len(replies) != want {
		t.Fatalf("%d replies for %d commands:\n%s\n--\n%s", len(replies), want, input, got)
	}
	sent := map[string]int{}
	k := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		r := replies[k]
		k++
		f := strings.Fields(l)
		if bad := outOfRange(f, ues, maxSize); bad != "" && !strings.HasPrefix(r, "ERROR ") {
			t.Fatalf("%q answered %q: %s must be an ERROR", strings.TrimSpace(l), r, bad)
		}
		switch {
		case f[0] == "RESET" && r == "OK":
			clear(sent)
		case f[0] == "TRANSMIT" && r == "OK":
			if ues > 0 {
				sent[f[1]+":"+f[2]]++
			} else {
				sent[f[1]]++
			}
		case f[0] == "STEP" && strings.HasPrefix(r, "RECV"):
			if len(f) < 3 || f[2] != "0" {
				if ues == 0 {
					sent[f[1]]++
				}
				for ue := range ues {
					sent[strconv.Itoa(ue)+":"+f[1]]++
				}
			}
		}
		if strings.HasPrefix(r, "RECV") {
			for _, id := range strings.Fields(r)[1:] {
				if sent[id] == 0 {
					t.Fatalf("%q received but not in flight; command %q\n%s\n--\n%s", id, l, input, got)
				}
				sent[id]--
			}
		} else if r != "OK" && !strings.HasPrefix(r, "ERROR ") {
			t.Fatalf("bad reply %q to %q", r, l)
		}
	}
	if again := serve(input); again != got {
		t.Fatalf("same commands, different replies:\n%s\n--\n%s", got, again)
	}
}

// outOfRange says what in a TRANSMIT or STEP line a backend must refuse:
// a UE past the last, a size above maxSize; "" if nothing.
func outOfRange(f []string, ues, maxSize int) string {
	var size string
	switch {
	case f[0] == "TRANSMIT" && ues > 0 && len(f) >= 3:
		if ue, err := strconv.Atoi(f[1]); err == nil && ue >= ues {
			return "a UE past the last"
		}
		if len(f) > 3 {
			size = f[3]
		}
	case f[0] == "TRANSMIT" && ues == 0 && len(f) > 2:
		size = f[2]
	case f[0] == "STEP" && len(f) > 2:
		size = f[2]
	}
	if n, err := strconv.Atoi(size); err == nil && n > maxSize {
		return fmt.Sprintf("a size above %d bytes", maxSize)
	}
	return ""
}
