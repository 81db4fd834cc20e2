// Package rl places the parts of a reinforcement-learning loop on
// simulated network nodes, as DEFIANCE does in ns-3, and steps them as
// Gym-style environments.
//
// # Applications
//
// Four roles, each an application on an inet.Node, talk over
// channelif.ChannelInterface: ObservationApplication and RewardApplication
// (both DataCollectorApplication) measure and Send to agents;
// AgentApplication stores what arrives in a History per source (plus a
// combined one), calls its hooks' OnRecvObs and OnRecvReward, and, on
// InferAction, hands its current observation and reward to a Decider;
// the action delay later the action is initiated, by default sent as
// {"default": action} to every ActionApplication, which hands it to its
// ActionHandler's ExecuteAction. Every application embeds RlApplication:
// its RlApplicationID ("agent_3"), its node and default address, and its
// interfaces keyed by remote application id, then interface id.
//
// User code customises a role the Go way: a struct embeds the role's
// pointer type and implements a small interface (CollectorHooks,
// AgentHooks, ActionHandler, and optionally ActionInitiator,
// AgentMessageHandler, ExtraInfoProvider), then passes itself to the
// constructor:
//
//	type myAgent struct{ *rl.AgentApplication }
//	func (a *myAgent) OnRecvObs(src uint32)    { ...; a.SetObservation(v); _ = a.InferAction() }
//	func (a *myAgent) OnRecvReward(src uint32) { ... }
//
//	a := &myAgent{}
//	a.AgentApplication, err = rl.NewAgentApplication(node, cfg, a)
//
// CommunicationHelper numbers the applications of each role (SetIDs),
// calls their Setup (Configure) and connects pairs (AddCommunication):
// simple interfaces with a fixed delay, or UDP socket interfaces through
// the simulated network when socket attributes are given.
//
// # Environments and agents
//
// MultiAgentEnv steps a Scenario (rebuilt for every episode by a
// ScenarioBuilder) with DEFIANCE's turn-based semantics: each InferAction
// of an agent is one environment step for that agent; the simulation
// pauses inside that event (sim.Simulator.Stop) until Step answers, and
// the action executes exactly the action delay later in simulated time.
// A game over (RequestTermination) ends an agent's episode as terminated,
// RequestTruncation and the end of the simulation as truncated. Env is the
// single-agent, Gym-style view (Reset, Step returning observation,
// reward, terminated, truncated, info).
//
// Go agents implement Agent (Act, optionally Learner); RandomAgent and
// the tabular QLearningAgent are provided. RunEpisode plays an episode of
// a MultiAgentEnv with Go agents; AgentApplication.AttachAgent lets a Go
// agent decide without pausing the simulation at all.
//
// Package rl/agentlink serves these scenarios to the outside world both
// ways: to external agents through one turn loop (Link; ns3-gym's ZeroMQ
// protocol in rl/opengym) and to outside loops that step the simulation
// by dt and read and write named data (Stepper: NRP-core engines,
// in-process Gymnasium envs).
//
// Everything is driven from the simulation's goroutine and holds no global
// state: run many environments in parallel goroutines, one each.
package rl
