package nr5g

import (
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
)

// RrcConfig configures the gNB's RRC (5G-LENA's NrGnbRrc with the ideal
// RRC protocol, NrGnbRrcProtocolIdeal: messages between gNB and UE take no
// time and do not use the radio).
type RrcConfig struct {
	// FirstSystemInformation is when the gNB first sends SIB2 (5G-LENA:
	// 16 ms after the cell is configured, NrGnbRrc::ConfigureCell).
	FirstSystemInformation sim.Time
	// SystemInformationPeriodicity is NrGnbRrc's
	// SystemInformationPeriodicity (default 80 ms).
	SystemInformationPeriodicity sim.Time
}

// DefaultRrcConfig returns 5G-LENA's SIB timing: 16 ms, then every 80 ms.
func DefaultRrcConfig() RrcConfig {
	return RrcConfig{FirstSystemInformation: 16 * sim.Millisecond, SystemInformationPeriodicity: 80 * sim.Millisecond}
}

// Validate reports a timing out of range.
func (c RrcConfig) Validate() error {
	if c.FirstSystemInformation < 0 || c.FirstSystemInformation > 3600*sim.Second {
		return fmt.Errorf("nr5g: RrcConfig.FirstSystemInformation %v out of range [0, 1h]", c.FirstSystemInformation)
	}
	if c.SystemInformationPeriodicity <= 0 || c.SystemInformationPeriodicity > 3600*sim.Second {
		return fmt.Errorf("nr5g: RrcConfig.SystemInformationPeriodicity %v out of range (0, 1h]", c.SystemInformationPeriodicity)
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
