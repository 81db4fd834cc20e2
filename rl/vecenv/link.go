package vecenv

import (
	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/mmwave"
	"github.com/netgym/netgym/channelif/nr"
	"github.com/netgym/netgym/channelif/wifi"
)

// Link is the channel under a ChannelEnv or a ChannelBank: one
// technology's configuration, seed and run included, from which the
// channel (a channelif.SimChannel, one simulation) is built. WifiLink,
// NRLink and MmWaveLink are NetRL's Wi-Fi ad-hoc, 5G-LENA and ns3-mmwave
// programs; any single-link channel built from a configuration can
// implement it.
//
// A Link is a value: WithSeedRun returns a copy and leaves the receiver
// as it was, so that configurations can be shared between environments.
type Link interface {
	// Validate reports the first invalid setting, naming it and its range.
	Validate() error
	// MaxPacketSize returns the largest payload in bytes that one packet
	// carries (the link does not fragment).
	MaxPacketSize() int
	// SeedRun returns the seed and run number of the first episode.
	SeedRun() (seed, run uint64)
	// WithSeedRun returns the configuration with another seed and run.
	WithSeedRun(seed, run uint64) Link
	// NewChannel builds the channel of (SeedRun()), warmed up and ready
	// for step 0; its Reset moves on to the next run number.
	NewChannel() (*channelif.SimChannel, error)
}

// WifiLink is NetRL's Wi-Fi ad-hoc link (channelif/wifi.Config: two nodes,
// 802.11a at 54 Mb/s, LogDistance loss), the default of a ChannelEnv.
type WifiLink wifi.Config

// Validate checks the settings as wifi.Config.Validate.
func (l WifiLink) Validate() error { return wifi.Config(l).Validate() }

// MaxPacketSize returns wifi.MaxPacketSize (2268 bytes).
func (l WifiLink) MaxPacketSize() int { return wifi.MaxPacketSize }

// SeedRun returns the configuration's Seed and Run.
func (l WifiLink) SeedRun() (uint64, uint64) { return l.Seed, l.Run }

// WithSeedRun returns a copy with Seed and Run replaced.
func (l WifiLink) WithSeedRun(seed, run uint64) Link {
	l.Seed, l.Run = seed, run
	return l
}

// NewChannel returns wifi.NewChannel of the configuration.
func (l WifiLink) NewChannel() (*channelif.SimChannel, error) { return wifi.NewChannel(wifi.Config(l)) }

// NRLink is NetRL's 5G-LENA link (channelif/nr.Config: one gNB, one UE,
// uplink through the EPC to a remote host, 5G-LENA's NR stack).
type NRLink nr.Config

// Validate checks the settings as nr.Config.Validate.
func (l NRLink) Validate() error { return nr.Config(l).Validate() }

// MaxPacketSize returns nr.MaxPacketSize (1932 bytes: the S1-U MTU less
// GTP-U, IPv4 and UDP).
func (l NRLink) MaxPacketSize() int { return nr.MaxPacketSize }

// SeedRun returns the configuration's Seed and Run.
func (l NRLink) SeedRun() (uint64, uint64) { return l.Seed, l.Run }

// WithSeedRun returns a copy with Seed and Run replaced.
func (l NRLink) WithSeedRun(seed, run uint64) Link {
	l.Seed, l.Run = seed, run
	return l
}

// NewChannel returns nr.NewChannel of the configuration.
func (l NRLink) NewChannel() (*channelif.SimChannel, error) { return nr.NewChannel(nr.Config(l)) }

// MmWaveLink is NetRL's ns3-mmwave link (channelif/mmwave.Config: one eNB,
// one UE, uplink through the EPC to a remote host, ns3-mmwave's stack).
type MmWaveLink mmwave.Config

// Validate checks the settings as mmwave.Config.Validate.
func (l MmWaveLink) Validate() error { return mmwave.Config(l).Validate() }

// MaxPacketSize returns mmwave.MaxPacketSize (1472 bytes: the remote
// host's 1500-byte MTU less IPv4 and UDP).
func (l MmWaveLink) MaxPacketSize() int { return mmwave.MaxPacketSize }

// SeedRun returns the configuration's Seed and Run.
func (l MmWaveLink) SeedRun() (uint64, uint64) { return l.Seed, l.Run }

// WithSeedRun returns a copy with Seed and Run replaced.
func (l MmWaveLink) WithSeedRun(seed, run uint64) Link {
	l.Seed, l.Run = seed, run
	return l
}

// NewChannel returns mmwave.NewChannel of the configuration.
func (l MmWaveLink) NewChannel() (*channelif.SimChannel, error) {
	return mmwave.NewChannel(mmwave.Config(l))
}
