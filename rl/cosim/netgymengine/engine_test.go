package netgymengine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/cosim"
	"github.com/netgym/netgym/rl/cosim/netgymengine"
)

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra map[string]any
		data  int    // number of data
		first string // first datum
		err   string
	}{
		{"default scenario", nil, 10, "uplink/in", ""},
		{"relay settings", map[string]any{"Scenario": "wifi-relay", "Distance": 30.0, "UplinkSize": 7.0, "EndSeconds": 2.0}, 10, "uplink/in", ""},
		{"rl-wifi", map[string]any{"Scenario": "rl-wifi", "Distance": 20.0, "TruncationSeconds": 10.0}, 9, "agent_0/observation", ""},
		{"unknown scenario", map[string]any{"Scenario": "lte"}, 0, "", `netgymengine: engine "net": unknown scenario "lte" (scenarios: rl-wifi, wifi-relay)`},
		{"scenario not a string", map[string]any{"Scenario": 3.0}, 0, "", `netgymengine: engine "net": EngineExtraConfigs.Scenario must be a string`},
		{"bad setting", map[string]any{"Distance": -1.0}, 0, "", `netgymengine: engine "net", scenario "wifi-relay": wifirelay: Distance -1 must be a non-negative number of metres`},
		{"unknown setting", map[string]any{"Scenario": "rl-wifi", "UplinkSize": 3.0}, 0, "", `netgymengine: engine "net", scenario "rl-wifi": EngineExtraConfigs: json: unknown field "UplinkSize"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := netgymengine.New(cosim.EngineConfig{EngineName: "net", EngineType: "netgym", EngineExtraConfigs: tc.extra})
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			specs := e.DataSpecs()
			require.Len(t, specs, tc.data)
			require.Equal(t, tc.first, specs[0].Name)
		})
	}
}

// The registry makes a netgym engine from its configuration.
func ExampleRegister() {
	reg := netgymengine.NewRegistry()
	fmt.Println(reg.Types())
	e, err := reg.New(context.Background(), cosim.EngineConfig{EngineName: "net", EngineType: "netgym",
		EngineExtraConfigs: map[string]any{"Scenario": "wifi-relay", "Distance": 40.0}}, cosim.FactoryEnv{})
	fmt.Println(err)
	fmt.Println(e.(*cosim.StepperEngine).DataSpecs()[1].Name)
	// Output:
	// [grpc json netgym python_json]
	// <nil>
	// uplink/out
}
