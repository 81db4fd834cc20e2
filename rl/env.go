package rl

import (
	"errors"
	"fmt"
	"slices"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

// Scenario is one episode's simulation, as a ScenarioBuilder makes it:
// the simulator, with every application wired and its first events
// scheduled, and the agent applications an environment steps.
type Scenario struct {
	Sim    *sim.Simulator
	Agents []*AgentApplication
	// End is the simulated time at which the episode ends for every agent
	// still running (they get a truncated step). 0 means no limit: the
	// episode ends when every agent is done or no event is left.
	End sim.Time
}

// ScenarioBuilder builds a fresh scenario for an episode; run is the run
// number to give the simulator (sim.New(seed, run)), so that every episode
// draws different random numbers and the same run gives the same episode.
type ScenarioBuilder func(run uint64) (*Scenario, error)

// AgentStep is what an environment reports for one agent at one of its
// decisions (one environment step for that agent): the observation and the
// reward of the agent's previous action (meaningless at its first step),
// and whether the agent's episode terminated (game over) or was truncated
// (RequestTruncation, or the end of the simulation).
type AgentStep struct {
	Agent       string // "agent_<n>"
	Time        sim.Time
	Observation spaces.Value
	Reward      float64
	Terminated  bool
	Truncated   bool
	Info        map[string]string
}

// Final reports whether the step ends the agent's episode.
func (s AgentStep) Final() bool { return s.Terminated || s.Truncated }

// ErrEpisodeDone is returned by Step after the episode ended: call Reset.
var ErrEpisodeDone = errors.New("rl: the episode is over; call Reset")

// MultiAgentEnv steps agent applications with DEFIANCE's multi-agent
// semantics, turn-based (as PettingZoo's AEC environments): each
// InferAction of an agent is one environment step for that agent. The
// simulation pauses at that InferAction (Stop inside its event) and Reset
// or Step returns the agent's AgentStep; the next Step(action) answers it,
// schedules the action exactly the agent's action delay after the
// InferAction in simulated time, and resumes the simulation until the next
// InferAction of any agent. Decisions made in one event are reported one
// after the other, in order.
//
// An agent's episode ends at its first decision after RequestTermination
// (Terminated) or RequestTruncation (Truncated), or when the simulation
// ends (Scenario.End, or no event left): then every agent that decided at
// least once and is not done gets a final Truncated step with its current
// observation and reward. Final steps are answered with Step(nil) (the
// action is ignored). When every agent is done, Done reports true and
// Step returns ErrEpisodeDone until Reset.
type MultiAgentEnv struct {
	build   ScenarioBuilder
	nextRun uint64
	sc      *Scenario
	agents  map[string]*AgentApplication
	ids     []string
	queue   []pendingDecision
	current *pendingDecision
	ended   bool // the simulation ended
	done    bool
}

type pendingDecision struct {
	step    AgentStep
	app     *AgentApplication
	respond func(spaces.Value) error
}

// NewMultiAgentEnv returns an environment building each episode with
// build; the first episode gets run number firstRun, the next firstRun+1,
// and so on. It builds the first episode's scenario at once, so that the
// agents and spaces are known before Reset.
func NewMultiAgentEnv(build ScenarioBuilder, firstRun uint64) (*MultiAgentEnv, error) {
	if build == nil {
		return nil, errors.New("rl: NewMultiAgentEnv needs a scenario builder")
	}
	e := &MultiAgentEnv{build: build, nextRun: firstRun}
	if err := e.load(); err != nil {
		return nil, err
	}
	return e, nil
}

func (e *MultiAgentEnv) load() error {
	sc, err := e.build(e.nextRun)
	if err != nil {
		return fmt.Errorf("rl: building the scenario for run %d: %w", e.nextRun, err)
	}
	if sc == nil || sc.Sim == nil {
		return fmt.Errorf("rl: the scenario builder returned no simulator for run %d", e.nextRun)
	}
	if len(sc.Agents) == 0 {
		return fmt.Errorf("rl: the scenario of run %d has no agent applications", e.nextRun)
	}
	if sc.End < 0 {
		return fmt.Errorf("rl: scenario end %v is negative", sc.End)
	}
	e.nextRun++
	agents := make(map[string]*AgentApplication, len(sc.Agents))
	for _, a := range sc.Agents {
		if a == nil {
			return errors.New("rl: the scenario lists a nil agent application")
		}
		if a.Sim() != sc.Sim {
			return fmt.Errorf("rl: agent %v belongs to another simulation", a.ID())
		}
		id := a.ID().String()
		if _, dup := agents[id]; dup {
			return fmt.Errorf("rl: two agent applications have the id %s (call CommunicationHelper.SetIDs)", id)
		}
		agents[id] = a
		a.SetDecider(e)
	}
	e.sc, e.agents = sc, agents
	e.ids = make([]string, 0, len(agents))
	for _, a := range sc.Agents {
		e.ids = append(e.ids, a.ID().String())
	}
	slices.Sort(e.ids)
	e.queue, e.current, e.ended, e.done = nil, nil, false, false
	return nil
}

// Decide implements Decider: it queues the decision and pauses the
// simulation.
func (e *MultiAgentEnv) Decide(d Decision, respond func(spaces.Value) error) {
	e.queue = append(e.queue, pendingDecision{
		step: AgentStep{
			Agent: d.Agent.String(), Time: d.Time, Observation: d.Observation, Reward: d.Reward,
			Terminated: d.Terminated, Truncated: d.Truncated, Info: d.Info,
		},
		app:     e.agents[d.Agent.String()],
		respond: respond,
	})
	e.sc.Sim.Stop()
}

// AgentIDs returns the agents' string ids, sorted.
func (e *MultiAgentEnv) AgentIDs() []string { return slices.Clone(e.ids) }

// Agent returns the agent application with the given string id.
func (e *MultiAgentEnv) Agent(id string) (*AgentApplication, error) {
	a, ok := e.agents[id]
	if !ok {
		return nil, fmt.Errorf("rl: no agent %q in the environment (agents: %v)", id, e.ids)
	}
	return a, nil
}

// ObservationSpace returns the observation space of an agent.
func (e *MultiAgentEnv) ObservationSpace(agent string) (spaces.Space, error) {
	a, err := e.Agent(agent)
	if err != nil {
		return nil, err
	}
	return a.ObservationSpace(), nil
}

// ActionSpace returns the action space of an agent.
func (e *MultiAgentEnv) ActionSpace(agent string) (spaces.Space, error) {
	a, err := e.Agent(agent)
	if err != nil {
		return nil, err
	}
	return a.ActionSpace(), nil
}

// Sim returns the current episode's simulator.
func (e *MultiAgentEnv) Sim() *sim.Simulator { return e.sc.Sim }

// Scenario returns the current episode's scenario.
func (e *MultiAgentEnv) Scenario() *Scenario { return e.sc }

// Done reports whether the episode is over.
func (e *MultiAgentEnv) Done() bool { return e.done }

// Current returns the step waiting for an action, and false if there is
// none (before Reset, or after the episode ended).
func (e *MultiAgentEnv) Current() (AgentStep, bool) {
	if e.current == nil {
		return AgentStep{}, false
	}
	return e.current.step, true
}

// Reset starts a new episode (the scenario built at construction for the
// first, a new one with the next run number afterwards) and runs it until
// the first decision, which it returns. If the episode ends without any
// decision, Done is true and the step is the zero value.
func (e *MultiAgentEnv) Reset() (AgentStep, error) {
	if e.sc.Sim.Now() != 0 || e.sc.Sim.EventCount() != 0 || e.done {
		if err := e.load(); err != nil {
			return AgentStep{}, err
		}
	}
	return e.advance()
}

// Step answers the current decision with action (ignored, and may be nil,
// if the step is final), then runs the simulation to the next decision
// and returns it. An action outside the agent's action space is an error
// and leaves the decision waiting. When the episode ends, Done becomes
// true and the returned step is the zero value.
func (e *MultiAgentEnv) Step(action spaces.Value) (AgentStep, error) {
	if e.done {
		return AgentStep{}, ErrEpisodeDone
	}
	if e.current == nil {
		return AgentStep{}, errors.New("rl: Step before Reset")
	}
	if err := e.current.respond(action); err != nil {
		return e.current.step, err
	}
	e.current = nil
	return e.advance()
}

func (e *MultiAgentEnv) advance() (AgentStep, error) {
	for {
		if len(e.queue) > 0 {
			p := e.queue[0]
			e.queue = e.queue[1:]
			e.current = &p
			return p.step, nil
		}
		if e.ended || e.allDone() {
			e.done = true
			e.current = nil
			return AgentStep{}, nil
		}
		s := e.sc.Sim
		if e.sc.End > 0 {
			s.RunUntil(e.sc.End)
		} else {
			s.Run()
		}
		if len(e.queue) > 0 {
			continue
		}
		over := s.Pending() == 0
		if e.sc.End > 0 {
			over = s.Now() >= e.sc.End
		}
		if !over {
			continue // stopped by someone else: resume
		}
		e.ended = true
		for _, id := range e.ids {
			a := e.agents[id]
			if a.Done() || a.Decisions() == 0 {
				continue
			}
			a.done = true
			e.queue = append(e.queue, pendingDecision{
				step: AgentStep{Agent: id, Time: s.Now(), Observation: a.Observation(), Reward: a.Reward(), Truncated: true},
				app:  a,
				respond: func(spaces.Value) error {
					return nil
				},
			})
		}
	}
}

func (e *MultiAgentEnv) allDone() bool {
	for _, a := range e.agents {
		if !a.Done() {
			return false
		}
	}
	return true
}

// Env is a single-agent, Gym-style environment over a scenario with one
// agent application: Reset returns the first observation, Step(action)
// returns the next observation, the reward of action, and whether the
// episode terminated or was truncated. It is a MultiAgentEnv with one
// agent.
type Env struct {
	m     *MultiAgentEnv
	agent *AgentApplication
}

// NewEnv returns a single-agent environment; every scenario build makes
// must have exactly one agent application.
func NewEnv(build ScenarioBuilder, firstRun uint64) (*Env, error) {
	m, err := NewMultiAgentEnv(build, firstRun)
	if err != nil {
		return nil, err
	}
	if len(m.ids) != 1 {
		return nil, fmt.Errorf("rl: a single-agent environment needs exactly one agent application, the scenario has %d", len(m.ids))
	}
	return &Env{m: m, agent: m.agents[m.ids[0]]}, nil
}

// ObservationSpace returns the agent's observation space.
func (e *Env) ObservationSpace() spaces.Space { return e.agent.ObservationSpace() }

// ActionSpace returns the agent's action space.
func (e *Env) ActionSpace() spaces.Space { return e.agent.ActionSpace() }

// MultiAgent returns the underlying multi-agent environment.
func (e *Env) MultiAgent() *MultiAgentEnv { return e.m }

// Reset starts a new episode and returns the agent's first observation.
func (e *Env) Reset() (obs spaces.Value, info map[string]string, err error) {
	st, err := e.m.Reset()
	if err != nil {
		return nil, nil, err
	}
	if e.m.Done() {
		return nil, nil, errors.New("rl: the episode ended before the agent's first decision")
	}
	if len(e.m.ids) != 1 {
		return nil, nil, fmt.Errorf("rl: a single-agent environment needs exactly one agent application, the scenario has %d", len(e.m.ids))
	}
	e.agent = e.m.agents[e.m.ids[0]]
	return st.Observation, st.Info, nil
}

// Step executes action (after the agent's action delay) and runs to the
// agent's next decision. After a terminated or truncated step, call Reset.
func (e *Env) Step(action spaces.Value) (obs spaces.Value, reward float64, terminated, truncated bool, info map[string]string, err error) {
	if cur, ok := e.m.Current(); ok && cur.Final() {
		return nil, 0, false, false, nil, ErrEpisodeDone
	}
	st, err := e.m.Step(action)
	if err != nil {
		return nil, 0, false, false, nil, err
	}
	if e.m.Done() { // cannot happen with one agent: its final step comes first
		return nil, 0, false, true, nil, nil
	}
	return st.Observation, st.Reward, st.Terminated, st.Truncated, st.Info, nil
}
