// Package netgymengine makes netgym's simulations into co-simulation
// engines (EngineType "netgym"), chosen and configured by the engine's
// EngineExtraConfigs:
//
//	{"EngineName": "net", "EngineType": "netgym", "EngineTimestep": 0.001,
//	 "EngineExtraConfigs": {"Scenario": "wifi-relay", "Distance": 40, "Seed": 1}}
//
// Scenarios: "wifi-relay" (package wifirelay: values both ways across
// 802.11a; settings Distance, ShadowingSigma, TxPowerDbm, Retries, Seed,
// UplinkSize, DownlinkSize, EndSeconds) and "rl-wifi" (rlexamples'
// Wi-Fi addition task as a stepper: Distance, ShadowingSigma, TxPowerDbm,
// Retries, Seed, TruncationSeconds). Each runs in process over
// agentlink.Stepper (cosim.StepperEngine); the engine server in
// cosim/engineserver and the nrp-engine binary serve the same engines to
// NRP-core.
package netgymengine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/cosim"
	"github.com/netgym/netgym/rl/cosim/wifirelay"
	"github.com/netgym/netgym/rl/rlexamples"
	"github.com/netgym/netgym/sim"
)

// EngineType is the engine type netgym's in-process engines register
// under.
const EngineType = "netgym"

// DefaultScenario is the scenario of an engine whose EngineExtraConfigs
// name none.
const DefaultScenario = "wifi-relay"

type builder func(extra []byte) (agentlink.Stepper, uint64, error)

var scenarios = map[string]builder{
	"wifi-relay": func(extra []byte) (agentlink.Stepper, uint64, error) {
		c := wifirelay.DefaultConfig()
		s := struct {
			Distance, ShadowingSigma, TxPowerDbm *float64
			Retries, UplinkSize, DownlinkSize    *int
			Seed                                 *uint64
			EndSeconds                           *float64
		}{&c.Distance, &c.ShadowingSigma, &c.TxPowerDbm, &c.Retries, &c.UplinkSize, &c.DownlinkSize, &c.Seed, new(float64)}
		if err := decode(extra, &s); err != nil {
			return nil, 0, err
		}
		c.End = sim.Seconds(*s.EndSeconds)
		r, err := wifirelay.New(c, 1)
		return r, c.Seed, err
	},
	"rl-wifi": func(extra []byte) (agentlink.Stepper, uint64, error) {
		c := rlexamples.DefaultWifiAdditionConfig()
		trunc := c.Truncation.Seconds()
		s := struct {
			Distance, ShadowingSigma, TxPowerDbm *float64
			Retries                              *int
			Seed                                 *uint64
			TruncationSeconds                    *float64
		}{&c.Distance, &c.ShadowingSigma, &c.TxPowerDbm, &c.Retries, &c.Seed, &trunc}
		if err := decode(extra, &s); err != nil {
			return nil, 0, err
		}
		c.Truncation = sim.Seconds(trunc)
		st, err := rlexamples.WifiAdditionStepper(c, 1)
		return st, c.Seed, err
	},
}

// decode reads the settings of a scenario, refusing unknown ones.
func decode(extra []byte, into any) error {
	if len(extra) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(extra))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("EngineExtraConfigs: %w", err)
	}
	return nil
}

// Scenarios returns the scenario names, sorted.
func Scenarios() []string {
	out := make([]string, 0, len(scenarios))
	for k := range scenarios {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// New returns the engine of cfg: the scenario EngineExtraConfigs.Scenario
// (DefaultScenario if none) with the other EngineExtraConfigs as its
// settings.
func New(cfg cosim.EngineConfig) (*cosim.StepperEngine, error) {
	extra := map[string]any{}
	for k, v := range cfg.EngineExtraConfigs {
		extra[k] = v
	}
	name := DefaultScenario
	if v, ok := extra["Scenario"]; ok {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("netgymengine: engine %q: EngineExtraConfigs.Scenario must be a string", cfg.EngineName)
		}
		name = s
		delete(extra, "Scenario")
	}
	b, ok := scenarios[name]
	if !ok {
		return nil, fmt.Errorf("netgymengine: engine %q: unknown scenario %q (scenarios: %s)", cfg.EngineName, name,
			strings.Join(Scenarios(), ", "))
	}
	var raw []byte
	if len(extra) > 0 {
		var err error
		if raw, err = json.Marshal(extra); err != nil {
			return nil, err
		}
	}
	st, seed, err := b(raw)
	if err != nil {
		return nil, fmt.Errorf("netgymengine: engine %q, scenario %q: %w", cfg.EngineName, name, err)
	}
	return cosim.NewStepperEngine(st, seed, 1)
}

// Register adds EngineType "netgym" to r.
func Register(r *cosim.Registry) {
	r.Register(EngineType, func(_ context.Context, cfg cosim.EngineConfig, _ cosim.FactoryEnv) (cosim.Engine, error) {
		return New(cfg)
	})
}

// NewRegistry returns cosim.NewRegistry with netgym's engines.
func NewRegistry() *cosim.Registry {
	r := cosim.NewRegistry()
	Register(r)
	return r
}
