// Package catalog registers netgym's scenarios with the sweep runner: every
// scenario that has a library entry point, each as one sweep.Scenario
// (name, typed parameters with defaults and ranges, metrics, a run
// function). A new scenario is one more entry in Register's list.
//
// Seeds and runs follow ns-3: the seed selects a family of random streams,
// the run number an independent replication within it. Where a scenario's
// library entry point has both (sim.New(seed, run)), the sweep's seed and
// run go there unchanged, so that a sweep row reproduces the scenario's
// binary run with the same flags.
package catalog

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/channelif"
	mmch "github.com/netgym/netgym/channelif/mmwave"
	"github.com/netgym/netgym/channelif/nr"
	"github.com/netgym/netgym/channelif/wifi"
	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/mac80211/bssgrid"
	"github.com/netgym/netgym/mmwave"
	"github.com/netgym/netgym/nr5g"
	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/rlexamples"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sweep"
)

// New returns a registry with every netgym scenario.
func New() (*sweep.Registry, error) {
	r := sweep.NewRegistry()
	if err := Register(r); err != nil {
		return nil, err
	}
	return r, nil
}

// Register adds netgym's scenarios to r.
func Register(r *sweep.Registry) error {
	var errs []error
	for _, sc := range []sweep.Scenario{
		wifiSim(), wifiMultiUE(), wifiSaturation(), channelSim(),
		defianceAddition(), multiAgentCounters(), rlWifi(), wifiGrid(), lenaSim(), nrCell(),
		mmwaveSim(), mmwaveCell(),
	} {
		errs = append(errs, r.Register(sc))
	}
	return errors.Join(errs...)
}

// stepping runs NetRL's stepping loop (channelif.RunSteps): one packet of
// size bytes per UE and step, flushed every step. Its metrics are the
// delivery ratio, the mean lag in steps of the delivered packets (NaN if
// none) and the number delivered.
func stepping(ctx context.Context, b channelif.Backend, steps, size int) (map[string]float64, error) {
	st, err := channelif.RunSteps(ctx, b, steps, size, nil)
	if err != nil {
		return nil, err
	}
	return map[string]float64{"delivery": st.Delivery(), "mean_lag": st.MeanLag(), "received": float64(st.Received)}, nil
}

// steppingSim is stepping on a simulated backend, with the simulator's
// event count as metric "events".
func steppingSim(ctx context.Context, b *channelif.SimBackend, steps, size int) (map[string]float64, error) {
	m, err := stepping(ctx, b, steps, size)
	if err != nil {
		return nil, err
	}
	m["events"] = float64(b.Simulator().EventCount())
	return m, nil
}

var steppingMetrics = []sweep.Metric{
	{Name: "delivery", Help: "fraction of the steps' packets delivered by the end"},
	{Name: "mean_lag", Unit: "steps", Help: "mean steps from sending to the flush that returned a packet (NaN if none arrived)"},
	{Name: "received", Help: "packets delivered"},
	{Name: "events", Help: "simulator events executed"},
}

func stepsParam(def int) sweep.Param {
	return sweep.Param{Name: "steps", Kind: sweep.Int, Default: def, Min: 1, Max: 1e9, Help: "steps, one packet each"}
}

func wifiConfig(p sweep.Values, seed, run uint64) wifi.Config {
	c := wifi.DefaultConfig()
	c.Distance = p.Float("distance")
	c.StepMs = p.Float("step_ms")
	c.TxPowerDbm = p.Float("tx_power")
	c.LossExponent = p.Float("loss_exp")
	c.Retries = int(p.Int("retries"))
	c.PacketSize = int(p.Int("pkt_size"))
	c.Seed, c.Run = seed, run
	return c
}

func wifiSim() sweep.Scenario {
	d := wifi.DefaultConfig()
	return sweep.Scenario{
		Name:    "wifi-sim",
		Summary: "NetRL's Wi-Fi ad-hoc channel (scenarios/wifi-sim) stepped in process: one packet per step, flushed every step",
		Params: []sweep.Param{
			{Name: "distance", Kind: sweep.Float, Default: d.Distance, Min: 0, Max: 1e5, Help: "metres between sender and receiver"},
			{Name: "step_ms", Kind: sweep.Float, Default: d.StepMs, Min: 1e-6, Max: 1e6, Help: "simulated milliseconds per step"},
			stepsParam(2000),
			{Name: "tx_power", Kind: sweep.Float, Default: d.TxPowerDbm, Min: -100, Max: 100, Help: "transmit power, dBm"},
			{Name: "loss_exp", Kind: sweep.Float, Default: d.LossExponent, Min: 0.1, Max: 10, Help: "LogDistance exponent"},
			{Name: "retries", Kind: sweep.Int, Default: d.Retries, Min: 1, Max: 1000, Help: "most transmissions of a frame"},
			{Name: "pkt_size", Kind: sweep.Int, Default: d.PacketSize, Min: 0, Max: wifi.MaxPacketSize, Help: "payload bytes per step"},
		},
		Metrics: steppingMetrics,
		Check:   func(p sweep.Values) error { return wifiConfig(p, 1, 1).Validate() },
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			cfg := wifiConfig(p, seed, run)
			ch, err := wifi.NewChannel(cfg)
			if err != nil {
				return nil, err
			}
			return steppingSim(ctx, ch.Backend(), int(p.Int("steps")), cfg.PacketSize)
		},
	}
}

func multiUEConfig(p sweep.Values, seed, run uint64) wifi.MultiUEConfig {
	c := wifi.DefaultMultiUEConfig()
	c.NUEs = int(p.Int("n_ues"))
	c.Distances = []float64{p.Float("distance")}
	c.StepMs = p.Float("step_ms")
	c.TxPowerDbm = p.Float("tx_power")
	c.LossExponent = p.Float("loss_exp")
	c.Retries = int(p.Int("retries"))
	c.PacketSize = int(p.Int("pkt_size"))
	c.Seed, c.Run = seed, run
	return c
}

func wifiMultiUE() sweep.Scenario {
	d := wifi.DefaultMultiUEConfig()
	return sweep.Scenario{
		Name:    "wifi-multi-ue-sim",
		Summary: "NetRL's multi-UE Wi-Fi (scenarios/wifi-multi-ue-sim): an AP and n stations at one distance, one uplink packet per UE per step",
		Params: []sweep.Param{
			{Name: "n_ues", Kind: sweep.Int, Default: d.NUEs, Min: 1, Max: wifi.MultiUEMaxUEs, Help: "stations"},
			{Name: "distance", Kind: sweep.Float, Default: d.Distances[0], Min: 0, Max: 1e5, Help: "metres from every station to the AP"},
			{Name: "step_ms", Kind: sweep.Float, Default: d.StepMs, Min: 1e-6, Max: 1e6, Help: "simulated milliseconds per step"},
			stepsParam(2000),
			{Name: "tx_power", Kind: sweep.Float, Default: d.TxPowerDbm, Min: -100, Max: 100, Help: "transmit power, dBm"},
			{Name: "loss_exp", Kind: sweep.Float, Default: d.LossExponent, Min: 0.1, Max: 10, Help: "LogDistance exponent"},
			{Name: "retries", Kind: sweep.Int, Default: d.Retries, Min: 1, Max: 1000, Help: "most transmissions of a frame"},
			{Name: "pkt_size", Kind: sweep.Int, Default: d.PacketSize, Min: 0, Max: wifi.MaxPacketSize, Help: "payload bytes per UE and step"},
		},
		Metrics: append([]sweep.Metric{}, append(steppingMetrics,
			sweep.Metric{Name: "associated", Help: "fraction of the stations associated at the end"})...),
		Check: func(p sweep.Values) error { return multiUEConfig(p, 1, 1).Validate() },
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			cfg := multiUEConfig(p, seed, run)
			b, err := wifi.NewMultiUEBackend(cfg)
			if err != nil {
				return nil, err
			}
			m, err := steppingSim(ctx, b.SimBackend, int(p.Int("steps")), cfg.PacketSize)
			if err != nil {
				return nil, err
			}
			assoc := 0
			for ue := range cfg.NUEs {
				if b.IsAssociated(ue) {
					assoc++
				}
			}
			m["associated"] = float64(assoc) / float64(cfg.NUEs)
			return m, nil
		},
	}
}

func saturationConfig(p sweep.Values, seed, run uint64) mac80211.SaturationConfig {
	c := mac80211.DefaultSaturationConfig()
	c.N = int(p.Int("n"))
	c.RateMbps = int(p.Int("rate"))
	c.Raw = p.String("mode") == "raw"
	c.Duration = sim.Seconds(p.Float("duration_s"))
	c.Warmup = sim.Seconds(p.Float("warmup_s"))
	c.Payload = int(p.Int("payload"))
	c.OfferedMbps = p.Float("offered_mbps")
	c.Infra = p.Bool("infra")
	c.StaticARP = p.Bool("static_arp")
	c.Radius = p.Float("radius")
	c.Seed, c.Run = seed, run
	return c
}

func wifiSaturation() sweep.Scenario {
	d := mac80211.DefaultSaturationConfig()
	return sweep.Scenario{
		Name:    "wifi-saturation",
		Summary: "802.11a saturation (scenarios/wifi-saturation): n stations sending to one receiver as fast as the MAC allows",
		Params: []sweep.Param{
			{Name: "n", Kind: sweep.Int, Default: d.N, Min: 1, Max: 10000, Help: "sending stations"},
			{Name: "rate", Kind: sweep.Int, Default: d.RateMbps, Min: 6, Max: 54, Help: "data rate, Mb/s (6, 9, 12, 18, 24, 36, 48, 54)"},
			{Name: "mode", Kind: sweep.String, Default: "udp", Choices: []string{"udp", "raw"}, Help: "udp: UDP/IPv4 CBR; raw: MSDUs to the MAC"},
			{Name: "duration_s", Kind: sweep.Float, Default: d.Duration.Seconds(), Min: 1e-6, Max: 1e6, Help: "traffic window, simulated seconds"},
			{Name: "warmup_s", Kind: sweep.Float, Default: d.Warmup.Seconds(), Min: 0, Max: 1e6, Help: "time before traffic, simulated seconds"},
			{Name: "payload", Kind: sweep.Int, Default: d.Payload, Min: 1, Max: mac80211.MTU, Help: "payload bytes per packet"},
			{Name: "offered_mbps", Kind: sweep.Float, Default: d.OfferedMbps, Min: 1e-6, Max: 1e6, Help: "per-station CBR in udp mode, Mb/s"},
			{Name: "infra", Kind: sweep.Bool, Default: false, Help: "the receiver is an AP the stations associate with"},
			{Name: "static_arp", Kind: sweep.Bool, Default: false, Help: "pre-fill the ARP caches"},
			{Name: "radius", Kind: sweep.Float, Default: 0.0, Min: 0, Max: 1e5, Help: "ring radius, m (0: 1 m raw, 5 m udp)"},
		},
		Metrics: []sweep.Metric{
			{Name: "throughput_mbps", Unit: "Mb/s", Help: "payload goodput at the receiver during the traffic window"},
			{Name: "events", Help: "simulator events executed"},
		},
		Check: func(p sweep.Values) error {
			c := saturationConfig(p, 1, 1)
			return c.Validate()
		},
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			res, err := mac80211.RunSaturation(saturationConfig(p, seed, run))
			if err != nil {
				return nil, err
			}
			return map[string]float64{"throughput_mbps": res.ThroughputMbps, "events": float64(res.Events)}, nil
		},
	}
}

func geConfig(p sweep.Values) channelif.GEConfig {
	c := channelif.DefaultGEConfig()
	c.PGB, c.PBG = p.Float("p_gb"), p.Float("p_bg")
	c.LossGood, c.LossBad = p.Float("loss_good"), p.Float("loss_bad")
	c.DelaySteps = int(p.Int("delay_steps"))
	return c
}

func channelSim() sweep.Scenario {
	d := channelif.DefaultGEConfig()
	prob := func(name string, def float64, help string) sweep.Param {
		return sweep.Param{Name: name, Kind: sweep.Float, Default: def, Min: 0, Max: 1, Help: help}
	}
	return sweep.Scenario{
		Name:    "channel-sim",
		Summary: "NetRL's Perfect or Gilbert-Elliott channel (scenarios/channel-sim), no network simulation; one packet per step",
		Params: []sweep.Param{
			{Name: "model", Kind: sweep.String, Default: "ge", Choices: []string{"ge", "perfect"}, Help: "channel model"},
			prob("p_gb", d.PGB, "GE: probability GOOD -> BAD per transmission"),
			prob("p_bg", d.PBG, "GE: probability BAD -> GOOD per transmission"),
			prob("loss_good", d.LossGood, "GE: loss probability in GOOD"),
			prob("loss_bad", d.LossBad, "GE: loss probability in BAD"),
			{Name: "delay_steps", Kind: sweep.Int, Default: d.DelaySteps, Min: 0, Max: 1e6, Help: "GE: steps from transmission to arrival"},
			stepsParam(2000),
		},
		Metrics: []sweep.Metric{steppingMetrics[0], steppingMetrics[1], steppingMetrics[2]},
		Check:   func(p sweep.Values) error { return geConfig(p).Validate() },
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			var ch channelif.CommChannel
			if p.String("model") == "perfect" {
				ch = channelif.NewPerfectChannel()
			} else {
				c := geConfig(p)
				// Run 1 is the channel-sim binary's --seed; other runs
				// draw an independent seed from (seed, run).
				c.Seed = int64(seed)
				if run != 1 {
					c.Seed = sim.NewStream(seed, run, "sweep/channel-sim").Int64()
				}
				ge, err := channelif.NewGEChannel(c)
				if err != nil {
					return nil, err
				}
				ch = ge
			}
			b, err := channelif.NewChannelBackend(ch, channelif.DefaultChannelBackendConfig())
			if err != nil {
				return nil, err
			}
			return stepping(ctx, b, int(p.Int("steps")), channelif.DefaultPacketSize)
		},
	}
}

// episodeRun returns the first episode run number of sweep run r when each
// sweep run plays episodes episodes: sweep run 1 starts at episode run 1,
// as the example binaries do, and sweep runs never share an episode.
func episodeRun(r uint64, episodes int) uint64 { return (r-1)*uint64(episodes) + 1 }

var agentParam = sweep.Param{Name: "agent", Kind: sweep.String, Default: rlexamples.AgentQLearning,
	Choices: []string{rlexamples.AgentQLearning, rlexamples.AgentRandom}, Help: "Go agents"}

func meanCurve(r rlexamples.TrainingResult) float64 {
	c := r.TrainingCurve()
	if len(c) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range c {
		s += v
	}
	return s / float64(len(c))
}

func additionConfig(p sweep.Values, seed uint64) rlexamples.AdditionConfig {
	c := rlexamples.DefaultAdditionConfig()
	c.Pairs = int(p.Int("pairs"))
	c.Truncation = sim.Seconds(p.Float("truncation_s"))
	c.Delay = sim.Milliseconds(p.Float("delay_ms"))
	c.ActionDelay = sim.Milliseconds(p.Float("action_delay_ms"))
	c.Seed = seed
	return c
}

var rlMetrics = []sweep.Metric{
	{Name: "greedy_mean_reward", Help: "mean reward per action of the greedy evaluation episode"},
	{Name: "training_mean_reward", Help: "mean reward per action over the training episodes (NaN for none)"},
}

func defianceAddition() sweep.Scenario {
	d := rlexamples.DefaultAdditionConfig()
	return sweep.Scenario{
		Name:    "defiance-addition",
		Summary: "DEFIANCE's addition example (scenarios/defiance-addition): Go agents trained, then one greedy episode",
		Params: []sweep.Param{
			{Name: "pairs", Kind: sweep.Int, Default: d.Pairs, Min: 1, Max: 1000, Help: "observation/reward/agent/action quadruples"},
			agentParam,
			{Name: "episodes", Kind: sweep.Int, Default: 5, Min: 0, Max: 1e6, Help: "training episodes before the greedy one"},
			{Name: "truncation_s", Kind: sweep.Float, Default: d.Truncation.Seconds(), Min: 1e-3, Max: 1e7, Help: "episode length, simulated seconds"},
			{Name: "delay_ms", Kind: sweep.Float, Default: 0.0, Min: 0, Max: 1e7, Help: "propagation delay of the simple interfaces, ms"},
			{Name: "action_delay_ms", Kind: sweep.Float, Default: 0.0, Min: 0, Max: 1e7, Help: "agents' action delay, ms"},
		},
		Metrics: rlMetrics,
		Check:   func(p sweep.Values) error { return additionConfig(p, 1).Validate() },
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			build, err := rlexamples.AdditionScenario(additionConfig(p, seed))
			if err != nil {
				return nil, err
			}
			n := int(p.Int("episodes"))
			res, err := rlexamples.TrainScenario(build, episodeRun(run, n+1), p.String("agent"), seed, rlexamples.AdditionQConfig(), n)
			if err != nil {
				return nil, err
			}
			return map[string]float64{"greedy_mean_reward": res.Eval.MeanReward(), "training_mean_reward": meanCurve(res)}, nil
		},
	}
}

func countersConfig(p sweep.Values, seed uint64) rlexamples.CountersConfig {
	c := rlexamples.DefaultCountersConfig()
	c.Agents = int(p.Int("agents"))
	c.Delay = sim.Milliseconds(p.Float("delay_ms"))
	c.ActionDelay = sim.Milliseconds(p.Float("action_delay_ms"))
	c.Seed = seed
	return c
}

func multiAgentCounters() sweep.Scenario {
	d := rlexamples.DefaultCountersConfig()
	return sweep.Scenario{
		Name:    "multi-agent-counters",
		Summary: "agents driving counters to 0 (scenarios/multi-agent-counters): trained, then greedy evaluation episodes",
		Params: []sweep.Param{
			{Name: "agents", Kind: sweep.Int, Default: d.Agents, Min: 1, Max: 1000, Help: "agents, one counter each"},
			agentParam,
			{Name: "episodes", Kind: sweep.Int, Default: 600, Min: 0, Max: 1e6, Help: "training episodes"},
			{Name: "eval_episodes", Kind: sweep.Int, Default: 5, Min: 1, Max: 1e6, Help: "greedy evaluation episodes"},
			{Name: "delay_ms", Kind: sweep.Float, Default: 0.0, Min: 0, Max: 1e7, Help: "propagation delay of the simple interfaces, ms"},
			{Name: "action_delay_ms", Kind: sweep.Float, Default: 0.0, Min: 0, Max: 1e7, Help: "agents' action delay, ms"},
		},
		Metrics: []sweep.Metric{
			{Name: "eval_final_abs", Help: "mean |counter| at the end of the evaluation episodes"},
			{Name: "eval_mean_reward", Help: "mean reward per action over the evaluation episodes"},
		},
		Check: func(p sweep.Values) error { return countersConfig(p, 1).Validate() },
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			cfg := countersConfig(p, seed)
			build, world, err := rlexamples.CountersScenario(cfg)
			if err != nil {
				return nil, err
			}
			n, ne := int(p.Int("episodes")), int(p.Int("eval_episodes"))
			env, err := rl.NewMultiAgentEnv(build, episodeRun(run, n+ne))
			if err != nil {
				return nil, err
			}
			agents, err := rlexamples.NewAgents(env, p.String("agent"), seed, rlexamples.CountersQConfig())
			if err != nil {
				return nil, err
			}
			for range n {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				if _, err := rl.RunEpisode(env, agents); err != nil {
					return nil, err
				}
			}
			for _, ag := range agents {
				if t, ok := ag.(interface{ SetTraining(bool) }); ok {
					t.SetTraining(false)
				}
			}
			var abs, reward float64
			var count int
			for range ne {
				st, err := rl.RunEpisode(env, agents)
				if err != nil {
					return nil, err
				}
				reward += st.MeanReward()
				for _, c := range world().Counters {
					abs += math.Abs(float64(c.Value))
					count++
				}
			}
			return map[string]float64{"eval_final_abs": abs / float64(count), "eval_mean_reward": reward / float64(ne)}, nil
		},
	}
}

func wifiAdditionConfig(p sweep.Values, seed uint64) rlexamples.WifiAdditionConfig {
	c := rlexamples.DefaultWifiAdditionConfig()
	c.Distance = p.Float("distance")
	c.ShadowingSigma = p.Float("sigma")
	c.TxPowerDbm = p.Float("tx_power")
	c.Retries = int(p.Int("retries"))
	c.Truncation = sim.Seconds(p.Float("episode_s"))
	c.Seed = seed
	return c
}

func rlWifi() sweep.Scenario {
	d := rlexamples.DefaultWifiAdditionConfig()
	return sweep.Scenario{
		Name:    "rl-wifi",
		Summary: "the addition task with observations crossing 802.11a (scenarios/rl-wifi): trained, then one greedy episode",
		Params: []sweep.Param{
			{Name: "distance", Kind: sweep.Float, Default: d.Distance, Min: 0, Max: 1e5, Help: "metres between observation node and agent"},
			{Name: "sigma", Kind: sweep.Float, Default: d.ShadowingSigma, Min: 0, Max: 100, Help: "per-frame shadowing standard deviation, dB"},
			{Name: "tx_power", Kind: sweep.Float, Default: d.TxPowerDbm, Min: -100, Max: 100, Help: "transmit power, dBm"},
			{Name: "retries", Kind: sweep.Int, Default: d.Retries, Min: 1, Max: 1000, Help: "most transmissions of a frame"},
			agentParam,
			{Name: "episodes", Kind: sweep.Int, Default: 5, Min: 0, Max: 1e6, Help: "training episodes"},
			{Name: "episode_s", Kind: sweep.Float, Default: d.Truncation.Seconds(), Min: 2, Max: 1e7, Help: "episode length, simulated seconds"},
		},
		Metrics: append(append([]sweep.Metric{}, rlMetrics...),
			sweep.Metric{Name: "delivery", Help: "fraction of the evaluation episode's observations delivered"},
			sweep.Metric{Name: "latency_ms", Unit: "ms", Help: "mean latency of the delivered observations (NaN if none)"}),
		Check: func(p sweep.Values) error { return wifiAdditionConfig(p, 1).Validate() },
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			build, channel, err := rlexamples.WifiAdditionScenario(wifiAdditionConfig(p, seed))
			if err != nil {
				return nil, err
			}
			n := int(p.Int("episodes"))
			res, err := rlexamples.TrainScenario(build, episodeRun(run, n+1), p.String("agent"), seed, rlexamples.AdditionQConfig(), n)
			if err != nil {
				return nil, err
			}
			c := channel()
			lat := math.NaN()
			if c.Received > 0 {
				lat = c.MeanLatency.Seconds() * 1e3
			}
			return map[string]float64{"greedy_mean_reward": res.Eval.MeanReward(), "training_mean_reward": meanCurve(res),
				"delivery": c.DeliveryRatio(), "latency_ms": lat}, nil
		},
	}
}

func gridConfig(p sweep.Values, seed, run uint64) bssgrid.Config {
	c := bssgrid.DefaultConfig()
	c.BSSs = int(p.Int("bss"))
	c.StationsPerBSS = int(p.Int("stations"))
	c.Spacing = p.Float("spacing")
	c.Radius = p.Float("radius")
	c.Payload = int(p.Int("payload"))
	c.Interval = sim.Milliseconds(p.Float("interval_ms"))
	c.Poisson = p.String("traffic") == "poisson"
	c.Infrastructure = p.Bool("infra")
	c.Install.Sta.StartJitter = sim.Milliseconds(p.Float("start_jitter_ms"))
	c.Warmup = sim.Seconds(p.Float("warmup_s"))
	c.Duration = sim.Seconds(p.Float("duration_s"))
	c.Install.Phy.RxSensitivityDbm = p.Float("rx_sensitivity")
	c.Seed, c.Run = seed, run
	return c
}

func wifiGrid() sweep.Scenario {
	d := bssgrid.DefaultConfig()
	return sweep.Scenario{
		Name:    "wifi-grid",
		Summary: "a square grid of 802.11a BSSs on one channel (scenarios/wifi-grid): every station sends small UDP packets to its AP",
		Params: []sweep.Param{
			{Name: "bss", Kind: sweep.Int, Default: d.BSSs, Min: 1, Max: 1e6, Help: "BSSs (an AP and its stations each)"},
			{Name: "stations", Kind: sweep.Int, Default: d.StationsPerBSS, Min: 1, Max: 1000, Help: "stations per BSS"},
			{Name: "spacing", Kind: sweep.Float, Default: d.Spacing, Min: 0.1, Max: 1e5, Help: "metres between neighbouring APs"},
			{Name: "radius", Kind: sweep.Float, Default: d.Radius, Min: 0, Max: 1e5, Help: "stations are within this many metres of their AP"},
			{Name: "payload", Kind: sweep.Int, Default: d.Payload, Min: 1, Max: wifi.MaxPacketSize, Help: "UDP payload bytes"},
			{Name: "interval_ms", Kind: sweep.Float, Default: d.Interval.Seconds() * 1e3, Min: 1e-3, Max: 1e7, Help: "mean time between a station's packets, ms"},
			{Name: "traffic", Kind: sweep.String, Default: "poisson", Choices: []string{"poisson", "cbr"}, Help: "Poisson arrivals, or CBR with a random start"},
			{Name: "infra", Kind: sweep.Bool, Default: d.Infrastructure, Help: "APs and associating stations (else ad-hoc with static ARP)"},
			{Name: "start_jitter_ms", Kind: sweep.Float, Default: d.Install.Sta.StartJitter.Seconds() * 1e3, Min: 0, Max: mac80211.MaxStaTimeout.Seconds() * 1e3,
				Help: "with infra: each station powers on Uniform[0, this) ms after the start (0: all scan from time 0 and ask to associate together)"},
			{Name: "warmup_s", Kind: sweep.Float, Default: d.Warmup.Seconds(), Min: 0, Max: 1e6, Help: "time before traffic, simulated seconds (infra: association)"},
			{Name: "duration_s", Kind: sweep.Float, Default: d.Duration.Seconds(), Min: 1e-3, Max: 1e6, Help: "traffic window, simulated seconds"},
			{Name: "rx_sensitivity", Kind: sweep.Float, Default: d.Install.Phy.RxSensitivityDbm, Min: mac80211.MinThresholdDbm, Max: mac80211.MaxThresholdDbm,
				Help: "every PHY's RxSensitivity, dBm (ns-3's attribute): weaker signals are not even interference, and the medium culls them"},
		},
		Metrics: []sweep.Metric{
			{Name: "delivery", Help: "fraction of the packets sent in the window delivered to their AP"},
			{Name: "sent", Help: "packets sent in the window"},
			{Name: "events", Help: "simulator events executed"},
			{Name: "nodes", Help: "nodes (APs and stations)"},
			{Name: "transmissions", Help: "frames put on the air (data and ACKs, the drain included)"},
			{Name: "rx_ok_per_tx", Help: "frames received, summed over the PHYs, per transmission (ns-3's RxOk trace)"},
			{Name: "rx_error_per_tx", Help: "payloads that failed their PER draw, per transmission (ns-3's RxError)"},
			{Name: "preamble_detect_failure_per_tx", Help: "PHY drops PREAMBLE_DETECT_FAILURE per transmission (ns-3's PhyRxDrop reason)"},
			{Name: "busy_decoding_preamble_per_tx", Help: "PHY drops BUSY_DECODING_PREAMBLE per transmission"},
			{Name: "rxing_per_tx", Help: "PHY drops RXING (arrived while receiving) per transmission"},
			{Name: "txing_per_tx", Help: "PHY drops TXING (arrived while transmitting) per transmission"},
			{Name: "associated", Help: "fraction of the stations associated when traffic started (1 ad-hoc)"},
			{Name: "assoc_median_ms", Help: "infra: median of the first association times of the stations associated by the end of the warm-up, ms (NaN ad-hoc or if none)"},
			{Name: "assoc_last_ms", Help: "infra: the last of those first association times, ms (NaN ad-hoc or if none)"},
			{Name: "assoc_requests_per_sta", Help: "association requests sent (retries included) per station"},
		},
		Check: func(p sweep.Values) error { return gridConfig(p, 1, 1).Validate() },
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			cfg := gridConfig(p, seed, run)
			res, err := bssgrid.Run(ctx, cfg)
			if err != nil {
				return nil, err
			}
			tx := float64(res.Medium.Transmissions)
			perTx := func(n uint64) float64 { return float64(n) / tx } // NaN with nothing sent
			d := res.Phy.Drops
			stas := float64(cfg.BSSs * cfg.StationsPerBSS)
			return map[string]float64{"delivery": res.Delivery(), "sent": float64(res.Sent),
				"events": float64(res.Events), "nodes": float64(res.Nodes), "transmissions": tx,
				"rx_ok_per_tx":                   perTx(res.Phy.RxOk),
				"rx_error_per_tx":                perTx(d[mac80211.RxDropPayloadFailed]),
				"preamble_detect_failure_per_tx": perTx(d[mac80211.RxDropPreambleNotDetected]),
				"busy_decoding_preamble_per_tx":  perTx(d[mac80211.RxDropBusyDecodingPreamble]),
				"rxing_per_tx":                   perTx(d[mac80211.RxDropBusyRx]),
				"txing_per_tx":                   perTx(d[mac80211.RxDropTransmitting]),
				"associated":                     float64(res.Associated) / stas,
				"assoc_median_ms":                res.AssociationQuantileMs(0.5),
				"assoc_last_ms":                  res.AssociationQuantileMs(1),
				"assoc_requests_per_sta":         float64(res.Medium.TxByType[mac80211.FrameAssocRequest]) / stas}, nil
		},
	}
}

func lenaConfig(p sweep.Values, seed, run uint64) nr.Config {
	c := nr.DefaultConfig()
	c.Distance = p.Float("distance")
	c.StepMs = p.Float("step_ms")
	c.FreqHz = p.Float("freq")
	c.BandwidthHz = p.Float("bandwidth")
	c.UeTxPowerDbm = p.Float("ue_tx_power")
	c.GnbTxPowerDb = p.Float("gnb_tx_power")
	c.Scenario = p.String("tr38901")
	c.Numerology = int(p.Int("numerology"))
	c.Shadowing = p.Bool("shadowing")
	c.PacketSize = int(p.Int("pkt_size"))
	c.Seed, c.Run = seed, run
	return c
}

// lenaSim is NetRL's 5G-LENA channel (scenarios/lena-sim): the first NR
// cell, one registration like every other scenario.
func lenaSim() sweep.Scenario {
	d := nr.DefaultConfig()
	return sweep.Scenario{
		Name:    "lena-sim",
		Summary: "NetRL's 5G-LENA channel (scenarios/lena-sim): one NR UE and its gNB stepped in process, one uplink packet per step",
		Params: []sweep.Param{
			{Name: "distance", Kind: sweep.Float, Default: d.Distance, Min: 0, Max: nr.MaxDistance, Help: "metres between gNB and UE on the ground"},
			{Name: "step_ms", Kind: sweep.Float, Default: d.StepMs, Min: nr.MinStepMs, Max: 1e6, Help: "simulated milliseconds per step"},
			stepsParam(2000),
			{Name: "freq", Kind: sweep.Float, Default: d.FreqHz, Min: 0.5e9, Max: 100e9, Help: "carrier frequency, Hz"},
			{Name: "bandwidth", Kind: sweep.Float, Default: d.BandwidthHz, Min: 1e6, Max: 1e9, Help: "channel bandwidth, Hz"},
			{Name: "ue_tx_power", Kind: sweep.Float, Default: d.UeTxPowerDbm, Min: -100, Max: 100, Help: "UE transmit power, dBm"},
			{Name: "gnb_tx_power", Kind: sweep.Float, Default: d.GnbTxPowerDb, Min: -100, Max: 100, Help: "gNB transmit power, dBm"},
			{Name: "tr38901", Kind: sweep.String, Default: d.Scenario,
				Choices: []string{"UMa", "UMi", "UMi-StreetCanyon", "RMa", "InH-OfficeMixed", "InH-OfficeOpen"}, Help: "TR 38.901 scenario (lena-sim's --scenario)"},
			{Name: "numerology", Kind: sweep.Int, Default: d.Numerology, Min: 0, Max: 6, Help: "NR numerology"},
			{Name: "shadowing", Kind: sweep.Bool, Default: d.Shadowing, Help: "TR 38.901 shadowing"},
			{Name: "pkt_size", Kind: sweep.Int, Default: d.PacketSize, Min: 0, Max: nr.MaxPacketSize, Help: "payload bytes per step"},
		},
		Metrics: steppingMetrics,
		Check:   func(p sweep.Values) error { return lenaConfig(p, 1, 1).Validate() },
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			cfg := lenaConfig(p, seed, run)
			ch, err := nr.NewChannel(cfg)
			if err != nil {
				return nil, err
			}
			return steppingSim(ctx, ch.Backend(), int(p.Int("steps")), cfg.PacketSize)
		},
	}
}

// nrCellConfig returns the reference cell the parameters describe.
func nrCellConfig(p sweep.Values, seed, run uint64) nr5g.CellConfig {
	c := nr5g.DefaultCellConfig()
	c.UEs = int(p.Int("n"))
	c.Distance = p.Float("distance")
	c.RateBps = p.Float("rate")
	c.PacketSize = int(p.Int("packet"))
	c.Numerology = nr5g.Numerology(p.Int("mu"))
	c.BandwidthHz = p.Float("bandwidth")
	c.FrequencyHz = p.Float("freq")
	c.Duration = sim.Seconds(p.Float("duration_s"))
	c.Seed, c.Run = seed, run
	// The parameter's choices are the names ParseSchedulerType reads.
	c.Radio.Gnb.Scheduler.Type, _ = nr5g.ParseSchedulerType(p.String("scheduler"))
	return c
}

// nrCell is the reference 5G cell of scenarios/nr-cell: one gNB, n UEs on
// a ring, downlink CBR from a remote host through the EPC.
func nrCell() sweep.Scenario {
	d := nr5g.DefaultCellConfig()
	return sweep.Scenario{
		Name:    "nr-cell",
		Summary: "the reference 5G cell (scenarios/nr-cell): one gNB, n UEs on a ring, downlink UDP CBR through the EPC",
		Params: []sweep.Param{
			{Name: "n", Kind: sweep.Int, Default: d.UEs, Min: 1, Max: 1000, Help: "UEs on the ring"},
			{Name: "distance", Kind: sweep.Float, Default: d.Distance, Min: 1, Max: 1e5, Help: "ring radius, m"},
			{Name: "rate", Kind: sweep.Float, Default: d.RateBps, Min: 1, Max: 1e10, Help: "downlink CBR per UE, b/s"},
			{Name: "packet", Kind: sweep.Int, Default: d.PacketSize, Min: 1, Max: nr5g.MaxCellPacket, Help: "UDP payload, bytes"},
			{Name: "mu", Kind: sweep.Int, Default: int(d.Numerology), Min: 0, Max: 4, Help: "numerology"},
			{Name: "bandwidth", Kind: sweep.Float, Default: d.BandwidthHz, Min: 1e6, Max: 1e9, Help: "bandwidth, Hz"},
			{Name: "freq", Kind: sweep.Float, Default: d.FrequencyHz, Min: 0.5e9, Max: 100e9, Help: "carrier frequency, Hz"},
			{Name: "duration_s", Kind: sweep.Float, Default: d.Duration.Seconds(), Min: 1e-3, Max: 1e4, Help: "traffic window after the 0.4 s warm-up, simulated seconds"},
			{Name: "scheduler", Kind: sweep.String, Default: "TdmaRR",
				Choices: []string{"TdmaRR", "TdmaPF", "TdmaMR", "OfdmaRR", "OfdmaPF", "OfdmaMR"}, Help: "5G-LENA's MAC scheduler"},
		},
		Metrics: []sweep.Metric{
			{Name: "goodput_mbps", Unit: "Mb/s", Help: "UDP payload the UEs received during the traffic window"},
			{Name: "min_ue_mbps", Unit: "Mb/s", Help: "the worst UE's goodput"},
			{Name: "events", Help: "simulator events executed"},
		},
		Check: func(p sweep.Values) error { return nrCellConfig(p, 1, 1).Validate() },
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			res, err := nr5g.RunCell(nrCellConfig(p, seed, run))
			if err != nil {
				return nil, err
			}
			worst := math.Inf(1)
			for _, g := range res.PerUEMbps {
				worst = min(worst, g)
			}
			return map[string]float64{"goodput_mbps": res.GoodputMbps, "min_ue_mbps": worst, "events": float64(res.Events)}, nil
		},
	}
}

func mmwaveSimConfig(p sweep.Values, seed, run uint64) mmch.Config {
	c := mmch.DefaultConfig()
	c.Distance = p.Float("distance")
	c.StepMs = p.Float("step_ms")
	c.FreqHz = p.Float("freq")
	c.BandwidthHz = p.Float("bandwidth")
	c.TxPowerDbm = p.Float("tx_power")
	c.EnbTxPowerDbm = p.Float("enb_tx_power")
	c.NoiseFigDb = p.Float("noise_fig")
	c.EnbNoiseFigDb = p.Float("enb_noise_fig")
	c.Scenario = p.String("tr38901")
	c.Harq = p.Bool("harq")
	c.RlcAm = p.Bool("rlc_am")
	c.PacketSize = int(p.Int("pkt_size"))
	c.Scheduler = p.String("scheduler")
	c.Seed, c.Run = seed, run
	return c
}

// mmwaveSim is NetRL's ns3-mmwave channel (scenarios/mmwave-sim).
func mmwaveSim() sweep.Scenario {
	d := mmch.DefaultConfig()
	return sweep.Scenario{
		Name:    "mmwave-sim",
		Summary: "NetRL's ns3-mmwave channel (scenarios/mmwave-sim): one mmWave UE and its eNB stepped in process, one uplink packet per step",
		Params: []sweep.Param{
			{Name: "distance", Kind: sweep.Float, Default: d.Distance, Min: 0.01, Max: mmch.MaxDistance, Help: "metres between eNB and UE on the ground"},
			{Name: "step_ms", Kind: sweep.Float, Default: d.StepMs, Min: mmch.MinStepMs, Max: 1e6, Help: "simulated milliseconds per step"},
			stepsParam(2000),
			{Name: "freq", Kind: sweep.Float, Default: d.FreqHz, Min: 0.5e9, Max: 100e9, Help: "carrier frequency, Hz"},
			{Name: "bandwidth", Kind: sweep.Float, Default: d.BandwidthHz, Min: 1e6, Max: 2e9, Help: "channel bandwidth, Hz"},
			{Name: "tx_power", Kind: sweep.Float, Default: d.TxPowerDbm, Min: -100, Max: 100, Help: "UE transmit power, dBm"},
			{Name: "enb_tx_power", Kind: sweep.Float, Default: d.EnbTxPowerDbm, Min: -100, Max: 100, Help: "eNB transmit power, dBm"},
			{Name: "noise_fig", Kind: sweep.Float, Default: d.NoiseFigDb, Min: 0, Max: 100, Help: "UE noise figure, dB"},
			{Name: "enb_noise_fig", Kind: sweep.Float, Default: d.EnbNoiseFigDb, Min: 0, Max: 100, Help: "eNB noise figure, dB"},
			{Name: "tr38901", Kind: sweep.String, Default: d.Scenario,
				Choices: []string{"UMa", "UMi-StreetCanyon", "RMa", "InH-OfficeMixed", "InH-OfficeOpen"}, Help: "TR 38.901 fast-fading scenario (mmwave-sim's --scenario; the pathloss stays UMa's)"},
			{Name: "harq", Kind: sweep.Bool, Default: d.Harq, Help: "HARQ"},
			{Name: "rlc_am", Kind: sweep.Bool, Default: d.RlcAm, Help: "RLC AM instead of UM"},
			{Name: "pkt_size", Kind: sweep.Int, Default: d.PacketSize, Min: 0, Max: mmch.MaxPacketSize, Help: "payload bytes per step"},
			schedulerParam(d.Scheduler),
		},
		Metrics: steppingMetrics,
		Check:   func(p sweep.Values) error { return mmwaveSimConfig(p, 1, 1).Validate() },
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			cfg := mmwaveSimConfig(p, seed, run)
			ch, err := mmch.NewChannel(cfg)
			if err != nil {
				return nil, err
			}
			return steppingSim(ctx, ch.Backend(), int(p.Int("steps")), cfg.PacketSize)
		},
	}
}

// mmwaveCellConfig returns the reference mmWave cell the parameters
// describe.
func mmwaveCellConfig(p sweep.Values, seed, run uint64) mmwave.CellConfig {
	c := mmwave.DefaultCellConfig()
	c.UEs = int(p.Int("n"))
	c.Distance = p.Float("distance")
	c.RateBps = p.Float("rate")
	c.PacketSize = int(p.Int("packet"))
	c.BandwidthHz = p.Float("bandwidth")
	c.FrequencyHz = p.Float("freq")
	c.EnbHeight = p.Float("enb_height")
	c.Duration = sim.Seconds(p.Float("duration_s"))
	c.Uplink = p.Bool("uplink")
	// The parameter's choices are the names ParseSchedulerKind reads.
	c.Radio.Scheduler.Kind, _ = mmwave.ParseSchedulerKind(p.String("scheduler"))
	c.Seed, c.Run = seed, run
	return c
}

// schedulerParam is the mmWave MAC scheduler parameter of mmwave-sim and
// mmwave-cell (their -scheduler flag).
func schedulerParam(def string) sweep.Param {
	return sweep.Param{Name: "scheduler", Kind: sweep.String, Default: def, Choices: []string{"rr", "pf", "maxrate"},
		Help: "MAC scheduler: round robin (ns3-mmwave's default), proportional fair or highest MCS first"}
}

// mmwaveCell is the reference mmWave cell of scenarios/mmwave-cell: one
// eNB, n UEs on a ring, CBR between a remote host and the UEs through the
// EPC.
func mmwaveCell() sweep.Scenario {
	d := mmwave.DefaultCellConfig()
	return sweep.Scenario{
		Name:    "mmwave-cell",
		Summary: "the reference mmWave cell (scenarios/mmwave-cell): one eNB, n UEs on a ring, UDP CBR through the EPC (downlink unless uplink)",
		Params: []sweep.Param{
			{Name: "n", Kind: sweep.Int, Default: d.UEs, Min: 1, Max: 1000, Help: "UEs on the ring"},
			{Name: "distance", Kind: sweep.Float, Default: d.Distance, Min: 1, Max: 1e5, Help: "ring radius, m"},
			{Name: "rate", Kind: sweep.Float, Default: d.RateBps, Min: 1, Max: 1e11, Help: "CBR per UE, b/s"},
			{Name: "packet", Kind: sweep.Int, Default: d.PacketSize, Min: 1, Max: 1472, Help: "UDP payload, bytes"},
			{Name: "bandwidth", Kind: sweep.Float, Default: d.BandwidthHz, Min: 1e6, Max: 2e9, Help: "bandwidth, Hz"},
			{Name: "freq", Kind: sweep.Float, Default: d.FrequencyHz, Min: 0.5e9, Max: 100e9, Help: "carrier frequency, Hz"},
			{Name: "enb_height", Kind: sweep.Float, Default: d.EnbHeight, Min: 1.5, Max: 150, Help: "eNB height, m"},
			{Name: "duration_s", Kind: sweep.Float, Default: d.Duration.Seconds(), Min: 1e-3, Max: 3600, Help: "traffic window after the 0.4 s warm-up, simulated seconds"},
			{Name: "uplink", Kind: sweep.Bool, Default: d.Uplink, Help: "CBR from the UEs to the remote host"},
			schedulerParam(d.Radio.Scheduler.Kind.Flag()),
		},
		Metrics: []sweep.Metric{
			{Name: "goodput_mbps", Unit: "Mb/s", Help: "UDP payload received during the traffic window"},
			{Name: "min_ue_mbps", Unit: "Mb/s", Help: "the worst UE's goodput"},
			{Name: "events", Help: "simulator events executed"},
		},
		Check: func(p sweep.Values) error { return mmwaveCellConfig(p, 1, 1).Validate() },
		Run: func(ctx context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			res, err := mmwave.RunCell(mmwaveCellConfig(p, seed, run))
			if err != nil {
				return nil, err
			}
			worst := math.Inf(1)
			for _, g := range res.PerUEMbps {
				worst = min(worst, g)
			}
			return map[string]float64{"goodput_mbps": res.GoodputMbps, "min_ue_mbps": worst, "events": float64(res.Events)}, nil
		},
	}
}

// Describe writes a scenario's parameters and metrics, for a -list
// command.
func Describe(sc *sweep.Scenario) string {
	s := fmt.Sprintf("%s: %s\n  parameters:\n", sc.Name, sc.Summary)
	for _, p := range sc.Params {
		rng := ""
		switch p.Kind {
		case sweep.Float, sweep.Int:
			rng = fmt.Sprintf(" in [%v, %v]", p.Min, p.Max)
		case sweep.String:
			rng = fmt.Sprintf(" one of %v", p.Choices)
		}
		s += fmt.Sprintf("    %-16s %-6s default %v%s: %s\n", p.Name, p.Kind, p.Default, rng, p.Help)
	}
	s += "  metrics:\n"
	for _, m := range sc.Metrics {
		u := ""
		if m.Unit != "" {
			u = " (" + m.Unit + ")"
		}
		s += fmt.Sprintf("    %-20s%s %s\n", m.Name, u, m.Help)
	}
	return s
}
