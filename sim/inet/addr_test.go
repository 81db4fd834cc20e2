package inet_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

func TestParseIPv4(t *testing.T) {
	tests := []struct {
		in   string
		want inet.IPv4Addr
		ok   bool
	}{
		{"10.1.1.2", 0x0a010102, true},
		{"0.0.0.0", inet.IPv4Any, true},
		{"255.255.255.255", inet.IPv4Broadcast, true},
		{"127.0.0.1", inet.IPv4Loopback, true},
		{"192.168.1.10", inet.IPv4AddrFrom4(192, 168, 1, 10), true},
		{"256.1.1.1", 0, false},
		{"1.2.3", 0, false},
		{"1.2.3.4.5", 0, false},
		{"1..3.4", 0, false},
		{"a.b.c.d", 0, false},
		{"-1.2.3.4", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := inet.ParseIPv4(tt.in)
		if !tt.ok {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, tt.in, got.String())
	}
	assert.Equal(t, [4]byte{10, 1, 1, 2}, inet.IPv4Addr(0x0a010102).As4())
}

func TestAddressPredicates(t *testing.T) {
	mask24 := inet.IPv4Mask(0xffffff00)
	tests := []struct {
		addr            string
		any, bcast, mc  bool
		subnetBroadcast bool // under /24
	}{
		{"0.0.0.0", true, false, false, false},
		{"255.255.255.255", false, true, false, true},
		{"224.0.0.1", false, false, true, false},
		{"239.255.255.255", false, false, true, true},
		{"10.1.1.255", false, false, false, true},
		{"10.1.1.1", false, false, false, false},
	}
	for _, tt := range tests {
		a := ip(t, tt.addr)
		assert.Equal(t, tt.any, a.IsAny(), tt.addr)
		assert.Equal(t, tt.bcast, a.IsBroadcast(), tt.addr)
		assert.Equal(t, tt.mc, a.IsMulticast(), tt.addr)
		assert.Equal(t, tt.subnetBroadcast, a.IsSubnetDirectedBroadcast(mask24), tt.addr)
	}
	a := ip(t, "10.1.1.77")
	assert.Equal(t, "10.1.1.0", a.Mask(mask24).String())
	assert.Equal(t, "10.1.1.255", a.SubnetBroadcast(mask24).String())
	assert.False(t, inet.IPv4Broadcast.IsSubnetDirectedBroadcast(0xffffffff), "a /32 has no broadcast")
	assert.True(t, mask24.Contains(ip(t, "10.1.1.0"), a))
	assert.False(t, mask24.Contains(ip(t, "10.1.2.0"), a))
}

func TestMasks(t *testing.T) {
	tests := []struct {
		in     string
		prefix int
		text   string
		ok     bool
	}{
		{"255.255.255.0", 24, "255.255.255.0", true},
		{"24", 24, "255.255.255.0", true},
		{"/30", 30, "255.255.255.252", true},
		{"0", 0, "0.0.0.0", true},
		{"32", 32, "255.255.255.255", true},
		{"255.0.255.0", 0, "", false},
		{"33", 0, "", false},
		{"-1", 0, "", false},
		{"x", 0, "", false},
		{"255.255.255", 0, "", false},
	}
	for _, tt := range tests {
		m, err := inet.ParseIPv4Mask(tt.in)
		if !tt.ok {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.prefix, m.PrefixLength(), tt.in)
		assert.Equal(t, tt.text, m.String(), tt.in)
		assert.True(t, m.IsValid())
	}

	a, m, err := inet.ParseCIDR("10.1.2.3/16")
	require.NoError(t, err)
	assert.Equal(t, "10.1.2.3", a.String())
	assert.Equal(t, 16, m.PrefixLength())
	for _, bad := range []string{"10.1.2.3", "10.1.2/16", "10.1.2.3/40"} {
		_, _, err := inet.ParseCIDR(bad)
		assert.Error(t, err, bad)
	}
}

func TestDropReasonNames(t *testing.T) {
	reasons := inet.DropReasons()
	require.Len(t, reasons, 13)
	seen := map[string]bool{}
	for _, r := range reasons {
		name := r.String()
		assert.NotContains(t, name, "DropReason(", "every reason has a name")
		assert.False(t, seen[name])
		seen[name] = true
	}
	assert.Equal(t, "DropReason(0)", inet.DropReason(0).String())
	assert.Equal(t, "ARPQueueFull", inet.DropARPQueueFull.String())
	n, err := inet.NewNode(sim.New(1, 1), 0, inet.DefaultNodeConfig())
	require.NoError(t, err)
	assert.Zero(t, n.Drops(inet.DropReason(200)))
}

func TestNodeConfig(t *testing.T) {
	c := inet.DefaultNodeConfig()
	assert.Equal(t, uint8(64), c.DefaultTTL)
	assert.True(t, c.Forwarding, "ns-3 Ipv4 IpForward defaults to true")
	require.NoError(t, c.Validate())
	c.DefaultTTL = 0
	assert.Error(t, c.Validate())
	_, err := inet.NewNode(nil, 0, inet.DefaultNodeConfig())
	assert.Error(t, err)

	// Without a pool the node makes its own.
	n, err := inet.NewNode(sim.New(1, 1), 3, inet.DefaultNodeConfig())
	require.NoError(t, err)
	assert.NotNil(t, n.Pool())
	assert.Equal(t, 3, n.ID())
	assert.Equal(t, inet.IPv4Any, n.Address())
}

func TestNetworkSubnets(t *testing.T) {
	w := inet.NewNetwork(sim.New(1, 1))
	net, mask, err := w.NextSubnet()
	require.NoError(t, err)
	assert.Equal(t, "10.1.1.0/24", net.String()+"/24")
	assert.Equal(t, 24, mask.PrefixLength())
	net, _, err = w.NextSubnet()
	require.NoError(t, err)
	assert.Equal(t, "10.1.2.0", net.String())

	require.NoError(t, w.SetSubnetBase(ip(t, "192.168.7.9"), 0xfffffffc))
	net, mask, err = w.NextSubnet()
	require.NoError(t, err)
	assert.Equal(t, "192.168.7.8", net.String())
	assert.Equal(t, 30, mask.PrefixLength())
	net, _, err = w.NextSubnet()
	require.NoError(t, err)
	assert.Equal(t, "192.168.7.12", net.String())

	assert.Error(t, w.SetSubnetBase(0, 0xffffffff), "/32 leaves no hosts")
	require.NoError(t, w.SetSubnetBase(ip(t, "255.255.255.0"), 0xffffff00))
	_, _, err = w.NextSubnet()
	require.NoError(t, err)
	_, _, err = w.NextSubnet()
	assert.Error(t, err, "exhausted")
}
