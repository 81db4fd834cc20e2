package cosim_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/cosim"
	"github.com/netgym/netgym/rl/cosim/engineserver"
	"github.com/netgym/netgym/rl/cosim/netgymengine"
)

// TestMain lets this test binary play an engine process launched by the
// loop (NRP-core's command line: --engine, --serverurl, --regservurl).
func TestMain(m *testing.M) {
	if os.Getenv("COSIM_HELPER_ENGINE") == "1" {
		os.Exit(helperEngine(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func helperEngine(args []string) int {
	fs := flag.NewFlagSet("helper", flag.ContinueOnError)
	name := fs.String("engine", "", "")
	server := fs.String("serverurl", "", "")
	reg := fs.String("regservurl", "", "")
	_ = fs.String("test.run", "", "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ln, err := engineserver.Listen(*server)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	srv := engineserver.New(*name, func(cfg cosim.EngineConfig) (cosim.Engine, error) { return netgymengine.New(cfg) })
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(context.Background(), ln) }()
	if err := engineserver.Register(context.Background(), *reg, *name, ln.Addr().String(), 5, 100*time.Millisecond); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := <-errc; err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// A JSON engine launched by the loop (EngineProcCmd) registers its address
// at the loop's registration server and is driven over REST.
func TestLaunchedJSONEngine(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	ts := 0.01
	cfg := cosim.EngineConfig{EngineName: "net", EngineType: "json", EngineTimestep: &ts,
		EngineProcCmd: exe, EngineProcStartParams: []string{"-test.run=^$"}, EngineEnvParams: []string{"COSIM_HELPER_ENGINE=1"},
		ServerAddress: "127.0.0.1:0", RegistrationServerAddress: "127.0.0.1:0",
		EngineExtraConfigs: map[string]any{"Scenario": "wifi-relay"}}
	e, err := netgymengine.NewRegistry().New(context.Background(), cfg, cosim.FactoryEnv{})
	require.NoError(t, err)
	var got []any
	tf := cosim.NewTransceiverFunction("tf", "net", []cosim.Input{cosim.EngineDataPack("d", "downlink/out", "net")},
		func(info cosim.StepInfo, in []cosim.DataPack) ([]cosim.DataPack, error) {
			got = append(got, in[0].Data)
			return []cosim.DataPack{{DataPackID: cosim.DataPackID{Name: "downlink/in", Engine: "net"}, Data: []any{float64(info.Iteration)}}}, nil
		})
	l, err := cosim.NewLoop(cosim.LoopConfig{Timeout: 30_000_000}, []cosim.LoopEngine{{Config: cfg, Engine: e}}, []cosim.Function{tf})
	require.NoError(t, err)
	_, err = l.Run(context.Background())
	require.NoError(t, err)
	require.Equal(t, []any{nil, []any{0.0}, []any{1.0}}, got)
}

// A launched engine that exits before registering is reported at once.
func TestLaunchedEngineDiesBeforeRegistering(t *testing.T) {
	ts := 0.01
	cfg := cosim.EngineConfig{EngineName: "net", EngineType: "json", EngineTimestep: &ts,
		EngineProcCmd: "false", RegistrationServerAddress: "127.0.0.1:0"}
	_, err := cosim.NewRegistry().New(context.Background(), cfg, cosim.FactoryEnv{})
	require.ErrorIs(t, err, cosim.ErrEngineGone)
	require.ErrorContains(t, err, `cosim: engine "net": launch: engine process ended before registering (exit status 1)`)
}
