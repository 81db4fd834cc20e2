package rlexamples

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/spaces"
)

// WifiAdditionConfig configures the addition task over 802.11a: an
// observation node at Distance metres from the agent's node sends its
// digits over ad-hoc 802.11a (UDP socket channel interfaces); the action
// and reward applications run on the agent's node. Unlike DEFIANCE's
// addition example, the action is scored against the digit the
// observation application actually drew, not the one the agent last
// received, so that a lost or late observation costs reward.
type WifiAdditionConfig struct {
	Distance float64 // metres between the observation node and the agent (10)
	// ShadowingSigma is the standard deviation (dB) of a normal loss
	// drawn for every frame on top of LogDistance (4): it makes delivery
	// fall off gradually with distance instead of at one cliff.
	ShadowingSigma float64
	TxPowerDbm     float64  // transmit power (ns-3's 16.0206 dBm)
	Retries        int      // most transmissions of a frame (ns-3's 7)
	Seed           uint64   // simulation seed (1)
	Truncation     sim.Time // episode length (100 s)
	// RewardOffset is how long after each observation the agent gets the
	// reward of its previous action and decides (100 ms): an observation
	// later than this is used one step late.
	RewardOffset sim.Time
}

// DefaultWifiAdditionConfig returns 10 m, 4 dB shadowing, ns-3's power and
// retry limit, 100 s episodes and decisions 100 ms after each
// observation.
func DefaultWifiAdditionConfig() WifiAdditionConfig {
	return WifiAdditionConfig{Distance: 10, ShadowingSigma: 4, TxPowerDbm: 16.0206, Retries: 7,
		Seed: 1, Truncation: 100 * sim.Second, RewardOffset: 100 * sim.Millisecond}
}

// Validate reports the first unusable setting.
func (c WifiAdditionConfig) Validate() error {
	switch {
	case !(c.Distance >= 0) || math.IsInf(c.Distance, 0):
		return fmt.Errorf("rlexamples: wifi distance %v must be a non-negative number", c.Distance)
	case !(c.ShadowingSigma >= 0) || math.IsInf(c.ShadowingSigma, 0):
		return fmt.Errorf("rlexamples: wifi shadowing sigma %v must be a non-negative number", c.ShadowingSigma)
	case math.IsNaN(c.TxPowerDbm) || math.IsInf(c.TxPowerDbm, 0):
		return fmt.Errorf("rlexamples: wifi tx power %v is not a number", c.TxPowerDbm)
	case c.Retries < 1:
		return fmt.Errorf("rlexamples: wifi retries %d must be at least 1", c.Retries)
	case c.Truncation < 2*sim.Second:
		return fmt.Errorf("rlexamples: wifi truncation %v must be at least 2 s", c.Truncation)
	case c.RewardOffset <= 0 || c.RewardOffset >= sim.Second:
		return fmt.Errorf("rlexamples: wifi reward offset %v must be in (0, 1 s)", c.RewardOffset)
	}
	return nil
}

// wifiWorld is the ground truth: the digit drawn last, the target offset,
// and the score of the last executed action.
type wifiWorld struct {
	digit    int64
	hint     int64
	score    float64
	sent     uint64
	received uint64
	latency  sim.Time // summed over received observations
}

// truthObsApp draws a digit every second from t = 1 s, records it as the
// truth and sends it.
type truthObsApp struct {
	*rl.ObservationApplication
	w *wifiWorld
	r func() int64
}

// RegisterCallbacks schedules the first observation.
func (o *truthObsApp) RegisterCallbacks() error {
	o.Sim().Schedule(sim.Second, o.observe)
	return nil
}

func (o *truthObsApp) observe() {
	o.w.digit = o.r()
	if o.Send(spaces.NewDictValue().Set("random_number", spaces.DiscreteValue(o.w.digit))) == nil {
		o.w.sent++
	}
	o.Sim().Schedule(sim.Second, o.observe)
}

// scoreRewardApp sends the score of the last executed action every second
// from t = 1 s + offset.
type scoreRewardApp struct {
	*rl.RewardApplication
	w      *wifiWorld
	offset sim.Time
}

// RegisterCallbacks schedules the first reward.
func (r *scoreRewardApp) RegisterCallbacks() error {
	r.Sim().Schedule(sim.Second+r.offset, r.observe)
	return nil
}

func (r *scoreRewardApp) observe() {
	_ = r.Send(spaces.NewDictValue().Set("reward", spaces.DoubleBox(r.w.score)))
	r.Sim().Schedule(sim.Second, r.observe)
}

// scoreAction scores an executed action against the true digit.
type scoreAction struct{ w *wifiWorld }

// ExecuteAction scores the action against the true digit.
func (a scoreAction) ExecuteAction(_ uint32, msg spaces.Value) {
	if x, ok := rl.ActionValue(msg).(spaces.DiscreteValue); ok {
		a.w.score = math.Exp(-math.Abs(float64(int64(x) - a.w.digit - a.w.hint)))
	}
}

// wifiAgent uses the newest digit received as its observation and infers
// on every reward.
type wifiAgent struct {
	*rl.AgentApplication
	w   *wifiWorld
	Err error
}

// OnRecvObs makes the newest digit the observation and records its
// latency.
func (a *wifiAgent) OnRecvObs(remote uint32) {
	v, err := dictKey(a.ObservationHistory().Newest(remote), "random_number")
	if err != nil {
		a.Err = err
		return
	}
	now := a.Sim().Now()
	a.w.received++
	a.w.latency += now - now/sim.Second*sim.Second // sent on whole seconds
	a.SetObservation(v)
}

// OnRecvReward makes the newest score the reward and infers an action.
func (a *wifiAgent) OnRecvReward(remote uint32) {
	v, err := dictKey(a.RewardHistory().Newest(remote), "reward")
	if err != nil {
		a.Err = err
		return
	}
	if b, ok := v.(*spaces.BoxValue); ok && b.Len() == 1 {
		a.SetReward(b.At(0))
	}
	if a.Observation() != nil {
		if err := a.InferAction(); err != nil {
			a.Err = err
		}
	}
}

// WifiAdditionChannel reports what the channel did in one episode.
type WifiAdditionChannel struct {
	Sent, Received uint64   // observations
	MeanLatency    sim.Time // of the received observations
}

// DeliveryRatio returns the fraction of observations received.
func (c WifiAdditionChannel) DeliveryRatio() float64 {
	if c.Sent == 0 {
		return 0
	}
	return float64(c.Received) / float64(c.Sent)
}

// WifiAdditionScenario returns the builder of the Wi-Fi addition example
// and a function reporting the channel of the newest episode. Node 0
// (observation application) stands Distance metres from node 1 (agent,
// reward and action applications); the target is digit + 1 (the reward
// node's id, as in DEFIANCE), the action space Discrete(2 + 9).
func WifiAdditionScenario(cfg WifiAdditionConfig) (rl.ScenarioBuilder, func() WifiAdditionChannel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	var last *wifiWorld
	build := func(run uint64) (*rl.Scenario, error) {
		s := sim.New(cfg.Seed, run)
		nc := mac80211.DefaultNetworkConfig()
		nc.Phy.TxPowerDbm = cfg.TxPowerDbm
		nc.Mac.RetryLimit, nc.Mac.LongRetryLimit = cfg.Retries, cfg.Retries
		if cfg.ShadowingSigma > 0 {
			nc.Medium.Loss = propagation.NewChain(propagation.DefaultLogDistance(),
				&propagation.Random{Loss: distuv.Normal{Mu: 0, Sigma: cfg.ShadowingSigma, Src: s.Stream("rl-wifi/shadowing")}})
		}
		wn, err := mac80211.NewNetwork(s, nc, []mobility.Vector{{X: cfg.Distance}, {}})
		if err != nil {
			return nil, err
		}
		obsNode, agentNode := wn.Nodes[0], wn.Nodes[1]
		w := &wifiWorld{hint: int64(agentNode.ID())}
		digits := s.Stream("rl-wifi/digits")
		o := &truthObsApp{w: w, r: func() int64 { return digits.Int64N(10) }}
		if o.ObservationApplication, err = rl.NewObservationApplication(obsNode, o); err != nil {
			return nil, err
		}
		r := &scoreRewardApp{w: w, offset: cfg.RewardOffset}
		if r.RewardApplication, err = rl.NewRewardApplication(agentNode, r); err != nil {
			return nil, err
		}
		obsSpace, _ := spaces.NewDiscrete(10)
		actSpace, _ := spaces.NewDiscrete(int64(len(wn.Nodes)) + 9)
		a := &wifiAgent{w: w}
		acfg := rl.AgentConfig{ObservationSpace: obsSpace, ActionSpace: actSpace}
		if a.AgentApplication, err = rl.NewAgentApplication(agentNode, acfg, a); err != nil {
			return nil, err
		}
		act, err := rl.NewActionApplication(agentNode, scoreAction{w: w})
		if err != nil {
			return nil, err
		}
		h, err := wire(s, []rl.Application{o}, []rl.Application{r}, []rl.Application{a}, []rl.Application{act})
		if err != nil {
			return nil, err
		}
		sock := rl.CommunicationAttributes{Socket: &rl.SocketAttributes{}}
		if _, err := h.AddCommunication(
			rl.CommunicationPair{Client: rl.ObservationID(0), Server: rl.AgentID(0), Attributes: sock},
			rl.CommunicationPair{Client: rl.RewardID(0), Server: rl.AgentID(0), Attributes: sock}, // same node: simple
			rl.CommunicationPair{Client: rl.ActionID(0), Server: rl.AgentID(0), Attributes: sock}, // same node: simple
		); err != nil {
			return nil, err
		}
		s.Schedule(cfg.Truncation-sim.Second/2, a.RequestTruncation)
		last = w
		return &rl.Scenario{Sim: s, Agents: []*rl.AgentApplication{a.AgentApplication}, End: cfg.Truncation + sim.Second}, nil
	}
	channel := func() WifiAdditionChannel {
		if last == nil {
			return WifiAdditionChannel{}
		}
		c := WifiAdditionChannel{Sent: last.sent, Received: last.received}
		if last.received > 0 {
			c.MeanLatency = last.latency / sim.Time(last.received)
		}
		return c
	}
	return build, channel, nil
}

// WifiAdditionResult sums up TrainWifiAddition.
type WifiAdditionResult struct {
	TrainingResult
	// EvalChannel is the channel of the evaluation episode.
	EvalChannel WifiAdditionChannel
}

// TrainWifiAddition trains a Q-learning (or random) agent on the Wi-Fi
// addition example for episodes episodes and evaluates it greedily on one
// more.
func TrainWifiAddition(cfg WifiAdditionConfig, kind string, episodes int) (WifiAdditionResult, error) {
	var res WifiAdditionResult
	build, channel, err := WifiAdditionScenario(cfg)
	if err != nil {
		return res, err
	}
	if res.TrainingResult, err = TrainScenario(build, 1, kind, cfg.Seed, AdditionQConfig(), episodes); err != nil {
		return res, err
	}
	res.EvalChannel = channel()
	return res, nil
}
