package cosim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/netgym/netgym/sim"
)

// SimulationConfig is an experiment, in the fields of NRP-core's
// simulation configuration schema (config_schemas/simulation.json) that
// netgym's loop uses; other fields are kept in Raw and ignored. Load it
// with LoadSimulationConfig or ParseSimulationConfig.
type SimulationConfig struct {
	SimulationName        string `json:"SimulationName,omitempty"`
	SimulationDescription string `json:"SimulationDescription,omitempty"`
	// SimulationLoop must be "FTILoop" (the default); NRP-core's
	// EventLoop is not supported.
	SimulationLoop string `json:"SimulationLoop,omitempty"`
	// SimulationTimeout is the experiment's length in simulated seconds
	// (default 0: until the status function says done).
	SimulationTimeout float64 `json:"SimulationTimeout,omitempty"`
	// DataPackProcessor must be "tf" (the default); NRP-core's
	// computational graph ("cg") is not supported.
	DataPackProcessor string `json:"DataPackProcessor,omitempty"`
	// EngineConfigs are the engines, in the order the loop serves them.
	EngineConfigs []EngineConfig `json:"EngineConfigs"`
	// DataPackProcessingFunctions are the files of the transceiver and
	// preprocessing functions.
	DataPackProcessingFunctions []FunctionConfig `json:"DataPackProcessingFunctions,omitempty"`
	// StatusFunction is the file of the status function, if any.
	StatusFunction *FunctionConfig `json:"StatusFunction,omitempty"`
	// Dir is the directory relative file names are resolved against (the
	// configuration file's); not part of the schema.
	Dir string `json:"-"`
}

// FunctionConfig names a file of Python functions (NRP-core's
// transceiver_function.json: Name, FileName, IsActive).
type FunctionConfig struct {
	Name     string `json:"Name"`
	FileName string `json:"FileName"`
	// IsActive defaults to true; inactive files are not loaded.
	IsActive *bool `json:"IsActive,omitempty"`
}

// Active reports whether the function file is active (IsActive, default
// true).
func (f FunctionConfig) Active() bool { return f.IsActive == nil || *f.IsActive }

// EngineConfig is one engine of an experiment, in the fields of NRP-core's
// engine_base.json, engine_comm_protocols.json and engine_python.json.
// Raw holds the whole object as written, which JSON and Python engines get
// in their initialize request.
type EngineConfig struct {
	EngineName            string         `json:"EngineName"`
	EngineType            string         `json:"EngineType"`
	EngineProcCmd         string         `json:"EngineProcCmd,omitempty"`
	EngineProcStartParams []string       `json:"EngineProcStartParams,omitempty"`
	EngineEnvParams       []string       `json:"EngineEnvParams,omitempty"`
	EngineLaunchCommand   *LaunchCommand `json:"EngineLaunchCommand,omitempty"`
	// EngineTimestep is the engine's time step in seconds (default
	// 0.01).
	EngineTimestep *float64 `json:"EngineTimestep,omitempty"`
	// EngineCommandTimeout bounds every command to the engine, in wall
	// seconds (default 0: no bound).
	EngineCommandTimeout float64 `json:"EngineCommandTimeout,omitempty"`
	// EngineExtraConfigs configures the engine itself (for netgym's
	// engines: the scenario and its settings).
	EngineExtraConfigs map[string]any `json:"EngineExtraConfigs,omitempty"`
	// ServerAddress is where a JSON or gRPC engine server listens.
	ServerAddress string `json:"ServerAddress,omitempty"`
	// RegistrationServerAddress is where launched JSON engines register.
	RegistrationServerAddress string `json:"RegistrationServerAddress,omitempty"`
	// PythonFileName is the engine script of a Python engine.
	PythonFileName string `json:"PythonFileName,omitempty"`
	// Raw is the engine's object as written in the configuration.
	Raw map[string]any `json:"-"`
}

// LaunchCommand is NRP-core's EngineLaunchCommand; LaunchType
// "EmptyLaunchCommand" attaches to an engine already running at
// ServerAddress, "BasicFork" (the default) starts it.
type LaunchCommand struct {
	LaunchType string `json:"LaunchType"`
}

// Launch types of LaunchCommand.
const (
	LaunchBasicFork = "BasicFork"
	LaunchEmpty     = "EmptyLaunchCommand"
)

// DefaultEngineTimestep is NRP-core's default EngineTimestep, 0.01 s.
const DefaultEngineTimestep = 0.01

// Timestep returns the engine's time step in nanoseconds (EngineTimestep,
// default 10 ms), rounded to the nearest nanosecond.
func (c EngineConfig) Timestep() int64 {
	ts := DefaultEngineTimestep
	if c.EngineTimestep != nil {
		ts = *c.EngineTimestep
	}
	return SecondsToNs(ts)
}

// CommandTimeout returns EngineCommandTimeout as a duration (0: none).
func (c EngineConfig) CommandTimeout() time.Duration {
	if !(c.EngineCommandTimeout > 0) {
		return 0
	}
	return time.Duration(SecondsToNs(c.EngineCommandTimeout))
}

// Attach reports whether the engine is already running at ServerAddress
// (EngineLaunchCommand {"LaunchType": "EmptyLaunchCommand"}).
func (c EngineConfig) Attach() bool {
	return c.EngineLaunchCommand != nil && c.EngineLaunchCommand.LaunchType == LaunchEmpty
}

// SecondsToNs converts seconds to nanoseconds, rounding to the nearest
// (NRP-core's toSimulationTimeFromSeconds) as sim.Seconds does: values
// beyond the range of sim.Time saturate at sim.MaxTime or sim.MinTime, and
// NaN gives 0.
func SecondsToNs(s float64) int64 { return int64(sim.Seconds(s)) }

// Validate reports the first unusable setting of the engine.
func (c EngineConfig) Validate() error {
	switch {
	case c.EngineName == "":
		return fmt.Errorf("cosim: an engine has no EngineName (required)")
	case c.EngineType == "":
		return fmt.Errorf("cosim: engine %q has no EngineType (required)", c.EngineName)
	case c.EngineTimestep != nil && !(*c.EngineTimestep > 0 && *c.EngineTimestep < 1e9):
		return fmt.Errorf("cosim: engine %q: EngineTimestep %v s must lie in (0, 1e9)", c.EngineName, *c.EngineTimestep)
	case c.Timestep() <= 0:
		return fmt.Errorf("cosim: engine %q: EngineTimestep %v s is below one nanosecond", c.EngineName, *c.EngineTimestep)
	case math.IsNaN(c.EngineCommandTimeout) || math.IsInf(c.EngineCommandTimeout, 0):
		return fmt.Errorf("cosim: engine %q: EngineCommandTimeout %v must be a number of seconds (0: none)", c.EngineName, c.EngineCommandTimeout)
	case c.EngineLaunchCommand != nil && c.EngineLaunchCommand.LaunchType != "" &&
		c.EngineLaunchCommand.LaunchType != LaunchBasicFork && c.EngineLaunchCommand.LaunchType != LaunchEmpty:
		return fmt.Errorf("cosim: engine %q: LaunchType %q: netgym supports %q and %q", c.EngineName,
			c.EngineLaunchCommand.LaunchType, LaunchBasicFork, LaunchEmpty)
	}
	return nil
}

// Validate reports the first unusable setting of the experiment.
func (c *SimulationConfig) Validate() error {
	if c.SimulationLoop != "" && c.SimulationLoop != "FTILoop" {
		return fmt.Errorf("cosim: SimulationLoop %q: netgym runs only \"FTILoop\"", c.SimulationLoop)
	}
	if c.DataPackProcessor != "" && c.DataPackProcessor != "tf" {
		return fmt.Errorf("cosim: DataPackProcessor %q: netgym supports only \"tf\"", c.DataPackProcessor)
	}
	if !(c.SimulationTimeout >= 0) || math.IsInf(c.SimulationTimeout, 0) {
		return fmt.Errorf("cosim: SimulationTimeout %v must be a non-negative number of seconds", c.SimulationTimeout)
	}
	if len(c.EngineConfigs) == 0 {
		return fmt.Errorf("cosim: EngineConfigs lists no engine")
	}
	seen := map[string]bool{}
	for _, e := range c.EngineConfigs {
		if err := e.Validate(); err != nil {
			return err
		}
		if seen[e.EngineName] {
			return fmt.Errorf("cosim: two engines are named %q", e.EngineName)
		}
		seen[e.EngineName] = true
	}
	fns := c.DataPackProcessingFunctions
	if c.StatusFunction != nil {
		fns = append(fns[:len(fns):len(fns)], *c.StatusFunction)
	}
	for i, f := range fns {
		if f.Name == "" || f.FileName == "" {
			return fmt.Errorf("cosim: function %d needs a Name and a FileName (got %q, %q)", i, f.Name, f.FileName)
		}
	}
	return nil
}

// Timeout returns SimulationTimeout in nanoseconds (0: none).
func (c *SimulationConfig) Timeout() int64 { return SecondsToNs(c.SimulationTimeout) }

// Path resolves a file name of the configuration against Dir.
func (c *SimulationConfig) Path(name string) string {
	if filepath.IsAbs(name) || c.Dir == "" {
		return name
	}
	return filepath.Join(c.Dir, name)
}

// ParseSimulationConfig parses a simulation configuration (JSON) and
// validates it; dir is the directory relative file names refer to.
func ParseSimulationConfig(data []byte, dir string) (*SimulationConfig, error) {
	var c SimulationConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("cosim: simulation configuration: %w", err)
	}
	var raw struct {
		EngineConfigs []map[string]any `json:"EngineConfigs"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("cosim: simulation configuration: %w", err)
	}
	for i := range c.EngineConfigs {
		if i < len(raw.EngineConfigs) {
			c.EngineConfigs[i].Raw = raw.EngineConfigs[i]
		}
	}
	c.Dir = dir
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// LoadSimulationConfig reads and validates a simulation configuration
// file; relative file names in it refer to the file's directory.
func LoadSimulationConfig(path string) (*SimulationConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cosim: %w", err)
	}
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("cosim: %w", err)
	}
	return ParseSimulationConfig(data, abs)
}

// RawConfig returns the engine's configuration as a JSON object: Raw if
// the configuration was parsed, else the typed fields.
func (c EngineConfig) RawConfig() map[string]any {
	if c.Raw != nil {
		out := make(map[string]any, len(c.Raw)+1)
		for k, v := range c.Raw {
			out[k] = v
		}
		return out
	}
	b, err := json.Marshal(c)
	out := map[string]any{}
	if err == nil {
		_ = json.Unmarshal(b, &out)
	}
	return out
}
