package agentlink

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

// Stepper is a simulation stepped by an outside loop, the other direction
// of Link: the caller owns the loop and the clock, the simulation answers.
// NRP-core's engines map onto it one to one (initialize / reset: Reset;
// runLoopStep(dt): Advance; getDataPacks / setDataPacks: Get / Set with
// the names of Data; shutdown: dropping the Stepper), and so does a
// Gymnasium env run in process (reset(seed): Reset then Get; step(action):
// Set, Advance by the env's step, Get).
//
// Data are named values, each in its space; Get of a datum that has no
// value yet returns a nil value and no error (NRP-core's empty datapack,
// e.g. before the first decision). A Stepper is used by one goroutine.
type Stepper interface {
	// Reset builds a fresh simulation with seed and run number run and
	// puts it at time 0. Data keep their names and spaces.
	Reset(seed, run uint64) error
	// Advance runs the simulation dt further (dt >= 0), to the end of
	// the episode at most. After Done it returns rl.ErrEpisodeDone.
	Advance(dt sim.Time) error
	// Now returns the simulated time.
	Now() sim.Time
	// Done reports whether the episode has ended (its end time reached,
	// or no event left); Reset starts the next.
	Done() bool
	// Data describes the data Get and Set accept, in a fixed order.
	Data() []DataSpec
	// Get returns the current value of a datum (nil: none yet).
	Get(name string) (spaces.Value, error)
	// Set sets a settable datum; the value must lie in its space (nil
	// clears it).
	Set(name string, v spaces.Value) error
}

// DataSpec describes one datum of a Stepper.
type DataSpec struct {
	// Name is unique in the Stepper, e.g. "agent_0/observation".
	Name string
	// Space holds every value of the datum.
	Space spaces.Space
	// Settable reports whether Set accepts the datum.
	Settable bool
}

// Datum is a datum that a scenario adds to a ScenarioStepper besides its
// agents' (e.g. the channel statistics of a Wi-Fi scenario). Its Get and
// Set see the current episode through whatever the scenario's builder
// keeps.
type Datum struct {
	// Name is unique in the stepper and must not be an agent's datum.
	Name string
	// Space holds every value of the datum.
	Space spaces.Space
	// Get returns the datum's current value (nil: none yet).
	Get func() (spaces.Value, error)
	// Set, if not nil, makes the datum settable; it gets values already
	// checked against Space.
	Set func(spaces.Value) error
}

// Names of the per-agent data of a ScenarioStepper: "<agent id>/<field>".
const (
	// FieldObservation is the agent application's current observation,
	// in its observation space.
	FieldObservation = "observation"
	// FieldReward is the agent application's current reward, a Box of
	// one float64.
	FieldReward = "reward"
	// FieldAction is the action every decision of the agent is answered
	// with (settable, in the agent's action space): a zero-order hold.
	// Until it is set, decisions go unanswered and no action executes.
	FieldAction = "action"
	// FieldDecisions counts the agent's decisions (InferAction calls)
	// in the episode, a Box of one uint32 (saturating).
	FieldDecisions = "decisions"
	// FieldTerminated is 1 (Discrete(2)) once the agent's episode
	// terminated (RequestTermination).
	FieldTerminated = "terminated"
	// FieldTruncated is 1 once the agent's episode was truncated
	// (RequestTruncation, or the end of the simulation).
	FieldTruncated = "truncated"
)

// AgentDatum returns the name of an agent's datum, e.g.
// AgentDatum("agent_0", FieldObservation) = "agent_0/observation".
func AgentDatum(agent, field string) string { return agent + "/" + field }

// SeededBuilder builds a fresh scenario with the given seed and run number
// (an rl.ScenarioBuilder fixes the seed in its configuration; a Stepper
// takes it at Reset, as Gymnasium's reset(seed) and NRP-core's reset do).
type SeededBuilder func(seed, run uint64) (*rl.Scenario, error)

// ScenarioStepper is the Stepper of a scenario built as for
// rl.MultiAgentEnv: the same builders serve both directions. Each agent
// application gets a decider that answers every decision with the
// agent's held action (FieldAction) at once, without pausing the
// simulation, so the agents decide in simulated time exactly as they do
// with rl.MultiAgentEnv, and the outside loop only sets actions and reads
// observations between Advance calls.
type ScenarioStepper struct {
	build  SeededBuilder
	sc     *rl.Scenario
	agents []*stepAgent // sorted by id
	extra  []Datum
	data   []DataSpec
	index  map[string]dataRef
	err    error // first error of a decision in the current Advance
}

type dataRef struct {
	spec  int // index in data
	agent int // -1: extra datum
	field string
	extra int
}

type stepAgent struct {
	id                    string
	app                   *rl.AgentApplication
	action                spaces.Value
	decisions             uint64
	terminated, truncated bool
	s                     *ScenarioStepper
}

var (
	rewardSpace    = mustBox(math.Inf(-1), math.Inf(1), spaces.Double)
	decisionsSpace = mustBox(0, math.MaxUint32, spaces.Uint)
	flagSpace      = mustDiscrete(2)
)

func mustBox(low, high float64, d spaces.Dtype) *spaces.Box {
	b, err := spaces.NewBox(low, high, []int{1}, d)
	if err != nil {
		panic(err) // constant arguments
	}
	return b
}

func mustDiscrete(n int64) *spaces.Discrete {
	s, err := spaces.NewDiscrete(n)
	if err != nil {
		panic(err) // constant argument
	}
	return s
}

var _ Stepper = (*ScenarioStepper)(nil)

// NewScenarioStepper returns the stepper of build's scenarios, with extra
// data besides the agents'. It builds the first episode at once with seed
// and run, so that the data are known before the first Reset (which is
// not needed for that episode).
func NewScenarioStepper(build SeededBuilder, seed, run uint64, extra ...Datum) (*ScenarioStepper, error) {
	if build == nil {
		return nil, errors.New("agentlink: NewScenarioStepper needs a scenario builder")
	}
	s := &ScenarioStepper{build: build, extra: slices.Clone(extra)}
	if err := s.Reset(seed, run); err != nil {
		return nil, err
	}
	return s, nil
}

// Reset implements Stepper. The new scenario must have the agents of the
// first one; held actions are cleared.
func (s *ScenarioStepper) Reset(seed, run uint64) error {
	sc, err := s.build(seed, run)
	if err != nil {
		return fmt.Errorf("agentlink: building the scenario (seed %d, run %d): %w", seed, run, err)
	}
	switch {
	case sc == nil || sc.Sim == nil:
		return fmt.Errorf("agentlink: the scenario builder returned no simulator (seed %d, run %d)", seed, run)
	case len(sc.Agents) == 0:
		return fmt.Errorf("agentlink: the scenario (seed %d, run %d) has no agent applications", seed, run)
	case sc.End < 0:
		return fmt.Errorf("agentlink: scenario end %v is negative", sc.End)
	}
	agents := make([]*stepAgent, 0, len(sc.Agents))
	for _, app := range sc.Agents {
		if app == nil {
			return errors.New("agentlink: the scenario lists a nil agent application")
		}
		if app.Sim() != sc.Sim {
			return fmt.Errorf("agentlink: agent %v belongs to another simulation", app.ID())
		}
		agents = append(agents, &stepAgent{id: app.ID().String(), app: app, s: s})
	}
	slices.SortFunc(agents, func(a, b *stepAgent) int { return strings.Compare(a.id, b.id) })
	for i := 1; i < len(agents); i++ {
		if agents[i].id == agents[i-1].id {
			return fmt.Errorf("agentlink: two agent applications have the id %s", agents[i].id)
		}
	}
	if s.index == nil {
		if err := s.describe(agents); err != nil {
			s.index, s.data = nil, nil
			return err
		}
	} else if !slices.EqualFunc(agents, s.agents, func(a, b *stepAgent) bool { return a.id == b.id }) {
		return fmt.Errorf("agentlink: the scenario (seed %d, run %d) has agents %v, the stepper was built with %v",
			seed, run, ids(agents), ids(s.agents))
	}
	for _, a := range agents {
		a.app.SetDecider(a)
	}
	s.sc, s.agents, s.err = sc, agents, nil
	return nil
}

func ids(agents []*stepAgent) []string {
	out := make([]string, len(agents))
	for i, a := range agents {
		out[i] = a.id
	}
	return out
}

// describe fixes the data names and spaces from the first scenario.
func (s *ScenarioStepper) describe(agents []*stepAgent) error {
	s.index = make(map[string]dataRef)
	add := func(d DataSpec, ref dataRef) error {
		if d.Space == nil {
			return fmt.Errorf("agentlink: datum %q has no space", d.Name)
		}
		if _, dup := s.index[d.Name]; dup {
			return fmt.Errorf("agentlink: datum %q defined twice", d.Name)
		}
		ref.spec = len(s.data)
		s.index[d.Name] = ref
		s.data = append(s.data, d)
		return nil
	}
	for i, a := range agents {
		for _, f := range []struct {
			field    string
			space    spaces.Space
			settable bool
		}{
			{FieldObservation, a.app.ObservationSpace(), false},
			{FieldReward, rewardSpace, false},
			{FieldAction, a.app.ActionSpace(), true},
			{FieldDecisions, decisionsSpace, false},
			{FieldTerminated, flagSpace, false},
			{FieldTruncated, flagSpace, false},
		} {
			if err := add(DataSpec{Name: AgentDatum(a.id, f.field), Space: f.space, Settable: f.settable},
				dataRef{agent: i, field: f.field}); err != nil {
				return err
			}
		}
	}
	for i, d := range s.extra {
		if d.Name == "" || d.Get == nil {
			return fmt.Errorf("agentlink: extra datum %d (%q) needs a name and a Get function", i, d.Name)
		}
		if err := add(DataSpec{Name: d.Name, Space: d.Space, Settable: d.Set != nil}, dataRef{agent: -1, extra: i}); err != nil {
			return err
		}
	}
	return nil
}

// Decide implements rl.Decider for one agent: a final decision is
// answered at once (its action is ignored), any other with the held
// action, if there is one.
func (a *stepAgent) Decide(d rl.Decision, respond func(spaces.Value) error) {
	a.decisions++
	if d.Terminated {
		a.terminated = true
	}
	if d.Truncated {
		a.truncated = true
	}
	var err error
	switch {
	case d.Terminated || d.Truncated:
		err = respond(nil)
	case a.action != nil:
		err = respond(a.action)
	}
	if err != nil && a.s.err == nil {
		a.s.err = fmt.Errorf("agentlink: decision of %s at %v: %w", a.id, d.Time, err)
	}
}

// Advance implements Stepper. It returns the first error a decision met
// in the window (an agent application refusing its held action).
func (s *ScenarioStepper) Advance(dt sim.Time) error {
	if dt < 0 {
		return fmt.Errorf("agentlink: Advance by %v: dt must not be negative", dt)
	}
	if s.Done() {
		return rl.ErrEpisodeDone
	}
	sm := s.sc.Sim
	target := sm.Now() + dt
	if target < sm.Now() { // overflow
		target = sim.MaxTime
	}
	if s.sc.End > 0 && target > s.sc.End {
		target = s.sc.End
	}
	s.err = nil
	for sm.Now() < target {
		sm.RunUntil(target) // returns early only if someone called Stop
	}
	return s.err
}

// Now implements Stepper.
func (s *ScenarioStepper) Now() sim.Time { return s.sc.Sim.Now() }

// Done implements Stepper: the scenario's end time is reached, or (without
// an end time) no event is left.
func (s *ScenarioStepper) Done() bool {
	if s.sc.End > 0 {
		return s.sc.Sim.Now() >= s.sc.End
	}
	return s.sc.Sim.Pending() == 0
}

// Data implements Stepper: for every agent (sorted by id) its observation,
// reward, action, decisions, terminated and truncated, then the extra
// data.
func (s *ScenarioStepper) Data() []DataSpec { return slices.Clone(s.data) }

// Scenario returns the current episode's scenario.
func (s *ScenarioStepper) Scenario() *rl.Scenario { return s.sc }

// AgentIDs returns the agents' ids, sorted.
func (s *ScenarioStepper) AgentIDs() []string { return ids(s.agents) }

func (s *ScenarioStepper) lookup(name string) (dataRef, error) {
	ref, ok := s.index[name]
	if !ok {
		return dataRef{}, fmt.Errorf("agentlink: no datum %q (data: %s)", name, strings.Join(s.names(), ", "))
	}
	return ref, nil
}

func (s *ScenarioStepper) names() []string {
	out := make([]string, len(s.data))
	for i, d := range s.data {
		out[i] = d.Name
	}
	return out
}

func flag(b bool) spaces.Value {
	if b {
		return spaces.DiscreteValue(1)
	}
	return spaces.DiscreteValue(0)
}

// Get implements Stepper.
func (s *ScenarioStepper) Get(name string) (spaces.Value, error) {
	ref, err := s.lookup(name)
	if err != nil {
		return nil, err
	}
	if ref.agent < 0 {
		return s.extra[ref.extra].Get()
	}
	a := s.agents[ref.agent]
	switch ref.field {
	case FieldObservation:
		return a.app.Observation(), nil
	case FieldReward:
		return spaces.DoubleBox(a.app.Reward()), nil
	case FieldAction:
		return a.action, nil
	case FieldDecisions:
		return spaces.UintBox(uint32(min(a.decisions, math.MaxUint32))), nil
	case FieldTerminated:
		return flag(a.terminated), nil
	case FieldTruncated:
		return flag(a.truncated || (s.Done() && !a.terminated)), nil
	}
	return nil, fmt.Errorf("agentlink: datum %q has unknown field %q", name, ref.field)
}

// Set implements Stepper.
func (s *ScenarioStepper) Set(name string, v spaces.Value) error {
	ref, err := s.lookup(name)
	if err != nil {
		return err
	}
	d := s.data[ref.spec]
	if !d.Settable {
		return fmt.Errorf("agentlink: datum %q is read-only", name)
	}
	if v != nil {
		if err := d.Space.Contains(v); err != nil {
			return fmt.Errorf("agentlink: datum %q: %w", name, err)
		}
	}
	if ref.agent < 0 {
		return s.extra[ref.extra].Set(v)
	}
	s.agents[ref.agent].action = v
	return nil
}
