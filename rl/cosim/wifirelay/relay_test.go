package wifirelay_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/cosim/wifirelay"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

func get(t *testing.T, r *wifirelay.Relay, name string) spaces.Value {
	t.Helper()
	v, err := r.Get(name)
	require.NoError(t, err)
	return v
}

func count(t *testing.T, r *wifirelay.Relay, name string) uint32 {
	return get(t, r, name).(*spaces.BoxValue).Uints[0]
}

func seconds(t *testing.T, r *wifirelay.Relay, name string) float64 {
	return get(t, r, name).(*spaces.BoxValue).Doubles[0]
}

// 100 values each way, one every 20 ms, sent at the same instant (so the
// two directions contend): all arrive at 10 m, fewer with distance, as
// the 4 dB shadowing spreads the cliff of LogDistance (the same figures
// as rl-wifi's delivery).
func TestRelayDeliveryVersusDistance(t *testing.T) {
	for _, tc := range []struct {
		distance       float64
		up, down       uint32
		upLat, downLat float64 // of the last value to arrive, seconds
	}{
		{10, 100, 100, 0.000185033, 0.000565066},
		{40, 97, 94, 0.000444133, 0.001187266},
		{50, 75, 71, 0.002879167, 0.011644334},
		{60, 30, 30, 0.0080234, 0.0062282},
		{100, 2, 1, 0.001198334, 0.002328334},
	} {
		cfg := wifirelay.DefaultConfig()
		cfg.Distance = tc.distance
		r, err := wifirelay.New(cfg, 1)
		require.NoError(t, err)
		require.Nil(t, get(t, r, "uplink/out"), "nothing has arrived yet")
		for i := range 100 {
			require.NoError(t, r.Set("uplink/in", spaces.DoubleBox(float64(i), 1, 2, 3)))
			require.NoError(t, r.Set("downlink/in", spaces.DoubleBox(float64(-i))))
			require.NoError(t, r.Advance(20*sim.Millisecond))
		}
		require.Equal(t, uint32(100), count(t, r, "uplink/sent"))
		require.Equal(t, uint32(100), count(t, r, "downlink/sent"))
		require.Equal(t, tc.up, count(t, r, "uplink/received"), "distance %v", tc.distance)
		require.Equal(t, tc.down, count(t, r, "downlink/received"), "distance %v", tc.distance)
		require.InDelta(t, tc.upLat, seconds(t, r, "uplink/latency_s"), 1e-9)
		require.InDelta(t, tc.downLat, seconds(t, r, "downlink/latency_s"), 1e-9)
		require.Equal(t, 2*sim.Second, r.Now())
	}
}

// The value that arrives is the one sent; Reset starts an empty episode;
// the relay ends at End.
func TestRelayValuesResetEnd(t *testing.T) {
	cfg := wifirelay.DefaultConfig()
	cfg.End = 50 * sim.Millisecond
	r, err := wifirelay.New(cfg, 1)
	require.NoError(t, err)
	require.NoError(t, r.Set("uplink/in", spaces.DoubleBox(0.5, -1, 2, 4)))
	require.NoError(t, r.Advance(10*sim.Millisecond))
	require.Equal(t, spaces.DoubleBox(0.5, -1, 2, 4), get(t, r, "uplink/out"))
	require.Nil(t, get(t, r, "downlink/out"))
	require.NoError(t, r.Advance(sim.Second))
	require.True(t, r.Done())
	require.Equal(t, cfg.End, r.Now())
	require.ErrorIs(t, r.Advance(1), rl.ErrEpisodeDone)
	require.NoError(t, r.Reset(1, 2))
	require.Nil(t, get(t, r, "uplink/out"))
	require.Equal(t, uint32(0), count(t, r, "uplink/sent"))
	require.Equal(t, sim.Time(0), r.Now())
}

func TestRelayErrors(t *testing.T) {
	r, err := wifirelay.New(wifirelay.DefaultConfig(), 1)
	require.NoError(t, err)
	require.EqualError(t, r.Set("uplink/out", spaces.DoubleBox(1, 2, 3, 4)), `wifirelay: datum "uplink/out" is read-only`)
	require.ErrorContains(t, r.Set("uplink/in", spaces.DoubleBox(1)), `wifirelay: datum "uplink/in": `)
	require.ErrorContains(t, r.Set("sideways/in", spaces.DoubleBox(1)), `wifirelay: no datum "sideways/in" (data: uplink/in, uplink/out,`)
	_, err = r.Get("uplink")
	require.ErrorContains(t, err, `wifirelay: no datum "uplink"`)
	for _, tc := range []struct {
		mut  func(*wifirelay.Config)
		want string
	}{
		{func(c *wifirelay.Config) { c.Distance = -1 }, "wifirelay: Distance -1 must be a non-negative number of metres"},
		{func(c *wifirelay.Config) { c.Retries = 0 }, "wifirelay: Retries 0 must be at least 1"},
		{func(c *wifirelay.Config) { c.UplinkSize = 0 }, "wifirelay: UplinkSize 0 must lie in [1, 250]"},
		{func(c *wifirelay.Config) { c.DownlinkSize = 251 }, "wifirelay: DownlinkSize 251 must lie in [1, 250]"},
	} {
		cfg := wifirelay.DefaultConfig()
		tc.mut(&cfg)
		_, err := wifirelay.New(cfg, 1)
		require.EqualError(t, err, tc.want)
	}
}
