package mac80211

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// refInterference is the NI change list kept the plain way (ns-3's
// multimap as a sorted slice, no array kept or given back), against which
// the tracker's array reuse is checked.
type refInterference struct {
	ch         []niChange
	firstPower float64
	rxing      bool
}

func (r *refInterference) upperBound(t sim.Time) int {
	return sort.Search(len(r.ch), func(i int) bool { return r.ch[i].t > t })
}

func (r *refInterference) add(id uint64, start, end sim.Time, w float64) {
	ps := r.upperBound(start) - 1
	powerStart := r.ch[ps].power
	powerEnd := r.ch[r.upperBound(end)-1].power
	if !r.rxing {
		r.firstPower = powerStart
		if ps >= 1 {
			r.ch = append(r.ch[:1], r.ch[ps+1:]...)
		}
	}
	first := r.upperBound(start)
	r.ch = append(r.ch[:first], append([]niChange{{t: start, power: powerStart, sig: id}}, r.ch[first:]...)...)
	last := r.upperBound(end)
	r.ch = append(r.ch[:last], append([]niChange{{t: end, power: powerEnd, sig: id}}, r.ch[last:]...)...)
	for i := first; i < last; i++ {
		r.ch[i].power += w
	}
}

// The tracker keeps exactly the list a plain sorted slice keeps, through
// bursts that grow it to thousands of points while receiving, erasures that
// shorten it, and searches for any time.
func TestInterferenceListMatchesPlainSlice(t *testing.T) {
	for seed := range uint64(8) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var in interference
		in.init(7, nil)
		ref := refInterference{ch: []niChange{{}}}
		now := sim.Time(0)
		longest := 0
		for op := range 20000 {
			// Phases of dense receiving (no erasure) and of quiet.
			burst := (op/2000)%2 == 1
			now += sim.Time(rng.IntN(40)) // equal times too
			switch x := rng.IntN(100); {
			case x < 70:
				end := now + sim.Time(1+rng.IntN(300))
				if rng.IntN(10) == 0 {
					end = now + sim.Time(rng.IntN(3)) // ends at or next to a start
				}
				w := rng.Float64() * 1e-9
				in.add(uint64(op+1), now, end, w)
				ref.add(uint64(op+1), now, end, w)
			case x < 85 || burst:
				in.notifyRxStart()
				ref.rxing = true
			default:
				at := now - sim.Time(rng.IntN(50))
				in.notifyRxEnd(at)
				ref.rxing = false
				if i := ref.upperBound(at) - 1; i >= 1 {
					ref.firstPower = ref.ch[i-1].power
				}
			}
			if !slices.Equal(ref.ch, in.ch) {
				require.Equal(t, ref.ch, in.ch, "seed %d op %d", seed, op)
			}
			require.Equal(t, ref.firstPower, in.firstPower, "seed %d op %d", seed, op)
			q := now + sim.Time(rng.IntN(400)) - 200
			require.Equal(t, ref.upperBound(q), in.upperBound(q), "seed %d op %d: upperBound(%d)", seed, op, q)
			lb := sort.Search(len(ref.ch), func(i int) bool { return ref.ch[i].t >= q })
			require.Equal(t, lb, in.lowerBound(q), "seed %d op %d: lowerBound(%d)", seed, op, q)
			longest = max(longest, len(in.ch))
		}
		require.Greater(t, longest, 1000, "seed %d: the bursts must grow the list", seed)
		require.LessOrEqual(t, cap(in.ch), 8*longest, "seed %d: the array stays bounded", seed)
	}
}
