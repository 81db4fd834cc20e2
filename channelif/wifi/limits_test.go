package wifi

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/sim"
)

// TestWifiMultiUEFarFlushIsRefused: a FLUSH or STEP far in the future used
// to simulate every beacon in between (16 s of CPU for FLUSH 1e9); it is
// answered with ERROR naming the limit, advances nothing and sends
// nothing, and the session goes on as if it had not been sent.
func TestWifiMultiUEFarFlushIsRefused(t *testing.T) {
	session := func(in string) (*MultiUEBackend, []string) {
		b := newMulti(t, nil)
		var out bytes.Buffer
		require.NoError(t, channelif.Serve(strings.NewReader(in), &out, b, channelif.ServeOptions{}))
		return b, strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	}
	normal := "STEP 0\nSTEP 1\nSTEP 2\nSTEP 3\nSTEP 4\nSTEP 5\nSTEP 6\nSTEP 7\nSTEP 8\nSTEP 9\nSTEP 10\n"
	ref, want := session(normal)
	b, got := session("FLUSH 1000000000\nSTEP 4294967295\nTRANSMIT 0 600000 64\n" + normal)
	const msg = "ERROR wifi multi-UE: step %d ends %s ahead of the simulation (now 500ms), more than the 10m0s one command may advance (max advance)"
	assert.Equal(t, strings.Replace(strings.Replace(msg, "%d", "1000000000", 1), "%s", "277h46m40.001s", 1), got[0])
	assert.Equal(t, strings.Replace(strings.Replace(msg, "%d", "4294967295", 1), "%s", "1193h2m47.296s", 1), got[1])
	assert.Equal(t, "OK", got[2], "a TRANSMIT far ahead is only scheduled")
	assert.Equal(t, want, got[3:], "the refused commands changed nothing")
	assert.Equal(t, ref.Now(), b.Now())
	assert.Equal(t, 1, b.Waiting(), "step 600000's packet waits for its step")
	assert.Equal(t, 500*sim.Millisecond+11*sim.Millisecond, b.Now())

	// A larger limit lets the same FLUSH through.
	cfg := DefaultMultiUEConfig()
	cfg.MaxAdvanceS = 2
	big, err := NewMultiUEBackend(cfg)
	require.NoError(t, err)
	_, err = big.Flush(1999)
	require.NoError(t, err)
	_, err = big.Flush(4000)
	require.ErrorContains(t, err, "more than the 2s one command may advance (max advance)")
}

// TestZeroWifiValues: a MultiUEBackend or SimChannel not made by its
// constructor returns errors and zero answers instead of panicking.
func TestZeroWifiValues(t *testing.T) {
	var b MultiUEBackend
	assert.Nil(t, b.Network())
	assert.False(t, b.IsAssociated(0))
	assert.Nil(t, b.AssociationTimes(0))
	require.ErrorIs(t, b.Transmit(0, 0, 64), channelif.ErrNotInitialized)
	_, err := b.Flush(0)
	require.ErrorIs(t, err, channelif.ErrNotInitialized)
	assert.Nil(t, Network(nil))
	assert.Nil(t, Network(&channelif.SimChannel{}))
	var nilB *MultiUEBackend
	assert.Equal(t, MultiUEConfig{}, nilB.Config())
	assert.Nil(t, nilB.Network())
}
