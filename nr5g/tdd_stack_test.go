package nr5g

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// TestTddPatternStack: with a TDD pattern (DL|S|UL|UL|DL) every block goes
// in a slot of its direction, DCIs and HARQ feedback follow the pattern's
// K0, K1 and K2, and datagrams flow both ways.
func TestTddPatternStack(t *testing.T) {
	for _, ps := range []string{"DL|S|UL|UL|DL|", "DL|DL|DL|F|UL|UL|UL|UL|UL|UL|", "F|"} {
		p, err := ParseTddPattern(ps)
		require.NoError(t, err)
		tn := newTestNet(t, 1, 20e6, 20, func(c *NetworkConfig) { c.Gnb.Phy.Pattern = p })
		tn.s.RunUntil(40 * sim.Millisecond)
		require.True(t, tn.ue.Ready(), ps)
		var up []uint64
		for i := range 50 {
			tn.s.RunUntil(40*sim.Millisecond + sim.Time(i)*2*sim.Millisecond)
			up = append(up, tn.send(t, 300))
			require.NoError(t, tn.down.SendTo(300, tn.ue.UE().Address(), 5000))
		}
		tn.s.RunUntil(200 * sim.Millisecond)
		for _, uid := range up {
			require.Contains(t, tn.arrived, uid, ps)
		}
		require.Equal(t, 50*300, tn.ueRx, ps)
		for _, tb := range tn.tbs {
			st := p[tb.Slot%uint64(len(p))]
			if tb.Dir == Uplink {
				require.True(t, st.HasUl(), "%s: UL block in a %v slot", ps, st)
			} else {
				require.True(t, st.HasDl(), "%s: DL block in a %v slot", ps, st)
			}
		}
	}
}
