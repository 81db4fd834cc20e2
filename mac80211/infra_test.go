package mac80211

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/internal/validation"
	"github.com/netgym/netgym/sim"
)

// TestInfrastructureAssociationAndThroughput: with passive scanning (ns-3's
// WaitBeaconTimeout 120 ms) every station on a 5 m ring associates within
// 200 ms (ns-3 3.37: the first at about 120.5 ms, all 50 by about 150 ms),
// and saturation goodput through the AP stays within 3% of ad-hoc.
func TestInfrastructureAssociationAndThroughput(t *testing.T) {
	validation.Run(t, "association and saturation goodput of 8 and 50 stations against ns-3")
	for _, n := range []int{8, 50} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			cfg := DefaultSaturationConfig()
			cfg.N = n
			cfg.Duration = 2 * sim.Second
			cfg.StaticARP = true
			adhoc, err := RunSaturation(cfg)
			require.NoError(t, err)
			cfg.Infra = true
			infra, err := RunSaturation(cfg)
			require.NoError(t, err)
			require.Len(t, infra.AssocMs, n)
			for i, ms := range infra.AssocMs {
				assert.GreaterOrEqual(t, ms, 120.0, "station %d associated before the beacon wait ended", i)
				assert.Less(t, ms, 200.0, "station %d", i)
			}
			assert.InEpsilon(t, adhoc.ThroughputMbps, infra.ThroughputMbps, 0.03)
		})
	}
}

func TestStaWithoutAssociationDropsData(t *testing.T) {
	cfg := DefaultSaturationConfig()
	cfg.N = 2
	cfg.Infra = true
	cfg.Warmup = 50 * sim.Millisecond // traffic starts before anyone associated
	cfg.Duration = 50 * sim.Millisecond
	res, err := RunSaturation(cfg)
	require.NoError(t, err)
	assert.Zero(t, res.ThroughputMbps)
	require.Len(t, res.AssocMs, 2)
	for _, ms := range res.AssocMs {
		assert.True(t, math.IsNaN(ms), "no station can associate before the 120 ms beacon wait ends")
	}
}
