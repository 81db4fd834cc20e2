package epc

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

// Variant selects which ns-3 EPC helper the core reproduces.
type Variant uint8

// Variants.
const (
	// VariantNR is 5G-LENA nr-4.1's NrPointToPointEpcHelper (the same as
	// ns-3.45's PointToPointEpcHelper): separate SGW, PGW and MME nodes;
	// S1-AP is a direct call; S11 and S5-C carry GTP-C over UDP 2123 on
	// point-to-point links; S5-U carries GTP-U between SGW and PGW.
	VariantNR Variant = iota + 1
	// VariantMmWave is ns3-mmwave's MmWavePointToPointEpcHelper: one
	// SGW/PGW node and an MME node; S1-AP travels over UDP on a
	// point-to-point link from each RAN node to the MME; S11 is a direct
	// call; there is no S5.
	VariantMmWave
)

// String returns "nr" or "mmwave".
func (v Variant) String() string {
	switch v {
	case VariantNR:
		return "nr"
	case VariantMmWave:
		return "mmwave"
	}
	return fmt.Sprintf("Variant(%d)", uint8(v))
}

// LinkConfig configures the point-to-point links of one interface (ns-3's
// PointToPointHelper with the helper's DataRate, Delay and Mtu attributes).
type LinkConfig struct {
	DataRate inet.DataRate // bit rate
	Delay    sim.Time      // one-way propagation delay
	MTU      int           // largest IPv4 packet, bytes
	// QueueSize is the drop-tail queue of each device, in packets (ns-3's
	// DropTailQueue default: 100).
	QueueSize int
}

func (l LinkConfig) validate(name string) error {
	switch {
	case l.DataRate == 0:
		return fmt.Errorf("epc: %s.DataRate must be positive", name)
	case l.Delay < 0 || l.Delay > sim.MaxTime/4:
		return fmt.Errorf("epc: %s.Delay %v is outside 0..%v", name, l.Delay, sim.MaxTime/4)
	case l.MTU < 68 || l.MTU > 65535:
		return fmt.Errorf("epc: %s.MTU %d is outside 68..65535", name, l.MTU)
	case l.QueueSize < 1:
		return fmt.Errorf("epc: %s.QueueSize %d must be at least 1", name, l.QueueSize)
	}
	return nil
}

func (l LinkConfig) device() inet.PointToPointDeviceConfig {
	c := inet.DefaultPointToPointDeviceConfig()
	c.DataRate, c.MTU, c.QueueSize = l.DataRate, l.MTU, l.QueueSize
	return c
}

// Pool is an address range: Network/Mask.
type Pool struct {
	Network inet.IPv4Addr // first address, no host bits
	Mask    inet.IPv4Mask // contiguous
}

// String formats the pool as "10.0.0.0/8".
func (p Pool) String() string { return fmt.Sprintf("%v/%d", p.Network, p.Mask.PrefixLength()) }

// Contains reports whether a is in the pool.
func (p Pool) Contains(a inet.IPv4Addr) bool { return p.Mask.Contains(p.Network, a) }

// Overlaps reports whether p and q share an address.
func (p Pool) Overlaps(q Pool) bool {
	m := p.Mask
	if q.Mask.PrefixLength() < m.PrefixLength() {
		m = q.Mask
	}
	return m.Contains(p.Network, q.Network)
}

func (p Pool) validate(name string, maxPrefix int) error {
	switch {
	case !p.Mask.IsValid():
		return fmt.Errorf("epc: %s mask %v is not contiguous", name, p.Mask)
	case p.Mask.PrefixLength() < 1 || p.Mask.PrefixLength() > maxPrefix:
		return fmt.Errorf("epc: %s %v: prefix length must be in 1..%d", name, p, maxPrefix)
	case p.Network.Mask(p.Mask) != p.Network:
		return fmt.Errorf("epc: %s network %v has host bits under /%d", name, p.Network, p.Mask.PrefixLength())
	}
	return nil
}

// linkBlockMask is the /30 of every core link: ns-3's helpers number each
// point-to-point link from its own /30 (two hosts).
const linkBlockMask inet.IPv4Mask = 0xfffffffc

// Config configures the core. Use DefaultConfig for the chosen variant's
// ns-3 defaults and change what you need.
type Config struct {
	// Variant selects the helper: VariantNR or VariantMmWave.
	Variant Variant
	// S1U configures each RAN node's link to the SGW (SGW/PGW).
	// 5G-LENA: 10 Gb/s, 0 s, MTU 2000; ns3-mmwave: 10 Gb/s, 1 ms, MTU 2000.
	S1U LinkConfig
	// S1AP configures each RAN node's S1-AP link to the MME (VariantMmWave
	// only): 10 Gb/s, S1apLinkDelay 15 ms, MTU 10000. NetRL sets the delay
	// to 0.
	S1AP LinkConfig
	// S5 configures the SGW-PGW link (VariantNR only): 10 Gb/s, 0 s,
	// MTU 2000.
	S5 LinkConfig
	// S11 configures the MME-SGW link (VariantNR only): 10 Gb/s, 0 s,
	// MTU 2000.
	S11 LinkConfig
	// X2 configures links between RAN nodes (AddX2). 5G-LENA: 10 Gb/s,
	// 0 s, MTU 3000; ns3-mmwave: 100 Gb/s, 1 ms, MTU 10000 (and a queue
	// of 4294967295 packets for handover forwarding, which netgym leaves
	// at QueueSize).
	X2 LinkConfig
	// TunMTU is the MTU of the PGW's tunnel device: 30000 in both helpers
	// ("allow jumbo packets").
	TunMTU int
	// UEPool is where UEs take their addresses: 7.0.0.0/8; the PGW's
	// tunnel device takes the first host (7.0.0.1), UEs the next ones.
	UEPool Pool
	// S1UPool, S1APPool, X2Pool, S11Pool and S5Pool are carved into the
	// /30 blocks of the links, the first block skipped as ns-3's helpers
	// do (NewNetwork before each Assign): the first S1-U link is
	// 10.0.0.4/30, RAN node 10.0.0.5, SGW 10.0.0.6. ns-3: 10/8, 11/8,
	// 12/8, 13/8, 14/8.
	S1UPool, S1APPool, X2Pool, S11Pool, S5Pool Pool
	// Release selects the QCI table (5G-LENA's NrHelper sets 18;
	// ns3-mmwave's fixed table is release 15's).
	Release Release
	// DefaultBearer is the QoS of the default bearer every UE gets at
	// attach: QCI 9 in both helpers.
	DefaultBearer Bearer
}

// DefaultConfig returns the defaults of the variant's ns-3 helper (see
// Config's fields); an unknown variant gets VariantNR's values with the
// variant kept, so that Validate reports it.
func DefaultConfig(v Variant) Config {
	gbps10 := 10 * inet.Gbps
	c := Config{
		Variant:       v,
		S1U:           LinkConfig{DataRate: gbps10, MTU: 2000, QueueSize: 100},
		S1AP:          LinkConfig{DataRate: gbps10, Delay: 15 * sim.Millisecond, MTU: 10000, QueueSize: 100},
		S5:            LinkConfig{DataRate: gbps10, MTU: 2000, QueueSize: 100},
		S11:           LinkConfig{DataRate: gbps10, MTU: 2000, QueueSize: 100},
		X2:            LinkConfig{DataRate: gbps10, MTU: 3000, QueueSize: 100},
		TunMTU:        30000,
		UEPool:        Pool{inet.IPv4AddrFrom4(7, 0, 0, 0), 0xff000000},
		S1UPool:       Pool{inet.IPv4AddrFrom4(10, 0, 0, 0), 0xff000000},
		S1APPool:      Pool{inet.IPv4AddrFrom4(11, 0, 0, 0), 0xff000000},
		X2Pool:        Pool{inet.IPv4AddrFrom4(12, 0, 0, 0), 0xff000000},
		S11Pool:       Pool{inet.IPv4AddrFrom4(13, 0, 0, 0), 0xff000000},
		S5Pool:        Pool{inet.IPv4AddrFrom4(14, 0, 0, 0), 0xff000000},
		Release:       Release18,
		DefaultBearer: DefaultBearer(),
	}
	if v == VariantMmWave {
		// ns3-mmwave's MmWavePointToPointEpcHelper attributes.
		c.S1U.Delay = sim.Millisecond
		c.X2 = LinkConfig{DataRate: 100 * inet.Gbps, Delay: sim.Millisecond, MTU: 10000, QueueSize: 100}
		c.Release = Release15
	}
	return c
}

// Validate reports the first unusable field, naming it and its accepted
// range; pools that overlap are an error.
func (c Config) Validate() error {
	if c.Variant != VariantNR && c.Variant != VariantMmWave {
		return fmt.Errorf("epc: Variant %d is not VariantNR (1) or VariantMmWave (2)", c.Variant)
	}
	links := []struct {
		name string
		l    LinkConfig
	}{{"S1U", c.S1U}, {"S1AP", c.S1AP}, {"S5", c.S5}, {"S11", c.S11}, {"X2", c.X2}}
	for _, l := range links {
		if err := l.l.validate(l.name); err != nil {
			return err
		}
	}
	if c.TunMTU < inet.IPv4HeaderSize+inet.UDPHeaderSize || c.TunMTU > 65535 {
		return fmt.Errorf("epc: TunMTU %d is outside %d..65535", c.TunMTU, inet.IPv4HeaderSize+inet.UDPHeaderSize)
	}
	pools := c.pools()
	for _, p := range pools {
		maxPrefix := 29 // a link pool holds at least the skipped block and one more
		if p.name == "UEPool" {
			maxPrefix = 30
		}
		if err := p.p.validate(p.name, maxPrefix); err != nil {
			return err
		}
	}
	for i := range pools {
		for j := i + 1; j < len(pools); j++ {
			if pools[i].p.Overlaps(pools[j].p) {
				return fmt.Errorf("epc: address pools overlap: %s %v and %s %v", pools[i].name, pools[i].p, pools[j].name, pools[j].p)
			}
		}
	}
	if err := c.Release.Validate(); err != nil {
		return err
	}
	if err := c.DefaultBearer.Validate(c.Release); err != nil {
		return fmt.Errorf("epc: DefaultBearer: %w", err)
	}
	return nil
}

type namedPool struct {
	name string
	p    Pool
}

func (c Config) pools() []namedPool {
	return []namedPool{{"UEPool", c.UEPool}, {"S1UPool", c.S1UPool}, {"S1APPool", c.S1APPool},
		{"X2Pool", c.X2Pool}, {"S11Pool", c.S11Pool}, {"S5Pool", c.S5Pool}}
}

// RemoteHostConfig configures SetupRemoteHost, after 5G-LENA nr-4.x's
// NrEpcHelper::SetupRemoteHost(dataRate, mtu, delay): a host on a
// point-to-point link to the PGW, numbered from Pool (the PGW takes the
// first host, the remote host the second), with a route to the UE pool.
type RemoteHostConfig struct {
	// Link configures the PGW-remote host link.
	Link LinkConfig
	// Pool is the link's network: 1.0.0.0/8 (the PGW is 1.0.0.1, the
	// remote host 1.0.0.2). Each remote host needs a pool of its own, e.g.
	// 2.0.0.0/8 for a second one.
	Pool Pool
}

// DefaultRemoteHostConfig returns what 5G-LENA's examples pass to
// SetupRemoteHost ("100Gb/s", 2500, 0 s) on 1.0.0.0/8 (NetRL's lena-sim
// does the same; its mmwave-sim builds the link itself with 100 Gb/s,
// MTU 1500 and 1 µs).
func DefaultRemoteHostConfig() RemoteHostConfig {
	return RemoteHostConfig{
		Link: LinkConfig{DataRate: 100 * inet.Gbps, MTU: 2500, QueueSize: 100},
		Pool: Pool{inet.IPv4AddrFrom4(1, 0, 0, 0), 0xff000000},
	}
}

// Validate reports the first unusable field.
func (c RemoteHostConfig) Validate() error {
	if err := c.Link.validate("RemoteHost.Link"); err != nil {
		return err
	}
	return c.Pool.validate("RemoteHost.Pool", 30)
}
