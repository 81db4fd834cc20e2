package nr5g

import (
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
)

// RrcProtocol selects how RRC messages travel between gNB and UE.
type RrcProtocol uint8

// The RRC protocols.
const (
	// RrcIdeal is 5G-LENA's NrGnbRrcProtocolIdeal (NrHelper's UseIdealRrc,
	// the default): messages take no time and no radio resources.
	RrcIdeal RrcProtocol = iota
	// RrcDelayed delivers each RRC message of the connection setup (RRC
	// Connection Request, Setup, Setup Complete, Reconfiguration,
	// Reconfiguration Complete) RrcConfig.MessageDelay after it is sent,
	// without radio resources: a message-delay model.
	RrcDelayed
)

// String returns "ideal" or "delayed".
func (p RrcProtocol) String() string {
	switch p {
	case RrcIdeal:
		return "ideal"
	case RrcDelayed:
		return "delayed"
	}
	return fmt.Sprintf("RrcProtocol(%d)", uint8(p))
}

// RachConfig configures random access with NrGnbMac's defaults.
type RachConfig struct {
	// NumberOfRaPreambles is NrGnbMac's NumberOfRaPreambles, the preambles
	// of contention-based random access, 4..64 (default 52).
	NumberOfRaPreambles int
	// PreambleTransMax is NrGnbMac's PreambleTransMax: after that many
	// preambles without a RAR random access fails and starts over, 3..200
	// (default 50).
	PreambleTransMax int
	// RaResponseWindowSize is NrGnbMac's RaResponseWindowSize: the UE gives
	// up waiting for a RAR 6 + this many slots after sending its preamble,
	// 2..10 (default 3).
	RaResponseWindowSize int
	// RandomPreambles makes each UE draw its preamble uniformly among
	// NumberOfRaPreambles (TS 38.321 5.1.2), so that UEs that pick the same
	// one in the same occasion collide (the gNB answers neither) and try
	// again after the window. 5G-LENA nr-4.1 (NrUeMac::SendRaPreamble)
	// instead numbers preambles with one counter for the whole simulation,
	// so preambles never collide: that is the default (false).
	RandomPreambles bool
}

// RrcConfig configures the gNB's RRC (5G-LENA's NrGnbRrc), the RRC
// protocol and random access.
type RrcConfig struct {
	// FirstSystemInformation is when the gNB first sends SIB2 (5G-LENA:
	// 16 ms after the cell is configured, NrGnbRrc::ConfigureCell).
	FirstSystemInformation sim.Time
	// SystemInformationPeriodicity is NrGnbRrc's
	// SystemInformationPeriodicity (default 80 ms).
	SystemInformationPeriodicity sim.Time
	// Protocol is the RRC protocol (default RrcIdeal).
	Protocol RrcProtocol
	// MessageDelay is the one-way delay of each RRC message with
	// RrcDelayed (default 1 ms); ignored with RrcIdeal.
	MessageDelay sim.Time
	// ConnectionRequestTimeout is NrGnbRrc's
	// ConnectionRequestTimeoutDuration: a UE context whose RRC Connection
	// Request has not arrived this long after its preamble is removed
	// (default 15 ms, 5G-LENA accepts 1 to 15 ms).
	ConnectionRequestTimeout sim.Time
	// ConnectionSetupTimeout is NrGnbRrc's ConnectionSetupTimeoutDuration:
	// a context whose RRC Connection Setup Complete has not arrived this
	// long after the Setup is removed (default 150 ms).
	ConnectionSetupTimeout sim.Time
	// T300 is NrUeRrc's T300: a UE without RRC Connection Setup this long
	// after its Request gives up (ConnEstFailCount 1: the UE is left out;
	// default 100 ms).
	T300 sim.Time
	// Rach configures random access.
	Rach RachConfig
}

// DefaultRrcConfig returns 5G-LENA's defaults: SIB2 at 16 ms then every
// 80 ms, the ideal protocol, the RRC timers and random access of NrGnbRrc,
// NrUeRrc and NrGnbMac.
func DefaultRrcConfig() RrcConfig {
	return RrcConfig{FirstSystemInformation: 16 * sim.Millisecond, SystemInformationPeriodicity: 80 * sim.Millisecond,
		Protocol: RrcIdeal, MessageDelay: sim.Millisecond, ConnectionRequestTimeout: 15 * sim.Millisecond,
		ConnectionSetupTimeout: 150 * sim.Millisecond, T300: 100 * sim.Millisecond,
		Rach: RachConfig{NumberOfRaPreambles: 52, PreambleTransMax: 50, RaResponseWindowSize: 3}}
}

// Validate reports a setting out of range.
func (c RrcConfig) Validate() error {
	if c.FirstSystemInformation < 0 || c.FirstSystemInformation > 3600*sim.Second {
		return fmt.Errorf("nr5g: RrcConfig.FirstSystemInformation %v out of range [0, 1h]", c.FirstSystemInformation)
	}
	if c.SystemInformationPeriodicity <= 0 || c.SystemInformationPeriodicity > 3600*sim.Second {
		return fmt.Errorf("nr5g: RrcConfig.SystemInformationPeriodicity %v out of range (0, 1h]", c.SystemInformationPeriodicity)
	}
	switch {
	case c.Protocol > RrcDelayed:
		return fmt.Errorf("nr5g: RrcConfig.Protocol %v unknown (want RrcIdeal or RrcDelayed)", c.Protocol)
	case c.MessageDelay < 0 || c.MessageDelay > 10*sim.Second:
		return fmt.Errorf("nr5g: RrcConfig.MessageDelay %v out of range [0, 10s]", c.MessageDelay)
	case c.ConnectionRequestTimeout < sim.Millisecond || c.ConnectionRequestTimeout > 15*sim.Millisecond:
		return fmt.Errorf("nr5g: RrcConfig.ConnectionRequestTimeout %v out of range [1ms, 15ms]", c.ConnectionRequestTimeout)
	case c.ConnectionSetupTimeout <= 0 || c.ConnectionSetupTimeout > 3600*sim.Second:
		return fmt.Errorf("nr5g: RrcConfig.ConnectionSetupTimeout %v out of range (0, 1h]", c.ConnectionSetupTimeout)
	case c.T300 < 100*sim.Millisecond || c.T300 > 2*sim.Second:
		return fmt.Errorf("nr5g: RrcConfig.T300 %v out of range [100ms, 2s]", c.T300)
	case c.Rach.NumberOfRaPreambles < 4 || c.Rach.NumberOfRaPreambles > 64:
		return fmt.Errorf("nr5g: RrcConfig.Rach.NumberOfRaPreambles %d out of range [4, 64]", c.Rach.NumberOfRaPreambles)
	case c.Rach.PreambleTransMax < 3 || c.Rach.PreambleTransMax > 200:
		return fmt.Errorf("nr5g: RrcConfig.Rach.PreambleTransMax %d out of range [3, 200]", c.Rach.PreambleTransMax)
	case c.Rach.RaResponseWindowSize < 2 || c.Rach.RaResponseWindowSize > 10:
		return fmt.Errorf("nr5g: RrcConfig.Rach.RaResponseWindowSize %d out of range [2, 10]", c.Rach.RaResponseWindowSize)
	}
	return nil
}

// GnbConfig configures a gNB, with 5G-LENA nr-4.1's defaults
// (DefaultGnbConfig).
type GnbConfig struct {
	// Phy is the bandwidth part's frame structure and link abstraction.
	Phy PhyConfig
	// Scheduler configures the MAC scheduler.
	Scheduler SchedulerConfig
	// Rlc configures the RLC entities of the data radio bearers.
	Rlc RlcConfig
	// Rrc configures the RRC.
	Rrc RrcConfig
	// TxPowerDbm is NrGnbPhy's TxPower (default 4 dBm; NetRL sets 30).
	TxPowerDbm float64
	// NoiseFigureDb is NrGnbPhy's NoiseFigure (default 5 dB).
	NoiseFigureDb float64
	// Array is the gNB's antenna array (ns-3's UniformPlanarArray default
	// 4x4; NetRL uses 4x8).
	Array ArrayConfig
}

// DefaultGnbConfig returns 5G-LENA's defaults.
func DefaultGnbConfig() GnbConfig {
	return GnbConfig{Phy: DefaultPhyConfig(), Scheduler: DefaultSchedulerConfig(), Rlc: DefaultRlcConfig(),
		Rrc: DefaultRrcConfig(), TxPowerDbm: 4, NoiseFigureDb: 5, Array: ArrayConfig{Rows: 4, Columns: 4}}
}

// Validate reports the first field out of range.
func (c GnbConfig) Validate() error {
	if err := c.Phy.Validate(); err != nil {
		return err
	}
	if err := c.Scheduler.Validate(); err != nil {
		return err
	}
	if err := c.Rlc.Validate(); err != nil {
		return err
	}
	if err := c.Rrc.Validate(); err != nil {
		return err
	}
	if err := validPower("GnbConfig.TxPowerDbm", c.TxPowerDbm); err != nil {
		return err
	}
	if math.IsNaN(c.NoiseFigureDb) || c.NoiseFigureDb < 0 || c.NoiseFigureDb > 50 {
		return fmt.Errorf("nr5g: GnbConfig.NoiseFigureDb %v out of range [0, 50]", c.NoiseFigureDb)
	}
	if c.Phy.SymbolsPerSlot != SymbolsPerSlot {
		return fmt.Errorf("nr5g: GnbConfig.Phy.SymbolsPerSlot %d: the stack needs %d", c.Phy.SymbolsPerSlot, SymbolsPerSlot)
	}
	return c.Array.Validate()
}

func validPower(name string, dbm float64) error {
	if math.IsNaN(dbm) || dbm < -100 || dbm > 80 {
		return fmt.Errorf("nr5g: %s %v out of range [-100, 80] dBm", name, dbm)
	}
	return nil
}

// UeConfig configures a UE, with 5G-LENA nr-4.1's defaults
// (DefaultUeConfig). The frame structure is the serving gNB's.
type UeConfig struct {
	// TxPowerDbm is NrUePhy's TxPower (default 2 dBm; NetRL sets 23);
	// uplink power control is off, as in 5G-LENA.
	TxPowerDbm float64
	// NoiseFigureDb is NrUePhy's NoiseFigure (default 5 dB).
	NoiseFigureDb float64
	// Array is the UE's antenna array (default 4x4; NetRL uses 2x4).
	Array ArrayConfig
	// MTU is the UE device's MTU (NrUeNetDevice: 30000).
	MTU int
}

// DefaultUeConfig returns 5G-LENA's defaults.
func DefaultUeConfig() UeConfig {
	return UeConfig{TxPowerDbm: 2, NoiseFigureDb: 5, Array: ArrayConfig{Rows: 4, Columns: 4}, MTU: 30000}
}

// Validate reports the first field out of range.
func (c UeConfig) Validate() error {
	if err := validPower("UeConfig.TxPowerDbm", c.TxPowerDbm); err != nil {
		return err
	}
	if math.IsNaN(c.NoiseFigureDb) || c.NoiseFigureDb < 0 || c.NoiseFigureDb > 50 {
		return fmt.Errorf("nr5g: UeConfig.NoiseFigureDb %v out of range [0, 50]", c.NoiseFigureDb)
	}
	if c.MTU < 68 || c.MTU > 65535 {
		return fmt.Errorf("nr5g: UeConfig.MTU %d out of range [68, 65535]", c.MTU)
	}
	return c.Array.Validate()
}
