package nr5g

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseTddPattern(t *testing.T) {
	p, err := ParseTddPattern(DefaultTddPatternString)
	require.NoError(t, err)
	require.Len(t, p, 10)
	for _, s := range p {
		require.Equal(t, SlotF, s)
	}
	require.Equal(t, DefaultTddPatternString, p.String())
	require.Equal(t, p, DefaultTddPattern())

	p, err = ParseTddPattern("DL|S|UL|F") // trailing '|' optional
	require.NoError(t, err)
	require.Equal(t, TddPattern{SlotDL, SlotS, SlotUL, SlotF}, p)
	require.Equal(t, "DL|S|UL|F|", p.String())

	for _, bad := range []string{"", "|", "F||F", "F|X|", "dl|UL", "F|F| "} {
		_, err := ParseTddPattern(bad)
		require.Error(t, err, "%q", bad)
	}
	require.Error(t, TddPattern{}.Validate())
	require.Error(t, TddPattern{SlotType(4)}.Validate())
}

// NrPhy::IsTdd, HasDlSlot, HasUlSlot.
func TestTddPatternKinds(t *testing.T) {
	for _, tc := range []struct {
		p           string
		tdd, dl, ul bool
	}{
		{"F|F|", true, true, true},
		{"DL|S|UL|", true, true, true},
		{"DL|DL|", false, true, false},
		{"DL|S|", false, true, true}, // S counts as UL for HasUlSlot only
		{"UL|UL|", false, false, true},
		{"S|S|", true, true, true},
	} {
		p, err := ParseTddPattern(tc.p)
		require.NoError(t, err)
		require.Equal(t, tc.tdd, p.IsTdd(), tc.p)
		require.Equal(t, tc.dl, p.HasDlSlot(), tc.p)
		require.Equal(t, tc.ul, p.HasUlSlot(), tc.p)
	}
	require.True(t, SlotF.HasDl() && SlotF.HasUl() && SlotF.HasUlCtrl())
	require.True(t, SlotS.HasDl() && !SlotS.HasUl() && SlotS.HasUlCtrl())
	require.True(t, !SlotUL.HasDl() && SlotUL.HasUl())
	require.True(t, SlotDL.HasDl() && !SlotDL.HasUlCtrl())
}

// The expected structures are those of 5G-LENA's own test of
// NrGnbPhy::GenerateStructuresFromPattern (test/nr-lte-pattern-generation.cc,
// NrPatternTestCase::DoRun), which uses n0 = 0, n2 = 2, n1 = 4 and
// L1L2CtrlLatency 2.
func TestTddTimingsLena(t *testing.T) {
	for _, tc := range []struct {
		pattern                                    string
		toSendDl, toSendUl, generateDl, generateUl map[int][]int
		k1                                         map[int]int
	}{
		{"DL|S|UL|UL|DL|DL|S|UL|UL|DL|",
			map[int][]int{0: {0}, 1: {0}, 4: {0}, 5: {0}, 6: {0}, 9: {0}},
			map[int][]int{0: {2}, 1: {2}, 5: {2}, 6: {2}},
			map[int][]int{2: {2}, 3: {2}, 4: {2}, 7: {2}, 8: {2}, 9: {2}},
			map[int][]int{3: {4}, 4: {4}, 8: {4}, 9: {4}},
			map[int]int{0: 6, 1: 5, 4: 4, 5: 6, 6: 5, 9: 4}},
		{"DL|S|UL|DL|DL|DL|S|UL|DL|DL|",
			map[int][]int{0: {0}, 1: {0}, 3: {0}, 4: {0}, 5: {0}, 6: {0}, 8: {0}, 9: {0}},
			map[int][]int{0: {2}, 5: {2}},
			map[int][]int{1: {2}, 2: {2}, 3: {2}, 4: {2}, 6: {2}, 7: {2}, 8: {2}, 9: {2}},
			map[int][]int{3: {4}, 8: {4}},
			map[int]int{0: 6, 1: 5, 3: 4, 4: 7, 5: 6, 6: 5, 8: 4, 9: 7}},
		{"DL|S|UL|UL|UL|DL|DL|DL|DL|DL|",
			map[int][]int{0: {0}, 1: {0}, 5: {0}, 6: {0}, 7: {0}, 8: {0}, 9: {0}},
			map[int][]int{0: {2}, 1: {2, 3}},
			map[int][]int{3: {2}, 4: {2}, 5: {2}, 6: {2}, 7: {2}, 8: {2}, 9: {2}},
			map[int][]int{8: {4}, 9: {4, 5}},
			map[int]int{0: 4, 1: 10, 5: 6, 6: 5, 7: 4, 8: 4, 9: 4}},
		{"DL|S|UL|DL|DL|DL|DL|DL|DL|DL|",
			map[int][]int{0: {0}, 1: {0}, 3: {0}, 4: {0}, 5: {0}, 6: {0}, 7: {0}, 8: {0}, 9: {0}},
			map[int][]int{0: {2}},
			map[int][]int{1: {2}, 2: {2}, 3: {2}, 4: {2}, 5: {2}, 6: {2}, 7: {2}, 8: {2}, 9: {2}},
			map[int][]int{8: {4}},
			map[int]int{0: 11, 1: 10, 3: 8, 4: 7, 5: 6, 6: 5, 7: 4, 8: 4, 9: 12}},
		{"DL|S|UL|UL|UL|DL|S|UL|UL|UL|",
			map[int][]int{0: {0}, 1: {0}, 5: {0}, 6: {0}},
			map[int][]int{0: {2}, 1: {2, 3}, 5: {2}, 6: {2, 3}},
			map[int][]int{3: {2}, 4: {2}, 8: {2}, 9: {2}},
			map[int][]int{3: {4}, 4: {4, 5}, 8: {4}, 9: {4, 5}},
			map[int]int{0: 4, 1: 5, 5: 4, 6: 5}},
		{"DL|F|UL|UL|UL|",
			map[int][]int{0: {0}, 1: {0}},
			map[int][]int{0: {2}, 1: {5, 2, 3}},
			map[int][]int{3: {2}, 4: {2}},
			map[int][]int{3: {4}, 4: {4, 5, 7}},
			map[int]int{0: 4, 1: 5}},
		{"F|F|F|F|F|F|F|F|F|F|",
			map[int][]int{0: {0}, 1: {0}, 2: {0}, 3: {0}, 4: {0}, 5: {0}, 6: {0}, 7: {0}, 8: {0}, 9: {0}},
			map[int][]int{0: {2}, 1: {2}, 2: {2}, 3: {2}, 4: {2}, 5: {2}, 6: {2}, 7: {2}, 8: {2}, 9: {2}},
			map[int][]int{0: {2}, 1: {2}, 2: {2}, 3: {2}, 4: {2}, 5: {2}, 6: {2}, 7: {2}, 8: {2}, 9: {2}},
			map[int][]int{0: {4}, 1: {4}, 2: {4}, 3: {4}, 4: {4}, 5: {4}, 6: {4}, 7: {4}, 8: {4}, 9: {4}},
			map[int]int{0: 4, 1: 4, 2: 4, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 4, 9: 4}},
		{"DL|DL|F|F|F|UL|UL|UL|UL|UL|UL|UL|",
			map[int][]int{0: {0}, 1: {0}, 2: {0}, 3: {0}, 4: {0}},
			map[int][]int{0: {2}, 1: {2}, 2: {2}, 3: {2}, 4: {2, 3, 4, 5, 6, 7}},
			map[int][]int{0: {2}, 1: {2}, 2: {2}, 10: {2}, 11: {2}},
			map[int][]int{0: {4}, 1: {4}, 2: {4, 5, 6, 7, 8, 9}, 10: {4}, 11: {4}},
			map[int]int{0: 4, 1: 4, 2: 4, 3: 4, 4: 4}},
		{"DL|DL|DL|DL|DL|DL|DL|DL|DL|DL|", // FDD DL: timed as all F, no UL generation
			map[int][]int{0: {0}, 1: {0}, 2: {0}, 3: {0}, 4: {0}, 5: {0}, 6: {0}, 7: {0}, 8: {0}, 9: {0}},
			map[int][]int{0: {2}, 1: {2}, 2: {2}, 3: {2}, 4: {2}, 5: {2}, 6: {2}, 7: {2}, 8: {2}, 9: {2}},
			map[int][]int{0: {2}, 1: {2}, 2: {2}, 3: {2}, 4: {2}, 5: {2}, 6: {2}, 7: {2}, 8: {2}, 9: {2}},
			map[int][]int{},
			map[int]int{0: 4, 1: 4, 2: 4, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 4, 9: 4}},
	} {
		p, err := ParseTddPattern(tc.pattern)
		require.NoError(t, err)
		got, err := p.Timings(0, 4, 2, 2)
		require.NoError(t, err)
		asMap := func(l [][]int) map[int][]int {
			m := map[int][]int{}
			for i, v := range l {
				if len(v) > 0 {
					m[i] = v
				}
			}
			return m
		}
		require.Equal(t, tc.toSendDl, asMap(got.ToSendDl), "%s ToSendDl", tc.pattern)
		require.Equal(t, tc.toSendUl, asMap(got.ToSendUl), "%s ToSendUl", tc.pattern)
		require.Equal(t, tc.generateDl, asMap(got.GenerateDl), "%s GenerateDl", tc.pattern)
		require.Equal(t, tc.generateUl, asMap(got.GenerateUl), "%s GenerateUl", tc.pattern)
		k1 := map[int]int{}
		for i, k := range got.K1 {
			if k >= 0 {
				k1[i] = k
			}
		}
		require.Equal(t, tc.k1, k1, "%s K1", tc.pattern)
	}
}

// With 5G-LENA's defaults (all F, N0 0, N1 2, N2 2, L1L2 2): K0 = 0, K1 =
// 2, K2 = 2; DL is scheduled 2 slots ahead, UL 4.
func TestTddTimingsDefault(t *testing.T) {
	tm, err := DefaultPhyConfig().Timings()
	require.NoError(t, err)
	for i := range 10 {
		require.Equal(t, []int{0}, tm.ToSendDl[i])
		require.Equal(t, []int{2}, tm.ToSendUl[i])
		require.Equal(t, []int{2}, tm.GenerateDl[i])
		require.Equal(t, []int{4}, tm.GenerateUl[i])
		require.Equal(t, 2, tm.K1[i])
	}
	_, err = DefaultTddPattern().Timings(-1, 2, 2, 2)
	require.Error(t, err)
	_, err = TddPattern{}.Timings(0, 2, 2, 2)
	require.Error(t, err)
}
